"""Lists like a spreadsheet (issue 14, part 8): sortable column headers (alnaaktiv.sorting, the
{% sort_header %} tag) and the portfolio's XLSX export with the list's filters and sort."""
import datetime
import io
import re

import pytest
import time_machine
from django.db.models import F
from django.http import QueryDict
from openpyxl import load_workbook

from alnaaktiv import sorting
from alnaaktiv.models import AuditEntry, Role
from conditions.models import Vilkar
from tests import conditions_data, factories

EXPORT = "/deltakere/eksport.xlsx"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def portfolio(alna, stovner, users, make_deltaker, make_person):
    """Four Alna participants (one a protected person), one in Stovner."""
    rows = {
        "berit": make_deltaker(("kandidat", "henvist"), person=make_person(navn="Berit Brun"),
                               start=datetime.date(2026, 2, 1), malgruppe="langtidsmottaker"),
        "anne": make_deltaker(("kandidat", "henvist", "mott"), person=make_person(navn="Anne Alm"),
                              start=datetime.date(2026, 1, 1), veileder=users["veileder"], malgruppe="ungdom_20_24"),
        "cecilie": make_deltaker(("kandidat", "henvist"), person=make_person(navn="=HYPERLINK(\"x\")"),
                                 start=datetime.date(2026, 2, 20), malgruppe="eneforsorger"),
        "skjult": make_deltaker(("kandidat", "henvist"), person=make_person(navn="Skjult Person",
                                                                           adressebeskyttelse="strengt_fortrolig")),
        "stovner": make_deltaker(("kandidat", "henvist"), person=make_person(navn="Stovner Person"), office=stovner),
    }
    return rows


def _names(response) -> list[str]:
    return re.findall(r'href="/deltakere/\d+/">([^<]+)</a>', response.content.decode())


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [tuple(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_each_header_sorts_and_a_second_click_reverses_keeping_the_filters(client, users, portfolio):
    client.force_login(users["prosjektleder"])
    page = client.get("/deltakere/", {"vis": "alle", "status": "henvist"})
    body = page.content.decode()
    # The default (newest event first) is marked on its header, with a visible arrow.
    assert re.search(r'<th scope="col" aria-sort="descending"><a href="[^"]*sorter=-status_dato[^"]*"[^>]*>Siste hendelse '
                     r'<span aria-hidden="true">▼</span>', body)
    assert _names(page) == ["=HYPERLINK(&quot;x&quot;)", "Berit Brun"]
    link = re.search(r'<a href="(\?[^"]*sorter=navn[^"]*)"', body).group(1).replace("&amp;", "&")
    assert "vis=alle" in link and "status=henvist" in link
    by_name = client.get("/deltakere/" + link)
    assert _names(by_name) == ["=HYPERLINK(&quot;x&quot;)", "Berit Brun"]  # "=" sorts before letters
    assert 'aria-sort="ascending"><a href="?vis=alle&amp;status=henvist&amp;sorter=-navn"' in by_name.content.decode()
    reverse_link = "?vis=alle&status=henvist&sorter=-navn"
    assert _names(client.get("/deltakere/" + reverse_link)) == ["Berit Brun", "=HYPERLINK(&quot;x&quot;)"]
    # Målgruppe has no sort (its order would tell KAREA the Oskar groups apart): a plain header.
    assert "<th scope=\"col\">Målgruppe</th>" in body


@pytest.mark.parametrize("key, expected", [
    ("navn", ["Anne Alm", "Berit Brun"]),
    ("-navn", ["Berit Brun", "Anne Alm"]),
    ("status", ["Berit Brun", "Anne Alm"]),  # henvist < mott
    ("veileder", ["Anne Alm", "Berit Brun"]),  # no veileder last
    ("-veileder", ["Anne Alm", "Berit Brun"]),  # reversed, but no veileder stays last
    ("-status_dato", ["Anne Alm", "Berit Brun"]),  # oldest first
    ("ukjent", ["Berit Brun", "Anne Alm"]),  # unknown key: the default, newest first, no error
    ("-malgruppe", ["Berit Brun", "Anne Alm"]),  # not sortable: the default
])
def test_the_sort_keys_are_a_whitelist(client, users, portfolio, key, expected):
    client.force_login(users["prosjektleder"])
    response = client.get("/deltakere/", {"vis": "alle", "malgruppe": "", "sorter": key})
    assert response.status_code == 200
    assert [name for name in _names(response) if name in expected] == expected


def test_the_sorting_component_reverses_expressions_and_refuses_a_bad_default():
    columns = [sorting.Column("a", "A", (F("x").asc(nulls_last=True), "-id")), sorting.Column("b", "B")]
    order = sorting.Sorting(QueryDict("sorter=-a&side=3&q=1"), columns, default="a")
    [first, second] = order.order_by
    assert first.descending and first.nulls_last and second == "id"
    assert order.url("a") == "?sorter=a&q=1" and order.direction("a") == "descending"
    assert order.header("b") == {"label": "B", "sortable": False, "direction": None, "arrow": "", "url": ""}
    with pytest.raises(ValueError):
        sorting.Sorting(QueryDict(""), columns, default="b")


def test_the_export_has_the_lists_rows_in_its_order_with_fnr_for_nav(client, users, portfolio):
    client.force_login(users["prosjektleder"])
    query = {"vis": "alle", "sorter": "navn"}
    listed = client.get("/deltakere/", query)
    body = listed.content.decode()
    assert f'href="{EXPORT}?vis=alle&amp;sorter=navn" download>Last ned (Excel)</a>' in body
    response = client.get(EXPORT, query)
    assert response["Content-Disposition"] == 'attachment; filename="deltakere-2026-03-02.xlsx"'
    header, *rows = _sheet(response)
    assert header == ("Navn", "Fødselsnummer", "Status", "Status fra", "Målgruppe", "Veileder", "Neste steg")
    assert [row[0] for row in rows] == ["'=HYPERLINK(\"x\")", "Anne Alm", "Berit Brun"]  # a formula stays text
    assert len(rows) == listed.context["page"].paginator.count
    anne = rows[1]
    assert anne[1] == portfolio["anne"].person.fnr and anne[2] == "Møtt" and anne[4] == "Ungdom 20–24 år"
    assert anne[3] == datetime.datetime(2026, 1, 3) and anne[5] == "veileder"  # full name, else username
    assert rows[2][4] == "Langtidsmottaker" and rows[2][5] == "Ikke tildelt"
    assert "Skjult Person" not in str(rows) and "Stovner Person" not in str(rows)
    # Filters travel; a work list or status filter narrows the export as it narrows the list.
    header, *only = _sheet(client.get(EXPORT, {"vis": "alle", "status": "mott"}))
    assert [row[0] for row in only] == ["Anne Alm"]


def test_the_export_is_audited_per_person_naming_the_user_and_the_list(client, users, portfolio):
    client.force_login(users["veileder"])
    before = AuditEntry.objects.count()
    client.get(EXPORT, {"vis": "alle", "status": "henvist"})
    entries = AuditEntry.objects.order_by("id")[before:]
    assert {entry.person_fnr for entry in entries} == {portfolio[name].person.fnr for name in ("berit", "cecilie")}
    assert {(entry.action, entry.username, entry.office, entry.path) for entry in entries} == {
        ("export", "veileder", "0326", f"{EXPORT}?vis=alle&status=henvist")}
    assert len({entry.request_id for entry in entries}) == 1
    # The list itself is not audited.
    client.get("/deltakere/", {"vis": "alle"})
    assert AuditEntry.objects.count() == before + 2


def test_karea_exports_without_fnr_or_oskar_malgruppe_and_without_candidates(client, users, portfolio, make_deltaker,
                                                                             make_person):
    make_deltaker(("kandidat",), person=make_person(navn="Bare Kandidat"))
    client.force_login(users["karea"])
    header, *rows = _sheet(client.get(EXPORT, {"sorter": "navn"}))
    assert "Fødselsnummer" not in header and len(header) == 6
    flat = str(rows)
    assert not any(portfolio[name].person.fnr in flat for name in portfolio)
    assert "Langtidsmottaker" not in flat and "Eneforsørger" not in flat
    assert [(row[0], row[3]) for row in rows] == [
        ("'=HYPERLINK(\"x\")", "Annen målgruppe"), ("Anne Alm", "Ungdom 20–24 år"), ("Berit Brun", "Annen målgruppe")]
    assert "Bare Kandidat" not in flat and "Skjult Person" not in flat


def test_a_user_karea_in_one_office_and_nav_in_another_gets_fnr_only_in_the_nav_office(client, alna, stovner, portfolio):
    both = factories.UserFactory(username="begge", memberships=[(alna, Role.KAREA), (stovner, Role.VEILEDER)])
    client.force_login(both)
    header, *rows = _sheet(client.get(EXPORT, {"vis": "alle", "sorter": "navn"}))
    by_name = {row[0]: row for row in rows}
    assert by_name["Stovner Person"][1] == portfolio["stovner"].person.fnr
    assert by_name["Anne Alm"][1] is None and by_name["Berit Brun"][4] == "Annen målgruppe"


@pytest.mark.parametrize("role, status", [("vedtak", 403), ("controller", 403), ("uten_rolle", 403)])
def test_roles_without_the_portfolio_get_no_export(client, users, portfolio, role, status):
    client.force_login(users[role])
    assert client.get(EXPORT).status_code == status
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_runs_a_fixed_number_of_queries(client, users, make_deltaker, django_assert_num_queries):
    client.force_login(users["prosjektleder"])
    for _ in range(3):
        make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    client.get(EXPORT, {"vis": "alle"})
    # session, user, memberships, the filter form's veiledere, the rows, the audit entries (one
    # insert), savepoints
    with django_assert_num_queries(11) as few:
        client.get(EXPORT, {"vis": "alle"})
    for _ in range(20):
        make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    with django_assert_num_queries(len(few.captured_queries)):
        header, *rows = _sheet(client.get(EXPORT, {"vis": "alle"}))
    assert len(rows) == 23


def test_the_activity_list_sorts_by_participant_and_due_date(client, users, alna):
    made = {}
    for name, days in (("Åse Sist", 3), ("Bjørn Først", 9)):
        case = conditions_data.sak(alna, navn=name)
        made[name] = conditions_data.vedtak(case, users["vedtak"], vilkar=("aktivitet",))
        Vilkar.objects.filter(vedtak=made[name]).update(frist=conditions_data.TODAY + datetime.timedelta(days=days))
    client.force_login(users["veileder"])

    def order(**query):
        body = client.get("/vilkar/aktivitet/", query).content.decode()
        return [name for name in re.findall(r'">([^<]+)</a></td>', body) if name in made], body

    names, body = order()
    assert names == ["Åse Sist", "Bjørn Først"]  # nearest due date first
    assert 'aria-sort="ascending"><a href="?sorter=-frist"' in body
    assert order(sorter="navn")[0] == ["Bjørn Først", "Åse Sist"]
    assert order(sorter="-frist")[0] == ["Bjørn Først", "Åse Sist"]
    assert order(sorter="beskrivelse")[0] == ["Åse Sist", "Bjørn Først"]
