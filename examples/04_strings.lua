-- 04_strings.lua -- strings both ways, as (pointer, length) in memory.
--
-- examples/c/guest_strings.c hands the host a string through env.print;
-- the host then writes a string into memory it got from the guest's
-- exported allocator, and reads back the transformed string the guest
-- returns.
--
--   make && lua5.4 examples/04_strings.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local print_fn = wasm.func({"i32", "i32"}, {}, function(caller, ptr, len)
  -- the caller object gives the calling instance's memory
  print("guest says: " .. caller:memory():read(ptr, len))
end, {caller = true})

local inst = wasm.instantiate(wasm.load_file("build/wasm/guest_strings.wasm"),
                              {env = {print = print_fn}})
local x = inst.exports
local mem = x.memory

x.greet()

local function shout(s)
  local ptr = x.alloc(#s)
  assert(ptr ~= 0, "guest out of memory")
  mem:write(ptr, s)
  local out = x.shout(ptr, #s)
  return mem:read(out, #s + 1)
end

for _, s in ipairs{"hello, lua", "wasm strings"} do
  print(("shout(%q) = %q"):format(s, shout(s)))
end
