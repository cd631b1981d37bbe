# One command to set up and run the demo, one to run every test, one for the inner loop
# (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-fast lint typecheck rulesets screenshots bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,testing]'
	# An editable install compiles no bytecode (a wheel's install does); without it, and
	# with PYTHONDONTWRITEBYTECODE set, every command compiles the package from source.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

setup: $(STAMP)

# The source's OSS policy on the example workplaces, then enacted law: K3 duties, one
# month of BPJS Ketenagakerjaan contributions, and the HTML audit report of all three.
demo: $(STAMP)
	$(BIN)/oss-rules evaluate examples/construction.json examples/office.json examples/plant.json examples/workshop.json
	$(BIN)/oss-rules alerts --within 14 examples/construction.json examples/office.json examples/plant.json examples/workshop.json
	$(BIN)/oss-rules evaluate --ruleset id-k3 examples/k3/steelworks.json
	$(BIN)/oss-rules payroll --month 2026-03 examples/payroll/march-2026.json
	mkdir -p build
	$(BIN)/oss-rules report --all-rulesets -o build/report.html examples/workshop.json examples/k3/steelworks.json examples/payroll/march-2026.json
	@echo "audit report: build/report.html"

test: $(STAMP) lint typecheck rulesets
	$(BIN)/pytest -q

# The inner loop, a tenth of the time of `make test`: lint and the tests not marked slow
# (see pyproject.toml); no mypy and no ruleset verify. CI runs `make test`.
test-fast: $(STAMP) lint
	$(BIN)/pytest -q -m "not slow"

# The shipped rulesets: no check error, formatted, every rule and table row tested,
# every declared property holds on generated inventories (seed 0: reproducible); the cases
# pass on the compiled backend too.
rulesets: $(STAMP)
	$(BIN)/oss-rules check rulesets/
	$(BIN)/oss-rules fmt --check rulesets/
	$(BIN)/oss-rules test --coverage --fail-under 100 rulesets/
	$(BIN)/oss-rules test --backend compiled rulesets/
	$(BIN)/oss-rules verify rulesets/

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

# The pictures in docs/img/: the demo's audit report (the one docs/report.md describes)
# as headless Chromium renders it at 1,280 px and at 390 px (a phone); the sandbox is off
# because CI runs as root. Rerun after changing the report's look.
CHROMIUM ?= chromium
screenshots: $(STAMP)
	mkdir -p build
	$(BIN)/oss-rules report --all-rulesets -o build/screenshot.html examples/workshop.json examples/k3/steelworks.json examples/payroll/march-2026.json
	for width in 1280 390; do \
		$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
			--force-device-scale-factor=1 --user-data-dir=build/chromium-profile \
			--window-size=$$width,1600 --screenshot=docs/img/report-$$width.png \
			file://$(CURDIR)/build/screenshot.html || exit 1; \
	done

# The batch benchmark's default corpus is 200,000 workplaces: hours on a shared 2-core
# machine (about 25 records/s in one process); BATCH_RECORDS=20000 make bench is shorter.
BATCH_RECORDS ?= 200000

# A long fuzzing soak (tests/test_fuzz.py): fresh examples each run, FUZZ_EXAMPLES per
# target (2,000 take about half an hour). A finding becomes a regression test.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	OSS_RULES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -x tests/test_fuzz.py

bench: $(STAMP)
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_batch.py --records $(BATCH_RECORDS)

clean:
	rm -rf $(VENV) build dist
