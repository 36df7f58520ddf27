"""Screening the target group (docs/domain.md §4): the funnel's counts with their edges, the example
of ../shared/examples/funnel (copied to tests/data/funnel), the command, and the /screening/
page with exclusion and enrolment."""
import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.dates import age_on
from alnaaktiv.models import AuditEntry
from cases.imports import import_registers
from cases.models import CourseEvent, Deltaker, OskarRecord, Person, ScreeningExclusion
from cases.selectors import screen
from tests.extracts import FUNNEL_DATA, arena_csv, arena_row, fnr_born, oskar_csv, oskar_row
from tests.html import field_tag

D = datetime.date(2014, 10, 1)  # the window (6 months) starts 01.04.2014
EXPECTED = {
    "office": "0326", "as_of": "2014-10-01", "mottakere": 11, "hovedinntekt": 9, "supplerende": 2,
    "arbeidssokere": 6, "innvandrerbakgrunn": 3, "oppfolges_allerede": 2, "ekskludert": 1, "kandidater": 3,
    "ungdom_under_25": 2, "kandidatsaker_med_ektefelle": 2, "ektefeller_arbeidssokere": 1,
}


@pytest.fixture
def extract(alna, stovner, users):
    """An Alna extract where every case tests one rule (see EXPECTED)."""
    p = {name: fnr_born() for name in ["A1", "A1e", "A2e", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "B1", "arena"]}
    p["A2"] = fnr_born(datetime.date(1990, 6, 1))       # 24 on D
    p["B2"] = fnr_born(datetime.date(1989, 10, 1))      # turns 25 on D: not under 25
    p["B2e"] = fnr_born(datetime.date(1989, 10, 2))     # turns 25 the day after: under 25
    oskar = [
        oskar_row("A1", p["A1"], navn="Anne Først", landbakgrunn="ikke_oecd"),
        oskar_row("A1", p["A1e"], navn="Arne Ektefelle", rolle="ektefelle"),
        oskar_row("A2", p["A2"], navn="Berit Ung"),
        oskar_row("A2", p["A2e"], navn="Bjørn Ektefelle", rolle="ektefelle"),
        oskar_row("A3", p["A3"], navn="Cecilie Ute", landbakgrunn="oecd"),
        oskar_row("A4", p["A4"], navn="Dag Senere"),
        oskar_row("A5", p["A5"], navn="Eva Fulgt", landbakgrunn="ikke_oecd"),
        oskar_row("A6", p["A6"], navn="Finn Fulgt", landbakgrunn="oecd"),
        oskar_row("A7", p["A7"], navn="Gro Ekskludert"),
        oskar_row("A8", p["A8"], navn="Hans Deltaker"),
        oskar_row("A9", p["A9"], navn="Ida Ikke Arena"),
        oskar_row("B1", p["B1"], navn="Jon Supplerende", inntektstype="supplerende"),
        oskar_row("B2", p["B2"], navn="Kari Fyller", inntektstype="supplerende"),
        oskar_row("B2", p["B2e"], navn="Lars Ung Ektefelle", rolle="ektefelle", inntektstype="supplerende"),
    ]
    arena = [
        arena_row(p["A1"], "10.01.2014", "01.04.2014"),          # left on the window's first day: counts
        arena_row(p["A1e"], "01.01.2014"),                       # spouse, still registered
        arena_row(p["A2"], "01.10.2014"),                        # registered on D itself: counts
        arena_row(p["A3"], "01.06.2013", "31.03.2014"),          # left the day before the window
        arena_row(p["A4"], "02.10.2014"),                        # registers the day after D
        arena_row(p["A5"], "01.06.2013", innsatsgruppe="gradert_varig_tilpasset"),
        arena_row(p["A6"], "01.06.2013", innsatsgruppe="spesielt_tilpasset"),
        arena_row(p["A7"], "01.06.2013", innsatsgruppe="standard"),
        arena_row(p["A8"], "01.06.2013", innsatsgruppe="situasjonsbestemt"),
        arena_row(p["B1"], "01.06.2013"),                        # supplementary: never a job-seeker case
        arena_row(p["arena"], "01.06.2013"),                     # only in Arena
    ]
    import_registers(office=alna, as_of=D, oskar=oskar_csv(oskar), arena=arena_csv(arena), actor=Actor.operator())
    persons = {name: Person.objects.get(fnr=number) for name, number in p.items()}
    ScreeningExclusion.objects.create(office=alna, person=persons["A7"], reason="Rusproblemer", excluded_by=users["veileder"])
    ScreeningExclusion.objects.create(office=stovner, person=persons["A8"], reason="Annet kontor")
    Deltaker.objects.create(person=persons["A8"], office=alna, status="kandidat", status_dato=D)
    return persons


def test_funnel_counts_cases_by_their_hovedperson_with_every_edge(extract, alna):
    assert screen(office=alna, as_of=D).as_dict() == EXPECTED


def test_candidates_carry_spouse_background_and_participation_sorted_by_name(extract, alna):
    candidates = screen(office="0326", as_of=D).candidates
    assert [candidate.hovedperson.navn for candidate in candidates] == ["Anne Først", "Berit Ung", "Hans Deltaker"]
    first, young, participant = candidates
    assert (first.ektefelle.navn, first.ektefelle_arbeidssoker, first.landbakgrunn) == ("Arne Ektefelle", True, "ikke_oecd")
    assert (young.ektefelle.navn, young.ektefelle_arbeidssoker) == ("Bjørn Ektefelle", False)
    assert (first.is_deltaker, participant.is_deltaker) == (False, True)


def test_the_job_seeker_window_is_a_setting(extract, alna, settings):
    settings.SCREENING_WINDOW_MONTHS = 3  # window starts 01.07.2014: A1 (left 01.04.2014) drops out
    funnel = screen(office=alna, as_of=D)
    assert (funnel.arbeidssokere, funnel.kandidater, funnel.window_months) == (5, 2, 3)
    assert screen(office=alna, as_of=D, window_months=6).kandidater == 3


def test_the_newest_snapshots_on_or_before_the_date_are_used(extract, alna):
    later = [oskar_row("Z1", fnr_born())]
    import_registers(office=alna, as_of=datetime.date(2014, 11, 1), oskar=oskar_csv(later), actor=Actor.operator())
    assert screen(office=alna, as_of=D).mottakere == 11
    assert screen(office=alna, as_of=datetime.date(2014, 10, 31)).mottakere == 11
    november = screen(office=alna, as_of=datetime.date(2014, 11, 1))
    assert (november.mottakere, november.oskar_as_of, november.arena_as_of) == (1, datetime.date(2014, 11, 1), D)
    assert screen(office=alna, as_of=datetime.date(2014, 9, 30)).as_dict() == {
        **dict.fromkeys(EXPECTED, 0), "office": "0326", "as_of": "2014-09-30"
    }


def test_another_offices_extract_is_not_counted(extract, stovner):
    assert screen(office=stovner, as_of=D).mottakere == 0


def test_screening_runs_a_fixed_number_of_queries(extract, alna, django_assert_num_queries):
    with django_assert_num_queries(5):
        screen(office=alna, as_of=D)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (datetime.date(1989, 10, 1), D, 25),
        (datetime.date(1989, 10, 2), D, 24),
        (datetime.date(1992, 2, 29), datetime.date(2017, 2, 28), 24),
        (datetime.date(1992, 2, 29), datetime.date(2017, 3, 1), 25),
    ],
)
def test_age_counts_whole_years_and_the_birthday_itself(birth, on, age):
    assert age_on(birth, on) == age


# --- the example and the command ----------------------------------------------------------------


def _import_example():
    call_command("import_registers", "--office", "0326", "--as-of", "2014-10-01", "--oskar",
                 str(FUNNEL_DATA / "oskar.csv"), "--arena", str(FUNNEL_DATA / "arena.csv"), stdout=StringIO())


def test_the_example_extracts_give_the_expected_json(alna):
    _import_example()
    out = StringIO()
    call_command("screen_target_group", "--office", "0326", "--as-of", "2014-10-01", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == json.loads((FUNNEL_DATA / "expected.json").read_text())


def test_the_command_prints_a_readable_norwegian_table_by_default(alna):
    _import_example()
    out = StringIO()
    call_command("screen_target_group", "--office", "0326", "--as-of", "01.10.2014", stdout=out)
    text = out.getvalue()
    assert text.startswith("Screening av målgruppen – NAV Alna (0326) per 01.10.2014")
    assert re.search(r"^1\. Mottakere av sosialhjelp \(saker\)\s+11$", text, re.MULTILINE)
    assert re.search(r"^7\. Kandidater\s+3$", text, re.MULTILINE)
    assert re.search(r"Personer under 25 år \(hovedperson eller ektefelle\)\s+2$", text, re.MULTILINE)


def test_the_command_says_so_when_there_is_no_extract(alna):
    out = StringIO()
    call_command("screen_target_group", "--office", "0326", "--as-of", "2014-10-01", stdout=out)
    assert "Ingen Oskar-uttrekk på eller før datoen" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--office", "9999", "--as-of", "2014-10-01"], "Ukjent kontor «9999»."),
        (["--office", "0326", "--as-of", "i går"], "--as-of: ugyldig dato"),
    ],
)
def test_the_command_refuses_bad_arguments(alna, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("screen_target_group", *arguments)


# --- the page -----------------------------------------------------------------------------------

PAGE = reverse("screening")
QUERY = {"dato": "01.10.2014", "kontor": "0326"}
FNR_IN_TEXT = re.compile(r"(?<!\d)\d{11}(?!\d)")


@pytest.mark.parametrize("role", ["veileder", "prosjektleder"])
def test_the_page_shows_the_funnel_and_the_candidates(client, users, extract, role):
    client.force_login(users[role])
    audited = AuditEntry.objects.count()
    body = client.get(PAGE, QUERY).content.decode()
    assert "Trakten for NAV Alna per 01.10.2014" in body
    assert re.search(r"7\. Kandidater</th>\s*<td class=\"text-end\">3</td>", body)
    assert "Anne Først" in body and extract["A1"].fnr in body
    candidates, exclusions = body.split('id="ekskluderte"')
    assert "Gro Ekskludert" not in candidates  # excluded in Alna: listed with the exclusions instead
    assert "Gro Ekskludert" in exclusions and "Rusproblemer" in exclusions
    assert AuditEntry.objects.count() == audited  # a list is not audited


def test_the_page_defaults_to_today_and_the_users_office(client, users, extract):
    client.force_login(users["veileder"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Trakten for NAV Alna" in response.content.decode()


def test_another_office_cannot_be_chosen(client, users, extract):
    client.force_login(users["veileder_stovner"])
    body = client.get(PAGE, QUERY).content.decode()
    assert "Du har ikke tilgang til det kontoret." in body
    assert "Anne Først" not in body and "Trakten for" not in body


def test_the_page_runs_the_same_number_of_queries_whatever_the_number_of_candidates(
    client, users, alna, extract, django_assert_num_queries
):
    client.force_login(users["veileder"])
    client.get(PAGE, QUERY)
    # session, user, memberships, offices, five for the funnel, the exclusions, session save; four
    # savepoint queries
    with django_assert_num_queries(15):
        client.get(PAGE, QUERY)
    many = [oskar_row(f"M{number}", fnr_born()) for number in range(80)]
    import_registers(office=alna, as_of=datetime.date(2014, 10, 2), oskar=oskar_csv(many),
                     arena=arena_csv([arena_row(row["fnr"]) for row in many]), actor=Actor.operator())
    ScreeningExclusion.objects.bulk_create(
        ScreeningExclusion(office=alna, person=person, reason="Flyttet", excluded_by=users["veileder"])
        for person in Person.objects.filter(navn__startswith="M")[:5])
    with django_assert_num_queries(15):
        response = client.get(PAGE, {"dato": "02.10.2014", "kontor": "0326", "side": "2"})
    assert "Side 2 av 2" in response.content.decode()


def test_protected_and_skjermet_candidates_are_left_out_without_fnr_link_or_actions(client, users, extract):
    Person.objects.filter(pk=extract["A1"].pk).update(adressebeskyttelse="fortrolig")
    Person.objects.filter(pk=extract["A2"].pk).update(skjermet=True)
    client.force_login(users["veileder"])
    body = client.get(PAGE, QUERY).content.decode()
    assert "Skjermet person" not in body
    for name in ("A1", "A2"):
        assert extract[name].navn not in body and extract[name].fnr not in body
        assert f'value="{extract[name].pk}"' not in body
    # Nor the case number, which with the spouse would identify the household.
    saker = set(OskarRecord.objects.filter(person__in=[extract["A1"], extract["A2"]]).values_list("saksnummer", flat=True))
    assert saker and not any(f"<td>{saksnummer}</td>" in body for saksnummer in saker)
    users["veileder"].may_see_fortrolig = True
    users["veileder"].save()
    body = client.get(PAGE, QUERY).content.decode()
    assert "Anne Først" in body and "Berit Ung" not in body


def test_no_fodselsnummer_is_ever_put_in_a_link(client, users, extract):
    client.force_login(users["prosjektleder"])
    body = client.get(PAGE, QUERY).content.decode()
    assert not any(FNR_IN_TEXT.search(href) for href in re.findall(r'(?:href|action)="([^"]*)"', body))


def _exclude(client, person, reason="Tung rusproblematikk", kontor="0326", confirmed=True):
    data = {"kontor": kontor, "dato": "01.10.2014", "person": person.pk, "begrunnelse": reason}
    return client.post(reverse("screening-exclude"), {**data, "bekreftet": "ja"} if confirmed else data)


def test_excluding_asks_for_a_confirmation_that_names_the_person_and_the_reason(client, users, extract):
    client.force_login(users["veileder"])
    response = _exclude(client, extract["A1"], confirmed=False)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ekskludere Anne Først fra kandidatlisten?" in body and "Tung rusproblematikk" in body
    assert "Ja, ekskluder Anne Først" in body and 'name="bekreftet" value="ja"' in body
    assert f'href="{PAGE}?dato=01.10.2014&amp;kontor=0326#kandidater"' in body  # «Avbryt» back to the list
    assert not ScreeningExclusion.objects.filter(person=extract["A1"]).exists()
    assert not AuditEntry.objects.filter(object_type="cases.screeningexclusion").exists()


def test_excluding_a_candidate_needs_a_reason_and_is_audited(client, users, extract):
    client.force_login(users["veileder"])
    response = _exclude(client, extract["A1"])
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?dato=01.10.2014&kontor=0326#ekskluderte"
    exclusion = ScreeningExclusion.objects.get(person=extract["A1"])
    assert (exclusion.reason, exclusion.excluded_by, exclusion.office.enhetsnummer) == (
        "Tung rusproblematikk", users["veileder"], "0326"
    )
    entry = AuditEntry.objects.get(object_type="cases.screeningexclusion")
    assert (entry.action, entry.person_fnr, entry.object_type, entry.username, entry.path) == (
        "create", extract["A1"].fnr, "cases.screeningexclusion", "veileder", reverse("screening-exclude")
    )
    body = client.get(response["Location"]).content.decode()
    exclusions = body.split('id="ekskluderte"')[1]
    assert "Anne Først er ekskludert fra kandidatlisten." in exclusions and "Tung rusproblematikk" in exclusions
    assert screen(office="0326", as_of=D).ekskludert == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_exclusion_without_a_reason_is_refused_in_norwegian_at_its_field(client, users, extract, reason):
    client.force_login(users["veileder"])
    response = _exclude(client, extract["A1"], reason=reason)
    assert response.status_code == 400
    body = response.content.decode()
    field = field_tag(body, f"ekskluder_{extract['A1'].pk}_begrunnelse")
    assert 'aria-invalid="true"' in field and "autofocus" in field
    assert "Skriv en begrunnelse for å ekskludere kandidaten." in body
    assert re.search(r"<details open>\s*<summary>Ekskluder<span class=\"visually-hidden\"> Anne Først", body)
    assert not ScreeningExclusion.objects.filter(person=extract["A1"]).exists()
    assert not AuditEntry.objects.filter(object_type="cases.screeningexclusion").exists()


def test_excluding_twice_is_refused(client, users, extract):
    client.force_login(users["veileder"])
    response = _exclude(client, extract["A7"])
    assert response.status_code == 400
    assert "Personen er allerede ekskludert ved dette kontoret." in response.content.decode()
    assert ScreeningExclusion.objects.filter(person=extract["A7"]).count() == 1


def test_a_participant_is_not_offered_for_exclusion_and_cannot_be_excluded(client, users, extract, alna):
    Deltaker.objects.create(person=extract["A1"], office=alna, status="kandidat", status_dato=D)
    client.force_login(users["veileder"])
    body = client.get(PAGE, QUERY).content.decode()
    assert "Ekskluder<span class=\"visually-hidden\"> Anne Først" not in body
    response = _exclude(client, extract["A1"])
    assert response.status_code == 400 and "Personen er allerede deltaker i Alna Aktiv" in response.content.decode()
    assert not ScreeningExclusion.objects.filter(person=extract["A1"]).exists()


def test_a_person_excluded_meanwhile_gets_the_refusal_not_a_confirmation(client, users, extract):
    client.force_login(users["veileder"])
    response = _exclude(client, extract["A7"], confirmed=False)
    assert response.status_code == 400
    assert "Personen er allerede ekskludert ved dette kontoret." in response.content.decode()
    assert "Ja, ekskluder" not in response.content.decode()


def test_exclusions_are_listed_even_on_a_date_without_an_extract_newest_undone_first(client, users, extract, alna):
    client.force_login(users["veileder"])
    first, second = (ScreeningExclusion.objects.create(office=alna, person=extract[name], reason="Feil",
                                                       excluded_by=users["veileder"]) for name in ("A1", "A2"))
    now = timezone.now()
    for exclusion, hours in ((first, 2), (second, 1)):
        ScreeningExclusion.objects.filter(pk=exclusion.pk).update(
            undone_at=now - datetime.timedelta(hours=hours), undone_by=users["veileder"], undo_reason="Angret")
    body = client.get(PAGE, {"dato": "01.06.2010", "kontor": "0326"}).content.decode()
    exclusions = body.split('id="ekskluderte"')[1]
    assert "Gro Ekskludert" in exclusions  # in force: first
    assert exclusions.index("Gro Ekskludert") < exclusions.index(extract["A2"].navn) < exclusions.index(
        extract["A1"].navn)


def _undo(client, exclusion, reason="Feil person"):
    return client.post(reverse("screening-exclusion-undo", args=[exclusion.pk]),
                       {"kontor": "0326", "dato": "01.10.2014", "begrunnelse": reason})


def test_an_exclusion_is_undone_with_a_reason_and_the_person_is_a_candidate_again(client, users, extract):
    exclusion = ScreeningExclusion.objects.get(person=extract["A7"])
    client.force_login(users["prosjektleder"])
    response = _undo(client, exclusion, reason="Ekskludert ved en feil")
    assert response["Location"] == f"{PAGE}?dato=01.10.2014&kontor=0326#ekskluderte"
    exclusion.refresh_from_db()
    assert (exclusion.undone_by, exclusion.undo_reason) == (users["prosjektleder"], "Ekskludert ved en feil")
    assert screen(office="0326", as_of=D).ekskludert == 0
    entry = AuditEntry.objects.get(object_type="cases.screeningexclusion", action="update")
    assert (entry.person_fnr, entry.username) == (extract["A7"].fnr, "prosjektleder")
    body = client.get(response["Location"]).content.decode()
    exclusions = body.split('id="ekskluderte"')[1]
    assert "Ekskluderingen av Gro Ekskludert er angret." in exclusions
    assert "Angret " in exclusions and "av prosjektleder. Begrunnelse: Ekskludert ved en feil" in exclusions
    # The person may be excluded anew, and the first exclusion stays as the trace.
    assert _exclude(client, extract["A7"]).status_code == 302
    assert ScreeningExclusion.objects.filter(person=extract["A7"]).count() == 2


def test_an_undo_without_a_reason_keeps_the_form_open_with_the_error_and_changes_nothing(client, users, extract):
    exclusion = ScreeningExclusion.objects.get(person=extract["A7"])
    client.force_login(users["veileder"])
    response = _undo(client, exclusion, reason=" ")
    body = response.content.decode()
    assert response.status_code == 400 and "Skriv hvorfor ekskluderingen angres." in body
    field = field_tag(body, f"angre_ekskludering_{exclusion.pk}_begrunnelse")
    assert 'aria-invalid="true"' in field
    exclusion.refresh_from_db()
    assert exclusion.undone_at is None
    assert not AuditEntry.objects.filter(object_type="cases.screeningexclusion").exists()


def test_an_exclusion_of_another_office_or_a_hidden_person_cannot_be_undone(client, users, extract):
    exclusion = ScreeningExclusion.objects.get(person=extract["A7"])
    client.force_login(users["veileder_stovner"])
    assert _undo(client, exclusion).status_code == 404
    Person.objects.filter(pk=extract["A7"].pk).update(skjermet=True)
    client.force_login(users["veileder"])
    assert _undo(client, exclusion).status_code == 404
    assert "Gro Ekskludert" not in client.get(PAGE, QUERY).content.decode()
    exclusion.refresh_from_db()
    assert exclusion.undone_at is None


def test_another_offices_person_is_not_found(client, users, extract, stovner):
    stovner_person = fnr_born()
    import_registers(office=stovner, as_of=D, oskar=oskar_csv([oskar_row("X1", stovner_person, kontor="0328")]), actor=Actor.operator())
    client.force_login(users["veileder"])
    assert _exclude(client, Person.objects.get(fnr=stovner_person)).status_code == 404
    client.force_login(users["veileder_stovner"])
    assert _exclude(client, extract["A1"]).status_code == 404
    assert _exclude(client, extract["A1"], kontor="0328").status_code == 404
    assert ScreeningExclusion.objects.count() == 2  # the fixture's


def test_a_protected_person_cannot_be_excluded_without_permission(client, users, extract):
    Person.objects.filter(pk=extract["A1"].pk).update(adressebeskyttelse="strengt_fortrolig")
    client.force_login(users["veileder"])
    assert _exclude(client, extract["A1"]).status_code == 404


@pytest.mark.parametrize("role", ["hovedveileder", "karea", "controller"])
def test_other_roles_may_not_exclude_or_enrol(client, users, extract, role):
    client.force_login(users[role])
    assert _exclude(client, extract["A1"]).status_code == 403
    assert _enrol(client, extract["A1"]).status_code == 403


def _enrol(client, *persons, kontor="0326"):
    return client.post(reverse("screening-enrol"),
                       {"kontor": kontor, "dato": "01.10.2014", "personer": [person.pk for person in persons]})


def test_enrolling_candidates_creates_participants_in_status_kandidat(client, users, extract):
    client.force_login(users["prosjektleder"])
    response = _enrol(client, extract["A1"], extract["A2"], extract["A8"])
    assert response.status_code == 302
    enrolled = Deltaker.objects.filter(person__in=[extract["A1"], extract["A2"]]).order_by("person__navn")
    assert [(d.status, d.rolle, d.sak.saksnummer, d.office.enhetsnummer) for d in enrolled] == [
        ("kandidat", "hovedperson", "A1", "0326"), ("kandidat", "hovedperson", "A2", "0326"),
    ]
    assert CourseEvent.objects.filter(deltaker__in=enrolled, state="kandidat").count() == 2
    assert set(AuditEntry.objects.filter(object_type="cases.deltaker").values_list("person_fnr", flat=True)) == {
        extract["A1"].fnr, extract["A2"].fnr,
    }
    body = client.get(response["Location"]).content.decode()
    assert "2 kandidater registrert i Alna Aktiv med status kandidat." in body
    assert "1 av de valgte var allerede deltakere" in body
    assert Deltaker.objects.filter(person=extract["A8"]).count() == 1


def test_only_candidates_can_be_enrolled(client, users, extract):
    client.force_login(users["veileder"])
    assert _enrol(client, extract["A1"], extract["A3"]).status_code == 404  # A3 is no job seeker
    assert not Deltaker.objects.filter(person=extract["A1"]).exists()
    client.force_login(users["veileder_stovner"])
    assert _enrol(client, extract["A1"]).status_code == 404


def test_enrolling_nobody_gives_a_message(client, users, extract):
    client.force_login(users["veileder"])
    response = _enrol(client)
    assert response.status_code == 302
    assert "Velg minst én kandidat å registrere." in client.get(response["Location"]).content.decode()
