# scripts/rock.mk -- the C half of `luarocks make` (moonwasm-scm-1.rockspec,
# build.type = "make"); the Lua modules and the `moonwasm` command are the
# rockspec's `install` table.
#
# `luarocks make` must leave the source tree exactly as it was, so nothing
# is written under it: the install pass compiles every src/<layer>/*.c into
# a fresh directory from mktemp (under $TMPDIR), links moonwasm.core there,
# copies it to $(LIBDIR)/moonwasm/core.so and removes the directory, also
# when the compile fails.  The build pass has nothing to do (build_pass =
# false in the rockspec) because no directory outlives one make run.
#
#   make -f scripts/rock.mk print-sources   the C files moonwasm.core is built from
#
# The layer list is the Makefile's LAYERS plus the binding (src/lua); the
# test tests/rock_sources.sh fails when a src/*/*.c file is left out.

CC ?= cc
CFLAGS ?= -O2 -fPIC
LIBFLAG ?= -shared
LUA_INCDIR ?= /usr/include/lua5.4
LIBDIR ?=

ROCK_LAYERS = runtime wasi text aot lua
ROCK_SRCS = $(foreach l,$(ROCK_LAYERS),$(wildcard src/$(l)/*.c))
ROCK_CFLAGS = -std=gnu11 $(CFLAGS) -Isrc -Isrc/runtime -Isrc/text -I$(LUA_INCDIR)
# -ldl: the AOT loader (src/aot/loader.c) dlopen()s compiled modules.
ROCK_LIBS = -lm -ldl

# Set only by the recursive make below: the temporary build directory.
OUT ?=
ROCK_OBJS = $(ROCK_SRCS:src/%.c=$(OUT)/%.o)

.PHONY: all install print-sources
all:
	@:

install:
	@test -n "$(LIBDIR)" || { echo "rock.mk: LIBDIR is not set" >&2; exit 1; }
	@set -e; \
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/moonwasm-rock.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) -f scripts/rock.mk OUT="$$tmp" CC="$(CC)" CFLAGS="$(CFLAGS)" \
	    LIBFLAG="$(LIBFLAG)" LUA_INCDIR="$(LUA_INCDIR)" "$$tmp/core.so"; \
	mkdir -p "$(LIBDIR)/moonwasm"; \
	cp "$$tmp/core.so" "$(LIBDIR)/moonwasm/core.so"

print-sources:
	@printf '%s\n' $(ROCK_SRCS)

ifneq ($(OUT),)
$(OUT)/core.so: $(ROCK_OBJS)
	$(CC) $(LIBFLAG) $(ROCK_OBJS) $(ROCK_LIBS) -o $@

$(OUT)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ROCK_CFLAGS) -c $< -o $@
endif
