import datetime
import logging

from celery import shared_task
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import Office
from reporting.builder import ReportError, month_start
from reporting.models import MonthlyReport
from reporting.services import monthly_report_build, monthly_report_mark

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def build_monthly_report_task(report_id: int, ordered_by: dict | None = None) -> str:
    """Build a month that a user asked for on /rapporter/; progress is kept on the report's row."""
    report = MonthlyReport.objects.select_related("office").get(pk=report_id)
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
