"""Benchmark of issue 5's budget on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_h5_bench \
        .venv/bin/python -m tests.benchmarks.bench_conditions [--seed 100000]

needs `migrate`, `seed_demo` and `seed_scale --households 100000` in that database first;
`--seed N` then adds N vedtak on NAV Alna's cases by bulk insert (once), with vilkår,
documentation and liftings spread over every phase. It measures the server time of the vedtak
unit's work list (/vilkar/), the lifting queue (/vilkar/oppheving/), the hand-over list and the
start page in-process (Django test client: middleware, views, templates and database, no
network), and their query counts. Prints a Markdown table."""
import argparse
import datetime
import os
import random
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv.models import Office, User  # noqa: E402
from cases.models import Sak  # noqa: E402
from conditions.models import (  # noqa: E402
    Dokumentasjon,
    Fase,
    Oppheving,
    Overforing,
    Utbetaling,
    Vedtak,
    Vilkar,
)
from tests.benchmarks.bench_cases import client_for, get_ok, timed  # noqa: E402

# phase -> share of the vedtak (a pilot office after some years: most are lifted)
MIX = [(Fase.OPPHEVET, 0.62), (Fase.VILKAR_APNE, 0.18), (Fase.AVSLAG, 0.08), (Fase.KLAR, 0.05),
       (Fase.SOKNAD, 0.04), (Fase.TIL_GODKJENNING, 0.03)]
CHUNK = 5000


@transaction.atomic
def seed(count: int) -> None:
    office = Office.objects.get(enhetsnummer="0326")
    if Vedtak.objects.filter(office=office).count() >= count:
        print(f"{count} vedtak finnes allerede")
        return
    user = User.objects.get(username="vedtak")
    leader = User.objects.get(username="leder")
    rng = random.Random(5)
    today = timezone.localdate()
    saker = list(Sak.objects.filter(office=office).values_list("pk", "hovedperson_id").order_by("pk")[:count])
    phases = [phase for phase, share in MIX for _ in range(round(share * count))][:count]
    rng.shuffle(phases)
    now = timezone.now()
    for start in range(0, len(saker), CHUNK):
        batch, kinds = saker[start:start + CHUNK], phases[start:start + CHUNK]
        vedtak = []
        for (sak_id, _), phase in zip(batch, kinds, strict=False):
            soknad = today - datetime.timedelta(days=rng.randint(1, 700) if phase != Fase.SOKNAD else rng.randint(0, 20))
            decided = phase != Fase.SOKNAD
            vedtak.append(Vedtak(
                office=office, sak_id=sak_id, soknad_mottatt=soknad, periode_fra=soknad,
                periode_til=soknad + datetime.timedelta(days=30), vedtaksdato=soknad + datetime.timedelta(days=5) if decided else None,
                resultat=("avslatt" if phase == Fase.AVSLAG else "innvilget") if decided else "",
                belop=Decimal(rng.randint(3000, 12000)), varslet_reduksjon=rng.random() < 0.8, fase=phase,
                utbetaling=Utbetaling.FRIGITT if phase == Fase.OPPHEVET else Utbetaling.HOLDT, created_by=user))
        Vedtak.objects.bulk_create(vedtak)
        vilkar, liftings = [], []
        for made, (_, person_id) in zip(vedtak, batch, strict=False):
            done = made.fase in (Fase.OPPHEVET, Fase.KLAR, Fase.TIL_GODKJENNING)
            for number in range(rng.randint(1, 2)):
                is_open = made.fase in (Fase.VILKAR_APNE, Fase.SOKNAD) and number == 0
                vilkar.append(Vilkar(
                    vedtak=made, person_id=person_id, rolle="hovedperson", kind="dokumentasjon", hjemmel="sotjl_20",
                    beskrivelse="Lever kvittering for betalt husleie", frist=made.soknad_mottatt + datetime.timedelta(days=21),
                    status="apen" if is_open or not done and made.fase != Fase.AVSLAG else "oppfylt",
                    vurdert_at=None if is_open or not done and made.fase != Fase.AVSLAG else now, vurdert_av=user))
            if made.fase in (Fase.OPPHEVET, Fase.TIL_GODKJENNING):
                approved = made.fase == Fase.OPPHEVET
                liftings.append(Oppheving(vedtak=made, status="godkjent" if approved else "forberedt", prepared_by=user,
                                          prepared_at=now, decided_by=leader if approved else None,
                                          decided_at=now if approved else None))
        for item in vilkar:
            if item.status == "apen" and item.vurdert_at is None:
                item.vurdert_av = None
        Vilkar.objects.bulk_create(vilkar)
        Dokumentasjon.objects.bulk_create([
            Dokumentasjon(vilkar=item, type="husleie", mottatt=item.frist - datetime.timedelta(days=3),
                          vurdering="godkjent" if item.status == "oppfylt" else ("" if rng.random() < 0.3 else "avvist"),
                          avvist_grunn="" if item.status == "oppfylt" else "Gjelder feil måned",
                          vurdert_av=user, registrert_av=user)
            for item in vilkar if item.status == "oppfylt" or rng.random() < 0.2
        ], batch_size=CHUNK)
        Oppheving.objects.bulk_create(liftings)
        Overforing.objects.bulk_create([
            Overforing(vedtak_id=lifting.vedtak_id, oppheving=lifting, office=office, belop=Decimal(5000), frigitt_at=now,
                       sendt_at=now if rng.random() < 0.995 else None, sendt_av=user)
            for lifting in liftings if lifting.status == "godkjent"
        ])
        print(f"  {start + len(batch)} vedtak")
    Dokumentasjon.objects.filter(vurdering="").update(vurdert_av=None, avvist_grunn="")
    Overforing.objects.filter(sendt_at=None).update(sendt_av=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0, help="legg inn så mange vedtak ved NAV Alna først")
    args = parser.parse_args()
    if args.seed:
        seed(args.seed)
    office = Office.objects.get(enhetsnummer="0326")
    counts = {phase: Vedtak.objects.filter(office=office, fase=phase).count() for phase in Fase.values}
    results = [("data", f"{sum(counts.values())} vedtak ved 0326 ({counts['klar']} klare, "
                        f"{counts['til_godkjenning']} til godkjenning, {counts['vilkar_apne']} med åpne vilkår), "
                        f"{Vilkar.objects.count()} vilkår, {Dokumentasjon.objects.count()} dokumenter", "", "")]
    vedtak_user, leader = client_for("vedtak"), client_for("leder")
    for label, call in [
        ("arbeidsliste /vilkar/, vedtak", lambda: get_ok(vedtak_user, "/vilkar/")),
        ("oppheving /vilkar/oppheving/, leder", lambda: get_ok(leader, "/vilkar/oppheving/")),
        ("overføringsliste /vilkar/utbetaling/", lambda: get_ok(leader, "/vilkar/utbetaling/")),
        ("startside, vedtak (fire tellinger)", lambda: get_ok(vedtak_user, "/")),
    ]:
        p50, p95, queries = timed(call)
        results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))
    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
