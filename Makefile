# Two commands on a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export FLASK_APP := wsgi:app

.PHONY: run test translations extract-messages init-db lint bench soak clean system-packages mutate

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
	$(BIN)/flask init-db

run: $(STAMP) translations init-db
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# Browsers, PDF text extraction and the load generator come from Debian's packages.
system-packages:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || \
	  { apt-get update -q && apt-get install -y -q chromium poppler-utils; }

lint: $(DEV_STAMP)
	$(BIN)/hadolint --failure-threshold warning Dockerfile
	$(BIN)/bandit -q -r app -ll

test: $(DEV_STAMP) system-packages translations lint
	$(BIN)/python -m pytest

bench: $(DEV_STAMP) translations
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	$(BIN)/python -m bench.run

soak: $(DEV_STAMP) translations
	$(BIN)/python -m bench.soak

# Mutation testing of the rule modules (mutmut; settings in pyproject.toml). Slow: not part of `make test`.
mutate: $(DEV_STAMP) translations
	$(BIN)/python -m tests.mutate

clean:
	rm -rf $(VENV) instance .pytest_cache
