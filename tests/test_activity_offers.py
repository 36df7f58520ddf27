"""Issue 15, items 1 and 2: an activity vilkår rests on an offer (an activity of the plan, a
course, work training, Alna Aktiv's meetings or job search) or a journaled reason, and attendance
registered anywhere (meetings, «Klart jeg kan» weeks, Arbeidsboks weeks, job applications
registered by the veileder) documents it by itself."""
import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import services as arbeidsboks_services
from arbeidsboks.selectors import attendance_vilkar_for
from cases import services as cases_services
from cases.models import Aktivitet, Avtale, Deltaker, JournalEntry, KlartJegKanUke
from conditions import services
from conditions.models import Dokumentasjon, Kilde, Vilkar
from conditions.services import ConditionsError
from tests import arbeidsboks_data
from tests import conditions_data as data
from tests.conditions_data import TODAY
from tests.factories import deltaker_with_course, path_events, with_consent
from tests.helpers import body, logged_in, messages
from tests.html import field_has_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    # Monday 2 March 2026, 12.00 in Oslo: inside the period of the vedtak tests/conditions_data makes
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _activity(deltaker, user, *, type="kurs", beskrivelse="Norskkurs på Furuset", status="planlagt") -> Aktivitet:
    return Aktivitet.objects.create(deltaker=deltaker, type=type, beskrivelse=beskrivelse, status=status,
                                    fra_dato=TODAY, til_dato=TODAY + datetime.timedelta(days=30), created_by=user)


def _open_vedtak(alna, users, **sak_fields):
    """An undecided vedtak of a participant (the hovedperson), without vilkår."""
    case = data.sak(alna, **sak_fields)
    return data.vedtak(case, users["vedtak"], vilkar=(), decide=False), Deltaker.objects.get(person=case.hovedperson)


def _vilkar_post(made, **fields) -> dict:
    return {"person": made.sak.hovedperson_id, "kind": "aktivitet", "hjemmel": "sotjl_20a",
            "beskrivelse": "Møt på norskkurset", "frist": "2026-03-31", "mengde": 80, "enhet": "oppmote_prosent",
            "fravaer_terskel": 20, **fields}


def _meeting_vilkar(made, users, **fields) -> Vilkar:
    vilkar = services.vilkar_create(
        vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson, kind="aktivitet",
        hjemmel="sotjl_20a", beskrivelse="Møt på avtalte møter i Alna Aktiv", frist=TODAY + datetime.timedelta(days=20),
        mengde=80, enhet="oppmote_prosent", tilbud="alna_aktiv", **fields)
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(users["vedtak"]), resultat="innvilget", vedtaksdato=TODAY)
    return vilkar


# --- 1. the offer on the vilkår ----------------------------------------------------------------

def test_the_vedtak_unit_sets_an_activity_vilkar_on_an_activity_of_the_persons_plan(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    course = _activity(deltaker, users["veileder"])
    logged_in(client, users["vedtak"])
    page = body(client.get(reverse("vedtak-detail", args=[made.pk])))
    assert "Tilbud vilkåret gjelder" in page and "Norskkurs på Furuset" in page
    response = client.post(reverse("vilkar-create", args=[made.pk]),
                           _vilkar_post(made, tilbud="plan", aktivitet=course.pk, fravaer_terskel=30))
    assert response.status_code == 302
    vilkar = made.vilkar.get()
    assert (vilkar.tilbud, vilkar.aktivitet, vilkar.fravaer_terskel) == ("plan", course, 30)
    assert AuditEntry.objects.filter(action="create", object_type="conditions.vilkar", object_id=str(vilkar.pk)).exists()
    page = body(client.get(reverse("vedtak-detail", args=[made.pk])))
    assert "Tilbud:</strong> Aktivitet i aktivitetsplanen: Kurs – Norskkurs på Furuset" in page


def test_an_activity_of_another_person_or_a_finished_one_is_refused_at_the_field_and_nothing_is_written(
        client, users, alna, stovner):
    made, deltaker = _open_vedtak(alna, users)
    finished = _activity(deltaker, users["veileder"], status="fullfort")
    other_case = data.sak(alna)
    others = _activity(Deltaker.objects.get(person=other_case.hovedperson), users["veileder"])
    for aktivitet in (finished, others):
        with pytest.raises(ConditionsError) as refused:
            services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                                   kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Kurs", frist=TODAY, mengde=80,
                                   enhet="oppmote_prosent", tilbud="plan", aktivitet=aktivitet)
        assert "ikke en pågående aktivitet i planen" in refused.value.message_dict["aktivitet"][0]
    # through the page: an activity not offered is refused at the field, what was typed kept
    logged_in(client, users["vedtak"])
    response = client.post(reverse("vilkar-create", args=[made.pk]), _vilkar_post(made, tilbud="plan", aktivitet=others.pk))
    assert response.status_code == 400
    assert field_has_error(body(response), "vilkar_aktivitet") and "Møt på norskkurset" in body(response)
    assert not made.vilkar.exists()


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"tilbud": "jobbsoking"}, "enhet", "Et vilkår om jobbsøking har krav i antall søknader per uke."),
    ({"tilbud": "plan"}, "aktivitet", "Velg aktiviteten i planen vilkåret gjelder."),
    ({"tilbud": "uten"}, "uten_tilbud_grunn", "Skriv hvorfor vilkåret stilles uten tilbud."),
    ({"tilbud": "alna_aktiv", "fravaer_terskel": 120}, "fravaer_terskel", "Terskelen for fravær må være mellom 0 og 100 %."),
])
def test_a_bad_offer_is_refused_in_norwegian_at_its_field(client, users, alna, fields, field, message):
    made, _ = _open_vedtak(alna, users)
    response = logged_in(client, users["vedtak"]).post(reverse("vilkar-create", args=[made.pk]), _vilkar_post(made, **fields))
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, f"vilkar_{field}") and message in page
    assert not made.vilkar.exists()


NOT_A_PARTICIPANT = "er ikke aktiv deltaker i Alna Aktiv ved dette kontoret, så ingen kan dokumentere"


@pytest.mark.parametrize(("who", "tilbud"), [
    ("ektefelle", "alna_aktiv"),  # the spouse is not a participant
    ("ikke_deltaker", "plassering"),  # no participant, so never an Arbeidsboks placement
    ("avsluttet", "alna_aktiv"),  # a participant whose course has ended
])
def test_an_offer_nobody_can_document_is_refused_at_the_field_for_a_person_who_is_not_an_active_participant(
        client, users, alna, who, tilbud):
    case = data.sak(alna, spouse_age=35, participant=who != "ikke_deltaker")
    if who == "avsluttet":
        Deltaker.objects.filter(person=case.hovedperson).update(status="avsluttet")
    made = data.vedtak(case, users["vedtak"], vilkar=(), decide=False)
    person = case.ektefelle if who == "ektefelle" else case.hovedperson
    response = logged_in(client, users["vedtak"]).post(reverse("vilkar-create", args=[made.pk]),
                                                       _vilkar_post(made, person=person.pk, tilbud=tilbud))
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, "vilkar_tilbud") and f"{person.navn} {NOT_A_PARTICIPANT}" in page
    assert "Møt på norskkurset" in page
    assert not made.vilkar.exists()


def test_job_search_is_an_offer_to_anyone_and_the_others_to_an_active_participant(users, alna):
    case = data.sak(alna, spouse_age=35)
    made = data.vedtak(case, users["vedtak"], vilkar=(), decide=False)
    common = {"vedtak": made, "actor": Actor.for_user(users["vedtak"]), "kind": "aktivitet", "hjemmel": "sotjl_20a",
              "beskrivelse": "Vilkår", "frist": TODAY}
    spouse = services.vilkar_create(person=case.ektefelle, mengde=2, enhet="soknader_per_uke", tilbud="jobbsoking",
                                    **common)
    training = services.vilkar_create(person=case.hovedperson, mengde=80, enhet="oppmote_prosent", tilbud="plassering",
                                      **common)
    assert (spouse.tilbud, training.tilbud) == ("jobbsoking", "plassering")
    # set later, the same rule: the spouse's vilkår cannot move to Alna Aktiv's meetings
    later = services.vilkar_create(person=case.ektefelle, mengde=80, enhet="oppmote_prosent", **common)
    with pytest.raises(ConditionsError) as refused:
        services.vilkar_set_offer(vilkar=later, actor=Actor.for_user(users["vedtak"]), tilbud="alna_aktiv")
    assert NOT_A_PARTICIPANT in refused.value.message_dict["tilbud"][0]
    later.refresh_from_db()
    assert later.tilbud == ""


def test_the_offer_field_says_a_work_training_vilkar_is_linked_when_the_placement_is_made(client, users, alna):
    made, _ = _open_vedtak(alna, users)
    page = body(logged_in(client, users["vedtak"]).get(reverse("vedtak-detail", args=[made.pk])))
    assert "Et vilkår om arbeidstrening i Arbeidsboks knyttes til plasseringen når plasseringen gjøres" in page
    assert "Alle tilbud unntatt jobbsøking krever at personen er aktiv deltaker" in page


def test_a_reason_for_no_offer_typed_with_an_offer_is_refused_at_the_field_and_kept(client, users, alna):
    made, _ = _open_vedtak(alna, users)
    logged_in(client, users["vedtak"])
    response = client.post(reverse("vilkar-create", args=[made.pk]), _vilkar_post(
        made, tilbud="jobbsoking", mengde=2, enhet="soknader_per_uke", uten_tilbud_grunn="Venter på kursplass i mai"))
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, "vilkar_uten_tilbud_grunn")
    assert "Velg enten et tilbud, eller skriv hvorfor vilkåret stilles uten tilbud." in page
    assert "Venter på kursplass i mai" in page
    assert not made.vilkar.exists()
    # the same when the offer is set later
    vilkar = services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                                    kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Søk jobber", frist=TODAY,
                                    mengde=2, enhet="soknader_per_uke")
    response = client.post(reverse("vilkar-offer", args=[vilkar.pk]), {
        "tilbud": "jobbsoking", "uten_tilbud_grunn": "Venter på kursplass i mai", "fravaer_terskel": 20,
        "versjon": vilkar.version})
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, f"tilbud{vilkar.pk}_uten_tilbud_grunn") and "Venter på kursplass i mai" in page
    vilkar.refresh_from_db()
    assert (vilkar.tilbud, vilkar.uten_tilbud_grunn) == ("", "")


def test_a_course_offer_names_a_course_activity(users, alna):
    made, deltaker = _open_vedtak(alna, users)
    health = _activity(deltaker, users["veileder"], type="helse", beskrivelse="Fysioterapi")
    with pytest.raises(ConditionsError, match="kursaktivitet"):
        services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                               kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Kurs", frist=TODAY, mengde=80,
                               enhet="oppmote_prosent", tilbud="gruppekurs", aktivitet=health)


def test_a_vedtak_is_not_granted_while_an_activity_vilkar_has_neither_offer_nor_reason(client, users, alna):
    made, _ = _open_vedtak(alna, users)
    services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                           kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Søk jobber innen lager", frist=TODAY,
                           mengde=3, enhet="soknader_per_uke")
    made.refresh_from_db()
    response = logged_in(client, users["vedtak"]).post(reverse("vedtak-decide", args=[made.pk]), {
        "resultat": "innvilget", "vedtaksdato": "2026-03-02", "versjon": made.version})
    assert response.status_code == 400
    page = body(response)
    assert field_has_error(page, "vedtak_resultat")
    assert f"Aktivitetsvilkåret «Søk jobber innen lager» for {made.sak.hovedperson.navn} har ikke noe tilbud" in page
    made.refresh_from_db()
    assert made.resultat == ""


def test_a_reason_for_no_offer_is_journaled_on_the_participant_when_the_vedtak_is_decided(users, alna):
    made, deltaker = _open_vedtak(alna, users)
    services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                           kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Søk jobber", frist=TODAY, mengde=3,
                           enhet="soknader_per_uke", uten_tilbud_grunn="Venter på plass på jobbklubb i april")
    assert not JournalEntry.objects.filter(deltaker=deltaker).exists()
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(users["vedtak"]), resultat="innvilget", vedtaksdato=TODAY)
    entry = JournalEntry.objects.get(deltaker=deltaker)
    assert entry.is_system and "Venter på plass på jobbklubb i april" in entry.text and "Søk jobber" in entry.text


def test_karea_reads_the_journaled_reason_for_no_offer_without_the_oskar_sak_number_or_the_vedtak(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    services.vilkar_create(
        vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson, kind="aktivitet",
        hjemmel="sotjl_20a", beskrivelse="Søk jobber", frist=TODAY, mengde=3, enhet="soknader_per_uke",
        uten_tilbud_grunn="Venter på plass på jobbklubb i april")
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(users["vedtak"]), resultat="innvilget", vedtaksdato=TODAY)
    page = body(logged_in(client, users["karea"]).get(reverse("participant-detail", args=[deltaker.pk])))
    assert made.sak.saksnummer not in page and "vedtak i sak" not in page
    assert "Aktivitetsvilkår stilt uten tilbud om aktivitet. Vilkår: Søk jobber. Grunn: Venter på plass" in page
    assert made.sak.saksnummer not in JournalEntry.objects.get(deltaker=deltaker).text


def test_the_offer_is_set_later_by_the_vedtak_unit_versioned_and_audited(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    vilkar = services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                                    kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Møt på kurs", frist=TODAY,
                                    mengde=80, enhet="oppmote_prosent", uten_tilbud_grunn="Kurset er ikke klart")
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(users["vedtak"]), resultat="innvilget", vedtaksdato=TODAY)
    course = _activity(deltaker, users["veileder"])
    url = reverse("vilkar-offer", args=[vilkar.pk])
    post = {"tilbud": "plan", "aktivitet": course.pk, "fravaer_terskel": 25, "versjon": vilkar.version}
    # the veileder and KAREA may not; a stale form is refused
    assert logged_in(client, users["veileder"]).post(url, post).status_code == 403
    assert logged_in(client, users["karea"]).post(url, post).status_code == 403
    stale = logged_in(client, users["vedtak"]).post(url, {**post, "versjon": vilkar.version - 1}, follow=True)
    assert any("Noen andre har gjort dette før deg" in text for text in messages(stale)) or "Noen andre" in body(stale)
    response = client.post(url, post)
    assert response.status_code == 302
    vilkar.refresh_from_db()
    assert (vilkar.tilbud, vilkar.aktivitet, vilkar.uten_tilbud_grunn, vilkar.fravaer_terskel) == ("plan", course, "", 25)
    assert AuditEntry.objects.filter(action="update", object_type="conditions.vilkar", object_id=str(vilkar.pk)).exists()


# --- 2. the plan shows which vilkår each activity carries --------------------------------------

def test_the_plan_shows_the_vilkar_an_activity_carries_to_nav_but_never_to_karea(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    course = _activity(deltaker, users["veileder"])
    services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                           kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Møt på minst 80 % av kursdagene",
                           frist=TODAY, mengde=80, enhet="oppmote_prosent", tilbud="plan", aktivitet=course)
    url = reverse("mapping-detail", args=[deltaker.pk])
    for role in ("veileder", "prosjektleder"):
        assert "Møt på minst 80 % av kursdagene (åpen, frist 02.03.2026)" in body(logged_in(client, users[role]).get(url))
    page = body(logged_in(client, users["karea"]).get(url))
    assert "Norskkurs på Furuset" in page and "Møt på minst 80 %" not in page


def test_the_plan_runs_as_many_queries_with_vilkar_on_its_activities_as_without(client, users, alna,
                                                                                  django_assert_num_queries):
    made, deltaker = _open_vedtak(alna, users)
    activities = [_activity(deltaker, users["veileder"], beskrivelse=f"Kurs {n}") for n in range(3)]
    url = reverse("mapping-detail", args=[deltaker.pk])
    logged_in(client, users["veileder"]).get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for aktivitet in activities:
        services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                               kind="aktivitet", hjemmel="sotjl_20a", beskrivelse=f"Møt på {aktivitet.beskrivelse}",
                               frist=TODAY, mengde=80, enhet="oppmote_prosent", tilbud="plan", aktivitet=aktivitet)
    with django_assert_num_queries(len(before.captured_queries)):
        page = body(client.get(url))
    assert "Møt på Kurs 2" in page


def test_the_participant_page_shows_each_vilkars_offer_and_its_documents_source(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    vilkar = _meeting_vilkar(made, users)
    services.attendance_document(vilkar=vilkar, actor=Actor.for_user(users["veileder"]), kilde=Kilde.MOTE,
                                 kilde_ref="avtale:99", on_date=TODAY, planlagte_dager=1, oppmotte_dager=0,
                                 fravaer_godkjent=0, hendelse="Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt")
    url = reverse("participant-detail", args=[deltaker.pk])
    for role in ("veileder", "prosjektleder"):
        page = body(logged_in(client, users[role]).get(url))
        assert "Avtalte møter i Alna Aktiv og «Klart jeg kan»" in page
        assert "Avtalt møte: Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt" in page
    assert "Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt" not in body(logged_in(client, users["karea"]).get(url))


# --- 3. attendance lands on the vilkår ----------------------------------------------------------

def _meeting(deltaker, users, hour=10) -> Avtale:
    return Avtale.objects.create(
        deltaker=deltaker, kind="oppfolging", sted="Alna Aktiv", veileder=users["veileder"], created_by=users["veileder"],
        starts_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(hour, 0))))


@pytest.mark.parametrize(("outcome", "shown", "attended", "approved", "unapproved"), [
    ("mott", "møtt", 1, 0, 0),
    ("ikke_mott", "ikke møtt", 0, 0, 1),
    ("ikke_mott_gyldig", "ikke møtt – gyldig fravær", 0, 1, 0),
])
def test_a_meetings_outcome_documents_the_alna_aktiv_vilkar(client, users, alna, outcome, shown, attended, approved,
                                                            unapproved):
    made, deltaker = _open_vedtak(alna, users)
    vilkar = _meeting_vilkar(made, users)
    avtale = _meeting(deltaker, users)
    response = logged_in(client, users["veileder"]).post(
        reverse("appointment-close", args=[deltaker.pk, avtale.pk]), {"outcome": outcome})
    assert response.status_code == 302
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.kilde, document.kilde_ref, document.vurdering) == ("mote", f"avtale:{avtale.pk}", "godkjent")
    assert (document.planlagte_dager, document.oppmotte_dager, document.fravaer_godkjent,
            document.fravaer_ikke_godkjent) == (1, attended, approved, unapproved)
    assert document.hendelse == f"Oppfølgingsmøte 02.03.2026 kl. 10.00: {shown}"
    avtale.refresh_from_db()
    assert avtale.gyldig_fravaer == (outcome == "ikke_mott_gyldig")
    assert AuditEntry.objects.filter(action="create", object_type="conditions.dokumentasjon").exists()


def test_registrer_mott_for_a_group_documents_each_persons_vilkar(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    vilkar = _meeting_vilkar(made, users)
    other = data.sak(alna)
    meetings = [_meeting(deltaker, users), _meeting(Deltaker.objects.get(person=other.hovedperson), users)]
    response = logged_in(client, users["veileder"]).post(reverse("appointment-bulk-met"),
                                                         {"avtaler": [avtale.pk for avtale in meetings]})
    assert response.status_code == 302
    assert Dokumentasjon.objects.get(vilkar=vilkar).oppmotte_dager == 1
    # the other person has no vilkår on meetings: nothing lands anywhere for them
    assert Dokumentasjon.objects.count() == 1


def test_a_cancelled_meeting_or_one_of_a_person_with_another_offer_documents_nothing(users, alna):
    made, deltaker = _open_vedtak(alna, users)
    services.vilkar_create(vedtak=made, actor=Actor.for_user(users["vedtak"]), person=made.sak.hovedperson,
                           kind="aktivitet", hjemmel="sotjl_20a", beskrivelse="Søk jobber", frist=TODAY, mengde=3,
                           enhet="soknader_per_uke", tilbud="jobbsoking")
    services.vedtak_decide(vedtak=made, actor=Actor.for_user(users["vedtak"]), resultat="innvilget", vedtaksdato=TODAY)
    cases_services.appointment_close(avtale=_meeting(deltaker, users), actor=Actor.for_user(users["veileder"]),
                                     outcome="ikke_mott")
    assert not Dokumentasjon.objects.exists()


def _kartlegging(alna, users):
    case = data.sak(alna, participant=False)
    # KAREA registers the weeks: the participant has consented to sharing with KAREA (issue 16)
    deltaker = with_consent(deltaker_with_course(path_events(("kandidat", "henvist", "mott")), office=alna,
                                                 person=case.hovedperson, sak=case))
    kartlegging = cases_services.mapping_start(deltaker=deltaker, actor=Actor.for_user(users["karea"]),
                                               on_date=TODAY - datetime.timedelta(days=14))
    made = data.vedtak(case, users["vedtak"], vilkar=(), decide=False)
    return deltaker, kartlegging, _meeting_vilkar(made, users)


def test_a_klart_jeg_kan_week_documents_the_vilkar_and_registering_it_again_corrects_it(client, users, alna):
    deltaker, kartlegging, vilkar = _kartlegging(alna, users)
    url = reverse("mapping-week", args=[deltaker.pk])
    week = {"uke": 1, "planlagte_dager": 5, "mott_dager": 3, "fravaer_godkjent": 1, "kommentar": "Syk en dag"}
    assert logged_in(client, users["karea"]).post(url, week).status_code == 302
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.kilde, document.kilde_ref) == ("klart_jeg_kan", f"kjk:{kartlegging.pk}:1")
    assert (document.oppmotte_dager, document.fravaer_godkjent, document.fravaer_ikke_godkjent) == (3, 1, 1)
    assert document.hendelse == "«Klart jeg kan» uke 1: møtt 3 av 5 dager, fravær 2 dager (1 godkjent). Syk en dag"
    assert client.post(url, {**week, "mott_dager": 5, "fravaer_godkjent": 0, "kommentar": ""}).status_code == 302
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.oppmotte_dager, document.fravaer_ikke_godkjent) == (5, 0)
    assert AuditEntry.objects.filter(action="update", object_type="conditions.dokumentasjon",
                                     object_id=str(document.pk)).exists()


def test_a_week_with_more_approved_absence_than_missed_days_is_refused_and_nothing_is_written(client, users, alna):
    deltaker, _, vilkar = _kartlegging(alna, users)
    response = logged_in(client, users["karea"]).post(reverse("mapping-week", args=[deltaker.pk]), {
        "uke": 1, "planlagte_dager": 5, "mott_dager": 4, "fravaer_godkjent": 2})
    assert response.status_code == 400
    assert "Dager med godkjent fravær kan ikke være flere enn dagene deltakeren ikke møtte." in body(response)
    assert not KlartJegKanUke.objects.exists() and not Dokumentasjon.objects.filter(vilkar=vilkar).exists()


def test_an_arbeidsboks_week_carries_its_source_and_event(users, alna):
    area = arbeidsboks_data.area(alna)
    deltaker = arbeidsboks_data.deltaker(alna)
    vilkar = arbeidsboks_data.attendance_vilkar(deltaker, users["vedtak"])
    placement = arbeidsboks_data.place(deltaker, area, users["karea"], vilkar=vilkar)
    [entry] = arbeidsboks_services.attendance_register_week(
        arbeidsomrade=area, uke=arbeidsboks_data.LAST_WEEK, actor=Actor.for_user(users["karea"]),
        rows=[{"plassering": placement.pk, "oppmotte_timer": "12", "oppmotte_dager": 3, "fravaer_godkjent_dager": 1,
               "fravaer_grunn": "Legetime"}])
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.kilde, document.kilde_ref) == ("arbeidsboks", f"frammote:{entry.pk}")
    assert document.hendelse == "Arbeidstrening uken fra 23.02.2026: møtt 3 av 5 dager, fravær 2 dager (1 godkjent)"


def test_a_placement_offers_only_vilkar_on_work_training_or_without_an_offer(users, alna):
    deltaker = arbeidsboks_data.deltaker(alna)
    training = arbeidsboks_data.attendance_vilkar(deltaker, users["vedtak"])
    meetings = _meeting_vilkar(data.vedtak(deltaker.sak, users["vedtak"], vilkar=(), decide=False), users)
    offered = set(attendance_vilkar_for(deltaker))
    assert training in offered and meetings not in offered


# --- applications registered by the veileder ---------------------------------------------------

def _job_search(alna, users, **sak_fields):
    made = data.vedtak(data.sak(alna, **sak_fields), users["vedtak"], vilkar=("aktivitet",))
    return made.vilkar.get(), Deltaker.objects.get(person=made.sak.hovedperson)


def test_the_veileder_registers_job_applications_that_land_on_the_job_search_vilkar_unassessed(client, users, alna):
    vilkar, deltaker = _job_search(alna, users)
    page = body(logged_in(client, users["veileder"]).get(reverse("participant-detail", args=[deltaker.pk])))
    assert "Registrer jobbsøknader" in page
    response = client.post(reverse("applications-register", args=[deltaker.pk]),
                           {"soknader": "Rema 1000 Furuset; 25.02.2026\nPosten, Alnabru; 27.02.2026"})
    assert response.status_code == 302
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.type, document.kilde, document.vurdering) == ("jobbsoknader", "soknader", "")
    assert document.kilde_ref.startswith("soknader:")
    assert sorted(document.soknader.values_list("arbeidsgiver", flat=True)) == ["Posten, Alnabru", "Rema 1000 Furuset"]
    assert "2 jobbsøknader registrert av veileder" in document.hendelse
    assert AuditEntry.objects.filter(action="create", object_type="conditions.dokumentasjon").exists()
    # a second registration is a document of its own
    client.post(reverse("applications-register", args=[deltaker.pk]), {"soknader": "Kiwi Haugerud; 28.02.2026"})
    assert Dokumentasjon.objects.filter(vilkar=vilkar).count() == 2


@pytest.mark.parametrize(("text", "message"), [
    ("Rema 1000 28.02.2026", "Linje 1: skriv «arbeidsgiver; dd.mm.åååå»."),
    ("Rema 1000; 28.02.2027", "Hver jobbsøknad trenger en arbeidsgiver og en dato som ikke er fram i tid."),
])
def test_bad_applications_are_refused_at_the_field_and_nothing_is_written(client, users, alna, text, message):
    _, deltaker = _job_search(alna, users)
    response = logged_in(client, users["veileder"]).post(reverse("applications-register", args=[deltaker.pk]),
                                                         {"soknader": text})
    assert response.status_code == 400
    page = body(response)
    assert message in page and field_has_error(page, "soknader_soknader") and text in page
    assert not Dokumentasjon.objects.exists()


def test_applications_need_an_open_job_search_vilkar(client, users, alna):
    made, deltaker = _open_vedtak(alna, users)
    _meeting_vilkar(made, users)
    page = body(logged_in(client, users["veileder"]).get(reverse("participant-detail", args=[deltaker.pk])))
    assert "Registrer jobbsøknader" not in page
    response = client.post(reverse("applications-register", args=[deltaker.pk]), {"soknader": "Rema; 01.03.2026"})
    assert response.status_code == 400
    assert "har ikke noe åpent vilkår om jobbsøking" in body(response)
    assert not Dokumentasjon.objects.exists()


def test_only_the_offices_veileder_registers_applications_and_a_protected_person_stays_hidden(client, users, alna,
                                                                                              stovner):
    _, deltaker = _job_search(alna, users)
    url = reverse("applications-register", args=[deltaker.pk])
    post = {"soknader": "Rema; 01.03.2026"}
    assert logged_in(client, users["karea"]).post(url, post).status_code == 403
    assert logged_in(client, users["vedtak"]).post(url, post).status_code == 403
    assert logged_in(client, users["veileder_stovner"]).post(url, post).status_code == 404
    _, hidden = _job_search(alna, users, adressebeskyttelse="strengt_fortrolig")
    assert logged_in(client, users["veileder"]).post(
        reverse("applications-register", args=[hidden.pk]), post).status_code == 404
    assert not Dokumentasjon.objects.exists()


def test_a_klart_jeg_kan_week_with_one_day_says_dag_in_the_singular_on_the_page_and_the_vilkar(client, users, alna):
    deltaker, _, vilkar = _kartlegging(alna, users)
    logged_in(client, users["karea"]).post(reverse("mapping-week", args=[deltaker.pk]), {
        "uke": 1, "planlagte_dager": 5, "mott_dager": 4, "fravaer_godkjent": 1})
    page = body(client.get(reverse("mapping-detail", args=[deltaker.pk])))
    assert "4 av 5 dager (1 dag godkjent fravær)" in page and "1 dager" not in page
    assert Dokumentasjon.objects.get(vilkar=vilkar).hendelse == "«Klart jeg kan» uke 1: møtt 4 av 5 dager, fravær 1 dag (1 godkjent)"
