# The two commands: `make run` (the platform with demo partnerships) and `make test` (the suite).
# Both set up everything first: virtual environment, dependencies, database.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: install run test lint browsers vendor-govuk clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's Chromium; the compose check uses Debian's docker-compose.
browsers:
	@if ! command -v chromium >/dev/null || ! command -v docker-compose >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium docker-compose >/dev/null; \
	  else echo "Install chromium and docker-compose (Debian packages) to run every test."; fi; \
	fi

run: install
	$(PY) -m safeguard.localdev run

test: install browsers
	$(PY) -m safeguard.localdev test

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Refresh the vendored GOV.UK Frontend and MOJ Frontend files (needs Node; running does not).
vendor-govuk:
	bash frontend/assets/refresh.sh

clean:
	rm -rf .data staticfiles
