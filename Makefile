# CRM suite: `make run` starts everything on embedded infrastructure; `make test` proves it.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PYTEST := $(UV) run --frozen pytest
SERVICES := $(notdir $(wildcard services/*))
SERVICE_SRC := $(addprefix services/,$(addsuffix /src,$(SERVICES)))
space := $(subst ,, )
# mypy resolves imports between a service's own modules (and the platform's) only along MYPYPATH
MYPYPATH := $(subst $(space),:,shared/src $(SERVICE_SRC))

.PHONY: install run test chaos lint compose compose-check web bench backup restore clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools && .tools/bin/pip install --quiet uv

# bytecode compiled once at install: services start in half the CPU time (a restart after a crash
# included), also where PYTHONDONTWRITEBYTECODE keeps Python from caching it itself
install: $(UV)
	$(UV) sync --frozen --all-packages --compile-bytecode
	@$(UV) run --frozen python -m compileall -q shared/src $(SERVICE_SRC)
	@if [ ! -d gateway/node_modules ]; then cd gateway && npm ci --no-audit --no-fund; fi
	@# install, not ci: an optional Windows-only dependency of Vite is missing from the registry, and `npm ci`
	@# refuses a lockfile without it; install follows the lockfile and skips the optional package
	@if [ ! -d web/node_modules ]; then cd web && npm install --no-audit --no-fund; fi

run: install  ## the whole suite on embedded PostgreSQL and broker, with demo data
	$(UV) run --frozen python -m crm_shared.devstack.run

backup: install  ## dump every service database of `make run` into .data/backups/<UTC time> (or BACKUP=<folder>)
	$(UV) run --frozen python -m crm_shared.devstack.backup backup $(if $(BACKUP),--into $(BACKUP))

restore: install  ## make restore BACKUP=<folder> [SERVICE=<name>] [FORCE=1]: restore, migrate, reconcile
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<folder> [SERVICE=<name>] [FORCE=1]" >&2; exit 2; }
	$(UV) run --frozen python -m crm_shared.devstack.backup restore $(BACKUP) $(if $(SERVICE),--service $(SERVICE)) $(if $(FORCE),--force)

compose: install  ## regenerate gateway/supergraph.graphql from the services' code
	$(UV) run --frozen python -m crm_shared.graphql.export
	node gateway/compose.mjs

compose-check: install
	$(UV) run --frozen python -m crm_shared.graphql.export --check
	node gateway/compose.mjs --check

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	MYPYPATH=$(MYPYPATH) $(UV) run --frozen mypy shared/src $(SERVICE_SRC)

# each suite starts its own PostgreSQL and broker on free ports, so suites run side by side
SUITES := shared/tests $(addsuffix /tests,$(addprefix services/,$(SERVICES))) tests/contract tests/browser
TEST_JOBS ?= 3

web: install  ## build the web console: typed operations from gateway/schema.graphql, type check, vite build
	cd web && npm run build

test: lint compose-check web  ## lint, composition, console build, unit, integration, contract, end-to-end and browser tests
	@$(MAKE) --no-print-directory --output-sync=target -j$(TEST_JOBS) $(addprefix suite/,$(SUITES))

# each suite gets its own temporary folder: pytest's shared one prunes folders of runs still going
suite/%:
	@tmp=$$(mktemp -d /tmp/crm-tests.XXXXXX); $(PYTEST) $* --basetemp=$$tmp; status=$$?; rm -rf $$tmp; exit $$status

chaos: install  ## faults under load on a private stack: recovery time, events lost, effects applied twice
	@tmp=$$(mktemp -d /tmp/crm-chaos.XXXXXX); $(PYTEST) tests/chaos --basetemp=$$tmp -p no:cacheprovider; status=$$?; rm -rf $$tmp; exit $$status

bench: install  ## print throughput and latency figures
	$(UV) run --frozen python -m bench $(ARGS)

clean:
	rm -rf .data .tools gateway/node_modules web/node_modules web/dist
