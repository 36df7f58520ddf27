"""Building blocks for the Arbeidsboks tests: an enterprise with a work area, an enrolled
participant with a household case, and a granted vedtak with an attendance vilkår."""
import datetime
from decimal import Decimal

from alnaaktiv.actor import Actor
from arbeidsboks import services
from arbeidsboks.models import Arbeidsomrade
from cases.models import Deltaker
from conditions import services as conditions_services
from tests import conditions_data
from tests.factories import ArbeidsomradeFactory, FrammoteFactory, VirksomhetFactory

TODAY = datetime.date(2026, 3, 4)  # a Wednesday; last week starts Monday 23.02.2026
LAST_WEEK = datetime.date(2026, 2, 23)


def area(office, *, kapasitet: int = 2, navn: str = "Renhold", virksomhet: str = "Alna renhold og tekniske") -> Arbeidsomrade:
    return ArbeidsomradeFactory(virksomhet=VirksomhetFactory(office=office, navn=virksomhet), navn=navn,
                                kapasitet=kapasitet)


def deltaker(office) -> Deltaker:
    case = conditions_data.sak(office)
    return Deltaker.objects.get(sak=case)


def place(deltaker, work_area, user, *, start=datetime.date(2026, 2, 2), end=datetime.date(2026, 5, 29), vilkar=None,
          overlap_confirmed=False):
    return services.placement_create(
        deltaker=deltaker, arbeidsomrade=work_area, actor=Actor.for_user(user), kind="arbeidstrening", startdato=start,
        planlagt_slutt=end, timer_per_uke=Decimal("20"), veileder_pa_stedet="Ola Arbeidsleder",
        mal="Lære renholdsrutiner og møte presist", ikke_fortrengning=True, vilkar=vilkar,
        overlap_confirmed=overlap_confirmed,
    )


def attendance_vilkar(deltaker, vedtak_user, *, mengde: int = 80):
    """A granted vedtak on the participant's case with an 80 % attendance vilkår."""
    soknad = TODAY - datetime.timedelta(days=30)
    vedtak = conditions_services.vedtak_create(
        sak=deltaker.sak, actor=Actor.for_user(vedtak_user), soknad_mottatt=soknad, periode_fra=soknad,
        periode_til=soknad + datetime.timedelta(days=60), belop=Decimal("6000"), varslet_reduksjon=True,
    )
    vilkar = conditions_services.vilkar_create(
        vedtak=vedtak, actor=Actor.for_user(vedtak_user), person=deltaker.person, kind="aktivitet", hjemmel="sotjl_20a",
        beskrivelse="Møt på arbeidstrening i Arbeidsboks", frist=TODAY + datetime.timedelta(days=20),
        mengde=mengde, enhet="oppmote_prosent", tilbud="plassering",
    )
    conditions_services.vedtak_decide(vedtak=vedtak, actor=Actor.for_user(vedtak_user), resultat="innvilget",
                                      vedtaksdato=soknad + datetime.timedelta(days=2))
    vilkar.refresh_from_db()
    return vilkar


def page_objects(office, deltaker, users) -> dict:
    """URL kwargs for the access matrix: a work area of the office, a running placement of the
    office's referred participant in it and a saved week of its attendance."""
    work_area = area(office, navn=f"Kantine {office.enhetsnummer}")
    placement = place(deltaker, work_area, users["karea"])
    week = FrammoteFactory(plassering=placement, registrert_av=users["karea"])  # its first week, in full
    return {"arbeidsomrade": {"pk": work_area.pk}, "plassering": {"pk": placement.pk}, "frammote": {"pk": week.pk}}
