"""Backup and restore of the whole installation: the PostgreSQL database (pg_dump, custom
format) and the uploaded files under MEDIA_ROOT, with a manifest of row counts to check a
restore against. Used by the `backup` and `restore` commands (docs/deploy.md, "Backups")."""
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    pass


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} finnes ikke i PATH (Debian: apt-get install postgresql-client).")
    return path


def _libpq(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump / pg_restore; the password goes in the environment,
    never on the command line (where `ps` shows it)."""
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    # The program is pg_dump / pg_restore from PATH; arguments come from the settings and the
    # operator's command line, never from a user.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} feilet: {result.stderr.strip()[-2000:]}")


def table_counts(cursor) -> dict[str, int]:
    """Rows per table of every installed model (what the restore is checked against)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table not in counts:
            # Table names come from the models, quoted.
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(out: Path, media_root: Path | None = None) -> dict:
    """Dump the database and pack MEDIA_ROOT into `out` (a new or empty folder). The dump and the
    counts in the manifest come from one snapshot, so they agree even while users work."""
    if connection.vendor != "postgresql":
        raise BackupError("backup gjelder PostgreSQL (den innebygde SQLite-databasen er filen var/db.sqlite3).")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"Mappen {out} er ikke tom.")
    pg_dump = _tool("pg_dump")
    args, env = _libpq(connection.settings_dict)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([pg_dump, *args, "--format=custom", "--snapshot", snapshot, "--file", str(out / DUMP_NAME)], env)
        counts = table_counts(cursor)
    files = 0
    with tarfile.open(out / MEDIA_NAME, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.settings_dict["NAME"],
        "tables": counts,
        "media_files": files,
        "sha256": {DUMP_NAME: _sha256(out / DUMP_NAME), MEDIA_NAME: _sha256(out / MEDIA_NAME)},
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _connect(url: str, dbname: str | None = None):
    db = dj_database_url.parse(url)
    return psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                           password=db.get("PASSWORD") or None, dbname=dbname or db["NAME"], autocommit=True)


def restore(source: Path, database_url: str, media_root: Path, create: bool = True) -> dict:
    """Restore a backup into a fresh database (created when missing) and an empty media folder,
    then compare every table's row count with the manifest. Never into a database with tables:
    a restore over the live database is done by stopping the app and restoring into a new one."""
    manifest = _verified_manifest(source)
    target = dj_database_url.parse(database_url)
    if not target.get("ENGINE", "").endswith("postgresql"):
        raise BackupError("--database-url må være en PostgreSQL-adresse (postgres://…).")
    name = target["NAME"]
    _ensure_database(database_url, name, create=create)
    _require_no_tables(database_url, name)
    media_root.mkdir(parents=True, exist_ok=True)
    if any(media_root.iterdir()):
        raise BackupError(f"Mediemappen {media_root} er ikke tom.")
    args, env = _libpq(target)
    # No owner or grants from the old installation: the restoring role owns everything, and
    # grant_app_role gives the app role its rights afterwards (docs/deploy.md).
    _run([_tool("pg_restore"), *args, "--no-owner", "--no-acl", "--exit-on-error", str(source / DUMP_NAME)], env)
    with tarfile.open(source / MEDIA_NAME, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    counts = _checked_table_counts(database_url, manifest["tables"])
    files = sum(1 for path in media_root.rglob("*") if path.is_file())
    if files < manifest["media_files"]:
        raise BackupError(f"Bare {files} av {manifest['media_files']} filer ble gjenopprettet.")
    return {"database": name, "tables": counts, "media_files": files}


def _verified_manifest(source: Path) -> dict:
    """The backup's manifest, once every file matches the checksum it lists."""
    manifest = json.loads((source / MANIFEST_NAME).read_text())
    for name, expected in manifest["sha256"].items():
        if _sha256(source / name) != expected:
            raise BackupError(f"{name} er endret eller skadet (sjekksummen stemmer ikke med manifestet).")
    return manifest


def _ensure_database(database_url: str, name: str, *, create: bool) -> None:
    """The target database is created when missing, unless the operator said not to."""
    with _connect(database_url, dbname="postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            if not create:
                raise BackupError(f"Databasen {name} finnes ikke.")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _require_no_tables(database_url: str, name: str) -> None:
    with _connect(database_url) as target_connection:
        tables = target_connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0]
    if tables:
        raise BackupError(f"Databasen {name} har allerede tabeller. Gjenopprett til en ny, tom database.")


def _checked_table_counts(database_url: str, expected: dict[str, int]) -> dict[str, int]:
    """Rows per table in the restored database, refused unless every count is the manifest's."""
    with _connect(database_url) as target_connection, target_connection.cursor() as cursor:
        counts = {}
        for table in expected:  # names read from a file: passed as identifiers
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    wrong = {table: (expected[table], counts[table]) for table in expected if counts[table] != expected[table]}
    if wrong:
        raise BackupError(f"Antall rader stemmer ikke etter gjenoppretting: {wrong}")
    return counts
