# Everyday commands for the Westminster Prevent website. See README.md.
#
#   make run    install everything, load the starting content, serve http://127.0.0.1:8000
#   make test   install everything, then run every check and the whole test suite
#   make lint   ruff only
#   make clean  remove the virtual environment and generated files

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv run test lint clean screenshots readme-images lighthouse

help:
	@echo "make run    install, load the starting content and serve http://127.0.0.1:8000"
	@echo "make test   install, then run checks, ruff and the whole test suite"
	@echo "make lint   run ruff"
	@echo "make clean  remove .venv and generated files"
	@echo "make screenshots  every public page at 375px and 1280px into screenshots/"
	@echo "make lighthouse   Lighthouse scores (see docs/quality.md)"

venv: $(STAMP)

# Installs again only when pyproject.toml has changed since the last install.
# A .venv made by an older Python (or a broken one) is replaced.
$(STAMP): pyproject.toml
	@if ! $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
		python=$$(scripts/find-python); \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# GOV.UK Frontend and Sass (to check the compiled CSS) and the Nu HTML Checker (for the tests).
node_modules: package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

# Local use only: DEBUG on (throwaway secret key, files-on-disk email in sent-emails/).
run: export DEBUG = true
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_initial_content --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

# Tests run with DEBUG off, as in production, and a key that is only for tests.
# SQLite unless DATABASE_URL is set (bash .ci/run also runs them against PostgreSQL).
test: export DEBUG = false
test: export SECRET_KEY = test-only-not-secret
test: venv node_modules
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
	rm -rf $(VENV) staticfiles screenshots .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
