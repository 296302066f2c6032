# The two set-up commands of README.md. Each installs what it needs first,
# pinned by constraints.txt so every machine runs the same versions.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PIP = $(BIN)/pip install --quiet --constraint constraints.txt
# Every extra, for the suite and for `make lock`.
ALL_EXTRAS = app,tests,postgres,redis,production,lint

.PHONY: demo test lint lock catalogues

demo: $(VENV)/.installed-demo
	$(BIN)/ssa demo $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# One pytest worker per core (pytest-xdist): each has its own throwaway database
# and task queue, and runs whole files (tests/conftest.py groups them).
# TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-all
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Lint and types, run by .ci/run before the tests.
lint: $(VENV)/.installed-all
	$(BIN)/ruff check .
	$(BIN)/mypy

# After editing a .po file: compile the gettext catalogues (the .mo files are committed).
catalogues: $(VENV)/.installed-all
	$(BIN)/pybabel -q compile --domain backend --directory backend/translations
	$(BIN)/pybabel -q compile --domain console --directory backend/console/translations
	$(BIN)/pybabel -q compile --domain app --directory mobile_app/i18n/translations

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

# The demo needs the service and the phone simulator, not the test tools.
$(VENV)/.installed-demo: $(VENV)/bin/python setup.cfg pyproject.toml constraints.txt
	$(PIP) -e '.[app]'
	touch $@

$(VENV)/.installed-all: $(VENV)/bin/python setup.cfg pyproject.toml constraints.txt
	$(PIP) -e '.[$(ALL_EXTRAS)]'
	touch $@ $(VENV)/.installed-demo

# Re-pin constraints.txt to the newest versions setup.cfg allows, in a
# throwaway virtual environment; commit the result.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --upgrade pip
	build/lock-venv/bin/pip install --quiet '.[$(ALL_EXTRAS)]'
	{ echo "# Pinned by 'make lock' from setup.cfg's ranges; make installs with these."; \
	  build/lock-venv/bin/pip freeze --exclude-editable | grep -v '^ssa-service'; } > constraints.txt
	rm -rf build/lock-venv
