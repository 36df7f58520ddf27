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


# --- group courses (kurs og gruppesamlinger, issue 15 item 5) ----------------------------------

class KursType(models.TextChoices):
    AVKLARINGSKURS = "avklaringskurs", "Avklaringskurs"
    JOBBKLUBB = "jobbklubb", "Jobbklubb"
    NORSKKURS = "norskkurs", "Norskkurs"
    KLART_JEG_KAN = "klart_jeg_kan", "«Klart jeg kan» i gruppe"
    TRIM_AVSPENNING = "trim_avspenning", "Trim og avspenning"
    ANNET = "annet", "Annet kurs"


class Kursleverandor(models.TextChoices):
    NAV = "nav", "NAV"
    KAREA = "karea", "KAREA"
    ANNEN = "annen", "Annen leverandør"


# ISO weekday numbers (1 = Monday) as the course's weekly pattern stores them, e.g. «13».
UKEDAGER = [("1", "mandag"), ("2", "tirsdag"), ("3", "onsdag"), ("4", "torsdag"), ("5", "fredag"),
            ("6", "lørdag"), ("7", "søndag")]


class Gruppekurs(CheckedModel):
    """A group course of an office: what it is, who gives it, where, how many places, its period
    and its weekly sessions (`ukedager` and time). Participants enrol in it (Kursdeltakelse) and
    meet at its sessions (Kurssamling)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="gruppekurs", verbose_name="kontor")
    navn = models.CharField("navn", max_length=200)
    type = models.CharField("type kurs", max_length=15, choices=KursType.choices)
    innhold = models.TextField("innhold", blank=True)
    leverandor = models.CharField("leverandør", max_length=5, choices=Kursleverandor.choices,
                                  default=Kursleverandor.NAV)
    leverandor_navn = models.CharField("navn på annen leverandør", max_length=200, blank=True)
    rom = models.CharField("rom eller sted", max_length=200, blank=True)
    kapasitet = models.PositiveSmallIntegerField("kapasitet (plasser)")
    startdato = models.DateField("startdato")
    sluttdato = models.DateField("sluttdato")
    ukedager = models.CharField("ukedager", max_length=7, blank=True,
                                help_text="Ukedagene kurset har samling (1 = mandag).")
    klokkeslett_fra = models.TimeField("fra klokken", null=True, blank=True)
    klokkeslett_til = models.TimeField("til klokken", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-startdato", "navn", "id"]
        verbose_name = "gruppekurs"
        verbose_name_plural = "gruppekurs"
        constraints = [
            models.CheckConstraint(condition=~Q(navn=""), name="gruppekurs_name_required",
                                   violation_error_message="Skriv navnet på kurset.", violation_error_code="navn"),
            models.UniqueConstraint(fields=["office", "navn", "startdato"], name="gruppekurs_unique_per_office_start",
                                    violation_error_message=(
                                        "Kontoret har allerede et kurs med dette navnet og denne startdatoen."),
                                    violation_error_code="navn"),
            models.CheckConstraint(condition=Q(type__in=KursType.values), name="gruppekurs_type_valid",
                                   violation_error_message="Velg type kurs.", violation_error_code="type"),
            models.CheckConstraint(condition=Q(leverandor__in=Kursleverandor.values), name="gruppekurs_provider_valid",
                                   violation_error_message="Velg leverandør.", violation_error_code="leverandor"),
            models.CheckConstraint(
                condition=(Q(leverandor=Kursleverandor.ANNEN) & ~Q(leverandor_navn=""))
                | (~Q(leverandor=Kursleverandor.ANNEN) & Q(leverandor_navn="")),
                name="gruppekurs_provider_name_only_for_other",
                violation_error_message=(
                    "Skriv navnet på leverandøren når du velger «Annen leverandør». Navnet brukes bare da."),
                violation_error_code="leverandor_navn"),
            models.CheckConstraint(condition=Q(kapasitet__gte=1, kapasitet__lte=200), name="gruppekurs_capacity_sensible",
                                   violation_error_message="Kapasiteten må være fra 1 til 200 plasser.",
                                   violation_error_code="kapasitet"),
            models.CheckConstraint(condition=Q(sluttdato__gte=F("startdato")), name="gruppekurs_end_not_before_start",
                                   violation_error_message="Sluttdatoen kan ikke være før startdatoen.",
                                   violation_error_code="sluttdato"),
            models.CheckConstraint(condition=Q(ukedager__regex=r"^1?2?3?4?5?6?7?$"), name="gruppekurs_weekdays_valid",
                                   violation_error_message="Velg gyldige ukedager.", violation_error_code="ukedager"),
            models.CheckConstraint(
                condition=Q(klokkeslett_fra__isnull=True, klokkeslett_til__isnull=True)
                | Q(klokkeslett_fra__isnull=False, klokkeslett_til__isnull=False, klokkeslett_til__gt=F("klokkeslett_fra")),
                name="gruppekurs_time_in_order",
                violation_error_message="Skriv både fra og til klokken, og til må være etter fra.",
                violation_error_code="klokkeslett_til"),
        ]
        indexes = [models.Index(fields=["office", "sluttdato"])]

    def __str__(self) -> str:
        return self.navn

    @property
    def leverandor_visning(self) -> str:
        return self.leverandor_navn if self.leverandor == Kursleverandor.ANNEN else self.get_leverandor_display()

    @property
    def ukedager_visning(self) -> str:
        names = dict(UKEDAGER)
        return ", ".join(names[day] for day in self.ukedager)

    @property
    def tid_visning(self) -> str:
        if self.klokkeslett_fra is None:
            return ""
        return f"{self.klokkeslett_fra:%H.%M}–{self.klokkeslett_til:%H.%M}"


class KursdeltakelseStatus(models.TextChoices):
    VENTELISTE = "venteliste", "På venteliste"
    PAMELDT = "pameldt", "Påmeldt"
    FULLFORT = "fullfort", "Fullført"
    AVBRUTT = "avbrutt", "Avbrutt"


COURSE_OPEN = (KursdeltakelseStatus.VENTELISTE, KursdeltakelseStatus.PAMELDT)
COURSE_ENDED = (KursdeltakelseStatus.FULLFORT, KursdeltakelseStatus.AVBRUTT)


class Kursdeltakelse(CheckedModel):
    """A participant's enrolment in a group course. A place (påmeldt) is an agreed activity of
    type kurs in the participant's plan (`aktivitet`), so an activity vilkår can rest on it; the
    waiting list has no activity until it gets a place."""

    kurs = models.ForeignKey(Gruppekurs, on_delete=models.PROTECT, related_name="deltakelser")
    deltaker = models.ForeignKey(Deltaker, on_delete=models.PROTECT, related_name="kursdeltakelser")
    status = models.CharField("status", max_length=10, choices=KursdeltakelseStatus.choices)
    # Order on the waiting list: when the enrolment was put on it.
    venteliste_fra = models.DateTimeField("på venteliste fra", null=True, blank=True)
    # The first day of the course the participant has a place for (sessions before it are not theirs).
    plass_fra = models.DateField("har plass fra", null=True, blank=True)
    aktivitet = models.OneToOneField("cases.Aktivitet", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="kursdeltakelse", verbose_name="aktivitet i planen")
    sluttdato = models.DateField("avsluttet", null=True, blank=True)
    slutt_begrunnelse = models.TextField("begrunnelse", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["kurs", "venteliste_fra", "id"]
        verbose_name = "kursdeltakelse"
        verbose_name_plural = "kursdeltakelser"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=KursdeltakelseStatus.values), name="kursdeltakelse_status_valid",
                                   violation_error_message="Velg en gyldig status.", violation_error_code="status"),
            models.CheckConstraint(
                condition=~Q(status=KursdeltakelseStatus.VENTELISTE) | Q(venteliste_fra__isnull=False),
                name="kursdeltakelse_waiting_has_time",
                violation_error_message="En påmelding på ventelisten må ha tidspunktet den ble satt på ventelisten."),
            models.CheckConstraint(
                condition=Q(status=KursdeltakelseStatus.VENTELISTE, aktivitet__isnull=True, plass_fra__isnull=True)
                | Q(status=KursdeltakelseStatus.AVBRUTT)
                | Q(aktivitet__isnull=False, plass_fra__isnull=False),
                name="kursdeltakelse_place_is_an_activity",
                violation_error_message="En plass på kurset er en aktivitet i deltakerens plan."),
            models.CheckConstraint(
                condition=(Q(status__in=list(COURSE_ENDED)) & Q(sluttdato__isnull=False))
                | (~Q(status__in=list(COURSE_ENDED)) & Q(sluttdato__isnull=True, slutt_begrunnelse="")),
                name="kursdeltakelse_ended_has_date",
                violation_error_message="En avsluttet påmelding har en sluttdato, og en åpen har ingen."),
            models.UniqueConstraint(fields=["kurs", "deltaker"], condition=Q(status__in=list(COURSE_OPEN)),
                                    name="kursdeltakelse_one_open_per_course",
                                    violation_error_message=(
                                        "Deltakeren er allerede påmeldt eller står på ventelisten til kurset."),
                                    violation_error_code="deltaker"),
        ]
        indexes = [models.Index(fields=["kurs", "status"])]

    def __str__(self) -> str:
        return f"Kursdeltakelse {self.pk}"


class Kurssamling(CheckedModel):
    """One session of a group course; its attendance is registered for the whole group at once."""

    kurs = models.ForeignKey(Gruppekurs, on_delete=models.PROTECT, related_name="samlinger")
    dato = models.DateField("dato")
    klokkeslett_fra = models.TimeField("fra klokken", null=True, blank=True)
    klokkeslett_til = models.TimeField("til klokken", null=True, blank=True)
    tema = models.CharField("tema", max_length=200, blank=True)
    oppmote_registrert_at = models.DateTimeField("oppmøte registrert", null=True, blank=True)
    oppmote_registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["dato", "klokkeslett_fra", "id"]
        verbose_name = "kurssamling"
        verbose_name_plural = "kurssamlinger"
        constraints = [
            models.UniqueConstraint(fields=["kurs", "dato"], name="kurssamling_once_per_day",
                                    violation_error_message="Kurset har allerede en samling denne dagen.",
                                    violation_error_code="dato"),
            models.CheckConstraint(
                condition=Q(klokkeslett_fra__isnull=True, klokkeslett_til__isnull=True)
                | Q(klokkeslett_fra__isnull=False, klokkeslett_til__isnull=False, klokkeslett_til__gt=F("klokkeslett_fra")),
                name="kurssamling_time_in_order",
                violation_error_message="Skriv både fra og til klokken, og til må være etter fra.",
                violation_error_code="klokkeslett_til"),
            models.CheckConstraint(condition=Q(oppmote_registrert_at__isnull=True) | Q(oppmote_registrert_av__isnull=False),
                                   name="kurssamling_registered_has_user",
                                   violation_error_message="Registrert oppmøte må ha hvem som registrerte det."),
        ]

    def __str__(self) -> str:
        return f"Samling {self.dato:%d.%m.%Y}"


class Oppmote(models.TextChoices):
    MOTT = "mott", "Møtt"
    GYLDIG_FRAVAER = "gyldig_fravaer", "Ikke møtt – gyldig fravær"
    IKKE_MOTT = "ikke_mott", "Ikke møtt"


class Kursoppmote(CheckedModel):
    """One participant's attendance at one session."""

    samling = models.ForeignKey(Kurssamling, on_delete=models.PROTECT, related_name="oppmoter")
    deltakelse = models.ForeignKey(Kursdeltakelse, on_delete=models.PROTECT, related_name="oppmoter")
    oppmote = models.CharField("oppmøte", max_length=14, choices=Oppmote.choices)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrert_at = models.DateTimeField("registrert", auto_now=True)

    class Meta:
        ordering = ["samling", "id"]
        verbose_name = "oppmøte på kurssamling"
        verbose_name_plural = "oppmøter på kurssamlinger"
        constraints = [
            models.UniqueConstraint(fields=["samling", "deltakelse"], name="kursoppmote_once_per_session",
                                    violation_error_message="Oppmøtet er allerede registrert for deltakeren."),
            models.CheckConstraint(condition=Q(oppmote__in=Oppmote.values), name="kursoppmote_valid",
                                   violation_error_message="Velg møtt, ikke møtt – gyldig fravær eller ikke møtt.",
                                   violation_error_code="oppmote"),
        ]

    def __str__(self) -> str:
        return self.get_oppmote_display()
