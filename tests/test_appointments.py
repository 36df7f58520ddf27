"""Issue 14: the referral chooses the follow-up veileder and books the first meeting; appointments
(avtaler) on «Mine avtaler» and the participant page; their outcome, «registrer møtt» for a group
meeting, and the innkalling letter."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from cases import selectors, services
from cases.models import Avtale, Deltaker
from cases.retention import anonymise_person_data
from tests.factories import role_user
from tests.helpers import body, messages, pdf_text
from tests.html import field_has_error, section, textarea_value

# Monday 2 March 2026, 12.00 in Oslo
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(TODAY + datetime.timedelta(days=days),
                                                         datetime.time(hour, minute)))


@pytest.fixture
def anne(users, alna):
    """A second veileder in Alna, with no participants yet."""
    return role_user("anne", alna, Role.VEILEDER, first_name="Anne", last_name="Aas")


def refer(deltaker, users, *, when, on_date=None, veileder=None, **fields) -> Avtale:
    services.participant_refer(deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), reason="Ønsker arbeid",
                               first_appointment=when, on_date=on_date, veileder=veileder or users["veileder"], **fields)
    return Avtale.objects.get(deltaker=deltaker, status="planlagt")


def follow_up(deltaker, users, *, when, sted="Jobbklubb, rom 2", **fields) -> Avtale:
    return Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=when, sted=sted,
                                 veileder=users["veileder"], created_by=users["veileder"], **fields)


def test_the_office_rule_picks_the_veileder_with_fewest_active_participants(users, anne, alna, make_deltaker):
    # only active participants count: a candidate or an ended course does not
    make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    make_deltaker(("kandidat",), veileder=anne)
    make_deltaker(("kandidat", "henvist", "avsluttet"), veileder=anne)
    assert selectors.default_veileder(alna) == anne
    make_deltaker(("kandidat", "henvist", "mott"), veileder=anne)
    # a tie: by name (the test user without a first name sorts first)
    assert selectors.default_veileder(alna) == users["veileder"]
    anne.is_active = False
    anne.save()
    assert list(selectors.active_veiledere([alna.enhetsnummer])) == [users["veileder"]]
    # the service uses the rule when the hovedveileder chose nobody
    candidate = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1))
    services.participant_refer(deltaker=candidate, actor=Actor.for_user(users["hovedveileder"]), reason="Klar",
                               first_appointment=at(1, 10))
    assert Deltaker.objects.get(pk=candidate.pk).veileder == users["veileder"]


def test_hovedveileder_refers_with_a_chosen_veileder_who_sees_it_at_once(client, users, anne, make_deltaker, make_person):
    make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    candidate = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1), person=make_person(navn="Sara Sol"))
    client.force_login(users["hovedveileder"])
    page = body(client.get(reverse("participant-detail", args=[candidate.pk])))
    # the office's veiledere, the one with fewest active participants chosen; none of another office
    assert f'<option value="{anne.pk}" selected>Anne Aas</option>' in page
    assert f'value="{users["veileder"].pk}"' in page and f'value="{users["veileder_stovner"].pk}"' not in page
    assert 'value="Alna Aktiv, NAV Alna"' in page
    response = client.post(reverse("participant-refer", args=[candidate.pk]), {
        "reason": "Ønsker arbeid", "veileder": users["veileder"].pk, "first_appointment": "2026-03-02T14:00",
        "sted": "Alna Aktiv, møterom 1", "tolk": "on", "tolkesprak": "somali"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.veileder, candidate.hovedveileder) == ("henvist", users["veileder"],
                                                                               users["hovedveileder"])
    avtale = Avtale.objects.get(deltaker=candidate)
    assert (avtale.kind, avtale.status, avtale.sted, avtale.tolk, avtale.tolkesprak, avtale.veileder) == (
        "forste_mote", "planlagt", "Alna Aktiv, møterom 1", True, "somali", users["veileder"])
    assert candidate.forste_avtale == avtale.starts_at == at(0, 14)
    written = set(AuditEntry.objects.filter(user=users["hovedveileder"]).values_list("action", "object_type"))
    assert {("update", "cases.deltaker"), ("create", "cases.avtale"), ("update", "cases.courseevent")} <= written

    client.force_login(users["veileder"])
    assert "Sara Sol" in body(client.get(reverse("portfolio")))  # «Mine deltakere» by default
    today = section(body(client.get(reverse("appointment-list"))), "avtaler")
    assert "Sara Sol" in today and "kl. 14.00" in today and "Tolk: somali" in today and "Første møte" in today


def test_a_veileder_of_another_office_or_no_language_for_the_interpreter_is_refused(client, users, make_deltaker):
    candidate = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1))
    client.force_login(users["hovedveileder"])
    form = {"reason": "Ønsker arbeid", "veileder": users["veileder_stovner"].pk,
            "first_appointment": "2026-03-05T10:00", "sted": "Alna Aktiv", "tolk": "on", "tolkesprak": ""}
    response = client.post(reverse("participant-refer", args=[candidate.pk]), form)
    page = body(response)
    assert response.status_code == 400
    assert field_has_error(page, "henvis_veileder") and "Velg en aktiv veileder ved kontoret." in page
    assert field_has_error(page, "henvis_tolkesprak") and "Skriv hvilket språk tolken skal tolke." in page
    assert textarea_value(page, "henvis_reason") == "Ønsker arbeid"
    candidate.refresh_from_db()
    assert (candidate.status, candidate.veileder) == ("kandidat", None) and not Avtale.objects.exists()
    # the service refuses the same (a caller without the form)
    with pytest.raises(services.CourseError, match="aktiv veileder"):
        refer(candidate, users, when=at(3, 10), veileder=users["veileder_stovner"])
    assert not Avtale.objects.exists() and Deltaker.objects.get(pk=candidate.pk).status == "kandidat"


def test_mine_avtaler_shows_today_this_week_and_overdue_and_hides_protected_persons(
        client, users, anne, make_deltaker, make_person, django_assert_num_queries):
    def participant(name, **person_fields):
        return make_deltaker(("kandidat",), start=datetime.date(2026, 1, 5),
                             person=make_person(navn=name, **person_fields))

    refer(participant("Olav Venter"), users, on_date=datetime.date(2026, 1, 10), when=at(-45, 10))  # 6 weeks ago
    refer(participant("Idun Idag"), users, when=at(0, 9, 30), sted="Furuset", tolk=True, tolkesprak="arabisk")
    refer(participant("Ulla Uke"), users, when=at(3, 13))
    refer(participant("Neste Uke"), users, when=at(8, 13))
    refer(participant("Kari Kollega"), users, when=at(0, 11), veileder=anne)
    refer(participant("Frida Fortrolig", adressebeskyttelse="fortrolig"), users, on_date=datetime.date(2026, 1, 10),
          when=at(-40, 10))
    client.force_login(users["veileder"])
    page = body(client.get(reverse("appointment-list")))
    today, week = section(page, "avtaler"), page.split('id="uke-overskrift"')[1].split('id="forfalt-overskrift"')[0]
    overdue = page.split('id="forfalt-overskrift"')[1]
    assert "Idun Idag" in today and "kl. 09.30" in today and "Furuset" in today and "Tolk: arabisk" in today
    assert "Kari Kollega" not in page and "Neste Uke" not in page
    assert "Ulla Uke" in week and "Olav Venter" in overdue and "1 avtale er passert" in overdue
    assert "Frida Fortrolig" not in page and "Skjermet person" not in page
    # the whole office: the colleague's appointment too; another day
    assert "Kari Kollega" in body(client.get(reverse("appointment-list"), {"vis": "kontor"}))
    assert "Ulla Uke" in section(body(client.get(reverse("appointment-list"), {"dato": "2026-03-05"})), "avtaler")
    # a veileder of another office sees none of them; other roles may not open the page
    client.force_login(users["veileder_stovner"])
    assert "Idun Idag" not in body(client.get(reverse("appointment-list"), {"vis": "kontor"}))
    for role in ("hovedveileder", "karea", "prosjektleder"):
        client.force_login(users[role])
        assert client.get(reverse("appointment-list")).status_code == 403
    # a fixed number of queries, however many appointments
    client.force_login(users["veileder"])
    client.get(reverse("appointment-list"))
    # session, user, memberships, savepoints and session save (as every page), and the appointments
    with django_assert_num_queries(9) as first:
        client.get(reverse("appointment-list"))
    for number in range(5):
        refer(participant(f"Flere Avtaler{number}"), users, when=at(0, 15))
        refer(participant(f"Forfalt Avtale{number}"), users, on_date=datetime.date(2026, 1, 10), when=at(-30, 10))
    with django_assert_num_queries(len(first.captured_queries)):
        page = body(client.get(reverse("appointment-list")))
    assert page.count(">Flere Avtaler") == 5 and page.count(">Forfalt Avtale") == 5


def test_registering_the_first_meeting_from_mine_avtaler_closes_it_and_moves_the_course(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat",), start=datetime.date(2026, 1, 5))
    avtale = refer(deltaker, users, on_date=datetime.date(2026, 1, 10), when=at(-45, 10))
    client.force_login(users["veileder"])
    response = client.post(reverse("appointment-close", args=[deltaker.pk, avtale.pk]),
                           {"outcome": "mott", "tilbake": reverse("appointment-list")}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("appointment-list"))
    assert "Avtalen er registrert som «Møtt»." in messages(response)
    avtale.refresh_from_db()
    deltaker.refresh_from_db()
    assert (avtale.status, avtale.closed_by) == ("mott", users["veileder"])
    assert (deltaker.status, deltaker.status_dato) == ("mott", at(-45, 10).date())
    assert AuditEntry.objects.filter(user=users["veileder"], action="update", object_type="cases.avtale").exists()
    # closed once: a second registration is refused, nothing changes
    response = client.post(reverse("appointment-close", args=[deltaker.pk, avtale.pk]), {"outcome": "ikke_mott"},
                           follow=True)
    assert "Utfallet av avtalen er allerede registrert («Møtt»)." in body(response)
    # another office's veileder: not found
    client.force_login(users["veileder_stovner"])
    assert client.post(reverse("appointment-close", args=[deltaker.pk, avtale.pk]), {"outcome": "mott"}).status_code == 404


def test_not_met_with_a_new_appointment_books_a_new_first_meeting_at_the_same_place(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat",), start=datetime.date(2026, 1, 5))
    first = refer(deltaker, users, on_date=datetime.date(2026, 1, 10), when=at(-45, 10), sted="Furuset", tolk=True,
                  tolkesprak="tigrinja")
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-meeting", args=[deltaker.pk]),
                           {"met": "nei", "date": "2026-01-16", "new_appointment": "2026-03-02T15:00"})
    assert response.status_code == 302
    first.refresh_from_db()
    deltaker.refresh_from_db()
    new = Avtale.objects.get(deltaker=deltaker, status="planlagt")
    assert first.status == "ikke_mott"
    assert (new.kind, new.starts_at, new.sted, new.tolkesprak) == ("forste_mote", at(0, 15), "Furuset", "tigrinja")
    assert deltaker.forste_avtale == new.starts_at
    # a first meeting is not cancelled
    response = client.post(reverse("appointment-close", args=[deltaker.pk, new.pk]), {"outcome": "avlyst"}, follow=True)
    assert "Et første møte avlyses ikke" in body(response)


def test_follow_up_meetings_on_the_participant_page_per_role(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), veileder=users["veileder"])
    client.force_login(users["veileder"])
    response = client.post(reverse("appointment-create", args=[deltaker.pk]),
                           {"starts_at": "2026-03-02T08:00", "sted": "Jobbklubb", "tolk": "", "tolkesprak": ""})
    assert response.status_code == 302
    avtale = Avtale.objects.get(deltaker=deltaker)
    assert (avtale.kind, avtale.veileder, avtale.created_by) == ("oppfolging", users["veileder"], users["veileder"])
    # back in time: refused at its field, what was typed kept
    response = client.post(reverse("appointment-create", args=[deltaker.pk]),
                           {"starts_at": "2026-02-27T08:00", "sted": "Annet sted"})
    assert response.status_code == 400 and field_has_error(body(response), "avtale_starts_at")
    assert "Avtalen kan ikke være tilbake i tid." in body(response) and 'value="Annet sted"' in body(response)
    page = section(body(client.get(reverse("participant-detail", args=[deltaker.pk]))), "avtaler")
    assert "Oppfølgingsmøte 02.03.2026 kl. 08.00" in page and "Innkalling (PDF)" in page and "Registrer utfall" in page
    # the hovedveileder prints the letter but registers nothing; KAREA and the project leader only read
    expectations = {"hovedveileder": (True, False), "karea": (False, False), "prosjektleder": (False, False)}
    for role, (letter, outcome) in expectations.items():
        client.force_login(users[role])
        page = section(body(client.get(reverse("participant-detail", args=[deltaker.pk]))), "avtaler")
        assert "Jobbklubb" in page and ("Innkalling (PDF)" in page) == letter and ("Registrer utfall" in page) == outcome
        assert client.post(reverse("appointment-close", args=[deltaker.pk, avtale.pk]), {"outcome": "mott"}).status_code == 403
    client.force_login(users["veileder"])
    client.post(reverse("appointment-close", args=[deltaker.pk, avtale.pk]), {"outcome": "avlyst"})
    assert Avtale.objects.get(pk=avtale.pk).status == "avlyst"


def test_registrer_mott_for_a_group_meeting_is_all_or_nothing(client, users, make_deltaker, make_person):
    rows = [make_deltaker(("kandidat", "henvist", "mott"), person=make_person(navn=f"Gruppe Deltaker{number}"))
            for number in range(3)]
    group = [follow_up(deltaker, users, when=at(0, 10)) for deltaker in rows]
    first_meeting = refer(make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1)), users, when=at(0, 10))
    later = follow_up(rows[0], users, when=at(1, 10))
    client.force_login(users["veileder"])
    page = section(body(client.get(reverse("appointment-list"))), "avtaler")
    assert page.count('name="avtaler"') == 4 and "Registrer valgte som møtt" in page
    # one not due yet: refused with its name, none registered
    response = client.post(reverse("appointment-bulk-met"), {"avtaler": [group[0].pk, later.pk]}, follow=True)
    assert any("Gruppe Deltaker0 (03.03.2026 kl. 10.00): Utfallet kan registreres fra avtaledagen. "
               "Ingen av avtalene ble registrert." in text for text in messages(response))
    assert not Avtale.objects.exclude(status="planlagt").exists()
    response = client.post(reverse("appointment-bulk-met"),
                           {"avtaler": [avtale.pk for avtale in group] + [first_meeting.pk]}, follow=True)
    assert "4 avtaler er registrert som møtt." in messages(response)
    assert set(Avtale.objects.filter(pk__in=[a.pk for a in group] + [first_meeting.pk]).values_list("status", flat=True)) == {"mott"}
    assert Deltaker.objects.get(pk=first_meeting.deltaker_id).status == "mott"
    assert AuditEntry.objects.filter(user=users["veileder"], action="update", object_type="cases.avtale").count() == 4
    # nothing chosen; another office's appointment is not found
    assert "Velg minst én avtale." in " ".join(messages(client.post(reverse("appointment-bulk-met"), {}, follow=True)))
    client.force_login(users["veileder_stovner"])
    response = client.post(reverse("appointment-bulk-met"), {"avtaler": [later.pk]}, follow=True)
    assert Avtale.objects.get(pk=later.pk).status == "planlagt" and "finnes ikke" in " ".join(messages(response))


def test_the_innkalling_letter_is_a_pdf_in_bokmal_for_navs_roles(client, users, make_deltaker, make_person):
    users["veileder"].first_name, users["veileder"].last_name = "Vera", "Veileder"
    users["veileder"].save()
    # referred below with consent to share with KAREA (issue 16), so KAREA reaches the participant and is refused the letter
    deltaker = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1), person=make_person(navn="Amina Ali"),
                             samtykke=True)
    avtale = refer(deltaker, users, when=at(3, 10), sted="Alna Aktiv, Furusetveien 1", tolk=True, tolkesprak="somali")
    url = reverse("appointment-letter", args=[deltaker.pk, avtale.pk])
    client.force_login(users["hovedveileder"])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    for words in ("Til: Amina Ali", "Innkalling til første møte i Alna Aktiv", "torsdag 5. mars 2026", "kl. 10.00",
                  "Alna Aktiv, Furusetveien 1", "tolk på somali", "Vera Veileder, NAV Alna", "Ta med"):
        assert words in text, words
    entry = AuditEntry.objects.get(action="export", object_type="cases.avtale")
    assert (entry.user, entry.person_fnr) == (users["hovedveileder"], deltaker.person.fnr)
    for role, status in (("karea", 403), ("prosjektleder", 403), ("veileder_stovner", 404)):
        client.force_login(users[role])
        assert client.get(url).status_code == status, role


def test_ending_the_course_cancels_planned_appointments_and_retention_deletes_them(users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), veileder=users["veileder"])
    avtale = follow_up(deltaker, users, when=at(2, 10), tolk=True, tolkesprak="somali")
    services.course_transition(deltaker=deltaker, to_state="avsluttet", on_date=TODAY, utfall="arbeid",
                               actor=Actor.for_user(users["veileder"]))
    avtale.refresh_from_db()
    assert (avtale.status, avtale.closed_by) == ("avlyst", users["veileder"])
    changes = anonymise_person_data(deltaker.person)
    assert ("delete", "cases.avtale", avtale.pk) in changes and not Avtale.objects.exists()
