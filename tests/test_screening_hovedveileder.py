"""The hovedveileder and the screening (issue 14, part 4): reads the candidate list with the
columns the role needs, refers from it («Henvis»: enrol, then the participant page's referral
form), may not exclude, enrol in bulk or undo; the start card links to the candidates."""
import datetime

import pytest
from django.db import connection
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from cases import services
from cases.imports import import_registers
from cases.models import CourseEvent, Deltaker, Person, ScreeningExclusion
from cases.selectors import screen
from tests import factories
from tests.concurrency import race
from tests.extracts import arena_csv, arena_row, fnr_born, oskar_csv, oskar_row

D = datetime.date(2014, 10, 1)
PAGE = "/screening/"
QUERY = {"dato": "01.10.2014", "kontor": "0326"}


@pytest.fixture
def extract(alna, users):
    """Three candidates in Alna: Anne (with a spouse), Berit (already a kandidat participant) and
    Cecilie (already referred); Gro is excluded."""
    p = {name: fnr_born() for name in ["anne", "arne", "berit", "cecilie", "gro"]}
    oskar = [
        oskar_row("S1", p["anne"], navn="Anne Først", landbakgrunn="ikke_oecd"),
        oskar_row("S1", p["arne"], navn="Arne Ektefelle", rolle="ektefelle"),
        oskar_row("S2", p["berit"], navn="Berit Kandidat"),
        oskar_row("S3", p["cecilie"], navn="Cecilie Henvist"),
        oskar_row("S4", p["gro"], navn="Gro Ekskludert"),
    ]
    arena = [arena_row(p[name], "01.06.2013", innsatsgruppe="standard")
             for name in ["anne", "berit", "cecilie", "gro"]]
    import_registers(office=alna, as_of=D, oskar=oskar_csv(oskar), arena=arena_csv(arena), actor=Actor.operator())
    persons = {name: Person.objects.get(fnr=number) for name, number in p.items()}
    ScreeningExclusion.objects.create(office=alna, person=persons["gro"], reason="Rusproblemer",
                                      excluded_by=users["veileder"])
    factories.DeltakerFactory(person=persons["berit"], office=alna, status="kandidat", status_dato=D)
    factories.DeltakerFactory(person=persons["cecilie"], office=alna, status="henvist", status_dato=D)
    return persons


def _refer(client, person, kontor="0326"):
    return client.post(reverse("screening-refer"), {"kontor": kontor, "dato": "01.10.2014", "person": person.pk})


def test_the_hovedveileder_reads_the_candidates_without_the_screening_actions(client, users, extract,
                                                                              django_assert_num_queries):
    client.force_login(users["hovedveileder"])
    with django_assert_num_queries(14):  # as the veileder's page, less the exclusions
        response = client.get(PAGE, QUERY)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trakten for NAV Alna per 01.10.2014" in body  # counts only: names nobody
    assert "Anne Først" in body and extract["anne"].fnr in body and "Arne Ektefelle" in body
    # No case number, background, exclusions or their reasons; no buttons the role cannot use.
    assert "<th scope=\"col\">Sak</th>" not in body and "Landbakgrunn" not in body
    assert "Gro Ekskludert" not in body and "Rusproblemer" not in body and 'id="ekskluderte"' not in body
    for action in ("screening-enrol", "screening-exclude"):
        assert reverse(action) not in body
    assert "Registrer valgte" not in body and "<summary>Ekskluder" not in body
    # «Henvis»: a POST for Anne (not enrolled), a link to the referral form for Berit, none for Cecilie.
    berit = Deltaker.objects.get(person=extract["berit"])
    cecilie = Deltaker.objects.get(person=extract["cecilie"])
    assert body.count(f'action="{reverse("screening-refer")}"') == 1
    assert f'value="{extract["anne"].pk}"' in body
    assert f'href="{reverse("participant-detail", args=[berit.pk])}#henvis"' in body
    assert f'href="{reverse("participant-detail", args=[cecilie.pk])}#henvis"' not in body
    assert "Ja (henvist)" in body


@pytest.mark.parametrize("role", ["veileder", "prosjektleder"])
def test_the_screening_roles_keep_their_columns_and_get_no_henvis(client, users, extract, role):
    client.force_login(users[role])
    body = client.get(PAGE, QUERY).content.decode()
    assert "Landbakgrunn" in body and "Rusproblemer" in body and reverse("screening-enrol") in body
    assert reverse("screening-refer") not in body


def test_the_hovedveileder_may_not_exclude_enrol_or_undo(client, users, extract):
    client.force_login(users["hovedveileder"])
    exclusion = ScreeningExclusion.objects.get(person=extract["gro"])
    assert client.post(reverse("screening-exclude"), {**QUERY, "person": extract["anne"].pk,
                                                      "begrunnelse": "x", "bekreftet": "1"}).status_code == 403
    assert client.post(reverse("screening-enrol"), {**QUERY, "personer": [extract["anne"].pk]}).status_code == 403
    assert client.post(reverse("screening-exclusion-undo", args=[exclusion.pk]),
                       {"begrunnelse": "Feil", "dato": "01.10.2014"}).status_code == 403
    assert not Deltaker.objects.filter(person=extract["anne"]).exists()
    assert ScreeningExclusion.objects.filter(undone_at__isnull=True).count() == 1


@pytest.mark.parametrize("role", ["veileder", "prosjektleder", "karea", "controller"])
def test_only_the_hovedveileder_refers_from_the_list(client, users, extract, role):
    client.force_login(users[role])
    assert _refer(client, extract["anne"]).status_code == 403
    assert not Deltaker.objects.filter(person=extract["anne"]).exists()


def test_henvis_enrols_the_candidate_and_lands_on_the_referral_form(client, users, extract):
    client.force_login(users["hovedveileder"])
    response = _refer(client, extract["anne"])
    deltaker = Deltaker.objects.get(person=extract["anne"])
    assert (deltaker.status, deltaker.office.enhetsnummer, deltaker.sak.saksnummer) == ("kandidat", "0326", "S1")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('participant-detail', args=[deltaker.pk])}#henvis"
    entry = AuditEntry.objects.get(object_type="cases.deltaker", action="create")
    assert (entry.user, entry.person_fnr) == (users["hovedveileder"], extract["anne"].fnr)
    page = client.get(response["Location"]).content.decode()
    assert "er registrert som kandidat. Fyll ut henvisningen." in page
    assert 'id="henvis"' in page and reverse("participant-refer", args=[deltaker.pk]) in page
    # The referral itself is the participant page's, as before.
    client.post(reverse("participant-refer", args=[deltaker.pk]),
                {"reason": "Motivert for arbeid", "first_appointment": "10.12.2099 10:00",
                 "veileder": users["veileder"].pk, "sted": "Alna Aktiv"})
    deltaker.refresh_from_db()
    assert deltaker.status == "henvist" and deltaker.hovedveileder == users["hovedveileder"]


def test_a_second_click_lands_on_the_same_participant_without_an_error(client, users, extract):
    client.force_login(users["hovedveileder"])
    first = _refer(client, extract["anne"])
    second = _refer(client, extract["anne"])
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Deltaker.objects.filter(person=extract["anne"]).count() == 1
    assert CourseEvent.objects.filter(deltaker__person=extract["anne"]).count() == 1
    assert AuditEntry.objects.filter(object_type="cases.deltaker", action="create").count() == 1
    # Already referred: to the participant page, with a word, no form.
    cecilie = _refer(client, extract["cecilie"])
    assert cecilie["Location"] == reverse("participant-detail", args=[Deltaker.objects.get(person=extract["cecilie"]).pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")
def test_two_hovedveiledere_clicking_at_once_get_one_participant(alna, users, extract):
    candidate = next(c for c in screen(office=alna, as_of=D).candidates if c.hovedperson.id == extract["anne"].pk)
    other = factories.role_user("hovedveileder2", alna, Role.HOVEDVEILEDER)
    landed = []

    def click(user):
        return lambda: landed.append(services.candidate_enroll_for_referral(
            candidate=candidate, office=alna, actor=Actor.for_user(user)).pk)

    assert race(click(users["hovedveileder"]), click(other)) == ["ok", "ok"]
    assert len(set(landed)) == 1 and Deltaker.objects.filter(person=extract["anne"]).count() == 1


def test_refer_refuses_what_the_list_never_offered(client, users, extract, stovner, make_person):
    client.force_login(users["hovedveileder"])
    assert _refer(client, extract["gro"]).status_code == 404  # excluded: not a candidate
    assert _refer(client, make_person()).status_code == 404  # not in the registers
    assert _refer(client, extract["anne"], kontor="0328").status_code == 404  # another office
    Person.objects.filter(pk=extract["anne"].pk).update(adressebeskyttelse="strengt_fortrolig")
    assert _refer(client, extract["anne"]).status_code == 404
    body = client.get(PAGE, QUERY).content.decode()
    assert "Anne Først" not in body and extract["anne"].fnr not in body
    assert not Deltaker.objects.filter(person=extract["anne"]).exists()


def test_the_start_card_links_the_candidates_and_its_count_is_the_list(client, users, extract, make_person):
    hidden = make_person(adressebeskyttelse="fortrolig")
    factories.DeltakerFactory(person=hidden, office=extract["berit"].deltakelser.get().office, status="kandidat")
    client.force_login(users["hovedveileder"])
    start = client.get("/")
    worklists = {item["label"]: item for section in start.context["sections"] for item in section["worklists"]}
    waiting = worklists["Kandidater du kan henvise"]
    assert waiting["count"] == 1  # Berit; the protected kandidat is not counted
    listed = client.get(waiting["url"])
    assert listed.context["page"].paginator.count == 1 and "Berit Kandidat" in listed.content.decode()
    assert worklists["Finn flere kandidater i screeningen"]["url"] == PAGE
    body = start.content.decode()
    assert f'href="{PAGE}"' in body
    assert "Screening" in [item["label"] for item in start.context["menu_items"]]
