"""The inbox (issue 14): per role the right items, counted on the start page and listed on
/innboks/<kind>/; another office's and a protected person's items absent; opening an item marks
it seen; the daily e-mail digest has counts and a link, never a name; the settings page."""
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import resolve, reverse

from alnaaktiv import inbox
from alnaaktiv.actor import Actor
from alnaaktiv.celery import app
from alnaaktiv.models import AuditEntry, InboxSeen
from arbeidsboks.selectors import week_start
from cases.models import Huskelapp, Person, Tilbakeforing
from conditions import services as conditions_services
from tests import conditions_data
from tests.factories import (
    ArbeidsomradeFactory,
    DeltakerFactory,
    FrammoteFactory,
    OpphevingFactory,
    PersonFactory,
    PlasseringFactory,
    SakFactory,
    VedtakFactory,
    VirksomhetFactory,
    with_consent,
)
from tests.helpers import body

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)

# What each role's inbox counts in the world below (protected and Stovner items left out).
EXPECTED = {
    "veileder": {"nye-henvisninger": 1, "overfort-til-meg": 0, "forste-mote-forfalt": 1, "dokumentasjon-mottatt": 1, "huskelapper": 1,
                 "plasseringer-slutter": 1, "ikke-mott": 1, "fravaer": 1, "mulige-brudd-mine": 0},
    "hovedveileder": {"tilbakeforte": 1, "henviste-ikke-mott": 1, "henviste-forste-mote-forfalt": 1},
    "vedtak": {"dokumentasjon-til-vurdering": 2, "mulige-brudd": 0},  # breaches: tests/test_breaches.py
    "leder": {"opphevinger": 1, "reaksjoner": 0},
    "karea": {"kontorets-henvisninger": 2, "kontorets-plasseringer-slutter": 1},
}
# Start page queries: 9 for the page itself (tests/test_access_matrix.py), the role's work lists
# (START_WORKLIST_QUERIES there) and one count per inbox kind.
START_QUERIES = {"veileder": 9 + 2 + 9, "hovedveileder": 9 + 2 + 3, "vedtak": 9 + 4 + 2, "leder": 9 + 1 + 2,
                 "karea": 9 + 2 + 2}


@pytest.fixture(autouse=True)
def frozen_now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _participant(office, status, navn, *, person=None, **fields):
    """A referred participant (or later) who has consented to sharing with KAREA (issue 16)."""
    person = person or PersonFactory(navn=navn)
    return with_consent(DeltakerFactory(person=person, office=office, status=status, status_dato=TODAY - DAY, **fields))


def _arbeidsboks(alna, users, deltaker):
    area = ArbeidsomradeFactory(virksomhet=VirksomhetFactory(office=alna))
    placement = PlasseringFactory(deltaker=deltaker, arbeidsomrade=area, startdato=TODAY - 30 * DAY,
                                  planlagt_slutt=TODAY + 3 * DAY, created_by=users["karea"])
    FrammoteFactory(plassering=placement, uke=week_start(TODAY) - 7 * DAY, oppmotte_dager=3, oppmotte_timer=Decimal("12"),
                    fravaer_grunn="Syk to dager", registrert_av=users["karea"])


def _conditions(alna, users, case):
    vedtak_user = Actor.for_user(users["vedtak"])
    made = conditions_data.vedtak(case, users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    conditions_services.document_register(vilkar=made.vilkar.get(kind="aktivitet"), actor=vedtak_user, type="annet",
                                          mottatt=TODAY)
    conditions_services.document_register(vilkar=made.vilkar.get(kind="dokumentasjon"), actor=vedtak_user,
                                          type="husleie", mottatt=TODAY)
    OpphevingFactory(vedtak=VedtakFactory(sak=SakFactory(office=alna)), prepared_by=users["vedtak"])
    # Prepared by the leader: never in their own inbox (four eyes).
    OpphevingFactory(vedtak=VedtakFactory(sak=SakFactory(office=alna)), prepared_by=users["leder"])


@pytest.fixture
def world(users, alna, stovner):
    """Alna: one item of each kind, a protected person's items and Stovner's, which nobody in
    Alna sees."""
    veileder, hovedveileder = users["veileder"], users["hovedveileder"]
    made = {
        "referral": _participant(alna, "henvist", "Kari Henvist", veileder=veileder, hovedveileder=hovedveileder,
                                 forste_avtale=NOW + 3 * DAY),
        "overdue": _participant(alna, "henvist", "Per Forsinket", hovedveileder=hovedveileder,
                                forste_avtale=NOW - 10 * DAY),
        "no_show": _participant(alna, "ikke_mott", "Nina Uteble", veileder=veileder, hovedveileder=hovedveileder),
        "protected": _participant(alna, "henvist", "Skjult Person", veileder=veileder, hovedveileder=hovedveileder,
                                  forste_avtale=NOW - 10 * DAY,
                                  person=PersonFactory(navn="Skjult Person", adressebeskyttelse="strengt_fortrolig")),
        "stovner": _participant(stovner, "henvist", "Stovner Henvist", veileder=users["veileder_stovner"],
                                forste_avtale=NOW - 10 * DAY),
    }
    Huskelapp.objects.create(deltaker=made["referral"], due_date=TODAY, comment="Ring om oppmøte", created_by=veileder)
    Huskelapp.objects.create(deltaker=made["protected"], due_date=TODAY, comment="Ring", created_by=veileder)
    Tilbakeforing.objects.create(deltaker=made["no_show"], rute="statlig_tiltak", date=TODAY, decided="Tiltak",
                                 created_by=veileder)
    case = conditions_data.sak(alna)
    active = case.deltakere.get()
    active.veileder = veileder
    active.save()
    made["active"] = active
    _arbeidsboks(alna, users, active)
    _conditions(alna, users, case)
    return made


def _counts(user) -> dict:
    return {item["code"]: item["count"] for item in inbox.inbox_counts(user)["kinds"]}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_own_inbox_on_the_start_page_in_fixed_queries(client, users, world, role,
                                                                          django_assert_num_queries):
    assert _counts(users[role]) == EXPECTED[role]
    client.force_login(users[role])
    with django_assert_num_queries(START_QUERIES[role]):
        page = body(client.get(reverse("start")))
    assert '<h2 class="h5 card-title" id="innboks">Innboks' in page
    for code in EXPECTED[role]:
        assert reverse("inbox-list", args=[code]) in page


def test_the_start_page_runs_the_same_queries_with_no_items(client, users, alna, django_assert_num_queries):
    client.force_login(users["veileder"])
    with django_assert_num_queries(START_QUERIES["veileder"]):
        page = body(client.get(reverse("start")))
    assert "Nye henvisninger til meg" in page


def test_roles_without_an_inbox_get_no_card(client, users):
    client.force_login(users["controller"])
    assert 'id="innboks"' not in body(client.get(reverse("start")))


def test_another_offices_and_a_protected_persons_items_are_absent(client, users, world):
    client.force_login(users["veileder"])
    for code in ("nye-henvisninger", "forste-mote-forfalt", "huskelapper"):
        page = body(client.get(reverse("inbox-list", args=[code])))
        assert "Skjult Person" not in page and "Stovner Henvist" not in page
    assert "Kari Henvist" in body(client.get(reverse("inbox-list", args=["nye-henvisninger"])))
    assert "Per Forsinket" in body(client.get(reverse("inbox-list", args=["forste-mote-forfalt"])))
    assert _counts(users["veileder_stovner"])["nye-henvisninger"] == 1
    assert _counts(users["veileder_stovner"])["forste-mote-forfalt"] == 1
    # With the permission, the protected person is there, in the count and the list.
    users["veileder"].may_see_strengt_fortrolig = True
    users["veileder"].save()
    assert _counts(users["veileder"])["nye-henvisninger"] == 2
    assert "Skjult Person" in body(client.get(reverse("inbox-list", args=["nye-henvisninger"])))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_inbox_list_runs_a_fixed_number_of_queries(client, users, world, role, django_assert_num_queries):
    client.force_login(users[role])
    for code in EXPECTED[role]:
        # 8 for the page (the start page's 9 less its offices), the list, and its unseen count
        with django_assert_num_queries(10):
            response = client.get(reverse("inbox-list", args=[code]))
        assert response.status_code == 200


def test_opening_an_item_marks_it_seen_and_leads_to_its_page(client, users, world):
    veileder = users["veileder"]
    client.force_login(veileder)
    referral = world["referral"]
    response = client.get(reverse("inbox-open", args=["nye-henvisninger", referral.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("participant-detail", args=[referral.pk])
    assert InboxSeen.objects.filter(user=veileder, kind="nye-henvisninger", object_id=referral.pk).count() == 1
    assert _counts(veileder)["nye-henvisninger"] == 0
    page = body(client.get(reverse("inbox-list", args=["nye-henvisninger"])))
    assert "Kari Henvist" in page and "sett" in page and "Ingen nye saker." in page
    # Opened again: still one row; another user's count is untouched.
    client.get(reverse("inbox-open", args=["nye-henvisninger", referral.pk]))
    assert InboxSeen.objects.filter(user=veileder).count() == 1
    assert _counts(users["karea"])["kontorets-henvisninger"] == 2


@pytest.mark.parametrize(("kind", "target"), [
    ("dokumentasjon-mottatt", "vilkar-assess"), ("plasseringer-slutter", "placement-detail"),
    ("huskelapper", "participant-detail"),
])
def test_each_kind_leads_to_a_page_the_user_can_open(client, users, world, kind, target):
    client.force_login(users["veileder"])
    row = next(k for k in inbox.INBOX["veileder"] if k.code == kind).rows(users["veileder"]).get()
    response = client.get(reverse("inbox-open", args=[kind, row.pk]))
    assert response.status_code == 302 and resolve(response["Location"]).url_name == target
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("role", ["leder", "vedtak", "hovedveileder", "karea"])
def test_the_other_roles_items_open_their_pages(client, users, world, role):
    client.force_login(users[role])
    for kind in inbox.kinds_for(users[role]):
        for row in kind.rows(users[role]):
            response = client.get(reverse("inbox-open", args=[kind.code, row.pk]))
            assert response.status_code == 302
            assert client.get(response["Location"]).status_code == 200


def test_an_item_not_in_my_inbox_is_404(client, users, world):
    client.force_login(users["veileder"])
    for kind, pk in [("nye-henvisninger", world["protected"].pk), ("nye-henvisninger", world["stovner"].pk),
                     ("nye-henvisninger", world["no_show"].pk), ("opphevinger", 1), ("finnes-ikke", 1)]:
        assert client.get(reverse("inbox-open", args=[kind, pk])).status_code == 404
    assert client.get(reverse("inbox-list", args=["opphevinger"])).status_code == 404
    assert not InboxSeen.objects.exists()


def test_the_digest_goes_to_opted_in_users_with_items_and_names_nobody(users, world, settings):
    settings.SITE_URL = "https://alnaaktiv.example.no"
    for username, email, digest in [("veileder", "veileder@nav.no", True), ("leder", "leder@nav.no", False),
                                    ("karea", "", True), ("controller", "controller@nav.no", True)]:
        users[username].email, users[username].inbox_digest = email, digest
        users[username].save()
    assert inbox.send_inbox_digests() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["veileder@nav.no"]
    assert message.subject == "Alna Aktiv: 7 nye saker i innboksen"
    assert "- Nye henvisninger til meg: 1" in message.body
    assert "https://alnaaktiv.example.no/" in message.body
    for person in Person.objects.all():
        assert person.navn not in message.body and person.fnr not in message.body
    assert "Kari" not in message.body
    # The command sends the same, by hand.
    call_command("send_inbox_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["veileder@nav.no"]


def test_the_settings_page_turns_the_digest_on_and_off_and_audits_it(client, users):
    veileder = users["veileder"]
    veileder.email = "veileder@nav.no"
    veileder.save()
    client.force_login(veileder)
    page = body(client.get(reverse("user-settings")))
    assert "veileder@nav.no" in page and "daglig e-post" in page
    assert reverse("user-settings") in body(client.get(reverse("start")))
    response = client.post(reverse("user-settings"), {"inbox_digest": "on"})
    assert response.status_code == 302
    veileder.refresh_from_db()
    assert veileder.inbox_digest is True
    entry = AuditEntry.objects.get(action="update", object_id=str(veileder.pk))
    assert entry.username == "veileder"
    client.post(reverse("user-settings"), {})
    veileder.refresh_from_db()
    assert veileder.inbox_digest is False
    assert AuditEntry.objects.filter(action="update", object_id=str(veileder.pk)).count() == 2
    # Saved unchanged: nothing to audit.
    client.post(reverse("user-settings"), {})
    assert AuditEntry.objects.filter(action="update", object_id=str(veileder.pk)).count() == 2


def test_the_digest_task_is_scheduled_daily_at_seven():
    entry = app.conf.beat_schedule["send-inbox-digests"]
    assert entry["task"] == "alnaaktiv.inbox.send_inbox_digests" and entry["task"] in app.tasks
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
