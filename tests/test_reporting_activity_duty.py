"""The activity duty in the monthly report (issue 15, item 6): every number known by
construction, on the month's first and last day and just outside, in another office too; and
the same numbers in JSON, CSV, XLSX and the PDF."""
import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from alnaaktiv.actor import Actor
from arbeidsboks import kurs_services
from conditions.models import Vilkar
from conditions.models.sanctions import Forhandsvarsel, MuligBrudd, Sanksjon
from reporting import renderers
from reporting.builder import build_report_data
from reporting.services import monthly_report_build
from tests import kurs_data
from tests.factories import VedtakFactory, VilkarFactory
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)
FIRST, LAST, BEFORE, AFTER = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2026, 2, 28),
                              datetime.date(2026, 4, 1))


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _activity_vilkar(office, *, decided: datetime.date, tilbud: str = "", status: str = "apen",
                     assessed: datetime.date | None = None) -> Vilkar:
    vedtak = VedtakFactory(sak__office=office, soknad_mottatt=decided - datetime.timedelta(days=3),
                           vedtaksdato=decided, resultat="innvilget", fase="vilkar_apne")
    assessed_at = (datetime.datetime.combine(assessed, datetime.time(12), tzinfo=datetime.UTC)
                   if assessed else None)
    return VilkarFactory(vedtak=vedtak, kind="aktivitet", hjemmel="sotjl_20", mengde=80, enhet="oppmote_prosent",
                         tilbud=tilbud, status=status, vurdert_at=assessed_at,
                         begrunnelse="Møtte ikke" if status == "ikke_oppfylt" else "")


@pytest.fixture
def cohort(alna, stovner):
    _activity_vilkar(alna, decided=FIRST, tilbud="alna_aktiv")
    _activity_vilkar(alna, decided=LAST, tilbud="plassering", status="oppfylt", assessed=LAST)
    _activity_vilkar(alna, decided=LAST)  # no offer
    _activity_vilkar(alna, decided=BEFORE, tilbud="alna_aktiv", status="ikke_oppfylt", assessed=FIRST)
    _activity_vilkar(alna, decided=BEFORE, tilbud="alna_aktiv", status="oppfylt", assessed=AFTER)
    _activity_vilkar(alna, decided=AFTER, tilbud="alna_aktiv")
    _activity_vilkar(stovner, decided=FIRST, tilbud="alna_aktiv", status="oppfylt", assessed=FIRST)


def test_activity_vilkar_are_counted_in_the_month_they_were_set_and_assessed(alna, cohort):
    duty = build_report_data(alna, MARCH)["activity_duty"]
    assert duty["vilkar"] == {"set": 3, "with_offer": 2, "fulfilled": 1, "broken": 1}


def test_every_export_carries_the_activity_duty(alna, users, cohort):
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.for_user(users["controller"]))
    assert json.loads(renderers.render_json(report))["activity_duty"]["vilkar"]["with_offer"] == 2
    csv_text = renderers.render_csv(report).decode("utf-8-sig")
    assert "# Aktivitetsvilkår" in csv_text and "Av disse: med tilbud;2" in csv_text
    sheet = load_workbook(io.BytesIO(renderers.render_xlsx(report)))["Aktivitetsvilkår"]
    assert ["Av disse: med tilbud", 2] in [[cell.value for cell in row] for row in sheet.iter_rows()]
    text = pdf_text(renderers.render_pdf(report))
    assert "Aktivitetsplikt i mars 2026" in text and "Av disse: med tilbud" in text


def _breach(vilkar, *, found: datetime.date, status: str = "til_vurdering", closed: datetime.date | None = None,
            closer=None):
    at = datetime.datetime.combine(found, datetime.time(6), tzinfo=datetime.UTC)
    return MuligBrudd.objects.create(
        vilkar=vilkar, office=vilkar.vedtak.office, grunn="ikke_mott", periode=found, bevis="Ikke møtt", status=status,
        oppdaget_at=at, lukket_av=closer,
        lukket_at=datetime.datetime.combine(closed, datetime.time(12), tzinfo=datetime.UTC) if closed else None,
        lukket_grunn="Gyldig fravær" if closed else "")


def _sanction(breach, preparer, leader, *, konsekvens: str, decided: datetime.date, belop=None, status="godkjent",
              ended: datetime.date | None = None):
    at = datetime.datetime.combine(decided, datetime.time(12), tzinfo=datetime.UTC)
    return Sanksjon.objects.create(
        brudd=breach, vedtak=breach.vilkar.vedtak, konsekvens=konsekvens, belop=belop, periode_fra=decided,
        periode_til=decided + datetime.timedelta(days=30) if belop else None, begrunnelse="Møtte ikke",
        status=status, prepared_by=preparer, prepared_at=at, decided_by=leader, decided_at=at,
        avsluttet_dato=ended, avsluttet_av=leader if ended else None, avsluttet_at=at if ended else None,
        avsluttet_grunn="Møter igjen" if ended else "")


def test_breaches_warnings_and_reactions_are_counted_in_their_month_with_kroner(alna, stovner, users):
    vilkar = _activity_vilkar(alna, decided=BEFORE, tilbud="alna_aktiv")
    _breach(vilkar, found=BEFORE)
    _breach(vilkar, found=FIRST, status="lukket", closed=LAST, closer=users["vedtak"])
    warned = _breach(vilkar, found=datetime.date(2026, 3, 10), status="avgjort")
    Forhandsvarsel.objects.create(brudd=warned, konsekvens="reduksjon", belop=Decimal("1500"), periode_fra=FIRST,
                                  periode_til=LAST, svarfrist=datetime.date(2026, 3, 17), hva_skjedde="Ikke møtt",
                                  sendt_av=users["vedtak"], sendt_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    _sanction(warned, users["vedtak"], users["leder"], konsekvens="reduksjon", belop=Decimal("1500"), decided=LAST)
    stopped = _breach(vilkar, found=datetime.date(2026, 3, 11), status="avgjort")
    _sanction(stopped, users["vedtak"], users["leder"], konsekvens="stans", decided=datetime.date(2026, 3, 20),
              status="avsluttet", ended=LAST)
    pending = _breach(vilkar, found=datetime.date(2026, 3, 12), status="avgjort")
    Sanksjon.objects.create(brudd=pending, vedtak=vilkar.vedtak, konsekvens="stans", periode_fra=LAST,
                            begrunnelse="Venter", prepared_by=users["vedtak"],
                            prepared_at=datetime.datetime(2026, 3, 31, 9, tzinfo=datetime.UTC))
    _breach(_activity_vilkar(stovner, decided=BEFORE, tilbud="alna_aktiv"), found=FIRST)
    assert build_report_data(alna, MARCH)["activity_duty"]["breaches"] == {
        "opened": 4, "closed": 1, "warnings_sent": 1, "reductions": 1, "reductions_kr": 1500.0, "stops": 1,
        "stops_kr": 5000.0, "stops_lifted": 1}
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.for_user(users["controller"]))
    assert "Reduksjoner vedtatt (kr);1500,0" in renderers.render_csv(report).decode("utf-8-sig")  # Norwegian Excel


def test_course_places_sessions_and_attendance_are_counted_for_the_month(alna, users):
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC), tick=False):
        kurs = kurs_data.course(alna, users["veileder"], kapasitet=12)
        first, second = (kurs_data.enrol(kurs, kurs_data.deltaker(alna), users["veileder"]) for _ in range(2))
        session = kurs_services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]), dato=kurs_data.TODAY)
        kurs_services.session_attendance_register(samling=session, actor=Actor.for_user(users["veileder"]),
                                                  rows={first.pk: "mott", second.pk: "ikke_mott"})
    courses = build_report_data(alna, MARCH)["activity_duty"]["courses"]
    assert courses == {"running": 1, "capacity": 12, "places_held": 2, "places_given": 2, "waiting": 0, "sessions": 1,
                       "attended": 1, "approved_absence": 0, "no_show": 1}
    assert build_report_data(alna, datetime.date(2026, 2, 1))["activity_duty"]["courses"]["running"] == 0
