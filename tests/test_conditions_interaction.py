"""Issue 12's money steps on the conditions pages: the leader approves a lifting only on a review
page that shows every vilkår with its documentation; payouts are marked sent per named export
(nothing pre-ticked, a payout released after the export is not in it, no confirmation page since
«sendt» is undone with a reason); registered documentation has no assessment chosen in advance."""
import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from conditions import services
from conditions.models import Dokumentasjon, Oppheving, Overforing, OverforingEksport
from tests import conditions_data as data
from tests.html import field_has_error, field_tag


@pytest.fixture(autouse=True)
def frozen_today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def prepared(alna, users):
    made = data.vedtak(data.sak(alna, spouse_age=35), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    data.fulfil(made, users["vedtak"])
    return services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"]))


def test_the_queue_offers_no_approval_only_the_review_page(client, users, prepared):
    client.force_login(users["leder"])
    body = client.get(reverse("lifting-queue")).content.decode()
    assert reverse("lifting-approve", args=[prepared.pk]) not in body
    assert f'href="{reverse("lifting-review", args=[prepared.pk])}"' in body


def test_the_review_page_shows_every_vilkar_with_its_documentation_and_is_audited_for_both_spouses(
        client, users, prepared):
    vedtak = prepared.vedtak
    client.force_login(users["leder"])
    body = client.get(reverse("lifting-review", args=[prepared.pk])).content.decode()
    for vilkar in vedtak.vilkar.all():
        assert vilkar.beskrivelse in body
    for document in Dokumentasjon.objects.filter(vilkar__vedtak=vedtak):
        assert document.get_type_display() in body
    assert f"Godkjenn og frigi {vedtak.belop:,.0f}".replace(",", "\u00a0") in body
    read = set(AuditEntry.objects.filter(action="read", object_type="conditions.oppheving").values_list(
        "person_fnr", flat=True))
    assert read == {vedtak.sak.hovedperson.fnr, vedtak.sak.ektefelle.fnr}


def test_approving_without_the_review_pages_confirmation_changes_nothing(client, users, prepared):
    client.force_login(users["leder"])
    response = client.post(reverse("lifting-approve", args=[prepared.pk]))
    assert response.status_code == 200 and "Godkjenn og frigi" in response.content.decode()
    prepared.refresh_from_db()
    assert prepared.status == "forberedt" and not Overforing.objects.exists()
    response = client.post(reverse("lifting-approve", args=[prepared.pk]), {"bekreftet": "ja"})
    assert response.status_code == 302
    prepared.refresh_from_db()
    assert prepared.status == "godkjent" and Overforing.objects.filter(vedtak=prepared.vedtak).count() == 1


def test_the_preparer_is_offered_no_approval_on_the_review_page(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    data.fulfil(made, users["vedtak"])
    own = services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["leder"]))
    client.force_login(users["leder"])
    body = client.get(reverse("lifting-review", args=[own.pk])).content.decode()
    assert "Godkjenn og frigi" not in body and "en annen leder ved kontoret må godkjenne den" in body
    client.post(reverse("lifting-approve", args=[own.pk]), {"bekreftet": "ja"})
    assert Oppheving.objects.get(pk=own.pk).status == "forberedt"


def test_marking_sent_applies_to_the_rows_of_the_named_export_only(client, users, alna):
    eksport = data.export(alna, users)
    later = data.approved(alna, users)  # released after the export: not in it
    client.force_login(users["vedtak"])
    page = client.get(reverse("handover-list")).content.decode()
    assert " checked" not in page  # nothing pre-ticked
    assert "Marker 1 utbetaling som sendt" in page
    response = client.post(reverse("handover-mark-sent", args=[eksport.pk]))
    assert response["Location"] == f"{reverse('handover-list')}#eksporter"
    sent = set(Overforing.objects.filter(sendt_at__isnull=False).values_list("vedtak_id", flat=True))
    assert later.pk not in sent and len(sent) == 1
    page = client.get(response["Location"]).content.decode()
    assert f"1 utbetaling i {eksport.navn} er markert som sendt til fellestjenesten." in page
    assert "Angre «sendt»" in page  # the way back, with a reason


def test_sendt_is_undone_with_a_reason_and_the_rows_return_to_the_list(client, users, alna):
    eksport = data.export(alna, users)
    client.force_login(users["vedtak"])
    client.post(reverse("handover-mark-sent", args=[eksport.pk]))
    url = reverse("handover-undo-sent", args=[eksport.pk])
    refused = client.post(url, {"grunn": " "})
    assert refused.status_code == 400 and field_has_error(refused.content.decode(), f"angre{eksport.pk}_grunn")
    assert Overforing.objects.filter(sendt_at__isnull=False).count() == 1
    response = client.post(url, {"grunn": "Fellestjenesten fikk ikke filen"})
    assert response["Location"] == f"{reverse('handover-list')}#eksporter"
    eksport.refresh_from_db()
    assert (eksport.angret_av, eksport.angret_grunn) == (users["vedtak"], "Fellestjenesten fikk ikke filen")
    assert not Overforing.objects.filter(sendt_at__isnull=False).exists()
    page = client.get(reverse("handover-list")).content.decode()
    assert "«Sendt» angret" in page and "Fellestjenesten fikk ikke filen" in page


def test_an_undo_made_by_someone_else_first_is_told_in_the_exports_section(client, users, alna):
    eksport = data.export(alna, users)
    services.handover_export_mark_sent(eksport=eksport, rows=list(eksport.rader.values_list("pk", flat=True)),
                               actor=Actor.for_user(users["vedtak"]))
    services.handover_export_undo_sent(eksport=eksport, actor=Actor.for_user(users["leder"]), grunn="Feil fil")
    client.force_login(users["vedtak"])
    response = client.post(reverse("handover-undo-sent", args=[eksport.pk]), {"grunn": "Også feil"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"«Sendt» er allerede angret for {eksport.navn}" in page
    assert OverforingEksport.objects.get(pk=eksport.pk).angret_grunn == "Feil fil"


def test_registered_documentation_has_no_assessment_chosen_in_advance(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    vilkar = made.vilkar.get()
    client.force_login(users["vedtak"])
    page = client.get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    radios = re.findall(rf'<input[^>]*name="vurdering"[^>]*id="dok{vilkar.pk}_[a-z]+"[^>]*>', page)
    assert len(radios) == 3 and not any("checked" in radio for radio in radios)
    response = client.post(reverse("document-register", args=[vilkar.pk]),
                           {"type": "strom", "mottatt": "2026-03-02"})
    assert response.status_code == 400
    assert "Velg en vurdering: godkjent, avvist eller ikke vurdert ennå." in response.content.decode()
    assert not Dokumentasjon.objects.filter(vilkar=vilkar).exists()


def test_a_refused_activity_vilkar_keeps_what_was_typed_with_the_error_at_its_field(client, users, alna):
    case = data.sak(alna)
    made = data.vedtak(case, users["vedtak"], decide=False)
    client.force_login(users["vedtak"])
    response = client.post(reverse("vilkar-create", args=[made.pk]), {
        "person": case.hovedperson.pk, "kind": "aktivitet", "hjemmel": "sotjl_20a",
        "beskrivelse": "Søk jobber innen lager og logistikk", "frist": "2026-03-31", "mengde": "", "enhet": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Søk jobber innen lager og logistikk" in page and 'value="2026-03-31"' in page
    assert field_has_error(page, "vilkar_mengde") and "autofocus" in field_tag(page, "vilkar_mengde")
    assert made.vilkar.filter(beskrivelse__startswith="Søk jobber").count() == 0


def test_a_fresh_vedtak_waits_for_documentation_and_nothing_is_called_broken(client, users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    client.force_login(users["vedtak"])
    page = client.get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    assert "Venter på dokumentasjon" in page
    assert "ikke oppfylt" not in page.lower() and "Vilkår brutt" not in page


def test_the_vedtak_unit_is_told_a_leader_approves_not_another_leader(client, users, prepared):
    client.force_login(users["vedtak"])
    queue = client.get(reverse("lifting-queue")).content.decode()
    detail = client.get(reverse("vedtak-detail", args=[prepared.vedtak_id])).content.decode()
    for page in (queue, detail):
        assert "en annen leder" not in page
    assert "Du forberedte den; en leder ved kontoret godkjenner den" in queue
    assert "En leder ved kontoret godkjenner eller avviser den." in detail


def test_the_deadline_is_named_from_its_setting_everywhere(client, users, alna, settings):
    settings.DECISION_DEADLINE_DAYS = 10
    data.vedtak(data.sak(alna), users["vedtak"], decide=False, soknad=data.TODAY - datetime.timedelta(days=9))
    client.force_login(users["vedtak"])
    pages = [client.get(reverse(name)).content.decode() for name in ("start", "conditions-worklist", "vedtak-create")]
    assert "Søknader nær eller over 10-dagersfristen" in pages[0] and "Søknader nær eller over 10-dagersfristen" in pages[1]
    assert "Vedtaket skal fattes innen 10 dager" in pages[2]
    assert not any("14-dagersfristen" in page or "innen 14 dager" in page for page in pages)
