"""The inbox (innboks), in the frame: what has happened that the user should look at, per role,
composed from each app's inbox kinds (cases/conditions/arbeidsboks selectors, each one condition
for both the count and the list). The start page shows the unseen count per kind; /innboks/<kind>/
lists the items newest first; opening one through /innboks/<kind>/<id>/apne/ marks it seen
(InboxSeen) and leads to the object's page. A daily e-mail tells the users who asked for it how
many items wait, with a link and no personal data.

Like frame.py this module is part of the frame (it imports the apps); import-linter's layer
contract in pyproject.toml names it."""
import logging
import smtplib

from celery import shared_task
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.inboxkind import InboxKind, seen_q, unseen_q
from alnaaktiv.models import InboxSeen, Role, User
from arbeidsboks.selectors import INBOX_ABSENCES, INBOX_MY_PLACEMENTS_ENDING, INBOX_OFFICE_PLACEMENTS_ENDING
from cases.selectors import (
    INBOX_FIRST_MEETINGS_OVERDUE,
    INBOX_HANDBACKS,
    INBOX_HANDED_OVER,
    INBOX_HUSKELAPPER,
    INBOX_NEW_REFERRALS,
    INBOX_NO_SHOWS,
    INBOX_OFFICE_NEW_REFERRALS,
    INBOX_REFERRED_FIRST_MEETINGS_OVERDUE,
    INBOX_REFERRED_NO_SHOWS,
)
from conditions.selectors import (
    INBOX_BREACHES,
    INBOX_BREACHES_FOR_MY_PARTICIPANTS,
    INBOX_DOCUMENTS_FOR_MY_PARTICIPANTS,
    INBOX_DOCUMENTS_TO_ASSESS,
    INBOX_LIFTINGS,
    INBOX_SANCTIONS,
)

logger = logging.getLogger(__name__)

# Each role's inbox, in the order the start page shows it. Each kind scopes itself to the offices
# where the user holds the role it is for, so a user with several roles gets the union.
INBOX: dict[str, list[InboxKind]] = {
    Role.VEILEDER: [INBOX_NEW_REFERRALS, INBOX_HANDED_OVER, INBOX_FIRST_MEETINGS_OVERDUE, INBOX_DOCUMENTS_FOR_MY_PARTICIPANTS,
                    INBOX_HUSKELAPPER, INBOX_MY_PLACEMENTS_ENDING, INBOX_NO_SHOWS, INBOX_ABSENCES,
                    INBOX_BREACHES_FOR_MY_PARTICIPANTS],
    Role.HOVEDVEILEDER: [INBOX_HANDBACKS, INBOX_REFERRED_NO_SHOWS, INBOX_REFERRED_FIRST_MEETINGS_OVERDUE],
    Role.VEDTAK: [INBOX_DOCUMENTS_TO_ASSESS, INBOX_BREACHES],
    Role.LEDER: [INBOX_LIFTINGS, INBOX_SANCTIONS],
    Role.KAREA: [INBOX_OFFICE_NEW_REFERRALS, INBOX_OFFICE_PLACEMENTS_ENDING],
}
# The inbox list shows at most this many items, newest first (seen ones greyed).
LIST_ROWS = 50
DIGEST_SUBJECT = "Alna Aktiv: {count} nye saker i innboksen"


def kinds_for(user) -> list[InboxKind]:
    user_roles = access.roles(user)
    kinds = [kind for role, role_kinds in INBOX.items() if role in user_roles for kind in role_kinds]
    return list({kind.code: kind for kind in kinds}.values())


def _kind_for(user, code: str) -> InboxKind:
    kind = next((kind for kind in kinds_for(user) if kind.code == code), None)
    if kind is None:
        raise access.AccessDenied(f"innboks {code} finnes ikke for brukeren")
    return kind


def inbox_counts(user) -> dict:
    """The start page's card: the unseen items per kind (one count query per kind) and the total."""
    counts = [
        {"code": kind.code, "label": kind.label, "count": kind.rows(user).filter(unseen_q(user, kind)).count(),
         "url": reverse("inbox-list", args=[kind.code])}
        for kind in kinds_for(user)
    ]
    return {"kinds": counts, "total": sum(item["count"] for item in counts)}


def _person(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def inbox_items(user, kind: InboxKind) -> list[dict]:
    """The kind's items, newest first, each with the name, the date and whether it was opened."""
    rows = (kind.rows(user).select_related(*kind.related).annotate(seen=seen_q(user, kind))
            .order_by(f"-{kind.date}", "-pk")[:LIST_ROWS])
    return [
        {"name": access.display_name(user, _person(row, kind.person)), "date": getattr(row, kind.date),
         "what": kind.what, "seen": row.seen, "url": reverse("inbox-open", args=[kind.code, row.pk])}
        for row in rows
    ]


@login_required
@require_GET
def inbox_list(request, kind):
    kind = _kind_for(request.user, kind)
    items = inbox_items(request.user, kind)
    unseen = kind.rows(request.user).filter(unseen_q(request.user, kind)).count()
    return render(request, "alnaaktiv/inbox_list.html", {
        "kind": kind, "items": items, "unseen": unseen, "limit": LIST_ROWS})


@login_required
@require_GET
def inbox_open(request, kind, object_id):
    """Marks the item seen and leads to its page; an item not in the user's inbox is 404."""
    kind = _kind_for(request.user, kind)
    row = kind.rows(request.user).select_related(*kind.related).filter(pk=object_id).first()
    if row is None:
        raise access.AccessDenied(f"innboks {kind.code}: {object_id} er ikke i brukerens innboks")
    InboxSeen.objects.update_or_create(user=request.user, kind=kind.code, object_id=row.pk,
                                       defaults={"seen_at": timezone.now()})
    return redirect(kind.url(row))


class UserSettingsForm(forms.Form):
    inbox_digest = forms.BooleanField(
        label="Send meg en daglig e-post når det er nye saker i innboksen", required=False,
        help_text="E-posten sendes kl. 07.00 og sier bare hvor mange saker som venter, med en lenke hit. "
                  "Den inneholder ingen navn eller andre personopplysninger.")


@transaction.atomic
def user_settings_update(*, user: User, actor: Actor, inbox_digest: bool) -> User:
    """The user's own settings; a change is audited naming the user."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.inbox_digest != inbox_digest:
        user.inbox_digest = inbox_digest
        user.save(update_fields=["inbox_digest"])
        audit.record_change(audit.Action.UPDATE, actor=actor, obj=user)
    return user


def _settings_page(request, form) -> HttpResponse:
    return render(request, "alnaaktiv/user_settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request):
    if request.method == "GET":
        return _settings_page(request, UserSettingsForm(initial={"inbox_digest": request.user.inbox_digest}))
    return interaction.act(
        request, form=UserSettingsForm(request.POST),
        perform=lambda data: user_settings_update(user=request.user, actor=Actor.from_request(request),
                                                  inbox_digest=data["inbox_digest"]),
        success_message="Innstillingene er lagret.", redirect_to=reverse("user-settings"),
        rerender=lambda form: _settings_page(request, form),
    )


def digest_body(counts: dict) -> str:
    """The e-mail's text: counts per kind and the link, never a name or a fødselsnummer."""
    lines = [f"- {item['label']}: {item['count']}" for item in counts["kinds"] if item["count"]]
    return "\n".join([
        "Hei,",
        "",
        f"Du har {counts['total']} nye saker i innboksen i Alna Aktiv:",
        "",
        *lines,
        "",
        f"Logg inn for å se dem: {settings.SITE_URL}{reverse('start')}",
        "",
        "E-posten inneholder ingen personopplysninger. Du slår den av under Innstillinger: "
        f"{settings.SITE_URL}{reverse('user-settings')}",
    ])


def send_digest(user: User) -> bool:
    """One e-mail to the user if any item waits; False when there was nothing to tell."""
    counts = inbox_counts(user)
    if not counts["total"]:
        return False
    send_mail(DIGEST_SUBJECT.format(count=counts["total"]), digest_body(counts), None, [user.email])
    return True


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def send_inbox_digests() -> int:
    """Run by beat each morning: one e-mail to every active user who turned the digest on, has an
    e-mail address and has unseen items. A failing address is logged and the others still go."""
    sent = 0
    for user in User.objects.filter(is_active=True, inbox_digest=True).exclude(email="").order_by("pk"):
        try:
            sent += send_digest(user)
        except (OSError, smtplib.SMTPException):
            logger.exception("innboks-e-post til bruker %s ble ikke sendt", user.pk)
    return sent
