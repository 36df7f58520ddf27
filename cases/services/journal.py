"""Writes on the participant's journal and huskelapper: notes, their correction, reminders and
undoing «Utført». Each enforces its rule, writes an audit entry and refuses with a Norwegian
message that leaves nothing changed."""
import datetime

from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from cases.models import Deltaker, Huskelapp, HuskelappAngring, JournalEntry


class JournalError(DomainError):
    """A refused note or huskelapp; the message is shown to the user as it is."""


def _audit_change(actor: Actor, action: str, *, obj, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=deltaker.person, office=deltaker.office.enhetsnummer)


@transaction.atomic
def journal_create(
    *, deltaker: Deltaker, actor: Actor, kind: str, on_date: datetime.date, text: str, is_system: bool = False,
    participants: str = "",
) -> JournalEntry:
    """A dated note. A meeting (trekantmøte or another meeting) lists who took part."""
    if not text.strip():
        raise JournalError({"text": "Journalnotatet kan ikke være tomt."})
    if on_date > timezone.localdate():
        raise JournalError({"date": "Et journalnotat kan ikke dateres fram i tid."})
    if kind in JournalEntry.MEETING_KINDS and not participants.strip():
        raise JournalError({"participants": "Skriv hvem som deltok i møtet."})
    entry = JournalEntry(deltaker=deltaker, kind=kind, date=on_date, text=text.strip(), author=actor.user, is_system=is_system,
                         motedeltakere=participants.strip())
    JournalError.full_clean(entry)
    entry.save()
    _audit_change(actor, "create", obj=entry, deltaker=deltaker)
    return entry


@transaction.atomic
def huskelapp_create(*, deltaker: Deltaker, actor: Actor, due_date: datetime.date, comment: str) -> Huskelapp:
    if not comment.strip():
        raise JournalError({"comment": "Skriv hva huskelappen gjelder."})
    lapp = Huskelapp(deltaker=deltaker, due_date=due_date, comment=comment.strip(), created_by=actor.user)
    JournalError.full_clean(lapp)
    lapp.save()
    _audit_change(actor, "create", obj=lapp, deltaker=deltaker)
    return lapp


@transaction.atomic
def huskelapp_mark_done(*, huskelapp: Huskelapp, actor: Actor) -> Huskelapp:
    lapp = Huskelapp.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(pk=huskelapp.pk)
    if lapp.done_at is not None:
        raise JournalError("Huskelappen er allerede markert som utført.")
    lapp.done_at, lapp.done_by = timezone.now(), actor.user
    lapp.save(update_fields=["done_at", "done_by"])
    _audit_change(actor, "update", obj=lapp, deltaker=lapp.deltaker)
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
        raise JournalError(refusal)
    text, reason = text.strip(), reason.strip()
    participants = locked.motedeltakere if participants is None else participants.strip()
    if not reason:
        raise JournalError({"reason": "Skriv hvorfor notatet rettes eller strykes."})
    if text == locked.text and participants == locked.motedeltakere:
        raise JournalError({"text": "Notatet er uendret. Skriv den rettede teksten, eller tøm feltet for å bare "
                                   "stryke notatet."})
    if text and locked.kind in JournalEntry.MEETING_KINDS and not participants:
        raise JournalError({"participants": "Skriv hvem som deltok i møtet."})
    locked.struck_at, locked.struck_by, locked.struck_reason = timezone.now(), actor.user, reason
    JournalError.full_clean(locked)
    locked.save(update_fields=["struck_at", "struck_by", "struck_reason"])
    deltaker = locked.deltaker
    _audit_change(actor, "update", obj=locked, deltaker=deltaker)
    if not text:
        return None
    correction = JournalEntry(deltaker=deltaker, kind=locked.kind, date=locked.date, text=text, author=actor.user,
                              motedeltakere=participants, corrects=locked)
    JournalError.full_clean(correction)
    correction.save()
    _audit_change(actor, "create", obj=correction, deltaker=deltaker)
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
        raise JournalError(refusal)
    if not reason.strip():
        raise JournalError({"reason": "Skriv hvorfor «Utført» angres."})
    undo = HuskelappAngring(huskelapp=lapp, done_at=lapp.done_at, done_by=lapp.done_by, undone_at=timezone.now(),
                            undone_by=actor.user, reason=reason.strip())
    JournalError.full_clean(undo)
    undo.save()
    lapp.done_at, lapp.done_by = None, None
    lapp.save(update_fields=["done_at", "done_by"])
    _audit_change(actor, "update", obj=lapp, deltaker=lapp.deltaker)
    return undo
