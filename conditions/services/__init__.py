"""Writes in conditions: each enforces its rule, locks what two people may change at once,
writes an audit entry and refuses with a Norwegian message that leaves nothing changed."""
from conditions.services.common import CONFLICT, ConditionsError
from conditions.services.documents import (
    activity_progress,
    dokumentasjon_assess,
    dokumentasjon_register,
    vilkar_assess,
)
from conditions.services.lifting import (
    alone_refusal,
    eksport_create,
    eksport_mark_sent,
    eksport_undo_sent,
    lift_alone_refusal,
    lifting_approve,
    lifting_decide_refusal,
    lifting_prepare,
    lifting_reject,
    lifting_render_pdf,
)
from conditions.services.vedtak import (
    reduksjon_record,
    vedtak_create,
    vedtak_decide,
    vilkar_broken,
    vilkar_create,
    vilkar_waive,
)

__all__ = [
    "CONFLICT", "ConditionsError", "activity_progress", "alone_refusal", "dokumentasjon_assess",
    "dokumentasjon_register", "lift_alone_refusal", "lifting_approve",
    "lifting_decide_refusal", "lifting_prepare",
    "lifting_reject", "lifting_render_pdf", "eksport_create", "eksport_mark_sent", "eksport_undo_sent",
    "reduksjon_record", "vedtak_create",
    "vedtak_decide", "vilkar_assess", "vilkar_broken", "vilkar_create", "vilkar_waive",
]
