# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/purser demo

# The suite runs on every core, a test module's tests on one worker (they share its fixtures:
# a Spark session, a generated bill). Bytecode is written even where the environment says
# not to: otherwise every test process and every `purser` it starts compiles from source.
test: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto --dist loadscope

bench: install-dev
	$(BIN)/python benchmarks/gate.py
	$(BIN)/python benchmarks/cost.py
	$(BIN)/python benchmarks/reconcile.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/forecast.py
	$(BIN)/python benchmarks/nab.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
