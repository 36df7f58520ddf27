"""Arbeidsboks pages: the overview (/arbeidsboks/), a work area with its waiting list and the
week's attendance for all its participants at once, placing a participant, a placement with its
attendance and evaluations, and a participant's state measures. Views load through the access
helpers of selectors.py (404 outside the user's scope, 403 for a role that may not act), call a
service and redirect; a refusal is shown as a message and changes nothing."""
import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import selectors, services
from arbeidsboks.forms import AvsluttForm, EvalueringForm, PlasseringForm, StatligTiltakForm
from arbeidsboks.models import PlasseringStatus, StatligTiltak
from arbeidsboks.selectors import MEASURE_WRITERS, READERS, WORKERS
from cases.selectors import PARTICIPANT_ROLES
from cases.views.participants import _form_errors

P = PlasseringStatus
ATTENDANCE_FIELDS = ("planlagte_timer", "oppmotte_timer", "planlagte_dager", "oppmotte_dager",
                     "fravaer_godkjent_dager", "fravaer_grunn")


def _refuse(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _may(user, office: str, roles) -> bool:
    return access.has_role(user, *roles, office=office)


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
    return services.week_start(day)


@login_required
@require_GET
def workarea_detail(request, pk):
    area = selectors.get_workarea_for_user(request.user, pk)
    office = area.virksomhet.office.enhetsnummer
    return render(request, "arbeidsboks/workarea_detail.html", {
        "area": area, **selectors.workarea_placements(request.user, area),
        "may_work": _may(request.user, office, WORKERS),
    })


@login_required
@require_POST
def waitlist_offer(request, pk):
    area = selectors.get_workarea_for_user(request.user, pk, *WORKERS)
    try:
        offered = services.waitlist_offer(arbeidsomrade=area, actor=Actor.from_request(request))
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, f"{len(offered)} fra ventelisten fikk plass.")
    return redirect("workarea-detail", pk=area.pk)


def _number(value: str, what: str, name: str, *, whole: bool) -> Decimal | int | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise services.ArbeidsboksError(f"{name}: {what} må være et tall.") from None
    if whole:
        if number != number.to_integral_value():
            raise services.ArbeidsboksError(f"{name}: {what} må være et helt tall.")
        return int(number)
    return number


def _attendance_rows(post, rows: list[dict]) -> list[dict]:
    """One service row per placement whose line was filled in; a half-filled line is refused."""
    parsed = []
    for row in rows:
        if row["frammote"] is not None:
            continue
        placement, prefix = row["placement"], f"p{row['placement'].pk}-"
        name = row["name"]
        values = {
            "oppmotte_timer": _number(post.get(prefix + "oppmotte_timer"), "møtte timer", name, whole=False),
            "oppmotte_dager": _number(post.get(prefix + "oppmotte_dager"), "møtte dager", name, whole=True),
            "planlagte_timer": _number(post.get(prefix + "planlagte_timer"), "planlagte timer", name, whole=False),
            "planlagte_dager": _number(post.get(prefix + "planlagte_dager"), "planlagte dager", name, whole=True),
            "fravaer_godkjent_dager": _number(post.get(prefix + "fravaer_godkjent_dager"), "godkjent fravær", name,
                                              whole=True),
        }
        reason = post.get(prefix + "fravaer_grunn", "").strip()
        if values["oppmotte_timer"] is None and values["oppmotte_dager"] is None:
            if reason or values["fravaer_godkjent_dager"]:
                raise services.ArbeidsboksError(f"{name}: fyll ut møtte timer og møtte dager.")
            continue
        if values["oppmotte_timer"] is None or values["oppmotte_dager"] is None:
            raise services.ArbeidsboksError(f"{name}: fyll ut både møtte timer og møtte dager.")
        parsed.append({"plassering": placement.pk, "fravaer_grunn": reason, **values})
    return parsed


@login_required
@require_http_methods(["GET", "POST"])
def workarea_attendance(request, pk):
    roles = WORKERS if request.method == "POST" else READERS
    area = selectors.get_workarea_for_user(request.user, pk, *roles)
    uke = _week(request)
    rows = selectors.attendance_week(request.user, area, uke)
    if request.method == "POST":
        # A refused week is shown again with what was typed in.
        for row in rows:
            prefix = f"p{row['placement'].pk}-"
            row["posted"] = {field: request.POST.get(prefix + field, "") for field in ATTENDANCE_FIELDS}
        try:
            with transaction.atomic():
                entries = services.attendance_register_week(
                    arbeidsomrade=area, uke=uke, rows=_attendance_rows(request.POST, rows), actor=Actor.from_request(request),
                )
        except ValidationError as error:
            _refuse(request, error)
        else:
            documented = sum(1 for entry in entries if entry.dokumentasjon_id)
            messages.success(request, f"Frammøtet for uke {uke:%V} er registrert for {len(entries)} deltaker"
                                      f"{'e' if len(entries) != 1 else ''}"
                             + (f", og dokumenterer {documented} oppmøtevilkår." if documented else "."))
            return redirect(f"{reverse('workarea-attendance', args=[area.pk])}?uke={uke.isoformat()}")
    # Attendance is a person's data: one read entry per person shown, written in one insert.
    office = area.virksomhet.office.enhetsnummer
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry(AuditEntry.Action.READ, actor=actor, obj=row["placement"],
                          person=row["placement"].deltaker.person, office=office)
        for row in rows if row["visible"]
    ])
    return render(request, "arbeidsboks/attendance.html", {
        "area": area, "rows": rows, "uke": uke, "sunday": uke + datetime.timedelta(days=6),
        "previous": uke - datetime.timedelta(days=7), "next": uke + datetime.timedelta(days=7),
        "has_next": uke + datetime.timedelta(days=7) <= timezone.localdate(),
        "may_work": _may(request.user, office, WORKERS),
    })


@login_required
@require_http_methods(["GET", "POST"])
def placement_create(request, pk):
    deltaker = selectors.get_participant_for_work(request.user, pk, *WORKERS)
    areas = selectors.areas_with_use().filter(virksomhet__office=deltaker.office).select_related("virksomhet").order_by(
        "virksomhet__navn", "navn")
    form = PlasseringForm(request.POST or None, areas=areas, vilkar=services.attendance_vilkar_for(deltaker))
    if request.method == "POST":
        if not form.is_valid():
            _refuse(request, _form_errors(form))
        else:
            try:
                with transaction.atomic():
                    placement = services.placement_create(deltaker=deltaker, actor=Actor.from_request(request),
                                                          **form.cleaned_data)
            except ValidationError as error:
                _refuse(request, error)
            else:
                if placement.status == P.VENTELISTE:
                    position = placement.arbeidsomrade.plasseringer.filter(
                        status=P.VENTELISTE, venteliste_fra__lte=placement.venteliste_fra).count()
                    messages.warning(request, f"Arbeidsområdet er fullt. {deltaker.person.navn} står som nummer "
                                              f"{position} på ventelisten og får plass når en plass blir ledig.")
                else:
                    messages.success(request, f"{deltaker.person.navn} er plassert ({placement.get_status_display().lower()}).")
                return redirect("placement-detail", pk=placement.pk)
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    return render(request, "arbeidsboks/placement_create.html", {"deltaker": deltaker, "form": form})


@login_required
@require_GET
def placement_detail(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk)
    office = placement.deltaker.office.enhetsnummer
    audit.record_read(request, person=placement.deltaker.person, obj=placement, office=office)
    may_work = _may(request.user, office, WORKERS)
    return render(request, "arbeidsboks/placement_detail.html", {
        "placement": placement, "deltaker": placement.deltaker, **selectors.placement_history(placement),
        "may_work": may_work, "end_form": AvsluttForm(waiting=placement.status == P.VENTELISTE), "evaluation_form": EvalueringForm(),
        "today": timezone.localdate(),
    })


def _placement_action(request, pk, form_class, perform, success: str):
    placement = selectors.get_placement_for_user(request.user, pk, *WORKERS)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _refuse(request, _form_errors(form))
        return redirect("placement-detail", pk=placement.pk)
    try:
        with transaction.atomic():
            perform(placement, form.cleaned_data if form else {})
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, success)
    return redirect("placement-detail", pk=placement.pk)


@login_required
@require_POST
def placement_start(request, pk):
    return _placement_action(request, pk, None, lambda placement, _data: services.placement_start(
        plassering=placement, actor=Actor.from_request(request)), "Plasseringen er startet.")


@login_required
@require_POST
def placement_end(request, pk):
    return _placement_action(request, pk, AvsluttForm, lambda placement, data: services.placement_end(
        plassering=placement, actor=Actor.from_request(request), **data), "Plasseringen er avsluttet.")


@login_required
@require_POST
def evaluation_create(request, pk):
    return _placement_action(request, pk, EvalueringForm, lambda placement, data: services.evaluation_create(
        plassering=placement, actor=Actor.from_request(request), **data), "Evalueringen er lagret.")


@login_required
@require_http_methods(["GET", "POST"])
def state_measures(request, pk):
    roles = MEASURE_WRITERS if request.method == "POST" else PARTICIPANT_ROLES
    deltaker = selectors.get_participant_for_work(request.user, pk, *roles)
    office = deltaker.office.enhetsnummer
    form = StatligTiltakForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _refuse(request, _form_errors(form))
        else:
            try:
                with transaction.atomic():
                    services.state_measure_create(deltaker=deltaker, actor=Actor.from_request(request),
                                                  **form.cleaned_data)
            except ValidationError as error:
                _refuse(request, error)
            else:
                messages.success(request, "Tiltaket er registrert.")
                return redirect("state-measures", pk=deltaker.pk)
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=office)
    today = timezone.localdate()
    return render(request, "arbeidsboks/state_measures.html", {
        "deltaker": deltaker, "form": form,
        "measures": StatligTiltak.objects.filter(deltaker=deltaker).select_related("created_by").order_by("-fra", "-id"),
        "may_write": _may(request.user, office, MEASURE_WRITERS),
        "earmarked_used": services.earmarked_in_use(deltaker.office_id, today),
        "earmarked_places": services.earmarked_places(),
    })
