"""The portfolio and the participant page: scope per role and office, masking, audit, actions."""
import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, SecurityEvent
from cases import services
from cases.models import Avtale, CourseEvent, Deltaker, Huskelapp, HuskelappAngring, JournalEntry, Sak
from tests.html import field_has_error, field_tag

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


def names(response) -> str:
    return response.content.decode()


def test_portfolio_shows_the_veileders_own_participants_by_default(client, users, make_deltaker, make_person):
    mine = make_deltaker(("kandidat", "henvist", "mott"), person=make_person(navn="Mari Min"), veileder=users["veileder"])
    make_deltaker(("kandidat", "henvist"), person=make_person(navn="Ola Annen"))
    client.force_login(users["veileder"])
    body = names(client.get(reverse("portfolio")))
    assert "Mari Min" in body and "Ola Annen" not in body
    assert reverse("participant-detail", args=[mine.pk]) in body
    assert "Start kartlegging" in body  # what needs doing next
    assert "Ola Annen" in names(client.get(reverse("portfolio"), {"vis": "alle"}))


def test_project_leader_sees_the_whole_office_but_not_another_office(client, users, make_deltaker, make_person, stovner):
    make_deltaker(person=make_person(navn="Alna Person"))
    make_deltaker(person=make_person(navn="Stovner Person"), office=stovner)
    client.force_login(users["prosjektleder"])
    body = names(client.get(reverse("portfolio")))
    assert "Alna Person" in body and "Stovner Person" not in body


def test_karea_sees_enrolled_participants_only_never_candidates(client, users, make_deltaker, make_person):
    make_deltaker(("kandidat",), person=make_person(navn="Bare Kandidat"))
    enrolled = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Henvist Person"))
    candidate = Deltaker.objects.get(person__navn="Bare Kandidat")
    client.force_login(users["karea"])
    body = names(client.get(reverse("portfolio"), {"vis": "alle"}))
    assert "Henvist Person" in body and "Bare Kandidat" not in body
    assert client.get(reverse("participant-detail", args=[candidate.pk])).status_code == 404
    page = client.get(reverse("participant-detail", args=[enrolled.pk]))
    assert page.status_code == 200
    assert enrolled.person.fnr not in names(page)  # KAREA gets no fødselsnummer and no Oskar case data


def test_protected_persons_are_left_out_of_the_list_and_hidden_on_their_page(client, users, make_deltaker, make_person):
    secret = make_deltaker(person=make_person(navn="Hemmelig Adresse", adressebeskyttelse="strengt_fortrolig"))
    client.force_login(users["prosjektleder"])
    body = names(client.get(reverse("portfolio")))
    assert "Hemmelig Adresse" not in body and "Skjermet person" not in body
    assert reverse("participant-detail", args=[secret.pk]) not in body
    assert client.get(reverse("participant-detail", args=[secret.pk])).status_code == 404
    assert SecurityEvent.objects.filter(status=404, username="prosjektleder").exists()


def test_controller_and_vedtak_never_see_participants(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"))
    for role in ("controller", "vedtak", "leder"):
        client.force_login(users[role])
        assert client.get(reverse("portfolio")).status_code == 403
        assert client.get(reverse("participant-detail", args=[deltaker.pk])).status_code == 403


def test_search_by_fodselsnummer_is_posted_and_finds_the_person(client, users, make_deltaker, make_person):
    person = make_person(navn="Søkbar Person")
    make_deltaker(person=person)
    make_deltaker(person=make_person(navn="Annen Person"))
    client.force_login(users["prosjektleder"])
    form = names(client.get(reverse("portfolio")))
    assert 'method="post" action="/deltakere/" role="search"' in form
    spaced = f"{person.fnr[:6]} {person.fnr[6:]}"
    body = names(client.post(reverse("portfolio"), {"sok": spaced}))
    assert "Søkbar Person" in body and "Annen Person" not in body
    assert not AuditEntry.objects.exists()  # search results are not logged


def test_portfolio_filters(client, users, make_deltaker, make_person):
    due = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Har Frist"), start=datetime.date(2026, 2, 25))
    Huskelapp.objects.create(deltaker=due, due_date=datetime.date(2026, 3, 1), comment="Ring", created_by=users["veileder"])
    make_deltaker(("kandidat", "henvist", "mott"), person=make_person(navn="Har Veileder"), veileder=users["veileder"])
    make_deltaker(("kandidat", "henvist"), person=make_person(navn="Gammel Henvisning"), start=datetime.date(2025, 1, 1))
    client.force_login(users["prosjektleder"])

    def shown(**params):
        body = names(client.get(reverse("portfolio"), {"vis": "alle", **params}))
        return {name for name in ("Har Frist", "Har Veileder", "Gammel Henvisning") if name in body}

    assert shown(huskelapp="on") == {"Har Frist"}
    assert shown(uten_veileder="on") == {"Har Frist", "Gammel Henvisning"}
    assert shown(veileder=users["veileder"].pk) == {"Har Veileder"}
    assert shown(status="mott") == {"Har Veileder"}
    assert shown(nye="on") == {"Har Frist"}
    body = names(client.get(reverse("portfolio"), {"vis": "alle", "sorter": "navn"}))
    assert body.index("Gammel Henvisning") < body.index("Har Frist") < body.index("Har Veileder")


def test_portfolio_runs_a_fixed_number_of_queries(client, users, make_deltaker, django_assert_num_queries):
    client.force_login(users["prosjektleder"])
    for _ in range(3):
        make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    client.get(reverse("portfolio"))
    with django_assert_num_queries(11) as few:
        client.get(reverse("portfolio"))
    for _ in range(20):
        make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("portfolio"))


def test_participant_page_is_audited_before_it_is_shown(client, users, make_deltaker, alna, make_person):
    spouse = make_person(navn="Ektefelle Ektesen")
    deltaker = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Hoved Personsen"))
    deltaker.sak = Sak.objects.create(office=alna, saksnummer="S9", hovedperson=deltaker.person, ektefelle=spouse,
                                      antall_barn=2, inntektstype="hovedinntekt")
    deltaker.save()
    client.force_login(users["veileder"])
    body = names(client.get(reverse("participant-detail", args=[deltaker.pk])))
    assert "Hoved Personsen" in body and "Ektefelle Ektesen" in body and "Sak S9" in body
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.person_fnr, entry.office, entry.object_type) == (
        "read", deltaker.person.fnr, "0326", "cases.deltaker"
    )


def test_participant_page_runs_a_fixed_number_of_queries(client, users, make_deltaker, django_assert_num_queries):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"))
    actor = Actor.for_user(users["veileder"])

    def add_rows(day):
        note = services.journal_create(deltaker=deltaker, actor=actor, kind="samtale",
                                       on_date=datetime.date(2026, 2, 1 + day), text="Notat")
        services.journal_correct(entry=note, actor=actor, text="Rettet notat", reason="Feil dato")
        lapp = Huskelapp.objects.create(deltaker=deltaker, due_date=datetime.date(2026, 4, 1), comment="Frist",
                                        created_by=users["veileder"])
        HuskelappAngring.objects.create(huskelapp=lapp, done_at=timezone.now(), done_by=users["veileder"],
                                        undone_at=timezone.now(), undone_by=users["veileder"], reason="Ikke gjort")
        services.huskelapp_mark_done(huskelapp=Huskelapp.objects.create(
            deltaker=deltaker, due_date=datetime.date(2026, 4, 1), comment="Gjort", created_by=users["veileder"]),
            actor=actor)
        Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=timezone.now(), sted="Alna Aktiv",
                              veileder=users["veileder"], created_by=users["veileder"])
        Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=timezone.now(), sted="Alna Aktiv",
                              veileder=users["veileder"], status="mott", closed_at=timezone.now(),
                              closed_by=users["veileder"])

    add_rows(0)
    client.force_login(users["veileder"])
    client.get(reverse("participant-detail", args=[deltaker.pk]))
    # 13, 3 for the Arbeidsboks section (placements, evaluations, state measures), the huskelapper
    # done lately, the undone «Utført» of the open ones, the appointments, the veileder's assignments
    # in the course history, the veiledere of «Bytt veileder» and the veileder's activity vilkår (issue 14),
    # and the group courses (issue 15), the signed § 14 a versions and their complaints, and the
    # consents to share with KAREA (issue 16)
    with django_assert_num_queries(26) as first:
        client.get(reverse("participant-detail", args=[deltaker.pk]))
    for day in range(1, 10):
        add_rows(day)
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get(reverse("participant-detail", args=[deltaker.pk])).content.decode()
    assert body.count("Rett eller stryk notatet") == 10 and body.count("Angre «Utført»") == 20


def test_hovedveileder_refers_a_candidate_and_the_target_group_is_derived(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1))
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("participant-refer", args=[deltaker.pk]),
                           {"reason": "Ønsker arbeid", "first_appointment": "2026-03-05T10:00",
                            "veileder": users["veileder"].pk, "sted": "Alna Aktiv"})
    assert response.status_code == 302
    deltaker.refresh_from_db()
    assert (deltaker.status, deltaker.hovedveileder, deltaker.malgruppe) == ("henvist", users["hovedveileder"], "ovrige")
    # the course event and the participant (hovedveileder, veileder, first appointment)
    assert AuditEntry.objects.filter(action="update", person_fnr=deltaker.person.fnr).count() == 2
    page = names(client.get(reverse("participant-detail", args=[deltaker.pk])))
    assert "Avtale ved Alna Aktiv: 05.03.2026 kl. 10.00" in page and "Deltakeren er henvist til Alna Aktiv." in page


def test_referral_without_a_reason_is_refused_and_changes_nothing(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat",))
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("participant-refer", args=[deltaker.pk]),
                           {"reason": "", "first_appointment": "2026-03-05T10:00"})
    page = names(response)
    assert response.status_code == 400 and field_has_error(page, "henvis_reason")
    assert "Feltet er påkrevet." in page and 'value="2026-03-05T10:00"' in field_tag(page, "henvis_first_appointment")
    deltaker.refresh_from_db()
    assert deltaker.status == "kandidat" and deltaker.events.count() == 1
    assert not AuditEntry.objects.filter(action="update").exists()


def test_veileder_registers_not_met_then_met(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"), start=datetime.date(2026, 2, 1))
    client.force_login(users["veileder"])
    client.post(reverse("participant-meeting", args=[deltaker.pk]),
                {"met": "nei", "date": "2026-02-10", "new_appointment": "2026-02-20T09:00"})
    client.post(reverse("participant-meeting", args=[deltaker.pk]), {"met": "ja", "date": "2026-02-20"})
    assert list(CourseEvent.objects.filter(deltaker=deltaker).values_list("state", flat=True)) == [
        "kandidat", "henvist", "ikke_mott", "mott"
    ]
    deltaker.refresh_from_db()
    assert deltaker.veileder == users["veileder"]
    assert "Avtale ved Alna Aktiv" not in names(client.get(reverse("participant-detail", args=[deltaker.pk])))


def test_meeting_dated_before_the_referral_is_refused_with_a_message(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"), start=datetime.date(2026, 2, 1))
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-meeting", args=[deltaker.pk]),
                           {"met": "ja", "date": "2026-01-15"}, follow=True)
    assert "Datoer kan ikke gå bakover." in names(response)
    assert Deltaker.objects.get(pk=deltaker.pk).status == "henvist"


def test_journal_notes_by_veileder_and_karea_are_audited_and_empty_notes_refused(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"))
    for role in ("veileder", "karea"):
        client.force_login(users[role])
        client.post(reverse("participant-journal", args=[deltaker.pk]),
                    {"kind": "samtale", "date": "2026-03-01", "text": f"Notat fra {role}"})
    response = client.post(reverse("participant-journal", args=[deltaker.pk]),
                           {"kind": "samtale", "date": "2026-03-01", "text": ""})
    assert response.status_code == 400 and field_has_error(names(response), "journal_text")
    assert sorted(JournalEntry.objects.values_list("text", flat=True)) == ["Notat fra karea", "Notat fra veileder"]
    assert AuditEntry.objects.filter(action="create", object_type="cases.journalentry").count() == 2


def test_huskelapp_is_created_shown_and_marked_done(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"))
    client.force_login(users["veileder"])
    client.post(reverse("huskelapp-create", args=[deltaker.pk]), {"due_date": "2026-03-10", "comment": "Ring NAV"})
    lapp = Huskelapp.objects.get()
    assert "Ring NAV" in names(client.get(reverse("participant-detail", args=[deltaker.pk])))
    client.post(reverse("huskelapp-done", args=[deltaker.pk, lapp.pk]))
    lapp.refresh_from_db()
    assert lapp.done_by == users["veileder"]
    response = client.post(reverse("huskelapp-done", args=[deltaker.pk, lapp.pk]), follow=True)
    assert "allerede markert som utført" in names(response)


def test_veileder_ends_a_course_with_an_outcome(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"))
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-transition", args=[deltaker.pk]),
                           {"to_state": "avsluttet", "date": "2026-03-02", "utfall": ""}, follow=True)
    assert "Velg et utfall når løpet avsluttes." in names(response)
    client.post(reverse("participant-transition", args=[deltaker.pk]),
                {"to_state": "avsluttet", "date": "2026-03-02", "utfall": "arbeid"})
    assert Deltaker.objects.get(pk=deltaker.pk).status == "avsluttet"
    assert CourseEvent.objects.filter(deltaker=deltaker).last().utfall == "arbeid"


def test_karea_cannot_look_a_person_up_by_fodselsnummer(client, users, make_deltaker, make_person):
    person = make_person(navn="Kjent Navn")
    make_deltaker(("kandidat", "henvist"), person=person)
    client.force_login(users["karea"])
    assert "Søk på navn eller fødselsnummer" not in names(client.get(reverse("portfolio")))
    body = names(client.post(reverse("portfolio"), {"sok": person.fnr}, follow=True))
    assert "KAREA kan ikke søke på fødselsnummer." in body
    assert "Kjent Navn" in body  # the unfiltered list of enrolled participants, not a match
    assert "Treff for søket" not in body
    assert "Treff for søket (1)" in names(client.post(reverse("portfolio"), {"sok": "Kjent"}))


def test_the_view_choice_shows_what_the_list_shows(client, users):
    client.force_login(users["prosjektleder"])
    assert '<option value="alle" selected>' in names(client.get(reverse("portfolio")))
    client.force_login(users["veileder"])
    assert '<option value="mine" selected>' in names(client.get(reverse("portfolio")))


def test_sorting_by_deadline_puts_the_nearest_huskelapp_first(client, users, make_deltaker, make_person):
    without = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Uten Lapp"))
    later = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Senere Lapp"))
    sooner = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Snart Lapp"))
    for deltaker, day in [(later, 20), (sooner, 1)]:
        Huskelapp.objects.create(deltaker=deltaker, due_date=datetime.date(2026, 3, day), comment="x",
                                 created_by=users["veileder"])
    client.force_login(users["prosjektleder"])
    body = names(client.get(reverse("portfolio"), {"vis": "alle", "sorter": "frist"}))
    assert body.index("Snart Lapp") < body.index("Senere Lapp") < body.index(without.person.navn)


def test_every_field_on_the_participant_page_has_its_own_id(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"))
    client.force_login(users["veileder"])
    ids = re.findall(r'\bid="([^"]+)"', names(client.get(reverse("participant-detail", args=[deltaker.pk]))))
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
