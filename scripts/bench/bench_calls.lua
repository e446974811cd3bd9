-- bench_calls.lua -- call overhead across the Lua/wasm boundary, in ns per
-- call beside a plain Lua C-function call (math.abs), all in one run:
--   lua->wasm: Lua calling an exported (func (param i32) (result i32))
--   wasm->Lua: a wasm loop calling an imported Lua host function
--   in a coroutine: Lua->wasm from a coroutine, where wasm runs as a fiber
--     (so that its Lua host functions may yield)
-- Usage: lua5.4 scripts/bench/bench_calls.lua [build/lua] [N] [only]
-- `only` ("c", "lw", "wl" or "co") runs that one loop once, for counting
-- instructions: (Ir at N2 - Ir at N1) / (N2 - N1) under callgrind.
local build = arg[1] or "build/lua"
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = build .. "/?.so;" .. package.cpath
local wasm = require("moonwasm")
local N = tonumber(arg[2]) or 2000000

local inst = wasm.instantiate(wasm.load(wasm.wat([[
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (func (export "id") (param i32) (result i32) local.get 0)
  (func (export "loop") (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $h (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    local.get $acc))
]])), {env = {h = function(x) return x end}})

local id, loop, abs = inst.exports.id, inst.exports.loop, math.abs
local function best(f)
  local b = math.huge
  for _ = 1, 5 do
    local t0 = os.clock()
    f()
    b = math.min(b, os.clock() - t0)
  end
  return b / N * 1e9
end
local only = arg[3]
if only then
  local f = ({c = function() for i = 1, N do abs(i) end end,
              lw = function() for i = 1, N do id(i) end end,
              wl = function() loop(N) end,
              co = coroutine.wrap(function() for i = 1, N do id(i) end end)})[only]
  f()
  return
end
local c = best(function() for i = 1, N do abs(i) end end)
local lw = best(function() for i = 1, N do id(i) end end)
local wl = best(function() loop(N) end)
local co = best(coroutine.wrap(function()
  while true do
    for i = 1, N do id(i) end
    coroutine.yield()
  end
end))
print(string.format("calls: Lua C function %6.1f ns/call", c))
print(string.format("calls: Lua->wasm      %6.1f ns/call  (%.1fx a C function)", lw, lw / c))
print(string.format("calls: wasm->Lua      %6.1f ns/call  (%.1fx a C function)", wl, wl / c))
print(string.format("calls: Lua->wasm in a coroutine (a fiber) %6.1f ns/call  (%.1fx a C function)",
                    co, co / c))
