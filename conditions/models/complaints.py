"""Complaints (klage) against a vedtak on economic assistance or a § 14 a decision (issue 16).
The deadline is three weeks from when the person received the decision (forvaltningsloven
§ 29); a late complaint may still be considered (§ 31), and the choice is written down."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from alnaaktiv.models import CheckedModel, Office
from cases.models import Arbeidsevnevurdering, Person
from conditions.models.vedtak import Vedtak

KLAGEFRIST = datetime.timedelta(weeks=3)


class KlageStatus(models.TextChoices):
    MOTTATT = "mottatt", "Mottatt"
    UNDER_BEHANDLING = "behandles", "Under behandling"
    OVERSENDT = "oversendt", "Sendt til Statsforvalteren"
    AVGJORT = "avgjort", "Avgjort"


class KlageUtfall(models.TextChoices):
    MEDHOLD = "medhold", "Medhold"
    DELVIS_MEDHOLD = "delvis_medhold", "Delvis medhold"
    IKKE_MEDHOLD = "ikke_medhold", "Ikke medhold"
    AVVIST = "avvist", "Avvist"
    TRUKKET = "trukket", "Trukket av klageren"


class Klage(CheckedModel):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="klager", verbose_name="klager")
    vedtak = models.ForeignKey(Vedtak, on_delete=models.PROTECT, null=True, blank=True, related_name="klager")
    vurdering = models.ForeignKey(Arbeidsevnevurdering, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="klager", verbose_name="§ 14 a-vedtak")
    vedtak_mottatt = models.DateField("klageren fikk vedtaket")
    mottatt = models.DateField("klagen kom inn")
    hva_klagen_gjelder = models.TextField("hva klagen gjelder")
    # Only asked when the complaint came after the deadline (forvaltningsloven § 31).
    behandles_etter_frist = models.BooleanField("behandles selv om fristen er ute", null=True, blank=True)
    status = models.CharField("status", max_length=9, choices=KlageStatus.choices, default=KlageStatus.MOTTATT)
    utfall = models.CharField("utfall", max_length=14, choices=KlageUtfall.choices, blank=True)
    avgjort_dato = models.DateField("avgjort", null=True, blank=True)
    utfall_begrunnelse = models.TextField("begrunnelse for utfallet", blank=True)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="registrert av")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)
    version = models.PositiveIntegerField("versjon", default=1)

    class Meta:
        ordering = ["-mottatt", "-id"]
        verbose_name = "klage"
        verbose_name_plural = "klager"
        constraints = [
            models.CheckConstraint(
                condition=Q(vedtak__isnull=False, vurdering__isnull=True)
                | Q(vedtak__isnull=True, vurdering__isnull=False),
                name="klage_against_one_decision",
                violation_error_message="En klage gjelder enten et vedtak om stønad eller et § 14 a-vedtak."),
            models.CheckConstraint(condition=Q(mottatt__gte=models.F("vedtak_mottatt")),
                                   name="klage_after_decision_received",
                                   violation_error_message="Klagen kan ikke ha kommet før klageren fikk vedtaket.",
                                   violation_error_code="mottatt"),
            models.CheckConstraint(condition=~Q(hva_klagen_gjelder=""), name="klage_text_required",
                                   violation_error_message="Skriv kort hva klagen gjelder."),
            models.CheckConstraint(condition=Q(status__in=KlageStatus.values), name="klage_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(condition=Q(utfall="") | Q(utfall__in=KlageUtfall.values),
                                   name="klage_utfall_valid", violation_error_message="Velg et gyldig utfall."),
            models.CheckConstraint(
                condition=Q(status=KlageStatus.AVGJORT, avgjort_dato__isnull=False) & ~Q(utfall="")
                | ~Q(status=KlageStatus.AVGJORT) & Q(avgjort_dato__isnull=True, utfall=""),
                name="klage_decided_has_outcome_and_date",
                violation_error_message="En avgjort klage må ha utfall og dato; en klage som ikke er avgjort har ingen.",
                violation_error_code="utfall"),
        ]
        indexes = [models.Index(fields=["office", "status"], name="klage_office_status")]

    def __str__(self) -> str:
        return f"Klage {self.pk}"

    @property
    def frist(self) -> datetime.date:
        return self.vedtak_mottatt + KLAGEFRIST

    @property
    def within_deadline(self) -> bool:
        return self.mottatt <= self.frist
