"""Issue 12 «Warn before work is lost», the server's side: every logged-in page tells the script
how long the session lives and carries the idle warning; «Forbli innlogget» renews the session.
The browser's side (the dialog, beforeunload) is tests/e2e/test_lost_work_journey.py."""
import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.context_processors import duration_text


def test_a_logged_in_page_carries_the_idle_time_and_the_warning(client, users):
    client.force_login(users["veileder"])
    body = client.get(reverse("start")).content.decode()
    assert 'data-okt-sekunder="1800" data-okt-varsel-sekunder="120"' in body
    assert 'role="alertdialog"' in body
    assert "Du blir logget ut om 2 minutter på grunn av inaktivitet." in body
    assert f'action="{reverse("session-renew")}"' in body and "csrfmiddlewaretoken" in body
    assert "/static/js/alnaaktiv.js" in body


def test_the_login_page_has_no_idle_warning(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "data-okt-sekunder" not in body and "okt-varsel" not in body
    assert "/static/js/alnaaktiv.js" in body  # the unsaved-changes guard works everywhere


def test_forbli_innlogget_renews_the_session(client, users, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(users["veileder"])
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    response = client.post(reverse("session-renew"))
    assert response.status_code == 204
    assert Session.objects.get(pk=session.pk).expire_date > timezone.now() + datetime.timedelta(seconds=590)


def test_an_ended_session_is_not_renewed(client, db):
    response = client.post(reverse("session-renew"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_renewal_is_post_only(client, users):
    client.force_login(users["veileder"])
    assert client.get(reverse("session-renew")).status_code == 405


def test_durations_are_said_in_words():
    assert duration_text(120) == "2 minutter"
    assert duration_text(60) == "1 minutt"
    assert duration_text(45) == "45 sekunder"
    assert duration_text(1) == "1 sekund"
