"""The screening's writes: enrolling chosen candidates, and excluding a candidate (and undoing it)
with a reason, audited. The funnel itself is a read (cases.selectors.screening)."""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import Office
from cases.choices import SakRolle
from cases.models import Deltaker, Person, Sak, ScreeningExclusion
from cases.selectors.screening import Candidate
from cases.services.course import participant_enroll


class ScreeningError(DomainError):
    """A refused exclusion or undo; the message is shown to the user as it is."""


@dataclass
class EnrolResult:
    enrolled: int = 0
    already: int = 0
    refusals: list[str] = field(default_factory=list)  # «navn: why», one per candidate refused


def candidates_enroll(*, candidates: list[Candidate], office: Office, actor: Actor, on_date: datetime.date) -> EnrolResult:
    """Enrol the chosen candidates of the screening as participants (status kandidat), each on its
    own: one refused (e.g. enrolled by a colleague meanwhile) does not stop the others, and one
    already a participant is counted, not enrolled again."""
    result = EnrolResult()
    persons = Person.objects.in_bulk([candidate.hovedperson.id for candidate in candidates])
    saker = {sak.saksnummer: sak for sak in Sak.objects.filter(
        office=office, saksnummer__in=[candidate.saksnummer for candidate in candidates])}
    for candidate in candidates:
        if candidate.is_deltaker:
            result.already += 1
            continue
        try:
            participant_enroll(person=persons[candidate.hovedperson.id], office=office, sak=saker.get(candidate.saksnummer),
                               rolle=SakRolle.HOVEDPERSON, actor=actor, on_date=on_date)
        except ValidationError as error:
            result.refusals.append(f"{candidate.hovedperson.navn}: {' '.join(error.messages)}")
        else:
            result.enrolled += 1
    return result


@transaction.atomic
def candidate_enroll_for_referral(*, candidate: Candidate, office: Office, actor: Actor,
                                  on_date: datetime.date | None = None) -> Deltaker:
    """«Henvis» on the candidate list (the hovedveileder, docs/domain.md §4): the candidate's
    participant in the office, enrolled now as `kandidat` (audited by participant_enroll) unless
    it already is one. Two hovedveiledere clicking at once get the same participant: the person's
    row lock makes the second wait and then find the first's enrolment (and where the database
    has no row locks, the unique (person, office) constraint sends it to the same place)."""
    Person.objects.select_for_update().filter(pk=candidate.hovedperson.id).first()
    existing = Deltaker.objects.filter(person_id=candidate.hovedperson.id, office=office).first()
    if existing is not None:
        return existing
    person = Person.objects.get(pk=candidate.hovedperson.id)
    sak = Sak.objects.filter(office=office, saksnummer=candidate.saksnummer).first()
    try:
        with transaction.atomic():
            return participant_enroll(person=person, office=office, sak=sak, rolle=SakRolle.HOVEDPERSON, actor=actor,
                                      on_date=on_date or timezone.localdate())
    except (IntegrityError, ValidationError):
        existing = Deltaker.objects.filter(person=person, office=office).first()
        if existing is None:
            raise
        return existing


def screening_exclude_refusal(*, office: Office, person: Person) -> str | None:
    """Why the person may not be excluded in the office (now), or None."""
    if ScreeningExclusion.objects.filter(office=office, person=person, undone_at__isnull=True).exists():
        return "Personen er allerede ekskludert ved dette kontoret."
    if Deltaker.objects.filter(office=office, person=person).exists():
        return "Personen er allerede deltaker i Alna Aktiv og kan ikke ekskluderes fra kandidatlisten."
    return None


@transaction.atomic
def screening_exclude(*, office: Office, person: Person, reason: str, actor: Actor) -> ScreeningExclusion:
    """Remove a person from the office's candidates for an obvious barrier. The reason is
    mandatory, a person is excluded once per office, and the exclusion is audited."""
    reason = reason.strip()
    if not reason:
        raise ScreeningError({"begrunnelse": "Skriv en begrunnelse for å ekskludere kandidaten."})
    # Two users excluding the same person at once: the person's row lock makes the second wait
    # and then see the first's exclusion.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    refusal = screening_exclude_refusal(office=office, person=person)
    if refusal:
        raise ScreeningError(refusal)
    exclusion = ScreeningExclusion(office=office, person=person, reason=reason, excluded_by=actor.user)
    ScreeningError.full_clean(exclusion)
    exclusion.save()
    audit.record_change("create", actor=actor, obj=exclusion, person=person, office=office.enhetsnummer)
    return exclusion


def screening_exclusion_undo_refusal(exclusion: ScreeningExclusion) -> str | None:
    """Why the exclusion may not be undone (now), or None: the one rule for the page and the service."""
    return "Ekskluderingen er allerede angret." if exclusion.undone_at is not None else None


@transaction.atomic
def screening_exclusion_undo(*, exclusion: ScreeningExclusion, reason: str, actor: Actor) -> ScreeningExclusion:
    """An exclusion made by mistake is undone with a reason: the person is a candidate again, and
    the exclusion stays with who undid it, when and why."""
    locked = ScreeningExclusion.objects.select_for_update().select_related("office", "person").get(pk=exclusion.pk)
    refusal = screening_exclusion_undo_refusal(locked)
    if refusal:
        raise ScreeningError(refusal)
    if not reason.strip():
        raise ScreeningError({"begrunnelse": "Skriv hvorfor ekskluderingen angres."})
    locked.undone_at, locked.undone_by, locked.undo_reason = timezone.now(), actor.user, reason.strip()
    ScreeningError.full_clean(locked)
    locked.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit.record_change("update", actor=actor, obj=locked, person=locked.person, office=locked.office.enhetsnummer)
    return locked
