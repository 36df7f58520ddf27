"""Writes on the participant's course: enrolment, the course's transitions, referral, meetings and
the målgruppe. Each enforces its rule, writes an audit entry and refuses with a Norwegian message
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
    Avtale,
    Avtalestatus,
    Avtaletype,
    CourseEvent,
    Deltaker,
    Lopsstatus,
    MalgruppeKilde,
    Person,
    Rute,
    Sak,
    Tildeling,
)
from cases.models.registers import ArenaRecord, OskarRecord
from cases.selectors.appointments import default_veileder
from cases.selectors.assignments import active_veiledere

# The course (docs/domain.md §3): forward only; `avsluttet` may follow any state but itself, and a
# new appointment after `ikke_mott` may still end in `mott`.
TRANSITIONS: dict[str, set[str]] = {
    Lopsstatus.KANDIDAT: {Lopsstatus.HENVIST},
    Lopsstatus.HENVIST: {Lopsstatus.MOTT, Lopsstatus.IKKE_MOTT},
    Lopsstatus.IKKE_MOTT: {Lopsstatus.MOTT},
    Lopsstatus.MOTT: {Lopsstatus.I_KARTLEGGING},
    Lopsstatus.I_KARTLEGGING: {Lopsstatus.AVKLART},
    Lopsstatus.AVKLART: {Lopsstatus.I_AKTIVITET},
    Lopsstatus.I_AKTIVITET: set(),
    Lopsstatus.AVSLUTTET: set(),
}
for _state in Lopsstatus.values:
    if _state != Lopsstatus.AVSLUTTET:
        TRANSITIONS[_state].add(Lopsstatus.AVSLUTTET)


class CourseError(DomainError):
    """A refused change of the course; the message is shown to the user as it is."""


def allowed_transitions(state: str) -> list[str]:
    return [value for value in Lopsstatus.values if value in TRANSITIONS[state]]


def _event_fields(to_state: str, rute: str, utfall: str) -> dict:
    if to_state == Lopsstatus.AVKLART and rute not in Rute.values:
        raise CourseError({"rute": "Velg en rute når deltakeren er avklart."})
    if to_state == Lopsstatus.AVSLUTTET and not utfall:
        raise CourseError({"utfall": "Velg et utfall når løpet avsluttes."})
    if to_state != Lopsstatus.AVSLUTTET and utfall:
        raise CourseError({"utfall": "Utfall settes bare når løpet avsluttes."})
    return {"rute": rute, "utfall": utfall}


@transaction.atomic
def course_transition(
    *, deltaker: Deltaker, to_state: str, on_date: datetime.date, actor: Actor, rute: str = "", utfall: str = "",
    comment: str = "",
) -> CourseEvent:
    """Move the course to `to_state` on `on_date`: only allowed transitions, dates never go
    backwards and never into the future. Two users acting at once are serialised by a row lock,
    so the second sees the first's state and is refused if the step no longer applies."""
    locked = Deltaker.objects.select_for_update().get(pk=deltaker.pk)
    if to_state == locked.status:
        # Most often a second tab or a colleague who got there first.
        raise CourseError(f"Deltakeren har allerede status «{Lopsstatus(to_state).label}».")
    if to_state not in TRANSITIONS.get(locked.status, set()):
        raise CourseError(
            f"Kan ikke gå fra «{Lopsstatus(locked.status).label}» til «{Lopsstatus(to_state).label}»."
            if to_state in Lopsstatus.values else f"Ukjent status «{to_state}»."
        )
    if on_date < locked.status_dato:
        raise CourseError({"date": (
            f"Datoen {on_date:%d.%m.%Y} er før forrige hendelse ({locked.status_dato:%d.%m.%Y}). Datoer kan ikke gå bakover."
        )})
    if on_date > timezone.localdate():
        raise CourseError({"date": "Datoen kan ikke være fram i tid."})
    event = CourseEvent(deltaker=locked, state=to_state, date=on_date, comment=comment, created_by=actor.user,
                        **_event_fields(to_state, rute, utfall))
    CourseError.full_clean(event)
    event.save()
    locked.status, locked.status_dato = to_state, on_date
    locked.save(update_fields=["status", "status_dato"])
    if to_state == Lopsstatus.AVSLUTTET:
        # An ended course has no meetings left: its planned appointments are cancelled.
        locked.avtaler.filter(status=Avtalestatus.PLANLAGT).update(
            status=Avtalestatus.AVLYST, closed_at=timezone.now(), closed_by=actor.user)
    deltaker.status, deltaker.status_dato = to_state, on_date
    _audit_change(actor, "update", obj=event, person=locked.person, office=locked.office)
    return event


def course_activity_started(
    *, deltaker: Deltaker, on_date: datetime.date, actor: Actor, comment: str,
) -> CourseEvent | None:
    """docs/domain.md §3.4 "Course follows reality": an activity that has started (a placement
    becoming active, a running state measure, a course-like plan activity being carried out)
    moves an `avklart` participant to `i_aktivitet`, in the caller's transaction, as one event
    naming the actor. The date is the activity's start, or the day the participant became
    avklart when the activity began before that. Nothing moves in any other state or for a start
    in the future (the activity's own start step moves it later), and nothing is refused: the
    activity is recorded either way."""
    locked = Deltaker.objects.select_for_update().get(pk=deltaker.pk)
    if locked.status != Lopsstatus.AVKLART or on_date > timezone.localdate():
        return None
    event = course_transition(deltaker=locked, to_state=Lopsstatus.I_AKTIVITET, actor=actor, comment=comment,
                              on_date=max(on_date, locked.status_dato))
    deltaker.status, deltaker.status_dato = locked.status, locked.status_dato
    return event


def _audit_change(actor: Actor, action: str, *, obj, person, office: Office) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=person, office=office.enhetsnummer)


def derive_malgruppe(*, person: Person, sak: Sak | None, on_date: datetime.date) -> str:
    """docs/domain.md §6: the first that applies on the referral date wins."""
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
def participant_enroll(
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
        person=person, office=office, sak=sak, rolle=rolle, status=Lopsstatus.KANDIDAT, status_dato=on_date,
        arbeidssokerstatus=arena["arbeidssokerstatus"] if registered else "ikke_registrert",
        innsatsgruppe=arena["innsatsgruppe"] if arena else "",
    )
    CourseError.full_clean(deltaker)
    deltaker.save()
    CourseEvent.objects.create(deltaker=deltaker, state=Lopsstatus.KANDIDAT, date=on_date, created_by=actor.user)
    _audit_change(actor, "create", obj=deltaker, person=person, office=office)
    return deltaker


def default_sted(office: Office) -> str:
    """Where a meeting is when nothing else is said: Alna Aktiv at the office."""
    return f"Alna Aktiv, {office.name}"


def _first_meeting(deltaker: Deltaker, actor: Actor, *, starts_at: datetime.datetime, sted: str, tolk: bool,
                   tolkesprak: str) -> Avtale:
    """The first meeting as an unsaved appointment, checked (its refusal at the field it is about)."""
    avtale = Avtale(deltaker=deltaker, kind=Avtaletype.FORSTE_MOTE, starts_at=starts_at,
                    sted=sted.strip() or default_sted(deltaker.office), tolk=tolk,
                    tolkesprak=tolkesprak.strip() if tolk else "", veileder=deltaker.veileder, created_by=actor.user)
    CourseError.full_clean(avtale)
    return avtale


def _save_first_meeting(avtale: Avtale, deltaker: Deltaker, actor: Actor) -> Avtale:
    avtale.veileder = deltaker.veileder
    avtale.save()
    _audit_change(actor, "create", obj=avtale, person=deltaker.person, office=deltaker.office)
    return avtale


def referral_veileder_refusal(deltaker: Deltaker, veileder) -> str | None:
    """A referral assigns an active veileder of the participant's office, nobody else."""
    if veileder is not None and not active_veiledere([deltaker.office.enhetsnummer]).filter(pk=veileder.pk).exists():
        return "Velg en aktiv veileder ved kontoret."
    return None


@transaction.atomic
def participant_refer(
    *, deltaker: Deltaker, actor: Actor, reason: str, first_appointment: datetime.datetime, on_date: datetime.date | None = None,
    veileder=None, sted: str = "", tolk: bool = False, tolkesprak: str = "",
) -> CourseEvent:
    """Henvisning by the hovedveileder: reason and first appointment are required; the target
    group is derived on the referral date unless it was imported or set by hand. The follow-up
    veileder is the one chosen, or by the office's rule (selectors.default_veileder) when none is,
    and is set at once; the first appointment becomes a planned first meeting (Avtale)."""
    if not reason.strip():
        raise CourseError({"reason": "Skriv en begrunnelse for henvisningen."})
    on_date = on_date or timezone.localdate()
    if first_appointment.date() < on_date:
        raise CourseError({"first_appointment": "Første avtale kan ikke være før henvisningsdatoen."})
    refusal = referral_veileder_refusal(deltaker, veileder)
    if refusal:
        raise CourseError({"veileder": refusal})
    avtale = _first_meeting(deltaker, actor, starts_at=first_appointment, sted=sted, tolk=tolk, tolkesprak=tolkesprak)
    event = course_transition(deltaker=deltaker, to_state=Lopsstatus.HENVIST, on_date=on_date, actor=actor, comment=reason)
    deltaker.refresh_from_db()
    deltaker.hovedveileder = deltaker.hovedveileder or actor.user
    chosen = veileder or deltaker.veileder or default_veileder(deltaker.office)
    if chosen is not None and chosen.pk != deltaker.veileder_id:
        record_assignment(deltaker, to_veileder=chosen, reason=Tildeling.REFERRAL_REASON, actor=actor,
                          now=_moment_on(on_date))
    deltaker.henvisningsgrunn = reason.strip()
    deltaker.forste_avtale = first_appointment
    if deltaker.malgruppe_kilde == MalgruppeKilde.AVLEDET:
        deltaker.malgruppe = derive_malgruppe(person=deltaker.person, sak=deltaker.sak, on_date=on_date)
    deltaker.save(update_fields=["hovedveileder", "veileder", "henvisningsgrunn", "forste_avtale", "malgruppe"])
    _audit_change(actor, "update", obj=deltaker, person=deltaker.person, office=deltaker.office)
    _save_first_meeting(avtale, deltaker, actor)
    return event


def _moment_on(on_date: datetime.date) -> datetime.datetime:
    """Now, or noon of a past date (a referral registered afterwards), for the course history."""
    now = timezone.now()
    if on_date >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(on_date, datetime.time(12)))


def record_assignment(deltaker: Deltaker, *, to_veileder, reason: str, actor: Actor, now=None) -> Tildeling:
    """Give the (locked) participant `to_veileder`, kept as a Tildeling in the course history and
    audited; the caller has checked the rules."""
    tildeling = Tildeling(deltaker=deltaker, from_veileder_id=deltaker.veileder_id, to_veileder=to_veileder,
                          reason=reason, assigned_by=actor.user, assigned_at=now or timezone.now())
    CourseError.full_clean(tildeling)
    tildeling.save()
    # The planned meetings follow the participant to the new veileder («Mine avtaler», letters).
    Avtale.objects.filter(deltaker=deltaker, status=Avtalestatus.PLANLAGT, veileder_id=deltaker.veileder_id).update(
        veileder=to_veileder)
    deltaker.veileder = to_veileder
    deltaker.save(update_fields=["veileder"])
    _audit_change(actor, "create", obj=tildeling, person=deltaker.person, office=deltaker.office)
    return tildeling


def _close_first_meeting(deltaker: Deltaker, actor: Actor, *, met: bool) -> Avtale | None:
    """The open first meeting gets the outcome registered on the course."""
    avtale = (Avtale.objects.select_for_update()
              .filter(deltaker=deltaker, kind=Avtaletype.FORSTE_MOTE, status=Avtalestatus.PLANLAGT).first())
    if avtale is None:
        return None
    avtale.status = Avtalestatus.MOTT if met else Avtalestatus.IKKE_MOTT
    avtale.closed_at, avtale.closed_by = timezone.now(), actor.user
    CourseError.full_clean(avtale)
    avtale.save(update_fields=["status", "closed_at", "closed_by"])
    _audit_change(actor, "update", obj=avtale, person=deltaker.person, office=deltaker.office)
    return avtale


@transaction.atomic
def participant_register_meeting(
    *, deltaker: Deltaker, actor: Actor, met: bool, on_date: datetime.date, new_appointment: datetime.datetime | None = None,
) -> CourseEvent:
    """The first meeting at Alna Aktiv: met or not met. It closes the planned first meeting with
    that outcome; not met may carry a new appointment (a new first meeting at the same place)."""
    if not met and new_appointment is not None and new_appointment.date() < on_date:
        raise CourseError({"new_appointment": "Den nye avtalen kan ikke være før møtedatoen."})
    event = course_transition(deltaker=deltaker, to_state=Lopsstatus.MOTT if met else Lopsstatus.IKKE_MOTT, on_date=on_date,
                                actor=actor)
    deltaker.refresh_from_db()
    if met and deltaker.veileder_id is None:
        deltaker.veileder = actor.user
    closed = _close_first_meeting(deltaker, actor, met=met)
    if not met:
        # forste_avtale follows the planned first meeting: the new one, or none.
        deltaker.forste_avtale = new_appointment
    deltaker.save(update_fields=["veileder", "forste_avtale"])
    if not met and new_appointment is not None:
        avtale = _first_meeting(
            deltaker, actor, starts_at=new_appointment, sted=closed.sted if closed else "",
            tolk=closed.tolk if closed else False, tolkesprak=closed.tolkesprak if closed else "")
        _save_first_meeting(avtale, deltaker, actor)
    return event


@transaction.atomic
def participant_set_malgruppe(*, deltaker: Deltaker, malgruppe: str, reason: str, actor: Actor) -> Deltaker:
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
