"""Reads of the group courses, scoped to the user: the office's veileder and prosjektleder see
and run every course of the office; KAREA sees the courses KAREA gives and, like everywhere,
only the participants cases.selectors.participants_for_user lets it see (enrolled, visible).
Each page runs a fixed number of queries."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from alnaaktiv import access
from alnaaktiv.models import Role
from arbeidsboks.kurs_services import session_enrolments
from arbeidsboks.models import (
    Gruppekurs,
    Kursdeltakelse,
    KursdeltakelseStatus,
    Kursleverandor,
    Kursoppmote,
    Kurssamling,
    Oppmote,
)
from cases.models import Deltaker, KartleggingOmrade, Lopsstatus, Omrade, OmradeVurdering
from cases.selectors import participants_for_user
from cases.services import MAPPED_STATES

# The office's NAV staff run the catalogue; KAREA reads and registers attendance on its own courses.
COURSE_MANAGERS = (Role.VEILEDER, Role.PROSJEKTLEDER)
COURSE_READERS = (*COURSE_MANAGERS, Role.KAREA)
PLANNERS = COURSE_MANAGERS
# Participants counted in the planning view: referred and not ended.
ACTIVE_STATES = [state for state in Lopsstatus.values if state not in (Lopsstatus.KANDIDAT, Lopsstatus.AVSLUTTET)]


def courses_for_user(user) -> QuerySet[Gruppekurs]:
    """Courses of the offices where the user runs courses, and KAREA's own courses where the user is KAREA."""
    managed = access.offices(user, *COURSE_MANAGERS)
    karea = access.offices(user, Role.KAREA) - managed
    return Gruppekurs.objects.filter(
        Q(office__enhetsnummer__in=managed)
        | Q(office__enhetsnummer__in=karea, leverandor=Kursleverandor.KAREA))


def may_manage(user, kurs: Gruppekurs) -> bool:
    return access.has_role(user, *COURSE_MANAGERS, office=kurs.office.enhetsnummer)


def may_register(user, kurs: Gruppekurs) -> bool:
    """Attendance: the office's course managers, and KAREA on a course KAREA gives."""
    office = kurs.office.enhetsnummer
    return may_manage(user, kurs) or (kurs.leverandor == Kursleverandor.KAREA
                                      and access.has_role(user, Role.KAREA, office=office))


def get_course_for_user(user, pk: int, *, manage: bool = False, register: bool = False) -> Gruppekurs:
    """403 for a role that never sees courses, 404 for a course outside the user's scope; with
    `manage` or `register`, 403 unless the user may do that on this course."""
    access.require_role(user, *COURSE_READERS)
    kurs = courses_for_user(user).select_related("office").filter(pk=pk).first()
    if kurs is None:
        raise access.AccessDenied(f"kurs {pk} utenfor brukerens tilgang")
    if manage and not may_manage(user, kurs):
        raise access.RoleDenied(f"kurs {pk}: krever veileder eller prosjektleder ved kontoret")
    if register and not may_register(user, kurs):
        raise access.RoleDenied(f"kurs {pk}: krever rett til å registrere oppmøte")
    return kurs


def get_session_for_user(user, pk: int, *, register: bool = False) -> Kurssamling:
    kurs_id = Kurssamling.objects.filter(pk=pk).values_list("kurs_id", flat=True).first()
    if kurs_id is None:
        access.require_role(user, *COURSE_READERS)
        raise access.AccessDenied(f"samling {pk} finnes ikke")
    kurs = get_course_for_user(user, kurs_id, register=register)
    samling = Kurssamling.objects.get(pk=pk)
    samling.kurs = kurs
    return samling


def get_enrolment_for_user(user, pk: int) -> Kursdeltakelse:
    """An enrolment of a participant the user may see, on a course the user manages."""
    kurs_id = Kursdeltakelse.objects.filter(pk=pk).values_list("kurs_id", flat=True).first()
    if kurs_id is None:
        access.require_role(user, *COURSE_READERS)
        raise access.AccessDenied(f"kursdeltakelse {pk} finnes ikke")
    kurs = get_course_for_user(user, kurs_id, manage=True)
    enrolment = (Kursdeltakelse.objects.filter(pk=pk, deltaker__in=participants_for_user(user))
                 .select_related("deltaker__person", "deltaker__office").first())
    if enrolment is None:
        raise access.AccessDenied(f"kursdeltakelse {pk} utenfor brukerens tilgang")
    enrolment.kurs = kurs
    return enrolment


def course_list(user, today: datetime.date) -> dict:
    """The catalogue with places taken and waiting (1 query): running and coming courses, and ended ones."""
    courses = list(courses_for_user(user).select_related("office").annotate(
        taken=Count("deltakelser", filter=Q(deltakelser__status=KursdeltakelseStatus.PAMELDT)),
        waiting=Count("deltakelser", filter=Q(deltakelser__status=KursdeltakelseStatus.VENTELISTE)),
    ).order_by("startdato", "navn", "id"))
    for kurs in courses:
        kurs.free = max(0, kurs.kapasitet - kurs.taken)
    return {"current": [k for k in courses if k.sluttdato >= today],
            "ended": sorted((k for k in courses if k.sluttdato < today), key=lambda k: k.sluttdato, reverse=True)}


def _row(user, enrolment: Kursdeltakelse) -> dict:
    return {"enrolment": enrolment, "name": enrolment.deltaker.person.navn}


def course_enrolments(user, kurs: Gruppekurs) -> dict:
    """A course's enrolments the user may see (1 query). Persons the user may not see are left
    out of the rows; the place counts are not (a place a protected person holds is not free;
    a count names no one), as the work areas count (selectors.workarea_placements)."""
    shown = Exists(participants_for_user(user).filter(pk=OuterRef("deltaker_id")))
    enrolments = list(kurs.deltakelser.annotate(shown=shown).select_related("deltaker__person", "aktivitet")
                      .order_by("venteliste_fra", "created_at", "id"))
    rows = [_row(user, e) for e in enrolments if e.shown]
    taken = sum(e.status == KursdeltakelseStatus.PAMELDT for e in enrolments)
    return {
        "enrolled": [r for r in rows if r["enrolment"].status == KursdeltakelseStatus.PAMELDT],
        "waiting": [r for r in rows if r["enrolment"].status == KursdeltakelseStatus.VENTELISTE],
        "ended": [r for r in rows if r["enrolment"].status not in (KursdeltakelseStatus.PAMELDT,
                                                                   KursdeltakelseStatus.VENTELISTE)],
        "taken": taken, "waiting_count": sum(e.status == KursdeltakelseStatus.VENTELISTE for e in enrolments),
        "free": max(0, kurs.kapasitet - taken),
    }


def course_sessions(kurs: Gruppekurs) -> list[Kurssamling]:
    """The sessions with their attendance counted (1 query)."""
    return list(kurs.samlinger.annotate(
        mott=Count("oppmoter", filter=Q(oppmoter__oppmote=Oppmote.MOTT)),
        gyldig=Count("oppmoter", filter=Q(oppmoter__oppmote=Oppmote.GYLDIG_FRAVAER)),
        ikke_mott=Count("oppmoter", filter=Q(oppmoter__oppmote=Oppmote.IKKE_MOTT)),
    ).order_by("dato", "id"))


def enrolment_candidates(user, kurs: Gruppekurs, *, own_only: bool = False) -> QuerySet[Deltaker]:
    """The office's participants who may be enrolled (in kartlegging, avklart or in activity)
    and are not already on the course or its waiting list. The course page lists only the user's
    own (`own_only`: their follow-up veileder); anyone else is enrolled from their participant
    page (course_choices): a list of an office's thousands of participants is neither usable nor
    quick to draw."""
    on_course = Kursdeltakelse.objects.filter(kurs=kurs, deltaker=OuterRef("pk"),
                                              status__in=[KursdeltakelseStatus.PAMELDT, KursdeltakelseStatus.VENTELISTE])
    rows = participants_for_user(user).filter(office_id=kurs.office_id, status__in=MAPPED_STATES)
    if own_only:
        rows = rows.filter(veileder=user)
    return rows.exclude(Exists(on_course)).select_related("person").order_by("person__navn", "id")


def course_choices(deltaker: Deltaker, today: datetime.date) -> QuerySet[Gruppekurs]:
    """The office's courses that have not ended and that the participant is not on (or waiting for)."""
    on_course = Kursdeltakelse.objects.filter(kurs=OuterRef("pk"), deltaker=deltaker,
                                              status__in=[KursdeltakelseStatus.PAMELDT, KursdeltakelseStatus.VENTELISTE])
    return (Gruppekurs.objects.filter(office_id=deltaker.office_id, sluttdato__gte=today).exclude(Exists(on_course))
            .order_by("startdato", "navn", "id"))


def session_attendance(user, samling: Kurssamling) -> list[dict]:
    """The session's participants the user may see, each with the attendance registered (2 queries)."""
    enrolments = list(session_enrolments(samling).filter(deltaker__in=participants_for_user(user))
                      .select_related("deltaker__person").order_by("deltaker__person__navn", "id"))
    registered = {o.deltakelse_id: o for o in Kursoppmote.objects.filter(samling=samling)}
    return [{**_row(user, e), "oppmote": registered.get(e.pk)} for e in enrolments]


def participant_courses(deltaker: Deltaker) -> list[Kursdeltakelse]:
    """The participant page's courses (1 query)."""
    return list(deltaker.kursdeltakelser.select_related("kurs").order_by("-kurs__startdato", "-id"))


AREAS = list(Omrade.choices)
BARRIER = (OmradeVurdering.BARRIERE, OmradeVurdering.BEGGE)
RESOURCE = (OmradeVurdering.RESSURS, OmradeVurdering.BEGGE)


def _area_counts(rows) -> dict[str, dict[str, int]]:
    counts = {code: {"barriere": 0, "ressurs": 0} for code, _label in AREAS}
    for omrade, vurdering, n in rows:
        if vurdering in BARRIER:
            counts[omrade]["barriere"] += n
        if vurdering in RESOURCE:
            counts[omrade]["ressurs"] += n
    return counts


def planning(user, office_code: str, today: datetime.date) -> dict:
    """The planning view of one office (4 queries): the mapped barriers and resources per area
    of the office's active participants (referred, not ended), and per running or coming course
    of the participants with a place and of those on its waiting list (the demand), with how
    many of each. Counts only persons the user may see
    (participants_for_user leaves the others out, as every list and count does)."""
    visible = participants_for_user(user).filter(office__enhetsnummer=office_code)
    active = visible.filter(status__in=ACTIVE_STATES)
    active_rows = (KartleggingOmrade.objects.filter(kartlegging__deltaker__in=active)
                   .values_list("omrade", "vurdering").annotate(n=Count("id")).order_by())
    office_counts = _area_counts(active_rows)
    courses = list(Gruppekurs.objects.filter(office__enhetsnummer=office_code, sluttdato__gte=today)
                   .order_by("startdato", "navn", "id"))
    demand = (KursdeltakelseStatus.PAMELDT, KursdeltakelseStatus.VENTELISTE)
    course_rows = (KartleggingOmrade.objects.filter(
        kartlegging__deltaker__kursdeltakelser__kurs__in=courses,
        kartlegging__deltaker__kursdeltakelser__status__in=demand,
        kartlegging__deltaker__in=visible,
    ).values_list("kartlegging__deltaker__kursdeltakelser__kurs_id", "kartlegging__deltaker__kursdeltakelser__status",
                  "omrade", "vurdering")
        .annotate(n=Count("id")).order_by())
    by_course: dict[tuple[int, str], list] = {}
    for kurs_id, status, omrade, vurdering, n in course_rows:
        by_course.setdefault((kurs_id, status), []).append((omrade, vurdering, n))
    people = {(kurs_id, status): n for kurs_id, status, n in Kursdeltakelse.objects.filter(
        kurs__in=courses, status__in=demand, deltaker__in=visible).values_list("kurs_id", "status")
        .annotate(n=Count("id")).order_by()}
    areas = [{"code": code, "label": label, **office_counts[code]} for code, label in AREAS]
    course_table = []
    for kurs in courses:
        counts = _area_counts(by_course.get((kurs.pk, KursdeltakelseStatus.PAMELDT), []))
        waiting = _area_counts(by_course.get((kurs.pk, KursdeltakelseStatus.VENTELISTE), []))
        course_table.append({
            "kurs": kurs, "areas": [{"code": code, **counts[code]} for code, _label in AREAS],
            "waiting_areas": [{"code": code, **waiting[code]} for code, _label in AREAS],
            "enrolled_count": people.get((kurs.pk, KursdeltakelseStatus.PAMELDT), 0),
            "waiting_count": people.get((kurs.pk, KursdeltakelseStatus.VENTELISTE), 0),
        })
    return {"active_count": active.count(), "areas": areas, "courses": course_table, "area_labels": AREAS}


def planning_offices(user) -> list[str]:
    return sorted(access.offices(user, *PLANNERS))



def month_course_counts(office_id: int, first_day: datetime.date, last_day: datetime.date) -> dict[str, int]:
    """Course places and attendance of an office in a period (the monthly report's numbers, 3
    queries; counts of rows, no persons): `plasser` enrolments holding a place on some day of the
    period, `pameldt` places given in it, `venteliste` on a waiting list at its end (put on it
    before the end and not yet moved in or taken off), `samlinger` sessions held, and
    `oppmote_<value>` the registered attendance lines at them by Oppmote value."""
    enrolments = Kursdeltakelse.objects.filter(kurs__office_id=office_id)
    counts = enrolments.aggregate(
        plasser=Count("id", filter=Q(plass_fra__lte=last_day) & (Q(sluttdato__isnull=True) | Q(sluttdato__gte=first_day))),
        pameldt=Count("id", filter=Q(plass_fra__gte=first_day, plass_fra__lte=last_day)),
        venteliste=Count("id", filter=Q(status=KursdeltakelseStatus.VENTELISTE, venteliste_fra__date__lte=last_day)),
    )
    counts["samlinger"] = Kurssamling.objects.filter(kurs__office_id=office_id, dato__gte=first_day, dato__lte=last_day,
                                                     oppmote_registrert_at__isnull=False).count()
    lines = dict(Kursoppmote.objects.filter(samling__kurs__office_id=office_id, samling__dato__gte=first_day,
                                            samling__dato__lte=last_day)
                 .values_list("oppmote").annotate(n=Count("id")).order_by())
    counts.update({f"oppmote_{value}": lines.get(value, 0) for value in Oppmote.values})
    return counts
