"""Reads of the reporting app, scoped to the user's offices."""
import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.models import Office, Role
from conditions.selectors import start_worklist_vedtak
from reporting import builder
from reporting.builder import month_start, months_between
from reporting.models import MonthlyReport

REPORT_ROLES = (Role.CONTROLLER, Role.PROSJEKTLEDER)
# Only a controller closes a month (docs/domain.md §6); both roles build and download.
CLOSE_ROLES = (Role.CONTROLLER,)


@dataclass
class MonthRow:
    office: Office
    month: datetime.date
    report: MonthlyReport | None

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_current(self) -> bool:
        """The month still running: it can be built but not closed."""
        return self.month >= month_start(timezone.localdate())


def _reports():
    """Reports with `is_built` computed by the database, so lists need not load the data."""
    return MonthlyReport.objects.annotate(
        is_built=ExpressionWrapper(Q(data__isnull=False), output_field=BooleanField())
    )


def report_offices(user) -> list[Office]:
    return list(Office.objects.filter(enhetsnummer__in=access.offices(user, *REPORT_ROLES)))


def report_months(office: Office, today: datetime.date | None = None) -> list[MonthRow]:
    """Every month from the office's pilot start (or first referral, or stored report) to the
    current month, newest first, with its stored report when there is one."""
    today = today or timezone.localdate()
    reports = {report.month: report for report in _reports().filter(office=office).defer("data")}
    first_referral = builder.first_referral(office)
    starts = [day for day in (office.pilot_start, first_referral, *reports) if day]
    first = min(starts) if starts else today
    months = months_between(min(first, today), month_start(today))
    return [MonthRow(office=office, month=month, report=reports.get(month)) for month in reversed(months)]


def get_report_for_user(user, pk: int, *allowed_roles: str) -> MonthlyReport:
    """404 outside the user's offices, 403 for a role that may not use reports."""
    access.require_role(user, *REPORT_ROLES)
    report = _reports().select_related("office", "generated_by", "closed_by").filter(pk=pk).first()
    if report is None:
        raise access.AccessDenied("rapporten finnes ikke")
    access.require_office(user, report.office.enhetsnummer, *REPORT_ROLES)
    access.require_role(user, *(allowed_roles or REPORT_ROLES), office=report.office.enhetsnummer)
    return report


def latest_report(office: Office) -> MonthlyReport | None:
    """The newest built month of the office: what the dashboard shows without recomputing."""
    return (
        MonthlyReport.objects.select_related("office").filter(office=office, data__isnull=False)
        .order_by("-month").first()
    )


def start_worklist_reports(user) -> list[dict]:
    """The start page's counted link for controller and prosjektleder: months that are over
    and not yet closed (never built ones included)."""
    this_month = month_start(timezone.localdate())
    open_months = sum(
        1 for office in report_offices(user) for row in report_months(office)
        if row.month < this_month and not (row.report and row.report.is_closed)
    )
    return [{"label": "Måneder som er over og ikke lukket", "count": open_months, "url": reverse("report-list")}]


def start_worklist_prosjektleder(user) -> list[dict]:
    """The dashboard's work lists (docs/domain.md §6) the project leader may open: the vedtak unit's
    counts (vilkår past due, the 14-day deadline, documentation not assessed, ready for lifting —
    all shown on /vilkar/, which the project leader reads) and the months not closed. The
    Arbeidsboks adds its own counts (placements ending soon, waiting lists; capacity use is on
    /arbeidsboks/) through the start page's list."""
    worklist_url = reverse("conditions-worklist")
    items = [
        {**item, "url": worklist_url} if item["url"].startswith(reverse("lifting-queue")) else item
        for item in start_worklist_vedtak(user)
    ]
    return items + start_worklist_reports(user)
