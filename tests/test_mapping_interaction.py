"""Issue 12 on the mapping page and the hand-back list: a refused form comes back as typed with
the error at its field, every message is inside the section acted in, «Signer vurderingen» signs
what is on screen after a confirmation, approving needs a confirmation, «Mottatt» can be undone
with a reason, and no innsatsgruppe is shown before a § 14 a vurdering is signed."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from cases import services
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    Deltaker,
    Kartlegging,
    KlartJegKanUke,
    Tilbakeforing,
    TilbakeforingAngring,
)
from tests.factories import role_user
from tests.helpers import body
from tests.html import field_has_error, section
from tests.test_mapping import COMPLETE, activity, signed

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def mapping(make_deltaker, make_person, users):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1),
                             person=make_person(navn="Åse Ødegård"), veileder=users["veileder"],
                             hovedveileder=users["hovedveileder"])
    services.mapping_start(deltaker=deltaker, actor=Actor.for_user(users["karea"]),
                                       on_date=datetime.date(2026, 2, 10))
    deltaker.refresh_from_db()
    return deltaker


@pytest.fixture
def draft(mapping, users):
    """A complete draft written by KAREA, ready for NAV to sign."""
    return services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]), fields=COMPLETE)


# --- refused forms come back as typed, the error at the field --------------------------------

def test_a_refused_kartlegging_keeps_what_was_typed_and_marks_the_area(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("mapping-update", args=[mapping.pk]), {
        "metode_samtale": "on", "jobbonsker": "Kantine på Furuset", "omrade_helse": "ressurs", "notat_helse": "",
        "omrade_sprak": "barriere", "notat_sprak": "Trenger norskkurs B1"})
    assert response.status_code == 400
    page = body(response)
    assert "Kantine på Furuset</textarea>" in page and "Trenger norskkurs B1</textarea>" in page
    assert field_has_error(page, "kartlegging_notat_helse") and "Skriv en kort vurdering for «Helse»." in page
    assert "<details class=\"action-card mb-3\" open>" in page  # the form stays open
    assert 'autofocus' in page.split('id="kartlegging_notat_helse"')[0].rsplit("<textarea", 1)[1]
    kartlegging = Kartlegging.objects.get()
    assert kartlegging.jobbonsker == "" and not kartlegging.omrader.exists()


def test_a_refused_klart_jeg_kan_week_keeps_the_comment_and_marks_the_days(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("mapping-week", args=[mapping.pk]),
                           {"uke": "2", "planlagte_dager": "3", "mott_dager": "4", "kommentar": "Syk onsdag"})
    assert response.status_code == 400
    page = body(response)
    assert 'value="Syk onsdag"' in page and field_has_error(page, "kjk_mott_dager")
    assert "Møtte dager kan ikke være flere enn planlagte dager." in section(page, "kartlegging")
    assert not KlartJegKanUke.objects.exists()


def test_a_refused_draft_keeps_the_text_of_every_part(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("assessment-save", args=[mapping.pk]),
                           {**COMPLETE, "innsatsgruppe": "ukjent_gruppe"})
    assert response.status_code == 400
    page = body(response)
    assert f"{COMPLETE['del_c']}</textarea>" in page and f"{COMPLETE['begrunnelse']}</textarea>" in page
    assert field_has_error(page, "vurdering_innsatsgruppe")
    assert not Arbeidsevnevurdering.objects.exists()


def test_a_new_activity_ending_before_it_starts_is_refused_at_the_to_date(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("activity-create", args=[mapping.pk]), {
        "type": "kurs", "beskrivelse": "Norskkurs på Furuset", "fra_dato": "2026-04-01", "til_dato": "2026-03-15",
        "status": "planlagt"})
    assert response.status_code == 400
    page = body(response)
    assert "Norskkurs på Furuset</textarea>" in page and 'value="2026-03-15"' in page
    assert field_has_error(page, "aktivitet_til_dato") and "Til-dato kan ikke være før fra-dato." in page
    assert '<details class="action-card" open>' in page
    assert not Aktivitet.objects.exists()


def test_a_refused_activity_edit_stays_on_the_edit_page_as_typed(client, users, mapping):
    aktivitet = activity(mapping, users)
    client.force_login(users["karea"])
    response = client.post(reverse("activity-edit", args=[mapping.pk, aktivitet.pk]), {
        "type": "kurs", "beskrivelse": "Endret beskrivelse", "fra_dato": "2026-03-01", "til_dato": "2026-02-01",
        "status": "planlagt"})
    assert response.status_code == 400
    page = body(response)
    assert "Endre aktivitet" in page and "Endret beskrivelse</textarea>" in page
    assert field_has_error(page, "aktivitet_til_dato")
    assert Aktivitet.objects.get().beskrivelse == "Norskkurs B1"


def test_a_refused_cancellation_shows_the_activity_as_stored_and_the_form_as_typed(client, users, mapping):
    aktivitet = activity(mapping, users)
    Aktivitet.objects.filter(pk=aktivitet.pk).update(avtalt=True)
    client.force_login(users["veileder"])
    response = client.post(reverse("activity-edit", args=[mapping.pk, aktivitet.pk]), {
        "type": "kurs", "beskrivelse": "Avlyst av arrangøren", "fra_dato": "2026-03-01", "til_dato": "2026-04-01",
        "avtalt": "on", "status": "avbrutt", "avbrutt_begrunnelse": ""})
    assert response.status_code == 400
    page = body(response)
    assert "status planlagt" in page and "kan ikke endres" not in page
    assert "Avlyst av arrangøren</textarea>" in page
    assert field_has_error(page, "aktivitet_avbrutt_begrunnelse") and "Skriv hvorfor en avtalt aktivitet avbrytes." in page
    assert Aktivitet.objects.get().status == "planlagt"


def test_a_route_handing_back_without_what_was_decided_is_refused_at_that_field(client, users, mapping):
    signed(mapping, users)
    activity(mapping, users)
    client.force_login(users["veileder"])
    response = client.post(reverse("route-decide", args=[mapping.pk]),
                           {"rute": "aap_ufore", "date": "2026-03-02", "comment": "  "})
    assert response.status_code == 400
    page = body(response)
    assert '<option value="aap_ufore" selected>' in page and field_has_error(page, "rute_comment")
    assert Deltaker.objects.get().status == "i_kartlegging" and not Tilbakeforing.objects.exists()


# --- messages in the section acted in ----------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "section_id", "message"), [
    ("mapping-update", {"jobbonsker": "Lager"}, "kartlegging", "Kartleggingen er lagret."),
    ("mapping-week", {"uke": "1", "planlagte_dager": "5", "mott_dager": "4"}, "klart-jeg-kan",
     "Oppmøtet i «Klart jeg kan» er registrert."),
    ("assessment-save", COMPLETE, "vurdering", "Utkastet til arbeidsevnevurdering er lagret."),
    ("activity-create", {"type": "kurs", "beskrivelse": "Kurs", "fra_dato": "2026-03-02", "til_dato": "2026-04-01",
                         "status": "planlagt"}, "plan", "Aktiviteten er lagt til i planen."),
])
def test_each_action_shows_its_message_inside_its_section(client, users, mapping, name, data, section_id, message):
    client.force_login(users["karea"])
    response = client.post(reverse(name, args=[mapping.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("mapping-detail", args=[mapping.pk]) + f"#{section_id}"
    page = body(client.get(response["Location"]))
    assert page.count(message) == 1
    own = page[page.index(f'id="{section_id}"'):]
    assert own.index(message) < 400  # right below the section's heading, not at the top of the page


def test_a_refused_button_shows_its_message_in_the_assessment_section(client, users, mapping):
    client.force_login(users["karea"])
    response = client.post(reverse("assessment-new-version", args=[mapping.pk]), follow=True)
    page = body(response)
    assert "Det finnes ingen signert vurdering å lage en ny versjon av." in section(page, "vurdering")


# --- «Signer vurderingen» signs what is on screen ---------------------------------------------

def test_the_sign_button_belongs_to_the_draft_form(client, users, draft, mapping):
    client.force_login(users["veileder"])
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    form = page[page.index(f'action="{reverse("assessment-save", args=[mapping.pk])}"'):]
    form = form[:form.index("</form>")]
    assert f'formaction="{reverse("assessment-sign", args=[mapping.pk, draft.pk])}"' in form
    assert "Signer vurderingen" in form


def test_signing_asks_for_confirmation_and_then_signs_what_was_on_screen(client, users, draft, mapping):
    client.force_login(users["veileder"])
    url = reverse("assessment-sign", args=[mapping.pk, draft.pk])
    on_screen = {**COMPLETE, "begrunnelse": "Endret på skjermen, ikke lagret."}
    confirmation = client.post(url, on_screen)
    assert confirmation.status_code == 200
    page = body(confirmation)
    assert "kan ikke endres etterpå" in page and "Bekreft og signer" in page
    assert "Situasjonsbestemt innsats" in page and "Endret på skjermen, ikke lagret." in page
    assert 'name="begrunnelse" value="Endret på skjermen, ikke lagret."' in page  # carried to «Bekreft»
    draft.refresh_from_db()
    assert draft.status == "utkast" and draft.begrunnelse == COMPLETE["begrunnelse"]  # nothing yet

    response = client.post(url, {**on_screen, "bekreftet": "ja"})
    assert response["Location"] == reverse("mapping-detail", args=[mapping.pk]) + "#vurdering"
    draft.refresh_from_db()
    assert (draft.status, draft.begrunnelse, draft.signed_by) == ("signert", "Endret på skjermen, ikke lagret.",
                                                                  users["veileder"])
    assert set(draft.authors.all()) == {users["karea"], users["veileder"]}  # the signer changed the text
    assert "Vurderingen er signert." in section(body(client.get(response["Location"])), "vurdering")


def test_signing_an_unchanged_draft_does_not_make_the_signer_an_author(client, users, draft, mapping):
    client.force_login(users["veileder"])
    client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]), {**COMPLETE, "bekreftet": "ja"})
    draft.refresh_from_db()
    assert draft.status == "signert" and set(draft.authors.all()) == {users["karea"]}


def test_back_from_the_confirmation_shows_the_draft_as_typed_and_saves_nothing(client, users, draft, mapping):
    client.force_login(users["veileder"])
    url = reverse("assessment-sign", args=[mapping.pk, draft.pk])
    on_screen = {**COMPLETE, "begrunnelse": "Halvferdig tanke"}
    assert f'action="{url}?rediger=1#vurdering"' in body(client.post(url, on_screen))
    response = client.post(f"{url}?rediger=1", on_screen)
    assert response.status_code == 200
    assert "Halvferdig tanke</textarea>" in body(response)
    draft.refresh_from_db()
    assert draft.status == "utkast" and draft.begrunnelse == COMPLETE["begrunnelse"]


def test_a_rejected_signing_keeps_the_begrunnelse_typed_and_signs_nothing(client, users, draft, mapping):
    client.force_login(users["veileder"])
    url = reverse("assessment-sign", args=[mapping.pk, draft.pk])
    typed = {**COMPLETE, "hovedmal": "", "begrunnelse": "Ny begrunnelse skrevet nå"}
    for data in (typed, {**typed, "bekreftet": "ja"}):  # refused before the confirmation, and at «Bekreft»
        response = client.post(url, data)
        assert response.status_code == 400
        page = body(response)
        assert "Ny begrunnelse skrevet nå</textarea>" in page and field_has_error(page, "vurdering_hovedmal")
        assert "Bekreft og signer" not in page
    draft.refresh_from_db()
    assert (draft.status, draft.hovedmal, draft.begrunnelse) == ("utkast", "skaffe_arbeid", COMPLETE["begrunnelse"])


def test_a_version_that_is_no_longer_the_open_draft_is_not_signed(client, users, mapping):
    first = signed(mapping, users)
    client.force_login(users["veileder"])
    response = client.post(reverse("assessment-sign", args=[mapping.pk, first.pk]), {**COMPLETE, "bekreftet": "ja"},
                           follow=True)
    assert "Bare et utkast kan signeres." in section(body(response), "vurdering")
    assert Arbeidsevnevurdering.objects.count() == 1


def test_a_varig_signing_warns_that_a_second_approver_follows(client, users, draft, mapping):
    client.force_login(users["veileder"])
    page = body(client.post(reverse("assessment-sign", args=[mapping.pk, draft.pk]),
                            {**COMPLETE, "innsatsgruppe": "varig_tilpasset"}))
    assert "sendes til en andre godkjenner" in page


# --- approving needs a confirmation -------------------------------------------------------------

def test_approving_by_the_second_approver_asks_for_confirmation(client, users, mapping, alna):
    second = role_user("veileder_to", alna, "veileder")
    vurdering = services.assessment_save(deltaker=mapping, actor=Actor.for_user(users["karea"]),
                                                fields={**COMPLETE, "innsatsgruppe": "varig_tilpasset"})
    services.assessment_sign(vurdering=vurdering, actor=Actor.for_user(users["veileder"]))
    client.force_login(second)
    url = reverse("assessment-approve", args=[mapping.pk, vurdering.pk])
    page = body(client.post(url))
    assert "kan ikke endres etterpå" in page and "Varig tilpasset innsats" in page and COMPLETE["begrunnelse"] in page
    assert Arbeidsevnevurdering.objects.get().status == "til_godkjenning"
    response = client.post(url, {"bekreftet": "ja"}, follow=True)
    assert "Vurderingen er godkjent og gjelder fra nå." in section(body(response), "vurdering")
    assert Arbeidsevnevurdering.objects.get().approved_by == second


# --- «Mottatt» can be undone with a reason -------------------------------------------------------

@pytest.fixture
def handback(mapping, users):
    signed(mapping, users)
    activity(mapping, users)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]),
                                           rute="statlig_tiltak", on_date=TODAY, comment="Lønnstilskudd")
    return Tilbakeforing.objects.get()


def test_mottatt_moves_the_case_to_the_received_list_with_who_and_when(client, users, handback, mapping):
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("handback-receive", args=[mapping.pk, handback.pk]))
    assert response["Location"] == reverse("handback-list") + "#tilbakeforte"
    page = body(client.get(reverse("handback-list")))
    assert "0 saker venter på deg." in page and "er markert som mottatt" in page
    received = page[page.index('id="mottatt"'):]
    assert "Åse Ødegård" in received and "Mottatt 02.03.2026 kl. 12.00 av" in received
    assert reverse("handback-undo-receipt", args=[mapping.pk, handback.pk]) in received


def test_undoing_mottatt_needs_a_reason_and_leaves_a_trace(client, users, handback, mapping):
    services.handback_receive(tilbakeforing=handback, actor=Actor.for_user(users["hovedveileder"]))
    client.force_login(users["hovedveileder"])
    url = reverse("handback-undo-receipt", args=[mapping.pk, handback.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, f"angre_{handback.pk}_reason") and "<details open>" in page
    handback.refresh_from_db()
    assert handback.received_at is not None and not TilbakeforingAngring.objects.exists()

    response = client.post(url, {"reason": "Trykket på feil sak"})
    assert response["Location"] == reverse("handback-list") + "#mottatt"
    handback.refresh_from_db()
    assert handback.received_at is None and handback.received_by is None
    undo = TilbakeforingAngring.objects.get()
    assert (undo.undone_by, undo.received_by, undo.reason) == (users["hovedveileder"], users["hovedveileder"],
                                                               "Trykket på feil sak")
    page = body(client.get(reverse("handback-list")))
    waiting = page[page.index('id="tilbakeforte"'):page.index('id="mottatt"')]
    assert "1 sak venter på deg." in waiting and "Åse Ødegård" in waiting
    assert "ble angret 02.03.2026 kl. 12.00 av" in waiting and "Begrunnelse: Trykket på feil sak" in waiting
    assert "«Mottatt» er angret for Åse Ødegård." in page[page.index('id="mottatt"'):]
    assert set(AuditEntry.objects.filter(object_type__in=["cases.tilbakeforing", "cases.tilbakeforingangring"])
               .values_list("object_type", "action")) >= {("cases.tilbakeforing", "update"),
                                                          ("cases.tilbakeforingangring", "create")}


def test_only_the_hovedveileder_undoes_mottatt(client, users, handback, mapping):
    services.handback_receive(tilbakeforing=handback, actor=Actor.for_user(users["hovedveileder"]))
    client.force_login(users["prosjektleder"])
    assert "Angre «Mottatt»" not in body(client.get(reverse("handback-list")))
    response = client.post(reverse("handback-undo-receipt", args=[mapping.pk, handback.pk]), {"reason": "Feil"})
    assert response.status_code == 403
    handback.refresh_from_db()
    assert handback.received_at is not None


def test_an_open_handback_cannot_be_undone(client, users, handback, mapping):
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("handback-undo-receipt", args=[mapping.pk, handback.pk]), {"reason": "Feil"},
                           follow=True)
    page = body(response)
    assert "Tilbakeføringen er ikke markert som mottatt." in page[page.index('id="mottatt"'):]
    assert not TilbakeforingAngring.objects.exists()


# --- wording --------------------------------------------------------------------------------------

def test_no_innsatsgruppe_is_shown_before_a_signed_vurdering(client, users, mapping):
    Deltaker.objects.filter(pk=mapping.pk).update(innsatsgruppe="standard")  # from the Arena extract
    client.force_login(users["veileder"])
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    header = page[page.index("<header class=\"mb-4\">"):page.index("</header>", page.index("<header class=\"mb-4\">"))]
    assert "Innsatsgruppe: ikke vurdert" in header and "Standard innsats" not in header
    signed(mapping, users)
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert "Innsatsgruppe: Situasjonsbestemt innsats" in page


def test_a_refusal_whose_form_is_gone_is_still_shown_in_its_section(client, users, mapping):
    """The route was chosen in another tab: the refused second choice has no form left to show it."""
    signed(mapping, users)
    activity(mapping, users)
    services.route_decide(deltaker=mapping, actor=Actor.for_user(users["veileder"]),
                                           rute="jobbsoking", on_date=TODAY)
    client.force_login(users["veileder"])
    response = client.post(reverse("route-decide", args=[mapping.pk]), {"rute": "arbeidsboks", "date": "2026-03-02"})
    assert response.status_code == 400
    assert "Ruten velges mens deltakeren er i kartlegging." in section(body(response), "rute")


def test_choosing_the_route_asks_for_confirmation_and_back_keeps_the_form(client, users, mapping):
    signed(mapping, users)
    activity(mapping, users)
    client.force_login(users["veileder"])
    url = reverse("route-decide", args=[mapping.pk])
    chosen = {"rute": "statlig_tiltak", "date": "2026-03-02", "comment": "Lønnstilskudd i kantine"}
    page = body(client.post(url, chosen))
    assert "kan ikke endres etterpå" in page and "Statlige tiltak" in page and "Lønnstilskudd i kantine" in page
    assert f'action="{url}?rediger=1#rute"' in page
    back = body(client.post(f"{url}?rediger=1", chosen))
    assert "Lønnstilskudd i kantine</textarea>" in back and '<option value="statlig_tiltak" selected>' in back
    assert Deltaker.objects.get().status == "i_kartlegging" and not Tilbakeforing.objects.exists()
    response = client.post(url, {**chosen, "bekreftet": "ja"})
    assert response["Location"] == reverse("mapping-detail", args=[mapping.pk]) + "#rute"
    assert Deltaker.objects.get().status == "avklart" and Tilbakeforing.objects.count() == 1
