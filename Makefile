# casi_workspace — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PARTNER_PORT ?= 8001
# The partner demo network: its own database and media folder, its own cookies (see demo-partner).
PARTNER_ENV := DATABASE_URL=sqlite:///$(CURDIR)/var/partner.sqlite3 MEDIA_ROOT=$(CURDIR)/var/partner-media \
	SITE_NAME="Réseau Pays de la Loire" BASE_URL=http://$(HOST):$(PARTNER_PORT) \
	SESSION_COOKIE_NAME=partner_sessionid CSRF_COOKIE_NAME=partner_csrftoken
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Test processes run in parallel (pytest-xdist), one per core by default; JOBS=0 runs the suite in one process.
JOBS ?= auto
PARALLEL := -n $(JOBS) --dist loadgroup --durations=25

.PHONY: bench bench-smoke load lighthouse demo demo-partner test test-postgres test-fast browser-deps pdf-deps install lint format messages serve clean

## demo: create the virtualenv, install, migrate, seed the demo network and serve it on http://127.0.0.1:8000
demo: install pdf-deps
	$(MANAGE) migrate --noinput
	$(MANAGE) casi_demo --address $(HOST):$(PORT) --follow http://$(HOST):$(PARTNER_PORT)/donnees/
	-$(MANAGE) casi_partner_sync
	@echo "Demo accounts: admin, coordination, collectif-29, asso-a, asso-b, membre-gt (password: \$$CASI_DEMO_PASSWORD or casi-demo-2026)"
	$(MANAGE) runserver $(HOST):$(PORT)

## demo-partner: the partner network CASI Bretagne follows, "Réseau Pays de la Loire", in a database of its own
## (var/partner.sqlite3), served on http://127.0.0.1:8001 (account: admin)
demo-partner: install
	mkdir -p var
	$(PARTNER_ENV) $(MANAGE) migrate --noinput
	$(PARTNER_ENV) $(MANAGE) casi_demo --network pays-de-la-loire --address $(HOST):$(PARTNER_PORT)
	$(PARTNER_ENV) $(MANAGE) runserver $(HOST):$(PARTNER_PORT)

## test: every test (unit, HTTP, subprocess and browser) on the database of DATABASE_URL (SQLite by default)
test: install browser-deps pdf-deps
	$(BIN)/pytest $(PARALLEL)

## test-postgres: the suite on PostgreSQL (browser, worker and standalone tests run in `make test`: they make
## their own databases)
test-postgres: install pdf-deps
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PARALLEL) -m "not browser and not worker and not standalone"

## test-fast: everything but the browser and slow subprocess tests
test-fast: install pdf-deps
	$(BIN)/pytest $(PARALLEL) -m "not browser and not slow"

## bench: server time, queries and memory of each public view at small and large scale (var/bench/results.json)
bench: install pdf-deps
	rm -f var/bench/bench.sqlite3
	SCALE=$${SCALE:-5000} $(BIN)/python bench/run.py

## load: 20 simulated visitors for 60 s against gunicorn + PostgreSQL + Redis of its own on 127.0.0.1
## (var/bench/load.json); FAULTS=redis:10-30,postgres:35 stops Redis from 10 s to 30 s and restarts PostgreSQL at 35 s
load: install
	$(BIN)/python bench/load.py

## lighthouse: Lighthouse scores (mobile) of the main pages of the site `make demo` serves (var/lighthouse)
lighthouse: install browser-deps
	$(BIN)/python bench/lighthouse.py $${BASE_URL:-http://127.0.0.1:8000}

## bench-smoke: the benchmark and the load run at a tiny scale, to check that they still run (CI)
bench-smoke: install pdf-deps
	rm -rf var/bench-smoke
	BENCH_OUT=$(CURDIR)/var/bench-smoke SCALE=50 PUBLICATIONS=140 WORKING_GROUPS=5 GROUP_DOCUMENTS=40 \
	GROUP_FOLDERS=4 STREAM_MB=2 REPEAT=1 NEWSLETTER_RECIPIENTS=200 IMPORT_ROWS=50 CAMPAIGN_EVENTS=30 REGISTRATIONS=10 \
	NATIONAL_CAMPAIGN_EVENTS=120 SUPPORT_REQUESTS=200 PARTNER_ITEMS=300 $(BIN)/python bench/run.py
	BENCH_OUT=$(CURDIR)/var/bench-smoke LOAD_POSTGRES_DIR=$(CURDIR)/var/load-smoke-postgres FAULTS=redis:2-4,postgres:5 \
	LOAD_SCALE=30 LOAD_PUBLICATIONS=70 USERS=4 SECONDS=8 PUBLISH_EVERY=3 $(BIN)/python bench/load.py

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

## pdf-deps: Debian's Pango, which WeasyPrint needs for the campaigns' printable programmes, when missing
pdf-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

## browser-deps: Debian's Chromium and axe-core (npm), installed when missing
browser-deps:
	@missing="$$([ -x /usr/bin/chromium ] || echo chromium) $$(command -v npm >/dev/null || echo nodejs npm)"; \
	if [ -n "$${missing// }" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f node_modules/axe-core/axe.min.js ] && [ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund --silent

## lint: ruff, and the import contracts of pyproject.toml (import-linter)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=.:site $(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh and compile the French catalogues
messages: install
	for app in casi_workspace home search site/casi_site; do \
		(cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l fr --no-obsolete); \
	done
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

clean:
	rm -rf $(VENV) node_modules test-artifacts .pytest_cache .ruff_cache build *.egg-info
