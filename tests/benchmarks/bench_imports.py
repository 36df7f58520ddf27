"""Benchmark of the web import's preview and confirm against the upload limit (issue 11, item 9;
not a test, pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench_imports \
        .venv/bin/python -m tests.benchmarks.bench_imports [rows ...]

needs a migrated database (nothing else). For each size it builds a synthetic Oskar extract of
new persons (one hovedperson and one ektefelle per case) and POSTs it to /import/ as a
prosjektleder with Django's test client, in-process: upload parsing, storing the file, the dry
run and the rendered preview, then the confirm step that writes it. A third request previews the
same size with every row invalid, so the preview lists one error per row. Every write is rolled
back afterwards. With `--sporingsliste` it measures the participants' tracking list instead
(preview and confirm). Prints a Markdown table with the file size and the wall (CPU) seconds of each request."""
import datetime
import os
import random
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from alnaaktiv.fnr import KVINNE, make_synthetic_fnr  # noqa: E402
from alnaaktiv.models import Membership, Office, Role, User  # noqa: E402

HEADER = "saksnummer;fnr;navn;rolle;inntektstype;antall_barn;landbakgrunn;stonad_maneder_siste_12;kontor"


class Rollback(Exception):
    pass


def numbers(rows: int) -> list[str]:
    rng = random.Random(rows)
    found: set[str] = set()
    day = 0
    while len(found) < rows:
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=day % 12_700)
        found.add(make_synthetic_fnr(birth, KVINNE, rng))
        day += 1
    return sorted(found)


def extract(rows: int, *, kontor: str = "0326") -> bytes:
    lines = [HEADER]
    for index, number in enumerate(numbers(rows)):
        rolle = "hovedperson" if index % 2 == 0 else "ektefelle"
        lines.append(f"B{index // 2};{number};Benk Person {index};{rolle};hovedinntekt;1;norge;6;{kontor}")
    return ("\n".join(lines) + "\n").encode()


def tracking_list(rows: int) -> bytes:
    """The pilot's tracking list: every participant referred, met and in kartlegging."""
    lines = ["fnr;navn;henvist;mott;kartlegging_startet"]
    lines += [f"{number};Benk Deltaker {index};05.01.2015;08.01.2015;09.01.2015"
              for index, number in enumerate(numbers(rows))]
    return ("\n".join(lines) + "\n").encode()


def measure_tracking(client: Client, rows: int) -> tuple[float, str, str]:
    data = tracking_list(rows)
    try:
        with transaction.atomic():
            preview = post(client, {"kontor": "0326", "handling": "forhandsvis",
                                    "deltakere": SimpleUploadedFile("deltakere.csv", data)})
            confirm = post(client, {"handling": "bekreft"})
            raise Rollback
    except Rollback:
        pass
    return len(data) / 1024 / 1024, preview, confirm


def post(client: Client, data: dict) -> str:
    """Wall seconds (what gunicorn's timeout counts) and this process's CPU seconds (with SQLite
    that includes the database; it shows how much of the wall time was waiting for a core)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post("/import/", data)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code in (200, 302), response.status_code
    return f"{elapsed:.1f} ({cpu:.1f})"


def measure(client: Client, rows: int) -> tuple[float, str, str, str]:
    valid, invalid = extract(rows), extract(rows, kontor="9999")
    try:
        with transaction.atomic():
            preview = post(client, {"kontor": "0326", "dato": "01.10.2014", "handling": "forhandsvis",
                                    "oskar": SimpleUploadedFile("oskar.csv", valid)})
            confirm = post(client, {"handling": "bekreft"})
            errors = post(client, {"kontor": "0326", "dato": "01.11.2014", "handling": "forhandsvis",
                                   "oskar": SimpleUploadedFile("oskar.csv", invalid)})
            raise Rollback
    except Rollback:
        pass
    return len(valid) / 1024 / 1024, preview, confirm, errors


def main(sizes: list[int], *, tracking: bool = False) -> None:
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-imports-")
    office = Office.objects.get_or_create(enhetsnummer="0326", defaults={"name": "NAV Alna"})[0]
    user, _ = User.objects.get_or_create(username="bench_prosjektleder")
    Membership.objects.get_or_create(user=user, office=office, role=Role.PROSJEKTLEDER)
    client = Client()
    client.force_login(user)
    print("| rader | MB | forhåndsvisning, s (CPU) | bekreft, s (CPU) | forhåndsvisning, alle rader feil, s (CPU) |")
    print("| --- | --- | --- | --- | --- |")
    for rows in sizes:
        if tracking:
            size, preview, confirm = measure_tracking(client, rows)
            print(f"| sporingsliste {rows} | {size:.1f} | {preview} | {confirm} |  |", flush=True)
            continue
        size, preview, confirm, errors = measure(client, rows)
        print(f"| {rows} | {size:.1f} | {preview} | {confirm} | {errors} |", flush=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([int(value) for value in arguments if value.isdigit()] or [10_000, 50_000, 100_000],
         tracking="--sporingsliste" in arguments)
