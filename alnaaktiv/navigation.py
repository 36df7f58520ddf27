"""The main menu per role. Feature issues add their pages here, with the roles that see them."""
from dataclasses import dataclass

from django.urls import reverse

from alnaaktiv import access
from alnaaktiv.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str]


# The roles with access to persons: the header's search box (/sok/, alnaaktiv.search) is theirs.
SEARCH_ROLES = frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER, Role.KAREA, Role.VEDTAK, Role.LEDER})

MENU = [
    MenuItem("Start", "start", frozenset(Role.values)),
    MenuItem("Screening", "screening", frozenset({Role.PROSJEKTLEDER, Role.VEILEDER, Role.HOVEDVEILEDER})),
    MenuItem("Import", "register-import", frozenset({Role.PROSJEKTLEDER})),
    MenuItem("Deltakere", "portfolio", frozenset({Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER, Role.KAREA})),
    MenuItem("Avtaler", "appointment-list", frozenset({Role.VEILEDER})),
    MenuItem("Vilkår", "conditions-worklist", frozenset({Role.VEDTAK, Role.LEDER, Role.PROSJEKTLEDER})),
    MenuItem("Mulige brudd", "breach-list", frozenset({Role.VEDTAK, Role.LEDER})),
    MenuItem("Vedtak", "vedtak-list", frozenset({Role.VEDTAK, Role.LEDER, Role.PROSJEKTLEDER})),
    MenuItem("Oppheving", "lifting-queue", frozenset({Role.VEDTAK, Role.LEDER})),
    MenuItem("Utbetalinger", "handover-list", frozenset({Role.VEDTAK, Role.LEDER})),
    MenuItem("Aktivitetsvilkår", "activity-list", frozenset({Role.VEILEDER})),
    # Complaints against a vedtak (the vedtak unit's) and against a § 14 a decision (NAV's follow-up roles).
    MenuItem("Klager", "complaint-list", frozenset({Role.VEDTAK, Role.LEDER, Role.PROSJEKTLEDER, Role.VEILEDER,
                                                    Role.HOVEDVEILEDER})),
    MenuItem("Tilbakeført", "handback-list", frozenset({Role.HOVEDVEILEDER, Role.PROSJEKTLEDER})),
    MenuItem("Arbeidsboks", "arbeidsboks-overview", frozenset({Role.KAREA, Role.VEILEDER, Role.PROSJEKTLEDER})),
    MenuItem("Kurs", "course-list", frozenset({Role.KAREA, Role.VEILEDER, Role.PROSJEKTLEDER})),
    MenuItem("Rapporter", "report-list", frozenset({Role.CONTROLLER, Role.PROSJEKTLEDER})),
]


def shows_search(user) -> bool:
    return access.has_role(user, *SEARCH_ROLES)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for item in MENU:
        if access.has_role(user, *item.roles):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "current": current_path == url})
    if access.is_admin(user):
        items.append({"label": "Administrasjon", "url": reverse("admin:index"), "current": False})
    return items
