# Two commands for a newcomer: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-ahead lint check bench load clean setup deploy-check

setup: $(STAMP)

#: The public client libraries the e2e tests drive, each in a virtualenv of its own (two install a package
#: named `mydata`; mydatapy needs pydantic 1): tests/e2e/clients/<name>.txt → .venv/clients/<name>.
CLIENT_SPECS := $(wildcard tests/e2e/clients/*.txt)

$(STAMP): pyproject.toml $(CLIENT_SPECS)
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1; then \
	  echo "installing python3-venv (Debian)"; apt-get update -qq && apt-get install -y -qq python3-venv; fi
	@if ! command -v curl >/dev/null 2>&1; then \
	  echo "installing curl (Debian; the README tour and its test use it)"; apt-get update -qq && apt-get install -y -qq curl; fi
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver (Debian; the console's browser tests drive them)"; \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver; fi
	@test -x $(PY) || { echo "[1/4] creating the virtualenv $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "[2/4] updating pip"
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade "pip<26.3"  # chalice requires pip<26.3
	@echo "[3/4] installing ypovoli and its dependencies (the first time: a minute or two)"
	@set -o pipefail; $(PY) -m pip install --disable-pip-version-check -e ".[dev]" | \
	  awk '/^Collecting/ {printf "  · %s\n", $$2; fflush()} /^Successfully installed/ {print "  installed"}'
	@echo "[4/4] the public clients the tests drive, unchanged, each in its own virtualenv"
	@set -e; for spec in $(CLIENT_SPECS); do name=$$(basename $$spec .txt); \
	  test -x $(VENV)/clients/$$name/bin/python || $(PYTHON) -m venv $(VENV)/clients/$$name; \
	  $(VENV)/clients/$$name/bin/python -m pip install -q --disable-pip-version-check -r $$spec \
	    >$(VENV)/clients/$$name.log 2>&1 || { cat $(VENV)/clients/$$name.log; exit 1; }; \
	  echo "  · $$name"; done
	@touch $(STAMP)
	@echo "ready: $(VENV)"

## Start the embedded local stack in the foreground (moto, the API, pollers, simulators).
run: $(STAMP)
	@$(VENV)/bin/ypovoli local

## Run the whole test suite (pytest's exit 5, "no tests collected", counts as a failure to find tests).
test: $(STAMP)
	@$(PY) -m pytest -n 2 --dist loadgroup -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

## The whole suite with every Python process's wall clock a year ahead (time-machine, started by
## tests/clock_ahead/sitecustomize.py): nothing may depend on the day.
## (pytest would warn that time-machine, its plugin too, was imported before it could rewrite it.)
test-ahead: $(STAMP)
	@PYTHONPATH=$(CURDIR)/tests/clock_ahead$${PYTHONPATH:+:$$PYTHONPATH} YPOVOLI_TEST_CLOCK_AHEAD=P365D \
	  PYTEST_ADDOPTS="-W 'ignore:Module already imported so cannot be rewritten; time_machine:pytest.PytestAssertRewriteWarning'" \
	  $(MAKE) --no-print-directory test

## Linters and type checks (the same gate CI runs inside the suite).
lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy layers/core/ypovoli scripts/ypovoli_local functions
	@$(VENV)/bin/cfn-lint template.yaml

## What can be checked of a deploy without an AWS account: cfn-lint on the template, and — where the SAM
## CLI is installed — `sam validate --lint` and `sam build` (nothing is deployed).
deploy-check: $(STAMP)
	@$(VENV)/bin/cfn-lint template.yaml && echo "cfn-lint template.yaml: clean"
	@if command -v sam >/dev/null 2>&1; then \
	  sam validate --lint --region $${AWS_REGION:-eu-central-1} && sam build; \
	else echo "sam: not installed here, so sam validate --lint and sam build were skipped" \
	  "(https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html)"; fi

## Every figure beside its floor, measured in the same run (prints a table, writes bench-results.json).
bench: $(STAMP)
	@$(PY) -m ypovoli_local.bench $(BENCH_ARGS)

## Bounded load on the local stack (loopback only, stops by itself within two minutes).
load: $(STAMP)
	@$(PY) -m ypovoli_local.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
