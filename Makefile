# The two commands of the README: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint typecheck pytest chaos bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: set up, migrate an SQLite file under ./var, load demo data, serve on 127.0.0.1:8000
## (a system secret made once in var/system-secret unless BOXOFFICE_SYSTEM_SECRET is set: the demo's agent,
## marketplaces and partner keys derive from it)
run: install
	@mkdir -p var && test -s var/system-secret || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))' > var/system-secret
	$(BIN)/boxoffice db upgrade
	BOXOFFICE_SYSTEM_SECRET="$${BOXOFFICE_SYSTEM_SECRET:-$$(cat var/system-secret)}" $(BIN)/boxoffice demo
	BOXOFFICE_SYSTEM_SECRET="$${BOXOFFICE_SYSTEM_SECRET:-$$(cat var/system-secret)}" $(BIN)/boxoffice serve --host 127.0.0.1 --port 8000

## test: ruff, mypy and the whole suite (SQLite and PostgreSQL)
test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 -p no:cacheprovider --ignore=tests/chaos

## chaos: SIGKILL the server mid on-sale, restart PostgreSQL under load (restarts the local cluster; see docs/fault-tolerance.md)
chaos: install
	BOXOFFICE_CHAOS=1 $(BIN)/pytest tests/chaos -p no:cacheprovider -v -rP

## bench: the benchmarks of docs/performance.md (PostgreSQL at BOXOFFICE_BENCH_POSTGRES_URL; ~8 minutes)
bench: install
	$(BIN)/python benchmarks/best_available.py
	$(BIN)/python benchmarks/best_available_service.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/onsale.py
	$(BIN)/python benchmarks/onsale.py --sqlite --clients 8
	$(BIN)/python benchmarks/http_floor.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
