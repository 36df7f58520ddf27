"""The vedtak list (/vilkar/vedtak/): every vedtak of the user's offices for the vedtak unit,
leaders and the project leader, with filters, a search, sortable columns and pages; protected
persons left out; a fixed number of queries."""
import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, SakFactory, VedtakFactory, VilkarFactory
from tests.helpers import body, logged_in

DECIDED = {"fase": "vilkar_apne", "resultat": "innvilget", "vedtaksdato": datetime.date(2026, 2, 25)}


@pytest.fixture
def rows(alna, stovner, users):
    """At Alna: a vedtak with an open vilkår due 9 March, registered by the vedtak user; a lifted
    one; an application not decided; one of a protected person. At Stovner: one more."""
    waiting = VedtakFactory(sak=SakFactory(office=alna, saksnummer="A-1", hovedperson=PersonFactory(navn="Åse Ødegård")),
                            created_by=users["vedtak"], soknad_mottatt=datetime.date(2026, 2, 20), **DECIDED)
    VilkarFactory(vedtak=waiting, frist=datetime.date(2026, 3, 9))
    lifted = VedtakFactory(sak=SakFactory(office=alna, saksnummer="A-2", hovedperson=PersonFactory(navn="Bjørn Müller")),
                           soknad_mottatt=datetime.date(2026, 1, 10),
                           **{**DECIDED, "fase": "opphevet", "utbetaling": "frigitt"})
    VilkarFactory(vedtak=lifted, status="oppfylt", frist=datetime.date(2026, 1, 20),
                  vurdert_at=datetime.datetime(2026, 1, 21, 12, tzinfo=datetime.UTC))
    application = VedtakFactory(sak=SakFactory(office=alna, saksnummer="A-3", hovedperson=PersonFactory(navn="Carl Søker")),
                                soknad_mottatt=datetime.date(2026, 2, 27))
    hidden = VedtakFactory(sak=SakFactory(office=alna, saksnummer="A-4", hovedperson=PersonFactory(navn="Dina Beskyttet"),
                                          ektefelle=PersonFactory(navn="Ola Skjermet", skjermet=True)))
    other = VedtakFactory(sak=SakFactory(office=stovner, saksnummer="S-1", hovedperson=PersonFactory(navn="Eva Stovner")))
    return {"waiting": waiting, "lifted": lifted, "application": application, "hidden": hidden, "other": other}


def _listed(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'href="/vilkar/vedtak/(\d+)/"', body(response))]


@pytest.mark.parametrize("role", ["vedtak", "leder", "prosjektleder"])
def test_the_vedtak_unit_sees_every_vedtak_of_its_office(client, users, rows, role):
    response = logged_in(client, users[role]).get(reverse("vedtak-list"))
    assert _listed(response) == [rows["application"].pk, rows["waiting"].pk, rows["lifted"].pk]
    page = body(response)
    assert "3 vedtak." in page and "Eva Stovner" not in page and "Dina Beskyttet" not in page
    assert f'href="{reverse("vedtak-list")}"' in page  # the menu item
    assert client.get(reverse("vedtak-detail", args=[rows["waiting"].pk])).status_code == 200
    assert ('href="/vilkar/vedtak/ny/"' in page) == (role != "prosjektleder")


@pytest.mark.parametrize("role", ["veileder", "karea", "controller", "hovedveileder"])
def test_other_roles_have_no_vedtak_list(client, users, role):
    assert logged_in(client, users[role]).get(reverse("vedtak-list")).status_code == 403


def test_a_protected_household_is_listed_only_with_the_permission(client, users, rows):
    users["vedtak"].may_see_skjermet = True
    users["vedtak"].save()
    page = body(logged_in(client, users["vedtak"]).get(reverse("vedtak-list")))
    assert "4 vedtak." in page and "Dina Beskyttet" in page


def test_filters_and_search(client, users, rows):
    logged_in(client, users["leder"])
    url = reverse("vedtak-list")
    assert _listed(client.get(url, {"fase": "opphevet"})) == [rows["lifted"].pk]
    assert _listed(client.get(url, {"apne_vilkar": "on"})) == [rows["waiting"].pk]
    assert _listed(client.get(url, {"frist_for": "10.03.2026"})) == [rows["waiting"].pk]
    assert _listed(client.get(url, {"frist_for": "09.03.2026"})) == []
    assert _listed(client.get(url, {"saksbehandler": users["vedtak"].pk})) == [rows["waiting"].pk]
    assert _listed(client.get(url, {"sok": "MULLER"})) == [rows["lifted"].pk]
    assert _listed(client.get(url, {"sok": "ødeg"})) == [rows["waiting"].pk]
    assert _listed(client.get(url, {"sok": "a-3"})) == [rows["application"].pk]
    assert _listed(client.get(url, {"sok": "S-1"})) == []
    assert _listed(client.get(url, {"sok": "beskyttet"})) == []


def test_a_fodselsnummer_is_refused_in_the_lists_search(client, users, rows):
    fnr = rows["waiting"].sak.hovedperson.fnr
    response = logged_in(client, users["vedtak"]).get(reverse("vedtak-list"), {"sok": fnr})
    page = body(response)
    assert "Søk på fødselsnummer i søkefeltet øverst på siden" in page
    assert _listed(response) == []  # nothing listed that could pass for the answer
    # The browser does not send 11 digits (a GET form): the field's pattern refuses them.
    assert 'pattern="(?!\\s*\\d(?:[ .\\-]?\\d){10}\\s*$).*"' in page


def test_columns_sort_by_a_whitelisted_key(client, users, rows):
    logged_in(client, users["vedtak"])
    url = reverse("vedtak-list")
    by_name = _listed(client.get(url, {"sorter": "navn"}))
    assert by_name.index(rows["lifted"].pk) < by_name.index(rows["application"].pk)  # Bjørn before Carl
    by_name_down = _listed(client.get(url, {"sorter": "-navn"}))
    assert by_name_down.index(rows["application"].pk) < by_name_down.index(rows["lifted"].pk)
    assert _listed(client.get(url, {"sorter": "saksnummer"})) == [rows["waiting"].pk, rows["lifted"].pk,
                                                                  rows["application"].pk]
    assert _listed(client.get(url, {"sorter": "-saksnummer"})) == [rows["application"].pk, rows["lifted"].pk,
                                                                   rows["waiting"].pk]
    assert _listed(client.get(url, {"sorter": "mottatt"}))[0] == rows["lifted"].pk
    assert _listed(client.get(url, {"sorter": "frist"}))[0] == rows["waiting"].pk
    # Anything else falls back to the newest application first.
    assert _listed(client.get(url, {"sorter": "sak__hovedperson__fnr"})) == _listed(client.get(url))
    page = body(client.get(url, {"sorter": "saksnummer", "fase": ""}))
    assert 'aria-sort="ascending"' in page and "sorter=-saksnummer" in page


def test_the_list_runs_a_fixed_number_of_queries(client, users, rows, alna, django_assert_num_queries):
    logged_in(client, users["vedtak"])
    url = reverse("vedtak-list")
    client.get(url, {"apne_vilkar": "on", "sorter": "frist"})
    with django_assert_num_queries(12) as few:
        client.get(url, {"apne_vilkar": "on", "sorter": "frist"})
    for number in range(6):
        vedtak = VedtakFactory(sak=SakFactory(office=alna, hovedperson=PersonFactory(navn=f"Flere {number}")),
                               created_by=users["leder"], **DECIDED)
        VilkarFactory(vedtak=vedtak)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(_listed(client.get(url, {"apne_vilkar": "on", "sorter": "frist"}))) == 7
