# Two commands from a fresh clone: `make run` and `make test`. Everything else is built on demand.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install index lint eval bench bench-load bench-workers bench-reindex browser clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	# torch first, pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(STAMP)

index: install
	$(BIN)/assistant index

run: index
	$(BIN)/python app.py

browser:
	bash tests/ui/setup_browser.sh

test: index browser lint
	bash tests/run.sh

lint: install
	$(BIN)/ruff check assistant tests eval bench app.py
	$(BIN)/mypy --strict --follow-imports=silent assistant

eval: index
	$(BIN)/python -m eval.run

bench: index
	$(BIN)/python -m bench.search

bench-load: index
	$(BIN)/python -m bench.load

bench-workers: index
	$(BIN)/python -m bench.load --compare-workers 1,2 --requests 300

bench-reindex: index
	$(BIN)/python -m bench.reindex

clean:
	rm -rf .data
