"""Appointments (avtaler) with a participant: the first meeting at Alna Aktiv and later follow-up
meetings, each held by a veileder and closed by registering its outcome (docs/domain.md §3.4)."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from alnaaktiv.models import CheckedModel
from cases.models.participants import Deltaker


class Avtaletype(models.TextChoices):
    FORSTE_MOTE = "forste_mote", "Første møte"
    OPPFOLGING = "oppfolging", "Oppfølgingsmøte"


class Avtalestatus(models.TextChoices):
    PLANLAGT = "planlagt", "Planlagt"
    MOTT = "mott", "Møtt"
    IKKE_MOTT = "ikke_mott", "Ikke møtt"
    AVLYST = "avlyst", "Avlyst"


class Avtale(CheckedModel):
    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="avtaler")
    kind = models.CharField("type", max_length=11, choices=Avtaletype.choices)
    starts_at = models.DateTimeField("tidspunkt")
    sted = models.CharField("sted", max_length=200)
    tolk = models.BooleanField("trenger tolk", default=False)
    tolkesprak = models.CharField("tolkespråk", max_length=60, blank=True)
    veileder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="avtaler", verbose_name="veileder")
    status = models.CharField("status", max_length=9, choices=Avtalestatus.choices, default=Avtalestatus.PLANLAGT)
    # «Ikke møtt – gyldig fravær»: the no-show's absence is approved (it lands on the vilkår as such).
    gyldig_fravaer = models.BooleanField("gyldig fravær", default=False)
    closed_at = models.DateTimeField("utfall registrert", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="utfall registrert av")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="opprettet av")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "avtale"
        verbose_name_plural = "avtaler"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Avtaletype.values), name="avtale_kind_valid",
                                   violation_error_message="Velg en gyldig type avtale.", violation_error_code="kind"),
            models.CheckConstraint(condition=Q(status__in=Avtalestatus.values), name="avtale_status_valid",
                                   violation_error_message="Velg et gyldig utfall.", violation_error_code="status"),
            models.CheckConstraint(condition=~Q(sted=""), name="avtale_sted_required",
                                   violation_error_message="Skriv hvor møtet skal være.", violation_error_code="sted"),
            models.CheckConstraint(
                condition=Q(tolk=True, tolkesprak__gt="") | Q(tolk=False, tolkesprak=""),
                name="avtale_tolkesprak_exactly_with_tolk",
                violation_error_message="Skriv hvilket språk tolken skal tolke, og bare når det trengs tolk.",
                violation_error_code="tolkesprak",
            ),
            models.CheckConstraint(
                condition=Q(status=Avtalestatus.PLANLAGT, closed_at__isnull=True, closed_by__isnull=True)
                | (~Q(status=Avtalestatus.PLANLAGT) & Q(closed_at__isnull=False, closed_by__isnull=False)),
                name="avtale_closed_with_outcome",
                violation_error_message="En avtale med utfall må ha hvem som registrerte det og når.",
            ),
            models.CheckConstraint(
                condition=Q(gyldig_fravaer=False) | Q(status=Avtalestatus.IKKE_MOTT),
                name="avtale_excused_only_when_not_met",
                violation_error_message="Gyldig fravær gjelder bare en avtale deltakeren ikke møtte til.",
                violation_error_code="gyldig_fravaer",
            ),
            models.UniqueConstraint(
                fields=["deltaker"], condition=Q(kind=Avtaletype.FORSTE_MOTE, status=Avtalestatus.PLANLAGT),
                name="avtale_one_open_first_meeting",
                violation_error_message="Deltakeren har allerede en planlagt avtale om første møte.",
            ),
        ]
        indexes = [
            models.Index(fields=["veileder", "status", "starts_at"]),
            models.Index(fields=["deltaker", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d.%m.%Y}"

    @property
    def outcome_label(self) -> str:
        """The outcome as shown: «Ikke møtt – gyldig fravær» for an excused no-show."""
        return "Ikke møtt – gyldig fravær" if self.gyldig_fravaer else self.get_status_display()

    @property
    def is_open(self) -> bool:
        return self.status == Avtalestatus.PLANLAGT
