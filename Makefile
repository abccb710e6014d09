# Two commands do all set-up on a fresh machine (see README): `make site`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: site test serve clean

site: $(VENV)/.installed
	$(BIN)/polydigest build

test: $(VENV)/.installed-test /usr/bin/chromium
	$(BIN)/python -m pytest

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

clean:
	rm -rf site site.* .polydigest
