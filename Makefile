# The two set-up commands of README.md. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install

demo: install
	$(BIN)/ssa demo $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[app,tests,postgres,redis]'
	touch $@
