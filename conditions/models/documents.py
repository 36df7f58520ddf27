"""Documentation registered against a vilkår: a received document with an optional upload and
its assessment; an attendance list with its days; job applications with employer and date."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from alnaaktiv.models import CheckedModel
from conditions.models.vedtak import Vilkar


class DokumentType(models.TextChoices):
    HUSLEIE = "husleie", "Kvittering for husleie"
    STROM = "strom", "Kvittering for strøm"
    BOSTOTTE = "bostotte", "Søknad om bostøtte"
    JOBBSOKNADER = "jobbsoknader", "Jobbsøknader"
    OPPMOTELISTE = "oppmoteliste", "Oppmøteliste"
    ANNET = "annet", "Annen dokumentasjon"


class Kilde(models.TextChoices):
    """Where a document came from: registered by hand, or attendance registered elsewhere that
    lands on the vilkår by itself (docs/domain.md §8)."""

    MANUELL = "", "Registrert manuelt"
    ARBEIDSBOKS = "arbeidsboks", "Frammøte i Arbeidsboks"
    MOTE = "mote", "Avtalt møte"
    KLART_JEG_KAN = "klart_jeg_kan", "«Klart jeg kan»"
    KURS = "kurs", "Kurs eller gruppesamling"
    SOKNADER = "soknader", "Søknader registrert av veileder"


# Sources where one event is one agreed appointment: unapproved absence there is a no-show.
KILDE_APPOINTMENT = (Kilde.MOTE, Kilde.KURS)


class Vurdering(models.TextChoices):
    IKKE_VURDERT = "", "Ikke vurdert ennå"
    GODKJENT = "godkjent", "Godkjent"
    AVVIST = "avvist", "Avvist"


class Dokumentasjon(CheckedModel):
    vilkar = models.ForeignKey(Vilkar, on_delete=models.CASCADE, related_name="dokumentasjon")
    type = models.CharField("type", max_length=12, choices=DokumentType.choices)
    mottatt = models.DateField("mottatt")
    # Stored under MEDIA_ROOT with a random name; served only by the access-checked view.
    fil = models.FileField("fil", upload_to="dokumenter/", blank=True, max_length=200)
    filnavn = models.CharField("opprinnelig filnavn", max_length=200, blank=True)
    filtype = models.CharField("filtype", max_length=20, blank=True)
    vurdering = models.CharField("vurdering", max_length=8, choices=Vurdering.choices, blank=True)
    avvist_grunn = models.TextField("grunn til avvisning", blank=True)
    vurdert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    # Attendance lists: planned days = attended + approved absence + unapproved absence.
    planlagte_dager = models.PositiveSmallIntegerField("planlagte dager", null=True, blank=True)
    oppmotte_dager = models.PositiveSmallIntegerField("møtt dager", null=True, blank=True)
    fravaer_godkjent = models.PositiveSmallIntegerField("fravær godkjent (dager)", null=True, blank=True)
    fravaer_ikke_godkjent = models.PositiveSmallIntegerField("fravær ikke godkjent (dager)", null=True, blank=True)
    kilde = models.CharField("kilde", max_length=13, choices=Kilde.choices, blank=True, default=Kilde.MANUELL)
    # The source event's key («avtale:12», «samling:4:7»), so registering it again corrects the
    # same document instead of adding one.
    kilde_ref = models.CharField("kildens nøkkel", max_length=40, blank=True)
    # What happened, in words, listed as evidence on a «mulig brudd».
    hendelse = models.CharField("hendelse", max_length=300, blank=True)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["mottatt", "id"]
        verbose_name = "dokumentasjon"
        verbose_name_plural = "dokumentasjon"
        constraints = [
            models.CheckConstraint(condition=Q(type__in=DokumentType.values), name="dok_type_valid",
                                   violation_error_message="Velg type dokumentasjon."),
            models.CheckConstraint(condition=Q(vurdering__in=Vurdering.values), name="dok_vurdering_valid",
                                   violation_error_message="Velg en gyldig vurdering."),
            models.CheckConstraint(condition=~Q(vurdering=Vurdering.AVVIST) | ~Q(avvist_grunn=""),
                                   name="dok_rejected_has_reason",
                                   violation_error_message="Skriv hvorfor dokumentasjonen er avvist.",
                                   violation_error_code="avvist_grunn"),
            models.CheckConstraint(condition=Q(vurdering="") | Q(vurdert_av__isnull=False), name="dok_assessed_has_user",
                                   violation_error_message="Vurdert dokumentasjon må ha hvem som vurderte den."),
            models.CheckConstraint(
                condition=(Q(type=DokumentType.OPPMOTELISTE) & Q(planlagte_dager__gt=0, oppmotte_dager__isnull=False,
                                                                 fravaer_godkjent__isnull=False,
                                                                 fravaer_ikke_godkjent__isnull=False)
                           & Q(planlagte_dager=F("oppmotte_dager") + F("fravaer_godkjent") + F("fravaer_ikke_godkjent")))
                | (~Q(type=DokumentType.OPPMOTELISTE) & Q(planlagte_dager__isnull=True, oppmotte_dager__isnull=True,
                                                         fravaer_godkjent__isnull=True, fravaer_ikke_godkjent__isnull=True)),
                name="dok_attendance_days_add_up",
                violation_error_message=(
                    "En oppmøteliste trenger planlagte dager og møtte dager, og møtte dager og fravær må til sammen "
                    "bli de planlagte dagene. Andre typer dokumentasjon har ingen dager."),
                violation_error_code="planlagte_dager",
            ),
            models.CheckConstraint(condition=Q(fil="") | ~Q(filtype=""), name="dok_file_has_type",
                                   violation_error_message="En opplastet fil må ha en filtype."),
            models.CheckConstraint(condition=Q(kilde__in=Kilde.values), name="dok_kilde_valid",
                                   violation_error_message="Dokumentasjonen har en ugyldig kilde."),
            models.CheckConstraint(condition=Q(kilde=Kilde.MANUELL, kilde_ref="") | (~Q(kilde=Kilde.MANUELL) & ~Q(kilde_ref="")),
                                   name="dok_source_has_key",
                                   violation_error_message="Dokumentasjon fra en kilde må ha kildens nøkkel."),
            models.UniqueConstraint(fields=["vilkar", "kilde_ref"], condition=~Q(kilde_ref=""),
                                    name="dok_source_once_per_vilkar",
                                    violation_error_message="Hendelsen er allerede registrert på vilkåret."),
        ]
        indexes = [models.Index(fields=["vurdering", "mottatt"]),
                   # the work list's "received, not assessed" in its own order
                   models.Index(fields=["mottatt", "id"], condition=Q(vurdering=""), name="dok_unassessed_order")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.mottatt:%d.%m.%Y}"

    @property
    def fravaer(self) -> int | None:
        if self.planlagte_dager is None:
            return None
        return self.planlagte_dager - self.oppmotte_dager


class Jobbsoknad(CheckedModel):
    dokumentasjon = models.ForeignKey(Dokumentasjon, on_delete=models.CASCADE, related_name="soknader")
    arbeidsgiver = models.CharField("arbeidsgiver", max_length=200)
    dato = models.DateField("dato")

    class Meta:
        ordering = ["dato", "id"]
        verbose_name = "jobbsøknad"
        verbose_name_plural = "jobbsøknader"
        constraints = [models.CheckConstraint(condition=~Q(arbeidsgiver=""), name="jobbsoknad_employer_required",
                                              violation_error_message="Hver jobbsøknad trenger en arbeidsgiver.")]

    def __str__(self) -> str:
        return f"{self.arbeidsgiver} {self.dato:%d.%m.%Y}"
