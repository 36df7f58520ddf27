import datetime
import logging

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import Office
from alnaaktiv.tasks import send_task
from reporting.builder import ReportError, month_start
from reporting.models import MonthlyReport
from reporting.services import monthly_report_build, monthly_report_mark, monthly_reports_requeue_waiting

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def build_monthly_report_task(report_id: int, ordered_by: dict | None = None) -> str:
    """Build a month that a user asked for on /rapporter/; progress is kept on the report's row."""
    report = MonthlyReport.objects.select_related("office").get(pk=report_id)
    if report.build_state == MonthlyReport.BuildState.IDLE and report.generated_at and (
        report.build_requested_at is None or report.generated_at >= report.build_requested_at
    ):
        # Delivered again (acks_late, or re-sent by the sweep) after a copy already built it.
        return "already built"
    monthly_report_mark(report_id, MonthlyReport.BuildState.RUNNING)
    try:
        monthly_report_build(office=report.office, month=report.month,
                             actor=Actor.from_task(ordered_by, "build_monthly_report"))
    except ReportError as error:
        monthly_report_mark(report_id, MonthlyReport.BuildState.FAILED, str(error))
        return "refused"
    except Exception:
        logger.exception("Månedsrapport %s kunne ikke bygges", report_id)
        monthly_report_mark(report_id, MonthlyReport.BuildState.FAILED, "Teknisk feil under byggingen. Prøv igjen.")
        raise
    return "built"


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def resend_queued_report_builds() -> list[int]:
    """Beat, every five minutes: a month ordered on /rapporter/ while the queue was down stays
    "I kø" in the database; it is sent to a worker again here instead of waiting forever."""
    return [
        pk for pk, ordered_by in monthly_reports_requeue_waiting()
        if send_task(build_monthly_report_task, pk, {"user_id": ordered_by, "path": reverse("report-build")})
    ]


def previous_month(today: datetime.date) -> datetime.date:
    return month_start(month_start(today) - datetime.timedelta(days=1))


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def build_last_months_reports() -> list[str]:
    """Beat, on the 1st at 06:00: last month's report for every office (closed months stay)."""
    return _build_for_every_office(previous_month(timezone.localdate()), "build_last_months_reports")


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1860)
def build_current_months_reports() -> list[str]:
    """Beat, every morning: this month so far, so the dashboard (which reads stored reports
    and never recomputes) is at most a day old."""
    return _build_for_every_office(month_start(timezone.localdate()), "build_current_months_reports")


def _build_for_every_office(month: datetime.date, task_name: str) -> list[str]:
    """Each office on its own: one office's failure is logged and the others are still built."""
    built = []
    for office in Office.objects.all():
        try:
            monthly_report_build(office=office, month=month, actor=Actor.scheduled(task_name))
            built.append(office.enhetsnummer)
        except ReportError as error:
            logger.info("Månedsrapport %s %s ikke bygget: %s", office.enhetsnummer, f"{month:%Y-%m}", error)
        except Exception:
            logger.exception("Månedsrapport %s %s feilet", office.enhetsnummer, f"{month:%Y-%m}")
    return built
