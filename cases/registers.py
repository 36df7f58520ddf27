"""Importing dated register extracts (contracts.md, "Register extracts"): an Oskar extract of
social-assistance cases and an Arena extract of job seekers, each stored as one snapshot per
office, register and date.

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
- a row that renames a person who has a case or a course at another office is imported, listed
  and written to the security log; a row touching a protected person of another office is listed
  (contracts.md, "Rules for what an extract may change"). Lists name the line, never the fnr.
"""
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.fnr import clean_fnr, parse_fnr
from alnaaktiv.models import Office
from cases.choices import Arbeidssokerstatus, Innsatsgruppe, SakRolle
from cases.csvimport import (
    CsvFile,
    ImportRefused,
    ImportResult,
    parse_choice,
    parse_date,
    parse_int,
    read_csv,
    shown,
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
OSKAR_OPTIONAL_COLUMNS = ["adressebeskyttelse", "skjermet"]
# Optional columns of contracts.md (2026-11-30) that nothing stores yet: an extract that has them
# is read as one without them (an absent column changes nothing), instead of being refused.
OSKAR_ACCEPTED_COLUMNS = ["forstesprak", "tolk", "utbetalt_belop"]
ARENA_COLUMNS = ["fnr", "arbeidssokerstatus", "registrert_fra", "registrert_til", "innsatsgruppe"]
# Arena only registers persons who are job seekers; `ikke_registrert` is our own code.
ARENA_STATUSES = [value for value in Arbeidssokerstatus.values if value != Arbeidssokerstatus.IKKE_REGISTRERT]
# Arena's extract has no names; an Oskar extract fills the name in later.
ARENA_ONLY_NAME = "Ukjent navn (kun i Arena)"
PERSON_REGISTER_FIELDS = ["navn", "landbakgrunn", "adressebeskyttelse", "skjermet"]
SAK_FIELDS = ["hovedperson", "ektefelle", "antall_barn", "inntektstype"]
MAX_CHILDREN = 30
# Enum `.values` builds a new list on every call; read once, not once per row and column.
ROLLE_VALUES, INNTEKTSTYPE_VALUES = SakRolle.values, Inntektstype.values
LANDBAKGRUNN_VALUES, ADRESSEBESKYTTELSE_VALUES = Landbakgrunn.values, Adressebeskyttelse.values
INNSATSGRUPPE_VALUES = Innsatsgruppe.values
BATCH_SIZE = 1000


class RegisterImportRefused(ImportRefused):
    """Nothing was written. `errors` holds every `linje N:` message, `errors_by_kind` the same
    messages per extract (oskar, arena) for callers that show them file by file."""

    def __init__(self, errors_by_kind: dict[str, list[str]]):
        super().__init__([message for messages in errors_by_kind.values() for message in messages])
        self.errors_by_kind = errors_by_kind


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


@dataclass
class ArenaRow:
    line: int
    fnr: str
    arbeidssokerstatus: str
    registrert_fra: datetime.date
    registrert_til: datetime.date | None
    innsatsgruppe: str


class _Errors:
    """Reasons per line, reported as one `linje N: a; b` message per line in file order."""

    def __init__(self):
        self.by_line: dict[int, list[str]] = defaultdict(list)

    def add(self, line: int, reason: str) -> None:
        self.by_line[line].append(reason)

    def __contains__(self, line: int) -> bool:
        return line in self.by_line

    def messages(self) -> list[str]:
        return [f"linje {line}: {'; '.join(reasons)}" for line, reasons in sorted(self.by_line.items())]


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _resolve_office(office: Office | str) -> Office:
    return office if isinstance(office, Office) else Office.objects.get(enhetsnummer=office)


def _field(errors: _Errors, line: int, parse, *args):
    """Run one field's parser; a ValueError becomes the line's reason and the field is None."""
    try:
        return parse(*args)
    except ValueError as error:
        errors.add(line, str(error))
        return None


def _parse_fnr(errors: _Errors, line: int, value: str) -> str | None:
    number = clean_fnr(value)
    if not number:
        errors.add(line, "fnr mangler")
        return None
    try:
        parse_fnr(number)
    except ValidationError as error:
        # The number itself is never repeated in a message: messages end up in logs and pages.
        reason = error.messages[0].rstrip(".")
        errors.add(line, f"ugyldig fnr: {reason[:1].lower()}{reason[1:]}")
        return None
    return number


def _required_text(errors: _Errors, line: int, value: str, column: str, max_length: int) -> str | None:
    if not value:
        errors.add(line, f"{column} mangler")
        return None
    if len(value) > max_length:
        errors.add(line, f"{column} er lengre enn {max_length} tegn")
        return None
    return value


def _check_once_per_extract(errors: _Errors, rows: Iterable) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        if row.fnr in first_line:
            errors.add(row.line, f"personen står allerede på linje {first_line[row.fnr]}")
        else:
            first_line[row.fnr] = row.line


def parse_oskar(csv_file: CsvFile, office: Office) -> tuple[list[OskarRow], list[str]]:
    """Valid rows and the `linje N:` messages of the invalid ones."""
    errors = _Errors()
    parsed: list[OskarRow] = []
    invalid_main_line: dict[str, int] = {}
    for row in csv_file.rows:
        line = row.line
        if "__error__" in row.values:
            errors.add(line, row.values["__error__"])
            continue
        values = {
            "saksnummer": _required_text(errors, line, row.get("saksnummer"), "saksnummer", 30),
            "fnr": _parse_fnr(errors, line, row.get("fnr")),
            "navn": _required_text(errors, line, row.get("navn"), "navn", 200),
            "rolle": _field(errors, line, parse_choice, row.get("rolle"), ROLLE_VALUES, "rolle"),
            "inntektstype": _field(
                errors, line, parse_choice, row.get("inntektstype"), INNTEKTSTYPE_VALUES, "inntektstype"
            ),
            "antall_barn": None if not row.get("antall_barn") and row.get("rolle").lower() == SakRolle.EKTEFELLE
            else _field(errors, line, parse_int, row.get("antall_barn"), "antall_barn", 0, MAX_CHILDREN),
            "landbakgrunn": _field(
                errors, line, parse_choice, row.get("landbakgrunn"), LANDBAKGRUNN_VALUES, "landbakgrunn"
            ),
            "stonad_maneder_siste_12": _field(
                errors, line, parse_int, row.get("stonad_maneder_siste_12"), "stonad_maneder_siste_12", 0, 12
            ),
            "adressebeskyttelse": _field(
                errors, line, parse_choice, row.get("adressebeskyttelse"), ADRESSEBESKYTTELSE_VALUES,
                "adressebeskyttelse",
            ) if row.get("adressebeskyttelse") else None,
            "skjermet": _field(errors, line, parse_choice, row.get("skjermet"), ["ja", "nei"], "skjermet")
            if row.get("skjermet") else None,
        }
        kontor = row.get("kontor")
        if kontor != office.enhetsnummer:
            given = shown(kontor) if kontor else "mangler"
            errors.add(line, f"kontor {given} er ikke kontoret det importeres for ({office.enhetsnummer})")
        if line in errors:
            if values["saksnummer"] and values["rolle"] == SakRolle.HOVEDPERSON:
                invalid_main_line.setdefault(values["saksnummer"], line)
            continue
        if values["skjermet"] is not None:
            values["skjermet"] = values["skjermet"] == "ja"
        parsed.append(OskarRow(line=line, **values))

    _check_once_per_extract(errors, parsed)
    valid = [row for row in parsed if row.line not in errors]
    for row in parsed:
        if row.line in errors and row.rolle == SakRolle.HOVEDPERSON:
            invalid_main_line.setdefault(row.saksnummer, row.line)
    _check_case_structure(errors, valid, invalid_main_line)
    valid = [row for row in valid if row.line not in errors]
    children = {row.saksnummer: row.antall_barn for row in valid if row.rolle == SakRolle.HOVEDPERSON}
    for row in valid:
        if row.antall_barn is None:
            row.antall_barn = children[row.saksnummer]
    return valid, errors.messages()


def _check_case_structure(errors: _Errors, valid: list[OskarRow], invalid_main_line: dict[str, int]) -> None:
    """Exactly one hovedperson and at most one ektefelle per case, counted over the valid rows
    so that --skip-invalid never writes a case without its hovedperson."""
    cases: dict[str, list[OskarRow]] = defaultdict(list)
    for row in valid:
        cases[row.saksnummer].append(row)
    for saksnummer, rows in cases.items():
        main = [row for row in rows if row.rolle == SakRolle.HOVEDPERSON]
        spouses = [row for row in rows if row.rolle == SakRolle.EKTEFELLE]
        if not main:
            reason = (
                f"sak {saksnummer} mangler gyldig hovedperson (se linje {invalid_main_line[saksnummer]})"
                if saksnummer in invalid_main_line
                else f"sak {saksnummer} mangler hovedperson"
            )
            for row in rows:
                errors.add(row.line, reason)
            continue
        for row in main[1:]:
            errors.add(row.line, f"sak {saksnummer} har mer enn én hovedperson (også linje {main[0].line})")
        for row in spouses[1:]:
            errors.add(row.line, f"sak {saksnummer} har mer enn én ektefelle (også linje {spouses[0].line})")


def parse_arena(csv_file: CsvFile) -> tuple[list[ArenaRow], list[str]]:
    errors = _Errors()
    parsed: list[ArenaRow] = []
    for row in csv_file.rows:
        line = row.line
        if "__error__" in row.values:
            errors.add(line, row.values["__error__"])
            continue
        fnr = _parse_fnr(errors, line, row.get("fnr"))
        status = _field(errors, line, parse_choice, row.get("arbeidssokerstatus"), ARENA_STATUSES, "arbeidssokerstatus")
        registrert_fra = None
        if not row.get("registrert_fra"):
            errors.add(line, "registrert_fra mangler")
        else:
            registrert_fra = _field(errors, line, parse_date, row.get("registrert_fra"))
        registrert_til = _field(errors, line, parse_date, row.get("registrert_til")) if row.get("registrert_til") else None
        if registrert_fra and registrert_til and registrert_til < registrert_fra:
            errors.add(line, "registrert_til er før registrert_fra")
        innsatsgruppe = ""
        if row.get("innsatsgruppe"):
            innsatsgruppe = _field(
                errors, line, parse_choice, row.get("innsatsgruppe"), INNSATSGRUPPE_VALUES, "innsatsgruppe"
            )
        if line in errors:
            continue
        parsed.append(ArenaRow(line, fnr, status, registrert_fra, registrert_til, innsatsgruppe))
    _check_once_per_extract(errors, parsed)
    return [row for row in parsed if row.line not in errors], errors.messages()


@dataclass
class _Plan:
    """A validated extract, ready to be written."""

    kind: str
    csv_file: CsvFile
    rows: list
    errors: list[str]


def _read(kind: str, data: bytes, office: Office) -> _Plan:
    try:
        if kind == OSKAR:
            csv_file = read_csv(data, required=OSKAR_COLUMNS, optional=OSKAR_OPTIONAL_COLUMNS + OSKAR_ACCEPTED_COLUMNS)
        else:
            csv_file = read_csv(data, required=ARENA_COLUMNS)
        if not csv_file.rows:
            raise ImportRefused(["linje 2: uttrekket har ingen datarader"])
    except ImportRefused as refused:
        # The file as a whole cannot be used: never imported, not even with skip_invalid.
        return _Plan(kind, CsvFile(rows=[], content_hash=""), [], refused.errors)
    rows, errors = parse_oskar(csv_file, office) if kind == OSKAR else parse_arena(csv_file)
    return _Plan(kind, csv_file, rows, errors)


@transaction.atomic
def import_registers(
    *, office: Office | str, as_of: datetime.date, oskar: bytes | None = None, arena: bytes | None = None,
    skip_invalid: bool = False, dry_run: bool = False, actor: Actor,
) -> dict[str, ImportResult]:
    """Import one or both extracts of `office` dated `as_of`. Both files are validated before
    anything is written: an error in either refuses both (RegisterImportRefused) unless
    `skip_invalid`. With `dry_run` nothing is written and the result tells what would be done.
    `request` (from a page) or `actor.user` (from a command) is who the audit entry names."""
    office = _resolve_office(office)
    plans = [_read(kind, data, office) for kind, data in ((OSKAR, oskar), (ARENA, arena)) if data is not None]
    if not plans:
        raise ImportRefused(["Ingen uttrekk å importere: oppgi et Oskar- og/eller et Arena-uttrekk."])
    unreadable = {plan.kind: plan.errors for plan in plans if not plan.csv_file.content_hash}
    failed = {plan.kind: plan.errors for plan in plans if plan.errors}
    if unreadable or (failed and not skip_invalid):
        raise RegisterImportRefused(failed)

    results, planned = {}, set()
    for plan in plans:
        result = ImportResult(rows=len(plan.csv_file.rows), errors=plan.errors, dry_run=dry_run)
        snapshot = (
            RegisterSnapshot.objects.select_for_update()
            .filter(office=office, kind=plan.kind, as_of=as_of)
            .first()
        )
        if snapshot is not None and snapshot.content_hash == plan.csv_file.content_hash:
            result.unchanged = len(plan.rows)
            results[plan.kind] = result
            continue
        is_newest = not RegisterSnapshot.objects.filter(office=office, kind=plan.kind, as_of__gt=as_of).exists()
        if plan.kind == OSKAR:
            _write_oskar(plan, office, as_of, snapshot, result, is_newest=is_newest, actor=actor,
                         planned=planned)
        else:
            _write_arena(plan, office, as_of, snapshot, result, actor=actor, planned=planned)
        results[plan.kind] = result
    return results


@dataclass
class _PersonChanges:
    """What bringing the persons up to date did besides the counts, by fnr."""

    kept_protection: set[str]
    renamed: set[str]


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


def _persons(
    wanted: dict[str, dict], *, update: bool, dry_run: bool, result: ImportResult, planned: set[str]
) -> tuple[dict[str, Person], _PersonChanges]:
    """Create the persons not yet known and (when `update`) bring the register fields of the
    known ones up to date; counts each row as created, updated or unchanged. A field given as
    None (column absent, cell empty) keeps the stored value, and a protection is only ever
    raised. `planned` holds the persons an earlier file of the same dry run would create, so the
    preview counts them as the real import will: once."""
    existing = Person.objects.in_bulk(list(wanted), field_name="fnr")
    new, changed = [], []
    changes = _PersonChanges(kept_protection=set(), renamed=set())
    for fnr, fields in wanted.items():
        person = existing.get(fnr)
        if person is None and fnr in planned:
            continue
        given = {name: value for name, value in fields.items() if value is not None}
        if person is None:
            person = Person(fnr=fnr, **given)
            person.derive_from_fnr()
            new.append(person)
            continue
        if not update:
            continue
        if _keep_stored_protection(person, given):
            changes.kept_protection.add(fnr)
        if any(getattr(person, name) != value for name, value in given.items()):
            if given.get("navn", person.navn) != person.navn:
                changes.renamed.add(fnr)
            for name, value in given.items():
                setattr(person, name, value)
            changed.append(person)
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(wanted) - len(new) - len(changed)
    if dry_run:
        planned.update(person.fnr for person in new)
        return existing, changes
    if new:
        Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if any(person.pk is None for person in new):
            existing.update(Person.objects.in_bulk([person.fnr for person in new], field_name="fnr"))
        else:
            existing.update({person.fnr: person for person in new})
    if changed:
        Person.objects.bulk_update(changed, PERSON_REGISTER_FIELDS, batch_size=BATCH_SIZE)
    return existing, changes


def persons_with_cases_elsewhere(person_ids: Iterable[int], office: Office) -> set[int]:
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


def _notices(plan: _Plan, persons: dict[str, Person], changes: _PersonChanges, *, office: Office,
             as_of: datetime.date, result: ImportResult) -> list[str]:
    """List the rows someone must look at on the result (by line) and return the security-log
    reasons of those that must be logged (by person id, never by fnr)."""
    known = {row.fnr: persons[row.fnr] for row in plan.rows if row.fnr in persons and persons[row.fnr].pk}
    protected = {fnr for fnr, person in known.items() if access.is_protected(person)}
    candidates = changes.renamed | protected
    elsewhere = persons_with_cases_elsewhere((known[fnr].pk for fnr in candidates), office) if candidates else set()
    verb = "beholdes" if result.dry_run else "ble beholdt"
    renamed_verb = "endres" if result.dry_run else "ble endret"
    where = f"{KIND_LABELS[plan.kind]} for {office.enhetsnummer} per {as_of:%d.%m.%Y}"
    reasons = []
    for row in plan.rows:
        person = known.get(row.fnr)
        if person is None:
            continue
        if row.fnr in changes.kept_protection:
            result.add_notice(row.line, f"uttrekket ville senket personens beskyttelse; lagret beskyttelse {verb} "
                                        "(bare en administrator kan senke den)")
            reasons.append(f"{where}, linje {row.line}: uttrekket ville senket beskyttelsen til person {person.pk}; "
                           "lagret beskyttelse beholdt")
        in_other_office = person.pk in elsewhere
        if row.fnr in changes.renamed and in_other_office:
            result.add_notice(row.line, f"navnet {renamed_verb} for en person som også har sak eller deltakelse "
                                        "ved et annet kontor")
            reasons.append(f"{where}, linje {row.line}: navnet endret for person {person.pk}, som har sak eller "
                           "deltakelse ved et annet kontor")
        if row.fnr in protected and in_other_office:
            result.add_notice(row.line, PROTECTED_ELSEWHERE)
    return reasons


def _save_snapshot(snapshot, *, office: Office, kind: str, as_of: datetime.date, plan: _Plan, actor: Actor) -> tuple:
    """Create the snapshot, or empty and reuse the one of that date (its content changed)."""
    action = "create"
    if snapshot is None:
        snapshot = RegisterSnapshot(office=office, kind=kind, as_of=as_of)
    else:
        action = "update"
        snapshot.oskar_records.all().delete()
        snapshot.arena_records.all().delete()
    snapshot.content_hash = plan.csv_file.content_hash
    snapshot.row_count = len(plan.rows)
    snapshot.imported_by = actor.user
    snapshot.save()
    return snapshot, action


def _audit(snapshot: RegisterSnapshot, action: str, *, office: Office, actor: Actor) -> None:
    audit.record_change(action, actor=actor, obj=snapshot, office=office.enhetsnummer)


def _write_oskar(plan, office, as_of, snapshot, result, *, is_newest: bool, actor: Actor, planned: set[str]) -> None:
    wanted = {
        row.fnr: {
            "navn": row.navn, "landbakgrunn": row.landbakgrunn,
            "adressebeskyttelse": row.adressebeskyttelse, "skjermet": row.skjermet,
        }
        for row in plan.rows
    }
    persons, changes = _persons(wanted, update=is_newest, dry_run=result.dry_run, result=result, planned=planned)
    reasons = _notices(plan, persons, changes, office=office, as_of=as_of, result=result)
    if result.dry_run:
        return
    if reasons:
        audit.record_security_events(reasons, actor=actor)
    snapshot, action = _save_snapshot(snapshot, office=office, kind=OSKAR, as_of=as_of, plan=plan, actor=actor)
    OskarRecord.objects.bulk_create(
        [
            OskarRecord(
                snapshot=snapshot, saksnummer=row.saksnummer, person_id=persons[row.fnr].pk, rolle=row.rolle,
                inntektstype=row.inntektstype, antall_barn=row.antall_barn, landbakgrunn=row.landbakgrunn,
                stonad_maneder_siste_12=row.stonad_maneder_siste_12,
            )
            for row in plan.rows
        ],
        batch_size=BATCH_SIZE,
    )
    if is_newest:
        _upsert_cases(plan.rows, persons, office)
    _audit(snapshot, action, office=office, actor=actor)


def _upsert_cases(rows: list[OskarRow], persons: dict[str, Person], office: Office) -> None:
    """The office's cases as the newest Oskar extract has them. Cases missing from the extract
    are kept: participants and reports refer to them."""
    wanted: dict[str, dict] = {}
    for row in rows:
        case = wanted.setdefault(row.saksnummer, {"ektefelle_id": None})
        if row.rolle == SakRolle.HOVEDPERSON:
            case.update(
                hovedperson_id=persons[row.fnr].pk, antall_barn=row.antall_barn, inntektstype=row.inntektstype
            )
        else:
            case["ektefelle_id"] = persons[row.fnr].pk
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


def _write_arena(plan, office, as_of, snapshot, result, *, actor: Actor, planned: set[str]) -> None:
    wanted = {row.fnr: {"navn": ARENA_ONLY_NAME} for row in plan.rows}
    persons, changes = _persons(wanted, update=False, dry_run=result.dry_run, result=result, planned=planned)
    _notices(plan, persons, changes, office=office, as_of=as_of, result=result)
    if result.dry_run:
        return
    snapshot, action = _save_snapshot(snapshot, office=office, kind=ARENA, as_of=as_of, plan=plan, actor=actor)
    ArenaRecord.objects.bulk_create(
        [
            ArenaRecord(
                snapshot=snapshot, person_id=persons[row.fnr].pk, arbeidssokerstatus=row.arbeidssokerstatus,
                registrert_fra=row.registrert_fra, registrert_til=row.registrert_til, innsatsgruppe=row.innsatsgruppe,
            )
            for row in plan.rows
        ],
        batch_size=BATCH_SIZE,
    )
    _audit(snapshot, action, office=office, actor=actor)
