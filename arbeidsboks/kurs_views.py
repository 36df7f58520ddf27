"""Group course pages under /arbeidsboks/kurs/: the office's catalogue, a course with its
participants, waiting list and sessions, creating and changing a course, enrolling, ending an
enrolment, sessions and a session's attendance for the whole group, and the planning view.
Views load through kurs_selectors (404 outside the user's scope, 403 for a role that may not
act) and act through alnaaktiv.interaction."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Office, Role
from alnaaktiv.templatetags.norsk import flertall
from arbeidsboks import kurs_selectors as selectors
from arbeidsboks import kurs_services as services
from arbeidsboks.kurs_forms import (
    CourseForm,
    EnrolmentEndForm,
    EnrolmentForm,
    ParticipantEnrolmentForm,
    SessionAttendanceForm,
    SessionForm,
)
from arbeidsboks.models import KursdeltakelseStatus, Kursleverandor, Oppmote
from cases.selectors import get_participant_for_user
from cases.services import MAPPED_STATES


def _course_url(kurs) -> str:
    return reverse("course-detail", args=[kurs.pk])


def _manager_offices(user) -> list[Office]:
    return list(Office.objects.filter(enhetsnummer__in=access.offices(user, *selectors.COURSE_MANAGERS))
                .order_by("enhetsnummer"))


@login_required
@require_GET
def course_list(request):
    access.require_role(request.user, *selectors.COURSE_READERS)
    return render(request, "arbeidsboks/kurs/list.html", {
        **selectors.course_list(request.user, timezone.localdate()),
        "may_create": bool(_manager_offices(request.user)),
        "may_plan": access.has_role(request.user, *selectors.PLANNERS),
    })


def _bulk_read(request, rows: list[dict], office: str) -> None:
    """A person shown on a course page is a read of their data: one entry each, in one insert."""
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry(AuditEntry.Action.READ, actor=actor, obj=row["enrolment"], person=row["enrolment"].deltaker.person,
                          office=office) for row in rows])


def _course_page(request, kurs, *, enrol_form=None, session_form=None) -> HttpResponse:
    data = selectors.course_enrolments(request.user, kurs)
    _bulk_read(request, data["enrolled"] + data["waiting"] + data["ended"], kurs.office.enhetsnummer)
    may_manage = selectors.may_manage(request.user, kurs)
    own = selectors.enrolment_candidates(request.user, kurs, own_only=True)
    if may_manage and enrol_form is None:
        enrol_form = EnrolmentForm(candidates=own)
    elif enrol_form is not None:
        enrol_form.fields["deltaker"].queryset = own  # the refused form lists what the page lists
    return render(request, "arbeidsboks/kurs/detail.html", {
        "kurs": kurs, **data, "sessions": selectors.course_sessions(kurs), "may_manage": may_manage,
        "may_register": selectors.may_register(request.user, kurs), "enrol_form": enrol_form,
        "session_form": session_form or SessionForm(), "today": timezone.localdate(),
        "course_ended": kurs.sluttdato < timezone.localdate(),
    }, status=200)


@login_required
@require_GET
def course_detail(request, pk):
    return _course_page(request, selectors.get_course_for_user(request.user, pk))


def _course_form_page(request, form, *, kurs=None, offices=None) -> HttpResponse:
    return render(request, "arbeidsboks/kurs/form.html", {"form": form, "kurs": kurs, "offices": offices or []})


def _chosen_office(request, offices: list[Office]) -> Office:
    code = request.POST.get("kontor") or request.GET.get("kontor") or offices[0].enhetsnummer
    for office in offices:
        if office.enhetsnummer == code:
            return office
    raise access.RoleDenied(f"kurs: ikke veileder eller prosjektleder ved {code}")


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    access.require_role(request.user, *selectors.COURSE_MANAGERS)
    offices = _manager_offices(request.user)
    form = CourseForm(request.POST or None)
    if request.method == "GET":
        return _course_form_page(request, form, offices=offices)
    office = _chosen_office(request, offices)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.course_create(office=office, actor=Actor.from_request(request), **data),
        success_message=lambda kurs: f"Kurset «{kurs.navn}» er opprettet.",
        redirect_to=lambda kurs: _course_url(kurs) if kurs else request.path, section="kurs",
        rerender=lambda refused: _course_form_page(request, refused, offices=offices),
    )


def _moved(moved) -> str:
    return (f" {flertall(len(moved), 'deltaker,deltakere')} fra ventelisten fikk plass: "
            + ", ".join(e.deltaker.person.navn for e in moved) + ".") if moved else ""


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    kurs = selectors.get_course_for_user(request.user, pk, manage=True)
    form = CourseForm(request.POST or None, kurs=kurs)
    if request.method == "GET":
        return _course_form_page(request, form, kurs=kurs)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.course_update(kurs=kurs, actor=Actor.from_request(request), **data),
        success_message=lambda changed: f"Kurset er endret.{_moved(changed.moved_in)}",
        redirect_to=_course_url(kurs), section="kurs",
        rerender=lambda refused: _course_form_page(request, refused, kurs=kurs),
    )


def _enrolled(enrolment) -> str:
    name = enrolment.deltaker.person.navn
    if enrolment.status == KursdeltakelseStatus.VENTELISTE:
        position = enrolment.kurs.deltakelser.filter(status=KursdeltakelseStatus.VENTELISTE,
                                                     venteliste_fra__lte=enrolment.venteliste_fra).count()
        return f"Kurset er fullt. {name} står som nummer {position} på ventelisten og får plass når en plass blir ledig."
    return f"{name} er påmeldt. Kurset står som avtalt aktivitet i planen."


@login_required
@require_POST
def enrolment_create(request, pk):
    kurs = selectors.get_course_for_user(request.user, pk, manage=True)
    form = EnrolmentForm(request.POST, candidates=selectors.enrolment_candidates(request.user, kurs))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.enrolment_create(kurs=kurs, deltaker=data["deltaker"],
                                                       actor=Actor.from_request(request)),
        success_message=_enrolled, redirect_to=_course_url(kurs), section="deltakere",
        rerender=lambda refused: _course_page(request, kurs, enrol_form=refused),
    )


@login_required
@require_POST
def participant_enrol(request, pk):
    """«Meld på kurs» on the participant page: one of the office's courses that has not ended."""
    deltaker = get_participant_for_user(request.user, pk, act=selectors.COURSE_MANAGERS)
    form = ParticipantEnrolmentForm(request.POST, courses=selectors.course_choices(deltaker, timezone.localdate()))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.enrolment_create(kurs=data["kurs"], deltaker=deltaker,
                                                       actor=Actor.from_request(request)),
        success_message=_enrolled, redirect_to=reverse("participant-detail", args=[deltaker.pk]), section="kurs",
        rerender=lambda refused: None,
    )


def _end_page(request, enrolment, form) -> HttpResponse:
    audit.record_read(request, person=enrolment.deltaker.person, obj=enrolment,
                      office=enrolment.kurs.office.enhetsnummer)
    return render(request, "arbeidsboks/kurs/end.html", {"enrolment": enrolment, "kurs": enrolment.kurs, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_end(request, pk):
    """Ending an enrolment finishes the plan's activity: the form's «Avslutt» goes through a
    confirmation page that repeats it, and only «Bekreft» ends it."""
    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    if enrolment.status not in (KursdeltakelseStatus.PAMELDT, KursdeltakelseStatus.VENTELISTE):
        raise access.RoleDenied(f"kursdeltakelse {pk} er avsluttet")
    form = EnrolmentEndForm(request.POST or None)
    if request.method == "GET":
        return _end_page(request, enrolment, form)
    if not interaction.is_confirmed(request) and form.is_valid():
        status = dict(form.fields["status"].choices)[form.cleaned_data["status"]]
        return interaction.confirmation(
            request, title="Avslutt deltakelsen", confirm_label="Bekreft og avslutt",
            warning=(f"{enrolment.deltaker.person.navn} får status «{status.lower()}» på kurset «{enrolment.kurs.navn}». "
                     "Aktiviteten i planen avsluttes på samme måte, og det kan ikke angres."),
            cancel_url=_course_url(enrolment.kurs),
            summary=[("Deltaker", enrolment.deltaker.person.navn), ("Status", status),
                     ("Begrunnelse", form.cleaned_data["begrunnelse"] or "–")])
    return interaction.act(
        request, form=form,
        perform=lambda data: services.enrolment_end(deltakelse=enrolment, actor=Actor.from_request(request), **data),
        success_message=lambda ended: f"Deltakelsen er avsluttet.{_moved(ended.moved_in)}",
        redirect_to=_course_url(enrolment.kurs), section="deltakere",
        rerender=lambda refused: _end_page(request, enrolment, refused),
    )


@login_required
@require_POST
def session_create(request, pk):
    kurs = selectors.get_course_for_user(request.user, pk, manage=True)
    return interaction.act(
        request, form=SessionForm(request.POST),
        perform=lambda data: services.session_create(kurs=kurs, actor=Actor.from_request(request), **data),
        success_message=lambda samling: f"Samlingen {samling.dato:%d.%m.%Y} er lagt til.",
        redirect_to=_course_url(kurs), section="samlinger",
        rerender=lambda refused: _course_page(request, kurs, session_form=refused),
    )


@login_required
@require_POST
def sessions_generate(request, pk):
    kurs = selectors.get_course_for_user(request.user, pk, manage=True)
    return interaction.act(
        request, perform=lambda _data: services.sessions_generate(kurs=kurs, actor=Actor.from_request(request)),
        success_message=lambda created: f"{flertall(len(created), 'samling,samlinger')} er lagt til etter ukemønsteret.",
        redirect_to=_course_url(kurs), section="samlinger",
    )


def _attendance_page(request, samling, rows, form) -> HttpResponse:
    _bulk_read(request, rows, samling.kurs.office.enhetsnummer)
    return render(request, "arbeidsboks/kurs/attendance.html", {
        "samling": samling, "kurs": samling.kurs, "rows": rows, "form": form,
        "may_register": selectors.may_register(request.user, samling.kurs),
        "held": samling.dato <= timezone.localdate(), "choices": Oppmote.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    samling = selectors.get_session_for_user(request.user, pk, register=request.method == "POST")
    rows = selectors.session_attendance(request.user, samling)
    form = SessionAttendanceForm(request.POST if request.method == "POST" else None, rows,
                                 registrert_at=samling.oppmote_registrert_at)
    if request.method == "GET":
        return _attendance_page(request, samling, rows, form)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.session_attendance_register(
            samling=samling, actor=Actor.from_request(request), rows=data["rows"],
            deltakere=selectors.participants_for_user(request.user), seen=data["seen"]),
        success_message=lambda lines: (f"Oppmøtet for samlingen {samling.dato:%d.%m.%Y} er lagret for "
                                       f"{flertall(len(lines), 'deltaker,deltakere')}."),
        redirect_to=reverse("session-attendance", args=[samling.pk]), section="oppmote",
        # someone else saved meanwhile: the page is drawn anew with what they saved, the refusal above it
        rerender=lambda refused: None if _conflict(refused) else _attendance_page(request, samling, rows, refused),
    )


def _conflict(form) -> bool:
    return services.ATTENDANCE_CONFLICT in form.non_field_errors()


@login_required
@require_GET
def planning(request):
    access.require_role(request.user, *selectors.PLANNERS)
    offices = selectors.planning_offices(request.user)
    code = request.GET.get("kontor") or offices[0]
    if code not in offices:
        raise access.AccessDenied(f"planlegging: utenfor kontor {code}")
    return render(request, "arbeidsboks/kurs/planning.html", {
        **selectors.planning(request.user, code, timezone.localdate()), "office_code": code,
        "offices": Office.objects.filter(enhetsnummer__in=offices).order_by("enhetsnummer") if len(offices) > 1 else [],
    })


def participant_courses(request, deltaker) -> str:
    """The participant page's course section (composed by the frame, alnaaktiv.frame); 1 query."""
    office = deltaker.office.enhetsnummer
    manager = access.has_role(request.user, *selectors.COURSE_MANAGERS, office=office)
    karea = access.has_role(request.user, Role.KAREA, office=office)
    courses = selectors.participant_courses(deltaker)
    for enrolment in courses:  # a link only to a course page the user may open
        enrolment.linked = manager or (karea and enrolment.kurs.leverandor == Kursleverandor.KAREA)
    enrol_form = (ParticipantEnrolmentForm(courses=selectors.course_choices(deltaker, timezone.localdate()),
                                           auto_id="kurs_%s")
                  if manager and deltaker.status in MAPPED_STATES else None)
    return render_to_string("arbeidsboks/kurs/_participant_section.html", {
        "courses": courses, "deltaker": deltaker, "may_enrol": manager, "enrol_form": enrol_form,
    }, request=request)
