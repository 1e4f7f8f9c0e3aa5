# Two commands on a fresh machine with Python 3.11+:
#   make site   set up, then build the sample site into output/ (strict, as CI does)
#   make test   set up (npm packages for the accessibility gate too), then run every test
# For the inner loop: make test-fast (no browser, crash or load tests; about a minute).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AXE := node_modules/axe-core/axe.min.js

.PHONY: site serve test test-fast lint setup axe clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

# axe-core for the accessibility gate, from the npm registry (package-lock.json pins it).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else \
		echo "make: npm is not installed, so the accessibility (axe) tests will be SKIPPED;"; \
		echo "      install Node.js and npm (or run .ci/run) to run them"; \
	fi

axe: $(AXE)

site: setup
	$(BIN)/python build.py build --strict

serve: setup
	$(BIN)/python build.py serve

lint: setup
	$(BIN)/ruff check clinicpress tests benchmarks build.py
	$(BIN)/mypy

test: setup axe
	$(BIN)/ruff check clinicpress tests benchmarks build.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist loadfile

test-fast: setup
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow" -q

clean:
	rm -rf $(VENV) output output.staging-* output.old-*
