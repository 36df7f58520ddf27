"""The mapping page, the PDFs, the printable plan, the work lists and the hand-back list as users
see them: who may do what, what is audited, what the PDF says, and fixed query counts."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from cases import services
from cases.models import Aktivitet, Arbeidsevnevurdering, Deltaker, Tilbakeforing
from tests.factories import role_user
from tests.helpers import body, pdf_text
from tests.test_mapping import COMPLETE, activity, signed

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def met(make_deltaker, make_person, users):
    return make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1),
                         person=make_person(navn="Åse Ødegård"), veileder=users["veileder"],
                         hovedveileder=users["hovedveileder"])


@pytest.fixture
def mapping(met, users):
    services.mapping_start(deltaker=met, actor=Actor.for_user(users["karea"]), on_date=datetime.date(2026, 2, 10))
    met.refresh_from_db()
    return met


def test_karea_starts_and_records_the_mapping_through_the_page(client, users, met):
    client.force_login(users["karea"])
    page = body(client.get(reverse("mapping-detail", args=[met.pk])))
    assert "Kartleggingen er ikke startet." in page and "Start kartlegging" in page
    response = client.post(reverse("mapping-start", args=[met.pk]), {"date": "2026-03-02"}, follow=True)
    assert "Kartleggingen er startet." in body(response)
    response = client.post(reverse("mapping-update", args=[met.pk]), {
        "metode_samtale": "on", "metode_arbeidsevneformel": "on", "jobbonsker": "Kantine", "test_regning": "Bestått",
        "omrade_sprak": "barriere", "notat_sprak": "Trenger norskopplæring", "omrade_helse": "ressurs",
        "notat_helse": "",
    }, follow=True)
    assert "Skriv en kort vurdering for «Helse»." in body(response)
    response = client.post(reverse("mapping-update", args=[met.pk]), {
        "metode_samtale": "on", "metode_arbeidsevneformel": "on", "jobbonsker": "Kantine", "test_regning": "Bestått",
        "omrade_sprak": "barriere", "notat_sprak": "Trenger norskopplæring",
    }, follow=True)
    page = body(response)
    assert "Kartleggingen er lagret." in page
    assert "Samtale, KAREAs arbeidsevneformel" in page and "Trenger norskopplæring" in page
    client.post(reverse("mapping-week", args=[met.pk]), {"uke": "1", "planlagte_dager": "5", "mott_dager": "4"})
    assert "4 av 5 dager" in body(client.get(reverse("mapping-detail", args=[met.pk])))


def test_the_mapping_page_is_audited_and_readers_see_no_forms(client, users, mapping):
    client.force_login(users["hovedveileder"])
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert "Kartlegging og avklaring" in page
    assert "Lagre kartleggingen" not in page and "Lagre utkastet" not in page and "Velg ruten" not in page
    entry = AuditEntry.objects.get(action="read")
    assert (entry.action, entry.person_fnr, entry.object_type, entry.username) == (
        "read", mapping.person.fnr, "cases.deltaker", "hovedveileder")


def test_karea_never_reaches_the_mapping_of_a_mere_candidate(client, users, make_deltaker):
    candidate = make_deltaker(("kandidat",))
    client.force_login(users["karea"])
    assert client.get(reverse("mapping-detail", args=[candidate.pk])).status_code == 404
    assert client.post(reverse("mapping-start", args=[candidate.pk]), {"date": "2026-03-02"}).status_code == 404


def test_karea_drafts_but_only_nav_signs_the_assessment(client, users, mapping):
    client.force_login(users["karea"])
    client.post(reverse("assessment-save", args=[mapping.pk]), COMPLETE)
    draft = Arbeidsevnevurdering.objects.get()
    assert draft.created_by == users["karea"]
    assert "Signer vurderingen" not in body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]),
                       {**COMPLETE, "bekreftet": "ja"}).status_code == 403
    client.force_login(users["veileder"])
    response = client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]), {**COMPLETE, "bekreftet": "ja"},
                           follow=True)
    assert "Vurderingen er signert." in body(response)
    assert "Gjeldende vurdering (versjon 1)" in body(response)


def test_an_incomplete_assessment_is_refused_on_the_page_with_each_missing_part(client, users, mapping):
    client.force_login(users["veileder"])
    client.post(reverse("assessment-save", args=[mapping.pk]), {"del_a": "Noe", "innsatsgruppe": "spesielt_tilpasset"})
    draft = Arbeidsevnevurdering.objects.get()
    response = client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]),
                           {"del_a": "Noe", "innsatsgruppe": "spesielt_tilpasset", "bekreftet": "ja"})
    assert response.status_code == 400  # the page again, the form as it was, each error at its field
    page = body(response)
    assert "Fyll ut «c) Behov for bistand»." in page and "Velg hovedmål." in page
    assert "Skriv en begrunnelse for innsatsgruppen." in page
    assert 'aria-invalid="true" aria-describedby="vurdering_hovedmal_error"' in page
    draft.refresh_from_db()
    assert draft.status == "utkast"


def test_the_author_is_refused_as_second_approver_on_the_page(client, users, mapping):
    client.force_login(users["veileder"])
    client.post(reverse("assessment-save", args=[mapping.pk]), {**COMPLETE, "innsatsgruppe": "varig_tilpasset"})
    draft = Arbeidsevnevurdering.objects.get()
    page = body(client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]),
                            {**COMPLETE, "innsatsgruppe": "varig_tilpasset", "bekreftet": "ja"}, follow=True))
    assert "sendt til andre godkjenner" in page
    assert "kan ikke godkjenne den selv" in page
    page = body(client.post(reverse("assessment-approve", args=[mapping.pk, draft.pk]), follow=True))
    assert "Andre godkjenner kan ikke være en som har skrevet i vurderingen." in page
    assert Arbeidsevnevurdering.objects.get().status == "til_godkjenning"


def test_the_approve_button_is_shown_only_to_a_veileder_who_did_not_write_or_sign(client, users, mapping, alna):
    a, b, c = (role_user(f"veileder_{name}", alna, "veileder") for name in "abc")
    services.assessment_save(deltaker=mapping, actor=Actor.for_user(a), fields={"del_a": "x"})
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(b), fields={**COMPLETE, "innsatsgruppe": "varig_tilpasset"})
    services.assessment_sign(vurdering=draft, actor=Actor.for_user(a))
    approve_url = reverse("assessment-approve", args=[mapping.pk, draft.pk])
    for user in (a, b):
        client.force_login(user)
        page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
        assert "Skrevet av veileder_a, veileder_b" in page
        assert approve_url not in page and "kan ikke godkjenne den selv" in page
    page = body(client.post(approve_url, follow=True))
    assert "Andre godkjenner kan ikke være en som har skrevet i vurderingen." in page
    assert Arbeidsevnevurdering.objects.get().status == "til_godkjenning"
    client.force_login(c)
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert approve_url in page and "kan ikke godkjenne den selv" not in page
    confirmation = body(client.post(approve_url))
    assert "kan ikke endres etterpå" in confirmation and "Bekreft og godkjenn" in confirmation
    assert Arbeidsevnevurdering.objects.get().status == "til_godkjenning"
    assert "Vurderingen er godkjent" in body(client.post(approve_url, {"bekreftet": "ja"}, follow=True))


def test_the_signed_assessment_pdf_has_the_five_parts_in_plain_norwegian(client, users, mapping):
    vurdering = signed(mapping, users)
    client.force_login(users["hovedveileder"])
    text = pdf_text(client.get(reverse("assessment-pdf", args=[mapping.pk, vurdering.pk])))
    for heading in ("a) Muligheter for å komme i arbeid", "b) Hvilket arbeid som er målet", "c) Behov for bistand",
                    "d) Om og i hvilken grad arbeidsevnen er nedsatt", "e) Hva slags bistand som passer"):
        assert heading in text
    for part in ("del_a", "del_b", "del_c", "del_d", "del_e"):
        assert COMPLETE[part] in text
    assert "Åse Ødegård" in text and "Situasjonsbestemt innsats" in text and "Skaffe arbeid" in text
    assert "Du trenger hjelp fra NAV en periode" in text
    assert mapping.person.fnr not in text  # the birth date is enough for the participant's copy
    entry = AuditEntry.objects.get(action="export")
    assert (entry.person_fnr, entry.object_type) == (mapping.person.fnr, "cases.arbeidsevnevurdering")


def test_an_unsigned_assessment_has_no_pdf(client, users, mapping):
    draft = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["veileder"]), fields=COMPLETE)
    client.force_login(users["veileder"])
    response = client.get(reverse("assessment-pdf", args=[mapping.pk, draft.pk]), follow=True)
    assert "Bare en signert arbeidsevnevurdering kan lastes ned som PDF." in body(response)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_printable_plan_and_its_pdf_show_the_agreed_activities(client, users, mapping):
    signed(mapping, users)
    activity(mapping, users, type="jobbsoking", beskrivelse="Søk jobber i renhold", soknader_per_uke=6, avtalt=True)
    cancelled = activity(mapping, users, beskrivelse="Avlyst kurs")
    services.activity_update(aktivitet=cancelled, actor=Actor.for_user(users["veileder"]), fields={"status": "avbrutt"})
    client.force_login(users["karea"])
    page = body(client.get(reverse("plan-print", args=[mapping.pk])))
    assert "Søk jobber i renhold" in page and "6 søknader per uke" in page and "Avlyst kurs" not in page
    assert 'data-print' in page and "<script" in page and "nonce=" in page
    text = pdf_text(client.get(reverse("plan-pdf", args=[mapping.pk])))
    assert "Aktivitetsplan" in text and "Søk jobber i renhold" in text and "6 søknader per uke" in text
    assert "Avlyst kurs" not in text
    assert AuditEntry.objects.filter(action="read", object_type="cases.deltaker").count() == 1
    assert AuditEntry.objects.filter(action="export", person_fnr=mapping.person.fnr).count() == 1


def test_activity_is_added_edited_and_refused_with_messages(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("activity-create", args=[mapping.pk]), {
        "type": "jobbsoking", "beskrivelse": "Søk jobber", "fra_dato": "2026-03-02", "til_dato": "2026-04-30",
        "status": "planlagt"}, follow=True)
    assert "Skriv hvor mange søknader per uke som er avtalt for jobbsøkingen." in body(response)
    assert not Aktivitet.objects.exists()
    client.post(reverse("activity-create", args=[mapping.pk]), {
        "type": "jobbsoking", "beskrivelse": "Søk jobber", "fra_dato": "2026-03-02", "til_dato": "2026-04-30",
        "status": "planlagt", "soknader_per_uke": "5", "avtalt": "on"})
    aktivitet = Aktivitet.objects.get()
    edit = reverse("activity-edit", args=[mapping.pk, aktivitet.pk])
    assert "Lagre aktiviteten" in body(client.get(edit))
    client.post(edit, {"type": "jobbsoking", "beskrivelse": "Søk jobber", "fra_dato": "2026-03-02",
                       "til_dato": "2026-04-30", "status": "fullfort", "soknader_per_uke": "5", "avtalt": "on"})
    assert Aktivitet.objects.get().status == "fullfort"
    assert "kan ikke endres" in body(client.get(edit))
    response = client.post(edit, {"type": "kurs", "beskrivelse": "Endret", "fra_dato": "2026-03-02",
                                  "til_dato": "2026-04-30", "status": "gjennomfores"}, follow=True)
    assert "Aktiviteten er fullført og kan ikke endres." in body(response)
    assert Aktivitet.objects.get().beskrivelse == "Søk jobber"


def test_the_route_hands_the_case_back_to_the_hovedveileders_work_list(client, users, mapping):
    signed(mapping, users)
    activity(mapping, users)
    client.force_login(users["veileder"])
    response = client.post(reverse("route-decide", args=[mapping.pk]),
                           {"rute": "aap_ufore", "date": "2026-03-02", "comment": ""}, follow=True)
    assert "Skriv hva som er avklart" in body(response)
    chosen = {"rute": "aap_ufore", "date": "2026-03-02", "comment": "Legeerklæring tyder på varig nedsatt helse."}
    confirmation = body(client.post(reverse("route-decide", args=[mapping.pk]), chosen))
    assert "kan ikke endres etterpå" in confirmation and "Saken føres tilbake til hovedveilederen" in confirmation
    assert Deltaker.objects.get().status == "i_kartlegging"
    client.post(reverse("route-decide", args=[mapping.pk]), {**chosen, "bekreftet": "ja"})
    mapping.refresh_from_db()
    assert mapping.status == "avklart"

    client.force_login(users["hovedveileder"])
    start = body(client.get(reverse("start")))
    assert f'<a href="{reverse("handback-list")}">Tilbakeført fra Alna Aktiv</a>' in start
    assert '1<span class="visually-hidden"> sak</span>' in start
    listing = body(client.get(reverse("handback-list")))
    assert "Åse Ødegård" in listing and "Avklaring mot AAP/uføretrygd" in listing
    assert "Legeerklæring tyder på varig nedsatt helse." in listing
    handback = Tilbakeforing.objects.get()
    client.post(reverse("handback-receive", args=[mapping.pk, handback.pk]))
    assert "Ingen saker er ført tilbake til deg." in body(client.get(reverse("handback-list")))
    assert AuditEntry.objects.filter(action="update", object_type="cases.tilbakeforing").exists()


def test_another_hovedveileders_handback_is_not_on_my_list(client, users, mapping, alna):
    other = role_user("hovedveileder2", alna, "hovedveileder")
    signed(mapping, users)
    activity(mapping, users)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="statlig_tiltak",
                                           on_date=TODAY, comment="Lønnstilskudd")
    client.force_login(other)
    assert "Ingen saker er ført tilbake til deg." in body(client.get(reverse("handback-list")))


def test_work_lists_count_and_link_to_the_same_participants(client, users, make_deltaker, make_person):
    veileder = users["veileder"]
    late = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1), veileder=veileder,
                         person=make_person(navn="Sen Kartlegging"))  # met 03.02, 27 days ago
    make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 20), veileder=veileder,
                  person=make_person(navn="Nylig Møtt"))  # met 22.02, 8 days ago
    long_mapping = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging"), start=datetime.date(2026, 1, 5),
                                 veileder=veileder, person=make_person(navn="Lang Kartlegging"))  # 08.01
    idle_plan = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging", "avklart"), veileder=veileder,
                              person=make_person(navn="Plan Uten Aktiv"))
    Aktivitet.objects.create(deltaker=idle_plan, type="kurs", beskrivelse="Ferdig kurs", status="fullfort",
                             fra_dato=datetime.date(2026, 1, 10), til_dato=datetime.date(2026, 2, 1), created_by=veileder)
    overdue = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging", "avklart", "i_aktivitet"),
                            veileder=veileder, person=make_person(navn="Over Sluttdato"))
    Aktivitet.objects.create(deltaker=overdue, type="kurs", beskrivelse="Kurs", status="gjennomfores",
                             fra_dato=datetime.date(2026, 1, 10), til_dato=datetime.date(2026, 3, 1), created_by=veileder)
    make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 1, 1),
                  person=make_person(navn="Annen Veileder"))
    client.force_login(veileder)
    start = body(client.get(reverse("start")))
    expected = {"ikke_kartlagt": {late}, "lang_kartlegging": {long_mapping}, "plan_uten_aktiv": {idle_plan},
                "aktivitet_forfalt": {overdue}}
    names = ["Sen Kartlegging", "Nylig Møtt", "Lang Kartlegging", "Plan Uten Aktiv", "Over Sluttdato",
             "Annen Veileder"]
    for code, members in expected.items():
        url = f"{reverse('portfolio')}?vis=mine&amp;arbeidsliste={code}"
        assert url in start
        listing = body(client.get(reverse("portfolio"), {"vis": "mine", "arbeidsliste": code}))
        assert {name for name in names if name in listing} == {d.person.navn for d in members}, code
    assert start.count('1<span class="visually-hidden"> sak</span>') == 4


def test_the_mapping_page_runs_a_fixed_number_of_queries(client, users, mapping, django_assert_num_queries):
    client.force_login(users["veileder"])
    url = reverse("mapping-detail", args=[mapping.pk])
    client.get(url)
    with django_assert_num_queries(18) as first:
        # 17: + the vilkår the plan activities carry (conditions, through the frame)
        # 18: + the participant's statements on the plan and the assessment (issue 16)
        client.get(url)
    signed(mapping, users)
    services.assessment_new_version(deltaker=mapping, actor=Actor.for_user(users["veileder"]))
    for number in range(6):
        activity(mapping, users, beskrivelse=f"Aktivitet {number}")
    services.mapping_update(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields={},
                                        omrader={"sprak": ("ressurs", "God"), "helse": ("barriere", "Rygg")})
    for week in (1, 2):
        services.klart_jeg_kan_register(deltaker=mapping, actor=Actor.for_user(users["karea"]), uke=week, planlagte_dager=5,
                                                mott_dager=5)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_hand_back_list_runs_a_fixed_number_of_queries(client, users, make_deltaker, django_assert_num_queries):
    client.force_login(users["hovedveileder"])

    def hand_back():
        deltaker = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging", "avklart"),
                                 hovedveileder=users["hovedveileder"])
        return Tilbakeforing.objects.create(deltaker=deltaker, rute="statlig_tiltak", date=TODAY, decided="Tiltak",
                                            created_by=users["veileder"])

    def received_and_undone(undo: bool):
        handback = hand_back()
        actor = Actor.for_user(users["hovedveileder"])
        services.handback_receive(tilbakeforing=handback, actor=actor)
        if undo:  # back on the open list with its trace, then received again with it
            services.handback_undo_receipt(tilbakeforing=handback, actor=actor, reason="Feil rad")
            services.handback_receive(tilbakeforing=handback, actor=actor)

    hand_back()
    received_and_undone(undo=True)
    client.get(reverse("handback-list"))
    with django_assert_num_queries(12) as first:
        client.get(reverse("handback-list"))
    for number in range(5):
        hand_back()
        received_and_undone(undo=number % 2 == 0)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("handback-list"))


def test_a_trekantmote_is_journaled_with_who_took_part(client, users, met):
    client.force_login(users["karea"])
    response = client.post(reverse("participant-journal", args=[met.pk]),
                           {"kind": "trekantmote", "date": "2026-03-02", "text": "Plan for arbeidstrening"}, follow=True)
    assert "Skriv hvem som deltok i møtet." in body(response)
    client.post(reverse("participant-journal", args=[met.pk]),
                {"kind": "trekantmote", "date": "2026-03-02", "text": "Plan for arbeidstrening",
                 "participants": "Deltakeren, Vera Veileder (NAV), Kari (KAREA), Renholdsleder"})
    page = body(client.get(reverse("participant-detail", args=[met.pk])))
    assert "Trekantmøte 02.03.2026" in page
    assert "Deltok:</strong> Deltakeren, Vera Veileder (NAV), Kari (KAREA), Renholdsleder" in page


def test_controller_never_reaches_the_mapping(client, users, mapping):
    client.force_login(users["controller"])
    for name in ("mapping-detail", "plan-print", "plan-pdf"):
        assert client.get(reverse(name, args=[mapping.pk])).status_code == 403
    assert Deltaker.objects.get().status == "i_kartlegging"


def test_the_mapping_is_started_from_the_participant_page(client, users, met):
    client.force_login(users["hovedveileder"])
    assert "Start kartlegging" not in body(client.get(reverse("participant-detail", args=[met.pk])))
    client.force_login(users["veileder"])
    page = body(client.get(reverse("participant-detail", args=[met.pk])))
    assert f'action="{reverse("mapping-start", args=[met.pk])}"' in page
    response = client.post(reverse("mapping-start", args=[met.pk]), {"date": "2026-03-02"})
    assert response["Location"] == reverse("mapping-detail", args=[met.pk]) + "#kartlegging"
    assert Deltaker.objects.get().status == "i_kartlegging"
    assert "Start kartlegging" not in body(client.get(reverse("participant-detail", args=[met.pk])))


def test_an_imported_mapping_is_registered_from_the_mapping_page(client, users, make_deltaker):
    imported = make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging"), start=datetime.date(2026, 1, 5))
    client.force_login(users["veileder"])
    page = body(client.get(reverse("mapping-detail", args=[imported.pk])))
    assert "Løpet er importert som «I kartlegging» fra 08.01.2026." in page
    response = client.post(reverse("mapping-start", args=[imported.pk]), {"date": "2026-01-08"}, follow=True)
    assert "Kartleggingen er startet." in body(response) and "Startet 08.01.2026" in body(response)


def test_the_printable_plan_runs_a_fixed_number_of_queries(client, users, mapping, django_assert_num_queries):
    signed(mapping, users)
    activity(mapping, users)
    client.force_login(users["karea"])
    url = reverse("plan-print", args=[mapping.pk])
    client.get(url)
    with django_assert_num_queries(13) as first:  # 13: + the participant's statements on the plan (issue 16)
        client.get(url)
    for number in range(8):
        activity(mapping, users, beskrivelse=f"Aktivitet {number}", avtalt=number % 2 == 0)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_assessment_offers_oke_deltakelse_and_shows_it_on_the_page_the_pdf_the_plan_and_the_handback(
    client, users, mapping,
):
    """Issue 16: NAV's third main goal (inkludering) next to «Skaffe arbeid» and «Beholde arbeid»."""
    client.force_login(users["veileder"])
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    for value, label in (("skaffe_arbeid", "Skaffe arbeid"), ("beholde_arbeid", "Beholde arbeid"),
                         ("oke_deltakelse", "Øke deltakelse")):
        assert f'<option value="{value}">{label}</option>' in page
    client.post(reverse("assessment-save", args=[mapping.pk]), {**COMPLETE, "hovedmal": "oke_deltakelse",
                                                                "innsatsgruppe": "spesielt_tilpasset"})
    draft = Arbeidsevnevurdering.objects.get()
    assert draft.hovedmal == "oke_deltakelse"
    response = client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]),
                           {**COMPLETE, "hovedmal": "oke_deltakelse", "innsatsgruppe": "spesielt_tilpasset",
                            "bekreftet": "ja"}, follow=True)
    assert "Vurderingen er signert." in body(response) and "Øke deltakelse" in body(response)
    text = pdf_text(client.get(reverse("assessment-pdf", args=[mapping.pk, draft.pk])))
    assert "Hovedmål: Øke deltakelse" in text
    assert "Øke deltakelse" in pdf_text(client.get(reverse("plan-pdf", args=[mapping.pk])))
    activity(mapping, users, avtalt=True)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]), rute="statlig_tiltak",
                          on_date=TODAY, comment="Søkes inn på et tiltak for deltakelse.")
    assert "hovedmål: øke deltakelse" in Tilbakeforing.objects.get(deltaker=mapping).decided
