from celery import shared_task
from django.core.management import call_command
from django.db import transaction


@shared_task(acks_late=True)
def ping() -> str:
    """A task that proves a worker is consuming the queue (health and integration test)."""
    return "pong"


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def clear_expired_sessions() -> None:
    """Idempotent housekeeping run by beat: expired sessions are removed from the database."""
    call_command("clearsessions")


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task only once the current transaction has committed, so a worker never sees
    rows that might still be rolled back (or looks for rows not yet visible to it)."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3600)
def anonymise_expired_persons() -> int:
    """Beat's monthly personvern job (docs/deploy.md «Personvern og sletting»). Idempotent: an
    anonymised person is never selected again. Frame code: it ties cases, conditions and
    arbeidsboks together through alnaaktiv.retention."""
    from django.utils import timezone

    from alnaaktiv import retention

    return len(retention.anonymise_expired_persons(today=timezone.localdate(), background=True))
