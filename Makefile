# Two commands: `make run` (the bot; a local playground when BOT_TOKEN is unset) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
# The suite mostly waits on sockets and timers, so more workers than cores pays off.
TEST_WORKERS ?= 4

.PHONY: run test lint format bench fonts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(STAMP)

# Korean glyphs in certificate PDFs and charts need a Korean font (Debian: fonts-nanum).
fonts:
	@fc-list 2>/dev/null | grep -qi nanum || \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	    apt-get install -y -q fonts-nanum >/dev/null 2>&1; } || \
	  echo "note: install a Korean font (fonts-nanum) for certificate PDFs and charts"

run: $(STAMP) fonts
	$(PY) -m bot db upgrade
	$(PY) -m bot run

test: $(STAMP) fonts
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP) fonts
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
