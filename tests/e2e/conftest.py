"""Browser journeys in Debian's Chromium through Playwright. Screenshots are saved under
test-artifacts/e2e/. Locally skipped without Chromium; under CI a missing Chromium fails.
Every test's clicks are counted (fixture `clicks`, docs/interaction.md) and listed in
test-artifacts/e2e/klikk.md."""
import contextlib
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, sync_playwright

from tests import services

# Playwright's sync API runs an event loop in the test thread; Django's guard against database
# calls from async code would otherwise refuse the test's own setup queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    available, detail = services.chromium_available()
    services.require("Chromium", available, detail)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(services.CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test that records console errors and failed page scripts."""
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def serious_axe_violations(page) -> list[str]:
    """axe-core (shipped by axe-playwright-python) with WCAG 2.1 A and AA rules."""
    before = len(getattr(page, "console_errors", []))
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    if hasattr(page, "console_errors"):
        # axe-core sets inline styles while it measures (on some admin pages): the page's CSP
        # refuses them. Those reports are the tool's, not the page's.
        page.console_errors[before:] = [error for error in page.console_errors[before:]
                                        if not error.startswith("Applying inline style violates")]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# What a user does with the mouse or a finger: a click, a tick, a choice in a list, a file chosen.
# Typing is not counted. Login clicks are counted in a test's total, not in its tasks.
COUNTED_ACTIONS = ("click", "dblclick", "tap", "check", "uncheck", "set_checked", "select_option", "set_input_files")


@dataclass
class Task:
    name: str
    count: int = 0


@dataclass
class ClickCounter:
    """The clicks of one test: `clicks.total`, `clicks.log` (what was clicked, on which page) and
    `with clicks.task("Registrer dokumentasjon") as task: …` for one main task (task.count)."""

    total: int = 0
    log: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    _open: list[Task] = field(default_factory=list)

    @contextlib.contextmanager
    def task(self, name: str):
        task = Task(name)
        self.tasks.append(task)
        self._open.append(task)
        try:
            yield task
        finally:
            self._open.remove(task)

    def record(self, action: str, target, args) -> None:
        self.total += 1
        for task in self._open:
            task.count += 1
        impl = getattr(target, "_impl_obj", target)
        selector = getattr(impl, "_selector", None) or (args[0] if args else "?")
        page = getattr(target, "page", target)
        url = getattr(page, "url", "")
        where = url.split("/", 3)[3] if url.count("/") >= 3 else url
        self.log.append(f"{action} {selector} (på /{where})")


def _counted(counter: ClickCounter, action: str, method):
    @functools.wraps(method)
    def counted(target, *args, **kwargs):
        counter.record(action, target, args)
        return method(target, *args, **kwargs)

    return counted


@pytest.fixture(scope="session")
def click_report():
    rows: list[tuple[str, ClickCounter]] = []
    yield rows
    if not rows:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = ["# Klikk per nettlesertest", "", "| Test | Oppgave | Klikk |", "|---|---|---|"]
    for test, counter in rows:
        lines.append(f"| {test} | (hele testen, med innlogging) | {counter.total} |")
        lines += [f"| {test} | {task.name} | {task.count} |" for task in counter.tasks]
    for test, counter in rows:
        lines += ["", f"## {test}", ""] + [f"{number}. {entry}" for number, entry in enumerate(counter.log, start=1)]
    (ARTIFACTS / "klikk.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def clicks(request, monkeypatch, click_report) -> ClickCounter:
    """Counts every click of the test (Locator's and Page's click, check, select_option, …)."""
    counter = ClickCounter()
    for cls in (Locator, Page):
        for action in COUNTED_ACTIONS:
            if hasattr(cls, action):
                monkeypatch.setattr(cls, action, _counted(counter, action, getattr(cls, action)))
    yield counter
    if counter.total:
        click_report.append((request.node.nodeid.split("::")[-1], counter))
