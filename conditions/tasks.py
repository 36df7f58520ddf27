import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.tasks import send_task
from conditions.models import Oppheving, OpphevingStatus
from conditions.services import lifting_render_pdf
from conditions.services.breaches import detect_possible_breaches


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def render_lifting_pdf(oppheving_id: int, ordered_by: dict | None = None) -> None:
    """Idempotent: renders the approved lifting's form once, however often it is delivered; the
    audit entries name the leader whose approval ordered it."""
    lifting_render_pdf(oppheving_id=oppheving_id, actor=Actor.from_task(ordered_by, "render_lifting_pdf"))


# An approved lifting is given this long to get its PDF before the sweep sends the job again.
PDF_PENDING_GRACE = datetime.timedelta(minutes=2)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def resend_pending_lifting_pdfs() -> list[int]:
    """Beat, every five minutes. The approved liftings without their PDF are the outbox of
    render_lifting_pdf: one approved while the queue was down (or whose job was lost) is sent
    again, still in the name of the leader who approved it. render_lifting_pdf is idempotent, so
    a job that was only slow does no harm."""
    pending = list(
        Oppheving.objects.filter(status=OpphevingStatus.GODKJENT, pdf="",
                                 decided_at__lt=timezone.now() - PDF_PENDING_GRACE)
        .order_by("decided_at").values_list("pk", "decided_by_id")[:500]
    )
    return [
        pk for pk, leader in pending
        if send_task(render_lifting_pdf, pk, {"user_id": leader, "path": reverse("lifting-approve", args=[pk])})
    ]


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def detect_possible_breaches_task(on_date: str | None = None) -> int:
    """Beat, every morning at 06:00: the possible breaches of activity vilkår (no-shows, absence
    over the threshold, missing job search) reach the vedtak unit's work list and the veileder's
    inbox. Idempotent: a breach found before is not found again. Nothing is sanctioned."""
    day = datetime.date.fromisoformat(on_date) if on_date else None
    return len(detect_possible_breaches(on_date=day, actor=Actor.scheduled("detect_possible_breaches_task")))
