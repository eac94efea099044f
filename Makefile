# Two commands matter: `make site` builds the site, `make test` runs every check.
# Each creates .venv/ with the pinned dependencies when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: site serve test test-fast lint validate lock clean chromium bench lighthouse

# requirements-dev.lock pins every package make test needs, the runtime set included, each with
# its hashes; the package itself is then installed in place, built by the pinned setuptools.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5) and "factsheet needs Python 3.11.5 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements-dev.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

site: $(STAMP)
	$(BIN)/factsheet build

serve: $(STAMP)
	$(BIN)/factsheet serve

validate: $(STAMP)
	$(BIN)/factsheet validate

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

test: lint chromium
	$(BIN)/pytest
	$(BIN)/factsheet build
	$(BIN)/factsheet check-links

# While editing: the lint and every test but the slow ones (site builds, browsers, the wheel).
# One file or one test: .venv/bin/pytest tests/test_exports.py::test_name
test-fast: lint
	$(BIN)/pytest -m 'not slow'

# The browser tests drive Debian's Chromium (Playwright's own browser download needs network
# access that CI does not have), or the browser named by FACTSHEET_CHROMIUM. Chromium is
# installed with apt-get when missing; that needs root.
chromium:
	@if [ -n "$$FACTSHEET_CHROMIUM" ]; then test -x "$$FACTSHEET_CHROMIUM"; \
	elif ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# Benchmarks on synthetic corpora of 10, 100 and 1,000 articles (about 15 minutes);
# `make bench SIZES=10,100` for a quick run. Results of a reference run: bench/RESULTS.md.
SIZES ?= 10,100,1000
bench: $(STAMP) chromium
	$(BIN)/python -m bench.run --sizes $(SIZES)

# Lighthouse 12 (mobile) on each kind of page of the built site, served as GitHub Pages
# serves it; installs lighthouse from npm into .lighthouse/ the first time (needs Node 18+).
lighthouse: site chromium
	$(BIN)/python -m bench.lighthouse site --min 95

# Re-pin after changing the dependencies in pyproject.toml: requirements-dev.lock (everything,
# for make test) and requirements.lock (the runtime set, at the same versions), with the hashes
# of every platform's files. Other pins stay as they are; `make lock LOCK_FLAGS=--upgrade` moves
# them to the newest releases pyproject.toml allows. The lowest Python resolved for is 3.11.5,
# which pymdown-extensions needs.
LOCK_FLAGS ?=
COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11.5 \
	--generate-hashes --custom-compile-command 'make lock' --quiet $(LOCK_FLAGS)
lock: $(STAMP)
	$(COMPILE) --extra dev -o requirements-dev.lock
	$(COMPILE) -c requirements-dev.lock -o requirements.lock

clean:
	rm -rf site docs/sheets .site.building .site.old test-artifacts

# Each stage on the worst inputs of 1 MiB a contributor can send (bench/worst_inputs.py), in
# CPU seconds per MiB; fails if a stage takes over 5 s per MiB. `make bench-worst WORST_KIB=64`
# for a quick run.
.PHONY: bench-worst
WORST_KIB ?= 1024
bench-worst: $(STAMP)
	$(BIN)/python -m bench.worst_inputs --size $(WORST_KIB)
