"""Issue 11 item 7: every audit entry names the employee who acted and their role — from a page,
a command or a background job — and background work says that it ran in the background."""
import datetime
import inspect
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, SecurityEvent
from cases import services as case_services
from cases.models import RegisterSnapshot
from conditions import services as condition_services
from conditions.models import Oppheving
from reporting.models import MonthlyReport
from reporting.services import targets_ensure_prestudy
from reporting.tasks import build_current_months_reports
from tests import conditions_data as data
from tests.extracts import fnr_born, oskar_csv, oskar_row


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


def entries_for(obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id"))


def test_every_writing_service_requires_an_actor():
    writers = [
        case_services.course_transition, case_services.participant_set_malgruppe, case_services.journal_create,
        condition_services.lifting_approve, condition_services.lifting_prepare, condition_services.vilkar_assess,
        condition_services.lifting_render_pdf,
    ]
    for service in writers:
        parameters = inspect.signature(service).parameters
        assert parameters["actor"].default is inspect.Parameter.empty, service.__name__
        assert parameters["actor"].annotation in (Actor, "Actor"), service.__name__
        assert "request" not in parameters and "user" not in parameters, service.__name__


def test_a_change_from_a_page_names_the_employee_their_role_and_the_page(users, client, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), veileder=users["veileder"])
    client.force_login(users["veileder"])
    url = reverse("participant-journal", args=[deltaker.pk])
    client.post(url, {"kind": "samtale", "date": "2026-03-01", "text": "Samtale om jobbønsker."})
    entry = entries_for(deltaker.journal.get())[0]
    assert (entry.username, entry.role, entry.action, entry.path) == ("veileder", "veileder", "create", url)
    assert entry.user == users["veileder"] and entry.request_id


def test_setting_the_malgruppe_names_the_user_who_set_it(users, make_deltaker):
    """Before: the service ignored its user and wrote the shell account with the role drift."""
    deltaker = make_deltaker(("kandidat",))
    case_services.participant_set_malgruppe(deltaker=deltaker, malgruppe="eneforsorger", reason="Bor alene med barn",
                                         actor=Actor.for_user(users["veileder"], "integrasjon"))
    entry = entries_for(deltaker)[-1]
    assert (entry.username, entry.role, entry.path) == ("veileder", "veileder", "integrasjon")


def test_the_lifting_pdf_names_the_approving_leader_runs_in_the_background_and_logs_both_spouses(
        alna, users, client, django_capture_on_commit_callbacks):
    case = data.sak(alna, spouse_age=35)
    ready = data.vedtak(case, users["vedtak"])
    data.fulfil(ready, users["vedtak"])
    lifting = condition_services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    client.force_login(users["leder"])
    url = reverse("lifting-approve", args=[lifting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"bekreftet": "ja"})
    lifting = Oppheving.objects.get(pk=lifting.pk)
    assert lifting.pdf, "the PDF task ran"
    rendered = [entry for entry in entries_for(lifting) if entry.path.startswith("bakgrunnsjobb")]
    assert {entry.person_fnr for entry in rendered} == {case.hovedperson.fnr, case.ektefelle.fnr}
    for entry in rendered:
        assert (entry.username, entry.role) == ("leder", "leder")
        assert entry.path == f"bakgrunnsjobb render_lifting_pdf (bestilt fra {url})"


def test_downloading_the_lifting_pdf_is_a_read_of_both_spouses(alna, users, client,
                                                               django_capture_on_commit_callbacks):
    case = data.sak(alna, spouse_age=35)
    ready = data.vedtak(case, users["vedtak"])
    data.fulfil(ready, users["vedtak"])
    lifting = condition_services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    with django_capture_on_commit_callbacks(execute=True):
        condition_services.lifting_approve(oppheving=lifting, actor=Actor.for_user(users["leder"]))
    client.force_login(users["leder"])
    response = client.get(reverse("lifting-pdf", args=[lifting.pk]))
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(action="read", username="leder", object_id=str(lifting.pk))
    assert set(reads.values_list("person_fnr", flat=True)) == {case.hovedperson.fnr, case.ektefelle.fnr}


def test_a_report_ordered_on_the_page_is_built_in_the_background_in_the_controllers_name(
        alna, users, client, django_capture_on_commit_callbacks):
    targets_ensure_prestudy()
    client.force_login(users["controller"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report-build"), {"office": alna.pk, "month": "2026-02"})
    report = MonthlyReport.objects.get(office=alna, month=datetime.date(2026, 2, 1))
    entry = entries_for(report)[-1]
    assert (entry.username, entry.role) == ("controller", "controller")
    assert entry.path == f"bakgrunnsjobb build_monthly_report (bestilt fra {reverse('report-build')})"


def test_a_scheduled_build_says_nobody_ordered_it(alna):
    targets_ensure_prestudy()
    build_current_months_reports()
    report = MonthlyReport.objects.get(office=alna, month=datetime.date(2026, 3, 1))
    entry = entries_for(report)[-1]
    assert (entry.username, entry.role, entry.user) == ("system:planlagt", "system", None)
    assert entry.path == "bakgrunnsjobb build_current_months_reports (planlagt)"


def test_a_command_names_the_employee_given_with_bruker(alna, users, tmp_path):
    path = tmp_path / "oskar.csv"
    path.write_bytes(oskar_csv([oskar_row("S1", fnr_born())]))
    call_command("import_registers", "--office", "0326", "--as-of", "2026-03-01", "--oskar", str(path),
                 "--bruker", "prosjektleder", stdout=StringIO())
    entry = entries_for(RegisterSnapshot.objects.get())[0]
    assert (entry.username, entry.role, entry.path) == ("prosjektleder", "prosjektleder", "manage.py import_registers")


def test_a_command_without_bruker_names_the_shell_account_as_operations(alna, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "driftsperson")
    path = tmp_path / "oskar.csv"
    path.write_bytes(oskar_csv([oskar_row("S1", fnr_born())]))
    call_command("import_registers", "--office", "0326", "--as-of", "2026-03-01", "--oskar", str(path), stdout=StringIO())
    entry = entries_for(RegisterSnapshot.objects.get())[0]
    assert (entry.username, entry.role, entry.user) == ("kommando:driftsperson", "drift", None)


def test_a_command_for_an_unknown_employee_is_refused_and_writes_nothing(alna, tmp_path):
    path = tmp_path / "oskar.csv"
    path.write_bytes(oskar_csv([oskar_row("S1", fnr_born())]))
    with pytest.raises(CommandError, match="Finner ingen aktiv bruker «ukjent»"):
        call_command("import_registers", "--office", "0326", "--as-of", "2026-03-01", "--oskar", str(path),
                     "--bruker", "ukjent", stdout=StringIO())
    assert not RegisterSnapshot.objects.exists() and not AuditEntry.objects.exists()


def test_a_refused_attempt_names_the_user_and_their_role(users, client, make_deltaker, stovner):
    other_office = make_deltaker(("kandidat",), office=stovner)
    client.force_login(users["veileder"])
    assert client.get(reverse("participant-detail", args=[other_office.pk])).status_code == 404
    event = SecurityEvent.objects.latest("id")
    assert (event.username, event.role, event.status) == ("veileder", "veileder", 404)
