"""No cell a user or a register extract wrote runs as a formula in a CSV or XLSX the app writes
(OWASP's CSV-injection rule), read back from the files' bytes; numbers stay numbers."""
import csv
import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from alnaaktiv.actor import Actor
from alnaaktiv.spreadsheet import neutralise
from conditions import services as conditions_services
from reporting import renderers
from reporting.models import Target
from reporting.services import monthly_report_build, targets_ensure_prestudy
from tests import conditions_data as cdata

FORMULAS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "\tTabulert", "-2+3", "\rRetur"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_leading_formula_character_is_prefixed(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Kari Nordmann", "-1 234,50", "-5", "5000,00", 12, -3, 0.5, None, ""])
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert neutralise(value) == value


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_hand_over_csv_neutralises_names_from_the_registers(client, users, alna, frozen_today):
    for name in FORMULAS[:4]:
        made = cdata.vedtak(cdata.sak(alna, navn=name), users["vedtak"])
        cdata.fulfil(made, users["vedtak"])
        conditions_services.lifting_approve(
            oppheving=conditions_services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"])), actor=Actor.for_user(users["leder"]))
    client.force_login(users["vedtak"])
    text = cdata.export_csv(client)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert sorted(row["navn"] for row in rows) == sorted("'" + name for name in FORMULAS[:4])
    assert all(not row["navn"].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows)
    assert {row["belop"] for row in rows} == {"5000,00"}  # amounts are not touched


@pytest.fixture
def report_with_formula_target(db, alna):
    targets_ensure_prestudy()
    Target.objects.filter(code="oppmote").update(name='=HYPERLINK("http://x","Klikk")')
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False):
        return monthly_report_build(office=alna, month=datetime.date(2015, 3, 1), actor=Actor.operator())


def test_the_report_csv_neutralises_a_target_name(report_with_formula_target):
    text = renderers.render(report_with_formula_target, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    target = next(row for row in rows if row and row[0] == "oppmote")
    assert target[1] == '\'=HYPERLINK("http://x","Klikk")'
    assert target[2:4] == ["0", "0"]


def test_the_report_xlsx_stores_a_target_name_as_text_and_numbers_as_numbers(report_with_formula_target):
    workbook = load_workbook(io.BytesIO(renderers.render(report_with_formula_target, "xlsx")))
    row = next(r for r in workbook["Måltall"].iter_rows(min_row=2) if r[0].value == "oppmote")
    assert row[1].data_type == "s" and row[1].value == '\'=HYPERLINK("http://x","Klikk")'
    assert row[2].data_type == "n" and row[2].value == 0
