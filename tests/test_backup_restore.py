"""Restore drill: back up PostgreSQL and MEDIA_ROOT, restore into a fresh database, start the app
against it and find every participant, document (with its file's bytes) and audit entry again.
PostgreSQL only: skipped without it, a failure under CI."""
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.backups import _connect
from alnaaktiv.models import AuditEntry
from cases.models import Deltaker
from conditions import services as conditions
from tests import conditions_data as data
from tests import services

ROOT = Path(__file__).resolve().parent.parent

SNAPSHOT = """
import hashlib, json
from alnaaktiv.models import AuditEntry
from cases.models import Deltaker
print(json.dumps({
    "deltakere": sorted(Deltaker.objects.values_list("pk", "person__fnr")),
    "dokumenter": {str(d.pk): hashlib.sha256(d.fil.read()).hexdigest() for d in Dokumentasjon.objects.exclude(fil="")},
    "audit": sorted(AuditEntry.objects.values_list("pk", "action", "path")),
}))
"""


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database(transactional_db):
    services.require("PostgreSQL", connection.vendor == "postgresql", "pg_dump og pg_restore gjelder PostgreSQL")
    name = f"alnaaktiv_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_into_a_fresh_database_keeps_every_participant_document_and_audit_entry(
        fresh_database, users, alna, make_deltaker, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    deltakere = [make_deltaker(("kandidat", "henvist", "mott")) for _ in range(3)]
    made = data.vedtak(data.sak(alna), users["vedtak"])
    document = conditions.document_register(
        vilkar=made.vilkar.get(), actor=Actor.for_user(users["vedtak"]), type="husleie", mottatt=data.TODAY,
        fil=SimpleUploadedFile("kvittering.pdf", data.PDF, content_type="application/pdf"))
    audit.record_change("read", actor=Actor.operator("test:restore"), obj=deltakere[0], person=deltakere[0].person)
    assert Path(document.fil.path).read_bytes() == data.PDF
    expected = {
        "deltakere": sorted([list(row) for row in Deltaker.objects.values_list("pk", "person__fnr")]),
        "dokumenter": {str(document.pk): hashlib.sha256(data.PDF).hexdigest()},
        "audit": sorted([list(row) for row in AuditEntry.objects.values_list("pk", "action", "path")]),
    }
    assert len(expected["deltakere"]) == 4 and len(expected["audit"]) > 3

    call_command("backup", "--out", str(tmp_path / "kopi"))
    manifest = json.loads((tmp_path / "kopi" / "manifest.json").read_text())
    assert manifest["tables"]["alnaaktiv_auditentry"] == len(expected["audit"]) and manifest["media_files"] == 1

    url = _url(fresh_database)
    call_command("restore", "--from", str(tmp_path / "kopi"), "--database-url", url,
                 "--media-root", str(tmp_path / "restored-media"))
    # A second restore into the same (now filled) database is refused.
    with pytest.raises(CommandError, match="har allerede tabeller"):
        call_command("restore", "--from", str(tmp_path / "kopi"), "--database-url", url,
                     "--media-root", str(tmp_path / "other-media"))

    # The app itself, started against the restored database and media, finds everything again.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alnaaktiv.settings.production", "DATABASE_URL": url,
           "MEDIA_ROOT": str(tmp_path / "restored-media"), "DJANGO_SECRET_KEY": "restore-drill-" + "x" * 40,
           "DJANGO_DEBUG": "0", "REDIS_URL": ""}
    check = subprocess.run([sys.executable, "manage.py", "check", "--database", "default"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    shell = subprocess.run([sys.executable, "manage.py", "shell", "-c", SNAPSHOT], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert shell.returncode == 0, shell.stderr
    assert json.loads(shell.stdout.strip().splitlines()[-1]) == expected
    # The trigger came along: the restored log is still append-only.


    with _connect(url) as restored, pytest.raises(psycopg.errors.RaiseException, match="Loggen kan ikke endres"):
        restored.execute("UPDATE alnaaktiv_auditentry SET path = '/endret/'")


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    services.require("PostgreSQL", connection.vendor == "postgresql", "pg_dump gjelder PostgreSQL")
    (tmp_path / "noe").write_text("x")
    with pytest.raises(CommandError, match="ikke tom"):
        call_command("backup", "--out", str(tmp_path))
