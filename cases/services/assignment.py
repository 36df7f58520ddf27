"""Assigning participants to an Alna Aktiv veileder: the first choice at the referral and the
hand-over of one or many (a holiday, a long absence) with a reason (docs/domain.md §3.4
"Veileder"). Every change is a `Tildeling` row, shown in the course history, and an audit entry."""
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.models import Membership, Role, User
from cases.models import Deltaker, Lopsstatus, Tildeling
from cases.selectors.assignments import ASSIGN_ROLES
from cases.services.course import CourseError, record_assignment


def veileder_assign_refusal(user, deltaker: Deltaker) -> str | None:
    """Why `user` may not hand `deltaker` over to another veileder, or None when they may."""
    if not access.has_role(user, *ASSIGN_ROLES, office=deltaker.office.enhetsnummer):
        return "Bare veiledere, hovedveiledere og prosjektleder ved kontoret kan bytte veileder."
    if deltaker.status == Lopsstatus.AVSLUTTET:
        return "Løpet er avsluttet. Veileder kan ikke byttes."
    if deltaker.status == Lopsstatus.KANDIDAT:
        return "Deltakeren er ikke henvist ennå. Veileder velges når hovedveilederen henviser."
    return None


def _names(deltakere) -> str:
    return ", ".join(deltaker.person.navn for deltaker in deltakere)


def _check_rights(deltakere: list[Deltaker], actor: Actor) -> None:
    """Every participant must be one the actor may hand over; the refusal names those who are not."""
    if actor.user is None:  # operations at the shell: the command checked who asked
        return
    refused = defaultdict(list)
    for deltaker in deltakere:
        reason = veileder_assign_refusal(actor.user, deltaker)
        if reason:
            refused[reason].append(deltaker)
    if refused:
        raise CourseError({"deltakere": [f"{reason} Gjelder: {_names(rows)}." for reason, rows in refused.items()]})


def _check_veileder(deltakere: list[Deltaker], to_veileder: User) -> None:
    """The new veileder must be an active veileder at each participant's office."""
    offices = {deltaker.office for deltaker in deltakere}
    veileder_at = set(Membership.objects.filter(user=to_veileder, role=Role.VEILEDER, office__in=offices)
                      .values_list("office_id", flat=True)) if to_veileder.is_active else set()
    foreign = sorted(office.name for office in offices if office.pk not in veileder_at)
    if foreign:
        raise CourseError({"to_veileder": f"{to_veileder.display_name} er ikke aktiv veileder ved "
                                          f"{', '.join(foreign)}."})


@transaction.atomic
def veileder_assign(*, deltakere: list[Deltaker], to_veileder: User, reason: str, actor: Actor) -> list[Tildeling]:
    """Give the participants `to_veileder` as their Alna Aktiv veileder, all or none: a reason is
    required, the new veileder must be an active veileder at each one's office, an ended course is
    not handed over, and the actor must hold an assigning role there (veileder_assign_refusal).
    A participant who already has `to_veileder` is left as it is (a holiday hand-over may select
    everyone of a list); when that leaves nobody to change, it is refused. The participants are
    locked, so two hand-overs of the same participant at once are made one after the other and the
    second one's «from» is the first one's «to». The referral records its choice through the same `record_assignment`.
    Returns the assignments made."""
    reason = reason.strip()
    if not reason:
        raise CourseError({"reason": "Skriv en begrunnelse for byttet av veileder."})
    if not deltakere:
        raise CourseError({"deltakere": "Velg minst én deltaker."})
    ids = [deltaker.pk for deltaker in deltakere]
    # Lock first, then read: a row locked after waiting is re-read by PostgreSQL, but a joined row
    # (the old veileder) would not be, and would come back empty.
    list(Deltaker.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    locked = list(Deltaker.objects.select_related("person", "office", "veileder").filter(pk__in=ids).order_by("pk"))
    _check_rights(locked, actor)
    _check_veileder(locked, to_veileder)
    changing = [deltaker for deltaker in locked if deltaker.veileder_id != to_veileder.pk]
    if not changing:
        who = "Deltakeren" if len(locked) == 1 else "Alle de valgte deltakerne"
        raise CourseError({"to_veileder": f"{who} har allerede {to_veileder.display_name} som veileder."})
    now = timezone.now()
    made = []
    for deltaker in changing:
        tildeling = record_assignment(deltaker, to_veileder=to_veileder, reason=reason, actor=actor, now=now)
        made.append(tildeling)
    for given in deltakere:  # the caller's objects show the new veileder too
        given.veileder = to_veileder
    return made
