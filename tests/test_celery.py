"""Celery against a real Redis and a real worker process (CI); locally skipped without Redis."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from alnaaktiv.celery import app
from alnaaktiv.tasks import ping
from tests import services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(worker_process):
    """Sends this test's tasks to the real worker; other tests keep running tasks eagerly."""
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.update(task_always_eager=False, broker_url=services.redis_url(), result_backend=services.redis_url())
    yield worker_process
    app.conf.update(task_always_eager=previous[0], broker_url=previous[1], result_backend=previous[2])


@pytest.fixture(scope="module")
def worker_process():
    available, detail = services.redis_reachable()
    services.require("Redis", available, detail)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alnaaktiv.settings.test", "REDIS_URL": services.redis_url()}
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


def test_tasks_run_eagerly_without_redis():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay().get(timeout=5) == "pong"


def test_the_beat_schedule_clears_expired_sessions_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == "alnaaktiv.tasks.clear_expired_sessions"
    assert entry["schedule"] == 24 * 60 * 60
    assert entry["task"] in app.tasks


def test_expired_sessions_are_cleared(client, users):
    import datetime

    import time_machine
    from django.contrib.sessions.models import Session

    from alnaaktiv.tasks import clear_expired_sessions

    client.force_login(users["veileder"])
    assert Session.objects.count() == 1
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=1)):
        clear_expired_sessions.delay()
    assert Session.objects.count() == 0


def test_tasks_are_sent_only_after_the_transaction_commits(db, django_capture_on_commit_callbacks, monkeypatch):
    from alnaaktiv.tasks import enqueue_on_commit

    sent = []
    monkeypatch.setattr(ping, "delay", lambda *args, **kwargs: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(ping)
        assert sent == []
    assert len(callbacks) == 1 and sent == [()]
