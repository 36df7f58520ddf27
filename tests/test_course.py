"""The participant's course as a state machine: every allowed transition, every refused one."""
import datetime
import itertools
import random
import threading

import pytest
import time_machine
from django.db import connection

from alnaaktiv.actor import Actor
from alnaaktiv.fnr import KVINNE, make_synthetic_fnr
from alnaaktiv.models import AuditEntry
from cases import selectors, services
from cases.models import ArenaRecord, CourseEvent, Deltaker, Lopsstatus, OskarRecord, RegisterSnapshot, Sak
from cases.services import CourseError

S = Lopsstatus
TODAY = datetime.date(2026, 3, 2)
# A path that reaches each state, and the extra fields its transition needs.
PATH_TO = {
    S.KANDIDAT: [S.KANDIDAT],
    S.HENVIST: [S.KANDIDAT, S.HENVIST],
    S.MOTT: [S.KANDIDAT, S.HENVIST, S.MOTT],
    S.IKKE_MOTT: [S.KANDIDAT, S.HENVIST, S.IKKE_MOTT],
    S.I_KARTLEGGING: [S.KANDIDAT, S.HENVIST, S.MOTT, S.I_KARTLEGGING],
    S.AVKLART: [S.KANDIDAT, S.HENVIST, S.MOTT, S.I_KARTLEGGING, S.AVKLART],
    S.I_AKTIVITET: [S.KANDIDAT, S.HENVIST, S.MOTT, S.I_KARTLEGGING, S.AVKLART, S.I_AKTIVITET],
    S.AVSLUTTET: [S.KANDIDAT, S.HENVIST, S.AVSLUTTET],
}
EXTRA = {S.AVKLART: {"rute": "statlig_tiltak"}, S.AVSLUTTET: {"utfall": "arbeid"}}
ALLOWED = {
    (S.KANDIDAT, S.HENVIST), (S.HENVIST, S.MOTT), (S.HENVIST, S.IKKE_MOTT), (S.IKKE_MOTT, S.MOTT),
    (S.MOTT, S.I_KARTLEGGING), (S.I_KARTLEGGING, S.AVKLART), (S.AVKLART, S.I_AKTIVITET),
} | {(state, S.AVSLUTTET) for state in S.values if state != S.AVSLUTTET}
ALL_PAIRS = list(itertools.product(S.values, S.values))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize(("from_state", "to_state"), sorted(ALLOWED))
def test_allowed_transition_is_stored_as_a_dated_event_with_the_user(users, make_deltaker, from_state, to_state):
    deltaker = make_deltaker(PATH_TO[from_state])
    event = services.course_transition(deltaker=deltaker, to_state=to_state, on_date=TODAY,
                                         actor=Actor.for_user(users["veileder"]), **EXTRA.get(to_state, {}))
    deltaker.refresh_from_db()
    assert (deltaker.status, deltaker.status_dato) == (to_state, TODAY)
    assert (event.state, event.date, event.created_by) == (to_state, TODAY, users["veileder"])
    assert deltaker.events.count() == len(PATH_TO[from_state]) + 1
    assert AuditEntry.objects.filter(object_type="cases.courseevent", object_id=str(event.pk), action="update").exists()


@pytest.mark.parametrize(("from_state", "to_state"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_refused_transition_gets_a_norwegian_message_and_changes_nothing(users, make_deltaker, from_state, to_state):
    deltaker = make_deltaker(PATH_TO[from_state])
    with pytest.raises(CourseError) as error:
        services.course_transition(deltaker=deltaker, to_state=to_state, on_date=TODAY, actor=Actor.for_user(users["veileder"]),
                                     **EXTRA.get(to_state, {}))
    assert error.value.messages == [
        f"Deltakeren har allerede status «{S(to_state).label}»." if from_state == to_state
        else f"Kan ikke gå fra «{S(from_state).label}» til «{S(to_state).label}»."]
    deltaker.refresh_from_db()
    assert deltaker.status == from_state
    assert deltaker.events.count() == len(PATH_TO[from_state])
    assert not AuditEntry.objects.exists()


def test_dates_never_go_backwards(users, make_deltaker):
    deltaker = make_deltaker(PATH_TO[S.HENVIST], start=datetime.date(2026, 2, 1))  # henvist 02.02
    with pytest.raises(CourseError, match="Datoen 01.02.2026 er før forrige hendelse \\(02.02.2026\\)"):
        services.course_transition(deltaker=deltaker, to_state=S.MOTT, on_date=datetime.date(2026, 2, 1), actor=Actor.operator())
    services.course_transition(deltaker=deltaker, to_state=S.MOTT, on_date=datetime.date(2026, 2, 2), actor=Actor.operator())
    assert Deltaker.objects.get().status == S.MOTT


def test_dates_in_the_future_are_refused(make_deltaker):
    deltaker = make_deltaker(PATH_TO[S.HENVIST])
    with pytest.raises(CourseError, match="fram i tid"):
        services.course_transition(deltaker=deltaker, to_state=S.MOTT, on_date=TODAY + datetime.timedelta(days=1), actor=Actor.operator())


@pytest.mark.parametrize(
    ("path", "to_state", "extra", "message"),
    [
        (PATH_TO[S.I_KARTLEGGING], S.AVKLART, {}, "Velg en rute når deltakeren er avklart."),
        (PATH_TO[S.HENVIST], S.MOTT, {"rute": "arbeidsboks"}, "Rute settes bare når deltakeren blir avklart."),
        (PATH_TO[S.MOTT], S.AVSLUTTET, {}, "Velg et utfall når løpet avsluttes."),
        (PATH_TO[S.HENVIST], S.MOTT, {"utfall": "arbeid"}, "Utfall settes bare når løpet avsluttes."),
        (PATH_TO[S.I_KARTLEGGING], S.AVKLART, {"rute": "fly"}, "Velg en rute når deltakeren er avklart."),
    ],
)
def test_route_and_outcome_belong_to_their_transitions(make_deltaker, path, to_state, extra, message):
    deltaker = make_deltaker(path)
    with pytest.raises(CourseError) as error:
        services.course_transition(deltaker=deltaker, to_state=to_state, on_date=TODAY, **extra, actor=Actor.operator())
    assert error.value.messages == [message]
    assert Deltaker.objects.get().status == path[-1]


def test_after_not_met_a_new_appointment_may_still_end_in_met(make_deltaker, users):
    deltaker = make_deltaker(PATH_TO[S.IKKE_MOTT])
    services.participant_register_meeting(deltaker=deltaker, actor=Actor.for_user(users["veileder"]), met=True, on_date=TODAY)
    deltaker.refresh_from_db()
    assert deltaker.status == S.MOTT and deltaker.veileder == users["veileder"]


def test_state_on_a_past_date_comes_from_the_stored_events(make_deltaker):
    deltaker = make_deltaker(PATH_TO[S.AVKLART], start=datetime.date(2026, 1, 5))  # kandidat 05.01 .. avklart 09.01
    assert selectors.state_on(deltaker, datetime.date(2026, 1, 4)) is None
    assert selectors.state_on(deltaker, datetime.date(2026, 1, 5)) == S.KANDIDAT
    assert selectors.state_on(deltaker, datetime.date(2026, 1, 7)) == S.MOTT
    assert selectors.state_on(deltaker, datetime.date(2026, 3, 1)) == S.AVKLART
    annotated = selectors.states_on(Deltaker.objects.all(), datetime.date(2026, 1, 8)).get()
    assert annotated.state_on_date == S.I_KARTLEGGING


def test_referral_needs_a_reason_and_an_appointment_not_before_the_referral(make_deltaker, users):
    deltaker = make_deltaker()
    appointment = datetime.datetime(2026, 3, 5, 10, 0, tzinfo=datetime.UTC)
    with pytest.raises(CourseError, match="Skriv en begrunnelse for henvisningen."):
        services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="  ", first_appointment=appointment)
    with pytest.raises(CourseError, match="Første avtale kan ikke være før henvisningsdatoen."):
        services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="Trenger arbeid",
                                first_appointment=datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC))
    assert Deltaker.objects.get().status == S.KANDIDAT
    services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="Trenger arbeid",
                            first_appointment=appointment)
    deltaker.refresh_from_db()
    assert (deltaker.status, deltaker.hovedveileder, deltaker.forste_avtale) == (S.HENVIST, users["hovedveileder"], appointment)
    assert deltaker.events.last().comment == "Trenger arbeid"


@pytest.mark.parametrize(
    ("birth", "ektefelle", "barn", "months", "expected"),
    [
        (datetime.date(2003, 3, 3), False, 2, 12, "ungdom_20_24"),  # 22 on the referral date
        (datetime.date(2001, 3, 2), False, 2, 12, "eneforsorger"),  # turns 25 on the referral date
        (datetime.date(1980, 1, 1), False, 1, 12, "eneforsorger"),
        (datetime.date(1980, 1, 1), True, 1, 6, "langtidsmottaker"),
        (datetime.date(1980, 1, 1), True, 0, 5, "ovrige"),
    ],
)
def test_target_group_is_derived_on_the_referral_date_first_match_wins(
    alna, users, make_person, birth, ektefelle, barn, months, expected
):
    person = make_person(fnr=make_synthetic_fnr(birth, KVINNE, random.Random(1)))
    spouse = make_person() if ektefelle else None
    sak = Sak.objects.create(office=alna, saksnummer="S1", hovedperson=person, ektefelle=spouse, antall_barn=barn,
                             inntektstype="hovedinntekt")
    snapshot = RegisterSnapshot.objects.create(office=alna, kind="oskar", as_of=datetime.date(2026, 2, 1),
                                               content_hash="x", row_count=1)
    OskarRecord.objects.create(snapshot=snapshot, saksnummer="S1", person=person, rolle="hovedperson",
                               inntektstype="hovedinntekt", antall_barn=barn, landbakgrunn="norge",
                               stonad_maneder_siste_12=months)
    deltaker = services.participant_enroll(person=person, office=alna, sak=sak, on_date=datetime.date(2026, 3, 1), actor=Actor.operator())
    services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="Klar",
                            first_appointment=datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC))
    deltaker.refresh_from_db()
    assert deltaker.malgruppe == expected


def test_manual_target_group_needs_a_reason_and_survives_referral(make_deltaker, users):
    deltaker = make_deltaker()
    with pytest.raises(CourseError, match="Skriv en begrunnelse"):
        services.participant_set_malgruppe(deltaker=deltaker, malgruppe="eneforsorger", reason="", actor=Actor.for_user(users["veileder"]))
    services.participant_set_malgruppe(deltaker=deltaker, malgruppe="eneforsorger", reason="Bor alene med barn",
                                    actor=Actor.for_user(users["veileder"]))
    services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="Klar",
                            first_appointment=datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC))
    deltaker.refresh_from_db()
    assert (deltaker.malgruppe, deltaker.malgruppe_kilde) == ("eneforsorger", "manuell")


def test_a_person_is_enrolled_once_per_office(make_person, alna):
    person = make_person()
    services.participant_enroll(person=person, office=alna, sak=None, actor=Actor.operator())
    with pytest.raises(CourseError, match="allerede deltaker"):
        services.participant_enroll(person=person, office=alna, sak=None, actor=Actor.operator())
    assert CourseEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_two_users_registering_the_same_meeting_end_with_one_event(users, make_deltaker):
    deltaker = make_deltaker(PATH_TO[S.HENVIST])
    barrier, outcomes = threading.Barrier(2), []

    def register(met: bool):
        barrier.wait()
        try:
            services.participant_register_meeting(deltaker=Deltaker.objects.get(pk=deltaker.pk), actor=Actor.for_user(users["veileder"]),
                                               met=met, on_date=TODAY)
            outcomes.append("ok")
        except CourseError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()  # the connection this thread opened

    # Both register "met"; "not met" then "met" would be a legal sequence, not a conflict.
    threads = [threading.Thread(target=register, args=(True,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Deltakeren har allerede status «Møtt».", "ok"]
    assert deltaker.events.filter(state=S.MOTT).count() == 1


def test_enrolment_takes_jobseeker_status_and_innsatsgruppe_from_the_newest_arena_extract(alna, make_person):
    person = make_person()
    for as_of, status, group in [(datetime.date(2025, 6, 1), "helt_ledig", "standard"),
                                 (datetime.date(2026, 1, 1), "delvis_sysselsatt", "situasjonsbestemt")]:
        snapshot = RegisterSnapshot.objects.create(office=alna, kind="arena", as_of=as_of, content_hash=str(as_of), row_count=1)
        ArenaRecord.objects.create(snapshot=snapshot, person=person, arbeidssokerstatus=status,
                                   registrert_fra=datetime.date(2024, 1, 1), innsatsgruppe=group)
    deltaker = services.participant_enroll(person=person, office=alna, sak=None, on_date=datetime.date(2026, 2, 1), actor=Actor.operator())
    assert (deltaker.arbeidssokerstatus, deltaker.innsatsgruppe) == ("delvis_sysselsatt", "situasjonsbestemt")
    other = services.participant_enroll(person=make_person(), office=alna, sak=None, on_date=datetime.date(2026, 2, 1), actor=Actor.operator())
    assert (other.arbeidssokerstatus, other.innsatsgruppe) == ("ikke_registrert", "")
