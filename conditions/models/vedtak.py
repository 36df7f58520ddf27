"""A vedtak (decision on financial assistance) on a sak, and the vilkår (conditions) set on it
for the persons of the household (docs/domain.md §3)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel, Office
from cases.choices import SakRolle
from cases.models import Person, Sak


class Resultat(models.TextChoices):
    INNVILGET = "innvilget", "Innvilget"
    DELVIS_INNVILGET = "delvis_innvilget", "Delvis innvilget"
    AVSLATT = "avslatt", "Avslått"
    AVVIST = "avvist", "Avvist"


GRANTED = (Resultat.INNVILGET, Resultat.DELVIS_INNVILGET)


class Fase(models.TextChoices):
    """Where the vedtak is in its life. Kept by the services in the same transaction as every
    change of its vilkår or lifting, so the work list and the lifting queue read one indexed
    column instead of aggregating vilkår over 100 000 vedtak."""

    SOKNAD = "soknad", "Søknad under behandling"
    AVSLAG = "avslag", "Avslått eller avvist"
    # Not «ikke oppfylt»: a fresh vedtak whose vilkår are not due yet is waiting, nothing is
    # broken (the vedtak page says «brutt» at the vilkår that are).
    VILKAR_APNE = "vilkar_apne", "Venter på dokumentasjon"
    KLAR = "klar", "Klar for oppheving"
    TIL_GODKJENNING = "til_godkjenning", "Oppheving til godkjenning"
    OPPHEVET = "opphevet", "Opphevet"


class Utbetaling(models.TextChoices):
    HOLDT = "holdt", "Holdt tilbake"
    FRIGITT = "frigitt", "Frigitt til fellestjenesten"
    STOPPET = "stoppet", "Stoppet"


class Vedtak(CheckedModel):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="vedtak", verbose_name="kontor")
    sak = models.ForeignKey(Sak, on_delete=models.PROTECT, related_name="vedtak")
    soknad_mottatt = models.DateField("søknad mottatt")
    periode_fra = models.DateField("periode fra")
    periode_til = models.DateField("periode til")
    vedtaksdato = models.DateField("vedtaksdato", null=True, blank=True)
    resultat = models.CharField("resultat", max_length=16, choices=Resultat.choices, blank=True)
    belop = models.DecimalField("beløp (kr)", max_digits=10, decimal_places=2)
    varslet_reduksjon = models.BooleanField(
        "vedtaksbrevet opplyser at stønaden kan reduseres ved brudd på vilkår", default=False
    )
    unntak_20a = models.TextField("tungtveiende grunner mot aktivitetsvilkår (§ 20 a)", blank=True)
    fase = models.CharField("fase", max_length=15, choices=Fase.choices, default=Fase.SOKNAD)
    utbetaling = models.CharField("utbetaling", max_length=7, choices=Utbetaling.choices, default=Utbetaling.HOLDT)
    # Bumped by every change; a form carries the version it was shown with (no lost updates).
    version = models.PositiveIntegerField("versjon", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-soknad_mottatt", "-id"]
        verbose_name = "vedtak"
        verbose_name_plural = "vedtak"
        constraints = [
            models.CheckConstraint(condition=Q(resultat="") | Q(resultat__in=Resultat.values), name="vedtak_resultat_valid",
                                   violation_error_message="Velg et resultat."),
            models.CheckConstraint(condition=Q(fase__in=Fase.values), name="vedtak_fase_valid",
                                   violation_error_message="Vedtaket har en ugyldig fase."),
            models.CheckConstraint(condition=Q(utbetaling__in=Utbetaling.values), name="vedtak_utbetaling_valid",
                                   violation_error_message="Vedtaket har en ugyldig utbetalingsstatus."),
            models.CheckConstraint(
                condition=(Q(resultat="") & Q(vedtaksdato__isnull=True)) | (~Q(resultat="") & Q(vedtaksdato__isnull=False)),
                name="vedtak_decided_has_date_and_result",
                violation_error_message="Et avgjort vedtak må ha både resultat og vedtaksdato.",
            ),
            models.CheckConstraint(condition=Q(periode_til__gte=F("periode_fra")), name="vedtak_period_not_backwards",
                                   violation_error_message="Perioden kan ikke slutte før den begynner.",
                                   violation_error_code="periode_til"),
            models.CheckConstraint(condition=Q(vedtaksdato__isnull=True) | Q(vedtaksdato__gte=F("soknad_mottatt")),
                                   name="vedtak_decision_after_application",
                                   violation_error_message="Vedtaksdatoen kan ikke være før søknaden ble mottatt.",
                                   violation_error_code="vedtaksdato"),
            models.CheckConstraint(condition=Q(belop__gte=0), name="vedtak_amount_not_negative",
                                   violation_error_message="Beløpet kan ikke være negativt."),
            models.CheckConstraint(
                condition=Q(fase=Fase.SOKNAD, resultat="") | Q(fase=Fase.AVSLAG, resultat__in=["avslatt", "avvist"])
                | Q(fase__in=["vilkar_apne", "klar", "til_godkjenning", "opphevet"], resultat__in=list(GRANTED)),
                name="vedtak_fase_matches_resultat",
                violation_error_message="Vedtakets fase passer ikke med resultatet.",
            ),
            models.CheckConstraint(condition=~Q(fase=Fase.OPPHEVET) | ~Q(utbetaling=Utbetaling.HOLDT),
                                   name="vedtak_lifted_payout_not_held",
                                   violation_error_message=(
                                       "Når vedtaket er opphevet, kan utbetalingen ikke holdes tilbake.")),
        ]
        indexes = [
            models.Index(fields=["office", "fase", "soknad_mottatt"]),
            models.Index(fields=["office", "utbetaling"]),
        ]

    def __str__(self) -> str:
        return f"Vedtak {self.pk} (sak {self.sak.saksnummer})" if self.sak_id else f"Vedtak {self.pk}"

    @property
    def is_granted(self) -> bool:
        return self.resultat in GRANTED

    @property
    def is_ready_for_lifting(self) -> bool:
        return self.fase == Fase.KLAR


class VilkarKind(models.TextChoices):
    DOKUMENTASJON = "dokumentasjon", "Dokumentasjon"
    AKTIVITET = "aktivitet", "Aktivitet"


class Hjemmel(models.TextChoices):
    SOTJL_20 = "sotjl_20", "Sosialtjenesteloven § 20"
    SOTJL_20A = "sotjl_20a", "Sosialtjenesteloven § 20 a (aktivitetsplikt under 30 år)"


class Enhet(models.TextChoices):
    SOKNADER_PER_UKE = "soknader_per_uke", "jobbsøknader per uke"
    OPPMOTE_PROSENT = "oppmote_prosent", "% oppmøte"


class Tilbud(models.TextChoices):
    """What an activity vilkår is about: the offer it rests on (pre-study §3.1: «Mange brukere får
    aktivitetskrav uten at de har fått tilbud om aktivitet»). Attendance on the offer documents it."""

    PLAN = "plan", "Aktivitet i aktivitetsplanen"
    ALNA_AKTIV = "alna_aktiv", "Avtalte møter i Alna Aktiv og «Klart jeg kan»"
    PLASSERING = "plassering", "Arbeidstrening i Arbeidsboks"
    GRUPPEKURS = "gruppekurs", "Kurs eller gruppesamling"
    JOBBSOKING = "jobbsoking", "Jobbsøking med antall søknader"


# Offers that name one activity of the plan (a group course enrolment is one too).
TILBUD_WITH_ACTIVITY = (Tilbud.PLAN, Tilbud.GRUPPEKURS)
# Offers documented by attendance (days), measured in % attendance.
TILBUD_BY_ATTENDANCE = (Tilbud.ALNA_AKTIV, Tilbud.PLASSERING, Tilbud.GRUPPEKURS)
DEFAULT_ABSENCE_THRESHOLD = 20


class VilkarStatus(models.TextChoices):
    APEN = "apen", "Åpen"
    OPPFYLT = "oppfylt", "Oppfylt"
    IKKE_OPPFYLT = "ikke_oppfylt", "Ikke oppfylt"
    BORTFALT = "bortfalt", "Bortfalt"


DONE = (VilkarStatus.OPPFYLT, VilkarStatus.BORTFALT)


class Vilkar(CheckedModel):
    vedtak = models.ForeignKey(Vedtak, on_delete=models.CASCADE, related_name="vilkar")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vilkar")
    rolle = models.CharField("gjelder", max_length=11, choices=SakRolle.choices)
    kind = models.CharField("type vilkår", max_length=13, choices=VilkarKind.choices)
    hjemmel = models.CharField("hjemmel", max_length=9, choices=Hjemmel.choices)
    beskrivelse = models.TextField("individuell beskrivelse")
    frist = models.DateField("frist")
    mengde = models.PositiveIntegerField("krav (antall eller prosent)", null=True, blank=True)
    enhet = models.CharField("enhet", max_length=16, choices=Enhet.choices, blank=True)
    # The offer (activity vilkår only); an activity vilkår without one is decided only with a reason.
    tilbud = models.CharField("tilbud vilkåret gjelder", max_length=10, choices=Tilbud.choices, blank=True)
    aktivitet = models.ForeignKey("cases.Aktivitet", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="vilkar", verbose_name="aktivitet i planen")
    uten_tilbud_grunn = models.TextField("hvorfor vilkåret stilles uten tilbud", blank=True)
    # «Mulig brudd» when unapproved absence in a month is above this share of the planned days.
    fravaer_terskel = models.PositiveSmallIntegerField(
        "mulig brudd ved ikke godkjent fravær over (% av planlagte dager i en måned)",
        default=DEFAULT_ABSENCE_THRESHOLD)
    status = models.CharField("status", max_length=12, choices=VilkarStatus.choices, default=VilkarStatus.APEN)
    begrunnelse = models.TextField("begrunnelse for vurderingen", blank=True)
    oppfylt_under_krav = models.BooleanField("oppfylt selv om kravet ikke er nådd", default=False)
    vurdert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    vurdert_at = models.DateTimeField("vurdert", null=True, blank=True)
    version = models.PositiveIntegerField("versjon", default=1)

    class Meta:
        ordering = ["frist", "id"]
        verbose_name = "vilkår"
        verbose_name_plural = "vilkår"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=VilkarKind.values), name="vilkar_kind_valid",
                                   violation_error_message="Velg type vilkår."),
            models.CheckConstraint(condition=Q(hjemmel__in=Hjemmel.values), name="vilkar_hjemmel_valid",
                                   violation_error_message="Velg en gyldig hjemmel."),
            models.CheckConstraint(condition=Q(status__in=VilkarStatus.values), name="vilkar_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(condition=Q(rolle__in=SakRolle.values), name="vilkar_rolle_valid",
                                   violation_error_message=(
                                       "Vilkår kan bare stilles til hovedpersonen eller ektefellen i saken.")),
            models.CheckConstraint(condition=~Q(beskrivelse=""), name="vilkar_individual_description",
                                   violation_error_message="Skriv en individuell beskrivelse av vilkåret."),
            models.CheckConstraint(
                condition=Q(kind=VilkarKind.AKTIVITET, mengde__gt=0, enhet__in=Enhet.values)
                | Q(kind=VilkarKind.DOKUMENTASJON, mengde__isnull=True, enhet=""),
                name="vilkar_quantity_exactly_for_activity",
                violation_error_message=(
                    "Et aktivitetsvilkår trenger et individuelt krav: antall søknader per uke eller prosent oppmøte. "
                    "Et dokumentasjonsvilkår har ikke krav."),
                violation_error_code="mengde",
            ),
            models.CheckConstraint(condition=~Q(enhet=Enhet.OPPMOTE_PROSENT) | Q(mengde__lte=100),
                                   name="vilkar_percent_at_most_100",
                                   violation_error_message="Oppmøte kan ikke kreves over 100 %%.",
                                   violation_error_code="mengde"),
            models.CheckConstraint(condition=~Q(hjemmel=Hjemmel.SOTJL_20A) | Q(kind=VilkarKind.AKTIVITET),
                                   name="vilkar_20a_is_activity",
                                   violation_error_message="Sosialtjenesteloven § 20 a gjelder aktivitetsvilkår.",
                                   violation_error_code="hjemmel"),
            models.CheckConstraint(condition=~Q(status=VilkarStatus.BORTFALT) | ~Q(begrunnelse=""),
                                   name="vilkar_waived_has_reason",
                                   violation_error_message="Skriv hvorfor vilkåret faller bort.",
                                   violation_error_code="begrunnelse"),
            models.CheckConstraint(condition=~Q(oppfylt_under_krav=True) | (Q(status=VilkarStatus.OPPFYLT) & ~Q(begrunnelse="")),
                                   name="vilkar_override_has_justification",
                                   violation_error_message=(
                                       "Skriv en begrunnelse når vilkåret vurderes som oppfylt selv om kravet ikke er "
                                       "nådd."),
                                   violation_error_code="begrunnelse"),
            models.CheckConstraint(condition=Q(status=VilkarStatus.APEN) | Q(vurdert_at__isnull=False),
                                   name="vilkar_assessed_has_time",
                                   violation_error_message="Et vurdert vilkår må ha tidspunktet for vurderingen."),
            models.CheckConstraint(condition=Q(tilbud="") | Q(tilbud__in=Tilbud.values), name="vilkar_tilbud_valid",
                                   violation_error_message="Velg et gyldig tilbud.", violation_error_code="tilbud"),
            models.CheckConstraint(
                condition=Q(kind=VilkarKind.AKTIVITET)
                | Q(tilbud="", aktivitet__isnull=True, uten_tilbud_grunn=""),
                name="vilkar_offer_only_for_activity",
                violation_error_message="Bare aktivitetsvilkår gjelder et tilbud.",
                violation_error_code="tilbud",
            ),
            models.CheckConstraint(
                condition=Q(tilbud__in=TILBUD_WITH_ACTIVITY, aktivitet__isnull=False)
                | (~Q(tilbud__in=TILBUD_WITH_ACTIVITY) & Q(aktivitet__isnull=True)),
                name="vilkar_offer_names_its_activity",
                violation_error_message=(
                    "Velg aktiviteten i planen vilkåret gjelder. Bare en aktivitet i planen eller et kurs har en "
                    "aktivitet."),
                violation_error_code="aktivitet",
            ),
            models.CheckConstraint(
                condition=~Q(tilbud=Tilbud.JOBBSOKING) | Q(enhet=Enhet.SOKNADER_PER_UKE),
                name="vilkar_job_search_counts_applications",
                violation_error_message="Et vilkår om jobbsøking har krav i antall søknader per uke.",
                violation_error_code="enhet",
            ),
            models.CheckConstraint(
                condition=~Q(tilbud__in=TILBUD_BY_ATTENDANCE) | Q(enhet=Enhet.OPPMOTE_PROSENT),
                name="vilkar_attendance_offer_in_percent",
                violation_error_message=(
                    "Et vilkår om møter, arbeidstrening eller kurs har krav i prosent oppmøte."),
                violation_error_code="enhet",
            ),
            models.CheckConstraint(condition=Q(tilbud="") | Q(uten_tilbud_grunn=""),
                                   name="vilkar_offer_or_reason_not_both",
                                   violation_error_message="Et vilkår med tilbud trenger ingen grunn for å mangle tilbud.",
                                   violation_error_code="uten_tilbud_grunn"),
            models.CheckConstraint(condition=Q(fravaer_terskel__lte=100), name="vilkar_absence_threshold_percent",
                                   violation_error_message="Terskelen for fravær kan ikke være over 100 %%.",
                                   violation_error_code="fravaer_terskel"),
        ]
        indexes = [models.Index(fields=["status", "frist"]), models.Index(fields=["vedtak", "status"])]

    def __str__(self) -> str:
        return f"Vilkår {self.pk}: {self.get_kind_display().lower()}"
