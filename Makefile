# Quick start: `make run` serves the app with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py

.PHONY: install run test prod-check lint translations-extract translations-update translations-compile bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) translations-compile

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask elearn demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The suite runs on SQLite; when TEST_DATABASE_URL names a PostgreSQL server (CI sets it), every
# test that uses the database runs again there (browser journeys and pure computations once).
# Tests run in TEST_WORKERS processes (pytest-xdist), each with its own database, mail server
# and Redis database number; TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(4, os.cpu_count() or 1))')
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

test: install
	$(BIN)/ruff check elearn tests bench deploy migrations/env.py
	TEST_DATABASE_URL= $(PYTEST)
	if [ -n "$$TEST_DATABASE_URL" ]; then $(PYTEST) -m "not browser" --database-tests-only; fi

# The production shape on loopback (PostgreSQL, Redis db 13, SMTP, S3, 2 gunicorn hosts, RQ
# worker, scheduler, nginx) driven through nginx; stops everything it started. Needs nginx
# (apt-get install nginx), PostgreSQL (TEST_DATABASE_URL or the local `test` database), Redis.
prod-check: install
	$(BIN)/python deploy/prod_check.py

lint: install
	$(BIN)/ruff check elearn tests bench deploy migrations/env.py

translations-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o elearn/translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i elearn/translations/messages.pot -d elearn/translations

translations-compile: $(STAMP)
	if ls elearn/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d elearn/translations; fi

clean:
	rm -rf $(VENV) instance .pytest_cache
