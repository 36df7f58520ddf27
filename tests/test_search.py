"""The search in the header (/sok/): per role and office only what the user may open, names found
in part and without regard to case or diacritics, a fødselsnummer only by POST and audited,
protected persons absent without the permission, a fixed number of queries."""
import re

import pytest
from django.urls import reverse

from alnaaktiv import navigation
from alnaaktiv import search as search_page
from alnaaktiv.models import AuditEntry
from alnaaktiv.text import search_key
from cases.models import Person
from cases.selectors import PARTICIPANT_ROLES
from conditions.selectors import READERS
from tests.factories import SakFactory, VedtakFactory
from tests.helpers import body, logged_in


@pytest.fixture
def people(alna, stovner, make_person, make_deltaker):
    """At Alna: a referred participant with a vedtak on his sak, a mere candidate, a protected
    participant; at Stovner: a referred namesake."""
    kjell = make_person(navn="Kjéll Østby")
    kjell_sak = SakFactory(office=alna, saksnummer="ALNA-0001", hovedperson=kjell)
    hidden = make_person(navn="Kjell Hemmelig", adressebeskyttelse="fortrolig")
    hidden_sak = SakFactory(office=alna, saksnummer="ALNA-0002", hovedperson=hidden)
    stovner_kjell = make_person(navn="Kjell Stovnersen")
    stovner_sak = SakFactory(office=stovner, saksnummer="ALNA-0001", hovedperson=stovner_kjell)
    return {
        "kjell": make_deltaker(("kandidat", "henvist"), person=kjell, sak=kjell_sak),
        "candidate": make_deltaker(("kandidat",), person=make_person(navn="Kjellaug Kandidat")),
        "hidden": make_deltaker(("kandidat", "henvist"), person=hidden, sak=hidden_sak),
        "stovner": make_deltaker(("kandidat", "henvist"), person=stovner_kjell, office=stovner, sak=stovner_sak),
        "vedtak": VedtakFactory(sak=kjell_sak),
        "hidden_vedtak": VedtakFactory(sak=hidden_sak),
        "stovner_vedtak": VedtakFactory(sak=stovner_sak),
    }


def _search(client, term: str):
    return client.post(reverse("search"), {"sok": term})


def _links(response) -> set[str]:
    return set(re.findall(r'href="(/(?:deltakere|vilkar/vedtak)/\d+/)"', body(response)))


def _participant(deltaker) -> str:
    return reverse("participant-detail", args=[deltaker.pk])


def _vedtak(vedtak) -> str:
    return reverse("vedtak-detail", args=[vedtak.pk])


@pytest.mark.parametrize("role", ["veileder", "hovedveileder", "prosjektleder", "karea", "vedtak", "leder"])
def test_each_role_finds_by_name_only_what_it_may_open_in_its_office(client, users, people, role):
    response = _search(logged_in(client, users[role]), "kjell")
    expected = set()
    if role in PARTICIPANT_ROLES:
        expected |= {_participant(people["kjell"])}
        if role != "karea":  # KAREA sees participants from henvist on, never a candidate
            expected |= {_participant(people["candidate"])}
    if role in READERS:
        expected |= {_vedtak(people["vedtak"])}
    assert response.status_code == 200
    assert _links(response) == expected  # no other office, no protected person, nothing unopenable
    for link in expected:
        assert client.get(link).status_code == 200
    page = body(response)
    assert "Stovnersen" not in page and "Hemmelig" not in page
    assert ("Deltakere (" in page) == (role in PARTICIPANT_ROLES)
    assert ("Vedtak (" in page) == (role in READERS)


@pytest.mark.parametrize("role", ["controller", "admin", "uten_rolle"])
def test_roles_without_person_access_have_no_search(client, users, role):
    logged_in(client, users[role])
    assert client.get(reverse("search")).status_code == 403
    assert _search(client, "kjell").status_code == 403
    assert 'id="header-sok"' not in body(client.get(reverse("start")))


def test_the_header_box_posts_with_the_csrf_token_for_every_searching_role(client, users):
    assert set(PARTICIPANT_ROLES) | set(READERS) == navigation.SEARCH_ROLES
    for role in navigation.SEARCH_ROLES:
        page = body(logged_in(client, users[role]).get(reverse("start")))
        form = page[page.index('class="header-search'):]
        form = form[:form.index("</form>")]
        assert 'method="post"' in form and f'action="{reverse("search")}"' in form and 'role="search"' in form
        assert "csrfmiddlewaretoken" in form and '<label class="visually-hidden" for="header-sok">' in form


def test_names_are_found_in_part_whatever_the_case_and_accents(client, users, people):
    logged_in(client, users["veileder"])
    for term in ["kjell", "KJELL", "Kjéll", "østby", "ØSTBY", "jell øst"]:
        assert _links(_search(client, term)) >= {_participant(people["kjell"])}, term
    # Æ, ø and å are letters of their own (docs/contracts.md): «ostby» is not «Østby».
    assert _links(_search(client, "ostby")) == set()


def test_norwegian_letters_stay_letters():
    assert search_key("Kjéll  ØSTBY Müller Åse") == "kjell østby muller åse"
    assert search_key("Ærlig Straße") == "ærlig strasse"


def test_the_search_name_follows_the_name(people):
    person = people["kjell"].person
    person.navn = "Kjell Ændret"
    person.save(update_fields=["navn"])
    assert Person.objects.get(pk=person.pk).navn_sok == "kjell ændret"


@pytest.mark.parametrize("role", ["veileder", "vedtak"])
def test_a_protected_person_is_found_only_with_the_permission(client, users, people, role):
    hidden_links = {_participant(people["hidden"])} if role == "veileder" else {_vedtak(people["hidden_vedtak"])}
    logged_in(client, users[role])
    assert not _links(_search(client, "hemmelig"))
    assert not _links(_search(client, people["hidden"].person.fnr))
    assert not _links(_search(client, "ALNA-0002"))
    users[role].may_see_fortrolig = True
    users[role].save()
    assert _links(_search(client, "hemmelig")) == hidden_links
    assert _links(_search(client, "ALNA-0002")) == hidden_links


def test_fodselsnummer_finds_exactly_that_person_and_is_audited(client, users, people):
    fnr = people["kjell"].person.fnr
    response = _search(logged_in(client, users["prosjektleder"]), fnr[:6] + " " + fnr[6:])
    assert _links(response) == {_participant(people["kjell"]), _vedtak(people["vedtak"])}
    entry = AuditEntry.objects.get(person_fnr=fnr)
    assert (entry.username, entry.action, entry.path) == ("prosjektleder", "read", reverse("search"))
    assert fnr not in entry.path


def test_a_fodselsnummer_is_never_in_a_url(client, users, people):
    fnr = people["kjell"].person.fnr
    logged_in(client, users["veileder"])
    page = body(client.get(reverse("search")))
    assert re.search(r'<form method="post" action="/sok/"', page)
    # A query string is not read: the results come from the POST alone.
    assert _links(client.get(reverse("search"), {"sok": fnr})) == set()
    assert not AuditEntry.objects.filter(person_fnr=fnr).exists()
    response = _search(client, fnr)
    assert fnr not in response.request.get("QUERY_STRING", "") and response.status_code == 200
    assert f"?sok={fnr}" not in body(response)


def test_a_wrong_fodselsnummer_is_refused_at_the_field(client, users, people):
    fnr = people["kjell"].person.fnr
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    page = body(_search(logged_in(client, users["veileder"]), wrong))
    assert "Fødselsnummeret har feil kontrollsiffer." in page and f'value="{wrong}"' in page
    assert not AuditEntry.objects.filter(person_fnr=wrong).exists()


def test_karea_searches_names_only(client, users, people):
    logged_in(client, users["karea"])
    refused = body(_search(client, people["kjell"].person.fnr))
    assert "KAREA kan ikke søke på fødselsnummer. Søk på navn." in refused
    assert "Kjéll" not in refused
    assert "KAREA kan ikke søke på saksnummer. Søk på navn." in body(_search(client, "ALNA-0001"))
    assert _links(_search(client, "kandidat")) == set()


def test_a_saksnummer_finds_the_sak_in_the_users_offices_only(client, users, people):
    response = _search(logged_in(client, users["prosjektleder"]), "alna-0001")
    assert _links(response) == {_participant(people["kjell"]), _vedtak(people["vedtak"])}
    stovner = _search(logged_in(client, users["veileder_stovner"]), "ALNA-0001")
    assert _links(stovner) == {_participant(people["stovner"])}


def test_a_one_letter_name_is_refused(client, users, people):
    assert "Skriv minst 2 bokstaver av navnet." in body(_search(logged_in(client, users["veileder"]), "k"))


def test_results_are_capped(client, users, people, make_person, make_deltaker, monkeypatch):
    monkeypatch.setattr(search_page, "RESULT_CAP", 1)
    page = body(_search(logged_in(client, users["veileder"]), "kjell"))
    assert "Viser de 1 første treffene, avgrens søket." in page
    assert len(re.findall(r'href="/deltakere/\d+/"', page)) == 1


def test_the_search_runs_a_fixed_number_of_queries(client, users, people, make_person, make_deltaker,
                                                   django_assert_num_queries):
    logged_in(client, users["prosjektleder"])
    _search(client, "kjell")
    with django_assert_num_queries(12) as few:
        _search(client, "kjell")
    for number in range(5):
        person = make_person(navn=f"Kjell Flere{number}")
        sak = SakFactory(hovedperson=person, ektefelle=make_person(navn=f"Kjellrun Flere{number}"))
        make_deltaker(("kandidat", "henvist"), person=person, sak=sak)
        VedtakFactory(sak=sak)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(_links(_search(client, "kjell"))) == 3 + 5 * 2
