"""KAREA's Arbeidsboks in a real browser: a participant with an attendance vilkår is placed in
a full work area and lands on its waiting list; a place frees up and the participant gets it;
the week's attendance is registered for the whole work area and the vedtak unit sees it on the
vilkår. Issue 12: a refused placement or week keeps what was typed with the error at its field
and the focus there; a saved week and a running placement are corrected with a reason (the
vilkår's attendance list follows, the history shows who, when and why); the hovedveileder meets
no dead link; every Arbeidsboks page fits a 390 px phone for every role that opens it. No
console errors, no serious axe violations."""
import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from alnaaktiv.actor import Actor
from alnaaktiv.models import User
from arbeidsboks import services
from arbeidsboks.models import Arbeidsomrade, Frammote, Plassering, Virksomhet
from cases.models import Deltaker
from tests import arbeidsboks_data as data
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(transactional_db):
    # The live server runs in this process: the journey happens on Wednesday 4 March 2026.
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=True):
        call_command("seed_demo", verbosity=0)

        users = {user.username: user for user in User.objects.all()}
        enterprise = Virksomhet.objects.get(navn="Hjemmetjenesten")
        area = Arbeidsomrade.objects.create(virksomhet=enterprise, navn="Vaskeri", kapasitet=1,
                                            normal_timer_per_uke=20, laeringsinnhold="Vask, stryking og logistikk")
        free = Deltaker.objects.filter(office__enhetsnummer="0326", sak__isnull=False, plasseringer__isnull=True,
                                       status__in=["mott", "i_kartlegging", "avklart", "i_aktivitet"],
                                       person__adressebeskyttelse="ugradert", person__skjermet=False).order_by("id")
        holder, participant = free[0], free[1]
        occupying = data.place(holder, area, users["karea"])
        vilkar = data.attendance_vilkar(participant, users["vedtak"])
        yield {"area": area, "participant": participant, "occupying": occupying, "vilkar": vilkar, "users": users,
               "holder": holder}


def test_karea_places_from_the_waiting_list_and_attendance_documents_the_vilkar(page, live_server, screenshot, journey):
    participant, area = journey["participant"], journey["area"]
    name = participant.person.navn
    login(page, live_server.url, "karea")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Arbeidsboks").click()
    expect(page.get_by_role("heading", name="Arbeidsboks", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="Vaskeri")).to_contain_text("1 av 1")
    screenshot(page, "arbeidsboks-oversikt")
    assert serious_axe_violations(page) == []

    # KAREA places the participant in the full work area: the waiting list
    page.goto(f"{live_server.url}/deltakere/{participant.pk}/")
    page.get_by_role("link", name="Plasser i Arbeidsboks").click()
    expect(page.get_by_role("heading", name=f"Plasser {name} i Arbeidsboks")).to_be_visible()
    page.get_by_label("Arbeidsområde").select_option(str(area.pk))
    page.get_by_label("Planlagt sluttdato").fill("2026-05-29")
    page.get_by_label("Timer per uke").fill("20")
    page.get_by_label("Veileder på arbeidsstedet").fill("Vigdis Vaskeri")
    page.get_by_label("Mål for plasseringen").fill("Faste rutiner og presist oppmøte")
    page.get_by_label("Oppmøtevilkår som frammøtet dokumenterer").select_option(str(journey["vilkar"].pk))
    page.get_by_label("Jeg bekrefter at plasseringen ikke fortrenger ordinær arbeidskraft").check()
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Lagre plassering").click()
    expect(page.get_by_text(f"Arbeidsområdet er fullt. {name} står som nummer 1 på ventelisten")).to_be_visible()
    expect(page.get_by_text("På venteliste", exact=True)).to_be_visible()
    screenshot(page, "arbeidsboks-venteliste")
    waiting = Plassering.objects.get(deltaker=participant, arbeidsomrade=area)

    # A place frees up: the placement holding it ends, and the first on the waiting list gets it
    page.goto(f"{live_server.url}/arbeidsboks/plasseringer/{journey['occupying'].pk}/")
    page.get_by_label("Fullført").check()
    page.get_by_label("Sluttårsak").select_option("fatt_jobb")
    page.get_by_role("button", name="Avslutt plasseringen").click()
    expect(page.get_by_text("Plasseringen er avsluttet.")).to_be_visible()
    page.get_by_role("link", name="Vaskeri").first.click()
    expect(page.get_by_role("row", name=name)).to_contain_text("Planlagt")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Start plasseringen").click()
    expect(page.get_by_text("Plasseringen er startet.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "aktiv"

    # The week's attendance for the whole work area
    page.get_by_role("link", name="Frammøte for hele arbeidsområdet").click()
    page.get_by_role("link", name="Neste uke").click()
    expect(page.get_by_role("heading", name="Frammøte uke 10")).to_be_visible()
    page.get_by_label(f"Møtte timer for {name}").fill("12")
    page.get_by_label(f"Planlagte dager for {name}").fill("3")
    page.get_by_label(f"Møtte dager for {name}").fill("2")
    page.get_by_label(f"Grunn til fravær for {name}").fill("Syk onsdag")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Lagre frammøte for uke 10").click()
    expect(page.get_by_text("Frammøtet for uke 10 er registrert for 1 deltaker, og dokumenterer 1 oppmøtevilkår.")).to_be_visible()
    expect(page.get_by_text("Dokumentert på vilkåret")).to_be_visible()
    screenshot(page, "arbeidsboks-frammote")
    assert page.console_errors == []

    # The vedtak unit sees the week on the vilkår, absence included
    page.context.clear_cookies()
    login(page, live_server.url, "vedtak")
    page.goto(f"{live_server.url}/vilkar/vedtak/{journey['vilkar'].vedtak_id}/")
    expect(page.get_by_text("2 av 3 dager møtt, fravær 1 dag (0 godkjent, 1 ikke godkjent)")).to_be_visible()
    screenshot(page, "arbeidsboks-vilkar-dokumentert")
    assert page.console_errors == []


def _console_errors(page) -> list[str]:
    """Console errors, less Chromium's note that a refused form came back as 400 (on purpose)."""
    return [error for error in page.console_errors if "status of 400" not in error]


def _focused(page, name: str):
    return expect(page.locator(f'[name="{name}"]')).to_be_focused()


def test_a_refused_placement_and_a_refused_week_keep_what_was_typed(page, live_server, screenshot, journey):
    participant, area, holder = journey["participant"], journey["area"], journey["holder"]
    login(page, live_server.url, "karea")
    page.goto(f"{live_server.url}/arbeidsboks/deltakere/{participant.pk}/plassering/")
    page.get_by_label("Arbeidsområde").select_option(str(area.pk))
    page.get_by_label("Planlagt sluttdato").fill("2026-03-01")  # before the start date, today
    page.get_by_label("Timer per uke").fill("17,5")
    page.get_by_label("Veileder på arbeidsstedet").fill("Vigdis Vaskeri")
    page.get_by_label("Mål for plasseringen").fill("Faste rutiner og presist oppmøte")
    page.get_by_label("Jeg bekrefter at plasseringen ikke fortrenger ordinær arbeidskraft").check()
    page.get_by_role("button", name="Lagre plassering").click()
    end = page.get_by_label("Planlagt sluttdato")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Planlagt sluttdato kan ikke være før startdatoen.")).to_be_visible()
    _focused(page, "planlagt_slutt")
    expect(end).to_have_value("2026-03-01")
    expect(page.get_by_label("Timer per uke")).to_have_value("17,5")
    expect(page.get_by_label("Veileder på arbeidsstedet")).to_have_value("Vigdis Vaskeri")
    expect(page.get_by_label("Mål for plasseringen")).to_have_value("Faste rutiner og presist oppmøte")
    expect(page.get_by_label("Jeg bekrefter at plasseringen ikke fortrenger ordinær arbeidskraft")).to_be_checked()
    screenshot(page, "arbeidsboks-plassering-avvist")
    assert serious_axe_violations(page) == []
    assert not Plassering.objects.filter(deltaker=participant).exists()

    # A week with absence but no reason: every typed number stays, the reason field is marked
    name = holder.person.navn
    page.goto(f"{live_server.url}/arbeidsboks/omrader/{area.pk}/frammote/?uke=2026-02-23")
    page.get_by_label(f"Møtte timer for {name}").fill("12,5")
    page.get_by_label(f"Møtte dager for {name}").fill("3")
    page.get_by_role("button", name="Lagre frammøte for uke 9").click()
    reason = page.get_by_label(f"Grunn til fravær for {name}")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(f"{name}: skriv grunnen til fraværet.")).to_be_visible()
    _focused(page, f"p{journey['occupying'].pk}-fravaer_grunn")
    expect(page.get_by_label(f"Møtte timer for {name}")).to_have_value("12,5")
    expect(page.get_by_label(f"Møtte dager for {name}")).to_have_value("3")
    screenshot(page, "arbeidsboks-frammote-avvist")
    assert serious_axe_violations(page) == []
    assert not Frammote.objects.filter(plassering=journey["occupying"]).exists()
    reason.fill("Syk")
    page.get_by_role("button", name="Lagre frammøte for uke 9").click()
    message = page.get_by_text("Frammøtet for uke 9 er registrert for 1 deltaker.")
    expect(message).to_be_in_viewport()
    assert Frammote.objects.get(plassering=journey["occupying"]).oppmotte_timer == 12.5
    assert _console_errors(page) == []


def test_a_saved_week_is_corrected_and_the_attendance_list_on_the_vilkar_follows(page, live_server, screenshot,
                                                                                 journey):
    participant, users = journey["participant"], journey["users"]
    second = Arbeidsomrade.objects.create(virksomhet=journey["area"].virksomhet, navn="Strykeri", kapasitet=2,
                                          normal_timer_per_uke=20)
    placement = data.place(participant, second, users["karea"], vilkar=journey["vilkar"])
    services.attendance_register_week(arbeidsomrade=second, uke=data.LAST_WEEK, actor=Actor.for_user(users["karea"]),
                                      rows=[{"plassering": placement.pk, "oppmotte_timer": "20", "oppmotte_dager": 5}])
    login(page, live_server.url, "karea")
    page.goto(f"{live_server.url}/arbeidsboks/plasseringer/{placement.pk}/")
    page.get_by_role("link", name="Rett uke 9").click()
    expect(page.get_by_role("heading", name=re.compile("Rett frammøte uke 9"))).to_be_visible()
    page.get_by_label("Møtte dager").fill("3")
    page.get_by_label("Møtte timer").fill("25")  # more than the 20 planned
    page.get_by_label("Grunn til fravær").fill("Syk tirsdag og onsdag")
    page.get_by_label("Hvorfor retter du?").fill("Timelisten fra Strykeri kom i ettertid")
    page.get_by_role("button", name="Lagre rettingen").click()
    expect(page.get_by_text("møtte timer er flere enn planlagte timer")).to_be_visible()
    _focused(page, "oppmotte_timer")
    expect(page.get_by_label("Møtte dager")).to_have_value("3")
    expect(page.get_by_label("Grunn til fravær")).to_have_value("Syk tirsdag og onsdag")
    expect(page.get_by_label("Hvorfor retter du?")).to_have_value("Timelisten fra Strykeri kom i ettertid")
    assert Frammote.objects.get(plassering=placement).oppmotte_dager == 5
    page.get_by_label("Møtte timer").fill("12")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Lagre rettingen").click()
    expect(page.get_by_text("Frammøtet for uke 9 er rettet.")).to_be_in_viewport()
    history = page.locator("#endringer")
    expect(history).to_contain_text("Frammøte uke 9 rettet")
    expect(history).to_contain_text("av Kari KAREA")
    expect(history).to_contain_text("Møtte dager: 5 → 3")
    expect(history).to_contain_text("Begrunnelse: Timelisten fra Strykeri kom i ettertid")
    screenshot(page, "arbeidsboks-frammote-rettet")
    assert serious_axe_violations(page) == []
    assert _console_errors(page) == []

    page.context.clear_cookies()
    login(page, live_server.url, "vedtak")
    page.goto(f"{live_server.url}/vilkar/vedtak/{journey['vilkar'].vedtak_id}/")
    expect(page.get_by_text(re.compile("3 av 5 dager møtt"))).to_be_visible()


def test_a_running_placement_is_corrected_and_the_attendance_vilkar_linked_later(page, live_server, screenshot,
                                                                                 journey):
    holder, users, placement = journey["holder"], journey["users"], journey["occupying"]
    services.attendance_register_week(arbeidsomrade=journey["area"], uke=data.LAST_WEEK,
                                      actor=Actor.for_user(users["karea"]),
                                      rows=[{"plassering": placement.pk, "oppmotte_timer": "20", "oppmotte_dager": 5}])
    vilkar = data.attendance_vilkar(holder, users["vedtak"])
    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/arbeidsboks/plasseringer/{placement.pk}/")
    page.get_by_role("link", name="Rett plasseringen").click()
    page.get_by_label("Timer per uke").fill("15")
    page.get_by_label("Veileder på arbeidsstedet").fill("Kari Kontaktperson")
    page.get_by_label("Oppmøtevilkår som frammøtet dokumenterer").select_option(str(vilkar.pk))
    page.get_by_label("Startdato").fill("2026-03-20")  # a running placement cannot start in the future
    page.get_by_label("Hvorfor retter du?").fill("Ny kontaktperson og færre timer fra mars")
    page.get_by_role("button", name="Lagre rettingen").click()
    expect(page.get_by_text("Plasseringen er startet, så startdatoen kan ikke være fram i tid.")).to_be_visible()
    _focused(page, "startdato")
    expect(page.get_by_label("Veileder på arbeidsstedet")).to_have_value("Kari Kontaktperson")
    expect(page.get_by_label("Hvorfor retter du?")).to_have_value("Ny kontaktperson og færre timer fra mars")
    page.get_by_label("Startdato").fill("2026-02-02")
    page.get_by_role("button", name="Lagre rettingen").click()
    expect(page.get_by_text("Plasseringen er rettet.")).to_be_in_viewport()
    expect(page.locator("#plassering")).to_contain_text("Kari Kontaktperson")
    expect(page.locator("#frammote")).to_contain_text("Dokumentert")
    history = page.locator("#endringer")
    expect(history).to_contain_text("Timer per uke: 20 → 15")
    expect(history).to_contain_text("1 uke med frammøte dokumenterer nå oppmøtevilkåret.")
    expect(history).to_contain_text("av Vera Veileder")
    screenshot(page, "arbeidsboks-plassering-rettet")
    assert serious_axe_violations(page) == []
    assert _console_errors(page) == []


def _main_links(page) -> list[str]:
    return page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")


def test_the_hovedveileder_meets_no_dead_link_from_a_placement(page, live_server, screenshot, journey):
    holder = journey["holder"]
    login(page, live_server.url, "hovedveileder")
    page.goto(f"{live_server.url}/deltakere/{holder.pk}/")
    page.get_by_role("link", name=re.compile("Arbeidstrening: Hjemmetjenesten, Vaskeri")).click()
    expect(page.get_by_role("heading", name="Arbeidstrening: Hjemmetjenesten, Vaskeri")).to_be_visible()
    links = _main_links(page)
    assert not any("/arbeidsboks/omrader/" in link for link in links)
    for link in links:
        assert page.request.get(f"{live_server.url}{link}").status == 200, link
    screenshot(page, "arbeidsboks-plassering-hovedveileder")
    assert _console_errors(page) == []


@pytest.mark.parametrize("role", ["karea", "veileder", "prosjektleder", "hovedveileder"])
def test_every_arbeidsboks_page_fits_a_390_px_phone(browser, live_server, journey, screenshot, role):
    placement, area, participant = journey["occupying"], journey["area"], journey["participant"]
    users = journey["users"]
    [week] = services.attendance_register_week(arbeidsomrade=area, uke=data.LAST_WEEK,
                                               actor=Actor.for_user(users["karea"]),
                                               rows=[{"plassering": placement.pk, "oppmotte_timer": "16",
                                                      "oppmotte_dager": 4, "fravaer_grunn": "Legetime"}])
    services.attendance_correct(frammote=week, actor=Actor.for_user(users["karea"]), oppmotte_timer="12",
                                oppmotte_dager=3, fravaer_grunn="Legetime og syk", begrunnelse="Rettet etter timelisten")
    pages = ["/arbeidsboks/", f"/arbeidsboks/omrader/{area.pk}/", f"/arbeidsboks/omrader/{area.pk}/frammote/",
             f"/arbeidsboks/omrader/{area.pk}/frammote/?uke=2026-02-23",
             f"/arbeidsboks/plasseringer/{placement.pk}/", f"/arbeidsboks/plasseringer/{placement.pk}/endre/",
             f"/arbeidsboks/frammote/{week.pk}/rett/", f"/arbeidsboks/deltakere/{participant.pk}/plassering/",
             f"/arbeidsboks/deltakere/{participant.pk}/tiltak/"]
    context = browser.new_context(locale="nb-NO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, live_server.url, role)
        opened = 0
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            if response.status != 200:
                assert response.status == 403, f"{role} {path}: {response.status}"
                continue
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                print("WIDE", path, page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""))
            assert width <= 390, f"{role} {path}: {width} px bred"
        assert opened
        page.goto(f"{live_server.url}/arbeidsboks/plasseringer/{placement.pk}/")
        screenshot(page, f"arbeidsboks-390-plassering-{role}")
    finally:
        context.close()
