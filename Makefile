# Study Buddy. `make run` and `make test` work on a fresh machine: the first call
# creates .venv and installs everything; later calls reuse it.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench eval lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@# torch first, pinned: this exact CPU build is on the machine; anything else pulls CUDA.
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/studybuddy ingest
	$(VENV)/bin/studybuddy run

test: lint
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m bench

eval: $(STAMP)
	$(VENV)/bin/studybuddy eval

lint: $(STAMP)
	$(VENV)/bin/ruff check bot knowledge adapters tests bench

clean:
	rm -rf $(VENV) data .pytest_cache
