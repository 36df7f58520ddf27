"""Celery against a real Redis and a real worker process (CI); locally skipped without Redis."""
import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from alnaaktiv.celery import app
from alnaaktiv.tasks import clear_expired_sessions, enqueue_on_commit, ping
from tests import services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(worker_process):
    """Sends this test's tasks to the real worker; other tests keep running tasks eagerly."""
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.update(task_always_eager=False, broker_url=services.redis_url(), result_backend=services.redis_url())
    yield worker_process
    app.conf.update(task_always_eager=previous[0], broker_url=previous[1], result_backend=previous[2])


def _test_database_url() -> str:
    """The worker must use pytest's test database, never the named one."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture(scope="module")
def worker_process(django_db_setup, django_db_blocker):
    available, detail = services.redis_reachable()
    services.require("Redis", available, detail)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alnaaktiv.settings.test", "REDIS_URL": services.redis_url(),
           "DATABASE_URL": _test_database_url()}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "alnaaktiv", "worker", "--pool=solo", "--loglevel=INFO",
         "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"Celery-arbeideren stoppet:\n{process.stdout.read()}")
            if app.control.ping(timeout=1.0, destination=[f"{queue}@{os.uname().nodename}"]):
                break
        else:
            pytest.fail("Celery-arbeideren svarte ikke innen 60 sekunder")
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.celery_worker
def test_a_real_worker_runs_a_task_and_returns_its_result(worker):
    result = ping.apply_async(queue=worker)
    assert result.get(timeout=30) == "pong"
    assert result.successful()


@pytest.mark.celery_worker
def test_health_reports_the_running_worker(worker, client, db):
    with override_settings(REDIS_URL=services.redis_url()):
        response = client.get(reverse("health"))
    assert response.status_code == 200, response.content
    assert response.json()["worker"]["ok"] is True


@pytest.mark.parametrize(("redis_url", "eager"), [("", "True"), ("redis://127.0.0.1:6379/0", "False")])
def test_tasks_run_eagerly_exactly_when_redis_is_unset(redis_url, eager):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "alnaaktiv.settings.local", "REDIS_URL": redis_url})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from alnaaktiv.celery import app; "
         "print(app.conf.task_always_eager)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    assert result.stdout.strip() == eager


def test_eager_tasks_return_their_result():
    assert ping.delay().get(timeout=5) == "pong"


def test_the_beat_schedule_clears_expired_sessions_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == "alnaaktiv.tasks.clear_expired_sessions"
    assert entry["schedule"] == 24 * 60 * 60
    assert entry["task"] in app.tasks


def test_expired_sessions_are_cleared(client, users):
    client.force_login(users["veileder"])
    assert Session.objects.count() == 1
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=1)):
        clear_expired_sessions.delay()
    assert Session.objects.count() == 0


def test_tasks_are_sent_only_after_the_transaction_commits(db, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(ping, "apply_async", lambda args=(), kwargs=None, **options: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(ping)
        assert sent == []
    assert len(callbacks) == 1 and sent == [()]
