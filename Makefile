# Cordée: `make demo` serves the demo hub, `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CORDEE_SECRET_KEY_FILE ?= $(CURDIR)/var/secret_key
export DJANGO_SETTINGS_MODULE := cordee.settings
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test check lint format typecheck unit browser bench lock messages clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cordée needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

install: $(STAMP) var/secret_key compiled-messages

.PHONY: compiled-messages
compiled-messages: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy --domain django --directory src/cordee/locale --statistics 2>&1 | grep -v '^$$' || true

demo: install
	$(BIN)/cordee migrate --no-input
	$(BIN)/cordee collectstatic --no-input --verbosity 0
	$(BIN)/cordee load_demo
	@echo; echo "Cordée demo hub: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"; echo
	CORDEE_HTTPS=false $(BIN)/cordee runserver --noreload $(HOST):$(PORT)

serve: install
	CORDEE_HTTPS=false $(BIN)/cordee runserver $(HOST):$(PORT)

check: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/cordee makemigrations --check --dry-run --no-input
	$(BIN)/cordee check

# The browser tests empty the database after each test (the live server only sees committed rows);
# they run in a pytest of their own, so that no other test shares a worker's database with them.
test: check
	$(BIN)/pytest src
	$(BIN)/pytest tests/browser --numprocesses=0

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python -m bench

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

messages: install
	cd src/cordee && ../../$(BIN)/cordee makemessages --locale fr --ignore 'static/*' --no-obsolete

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
