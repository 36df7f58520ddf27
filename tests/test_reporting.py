"""Targets and monthly reports (docs/domain.md §5–6, docs/contracts.md "Reports"): the builder's numbers
on a cohort with events on the month's last day and the day after, stored and closed months,
the four renderers, the pages and the beat schedule."""
import csv
import datetime
import io
import json
import random
import threading
from pathlib import Path

import pytest
import time_machine
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from alnaaktiv.actor import Actor
from alnaaktiv.demo import seed_demo
from alnaaktiv.fnr import KVINNE, MANN, make_synthetic_fnr
from alnaaktiv.models import AuditEntry
from cases.models import Deltaker, OskarRecord, RegisterSnapshot
from reporting import renderers, tasks
from reporting.builder import ReportError, build_report_data
from reporting.models import MonthlyReport, Target, TargetRevision
from reporting.services import monthly_report_build, monthly_report_close, targets_ensure_prestudy
from reporting.tasks import build_current_months_reports, build_last_months_reports, build_monthly_report_task
from tests.factories import deltaker_with_course
from tests.helpers import pdf_text
from tests.html import section
from tests.test_celery import worker, worker_process  # noqa: F401  (the real worker fixtures)

DATA = Path(__file__).parent / "data" / "report"
MARCH = datetime.date(2015, 3, 1)
LAST_DAY, DAY_AFTER = datetime.date(2015, 3, 31), datetime.date(2015, 4, 1)
TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
ACTIVITY_DUTY_SHEETS = ["Aktivitetsvilkår", "Mulige brudd og reaksjoner", "Kurs og gruppesamlinger"]


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def targets(db):
    """The pre-study's targets (a transactional test empties the data migration's rows)."""
    targets_ensure_prestudy()
    return {target.code: target for target in Target.objects.all()}


@pytest.fixture
def participant(make_person, alna):
    """A participant with the given (state, date[, rute/utfall]) events, in order."""

    def factory(*events, office=None, person=None, malgruppe="ovrige", **fields):
        return deltaker_with_course(events, person=person or make_person(), office=office or alna,
                                    malgruppe=malgruppe, **fields)

    return factory


def line(data: dict, code: str) -> dict:
    return next(target for target in data["targets"] if target["code"] == code)


# --- the builder -------------------------------------------------------------------------------

def test_the_contract_example_gives_the_expected_report(targets, alna):
    call_command("import_participants", str(DATA / "deltakere.csv"), "--office", "0326", stdout=io.StringIO())
    data = build_report_data(alna, MARCH)
    expected = json.loads((DATA / "expected.json").read_text())
    assert sorted(data["targets"], key=lambda t: t["code"]) == sorted(expected["targets"], key=lambda t: t["code"])
    assert data["participants_by_month"] == expected["participants_by_month"]
    assert data["tables"] == expected["tables"]
    assert "recipients" not in data  # no Oskar snapshot: no stock and no reduction target
    assert "reduksjon_sosialhjelp" not in {target["code"] for target in data["targets"]}


def test_events_on_the_months_last_day_count_and_the_day_after_do_not(targets, alna, participant):
    start = datetime.date(2015, 1, 5)
    participant(("henvist", start), ("mott", LAST_DAY))
    participant(("henvist", start), ("mott", DAY_AFTER))
    participant(("henvist", start), ("mott", start), ("i_kartlegging", LAST_DAY))
    participant(("henvist", start), ("mott", start), ("i_kartlegging", start), ("avklart", LAST_DAY, "arbeidsboks"))
    participant(("henvist", start), ("mott", start), ("i_kartlegging", start), ("avklart", DAY_AFTER, "statlig_tiltak"))
    participant(("henvist", start), ("mott", start), ("i_kartlegging", start), ("avklart", start, "jobbsoking"),
                ("avsluttet", LAST_DAY, "arbeid"))
    participant(("henvist", start), ("mott", start), ("i_kartlegging", start), ("avklart", start, "aap_ufore"),
                ("avsluttet", DAY_AFTER, "andre_rettigheter"))
    participant(("henvist", DAY_AFTER))

    data = build_report_data(alna, MARCH)
    counts = {t["code"]: (t["numerator"], t["denominator"]) for t in data["targets"]}
    assert counts == {
        "oppmote": (6, 7),  # the April meeting and the April referral are not counted
        "kartlegging_tilbudt": (5, 6),
        "arbeidsboks": (1, 6),
        "statlige_tiltak": (0, 6),  # its avklart date is 1 April
        "andre_aktiviteter": (1, 6),
        "aap_ufore_avklaring": (1, 6),
        "arbeid": (1, 3),
        "andre_rettigheter": (0, 3),  # its avsluttet date is 1 April
    }
    # Active at month end: referred by 31.03 and not ended by 31.03.
    assert data["participants_by_month"][-1]["total"] == 6


def test_met_compares_exactly_and_at_most_targets_are_met_below_the_value(targets, alna, participant):
    start = datetime.date(2015, 3, 2)
    for index in range(10):
        events = [("henvist", start)] + ([("mott", start)] if index < 9 else [])
        if index < 2:
            events += [("i_kartlegging", start), ("avklart", start, "aap_ufore")]
        participant(*events)
    data = build_report_data(alna, MARCH)
    assert line(data, "oppmote") | {} == {**line(data, "oppmote"), "value": 0.9, "met": True}  # 9/10 ≥ 90 %
    assert line(data, "aap_ufore_avklaring")["value"] == 0.2222 and line(data, "aap_ufore_avklaring")["met"] is False
    targets["aap_ufore_avklaring"].target = "0.3"
    targets["aap_ufore_avklaring"].save()
    assert line(build_report_data(alna, MARCH), "aap_ufore_avklaring")["met"] is True


def test_a_month_without_data_reports_zeros_and_no_values(targets, alna):
    data = build_report_data(alna, MARCH)
    assert {t["code"] for t in data["targets"]} == set(targets) - {"reduksjon_sosialhjelp"}
    assert all(t["numerator"] == 0 and t["denominator"] == 0 and t["value"] is None and t["met"] is None
               for t in data["targets"])
    assert data["participants_by_month"] == [
        {"month": "2015-03", "ungdom_20_24": 0, "eneforsorger": 0, "langtidsmottaker": 0, "ovrige": 0, "total": 0}
    ]
    assert data["tables"]["gender"]["total"]["total"] == 0
    assert set(data["tables"]["age_group"]) == {"19_og_under", "20_24", "25_29", "30_39", "40_49", "50_59",
                                                "60_og_over", "total"}


def test_the_four_tables_have_consistent_totals(targets, alna, participant, make_person):
    start = datetime.date(2015, 1, 5)
    for index, group in enumerate(["ungdom_20_24", "eneforsorger", "langtidsmottaker", "ovrige", "ovrige"]):
        person = make_person(fnr=make_synthetic_fnr(datetime.date(1960 + index * 9, 5, 1), MANN, random.Random(index)), landbakgrunn="oecd")
        participant(("henvist", start), person=person, malgruppe=group, arbeidssokerstatus="helt_ledig")
    data = build_report_data(alna, MARCH)
    for name, table in data["tables"].items():
        rows = [cells for key, cells in table.items() if key != "total"]
        for column in ["ungdom_20_24", "eneforsorger", "langtidsmottaker", "ovrige", "total"]:
            assert table["total"][column] == sum(row[column] for row in rows), (name, column)
        for cells in table.values():
            assert cells["total"] == sum(v for k, v in cells.items() if k != "total"), name
        assert table["total"]["total"] == 5
    assert data["tables"]["gender"]["mann"]["total"] == 5
    assert data["tables"]["background"]["oecd"]["ovrige"] == 2


def test_recipients_stock_baseline_inflow_and_outflow_come_from_the_oskar_snapshots(targets, alna, participant,
                                                                                      make_person):
    people = [make_person() for _ in range(6)]

    def snapshot(as_of, cases):
        snap = RegisterSnapshot.objects.create(office=alna, kind="oskar", as_of=as_of, content_hash=str(as_of),
                                               row_count=len(cases))
        for number in cases:
            OskarRecord.objects.create(snapshot=snap, saksnummer=f"S{number}", person=people[number], rolle="hovedperson",
                                       inntektstype="hovedinntekt", antall_barn=0, landbakgrunn="norge",
                                       stonad_maneder_siste_12=6)

    snapshot(datetime.date(2015, 1, 1), [0, 1, 2, 3, 4])  # baseline: the pilot starts 05.01
    snapshot(datetime.date(2015, 2, 28), [0, 1, 2, 3])
    snapshot(datetime.date(2015, 3, 31), [0, 1, 5])  # 2 and 3 left, 5 came
    snapshot(datetime.date(2015, 4, 1), [0])  # after the month: not counted
    participant(("henvist", datetime.date(2015, 1, 5)))
    data = build_report_data(alna, MARCH)
    assert data["recipients"] == {"baseline": 5, "stock": 3, "inflow": 1, "outflow": 2}
    assert line(data, "reduksjon_sosialhjelp") == {
        "code": "reduksjon_sosialhjelp", "numerator": 2, "denominator": 5, "value": 0.4, "target": 0.2,
        "comparison": ">=", "met": True,
    }


def test_the_office_setting_moves_the_pilot_start(targets, alna, participant):
    participant(("henvist", datetime.date(2015, 1, 5)), ("mott", datetime.date(2015, 1, 6)))
    participant(("henvist", datetime.date(2015, 3, 2)))
    alna.pilot_start = datetime.date(2015, 2, 1)
    alna.save()
    participant(("henvist", datetime.date(2015, 1, 20)), ("mott", datetime.date(2015, 2, 3)))
    data = build_report_data(alna, MARCH)
    # Referred before the pilot start: not counted, not even for a meeting after it.
    assert (line(data, "oppmote")["numerator"], line(data, "oppmote")["denominator"]) == (0, 1)
    assert [row["month"] for row in data["participants_by_month"]] == ["2015-02", "2015-03"]


def test_another_offices_participants_are_not_counted(targets, alna, stovner, participant):
    participant(("henvist", datetime.date(2015, 3, 2)), office=stovner)
    assert line(build_report_data(alna, MARCH), "oppmote")["denominator"] == 0
    assert line(build_report_data(stovner, MARCH), "oppmote")["denominator"] == 1


def test_the_builder_runs_a_fixed_number_of_queries(targets, alna, participant, django_assert_max_num_queries):
    for index in range(30):
        participant(("henvist", datetime.date(2015, 1, 5) + datetime.timedelta(days=index)), ("mott", LAST_DAY))
    # pilot start, targets, recipients, per month (3): measures, recipients, active; tables; funnel
    with django_assert_max_num_queries(20):
        build_report_data(alna, MARCH)


# --- storing, closing and the commands ---------------------------------------------------------

def test_the_build_command_stores_the_month_and_audits_it(targets, alna, participant):
    participant(("henvist", datetime.date(2015, 3, 2)))
    out = io.StringIO()
    call_command("build_monthly_report", "--office", "0326", "--month", "2015-03", stdout=out)
    report = MonthlyReport.objects.get(office=alna, month=MARCH)
    assert report.data["participants_by_month"][-1]["total"] == 1
    assert "Månedsrapport 2015-03 for NAV Alna (0326) er bygget" in out.getvalue()
    assert AuditEntry.objects.filter(object_type="reporting.monthlyreport", object_id=str(report.pk),
                                     action="create").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "0326", "--month", "2015-13"], "Ugyldig måned «2015-13»"),
        (["--office", "0326", "--month", "mars"], "Ugyldig måned «mars»"),
        (["--office", "9999", "--month", "2015-03"], "Ukjent kontor «9999»"),
        (["--office", "0326", "--month", "2027-01"], "Måneden 2027-01 har ikke begynt ennå."),
    ],
)
def test_bad_command_input_is_refused_in_norwegian_and_nothing_is_stored(targets, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_monthly_report", *args)
    assert not MonthlyReport.objects.exists()


def test_a_closed_month_refuses_rebuilds_everywhere(targets, alna, participant, users, client):
    participant(("henvist", datetime.date(2015, 3, 2)))
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    client.force_login(users["controller"])
    confirm = client.post(reverse("report-close", args=[report.pk])).content.decode()
    assert "Lukke mars 2015 for NAV Alna?" in confirm and "Det kan ikke angres." in confirm
    report.refresh_from_db()
    assert not report.is_closed  # not before the confirmation
    client.post(reverse("report-close", args=[report.pk]), {"bekreftet": "ja"})
    report.refresh_from_db()
    assert report.is_closed and report.closed_by == users["controller"]
    before = report.data
    participant(("henvist", datetime.date(2015, 3, 3)))

    with pytest.raises(ReportError, match="Måneden 2015-03 er lukket og kan ikke bygges på nytt."):
        monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    with pytest.raises(CommandError, match="er lukket"):
        call_command("build_monthly_report", "--office", "0326", "--month", "2015-03")
    response = client.post(reverse("report-build"), {"office": alna.pk, "month": "2015-03"}, follow=True)
    assert "Måneden 2015-03 er lukket og kan ikke bygges på nytt." in response.content.decode()
    report.refresh_from_db()
    assert report.data == before and report.build_state == "idle"


def test_closing_needs_a_built_month_that_is_over(targets, alna, users, client):
    client.force_login(users["controller"])
    current = MonthlyReport.objects.create(office=alna, month=datetime.date(2026, 11, 1))
    response = client.post(reverse("report-close", args=[current.pk]), {"bekreftet": "ja"}, follow=True)
    assert "er ikke bygget ennå" in response.content.decode()
    monthly_report_build(office=alna, month=datetime.date(2026, 11, 1), actor=Actor.operator())
    response = client.post(reverse("report-close", args=[current.pk]), {"bekreftet": "ja"}, follow=True)
    assert "Måneden 2026-11 er ikke over ennå og kan ikke lukkes." in response.content.decode()
    current.refresh_from_db()
    assert not current.is_closed


def test_the_project_leader_builds_but_only_the_controller_closes(targets, alna, users, client):
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    client.force_login(users["prosjektleder"])
    assert client.post(reverse("report-close", args=[report.pk]), {"bekreftet": "ja"}).status_code == 403
    body = client.get(reverse("report-list")).content.decode()
    assert "Lukk måneden" not in body and "Bygg på nytt" in body
    report.refresh_from_db()
    assert not report.is_closed


def test_export_builds_a_missing_month_and_writes_the_contract_json(targets, alna, tmp_path):
    call_command("import_participants", str(DATA / "deltakere.csv"), "--office", "0326", stdout=io.StringIO())
    out = tmp_path / "r.json"
    call_command("export_report", "--office", "0326", "--month", "2015-03", "--format", "json", "--out", str(out),
                 stdout=io.StringIO())
    data = json.loads(out.read_text())
    assert set(data) == {"office", "month", "generated_at", "targets", "participants_by_month", "tables",
                         "activity_duty", "survey"}
    assert data["office"] == "0326" and data["month"] == "2015-03"
    datetime.datetime.fromisoformat(data["generated_at"])
    assert MonthlyReport.objects.filter(office=alna, month=MARCH).exists()
    assert AuditEntry.objects.filter(action="export", object_type="reporting.monthlyreport").exists()


def test_export_refuses_a_missing_folder(targets, tmp_path):
    with pytest.raises(CommandError, match="finnes ikke"):
        call_command("export_report", "--office", "0326", "--month", "2015-03", "--format", "csv",
                     "--out", str(tmp_path / "nei" / "r.csv"))
    assert not MonthlyReport.objects.exists()


# --- renderers -----------------------------------------------------------------------------------

@pytest.fixture
def example_report(targets, alna):
    call_command("import_participants", str(DATA / "deltakere.csv"), "--office", "0326", stdout=io.StringIO())
    return monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())


def test_the_pdf_has_the_targets_tables_header_and_page_numbers(example_report):
    content = renderers.render(example_report, "pdf")
    reader = PdfReader(io.BytesIO(content))
    flat = pdf_text(content)
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    assert "Månedsrapport mars 2015" in flat and "NAV Alna (0326)" in flat
    assert f"Side 1 av {len(reader.pages)}" in flat
    for words in ["Henviste som møtte", "72,7", "Ikke nådd", "Nådd", "Aktive deltakere per måned",
                  "etter aldersgruppe", "etter kjønn", "etter landbakgrunn", "etter arbeidssøkerstatus"]:
        assert words in flat, words
    assert "Eksempel" not in flat  # no names


def test_the_xlsx_has_one_sheet_per_table_with_numbers_as_numbers(example_report):
    workbook = load_workbook(io.BytesIO(renderers.render(example_report, "xlsx")))
    assert workbook.sheetnames == ["Måltall", "Deltakere per måned", "Aldersgruppe", "Kjønn", "Landbakgrunn",
                                   "Arbeidssøkerstatus", *ACTIVITY_DUTY_SHEETS, "Brukerundersøkelsen"]
    targets = workbook["Måltall"]
    assert [cell.value for cell in targets[2]][:5] == ["oppmote", "Henviste som møtte", 8, 11, 0.7273]
    age = {row[0].value: row for row in workbook["Aldersgruppe"].iter_rows(min_row=2)}
    assert [cell.value for cell in workbook["Aldersgruppe"][1]] == [
        "Aldersgruppe", "Ungdom 20–24 år", "Eneforsørger", "Langtidsmottaker", "Øvrige", "Totalt"]
    assert age["20–24 år"][1].value == 1 and isinstance(age["Totalt"][5].value, int) and age["Totalt"][5].value == 8


def test_the_csv_has_one_section_per_table(example_report):
    text = renderers.render(example_report, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    sections = [row[0] for row in rows if row and row[0].startswith("# ")]
    assert sections == ["# Måltall", "# Deltakere per måned", "# Aldersgruppe", "# Kjønn", "# Landbakgrunn",
                        "# Arbeidssøkerstatus", *[f"# {title}" for title in ACTIVITY_DUTY_SHEETS],
                        "# Brukerundersøkelsen"]
    assert ["Totalt", "1", "1", "4", "2", "8"] in rows
    assert ["oppmote", "Henviste som møtte", "8", "11", "0,7273", "0,9", "minst", "ikke nådd"] in rows


@override_settings(REPORT_SUPPRESS_SMALL_NUMBERS=True)
def test_small_numbers_are_suppressed_when_the_setting_is_on(example_report):
    rows = list(csv.reader(io.StringIO(renderers.render(example_report, "csv").decode("utf-8-sig")), delimiter=";"))
    assert ["Totalt", "<5", "<5", "<5", "<5", "8"] in rows
    assert ["2015-01", "<5", "0", "<5", "0", "<5"] in rows
    data = json.loads(renderers.render(example_report, "json"))
    assert data["tables"]["gender"]["total"]["ovrige"] is None and data["tables"]["gender"]["total"]["total"] == 8
    assert data["participants_by_month"][0] == {"month": "2015-01", "ungdom_20_24": None, "eneforsorger": 0,
                                                "langtidsmottaker": None, "ovrige": 0, "total": None}
    assert data["targets"][0]["numerator"] == 8  # targets are not suppressed
    assert "Diagrammet er utelatt fordi små tall er skjult." in pdf_text(renderers.render(example_report, "pdf"))


# --- pages -----------------------------------------------------------------------------------

def test_the_report_list_shows_every_month_since_the_pilot_start(targets, alna, participant, users, client,
                                                                 django_assert_num_queries):
    participant(("henvist", datetime.date(2026, 8, 15)))
    monthly_report_build(office=alna, month=datetime.date(2026, 9, 1), actor=Actor.operator())
    client.force_login(users["controller"])
    # session, user, memberships, offices, reports, first referral; savepoints and session save
    with django_assert_num_queries(11):
        body = client.get(reverse("report-list")).content.decode()
    for month in ["November 2026", "Oktober 2026", "September 2026", "August 2026"]:
        assert month in body
    assert "Juli 2026" not in body
    assert body.count("Lukk måneden") == 1  # only the built month that is over


def test_building_from_the_page_stores_the_month_and_shows_it(targets, alna, users, client,
                                                              django_capture_on_commit_callbacks):
    client.force_login(users["controller"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-build"), {"office": alna.pk, "month": "2026-10"}, follow=True)
    assert "Månedsrapporten for oktober 2026 er bestilt." in response.content.decode()
    report = MonthlyReport.objects.get(office=alna, month=datetime.date(2026, 10, 1))
    assert report.data is not None and report.build_state == "idle" and report.generated_by == users["controller"]
    assert AuditEntry.objects.filter(username="controller", action="create", object_id=str(report.pk)).exists()


def test_a_build_in_progress_is_polled_and_not_queued_twice(targets, alna, users, client):
    report = MonthlyReport.objects.create(office=alna, month=datetime.date(2026, 10, 1), build_state="running",
                                          build_requested_at=TODAY - datetime.timedelta(minutes=5))
    client.force_login(users["controller"])
    row = client.get(reverse("report-status", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in row and "Bygges" in row and "Bygg" not in row.replace("Bygges", "")
    client.post(reverse("report-build"), {"office": alna.pk, "month": "2026-10"})
    report.refresh_from_db()
    assert report.build_state == "running" and report.data is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"office": "", "month": "2026-10"}, "Feltet er påkrevet."),
        ({"office": "OFFICE", "month": "oktober"}, "Skriv måneden som ÅÅÅÅ-MM"),
        ({"office": "STOVNER", "month": "2026-10"}, "Du har ikke tilgang til rapportene for dette kontoret."),
        ({"office": "OFFICE", "month": "2031-01"}, "Måneden 2031-01 har ikke begynt ennå."),
    ],
)
def test_bad_build_requests_are_refused_in_norwegian(targets, alna, stovner, users, client, data, message):
    data = {**data, "office": {"OFFICE": alna.pk, "STOVNER": stovner.pk}.get(data["office"], data["office"])}
    client.force_login(users["controller"])
    response = client.post(reverse("report-build"), data, follow=True)
    assert message in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_downloads_have_the_right_type_and_are_audited(example_report, users, client):
    client.force_login(users["controller"])
    for fmt, content_type in [("pdf", "application/pdf"), ("json", "application/json"), ("csv", "text/csv"),
                              ("xlsx", "application/vnd.openxmlformats")]:
        response = client.get(reverse("report-download", args=[example_report.pk, fmt]))
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
        assert f'filename="manedsrapport-0326-2015-03.{fmt}"' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(username="controller", action="export").count() == 4
    assert client.get(reverse("report-download", args=[example_report.pk, "exe"])).status_code == 404


def test_the_controller_sees_no_person_anywhere(example_report, users, client):
    client.force_login(users["controller"])
    names = list(Deltaker.objects.values_list("person__navn", "person__fnr"))
    pages = [reverse("start"), reverse("report-list"), reverse("report-detail", args=[example_report.pk])] + [
        reverse("report-download", args=[example_report.pk, fmt]) for fmt in ("json", "csv")
    ]
    for url in pages:
        body = client.get(url).content.decode("utf-8-sig")
        for name, fnr in names:
            assert name not in body and fnr not in body, url

    workbook = load_workbook(io.BytesIO(client.get(reverse("report-download", args=[example_report.pk, "xlsx"])).content))
    cells = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
    text = pdf_text(client.get(reverse("report-download", args=[example_report.pk, "pdf"])))
    for name, fnr in names:
        assert name not in cells and fnr not in cells and name not in text and fnr not in text
    assert not AuditEntry.objects.filter(username="controller").exclude(person_fnr="").exists()
    assert client.get(reverse("portfolio")).status_code == 403


def test_the_report_page_runs_a_fixed_number_of_queries(example_report, users, client, django_assert_num_queries):
    client.force_login(users["prosjektleder"])
    with django_assert_num_queries(9):
        body = client.get(reverse("report-detail", args=[example_report.pk])).content.decode()
    assert "Månedsrapport mars 2015 – NAV Alna" in body and "72,7" in body


def test_the_dashboard_shows_targets_met_or_not_funnel_and_trends_from_the_stored_report(
    example_report, users, client, django_assert_num_queries
):
    client.force_login(users["prosjektleder"])
    # 9 for the page and the stored report, 4 for the vedtak unit's counts, 3 for the open months,
    # 1 for the Arbeidsboks counts
    with django_assert_num_queries(19):
        body = client.get(reverse("start")).content.decode()
    assert "Fra månedsrapporten for mars 2015" in body
    assert "Henviste som møtte" in body and "Ikke nådd" in body and "Nådd" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 9  # 8 trends and the participants chart
    assert 'role="img"' in body and "<title id=" in body
    for label in ["Vilkår over frist", "Søknader nær eller over 14-dagersfristen", "Klare for oppheving",
                  "Måneder som er over og ikke lukket"]:
        assert label in body, label
    assert 'href="/vilkar/oppheving/"' not in body  # the project leader cannot open the lifting queue


def test_the_dashboard_says_when_no_report_is_built(targets, users, client):
    client.force_login(users["prosjektleder"])
    assert "Ingen månedsrapport er bygget ennå for NAV Alna" in client.get(reverse("start")).content.decode()


def test_another_offices_report_is_not_found(targets, stovner, users, client):
    report = monthly_report_build(office=stovner, month=MARCH, actor=Actor.operator())
    client.force_login(users["controller"])
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("report-download", args=[report.pk, "pdf"])).status_code == 404
    assert "NAV Stovner" not in client.get(reverse("report-list")).content.decode()


# --- targets in the admin, beat ----------------------------------------------------------------

def test_an_admin_change_of_a_target_is_kept_in_its_history_and_built_reports_keep_their_values(
    targets, alna, users, client
):
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    target = targets["oppmote"]
    client.force_login(users["admin"])
    response = client.post(reverse("admin:reporting_target_change", args=[target.pk]), {
        "name": target.name, "numerator": "mott", "denominator": "henvist", "target": "0.85", "comparison": ">=",
        "position": 1, "revisions-TOTAL_FORMS": 0, "revisions-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302
    revision = TargetRevision.objects.get(target=target)
    assert revision.values["target"] == "0.85" and revision.changed_by == users["admin"]
    report.refresh_from_db()
    assert line(report.data, "oppmote")["target"] == 0.9
    assert line(build_report_data(alna, MARCH), "oppmote")["target"] == 0.85


def test_an_admin_target_outside_zero_to_one_is_refused(targets, users, client):
    target = targets["oppmote"]
    client.force_login(users["admin"])
    response = client.post(reverse("admin:reporting_target_change", args=[target.pk]), {
        "name": target.name, "numerator": "mott", "denominator": "henvist", "target": "1.5", "comparison": ">=",
        "position": 1, "revisions-TOTAL_FORMS": 0, "revisions-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    target.refresh_from_db()
    assert str(target.target) == "0.9000" and not TargetRevision.objects.exists()


def test_the_targets_exist_right_after_migrate(db):
    assert set(Target.objects.values_list("code", flat=True)) == {
        "oppmote", "kartlegging_tilbudt", "arbeidsboks", "statlige_tiltak", "andre_aktiviteter",
        "aap_ufore_avklaring", "arbeid", "andre_rettigheter", "reduksjon_sosialhjelp",
    }


def test_beat_builds_last_months_report_on_the_first_at_six(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["build-last-months-reports"]
    assert entry["task"] == "reporting.tasks.build_last_months_reports"
    assert entry["schedule"] == crontab(minute=0, hour=6, day_of_month=1)
    assert settings.CELERY_TIMEZONE == "Europe/Oslo"


def test_the_scheduled_task_builds_last_month_for_every_office_and_leaves_closed_months(targets, alna, stovner):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 6, 0, tzinfo=datetime.UTC), tick=False):
        closed = monthly_report_build(office=stovner, month=datetime.date(2026, 11, 1), actor=Actor.operator())
        MonthlyReport.objects.filter(pk=closed.pk).update(status="closed", closed_at=datetime.datetime.now(datetime.UTC))
        assert build_last_months_reports() == ["0326"]
    assert MonthlyReport.objects.get(office=alna).month == datetime.date(2026, 11, 1)


def test_seed_demo_builds_every_month_once(db):
    with override_settings(ALLOW_SYNTHETIC_FNR=True):
        seed_demo()
        built = dict(MonthlyReport.objects.values_list("pk", "generated_at"))
        seed_demo()
    assert built and dict(MonthlyReport.objects.values_list("pk", "generated_at")) == built
    assert set(MonthlyReport.objects.values_list("office__enhetsnummer", flat=True)) == {"0326", "0328"}
    assert MonthlyReport.objects.filter(month=datetime.date(2026, 11, 1)).count() == 2


@pytest.mark.celery_worker
@pytest.mark.skipif(connection.vendor != "postgresql", reason="arbeideren deler databasen bare på PostgreSQL")
def test_a_real_worker_builds_a_requested_month(worker, transactional_db, targets, alna, participant):  # noqa: F811

    participant(("henvist", datetime.date(2015, 3, 2)), ("mott", datetime.date(2015, 3, 4)))
    report = MonthlyReport.objects.create(office=alna, month=MARCH, build_state="queued")
    assert build_monthly_report_task.apply_async(args=[report.pk, None], queue=worker).get(timeout=60) == "built"
    report.refresh_from_db()
    assert report.build_state == "idle"
    assert line(report.data, "oppmote") | {} == {**line(report.data, "oppmote"), "numerator": 1, "denominator": 1}


def test_beat_refreshes_this_months_report_every_morning_for_the_dashboard(settings, targets, alna, stovner):
    entry = settings.CELERY_BEAT_SCHEDULE["build-current-months-reports"]
    assert entry["schedule"] == crontab(minute=30, hour=5)
    assert build_current_months_reports() == ["0326", "0328"]
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {datetime.date(2026, 11, 1)}


def test_the_trend_ends_where_the_report_is_and_the_monthly_count_matches_the_tables(example_report):
    data = example_report.data
    assert [month["month"] for month in data["targets_by_month"]] == ["2015-01", "2015-02", "2015-03"]
    assert data["targets_by_month"][-1]["values"] == {line["code"]: line["value"] for line in data["targets"]}
    assert data["targets_by_month"][0]["values"]["oppmote"] == 1.0  # three referred in January, all met
    assert data["participants_by_month"][-1]["total"] == data["tables"]["gender"]["total"]["total"]


def test_a_build_lost_for_a_quarter_of_an_hour_can_be_requested_again(targets, alna, users, client,
                                                                   django_capture_on_commit_callbacks):
    report = MonthlyReport.objects.create(office=alna, month=datetime.date(2026, 10, 1), build_state="queued",
                                          build_requested_at=TODAY - datetime.timedelta(minutes=16))
    client.force_login(users["controller"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report-build"), {"office": alna.pk, "month": "2026-10"})
    report.refresh_from_db()
    assert report.build_state == "idle" and report.data is not None


def test_the_controllers_start_page_counts_months_not_closed(targets, alna, participant, users, client):
    participant(("henvist", datetime.date(2026, 8, 15)))
    report = monthly_report_build(office=alna, month=datetime.date(2026, 8, 1), actor=Actor.operator())
    MonthlyReport.objects.filter(pk=report.pk).update(status="closed", closed_at=TODAY)
    client.force_login(users["controller"])
    body = client.get(reverse("start")).content.decode()
    # September and October are over and open (never built counts); August is closed; November runs.
    assert '<a href="/rapporter/">Måneder som er over og ikke lukket</a>' in body
    assert '>2<span class="visually-hidden"> saker</span>' in body


def test_inflow_and_outflow_are_unknown_without_an_earlier_snapshot(targets, alna, make_person, participant):
    snap = RegisterSnapshot.objects.create(office=alna, kind="oskar", as_of=datetime.date(2015, 3, 5),
                                           content_hash="x", row_count=1)
    OskarRecord.objects.create(snapshot=snap, saksnummer="S1", person=make_person(), rolle="hovedperson",
                               inntektstype="hovedinntekt", antall_barn=0, landbakgrunn="norge", stonad_maneder_siste_12=6)
    participant(("henvist", datetime.date(2015, 3, 2)))
    assert build_report_data(alna, MARCH)["recipients"] == {"baseline": 1, "stock": 1, "inflow": None, "outflow": None}


@pytest.mark.parametrize(
    ("birth", "group"),
    [
        (datetime.date(1995, 3, 31), "20_24"),  # turns 20 on the month's last day
        (datetime.date(1995, 4, 1), "19_og_under"),  # turns 20 the day after
        (datetime.date(1955, 3, 31), "60_og_over"),
        (datetime.date(1955, 4, 1), "50_59"),
        (datetime.date(1990, 3, 31), "25_29"),
        (datetime.date(1990, 4, 1), "20_24"),
    ],
)
def test_the_age_group_is_the_age_on_the_months_last_day(targets, alna, participant, make_person, birth, group):
    person = make_person(fnr=make_synthetic_fnr(birth, KVINNE, random.Random(7)))
    participant(("henvist", datetime.date(2015, 3, 2)), person=person)
    table = build_report_data(alna, MARCH)["tables"]["age_group"]
    assert {row: cells["total"] for row, cells in table.items() if cells["total"]} == {group: 1, "total": 1}


def test_export_refuses_an_unknown_format_in_norwegian(targets, tmp_path):
    with pytest.raises(CommandError, match="Ukjent format «docx»: velg json, csv, xlsx eller pdf."):
        call_command("export_report", "--office", "0326", "--month", "2015-03", "--format", "docx",
                     "--out", str(tmp_path / "r.docx"))
    assert not MonthlyReport.objects.exists()


def test_one_offices_failure_does_not_stop_the_others(targets, alna, stovner, monkeypatch):
    real_build = tasks.monthly_report_build

    def failing_for_alna(*, office, month, actor):
        if office.enhetsnummer == "0326":
            raise RuntimeError("disk full")
        return real_build(office=office, month=month, actor=actor)

    monkeypatch.setattr(tasks, "monthly_report_build", failing_for_alna)
    assert tasks.build_current_months_reports() == ["0328"]
    assert list(MonthlyReport.objects.values_list("office__enhetsnummer", flat=True)) == ["0328"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_closing_and_rebuilding_at_once_never_change_a_closed_month(targets, alna, participant, users):
    participant(("henvist", datetime.date(2015, 3, 2)))
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    participant(("henvist", datetime.date(2015, 3, 3)))  # a rebuild would count two
    request = RequestFactory().post("/")
    request.user = users["controller"]
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, action):
        try:
            barrier.wait()
            action()
            outcomes[name] = "ok"
        except ReportError as error:
            outcomes[name] = str(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("close", lambda: monthly_report_close(report_id=report.pk, actor=Actor.from_request(request)))),
        threading.Thread(target=run, args=("build", lambda: monthly_report_build(office=alna, month=MARCH, actor=Actor.operator()))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.refresh_from_db()
    assert outcomes["close"] == "ok" and report.is_closed
    total = report.data["participants_by_month"][-1]["total"]
    if outcomes["build"] == "ok":
        assert total == 2 and report.generated_at <= report.closed_at  # built first, then closed
    else:
        assert outcomes["build"] == "Måneden 2015-03 er lukket og kan ikke bygges på nytt." and total == 1


def test_a_finished_build_is_announced_to_screen_readers_when_polled(targets, alna, users, client):
    report = monthly_report_build(office=alna, month=datetime.date(2026, 10, 1), actor=Actor.operator())
    client.force_login(users["controller"])
    row = client.get(reverse("report-status", args=[report.pk])).content.decode()
    assert "hx-trigger" not in row  # polling stops
    assert ('<div id="bygg-varsel" class="visually-hidden" aria-live="polite" hx-swap-oob="true">'
            "Månedsrapporten for oktober 2026 er bygget.</div>") in row


def test_a_build_is_announced_inside_the_offices_section(targets, alna, users, client,
                                                         django_capture_on_commit_callbacks):
    client.force_login(users["controller"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-build"), {"office": alna.pk, "month": "2026-10"})
    assert response.status_code == 302 and response["Location"] == f"{reverse('report-list')}#kontor-0326"
    body = client.get(response["Location"]).content.decode()
    office_section = section(body, "kontor-0326")
    assert 'role="status">Månedsrapporten for oktober 2026 er bestilt.' in office_section


def test_a_refused_build_is_told_in_the_offices_section_and_builds_nothing(targets, alna, users, client):
    client.force_login(users["controller"])
    response = client.post(reverse("report-build"), {"office": alna.pk, "month": "2031-01"}, follow=True)
    office_section = section(response.content.decode(), "kontor-0326")
    assert 'role="alert">Måneden 2031-01 har ikke begynt ennå.' in office_section
    assert not MonthlyReport.objects.exists()


def test_a_month_that_cannot_be_closed_is_refused_before_the_confirmation(targets, alna, users, client):
    current = MonthlyReport.objects.create(office=alna, month=datetime.date(2026, 11, 1))
    client.force_login(users["controller"])
    response = client.post(reverse("report-close", args=[current.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#kontor-0326")
    body = client.get(response["Location"]).content.decode()
    assert "Lukke november 2026" not in body
    assert "Måneden 2026-11 er ikke bygget ennå. Bygg den før du lukker den." in section(body, "kontor-0326")


def test_closing_confirms_what_is_closed_and_nothing_changes_without_it(targets, alna, participant, users, client):
    participant(("henvist", datetime.date(2015, 3, 2)))
    report = monthly_report_build(office=alna, month=MARCH, actor=Actor.operator())
    client.force_login(users["controller"])
    confirm = client.post(reverse("report-close", args=[report.pk]), {"bekreft": "ja"}).content.decode()
    assert "kan ikke endres etterpå" in confirm and "Ja, lukk mars 2015" in confirm
    assert "0326 NAV Alna" in confirm and 'name="bekreftet" value="ja"' in confirm
    report.refresh_from_db()
    assert not report.is_closed  # the old field name confirms nothing
    response = client.post(reverse("report-close", args=[report.pk]), {"bekreftet": "ja"})
    assert response["Location"] == f"{reverse('report-list')}#kontor-0326"
    body = client.get(response["Location"]).content.decode()
    assert "Mars 2015 er lukket. Tallene kan ikke endres lenger." in section(body, "kontor-0326")


def test_report_counts_are_written_with_thousands_separators():
    html = render_to_string("reporting/_report_body.html", {
        "level": 2, "prefix": "", "month_name": "mars 2015", "with_trends": False, "with_tables": True,
        "targets": [{"name": "Henviste som møtte", "numerator": 1250, "denominator": 12500, "value_text": "10,0 %",
                     "target_text": "minst 60 %", "met": False, "met_text": "ikke nådd"}],
        "recipients": [{"label": "Ved pilotstart", "value": 10250}],
        "participants_by_month": [{"month": "mars 2015", "cells": [1000, "–", 3, 1003]}],
        "group_labels": ["Ungdom", "Enslige", "Langtid"], "tables": [],
    })
    assert "1\u00a0250" in html and "12\u00a0500" in html and "10\u00a0250" in html and "1\u00a0003" in html
    assert "<td class=\"num\">–</td>" in html
