-- moonwasm-scm-1.rockspec -- build and install moonwasm from a source tree:
--
--   luarocks make                       (or --local, or --tree DIR)
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

dependencies = {
  "lua >= 5.4, < 5.5",
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
  },
  install = {
    bin = {moonwasm = "scripts/moonwasm"},
  },
}
