# Two commands on a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export FLASK_APP := wsgi:app
# The second pass of `make test` runs the suites that touch the database on PostgreSQL;
# the Redis tests use TEST_REDIS_URL. deploy/services.sh starts both on loopback.
TEST_POSTGRES_URL ?= postgresql+psycopg://wizard:wizard@127.0.0.1:5432/wizard_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export TEST_REDIS_URL
POSTGRES_SUITES := tests/web tests/staff tests/scale tests/audit tests/operations tests/operators tests/faults
# A test whose result depends on the day it runs must fail CI the day it is written, not months
# later: `make test` runs these suites again with the clock SHIFT ahead (Debian's libfaketime; see
# tests/clockshift/sitecustomize.py). `make test-shifted SHIFT=+3y` runs every suite but the browser's.
SHIFTED_SUITES := tests/certs tests/remediation tests/diagnose tests/audit tests/paths tests/staff tests/web
SHIFT ?= +400d
SHIFTED := FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(SHIFT)" $(BIN)/python -m pytest -q -m "not browser"

.PHONY: run test test-shifted translations extract-messages init-db lint bench bench-stack bench-scale soak services clean system-packages mutate oidc-provider

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

translations: $(STAMP)
	$(BIN)/pybabel -q compile --use-fuzzy -d app/translations

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k _l -k N_ -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

init-db: $(STAMP)
	$(BIN)/flask db upgrade

run: $(STAMP) translations init-db
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# Browsers, PDF text extraction, the shifted clock, the load generator and SQLite's shell (backups,
# README's Operations) come from Debian's packages.
# Prometheus (server and promtool): tests/operators scrape the app with it and check deploy/alerts.yml;
# the tests run the binary on a loopback port of their own, never the package's service.
system-packages:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v faketime >/dev/null \
	  && command -v sqlite3 >/dev/null || \
	  { apt-get update -q && apt-get install -y -q chromium poppler-utils faketime sqlite3; }
	@command -v prometheus >/dev/null && command -v promtool >/dev/null || \
	  { apt-get update -q && apt-get install -y -q --no-install-recommends prometheus; }

lint: $(DEV_STAMP)
	$(BIN)/hadolint --failure-threshold warning Dockerfile deploy/nginx.Dockerfile
	$(BIN)/bandit -q -r app -ll

# The real OpenID provider the staff sign-in tests run against (panva's oidc-provider, from the
# npm registry, at the versions tests/oidc/package-lock.json pins), with Debian's Node.js.
OIDC_PROVIDER_STAMP := tests/oidc/node_modules/.package-lock.json
oidc-provider: $(OIDC_PROVIDER_STAMP)

$(OIDC_PROVIDER_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	cd tests/oidc && npm ci --no-audit --no-fund --quiet
	touch $@

# Everything on SQLite, then the database suites again on PostgreSQL (skipped, and said
# so, when TEST_POSTGRES_URL does not answer; CI=true turns a missing server into a failure).
test: $(DEV_STAMP) system-packages services translations lint oidc-provider
	$(BIN)/python -m pytest
	TEST_DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m pytest $(POSTGRES_SUITES)
	$(SHIFTED) $(SHIFTED_SUITES)

test-shifted: $(DEV_STAMP) system-packages translations
	$(SHIFTED) --ignore=tests/browser

bench: $(DEV_STAMP) translations
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	@# Both run, whichever misses a target; the target fails if either did.
	$(BIN)/python -m bench.run; run=$$?; $(BIN)/python -m bench.follow; follow=$$?; exit $$((run || follow))

# The production stack as deploy/services.sh starts it (PostgreSQL, Redis; nginx and gunicorn on free
# loopback ports) under 64 clients' journeys, beside bare Flask behind the same nginx. Needs `make services`.
bench-stack: $(DEV_STAMP) translations
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	$(BIN)/python -m bench.stack

soak: $(DEV_STAMP) translations
	$(BIN)/python -m bench.soak

# Mutation testing of the rule modules (mutmut; settings in pyproject.toml). Slow: not part of `make test`.
mutate: $(DEV_STAMP) translations
	$(BIN)/python -m tests.mutate

# The staff workspace at 10k, 100k and 1M cases on SQLite and PostgreSQL (seeded once, then
# reused; BENCH_SCALE_SIZES and BENCH_SCALE_BACKENDS choose). Needs `make services`.
bench-scale: $(DEV_STAMP) translations
	$(BIN)/python -m bench.scale

# PostgreSQL, Redis and nginx from Debian's packages, on loopback (needs root, as the Chromium
# install does). Without them the tests that need a server are skipped, each saying why.
services:
	@deploy/services.sh || echo "PostgreSQL, Redis and nginx could not be started here: the tests that need them will be skipped."

clean:
	rm -rf $(VENV) instance .pytest_cache tests/oidc/node_modules
