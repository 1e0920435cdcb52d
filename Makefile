# Everyday commands for the Westminster Prevent website. See README.md.
#
#   make run    install everything, load the starting content, serve http://127.0.0.1:8000
#               (PORT=8001 for another port, here and for make serve)
#   make test   install everything, then run every check and the whole test suite
#   make lint   ruff only
#   make lock   refresh the locked versions in requirements/ from pyproject.toml's ranges
#   make clean  remove the virtual environment and generated files
#   make serve     run the site as production does (gunicorn, DEBUG off), on 127.0.0.1:8000
#   make bench     benchmark the main pages against a static file (docs/performance.md)
#   make loadtest  load and fault tests: 64 connections, a database restart, a mail outage,
#                  the newsletter to 10,000 subscribers

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The port make run and make serve listen on, on 127.0.0.1: `make run PORT=8001`.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The translations (locale/*/LC_MESSAGES/django.po) compiled to the .mo files Django reads. The
# .mo files are committed, so running the site needs no gettext; `make messages` compiles them
# again (GNU gettext's msgfmt: apt-get install gettext) and a test checks they match the .po.
COMPILE_MESSAGES := $(PY) manage.py compilemessages --ignore .venv --ignore node_modules -v 0

.PHONY: help venv lock messages run test lint clean screenshots readme-images lighthouse serve bench loadtest

help:
	@echo "make run    install, load the starting content and serve http://127.0.0.1:8000 (PORT=...)"
	@echo "make test   install, then run checks, ruff and the whole test suite"
	@echo "make lint   run ruff"
	@echo "make messages  refresh locale/*/django.po from the code, then compile them (docs/translations.md)"
	@echo "make lock   refresh requirements/ from pyproject.toml (UPGRADE=1 for the newest versions)"
	@echo "make clean  remove .venv and generated files"
	@echo "make screenshots  every public page at 375px and 1280px into screenshots/"
	@echo "make lighthouse   Lighthouse scores (see docs/quality.md)"
	@echo "make serve     run gunicorn with production settings on http://127.0.0.1:8000 (PORT=...)"
	@echo "make bench     benchmark pages against a static file (about 6 minutes)"
	@echo "make loadtest  load and fault tests on loopback, the newsletter to 10,000 (about 5 minutes)"

venv: $(STAMP)

# Installs again only when the lock or pyproject.toml has changed since the last install.
# A .venv made by an older Python (or a broken one) is replaced. Only the locked, hashed
# versions are installed, then the project itself without resolving anything (setuptools,
# to build it, is in the lock).
$(STAMP): pyproject.toml requirements/test.txt
	@if ! $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
		python=$$(scripts/find-python); \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Keeps the versions already locked while pyproject.toml allows them; UPGRADE=1 takes the newest.
# uv is a tool for this target only, so it is not in the lock.
lock: venv
	$(PY) -m pip install --quiet 'uv==0.13.9'
	$(PY) scripts/lock $(if $(UPGRADE),--upgrade)
	$(PY) scripts/check-lock

# After changing a translated string: refresh the .po files, translate what is new, run again.
messages: export DEBUG = true
messages: venv
	scripts/makemessages $(PY)
	$(COMPILE_MESSAGES)

# GOV.UK Frontend and Sass (to check the compiled CSS) and the Nu HTML Checker (for the tests).
node_modules: package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

# Local use only: DEBUG on (throwaway secret key, files-on-disk email in sent-emails/).
run: export DEBUG = true
# The email worker runs beside the site, so the emails a form sends appear in sent-emails/.
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_initial_content --if-empty
	@# Sends what is left from before and queues the worker's heartbeat, which /readyz/worker and the
	@# admin's status page read (cron's send_pending_emails keeps it going in production).
	$(PY) manage.py send_pending_emails
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Tests run with DEBUG off, as in production, and a key that is only for tests.
# SQLite unless DATABASE_URL is set (bash .ci/run also runs them against PostgreSQL).
test: export DEBUG = false
test: export SECRET_KEY = test-only-not-secret
test: venv node_modules
	$(PY) scripts/check-lock
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@static_root=$$(mktemp -d); trap 'rm -rf "$$static_root"' EXIT; \
		echo "collectstatic with the production storage, into a temporary folder"; \
		STATIC_ROOT=$$static_root $(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

screenshots: venv
	$(PY) scripts/screenshots

readme-images: venv
	$(PY) scripts/screenshots --readme

lighthouse: venv
	PY=$(PY) scripts/lighthouse

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles screenshots locale/*/LC_MESSAGES/*.mo .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Production settings and gunicorn.conf.py, but plain HTTP on loopback: no redirect to HTTPS.
# Without a SECRET_KEY in the environment a random one is made for this run only (sessions end
# when it stops); never do that for a real deployment. SQLite unless DATABASE_URL is set.
ifeq ($(origin SECRET_KEY),undefined)
serve: export SECRET_KEY := $(shell head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
endif
serve: export DEBUG = false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT = false
serve: export GUNICORN_BIND = 127.0.0.1:$(PORT)
serve: venv
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_initial_content --if-empty
	@echo "Serving http://127.0.0.1:$(PORT) with gunicorn and the email worker (Ctrl-C to stop)"
	$(PY) manage.py send_pending_emails
	$(PY) manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; \
		$(VENV)/bin/gunicorn -c gunicorn.conf.py prevent_site.wsgi

# Starts its own PostgreSQL, gunicorn, Varnish and nginx on loopback, runs wrk, stops them all
# (README.md lists the commands it needs).
bench: venv
	$(PY) -m scripts.bench

# Not part of make test: takes minutes. Results in docs/performance.md.
loadtest: venv
	$(PY) -m pip install --quiet --require-hashes -r requirements/load.txt
	$(PY) -m scripts.bench.loadtest
