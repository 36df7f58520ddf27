"""Four-eyes lifting (oppheving) of a vedtak's held payout, delegated authority to lift alone,
the payout hand-over to fellestjenesten and recorded reductions for broken vilkår."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel, Office
from conditions.models.vedtak import Vedtak, Vilkar


class OpphevingStatus(models.TextChoices):
    FORBEREDT = "forberedt", "Venter på godkjenning"
    GODKJENT = "godkjent", "Godkjent"
    AVVIST = "avvist", "Avvist"
    SENDT_TILBAKE = "sendt_tilbake", "Sendt tilbake"


class Oppheving(CheckedModel):
    vedtak = models.ForeignKey(Vedtak, on_delete=models.PROTECT, related_name="opphevinger")
    status = models.CharField("status", max_length=13, choices=OpphevingStatus.choices, default=OpphevingStatus.FORBEREDT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="forberedt av")
    prepared_at = models.DateTimeField("forberedt")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name="avgjort av")
    decided_at = models.DateTimeField("avgjort", null=True, blank=True)
    alene_med_fullmakt = models.BooleanField("opphevet alene med fullmakt", default=False)
    begrunnelse = models.TextField("begrunnelse", blank=True)
    pdf = models.FileField("opphevingsskjema (PDF)", upload_to="oppheving/", blank=True, max_length=200)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = "oppheving"
        verbose_name_plural = "opphevinger"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OpphevingStatus.values), name="oppheving_status_valid",
                                   violation_error_message="Opphevingen har en ugyldig status."),
            models.UniqueConstraint(fields=["vedtak"], condition=Q(status__in=["forberedt", "godkjent"]),
                                    name="oppheving_one_active_per_vedtak",
                                    violation_error_message=(
                                        "Vedtaket har allerede en oppheving som venter på godkjenning eller er "
                                        "godkjent.")),
            models.CheckConstraint(
                condition=Q(status=OpphevingStatus.FORBEREDT, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=OpphevingStatus.FORBEREDT) & Q(decided_at__isnull=False)),
                name="oppheving_decided_has_time",
                violation_error_message=(
                    "En avgjort oppheving må ha tidspunktet for avgjørelsen, og en oppheving som venter, er ikke "
                    "avgjort."),
            ),
            models.CheckConstraint(condition=~Q(status__in=["godkjent", "avvist"]) | Q(decided_by__isnull=False),
                                   name="oppheving_decision_has_user",
                                   violation_error_message=(
                                       "En godkjent eller avvist oppheving må ha hvem som avgjorde den.")),
            # Four eyes: the approver is never the preparer, unless a fullmakt holder lifted alone.
            models.CheckConstraint(
                condition=~Q(status=OpphevingStatus.GODKJENT) | Q(alene_med_fullmakt=True)
                | ~Q(decided_by=F("prepared_by")),
                name="oppheving_four_eyes",
                violation_error_message=(
                    "Du kan ikke godkjenne en oppheving du har forberedt selv (fire øyne), unntatt når du opphever "
                    "alene med fullmakt."),
            ),
            models.CheckConstraint(condition=~Q(alene_med_fullmakt=True) | Q(status=OpphevingStatus.GODKJENT, decided_by=F("prepared_by")),
                                   name="oppheving_alone_is_own_approval",
                                   violation_error_message=(
                                       "En oppheving alene med fullmakt er godkjent av den som forberedte den.")),
            models.CheckConstraint(condition=~Q(status__in=["avvist", "sendt_tilbake"]) | ~Q(begrunnelse=""),
                                   name="oppheving_rejection_has_reason",
                                   violation_error_message="Skriv hvorfor opphevingen avvises eller sendes tilbake.",
                                   violation_error_code="begrunnelse"),
        ]
        # The queue reads pages in exactly these orders; with the id in the index PostgreSQL walks it
        # for a page instead of sorting every lifting.
        indexes = [models.Index(fields=["status", "prepared_at", "id"], name="oppheving_pending_order"),
                   models.Index(fields=["status", "-decided_at", "-id"], name="oppheving_latest_decided")]

    def __str__(self) -> str:
        return f"Oppheving {self.pk} ({self.get_status_display().lower()})"


class Fullmakt(CheckedModel):
    """Delegated authority: the holder may lift alone vedtak up to `maks_belop` in the office."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fullmakter",
                             verbose_name="bruker")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    maks_belop = models.DecimalField("opphever alene opp til (kr)", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "fullmakt"
        verbose_name_plural = "fullmakter"
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="fullmakt_once_per_user_office",
                                    violation_error_message="Brukeren har allerede en fullmakt ved dette kontoret."),
            models.CheckConstraint(condition=Q(maks_belop__gt=0), name="fullmakt_amount_positive",
                                   violation_error_message="Beløpet må være større enn 0."),
        ]

    def __str__(self) -> str:
        return f"Fullmakt {self.user} {self.office.enhetsnummer} ≤ {self.maks_belop} kr"


class OverforingEksport(CheckedModel):
    """A named CSV export of the hand-over list («Eksport nr. 12»): the rows that were in the
    file. «Marker som sendt» acts on exactly these rows, so a payout released after the file was
    made is never marked as sent with it. A mistaken «sendt» is undone with a reason."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    rader = models.ManyToManyField("Overforing", related_name="eksporter", verbose_name="utbetalinger")
    laget_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="laget av")
    laget_at = models.DateTimeField("laget")
    sendt_at = models.DateTimeField("markert som sendt", null=True, blank=True)
    sendt_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True, verbose_name="markert som sendt av")
    angret_at = models.DateTimeField("«sendt» angret", null=True, blank=True)
    angret_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True, verbose_name="«sendt» angret av")
    angret_grunn = models.TextField("hvorfor «sendt» ble angret", blank=True)

    class Meta:
        ordering = ["-laget_at", "-id"]
        verbose_name = "eksport til fellestjenesten"
        verbose_name_plural = "eksporter til fellestjenesten"
        constraints = [
            models.CheckConstraint(condition=Q(sendt_at__isnull=True) | Q(sendt_av__isnull=False),
                                   name="eksport_sent_has_user",
                                   violation_error_message=(
                                       "En eksport som er markert som sendt, må ha hvem som markerte den.")),
            models.CheckConstraint(
                condition=Q(angret_at__isnull=True, angret_av__isnull=True, angret_grunn="")
                | (Q(sendt_at__isnull=False, angret_at__isnull=False, angret_av__isnull=False) & ~Q(angret_grunn="")),
                name="eksport_undo_of_sent_has_user_and_reason",
                violation_error_message=(
                    "«Sendt» kan bare angres på en eksport som er markert som sendt, og må ha hvem som angret, når og "
                    "hvorfor."),
            ),
        ]
        indexes = [models.Index(fields=["office", "-laget_at", "-id"], name="eksport_latest_by_office")]

    def __str__(self) -> str:
        return self.navn

    @property
    def navn(self) -> str:
        return f"Eksport nr. {self.pk}"


class Overforing(CheckedModel):
    """A released payout on the hand-over list for fellestjenesten, until marked as sent."""

    vedtak = models.OneToOneField(Vedtak, on_delete=models.PROTECT, related_name="overforing")
    oppheving = models.OneToOneField(Oppheving, on_delete=models.PROTECT, related_name="overforing")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    belop = models.DecimalField("beløp (kr)", max_digits=10, decimal_places=2)
    frigitt_at = models.DateTimeField("frigitt")
    sendt_at = models.DateTimeField("sendt til fellestjenesten", null=True, blank=True)
    sendt_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True)
    # The export whose «Marker som sendt» marked it (rows marked before exports existed have none).
    sendt_eksport = models.ForeignKey(OverforingEksport, on_delete=models.PROTECT, related_name="sendte",
                                      null=True, blank=True, verbose_name="sendt med eksport")

    class Meta:
        ordering = ["frigitt_at", "id"]
        verbose_name = "overføring til fellestjenesten"
        verbose_name_plural = "overføringer til fellestjenesten"
        constraints = [
            models.CheckConstraint(condition=Q(sendt_at__isnull=True) | Q(sendt_av__isnull=False), name="overforing_sent_has_user",
                                   violation_error_message=(
                                       "En utbetaling som er markert som sendt, må ha hvem som markerte den.")),
            models.CheckConstraint(condition=Q(belop__gte=0), name="overforing_amount_not_negative",
                                   violation_error_message="Beløpet kan ikke være negativt."),
            models.CheckConstraint(condition=Q(sendt_eksport__isnull=True) | Q(sendt_at__isnull=False),
                                   name="overforing_sent_export_is_sent",
                                   violation_error_message=(
                                       "En utbetaling som er sendt med en eksport, må være markert som sendt.")),
        ]
        indexes = [models.Index(fields=["office", "frigitt_at", "id"], condition=Q(sendt_at__isnull=True),
                                name="overforing_unsent_by_office"),
                   models.Index(fields=["office", "-sendt_at", "-id"], condition=Q(sendt_at__isnull=False),
                                name="overforing_sent_latest")]

    def __str__(self) -> str:
        return f"Overføring {self.pk}"


class Reduksjon(CheckedModel):
    """A reduction of the assistance for a broken vilkår (sosialtjenesteloven § 20)."""

    vilkar = models.ForeignKey(Vilkar, on_delete=models.PROTECT, related_name="reduksjoner")
    belop = models.DecimalField("reduksjon (kr)", max_digits=10, decimal_places=2)
    begrunnelse = models.TextField("begrunnelse")
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["registrert_at", "id"]
        verbose_name = "reduksjon"
        verbose_name_plural = "reduksjoner"
        constraints = [
            models.CheckConstraint(condition=Q(belop__gt=0), name="reduksjon_amount_positive",
                                   violation_error_message="Reduksjonen må være større enn 0."),
            models.CheckConstraint(condition=~Q(begrunnelse=""), name="reduksjon_has_reason",
                                   violation_error_message="Skriv en begrunnelse for reduksjonen."),
        ]

    def __str__(self) -> str:
        return f"Reduksjon {self.belop} kr"
