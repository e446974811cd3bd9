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
-- scripts/.  Keep `sources` in step with src/*/*.c (the Makefile's
-- LAYERS and src/lua).
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
        "src/runtime/alloc.c", "src/runtime/cexpr.c", "src/runtime/compile.c", "src/runtime/decode.c",
        "src/runtime/error.c", "src/runtime/exec.c", "src/runtime/func.c",
        "src/runtime/global.c", "src/runtime/instance.c", "src/runtime/memory.c", "src/runtime/memx.c",
        "src/runtime/module.c", "src/runtime/opcodes.c", "src/runtime/store.c",
        "src/runtime/table.c", "src/runtime/validate.c", "src/runtime/value.c",
        "src/runtime/hostctl.c",
        "src/runtime/fiber.c",
        "src/runtime/profile.c",
        "src/runtime/vmem.c",
        "src/wasi/wasi.c", "src/wasi/wasi_fd.c", "src/wasi/wasi_os.c",
        "src/wasi/wasi_path.c", "src/wasi/wasi_poll.c",
        "src/text/instr.c", "src/text/lexer.c", "src/text/literals.c",
        "src/text/module.c", "src/text/parser.c", "src/text/wast.c", "src/text/wat.c",
        "src/aot/aot_rt.c", "src/aot/driver.c", "src/aot/embed.c",
        "src/aot/loader.c", "src/aot/translate.c",
        "src/lua/lmoonwasm.c", "src/lua/lmoonwasm_obj.c",
        "src/lua/lmoonwasm_store.c", "src/lua/lmoonwasm_wasi.c",
        "src/lua/lmoonwasm_hostctl.c", "src/lua/lmoonwasm_text.c",
        "src/lua/lmoonwasm_v128.c",
        "src/lua/lmoonwasm_fiber.c",
        "src/lua/lmoonwasm_aot.c",
      },
      incdirs = {"src", "src/runtime", "src/text"},
      libraries = {"m", "dl"},
    },
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
  install = {
    bin = {moonwasm = "scripts/moonwasm"},
  },
}
