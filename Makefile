# Each target builds .venv on first use, so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml tests/plugin/pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint format bench bench-speed fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]' -e tests/plugin
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/newsreader --config feeds.yaml $(ARGS)

# The types and the import contracts (pyproject.toml: [tool.mypy], [tool.importlinter])
# are checked before the tests, so every CI run checks the architecture too.
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# CORPUS: a folder of real feeds for the parsing benchmark (optional).
bench: $(STAMP)
	$(BIN)/python bench/bench_fetch.py
	$(BIN)/python bench/bench_content.py $(CORPUS)
	$(BIN)/python bench/bench_article.py
	$(BIN)/python bench/bench_ui.py
	$(BIN)/python bench/bench_parse.py $(CORPUS)

# newsreader against newsraft (NEWSRAFT_SRC: a source tree to build; optional) and
# newsboat (when installed), cold, warm and re-read, with memory and database size.
bench-speed: $(STAMP)
	$(BIN)/python bench/bench_speed.py $(if $(NEWSRAFT_SRC),--newsraft-src $(NEWSRAFT_SRC))

# The soak run of the fuzz tests: thousands of examples per test, random each time.
# NEWSREADER_FUZZ_EXAMPLES=N sets the examples per test.
fuzz: $(STAMP)
	NEWSREADER_FUZZ_PROFILE=long $(BIN)/python -m pytest -q -p no:cacheprovider --hypothesis-show-statistics tests/fuzz $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
