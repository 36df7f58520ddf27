"""Issue 16's journey in Chromium: the veileder registers a participant's consent to share with
KAREA, and KAREA can open the participant; the veileder withdraws it after a confirmation, and
KAREA cannot any more. The veileder then makes an innkalling in English on the letter page and
the kept PDF carries the translation, its notice and the Norwegian original. Axe-checked."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Avtale, Deltaker, Samtykke
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login
from tests.helpers import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def participant(transactional_db):
    """The demo's referred participant in Alna who never consented, with a meeting next week."""
    call_command("seed_demo", verbosity=0)
    deltaker = (Deltaker.objects.filter(office__enhetsnummer="0326", person__adressebeskyttelse="ugradert",
                                        person__skjermet=False, veileder__username="veileder")
                .exclude(status="kandidat").exclude(samtykker__isnull=False).first())
    assert deltaker is not None, "the demo has a referred participant without consent"
    Avtale.objects.create(deltaker=deltaker, kind="oppfolging", sted="Alna Aktiv, møterom 2",
                          starts_at=timezone.now() + datetime.timedelta(days=7), veileder=deltaker.veileder,
                          tolk=True, tolkesprak="somali", created_by=deltaker.veileder)
    return deltaker


def karea_sees(page, base_url: str, deltaker) -> bool:
    login(page, base_url, "karea")
    response = page.goto(f"{base_url}/deltakere/{deltaker.pk}/")
    page.get_by_role("button", name="Logg ut").click()
    return response.status == 200


def test_consent_opens_the_participant_to_karea_withdrawal_closes_it_and_a_letter_in_english_is_kept(
        page, live_server, screenshot, participant):
    url = f"{live_server.url}/deltakere/{participant.pk}/"
    assert not karea_sees(page, live_server.url, participant)

    login(page, live_server.url, "veileder")
    page.goto(url)
    section = page.get_by_role("region", name="Samtykke til deling med KAREA")
    section.get_by_text("Registrer samtykke", exact=True).click()
    section.get_by_label("Skriftlig, signert skjema").check()
    section.get_by_role("button", name="Registrer samtykket").click()
    expect(page.get_by_text("Samtykket er registrert")).to_be_visible()
    screenshot(page, "samtykke-registrert")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Logg ut").click()
    assert karea_sees(page, live_server.url, participant)

    login(page, live_server.url, "veileder")
    page.goto(url)
    section = page.get_by_role("region", name="Samtykke til deling med KAREA")
    section.get_by_text("Trekk samtykket", exact=True).first.click()
    section.get_by_role("button", name="Trekk samtykket").click()
    expect(page.get_by_role("heading", name="Trekk samtykket til deling med KAREA")).to_be_visible()
    page.get_by_role("button", name="Bekreft: trekk samtykket").click()
    expect(page.get_by_text("Ingen samtykke gjelder nå")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()
    assert not karea_sees(page, live_server.url, participant)
    assert Samtykke.objects.get(deltaker=participant).trukket_av.username == "veileder"

    login(page, live_server.url, "veileder")
    page.goto(f"{url}brev/")
    meeting = timezone.localtime(participant.avtaler.get(sted="Alna Aktiv, møterom 2").starts_at)
    source = page.get_by_role("form", name=f"Innkalling til oppfølgingsmøte {meeting:%d.%m.%Y}")
    source.get_by_label("Språk").select_option("en")
    source.get_by_role("button", name="Lag og lagre brevet").click()
    kept = page.get_by_role("table").get_by_role("row").nth(1)
    expect(kept).to_contain_text("ikke kvalitetssikret oversettelse")
    screenshot(page, "brev-paa-engelsk")
    assert serious_axe_violations(page) == []
    letter = page.request.get(live_server.url + kept.get_by_role("link").get_attribute("href"))
    text = pdf_text(letter.body())
    english, norwegian = text.split("Del 2 av 2")
    assert "This translation has not been checked" in english and "somali" in english
    assert "Innkalling" in norwegian and "Alna Aktiv, møterom 2" in norwegian
