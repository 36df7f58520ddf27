"""Writes of the participant's own voice (issue 16): their statement on the activity plan and on
one version of the § 14 a assessment, and the anonymous end-of-course survey. Each enforces its
rule, writes an audit entry and refuses with a Norwegian message that leaves nothing changed."""
import datetime

from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import Role
from cases.models import (
    Arbeidsevnevurdering,
    Brukerundersokelse,
    Deltaker,
    JournalEntry,
    Lopsstatus,
    Uttalelse,
    UttalelseGjelder,
)
from cases.models.voice import SURVEY_QUESTIONS
from cases.services.journal import journal_create

# Who registers the participant's statement: NAV's people of the participant's office. KAREA
# may read the statement on the plan, never write one.
STATEMENT_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
# Who helps the participant fill in the survey at the end of the course.
SURVEY_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
SURVEY_FIELDS = tuple(code for code, _ in SURVEY_QUESTIONS)


class VoiceError(DomainError):
    """A refused statement or survey answer; shown to the user as it is."""


def statement_refusal(user, deltaker: Deltaker) -> str | None:
    """Why `user` may not register a statement for `deltaker`, or None (the button and the service)."""
    if not access.has_role(user, *STATEMENT_ROLES, office=deltaker.office.enhetsnummer):
        return "Bare veileder, hovedveileder eller prosjektleder ved deltakerens kontor kan registrere uttalelsen."
    return None


@transaction.atomic
def uttalelse_create(
    *, deltaker: Deltaker, actor: Actor, gjelder: str, standpunkt: str, tekst: str, dato: datetime.date,
    med_tolk: bool, vurdering: Arbeidsevnevurdering | None = None,
) -> Uttalelse:
    """The participant's statement, in their own words, on the plan or on one version of the
    assessment. A statement is never changed: a newer one is added and the older ones stay. It is
    not dated in the future, and a statement on the assessment names a version of this
    participant's own assessment."""
    refusal = statement_refusal(actor.user, deltaker)
    if refusal:
        raise VoiceError(refusal)
    if dato is not None and dato > timezone.localdate():
        raise VoiceError({"dato": "Uttalelsen kan ikke dateres fram i tid."})
    if gjelder == UttalelseGjelder.ARBEIDSEVNEVURDERING:
        if vurdering is None or vurdering.deltaker_id != deltaker.pk:
            raise VoiceError({"versjon": "Velg hvilken versjon av arbeidsevnevurderingen uttalelsen gjelder."})
    else:
        vurdering = None
    uttalelse = Uttalelse(deltaker=deltaker, gjelder=gjelder, vurdering=vurdering, standpunkt=standpunkt,
                          tekst=(tekst or "").strip(), dato=dato, med_tolk=med_tolk, registrert_av=actor.user)
    VoiceError.full_clean(uttalelse)
    uttalelse.save()
    audit.record_change("create", actor=actor, obj=uttalelse, person=deltaker.person,
                        office=deltaker.office.enhetsnummer)
    what = ("aktivitetsplanen" if vurdering is None
            else f"arbeidsevnevurderingen (§ 14 a), versjon {vurdering.versjon}")
    # The note tells that the participant spoke, not what they said: the statement is read with its document.
    journal_create(deltaker=deltaker, actor=actor, kind=JournalEntry.Kind.ANNET, on_date=dato, is_system=True,
                   text=f"Deltakerens uttalelse om {what} er registrert"
                        f"{' (gitt med tolk)' if med_tolk else ''}.")
    return uttalelse


# --- the end-of-course survey ----------------------------------------------------------------

def survey_refusal(user, deltaker: Deltaker) -> str | None:
    """Why `user` may not record the survey for `deltaker` now, or None."""
    if not access.has_role(user, *SURVEY_ROLES, office=deltaker.office.enhetsnummer):
        return "Bare veileder, hovedveileder eller prosjektleder ved deltakerens kontor kan registrere undersøkelsen."
    if deltaker.status != Lopsstatus.AVSLUTTET:
        return "Brukerundersøkelsen besvares når løpet er avsluttet."
    if deltaker.undersokelse_besvart is not None:
        return "Deltakeren har allerede svart på brukerundersøkelsen."
    return None


@transaction.atomic
def survey_answer(*, deltaker: Deltaker, actor: Actor, answers: dict[str, int], fritekst: str = "") -> None:
    """Stores one anonymous answer (office and month only, no person) and marks on the participant
    that they answered, in one transaction under a row lock: a participant answers once. The
    audit entry tells that the survey was answered; the answers themselves are in no entry."""
    locked = Deltaker.objects.select_for_update().select_related("person", "office").get(pk=deltaker.pk)
    refusal = survey_refusal(actor.user, locked)
    if refusal:
        raise VoiceError(refusal)
    missing = {code: "Velg et svar fra 1 til 5." for code in SURVEY_FIELDS if answers.get(code) is None}
    if missing:
        raise VoiceError(missing)
    today = timezone.localdate()
    answer = Brukerundersokelse(office=locked.office, maned=today.replace(day=1), fritekst=(fritekst or "").strip(),
                                **{code: answers[code] for code in SURVEY_FIELDS})
    VoiceError.full_clean(answer)
    answer.save()
    Deltaker.objects.filter(pk=locked.pk).update(undersokelse_besvart=today)
    # The participant, not the answer: the entry names the change on the participant only.
    audit.record_change("update", actor=actor, obj=locked, person=locked.person, office=locked.office.enhetsnummer)
    deltaker.undersokelse_besvart = today
