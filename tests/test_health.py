import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings
from django.urls import reverse

from alnaaktiv import health
from tests import services


def test_health_reports_database_and_eager_tasks_without_redis(client, db):
    with override_settings(REDIS_URL=None):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["ok"] is True
    assert report["redis"] == {"ok": True, "required": False, "detail": "ikke konfigurert (oppgaver kjøres direkte)"}
    assert report["worker"]["required"] is False


def test_health_answers_503_when_redis_is_down(client, db):
    # Nothing listens on port 1: the check must give up within its short timeout.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "feil"
    assert report["redis"]["ok"] is False
    assert report["worker"] == {"ok": False, "required": True, "error": "Redis utilgjengelig"}


def test_health_answers_503_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_status", lambda: {"ok": False, "error": "OperationalError"})
    with override_settings(REDIS_URL=None):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_health_answers_503_json_when_the_database_cannot_be_reached(client, db):
    # The probe opens a connection of its own (the request's connection is bound to its thread).
    with override_settings(REDIS_URL=None), mock.patch.object(
        type(connections["default"]), "get_new_connection", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_health_needs_no_login_and_shows_no_personal_data(client, users):
    response = client.get(reverse("health"))
    assert response["Content-Type"] == "application/json"
    assert "veileder" not in response.content.decode()


def test_health_with_redis_but_no_worker_is_503(client, db):
    available, detail = services.redis_reachable()
    services.require("Redis", available, detail)
    with override_settings(REDIS_URL=services.redis_url()):
        response = client.get(reverse("health"))
    report = response.json()
    assert report["redis"]["ok"] is True
    if report["worker"]["ok"]:
        pytest.skip("en Celery-arbeider kjører allerede mot denne Redis-en")
    assert response.status_code == 503


@pytest.fixture
def silent_server():
    """A TCP port on 127.0.0.1 that accepts connections (the kernel completes them from the
    backlog) and never answers: a database or Redis that hangs."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def _hung_database(monkeypatch, port: int) -> None:
    hung = {**connections.settings["default"], "ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
            "PORT": port, "NAME": "alnaaktiv", "USER": "alnaaktiv", "PASSWORD": "x", "OPTIONS": {}}
    monkeypatch.setattr(health, "_database_settings", lambda alias="default": hung)


def _timed_health(client):
    started = time.monotonic()
    response = client.get(reverse("health"))
    return response, time.monotonic() - started


def test_health_answers_503_json_within_two_seconds_when_the_database_never_answers(client, db, monkeypatch,
                                                                                    silent_server):
    _hung_database(monkeypatch, silent_server)
    with override_settings(REDIS_URL=None):
        response, seconds = _timed_health(client)
    assert seconds < 2, seconds
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response.json()["database"]["ok"] is False


def test_health_answers_503_json_within_two_seconds_when_redis_never_answers(client, db, silent_server):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{silent_server}/0"):
        response, seconds = _timed_health(client)
    assert seconds < 2, seconds
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    report = response.json()
    assert report["database"]["ok"] is True
    assert report["redis"]["ok"] is False and report["worker"]["ok"] is False


def test_health_answers_within_two_seconds_when_both_database_and_redis_hang(client, db, monkeypatch,
                                                                             silent_server):
    _hung_database(monkeypatch, silent_server)
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{silent_server}/0"):
        response, seconds = _timed_health(client)
    assert seconds < 2, seconds
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False and response.json()["redis"]["ok"] is False
