"""Issue 4's journey in Chromium: a KAREA user maps a participant and drafts the § 14 a
assessment and the plan; a NAV veileder signs the assessment, prints the plan and chooses a route
that hands the case back; the hovedveileder finds it on the start page's work list. Axe-checked."""
import contextlib
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
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
    page.locator("main").get_by_label(re.compile("Søk på navn")).fill(name)
    page.locator("main").get_by_role("button", name="Søk").click()
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
    expect(page.get_by_role("heading", name="Signer arbeidsevnevurderingen (versjon 1)")).to_be_visible()
    expect(page.get_by_text("kan ikke endres etterpå")).to_be_visible()
    assert serious_axe_violations(page) == []  # the confirmation
    page.get_by_role("button", name="Bekreft og signer").click()
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
    expect(page.get_by_role("alert")).to_contain_text("kan ikke endres etterpå")
    page.get_by_role("button", name="Bekreft ruten").click()
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
    row = page.locator("#tilbakeforte li.card").filter(has_text=name)
    expect(row).to_contain_text("Statlige tiltak")
    expect(row).to_contain_text("Søkes inn på arbeidspraksis i kantine.")
    screenshot(page, "tilbakefort-hovedveileder")
    assert serious_axe_violations(page) == []
    row.get_by_role("button", name=re.compile("^Mottatt")).click()
    expect(page.get_by_role("status").filter(has_text="er markert som mottatt")).to_be_visible()
    assert page.console_errors == []

    deltaker.refresh_from_db()
    # The demo participant works in Arbeidsboks during the mapping (issue 14): the route makes her
    # avklart and, the same day, «I aktivitet».
    assert list(deltaker.events.values_list("state", flat=True))[-2:] == ["avklart", "i_aktivitet"]
    vurdering = Arbeidsevnevurdering.objects.get(deltaker=deltaker)
    assert (vurdering.created_by.username, vurdering.signed_by.username) == ("karea", "veileder")
    assert Tilbakeforing.objects.get(deltaker=deltaker).received_by.username == "hovedveileder"


# --- issue 12: messages where the user acted, signing what is on screen, phones -----------------

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def new_page(browser, viewport):
    context = browser.new_context(locale="nb-NO", viewport=viewport)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def assert_in_viewport(page, locator) -> None:
    """What the user must see after an action is on screen without scrolling."""
    expect(locator).to_be_visible()
    # The browser scrolls to an anchor or an autofocused field once the page is laid out.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "element => { const box = element.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }",
            arg=locator.element_handle(), timeout=5000)
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
        f"utenfor skjermen: {box} i {viewport}")
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1


def script_errors(page) -> list[str]:
    """Console errors but Chromium's note on a refused form's page (status 400, by design)."""
    return [error for error in page.console_errors if "status of 400" not in error]


def assert_fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what}: {width} px bred"


def participant(status: str) -> Deltaker:
    return Deltaker.objects.filter(status=status, office__enhetsnummer="0326", person__adressebeskyttelse="ugradert",
                                   person__skjermet=False).order_by("pk").first()


def message(page, section: str, text: str):
    return page.locator(f"#{section}").get_by_role("status").filter(has_text=text)


def test_every_mapping_action_shows_its_message_in_the_viewport(browser, live_server, screenshot, demo_data):
    """1366×768: after each action (and each refusal) what it says is on screen where the user acted."""
    deltaker = participant("mott")
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/kartlegging/")
    page.get_by_role("button", name="Start kartlegging").click()
    assert_in_viewport(page, message(page, "kartlegging", "Kartleggingen er startet."))

    page.get_by_text("Endre kartleggingen").click()
    page.get_by_label("Helse: vurdering").select_option("ressurs")  # without its short assessment
    page.get_by_label("Jobbønsker").fill("Lager på Alnabru")
    page.get_by_role("button", name="Lagre kartleggingen").click()
    error = page.locator("#kartlegging_notat_helse_error")
    assert_in_viewport(page, error)
    expect(error).to_contain_text("Skriv en kort vurdering for «Helse».")
    expect(page.locator("#kartlegging_notat_helse")).to_be_focused()
    expect(page.get_by_label("Jobbønsker")).to_have_value("Lager på Alnabru")
    page.get_by_label("Helse: kort vurdering").fill("God helse.")
    page.get_by_role("button", name="Lagre kartleggingen").click()
    assert_in_viewport(page, message(page, "kartlegging", "Kartleggingen er lagret."))

    page.get_by_label("Planlagte dager").fill("3")
    page.get_by_label("Møtte dager").fill("4")
    page.get_by_label("Kommentar (fravær, årsak)").fill("Syk en dag")
    page.get_by_role("button", name="Registrer uke").click()
    assert_in_viewport(page, page.locator("#kjk_mott_dager_error"))
    expect(page.get_by_label("Kommentar (fravær, årsak)")).to_have_value("Syk en dag")
    page.get_by_label("Møtte dager").fill("2")
    page.get_by_role("button", name="Registrer uke").click()
    assert_in_viewport(page, message(page, "klart-jeg-kan", "Oppmøtet i «Klart jeg kan» er registrert."))

    page.get_by_label("a) Muligheter for å komme i arbeid").fill("Gode muligheter på lager.")
    page.get_by_role("button", name="Lagre utkastet").click()
    assert_in_viewport(page, message(page, "vurdering", "Utkastet til arbeidsevnevurdering er lagret."))

    page.get_by_text("Ny aktivitet", exact=True).click()
    page.get_by_label("Type aktivitet").select_option("kurs")
    page.get_by_label("Beskrivelse").fill("Truckførerkurs")
    page.get_by_label("Fra dato").fill("2027-05-01")
    page.get_by_label("Til dato").fill("2027-04-01")  # before «fra»
    page.get_by_role("button", name="Legg til aktiviteten").click()
    error = page.locator("#aktivitet_til_dato_error")
    assert_in_viewport(page, error)
    expect(error).to_contain_text("Til-dato kan ikke være før fra-dato.")
    expect(page.get_by_label("Beskrivelse")).to_have_value("Truckførerkurs")
    screenshot(page, "kartlegging-aktivitet-avvist")
    assert serious_axe_violations(page) == []
    page.get_by_label("Til dato").fill("2027-06-01")
    page.get_by_role("button", name="Legg til aktiviteten").click()
    assert_in_viewport(page, message(page, "plan", "Aktiviteten er lagt til i planen."))

    page.get_by_label("Rute videre").select_option("aap_ufore")
    page.get_by_role("button", name="Velg ruten").click()  # without a signed assessment and a comment
    assert_in_viewport(page, page.locator("#rute_comment_error"))
    expect(page.locator("#rute").get_by_role("alert")).to_contain_text("Arbeidsevnevurderingen må være signert")
    expect(page.get_by_label("Rute videre")).to_have_value("aap_ufore")
    assert script_errors(page) == []


def test_signing_signs_exactly_what_is_on_screen(browser, live_server, screenshot, demo_data):
    """The draft in the demo has parts a–c; the veileder completes it on screen and signs without saving."""
    deltaker = participant("i_kartlegging")
    saved = Arbeidsevnevurdering.objects.get(deltaker=deltaker)
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/kartlegging/")
    expect(page.get_by_text("Innsatsgruppe: ikke vurdert")).to_be_visible()  # no § 14 a signed yet
    page.get_by_label("d) Om og i hvilken grad arbeidsevnen er nedsatt").fill("Ikke nedsatt av helse.")
    page.get_by_label("e) Hva slags bistand som passer").fill("Arbeidstrening med oppfølging.")
    page.get_by_label("Innsatsgruppe", exact=True).select_option("situasjonsbestemt")
    page.get_by_label("Hovedmål", exact=True).select_option("skaffe_arbeid")
    page.get_by_label("Begrunnelse for innsatsgruppen").fill("Skrevet på skjermen, aldri lagret.")
    page.get_by_role("button", name="Signer vurderingen").click()

    expect(page.get_by_role("heading", name=re.compile("^Signer arbeidsevnevurderingen"))).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("kan ikke endres etterpå")
    expect(page.locator(".confirm-summary")).to_contain_text("Situasjonsbestemt innsats")
    expect(page.locator(".confirm-summary")).to_contain_text("Skrevet på skjermen, aldri lagret.")
    screenshot(page, "signer-bekreftelse")
    assert serious_axe_violations(page) == []
    saved.refresh_from_db()
    assert saved.status == "utkast" and saved.begrunnelse == ""  # nothing until «Bekreft»

    page.get_by_role("button", name="Tilbake til utkastet uten å signere").click()  # back: still filled in
    expect(page.get_by_label("Begrunnelse for innsatsgruppen")).to_have_value("Skrevet på skjermen, aldri lagret.")
    page.get_by_label("Begrunnelse for innsatsgruppen").fill("Rettet etter å ha sett bekreftelsen.")
    page.get_by_role("button", name="Signer vurderingen").click()
    page.get_by_role("button", name="Bekreft og signer").click()
    assert_in_viewport(page, message(page, "vurdering", "Vurderingen er signert."))
    expect(page.get_by_text("Innsatsgruppe: Situasjonsbestemt innsats")).to_be_visible()

    saved.refresh_from_db()
    assert saved.status == "signert" and saved.signed_by.username == "veileder"
    assert saved.begrunnelse == "Rettet etter å ha sett bekreftelsen."
    assert (saved.del_d, saved.del_e, saved.hovedmal) == ("Ikke nedsatt av helse.", "Arbeidstrening med oppfølging.",
                                                          "skaffe_arbeid")
    assert script_errors(page) == []


def test_a_rejected_signing_keeps_the_begrunnelse(browser, live_server, demo_data):
    deltaker = participant("i_kartlegging")
    page = new_page(browser, DESKTOP)
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/kartlegging/")
    page.get_by_label("Innsatsgruppe", exact=True).select_option("spesielt_tilpasset")
    page.get_by_label("Begrunnelse for innsatsgruppen").fill("Viktig begrunnelse som ikke må forsvinne.")
    page.get_by_role("button", name="Signer vurderingen").click()  # parts d and e are still empty
    assert_in_viewport(page, page.locator(":focus"))
    expect(page.locator("#vurdering_del_d")).to_be_focused()
    expect(page.locator("#vurdering_del_d_error")).to_contain_text("Fyll ut «d)")
    expect(page.get_by_label("Begrunnelse for innsatsgruppen")).to_have_value("Viktig begrunnelse som ikke må forsvinne.")
    assert Arbeidsevnevurdering.objects.get(deltaker=deltaker).status == "utkast"


def test_the_mapping_page_and_the_hand_back_list_fit_a_phone(browser, live_server, screenshot, demo_data):
    """390×844: no sideways scrolling; «Mottatt» is undone with a reason that the list then shows."""
    page = new_page(browser, PHONE)
    login(page, live_server.url, "veileder")
    for status in ("mott", "i_kartlegging", "avklart"):
        page.goto(f"{live_server.url}/deltakere/{participant(status).pk}/kartlegging/")
        for summary in page.locator("details > summary").all():
            summary.click()  # the forms open as well
        assert_fits(page, f"kartlegging ({status})")
        screenshot(page, f"kartlegging-{status}-390")
    assert script_errors(page) == []

    page = new_page(browser, PHONE)
    login(page, live_server.url, "hovedveileder")
    page.goto(f"{live_server.url}/deltakere/tilbakeforte/")
    assert_fits(page, "tilbakeførte")
    card = page.locator("#tilbakeforte li.card").first
    name = card.get_by_role("heading").inner_text()
    card.get_by_role("button", name=re.compile("^Mottatt")).click()
    assert_in_viewport(page, message(page, "tilbakeforte", "er markert som mottatt"))
    received = page.locator("#mottatt li.card").filter(has_text=name)
    received.get_by_text("Angre «Mottatt»").first.click()
    received.get_by_role("button", name=re.compile("^Angre «Mottatt»")).click()  # no reason
    expect(page.get_by_label("Hvorfor angres «Mottatt»?")).to_be_focused()
    received = page.locator("#mottatt li.card").filter(has_text=name)
    received.get_by_label("Hvorfor angres «Mottatt»?").fill("Trykket på feil sak.")
    received.get_by_role("button", name=re.compile("^Angre «Mottatt»")).click()
    assert_in_viewport(page, message(page, "mottatt", "«Mottatt» er angret"))
    back = page.locator("#tilbakeforte li.card").filter(has_text=name)
    expect(back).to_contain_text("ble angret")
    expect(back).to_contain_text("Begrunnelse: Trykket på feil sak.")
    assert_fits(page, "tilbakeførte etter angring")
    screenshot(page, "tilbakefort-390")
    assert serious_axe_violations(page) == []
    assert script_errors(page) == []
