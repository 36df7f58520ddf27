"""Issue 12's corrections when two people (or two tabs) act at the same moment, on PostgreSQL:
one result, the other told in Norwegian that it is already done, nothing written twice."""
import datetime

import pytest
from django.db import connection

from alnaaktiv.actor import Actor
from cases import services
from cases.models import Huskelapp, HuskelappAngring, JournalEntry, ScreeningExclusion
from cases.services import screening_exclude, screening_exclusion_undo
from tests import services as available
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    available.require("PostgreSQL", connection.vendor == "postgresql", "radlåser krever PostgreSQL (DATABASE_URL)")


def test_two_users_excluding_the_same_candidate_at_once_make_one_exclusion(users, alna, make_person):
    person = make_person()
    outcomes = race(*[
        lambda user=user: screening_exclude(office=alna, person=person, reason="Fulltidsjobb", actor=Actor.for_user(user))
        for user in (users["veileder"], users["prosjektleder"])])
    assert outcomes == ["Personen er allerede ekskludert ved dette kontoret.", "ok"]
    assert ScreeningExclusion.objects.filter(person=person).count() == 1


def test_two_undos_of_one_exclusion_at_once_leave_one_reason(users, alna, make_person):
    exclusion = screening_exclude(office=alna, person=make_person(), reason="Flytter",
                                  actor=Actor.for_user(users["veileder"]))
    outcomes = race(*[
        lambda reason=reason: screening_exclusion_undo(
            exclusion=ScreeningExclusion.objects.get(pk=exclusion.pk), reason=reason,
            actor=Actor.for_user(users["veileder"]))
        for reason in ("Første", "Andre")])
    assert outcomes == ["Ekskluderingen er allerede angret.", "ok"]
    exclusion.refresh_from_db()
    assert exclusion.undo_reason in ("Første", "Andre") and exclusion.undone_by == users["veileder"]


def test_a_note_corrected_in_two_tabs_at_once_gets_one_correction(users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"))
    actor = Actor.for_user(users["veileder"])
    note = services.journal_create(deltaker=deltaker, actor=actor, kind="samtale", on_date=datetime.date(2026, 2, 1),
                                   text="Feil")
    outcomes = race(*[
        lambda text=text: services.journal_correct(entry=JournalEntry.objects.get(pk=note.pk), actor=actor,
                                                   text=text, reason="Skrivefeil")
        for text in ("Riktig", "Også riktig")])
    assert outcomes == ["Notatet er allerede strøket.", "ok"]
    assert JournalEntry.objects.filter(corrects=note).count() == 1


def test_utfort_undone_in_two_tabs_at_once_is_undone_once(users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"))
    actor = Actor.for_user(users["veileder"])
    lapp = services.huskelapp_mark_done(huskelapp=services.huskelapp_create(
        deltaker=deltaker, actor=actor, due_date=datetime.date(2026, 3, 1), comment="Ring"), actor=actor)
    outcomes = race(*[
        lambda: services.huskelapp_undo_done(huskelapp=Huskelapp.objects.get(pk=lapp.pk), actor=actor, reason="Feil")
        for _ in range(2)])
    assert outcomes == ["Huskelappen er ikke markert som utført.", "ok"]
    assert HuskelappAngring.objects.count() == 1
