"""factory_boy factories for the core objects, one place for every test's rows. They build plain
rows with valid defaults (tests/test_factories.py checks each with full_clean()); a test that
needs an object in a later phase of its workflow builds it through the services
(tests/conditions_data.py, tests/arbeidsboks_data.py) so the phase is one the application reaches."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from alnaaktiv.fnr import KVINNE
from alnaaktiv.models import Membership, Office, Role, User
from arbeidsboks.models import Arbeidsomrade, Frammote, Plassering, Virksomhet
from cases.models import CourseEvent, Deltaker, Person, Sak, Samtykke
from conditions.models import Oppheving, Vedtak, Vilkar
from tests.extracts import fnr_born

PASSWORD = "test-passord-123"
OFFICE_NAMES = {"0326": "NAV Alna", "0328": "NAV Stovner"}
# The day ages count from: the conditions tests' today. A person made "40 years old" is 40 on it
# and for 40 days after.
AGE_DAY = datetime.date(2026, 3, 2)
COURSE_START = datetime.date(2026, 1, 5)


class OfficeFactory(DjangoModelFactory):
    """NAV Alna unless told otherwise; get_or_create, since data migrations may have made it."""

    class Meta:
        model = Office
        django_get_or_create = ("enhetsnummer",)

    enhetsnummer = "0326"
    name = factory.LazyAttribute(lambda office: OFFICE_NAMES.get(office.enhetsnummer, f"NAV {office.enhetsnummer}"))


class UserFactory(DjangoModelFactory):
    """UserFactory(username="veileder", memberships=[(alna, Role.VEILEDER)]): a role per pair."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    password = Password(PASSWORD)

    @factory.post_generation
    def memberships(user, create, extracted, **kwargs):
        for office, role in extracted or ():
            MembershipFactory(user=user, office=office, role=role)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "office", "role")

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.VEILEDER


def role_user(username: str, office: Office, *roles: str, **fields) -> User:
    """A named user with the given roles in one office (the shared users of conftest.py)."""
    return UserFactory(username=username, memberships=[(office, role) for role in roles], **fields)


def named_users(alna: Office, stovner: Office) -> dict[str, User]:
    """The shared users: one per role in Alna (named after the role, the admin is staff), a
    Stovner veileder, and a user with no role."""
    named = {role: role_user(role, alna, role, is_staff=role == Role.ADMIN) for role in Role.values}
    named["veileder_stovner"] = role_user("veileder_stovner", stovner, Role.VEILEDER)
    named["uten_rolle"] = role_user("uten_rolle", alna)
    return named


def birth_date_for_age(age: int, n: int) -> datetime.date:
    """Someone `age` years old on AGE_DAY, born on a day that varies with `n` (one birth date has
    only a few hundred fødselsnumre)."""
    return AGE_DAY.replace(year=AGE_DAY.year - age) - datetime.timedelta(days=40 + n % 300)


class PersonFactory(DjangoModelFactory):
    """A person of 40 (PersonFactory(age=24) for a younger one) with a synthetic fødselsnummer
    never used before in the run."""

    class Meta:
        model = Person

    class Params:
        age = 40

    navn = factory.Sequence(lambda n: f"Testperson Nummer{n}")
    fnr = factory.LazyAttributeSequence(lambda person, n: fnr_born(birth_date_for_age(person.age, n), KVINNE))


class SakFactory(DjangoModelFactory):
    """A household case (Oskar sak) with a hovedperson and, if given, an ektefelle."""

    class Meta:
        model = Sak

    office = factory.SubFactory(OfficeFactory)
    saksnummer = factory.Sequence(lambda n: f"V-{n:05d}")
    hovedperson = factory.SubFactory(PersonFactory)
    ektefelle = None
    inntektstype = "hovedinntekt"


class DeltakerFactory(DjangoModelFactory):
    """A participant as a kandidat, without course events; `deltaker_with_course` gives the course."""

    class Meta:
        model = Deltaker

    person = factory.SubFactory(PersonFactory)
    office = factory.SubFactory(OfficeFactory)
    status = "kandidat"
    status_dato = COURSE_START


class CourseEventFactory(DjangoModelFactory):
    class Meta:
        model = CourseEvent

    deltaker = factory.SubFactory(DeltakerFactory)
    state = "kandidat"
    date = COURSE_START


def deltaker_with_course(events, **fields) -> Deltaker:
    """A participant whose course went through `events`, in order: (state, date) or (state, date,
    rute or utfall), or dicts of CourseEvent fields. Its status is the last event's."""
    steps = [event if isinstance(event, dict) else _course_step(*event) for event in events]
    deltaker = DeltakerFactory(status=steps[-1]["state"], status_dato=steps[-1]["date"], **fields)
    for step in steps:
        CourseEventFactory(deltaker=deltaker, **step)
    return deltaker


class SamtykkeFactory(DjangoModelFactory):
    """The participant's consent to share with KAREA, in force, given on the course's first day."""

    class Meta:
        model = Samtykke

    deltaker = factory.SubFactory(DeltakerFactory)
    gitt_dato = COURSE_START
    mate = "skriftlig"
    registrert_av = factory.SubFactory(UserFactory)


def with_consent(*deltakere: Deltaker, **fields) -> Deltaker:
    """Register a consent in force to share with KAREA for each participant (KAREA sees a referred
    participant only with one, issue 16); returns the first, so `with_consent(make_deltaker(...))`
    reads as the participant KAREA may open."""
    for deltaker in deltakere:
        SamtykkeFactory(deltaker=deltaker, **fields)
    return deltakere[0]


def _course_step(state: str, date: datetime.date, outcome: str = "") -> dict:
    return {"state": state, "date": date, "rute": outcome if state == "avklart" else "",
            "utfall": outcome if state == "avsluttet" else ""}


def path_events(path, start: datetime.date = COURSE_START) -> list[tuple]:
    """The states of `path` one day apart from `start`; avklart routes to Arbeidsboks, avsluttet
    ends in work."""
    outcome = {"avklart": "arbeidsboks", "avsluttet": "arbeid"}
    return [(state, start + datetime.timedelta(days=offset), outcome.get(state, ""))
            for offset, state in enumerate(path)]


class VedtakFactory(DjangoModelFactory):
    """A registered vedtak, not decided yet, on a household case."""

    class Meta:
        model = Vedtak

    sak = factory.SubFactory(SakFactory)
    office = factory.SelfAttribute("sak.office")
    soknad_mottatt = datetime.date(2026, 2, 20)
    periode_fra = factory.SelfAttribute("soknad_mottatt")
    periode_til = factory.LazyAttribute(lambda vedtak: vedtak.periode_fra + datetime.timedelta(days=30))
    belop = Decimal("5000")


class VilkarFactory(DjangoModelFactory):
    """An open documentation vilkår for the hovedperson of the vedtak's case."""

    class Meta:
        model = Vilkar

    vedtak = factory.SubFactory(VedtakFactory)
    person = factory.SelfAttribute("vedtak.sak.hovedperson")
    rolle = "hovedperson"
    kind = "dokumentasjon"
    hjemmel = "sotjl_20"
    beskrivelse = "Lever kvittering for husleie"
    frist = datetime.date(2026, 3, 9)


class OpphevingFactory(DjangoModelFactory):
    """A lifting prepared by a vedtak user, waiting for a leader."""

    class Meta:
        model = Oppheving

    vedtak = factory.SubFactory(VedtakFactory)
    status = "forberedt"
    prepared_by = factory.SubFactory(UserFactory)
    prepared_at = factory.LazyFunction(timezone.now)


class VirksomhetFactory(DjangoModelFactory):
    class Meta:
        model = Virksomhet
        django_get_or_create = ("office", "navn")

    office = factory.SubFactory(OfficeFactory)
    navn = "Alna renhold og tekniske"
    kontaktperson = "Kari Driftsleder"


class ArbeidsomradeFactory(DjangoModelFactory):
    """A work area of two places, 30 hours a week."""

    class Meta:
        model = Arbeidsomrade

    virksomhet = factory.SubFactory(VirksomhetFactory)
    navn = "Renhold"
    kapasitet = 2
    normal_timer_per_uke = Decimal("30")
    laeringsinnhold = "Renhold og rutiner"


class PlasseringFactory(DjangoModelFactory):
    """A running work-training placement, 20 hours a week."""

    class Meta:
        model = Plassering

    deltaker = factory.SubFactory(DeltakerFactory)
    arbeidsomrade = factory.SubFactory(ArbeidsomradeFactory)
    kind = "arbeidstrening"
    status = "aktiv"
    startdato = datetime.date(2026, 2, 2)
    planlagt_slutt = datetime.date(2026, 5, 29)
    timer_per_uke = Decimal("20")
    veileder_pa_stedet = "Ola Arbeidsleder"
    mal = "Lære renholdsrutiner og møte presist"
    ikke_fortrengning = True
    created_by = factory.SubFactory(UserFactory)


class FrammoteFactory(DjangoModelFactory):
    """A full week of attendance in the placement's first week."""

    class Meta:
        model = Frammote

    plassering = factory.SubFactory(PlasseringFactory)
    uke = factory.SelfAttribute("plassering.startdato")
    planlagte_timer = Decimal("20")
    oppmotte_timer = Decimal("20")
    planlagte_dager = 5
    oppmotte_dager = 5
    registrert_av = factory.SubFactory(UserFactory)
