# Two commands on a fresh machine (Python 3.11 and pip):
#   make demo   set everything up and run `sayso extract` on the built-in example article
#   make test   run the whole test suite (what .ci/run runs)
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "sayso needs Python 3.11, got " + sys.version' 
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,encoder]'
	$(BIN)/pip install -q --no-deps $$($(BIN)/python -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["sayso"]["no-deps"]))')
	touch $@

demo: setup
	$(BIN)/sayso extract src/sayso/examples/wire_story.txt

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python bench/polnear.py --data ../shared/polnear/dev

clean:
	rm -rf $(VENV) build *.egg-info test-output
