"""The participant's consent (samtykke) to share their information with KAREA, the partner
company that runs work training (issue 16). KAREA opens a participant only while a consent is
in force: withdrawing it ends KAREA's access at that moment."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel
from cases.models.participants import Deltaker


class SamtykkeMate(models.TextChoices):
    SKRIFTLIG = "skriftlig", "Skriftlig, signert skjema"
    MUNTLIG = "muntlig", "Muntlig, notert av veileder"
    DIGITALT = "digitalt", "Digitalt"


DEFAULT_OMFANG = (
    "Navn, kontaktopplysninger, målgruppe, aktivitetsplanen, kartleggingen og oppmøte, slik at KAREA kan gi "
    "arbeidstrening og følge opp deltakelsen i Alna Aktiv."
)


class Samtykke(CheckedModel):
    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="samtykker")
    gitt_dato = models.DateField("samtykke gitt")
    omfang = models.TextField("hva samtykket gjelder", default=DEFAULT_OMFANG)
    mate = models.CharField("hvordan samtykket ble gitt", max_length=9, choices=SamtykkeMate.choices)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="registrert av")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)
    # Withdrawn: from trukket_at (the moment it was registered) KAREA no longer sees the participant.
    trukket_dato = models.DateField("samtykke trukket", null=True, blank=True)
    trukket_at = models.DateTimeField("trukket registrert", null=True, blank=True)
    trukket_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="trukket registrert av")
    trukket_grunn = models.TextField("kommentar til tilbaketrekkingen", blank=True)

    class Meta:
        ordering = ["-gitt_dato", "-id"]
        verbose_name = "samtykke"
        verbose_name_plural = "samtykker"
        constraints = [
            models.UniqueConstraint(fields=["deltaker"], condition=Q(trukket_at__isnull=True),
                                    name="samtykke_one_in_force",
                                    violation_error_message="Deltakeren har allerede et samtykke som gjelder."),
            models.CheckConstraint(condition=Q(mate__in=SamtykkeMate.values), name="samtykke_mate_valid",
                                   violation_error_message="Velg hvordan samtykket ble gitt."),
            models.CheckConstraint(condition=~Q(omfang=""), name="samtykke_omfang_required",
                                   violation_error_message="Skriv hva samtykket gjelder."),
            models.CheckConstraint(
                condition=Q(trukket_dato__isnull=True, trukket_at__isnull=True, trukket_av__isnull=True)
                | Q(trukket_dato__isnull=False, trukket_at__isnull=False, trukket_av__isnull=False),
                name="samtykke_withdrawal_complete",
                violation_error_message="Et trukket samtykke må ha dato og hvem som registrerte det.",
                violation_error_code="trukket_dato"),
            models.CheckConstraint(condition=Q(trukket_dato__isnull=True) | Q(trukket_dato__gte=F("gitt_dato")),
                                   name="samtykke_withdrawn_after_given",
                                   violation_error_message="Samtykket kan ikke trekkes før det ble gitt.",
                                   violation_error_code="trukket_dato"),
        ]

    def __str__(self) -> str:
        return f"Samtykke {self.pk}"

    @property
    def in_force(self) -> bool:
        return self.trukket_at is None
