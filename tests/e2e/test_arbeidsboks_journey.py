"""KAREA's Arbeidsboks in a real browser: a participant with an attendance vilkår is placed in
a full work area and lands on its waiting list; a place frees up and the participant gets it;
the week's attendance is registered for the whole work area and the vedtak unit sees it on the
vilkår. No console errors, no serious axe violations."""
import datetime

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from arbeidsboks.models import Arbeidsomrade, Plassering, Virksomhet
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
        from alnaaktiv.models import User

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
        yield {"area": area, "participant": participant, "occupying": occupying, "vilkar": vilkar}


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
    expect(page.get_by_text("2 av 3 dager møtt, fravær 1 dager (0 godkjent, 1 ikke godkjent)")).to_be_visible()
    screenshot(page, "arbeidsboks-vilkar-dokumentert")
    assert page.console_errors == []
