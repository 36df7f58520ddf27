"""The participant's consent to share with KAREA (issue 16): KAREA reaches a participant only
while a consent is in force; NAV's roles of the office register and withdraw it (audited, in the
journal), and print the form for signature."""
import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, SecurityEvent
from arbeidsboks.models import Plassering
from cases import services
from cases.models import JournalEntry, Samtykke
from cases.models.consent import DEFAULT_OMFANG
from tests import arbeidsboks_data
from tests.factories import PlasseringFactory, with_consent
from tests.helpers import body, messages, pdf_text
from tests.html import field_has_error, section, textarea_value

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def referred(make_deltaker, make_person):
    return make_deltaker(("kandidat", "henvist"), person=make_person(navn="Sara Samtykke"), samtykke=False)


def page(deltaker) -> str:
    return reverse("participant-detail", args=[deltaker.pk])


def register(client, deltaker, **data):
    return client.post(reverse("consent-register", args=[deltaker.pk]),
                       {"gitt_dato": "02.03.2026", "mate": "skriftlig", "omfang": DEFAULT_OMFANG, **data})


def withdraw(client, deltaker, samtykke, *, confirmed=True, **data):
    return client.post(reverse("consent-withdraw", args=[deltaker.pk, samtykke.pk]),
                       {"trukket_dato": "02.03.2026", "grunn": "Vil ikke lenger", **data,
                        **({"bekreftet": "ja"} if confirmed else {})})


def test_karea_gets_404_without_consent_200_after_it_is_registered_and_404_again_after_withdrawal(
        client, users, referred):
    karea, veileder = client.__class__(), client.__class__()
    karea.force_login(users["karea"])
    veileder.force_login(users["veileder"])

    assert karea.get(page(referred)).status_code == 404
    assert register(veileder, referred).status_code == 302
    assert karea.get(page(referred)).status_code == 200
    samtykke = Samtykke.objects.get(deltaker=referred)
    assert withdraw(veileder, referred, samtykke).status_code == 302
    assert karea.get(page(referred)).status_code == 404

    # All three in the logs: the refusals in the security log, the consent's changes and KAREA's read in the audit log.
    denied = SecurityEvent.objects.filter(username="karea", status=404, path=page(referred))
    assert denied.count() == 2
    entries = AuditEntry.objects.filter(person_fnr=referred.person.fnr)
    assert entries.filter(username="veileder", action="create", object_type="cases.samtykke",
                          object_id=str(samtykke.pk)).exists()
    assert entries.filter(username="veileder", action="update", object_type="cases.samtykke",
                          object_id=str(samtykke.pk)).exists()
    assert entries.filter(username="karea", action="read", object_type="cases.deltaker",
                          object_id=str(referred.pk)).count() == 1
    samtykke.refresh_from_db()
    assert (samtykke.trukket_dato, samtykke.trukket_av, samtykke.trukket_grunn) == (TODAY, users["veileder"],
                                                                                    "Vil ikke lenger")
    notes = list(JournalEntry.objects.filter(deltaker=referred, is_system=True).values_list("text", flat=True))
    assert any(note.startswith("Samtykke til deling med KAREA registrert") for note in notes)
    assert any(note.startswith("Samtykke til deling med KAREA trukket") for note in notes)


def test_without_consent_karea_finds_the_participant_in_no_list_search_count_or_arbeidsboks_page(
        client, users, alna, make_deltaker, make_person):
    shown = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Synlig Samtykket"), samtykke=True)
    hidden = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Skjult Usamtykket"), samtykke=False)
    withdrawn = make_deltaker(("kandidat", "henvist"), person=make_person(navn="Trukket Samtykket"), samtykke=False)
    services.consent_withdraw(samtykke=with_consent(withdrawn) and withdrawn.samtykker.get(), trukket_dato=TODAY,
                              grunn="", actor=Actor.for_user(users["veileder"]))
    area = arbeidsboks_data.area(alna)
    placements = {d.pk: PlasseringFactory(deltaker=d, arbeidsomrade=area) for d in (shown, hidden, withdrawn)}
    client.force_login(users["karea"])

    portfolio = body(client.get(reverse("portfolio"), {"vis": "alle"}))
    assert "Synlig Samtykket" in portfolio
    assert "Skjult Usamtykket" not in portfolio and "Trukket Samtykket" not in portfolio
    found = body(client.post(reverse("search"), {"sok": "samtykket"}))
    assert "Synlig Samtykket" in found and "Skjult Usamtykket" not in found and "Trukket Samtykket" not in found
    inbox = body(client.get(reverse("inbox-list", args=["kontorets-henvisninger"])))
    assert "Synlig Samtykket" in inbox
    assert "Skjult Usamtykket" not in inbox and "Trukket Samtykket" not in inbox
    work_area = body(client.get(reverse("workarea-detail", args=[area.pk])))
    assert "Synlig Samtykket" in work_area
    assert "Skjult Usamtykket" not in work_area and "Trukket Samtykket" not in work_area
    for deltaker in (hidden, withdrawn):
        assert client.get(page(deltaker)).status_code == 404
        assert client.get(reverse("placement-detail", args=[placements[deltaker.pk].pk])).status_code == 404
    assert client.get(reverse("placement-detail", args=[placements[shown.pk].pk])).status_code == 200
    # NAV's own roles see all three, consent or not.
    client.force_login(users["prosjektleder"])
    portfolio = body(client.get(reverse("portfolio"), {"vis": "alle"}))
    assert all(name in portfolio for name in ("Synlig Samtykket", "Skjult Usamtykket", "Trukket Samtykket"))
    assert Plassering.objects.count() == 3


def test_the_page_shows_the_consent_in_force_with_who_registered_it_and_the_history(client, users, referred):
    actor = Actor.for_user(users["veileder"])
    first = services.consent_register(deltaker=referred, gitt_dato=datetime.date(2026, 1, 10), mate="muntlig",
                                      omfang="Navn og oppmøte", actor=actor)
    services.consent_withdraw(samtykke=first, trukket_dato=datetime.date(2026, 2, 1), grunn="Ombestemte seg",
                              actor=actor)
    services.consent_register(deltaker=referred, gitt_dato=datetime.date(2026, 2, 20), mate="skriftlig",
                              omfang=DEFAULT_OMFANG, actor=Actor.for_user(users["hovedveileder"]))
    client.force_login(users["veileder"])
    shown = section(body(client.get(page(referred))), "samtykke")
    assert "Samtykke til deling med KAREA" in shown
    assert "20.02.2026" in shown and "Skriftlig, signert skjema" in shown and "Gjelder" in shown
    assert users["hovedveileder"].display_name in shown
    assert "Tidligere samtykker (1)" in shown and "Ombestemte seg" in shown and "01.02.2026" in shown
    assert "Trekk samtykket" in shown and reverse("consent-form-pdf", args=[referred.pk]) in shown


def test_karea_sees_that_consent_is_given_but_may_not_change_it(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"), samtykke=True)
    client.force_login(users["karea"])
    shown = section(body(client.get(page(deltaker))), "samtykke")
    assert "Gjelder" in shown and "05.01.2026" in shown
    assert reverse("consent-withdraw", args=[deltaker.pk, deltaker.samtykker.get().pk]) not in shown
    assert reverse("consent-register", args=[deltaker.pk]) not in shown
    assert reverse("consent-form-pdf", args=[deltaker.pk]) not in shown
    samtykke = deltaker.samtykker.get()
    assert withdraw(client, deltaker, samtykke).status_code == 403
    assert client.get(reverse("consent-form-pdf", args=[deltaker.pk])).status_code == 403
    samtykke.refresh_from_db()
    assert samtykke.in_force


@pytest.mark.parametrize("role", ["veileder", "hovedveileder", "prosjektleder"])
def test_the_offices_nav_roles_register_consent(client, users, referred, role):
    client.force_login(users[role])
    response = register(client, referred, mate="muntlig")
    assert response.status_code == 302
    assert "Samtykket er registrert. KAREA kan nå se deltakeren." in messages(client.get(response.url))
    samtykke = Samtykke.objects.get(deltaker=referred)
    assert (samtykke.gitt_dato, samtykke.mate, samtykke.registrert_av, samtykke.in_force) == (
        TODAY, "muntlig", users[role], True)


def test_another_office_and_roles_without_participants_may_not_register(client, users, referred):
    for role, status in (("veileder_stovner", 404), ("controller", 403), ("vedtak", 403)):
        client.force_login(users[role])
        assert register(client, referred).status_code == status
    assert not Samtykke.objects.exists()


def test_a_refused_registration_keeps_what_was_typed_and_shows_the_error_at_the_field(client, users, referred):
    client.force_login(users["veileder"])
    response = register(client, referred, gitt_dato="03.03.2026", omfang="Bare navn")
    assert response.status_code == 400
    assert field_has_error(body(response), "samtykke_gitt_dato")
    assert "Datoen samtykket ble gitt kan ikke være fram i tid." in body(response)
    assert textarea_value(body(response), "samtykke_omfang").strip() == "Bare navn"
    response = register(client, referred, mate="")
    assert response.status_code == 400 and "Velg hvordan samtykket ble gitt." in body(response)
    assert not Samtykke.objects.exists() and not JournalEntry.objects.filter(deltaker=referred).exists()


def test_withdrawal_asks_for_confirmation_first_and_changes_nothing_until_then(client, users, referred):
    samtykke = with_consent(referred) and referred.samtykker.get()
    client.force_login(users["veileder"])
    response = withdraw(client, referred, samtykke, confirmed=False)
    assert response.status_code == 200
    assert "Trekk samtykket til deling med KAREA" in body(response)
    assert "kan KAREA ikke lenger se deltakeren" in body(response)
    assert 'name="bekreftet" value="ja"' in body(response)
    samtykke.refresh_from_db()
    assert samtykke.in_force


def test_withdrawal_before_the_consent_was_given_is_refused_at_the_field(client, users, referred):
    samtykke = with_consent(referred, gitt_dato=datetime.date(2026, 2, 10)) and referred.samtykker.get()
    client.force_login(users["veileder"])
    response = withdraw(client, referred, samtykke, confirmed=False, trukket_dato="09.02.2026")
    assert response.status_code == 400
    assert field_has_error(body(response), "samtykke_trekk_trukket_dato")
    assert "Samtykket kan ikke trekkes før det ble gitt (10.02.2026)." in body(response)
    samtykke.refresh_from_db()
    assert samtykke.in_force


def test_the_services_refuse_bad_input_in_norwegian_and_write_nothing(users, referred):
    actor = Actor.for_user(users["veileder"])
    entries = AuditEntry.objects.count()
    with pytest.raises(services.ConsentError) as refused:
        services.consent_register(deltaker=referred, gitt_dato=TODAY + datetime.timedelta(days=1), mate="skriftlig",
                                  omfang=DEFAULT_OMFANG, actor=actor)
    assert refused.value.message_dict == {"gitt_dato": ["Datoen samtykket ble gitt kan ikke være fram i tid."]}
    with pytest.raises(services.ConsentError) as refused:
        services.consent_register(deltaker=referred, gitt_dato=TODAY, mate="skriftlig", omfang="  ", actor=actor)
    assert refused.value.message_dict == {"omfang": ["Skriv hva samtykket gjelder."]}
    assert AuditEntry.objects.count() == entries and not Samtykke.objects.exists()

    samtykke = services.consent_register(deltaker=referred, gitt_dato=TODAY, mate="skriftlig", omfang=DEFAULT_OMFANG,
                                         actor=actor)
    with pytest.raises(services.ConsentError) as refused:
        services.consent_register(deltaker=referred, gitt_dato=TODAY, mate="digitalt", omfang=DEFAULT_OMFANG,
                                  actor=actor)
    assert refused.value.messages == [services.consent.ALREADY_IN_FORCE]
    with pytest.raises(services.ConsentError) as refused:
        services.consent_withdraw(samtykke=samtykke, trukket_dato=TODAY + datetime.timedelta(days=1), grunn="",
                                  actor=actor)
    assert refused.value.message_dict == {"trukket_dato": ["Datoen samtykket ble trukket kan ikke være fram i tid."]}
    services.consent_withdraw(samtykke=samtykke, trukket_dato=TODAY, grunn="", actor=actor)
    with pytest.raises(services.ConsentError) as refused:
        services.consent_withdraw(samtykke=samtykke, trukket_dato=TODAY, grunn="", actor=actor)
    assert refused.value.messages == ["Samtykket er allerede trukket."]
    assert Samtykke.objects.filter(deltaker=referred).count() == 1
    assert JournalEntry.objects.filter(deltaker=referred, is_system=True).count() == 2


def test_the_consent_form_is_a_plain_pdf_for_signature_and_its_printing_is_audited(client, users, referred):
    client.force_login(users["veileder"])
    response = client.get(reverse("consent-form-pdf", args=[referred.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Samtykke til å dele opplysninger med KAREA" in text
    assert "Sara Samtykke" in text
    assert "aktivitetsplanen din" in text and "når du møter opp" in text
    assert "KAREA trenger opplysningene for å finne riktig arbeidstrening for deg" in text
    assert "Det er frivillig" in text
    assert "påvirker det ikke retten din til økonomisk sosialhjelp" in text
    assert "Du kan trekke samtykket når du vil" in text
    assert "Sted og dato" in text and "Underskrift" in text and "Navn med blokkbokstaver" in text
    assert "Side 1 av 1" in text  # one sheet to sign
    assert referred.person.fnr not in text
    assert AuditEntry.objects.filter(username="veileder", action="export", person_fnr=referred.person.fnr,
                                     object_type="cases.deltaker", object_id=str(referred.pk)).exists()
    client.force_login(users["veileder_stovner"])
    assert client.get(reverse("consent-form-pdf", args=[referred.pk])).status_code == 404


def test_the_participant_page_reads_the_consent_in_one_query_however_long_its_history(
        client, users, referred, django_assert_num_queries):
    actor = Actor.for_user(users["veileder"])
    with_consent(referred, gitt_dato=datetime.date(2026, 2, 2))
    client.force_login(users["veileder"])
    with CaptureQueriesContext(connection) as before:
        assert client.get(page(referred)).status_code == 200
    for day in (3, 4):
        samtykke = referred.samtykker.get(trukket_at__isnull=True)
        services.consent_withdraw(samtykke=samtykke, trukket_dato=datetime.date(2026, 2, day), grunn="", actor=actor)
        services.consent_register(deltaker=referred, gitt_dato=datetime.date(2026, 2, day), mate="muntlig",
                                  omfang=DEFAULT_OMFANG, actor=actor)
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(page(referred)).status_code == 200
