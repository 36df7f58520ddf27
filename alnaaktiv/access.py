"""The one place that decides what a user may see and do. Views call these helpers and never
re-implement a check: role (per office), office scope, protection of persons and, for KAREA,
enrolment (decided by the feature apps through `require_*` helpers built on these)."""
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from alnaaktiv.models import Role

PROTECTED_ADDRESS = {"fortrolig", "strengt_fortrolig", "strengt_fortrolig_utland"}
STRICTLY_PROTECTED_ADDRESS = {"strengt_fortrolig", "strengt_fortrolig_utland"}
MASKED_NAME = "Skjermet person"


class AccessDenied(Http404):
    """Outside the user's scope: answered as 404 so that nothing is revealed, but logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RoleDenied(PermissionDenied):
    """The user's role may not do this: answered as 403 and logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def memberships(user) -> frozenset[tuple[str, str]]:
    """(enhetsnummer, role) pairs, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_alnaaktiv_memberships", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("office__enhetsnummer", "role"))
        user._alnaaktiv_memberships = cached
    return cached


def roles(user, office: str | None = None) -> set[str]:
    return {role for enhet, role in memberships(user) if office is None or enhet == office}


def offices(user, *allowed_roles: str) -> set[str]:
    """Enhetsnumre where the user holds one of the roles (any role when none are named)."""
    return {enhet for enhet, role in memberships(user) if not allowed_roles or role in allowed_roles}


def has_role(user, *allowed_roles: str, office: str | None = None) -> bool:
    return bool(roles(user, office) & set(allowed_roles))


def is_admin(user) -> bool:
    return user.is_active and (user.is_superuser or has_role(user, Role.ADMIN))


def require_role(user, *allowed_roles: str, office: str | None = None) -> None:
    """403 unless the user holds one of the roles (in `office`, when given)."""
    if not has_role(user, *allowed_roles, office=office):
        where = f" ved {office}" if office else ""
        raise RoleDenied(f"rolle mangler{where}: krever {', '.join(allowed_roles)}")


def require_office(user, office: str, *allowed_roles: str) -> None:
    """An object of another office is answered as if it did not exist."""
    if office not in offices(user, *allowed_roles):
        raise AccessDenied(f"utenfor kontor {office}")


def may_see_person(user, person) -> bool:
    """Kode 6/7 and skjermede persons are shown only with the matching permission."""
    address = getattr(person, "adressebeskyttelse", "ugradert")
    if address in STRICTLY_PROTECTED_ADDRESS and not user.may_see_strengt_fortrolig:
        return False
    if address == "fortrolig" and not user.may_see_fortrolig:
        return False
    return not (getattr(person, "skjermet", False) and not user.may_see_skjermet)


def visible_persons_q(user) -> Q:
    """may_see_person as a database condition on Person (empty when the user may see everyone).
    Every list, search, count, sort and export leaves out the persons it refuses
    (cases.selectors.hidden_persons), so that a person the user may not see is answered as if it
    did not exist: counts and pages right, no masked row at its real name's place."""
    hidden = set()
    if not user.may_see_strengt_fortrolig:
        hidden |= STRICTLY_PROTECTED_ADDRESS
    if not user.may_see_fortrolig:
        hidden.add("fortrolig")
    condition = Q()
    if hidden:
        condition &= ~Q(adressebeskyttelse__in=sorted(hidden))
    if not user.may_see_skjermet:
        condition &= ~Q(skjermet=True)
    return condition


def require_person_visible(user, person) -> None:
    if not may_see_person(user, person):
        raise AccessDenied("beskyttet eller skjermet person uten tilgang")


def is_protected(person) -> bool:
    return getattr(person, "adressebeskyttelse", "ugradert") in PROTECTED_ADDRESS or bool(
        getattr(person, "skjermet", False)
    )


def display_name(user, person) -> str:
    """The name to show in a list: masked for persons the user may not see."""
    return person.navn if may_see_person(user, person) else MASKED_NAME


def role_required(*allowed_roles: str) -> Callable:
    """View decorator: login first, then one of the roles in any of the user's offices."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, *allowed_roles)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(allowed_roles)
        return wrapped

    return decorator


def roles_display(user, office: str | None = None) -> str:
    return ",".join(sorted(roles(user, office)))
