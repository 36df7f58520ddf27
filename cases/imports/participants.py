"""Migrating the pilot's tracking list (docs/contracts.md, import_participants): one row per
participant, every filled date column becomes the course transition of that name. Messages name
the line, never the fødselsnummer (they end up on pages and in logs); a row that would enrol or
change a protected person of another office is listed for the user to check.

The import has the shape of every import (cases.imports): parse the rows into typed rows (the
first reason of an invalid row is its error), plan against what is stored (refusing the whole
list on any error unless the caller skips the invalid rows), then write in one transaction."""
import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.dates import parse_date
from alnaaktiv.models import AuditEntry, Office
from cases.choices import Arbeidssokerstatus, Malgruppe, SakRolle
from cases.imports.common import (
    CellError,
    CsvFile,
    CsvRow,
    ImportErrors,
    ImportResult,
    in_column,
    parse_choice,
    parse_fnr_cell,
    parse_text,
    read_csv,
    refuse_or_report,
)
from cases.imports.registers import NAVN_MAX_LENGTH, PROTECTED_ELSEWHERE, persons_with_saker_elsewhere
from cases.models import CourseEvent, Deltaker, Landbakgrunn, Lopsstatus, MalgruppeKilde, Person, Rute, Sak, Utfall
from cases.services import TRANSITIONS, derive_malgruppe

REQUIRED = ["fnr", "navn", "henvist"]
OPTIONAL = ["saksnummer", "rolle", "malgruppe", "landbakgrunn", "arbeidssokerstatus", "mott", "ikke_mott",
            "kartlegging_startet", "avklart", "rute", "avsluttet", "utfall"]
# Date column -> the state it enters, in the order a course passes them.
DATE_COLUMNS = [
    ("henvist", Lopsstatus.HENVIST), ("ikke_mott", Lopsstatus.IKKE_MOTT), ("mott", Lopsstatus.MOTT),
    ("kartlegging_startet", Lopsstatus.I_KARTLEGGING), ("avklart", Lopsstatus.AVKLART),
    ("avsluttet", Lopsstatus.AVSLUTTET),
]


class ImportedEvent(NamedTuple):
    """One course transition of the list, compared as a tuple with the stored events."""

    state: str
    date: datetime.date
    rute: str
    utfall: str


@dataclass
class ParticipantRow:
    line: int
    fnr: str
    navn: str
    saksnummer: str
    rolle: str
    malgruppe: str
    landbakgrunn: str
    arbeidssokerstatus: str
    events: list[ImportedEvent]


# --- parse: each row into a ParticipantRow; the first reason of an invalid row is its error ---

def _dated_states(row: CsvRow, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """The filled date columns as (state, date), in the columns' order."""
    dated = []
    for column, state in DATE_COLUMNS:
        if row.get(column):
            date = in_column(column, parse_date, row.get(column))
            if date > today:
                raise CellError(column, f"{column} {date:%d.%m.%Y} er fram i tid")
            dated.append((state, date))
    if not row.get("henvist"):
        raise CellError("henvist", "henvist må fylles ut")
    return dated


def _optional_choice(row: CsvRow, column: str, choices: list[str]) -> str:
    return in_column(column, parse_choice, row.get(column), choices, column) if row.get(column) else ""


def _outcome(row: CsvRow) -> tuple[str, str]:
    """Rute goes with the date for avklart, utfall with the date for avsluttet."""
    rute = _optional_choice(row, "rute", Rute.values)
    utfall = _optional_choice(row, "utfall", Utfall.values)
    if rute and not row.get("avklart"):
        raise CellError("rute", "rute er fylt ut uten dato for avklart")
    if row.get("avklart") and not rute:
        raise CellError("avklart", "avklart er fylt ut uten rute")
    if utfall and not row.get("avsluttet"):
        raise CellError("utfall", "utfall er fylt ut uten dato for avsluttet")
    if row.get("avsluttet") and not utfall:
        raise CellError("avsluttet", "avsluttet er fylt ut uten utfall")
    return rute, utfall


def _course(dated: list[tuple[str, datetime.date]], rute: str, utfall: str) -> list[ImportedEvent]:
    """The transitions in date order, each one a transition the course allows."""
    dated = sorted(dated, key=lambda event: event[1])  # stable: same-day events keep the course's order
    state, previous = Lopsstatus.KANDIDAT, None
    for next_state, date in dated:
        if next_state not in TRANSITIONS[state]:
            raise ValueError(f"{Lopsstatus(next_state).label.lower()} kan ikke følge {Lopsstatus(state).label.lower()}")
        if previous and date < previous:
            raise ValueError("datoene i løpet går bakover")
        state, previous = next_state, date
    return [
        ImportedEvent(state, date, rute if state == Lopsstatus.AVKLART else "",
                      utfall if state == Lopsstatus.AVSLUTTET else "")
        for state, date in dated
    ]


def _choices(row: CsvRow) -> dict[str, str]:
    """The coded columns, each with its default when empty."""
    return {
        "rolle": in_column("rolle", parse_choice, row.get("rolle") or SakRolle.HOVEDPERSON, SakRolle.values, "rolle"),
        "malgruppe": _optional_choice(row, "malgruppe", Malgruppe.values),
        "landbakgrunn": in_column("landbakgrunn", parse_choice, row.get("landbakgrunn") or "ukjent",
                                  Landbakgrunn.values, "landbakgrunn"),
        "arbeidssokerstatus": in_column("arbeidssokerstatus", parse_choice,
                                        row.get("arbeidssokerstatus") or "ikke_registrert",
                                        Arbeidssokerstatus.values, "arbeidssokerstatus"),
    }


def _parse_row(row: CsvRow, today: datetime.date) -> ParticipantRow:
    """The row, or a ValueError with its first reason, checked in the order the list is read."""
    if row.error:
        raise ValueError(row.error)
    fnr = in_column("fnr", parse_fnr_cell, row.get("fnr"))
    navn = in_column("navn", parse_text, row.get("navn"), "navn", NAVN_MAX_LENGTH)
    dated = _dated_states(row, today)
    rute, utfall = _outcome(row)
    events = _course(dated, rute, utfall)
    return ParticipantRow(line=row.line, fnr=fnr, navn=navn, saksnummer=row.get("saksnummer"), events=events,
                          **_choices(row))


def _parse_rows(csv_file: CsvFile, errors: ImportErrors) -> list[ParticipantRow]:
    today = timezone.localdate()
    parsed, first_line = [], {}
    for row in csv_file.rows:
        try:
            item = _parse_row(row, today)
            if item.fnr in first_line:
                raise CellError("fnr", f"personen står allerede på linje {first_line[item.fnr]}")
        except ValueError as error:
            errors.add_error(row.line, error)
            continue
        first_line[item.fnr] = item.line
        parsed.append(item)
    return parsed


# --- plan: check against what is stored, then count, list and decide what to write ---------

@dataclass
class _Stored:
    """What the database holds for the rows: persons by fnr, the office's cases by saksnummer,
    the office's participants by fnr."""

    persons: dict[str, Person]
    saker: dict[str, Sak]
    deltakere: dict[str, Deltaker]


def _look_up(parsed: list[ParticipantRow], office: Office) -> _Stored:
    fnrs = [item.fnr for item in parsed]
    saksnumre = {item.saksnummer for item in parsed if item.saksnummer}
    deltakere = (
        Deltaker.objects.filter(office=office, person__fnr__in=fnrs)
        .select_related("person").prefetch_related("events")
    )
    return _Stored(
        persons=Person.objects.in_bulk(fnrs, field_name="fnr"),
        saker={sak.saksnummer: sak for sak in Sak.objects.filter(office=office, saksnummer__in=saksnumre)},
        deltakere={deltaker.person.fnr: deltaker for deltaker in deltakere},
    )


def _stored_events(deltaker: Deltaker) -> list[tuple]:
    return [(event.state, event.date, event.rute, event.utfall) for event in deltaker.events.all()]


def _conflict(item: ParticipantRow, stored: _Stored, office: Office) -> str:
    """Why the row cannot be imported over what is stored, or ""."""
    if item.saksnummer and item.saksnummer not in stored.saker:
        return f"fant ikke sak {item.saksnummer} ved kontor {office.enhetsnummer}"
    existing = stored.deltakere.get(item.fnr)
    if existing is not None and _stored_events(existing) != item.events and any(
        event.created_by_id is not None for event in existing.events.all()
    ):
        return "løpet er registrert i Alna Aktiv og blir ikke overskrevet av importen"
    return ""


def _check_against_stored(parsed: list[ParticipantRow], stored: _Stored, office: Office,
                          errors: ImportErrors) -> list[ParticipantRow]:
    """The rows that may be imported; a case that is not found or a course registered in the
    app (never overwritten) is the row's error."""
    valid = []
    for item in parsed:
        reason = _conflict(item, stored, office)
        if reason:
            errors.add(item.line, reason)
        else:
            valid.append(item)
    return valid


def _is_unchanged(item: ParticipantRow, existing: Deltaker | None) -> bool:
    return (
        existing is not None
        and _stored_events(existing) == item.events
        and existing.malgruppe == (item.malgruppe or existing.malgruppe)
        and existing.arbeidssokerstatus == item.arbeidssokerstatus
    )


def _plan(valid: list[ParticipantRow], stored: _Stored, office: Office, result: ImportResult) -> list[ParticipantRow]:
    """Count each row as created, updated or unchanged, list those that enrol or change a
    protected person of another office, and return the rows to write."""
    protected = [person.pk for person in stored.persons.values() if access.is_protected(person)]
    elsewhere = persons_with_saker_elsewhere(protected, office) if protected else set()
    changes = []
    for item in valid:
        existing = stored.deltakere.get(item.fnr)
        if _is_unchanged(item, existing):
            result.unchanged += 1
            continue
        if existing is None:
            result.created += 1
        else:
            result.updated += 1
        person = stored.persons.get(item.fnr)
        if person is not None and person.pk in elsewhere:
            result.add_notice(item.line, PROTECTED_ELSEWHERE)
        changes.append(item)
    return changes


# --- write ----------------------------------------------------------------------------------

def _person(item: ParticipantRow, stored: _Stored) -> Person:
    person = stored.persons.get(item.fnr)
    if person is None:
        person = Person(fnr=item.fnr, navn=item.navn, landbakgrunn=item.landbakgrunn)
        # The database checks the constraints on save; validating them here too cost a query
        # each, most of a large list's confirm time (docs/benchmarks.md, issue 11).
        person.full_clean(validate_constraints=False)
        person.save()
        stored.persons[item.fnr] = person
    return person


def _save_deltaker(item: ParticipantRow, person: Person, stored: _Stored, office: Office) -> Deltaker:
    existing = stored.deltakere.get(item.fnr)
    sak = stored.saker.get(item.saksnummer)
    deltaker = existing or Deltaker(person=person, office=office)
    deltaker.sak, deltaker.rolle = sak, item.rolle
    deltaker.arbeidssokerstatus = item.arbeidssokerstatus
    deltaker.status, deltaker.status_dato = item.events[-1].state, item.events[-1].date
    if item.malgruppe:
        deltaker.malgruppe, deltaker.malgruppe_kilde = item.malgruppe, MalgruppeKilde.IMPORTERT
    elif deltaker.malgruppe_kilde == MalgruppeKilde.AVLEDET:
        deltaker.malgruppe = derive_malgruppe(person=person, sak=sak, on_date=item.events[0].date)
    deltaker.full_clean(validate_constraints=False)  # existing participant looked up above: unique
    deltaker.save()
    return deltaker


def _write_participant(item: ParticipantRow, stored: _Stored, *, office: Office, actor: Actor) -> AuditEntry:
    """Write one row's person, participant and course; returns its audit entry, not yet saved."""
    existing = stored.deltakere.get(item.fnr)
    person = _person(item, stored)
    deltaker = _save_deltaker(item, person, stored, office)
    if existing is not None:
        existing.events.all().delete()
    CourseEvent.objects.bulk_create([
        CourseEvent(deltaker=deltaker, state=event.state, date=event.date, rute=event.rute, utfall=event.utfall)
        for event in item.events
    ])
    return audit.build_entry(
        AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE, actor=actor, obj=deltaker,
        person=person, office=office.enhetsnummer,
    )


@transaction.atomic
def import_participants(
    data: bytes, *, actor: Actor, office: Office, skip_invalid: bool = False, dry_run: bool = False,
) -> ImportResult:
    """All or nothing by default. Re-importing the same list changes nothing; a participant
    whose course was registered in the app (not by import) is never overwritten."""
    csv_file = read_csv(data, required=REQUIRED, optional=OPTIONAL)
    errors = ImportErrors()
    parsed = _parse_rows(csv_file, errors)
    stored = _look_up(parsed, office)
    valid = _check_against_stored(parsed, stored, office, errors)
    result = ImportResult(rows=len(csv_file.rows), errors=refuse_or_report(errors, skip_invalid=skip_invalid),
                          dry_run=dry_run)
    changes = _plan(valid, stored, office, result)
    if not dry_run:
        AuditEntry.objects.bulk_create(
            [_write_participant(item, stored, office=office, actor=actor) for item in changes]
        )
    return result
