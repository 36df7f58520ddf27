"""The admin answers «who has read my data?» in Chromium without a shell (issue 12, part 7): the
fødselsnummer is typed into a POSTed form and never appears in an address; the admin pages ask
for nothing that answers 404 (the favicon was missing); the pages are Norwegian and axe-clean."""
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from alnaaktiv.models import AuditEntry
from cases.models import Deltaker
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_the_admin_finds_who_read_a_person_without_the_number_in_any_address(page, live_server, screenshot,
                                                                           demo_data):
    person = Deltaker.objects.filter(person__adressebeskyttelse="ugradert", person__skjermet=False).first().person
    failed, addresses = [], []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.on("request", lambda request: addresses.append(request.url))
    page.on("console", lambda message: message.type == "error" and print("KONSOLL", page.url, message.location))

    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{person.deltakelser.first().pk}/")  # a read to find
    page.context.clear_cookies()

    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Søk i sporingsloggen etter person").click()
    expect(page.get_by_role("heading", name="Søk i sporingsloggen etter person")).to_be_visible()
    page.get_by_label("Personens fødselsnummer").fill(person.fnr)
    page.get_by_role("button", name="Søk").click()
    expect(page.get_by_role("heading", name=f"Sporingslogg for {person.navn}")).to_be_visible()
    results = page.locator("#result_list")
    expect(results.get_by_role("cell", name="veileder", exact=True).first).to_be_visible()
    expect(results.get_by_text("Deltaker", exact=False).first).to_be_visible()
    screenshot(page, "admin-sok-i-sporingsloggen")
    assert serious_axe_violations(page) == []
    assert AuditEntry.objects.filter(username="admin", person_fnr=person.fnr, action="read").exists()

    page.goto(f"{live_server.url}/admin/alnaaktiv/auditentry/")
    expect(page.get_by_role("link", name="Søk etter person")).to_be_visible()
    page.goto(f"{live_server.url}/admin/alnaaktiv/user/")
    expect(page.get_by_role("cell", name="Veileder (0326 NAV Alna)").first).to_be_visible()
    screenshot(page, "admin-brukere")

    assert not [address for address in addresses if person.fnr in address]
    assert failed == []  # among them /favicon.ico
    assert page.console_errors == [], page.console_errors
