"""Attendance registered anywhere lands on the activity vilkår resting on that offer, and
registering the same event again corrects its document (conditions.services.attendance)."""
import pytest

from alnaaktiv.actor import Actor
from conditions import services
from conditions.models import Dokumentasjon, Kilde, Tilbud, Vilkar
from tests import conditions_data as data
from tests.conditions_data import TODAY

pytestmark = pytest.mark.django_db


def _meeting_vilkar(alna, user) -> Vilkar:
    made = data.vedtak(data.sak(alna), user, vilkar=("aktivitet",))
    vilkar = made.vilkar.get()
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.ALNA_AKTIV, enhet="oppmote_prosent", mengde=80)
    return vilkar


def _register(vilkar, user, *, attended: int):
    return services.attendance_document_offer(
        person_id=vilkar.person_id, tilbud=Tilbud.ALNA_AKTIV, actor=Actor.for_user(user), kilde=Kilde.MOTE,
        kilde_ref="avtale:1", on_date=TODAY, planlagte_dager=1, oppmotte_dager=attended, fravaer_godkjent=0,
        hendelse="Møte: ikke møtt" if not attended else "Møte: møtt")


def test_a_no_show_lands_on_the_meeting_vilkar_as_unapproved_absence(alna, users):
    vilkar = _meeting_vilkar(alna, users["vedtak"])
    [document] = _register(vilkar, users["vedtak"], attended=0)
    assert (document.vilkar, document.kilde, document.fravaer_ikke_godkjent, document.vurdering) == (
        vilkar, Kilde.MOTE, 1, "godkjent")
    assert document.hendelse == "Møte: ikke møtt"


def test_registering_the_same_meeting_again_corrects_its_document(alna, users):
    vilkar = _meeting_vilkar(alna, users["vedtak"])
    _register(vilkar, users["vedtak"], attended=0)
    _register(vilkar, users["vedtak"], attended=1)
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.oppmotte_dager, document.fravaer_ikke_godkjent, document.hendelse) == (1, 0, "Møte: møtt")


def test_a_vilkar_on_another_offer_gets_nothing(alna, users):
    vilkar = _meeting_vilkar(alna, users["vedtak"])
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.PLASSERING)
    assert _register(vilkar, users["vedtak"], attended=0) == []
    assert not Dokumentasjon.objects.filter(vilkar=vilkar).exists()
