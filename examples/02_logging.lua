-- 02_logging.lua -- a guest that logs through the host.
--
-- examples/c/guest_log.c exports `add` and calls the imported host
-- function env.hostLogUint32 with each sum.  The host function here is
-- typed explicitly with wasm.func and collects the log lines.
--
--   make && lua5.4 examples/02_logging.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local log = {}
local hostLogUint32 = wasm.func({"i32"}, {}, function(value)
  -- i32 values arrive signed; the guest means an unsigned number
  local u = value & 0xFFFFFFFF
  log[#log + 1] = u
  print("[guest log] " .. u)
end)

local env = wasm.import_object("env", {hostLogUint32 = hostLogUint32})
local inst = wasm.instantiate(wasm.load_file("build/wasm/guest_log.wasm"), env)

local add = inst.exports.add
print("add is " .. tostring(add:type()))
print("add(40, 2) = " .. add(40, 2))
-- 4294967295 passes as the i32 -1; the sum wraps like C's unsigned
print("add(4294967295, 2) = " .. (add(4294967295, 2) & 0xFFFFFFFF))
print(("the host saw %d log calls: %s"):format(#log, table.concat(log, ", ")))
