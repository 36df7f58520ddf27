"""Vilkår, documentation, assessment, lifting and hand-over as rules: each allowed path, each
refusal with its Norwegian message and nothing written."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Membership, Role
from cases.models import JournalEntry
from conditions import services
from conditions.models import (
    Dokumentasjon,
    Fase,
    Fullmakt,
    Oppheving,
    OpphevingStatus,
    Overforing,
    Utbetaling,
    Vedtak,
    Vilkar,
)
from conditions.services import ConditionsError
from tests import conditions_data as data
from tests.factories import PersonFactory, role_user

TODAY = data.TODAY


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def vedtak_user(users):
    return users["vedtak"]


# --- vedtak, vilkår and § 20 a -------------------------------------------------------------

def test_a_granted_vedtak_with_an_open_vilkar_waits_for_its_documentation(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    assert (made.resultat, made.fase, made.utbetaling) == ("innvilget", Fase.VILKAR_APNE, Utbetaling.HOLDT)
    assert AuditEntry.objects.filter(object_type="conditions.vedtak", action="create").count() == 1


def test_a_person_under_30_cannot_get_a_granted_vedtak_without_an_activity_vilkar(alna, vedtak_user):
    case = data.sak(alna, age=24)
    made = data.vedtak(case, vedtak_user, decide=False)
    with pytest.raises(ConditionsError, match="er under 30 år. Etter sosialtjenesteloven § 20 a"):
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="innvilget", vedtaksdato=TODAY)
    made.refresh_from_db()
    assert (made.resultat, made.fase) == ("", Fase.SOKNAD)


def test_a_spouse_under_30_needs_an_activity_vilkar_too(alna, vedtak_user):
    case = data.sak(alna, age=45, spouse_age=27)
    made = data.vedtak(case, vedtak_user, vilkar=("aktivitet",), decide=False)
    with pytest.raises(ConditionsError, match=case.ektefelle.navn):
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="innvilget", vedtaksdato=TODAY)


def test_under_30_is_granted_with_an_activity_vilkar_or_a_recorded_reason(alna, vedtak_user):
    with_activity = data.vedtak(data.sak(alna, age=22), vedtak_user, vilkar=("aktivitet",))
    assert with_activity.resultat == "innvilget"
    made = data.vedtak(data.sak(alna, age=22), vedtak_user, decide=False)
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="innvilget", vedtaksdato=TODAY,
                           unntak_20a="Alvorlig sykdom, dokumentert av lege")
    made.refresh_from_db()
    assert made.unntak_20a == "Alvorlig sykdom, dokumentert av lege"


def test_a_refusal_or_a_person_over_30_needs_no_activity_vilkar(alna, vedtak_user):
    made = data.vedtak(data.sak(alna, age=24), vedtak_user, decide=False)
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="avslatt", vedtaksdato=TODAY)
    made.refresh_from_db()
    assert made.fase == Fase.AVSLAG
    assert data.vedtak(data.sak(alna, age=31), vedtak_user).resultat == "innvilget"


def test_a_vedtak_is_decided_once(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg: Søknaden er allerede avgjort."):
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="avslatt", vedtaksdato=TODAY)


def test_a_stale_form_is_refused_with_someone_else_first(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user, decide=False)
    stale = made.version - 1
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg"):
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="innvilget", vedtaksdato=TODAY, version=stale)


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "aktivitet", "mengde": None, "enhet": ""}, "individuelt krav"),
    ({"kind": "aktivitet", "mengde": 120, "enhet": "oppmote_prosent"}, "over 100 %"),
    ({"kind": "dokumentasjon", "hjemmel": "sotjl_20a"}, "§ 20 a gjelder aktivitetsvilkår"),
    ({"beskrivelse": "  "}, "individuell beskrivelse"),
    ({"frist": datetime.date(2020, 1, 1)}, "Fristen kan ikke være før"),
])
def test_a_bad_vilkar_is_refused_and_nothing_is_written(alna, vedtak_user, fields, message):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=())
    values = {"kind": "dokumentasjon", "hjemmel": "sotjl_20", "beskrivelse": "Lever kvittering",
              "frist": TODAY, "mengde": None, "enhet": "", **fields}
    with pytest.raises(ConditionsError, match=message):
        services.vilkar_create(vedtak=made, actor=Actor.for_user(vedtak_user), person=made.sak.hovedperson, **values)
    assert not Vilkar.objects.filter(vedtak=made).exists()


def test_a_vilkar_is_only_set_for_the_households_own_persons(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=())
    stranger = PersonFactory()
    with pytest.raises(ConditionsError, match="hovedpersonen eller ektefellen"):
        services.vilkar_create(vedtak=made, actor=Actor.for_user(vedtak_user), person=stranger, kind="dokumentasjon",
                               hjemmel="sotjl_20", beskrivelse="x", frist=TODAY)


def test_the_database_refuses_an_activity_vilkar_without_quantity(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=())
    with pytest.raises(IntegrityError), transaction.atomic():
        Vilkar.objects.create(vedtak=made, person=made.sak.hovedperson, rolle="hovedperson", kind="aktivitet",
                              hjemmel="sotjl_20", beskrivelse="x", frist=TODAY)


# --- documentation --------------------------------------------------------------------------

def test_an_approved_document_fulfils_the_last_vilkar_and_the_vedtak_is_ready_at_once(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    vilkar = made.vilkar.get()
    services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY,
                                    vurdering="godkjent")
    vilkar.refresh_from_db()
    made.refresh_from_db()
    assert vilkar.status == "oppfylt" and made.fase == Fase.KLAR


def test_a_rejected_document_needs_a_reason_and_leaves_the_vilkar_open(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    with pytest.raises(ConditionsError, match="Skriv hvorfor dokumentasjonen er avvist"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY,
                                        vurdering="avvist")
    assert not Dokumentasjon.objects.exists()
    services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY,
                                    vurdering="avvist", avvist_grunn="Gjelder feil måned")
    vilkar.refresh_from_db()
    assert vilkar.status == "apen"


def test_a_document_not_yet_assessed_is_assessed_later_once(alna, vedtak_user, users):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    doc = services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="strom", mottatt=TODAY)
    vilkar.refresh_from_db()
    assert vilkar.status == "apen"
    services.document_assess(dokumentasjon=doc, actor=Actor.for_user(users["leder"]), vurdering="godkjent")
    vilkar.refresh_from_db()
    assert vilkar.status == "oppfylt" and vilkar.vedtak.fase == Fase.KLAR
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg: Dokumentasjonen er allerede vurdert"):
        services.document_assess(dokumentasjon=doc, actor=Actor.for_user(vedtak_user), vurdering="avvist", avvist_grunn="x")


def test_an_attendance_list_records_days_and_absence_but_does_not_fulfil_the_vilkar(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=("aktivitet",))
    vilkar = made.vilkar.get()
    doc = services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="oppmoteliste", mottatt=TODAY,
                                          vurdering="godkjent", planlagte_dager=10, oppmotte_dager=7,
                                          fravaer_godkjent=2)
    assert (doc.fravaer, doc.fravaer_godkjent, doc.fravaer_ikke_godkjent) == (3, 2, 1)
    vilkar.refresh_from_db()
    assert vilkar.status == "apen"


def test_attendance_days_that_do_not_add_up_are_refused(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user, vilkar=("aktivitet",)).vilkar.get()
    with pytest.raises(ConditionsError, match="ikke være flere enn planlagte dager"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="oppmoteliste", mottatt=TODAY,
                                        planlagte_dager=5, oppmotte_dager=5, fravaer_godkjent=1)
    with pytest.raises(ConditionsError, match="planlagte dager og møtte dager"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="oppmoteliste", mottatt=TODAY)
    assert not Dokumentasjon.objects.exists()


def test_job_applications_are_registered_with_employer_and_date(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user, vilkar=("aktivitet",)).vilkar.get()
    doc = services.document_register(
        vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="jobbsoknader", mottatt=TODAY, vurdering="godkjent",
        soknader=[("Alna renhold", TODAY), ("Rema 1000 Furuset", TODAY - datetime.timedelta(days=2))])
    assert sorted(doc.soknader.values_list("arbeidsgiver", flat=True)) == ["Alna renhold", "Rema 1000 Furuset"]
    with pytest.raises(ConditionsError, match="minst én jobbsøknad"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="jobbsoknader", mottatt=TODAY)


def test_a_document_cannot_be_dated_in_the_future(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    with pytest.raises(ConditionsError, match="fram i tid"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie",
                                        mottatt=TODAY + datetime.timedelta(days=1))


@override_settings(MEDIA_ROOT="/tmp/alnaaktiv-test-media-conditions")
def test_an_upload_is_stored_under_a_random_name_with_its_type_from_the_content(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    doc = services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY,
                                          fil=SimpleUploadedFile("husleie mars.pdf", data.PDF))
    assert doc.filtype == "application/pdf" and doc.filnavn == "husleie mars.pdf"
    assert doc.fil.name.startswith("dokumenter/") and "husleie" not in doc.fil.name
    assert doc.fil.read() == data.PDF


@pytest.mark.parametrize(("name", "content"), [("kvittering.pdf", data.EXE), ("bilde.png", b"GIF89a" + b"\0" * 20),
                                               ("skript.jpg", b"#!/bin/sh\nrm -rf /\n")])
def test_a_renamed_file_of_another_type_is_refused(alna, vedtak_user, name, content):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    with pytest.raises(ValidationError, match="ikke en PDF, JPEG eller PNG"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY,
                                        fil=SimpleUploadedFile(name, content))
    assert not Dokumentasjon.objects.exists()


@override_settings(UPLOAD_MAX_MB=1)
def test_an_oversized_file_is_refused(alna, vedtak_user):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    big = SimpleUploadedFile("stor.png", data.PNG + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="Filen er for stor .* Største tillatte størrelse er 1 MB"):
        services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="husleie", mottatt=TODAY, fil=big)
    assert not Dokumentasjon.objects.exists()


# --- the follow-up veileder's assessment -----------------------------------------------------

def _activity(alna, user, **kwargs):
    made = data.vedtak(data.sak(alna), user, vilkar=("aktivitet",), **kwargs)
    return made, made.vilkar.get()


def test_an_activity_vilkar_met_by_its_quantity_is_assessed_fulfilled(alna, vedtak_user, users):
    made, vilkar = _activity(alna, vedtak_user)
    # period 20.02.–07.03.2026 rounds up to 3 weeks at 2 a week: 6 applications
    services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="jobbsoknader", mottatt=TODAY,
                                    vurdering="godkjent", soknader=[(f"Arbeidsgiver {i}", TODAY) for i in range(6)])
    assert services.activity_vilkar_progress(Vilkar.objects.get(pk=vilkar.pk))["met"] is True
    services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True)
    made.refresh_from_db()
    assert made.fase == Fase.KLAR
    assert not JournalEntry.objects.exists()


def test_fulfilled_although_the_quantity_was_not_met_needs_a_justification_that_is_journaled(alna, vedtak_user, users):
    made, vilkar = _activity(alna, vedtak_user)
    with pytest.raises(ConditionsError, match=r"Kravet er ikke nådd \(0 av 6 jobbsøknader"):
        services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True)
    vilkar.refresh_from_db()
    assert vilkar.status == "apen" and not JournalEntry.objects.exists()
    services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True,
                           begrunnelse="Har vært syk to uker, søkte det som var mulig")
    vilkar.refresh_from_db()
    assert vilkar.status == "oppfylt" and vilkar.oppfylt_under_krav
    note = JournalEntry.objects.get()
    assert note.is_system and note.author == users["veileder"]
    assert "oppfylt selv om kravet ikke er nådd (0 av 6 jobbsøknader" in note.text
    assert "Har vært syk to uker" in note.text


def test_an_activity_vilkar_is_assessed_once(alna, vedtak_user, users):
    _, vilkar = _activity(alna, vedtak_user)
    services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=False)
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg: Vilkåret er allerede vurdert"):
        services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True, begrunnelse="x")


def test_attendance_counts_approved_absence_against_the_percentage(alna, vedtak_user, users):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=(), decide=False)
    vilkar = services.vilkar_create(vedtak=made, actor=Actor.for_user(vedtak_user), person=made.sak.hovedperson, kind="aktivitet",
                                    hjemmel="sotjl_20", beskrivelse="Møt på kurs", frist=TODAY, mengde=80,
                                    enhet="oppmote_prosent", tilbud="alna_aktiv")
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(vedtak_user), resultat="innvilget", vedtaksdato=TODAY)
    services.document_register(vilkar=vilkar, actor=Actor.for_user(vedtak_user), type="oppmoteliste", mottatt=TODAY,
                                    vurdering="godkjent", planlagte_dager=10, oppmotte_dager=6, fravaer_godkjent=2)
    progress = services.activity_vilkar_progress(Vilkar.objects.get(pk=vilkar.pk))
    assert (progress["achieved"], progress["met"]) == (80, True)


def test_a_documentation_vilkar_is_not_assessed_by_the_veileder(alna, vedtak_user, users):
    vilkar = data.vedtak(data.sak(alna), vedtak_user).vilkar.get()
    with pytest.raises(ConditionsError, match="Bare aktivitetsvilkår"):
        services.vilkar_assess(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), oppfylt=True)


# --- waiving and reductions ------------------------------------------------------------------

def test_a_waived_vilkar_needs_a_reason_and_counts_as_done(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    vilkar = made.vilkar.get()
    with pytest.raises(ConditionsError, match="Skriv hvorfor vilkåret faller bort"):
        services.vilkar_waive(vilkar=vilkar, actor=Actor.for_user(vedtak_user), begrunnelse=" ")
    services.vilkar_waive(vilkar=vilkar, actor=Actor.for_user(vedtak_user), begrunnelse="Flyttet til kommunal bolig")
    made.refresh_from_db()
    assert made.fase == Fase.KLAR


# --- lifting, four eyes, fullmakt, hand-over -----------------------------------------------

@pytest.fixture
def ready(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    data.fulfil(made, vedtak_user)
    assert made.fase == Fase.KLAR
    return made


def test_a_vedtak_with_an_open_vilkar_cannot_be_lifted(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user)
    with pytest.raises(ConditionsError, match="ikke klart for oppheving"):
        services.lifting_prepare(vedtak=made, actor=Actor.for_user(vedtak_user))
    assert not Oppheving.objects.exists()


def test_a_leader_approves_a_prepared_lifting_and_the_payout_is_released(ready, users, django_capture_on_commit_callbacks,
                                                                           settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    ready.refresh_from_db()
    assert ready.fase == Fase.TIL_GODKJENNING
    with django_capture_on_commit_callbacks(execute=True):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    ready.refresh_from_db()
    lifting.refresh_from_db()
    assert (ready.fase, ready.utbetaling, lifting.status) == (Fase.OPPHEVET, Utbetaling.FRIGITT, OpphevingStatus.GODKJENT)
    assert Overforing.objects.get().belop == ready.belop
    assert lifting.pdf.name.startswith("oppheving/")


def test_a_leader_never_approves_a_lifting_they_prepared(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["leder"]))
    with pytest.raises(ConditionsError, match="du har forberedt selv"):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    lifting.refresh_from_db()
    assert lifting.status == OpphevingStatus.FORBEREDT and not Overforing.objects.exists()


def test_only_a_leader_approves(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    with pytest.raises(ConditionsError, match="Bare en leder"):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["prosjektleder"]))


def test_the_database_refuses_an_approval_by_the_preparer_without_fullmakt(ready, users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Oppheving.objects.create(vedtak=ready, status="godkjent", prepared_by=users["leder"],
                                 prepared_at=ready.created_at, decided_by=users["leder"], decided_at=ready.created_at)


def test_a_rejection_needs_a_reason_and_puts_the_vedtak_back_in_the_queue(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    with pytest.raises(ConditionsError, match="Skriv hvorfor opphevingen avvises"):
        services.lifting_reject(oppheving=lifting, actor=Actor.for_user(users["leder"]), begrunnelse="")
    services.lifting_reject(oppheving=lifting, actor=Actor.for_user(users["leder"]), begrunnelse="Kvitteringen gjelder feil adresse")
    ready.refresh_from_db()
    assert ready.fase == Fase.KLAR
    services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))


def test_a_second_preparation_or_approval_gets_someone_else_first(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg: Opphevingen av dette vedtaket er allerede forberedt"):
        services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    with pytest.raises(ConditionsError, match="Noen andre har gjort dette før deg: Opphevingen er allerede godkjent"):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    assert Overforing.objects.count() == 1


def test_a_document_registered_while_a_lifting_is_pending_sends_it_back(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    services.document_register(vilkar=ready.vilkar.get(), actor=Actor.for_user(users["vedtak"]), type="annet", mottatt=TODAY)
    lifting.refresh_from_db()
    ready.refresh_from_db()
    assert lifting.status == OpphevingStatus.SENDT_TILBAKE and "Ny dokumentasjon" in lifting.begrunnelse
    assert ready.fase == Fase.KLAR
    with pytest.raises(ConditionsError, match="sendt tilbake"):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    assert not Overforing.objects.exists()


def test_a_fullmakt_holder_lifts_alone_up_to_the_amount(ready, users, alna):
    with pytest.raises(ConditionsError, match="Du har ikke fullmakt"):
        services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]), alone=True)
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("4000"))
    with pytest.raises(ConditionsError, match=r"Beløpet \(5\\xa0000\\xa0kr\) er over fullmakten din \(4\\xa0000\\xa0kr\)"):
        services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]), alone=True)
    assert not Oppheving.objects.exists()
    Fullmakt.objects.filter(user=users["vedtak"]).update(maks_belop=Decimal("5000"))
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]), alone=True)
    ready.refresh_from_db()
    assert lifting.status == OpphevingStatus.GODKJENT and lifting.alene_med_fullmakt and lifting.decided_by == users["vedtak"]
    assert ready.fase == Fase.OPPHEVET and Overforing.objects.filter(vedtak=ready).exists()


def _ready_on(case, user, *, belop: str, soknad: datetime.date | None = None):
    made = data.vedtak(case, user, belop=belop, soknad=soknad)
    data.fulfil(made, user)
    return made


def test_a_payout_split_into_two_vedtak_under_the_fullmakt_is_not_lifted_alone(alna, users):
    # Issue 11: two 4 900 kr vedtak on the same sak and period under a 5 000 kr fullmakt.
    case = data.sak(alna)
    first, second = (_ready_on(case, users["vedtak"], belop="4900") for _ in range(2))
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    services.lifting_prepare(vedtak=first, actor=Actor.for_user(users["vedtak"]), alone=True)
    with pytest.raises(ConditionsError) as error:
        services.lifting_prepare(vedtak=second, actor=Actor.for_user(users["vedtak"]), alone=True)
    assert error.value.messages == [
        "Vedtak på samme sak og periode er allerede opphevet alene for 4\xa0900\xa0kr. Med dette vedtaket blir summen "
        "9\xa0800\xa0kr, over fullmakten din (5\xa0000\xa0kr). Opphevingen må godkjennes av en leder."]
    second.refresh_from_db()
    assert second.fase == Fase.KLAR and not second.opphevinger.exists()
    assert not Overforing.objects.filter(vedtak=second).exists()
    # The four-eyes path remains.
    lifting = services.lifting_prepare(vedtak=second, actor=Actor.for_user(users["vedtak"]))
    assert services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"])).status == OpphevingStatus.GODKJENT


def test_the_alone_sum_counts_every_holder_but_only_the_same_sak_and_an_overlapping_period(alna, users):
    other_holder = role_user("vedtak2", alna, Role.VEDTAK)
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    Fullmakt.objects.create(user=other_holder, office=alna, maks_belop=Decimal("5000"))
    case = data.sak(alna)
    services.lifting_prepare(vedtak=_ready_on(case, users["vedtak"], belop="3000"), actor=Actor.for_user(users["vedtak"]), alone=True)
    # Another holder on the same sak and period: still the same sum.
    with pytest.raises(ConditionsError, match=r"summen 5\\xa0100\\xa0kr"):
        services.lifting_prepare(vedtak=_ready_on(case, other_holder, belop="2100"), actor=Actor.for_user(other_holder), alone=True)
    # Up to the limit is allowed; an earlier period and another sak start from nothing.
    assert services.lifting_prepare(vedtak=_ready_on(case, users["vedtak"], belop="2000"), actor=Actor.for_user(users["vedtak"]),
                                    alone=True).alene_med_fullmakt
    earlier = _ready_on(case, users["vedtak"], belop="4900", soknad=TODAY - datetime.timedelta(days=60))
    assert services.lifting_prepare(vedtak=earlier, actor=Actor.for_user(users["vedtak"]), alone=True).alene_med_fullmakt
    elsewhere = _ready_on(data.sak(alna), users["vedtak"], belop="4900")
    assert services.lifting_prepare(vedtak=elsewhere, actor=Actor.for_user(users["vedtak"]), alone=True).alene_med_fullmakt


def test_a_lifting_approved_by_a_leader_does_not_count_against_the_fullmakt(alna, users):
    case = data.sak(alna)
    first, second = (_ready_on(case, users["vedtak"], belop="4900") for _ in range(2))
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=first, actor=Actor.for_user(users["vedtak"])), actor=Actor.for_user(users["leder"]))
    assert services.lifting_prepare(vedtak=second, actor=Actor.for_user(users["vedtak"]), alone=True).alene_med_fullmakt


def test_a_lifted_vedtak_takes_no_more_documents(ready, users):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    with pytest.raises(ConditionsError, match="allerede opphevet"):
        services.document_register(vilkar=ready.vilkar.get(), actor=Actor.for_user(users["vedtak"]), type="annet", mottatt=TODAY)


def test_payouts_are_marked_sent_once(ready, users, alna):
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"])), actor=Actor.for_user(users["leder"]))
    row = Overforing.objects.get()
    [eksport] = services.handover_export_create(rows=[row], actor=Actor.for_user(users["vedtak"]))
    assert services.handover_export_mark_sent(eksport=eksport, rows=[row.pk], actor=Actor.for_user(users["vedtak"])) == 1
    with pytest.raises(ConditionsError, match="allerede markert som sendt"):
        services.handover_export_mark_sent(eksport=eksport, rows=[row.pk], actor=Actor.for_user(users["vedtak"]))
    row.refresh_from_db()
    assert row.sendt_av == users["vedtak"] and row.sendt_eksport == eksport


def test_a_leader_of_another_office_cannot_approve(ready, users, stovner):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    other = users["veileder_stovner"]
    Membership.objects.create(user=other, office=stovner, role=Role.LEDER)
    with pytest.raises(ConditionsError, match="Bare en leder"):
        services.lifting_approve(oppheving=lifting, actor=Actor.for_user(other))


def test_every_change_is_audited(ready, users):
    before = AuditEntry.objects.count()
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_type, e.person_fnr) for e in entries] == [
        ("create", "conditions.oppheving", ready.sak.hovedperson.fnr),
        ("update", "conditions.oppheving", ready.sak.hovedperson.fnr),
    ]


def test_the_vedtak_phase_is_never_out_of_step(alna, vedtak_user):
    made = data.vedtak(data.sak(alna), vedtak_user, vilkar=("dokumentasjon", "dokumentasjon"))
    first, second = made.vilkar.all()
    services.vilkar_waive(vilkar=first, actor=Actor.for_user(vedtak_user), begrunnelse="Ikke relevant")
    assert Vedtak.objects.get(pk=made.pk).fase == Fase.VILKAR_APNE
    services.vilkar_waive(vilkar=second, actor=Actor.for_user(vedtak_user), begrunnelse="Ikke relevant")
    assert Vedtak.objects.get(pk=made.pk).fase == Fase.KLAR
