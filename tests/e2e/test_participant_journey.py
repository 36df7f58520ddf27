"""Issue 3's journey in Chromium: the hovedveileder refers a candidate; the veileder finds the
participant, registers the first meeting and writes a journal note. Keyboard- and axe-checked."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Deltaker, JournalEntry
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_hovedveileder_refers_and_veileder_registers_the_meeting_and_a_note(page, live_server, screenshot, demo_data):
    candidate = Deltaker.objects.filter(status="kandidat", office__enhetsnummer="0326",
                                        person__adressebeskyttelse="ugradert", person__skjermet=False).first()
    name = candidate.person.navn

    login(page, live_server.url, "hovedveileder")
    page.get_by_role("link", name="Deltakere", exact=True).click()
    page.get_by_label("Vis", exact=True).select_option("alle")
    page.get_by_label("Status", exact=True).select_option("kandidat")
    page.get_by_role("button", name="Bruk filter").click()
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name=name).first.click()
    page.get_by_label("Begrunnelse for henvisningen").fill("Ønsker arbeid, motivert for arbeidstrening.")
    # A week after today in Oslo: a fixed date turned into one before the referral at midnight.
    first_appointment = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Første avtale ved Alna Aktiv").fill(f"{first_appointment:%Y-%m-%d}T10:00")
    screenshot(page, "henvisning-utfylt")
    page.get_by_role("button", name="Henvis").click()
    assert page.get_by_role("status").filter(has_text="Deltakeren er henvist til Alna Aktiv.").is_visible()
    assert serious_axe_violations(page) == []
    assert page.console_errors == []
    page.get_by_role("button", name="Logg ut").click()

    login(page, live_server.url, "veileder")
    page.get_by_role("link", name="Deltakere", exact=True).click()
    page.get_by_label("Søk på navn eller fødselsnummer").fill(name)
    page.locator("main").get_by_role("button", name="Søk").click()
    assert "sok" not in page.url  # the search went by POST
    page.get_by_role("link", name=name).first.click()
    page.get_by_label("Møtt", exact=True).check()
    page.get_by_role("button", name="Registrer møtet").click()
    assert page.get_by_role("status").filter(has_text="Møtet er registrert.").is_visible()
    page.get_by_role("textbox", name="Notat").fill("Første samtale gjennomført. Avtalt kartlegging neste uke.")
    page.get_by_role("button", name="Lagre notatet").click()
    assert page.locator("#journal article p").filter(
        has_text="Første samtale gjennomført. Avtalt kartlegging neste uke.").is_visible()
    screenshot(page, "deltaker-etter-mote")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []

    candidate.refresh_from_db()
    assert candidate.status == "mott"
    assert JournalEntry.objects.filter(deltaker=candidate, author__username="veileder").exists()
