"""Handing participants over to another veileder (issue 14): one on the participant page, many on
/deltakere/tildel/ (a holiday), with a reason; per role and office, protected persons, the course
history, the audit log, query counts."""
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from cases import services
from cases.models import Avtale, Deltaker, Tildeling
from tests import services as available
from tests.concurrency import race
from tests.factories import role_user
from tests.helpers import body, messages
from tests.html import field_has_error, field_tag, section, textarea_value

ASSIGN_URL = reverse("participant-assign")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def vikar(alna):
    """A second veileder at Alna: the one who takes over."""
    return role_user("vikar", alna, Role.VEILEDER, first_name="Kari", last_name="Vikar")


@pytest.fixture
def own(users, make_deltaker, make_person):
    """A participant in kartlegging followed by the office's veileder."""
    return make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging"), person=make_person(navn="Per Deltaker"),
                         veileder=users["veileder"])


def veileder_url(deltaker) -> str:
    return reverse("participant-veileder", args=[deltaker.pk])


def detail(client, deltaker) -> str:
    return body(client.get(reverse("participant-detail", args=[deltaker.pk])))


@pytest.mark.parametrize("role", ["veileder", "hovedveileder", "prosjektleder"])
def test_veileder_hovedveileder_and_project_leader_hand_a_participant_over_with_a_reason(
        client, users, own, vikar, role):
    client.force_login(users[role])
    assert "Bytt veileder" in section(detail(client, own), "veileder-overskrift")
    response = client.post(veileder_url(own), {"to_veileder": vikar.pk, "reason": "Ferie uke 28–31"})
    assert response.status_code == 302 and response["Location"].endswith("#veileder")
    own.refresh_from_db()
    assert own.veileder == vikar
    tildeling = Tildeling.objects.get()
    assert (tildeling.from_veileder, tildeling.to_veileder, tildeling.reason, tildeling.assigned_by) == (
        users["veileder"], vikar, "Ferie uke 28–31", users[role])
    entry = AuditEntry.objects.get(action="create")
    assert (entry.user, entry.object_type, entry.person_fnr, entry.office) == (
        users[role], "cases.tildeling", own.person.fnr, "0326")
    page = body(client.get(response["Location"]))
    assert "Veileder er byttet til Kari Vikar." in page
    history = " ".join(section(page, "lopet").split())
    assert ("Veileder byttet fra veileder til Kari Vikar</strong> 02.03.2026 — Ferie uke 28–31 — "
            f'<small class="text-body-secondary">av {role}</small>') in history


@pytest.mark.parametrize("role", ["karea", "vedtak", "leder", "controller"])
def test_karea_vedtak_leader_and_controller_never_reassign(client, users, own, vikar, role):
    client.force_login(users[role])
    if role == "karea":  # reads the page, without the form
        assert 'id="veileder-overskrift"' not in detail(client, own)
    assert client.post(veileder_url(own), {"to_veileder": vikar.pk, "reason": "Ferie"}).status_code == 403
    assert client.get(ASSIGN_URL).status_code == 403
    assert client.post(ASSIGN_URL, {"deltakere": [own.pk], "to_veileder": vikar.pk, "reason": "Ferie"}).status_code == 403
    assert "Bytt veileder for flere" not in body(client.get(reverse("portfolio")))
    own.refresh_from_db()
    assert own.veileder == users["veileder"] and not Tildeling.objects.exists()


def test_another_offices_participant_is_not_found_and_not_listed(client, users, own, vikar, stovner):
    client.force_login(users["veileder_stovner"])
    assert client.post(veileder_url(own), {"to_veileder": vikar.pk, "reason": "Ferie"}).status_code == 404
    assert "Per Deltaker" not in body(client.get(ASSIGN_URL))
    stovner_colleague = role_user("stovner2", stovner, Role.VEILEDER)
    response = client.post(ASSIGN_URL, {"deltakere": [own.pk], "to_veileder": stovner_colleague.pk, "reason": "Ferie"})
    assert response.status_code == 400
    assert "En av de valgte deltakerne kan du ikke bytte veileder for" in body(response)
    own.refresh_from_db()
    assert own.veileder == users["veileder"] and not Tildeling.objects.exists()


def test_a_protected_person_is_not_listed_and_a_posted_id_is_refused_with_nothing_written(
        client, users, own, vikar, make_deltaker, make_person, alna):
    hidden = make_deltaker(("kandidat", "henvist"), veileder=users["veileder"],
                           person=make_person(navn="Skjult Person", adressebeskyttelse="strengt_fortrolig"))
    client.force_login(users["veileder"])
    page = body(client.get(ASSIGN_URL))
    assert "Per Deltaker" in page and "Skjult Person" not in page and "Deltakere (1)" in page
    response = client.post(ASSIGN_URL, {"deltakere": [own.pk, hidden.pk], "to_veileder": vikar.pk, "reason": "Ferie"})
    assert response.status_code == 400
    assert "Skjult Person" not in body(response)
    assert set(Deltaker.objects.values_list("veileder", flat=True)) == {users["veileder"].pk}
    assert not Tildeling.objects.exists() and not AuditEntry.objects.filter(action="create").exists()
    allowed = role_user("kode6", alna, Role.VEILEDER, may_see_strengt_fortrolig=True)
    client.force_login(allowed)
    assert "Skjult Person" in body(client.get(ASSIGN_URL))


def test_a_holiday_hand_over_moves_many_and_skips_those_already_with_the_new_veileder(
        client, users, vikar, make_deltaker, make_person):
    hers = [make_deltaker(("kandidat", "henvist", "mott"), person=make_person(navn=f"Ferie Deltaker{n}"),
                          veileder=users["veileder"]) for n in range(3)]
    already = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Har Vikar"), veileder=vikar)
    make_deltaker(("kandidat", "henvist", "avsluttet"), person=make_person(navn="Ferdig Deltaker"),
                  veileder=users["veileder"])
    client.force_login(users["hovedveileder"])
    assert f'href="{ASSIGN_URL}"' in body(client.get(reverse("portfolio")))
    filtered = f"{ASSIGN_URL}?veileder={users['veileder'].pk}"
    page = body(client.get(filtered))
    assert all(f"Ferie Deltaker{n}" in page for n in range(3))
    assert "Har Vikar" not in page and "Ferdig Deltaker" not in page  # another veileder's; an ended course
    everyone = body(client.get(f"{filtered}&merk=alle"))
    assert all(f'value="{deltaker.pk}" id="tildel_deltaker_{deltaker.pk}" checked' in everyone for deltaker in hers)
    response = client.post(ASSIGN_URL, {"deltakere": [d.pk for d in [*hers, already]], "to_veileder": vikar.pk,
                                        "reason": "Sommerferie"})
    assert response.status_code == 302 and response["Location"] == f"{ASSIGN_URL}#tildeling"
    assert messages(client.get(response["Location"])) == [
        "3 deltakere har fått Kari Vikar som veileder. Hadde allerede Kari Vikar som veileder og er ikke endret: "
        "Har Vikar."]
    assert set(Deltaker.objects.filter(pk__in=[d.pk for d in hers]).values_list("veileder", flat=True)) == {vikar.pk}
    assert Tildeling.objects.filter(reason="Sommerferie", from_veileder=users["veileder"]).count() == 3
    entries = AuditEntry.objects.filter(action="create", object_type="cases.tildeling")
    assert sorted(entries.values_list("person_fnr", flat=True)) == sorted(d.person.fnr for d in hers)
    assert {entry.user for entry in entries} == {users["hovedveileder"]}
    # everyone already with her: refused at the veileder
    response = client.post(ASSIGN_URL, {"deltakere": [hers[0].pk], "to_veileder": vikar.pk, "reason": "Igjen"})
    assert response.status_code == 400 and field_has_error(body(response), "tildel_to_veileder")
    assert "Deltakeren har allerede Kari Vikar som veileder." in body(response)


def test_an_empty_reason_is_refused_and_the_form_keeps_what_was_ticked(client, users, own, vikar, make_deltaker):
    other = make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    client.force_login(users["veileder"])
    response = client.post(ASSIGN_URL, {"deltakere": [own.pk], "to_veileder": vikar.pk, "reason": "  "})
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, "tildel_reason") and "Skriv en begrunnelse for byttet av veileder." in page
    assert f'value="{own.pk}" id="tildel_deltaker_{own.pk}" checked' in page
    assert f'value="{other.pk}" id="tildel_deltaker_{other.pk}">' in page  # not ticked
    assert "selected" in field_tag(page, "tildel_to_veileder") or f'value="{vikar.pk}" selected' in page
    response = client.post(ASSIGN_URL, {"to_veileder": vikar.pk, "reason": "Ferie"})
    assert response.status_code == 400 and "Velg minst én deltaker." in body(response)
    assert textarea_value(body(response), "tildel_reason").strip() == "Ferie"
    # the participant page's form: the error at its field, what was chosen kept
    response = client.post(veileder_url(own), {"to_veileder": vikar.pk, "reason": ""})
    assert response.status_code == 400 and field_has_error(body(response), "veileder_reason")
    with pytest.raises(ValidationError) as refused:
        services.veileder_assign(deltakere=[own], to_veileder=vikar, reason=" ", actor=Actor.for_user(users["veileder"]))
    assert refused.value.message_dict == {"reason": ["Skriv en begrunnelse for byttet av veileder."]}
    own.refresh_from_db()
    assert own.veileder == users["veileder"] and not Tildeling.objects.exists()


def test_an_inactive_or_another_offices_veileder_and_an_ended_course_are_refused(
        client, users, own, vikar, make_deltaker, alna):
    actor = Actor.for_user(users["veileder"])
    not_veileder = users["hovedveileder"]
    vikar.is_active = False
    vikar.save()
    for to_veileder, message in [
        (vikar, "Kari Vikar er ikke aktiv veileder ved"),
        (users["veileder_stovner"], "veileder_stovner er ikke aktiv veileder ved"),
        (not_veileder, "hovedveileder er ikke aktiv veileder ved"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.veileder_assign(deltakere=[own], to_veileder=to_veileder, reason="Ferie", actor=actor)
        assert message in refused.value.message_dict["to_veileder"][0]
    client.force_login(users["veileder"])
    response = client.post(veileder_url(own), {"to_veileder": users["veileder_stovner"].pk, "reason": "Ferie"})
    assert response.status_code == 400 and "Velg en aktiv veileder ved kontoret." in body(response)
    ended = make_deltaker(("kandidat", "henvist", "avsluttet"), veileder=users["veileder"])
    colleague = role_user("kollega", alna, Role.VEILEDER)
    with pytest.raises(ValidationError) as refused:
        services.veileder_assign(deltakere=[own, ended], to_veileder=colleague, reason="Ferie", actor=actor)
    assert refused.value.message_dict["deltakere"] == [
        f"Løpet er avsluttet. Veileder kan ikke byttes. Gjelder: {ended.person.navn}."]
    assert 'id="veileder-overskrift"' not in detail(client, ended)
    assert client.post(veileder_url(ended), {"to_veileder": colleague.pk, "reason": "Ferie"}).status_code == 400
    assert not Tildeling.objects.exists()
    assert set(Deltaker.objects.values_list("veileder", flat=True)) == {users["veileder"].pk}


def test_the_course_history_shows_assignments_among_the_events_by_date(client, users, vikar, make_deltaker,
                                                                       make_person):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 3, 1),
                             person=make_person(navn="Historikk Person"))
    actor = Actor.for_user(users["hovedveileder"])
    services.veileder_assign(deltakere=[deltaker], to_veileder=users["veileder"], reason="Henvist", actor=actor)
    services.veileder_assign(deltakere=[deltaker], to_veileder=vikar, reason="Sykmeldt", actor=actor)
    client.force_login(users["veileder"])
    history = section(detail(client, deltaker), "lopet")
    first = history.index("Veileder tildelt: veileder</strong> 02.03.2026")
    second = history.index("Veileder byttet fra veileder til Kari Vikar</strong> 02.03.2026")
    assert history.index("<strong>Henvist</strong> 02.03.2026") < first < second < history.index(
        "<strong>Møtt</strong> 03.03.2026")
    assert "Sykmeldt" in history and "av hovedveileder" in history


def test_the_assign_page_runs_a_fixed_number_of_queries(client, users, vikar, make_deltaker,
                                                         django_assert_num_queries):
    for _ in range(3):
        make_deltaker(("kandidat", "henvist"), veileder=users["veileder"])
    client.force_login(users["prosjektleder"])
    client.get(ASSIGN_URL)
    # the session (read, and renewed in a savepoint), the user and roles, the filter's veiledere, the
    # list, the form's veiledere
    with django_assert_num_queries(11) as few:
        client.get(f"{ASSIGN_URL}?merk=alle")
    for _ in range(20):
        make_deltaker(("kandidat", "henvist"), veileder=vikar)
    with django_assert_num_queries(len(few.captured_queries)):
        assert body(client.get(f"{ASSIGN_URL}?merk=alle")).count("checked") == 23


def test_participant_page_history_runs_a_fixed_number_of_queries(client, users, own, vikar,
                                                                 django_assert_num_queries):
    actor = Actor.for_user(users["prosjektleder"])
    client.force_login(users["veileder"])
    services.veileder_assign(deltakere=[own], to_veileder=vikar, reason="Ferie", actor=actor)
    client.get(reverse("participant-detail", args=[own.pk]))
    with django_assert_num_queries(26) as first:  # + the § 14 a complaint section and the consents (issue 16)
        client.get(reverse("participant-detail", args=[own.pk]))
    for n in range(6):
        services.veileder_assign(deltakere=[own], to_veileder=vikar if n % 2 else users["veileder"],
                                 reason=f"Bytte {n}", actor=actor)
    with django_assert_num_queries(len(first.captured_queries)):
        assert detail(client, own).count("Veileder byttet fra") == 7


@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_of_one_participant_at_once_are_made_one_after_the_other(client, users, own, vikar, alna):
    available.require("PostgreSQL", connection.vendor == "postgresql", "radlåser krever PostgreSQL (DATABASE_URL)")
    colleague = role_user("kollega", alna, Role.VEILEDER, first_name="Kim", last_name="Kollega")
    outcomes = race(*[
        lambda to=to, by=by: services.veileder_assign(
            deltakere=[Deltaker.objects.get(pk=own.pk)], to_veileder=to, reason=f"Fra {by}",
            actor=Actor.for_user(users[by]))
        for to, by in ((vikar, "hovedveileder"), (colleague, "prosjektleder"))])
    assert outcomes == ["ok", "ok"]
    first, second = Tildeling.objects.order_by("id")
    # the second waited for the first's lock and saw its veileder
    assert (first.from_veileder, second.from_veileder) == (users["veileder"], first.to_veileder)
    own.refresh_from_db()
    assert own.veileder == second.to_veileder
    client.force_login(users["veileder"])
    history = section(detail(client, own), "lopet")
    assert history.count("Veileder byttet fra") == 2 and "Fra hovedveileder" in history and "Fra prosjektleder" in history


def test_the_one_who_takes_over_finds_the_participant_in_her_inbox_with_the_planned_meetings(
        client, users, own, vikar):
    """The review's finding: a hand-over must land on the new desk (inbox, «Mine avtaler»)."""
    meeting = Avtale.objects.create(deltaker=own, kind="oppfolging", sted="Alna Aktiv", veileder=users["veileder"],
                                    starts_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC))
    services.veileder_assign(deltakere=[own], to_veileder=vikar, reason="Ferie",
                             actor=Actor.for_user(users["hovedveileder"]))
    meeting.refresh_from_db()
    assert meeting.veileder == vikar
    client.force_login(vikar)
    inbox = section(body(client.get(reverse("start"))), "innboks")
    assert "Deltakere overført til meg" in inbox and "1<span class=\"visually-hidden\"> ny" in inbox
    listed = body(client.get(reverse("inbox-list", args=["overfort-til-meg"])))
    assert "Per Deltaker" in listed and "Overført til deg" in listed
    assert "Per Deltaker" in body(client.get(reverse("appointment-list")))


def test_a_candidate_not_yet_referred_is_not_handed_over(client, users, vikar, make_deltaker):
    kandidat = make_deltaker(("kandidat",))
    assert services.veileder_assign_refusal(users["hovedveileder"], kandidat) == (
        "Deltakeren er ikke henvist ennå. Veileder velges når hovedveilederen henviser.")
    with pytest.raises(ValidationError):
        services.veileder_assign(deltakere=[kandidat], to_veileder=vikar, reason="Ferie",
                                 actor=Actor.for_user(users["hovedveileder"]))
    kandidat.refresh_from_db()
    assert kandidat.veileder is None and not Tildeling.objects.exists()


def test_a_referral_registered_afterwards_dates_its_assignment_on_the_referral_day(users, vikar, make_deltaker):
    kandidat = make_deltaker(("kandidat",))
    services.participant_refer(deltaker=kandidat, actor=Actor.for_user(users["hovedveileder"]), reason="Ønsker arbeid",
                               on_date=datetime.date(2026, 2, 20), veileder=vikar, sted="Alna Aktiv",
                               first_appointment=datetime.datetime(2026, 2, 24, 10, 0, tzinfo=datetime.UTC))
    tildeling = Tildeling.objects.get(deltaker=kandidat)
    assert (tildeling.to_veileder, tildeling.reason) == (vikar, Tildeling.REFERRAL_REASON)
    assert tildeling.assigned_at.date() == datetime.date(2026, 2, 20)
