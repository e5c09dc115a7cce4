PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= $(CURDIR)/demo.db

.PHONY: install demo test fuzz bench assets clean

FUZZ_RUNS ?= 200000

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/python -m marsad.demo --db $(DB)

test: install
	$(BIN)/python -m pytest -q

fuzz: install
	$(BIN)/python fuzz/fuzz_analyze.py -runs=$(FUZZ_RUNS) -max_len=65536

bench: install
	$(BIN)/python bench/bench_pipeline.py --limit 1000 --jobs 2

# Front-end libraries from npm, copied into the package (the copies are committed; installs need no npm).
assets:
	cd web && npm ci && npm run build

clean:
	rm -rf $(VENV) build *.egg-info demo.db
