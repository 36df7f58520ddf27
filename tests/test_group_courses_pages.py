"""The group course pages under /arbeidsboks/kurs/: who may see and do what (role, office,
KAREA on its own courses), bad input kept and refused at its field, the group's attendance in one
form, the planning view's counts, audit entries and fixed query counts."""
import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import kurs_services as services
from arbeidsboks.models import Gruppekurs, Kursdeltakelse, Kursoppmote, Kurssamling
from cases.models import Deltaker
from conditions.models import Dokumentasjon
from tests import kurs_data as data
from tests.helpers import body, messages

TODAY = data.TODAY


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


COURSE_FORM = {"navn": "Norskkurs A2", "type": "norskkurs", "innhold": "Muntlig norsk", "leverandor": "nav",
               "leverandor_navn": "", "rom": "Rom 3", "kapasitet": "10", "startdato": "2026-03-09",
               "sluttdato": "2026-04-30", "ukedager": ["2", "4"], "klokkeslett_fra": "09:00", "klokkeslett_til": "11:00"}


def test_a_veileder_creates_a_course_from_the_form(client, users, alna):
    client.force_login(users["veileder"])
    response = client.post(reverse("course-create"), COURSE_FORM, follow=True)
    kurs = Gruppekurs.objects.get()
    assert (kurs.office, kurs.ukedager, kurs.kapasitet) == (alna, "24", 10)
    assert "Kurset «Norskkurs A2» er opprettet." in messages(response)
    assert "tirsdag, torsdag kl. 09.00–11.00" in body(response)


@pytest.mark.parametrize(("change", "message"), [
    ({"kapasitet": "0"}, "Kapasiteten må være fra 1 til 200 plasser."),
    ({"sluttdato": "2026-03-01"}, "Sluttdatoen kan ikke være før startdatoen."),
])
def test_a_course_form_with_bad_input_keeps_what_was_typed_and_writes_nothing(client, users, alna, change, message):
    client.force_login(users["prosjektleder"])
    response = client.post(reverse("course-create"), COURSE_FORM | change)
    assert response.status_code == 400
    page = body(response)
    assert message in page and 'value="Norskkurs A2"' in page and 'aria-invalid="true"' in page
    assert not Gruppekurs.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", ["hovedveileder", "vedtak", "leder", "controller", "karea"])
def test_only_the_office_veileder_and_prosjektleder_create_courses(client, users, alna, role):
    client.force_login(users[role])
    assert client.post(reverse("course-create"), COURSE_FORM).status_code == 403
    assert not Gruppekurs.objects.exists()


def test_the_list_shows_the_office_courses_and_karea_only_its_own(client, users, alna, stovner):
    data.course(alna, users["veileder"], navn="Jobbklubb Alna")
    data.course(alna, users["veileder"], navn="Trim Alna", leverandor="karea")
    data.course(stovner, users["veileder_stovner"], navn="Jobbklubb Stovner")
    client.force_login(users["veileder"])
    page = body(client.get(reverse("course-list")))
    assert "Jobbklubb Alna" in page and "Trim Alna" in page and "Jobbklubb Stovner" not in page
    client.force_login(users["karea"])
    page = body(client.get(reverse("course-list")))
    assert "Trim Alna" in page and "Jobbklubb Alna" not in page
    assert 'href="/arbeidsboks/kurs/nytt/"' not in page
    client.force_login(users["hovedveileder"])
    assert client.get(reverse("course-list")).status_code == 403


def test_the_course_page_shows_participants_and_waiting_list_with_a_read_entry_each(client, users, alna,
                                                                                     django_assert_num_queries):
    kurs = data.course(alna, users["veileder"], kapasitet=1)
    placed = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    waiting = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    client.force_login(users["veileder"])
    url = reverse("course-detail", args=[kurs.pk])
    client.get(url)
    seen = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    # session (read and saved), user, memberships, two pairs of savepoints; course, enrolments,
    # audit insert, sessions, candidates
    with django_assert_num_queries(13) as first:
        page = body(client.get(url))
    assert placed.deltaker.person.navn in page and waiting.deltaker.person.navn in page
    assert "1 av 1 plass" in page and "1 på venteliste" in page
    reads = AuditEntry.objects.filter(action="read", object_type="arbeidsboks.kursdeltakelse", id__gt=seen)
    assert {e.person_fnr for e in reads} == {placed.deltaker.person.fnr, waiting.deltaker.person.fnr}
    for _ in range(3):
        data.enrol(kurs, data.deltaker(alna), users["veileder"])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_another_office_and_karea_on_a_nav_course_get_404(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    url = reverse("course-detail", args=[kurs.pk])
    for role in ("veileder_stovner", "karea"):
        client.force_login(users[role])
        assert client.get(url).status_code == 404


def test_karea_reads_its_own_course_and_registers_attendance_but_cannot_enrol(client, users, alna):
    kurs = data.course(alna, users["veileder"], leverandor="karea")
    enrolment = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    client.force_login(users["karea"])
    page = body(client.get(reverse("course-detail", args=[kurs.pk])))
    assert enrolment.deltaker.person.navn in page and "Meld på" not in page and "Endre kurset" not in page
    assert client.post(reverse("course-enrol", args=[kurs.pk]), {"deltaker": data.deltaker(alna).pk}).status_code == 403
    response = client.post(reverse("session-attendance", args=[samling.pk]), {f"d{enrolment.pk}-oppmote": "mott"})
    assert response.status_code == 302
    assert Kursoppmote.objects.get().oppmote == "mott"


def test_a_protected_participant_is_left_out_for_users_without_the_permission(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    hidden = data.enrol(kurs, data.deltaker(alna, adressebeskyttelse="fortrolig"), users["veileder"])
    shown = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    client.force_login(users["veileder"])
    page = body(client.get(reverse("course-detail", args=[kurs.pk])))
    assert shown.deltaker.person.navn in page and hidden.deltaker.person.navn not in page
    assert "2 av 12 plasser" in page  # the place is taken all the same; the count names no one


def test_enrolling_from_the_course_page_puts_the_course_in_the_plan(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    who = data.deltaker(alna)
    Deltaker.objects.filter(pk=who.pk).update(veileder=users["veileder"])  # the course page offers her own
    client.force_login(users["veileder"])
    page = body(client.get(reverse("course-detail", args=[kurs.pk])))
    assert who.person.navn in page  # offered in the form
    response = client.post(reverse("course-enrol", args=[kurs.pk]), {"deltaker": who.pk}, follow=True)
    assert f"{who.person.navn} er påmeldt. Kurset står som avtalt aktivitet i planen." in messages(response)
    enrolment = Kursdeltakelse.objects.get(deltaker=who)
    assert enrolment.aktivitet.type == "kurs"
    participant = body(client.get(reverse("participant-detail", args=[who.pk])))
    assert "Kurs og gruppesamlinger" in participant and "Jobbklubb mars" in participant


def test_a_participant_of_another_office_cannot_be_posted_into_the_course(client, users, alna, stovner):
    kurs = data.course(alna, users["veileder"])
    client.force_login(users["veileder"])
    response = client.post(reverse("course-enrol", args=[kurs.pk]), {"deltaker": data.deltaker(stovner).pk})
    assert response.status_code == 400
    assert "Velg en deltaker fra listen." in body(response)
    assert not Kursdeltakelse.objects.exists()


def test_ending_an_enrolment_asks_for_confirmation_and_moves_the_waiting_list_in(client, users, alna):
    kurs = data.course(alna, users["veileder"], kapasitet=1)
    placed = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    waiting = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    client.force_login(users["veileder"])
    url = reverse("enrolment-end", args=[placed.pk])
    form = {"status": "avbrutt", "begrunnelse": "Syk i lang tid"}
    confirm = client.post(url, form)
    assert confirm.status_code == 200 and "Bekreft og avslutt" in body(confirm)
    placed.refresh_from_db()
    assert placed.status == "pameldt"
    response = client.post(url, form | {"bekreftet": "ja"}, follow=True)
    assert f"fikk plass: {waiting.deltaker.person.navn}." in " ".join(messages(response))
    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert (placed.status, waiting.status) == ("avbrutt", "pameldt")


def test_a_session_outside_the_course_dates_is_refused_at_the_date_field(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    client.force_login(users["veileder"])
    response = client.post(reverse("session-create", args=[kurs.pk]), {"dato": "2026-04-02", "tema": "Intervju"})
    assert response.status_code == 400
    page = body(response)
    assert "Samlingen må være innenfor kursets datoer, 04.03.2026–27.03.2026." in page and 'value="Intervju"' in page
    assert not Kurssamling.objects.exists()


def test_the_planned_sessions_are_made_from_the_course_page(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    client.force_login(users["veileder"])
    response = client.post(reverse("sessions-generate", args=[kurs.pk]), follow=True)
    assert "7 samlinger er lagt til etter ukemønsteret." in messages(response)
    assert AuditEntry.objects.filter(object_type="arbeidsboks.kurssamling", action="create").count() == 7


def test_the_group_attendance_form_documents_the_vilkar_and_runs_a_fixed_number_of_queries(
        client, users, alna, django_assert_num_queries):
    kurs = data.course(alna, users["veileder"])
    came, absent = (data.enrol(kurs, data.deltaker(alna), users["veileder"]) for _ in range(2))
    vilkar = data.course_vilkar(absent, users["vedtak"])
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    client.force_login(users["veileder"])
    url = reverse("session-attendance", args=[samling.pk])
    client.get(url)
    # session (read and saved), user, memberships, two pairs of savepoints; the session's course,
    # course, session, enrolments, attendance, audit insert
    with django_assert_num_queries(14) as first:
        page = body(client.get(url))
    assert came.deltaker.person.navn in page and "Ikke møtt – gyldig fravær" in page
    data.enrol(kurs, data.deltaker(alna), users["veileder"])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
    rows = {f"d{e.pk}-oppmote": "ikke_mott" for e in Kursdeltakelse.objects.filter(kurs=kurs)}
    response = client.post(url, rows | {f"d{came.pk}-oppmote": "mott"}, follow=True)
    assert "Oppmøtet for samlingen 04.03.2026 er lagret for 3 deltakere." in messages(response)
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.kilde, document.fravaer_ikke_godkjent) == ("kurs", 1)


def test_a_group_attendance_form_with_a_missing_line_is_refused_at_that_line(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    came, missing = (data.enrol(kurs, data.deltaker(alna), users["veileder"]) for _ in range(2))
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    client.force_login(users["veileder"])
    response = client.post(reverse("session-attendance", args=[samling.pk]), {f"d{came.pk}-oppmote": "mott"})
    assert response.status_code == 400
    page = body(response)
    assert f"{missing.deltaker.person.navn}: velg møtt, gyldig fravær eller ikke møtt." in page
    assert f'id="d{came.pk}-oppmote-mott" value="mott" checked' in page  # what was chosen is kept
    assert not Kursoppmote.objects.exists()


def test_the_planning_view_counts_mapped_barriers_and_resources(client, users, alna, stovner, make_deltaker):
    kurs = data.course(alna, users["veileder"], navn="Norsk og jobb")
    first, second, third = (data.deltaker(alna) for _ in range(3))
    data.mapped(first, users["veileder"], {"sprak": "barriere", "helse": "ressurs"})
    data.mapped(second, users["veileder"], {"sprak": "begge", "arbeidserfaring": "barriere"})
    data.mapped(third, users["veileder"], {"sprak": "barriere"})
    protected = data.deltaker(alna, skjermet=True)
    data.mapped(protected, users["veileder"], {"sprak": "barriere"})
    ended = make_deltaker(("kandidat", "henvist", "avsluttet"), office=alna)
    data.mapped(ended, users["veileder"], {"sprak": "barriere"})
    data.mapped(data.deltaker(stovner), users["veileder_stovner"], {"sprak": "barriere"})
    data.enrol(kurs, first, users["veileder"])
    data.enrol(kurs, second, users["veileder"])
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("course-planning")))
    assert "Aktive deltakere: 3" in page  # the skjermet one, the ended one and Stovner's are not counted
    assert '<tr data-omrade="sprak"><th scope="row">Språk</th><td>3</td><td>1</td></tr>' in page
    assert '<tr data-omrade="helse"><th scope="row">Helse</th><td>0</td><td>1</td></tr>' in page
    assert '<td data-omrade="sprak">2 / 1</td>' in page.split(f'data-kurs="{kurs.pk}"')[1]
    assert '<td data-omrade="arbeidserfaring">1 / 0</td>' in page.split(f'data-kurs="{kurs.pk}"')[1]
    assert not AuditEntry.objects.filter(action="read").exists()  # counts name no one


def test_the_planning_view_counts_skjermet_persons_for_users_allowed_to_see_them(client, users, alna):
    data.mapped(data.deltaker(alna), users["veileder"], {"helse": "barriere"})
    data.mapped(data.deltaker(alna, skjermet=True), users["veileder"], {"helse": "barriere"})
    user = users["prosjektleder"]
    user.may_see_skjermet = True
    user.save()
    client.force_login(user)
    assert "Aktive deltakere: 2" in body(client.get(reverse("course-planning")))


@pytest.mark.parametrize("role", ["karea", "hovedveileder", "controller", "vedtak"])
def test_the_planning_view_is_for_veileder_and_prosjektleder_only(client, users, alna, role):
    client.force_login(users[role])
    assert client.get(reverse("course-planning")).status_code == 403


def test_the_planning_view_of_another_office_is_404(client, users, alna, stovner):
    client.force_login(users["prosjektleder"])
    assert client.get(reverse("course-planning") + "?kontor=0328").status_code == 404


def _registrert(page: str) -> str:
    return re.search(r'name="registrert" value="([^"]*)"', page).group(1)


def test_a_second_save_from_a_stale_attendance_page_is_refused_and_writes_nothing(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    enrolment = data.enrol(kurs, data.deltaker(alna), users["veileder"])
    vilkar = data.course_vilkar(enrolment, users["vedtak"])
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=TODAY)
    url = reverse("session-attendance", args=[samling.pk])
    client.force_login(users["veileder"])
    stale = _registrert(body(client.get(url)))  # A and B open the page before anyone has saved
    field = f"d{enrolment.pk}-oppmote"
    assert client.post(url, {field: "mott", "registrert": stale}).status_code == 302  # A saves
    response = client.post(url, {field: "ikke_mott", "registrert": stale}, follow=True)  # B, from the old page
    assert any("Noen andre har gjort dette før deg: " in text and "Siden viser nå det som gjelder." in text
               for text in messages(response))
    assert Kursoppmote.objects.get().oppmote == "mott"
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.oppmotte_dager, document.fravaer_ikke_godkjent) == (1, 0)
    # the page drawn anew carries the new state: saving from it corrects the attendance
    fresh = _registrert(body(response))
    assert fresh and fresh != stale
    assert client.post(url, {field: "ikke_mott", "registrert": fresh}).status_code == 302
    assert Kursoppmote.objects.get().oppmote == "ikke_mott"


def test_the_planning_view_counts_the_waiting_list_beside_the_enrolled(client, users, alna):
    kurs = data.course(alna, users["veileder"], navn="Norsk A1", kapasitet=1)
    enrolled, waiting = data.deltaker(alna), data.deltaker(alna)
    data.mapped(enrolled, users["veileder"], {"sprak": "barriere"})
    data.mapped(waiting, users["veileder"], {"sprak": "barriere", "helse": "ressurs"})
    data.enrol(kurs, enrolled, users["veileder"])
    assert data.enrol(kurs, waiting, users["veileder"]).status == "venteliste"
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("course-planning")))
    row = page.split(f'data-kurs="{kurs.pk}"')[1].split("</tr>")[0]
    assert '<td data-antall="pameldt">1</td><td data-antall="venteliste">1</td>' in row
    assert '<td data-omrade="sprak">1 / 0</td>' in row
    waiting_row = page.split(f'data-venteliste-kurs="{kurs.pk}"')[1].split("</tr>")[0]
    assert '<td data-omrade="sprak">1 / 0</td>' in waiting_row and '<td data-omrade="helse">0 / 1</td>' in waiting_row


def test_an_ended_course_of_one_place_says_plass_in_the_singular(client, users, alna):
    data.course(alna, users["veileder"], navn="Trim februar", kapasitet=1, start=datetime.date(2026, 2, 2),
                end=datetime.date(2026, 2, 27))
    page = body(client.force_login(users["veileder"]) or client.get(reverse("course-list")))
    assert "0 av 1 plass)" in page and "1 plasser" not in page


def test_the_course_page_offers_only_the_users_own_participants_and_sends_others_to_their_page(client, users, alna):
    kurs = data.course(alna, users["veileder"])
    own, other = data.deltaker(alna), data.deltaker(alna)
    Deltaker.objects.filter(pk=own.pk).update(veileder=users["veileder"])
    client.force_login(users["veileder"])
    page = body(client.get(reverse("course-detail", args=[kurs.pk])))
    assert own.person.navn in page and other.person.navn not in page
    assert "Andre meldes på fra deltakersiden" in page
    client.force_login(users["prosjektleder"])
    assert "Du har ingen egne deltakere å melde på." in body(client.get(reverse("course-detail", args=[kurs.pk])))


def test_a_participant_is_enrolled_from_their_page_in_one_of_the_offices_courses(client, users, alna, stovner):
    kurs = data.course(alna, users["veileder"])
    elsewhere = data.course(stovner, users["veileder_stovner"], navn="Jobbklubb Stovner")
    who = data.deltaker(alna)
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("participant-detail", args=[who.pk])))
    assert "Meld på kurs" in page and "Jobbklubb mars" in page and "Jobbklubb Stovner" not in page
    refused = client.post(reverse("participant-course-enrol", args=[who.pk]), {"kurs": elsewhere.pk}, follow=True)
    assert "Kurs: Velg et kurs fra listen." in messages(refused)
    assert not Kursdeltakelse.objects.exists()
    response = client.post(reverse("participant-course-enrol", args=[who.pk]), {"kurs": kurs.pk}, follow=True)
    assert f"{who.person.navn} er påmeldt. Kurset står som avtalt aktivitet i planen." in messages(response)
    assert Kursdeltakelse.objects.get(deltaker=who).kurs == kurs
    assert "Meld på kurs" not in body(response)  # the office's one course is no longer offered
    client.force_login(users["karea"])
    assert client.post(reverse("participant-course-enrol", args=[who.pk]), {"kurs": kurs.pk}).status_code in (403, 404)
