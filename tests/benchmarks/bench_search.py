"""Benchmark of issue 14's search on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench14 \\
        .venv/bin/python -m tests.benchmarks.bench_search

needs `seed_demo` and `seed_scale --households 100000 --participant-share 1.0` (run twice for
200 000 participants) in that database first. It measures the header search (/sok/, POST) as the
demo users in-process (Django test client: middleware, views, templates and database, no network),
the search selector alone, and the vedtak list, with the query count of one request; then prints
the PostgreSQL plan's scan of cases_person for each name term, to show where the trigram index is
used. A few persons with accented names are added inside a transaction rolled back at the end.
Prints a Markdown table."""
import os
import random

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from alnaaktiv.models import Office, User  # noqa: E402
from cases.models import Deltaker, Person, Sak  # noqa: E402
from cases.selectors import participant_search  # noqa: E402
from tests.benchmarks.bench_cases import timed  # noqa: E402

# (label, term): common and rare names, prefixes of three letters, accents and case.
NAME_TERMS = [
    ("vanlig fornavn «mohammed» (8 %)", "mohammed"),
    ("vanlig etternavn «hansen»", "hansen"),
    ("tre bokstaver «ahm»", "ahm"),
    ("fullt navn «ingrid berg»", "ingrid berg"),
    ("sjeldent navn «yilmaz» (demo)", "yilmaz"),
    ("sjeldent, aksent «zoë» (lagt til)", "zoë"),
    ("store bokstaver «MÜLLER» (lagt til)", "MÜLLER"),
    ("ingen treff «xyzq»", "xyzq"),
]
ACCENTED = ["Zoë Ødegård", "Jürgen Müller", "José Núñez", "Renée Åberg", "Søren Kjærgaard"]


class Rollback(Exception):
    pass


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def post_ok(client: Client, term: str):
    response = client.post("/sok/", {"sok": term})
    assert response.status_code == 200, response.status_code


def add_accented(office: Office) -> None:
    rng = random.Random(14)
    base = Deltaker.objects.filter(office=office).select_related("person").order_by("pk")[:len(ACCENTED) * 20]
    for index, deltaker in enumerate(base):
        person = deltaker.person
        person.navn = ACCENTED[index % len(ACCENTED)] + f" {rng.randint(1, 999)}"
        person.save(update_fields=["navn"])


def plan_scan(user, term: str) -> str:
    """How the plan reads cases_person for the participant search (first rows, as the page)."""
    plan = participant_search(user, navn=term)[:51].explain(analyze=True)
    lines = [line.strip() for line in plan.splitlines() if "cases_person" in line and " u0" not in line]
    execution = [line.strip() for line in plan.splitlines() if line.startswith("Execution Time")]
    return f"{term}: {lines[0].split('  (')[0] if lines else '?'}; {execution[0] if execution else ''}"


def measure(office: Office) -> tuple[list[tuple], list[str]]:
    leader, veileder, vedtak = client_for("prosjektleder"), client_for("veileder"), client_for("vedtak")
    user = User.objects.get(username="prosjektleder")
    rng = random.Random(1)
    fnrs = list(Person.objects.filter(deltakelser__office=office, adressebeskyttelse="ugradert", skjermet=False)
                .values_list("fnr", flat=True)[:2000])
    saksnumre = list(Sak.objects.filter(office=office, saksnummer__startswith="SKALA-").values_list("saksnummer", flat=True)[:2000])
    results = []
    for label, term in NAME_TERMS:
        p50, p95, queries = timed(lambda term=term: post_ok(leader, term))
        results.append((f"/sok/ prosjektleder, {label}", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    for label, term in NAME_TERMS[:1] + NAME_TERMS[4:5]:
        p50, p95, queries = timed(lambda term=term: post_ok(veileder, term))
        results.append((f"/sok/ veileder, {label}", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
        p50, p95, queries = timed(lambda term=term: list(participant_search(user, navn=term)[:51]))
        results.append((f"deltakersøk (selektor), {label}", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    p50, p95, queries = timed(lambda: post_ok(leader, rng.choice(fnrs)))
    results.append(("/sok/ prosjektleder, fødselsnummer (tilfeldig, revidert)", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    p50, p95, queries = timed(lambda: post_ok(leader, rng.choice(saksnumre)))
    results.append(("/sok/ prosjektleder, saksnummer (tilfeldig)", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    p50, p95, queries = timed(lambda: post_ok(vedtak, "mohammed"))
    results.append(("/sok/ vedtak, «mohammed» (vedtak)", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    for label, data in [("alle", {}), ("søk «hansen»", {"sok": "hansen"}), ("åpne vilkår, sortert på frist",
                                                                          {"apne_vilkar": "on", "sorter": "frist"})]:
        p50, p95, queries = timed(lambda data=data: vedtak.get("/vilkar/vedtak/", data))
        results.append((f"/vilkar/vedtak/, {label}", f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    plans = [plan_scan(user, term) for _, term in NAME_TERMS]
    return results, plans


def main() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    head = [("data", f"{Deltaker.objects.filter(office=office).count()} deltakere og "
                     f"{Sak.objects.filter(office=office).count()} saker ved 0326, "
                     f"{Person.objects.count()} personer", "", "")]
    try:
        with transaction.atomic():
            add_accented(office)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_person")
            results, plans = measure(office)
            raise Rollback
    except Rollback:
        pass
    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in head + results:
        print("| " + " | ".join(row) + " |")
    print("\nPlan (deltakersøket, første 51 rader):")
    for line in plans:
        print(f"- {line}")


if __name__ == "__main__":
    main()
