# armscope - build, test, demo, evaluation.
#   make            build build/armscope
#   make demo       install dependencies, build, extract from the bundled examples
#   make check      install dependencies, build, run every test
#   make sanitize   the whole test suite under ASan+UBSan
#   make valgrind   the unit and CLI tests under valgrind (no leak allowed)
#   make eval       score the dev corpus in ../shared (skipped when absent)

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
VERSION := 0.5.0
SHARED  ?= ../shared

PKGS    := libutf8proc libxml-2.0 jansson sqlite3 zlib libmicrohttpd
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DAS_VERSION='"$(VERSION)"' \
            -DAS_DATADIR='"$(PREFIX)/share/armscope"' -Iinclude \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
WFLAGS  := -std=c17 -Wall -Wextra -Wshadow -Wno-unused-parameter -pthread -MMD -MP \
           $(if $(WERROR),-Werror) $(if $(findstring clang,$(CC)),,-Wno-format-truncation)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lexttextcat-2.0 -lpthread -lm

LIB_SRC := $(wildcard src/util/*.c src/text/*.c src/lex/*.c src/extract/*.c src/store/*.c src/*.c)
CLI_SRC := $(wildcard src/cli/*.c src/web/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/texttab.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/assets.o
# the web application (web/): npm packages pinned by web/package-lock.json,
# bundled by esbuild, embedded in the binary by tools/embed.py
WEB_IN  := $(wildcard web/src/*) web/build.mjs
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check test sanitize valgrind eval reference clean install bench

all: $(BUILD)/armscope

deps:
	@scripts/install-deps

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WFLAGS) $(CFLAGS) -c $< -o $@

# the text layer's per code point table (src/text/texttab.h), computed by
# the text layer's own slow path over the installed utf8proc
$(BUILD)/gen/texttab.c: tools/gen_texttab.c src/text/fold.c src/text/tok.c src/text/utf8.c \
                        src/text/text.h src/text/texttab.h src/util/util.c src/util/util.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/gen/gen_texttab $< $(LDLIBS)
	$(BUILD)/gen/gen_texttab > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/texttab.o: $(BUILD)/gen/texttab.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc/text $(WFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libarmscope.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	ar rcs $@ $^

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(BUILD)/web/index.html: $(WEB_IN) web/node_modules/.installed
	node web/build.mjs $(BUILD)/web

$(BUILD)/gen/assets.c: $(BUILD)/web/index.html tools/embed.py
	@mkdir -p $(dir $@)
	python3 tools/embed.py $(BUILD)/web > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(WFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/armscope: $(CLI_OBJ) $(BUILD)/libarmscope.a
	$(CC) $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libarmscope.a tests/unit/t.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(WFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libarmscope.a $(LDLIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/armscope extract --format table examples/
	@echo
	$(BUILD)/armscope extract examples/ | head -n 3

test: all $(TEST_BIN)
	@BUILD=$(BUILD) SHARED=$(SHARED) tests/run

check: deps
	@$(MAKE) --no-print-directory test

sanitize:
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(MAKE) --no-print-directory BUILD=build/san CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" ARMSCOPE=build/san/armscope test

valgrind: all $(TEST_BIN)
	@BUILD=$(BUILD) SHARED=$(SHARED) VALGRIND=1 tests/run

eval: all
	@tools/eval $(BUILD)/armscope $(SHARED)

# refreshes tests/ref/dev.digest, the engine's output on the dev corpus (ids
# and hashes only), after an intended change to the rules or the data
reference: all
	@test -d $(SHARED)/corpus/dev || { echo "reference: $(SHARED)/corpus/dev not found"; exit 1; }
	@cat $(SHARED)/corpus/dev/*.jsonl | $(BUILD)/armscope extract -q - > $(BUILD)/dev-system.jsonl
	@tools/devdigest $(BUILD)/dev-system.jsonl > tests/ref/dev.digest
	@echo "tests/ref/dev.digest: $$(wc -l < tests/ref/dev.digest) documents"

bench: all
	@tools/bench $(BUILD)/armscope
	@python3 tools/bench_api.py $(BUILD)/armscope

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/armscope
	install -m 755 $(BUILD)/armscope $(DESTDIR)$(PREFIX)/bin/armscope
	cp -r data/. $(DESTDIR)$(PREFIX)/share/armscope/

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
