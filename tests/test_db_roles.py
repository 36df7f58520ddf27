"""The audit log below the app: the application's database role may only INSERT and SELECT on
the audit and security logs (PostgreSQL), and on every database a bulk update or delete of log
rows through the ORM is refused."""
import uuid

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from alnaaktiv.models import AuditEntry, SecurityEvent
from tests import services


def test_bulk_update_and_delete_of_log_rows_are_refused_by_the_orm(db):
    entry = AuditEntry.objects.create(username="x", action="read", path="/x/")
    SecurityEvent.objects.create(username="x", method="GET", path="/x/", status=403, reason="test")
    for model in (AuditEntry, SecurityEvent):
        with pytest.raises(ValidationError, match="Loggen kan ikke endres"):
            model.objects.all().update(path="/endret/")
        with pytest.raises(ValidationError, match="Loggen kan ikke endres"):
            model.objects.update(path="/endret/")
        with pytest.raises(ValidationError, match="Loggen kan ikke slettes"):
            model.objects.filter(path="/x/").delete()
        with pytest.raises(ValidationError, match="Loggen kan ikke slettes"):
            model.objects.all().delete()
    entry.path = "/endret/"
    # bulk_update runs in atomic(savepoint=False): its own savepoint keeps the test's transaction usable.
    with pytest.raises(ValidationError, match="Loggen kan ikke endres"), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["path"])
    assert AuditEntry.objects.get().path == "/x/" and SecurityEvent.objects.count() == 1


def test_grant_app_role_is_refused_outside_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("gjelder de andre databasene")

    with pytest.raises(CommandError, match="bare PostgreSQL"):
        call_command("grant_app_role", "--role", "alnaaktiv_app")


@pytest.fixture
def app_role(transactional_db, monkeypatch):
    services.require("PostgreSQL", connection.vendor == "postgresql", "databaseroller finnes bare på PostgreSQL")

    role, password = f"alnaaktiv_app_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", password)
    call_command("grant_app_role", "--role", role, "--password-env", "TEST_APP_DB_PASSWORD")
    settings = connection.settings_dict
    as_app = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                             dbname=settings["NAME"], user=role, password=password, autocommit=True)
    try:
        yield as_app
    finally:
        as_app.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def _refused(as_app, sql: str) -> bool:
    try:
        as_app.execute(sql)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException):
        return True
    return False


def test_the_app_role_can_only_insert_and_read_the_logs_but_write_every_other_table(app_role, alna):
    as_app = app_role
    as_app.execute("INSERT INTO alnaaktiv_auditentry (time, username, role, office, action, object_type, object_id, "
                   "person_fnr, path, request_id, needs_review) "
                   "VALUES (now(), 'app', '', '', 'read', '', '', '', '/x/', '', false)")
    as_app.execute("INSERT INTO alnaaktiv_securityevent (time, username, role, method, path, status, reason, "
                   "request_id) VALUES (now(), 'app', 'veileder', 'GET', '/x/', 403, 'test', '')")
    assert as_app.execute("SELECT count(*) FROM alnaaktiv_auditentry").fetchone() == (1,)
    for table in ("alnaaktiv_auditentry", "alnaaktiv_securityevent"):
        # Refused by the grants (insufficient privilege), not only by the trigger.
        for sql in (f"UPDATE {table} SET path = '/endret/'", f"DELETE FROM {table}", f"TRUNCATE {table}",
                    f"DROP TRIGGER {table}_append_only ON {table}", f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                    f"DROP TABLE {table}"):
            assert _refused(as_app, sql), sql
    assert as_app.execute("SELECT count(*) FROM alnaaktiv_auditentry").fetchone() == (1,)
    assert as_app.execute("SELECT count(*) FROM alnaaktiv_securityevent").fetchone() == (1,)
    # Ordinary tables: read, write and delete as the app does.
    assert as_app.execute("UPDATE alnaaktiv_office SET name = name WHERE enhetsnummer = '0326'").rowcount == 1
    as_app.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('k', 'd', now())")
    assert as_app.execute("DELETE FROM django_session WHERE session_key = 'k'").rowcount == 1


def test_grant_app_role_runs_again_after_each_migrate_and_keeps_the_logs_append_only(app_role):
    as_app = app_role
    call_command("grant_app_role", "--role", as_app.info.user)
    assert _refused(as_app, "DELETE FROM alnaaktiv_auditentry")
    assert as_app.execute("SELECT count(*) FROM alnaaktiv_office").fetchone()[0] >= 0
