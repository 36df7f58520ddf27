"""Screening the target group (docs/domain.md §4): the funnel of an office's social-assistance cases
on a reference date, counted by the case's hovedperson, from the newest Oskar and Arena
snapshots on or before that date. The screening's one write, excluding a candidate, is in
cases.services.screening.

The selector reads each table once (snapshots, the Oskar rows with their persons, the job
seekers in the window, the exclusions, the office's participants) and counts in Python, so it
runs five queries whatever the office's size."""
import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q

from alnaaktiv.dates import age_on
from alnaaktiv.models import Office
from cases.choices import Innsatsgruppe, SakRolle
from cases.models import (
    ArenaRecord,
    Deltaker,
    Inntektstype,
    Landbakgrunn,
    Lopsstatus,
    OskarRecord,
    Person,
    RegisterSnapshot,
    ScreeningExclusion,
)

# Persons with these innsatsgrupper already have a veileder (docs/domain.md §4, step 5).
ALREADY_FOLLOWED = frozenset(
    {Innsatsgruppe.SPESIELT_TILPASSET, Innsatsgruppe.VARIG_TILPASSET, Innsatsgruppe.GRADERT_VARIG_TILPASSET}
)
IMMIGRANT_BACKGROUND = frozenset({Landbakgrunn.OECD, Landbakgrunn.IKKE_OECD})
YOUTH_AGE_LIMIT = 25

COUNT_KEYS = [
    "mottakere", "hovedinntekt", "supplerende", "arbeidssokere", "innvandrerbakgrunn", "oppfolges_allerede",
    "ekskludert", "kandidater", "ungdom_under_25", "kandidatsaker_med_ektefelle", "ektefeller_arbeidssokere",
]


@dataclass(frozen=True)
class PersonRef:
    """What the candidate list needs of a person; has the attributes access.may_see_person reads."""

    id: int
    navn: str
    fnr: str
    fodselsdato: datetime.date
    adressebeskyttelse: str
    skjermet: bool


@dataclass(frozen=True)
class Candidate:
    saksnummer: str
    hovedperson: PersonRef
    ektefelle: PersonRef | None
    landbakgrunn: str
    arbeidssokerstatus: str
    innsatsgruppe: str
    ektefelle_arbeidssoker: bool
    deltaker_id: int | None
    deltaker_status: str = ""  # the participant's course state, "" when not enrolled

    @property
    def is_deltaker(self) -> bool:
        return self.deltaker_id is not None

    @property
    def deltaker_status_label(self) -> str:
        return Lopsstatus(self.deltaker_status).label if self.deltaker_status else ""

    def get_landbakgrunn_display(self) -> str:
        return Landbakgrunn(self.landbakgrunn).label


@dataclass
class Funnel:
    office: str
    as_of: datetime.date
    window_months: int
    oskar_as_of: datetime.date | None = None
    arena_as_of: datetime.date | None = None
    mottakere: int = 0
    hovedinntekt: int = 0
    supplerende: int = 0
    arbeidssokere: int = 0
    innvandrerbakgrunn: int = 0
    oppfolges_allerede: int = 0
    ekskludert: int = 0
    kandidater: int = 0
    ungdom_under_25: int = 0
    kandidatsaker_med_ektefelle: int = 0
    ektefeller_arbeidssokere: int = 0
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The JSON object of docs/contracts.md ("Screening")."""
        return {"office": self.office, "as_of": self.as_of.isoformat(), **{key: getattr(self, key) for key in COUNT_KEYS}}

    @property
    def steps(self) -> list[dict]:
        """The funnel's steps as the page and the command's table show them."""
        window = f"på datoen eller siste {self.window_months} måneder før"
        return [
            {"number": 1, "label": "Mottakere av sosialhjelp (saker)", "count": self.mottakere, "note": ""},
            {"number": 2, "label": "Sosialhjelp som hovedinntekt", "count": self.hovedinntekt,
             "note": f"{self.supplerende} saker har supplerende sosialhjelp"},
            {"number": 3, "label": "Registrert som arbeidssøker", "count": self.arbeidssokere, "note": window},
            {"number": 4, "label": "Med innvandrerbakgrunn", "count": self.innvandrerbakgrunn,
             "note": "vises, trekkes ikke fra"},
            {"number": 5, "label": "Følges allerede opp (spesielt eller varig tilpasset innsats)",
             "count": self.oppfolges_allerede, "note": "trekkes fra"},
            {"number": 6, "label": "Ekskludert (åpenbare hindringer)", "count": self.ekskludert, "note": "trekkes fra"},
            {"number": 7, "label": "Kandidater", "count": self.kandidater, "note": ""},
        ]

    @property
    def extras(self) -> list[dict]:
        return [
            {"label": "Personer under 25 år (hovedperson eller ektefelle)", "count": self.ungdom_under_25},
            {"label": "Kandidatsaker med ektefelle", "count": self.kandidatsaker_med_ektefelle},
            {"label": "Av disse ektefellene: registrert som arbeidssøker", "count": self.ektefeller_arbeidssokere},
        ]


def newest_snapshots(office: str, as_of: datetime.date) -> dict[str, RegisterSnapshot]:
    """The newest snapshot of each register of the office on or before `as_of`, in one query."""
    newest: dict[str, RegisterSnapshot] = {}
    for snapshot in RegisterSnapshot.objects.filter(office__enhetsnummer=office, as_of__lte=as_of).order_by("-as_of"):
        newest.setdefault(snapshot.kind, snapshot)
    return newest


def _oskar_cases(oskar: RegisterSnapshot, as_of: datetime.date) -> tuple[dict[str, tuple], dict[str, PersonRef], set[int]]:
    """The Oskar snapshot's cases by saksnummer: the hovedperson's row, the spouse, and who of all
    of them is under 25 on `as_of`."""
    main_rows: dict[str, tuple] = {}
    spouses: dict[str, PersonRef] = {}
    young: set[int] = set()
    rows = OskarRecord.objects.filter(snapshot=oskar).values_list(
        "saksnummer", "rolle", "inntektstype", "landbakgrunn", "person_id", "person__navn", "person__fnr",
        "person__fodselsdato", "person__adressebeskyttelse", "person__skjermet",
    )
    for saksnummer, rolle, inntektstype, landbakgrunn, *person_fields in rows.iterator(chunk_size=5000):
        person = PersonRef(*person_fields)
        if age_on(person.fodselsdato, as_of) < YOUTH_AGE_LIMIT:
            young.add(person.id)
        if rolle == SakRolle.HOVEDPERSON:
            main_rows[saksnummer] = (inntektstype, landbakgrunn, person)
        else:
            spouses[saksnummer] = person
    return main_rows, spouses, young


def _jobseekers(arena: RegisterSnapshot | None, as_of: datetime.date, window_months: int) -> dict[int, tuple[str, str]]:
    """Person id → (arbeidssøkerstatus, innsatsgruppe) of those registered on `as_of` or within the
    window before it."""
    if arena is None:
        return {}
    window_start = as_of - relativedelta(months=window_months)
    return {
        person_id: (status, innsatsgruppe)
        for person_id, status, innsatsgruppe in ArenaRecord.objects.filter(
            Q(registrert_til__isnull=True) | Q(registrert_til__gte=window_start),
            snapshot=arena, registrert_fra__lte=as_of,
        ).values_list("person_id", "arbeidssokerstatus", "innsatsgruppe").iterator(chunk_size=5000)
    }


@dataclass
class _Registers:
    """What the funnel's steps look up per case."""

    spouses: dict[str, PersonRef]
    jobseekers: dict[int, tuple[str, str]]
    excluded: set[int]
    participants: dict[int, tuple[int, str]]  # person id → (participant id, course state)


def _count_case(funnel: Funnel, saksnummer: str, case: tuple, registers: _Registers) -> None:
    """One case through the funnel's steps: it stops at the first step it does not pass."""
    inntektstype, landbakgrunn, person = case
    if inntektstype != Inntektstype.HOVEDINNTEKT:
        funnel.supplerende += 1
        return
    funnel.hovedinntekt += 1
    if person.id not in registers.jobseekers:
        return
    funnel.arbeidssokere += 1
    status, innsatsgruppe = registers.jobseekers[person.id]
    funnel.innvandrerbakgrunn += landbakgrunn in IMMIGRANT_BACKGROUND
    if innsatsgruppe in ALREADY_FOLLOWED:
        funnel.oppfolges_allerede += 1
        return
    if person.id in registers.excluded:
        funnel.ekskludert += 1
        return
    funnel.kandidater += 1
    spouse = registers.spouses.get(saksnummer)
    spouse_seeks_work = spouse is not None and spouse.id in registers.jobseekers
    if spouse is not None:
        funnel.kandidatsaker_med_ektefelle += 1
        funnel.ektefeller_arbeidssokere += spouse_seeks_work
    participant = registers.participants.get(person.id)
    funnel.candidates.append(Candidate(
        saksnummer=saksnummer, hovedperson=person, ektefelle=spouse, landbakgrunn=landbakgrunn,
        arbeidssokerstatus=status, innsatsgruppe=innsatsgruppe, ektefelle_arbeidssoker=spouse_seeks_work,
        deltaker_id=participant[0] if participant else None, deltaker_status=participant[1] if participant else "",
    ))


def screen(*, office: Office | str, as_of: datetime.date, window_months: int | None = None) -> Funnel:
    """The funnel of docs/domain.md §4 for `office` on `as_of`, with the candidate cases sorted by
    the hovedperson's name. A person is a job seeker on D when registered from D or earlier and
    not deregistered before D minus the window."""
    enhetsnummer = office.enhetsnummer if isinstance(office, Office) else office
    if window_months is None:
        window_months = settings.SCREENING_WINDOW_MONTHS
    funnel = Funnel(office=enhetsnummer, as_of=as_of, window_months=window_months)
    snapshots = newest_snapshots(enhetsnummer, as_of)
    oskar = snapshots.get(RegisterSnapshot.Kind.OSKAR)
    arena = snapshots.get(RegisterSnapshot.Kind.ARENA)
    if oskar is None:
        return funnel
    funnel.oskar_as_of = oskar.as_of
    funnel.arena_as_of = arena.as_of if arena else None
    main_rows, spouses, young = _oskar_cases(oskar, as_of)
    funnel.mottakere = len(main_rows)
    funnel.ungdom_under_25 = len(young)
    registers = _Registers(
        spouses=spouses,
        jobseekers=_jobseekers(arena, as_of, window_months),
        excluded=set(ScreeningExclusion.objects.filter(office__enhetsnummer=enhetsnummer, undone_at__isnull=True)
                     .values_list("person_id", flat=True)),
        participants={person_id: (pk, status) for person_id, pk, status in Deltaker.objects.filter(
            office__enhetsnummer=enhetsnummer).values_list("person_id", "id", "status")},
    )
    for saksnummer, case in main_rows.items():
        _count_case(funnel, saksnummer, case, registers)
    funnel.candidates.sort(key=lambda candidate: (candidate.hovedperson.navn.lower(), candidate.saksnummer))
    return funnel


def is_in_office_registers(*, office: Office, person: Person) -> bool:
    """Whether the person is in any Oskar extract of the office: the screening's scope."""
    return OskarRecord.objects.filter(snapshot__office=office, person=person).exists()
