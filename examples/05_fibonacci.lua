-- 05_fibonacci.lua -- the steps one by one: load, validate, instantiate,
-- list the exported functions with their types, call.
--
--   make && lua5.4 examples/05_fibonacci.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local mod = wasm.load_file("build/wasm/guest_fib.wasm")
print("1. loaded " .. tostring(#mod:exports()) .. " exports")
mod:validate()
print("2. validated")
local store = wasm.store()
local inst = store:instantiate(mod)
print("3. instantiated")
print("4. exported functions:")
for _, e in ipairs(mod:exports()) do
  if e.kind == "func" then print(("   %s %s"):format(e.name, tostring(e.type))) end
end
print("5. calls:")
local seq = {}
for n = 0, 10 do seq[#seq + 1] = inst.exports.fib(n) end
print("   fib(0..10) = " .. table.concat(seq, " "))
print("   fib(25) = " .. inst:call("fib", 25))
print("   fib64(90) = " .. inst.exports.fib64(90))
store:close()
