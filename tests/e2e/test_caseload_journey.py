"""Issue 14's journey in Chromium: the hovedveileder refers a candidate to a chosen veileder with
place and interpreter; that veileder finds the referral at once in her inbox, in «Mine deltakere»
and in today's appointments, and registers the meeting there. A placement that starts moves an
avklart course to «I aktivitet» with no manual step. Axe-checked."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from alnaaktiv.demo import DEMO_PASSWORD
from alnaaktiv.models import Office, Role
from arbeidsboks.models import Arbeidsomrade, Virksomhet
from cases.models import Avtale, Deltaker
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login
from tests.factories import role_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)
    user = role_user("ingrid", Office.objects.get(enhetsnummer="0326"), Role.VEILEDER, first_name="Ingrid",
                     last_name="Iversen")
    user.set_password(DEMO_PASSWORD)
    user.save()


def test_referral_to_a_chosen_veileder_who_registers_the_meeting_from_todays_appointments(
        page, live_server, screenshot, demo_data):
    candidate = Deltaker.objects.filter(status="kandidat", office__enhetsnummer="0326",
                                        person__adressebeskyttelse="ugradert", person__skjermet=False).first()
    name = candidate.person.navn
    # today, at the current minute: on today's list and already due
    when = timezone.localtime().replace(second=0, microsecond=0)

    login(page, live_server.url, "hovedveileder")
    page.goto(f"{live_server.url}/deltakere/{candidate.pk}/")
    page.get_by_label("Begrunnelse for henvisningen").fill("Ønsker arbeid i butikk.")
    page.get_by_label("Veileder i Alna Aktiv").select_option(label="Ingrid Iversen")
    page.get_by_label("Første avtale ved Alna Aktiv").fill(f"{when:%Y-%m-%dT%H:%M}")
    page.get_by_label("Sted").fill("Alna Aktiv, møterom 3")
    page.get_by_role("checkbox", name="Trenger tolk").check()
    page.get_by_label("Tolkespråk (når det trengs tolk)").fill("somali")
    screenshot(page, "henvisning-med-veileder")
    page.get_by_role("button", name="Henvis").click()
    assert page.get_by_role("status").filter(has_text="Veileder: Ingrid Iversen.").is_visible()
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Logg ut").click()

    login(page, live_server.url, "ingrid")
    inbox = page.get_by_role("region", name="Innboks")
    referrals = inbox.get_by_role("listitem").filter(has_text="Nye henvisninger til meg")
    expect(referrals).to_contain_text("1 ny")
    referrals.get_by_role("link").click()
    page.get_by_role("link", name=name).click()  # opening the item marks it seen
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.get_by_role("region", name="Innboks").get_by_role("listitem")
           .filter(has_text="Nye henvisninger til meg")).to_contain_text("0 nye")
    page.get_by_role("link", name="Deltakere", exact=True).click()
    assert page.get_by_role("link", name=name).first.is_visible()  # «Mine deltakere» at once
    page.get_by_role("link", name="Avtaler", exact=True).click()
    today = page.locator("#avtaler")
    assert today.get_by_role("link", name=name).is_visible()
    assert today.get_by_text(f"kl. {when:%H.%M}").first.is_visible() and today.get_by_text("Tolk: somali").first.is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "mine-avtaler")
    row = today.locator("tr").filter(has=page.get_by_role("link", name=name))
    row.get_by_label(f"Utfall for {name}").select_option("mott")
    row.get_by_role("button", name="Registrer utfall").click()
    assert page.get_by_role("status").filter(has_text="Avtalen er registrert som «Møtt».").is_visible()
    page.get_by_role("link", name=name).first.click()
    assert page.locator(".status-badge").inner_text() == "Møtt"
    assert page.console_errors == []

    candidate.refresh_from_db()
    assert (candidate.status, candidate.veileder.username) == ("mott", "ingrid")
    assert Avtale.objects.get(deltaker=candidate).status == "mott"


def test_a_placement_that_starts_moves_an_avklart_course_to_i_aktivitet(page, live_server, demo_data):
    participant = Deltaker.objects.filter(status="avklart", office__enhetsnummer="0326", plasseringer__isnull=True,
                                          person__adressebeskyttelse="ugradert", person__skjermet=False).first()
    enterprise = Virksomhet.objects.filter(office__enhetsnummer="0326").first()
    area = Arbeidsomrade.objects.create(virksomhet=enterprise, navn="Kantine", kapasitet=2, normal_timer_per_uke=20,
                                        laeringsinnhold="Matlaging og servering")
    name = participant.person.navn

    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{participant.pk}/")
    expect(page.locator(".status-badge")).to_have_text("Avklart")
    page.get_by_role("link", name="Plasser i Arbeidsboks").click()
    expect(page.get_by_role("heading", name=f"Plasser {name} i Arbeidsboks")).to_be_visible()
    page.get_by_label("Arbeidsområde").select_option(str(area.pk))
    page.get_by_label("Planlagt sluttdato").fill(f"{timezone.localdate() + datetime.timedelta(days=60):%Y-%m-%d}")
    page.get_by_label("Timer per uke").fill("20")
    page.get_by_label("Veileder på arbeidsstedet").fill("Kari Kantine")
    page.get_by_label("Mål for plasseringen").fill("Faste rutiner")
    page.get_by_label("Jeg bekrefter at plasseringen ikke fortrenger ordinær arbeidskraft").check()
    page.get_by_role("button", name="Lagre plassering").click()
    page.goto(f"{live_server.url}/deltakere/{participant.pk}/")
    expect(page.locator(".status-badge")).to_have_text("I aktivitet")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []

    participant.refresh_from_db()
    assert participant.status == "i_aktivitet"
    assert participant.events.filter(state="i_aktivitet").count() == 1
