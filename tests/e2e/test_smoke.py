"""Each demo user logs in through the real form and sees their role's start page: no console
errors, no serious or critical axe-core violations, and the skip link comes first for keyboards."""
import pytest
from django.core.management import call_command

from alnaaktiv.demo import DEMO_PASSWORD, DEMO_USERS
from alnaaktiv.frame import START_SECTIONS
from tests.e2e.conftest import serious_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("networkidle")


def test_login_page_is_accessible_and_error_free(page, live_server, screenshot, demo_data):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.title() == "Logg inn – Alna Aktiv"
    assert serious_axe_violations(page) == []
    page.get_by_label("Brukernavn").fill("veileder")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").inner_text().startswith("Vennligst oppgi korrekt brukernavn og passord")
    screenshot(page, "innlogging-feil")
    assert serious_axe_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize(("username", "role"), [(user[0], user[4][0]) for user in DEMO_USERS])
def test_each_demo_user_sees_their_start_page(page, live_server, screenshot, demo_data, username, role):
    login(page, live_server.url, username)
    assert page.url == f"{live_server.url}/"
    title, _ = START_SECTIONS[role]
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_role("navigation", name="Hovedmeny").is_visible()
    screenshot(page, f"start-{username}")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnhold"

    assert serious_axe_violations(page) == []
    assert page.console_errors == []

    page.get_by_role("button", name="Logg ut").click()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
