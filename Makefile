# sipdocs — set-up, demo and tests. Two commands do everything on a fresh Debian machine:
#   make demo   create .venv, install sipdocs (+ system libraries when root), render samples to out/
#   make test   same set-up, then the whole test suite (the PDF tests twice: fast paths on and off)
#   make snapshots  same set-up, then write the page snapshots and texts (tests/snapshots/) and the
#                   README's page pictures (samples/pages/) anew
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.sipdocs-installed
# WeasyPrint's system libraries, font subsetting (hb-subset), and the PDF tools the tests use;
# LibreOffice lays out the Word files with these fonts and hyphenation patterns (the page
# snapshots of the Word files depend on them).
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
APT_TEST    := qpdf poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation \
               fonts-dejavu-core hyphen-sv hyphen-en-gb ghostscript pdftk-java chromium

.PHONY: demo test snapshots sysdeps sysdeps-test venv bench bench-web serve fuzz wheel-check clean

sysdeps:
	@./scripts/apt-install.sh $(APT_RUNTIME)

sysdeps-test:
	@./scripts/apt-install.sh $(APT_RUNTIME) $(APT_TEST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: sysdeps venv
	$(BIN)/sipdocs validate samples/*.json
	$(BIN)/python scripts/demo.py out

test: sysdeps-test venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q
	# the PDF tests again with every fast path off: WeasyPrint and pydyf through their public API only
	SIPDOCS_FAST_PATHS=0 $(BIN)/python -m pytest -q tests/test_pdf.py tests/test_pdf_fonts.py tests/test_consent_form.py
	$(BIN)/sipdocs forms check
	$(MAKE) wheel-check

# Page snapshots written anew from the current rendering; look at every changed page
# (`git status tests/snapshots`) before committing it.
snapshots: sysdeps-test venv
	SIPDOCS_SNAPSHOTS=update $(BIN)/python -m pytest -q tests/test_snapshots.py
	$(BIN)/python scripts/readme_pages.py
	@git status --short tests/snapshots | sed -n '1,40p'

# `pip install .` into a fresh virtual environment, then run from outside the repository.
wheel-check: venv
	./scripts/wheel-check.sh $(PYTHON)

bench: sysdeps venv
	$(BIN)/python -m bench
	$(BIN)/python -m bench.web

# only the web app's load test (10 clients, 60 s, loopback)
bench-web: sysdeps venv
	$(BIN)/python -m bench.web

# the web app for conveners: prints the sign-in link and opens a browser (PORT, DATA to override)
PORT ?= 8765
serve: sysdeps venv
	$(BIN)/sipdocs serve --port $(PORT) $(if $(DATA),--data $(DATA))

fuzz: sysdeps-test venv
	SIPDOCS_FUZZ_EXAMPLES=2000 SIPDOCS_FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -m fuzz tests

clean:
	rm -rf $(VENV) out build dist *.egg-info .pytest_cache
