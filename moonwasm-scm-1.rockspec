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
-- scripts/.  Keep `sources` in step with src/*.c.
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

build = {
  type = "builtin",
  modules = {
    ["moonwasm.core"] = {
      sources = {
        "src/alloc.c", "src/compile.c", "src/decode.c", "src/error.c",
        "src/exec.c", "src/func.c", "src/global.c", "src/instance.c",
        "src/memory.c", "src/module.c", "src/opcodes.c", "src/store.c",
        "src/table.c", "src/validate.c", "src/value.c",
        "src/wasi.c", "src/wasi_fd.c", "src/wasi_os.c", "src/wasi_path.c",
        "src/wasi_poll.c",
        "src/lmoonwasm.c", "src/lmoonwasm_obj.c", "src/lmoonwasm_store.c",
        "src/lmoonwasm_wasi.c",
      },
      incdirs = {"src"},
      libraries = {"m"},
    },
    ["moonwasm"] = "lua/moonwasm/init.lua",
    ["moonwasm.vm"] = "lua/moonwasm/vm.lua",
    ["moonwasm.wast"] = "lua/moonwasm/wast.lua",
    ["moonwasm.spectest"] = "lua/moonwasm/spectest.lua",
    ["moonwasm.cli"] = "lua/moonwasm/cli.lua",
    ["moonwasm.sections"] = "lua/moonwasm/sections.lua",
  },
  install = {
    bin = {moonwasm = "scripts/moonwasm"},
  },
}
