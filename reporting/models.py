"""Targets (måltall) and the stored monthly reports of each office."""
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from alnaaktiv.models import CheckedModel, Office


class Measure(models.TextChoices):
    """What a target's numerator or denominator counts: participants whose course reached a
    state (or a route or outcome) on or before the month's last day, or recipients' stock."""

    HENVIST = "henvist", "Henvist"
    MOTT = "mott", "Møtt"
    KARTLEGGING_STARTET = "kartlegging_startet", "Kartlegging startet"
    AVKLART = "avklart", "Avklart"
    RUTE_ARBEIDSBOKS = "rute_arbeidsboks", "Rute: Arbeidsboks"
    RUTE_STATLIG_TILTAK = "rute_statlig_tiltak", "Rute: statlige tiltak"
    RUTE_JOBBSOKING = "rute_jobbsoking", "Rute: jobbsøking og andre aktiviteter"
    RUTE_AAP_UFORE = "rute_aap_ufore", "Rute: avklaring mot AAP/uføretrygd"
    UTFALL_ARBEID = "utfall_arbeid", "Utfall: arbeid"
    UTFALL_UTDANNING = "utfall_utdanning", "Utfall: utdanning"
    UTFALL_ANDRE_RETTIGHETER = "utfall_andre_rettigheter", "Utfall: andre rettigheter"
    UTFALL_FRAFALT = "utfall_frafalt", "Utfall: frafalt sosialhjelp"
    UTFALL_TILBAKEFORT = "utfall_tilbakefort", "Utfall: tilbakeført"
    UTFALL_FLYTTET = "utfall_flyttet", "Utfall: flyttet"
    UTFALL_ANNET = "utfall_annet", "Utfall: annet"
    MOTTAKERE_BASELINE = "mottakere_baseline", "Sosialhjelpsmottakere ved pilotstart"
    MOTTAKERE_NEDGANG = "mottakere_nedgang", "Nedgang i sosialhjelpsmottakere siden pilotstart"


class Comparison(models.TextChoices):
    AT_LEAST = ">=", "minst"
    AT_MOST = "<=", "høyst"


class Target(CheckedModel):
    """A måltall of the pre-study, editable by an admin; every change is kept in TargetRevision."""

    code = models.SlugField("kode", max_length=40, unique=True)
    name = models.CharField("navn", max_length=200)
    numerator = models.CharField("teller", max_length=30, choices=Measure.choices)
    denominator = models.CharField("nevner", max_length=30, choices=Measure.choices)
    target = models.DecimalField(
        "måltall (andel)", max_digits=5, decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Som andel: 0,9 betyr 90 %.",
    )
    comparison = models.CharField("sammenligning", max_length=2, choices=Comparison.choices)
    position = models.PositiveSmallIntegerField("rekkefølge", default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "måltall"
        verbose_name_plural = "måltall"
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0, target__lte=1), name="target_is_a_fraction",
                                   violation_error_message=(
                                       "Måltallet må være en andel mellom 0 og 1 (0,9 betyr 90 %%).")),
            models.CheckConstraint(condition=Q(comparison__in=Comparison.values), name="target_comparison_valid",
                                   violation_error_message="Velg minst eller høyst."),
            models.CheckConstraint(condition=Q(numerator__in=Measure.values), name="target_numerator_valid",
                                   violation_error_message="Velg en gyldig teller."),
            models.CheckConstraint(condition=Q(denominator__in=Measure.values), name="target_denominator_valid",
                                   violation_error_message="Velg en gyldig nevner."),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TargetRevision(models.Model):
    """The values of a target after each change, with who changed it: the targets' history."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions", verbose_name="måltall")
    values = models.JSONField("verdier")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   verbose_name="endret av")
    changed_at = models.DateTimeField("endret", auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "endring av måltall"
        verbose_name_plural = "endringer av måltall"

    def __str__(self) -> str:
        return f"{self.target.code} {self.changed_at:%d.%m.%Y %H:%M}"


# A build queued or running longer than this is taken as lost (a worker that died): it may be
# requested again, and it no longer keeps a month from being closed.
STALE_BUILD = datetime.timedelta(minutes=15)


class MonthlyReport(CheckedModel):
    """One office's report for one month: aggregated numbers only, never personal data."""

    class Status(models.TextChoices):
        OPEN = "open", "Åpen"
        CLOSED = "closed", "Lukket"

    class BuildState(models.TextChoices):
        IDLE = "idle", "Ferdig"
        QUEUED = "queued", "I kø"
        RUNNING = "running", "Bygges"
        FAILED = "failed", "Feilet"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="monthly_reports", verbose_name="kontor")
    month = models.DateField("måned", help_text="Den første dagen i måneden.")
    status = models.CharField("status", max_length=6, choices=Status.choices, default=Status.OPEN)
    data = models.JSONField("rapportdata", null=True, blank=True)
    generated_at = models.DateTimeField("bygget", null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="bygget av",
    )
    build_state = models.CharField("bygging", max_length=7, choices=BuildState.choices, default=BuildState.IDLE)
    build_error = models.TextField("feil ved bygging", blank=True)
    build_requested_at = models.DateTimeField("bygging bestilt", null=True, blank=True)
    # Who ordered the build: a build re-sent by the sweep still names them.
    build_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="bygging bestilt av",
    )
    closed_at = models.DateTimeField("lukket", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="lukket av",
    )

    class Meta:
        ordering = ["-month", "office"]
        verbose_name = "månedsrapport"
        verbose_name_plural = "månedsrapporter"
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="report_one_per_office_month",
                                    violation_error_message="Kontoret har allerede en rapport for denne måneden.",
                                    violation_error_code="month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day",
                                   violation_error_message="Måneden oppgis med sin første dag."),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="report_status_valid",
                                   violation_error_message="Rapporten må være åpen eller lukket."),
            models.CheckConstraint(condition=Q(build_state__in=["idle", "queued", "running", "failed"]), name="report_build_state_valid",
                                   violation_error_message="Rapporten har en ugyldig byggestatus."),
            # A closed month has its numbers and who closed it, and is never being rebuilt.
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(data__isnull=False, closed_at__isnull=False, build_state__in=["idle", "failed"]),
                name="report_closed_is_complete",
                violation_error_message=(
                    "En lukket måned må ha tallene sine og tidspunktet den ble lukket, og den kan ikke bygges på "
                    "nytt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.enhetsnummer} {self.month:%Y-%m}"

    @property
    def month_code(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_building(self) -> bool:
        return self.build_state in (self.BuildState.QUEUED, self.BuildState.RUNNING)

    @property
    def build_in_progress(self) -> bool:
        """Building, and not yet given up as lost."""
        return self.is_building and bool(self.build_requested_at) and (
            self.build_requested_at > timezone.now() - STALE_BUILD
        )
