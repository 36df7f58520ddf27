"""Possible breaches of activity vilkår found each morning, and the sanction workflow that may
follow (sosialtjenesteloven § 20/§ 20 a, forvaltningsloven § 16): a forhåndsvarsel, then a
decision (no reaction, a reduction for a period or a stop of the payout) that a leader approves
unless the preparer holds a fullmakt, and the stop lifted when the participant comes back. Each
step is a dated event on the vedtak (SanksjonHendelse). Nothing is sanctioned automatically."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel, Office
from conditions.models.documents import Dokumentasjon
from conditions.models.vedtak import Vedtak, Vilkar


class BruddGrunn(models.TextChoices):
    IKKE_MOTT = "ikke_mott", "Ikke møtt til avtalt møte eller samling"
    FRAVAER = "fravaer", "Ikke godkjent fravær over terskelen i en måned"
    MANGLER_SOKNADER = "mangler_soknader", "Mangler dokumentasjon av jobbsøking innen fristen"


class BruddStatus(models.TextChoices):
    TIL_VURDERING = "til_vurdering", "Til vurdering"
    VARSLET = "varslet", "Forhåndsvarsel sendt"
    AVGJORT = "avgjort", "Reaksjon vedtatt"
    LUKKET = "lukket", "Lukket"


OPEN_BRUDD = (BruddStatus.TIL_VURDERING, BruddStatus.VARSLET)


class MuligBrudd(CheckedModel):
    """A possible breach of an activity vilkår, found by the morning's detection: one per
    vilkår, reason and period (the day of the no-show, the first day of the month of absence,
    the job-search deadline), so running the detection again finds it and adds nothing."""

    vilkar = models.ForeignKey(Vilkar, on_delete=models.PROTECT, related_name="mulige_brudd")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    grunn = models.CharField("grunn", max_length=16, choices=BruddGrunn.choices)
    periode = models.DateField("dato eller periode")
    dokumenter = models.ManyToManyField(Dokumentasjon, related_name="mulige_brudd", blank=True,
                                        verbose_name="dokumentasjon som viser bruddet")
    bevis = models.TextField("hva som skjedde")
    status = models.CharField("status", max_length=13, choices=BruddStatus.choices, default=BruddStatus.TIL_VURDERING)
    oppdaget_at = models.DateTimeField("funnet")
    lukket_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True, verbose_name="lukket av")
    lukket_at = models.DateTimeField("lukket", null=True, blank=True)
    lukket_grunn = models.TextField("hvorfor det ble lukket", blank=True)
    version = models.PositiveIntegerField("versjon", default=1)

    class Meta:
        ordering = ["-oppdaget_at", "-id"]
        verbose_name = "mulig brudd"
        verbose_name_plural = "mulige brudd"
        constraints = [
            models.UniqueConstraint(fields=["vilkar", "grunn", "periode"], name="brudd_once_per_vilkar_reason_period",
                                    violation_error_message="Dette mulige bruddet er allerede registrert."),
            models.CheckConstraint(condition=Q(grunn__in=BruddGrunn.values), name="brudd_grunn_valid",
                                   violation_error_message="Det mulige bruddet har en ugyldig grunn."),
            models.CheckConstraint(condition=Q(status__in=BruddStatus.values), name="brudd_status_valid",
                                   violation_error_message="Det mulige bruddet har en ugyldig status."),
            models.CheckConstraint(
                condition=~Q(status=BruddStatus.LUKKET)
                | (Q(lukket_av__isnull=False, lukket_at__isnull=False) & ~Q(lukket_grunn="")),
                name="brudd_closed_has_user_time_reason",
                violation_error_message="Skriv hvorfor det mulige bruddet lukkes.",
                violation_error_code="lukket_grunn"),
        ]
        indexes = [models.Index(fields=["office", "status", "-oppdaget_at"], name="brudd_office_status"),
                   # /vilkar/brudd/ and the inbox read the open ones a page at a time in these orders: with
                   # the id in a partial index PostgreSQL walks it instead of sorting every breach.
                   models.Index(fields=["office", "oppdaget_at", "id"], condition=Q(status__in=OPEN_BRUDD),
                                name="brudd_open_oldest"),
                   models.Index(fields=["office", "-oppdaget_at", "-id"], condition=Q(status__in=OPEN_BRUDD),
                                name="brudd_open_newest")]

    def __str__(self) -> str:
        return f"Mulig brudd {self.pk} ({self.get_grunn_display().lower()})"


class Konsekvens(models.TextChoices):
    REDUKSJON = "reduksjon", "Reduksjon av stønaden"
    STANS = "stans", "Stans av utbetalingen til deltakeren møter igjen"


class Forhandsvarsel(CheckedModel):
    """The advance notice (forvaltningsloven § 16) of a planned reaction to a possible breach,
    with a response deadline. The letter (PDF) is drawn from these fields, so it reads the same
    however often it is downloaded."""

    brudd = models.OneToOneField(MuligBrudd, on_delete=models.PROTECT, related_name="forhandsvarsel")
    konsekvens = models.CharField("planlagt konsekvens", max_length=9, choices=Konsekvens.choices)
    belop = models.DecimalField("planlagt reduksjon (kr)", max_digits=10, decimal_places=2, null=True, blank=True)
    periode_fra = models.DateField("reduksjon fra", null=True, blank=True)
    periode_til = models.DateField("reduksjon til", null=True, blank=True)
    svarfrist = models.DateField("svarfrist")
    hva_skjedde = models.TextField("hva som skjedde")
    sendt_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="sendt av")
    sendt_at = models.DateTimeField("sendt")
    svar = models.TextField("deltakerens svar", blank=True)
    svar_mottatt = models.DateField("svar mottatt", null=True, blank=True)
    svar_registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                           null=True, blank=True, verbose_name="svar registrert av")

    class Meta:
        verbose_name = "forhåndsvarsel"
        verbose_name_plural = "forhåndsvarsler"
        constraints = [
            models.CheckConstraint(condition=Q(konsekvens__in=Konsekvens.values), name="varsel_konsekvens_valid",
                                   violation_error_message="Velg en planlagt konsekvens."),
            models.CheckConstraint(
                condition=Q(konsekvens=Konsekvens.STANS, belop__isnull=True, periode_fra__isnull=True,
                            periode_til__isnull=True)
                | Q(konsekvens=Konsekvens.REDUKSJON, belop__gt=0, periode_fra__isnull=False, periode_til__isnull=False),
                name="varsel_reduction_has_amount_and_period",
                violation_error_message="En planlagt reduksjon må ha beløp og periode; en stans har ingen.",
                violation_error_code="belop"),
            models.CheckConstraint(condition=Q(periode_til__isnull=True) | Q(periode_til__gte=F("periode_fra")),
                                   name="varsel_period_not_backwards",
                                   violation_error_message="Perioden kan ikke slutte før den begynner.",
                                   violation_error_code="periode_til"),
            models.CheckConstraint(condition=Q(svar_mottatt__isnull=True, svar="")
                                   | (Q(svar_mottatt__isnull=False, svar_registrert_av__isnull=False) & ~Q(svar="")),
                                   name="varsel_response_complete",
                                   violation_error_message="Skriv hva deltakeren svarte og når svaret kom.",
                                   violation_error_code="svar"),
        ]

    def __str__(self) -> str:
        return f"Forhåndsvarsel {self.pk}"


class SanksjonStatus(models.TextChoices):
    FORBEREDT = "forberedt", "Venter på godkjenning"
    GODKJENT = "godkjent", "Gjelder"
    AVVIST = "avvist", "Avvist"
    AVSLUTTET = "avsluttet", "Avsluttet"


ACTIVE_SANKSJON = (SanksjonStatus.FORBEREDT, SanksjonStatus.GODKJENT)


class Sanksjon(CheckedModel):
    """A reduction for a period, or a stop of the payout until the participant resumes, decided
    after a forhåndsvarsel. Four eyes like the lifting: prepared by the vedtak unit, approved by
    a leader who did not prepare it, or by the preparer alone with a fullmakt covering the
    amount. Ended (the stop lifted, the reduction ended early) with a date and a reason."""

    brudd = models.ForeignKey(MuligBrudd, on_delete=models.PROTECT, related_name="sanksjoner")
    vedtak = models.ForeignKey(Vedtak, on_delete=models.PROTECT, related_name="sanksjoner")
    konsekvens = models.CharField("reaksjon", max_length=9, choices=Konsekvens.choices)
    belop = models.DecimalField("reduksjon (kr)", max_digits=10, decimal_places=2, null=True, blank=True)
    periode_fra = models.DateField("fra")
    periode_til = models.DateField("til", null=True, blank=True)
    begrunnelse = models.TextField("begrunnelse")
    status = models.CharField("status", max_length=9, choices=SanksjonStatus.choices, default=SanksjonStatus.FORBEREDT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="forberedt av")
    prepared_at = models.DateTimeField("forberedt")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name="avgjort av")
    decided_at = models.DateTimeField("avgjort", null=True, blank=True)
    alene_med_fullmakt = models.BooleanField("vedtatt alene med fullmakt", default=False)
    avvist_grunn = models.TextField("hvorfor den ble avvist", blank=True)
    avsluttet_dato = models.DateField("avsluttet fra og med", null=True, blank=True)
    avsluttet_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name="avsluttet av")
    avsluttet_at = models.DateTimeField("avsluttet registrert", null=True, blank=True)
    avsluttet_grunn = models.TextField("hvorfor den ble avsluttet", blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = "sanksjon"
        verbose_name_plural = "sanksjoner"
        constraints = [
            models.CheckConstraint(condition=Q(konsekvens__in=Konsekvens.values), name="sanksjon_konsekvens_valid",
                                   violation_error_message="Velg reduksjon eller stans."),
            models.CheckConstraint(condition=Q(status__in=SanksjonStatus.values), name="sanksjon_status_valid",
                                   violation_error_message="Reaksjonen har en ugyldig status."),
            models.CheckConstraint(
                condition=Q(konsekvens=Konsekvens.STANS, belop__isnull=True, periode_til__isnull=True)
                | Q(konsekvens=Konsekvens.REDUKSJON, belop__gt=0, periode_til__isnull=False),
                name="sanksjon_reduction_has_amount_and_end",
                violation_error_message="En reduksjon må ha et beløp over 0 og en periode; en stans har ingen.",
                violation_error_code="belop"),
            models.CheckConstraint(condition=Q(periode_til__isnull=True) | Q(periode_til__gte=F("periode_fra")),
                                   name="sanksjon_period_not_backwards",
                                   violation_error_message="Perioden kan ikke slutte før den begynner.",
                                   violation_error_code="periode_til"),
            models.CheckConstraint(condition=~Q(begrunnelse=""), name="sanksjon_has_reason",
                                   violation_error_message="Skriv en begrunnelse for reaksjonen.",
                                   violation_error_code="begrunnelse"),
            models.UniqueConstraint(fields=["brudd"], condition=Q(status__in=["forberedt", "godkjent", "avsluttet"]),
                                    name="sanksjon_one_per_brudd",
                                    violation_error_message="Det er allerede vedtatt en reaksjon på dette bruddet."),
            models.CheckConstraint(
                condition=Q(status=SanksjonStatus.FORBEREDT, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=SanksjonStatus.FORBEREDT) & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="sanksjon_decided_has_user_and_time",
                violation_error_message=(
                    "En avgjort reaksjon må ha hvem som avgjorde den og når, og en reaksjon som venter, er ikke "
                    "avgjort.")),
            # Four eyes: the approver is never the preparer, unless a fullmakt holder decided alone.
            models.CheckConstraint(
                condition=~Q(status__in=["godkjent", "avsluttet"]) | Q(alene_med_fullmakt=True)
                | ~Q(decided_by=F("prepared_by")),
                name="sanksjon_four_eyes",
                violation_error_message=(
                    "Du kan ikke godkjenne en reaksjon du har forberedt selv (fire øyne), unntatt når du vedtar den "
                    "alene med fullmakt.")),
            models.CheckConstraint(condition=~Q(alene_med_fullmakt=True) | Q(decided_by=F("prepared_by")),
                                   name="sanksjon_alone_is_own_approval",
                                   violation_error_message=(
                                       "En reaksjon vedtatt alene med fullmakt er godkjent av den som forberedte den.")),
            models.CheckConstraint(condition=~Q(status=SanksjonStatus.AVVIST) | ~Q(avvist_grunn=""),
                                   name="sanksjon_rejection_has_reason",
                                   violation_error_message="Skriv hvorfor reaksjonen avvises.",
                                   violation_error_code="avvist_grunn"),
            models.CheckConstraint(
                condition=(Q(status=SanksjonStatus.AVSLUTTET) & Q(avsluttet_dato__isnull=False, avsluttet_av__isnull=False,
                                                                  avsluttet_at__isnull=False) & ~Q(avsluttet_grunn=""))
                | (~Q(status=SanksjonStatus.AVSLUTTET) & Q(avsluttet_dato__isnull=True, avsluttet_grunn="")),
                name="sanksjon_ended_has_date_user_reason",
                violation_error_message="Skriv fra hvilken dato og hvorfor reaksjonen avsluttes.",
                violation_error_code="avsluttet_grunn"),
            models.CheckConstraint(condition=Q(avsluttet_dato__isnull=True) | Q(avsluttet_dato__gte=F("periode_fra")),
                                   name="sanksjon_end_not_before_start",
                                   violation_error_message="Reaksjonen kan ikke avsluttes før den begynte.",
                                   violation_error_code="avsluttet_dato"),
        ]
        indexes = [models.Index(fields=["vedtak", "status"], name="sanksjon_vedtak_status")]

    def __str__(self) -> str:
        return f"{self.get_konsekvens_display()} ({self.get_status_display().lower()})"

    @property
    def slutt(self):
        """The last day it applies: the end of the period, or the day before it was ended."""
        ended = self.avsluttet_dato - datetime.timedelta(days=1) if self.avsluttet_dato else None
        if ended and self.periode_til:
            return min(ended, self.periode_til)
        return ended or self.periode_til


class SanksjonHendelse(CheckedModel):
    """One dated step of the breach and sanction workflow, listed on the vedtak page."""

    vedtak = models.ForeignKey(Vedtak, on_delete=models.PROTECT, related_name="sanksjonshendelser")
    brudd = models.ForeignKey(MuligBrudd, on_delete=models.PROTECT, related_name="hendelser", null=True, blank=True)
    tekst = models.CharField("hendelse", max_length=500)
    at = models.DateTimeField("tidspunkt")
    utfort_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True, verbose_name="utført av")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "hendelse"
        verbose_name_plural = "hendelser"

    def __str__(self) -> str:
        return self.tekst
