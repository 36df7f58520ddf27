"""Status of the parts the application needs, each checked with a short timeout.

Every probe runs in its own thread on its own connection and is given
HEALTH_CHECK_TIMEOUT_SECONDS: a database or Redis that accepts connections but never answers
makes /health/ answer 503 at once instead of hanging the request (and the proxy's probe)."""
import math
import threading
import time

import redis
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from redis.backoff import NoBackoff
from redis.retry import Retry

from alnaaktiv.celery import app

# A probe that hangs keeps its thread until the socket gives up; at most this many may be
# stuck at once, after that a check answers "Timeout" without starting another.
_probe_slots = threading.BoundedSemaphore(4)


class _Probe:
    def __init__(self, check):
        self.outcome: dict | None = None
        self.started = _probe_slots.acquire(blocking=False)
        self.thread = threading.Thread(target=self._run, args=(check,), daemon=True, name="health-probe")
        if self.started:
            self.thread.start()

    def _run(self, check) -> None:
        try:
            self.outcome = check()
        except Exception as error:  # any failure means "down"; the reason is shown to operators
            self.outcome = {"ok": False, "error": type(error).__name__}
        finally:
            _probe_slots.release()

    def wait(self, deadline: float) -> dict:
        if self.started:
            self.thread.join(max(0.0, deadline - time.monotonic()))
        return self.outcome if self.outcome is not None else {"ok": False, "error": "Timeout"}


def _database_settings(alias: str = "default") -> dict:
    return connections.settings[alias]


def _database_check() -> dict:
    """SELECT 1 on a connection of its own (the request's connection is thread-bound), with a
    connect and statement timeout on PostgreSQL so the server itself gives up too."""
    settings_dict = _database_settings()
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)
    params = wrapper.get_connection_params()
    if wrapper.vendor == "postgresql":
        timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
        params["connect_timeout"] = max(1, math.ceil(timeout))
        params["options"] = f"{params.get('options', '')} -c statement_timeout={int(timeout * 1000)}".strip()
    raw = wrapper.get_new_connection(params)
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
    finally:
        raw.close()
    return {"ok": True, "vendor": wrapper.vendor}


def _redis_check() -> dict:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    # No retries: redis-py would otherwise try three more times with a back-off.
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout,
                                  retry=Retry(NoBackoff(), 0))
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True, "required": True}


def _deadline() -> float:
    return time.monotonic() + settings.HEALTH_CHECK_TIMEOUT_SECONDS


def database_status() -> dict:
    return _Probe(_database_check).wait(_deadline())


def redis_status() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "required": False, "detail": "ikke konfigurert (oppgaver kjøres direkte)"}
    return {"required": True, **_Probe(_redis_check).wait(_deadline())}


def worker_status(redis_ok: bool) -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "required": False, "detail": "oppgaver kjøres direkte i webprosessen"}
    if not redis_ok:
        return {"ok": False, "required": True, "error": "Redis utilgjengelig"}
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS

    def check() -> dict:
        replies = app.control.ping(timeout=timeout)
        return {"ok": bool(replies), "workers": len(replies)}

    # The ping itself waits its whole timeout for replies; a hung broker gets half a second more.
    return {"required": True, **_Probe(check).wait(time.monotonic() + timeout + 0.5)}


def overall_status() -> tuple[bool, dict]:
    # The database and Redis are probed at the same time: both hanging still answers in ~1 s.
    if settings.REDIS_URL:
        database_probe, redis_probe = _Probe(_database_check), _Probe(_redis_check)
        deadline = _deadline()
        database = database_probe.wait(deadline)
        broker = {"required": True, **redis_probe.wait(deadline)}
    else:
        database, broker = database_status(), redis_status()
    worker = worker_status(broker["ok"])
    healthy = database["ok"] and broker["ok"] and worker["ok"]
    return healthy, {"status": "ok" if healthy else "feil", "database": database, "redis": broker, "worker": worker}
