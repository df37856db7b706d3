# Glutasite: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo shop's feed and pages are served by the development server itself (demo/shop.py).
export DEMO_SITE_URL ?= http://$(HOST):$(PORT)

VNU_JAR := $(VENV)/node/node_modules/vnu-jar/build/dist/vnu.jar
VNU_VERSION := 26.9.27

.PHONY: run serve test test-packages lint format bench cluster-test clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Glutasite is at http://$(HOST):$(PORT)/  (demo guide: http://$(HOST):$(PORT)/guides/l-glutamine-for-gut-health/)"
	@echo "The editors' dashboard is at http://$(HOST):$(PORT)/admin/"
	-@$(BIN)/python manage.py demo_logins
	@echo "The job worker (run_huey) runs beside the web server; Ctrl-C stops both."
	@echo
	@# --logfile /dev/null: Huey's own log handler would repeat every line the site's logging already prints.
	@$(BIN)/python manage.py run_huey --logfile /dev/null & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-style server; set DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS first.
serve: $(STAMP)
	DJANGO_DB_STATEMENT_TIMEOUT=0 $(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn glutasite.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

# The Nu HTML Checker, for the HTML validity tests (needs npm and Java).
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/node vnu-jar@$(VNU_VERSION); \
	else echo "npm is missing: HTML validity tests will be skipped"; fi

# Debian's packages the browser and HTML-validity tests need, installed when missing and this user may
# (root, or sudo without a password); otherwise those tests are skipped, saying what is missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo " " || (sudo -n true 2>/dev/null && echo sudo))
test-packages:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ] && [ -n "$(SUDO)" ] && command -v apt-get >/dev/null; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test -x /usr/bin/chromium || echo "Chromium is missing (apt-get install chromium): browser journeys will be SKIPPED"
	@command -v java >/dev/null || echo "Java is missing (apt-get install default-jre-headless): HTML validity tests will be SKIPPED"

test: $(STAMP) test-packages $(VNU_JAR)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks, not tests: figures to read, nothing asserted (README, "Benchmarks").
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--duration 3 --no-import".
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "=== installing wrk"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		echo "wrk could not be installed (apt-get install wrk): requests per second will be SKIPPED"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The site as it runs on several machines, on 127.0.0.1 only: PostgreSQL, its own Redis, an S3 store (moto),
# two app servers, two job workers and HAProxy; proves what README "Running on several machines" says.
cluster-test: $(STAMP)
	@missing=""; for program in redis-server haproxy wrk; do command -v $$program >/dev/null || missing="$$missing $$program"; done; \
	if [ -n "$$missing" ]; then echo "=== installing$$missing"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	$(BIN)/python bench/cluster.py $(CLUSTER_ARGS)

clean:
	rm -rf $(VENV) staticfiles
