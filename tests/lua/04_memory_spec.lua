-- Memories: read/write by offset, typed access, growth, bounds, host memories.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

describe("exported memory", function()
  local inst, mem
  before_each(function()
    inst = h.instantiate("lua_values")
    mem = inst:memory()
  end)

  it("is the same object however it is reached", function()
    assert.equal(mem, inst.exports.memory)
    assert.equal(mem, inst:memory("memory"))
    h.raises("usage", 'no exported memory "nope"', inst.memory, inst, "nope")
    h.raises("usage", 'no exported memory "g_i32"', inst.memory, inst, "g_i32")
  end)

  it("reads data segments and writes bytes", function()
    assert.equal("hello, wasm", mem:read(16, 11))
    mem:write(16, "HELLO")
    assert.equal("HELLO, wasm", mem:read(16, 11))
    assert.equal("", mem:read(0, 0))
    mem:write(65536, "") -- empty write at the very end is in bounds
    assert.equal("", mem:read(65536, 0))
  end)

  it("fills", function()
    mem:fill(100, 0x41, 4)
    assert.equal("AAAA", mem:read(100, 4))
  end)

  it("knows its size in pages and bytes, and its type", function()
    assert.equal(1, mem:size())
    assert.equal(65536, mem:bytes())
    assert.equal("(memory 1 3)", tostring(mem:type()))
  end)

  it("grows, returning the old size; fails with nil and a message", function()
    assert.equal(1, mem:grow(1))
    assert.equal(2, mem:size())
    assert.equal(2, mem:grow(0))
    local r, msg = mem:grow(2) -- past max 3
    assert.is_nil(r)
    assert.equal("memory cannot grow by 2 pages", msg)
    assert.is_nil((mem:grow(1 << 40)))
    assert.equal(2, mem:size())
    assert.has_error(function() mem:grow(-1) end)
  end)

  it("stays correct across growth (offsets, not pointers)", function()
    mem:write(10, "keep")
    mem:grow(2)
    assert.equal("keep", mem:read(10, 4))
    mem:write(3 * 65536 - 4, "tail")
    assert.equal("tail", mem:read(3 * 65536 - 4, 4))
  end)

  it("refuses any access outside with a trap error, touching nothing", function()
    h.raises("trap", "out of bounds memory access", mem.read, mem, 65536, 1)
    h.raises("trap", "out of bounds memory access", mem.read, mem, 65530, 7)
    h.raises("trap", "out of bounds memory access", mem.read, mem, -1, 1)
    h.raises("trap", "out of bounds memory access", mem.read, mem, 0, -1)
    h.raises("trap", "out of bounds memory access", mem.read, mem, 0, math.maxinteger)
    h.raises("trap", "out of bounds memory access", mem.read, mem, math.maxinteger, 2)
    h.raises("trap", "out of bounds memory access", mem.write, mem, 65535, "ab")
    h.raises("trap", "out of bounds memory access", mem.get_i64, mem, 65529)
    h.raises("trap", "out of bounds memory access", mem.set_u8, mem, 65536, 1)
    h.raises("trap", "out of bounds memory access", mem.fill, mem, 65000, 0, 1000)
    assert.equal(string.rep("\0", 4), mem:read(65532, 4))
  end)

  it("rejects wrong argument types", function()
    assert.has_error(function() mem:read("x", 1) end)
    assert.has_error(function() mem:write(0, {}) end)
    assert.has_error(function() mem:set_i32(0, "x") end)
    assert.has_error(function() mem:set_i32(0, 1.5) end)
    assert.has_error(function() mem.read({}, 0, 1) end)
  end)
end)

describe("typed access", function()
  local mem = wasm.memory{min = 1}

  it("reads and writes each width little-endian", function()
    mem:set_u32(0, 0x04030201)
    assert.equal("\1\2\3\4", mem:read(0, 4))
    assert.equal(0x0201, mem:get_u16(0))
    assert.equal(1, mem:get_u8(0))
    mem:set_i8(8, -1)
    assert.equal(-1, mem:get_i8(8))
    assert.equal(255, mem:get_u8(8))
    mem:set_i16(10, -2)
    assert.equal(-2, mem:get_i16(10))
    assert.equal(0xFFFE, mem:get_u16(10))
    mem:set_i32(12, -3)
    assert.equal(-3, mem:get_i32(12))
    assert.equal(0xFFFFFFFD, mem:get_u32(12))
    mem:set_i64(16, math.mininteger)
    assert.equal(math.mininteger, mem:get_i64(16))
    mem:set_u32(24, 0xFFFFFFFF)
    assert.equal(-1, mem:get_i32(24))
    mem:set_u8(28, 0x1FF) -- truncates to the width
    assert.equal(0xFF, mem:get_u8(28))
  end)

  it("stores floats", function()
    mem:set_f32(32, 1.5)
    assert.equal(1.5, mem:get_f32(32))
    assert.equal(0x3FC00000, mem:get_u32(32))
    mem:set_f64(40, -0.1)
    assert.equal(-0.1, mem:get_f64(40))
    assert.equal(wasm.f64_bits(-0.1), mem:get_i64(40))
  end)

  it("agrees with wasm loads and stores", function()
    local m = wasm.memory{min = 1}
    local inst = h.instantiate("lua_link", {env = {
      f = function(v) return v end, mem = m,
      tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 0, true)}})
    inst.exports.store(100, -123456)
    assert.equal(-123456, m:get_i32(100))
    m:set_i32(200, 987654)
    assert.equal(987654, inst.exports.load(200))
    h.raises("trap", "out of bounds memory access", inst.exports.load, 65533)
  end)
end)

describe("wasm.memory", function()
  it("makes host memories", function()
    local m = wasm.memory{min = 2, max = 4}
    assert.equal(2, m:size())
    assert.equal("(memory 2 4)", tostring(m:type()))
    assert.equal(2, m:grow(2))
    assert.is_nil((m:grow(1)))
    local z = wasm.memory{min = 0}
    assert.equal(0, z:bytes())
    h.raises("trap", "out of bounds memory access", z.read, z, 0, 1)
  end)

  it("refuses bad limits", function()
    h.raises("usage", "min must be 0..65536", wasm.memory, {min = -1})
    h.raises("usage", "min must be 0..65536", wasm.memory, {min = 65537})
    h.raises("usage", "max must be min..65536", wasm.memory, {min = 2, max = 1})
    h.raises("usage", "max must be min..65536", wasm.memory, {min = 1, max = 1 << 40})
    h.raises("usage", "expected {min=, max=}", wasm.memory, 3)
  end)

  it("is shared by the instances importing it (host data placed by Lua)", function()
    local m = wasm.memory{min = 1}
    m:write(64, "\7\0\0\0")
    local imports = {env = {f = function(v) return v end, mem = m,
      tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 0, true)}}
    local a = h.instantiate("lua_link", imports)
    local b = h.instantiate("lua_link", imports)
    assert.equal(7, a.exports.load(64))
    b.exports.store(64, 9)
    assert.equal(9, a.exports.load(64))
    assert.equal(m, a:memory())
  end)
end)
