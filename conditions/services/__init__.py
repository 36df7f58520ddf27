"""Writes in conditions: each enforces its rule, locks what two people may change at once,
writes an audit entry and refuses with a Norwegian message that leaves nothing changed."""
from conditions.services.attendance import (
    applications_register,
    attendance_document,
    attendance_document_offer,
    offer_vilkar,
)
from conditions.services.common import CONFLICT, ConditionsError
from conditions.services.documents import (
    activity_vilkar_progress,
    document_assess,
    document_register,
    vilkar_assess,
)
from conditions.services.lifting import (
    handover_export_create,
    handover_export_mark_sent,
    handover_export_undo_sent,
    lift_alone_refusal,
    lifting_alone_refusal,
    lifting_approve,
    lifting_decide_refusal,
    lifting_prepare,
    lifting_reject,
    lifting_render_pdf,
)
from conditions.services.sanctions import (
    breach_close,
    decide_no_reaction,
    decision_refusal,
    harsher_refusal,
    reduction_refusal,
    sanction_alone_refusal,
    sanction_amount,
    sanction_approve,
    sanction_decide_refusal,
    sanction_end,
    sanction_end_refusal,
    sanction_prepare,
    sanction_prepare_refusal,
    sanction_reject,
    warning_refusal,
    warning_response,
    warning_send,
)
from conditions.services.vedtak import (
    is_active_participant,
    plan_activities,
    vedtak_create,
    vedtak_decide,
    vilkar_broken,
    vilkar_create,
    vilkar_set_offer,
    vilkar_waive,
)

__all__ = [
    "CONFLICT", "ConditionsError", "is_active_participant", "attendance_document", "attendance_document_offer", "offer_vilkar", "activity_vilkar_progress", "lifting_alone_refusal", "document_assess",
    "document_register", "lift_alone_refusal", "lifting_approve",
    "lifting_decide_refusal", "lifting_prepare",
    "lifting_reject", "lifting_render_pdf", "handover_export_create", "handover_export_mark_sent", "handover_export_undo_sent",
    "breach_close", "decide_no_reaction", "decision_refusal", "reduction_refusal", "sanction_alone_refusal",
    "sanction_amount", "sanction_approve", "sanction_decide_refusal", "sanction_end", "sanction_end_refusal", "sanction_prepare",
    "sanction_prepare_refusal", "warning_refusal", "harsher_refusal",
    "sanction_reject", "warning_response", "warning_send", "vedtak_create",
    "vedtak_decide", "vilkar_assess", "vilkar_broken", "vilkar_create", "vilkar_set_offer", "vilkar_waive",
    "applications_register", "plan_activities",
]
