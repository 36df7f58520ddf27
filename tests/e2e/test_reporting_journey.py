"""The controller's month end in a real browser: build October, download its PDF, close the
month; then the project leader's dashboard. No console errors, no serious axe violations."""
import datetime

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from reporting.models import MonthlyReport
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def november(transactional_db):
    # The live server runs in this process: the whole journey happens on 23 November 2026.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=True):
        call_command("seed_demo", verbosity=0)
        yield


def test_the_controller_builds_downloads_and_closes_a_month(page, live_server, screenshot, november):
    login(page, live_server.url, "controller")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Rapporter").click()
    expect(page.get_by_role("heading", name="Månedsrapporter")).to_be_visible()
    row = page.locator("#maned-0326-2026-10")
    before = row.get_by_text("bygget ").inner_text()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 20, tzinfo=datetime.UTC), tick=True):
        row.get_by_role("button", name="Bygg på nytt oktober 2026").click()
        expect(page.get_by_role("status").filter(has_text="Månedsrapporten for oktober 2026 er bestilt.")).to_be_visible()
    expect(row.get_by_text("Åpen")).to_be_visible()
    expect(row.get_by_text("bygget 23.11.2026 10:2")).to_be_visible()  # Oslo time of the rebuild (within the 30-minute session)
    assert row.get_by_text("bygget ").inner_text() != before
    screenshot(page, "rapporter-bygget")
    assert serious_axe_violations(page) == []

    with page.expect_download() as download:
        row.get_by_role("link", name="PDF for oktober 2026").click()
    assert download.value.suggested_filename == "manedsrapport-0326-2026-10.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")

    row.get_by_role("link", name="Oktober 2026", exact=True).click()
    expect(page.get_by_role("heading", name="Månedsrapport oktober 2026 – NAV Alna")).to_be_visible()
    expect(page.get_by_role("img", name="Aktive deltakere ved månedsslutt etter målgruppe")).to_be_visible()
    screenshot(page, "rapport-oktober")
    assert serious_axe_violations(page) == []
    page.go_back()

    row.get_by_role("button", name="Lukk måneden oktober 2026").click()
    expect(page.get_by_role("heading", name="Lukke oktober 2026 for NAV Alna?")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Ja, lukk oktober 2026").click()
    expect(page.get_by_text("Oktober 2026 er lukket. Tallene kan ikke endres lenger.", exact=True)).to_be_visible()
    expect(row.get_by_text("Lukket")).to_be_visible()
    expect(row.get_by_role("button")).to_have_count(0)  # no rebuild and no close for a closed month
    assert MonthlyReport.objects.get(office__enhetsnummer="0326", month=datetime.date(2026, 10, 1)).is_closed
    screenshot(page, "rapporter-lukket")
    assert page.console_errors == []


def test_the_project_leaders_dashboard_shows_targets_and_charts(page, live_server, screenshot, november):
    login(page, live_server.url, "prosjektleder")
    screenshot(page, "dashbord-prosjektleder")
    expect(page.get_by_role("heading", name="Måltall fra forstudien")).to_be_visible()
    expect(page.get_by_role("img", name="Henviste som møtte")).to_be_visible()
    expect(page.get_by_text("Fra månedsrapporten for november 2026")).to_be_visible()
    screenshot(page, "dashbord-prosjektleder")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []


def test_the_list_follows_a_running_build_and_announces_its_end(page, live_server, november):
    report = MonthlyReport.objects.get(office__enhetsnummer="0326", month=datetime.date(2026, 10, 1))
    MonthlyReport.objects.filter(pk=report.pk).update(
        build_state="running", build_requested_at=datetime.datetime.now(datetime.UTC)
    )
    login(page, live_server.url, "controller")
    page.goto(f"{live_server.url}/rapporter/")
    row = page.locator("#maned-0326-2026-10")
    expect(row.get_by_text("Bygges …")).to_be_visible()
    # The worker finishes: the row polls every 2 seconds and shows the result without a reload.
    MonthlyReport.objects.filter(pk=report.pk).update(build_state="idle")
    expect(row.get_by_text("Åpen")).to_be_visible(timeout=8000)
    expect(page.locator("#bygg-varsel")).to_have_text("Månedsrapporten for oktober 2026 er bygget.")
    assert page.console_errors == []


@pytest.mark.parametrize("username", ["controller", "prosjektleder"])
def test_the_reporting_pages_fit_a_phone(page, live_server, screenshot, november, username):
    """Issue 12: /rapporter/ was wider than a 390 px screen. Every reporting page (the list, a
    month's report, the dashboard on the start page, the close confirmation) fits; wide tables
    scroll inside their own box and the charts scale."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, username)
    report = MonthlyReport.objects.get(office__enhetsnummer="0326", month=datetime.date(2026, 10, 1))
    paths = {"liste": "/rapporter/", "oktober": f"/rapporter/{report.pk}/", "start": "/"}
    for name, path in paths.items():
        page.goto(f"{live_server.url}{path}")
        screenshot(page, f"rapporter-390-{username}-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} er {width} px bred"
        assert serious_axe_violations(page) == [], path
    if username == "controller":
        page.goto(f"{live_server.url}/rapporter/")
        page.locator("#maned-0326-2026-10").get_by_role("button", name="Lukk måneden oktober 2026").click()
        expect(page.get_by_role("heading", name="Lukke oktober 2026 for NAV Alna?")).to_be_visible()
        screenshot(page, "rapporter-390-lukk-bekreftelse")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Ja, lukk oktober 2026").click()
        message = page.get_by_text("Oktober 2026 er lukket. Tallene kan ikke endres lenger.", exact=True)
        expect(message).to_be_in_viewport()  # inside the office's section, where the page scrolled to
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
