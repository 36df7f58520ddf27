"""Reads in Arbeidsboks, scoped to the user (role, office and, for KAREA, enrolment through
cases.selectors.participants_for_user), each page with a fixed number of queries."""
import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.inboxkind import InboxKind
from alnaaktiv.models import Office, Role
from arbeidsboks.models import (
    ENDED,
    OCCUPYING,
    Arbeidsomrade,
    Evaluering,
    Frammote,
    Plassering,
    PlasseringStatus,
    StatligTiltak,
    Virksomhet,
)
from cases.models import Deltaker
from cases.selectors import PARTICIPANT_ROLES, participants_for_user
from conditions.models import Enhet, Fase, Tilbud, Vilkar, VilkarKind, VilkarStatus

# KAREA and the NAV veileder place participants and register attendance; the project leader reads.
WORKERS = (Role.VEILEDER, Role.KAREA)
READERS = (Role.VEILEDER, Role.KAREA, Role.PROSJEKTLEDER)
# State measures are also the hovedveileder's: the route statlig_tiltak hands the case back.
MEASURE_WRITERS = (Role.VEILEDER, Role.KAREA, Role.HOVEDVEILEDER)
ENDING_WITHIN_DAYS = 14


def earmarked_places() -> int:
    return settings.ARBEID_MED_BISTAND_PLASSER


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def attendance_vilkar_for(deltaker: Deltaker):
    """The open attendance vilkår (activity, % attendance) of the participant's person that a
    placement may document: those resting on work training, or on no offer yet (before offers)."""
    return Vilkar.objects.filter(
        person_id=deltaker.person_id, vedtak__office_id=deltaker.office_id, kind=VilkarKind.AKTIVITET,
        enhet=Enhet.OPPMOTE_PROSENT, status=VilkarStatus.APEN, tilbud__in=(Tilbud.PLASSERING, ""),
    ).exclude(vedtak__fase=Fase.OPPHEVET)


def overlapping_placements(deltaker: Deltaker, startdato: datetime.date, planlagt_slutt: datetime.date,
                           *, exclude_pk: int | None = None) -> list[Plassering]:
    """The participant's planned or running placements whose period overlaps this one: a new
    placement (or new dates) overlapping them needs a confirmation (docs/domain.md §3.7)."""
    rows = (Plassering.objects.filter(deltaker=deltaker, status__in=OCCUPYING, startdato__lte=planlagt_slutt,
                                      planlagt_slutt__gte=startdato)
            .select_related("arbeidsomrade__virksomhet").order_by("startdato", "id"))
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return list(rows)


def overlap_warning(overlaps: list[Plassering]) -> str:
    """The warning naming each overlapping placement and its period."""
    named = "; ".join(f"{placement.arbeidsomrade} ({placement.get_status_display().lower()}, "
                      f"{placement.startdato:%d.%m.%Y}–{placement.planlagt_slutt:%d.%m.%Y})" for placement in overlaps)
    return f"Perioden overlapper med en annen plassering for deltakeren: {named}."


def running_activity(deltaker: Deltaker, *, started: bool = False) -> bool:
    """A planned or running placement (`started`: a running one only), or a state measure running
    today (cases asks this through the frame: cases.selectors.RUNNING_ACTIVITY_CHECKS and
    STARTED_ACTIVITY_CHECKS)."""
    today = timezone.localdate()
    placements = (PlasseringStatus.AKTIV,) if started else OCCUPYING
    return (deltaker.plasseringer.filter(status__in=placements).exists()
            or deltaker.statlige_tiltak.filter(fra__lte=today).exclude(til__lt=today).exists())


def earmarked_in_use(office_id: int, on_date: datetime.date) -> int:
    return StatligTiltak.objects.filter(
        deltaker__office_id=office_id, oremerket=True, fra__lte=on_date,
    ).exclude(til__lt=on_date).count()


def workareas_for_user(user) -> QuerySet[Arbeidsomrade]:
    return Arbeidsomrade.objects.filter(virksomhet__office__enhetsnummer__in=access.offices(user, *READERS))


def placements_for_user(user) -> QuerySet[Plassering]:
    """Placements of participants the user may see, in work areas of the user's offices."""
    return Plassering.objects.filter(deltaker__in=participants_for_user(user))


def get_workarea_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Arbeidsomrade:
    """403 for a role that never reads Arbeidsboks, 404 for another office's work area; with
    `act`, 403 unless the user holds one of those roles in the work area's office."""
    access.require_role(user, *READERS)
    area = workareas_for_user(user).select_related("virksomhet__office").filter(pk=pk).first()
    if area is None:
        raise access.AccessDenied(f"arbeidsområde {pk} utenfor brukerens tilgang")
    if act:
        access.require_role(user, *act, office=area.virksomhet.office.enhetsnummer)
    return area


def get_placement_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Plassering:
    """A placement of a participant the user may see (as cases.selectors.get_participant_for_user:
    403 for a role that never sees participants, 404 for another office or a protected person
    without permission); with `act`, 403 unless the user holds one of those roles in the
    participant's office."""
    access.require_role(user, *PARTICIPANT_ROLES)
    placement = (
        placements_for_user(user)
        .select_related("deltaker__person", "deltaker__office", "arbeidsomrade__virksomhet", "vilkar__vedtak",
                        "created_by")
        .filter(pk=pk).first()
    )
    if placement is None:
        raise access.AccessDenied(f"plassering {pk} utenfor brukerens tilgang")
    access.require_person_visible(user, placement.deltaker.person)
    if act:
        access.require_role(user, *act, office=placement.deltaker.office.enhetsnummer)
    return placement


def _row(user, placement: Plassering) -> dict:
    person = placement.deltaker.person
    return {"placement": placement, "name": access.display_name(user, person),
            "visible": access.may_see_person(user, person)}


def workareas_with_use() -> QuerySet[Arbeidsomrade]:
    return Arbeidsomrade.objects.annotate(
        occupied=Count("plasseringer", filter=Q(plasseringer__status__in=OCCUPYING)),
        waiting=Count("plasseringer", filter=Q(plasseringer__status=PlasseringStatus.VENTELISTE)),
    ).order_by("navn", "id")


def ending_q(today: datetime.date, days: int) -> Q:
    """A placement taking a place whose planned end is within `days` days from today."""
    return Q(status__in=OCCUPYING, planlagt_slutt__gte=today, planlagt_slutt__lte=today + datetime.timedelta(days=days))


def _worklist_conditions(today: datetime.date) -> dict[str, Q]:
    """The overview's three work lists as conditions on placements, written once: the overview
    shows their rows and the start page counts them."""
    last_week = week_start(today) - datetime.timedelta(days=7)
    return {
        "waiting": Q(status=PlasseringStatus.VENTELISTE),
        "ending": ending_q(today, ENDING_WITHIN_DAYS),
        "missing": Q(status=PlasseringStatus.AKTIV, startdato__lte=last_week + datetime.timedelta(days=6))
                   & ~Q(Exists(Frammote.objects.filter(plassering=OuterRef("pk"), uke=last_week))),
    }


def _office_placements(user, office_codes) -> QuerySet[Plassering]:
    return placements_for_user(user).filter(arbeidsomrade__virksomhet__office__enhetsnummer__in=office_codes)


def placement_areas(deltaker: Deltaker) -> QuerySet[Arbeidsomrade]:
    """The work areas of the participant's office with their use, for the placement form."""
    return (workareas_with_use().filter(virksomhet__office=deltaker.office).select_related("virksomhet")
            .order_by("virksomhet__navn", "navn"))


def waiting_position(placement: Plassering) -> int:
    """The placement's place on its work area's waiting list (1 for the first)."""
    return placement.arbeidsomrade.plasseringer.filter(
        status=PlasseringStatus.VENTELISTE, venteliste_fra__lte=placement.venteliste_fra).count()


def state_measures(deltaker: Deltaker) -> QuerySet[StatligTiltak]:
    return StatligTiltak.objects.filter(deltaker=deltaker).select_related("created_by").order_by("-fra", "-id")


def overview(user, today: datetime.date) -> dict:
    """The /arbeidsboks/ page: enterprises with their work areas' capacity use, waiting lists,
    placements ending in the next two weeks and attendance missing for last week (7 queries)."""
    office_codes = access.offices(user, *READERS)
    enterprises = list(
        Virksomhet.objects.filter(office__enhetsnummer__in=office_codes).select_related("office")
        .prefetch_related(Prefetch("omrader", queryset=workareas_with_use()), "nettverk")
        .order_by("navn", "id")
    )
    placements = _office_placements(user, office_codes).select_related("deltaker__person", "arbeidsomrade__virksomhet")
    conditions = _worklist_conditions(today)
    by_area = ("arbeidsomrade__virksomhet__navn", "arbeidsomrade__navn")
    waiting = [_row(user, p) for p in placements.filter(conditions["waiting"]).order_by(*by_area, "venteliste_fra", "id")]
    ending = [_row(user, p) for p in placements.filter(conditions["ending"]).order_by("planlagt_slutt", "id")]
    missing = [_row(user, p) for p in placements.filter(conditions["missing"]).order_by(*by_area, "id")]
    earmarked = dict(
        StatligTiltak.objects.filter(deltaker__office__enhetsnummer__in=office_codes, oremerket=True, fra__lte=today)
        .exclude(til__lt=today).values_list("deltaker__office__enhetsnummer").annotate(n=Count("id"))
    )
    offices = [{"office": office, "earmarked_used": earmarked.get(office.enhetsnummer, 0)}
               for office in Office.objects.filter(enhetsnummer__in=office_codes).order_by("enhetsnummer")]
    return {"enterprises": enterprises, "waiting": waiting, "ending": ending, "missing": missing,
            "last_week": week_start(today) - datetime.timedelta(days=7), "offices": offices,
            "earmarked_places": earmarked_places()}


def workarea_placements(user, area: Arbeidsomrade) -> dict:
    """A work area's open placements and its waiting list in order (1 query). The rows leave out
    persons the user may not see; the place counts do not: a place a protected person holds is
    not free, and offering it would promise a place that is not there (the overview counts the
    same way). A count of places names no one."""
    shown = Exists(participants_for_user(user).filter(pk=OuterRef("deltaker_id")))
    placements = list(Plassering.objects.filter(arbeidsomrade=area, status__in=[PlasseringStatus.VENTELISTE, *OCCUPYING])
                      .annotate(shown=shown).select_related("deltaker__person")
                      .order_by("venteliste_fra", "startdato", "id"))
    rows = [_row(user, p) for p in placements if p.shown]
    occupied = sum(p.status in OCCUPYING for p in placements)
    return {"taken": [row for row in rows if row["placement"].status in OCCUPYING],
            "waiting": [row for row in rows if row["placement"].status == PlasseringStatus.VENTELISTE],
            "occupied": occupied, "waiting_count": sum(p.status == PlasseringStatus.VENTELISTE for p in placements),
            "free": max(0, area.kapasitet - occupied)}


def attendance_week(user, area: Arbeidsomrade, uke: datetime.date) -> list[dict]:
    """The placements of a work area that ran in the week, each with its registered attendance
    (None when missing) (2 queries)."""
    sunday = uke + datetime.timedelta(days=6)
    placements = list(
        placements_for_user(user).filter(arbeidsomrade=area, startdato__lte=sunday)
        .filter(Q(status=PlasseringStatus.AKTIV) | Q(status__in=ENDED, faktisk_slutt__gte=uke))
        .select_related("deltaker__person", "vilkar").order_by("deltaker__person__navn", "id")
    )
    registered = {f.plassering_id: f for f in Frammote.objects.filter(plassering__in=placements, uke=uke)
                  .annotate(rettet=Count("rettinger"))}
    return [{**_row(user, p), "frammote": registered.get(p.pk)} for p in placements]


def placement_history(placement: Plassering) -> dict:
    """Attendance, evaluations and corrections of one placement (3 queries)."""
    return {
        "frammoter": list(placement.frammoter.select_related("dokumentasjon").annotate(rettet=Count("rettinger"))
                          .order_by("-uke")),
        "evalueringer": list(placement.evalueringer.select_related("created_by").order_by("-dato", "-id")),
        "rettinger": list(placement.rettinger.select_related("endret_av", "frammote").order_by("-endret_at", "-id")),
    }


def get_attendance_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Frammote:
    """A saved attendance week, through its placement's access check."""
    access.require_role(user, *PARTICIPANT_ROLES)
    plassering_id = Frammote.objects.filter(pk=pk).values_list("plassering_id", flat=True).first()
    if plassering_id is None:
        raise access.AccessDenied(f"frammøte {pk} finnes ikke")
    placement = get_placement_for_user(user, plassering_id, act=act)
    entry = Frammote.objects.select_related("dokumentasjon").get(pk=pk)
    entry.plassering = placement
    return entry


def attendance_vilkar_choices(placement: Plassering) -> QuerySet[Vilkar]:
    """The attendance vilkår a placement may be linked to, and the one it is linked to."""
    return Vilkar.objects.filter(Q(pk__in=attendance_vilkar_for(placement.deltaker).values("pk"))
                                 | Q(pk=placement.vilkar_id)).order_by("frist", "id")


def participant_section(deltaker: Deltaker) -> dict:
    """What the participant page shows next to the mapping: placements with their newest
    evaluation, and state measures (3 queries)."""
    placements = list(deltaker.plasseringer.select_related("arbeidsomrade__virksomhet").order_by("-startdato", "-id"))
    latest = {}
    for evaluation in Evaluering.objects.filter(plassering__deltaker=deltaker).order_by("dato", "id"):
        latest[evaluation.plassering_id] = evaluation
    for placement in placements:
        placement.latest_evaluation = latest.get(placement.pk)
    return {"placements": placements, "measures": list(deltaker.statlige_tiltak.order_by("-fra", "-id"))}


def start_worklists(user) -> list[dict]:
    """Start page counts for KAREA, veileder and prosjektleder: the overview's work lists,
    counted (1 query)."""
    conditions = _worklist_conditions(timezone.localdate())
    counts = _office_placements(user, access.offices(user, *READERS)).aggregate(
        **{name: Count("id", filter=condition) for name, condition in conditions.items()})
    url = reverse("arbeidsboks-overview")
    return [
        {"label": "Arbeidsboks: frammøte ikke registrert forrige uke", "count": counts["missing"], "url": url + "#frammote"},
        {"label": "Arbeidsboks: plasseringer som slutter innen to uker", "count": counts["ending"], "url": url + "#slutter"},
        {"label": "Arbeidsboks: på venteliste", "count": counts["waiting"], "url": url + "#venteliste"},
    ]


# The inbox (alnaaktiv/inbox.py) tells of placements ending within a week, and of attendance
# registered lately with unapproved absence.
INBOX_ENDING_DAYS = 7
INBOX_ABSENCE_DAYS = 14


def my_placements_ending(user) -> QuerySet[Plassering]:
    """The veileder's inbox: placements of participants they follow up, ending within a week."""
    return placements_for_user(user).filter(
        ending_q(timezone.localdate(), INBOX_ENDING_DAYS), deltaker__veileder=user,
        deltaker__office__enhetsnummer__in=access.offices(user, Role.VEILEDER))


def office_placements_ending(user) -> QuerySet[Plassering]:
    """KAREA's inbox: placements in the office's work areas ending within a week."""
    return _office_placements(user, access.offices(user, Role.KAREA)).filter(
        ending_q(timezone.localdate(), INBOX_ENDING_DAYS))


def my_absences(user) -> QuerySet[Frammote]:
    """The veileder's inbox: attendance weeks of their participants registered lately with
    absence that was not approved (attended + approved absence < planned days)."""
    since = timezone.now() - datetime.timedelta(days=INBOX_ABSENCE_DAYS)
    return Frammote.objects.filter(
        plassering__in=placements_for_user(user).filter(
            deltaker__veileder=user, deltaker__office__enhetsnummer__in=access.offices(user, Role.VEILEDER)),
        registrert_at__gte=since,
        oppmotte_dager__lt=F("planlagte_dager") - F("fravaer_godkjent_dager"))


def _placement_page(placement: Plassering) -> str:
    return reverse("placement-detail", args=[placement.pk])


INBOX_MY_PLACEMENTS_ENDING = InboxKind(
    code="plasseringer-slutter", label="Plasseringer som slutter innen en uke", what="Plasseringen slutter",
    rows=my_placements_ending, date="planlagt_slutt", person="deltaker__person", url=_placement_page,
    related=("deltaker__person",))
INBOX_OFFICE_PLACEMENTS_ENDING = InboxKind(
    code="kontorets-plasseringer-slutter", label="Plasseringer som slutter innen en uke",
    what="Plasseringen slutter", rows=office_placements_ending, date="planlagt_slutt", person="deltaker__person",
    url=_placement_page, related=("deltaker__person",))
INBOX_ABSENCES = InboxKind(
    code="fravaer", label="Fravær uten godkjenning i arbeidsboks", what="Frammøte registrert med fravær",
    rows=my_absences, date="uke", person="plassering__deltaker__person",
    url=lambda attendance: reverse("placement-detail", args=[attendance.plassering_id]),
    related=("plassering__deltaker__person",))
