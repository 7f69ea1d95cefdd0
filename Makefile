# Contributor commands. `make lab` and `make test` each do all the set-up they need.
PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: setup lab test test-js test-py lint browser-deps bench wheel export screenshots clean

setup:  ## the package in editable mode (this builds the JS) plus test tools
	$(PIP) install -q -e ".[test]"
	npm ci --no-audit --no-fund

lab: setup  ## open the tour in JupyterLab
	$(PYTHON) -m jupyter lab notebooks/tour.ipynb

browser-deps:  ## Debian's Chromium for the browser tests (Playwright's own download is not used)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; \
	  fi; }

lint:
	$(PYTHON) -m ruff check micrograd_widgets tests bench scripts
	npm run typecheck

test-js:
	npm test

test-py:
	$(PYTHON) -m pytest

test: setup browser-deps lint test-js test-py  ## everything: lint, JS unit tests, Python + browser tests

bench:  ## prints speed figures and ratios against micrograd 0.1.0
	for script in bench/bench_*.py; do $(PYTHON) $$script || exit 1; done

wheel:
	$(PYTHON) -m build --wheel

clean:
	rm -rf node_modules micrograd_widgets/static dist build *.egg-info

export: setup  ## the tour's widgets as one offline HTML page: export/tour.html
	$(PYTHON) scripts/export_notebook.py notebooks/tour.ipynb export/tour.html

screenshots: setup browser-deps  ## re-take the README's pictures (docs/img/) with the browser tests
	$(PYTHON) -m pytest tests/browser -q
	$(PYTHON) scripts/readme_screenshots.py
