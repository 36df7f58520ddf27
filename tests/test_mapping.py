"""Kartlegging and avklaring (issue 4): every rule of the services with its Norwegian refusal,
and that a refusal writes nothing."""
import datetime

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import AuditEntry
from cases import services
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    CourseEvent,
    Deltaker,
    JournalEntry,
    Kartlegging,
    KartleggingOmrade,
    KlartJegKanUke,
    Tilbakeforing,
    TilbakeforingAngring,
)
from cases.models.mapping import SignedIsFinal
from cases.services import MappingError
from tests.concurrency import race
from tests.factories import role_user
from tests.html import field_has_error

TODAY = datetime.date(2026, 3, 2)
COMPLETE = {
    "del_a": "Gode muligheter med språkopplæring.", "del_b": "Renhold eller lager.",
    "del_c": "Trenger hjelp til CV og norsk.", "del_d": "Arbeidsevnen er noe nedsatt av ryggplager.",
    "del_e": "Arbeidstrening i kommunal virksomhet.", "innsatsgruppe": "situasjonsbestemt",
    "hovedmal": "skaffe_arbeid", "begrunnelse": "Trenger oppfølging en periode.",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def met(make_deltaker, users):
    return make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1), veileder=users["veileder"],
                         hovedveileder=users["hovedveileder"])


@pytest.fixture
def mapping(met, users):
    services.mapping_start(deltaker=met, actor=Actor.for_user(users["karea"]), on_date=datetime.date(2026, 2, 10))
    met.refresh_from_db()
    return met


def signed(deltaker, users, **fields) -> Arbeidsevnevurdering:
    vurdering = services.assessment_save(deltaker=deltaker, actor=Actor.for_user(users["karea"]), fields={**COMPLETE, **fields})
    return services.assessment_sign(vurdering=vurdering, actor=Actor.for_user(users["veileder"]))


def activity(deltaker, users, **fields) -> Aktivitet:
    values = {"type": "kurs", "beskrivelse": "Norskkurs B1", "fra_dato": datetime.date(2026, 3, 1),
              "til_dato": datetime.date(2026, 5, 1), **fields}
    return services.activity_create(deltaker=deltaker, actor=Actor.for_user(users["veileder"]), fields=values)


def refusal(call) -> list[str]:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.messages


# --- kartlegging -------------------------------------------------------------------------------

def test_starting_the_mapping_moves_the_course_to_i_kartlegging_and_is_audited(met, users):
    kartlegging = services.mapping_start(deltaker=met, actor=Actor.for_user(users["karea"]), on_date=TODAY)
    met.refresh_from_db()
    assert (met.status, met.status_dato) == ("i_kartlegging", TODAY)
    assert (kartlegging.started_on, kartlegging.started_by) == (TODAY, users["karea"])
    assert AuditEntry.objects.filter(action="create", object_type="cases.kartlegging", person_fnr=met.person.fnr).exists()


def test_mapping_cannot_start_before_the_participant_has_met(make_deltaker, users):
    referred = make_deltaker(("kandidat", "henvist"))
    assert refusal(lambda: services.mapping_start(deltaker=referred, actor=Actor.for_user(users["veileder"]), on_date=TODAY)) == [
        "Kartlegging kan bare startes når deltakeren har møtt (status nå: «Henvist»)."]
    assert not Kartlegging.objects.exists() and Deltaker.objects.get().status == "henvist"


def test_a_course_imported_as_i_kartlegging_gets_its_mapping_record_from_the_imported_date(make_deltaker, users):
    imported = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging"), start=datetime.date(2026, 1, 5))
    kartlegging = services.mapping_start(deltaker=imported, actor=Actor.for_user(users["karea"]), on_date=TODAY)
    assert kartlegging.started_on == datetime.date(2026, 1, 8)
    assert imported.events.filter(state="i_kartlegging").count() == 1
    assert refusal(lambda: services.mapping_start(deltaker=imported, actor=Actor.for_user(users["karea"]), on_date=TODAY)) == [
        "Kartlegging kan bare startes når deltakeren har møtt (status nå: «I kartlegging»)."]


def test_an_area_needs_both_its_choice_and_a_short_assessment(mapping, users):
    messages = refusal(lambda: services.mapping_update(
        deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"jobbonsker": "Lager"},
        omrader={"helse": ("barriere", " "), "sprak": ("", "Snakker litt norsk")}))
    assert messages == ["Skriv en kort vurdering for «Helse».", "Velg om «Språk» er en ressurs eller en barriere."]
    assert not KartleggingOmrade.objects.exists()
    assert Kartlegging.objects.get().jobbonsker == ""


def test_the_mapping_records_methods_areas_wishes_and_tests(mapping, users):
    services.mapping_update(
        deltaker=mapping, actor=Actor.for_user(users["karea"]),
        fields={"metode_samtale": True, "metode_ferdighetstester": True, "jobbonsker": "Renhold", "test_norsk": "A2"},
        omrader={"sprak": ("barriere", "Trenger norskkurs"), "motivasjon": ("ressurs", "Svært motivert")})
    kartlegging = Kartlegging.objects.get()
    assert kartlegging.methods == ["Samtale", "Tester av grunnleggende ferdigheter"]
    assert (kartlegging.jobbonsker, kartlegging.test_norsk) == ("Renhold", "A2")
    assert dict(kartlegging.omrader.values_list("omrade", "vurdering")) == {"sprak": "barriere", "motivasjon": "ressurs"}
    services.mapping_update(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={},
                                        omrader={"sprak": ("", ""), "motivasjon": ("ressurs", "Svært motivert")})
    assert list(kartlegging.omrader.values_list("omrade", flat=True)) == ["motivasjon"]


def test_klart_jeg_kan_weeks_are_checked_and_corrected(mapping, users):
    def week(**kwargs):
        return lambda: services.klart_jeg_kan_register(deltaker=mapping, actor=Actor.for_user(users["karea"]), **kwargs)

    assert refusal(week(uke=5, planlagte_dager=5, mott_dager=5)) == ["«Klart jeg kan» varer fire uker: velg uke 1–4."]
    assert refusal(week(uke=1, planlagte_dager=4, mott_dager=5)) == ["Møtte dager kan ikke være flere enn planlagte dager."]
    assert refusal(week(uke=1, planlagte_dager=0, mott_dager=0)) == ["Planlagte dager må være mellom 1 og 5."]
    assert not KlartJegKanUke.objects.exists()
    week(uke=1, planlagte_dager=5, mott_dager=3, kommentar="Syk to dager")()
    week(uke=1, planlagte_dager=5, mott_dager=4)()
    assert list(KlartJegKanUke.objects.values_list("uke", "mott_dager")) == [(1, 4)]
    assert Kartlegging.objects.get().metode_klart_jeg_kan is True


def test_the_database_refuses_more_attended_than_planned_days(mapping, users):
    with pytest.raises(IntegrityError), transaction.atomic():
        KlartJegKanUke.objects.create(kartlegging=mapping.kartlegging, uke=1, planlagte_dager=2, mott_dager=3,
                                      registered_by=users["karea"])


# --- arbeidsevnevurdering ----------------------------------------------------------------------

def test_an_assessment_needs_a_started_mapping(met, users):
    assert refusal(lambda: services.assessment_save(deltaker=met, actor=Actor.for_user(users["veileder"]), fields=COMPLETE)) == [
        "Arbeidsevnevurderingen kan bare lages når kartleggingen er startet og løpet ikke er avsluttet."]
    assert not Arbeidsevnevurdering.objects.exists()


def test_signing_needs_all_five_parts_a_group_and_a_main_goal(mapping, users):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"del_a": "Noe"})
    assert refusal(lambda: services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))) == [
        "Fyll ut «b) Hvilket arbeid som er målet».", "Fyll ut «c) Behov for bistand».",
        "Fyll ut «d) Om og i hvilken grad arbeidsevnen er nedsatt».", "Fyll ut «e) Hva slags bistand som passer».",
        "Velg innsatsgruppe.", "Velg hovedmål.",
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("utkast", None)


def test_a_justification_is_required_unless_the_group_is_standard(mapping, users):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]),
                                            fields={**COMPLETE, "begrunnelse": ""})
    assert refusal(lambda: services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))) == [
        "Skriv en begrunnelse for innsatsgruppen. Den kreves for alle grupper unntatt standard innsats."]
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"innsatsgruppe": "standard"})
    signed_version = services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))
    assert signed_version.status == "signert" and signed_version.signed_at is not None
    mapping.refresh_from_db()
    assert mapping.innsatsgruppe == "standard"  # the signed assessment is in force


@pytest.mark.parametrize("group", ["gradert_varig_tilpasset", "varig_tilpasset"])
def test_varig_groups_need_a_second_approver_who_is_not_the_author(mapping, users, group, alna):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]),
                                            fields={**COMPLETE, "innsatsgruppe": group})
    waiting = services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))
    assert waiting.status == "til_godkjenning" and waiting.signed_at is None
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(users["veileder"]))) == [
        "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.approved_by) == ("til_godkjenning", None)
    mapping.refresh_from_db()
    assert mapping.innsatsgruppe == ""  # not in force before the second approval
    second = role_user("veileder2", alna, "veileder")
    approved = services.assessment_approve(vurdering=waiting, actor=Actor.for_user(second))
    assert (approved.status, approved.approved_by) == ("signert", second)
    mapping.refresh_from_db()
    assert mapping.innsatsgruppe == group


def test_the_signer_of_a_varig_assessment_cannot_approve_it_either(mapping, users, alna):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]),
                                            fields={**COMPLETE, "innsatsgruppe": "varig_tilpasset"})
    waiting = services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(users["veileder"]))) == [
        "Andre godkjenner kan ikke være den som signerte vurderingen."]
    # sent back, it is a draft again that can be changed
    services.assessment_return(vurdering=waiting, actor=Actor.for_user(role_user("veileder2", alna, "veileder")))
    assert services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"del_a": "Endret"}).status == "utkast"


VARIG = {**COMPLETE, "innsatsgruppe": "varig_tilpasset", "begrunnelse": "Varig nedsatt arbeidsevne."}


def test_a_one_character_draft_by_a_colleague_does_not_let_the_real_author_approve(mapping, users, alna):
    # The attack of issue 11: A saves one character, B writes the assessment, A signs, B approves.
    a, b = role_user("veileder_a", alna, "veileder"), role_user("veileder_b", alna, "veileder")
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(a), fields={"del_a": "x"})
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(b), fields=VARIG)
    waiting = services.assessment_sign(vurdering=draft, actor=Actor.for_user(a))
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(b))) == [
        "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.approved_by) == ("til_godkjenning", None)
    mapping.refresh_from_db()
    assert mapping.innsatsgruppe == ""
    approved = services.assessment_approve(vurdering=waiting, actor=Actor.for_user(role_user("veileder_c", alna, "veileder")))
    assert approved.status == "signert"


def test_the_one_who_saved_one_character_cannot_approve_what_the_real_author_signed(mapping, users, alna):
    a, b = role_user("veileder_a", alna, "veileder"), role_user("veileder_b", alna, "veileder")
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(a), fields={"del_a": "x"})
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(b), fields=VARIG)
    waiting = services.assessment_sign(vurdering=draft, actor=Actor.for_user(b))
    assert set(waiting.authors.all()) == {a, b}
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(a))) == [
        "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(b))) == [
        "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]
    c = role_user("veileder_c", alna, "veileder")
    assert services.assessment_approve(vurdering=waiting, actor=Actor.for_user(c)).approved_by == c


def test_an_edit_after_being_sent_back_makes_the_editor_an_author(mapping, users, alna):
    b, c = role_user("veileder_b", alna, "veileder"), role_user("veileder_c", alna, "veileder")
    waiting = services.assessment_sign(
        vurdering=services.assessment_save(deltaker=mapping, actor=Actor.for_user(b), fields=VARIG), actor=Actor.for_user(b))
    services.assessment_return(vurdering=waiting, actor=Actor.for_user(c))
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(c), fields={"del_e": "Tilrettelagt arbeid."})
    waiting = services.assessment_sign(vurdering=waiting, actor=Actor.for_user(b))
    assert refusal(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(c))) == [
        "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]


def test_a_new_version_is_authored_by_its_copier_and_by_the_authors_of_the_copied_text(
        mapping, users, alna):
    a, b, c, d = (role_user(f"veileder_{name}", alna, "veileder") for name in "abcd")
    first = services.assessment_sign(
        vurdering=services.assessment_save(deltaker=mapping, actor=Actor.for_user(a), fields=COMPLETE), actor=Actor.for_user(a))
    assert first.status == "signert"
    copy = services.assessment_new_version(deltaker=mapping, actor=Actor.for_user(b))
    assert set(copy.authors.all()) == {a, b}
    # B only changes the group; A's text is still the assessment, so A may not approve it.
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(b), fields={"innsatsgruppe": "varig_tilpasset"})
    waiting = services.assessment_sign(vurdering=copy, actor=Actor.for_user(c))
    for author in (a, b):
        assert refusal(lambda author=author: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(author))) == [
            "Andre godkjenner kan ikke være en som har skrevet i vurderingen."]
    assert services.assessment_approve(vurdering=waiting, actor=Actor.for_user(d)).approved_by == d
    assert set(first.authors.all()) == {a}


def test_the_database_refuses_an_author_as_second_approver(mapping, users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Arbeidsevnevurdering.objects.create(
            deltaker=mapping, versjon=1, status="signert", **COMPLETE, created_by=users["veileder"],
            signed_by=users["veileder"], signed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
            approved_by=users["veileder"])


def test_the_database_refuses_a_signed_varig_assessment_without_approver(mapping, users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Arbeidsevnevurdering.objects.create(
            deltaker=mapping, versjon=1, status="signert", **{**COMPLETE, "innsatsgruppe": "varig_tilpasset"},
            created_by=users["karea"], signed_by=users["veileder"],
            signed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))


def test_a_signed_assessment_is_never_edited_a_new_version_replaces_it(mapping, users):
    first = signed(mapping, users)
    assert refusal(lambda: services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]),
                                                           fields={"del_a": "Endret"})) == [
        "En signert arbeidsevnevurdering kan ikke endres. Lag en ny versjon."]
    first.del_a = "Endret i koden"
    with pytest.raises(SignedIsFinal):
        first.save()
    second = services.assessment_new_version(deltaker=mapping, actor=Actor.for_user(users["veileder"]))
    assert (second.versjon, second.status, second.replaces, second.del_a) == (2, "utkast", first, COMPLETE["del_a"])
    assert refusal(lambda: services.assessment_new_version(deltaker=mapping, actor=Actor.for_user(users["veileder"]))) == [
        "Det finnes allerede en versjon som ikke er signert. Fullfør den først."]
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]), fields={"del_a": "Ny vurdering"})
    first.refresh_from_db()
    assert first.del_a == COMPLETE["del_a"] and first.status == "signert"


def test_two_open_versions_are_impossible_in_the_database(mapping, users):
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]), fields={"del_a": "x"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Arbeidsevnevurdering.objects.create(deltaker=mapping, versjon=2, created_by=users["veileder"])


# --- aktivitetsplan ----------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "message"), [
    ({"type": "jobbsoking"}, "Skriv hvor mange søknader per uke som er avtalt for jobbsøkingen."),
    ({"type": "kurs", "soknader_per_uke": 5}, "Antall søknader per uke gjelder bare jobbsøking."),
    ({"til_dato": datetime.date(2026, 2, 1)}, "Til-dato kan ikke være før fra-dato."),
    ({"beskrivelse": "  "}, "Skriv en beskrivelse av aktiviteten."),
    ({"status": "fullfort"}, "En ny aktivitet kan ikke registreres som fullført eller avbrutt."),
])
def test_activity_rules_refuse_with_a_message_and_write_nothing(mapping, users, fields, message):
    assert refusal(lambda: activity(mapping, users, **fields)) == [message]
    assert not Aktivitet.objects.exists()
    assert not AuditEntry.objects.filter(object_type="cases.aktivitet").exists()


def test_a_job_search_holds_the_agreed_number_of_applications(mapping, users):
    job_search = activity(mapping, users, type="jobbsoking", beskrivelse="Søk på lager og renhold",
                          soknader_per_uke=8, avtalt=True)
    assert (job_search.soknader_per_uke, job_search.avtalt, job_search.status) == (8, True, "planlagt")
    assert AuditEntry.objects.filter(action="create", object_type="cases.aktivitet").count() == 1


def test_a_finished_activity_is_no_longer_edited(mapping, users):
    course = activity(mapping, users)
    services.activity_update(aktivitet=course, actor=Actor.for_user(users["karea"]), fields={"status": "fullfort"})
    assert refusal(lambda: services.activity_update(aktivitet=course, actor=Actor.for_user(users["karea"]),
                                                             fields={"beskrivelse": "Endret"})) == [
        "Aktiviteten er fullført og kan ikke endres."]
    course.refresh_from_db()
    assert (course.beskrivelse, course.status) == ("Norskkurs B1", "fullfort")


def test_cancelling_an_agreed_activity_needs_a_reason(mapping, users):
    course = activity(mapping, users, avtalt=True)
    assert refusal(lambda: services.activity_update(aktivitet=course, actor=Actor.for_user(users["karea"]),
                                                             fields={"status": "avbrutt"})) == [
        "Skriv hvorfor en avtalt aktivitet avbrytes."]
    services.activity_update(aktivitet=course, actor=Actor.for_user(users["karea"]),
                                      fields={"status": "avbrutt", "avbrutt_begrunnelse": "Fikk jobb"})
    assert Aktivitet.objects.get().status == "avbrutt"


# --- route -------------------------------------------------------------------------------------

def test_a_route_chosen_while_a_course_is_under_way_puts_the_participant_in_activity(mapping, users):
    """Issue 14: a course (or placement) begun during the mapping — the route makes the
    participant avklart and, the same day, «I aktivitet», without a manual step."""
    signed(mapping, users)
    activity(mapping, users, status="gjennomfores")
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="arbeidsboks", on_date=TODAY)
    mapping.refresh_from_db()
    assert (mapping.status, mapping.status_dato) == ("i_aktivitet", TODAY)
    assert list(mapping.events.filter(date=TODAY).values_list("state", flat=True)) == ["avklart", "i_aktivitet"]


def test_a_route_needs_a_signed_assessment_and_a_plan(mapping, users):
    assert refusal(lambda: services.route_decide(
        deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="arbeidsboks", on_date=TODAY)) == [
        "Arbeidsevnevurderingen må være signert før ruten velges.",
        "Aktivitetsplanen må ha minst én aktivitet før ruten velges."]
    mapping.refresh_from_db()
    assert mapping.status == "i_kartlegging"


def test_a_route_that_stays_in_alna_aktiv_makes_the_participant_avklart(mapping, users):
    signed(mapping, users)
    activity(mapping, users)
    event = services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="arbeidsboks",
                                                   on_date=TODAY)
    mapping.refresh_from_db()
    assert (mapping.status, event.rute, event.date) == ("avklart", "arbeidsboks", TODAY)
    assert Kartlegging.objects.get().closed_on == TODAY
    assert not Tilbakeforing.objects.exists()
    assert refusal(lambda: services.mapping_update(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={},
                                                               omrader={})) == [
        "Kartleggingen er avsluttet fordi ruten er valgt, og kan ikke endres."]


@pytest.mark.parametrize("rute", ["statlig_tiltak", "aap_ufore"])
def test_routes_that_hand_the_case_back_say_what_was_decided(mapping, users, rute):
    signed(mapping, users)
    activity(mapping, users)
    assert refusal(lambda: services.route_decide(
        deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute=rute, on_date=TODAY)) == [
        "Skriv hva som er avklart, så hovedveilederen vet hva som skal skje videre."]
    assert CourseEvent.objects.filter(state="avklart").count() == 0
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute=rute, on_date=TODAY,
                                           comment="Søkes inn på arbeidspraksis.")
    handback = Tilbakeforing.objects.get()
    assert handback.rute == rute and "Innsatsgruppe: Situasjonsbestemt innsats" in handback.decided
    assert "Søkes inn på arbeidspraksis." in handback.decided
    services.handback_receive(tilbakeforing=handback, actor=Actor.for_user(users["hovedveileder"]))
    assert refusal(lambda: services.handback_receive(tilbakeforing=handback, actor=Actor.for_user(users["hovedveileder"]))) == [
        "Tilbakeføringen er allerede markert som mottatt."]


def test_a_route_is_chosen_only_during_the_mapping(met, users):
    assert refusal(lambda: services.route_decide(
        deltaker=met, actor=Actor.for_user(users["veileder"]), rute="jobbsoking", on_date=TODAY)) == [
        "Ruten velges mens deltakeren er i kartlegging."]


def test_the_generic_status_change_no_longer_offers_mapping_or_avklart(client, users, met):
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-transition", args=[met.pk]),
                           {"to_state": "i_kartlegging", "date": "2026-03-02"})
    assert response.status_code == 400 and field_has_error(response.content.decode(), "status_to_state")
    assert "Velg et gyldig valg." in response.content.decode()
    met.refresh_from_db()
    assert met.status == "mott"


# --- meetings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["trekantmote", "mote"])
def test_a_meeting_in_the_journal_lists_who_took_part(met, users, kind):
    assert refusal(lambda: services.journal_create(deltaker=met, actor=Actor.for_user(users["karea"]), kind=kind, on_date=TODAY,
                                                   text="Gjennomgang av planen")) == ["Skriv hvem som deltok i møtet."]
    assert not JournalEntry.objects.exists()
    entry = services.journal_create(deltaker=met, actor=Actor.for_user(users["karea"]), kind=kind, on_date=TODAY,
                                    text="Gjennomgang av planen", participants="Deltakeren, NAV-veileder, KAREA")
    assert entry.motedeltakere == "Deltakeren, NAV-veileder, KAREA"


# --- signing what is on screen, undoing «Mottatt» (issue 12) -----------------------------------

def test_save_and_sign_signs_exactly_the_fields_given(mapping, users):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields=COMPLETE)
    signed_version = services.assessment_save_and_sign(
        deltaker=mapping, vurdering=draft, actor=Actor.for_user(users["veileder"]),
        fields={**COMPLETE, "begrunnelse": "  Som på skjermen.  "})
    signed_version.refresh_from_db()
    assert (signed_version.status, signed_version.begrunnelse) == ("signert", "Som på skjermen.")
    assert set(signed_version.authors.all()) == {users["karea"], users["veileder"]}
    mapping.refresh_from_db()
    assert mapping.innsatsgruppe == "situasjonsbestemt"
    assert AuditEntry.objects.filter(action="update", object_type="cases.arbeidsevnevurdering").count() == 2


def test_save_and_sign_refused_saves_nothing_and_names_the_fields(mapping, users):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields=COMPLETE)
    with pytest.raises(MappingError) as error:
        services.assessment_save_and_sign(deltaker=mapping, vurdering=draft, actor=Actor.for_user(users["veileder"]),
                                                 fields={**COMPLETE, "del_b": "", "begrunnelse": "Ny tekst"})
    assert error.value.message_dict == {"del_b": ["Fyll ut «b) Hvilket arbeid som er målet»."]}
    draft.refresh_from_db()
    assert (draft.status, draft.del_b, draft.begrunnelse) == ("utkast", COMPLETE["del_b"], COMPLETE["begrunnelse"])
    assert set(draft.authors.all()) == {users["karea"]}


def test_save_and_sign_refuses_a_version_that_is_not_the_open_draft(mapping, users):
    first = signed(mapping, users)
    services.assessment_new_version(deltaker=mapping, actor=Actor.for_user(users["karea"]))
    assert refusal(lambda: services.assessment_save_and_sign(
        deltaker=mapping, vurdering=first, actor=Actor.for_user(users["veileder"]), fields=COMPLETE)) == [
        "Versjonen er ikke lenger et utkast som kan signeres. Last siden på nytt."]


def test_signing_refusal_checks_the_text_on_screen_without_writing(mapping, users):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"del_a": "x"})
    assert services.assessment_sign_refusal(vurdering=draft, fields=COMPLETE) is None
    refused = services.assessment_sign_refusal(vurdering=draft, fields={**COMPLETE, "hovedmal": ""})
    assert refused.message_dict == {"hovedmal": ["Velg hovedmål."]}
    draft.refresh_from_db()
    assert draft.del_b == "" and draft.status == "utkast"


def test_mottatt_is_undone_with_a_reason_and_the_trace_is_kept(mapping, users):
    signed(mapping, users)
    activity(mapping, users)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="aap_ufore",
                                           on_date=TODAY, comment="AAP")
    handback = Tilbakeforing.objects.get()
    actor = Actor.for_user(users["hovedveileder"])
    assert refusal(lambda: services.handback_undo_receipt(tilbakeforing=handback, actor=actor,
                                                                        reason="Feil")) == [
        "Tilbakeføringen er ikke markert som mottatt."]
    services.handback_receive(tilbakeforing=handback, actor=actor)
    assert refusal(lambda: services.handback_undo_receipt(tilbakeforing=handback, actor=actor,
                                                                        reason=" ")) == [
        "Skriv hvorfor «Mottatt» angres."]
    undo = services.handback_undo_receipt(tilbakeforing=handback, actor=actor, reason=" Feil sak ")
    handback.refresh_from_db()
    assert (handback.received_at, handback.received_by) == (None, None)
    assert (undo.reason, undo.undone_by, undo.received_by) == ("Feil sak", users["hovedveileder"], users["hovedveileder"])
    services.handback_receive(tilbakeforing=handback, actor=actor)  # and received again
    assert handback.angringer.count() == 1


def test_the_database_refuses_an_undo_without_a_reason(mapping, users):
    signed(mapping, users)
    activity(mapping, users)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="aap_ufore",
                                           on_date=TODAY, comment="AAP")
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        TilbakeforingAngring.objects.create(tilbakeforing=Tilbakeforing.objects.get(), received_at=now,
                                            received_by=users["hovedveileder"], undone_at=now,
                                            undone_by=users["hovedveileder"], reason="")


# --- two users at once (row locks need PostgreSQL) ---------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="radlåser krever PostgreSQL")


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_two_approvers_at_once_approve_once(mapping, users, alna):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]),
                                            fields={**COMPLETE, "innsatsgruppe": "varig_tilpasset"})
    waiting = services.assessment_sign(vurdering=draft, actor=Actor.for_user(users["veileder"]))
    first, second = role_user("veileder2", alna, "veileder"), role_user("veileder3", alna, "veileder")
    outcomes = race(lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(first)),
                        lambda: services.assessment_approve(vurdering=waiting, actor=Actor.for_user(second)))
    assert outcomes == ["Vurderingen venter ikke på andre godkjenner.", "ok"]
    assert Arbeidsevnevurdering.objects.get().status == "signert"


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_two_users_saving_the_first_draft_at_once_share_one_version(mapping, users):
    outcomes = race(
        lambda: services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={"del_a": "KAREA"}),
        lambda: services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]), fields={"del_b": "NAV"}))
    assert outcomes == ["ok", "ok"]
    only = Arbeidsevnevurdering.objects.get()
    assert (only.versjon, only.del_a, only.del_b) == (1, "KAREA", "NAV")


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_two_route_decisions_at_once_make_one_avklart_event(mapping, users):
    signed(mapping, users)
    activity(mapping, users)
    outcomes = race(
        lambda: services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="aap_ufore",
                                                       on_date=TODAY, comment="AAP"),
        lambda: services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="aap_ufore",
                                                       on_date=TODAY, comment="AAP"))
    assert outcomes == ["Ruten velges mens deltakeren er i kartlegging.", "ok"]
    assert CourseEvent.objects.filter(deltaker=mapping, state="avklart").count() == 1
    assert Tilbakeforing.objects.count() == 1
