"""The audit log's own retention (issue 11, item 16): `manage.py purge_audit_log` deletes audit
and security entries older than AUDIT_RETENTION_YEARS, as the owner, and nothing newer; on
PostgreSQL the append-only trigger is back in force afterwards."""
import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from alnaaktiv.models import AuditEntry, SecurityEvent

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
ELEVEN_YEARS_AGO = NOW.replace(year=2015)
NINE_YEARS_AGO = NOW.replace(year=2017)


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def log(db):
    def entry(time):
        return AuditEntry.objects.create(time=time, username="veileder", action="read", person_fnr="01415012345",
                                         path="/deltakere/1/")

    def event(time):
        return SecurityEvent.objects.create(time=time, username="karea", method="GET", path="/vilkar/", status=403,
                                            reason="rolle mangler")

    return {"old": [entry(ELEVEN_YEARS_AGO), event(ELEVEN_YEARS_AGO)],
            "kept": [entry(NINE_YEARS_AGO), event(NINE_YEARS_AGO)]}


def test_entries_older_than_the_audit_retention_are_deleted_and_newer_kept(log):
    out = io.StringIO()
    call_command("purge_audit_log", stdout=out)
    assert "sporingslogg: 1, sikkerhetslogg: 1 innslag eldre enn 23.11.2016" in out.getvalue()
    assert not AuditEntry.objects.filter(time__lt=NINE_YEARS_AGO).exists()
    assert not SecurityEvent.objects.filter(time__lt=NINE_YEARS_AGO).exists()
    assert AuditEntry.objects.filter(pk=log["kept"][0].pk).exists()
    assert SecurityEvent.objects.filter(pk=log["kept"][1].pk).exists()
    purge = AuditEntry.objects.get(action="delete")
    assert (purge.path, purge.object_type, purge.object_id) == ("manage.py purge_audit_log", "alnaaktiv.auditentry",
                                                                 "før 2016-11-23")


def test_the_setting_decides_the_cutoff(log, settings):
    settings.AUDIT_RETENTION_YEARS = 8
    call_command("purge_audit_log", stdout=io.StringIO())
    assert AuditEntry.objects.filter(action="read").count() == 0 and SecurityEvent.objects.count() == 0


def test_a_dry_run_deletes_nothing(log):
    out = io.StringIO()
    call_command("purge_audit_log", "--dry-run", stdout=out)
    assert "Ville slettet sporingslogg: 1, sikkerhetslogg: 1" in out.getvalue()
    assert AuditEntry.objects.count() == 2 and SecurityEvent.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="databasetriggeren finnes bare på PostgreSQL")
def test_the_append_only_trigger_refuses_deletes_again_after_the_purge(log):
    call_command("purge_audit_log", stdout=io.StringIO())
    for table in ("alnaaktiv_auditentry", "alnaaktiv_securityevent"):
        with pytest.raises(DatabaseError, match="Loggen kan ikke endres eller slettes"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert AuditEntry.objects.filter(pk=log["kept"][0].pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="databaseroller finnes bare på PostgreSQL")
def test_the_apps_own_role_is_refused_in_norwegian_and_nothing_is_deleted(log):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE alnaaktiv_app_purge_test NOLOGIN")
        cursor.execute("GRANT SELECT, INSERT, DELETE ON alnaaktiv_auditentry, alnaaktiv_securityevent "
                       "TO alnaaktiv_app_purge_test")
        cursor.execute("SET ROLE alnaaktiv_app_purge_test")
        try:
            with pytest.raises(CommandError, match="databaseeierens DATABASE_URL"):
                call_command("purge_audit_log", stdout=io.StringIO())
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 2 and SecurityEvent.objects.count() == 2
