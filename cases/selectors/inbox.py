"""The inbox kinds of cases (composed per role in alnaaktiv/inbox.py): each is one condition on
the participants (or hand-backs, huskelapper) the user may see, scoped to the offices where the
user holds the role the kind is for, so the count and the list cannot disagree."""
import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.inboxkind import InboxKind
from alnaaktiv.models import Role
from cases.models import Deltaker, Huskelapp, Lopsstatus, Tilbakeforing, Tildeling
from cases.selectors.mapping import handbacks_for_user
from cases.selectors.participants import participants_for_user

# A hand-over to me is news for this many days (the referral has its own kind).
HANDED_OVER_DAYS = 14

# Referred, and the first meeting not registered as held: the first appointment may be overdue.
FIRST_MEETING_PENDING = (Lopsstatus.HENVIST, Lopsstatus.IKKE_MOTT)


def first_meeting_overdue_q(now: datetime.datetime) -> Q:
    """The first appointment (Deltaker.forste_avtale) has passed and no meeting was registered."""
    return Q(status__in=FIRST_MEETING_PENDING, forste_avtale__lt=now)


def _participants(user, role: str) -> QuerySet[Deltaker]:
    return participants_for_user(user).filter(office__enhetsnummer__in=access.offices(user, role))


def new_referrals_to_me(user) -> QuerySet[Deltaker]:
    return _participants(user, Role.VEILEDER).filter(status=Lopsstatus.HENVIST, veileder=user)


def first_meetings_overdue(user) -> QuerySet[Deltaker]:
    """My participants, and those of the office nobody follows up yet."""
    return _participants(user, Role.VEILEDER).filter(
        first_meeting_overdue_q(timezone.now()), Q(veileder=user) | Q(veileder__isnull=True))


def handed_over_to_me(user) -> QuerySet[Tildeling]:
    """Participants handed over to me lately who are still mine (a holiday hand-over, a colleague
    who left); a referral's own assignment is «Nye henvisninger til meg»."""
    since = timezone.now() - datetime.timedelta(days=HANDED_OVER_DAYS)
    return Tildeling.objects.filter(
        to_veileder=user, assigned_at__gte=since, deltaker__veileder=user,
        deltaker__in=_participants(user, Role.VEILEDER),
    ).exclude(reason=Tildeling.REFERRAL_REASON)


def no_shows(user) -> QuerySet[Deltaker]:
    return _participants(user, Role.VEILEDER).filter(status=Lopsstatus.IKKE_MOTT, veileder=user)


def huskelapper_due(user) -> QuerySet[Huskelapp]:
    """Open huskelapper I wrote, due today or earlier."""
    return Huskelapp.objects.filter(
        created_by=user, done_at__isnull=True, due_date__lte=timezone.localdate(),
        deltaker__in=_participants(user, Role.VEILEDER))


def handbacks_waiting(user) -> QuerySet[Tilbakeforing]:
    return handbacks_for_user(user).filter(
        deltaker__office__enhetsnummer__in=access.offices(user, Role.HOVEDVEILEDER))


def referred_no_shows(user) -> QuerySet[Deltaker]:
    return _participants(user, Role.HOVEDVEILEDER).filter(status=Lopsstatus.IKKE_MOTT, hovedveileder=user)


def referred_first_meetings_overdue(user) -> QuerySet[Deltaker]:
    return _participants(user, Role.HOVEDVEILEDER).filter(first_meeting_overdue_q(timezone.now()),
                                                         hovedveileder=user)


def office_new_referrals(user) -> QuerySet[Deltaker]:
    return _participants(user, Role.KAREA).filter(status=Lopsstatus.HENVIST)


def _participant_page(deltaker: Deltaker) -> str:
    return reverse("participant-detail", args=[deltaker.pk])


def _participant_kind(code: str, label: str, what: str, rows, date: str = "status_dato") -> InboxKind:
    return InboxKind(code=code, label=label, what=what, rows=rows, date=date, person="person",
                     url=_participant_page, related=("person",))


INBOX_NEW_REFERRALS = _participant_kind("nye-henvisninger", "Nye henvisninger til meg", "Henvist til deg",
                                        new_referrals_to_me)
INBOX_FIRST_MEETINGS_OVERDUE = _participant_kind(
    "forste-mote-forfalt", "Første møte passert, ikke registrert", "Første avtale passert uten registrert møte",
    first_meetings_overdue, date="forste_avtale")
INBOX_HANDED_OVER = InboxKind(
    code="overfort-til-meg", label="Deltakere overført til meg", what="Overført til deg",
    rows=handed_over_to_me, date="assigned_at", person="deltaker__person",
    url=lambda tildeling: reverse("participant-detail", args=[tildeling.deltaker_id]),
    related=("deltaker__person",))
INBOX_NO_SHOWS = _participant_kind("ikke-mott", "Ikke møtt", "Registrert som ikke møtt", no_shows)
INBOX_HUSKELAPPER = InboxKind(
    code="huskelapper", label="Huskelapper med frist i dag eller tidligere", what="Huskelappen har frist",
    rows=huskelapper_due, date="due_date", person="deltaker__person",
    url=lambda huskelapp: reverse("participant-detail", args=[huskelapp.deltaker_id]),
    related=("deltaker__person",))
INBOX_HANDBACKS = InboxKind(
    code="tilbakeforte", label="Nye tilbakeføringer til meg", what="Tilbakeført til deg etter avklaring",
    rows=handbacks_waiting, date="date", person="deltaker__person",
    url=lambda handback: reverse("handback-list"), related=("deltaker__person",))
INBOX_REFERRED_NO_SHOWS = _participant_kind(
    "henviste-ikke-mott", "Mine henviste: ikke møtt", "Registrert som ikke møtt", referred_no_shows)
INBOX_REFERRED_FIRST_MEETINGS_OVERDUE = _participant_kind(
    "henviste-forste-mote-forfalt", "Mine henviste: første møte passert, ikke registrert",
    "Første avtale passert uten registrert møte", referred_first_meetings_overdue, date="forste_avtale")
INBOX_OFFICE_NEW_REFERRALS = _participant_kind(
    "kontorets-henvisninger", "Nye henvisninger til kontoret", "Henvist til Alna Aktiv", office_new_referrals)
