"""Synthetic national-size data for benchmarks (seed_scale): households as an Oskar and an
Arena extract, and a share of them enrolled with courses. Bulk inserts only."""
import datetime
import hashlib
import random

from django.db import transaction
from django.db.models import F

from alnaaktiv.fnr import KVINNE, MANN, make_synthetic_fnr
from alnaaktiv.models import Office, User
from alnaaktiv.text import search_key
from cases.models import (
    ArenaRecord,
    CourseEvent,
    Deltaker,
    OskarRecord,
    Person,
    RegisterSnapshot,
    Sak,
)

BATCH = 5_000
COURSE_STEPS = ["kandidat", "henvist", "mott", "i_kartlegging", "avklart", "i_aktivitet"]
FIRST = ["Amina", "Ingrid", "Fatima", "Sara", "Ahmed", "Ole", "Mohammed", "Jonas", "Ali", "Lars", "Omar", "Per"]
LAST = ["Hansen", "Ali", "Johansen", "Hassan", "Olsen", "Mohamed", "Larsen", "Nguyen", "Berg", "Khan"]


def _new_people(rng: random.Random, count: int, taken: set[str], today: datetime.date) -> list[Person]:
    people = []
    while len(people) < count:
        gender = rng.choice([KVINNE, MANN])
        birth = today - datetime.timedelta(days=rng.randint(19 * 365, 64 * 365))
        fnr = make_synthetic_fnr(birth, gender, rng, offset=40)  # NAV series: apart from the demo's Tenor numbers
        if fnr in taken:
            continue
        taken.add(fnr)
        navn = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append(Person(fnr=fnr, navn=navn, navn_sok=search_key(navn), fodselsdato=birth, kjonn=gender,
                             landbakgrunn=rng.choice(["norge", "norge", "oecd", "ikke_oecd", "ikke_oecd", "ukjent"])))
    return people


@transaction.atomic
def seed_scale(*, households: int, office: Office, participant_share: float = 0.2, seed: int = 2014,
               as_of: datetime.date | None = None, veileder: User | None = None) -> dict:
    """Add `households` synthetic households to the office, their rows in the day's Oskar and
    Arena extracts, and enrol about `participant_share` of them with a course. The same seed on
    the same database gives the same data; a second run numbers its saker after the first's."""
    rng = random.Random(seed)
    today = datetime.date.today()
    as_of = as_of or today
    earlier = Sak.objects.filter(office=office, saksnummer__startswith="SKALA-").count()
    saker, spouses = _create_households(rng, households=households, office=office, numbered_after=earlier, today=today)
    # A second run on the same day adds its households to that day's extracts.
    digest = hashlib.sha256(f"skala-{seed}-{earlier}-{households}".encode()).hexdigest()
    _, arena_rows = _create_register_rows(rng, saker=saker, office=office, as_of=as_of, digest=digest)
    deltakere, events = _create_participants(rng, saker=saker, office=office, as_of=as_of,
                                             participant_share=participant_share, veileder=veileder)
    return {"households": households, "persons": households + len(spouses), "participants": len(deltakere),
            "events": len(events), "arena_rows": len(arena_rows)}


def _create_households(rng: random.Random, *, households: int, office: Office, numbered_after: int,
                       today: datetime.date) -> tuple[list[Sak], list[Person]]:
    """The main persons, a spouse in about a third of the households, and a sak for each."""
    taken = set(Person.objects.values_list("fnr", flat=True))
    mains = _new_people(rng, households, taken, today)
    Person.objects.bulk_create(mains, batch_size=BATCH)
    with_spouse = [index for index in range(households) if rng.random() < 0.35]
    spouses = _new_people(rng, len(with_spouse), taken, today)
    Person.objects.bulk_create(spouses, batch_size=BATCH)
    # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+.
    spouse_of = dict(zip(with_spouse, spouses, strict=True))
    saker = [
        Sak(office=office, saksnummer=f"SKALA-{numbered_after + index + 1:07d}", hovedperson=main,
            ektefelle=spouse_of.get(index), antall_barn=rng.choice([0, 0, 1, 2, 3]),
            inntektstype="hovedinntekt" if rng.random() < 0.66 else "supplerende")
        for index, main in enumerate(mains)
    ]
    Sak.objects.bulk_create(saker, batch_size=BATCH)
    return saker, spouses


def _create_register_rows(rng: random.Random, *, saker: list[Sak], office: Office, as_of: datetime.date,
                          digest: str) -> tuple[list[OskarRecord], list[ArenaRecord]]:
    """Every household member in the day's Oskar extract; six in ten also in Arena's."""
    oskar, _ = RegisterSnapshot.objects.get_or_create(office=office, kind="oskar", as_of=as_of,
                                                      defaults={"content_hash": digest, "row_count": 0})
    arena, _ = RegisterSnapshot.objects.get_or_create(office=office, kind="arena", as_of=as_of,
                                                      defaults={"content_hash": digest, "row_count": 0})
    oskar_rows, arena_rows = [], []
    for sak in saker:
        months = rng.randint(0, 12)
        for person, rolle in [(sak.hovedperson, "hovedperson")] + ([(sak.ektefelle, "ektefelle")] if sak.ektefelle else []):
            oskar_rows.append(OskarRecord(snapshot=oskar, saksnummer=sak.saksnummer, person=person, rolle=rolle,
                                          inntektstype=sak.inntektstype, antall_barn=sak.antall_barn,
                                          landbakgrunn=person.landbakgrunn, stonad_maneder_siste_12=months))
            if rng.random() < 0.6:
                arena_rows.append(_arena_record(rng, snapshot=arena, person=person, as_of=as_of))
    OskarRecord.objects.bulk_create(oskar_rows, batch_size=BATCH)
    ArenaRecord.objects.bulk_create(arena_rows, batch_size=BATCH)
    RegisterSnapshot.objects.filter(pk=oskar.pk).update(row_count=F("row_count") + len(oskar_rows))
    RegisterSnapshot.objects.filter(pk=arena.pk).update(row_count=F("row_count") + len(arena_rows))
    return oskar_rows, arena_rows


def _arena_record(rng: random.Random, *, snapshot: RegisterSnapshot, person: Person,
                  as_of: datetime.date) -> ArenaRecord:
    """A jobseeker registration from up to about four years back; three in ten have an end,
    which counts only once it has passed."""
    registered = as_of - datetime.timedelta(days=rng.randint(1, 1500))
    ended = registered + datetime.timedelta(days=rng.randint(30, 900)) if rng.random() < 0.3 else None
    return ArenaRecord(
        snapshot=snapshot, person=person, registrert_fra=registered,
        registrert_til=ended if ended and ended <= as_of else None,
        arbeidssokerstatus=rng.choice(["helt_ledig", "delvis_sysselsatt", "andre_arbeidssokere"]),
        innsatsgruppe=rng.choice(["standard", "situasjonsbestemt", "spesielt_tilpasset", "varig_tilpasset", ""]),
    )


def _create_participants(rng: random.Random, *, saker: list[Sak], office: Office, as_of: datetime.date,
                         participant_share: float, veileder: User | None) -> tuple[list[Deltaker], list[CourseEvent]]:
    """A share of the main persons enrolled, each with its course; one in twenty gets the veileder."""
    enrolled = [sak for sak in saker if rng.random() < participant_share]
    deltakere, courses = [], []
    for sak in enrolled:
        course = _course(rng, as_of)
        last_state, last_date = course[-1]
        deltakere.append(Deltaker(
            person=sak.hovedperson, office=office, sak=sak, status=last_state, status_dato=last_date,
            malgruppe=rng.choice(["ungdom_20_24", "eneforsorger", "langtidsmottaker", "ovrige"]),
            veileder=veileder if veileder and rng.random() < 0.05 else None,
        ))
        courses.append(course)
    Deltaker.objects.bulk_create(deltakere, batch_size=BATCH)
    events = [
        CourseEvent(deltaker=deltaker, state=state, date=date, rute="arbeidsboks" if state == "avklart" else "",
                    utfall="arbeid" if state == "avsluttet" else "")
        for deltaker, course in zip(deltakere, courses, strict=True)
        for state, date in course
    ]
    CourseEvent.objects.bulk_create(events, batch_size=BATCH)
    return deltakere, events


def _course(rng: random.Random, as_of: datetime.date) -> list[tuple[str, datetime.date]]:
    """(state, date) from kandidat on, a week apart, as far as the participant got; about one
    in seven has ended (avsluttet). The course started up to about two years before as_of."""
    steps = COURSE_STEPS[: rng.randint(1, len(COURSE_STEPS))]
    if rng.random() < 0.15:
        steps = [*steps, "avsluttet"]
    first = as_of - datetime.timedelta(days=rng.randint(len(steps) * 7, 700))
    return [(state, first + datetime.timedelta(days=7 * offset)) for offset, state in enumerate(steps)]
