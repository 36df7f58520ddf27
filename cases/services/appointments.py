"""Writes on appointments (avtaler): a follow-up meeting made by the veileder, the outcome of an
appointment registered (which closes it), and «registrer møtt» for a day's group meeting. The first
meeting's outcome moves the course, through participant_register_meeting."""
from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases.models import Avtale, Avtalestatus, Avtaletype, Deltaker, Lopsstatus
from cases.services.attendance_hooks import KILDE_MOTE, TILBUD_ALNA_AKTIV, Attendance, attendance_recorded
from cases.services.course import CourseError, default_sted, participant_register_meeting

# «Ikke møtt – gyldig fravær»: not met (the status), with the absence approved (Avtale.gyldig_fravaer).
IKKE_MOTT_GYLDIG = "ikke_mott_gyldig"
OUTCOMES = (Avtalestatus.MOTT, Avtalestatus.IKKE_MOTT, IKKE_MOTT_GYLDIG, Avtalestatus.AVLYST)
OUTCOME_LABELS = {Avtalestatus.MOTT: "Møtt", Avtalestatus.IKKE_MOTT: "Ikke møtt",
                  IKKE_MOTT_GYLDIG: "Ikke møtt – gyldig fravær", Avtalestatus.AVLYST: "Avlyst"}
# Follow-up meetings come after the first meeting and before the course ends.
FOLLOW_UP_STATES = (Lopsstatus.MOTT, Lopsstatus.I_KARTLEGGING, Lopsstatus.AVKLART, Lopsstatus.I_AKTIVITET)


def _audit(actor: Actor, action: str, avtale: Avtale, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=avtale, person=deltaker.person, office=deltaker.office.enhetsnummer)


def appointment_create_refusal(user, deltaker: Deltaker) -> str | None:
    """A follow-up meeting is made by a veileder of the office, between the first meeting and the end."""
    if not access.has_role(user, Role.VEILEDER, office=deltaker.office.enhetsnummer):
        return "Bare veiledere ved kontoret kan avtale møter."
    if deltaker.status not in FOLLOW_UP_STATES:
        return ("Løpet er avsluttet." if deltaker.status == Lopsstatus.AVSLUTTET
                else "Første møte avtales ved henvisningen og registreres før nye møter avtales.")
    return None


@transaction.atomic
def appointment_create(*, deltaker: Deltaker, actor: Actor, starts_at, sted: str, tolk: bool = False,
                       tolkesprak: str = "", veileder=None) -> Avtale:
    """A follow-up meeting, held by the participant's veileder (or the one who makes it)."""
    refusal = appointment_create_refusal(actor.user, deltaker)
    if refusal:
        raise CourseError(refusal)
    if timezone.localtime(starts_at).date() < timezone.localdate():
        raise CourseError({"starts_at": "Avtalen kan ikke være tilbake i tid."})
    avtale = Avtale(deltaker=deltaker, kind=Avtaletype.OPPFOLGING, starts_at=starts_at,
                    sted=sted.strip() or default_sted(deltaker.office), tolk=tolk,
                    tolkesprak=tolkesprak.strip() if tolk else "",
                    veileder=veileder or deltaker.veileder or actor.user, created_by=actor.user)
    CourseError.full_clean(avtale)
    avtale.save()
    _audit(actor, "create", avtale, deltaker)
    return avtale


def appointment_close_refusal(user, avtale: Avtale) -> str | None:
    """The outcome is registered once, by a veileder of the office, from the appointment's day on."""
    if not access.has_role(user, Role.VEILEDER, office=avtale.deltaker.office.enhetsnummer):
        return "Bare veiledere ved kontoret kan registrere utfallet av en avtale."
    if not avtale.is_open:
        return f"Utfallet av avtalen er allerede registrert («{avtale.get_status_display()}»)."
    if timezone.localtime(avtale.starts_at).date() > timezone.localdate():
        return "Utfallet kan registreres fra avtaledagen."
    return None


def _document_attendance(avtale: Avtale, actor: Actor) -> None:
    """A met or missed appointment documents the person's vilkår on Alna Aktiv's meetings (one
    planned day; an excused no-show is approved absence). A cancelled one documents nothing."""
    if avtale.status not in (Avtalestatus.MOTT, Avtalestatus.IKKE_MOTT):
        return
    when = timezone.localtime(avtale.starts_at)
    met = avtale.status == Avtalestatus.MOTT
    attendance_recorded(Attendance(
        person_id=avtale.deltaker.person_id, tilbud=TILBUD_ALNA_AKTIV, kilde=KILDE_MOTE, kilde_ref=f"avtale:{avtale.pk}",
        on_date=when.date(), planlagte_dager=1, oppmotte_dager=int(met), fravaer_godkjent=int(avtale.gyldig_fravaer),
        hendelse=f"{avtale.get_kind_display()} {when:%d.%m.%Y} kl. {when:%H.%M}: {avtale.outcome_label.lower()}",
    ), actor)


@transaction.atomic
def appointment_close(*, avtale: Avtale, actor: Actor, outcome: str) -> Avtale:
    """Register the outcome (møtt, ikke møtt, ikke møtt – gyldig fravær, avlyst), which closes the
    appointment and documents the person's vilkår on Alna Aktiv's meetings. The first meeting's
    outcome is the course's: it goes through participant_register_meeting on the appointment's
    day (a first meeting is not cancelled: not met, and a new one is made)."""
    locked = Avtale.objects.select_for_update().get(pk=avtale.pk)
    locked.deltaker = avtale.deltaker
    refusal = appointment_close_refusal(actor.user, locked)
    if refusal:
        raise CourseError(refusal)
    if outcome not in OUTCOMES:
        raise CourseError({"outcome": "Velg et gyldig utfall."})
    excused = outcome == IKKE_MOTT_GYLDIG
    status = Avtalestatus.IKKE_MOTT if excused else outcome
    if locked.kind == Avtaletype.FORSTE_MOTE:
        if status == Avtalestatus.AVLYST:
            raise CourseError({"outcome": "Et første møte avlyses ikke: registrer «Ikke møtt» og avtal et nytt "
                                          "møte på deltakersiden."})
        participant_register_meeting(deltaker=locked.deltaker, actor=actor, met=status == Avtalestatus.MOTT,
                                     on_date=timezone.localtime(locked.starts_at).date())
        locked.refresh_from_db(fields=["status", "closed_at", "closed_by"])
        if excused:
            locked.gyldig_fravaer = True
            locked.save(update_fields=["gyldig_fravaer"])
        _document_attendance(locked, actor)
        return locked
    locked.status, locked.gyldig_fravaer = status, excused
    locked.closed_at, locked.closed_by = timezone.now(), actor.user
    CourseError.full_clean(locked)
    locked.save(update_fields=["status", "gyldig_fravaer", "closed_at", "closed_by"])
    _audit(actor, "update", locked, locked.deltaker)
    _document_attendance(locked, actor)
    return locked


@transaction.atomic
def appointments_register_met(*, avtaler: list[Avtale], actor: Actor) -> int:
    """«Registrer møtt» for several appointments at once (a day's group meeting): each through
    appointment_close; one refused and none is registered."""
    if not avtaler:
        raise CourseError({"avtaler": "Velg minst én avtale."})
    for avtale in avtaler:
        try:
            appointment_close(avtale=avtale, actor=actor, outcome=Avtalestatus.MOTT)
        except CourseError as error:
            when = timezone.localtime(avtale.starts_at)
            raise CourseError(
                f"{avtale.deltaker.person.navn} ({when:%d.%m.%Y} kl. {when:%H.%M}): {' '.join(error.messages)} "
                "Ingen av avtalene ble registrert."
            ) from error
    return len(avtaler)
