# Alna Aktiv — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed.stamp
STAMP_JS := node_modules/.installed.stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: run test setup lint deploy-check worker beat clean

## run: set up everything and start the app on the embedded default (SQLite, eager tasks, demo data)
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Alna Aktiv kjører på http://$(HOST):$(PORT)/  (stopp med Ctrl+C)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: ruff, the layer contract (import-linter), the production deploy check, migrations check and the whole pytest suite
test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=alnaaktiv.settings.production DJANGO_DEBUG=0 \
		DJANGO_SECRET_KEY=deploy-check-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
		DJANGO_ALLOWED_HOSTS=alnaaktiv.example \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=alnaaktiv.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@# Two passes: the suite on PYTEST_WORKERS processes (pytest-xdist, a test database each), then
	@# the browser journeys and the real Celery worker one at a time (one live server, one queue).
	@# Exit code 5 is "nothing collected", for a PYTEST_ARGS that selects only one kind.
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not e2e and not celery_worker" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -m "e2e or celery_worker" $(PYTEST_ARGS) || [ $$? -eq 5 ]

setup: $(STAMP_PY) $(STAMP_JS)

$(STAMP_PY): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

worker: setup
	$(BIN)/celery -A alnaaktiv worker --loglevel=info

beat: setup
	$(BIN)/celery -A alnaaktiv beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache test-artifacts
