import re

import pytest
from django.urls import reverse

from alnaaktiv.middleware import client_ip


def _csp(response) -> dict[str, str]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.fixture
def logged_in(client, users):
    client.force_login(users["veileder"])
    return client


@pytest.mark.parametrize("page", ["login", "start"])
def test_every_page_sends_the_security_headers(client, users, page):
    client.force_login(users["veileder"]) if page == "start" else None
    response = client.get(reverse(page), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store, private"
    permissions = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in permissions


def test_content_security_policy_uses_a_nonce_and_no_unsafe_inline(logged_in):
    response = logged_in.get(reverse("start"), secure=True)
    policy = _csp(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "siden skal laste skript"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_each_response_gets_a_fresh_nonce(logged_in):
    first = _csp(logged_in.get(reverse("start")))["script-src"]
    second = _csp(logged_in.get(reverse("start")))["script-src"]
    assert first != second


def test_static_files_are_not_marked_no_store(client, db):
    response = client.get("/static/css/alnaaktiv.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_each_response_carries_a_request_id(client, db, settings):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32 and first != second
    # A client cannot choose the id the audit log records ...
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-abc-123")["X-Request-ID"] != "proxy-abc-123"
    # ... a trusted proxy can.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-abc-123")["X-Request-ID"] == "proxy-abc-123"
    assert len(client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id<>")["X-Request-ID"]) == 32


@pytest.mark.parametrize(("path", "status"), [("/finnes-ikke/", 404), ("/admin/", 403)])
def test_error_pages_send_the_security_headers_too(client, users, path, status):
    client.force_login(users["veileder"])
    response = client.get(path, secure=True)
    assert response.status_code == status
    assert response["Cache-Control"] == "no-store, private"
    assert "'nonce-" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_client_address_is_remote_addr_unless_a_proxy_is_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.10"  # what the trusted proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.5"
