"""Reads in conditions, already scoped to the user's offices and roles, each page with a fixed
number of queries however many vedtak there are."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone

from alnaaktiv import access, sorting
from alnaaktiv.inboxkind import InboxKind
from alnaaktiv.models import Office, Role
from alnaaktiv.text import search_key
from cases.models import Deltaker, Sak
from cases.selectors import PARTICIPANT_ROLES, hidden_persons, participants_for_user
from cases.selectors.participants import visible_person_q
from conditions.models import (
    OPEN_BRUDD,
    BruddStatus,
    Dokumentasjon,
    Fase,
    Forhandsvarsel,
    Fullmakt,
    MuligBrudd,
    Oppheving,
    OpphevingStatus,
    Overforing,
    OverforingEksport,
    Sanksjon,
    SanksjonStatus,
    Vedtak,
    Vilkar,
    VilkarKind,
    VilkarStatus,
    Vurdering,
)
from conditions.models.complaints import Klage, KlageStatus

READERS = (Role.VEDTAK, Role.LEDER, Role.PROSJEKTLEDER)
WRITERS = (Role.VEDTAK, Role.LEDER)
APPROVERS = (Role.LEDER,)
ASSESSORS = (Role.VEILEDER,)
DOCUMENT_READERS = (Role.VEDTAK, Role.LEDER, Role.VEILEDER)
# A vilkår is reached by the vedtak unit and, for activity vilkår of participants, the veileder.
VILKAR_READERS = WRITERS + ASSESSORS
# Liftings, their PDFs and the hand-over are for the vedtak unit and leaders, not for a reader.
LIFTING_READERS = WRITERS
ROWS = 25
# The statuses the conditions templates compare with, by name: never a string literal in a template.
STATUS_ENUMS = {"Fase": Fase, "VilkarKind": VilkarKind, "VilkarStatus": VilkarStatus, "Vurdering": Vurdering}


def _offices(user, roles) -> set[str]:
    return access.offices(user, *roles)


def _office_ids(user, roles) -> list[int]:
    """The office ids as literals: with them PostgreSQL walks the (office, phase, date) index for
    a page of rows instead of joining every vedtak to its office (ms instead of 200 ms at 100 000
    vedtak). One query per request, kept on the user object like the memberships."""
    cache = user.__dict__.setdefault("_conditions_office_ids", {})
    key = frozenset(_offices(user, roles))
    if key not in cache:
        cache[key] = list(Office.objects.filter(enhetsnummer__in=key).values_list("pk", flat=True)) if key else []
    return cache[key]


def visible_vedtak_q(user, prefix: str = "") -> Q:
    """A vedtak concerns the whole household: it exists for the user only when both its
    hovedperson and its ektefelle may be seen (the database form of _require_visible). Written as
    "not one of the few saks with a hidden person", so the lists keep their own indexes instead of
    joining every vedtak to two persons."""
    hidden = hidden_persons(user)
    if hidden is None:
        return Q()
    sak = OuterRef(f"{prefix}__sak_id" if prefix else "sak_id")
    # One anti join per role in the sak, each two index lookups per row (an OR of the two would
    # read every sak).
    return (Q(~Exists(Sak.objects.filter(pk=sak, hovedperson__in=hidden)))
            & Q(~Exists(Sak.objects.filter(pk=sak, ektefelle__in=hidden))))


def vedtak_for_user(user, roles=READERS) -> QuerySet[Vedtak]:
    return Vedtak.objects.filter(office__enhetsnummer__in=_offices(user, roles)).filter(visible_vedtak_q(user))


def _page_vedtak(user, roles=READERS) -> QuerySet[Vedtak]:
    return Vedtak.objects.filter(office_id__in=_office_ids(user, roles)).filter(visible_vedtak_q(user))


def _require_visible(user, vedtak: Vedtak) -> None:
    access.require_person_visible(user, vedtak.sak.hovedperson)
    if vedtak.sak.ektefelle_id:
        access.require_person_visible(user, vedtak.sak.ektefelle)


def _require_act(user, act: tuple[str, ...], office: str) -> None:
    """With `act`, 403 unless the user holds one of those roles in the object's office (the
    roles that may change it); reading needs only the getter's own roles."""
    if act:
        access.require_role(user, *act, office=office)


def get_vedtak_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Vedtak:
    """403 for a role that never works with vedtak, 404 for another office's vedtak or a
    protected person without permission; with `act`, 403 unless the user holds one of those
    roles in the vedtak's office."""
    access.require_role(user, *READERS)
    vedtak = (vedtak_for_user(user).select_related("office", "sak__hovedperson", "sak__ektefelle", "created_by")
              .filter(pk=pk).first())
    if vedtak is None:
        raise access.AccessDenied(f"vedtak {pk} utenfor brukerens tilgang")
    _require_visible(user, vedtak)
    _require_act(user, act, vedtak.office.enhetsnummer)
    return vedtak


def _person_conditions(*, navn: str, fnr: str) -> list[Q]:
    """The household member found, as the hovedperson and as the ektefelle: two plain joins that
    each start from the person (an OR of the two would read every sak)."""
    if fnr:
        return [Q(sak__hovedperson__fnr=fnr), Q(sak__ektefelle__fnr=fnr)]
    key = search_key(navn)
    return [Q(sak__hovedperson__navn_sok__contains=key), Q(sak__ektefelle__navn_sok__contains=key)]


def vedtak_search(user, *, navn: str = "", fnr: str = "", saksnummer: str = "", limit: int = 50) -> list[Vedtak]:
    """Up to `limit` + 1 vedtak the header search finds in the user's offices, newest application
    first: by the household's saksnummer, or a hovedperson's or ektefelle's fødselsnummer or part
    of the name. Vedtak of a household with a person the user may not see are left out in the
    query. Each condition reads its first rows unordered (fast for a common name too); they are
    merged and sorted here."""
    if saksnummer:
        conditions = [Q(sak__saksnummer__in={saksnummer, saksnummer.upper()})]
    else:
        conditions = _person_conditions(navn=navn, fnr=fnr)
    found = {}
    for condition in conditions:
        rows = (_page_vedtak(user).filter(condition).select_related("office", "sak__hovedperson", "sak__ektefelle")
                .order_by()[:limit + 1])
        found.update({vedtak.pk: vedtak for vedtak in rows})
    return sorted(found.values(), key=lambda vedtak: (vedtak.soknad_mottatt, vedtak.pk), reverse=True)[:limit + 1]


@dataclass(frozen=True)
class VedtakFilter:
    fase: str = ""
    open_vilkar: bool = False
    frist_before: datetime.date | None = None
    saksbehandler: int | None = None
    search: str = ""
    order_by: tuple = ()


# The vedtak list's columns (alnaaktiv.sorting), each ending in a tie-breaker; newest application
# first by default.
VEDTAK_COLUMNS = [
    sorting.Column("navn", "Hovedperson", ("sak__hovedperson__navn", "id")),
    sorting.Column("saksnummer", "Saksnummer", ("sak__saksnummer", "id")),
    sorting.Column("mottatt", "Søknad mottatt", ("soknad_mottatt", "id")),
    sorting.Column("fase", "Status", ("fase", "soknad_mottatt", "id")),
    sorting.Column("frist", "Neste frist", (F("next_frist").asc(nulls_last=True), "id")),
    sorting.Column("saksbehandler", "Saksbehandler"),
]


def vedtak_sorting(query) -> sorting.Sorting:
    return sorting.Sorting(query, VEDTAK_COLUMNS, "-mottatt")


def _vedtak_filter_condition(filters: VedtakFilter) -> Q:
    open_vilkar = Vilkar.objects.filter(vedtak=OuterRef("pk"), status=VilkarStatus.APEN)
    condition = Q()
    if filters.fase:
        condition &= Q(fase=filters.fase)
    if filters.open_vilkar:
        condition &= Q(Exists(open_vilkar))
    if filters.frist_before:
        condition &= Q(Exists(open_vilkar.filter(frist__lt=filters.frist_before)))
    if filters.saksbehandler:
        condition &= Q(created_by_id=filters.saksbehandler)
    if filters.search:
        term = filters.search.strip()
        by_number = any(char.isdigit() for char in term)
        if by_number:
            condition &= Q(sak__saksnummer__in={term, term.upper()})
        else:
            # Joins from the office's vedtak to its two persons: an IN over every person with the
            # name read them all (a second at 270 000 persons, docs/benchmarks.md).
            hovedperson, ektefelle = _person_conditions(navn=term, fnr="")
            condition &= hovedperson | ektefelle
    return condition


def vedtak_list(user, filters: VedtakFilter) -> QuerySet[Vedtak]:
    """/vilkar/vedtak/: every vedtak of the user's offices the user may see, filtered, with the
    earliest deadline of its open vilkår, sorted by a whitelisted column."""
    next_frist = (Vilkar.objects.filter(vedtak=OuterRef("pk"), status=VilkarStatus.APEN)
                  .order_by("frist").values("frist")[:1])
    rows = (_page_vedtak(user).filter(_vedtak_filter_condition(filters))
            .select_related("office", "sak__hovedperson", "created_by")
            .annotate(next_frist=Subquery(next_frist)))
    return rows.order_by(*filters.order_by) if filters.order_by else rows


def saksbehandlere(user) -> QuerySet:
    """The vedtak unit and leaders of the user's offices: the list's «saksbehandler» choices (the
    employee who registered the vedtak)."""
    return (get_user_model().objects.filter(memberships__role__in=WRITERS,
                                            memberships__office__enhetsnummer__in=_offices(user, READERS))
            .distinct().order_by("first_name", "last_name", "username"))


def _participant_exists():
    return Exists(Deltaker.objects.filter(person=OuterRef("person"), office=OuterRef("vedtak__office")))


def _vilkar_reach(user, roles) -> Q:
    """The vilkår `roles` reach: every vilkår in an office where the user works with vedtak; the
    activity vilkår of participants where the user is the follow-up veileder."""
    reach = Q(pk__in=[])
    if set(roles) & set(WRITERS):
        reach |= Q(vedtak__office__enhetsnummer__in=_offices(user, WRITERS))
    if set(roles) & set(ASSESSORS):
        reach |= (Q(kind=VilkarKind.AKTIVITET, vedtak__office__enhetsnummer__in=_offices(user, ASSESSORS))
                  & Q(_participant_exists()))
    return reach


def get_vilkar_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Vilkar:
    """A vilkår within the user's reach (`_vilkar_reach`): 403 for a role that never reaches one,
    404 outside the reach or for a protected person without permission. With `act`, the reach is
    that of those roles (the veileder acts on activity vilkår of participants only) and the user
    must hold one of them in the vedtak's office."""
    roles = act or VILKAR_READERS
    access.require_role(user, *roles)
    vilkar = (Vilkar.objects.select_related("person", "vedtak__office", "vedtak__sak__hovedperson",
                                            "vedtak__sak__ektefelle")
              .filter(_vilkar_reach(user, roles), pk=pk).first())
    if vilkar is None:
        raise access.AccessDenied(f"vilkår {pk} utenfor brukerens tilgang")
    access.require_person_visible(user, vilkar.person)
    _require_visible(user, vilkar.vedtak)
    _require_act(user, act, vilkar.vedtak.office.enhetsnummer)
    return vilkar


def get_document_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Dokumentasjon:
    """Documents are financial data: never KAREA or the controller. A veileder opens only those
    of activity vilkår of participants in the office. With `act`, 403 unless the user holds one
    of those roles in the vedtak's office."""
    access.require_role(user, *DOCUMENT_READERS)
    document = Dokumentasjon.objects.filter(pk=pk).first()
    if document is None:
        raise access.AccessDenied(f"dokumentasjon {pk} utenfor brukerens tilgang")
    document.vilkar = get_vilkar_for_user(user, document.vilkar_id)
    _require_act(user, act, document.vilkar.vedtak.office.enhetsnummer)
    return document


def get_lifting_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Oppheving:
    """A lifting is read by the vedtak unit and leaders of its office (404 elsewhere); with
    `act`, 403 unless the user holds one of those roles in that office."""
    access.require_role(user, *LIFTING_READERS)
    oppheving = (Oppheving.objects.select_related("vedtak__office", "vedtak__sak__hovedperson", "vedtak__sak__ektefelle")
                 .filter(pk=pk, vedtak__office__enhetsnummer__in=_offices(user, LIFTING_READERS)).first())
    if oppheving is None:
        raise access.AccessDenied(f"oppheving {pk} utenfor brukerens tilgang")
    _require_visible(user, oppheving.vedtak)
    _require_act(user, act, oppheving.vedtak.office.enhetsnummer)
    return oppheving


def sak_for_new_vedtak(user, saksnummer: str) -> Sak | None:
    """The sak an application is registered on: in an office where the user works with vedtak,
    with no person the user may not see; None otherwise."""
    sak = (Sak.objects.select_related("office", "hovedperson", "ektefelle")
           .filter(saksnummer=saksnummer, office__enhetsnummer__in=_offices(user, WRITERS)).first())
    if sak is None or not all(access.may_see_person(user, person) for person in (sak.hovedperson, sak.ektefelle)
                              if person is not None):
        return None
    return sak


def deadline_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(applications received on or before this are past the deadline, ... are near it)."""
    days, warning = settings.DECISION_DEADLINE_DAYS, settings.DECISION_WARNING_DAYS
    return today - datetime.timedelta(days=days + 1), today - datetime.timedelta(days=days - warning)


# Counts on the work list stop here: "over 1000" is all a user needs, and counting on costs time.
COUNT_CAP = 1000


def _section(rows: QuerySet) -> dict:
    count = rows.order_by()[:COUNT_CAP + 1].count()
    return {"count": count, "label": f"over {COUNT_CAP}" if count > COUNT_CAP else str(count), "rows": list(rows[:ROWS])}


def _unassessed(user, documents: QuerySet[Dokumentasjon]) -> QuerySet[Dokumentasjon]:
    """Documentation registered and not yet assessed: the work list's section, the start page's
    count and the vedtak unit's inbox."""
    return (documents.filter(vurdering=Vurdering.IKKE_VURDERT).filter(visible_vedtak_q(user, "vilkar__vedtak"))
            .exclude(vilkar__vedtak__fase=Fase.OPPHEVET))


def _worklist_rows(user, today: datetime.date, *, by_office_id: bool) -> dict[str, QuerySet]:
    """The work list's sections as conditions, written once: the work list shows their rows and
    the start page counts them. `by_office_id` scopes by the office ids as literals (the lists'
    indexes, one query more) instead of joining to the office by its code (the start page)."""
    if by_office_id:
        ids = _office_ids(user, READERS)
        vedtak_rows = Vedtak.objects.filter(office_id__in=ids)
        vilkar_rows = Vilkar.objects.filter(vedtak__office_id__in=ids)
        documents = Dokumentasjon.objects.filter(vilkar__vedtak__office_id__in=ids)
    else:
        codes = _offices(user, READERS)
        vedtak_rows = Vedtak.objects.filter(office__enhetsnummer__in=codes)
        vilkar_rows = Vilkar.objects.filter(vedtak__office__enhetsnummer__in=codes)
        documents = Dokumentasjon.objects.filter(vilkar__vedtak__office__enhetsnummer__in=codes)
    vedtak_rows = vedtak_rows.filter(visible_vedtak_q(user))
    open_vilkar = (vilkar_rows.filter(vedtak__fase__in=[Fase.SOKNAD, Fase.VILKAR_APNE], status=VilkarStatus.APEN)
                   .filter(visible_vedtak_q(user, "vedtak")))
    _, near = deadline_dates(today)
    return {
        "ready": vedtak_rows.filter(fase=Fase.KLAR),
        "unassessed": _unassessed(user, documents),
        "waiting": open_vilkar.filter(frist__gte=today),
        "past_due": open_vilkar.filter(frist__lt=today),
        "deadline": vedtak_rows.filter(fase=Fase.SOKNAD, soknad_mottatt__lte=near),
    }


def worklist(user, today: datetime.date | None = None) -> dict:
    """The vedtak unit's work list (/vilkar/): ready for lifting, documentation not assessed,
    vilkår waiting for documentation, vilkår past due, applications near or past the deadline."""
    today = today or timezone.localdate()
    rows = _worklist_rows(user, today, by_office_id=True)
    vilkar_related = ("person", "vedtak__sak")
    return {
        "today": today,
        "past_deadline_date": deadline_dates(today)[0],
        "ready": _capped(rows["ready"]),
        "unassessed": _section(rows["unassessed"].select_related("vilkar__person", "vilkar__vedtak__sak")
                               .order_by("mottatt", "id")),
        "waiting": _section(rows["waiting"].select_related(*vilkar_related).order_by("frist", "id")),
        "past_due": _section(rows["past_due"].select_related(*vilkar_related).order_by("frist", "id")),
        "deadline": _section(rows["deadline"].select_related("sak__hovedperson").order_by("soknad_mottatt", "id")),
    }


def lifting_queue(user) -> dict:
    """/vilkar/oppheving/: vedtak ready for lifting, liftings waiting for approval, and the
    latest approved with their PDFs."""
    scope = _page_vedtak(user, WRITERS)
    liftings = Oppheving.objects.filter(vedtak__office_id__in=_office_ids(user, WRITERS)).filter(
        visible_vedtak_q(user, "vedtak")).select_related(
        "vedtak__sak__hovedperson", "vedtak__office", "prepared_by", "decided_by")
    return {
        "ready": _section(scope.filter(fase=Fase.KLAR).select_related("sak__hovedperson", "office")
                          .order_by("soknad_mottatt", "id")),
        "pending": _section(liftings.filter(status=OpphevingStatus.FORBEREDT).order_by("prepared_at", "id")),
        "approved": list(liftings.filter(status=OpphevingStatus.GODKJENT).order_by("-decided_at", "-id")[:20]),
        "fullmakter": {f.office_id: f for f in Fullmakt.objects.filter(user=user)},
    }


def fullmakt_for(user, vedtak: Vedtak) -> Fullmakt | None:
    return Fullmakt.objects.filter(user=user, office=vedtak.office).first()


def lifted_alone_sums(vedtak_rows) -> dict[int, Decimal]:
    """For each vedtak, the amount already lifted alone (with fullmakt, by anyone) of the other
    vedtak of its sak whose period overlaps its own: one query for all the rows of a page."""
    rows = list(vedtak_rows)
    lifted = (Vedtak.objects.filter(sak_id__in={row.sak_id for row in rows},
                                    opphevinger__status=OpphevingStatus.GODKJENT, opphevinger__alene_med_fullmakt=True)
              .values_list("pk", "sak_id", "periode_fra", "periode_til", "belop"))
    by_sak: dict[int, list] = {}
    for row in lifted:
        by_sak.setdefault(row[1], []).append(row)
    return {
        row.pk: sum((belop for pk, _, fra, til, belop in by_sak.get(row.sak_id, [])
                     if pk != row.pk and fra <= row.periode_til and row.periode_fra <= til), Decimal(0))
        for row in rows
    }


def handover(user) -> QuerySet[Overforing]:
    """The payouts released to fellestjenesten and not yet sent: the list, its CSV export and
    the rows that may be marked as sent, all without the households the user may not see."""
    return (Overforing.objects.filter(office_id__in=_office_ids(user, WRITERS), sendt_at__isnull=True)
            .filter(visible_vedtak_q(user, "vedtak"))
            .select_related("vedtak__sak__hovedperson", "vedtak__sak__ektefelle", "oppheving__decided_by", "office")
            .order_by("frigitt_at", "id"))


def get_lifting_review_for_user(user, pk: int) -> dict:
    """The leader's review page of a prepared lifting: the vedtak with every vilkår and its
    documentation, as the lifting form (PDF) will show them."""
    oppheving = get_lifting_for_user(user, pk, act=APPROVERS)
    context = vedtak_page(oppheving.vedtak)
    context["oppheving"] = next((o for o in context["liftings"] if o.pk == oppheving.pk), oppheving)
    return context


def exports(user) -> list[OverforingEksport]:
    """The latest named exports of the hand-over list with their rows counted and summed, in one query."""
    return list(OverforingEksport.objects.filter(office_id__in=_office_ids(user, WRITERS))
                .select_related("laget_av", "sendt_av", "angret_av")
                .annotate(antall=Count("rader"), sum_belop=Sum("rader__belop"),
                          ikke_sendt=Count("rader", filter=Q(rader__sendt_at__isnull=True)))
                .order_by("-laget_at", "-id")[:10])


def get_handover_export_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> OverforingEksport:
    """An export of the hand-over list, for the vedtak unit and leaders of its office (404
    elsewhere). It names no one: its rows are filtered by `handover_export_rows`."""
    access.require_role(user, *LIFTING_READERS)
    eksport = (OverforingEksport.objects.select_related("office")
               .filter(pk=pk, office__enhetsnummer__in=_offices(user, LIFTING_READERS)).first())
    if eksport is None:
        raise access.AccessDenied(f"eksport {pk} utenfor brukerens tilgang")
    _require_act(user, act, eksport.office.enhetsnummer)
    return eksport


def handover_export_rows(user, eksport: OverforingEksport) -> QuerySet[Overforing]:
    """The rows of a named export the user may see (the CSV, and what «Marker som sendt» marks)."""
    return (eksport.rader.filter(visible_vedtak_q(user, "vedtak"))
            .select_related("vedtak__sak__hovedperson", "vedtak__sak__ektefelle", "office")
            .order_by("frigitt_at", "id"))


def handover_with_exports(user) -> list[Overforing]:
    """The hand-over list with each row's exports (one query more); `row.open_export` is the
    export it waits in (made, not yet marked as sent), or None when a new export should take it."""
    rows = list(handover(user).prefetch_related(Prefetch("eksporter", queryset=OverforingEksport.objects.order_by("id"))))
    for row in rows:
        row.open_export = next((e for e in row.eksporter.all() if e.sendt_at is None and e.angret_at is None), None)
    return rows


def recently_sent(user) -> list[Overforing]:
    return list(Overforing.objects.filter(office_id__in=_office_ids(user, WRITERS), sendt_at__isnull=False)
                .filter(visible_vedtak_q(user, "vedtak"))
                .select_related("vedtak__sak__hovedperson", "sendt_av", "sendt_eksport").order_by("-sendt_at", "-id")[:20])


# /vilkar/aktivitet/'s sortable columns (alnaaktiv.sorting); nearest due date first by default.
ACTIVITY_LIST_COLUMNS = [
    sorting.Column("navn", "Deltaker", ("person__navn", "id")),
    sorting.Column("vilkar", "Vilkår"),
    sorting.Column("frist", "Frist", ("frist", "id")),
    sorting.Column("status", "Status så langt"),
]


def activity_list_sorting(query) -> sorting.Sorting:
    return sorting.Sorting(query, ACTIVITY_LIST_COLUMNS, "frist")


def activity_vilkar_to_assess(user) -> QuerySet[Vilkar]:
    """/vilkar/aktivitet/: open activity vilkår of participants in the veileder's offices."""
    return (Vilkar.objects.filter(kind=VilkarKind.AKTIVITET, status=VilkarStatus.APEN,
                                  vedtak__fase=Fase.VILKAR_APNE,
                                  vedtak__office_id__in=_office_ids(user, ASSESSORS))
            .filter(_participant_exists()).filter(visible_vedtak_q(user, "vedtak"))
            .select_related("person", "vedtak").prefetch_related(_documents_prefetch()).order_by("frist", "id"))


def _documents_prefetch() -> Prefetch:
    return Prefetch("dokumentasjon", queryset=Dokumentasjon.objects.select_related("registrert_av", "vurdert_av")
                    .prefetch_related("soknader").order_by("mottatt", "id"))


def vedtak_page(vedtak: Vedtak) -> dict:
    """Everything the vedtak page (and the lifting form) shows, in a fixed number of queries."""
    vilkar = list(vedtak.vilkar.select_related("person", "vurdert_av", "aktivitet")
                  .prefetch_related(_documents_prefetch(), "reduksjoner").order_by("frist", "id"))
    for item in vilkar:
        item.vedtak = vedtak
    liftings = list(vedtak.opphevinger.select_related("prepared_by", "decided_by").order_by("-prepared_at", "-id"))
    return {
        "hendelser": list(vedtak.sanksjonshendelser.select_related("utfort_av", "brudd").order_by("at", "id")),
        "sanksjoner": list(vedtak.sanksjoner.filter(status__in=[SanksjonStatus.FORBEREDT, SanksjonStatus.GODKJENT])
                           .select_related("brudd").order_by("periode_fra", "id")),
        "vedtak": vedtak,
        "vilkar": vilkar,
        "liftings": liftings,
        "pending": next((o for o in liftings if o.status == OpphevingStatus.FORBEREDT), None),
        "approved": next((o for o in liftings if o.status == OpphevingStatus.GODKJENT), None),
        **STATUS_ENUMS,
    }


def lifting_form(oppheving: Oppheving) -> dict:
    vedtak = Vedtak.objects.select_related("office", "sak__hovedperson", "sak__ektefelle").get(pk=oppheving.vedtak_id)
    context = vedtak_page(vedtak)
    context["oppheving"] = Oppheving.objects.select_related("prepared_by", "decided_by").get(pk=oppheving.pk)
    context["generated_at"] = timezone.now()
    return context


def _capped(rows: QuerySet) -> int | str:
    count = rows.order_by()[:COUNT_CAP + 1].count()
    return f"over {COUNT_CAP}" if count > COUNT_CAP else count


def deadline_label() -> str:
    """The decision deadline's name, from DECISION_DEADLINE_DAYS (the text follows the setting)."""
    return f"Søknader nær eller over {settings.DECISION_DEADLINE_DAYS}-dagersfristen"


def start_worklist_vedtak(user) -> list[dict]:
    """The start page's counted links for the vedtak unit: the work list's own sections, counted."""
    rows = _worklist_rows(user, timezone.localdate(), by_office_id=False)
    url = reverse("conditions-worklist")
    # The lifting queue is for the vedtak unit and leaders; a reader (the project leader) gets the
    # count where the work list shows it, never a link to a page that refuses them.
    ready_url = reverse("lifting-queue") if access.has_role(user, *WRITERS) else url + "#klare"
    return [
        {"label": "Klare for oppheving", "count": _capped(rows["ready"]), "url": ready_url},
        {"label": "Dokumentasjon mottatt, ikke vurdert", "url": url + "#ikke-vurdert",
         "count": _capped(rows["unassessed"])},
        {"label": "Vilkår over frist", "url": url + "#over-frist", "count": _capped(rows["past_due"])},
        {"label": deadline_label(), "url": url + "#frist", "count": _capped(rows["deadline"])},
    ]


def liftings_awaiting_approval(user) -> QuerySet[Oppheving]:
    """Liftings prepared in an office where the user approves, never one they prepared (four eyes)."""
    pending = Oppheving.objects.filter(status=OpphevingStatus.FORBEREDT,
                                       vedtak__office__enhetsnummer__in=_offices(user, APPROVERS)).exclude(prepared_by=user)
    return pending.filter(visible_vedtak_q(user, "vedtak"))


def start_worklist_leder(user) -> list[dict]:
    pending = liftings_awaiting_approval(user)
    return [{"label": "Opphevinger som venter på din godkjenning", "count": _capped(pending),
             "url": reverse("lifting-queue") + "#til-godkjenning"}]


def vilkar_with_documents(vilkar: Vilkar) -> Vilkar:
    prefetch_related_objects([vilkar], _documents_prefetch())
    return vilkar


def _document_status(vilkar: Vilkar) -> str:
    """The state of a vilkår's documentation in the work list's words (documents prefetched)."""
    documents = list(vilkar.dokumentasjon.all())
    if any(doc.vurdering == Vurdering.IKKE_VURDERT for doc in documents):
        return "Dokumentasjon mottatt, ikke vurdert"
    if any(doc.vurdering == Vurdering.GODKJENT for doc in documents):
        return "Dokumentasjon godkjent"
    if documents:
        return "Dokumentasjon avvist"
    return "Ingen dokumentasjon registrert"


def _overview_vilkar(vilkar: Vilkar) -> Vilkar:
    vilkar.document_status = _document_status(vilkar)
    return vilkar


def participant_overview(user, deltaker: Deltaker) -> dict | None:
    """The participant page's vilkår section (docs/domain.md §3.6), by the rules of the vilkår
    pages, or None for a user who may see none of it (KAREA, the hovedveileder): a vedtak reader
    of the office (vedtak, leder, prosjektleder) sees the vedtak of the person's households (as
    hovedperson or ektefelle) with the person's vilkår, documentation, lifting and payout; the
    follow-up veileder sees the person's activity vilkår only. A vedtak whose household has a
    person the user may not see is left out. Three queries (two for the veileder)."""
    office = deltaker.office.enhetsnummer
    person_vilkar = (Vilkar.objects.filter(person_id=deltaker.person_id).select_related("vedtak", "aktivitet")
                     .prefetch_related(_documents_prefetch()).order_by("frist", "id"))
    if access.has_role(user, *READERS, office=office):
        vedtak = list(Vedtak.objects.filter(office_id=deltaker.office_id)
                      .filter(Q(sak__hovedperson_id=deltaker.person_id) | Q(sak__ektefelle_id=deltaker.person_id))
                      .filter(visible_vedtak_q(user)).select_related("sak")
                      .prefetch_related(Prefetch("vilkar", queryset=person_vilkar, to_attr="person_vilkar"))
                      .order_by("-periode_fra", "-id"))
        for row in vedtak:
            row.person_vilkar = [_overview_vilkar(item) for item in row.person_vilkar]
        return {"full": True, "vedtak": vedtak, "vilkar": []}
    if access.has_role(user, *ASSESSORS, office=office):
        vilkar = list(person_vilkar.filter(kind=VilkarKind.AKTIVITET, vedtak__office_id=deltaker.office_id)
                      .filter(visible_vedtak_q(user, "vedtak")))
        return {"full": False, "vedtak": [], "vilkar": [_overview_vilkar(item) for item in vilkar]}
    return None


# Who sees which vilkår a plan activity carries: NAV's roles that follow the participant or the
# vedtak, never KAREA (KAREA never sees vedtak data).
ACTIVITY_VILKAR_ROLES = (Role.VEILEDER, Role.PROSJEKTLEDER, Role.VEDTAK, Role.LEDER)


def activity_vilkar_labels(user, deltaker: Deltaker) -> dict[int, list[str]]:
    """The plan page's «which vilkår each activity carries» (cases.selectors.ACTIVITY_VILKAR):
    {activity id: ["Aktivitetsvilkår: … (åpen, frist …)"]}; nothing and no query for a user
    without one of ACTIVITY_VILKAR_ROLES at the office. One query."""
    if not access.has_role(user, *ACTIVITY_VILKAR_ROLES, office=deltaker.office.enhetsnummer):
        return {}
    rows = (Vilkar.objects.filter(aktivitet__deltaker=deltaker, kind=VilkarKind.AKTIVITET)
            .filter(visible_vedtak_q(user, "vedtak")).order_by("frist", "id"))
    found: dict[int, list[str]] = {}
    for vilkar in rows:
        found.setdefault(vilkar.aktivitet_id, []).append(
            f"{vilkar.beskrivelse} ({vilkar.get_status_display().lower()}, frist {vilkar.frist:%d.%m.%Y})")
    return found


def participant_pages(user, vedtak: Vedtak) -> dict[int, int]:
    """The participant pages the vedtak page links back to: person id → participant id for the
    hovedperson and ektefelle enrolled at the vedtak's office, only where the user may open that
    page (the participant roles' own scope; none and no query for the vedtak unit and leaders
    without one)."""
    if not access.has_role(user, *PARTICIPANT_ROLES, office=vedtak.office.enhetsnummer):
        return {}
    persons = [pk for pk in (vedtak.sak.hovedperson_id, vedtak.sak.ektefelle_id) if pk is not None]
    return dict(participants_for_user(user).filter(office_id=vedtak.office_id, person_id__in=persons)
                .values_list("person_id", "pk"))


# Documentation registered this many days ago or later is news in the veileder's inbox.
INBOX_DOCUMENTS_DAYS = 14


def documents_to_assess(user) -> QuerySet[Dokumentasjon]:
    """The vedtak unit's inbox: documentation not yet assessed, in its offices (the work list's
    «ikke vurdert» condition)."""
    return _unassessed(user, Dokumentasjon.objects.filter(
        vilkar__vedtak__office__enhetsnummer__in=_offices(user, (Role.VEDTAK,))))


def documents_for_my_participants(user) -> QuerySet[Dokumentasjon]:
    """The veileder's inbox: documentation registered lately on activity vilkår of participants
    they follow up. Only activity vilkår: those are the documents a veileder may open
    (get_document_for_user, _vilkar_reach); documentation vilkår are the vedtak unit's."""
    since = timezone.now() - datetime.timedelta(days=INBOX_DOCUMENTS_DAYS)
    mine = Deltaker.objects.filter(person=OuterRef("vilkar__person"), office=OuterRef("vilkar__vedtak__office"),
                                   veileder=user)
    return (Dokumentasjon.objects.filter(vilkar__kind=VilkarKind.AKTIVITET, registrert_at__gte=since,
                                         vilkar__vedtak__office__enhetsnummer__in=_offices(user, ASSESSORS))
            .filter(Exists(mine)).filter(visible_vedtak_q(user, "vilkar__vedtak")))


INBOX_DOCUMENTS_TO_ASSESS = InboxKind(
    code="dokumentasjon-til-vurdering", label="Dokumentasjon mottatt, ikke vurdert", what="Dokumentasjon registrert",
    rows=documents_to_assess, date="registrert_at", person="vilkar__person",
    url=lambda document: reverse("vedtak-detail", args=[document.vilkar.vedtak_id]), related=("vilkar__person",))
INBOX_DOCUMENTS_FOR_MY_PARTICIPANTS = InboxKind(
    code="dokumentasjon-mottatt", label="Dokumentasjon mottatt for mine deltakere",
    what="Dokumentasjon registrert på aktivitetsvilkår", rows=documents_for_my_participants, date="registrert_at",
    person="vilkar__person", url=lambda document: reverse("vilkar-assess", args=[document.vilkar_id]),
    related=("vilkar__person",))
INBOX_LIFTINGS = InboxKind(
    code="opphevinger", label="Opphevinger som venter på din godkjenning", what="Oppheving forberedt",
    rows=liftings_awaiting_approval, date="prepared_at", person="vedtak__sak__hovedperson",
    url=lambda lifting: reverse("lifting-review", args=[lifting.pk]), related=("vedtak__sak__hovedperson",))


# Possible breaches and sanctions (conditions.services.breaches, conditions.services.sanctions).
BRUDD_RELATED = ("vilkar__person", "vilkar__vedtak__sak")


def _visible_brudd(user, rows: QuerySet[MuligBrudd]) -> QuerySet[MuligBrudd]:
    return rows.filter(visible_vedtak_q(user, "vilkar__vedtak"))


def breaches(user, statuses=OPEN_BRUDD) -> QuerySet[MuligBrudd]:
    """The possible breaches in the offices where the user reads vedtak, without the households
    the user may not see: the list page, the work list's count and the vedtak unit's inbox."""
    return _visible_brudd(user, MuligBrudd.objects.filter(office_id__in=_office_ids(user, READERS),
                                                          status__in=list(statuses)))


def breach_list(user, *, closed: bool = False) -> dict:
    """/vilkar/brudd/: open breaches oldest first (to be assessed, warned), or the latest closed
    and decided ones."""
    if closed:
        rows = breaches(user, (BruddStatus.LUKKET, BruddStatus.AVGJORT)).order_by("-oppdaget_at", "-id")
    else:
        rows = breaches(user).order_by("oppdaget_at", "id")
    # A reaction waiting for a leader keeps its breach open, marked «Venter på godkjenning».
    waiting = Exists(Sanksjon.objects.filter(brudd=OuterRef("pk"), status=SanksjonStatus.FORBEREDT))
    return _section(rows.select_related(*BRUDD_RELATED, "forhandsvarsel").annotate(venter=waiting))


def _my_participant(user) -> Exists:
    return Exists(Deltaker.objects.filter(person=OuterRef("vilkar__person"), office=OuterRef("office"), veileder=user))


def get_breach_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> MuligBrudd:
    """A possible breach: read by the vedtak unit, leaders and the project leader of its office,
    and by the participant's follow-up veileder (the inbox leads there); never by KAREA. 404
    elsewhere or for a household with a person the user may not see; with `act`, 403 unless the
    user holds one of those roles in the office."""
    access.require_role(user, *READERS, *ASSESSORS)
    rows = MuligBrudd.objects.select_related(
        "office", "lukket_av", "vilkar__person", "vilkar__vedtak__office", "vilkar__vedtak__sak__hovedperson",
        "vilkar__vedtak__sak__ektefelle").filter(pk=pk)
    reach = Q(office_id__in=_office_ids(user, READERS)) | (Q(office_id__in=_office_ids(user, ASSESSORS)) & Q(
        _my_participant(user)))
    brudd = rows.filter(reach).first()
    if brudd is None:
        raise access.AccessDenied(f"mulig brudd {pk} utenfor brukerens tilgang")
    _require_visible(user, brudd.vilkar.vedtak)
    _require_act(user, act, brudd.office.enhetsnummer)
    return brudd


def breach_page(brudd: MuligBrudd) -> dict:
    """The breach page: the evidence documents, the forhåndsvarsel, the reactions and the events."""
    varsel = (Forhandsvarsel.objects.select_related("sendt_av", "svar_registrert_av").filter(brudd=brudd).first())
    return {
        "brudd": brudd,
        "vedtak": brudd.vilkar.vedtak,
        "dokumenter": list(brudd.dokumenter.select_related("registrert_av").order_by("mottatt", "id")),
        "varsel": varsel,
        "sanksjoner": list(brudd.sanksjoner.select_related("prepared_by", "decided_by", "avsluttet_av")
                           .order_by("-prepared_at", "-id")),
        "hendelser": list(brudd.hendelser.select_related("utfort_av").order_by("at", "id")),
    }


def get_sanction_for_user(user, pk: int, *, act: tuple[str, ...] = ()) -> Sanksjon:
    access.require_role(user, *WRITERS)
    sanksjon = (Sanksjon.objects.select_related("vedtak__office", "vedtak__sak__hovedperson", "vedtak__sak__ektefelle",
                                                "brudd__vilkar__person")
                .filter(pk=pk, vedtak__office_id__in=_office_ids(user, WRITERS)).first())
    if sanksjon is None:
        raise access.AccessDenied(f"reaksjon {pk} utenfor brukerens tilgang")
    _require_visible(user, sanksjon.vedtak)
    _require_act(user, act, sanksjon.vedtak.office.enhetsnummer)
    return sanksjon


def breaches_for_vedtak_unit(user) -> QuerySet[MuligBrudd]:
    """The vedtak unit's inbox: possible breaches still to be assessed in its offices."""
    return _visible_brudd(user, MuligBrudd.objects.filter(
        office__enhetsnummer__in=_offices(user, (Role.VEDTAK,)), status=BruddStatus.TIL_VURDERING))


def breaches_for_my_participants(user) -> QuerySet[MuligBrudd]:
    """The follow-up veileder's inbox: open possible breaches of the participants they follow up."""
    return _visible_brudd(user, MuligBrudd.objects.filter(
        office__enhetsnummer__in=_offices(user, ASSESSORS), status__in=list(OPEN_BRUDD)).filter(_my_participant(user)))


def sanctions_awaiting_approval(user) -> QuerySet[Sanksjon]:
    """Reactions prepared in an office where the user approves, never one they prepared (four eyes)."""
    return (Sanksjon.objects.filter(status=SanksjonStatus.FORBEREDT,
                                    vedtak__office__enhetsnummer__in=_offices(user, APPROVERS))
            .exclude(prepared_by=user).filter(visible_vedtak_q(user, "vedtak")))


ENDED_SHOWN_DAYS = 30


def sanctions_in_force(user, today: datetime.date | None = None) -> list[Sanksjon]:
    """The hand-over list's «reduced and stopped payouts»: approved reductions whose period is not
    over and stops not lifted, then those ended in the last 30 days (so fellestjenesten sees that
    the payout resumes), in the offices where the user hands over, each with the net payout and
    `avsluttet` (ended) set; one query."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - datetime.timedelta(days=ENDED_SHOWN_DAYS)
    in_force = Q(status=SanksjonStatus.GODKJENT) & (Q(periode_til__isnull=True) | Q(periode_til__gte=today))
    ended = Q(status=SanksjonStatus.AVSLUTTET, avsluttet_at__gte=cutoff)
    rows = list(Sanksjon.objects.filter(vedtak__office_id__in=_office_ids(user, WRITERS)).filter(in_force | ended)
                .filter(visible_vedtak_q(user, "vedtak"))
                .select_related("vedtak__sak__hovedperson", "decided_by").order_by("periode_fra", "id")[:200])
    for row in rows:
        row.avsluttet = row.status == SanksjonStatus.AVSLUTTET
        row.avlyst = row.avsluttet and row.avsluttet_dato == row.periode_fra
        if row.avsluttet:
            row.netto = row.vedtak.belop
        else:
            row.netto = row.vedtak.belop - row.belop if row.belop is not None else Decimal(0)
    return [row for row in rows if not row.avsluttet] + [row for row in rows if row.avsluttet]


def with_reductions(rows) -> list:
    """Each hand-over row with the reductions and stop in force on its vedtak: `reduksjon` (kr),
    `netto`, `reduksjoner` (the periods) and `stoppet`; one query for all rows."""
    rows = list(rows)
    by_vedtak: dict[int, list[Sanksjon]] = {}
    for sanksjon in Sanksjon.objects.filter(vedtak_id__in=[row.vedtak_id for row in rows],
                                            status=SanksjonStatus.GODKJENT).order_by("periode_fra", "id"):
        by_vedtak.setdefault(sanksjon.vedtak_id, []).append(sanksjon)
    for row in rows:
        sanctions = by_vedtak.get(row.vedtak_id, [])
        row.reduksjoner = [item for item in sanctions if item.belop is not None]
        row.reduksjon = sum((item.belop for item in row.reduksjoner), Decimal(0))
        row.stoppet = any(item.belop is None for item in sanctions)
        row.netto = Decimal(0) if row.stoppet else max(row.belop - row.reduksjon, Decimal(0))
    return rows


def start_worklist_breaches(user) -> dict:
    return {"label": "Mulige brudd til vurdering", "url": reverse("breach-list"),
            "count": _capped(_visible_brudd(user, MuligBrudd.objects.filter(
                office__enhetsnummer__in=_offices(user, READERS), status=BruddStatus.TIL_VURDERING)))}


INBOX_BREACHES = InboxKind(
    code="mulige-brudd", label="Mulige brudd", what="Mulig brudd på aktivitetsvilkår funnet",
    rows=breaches_for_vedtak_unit, date="oppdaget_at", person="vilkar__person",
    url=lambda brudd: reverse("breach-detail", args=[brudd.pk]), related=("vilkar__person",))
INBOX_BREACHES_FOR_MY_PARTICIPANTS = InboxKind(
    code="mulige-brudd-mine", label="Mulige brudd hos mine deltakere", what="Mulig brudd på aktivitetsvilkår funnet",
    rows=breaches_for_my_participants, date="oppdaget_at", person="vilkar__person",
    url=lambda brudd: reverse("breach-detail", args=[brudd.pk]), related=("vilkar__person",))
INBOX_SANCTIONS = InboxKind(
    code="reaksjoner", label="Reaksjoner som venter på din godkjenning", what="Reduksjon eller stans forberedt",
    rows=sanctions_awaiting_approval, date="prepared_at", person="vedtak__sak__hovedperson",
    url=lambda sanksjon: reverse("breach-detail", args=[sanksjon.brudd_id]), related=("vedtak__sak__hovedperson",))


# --- complaints (klage, issue 16) -------------------------------------------------------------

# Who reads complaints: the vedtak readers those on a vedtak, NAV's people following the
# participant those on the § 14 a assessment; each of their own offices.
VEDTAK_COMPLAINT_READERS = READERS
ASSESSMENT_COMPLAINT_READERS = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
COMPLAINT_READERS = tuple(dict.fromkeys(VEDTAK_COMPLAINT_READERS + ASSESSMENT_COMPLAINT_READERS))


def complaints_for_user(user) -> QuerySet[Klage]:
    """The complaints the user may see, a protected or skjermet person's (or household's) left
    out as if it did not exist."""
    scope = (Q(vedtak__isnull=False, office__enhetsnummer__in=access.offices(user, *VEDTAK_COMPLAINT_READERS))
             | Q(vurdering__isnull=False,
                 office__enhetsnummer__in=access.offices(user, *ASSESSMENT_COMPLAINT_READERS)))
    return (Klage.objects.filter(scope).filter(visible_person_q(user, "person_id"))
            .filter(visible_vedtak_q(user, "vedtak")))


def open_complaints(user) -> list[Klage]:
    """The work list of complaints not decided yet, oldest first (one query)."""
    return list(complaints_for_user(user).exclude(status=KlageStatus.AVGJORT)
                .select_related("person", "office", "vedtak", "vurdering").order_by("mottatt", "id"))


def get_complaint_for_user(user, pk: int) -> Klage:
    access.require_role(user, *COMPLAINT_READERS)
    klage = (complaints_for_user(user).select_related("person", "office", "vedtak__sak", "vurdering__deltaker",
                                                      "registrert_av")
             .filter(pk=pk).first())
    if klage is None:
        raise access.AccessDenied(f"klage {pk} utenfor brukerens tilgang")
    return klage


def vedtak_complaints(vedtak: Vedtak) -> list[Klage]:
    return list(vedtak.klager.select_related("person").order_by("-mottatt", "-id"))


def assessment_complaints(deltaker: Deltaker) -> list[Klage]:
    return list(Klage.objects.filter(vurdering__deltaker=deltaker).select_related("vurdering")
                .order_by("-mottatt", "-id"))
