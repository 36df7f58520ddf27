"""The participant's own voice: their statement on the plan and on one version of the § 14 a
assessment (who may register and read it, shown newest first, printed in the PDFs, journaled and
audited), and the anonymous end-of-course survey (answered once, no trace to the person)."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import AuditEntry
from cases import services
from cases.models import Brukerundersokelse, Deltaker, JournalEntry, Uttalelse
from cases.services import voice
from tests.helpers import body, pdf_text
from tests.test_mapping import activity, signed

TODAY = datetime.date(2026, 3, 2)
STATEMENT = {"standpunkt": "uenig", "tekst": "Jeg vil heller jobbe i butikk.", "dato": "2026-03-01"}
SURVEY = {"sporsmal_1": "5", "sporsmal_2": "4", "sporsmal_3": "4", "sporsmal_4": "3", "sporsmal_5": "2",
          "fritekst": "Fint med praksis."}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def mapping(make_deltaker, make_person, users):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1),
                             person=make_person(navn="Åse Ødegård"), veileder=users["veileder"])
    services.mapping_start(deltaker=deltaker, actor=Actor.for_user(users["veileder"]), on_date=datetime.date(2026, 2, 10))
    deltaker.refresh_from_db()
    return deltaker


@pytest.fixture
def ended(make_deltaker, users):
    return make_deltaker(("kandidat", "henvist", "mott", "i_kartlegging", "avsluttet"), veileder=users["veileder"])


def test_the_veileder_registers_the_statement_on_the_plan_and_it_shows_with_the_plan_and_in_its_pdf(
        client, users, mapping):
    activity(mapping, users)
    client.force_login(users["veileder"])
    response = client.post(reverse("plan-statement-create", args=[mapping.pk]), {**STATEMENT, "med_tolk": "on"},
                           follow=True)
    page = body(response)
    assert "Deltakerens uttalelse om aktivitetsplanen er registrert." in page
    assert "«Jeg vil heller jobbe i butikk.»" in page and "gitt med tolk" in page
    uttalelse = Uttalelse.objects.get()
    assert (uttalelse.gjelder, uttalelse.standpunkt, uttalelse.med_tolk) == ("plan", "uenig", True)
    assert AuditEntry.objects.filter(action="create", object_type="cases.uttalelse", username="veileder",
                                     person_fnr=mapping.person.fnr).exists()
    note = JournalEntry.objects.get(is_system=True)
    assert "uttalelse om aktivitetsplanen er registrert" in note.text and "butikk" not in note.text
    pdf = pdf_text(client.get(reverse("plan-pdf", args=[mapping.pk])).content)
    assert "Det du har sagt om planen" in pdf and "Jeg vil heller jobbe i butikk." in pdf


def test_a_newer_statement_comes_first_and_the_older_one_stays(client, users, mapping):
    for day, text in (("2026-02-20", "Første uttalelse"), ("2026-03-01", "Andre uttalelse")):
        client.force_login(users["hovedveileder"])
        client.post(reverse("plan-statement-create", args=[mapping.pk]), {**STATEMENT, "dato": day, "tekst": text})
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert page.index("Andre uttalelse") < page.index("Første uttalelse")
    assert "tidligere uttalelse" in page and Uttalelse.objects.count() == 2


def test_bad_statements_are_refused_at_the_field_and_nothing_is_written(client, users, mapping):
    client.force_login(users["veileder"])
    response = client.post(reverse("plan-statement-create", args=[mapping.pk]),
                           {**STATEMENT, "dato": "2026-03-03", "tekst": "Står her fortsatt"})
    assert response.status_code == 400
    assert "Uttalelsen kan ikke dateres fram i tid." in body(response) and "Står her fortsatt" in body(response)
    response = client.post(reverse("plan-statement-create", args=[mapping.pk]), {**STATEMENT, "tekst": "", "standpunkt": ""})
    assert "Skriv hva deltakeren sa, med deltakerens egne ord." in body(response)
    assert "Velg om deltakeren er enig eller uenig." in body(response)
    assert not Uttalelse.objects.exists() and not JournalEntry.objects.exists()


def test_a_statement_on_the_assessment_belongs_to_one_version_and_is_printed_in_its_pdf(client, users, mapping):
    vurdering = signed(mapping, users)
    client.force_login(users["prosjektleder"])
    response = client.post(reverse("assessment-statement-create", args=[mapping.pk]),
                           {**STATEMENT, "standpunkt": "enig", "tekst": "Det stemmer.", "versjon": vurdering.pk},
                           follow=True)
    assert "Deltakerens uttalelse om arbeidsevnevurderingen er registrert." in body(response)
    assert Uttalelse.objects.get().vurdering == vurdering
    pdf = pdf_text(client.get(reverse("assessment-pdf", args=[mapping.pk, vurdering.pk])).content)
    assert "Det du har sagt om vurderingen" in pdf and "Det stemmer." in pdf


def test_a_statement_cannot_name_another_participants_version(users, mapping, make_deltaker):
    other = make_deltaker(("kandidat", "henvist", "mott"), start=datetime.date(2026, 2, 1))
    services.mapping_start(deltaker=other, actor=Actor.for_user(users["veileder"]), on_date=datetime.date(2026, 2, 10))
    theirs = signed(other, users)
    with pytest.raises(DomainError) as error:
        voice.uttalelse_create(deltaker=mapping, actor=Actor.for_user(users["veileder"]), gjelder="vurdering",
                               vurdering=theirs, standpunkt="enig", tekst="x", dato=TODAY, med_tolk=False)
    assert "versjon" in error.value.message_dict


def test_karea_reads_the_plan_statement_but_not_the_assessment_statement_and_writes_none(client, users, mapping):
    vurdering = signed(mapping, users)
    actor = Actor.for_user(users["veileder"])
    voice.uttalelse_create(deltaker=mapping, actor=actor, gjelder="plan", standpunkt="enig", tekst="Planen er fin",
                           dato=TODAY, med_tolk=False)
    voice.uttalelse_create(deltaker=mapping, actor=actor, gjelder="vurdering", vurdering=vurdering, standpunkt="uenig",
                           tekst="Vurderingen er feil", dato=TODAY, med_tolk=False)
    client.force_login(users["karea"])
    page = body(client.get(reverse("mapping-detail", args=[mapping.pk])))
    assert "Planen er fin" in page and "Vurderingen er feil" not in page
    assert "Registrer deltakerens uttalelse" not in page
    assert client.post(reverse("plan-statement-create", args=[mapping.pk]), STATEMENT).status_code == 403
    client.force_login(users["veileder_stovner"])
    assert client.post(reverse("plan-statement-create", args=[mapping.pk]), STATEMENT).status_code == 404
    assert Uttalelse.objects.count() == 2


def test_karea_does_not_see_a_candidates_plan_statement(client, users, make_deltaker):
    candidate = make_deltaker(("kandidat",))
    voice.uttalelse_create(deltaker=candidate, actor=Actor.for_user(users["veileder"]), gjelder="plan",
                           standpunkt="enig", tekst="Hemmelig", dato=TODAY, med_tolk=False)
    client.force_login(users["karea"])
    assert client.get(reverse("plan-print", args=[candidate.pk])).status_code == 404


def test_the_mapping_page_with_statements_runs_a_fixed_number_of_queries(client, users, mapping,
                                                                        django_assert_num_queries):
    vurdering = signed(mapping, users)
    client.force_login(users["veileder"])
    url = reverse("mapping-detail", args=[mapping.pk])
    client.get(url)
    with django_assert_num_queries(18) as first:
        client.get(url)
    for number in range(4):
        voice.uttalelse_create(deltaker=mapping, actor=Actor.for_user(users["veileder"]), gjelder="plan",
                               standpunkt="enig", tekst=f"Plan {number}", dato=TODAY, med_tolk=False)
        voice.uttalelse_create(deltaker=mapping, actor=Actor.for_user(users["veileder"]), gjelder="vurdering",
                               vurdering=vurdering, standpunkt="enig", tekst=f"Vurdering {number}", dato=TODAY,
                               med_tolk=False)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


# --- the end-of-course survey ---------------------------------------------------------------

def test_the_survey_is_offered_when_the_course_has_ended_and_stores_no_person(client, users, ended):
    client.force_login(users["veileder"])
    page = body(client.get(reverse("participant-detail", args=[ended.pk])))
    assert f'href="{reverse("survey", args=[ended.pk])}"' in page
    page = body(client.get(reverse("survey", args=[ended.pk])))
    assert "1 Helt uenig" in page and "5 Helt enig" in page and "Jeg ble møtt med respekt." in page
    before = AuditEntry.objects.count()
    response = client.post(reverse("survey", args=[ended.pk]), SURVEY, follow=True)
    assert "Svaret på brukerundersøkelsen er lagret uten navn." in body(response)
    answer = Brukerundersokelse.objects.get()
    assert (answer.maned, answer.office, answer.sporsmal_1, answer.fritekst) == (
        datetime.date(2026, 3, 1), ended.office, 5, "Fint med praksis.")
    field_names = {field.name for field in Brukerundersokelse._meta.get_fields()}
    assert not field_names & {"person", "deltaker", "user", "registrert_av", "created_at"}
    ended.refresh_from_db()
    assert ended.undersokelse_besvart == TODAY
    written = list(AuditEntry.objects.order_by("id")[before:])
    changes = [entry for entry in written if entry.action != "read"]
    assert [(entry.action, entry.object_type) for entry in changes] == [("update", "cases.deltaker")]
    assert not any(entry.object_type == "cases.brukerundersokelse" for entry in AuditEntry.objects.all())


def test_the_survey_cannot_be_answered_twice(client, users, ended):
    voice.survey_answer(deltaker=ended, actor=Actor.for_user(users["veileder"]),
                        answers={f"sporsmal_{n}": 3 for n in range(1, 6)})
    client.force_login(users["veileder"])
    response = client.post(reverse("survey", args=[ended.pk]), SURVEY, follow=True)
    assert "Deltakeren har allerede svart på brukerundersøkelsen." in body(response)
    assert Brukerundersokelse.objects.count() == 1
    assert "Deltakeren svarte på brukerundersøkelsen 02.03.2026" in body(response)
    with pytest.raises(DomainError):
        voice.survey_answer(deltaker=Deltaker.objects.get(pk=ended.pk), actor=Actor.for_user(users["veileder"]),
                            answers={f"sporsmal_{n}": 3 for n in range(1, 6)})


def test_a_missing_answer_is_refused_at_its_question_and_nothing_is_stored(client, users, ended):
    client.force_login(users["veileder"])
    response = client.post(reverse("survey", args=[ended.pk]), {**SURVEY, "sporsmal_3": ""})
    assert response.status_code == 400 and "Velg et svar fra 1 til 5." in body(response)
    assert not Brukerundersokelse.objects.exists()
    ended.refresh_from_db()
    assert ended.undersokelse_besvart is None


def test_the_survey_is_not_offered_before_the_course_ends_nor_to_karea(client, users, mapping, ended):
    client.force_login(users["veileder"])
    assert "Brukerundersøkelse" not in body(client.get(reverse("participant-detail", args=[mapping.pk])))
    client.get(reverse("survey", args=[mapping.pk]))
    assert client.post(reverse("survey", args=[mapping.pk]), SURVEY).status_code == 302
    client.force_login(users["karea"])
    assert client.get(reverse("survey", args=[ended.pk])).status_code == 403
    client.force_login(users["veileder_stovner"])
    assert client.get(reverse("survey", args=[ended.pk])).status_code == 404
    assert not Brukerundersokelse.objects.exists()


def _answers(office, month, count, fritekst=""):
    for _ in range(count):
        Brukerundersokelse.objects.create(office=office, maned=month, sporsmal_1=3, sporsmal_2=3, sporsmal_3=3,
                                          sporsmal_4=3, sporsmal_5=3, fritekst=fritekst)


def test_the_project_leader_reads_the_free_texts_of_the_office_without_names(client, users, ended, alna, stovner):
    voice.survey_answer(deltaker=ended, actor=Actor.for_user(users["veileder"]),
                        answers={f"sporsmal_{n}": 4 for n in range(1, 6)}, fritekst="Bra kurs")
    _answers(alna, datetime.date(2026, 3, 1), 4)  # five answers in March with the one above
    _answers(stovner, datetime.date(2026, 3, 1), 5, fritekst="Fra Stovner")
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("survey-free-texts")))
    assert "Bra kurs" in page and "Fra Stovner" not in page and ended.person.navn not in page
    client.force_login(users["veileder"])
    assert client.get(reverse("survey-free-texts")).status_code == 403


def test_a_comment_from_a_month_with_fewer_than_five_answers_is_not_shown(client, users, alna):
    # February: four answers, one with a comment — whoever knows who ended in February could tell who wrote it.
    _answers(alna, datetime.date(2026, 2, 1), 3)
    _answers(alna, datetime.date(2026, 2, 1), 1, fritekst="Veilederen min hjalp meg mye")
    _answers(alna, datetime.date(2026, 1, 1), 4)
    _answers(alna, datetime.date(2026, 1, 1), 1, fritekst="Fint i januar")
    client.force_login(users["prosjektleder"])
    page = body(client.get(reverse("survey-free-texts")))
    assert "Fint i januar" in page and "Veilederen min hjalp meg mye" not in page
    assert "minst 5 svar" in page
