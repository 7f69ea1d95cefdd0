# Contributor commands. `make lab` and `make test` each do all the set-up they need.
PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: setup lab test test-js test-py test-pythons lint browser-deps test-deps bench wheel export screenshots clean

setup:  ## the JS built, then the package in editable mode plus test tools (pip needs no npm)
	npm ci --no-audit --no-fund
	npm run build
	$(PIP) install -q -e ".[test]"

lab: setup  ## open the tour in JupyterLab on 127.0.0.1 (as root too): scripts/lab.sh
	PYTHON=$(PYTHON) bash scripts/lab.sh

browser-deps:  ## Debian's Chromium for the browser tests (Playwright's own download is not used)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; \
	  fi; }

test-deps:  ## Debian's graphviz: `dot` is the reference the layout quality tests measure against
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	  else \
	    echo "Graphviz is missing: run 'sudo apt-get install graphviz' (layout quality tests need dot)"; exit 1; \
	  fi; }

lint:
	$(PYTHON) -m ruff check micrograd_widgets tests bench scripts
	npm run typecheck

test-js:
	npm test

test-py:
	$(PYTHON) -m pytest

# The oldest and newest Python pyproject.toml claims (>=3.10), found in ~/.pyenv/versions or on
# PATH; each gets a venv with the dependencies, and runs the tests that need no browser or torch.
OTHER_PYTHONS ?= 3.10 3.13
test-pythons:  ## the non-browser tests on Python $(OTHER_PYTHONS) too
	$(PYTHON) scripts/test_pythons.py $(OTHER_PYTHONS)

test: setup browser-deps test-deps lint test-js test-py test-pythons  ## everything: lint, JS unit tests, Python + browser tests, other Pythons

bench:  ## prints speed figures and ratios against micrograd 0.1.0
	for script in bench/bench_*.py; do $(PYTHON) $$script || exit 1; done

wheel:  ## dist/*.whl with freshly built JS (the build itself skips npm when static/ is there)
	npm run build
	$(PYTHON) -m build --wheel

clean:
	rm -rf node_modules micrograd_widgets/static dist build *.egg-info

export: setup  ## the tour's widgets as one offline HTML page: export/tour.html
	$(PYTHON) scripts/export_notebook.py notebooks/tour.ipynb export/tour.html

screenshots: setup browser-deps  ## re-take the README's pictures (docs/img/) with the browser tests
	$(PYTHON) -m pytest tests/browser -q
	$(PYTHON) scripts/readme_screenshots.py
