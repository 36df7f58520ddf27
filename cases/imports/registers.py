"""Importing dated register extracts (docs/contracts.md, "Register extracts"): an Oskar extract of
social-assistance cases and an Arena extract of job seekers, each stored as one snapshot per
office, register and date.

The import has the shape of every import (cases.imports): parse each extract into typed rows,
collecting every error; refuse both files if either has one (unless the caller skips the
invalid rows); then plan and write each extract, in one transaction.

Rules enforced here:
- every field is validated and every bad row reported as `linje N: <reason>`; nothing is written
  unless every row is valid, or the caller asked to skip the invalid ones;
- a case has exactly one hovedperson and at most one ektefelle, a person is in an extract once,
  and the extract's `kontor` is the office imported for;
- re-importing identical content for the same office, register and date changes nothing; other
  content for that date replaces the snapshot's rows;
- persons are created from the rows; the newest Oskar snapshot of an office also updates the
  persons' register data and the office's cases (Sak), so an old extract never overwrites newer
  facts;
- one audit entry per snapshot written, none per row;
- an absent optional column or an empty cell never changes what is stored; an extract may raise a
  person's protection (adressebeskyttelse, skjermet) but never lower it: such a row is imported
  with the stored protection kept, listed in the summary and written to the security log;
- the optional `forstesprak` (an ISO 639-1 code, stored in small letters) and `tolk` (ja|nei) are
  stored on the person like the other register fields; `tolk=nei` also empties the interpreter
  language a veileder may have named;
- a row that renames a person who has a case or a course at another office is imported, listed
  and written to the security log; a row touching a protected person of another office is listed
  (docs/contracts.md, "Rules for what an extract may change"). Lists name the line, never the fnr.
"""
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.dates import parse_date
from alnaaktiv.fnr import shown
from alnaaktiv.models import Office
from cases.choices import Arbeidssokerstatus, Innsatsgruppe, SakRolle
from cases.imports.common import (
    CsvFile,
    CsvRow,
    ImportErrors,
    ImportRefused,
    ImportResult,
    RowError,
    parse_choice,
    parse_fnr_cell,
    parse_int,
    parse_text,
    read_csv,
    row_error,
)
from cases.models import (
    Adressebeskyttelse,
    ArenaRecord,
    Deltaker,
    Inntektstype,
    Landbakgrunn,
    OskarRecord,
    Person,
    RegisterSnapshot,
    Sak,
)
from cases.models.persons import ADDRESS_PROTECTION_RANK

OSKAR = RegisterSnapshot.Kind.OSKAR
ARENA = RegisterSnapshot.Kind.ARENA
KIND_LABELS = {OSKAR: "Oskar-uttrekket", ARENA: "Arena-uttrekket"}

OSKAR_COLUMNS = [
    "saksnummer", "fnr", "navn", "rolle", "inntektstype", "antall_barn", "landbakgrunn",
    "stonad_maneder_siste_12", "kontor",
]
OSKAR_OPTIONAL_COLUMNS = ["adressebeskyttelse", "skjermet", "forstesprak", "tolk"]
# Optional columns of docs/contracts.md (2026-11-30) that nothing stores yet: an extract that has them
# is read as one without them (an absent column changes nothing), instead of being refused.
OSKAR_ACCEPTED_COLUMNS = ["utbetalt_belop"]
ARENA_COLUMNS = ["fnr", "arbeidssokerstatus", "registrert_fra", "registrert_til", "innsatsgruppe"]
# Arena only registers persons who are job seekers; `ikke_registrert` is our own code.
ARENA_STATUSES = [value for value in Arbeidssokerstatus.values if value != Arbeidssokerstatus.IKKE_REGISTRERT]
# Arena's extract has no names; an Oskar extract fills the name in later.
ARENA_ONLY_NAME = "Ukjent navn (kun i Arena)"
# A name longer than the person's field is refused at its line in both imports.
NAVN_MAX_LENGTH = Person._meta.get_field("navn").max_length
# tolkesprak is never read from an extract; it is in the list because an extract that says the
# person needs no interpreter also empties the interpreter language a veileder may have named.
PERSON_REGISTER_FIELDS = ["navn", "landbakgrunn", "adressebeskyttelse", "skjermet", "forstesprak", "tolk",
                          "tolkesprak"]
SAK_FIELDS = ["hovedperson", "ektefelle", "antall_barn", "inntektstype"]
MAX_CHILDREN = 30
# Enum `.values` builds a new list on every call; read once, not once per row and column.
ROLLE_VALUES, INNTEKTSTYPE_VALUES = SakRolle.values, Inntektstype.values
LANDBAKGRUNN_VALUES, ADRESSEBESKYTTELSE_VALUES = Landbakgrunn.values, Adressebeskyttelse.values
INNSATSGRUPPE_VALUES = Innsatsgruppe.values
BATCH_SIZE = 1000



class RegisterImportRefused(ImportRefused):
    """Nothing was written. `row_errors` and `errors` hold every error, `row_errors_by_kind` and
    `errors_by_kind` the same per extract (oskar, arena) for callers that show them file by file."""

    def __init__(self, row_errors_by_kind: dict[str, list[RowError]]):
        super().__init__([error for errors in row_errors_by_kind.values() for error in errors])
        self.row_errors_by_kind = row_errors_by_kind
        self.errors_by_kind = {kind: [str(error) for error in errors] for kind, errors in row_errors_by_kind.items()}


@dataclass
class OskarRow:
    line: int
    saksnummer: str
    fnr: str
    navn: str
    rolle: str
    inntektstype: str
    antall_barn: int | None  # None: empty on an ektefelle row, the case's value is the hovedperson's
    landbakgrunn: str
    stonad_maneder_siste_12: int
    adressebeskyttelse: str | None  # None: column absent or cell empty, the stored value stays
    skjermet: bool | None
    forstesprak: str | None  # an ISO 639-1 code in small letters; None as above
    tolk: bool | None


@dataclass
class ArenaRow:
    line: int
    fnr: str
    arbeidssokerstatus: str
    registrert_fra: datetime.date
    registrert_til: datetime.date | None
    innsatsgruppe: str


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _resolve_office(office: Office | str) -> Office:
    return office if isinstance(office, Office) else Office.objects.get(enhetsnummer=office)


# --- parse: every row into a typed row, every reason of every invalid row collected ---------

def _field(errors: ImportErrors, line: int, column: str, parse, *args):
    """Run one field's parser; a ValueError becomes the line's reason and the field is None."""
    try:
        return parse(*args)
    except ValueError as error:
        errors.add(line, str(error), field=column)
        return None


def _choice(errors: ImportErrors, row: CsvRow, column: str, choices: list[str]) -> str | None:
    return _field(errors, row.line, column, parse_choice, row.get(column), choices, column)


def _optional_choice(errors: ImportErrors, row: CsvRow, column: str, choices: list[str]) -> str | None:
    """None when the cell is empty or the column absent: the stored value stays."""
    return _choice(errors, row, column, choices) if row.get(column) else None


def _required_text(errors: ImportErrors, row: CsvRow, column: str, max_length: int) -> str | None:
    return _field(errors, row.line, column, parse_text, row.get(column), column, max_length)


def _antall_barn(errors: ImportErrors, row: CsvRow) -> int | None:
    if not row.get("antall_barn") and row.get("rolle").lower() == SakRolle.EKTEFELLE:
        return None  # the case's number is the hovedperson's
    return _field(errors, row.line, "antall_barn", parse_int, row.get("antall_barn"), "antall_barn", 0, MAX_CHILDREN)


def _language_code(value: str) -> str:
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValueError(f"ugyldig forstesprak {shown(value.strip())} (en språkkode med to bokstaver "
                         "etter ISO 639-1, for eksempel so, ar, pl)")
    return code


def _optional_language(errors: ImportErrors, row: CsvRow) -> str | None:
    """None when the cell is empty or the column absent: the stored value stays."""
    value = row.get("forstesprak")
    return _field(errors, row.line, "forstesprak", _language_code, value) if value.strip() else None


def _check_kontor(errors: ImportErrors, row: CsvRow, office: Office) -> None:
    kontor = row.get("kontor")
    if kontor != office.enhetsnummer:
        given = shown(kontor) if kontor else "mangler"
        errors.add(row.line, f"kontor {given} er ikke kontoret det importeres for ({office.enhetsnummer})",
                   field="kontor")


def _oskar_values(errors: ImportErrors, row: CsvRow) -> dict:
    line = row.line
    return {
        "saksnummer": _required_text(errors, row, "saksnummer", 30),
        "fnr": _field(errors, line, "fnr", parse_fnr_cell, row.get("fnr")),
        "navn": _required_text(errors, row, "navn", NAVN_MAX_LENGTH),
        "rolle": _choice(errors, row, "rolle", ROLLE_VALUES),
        "inntektstype": _choice(errors, row, "inntektstype", INNTEKTSTYPE_VALUES),
        "antall_barn": _antall_barn(errors, row),
        "landbakgrunn": _choice(errors, row, "landbakgrunn", LANDBAKGRUNN_VALUES),
        "stonad_maneder_siste_12": _field(
            errors, line, "stonad_maneder_siste_12", parse_int, row.get("stonad_maneder_siste_12"),
            "stonad_maneder_siste_12", 0, 12,
        ),
        "adressebeskyttelse": _optional_choice(errors, row, "adressebeskyttelse", ADRESSEBESKYTTELSE_VALUES),
        "skjermet": _optional_choice(errors, row, "skjermet", ["ja", "nei"]),
        "forstesprak": _optional_language(errors, row),
        "tolk": _optional_choice(errors, row, "tolk", ["ja", "nei"]),
    }


def _parse_oskar_row(errors: ImportErrors, row: CsvRow, office: Office,
                     invalid_main_line: dict[str, int]) -> OskarRow | None:
    """The row, or None when it has an error (then noted as its case's invalid hovedperson)."""
    if row.error:
        errors.add(row.line, row.error)
        return None
    values = _oskar_values(errors, row)
    _check_kontor(errors, row, office)
    if row.line in errors:
        if values["saksnummer"] and values["rolle"] == SakRolle.HOVEDPERSON:
            invalid_main_line.setdefault(values["saksnummer"], row.line)
        return None
    for flag in ("skjermet", "tolk"):
        if values[flag] is not None:
            values[flag] = values[flag] == "ja"
    return OskarRow(line=row.line, **values)


def _check_once_per_extract(errors: ImportErrors, rows: Iterable) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        if row.fnr in first_line:
            errors.add(row.line, f"personen står allerede på linje {first_line[row.fnr]}", field="fnr")
        else:
            first_line[row.fnr] = row.line


def _note_invalid_main_rows(errors: ImportErrors, parsed: list[OskarRow], invalid_main_line: dict[str, int]) -> None:
    """A hovedperson row refused by a later check (a duplicate person) is its case's invalid one."""
    for row in parsed:
        if row.line in errors and row.rolle == SakRolle.HOVEDPERSON:
            invalid_main_line.setdefault(row.saksnummer, row.line)


def _fill_children(valid: list[OskarRow]) -> None:
    """An ektefelle row without antall_barn takes the case's number from the hovedperson row."""
    children = {row.saksnummer: row.antall_barn for row in valid if row.rolle == SakRolle.HOVEDPERSON}
    for row in valid:
        if row.antall_barn is None:
            row.antall_barn = children[row.saksnummer]


def parse_oskar(csv_file: CsvFile, office: Office) -> tuple[list[OskarRow], list[RowError]]:
    """Valid rows and the errors of the invalid ones."""
    errors = ImportErrors()
    invalid_main_line: dict[str, int] = {}
    parsed = [
        oskar_row for row in csv_file.rows
        if (oskar_row := _parse_oskar_row(errors, row, office, invalid_main_line)) is not None
    ]
    _check_once_per_extract(errors, parsed)
    _note_invalid_main_rows(errors, parsed, invalid_main_line)
    valid = [row for row in parsed if row.line not in errors]
    _check_sak_structure(errors, valid, invalid_main_line)
    valid = [row for row in valid if row.line not in errors]
    _fill_children(valid)
    return valid, errors.rows()


def _missing_main_reason(saksnummer: str, invalid_main_line: dict[str, int]) -> str:
    if saksnummer in invalid_main_line:
        return f"sak {saksnummer} mangler gyldig hovedperson (se linje {invalid_main_line[saksnummer]})"
    return f"sak {saksnummer} mangler hovedperson"


def _check_sak_structure(errors: ImportErrors, valid: list[OskarRow], invalid_main_line: dict[str, int]) -> None:
    """Exactly one hovedperson and at most one ektefelle per case, counted over the valid rows
    so that --skip-invalid never writes a case without its hovedperson."""
    cases: dict[str, list[OskarRow]] = defaultdict(list)
    for row in valid:
        cases[row.saksnummer].append(row)
    for saksnummer, rows in cases.items():
        _check_case(errors, saksnummer, rows, invalid_main_line)


def _check_case(errors: ImportErrors, saksnummer: str, rows: list[OskarRow], invalid_main_line: dict[str, int]) -> None:
    main = [row for row in rows if row.rolle == SakRolle.HOVEDPERSON]
    spouses = [row for row in rows if row.rolle == SakRolle.EKTEFELLE]
    if not main:
        reason = _missing_main_reason(saksnummer, invalid_main_line)
        for row in rows:
            errors.add(row.line, reason, field="rolle")
        return
    for row in main[1:]:
        errors.add(row.line, f"sak {saksnummer} har mer enn én hovedperson (også linje {main[0].line})", field="rolle")
    for row in spouses[1:]:
        errors.add(row.line, f"sak {saksnummer} har mer enn én ektefelle (også linje {spouses[0].line})",
                   field="rolle")


def _arena_dates(errors: ImportErrors, row: CsvRow) -> tuple[datetime.date | None, datetime.date | None]:
    registrert_fra = None
    if not row.get("registrert_fra"):
        errors.add(row.line, "registrert_fra mangler", field="registrert_fra")
    else:
        registrert_fra = _field(errors, row.line, "registrert_fra", parse_date, row.get("registrert_fra"))
    registrert_til = None
    if row.get("registrert_til"):
        registrert_til = _field(errors, row.line, "registrert_til", parse_date, row.get("registrert_til"))
    if registrert_fra and registrert_til and registrert_til < registrert_fra:
        errors.add(row.line, "registrert_til er før registrert_fra", field="registrert_til")
    return registrert_fra, registrert_til


def _parse_arena_row(errors: ImportErrors, row: CsvRow) -> ArenaRow | None:
    if row.error:
        errors.add(row.line, row.error)
        return None
    fnr = _field(errors, row.line, "fnr", parse_fnr_cell, row.get("fnr"))
    status = _choice(errors, row, "arbeidssokerstatus", ARENA_STATUSES)
    registrert_fra, registrert_til = _arena_dates(errors, row)
    innsatsgruppe = _optional_choice(errors, row, "innsatsgruppe", INNSATSGRUPPE_VALUES) or ""
    if row.line in errors:
        return None
    return ArenaRow(row.line, fnr, status, registrert_fra, registrert_til, innsatsgruppe)


def parse_arena(csv_file: CsvFile) -> tuple[list[ArenaRow], list[RowError]]:
    """Valid rows and the errors of the invalid ones."""
    errors = ImportErrors()
    parsed = [arena_row for row in csv_file.rows if (arena_row := _parse_arena_row(errors, row)) is not None]
    _check_once_per_extract(errors, parsed)
    return [row for row in parsed if row.line not in errors], errors.rows()


@dataclass
class _Extract:
    """One extract, parsed: its valid rows and the errors of the others. `csv_file` is None
    when the file as a whole cannot be used."""

    kind: str
    csv_file: CsvFile | None
    rows: list
    errors: list[RowError]


def _read_extract(kind: str, data: bytes) -> CsvFile:
    if kind == OSKAR:
        csv_file = read_csv(data, required=OSKAR_COLUMNS, optional=OSKAR_OPTIONAL_COLUMNS + OSKAR_ACCEPTED_COLUMNS)
    else:
        csv_file = read_csv(data, required=ARENA_COLUMNS)
    if not csv_file.rows:
        raise ImportRefused([row_error(2, "uttrekket har ingen datarader")])
    return csv_file


def _parse_extract(kind: str, data: bytes, office: Office) -> _Extract:
    try:
        csv_file = _read_extract(kind, data)
    except ImportRefused as refused:
        # The file as a whole cannot be used: never imported, not even with skip_invalid.
        return _Extract(kind, None, [], refused.row_errors)
    rows, errors = parse_oskar(csv_file, office) if kind == OSKAR else parse_arena(csv_file)
    return _Extract(kind, csv_file, rows, errors)


def _refuse_unless_importable(extracts: list[_Extract], *, skip_invalid: bool) -> None:
    if not extracts:
        raise ImportRefused([row_error(None, "Ingen uttrekk å importere: oppgi et Oskar- og/eller et Arena-uttrekk.")])
    unreadable = any(extract.csv_file is None for extract in extracts)
    failed = {extract.kind: extract.errors for extract in extracts if extract.errors}
    if unreadable or (failed and not skip_invalid):
        raise RegisterImportRefused(failed)


@transaction.atomic
def import_registers(
    *, office: Office | str, as_of: datetime.date, oskar: bytes | None = None, arena: bytes | None = None,
    skip_invalid: bool = False, dry_run: bool = False, actor: Actor,
) -> dict[str, ImportResult]:
    """Import one or both extracts of `office` dated `as_of`. Both files are validated before
    anything is written: an error in either refuses both (RegisterImportRefused) unless
    `skip_invalid`. With `dry_run` nothing is written and the result tells what would be done.
    `actor` is who the audit entry names."""
    office = _resolve_office(office)
    extracts = [_parse_extract(kind, data, office) for kind, data in ((OSKAR, oskar), (ARENA, arena)) if data is not None]
    _refuse_unless_importable(extracts, skip_invalid=skip_invalid)
    # Persons an earlier extract of the same dry run would create, so that the preview counts
    # them as the real import will: once.
    planned: set[str] = set()
    return {
        extract.kind: _import_extract(extract, office=office, as_of=as_of, dry_run=dry_run, actor=actor,
                                      planned=planned)
        for extract in extracts
    }


def _import_extract(extract: _Extract, *, office: Office, as_of: datetime.date, dry_run: bool, actor: Actor,
                    planned: set[str]) -> ImportResult:
    result = ImportResult(rows=len(extract.csv_file.rows), errors=[str(error) for error in extract.errors],
                          dry_run=dry_run)
    snapshot = (
        RegisterSnapshot.objects.select_for_update()
        .filter(office=office, kind=extract.kind, as_of=as_of)
        .first()
    )
    if snapshot is not None and snapshot.content_hash == extract.csv_file.content_hash:
        result.unchanged = len(extract.rows)
        return result
    is_newest = not RegisterSnapshot.objects.filter(office=office, kind=extract.kind, as_of__gt=as_of).exists()
    target = _Target(office=office, as_of=as_of, snapshot=snapshot, actor=actor, result=result, planned=planned)
    if extract.kind == OSKAR:
        _write_oskar(extract, target, is_newest=is_newest)
    else:
        _write_arena(extract, target)
    return result


@dataclass
class _Target:
    """Where and for whom one extract is written, and the result it fills in."""

    office: Office
    as_of: datetime.date
    snapshot: RegisterSnapshot | None  # the snapshot of that date, if any (its content changed)
    actor: Actor
    result: ImportResult
    planned: set[str]


# --- plan: which persons to create and which to update, nothing written yet ----------------

@dataclass
class _PersonPlan:
    """The persons known by fnr, those to create and those to update, and what the update
    did besides: protections kept and names changed (by fnr)."""

    known: dict[str, Person]
    new: list[Person] = field(default_factory=list)
    changed: list[Person] = field(default_factory=list)
    kept_protection: set[str] = field(default_factory=set)
    renamed: set[str] = field(default_factory=set)


def _keep_stored_protection(person: Person, given: dict) -> bool:
    """Take out of `given` any part of the protection it would lower; True when it did."""
    kept = False
    address = given.get("adressebeskyttelse")
    if address is not None and ADDRESS_PROTECTION_RANK[address] < ADDRESS_PROTECTION_RANK[person.adressebeskyttelse]:
        del given["adressebeskyttelse"]
        kept = True
    if given.get("skjermet") is False and person.skjermet:
        del given["skjermet"]
        kept = True
    return kept


def _plan_update(plan: _PersonPlan, fnr: str, person: Person, given: dict) -> None:
    if _keep_stored_protection(person, given):
        plan.kept_protection.add(fnr)
    if given.get("tolk") is False and person.tolkesprak:
        given["tolkesprak"] = ""  # no interpreter, so no interpreter language (person_tolkesprak_only_with_tolk)
    if not any(getattr(person, name) != value for name, value in given.items()):
        return
    if given.get("navn", person.navn) != person.navn:
        plan.renamed.add(fnr)
    for name, value in given.items():
        setattr(person, name, value)
    person.derive_search_name()
    plan.changed.append(person)


def _plan_persons(wanted: dict[str, dict], *, update: bool, planned: set[str]) -> _PersonPlan:
    """The persons not yet known are created; (when `update`) the register fields of the known
    ones are brought up to date. A field given as None (column absent, cell empty) keeps the
    stored value, and a protection is only ever raised."""
    plan = _PersonPlan(known=Person.objects.in_bulk(list(wanted), field_name="fnr"))
    for fnr, fields in wanted.items():
        person = plan.known.get(fnr)
        given = {name: value for name, value in fields.items() if value is not None}
        if person is None and fnr not in planned:
            person = Person(fnr=fnr, **given)
            person.derive_from_fnr()
            person.derive_search_name()
            plan.new.append(person)
        elif person is not None and update:
            _plan_update(plan, fnr, person, given)
    return plan


def _count_persons(plan: _PersonPlan, wanted: dict[str, dict], result: ImportResult) -> None:
    """Each row counts as created, updated or unchanged."""
    result.created, result.updated = len(plan.new), len(plan.changed)
    result.unchanged = len(wanted) - len(plan.new) - len(plan.changed)


# --- write --------------------------------------------------------------------------------

def _write_persons(plan: _PersonPlan, *, dry_run: bool, planned: set[str]) -> dict[str, Person]:
    """Carry out the plan; returns the persons by fnr (on a dry run, only those already known)."""
    if dry_run:
        planned.update(person.fnr for person in plan.new)
        return plan.known
    persons = plan.known
    if plan.new:
        Person.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        if any(person.pk is None for person in plan.new):
            persons.update(Person.objects.in_bulk([person.fnr for person in plan.new], field_name="fnr"))
        else:
            persons.update({person.fnr: person for person in plan.new})
    if plan.changed:
        Person.objects.bulk_update(plan.changed, [*PERSON_REGISTER_FIELDS, "navn_sok"], batch_size=BATCH_SIZE)
    return persons


def _persons(wanted: dict[str, dict], *, update: bool, target: _Target) -> tuple[dict[str, Person], _PersonPlan]:
    plan = _plan_persons(wanted, update=update, planned=target.planned)
    _count_persons(plan, wanted, target.result)
    return _write_persons(plan, dry_run=target.result.dry_run, planned=target.planned), plan


def persons_with_saker_elsewhere(person_ids: Iterable[int], office: Office) -> set[int]:
    """Of these persons, those in a case (Sak) or with a course (Deltaker) at another office."""
    found: set[int] = set()
    for chunk in _chunks(sorted(set(person_ids)), 500):
        elsewhere = Sak.objects.exclude(office=office)
        found.update(elsewhere.filter(hovedperson_id__in=chunk).values_list("hovedperson_id", flat=True))
        found.update(elsewhere.filter(ektefelle_id__in=chunk).values_list("ektefelle_id", flat=True))
        found.update(
            Deltaker.objects.exclude(office=office).filter(person_id__in=chunk).values_list("person_id", flat=True)
        )
    return found


PROTECTED_ELSEWHERE = "personen er beskyttet eller skjermet og har sak eller deltakelse ved et annet kontor"


@dataclass
class _NoticeContext:
    """What the notices of one extract's rows are judged against."""

    plan: _PersonPlan
    protected: set[str]  # fnr of the protected persons among the rows
    elsewhere: set[int]  # ids of the persons with a case or course at another office
    where: str  # the extract, for the security log
    result: ImportResult


def _row_notices(row, person: Person, context: _NoticeContext) -> list[str]:
    """List the row on the result when someone must look at it; returns its security-log reasons."""
    result, where = context.result, context.where
    reasons = []
    if row.fnr in context.plan.kept_protection:
        verb = "beholdes" if result.dry_run else "ble beholdt"
        result.add_notice(row.line, f"uttrekket ville senket personens beskyttelse; lagret beskyttelse {verb} "
                                    "(bare en administrator kan senke den)")
        reasons.append(f"{where}, linje {row.line}: uttrekket ville senket beskyttelsen til person {person.pk}; "
                       "lagret beskyttelse beholdt")
    in_other_office = person.pk in context.elsewhere
    if row.fnr in context.plan.renamed and in_other_office:
        verb = "endres" if result.dry_run else "ble endret"
        result.add_notice(row.line, f"navnet {verb} for en person som også har sak eller deltakelse "
                                    "ved et annet kontor")
        reasons.append(f"{where}, linje {row.line}: navnet endret for person {person.pk}, som har sak eller "
                       "deltakelse ved et annet kontor")
    if row.fnr in context.protected and in_other_office:
        result.add_notice(row.line, PROTECTED_ELSEWHERE)
    return reasons


def _notices(extract: _Extract, persons: dict[str, Person], plan: _PersonPlan, target: _Target) -> list[str]:
    """List the rows someone must look at on the result (by line) and return the security-log
    reasons of those that must be logged (by person id, never by fnr)."""
    known = {row.fnr: persons[row.fnr] for row in extract.rows if row.fnr in persons and persons[row.fnr].pk}
    protected = {fnr for fnr, person in known.items() if access.is_protected(person)}
    candidates = plan.renamed | protected
    elsewhere = persons_with_saker_elsewhere((known[fnr].pk for fnr in candidates), target.office) if candidates else set()
    context = _NoticeContext(
        plan=plan, protected=protected, elsewhere=elsewhere, result=target.result,
        where=f"{KIND_LABELS[extract.kind]} for {target.office.enhetsnummer} per {target.as_of:%d.%m.%Y}",
    )
    reasons = []
    for row in extract.rows:
        if row.fnr in known:
            reasons.extend(_row_notices(row, known[row.fnr], context))
    return reasons


def _save_snapshot(extract: _Extract, target: _Target) -> tuple[RegisterSnapshot, str]:
    """Create the snapshot, or empty and reuse the one of that date (its content changed)."""
    snapshot, action = target.snapshot, "create"
    if snapshot is None:
        snapshot = RegisterSnapshot(office=target.office, kind=extract.kind, as_of=target.as_of)
    else:
        action = "update"
        snapshot.oskar_records.all().delete()
        snapshot.arena_records.all().delete()
    snapshot.content_hash = extract.csv_file.content_hash
    snapshot.row_count = len(extract.rows)
    snapshot.imported_by = target.actor.user
    snapshot.save()
    return snapshot, action


def _audit(snapshot: RegisterSnapshot, action: str, target: _Target) -> None:
    audit.record_change(action, actor=target.actor, obj=snapshot, office=target.office.enhetsnummer)


def _write_oskar(extract: _Extract, target: _Target, *, is_newest: bool) -> None:
    wanted = {
        row.fnr: {
            "navn": row.navn, "landbakgrunn": row.landbakgrunn,
            "adressebeskyttelse": row.adressebeskyttelse, "skjermet": row.skjermet,
            "forstesprak": row.forstesprak, "tolk": row.tolk,
        }
        for row in extract.rows
    }
    persons, plan = _persons(wanted, update=is_newest, target=target)
    reasons = _notices(extract, persons, plan, target)
    if target.result.dry_run:
        return
    if reasons:
        audit.record_security_events(reasons, actor=target.actor)
    snapshot, action = _save_snapshot(extract, target)
    OskarRecord.objects.bulk_create(
        [
            OskarRecord(
                snapshot=snapshot, saksnummer=row.saksnummer, person_id=persons[row.fnr].pk, rolle=row.rolle,
                inntektstype=row.inntektstype, antall_barn=row.antall_barn, landbakgrunn=row.landbakgrunn,
                stonad_maneder_siste_12=row.stonad_maneder_siste_12,
            )
            for row in extract.rows
        ],
        batch_size=BATCH_SIZE,
    )
    if is_newest:
        _upsert_saker(extract.rows, persons, target.office)
    _audit(snapshot, action, target)


def _cases_wanted(rows: list[OskarRow], persons: dict[str, Person]) -> dict[str, dict]:
    wanted: dict[str, dict] = {}
    for row in rows:
        case = wanted.setdefault(row.saksnummer, {"ektefelle_id": None})
        if row.rolle == SakRolle.HOVEDPERSON:
            case.update(
                hovedperson_id=persons[row.fnr].pk, antall_barn=row.antall_barn, inntektstype=row.inntektstype
            )
        else:
            case["ektefelle_id"] = persons[row.fnr].pk
    return wanted


def _upsert_saker(rows: list[OskarRow], persons: dict[str, Person], office: Office) -> None:
    """The office's cases as the newest Oskar extract has them. Cases missing from the extract
    are kept: participants and reports refer to them."""
    wanted = _cases_wanted(rows, persons)
    existing: dict[str, Sak] = {}
    for chunk in _chunks(list(wanted)):
        existing.update({sak.saksnummer: sak for sak in Sak.objects.filter(office=office, saksnummer__in=chunk)})
    new, changed = [], []
    for saksnummer, fields in wanted.items():
        sak = existing.get(saksnummer)
        if sak is None:
            new.append(Sak(office=office, saksnummer=saksnummer, **fields))
        elif any(getattr(sak, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(sak, name, value)
            changed.append(sak)
    Sak.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Sak.objects.bulk_update(changed, SAK_FIELDS, batch_size=BATCH_SIZE)


def _write_arena(extract: _Extract, target: _Target) -> None:
    wanted = {row.fnr: {"navn": ARENA_ONLY_NAME} for row in extract.rows}
    persons, plan = _persons(wanted, update=False, target=target)
    _notices(extract, persons, plan, target)
    if target.result.dry_run:
        return
    snapshot, action = _save_snapshot(extract, target)
    ArenaRecord.objects.bulk_create(
        [
            ArenaRecord(
                snapshot=snapshot, person_id=persons[row.fnr].pk, arbeidssokerstatus=row.arbeidssokerstatus,
                registrert_fra=row.registrert_fra, registrert_til=row.registrert_til, innsatsgruppe=row.innsatsgruppe,
            )
            for row in extract.rows
        ],
        batch_size=BATCH_SIZE,
    )
    _audit(snapshot, action, target)
