import datetime

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from alnaaktiv.env import env_bool
from alnaaktiv.models import User
from alnaaktiv.oidc import NavOIDCBackend
from alnaaktiv.settings import base


def _login(client, username, password="test-passord-123"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_norwegian(client, db):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="nb">' in body
    assert "Logg inn" in body and "Brukernavn" in body and "Passord" in body


def test_login_through_the_form_leads_to_the_start_page(client, users):
    response = _login(client, "veileder")
    assert response.status_code == 302 and response["Location"] == reverse("start")
    assert "Hei, veileder" in client.get(reverse("start")).content.decode()


def test_wrong_password_is_refused_with_a_norwegian_message(client, users):
    response = _login(client, "veileder", "feil-passord")
    assert response.status_code == 200
    assert "korrekt brukernavn og passord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, users):
    for _ in range(5):
        _login(client, "veileder", "feil-passord")
    response = _login(client, "veileder")
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_for_one_user_does_not_lock_another(client, users):
    for _ in range(5):
        _login(client, "veileder", "feil-passord")
    assert _login(client, "leder").status_code == 302


def test_idle_session_expires_after_thirty_minutes(client, users):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _login(client, "veileder")
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("start")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))  # activity renewed the session
        assert client.get(reverse("start")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("start"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_passwords_are_hashed_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("et-langt-passord").startswith("argon2$")


def test_logout_is_a_post_and_ends_the_session(client, users):
    client.force_login(users["veileder"])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("start")).status_code == 302


OIDC_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "alnaaktiv",
    "OIDC_RP_CLIENT_SECRET": "hemmelig",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example/keys",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USERNAME_CLAIM": "NAVident",
    "OIDC_CREATE_USER": False,
}


@override_settings(**OIDC_SETTINGS)
def test_single_sign_on_maps_the_nav_ident_to_an_existing_active_user(users):
    backend = NavOIDCBackend()
    assert list(backend.filter_users_by_claims({"NAVident": "VEILEDER"})) == [users["veileder"]]
    assert list(backend.filter_users_by_claims({"NAVident": "ukjent"})) == []
    assert list(backend.filter_users_by_claims({"email": "x@nav.no"})) == []
    assert backend.verify_claims({"email": "x@nav.no"}) is False
    users["leder"].is_active = False
    users["leder"].save()
    assert list(backend.filter_users_by_claims({"NAVident": "leder"})) == []
    assert User.objects.count() == len(users)


@pytest.mark.parametrize("value", ["kanskje", "2"])
def test_a_bad_boolean_in_the_environment_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("ALLOW_SYNTHETIC_FNR", value)
    with pytest.raises(ImproperlyConfigured, match="ALLOW_SYNTHETIC_FNR må være på eller av"):
        env_bool("ALLOW_SYNTHETIC_FNR", False)
