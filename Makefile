# The two commands a user needs: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test setup setup-test system-packages es-test-server scale-packages scale-check bench bench-scale clean

run: setup                    ## one monitoring cycle over the bundled demo site, indexed into SQLite
	$(BIN)/waspada run --demo

test: setup-test es-test-server  ## the whole suite, the real Elasticsearch tests included
	$(BIN)/python -m pytest -q

setup: $(VENV)/.setup-run
$(VENV)/.setup-run: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip setuptools wheel
	$(PIP) -e .
	touch $@

# Tests also need the training extra (the training smoke test), Airflow (real dag.test() runs),
# the dev tools, and Debian's docker-compose v1, which validates docker-compose.yml offline.
setup-test: $(VENV)/.setup-test system-packages
$(VENV)/.setup-test: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip setuptools wheel
	$(PIP) -e '.[dev,train,airflow]'
	touch $(VENV)/.setup-run $@

system-packages:
	@command -v docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq docker-compose; }
	@# The web app's browser tests drive Debian's chromium through Playwright (no `playwright install`).
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

es-test-server:               ## fetch and unpack the Elasticsearch test server (idempotent)
	bash scripts/es-test-server.sh

# The scale check (docs/operations.md, "Scale check") runs the production topology on 127.0.0.1:
# a 3-node Elasticsearch cluster, Redis and PostgreSQL. Redis comes from Debian; PostgreSQL's
# server binaries (initdb, pg_ctl, postgres) must already be on PATH.
scale-packages:
	@command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq postgresql; }

# SCALE_PYTHON: an interpreter with the `airflow` and `scale` extras (Celery provider, psycopg2, asyncpg);
# SCALE_ARGS: more options for scale.check (`--airflow`: also Airflow and two Celery workers).
SCALE_POSTS  ?= 20000
SCALE_PYTHON ?= $(BIN)/python
SCALE_ARGS   ?=
scale-check: setup-test es-test-server scale-packages  ## start, load, break and verify the scaled-out stack
	nice -n 19 $(SCALE_PYTHON) -m scale.check --posts $(SCALE_POSTS) $(SCALE_ARGS)

bench-scale: setup-test es-test-server scale-packages
	nice -n 19 $(SCALE_PYTHON) bench/bench_scale.py

bench: setup-test es-test-server
	$(BIN)/python bench/bench_models.py
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_claims.py
	$(BIN)/python bench/bench_defacement_drift.py

clean:                        ## remove the demo's data (spool, evidence, index); keeps the venv
	rm -rf var
