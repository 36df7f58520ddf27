"""Reads for assigning participants to a veileder (docs/domain.md §3.4 "Veileder"): who may hand
over, to whom, and which participants, scoped to the user with a fixed number of queries."""
from django.db.models import Q, QuerySet

from alnaaktiv import access
from alnaaktiv.models import Role, User
from cases.models import Deltaker, Lopsstatus
from cases.selectors.participants import participants_for_user

# Roles that may hand a participant of their office over to another veileder: the veileder (their
# own or a colleague's, e.g. before a holiday), the hovedveileder and the project leader.
ASSIGN_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
UNASSIGNED = "uten"


def active_veiledere(offices) -> QuerySet[User]:
    """Active users who are veileder at one of `offices` (enhetsnumre): who a participant may be
    handed to."""
    return (User.objects.filter(memberships__role=Role.VEILEDER, memberships__office__enhetsnummer__in=offices,
                                is_active=True)
            .distinct().order_by("first_name", "last_name", "username"))


def assignable_participants(user, *, veileder: str = "") -> QuerySet[Deltaker]:
    """The participants the user may hand over: referred and ongoing courses of the offices where they hold
    an assigning role, protected persons they may not see left out; `veileder` narrows to one
    veileder's participants (a user id) or to those without one (UNASSIGNED)."""
    rows = (participants_for_user(user)
            .filter(office__enhetsnummer__in=access.offices(user, *ASSIGN_ROLES))
            .exclude(status__in=[Lopsstatus.AVSLUTTET, Lopsstatus.KANDIDAT]))
    if veileder == UNASSIGNED:
        rows = rows.filter(veileder__isnull=True)
    elif veileder:
        rows = rows.filter(Q(veileder_id=veileder))
    return rows.select_related("person", "office", "veileder").order_by("person__navn", "id")
