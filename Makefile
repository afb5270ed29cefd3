# Chapterwise: `make run` to try it, `make test` to test it (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run PORT=8001` serves on another port; HOST=0.0.0.0 lets other machines in.
PORT ?= 8000
HOST ?= 127.0.0.1
# Links in e-mails start with the site's address: the one `make run` serves on, unless set
# (WIKI_SITE_URL=http://my-laptop.local:8001 make run HOST=0.0.0.0 PORT=8001).
WIKI_SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),localhost,$(HOST)):$(PORT)

.PHONY: run test lint install fixture clean bench

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py setup_demo
	DEBUG=1 WIKI_SITE_URL=$(WIKI_SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist, at most 4 processes, each with its own test
# database and Chromium); `make test TEST_JOBS=0` runs it in one process.
# `make test TEST_ARGS=tests/browser` runs a part of it.
TEST_JOBS ?= auto
TEST_ARGS ?=
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --maxprocesses=4 $(TEST_ARGS)

# Build a throwaway wiki, measure every page, throughput under gunicorn (needs Debian's wrk),
# import/export and diffs; print the table and write docs/PERFORMANCE.md. SQLite, or
# DATABASE_URL=postgres://...; BENCH_ARGS="--scale small --no-load" for a quick look.
# Production settings (DEBUG off) with a key made for the run.
BENCH_ARGS ?= --scale team
bench: $(STAMP)
	DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_COOKIES=0 \
		SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python manage.py benchmark $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles

# Rebuild the seed fixture from fixtures/source/ with the importer (a test checks they agree).
fixture: $(STAMP)
	rm -f /tmp/chapterwise-fixture.sqlite3
	DEBUG=1 DATABASE_URL=sqlite:////tmp/chapterwise-fixture.sqlite3 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 DATABASE_URL=sqlite:////tmp/chapterwise-fixture.sqlite3 $(BIN)/python manage.py import_notes fixtures/source/designing-ml-systems.txt
	DEBUG=1 DATABASE_URL=sqlite:////tmp/chapterwise-fixture.sqlite3 $(BIN)/python manage.py dumpdata \
		notes.book notes.chapter notes.comparisontable \
		notes.historicalbook notes.historicalchapter notes.historicalcomparisontable \
		--indent 1 -o fixtures/designing-ml-systems.json
