# The README's commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The reference reader (reader/): where it listens and the API it reads.
READER_HOST ?= 127.0.0.1
READER_PORT ?= 8001
READER_API_URL ?= http://127.0.0.1:$(PORT)/api/v1/
# Where the admin sends editors to preview drafts.
READER_URL ?= http://$(READER_HOST):$(READER_PORT)/
export READER_API_URL READER_URL
NODE_TOOLS := tests/tools
# The fonts the PDF editions embed (OFL Noto fonts from npm, see editions/fonts/package.json).
EDITION_FONTS := editions/fonts
# One test worker per core; `make test PYTEST_ARGS=...` to choose tests or run serially (-n 0).
PYTEST_ARGS ?= --numprocesses=auto
# The browser tests drive a live server and Chromium: they run afterwards, in a
# process of their own and one at a time, away from the parallel workers.
BROWSER_PYTEST_ARGS ?= --numprocesses=0
# `make test BROWSER_TESTS=` leaves them out (CI runs them once, on PostgreSQL, Redis and S3).
BROWSER_TESTS ?= yes
# The tests outside the browser; CI leaves out the slow external checkers (`checkers`) and the
# generated clients (`clients`) in one of its runs.
TEST_MARKERS ?= not browser

.PHONY: run test lint format install install-dev migrate demo check catalog clean bench serve audit worker reader

# `make run` prints a short summary; `make run VERBOSE=1` shows everything the set-up prints.
VERBOSE ?=
RUN_LOG := var/make-run.log
RUN_QUIETLY = $(if $(VERBOSE),,>>$(RUN_LOG) 2>&1 || { cat $(RUN_LOG); exit 1; })

run: install ## Set up the embedded database, load the demo book and serve admin and API, and the reader beside them (VERBOSE=1: every detail)
	@mkdir -p var && : > $(RUN_LOG)
	@$(PY) manage.py migrate --noinput $(RUN_QUIETLY)
	@$(PY) manage.py load_demo_book $(RUN_QUIETLY)
	@$(PY) manage.py ensure_admin $(RUN_QUIETLY)
	@$(if $(VERBOSE),$(PY) manage.py demo_logins)
	@$(PY) manage.py run_summary --url http://$(HOST):$(PORT) --reader-url http://$(READER_HOST):$(READER_PORT)/ $(if $(VERBOSE),,--log $(RUN_LOG))
	@$(PY) -m reader runserver $(READER_HOST):$(READER_PORT) --noreload $(if $(VERBOSE),,>>$(RUN_LOG) 2>&1) & reader=$$!; \
	trap 'kill $$reader 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

reader: install ## Serve the reference reader alone (READER_API_URL, READER_HOST, READER_PORT)
	@echo "The reader: http://$(READER_HOST):$(READER_PORT)/ (it reads the API at $(READER_API_URL))"
	$(PY) -m reader runserver $(READER_HOST):$(READER_PORT)

worker: install migrate ## Send queued webhook deliveries and publish and expire on schedule (one or more per deployment)
	$(PY) manage.py run_worker --no-reload

serve: install ## Production: migrate, collect static files, run gunicorn (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL, and REDIS_URL or DJANGO_CACHE_DIR; listens on HOST:PORT from the environment, default 0.0.0.0:8000)
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) -m gunicorn --config cms/gunicorn.conf.py

# The reader's tests serve the demo book from a live server that shares their database
# as migrations left it, which the transactional tests empty: they run in a process of their own.
test: install-dev ## Run the whole test suite (SQLite by default; DATABASE_URL/REDIS_URL switch services)
	$(PY) -m pytest -m "$(TEST_MARKERS)" --ignore=tests/reader $(PYTEST_ARGS)
	$(PY) -m pytest -m "$(TEST_MARKERS)" $(PYTEST_ARGS) tests/reader
	$(if $(BROWSER_TESTS),$(PY) -m pytest -m browser $(BROWSER_PYTEST_ARGS),@echo "Browser tests left out (BROWSER_TESTS is empty).")

lint: install-dev ## ruff lint and format check, and the import contracts between the rooms (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install-dev ## Django's system checks and the migrations check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

catalog: install-dev ## Merge new interface strings into the French catalog and the editions' words into theirs, and compile them
	$(PY) manage.py update_catalog
	$(PY) manage.py compile_catalog
	$(PY) manage.py update_catalog --editions
	$(PY) manage.py compile_catalog --editions

audit: install-dev ## Known vulnerabilities of the runtime pins (asks PyPI; fails if a package cannot be checked)
	$(VENV)/bin/pip-audit --requirement requirements.txt --progress-spinner off --strict

bench: install-dev ## Measure the public API against Wagtail's API v2, the translators' queue and grid, and the building of editions, on generated books (DATABASE_URL: PostgreSQL)
	$(PY) -m bench.api
	$(PY) -m bench.localization
	$(PY) -m bench.editions

.PHONY: loadtest backup restore

loadtest: install ## The production stack (gunicorn, PostgreSQL, Redis) under concurrent readers: req/s, latencies, errors
	$(PY) -m bench.loadtest

backup: install ## Write the database and the media files to one archive: make backup BACKUP=book.tar.gz (or a folder)
	@test -n "$(BACKUP)" || { echo "Say where to write it: make backup BACKUP=book.tar.gz (or an existing folder)"; exit 2; }
	$(PY) manage.py backup "$(BACKUP)"

restore: install ## Restore an archive of make backup into an empty database: make restore BACKUP=book.tar.gz [FORCE=1]
	@test -n "$(BACKUP)" || { echo "Say which archive: make restore BACKUP=book.tar.gz"; exit 2; }
	$(PY) manage.py restore $(if $(FORCE),--force) "$(BACKUP)"

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py load_demo_book

install: $(VENV)/.installed-runtime $(EDITION_FONTS)/node_modules/.installed
install-dev: $(VENV)/.installed-dev $(NODE_TOOLS)/node_modules/.installed $(EDITION_FONTS)/node_modules/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

# Tools from npm that the tests run: checkers against the system Chromium (axe-core, Ace by
# DAISY) and the TypeScript client generated from the API's schema (openapi-typescript,
# typescript, tsx). Never downloads a browser; without npm the tests that need them skip.
$(NODE_TOOLS)/node_modules/.installed: $(NODE_TOOLS)/package.json $(NODE_TOOLS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(NODE_TOOLS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the accessibility checks (axe-core, Ace) will be skipped."; fi

# The PDF editions' fonts. Without npm, building a PDF edition fails and names what is missing.
$(EDITION_FONTS)/node_modules/.installed: $(EDITION_FONTS)/package.json $(EDITION_FONTS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(EDITION_FONTS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the PDF editions' fonts (editions/fonts) are not installed; PDF builds will say so."; fi

clean: ## Remove the virtualenv and local data (the embedded database, media and cache)
	rm -rf $(VENV) db.sqlite3 media static var
