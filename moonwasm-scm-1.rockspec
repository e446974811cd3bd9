-- moonwasm-scm-1.rockspec -- build and install moonwasm from a source tree:
--
--   luarocks make                       (or --local, or --tree DIR)
--
-- Where luarocks defaults to another Lua and the dependencies come from
-- Debian packages (lua-argparse, lua-cjson, lua-filesystem), which
-- luarocks does not see:
--
--   luarocks --lua-version 5.4 make --deps-mode=none --tree DIR
--
-- DIR/bin/moonwasm then finds the tree's modules by itself.
--
-- moonwasm.core is the whole C runtime plus the Lua binding in one shared
-- module; the Lua modules come from lua/, the `moonwasm` command from
-- scripts/.
rockspec_format = "3.0"
package = "moonwasm"
version = "scm-1"

source = {
  url = "git+file://./moonwasm",
}

description = {
  summary = "A WebAssembly runtime written in C, driven from Lua 5.4",
  detailed = [[
moonwasm decodes, validates and interprets WebAssembly 2.0 modules (no SIMD
yet).  From Lua: load and inspect modules, define host functions, memories,
tables and globals, link and instantiate, call exports, run WASI programs
and the official .wast spec tests.]],
  license = "MIT",
  labels = {"webassembly", "wasm", "interpreter", "runtime"},
}

-- The CLI parses its arguments with argparse, `inspect --json` writes JSON
-- with lua-cjson, and `run --dir` and the .wast runner use luafilesystem.
dependencies = {
  "lua >= 5.4, < 5.5",
  "argparse",
  "lua-cjson",
  "luafilesystem",
}

-- build.type "make": scripts/rock.mk compiles moonwasm.core in a temporary
-- directory outside the source tree and installs it, so `luarocks make`
-- leaves the checkout exactly as it was (the builtin type writes its .o
-- files next to the sources).  Its sources are every src/<layer>/*.c;
-- tests/rock_sources.sh checks that none is left out.
build = {
  type = "make",
  makefile = "scripts/rock.mk",
  build_pass = false,
  install_target = "install",
  -- Unused (no build pass); set so luarocks does not warn about CFLAGS.
  build_variables = {CFLAGS = "$(CFLAGS)"},
  install_variables = {
    CC = "$(CC)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    LIBDIR = "$(LIBDIR)",
  },
  install = {
    lua = {
      ["moonwasm"] = "lua/moonwasm/init.lua",
      ["moonwasm.vm"] = "lua/moonwasm/vm.lua",
      ["moonwasm.wast"] = "lua/moonwasm/wast.lua",
      ["moonwasm.spectest"] = "lua/moonwasm/spectest.lua",
      ["moonwasm.cli"] = "lua/moonwasm/cli.lua",
      ["moonwasm.cli_host"] = "lua/moonwasm/cli_host.lua",
      ["moonwasm.memory"] = "lua/moonwasm/memory.lua",
      ["moonwasm.sections"] = "lua/moonwasm/sections.lua",
      ["moonwasm.aot"] = "lua/moonwasm/aot.lua",
    },
    bin = {moonwasm = "scripts/moonwasm"},
  },
}
