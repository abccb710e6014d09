# Two commands do all set-up on a fresh machine (see README): `make site`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# axe-core, the accessibility engine the browser tests inject into Chromium (npm registry,
# version pinned by package-lock.json), in node_modules/ (not committed).
AXE = node_modules/axe-core/axe.min.js

.PHONY: site test unit lint serve clean

site: $(VENV)/.installed
	$(BIN)/polydigest build

# Everything: static checks, then every test (unit, end-to-end, Dask, browser, accessibility).
test: lint /usr/bin/chromium $(AXE)
	$(BIN)/python -m pytest

# The fast part while working: no browser, Dask or slow end-to-end tests.
unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not browser and not dask and not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/mypy

serve: $(VENV)/.installed
	$(BIN)/polydigest serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

/usr/bin/chromium:
	tests/install_browser.sh

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (Debian: apt-get install npm) to install axe-core" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site site.* .polydigest
