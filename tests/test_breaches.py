"""Possible breaches found each morning (conditions.services.breaches): a no-show at an agreed
meeting, unapproved absence above the vilkår's threshold in a month, missing job search by the
deadline. Found once, never sanctioned by themselves, shown to the vedtak unit (work list, list
page, inbox) and to the participant's follow-up veileder, never to those who may not see them."""
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.inbox import inbox_counts
from alnaaktiv.models import AuditEntry
from cases.models import Deltaker
from conditions import services
from conditions.models import (
    BruddGrunn,
    BruddStatus,
    MuligBrudd,
    Sanksjon,
    SanksjonHendelse,
    Tilbud,
    Utbetaling,
    Vilkar,
)
from conditions.services.breaches import detect_possible_breaches
from conditions.tasks import detect_possible_breaches_task
from tests import conditions_data as data
from tests.breach_data import DETECTED, at, detected_breach, meeting_vilkar, no_show
from tests.conditions_data import TODAY
from tests.helpers import body, logged_in

pytestmark = pytest.mark.django_db


def _attendance(vilkar, user, *, mottatt, planned, attended, approved, ref):
    """A week of attendance from Arbeidsboks-like attendance (not an appointment)."""
    return services.attendance_document(
        vilkar=vilkar, actor=Actor.for_user(user), kilde="arbeidsboks", kilde_ref=ref, on_date=mottatt,
        planlagte_dager=planned, oppmotte_dager=attended, fravaer_godkjent=approved, hendelse=f"Uke {ref}")


def test_a_no_show_at_a_meeting_becomes_a_possible_breach_the_next_morning_with_its_evidence(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    [document] = no_show(vilkar, users["vedtak"])
    with at(DETECTED, 6):
        [brudd] = detect_possible_breaches()
    assert (brudd.vilkar, brudd.grunn, brudd.periode, brudd.status) == (
        vilkar, BruddGrunn.IKKE_MOTT, TODAY, BruddStatus.TIL_VURDERING)
    assert list(brudd.dokumenter.all()) == [document]
    assert brudd.bevis == "Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt"
    assert AuditEntry.objects.filter(action="create", object_id=str(brudd.pk), person_fnr=vilkar.person.fnr).exists()
    assert SanksjonHendelse.objects.get(brudd=brudd).tekst == "Mulig brudd funnet: ikke møtt til avtalt møte eller samling."


def test_running_the_detection_again_finds_nothing_new_and_sanctions_nothing(alna, users):
    brudd = detected_breach(alna, users["vedtak"])
    with at(DETECTED + datetime.timedelta(days=1), 6):
        assert detect_possible_breaches() == []
    assert MuligBrudd.objects.count() == 1
    assert not Sanksjon.objects.exists()
    brudd.vilkar.vedtak.refresh_from_db()
    assert brudd.vilkar.vedtak.utbetaling == Utbetaling.HOLDT


def test_a_breach_whose_audit_entry_cannot_be_written_is_not_stored_half(alna, users, monkeypatch):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    no_show(vilkar, users["vedtak"])

    def broken(*args, **kwargs):
        raise RuntimeError("sporingsloggen er nede")

    monkeypatch.setattr("conditions.services.breaches.audit.record_change", broken)
    with at(DETECTED, 6), pytest.raises(RuntimeError):
        detect_possible_breaches()
    assert not MuligBrudd.objects.exists()
    assert not SanksjonHendelse.objects.exists()


def test_the_detection_costs_the_same_queries_for_each_new_breach(alna, users):
    """Measured at national scale in docs/benchmarks.md (issue 15): one transaction and five
    statements per new breach, the vilkår of all new findings read in one query."""
    def detect_with(count):
        for n in range(count):
            no_show(meeting_vilkar(alna, users["vedtak"]), users["vedtak"], ref=f"avtale:{count}{n}")
        with at(DETECTED, 6), CaptureQueriesContext(connection) as queries:
            made = detect_possible_breaches()
        assert len(made) == count
        return len(queries)

    one, four = detect_with(1), detect_with(4)  # the second run also meets the first one's, known
    per_breach = (four - one) / 3
    assert per_breach == int(per_breach)
    assert per_breach <= 6


def test_a_meeting_attended_or_with_approved_absence_is_no_breach(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    no_show(vilkar, users["vedtak"], ref="avtale:1", attended=1)
    no_show(vilkar, users["vedtak"], ref="avtale:2", approved=1)
    with at(DETECTED, 6):
        assert detect_possible_breaches() == []


def test_a_no_show_on_a_vilkar_already_assessed_is_no_breach(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    no_show(vilkar, users["vedtak"])
    services.vilkar_waive(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), begrunnelse="Syk")
    with at(DETECTED, 6):
        assert detect_possible_breaches() == []


def test_absence_above_the_threshold_in_a_month_is_a_possible_breach(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.PLASSERING)
    # March: 10 planned, 3 unapproved (30 % > 20 %).
    _attendance(vilkar, users["vedtak"], mottatt=datetime.date(2026, 3, 6), planned=5, attended=4, approved=0, ref="u10")
    _attendance(vilkar, users["vedtak"], mottatt=datetime.date(2026, 3, 13), planned=5, attended=3, approved=0, ref="u11")
    with at(datetime.date(2026, 3, 14), 6):
        [brudd] = detect_possible_breaches()
    assert (brudd.grunn, brudd.periode) == (BruddGrunn.FRAVAER, datetime.date(2026, 3, 1))
    assert "03.2026: 3 av 10 planlagte dager ikke godkjent fravær (30 %), over terskelen på 20 %." in brudd.bevis
    assert brudd.dokumenter.count() == 2


def test_absence_at_the_threshold_or_below_a_higher_threshold_is_no_breach(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.PLASSERING)
    # 2 of 10 = 20 %: not above the default threshold.
    _attendance(vilkar, users["vedtak"], mottatt=datetime.date(2026, 3, 6), planned=10, attended=8, approved=0, ref="u10")
    with at(datetime.date(2026, 3, 14), 6):
        assert detect_possible_breaches() == []
    _attendance(vilkar, users["vedtak"], mottatt=datetime.date(2026, 3, 13), planned=5, attended=3, approved=0, ref="u11")
    Vilkar.objects.filter(pk=vilkar.pk).update(fravaer_terskel=40)
    with at(datetime.date(2026, 3, 14), 6):
        assert detect_possible_breaches() == []  # 4 of 15 = 27 % ≤ 40 %
    Vilkar.objects.filter(pk=vilkar.pk).update(fravaer_terskel=25)
    with at(datetime.date(2026, 3, 14), 6):
        assert len(detect_possible_breaches()) == 1


def test_last_months_absence_is_still_found_early_in_the_next_month(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.PLASSERING)
    _attendance(vilkar, users["vedtak"], mottatt=datetime.date(2026, 2, 27), planned=5, attended=2, approved=0, ref="u9")
    with at(datetime.date(2026, 3, 2), 6):
        [brudd] = detect_possible_breaches()
    assert brudd.periode == datetime.date(2026, 2, 1)


def test_job_search_past_its_deadline_without_applications_is_a_possible_breach(alna, users):
    made = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",))
    vilkar = made.vilkar.get()  # soknader_per_uke, frist 09.03.2026
    with at(vilkar.frist, 6):
        assert detect_possible_breaches() == []  # not past the deadline yet
    with at(vilkar.frist + datetime.timedelta(days=1), 6):
        [brudd] = detect_possible_breaches()
    assert (brudd.grunn, brudd.periode) == (BruddGrunn.MANGLER_SOKNADER, vilkar.frist)
    assert brudd.bevis == "Frist 09.03.2026: ingen dokumentasjon av jobbsøknader er registrert (krav 2 jobbsøknader per uke)."


def test_job_search_with_applications_documented_is_no_breach(alna, users):
    made = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",))
    vilkar = made.vilkar.get()
    services.document_register(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), type="jobbsoknader",
                               mottatt=TODAY, soknader=[("Renhold AS", TODAY)])
    with at(vilkar.frist + datetime.timedelta(days=1), 6):
        assert detect_possible_breaches() == []


def test_the_beat_task_and_the_command_run_the_same_detection(alna, users):
    vilkar = meeting_vilkar(alna, users["vedtak"])
    no_show(vilkar, users["vedtak"])
    out = StringIO()
    with at(DETECTED):
        call_command("detect_possible_breaches", "--date", "2026-03-03", stdout=out)
    assert out.getvalue().strip() == "Fant 1 nytt mulig brudd."
    assert detect_possible_breaches_task("2026-03-03") == 0
    assert AuditEntry.objects.filter(action="create", path="manage.py detect_possible_breaches",
                                     object_id=str(MuligBrudd.objects.get().pk)).count() == 1


def test_the_command_counts_in_words_with_singular_and_plural(alna, users):
    for ref in ("avtale:1", "avtale:2"):
        no_show(meeting_vilkar(alna, users["vedtak"]), users["vedtak"], ref=ref)
    out = StringIO()
    with at(DETECTED):
        call_command("detect_possible_breaches", "--date", "2026-03-03", stdout=out)
        call_command("detect_possible_breaches", "--date", "2026-03-03", stdout=out)
    assert out.getvalue().strip().splitlines() == ["Fant 2 nye mulige brudd.", "Fant 0 nye mulige brudd."]


def test_the_command_refuses_a_date_in_the_future_and_writes_nothing(alna, users):
    no_show(meeting_vilkar(alna, users["vedtak"]), users["vedtak"])
    with at(TODAY), pytest.raises(CommandError) as error:
        call_command("detect_possible_breaches", "--date", "2026-03-03")
    assert str(error.value) == "--date: 03.03.2026 er fram i tid. Velg i dag eller en dag tilbake i tid."
    assert not MuligBrudd.objects.exists()


@pytest.mark.parametrize("role, shown", [("vedtak", True), ("leder", True), ("veileder", False), ("karea", False)])
def test_the_menu_has_possible_breaches_for_the_vedtak_unit_and_leaders(client, users, role, shown):
    logged_in(client, users[role])
    items = {item["label"]: item["url"] for item in client.get(reverse("start")).context["menu_items"]}
    assert (items.get("Mulige brudd") == reverse("breach-list")) is shown


def test_the_vedtak_page_shows_the_absence_threshold_only_on_attendance_vilkar(client, alna, users):
    threshold = "mulig brudd ved ikke godkjent fravær over 20 %"
    job_search = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("aktivitet",))
    meetings = meeting_vilkar(alna, users["vedtak"]).vedtak
    logged_in(client, users["vedtak"])
    assert threshold not in body(client.get(reverse("vedtak-detail", args=[job_search.pk])))
    assert threshold in body(client.get(reverse("vedtak-detail", args=[meetings.pk])))


def test_the_beat_schedule_runs_the_detection_every_morning_at_six():
    from django.conf import settings  # noqa: PLC0415

    entry = settings.CELERY_BEAT_SCHEDULE["detect-possible-breaches"]
    assert entry["task"] == "conditions.tasks.detect_possible_breaches_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {0})


def test_the_vedtak_unit_and_the_follow_up_veileder_get_it_in_their_inbox(client, alna, users):
    brudd = detected_breach(alna, users["vedtak"])
    Deltaker.objects.filter(person=brudd.vilkar.person).update(veileder=users["veileder"])
    vedtak_counts = {kind["code"]: kind["count"] for kind in inbox_counts(users["vedtak"])["kinds"]}
    veileder_counts = {kind["code"]: kind["count"] for kind in inbox_counts(users["veileder"])["kinds"]}
    assert vedtak_counts["mulige-brudd"] == 1
    assert veileder_counts["mulige-brudd-mine"] == 1
    logged_in(client, users["veileder"])
    response = client.get(reverse("inbox-open", args=["mulige-brudd-mine", brudd.pk]), follow=True)
    assert response.status_code == 200
    assert "Oppfølgingsmøte 02.03.2026 kl. 10.00: ikke møtt" in body(response)
    assert "Send forhåndsvarsel" not in body(response)


def test_another_veileder_does_not_get_it_and_may_not_open_it(client, alna, users):
    brudd = detected_breach(alna, users["vedtak"])
    assert {k["code"]: k["count"] for k in inbox_counts(users["veileder"])["kinds"]}["mulige-brudd-mine"] == 0
    logged_in(client, users["veileder"])
    assert client.get(reverse("breach-detail", args=[brudd.pk])).status_code == 404


@pytest.mark.parametrize("role, status", [("vedtak", 200), ("leder", 200), ("prosjektleder", 200), ("karea", 403),
                                          ("veileder", 403), ("uten_rolle", 403)])
def test_the_breach_list_is_for_the_vedtak_unit_leaders_and_the_project_leader(client, alna, users, role, status):
    detected_breach(alna, users["vedtak"])
    logged_in(client, users[role])
    response = client.get(reverse("breach-list"))
    assert response.status_code == status
    if status == 200:
        assert "Ikke møtt til avtalt møte eller samling" in body(response)


@pytest.mark.parametrize("role, status", [("vedtak", 200), ("karea", 403), ("veileder_stovner", 404)])
def test_the_breach_page_by_role_and_office(client, alna, users, role, status):
    brudd = detected_breach(alna, users["vedtak"])
    Deltaker.objects.filter(person=brudd.vilkar.person).update(veileder=users["veileder_stovner"])
    logged_in(client, users[role])
    assert client.get(reverse("breach-detail", args=[brudd.pk])).status_code in (status, 403 if status == 404 else status)


def test_a_protected_persons_breach_is_hidden_from_lists_counts_and_the_inbox(client, alna, users):
    detected_breach(alna, users["vedtak"], adressebeskyttelse="strengt_fortrolig")
    assert {k["code"]: k["count"] for k in inbox_counts(users["vedtak"])["kinds"]}["mulige-brudd"] == 0
    logged_in(client, users["vedtak"])
    page = body(client.get(reverse("breach-list")))
    assert "Til vurdering og varslet (0)" in page
    assert "Mulige brudd til vurdering (0)" in body(client.get(reverse("conditions-worklist")))


def test_the_work_list_counts_the_possible_breaches_and_links_to_them(client, alna, users):
    detected_breach(alna, users["vedtak"])
    logged_in(client, users["vedtak"])
    page = body(client.get(reverse("conditions-worklist")))
    assert "Mulige brudd til vurdering (1)" in page and reverse("breach-list") in page


def test_the_breach_page_is_audited_as_a_read_of_the_person(client, alna, users):
    brudd = detected_breach(alna, users["vedtak"])
    logged_in(client, users["vedtak"])
    client.get(reverse("breach-detail", args=[brudd.pk]))
    assert AuditEntry.objects.filter(action="read", object_id=str(brudd.pk), person_fnr=brudd.vilkar.person.fnr,
                                     username="vedtak").exists()


def test_the_breach_list_and_page_run_a_fixed_number_of_queries(client, alna, users, django_assert_num_queries):
    for _ in range(2):
        detected_breach(alna, users["vedtak"])
    logged_in(client, users["vedtak"])
    client.get(reverse("breach-list"))
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("breach-list"))
    for _ in range(2):
        detected_breach(alna, users["vedtak"])
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("breach-list")).status_code == 200
    brudd = MuligBrudd.objects.first()
    client.get(reverse("breach-detail", args=[brudd.pk]))
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(reverse("breach-detail", args=[brudd.pk])).status_code == 200


LIST_QUERIES = 11
DETAIL_QUERIES = 16


def test_the_demo_data_has_a_breach_to_assess_and_one_warned(db):
    from alnaaktiv.models import User  # noqa: PLC0415
    from cases.models import Avtale  # noqa: PLC0415

    call_command("seed_demo", verbosity=0)
    statuses = sorted(MuligBrudd.objects.values_list("status", flat=True))
    assert statuses == [BruddStatus.TIL_VURDERING, BruddStatus.VARSLET]
    # On participants the demo veileder follows up, from real follow-up meetings closed «ikke møtt».
    veileder = User.objects.get(username="veileder")
    assert {k["code"]: k["count"] for k in inbox_counts(veileder)["kinds"]}["mulige-brudd-mine"] == 2
    for brudd in MuligBrudd.objects.select_related("vilkar__person"):
        deltaker = Deltaker.objects.get(person=brudd.vilkar.person)
        assert (deltaker.veileder, deltaker.person.adressebeskyttelse, deltaker.person.skjermet) == (
            veileder, "ugradert", False)
        assert deltaker.status in ("mott", "i_kartlegging", "avklart", "i_aktivitet")
        [document] = brudd.dokumenter.all()
        avtale = Avtale.objects.get(pk=int(document.kilde_ref.split(":")[1]))
        assert (document.kilde_ref.split(":")[0], avtale.deltaker, avtale.status) == ("avtale", deltaker, "ikke_mott")
