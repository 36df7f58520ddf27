"""Reads of the kartlegging and avklaring: what the mapping page shows, the veileder's work lists
and the hovedveileder's list of cases handed back. Scoped through `participants_for_user`."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.models import Role
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    CourseEvent,
    Deltaker,
    Kartlegging,
    Lopsstatus,
    Tilbakeforing,
    TilbakeforingAngring,
)
from cases.models.mapping import VurderingStatus
from cases.selectors.participants import participants_for_user
from cases.selectors.worklists import WORKLISTS, worklist_condition

# How long a received hand-back stays on the list, where «Mottatt» can be undone.
RECEIVED_SHOWN_DAYS = 30


def _worklists(user, rows: QuerySet[Deltaker], scope: str) -> list[dict]:
    today = timezone.localdate()
    counts = rows.aggregate(**{
        worklist.code: Count("pk", filter=worklist_condition(worklist.code, today)) for worklist in WORKLISTS
    })
    portfolio = reverse("portfolio")
    return [
        {"label": worklist.label, "count": counts[worklist.code],
         "url": f"{portfolio}?vis={scope}&arbeidsliste={worklist.code}"}
        for worklist in WORKLISTS
    ]


def veileder_worklists(user) -> list[dict]:
    """The veileder's start page: the four work lists over their own participants (one query)."""
    mine = participants_for_user(user).filter(Q(veileder=user) | Q(hovedveileder=user))
    return _worklists(user, mine, "mine")


def karea_worklists(user) -> list[dict]:
    """KAREA works on every enrolled participant of its offices."""
    return _worklists(user, participants_for_user(user), "alle")


def handbacks_for_user(user, *, only_open: bool = True) -> QuerySet[Tilbakeforing]:
    """Cases handed back by a route decision: a hovedveileder sees their own (and those without a
    hovedveileder), a prosjektleder the whole office."""
    deltakere = participants_for_user(user)
    rows = Tilbakeforing.objects.filter(deltaker__in=deltakere)
    leader_offices = access.offices(user, Role.PROSJEKTLEDER)
    rows = rows.filter(
        Q(deltaker__office__enhetsnummer__in=leader_offices) | Q(deltaker__hovedveileder=user)
        | Q(deltaker__hovedveileder__isnull=True)
    )
    if only_open:
        rows = rows.filter(received_at__isnull=True)
    return rows.select_related("deltaker__person", "deltaker__office", "created_by", "received_by").order_by(
        "date", "id")


def _with_undos(rows: QuerySet[Tilbakeforing]) -> QuerySet[Tilbakeforing]:
    return rows.prefetch_related(Prefetch(
        "angringer", queryset=TilbakeforingAngring.objects.select_related("received_by", "undone_by")))


def handback_list(user) -> tuple[list[Tilbakeforing], list[Tilbakeforing]]:
    """The hand-back page: the open hand-backs, and those received in the last 30 days (where
    «Mottatt» can be undone, newest first), each with the receipts undone and why."""
    since = timezone.now() - datetime.timedelta(days=RECEIVED_SHOWN_DAYS)
    received = handbacks_for_user(user, only_open=False).filter(received_at__gte=since).order_by("-received_at", "-id")
    return list(_with_undos(handbacks_for_user(user))), list(_with_undos(received))


def hovedveileder_worklists(user) -> list[dict]:
    """The hovedveileder's start card: the candidates already enrolled and waiting for a referral
    (the count is the portfolio's list behind the link: every `kandidat` the user may see), the
    screening's candidate list (not counted here: that would run the funnel on every start page),
    and the cases handed back."""
    waiting = participants_for_user(user).filter(status=Lopsstatus.KANDIDAT).count()
    portfolio = reverse("portfolio")
    return [
        {"label": "Kandidater du kan henvise", "count": waiting,
         "url": f"{portfolio}?vis=alle&status={Lopsstatus.KANDIDAT}"},
        {"label": "Finn flere kandidater i screeningen", "count": None, "url": reverse("screening")},
        {"label": "Tilbakeført fra Alna Aktiv", "count": handbacks_for_user(user).count(),
         "url": reverse("handback-list")},
    ]


@dataclass
class MappingOverview:
    kartlegging: Kartlegging | None
    omrader: dict[str, object]
    weeks: list
    versions: list[Arbeidsevnevurdering]
    in_force: Arbeidsevnevurdering | None
    open_version: Arbeidsevnevurdering | None
    activities: list[Aktivitet]
    route_event: CourseEvent | None


# Which vilkår each plan activity carries, from conditions (which cases may not import): the frame
# fills this at start-up (alnaaktiv.frame.compose_participant_page). Each is called with the user
# and the participant and returns {activity id: ["vilkår text", ...]}, empty for a user who may
# not see vedtak data (KAREA).
ACTIVITY_VILKAR: list[Callable[..., dict[int, list[str]]]] = []


def activity_vilkar(user, deltaker: Deltaker) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for source in ACTIVITY_VILKAR:
        for activity_id, labels in source(user, deltaker).items():
            found.setdefault(activity_id, []).extend(labels)
    return found


def mapping_overview(deltaker: Deltaker) -> MappingOverview:
    """Everything of the mapping page in a fixed number of queries."""
    kartlegging = (
        Kartlegging.objects.filter(deltaker=deltaker)
        .select_related("started_by", "updated_by")
        .prefetch_related("omrader", "klart_jeg_kan")
        .first()
    )
    versions = list(
        Arbeidsevnevurdering.objects.filter(deltaker=deltaker)
        .select_related("created_by", "signed_by", "approved_by", "updated_by", "replaces")
        .order_by("-versjon")
    )
    return MappingOverview(
        kartlegging=kartlegging,
        omrader={row.omrade: row for row in kartlegging.omrader.all()} if kartlegging else {},
        weeks=list(kartlegging.klart_jeg_kan.all()) if kartlegging else [],
        versions=versions,
        in_force=next((v for v in versions if v.status == VurderingStatus.SIGNERT), None),
        open_version=next((v for v in versions if v.status != VurderingStatus.SIGNERT), None),
        activities=list(deltaker.aktiviteter.select_related("created_by", "updated_by").order_by("fra_dato", "id")),
        route_event=deltaker.events.filter(state=Lopsstatus.AVKLART).select_related("created_by").order_by("-date", "-id").first(),
    )


def plan_activities(deltaker: Deltaker) -> list[Aktivitet]:
    """The plan as the participant gets it: every activity but the cancelled ones, in date order."""
    return list(deltaker.aktiviteter.exclude(status="avbrutt").order_by("fra_dato", "id"))


def assessment_in_force(deltaker: Deltaker) -> Arbeidsevnevurdering | None:
    """The newest signed version: the one in force."""
    return deltaker.vurderinger.filter(status=VurderingStatus.SIGNERT).order_by("-versjon").first()


def get_assessment(deltaker: Deltaker, pk: int) -> Arbeidsevnevurdering:
    """One version of the participant's assessment (404 for another participant's)."""
    return get_object_or_404(
        Arbeidsevnevurdering.objects.select_related("created_by", "signed_by", "approved_by"), pk=pk, deltaker=deltaker)
