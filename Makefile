# Vanguard: `make run` serves the platform, `make test` runs the tests.
SHELL := /bin/bash
# The interpreter the virtualenv is made from: the distribution's own when it is 3.11 or
# later with venv (Debian's is optimized with profiles and at link time, and linked
# statically: about a tenth less CPU a request than a plain build from source; see
# docs/deploy.md, "The Python interpreter"), else the first python3 on the PATH.
PYTHON ?= $(shell for p in /usr/bin/python3 python3; do \
	$$p -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
VANGUARD := $(BIN)/vanguard
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := src/vanguard/static/vendor
PO := $(wildcard src/vanguard/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test lint bench bench-load bench-topology setup messages clean-vendor prerequisites

setup: prerequisites $(VENV)/.installed $(VENDOR)/.installed $(MO) var/secret_key var/.fonts

# What the setup needs from the machine (see README.md), checked first so a missing
# tool is named instead of failing halfway.
prerequisites:
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { echo "Python 3.11 or later with its venv module is needed (apt-get install python3.11-venv), or PYTHON=/path/to/python3.11"; exit 1; }
	@command -v npm >/dev/null || { echo "Node.js and npm are needed (apt-get install nodejs npm)"; exit 1; }
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed (apt-get install gettext)"; exit 1; }

$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
		|| $(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed scripts/vendor.sh
	bash scripts/vendor.sh node_modules $(VENDOR)
	touch $@

%.mo: %.po
	msgfmt --check-format -o $@ $<

var/.fonts: scripts/fonts.sh
	mkdir -p var
	bash scripts/fonts.sh
	touch $@

var/secret_key:
	mkdir -p var
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

messages: $(VENV)/.installed
	cd src/vanguard && ../../$(VANGUARD) makemessages -l zh_Hans --no-obsolete

run: setup
	SECRET_KEY_FILE=var/secret_key bash scripts/run.sh $(HOST) $(PORT)

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/lint-imports --no-cache
	SECRET_KEY=lint $(VANGUARD) makemigrations --check --dry-run

bench: setup
	SECRET_KEY_FILE=var/secret_key $(BIN)/python bench/run.py

# The dekad deadline's load (docs/benchmarks.md): a demo server of its own on SQLite, or
# on the empty PostgreSQL database DATABASE_URL names; URL=http://127.0.0.1:8000 loads a
# server already running on this machine instead. LOAD_ARGS=--quick for a short run.
bench-load: setup
	SECRET_KEY_FILE=var/secret_key $(BIN)/python bench/load.py $(if $(URL),--url $(URL)) $(LOAD_ARGS)

# The deployment of docs/deploy.md on this machine (nginx, two web processes, two job
# workers, PostgreSQL, Redis) under the deadline load, one web process and one worker
# killed mid-run. Installs Debian's nginx when it is missing (as root).
TOPOLOGY_DB ?= postgres://postgres@127.0.0.1:5432/vanguard_topology
TOPOLOGY_REDIS ?= redis://127.0.0.1:6379/11
TOPOLOGY_QUEUE ?= redis://127.0.0.1:6379/12
bench-topology: setup
	command -v nginx >/dev/null || (apt-get install -y -qq --no-install-recommends nginx-light)
	dropdb -h 127.0.0.1 -U postgres --if-exists vanguard_topology
	createdb -h 127.0.0.1 -U postgres vanguard_topology
	DATABASE_URL=$(TOPOLOGY_DB) DB_POOL_SIZE=2 REDIS_URL=$(TOPOLOGY_REDIS) \
		QUEUE_URL=$(TOPOLOGY_QUEUE) SECRET_KEY_FILE=var/secret_key \
		$(BIN)/python bench/topology.py $(TOPOLOGY_ARGS)
