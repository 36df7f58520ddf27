"""The conditions pages: what each role sees, the actions through the views, uploads and
downloads with their audit entries, the lifting PDF read back, the CSV export, query pins."""
import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, User
from conditions import selectors, services
from conditions.models import Dokumentasjon, Fase, Fullmakt, Oppheving, Overforing
from tests import conditions_data as data
from tests.helpers import logged_in, messages, pdf_text

TODAY = data.TODAY


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill_office(alna, users, count: int) -> None:
    """`count` of each kind the work list and the queue show."""
    for _ in range(count):
        data.vedtak(data.sak(alna), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
        services.document_register(vilkar=data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get(),
                                        actor=Actor.for_user(users["vedtak"]), type="strom", mottatt=TODAY)
        data.vedtak(data.sak(alna), users["vedtak"], decide=False, soknad=TODAY - datetime.timedelta(days=13))
        ready = data.vedtak(data.sak(alna), users["vedtak"])
        data.fulfil(ready, users["vedtak"])
        pending = data.vedtak(data.sak(alna), users["vedtak"])
        data.fulfil(pending, users["vedtak"])
        services.lifting_prepare(vedtak=pending, actor=Actor.for_user(users["vedtak"]))
        # a payout in a named export, one marked as sent with its own, one not exported yet
        data.export(alna, users)
        services.handover_export_mark_sent(eksport=data.export(alna, users), rows=list(Overforing.objects.values_list("pk", flat=True)),
                                   actor=Actor.for_user(users["vedtak"]))
        data.approved(alna, users)


# Each includes the request's own (session, user, memberships, savepoints, session renewal) and one for
# the office ids the list queries filter on.
PINNED_QUERIES = {"conditions-worklist": 19, "lifting-queue": 15, "handover-list": 15, "activity-list": 11}


@pytest.mark.parametrize("name", ["conditions-worklist", "lifting-queue", "handover-list", "activity-list"])
def test_list_pages_run_a_fixed_number_of_queries(client, users, alna, name):
    role = "veileder" if name == "activity-list" else "leder"
    logged_in(client, users[role])
    _fill_office(alna, users, 1)
    few = _queries(client, reverse(name))
    _fill_office(alna, users, 3)
    assert _queries(client, reverse(name)) == few == PINNED_QUERIES[name]


def test_the_work_list_shows_each_section_with_its_rows(client, users, alna):
    _fill_office(alna, users, 1)
    body = logged_in(client, users["vedtak"]).get(reverse("conditions-worklist")).content.decode()
    for heading in ["Dokumentasjon mottatt, ikke vurdert (1)", "Vilkår som venter på dokumentasjon (4)",
                    "Søknader nær eller over 14-dagersfristen (1)"]:
        assert heading in body
    assert 'Klare for oppheving <span class="badge text-bg-light">1</span>' in body
    assert "nær fristen" in body


def test_applications_past_the_deadline_are_flagged(client, users, alna):
    data.vedtak(data.sak(alna), users["vedtak"], decide=False, soknad=TODAY - datetime.timedelta(days=16))
    body = logged_in(client, users["vedtak"]).get(reverse("conditions-worklist")).content.decode()
    assert "over fristen" in body


def test_vilkar_past_due_are_listed_as_broken(client, users, alna):
    data.vedtak(data.sak(alna), users["vedtak"])
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        body = logged_in(client, users["vedtak"]).get(reverse("conditions-worklist")).content.decode()
    assert "Vilkår over frist (1)" in body


def test_documentation_is_registered_in_one_step_from_the_work_list(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    vilkar = made.vilkar.get()
    logged_in(client, users["vedtak"])
    response = client.post(reverse("document-register", args=[vilkar.pk]), {
        "type": "husleie", "mottatt": "2026-03-01", "vurdering": "godkjent",
        "fil": SimpleUploadedFile("husleie.png", data.PNG), "tilbake": reverse("conditions-worklist"),
    }, follow=True)
    # back to the work list's section the row was in, with the message there
    assert response.redirect_chain[-1][0] == reverse("conditions-worklist") + "#venter"
    body = response.content.decode()
    section = body.split('id="venter"')[1].split("</section>")[0]
    assert f"Dokumentasjonen er registrert for {made.sak.hovedperson.navn}." in section
    made.refresh_from_db()
    assert made.fase == Fase.KLAR
    assert Dokumentasjon.objects.get().filtype == "image/png"


def test_a_renamed_executable_is_refused_through_the_page_and_nothing_is_written(client, users, alna):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get()
    response = logged_in(client, users["vedtak"]).post(reverse("document-register", args=[vilkar.pk]), {
        "type": "husleie", "mottatt": "2026-03-01", "vurdering": "godkjent",
        "fil": SimpleUploadedFile("kvittering.pdf", data.EXE, content_type="application/pdf"),
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "ikke en PDF, JPEG eller PNG" in body.split(f'id="dok{vilkar.pk}_fil"')[1]
    assert "Filen må velges på nytt." in body
    assert not Dokumentasjon.objects.exists()


def test_an_oversized_upload_is_refused_through_the_page(client, users, alna, settings):
    settings.UPLOAD_MAX_MB = 1
    vilkar = data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get()
    response = logged_in(client, users["vedtak"]).post(reverse("document-register", args=[vilkar.pk]), {
        "type": "husleie", "mottatt": "2026-03-01",
        "fil": SimpleUploadedFile("stor.pdf", data.PDF + b"0" * (1024 * 1024 + 1)), "vurdering": "ikke_vurdert",
    })
    assert response.status_code == 400 and "Filen er for stor" in response.content.decode()
    assert not Dokumentasjon.objects.exists()


def test_a_downloaded_document_is_audited_and_sent_as_an_attachment(client, users, alna):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get()
    doc = services.document_register(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), type="husleie", mottatt=TODAY,
                                          fil=SimpleUploadedFile("mars.pdf", data.PDF))
    response = logged_in(client, users["leder"]).get(reverse("document-download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="mars.pdf"')
    assert b"".join(response.streaming_content) == data.PDF
    entry = AuditEntry.objects.filter(action="read", object_type="conditions.dokumentasjon").get()
    assert (entry.username, entry.person_fnr) == ("leder", vilkar.person.fnr)


def test_a_veileder_downloads_only_documents_of_activity_vilkar(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    rent = services.document_register(vilkar=made.vilkar.get(kind="dokumentasjon"), actor=Actor.for_user(users["vedtak"]),
                                           type="husleie", mottatt=TODAY, fil=SimpleUploadedFile("a.pdf", data.PDF))
    logged_in(client, users["veileder"])
    assert client.get(reverse("document-download", args=[rent.pk])).status_code == 404


@pytest.mark.parametrize("role", ["karea", "controller"])
def test_karea_and_the_controller_never_get_a_document(client, users, alna, role):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",)).vilkar.get()
    doc = services.document_register(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), type="annet", mottatt=TODAY,
                                          fil=SimpleUploadedFile("a.pdf", data.PDF))
    assert logged_in(client, users[role]).get(reverse("document-download", args=[doc.pk])).status_code == 403


def test_the_vedtak_page_is_audited_for_each_person_of_the_household(client, users, alna):
    made = data.vedtak(data.sak(alna, spouse_age=50), users["vedtak"])
    logged_in(client, users["vedtak"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("vedtak-detail", args=[made.pk]))
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(action="read", object_type="conditions.vedtak")
    assert set(reads.values_list("person_fnr", flat=True)) == {made.sak.hovedperson.fnr, made.sak.ektefelle.fnr}
    body = response.content.decode()
    assert "Lever kvittering for husleie" in body and "Registrer dokumentasjon" in body
    few = len(queries)
    for _ in range(3):
        services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson, kind="aktivitet",
                               hjemmel="sotjl_20", beskrivelse="Møt på kurs", frist=TODAY, mengde=80,
                               enhet="oppmote_prosent", tilbud="alna_aktiv")
    assert _queries(client, reverse("vedtak-detail", args=[made.pk])) == few == 20  # + plan activities, sanctions, events, complaints (issue 16)


def test_a_protected_persons_vedtak_is_not_found_without_permission(client, users, alna):
    made = data.vedtak(data.sak(alna, adressebeskyttelse="strengt_fortrolig"), users["vedtak"])
    assert logged_in(client, users["vedtak"]).get(reverse("vedtak-detail", args=[made.pk])).status_code == 404
    body = client.get(reverse("conditions-worklist")).content.decode()
    assert "Skjermet person" not in body and made.sak.hovedperson.navn not in body


def test_the_prosjektleder_reads_but_has_no_actions(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    body = logged_in(client, users["prosjektleder"]).get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    assert "Lever kvittering for husleie" in body and "Registrer dokumentasjon" not in body


def test_a_vedtak_is_registered_decided_and_given_a_vilkar_through_the_pages(client, users, alna):
    case = data.sak(alna, age=24)
    logged_in(client, users["vedtak"])
    response = client.post(reverse("vedtak-create"), {
        "saksnummer": case.saksnummer, "soknad_mottatt": "2026-02-25", "periode_fra": "2026-03-01",
        "periode_til": "2026-03-31", "belop": "7400", "varslet_reduksjon": "on"})
    made = case.vedtak.get()
    assert response.url == reverse("vedtak-detail", args=[made.pk]) + "#vedtak-overskrift"
    response = client.post(reverse("vedtak-decide", args=[made.pk]), {
        "resultat": "innvilget", "vedtaksdato": "2026-03-02", "unntak_20a": "", "versjon": made.version})
    # refused at the field that answers it, in the decision's own form
    assert response.status_code == 400
    assert "under 30 år" in response.content.decode().split('id="fatt-vedtak"')[1].split('name="unntak_20a"')[1]
    client.post(reverse("vilkar-create", args=[made.pk]), {
        "person": case.hovedperson.pk, "kind": "aktivitet", "hjemmel": "sotjl_20a",
        "beskrivelse": "Søk 8 jobber i uka innen lager", "frist": "2026-03-31", "mengde": 8, "enhet": "soknader_per_uke",
        "tilbud": "jobbsoking", "fravaer_terskel": 20})
    made.refresh_from_db()
    client.post(reverse("vedtak-decide", args=[made.pk]), {
        "resultat": "innvilget", "vedtaksdato": "2026-03-02", "versjon": made.version})
    made.refresh_from_db()
    assert (made.resultat, made.fase) == ("innvilget", Fase.VILKAR_APNE)


def test_an_unknown_or_other_offices_sak_is_not_found_when_registering(client, users, stovner):
    other = data.sak(stovner)
    response = logged_in(client, users["vedtak"]).post(reverse("vedtak-create"), {
        "saksnummer": other.saksnummer, "soknad_mottatt": "2026-02-25", "periode_fra": "2026-03-01",
        "periode_til": "2026-03-31", "belop": "7400"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Fant ingen sak med dette saksnummeret ved ditt kontor." in body.split('name="saksnummer"')[1]
    assert f'value="{other.saksnummer}"' in body and 'value="7400"' in body


def test_the_veileder_assesses_an_activity_vilkar_with_a_journaled_justification(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",))
    vilkar = made.vilkar.get()
    logged_in(client, users["veileder"])
    page = client.get(reverse("vilkar-assess", args=[vilkar.pk])).content.decode()
    assert "0 av 6 jobbsøknader" in page and "Kravet er ikke nådd" in page
    response = client.post(reverse("vilkar-assess", args=[vilkar.pk]), {"oppfylt": "ja", "versjon": vilkar.version})
    # the same page again, with the choice kept and the error at the justification
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv en begrunnelse" in body.split('name="begrunnelse"')[1]
    assert 'value="ja"' in body and "checked" in body.split('value="ja"')[1].split(">")[0]
    client.post(reverse("vilkar-assess", args=[vilkar.pk]),
                {"oppfylt": "ja", "begrunnelse": "Syk i to uker", "versjon": vilkar.version})
    response = client.post(reverse("vilkar-assess", args=[vilkar.pk]),
                           {"oppfylt": "nei", "versjon": vilkar.version})
    assert response.status_code == 400 and "Noen andre har gjort dette før deg" in response.content.decode()
    vilkar.refresh_from_db()
    assert vilkar.status == "oppfylt" and vilkar.oppfylt_under_krav


def test_a_veileder_of_another_office_cannot_assess(client, users, alna):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",)).vilkar.get()
    assert logged_in(client, users["veileder_stovner"]).get(reverse("vilkar-assess", args=[vilkar.pk])).status_code == 404


def test_approval_renders_the_lifting_form_as_a_pdf_with_every_vilkar(client, users, alna,
                                                                       django_capture_on_commit_callbacks):
    made = data.vedtak(data.sak(alna, spouse_age=45), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    services.document_register(vilkar=made.vilkar.get(kind="aktivitet"), actor=Actor.for_user(users["vedtak"]),
                                    type="jobbsoknader", mottatt=TODAY, vurdering="godkjent",
                                    soknader=[("Alna renhold", TODAY)])
    data.fulfil(made, users["vedtak"])
    lifting = services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"]))
    logged_in(client, users["leder"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lifting-approve", args=[lifting.pk]), {"bekreftet": "ja"}, follow=True)
    assert any("Opphevingen er godkjent" in message for message in messages(response))
    pdf = client.get(reverse("lifting-pdf", args=[lifting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf)
    for expected in ["Opphevingsskjema", made.sak.saksnummer, made.sak.hovedperson.navn, made.sak.ektefelle.navn,
                     "Lever kvittering for husleie", "Søk 2 jobber per uke innen renhold", "Alna renhold",
                     "Kvittering for husleie", "Godkjent av"]:
        assert expected in text, expected
    assert re.search(r"5\s000\skr", text), "beløpet med tusenskille"
    assert AuditEntry.objects.filter(action="read", object_type="conditions.oppheving", username="leder").exists()


def test_the_pdf_is_not_offered_before_it_exists(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    data.fulfil(made, users["vedtak"])
    lifting = services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"]))
    response = logged_in(client, users["leder"]).get(reverse("lifting-pdf", args=[lifting.pk]), follow=True)
    assert "Opphevingsskjemaet lages fortsatt. Prøv igjen om litt." in messages(response)


def _approved(alna, users, count=1):
    for _ in range(count):
        made = data.vedtak(data.sak(alna), users["vedtak"])
        data.fulfil(made, users["vedtak"])
        services.lifting_approve(oppheving=services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"])),
                                 actor=Actor.for_user(users["leder"]))


def test_the_hand_over_list_exports_csv_with_an_audit_entry_per_person(client, users, alna):
    _approved(alna, users, 2)
    text = data.export_csv(logged_in(client, users["vedtak"]))
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0]) == ["saksnummer", "fnr", "navn", "belop", "periode_fra", "periode_til", "vedtaksdato",
                             "frigitt", "kontor", "reduksjon", "reduksjon_perioder", "netto", "utbetaling"]
    assert len(rows) == 2 and rows[0]["belop"] == "5000,00" and len(rows[0]["fnr"]) == 11
    assert AuditEntry.objects.filter(action="export", object_type="conditions.overforing").count() == 2


def test_payouts_are_marked_sent_once_through_the_page(client, users, alna):
    _approved(alna, users, 1)
    row = Overforing.objects.get()
    logged_in(client, users["vedtak"])
    client.post(reverse("handover-export"))
    eksport = row.eksporter.get()
    client.post(reverse("handover-mark-sent", args=[eksport.pk]))
    row.refresh_from_db()
    assert row.sendt_av == users["vedtak"]
    body = client.get(reverse("handover-list")).content.decode()
    assert "Ingen utbetalinger venter på overføring." in body


def test_the_leader_is_not_offered_the_approval_of_their_own(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    data.fulfil(made, users["vedtak"])
    own = services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["leder"]))
    body = logged_in(client, users["leder"]).get(reverse("lifting-queue")).content.decode()
    assert "Du forberedte den selv; en annen leder må godkjenne den" in body
    assert reverse("lifting-review", args=[own.pk]) not in body
    response = client.post(reverse("lifting-approve", args=[own.pk]), {"bekreftet": "ja"}, follow=True)
    assert any("du har forberedt selv" in message for message in messages(response))
    assert Oppheving.objects.get().status == "forberedt"


def test_lift_alone_is_not_offered_when_the_sak_and_period_would_pass_the_fullmakt(client, users, alna):
    case = data.sak(alna)
    first, second = (data.vedtak(case, users["vedtak"], belop="4900") for _ in range(2))
    for made in (first, second):
        data.fulfil(made, users["vedtak"])
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    logged_in(client, users["vedtak"])
    assert "Opphev alene med fullmakt" in client.get(reverse("vedtak-detail", args=[second.pk])).content.decode()
    services.lifting_prepare(vedtak=first, actor=Actor.for_user(users["vedtak"]), alone=True)
    page = client.get(reverse("vedtak-detail", args=[second.pk])).content.decode()
    assert "Opphev alene med fullmakt" not in page and "Forbered oppheving" in page
    assert "din fullmakt" not in client.get(reverse("lifting-queue")).content.decode()
    response = client.post(reverse("lifting-prepare", args=[second.pk]), {"alene": "1"}, follow=True)
    assert any("blir summen 9\xa0800\xa0kr" in message for message in messages(response))
    assert not second.opphevinger.exists()


def test_a_start_page_counts_the_vedtak_units_work(client, users, alna):
    _fill_office(alna, users, 1)
    body = logged_in(client, users["vedtak"]).get(reverse("start")).content.decode()
    assert "Klare for oppheving" in body and "Søknader nær eller over 14-dagersfristen" in body
    body = logged_in(client, users["leder"]).get(reverse("start")).content.decode()
    assert "Opphevinger som venter på din godkjenning" in body


def test_seed_demo_fills_every_list_of_the_vedtak_unit_and_the_leader(db, client):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=True):
        call_command("seed_demo", verbosity=0)
    vedtak_user, leder = User.objects.get(username="vedtak"), User.objects.get(username="leder")
    counts = {item["label"]: item["count"] for item in selectors.start_worklist_vedtak(vedtak_user)}
    assert counts.pop("Vilkår over frist") >= 1
    assert counts == {"Klare for oppheving": 2, "Dokumentasjon mottatt, ikke vurdert": 1,
                      "Søknader nær eller over 14-dagersfristen": 2}
    assert selectors.start_worklist_leder(leder)[0]["count"] == 1
    assert Overforing.objects.count() == 1
    assert selectors.activity_vilkar_to_assess(User.objects.get(username="veileder")).count() >= 1


def test_lifting_alone_asks_for_a_confirmation_naming_the_amount_before_the_payout_is_released(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"], belop="4900")
    data.fulfil(made, users["vedtak"])
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    logged_in(client, users["vedtak"])
    response = client.post(reverse("lifting-prepare", args=[made.pk]), {"alene": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Oppheve vedtaket på sak {made.sak.saksnummer} alene?" in body
    assert "Ja, opphev alene og frigi 4\xa0900\xa0kr" in body and 'name="bekreftet" value="ja"' in body
    assert "kan ikke endres etterpå" in body
    assert not made.opphevinger.exists() and not Overforing.objects.exists()
    response = client.post(reverse("lifting-prepare", args=[made.pk]), {"alene": "1", "bekreftet": "ja"}, follow=True)
    assert any("opphevet med fullmakt" in message for message in messages(response))
    assert Overforing.objects.get().vedtak == made


def test_a_fullmakt_holder_is_told_why_lifting_alone_is_not_offered(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"], belop="5100")
    data.fulfil(made, users["vedtak"])
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    page = logged_in(client, users["vedtak"]).get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    assert "Opphev alene med fullmakt" not in page
    assert "Du kan ikke oppheve dette alene: Beløpet (5\xa0100\xa0kr) er over fullmakten din (5\xa0000\xa0kr)." in page


def test_the_lifting_queue_tables_fit_a_phone(client, users, alna):
    """Each table sits directly in a .table-responsive box: a 390 px phone scrolls the table, not the page."""
    _fill_office(alna, users, 1)
    body = logged_in(client, users["vedtak"]).get(reverse("lifting-queue")).content.decode()
    starts = [index for index in range(len(body)) if body.startswith("<table", index)]
    assert len(starts) == 2
    assert all(body.rfind("<div", 0, start) == body.rfind('<div class="table-responsive">', 0, start) for start in starts)
