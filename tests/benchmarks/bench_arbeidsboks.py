"""Benchmark of issue 6's pages on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_h6_bench \
        .venv/bin/python -m tests.benchmarks.bench_arbeidsboks

needs `seed_demo` and `seed_scale --households 100000` first. Inside one transaction that is
rolled back at the end it adds 30 enterprises with 4 work areas each (capacity 10), 1 500
placements of enrolled participants (most running, some waiting, some ending within two weeks)
and 12 weeks of attendance for the running ones, last week missing for a fifth; then it times
/arbeidsboks/, a work area's attendance page and KAREA's start page in-process (Django test
client, as bench_cases). Prints a Markdown table."""
import datetime
import os
import random

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv.models import Office, User  # noqa: E402
from arbeidsboks.models import Arbeidsomrade, Frammote, Plassering, Virksomhet  # noqa: E402
from arbeidsboks.selectors import week_start  # noqa: E402
from cases.models import Deltaker  # noqa: E402
from tests.benchmarks.bench_cases import Rollback, client_for, get_ok, timed  # noqa: E402


def _data(rng: random.Random, office: Office, karea: User) -> tuple[int, int]:
    today = timezone.localdate()
    monday = week_start(today)
    enterprises = Virksomhet.objects.bulk_create([Virksomhet(office=office, navn=f"Benkvirksomhet {n}") for n in range(30)])
    areas = Arbeidsomrade.objects.bulk_create([
        Arbeidsomrade(virksomhet=e, navn=f"Område {n}", kapasitet=10, normal_timer_per_uke=Decimal("30"))
        for e in enterprises for n in range(4)])
    deltakere = list(Deltaker.objects.filter(office=office, status__in=["avklart", "i_aktivitet"])
                     .values_list("pk", flat=True)[:1500])
    placements, used = [], {area.pk: 0 for area in areas}
    for n, deltaker_id in enumerate(deltakere):
        area = areas[n % len(areas)]
        running = used[area.pk] < area.kapasitet
        used[area.pk] += running
        start = monday - datetime.timedelta(weeks=rng.randint(1, 12))
        end = today + datetime.timedelta(days=rng.randint(1, 90))
        placements.append(Plassering(
            deltaker_id=deltaker_id, arbeidsomrade=area, kind="arbeidstrening", status="aktiv" if running else "venteliste",
            startdato=start, planlagt_slutt=end, timer_per_uke=Decimal("20"), veileder_pa_stedet="Arbeidsleder",
            mal="Mål", ikke_fortrengning=True, created_by=karea, venteliste_fra=None if running else timezone.now()))
    placements = Plassering.objects.bulk_create(placements)
    weeks = []
    for placement in placements:
        if placement.status != "aktiv":
            continue
        week = placement.startdato
        while week < monday - datetime.timedelta(weeks=1) or (week == monday - datetime.timedelta(weeks=1) and rng.random() < 0.8):
            weeks.append(Frammote(plassering=placement, uke=week, planlagte_timer=Decimal("20"),
                                  oppmotte_timer=Decimal("16"), planlagte_dager=5, oppmotte_dager=4,
                                  fravaer_godkjent_dager=1, fravaer_grunn="Lege", registrert_av=karea))
            week += datetime.timedelta(weeks=1)
    Frammote.objects.bulk_create(weeks, batch_size=5000)
    return len(placements), len(weeks)


def main() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    karea = User.objects.get(username="karea")
    rng = random.Random(6)
    results = []
    try:
        with transaction.atomic():
            placements, weeks = _data(rng, office, karea)
            area = Arbeidsomrade.objects.filter(navn="Område 0").order_by("id").first()
            last_week = week_start(timezone.localdate()) - datetime.timedelta(weeks=1)
            results.append(("data", f"{Deltaker.objects.filter(office=office).count()} deltakere, "
                                    f"{placements} plasseringer, {weeks} frammøteuker", "", ""))
            clients = {name: client_for(name) for name in ("karea", "prosjektleder")}
            for label, call in [
                ("/arbeidsboks/, KAREA", lambda: get_ok(clients["karea"], "/arbeidsboks/")),
                ("/arbeidsboks/, prosjektleder", lambda: get_ok(clients["prosjektleder"], "/arbeidsboks/")),
                ("frammøte for et arbeidsområde (uke)", lambda: get_ok(
                    clients["karea"], f"/arbeidsboks/omrader/{area.pk}/frammote/", {"uke": last_week.isoformat()})),
                ("arbeidsområde med venteliste", lambda: get_ok(clients["karea"], f"/arbeidsboks/omrader/{area.pk}/")),
                ("startside KAREA (med Arbeidsboks-tall)", lambda: get_ok(clients["karea"], "/")),
            ]:
                p50, p95, queries = timed(call)
                results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))
            raise Rollback
    except Rollback:
        pass
    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
