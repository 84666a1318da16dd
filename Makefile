# Two commands: `make run` (set up + serve the demo) and `make test` (set up + run every test).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel processes (pytest-xdist), one per core up to four; TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: setup run serve test test-fast lint format bench-list clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "服务地址：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# Production-style serving: gunicorn (workers from the core count) + whitenoise static files, the background
# worker and the daily scheduler, against DATABASE_URL (PostgreSQL in production; see docs/deploy.md).
serve: setup
	$(BIN)/python manage.py migrate --noinput
	XINFANG_STATIC_MANIFEST=1 $(BIN)/python manage.py collectstatic --noinput -v 0
	XINFANG_STATIC_MANIFEST=1 HOST=$(HOST) PORT=$(PORT) \
	  WEB_CONCURRENCY=$${WEB_CONCURRENCY:-$$(( $$($(PY) -c 'import os; print(os.cpu_count() or 1)') * 2 + 1 ))} \
	  $(BIN)/honcho start -f Procfile

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# While iterating: everything but model training, worker processes and the browser (make test runs all).
test-fast: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow and not browser" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-list: setup
	$(BIN)/python bench/list_cases.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
