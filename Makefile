# Werkkloket — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

PYPROJECTS := pyproject.toml contracts/pyproject.toml deploy/pyproject.toml $(wildcard services/*/pyproject.toml)
KAFKA_JARS := deploy/kafka/libs/.complete

.PHONY: install chromium demo up down status test unit lint schemas clean bench faults compose-secrets

install: $(VENV)/.synced $(KAFKA_JARS)

# Debian's Chromium and ChromeDriver for the dashboard's browser test; installed when missing and running as root.
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
		else \
			echo "chromium and chromium-driver are missing: sudo apt-get install chromium chromium-driver"; exit 1; \
		fi; \
	fi

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock $(PYPROJECTS)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	$(BIN)/python -m compileall -q -j 0 contracts services deploy examples tests >/dev/null
	touch $@

# Apache Kafka (broker and tools) from Maven Central, run later with the machine's Java.
$(KAFKA_JARS): deploy/kafka/pom.xml
	rm -rf deploy/kafka/libs
	mvn --batch-mode --quiet -f deploy/kafka/pom.xml dependency:copy-dependencies
	touch $@

up: install
	$(BIN)/werkkloket up

down:
	$(BIN)/werkkloket down

status:
	$(BIN)/werkkloket status

# Starts Kafka, PostgreSQL and the four services (unless already running), then drives the demo scenarios:
# Haaglanden (the funnel), toewijzing (screening, assignments and explained matches in Rotterdam), then
# rijnmond (werk naar werk: a port employer's surplus to IT and logistics shortages).
demo: install
	@$(BIN)/werkkloket status >/dev/null 2>&1 || $(BIN)/werkkloket up
	$(BIN)/werkkloket demo --scenario haaglanden
	$(BIN)/werkkloket demo --scenario toewijzing
	$(BIN)/werkkloket demo --scenario rijnmond
	$(BIN)/werkkloket demo --scenario verwijdering
	@echo "The stack keeps running: 'make status', 'make down'. Log in: .run/keycloak/identities/people.json; tokens: .venv/bin/werkkloket token ORG"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy contracts/werkkloket_contracts services deploy/werkkloket_deploy
	MYPYPATH=examples/mobiliteitsteam $(BIN)/mypy -p mobiliteitsteam

# Regenerate the committed JSON Schemas of the events, the AsyncAPI document of each service and the Strimzi
# manifests of the bus (deploy/strimzi: topics, users and ACLs from contracts/).
schemas: install
	$(BIN)/werkkloket schemas write
	$(BIN)/werkkloket asyncapi write
	$(BIN)/werkkloket strimzi write

# The secrets of the docker-compose stack: deploy/compose/.env (mode 600) and deploy/compose/secrets/, made once
# (kept when present). Then: docker compose --env-file deploy/compose/.env up --build
compose-secrets: install
	$(BIN)/werkkloket compose secrets

unit: install
	$(BIN)/pytest -m "not integration" -q

test: install chromium lint
	$(BIN)/werkkloket schemas check
	WERKKLOKET_ELKE_OPERATIE_BEANTWOORD=1 $(BIN)/pytest -q -ra

# The full fault tests: 5,000 aanmeldingen through crashes and restarts, 1,000 malformed messages, API fuzzing.
faults: install
	WERKKLOKET_FAULT_AANMELDINGEN=5000 WERKKLOKET_FAULT_MALFORMED=1000 WERKKLOKET_FUZZ_EXAMPLES=200 \
		$(BIN)/pytest -q -ra tests/faults

# Figures, not pass/fail: Kafka's own tools, replay, one service, end to end. Kept in bench/results.json.
bench: install
	$(BIN)/python -m werkkloket_deploy.bench

clean:
	-$(BIN)/werkkloket down --purge
	rm -rf .run $(VENV) .tools deploy/kafka/libs
