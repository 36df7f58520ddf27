"""The end-of-course survey in the monthly report (issue 16): answers of the month and office
only, means and spreads known by construction, left out under five answers, never the free texts;
the same numbers in JSON, CSV, XLSX, the page and the PDF."""
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from alnaaktiv.actor import Actor
from cases.models import Brukerundersokelse
from reporting import renderers
from reporting.builder import build_report_data
from reporting.services import monthly_report_build
from tests.helpers import body, pdf_text

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def answer(office, month=MARCH, *, first: int, rest: int = 3, fritekst: str = "") -> None:
    Brukerundersokelse.objects.create(office=office, maned=month, sporsmal_1=first, sporsmal_2=rest, sporsmal_3=rest,
                                      sporsmal_4=rest, sporsmal_5=rest, fritekst=fritekst)


@pytest.fixture
def five_answers(alna, stovner):
    for first in (5, 5, 4, 4, 3):
        answer(alna, first=first, fritekst="Takk til Kari på Furuset")
    answer(alna, datetime.date(2026, 2, 1), first=1)  # another month
    answer(stovner, first=1)  # another office


def test_the_survey_counts_the_months_answers_with_mean_and_spread(alna, five_answers):
    survey = build_report_data(alna, MARCH)["survey"]
    assert survey["answers"] == 5
    first = survey["questions"][0]
    assert (first["code"], first["text"]) == ("sporsmal_1", "Jeg ble møtt med respekt.")
    assert first["mean"] == 4.2
    assert first["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 2, "5": 2}
    assert survey["questions"][4]["mean"] == 3.0


def test_under_five_answers_the_means_and_spreads_are_left_out(alna):
    for first in (5, 4, 1, 2):
        answer(alna, first=first)
    survey = build_report_data(alna, MARCH)["survey"]
    assert survey["answers"] == 4
    assert all(question["mean"] is None and question["distribution"] is None for question in survey["questions"])


def test_the_survey_is_in_every_export_and_the_free_texts_in_none(alna, users, five_answers, client):
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.for_user(users["controller"]))
    contract = json.loads(renderers.render_json(report))
    assert contract["survey"]["answers"] == 5 and contract["survey"]["questions"][0]["mean"] == 4.2
    csv = renderers.render_csv(report).decode("utf-8-sig")
    assert "# Brukerundersøkelsen" in csv and "Jeg ble møtt med respekt.;4,2;0;0;1;2;2" in csv
    sheet = load_workbook(io.BytesIO(renderers.render_xlsx(report)))["Brukerundersøkelsen"]
    assert [cell.value for cell in sheet[2]] == ["Jeg ble møtt med respekt.", 4.2, 0, 0, 1, 2, 2]
    pdf = pdf_text(renderers.render_pdf(report))
    assert "Brukerundersøkelsen i mars 2026" in pdf and "4,2" in pdf
    client.force_login(users["controller"])
    page = body(client.get(reverse("report-detail", args=[report.pk])))
    assert "Brukerundersøkelsen i mars 2026" in page and "4,2" in page
    for text in (json.dumps(contract, ensure_ascii=False), csv, pdf, page):
        assert "Kari" not in text


def test_a_report_stored_before_the_survey_existed_still_renders(alna, users):
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.for_user(users["controller"]))
    report.data.pop("survey")
    report.save(update_fields=["data"])
    assert "Brukerundersøkelsen" not in renderers.render_csv(report).decode("utf-8-sig")
