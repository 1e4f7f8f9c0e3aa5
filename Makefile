# Two commands on a fresh machine with Python 3.11+:
#   make site   set up, then build the sample site into output/ (strict, as CI does)
#   make test   set up, then run every test (browser tests skip without chromium)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site serve test lint setup clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

site: setup
	$(BIN)/python build.py build --strict

serve: setup
	$(BIN)/python build.py serve

lint: setup
	$(BIN)/ruff check clinicpress tests benchmarks build.py
	$(BIN)/mypy

test: setup
	$(BIN)/ruff check clinicpress tests benchmarks build.py
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output output.staging-* output.old-*
