import logging

from celery import shared_task
from django.contrib import messages
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from alnaaktiv.actor import Actor

logger = logging.getLogger(__name__)

# Shown after the change was saved but the queue (Redis) did not take the job: the rows that
# are waiting for it (an approved lifting without its PDF, a report "I kø") are the outbox, and
# a beat sweep sends them again.
QUEUE_DOWN_MESSAGE = "Jobben ble lagret og startes automatisk når køen svarer igjen."

# A request waits at most about this long for the broker before giving up on sending.
SEND_TIMEOUT_SECONDS = 1.0


@shared_task(acks_late=True)
def ping() -> str:
    """A task that proves a worker is consuming the queue (health and integration test)."""
    return "pong"


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def clear_expired_sessions() -> None:
    """Idempotent housekeeping run by beat: expired sessions are removed from the database."""
    call_command("clearsessions")


def send_task(task, *args, **kwargs) -> bool:
    """Send a task, or give up within about a second when the broker is down or hangs.

    Celery's defaults retry the broker and then the result store's pub/sub connection for ~19 s
    inside the request. Here: one connection with short socket timeouts and no retries, and no
    result subscription (nothing in a request waits for a result). False means the task was not
    sent; the caller's rows in the database still say the work is pending, so the beat sweep of
    its app sends it again. Eager mode (no REDIS_URL) runs the task as before, errors included."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return True
    try:
        with app.connection_for_write(
            connect_timeout=SEND_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": SEND_TIMEOUT_SECONDS,
                "socket_timeout": SEND_TIMEOUT_SECONDS,
                "max_retries": 0,
            },
        ) as connection:
            task.apply_async(args=args, kwargs=kwargs, connection=connection, retry=False, ignore_result=True)
    except Exception as error:  # kombu OperationalError, OSError, redis errors: all mean "not sent"
        logger.warning("Oppgaven %s ble ikke sendt (køen svarer ikke): %s: %s",
                       task.name, type(error).__name__, error)
        return False
    return True


def enqueue_on_commit(task, *args, actor=None, **kwargs) -> None:
    """Send a task only once the current transaction has committed, so a worker never sees
    rows that might still be rolled back (or looks for rows not yet visible to it).

    The change is already committed when the task is sent, so a broker that is down never turns
    it into an error page: the user is told the job waits (QUEUE_DOWN_MESSAGE) and the sweep
    sends it later."""

    request = getattr(actor, "request", None)

    def send() -> None:
        if not send_task(task, *args, **kwargs) and request is not None:
            messages.warning(request, QUEUE_DOWN_MESSAGE, fail_silently=True)

    transaction.on_commit(send)


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3600)
def anonymise_expired_persons() -> int:
    """Beat's monthly personvern job (docs/deploy.md «Personvern og sletting»). Idempotent: an
    anonymised person is never selected again. Frame code: it ties cases, conditions and
    arbeidsboks together through alnaaktiv.retention."""
    # The base may not import the apps when it loads (docs/architecture.md); this frame job
    # reaches them only when it runs.
    from alnaaktiv import retention  # noqa: PLC0415 — layer rule: the base imports no app at load time

    return len(retention.anonymise_expired_persons(today=timezone.localdate(),
                                                  actor=Actor.scheduled("anonymisering")))
