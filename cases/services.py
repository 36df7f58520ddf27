"""Writes on participants: enrolment, the course's transitions, referral, meetings, journal and
huskelapper. Each enforces its rule, writes an audit entry and refuses with a Norwegian message
that leaves nothing changed."""
import datetime

from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.dates import age_on
from alnaaktiv.errors import DomainError
from alnaaktiv.models import Office
from cases.choices import Malgruppe, SakRolle
from cases.models import (
    CourseEvent,
    Deltaker,
    Huskelapp,
    HuskelappAngring,
    JournalEntry,
    Lopsstatus,
    MalgruppeKilde,
    Person,
    Rute,
    Sak,
)
from cases.models.registers import ArenaRecord, OskarRecord

S = Lopsstatus

# The course (domain.md §3): forward only; `avsluttet` may follow any state but itself, and a
# new appointment after `ikke_mott` may still end in `mott`.
TRANSITIONS: dict[str, set[str]] = {
    S.KANDIDAT: {S.HENVIST},
    S.HENVIST: {S.MOTT, S.IKKE_MOTT},
    S.IKKE_MOTT: {S.MOTT},
    S.MOTT: {S.I_KARTLEGGING},
    S.I_KARTLEGGING: {S.AVKLART},
    S.AVKLART: {S.I_AKTIVITET},
    S.I_AKTIVITET: set(),
    S.AVSLUTTET: set(),
}
for _state in S.values:
    if _state != S.AVSLUTTET:
        TRANSITIONS[_state].add(S.AVSLUTTET)


class CourseError(DomainError):
    """A refused change of the course; the message is shown to the user as it is."""


def allowed_transitions(state: str) -> list[str]:
    return [value for value in S.values if value in TRANSITIONS[state]]


def _event_fields(to_state: str, rute: str, utfall: str) -> dict:
    if to_state == S.AVKLART and rute not in Rute.values:
        raise CourseError({"rute": "Velg en rute når deltakeren er avklart."})
    if to_state != S.AVKLART and rute:
        raise CourseError({"rute": "Rute settes bare når deltakeren blir avklart."})
    if to_state == S.AVSLUTTET and not utfall:
        raise CourseError({"utfall": "Velg et utfall når løpet avsluttes."})
    if to_state != S.AVSLUTTET and utfall:
        raise CourseError({"utfall": "Utfall settes bare når løpet avsluttes."})
    return {"rute": rute, "utfall": utfall}


@transaction.atomic
def deltaker_transition(
    *, deltaker: Deltaker, to_state: str, on_date: datetime.date, actor: Actor, rute: str = "", utfall: str = "",
    comment: str = "",
) -> CourseEvent:
    """Move the course to `to_state` on `on_date`: only allowed transitions, dates never go
    backwards and never into the future. Two users acting at once are serialised by a row lock,
    so the second sees the first's state and is refused if the step no longer applies."""
    locked = Deltaker.objects.select_for_update().get(pk=deltaker.pk)
    if to_state == locked.status:
        # Most often a second tab or a colleague who got there first.
        raise CourseError(f"Deltakeren har allerede status «{S(to_state).label}».")
    if to_state not in TRANSITIONS.get(locked.status, set()):
        raise CourseError(
            f"Kan ikke gå fra «{S(locked.status).label}» til «{S(to_state).label}»."
            if to_state in S.values else f"Ukjent status «{to_state}»."
        )
    if on_date < locked.status_dato:
        raise CourseError({"date": (
            f"Datoen {on_date:%d.%m.%Y} er før forrige hendelse ({locked.status_dato:%d.%m.%Y}). Datoer kan ikke gå bakover."
        )})
    if on_date > timezone.localdate():
        raise CourseError({"date": "Datoen kan ikke være fram i tid."})
    event = CourseEvent(deltaker=locked, state=to_state, date=on_date, comment=comment, created_by=actor.user,
                        **_event_fields(to_state, rute, utfall))
    event.full_clean()
    event.save()
    locked.status, locked.status_dato = to_state, on_date
    locked.save(update_fields=["status", "status_dato"])
    deltaker.status, deltaker.status_dato = to_state, on_date
    _audit_change(actor, "update", obj=event, person=locked.person, office=locked.office)
    return event


def _audit_change(actor: Actor, action: str, *, obj, person, office: Office) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=person, office=office.enhetsnummer)


def derive_malgruppe(*, person: Person, sak: Sak | None, on_date: datetime.date) -> str:
    """domain.md §6: the first that applies on the referral date wins."""
    age = age_on(person.fodselsdato, on_date)
    if 20 <= age <= 24:
        return Malgruppe.UNGDOM_20_24
    if sak is not None and sak.ektefelle_id is None and sak.antall_barn > 0:
        return Malgruppe.ENEFORSORGER
    months = (
        OskarRecord.objects.filter(person=person, snapshot__as_of__lte=on_date)
        .order_by("-snapshot__as_of")
        .values_list("stonad_maneder_siste_12", flat=True)
        .first()
    )
    if months is not None and months >= 6:
        return Malgruppe.LANGTIDSMOTTAKER
    return Malgruppe.OVRIGE


@transaction.atomic
def deltaker_enroll(
    *, person: Person, office: Office, sak: Sak | None, rolle: str = SakRolle.HOVEDPERSON, actor: Actor,
    on_date: datetime.date | None = None,
) -> Deltaker:
    """Enrol a person as `kandidat` in an office. A person is enrolled once per office."""
    on_date = on_date or timezone.localdate()
    if Deltaker.objects.filter(person=person, office=office).exists():
        raise CourseError("Personen er allerede deltaker ved dette kontoret.")
    if sak is not None and sak.office_id != office.pk:
        raise CourseError("Saken tilhører et annet kontor.")
    # Jobseeker status and innsatsgruppe come from the newest Arena extract of the office.
    arena = (
        ArenaRecord.objects.filter(person=person, snapshot__office=office, snapshot__as_of__lte=on_date)
        .order_by("-snapshot__as_of").values("arbeidssokerstatus", "innsatsgruppe", "registrert_til").first()
    )
    registered = arena is not None and arena["registrert_til"] is None
    deltaker = Deltaker(
        person=person, office=office, sak=sak, rolle=rolle, status=S.KANDIDAT, status_dato=on_date,
        arbeidssokerstatus=arena["arbeidssokerstatus"] if registered else "ikke_registrert",
        innsatsgruppe=arena["innsatsgruppe"] if arena else "",
    )
    deltaker.full_clean()
    deltaker.save()
    CourseEvent.objects.create(deltaker=deltaker, state=S.KANDIDAT, date=on_date, created_by=actor.user)
    _audit_change(actor, "create", obj=deltaker, person=person, office=office)
    return deltaker


@transaction.atomic
def deltaker_refer(
    *, deltaker: Deltaker, actor: Actor, reason: str, first_appointment: datetime.datetime, on_date: datetime.date | None = None,
) -> CourseEvent:
    """Henvisning by the hovedveileder: reason and first appointment are required; the target
    group is derived on the referral date unless it was imported or set by hand."""
    if not reason.strip():
        raise CourseError({"reason": "Skriv en begrunnelse for henvisningen."})
    on_date = on_date or timezone.localdate()
    if first_appointment.date() < on_date:
        raise CourseError({"first_appointment": "Første avtale kan ikke være før henvisningsdatoen."})
    event = deltaker_transition(deltaker=deltaker, to_state=S.HENVIST, on_date=on_date, actor=actor, comment=reason)
    deltaker.refresh_from_db()
    deltaker.hovedveileder = deltaker.hovedveileder or actor.user
    deltaker.henvisningsgrunn = reason.strip()
    deltaker.forste_avtale = first_appointment
    if deltaker.malgruppe_kilde == MalgruppeKilde.AVLEDET:
        deltaker.malgruppe = derive_malgruppe(person=deltaker.person, sak=deltaker.sak, on_date=on_date)
    deltaker.save(update_fields=["hovedveileder", "henvisningsgrunn", "forste_avtale", "malgruppe"])
    return event


@transaction.atomic
def deltaker_register_meeting(
    *, deltaker: Deltaker, actor: Actor, met: bool, on_date: datetime.date, new_appointment: datetime.datetime | None = None,
) -> CourseEvent:
    """The first meeting at Alna Aktiv: met or not met. Not met may carry a new appointment."""
    event = deltaker_transition(deltaker=deltaker, to_state=S.MOTT if met else S.IKKE_MOTT, on_date=on_date,
                                actor=actor)
    deltaker.refresh_from_db()
    if met and deltaker.veileder_id is None:
        deltaker.veileder = actor.user
    if not met and new_appointment is not None:
        deltaker.forste_avtale = new_appointment
    deltaker.save(update_fields=["veileder", "forste_avtale"])
    return event


@transaction.atomic
def deltaker_set_malgruppe(*, deltaker: Deltaker, malgruppe: str, reason: str, actor: Actor) -> Deltaker:
    """A manual target group overrides the derived one and needs a reason."""
    if malgruppe not in Malgruppe.values:
        raise CourseError({"malgruppe": "Velg en gyldig målgruppe."})
    if not reason.strip():
        raise CourseError({"reason": "Skriv en begrunnelse når målgruppen settes manuelt."})
    deltaker = Deltaker.objects.select_for_update().get(pk=deltaker.pk)
    deltaker.malgruppe, deltaker.malgruppe_kilde, deltaker.malgruppe_begrunnelse = (
        malgruppe, MalgruppeKilde.MANUELL, reason.strip(),
    )
    deltaker.save(update_fields=["malgruppe", "malgruppe_kilde", "malgruppe_begrunnelse"])
    _audit_change(actor, "update", obj=deltaker, person=deltaker.person, office=deltaker.office)
    return deltaker


@transaction.atomic
def journal_create(
    *, deltaker: Deltaker, actor: Actor, kind: str, on_date: datetime.date, text: str, is_system: bool = False,
    participants: str = "",
) -> JournalEntry:
    """A dated note. A meeting (trekantmøte or another meeting) lists who took part."""
    if not text.strip():
        raise CourseError({"text": "Journalnotatet kan ikke være tomt."})
    if on_date > timezone.localdate():
        raise CourseError({"date": "Et journalnotat kan ikke dateres fram i tid."})
    if kind in JournalEntry.MEETING_KINDS and not participants.strip():
        raise CourseError({"participants": "Skriv hvem som deltok i møtet."})
    entry = JournalEntry(deltaker=deltaker, kind=kind, date=on_date, text=text.strip(), author=actor.user, is_system=is_system,
                         motedeltakere=participants.strip())
    entry.full_clean()
    entry.save()
    _audit_change(actor, "create", obj=entry, person=deltaker.person, office=deltaker.office)
    return entry


@transaction.atomic
def huskelapp_create(*, deltaker: Deltaker, actor: Actor, due_date: datetime.date, comment: str) -> Huskelapp:
    if not comment.strip():
        raise CourseError({"comment": "Skriv hva huskelappen gjelder."})
    lapp = Huskelapp(deltaker=deltaker, due_date=due_date, comment=comment.strip(), created_by=actor.user)
    lapp.full_clean()
    lapp.save()
    _audit_change(actor, "create", obj=lapp, person=deltaker.person, office=deltaker.office)
    return lapp


@transaction.atomic
def huskelapp_mark_done(*, huskelapp: Huskelapp, actor: Actor) -> Huskelapp:
    lapp = Huskelapp.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(pk=huskelapp.pk)
    if lapp.done_at is not None:
        raise CourseError("Huskelappen er allerede markert som utført.")
    lapp.done_at, lapp.done_by = timezone.now(), actor.user
    lapp.save(update_fields=["done_at", "done_by"])
    _audit_change(actor, "update", obj=lapp, person=lapp.deltaker.person, office=lapp.deltaker.office)
    return lapp


def journal_correct_refusal(entry: JournalEntry, user) -> str | None:
    """Why `user` may not strike out or correct the note, or None: the one rule for the button and the service."""
    if entry.struck_at is not None:
        return "Notatet er allerede strøket."
    if entry.is_system or entry.author_id != user.pk:
        return "Bare den som skrev notatet, kan rette eller stryke det."
    return None


@transaction.atomic
def journal_correct(
    *, entry: JournalEntry, actor: Actor, text: str, reason: str, participants: str | None = None,
) -> JournalEntry | None:
    """Strike out a note and, with a new text, correct it. Only its author may, a note the system
    wrote is not struck, and a struck note stays (readable, struck through) with who, when and why.
    The correction is a new note of the same kind and date that points back to the struck one; a
    meeting's correction may also change who took part (`participants`, None keeps them).
    Returns the correction, or None when the note was only struck out."""
    locked = JournalEntry.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(
        pk=entry.pk)
    refusal = journal_correct_refusal(locked, actor.user)
    if refusal:
        raise CourseError(refusal)
    text, reason = text.strip(), reason.strip()
    participants = locked.motedeltakere if participants is None else participants.strip()
    if not reason:
        raise CourseError({"reason": "Skriv hvorfor notatet rettes eller strykes."})
    if text == locked.text and participants == locked.motedeltakere:
        raise CourseError({"text": "Notatet er uendret. Skriv den rettede teksten, eller tøm feltet for å bare "
                                   "stryke notatet."})
    if text and locked.kind in JournalEntry.MEETING_KINDS and not participants:
        raise CourseError({"participants": "Skriv hvem som deltok i møtet."})
    locked.struck_at, locked.struck_by, locked.struck_reason = timezone.now(), actor.user, reason
    locked.full_clean()
    locked.save(update_fields=["struck_at", "struck_by", "struck_reason"])
    deltaker = locked.deltaker
    _audit_change(actor, "update", obj=locked, person=deltaker.person, office=deltaker.office)
    if not text:
        return None
    correction = JournalEntry(deltaker=deltaker, kind=locked.kind, date=locked.date, text=text, author=actor.user,
                              motedeltakere=participants, corrects=locked)
    correction.full_clean()
    correction.save()
    _audit_change(actor, "create", obj=correction, person=deltaker.person, office=deltaker.office)
    return correction


def huskelapp_undo_refusal(lapp: Huskelapp) -> str | None:
    """Why «Utført» may not be undone on the huskelapp (now), or None: the one rule for the page and the service."""
    if lapp.done_at is None:
        return "Huskelappen er ikke markert som utført."
    if lapp.done_at < timezone.now() - datetime.timedelta(days=Huskelapp.UNDO_DAYS):
        return f"«Utført» kan bare angres de første {Huskelapp.UNDO_DAYS} dagene. Lag en ny huskelapp."
    return None


@transaction.atomic
def huskelapp_undo_done(*, huskelapp: Huskelapp, actor: Actor, reason: str) -> HuskelappAngring:
    """«Utført» was a mistake: the huskelapp is open again, and who had marked it done, who undid it,
    when and why are kept."""
    lapp = Huskelapp.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(pk=huskelapp.pk)
    refusal = huskelapp_undo_refusal(lapp)
    if refusal:
        raise CourseError(refusal)
    if not reason.strip():
        raise CourseError({"reason": "Skriv hvorfor «Utført» angres."})
    undo = HuskelappAngring(huskelapp=lapp, done_at=lapp.done_at, done_by=lapp.done_by, undone_at=timezone.now(),
                            undone_by=actor.user, reason=reason.strip())
    undo.full_clean()
    undo.save()
    lapp.done_at, lapp.done_by = None, None
    lapp.save(update_fields=["done_at", "done_by"])
    _audit_change(actor, "update", obj=lapp, person=lapp.deltaker.person, office=lapp.deltaker.office)
    return undo
