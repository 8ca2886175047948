# Developer and CI entry points; `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
DOSSIER := $(VENV)/bin/dossier
PYTEST_ARGS ?=

.PHONY: help setup demo test lint services-up services-down clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Install Debian packages, the venv and the Elasticsearch distribution (idempotent)
	@bash .ci/setup.sh

demo: setup ## Start the services and run the end-to-end demo
	$(DOSSIER) services up
	$(DOSSIER) demo

test: setup ## Run the test suite (starts Elasticsearch if needed); no tests collected = failure
	@rc=0; $(PYTHON) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

lint: setup ## ruff check, ruff format --check and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

services-up: setup ## Start the local Elasticsearch node and Prefect server
	$(DOSSIER) services up

services-down: ## Stop the services this checkout started
	@if [ -x $(DOSSIER) ]; then $(DOSSIER) services down; else echo "no $(DOSSIER): nothing to stop"; fi

clean: services-down ## Remove var/ (local state, including the node's data); keeps .cache/
	@target="$$(readlink -f var/elasticsearch 2>/dev/null || true)"; \
	case "$$target" in /var/lib/dossier-es/*) echo "removing $$target"; rm -rf "$$target";; esac
	rm -rf var/

.PHONY: bench
bench: setup ## OCR vs raw tesseract (vs OCRmyPDF if installed), then ingest with 1 vs 2 workers
	OMP_THREAD_LIMIT=1 $(PYTHON) bench/ocr_bench.py --files 12 --runs 3
	OMP_THREAD_LIMIT=1 $(PYTHON) bench/worker_bench.py --files 8 --chunks 4 --runs 1

.PHONY: bench-search
bench-search: setup ## Search benchmark: 100k synthetic records, bulk rate, latency, name accuracy
	$(PYTHON) bench/search_bench.py --records $${RECORDS:-100000} --people $${PEOPLE:-1000}

.PHONY: test-web serve
test-web: setup ## Web app, API and headless-Chromium tests (screenshots in test-artifacts/web/)
	$(PYTHON) -m pytest tests/test_web_*.py $(PYTEST_ARGS)

serve: setup ## Run the officers' web app on 127.0.0.1:8000 (needs DOSSIER_WEB_SECRET or DOSSIER_WEB_DEV=1)
	$(DOSSIER) serve

.PHONY: bench-workers
bench-workers: setup ## Ingest throughput with 1 vs 2 Prefect workers on one process work pool
	OMP_THREAD_LIMIT=1 $(PYTHON) bench/worker_bench.py --files $${FILES:-16} --chunks $${CHUNKS:-4} --runs $${RUNS:-3}

.PHONY: soak
soak: setup ## Soak: 500 pages (DOSSIER_SOAK_PAGES) ingested under 10 searching threads; long query fuzzing
	DOSSIER_SOAK_PAGES=$${DOSSIER_SOAK_PAGES:-500} $(PYTHON) -m pytest -m soak $(PYTEST_ARGS)
	DOSSIER_FUZZ_EXAMPLES=$${DOSSIER_FUZZ_EXAMPLES:-2000} $(PYTHON) -m pytest tests/test_fuzz_queries.py $(PYTEST_ARGS)

.PHONY: bench-pdf
bench-pdf: setup ## Born-digital PDF pages/s (200 pages) and peak memory on a 100-page scanned PDF
	OMP_THREAD_LIMIT=1 $(PYTHON) bench/pdf_bench.py

.PHONY: audit-postcorrect
audit-postcorrect: setup ## Words post-correction changes in real Vietnamese (the system's translations)
	$(PYTHON) bench/postcorrect_audit.py

.PHONY: bench-web
bench-web: setup ## Web app at 100k records: search page in headless Chromium, 20-client load test
	$(PYTHON) bench/web_bench.py --records $${RECORDS:-100000} --clients $${CLIENTS:-20} --seconds $${DURATION:-30}
