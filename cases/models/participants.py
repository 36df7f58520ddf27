"""A participant's enrolment in the pilot and the course (løp) through it, stored as dated
transitions so that the state on any past date can be told."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel, Office
from cases.choices import Arbeidssokerstatus, Innsatsgruppe, Malgruppe, SakRolle
from cases.models.persons import Person, Sak


class Lopsstatus(models.TextChoices):
    KANDIDAT = "kandidat", "Kandidat"
    HENVIST = "henvist", "Henvist"
    MOTT = "mott", "Møtt"
    IKKE_MOTT = "ikke_mott", "Ikke møtt"
    I_KARTLEGGING = "i_kartlegging", "I kartlegging"
    AVKLART = "avklart", "Avklart"
    I_AKTIVITET = "i_aktivitet", "I aktivitet"
    AVSLUTTET = "avsluttet", "Avsluttet"


class Rute(models.TextChoices):
    ARBEIDSBOKS = "arbeidsboks", "Arbeidsboks"
    STATLIG_TILTAK = "statlig_tiltak", "Statlige tiltak"
    JOBBSOKING = "jobbsoking", "Jobbsøking og andre aktiviteter"
    AAP_UFORE = "aap_ufore", "Avklaring mot AAP/uføretrygd"


class Utfall(models.TextChoices):
    ARBEID = "arbeid", "Arbeid"
    UTDANNING = "utdanning", "Utdanning"
    ANDRE_RETTIGHETER = "andre_rettigheter", "Andre rettigheter (AAP, uføretrygd, KVP, dagpenger)"
    FRAFALT = "frafalt", "Frafalt sosialhjelp"
    TILBAKEFORT = "tilbakefort", "Tilbakeført til hovedveileder"
    FLYTTET = "flyttet", "Flyttet"
    ANNET = "annet", "Annet"


class MalgruppeKilde(models.TextChoices):
    AVLEDET = "avledet", "Avledet fra Oskar"
    IMPORTERT = "importert", "Importert"
    MANUELL = "manuell", "Satt manuelt"


class Deltaker(CheckedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="deltakelser")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="deltakere", verbose_name="kontor")
    sak = models.ForeignKey(Sak, on_delete=models.PROTECT, related_name="deltakere", null=True, blank=True)
    rolle = models.CharField("rolle i saken", max_length=11, choices=SakRolle.choices, default=SakRolle.HOVEDPERSON)
    malgruppe = models.CharField("målgruppe", max_length=16, choices=Malgruppe.choices, blank=True)
    malgruppe_kilde = models.CharField(
        "målgruppe satt av", max_length=9, choices=MalgruppeKilde.choices, default=MalgruppeKilde.AVLEDET
    )
    malgruppe_begrunnelse = models.TextField("begrunnelse for manuell målgruppe", blank=True)
    arbeidssokerstatus = models.CharField(
        "arbeidssøkerstatus", max_length=24, choices=Arbeidssokerstatus.choices,
        default=Arbeidssokerstatus.IKKE_REGISTRERT,
    )
    innsatsgruppe = models.CharField("innsatsgruppe", max_length=23, choices=Innsatsgruppe.choices, blank=True)
    hovedveileder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    veileder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="Alna Aktiv-veileder",
    )
    # The current state and its date, kept in step with the newest CourseEvent by the services.
    status = models.CharField("status", max_length=13, choices=Lopsstatus.choices, default=Lopsstatus.KANDIDAT)
    status_dato = models.DateField("status fra")
    forste_avtale = models.DateTimeField("første avtale", null=True, blank=True)
    henvisningsgrunn = models.TextField("henvisningsgrunn", blank=True)
    # When the participant answered the anonymous end-of-course survey; the answer itself is
    # stored without a link to anyone (cases.models.voice.Brukerundersokelse).
    undersokelse_besvart = models.DateField("brukerundersøkelsen besvart", null=True, blank=True)
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-status_dato", "id"]
        verbose_name = "deltaker"
        verbose_name_plural = "deltakere"
        constraints = [
            models.UniqueConstraint(fields=["person", "office"], name="deltaker_once_per_office",
                                    violation_error_message="Personen er allerede deltaker ved dette kontoret."),
            models.CheckConstraint(condition=Q(status__in=Lopsstatus.values), name="deltaker_status_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(
                condition=Q(malgruppe="") | Q(malgruppe__in=Malgruppe.values), name="deltaker_malgruppe_valid",
                violation_error_message="Velg en gyldig målgruppe."
            ),
            models.CheckConstraint(
                condition=~Q(malgruppe_kilde=MalgruppeKilde.MANUELL) | ~Q(malgruppe_begrunnelse=""),
                name="deltaker_manual_malgruppe_has_reason",
                violation_error_message="Skriv en begrunnelse når målgruppen settes manuelt.",
                violation_error_code="malgruppe_begrunnelse",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["office", "veileder"]),
            models.Index(fields=["office", "hovedveileder"]),
        ]

    def __str__(self) -> str:
        return f"Deltaker {self.pk}"


class CourseEvent(CheckedModel):
    """A transition of the course: the state entered, on which date, by whom."""

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="events")
    state = models.CharField("status", max_length=13, choices=Lopsstatus.choices)
    date = models.DateField("dato")
    rute = models.CharField("rute", max_length=14, choices=Rute.choices, blank=True)
    utfall = models.CharField("utfall", max_length=17, choices=Utfall.choices, blank=True)
    comment = models.TextField("kommentar", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "løpshendelse"
        verbose_name_plural = "løpshendelser"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=Lopsstatus.values), name="event_state_valid",
                                   violation_error_message="Velg en gyldig status."),
            models.CheckConstraint(
                condition=Q(state=Lopsstatus.AVSLUTTET, utfall__in=Utfall.values)
                | (~Q(state=Lopsstatus.AVSLUTTET) & Q(utfall="")),
                name="event_outcome_exactly_when_ended",
                violation_error_message="Et avsluttet løp må ha et utfall, og utfall settes bare når løpet avsluttes.",
                violation_error_code="utfall",
            ),
            models.CheckConstraint(
                condition=Q(rute="") | Q(state=Lopsstatus.AVKLART, rute__in=Rute.values),
                name="event_route_only_when_avklart",
                violation_error_message="Rute settes bare når deltakeren blir avklart.",
                violation_error_code="rute",
            ),
        ]
        indexes = [models.Index(fields=["deltaker", "date"]), models.Index(fields=["state", "date"])]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.date:%d.%m.%Y}"


class JournalEntry(CheckedModel):
    class Kind(models.TextChoices):
        SAMTALE = "samtale", "Samtale"
        TREKANTMOTE = "trekantmote", "Trekantmøte"
        MOTE = "mote", "Annet møte"
        OBSERVASJON = "observasjon", "Observasjon"
        TELEFON = "telefon", "Telefon"
        ANNET = "annet", "Annet"

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField("type", max_length=11, choices=Kind.choices)
    date = models.DateField("dato")
    text = models.TextField("notat")
    # Meetings list who took part (the participant, NAV, KAREA, an employer ...).
    motedeltakere = models.TextField("hvem deltok", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    is_system = models.BooleanField("skrevet av systemet", default=False)
    created_at = models.DateTimeField("registrert", auto_now_add=True)
    # A note is never edited or deleted: its author strikes it out with a reason (it stays readable,
    # struck through) and a correction, if any, is a new note that points back to it.
    struck_at = models.DateTimeField("strøket", null=True, blank=True)
    struck_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="strøket av")
    struck_reason = models.TextField("begrunnelse for strykingen", blank=True)
    corrects = models.OneToOneField("self", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="correction", verbose_name="retter notatet")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "journalnotat"
        verbose_name_plural = "journalnotater"
        constraints = [
            models.CheckConstraint(
                condition=Q(struck_at__isnull=True, struck_by__isnull=True, struck_reason="")
                | (Q(struck_at__isnull=False, struck_by__isnull=False) & ~Q(struck_reason="")),
                name="journal_struck_with_who_and_why",
                violation_error_message="Et strøket notat må ha hvem som strøk det, når og hvorfor.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="journal_text_required",
                                   violation_error_message="Journalnotatet kan ikke være tomt."),
            models.CheckConstraint(
                condition=Q(kind__in=["samtale", "trekantmote", "mote", "observasjon", "telefon", "annet"]),
                name="journal_kind_valid_with_meetings",
                violation_error_message="Velg en gyldig type notat.",
            ),
            models.CheckConstraint(condition=~Q(kind__in=["trekantmote", "mote"]) | ~Q(motedeltakere=""),
                                   name="journal_meeting_lists_participants",
                                   violation_error_message="Skriv hvem som deltok i møtet.",
                                   violation_error_code="motedeltakere"),
        ]

    MEETING_KINDS = ("trekantmote", "mote")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class Huskelapp(CheckedModel):
    """A veileder's reminder on a participant, shown in the portfolio until done."""

    # «Utført» may be undone for this many days after it was marked (then: a new huskelapp).
    UNDO_DAYS = 30

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="huskelapper")
    due_date = models.DateField("frist")
    comment = models.TextField("kommentar")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("registrert", auto_now_add=True)
    done_at = models.DateTimeField("utført", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "huskelapp"
        verbose_name_plural = "huskelapper"
        constraints = [
            models.CheckConstraint(condition=~Q(comment=""), name="huskelapp_comment_required",
                                   violation_error_message="Skriv hva huskelappen gjelder."),
            models.CheckConstraint(condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                                   name="huskelapp_done_has_user",
                                   violation_error_message=(
                                       "En utført huskelapp må ha hvem som markerte den som utført.")),
        ]

    def __str__(self) -> str:
        return f"Huskelapp {self.due_date:%d.%m.%Y}"


class Angring(CheckedModel):
    """A mark («Mottatt», «Utført») undone with a reason: who undid it, when and why. The subclass
    keeps who had set the mark and when; the marked row is open again, this row is the trace."""

    undone_at = models.DateTimeField("angret")
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="angret av")
    reason = models.TextField("begrunnelse")

    class Meta:
        abstract = True
        ordering = ["undone_at", "id"]


class HuskelappAngring(Angring):
    """«Utført» undone on a huskelapp."""

    huskelapp = models.ForeignKey(Huskelapp, on_delete=models.CASCADE, related_name="angringer")
    done_at = models.DateTimeField("var utført")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="var utført av")

    class Meta(Angring.Meta):
        verbose_name = "angret «utført» på huskelapp"
        verbose_name_plural = "angrede «utført» på huskelapper"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="huskelapp_angring_has_reason",
                                   violation_error_message="Skriv hvorfor «Utført» angres."),
            models.CheckConstraint(condition=Q(undone_at__gte=F("done_at")), name="huskelapp_angring_after_done",
                                   violation_error_message=(
                                       "«Utført» kan ikke angres før huskelappen ble markert som utført.")),
        ]

    def __str__(self) -> str:
        return f"«Utført» angret {self.undone_at:%d.%m.%Y}"
