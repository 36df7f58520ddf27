"""Arbeidsboks (docs/domain.md §3): the district's enterprises and their work areas with a capacity,
placements of participants (with a waiting list per full work area), weekly attendance that can
document an attendance vilkår, evaluations, and the state measures (statlige tiltak)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel, Office
from cases.models import Deltaker
from conditions.models import Dokumentasjon, Vilkar


class VirksomhetType(models.TextChoices):
    BYDEL = "bydel", "Bydelens egen tjeneste"
    KAREA = "karea", "KAREA"
    PRIVAT = "privat", "Privat arbeidsgiver"
    FRIVILLIG = "frivillig", "Frivillig organisasjon"


class Virksomhet(CheckedModel):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="virksomheter", verbose_name="kontor")
    navn = models.CharField("navn", max_length=200)
    type = models.CharField("type", max_length=9, choices=VirksomhetType.choices, default=VirksomhetType.BYDEL)
    kontaktperson = models.CharField("kontaktperson", max_length=200, blank=True)
    kontakt_telefon = models.CharField("kontaktpersonens telefon", max_length=30, blank=True)
    kontakt_epost = models.EmailField("kontaktpersonens e-post", blank=True)
    markedskontakt = models.CharField("markedskontakt i KAREA", max_length=200, blank=True)
    avtaledato = models.DateField("samarbeidsavtale inngått", null=True, blank=True)

    class Meta:
        ordering = ["navn", "id"]
        verbose_name = "virksomhet"
        verbose_name_plural = "virksomheter"
        constraints = [
            models.UniqueConstraint(fields=["office", "navn"], name="virksomhet_name_unique_per_office",
                                    violation_error_message="Kontoret har allerede en virksomhet med dette navnet.",
                                    violation_error_code="navn"),
            models.CheckConstraint(condition=~Q(navn=""), name="virksomhet_name_required",
                                   violation_error_message="Skriv navnet på virksomheten."),
            models.CheckConstraint(condition=Q(type__in=VirksomhetType.values), name="virksomhet_type_valid",
                                   violation_error_message="Velg en gyldig type virksomhet."),
        ]

    def __str__(self) -> str:
        return self.navn


class Nettverkskontakt(CheckedModel):
    """A person in the employer network met through the enterprise (for later job matching)."""

    virksomhet = models.ForeignKey(Virksomhet, on_delete=models.CASCADE, related_name="nettverk")
    navn = models.CharField("navn", max_length=200)
    rolle = models.CharField("rolle", max_length=200, blank=True)
    telefon = models.CharField("telefon", max_length=30, blank=True)
    epost = models.EmailField("e-post", blank=True)

    class Meta:
        ordering = ["navn", "id"]
        verbose_name = "kontakt i arbeidsgivernettverket"
        verbose_name_plural = "kontakter i arbeidsgivernettverket"
        constraints = [models.CheckConstraint(condition=~Q(navn=""), name="nettverkskontakt_name_required",
                                              violation_error_message="Skriv navnet på kontakten.")]

    def __str__(self) -> str:
        return self.navn


class Arbeidsomrade(CheckedModel):
    virksomhet = models.ForeignKey(Virksomhet, on_delete=models.PROTECT, related_name="omrader")
    navn = models.CharField("navn", max_length=200)
    laeringsinnhold = models.TextField("hva deltakeren lærer", blank=True)
    kapasitet = models.PositiveSmallIntegerField("kapasitet (samtidige plasser)")
    normal_timer_per_uke = models.DecimalField("normal arbeidstid (timer per uke)", max_digits=4, decimal_places=1)
    arbeidstid = models.CharField("arbeidstid", max_length=200, blank=True, help_text="F.eks. «man–fre 08–15».")

    class Meta:
        ordering = ["virksomhet__navn", "navn", "id"]
        verbose_name = "arbeidsområde"
        verbose_name_plural = "arbeidsområder"
        constraints = [
            models.UniqueConstraint(fields=["virksomhet", "navn"], name="arbeidsomrade_name_unique",
                                    violation_error_message=(
                                        "Virksomheten har allerede et arbeidsområde med dette navnet."),
                                    violation_error_code="navn"),
            models.CheckConstraint(condition=~Q(navn=""), name="arbeidsomrade_name_required",
                                   violation_error_message="Skriv navnet på arbeidsområdet."),
            models.CheckConstraint(condition=Q(normal_timer_per_uke__gt=0, normal_timer_per_uke__lte=60),
                                   name="arbeidsomrade_hours_sensible",
                                   violation_error_message=(
                                       "Normal arbeidstid må være mer enn 0 og høyst 60 timer per uke.")),
        ]

    def __str__(self) -> str:
        return f"{self.virksomhet.navn}: {self.navn}" if self.virksomhet_id else self.navn


class PlasseringKind(models.TextChoices):
    ARBEIDSTRENING = "arbeidstrening", "Arbeidstrening"
    KVALIFISERING = "kvalifisering", "Kvalifisering"
    PRAKSIS = "praksis", "Praksis"


class PlasseringStatus(models.TextChoices):
    VENTELISTE = "venteliste", "På venteliste"
    PLANLAGT = "planlagt", "Planlagt"
    AKTIV = "aktiv", "Aktiv"
    FULLFORT = "fullfort", "Fullført"
    AVBRUTT = "avbrutt", "Avbrutt"


class Sluttarsak(models.TextChoices):
    FATT_JOBB = "fatt_jobb", "Fått jobb"
    SYK = "syk", "Syk"
    TRENGER_ANNEN_STOTTE = "trenger_annen_stotte", "Trenger annen støtte"
    IKKE_MOTT = "ikke_mott", "Har ikke møtt"
    FULLFORT_PLAN = "fullfort_plan", "Fullført etter planen"
    ANNET = "annet", "Annet"


# A place is taken by a placement that is planned or running; waiting or ended ones take none.
OCCUPYING = (PlasseringStatus.PLANLAGT, PlasseringStatus.AKTIV)
OPEN = (PlasseringStatus.VENTELISTE, PlasseringStatus.PLANLAGT, PlasseringStatus.AKTIV)
ENDED = (PlasseringStatus.FULLFORT, PlasseringStatus.AVBRUTT)


class Plassering(CheckedModel):
    deltaker = models.ForeignKey(Deltaker, on_delete=models.PROTECT, related_name="plasseringer")
    arbeidsomrade = models.ForeignKey(Arbeidsomrade, on_delete=models.PROTECT, related_name="plasseringer",
                                      verbose_name="arbeidsområde")
    kind = models.CharField("type", max_length=14, choices=PlasseringKind.choices)
    status = models.CharField("status", max_length=10, choices=PlasseringStatus.choices)
    startdato = models.DateField("startdato")
    planlagt_slutt = models.DateField("planlagt sluttdato")
    faktisk_slutt = models.DateField("faktisk sluttdato", null=True, blank=True)
    timer_per_uke = models.DecimalField("timer per uke", max_digits=4, decimal_places=1)
    dager_per_uke = models.PositiveSmallIntegerField("dager per uke", default=5)
    veileder_pa_stedet = models.CharField("veileder på arbeidsstedet", max_length=200)
    mal = models.TextField("mål for plasseringen")
    ikke_fortrengning = models.BooleanField(
        "bekreftet at plasseringen ikke fortrenger ordinær arbeidskraft", default=False
    )
    # The attendance vilkår this placement documents (an activity vilkår in % attendance).
    vilkar = models.ForeignKey(Vilkar, on_delete=models.SET_NULL, null=True, blank=True, related_name="plasseringer",
                               verbose_name="oppmøtevilkår")
    # Order on the waiting list: when the placement was put on it.
    venteliste_fra = models.DateTimeField("på venteliste fra", null=True, blank=True)
    sluttarsak = models.CharField("sluttårsak", max_length=20, choices=Sluttarsak.choices, blank=True)
    sluttarsak_tekst = models.TextField("annen sluttårsak", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-startdato", "id"]
        verbose_name = "plassering"
        verbose_name_plural = "plasseringer"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlasseringKind.values), name="plassering_kind_valid",
                                   violation_error_message="Velg type plassering."),
            models.CheckConstraint(condition=Q(status__in=PlasseringStatus.values), name="plassering_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(condition=Q(planlagt_slutt__gte=F("startdato")),
                                   name="plassering_end_not_before_start",
                                   violation_error_message="Planlagt sluttdato kan ikke være før startdatoen.",
                                   violation_error_code="planlagt_slutt"),
            models.CheckConstraint(condition=Q(timer_per_uke__gt=0, timer_per_uke__lte=60),
                                   name="plassering_hours_sensible",
                                   violation_error_message="Timer per uke må være mer enn 0 og høyst 60."),
            models.CheckConstraint(condition=Q(dager_per_uke__gte=1, dager_per_uke__lte=7),
                                   name="plassering_days_sensible",
                                   violation_error_message="Dager per uke må være fra 1 til 7."),
            models.CheckConstraint(condition=Q(ikke_fortrengning=True), name="plassering_no_displacement_confirmed",
                                   violation_error_message=(
                                       "Bekreft at plasseringen ikke fortrenger ordinær arbeidskraft.")),
            models.CheckConstraint(condition=~Q(veileder_pa_stedet=""), name="plassering_supervisor_required",
                                   violation_error_message="Skriv hvem som er veileder på arbeidsstedet."),
            models.CheckConstraint(condition=~Q(mal=""), name="plassering_goals_required",
                                   violation_error_message="Skriv målet for plasseringen."),
            # Ended exactly when it has an actual end and a reason; free text only with «annet».
            models.CheckConstraint(
                condition=(Q(status__in=list(ENDED)) & Q(faktisk_slutt__isnull=False) & Q(sluttarsak__in=Sluttarsak.values))
                | (~Q(status__in=list(ENDED)) & Q(faktisk_slutt__isnull=True, sluttarsak="")),
                name="plassering_ended_has_date_and_reason",
                violation_error_message=(
                    "En avsluttet plassering må ha faktisk sluttdato og sluttårsak, og en åpen plassering har ingen "
                    "av dem."),
            ),
            models.CheckConstraint(
                condition=(Q(sluttarsak=Sluttarsak.ANNET) & ~Q(sluttarsak_tekst=""))
                | (~Q(sluttarsak=Sluttarsak.ANNET) & Q(sluttarsak_tekst="")),
                name="plassering_free_text_only_for_annet",
                violation_error_message=(
                    "Beskriv sluttårsaken når du velger «Annet». Fritekst brukes bare med sluttårsaken «Annet»."),
                violation_error_code="sluttarsak_tekst",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlasseringStatus.VENTELISTE) | Q(venteliste_fra__isnull=False),
                name="plassering_waiting_has_time",
                violation_error_message="En plassering på ventelisten må ha tidspunktet den ble satt på ventelisten.",
            ),
            models.UniqueConstraint(fields=["deltaker", "arbeidsomrade"], condition=Q(status__in=list(OPEN)),
                                    name="plassering_one_open_per_area",
                                    violation_error_message=(
                                        "Deltakeren har allerede en plassering eller står på ventelisten i dette "
                                        "arbeidsområdet."),
                                    violation_error_code="arbeidsomrade"),
        ]
        indexes = [
            models.Index(fields=["arbeidsomrade", "status"]),
            models.Index(fields=["status", "planlagt_slutt"]),
        ]

    def __str__(self) -> str:
        return f"Plassering {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Frammote(CheckedModel):
    """One placement's attendance in one ISO week (uke = the week's Monday)."""

    plassering = models.ForeignKey(Plassering, on_delete=models.PROTECT, related_name="frammoter")
    uke = models.DateField("uke (mandag)")
    planlagte_timer = models.DecimalField("planlagte timer", max_digits=4, decimal_places=1)
    oppmotte_timer = models.DecimalField("møtte timer", max_digits=4, decimal_places=1)
    planlagte_dager = models.PositiveSmallIntegerField("planlagte dager")
    oppmotte_dager = models.PositiveSmallIntegerField("møtte dager")
    fravaer_godkjent_dager = models.PositiveSmallIntegerField("godkjent fravær (dager)", default=0)
    fravaer_grunn = models.CharField("grunn til fravær", max_length=300, blank=True)
    dokumentasjon = models.OneToOneField(Dokumentasjon, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="frammote")
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-uke", "id"]
        verbose_name = "frammøte"
        verbose_name_plural = "frammøter"
        constraints = [
            models.UniqueConstraint(fields=["plassering", "uke"], name="frammote_once_per_week",
                                    violation_error_message="Frammøtet for uken er allerede registrert.",
                                    violation_error_code="uke"),
            models.CheckConstraint(condition=Q(planlagte_dager__gte=1, planlagte_dager__lte=7),
                                   name="frammote_planned_days_sensible",
                                   violation_error_message="Planlagte dager må være fra 1 til 7."),
            models.CheckConstraint(condition=Q(oppmotte_dager__lte=F("planlagte_dager") - F("fravaer_godkjent_dager")),
                                   name="frammote_days_add_up",
                                   violation_error_message=(
                                       "Møtte dager og godkjent fravær er til sammen flere enn planlagte dager."),
                                   violation_error_code="oppmotte_dager"),
            models.CheckConstraint(condition=Q(oppmotte_timer__gte=0, planlagte_timer__gt=0)
                                   & Q(oppmotte_timer__lte=F("planlagte_timer")), name="frammote_hours_add_up",
                                   violation_error_message=(
                                       "Planlagte timer må være mer enn 0, og møtte timer kan ikke være negative "
                                       "eller flere enn planlagte timer."),
                                   violation_error_code="oppmotte_timer"),
            models.CheckConstraint(condition=Q(oppmotte_dager=F("planlagte_dager")) | ~Q(fravaer_grunn=""),
                                   name="frammote_absence_has_reason",
                                   violation_error_message="Skriv grunnen til fraværet.",
                                   violation_error_code="fravaer_grunn"),
        ]

    def __str__(self) -> str:
        return f"Frammøte uke {self.uke:%V/%G}"

    @property
    def fravaer_dager(self) -> int:
        return self.planlagte_dager - self.oppmotte_dager

    @property
    def fravaer_ikke_godkjent_dager(self) -> int:
        return self.fravaer_dager - self.fravaer_godkjent_dager


# The evaluated areas and their labels, also used in the refusal of a score outside 1–5.
SCORE_LABELS = {"punktlighet": "punktlighet", "samarbeid": "samarbeid", "sprak": "språk",
                "ferdigheter": "faglige ferdigheter", "initiativ": "initiativ"}
SCORE_FIELDS = tuple(SCORE_LABELS)


def _score(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=[(n, str(n)) for n in range(1, 6)])


class Evaluering(CheckedModel):
    """An evaluation at an interval, 1 (svært svak) to 5 (svært god) per area; feeds the
    arbeidsevnevurdering."""

    plassering = models.ForeignKey(Plassering, on_delete=models.PROTECT, related_name="evalueringer")
    dato = models.DateField("dato")
    punktlighet = _score(SCORE_LABELS["punktlighet"])
    samarbeid = _score(SCORE_LABELS["samarbeid"])
    sprak = _score(SCORE_LABELS["sprak"])
    ferdigheter = _score(SCORE_LABELS["ferdigheter"])
    initiativ = _score(SCORE_LABELS["initiativ"])
    kommentar = models.TextField("kommentar", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-dato", "-id"]
        verbose_name = "evaluering"
        verbose_name_plural = "evalueringer"
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"evaluering_{name}_1_5",
                                   violation_error_message=f"Gi {SCORE_LABELS[name]} en vurdering fra 1 til 5.")
            for name in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return f"Evaluering {self.dato:%d.%m.%Y}"


class TiltakType(models.TextChoices):
    ARBEIDSPRAKSIS = "arbeidspraksis", "Arbeidspraksis"
    LONNSTILSKUDD = "lonnstilskudd", "Lønnstilskudd"
    AMO_KURS = "amo_kurs", "AMO-kurs"
    ARBEID_MED_BISTAND = "arbeid_med_bistand", "Arbeid med bistand"
    KVP = "kvp", "Kvalifiseringsprogrammet (KVP)"
    JOBBSJANSEN = "jobbsjansen", "Jobbsjansen"


class StatligTiltak(CheckedModel):
    deltaker = models.ForeignKey(Deltaker, on_delete=models.PROTECT, related_name="statlige_tiltak")
    type = models.CharField("tiltak", max_length=18, choices=TiltakType.choices)
    leverandor = models.CharField("tiltaksarrangør", max_length=200)
    fra = models.DateField("fra")
    til = models.DateField("til", null=True, blank=True)
    oremerket = models.BooleanField("på en av pilotens øremerkede plasser", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-fra", "-id"]
        verbose_name = "statlig tiltak"
        verbose_name_plural = "statlige tiltak"
        constraints = [
            models.CheckConstraint(condition=Q(type__in=TiltakType.values), name="tiltak_type_valid",
                                   violation_error_message="Velg et tiltak."),
            models.CheckConstraint(condition=Q(til__isnull=True) | Q(til__gte=F("fra")), name="tiltak_period_not_backwards",
                                   violation_error_message="Til-datoen kan ikke være før fra-datoen.",
                                   violation_error_code="til"),
            models.CheckConstraint(condition=~Q(leverandor=""), name="tiltak_provider_required",
                                   violation_error_message="Skriv hvem som er tiltaksarrangør."),
            models.CheckConstraint(condition=~Q(oremerket=True) | Q(type=TiltakType.ARBEID_MED_BISTAND),
                                   name="tiltak_earmarked_only_arbeid_med_bistand",
                                   violation_error_message="Bare arbeid med bistand har øremerkede plasser.",
                                   violation_error_code="oremerket"),
        ]

    def __str__(self) -> str:
        return self.get_type_display()


class Retting(CheckedModel):
    """A correction of a saved placement or attendance week: what changed (old → new), who did
    it, when and why. The audit log says that it happened; this says what and why, on the page."""

    plassering = models.ForeignKey(Plassering, on_delete=models.PROTECT, related_name="rettinger")
    # Set when an attendance week was corrected; empty for a correction of the placement itself.
    frammote = models.ForeignKey(Frammote, on_delete=models.PROTECT, null=True, blank=True, related_name="rettinger",
                                 verbose_name="frammøte")
    endringer = models.TextField("endringer")
    begrunnelse = models.TextField("begrunnelse")
    endret_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="endret av")
    endret_at = models.DateTimeField("endret", auto_now_add=True)

    class Meta:
        ordering = ["-endret_at", "-id"]
        verbose_name = "retting"
        verbose_name_plural = "rettinger"
        constraints = [
            models.CheckConstraint(condition=~Q(endringer=""), name="retting_changes_required",
                                   violation_error_message="En retting må si hva som ble endret."),
            models.CheckConstraint(condition=~Q(begrunnelse=""), name="retting_reason_required",
                                   violation_error_message="Skriv hvorfor du retter."),
        ]

    def __str__(self) -> str:
        return f"Retting {self.pk}"
