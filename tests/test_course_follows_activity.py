"""Issue 14, part 5: the course follows reality. A placement, a state measure or a course-like
plan activity that starts for an avklart participant moves the course to «I aktivitet» on its
start date (one event, audited, naming who acted); a start ahead waits for the placement's own
start; other states do not move. Ending the last activity asks for the next step. A placement
overlapping another needs a confirmation, and without it nothing is written."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import services
from arbeidsboks.models import Plassering, StatligTiltak
from arbeidsboks.services import ArbeidsboksError
from cases import services as cases_services
from cases.models import Aktivitet, CourseEvent, Deltaker
from tests import arbeidsboks_data as data

TODAY = datetime.date(2026, 3, 4)
AVKLART_ON = datetime.date(2026, 1, 9)  # the fifth step of the course from 05.01.2026
TO_AVKLART = ("kandidat", "henvist", "mott", "i_kartlegging", "avklart")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def avklart(make_deltaker, alna):
    return make_deltaker(TO_AVKLART, office=alna)


def _post(area, **extra):
    return {"arbeidsomrade": area.pk, "kind": "arbeidstrening", "startdato": "2026-03-02",
            "planlagt_slutt": "2026-06-01", "timer_per_uke": "20", "dager_per_uke": "5",
            "veileder_pa_stedet": "Ola Arbeidsleder", "mal": "Lære rutiner", "ikke_fortrengning": "on", **extra}


def _activity_events(deltaker):
    return list(CourseEvent.objects.filter(deltaker=deltaker, state="i_aktivitet"))


def test_a_placement_that_starts_moves_an_avklart_course_once_audited_naming_the_user(client, users, alna, avklart):
    area = data.area(alna)
    client.force_login(users["veileder"])
    response = client.post(reverse("placement-create", args=[avklart.pk]), _post(area), follow=True)
    assert "Løpet er flyttet til «I aktivitet» fra 02.03.2026." in response.content.decode()
    avklart.refresh_from_db()
    assert (avklart.status, avklart.status_dato) == ("i_aktivitet", datetime.date(2026, 3, 2))
    [event] = _activity_events(avklart)
    assert event.date == datetime.date(2026, 3, 2) and event.created_by == users["veileder"]
    assert "Plassering startet" in event.comment
    audit = AuditEntry.objects.get(action="update", object_type="cases.courseevent", object_id=str(event.pk))
    assert audit.username == "veileder" and audit.person_fnr == avklart.person.fnr and audit.office == "0326"
    # The course page (the timeline) shows the step; a second placement moves nothing more.
    body = client.get(reverse("participant-detail", args=[avklart.pk])).content.decode()
    assert "I aktivitet" in body
    data.place(avklart, data.area(alna, navn="Kantine"), users["karea"], start=datetime.date(2026, 6, 2),
               end=datetime.date(2026, 7, 1))
    assert len(_activity_events(avklart)) == 1


def test_a_planned_placement_moves_the_course_when_it_starts_not_before(client, users, alna, avklart):
    area = data.area(alna)
    placement = data.place(avklart, area, users["karea"], start=datetime.date(2026, 3, 9), end=datetime.date(2026, 5, 1))
    avklart.refresh_from_db()
    assert placement.status == "planlagt" and avklart.status == "avklart" and not _activity_events(avklart)
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(users["karea"])  # a session idle for days has ended
        response = client.post(reverse("placement-start", args=[placement.pk]), follow=True)
    assert "Plasseringen er startet. Løpet er flyttet til «I aktivitet» fra 09.03.2026." in response.content.decode()
    [event] = _activity_events(avklart)
    assert event.date == datetime.date(2026, 3, 9) and event.created_by == users["karea"]


def test_a_start_before_the_participant_was_avklart_counts_from_the_avklart_date(users, alna, avklart):
    data.place(avklart, data.area(alna), users["karea"], start=datetime.date(2026, 1, 2))
    [event] = _activity_events(avklart)
    assert event.date == AVKLART_ON


@pytest.mark.parametrize("path", [("kandidat", "henvist", "mott", "i_kartlegging"),
                                  (*TO_AVKLART, "i_aktivitet")])
def test_in_another_state_the_placement_is_saved_and_the_course_does_not_move(users, alna, make_deltaker, path):
    deltaker = make_deltaker(path, office=alna)
    events = CourseEvent.objects.filter(deltaker=deltaker).count()
    placement = data.place(deltaker, data.area(alna), users["karea"], start=datetime.date(2026, 3, 2))
    deltaker.refresh_from_db()
    assert Plassering.objects.filter(pk=placement.pk, status="aktiv").exists()
    assert deltaker.status == path[-1] and CourseEvent.objects.filter(deltaker=deltaker).count() == events


@pytest.mark.parametrize(("fra", "til", "moves"), [
    ("2026-03-01", "", True),                # running, no end
    ("2026-03-10", "", False),               # starts ahead: nothing yet
    ("2026-02-01", "2026-02-20", False),     # ended already
])
def test_a_running_state_measure_moves_the_course_from_its_start(client, users, avklart, fra, til, moves):
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("state-measures", args=[avklart.pk]),
                           {"type": "arbeidspraksis", "leverandor": "Tiltak AS", "fra": fra, "til": til}, follow=True)
    assert StatligTiltak.objects.filter(deltaker=avklart).count() == 1
    assert ("Løpet er flyttet til «I aktivitet»" in response.content.decode()) is moves
    avklart.refresh_from_db()
    assert avklart.status == ("i_aktivitet" if moves else "avklart")
    if moves:
        [event] = _activity_events(avklart)
        assert event.date == datetime.date(2026, 3, 1) and event.created_by == users["hovedveileder"]


def test_a_course_like_plan_activity_being_carried_out_moves_the_course(users, avklart):
    actor = Actor.for_user(users["veileder"])
    fields = {"beskrivelse": "Jobbsøking", "fra_dato": datetime.date(2026, 3, 2), "til_dato": datetime.date(2026, 4, 1),
              "status": "gjennomfores"}
    cases_services.activity_create(deltaker=avklart, actor=actor, fields={**fields, "type": "jobbsoking",
                                                                          "soknader_per_uke": 3})
    kurs = cases_services.activity_create(deltaker=avklart, actor=actor,
                                          fields={**fields, "type": "kurs", "beskrivelse": "Norskkurs",
                                                  "status": "planlagt"})
    avklart.refresh_from_db()
    assert avklart.status == "avklart"  # job search does not count, a planned course has not started
    cases_services.activity_update(aktivitet=kurs, actor=actor, fields={"status": "gjennomfores"})
    [event] = _activity_events(avklart)
    assert event.date == datetime.date(2026, 3, 2) and "Norskkurs" in event.comment


def test_ending_the_last_activity_asks_for_the_next_step_and_moves_nothing(client, users, alna, make_deltaker):
    deltaker = make_deltaker((*TO_AVKLART, "i_aktivitet"), office=alna)
    first = data.place(deltaker, data.area(alna), users["karea"], start=datetime.date(2026, 2, 2))
    second = data.place(deltaker, data.area(alna, navn="Kantine"), users["karea"], start=datetime.date(2026, 2, 2),
                        overlap_confirmed=True)
    client.force_login(users["veileder"])
    end = {"status": "fullfort", "sluttdato": "2026-03-03", "sluttarsak": "fullfort_plan"}
    body = client.post(reverse("placement-end", args=[first.pk]), end, follow=True).content.decode()
    assert "Plasseringen er avsluttet." in body and "ingen aktive aktiviteter" not in body  # the other runs
    body = client.post(reverse("placement-end", args=[second.pk]), end, follow=True).content.decode()
    assert "Deltakeren har ingen aktive aktiviteter. Velg neste steg: ny aktivitet eller avslutt løpet." in body
    link = reverse("participant-detail", args=[deltaker.pk]) + "#endre-status"
    assert f'href="{link}"' in body
    deltaker.refresh_from_db()
    assert deltaker.status == "i_aktivitet"
    assert 'id="endre-status"' in client.get(link).content.decode()


def test_finishing_the_last_plan_activity_asks_for_the_next_step(client, users, alna, make_deltaker):
    deltaker = make_deltaker((*TO_AVKLART, "i_aktivitet"), office=alna)
    aktivitet = Aktivitet.objects.create(deltaker=deltaker, type="kurs", beskrivelse="Norskkurs", status="gjennomfores",
                                         fra_dato=datetime.date(2026, 2, 2), til_dato=datetime.date(2026, 3, 3),
                                         created_by=users["veileder"])
    client.force_login(users["veileder"])
    post = {"type": "kurs", "beskrivelse": "Norskkurs", "fra_dato": "2026-02-02", "til_dato": "2026-03-03",
            "status": "fullfort", "avbrutt_begrunnelse": ""}
    body = client.post(reverse("activity-edit", args=[deltaker.pk, aktivitet.pk]), post, follow=True).content.decode()
    assert "Deltakeren har ingen aktive aktiviteter." in body
    assert Deltaker.objects.get(pk=deltaker.pk).status == "i_aktivitet"


def test_an_overlapping_placement_warns_and_is_written_only_when_confirmed(client, users, alna):
    deltaker = data.deltaker(alna)
    running = data.place(deltaker, data.area(alna), users["karea"], start=datetime.date(2026, 2, 2),
                         end=datetime.date(2026, 4, 30))
    other_area = data.area(alna, navn="Kantine")
    client.force_login(users["karea"])
    url = reverse("placement-create", args=[deltaker.pk])
    response = client.post(url, _post(other_area))
    body = response.content.decode()
    assert response.status_code == 200 and "Overlappende plassering" in body
    assert f"{running.arbeidsomrade} (aktiv, 02.02.2026–30.04.2026)" in body
    assert 'name="bekreftet" value="ja"' in body
    assert Plassering.objects.filter(deltaker=deltaker).count() == 1
    # «Tilbake» draws the form again as typed, and writes nothing either.
    back = client.post(f"{url}?rediger=1", _post(other_area, mal="Lære kantinerutiner")).content.decode()
    assert "Lære kantinerutiner" in back and "Lagre plassering" in back
    assert Plassering.objects.filter(deltaker=deltaker).count() == 1
    # The service refuses the overlap by itself too: nothing written without the confirmation.
    with pytest.raises(ArbeidsboksError, match="overlapper"):
        data.place(deltaker, other_area, users["karea"], start=datetime.date(2026, 3, 2))
    assert Plassering.objects.filter(deltaker=deltaker).count() == 1
    response = client.post(url, {**_post(other_area), "bekreftet": "ja"}, follow=True)
    assert "er plassert (aktiv)" in response.content.decode()
    assert Plassering.objects.filter(deltaker=deltaker, arbeidsomrade=other_area).exists()
    # Moving a placement's dates onto another's asks too; periods apart need nothing.
    later = data.place(deltaker, data.area(alna, navn="Lager"), users["karea"], start=datetime.date(2026, 6, 2),
                       end=datetime.date(2026, 6, 30))
    edit = {"begrunnelse": "Ny startdato", "startdato": "2026-05-20", "planlagt_slutt": "2026-06-30",
            "timer_per_uke": "20", "dager_per_uke": "5", "veileder_pa_stedet": "Ola Arbeidsleder",
            "mal": "Lære renholdsrutiner og møte presist"}
    body = client.post(reverse("placement-edit", args=[later.pk]), edit).content.decode()
    assert "Overlappende plassering" in body
    assert Plassering.objects.get(pk=later.pk).startdato == datetime.date(2026, 6, 2)
    client.post(reverse("placement-edit", args=[later.pk]), {**edit, "bekreftet": "ja"})
    assert Plassering.objects.get(pk=later.pk).startdato == datetime.date(2026, 5, 20)


def test_overlap_confirmation_is_not_asked_for_periods_apart(users, alna):
    deltaker = data.deltaker(alna)
    data.place(deltaker, data.area(alna), users["karea"], start=datetime.date(2026, 2, 2), end=datetime.date(2026, 3, 1))
    placement = services.placement_create(
        deltaker=deltaker, arbeidsomrade=data.area(alna, navn="Kantine"), actor=Actor.for_user(users["karea"]),
        kind="praksis", startdato=datetime.date(2026, 3, 2), planlagt_slutt=datetime.date(2026, 4, 1),
        timer_per_uke=20, veileder_pa_stedet="Kari", mal="Praksis", ikke_fortrengning=True)
    assert placement.pk is not None
