"""What the browser review of the sanction workflow found: no reaction harsher than the
forhåndsvarsel, a reaction that has not begun can be cancelled, a prepared reaction keeps the
breach open until a leader approves it, ended reactions stay on the hand-over list for 30 days,
and clearly wrong input is refused at its fields before any confirmation page."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.inbox import inbox_counts
from cases.models import Deltaker
from conditions import services
from conditions.models import BruddStatus, Forhandsvarsel, MuligBrudd, Sanksjon, SanksjonStatus, Utbetaling
from tests.breach_data import AFTER_DEADLINE, DETECTED, at, detected_breach, prepared, warned
from tests.helpers import body, logged_in

pytestmark = pytest.mark.django_db
WARNED_TIL = AFTER_DEADLINE + datetime.timedelta(days=10)  # the warned reduction: 1 000 kr 11.03–21.03.2026


@pytest.fixture
def brudd(alna, users):
    return detected_breach(alna, users["vedtak"])


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def _prepare(brudd, users, *, konsekvens="reduksjon", belop="1000", fra=AFTER_DEADLINE, til=WARNED_TIL):
    with at(AFTER_DEADLINE):
        return services.sanction_prepare(
            brudd=brudd, actor=Actor.for_user(users["vedtak"]), konsekvens=konsekvens, begrunnelse="Ikke møtt",
            periode_fra=fra, belop=Decimal(belop) if konsekvens == "reduksjon" else None,
            periode_til=til if konsekvens == "reduksjon" else None)


# 1. Never harsher than the forhåndsvarsel (forvaltningsloven § 16)
@pytest.mark.parametrize("fields, field", [
    ({"konsekvens": "stans"}, "konsekvens"),
    ({"belop": "1500"}, "belop"),
    ({"fra": AFTER_DEADLINE - datetime.timedelta(days=1)}, "periode_fra"),
    ({"til": WARNED_TIL + datetime.timedelta(days=1)}, "periode_til"),
])
def test_a_reaction_harsher_than_the_warned_reduction_is_refused_and_asks_for_a_new_warning(brudd, users, fields,
                                                                                            field):
    warned(brudd, users["vedtak"])
    errors = _refusal(lambda: _prepare(brudd, users, **fields))
    assert list(errors) == [field]
    assert "send et nytt forhåndsvarsel" in errors[field][0]
    assert "en reduksjon på høyst 1\u00a0000\u00a0kr i perioden 11.03.2026–21.03.2026" in errors[field][0]
    assert not Sanksjon.objects.exists()


def test_a_milder_reduction_than_warned_may_be_prepared(brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = _prepare(brudd, users, belop="600", fra=AFTER_DEADLINE + datetime.timedelta(days=2),
                        til=WARNED_TIL - datetime.timedelta(days=2))
    assert (sanksjon.belop, sanksjon.status) == (Decimal("600"), SanksjonStatus.FORBEREDT)


@pytest.mark.parametrize("konsekvens", ["stans", "reduksjon"])
def test_after_a_warned_stop_a_stop_or_a_reduction_may_be_prepared(brudd, users, konsekvens):
    warned(brudd, users["vedtak"], konsekvens="stans")
    assert _prepare(brudd, users, konsekvens=konsekvens).konsekvens == konsekvens


def test_the_reaction_form_starts_from_the_warned_consequence_amount_and_period(client, brudd, users):
    warned(brudd, users["vedtak"])
    logged_in(client, users["vedtak"])
    with at(AFTER_DEADLINE):
        response = client.get(reverse("breach-detail", args=[brudd.pk]))
    assert response.context["sanction_form"].initial == {
        "konsekvens": "reduksjon", "belop": Decimal("1000"), "periode_fra": AFTER_DEADLINE, "periode_til": WARNED_TIL}
    form = body(response).split('id="vedta"', 1)[1]
    assert 'value="1000.00"' in form and 'value="2026-03-11"' in form and 'value="2026-03-21"' in form


# 2. A reaction that has not begun can be cancelled
def _approved_stop_from(brudd, users, start: datetime.date):
    warned(brudd, users["vedtak"], konsekvens="stans")
    sanksjon = _prepare(brudd, users, konsekvens="stans", fra=start)
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=Actor.for_user(users["leder"]))
    return sanksjon


def test_a_stop_that_starts_in_the_future_is_cancelled_from_its_start_and_leaves_the_handover_list(client, brudd,
                                                                                                  users):
    start = AFTER_DEADLINE + datetime.timedelta(days=5)
    sanksjon = _approved_stop_from(brudd, users, start)
    logged_in(client, users["vedtak"])
    with at(AFTER_DEADLINE):
        assert "Stoppet" in body(client.get(reverse("handover-list")))
        errors = _refusal(lambda: services.sanction_end(sanksjon=sanksjon, actor=Actor.for_user(users["vedtak"]),
                                                        dato=start + datetime.timedelta(days=1), grunn="Møter igjen"))
        assert errors == {"dato": ["Datoen kan ikke være fram i tid. Reaksjonen har ikke begynt ennå: avslutt den fra "
                                   "16.03.2026, så får den aldri virkning."]}
        services.sanction_end(sanksjon=sanksjon, actor=Actor.for_user(users["vedtak"]), dato=start, grunn="Møter igjen")
        page = body(client.get(reverse("handover-list")))
    sanksjon.refresh_from_db()
    brudd.vilkar.vedtak.refresh_from_db()
    assert (sanksjon.status, sanksjon.avsluttet_dato) == (SanksjonStatus.AVSLUTTET, start)
    assert brudd.vilkar.vedtak.utbetaling == Utbetaling.HOLDT
    assert "Reduserte og stoppede utbetalinger (0, 1 avsluttet siste 30 dager)" in page
    assert "Stoppet</span>" not in page
    assert "Avlyst</span> 16.03.2026 – fikk aldri virkning, utbetales som vanlig" in page


def test_a_stop_that_has_begun_still_cannot_end_in_the_future_or_before_it_began(brudd, users):
    sanksjon = _approved_stop_from(brudd, users, AFTER_DEADLINE)
    with at(AFTER_DEADLINE + datetime.timedelta(days=2)):
        for dato, message in ((AFTER_DEADLINE + datetime.timedelta(days=3), "Datoen kan ikke være fram i tid."),
                              (AFTER_DEADLINE - datetime.timedelta(days=1),
                               "Reaksjonen kan ikke avsluttes før den begynte (11.03.2026).")):
            assert _refusal(lambda dato=dato: services.sanction_end(
                sanksjon=sanksjon, actor=Actor.for_user(users["vedtak"]), dato=dato, grunn="x")) == {"dato": [message]}


# 3. A prepared reaction keeps the breach open until a leader approves it
def test_a_prepared_reaction_keeps_the_breach_open_with_a_badge_until_approved(client, brudd, users):
    Deltaker.objects.filter(person=brudd.vilkar.person).update(veileder=users["veileder"])
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    logged_in(client, users["vedtak"])
    open_list = body(client.get(reverse("breach-list")))
    assert "Til vurdering og varslet (1)" in open_list and "Venter på godkjenning</span>" in open_list
    assert "Reaksjon vedtatt" not in open_list
    assert "Lukket og avgjort (0)" in body(client.get(reverse("breach-list") + "?vis=avsluttet"))
    page = body(client.get(reverse("breach-detail", args=[brudd.pk])))
    assert "Forhåndsvarsel sendt</span> <span class=\"badge text-bg-info\">Venter på godkjenning" in page
    assert "Forbered til godkjenning</button>" not in page and "Lukk det mulige bruddet" not in page
    counts = {kind["code"]: kind["count"] for kind in inbox_counts(users["leder"])["kinds"]}
    assert counts["reaksjoner"] == 1
    assert {k["code"]: k["count"] for k in inbox_counts(users["vedtak"])["kinds"]}["mulige-brudd"] == 0
    assert {k["code"]: k["count"] for k in inbox_counts(users["veileder"])["kinds"]}["mulige-brudd-mine"] == 1
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=Actor.for_user(users["leder"]))
    assert MuligBrudd.objects.get().status == BruddStatus.AVGJORT
    assert "Til vurdering og varslet (0)" in body(client.get(reverse("breach-list")))
    closed = body(client.get(reverse("breach-list") + "?vis=avsluttet"))
    assert "Lukket og avgjort (1)" in closed and "Reaksjon vedtatt" in closed
    assert {k["code"]: k["count"] for k in inbox_counts(users["leder"])["kinds"]}["reaksjoner"] == 0
    assert {k["code"]: k["count"] for k in inbox_counts(users["veileder"])["kinds"]}["mulige-brudd-mine"] == 0


def test_a_rejected_reaction_leaves_the_breach_open_to_decide_again(client, brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    services.sanction_reject(sanksjon=sanksjon, actor=Actor.for_user(users["leder"]), begrunnelse="For strengt")
    assert MuligBrudd.objects.get().status == BruddStatus.VARSLET
    logged_in(client, users["vedtak"])
    with at(AFTER_DEADLINE):
        page = body(client.get(reverse("breach-detail", args=[brudd.pk])))
    assert "Forbered til godkjenning</button>" in page and "Venter på godkjenning</span>" not in page


# 4. Ended reactions stay on the hand-over list for 30 days
def test_a_lifted_stop_stays_on_the_handover_list_for_thirty_days_with_its_end_date(client, brudd, users):
    sanksjon = _approved_stop_from(brudd, users, AFTER_DEADLINE)
    with at(AFTER_DEADLINE + datetime.timedelta(days=3)):
        services.sanction_end(sanksjon=sanksjon, actor=Actor.for_user(users["vedtak"]),
                              dato=AFTER_DEADLINE + datetime.timedelta(days=3), grunn="Møter igjen")
        logged_in(client, users["vedtak"])
        page = body(client.get(reverse("handover-list")))
    assert "Reduserte og stoppede utbetalinger (0, 1 avsluttet siste 30 dager)" in page
    assert "avsluttet 14.03.2026 – utbetalingen gjenopptas" in page
    assert "11.03.2026–13.03.2026" in page
    with at(AFTER_DEADLINE + datetime.timedelta(days=34)):
        logged_in(client, users["vedtak"])
        page = body(client.get(reverse("handover-list")))
    assert "Reduserte og stoppede utbetalinger (0)" in page and "utbetalingen gjenopptas" not in page


def test_an_ended_reduction_shows_the_full_payout_again(client, brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=Actor.for_user(users["leder"]))
    with at(AFTER_DEADLINE + datetime.timedelta(days=2)):
        services.sanction_end(sanksjon=sanksjon, actor=Actor.for_user(users["vedtak"]),
                              dato=AFTER_DEADLINE + datetime.timedelta(days=2), grunn="Møter igjen")
        logged_in(client, users["vedtak"])
        page = body(client.get(reverse("handover-list")))
    assert "avsluttet 13.03.2026 – full utbetaling igjen" in page
    assert "8\u00a0000\u00a0kr <span class=\"small\">fra 13.03.2026</span>" in page


# 5. Clearly wrong input is refused before the confirmation page
@pytest.mark.parametrize("fields, error", [
    ({"belop": "0"}, "Skriv hvor mange kroner stønaden skal reduseres med (mer enn 0 kr)."),
    ({"belop": "9000"}, "Reduksjonen kan ikke være større enn vedtakets beløp (8\u00a0000\u00a0kr)."),
    ({"belop": "6000"}, "under minstebeløpet til livsopphold"),
    ({"periode_til": "10.03.2026"}, "Perioden kan ikke slutte før den begynner."),
    ({"svarfrist": "02.03.2026"}, "Svarfristen kan ikke være tilbake i tid."),
])
def test_a_wrong_warning_comes_straight_back_at_its_field_without_a_confirmation_page(client, brudd, users, fields,
                                                                                      error):
    logged_in(client, users["vedtak"])
    posted = {"konsekvens": "reduksjon", "belop": "1000", "periode_fra": "11.03.2026", "periode_til": "21.03.2026",
              "svarfrist": "10.03.2026", **fields}
    with at(DETECTED):
        response = client.post(reverse("breach-warning", args=[brudd.pk]), posted)
    page = body(response)
    assert response.status_code == 400
    assert "Ja, send forhåndsvarselet" not in page and error in page
    assert f'value="{posted["belop"]}"' in page
    assert not Forhandsvarsel.objects.exists()


@pytest.mark.parametrize("fields, error", [
    ({"belop": "0"}, "Skriv hvor mange kroner stønaden skal reduseres med (mer enn 0 kr)."),
    ({"belop": "6000"}, "under minstebeløpet til livsopphold"),
    ({"periode_til": "10.03.2026"}, "Perioden kan ikke slutte før den begynner."),
])
def test_a_wrong_reaction_comes_straight_back_at_its_field_without_a_confirmation_page(client, brudd, users, fields,
                                                                                       error):
    warned(brudd, users["vedtak"], konsekvens="stans")
    logged_in(client, users["vedtak"])
    posted = {"konsekvens": "reduksjon", "belop": "1000", "periode_fra": "11.03.2026", "periode_til": "21.03.2026",
              "begrunnelse": "Ikke møtt", **fields}
    with at(AFTER_DEADLINE):
        response = client.post(reverse("breach-sanction", args=[brudd.pk]), posted)
    page = body(response)
    assert response.status_code == 400
    assert "Ja, forbered til godkjenning" not in page and error in page and "Ikke møtt</textarea>" in page
    assert not Sanksjon.objects.exists()


def test_the_confirmation_pages_show_dates_and_kroner_in_norwegian(client, brudd, users):
    logged_in(client, users["vedtak"])
    with at(DETECTED):
        page = body(client.post(reverse("breach-warning", args=[brudd.pk]), {
            "konsekvens": "reduksjon", "belop": "1000", "periode_fra": "11.03.2026", "periode_til": "21.03.2026",
            "svarfrist": "10.03.2026"}))
    assert "Ja, send forhåndsvarselet" in page
    assert "Reduksjon på 1\u00a0000\u00a0kr i perioden 11.03.2026–21.03.2026" in page
    assert "2026-03-11" not in page.split("<form", 1)[0]
