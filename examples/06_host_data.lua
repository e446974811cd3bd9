-- 06_host_data.lua -- a host function with its own data.
--
-- examples/c/guest_counter.c calls env.tick n times.  Each host function
-- keeps its state in a Lua closure (the "host data"); two instances get two
-- independent counters.
--
--   make && lua5.4 examples/06_host_data.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local function counter(name)
  local calls = 0 -- the host data
  local tick = wasm.func({}, {"i32"}, function()
    calls = calls + 1
    return calls
  end, {name = name})
  return tick, function() return calls end
end

local mod = wasm.load_file("build/wasm/guest_counter.wasm")
local tick_a, count_a = counter("tick a")
local tick_b, count_b = counter("tick b")
local a = wasm.instantiate(mod, {env = {tick = tick_a}})
local b = wasm.instantiate(mod, {env = {tick = tick_b}})

print("a.run(5) = " .. a.exports.run(5))
print("b.run(3) = " .. b.exports.run(3))
print("a.run(2) = " .. a.exports.run(2))
print(("counter a was called %d times, counter b %d times"):format(count_a(), count_b()))
