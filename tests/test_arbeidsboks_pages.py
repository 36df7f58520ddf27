"""Arbeidsboks pages: the overview with its lists and a fixed number of queries, placing from
the participant page (the waiting list when full), the week's attendance for a whole work area
documenting the vilkår, ending a placement, evaluations on the participant page, state measures."""
import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import services
from arbeidsboks.models import Arbeidsomrade, Frammote, Plassering, StatligTiltak, Virksomhet
from conditions.models import Dokumentasjon
from tests import arbeidsboks_data as data
from tests.html import section


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _field_html(body: str, name: str) -> str:
    """The field's input and what follows it up to the next field: its errors."""
    after = body.split(f'name="{name}"', 1)[1]
    before = body.split(f'name="{name}"', 1)[0].rsplit("<", 1)[1]
    return before + after.split('name="', 1)[0]


def _placement_post(area, **extra):
    return {"arbeidsomrade": area.pk, "kind": "arbeidstrening", "startdato": "2026-03-04",
            "planlagt_slutt": "2026-06-01", "timer_per_uke": "20", "dager_per_uke": "5",
            "veileder_pa_stedet": "Ola Arbeidsleder", "mal": "Lære rutiner", "ikke_fortrengning": "on", **extra}


def test_overview_shows_capacity_waiting_lists_ending_and_missing_attendance(client, users, alna, stovner,
                                                                             django_assert_num_queries):
    karea = users["karea"]
    area = data.area(alna, kapasitet=1)
    ending = data.place(data.deltaker(alna), area, karea, end=datetime.date(2026, 3, 10))
    waiting = data.place(data.deltaker(alna), area, karea)
    other = data.area(stovner, virksomhet="Stovner kafé")
    data.place(data.deltaker(stovner), other, users["karea"])
    client.force_login(karea)
    client.get(reverse("arbeidsboks-overview"))
    # session, user, memberships, savepoints; enterprises with areas and network, waiting,
    # ending, missing attendance, earmarked places, offices
    with django_assert_num_queries(16):
        body = client.get(reverse("arbeidsboks-overview")).content.decode()
    assert "1 av 1" in body and "fullt" in body
    assert ending.deltaker.person.navn in body and waiting.deltaker.person.navn in body
    assert 'id="venteliste"' in body and "Frammøte ikke registrert for uke 9" in body
    assert "Stovner kafé" not in body
    assert not AuditEntry.objects.filter(action="read").exists()  # a list is not logged


def test_karea_places_a_participant_and_a_full_area_puts_the_next_on_the_waiting_list(client, users, alna):
    area = data.area(alna, kapasitet=1)
    first, second = data.deltaker(alna), data.deltaker(alna)
    client.force_login(users["karea"])
    response = client.post(reverse("placement-create", args=[first.pk]), _placement_post(area), follow=True)
    assert "er plassert (aktiv)" in response.content.decode()
    response = client.post(reverse("placement-create", args=[second.pk]), _placement_post(area), follow=True)
    assert "står som nummer 1 på ventelisten" in response.content.decode()
    assert Plassering.objects.get(deltaker=second).status == "venteliste"


def test_placing_without_the_displacement_confirmation_is_refused_and_writes_nothing(client, users, alna):
    area = data.area(alna)
    deltaker = data.deltaker(alna)
    client.force_login(users["veileder"])
    post = _placement_post(area, veileder_pa_stedet="Vigdis Vaskeri", mal="Faste rutiner hver morgen")
    del post["ikke_fortrengning"]
    response = client.post(reverse("placement-create", args=[deltaker.pk]), post)
    body = response.content.decode()
    assert response.status_code == 400
    # what was typed is on the page again, the error at the checkbox it is about
    assert 'value="Vigdis Vaskeri"' in body and "Faste rutiner hver morgen</textarea>" in body
    assert "Bekreft at plasseringen ikke fortrenger ordinær arbeidskraft." in _field_html(body, "ikke_fortrengning")
    assert not Plassering.objects.exists()


def test_a_placement_ending_before_it_starts_is_refused_at_the_end_date_with_every_value_kept(client, users, alna):
    area = data.area(alna)
    deltaker = data.deltaker(alna)
    client.force_login(users["karea"])
    response = client.post(reverse("placement-create", args=[deltaker.pk]),
                           _placement_post(area, planlagt_slutt="2026-03-01", timer_per_uke="17,5"))
    body = response.content.decode()
    assert response.status_code == 400
    end = _field_html(body, "planlagt_slutt")
    assert 'value="2026-03-01"' in end and 'aria-invalid="true"' in end and "autofocus" in end
    assert "Planlagt sluttdato kan ikke være før startdatoen." in end
    assert 'value="17,5"' in body and f'<option value="{area.pk}" selected>' in body
    assert "Det du sendte ble ikke lagret" in body.split('id="plassering"')[1]
    assert not Plassering.objects.exists()


def test_a_weeks_attendance_for_the_whole_area_documents_the_vilkar(client, users, alna):
    karea = users["karea"]
    area = data.area(alna)
    with_vilkar, plain = data.deltaker(alna), data.deltaker(alna)
    vilkar = data.attendance_vilkar(with_vilkar, users["vedtak"])
    first = data.place(with_vilkar, area, karea, vilkar=vilkar)
    second = data.place(plain, area, karea)
    client.force_login(karea)
    url = reverse("workarea-attendance", args=[area.pk]) + "?uke=2026-02-25"
    page = client.get(url).content.decode()
    assert "Frammøte uke 9" in page and f'for="p{first.pk}-oppmotte_timer"' in page
    assert AuditEntry.objects.filter(action="read", object_type="arbeidsboks.plassering").count() == 2
    response = client.post(url, {
        f"p{first.pk}-oppmotte_timer": "16", f"p{first.pk}-oppmotte_dager": "4",
        f"p{first.pk}-fravaer_godkjent_dager": "1", f"p{first.pk}-fravaer_grunn": "Legetime",
        f"p{second.pk}-oppmotte_timer": "20,0", f"p{second.pk}-oppmotte_dager": "5",
    }, follow=True)
    body = response.content.decode()
    assert "registrert for 2 deltakere, og dokumenterer 1 oppmøtevilkår" in body
    assert "Dokumentert på vilkåret" in body
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.oppmotte_dager, document.fravaer_godkjent, document.fravaer_ikke_godkjent) == (4, 1, 0)
    assert Frammote.objects.get(plassering=second).oppmotte_timer == 20


def test_the_attendance_page_runs_a_fixed_number_of_queries(client, users, alna, django_assert_num_queries):
    area = data.area(alna, kapasitet=20)
    data.place(data.deltaker(alna), area, users["karea"])
    client.force_login(users["karea"])
    url = reverse("workarea-attendance", args=[area.pk]) + "?uke=2026-02-23"
    client.get(url)
    with django_assert_num_queries(12) as first:
        client.get(url)
    for _ in range(5):
        data.place(data.deltaker(alna), area, users["karea"])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
    assert AuditEntry.objects.filter(action="read").count() == 1 + 1 + 6


def test_a_half_filled_attendance_line_is_refused_and_nothing_is_written(client, users, alna):
    area = data.area(alna)
    placement = data.place(data.deltaker(alna), area, users["karea"])
    client.force_login(users["karea"])
    response = client.post(reverse("workarea-attendance", args=[area.pk]) + "?uke=2026-02-23",
                           {f"p{placement.pk}-oppmotte_timer": "tjue", f"p{placement.pk}-oppmotte_dager": "5"})
    body = response.content.decode()
    assert response.status_code == 400
    hours = _field_html(body, f"p{placement.pk}-oppmotte_timer")
    assert 'value="tjue"' in hours and 'aria-invalid="true"' in hours  # what was typed in is shown again
    assert f'id="p{placement.pk}-oppmotte_timer_error"' in body
    assert not Frammote.objects.exists()


def test_a_refused_week_keeps_every_typed_line_and_marks_the_line_that_is_wrong(client, users, alna):
    karea = users["karea"]
    area = data.area(alna)
    right, wrong = data.place(data.deltaker(alna), area, karea), data.place(data.deltaker(alna), area, karea)
    client.force_login(karea)
    response = client.post(reverse("workarea-attendance", args=[area.pk]) + "?uke=2026-02-23", {
        f"p{right.pk}-oppmotte_timer": "20", f"p{right.pk}-oppmotte_dager": "5",
        f"p{wrong.pk}-oppmotte_timer": "12,5", f"p{wrong.pk}-oppmotte_dager": "3",
    })
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="20"' in _field_html(body, f"p{right.pk}-oppmotte_timer")
    assert 'value="12,5"' in _field_html(body, f"p{wrong.pk}-oppmotte_timer")
    reason = _field_html(body, f"p{wrong.pk}-fravaer_grunn")
    assert 'aria-invalid="true"' in reason and "autofocus" in reason
    assert f"{wrong.deltaker.person.navn}: skriv grunnen til fraværet." in body
    assert 'aria-invalid' not in _field_html(body, f"p{right.pk}-oppmotte_timer")
    assert not Frammote.objects.exists()


def test_ending_a_placement_gives_the_place_to_the_first_waiting(client, users, alna):
    karea = users["karea"]
    area = data.area(alna, kapasitet=1)
    placed = data.place(data.deltaker(alna), area, karea)
    waiting = data.place(data.deltaker(alna), area, karea)
    client.force_login(karea)
    refused = client.post(reverse("placement-end", args=[placed.pk]), {
        "status": "avbrutt", "sluttdato": "2026-03-04", "sluttarsak": "syk", "sluttarsak_tekst": "Influensa"})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Fritekst brukes bare med sluttårsaken «Annet»." in _field_html(body, "sluttarsak_tekst")
    assert "Influensa</textarea>" in body and '<option value="syk" selected>' in body
    placed.refresh_from_db()
    assert placed.status == "aktiv"
    client.post(reverse("placement-end", args=[placed.pk]),
                {"status": "fullfort", "sluttdato": "2026-03-04", "sluttarsak": "fatt_jobb"})
    waiting.refresh_from_db()
    assert waiting.status == "planlagt"


def test_the_participant_page_shows_placements_and_the_newest_evaluation(client, users, alna):
    karea = users["karea"]
    deltaker = data.deltaker(alna)
    placement = data.place(deltaker, data.area(alna), karea)
    services.evaluation_create(plassering=placement, actor=Actor.for_user(karea), dato=datetime.date(2026, 3, 1), punktlighet=2,
                               samarbeid=3, sprak=3, ferdigheter=3, initiativ=3)
    client.force_login(users["karea"])
    response = client.post(reverse("evaluation-create", args=[placement.pk]), {
        "dato": "2026-03-04", "punktlighet": "5", "samarbeid": "4", "sprak": "3", "ferdigheter": "4",
        "initiativ": "4", "kommentar": "Møter presist"}, follow=True)
    assert "Evalueringen er lagret." in response.content.decode()
    client.force_login(users["hovedveileder"])
    body = client.get(reverse("participant-detail", args=[deltaker.pk])).content.decode()
    assert "Arbeidsboks og tiltak" in body
    assert "Siste evaluering 04.03.2026: punktlighet 5" in body
    assert "Plasser i Arbeidsboks" not in body  # the hovedveileder reads


def test_placement_page_is_audited_and_readable_by_the_project_leader(client, users, alna):
    placement = data.place(data.deltaker(alna), data.area(alna), users["karea"])
    client.force_login(users["prosjektleder"])
    body = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "Avslutt plasseringen" not in body
    entry = AuditEntry.objects.get(action="read", object_type="arbeidsboks.plassering")
    assert entry.person_fnr == placement.deltaker.person.fnr


def test_state_measures_are_recorded_with_provider_and_earmarked_places_counted(client, users, alna):
    deltaker = data.deltaker(alna)
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("state-measures", args=[deltaker.pk]), {
        "type": "arbeid_med_bistand", "leverandor": "Alna Bistand AS", "fra": "2026-03-01", "oremerket": "on"},
        follow=True)
    assert "1 av 20 øremerkede plasser" in response.content.decode()
    refused = client.post(reverse("state-measures", args=[deltaker.pk]), {
        "type": "kvp", "leverandor": "NAV Alna Kvalifisering", "fra": "2026-03-01", "oremerket": "on"})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Bare arbeid med bistand har øremerkede plasser." in _field_html(body, "oremerket")
    assert 'value="NAV Alna Kvalifisering"' in body
    assert StatligTiltak.objects.count() == 1


def test_a_protected_participant_is_left_out_of_the_overview(client, users, alna):
    deltaker = data.deltaker(alna)
    deltaker.person.adressebeskyttelse = "fortrolig"
    deltaker.person.save()
    placement = data.place(deltaker, data.area(alna, kapasitet=0), users["karea"])
    client.force_login(users["karea"])
    body = client.get(reverse("arbeidsboks-overview")).content.decode()
    assert "Skjermet person" not in body and deltaker.person.navn not in body
    assert client.get(reverse("placement-detail", args=[placement.pk])).status_code == 404


def test_seed_demo_gives_the_district_enterprises_placements_and_a_waiting_list_once(db):
    call_command("seed_demo", verbosity=0)
    counts = (Virksomhet.objects.count(), Arbeidsomrade.objects.count(), Plassering.objects.count(),
              Frammote.objects.count(), StatligTiltak.objects.count())
    assert Virksomhet.objects.filter(navn="Alna renhold og tekniske", office__enhetsnummer="0326").exists()
    assert Plassering.objects.filter(status="venteliste").count() == 1
    assert Plassering.objects.filter(status="aktiv").count() >= 3
    assert Frammote.objects.filter(dokumentasjon__isnull=False).exists() or Frammote.objects.exists()
    call_command("seed_demo", verbosity=0)
    assert (Virksomhet.objects.count(), Arbeidsomrade.objects.count(), Plassering.objects.count(),
            Frammote.objects.count(), StatligTiltak.objects.count()) == counts


def test_a_saved_evaluation_is_announced_in_the_evaluationssection(client, users, alna):
    placement = data.place(data.deltaker(alna), data.area(alna), users["karea"])
    client.force_login(users["karea"])
    response = client.post(reverse("evaluation-create", args=[placement.pk]), {
        "dato": "2026-03-04", "punktlighet": "5", "samarbeid": "4", "sprak": "3", "ferdigheter": "4", "initiativ": "4"})
    assert response.url == reverse("placement-detail", args=[placement.pk]) + "#evalueringer"
    body = client.get(response.url).content.decode()
    assert "Evalueringen er lagret." in section(body, "evalueringer")


def test_a_refused_evaluation_keeps_the_scores_and_the_comment(client, users, alna):
    placement = data.place(data.deltaker(alna), data.area(alna), users["karea"])
    client.force_login(users["karea"])
    response = client.post(reverse("evaluation-create", args=[placement.pk]), {
        "dato": "2026-01-01", "punktlighet": "5", "samarbeid": "4", "sprak": "3", "ferdigheter": "4", "initiativ": "2",
        "kommentar": "Kom presist hver dag"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "mellom startdatoen og i dag" in _field_html(body, "dato")
    assert "Kom presist hver dag</textarea>" in body and '<option value="2" selected>' in body
    assert "Det du sendte ble ikke lagret" in section(body, "ny-evaluering")
    assert not placement.evalueringer.exists()


def test_offering_free_places_says_how_many_in_the_waiting_listsection(client, users, alna):
    area = data.area(alna, kapasitet=1)
    data.place(data.deltaker(alna), area, users["karea"])
    data.place(data.deltaker(alna), area, users["karea"])
    area.kapasitet = 2
    area.save()
    client.force_login(users["karea"])
    response = client.post(reverse("waitlist-offer", args=[area.pk]))
    assert response.url.endswith("#venteliste")
    assert "1 deltaker fra ventelisten fikk plass." in section(client.get(response.url).content.decode(), "venteliste")
    refused = client.post(reverse("waitlist-offer", args=[area.pk]))
    assert "ingen står på ventelisten" in section(client.get(refused.url).content.decode(), "venteliste")


def test_a_saved_week_is_corrected_with_a_reason_and_the_placement_page_shows_who_when_and_why(
        client, users, alna, django_assert_max_num_queries):
    karea = users["karea"]
    deltaker = data.deltaker(alna)
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    placement = data.place(deltaker, data.area(alna), karea, vilkar=vilkar)
    [entry] = services.attendance_register_week(arbeidsomrade=placement.arbeidsomrade, uke=data.LAST_WEEK,
                                                actor=Actor.for_user(karea),
                                                rows=[{"plassering": placement.pk, "oppmotte_timer": "20",
                                                       "oppmotte_dager": 5}])
    client.force_login(karea)
    sheet = client.get(reverse("workarea-attendance", args=[placement.arbeidsomrade_id]) + "?uke=2026-02-23")
    url = reverse("attendance-correct", args=[entry.pk])
    assert f'href="{url}"' in sheet.content.decode()
    page = client.get(url).content.decode()
    assert 'value="20"' in _field_html(page, "oppmotte_timer") and "rettes sammen med uken" in page
    post = {"planlagte_timer": "20", "oppmotte_timer": "12", "planlagte_dager": "5", "oppmotte_dager": "3",
            "fravaer_godkjent_dager": "1", "fravaer_grunn": "Syk tirsdag"}
    refused = client.post(url, post)  # without a reason
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Skriv hvorfor du retter." in _field_html(body, "begrunnelse")
    assert 'value="12"' in _field_html(body, "oppmotte_timer") and 'value="Syk tirsdag"' in body
    entry.refresh_from_db()
    assert entry.oppmotte_dager == 5
    response = client.post(url, {**post, "begrunnelse": "Timelisten fra arbeidsstedet var feil"})
    assert response.url == reverse("placement-detail", args=[placement.pk]) + "#frammote"
    with django_assert_max_num_queries(13):
        body = client.get(response.url).content.decode()
    assert "Frammøtet for uke 9 er rettet." in section(body, "frammote")
    assert "Rettet" in section(body, "frammote")
    history = section(body, "endringer")
    assert "Frammøte uke 9 rettet" in history and "04.03.2026 13:00 av karea" in history
    assert "Møtte dager: 5 → 3" in history and "Begrunnelse: Timelisten fra arbeidsstedet var feil" in history
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.oppmotte_dager, document.fravaer_godkjent, document.fravaer_ikke_godkjent) == (3, 1, 1)


def test_a_running_placement_is_corrected_on_its_own_page_with_a_reason(client, users, alna):
    deltaker = data.deltaker(alna)
    placement = data.place(deltaker, data.area(alna), users["karea"])
    client.force_login(users["veileder"])
    detail = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    url = reverse("placement-edit", args=[placement.pk])
    assert f'href="{url}"' in detail
    assert 'value="Ola Arbeidsleder"' in client.get(url).content.decode()
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    post = {"startdato": "2026-02-02", "planlagt_slutt": "2026-05-29", "timer_per_uke": "15,5", "dager_per_uke": "4",
            "veileder_pa_stedet": "Kari Kontaktperson", "mal": placement.mal, "vilkar": vilkar.pk}
    refused = client.post(url, {**post, "startdato": "2026-03-20"})  # no reason, and a start in the future
    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'value="Kari Kontaktperson"' in body and 'value="15,5"' in body and 'value="2026-03-20"' in body
    placement.refresh_from_db()
    assert placement.veileder_pa_stedet == "Ola Arbeidsleder"
    response = client.post(url, {**post, "begrunnelse": "Ny kontaktperson fra mars"})
    assert response.url.endswith("#plassering")
    body = client.get(response.url).content.decode()
    assert "Plasseringen er rettet." in section(body, "plassering")
    assert "Kari Kontaktperson" in section(body, "plassering") and "15,5 timer over 4 dager" in body
    history = section(body, "endringer")
    assert "Plasseringen rettet" in history and "av veileder" in history and "Ny kontaktperson fra mars" in history
    assert "Oppmøtevilkår: – → Møt på arbeidstrening i Arbeidsboks" in history
    placement.refresh_from_db()
    assert placement.vilkar == vilkar


def test_the_hovedveileder_is_not_linked_to_the_work_area_pages_it_may_not_open(client, users, alna):
    """docs/domain.md §2: the hovedveileder reads the course of their own participants; a work area's
    pages show every participant placed there and their attendance, so they are Arbeidsboks'."""
    placement = data.place(data.deltaker(alna), data.area(alna), users["karea"])
    area_urls = [reverse("workarea-detail", args=[placement.arbeidsomrade_id]),
                 reverse("workarea-attendance", args=[placement.arbeidsomrade_id])]
    client.force_login(users["hovedveileder"])
    body = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert placement.arbeidsomrade.navn in body
    for url in area_urls:
        assert f'href="{url}"' not in body
        assert client.get(url).status_code == 403
    client.force_login(users["karea"])
    body = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert all(f'href="{url}"' in body for url in area_urls)


ROLES_WITH_ARBEIDSBOKS_PAGES = ["veileder", "karea", "prosjektleder", "hovedveileder"]


@pytest.mark.parametrize("role", ROLES_WITH_ARBEIDSBOKS_PAGES)
def test_no_arbeidsboks_page_shows_a_link_or_button_the_role_cannot_use(client, users, alna, role):
    karea = users["karea"]
    deltaker = data.deltaker(alna)
    area = data.area(alna, kapasitet=1)
    placement = data.place(deltaker, area, karea, vilkar=data.attendance_vilkar(deltaker, users["vedtak"]))
    data.place(data.deltaker(alna), area, karea)  # on the waiting list
    planned = data.place(data.deltaker(alna), data.area(alna, navn="Kantine"), karea, start=datetime.date(2026, 3, 9))
    [entry] = services.attendance_register_week(arbeidsomrade=area, uke=data.LAST_WEEK, actor=Actor.for_user(karea),
                                                rows=[{"plassering": placement.pk, "oppmotte_timer": "20",
                                                       "oppmotte_dager": 5}])
    services.state_measure_create(deltaker=deltaker, actor=Actor.for_user(karea), type="kvp", leverandor="NAV Alna",
                                  fra=data.TODAY)
    pages = [reverse("arbeidsboks-overview"), reverse("workarea-detail", args=[area.pk]),
             reverse("workarea-attendance", args=[area.pk]) + "?uke=2026-02-23",
             reverse("placement-detail", args=[placement.pk]), reverse("placement-detail", args=[planned.pk]),
             reverse("placement-edit", args=[placement.pk]), reverse("attendance-correct", args=[entry.pk]),
             reverse("state-measures", args=[deltaker.pk]), reverse("participant-detail", args=[deltaker.pk])]
    client.force_login(users[role])
    opened = [(page, client.get(page)) for page in pages]
    shown = [(page, response.content.decode()) for page, response in opened if response.status_code == 200]
    assert shown
    for page, body in shown:
        main = body.split("<main", 1)[1].split("</main>", 1)[0]
        for link in set(re.findall(r'href="(/(?:arbeidsboks|deltakere)/[^"#]*)', main)):
            assert client.get(link.replace("&amp;", "&")).status_code == 200, f"{role} på {page}: lenke til {link}"
        for action in set(re.findall(r'<form method="post" action="(/[^"]*)"', main)):
            with transaction.atomic():
                status = client.post(action).status_code
                transaction.set_rollback(True)
            assert status not in (403, 404, 405), f"{role} på {page}: knapp til {action} ({status})"


def test_the_placement_page_runs_a_fixed_number_of_queries(client, users, alna, django_assert_num_queries):
    karea = users["karea"]
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    url = reverse("placement-detail", args=[placement.pk])
    client.force_login(karea)
    client.get(url)
    # session, user, memberships, savepoints; the placement, the read entry, attendance,
    # evaluations, corrections
    with django_assert_num_queries(13) as first:
        client.get(url)
    [entry] = services.attendance_register_week(arbeidsomrade=placement.arbeidsomrade, uke=data.LAST_WEEK,
                                                actor=Actor.for_user(karea),
                                                rows=[{"plassering": placement.pk, "oppmotte_timer": "20",
                                                       "oppmotte_dager": 5}])
    for hours in ("19", "18"):
        services.attendance_correct(frammote=entry, actor=Actor.for_user(karea), oppmotte_timer=hours, oppmotte_dager=5,
                                    begrunnelse="Rettet timer")
    services.placement_update(plassering=placement, actor=Actor.for_user(karea), begrunnelse="Ny veileder",
                              startdato=placement.startdato, planlagt_slutt=placement.planlagt_slutt,
                              timer_per_uke=placement.timer_per_uke, dager_per_uke=5, veileder_pa_stedet="Kari",
                              mal=placement.mal)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
