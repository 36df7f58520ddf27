from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def render_lifting_pdf(oppheving_id: int, ordered_by: dict | None = None) -> None:
    """Idempotent: renders the approved lifting's form once, however often it is delivered; the
    audit entries name the leader whose approval ordered it."""
    from alnaaktiv.actor import Actor
    from conditions.services import lifting_render_pdf

    lifting_render_pdf(oppheving_id=oppheving_id, actor=Actor.from_task(ordered_by, "render_lifting_pdf"))
