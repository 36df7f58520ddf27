"""Migrating the pilot's tracking list (contracts.md, import_participants): one row per
participant, every filled date column becomes the course transition of that name. Messages name
the line, never the fødselsnummer (they end up on pages and in logs); a row that would enrol or
change a protected person of another office is listed for the user to check."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.fnr import clean_fnr, parse_fnr
from alnaaktiv.models import AuditEntry, Office
from cases.choices import Arbeidssokerstatus, Malgruppe, SakRolle
from cases.csvimport import ImportResult, parse_choice, parse_date, read_csv, refuse_or_report
from cases.models import CourseEvent, Deltaker, Landbakgrunn, Lopsstatus, MalgruppeKilde, Person, Rute, Sak, Utfall
from cases.registers import PROTECTED_ELSEWHERE, persons_with_cases_elsewhere
from cases.services import TRANSITIONS, derive_malgruppe

S = Lopsstatus
REQUIRED = ["fnr", "navn", "henvist"]
OPTIONAL = ["saksnummer", "rolle", "malgruppe", "landbakgrunn", "arbeidssokerstatus", "mott", "ikke_mott",
            "kartlegging_startet", "avklart", "rute", "avsluttet", "utfall"]
# Date column -> the state it enters, in the order a course passes them.
DATE_COLUMNS = [("henvist", S.HENVIST), ("ikke_mott", S.IKKE_MOTT), ("mott", S.MOTT),
                ("kartlegging_startet", S.I_KARTLEGGING), ("avklart", S.AVKLART), ("avsluttet", S.AVSLUTTET)]


@dataclass
class ParsedRow:
    line: int
    fnr: str
    navn: str
    saksnummer: str
    rolle: str
    malgruppe: str
    landbakgrunn: str
    arbeidssokerstatus: str
    events: list[tuple[str, datetime.date, str, str]]  # state, date, rute, utfall


def _parse_row(row, today: datetime.date) -> ParsedRow:
    if "__error__" in row.values:
        raise ValueError(row.values["__error__"])
    fnr = clean_fnr(row.get("fnr"))
    if not fnr:
        raise ValueError("fnr mangler")
    try:
        parse_fnr(fnr)
    except ValidationError as error:
        reason = error.messages[0].rstrip(".")
        raise ValueError(f"ugyldig fnr: {reason[:1].lower()}{reason[1:]}") from None
    navn = row.get("navn")
    if not navn:
        raise ValueError("navn mangler")
    events = []
    for column, state in DATE_COLUMNS:
        if row.get(column):
            date = parse_date(row.get(column))
            if date > today:
                raise ValueError(f"{column} {date:%d.%m.%Y} er fram i tid")
            events.append((state, date))
    if not row.get("henvist"):
        raise ValueError("henvist må fylles ut")
    rute = parse_choice(row.get("rute"), Rute.values, "rute") if row.get("rute") else ""
    utfall = parse_choice(row.get("utfall"), Utfall.values, "utfall") if row.get("utfall") else ""
    if rute and not row.get("avklart"):
        raise ValueError("rute er fylt ut uten dato for avklart")
    if row.get("avklart") and not rute:
        raise ValueError("avklart er fylt ut uten rute")
    if utfall and not row.get("avsluttet"):
        raise ValueError("utfall er fylt ut uten dato for avsluttet")
    if row.get("avsluttet") and not utfall:
        raise ValueError("avsluttet er fylt ut uten utfall")
    events.sort(key=lambda event: event[1])  # stable: same-day events keep the course's order
    state, previous = S.KANDIDAT, None
    for next_state, date in events:
        if next_state not in TRANSITIONS[state]:
            raise ValueError(f"{S(next_state).label.lower()} kan ikke følge {S(state).label.lower()}")
        if previous and date < previous:
            raise ValueError("datoene i løpet går bakover")
        state, previous = next_state, date
    return ParsedRow(
        line=row.line,
        fnr=fnr,
        navn=navn,
        saksnummer=row.get("saksnummer"),
        rolle=parse_choice(row.get("rolle") or SakRolle.HOVEDPERSON, SakRolle.values, "rolle"),
        malgruppe=parse_choice(row.get("malgruppe"), Malgruppe.values, "malgruppe") if row.get("malgruppe") else "",
        landbakgrunn=parse_choice(row.get("landbakgrunn") or "ukjent", Landbakgrunn.values, "landbakgrunn"),
        arbeidssokerstatus=parse_choice(row.get("arbeidssokerstatus") or "ikke_registrert",
                                        Arbeidssokerstatus.values, "arbeidssokerstatus"),
        events=[(s, d, rute if s == S.AVKLART else "", utfall if s == S.AVSLUTTET else "") for s, d in events],
    )


def _event_key(events) -> list[tuple]:
    return [(event.state, event.date, event.rute, event.utfall) for event in events]


@transaction.atomic
def import_participants(
    data: bytes, *, actor: Actor, office: Office, skip_invalid: bool = False, dry_run: bool = False,
) -> ImportResult:
    """All or nothing by default. Re-importing the same list changes nothing; a participant
    whose course was registered in the app (not by import) is never overwritten."""
    csv_file = read_csv(data, required=REQUIRED, optional=OPTIONAL)
    today = timezone.localdate()
    errors, parsed, seen = [], [], {}
    for row in csv_file.rows:
        try:
            item = _parse_row(row, today)
            if item.fnr in seen:
                raise ValueError(f"personen står allerede på linje {seen[item.fnr]}")
            seen[item.fnr] = item.line
            parsed.append(item)
        except ValueError as error:
            errors.append(f"linje {row.line}: {error}")

    persons = Person.objects.in_bulk([item.fnr for item in parsed], field_name="fnr")
    saker = {sak.saksnummer: sak for sak in Sak.objects.filter(office=office, saksnummer__in={i.saksnummer for i in parsed if i.saksnummer})}
    deltakere = {d.person.fnr: d for d in Deltaker.objects.filter(office=office, person__fnr__in=seen).select_related("person").prefetch_related("events")}
    valid = []
    for item in parsed:
        if item.saksnummer and item.saksnummer not in saker:
            errors.append(f"linje {item.line}: fant ikke sak {item.saksnummer} ved kontor {office.enhetsnummer}")
            continue
        existing = deltakere.get(item.fnr)
        if existing is not None and _event_key(existing.events.all()) != item.events and any(
            event.created_by_id is not None for event in existing.events.all()
        ):
            errors.append(f"linje {item.line}: løpet er registrert i Alna Aktiv og blir ikke overskrevet av importen")
            continue
        valid.append(item)
    errors.sort(key=lambda message: int(message.split(":")[0].split()[1]))
    result = ImportResult(rows=len(csv_file.rows), errors=refuse_or_report(errors, skip_invalid=skip_invalid),
                          dry_run=dry_run)
    protected = [person.pk for person in persons.values() if access.is_protected(person)]
    elsewhere = persons_with_cases_elsewhere(protected, office) if protected else set()
    audits = []
    for item in valid:
        existing = deltakere.get(item.fnr)
        if existing is not None and _event_key(existing.events.all()) == item.events and existing.malgruppe == (
            item.malgruppe or existing.malgruppe
        ) and existing.arbeidssokerstatus == item.arbeidssokerstatus:
            result.unchanged += 1
            continue
        if existing is None:
            result.created += 1
        else:
            result.updated += 1
        if item.fnr in persons and persons[item.fnr].pk in elsewhere:
            result.add_notice(item.line, PROTECTED_ELSEWHERE)
        if dry_run:
            continue
        person = persons.get(item.fnr)
        if person is None:
            person = Person(fnr=item.fnr, navn=item.navn, landbakgrunn=item.landbakgrunn)
            # The database checks the constraints on save; validating them here too cost a query
            # each, most of a large list's confirm time (docs/benchmarks.md, issue 11).
            person.full_clean(validate_constraints=False)
            person.save()
            persons[item.fnr] = person
        sak = saker.get(item.saksnummer)
        last_state, last_date = item.events[-1][0], item.events[-1][1]
        deltaker = existing or Deltaker(person=person, office=office)
        deltaker.sak, deltaker.rolle = sak, item.rolle
        deltaker.arbeidssokerstatus = item.arbeidssokerstatus
        deltaker.status, deltaker.status_dato = last_state, last_date
        if item.malgruppe:
            deltaker.malgruppe, deltaker.malgruppe_kilde = item.malgruppe, MalgruppeKilde.IMPORTERT
        elif deltaker.malgruppe_kilde == MalgruppeKilde.AVLEDET:
            deltaker.malgruppe = derive_malgruppe(person=person, sak=sak, on_date=item.events[0][1])
        deltaker.full_clean(validate_constraints=False)  # existing participant looked up above: unique
        deltaker.save()
        if existing is not None:
            existing.events.all().delete()
        CourseEvent.objects.bulk_create([
            CourseEvent(deltaker=deltaker, state=state, date=date, rute=rute, utfall=utfall)
            for state, date, rute, utfall in item.events
        ])
        audits.append(audit.build_entry(
            AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE, actor=actor, obj=deltaker,
            person=person, office=office.enhetsnummer,
        ))
    AuditEntry.objects.bulk_create(audits)
    return result
