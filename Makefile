# Two commands do all the set-up on a fresh machine: `make run` and `make test` (README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# make test runs against the local Postgres and Redis; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install install-dev browser lint typecheck pytest screenshots messages makemessages lock check-deploy bench mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# Compiles locale/*/LC_MESSAGES/django.po with Babel, so GNU gettext is not needed to run.
messages: $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory locale --statistics

# Re-extract the strings after changing templates or code (needs GNU gettext: apt-get install gettext).
makemessages: $(VENV)/.installed
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --locale de --no-obsolete --add-location file --ignore '.venv/*' --ignore 'var/*'

run: install
	PORT=$(PORT) bash scripts/run.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy .

# The browser journeys drive Debian's Chromium (Playwright cannot download a browser here).
# Installing it needs root and Debian's mirror; without it the journeys are skipped locally and
# fail under CI=true, so a CI run never passes without them.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
		|| { apt-get update >/dev/null 2>&1 \
		     && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }; } \
		|| echo "could not install chromium: the browser journeys will not run"

# axe-core for the browser journeys' accessibility checks (package.json, pinned by its lock file).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the accessibility checks need Node"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

pytest: install-dev browser node_modules/.installed
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		CHROMIUM_PATH=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The README's screenshots (docs/screenshots/) and the design system's (docs/design/), taken by
# the browser journeys at desktop and phone width from the product as it is.
screenshots: install-dev browser node_modules/.installed
	UPDATE_SCREENSHOTS=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
		REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} CHROMIUM_PATH=$(CHROMIUM) \
		$(BIN)/pytest -q tests/browser

# `manage.py check --deploy` with the production settings of .env.example (and a fresh key).
check-deploy: install
	set -a && source .env.example && set +a && \
		DJANGO_SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The benchmarks of docs/performance.md on a generated database (minutes; run on an idle machine).
bench: install-dev
	bash bench/run.sh

# Mutation testing of the money and the gates (minutes; not in CI): scripts/mutation.sh.
# Results in var/mutation/; the last figures are in docs/testing.md.
mutation: install-dev
	bash scripts/mutation.sh

# Re-pin constraints.txt after changing the dependencies in pyproject.toml.
lock:
	rm -rf /tmp/marketplace-lock && $(PYTHON) -m venv /tmp/marketplace-lock
	/tmp/marketplace-lock/bin/pip install --quiet -e ".[dev]"
	{ echo "# Exact versions for every install (make, CI, Dockerfile). Regenerate: make lock"; \
	  /tmp/marketplace-lock/bin/pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .pytest_cache node_modules
