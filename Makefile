# Makefile - build, test and install vanban (GNU make; STYLE.md §9).
#
#   make                 build/release/vanban
#   make check           unit tests, tests/cases, tests/errors, tests/cli.sh, samples
#   make asan            the same against build/asan (ASan + UBSan, -Werror)
#   make demo            install missing packages, build, render every sample into out/
#   make bench | fuzz | lint | format | install | uninstall | clean
#
# Variables: config=release|asan, V=1 (show commands), UPDATE=1 (rewrite goldens),
# FUZZ_TIME=60, PREFIX/BINDIR/DATADIR/MANDIR/DESTDIR, CC/CFLAGS/CPPFLAGS/LDFLAGS/LDLIBS.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/vanban
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

VERSION := 0.1.0

CC       ?= cc
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
LDLIBS   ?=
PKG_CONFIG ?= pkg-config
CLANG      ?= clang
CLANG_FORMAT ?= clang-format
CLANG_TIDY   ?= clang-tidy
INSTALL  ?= install

config ?= release
OUT := build/$(config)

VB_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
  -DVB_VERSION="\"$(VERSION)\"" -DVB_SOURCE_DATADIR="\"$(CURDIR)\"" \
  -DVB_DATADIR="\"$(DATADIR)\""

DEP_PKGS := pangoft2 cairo cairo-pdf cairo-png cairo-ft freetype2 fontconfig \
  harfbuzz libfyaml glib-2.0 zlib libdeflate lcms2
# Headers only: these are opened on first use (src/display/imagelibs.c), not linked.
DLOPEN_PKGS := librsvg-2.0 gdk-pixbuf-2.0 libxml-2.0
# Run pkg-config once per make invocation, and only for targets that compile.
NO_BUILD_GOALS := clean lint format uninstall help demo asan
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
DEP_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS) $(DLOPEN_PKGS))
DEP_LIBS   ?= $(shell $(PKG_CONFIG) --libs $(DEP_PKGS)) -lm -ldl
# Unit tests make their fixture images with gdk-pixbuf itself.
UNIT_LIBS  ?= $(shell $(PKG_CONFIG) --libs gdk-pixbuf-2.0)
endif

# libharu has no .pc file on every system: kept separate, overridable, and linked only
# once the haru backend exists.
HPDF_CFLAGS ?=
HPDF_LIBS   ?= -lhpdf
HARU_SRC := $(wildcard src/backend/haru.c)
# libcsv: linked only if some input file uses it.
CSV_LIBS ?= $(if $(shell grep -l '<csv\.h>' $(wildcard src/input/*.c) /dev/null),-lcsv)

ifeq ($(config),asan)
CONFIG_CFLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all -Werror
CONFIG_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(config),release)
CONFIG_CFLAGS  :=
CONFIG_LDFLAGS :=
else
$(error unknown config '$(config)': use config=release or config=asan)
endif

ALL_CFLAGS  = $(VB_CFLAGS) $(DEP_CFLAGS) $(if $(HARU_SRC),$(HPDF_CFLAGS)) $(CPPFLAGS) \
  $(CFLAGS) $(CONFIG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(CONFIG_LDFLAGS)
ALL_LIBS    = $(DEP_LIBS) $(if $(HARU_SRC),$(HPDF_LIBS)) $(CSV_LIBS) $(LDLIBS)

SRCS      := $(sort $(wildcard src/*/*.c)) $(wildcard src/main.c)
# The command line (src/cli/) is not a library: unit tests and fuzz targets link the rest.
LIB_SRCS  := $(filter-out src/main.c src/cli/%,$(SRCS))
OBJS      := $(patsubst src/%.c,$(OUT)/%.o,$(SRCS))
LIB_OBJS  := $(patsubst src/%.c,$(OUT)/%.o,$(LIB_SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
BIN       := $(OUT)/vanban

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '%s %s\n'
endif

VANBAN ?= $(BIN)
export VANBAN

.PHONY: all unit-bins unit check asan demo bench install uninstall fuzz format lint clean help FORCE
.DEFAULT_GOAL := all

all: $(BIN)

$(BIN): $(OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(ALL_LIBS)

# Objects depend on the compiler flags too: changing CFLAGS or DATADIR (baked into the
# binary) rebuilds them. The stamp is rewritten only when the flags change.
FLAGS_STAMP := $(OUT)/flags.stamp
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(ALL_LIBS)' | cmp -s - $@ || \
	  echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(ALL_LIBS)' > $@
FORCE:

$(OUT)/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Each unit test is one binary per stage, linked with every object but the CLI's.
$(OUT)/tests/%.o: tests/unit/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc -Itests/unit -MMD -MP -c -o $@ $<

$(OUT)/tests/test-%: $(OUT)/tests/test-%.o $(LIB_OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS) $(ALL_LIBS) $(UNIT_LIBS)

unit-bins: $(UNIT_BINS)

unit: unit-bins
	@bash tests/check.sh --unit-only $(UNIT_BINS)

# check: build, then run every part that exists (unit binaries, tests/run-cases.sh,
# tests/run-errors.sh, tests/cli.sh, tests/run-samples.sh). tests/check.sh keeps going
# after a failing part, prints one total and fails if any part failed.
check: $(BIN) unit-bins
	@bash tests/check.sh $(UNIT_BINS)

# G_SLICE=always-malloc: GLib's slice magazines (freed from thread-local storage as Pango's
# font threads exit) deadlock GCC 12's ASan allocator in --jobs workers (1 run in 3 hung in
# tests/run-certs.sh docinfo/split-*; 0 of 30 with it); GLib advises it for memory checkers.
ASAN_ENV := G_SLICE=always-malloc ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

asan:
	$(MAKE) config=asan all unit-bins
	$(ASAN_ENV) $(MAKE) config=asan VANBAN=build/asan/vanban check

demo:
	bash scripts/install-deps.sh
	$(MAKE) config=release all
	bash scripts/render-samples.sh out

# The reference of the one-certificate benchmark: a minimal pangocairo program.
REF_CERT := $(OUT)/ref-cert
$(REF_CERT): bench/ref-cert.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(CC) $(CFLAGS) -std=c11 -Wall -Wextra -o $@ $< \
	  $$($(PKG_CONFIG) --cflags --libs pangocairo fontconfig cairo-pdf) -lm

bench: $(BIN) $(REF_CERT)
	REF_CERT=$(REF_CERT) bash scripts/bench.sh

install: $(BIN)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/layouts \
	  $(DESTDIR)$(DATADIR)/layouts/art $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/vanban
	$(if $(wildcard layouts/*.yaml),$(INSTALL) -m 644 $(wildcard layouts/*.yaml) \
	  $(DESTDIR)$(DATADIR)/layouts)
	$(if $(wildcard layouts/art/*.yaml),$(INSTALL) -m 644 $(wildcard layouts/art/*.yaml) \
	  $(DESTDIR)$(DATADIR)/layouts/art)
	$(INSTALL) -m 644 $(wildcard fonts/*) $(DESTDIR)$(DATADIR)/fonts
	$(INSTALL) -m 644 doc/vanban.1 $(DESTDIR)$(MANDIR)/man1/vanban.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vanban $(DESTDIR)$(MANDIR)/man1/vanban.1
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(wildcard layouts/*.yaml) \
	  $(wildcard layouts/art/*.yaml) $(wildcard fonts/*))
	-rmdir $(DESTDIR)$(DATADIR)/layouts/art $(DESTDIR)$(DATADIR)/layouts $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR) \
	  2>/dev/null

# ---- fuzzing (clang + libFuzzer): one binary per tests/fuzz/fuzz-<target>.c
FUZZ_TIME ?= 60
FUZZ_OUT  := build/fuzz
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_OUT)/%,$(FUZZ_SRCS))
FUZZ_LIB_OBJS := $(patsubst src/%.c,$(FUZZ_OUT)/obj/%.o,$(LIB_SRCS))
FUZZ_CFLAGS = $(VB_CFLAGS) $(DEP_CFLAGS) $(if $(HARU_SRC),$(HPDF_CFLAGS)) $(CPPFLAGS) \
  -O1 -g -fno-omit-frame-pointer -DVB_FUZZING

$(FUZZ_OUT)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(quiet) CLANG $<
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<

$(FUZZ_OUT)/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(@D)
	$(quiet) CLANG $<
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer,address,undefined -o $@ $< \
	  $(FUZZ_LIB_OBJS) $(ALL_LIBS)

# Each target first runs its regression inputs (tests/fuzz/regress/<target>/: inputs
# that once crashed), then fuzzes for FUZZ_TIME seconds from its seeds
# (tests/fuzz/corpus/<target>/) with its dictionary; one "PASS fuzz-<t>" or
# "FAIL fuzz-<t>" line each (counted by .ci/run), crashes in build/fuzz/artifacts/.
# FUZZ_TARGETS="csv yaml" runs only those; FUZZ_NICE=19 runs them at nice 19.
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz-%.c,%,$(FUZZ_SRCS))
FUZZ_NICE ?= 0
fuzz: $(FUZZ_BINS)
	@if [ -z "$(FUZZ_BINS)" ]; then echo "fuzz: no tests/fuzz/fuzz-*.c yet"; exit 0; fi; \
	failed=0; \
	for t in $(FUZZ_TARGETS); do \
	  bin=$(FUZZ_OUT)/fuzz-$$t; seeds=tests/fuzz/corpus/$$t; work=$(FUZZ_OUT)/corpus-$$t; \
	  mkdir -p $$work $(FUZZ_OUT)/artifacts; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  [ -d $$seeds ] || seeds=; \
	  log=$(FUZZ_OUT)/fuzz-$$t.log; ok=1; \
	  if [ -d tests/fuzz/regress/$$t ]; then \
	    $(ASAN_ENV) $$bin -timeout=10 tests/fuzz/regress/$$t/* >$$log 2>&1 || ok=0; \
	  fi; \
	  if [ $$ok = 1 ]; then \
	    echo "FUZZ $$t for $(FUZZ_TIME)s"; \
	    $(ASAN_ENV) nice -n $(FUZZ_NICE) $$bin -max_total_time=$(FUZZ_TIME) -timeout=10 \
	      -rss_limit_mb=2560 $$dict -artifact_prefix=$(FUZZ_OUT)/artifacts/$$t- \
	      $$work $$seeds >>$$log 2>&1 || ok=0; \
	  fi; \
	  runs=$$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' $$log | tail -n 1); \
	  if [ $$ok = 1 ]; then echo "PASS fuzz-$$t ($$runs)"; \
	  else echo "FAIL fuzz-$$t (see $$log)"; tail -n 30 $$log; failed=$$((failed + 1)); fi; \
	done; \
	[ $$failed = 0 ]

# ---- style
format:
	$(CLANG_FORMAT) -i $(wildcard src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h)

lint:
	bash scripts/lint-includes.sh
	@if command -v $(CLANG_TIDY) >/dev/null 2>&1 && [ -n "$(SRCS)" ]; \
	then echo "TIDY src"; \
	  $(CLANG_TIDY) --quiet $(SRCS) -- $(VB_CFLAGS) \
	    $$($(PKG_CONFIG) --cflags $(DEP_PKGS) $(DLOPEN_PKGS)) $(HPDF_CFLAGS) $(CPPFLAGS); \
	else echo "lint: clang-tidy not run (not installed, or no sources)"; fi

clean:
	rm -rf build

help:
	@sed -n '2,12p' Makefile

# Keep the test and fuzz objects: they are intermediate files of chained rules.
.SECONDARY: $(UNIT_BINS:=.o) $(FUZZ_LIB_OBJS)

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_LIB_OBJS:.o=.d)
