"""Consent to share with KAREA (issue 16) when two people act at the same moment, on PostgreSQL:
one consent in force, the other told in Norwegian that it is already registered (or withdrawn),
nothing written twice."""
import datetime

import pytest
from django.db import connection

from alnaaktiv.actor import Actor
from cases import services
from cases.models import JournalEntry, Samtykke
from tests import services as available
from tests.concurrency import race
from tests.factories import role_user

pytestmark = pytest.mark.django_db(transaction=True)

GIVEN = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def postgresql():
    available.require("PostgreSQL", connection.vendor == "postgresql", "radlåser krever PostgreSQL (DATABASE_URL)")


def test_two_veiledere_registering_consent_for_one_participant_at_once_make_one_consent(users, alna, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"), samtykke=False)
    second = role_user("veileder2", alna, "veileder")
    outcomes = race(*[
        lambda user=user: services.consent_register(deltaker=deltaker, gitt_dato=GIVEN, mate="skriftlig",
                                                    omfang="Navn og oppmøte", actor=Actor.for_user(user))
        for user in (users["veileder"], second)])
    assert outcomes == ["Deltakeren har allerede et samtykke som gjelder. Trekk det før du registrerer et nytt.", "ok"]
    assert Samtykke.objects.filter(deltaker=deltaker).count() == 1
    assert JournalEntry.objects.filter(deltaker=deltaker, text__startswith="Samtykke til deling med KAREA registrert").count() == 1


def test_a_consent_withdrawn_in_two_tabs_at_once_is_withdrawn_once(users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"))
    consent = Samtykke.objects.get(deltaker=deltaker)
    actor = Actor.for_user(users["veileder"])
    outcomes = race(*[
        lambda grunn=grunn: services.consent_withdraw(samtykke=Samtykke.objects.get(pk=consent.pk), trukket_dato=GIVEN,
                                                      grunn=grunn, actor=actor)
        for grunn in ("Første", "Andre")])
    assert outcomes == ["Samtykket er allerede trukket.", "ok"]
    consent.refresh_from_db()
    assert consent.trukket_grunn in ("Første", "Andre") and consent.trukket_av == users["veileder"]
    assert JournalEntry.objects.filter(deltaker=deltaker, text__startswith="Samtykke til deling med KAREA trukket").count() == 1
