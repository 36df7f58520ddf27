"""Building blocks for the group course tests: a course of an office, an enrolled participant
(in activity, through tests.conditions_data), a vilkår resting on the enrolment's activity, and a
participant's mapped areas."""
import datetime

from django.utils import timezone

from alnaaktiv.actor import Actor
from arbeidsboks import kurs_services as services
from arbeidsboks.models import Gruppekurs
from cases.models import Deltaker, Kartlegging, KartleggingOmrade
from conditions.models import Tilbud, Vilkar
from tests import conditions_data

TODAY = datetime.date(2026, 3, 4)  # a Wednesday; the courses start today
START = TODAY
END = datetime.date(2026, 3, 27)


def course(office, user, *, kapasitet: int = 12, navn: str = "Jobbklubb mars", leverandor: str = "nav",
           ukedager: str = "13", start=START, end=END) -> Gruppekurs:
    return services.course_create(
        office=office, actor=Actor.for_user(user), navn=navn, type="jobbklubb", innhold="CV, søknader og intervju",
        leverandor=leverandor, leverandor_navn="", rom="Møterom 2", kapasitet=kapasitet, startdato=start, sluttdato=end,
        ukedager=ukedager, klokkeslett_fra=datetime.time(9, 0), klokkeslett_til=datetime.time(11, 30))


def deltaker(office, **person_fields) -> Deltaker:
    """A participant in activity (may be enrolled: the place becomes an activity of the plan)."""
    return Deltaker.objects.get(sak=conditions_data.sak(office, **person_fields))


def enrol(kurs, who, user):
    return services.enrolment_create(kurs=kurs, deltaker=who, actor=Actor.for_user(user))


def course_vilkar(enrolment, vedtak_user) -> Vilkar:
    """A granted vedtak whose activity vilkår (80 % attendance) rests on the enrolment's activity."""
    made = conditions_data.vedtak(enrolment.deltaker.sak, vedtak_user, vilkar=("aktivitet",))
    vilkar = made.vilkar.get()
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.GRUPPEKURS, aktivitet=enrolment.aktivitet,
                                               enhet="oppmote_prosent", mengde=80)
    vilkar.refresh_from_db()
    return vilkar


def mapped(who: Deltaker, user, areas: dict[str, str]) -> Kartlegging:
    """The participant's kartlegging with `areas` (område → ressurs / barriere / begge)."""
    kartlegging = Kartlegging.objects.create(deltaker=who, started_on=TODAY - datetime.timedelta(days=20),
                                             started_by=user)
    for omrade, vurdering in areas.items():
        KartleggingOmrade.objects.create(kartlegging=kartlegging, omrade=omrade, vurdering=vurdering, notat="Notat")
    return kartlegging


def page_objects(office, users) -> dict:
    """URL kwargs for the access matrix (real clock): a NAV course of the office running from a
    week ago, on every weekday, with one participant in activity enrolled and today's session."""
    today = timezone.localdate()
    user = users["veileder"] if office.enhetsnummer == "0326" else users["veileder_stovner"]
    kurs = course(office, user, navn=f"Jobbklubb {office.enhetsnummer}", ukedager="12345",
                  start=today - datetime.timedelta(days=7), end=today + datetime.timedelta(days=30))
    enrolment = enrol(kurs, deltaker(office), user)
    samling = services.session_create(kurs=kurs, actor=Actor.for_user(user), dato=today)
    return {"gruppekurs": {"pk": kurs.pk}, "kursdeltakelse": {"pk": enrolment.pk}, "kurssamling": {"pk": samling.pk}}


def course_form(kurs, **changes) -> dict:
    """The course form as the page posts it, filled in from the course."""
    return {"navn": kurs.navn, "type": kurs.type, "innhold": kurs.innhold, "leverandor": kurs.leverandor,
            "leverandor_navn": kurs.leverandor_navn, "rom": kurs.rom, "kapasitet": str(kurs.kapasitet),
            "startdato": kurs.startdato.isoformat(), "sluttdato": kurs.sluttdato.isoformat(),
            "ukedager": list(kurs.ukedager), "klokkeslett_fra": f"{kurs.klokkeslett_fra:%H:%M}",
            "klokkeslett_til": f"{kurs.klokkeslett_til:%H:%M}"} | changes
