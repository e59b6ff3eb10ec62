# The two Quick start commands are `make run` and `make test`; CI calls `make test`.
# Both install the `ja` and `kokoro-en` extras (the Kokoro voice, about 500 MB with its reading
# dictionary); the app works without it (`pip install -e .`), reading Japanese as tones and text.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup setup-dev system-deps system-deps-test lint typecheck pytest i18n bench clean

run: setup
	$(BIN)/anklesleep serve --host 127.0.0.1

test: system-deps-test setup-dev lint typecheck pytest

setup: system-deps $(VENV)/.runtime

setup-dev: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh run

system-deps-test:
	@bash scripts/system-deps.sh test

$(BIN)/python:
	@bash scripts/make-venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.runtime: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[ja,kokoro-en]'
	touch $@

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ja,kokoro-en]'
	touch $(VENV)/.runtime $@

lint:
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/python -m pytest -q

i18n:
	$(BIN)/python scripts/i18n.py update

bench: setup-dev
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache test-artifacts
