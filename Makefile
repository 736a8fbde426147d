# Technical Assistance Tracker — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install assets migrate demo lint ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the pinned dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed assets

# USWDS from npm (pinned in package-lock.json), copied into the git-ignored static_build/.
static_build/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static_build/uswds
	mkdir -p static_build/uswds
	cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/js \
	      node_modules/@uswds/uswds/dist/fonts node_modules/@uswds/uswds/dist/img static_build/uswds/
	touch $@

assets: static_build/.stamp

migrate: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_reference_data

demo: migrate
	DEBUG=true $(BIN)/python manage.py seed_demo

run: demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# Two worker processes on the 2-core machines (pytest-xdist; each has its own test database and
# live server); a test file stays on one worker. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r . -q

clean:
	rm -rf $(VENV) node_modules static_build var/staticfiles
