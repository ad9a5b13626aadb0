# The two commands: `make run` (the platform with demo partnerships) and `make test` (the suite).
# Both set up everything first: virtual environment, dependencies, database.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: install run test lint system-packages vendor-govuk clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages the platform and its tests use: Tesseract reads pages without a text layer for
# the anonymisation gate (run and test); browser tests drive Chromium; the compose check uses
# docker-compose.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng chromium docker-compose
system-packages:
	@if ! command -v tesseract >/dev/null || [ ! -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] \
	  || ! command -v chromium >/dev/null || ! command -v docker-compose >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "Install $(SYSTEM_PACKAGES) (Debian packages) to run the gate's OCR and every test."; fi; \
	fi

run: install system-packages
	$(PY) -m safeguard.localdev run

test: install system-packages
	$(PY) -m safeguard.localdev test

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Refresh the vendored GOV.UK Frontend and MOJ Frontend files (needs Node; running does not).
vendor-govuk:
	bash frontend/assets/refresh.sh

clean:
	rm -rf .data staticfiles
