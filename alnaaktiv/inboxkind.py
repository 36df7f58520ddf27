"""What an inbox item is, in the base so that every app can describe its own kinds
(cases/conditions/arbeidsboks selectors) and the frame (alnaaktiv/inbox.py) composes them per role.

One kind is one condition: `rows(user)` is the queryset of the objects in the user's inbox, scoped
to the user's offices and roles with protected persons left out in the database; the start page's
count and the inbox list are both read from it, so they cannot disagree."""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from alnaaktiv.models import InboxSeen


@dataclass(frozen=True)
class InboxKind:
    code: str  # in the URL (/innboks/<code>/) and in InboxSeen.kind
    label: str  # the start page's line
    what: str  # what happened, shown next to each item
    rows: Callable[..., QuerySet]  # rows(user): the objects in the user's inbox
    date: str  # the field the item happened on: newest first, and shown
    person: str  # the path to the person, for the name
    url: Callable[[object], str]  # the object's page
    related: tuple[str, ...] = ()  # select_related for the list


def seen_q(user, kind: InboxKind) -> Exists:
    """The item (a row of kind.rows) was opened by the user from the inbox."""
    return Exists(InboxSeen.objects.filter(user=user, kind=kind.code, object_id=OuterRef("pk")))


def unseen_q(user, kind: InboxKind) -> Q:
    return ~Q(seen_q(user, kind))
