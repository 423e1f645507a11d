# Slimmernetwerk "Meten en Monitoren": rebuild the appendices C from raw data.
#
#   make            create/refresh .venv from requirements.lock if needed, then rebuild what is out of date
#   make test       lint and the test suite;  make help  every target with one line
#
# Other data, without editing any file:
#   make DATA_DIR=/path/to/raw WAVE=2013 OUT_DIR=/path/to/out
# DATA_DIR holds one folder per wave; everything the pipeline writes goes under OUT_DIR.

SHELL := /bin/bash
PYTHON ?= python3
DATA_DIR ?= data/raw
WAVE ?= 2012
OUT_DIR ?= .
# The steering group's HTML hides any breakdown cell describing fewer respondents than this.
MIN_CELL ?= 5
# The notebooks. C1, C2 and C7 are appendices of every wave; C8 (a café) and C9 (a Grand Café)
# render each event of a wave evaluated with such a form, one appendix per event as the wave's
# metadata.yaml lists them (evenementen: C8, or C8b for a second café, ...).
NOTEBOOKS := C1 C2 C7 C8 C9
WAVE_APPENDICES := C1 C2 C7
# Parallel by default, on every core, unless the command line says -j/--jobs (make -j1: serial).
# Make 4.3 does not show the command line's -j to the makefile, so read it from make's own
# command line (Linux /proc; ps elsewhere).
MAKE_CMDLINE := $(shell tr '\0' ' ' < /proc/$$PPID/cmdline 2>/dev/null || ps -o args= -p $$PPID 2>/dev/null)
ifeq ($(filter -j% --jobs%,$(MAKE_CMDLINE))$(findstring j,$(filter-out --%,$(filter -%,$(MAKE_CMDLINE)))),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
endif

# --- paths with spaces ---------------------------------------------------------------------------
# Make splits file names at spaces and reads : % ( ) # and others its own way, so it cannot name a
# file below a DATA_DIR or OUT_DIR such as "/data/Mijn onderzoek/ruwe data" (non-ASCII is fine).
# Such a folder is reached through a symbolic link without them, .build/paths/<checksum of its real
# path> in this repository, which Make uses in targets and prerequisites (DATA_DIR_MK, OUT_DIR_MK);
# commands get the path as typed, quoted, so messages and provenance.json name the folder itself.
# A path with none of these characters is used as it is, unquoted: no link, no extra shell.
hash := \#
backslash := \$(nothing)
lparen := (
rparen := )
SPECIAL := : ; = % * ? [ ] | $(lparen) $(rparen) $(hash) $(backslash) ' " ` ! & < > { } ~
special = $(or $(word 2,x$(1)x),$(strip $(foreach c,$(SPECIAL),$(findstring $(c),$(1)))))
# $(call shq,TEXT): TEXT quoted for the shell if it needs it.
shq = $(if $(call special,$(1)),'$(subst ','\'',$(1))',$(1))
# $(call make_path,PATH[,mkdir]): PATH, or the link to its real folder (created first with mkdir).
make_path = $(if $(call special,$(1)),$(shell p=$(call shq,$(1)); $(if $(2),mkdir -p -- "$$p";) \
  r=$$(cd -- "$$p" 2>/dev/null && pwd -P) || case $$p in (/*) r=$$p;; (*) r=$$PWD/$$p;; esac; \
  l=.build/paths/$$(printf %s "$$r" | cksum | tr ' ' -); mkdir -p .build/paths; \
  [ "$$(readlink "$$l")" = "$$r" ] || ln -sfn -- "$$r" "$$l"; printf %s "$$l"),$(1))
$(if $(call special,$(WAVE)),$(error WAVE='$(WAVE)': a wave is a plain name such as 2013 (letters, digits, - _ .); rename its folder))
DATA_DIR_MK := $(call make_path,$(DATA_DIR))
OUT_DIR_MK := $(call make_path,$(OUT_DIR),mkdir)
DATA_DIR_ABS := $(if $(call special,$(DATA_DIR)),$(if $(filter /%,$(firstword $(DATA_DIR))),$(DATA_DIR),$(CURDIR)/$(DATA_DIR)),$(abspath $(DATA_DIR)))

# The commands of a build run as children of one warm process that imported the notebook stack
# once (snwlib/forkserver.py), their kernels too; FORKSERVER=0 runs each in a Python of its own.
FORKSERVER ?= 1
export SNWLIB_FORKSERVER := $(FORKSERVER)

VENV := .venv
VPY := $(VENV)/bin/python
ENV_STAMP := $(VENV)/.snwlib-installed
RAW := $(DATA_DIR)/$(WAVE)
REPORTS := $(OUT_DIR_MK)/reports
BUILD := $(OUT_DIR_MK)/.build
PARAMS := $(BUILD)/parameters
PROCESSED := $(OUT_DIR_MK)/data/processed
DATA_STAMP := $(BUILD)/data_dir
CODEBOOKS := $(wildcard codebooks/*.yaml)
# What snwlib reads besides its code (HTML templates, the summary's spec): every notebook depends on it.
TEMPLATES := $(wildcard snwlib/templates/*/*)
# The code ingestion runs (snwlib.ingest.INGESTION_MODULES): a change elsewhere does not re-ingest.
INGEST_LIB := $(addprefix snwlib/,__init__.py codebook.py config.py files.py ingest.py manifest.py privacy.py rawfiles.py schema.py scoring.py validate.py)
# The waves of DATA_DIR: its sub-folders with a manifest (a folder whose name is not a plain word,
# e.g. holds a space, is left out with a warning: Make could not name its files).
MANIFESTS := $(wildcard $(DATA_DIR_MK)/*/datapackage.json)
WAVES := $(sort $(WAVE) $(foreach w,$(patsubst $(DATA_DIR_MK)/%/datapackage.json,%,$(filter $(DATA_DIR_MK)/%/datapackage.json,$(MANIFESTS))),$(if $(call special,$(w)),,$(w))))
$(if $(filter-out $(foreach w,$(WAVES),$(DATA_DIR_MK)/$(w)/datapackage.json),$(MANIFESTS)),$(warning DATA_DIR has a wave folder whose name is not a plain word such as 2013 (letters, digits, - _ .): it is not ingested; rename it))
# Appendices that compare the wave with the earlier ones (the monitor): all of them.
MULTIWAVE := C1 C2 C7 C8 C9
PARAM_LINE := wave=$(WAVE) min_cell=$(MIN_CELL)
lc = $(shell echo '$(1)' | tr 'A-Z' 'a-z')

.PHONY: FORCE all html ingest test bench lab check-data accept-data new-wave reconstruct clean distclean env lock help $(NOTEBOOKS)

all: $(REPORTS)/index.html ## rebuild what is out of date: ingestion, notebooks, tables, figures, HTML, ledger, index

# --- environment ---------------------------------------------------------------------------------
# Rebuilt from scratch whenever a lock file changes, so it never drifts from them. uv (pinned with
# its hashes in requirements-bootstrap.lock, installed into .venv by pip) installs the lock in
# parallel, several times faster than pip; if uv cannot be installed or fails, pip installs the
# same lock. Both check every hash.
BOOTSTRAP_LOCK := requirements-bootstrap.lock
PIP := $(VPY) -m pip install --quiet --disable-pip-version-check --require-hashes
env: $(ENV_STAMP) ## create .venv from requirements.lock (done by every target that needs it)
$(ENV_STAMP): requirements.lock $(BOOTSTRAP_LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "snwlib needs Python >= 3.10; call make PYTHON=/path/to/python3.x")'
	@echo "creating $(VENV) from requirements.lock (about a minute with uv, a few with pip; once)"
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV)
	@if $(PIP) -r $(BOOTSTRAP_LOCK) 2>$(VENV)/uv-install.log \
	    && $(VENV)/bin/uv pip install --quiet --python $(VPY) --require-hashes --compile-bytecode -r requirements.lock 2>>$(VENV)/uv-install.log; then \
	  rm -f $(VENV)/uv-install.log; \
	else \
	  echo "uv could not install the lock (see $(VENV)/uv-install.log); installing with pip"; \
	  $(PIP) -r requirements.lock; \
	fi
	@$(VPY) -c "import sys, sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'snwlib-repo.pth').write_text(sys.argv[1] + '\n')" $(call shq,$(CURDIR))
	@$(VPY) -m ipykernel install --sys-prefix --name snwlib --display-name "Python (snwlib)" >/dev/null
	@echo "building deduce's lookup lists for the name scrubber (about a minute, once)"
	@$(VPY) -c "import gc, logging; gc.disable(); logging.disable(logging.INFO); from deduce import Deduce; Deduce()"
	@touch $@

# Regenerate the lock after changing dependencies in pyproject.toml (needs uv: pip install uv).
lock: ## regenerate requirements.lock after changing pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --universal --python-version 3.10 --generate-hashes \
	  --no-header --annotation-style line -o requirements.lock
	@echo "uv==$$(uv --version | cut -d' ' -f2)" | uv pip compile - --universal --python-version 3.10 --generate-hashes \
	  --no-header --annotation-style line -o $(BOOTSTRAP_LOCK).tmp
	@{ echo "# The installer the Makefile bootstraps into .venv to install requirements.lock (pip is the fallback)."; \
	  echo "# Regenerate with make lock."; cat $(BOOTSTRAP_LOCK).tmp; } > $(BOOTSTRAP_LOCK) && rm $(BOOTSTRAP_LOCK).tmp

# --- pipeline ------------------------------------------------------------------------------------
# raw (DATA_DIR/<wave>, never written) -> ingestion (OUT_DIR/data/processed/<wave>/*.parquet and
# provenance.json) -> notebooks (tables as CSV, figures, executed notebook) -> HTML, ledger, index.
#
# Stamps of the parameters. Each file is rewritten (when Make reads this Makefile) only if its value
# differs from the last build, so its date says when it last changed and `make -q` can still tell
# that an unchanged tree is up to date. DATA_DIR is ingestion's parameter; WAVE and MIN_CELL are the
# notebooks'.
$(shell mkdir -p $(call shq,$(BUILD)) && (echo $(call shq,$(PARAM_LINE)) | cmp -s - $(call shq,$(PARAMS)) 2>/dev/null || echo $(call shq,$(PARAM_LINE)) > $(call shq,$(PARAMS))))
$(shell (echo $(call shq,$(DATA_DIR_ABS)) | cmp -s - $(call shq,$(DATA_STAMP)) 2>/dev/null || echo $(call shq,$(DATA_DIR_ABS)) > $(call shq,$(DATA_STAMP))))

# Ingestion of each wave in DATA_DIR (a folder with a manifest): it reruns when a raw file of the
# wave, a codebook or the ingestion code changes. Its stamp is a makefile that is included, so Make
# runs ingestion first and then reads everything again (GNU Make restarts after remaking an included
# makefile): the notebooks then see the processed files as ingestion left them. Ingestion keeps the
# date of every file whose content did not change, so only the notebooks that read changed data
# rerun. Goals that need no data (clean, test, ...) skip this.
NO_DATA_GOALS := clean distclean lock help env check-data accept-data new-wave test lab bench reconstruct
ifneq ($(filter-out $(NO_DATA_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(foreach w,$(WAVES),$(BUILD)/ingest/$(w).mk)
endif
# The wave's folder is a prerequisite too (its date changes when a file is added or removed), and
# ingestion is forced when its output is missing. A raw file whose name Make cannot handle (e.g. with
# a space) is no prerequisite: the folder's date and the manifest (make accept-data) still are.
raw_files = $(foreach f,$(filter $(1)/%,$(wildcard $(1)/*)),$(if $(call special,$(f)),,$(wildcard $(f))))
define INGEST_RULES
$(BUILD)/ingest/$(1).mk: $(wildcard $(DATA_DIR_MK)/$(1)) $(call raw_files,$(DATA_DIR_MK)/$(1)) codebooks $(CODEBOOKS) $(INGEST_LIB) $(ENV_STAMP) $(DATA_STAMP) \
    $(if $(wildcard $(PROCESSED)/$(1)/provenance.json),,FORCE)
	@mkdir -p $(call shq,$(BUILD)/ingest)
	@$(VPY) -m snwlib ingest --data-dir $(call shq,$(DATA_DIR)) --wave $(1) --out-dir $(call shq,$(OUT_DIR)) \
	  --makefile $(call shq,$(BUILD)/ingest/$(1).mk)
endef
$(foreach w,$(WAVES),$(eval $(call INGEST_RULES,$(w))))

# The code each notebook runs. A notebook reruns when the snwlib code it can reach changes, not when
# any file of snwlib/ does (snwlib/codedeps.py reads the source: the functions its cells call, what
# they call, and the code of `python -m snwlib run`). The analysis writes CODE/<notebook>.sha only
# when that notebook's fingerprint changed, so the file's date says when its code last changed, and
# CODE/<notebook>.units lists the code (CODE/<notebook>.units.before: the list before that change).
# It runs while Make reads this Makefile, as the stamps above are written, when a file of snwlib/ or
# notebooks/ (or the environment) is newer than CODE/checked: `make -n` and `make -q` then see the
# same dates as `make` (a rule run during the build could not tell them). The commands collect and
# index have fingerprints of their own. Before .venv exists, a rule writes the missing files.
# When the wave is not ingested yet, Make runs ingestion and then reads this Makefile again: the
# analysis then runs beside ingestion, in the background (CODE/pending holds its process id), and
# the second reading waits for it (at most a minute). If it failed, the second reading runs it again
# and says why.
CODE := $(BUILD)/code
CODE_TARGETS := $(patsubst notebooks/%.ipynb,%,$(wildcard notebooks/*.ipynb)) collect index
CODE_INPUTS := snwlib notebooks $(wildcard snwlib/*.py snwlib/*/*.py notebooks/*.ipynb) $(ENV_STAMP)
CODE_RUN := touch "$$d/checked.new" && $(VPY) -m snwlib.codedeps --out "$$d" $(CODE_TARGETS) && mv -f "$$d/checked.new" "$$d/checked"
ifneq ($(filter-out $(NO_DATA_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(wildcard $(VPY)),)
CODE_CHECK := $(shell d=$(call shq,$(CODE)); \
  if [ -e "$$d/pending" ]; then p=$$(cat "$$d/pending"); n=0; \
    while kill -0 "$$p" 2>/dev/null && [ $$n -lt 3000 ]; do sleep 0.02; n=$$((n + 1)); done; rm -f "$$d/pending"; fi; \
  stale=1; if [ -e "$$d/checked" ]; then stale=; \
  for f in $(CODE_INPUTS); do if [ "$$f" -nt "$$d/checked" ]; then stale=1; break; fi; done; fi; \
  if [ -n "$$stale" ] && [ ! -e $(call shq,$(BUILD)/ingest/$(WAVE).mk) ]; then \
    mkdir -p "$$d" && { ( $(CODE_RUN) ) >"$$d/background.log" 2>&1 & echo $$! > "$$d/pending"; }; stale=; fi; \
  [ -z "$$stale" ] || { mkdir -p "$$d" && $(CODE_RUN); } || echo failed)
$(if $(CODE_CHECK),$(error the analysis of which code each notebook runs failed (python -m snwlib.codedeps, above)))
endif
endif
$(CODE)/%.sha: | $(ENV_STAMP)
	@$(VPY) -m snwlib.codedeps --out $(call shq,$(CODE)) $*

# The wave's appendices: C1, C2, C7 and one per event (appendix:notebook pairs that ingestion
# writes into the included makefile, from metadata.yaml). Started longest first (C7, the events,
# then C1 and C2), so two cores finish together.
EVENT_PAIRS := $(APPENDICES_$(WAVE))
EVENTS := $(foreach p,$(EVENT_PAIRS),$(firstword $(subst :, ,$(p))))
APPENDICES := $(WAVE_APPENDICES) $(EVENTS)
BUILD_ORDER := C7 $(EVENTS) C1 C2
notebook_of = $(or $(word 2,$(subst :, ,$(filter $(1):%,$(EVENT_PAIRS)))),$(1))
kind_of = $(if $(filter $(1),$(EVENTS)),$(call notebook_of,$(1)),$(1))
EXECUTED := $(foreach nb,$(BUILD_ORDER),$(REPORTS)/executed/$(nb).ipynb)
HTML := $(foreach nb,$(BUILD_ORDER),$(REPORTS)/$(nb).html $(REPORTS)/stuurgroep/$(nb).html)
.PHONY: $(APPENDICES)

ingest: ## check, read, validate and scrub the raw files of every wave into data/processed/<wave>
	@:

FORCE:

# A notebook reads the processed tables whose names start with its lower-case name (c7_*; an event
# notebook also its events' own, c8b_*) and the wave's status.json (its metadata: period, events):
# those of this wave, and for the appendices that compare waves those of this and every earlier
# wave. Plus the published numbers of the wave and the reference values in references/.
processed_of = $(wildcard $(PROCESSED)/$(2)/$(call lc,$(1))_*.parquet $(PROCESSED)/$(2)/$(call lc,$(1))[a-z]_*.parquet)
not_after = $(foreach w,$(WAVES),$(if $(filter $(w),$(firstword $(sort $(w) $(1)))),$(w)))
# One process executes a notebook and exports both HTML versions (a grouped target: one recipe
# makes all three), so nbconvert and the notebook stack are imported once per notebook.
define NOTEBOOK_RULES
$(REPORTS)/executed/$(1).ipynb $(REPORTS)/$(1).html $(REPORTS)/stuurgroep/$(1).html &: notebooks/$(call kind_of,$(1)).ipynb $(CODE)/$(call kind_of,$(1)).sha $(TEMPLATES) $(CODEBOOKS) $(ENV_STAMP) $(PARAMS) \
    $(foreach w,$(if $(filter $(call kind_of,$(1)),$(MULTIWAVE)),$(call not_after,$(WAVE)),$(WAVE)),$(call processed_of,$(call kind_of,$(1)),$(w)) \
      $(call processed_of,$(1),$(w)) $(wildcard $(PROCESSED)/$(w)/status.json)) \
    $(wildcard references/$(WAVE)/$(1).csv references/*.csv)
	@$(VPY) -m snwlib run $(1) $(if $(filter $(1),$(EVENTS)),--notebook $(call notebook_of,$(1))) --wave $(WAVE) --out-dir $(call shq,$(OUT_DIR)) --min-cell $(MIN_CELL)
$(1): $(REPORTS)/$(1).html $(REPORTS)/stuurgroep/$(1).html
endef
$(foreach nb,$(APPENDICES),$(eval $(call NOTEBOOK_RULES,$(nb))))

# Fails (and writes nothing) on an unexplained mismatch between a published and a recomputed number.
$(REPORTS)/replication.csv: $(EXECUTED) $(CODE)/collect.sha $(TEMPLATES) $(CODEBOOKS)
	@$(VPY) -m snwlib collect $(APPENDICES) --out-dir $(call shq,$(OUT_DIR))

$(REPORTS)/index.html: $(REPORTS)/replication.csv $(HTML) $(CODE)/index.sha $(TEMPLATES) $(CODEBOOKS)
	@$(VPY) -m snwlib index $(APPENDICES) --out-dir $(call shq,$(OUT_DIR))
	@echo $(call shq,reports: $(OUT_DIR)/reports/index.html)

html: $(REPORTS)/index.html ## the same as all

# Regenerate the marked reconstruction of the 2012 questionnaire answers and compare it with the
# committed raw file; code never writes into data/raw, so copying it there is a deliberate step.
RECON_DIR := $(OUT_DIR)/data/reconstructed
reconstruct: $(ENV_STAMP) ## regenerate the marked reconstructions and compare them with data/raw/2012
	@for spec in c7_doetankvragenlijst:c7_antwoorden c8_cafe4:c8_antwoorden c9_grandcafe:c9_antwoorden; do \
	  out=$(call shq,$(RECON_DIR))/$${spec#*:}.csv; \
	  $(VPY) -m snwlib reconstruct data/reconstruction/$${spec%%:*}.yaml "$$out" >/dev/null || exit 1; \
	  cmp -s "$$out" data/raw/2012/$${spec#*:}.csv && echo "$$out is identical to data/raw/2012/$${spec#*:}.csv" \
	    || echo "$$out differs from data/raw/2012/$${spec#*:}.csv; to accept it: cp $$(printf %q "$$out") data/raw/2012/"; \
	done

check-data: $(ENV_STAMP) ## validate the wave's raw files against their codebooks and the manifest
	@$(VPY) -m snwlib validate $(call shq,$(RAW))

# After a deliberate change of the raw files: record their new hashes in $(RAW)/datapackage.json.
accept-data: $(ENV_STAMP) ## after a deliberate change of raw files: record their hashes in the manifest
	@$(VPY) -m snwlib manifest --accept $(call shq,$(RAW))

# The next measurement: DATA_DIR/WAVE with a data-entry workbook per table (from the codebooks),
# the registries pre-filled from the previous wave, metadata.yaml and a README. Never overwrites.
new-wave: $(ENV_STAMP) ## start the next measurement: templates in DATA_DIR/WAVE (make new-wave WAVE=2013)
	@$(if $(filter file,$(origin WAVE)),echo "new-wave: name the new wave: make new-wave WAVE=2013" >&2; exit 2)
	@$(VPY) -m snwlib new-wave --data-dir $(call shq,$(DATA_DIR)) --wave $(call shq,$(WAVE))

# --- working with it -----------------------------------------------------------------------------
test: $(ENV_STAMP) ## lint and format check (ruff), then the test suite (pytest)
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/ruff format --check --quiet .
	@$(VPY) -m pytest --durations=12

# Timings for the README (a few minutes: it builds everything twice into temporary folders).
bench: $(ENV_STAMP) ## timings of the steps for the README (a few minutes)
	@$(VPY) benchmarks/bench.py

# Jupyter refuses to run as root unless told; root is common in containers.
lab: $(ENV_STAMP) ## JupyterLab on the project's environment
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_FLAGS)

clean: ## remove the build outputs (not .venv)
	rm -rf $(call shq,$(OUT_DIR)/.build) $(call shq,$(OUT_DIR)/.staging) $(call shq,$(OUT_DIR)/reports/executed) $(call shq,$(OUT_DIR)/reports/stuurgroep)
	rm -f $(call shq,$(OUT_DIR)/reports)/*.html $(call shq,$(OUT_DIR)/reports/replication.csv)
	find $(call shq,$(OUT_DIR)/data/processed) $(call shq,$(OUT_DIR)/figures) -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true

distclean: clean ## remove the build outputs and .venv
	rm -rf $(VENV)

help: ## list the targets
	@echo "make [target] [DATA_DIR=data/raw] [WAVE=2012] [OUT_DIR=.] [MIN_CELL=5]"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/\1|\2/' \
	  | awk -F'|' '{ printf "  %-12s %s\n", $$1, $$2 }'
	@printf "  %-12s %s\n" "$(firstword $(NOTEBOOKS)) ..." "one appendix ($(WAVE_APPENDICES) and the wave's events, e.g. C8 C9): its notebook and both HTML files"

