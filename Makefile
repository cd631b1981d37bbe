# One command to set up and run the demo, one to run every test (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck rulesets bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,testing]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/oss-rules evaluate examples/construction.json examples/office.json examples/plant.json

test: $(STAMP) lint typecheck rulesets
	$(BIN)/pytest -q

# The shipped rulesets: no check error, formatted, every rule and table row tested,
# every declared property holds on generated inventories (seed 0: reproducible).
rulesets: $(STAMP)
	$(BIN)/oss-rules check rulesets/
	$(BIN)/oss-rules fmt --check rulesets/
	$(BIN)/oss-rules test --coverage --fail-under 100 rulesets/
	$(BIN)/oss-rules verify rulesets/

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py

clean:
	rm -rf $(VENV) build dist
