# 《天堂之芯》 editions.  `make` = set-up + all editions of $(ISSUE); `make test`.
ISSUE ?= 2025-08
OUT := output/$(ISSUE)
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 default-jre-headless poppler-utils libgs-common ghostscript pandoc \
                argyll icc-profiles-free
SOURCES := $(wildcard pipeline/*.py pipeline/*/*.py pipeline/*/*.toml styles/*) sources/magazine.toml \
           $(wildcard sources/$(ISSUE)/*)
# the print edition's printing condition, FOGRA39: a profile made of Fogra's data (icc-profiles-free)
# with ArgyllCMS's colprof (argyll), the same bytes on every machine; about 25 s, once
PRESS_PROFILE := build/icc/FOGRA39L.icc
EDITIONS := $(OUT)/$(ISSUE).pdf $(OUT)/$(ISSUE)-print.pdf $(OUT)/$(ISSUE).epub

.PHONY: all setup lock pdf epub test check bench clean distclean help preview all-issues ace screenshots corpus
.DELETE_ON_ERROR:

all: setup $(OUT)/report.json

setup: $(VENV)/.installed .stamp-apt $(PRESS_PROFILE)

$(PRESS_PROFILE): tools/press_profile.py | .stamp-apt
	python3 tools/press_profile.py $@

# Debian packages: installed with apt-get when run as root, else the command is printed
# (checked again when this Makefile, and so perhaps the list, changes).
.stamp-apt: Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages; run:  sudo apt-get update && sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi; touch $@

# the versions in constraints.txt (a lock file): the same source gives the same bytes on another machine
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

# constraints.txt again from what .venv holds (after a change of pyproject.toml's dependencies)
lock: $(VENV)/.installed
	( sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^-e' ) > constraints.txt.new
	mv constraints.txt.new constraints.txt

# One build makes all editions and the report, so that the report speaks of all of them.
$(OUT)/report.json: $(SOURCES) | setup
	$(PY) -m pipeline build sources/$(ISSUE) --out $(OUT)

pdf epub: setup $(OUT)/report.json

test: setup
	$(PY) -m pytest -q

# every document of ../shared/corpus built as a new user would, and the structure found
corpus: setup
	$(PY) tools/corpus.py

# DAISY Ace for `make check` only (not `make test`, not CI): its Puppeteer runner, driving the
# Debian Chromium; no Chromium or Electron download.  node_modules/ is git-ignored.
ACE_VERSION := 1.4.6
ace: node_modules/.installed

# Chromium only for Ace and the screenshots (a large download CI does not need).
.stamp-chromium: | .stamp-apt
	@dpkg -s chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "run: sudo apt-get install chromium"; exit 1; fi; }
	touch $@

node_modules/.installed: | .stamp-chromium
	@command -v npm >/dev/null || { echo "DAISY Ace needs Node.js >= 18 with npm (https://nodejs.org)"; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --prefix . --no-save --no-package-lock \
	  --no-audit --no-fund --loglevel=error @daisy/ace@$(ACE_VERSION)
	test -x node_modules/.bin/ace-puppeteer
	touch $@

check: all ace
	$(PY) -m pipeline check $(OUT)

# What a reader sees: chapters of the EPUB in headless Chromium at 360 and 768 px.
screenshots: all .stamp-chromium
	$(PY) -m pipeline.screenshots $(OUT)/$(ISSUE).epub $(OUT)/screens

bench: setup
	$(PY) -m pipeline.bench sources/$(ISSUE)

preview: all
	$(PY) -m pipeline.preview $(OUT)/$(ISSUE).pdf $(OUT)/preview.png

all-issues: setup
	@ls -d sources/*/ | xargs -n1 basename | xargs -P 2 -I{} $(MAKE) --no-print-directory ISSUE={} output/{}/report.json

clean:
	rm -rf output .pytest_cache

# everything set-up made too: the venv, the press profile, Ace, the stamps (not the Debian packages)
distclean: clean
	rm -rf $(VENV) build node_modules .stamp-apt .stamp-chromium *.egg-info

help:
	@echo "make              set-up (Debian packages when root, .venv, the FOGRA39 profile) + all editions of $(ISSUE)"
	@echo "make test         the tests (the fast tier alone: .venv/bin/python -m pytest -m 'not slow')"
	@echo "make pdf | epub   the editions of $(ISSUE) (one build makes all of them and the report)"
	@echo "make check        preflight of the editions (installs Chromium and DAISY Ace the first time)"
	@echo "make screenshots  EPUB chapters in headless Chromium at 360 and 768 px"
	@echo "make preview      a contact sheet of the screen PDF's pages"
	@echo "make bench        time per stage and edition, against pandoc + WeasyPrint"
	@echo "make corpus       every document of ../shared/corpus built as a new user would"
	@echo "make all-issues   every folder under sources/"
	@echo "make lock         constraints.txt again from .venv (the Python packages' versions)"
	@echo "make ISSUE=<id>   another issue;  make clean: output/;  make distclean: all set-up made too"
	@echo ".venv/bin/editions --help   the command: build, check, new, rules"
