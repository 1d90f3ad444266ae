# Two commands do everything: `make report` (tables, notebooks, charts, HTML) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN    := $(VENV)/.runtime-installed
DEV    := $(VENV)/.dev-installed
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help install install-dev docs data report figures notebooks lab test lint format evaluate benchmark clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(RUN): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEV): $(RUN) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(RUN) ## Create .venv from the pinned requirements and install the package

install-dev: $(DEV) ## Also install test, lint and benchmark tools

docs: $(RUN) ## Regenerate docs/data.md (the data dictionary) from src/linkage/pipeline/schema.py
	$(BIN)/python -c "from linkage.pipeline.schema import data_dictionary; open('docs/data.md', 'w', encoding='utf-8', newline='\\n').write(data_dictionary())"

data: $(RUN) ## Rebuild every table in data/processed/
	$(BIN)/python -m linkage build

report: data ## Build tables, execute every notebook, write figures/ and reports/
	$(BIN)/python -m linkage.presentation.report

lab: $(RUN) ## Open JupyterLab on the notebooks (package importable; works as root in a container)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(DEV) ## Run the test suite
	$(BIN)/python -m pytest

lint: $(DEV) ## Check style with ruff
	$(BIN)/ruff check src tests benchmarks

format: $(DEV) ## Format code with ruff
	$(BIN)/ruff format src tests benchmarks

evaluate: $(RUN) ## Print precision and recall of every table against tests/gold/
	$(BIN)/python -m linkage evaluate

benchmark: $(DEV) ## Time builds of synthetic corpora (see benchmarks/README.md)
	$(BIN)/python benchmarks/run.py

clean: ## Remove built tables, reports and caches (never data/raw)
	rm -rf data/processed data/builds reports .cache .pytest_cache .ruff_cache
