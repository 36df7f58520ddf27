"""Sporingslogg following NAV's rules: an entry for every showing of a person's data to an
employee and for every change, none for lists, searches or access checks. A view writes the
entry *before* it renders; if the write fails, the exception fails the request and no personal
data leaves the server. Every entry names who acted (an `Actor`) and their role."""
import logging

from django.http import HttpRequest

from alnaaktiv import access
from alnaaktiv.actor import Actor, Via
from alnaaktiv.models import AuditEntry, SecurityEvent

Action = AuditEntry.Action
security_logger = logging.getLogger("alnaaktiv.security")
# Showing or handing out a protected person's data is checked afterwards by a human.
REVIEWED_ACTIONS = {Action.READ, Action.EXPORT}


def _object_fields(obj) -> dict:
    if obj is None:
        return {"object_type": "", "object_id": ""}
    return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)}


def build_entry(action: str, *, actor: Actor, obj=None, person=None, office: str = "",
                needs_review: bool | None = None) -> AuditEntry:
    """An unsaved entry (saved one by one, or in bulk by an import). Reads and exports of a
    protected person, and anything done to one outside a page, are marked for review."""
    protected = person is not None and access.is_protected(person)
    if needs_review is None:
        needs_review = protected and (action in REVIEWED_ACTIONS or actor.via != Via.PAGE)
    return AuditEntry(
        user=actor.user,
        username=actor.username,
        role=actor.role(office),
        office=office,
        action=action,
        path=actor.path[:500],
        request_id=actor.request_id,
        needs_review=needs_review,
        person_fnr=getattr(person, "fnr", "") if person is not None else "",
        **_object_fields(obj),
    )


def record_change(action: str, *, actor: Actor, obj=None, person=None, office: str = "",
                  needs_review: bool | None = None) -> AuditEntry:
    """Write one audit entry for what `actor` did; `person` is the person whose data it is."""
    entry = build_entry(action, actor=actor, obj=obj, person=person, office=office, needs_review=needs_review)
    entry.save()
    return entry


def record(request: HttpRequest, action: str, *, obj=None, person=None, office: str = "",
           needs_review: bool | None = None) -> AuditEntry:
    """An entry for the request's user (a view showing or exporting data)."""
    return record_change(action, actor=Actor.from_request(request), obj=obj, person=person, office=office,
                         needs_review=needs_review)


def record_read(request: HttpRequest, *, person, obj=None, office: str = "") -> AuditEntry:
    return record(request, Action.READ, obj=obj or person, person=person, office=office)


def record_denied(request: HttpRequest, *, status: int, reason: str) -> SecurityEvent:
    # alnaaktiv.middleware imports this module (it logs refusals): a real cycle.
    from alnaaktiv.middleware import client_ip  # noqa: PLC0415 — import cycle with alnaaktiv.middleware

    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    event = SecurityEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        role=access.roles_display(user) if user else "",
        method=request.method or "",
        path=request.path[:500],
        status=status,
        reason=reason[:300],
        ip_address=client_ip(request),
        request_id=getattr(request, "request_id", ""),
    )
    _log_security(event)
    return event


def _security_fields(actor: Actor) -> dict:
    # alnaaktiv.middleware imports this module (it logs refusals): a real cycle.
    from alnaaktiv.middleware import client_ip  # noqa: PLC0415 — import cycle with alnaaktiv.middleware

    request = actor.request
    return {
        "user": actor.user, "username": actor.username, "role": actor.role(),
        "method": (request.method or "") if request is not None else actor.via.upper()[:10],
        "path": (request.path if request is not None else actor.path)[:500],
        "ip_address": client_ip(request) if request is not None else None,
        "request_id": actor.request_id,
    }


def record_security_events(reasons: list[str], *, actor: Actor, status: int = 200) -> list[SecurityEvent]:
    """Security-log entries for acts that were carried out but must be reviewable (an import that
    kept a stored protection, a name change across offices, an admin lowering a protection), one
    per reason, naming who acted and their role. A reason never holds a fødselsnummer: object ids
    only."""
    events = SecurityEvent.objects.bulk_create([
        SecurityEvent(status=status, reason=reason[:300], **_security_fields(actor)) for reason in reasons
    ])
    for event in events:
        _log_security(event)
    return events


def _log_security(event: SecurityEvent) -> None:
    security_logger.info(
        "sikkerhet status=%s bruker=%s rolle=%s metode=%s sti=%s årsak=%s request_id=%s",
        event.status, event.username, event.role, event.method, event.path, event.reason, event.request_id,
    )
