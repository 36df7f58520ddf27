"""Sporingslogg following NAV's rules: an entry for every showing of a person's data to an
employee and for every change, none for lists, searches or access checks. A view writes the
entry *before* it renders; if the write fails, the exception fails the request and no personal
data leaves the server."""
import getpass
import logging
import sys

from django.http import HttpRequest

from alnaaktiv import access
from alnaaktiv.models import AuditEntry, SecurityEvent

Action = AuditEntry.Action
security_logger = logging.getLogger("alnaaktiv.security")


def _object_fields(obj) -> dict:
    if obj is None:
        return {"object_type": "", "object_id": ""}
    return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)}


def build_entry(action: str, *, request: HttpRequest | None = None, user=None, command: str = "", obj=None,
                person=None, office: str = "") -> AuditEntry:
    """An unsaved entry (saved one by one, or in bulk by an import). With a request it names the
    request's user and page; without one it is a management command's, run by operations staff
    or, from a task, on behalf of `user`."""
    person_fields = {"person_fnr": getattr(person, "fnr", "") if person is not None else ""}
    if request is not None:
        user = request.user
        return AuditEntry(
            user=user,
            username=user.get_username(),
            role=access.roles_display(user, office or None) or access.roles_display(user),
            office=office,
            action=action,
            path=request.get_full_path()[:500],
            request_id=getattr(request, "request_id", ""),
            needs_review=action == Action.READ and person is not None and access.is_protected(person),
            **person_fields,
            **_object_fields(obj),
        )
    return AuditEntry(
        user=None,
        username=user.get_username() if user is not None else f"kommando:{getpass.getuser()}",
        role="drift",
        office=office,
        action=action,
        # Only the subcommand's name: its arguments may hold a fødselsnummer.
        path=command or " ".join(["manage.py", *sys.argv[1:2]]),
        needs_review=person is not None and access.is_protected(person),
        **person_fields,
        **_object_fields(obj),
    )


def record(request: HttpRequest, action: str, *, obj=None, person=None, office: str = "") -> AuditEntry:
    """Write one audit entry for the request's user; `person` is the person whose data it is."""
    entry = build_entry(action, request=request, obj=obj, person=person, office=office)
    entry.save()
    return entry


def record_read(request: HttpRequest, *, person, obj=None, office: str = "") -> AuditEntry:
    return record(request, Action.READ, obj=obj or person, person=person, office=office)


def record_command(action: str, *, command: str = "", obj=None, person=None, office: str = "", user=None) -> AuditEntry:
    """An audit entry for a management command run by operations staff."""
    entry = build_entry(action, user=user, command=command, obj=obj, person=person, office=office)
    entry.save()
    return entry


def record_change(action: str, *, request: HttpRequest | None, user=None, obj=None, person=None,
                  office: str = "") -> AuditEntry:
    """A service's change, made from a page (`request`) or from a command."""
    if request is not None:
        return record(request, action, obj=obj, person=person, office=office)
    return record_command(action, obj=obj, person=person, office=office, user=user)


def record_denied(request: HttpRequest, *, status: int, reason: str) -> SecurityEvent:
    from alnaaktiv.middleware import client_ip

    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    event = SecurityEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        method=request.method or "",
        path=request.path[:500],
        status=status,
        reason=reason[:300],
        ip_address=client_ip(request),
        request_id=getattr(request, "request_id", ""),
    )
    security_logger.info(
        "avvist status=%s bruker=%s metode=%s sti=%s årsak=%s request_id=%s",
        status, event.username, event.method, event.path, event.reason, event.request_id,
    )
    return event


def record_security_events(reasons: list[str], *, request: HttpRequest | None = None, user=None,
                           command: str = "", status: int = 200) -> list[SecurityEvent]:
    """Security-log entries for things that were carried out but must be reviewable (an import
    that kept a stored protection, a name change across offices, an admin lowering a protection),
    one per reason. From a page they name the request's user, page and address; from a command
    the command. A reason never holds a fødselsnummer: object ids only."""
    from alnaaktiv.middleware import client_ip

    if request is not None:
        user = request.user if request.user.is_authenticated else None
        fields = {"method": request.method or "", "path": request.path[:500], "ip_address": client_ip(request),
                  "request_id": getattr(request, "request_id", "")}
    else:
        fields = {"method": "", "path": command or " ".join(["manage.py", *sys.argv[1:2]]), "ip_address": None,
                  "request_id": ""}
    username = user.get_username() if user is not None else f"kommando:{getpass.getuser()}"
    events = SecurityEvent.objects.bulk_create([
        SecurityEvent(user=user, username=username, status=status, reason=reason[:300], **fields)
        for reason in reasons
    ])
    for event in events:
        security_logger.info(
            "merknad status=%s bruker=%s metode=%s sti=%s årsak=%s request_id=%s",
            status, event.username, event.method, event.path, event.reason, event.request_id,
        )
    return events
