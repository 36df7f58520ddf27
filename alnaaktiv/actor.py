"""Who acted. Every service that writes takes an `Actor`, so that each audit and security entry
names the employee who acted and their role — from a page, a command or a background job alike.

- From a page: `Actor.from_request(request)` (the logged-in employee, the page, the request id).
- From a command: `Actor.for_user(user, "manage.py import_registers")` when the operator named
  the employee (`--bruker`), else `Actor.operator(...)`: the shell account, with the role `drift`.
- In a background job: the page hands `actor.task_payload()` to the task, which rebuilds it with
  `Actor.from_task(payload, "<task>")`: the employee who ordered it, marked as background work.
"""
from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.management.base import CommandError

from alnaaktiv import access
from alnaaktiv.models import User

if TYPE_CHECKING:
    from django.http import HttpRequest

OPERATIONS_ROLE = "drift"
SYSTEM_ROLE = "system"
SCHEDULED_USERNAME = "system:planlagt"
BACKGROUND_PREFIX = "bakgrunnsjobb"


class Via:
    PAGE = "side"
    COMMAND = "kommando"
    BACKGROUND = "bakgrunn"


def _command_name() -> str:
    # Only the subcommand's name: its arguments may hold a fødselsnummer.
    return " ".join(["manage.py", *sys.argv[1:2]])


@dataclass(frozen=True)
class Actor:
    user: User | None
    path: str
    via: str = Via.PAGE
    request_id: str = ""
    # The shell account, for operations staff who named no employee.
    shell_account: str = ""
    # The page's request, only to tell its user that a job waits for the queue; never sent on.
    request: HttpRequest | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        return cls(user=request.user, path=request.get_full_path()[:500], via=Via.PAGE,
                   request_id=getattr(request, "request_id", ""), request=request)

    @classmethod
    def for_user(cls, user: User, path: str = "") -> Actor:
        """An employee acting through a command, a script or an integration."""
        if user is None:
            raise ValueError("Actor.for_user krever en bruker; bruk Actor.operator for drift.")
        return cls(user=user, path=(path or _command_name())[:500], via=Via.COMMAND)

    @classmethod
    def operator(cls, path: str = "") -> Actor:
        """Operations staff at the shell who named no employee: the shell account, role `drift`."""
        return cls(user=None, path=(path or _command_name())[:500], via=Via.COMMAND, shell_account=getpass.getuser())

    @classmethod
    def scheduled(cls, task: str) -> Actor:
        """A job that beat starts on its schedule: nobody ordered it, and the entry says so."""
        return cls(user=None, path=f"{BACKGROUND_PREFIX} {task} (planlagt)"[:500], via=Via.BACKGROUND)

    def task_payload(self) -> dict:
        """What a task needs to name who ordered it (ids and strings only: it goes through the broker)."""
        return {"user_id": self.user.pk if self.user is not None else None, "path": self.path,
                "request_id": self.request_id, "shell_account": self.shell_account}

    @classmethod
    def from_task(cls, payload: dict | None, task: str) -> Actor:
        payload = payload or {}
        user = User.objects.filter(pk=payload.get("user_id")).first() if payload.get("user_id") else None
        ordered_from = payload.get("path", "")
        path = f"{BACKGROUND_PREFIX} {task}" + (f" (bestilt fra {ordered_from})" if ordered_from else "")
        return cls(user=user, path=path[:500], via=Via.BACKGROUND, request_id=payload.get("request_id", ""),
                   shell_account=payload.get("shell_account", "") if user is None else "")

    @property
    def username(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        if self.shell_account:
            return f"kommando:{self.shell_account}"
        return SCHEDULED_USERNAME

    def role(self, office: str = "") -> str:
        """The employee's roles at the office the change concerns (all their roles when none)."""
        if self.user is None:
            return OPERATIONS_ROLE if self.shell_account else SYSTEM_ROLE
        return access.roles_display(self.user, office or None) or access.roles_display(self.user)


def add_actor_argument(parser) -> None:
    """`--bruker`: the employee a command acts for (docs/contracts.md allows added options)."""
    parser.add_argument("--bruker", help="brukernavnet til den ansatte kommandoen kjøres for "
                                         "(uten: driftskontoen, med rollen drift)")


def actor_from_options(options: dict, command: str) -> Actor:
    path = f"manage.py {command}"
    username = options.get("bruker")
    if not username:
        return Actor.operator(path)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Finner ingen aktiv bruker «{username}».")
    return Actor.for_user(user, path)
