"""Reads on appointments (avtaler) and on who follows a participant up, scoped to the user with a
fixed number of queries."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.models import Office, Role, User
from cases.models import Avtale, Avtalestatus, Deltaker, Lopsstatus
from cases.selectors.assignments import active_veiledere
from cases.selectors.participants import get_participant_for_user, visible_person_q

# Participants a veileder actively follows: enrolled and not ended (docs/domain.md §3.4).
INACTIVE_STATES = (Lopsstatus.KANDIDAT, Lopsstatus.AVSLUTTET)
# Who may print an innkalling letter: NAV's roles that meet the participant.
LETTER_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER)


def default_veileder(office: Office) -> User | None:
    """The office's rule for the follow-up veileder: the active veileder with the fewest active
    participants in the office, ties by name; None when the office has no veileder."""
    active = (Deltaker.objects.filter(office=office, veileder=OuterRef("pk")).exclude(status__in=INACTIVE_STATES)
              .order_by().values("veileder").annotate(count=Count("pk")).values("count"))
    return (active_veiledere([office.enhetsnummer]).annotate(active_count=Coalesce(Subquery(active), 0))
            .order_by("active_count", "first_name", "last_name", "username", "id").first())


def appointments_for_user(user) -> QuerySet[Avtale]:
    """Appointments in the offices where the user is veileder, persons the user may not see left out."""
    return (Avtale.objects.filter(deltaker__office__enhetsnummer__in=access.offices(user, Role.VEILEDER))
            .filter(visible_person_q(user, "deltaker__person_id"))
            .select_related("deltaker__person", "deltaker__office", "veileder"))


@dataclass
class AppointmentOverview:
    day: datetime.date
    on_day: list[Avtale] = field(default_factory=list)
    this_week: list[Avtale] = field(default_factory=list)
    overdue: list[Avtale] = field(default_factory=list)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def appointment_overview(user, *, mine: bool = True, day: datetime.date | None = None) -> AppointmentOverview:
    """The user's appointments (or all of the user's offices with `mine=False`): those on `day`
    (today by default, any outcome), the planned ones in the rest of this week after today, and the
    overdue ones (planned, before today, no outcome registered). One query."""
    today = timezone.localdate()
    day = day or today
    today_start, tomorrow = _day_start(today), _day_start(today + datetime.timedelta(days=1))
    week_end = _day_start(today + datetime.timedelta(days=7 - today.weekday()))
    day_start, day_end = _day_start(day), _day_start(day + datetime.timedelta(days=1))
    planned = Q(status=Avtalestatus.PLANLAGT)
    rows = appointments_for_user(user).filter(
        Q(starts_at__gte=day_start, starts_at__lt=day_end)
        | (planned & Q(starts_at__lt=today_start))
        | (planned & Q(starts_at__gte=tomorrow, starts_at__lt=week_end))
    )
    if mine:
        rows = rows.filter(veileder=user)
    overview = AppointmentOverview(day=day)
    for avtale in rows.order_by("starts_at", "id"):
        if day_start <= avtale.starts_at < day_end:
            overview.on_day.append(avtale)
        elif avtale.starts_at < today_start:
            overview.overdue.append(avtale)
        else:
            overview.this_week.append(avtale)
    return overview


def participant_appointments(deltaker: Deltaker) -> list[Avtale]:
    """The participant's appointments, upcoming first (soonest first), then past ones newest first."""
    rows = list(deltaker.avtaler.select_related("veileder", "closed_by"))
    now = timezone.now()
    upcoming = [avtale for avtale in rows if avtale.is_open and avtale.starts_at >= now]
    rest = sorted((avtale for avtale in rows if avtale not in upcoming), key=lambda avtale: avtale.starts_at,
                  reverse=True)
    return upcoming + rest


def get_appointment_for_user(user, pk: int, avtale_pk: int, *, act: tuple[str, ...] = ()) -> Avtale:
    """One appointment of a participant the user may see (get_participant_for_user's rules)."""
    deltaker = get_participant_for_user(user, pk, act=act)
    avtale = get_object_or_404(Avtale.objects.select_related("veileder"), pk=avtale_pk, deltaker=deltaker)
    avtale.deltaker = deltaker
    return avtale
