"""Arbeidsboks pages: the overview (/arbeidsboks/), a work area with its waiting list and the
week's attendance for all its participants at once, placing a participant, a placement with its
attendance and evaluations, correcting a placement or a saved week, and a participant's state
measures. Views load through the access helpers of selectors.py (404 outside the user's scope,
403 for a role that may not act) and act through alnaaktiv.interaction: a refused form is drawn
again with what was typed and the errors at their fields, a message lands in the section acted in."""
import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from alnaaktiv.templatetags.norsk import flertall
from arbeidsboks import selectors, services
from arbeidsboks.forms import (
    AttendanceCorrectionForm,
    AttendanceWeekForm,
    EvaluationForm,
    PlacementEditForm,
    PlacementEndForm,
    PlacementForm,
    StateMeasureForm,
)
from arbeidsboks.models import PlasseringStatus
from arbeidsboks.selectors import MEASURE_WRITERS, READERS, WORKERS
from cases.selectors import PARTICIPANT_ROLES, get_participant_for_user
from cases.views.participants import prompt_next_step


@login_required
@require_GET
def overview(request):
    access.require_role(request.user, *READERS)
    today = timezone.localdate()
    data = selectors.overview(request.user, today)
    return render(request, "arbeidsboks/overview.html", {**data, "today": today,
                                                         "may_work": access.has_role(request.user, *WORKERS)})


def _week(request) -> datetime.date:
    """The week asked for (?uke=yyyy-mm-dd, any day of it), else last week."""
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("uke", ""))
    except ValueError:
        day = today - datetime.timedelta(days=7)
    return selectors.week_start(day)


@login_required
@require_GET
def workarea_detail(request, pk):
    area = selectors.get_workarea_for_user(request.user, pk)
    office = area.virksomhet.office.enhetsnummer
    return render(request, "arbeidsboks/workarea_detail.html", {
        "area": area, **selectors.workarea_placements(request.user, area),
        "may_work": access.has_role(request.user, *WORKERS, office=office),
    })


@login_required
@require_POST
def waitlist_offer(request, pk):
    area = selectors.get_workarea_for_user(request.user, pk, act=WORKERS)
    return interaction.act(
        request, perform=lambda _data: services.waitlist_offer(arbeidsomrade=area, actor=Actor.from_request(request)),
        success_message=lambda offered: f"{flertall(len(offered), 'deltaker,deltakere')} fra ventelisten fikk plass.",
        redirect_to=reverse("workarea-detail", args=[area.pk]), section="venteliste",
    )


def _attendance_page(request, area, uke: datetime.date, rows: list[dict], form: AttendanceWeekForm) -> HttpResponse:
    # Attendance is a person's data: one read entry per person shown, written in one insert.
    office = area.virksomhet.office.enhetsnummer
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry(AuditEntry.Action.READ, actor=actor, obj=row["placement"],
                          person=row["placement"].deltaker.person, office=office)
        for row in rows if row["visible"]
    ])
    lines = {line.placement.pk: line for line in form.rows}
    for row in rows:
        row["form"] = lines.get(row["placement"].pk)
    return render(request, "arbeidsboks/attendance.html", {
        "area": area, "rows": rows, "uke": uke, "sunday": uke + datetime.timedelta(days=6), "form": form,
        "previous": uke - datetime.timedelta(days=7), "next": uke + datetime.timedelta(days=7),
        "has_next": uke + datetime.timedelta(days=7) <= timezone.localdate(),
        "may_work": access.has_role(request.user, *WORKERS, office=office), "open_rows": bool(lines),
    })


def _registered(entries, uke: datetime.date) -> str:
    documented = sum(1 for entry in entries if entry.dokumentasjon_id)
    return (f"Frammøtet for uke {uke.isocalendar().week} er registrert for {flertall(len(entries), 'deltaker,deltakere')}"
            + (f", og dokumenterer {flertall(documented, 'oppmøtevilkår,oppmøtevilkår')}." if documented else "."))


@login_required
@require_http_methods(["GET", "POST"])
def workarea_attendance(request, pk):
    area = selectors.get_workarea_for_user(request.user, pk, act=WORKERS if request.method == "POST" else ())
    uke = _week(request)
    rows = selectors.attendance_week(request.user, area, uke)
    open_rows = [row for row in rows if row["frammote"] is None]
    may_work = access.has_role(request.user, *WORKERS, office=area.virksomhet.office.enhetsnummer)
    form = AttendanceWeekForm(request.POST if request.method == "POST" else None, open_rows if may_work else [])
    if request.method == "GET":
        return _attendance_page(request, area, uke, rows, form)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.attendance_register_week(
            arbeidsomrade=area, uke=uke, rows=data["rows"], actor=Actor.from_request(request)),
        success_message=lambda entries: _registered(entries, uke),
        redirect_to=f"{reverse('workarea-attendance', args=[area.pk])}?uke={uke.isoformat()}", section="frammote-uke",
        rerender=lambda refused: _attendance_page(request, area, uke, rows, refused),
    )


def _placement_create_page(request, deltaker, form):
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    return render(request, "arbeidsboks/placement_create.html", {"deltaker": deltaker, "form": form})


COURSE_MOVED = " Løpet er flyttet til «I aktivitet» fra {:%d.%m.%Y}."


def _course_moved(result) -> str:
    """What a start adds to its message when it moved the course (the service sets `course_event`)."""
    event = getattr(result, "course_event", None)
    return COURSE_MOVED.format(event.date) if event is not None else ""


def _placed(placement) -> str:
    name = placement.deltaker.person.navn
    if placement.status == PlasseringStatus.VENTELISTE:
        position = selectors.waiting_position(placement)
        return (f"Arbeidsområdet er fullt. {name} står som nummer {position} på ventelisten og får plass når en "
                "plass blir ledig.")
    return f"{name} er plassert ({placement.get_status_display().lower()}).{_course_moved(placement)}"


# «Tilbake» from the overlap confirmation posts the form here with this flag: drawn again, filled in.
EDIT_AGAIN = "rediger"


def _overlap_confirmation(request, deltaker, form, overlaps, *, title: str, cancel_url: str) -> HttpResponse:
    """A period overlapping another placement of the participant: shown, and done only on «Bekreft»
    (the service refuses the overlap without it)."""
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    data = form.cleaned_data
    summary = [("Deltaker", deltaker.person.navn)]
    if data.get("arbeidsomrade") is not None:
        summary.append(("Arbeidsområde", str(data["arbeidsomrade"])))
    summary.append(("Periode", f"{data['startdato']:%d.%m.%Y}–{data['planlagt_slutt']:%d.%m.%Y}"))
    return interaction.confirmation(
        request, title=title, warning=f"{selectors.overlap_warning(overlaps)} Vil du likevel lagre plasseringen?",
        confirm_label="Bekreft og lagre plasseringen", cancel_url=cancel_url, summary=summary,
        back_action=f"{request.path}?{EDIT_AGAIN}=1", back_label="Tilbake til skjemaet uten å lagre",
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_create(request, pk):
    deltaker = get_participant_for_user(request.user, pk, act=WORKERS)
    form = PlacementForm(request.POST or None, areas=selectors.placement_areas(deltaker),
                          vilkar=selectors.attendance_vilkar_for(deltaker))
    if request.method == "GET" or request.GET.get(EDIT_AGAIN):
        return _placement_create_page(request, deltaker, form)
    confirmed = interaction.is_confirmed(request)
    if not confirmed and form.is_valid():
        overlaps = selectors.overlapping_placements(deltaker, form.cleaned_data["startdato"],
                                                    form.cleaned_data["planlagt_slutt"])
        if overlaps:
            return _overlap_confirmation(request, deltaker, form, overlaps, title="Overlappende plassering",
                                         cancel_url=reverse("participant-detail", args=[deltaker.pk]))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.placement_create(deltaker=deltaker, actor=Actor.from_request(request),
                                                       overlap_confirmed=confirmed, **data),
        success_message=_placed, section="plassering",
        redirect_to=lambda placement: reverse("placement-detail", args=[placement.pk]) if placement else request.path,
        rerender=lambda refused: _placement_create_page(request, deltaker, refused),
    )


def _placement_page(request, placement, *, end_form=None, evaluation_form=None):
    """The placement page, with a refused form of one of its actions when given."""
    office = placement.deltaker.office.enhetsnummer
    audit.record_read(request, person=placement.deltaker.person, obj=placement, office=office)
    return render(request, "arbeidsboks/placement_detail.html", {
        "placement": placement, "deltaker": placement.deltaker, **selectors.placement_history(placement),
        "may_work": access.has_role(request.user, *WORKERS, office=office),
        # The work area's pages show every participant in it: only Arbeidsboks' own readers.
        "may_read_area": access.has_role(request.user, *READERS, office=office),
        "end_form": end_form or PlacementEndForm(waiting=placement.status == PlasseringStatus.VENTELISTE),
        "evaluation_form": evaluation_form or EvaluationForm(), "today": timezone.localdate(),
        "PlasseringStatus": PlasseringStatus,
    })


@login_required
@require_GET
def placement_detail(request, pk):
    return _placement_page(request, selectors.get_placement_for_user(request.user, pk))


def _placement_url(placement) -> str:
    return reverse("placement-detail", args=[placement.pk])


@login_required
@require_POST
def placement_start(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, act=WORKERS)
    return interaction.act(
        request, perform=lambda _data: services.placement_start(plassering=placement, actor=Actor.from_request(request)),
        success_message=lambda started: f"Plasseringen er startet.{_course_moved(started)}",
        redirect_to=_placement_url(placement), section="plassering",
    )


def _end(request, placement, data):
    """The end, then the next step asked for when it was the participant's last activity."""
    ended = services.placement_end(plassering=placement, actor=Actor.from_request(request), **data)
    prompt_next_step(request, ended.deltaker)
    return ended


@login_required
@require_POST
def placement_end(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, act=WORKERS)
    return interaction.act(
        request, form=PlacementEndForm(request.POST, waiting=placement.status == PlasseringStatus.VENTELISTE),
        perform=lambda data: _end(request, placement, data),
        success_message="Plasseringen er avsluttet.", redirect_to=_placement_url(placement), section="plassering",
        rerender=lambda refused: _placement_page(request, placement, end_form=refused),
    )


@login_required
@require_POST
def evaluation_create(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, act=WORKERS)
    return interaction.act(
        request, form=EvaluationForm(request.POST),
        perform=lambda data: services.evaluation_create(plassering=placement, actor=Actor.from_request(request), **data),
        success_message="Evalueringen er lagret.", redirect_to=_placement_url(placement), section="evalueringer",
        rerender=lambda refused: _placement_page(request, placement, evaluation_form=refused),
    )


def _placement_edit_page(request, placement, form):
    audit.record_read(request, person=placement.deltaker.person, obj=placement,
                      office=placement.deltaker.office.enhetsnummer)
    return render(request, "arbeidsboks/placement_edit.html", {
        "placement": placement, "deltaker": placement.deltaker, "form": form,
        "weeks": placement.frammoter.count(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def placement_edit(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk, act=WORKERS)
    if not placement.is_open:
        raise access.RoleDenied(f"plassering {pk} er avsluttet og kan ikke endres")
    form = PlacementEditForm(request.POST or None, placement=placement,
                               vilkar=selectors.attendance_vilkar_choices(placement))
    if request.method == "GET" or request.GET.get(EDIT_AGAIN):
        return _placement_edit_page(request, placement, form)
    confirmed = interaction.is_confirmed(request)
    if not confirmed and form.is_valid() and (form.cleaned_data["startdato"], form.cleaned_data["planlagt_slutt"]) != (
            placement.startdato, placement.planlagt_slutt):
        overlaps = selectors.overlapping_placements(placement.deltaker, form.cleaned_data["startdato"],
                                                    form.cleaned_data["planlagt_slutt"], exclude_pk=placement.pk)
        if overlaps:
            return _overlap_confirmation(request, placement.deltaker, form, overlaps, title="Overlappende plassering",
                                         cancel_url=_placement_url(placement))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.placement_update(plassering=placement, actor=Actor.from_request(request),
                                                       overlap_confirmed=confirmed, **data),
        success_message="Plasseringen er rettet. Endringen står i endringshistorikken.",
        redirect_to=_placement_url(placement), section="plassering",
        rerender=lambda refused: _placement_edit_page(request, placement, refused),
    )


def _attendance_correct_page(request, entry, form):
    placement = entry.plassering
    audit.record_read(request, person=placement.deltaker.person, obj=entry,
                      office=placement.deltaker.office.enhetsnummer)
    return render(request, "arbeidsboks/attendance_correct.html", {
        "frammote": entry, "placement": placement, "deltaker": placement.deltaker, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def attendance_correct(request, pk):
    entry = selectors.get_attendance_for_user(request.user, pk, act=WORKERS)
    form = AttendanceCorrectionForm(request.POST or None, frammote=entry)
    if request.method == "GET":
        return _attendance_correct_page(request, entry, form)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.attendance_correct(frammote=entry, actor=Actor.from_request(request), **data),
        success_message=f"Frammøtet for uke {entry.uke.isocalendar().week} er rettet. Endringen står i endringshistorikken.",
        redirect_to=_placement_url(entry.plassering), section="frammote",
        rerender=lambda refused: _attendance_correct_page(request, entry, refused),
    )


def _state_measures_page(request, deltaker, form):
    office = deltaker.office.enhetsnummer
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=office)
    today = timezone.localdate()
    return render(request, "arbeidsboks/state_measures.html", {
        "deltaker": deltaker, "form": form,
        "measures": selectors.state_measures(deltaker),
        "may_write": access.has_role(request.user, *MEASURE_WRITERS, office=office),
        "earmarked_used": selectors.earmarked_in_use(deltaker.office_id, today),
        "earmarked_places": selectors.earmarked_places(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def state_measures(request, pk):
    roles = MEASURE_WRITERS if request.method == "POST" else PARTICIPANT_ROLES
    deltaker = get_participant_for_user(request.user, pk, act=roles)
    form = StateMeasureForm(request.POST or None)
    if request.method == "GET":
        return _state_measures_page(request, deltaker, form)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.state_measure_create(deltaker=deltaker, actor=Actor.from_request(request), **data),
        success_message=lambda measure: f"Tiltaket er registrert.{_course_moved(measure)}",
        redirect_to=reverse("state-measures", args=[deltaker.pk]),
        section="tiltak-liste", rerender=lambda refused: _state_measures_page(request, deltaker, refused),
    )


def participant_section(request, deltaker) -> str:
    """The participant page's Arbeidsboks section, next to the mapping (composed by the frame,
    alnaaktiv.frame). The page has already written the read entry for the person; this adds three
    queries."""
    section = selectors.participant_section(deltaker)
    section["may_work"] = access.has_role(request.user, *WORKERS, office=deltaker.office.enhetsnummer) and (
        deltaker.status not in services.NOT_ENROLLED)
    return render_to_string("arbeidsboks/_participant_section.html", {"section": section, "deltaker": deltaker},
                            request=request)
