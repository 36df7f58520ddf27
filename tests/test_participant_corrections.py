"""Issue 12 on the participant page: a refused form comes back as typed with the error at its
field and the message where the user acted; a journal note is struck out or corrected by its
author (the original stays readable, struck through, with who, when and why); «Utført» on a
huskelapp is undone with a reason."""
import datetime
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from cases import services
from cases.models import Huskelapp, HuskelappAngring, JournalEntry, Person
from tests.html import field_has_error, field_tag, section, textarea_value


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def deltaker(make_deltaker, make_person, users):
    return make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1),
                         person=make_person(navn="Åse Ødegård"), veileder=users["veileder"])


def page_of(client, deltaker) -> str:
    return client.get(reverse("participant-detail", args=[deltaker.pk])).content.decode()


# --- refused forms come back as typed, the error at the field ---------------------------------

def test_a_meeting_note_without_who_took_part_keeps_the_text_and_marks_the_field(client, users, deltaker):
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-journal", args=[deltaker.pk]), {
        "kind": "trekantmote", "date": "2026-03-01", "participants": "", "text": "Lang samtale om arbeidstrening.",
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert field_has_error(page, "journal_participants") and "Skriv hvem som deltok i møtet." in page
    assert textarea_value(page, "journal_text") == "Lang samtale om arbeidstrening."
    assert "autofocus" in field_tag(page, "journal_participants")
    assert "Det du sendte ble ikke lagret." in section(page, "notat")
    assert not JournalEntry.objects.exists()


def test_a_referral_with_the_first_appointment_before_the_referral_keeps_the_reason(client, users, make_deltaker):
    candidate = make_deltaker(("kandidat",), start=datetime.date(2026, 2, 1))
    client.force_login(users["hovedveileder"])
    response = client.post(reverse("participant-refer", args=[candidate.pk]),
                           {"reason": "Ønsker arbeid i butikk", "first_appointment": "2026-02-20T10:00",
                            "veileder": users["veileder"].pk, "sted": "Alna Aktiv"})
    page = response.content.decode()
    assert response.status_code == 400
    assert field_has_error(page, "henvis_first_appointment")
    assert "Første avtale kan ikke være før henvisningsdatoen." in page
    assert textarea_value(page, "henvis_reason") == "Ønsker arbeid i butikk"
    candidate.refresh_from_db()
    assert candidate.status == "kandidat" and not AuditEntry.objects.filter(action="update").exists()


def test_ending_the_course_without_an_outcome_keeps_the_comment(client, users, deltaker):
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-transition", args=[deltaker.pk]),
                           {"to_state": "avsluttet", "date": "2026-03-01", "utfall": "", "comment": "Flytter til Bergen"})
    page = response.content.decode()
    assert response.status_code == 400 and field_has_error(page, "status_utfall")
    assert textarea_value(page, "status_comment") == "Flytter til Bergen"
    deltaker.refresh_from_db()
    assert deltaker.status == "mott"


def test_a_date_before_the_last_event_is_refused_at_the_date(client, users, deltaker):
    client.force_login(users["veileder"])
    response = client.post(reverse("participant-transition", args=[deltaker.pk]),
                           {"to_state": "avsluttet", "date": "2026-01-01", "utfall": "flyttet", "comment": ""})
    page = response.content.decode()
    assert response.status_code == 400 and field_has_error(page, "status_date")
    assert "Datoer kan ikke gå bakover." in page


def test_a_huskelapp_and_a_target_group_without_text_are_refused_at_their_fields(client, users, deltaker):
    client.force_login(users["veileder"])
    response = client.post(reverse("huskelapp-create", args=[deltaker.pk]), {"due_date": "2026-03-10", "comment": ""})
    assert response.status_code == 400 and field_has_error(response.content.decode(), "huskelapp_comment")
    response = client.post(reverse("participant-malgruppe", args=[deltaker.pk]), {"malgruppe": "ungdom_20_24", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 400 and field_has_error(page, "malgruppe_reason")
    assert "Det du sendte ble ikke lagret." in section(page, "malgruppe")
    assert not Huskelapp.objects.exists()


@pytest.mark.parametrize(("name", "data", "section_id", "message"), [
    ("participant-journal", {"kind": "samtale", "date": "2026-03-01", "text": "Samtale"}, "notat",
     "Journalnotatet er lagret."),
    ("huskelapp-create", {"due_date": "2026-03-10", "comment": "Ring"}, "huskelapper", "Huskelappen er lagret."),
    ("participant-malgruppe", {"malgruppe": "ungdom_20_24", "reason": "Vurdert"}, "malgruppe", "Målgruppen er endret."),
])
def test_each_action_lands_in_its_section_with_the_message_there(client, users, deltaker, name, data, section_id,
                                                                  message):
    client.force_login(users["veileder"])
    response = client.post(reverse(name, args=[deltaker.pk]), data)
    assert response["Location"] == f"{reverse('participant-detail', args=[deltaker.pk])}#{section_id}"
    page = page_of(client, deltaker)
    assert message in section(page, section_id)


# --- journal notes: struck out and corrected, never changed -----------------------------------

@pytest.fixture
def note(deltaker, users):
    return services.journal_create(deltaker=deltaker, actor=Actor.for_user(users["veileder"]), kind="samtale",
                                   on_date=datetime.date(2026, 2, 20), text="Møtte ikke opp til avtalen.")


def _correct(client, deltaker, entry, text, reason):
    return client.post(reverse("journal-correct", args=[deltaker.pk, entry.pk]), {"text": text, "reason": reason})


def test_the_author_corrects_a_note_and_the_original_stays_struck_through(client, users, deltaker, note):
    client.force_login(users["veileder"])
    response = _correct(client, deltaker, note, "Møtte til avtalen.", "Skrev feil om oppmøtet")
    assert response["Location"] == f"{reverse('participant-detail', args=[deltaker.pk])}#journal"
    note.refresh_from_db()
    assert (note.struck_by, note.struck_reason, note.text) == (
        users["veileder"], "Skrev feil om oppmøtet", "Møtte ikke opp til avtalen.")
    correction = note.correction
    assert (correction.text, correction.kind, correction.date, correction.author) == (
        "Møtte til avtalen.", "samtale", datetime.date(2026, 2, 20), users["veileder"])
    entries = AuditEntry.objects.filter(object_type="cases.journalentry").order_by("id")
    assert [(entry.action, entry.username) for entry in entries] == [
        ("create", "veileder"), ("update", "veileder"), ("create", "veileder")]
    journal = section(page_of(client, deltaker), "journal")
    assert "Notatet er rettet." in journal
    assert "<del>Møtte ikke opp til avtalen.</del>" in journal and "Strøket tekst:" in journal
    assert "Strøket 02.03.2026 kl. 12.00 av veileder. Begrunnelse: Skrev feil om oppmøtet" in journal
    assert "Møtte til avtalen." in journal
    assert f"Retter <a href=\"#notat-{note.pk}\">det strøkne notatet «Samtale 20.02.2026»</a>" in journal
    # The struck note offers no second correction; the correction does.
    assert journal.count("Rett eller stryk notatet") == 1


def test_an_emptied_text_only_strikes_the_note(client, users, deltaker, note):
    client.force_login(users["veileder"])
    _correct(client, deltaker, note, "", "Gjelder en annen deltaker")
    note.refresh_from_db()
    assert note.struck_at is not None and JournalEntry.objects.count() == 1
    assert "Notatet er strøket." in section(page_of(client, deltaker), "journal")


@pytest.mark.parametrize(("text", "reason", "field", "message"), [
    ("Møtte ikke opp til avtalen.", "Ingen endring", "text", "Notatet er uendret."),
    ("Møtte til avtalen.", "", "reason", "Skriv hvorfor notatet rettes eller strykes."),
    ("Møtte til avtalen.", "   ", "reason", "Skriv hvorfor notatet rettes eller strykes."),
])
def test_a_refused_correction_keeps_the_form_open_as_typed(client, users, deltaker, note, text, reason, field,
                                                           message):
    client.force_login(users["veileder"])
    response = _correct(client, deltaker, note, text, reason)
    page = response.content.decode()
    assert response.status_code == 400 and field_has_error(page, f"rett_{note.pk}_{field}") and message in page
    assert textarea_value(page, f"rett_{note.pk}_text") == text
    assert re.search(r"<details class=\"mb-3\" open>\s*<summary>Rett eller stryk notatet", page)
    note.refresh_from_db()
    assert note.struck_at is None and JournalEntry.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="cases.journalentry", action="update").count() == 0


def test_who_took_part_in_a_meeting_is_corrected_and_kept_required(client, users, deltaker):
    meeting = services.journal_create(deltaker=deltaker, actor=Actor.for_user(users["veileder"]), kind="trekantmote",
                                      on_date=datetime.date(2026, 2, 20), text="Trekantmøte om praksis.",
                                      participants="deltakeren, NAV")
    client.force_login(users["veileder"])
    url = reverse("journal-correct", args=[deltaker.pk, meeting.pk])
    response = client.post(url, {"text": "Trekantmøte om praksis.", "participants": "", "reason": "Feil"})
    assert response.status_code == 400 and field_has_error(response.content.decode(), f"rett_{meeting.pk}_participants")
    client.post(url, {"text": "Trekantmøte om praksis.", "participants": "deltakeren, NAV, arbeidsgiver",
                      "reason": "Arbeidsgiver deltok også"})
    assert meeting.correction.motedeltakere == "deltakeren, NAV, arbeidsgiver"


def test_an_author_who_no_longer_writes_journal_gets_no_correction_form(client, users, deltaker):
    """A hovedveileder may have written a note while they also were veileder: no form they cannot use."""
    JournalEntry.objects.create(deltaker=deltaker, kind="samtale", date=datetime.date(2026, 2, 20), text="Notat",
                                author=users["hovedveileder"])
    client.force_login(users["hovedveileder"])
    assert "Rett eller stryk notatet" not in page_of(client, deltaker)


def test_only_the_author_may_correct_and_a_system_note_is_never_struck(client, users, deltaker, note):
    client.force_login(users["karea"])
    assert "Rett eller stryk notatet" not in page_of(client, deltaker)
    response = _correct(client, deltaker, note, "KAREA retter", "Vil rette")
    assert response.status_code == 302
    assert "Bare den som skrev notatet, kan rette eller stryke det." in section(page_of(client, deltaker), "journal")
    system = JournalEntry.objects.create(deltaker=deltaker, kind="annet", date=datetime.date(2026, 2, 21),
                                         text="Vilkår vurdert", is_system=True)
    client.force_login(users["veileder"])
    _correct(client, deltaker, system, "Endret", "Vil endre")
    note.refresh_from_db()
    system.refresh_from_db()
    assert note.struck_at is None and system.struck_at is None and JournalEntry.objects.count() == 2


def test_a_note_struck_by_the_first_of_two_tabs_is_not_struck_again(client, users, deltaker, note):
    client.force_login(users["veileder"])
    _correct(client, deltaker, note, "Første retting", "Feil")
    response = _correct(client, deltaker, note, "Andre retting", "Feil igjen")
    assert response.status_code == 302
    assert "Notatet er allerede strøket." in section(page_of(client, deltaker), "journal")
    assert list(JournalEntry.objects.exclude(pk=note.pk).values_list("text", flat=True)) == ["Første retting"]


def test_another_office_or_a_hidden_person_gets_no_correction(client, users, deltaker, note):
    client.force_login(users["veileder_stovner"])
    assert _correct(client, deltaker, note, "Endret", "Grunn").status_code == 404
    Person.objects.filter(pk=deltaker.person_id).update(skjermet=True)
    client.force_login(users["veileder"])
    assert _correct(client, deltaker, note, "Endret", "Grunn").status_code == 404
    note.refresh_from_db()
    assert note.struck_at is None


def test_the_database_refuses_a_struck_note_without_a_reason(deltaker, users, note):
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=note.pk).update(struck_at=timezone.now(), struck_by=users["veileder"])


# --- huskelapp «Utført» undone ----------------------------------------------------------------

@pytest.fixture
def done(deltaker, users):
    lapp = services.huskelapp_create(deltaker=deltaker, actor=Actor.for_user(users["veileder"]),
                                     due_date=datetime.date(2026, 3, 5), comment="Ring arbeidsgiver")
    return services.huskelapp_mark_done(huskelapp=lapp, actor=Actor.for_user(users["veileder"]))


def _undo(client, deltaker, lapp, reason="Trykket feil"):
    return client.post(reverse("huskelapp-undo-done", args=[deltaker.pk, lapp.pk]), {"reason": reason})


def test_utfort_is_undone_with_a_reason_and_the_trace_stays_on_the_open_huskelapp(client, users, deltaker, done):
    client.force_login(users["veileder"])
    huskelapper = section(page_of(client, deltaker), "huskelapper")
    assert "Ingen åpne huskelapper." in huskelapper and "Utført de siste 30 dagene" in huskelapper
    response = _undo(client, deltaker, done, reason="Arbeidsgiveren svarte ikke")
    assert response["Location"] == f"{reverse('participant-detail', args=[deltaker.pk])}#huskelapper"
    done.refresh_from_db()
    assert done.done_at is None and done.done_by is None
    undo = HuskelappAngring.objects.get()
    assert (undo.done_by, undo.undone_by, undo.reason) == (users["veileder"], users["veileder"],
                                                           "Arbeidsgiveren svarte ikke")
    entry = AuditEntry.objects.filter(object_type="cases.huskelapp", action="update").latest("id")
    assert (entry.username, entry.person_fnr) == ("veileder", deltaker.person.fnr)
    huskelapper = section(page_of(client, deltaker), "huskelapper")
    assert "«Utført» er angret. Huskelappen er åpen igjen." in huskelapper
    assert "Ring arbeidsgiver" in huskelapper and "Begrunnelse: Arbeidsgiveren svarte ikke" in huskelapper
    assert "Utført de siste 30 dagene" not in huskelapper


def test_an_undo_without_a_reason_keeps_the_form_open_and_changes_nothing(client, users, deltaker, done):
    client.force_login(users["veileder"])
    response = _undo(client, deltaker, done, reason="")
    page = response.content.decode()
    assert response.status_code == 400 and field_has_error(page, f"angre_huskelapp_{done.pk}_reason")
    done.refresh_from_db()
    assert done.done_at is not None and not HuskelappAngring.objects.exists()


def test_utfort_older_than_the_list_is_not_undone(client, users, deltaker, done):
    Huskelapp.objects.filter(pk=done.pk).update(done_at=timezone.now() - datetime.timedelta(days=31))
    client.force_login(users["veileder"])
    assert _undo(client, deltaker, done).status_code == 302
    assert "«Utført» kan bare angres de første 30 dagene." in section(page_of(client, deltaker), "huskelapper")
    with pytest.raises(services.JournalError, match="bare angres de første 30 dagene"):  # the service's own rule
        services.huskelapp_undo_done(huskelapp=Huskelapp.objects.get(pk=done.pk),
                                     actor=Actor.for_user(users["veileder"]), reason="For sent")
    assert not HuskelappAngring.objects.exists()


def test_only_a_veileder_of_the_office_undoes_and_an_open_huskelapp_is_not_undone(client, users, deltaker, done):
    client.force_login(users["karea"])
    assert _undo(client, deltaker, done).status_code == 403
    client.force_login(users["veileder_stovner"])
    assert _undo(client, deltaker, done).status_code == 404
    client.force_login(users["veileder"])
    _undo(client, deltaker, done)
    response = _undo(client, deltaker, done)
    assert response.status_code == 302
    assert "Huskelappen er ikke markert som utført." in section(page_of(client, deltaker), "huskelapper")
    assert HuskelappAngring.objects.count() == 1
