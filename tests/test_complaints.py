"""Complaints (klage) against a vedtak or a § 14 a version: the deadline, who may register and move
them on, the version check, the open list and what is audited."""
import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import AuditEntry
from cases import services as cases_services
from cases.models import Arbeidsevnevurdering
from conditions.models import Vedtak
from conditions.models.complaints import Klage
from conditions.services import complaints as services
from tests import conditions_data as data
from tests.concurrency import race
from tests.helpers import body
from tests.test_mapping import signed

TODAY = datetime.date(2026, 3, 2)
RECEIVED = datetime.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def vedtak(alna, users):
    # Made before the complainant received it (RECEIVED): a complaint is checked against that.
    made = data.vedtak(data.sak(alna), users["vedtak"], soknad=datetime.date(2026, 1, 20))
    Vedtak.objects.filter(pk=made.pk).update(vedtaksdato=datetime.date(2026, 1, 30))
    made.refresh_from_db()
    return made


@pytest.fixture
def assessed(make_deltaker, users):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 1, 5), veileder=users["veileder"])
    cases_services.mapping_start(deltaker=deltaker, actor=Actor.for_user(users["veileder"]),
                                 on_date=datetime.date(2026, 1, 10))
    deltaker.refresh_from_db()
    vurdering = signed(deltaker, users)
    # Signed before the participant received it (the tests' vedtak_mottatt dates).
    Arbeidsevnevurdering.objects.filter(pk=vurdering.pk).update(
        signed_at=datetime.datetime(2026, 1, 30, 10, 0, tzinfo=datetime.UTC))
    vurdering.refresh_from_db()
    return deltaker, vurdering


def register(vedtak, user, *, mottatt, late=None, vedtak_mottatt=RECEIVED):
    return services.klage_register_vedtak(
        vedtak=vedtak, person=vedtak.sak.hovedperson, actor=Actor.for_user(user), vedtak_mottatt=vedtak_mottatt,
        mottatt=mottatt, hva_klagen_gjelder="Beløpet er for lavt.", behandles_etter_frist=late)


def errors_of(call) -> dict:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"__all__": error.value.messages}


def test_a_vedtak_cannot_have_been_received_before_it_was_made(vedtak, users):
    errors = errors_of(lambda: register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 25),
                                        vedtak_mottatt=datetime.date(2026, 1, 2)))
    assert errors == {"vedtak_mottatt": ["Vedtaket ble fattet 30.01.2026. Klageren kan ikke ha fått det før."]}
    assert not Klage.objects.exists()


def test_a_14a_version_cannot_have_been_received_before_it_was_signed(client, users, assessed):
    deltaker, vurdering = assessed
    client.force_login(users["veileder"])
    response = client.post(reverse("assessment-complaint-create", args=[deltaker.pk]), {
        "versjon": vurdering.pk, "vedtak_mottatt": "2026-01-20", "mottatt": "2026-03-01",
        "hva_klagen_gjelder": "Uenig i innsatsgruppen.", "behandles_etter_frist": "ja"})
    assert response.status_code == 400
    assert "Vedtaket ble fattet 30.01.2026. Klageren kan ikke ha fått det før." in body(response)
    assert not Klage.objects.exists()


def test_a_complaint_on_the_twenty_first_day_is_within_the_deadline(vedtak, users):
    klage = register(vedtak, users["vedtak"], mottatt=RECEIVED + datetime.timedelta(days=21))
    assert klage.within_deadline and klage.frist == datetime.date(2026, 2, 22)
    assert klage.behandles_etter_frist is None


def test_a_complaint_on_the_twenty_second_day_asks_whether_it_is_considered_anyway(vedtak, users):
    late = RECEIVED + datetime.timedelta(days=22)
    errors = errors_of(lambda: register(vedtak, users["vedtak"], mottatt=late))
    assert errors["behandles_etter_frist"] == [
        "Klagefristen gikk ut 22.02.2026. Velg om klagen skal behandles likevel (forvaltningsloven § 31)."]
    assert not Klage.objects.exists()
    klage = register(vedtak, users["vedtak"], mottatt=late, late=True)
    assert not klage.within_deadline and klage.behandles_etter_frist is True


def test_dates_in_the_future_or_in_the_wrong_order_are_refused_at_their_fields(vedtak, users):
    errors = errors_of(lambda: register(vedtak, users["vedtak"], mottatt=TODAY + datetime.timedelta(days=1)))
    assert errors["mottatt"] == ["Klagen kan ikke ha kommet fram i tid."]
    errors = errors_of(lambda: register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 1, 31)))
    assert errors["mottatt"] == ["Klagen kan ikke ha kommet før klageren fikk vedtaket."]
    assert not Klage.objects.exists()


def test_the_vedtak_unit_registers_a_complaint_on_the_vedtak_page(client, users, vedtak):
    client.force_login(users["vedtak"])
    url = reverse("vedtak-complaint-create", args=[vedtak.pk])
    form = {"klager": vedtak.sak.hovedperson_id, "vedtak_mottatt": "2026-02-01", "mottatt": "2026-02-25",
            "hva_klagen_gjelder": "Beløpet er for lavt."}
    response = client.post(url, form)
    assert response.status_code == 400
    page = body(response)
    assert "Klagefristen gikk ut 22.02.2026" in page and "Beløpet er for lavt." in page
    assert not Klage.objects.exists()
    response = client.post(url, {**form, "behandles_etter_frist": "ja"}, follow=True)
    assert "Klagen er registrert. Klagefristen var 22.02.2026." in body(response)
    klage = Klage.objects.get()
    assert (klage.vedtak, klage.person, klage.behandles_etter_frist) == (vedtak, vedtak.sak.hovedperson, True)
    assert "kom for sent, behandles likevel" in body(response)
    entry = AuditEntry.objects.get(action="create", object_type="conditions.klage")
    assert (entry.username, entry.person_fnr) == ("vedtak", vedtak.sak.hovedperson.fnr)


def test_roles_and_offices_that_may_not_register_a_vedtak_complaint_are_refused(client, users, vedtak, stovner):
    form = {"klager": vedtak.sak.hovedperson_id, "vedtak_mottatt": "2026-02-01", "mottatt": "2026-02-10",
            "hva_klagen_gjelder": "For lavt"}
    for role, status in (("veileder", 403), ("karea", 403), ("prosjektleder", 403), ("veileder_stovner", 403)):
        client.force_login(users[role])
        assert client.post(reverse("vedtak-complaint-create", args=[vedtak.pk]), form).status_code == status, role
    other = data.vedtak(data.sak(stovner), users["vedtak"])
    client.force_login(users["vedtak"])
    assert client.post(reverse("vedtak-complaint-create", args=[other.pk]), form).status_code == 404
    assert not Klage.objects.exists()


def test_the_veileder_registers_a_complaint_on_the_signed_assessment_from_the_participant_page(client, users, assessed):
    deltaker, vurdering = assessed
    client.force_login(users["veileder"])
    page = body(client.get(reverse("participant-detail", args=[deltaker.pk])))
    assert "Klage på § 14 a-vedtaket" in page and f"Versjon {vurdering.versjon}, signert" in page
    response = client.post(reverse("assessment-complaint-create", args=[deltaker.pk]), {
        "versjon": vurdering.pk, "vedtak_mottatt": "2026-02-20", "mottatt": "2026-03-01",
        "hva_klagen_gjelder": "Jeg vil ha spesielt tilpasset innsats."}, follow=True)
    assert "Klagen er registrert." in body(response)
    klage = Klage.objects.get()
    assert (klage.vurdering, klage.person, klage.within_deadline) == (vurdering, deltaker.person, True)


def test_karea_sees_no_complaint_section_and_may_not_register_one(client, users, assessed):
    deltaker, vurdering = assessed
    client.force_login(users["karea"])
    assert "Klage på § 14 a-vedtaket" not in body(client.get(reverse("participant-detail", args=[deltaker.pk])))
    response = client.post(reverse("assessment-complaint-create", args=[deltaker.pk]), {
        "versjon": vurdering.pk, "vedtak_mottatt": "2026-02-20", "mottatt": "2026-03-01", "hva_klagen_gjelder": "x"})
    assert response.status_code == 403
    client.force_login(users["veileder_stovner"])
    assert client.get(reverse("participant-detail", args=[deltaker.pk])).status_code == 404
    assert not Klage.objects.exists()


def test_a_complaint_moves_to_a_decision_with_outcome_and_date(client, users, vedtak):
    klage = register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 10))
    client.force_login(users["vedtak"])
    url = reverse("complaint-detail", args=[klage.pk])
    response = client.post(url, {"versjon": klage.version, "status": "avgjort"})
    assert response.status_code == 400
    page = body(response)
    assert "Velg utfallet av klagen." in page and "Oppgi datoen klagen ble avgjort." in page
    response = client.post(url, {"versjon": klage.version, "status": "behandles"}, follow=True)
    assert "Klagen har fått status «Under behandling»." in body(response)
    klage.refresh_from_db()
    response = client.post(url, {"versjon": klage.version, "status": "avgjort", "utfall": "medhold",
                                 "avgjort_dato": "2026-03-01", "utfall_begrunnelse": "Feil beregning."}, follow=True)
    klage.refresh_from_db()
    assert (klage.status, klage.utfall, klage.avgjort_dato) == ("avgjort", "medhold", datetime.date(2026, 3, 1))
    assert "Medhold, avgjort 01.03.2026" in body(response) and "Lagre status" not in body(response)
    assert AuditEntry.objects.filter(action="update", object_type="conditions.klage").count() == 2


def test_two_people_changing_a_complaint_at_once_the_second_is_told(client, users, vedtak):
    klage = register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 10))
    opened = klage.version
    services.klage_update(klage=klage, actor=Actor.for_user(users["leder"]), version=opened, status="oversendt")
    client.force_login(users["vedtak"])
    response = client.post(reverse("complaint-detail", args=[klage.pk]),
                           {"versjon": opened, "status": "behandles"}, follow=True)
    assert "Noen andre har endret klagen" in body(response)
    klage.refresh_from_db()
    assert klage.status == "oversendt" and klage.version == opened + 1


@pytest.mark.django_db(transaction=True)
def test_two_people_changing_a_complaint_at_the_same_moment_end_with_one_change(users, vedtak):
    if connection.vendor != "postgresql":
        pytest.skip("radlåser krever PostgreSQL")
    klage = register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 10))

    def update(user, status):
        return lambda: services.klage_update(klage=Klage.objects.get(pk=klage.pk), actor=Actor.for_user(users[user]),
                                             version=1, status=status)

    outcomes = race(update("vedtak", "behandles"), update("leder", "oversendt"))
    assert outcomes[1] == "ok" and outcomes[0].startswith("Noen andre har endret klagen")
    klage.refresh_from_db()
    assert klage.version == 2


def test_readers_without_the_vedtak_role_may_not_change_a_complaint(client, users, vedtak):
    klage = register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 10))
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("complaint-detail", args=[klage.pk])))
    assert "Beløpet er for lavt." in page and "Lagre status" not in page
    assert client.post(reverse("complaint-detail", args=[klage.pk]),
                       {"versjon": klage.version, "status": "behandles"}).status_code == 403
    for role in ("veileder", "karea", "controller"):
        client.force_login(users[role])
        assert client.get(reverse("complaint-detail", args=[klage.pk])).status_code in (403, 404), role
    klage.refresh_from_db()
    assert klage.status == "mottatt"


def test_the_open_list_shows_open_complaints_of_the_office_in_a_fixed_number_of_queries(
        client, users, vedtak, assessed, stovner, django_assert_num_queries):
    deltaker, vurdering = assessed
    register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 10))
    services.klage_register_vurdering(deltaker=deltaker, vurdering=vurdering, actor=Actor.for_user(users["veileder"]),
                                      vedtak_mottatt=RECEIVED, mottatt=datetime.date(2026, 2, 11),
                                      hva_klagen_gjelder="Innsatsgruppen")
    client.force_login(users["vedtak"])
    page = body(client.get(reverse("complaint-list")))
    assert vedtak.sak.hovedperson.navn in page and deltaker.person.navn not in page
    client.force_login(users["veileder"])
    page = body(client.get(reverse("complaint-list")))
    assert deltaker.person.navn in page and vedtak.sak.hovedperson.navn not in page
    client.force_login(users["prosjektleder"])
    url = reverse("complaint-list")
    client.get(url)
    # session, user, memberships, savepoints and the list: one query for every complaint
    with django_assert_num_queries(9) as first:
        page = body(client.get(url))
    assert deltaker.person.navn in page and vedtak.sak.hovedperson.navn in page
    for _ in range(3):
        register(vedtak, users["vedtak"], mottatt=datetime.date(2026, 2, 12))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
    assert not AuditEntry.objects.filter(action="read", object_type="conditions.klage").exists()
