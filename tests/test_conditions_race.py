"""Two people acting on the same thing at the same moment, on PostgreSQL with two threads: one
result, and the other told in Norwegian that someone else did it first. Nothing is lost."""

from decimal import Decimal

import pytest
from django.db import connection

from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from conditions import services
from conditions.models import Dokumentasjon, Fullmakt, Oppheving, OpphevingStatus, Overforing, Vedtak, Vilkar
from tests import conditions_data as data
from tests import services as available
from tests.concurrency import race
from tests.factories import role_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    available.require("PostgreSQL", connection.vendor == "postgresql", "radlåser krever PostgreSQL (DATABASE_URL)")


@pytest.fixture
def ready(users, alna):
    made = data.vedtak(data.sak(alna), users["vedtak"])
    data.fulfil(made, users["vedtak"])
    return made


def test_two_leaders_approving_the_same_lifting_end_with_one_approval(users, alna, ready):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    other_leader = role_user("leder2", alna, Role.LEDER)

    def approve(user):
        return lambda: services.lifting_approve(oppheving=Oppheving.objects.get(pk=lifting.pk), actor=Actor.for_user(user))

    outcomes = race(approve(users["leder"]), approve(other_leader))
    assert outcomes[1] == "ok"
    assert outcomes[0].startswith("Noen andre har gjort dette før deg: Opphevingen er allerede godkjent.")
    assert Overforing.objects.filter(vedtak=ready).count() == 1


def test_two_alone_liftings_on_the_same_sak_at_once_stay_within_the_fullmakt(users, alna):
    second_holder = role_user("vedtak2", alna, Role.VEDTAK)
    for holder in (users["vedtak"], second_holder):
        Fullmakt.objects.create(user=holder, office=alna, maks_belop=Decimal("5000"))
    case = data.sak(alna)
    split = [data.vedtak(case, users["vedtak"], belop="4900") for _ in range(2)]
    for made in split:
        data.fulfil(made, users["vedtak"])

    def lift(made, user):
        return lambda: services.lifting_prepare(vedtak=Vedtak.objects.get(pk=made.pk), actor=Actor.for_user(user), alone=True)

    outcomes = race(lift(split[0], users["vedtak"]), lift(split[1], second_holder))
    assert outcomes[1] == "ok" and "blir summen 9\u00a0800\u00a0kr" in outcomes[0]
    assert Oppheving.objects.filter(alene_med_fullmakt=True).count() == 1
    assert Overforing.objects.count() == 1


def test_two_users_preparing_the_same_lifting_end_with_one(users, ready):
    def prepare(user):
        return lambda: services.lifting_prepare(vedtak=Vedtak.objects.get(pk=ready.pk), actor=Actor.for_user(user))

    outcomes = race(prepare(users["vedtak"]), prepare(users["leder"]))
    assert outcomes[1] == "ok"
    assert outcomes[0].startswith("Noen andre har gjort dette før deg: Opphevingen av dette vedtaket er allerede forberedt")
    assert Oppheving.objects.filter(vedtak=ready).count() == 1


def test_two_veiledere_assessing_the_same_vilkar_end_with_one_assessment(users, alna):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",)).vilkar.get()
    other = role_user("veileder2", alna, Role.VEILEDER)

    def assess(user, fulfilled):
        return lambda: services.vilkar_assess(vilkar=Vilkar.objects.get(pk=vilkar.pk), actor=Actor.for_user(user), oppfylt=fulfilled,
                                              begrunnelse="Vurdert i samtale")

    outcomes = race(assess(users["veileder"], True), assess(other, False))
    assert outcomes[1] == "ok"
    assert outcomes[0].startswith("Noen andre har gjort dette før deg: Vilkåret er allerede vurdert som")
    vilkar.refresh_from_db()
    assert vilkar.version == 2


def test_a_document_registered_while_a_leader_approves_either_sends_the_lifting_back_or_is_refused(users, ready):
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    vilkar = ready.vilkar.get()
    outcomes = race(
        lambda: services.lifting_approve(oppheving=Oppheving.objects.get(pk=lifting.pk), actor=Actor.for_user(users["leder"])),
        lambda: services.document_register(vilkar=Vilkar.objects.get(pk=vilkar.pk), actor=Actor.for_user(users["vedtak"]),
                                                type="annet", mottatt=data.TODAY),
    )
    lifting.refresh_from_db()
    if lifting.status == OpphevingStatus.GODKJENT:
        assert any("allerede opphevet" in outcome for outcome in outcomes)
        assert not Dokumentasjon.objects.filter(type="annet").exists()
    else:
        assert lifting.status == OpphevingStatus.SENDT_TILBAKE
        assert any("sendt tilbake" in outcome for outcome in outcomes)
        assert not Overforing.objects.exists()
    assert "ok" in outcomes


def test_two_users_deciding_the_same_breach_at_once_end_with_one_decision(users, alna):
    """The breach's row lock: one decision wins, the other is told someone else decided first."""
    from conditions.models import MuligBrudd, Sanksjon  # noqa: PLC0415
    from tests.breach_data import AFTER_DEADLINE, at, detected_breach, warned  # noqa: PLC0415

    brudd = detected_breach(alna, users["vedtak"])
    warned(brudd, users["vedtak"])
    other = role_user("vedtak2", alna, Role.VEDTAK)

    def reduce():
        services.sanction_prepare(brudd=MuligBrudd.objects.get(pk=brudd.pk), actor=Actor.for_user(users["vedtak"]),
                                  konsekvens="reduksjon", begrunnelse="Ikke møtt", periode_fra=AFTER_DEADLINE,
                                  belop=Decimal("1000"), periode_til=AFTER_DEADLINE)

    def no_reaction():
        services.decide_no_reaction(brudd=MuligBrudd.objects.get(pk=brudd.pk), actor=Actor.for_user(other),
                                    begrunnelse="Møtte neste gang")

    # The clock travels for both threads at once (time-machine patches it process-wide).
    with at(AFTER_DEADLINE):
        outcomes = race(reduce, no_reaction)
    assert outcomes[1] == "ok"
    assert outcomes[0].startswith("Noen andre har gjort dette før deg: ")
    brudd.refresh_from_db()
    # A prepared reaction waits for a leader with the breach still open; «no reaction» closes it.
    assert (brudd.status == "lukket") != Sanksjon.objects.exists()
