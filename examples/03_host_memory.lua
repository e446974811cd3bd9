-- 03_host_memory.lua -- the host provides the guest's memory.
--
-- examples/c/guest_calc.c imports its linear memory as env.__linear_memory
-- and a host function read(pointer, offset).  The host creates the memory,
-- places data in it, and passes the guest a pointer; read() hands the guest
-- a byte of that data.  Pointers are offsets into the memory: they stay
-- valid when it grows.
--
--   make && lua5.4 examples/03_host_memory.lua
-- Find the in-tree module when run from the repository root (harmless once
-- moonwasm is installed).
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

local memory = wasm.memory{min = 2, max = 4}
local DATA = 100000 -- past the guest's stack, which ends at 66560
memory:write(DATA, "\0\1\2\3")
print(("host placed %d bytes at %d in a memory of %d pages")
      :format(4, DATA, memory:size()))

local read = wasm.func({"i64", "i32"}, {"i32"}, function(pointer, offset)
  local byte = memory:get_u8(pointer + offset)
  print(("host read(%d, %d) -> %d"):format(pointer, offset, byte))
  return byte
end)

local inst = wasm.instantiate(wasm.load_file("build/wasm/guest_calc.wasm"), {
  env = {__linear_memory = memory, read = read},
})

print("calc(DATA, 20) = " .. inst.exports.calc(DATA, 20))
memory:set_u8(DATA + 2, 40)
print("after the host changed the data: calc(DATA, 20) = " .. inst.exports.calc(DATA, 20))
print("the guest sees the same bytes: peek(DATA + 3) = " .. inst.exports.peek(DATA + 3))
memory:grow(1)
print("after memory:grow(1): calc(DATA, 1) = " .. inst.exports.calc(DATA, 1))
