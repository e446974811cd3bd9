-- 07_statistics.lua -- counting what a guest runs: instructions, a cost
-- per instruction, time, and a cost budget that stops a runaway call.
--
--   make && lua5.4 examples/07_statistics.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

-- Counting is compiled into the code of modules loaded with such a config
-- (here by the VM's load); calls cost 10, everything else 1.
local config = wasm.config{
  statistics = {instructions = true, cost = true, time = true},
  cost_table = {call = 10, default = 1},
}
local vm = wasm.vm(config)
vm:load("build/wasm/guest_fib.wasm"):validate():instantiate()
print("fib(20) = " .. vm:execute("fib", 20))
local s = vm:statistics()
print(("%d instructions, cost %d, %d call(s), %.3f ms"):format(
  s.instructions, s.cost, s.calls, s.time * 1000))
vm:reset_statistics()
print("fib64(50) = " .. vm:execute("fib64", 50))
print(("fib64(50) ran %d instructions"):format(vm:statistics().instructions))

-- A budget: past cost_limit a call fails with an "exhaustion" error, and
-- the store stays usable once its statistics are reset.
local budget = wasm.config{cost_limit = 100000}
local store = wasm.store(budget)
local fib = store:instantiate(wasm.load_file("build/wasm/guest_fib.wasm", budget)).exports.fib
print("with a budget of 100000: fib(15) = " .. fib(15))
local ok, err = pcall(fib, 30)
print(("fib(30): %s"):format(ok and "finished" or tostring(err)))
store:reset_statistics()
print("after reset_statistics: fib(10) = " .. fib(10))
vm:close()
store:close()
