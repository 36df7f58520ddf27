"""The activity duty in the monthly report (issue 15, item 6): every number known by
construction, on the month's first and last day and just outside, in another office too; and
the same numbers in JSON, CSV, XLSX and the PDF."""
import datetime
import io
import json

import pytest
import time_machine
from openpyxl import load_workbook

from alnaaktiv.actor import Actor
from conditions.models import Vilkar
from reporting import renderers
from reporting.builder import build_report_data
from reporting.services import monthly_report_build
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
