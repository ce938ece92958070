# CNRS International — the verbs. `make run` serves the site on SQLite; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(PYTHON) -m uv
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run serve test test-browser lint fmt bench reset-db messages check

# A stamp keeps `make install` quick when nothing changed.
# gettext's msgfmt compiles the translations; installed from Debian when missing (as root).
$(VENV)/.installed: pyproject.toml uv.lock
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null; } \
		|| { echo "Please install gettext (msgfmt)"; exit 1; }
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --locked --quiet
	@touch $@

# Compiled translations are rebuilt whenever a .po file changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

install: $(VENV)/.installed $(MO_FILES)

messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: install
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_reference_data
	$(PY) manage.py publish_open_data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production stack locally: gunicorn on PostgreSQL + Redis behind nginx (deploy/serve.sh).
serve: install
	deploy/serve.sh

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: install check
	$(PY) -m pytest -q

test-browser: install
	$(PY) -m pytest -q -m browser -p no:randomly tests/browser

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

reset-db: install
	rm -f db.sqlite3
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_reference_data

bench: install
	$(PY) bench/run.py
