"""Dated register extracts (Oskar: social-assistance cases; Arena: job seekers), kept row by
row so the funnel can be counted on any date, and the screening's manual exclusions."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from alnaaktiv.models import CheckedModel, Office
from cases.choices import Arbeidssokerstatus, Innsatsgruppe, SakRolle
from cases.models.persons import Inntektstype, Landbakgrunn, Person


class RegisterSnapshot(CheckedModel):
    """One import of one extract for one office on one date."""

    class Kind(models.TextChoices):
        OSKAR = "oskar", "Oskar (sosialhjelp)"
        ARENA = "arena", "Arena (arbeidssøkere)"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="register_snapshots")
    kind = models.CharField("register", max_length=5, choices=Kind.choices)
    as_of = models.DateField("uttrekksdato")
    content_hash = models.CharField("innholdets sjekksum", max_length=64)
    row_count = models.PositiveIntegerField("antall rader")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    imported_at = models.DateTimeField("importert", auto_now=True)

    class Meta:
        ordering = ["office", "kind", "-as_of"]
        verbose_name = "registeruttrekk"
        verbose_name_plural = "registeruttrekk"
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "as_of"], name="snapshot_one_per_office_kind_date",
                                    violation_error_message=(
                                        "Kontoret har allerede et uttrekk fra dette registeret med denne datoen.")),
            models.CheckConstraint(condition=Q(kind__in=["oskar", "arena"]), name="snapshot_kind_valid",
                                   violation_error_message="Registeret må være Oskar eller Arena."),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.office.enhetsnummer} {self.as_of:%d.%m.%Y}"


class OskarRecord(CheckedModel):
    """One person in one social-assistance case of an Oskar extract."""

    snapshot = models.ForeignKey(RegisterSnapshot, on_delete=models.CASCADE, related_name="oskar_records")
    saksnummer = models.CharField("saksnummer", max_length=30)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="oskar_records")
    rolle = models.CharField("rolle", max_length=11, choices=SakRolle.choices)
    inntektstype = models.CharField("inntektstype", max_length=12, choices=Inntektstype.choices)
    antall_barn = models.PositiveSmallIntegerField("antall barn")
    landbakgrunn = models.CharField("landbakgrunn", max_length=10, choices=Landbakgrunn.choices)
    stonad_maneder_siste_12 = models.PositiveSmallIntegerField("måneder med stønad siste 12")

    class Meta:
        verbose_name = "Oskar-rad"
        verbose_name_plural = "Oskar-rader"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "person"], name="oskar_person_once_per_snapshot",
                                    violation_error_message="Personen står mer enn én gang i Oskar-uttrekket."),
            models.UniqueConstraint(
                fields=["snapshot", "saksnummer"], condition=Q(rolle="hovedperson"), name="oskar_one_main_person_per_case",
                violation_error_message="Saken har mer enn én hovedperson i Oskar-uttrekket."
            ),
            models.CheckConstraint(condition=Q(stonad_maneder_siste_12__lte=12), name="oskar_months_at_most_12",
                                   violation_error_message="Måneder med stønad siste 12 kan ikke være flere enn 12."),
            models.CheckConstraint(condition=Q(rolle__in=SakRolle.values), name="oskar_rolle_valid",
                                   violation_error_message="Velg en gyldig rolle i saken."),
        ]
        indexes = [models.Index(fields=["snapshot", "saksnummer"])]

    def __str__(self) -> str:
        return f"{self.saksnummer} {self.rolle}"


class ArenaRecord(CheckedModel):
    """One job seeker of an Arena extract."""

    snapshot = models.ForeignKey(RegisterSnapshot, on_delete=models.CASCADE, related_name="arena_records")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arena_records")
    arbeidssokerstatus = models.CharField("arbeidssøkerstatus", max_length=24, choices=Arbeidssokerstatus.choices)
    registrert_fra = models.DateField("registrert fra")
    registrert_til = models.DateField("registrert til", null=True, blank=True)
    innsatsgruppe = models.CharField("innsatsgruppe", max_length=23, choices=Innsatsgruppe.choices, blank=True)

    class Meta:
        verbose_name = "Arena-rad"
        verbose_name_plural = "Arena-rader"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "person"], name="arena_person_once_per_snapshot",
                                    violation_error_message="Personen står mer enn én gang i Arena-uttrekket."),
            models.CheckConstraint(
                condition=Q(registrert_til__isnull=True) | Q(registrert_til__gte=models.F("registrert_fra")),
                name="arena_period_not_backwards",
                violation_error_message="Registrert til kan ikke være før registrert fra.",
                violation_error_code="registrert_til",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.arbeidssokerstatus}"


class ScreeningExclusion(CheckedModel):
    """A person the screening removes from the candidates because of obvious barriers."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="screening_exclusions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screening_exclusions")
    reason = models.TextField("begrunnelse")
    excluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    excluded_at = models.DateTimeField("ekskludert", auto_now_add=True)
    # An exclusion that was a mistake is undone with a reason; the row stays as the trace and the
    # person is a candidate again (and may be excluded anew, in a new row).
    undone_at = models.DateTimeField("angret", null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="angret av")
    undo_reason = models.TextField("begrunnelse for angringen", blank=True)

    class Meta:
        ordering = ["-excluded_at", "-id"]
        verbose_name = "ekskludert kandidat"
        verbose_name_plural = "ekskluderte kandidater"
        constraints = [
            models.UniqueConstraint(fields=["office", "person"], condition=Q(undone_at__isnull=True),
                                    name="exclusion_once_per_office",
                                    violation_error_message="Personen er allerede ekskludert ved dette kontoret."),
            models.CheckConstraint(condition=~Q(reason=""), name="exclusion_reason_required",
                                   violation_error_message="Skriv en begrunnelse for å ekskludere kandidaten."),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True, undone_by__isnull=True, undo_reason="")
                | (Q(undone_at__isnull=False, undone_by__isnull=False) & ~Q(undo_reason="")),
                name="exclusion_undone_with_who_and_why",
                violation_error_message="En angret ekskludering må ha hvem som angret, når og hvorfor.",
            ),
        ]

    def __str__(self) -> str:
        return f"Ekskludert {self.person_id}"
