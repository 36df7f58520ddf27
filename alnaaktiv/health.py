"""Status of the parts the application needs, each checked with a short timeout."""
from django.conf import settings
from django.db import connection


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "down"; the reason is shown to operators
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def redis_status() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "required": False, "detail": "ikke konfigurert (oppgaver kjøres direkte)"}
    import redis

    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout)
        client.ping()
    except Exception as error:
        return {"ok": False, "required": True, "error": type(error).__name__}
    return {"ok": True, "required": True}


def worker_status(redis_ok: bool) -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "required": False, "detail": "oppgaver kjøres direkte i webprosessen"}
    if not redis_ok:
        return {"ok": False, "required": True, "error": "Redis utilgjengelig"}
    from alnaaktiv.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    except Exception as error:
        return {"ok": False, "required": True, "error": type(error).__name__}
    return {"ok": bool(replies), "required": True, "workers": len(replies)}


def overall_status() -> tuple[bool, dict]:
    database = database_status()
    broker = redis_status()
    worker = worker_status(broker["ok"])
    healthy = database["ok"] and broker["ok"] and worker["ok"]
    return healthy, {"status": "ok" if healthy else "feil", "database": database, "redis": broker, "worker": worker}
