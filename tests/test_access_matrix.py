"""Who may GET and POST each page. Every URL name of the project must be in PAGES: a new page
without a row here fails test_every_url_name_is_in_the_table. Later issues add their rows."""
import pytest
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from alnaaktiv.navigation import MENU
from tests.conftest import make_user
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
VEILEDER = frozenset({Role.VEILEDER})

# Arbeidsboks (issue 6): KAREA and the veileder work, the project leader reads; the participant
# page's readers open a placement; the hovedveileder also records state measures
ARBEIDSBOKS_READERS = frozenset({Role.VEILEDER, Role.KAREA, Role.PROSJEKTLEDER})
ARBEIDSBOKS_WORKERS = frozenset({Role.VEILEDER, Role.KAREA})

# "object" names the kind of object in the URL: the test makes one in Alna (allowed roles get
# 200/302) and one in Stovner (the same roles get 404: another office's object).
PAGES: dict[str, dict] = {
    "start": {"GET": ALL, "POST": NONE},
    "portfolio": {"GET": PARTICIPANT_READERS, "POST": PARTICIPANT_READERS},
    "participant-detail": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "participant-refer": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "deltaker"},
    "participant-meeting": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    "participant-transition": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    "participant-journal": {"POST": frozenset({Role.VEILEDER, Role.KAREA}), "object": "deltaker"},
    "participant-malgruppe": {"POST": frozenset({Role.VEILEDER, Role.PROSJEKTLEDER}), "object": "deltaker"},
    "huskelapp-create": {"POST": frozenset({Role.VEILEDER}), "object": "deltaker"},
    "huskelapp-done": {"POST": frozenset({Role.VEILEDER}), "object": "huskelapp"},
    "huskelapp-undo-done": {"POST": frozenset({Role.VEILEDER}), "object": "huskelapp"},
    "journal-correct": {"POST": frozenset({Role.VEILEDER, Role.KAREA}), "object": "journal"},
    # kartlegging and avklaring (issue 4): veileder and KAREA work, NAV's veileder signs and routes
    "mapping-detail": {"GET": PARTICIPANT_READERS, "POST": NONE, "object": "deltaker"},
    "mapping-start": {"POST": MAPPING_WORKERS, "object": "deltaker"},
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
    "handback-receive": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "tilbakeforing"},
    "handback-undo-receipt": {"POST": frozenset({Role.HOVEDVEILEDER}), "object": "tilbakeforing"},
    "conditions-worklist": {"GET": CONDITIONS_READERS, "POST": NONE},
    "vedtak-create": {"GET": CONDITIONS_WRITERS, "POST": CONDITIONS_WRITERS},
    "vedtak-detail": {"GET": CONDITIONS_READERS, "POST": NONE, "object": "vedtak"},
    "vedtak-decide": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "vedtak"},
    "vilkar-create": {"POST": CONDITIONS_WRITERS, "object": "vedtak"},
    "vilkar-waive": {"POST": CONDITIONS_WRITERS, "object": "vilkar"},
    "reduction-create": {"POST": CONDITIONS_WRITERS, "object": "vilkar"},
    "document-register": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "vilkar"},
    "document-assess": {"POST": CONDITIONS_WRITERS, "object": "dokument"},
    "document-download": {"GET": CONDITIONS_WRITERS | VEILEDER, "POST": NONE, "object": "dokument"},
    "activity-list": {"GET": VEILEDER, "POST": NONE},
    "vilkar-assess": {"GET": VEILEDER, "POST": VEILEDER, "object": "aktivitetsvilkar"},
    "lifting-queue": {"GET": CONDITIONS_WRITERS, "POST": NONE},
    "lifting-prepare": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "vedtak"},
    "lifting-review": {"GET": LEADERS, "POST": NONE, "object": "oppheving"},
    "lifting-approve": {"GET": NONE, "POST": LEADERS, "object": "oppheving"},
    "lifting-reject": {"POST": LEADERS, "object": "oppheving"},
    "lifting-pdf": {"GET": CONDITIONS_WRITERS, "object": "oppheving"},
    "handover-list": {"GET": CONDITIONS_WRITERS, "POST": NONE},
    "handover-export": {"GET": NONE, "POST": CONDITIONS_WRITERS},
    "handover-export-csv": {"GET": CONDITIONS_WRITERS, "POST": NONE, "object": "eksport"},
    "handover-mark-sent": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "eksport"},
    "handover-undo-sent": {"GET": NONE, "POST": CONDITIONS_WRITERS, "object": "eksport"},
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
    "screening": {"GET": frozenset({Role.PROSJEKTLEDER, Role.VEILEDER}), "POST": NONE},
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
    from django.db import transaction

    from alnaaktiv.models import Office

    with django_db_blocker.unblock(), transaction.atomic():
        alna = Office.objects.get_or_create(enhetsnummer="0326", defaults={"name": "NAV Alna"})[0]
        stovner = Office.objects.get_or_create(enhetsnummer="0328", defaults={"name": "NAV Stovner"})[0]
        named = {role: make_user(role, alna, role, is_staff=role == Role.ADMIN) for role in Role.values}
        named["veileder_stovner"] = make_user("veileder_stovner", stovner, Role.VEILEDER)
        named["uten_rolle"] = make_user("uten_rolle", alna)
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
    import datetime

    from cases.models import CourseEvent, Deltaker, Huskelapp, JournalEntry, ScreeningExclusion
    from reporting.services import monthly_report_build
    from tests import arbeidsboks_data, conditions_data

    objects = {}
    for office in offices:
        deltaker = Deltaker.objects.create(
            person=conditions_data.person(), office=office, status="henvist", status_dato=datetime.date(2026, 1, 5)
        )
        CourseEvent.objects.create(deltaker=deltaker, state="henvist", date=datetime.date(2026, 1, 5))
        lapp = Huskelapp.objects.create(
            deltaker=deltaker, due_date=datetime.date(2026, 2, 1), comment="Ring", created_by=users["veileder"]
        )
        note = JournalEntry.objects.create(deltaker=deltaker, kind="samtale", date=datetime.date(2026, 1, 6),
                                           text="Samtale", author=users["veileder"])
        exclusion = ScreeningExclusion.objects.create(office=office, person=deltaker.person, reason="Flytter",
                                                      excluded_by=users["veileder"])
        report = monthly_report_build(office=office, month=datetime.date(2026, 1, 1), actor=Actor.operator())
        mapping = _mapping_objects(deltaker, users)
        objects[office.enhetsnummer] = {
            **mapping,
            "report": {"pk": report.pk},
            "report_download": {"pk": report.pk, "fmt": "json"},
            "deltaker": {"pk": deltaker.pk},
            "huskelapp": {"pk": deltaker.pk, "huskelapp_pk": lapp.pk},
            "journal": {"pk": deltaker.pk, "entry_pk": note.pk},
            "exclusion": {"pk": exclusion.pk},
            **conditions_data.page_objects(office, users),
            **arbeidsboks_data.page_objects(office, deltaker, users),
        }
    return objects


def _mapping_objects(deltaker, users) -> dict:
    """A signed assessment, an activity and a case handed back, for issue 4's pages."""
    import datetime

    from django.utils import timezone

    from cases.models import Aktivitet, Arbeidsevnevurdering, Tilbakeforing

    vurdering = Arbeidsevnevurdering.objects.create(
        deltaker=deltaker, versjon=1, status="signert", del_a="a", del_b="b", del_c="c", del_d="d", del_e="e",
        innsatsgruppe="standard", hovedmal="skaffe_arbeid", created_by=users["karea"], signed_by=users["veileder"],
        signed_at=timezone.now(),
    )
    aktivitet = Aktivitet.objects.create(
        deltaker=deltaker, type="kurs", beskrivelse="Norskkurs", fra_dato=datetime.date(2026, 1, 10),
        til_dato=datetime.date(2026, 3, 10), created_by=users["veileder"],
    )
    handback = Tilbakeforing.objects.create(deltaker=deltaker, rute="aap_ufore", date=datetime.date(2026, 1, 20),
                                            decided="Avklares mot AAP.", created_by=users["veileder"])
    return {
        "vurdering": {"pk": deltaker.pk, "vurdering_pk": vurdering.pk},
        "aktivitet": {"pk": deltaker.pk, "aktivitet_pk": aktivitet.pk},
        "tilbakeforing": {"pk": deltaker.pk, "tilbakeforing_pk": handback.pk},
    }


def page_url(name: str, page_objects: dict, office: str = "0326") -> str:
    kind = PAGES[name].get("object")
    return reverse(name, kwargs=page_objects[office][kind]) if kind else reverse(name)


@pytest.mark.parametrize(("name", "method", "role"), MATRIX)
def test_role_may_or_may_not_use_page(client, users, page_objects, name, method, role):
    client.force_login(users[role])
    response = getattr(client, method.lower())(page_url(name, page_objects))
    if role in PAGES[name][method]:
        # 400: an allowed action refused for what was posted (here nothing), drawn again with the errors
        assert response.status_code in (200, 204, 302, 400), f"{role} {method} {name}: {response.status_code}"
        if name != "logout":  # logging out is the one allowed action that ends at the login page
            assert not response.get("Location", "").startswith(reverse("login")), f"{role} {name}: til innlogging"
    else:
        assert response.status_code in (403, 405), f"{role} {method} {name}: {response.status_code}"


OBJECT_MATRIX = [
    (name, method, role)
    for name, spec in PAGES.items()
    if "object" in spec
    for method in METHODS
    if method in spec
    for role in spec[method]
]


@pytest.mark.parametrize(("name", "method", "role"), OBJECT_MATRIX)
def test_another_offices_object_is_not_found(client, users, page_objects, name, method, role):
    client.force_login(users[role])
    response = getattr(client, method.lower())(page_url(name, page_objects, office="0328"))
    assert response.status_code == 404


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
START_WORKLIST_QUERIES = {Role.VEILEDER: 2, Role.HOVEDVEILEDER: 1, Role.KAREA: 2, Role.PROSJEKTLEDER: 10,
                          Role.VEDTAK: 4, Role.LEDER: 1, Role.CONTROLLER: 3}


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
