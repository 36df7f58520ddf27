"""Who follows a participant up at Alna Aktiv, and every change of it: the first choice at the
referral and each hand-over (holiday, sickness, workload), with the reason and who made it
(docs/domain.md §3.4 "Veileder")."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel
from cases.models.participants import Deltaker


class Tildeling(CheckedModel):
    """One assignment of a participant to an Alna Aktiv veileder. The participant's `veileder` is
    always the `to_veileder` of its newest row (when it has any); the rows are never changed."""

    # The reason the referral's own assignment carries: the history says «Veileder tildelt», and the
    # inbox tells a hand-over from a referral by it.
    REFERRAL_REASON = "Henvist"

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="tildelinger")
    from_veileder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="fra veileder")
    to_veileder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="ny veileder")
    reason = models.TextField("begrunnelse")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="tildelt av")
    assigned_at = models.DateTimeField("tildelt")

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = "tildeling av veileder"
        verbose_name_plural = "tildelinger av veileder"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="tildeling_has_reason",
                                   violation_error_message="Skriv en begrunnelse for byttet av veileder.",
                                   violation_error_code="reason"),
            models.CheckConstraint(
                condition=Q(from_veileder__isnull=True) | ~Q(from_veileder=F("to_veileder")),
                name="tildeling_changes_veileder",
                violation_error_message="Den nye veilederen er den samme som den forrige.",
                violation_error_code="to_veileder",
            ),
        ]
        indexes = [models.Index(fields=["deltaker", "assigned_at"])]

    def __str__(self) -> str:
        return f"Tildeling {self.assigned_at:%d.%m.%Y}"
