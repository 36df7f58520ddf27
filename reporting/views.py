"""/rapporter/ for the controller and the project leader, and the project leader's dashboard on
the start page. Reports hold aggregated numbers only: nothing here shows a person."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.audit import Action
from alnaaktiv.models import Office, Role
from reporting import presentation, renderers, selectors, services
from reporting.builder import ReportError, parse_month
from reporting.forms import BuildForm


def _offices_context(request, build_form=None) -> dict:
    offices = selectors.report_offices(request.user)
    return {
        "offices": [{"office": office, "months": selectors.report_months(office),
                     "may_close": access.has_role(request.user, *selectors.CLOSE_ROLES, office=office.enhetsnummer)}
                    for office in offices],
        "build_form": build_form,
    }


@access.role_required(*selectors.REPORT_ROLES)
@require_GET
def report_list(request):
    return render(request, "reporting/report_list.html", _offices_context(request))


@access.role_required(*selectors.REPORT_ROLES)
@require_POST
def report_build(request):
    """Queue a build (or rebuild) of a month; the list shows its progress."""
    form = BuildForm(request.POST, offices=selectors.report_offices(request.user))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("report-list")
    office: Office = form.cleaned_data["office"]
    try:
        month = parse_month(form.cleaned_data["month"])
        report = services.monthly_report_request_build(office=office, month=month, actor=Actor.from_request(request))
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("report-list")
    messages.info(request, f"Månedsrapporten for {presentation.month_name(report.month_code)} er bestilt. "
                           "Statusen i listen viser når den er bygget.")
    return redirect(f"{reverse('report-list')}#maned-{office.enhetsnummer}-{report.month_code}")


@access.role_required(*selectors.REPORT_ROLES)
@require_GET
def report_status(request, pk: int):
    """One month's row, polled by htmx while its build runs."""
    report = selectors.get_report_for_user(request.user, pk)
    row = selectors.MonthRow(office=report.office, month=report.month, report=report)
    may_close = access.has_role(request.user, *selectors.CLOSE_ROLES, office=report.office.enhetsnummer)
    # When the build has ended, tell screen readers through the page's live region (out of band).
    announce = "" if report.is_building else (
        f"Bygging av {presentation.month_name(report.month_code)} feilet." if report.build_state == "failed"
        else f"Månedsrapporten for {presentation.month_name(report.month_code)} er bygget."
    )
    return render(request, "reporting/_month_row.html", {"row": row, "may_close": may_close, "announce": announce})


@access.role_required(*selectors.REPORT_ROLES)
@require_GET
def report_detail(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    if report.data is None:
        raise Http404("Rapporten er ikke bygget ennå.")
    formats = [("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"), ("json", "JSON")]
    return render(request, "reporting/report_detail.html", {**presentation.report_context(report), "formats": formats})


@access.role_required(*selectors.REPORT_ROLES)
@require_GET
def report_download(request, pk: int, fmt: str):
    report = selectors.get_report_for_user(request.user, pk)
    if report.data is None or fmt not in renderers.FORMATS:
        raise Http404("Rapporten er ikke bygget ennå.")
    content = renderers.render(report, fmt)
    audit.record(request, Action.EXPORT, obj=report, office=report.office.enhetsnummer)
    response = HttpResponse(content, content_type=renderers.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{renderers.filename(report, fmt)}"'
    return response


@access.role_required(*selectors.CLOSE_ROLES)
@require_POST
def report_close(request, pk: int):
    """Closing is final, so it takes a confirmation that names the month."""
    report = selectors.get_report_for_user(request.user, pk, *selectors.CLOSE_ROLES)
    if request.POST.get("bekreft") != "ja":
        return render(request, "reporting/report_close_confirm.html",
                      {"report": report, "month_name": presentation.month_name(report.month_code)})
    try:
        report = services.monthly_report_close(report_id=report.pk, actor=Actor.from_request(request))
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{presentation.month_name(report.month_code).capitalize()} er lukket. "
                                  "Tallene kan ikke endres lenger.")
    return redirect("report-list")


def dashboard_panel(request) -> str:
    """The project leader's dashboard on the start page: the stored report of each office (no
    recomputing), with live work-list counts from the start page's work lists."""
    offices = Office.objects.filter(enhetsnummer__in=access.offices(request.user, Role.PROSJEKTLEDER))
    boards = []
    for office in offices:
        report = selectors.latest_report(office)
        boards.append({"office": office, "context": presentation.report_context(report) if report else None})
    return render_to_string("reporting/_dashboard.html", {"boards": boards}, request=request)
