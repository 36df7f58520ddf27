"""Issue 12 on the participant page and the screening page in Chromium at 1366×768: a refused
journal note keeps what was typed with the error at its field and on screen; the author strikes
out and corrects a note (the original stays, struck through); «Utført» is undone with a reason;
excluding a candidate asks first and can be undone."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Deltaker, JournalEntry, ScreeningExclusion
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_mapping_journey import (
    DESKTOP,
    assert_in_viewport,
    message,
    new_page,
    participant,
    script_errors,
)
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_a_refused_note_keeps_its_text_and_the_author_corrects_it_later(browser, live_server, screenshot, clicks,
                                                                        demo_data):
    deltaker = participant("mott")
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/")

    page.locator("#journal_kind").select_option("trekantmote")
    page.get_by_role("textbox", name="Notat").fill("Trekantmøte om arbeidstrening i kantina.")
    page.get_by_role("button", name="Lagre notatet").click()
    who = page.get_by_role("textbox", name="Hvem deltok (ved møter)")
    expect(who).to_be_focused()
    assert who.get_attribute("aria-invalid") == "true"
    assert_in_viewport(page, page.get_by_text("Skriv hvem som deltok i møtet."))
    expect(page.get_by_role("textbox", name="Notat")).to_have_value("Trekantmøte om arbeidstrening i kantina.")
    screenshot(page, "journal-avvist-beholder-teksten")
    assert serious_axe_violations(page) == []

    who.fill("deltakeren, veileder NAV, KAREA")
    page.get_by_role("button", name="Lagre notatet").click()
    assert_in_viewport(page, message(page, "notat", "Journalnotatet er lagret."))

    with clicks.task("Rett et journalnotat") as task:
        page.locator("#journal summary").filter(has_text="Rett eller stryk notatet").first.click()
        page.get_by_role("textbox", name="Rettet tekst").fill("Trekantmøte om arbeidstrening på lageret.")
        page.get_by_role("textbox", name="Hvorfor rettes eller strykes notatet?").fill("Feil arbeidssted")
        page.get_by_role("button", name="Lagre rettingen").click()
    assert task.count == 2
    assert_in_viewport(page, message(page, "journal", "Notatet er rettet."))
    struck = page.locator("#journal del")
    expect(struck).to_contain_text("Trekantmøte om arbeidstrening i kantina.")
    expect(page.locator("#journal")).to_contain_text("Begrunnelse: Feil arbeidssted")
    screenshot(page, "journal-rettet")
    assert serious_axe_violations(page) == []
    assert script_errors(page) == []
    original = JournalEntry.objects.get(deltaker=deltaker, text="Trekantmøte om arbeidstrening i kantina.")
    assert original.struck_at is not None and original.correction.text.endswith("på lageret.")


def test_a_huskelapp_marked_done_by_mistake_is_opened_again(browser, live_server, screenshot, demo_data):
    deltaker = participant("mott")
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/")
    page.get_by_label("Frist").fill("2030-01-15")
    page.get_by_label("Hva gjelder det?").fill("Ring arbeidsgiver på lageret")
    page.get_by_role("button", name="Lagre huskelappen").click()
    page.locator("#huskelapper").get_by_role("button", name=re.compile(r"^Utført.*Ring arbeidsgiver på lageret")).click()
    assert_in_viewport(page, message(page, "huskelapper", "Huskelappen er markert som utført."))
    page.locator("#huskelapper summary").filter(has_text="Angre «Utført»").click()
    page.get_by_role("button", name="Angre «Utført»").click()  # no reason: refused at the field
    reason = page.get_by_role("textbox", name="Hvorfor angres «Utført»?")
    expect(reason).to_be_focused()
    reason.fill("Arbeidsgiveren svarte ikke")
    page.get_by_role("button", name="Angre «Utført»").click()
    assert_in_viewport(page, message(page, "huskelapper", "«Utført» er angret. Huskelappen er åpen igjen."))
    expect(page.locator("#huskelapper")).to_contain_text("Begrunnelse: Arbeidsgiveren svarte ikke")
    screenshot(page, "huskelapp-angret")
    assert serious_axe_violations(page) == []
    assert script_errors(page) == []


def test_excluding_a_candidate_asks_first_and_can_be_undone(browser, live_server, screenshot, clicks, demo_data):
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "prosjektleder")
    page.get_by_role("link", name="Screening").first.click()
    row = page.locator("#kandidater ~ .table-responsive tbody tr").filter(has=page.locator("summary")).first
    name = row.locator("td").nth(1).inner_text().strip()
    with clicks.task("Ekskluder en kandidat") as task:
        row.locator("summary").click()
        row.get_by_role("textbox", name="Begrunnelse").fill("Er i fulltidsjobb fra neste måned")
        row.get_by_role("button", name="Ekskluder").click()
        expect(page.get_by_role("heading", name=f"Ekskludere {name} fra kandidatlisten?")).to_be_visible()
        expect(page.get_by_text("Er i fulltidsjobb fra neste måned")).to_be_visible()
        screenshot(page, "ekskludering-bekreft")
        assert serious_axe_violations(page) == []
        page.get_by_role("button", name=f"Ja, ekskluder {name}").click()
    assert task.count == 3
    assert_in_viewport(page, message(page, "ekskluderte", f"{name} er ekskludert fra kandidatlisten."))
    exclusion = ScreeningExclusion.objects.get(person__navn=name, undone_at__isnull=True)

    page.locator("#ekskluderte summary").filter(has_text="Angre ekskluderingen").first.click()
    page.get_by_role("textbox", name="Hvorfor angres ekskluderingen?").fill("Jobben falt bort")
    page.get_by_role("button", name="Angre ekskluderingen").first.click()
    assert_in_viewport(page, message(page, "ekskluderte", f"Ekskluderingen av {name} er angret."))
    expect(page.locator("#ekskluderte")).to_contain_text("Begrunnelse: Jobben falt bort")
    screenshot(page, "ekskludering-angret")
    assert serious_axe_violations(page) == []
    assert script_errors(page) == []
    exclusion.refresh_from_db()
    assert exclusion.undone_by.username == "prosjektleder"
    assert not Deltaker.objects.filter(person=exclusion.person).exists()
