# Mutualis — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make serve: production settings unless DJANGO_SETTINGS_MODULE comes from the environment.
SERVE_SETTINGS := $(if $(filter environment command line,$(origin DJANGO_SETTINGS_MODULE)),$(DJANGO_SETTINGS_MODULE),mutualis.config.settings.base)
export DJANGO_SETTINGS_MODULE ?= mutualis.config.settings.dev
# make test: the suite in parallel (pytest-xdist), one process per core; TEST_WORKERS=0 runs it
# in a single process. Each worker builds its own test database (gw0, gw1... suffixes).
export TEST_WORKERS ?= 2

.PHONY: help demo serve test fuzz bench lint format install chromium mosquitto messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

OIDC_PROVIDER := tools/oidc-provider
OIDC_STAMP := $(OIDC_PROVIDER)/node_modules/.package-lock.json

# The OpenID provider of the ProConnect tests (npm oidc-provider, pinned by package-lock.json).
$(OIDC_STAMP): $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm absent : les tests de bout en bout de ProConnect seront sautés."; fi

install: $(STAMP) $(OIDC_STAMP) ## Create the virtualenv and install Mutualis with its dev tools (and the test OpenID provider, with npm)

chromium: ## Install Debian's Chromium for the accessibility tests (when root and missing)
	@bash scripts/ensure-chromium

mosquitto: ## Start the MQTT broker of the ingestion tests (installs Debian's mosquitto when root and missing)
	@bash scripts/ensure-mosquitto

demo: export DJANGO_SETTINGS_MODULE = mutualis.config.settings.demo
demo: export BROKER_REACHABLE = import os, socket; socket.create_connection((os.environ.get("IOT_MQTT_HOST", "127.0.0.1"), int(os.environ.get("IOT_MQTT_PORT", "1883"))), 2).close()
demo: install ## Install, load the demo operator (Gironde) and serve it (DEBUG off) on http://$(HOST):$(PORT)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/mutualis demo load --address http://$(HOST):$(PORT)
	$(BIN)/python manage.py db_worker --queue-name '*' --no-reload & pids=$$!; \
	  $(BIN)/mutualis schedule run --loop & pids="$$pids $$!"; \
	  if $(BIN)/python -c "$$BROKER_REACHABLE" 2>/dev/null; then \
	    echo "Broker MQTT joignable : travailleur d'ingestion et simulateur des capteurs lancés."; \
	    $(BIN)/mutualis iot ingest --client-id mutualis-demo-ingest & pids="$$pids $$!"; \
	    $(BIN)/mutualis iot simulate --rate 10 & pids="$$pids $$!"; \
	  else \
	    echo "Pas de broker MQTT joignable : la démonstration tourne sans remontées en direct (make mosquitto en lance un)."; \
	  fi; \
	  trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

serve: export DJANGO_SETTINGS_MODULE = $(SERVE_SETTINGS)
serve: install ## Production server: collectstatic, then gunicorn on $(HOST):$(PORT) (WEB_CONCURRENCY workers, default 2×cores+1)
	$(BIN)/python manage.py collectstatic --noinput -v 0
	BIND=$(HOST):$(PORT) $(BIN)/gunicorn mutualis.config.wsgi -c python:mutualis.config.gunicorn

test: install chromium mosquitto ## Run the whole test suite (SQLite, then PostgreSQL when reachable)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	DJANGO_SETTINGS_MODULE=mutualis.config.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile
	bash scripts/test-postgres

fuzz: install ## Run the property tests with 20 times more examples (Hypothesis fuzz profile)
	DJANGO_SETTINGS_MODULE=mutualis.config.settings.test $(BIN)/pytest -m hypothesis \
	  --hypothesis-profile=fuzz --hypothesis-show-statistics

bench: install ## Run the benchmarks (ratios against baselines measured in the same run)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

lint: install ## ruff check, ruff format --check, mypy on the pure modules
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Update the French translation catalogue
	$(BIN)/python manage.py makemessages -l fr --ignore '.venv' --ignore 'bench' --ignore 'docs'

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
