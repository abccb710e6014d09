# Two commands do all set-up on a fresh machine (see README): `make site`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# axe-core, the accessibility engine the browser tests inject into Chromium (npm registry,
# version pinned by package-lock.json), in node_modules/ (not committed).
AXE = node_modules/axe-core/axe.min.js

.PHONY: site test unit quality lint serve clean

site: $(VENV)/.installed
	$(BIN)/polydigest build

# Everything: static checks, then every test: the unit tests, those that build a site (marker
# slow: seeds -> MkDocs -> Pagefind; most read a site built once per run, tests/conftest.py),
# Dask, the browser and accessibility tests (Chromium, axe-core) and the quality gate
# (bench/quality_gate.py on tests/quality/). One worker per core (pytest-xdist), each taking
# whole files, so a file's shared builds are made once (a session's once per worker).
test: lint /usr/bin/chromium $(AXE)
	$(BIN)/python -m pytest -n auto --dist loadfile

# The fast part while working (~30 s on 2 cores): no site is built (tests/conftest.py fails a
# test that reaches MkDocs without a mark), no browser, Dask or quality gate.
unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not browser and not dask and not slow and not quality"

# The quality gate alone, with its table of figures and limits; after a reviewed change of a
# figure or of the fixtures: $(BIN)/python bench/quality_gate.py --update [--allow-lower NAME,...]
quality: $(VENV)/.installed-test
	$(BIN)/python bench/quality_gate.py

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
