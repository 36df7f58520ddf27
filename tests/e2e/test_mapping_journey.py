"""Issue 4's journey in Chromium: a KAREA user maps a participant and drafts the § 14 a
assessment and the plan; a NAV veileder signs the assessment, prints the plan and chooses a route
that hands the case back; the hovedveileder finds it on the start page's work list. Axe-checked."""
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Arbeidsevnevurdering, Deltaker, Tilbakeforing
from tests.e2e.conftest import ARTIFACTS, serious_axe_violations
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


def open_participant(page, name: str) -> None:
    page.get_by_role("link", name="Deltakere", exact=True).click()
    page.get_by_label(re.compile("Søk på navn")).fill(name)
    page.get_by_role("button", name="Søk").click()
    page.get_by_role("link", name=name).first.click()


def test_karea_maps_veileder_signs_prints_and_hands_the_case_back(page, live_server, screenshot, demo_data):
    deltaker = Deltaker.objects.filter(status="mott", office__enhetsnummer="0326", person__adressebeskyttelse="ugradert",
                                       person__skjermet=False).order_by("pk").first()
    name = deltaker.person.navn

    # KAREA maps the participant and drafts the assessment and the plan
    login(page, live_server.url, "karea")
    open_participant(page, name)
    page.get_by_role("button", name="Start kartlegging").click()  # from the participant page
    expect(page.get_by_role("status").filter(has_text="Kartleggingen er startet.")).to_be_visible()
    page.get_by_text("Endre kartleggingen").click()
    page.get_by_label("Samtale", exact=True).check()
    page.get_by_label("KAREAs arbeidsevneformel", exact=True).check()
    page.get_by_label("Språk: vurdering").select_option("barriere")
    page.get_by_label("Språk: kort vurdering").fill("Trenger norskkurs på B1-nivå.")
    page.get_by_label("Motivasjon: vurdering").select_option("ressurs")
    page.get_by_label("Motivasjon: kort vurdering").fill("Vil gjerne i arbeid raskt.")
    page.get_by_label("Jobbønsker").fill("Kantine eller lager")
    assert serious_axe_violations(page) == []  # with the mapping form open
    page.get_by_role("button", name="Lagre kartleggingen").click()
    expect(page.get_by_role("status").filter(has_text="Kartleggingen er lagret.")).to_be_visible()
    expect(page.get_by_role("cell", name="Trenger norskkurs på B1-nivå.")).to_be_visible()

    page.get_by_label("a) Muligheter for å komme i arbeid").fill("Gode muligheter innen kantine.")
    page.get_by_label("b) Hvilket arbeid som er målet").fill("Deltidsjobb i kantine.")
    page.get_by_label("c) Behov for bistand").fill("Norskkurs og hjelp med CV.")
    page.get_by_label("d) Om og i hvilken grad arbeidsevnen er nedsatt").fill("Ikke nedsatt av helse.")
    page.get_by_label("e) Hva slags bistand som passer").fill("Arbeidspraksis med oppfølging.")
    page.get_by_label("Innsatsgruppe", exact=True).select_option("situasjonsbestemt")
    page.get_by_label("Hovedmål", exact=True).select_option("skaffe_arbeid")
    page.get_by_label("Begrunnelse for innsatsgruppen").fill("Trenger oppfølging en periode.")
    page.get_by_role("button", name="Lagre utkastet").click()
    expect(page.get_by_role("status").filter(has_text="Utkastet til arbeidsevnevurdering er lagret.")).to_be_visible()
    assert page.get_by_role("button", name="Signer vurderingen").count() == 0  # NAV signs

    page.get_by_text("Ny aktivitet", exact=True).click()
    page.get_by_label("Type aktivitet").select_option("jobbsoking")
    page.get_by_label("Beskrivelse").fill("Søke jobber i kantiner i Groruddalen.")
    page.get_by_label("Til dato").fill("2027-06-30")
    page.get_by_label("Antall søknader per uke (jobbsøking)").fill("5")
    page.get_by_label("Avtalt med deltakeren").check()
    assert serious_axe_violations(page) == []  # with the activity form open
    page.get_by_role("button", name="Legg til aktiviteten").click()
    expect(page.get_by_role("status").filter(has_text="Aktiviteten er lagt til i planen.")).to_be_visible()
    screenshot(page, "kartlegging-karea")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []
    page.get_by_role("button", name="Logg ut").click()

    # the NAV veileder signs the assessment, prints the plan and chooses the route
    login(page, live_server.url, "veileder")
    for label in ("Møtt, men ikke kartlagt etter 14 dager", "Kartlegging åpen i mer enn 6 uker",
                  "Plan uten aktiv aktivitet", "Aktiviteter over sluttdato"):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    screenshot(page, "start-veileder-arbeidslister")
    page.get_by_role("link", name="Aktiviteter over sluttdato").click()
    expect(page.get_by_role("heading", name="Arbeidsliste: Aktiviteter over sluttdato")).to_be_visible()
    assert serious_axe_violations(page) == []
    open_participant(page, name)
    page.get_by_role("link", name="Åpne kartlegging og avklaring").click()
    page.get_by_role("button", name="Signer vurderingen").click()
    expect(page.get_by_role("status").filter(has_text="Vurderingen er signert.")).to_be_visible()
    expect(page.get_by_role("heading", name="Gjeldende vurdering (versjon 1)")).to_be_visible()
    pdf_path = page.get_by_role("link", name="Last ned som PDF").first.get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{pdf_path}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="Utskrift av aktivitetsplanen").first.click()
    expect(page.get_by_role("heading", name="Aktivitetsplan", exact=True)).to_be_visible()
    expect(page.get_by_text("Du skal sende 5 søknader per uke.")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Skriv ut").is_visible()  # only the plan on paper
    screenshot(page, "aktivitetsplan-utskrift")
    page.pdf(path=str(ARTIFACTS / "aktivitetsplan-utskrift.pdf"))  # what the printer gets
    page.emulate_media(media="screen")
    assert page.console_errors == []
    page.get_by_role("link", name="Tilbake til kartlegging og avklaring").click()

    page.get_by_label("Rute videre").select_option("statlig_tiltak")
    page.get_by_label("Hva er avklart").fill("Søkes inn på arbeidspraksis i kantine. Hovedveileder følger opp tiltaket.")
    page.get_by_role("button", name="Velg ruten").click()
    expect(page.get_by_role("status").filter(has_text="Ruten er valgt, og deltakeren er avklart.")).to_be_visible()
    screenshot(page, "kartlegging-avklart")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []
    page.get_by_role("button", name="Logg ut").click()

    # the hovedveileder finds the case on the start page's work list
    login(page, live_server.url, "hovedveileder")
    worklist = page.get_by_role("link", name="Tilbakeført fra Alna Aktiv")
    expect(worklist).to_be_visible()
    worklist.click()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Statlige tiltak")
    expect(row).to_contain_text("Søkes inn på arbeidspraksis i kantine.")
    screenshot(page, "tilbakefort-hovedveileder")
    assert serious_axe_violations(page) == []
    row.get_by_role("button", name=re.compile("^Mottatt")).click()
    expect(page.get_by_role("status").filter(has_text="Saken er markert som mottatt")).to_be_visible()
    assert page.console_errors == []

    deltaker.refresh_from_db()
    assert deltaker.status == "avklart"
    vurdering = Arbeidsevnevurdering.objects.get(deltaker=deltaker)
    assert (vurdering.created_by.username, vurdering.signed_by.username) == ("karea", "veileder")
    assert Tilbakeforing.objects.get(deltaker=deltaker).received_by.username == "hovedveileder"
