"""Who may GET and POST each page. Every URL name of the project must be in PAGES: a new page
without a row here fails test_every_url_name_is_in_the_table. Later issues add their rows."""
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role, SecurityEvent, User
from alnaaktiv.navigation import MENU
from arbeidsboks.models import Gruppekurs
from cases import services as cases_services
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    Avtale,
    Brev,
    Deltaker,
    Huskelapp,
    JournalEntry,
    Sak,
    ScreeningExclusion,
    Tilbakeforing,
)
from conditions import services as conditions_services
from conditions.models import Overforing, Vedtak, Vilkar
from conditions.models.complaints import Klage
from reporting.services import monthly_report_build
from tests import arbeidsboks_data, breach_data, conditions_data, kurs_data
from tests.factories import OfficeFactory, deltaker_with_course, named_users, path_events, with_consent
from tests.urlwalk import all_routes, all_url_names

ALL = frozenset(Role.values)
NONE: frozenset[str] = frozenset()
PUBLIC = "public"

# url name (or "namespace:*") -> roles allowed per method; PUBLIC needs no login.
PARTICIPANT_READERS = frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER, Role.KAREA})
MAPPING_WORKERS = frozenset({Role.VEILEDER, Role.KAREA})
REPORT_ROLES = frozenset({Role.CONTROLLER, Role.PROSJEKTLEDER})

# vilkår and lifting (issue 5): never KAREA or the controller
CONDITIONS_READERS = frozenset({Role.VEDTAK, Role.LEDER, Role.PROSJEKTLEDER})
CONDITIONS_WRITERS = frozenset({Role.VEDTAK, Role.LEDER})
LEADERS = frozenset({Role.LEDER})
# the header's search (issue 14): every role with access to persons
SEARCH_ROLES = PARTICIPANT_READERS | CONDITIONS_WRITERS
VEILEDER = frozenset({Role.VEILEDER})

# Arbeidsboks (issue 6): KAREA and the veileder work, the project leader reads; the participant
# page's readers open a placement; the hovedveileder also records state measures
ARBEIDSBOKS_READERS = frozenset({Role.VEILEDER, Role.KAREA, Role.PROSJEKTLEDER})
ARBEIDSBOKS_WORKERS = frozenset({Role.VEILEDER, Role.KAREA})
ASSIGNERS = frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER})
COURSE_MANAGERS = frozenset({Role.VEILEDER, Role.PROSJEKTLEDER})
VOICE_ROLES = frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER})
# consent to share with KAREA (issue 16): NAV's roles that follow the participant register and
# withdraw it and print the form; never KAREA itself, nor the vedtak unit, leader or controller
CONSENT_WRITERS = frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER})

# "object" names the kind of object in the URL: the test makes one in Alna (allowed roles get
# 200/302) and one in Stovner (the same roles get 404: another office's object).
PAGES: dict[str, dict] = {
    "start": {"GET": ALL, "POST": NONE},
    # the inbox (issue 14): a kind is listed and opened only by the roles it is for (404 for others);
    # the matrix's kind is KAREA's new referrals of the office
    "inbox-list": {"GET": frozenset({Role.KAREA}), "POST": NONE, "kwargs": {"kind": "kontorets-henvisninger"}},
    "inbox-open": {"GET": frozenset({Role.KAREA}), "POST": NONE, "object": "inbox_item"},
    "user-settings": {"GET": ALL, "POST": ALL},
    "portfolio": {"GET": PARTICIPANT_READERS, "POST": PARTICIPANT_READERS},
    "portfolio-export": {"GET": PARTICIPANT_READERS, "POST": NONE},
    "search": {"GET": SEARCH_ROLES, "POST": SEARCH_ROLES},
    "participant-detail": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "participant-refer": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "kandidat"},
    "participant-meeting": {"POST": frozenset({Role.VEILEDER}), "object": "henvist"},
    "participant-transition": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    "participant-journal": {"POST": frozenset({Role.VEILEDER, Role.KAREA}), "object": "deltaker"},
    "participant-malgruppe": {"POST": frozenset({Role.VEILEDER, Role.PROSJEKTLEDER}), "object": "deltaker"},
    "huskelapp-create": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    # handing participants over to another veileder (issue 14): never KAREA, vedtak, leder, controller
    "participant-veileder": {"POST": ASSIGNERS, "object": "deltaker"},
    # the person's language, education and contact details (issue 16): NAV's roles of the office, never KAREA
    "participant-person-details": {"POST": ASSIGNERS, "object": "deltaker"},
    "participant-assign": {"GET": ASSIGNERS, "POST": ASSIGNERS},
    "huskelapp-done": {"POST": frozenset({Role.VEILEDER}), "object": "huskelapp"},
    # the matrix's register form is for a referred participant who has not consented yet (KAREA
    # does not see them: 404); the withdrawal is for the matrix's participant's consent
    "consent-register": {"GET": NONE, "POST": CONSENT_WRITERS, "object": "uten_samtykke"},
    "consent-withdraw": {"GET": NONE, "POST": CONSENT_WRITERS, "object": "samtykke"},
    "consent-form-pdf": {"GET": CONSENT_WRITERS, "POST": NONE, "object": "deltaker"},
    "huskelapp-undo-done": {"POST": frozenset({Role.VEILEDER}), "object": "huskelapp_utfort"},
    "journal-correct": {"POST": frozenset({Role.VEILEDER, Role.KAREA}), "object": "journal"},
    # kartlegging and avklaring (issue 4): veileder and KAREA work, NAV's veileder signs and routes
    "mapping-detail": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "mapping-start": {"POST": MAPPING_WORKERS, "object": "mott"},
    "mapping-update": {"POST": MAPPING_WORKERS, "object": "deltaker"},
    "mapping-week": {"POST": MAPPING_WORKERS, "object": "deltaker"},
    "assessment-save": {"POST": MAPPING_WORKERS, "object": "deltaker"},
    "assessment-new-version": {"POST": MAPPING_WORKERS, "object": "deltaker"},
    "assessment-sign": {"POST": frozenset({Role.VEILEDER}), "object": "vurdering"},
    "assessment-approve": {"POST": frozenset({Role.VEILEDER}), "object": "vurdering"},
    "assessment-return": {"POST": frozenset({Role.VEILEDER}), "object": "vurdering"},
    "assessment-pdf": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "vurdering"},
    "activity-create": {"POST": MAPPING_WORKERS, "object": "deltaker"},
    "activity-edit": {"GET": MAPPING_WORKERS, "POST": MAPPING_WORKERS, "object": "aktivitet"},
    "plan-print": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "plan-pdf": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "route-decide": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    "handback-list": {"GET": frozenset({Role.HOVEDVEILEDER, Role.PROSJEKTLEDER}), "POST": NONE},
    # appointments (issue 14): the veileder keeps them; the letter is for NAV's roles that meet the participant
    "appointment-list": {"GET": VEILEDER, "POST": NONE},
    # letters (issue 16): NAV's follow-up roles make and read the cases letters on the participant;
    # the vedtak unit makes the vedtak, forhåndsvarsel and reaksjon letters on the vedtak
    "letter-list": {"GET": ASSIGNERS, "POST": NONE, "object": "deltaker"},
    "letter-create": {"POST": ASSIGNERS, "object": "deltaker"},
    "letter-download": {"GET": ASSIGNERS, "POST": NONE, "object": "brev"},
    "vedtak-letters": {"GET": frozenset({Role.VEDTAK}), "POST": frozenset({Role.VEDTAK}), "object": "vedtak"},
    "conditions-letter-download": {"GET": frozenset({Role.VEDTAK}), "POST": NONE, "object": "brev_vedtak"},
    "appointment-bulk-met": {"GET": NONE, "POST": VEILEDER},
    "appointment-create": {"POST": VEILEDER, "object": "deltaker"},
    "appointment-close": {"POST": VEILEDER, "object": "avtale"},
    "appointment-letter": {"GET": frozenset({Role.VEILEDER, Role.HOVEDVEILEDER}), "POST": NONE, "object": "avtale"},
    "handback-receive": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "tilbakeforing"},
    "handback-undo-receipt": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "tilbakeforing_mottatt"},
    "conditions-worklist": {"GET": CONDITIONS_READERS, "POST": NONE},
    "vedtak-create": {"GET": CONDITIONS_WRITERS, "POST": CONDITIONS_WRITERS},
    "vedtak-list": {"GET": CONDITIONS_READERS, "POST": NONE},
    "vedtak-detail": {"GET": CONDITIONS_READERS, "POST": NONE, "object": "vedtak"},
    "vedtak-decide": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "uavgjort_vedtak"},
    "vilkar-create": {"POST": CONDITIONS_WRITERS, "object": "vedtak"},
    "vilkar-waive": {"POST": CONDITIONS_WRITERS, "object": "vilkar"},
    "vilkar-offer": {"POST": CONDITIONS_WRITERS, "object": "aktivitetsvilkar"},
    "applications-register": {"POST": VEILEDER, "object": "jobbsoker"},
    # possible breaches and the sanction workflow (issue 15): read by the vedtak readers, acted on by
    # the vedtak unit and leaders, approved by a leader; the matrix's veileder does not follow the person
    "breach-list": {"GET": CONDITIONS_READERS, "POST": NONE},
    "breach-detail": {"GET": CONDITIONS_READERS, "POST": NONE, "object": "brudd"},
    "breach-close": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "brudd"},
    "breach-warning": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "brudd"},
    "breach-warning-pdf": {"GET": CONDITIONS_WRITERS, "POST": NONE, "object": "brudd_varslet"},
    "breach-response": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "brudd_varslet"},
    "breach-no-reaction": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "brudd_varslet"},
    "breach-sanction": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "brudd_varslet"},
    "sanction-approve": {"GET": NONE, "POST": LEADERS, "object": "sanksjon"},
    "sanction-reject": {"GET": NONE, "POST": LEADERS, "object": "sanksjon"},
    "sanction-end": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "sanksjon"},
    "document-register": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "vilkar"},
    "document-assess": {"POST": CONDITIONS_WRITERS, "object": "dokument"},
    "document-download": {"GET": CONDITIONS_WRITERS | VEILEDER, "POST": NONE, "object": "dokument"},
    "activity-list": {"GET": VEILEDER, "POST": NONE},
    "vilkar-assess": {"GET": VEILEDER, "POST": VEILEDER, "object": "aktivitetsvilkar"},
    "lifting-queue": {"GET": CONDITIONS_WRITERS, "POST": NONE},
    "lifting-prepare": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "klart_vedtak"},
    "lifting-review": {"GET": LEADERS, "POST": NONE, "object": "oppheving"},
    "lifting-approve": {"GET": NONE, "POST": LEADERS, "object": "oppheving"},
    "lifting-reject": {"POST": LEADERS, "object": "oppheving"},
    "lifting-pdf": {"GET": CONDITIONS_WRITERS, "object": "oppheving"},
    "handover-list": {"GET": CONDITIONS_WRITERS, "POST": NONE},
    "handover-export": {"GET": NONE, "POST": CONDITIONS_WRITERS},
    "handover-export-csv": {"GET": CONDITIONS_WRITERS, "POST": NONE, "object": "eksport"},
    "handover-mark-sent": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "eksport"},
    "handover-undo-sent": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "eksport_sendt"},
    "arbeidsboks-overview": {"GET": ARBEIDSBOKS_READERS, "POST": NONE},
    "workarea-detail": {"GET": ARBEIDSBOKS_READERS, "POST": NONE, "object": "arbeidsomrade"},
    "waitlist-offer": {"GET": NONE, "POST": ARBEIDSBOKS_WORKERS, "object": "arbeidsomrade"},
    "workarea-attendance": {"GET": ARBEIDSBOKS_READERS, "POST": ARBEIDSBOKS_WORKERS, "object": "arbeidsomrade"},
    "placement-create": {"GET": ARBEIDSBOKS_WORKERS, "POST": ARBEIDSBOKS_WORKERS, "object": "deltaker"},
    "state-measures": {"GET": PARTICIPANT_READERS, "POST": ARBEIDSBOKS_WORKERS | {Role.HOVEDVEILEDER},
                       "object": "deltaker"},
    "placement-detail": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "plassering"},
    "placement-start": {"GET": NONE, "POST": ARBEIDSBOKS_WORKERS, "object": "plassering"},
    "placement-end": {"GET": NONE, "POST": ARBEIDSBOKS_WORKERS, "object": "plassering"},
    "evaluation-create": {"GET": NONE, "POST": ARBEIDSBOKS_WORKERS, "object": "plassering"},
    "placement-edit": {"GET": ARBEIDSBOKS_WORKERS, "POST": ARBEIDSBOKS_WORKERS, "object": "plassering"},
    "attendance-correct": {"GET": ARBEIDSBOKS_WORKERS, "POST": ARBEIDSBOKS_WORKERS, "object": "frammote"},
    # group courses (issue 15): the office's veileder and prosjektleder run them; KAREA reads the
    # list and its own courses only (the matrix's course is NAV's, so KAREA gets 404 there)
    "course-list": {"GET": ARBEIDSBOKS_READERS, "POST": NONE},
    "course-create": {"GET": COURSE_MANAGERS, "POST": COURSE_MANAGERS},
    "course-planning": {"GET": COURSE_MANAGERS, "POST": NONE},
    "course-detail": {"GET": COURSE_MANAGERS, "POST": NONE, "object": "gruppekurs"},
    "course-edit": {"GET": COURSE_MANAGERS, "POST": COURSE_MANAGERS, "object": "gruppekurs"},
    "course-enrol": {"GET": NONE, "POST": COURSE_MANAGERS, "object": "gruppekurs"},
    "session-create": {"GET": NONE, "POST": COURSE_MANAGERS, "object": "gruppekurs"},
    "sessions-generate": {"GET": NONE, "POST": COURSE_MANAGERS, "object": "gruppekurs"},
    "enrolment-end": {"GET": COURSE_MANAGERS, "POST": COURSE_MANAGERS, "object": "kursdeltakelse"},
    "participant-course-enrol": {"GET": NONE, "POST": COURSE_MANAGERS, "object": "deltaker"},
    "session-attendance": {"GET": COURSE_MANAGERS, "POST": COURSE_MANAGERS, "object": "kurssamling"},
    "screening": {"GET": frozenset({Role.PROSJEKTLEDER, Role.VEILEDER, Role.HOVEDVEILEDER}), "POST": NONE},
    "screening-refer": {"GET": NONE, "POST": frozenset({Role.HOVEDVEILEDER})},
    "screening-exclude": {"GET": NONE, "POST": frozenset({Role.PROSJEKTLEDER, Role.VEILEDER})},
    "screening-exclusion-undo": {"GET": NONE, "POST": frozenset({Role.PROSJEKTLEDER, Role.VEILEDER}),
                                 "object": "exclusion"},
    "screening-enrol": {"GET": NONE, "POST": frozenset({Role.PROSJEKTLEDER, Role.VEILEDER})},
    "register-import": {"GET": frozenset({Role.PROSJEKTLEDER}), "POST": frozenset({Role.PROSJEKTLEDER})},
    "report-list": {"GET": REPORT_ROLES},
    "report-build": {"POST": REPORT_ROLES},
    "report-detail": {"GET": REPORT_ROLES, "object": "report"},
    "report-status": {"GET": REPORT_ROLES, "object": "report"},
    "report-download": {"GET": REPORT_ROLES, "object": "report_download"},
    "report-close": {"POST": frozenset({Role.CONTROLLER}), "object": "report"},
    "health": {"GET": PUBLIC},
    "favicon": {"GET": PUBLIC},
    "login": {"GET": PUBLIC, "POST": PUBLIC},
    "logout": {"POST": ALL},
    # the idle warning's «Forbli innlogget» (issue 12): any logged-in user renews their own session
    "session-renew": {"POST": ALL},
    "admin:*": {"GET": frozenset({Role.ADMIN})},
    # innsyn (issue 11): the admin's PDF of one person's audit log, behind the admin site's guard
    "admin-innsyn": {"GET": frozenset({Role.ADMIN}), "POST": frozenset({Role.ADMIN})},
    # the participant's own voice (issue 16): NAV's people of the office register the statement
    # and help with the survey (KAREA reads the plan's statement on the mapping page only); the
    # project leader reads the survey's free texts; complaints on a vedtak are the vedtak unit's,
    # on the § 14 a assessment the participant's NAV people's
    "plan-statement-create": {"POST": VOICE_ROLES, "object": "deltaker"},
    "assessment-statement-create": {"POST": VOICE_ROLES, "object": "deltaker"},
    "survey": {"GET": VOICE_ROLES, "POST": VOICE_ROLES, "object": "avsluttet"},
    "survey-free-texts": {"GET": frozenset({Role.PROSJEKTLEDER}), "POST": NONE},
    "complaint-list": {"GET": VOICE_ROLES | CONDITIONS_READERS, "POST": NONE},
    "complaint-detail": {"GET": CONDITIONS_READERS, "POST": CONDITIONS_WRITERS, "object": "klage"},
    "vedtak-complaint-create": {"POST": CONDITIONS_WRITERS, "object": "vedtak"},
    "assessment-complaint-create": {"POST": VOICE_ROLES, "object": "deltaker"},
}


def table_key(name: str) -> str:
    return name if name in PAGES else f"{name.split(':')[0]}:*"


def test_every_url_name_is_in_the_table():
    missing = sorted(name for name in all_url_names() if table_key(name) not in PAGES)
    assert missing == [], f"legg disse URL-navnene inn i PAGES: {missing}"


def test_menu_only_links_to_pages_in_the_table():
    assert {item.url_name for item in MENU} <= set(PAGES)


@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.name)
def test_anonymous_users_are_sent_to_login_or_get_404(client, route, db):
    if route.name in {"login", "health", "favicon"}:
        return
    request = client.post if route.name == "logout" else client.get
    response = request(route.path, follow=True)
    if response.status_code == 404:
        return
    assert response.redirect_chain, f"{route.path} ga {response.status_code} uten omdirigering"
    assert response.request["PATH_INFO"] == reverse("login"), response.redirect_chain


def test_public_pages_answer_without_login(client, db):
    assert client.get(reverse("login")).status_code == 200
    # 503 when Redis is configured but no worker runs; either way an answer, not a login page
    health = client.get(reverse("health"))
    assert health.status_code in (200, 503) and health.json()["database"]["ok"] is True


METHODS = ("GET", "POST")
MATRIX = [
    (name, method, role)
    for name, spec in PAGES.items()
    if not name.endswith(":*")
    for method in METHODS
    if method in spec and spec[method] != PUBLIC
    for role in Role.values
]


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The offices, users and page objects of the matrix, built once for the module (built anew
    for each of its thousand tests they took most of the suite's time). As Django's
    TestCase.setUpTestData: they live in a transaction around the module, each test runs in a
    savepoint inside it (its own changes rolled back), and the whole is rolled back at the end."""

    with django_db_blocker.unblock(), transaction.atomic():
        alna, stovner = OfficeFactory(enhetsnummer="0326"), OfficeFactory(enhetsnummer="0328")
        named = named_users(alna, stovner)
        yield {"users": named, "objects": _page_objects(named, (alna, stovner))}
        transaction.set_rollback(True)


@pytest.fixture
def users(matrix_world, db):
    return matrix_world["users"]


@pytest.fixture
def page_objects(matrix_world, db):
    return matrix_world["objects"]


def _page_objects(users, offices) -> dict:
    """Objects for URLs with ids: per office, a referred participant with an open huskelapp."""
    objects = {}
    for office in offices:
        # in kartlegging, so that the mapping pages' forms can be carried out
        deltaker = with_consent(deltaker_with_course(path_events(("henvist", "mott")), office=office))
        # KAREA works in Alna only; in Stovner the office's own veileder starts the mapping.
        starter = users["karea"] if office.enhetsnummer == "0326" else users["veileder_stovner"]
        cases_services.mapping_start(deltaker=deltaker, actor=Actor.for_user(starter),
                                         on_date=datetime.date(2026, 1, 7))
        lapp, done = (Huskelapp.objects.create(deltaker=deltaker, due_date=datetime.date(2026, 2, 1), comment=comment,
                                               created_by=users["veileder"]) for comment in ("Ring", "Send CV"))
        cases_services.huskelapp_mark_done(huskelapp=done, actor=Actor.for_user(users["veileder"]))
        note = JournalEntry.objects.create(deltaker=deltaker, kind="samtale", date=datetime.date(2026, 1, 6),
                                           text="Samtale", author=users["veileder"])
        exclusion = ScreeningExclusion.objects.create(office=office, person=deltaker.person, reason="Flytter",
                                                      excluded_by=users["veileder"])
        report = monthly_report_build(office=office, month=datetime.date(2026, 1, 1), actor=Actor.operator())
        mapping = _mapping_objects(deltaker, users)
        holder = users["veileder"] if office.enhetsnummer == "0326" else users["veileder_stovner"]
        avtale = Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=timezone.now(),
                                       sted="Alna Aktiv", veileder=holder, created_by=holder)
        objects[office.enhetsnummer] = {
            **mapping,
            "veileder_id": holder.pk,
            "avtale": {"pk": deltaker.pk, "avtale_pk": avtale.pk},
            "report": {"pk": report.pk},
            "report_download": {"pk": report.pk, "fmt": "json"},
            "deltaker": {"pk": deltaker.pk},
            # a kept letter on the participant (issue 16): one of cases', one the vedtak unit made
            "brev": {"pk": deltaker.pk, "brev_pk": Brev.objects.create(
                deltaker=deltaker, kind="innkalling", tittel="Innkalling", sprak="nb", pdf=b"%PDF-1.7",
                created_by=holder).pk},
            "brev_vedtak": {"pk": Brev.objects.create(
                deltaker=deltaker, kind="vedtak", tittel="Vedtak", sprak="nb", pdf=b"%PDF-1.7",
                created_by=holder).pk},
            "huskelapp": {"pk": deltaker.pk, "huskelapp_pk": lapp.pk},
            "huskelapp_utfort": {"pk": deltaker.pk, "huskelapp_pk": done.pk},
            **_course_objects(office),
            **_consent_objects(office, deltaker),
            "journal": {"pk": deltaker.pk, "entry_pk": note.pk},
            "exclusion": {"pk": exclusion.pk},
            **conditions_data.page_objects(office, users),
            **_handover_objects(office, users),
            **breach_data.page_objects(office, users),
            **arbeidsboks_data.page_objects(office, deltaker, users),
            **kurs_data.page_objects(office, users),
        }
        objects[office.enhetsnummer]["klage"] = {"pk": _complaint(objects[office.enhetsnummer], users).pk}
        objects[office.enhetsnummer]["inbox_item"] = {
            "kind": "kontorets-henvisninger", "object_id": objects[office.enhetsnummer]["henvist"]["pk"]}
    return objects


def _made_on(objects: dict) -> datetime.date:
    return Vedtak.objects.get(pk=objects["vedtak"]["pk"]).vedtaksdato


def _signed_on(objects: dict) -> datetime.date:
    return timezone.localdate(Arbeidsevnevurdering.objects.get(pk=objects["vurdering"]["vurdering_pk"]).signed_at)


def _received_on(day: datetime.date) -> dict:
    """A complaint that came the day the decision was made and received: it cannot have been received before."""
    return {"vedtak_mottatt": f"{day:%Y-%m-%d}", "mottatt": f"{day:%Y-%m-%d}"}


def _complaint(objects: dict, users) -> Klage:
    """A complaint on the office's open vedtak, just received (issue 16)."""
    vedtak = Vedtak.objects.select_related("sak", "office").get(pk=objects["vedtak"]["pk"])
    return Klage.objects.create(office=vedtak.office, person=vedtak.sak.hovedperson, vedtak=vedtak,
                                vedtak_mottatt=datetime.date(2026, 1, 5), mottatt=datetime.date(2026, 1, 10),
                                hva_klagen_gjelder="Beløpet er for lavt.", registrert_av=users["vedtak"])


def _mapping_objects(deltaker, users) -> dict:
    """A signed assessment, an activity and a case handed back, for issue 4's pages."""
    vurdering = Arbeidsevnevurdering.objects.create(
        deltaker=deltaker, versjon=1, status="signert", del_a="a", del_b="b", del_c="c", del_d="d", del_e="e",
        innsatsgruppe="standard", hovedmal="skaffe_arbeid", created_by=users["karea"], signed_by=users["veileder"],
        signed_at=timezone.now(),
    )
    aktivitet = Aktivitet.objects.create(
        deltaker=deltaker, type="kurs", beskrivelse="Norskkurs", fra_dato=datetime.date(2026, 1, 10),
        til_dato=datetime.date(2026, 3, 10), created_by=users["veileder"],
    )
    handback, received = (Tilbakeforing.objects.create(deltaker=deltaker, rute="aap_ufore", date=day,
                                                       decided="Avklares mot AAP.", created_by=users["veileder"])
                          for day in (datetime.date(2026, 1, 20), datetime.date(2026, 1, 21)))
    cases_services.handback_receive(tilbakeforing=received, actor=Actor.for_user(users["hovedveileder"]))
    return {
        "vurdering": {"pk": deltaker.pk, "vurdering_pk": vurdering.pk},
        "aktivitet": {"pk": deltaker.pk, "aktivitet_pk": aktivitet.pk},
        "tilbakeforing": {"pk": deltaker.pk, "tilbakeforing_pk": handback.pk},
        "tilbakeforing_mottatt": {"pk": deltaker.pk, "tilbakeforing_pk": received.pk},
    }


def _course_objects(office) -> dict:
    """Participants at the course's first steps, for the pages that move them on; the referred
    ones have consented to sharing with KAREA, as at a referral."""
    candidate = deltaker_with_course(path_events(("kandidat",)), office=office)
    return {"kandidat": {"pk": candidate.pk}} | {
        state: {"pk": with_consent(deltaker_with_course(path_events(path), office=office)).pk}
        for state, path in (("henvist", ("kandidat", "henvist")), ("mott", ("kandidat", "henvist", "mott")),
                            ("avsluttet", ("kandidat", "henvist", "mott", "i_kartlegging", "avsluttet")))}


def _consent_objects(office, deltaker) -> dict:
    """A referred participant who has not consented to sharing with KAREA, and the consent of the
    matrix's participant (in force), for the consent pages (issue 16)."""
    without = deltaker_with_course(path_events(("kandidat", "henvist")), office=office)
    return {"uten_samtykke": {"pk": without.pk},
            "samtykke": {"pk": deltaker.pk, "samtykke_pk": deltaker.samtykker.get(trukket_at__isnull=True).pk}}


def _handover_objects(office, users) -> dict:
    """A vedtak not decided, one ready to be lifted, an export marked sent, and a released payout
    not exported yet."""
    undecided = conditions_data.vedtak(conditions_data.sak(office), users["vedtak"], decide=False)
    ready = conditions_data.vedtak(conditions_data.sak(office), users["vedtak"])
    conditions_data.fulfil(ready, users["vedtak"])
    sent = conditions_data.export(office, users)
    conditions_services.handover_export_mark_sent(
        eksport=sent, rows=list(Overforing.objects.filter(eksporter=sent).values_list("pk", flat=True)),
        actor=Actor.for_user(users["vedtak"]))
    conditions_data.approved(office, users)
    return {"uavgjort_vedtak": {"pk": undecided.pk}, "klart_vedtak": {"pk": ready.pk}, "eksport_sendt": {"pk": sent.pk}}


def page_url(name: str, page_objects: dict, office: str = "0326") -> str:
    if "kwargs" in PAGES[name]:
        return reverse(name, kwargs=PAGES[name]["kwargs"])
    kind = PAGES[name].get("object")
    return reverse(name, kwargs=page_objects[office][kind]) if kind else reverse(name)


# The audit entry an allowed GET writes: a page that shows one person's data writes exactly one
# read entry (a download of it, one export entry) naming the user; every other page none.
READ, EXPORT = AuditEntry.Action.READ, AuditEntry.Action.EXPORT
GET_AUDIT = {
    "participant-detail": READ, "mapping-detail": READ, "activity-edit": READ, "plan-print": READ,
    "vedtak-detail": READ, "breach-detail": READ, "breach-warning-pdf": EXPORT, "document-download": READ, "vilkar-assess": READ, "lifting-review": READ,
    "workarea-attendance": READ, "placement-create": READ, "state-measures": READ, "placement-detail": READ,
    "placement-edit": READ, "attendance-correct": READ,
    # a group course's page and a session's attendance show each participant on them (one in the matrix)
    "course-detail": READ, "enrolment-end": READ, "session-attendance": READ,
    "letter-list": READ, "vedtak-letters": READ, "letter-download": EXPORT, "conditions-letter-download": EXPORT,
    "survey": READ, "complaint-detail": READ,
    "assessment-pdf": EXPORT, "plan-pdf": EXPORT, "appointment-letter": EXPORT, "consent-form-pdf": EXPORT,
    "handover-export-csv": EXPORT, "report-download": EXPORT,
}
# A list exported with personal data writes one export entry per person in the file.
GET_AUDIT_PER_PERSON = {"portfolio-export"}
# Rows an allowed GET writes besides the audit log: opening an inbox item marks it seen.
GET_WRITES = {"inbox-open": {"alnaaktiv_inboxseen"}}


@dataclass(frozen=True)
class Effect:
    """What an allowed POST does: the form it sends (a function of the office's page objects where
    it needs a row's id or version) and the audit entries (action, object type) it must write,
    naming the user. A "create" entry also needs a new row in that object's table."""

    data: dict | Callable[[dict], dict]
    writes: frozenset[tuple[str, str]]


def _writes(*pairs: str) -> frozenset[tuple[str, str]]:
    return frozenset(tuple(pair.split(" ")) for pair in pairs)


def _version(model, objects: dict, kind: str) -> int:
    return model.objects.get(pk=objects[kind]["pk"]).version


def _veileder_pk() -> int:
    return User.objects.get(username=Role.VEILEDER).pk


def _person_details_form(objects: dict) -> dict:
    person = Deltaker.objects.select_related("person").get(pk=objects["deltaker"]["pk"]).person
    return {"forstesprak": "so", "tolk": "ja", "tolkesprak": "", "utdanningsniva": "ukjent", "utdanning_godkjent": "",
            "telefon": "400 00 000", "epost": "", "skriftsprak": "",
            "seen": cases_services.person_details_seen(person)}


def _sak_of(objects: dict) -> Sak:
    return Vedtak.objects.select_related("sak").get(pk=objects["vedtak"]["pk"]).sak


PLACEMENT_FORM = {"kind": "arbeidstrening", "startdato": "2026-03-04", "planlagt_slutt": "2026-06-01",
                  "timer_per_uke": "20", "dager_per_uke": "5", "veileder_pa_stedet": "Ola Arbeidsleder",
                  "mal": "Lære rutiner", "ikke_fortrengning": "on"}
ACTIVITY_FORM = {"type": "kurs", "beskrivelse": "Norskkurs på Furuset", "fra_dato": "2026-04-01",
                 "til_dato": "2026-05-01", "status": "planlagt"}
POST_EFFECTS: dict[str, Effect] = {
    "appointment-create": Effect({"starts_at": f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}T10:00",
                                  "sted": "Alna Aktiv, møterom 2"}, _writes("create cases.avtale")),
    "appointment-close": Effect({"outcome": "mott"}, _writes("update cases.avtale")),
    "appointment-bulk-met": Effect(lambda objects: {"avtaler": [objects["avtale"]["avtale_pk"]]},
                                   _writes("update cases.avtale")),
    "participant-journal": Effect({"kind": "samtale", "date": "2026-01-07", "text": "Samtale om jobbønsker."},
                                  _writes("create cases.journalentry")),
    "participant-malgruppe": Effect({"malgruppe": "ungdom_20_24", "reason": "Er 22 år"},
                                    _writes("update cases.deltaker")),
    "participant-person-details": Effect(_person_details_form, _writes("update cases.person")),
    "participant-transition": Effect({"to_state": "avsluttet", "date": "2026-01-21", "utfall": "arbeid"},
                                     _writes("update cases.courseevent")),
    "mapping-update": Effect({"metode_samtale": "on", "jobbonsker": "Kantine på Furuset"},
                             _writes("update cases.kartlegging")),
    "mapping-week": Effect({"uke": "1", "planlagte_dager": "3", "mott_dager": "3"},
                           _writes("create cases.klartjegkanuke")),
    "assessment-new-version": Effect({}, _writes("create cases.arbeidsevnevurdering")),
    "huskelapp-create": Effect({"due_date": "2026-03-10", "comment": "Ring tilbake"}, _writes("create cases.huskelapp")),
    # the matrix's participant has no veileder yet: the office's veileder takes it
    "participant-veileder": Effect(lambda objects: {"to_veileder": _veileder_pk(), "reason": "Ferie"},
                                   _writes("create cases.tildeling")),
    "participant-assign": Effect(lambda objects: {"deltakere": [objects["deltaker"]["pk"]],
                                                  "to_veileder": _veileder_pk(), "reason": "Ferie"},
                                 _writes("create cases.tildeling")),
    "huskelapp-done": Effect({}, _writes("update cases.huskelapp")),
    "consent-register": Effect({"gitt_dato": "2026-03-02", "mate": "skriftlig", "omfang": "Navn og oppmøte"},
                               _writes("create cases.samtykke", "create cases.journalentry")),
    # confirmed at once (the confirmation page itself: tests/test_consent.py)
    "consent-withdraw": Effect({"trukket_dato": "2026-03-02", "grunn": "Ønsker ikke deling", "bekreftet": "ja"},
                               _writes("update cases.samtykke", "create cases.journalentry")),
    "huskelapp-undo-done": Effect({"reason": "Trykket feil"}, _writes("update cases.huskelapp")),
    "participant-refer": Effect(lambda objects: {
        "reason": "Ønsker arbeid i butikk", "veileder": objects["veileder_id"], "sted": "Alna Aktiv",
        "first_appointment": f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}T10:00"},
        _writes("update cases.courseevent", "update cases.deltaker", "create cases.avtale")),
    "participant-meeting": Effect({"met": "ja", "date": "2026-01-10"}, _writes("update cases.courseevent")),
    "mapping-start": Effect({"date": "2026-01-10"}, _writes("create cases.kartlegging")),
    "handback-undo-receipt": Effect({"reason": "Feil sak"}, _writes("update cases.tilbakeforing")),
    "lifting-prepare": Effect({}, _writes("create conditions.oppheving")),
    "vedtak-decide": Effect(lambda objects: {
        "resultat": "innvilget", "vedtaksdato": "2026-03-02", "unntak_20a": "Dokumentert sykdom",
        "versjon": _version(Vedtak, objects, "uavgjort_vedtak")}, _writes("update conditions.vedtak")),
    "handover-export": Effect({}, _writes("create conditions.overforingeksport")),
    "handover-undo-sent": Effect({"grunn": "Ikke sendt likevel"}, _writes("update conditions.overforing")),
    "journal-correct": Effect({"text": "Samtale, rettet", "reason": "Skrivefeil"},
                              _writes("create cases.journalentry")),
    "activity-create": Effect(ACTIVITY_FORM, _writes("create cases.aktivitet")),
    "activity-edit": Effect({**ACTIVITY_FORM, "beskrivelse": "Norskkurs B2"}, _writes("update cases.aktivitet")),
    "handback-receive": Effect({}, _writes("update cases.tilbakeforing")),
    "vedtak-create": Effect(lambda objects: {
        "saksnummer": _sak_of(objects).saksnummer, "soknad_mottatt": "2026-02-25", "periode_fra": "2026-03-01",
        "periode_til": "2026-03-31", "belop": "7400", "varslet_reduksjon": "on"}, _writes("create conditions.vedtak")),
    "vilkar-create": Effect(lambda objects: {
        "person": _sak_of(objects).hovedperson_id, "kind": "aktivitet", "hjemmel": "sotjl_20a",
        "beskrivelse": "Søk 8 jobber i uka innen lager", "frist": "2026-03-31", "mengde": 8,
        "enhet": "soknader_per_uke"}, _writes("create conditions.vilkar")),
    "vilkar-waive": Effect(lambda objects: {"begrunnelse": "Flyttet fra kommunen",
                                            "versjon": _version(Vilkar, objects, "vilkar")},
                           _writes("update conditions.vilkar")),
    "vilkar-offer": Effect(lambda objects: {"tilbud": "jobbsoking", "fravaer_terskel": "25",
                                            "versjon": _version(Vilkar, objects, "aktivitetsvilkar")},
                           _writes("update conditions.vilkar")),
    "applications-register": Effect({"soknader": "Rema 1000 Furuset; 01.03.2026"},
                                    _writes("create conditions.dokumentasjon")),
    "breach-close": Effect({"grunn": "Godkjent fravær"}, _writes("update conditions.muligbrudd")),
    "breach-response": Effect({"svar": "Jeg var syk", "mottatt": "2026-03-04"}, _writes("update conditions.forhandsvarsel")),
    "sanction-reject": Effect({"begrunnelse": "For strengt"}, _writes("update conditions.sanksjon")),
    "document-register": Effect({"type": "husleie", "mottatt": "2026-03-02", "vurdering": "godkjent"},
                                _writes("create conditions.dokumentasjon")),
    "document-assess": Effect({"vurdering": "godkjent"}, _writes("update conditions.dokumentasjon")),
    "vilkar-assess": Effect(lambda objects: {"oppfylt": "ja", "begrunnelse": "Godt i gang",
                                             "versjon": _version(Vilkar, objects, "aktivitetsvilkar")},
                            _writes("update conditions.vilkar")),
    "lifting-approve": Effect({"bekreftet": "ja"}, _writes("update conditions.oppheving")),
    "lifting-reject": Effect({"begrunnelse": "Mangler dokumentasjon"}, _writes("update conditions.oppheving")),
    "handover-mark-sent": Effect({}, _writes("update conditions.overforing")),
    "state-measures": Effect({"type": "arbeid_med_bistand", "leverandor": "Alna Bistand AS", "fra": "2026-03-01",
                              "oremerket": "on"}, _writes("create arbeidsboks.statligtiltak")),
    "placement-end": Effect({"status": "avbrutt", "sluttdato": "2026-03-04", "sluttarsak": "syk"}, _writes("update arbeidsboks.plassering")),
    "placement-edit": Effect({"startdato": "2026-02-02", "planlagt_slutt": "2026-06-26", "timer_per_uke": "20",
                              "dager_per_uke": "5", "veileder_pa_stedet": "Ola Arbeidsleder", "mal": "Lære rutiner",
                              "begrunnelse": "Forlenget en måned"}, _writes("update arbeidsboks.plassering")),
    "attendance-correct": Effect({"planlagte_timer": "20", "oppmotte_timer": "16", "planlagte_dager": "5",
                                  "oppmotte_dager": "4", "fravaer_grunn": "Syk", "begrunnelse": "Feil timetall"},
                                 _writes("update arbeidsboks.frammote")),
    "evaluation-create": Effect({"dato": "2026-03-04", "punktlighet": "5", "samarbeid": "4", "sprak": "3",
                                 "ferdigheter": "4", "initiativ": "4", "kommentar": "Møter presist"},
                                _writes("create arbeidsboks.evaluering")),
    "screening-exclusion-undo": Effect({"kontor": "0326", "dato": "01.10.2014", "begrunnelse": "Feil person"},
                                       _writes("update cases.screeningexclusion")),
    "report-close": Effect({"bekreftet": "ja"}, _writes("update reporting.monthlyreport")),
    "course-create": Effect({"navn": "Norskkurs", "type": "norskkurs", "leverandor": "nav", "kapasitet": "10",
                             "startdato": "2027-01-04", "sluttdato": "2027-02-26", "ukedager": ["2"]},
                            _writes("create arbeidsboks.gruppekurs")),
    "course-edit": Effect(lambda objects: kurs_data.course_form(
        Gruppekurs.objects.get(pk=objects["gruppekurs"]["pk"]), kapasitet="14"), _writes("update arbeidsboks.gruppekurs")),
    "course-enrol": Effect(lambda objects: {"deltaker": objects["deltaker"]["pk"]},
                           _writes("create arbeidsboks.kursdeltakelse", "create cases.aktivitet")),
    "participant-course-enrol": Effect(lambda objects: {"kurs": objects["gruppekurs"]["pk"]},
                                       _writes("create arbeidsboks.kursdeltakelse", "create cases.aktivitet")),
    # tomorrow as of the request, not as of collecting the tests: across midnight the latter can be
    # the day of the matrix's own session
    "session-create": Effect(lambda objects: {"dato": f"{timezone.localdate() + datetime.timedelta(days=1):%Y-%m-%d}",
                                              "tema": "CV"},
                             _writes("create arbeidsboks.kurssamling")),
    "sessions-generate": Effect({}, _writes("create arbeidsboks.kurssamling")),
    "enrolment-end": Effect({"status": "fullfort", "bekreftet": "ja"},
                            _writes("update arbeidsboks.kursdeltakelse", "update cases.aktivitet")),
    "session-attendance": Effect(lambda objects: {f"d{objects['kursdeltakelse']['pk']}-oppmote": "mott"},
                                 _writes("create arbeidsboks.kursoppmote")),
    "user-settings": Effect({"inbox_digest": "on"}, _writes("update alnaaktiv.user")),
    "plan-statement-create": Effect({"standpunkt": "enig", "tekst": "Planen passer meg.", "dato": "2026-01-07"},
                                    _writes("create cases.uttalelse", "create cases.journalentry")),
    "assessment-statement-create": Effect(lambda objects: {
        "standpunkt": "uenig", "tekst": "Jeg kan jobbe mer.", "dato": "2026-01-07",
        "versjon": objects["vurdering"]["vurdering_pk"]}, _writes("create cases.uttalelse", "create cases.journalentry")),
    "survey": Effect({"sporsmal_1": "5", "sporsmal_2": "4", "sporsmal_3": "3", "sporsmal_4": "4", "sporsmal_5": "5"},
                     _writes("update cases.deltaker")),
    "complaint-detail": Effect({"versjon": "1", "status": "behandles"}, _writes("update conditions.klage")),
    "vedtak-complaint-create": Effect(lambda objects: {
        "klager": _sak_of(objects).hovedperson_id, **_received_on(_made_on(objects)),
        "hva_klagen_gjelder": "Beløpet er for lavt."}, _writes("create conditions.klage")),
    "assessment-complaint-create": Effect(lambda objects: {
        "versjon": objects["vurdering"]["vurdering_pk"], **_received_on(_signed_on(objects)),
        "hva_klagen_gjelder": "Innsatsgruppen er feil."}, _writes("create conditions.klage")),
}

# Allowed POSTs the matrix does not carry out, and why; each writes nothing but the page's read
# entry. Most need an object in another state than the matrix's one (their feature tests carry
# them out); the key is the page, or "page role" where only that role is refused.
NOT_CARRIED_OUT = {
    "letter-create": "an empty form is refused; tests/test_letters.py makes letters",
    "vedtak-letters": "an empty form is refused; tests/test_letters.py makes letters",
    "breach-warning": "asks for confirmation first (tests/test_sanctions.py carries it out)",
    "breach-no-reaction": "the response deadline is not past in the matrix (tests/test_sanctions.py)",
    "breach-sanction": "asks for confirmation first (tests/test_sanctions.py carries it out)",
    "sanction-approve": "asks for confirmation first (tests/test_sanctions.py carries it out)",
    "sanction-end": "the matrix's reaction waits for approval; ending one is in tests/test_sanctions.py",
    "portfolio": "a search: answered on the page, nothing stored",
    "search": "a search: answered on the page; only a fødselsnummer search writes a read entry (tests/test_search.py)",
    "session-renew": "renews the session only",
    "logout": "ends the session only (checked below)",
    "register-import": "needs uploaded register files",
    "admin-innsyn": "hands out a PDF of the log",
    "report-build": "the report is built by a task after the commit",
    "journal-correct karea": "corrects one's own entry; the veileder wrote it",
    "assessment-save": "the matrix's assessment is signed; a new version is made first",
    "assessment-sign": "the matrix's assessment is signed",
    "assessment-approve": "the matrix's assessment is signed, not waiting for approval",
    "assessment-return": "the matrix's assessment is signed, not waiting for approval",
    "route-decide": "needs an approved assessment",
    "waitlist-offer": "the matrix's work area has no waiting list",
    "workarea-attendance": "registers this week; the matrix's placement has ended by then",
    "placement-create": "the matrix's participant is placed in the office's only work area",
    "placement-start": "the matrix's placement is running",
    "screening-exclude": "needs a person in a register extract",
    "screening-enrol": "needs a person in a register extract",
    "screening-refer": "needs a person in a register extract",
}


@functools.cache
def _tables() -> tuple[str, ...]:
    """Every table the app writes (the session table aside: logging in and out write it)."""
    return tuple(sorted({model._meta.db_table for model in apps.get_models()
                         if model._meta.managed and model._meta.db_table != "django_session"}))


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, int]
    last_audit_id: int
    last_security_id: int


def _snapshot() -> Snapshot:
    """The row count of every table and the newest log ids, in one query (a query per table would
    add a minute to the matrix)."""
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}, (SELECT MAX(id) FROM alnaaktiv_auditentry), "  # noqa: S608 — table names from the models
                       "(SELECT MAX(id) FROM alnaaktiv_securityevent)")
        *rows, last_audit_id, last_security_id = cursor.fetchone()
    return Snapshot(dict(zip(_tables(), rows, strict=True)), last_audit_id or 0, last_security_id or 0)


@dataclass(frozen=True)
class Written:
    """What one request wrote: new rows per table and the new audit and security entries."""

    rows: dict[str, int]
    audit: list[AuditEntry]
    security: list[SecurityEvent]


def _written_since(before: Snapshot) -> Written:
    after = _snapshot()
    rows = {table: after.rows[table] - count for table, count in before.rows.items() if after.rows[table] != count}
    audit = list(AuditEntry.objects.filter(id__gt=before.last_audit_id)) if after.last_audit_id > before.last_audit_id else []
    security = (list(SecurityEvent.objects.filter(id__gt=before.last_security_id))
                if after.last_security_id > before.last_security_id else [])
    return Written(rows, audit, security)


def _assert_refused(response, written: Written, user, path: str, label: str, statuses=(403, 404)) -> None:
    """Nothing written but one security event naming the user (403 for the role, 404 for an object
    outside what the user may see). A method the page does not take (405) never reaches the access
    check: nothing at all is written."""
    if response.status_code == 405:
        assert written.rows == {}, f"{label}: {written.rows}"
        return
    status = response.status_code
    assert status in statuses, f"{label}: {status}"
    assert written.rows == {"alnaaktiv_securityevent": 1}, f"{label}: {written.rows}"
    event = written.security[0]
    assert (event.user, event.status, event.path) == (user, status, path), label


def _assert_allowed_get(response, written: Written, user, name: str, label: str) -> None:
    assert response.status_code in (200, 302), f"{label}: {response.status_code}"
    expected = [GET_AUDIT[name]] if name in GET_AUDIT else []
    if name in GET_AUDIT_PER_PERSON:
        expected = [EXPORT] * len(written.audit)  # none when the user's list is empty
    assert [entry.action for entry in written.audit] == expected, f"{label}: {written.audit}"
    assert all(entry.user == user for entry in written.audit), label
    assert set(written.rows) <= {"alnaaktiv_auditentry", *GET_WRITES.get(name, ())}, f"{label}: {written.rows}"


def _object_table(object_type: str) -> str:
    return apps.get_model(object_type)._meta.db_table


def _assert_allowed_post(response, written: Written, user, name: str, label: str) -> None:
    """The action's audit entries name the user, and what it creates is in the database."""
    carried_out = name in POST_EFFECTS and f"{name} {user.username}" not in NOT_CARRIED_OUT
    # 400: refused for the object's state, drawn again with the reason
    assert response.status_code in ((200, 204, 302) if carried_out else (200, 204, 302, 400)), (
        f"{label}: {response.status_code}")
    if name == "logout":
        return
    assert not response.get("Location", "").startswith(reverse("login")), f"{label}: til innlogging"
    assert not written.security, f"{label}: {written.security}"
    assert all(entry.user == user for entry in written.audit), label
    effect = None if f"{name} {user.username}" in NOT_CARRIED_OUT else POST_EFFECTS.get(name)
    if effect is None:
        assert name in NOT_CARRIED_OUT or f"{name} {user.username}" in NOT_CARRIED_OUT, f"{label}: mangler i POST_EFFECTS"
        assert set(written.rows) <= {"alnaaktiv_auditentry"}, f"{label}: {written.rows}"
        assert all(entry.action == READ for entry in written.audit), f"{label}: {written.audit}"
        return
    done = {(entry.action, entry.object_type) for entry in written.audit}
    assert effect.writes <= done, f"{label}: skrev {sorted(done)}"
    for action, object_type in effect.writes:
        if action == AuditEntry.Action.CREATE:
            assert written.rows.get(_object_table(object_type), 0) >= 1, f"{label}: ingen ny {object_type}"


def _post_data(name: str, objects: dict) -> dict:
    effect = POST_EFFECTS.get(name)
    if effect is None:
        return {}
    return effect.data(objects) if callable(effect.data) else effect.data


@pytest.mark.parametrize(("name", "method", "role"), MATRIX)
def test_role_may_or_may_not_use_page(client, users, page_objects, name, method, role):
    user, url, label = users[role], page_url(name, page_objects), f"{role} {method} {name}"
    client.force_login(user)
    data = _post_data(name, page_objects["0326"]) if method == "POST" else {}
    before = _snapshot()
    response = client.post(url, data) if method == "POST" else client.get(url)
    written = _written_since(before)
    if role not in PAGES[name][method]:
        _assert_refused(response, written, user, url, label)
    elif method == "GET":
        _assert_allowed_get(response, written, user, name, label)
    else:
        _assert_allowed_post(response, written, user, name, label)
        if name == "logout":
            assert "_auth_user_id" not in client.session, label


OBJECT_MATRIX = [
    (name, method, role)
    for name, spec in PAGES.items()
    if "object" in spec
    for method in METHODS
    if method in spec
    for role in sorted(spec[method])  # a fixed order: parallel workers must collect alike
]


@pytest.mark.parametrize(("name", "method", "role"), OBJECT_MATRIX)
def test_another_offices_object_is_not_found(client, users, page_objects, name, method, role):
    user, url = users[role], page_url(name, page_objects, office="0328")
    client.force_login(user)
    before = _snapshot()
    response = getattr(client, method.lower())(url)
    _assert_refused(response, _written_since(before), user, url, f"{role} {method} {name}", statuses=(404,))


ADMIN_ROUTES = [
    route for route in all_routes() if route.name == "admin:index" or route.name.endswith("_changelist")
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.name)
def test_only_the_admin_role_gets_into_the_admin_site(client, users, role, route):
    client.force_login(users[role])
    response = client.get(route.path)
    if role == Role.ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_user_without_any_role_sees_a_notice_and_no_role_sections(client, users):
    client.force_login(users["uten_rolle"])
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert "Brukeren din har ingen roller ennå" in response.content.decode()


# Queries of each role's live work lists and panels. The project leader: the dashboard (offices,
# newest stored report), the vedtak unit's four counts and the months not closed (offices, reports,
# first referral); the controller: the months not closed. Arbeidsboks adds one count query for
# veileder, KAREA and prosjektleder.
# The inbox (issue 14) adds one count per kind: veileder 8, hovedveileder 3, KAREA 2, vedtak and
# leder 1 (alnaaktiv.inbox.INBOX).
START_WORKLIST_QUERIES = {Role.VEILEDER: 2 + 9, Role.HOVEDVEILEDER: 2 + 3, Role.KAREA: 2 + 2, Role.PROSJEKTLEDER: 10,
                          Role.VEDTAK: 4 + 2, Role.LEDER: 1 + 2, Role.CONTROLLER: 3}


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.VEILEDER, "Mine deltakere"),
        (Role.HOVEDVEILEDER, "Henvisninger"),
        (Role.VEDTAK, "Vilkår og dokumentasjon"),
        (Role.LEDER, "Godkjenning"),
        (Role.PROSJEKTLEDER, "Måltall og trakt"),
        (Role.CONTROLLER, "Månedsrapporter"),
        (Role.KAREA, "Arbeidsboks"),
        (Role.ADMIN, "Administrasjon"),
    ],
)
def test_start_page_shows_the_roles_own_section(client, users, role, heading, django_assert_num_queries):
    client.force_login(users[role])
    # session, user, memberships, offices, session renewal; plus two savepoints each for the
    # request's transaction and the session save inside the test's transaction; one more per
    # role whose work lists are counted (issue 4: veileder, hovedveileder, KAREA)
    with django_assert_num_queries(9 + START_WORKLIST_QUERIES.get(role, 0)):
        body = client.get(reverse("start")).content.decode()
    assert f"Du er logget inn som {Role(role).label.lower()} ved NAV Alna (0326)." in body
    assert f'id="seksjon-{role}">{heading}</h2>' in body
    others = {"Mine deltakere", "Henvisninger", "Måltall og trakt", "Månedsrapporter"} - {heading}
    assert not any(f">{other}</h2>" in body for other in others)
