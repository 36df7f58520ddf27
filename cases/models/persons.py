"""People and their social-assistance cases (sak). The register import and the participant's
course build on these."""
from django.db import models
from django.db.models import Q

from alnaaktiv.fnr import KVINNE, MANN, FodselsnummerField, parse_fnr
from alnaaktiv.models import CheckedModel, Office
from alnaaktiv.text import search_key


class Landbakgrunn(models.TextChoices):
    NORGE = "norge", "Norge"
    OECD = "oecd", "OECD-land"
    IKKE_OECD = "ikke_oecd", "Land utenfor OECD"
    UKJENT = "ukjent", "Ukjent"


class Adressebeskyttelse(models.TextChoices):
    UGRADERT = "ugradert", "Ugradert"
    FORTROLIG = "fortrolig", "Fortrolig (kode 7)"
    STRENGT_FORTROLIG = "strengt_fortrolig", "Strengt fortrolig (kode 6)"
    STRENGT_FORTROLIG_UTLAND = "strengt_fortrolig_utland", "Strengt fortrolig utland"


# How strongly an address is protected: a register extract may raise it, only an admin lowers it
# (docs/contracts.md, "Rules for what an extract may change"). Both kode 6 variants are equally strong.
ADDRESS_PROTECTION_RANK = {
    Adressebeskyttelse.UGRADERT: 0,
    Adressebeskyttelse.FORTROLIG: 1,
    Adressebeskyttelse.STRENGT_FORTROLIG: 2,
    Adressebeskyttelse.STRENGT_FORTROLIG_UTLAND: 2,
}


def lowers_protection(*, adressebeskyttelse: str, skjermet: bool, to_adressebeskyttelse: str,
                      to_skjermet: bool) -> bool:
    """True when going from the first protection to the second weakens either part of it."""
    return (
        ADDRESS_PROTECTION_RANK[to_adressebeskyttelse] < ADDRESS_PROTECTION_RANK[adressebeskyttelse]
        or (skjermet and not to_skjermet)
    )


class Utdanningsniva(models.TextChoices):
    """Highest completed education, in the levels of SSB's NUS grouped as NAV asks for them."""
    INGEN = "ingen", "Ingen utdanning eller barneskole"
    UNGDOMSSKOLE = "ungdomsskole", "Ungdomsskole"
    VIDEREGAENDE = "videregaende", "Videregående skole"
    YRKESFAG = "yrkesfag", "Yrkesfaglig utdanning (fagbrev eller fagskole)"
    HOYERE_KORT = "hoyere_kort", "Universitet eller høgskole, inntil 4 år"
    HOYERE_LANG = "hoyere_lang", "Universitet eller høgskole, mer enn 4 år"
    UKJENT = "ukjent", "Ukjent"


# A language is an ISO 639-1 code (two small letters); empty is unknown.
LANGUAGE_CODE_REGEX = r"^([a-z]{2})?$"


class Kjonn(models.TextChoices):
    KVINNE = KVINNE, "Kvinne"
    MANN = MANN, "Mann"


# An anonymised person's fnr column holds this prefix and the row's id: day 00 makes it a number
# no real, D- or synthetic fødselsnummer can ever be (parse_fnr refuses it), so it is unique
# without colliding with anyone who is imported later.
PSEUDONYM_PREFIX = "00"


def pseudonym_for(pk: int) -> str:
    return f"{PSEUDONYM_PREFIX}{pk:09d}"


class Person(CheckedModel):
    """A person known from the registers or enrolled in the pilot.

    Anonymisation (cases.retention, docs/deploy.md «Personvern og sletting») keeps the row, so
    every course event, Oskar and Arena row and vedtak that points to it still counts the same in
    the monthly reports, and keeps what the reports read (birth date, gender, country
    background). It replaces the name by «Anonymisert person <id>» and the fødselsnummer by the
    pseudonym `pseudonym_for(id)`, an 11-digit string that can never be a valid fødselsnummer;
    `anonymisert_at` then tells derive_from_fnr to keep the stored birth date and gender instead of
    reading them from a number that no longer carries them."""

    fnr = FodselsnummerField(unique=True)
    navn = models.CharField("navn", max_length=200)
    # The name as a search matches it (alnaaktiv.text.search_key), kept in step by save() and by
    # every bulk write of names (register import, seed_scale, anonymisation). On PostgreSQL a
    # trigram index (migration 0010) serves `navn_sok__contains`; it is not declared here, so
    # SQLite keeps working without it.
    navn_sok = models.CharField("navn (søk)", max_length=200, editable=False, default="")
    fodselsdato = models.DateField("fødselsdato", editable=False)
    kjonn = models.CharField("kjønn", max_length=6, choices=Kjonn.choices, editable=False)
    landbakgrunn = models.CharField(
        "landbakgrunn", max_length=10, choices=Landbakgrunn.choices, default=Landbakgrunn.UKJENT
    )
    adressebeskyttelse = models.CharField(
        "adressebeskyttelse", max_length=30, choices=Adressebeskyttelse.choices, default=Adressebeskyttelse.UGRADERT
    )
    skjermet = models.BooleanField("skjermet (NAV-ansatt)", default=False)
    anonymisert_at = models.DateTimeField("anonymisert", null=True, blank=True, editable=False)
    # Language and education (docs/domain.md §3; issue 16). The Oskar extract may fill
    # forstesprak and tolk (contracts.md); the veileder edits all of them on the participant page.
    forstesprak = models.CharField("førstespråk", max_length=2, blank=True,
                                   help_text="ISO 639-1-kode, for eksempel so, ar, pl. Tomt betyr ukjent.")
    # None: not known. The interpreter's language is the first language unless another is named.
    tolk = models.BooleanField("trenger tolk", null=True, blank=True)
    tolkesprak = models.CharField("tolkespråk", max_length=2, blank=True,
                                  help_text="Tomt betyr førstespråket.")
    utdanningsniva = models.CharField("høyeste fullførte utdanning", max_length=12, choices=Utdanningsniva.choices,
                                      default=Utdanningsniva.UKJENT)
    utdanning_godkjent = models.BooleanField("utdanningen er godkjent i Norge", null=True, blank=True)
    telefon = models.CharField("telefon", max_length=20, blank=True)
    epost = models.EmailField("e-post", blank=True)
    # The language letters are offered in first; empty is bokmål.
    skriftsprak = models.CharField("foretrukket skriftspråk", max_length=2, blank=True)

    class Meta:
        ordering = ["navn", "id"]
        verbose_name = "person"
        verbose_name_plural = "personer"
        # Lists leave out the few protected persons a user may not see by id (cases.selectors.
        # hidden_persons): these partial indexes find them without reading every person.
        indexes = [
            models.Index(fields=["adressebeskyttelse"], condition=~Q(adressebeskyttelse="ugradert"),
                         name="person_protected_address_idx"),
            models.Index(fields=["skjermet"], condition=Q(skjermet=True), name="person_skjermet_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(fnr__regex=r"^[0-9]{11}$"), name="person_fnr_eleven_digits",
                                   violation_error_message="Fødselsnummeret må ha 11 siffer."),
            models.CheckConstraint(condition=Q(landbakgrunn__in=Landbakgrunn.values), name="person_landbakgrunn_valid",
                                   violation_error_message="Velg en gyldig landbakgrunn."),
            models.CheckConstraint(
                condition=Q(adressebeskyttelse__in=Adressebeskyttelse.values), name="person_adressebeskyttelse_valid",
                violation_error_message="Velg en gyldig adressebeskyttelse."
            ),
            models.CheckConstraint(condition=Q(kjonn__in=Kjonn.values), name="person_kjonn_valid",
                                   violation_error_message="Kjønn må være kvinne eller mann."),
            models.CheckConstraint(condition=Q(forstesprak__regex=LANGUAGE_CODE_REGEX), name="person_forstesprak_code",
                                   violation_error_message="Førstespråket må være en språkkode med to bokstaver."),
            models.CheckConstraint(condition=Q(tolkesprak__regex=LANGUAGE_CODE_REGEX), name="person_tolkesprak_code",
                                   violation_error_message="Tolkespråket må være en språkkode med to bokstaver."),
            models.CheckConstraint(condition=Q(skriftsprak__regex=LANGUAGE_CODE_REGEX), name="person_skriftsprak_code",
                                   violation_error_message="Skriftspråket må være en språkkode med to bokstaver."),
            models.CheckConstraint(condition=Q(tolkesprak="") | Q(tolk=True), name="person_tolkesprak_only_with_tolk",
                                   violation_error_message="Tolkespråk kan bare fylles ut når personen trenger tolk.",
                                   violation_error_code="tolkesprak"),
            models.CheckConstraint(condition=Q(utdanningsniva__in=Utdanningsniva.values),
                                   name="person_utdanningsniva_valid",
                                   violation_error_message="Velg et gyldig utdanningsnivå."),
            # A pseudonym exactly when anonymised: a real number never starts with day 00.
            models.CheckConstraint(
                condition=Q(anonymisert_at__isnull=True) & ~Q(fnr__startswith=PSEUDONYM_PREFIX)
                | Q(anonymisert_at__isnull=False, fnr__startswith=PSEUDONYM_PREFIX),
                name="person_pseudonym_exactly_when_anonymised",
                violation_error_message=(
                    "En anonymisert person har pseudonym i stedet for fødselsnummer, og bare en anonymisert person "
                    "kan ha det."),
            ),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def interpreter_language(self) -> str:
        """The code of the language an interpreter must speak, "" when none is needed."""
        return (self.tolkesprak or self.forstesprak) if self.tolk else ""

    def save(self, *args, **kwargs):
        self.derive_from_fnr()
        self.derive_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "navn" in update_fields and "navn_sok" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "navn_sok"]
        super().save(*args, **kwargs)

    def clean(self):
        self.derive_from_fnr()

    def derive_search_name(self) -> None:
        self.navn_sok = search_key(self.navn)

    def derive_from_fnr(self) -> None:
        """Birth date and gender are facts of the number, never typed in. An anonymised
        person's pseudonym carries neither: the stored values are kept."""
        if self.anonymisert_at is not None:
            return
        info = parse_fnr(self.fnr)
        self.fodselsdato, self.kjonn = info.birth_date, info.gender


class Inntektstype(models.TextChoices):
    HOVEDINNTEKT = "hovedinntekt", "Hovedinntekt"
    SUPPLERENDE = "supplerende", "Supplerende"


class Sak(CheckedModel):
    """A household's social-assistance case in Oskar."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="saker", verbose_name="kontor")
    saksnummer = models.CharField("saksnummer", max_length=30)
    hovedperson = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="saker_som_hovedperson")
    ektefelle = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="saker_som_ektefelle", null=True, blank=True
    )
    antall_barn = models.PositiveSmallIntegerField("antall barn", default=0)
    inntektstype = models.CharField("inntektstype", max_length=12, choices=Inntektstype.choices)

    class Meta:
        ordering = ["office", "saksnummer"]
        verbose_name = "sak"
        verbose_name_plural = "saker"
        constraints = [
            models.UniqueConstraint(fields=["office", "saksnummer"], name="sak_unique_saksnummer_per_office",
                                    violation_error_message="Kontoret har allerede en sak med dette saksnummeret.",
                                    violation_error_code="saksnummer"),
            models.CheckConstraint(condition=~Q(hovedperson=models.F("ektefelle")), name="sak_spouse_not_main_person",
                                   violation_error_message="Ektefellen kan ikke være samme person som hovedpersonen.",
                                   violation_error_code="ektefelle"),
            models.CheckConstraint(condition=Q(inntektstype__in=Inntektstype.values), name="sak_inntektstype_valid",
                                   violation_error_message="Velg en gyldig inntektstype."),
        ]

    def __str__(self) -> str:
        return f"Sak {self.saksnummer}"
