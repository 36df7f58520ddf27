"""Benchmark of issue 3's budgets on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench \
        .venv/bin/python -m tests.benchmarks.bench_cases

needs `seed_demo` and `seed_scale --households 100000` in that database first. It measures the
server time of the portfolio and participant pages in-process (Django test client: middleware,
views, templates and database, no network), their query counts, importing a 10 000-row Oskar
extract (rolled back afterwards) and screening the office. Prints a Markdown table."""
import datetime
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from alnaaktiv.actor import Actor  # noqa: E402
from alnaaktiv.fnr import KVINNE, make_synthetic_fnr  # noqa: E402
from alnaaktiv.models import Office, User  # noqa: E402
from cases.imports import import_registers  # noqa: E402
from cases.models import Deltaker, Sak  # noqa: E402
from cases.selectors import screen  # noqa: E402

RUNS = 60


class Rollback(Exception):
    pass


def timed(function, runs: int = RUNS) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, queries of one call) after two warm-up calls."""
    function(), function()
    # Counted with an execute wrapper: the request cycle resets connection.queries.
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(executed)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def get_ok(client: Client, path: str, data=None):
    response = client.get(path, data)
    assert response.status_code == 200, (path, response.status_code)


def oskar_extract(rows: int) -> bytes:
    rng = random.Random(99)
    lines = ["saksnummer;fnr;navn;rolle;inntektstype;antall_barn;landbakgrunn;stonad_maneder_siste_12;kontor"]
    seen = set()
    while len(seen) < rows:
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
        fnr = make_synthetic_fnr(birth, KVINNE, rng, offset=80)
        if fnr in seen:
            continue
        seen.add(fnr)
        lines.append(f"B{len(seen):06d};{fnr};Benk Person;hovedperson;hovedinntekt;1;norge;6;0326")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    results = [("data", f"{Sak.objects.filter(office=office).count()} saker, "
                        f"{Deltaker.objects.filter(office=office).count()} deltakere ved 0326", "", "")]
    leader, veileder = client_for("prosjektleder"), client_for("veileder")
    ids = list(Deltaker.objects.filter(office=office, person__adressebeskyttelse="ugradert", person__skjermet=False)
               .values_list("pk", flat=True)[:5000])
    rng = random.Random(1)

    for label, call in [
        ("portefølje, prosjektleder, alle", lambda: get_ok(leader, "/deltakere/", {"vis": "alle"})),
        ("portefølje, side 200, sortert på navn", lambda: get_ok(leader, "/deltakere/", {"vis": "alle", "sorter": "navn", "side": 200})),
        ("portefølje, filter status + målgruppe", lambda: get_ok(leader, "/deltakere/", {"vis": "alle", "status": "mott", "malgruppe": "ovrige"})),
        ("portefølje, veileder, mine", lambda: get_ok(veileder, "/deltakere/")),
        ("portefølje, søk på navn (POST)", lambda: leader.post("/deltakere/", {"sok": "Hansen"})),
        ("deltakerside (tilfeldig deltaker)", lambda: get_ok(leader, f"/deltakere/{rng.choice(ids)}/")),
    ]:
        p50, p95, queries = timed(call)
        results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))

    data = oskar_extract(10_000)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            import_registers(office=office, as_of=datetime.date(2000, 1, 1), oskar=data, actor=Actor.operator())
            raise Rollback
    except Rollback:
        pass
    results.append(("import av Oskar-uttrekk, 10 000 rader (s)", f"{time.perf_counter() - started:.2f}", "", ""))

    samples = []
    for _ in range(5):
        started = time.perf_counter()
        funnel = screen(office=office, as_of=datetime.date.today())
        samples.append(time.perf_counter() - started)
    results.append((f"screening, {funnel.as_dict()['mottakere']} saker (s)", f"{statistics.median(samples):.2f}",
                    f"{max(samples):.2f}", ""))

    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
