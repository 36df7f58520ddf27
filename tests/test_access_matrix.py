"""Who may GET and POST each page. Every URL name of the project must be in PAGES: a new page
without a row here fails test_every_url_name_is_in_the_table. Later issues add their rows."""
import pytest
from django.urls import reverse

from alnaaktiv.models import Role
from alnaaktiv.navigation import MENU
from tests.urlwalk import all_routes, all_url_names

ALL = frozenset(Role.values)
NONE: frozenset[str] = frozenset()
PUBLIC = "public"

# url name (or "namespace:*") -> roles allowed per method; PUBLIC needs no login.
PAGES: dict[str, dict[str, frozenset[str] | str]] = {
    "start": {"GET": ALL, "POST": NONE},
    "health": {"GET": PUBLIC},
    "login": {"GET": PUBLIC, "POST": PUBLIC},
    "logout": {"POST": ALL},
    "admin:*": {"GET": frozenset({Role.ADMIN})},
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
    if route.name in {"login", "health"}:
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


MATRIX = [
    (name, method, role)
    for name, methods in PAGES.items()
    if not name.endswith(":*")
    for method, allowed in methods.items()
    if allowed != PUBLIC
    for role in Role.values
]


@pytest.mark.parametrize(("name", "method", "role"), MATRIX)
def test_role_may_or_may_not_use_page(client, users, name, method, role):
    client.force_login(users[role])
    response = getattr(client, method.lower())(reverse(name))
    if role in PAGES[name][method]:
        assert response.status_code in (200, 302), f"{role} {method} {name}: {response.status_code}"
    else:
        assert response.status_code in (403, 405), f"{role} {method} {name}: {response.status_code}"


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
    # request's transaction and the session save inside the test's transaction
    with django_assert_num_queries(9):
        body = client.get(reverse("start")).content.decode()
    assert f"Du er logget inn som {Role(role).label.lower()} ved NAV Alna (0326)." in body
    assert f'id="seksjon-{role}">{heading}</h2>' in body
    others = {"Mine deltakere", "Henvisninger", "Måltall og trakt", "Månedsrapporter"} - {heading}
    assert not any(f">{other}</h2>" in body for other in others)
