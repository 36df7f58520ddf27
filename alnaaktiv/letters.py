"""Letters in the participant's language (issue 16). The fixed texts of every letter template
are gettext messages written in bokmål; a language is offered for letters when a catalogue
(`<code>/LC_MESSAGES/django.po` and its compiled `.mo`, in `alnaaktiv/locale` or a directory of
LOCALE_PATHS) carries the header `X-Letter-Language-Name`. Adding a language is adding a
catalogue: no code. `X-Quality-Assured: yes` says a translator has checked it; without it the
letter says that the translation is not quality-assured. A letter in another language than
bokmål carries the Norwegian original as its second part, which is the one that applies."""
import gettext
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation

from alnaaktiv.pdf import render_pdf

NORWEGIAN = "nb"
LETTER_TEMPLATE = "letters/letter.html"


@dataclass(frozen=True)
class LetterLanguage:
    code: str
    name: str  # in the language itself, as its catalogue names it
    quality_assured: bool


def _locale_dirs() -> list[Path]:
    return [Path(path) for path in settings.LOCALE_PATHS] + [
        Path(apps.get_app_config("alnaaktiv").path) / "locale"
    ]


def letter_languages() -> list[LetterLanguage]:
    """Every language with a letter catalogue, bokmål first and the rest by code. Read from disk
    on each call: a handful of small files, read only when someone makes a letter."""
    found: dict[str, LetterLanguage] = {}
    for directory in _locale_dirs():
        for mo_file in sorted(directory.glob("*/LC_MESSAGES/django.mo")):
            code = mo_file.parent.parent.name
            with mo_file.open("rb") as stream:
                headers = gettext.GNUTranslations(stream).info()
            name = headers.get("x-letter-language-name")
            if name and code not in found:
                found[code] = LetterLanguage(code, name, headers.get("x-quality-assured", "").lower() == "yes")
    return sorted(found.values(), key=lambda language: (language.code != NORWEGIAN, language.code))


def language_choices(preferred: str = "") -> list[tuple[str, str]]:
    """(code, name) for a form, the person's preferred written language first."""
    languages = letter_languages()
    languages.sort(key=lambda language: language.code != (preferred or NORWEGIAN))
    return [(language.code, language.name) for language in languages]


def get_letter_language(code: str) -> LetterLanguage | None:
    return next((language for language in letter_languages() if language.code == code), None)


def amount(value) -> str:
    """Kroner as the active language writes them: «1 250» in bokmål, «1,250» in English."""
    return formats.number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class LetterPart:
    language: LetterLanguage
    html: str
    is_original: bool  # the Norwegian original that follows a translation


def render_letter(body_template: str, context: dict, *, language: str) -> bytes:
    """The letter as PDF: `body_template` rendered in `language`, then, unless that is bokmål,
    once more in bokmål as the original. Dates and numbers follow each part's language."""
    chosen = get_letter_language(language)
    if chosen is None:
        raise ValueError(f"ingen brevkatalog for språket {language!r}")
    codes = [chosen.code] if chosen.code == NORWEGIAN else [chosen.code, NORWEGIAN]
    parts = []
    for code in codes:
        part_language = chosen if code == chosen.code else get_letter_language(NORWEGIAN)
        with translation.override(code):
            html = render_to_string(body_template, {**context, "letter_language": part_language,
                                                    "translated": chosen.code != NORWEGIAN,
                                                    "is_original": code != chosen.code})
        parts.append(LetterPart(part_language, html, is_original=code != chosen.code))
    return render_pdf(LETTER_TEMPLATE, {"parts": parts, "chosen": chosen})
