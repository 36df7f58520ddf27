"""/rapporter/ for the controller and the project leader, and the project leader's dashboard on
the start page. Reports hold aggregated numbers only: nothing here shows a person."""
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.audit import Action
from alnaaktiv.models import Office, Role
from reporting import presentation, renderers, selectors, services
from reporting.builder import ReportError, parse_month
from reporting.forms import BuildForm


def _offices_context(request) -> dict:
    offices = selectors.report_offices(request.user)
    return {
        "offices": [{"office": office, "section": office_section(office), "months": selectors.report_months(office),
                     "may_close": access.has_role(request.user, *selectors.CLOSE_ROLES, office=office.enhetsnummer)}
                    for office in offices],
    }


def office_section(office: Office | None) -> str | None:
    """The list's section of the office: where a build's or a close's message is shown."""
    return f"kontor-{office.enhetsnummer}" if office is not None else None


def _refusing(service: Callable) -> Callable:
    """The service's ReportError as the ValidationError the interaction toolkit shows."""
    def perform(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except ReportError as error:
            raise ValidationError(str(error)) from error
    return perform


@access.role_required(*selectors.REPORT_ROLES)
@require_GET
def report_list(request):
    return render(request, "reporting/report_list.html", _offices_context(request))


@access.role_required(*selectors.REPORT_ROLES)
@require_POST
def report_build(request):
    """Queue a build (or rebuild) of a month; the list shows its progress. The row's button posts
    its office and month (nothing typed), so a refusal is a message in the office's section."""
    offices = selectors.report_offices(request.user)
    form = BuildForm(request.POST, offices=offices)
    posted = next((office for office in offices if str(office.pk) == request.POST.get("office")), None)

    @_refusing
    def build(data):
        return services.monthly_report_request_build(office=data["office"], month=parse_month(data["month"]),
                                                     actor=Actor.from_request(request))

    return interaction.act(
        request, perform=build, form=form, redirect_to=reverse("report-list"), section=office_section(posted),
        success_message=lambda report: (f"Månedsrapporten for {presentation.month_name(report.month_code)} er "
                                        "bestilt. Statusen i listen viser når den er bygget."),
    )


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
    # The survey's free texts are never in the report; the office's prosjektleder reads them on their own page.
    reads_free_texts = access.has_role(request.user, Role.PROSJEKTLEDER, office=report.office.enhetsnummer)
    return render(request, "reporting/report_detail.html", {**presentation.report_context(report), "formats": formats,
                                                            "reads_free_texts": reads_free_texts})


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
    """Closing is final, so it takes a confirmation that names the month; a month that cannot be
    closed is refused before the confirmation is shown."""
    report = selectors.get_report_for_user(request.user, pk, *selectors.CLOSE_ROLES)
    month_name = presentation.month_name(report.month_code)
    section, list_url = office_section(report.office), reverse("report-list")
    if refusal := services.monthly_report_close_refusal(report):
        interaction.refuse(request, refusal, section=section)
        return redirect(interaction.with_anchor(list_url, section))
    if not interaction.is_confirmed(request):
        return interaction.confirmation(
            request, title=f"Lukke {month_name} for {report.office.name}?",
            warning=("Når måneden er lukket, er tallene endelige og kan ikke endres etterpå: rapporten kan lastes "
                     "ned, men aldri bygges på nytt. Det kan ikke angres."),
            confirm_label=f"Ja, lukk {month_name}", cancel_url=interaction.with_anchor(list_url, section),
            summary=[("Kontor", str(report.office)), ("Måned", month_name.capitalize()),
                     ("Sist bygget", formats.date_format(timezone.localtime(report.generated_at), "d.m.Y H:i"))],
            body=format_html('<p class="text-muted">{}</p>', "Bygg måneden på nytt først hvis tallene ikke er ferske."),
        )
    return interaction.act(
        request, redirect_to=list_url, section=section,
        perform=_refusing(lambda data: services.monthly_report_close(report_id=report.pk,
                                                                     actor=Actor.from_request(request))),
        success_message=f"{month_name.capitalize()} er lukket. Tallene kan ikke endres lenger.",
    )


def dashboard_panel(request) -> str:
    """The project leader's dashboard on the start page: the stored report of each office (no
    recomputing), with live work-list counts from the start page's work lists."""
    offices = Office.objects.filter(enhetsnummer__in=access.offices(request.user, Role.PROSJEKTLEDER))
    boards = []
    for office in offices:
        report = selectors.latest_report(office)
        boards.append({"office": office, "context": presentation.report_context(report) if report else None})
    return render_to_string("reporting/_dashboard.html", {"boards": boards}, request=request)
