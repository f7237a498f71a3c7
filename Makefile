# Two commands do all set-up on a fresh machine:
#   make run    install, migrate, load the evidence, serve on http://127.0.0.1:8000 (SQLite by default)
#   make test   install with dev dependencies, run checks and the whole test suite
# Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/oa_evidence) to use PostgreSQL.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-dev install-node load lint chromium nginx serve bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs are stamped on pyproject.toml, so a restart reinstalls only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# axe-core for the accessibility tests, from package-lock.json, stamped like the pip installs.
# Node and npm come from Debian when they are missing and we may (root + apt).
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-node: node_modules/.installed

# Reloads only when the fixtures differ from the loaded data version.
load: install
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_evidence --if-changed

run: load
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests use Debian's Chromium; install it when it is missing and we may (root + apt).
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The slow-client test runs deploy/nginx.conf in Debian's nginx; install it the same way.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; \
	fi

lint: install-dev
	$(PY) -m ruff check .

test: install-dev install-node chromium nginx
	$(PY) manage.py ensure_database
	$(PY) -m ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Production serving: gunicorn with oa_evidence.production (set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL),
# behind nginx (deploy/nginx.conf, docs/DEPLOY.md): there, BIND=127.0.0.1:8000.
BIND ?= 0.0.0.0:$(PORT)
serve: install
	DJANGO_SETTINGS_MODULE=oa_evidence.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=oa_evidence.production REDIS_URL=$${REDIS_URL-redis://127.0.0.1:6379/0} \
		$(PY) -m gunicorn oa_evidence.wsgi --no-control-socket \
		--bind $(BIND) --workers $${WEB_CONCURRENCY:-4} --access-logfile -

# The benchmark behind docs/PERFORMANCE.md: PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379
# (BENCH_REDIS_URL, db 5 by default, emptied before each run), wrk, Datasette. Settings: bench/run.py.
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) bench/run.py
