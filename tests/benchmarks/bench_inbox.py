"""Benchmark of the inbox (issue 14) on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench14d \
        .venv/bin/python -m tests.benchmarks.bench_inbox [--prepare]

needs `migrate`, `seed_demo` and `seed_scale --households 100000` in that database first.
`--prepare` (once) adds what seed_scale leaves out: a first appointment on every referred or
not-met participant of NAV Alna (a week after the status date, as a referral sets it), 100 000
vedtak with vilkår, documentation and liftings (tests.benchmarks.bench_conditions.seed), and
huskelapper of the veileder. It then times, per role, the inbox's selector calls on the start page
(alnaaktiv.inbox.inbox_counts: one count per kind), the start page and the largest inbox list
in-process (Django test client, no network), with their query counts. Prints a Markdown table."""
import argparse
import datetime
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv import inbox  # noqa: E402
from alnaaktiv.models import Office, User  # noqa: E402
from cases.models import Deltaker, Huskelapp  # noqa: E402
from tests.benchmarks.bench_cases import client_for, get_ok, timed  # noqa: E402
from tests.benchmarks.bench_conditions import seed as seed_conditions  # noqa: E402

ROLES = ["veileder", "leder", "hovedveileder", "vedtak", "karea"]


@transaction.atomic
def prepare() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    pending = Deltaker.objects.filter(office=office, status__in=["henvist", "ikke_mott"], forste_avtale__isnull=True)
    rows = list(pending.values_list("pk", "status_dato"))
    for pk, status_dato in rows:
        when = datetime.datetime.combine(status_dato + datetime.timedelta(days=7), datetime.time(10),
                                         tzinfo=datetime.UTC)
        Deltaker.objects.filter(pk=pk).update(forste_avtale=when)
    print(f"første avtale satt på {len(rows)} deltakere")
    veileder = User.objects.get(username="veileder")
    mine = list(Deltaker.objects.filter(office=office, veileder=veileder).values_list("pk", flat=True))
    today = timezone.localdate()
    Huskelapp.objects.bulk_create([
        Huskelapp(deltaker_id=pk, due_date=today - datetime.timedelta(days=number % 30), comment="Følg opp",
                  created_by=veileder) for number, pk in enumerate(mine)])
    # A tenth of the veileder's participants did not come (the status only: enough for the counts).
    Deltaker.objects.filter(pk__in=mine[: len(mine) // 10]).update(status="ikke_mott")
    seed_conditions(100000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true", help="legg inn første avtaler, vedtak og huskelapper først")
    args = parser.parse_args()
    if args.prepare:
        prepare()
    office = Office.objects.get(enhetsnummer="0326")
    results = [("data", f"{Deltaker.objects.filter(office=office).count()} deltakere ved 0326", "", "", "")]
    for username in ROLES:
        user = User.objects.get(username=username)
        counts = inbox.inbox_counts(user)
        summary = ", ".join(f"{item['code']} {item['count']}" for item in counts["kinds"])
        p50, p95, queries = timed(lambda user=user: inbox.inbox_counts(user))
        results.append((f"innboks-tellinger, {username}", f"{p50:.1f}", f"{p95:.1f}", str(queries), summary))
        client = client_for(username)
        p50, p95, queries = timed(lambda client=client: get_ok(client, "/"))
        results.append((f"startside, {username}", f"{p50:.1f}", f"{p95:.1f}", str(queries), ""))
        biggest = max(counts["kinds"], key=lambda item: item["count"])
        path = reverse("inbox-list", args=[biggest["code"]])
        p50, p95, queries = timed(lambda client=client, path=path: get_ok(client, path))
        results.append((f"innboksliste {path}, {username}", f"{p50:.1f}", f"{p95:.1f}", str(queries), ""))
    print("| måling | p50 ms | p95 ms | spørringer | uleste per type |\n| --- | --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
