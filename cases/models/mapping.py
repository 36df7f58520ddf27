"""Alna Aktiv's kartlegging and avklaring (docs/domain.md §3): the mapping of resources and barriers,
the § 14 a arbeidsevnevurdering in signed versions, the activity plan and the hand-back of a case
to the hovedveileder. The database refuses the states the rules forbid."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel
from cases.choices import Innsatsgruppe
from cases.models.participants import Angring, Deltaker, Rute

VARIG_GROUPS = (Innsatsgruppe.GRADERT_VARIG_TILPASSET, Innsatsgruppe.VARIG_TILPASSET)


class Omrade(models.TextChoices):
    SPRAK = "sprak", "Språk"
    HELSE = "helse", "Helse"
    UTDANNING = "utdanning", "Utdanning"
    ARBEIDSERFARING = "arbeidserfaring", "Arbeidserfaring"
    BARNEPASS = "barnepass", "Barnepass"
    BOLIG = "bolig", "Bolig"
    OKONOMI = "okonomi", "Økonomi"
    NETTVERK = "nettverk", "Nettverk"
    MOTIVASJON = "motivasjon", "Motivasjon"


class OmradeVurdering(models.TextChoices):
    RESSURS = "ressurs", "Ressurs"
    BARRIERE = "barriere", "Barriere"
    BEGGE = "begge", "Både ressurs og barriere"


class Kartlegging(CheckedModel):
    """One per participant: started from the participant page, closed when the route is chosen."""

    deltaker = models.OneToOneField(Deltaker, on_delete=models.CASCADE, related_name="kartlegging")
    started_on = models.DateField("startet")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField("avsluttet", null=True, blank=True)
    # The methods used (docs/domain.md §3).
    metode_samtale = models.BooleanField("Samtale", default=False)
    metode_observasjon = models.BooleanField("Observasjon", default=False)
    metode_journalgjennomgang = models.BooleanField("Gjennomgang av tidligere saksopplysninger", default=False)
    metode_ferdighetstester = models.BooleanField("Tester av grunnleggende ferdigheter", default=False)
    metode_arbeidsevneformel = models.BooleanField("KAREAs arbeidsevneformel", default=False)
    metode_klart_jeg_kan = models.BooleanField("«Klart jeg kan» (fire uker)", default=False)
    jobbonsker = models.TextField("jobbønsker", blank=True)
    arbeidshistorikk = models.TextField("arbeidshistorikk", blank=True)
    test_norsk = models.CharField("testresultat norsk", max_length=200, blank=True)
    test_regning = models.CharField("testresultat regning", max_length=200, blank=True)
    test_digital = models.CharField("testresultat digitale ferdigheter", max_length=200, blank=True)
    arbeidsevneformel = models.CharField("resultat av arbeidsevneformelen", max_length=200, blank=True)
    updated_at = models.DateTimeField("sist endret", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    METHOD_FIELDS = ("metode_samtale", "metode_observasjon", "metode_journalgjennomgang", "metode_ferdighetstester",
                     "metode_arbeidsevneformel", "metode_klart_jeg_kan")

    class Meta:
        verbose_name = "kartlegging"
        verbose_name_plural = "kartlegginger"
        constraints = [
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                                   name="kartlegging_closed_after_start",
                                   violation_error_message="Kartleggingen kan ikke avsluttes før den ble startet.",
                                   violation_error_code="closed_on"),
        ]

    def __str__(self) -> str:
        return f"Kartlegging {self.pk}"

    @property
    def methods(self) -> list[str]:
        return [str(self._meta.get_field(name).verbose_name) for name in self.METHOD_FIELDS if getattr(self, name)]


class KartleggingOmrade(CheckedModel):
    """A resource or barrier in one area, with a short assessment."""

    kartlegging = models.ForeignKey(Kartlegging, on_delete=models.CASCADE, related_name="omrader")
    omrade = models.CharField("område", max_length=15, choices=Omrade.choices)
    vurdering = models.CharField("vurdering", max_length=8, choices=OmradeVurdering.choices)
    notat = models.TextField("kort vurdering")

    class Meta:
        ordering = ["id"]
        verbose_name = "kartlagt område"
        verbose_name_plural = "kartlagte områder"
        constraints = [
            models.UniqueConstraint(fields=["kartlegging", "omrade"], name="kartlegging_omrade_once",
                                    violation_error_message="Området er allerede kartlagt.",
                                    violation_error_code="omrade"),
            models.CheckConstraint(condition=Q(omrade__in=Omrade.values), name="kartlegging_omrade_valid",
                                   violation_error_message="Velg et gyldig område."),
            models.CheckConstraint(condition=Q(vurdering__in=OmradeVurdering.values),
                                   name="kartlegging_omrade_vurdering_valid",
                                   violation_error_message="Velg om området er en ressurs, en barriere eller begge."),
            models.CheckConstraint(condition=~Q(notat=""), name="kartlegging_omrade_notat_required",
                                   violation_error_message="Skriv en kort vurdering av området."),
        ]

    def __str__(self) -> str:
        return f"{self.get_omrade_display()}: {self.get_vurdering_display()}"


class KlartJegKanUke(CheckedModel):
    """Attendance in one week of the four-week «Klart jeg kan» programme."""

    kartlegging = models.ForeignKey(Kartlegging, on_delete=models.CASCADE, related_name="klart_jeg_kan")
    uke = models.PositiveSmallIntegerField("uke")
    planlagte_dager = models.PositiveSmallIntegerField("planlagte dager")
    mott_dager = models.PositiveSmallIntegerField("møtt dager")
    # The days not attended are absence; this many of them approved (the rest unapproved).
    fravaer_godkjent = models.PositiveSmallIntegerField("dager med godkjent fravær", default=0)
    kommentar = models.CharField("kommentar", max_length=300, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uke"]
        verbose_name = "uke i «Klart jeg kan»"
        verbose_name_plural = "uker i «Klart jeg kan»"
        constraints = [
            models.UniqueConstraint(fields=["kartlegging", "uke"], name="klart_jeg_kan_week_once",
                                    violation_error_message="Uken er allerede registrert i «Klart jeg kan».",
                                    violation_error_code="uke"),
            models.CheckConstraint(condition=Q(uke__gte=1, uke__lte=4), name="klart_jeg_kan_four_weeks",
                                   violation_error_message="«Klart jeg kan» varer fire uker: velg uke 1–4."),
            models.CheckConstraint(condition=Q(planlagte_dager__gte=1, planlagte_dager__lte=5),
                                   name="klart_jeg_kan_planned_days",
                                   violation_error_message="Planlagte dager må være mellom 1 og 5."),
            models.CheckConstraint(condition=Q(mott_dager__lte=F("planlagte_dager")),
                                   name="klart_jeg_kan_attended_at_most_planned",
                                   violation_error_message="Møtte dager kan ikke være flere enn planlagte dager.",
                                   violation_error_code="mott_dager"),
            models.CheckConstraint(condition=Q(fravaer_godkjent=0)
                                   | Q(fravaer_godkjent__lte=F("planlagte_dager") - F("mott_dager")),
                                   name="klart_jeg_kan_absence_within_missed_days",
                                   violation_error_message=(
                                       "Dager med godkjent fravær kan ikke være flere enn dagene deltakeren ikke møtte."),
                                   violation_error_code="fravaer_godkjent"),
        ]

    def __str__(self) -> str:
        return f"Uke {self.uke}: {self.mott_dager} av {self.planlagte_dager} dager"


class Hovedmal(models.TextChoices):
    SKAFFE_ARBEID = "skaffe_arbeid", "Skaffe arbeid"
    BEHOLDE_ARBEID = "beholde_arbeid", "Beholde arbeid"
    # Inkludering: NAV's third main goal, for someone for whom work is not yet the next step.
    OKE_DELTAKELSE = "oke_deltakelse", "Øke deltakelse"


class VurderingStatus(models.TextChoices):
    UTKAST = "utkast", "Utkast"
    TIL_GODKJENNING = "til_godkjenning", "Venter på andre godkjenner"
    SIGNERT = "signert", "Signert"


# The five parts of § 14 a, in the law's order: field name, heading shown to the user.
PARTS = [
    ("del_a", "a) Muligheter for å komme i arbeid"),
    ("del_b", "b) Hvilket arbeid som er målet"),
    ("del_c", "c) Behov for bistand"),
    ("del_d", "d) Om og i hvilken grad arbeidsevnen er nedsatt"),
    ("del_e", "e) Hva slags bistand som passer"),
]


class SignedIsFinal(ValidationError):
    pass


class Arbeidsevnevurdering(CheckedModel):
    """A version of the § 14 a assessment. Once signed it is never changed: a new version
    replaces it, and the newest signed version is the one in force.

    `authors` is everyone whose text is in this version: each user who saved it (every save adds
    its user, however small the change), and for a version made with «Lag ny versjon» the user who
    made the copy plus every author of the version it was copied from, since the copied text is
    theirs. Signing and approving do not make anyone an author; they change no text. The second
    approver of a (gradert) varig group is never one of the authors nor the signer, so the four
    eyes are two people who did not write it, not merely two rows with different users."""

    deltaker = models.ForeignKey(Deltaker, on_delete=models.PROTECT, related_name="vurderinger")
    versjon = models.PositiveSmallIntegerField("versjon")
    status = models.CharField("status", max_length=15, choices=VurderingStatus.choices, default=VurderingStatus.UTKAST)
    del_a = models.TextField(PARTS[0][1], blank=True)
    del_b = models.TextField(PARTS[1][1], blank=True)
    del_c = models.TextField(PARTS[2][1], blank=True)
    del_d = models.TextField(PARTS[3][1], blank=True)
    del_e = models.TextField(PARTS[4][1], blank=True)
    innsatsgruppe = models.CharField("innsatsgruppe", max_length=23, choices=Innsatsgruppe.choices, blank=True)
    hovedmal = models.CharField("hovedmål", max_length=14, choices=Hovedmal.choices, blank=True)
    begrunnelse = models.TextField("begrunnelse for innsatsgruppen", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="skrevet av")
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField("sist endret", auto_now=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True,
                                     verbose_name="har skrevet i vurderingen")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name="signert av")
    signed_at = models.DateTimeField("signert", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True, verbose_name="andre godkjenner")
    approved_at = models.DateTimeField("godkjent", null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name="erstatter")

    class Meta:
        ordering = ["deltaker", "-versjon"]
        verbose_name = "arbeidsevnevurdering"
        verbose_name_plural = "arbeidsevnevurderinger"
        constraints = [
            models.UniqueConstraint(fields=["deltaker", "versjon"], name="vurdering_version_once",
                                    violation_error_message=(
                                        "Denne versjonen av arbeidsevnevurderingen finnes allerede."),
                                    violation_error_code="versjon"),
            models.UniqueConstraint(fields=["deltaker"], condition=~Q(status="signert"),
                                    name="vurdering_one_open_version",
                                    violation_error_message=(
                                        "Det finnes allerede en versjon som ikke er signert. Fullfør den først.")),
            models.CheckConstraint(condition=Q(status__in=VurderingStatus.values), name="vurdering_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(
                condition=Q(innsatsgruppe="") | Q(innsatsgruppe__in=Innsatsgruppe.values),
                name="vurdering_innsatsgruppe_valid",
                violation_error_message="Velg en gyldig innsatsgruppe.",
            ),
            models.CheckConstraint(condition=Q(hovedmal="") | Q(hovedmal__in=Hovedmal.values),
                                   name="vurdering_hovedmal_valid",
                                   violation_error_message="Velg et gyldig hovedmål."),
            models.CheckConstraint(
                condition=Q(status="utkast") | (
                    ~Q(del_a="") & ~Q(del_b="") & ~Q(del_c="") & ~Q(del_d="") & ~Q(del_e="")
                    & ~Q(innsatsgruppe="") & ~Q(hovedmal="") & Q(signed_by__isnull=False)
                    & (Q(innsatsgruppe=Innsatsgruppe.STANDARD) | ~Q(begrunnelse=""))
                ),
                name="vurdering_complete_when_signed",
                violation_error_message=(
                    "En signert arbeidsevnevurdering må ha alle fem delene, innsatsgruppe, hovedmål og hvem som "
                    "signerte, og en begrunnelse for innsatsgruppen unntatt ved standard innsats."),
            ),
            models.CheckConstraint(
                condition=~Q(status="signert") | Q(signed_at__isnull=False), name="vurdering_signed_has_time",
                violation_error_message="En signert arbeidsevnevurdering må ha tidspunktet den ble signert.",
            ),
            models.CheckConstraint(
                condition=~Q(status="signert", innsatsgruppe__in=VARIG_GROUPS) | Q(approved_by__isnull=False),
                name="vurdering_varig_needs_second_approver",
                violation_error_message=(
                    "Gradert varig og varig tilpasset innsats må godkjennes av en andre godkjenner før vurderingen er "
                    "signert."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | (~Q(approved_by=F("created_by")) & ~Q(approved_by=F("signed_by"))),
                name="vurdering_approver_is_not_author",
                violation_error_message="Andre godkjenner kan ikke være den som skrev eller signerte vurderingen.",
                violation_error_code="approved_by",
            ),
        ]

    def __str__(self) -> str:
        return f"Arbeidsevnevurdering versjon {self.versjon}"

    def save(self, *args, **kwargs):
        # The services never edit a signed version; this catches any other code that tries.
        if getattr(self, "_stored_status", None) == VurderingStatus.SIGNERT:
            raise SignedIsFinal("En signert arbeidsevnevurdering kan ikke endres. Lag en ny versjon.")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.status
        return instance

    @property
    def parts(self) -> list[tuple[str, str]]:
        return [(heading, getattr(self, name)) for name, heading in PARTS]

    @property
    def needs_second_approver(self) -> bool:
        return self.innsatsgruppe in VARIG_GROUPS


class Aktivitetstype(models.TextChoices):
    JOBBSOKING = "jobbsoking", "Jobbsøking"
    ARBEIDSTRENING = "arbeidstrening", "Arbeidstrening"
    KURS = "kurs", "Kurs"
    STATLIG_TILTAK = "statlig_tiltak", "Statlig tiltak"
    HELSE = "helse", "Helse"
    MOTE = "mote", "Møte"
    EGENAKTIVITET = "egenaktivitet", "Egenaktivitet"


class Aktivitetsstatus(models.TextChoices):
    BRUKER_ER_INTERESSERT = "bruker_er_interessert", "Forslag"
    PLANLAGT = "planlagt", "Planlagt"
    GJENNOMFORES = "gjennomfores", "Gjennomføres"
    FULLFORT = "fullfort", "Fullført"
    AVBRUTT = "avbrutt", "Avbrutt"


FINISHED_STATUSES = (Aktivitetsstatus.FULLFORT, Aktivitetsstatus.AVBRUTT)
ACTIVE_STATUSES = (Aktivitetsstatus.PLANLAGT, Aktivitetsstatus.GJENNOMFORES)
# Plan activities that put the participant in activity when they are carried out (docs/domain.md
# §3.4): a course, work training or a state measure; job search, health, meetings and own
# activities do not.
COURSE_ACTIVITY_TYPES = (Aktivitetstype.KURS, Aktivitetstype.ARBEIDSTRENING, Aktivitetstype.STATLIG_TILTAK)


class Aktivitet(CheckedModel):
    """An activity of the participant's plan. A finished (fullført or avbrutt) one is final."""

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="aktiviteter")
    type = models.CharField("type", max_length=14, choices=Aktivitetstype.choices)
    beskrivelse = models.TextField("beskrivelse")
    fra_dato = models.DateField("fra dato")
    til_dato = models.DateField("til dato")
    avtalt = models.BooleanField("avtalt med deltakeren", default=False)
    status = models.CharField("status", max_length=21, choices=Aktivitetsstatus.choices,
                              default=Aktivitetsstatus.PLANLAGT)
    soknader_per_uke = models.PositiveSmallIntegerField("antall søknader per uke", null=True, blank=True)
    avbrutt_begrunnelse = models.TextField("begrunnelse for avbrudd", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField("sist endret", auto_now=True)

    class Meta:
        ordering = ["fra_dato", "id"]
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        constraints = [
            models.CheckConstraint(condition=Q(type__in=Aktivitetstype.values), name="aktivitet_type_valid",
                                   violation_error_message="Velg en gyldig aktivitetstype."),
            models.CheckConstraint(condition=Q(status__in=Aktivitetsstatus.values), name="aktivitet_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(condition=~Q(beskrivelse=""), name="aktivitet_beskrivelse_required",
                                   violation_error_message="Skriv en beskrivelse av aktiviteten."),
            models.CheckConstraint(condition=Q(til_dato__gte=F("fra_dato")), name="aktivitet_dates_in_order",
                                   violation_error_message="Til-dato kan ikke være før fra-dato.",
                                   violation_error_code="til_dato"),
            models.CheckConstraint(
                condition=Q(type=Aktivitetstype.JOBBSOKING, soknader_per_uke__gte=1)
                | (~Q(type=Aktivitetstype.JOBBSOKING) & Q(soknader_per_uke__isnull=True)),
                name="aktivitet_quantity_exactly_for_job_search",
                violation_error_message=(
                    "Skriv hvor mange søknader per uke som er avtalt for jobbsøkingen. Antall søknader per uke "
                    "gjelder bare jobbsøking."),
                violation_error_code="soknader_per_uke",
            ),
            models.CheckConstraint(
                condition=~Q(status=Aktivitetsstatus.AVBRUTT, avtalt=True) | ~Q(avbrutt_begrunnelse=""),
                name="aktivitet_agreed_cancel_has_reason",
                violation_error_message="Skriv hvorfor en avtalt aktivitet avbrytes.",
                violation_error_code="avbrutt_begrunnelse",
            ),
        ]
        indexes = [models.Index(fields=["deltaker", "status"]), models.Index(fields=["status", "til_dato"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.beskrivelse[:40]}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class Tilbakeforing(CheckedModel):
    """A case handed back to the hovedveileder by a route decision, on their work list until
    they mark it received."""

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="tilbakeforinger")
    rute = models.CharField("rute", max_length=14, choices=Rute.choices)
    date = models.DateField("dato")
    decided = models.TextField("hva som ble avklart")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)
    received_at = models.DateTimeField("mottatt", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "tilbakeføring"
        verbose_name_plural = "tilbakeføringer"
        constraints = [
            models.CheckConstraint(condition=Q(rute__in=[Rute.STATLIG_TILTAK, Rute.AAP_UFORE]),
                                   name="tilbakeforing_only_handing_back_routes",
                                   violation_error_message=(
                                       "Bare rutene statlige tiltak og avklaring mot AAP/uføretrygd gir tilbakeføring "
                                       "til hovedveilederen.")),
            models.CheckConstraint(condition=~Q(decided=""), name="tilbakeforing_says_what_was_decided",
                                   violation_error_message=(
                                       "Skriv hva som er avklart, så hovedveilederen vet hva som skal skje videre.")),
            models.CheckConstraint(condition=Q(received_at__isnull=True) | Q(received_by__isnull=False),
                                   name="tilbakeforing_received_has_user",
                                   violation_error_message="En mottatt tilbakeføring må ha hvem som tok imot den."),
        ]

    def __str__(self) -> str:
        return f"Tilbakeføring {self.date:%d.%m.%Y}"


class TilbakeforingAngring(Angring):
    """«Mottatt» undone by the hovedveileder: the hand-back is back on the work list."""

    tilbakeforing = models.ForeignKey(Tilbakeforing, on_delete=models.CASCADE, related_name="angringer")
    received_at = models.DateTimeField("var mottatt")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="var mottatt av")

    class Meta(Angring.Meta):
        verbose_name = "angret mottak av tilbakeføring"
        verbose_name_plural = "angrede mottak av tilbakeføringer"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="tilbakeforing_angring_has_reason",
                                   violation_error_message="Skriv hvorfor «Mottatt» angres."),
            models.CheckConstraint(condition=Q(undone_at__gte=F("received_at")),
                                   name="tilbakeforing_angring_after_receipt",
                                   violation_error_message=(
                                       "«Mottatt» kan ikke angres før tilbakeføringen ble mottatt.")),
        ]

    def __str__(self) -> str:
        return f"«Mottatt» angret {self.undone_at:%d.%m.%Y}"
