# Mentorpact. `make demo` to try it on http://127.0.0.1:8000, `make test` to run every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# pyenv reads .python-version (3.12); a PYENV_VERSION left in the environment would win over
# it, so recipes never see one. PYTHON (make PYTHON=/path/to/python3.12) picks another.
unexport PYENV_VERSION
export PYTHON

VENV_PYTHON := .venv/bin/python

.PHONY: help venv venv-runtime system-packages demo test lint bench

help:
	@echo "make demo   set up .venv and a demo database, serve http://127.0.0.1:8000 (Ctrl-C stops)"
	@echo "make test   run every test: unit, integration and browser (headless Chromium)"
	@echo "make lint   ruff check, ruff format --check, mypy (django-stubs) and the app layers (lint-imports)"
	@echo "make bench  run the benchmarks (bench/run.py)"

venv:
	@scripts/ensure-venv

# The runtime packages only (requirements.txt): all a demo needs, and a fresh clone's demo
# then skips installing the dev set (issue 18: make demo from a fresh clone in 60 s).
venv-runtime:
	@scripts/ensure-venv requirements.txt

system-packages:
	@scripts/ensure-system-packages

# PORT picks another port (make demo PORT=8100), and the links in emails and calendar files
# follow it (SITE_ROOT); load_demo prints the demo accounts.
demo: export DEBUG := true
demo: export PORT := $(or $(PORT),8000)
demo: export SITE_ROOT := $(or $(SITE_ROOT),http://127.0.0.1:$(or $(PORT),8000))
demo: venv-runtime
	$(VENV_PYTHON) manage.py migrate --noinput
	$(VENV_PYTHON) manage.py load_demo
	@echo "Mentorpact demo: $$SITE_ROOT/  (Ctrl-C stops the web server, the worker and the loops)"
	@$(VENV_PYTHON) scripts/serve

# PYTEST_ARGS narrows a run: make test PYTEST_ARGS="-x mentorpact/accounts"
test: venv system-packages
	$(VENV_PYTHON) -m pytest $(PYTEST_ARGS)

# mypy's django-stubs plugin imports the settings, which need DEBUG (or a SECRET_KEY) to load.
# lint-imports checks the layer contract in pyproject.toml ([tool.importlinter]): no app
# imports an app above it (docs/architecture.md).
lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=true .venv/bin/mypy
	.venv/bin/lint-imports

# BENCH_ARGS passes options to bench/run.py: make bench BENCH_ARGS="--sizes 100 --wrk"
bench: venv
	$(if $(findstring --wrk,$(BENCH_ARGS)),@scripts/ensure-system-packages wrk)
	$(VENV_PYTHON) bench/run.py $(BENCH_ARGS)
