# The two commands a user needs: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test setup setup-test system-packages es-test-server bench clean

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

bench: setup-test es-test-server
	$(BIN)/python bench/bench_models.py
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_claims.py
	$(BIN)/python bench/bench_defacement_drift.py

clean:                        ## remove the demo's data (spool, evidence, index); keeps the venv
	rm -rf var
