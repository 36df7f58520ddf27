from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def ping() -> str:
    """A task that proves a worker is consuming the queue (health and integration test)."""
    return "pong"


@shared_task(acks_late=True, time_limit=300)
def clear_expired_sessions() -> None:
    """Idempotent housekeeping run by beat: expired sessions are removed from the database."""
    call_command("clearsessions")
