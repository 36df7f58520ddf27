"""Benchmark of issue 7's budgets on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench_report \
        .venv/bin/python -m tests.benchmarks.bench_reporting

needs `seed_demo` and `seed_scale --households 100000 --participant-share 1.0` in that database
first (100 000 participants at 0326). It times building a month with the report builder (the
same service the command and the Celery task run), the dashboard on the start page and the
report pages in-process (Django test client: middleware, views, templates and database, no
network), their query counts, and rendering the PDF and XLSX. Prints a Markdown table."""
import datetime
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv.actor import Actor  # noqa: E402
from alnaaktiv.models import Office  # noqa: E402
from cases.models import CourseEvent, Deltaker  # noqa: E402
from reporting import renderers  # noqa: E402
from reporting.builder import month_start  # noqa: E402
from reporting.services import monthly_report_build  # noqa: E402
from tests.benchmarks.bench_cases import client_for, get_ok, timed  # noqa: E402


def build_seconds(office: Office, month: datetime.date, runs: int = 3) -> tuple[list[float], int]:
    executed = []
    samples = []
    for run in range(runs):
        started = time.perf_counter()
        if run == 0:
            with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
                report = monthly_report_build(office=office, month=month, actor=Actor.operator())
        else:
            report = monthly_report_build(office=office, month=month, actor=Actor.operator())
        samples.append(time.perf_counter() - started)
    return samples, len(executed), report


def main() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    participants = Deltaker.objects.filter(office=office).count()
    events = CourseEvent.objects.filter(deltaker__office=office).count()
    results = [("data", f"{participants} deltakere og {events} løpshendelser ved 0326", "", "")]

    this_month = month_start(timezone.localdate())
    for label, month in [("denne måneden", this_month), ("forrige måned", month_start(this_month - datetime.timedelta(days=1)))]:
        samples, queries, report = build_seconds(office, month)
        months = len(report.data["participants_by_month"])
        results.append((f"bygg månedsrapport, {label} ({months} måneder siden pilotstart) (s)",
                        f"{statistics.median(samples):.2f}", f"{max(samples):.2f}", str(queries)))

    leader, controller = client_for("prosjektleder"), client_for("controller")
    for label, call in [
        ("dashbord (startside, prosjektleder)", lambda: get_ok(leader, "/")),
        ("/rapporter/ (controller)", lambda: get_ok(controller, "/rapporter/")),
        ("rapportside (controller)", lambda: get_ok(controller, f"/rapporter/{report.pk}/")),
    ]:
        p50, p95, queries = timed(call)
        results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))

    for fmt in ("pdf", "xlsx"):
        started = time.perf_counter()
        renderers.render(report, fmt)
        results.append((f"eksport {fmt.upper()} (s)", f"{time.perf_counter() - started:.2f}", "", ""))

    print("| måling | p50 | p95 / maks | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
