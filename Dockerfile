# One image for web (gunicorn), worker and beat (Celery). See docs/deploy.md.

# --- Front-end assets: Bootstrap pinned in package-lock.json, never fetched at run time ---
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Application ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=alnaaktiv.settings.production \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

# Shared libraries WeasyPrint loads through cffi (Pango, HarfBuzz, fontconfig) and a font;
# pg_dump and pg_restore (PostgreSQL 15, as the db service) for the backup and restore commands.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        postgresql-client \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Code and static files stay owned by root (read-only to the app); only /data is writable.
# A fresh named volume mounted on /data/media or /data/beat takes over this ownership.
RUN useradd --create-home --uid 10001 --user-group app \
    && mkdir -p /data/media /data/beat \
    && chown -R app:app /data

# Runtime dependencies only (requirements-dev.txt stays out of the image).
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt

# BASE_DIR is /app; settings expect Bootstrap under BASE_DIR/node_modules/bootstrap/dist.
WORKDIR /app
COPY . /app
COPY --from=assets /build/node_modules/bootstrap/dist /app/node_modules/bootstrap/dist

# The secret key exists only for this RUN line; it is not kept in the image's environment.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    python manage.py collectstatic --noinput

USER app

EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it). No access log: URLs can carry search terms.
# No HEALTHCHECK here: worker and beat use the same image; docker-compose.yml gives web its
# own health check on /health/.
CMD ["gunicorn", "alnaaktiv.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--worker-tmp-dir", "/dev/shm"]
