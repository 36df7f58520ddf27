"""Arbeidsboks services: capacity under a row lock, the waiting list in order, end reasons,
attendance that documents the attendance vilkår, evaluations and state measures."""
import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import selectors, services
from arbeidsboks.models import Frammote, Plassering, Retting
from arbeidsboks.services import ArbeidsboksError
from conditions.models import Dokumentasjon
from conditions.services import activity_vilkar_progress, vilkar_assess
from tests import arbeidsboks_data as data

LAST_WEEK = data.LAST_WEEK


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def karea(users):
    return users["karea"]


def test_a_placement_takes_a_free_place_and_is_audited(alna, karea):
    area = data.area(alna)
    deltaker = data.deltaker(alna)
    placement = data.place(deltaker, area, karea)
    assert placement.status == "aktiv"
    entry = AuditEntry.objects.get(object_type="arbeidsboks.plassering", object_id=str(placement.pk))
    assert (entry.action, entry.person_fnr) == ("create", deltaker.person.fnr)


def test_a_placement_starting_later_is_planned(alna, karea):
    placement = data.place(data.deltaker(alna), data.area(alna), karea, start=datetime.date(2026, 3, 9))
    assert placement.status == "planlagt"


def test_a_full_work_area_puts_new_placements_on_its_waiting_list_in_order(alna, karea):
    area = data.area(alna, kapasitet=1)
    first = data.place(data.deltaker(alna), area, karea)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 1, tzinfo=datetime.UTC), tick=False):
        second = data.place(data.deltaker(alna), area, karea)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 2, tzinfo=datetime.UTC), tick=False):
        third = data.place(data.deltaker(alna), area, karea)
    assert [second.status, third.status] == ["venteliste", "venteliste"]

    services.placement_end(plassering=first, actor=Actor.for_user(karea), status="fullfort", sluttdato=data.TODAY, sluttarsak="fatt_jobb")
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.startdato) == ("planlagt", data.TODAY)
    assert second.planlagt_slutt == datetime.date(2026, 5, 29) + (data.TODAY - datetime.date(2026, 2, 2))
    assert third.status == "venteliste"


def test_a_newcomer_never_jumps_the_waiting_list(alna, karea):
    area = data.area(alna, kapasitet=1)
    data.place(data.deltaker(alna), area, karea)
    waiting = data.place(data.deltaker(alna), area, karea)
    area.kapasitet = 2
    area.save()
    newcomer = data.place(data.deltaker(alna), area, karea)
    assert newcomer.status == "venteliste"
    offered = services.waitlist_offer(arbeidsomrade=area, actor=Actor.for_user(karea))
    assert offered == [waiting]
    with pytest.raises(ArbeidsboksError, match="ingen ledige plasser"):
        services.waitlist_offer(arbeidsomrade=area, actor=Actor.for_user(karea))


def test_a_participant_is_placed_once_per_work_area(alna, karea):
    area = data.area(alna)
    deltaker = data.deltaker(alna)
    data.place(deltaker, area, karea)
    with pytest.raises(ArbeidsboksError, match="allerede en plassering"):
        data.place(deltaker, area, karea)


def test_candidates_and_other_offices_cannot_be_placed(alna, stovner, karea, make_deltaker):
    area = data.area(alna)
    with pytest.raises(ArbeidsboksError, match="henvist"):
        data.place(make_deltaker(("kandidat",)), area, karea)
    with pytest.raises(ArbeidsboksError, match="annet kontor"):
        data.place(make_deltaker(("kandidat", "henvist"), office=stovner), area, karea)
    assert Plassering.objects.count() == 0


def test_a_placement_needs_the_no_displacement_confirmation(alna, karea):
    with pytest.raises(ArbeidsboksError, match="fortrenger ordinær arbeidskraft"):
        services.placement_create(
            deltaker=data.deltaker(alna), arbeidsomrade=data.area(alna), actor=Actor.for_user(karea), kind="praksis",
            startdato=data.TODAY, planlagt_slutt=data.TODAY, timer_per_uke=Decimal("10"),
            veileder_pa_stedet="Ola", mal="Mål", ikke_fortrengning=False,
        )
    assert Plassering.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "text", "error"),
    [
        ("annet", "", "Beskriv sluttårsaken"),
        ("syk", "Brukket arm", "Fritekst brukes bare"),
        ("", "", "Velg en sluttårsak"),
    ],
)
def test_end_reasons_take_free_text_only_with_annet(alna, karea, reason, text, error):
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    with pytest.raises(ArbeidsboksError, match=error):
        services.placement_end(plassering=placement, actor=Actor.for_user(karea), status="avbrutt", sluttdato=data.TODAY,
                               sluttarsak=reason, sluttarsak_tekst=text)
    placement.refresh_from_db()
    assert placement.status == "aktiv"


def test_ending_with_annet_keeps_the_free_text(alna, karea):
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    services.placement_end(plassering=placement, actor=Actor.for_user(karea), status="avbrutt", sluttdato=data.TODAY,
                           sluttarsak="annet", sluttarsak_tekst="Flyttet til annen bydel")
    placement.refresh_from_db()
    assert (placement.status, placement.sluttarsak_tekst, placement.faktisk_slutt) == (
        "avbrutt", "Flyttet til annen bydel", data.TODAY)
    with pytest.raises(ArbeidsboksError, match="allerede avbrutt"):
        services.placement_end(plassering=placement, actor=Actor.for_user(karea), status="fullfort", sluttdato=data.TODAY,
                               sluttarsak="fullfort_plan")


def test_a_planned_placement_starts_on_its_start_date(alna, karea):
    placement = data.place(data.deltaker(alna), data.area(alna), karea, start=datetime.date(2026, 3, 9))
    with pytest.raises(ArbeidsboksError, match="kan ikke startes før"):
        services.placement_start(plassering=placement, actor=Actor.for_user(karea))
    with time_machine.travel(datetime.datetime(2026, 3, 9, 8, tzinfo=datetime.UTC), tick=False):
        assert services.placement_start(plassering=placement, actor=Actor.for_user(karea)).status == "aktiv"


def test_week_attendance_documents_the_attendance_vilkar_including_absence(alna, users, karea):
    area = data.area(alna)
    deltaker = data.deltaker(alna)
    other = data.deltaker(alna)
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    placement = data.place(deltaker, area, karea, vilkar=vilkar)
    plain = data.place(other, area, karea)
    entries = services.attendance_register_week(
        arbeidsomrade=area, uke=LAST_WEEK, actor=Actor.for_user(karea),
        rows=[
            {"plassering": placement.pk, "oppmotte_timer": "12", "oppmotte_dager": 3, "fravaer_godkjent_dager": 1,
             "fravaer_grunn": "Legetime og sykt barn"},
            {"plassering": plain.pk, "oppmotte_timer": "20", "oppmotte_dager": 5},
        ],
    )
    assert len(entries) == 2
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.type, document.vurdering, document.mottatt) == ("oppmoteliste", "godkjent", datetime.date(2026, 3, 1))
    assert (document.planlagte_dager, document.oppmotte_dager, document.fravaer_godkjent,
            document.fravaer_ikke_godkjent) == (5, 3, 1, 1)
    assert Frammote.objects.get(plassering=placement).dokumentasjon == document
    assert Frammote.objects.get(plassering=plain).dokumentasjon is None
    vilkar.refresh_from_db()
    assert activity_vilkar_progress(vilkar)["achieved"] == 80
    assert AuditEntry.objects.filter(object_type="arbeidsboks.frammote", action="create").count() == 2


def test_a_week_is_registered_once_and_a_bad_row_writes_nothing(alna, karea):
    area = data.area(alna)
    first = data.place(data.deltaker(alna), area, karea)
    second = data.place(data.deltaker(alna), area, karea)
    with pytest.raises(ArbeidsboksError, match="skriv grunnen til fraværet"):
        services.attendance_register_week(arbeidsomrade=area, uke=LAST_WEEK, actor=Actor.for_user(karea), rows=[
            {"plassering": first.pk, "oppmotte_timer": "20", "oppmotte_dager": 5},
            {"plassering": second.pk, "oppmotte_timer": "8", "oppmotte_dager": 2},
        ])
    assert Frammote.objects.count() == 0
    services.attendance_register_week(arbeidsomrade=area, uke=LAST_WEEK, actor=Actor.for_user(karea), rows=[
        {"plassering": first.pk, "oppmotte_timer": "20", "oppmotte_dager": 5}])
    with pytest.raises(ArbeidsboksError, match="allerede registrert"):
        services.attendance_register_week(arbeidsomrade=area, uke=LAST_WEEK, actor=Actor.for_user(karea), rows=[
            {"plassering": first.pk, "oppmotte_timer": "20", "oppmotte_dager": 5}])


@pytest.mark.parametrize(
    ("uke", "row", "error"),
    [
        (datetime.date(2026, 2, 24), {"oppmotte_timer": "20", "oppmotte_dager": 5}, "mandag"),
        (datetime.date(2026, 3, 9), {"oppmotte_timer": "20", "oppmotte_dager": 5}, "ikke har begynt"),
        (datetime.date(2026, 1, 26), {"oppmotte_timer": "20", "oppmotte_dager": 5}, "ikke aktiv i uken"),
        (LAST_WEEK, {"oppmotte_timer": "25", "oppmotte_dager": 5}, "flere enn planlagte timer"),
        (LAST_WEEK, {"oppmotte_timer": "20", "oppmotte_dager": 5, "fravaer_godkjent_dager": 1}, "flere enn planlagte dager"),
    ],
)
def test_attendance_refuses_bad_weeks_and_numbers(alna, karea, uke, row, error):
    area = data.area(alna)
    placement = data.place(data.deltaker(alna), area, karea)
    with pytest.raises(ArbeidsboksError, match=error):
        services.attendance_register_week(arbeidsomrade=area, uke=uke, actor=Actor.for_user(karea),
                                          rows=[{"plassering": placement.pk, **row}])
    assert Frammote.objects.count() == 0


def test_a_vilkar_of_another_person_cannot_be_tied_to_a_placement(alna, users, karea):
    vilkar = data.attendance_vilkar(data.deltaker(alna), users["vedtak"])
    with pytest.raises(ArbeidsboksError, match="Oppmøtevilkåret"):
        data.place(data.deltaker(alna), data.area(alna), karea, vilkar=vilkar)


def test_evaluations_only_for_started_placements_scored_1_to_5(alna, karea):
    area = data.area(alna)
    placement = data.place(data.deltaker(alna), area, karea)
    scores = {"punktlighet": 4, "samarbeid": 5, "sprak": 3, "ferdigheter": 3, "initiativ": 4}
    evaluation = services.evaluation_create(plassering=placement, actor=Actor.for_user(karea), dato=data.TODAY, **scores)
    assert evaluation.pk
    with pytest.raises(ArbeidsboksError, match="fra 1 til 5"):
        services.evaluation_create(plassering=placement, actor=Actor.for_user(karea), dato=data.TODAY, **{**scores, "sprak": 6})
    planned = data.place(data.deltaker(alna), area, karea, start=datetime.date(2026, 4, 1))
    with pytest.raises(ArbeidsboksError, match="har startet"):
        services.evaluation_create(plassering=planned, actor=Actor.for_user(karea), dato=data.TODAY, **scores)


def test_the_earmarked_places_of_arbeid_med_bistand_are_never_overbooked(alna, users, settings):
    settings.ARBEID_MED_BISTAND_PLASSER = 2
    veileder = users["veileder"]
    for _ in range(2):
        services.state_measure_create(deltaker=data.deltaker(alna), actor=Actor.for_user(veileder), type="arbeid_med_bistand",
                                      leverandor="Alna Bistand AS", fra=data.TODAY, oremerket=True)
    with pytest.raises(ArbeidsboksError, match="Alle 2 øremerkede plasser"):
        services.state_measure_create(deltaker=data.deltaker(alna), actor=Actor.for_user(veileder), type="arbeid_med_bistand",
                                      leverandor="Alna Bistand AS", fra=data.TODAY, oremerket=True)
    with pytest.raises(ArbeidsboksError, match="Bare arbeid med bistand"):
        services.state_measure_create(deltaker=data.deltaker(alna), actor=Actor.for_user(veileder), type="kvp",
                                      leverandor="NAV", fra=data.TODAY, oremerket=True)
    assert selectors.earmarked_in_use(alna.pk, data.TODAY) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_two_users_taking_the_last_place_at_once_leave_one_on_the_waiting_list(users, alna):
    area = data.area(alna, kapasitet=1)
    deltakere = [data.deltaker(alna), data.deltaker(alna)]
    barrier, outcomes = threading.Barrier(2), []

    def take(deltaker, user):
        barrier.wait()
        try:
            outcomes.append(data.place(deltaker, area, user).status)
        finally:
            connection.close()  # the connection this thread opened

    threads = [threading.Thread(target=take, args=(deltaker, users[role]))
               for deltaker, role in zip(deltakere, ["karea", "veileder"], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["aktiv", "venteliste"]
    assert Plassering.objects.filter(arbeidsomrade=area, status__in=["planlagt", "aktiv"]).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_two_users_registering_the_same_week_at_once_write_it_once(users, alna):
    area = data.area(alna)
    placement = data.place(data.deltaker(alna), area, users["karea"])
    barrier, outcomes = threading.Barrier(2), []

    def register(user):
        barrier.wait()
        try:
            services.attendance_register_week(arbeidsomrade=area, uke=LAST_WEEK, actor=Actor.for_user(user), rows=[
                {"plassering": placement.pk, "oppmotte_timer": "20", "oppmotte_dager": 5}])
            outcomes.append("ok")
        except ArbeidsboksError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()  # the connection this thread opened

    threads = [threading.Thread(target=register, args=(users[role],)) for role in ("karea", "veileder")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    name = placement.deltaker.person.navn
    assert sorted(outcomes) == sorted(["ok", f"{name}: frammøtet for uken er allerede registrert."])
    assert Frammote.objects.filter(plassering=placement).count() == 1


def _week(placement, karea, **row):
    [entry] = services.attendance_register_week(
        arbeidsomrade=placement.arbeidsomrade, uke=LAST_WEEK, actor=Actor.for_user(karea),
        rows=[{"plassering": placement.pk, "oppmotte_timer": "20", "oppmotte_dager": 5, **row}])
    return entry


def _correction(**values):
    return {"oppmotte_timer": Decimal("12"), "oppmotte_dager": 3, "planlagte_timer": Decimal("20"), "planlagte_dager": 5,
            "fravaer_godkjent_dager": 1, "fravaer_grunn": "Syk tirsdag", "begrunnelse": "Timelisten kom i ettertid",
            **values}


def test_a_corrected_week_moves_the_attendance_list_on_the_vilkar_with_it(alna, users, karea):
    deltaker = data.deltaker(alna)
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    placement = data.place(deltaker, data.area(alna), karea, vilkar=vilkar)
    entry = _week(placement, karea)
    services.attendance_correct(frammote=entry, actor=Actor.for_user(users["veileder"]), **_correction())
    entry.refresh_from_db()
    assert (entry.oppmotte_timer, entry.oppmotte_dager, entry.fravaer_grunn) == (12, 3, "Syk tirsdag")
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.planlagte_dager, document.oppmotte_dager, document.fravaer_godkjent,
            document.fravaer_ikke_godkjent) == (5, 3, 1, 1)
    vilkar.refresh_from_db()
    assert activity_vilkar_progress(vilkar)["achieved"] == 80
    retting = Retting.objects.get(frammote=entry)
    assert retting.endret_av == users["veileder"] and retting.begrunnelse == "Timelisten kom i ettertid"
    assert "Møtte dager: 5 → 3" in retting.endringer and "Møtte timer: 20 → 12" in retting.endringer
    assert "Oppmøtelisten på oppmøtevilkåret er rettet tilsvarende." in retting.endringer
    changed = set(AuditEntry.objects.filter(action="update").values_list("object_type", flat=True))
    assert {"arbeidsboks.frammote", "conditions.dokumentasjon"} <= changed


@pytest.mark.parametrize(("values", "field"), [
    ({"begrunnelse": "  "}, "begrunnelse"),
    ({"fravaer_grunn": ""}, "fravaer_grunn"),
    ({"oppmotte_timer": Decimal("25")}, "oppmotte_timer"),
])
def test_a_correction_without_a_reason_or_with_numbers_that_do_not_add_up_changes_nothing(alna, karea, values, field):
    entry = _week(data.place(data.deltaker(alna), data.area(alna), karea), karea)
    with pytest.raises(ArbeidsboksError) as refused:
        services.attendance_correct(frammote=entry, actor=Actor.for_user(karea), **_correction(**values))
    assert field in refused.value.error_dict
    entry.refresh_from_db()
    assert entry.oppmotte_dager == 5 and not Retting.objects.exists()


def test_a_week_documenting_an_assessed_vilkar_is_not_corrected_behind_the_assessment(alna, users, karea):
    deltaker = data.deltaker(alna)
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    entry = _week(data.place(deltaker, data.area(alna), karea, vilkar=vilkar), karea)
    vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True)
    with pytest.raises(ArbeidsboksError, match="allerede vurdert som oppfylt"):
        services.attendance_correct(frammote=entry, actor=Actor.for_user(karea), **_correction())
    assert Dokumentasjon.objects.get(vilkar=vilkar).oppmotte_dager == 5


def test_a_running_placement_is_corrected_with_a_reason_and_the_change_is_kept(alna, users, karea):
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    services.placement_update(
        plassering=placement, actor=Actor.for_user(users["veileder"]), begrunnelse="Avtalt færre timer med legen",
        startdato=placement.startdato, planlagt_slutt=datetime.date(2026, 6, 26), timer_per_uke=Decimal("15"),
        dager_per_uke=4, veileder_pa_stedet="Kari Kontaktperson", mal=placement.mal,
    )
    placement.refresh_from_db()
    assert (placement.timer_per_uke, placement.dager_per_uke, placement.veileder_pa_stedet) == (15, 4, "Kari Kontaktperson")
    retting = Retting.objects.get(plassering=placement, frammote=None)
    assert retting.endringer.splitlines() == [
        "Planlagt sluttdato: 29.05.2026 → 26.06.2026", "Timer per uke: 20 → 15", "Dager per uke: 5 → 4",
        "Veileder på arbeidsstedet: Ola Arbeidsleder → Kari Kontaktperson",
    ]
    assert AuditEntry.objects.filter(action="update", object_type="arbeidsboks.plassering",
                                     object_id=str(placement.pk), user=users["veileder"]).exists()


def _terms(placement, **changes):
    return {"startdato": placement.startdato, "planlagt_slutt": placement.planlagt_slutt,
            "timer_per_uke": placement.timer_per_uke, "dager_per_uke": placement.dager_per_uke,
            "veileder_pa_stedet": placement.veileder_pa_stedet, "mal": placement.mal, "vilkar": placement.vilkar,
            "begrunnelse": "Feil ved registreringen", **changes}


@pytest.mark.parametrize(("changes", "field", "error"), [
    ({"startdato": datetime.date(2026, 3, 9)}, "startdato", "fram i tid"),
    ({"startdato": datetime.date(2026, 3, 2)}, "startdato", "registrert fra uke 9"),
    ({"planlagt_slutt": datetime.date(2026, 1, 1)}, "planlagt_slutt", "før startdatoen"),
    ({"begrunnelse": ""}, "begrunnelse", "hvorfor"),
])
def test_a_placement_correction_that_breaks_a_rule_is_refused_at_its_field(alna, karea, changes, field, error):
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    _week(placement, karea)
    with pytest.raises(ArbeidsboksError) as refused:
        services.placement_update(plassering=placement, actor=Actor.for_user(karea), **_terms(placement, **changes))
    assert error in " ".join(refused.value.error_dict[field][0].messages)
    assert not Retting.objects.exists()


def test_linking_the_attendance_vilkar_later_documents_the_weeks_already_registered(alna, users, karea):
    deltaker = data.deltaker(alna)
    placement = data.place(deltaker, data.area(alna), karea)
    entry = _week(placement, karea, oppmotte_dager=4, fravaer_grunn="Legetime")
    vilkar = data.attendance_vilkar(deltaker, users["vedtak"])
    services.placement_update(plassering=placement, actor=Actor.for_user(karea), **_terms(placement, vilkar=vilkar))
    entry.refresh_from_db()
    assert entry.dokumentasjon.vilkar == vilkar and entry.dokumentasjon.oppmotte_dager == 4
    assert "1 uke med frammøte dokumenterer nå oppmøtevilkåret." in Retting.objects.get().endringer
    # once a week documents the vilkår, the link stays
    with pytest.raises(ArbeidsboksError, match="koblingen kan ikke endres"):
        services.placement_update(plassering=placement, actor=Actor.for_user(karea), **_terms(placement, vilkar=None))


def test_an_ended_placement_is_not_corrected(alna, karea):
    placement = data.place(data.deltaker(alna), data.area(alna), karea)
    services.placement_end(plassering=placement, actor=Actor.for_user(karea), status="fullfort", sluttdato=data.TODAY,
                           sluttarsak="fatt_jobb")
    with pytest.raises(ArbeidsboksError, match="kan ikke endres"):
        services.placement_update(plassering=placement, actor=Actor.for_user(karea),
                                  **_terms(placement, timer_per_uke=Decimal("10")))
