"""The production shape: docker-compose.yml and the Dockerfile (no Docker engine runs here, so
the files are checked as data; `docker compose config` is the check on a machine with Docker)."""
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_database_redis_web_worker_and_beat_from_one_image():
    services = compose()["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    app_services = [services[name] for name in ("web", "worker", "beat", "migrate")]
    assert {service["image"] for service in app_services} == {"alnaaktiv:latest"}
    assert all(service["build"] == "." for service in app_services)
    assert services["worker"]["command"][:4] == ["celery", "-A", "alnaaktiv", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "alnaaktiv", "beat"]


def test_compose_configures_the_app_only_through_the_contracts_environment():
    environment = compose()["services"]["web"]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "alnaaktiv.settings.production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")  # no default secret
    assert environment["ALLOW_SYNTHETIC_FNR"] == "${ALLOW_SYNTHETIC_FNR:-0}"


def test_web_and_worker_wait_for_migrations_and_share_the_media_volume():
    services = compose()["services"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "media:/data/media" in services[name]["volumes"]


def test_dockerfile_installs_runtime_requirements_only_and_runs_as_non_root():
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")]
    dockerfile = "\n".join(lines)
    assert "requirements.txt" in dockerfile and "requirements-dev.txt" not in dockerfile
    assert "collectstatic" in dockerfile
    assert "\nUSER " in dockerfile


def test_compose_passes_every_feature_setting_through_to_the_app():
    environment = compose()["services"]["worker"]["environment"]
    for name in ["SCREENING_WINDOW_MONTHS", "UPLOAD_MAX_MB", "DECISION_DEADLINE_DAYS", "DECISION_WARNING_DAYS",
                 "ARBEID_MED_BISTAND_PLASSER", "REPORT_SUPPRESS_SMALL_NUMBERS", "RETENTION_YEARS_AFTER_COURSE", "AUDIT_RETENTION_YEARS",
                 "SITE_URL", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
                 "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL"]:
        assert environment[name].startswith(f"${{{name}:-"), name


def test_the_app_runs_as_a_role_without_ownership_and_migrate_runs_as_the_owner_and_grants_it():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://alnaaktiv_app:"), name
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://alnaaktiv:")
    script = " ".join(migrate["command"])
    assert "manage.py migrate" in script
    assert "grant_app_role --role alnaaktiv_app --password-env POSTGRES_APP_PASSWORD" in script
    assert migrate["environment"]["POSTGRES_APP_PASSWORD"].startswith("${POSTGRES_APP_PASSWORD:?")
    assert "POSTGRES_APP_PASSWORD=" in (ROOT / ".env.example").read_text()


def test_the_earmarked_places_of_arbeid_med_bistand_come_from_the_environment():
    env = {**os.environ, "ARBEID_MED_BISTAND_PLASSER": "7", "DJANGO_SETTINGS_MODULE": "alnaaktiv.settings.test"}
    read = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from arbeidsboks.selectors import earmarked_places; "
                               "print(earmarked_places())"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert read.stdout.strip() == "7", read.stderr
