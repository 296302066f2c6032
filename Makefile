# The two set-up commands of README.md. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install catalogues

demo: install
	$(BIN)/ssa demo $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

# After editing a .po file: compile the gettext catalogues (the .mo files are committed).
catalogues: install
	$(BIN)/pybabel -q compile --domain backend --directory backend/translations
	$(BIN)/pybabel -q compile --domain console --directory backend/console/translations
	$(BIN)/pybabel -q compile --domain app --directory mobile_app/i18n/translations

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[app,tests,postgres,redis]'
	touch $@
