"""The one-way rule of docs/architecture.md for templates: a template of a lower app loads no
template tags of a higher app (import-linter checks the Python imports in `make test`; a
`{% load %}` is invisible to it)."""
import re
from pathlib import Path

from django.conf import settings
from django.template.backends.django import get_installed_libraries

# Lowest first; an app may use its own tags and those of the apps below it.
LAYERS = ["alnaaktiv", "cases", "conditions", "arbeidsboks", "reporting"]
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def template_layer(relative: Path) -> str:
    """templates/<app>/… belongs to that app; the site-wide templates (base, errors, admin,
    registration) to the base."""
    return relative.parts[0] if len(relative.parts) > 1 and relative.parts[0] in LAYERS else "alnaaktiv"


def loaded_libraries(text: str) -> set[str]:
    names = set()
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        # `{% load a b %}` loads libraries; `{% load x y from lib %}` loads tags from `lib`.
        names.update(words[words.index("from") + 1:] if "from" in words else words)
    return names


def upward_loads(layer: str, libraries: set[str], library_modules: dict[str, str]) -> list[str]:
    rank = LAYERS.index(layer)
    return sorted(name for name in libraries
                  if (app := library_modules.get(name, "").split(".")[0]) in LAYERS and LAYERS.index(app) > rank)


def test_no_template_loads_tags_of_a_higher_app():
    library_modules = get_installed_libraries()
    root = Path(settings.BASE_DIR) / "templates"
    found = {}
    for path in root.rglob("*.html"):
        relative = path.relative_to(root)
        upward = upward_loads(template_layer(relative), loaded_libraries(path.read_text()), library_modules)
        if upward:
            found[str(relative)] = upward
    assert found == {}


def test_the_check_finds_a_cases_template_loading_arbeidsboks_tags():
    libraries = loaded_libraries("{% load static %}<p>{% load arbeidsboks norsk %}{% load x from rapport %}")
    assert libraries == {"static", "arbeidsboks", "norsk", "rapport"}
    modules = {"arbeidsboks": "arbeidsboks.templatetags.arbeidsboks", "norsk": "alnaaktiv.templatetags.norsk",
               "rapport": "reporting.templatetags.rapport", "static": "django.templatetags.static"}
    assert upward_loads(template_layer(Path("cases/participant_detail.html")), libraries, modules) == [
        "arbeidsboks", "rapport"]
    assert upward_loads(template_layer(Path("reporting/x.html")), libraries, modules) == []
    assert template_layer(Path("base.html")) == "alnaaktiv"
