"""Reads on participants, already scoped to the user, with a fixed number of queries."""
import datetime
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone

from alnaaktiv import access, sorting
from alnaaktiv.fnr import clean_fnr, looks_like_fnr
from alnaaktiv.models import Role
from alnaaktiv.text import search_key
from cases.choices import Malgruppe
from cases.models import (
    Aktivitetsstatus,
    CourseEvent,
    Deltaker,
    Huskelapp,
    HuskelappAngring,
    Lopsstatus,
    Person,
    Samtykke,
    ScreeningExclusion,
    Tildeling,
)
from cases.models.mapping import ACTIVE_STATUSES, COURSE_ACTIVITY_TYPES
from cases.selectors.worklists import worklist_condition

# Roles that work with participants; vedtak, leder and controller reach persons elsewhere or not at all.
PARTICIPANT_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER, Role.KAREA)
NEW_WITHIN_DAYS = 14

# What a målgruppe reveals (README, "Access"): eneforsørger and langtidsmottaker are derived
# from the Oskar case and its months of assistance, and øvrige says that neither applies, so all
# three are Oskar data that KAREA may never see (docs/domain.md §2). Ungdom 20–24 comes first and
# from the birth date alone. KAREA therefore sees «Ungdom 20–24 år» or «Annen målgruppe», and
# filters by those two only; NAV's roles see the målgruppe itself; the controller sees it only
# as counts in the reports.
OSKAR_MALGRUPPER = (Malgruppe.ENEFORSORGER, Malgruppe.LANGTIDSMOTTAKER, Malgruppe.OVRIGE)
ANNEN_MALGRUPPE = ("annen", "Annen målgruppe")
NAV_PARTICIPANT_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)


def sees_oskar_malgruppe(user, office: str | None = None) -> bool:
    """Whether the user sees the Oskar-derived target groups (in `office`, or in any office)."""
    return access.has_role(user, *NAV_PARTICIPANT_ROLES, office=office)


def malgruppe_choices(user) -> list[tuple[str, str]]:
    """The target groups the user may see and filter by."""
    if sees_oskar_malgruppe(user):
        return list(Malgruppe.choices)
    return [(Malgruppe.UNGDOM_20_24.value, Malgruppe.UNGDOM_20_24.label), ANNEN_MALGRUPPE]


def malgruppe_label(user, deltaker: Deltaker) -> str:
    """The participant's target group as the user may see it ("" when none is set)."""
    if not deltaker.malgruppe:
        return ""
    if deltaker.malgruppe == Malgruppe.UNGDOM_20_24 or sees_oskar_malgruppe(user, deltaker.office.enhetsnummer):
        return deltaker.get_malgruppe_display()
    return ANNEN_MALGRUPPE[1]


def hidden_persons(user) -> QuerySet[Person] | None:
    """The persons the user may not see, or None when they may see everyone. Lists leave them
    out with NOT EXISTS on these few rows (partial indexes on Person) instead of joining every
    row to its person, so PostgreSQL keeps walking each list's own index (an anti join stays in
    the index's order; NOT IN would be estimated to drop three quarters of the rows)."""
    visible = access.visible_persons_q(user)
    if not visible:
        return None
    return Person.objects.exclude(visible)


def visible_person_q(user, person_id: str) -> Q:
    """The person whose id is at `person_id` (an OuterRef path) may be seen by the user."""
    hidden = hidden_persons(user)
    if hidden is None:
        return Q()
    return Q(~Exists(hidden.filter(pk=OuterRef(person_id))))


def karea_consent_q(deltaker_path: str = "pk") -> Q:
    """The participant at `deltaker_path` (an OuterRef path) has a consent to share with KAREA in
    force (issue 16): KAREA's whole reach rests on it, so every KAREA path goes through here (via
    participants_for_user). One EXISTS on the partial unique index samtykke_one_in_force, in the
    list's own query: no query per row. A withdrawal (trukket_at set) ends it at that moment."""
    return Q(Exists(Samtykke.objects.filter(deltaker_id=OuterRef(deltaker_path), trukket_at__isnull=True)))


def participants_for_user(user) -> QuerySet[Deltaker]:
    """Participants of the offices where the user works with participants. KAREA sees only those
    enrolled in the pilot (referred or later) whose consent to share with KAREA is in force
    (karea_consent_q), never mere screening candidates. A protected or skjermet person the user
    may not see is left out as if it did not exist: every list, search, sort, count, work list
    and Arbeidsboks page built on this is right by construction."""
    nav_offices = access.offices(user, Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
    karea_offices = access.offices(user, Role.KAREA) - nav_offices
    scope = Q(office__enhetsnummer__in=nav_offices)
    if karea_offices:
        scope |= Q(office__enhetsnummer__in=karea_offices) & ~Q(status=Lopsstatus.KANDIDAT) & karea_consent_q()
    return Deltaker.objects.filter(scope).filter(visible_person_q(user, "person_id"))


def get_participant_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Deltaker:
    """One participant with what its page shows: 403 for a role that never sees participants,
    404 for another office, a candidate or a participant without consent in force for KAREA, or
    a protected person without permission.
    With `act`, also 403 unless the user holds one of those roles in the participant's office
    (the roles that may change what the page shows)."""
    access.require_role(user, *PARTICIPANT_ROLES)
    deltaker = (
        participants_for_user(user)
        .select_related("person", "office", "sak__hovedperson", "sak__ektefelle", "veileder", "hovedveileder")
        .filter(pk=pk)
        .first()
    )
    if deltaker is None:
        raise access.AccessDenied(f"deltaker {pk} utenfor brukerens tilgang")
    access.require_person_visible(user, deltaker.person)
    if act:
        access.require_role(user, *act, office=deltaker.office.enhetsnummer)
    return deltaker


def roles_for(user, deltaker: Deltaker) -> set[str]:
    return access.roles(user, deltaker.office.enhetsnummer)


@dataclass
class PortfolioFilter:
    scope: str = "mine"  # mine | alle
    status: str = ""
    malgruppe: str = ""
    veileder: int | None = None
    unassigned: bool = False
    new: bool = False
    huskelapp_due: bool = False
    worklist: str = ""  # a work list of the start page (selectors.WORKLISTS)
    sort: str = "status_dato"


# The portfolio's columns (alnaaktiv.sorting): the keys are the `?sorter=` values of old
# bookmarks. «Siste hendelse» (the default) is newest first. Målgruppe has no sort: its order
# would tell KAREA the Oskar målgrupper apart (docs/domain.md §2).
PORTFOLIO_COLUMNS = [
    sorting.Column("navn", "Navn", ("person__navn", "id")),
    sorting.Column("status", "Status", ("status", "person__navn", "id")),
    sorting.Column("status_dato", "Siste hendelse", ("-status_dato", "-id"), descending_first=True),
    sorting.Column("malgruppe", "Målgruppe"),
    sorting.Column("veileder", "Veileder", (F("veileder__first_name").asc(nulls_last=True),
                                            F("veileder__last_name").asc(nulls_last=True), "id")),
    sorting.Column("frist", "Neste steg", (F("next_huskelapp").asc(nulls_last=True), "id")),
]
PORTFOLIO_DEFAULT_SORT = "status_dato"
SORTS = {
    **{column.key: column.order for column in PORTFOLIO_COLUMNS if column.sortable},
    **{f"-{column.key}": tuple(sorting.Sorting(QueryDict(f"sorter=-{column.key}"), PORTFOLIO_COLUMNS,
                                               PORTFOLIO_DEFAULT_SORT).order_by)
       for column in PORTFOLIO_COLUMNS if column.sortable},
}


def portfolio_sorting(query: QueryDict) -> sorting.Sorting:
    """The portfolio's sort from its query string (unknown keys: newest event first)."""
    return sorting.Sorting(query, PORTFOLIO_COLUMNS, PORTFOLIO_DEFAULT_SORT)


def _scope_condition(user, filters: PortfolioFilter, search: str) -> Q:
    """A search looks through everyone the user may see; otherwise «Mine» or all of the office."""
    if search:
        return Q(person__fnr=clean_fnr(search)) if looks_like_fnr(search) else Q(person__navn_sok__contains=search_key(search))
    return Q(veileder=user) | Q(hovedveileder=user) if filters.scope == "mine" else Q()


def _malgruppe_condition(user, malgruppe: str) -> Q:
    if malgruppe == ANNEN_MALGRUPPE[0]:
        return Q(malgruppe__in=OSKAR_MALGRUPPER)
    if malgruppe in OSKAR_MALGRUPPER:
        # A filter reveals as much as a column: only where the user sees Oskar's målgrupper.
        return Q(malgruppe=malgruppe, office__enhetsnummer__in=access.offices(user, *NAV_PARTICIPANT_ROLES))
    return Q(malgruppe=malgruppe) if malgruppe else Q()


def _filter_condition(user, filters: PortfolioFilter, today: datetime.date) -> Q:
    """The portfolio's filters as one condition; a filter not chosen adds nothing."""
    new_since = today - datetime.timedelta(days=NEW_WITHIN_DAYS)
    chosen = [
        (filters.status, lambda: Q(status=filters.status)),
        (filters.malgruppe, lambda: _malgruppe_condition(user, filters.malgruppe)),
        (filters.veileder, lambda: Q(veileder_id=filters.veileder)),
        (filters.unassigned, lambda: Q(veileder__isnull=True)),
        (filters.new, lambda: Q(status=Lopsstatus.HENVIST, status_dato__gte=new_since)),
        (filters.huskelapp_due, lambda: Q(huskelapp_due=True)),
        (filters.worklist, lambda: worklist_condition(filters.worklist, today)),
    ]
    return functools.reduce(operator.and_, (condition() for value, condition in chosen if value), Q())


def portfolio(user, filters: PortfolioFilter, *, search: str = "", order_by: list | None = None) -> QuerySet[Deltaker]:
    """The portfolio's rows, filtered and sorted (`order_by` from portfolio_sorting, else filters.sort)."""
    today = timezone.localdate()
    open_huskelapper = Huskelapp.objects.filter(deltaker=OuterRef("pk"), done_at__isnull=True)
    rows = (
        participants_for_user(user)
        .select_related("person", "office", "veileder", "hovedveileder")
        .annotate(
            next_huskelapp=Subquery(
                open_huskelapper.order_by("due_date").values("due_date")[:1]
            ),
            huskelapp_due=Exists(open_huskelapper.filter(due_date__lte=today)),
        )
    )
    rows = rows.filter(_scope_condition(user, filters, search), _filter_condition(user, filters, today))
    return rows.order_by(*(order_by or SORTS.get(filters.sort, SORTS[PORTFOLIO_DEFAULT_SORT])))


def participant_search(user, *, navn: str = "", fnr: str = "", saksnummer: str = "") -> QuerySet[Deltaker]:
    """The participants the header search finds for one of: part of a name (any case, diacritics
    folded by alnaaktiv.text.search_key; the trigram index on PostgreSQL), a whole fødselsnummer
    or a saksnummer. A number is looked up only where the user holds one of NAV's participant roles
    (KAREA searches names). Unordered: the caller takes the first rows found and sorts them (ORDER
    BY name would read every match of a common name before the first row, docs/benchmarks.md)."""
    rows = participants_for_user(user)
    if fnr or saksnummer:
        rows = rows.filter(office__enhetsnummer__in=access.offices(user, *NAV_PARTICIPANT_ROLES))
    if fnr:
        rows = rows.filter(person__fnr=fnr)
    elif saksnummer:
        rows = rows.filter(sak__saksnummer__in={saksnummer, saksnummer.upper()})
    else:
        rows = rows.filter(person__navn_sok__contains=search_key(navn))
    return rows.select_related("person", "office", "sak").order_by()


def next_step(deltaker: Deltaker) -> str:
    """What needs doing next, in the words of the portfolio."""
    if getattr(deltaker, "huskelapp_due", False):
        return "Huskelapp har forfalt"
    steps = {
        Lopsstatus.KANDIDAT: "Vurder henvisning",
        Lopsstatus.HENVIST: "Registrer første møte",
        Lopsstatus.IKKE_MOTT: "Avtal nytt møte",
        Lopsstatus.MOTT: "Start kartlegging",
        Lopsstatus.I_KARTLEGGING: "Fullfør kartlegging og arbeidsevnevurdering",
        Lopsstatus.AVKLART: "Start aktivitet etter valgt rute",
        Lopsstatus.I_AKTIVITET: "Følg opp aktiviteten",
        Lopsstatus.AVSLUTTET: "Ingen – løpet er avsluttet",
    }
    step = steps[deltaker.status]
    if deltaker.status == Lopsstatus.HENVIST and deltaker.forste_avtale:
        step += f" ({timezone.localtime(deltaker.forste_avtale):%d.%m.%Y kl. %H.%M})"
    return step


def states_on(deltakere: QuerySet[Deltaker], on_date: datetime.date) -> QuerySet[Deltaker]:
    """Annotates each participant with `state_on_date`: its course state at the end of `on_date`
    (None before enrolment). Reports count from this, never from the current status."""
    latest = CourseEvent.objects.filter(deltaker=OuterRef("pk"), date__lte=on_date).order_by("-date", "-id")
    return deltakere.annotate(state_on_date=Subquery(latest.values("state")[:1]))


def state_on(deltaker: Deltaker, on_date: datetime.date) -> str | None:
    return (
        CourseEvent.objects.filter(deltaker=deltaker, date__lte=on_date)
        .order_by("-date", "-id")
        .values_list("state", flat=True)
        .first()
    )


def timeline(deltaker: Deltaker) -> list[CourseEvent | Tildeling]:
    """The course history: the course's events and the veileder's assignments, by date (an
    assignment on its day in the order things were registered). Two queries however long."""
    events = list(deltaker.events.select_related("created_by").order_by("date", "id"))
    assignments = list(deltaker.tildelinger.select_related("from_veileder", "to_veileder", "assigned_by"))
    for tildeling in assignments:
        tildeling.is_assignment = True
        tildeling.date = timezone.localdate(tildeling.assigned_at)
    return sorted(events + assignments, key=lambda row: (
        row.date, row.assigned_at if isinstance(row, Tildeling) else row.created_at))


def sak_members(user, deltaker: Deltaker) -> list[dict]:
    """Hovedperson and ektefelle of the participant's case, linked where the user may open them."""
    sak = deltaker.sak
    if sak is None:
        return [{"person": deltaker.person, "rolle": deltaker.get_rolle_display(), "deltaker_id": deltaker.pk,
                 "visible": True, "current": True}]
    members = [(sak.hovedperson, "Hovedperson")] + ([(sak.ektefelle, "Ektefelle")] if sak.ektefelle else [])
    # A member the user may not see is left out, as in every list (the page's own person is visible).
    members = [(person, rolle) for person, rolle in members if access.may_see_person(user, person)]
    visible_ids = dict(
        participants_for_user(user)
        .filter(office=deltaker.office, person__in=[person for person, _ in members])
        .values_list("person_id", "pk")
    )
    return [
        {
            "person": person,
            "name": person.navn,
            "rolle": rolle,
            "deltaker_id": visible_ids.get(person.pk),
            "visible": True,
            "current": person.pk == deltaker.person_id,
        }
        for person, rolle in members
    ]


EXCLUSIONS_UNDONE_SHOWN_DAYS = 90


def exclusions_for_office(user, office) -> list:
    """The office's screening exclusions in force, and those undone in the last
    EXCLUSIONS_UNDONE_SHOWN_DAYS days (with who undid them and why), newest first; persons the
    user may not see are left out."""
    since = timezone.now() - datetime.timedelta(days=EXCLUSIONS_UNDONE_SHOWN_DAYS)
    return list(
        ScreeningExclusion.objects.filter(office=office)
        .filter(Q(undone_at__isnull=True) | Q(undone_at__gte=since))
        .filter(visible_person_q(user, "person_id"))
        .select_related("person", "excluded_by", "undone_by")
        .order_by(F("undone_at").desc(nulls_first=True), "-excluded_at", "-id")
    )


def journal(deltaker) -> list:
    """The participant's journal, newest first. A struck note stays, marked `corrected` when a
    newer note corrects it (no query per note)."""
    entries = list(deltaker.journal.select_related("author", "struck_by", "corrects").order_by("-date", "-id"))
    corrected = {entry.corrects_id for entry in entries if entry.corrects_id}
    for entry in entries:
        entry.corrected = entry.pk in corrected
    return entries


def open_huskelapper(deltaker) -> QuerySet[Huskelapp]:
    """Open huskelapper, each with the trace of an «Utført» undone."""
    return (deltaker.huskelapper.filter(done_at__isnull=True).select_related("created_by")
            .prefetch_related(Prefetch("angringer", queryset=HuskelappAngring.objects.select_related(
                "done_by", "undone_by"))))


def recently_done_huskelapper(deltaker) -> QuerySet[Huskelapp]:
    """Huskelapper marked done in the last Huskelapp.UNDO_DAYS days: «Utført» can be undone there."""
    since = timezone.now() - datetime.timedelta(days=Huskelapp.UNDO_DAYS)
    return deltaker.huskelapper.filter(done_at__gte=since).select_related("done_by").order_by("-done_at", "-id")


# Whether an app above cases has a running activity for the participant (Arbeidsboks: an open
# placement, a running state measure). Cases may not import them, so the frame fills this list at
# start-up (alnaaktiv.frame.compose_participant_page).
RUNNING_ACTIVITY_CHECKS: list[Callable[[Deltaker], bool]] = []


def has_running_activity(deltaker: Deltaker) -> bool:
    """An active plan activity (planned or being carried out), or a running activity of an app above."""
    if deltaker.aktiviteter.filter(status__in=ACTIVE_STATUSES).exists():
        return True
    return any(check(deltaker) for check in RUNNING_ACTIVITY_CHECKS)


# The same question of the apps above cases, for an activity already under way (a running
# placement or state measure), filled by the frame.
STARTED_ACTIVITY_CHECKS: list[Callable[[Deltaker], bool]] = []


def has_started_activity(deltaker: Deltaker) -> bool:
    """An activity being carried out: a course-like plan activity (COURSE_ACTIVITY_TYPES) in
    progress, or a running activity of an app above (a placement or state measure)."""
    if deltaker.aktiviteter.filter(status=Aktivitetsstatus.GJENNOMFORES, type__in=COURSE_ACTIVITY_TYPES).exists():
        return True
    return any(check(deltaker) for check in STARTED_ACTIVITY_CHECKS)


def needs_next_step(deltaker: Deltaker) -> bool:
    """docs/domain.md §3.4: the course is `i_aktivitet` and its last activity has ended, so the
    veileder chooses the next step (a new activity or ending the course). Nothing moves by itself."""
    status = Deltaker.objects.filter(pk=deltaker.pk).values_list("status", flat=True).first()
    return status == Lopsstatus.I_AKTIVITET and not has_running_activity(deltaker)
