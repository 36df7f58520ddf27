"""Issue 12 «Warn before work is lost» in Chromium: a changed note asks before the page is left
and not after it is sent; the idle logout warns ahead in an alert dialog, «Forbli innlogget» keeps
the session past its old end, and an unanswered warning ends at the login page."""
import re
import time

import pytest

from tests.e2e.conftest import serious_axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base_url}/")


def test_leaving_a_changed_note_asks_first(page, live_server, users, make_deltaker, clicks):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"))
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    login(page, live_server.url, "veileder")
    page.goto(f"{live_server.url}/deltakere/{deltaker.pk}/")
    page.on("dialog", answer)
    note = page.get_by_role("textbox", name="Notat")
    assert note.evaluate("field => field.form.hasAttribute('data-varsle-ulagret')")

    # Unchanged: leaving asks nothing.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Start").click()
    page.wait_for_url(f"{live_server.url}/")
    assert dialogs == []

    page.go_back()
    with clicks.task("Skriv journalnotat (etter et avbrutt forsøk på å gå)") as task:
        note = page.get_by_role("textbox", name="Notat")
        note.click()
        page.keyboard.type("Avtalt oppfølging neste uke.")
        page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Start").click()
        page.wait_for_timeout(300)
        assert dialogs == ["beforeunload"]
        assert page.url == f"{live_server.url}/deltakere/{deltaker.pk}/"
        assert note.input_value() == "Avtalt oppfølging neste uke."

        # Sending the form is not leaving it.
        note.locator("xpath=ancestor::form").get_by_role("button").last.click()
        page.wait_for_load_state("load")
        assert dialogs == ["beforeunload"]
    assert task.count == 3  # into the field, the menu link (cancelled), «Lagre»
    assert page.console_errors == []


def test_the_idle_logout_warns_and_lets_the_user_stay(page, live_server, users, settings, screenshot):
    # The session ends after 6 s without a request; the warning comes 4 s before.
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_IDLE_WARNING_SECONDS = 4
    login(page, live_server.url, "veileder")
    loaded = time.monotonic()

    warning = page.get_by_role("alertdialog", name="Er du fortsatt her?")
    warning.wait_for(state="visible", timeout=5000)
    assert "Du blir logget ut om 4 sekunder på grunn av inaktivitet." in warning.inner_text()
    stay = warning.get_by_role("button", name="Forbli innlogget")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Forbli innlogget"
    assert serious_axe_violations(page) == []
    screenshot(page, "okt-varsel")
    with page.expect_response(lambda response: response.url.endswith("/okt/forny/")) as renewal:
        stay.click()
    assert renewal.value.status == 204
    warning.wait_for(state="hidden")

    # Past the old end of the session (6 s after the page loaded) the user is still logged in.
    page.wait_for_timeout(max(0, (loaded + 7 - time.monotonic()) * 1000))
    page.reload()
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("button", name="Logg ut").is_visible()

    # Unanswered, the warning ends at the login page once the session has ended.
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2F$"), timeout=12000)
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.console_errors == []
