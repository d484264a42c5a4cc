# CERES — commandes de développement. SQLite par défaut ; DATABASE_URL=postgres://… pour PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
# make run PORT=8001 (or PORT=8001 make run) to serve on another port.
PORT ?= 8000

.PHONY: run test bench bench-national bench-national-build seed resetdb fix worker quality install prod-release prod-web prod-worker prod-daily prod-statistiques prod-check openapi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_referentiels --wet-run
	$(MANAGE) seed_demo --wet-run
	@# The task worker runs beside the server (imports, lots, e-mails in the background) and stops with it.
	@$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

seed: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_referentiels --wet-run
	$(MANAGE) seed_demo --wet-run

worker: $(STAMP)
	$(MANAGE) db_worker

quality: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/djlint ceres --lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-only-used-for-the-check-xxxxxxxxxxxx \
	  DJANGO_ALLOWED_HOSTS=ceres.example.gouv.fr DATABASE_URL=postgres://ceres@localhost/ceres CERES_SIGNING_KEYS=check=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
	  CACHE_URL=redis://localhost:6379/0 EMAIL_URL=smtp+tls://ceres@relais.example.gouv.fr:587 \
	  CERES_PUBLIC_BASE_URL=https://ceres.example.gouv.fr CERES_MEDIA_ROOT=/srv/ceres/documents \
	  $(MANAGE) check --deploy --fail-level WARNING

test: quality
	$(BIN)/pytest -n 2 -p no:randomly $(PYTEST_ARGS)

# Each benchmark builds and drops its own database (bench/_common.py): the dev database is never touched.
# BENCH_ARGS=--quick for a smoke run, BENCH_ARGS=--full for the scale of the targets (docs/benchmarks.md).
# national.py (builds a database) and charge.py (needs the national database) belong to `make bench-national`.
BENCH_ARGS ?=
bench: $(STAMP)
	@failed=""; for b in bench/[!_]*.py; do \
	  case $$b in bench/national.py|bench/charge.py) continue;; esac; \
	  echo "=== $$b $(BENCH_ARGS)"; start=$$(date +%s); \
	  $(BIN)/python $$b $(BENCH_ARGS) || failed="$$failed $$b"; \
	  echo "--- $$b : $$(( $$(date +%s) - start )) s"; \
	done; \
	if [ -n "$$failed" ]; then echo "Bancs en échec :$$failed"; exit 1; fi

# OpenAPI schema of /api/v1/, committed (tests/api/test_schema.py fails when it is out of date).
openapi: $(STAMP)
	$(MANAGE) export_openapi_schema --api ceres.api.api.api --indent 2 --sorted --output docs/api/openapi.json

# National volume (issue #14, docs/benchmarks.md): build once (≈ 20 min on an idle 2-core machine, 2 M files), then
# measure every page, the load test (gunicorn, 50 and 200 agents) and the commune search. NATIONAL_DB is written to.
NATIONAL_DB ?= postgres://postgres@127.0.0.1:5432/ceres_national_2m
NATIONAL_CANDIDATES ?= 2000000
bench-national-build: $(STAMP)
	DATABASE_URL=$(NATIONAL_DB) $(BIN)/python bench/national.py --candidates $(NATIONAL_CANDIDATES)

bench-national: $(STAMP)
	DATABASE_URL=$(NATIONAL_DB) $(BIN)/python bench/pages.py --on-database
	DATABASE_URL=$(NATIONAL_DB) $(BIN)/python bench/charge.py
	DATABASE_URL=$(NATIONAL_DB) $(BIN)/python bench/communes.py

# --- Production (docs/exploitation.md): DJANGO_SETTINGS_MODULE=config.settings.prod and the variables it lists.
# Release step, once per deployment before restarting web and workers: migrations then static files.
prod-release:
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput

# App server (gunicorn, config/gunicorn.conf.py): WEB_CONCURRENCY processes on CERES_BIND (0.0.0.0:8000).
prod-web:
	$(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi

# Background task worker (lots, convocations, imports): start as many as wanted, on any machine.
prod-worker:
	$(MANAGE) db_worker --queue-name '*'

# Nightly chores (cron or systemd timer on ONE machine): batch duplicate detection, old task results pruned,
# documents checked against the database (orphans only listed: remove them with check_documents --wet-run),
# statistics summary tables rebuilt in full.
prod-daily:
	$(MANAGE) detecter_doublons --wet-run
	$(MANAGE) alertes_echeances --wet-run
	$(MANAGE) envoyer_notifications --wet-run
	$(MANAGE) prune_db_task_results --min-age-days 30
	$(MANAGE) check_documents
	$(MANAGE) calculer_statistiques --wet-run

# Every few minutes (cron on ONE machine): statistics of the months touched since the last computation.
prod-statistiques:
	$(MANAGE) calculer_statistiques --depuis-dernier-calcul --wet-run

prod-check:
	$(MANAGE) check --deploy --fail-level WARNING

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

resetdb:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
