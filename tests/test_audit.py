import json
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test import Client

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.auditlog_format import cef_extension_escape, cef_header_escape, entry_as_cef
from alnaaktiv.models import AuditEntry, SecurityEvent

pytestmark = pytest.mark.urls("tests.audit_urls")


def test_showing_a_person_writes_exactly_one_audit_entry(client, users, make_person):
    person = make_person(navn="Kari Nordmann")
    client.force_login(users["veileder"])
    response = client.get(f"/testperson/{person.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.username, entry.role, entry.office, entry.action) == ("veileder", "veileder", "0326", "read")
    assert (entry.object_type, entry.object_id, entry.person_fnr) == ("cases.person", str(person.pk), person.fnr)
    assert entry.path == f"/testperson/{person.pk}/"
    assert entry.request_id == response["X-Request-ID"]
    assert entry.needs_review is False
    assert entry.time.utcoffset().total_seconds() == 0


def test_page_fails_closed_when_the_audit_entry_cannot_be_written(users, make_person):
    person = make_person(navn="Kari Nordmann")
    client = Client(raise_request_exception=False)
    client.force_login(users["veileder"])
    with mock.patch.object(AuditEntry, "save", side_effect=DatabaseError("disk full")):
        response = client.get(f"/testperson/{person.pk}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Kari Nordmann" not in body and person.fnr not in body
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("protection", "permission"),
    [
        ({"adressebeskyttelse": "fortrolig"}, "may_see_fortrolig"),
        ({"adressebeskyttelse": "strengt_fortrolig"}, "may_see_strengt_fortrolig"),
        ({"adressebeskyttelse": "strengt_fortrolig_utland"}, "may_see_strengt_fortrolig"),
        ({"skjermet": True}, "may_see_skjermet"),
    ],
)
def test_protected_person_is_hidden_without_permission_and_marked_for_review_with_it(
    client, users, make_person, protection, permission
):
    person = make_person(navn="Beskyttet Person", **protection)
    veileder = users["veileder"]
    client.force_login(veileder)
    response = client.get(f"/testperson/{person.pk}/")
    assert response.status_code == 404
    assert "Beskyttet Person" not in response.content.decode()
    assert AuditEntry.objects.count() == 0
    event = SecurityEvent.objects.get()
    assert (event.username, event.status, event.path) == ("veileder", 404, f"/testperson/{person.pk}/")

    setattr(veileder, permission, True)
    veileder.save()
    response = client.get(f"/testperson/{person.pk}/")
    assert response.status_code == 200
    assert AuditEntry.objects.get().needs_review is True


def test_role_without_access_gets_403_logged_in_the_security_log_not_the_audit_log(client, users, make_person):
    person = make_person()
    client.force_login(users["karea"])
    response = client.get(f"/testperson/{person.pk}/")
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.content.decode()
    assert AuditEntry.objects.count() == 0
    event = SecurityEvent.objects.get()
    assert (event.username, event.status, event.method) == ("karea", 403, "GET")
    assert "veileder" in event.reason


def test_audit_entries_cannot_be_changed_or_deleted_through_the_app(client, users, make_person):
    person = make_person()
    client.force_login(users["veileder"])
    client.get(f"/testperson/{person.pk}/")
    entry = AuditEntry.objects.get()
    entry.action = "update"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert AuditEntry.objects.get().action == "read"


def test_admin_role_can_browse_but_not_edit_the_audit_log(client, users, make_person):
    person = make_person()
    client.force_login(users["veileder"])
    client.get(f"/testperson/{person.pk}/")
    entry = AuditEntry.objects.get()
    admin_user = users["admin"]
    assert not admin_user.is_superuser  # the role opens the log, not Django's superuser flag
    client.force_login(admin_user)
    listing = client.get("/admin/alnaaktiv/auditentry/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert f"{person.fnr[:6]}*****" in body and person.fnr not in body
    assert client.get(f"/admin/alnaaktiv/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/alnaaktiv/auditentry/add/").status_code == 403
    assert client.post(f"/admin/alnaaktiv/auditentry/{entry.pk}/change/", {"action": "delete"}).status_code == 403
    assert client.post(f"/admin/alnaaktiv/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().action == "read"


def test_the_audit_log_cannot_be_filtered_by_fodselsnummer_in_the_url(client, users):
    client.force_login(users["admin"])
    response = client.get("/admin/alnaaktiv/auditentry/?person_fnr=01010010264")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="databasetriggeren finnes bare på PostgreSQL")
def test_database_refuses_updates_and_deletes_of_log_rows(users, make_person):
    AuditEntry.objects.create(username="x", action="read", path="/x/")
    # Past the model's own refusal (the base manager is a plain one): the trigger still refuses.
    with pytest.raises(DatabaseError, match="Loggen kan ikke endres"):
        AuditEntry._base_manager.update(action="update")


def _read_person(client, users, person):
    client.force_login(users["veileder"])
    client.get(f"/testperson/{person.pk}/")


def test_audit_log_command_lists_a_persons_reads_as_json(client, users, make_person):
    person, other = make_person(), make_person()
    _read_person(client, users, person)
    _read_person(client, users, other)
    out = StringIO()
    call_command("audit_log", "--fnr", person.fnr, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 1
    assert {"time", "user", "role", "action", "object", "path"} <= set(rows[0])
    assert (rows[0]["user"], rows[0]["role"], rows[0]["action"]) == ("veileder", "veileder", "read")
    assert rows[0]["object"] == f"cases.person:{person.pk}"
    # Reading the log is itself recorded as an export of the person's data.
    assert AuditEntry.objects.filter(person_fnr=person.fnr, action="export").count() == 1


def test_audit_log_command_writes_cef_lines(client, users, make_person):
    person = make_person()
    _read_person(client, users, person)
    out = StringIO()
    call_command("audit_log", "--fnr", person.fnr, "--format", "cef", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("CEF:0|NAV|AlnaAktiv|1.0|audit:read|Lesing av personopplysninger|INFO|")
    assert f"duid={person.fnr}" in line and "suid=veileder" in line


def test_audit_log_command_refuses_an_invalid_number_and_writes_nothing(db):
    with pytest.raises(CommandError, match="Ugyldig fødselsnummer: Fødselsnummeret har feil kontrollsiffer."):
        call_command("audit_log", "--fnr", "01010010265")
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "header", "extension"),
    [
        ("a|b", "a\\|b", "a|b"),
        ("a=b", "a=b", "a\\=b"),
        ("a\\b", "a\\\\b", "a\\\\b"),
        ("a\nb\rc", "a b c", "a\\nb\\rc"),
    ],
)
def test_cef_escaping(raw, header, extension):
    assert cef_header_escape(raw) == header
    assert cef_extension_escape(raw) == extension


def test_cef_line_escapes_hostile_values(db):
    entry = AuditEntry.objects.create(username="ond|bruker", action="read", path="/x/?a=1\nCEF:0|falsk", person_fnr="")
    line = entry_as_cef(entry)
    assert "\n" not in line
    assert "suid=ond|bruker" in line
    assert "request=/x/?a\\=1\\nCEF:0|falsk" in line


def test_csrf_failures_go_to_the_security_log(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["veileder"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Skjemaet var utløpt" in response.content.decode()
    event = SecurityEvent.objects.get()
    assert (event.username, event.status) == ("veileder", 403) and event.reason.startswith("CSRF-kontroll feilet")


def test_login_lockout_goes_to_the_security_log(client, users):
    for _ in range(6):
        response = client.post("/accounts/login/", {"username": "veileder", "password": "feil"})
    assert response.status_code == 429
    event = SecurityEvent.objects.latest("time")
    assert event.status == 429 and "sperret" in event.reason


def test_command_entries_do_not_store_the_commands_arguments(db, monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "audit_log", "--fnr", "01010010264"])
    entry = audit.record_change("export", actor=Actor.operator())
    assert entry.path == "manage.py audit_log"
