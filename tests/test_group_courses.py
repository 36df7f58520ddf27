"""Group courses (arbeidsboks.kurs_services): the catalogue's rules, enrolments that never exceed
the capacity (also under two concurrent enrolments of the last place), the waiting list in order,
the enrolment as an activity of the plan, sessions inside the course's dates, and a session's
attendance for the whole group that documents the vilkår resting on each enrolment."""
import datetime
import threading

import pytest
import time_machine
from django.db import connection

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import kurs_services as services
from arbeidsboks.kurs_selectors import month_course_counts
from arbeidsboks.kurs_services import KursError
from arbeidsboks.models import Gruppekurs, Kursdeltakelse, Kursoppmote, Kurssamling
from cases.models import Aktivitet
from conditions.models import Dokumentasjon
from tests import kurs_data as data

TODAY = data.TODAY


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _refusal(error: KursError) -> dict:
    return {field: " ".join(messages) for field, messages in error.message_dict.items()}


def test_a_new_course_is_in_the_catalogue_and_audited(alna, users):
    kurs = data.course(alna, users["veileder"])
    assert (kurs.kapasitet, kurs.ukedager_visning, kurs.tid_visning) == (12, "mandag, onsdag", "09.00–11.30")
    entry = AuditEntry.objects.get(object_type="arbeidsboks.gruppekurs", object_id=str(kurs.pk))
    assert (entry.action, entry.username) == ("create", "veileder")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kapasitet": 0}, "kapasitet", "Kapasiteten må være fra 1 til 200 plasser."),
    ({"sluttdato": datetime.date(2026, 3, 1)}, "sluttdato", "Sluttdatoen kan ikke være før startdatoen."),
    ({"leverandor": "annen"}, "leverandor_navn", "Skriv navnet på leverandøren"),
    ({"klokkeslett_til": datetime.time(8, 0)}, "klokkeslett_til", "til må være etter fra"),
    ({"navn": "  "}, "navn", "Skriv navnet på kurset."),
])
def test_a_course_with_bad_input_is_refused_at_its_field_and_nothing_is_written(alna, users, fields, field, message):
    values = {"navn": "Norskkurs", "type": "norskkurs", "leverandor": "nav", "leverandor_navn": "", "kapasitet": 10,
              "startdato": TODAY, "sluttdato": data.END, "ukedager": "2", "klokkeslett_fra": datetime.time(9, 0),
              "klokkeslett_til": datetime.time(12, 0)} | fields
    with pytest.raises(KursError) as refused:
        services.course_create(office=alna, actor=Actor.for_user(users["veileder"]), **values)
    assert message in _refusal(refused.value)[field]
    assert not Gruppekurs.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_enrolment_takes_a_place_as_an_agreed_course_activity_in_the_plan(alna, users):
    kurs = data.course(alna, users["veileder"])
    who = data.deltaker(alna)
    enrolment = data.enrol(kurs, who, users["veileder"])
    assert (enrolment.status, enrolment.plass_fra) == ("pameldt", TODAY)
    activity = Aktivitet.objects.get(deltaker=who)
    assert (activity.type, activity.avtalt, activity.fra_dato, activity.til_dato, activity.status) == (
        "kurs", True, TODAY, data.END, "gjennomfores")
    assert enrolment.aktivitet == activity and "Jobbklubb mars" in activity.beskrivelse
    entry = AuditEntry.objects.get(object_type="arbeidsboks.kursdeltakelse", object_id=str(enrolment.pk))
    assert (entry.action, entry.person_fnr) == ("create", who.person.fnr)


def test_an_enrolment_before_the_course_starts_is_a_planned_activity_from_its_start(alna, users):
    kurs = data.course(alna, users["veileder"], start=datetime.date(2026, 3, 9))
    enrolment = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    assert (enrolment.plass_fra, enrolment.aktivitet.status) == (datetime.date(2026, 3, 9), "planlagt")


def test_a_participant_not_yet_in_kartlegging_cannot_be_enrolled(alna, users, make_deltaker):
    kurs = data.course(alna, users["veileder"])
    met = make_deltaker(("kandidat", "henvist", "mott"), office=alna)
    with pytest.raises(KursError) as refused:
        data.enrol(kurs, met, users["veileder"])
    assert "Bare deltakere i kartlegging" in _refusal(refused.value)["deltaker"]
    assert not Kursdeltakelse.objects.exists()


def test_a_participant_of_another_office_cannot_be_enrolled(alna, stovner, users):
    kurs = data.course(alna, users["veileder"])
    with pytest.raises(KursError) as refused:
        data.enrol(kurs, data.deltaker(stovner), users["veileder"])
    assert _refusal(refused.value)["deltaker"] == "Kurset hører til et annet kontor enn deltakeren."


def test_the_same_participant_cannot_be_enrolled_twice(alna, users):
    kurs = data.course(alna, users["veileder"])
    who = data.deltaker(alna)
    data.enrol(kurs, who, users["veileder"])
    with pytest.raises(KursError) as refused:
        data.enrol(kurs, who, users["veileder"])
    assert "allerede påmeldt" in _refusal(refused.value)["deltaker"]
    assert Kursdeltakelse.objects.count() == 1


def test_a_full_course_puts_new_enrolments_on_its_waiting_list_in_order(alna, users):
    kurs = data.course(alna, users["veileder"], kapasitet=1)
    first = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 1, tzinfo=datetime.UTC), tick=False):
        second = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 2, tzinfo=datetime.UTC), tick=False):
        third = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    assert [first.status, second.status, third.status] == ["pameldt", "venteliste", "venteliste"]
    assert second.aktivitet is None and not Aktivitet.objects.filter(deltaker=second.deltaker).exists()

    ended = services.enrolment_end(deltakelse=first, actor=Actor.for_user(users["veileder"]), status="avbrutt",
                                   begrunnelse="Fikk jobb")
    assert ended.moved_in == [second]
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.plass_fra, second.aktivitet.status) == ("pameldt", TODAY, "gjennomfores")
    assert third.status == "venteliste"
    first.aktivitet.refresh_from_db()
    assert (first.aktivitet.status, first.aktivitet.avbrutt_begrunnelse) == ("avbrutt", "Fikk jobb")


def test_a_raised_capacity_gives_the_new_place_to_the_first_on_the_waiting_list(alna, users):
    kurs = data.course(alna, users["veileder"], kapasitet=1)
    data.enrol(kurs, data.deltaker(alna), users["veileder"])
    waiting = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    values = {name: getattr(kurs, name) for name in services.COURSE_FIELDS} | {"kapasitet": 2}
    changed = services.course_update(kurs=kurs, actor=Actor.for_user(users["veileder"]), **values)
    assert changed.moved_in == [waiting]


def test_the_capacity_cannot_go_below_the_places_taken(alna, users):
    kurs = data.course(alna, users["veileder"], kapasitet=2)
    data.enrol(kurs, data.deltaker(alna), users["veileder"])
    data.enrol(kurs, data.deltaker(alna), users["veileder"])
    values = {name: getattr(kurs, name) for name in services.COURSE_FIELDS} | {"kapasitet": 1}
    with pytest.raises(KursError) as refused:
        services.course_update(kurs=kurs, actor=Actor.for_user(users["veileder"]), **values)
    assert _refusal(refused.value)["kapasitet"] == "2 deltakere har plass på kurset, så kapasiteten kan ikke være lavere."
    kurs.refresh_from_db()
    assert kurs.kapasitet == 2


def test_completing_an_enrolment_completes_the_plan_activity(alna, users):
    kurs = data.course(alna, users["veileder"])
    enrolment = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    services.enrolment_end(deltakelse=enrolment, actor=Actor.for_user(users["veileder"]), status="fullfort")
    enrolment.refresh_from_db()
    enrolment.aktivitet.refresh_from_db()
    assert (enrolment.status, enrolment.sluttdato, enrolment.aktivitet.status) == ("fullfort", TODAY, "fullfort")


def test_cancelling_a_place_without_a_reason_is_refused_and_changes_nothing(alna, users):
    kurs = data.course(alna, users["veileder"])
    enrolment = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    with pytest.raises(KursError) as refused:
        services.enrolment_end(deltakelse=enrolment, actor=Actor.for_user(users["veileder"]), status="avbrutt")
    assert "Skriv hvorfor deltakelsen avbrytes" in _refusal(refused.value)["begrunnelse"]
    enrolment.refresh_from_db()
    assert enrolment.status == "pameldt"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_a_course_with_12_places_takes_12_under_two_concurrent_enrolments_of_the_last_place(users, alna):
    kurs = data.course(alna, users["veileder"], kapasitet=12)
    for _ in range(11):
        data.enrol(kurs, data.deltaker(alna), users["veileder"])
    last = [data.deltaker(alna), data.deltaker(alna)]
    barrier, outcomes = threading.Barrier(2), []

    def take(who, user):
        barrier.wait()
        try:
            outcomes.append(data.enrol(kurs, who, user).status)
        finally:
            connection.close()  # the connection this thread opened

    threads = [threading.Thread(target=take, args=(who, users[role]))
               for who, role in zip(last, ["veileder", "prosjektleder"], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["pameldt", "venteliste"]
    assert Kursdeltakelse.objects.filter(kurs=kurs, status="pameldt").count() == 12
    assert Aktivitet.objects.filter(type="kurs").count() == 12


def test_a_session_outside_the_course_dates_is_refused_in_norwegian_at_the_date(alna, users):
    kurs = data.course(alna, users["veileder"])
    with pytest.raises(KursError) as refused:
        services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=datetime.date(2026, 4, 1))
    assert _refusal(refused.value)["dato"] == "Samlingen må være innenfor kursets datoer, 04.03.2026–27.03.2026."
    assert not Kurssamling.objects.exists()


def test_a_session_takes_the_course_time_and_is_audited(alna, users):
    kurs = data.course(alna, users["veileder"])
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY, tema="CV")
    assert (samling.klokkeslett_fra, samling.tema) == (datetime.time(9, 0), "CV")
    assert AuditEntry.objects.filter(object_type="arbeidsboks.kurssamling", object_id=str(samling.pk)).exists()


def test_the_planned_sessions_come_from_the_weekly_pattern_once(alna, users):
    kurs = data.course(alna, users["veileder"])  # Mondays and Wednesdays, 04.03–27.03
    services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    created = services.sessions_generate(kurs=kurs, actor=Actor.for_user(users["veileder"]))
    assert [s.dato.day for s in created] == [9, 11, 16, 18, 23, 25]
    assert Kurssamling.objects.filter(kurs=kurs).count() == 7
    with pytest.raises(KursError, match="Alle de planlagte samlingene finnes allerede."):
        services.sessions_generate(kurs=kurs, actor=Actor.for_user(users["veileder"]))


def _group(alna, users, n=3):
    kurs = data.course(alna, users["veileder"])
    enrolments = [data.enrol(kurs, data.deltaker(alna), users["veileder"]) for _ in range(n)]
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    return kurs, enrolments, samling


def test_session_attendance_for_the_group_documents_each_vilkar_on_the_course(alna, users):
    _kurs, (came, excused, absent), samling = _group(alna, users)
    vilkar = {e.pk: data.course_vilkar(e, users["vedtak"]) for e in (came, excused, absent)}
    lines = services.session_attendance_register(samling=samling, actor=Actor.for_user(users["veileder"]), rows={
        came.pk: "mott", excused.pk: "gyldig_fravaer", absent.pk: "ikke_mott"})
    assert len(lines) == 3 and Kursoppmote.objects.filter(samling=samling).count() == 3
    documents = {d.vilkar_id: d for d in Dokumentasjon.objects.filter(kilde="kurs")}
    assert len(documents) == 3
    seen = {pk: (documents[v.pk].planlagte_dager, documents[v.pk].oppmotte_dager, documents[v.pk].fravaer_godkjent,
                 documents[v.pk].fravaer_ikke_godkjent) for pk, v in vilkar.items()}
    assert seen == {came.pk: (1, 1, 0, 0), excused.pk: (1, 0, 1, 0), absent.pk: (1, 0, 0, 1)}
    document = documents[vilkar[absent.pk].pk]
    assert (document.kilde_ref, document.mottatt, document.vurdering, document.type) == (
        f"samling:{samling.pk}:{absent.pk}", TODAY, "godkjent", "oppmoteliste")
    assert document.hendelse == "Jobbklubb mars 04.03.2026: ikke møtt"
    audited = AuditEntry.objects.filter(object_type="arbeidsboks.kursoppmote", action="create")
    assert {e.person_fnr for e in audited} == {e.deltaker.person.fnr for e in (came, excused, absent)}
    assert AuditEntry.objects.filter(object_type="conditions.dokumentasjon", action="create").count() == 3
    samling.refresh_from_db()
    assert samling.oppmote_registrert_av == users["veileder"]


def test_registering_the_session_again_corrects_the_attendance_and_its_document(alna, users):
    _kurs, (only,), samling = _group(alna, users, n=1)
    vilkar = data.course_vilkar(only, users["vedtak"])
    actor = Actor.for_user(users["veileder"])
    services.session_attendance_register(samling=samling, actor=actor, rows={only.pk: "ikke_mott"})
    services.session_attendance_register(samling=samling, actor=actor, rows={only.pk: "gyldig_fravaer"})
    assert Kursoppmote.objects.get(samling=samling).oppmote == "gyldig_fravaer"
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.fravaer_godkjent, document.fravaer_ikke_godkjent) == (1, 0)
    assert "gyldig fravær" in document.hendelse
    assert AuditEntry.objects.filter(object_type="arbeidsboks.kursoppmote", action="update").count() == 1


def test_a_session_with_a_missing_line_is_refused_whole_and_nothing_is_written(alna, users):
    _kurs, (first, second), samling = _group(alna, users, n=2)
    data.course_vilkar(first, users["vedtak"])
    with pytest.raises(KursError) as refused:
        services.session_attendance_register(samling=samling, actor=Actor.for_user(users["veileder"]),
                                             rows={first.pk: "mott", second.pk: ""})
    name = second.deltaker.person.navn
    assert _refusal(refused.value) == {f"d{second.pk}-oppmote": f"{name}: velg møtt, gyldig fravær eller ikke møtt."}
    assert not Kursoppmote.objects.exists() and not Dokumentasjon.objects.exists()


def test_attendance_for_a_session_that_has_not_been_held_is_refused(alna, users):
    kurs, (only,), _samling = _group(alna, users, n=1)
    later = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=datetime.date(2026, 3, 9))
    with pytest.raises(KursError, match="Oppmøtet kan registreres fra den dagen."):
        services.session_attendance_register(samling=later, actor=Actor.for_user(users["veileder"]),
                                             rows={only.pk: "mott"})


def test_a_participant_enrolled_after_a_session_is_not_on_its_list(alna, users):
    kurs = data.course(alna, users["veileder"])
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    with time_machine.travel(datetime.datetime(2026, 3, 9, 12, 0, tzinfo=datetime.UTC), tick=False):
        late = data.enrol(kurs, data.deltaker(alna), users["veileder"])
        assert list(services.session_enrolments(samling)) == []
        with pytest.raises(KursError, match="ikke er med på denne samlingen"):
            services.session_attendance_register(samling=samling, actor=Actor.for_user(users["veileder"]),
                                                 rows={late.pk: "mott"})


def test_the_month_counts_course_places_and_attendance(alna, stovner, users):
    kurs, (came, absent, excused), samling = _group(alna, users)
    data.enrol(data.course(alna, users["veileder"], navn="Fullt", kapasitet=1), data.deltaker(alna), users["veileder"])
    full = Gruppekurs.objects.get(navn="Fullt")
    data.enrol(full, data.deltaker(alna), users["veileder"])  # on the waiting list
    services.session_attendance_register(samling=samling, actor=Actor.for_user(users["veileder"]), rows={
        came.pk: "mott", absent.pk: "ikke_mott", excused.pk: "gyldig_fravaer"})
    services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=datetime.date(2026, 3, 9))
    data.course(stovner, users["veileder_stovner"])
    counts = month_course_counts(alna.pk, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert counts == {"plasser": 4, "pameldt": 4, "venteliste": 1, "samlinger": 1, "oppmote_mott": 1,
                      "oppmote_gyldig_fravaer": 1, "oppmote_ikke_mott": 1}
    assert month_course_counts(alna.pk, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))["plasser"] == 0
