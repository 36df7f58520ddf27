"""Writes of the reporting app: building, requesting and closing monthly reports, and changing
targets with their history."""
import datetime
from importlib import import_module

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.audit import Action
from alnaaktiv.models import Office
from alnaaktiv.tasks import enqueue_on_commit
from reporting.builder import ReportError, build_report_data, month_start
from reporting.models import MonthlyReport, Target, TargetRevision
from reporting.selectors import report_months

CLOSED_MESSAGE = "Måneden {month} er lukket og kan ikke bygges på nytt."


def _locked_report(office: Office, month: datetime.date) -> MonthlyReport:
    """The month's row, created if missing, locked for the rest of the transaction."""
    MonthlyReport.objects.get_or_create(office=office, month=month_start(month))
    return MonthlyReport.objects.select_for_update().get(office=office, month=month_start(month))


def _check_buildable(office: Office, month: datetime.date) -> None:
    if month_start(month) > month_start(timezone.localdate()):
        raise ReportError(f"Måneden {month:%Y-%m} har ikke begynt ennå.")


@transaction.atomic
def monthly_report_build(*, office: Office, month: datetime.date, actor: Actor) -> MonthlyReport:
    """Compute and store the month for the office; a closed month is never rebuilt."""
    _check_buildable(office, month)
    report = _locked_report(office, month)
    if report.is_closed:
        raise ReportError(CLOSED_MESSAGE.format(month=report.month_code))
    created = report.data is None
    data = build_report_data(office, report.month)
    # Written only while the month is open: a close that won the race is never overwritten
    # (also on SQLite, where select_for_update does not lock).
    written = MonthlyReport.objects.filter(pk=report.pk, status=MonthlyReport.Status.OPEN).update(
        data=data, generated_at=timezone.now(), generated_by=actor.user, build_state=MonthlyReport.BuildState.IDLE,
        build_error="",
    )
    if not written:
        raise ReportError(CLOSED_MESSAGE.format(month=report.month_code))
    report.refresh_from_db()
    audit.record_change(Action.CREATE if created else Action.UPDATE, actor=actor, obj=report,
                        office=office.enhetsnummer)
    return report


def monthly_report_build_if_missing(*, office: Office, month: datetime.date, actor: Actor) -> MonthlyReport:
    """The stored month, built first when it never was (docs/contracts.md, export_report)."""
    report = MonthlyReport.objects.select_related("office").filter(office=office, month=month_start(month)).first()
    if report is None or report.data is None:
        report = monthly_report_build(office=office, month=month, actor=actor)
    return report


def targets_ensure_prestudy() -> None:
    """The pre-study's targets when missing (seed_demo; a flushed test database): the same rows
    as the data migration, which stays the single place they are written down."""
    import_module("reporting.migrations.0002_prestudy_targets").add_targets(apps, None)


def monthly_reports_fill(*, offices: list[Office], actor: Actor) -> int:
    """Build the months that were never built, from each office's pilot start to this month
    (demo data and new offices); built months are left as they are."""
    built = 0
    for office in offices:
        for row in report_months(office):
            if row.report is None or not row.report.is_built:
                monthly_report_build(office=office, month=row.month, actor=actor)
                built += 1
    return built


@transaction.atomic
def monthly_report_request_build(*, actor: Actor, office: Office, month: datetime.date) -> MonthlyReport:
    """Queue a build in the background (Celery); the page shows its progress. A build already
    queued or running is not queued twice."""
    # reporting.tasks imports this module (its tasks call the services): a real cycle.
    from reporting.tasks import build_monthly_report_task  # noqa: PLC0415 — import cycle with reporting.tasks

    _check_buildable(office, month)
    report = _locked_report(office, month)
    if report.is_closed:
        raise ReportError(CLOSED_MESSAGE.format(month=report.month_code))
    if report.build_in_progress:
        return report
    # Not building, or a build that never finished (a worker that died): queue it (again).
    report.build_state = MonthlyReport.BuildState.QUEUED
    report.build_error = ""
    report.build_requested_at, report.build_requested_by = timezone.now(), actor.user
    report.save(update_fields=["build_state", "build_error", "build_requested_at", "build_requested_by"])
    enqueue_on_commit(build_monthly_report_task, report.pk, actor.task_payload(), actor=actor)
    return report


# A queued build that no worker has started after this long is sent again by the sweep.
QUEUED_GRACE = datetime.timedelta(minutes=2)


@transaction.atomic
def monthly_reports_requeue_waiting() -> list[tuple[int, int | None]]:
    """The reports "I kø" are the outbox of build_monthly_report_task: a build ordered while the
    queue was down (or whose job was lost) is still queued after QUEUED_GRACE. Their request time
    is renewed, so the page keeps showing them as queued, and (id, who ordered it) is returned
    to be sent again in that employee's name. The task skips a month already built since it was ordered, so a duplicate is harmless."""
    waiting = list(
        MonthlyReport.objects.select_for_update(skip_locked=True)
        .filter(status=MonthlyReport.Status.OPEN, build_state=MonthlyReport.BuildState.QUEUED)
        .filter(models.Q(build_requested_at__isnull=True) | models.Q(build_requested_at__lt=timezone.now() - QUEUED_GRACE))
        .order_by("pk").values_list("pk", "build_requested_by_id")[:200]
    )
    MonthlyReport.objects.filter(pk__in=[pk for pk, _ in waiting]).update(build_requested_at=timezone.now())
    return waiting


def monthly_report_mark(report_id: int, state: str, error: str = "") -> None:
    """The task's progress, written outside the build's transaction so the page can see it."""
    MonthlyReport.objects.filter(pk=report_id).exclude(status=MonthlyReport.Status.CLOSED).update(
        build_state=state, build_error=error
    )


def monthly_report_close_refusal(report: MonthlyReport) -> str:
    """Why the month cannot be closed now (empty when it can): asked before the confirmation page
    is shown, and again under the lock when closing."""
    if report.is_closed:
        return f"Måneden {report.month_code} er allerede lukket."
    if report.data is None:
        return f"Måneden {report.month_code} er ikke bygget ennå. Bygg den før du lukker den."
    if report.build_in_progress:
        return f"Måneden {report.month_code} bygges nå. Vent til den er ferdig før du lukker den."
    if month_start(report.month) >= month_start(timezone.localdate()):
        return f"Måneden {report.month_code} er ikke over ennå og kan ikke lukkes."
    return ""


@transaction.atomic
def monthly_report_close(*, actor: Actor, report_id: int) -> MonthlyReport:
    """Close a built month: its numbers are final and no rebuild is allowed afterwards."""
    report = MonthlyReport.objects.select_for_update().select_related("office").get(pk=report_id)
    if refusal := monthly_report_close_refusal(report):
        raise ReportError(refusal)
    closed = MonthlyReport.objects.filter(pk=report.pk, status=MonthlyReport.Status.OPEN).update(
        status=MonthlyReport.Status.CLOSED, closed_at=timezone.now(), closed_by=actor.user,
        build_state=MonthlyReport.BuildState.IDLE, build_error="",
    )
    if not closed:
        raise ReportError(f"Måneden {report.month_code} er allerede lukket.")
    report.refresh_from_db()
    audit.record_change(Action.UPDATE, actor=actor, obj=report, office=report.office.enhetsnummer)
    return report


TARGET_FIELDS = ("name", "numerator", "denominator", "target", "comparison", "position")


def target_values(target: Target) -> dict:
    return {field: str(getattr(target, field)) for field in TARGET_FIELDS}


@transaction.atomic
def target_save(*, actor: Actor, target: Target) -> Target:
    """Save a target (admin) and keep its values in the history; reports already built keep
    the values they were built with."""
    target.full_clean()
    target.save()
    TargetRevision.objects.create(target=target, values=target_values(target), changed_by=actor.user)
    audit.record_change(Action.UPDATE, actor=actor, obj=target)
    return target
