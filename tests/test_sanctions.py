"""The sanction workflow on a possible breach (conditions.services.sanctions and its pages):
close, forhåndsvarsel with its letter, response, decision after the deadline, four eyes or
fullmakt, the stop and its lifting, the events on the vedtak and the hand-over list."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from conditions import services
from conditions.models import (
    BruddStatus,
    Fase,
    Forhandsvarsel,
    Fullmakt,
    MuligBrudd,
    Oppheving,
    OpphevingStatus,
    Sanksjon,
    SanksjonHendelse,
    SanksjonStatus,
    Utbetaling,
)
from tests import conditions_data as data
from tests.breach_data import AFTER_DEADLINE, DEADLINE, DETECTED, at, detected_breach, prepared, warned
from tests.factories import role_user
from tests.helpers import body, logged_in, messages, pdf_text

pytestmark = pytest.mark.django_db


def _refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


@pytest.fixture
def brudd(alna, users):
    return detected_breach(alna, users["vedtak"])


def _actor(users, name="vedtak"):
    return Actor.for_user(users[name])


# (a) close
def test_closing_a_possible_breach_needs_a_reason_and_is_an_event_on_the_vedtak(brudd, users):
    assert _refusal(lambda: services.breach_close(brudd=brudd, actor=_actor(users), grunn=" ")) == (
        "Skriv hvorfor det mulige bruddet lukkes.")
    services.breach_close(brudd=brudd, actor=_actor(users), grunn="Godkjent fravær: legeerklæring")
    brudd.refresh_from_db()
    assert (brudd.status, brudd.lukket_av, brudd.lukket_grunn) == (
        BruddStatus.LUKKET, users["vedtak"], "Godkjent fravær: legeerklæring")
    assert SanksjonHendelse.objects.filter(vedtak=brudd.vilkar.vedtak).last().tekst == (
        "Mulig brudd lukket: Godkjent fravær: legeerklæring")
    assert AuditEntry.objects.filter(action="update", object_id=str(brudd.pk), username="vedtak").exists()


# (b) forhåndsvarsel
def test_a_warning_deadline_in_the_past_is_refused_and_nothing_is_written(brudd, users):
    with at(DETECTED):
        message = _refusal(lambda: services.warning_send(
            brudd=brudd, actor=_actor(users), konsekvens="stans", svarfrist=DETECTED - datetime.timedelta(days=1)))
    assert message == "Svarfristen kan ikke være tilbake i tid."
    assert not Forhandsvarsel.objects.exists()
    assert MuligBrudd.objects.get().status == BruddStatus.TIL_VURDERING


def test_a_warning_of_a_reduction_needs_the_vedtak_to_have_told_the_recipient(alna, users):
    brudd = detected_breach(alna, users["vedtak"], varslet=False)
    message = _refusal(lambda: warned(brudd, users["vedtak"]))
    assert message == ("Reduksjon kan ikke vedtas: vedtaksbrevet opplyste ikke om at stønaden kan reduseres ved brudd "
                       "på vilkår (sosialtjenesteloven § 20).")
    assert not Forhandsvarsel.objects.exists()


def test_the_warning_is_sent_with_the_planned_consequence_and_the_deadline(brudd, users):
    varsel = warned(brudd, users["vedtak"])
    brudd.refresh_from_db()
    assert brudd.status == BruddStatus.VARSLET
    assert (varsel.konsekvens, varsel.belop, varsel.svarfrist) == ("reduksjon", Decimal("1000"), DEADLINE)
    assert varsel.hva_skjedde == "Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt"
    assert "Forhåndsvarsel sendt om reduksjon på 1\u00a0000\u00a0kr 11.03.2026–21.03.2026, svarfrist 10.03.2026." in [
        event.tekst for event in SanksjonHendelse.objects.all()]


def test_the_warning_letter_names_the_vilkar_what_happened_the_consequence_and_the_deadline(client, brudd, users):
    warned(brudd, users["vedtak"])
    logged_in(client, users["vedtak"])
    response = client.get(reverse("breach-warning-pdf", args=[brudd.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    # The letter body of templates/letters/forhandsvarsel.html, in plain bokmål (issue 16).
    assert "Forhåndsvarsel: vi vurderer å sette ned stønaden din" in text
    assert "Søk 2 jobber per uke innen renhold" in text
    assert "Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt" in text
    assert "sette ned stønaden din med 1 000 kr i perioden 11. mars 2026 til 21. mars 2026" in text
    assert "Du kan svare oss innen 10. mars 2026" in text
    # Not a count of the participant's letters: a reference to the vedtak and the breach.
    assert "nr." not in text
    assert f"Referanse: vedtak {brudd.vilkar.vedtak_id}, mulig brudd {brudd.pk}" in text
    assert AuditEntry.objects.filter(action="export", person_fnr=brudd.vilkar.person.fnr, username="vedtak").exists()


def test_the_warning_letter_is_not_for_the_veileder_or_karea(client, brudd, users):
    warned(brudd, users["vedtak"])
    for role in ("veileder", "karea"):
        logged_in(client, users[role])
        assert client.get(reverse("breach-warning-pdf", args=[brudd.pk])).status_code in (403, 404)


def test_the_participants_response_is_registered(brudd, users):
    warned(brudd, users["vedtak"])
    with at(DETECTED + datetime.timedelta(days=2)):
        assert _refusal(lambda: services.warning_response(brudd=brudd, actor=_actor(users), svar="", mottatt=DETECTED)) == (
            "Skriv hva deltakeren svarte.")
        services.warning_response(brudd=brudd, actor=_actor(users), svar="Jeg var syk", mottatt=DETECTED)
    varsel = Forhandsvarsel.objects.get()
    assert (varsel.svar, varsel.svar_mottatt, varsel.svar_registrert_av) == ("Jeg var syk", DETECTED, users["vedtak"])


# (c) decide
def test_no_decision_before_the_deadline_unless_the_response_came(brudd, users):
    warned(brudd, users["vedtak"])
    with at(DEADLINE):
        assert _refusal(lambda: services.decide_no_reaction(brudd=brudd, actor=_actor(users), begrunnelse="Ok")) == (
            "Svarfristen i forhåndsvarselet går ut 10.03.2026. Reaksjonen kan vedtas etter fristen, eller når svaret "
            "fra deltakeren er registrert.")


def test_no_reaction_closes_the_breach(brudd, users):
    warned(brudd, users["vedtak"])
    with at(AFTER_DEADLINE):
        services.decide_no_reaction(brudd=brudd, actor=_actor(users), begrunnelse="Møtte neste gang")
    brudd.refresh_from_db()
    assert (brudd.status, brudd.lukket_grunn) == (BruddStatus.LUKKET, "Ingen reaksjon: Møtte neste gang")
    assert not Sanksjon.objects.exists()


@pytest.mark.parametrize("belop, fra, til, field, message", [
    ("9000", AFTER_DEADLINE, AFTER_DEADLINE, "belop", "Reduksjonen kan ikke være større enn vedtakets beløp (8\u00a0000\u00a0kr)."),
    ("6000", AFTER_DEADLINE, AFTER_DEADLINE, "belop",
     "Etter reduksjonen blir det 2\u00a0000\u00a0kr igjen, under minstebeløpet til livsopphold (3\u00a0000\u00a0kr). "
     "Reduksjonen kan være høyst 5\u00a0000\u00a0kr."),
    ("0", AFTER_DEADLINE, AFTER_DEADLINE, "belop", "Skriv hvor mange kroner stønaden skal reduseres med (mer enn 0 kr)."),
    ("500", AFTER_DEADLINE, AFTER_DEADLINE - datetime.timedelta(days=1), "periode_til",
     "Perioden kan ikke slutte før den begynner."),
    ("500", AFTER_DEADLINE, datetime.date(2026, 4, 30), "periode_fra",
     "Reduksjonen må ligge innenfor vedtakets periode (20.02.2026–22.03.2026)."),
])
def test_a_bad_reduction_is_refused_at_its_field_and_nothing_is_written(brudd, users, belop, fra, til, field, message):
    warned(brudd, users["vedtak"], konsekvens="stans")  # a stop was warned: any reduction is milder
    with at(AFTER_DEADLINE), pytest.raises(ValidationError) as error:
        services.sanction_prepare(brudd=brudd, actor=_actor(users), konsekvens="reduksjon", begrunnelse="Brudd",
                                  periode_fra=fra, belop=Decimal(belop), periode_til=til)
    assert error.value.message_dict == {field: [message]}
    assert not Sanksjon.objects.exists()
    assert MuligBrudd.objects.get().status == BruddStatus.VARSLET


@override_settings(LIVSOPPHOLD_MINIMUM_KR=7500)
def test_the_livsopphold_minimum_follows_the_setting(brudd, users):
    warned(brudd, users["vedtak"], konsekvens="stans")
    with at(AFTER_DEADLINE):
        message = _refusal(lambda: services.sanction_prepare(
            brudd=brudd, actor=_actor(users), konsekvens="reduksjon", begrunnelse="Brudd", periode_fra=AFTER_DEADLINE,
            belop=Decimal("1000"), periode_til=AFTER_DEADLINE))
    assert "under minstebeløpet til livsopphold (7\u00a0500\u00a0kr)" in message


def test_a_reduction_waits_for_a_leader_who_did_not_prepare_it(brudd, users, alna):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    assert (sanksjon.status, MuligBrudd.objects.get().status) == (SanksjonStatus.FORBEREDT, BruddStatus.VARSLET)
    assert _refusal(lambda: services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "vedtak"))) == (
        "Bare en leder kan godkjenne eller avvise en reaksjon.")
    leader_preparer = role_user("leder_og_vedtak", alna, Role.LEDER, Role.VEDTAK)
    own = Sanksjon.objects.create(brudd=detected_breach(alna, users["vedtak"]), vedtak=sanksjon.vedtak, konsekvens="stans",
                                  periode_fra=AFTER_DEADLINE, begrunnelse="x", prepared_by=leader_preparer,
                                  prepared_at=sanksjon.prepared_at)
    assert _refusal(lambda: services.sanction_approve(sanksjon=own, actor=Actor.for_user(leader_preparer))) == (
        "Du kan ikke godkjenne eller avvise en reaksjon du har forberedt selv (fire øyne).")
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    sanksjon.refresh_from_db()
    assert (sanksjon.status, sanksjon.decided_by) == (SanksjonStatus.GODKJENT, users["leder"])
    assert MuligBrudd.objects.get(pk=brudd.pk).status == BruddStatus.AVGJORT
    assert AuditEntry.objects.filter(action="update", object_id=str(sanksjon.pk), username="leder").exists()


def test_the_database_refuses_an_approval_by_the_preparer_without_fullmakt(brudd, users):
    from django.db import IntegrityError, transaction  # noqa: PLC0415

    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Sanksjon.objects.filter(pk=sanksjon.pk).update(status="godkjent", decided_by=users["vedtak"],
                                                       decided_at=sanksjon.prepared_at)


def test_a_fullmakt_holder_decides_alone_up_to_the_fullmakt(brudd, users, alna):
    warned(brudd, users["vedtak"])
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("500"))
    assert _refusal(lambda: prepared(brudd, users["vedtak"], alone=True)) == (
        "Beløpet (1\u00a0000\u00a0kr) er over fullmakten din (500\u00a0kr). Reaksjonen må godkjennes av en leder.")
    Fullmakt.objects.filter(user=users["vedtak"]).update(maks_belop=Decimal("1000"))
    sanksjon = prepared(brudd, users["vedtak"], alone=True)
    assert (sanksjon.status, sanksjon.alene_med_fullmakt, sanksjon.decided_by) == (
        SanksjonStatus.GODKJENT, True, users["vedtak"])


def test_a_stop_alone_needs_a_fullmakt_covering_the_whole_payout(brudd, users, alna):
    warned(brudd, users["vedtak"], konsekvens="stans")
    Fullmakt.objects.create(user=users["vedtak"], office=alna, maks_belop=Decimal("5000"))
    assert "Beløpet (8\u00a0000\u00a0kr) er over fullmakten din" in _refusal(
        lambda: prepared(brudd, users["vedtak"], konsekvens="stans", alone=True))


def test_a_rejected_reaction_goes_back_to_the_vedtak_unit(brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    services.sanction_reject(sanksjon=sanksjon, actor=_actor(users, "leder"), begrunnelse="For strengt")
    assert MuligBrudd.objects.get().status == BruddStatus.VARSLET
    assert prepared(brudd, users["vedtak"], belop="500").status == SanksjonStatus.FORBEREDT


def test_a_stop_stops_the_payout_refuses_lifting_and_is_lifted_when_the_participant_returns(brudd, users):
    warned(brudd, users["vedtak"], konsekvens="stans")
    sanksjon = prepared(brudd, users["vedtak"], konsekvens="stans")
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    vedtak = brudd.vilkar.vedtak
    vedtak.refresh_from_db()
    assert (vedtak.utbetaling, vedtak.fase) == (Utbetaling.STOPPET, Fase.VILKAR_APNE)
    services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Flyttet til arbeidstrening")
    vedtak.refresh_from_db()
    assert vedtak.fase == Fase.KLAR
    assert _refusal(lambda: services.lifting_prepare(vedtak=vedtak, actor=_actor(users))) == (
        "Utbetalingen er stoppet til deltakeren møter igjen, så vedtaket kan ikke oppheves nå. Avslutt stansen først.")
    with at(AFTER_DEADLINE + datetime.timedelta(days=3)):
        assert _refusal(lambda: services.sanction_end(sanksjon=sanksjon, actor=_actor(users), dato=AFTER_DEADLINE
                                                      - datetime.timedelta(days=1), grunn="Møter igjen")) == (
            "Reaksjonen kan ikke avsluttes før den begynte (11.03.2026).")
        services.sanction_end(sanksjon=sanksjon, actor=_actor(users), dato=AFTER_DEADLINE + datetime.timedelta(days=2),
                              grunn="Møter igjen")
    vedtak.refresh_from_db()
    assert (vedtak.utbetaling, vedtak.fase) == (Utbetaling.HOLDT, Fase.KLAR)
    assert "Stansen er opphevet fra 13.03.2026: Møter igjen" in [e.tekst for e in SanksjonHendelse.objects.all()]
    services.lifting_prepare(vedtak=vedtak, actor=_actor(users))


def test_a_stop_of_a_lifted_vedtak_keeps_it_lifted_and_resumes_the_release(brudd, users):
    warned(brudd, users["vedtak"], konsekvens="stans")
    vedtak = brudd.vilkar.vedtak
    services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Bortfalt")
    lifting = services.lifting_prepare(vedtak=vedtak, actor=_actor(users))
    services.lifting_approve(oppheving=lifting, actor=_actor(users, "leder"))
    sanksjon = prepared(brudd, users["vedtak"], konsekvens="stans")
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    vedtak.refresh_from_db()
    assert (vedtak.utbetaling, vedtak.fase) == (Utbetaling.STOPPET, Fase.OPPHEVET)
    with at(AFTER_DEADLINE):
        services.sanction_end(sanksjon=sanksjon, actor=_actor(users), dato=AFTER_DEADLINE, grunn="Møter igjen")
    vedtak.refresh_from_db()
    assert (vedtak.utbetaling, vedtak.fase) == (Utbetaling.FRIGITT, Fase.OPPHEVET)


def test_a_stop_approved_while_a_lifting_waits_sends_the_lifting_back(brudd, users):
    warned(brudd, users["vedtak"], konsekvens="stans")
    vedtak = brudd.vilkar.vedtak
    sanksjon = prepared(brudd, users["vedtak"], konsekvens="stans")
    services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Bortfalt")
    lifting = services.lifting_prepare(vedtak=vedtak, actor=_actor(users))
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    lifting.refresh_from_db()
    assert lifting.status == OpphevingStatus.SENDT_TILBAKE
    assert not Oppheving.objects.filter(status=OpphevingStatus.GODKJENT).exists()


def test_a_reduction_ends_early_when_the_participant_returns(brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    with at(AFTER_DEADLINE + datetime.timedelta(days=4)):
        services.sanction_end(sanksjon=sanksjon, actor=_actor(users), dato=AFTER_DEADLINE + datetime.timedelta(days=4),
                              grunn="Møter igjen")
    sanksjon.refresh_from_db()
    assert (sanksjon.status, sanksjon.slutt) == (SanksjonStatus.AVSLUTTET, datetime.date(2026, 3, 14))


# Pages
def _post(client, name, pk, **fields):
    return client.post(reverse(name, args=[pk]), fields)


def test_a_warning_deadline_in_the_past_on_the_page_keeps_what_was_typed(client, brudd, users):
    logged_in(client, users["vedtak"])
    with at(DETECTED):
        response = _post(client, "breach-warning", brudd.pk, konsekvens="reduksjon", belop="1000",
                         periode_fra="11.03.2026", periode_til="21.03.2026", svarfrist="01.03.2026", bekreftet="ja")
    assert response.status_code == 422 or response.status_code == 400
    page = body(response)
    assert "Svarfristen kan ikke være tilbake i tid." in page and 'value="1000"' in page
    assert not Forhandsvarsel.objects.exists()


def test_the_warning_and_a_decision_ask_for_confirmation_first(client, brudd, users):
    logged_in(client, users["vedtak"])
    with at(DETECTED):
        response = _post(client, "breach-warning", brudd.pk, konsekvens="stans", svarfrist="10.03.2026")
        assert "Ja, send forhåndsvarselet" in body(response)
        assert not Forhandsvarsel.objects.exists()
        response = _post(client, "breach-warning", brudd.pk, konsekvens="stans", svarfrist="10.03.2026", bekreftet="ja")
    assert response.status_code == 302
    with at(AFTER_DEADLINE):
        logged_in(client, users["vedtak"])
        fields = {"konsekvens": "stans", "periode_fra": "11.03.2026", "begrunnelse": "Ikke møtt"}
        assert "Ja, forbered til godkjenning" in body(_post(client, "breach-sanction", brudd.pk, **fields))
        assert not Sanksjon.objects.exists()
        _post(client, "breach-sanction", brudd.pk, bekreftet="ja", **fields)
    sanksjon = Sanksjon.objects.get()
    with at(AFTER_DEADLINE):
        logged_in(client, users["leder"])
        assert "Ja, godkjenn" in body(_post(client, "sanction-approve", sanksjon.pk))
        response = _post(client, "sanction-approve", sanksjon.pk, bekreftet="ja")
        assert "Reaksjonen er godkjent." in messages(client.get(response["Location"]))
    assert Sanksjon.objects.get().status == SanksjonStatus.GODKJENT


@pytest.mark.parametrize("role, status", [("veileder", 404), ("karea", 403), ("prosjektleder", 403)])
def test_only_the_vedtak_unit_and_leaders_act_on_a_breach(client, brudd, users, role, status):
    logged_in(client, users[role])
    response = _post(client, "breach-close", brudd.pk, grunn="Godkjent")
    assert response.status_code in (status, 403, 404)
    assert MuligBrudd.objects.get().status == BruddStatus.TIL_VURDERING


def test_a_veileder_following_the_participant_reads_but_may_not_act(client, brudd, users):
    from cases.models import Deltaker  # noqa: PLC0415

    Deltaker.objects.filter(person=brudd.vilkar.person).update(veileder=users["veileder"])
    logged_in(client, users["veileder"])
    assert client.get(reverse("breach-detail", args=[brudd.pk])).status_code == 200
    assert _post(client, "breach-close", brudd.pk, grunn="Godkjent").status_code == 403
    assert MuligBrudd.objects.get().status == BruddStatus.TIL_VURDERING


def test_another_offices_vedtak_unit_may_not_open_or_act(client, brudd, stovner):
    other = role_user("vedtak_stovner", stovner, Role.VEDTAK)
    logged_in(client, other)
    assert client.get(reverse("breach-detail", args=[brudd.pk])).status_code == 404
    assert _post(client, "breach-close", brudd.pk, grunn="x").status_code == 404


def test_the_vedtak_page_lists_the_events(client, brudd, users):
    warned(brudd, users["vedtak"])
    logged_in(client, users["vedtak"])
    page = body(client.get(reverse("vedtak-detail", args=[brudd.vilkar.vedtak_id])))
    assert "Hendelser" in page
    assert "Mulig brudd funnet: ikke møtt til avtalt møte eller samling." in page
    assert "Forhåndsvarsel sendt om reduksjon" in page
    assert "Registrer reduksjon" not in page


def test_the_handover_list_and_its_export_show_the_reduced_payout(client, brudd, users):
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
    vedtak = brudd.vilkar.vedtak
    services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Bortfalt")
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=vedtak, actor=_actor(users)),
                             actor=_actor(users, "leder"))
    with at(AFTER_DEADLINE):
        logged_in(client, users["vedtak"])
        page = body(client.get(reverse("handover-list")))
        csv = data.export_csv(client)
    assert "1\u00a0000\u00a0kr</span> (11.03.2026–21.03.2026)" in page and "7\u00a0000\u00a0kr" in page
    assert "Reduserte og stoppede utbetalinger (1)" in page
    header, row = csv.strip().splitlines()[:2]
    assert header.endswith("reduksjon;reduksjon_perioder;netto;utbetaling")
    assert row.endswith("1000,00;11.03.2026–21.03.2026;7000,00;frigitt")


def test_the_handover_list_runs_a_fixed_number_of_queries(client, alna, users, django_assert_num_queries):
    logged_in(client, users["vedtak"])
    for _ in range(2):
        brudd = detected_breach(alna, users["vedtak"])
        warned(brudd, users["vedtak"])
        with at(AFTER_DEADLINE):
            services.sanction_approve(sanksjon=prepared(brudd, users["vedtak"]), actor=_actor(users, "leder"))
        services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Bortfalt")
        services.lifting_approve(oppheving=services.lifting_prepare(vedtak=brudd.vilkar.vedtak, actor=_actor(users)),
                                 actor=_actor(users, "leder"))
        client.get(reverse("handover-list"))
        with django_assert_num_queries(HANDOVER_QUERIES):
            client.get(reverse("handover-list"))


HANDOVER_QUERIES = 15


def test_a_decision_on_a_breach_someone_else_decided_meanwhile_is_told_in_words(client, brudd, users):
    warned(brudd, users["vedtak"])
    prepared(brudd, users["vedtak"])
    with at(AFTER_DEADLINE):
        logged_in(client, users["leder"])
        response = _post(client, "breach-no-reaction", brudd.pk, begrunnelse="Møtte neste gang")
        assert response.status_code == 302
        assert ("Noen andre har gjort dette før deg: Det er allerede forberedt en reaksjon på dette mulige bruddet, "
                "og den venter på godkjenning fra en leder. Siden viser nå det som gjelder.") in messages(
            client.get(response["Location"]))
    assert MuligBrudd.objects.get().status == BruddStatus.VARSLET
    assert Sanksjon.objects.get().status == SanksjonStatus.FORBEREDT


def test_a_stopped_payout_is_marked_on_the_handover_list_with_nothing_to_pay(client, brudd, users):
    warned(brudd, users["vedtak"], konsekvens="stans")
    vedtak = brudd.vilkar.vedtak
    services.vilkar_waive(vilkar=brudd.vilkar, actor=_actor(users), begrunnelse="Bortfalt")
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=vedtak, actor=_actor(users)),
                             actor=_actor(users, "leder"))
    sanksjon = prepared(brudd, users["vedtak"], konsekvens="stans")
    with at(AFTER_DEADLINE):
        services.sanction_approve(sanksjon=sanksjon, actor=_actor(users, "leder"))
        logged_in(client, users["vedtak"])
        page = body(client.get(reverse("handover-list")))
        csv = data.export_csv(client)
    assert "Stoppet" in page and "til deltakeren møter igjen" in page
    assert csv.strip().splitlines()[1].endswith("0,00;;0,00;stoppet")


# a harsher reaction needs a new forhåndsvarsel (forvaltningsloven § 16)
def _rewarn(brudd, users, *, version, day=AFTER_DEADLINE):
    with at(day):
        return services.warning_send(brudd=brudd, actor=_actor(users), konsekvens="stans",
                                     svarfrist=day + datetime.timedelta(days=7), version=version)


def test_a_new_warning_of_a_stop_replaces_the_warned_reduction_so_a_stop_can_follow(brudd, users):
    warned(brudd, users["vedtak"])
    brudd.refresh_from_db()
    with at(AFTER_DEADLINE):
        harsher = _refusal(lambda: services.sanction_prepare(
            brudd=brudd, actor=_actor(users), konsekvens="stans", begrunnelse="Ikke møtt", periode_fra=AFTER_DEADLINE))
    assert "send et nytt forhåndsvarsel" in harsher
    varsel = _rewarn(brudd, users, version=brudd.version)
    assert (Forhandsvarsel.objects.count(), varsel.konsekvens, varsel.belop) == (1, "stans", None)
    assert varsel.svarfrist == AFTER_DEADLINE + datetime.timedelta(days=7)
    assert "Erstatter forhåndsvarselet av 03.03.2026 om en reduksjon på høyst 1\u00a0000\u00a0kr" in (
        SanksjonHendelse.objects.filter(vedtak=brudd.vilkar.vedtak).last().tekst)
    later = AFTER_DEADLINE + datetime.timedelta(days=8)
    with at(later):
        stop = services.sanction_prepare(brudd=brudd, actor=_actor(users), konsekvens="stans",
                                         begrunnelse="Ikke møtt, varslet om stans", periode_fra=later)
    assert stop.status == SanksjonStatus.FORBEREDT


def test_a_new_warning_from_a_page_that_did_not_show_the_last_one_is_refused(brudd, users):
    warned(brudd, users["vedtak"])
    stale = MuligBrudd.objects.get(pk=brudd.pk).version - 1
    message = _refusal(lambda: _rewarn(brudd, users, version=stale))
    assert message.startswith("Noen andre har gjort dette før deg: Forhåndsvarsel er allerede sendt")
    assert Forhandsvarsel.objects.get().konsekvens == "reduksjon"


def test_no_new_warning_while_a_reaction_waits_for_approval(brudd, users):
    warned(brudd, users["vedtak"])
    prepared(brudd, users["vedtak"])
    version = MuligBrudd.objects.get(pk=brudd.pk).version
    assert "venter på godkjenning" in _refusal(lambda: _rewarn(brudd, users, version=version))
    assert Forhandsvarsel.objects.get().konsekvens == "reduksjon"


def test_the_breach_page_offers_a_new_warning_that_carries_the_version_it_replaces(client, brudd, users):
    warned(brudd, users["vedtak"])
    version = MuligBrudd.objects.get(pk=brudd.pk).version
    logged_in(client, users["vedtak"])
    with at(AFTER_DEADLINE):
        page = body(client.get(reverse("breach-detail", args=[brudd.pk])))
        assert "Send nytt forhåndsvarsel (for en strengere reaksjon)" in page and f'value="{version}"' in page
        response = _post(client, "breach-warning", brudd.pk, konsekvens="stans", svarfrist="18.03.2026",
                         versjon=str(version), bekreftet="ja")
    assert response.status_code == 302
    assert Forhandsvarsel.objects.get().konsekvens == "stans"
