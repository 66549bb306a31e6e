# Two entry points for a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PORT ?= 8000

.PHONY: run test journeys install lint browser-deps node-deps bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_programmes
	$(PY) manage.py make_demo
	@echo
	@echo "  BUT GMP: http://127.0.0.1:$(PORT)/"
	@echo "  Comptes de démonstration (mot de passe : demo) et la page à ouvrir d'abord :"
	@echo "    direction    Programmes › lecreusot-ipi-initiale-2026-v2 (coefficients du département)"
	@echo "    secretariat  Notes › S4 MPI 2026-2027 (note ATT, démission, publication aux étudiants)"
	@echo "    enseignant   Notes › S3 MPI 2026-2027 › Moyennes de mes modules (R3.01, R3.07)"
	@echo "    jury         Jurys › 2026-2027 BUT 2 (année) : propositions, redoublants, ATT, DEM"
	@echo "    etudiant     Mes résultats : jury 2025-2026 publié, UE capitalisées"
	@$(PY) manage.py show_database | sed 's/^/  /'
	@echo "  (DATABASE_URL choisit la base ; sans elle, le fichier SQLite db.sqlite3)"
	@echo
	@# two background workers beside the server: whole-semester bulletins, and e-mails on their own queue
	$(PY) manage.py run_worker --queue-name default & worker=$$!; \
	$(PY) manage.py run_worker --queue-name email & mailer=$$!; \
	trap 'kill $$worker $$mailer 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (never a downloaded browser build) and poppler-utils' pdftotext,
# which the tests use to read the PDFs the application produces.
APT_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) $$missing; \
	  else sudo apt-get update -qq && sudo $(APT_INSTALL) $$missing; fi; fi

# axe-core (the accessibility test's WCAG rules) from the npm registry, as package-lock.json pins it; never a CDN.
node-deps:
	@if [ ! -d node_modules/axe-core ]; then \
	  if ! command -v npm >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) npm; \
	    else sudo apt-get update -qq && sudo $(APT_INSTALL) npm; fi; fi; \
	  npm ci --no-audit --no-fund; fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

test: install browser-deps node-deps lint
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/pytest -n 2 --dist loadfile

# The secretary's, the jury's, the June jury's (to the student's page) and the student's journeys in Chromium (tests marked `journey`; also part of `test`).
journeys: install browser-deps
	DATABASE_URL=$(DATABASE_URL) $(VENV)/bin/pytest -m journey tests/browser

# Benchmarks on PostgreSQL (DATABASE_URL; a <name>_bench database is created, then dropped).
# BENCH_ARGS=--large adds 10 000 students; see bench/run.py --help.
bench: install
	DATABASE_URL=$(DATABASE_URL) $(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
