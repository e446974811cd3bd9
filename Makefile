# moonwasm -- GNU make.
#
#   make                 build/libmoonwasm.a
#   make test            every test suite, again under ASan+UBSan, and a fuzz
#                        smoke: what CI runs; one summary line
#   make test-quick      every test suite once, no sanitizer (the dev loop)
#   make demo            build and run examples/c/hello
#   make SANITIZE=1 ...  ASan + UBSan build in build/asan (objects never mix)
#   make WERROR=1 ...    warnings are errors (the default when CI=true)
#   make lint            cppcheck (or clang-tidy) over src/, when installed
#   make install         library and header under $(PREFIX)
#   make deps            install missing Debian packages (scripts/install-deps.sh)
#
# Nothing here reaches the network: `make deps` is the only target that may.

CC ?= cc
CLANG ?= clang
WAT2WASM ?= wat2wasm
CFLAGS ?= -O2 -g
LDFLAGS ?=
PREFIX ?= /usr/local
LUA_INCDIR ?= /usr/include/lua5.4

WARNINGS = -Wall -Wextra -Wshadow -Wmissing-prototypes
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

# gnu11, not c11: the interpreter uses computed goto (labels as values).
STD = -std=gnu11

BUILD = build
ifeq ($(SANITIZE),1)
BUILD = build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

ALL_CFLAGS = $(STD) $(WARNINGS) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = -lm -ldl

OBJDIR = $(BUILD)/obj
LIB = $(BUILD)/libmoonwasm.a

# One folder per layer under src/: runtime/ (decode, validate+compile,
# exec, store), wasi/ (WASI preview 1 on the public API), lua/ (the Lua
# binding, the only code that includes lua.h: it goes into the Lua module,
# not into the C library).  The public header moonwasm.h and the limits in
# mw_conf.h sit at the top of src/.
LAYERS = runtime wasi text aot
LUA_BINDING_SRCS = $(wildcard src/lua/*.c)
LIB_SRCS = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(OBJDIR)/%.o)
ALL_SRC_FILES = $(wildcard src/*.h src/*/*.c src/*/*.h)
# C tests and the benchmark reach the runtime's internals (internal.h).
INCLUDES = -Isrc -Isrc/runtime -Isrc/text

# Fixtures: .wasm files are built here, never committed.  They do not depend
# on SANITIZE, so they always live in build/wasm.
WASM_DIR = build/wasm
WAT_SRCS = $(wildcard tests/wat/*.wat)
WASM_C_SRCS = $(wildcard tests/c/wasm/*.c)
# Each C fixture is built twice: -O2 (x.wasm) and -O0 (x_O0.wasm: every
# local lives in linear memory, through the shadow stack).
FIXTURES = $(WAT_SRCS:tests/wat/%.wat=$(WASM_DIR)/%.wasm) \
           $(WASM_C_SRCS:tests/c/wasm/%.c=$(WASM_DIR)/%.wasm) \
           $(WASM_C_SRCS:tests/c/wasm/%.c=$(WASM_DIR)/%_O0.wasm)
# Flags shared by both builds of a C fixture: no libc, no libcalls, no fused
# multiply-add, so the wasm and native builds compute bit-identical results.
FIXTURE_CFLAGS = -ffreestanding -fno-builtin -ffp-contract=off
WASM_CFLAGS = --target=wasm32 -nostdlib $(FIXTURE_CFLAGS) \
              -Wall -Wextra -Wl,--no-entry -Wl,--export-dynamic
NATIVE_DIR = $(BUILD)/native
NATIVE_OBJS = $(WASM_C_SRCS:tests/c/wasm/%.c=$(NATIVE_DIR)/%.o)

# C tests: one binary per tests/c/test_*.c.  test_program also links the
# native build of the C fixtures, with every symbol prefixed by native_.
TEST_SRCS = $(wildcard tests/c/test_*.c)
TEST_BINS = $(TEST_SRCS:tests/c/%.c=$(BUILD)/tests/%)

EXAMPLE_DIR = $(BUILD)/examples

# Each suite is one shell command whose output ends in `N passed, N failed`;
# scripts/run-tests.sh runs them all and prints the sum last.  Later suites
# (busted specs, the .wast runner) are appended here.
TEST_SUITES = $(TEST_BINS)
export MW_FIXTURES := $(CURDIR)/$(WASM_DIR)

.PHONY: all test test-quick check fixtures demo lint clean install deps bench FORCE
.DELETE_ON_ERROR:

all: $(LIB)

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# Objects are rebuilt when the compiler or its flags change (say WERROR=1
# after a plain build): the command line is kept in a stamp file.
FLAGS_STAMP = $(BUILD)/.cflags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || \
	  echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

$(OBJDIR)/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -c $< -o $@

fixtures: $(FIXTURES)

# --debug-names: keep function names, so trap backtraces can be checked.
$(WASM_DIR)/%.wasm: tests/wat/%.wat
	@mkdir -p $(@D)
	$(WAT2WASM) --debug-names $< -o $@

# tests/wat/w3_*.wat use Wasm 3.0 features that wabt 1.0.32 reads only
# when asked.
WAT2WASM_WASM3 = --enable-tail-call --enable-extended-const \
                 --enable-multi-memory --enable-memory64
$(WASM_DIR)/w3_%.wasm: tests/wat/w3_%.wat
	@mkdir -p $(@D)
	$(WAT2WASM) --debug-names $(WAT2WASM_WASM3) $< -o $@

# tests/wat/simd_*.wat may use relaxed SIMD, which wabt reads when asked.
$(WASM_DIR)/simd_%.wasm: tests/wat/simd_%.wat
	@mkdir -p $(@D)
	$(WAT2WASM) --debug-names --enable-relaxed-simd --enable-tail-call $< -o $@

$(WASM_DIR)/%.wasm: tests/c/wasm/%.c
	@mkdir -p $(@D)
	$(CLANG) -O2 $(WASM_CFLAGS) -MMD -MP -MF $(WASM_DIR)/$*.d $< -o $@

$(WASM_DIR)/%_O0.wasm: tests/c/wasm/%.c
	@mkdir -p $(@D)
	$(CLANG) -O0 $(WASM_CFLAGS) -MMD -MP -MF $(WASM_DIR)/$*_O0.d $< -o $@

$(NATIVE_DIR)/%.o: tests/c/wasm/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(FIXTURE_CFLAGS) $(SANFLAGS) -MMD -MP \
	    -DPROG_PREFIX=native_ -c $< -o $@

$(BUILD)/tests/test_program: tests/c/test_program.c $(NATIVE_OBJS) $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -Itests/c -Itests/c/wasm $< $(NATIVE_OBJS) $(LIB) \
	    $(ALL_LDFLAGS) $(LIBS) -o $@

$(BUILD)/tests/%: tests/c/%.c $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -Itests/c $< $(LIB) $(ALL_LDFLAGS) $(LIBS) -o $@

test-quick: $(LIB) $(FIXTURES) $(TEST_BINS)
	@bash scripts/run-tests.sh $(TEST_SUITES)

# The demo: a C host that defines env.add and calls into a module.
$(EXAMPLE_DIR)/hello: examples/c/hello.c $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) $< $(LIB) $(ALL_LDFLAGS) $(LIBS) -o $@

$(EXAMPLE_DIR)/hello.wasm: examples/c/hello.wat
	@mkdir -p $(@D)
	$(WAT2WASM) $< -o $@

demo: $(EXAMPLE_DIR)/hello $(EXAMPLE_DIR)/hello.wasm
	$(EXAMPLE_DIR)/hello $(EXAMPLE_DIR)/hello.wasm

# cppcheck's known false positives here: it reads the hex-float bounds of
# the truncation checks (0x1p31f) as ints, takes the computed-goto table
# (&&label) for booleans, and believes a host function's returned error
# points at its arguments.
CPPCHECK_SUPPRESS = --suppress=incorrectLogicOperator:src/runtime/numeric.h \
                    --suppress=assignBoolToPointer:src/runtime/exec.c \
                    --suppress=returnDanglingLifetime:src/runtime/exec.c

lint:
	@if command -v cppcheck >/dev/null 2>&1; then \
	  cppcheck --quiet --std=c11 --enable=warning,portability,performance \
	    --inline-suppr $(CPPCHECK_SUPPRESS) --error-exitcode=1 $(INCLUDES) $(LIB_SRCS); \
	elif command -v clang-tidy >/dev/null 2>&1; then \
	  clang-tidy --quiet $(LIB_SRCS) -- $(STD) $(INCLUDES); \
	else \
	  echo "lint: neither cppcheck nor clang-tidy is installed; skipped"; \
	fi

install: $(LIB)
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libmoonwasm.a
	install -m 644 src/moonwasm.h $(DESTDIR)$(PREFIX)/include/moonwasm.h

deps:
	sh scripts/install-deps.sh

# The benchmark: prog.c's kernels built by the same clang to wasm and
# natively, timed side by side in one process (scripts/bench/bench.c).
# Always an optimised, unsanitised build of its own.
BENCH_DIR = build/bench
$(BENCH_DIR)/bench_prog.wasm: tests/c/wasm/prog.c tests/c/wasm/prog.h
	@mkdir -p $(@D)
	$(CLANG) -O2 $(WASM_CFLAGS) $< -o $@

# The native side is built with its functions 64-byte aligned: the same
# object code otherwise runs at a speed that depends on where the linker
# happens to put it (bytecode_vm's loop took 18 to 27 ms by its address
# mod 64 alone), and a ratio should not move when unrelated code is added.
# Aligned, each kernel gets a fixed layout and the fast one of those seen.
# (The flags are here, so these objects depend on the Makefile too.)
BENCH_NATIVE_CFLAGS = -O2 $(FIXTURE_CFLAGS) -falign-functions=64 -DPROG_PREFIX=native_
$(BENCH_DIR)/prog_native.o: tests/c/wasm/prog.c tests/c/wasm/prog.h Makefile
	@mkdir -p $(@D)
	$(CLANG) $(BENCH_NATIVE_CFLAGS) -c $< -o $@

$(BENCH_DIR)/bench: scripts/bench/bench.c scripts/bench/bench_util.h $(BENCH_DIR)/prog_native.o $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) -Itests/c/wasm $< $(BENCH_DIR)/prog_native.o \
	    $(LIB_SRCS) -lm -o $@

# EXTRA='name=cmd {}' (several separated by ';') runs other engines on the
# same kernels, built as a WASI command (scripts/bench/bench_cmd.c), in
# columns of the same table; needs wasi-libc only then.
$(BENCH_DIR)/bench_cmd.wasm: scripts/bench/bench_cmd.c tests/c/wasm/prog.c tests/c/wasm/prog.h
	@mkdir -p $(@D)
	$(CLANG) --target=wasm32-wasi $(if $(WASI_SYSROOT),--sysroot=$(WASI_SYSROOT)) -O2 \
	    -ffp-contract=off -fno-builtin -Itests/c/wasm $< -o $@

bench: $(BENCH_DIR)/bench $(BENCH_DIR)/bench_prog.wasm $(if $(EXTRA),$(BENCH_DIR)/bench_cmd.wasm)
	EXTRA='$(subst ','\'',$(EXTRA))' $(BENCH_DIR)/bench $(BENCH_DIR)/bench_prog.wasm $(BENCH_DIR)/bench_cmd.wasm

# SIMD kernels (tests/c/wasm/simd_prog.c): wasm with -msimd128 and without,
# against the same C built natively by the same clang, vectorized for the
# host (scripts/bench/bench_simd.c).
SIMD_PROG = tests/c/wasm/simd_prog.c tests/c/wasm/simd_prog.h
$(BENCH_DIR)/bench_simd.wasm: $(SIMD_PROG)
	@mkdir -p $(@D)
	$(CLANG) -O2 -msimd128 $(WASM_CFLAGS) $< -o $@
$(BENCH_DIR)/bench_simd_scalar.wasm: $(SIMD_PROG)
	@mkdir -p $(@D)
	$(CLANG) -O2 $(WASM_CFLAGS) $< -o $@
$(BENCH_DIR)/simd_native.o: $(SIMD_PROG) Makefile
	@mkdir -p $(@D)
	$(CLANG) $(BENCH_NATIVE_CFLAGS) -c $< -o $@
$(BENCH_DIR)/bench_simd: scripts/bench/bench_simd.c scripts/bench/bench_util.h $(BENCH_DIR)/simd_native.o $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) -Itests/c/wasm $< $(BENCH_DIR)/simd_native.o \
	    $(LIB_SRCS) -lm -o $@
.PHONY: bench-simd
bench-simd: $(BENCH_DIR)/bench_simd $(BENCH_DIR)/bench_simd.wasm $(BENCH_DIR)/bench_simd_scalar.wasm
	$(BENCH_DIR)/bench_simd $(BENCH_DIR)/bench_simd.wasm $(BENCH_DIR)/bench_simd_scalar.wasm
bench: bench-simd

# The memory section of the benchmark: instantiate time and resident
# memory of (memory N) for N = 1, 1024, 65536, and memory.grow to 4 GiB.
$(BENCH_DIR)/bench_memory: scripts/bench/bench_memory.c $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) $< $(LIB_SRCS) -lm -o $@

.PHONY: bench-memory
bench-memory: $(BENCH_DIR)/bench_memory
	$(BENCH_DIR)/bench_memory
bench: bench-memory

# The GC section: allocation throughput of the store's collector on a
# binary-trees program written in wat (scripts/bench/bench_gc.c).
$(BENCH_DIR)/bench_gc: scripts/bench/bench_gc.c $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) $< $(LIB_SRCS) -lm -ldl -o $@

.PHONY: bench-gc
bench-gc: $(BENCH_DIR)/bench_gc
	$(BENCH_DIR)/bench_gc scripts/bench/binary_trees.wat 16
bench: bench-gc

clean:
	rm -rf build

-include $(wildcard $(OBJDIR)/*/*.d $(NATIVE_DIR)/*.d $(BUILD)/tests/*.d \
                    $(WASM_DIR)/*.d $(EXAMPLE_DIR)/*.d)

# ---------------------------------------------------------------- Lua module
# moonwasm.core for Lua 5.4: the binding (src/lua) and the runtime,
# compiled position-independent into one shared object that lua5.4 loads
# from $(BUILD)/lua (examples and specs put ./build/lua first in cpath).
# `make lua` builds it with the fixtures and the example guests; the busted
# specs of tests/lua are one test suite (tests/lua/run.sh prints the
# summary line; with SANITIZE=1 it preloads the ASan/UBSan runtimes).
LUA ?= lua5.4
WASM2WAT ?= wasm2wat
PIC_DIR = $(BUILD)/pic
LUA_MODULE = $(BUILD)/lua/moonwasm/core.so
PIC_OBJS = $(patsubst src/%.c,$(PIC_DIR)/%.o,$(LIB_SRCS) $(LUA_BINDING_SRCS))
# The examples' wasm guests; examples/c/hello.c is a C host, not a guest.
GUEST_SRCS = $(wildcard examples/c/guest_*.c)
GUESTS = $(GUEST_SRCS:examples/c/%.c=$(WASM_DIR)/%.wasm)
GUEST_CFLAGS = --target=wasm32 -O2 -nostdlib -ffreestanding -fno-builtin \
               -Wall -Wextra -Wl,--no-entry -Wl,--allow-undefined

.PHONY: lua demo-lua
all: lua
lua: $(LUA_MODULE) $(FIXTURES) $(GUESTS)

$(PIC_DIR)/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC $(INCLUDES) -I$(LUA_INCDIR) -c $< -o $@

ifeq ($(SANITIZE),1)
# gcc takes over ten minutes on the interpreter loop (one function of some
# two thousand handlers) at -O2 with ASan+UBSan, about two at -O1.
$(OBJDIR)/runtime/exec.o $(PIC_DIR)/runtime/exec.o: SANFLAGS += -O1
endif

$(LUA_MODULE): $(PIC_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared $(ALL_LDFLAGS) $(PIC_OBJS) $(LIBS) -o $@

$(WASM_DIR)/guest_%.wasm: examples/c/guest_%.c
	@mkdir -p $(@D)
	$(CLANG) $(GUEST_CFLAGS) $< -o $@

# guest_calc imports its memory, which wasm-ld 14 names env.memory; the
# example (like rustc's object files) expects env.__linear_memory.
$(WASM_DIR)/guest_calc.wasm: examples/c/guest_calc.c
	@mkdir -p $(@D)
	$(CLANG) $(GUEST_CFLAGS) -Wl,--import-memory $< -o $@.tmp
	$(WASM2WAT) $@.tmp | sed 's/(import "env" "memory"/(import "env" "__linear_memory"/' \
	  | $(WAT2WASM) - -o $@
	rm -f $@.tmp

TEST_SUITES += 'MW_LUA_BUILD=$(BUILD)/lua MW_SANITIZE=$(SANITIZE) LUA=$(LUA) tests/lua/run.sh'
# Our own .wast scripts through the spec-test runner (read natively by src/text);
# its last line is `N passed, N failed, N skipped`.  Under SANITIZE=1 the
# busted spec 90_wast_runner_spec.lua runs them instead, with the sanitizer
# runtimes preloaded by tests/lua/run.sh.
ifneq ($(SANITIZE),1)
TEST_SUITES += 'MW_LUA_BUILD=$(BUILD)/lua $(LUA) scripts/moonwasm wast --no-progress tests/wast'
endif
test-quick: lua

# The README quick start: a Lua host function serving a C guest's import.
demo-lua: lua
	$(LUA) examples/01_host_function.lua
demo: demo-lua

-include $(wildcard $(PIC_DIR)/*/*.d)

# ---------------------------------------------------------------- WASI programs
# tests/wasi/*.c are C programs built at test time for wasm32-wasi (wasi-libc:
# Debian packages wasi-libc and libclang-rt-14-dev-wasm32) and natively;
# build/tests/test_wasi runs each wasm build under mw_wasi and compares it
# with the native one.  Neither build depends on SANITIZE.  Set WASI_SYSROOT
# if clang does not find wasi-libc by itself (Debian's clang does).
WASI_SYSROOT ?=
WASI_PROG_DIR = build/wasi
WASI_NATIVE_DIR = build/wasi-native
WASI_PROG_SRCS = $(wildcard tests/wasi/*.c)
WASI_PROGS = $(WASI_PROG_SRCS:tests/wasi/%.c=$(WASI_PROG_DIR)/%.wasm) \
             $(WASI_PROG_SRCS:tests/wasi/%.c=$(WASI_NATIVE_DIR)/%)
WASI_CFLAGS = --target=wasm32-wasi $(if $(WASI_SYSROOT),--sysroot=$(WASI_SYSROOT)) \
              -O2 $(WARNINGS) -Itests/wasi
export MW_WASI_DIR := $(CURDIR)/$(WASI_PROG_DIR)
export MW_WASI_NATIVE_DIR := $(CURDIR)/$(WASI_NATIVE_DIR)

.PHONY: wasi-progs
wasi-progs: $(WASI_PROGS)
test-quick: wasi-progs

# make docs: the HTML reference of the Lua API (LDoc, Debian lua-ldoc: it
# reads the doc comments of lua/moonwasm/*.lua and of the binding in
# src/lua) and the CLI's man page, both into build/doc.
DOC_DIR = build/doc
.PHONY: docs
docs: $(DOC_DIR)/html/index.html $(DOC_DIR)/man/moonwasm.1
$(DOC_DIR)/html/index.html: doc/config.ld $(wildcard lua/moonwasm/*.lua) $(wildcard src/lua/*.c)
	@command -v ldoc >/dev/null || { echo "make docs: ldoc not found (apt-get install lua-ldoc)" >&2; exit 1; }
	ldoc -c doc/config.ld .
$(DOC_DIR)/man/moonwasm.1: doc/moonwasm.1
	@mkdir -p $(@D)
	cp doc/moonwasm.1 $@

# tests/tools: programs the specs run.  pty_run types Ctrl-C into a command
# on a pseudo-terminal (tests/lua/81_cli_host_spec.lua); needs libutil's
# forkpty, part of libc6-dev.
PTY_RUN = build/tools/pty_run
$(PTY_RUN): tests/tools/pty_run.c
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $< -lutil -o $@
test-quick: $(PTY_RUN)

$(WASI_PROG_DIR)/%.wasm: tests/wasi/%.c tests/wasi/wasi_check.h
	@mkdir -p $(@D)
	$(CLANG) $(WASI_CFLAGS) $< -o $@

# tests/wasi/simd_*.c: wasm SIMD (-msimd128), vectorized loops and
# wasm_simd128.h intrinsics; their native builds use plain C.
$(WASI_PROG_DIR)/simd_%.wasm: tests/wasi/simd_%.c
	@mkdir -p $(@D)
	$(CLANG) $(WASI_CFLAGS) -msimd128 $< -o $@

$(WASI_NATIVE_DIR)/%: tests/wasi/%.c
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $< -o $@

# ---------------------------------------------------------------- AOT
# src/aot/embed.c pastes these headers into every generated C file with
# .incbin, which -MMD does not see.
AOT_PRELUDE = src/aot/aot_abi.h src/runtime/numeric.h src/aot/aot_ops.h \
              src/aot/aot_simd.h src/runtime/simd.h src/runtime/exec_simd.h
$(OBJDIR)/aot/embed.o $(PIC_DIR)/aot/embed.o: $(AOT_PRELUDE)
# ---------------------------------------------------------------- test (CI)
# `make test` is what CI and the README run: every suite of `make
# test-quick`, the same under ASan+UBSan (SANITIZE=1), and the fuzz smoke
# appended below, added up by scripts/run-tests.sh into one final `N
# passed, N failed` line.  `make test SANITIZE=1` is the sanitized suites
# alone, and `make test-quick` the quick loop for development (the suites
# once, no sanitizer).  `make check` is another name for `make test`.
# Sub-makes run with -j$(CHECK_JOBS) unless make was given -j itself.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CHECK_MAKE = $(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(CHECK_JOBS))
CHECK_SUITES = '$(CHECK_MAKE) test-quick' '$(CHECK_MAKE) test-quick SANITIZE=1'

ifeq ($(SANITIZE),1)
test: test-quick
else
test:
	@bash scripts/run-tests.sh $(CHECK_SUITES)
endif
check: test

# ---------------------------------------------------------------- fuzzing
# tests/fuzz/fuzz_<name>.c are libFuzzer targets (clang, ASan + UBSan).
# Each is a target by being there: add tests/fuzz/fuzz_wat.c and `make
# fuzz` runs it too (a target that needs more than the library names it
# in FUZZ_EXTRA_<name> and REPLAY_EXTRA_<name>, with a dependency line
# for each, as lua_api does).
#
#   make fuzz [FUZZ_TARGETS="module wasi_path"] [FUZZ_SECONDS=60]
#       run each target for FUZZ_SECONDS on build/fuzz/corpus/<name>,
#       seeded from tests/fuzz/regress/<name> (hex files) and the fixtures;
#       a finding lands in build/fuzz/artifacts/<name>/
#   make fuzz-smoke   the same for FUZZ_SMOKE_SECONDS each (part of make test)
#
# tests/fuzz/regress/<name>/*.hex are small inputs kept as regression
# tests: `make test-quick` replays them through each target's entry point
# (build/tests/replay_<name>, no libFuzzer), sanitized with SANITIZE=1.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_DIR = build/fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OPT = -O1
FUZZ_CFLAGS = $(STD) -g $(FUZZ_OPT) $(WARNINGS) $(FUZZ_SAN) $(INCLUDES)
FUZZ_OBJS = $(LIB_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LUA_OBJS = $(LUA_BINDING_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
# The Lua API target embeds Lua 5.4 and the binding (lmoonwasm_*.c).
LUA_LIB ?= -llua5.4
FUZZ_EXTRA_lua_api = $(FUZZ_LUA_OBJS) $(LUA_LIB) -DMW_SOURCE_DIR='"$(CURDIR)"'
REPLAY_EXTRA_lua_api = $(patsubst src/%.c,$(PIC_DIR)/%.o,$(LUA_BINDING_SRCS)) $(LUA_LIB) \
                       -DMW_SOURCE_DIR='"$(CURDIR)"'

# Coverage for the fuzzer's feedback.  The interpreter loop is built plain:
# with ~1,500 handlers behind computed gotos clang takes over eight minutes
# on exec.c with ASan and coverage (over ten with ASan+UBSan alone), even at
# -O0, and one second without.  The fuzz targets explore decoding,
# validation and compilation; exec.c runs under ASan+UBSan in
# `make test SANITIZE=1` (gcc, -O1).
FUZZ_COV = -fsanitize=fuzzer-no-link
$(FUZZ_DIR)/obj/runtime/exec.o: FUZZ_OPT = -O0
$(FUZZ_DIR)/obj/runtime/exec.o: FUZZ_SAN =
$(FUZZ_DIR)/obj/runtime/exec.o: FUZZ_COV =
$(FUZZ_DIR)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -I$(LUA_INCDIR) -c $< -o $@

$(FUZZ_DIR)/fuzz_lua_api: $(FUZZ_LUA_OBJS)
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -I$(LUA_INCDIR) -Itests/fuzz $< \
	    $(FUZZ_OBJS) $(FUZZ_EXTRA_$*) -lm -o $@

# Replay: the target's entry point under tests/fuzz/replay.c's main.
$(BUILD)/tests/replay_lua_api: $(filter %.o,$(REPLAY_EXTRA_lua_api))
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -I$(LUA_INCDIR) -Itests/fuzz tests/fuzz/replay.c $< \
	    $(REPLAY_EXTRA_$*) $(LIB) $(ALL_LDFLAGS) $(LIBS) -o $@

REPLAY_BINS = $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)
test-quick: $(REPLAY_BINS)
TEST_SUITES += $(foreach n,$(FUZZ_NAMES),'$(BUILD)/tests/replay_$(n) tests/fuzz/regress/$(n)')

.PHONY: fuzz fuzz-smoke fuzz-seeds
fuzz-seeds: fixtures
	@sh scripts/fuzz/seeds.sh $(FUZZ_DIR)/seeds $(FUZZ_NAMES)

fuzz: fuzz-seeds $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@bash scripts/run-tests.sh $(foreach n,$(FUZZ_TARGETS),'sh scripts/fuzz/run.sh $(FUZZ_DIR) $(n) $(FUZZ_SECONDS)')

fuzz-smoke: fuzz-seeds $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
	@bash scripts/run-tests.sh $(foreach n,$(FUZZ_NAMES),'sh scripts/fuzz/run.sh $(FUZZ_DIR) $(n) $(FUZZ_SMOKE_SECONDS)')

# The targets are built as a suite of their own (no tests, a summary
# line all the same): with ~2,100 interpreter handlers the sanitized clang
# build takes minutes, and the runs after it need their own
# MW_TEST_TIMEOUT (scripts/run-tests.sh).
.PHONY: fuzz-build
fuzz-build: fuzz-seeds $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
	@echo "fuzz-build: 0 passed, 0 failed"
CHECK_SUITES += '$(CHECK_MAKE) fuzz-build' '$(CHECK_MAKE) fuzz-smoke'

# ---------------------------------------------------------------- difftest
# Differential testing against binaryen's interpreter (Debian package
# binaryen: wasm-opt -ttf --fuzz-exec-before): N random modules, run by
# both; see scripts/difftest.  Not part of `make test` (binaryen is not
# a dependency of the test suites).
.PHONY: difftest
difftest: N ?= 200
difftest: SEED ?= 0
difftest: lua
	$(LUA) scripts/difftest $(N) $(SEED)

# The AOT section of the benchmark: the same kernels natively, in the
# interpreter and AOT-compiled, and the AOT compile time.
$(BENCH_DIR)/bench_aot: scripts/bench/bench_aot.c scripts/bench/bench_util.h $(BENCH_DIR)/prog_native.o $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) -Itests/c/wasm $< $(BENCH_DIR)/prog_native.o \
	    $(LIB_SRCS) -lm -ldl -o $@

.PHONY: bench-aot
bench-aot: $(BENCH_DIR)/bench_aot $(BENCH_DIR)/bench_prog.wasm
	$(BENCH_DIR)/bench_aot $(BENCH_DIR)/bench_prog.wasm
bench: bench-aot

# `make test-aot`: the test suites again with every module AOT-compiled
# (src/aot): the C program test, our .wast scripts, and the official Wasm
# 2.0 spec suite when SPEC_SUITE points at a copy (.wast files; not in the
# repository).  Compiled modules are cached by hash in AOT_CACHE, so only
# the first run pays for the C compiler.  Its summary should equal the
# interpreter's (`make test-spec` shape: same files without --aot).
SPEC_SUITE ?= /work/ext/testsuite-2.0
AOT_CACHE ?= build/aot-cache
AOT_SUITES = 'MW_AOT_CACHE=$(AOT_CACHE) $(BUILD)/tests/test_aot' \
             'MW_AOT_CACHE=$(AOT_CACHE) $(BUILD)/tests/test_program' \
             'MW_LUA_BUILD=$(BUILD)/lua $(LUA) scripts/moonwasm wast --no-progress -q --aot --aot-cache $(AOT_CACHE) tests/wast'
ifneq ($(wildcard $(SPEC_SUITE)/*.wast),)
AOT_SUITES += 'MW_LUA_BUILD=$(BUILD)/lua $(LUA) scripts/moonwasm wast --no-progress -q --skip-unconvertible --aot --aot-cache $(AOT_CACHE) $(SPEC_SUITE)/*.wast'
endif
.PHONY: test-aot
test-aot: $(LIB) $(FIXTURES) $(TEST_BINS) lua
	@MW_TEST_TIMEOUT=$${MW_TEST_TIMEOUT:-7200} bash scripts/run-tests.sh $(AOT_SUITES)

# The text section of the benchmark: WAT -> binary throughput (src/text).
$(BENCH_DIR)/bench_text: scripts/bench/bench_text.c $(ALL_SRC_FILES)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) $< $(LIB_SRCS) -lm -o $@

.PHONY: bench-text
bench-text: $(BENCH_DIR)/bench_text
	$(BENCH_DIR)/bench_text
bench: bench-text

# The rockspec: `luarocks make` (build.type "make", scripts/rock.mk) must
# compile every src/*/*.c and install every lua/moonwasm/*.lua.  The static
# check is instant and part of `make test`; `make test-rock` also runs
# luarocks into a temporary tree and checks that the source tree is left
# exactly as it was (`git status --porcelain --ignored`), about 20 s.
TEST_SUITES += 'LUA=$(LUA) bash tests/rock_sources.sh'
.PHONY: test-rock
test-rock:
	@bash scripts/run-tests.sh 'LUA=$(LUA) bash tests/rock_sources.sh --full'

# The calls section of the benchmark: Lua->wasm and wasm->Lua call
# overhead in ns per call beside a plain Lua C-function call
# (scripts/bench/bench_calls.lua; its header says how to count Ir instead).
.PHONY: bench-calls
# ns per call of every call form, and with valgrind installed callgrind
# instructions per call (a few minutes; BENCH_CALLS_ARGS=1000000 skips them).
BENCH_CALLS_ARGS ?= 1000000 --ir
bench-calls: lua
	$(LUA) scripts/bench/bench_calls.lua $(BUILD)/lua $(BENCH_CALLS_ARGS)
bench: bench-calls

# The load section of the benchmark: decode, validate+compile and
# instantiate throughput on a ~30 MB module made by repeating the code of
# a compiled WASI C program (scripts/bench/bench_load.c; LOAD_MB= to size).
LOAD_MB ?= 30
$(BENCH_DIR)/bench_load: scripts/bench/bench_load.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 $(WARNINGS) $(INCLUDES) $< $(LIB) $(LIBS) -o $@

# Then the same for a SIMD program (clang -msimd128: lanes, shuffles).
.PHONY: bench-load
bench-load: $(BENCH_DIR)/bench_load $(WASI_PROG_DIR)/files.wasm $(WASI_PROG_DIR)/simd_lanes.wasm
	$(BENCH_DIR)/bench_load $(WASI_PROG_DIR)/files.wasm $(LOAD_MB)
	$(BENCH_DIR)/bench_load $(WASI_PROG_DIR)/simd_lanes.wasm $(LOAD_MB)
bench: bench-load
