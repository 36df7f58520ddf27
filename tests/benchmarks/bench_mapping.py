"""Benchmark of issue 4's pages on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench \
        .venv/bin/python -m tests.benchmarks.bench_mapping

needs `seed_demo` and `seed_scale --households 100000` first. Inside one transaction that is
rolled back at the end it gives 50 participants a full mapping (kartlegging with five areas, two
assessment versions, six activities) and 30 % of the avklart / i_aktivitet participants a plan
with activities, some past their end date; then it times the mapping page, the printable plan,
the two PDFs, the start pages with their work lists, a work list and the hand-back list in-process
(Django test client, as bench_cases). Prints a Markdown table."""
import datetime
import os
import random

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv.models import Office, User  # noqa: E402
from cases.models import (  # noqa: E402
    Aktivitet,
    Arbeidsevnevurdering,
    Deltaker,
    Kartlegging,
    KartleggingOmrade,
    Tilbakeforing,
)
from tests.benchmarks.bench_cases import Rollback, client_for, get_ok, timed  # noqa: E402

TEXT = "Vurdering med noen setninger om muligheter, mål og behov for bistand. " * 3


def _mapped(deltakere: list[Deltaker], veileder: User, karea: User) -> list[tuple[int, int]]:
    """Full mapping for each participant; returns (deltaker id, signed version id)."""
    today = timezone.localdate()
    kartlegginger = Kartlegging.objects.bulk_create([
        Kartlegging(deltaker=d, started_on=d.status_dato, started_by=karea, updated_by=karea, metode_samtale=True,
                    jobbonsker="Renhold", test_norsk="A2") for d in deltakere])
    KartleggingOmrade.objects.bulk_create([
        KartleggingOmrade(kartlegging=k, omrade=code, vurdering="barriere", notat="Kort vurdering")
        for k in kartlegginger for code in ("sprak", "helse", "bolig", "nettverk", "motivasjon")])
    pairs = []
    for deltaker in deltakere:
        first = Arbeidsevnevurdering.objects.create(
            deltaker=deltaker, versjon=1, status="signert", del_a=TEXT, del_b=TEXT, del_c=TEXT, del_d=TEXT, del_e=TEXT,
            innsatsgruppe="situasjonsbestemt", hovedmal="skaffe_arbeid", begrunnelse=TEXT, created_by=karea,
            signed_by=veileder, signed_at=timezone.now())
        Arbeidsevnevurdering.objects.create(deltaker=deltaker, versjon=2, del_a=TEXT, created_by=veileder,
                                            replaces=first)
        pairs.append((deltaker.pk, first.pk))
    Aktivitet.objects.bulk_create([
        Aktivitet(deltaker=d, type="kurs", beskrivelse=f"Aktivitet {n}", fra_dato=today, created_by=veileder,
                  til_dato=today + datetime.timedelta(days=30 * n)) for d in deltakere for n in range(1, 7)])
    return pairs


def _plans(rng: random.Random, office: Office, veileder: User) -> int:
    today = timezone.localdate()
    rows = []
    for deltaker in Deltaker.objects.filter(office=office, status__in=["avklart", "i_aktivitet"]).only("pk"):
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 4)):
                start = today - datetime.timedelta(days=rng.randint(0, 200))
                rows.append(Aktivitet(deltaker=deltaker, type="jobbsoking", soknader_per_uke=5, beskrivelse="Søk",
                                      fra_dato=start, til_dato=start + datetime.timedelta(days=rng.randint(10, 300)),
                                      status=rng.choice(["planlagt", "gjennomfores", "fullfort", "avbrutt"]),
                                      created_by=veileder))
    Aktivitet.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def main() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    veileder, karea = User.objects.get(username="veileder"), User.objects.get(username="karea")
    rng = random.Random(4)
    results = []
    try:
        with transaction.atomic():
            candidates = list(Deltaker.objects.filter(
                office=office, status="i_kartlegging", person__adressebeskyttelse="ugradert", person__skjermet=False,
            ).exclude(kartlegging__isnull=False)[:50])
            pairs = _mapped(candidates, veileder, karea)
            activities = _plans(rng, office, veileder)
            for deltaker in candidates[:20]:
                Tilbakeforing.objects.create(deltaker=deltaker, rute="statlig_tiltak", date=timezone.localdate(),
                                             decided="Arbeidspraksis", created_by=veileder)
            Deltaker.objects.filter(pk__in=[d.pk for d in candidates[:20]]).update(
                hovedveileder=User.objects.get(username="hovedveileder"))
            results.append(("data", f"{Deltaker.objects.filter(office=office).count()} deltakere, "
                                    f"{activities + 300} aktiviteter, 50 fulle kartlegginger", "", ""))
            clients = {name: client_for(name) for name in ("veileder", "karea", "hovedveileder")}
            for label, call in [
                ("kartleggingsside (full kartlegging)",
                 lambda: get_ok(clients["veileder"], f"/deltakere/{rng.choice(pairs)[0]}/kartlegging/")),
                ("utskrift av aktivitetsplan", lambda: get_ok(clients["karea"],
                                                              f"/deltakere/{rng.choice(pairs)[0]}/aktivitetsplan/")),
                ("startside veileder (4 arbeidslister, egne)", lambda: get_ok(clients["veileder"], "/")),
                ("startside KAREA (4 arbeidslister, hele kontoret)", lambda: get_ok(clients["karea"], "/")),
                ("arbeidsliste «aktiviteter over sluttdato», KAREA",
                 lambda: get_ok(clients["karea"], "/deltakere/", {"vis": "alle", "arbeidsliste": "aktivitet_forfalt"})),
                ("tilbakeførte, hovedveileder", lambda: get_ok(clients["hovedveileder"], "/deltakere/tilbakeforte/")),
            ]:
                p50, p95, queries = timed(call)
                results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))
            for label, path in [
                ("PDF arbeidsevnevurdering", lambda: f"/deltakere/{pairs[0][0]}/vurdering/{pairs[0][1]}/pdf/"),
                ("PDF aktivitetsplan", lambda: f"/deltakere/{pairs[0][0]}/aktivitetsplan/pdf/"),
            ]:
                p50, p95, queries = timed(lambda path=path: get_ok(clients["veileder"], path()), runs=10)
                results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))
            raise Rollback
    except Rollback:
        pass
    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
