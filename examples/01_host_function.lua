-- 01_host_function.lua -- a Lua function serves a C import.
--
-- examples/c/guest_add.c declares `extern int add(int, int);` and exports
-- `run`, which returns add(1, 2).  Compiled by clang to wasm32, the
-- undefined `add` becomes the import env.add; here a plain Lua function
-- fills it, typed by the module's own import declaration.
--
--   make && lua5.4 examples/01_host_function.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local mod = wasm.load_file("build/wasm/guest_add.wasm")
for _, imp in ipairs(mod:imports()) do
  print("the guest imports " .. tostring(imp))
end

local inst = wasm.instantiate(mod, {
  env = {
    add = function(a, b)
      print(("host add(%d, %d)"):format(a, b))
      return a + b
    end,
  },
})

print("run() = " .. inst.exports.run())
