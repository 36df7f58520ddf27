"""Demo Arbeidsboks for seed_demo: the district's enterprises with work areas, a full work area
with a waiting list, placements (one ending soon) and attendance, one week missing, and three
group courses with enrolments, a waiting list, sessions and attendance. Made through
the services, dated from today; skipped when the office already has enterprises, so running
seed_demo twice changes nothing."""
import datetime
from decimal import Decimal

from django.db.models import Case, When
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import Office, User
from arbeidsboks import kurs_services, selectors, services
from arbeidsboks.models import (
    Arbeidsomrade,
    Gruppekurs,
    Kursdeltakelse,
    KursdeltakelseStatus,
    Nettverkskontakt,
    Plassering,
    PlasseringKind,
    PlasseringStatus,
    TiltakType,
    Virksomhet,
)
from cases.models import Aktivitet, Deltaker, Lopsstatus
from cases.services import MAPPED_STATES

# enterprise, type, contact, KAREA market contact, network, [(work area, capacity, hours, learnt)]
ENTERPRISES = {
    "0326": [
        ("Alna renhold og tekniske", "bydel", "Kari Driftsleder, 23 43 00 10", "Morten Marked",
         [("Tone Innkjøp", "innkjøpsleder")],
         [("Renhold", 4, "30", "Renholdsrutiner, maskiner og HMS; grunnlag for fagbrev i renhold"),
          ("Vaktmester og tekniske tjenester", 2, "37.5", "Enkelt vedlikehold, verktøy og arbeid etter arbeidsordre")]),
        ("Hjemmetjenesten", "bydel", "Hilde Avdelingsleder, 23 43 00 20", "Morten Marked",
         [("Siri Personal", "personalrådgiver")],
         [("Kjøkken og matombringing", 2, "30", "Kjøkkenhygiene, matlaging i storkjøkken og kjøring av mat"),
          ("Praktisk bistand", 2, "25", "Praktisk hjelp i hjemmet, brukerkontakt og dokumentasjon")]),
        ("KAREA verksted", "karea", "Kjell Verksted, 22 30 40 50", "Morten Marked", [],
         [("Montering og lager", 5, "30", "Lagerrutiner, truck-opplæring og montering")]),
        ("Furuset frivilligsentral", "frivillig", "Frida Frivillig, 90 00 00 01", "Anne Marked", [],
         [("Kafé", 2, "20", "Kundeservice, kasse og enkel matlaging")]),
    ],
    "0328": [
        ("Stovner bydelskafé", "bydel", "Stine Kafé, 23 44 00 00", "Anne Marked", [],
         [("Kafé og servering", 2, "25", "Servering, kasse og hygiene")]),
    ],
}


def _enterprises(office: Office, today: datetime.date) -> dict[str, Arbeidsomrade]:
    areas = {}
    for navn, kind, contact, market, network, work_areas in ENTERPRISES[office.enhetsnummer]:
        person, _, phone = contact.partition(", ")
        enterprise = Virksomhet.objects.create(office=office, navn=navn, type=kind, kontaktperson=person,
                                               kontakt_telefon=phone, markedskontakt=market,
                                               avtaledato=today - datetime.timedelta(days=200))
        for contact_name, rolle in network:
            Nettverkskontakt.objects.create(virksomhet=enterprise, navn=contact_name, rolle=rolle)
        for area_name, capacity, hours, learnt in work_areas:
            areas[area_name] = Arbeidsomrade.objects.create(
                virksomhet=enterprise, navn=area_name, kapasitet=capacity, normal_timer_per_uke=Decimal(hours),
                laeringsinnhold=learnt,
            )
    return areas


# (work area, start weeks ago, planned length in weeks)
PLAN = [("Kjøkken og matombringing", 6, 7), ("Kjøkken og matombringing", 4, 12), ("Renhold", 5, 12),
        ("Kjøkken og matombringing", 0, 8), ("Montering og lager", 3, 10)]
ENROLLED = [Lopsstatus.MOTT, Lopsstatus.I_KARTLEGGING, Lopsstatus.AVKLART, Lopsstatus.I_AKTIVITET]


def _place(enrolled: list[Deltaker], areas: dict[str, Arbeidsomrade], monday: datetime.date, actor: Actor) -> list[Plassering]:
    placements = []
    for deltaker, (area_name, weeks_ago, length) in zip(enrolled, PLAN, strict=False):
        start = monday - datetime.timedelta(weeks=weeks_ago)
        placements.append(services.placement_create(
            deltaker=deltaker, arbeidsomrade=areas[area_name], actor=actor, kind=PlasseringKind.ARBEIDSTRENING,
            startdato=start, planlagt_slutt=start + datetime.timedelta(weeks=length, days=-3), timer_per_uke=Decimal("20"),
            veileder_pa_stedet="Arbeidsleder på stedet", mal="Komme i gang med faste rutiner og møte presist hver dag",
            ikke_fortrengning=True, vilkar=selectors.attendance_vilkar_for(deltaker).first(),
        ))
    return placements


def _register_attendance(placements: list[Plassering], monday: datetime.date, actor: Actor) -> None:
    """Attendance for the weeks before last week; last week is left for the overview to flag."""
    for weeks_back in (3, 2):
        week = monday - datetime.timedelta(weeks=weeks_back)
        by_area: dict[int, list[dict]] = {}
        for placement in placements:
            if placement.status == PlasseringStatus.AKTIV and placement.startdato <= week:
                by_area.setdefault(placement.arbeidsomrade_id, []).append(
                    {"plassering": placement.pk, "oppmotte_timer": "16", "oppmotte_dager": 4,
                     "fravaer_godkjent_dager": 1, "fravaer_grunn": "Legetime"})
        for area_id, rows in by_area.items():
            services.attendance_register_week(arbeidsomrade=Arbeidsomrade.objects.get(pk=area_id), uke=week, rows=rows,
                                              actor=actor)


def seed_arbeidsboks(office: Office, users: dict[str, User]) -> None:
    if Virksomhet.objects.filter(office=office).exists():
        return
    today = timezone.localdate()
    areas = _enterprises(office, today)
    if office.enhetsnummer != "0326":
        return
    karea = Actor.for_user(users["karea"])
    enrolled = list(Deltaker.objects.filter(office=office, status__in=ENROLLED)
                    .select_related("person", "office").order_by("id"))
    monday = selectors.week_start(today)
    # Placed during the mapping or in activity; the avklart ones wait for their route's next step
    # (a placement would move them to «I aktivitet»).
    placements = _place([deltaker for deltaker in enrolled if deltaker.status != Lopsstatus.AVKLART], areas, monday,
                        karea)
    _register_attendance(placements, monday, karea)
    first = next((p for p in placements if p.status == PlasseringStatus.AKTIV), None)
    if first is not None:
        services.evaluation_create(plassering=first, actor=karea, dato=today, punktlighet=4, samarbeid=4, sprak=3,
                                   ferdigheter=3, initiativ=4, kommentar="Møter presist og tar imot veiledning.")
    avklart = [deltaker for deltaker in enrolled if deltaker.status == Lopsstatus.AVKLART]
    if avklart:
        services.state_measure_create(deltaker=avklart[-1], actor=Actor.for_user(users["veileder"]),
                                      type=TiltakType.ARBEID_MED_BISTAND, leverandor="Alna Bistand AS",
                                      fra=today - datetime.timedelta(days=14), oremerket=True)


# Group courses (issue 15): (name, kind, provider, other provider, capacity, start in days from today, length in
# days, weekdays, from, to, room)
COURSES = [
    ("Jobbklubb", "jobbklubb", "nav", "", 6, -14, 42, "13", datetime.time(10, 0), datetime.time(12, 0), "Møterom 2"),
    ("Trim og avspenning", "trim_avspenning", "karea", "", 8, -7, 28, "5", datetime.time(13, 0), datetime.time(14, 0),
     "KAREA verksted, gymsal"),
    ("Norskkurs A2", "norskkurs", "annen", "Alna voksenopplæring", 2, 7, 56, "24", datetime.time(9, 0),
     datetime.time(11, 30), "Furuset bibliotek"),
]
# Whom each course takes, by position among the office's participants who may be enrolled.
COURSE_PARTICIPANTS = {"Jobbklubb": [0, 1, 2, 3], "Trim og avspenning": [1, 4], "Norskkurs A2": [0, 2, 5]}


def _attend(samling, enrolments, actor: Actor) -> None:
    # Most come; every fourth line an excused absence, every seventh a no-show.
    rows = {}
    for n, enrolment in enumerate(enrolments, start=samling.dato.toordinal()):
        rows[enrolment.pk] = "ikke_mott" if n % 7 == 0 else "gyldig_fravaer" if n % 4 == 0 else "mott"
    kurs_services.session_attendance_register(samling=samling, actor=actor, rows=rows)


def seed_courses(office: Office, users: dict[str, User]) -> None:
    """Three courses: a running jobbklubb with sessions and attendance, KAREA's running trim, and
    a Norwegian course starting next week with a full class and one on its waiting list. The
    running courses' places count from their start, as if the participants were enrolled then."""
    if Gruppekurs.objects.filter(office=office).exists():
        return
    today = timezone.localdate()
    veileder = Actor.for_user(users["veileder"])
    # An avklart participant last, so only the course that has not started takes them: the course
    # stays avklart for the placement and mapping journeys (a running course moves it on).
    eligible = list(Deltaker.objects.filter(office=office, status__in=MAPPED_STATES).select_related("person", "office")
                    .order_by(Case(When(status=Lopsstatus.AVKLART, then=1), default=0), "id"))
    for navn, kind, provider, other, capacity, start_in, length, days, time_from, time_to, room in COURSES:
        start = today + datetime.timedelta(days=start_in)
        kurs = kurs_services.course_create(
            office=office, actor=veileder, navn=navn, type=kind, innhold="", leverandor=provider, leverandor_navn=other,
            rom=room, kapasitet=capacity, startdato=start, sluttdato=start + datetime.timedelta(days=length),
            ukedager=days, klokkeslett_fra=time_from, klokkeslett_til=time_to)
        for position in COURSE_PARTICIPANTS[navn]:
            if position < len(eligible):
                kurs_services.enrolment_create(kurs=kurs, deltaker=eligible[position], actor=veileder)
        kurs_services.sessions_generate(kurs=kurs, actor=veileder)
        if start < today:
            placed = Kursdeltakelse.objects.filter(kurs=kurs, status=KursdeltakelseStatus.PAMELDT)
            Aktivitet.objects.filter(kursdeltakelse__in=placed).update(fra_dato=start)
            placed.update(plass_fra=start)
            for samling in kurs.samlinger.filter(dato__lte=today).order_by("dato"):
                _attend(samling, list(kurs_services.session_enrolments(samling).order_by("id")), veileder)
