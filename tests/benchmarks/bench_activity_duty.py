"""Benchmark of issue 15's activity duty on a seeded database (not a test; pytest does not collect it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alnaaktiv_bench15 \
        .venv/bin/python -m tests.benchmarks.bench_activity_duty [--seed] [--keep]

needs `migrate`, `seed_demo`, `seed_scale --households 100000` and `bench_conditions --seed 100000`
in that database first. `--seed` then adds by bulk insert (once): an activity vilkår on 60 % of
the vedtak with open vilkår, most of them with an offer (meetings in Alna Aktiv, job search,
Arbeidsboks, a group course) and the rest with a reason for having none; meeting attendance of
the last 31 days on the meeting vilkår (about one meeting in five not met), weekly Arbeidsboks
lists of the last eight weeks (a third of them with unapproved absence over 20 %), job-search
applications on half the job-search vilkår, eight group courses with enrolled participants,
sessions and attendance, and kartlegging areas for half the office's active participants.

It then times the morning's breach detection (`detect_possible_breaches`) twice: the first run
finds and stores the possible breaches, the second finds nothing new; wall time and queries of
each. It approves a reduction or a stop on some of the new breaches (for the hand-over list),
times the pages of the breach workflow, the vilkår work list, the hand-over list and the course
pages in-process (Django test client as the demo users: middleware, views, templates and
database, no network) and building the monthly report, then removes the breaches, warnings and
reactions it made (unless `--keep`), so the next run measures a first detection again. Prints a
Markdown table."""
import argparse
import datetime
import os
import random
import statistics
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alnaaktiv.models import Office, User  # noqa: E402
from arbeidsboks.models import (  # noqa: E402
    Gruppekurs,
    Kursdeltakelse,
    Kursleverandor,
    Kursoppmote,
    Kurssamling,
    KursType,
)
from cases.models import Aktivitet, Deltaker, Kartlegging, KartleggingOmrade, Omrade  # noqa: E402
from conditions.models import (  # noqa: E402
    BruddGrunn,
    BruddStatus,
    Dokumentasjon,
    Fase,
    Forhandsvarsel,
    Jobbsoknad,
    Konsekvens,
    MuligBrudd,
    Sanksjon,
    SanksjonHendelse,
    Utbetaling,
    Vedtak,
    Vilkar,
)
from conditions.services.breaches import detect_possible_breaches  # noqa: E402
from reporting.builder import build_report_data  # noqa: E402
from tests.benchmarks.bench_cases import client_for, get_ok, timed  # noqa: E402

MARK = "Benk aktivitetsplikt"
# offer -> share of the new activity vilkår ("" = none, with a reason)
OFFERS = [("alna_aktiv", 0.45), ("jobbsoking", 0.20), ("plassering", 0.15), ("", 0.20)]
NO_SHOW_SHARE = 0.2
COURSES = 8
CHUNK = 5000


def _pick(rng: random.Random, shares) -> str:
    roll, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if roll < total:
            return value
    return shares[-1][0]


def _vilkar(vedtak_id, person_id, today, rng, *, tilbud, aktivitet_id=None) -> Vilkar:
    job_search = tilbud == "jobbsoking"
    frist = (today - datetime.timedelta(days=rng.randint(1, 40)) if job_search and rng.random() < 0.5
             else today + datetime.timedelta(days=rng.randint(10, 90)))
    return Vilkar(
        vedtak_id=vedtak_id, person_id=person_id, rolle="hovedperson", kind="aktivitet",
        hjemmel="sotjl_20a" if rng.random() < 0.4 else "sotjl_20", beskrivelse=f"{MARK}: {tilbud or 'uten tilbud'}",
        frist=frist, mengde=rng.randint(2, 5) if job_search else 80,
        enhet="soknader_per_uke" if job_search else "oppmote_prosent", tilbud=tilbud, aktivitet_id=aktivitet_id,
        uten_tilbud_grunn="" if tilbud else "Tilbudet er ikke på plass ennå; vilkåret gjelder oppmøte hos NAV.")


def _attendance(vilkar, *, kilde, ref, day, planned, attended, approved, hendelse, user) -> Dokumentasjon:
    return Dokumentasjon(
        vilkar=vilkar, type="oppmoteliste", mottatt=day, vurdering="godkjent", vurdert_av=user,
        planlagte_dager=planned, oppmotte_dager=attended, fravaer_godkjent=approved,
        fravaer_ikke_godkjent=planned - attended - approved, kilde=kilde, kilde_ref=ref, hendelse=hendelse,
        registrert_av=user)


def _enrol(rng, courses, pool, start, end, veileder) -> list[Kursdeltakelse]:
    """12-15 places taken on each course (each an activity of the plan) and three waiting."""
    enrolments, activities, waiting = [], [], []
    for kurs in courses:
        taken = rng.randint(12, 15)
        members, pool = pool[:taken + 3], pool[taken + 3:]
        for m, (deltaker_id, _person_id) in enumerate(members):
            if m < taken:
                activities.append(Aktivitet(deltaker_id=deltaker_id, type="kurs", beskrivelse=kurs.navn, fra_dato=start,
                                            til_dato=end, avtalt=True, status="gjennomfores", created_by=veileder))
                enrolments.append((kurs, deltaker_id))
            else:
                waiting.append(Kursdeltakelse(kurs=kurs, deltaker_id=deltaker_id, status="venteliste",
                                              venteliste_fra=timezone.now(), created_by=veileder))
    activities = Aktivitet.objects.bulk_create(activities)
    return Kursdeltakelse.objects.bulk_create([
        Kursdeltakelse(kurs=kurs, deltaker_id=deltaker_id, status="pameldt", plass_fra=start, aktivitet=aktivitet,
                       created_by=veileder)
        for (kurs, deltaker_id), aktivitet in zip(enrolments, activities, strict=True)] + waiting)


def _sessions(rng, courses, placed, vilkar, start, today, veileder) -> list[Dokumentasjon]:
    """Tuesday and Thursday sessions since the start with attendance; the last 31 days' sessions
    as documents on the enrolled participants' gruppekurs vilkår."""
    sessions, day = [], start
    while day <= today:
        if day.isoweekday() in (2, 4):
            sessions += [Kurssamling(kurs=kurs, dato=day, tema="Samling", oppmote_registrert_at=timezone.now(),
                                     oppmote_registrert_av=veileder, created_by=veileder) for kurs in courses]
        day += datetime.timedelta(days=1)
    sessions = Kurssamling.objects.bulk_create(sessions)
    by_course: dict[int, list] = {}
    for enrolment in placed:
        if enrolment.status == "pameldt":
            by_course.setdefault(enrolment.kurs_id, []).append(enrolment)
    attendance, documents = [], []
    for samling in sessions:
        for enrolment in by_course[samling.kurs_id]:
            oppmote = _pick(rng, [("mott", 0.85), ("gyldig_fravaer", 0.05), ("ikke_mott", 0.10)])
            attendance.append(Kursoppmote(samling=samling, deltakelse=enrolment, oppmote=oppmote, registrert_av=veileder))
            item = vilkar.get(enrolment.pk)
            if item is not None and samling.dato >= today - datetime.timedelta(days=31):
                documents.append(_attendance(
                    item, kilde="kurs", ref=f"samling:{samling.pk}:{enrolment.pk}", day=samling.dato, planned=1,
                    attended=int(oppmote == "mott"), approved=int(oppmote == "gyldig_fravaer"),
                    hendelse=f"{samling.kurs.navn}, samling {samling.dato:%d.%m.%Y}: {oppmote.replace('_', ' ')}",
                    user=veileder))
    Kursoppmote.objects.bulk_create(attendance, batch_size=CHUNK)
    return documents


def _courses(rng, office, today, veileder, open_vedtak_by_person, participants) -> tuple[list, list]:
    """Eight running courses with places taken, a short waiting list and sessions; a gruppekurs
    vilkår (on the enrolment's activity) for the enrolled who have a vedtak with open vilkår."""
    start, end = today - datetime.timedelta(weeks=6), today + datetime.timedelta(weeks=6)
    kinds = [KursType.AVKLARINGSKURS, KursType.JOBBKLUBB, KursType.NORSKKURS, KursType.KLART_JEG_KAN,
             KursType.TRIM_AVSPENNING, KursType.NORSKKURS, KursType.JOBBKLUBB, KursType.ANNET]
    courses = Gruppekurs.objects.bulk_create([
        Gruppekurs(office=office, navn=f"{MARK} kurs {n + 1}", type=kinds[n], innhold="Benkmerking",
                   leverandor=Kursleverandor.KAREA if n % 4 == 0 else Kursleverandor.NAV, rom="Rom 2", kapasitet=15,
                   startdato=start, sluttdato=end, ukedager="24", created_by=veileder)
        for n in range(COURSES)])
    with_vedtak = [d for d in participants if d[1] in open_vedtak_by_person]
    others = [d for d in participants if d[1] not in open_vedtak_by_person]
    rng.shuffle(with_vedtak)
    rng.shuffle(others)
    placed = _enrol(rng, courses, with_vedtak[:COURSES * 8] + others, start, end, veileder)
    person_of = dict(participants)
    vilkar = {}
    for enrolment in placed:
        person_id = person_of[enrolment.deltaker_id]
        if enrolment.status == "pameldt" and person_id in open_vedtak_by_person:
            vilkar[enrolment.pk] = _vilkar(open_vedtak_by_person[person_id], person_id, today, rng,
                                           tilbud="gruppekurs", aktivitet_id=enrolment.aktivitet_id)
    Vilkar.objects.bulk_create(list(vilkar.values()))
    return list(vilkar.values()), _sessions(rng, courses, placed, vilkar, start, today, veileder)


def _documents(rng, vilkar, today, veileder) -> list[Dokumentasjon]:
    """Meetings of the last 31 days, eight Arbeidsboks weeks, job-search applications."""
    documents = []
    monday = today - datetime.timedelta(days=today.weekday())
    for n, item in enumerate(vilkar):
        if item.tilbud == "alna_aktiv":
            for m in range(rng.randint(1, 5)):
                day = today - datetime.timedelta(days=rng.randint(0, 30))
                no_show, excused = rng.random() < NO_SHOW_SHARE, rng.random() < 0.05
                outcome = "ikke møtt" if no_show else ("gyldig fravær" if excused else "møtt")
                documents.append(_attendance(
                    item, kilde="mote", ref=f"benk-avtale:{n}:{m}", day=day, planned=1,
                    attended=int(not no_show and not excused), approved=int(excused and not no_show),
                    hendelse=f"Oppfølgingsmøte {day:%d.%m.%Y} kl. 10.00: {outcome}", user=veileder))
        elif item.tilbud == "plassering":
            absent_prone = rng.random() < 0.33
            for week in range(1, 9):
                day = monday - datetime.timedelta(weeks=week)
                unapproved = rng.randint(1, 3) if absent_prone else int(rng.random() < 0.1)
                approved = int(rng.random() < 0.1)
                documents.append(_attendance(
                    item, kilde="arbeidsboks", ref=f"benk-frammote:{n}:{week}", day=day, planned=5,
                    attended=5 - unapproved - approved, approved=approved,
                    hendelse=f"Arbeidstrening uken fra {day:%d.%m.%Y}: møtt {5 - unapproved - approved} av 5 dager",
                    user=veileder))
        elif item.tilbud == "jobbsoking" and rng.random() < 0.5:
            documents.append(Dokumentasjon(
                vilkar=item, type="jobbsoknader", mottatt=item.frist - datetime.timedelta(days=2), kilde="soknader",
                kilde_ref=f"benk-soknader:{n}", hendelse="2 jobbsøknader registrert av veileder", registrert_av=veileder))
    return documents


def _mapping(rng, participants, today, veileder) -> tuple[int, int]:
    """Kartlegging with two to five areas for half the office's mapped participants."""
    mapped = {deltaker_id for deltaker_id, _ in participants if rng.random() < 0.5}
    mapped -= set(Kartlegging.objects.filter(deltaker_id__in=mapped).values_list("deltaker_id", flat=True))
    kartlegginger = Kartlegging.objects.bulk_create(
        [Kartlegging(deltaker_id=deltaker_id, started_on=today - datetime.timedelta(days=rng.randint(10, 300)),
                     started_by=veileder) for deltaker_id in sorted(mapped)], batch_size=CHUNK)
    areas = [KartleggingOmrade(kartlegging=kartlegging, omrade=omrade, notat="Kort vurdering",
                               vurdering=_pick(rng, [("barriere", 0.45), ("ressurs", 0.4), ("begge", 0.15)]))
             for kartlegging in kartlegginger for omrade in rng.sample(Omrade.values, rng.randint(2, 5))]
    KartleggingOmrade.objects.bulk_create(areas, batch_size=CHUNK)
    return len(kartlegginger), len(areas)


@transaction.atomic
def seed() -> None:
    office = Office.objects.get(enhetsnummer="0326")
    if Vilkar.objects.filter(beskrivelse__startswith=MARK).exists():
        print("aktivitetsvilkårene finnes allerede")
        return
    rng = random.Random(15)
    today = timezone.localdate()
    veileder = User.objects.get(username="veileder")
    open_vedtak = list(Vedtak.objects.filter(office=office, fase=Fase.VILKAR_APNE)
                       .values_list("pk", "sak__hovedperson_id").order_by("pk"))
    open_vedtak_by_person = {person_id: vedtak_id for vedtak_id, person_id in open_vedtak}
    participants = list(Deltaker.objects.filter(office=office, status__in=["i_kartlegging", "avklart", "i_aktivitet"])
                        .values_list("pk", "person_id").order_by("pk"))
    vilkar = [_vilkar(vedtak_id, person_id, today, rng, tilbud=_pick(rng, OFFERS))
              for vedtak_id, person_id in open_vedtak if rng.random() < 0.6]
    Vilkar.objects.bulk_create(vilkar, batch_size=CHUNK)
    documents = _documents(rng, vilkar, today, veileder)
    course_vilkar, course_documents = _courses(rng, office, today, veileder, open_vedtak_by_person, participants)
    documents = Dokumentasjon.objects.bulk_create(documents + course_documents, batch_size=CHUNK)
    Jobbsoknad.objects.bulk_create([
        Jobbsoknad(dokumentasjon=document, arbeidsgiver=f"Arbeidsgiver {k}", dato=document.mottatt - datetime.timedelta(days=k))
        for document in documents if document.type == "jobbsoknader" for k in (1, 3)], batch_size=CHUNK)
    kartlegginger, areas = _mapping(rng, participants, today, veileder)
    print(f"  {len(vilkar) + len(course_vilkar)} aktivitetsvilkår, {len(documents)} dokumenter, "
          f"{kartlegginger} kartlegginger med {areas} områder")


def _counted(function) -> tuple[float, int, object]:
    """(seconds, queries, result) of one call."""
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return seconds, len(executed), result


def _sanctions(made: list[MuligBrudd], users) -> None:
    """A reduction or a stop approved on some of the new breaches, as the hand-over list shows them."""
    now, today = timezone.now(), timezone.localdate()
    chosen = [brudd for brudd in made if brudd.grunn == BruddGrunn.IKKE_MOTT][:150]
    Forhandsvarsel.objects.bulk_create([
        Forhandsvarsel(brudd=brudd, konsekvens=Konsekvens.STANS if n % 5 == 0 else Konsekvens.REDUKSJON,
                       belop=None if n % 5 == 0 else Decimal(500), periode_fra=None if n % 5 == 0 else today,
                       periode_til=None if n % 5 == 0 else today + datetime.timedelta(days=30),
                       svarfrist=today - datetime.timedelta(days=1), hva_skjedde="Ikke møtt", sendt_av=users["vedtak"],
                       sendt_at=now) for n, brudd in enumerate(chosen)])
    Sanksjon.objects.bulk_create([
        Sanksjon(brudd=brudd, vedtak_id=brudd.vilkar.vedtak_id,
                 konsekvens=Konsekvens.STANS if n % 5 == 0 else Konsekvens.REDUKSJON,
                 belop=None if n % 5 == 0 else Decimal(500), periode_fra=today,
                 periode_til=None if n % 5 == 0 else today + datetime.timedelta(days=30), begrunnelse="Ikke møtt",
                 status="godkjent", prepared_by=users["vedtak"], prepared_at=now, decided_by=users["leder"],
                 decided_at=now) for n, brudd in enumerate(chosen)])
    SanksjonHendelse.objects.bulk_create([
        SanksjonHendelse(vedtak_id=brudd.vilkar.vedtak_id, brudd=brudd, at=now, utfort_av=users["vedtak"], tekst=text)
        for brudd in chosen for text in ("Forhåndsvarsel sendt.", "Reaksjon vedtatt.")])
    MuligBrudd.objects.filter(pk__in=[brudd.pk for brudd in chosen]).update(status=BruddStatus.AVGJORT)
    Vedtak.objects.filter(pk__in=[brudd.vilkar.vedtak_id for n, brudd in enumerate(chosen) if n % 5 == 0]).update(
        utbetaling=Utbetaling.STOPPET)


def _clean(first_new_id: int) -> None:
    new = MuligBrudd.objects.filter(pk__gte=first_new_id)
    stopped = Sanksjon.objects.filter(brudd__in=new, konsekvens=Konsekvens.STANS).values_list("vedtak_id", flat=True)
    Vedtak.objects.filter(pk__in=list(stopped)).update(utbetaling=Utbetaling.HOLDT)
    Sanksjon.objects.filter(brudd__in=new).delete()
    Forhandsvarsel.objects.filter(brudd__in=new).delete()
    SanksjonHendelse.objects.filter(brudd__in=new).delete()
    MuligBrudd.dokumenter.through.objects.filter(muligbrudd_id__gte=first_new_id).delete()
    new.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", action="store_true", help="legg inn aktivitetsvilkår, oppmøte, kurs og kartlegging først")
    parser.add_argument("--keep", action="store_true", help="behold de mulige bruddene og reaksjonene benken lager")
    args = parser.parse_args()
    if args.seed:
        seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = Office.objects.get(enhetsnummer="0326")
    users = {name: User.objects.get(username=name) for name in ("vedtak", "leder", "prosjektleder")}
    activity = Vilkar.objects.filter(vedtak__office=office, kind="aktivitet", status="apen")
    no_shows = Dokumentasjon.objects.filter(kilde__in=["mote", "kurs"], fravaer_ikke_godkjent__gt=0,
                                            mottatt__gte=timezone.localdate() - datetime.timedelta(days=31))
    results = [("data", f"{Vedtak.objects.filter(office=office).count()} vedtak ved 0326, {activity.count()} åpne "
                        f"aktivitetsvilkår ({activity.exclude(tilbud='').count()} med tilbud), "
                        f"{Dokumentasjon.objects.count()} dokumenter, {no_shows.count()} ikke møtt siste 31 dager, "
                        f"{Gruppekurs.objects.filter(office=office).count()} kurs, "
                        f"{KartleggingOmrade.objects.count()} kartlagte områder", "", "")]
    last = MuligBrudd.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seconds, queries, made = _counted(detect_possible_breaches)
    by_reason = {grunn: sum(b.grunn == grunn for b in made) for grunn in BruddGrunn.values}
    results.append((f"deteksjon av mulige brudd, første kjøring, {len(made)} nye ({by_reason}) (s)",
                    f"{seconds:.2f}", "", str(queries)))
    seconds, queries, again = _counted(detect_possible_breaches)
    results.append((f"deteksjon av mulige brudd, andre kjøring, {len(again)} nye (s)", f"{seconds:.2f}", "", str(queries)))
    try:
        made = list(MuligBrudd.objects.filter(pk__gt=last).select_related("vilkar").order_by("pk"))
        _sanctions(made, users)
        # Fresh statistics for the tables the detection filled, as autovacuum has them within a
        # minute: planned on «empty», the breach list merge-joined all 160 000 vilkår by key.
        with connection.cursor() as cursor:
            for table in (MuligBrudd, MuligBrudd.dokumenter.through, SanksjonHendelse, Sanksjon, Forhandsvarsel):
                cursor.execute(f"ANALYZE {table._meta.db_table}")
        vedtak_user, leader, planner = client_for("vedtak"), client_for("leder"), client_for("prosjektleder")
        absence = next(b for b in made if b.grunn == BruddGrunn.FRAVAER)
        sanctioned = Sanksjon.objects.filter(brudd__pk__gt=last).select_related("brudd__vilkar").first()
        kurs = Gruppekurs.objects.filter(office=office, navn__startswith=MARK).order_by("pk").first()
        for label, call in [
            ("/vilkar/brudd/, vedtak", lambda: get_ok(vedtak_user, "/vilkar/brudd/")),
            ("bruddside (fravær, åtte uker bevis), vedtak", lambda: get_ok(vedtak_user, f"/vilkar/brudd/{absence.pk}/")),
            ("arbeidsliste /vilkar/, vedtak", lambda: get_ok(vedtak_user, "/vilkar/")),
            ("vedtaksside med hendelser og reaksjon, vedtak",
             lambda: get_ok(vedtak_user, f"/vilkar/vedtak/{sanctioned.brudd.vilkar.vedtak_id}/")),
            ("/innboks/mulige-brudd/, vedtak", lambda: get_ok(vedtak_user, "/innboks/mulige-brudd/")),
            ("startside, vedtak", lambda: get_ok(vedtak_user, "/")),
            ("overføringsliste /vilkar/utbetaling/ med reduksjoner og stans, leder",
             lambda: get_ok(leader, "/vilkar/utbetaling/")),
            ("/arbeidsboks/kurs/, prosjektleder", lambda: get_ok(planner, "/arbeidsboks/kurs/")),
            ("kursside (15 plasser, venteliste, samlinger), prosjektleder",
             lambda: get_ok(planner, f"/arbeidsboks/kurs/{kurs.pk}/")),
            ("/arbeidsboks/kurs/planlegging/, prosjektleder", lambda: get_ok(planner, "/arbeidsboks/kurs/planlegging/")),
        ]:
            p50, p95, queries = timed(call)
            results.append((label, f"{p50:.1f}", f"{p95:.1f}", str(queries)))
        month = timezone.localdate().replace(day=1)
        samples = []
        for _ in range(3):
            seconds, queries, _data = _counted(lambda: build_report_data(office, month))
            samples.append(seconds)
        results.append((f"månedsrapport 0326 {month:%m.%Y} (build_report_data) (s)", f"{statistics.median(samples):.2f}",
                        f"{max(samples):.2f}", str(queries)))
    finally:
        if not args.keep:
            _clean(last + 1)
    print("| måling | p50 ms | p95 ms | spørringer |\n| --- | --- | --- | --- |")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
