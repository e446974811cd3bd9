-- Values across Lua -> wasm calls: integers, floats, exact bits, arity,
-- multiple results.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local inst = h.instantiate("lua_values")
local x = inst.exports

describe("i32", function()
  it("passes and returns signed values", function()
    assert.equal(5, x.add_i32(2, 3))
    assert.equal(-1, x.id_i32(-1))
    assert.equal(2147483647, x.id_i32(2147483647))
    assert.equal(-2147483648, x.id_i32(-2147483648))
    assert.equal(math.mininteger, x.id_i64(math.mininteger))
  end)

  it("wraps arguments modulo 2^32", function()
    assert.equal(-1, x.id_i32(0xFFFFFFFF))
    assert.equal(-2147483648, x.id_i32(0x80000000))
    assert.equal(0, x.id_i32(1 << 32))
    assert.equal(5, x.id_i32((1 << 40) + 5))
    assert.equal(-2147483648, x.add_i32(2147483647, 1)) -- wasm wraps too
  end)

  it("accepts floats with an integer value", function()
    assert.equal(3, x.id_i32(3.0))
    assert.equal(-7, x.id_i64(-7.0))
  end)

  it("refuses non-integral floats and non-numbers before running", function()
    h.raises("usage", "id_i32: argument 1: expected i32, got non-integral number 1.5", x.id_i32, 1.5)
    h.raises("usage", "expected i64, got string", x.id_i64, "12")
    h.raises("usage", "expected i32, got nil", x.id_i32, nil)
    h.raises("usage", "expected i32, got table", x.id_i32, {})
    h.raises("usage", "id_i64: argument 1: expected i64, got number 9.2233720368548e+18 " ..
             "(no integer representation)", x.id_i64, 2^63) -- out of int64 range
    h.raises("usage", "non-integral", x.id_i32, 0/0)
  end)
end)

describe("i64", function()
  it("covers the full 64-bit range", function()
    assert.equal(math.maxinteger, x.id_i64(math.maxinteger))
    assert.equal(math.mininteger, x.id_i64(math.mininteger))
    assert.equal(math.mininteger, x.add_i64(math.maxinteger, 1))
    assert.equal(-1, x.id_i64(-1))
    assert.equal(0x7FFFFFFFFFFFFFFF, x.id_i64(0x7FFFFFFFFFFFFFFF))
  end)

  it("returns integers, not floats", function()
    assert.equal("integer", math.type(x.id_i64(3)))
    assert.equal("integer", math.type(x.id_i32(3)))
  end)
end)

describe("f32 and f64", function()
  it("round f32 and keep f64 exact", function()
    assert.equal(1.5, x.id_f32(1.5))
    assert.equal(wasm.f32_from_bits(wasm.f32_bits(1.1)), x.id_f32(1.1))
    assert.are_not.equal(1.1, x.id_f32(1.1))
    assert.equal(1.1, x.id_f64(1.1))
    assert.equal("float", math.type(x.id_f64(3)))
    assert.equal(math.huge, x.id_f64(math.huge))
    assert.equal(-math.huge, x.id_f32(-math.huge))
  end)

  it("accepts integers and converts them", function()
    assert.equal(3.0, x.id_f64(3))
    assert.equal(16777216.0, x.id_f32(16777217)) -- rounded to f32
  end)

  it("refuses non-numbers", function()
    h.raises("usage", "expected f64, got string", x.id_f64, "1")
    h.raises("usage", "expected f32, got boolean", x.id_f32, true)
  end)

  it("passes NaN", function()
    local r = x.id_f64(0/0)
    assert.is_true(r ~= r)
  end)
end)

describe("exact bits (call_bits)", function()
  it("keeps f32 NaN payloads both ways", function()
    -- a signalling NaN with a payload: a trip through a Lua float could
    -- quiet it; bits must not
    assert.equal(0xFFA00001, x.neg_f32:call_bits(0x7FA00001))
    assert.equal(0x7FA00001, x.i32_from_f32:call_bits(0x7FA00001))
    assert.equal(0x7F800001, x.f32_from_i32:call_bits(0x7F800001))
    assert.equal(0x7F800001, inst:call_bits("f32_from_i32", 0x7F800001))
  end)

  it("returns f32 bits as 0..0xFFFFFFFF and f64 bits as int64", function()
    assert.equal(0xBF800000, x.id_f32:call_bits(0xBF800000)) -- -1.0f
    assert.equal(wasm.f64_bits(-2.5), x.id_f64:call_bits(wasm.f64_bits(-2.5)))
    assert.equal(-0x0008000000000001, x.f64_from_i64:call_bits(-0x0008000000000001))
  end)

  it("treats floats as values even in bit mode", function()
    assert.equal(wasm.f32_bits(1.5), x.id_f32:call_bits(1.5))
    assert.equal(5, x.add_i32:call_bits(2, 3))
  end)

  it("has conversion helpers", function()
    assert.equal(0x3F800000, wasm.f32_bits(1.0))
    assert.equal(0x3FF0000000000000, wasm.f64_bits(1.0))
    assert.equal(1.0, wasm.f32_from_bits(0x3F800000))
    assert.equal(-2.0, wasm.f64_from_bits(wasm.f64_bits(-2.0)))
    assert.equal(0x80000000, wasm.f32_bits(-0.0))
    assert.equal(math.mininteger, wasm.f64_bits(-0.0))
  end)
end)

describe("arity and results", function()
  it("raises a usage error for a wrong argument count before running", function()
    h.raises("usage", "add_i32: expected 2 arguments, got 1", x.add_i32, 1)
    h.raises("usage", "add_i32: expected 2 arguments, got 3", x.add_i32, 1, 2, 3)
    h.raises("usage", "id_i32: expected 1 argument, got 0", x.id_i32)
    h.raises("usage", "expected 0 arguments, got 1", x.nothing, 1)
  end)

  it("returns multiple results in order", function()
    local a, b = x.swap(7, math.maxinteger)
    assert.equal(math.maxinteger, a)
    assert.equal(7, b)
    assert.equal(0, select("#", x.nothing()))
  end)

  it("handles signatures longer than the inline buffers", function()
    local args = {}
    for i = 1, 20 do args[i] = i * 1000000000000 end
    assert.equal(210 * 1000000000000, x.sum20(table.unpack(args)))
    h.raises("usage", "expected 20 arguments, got 19", x.sum20, table.unpack(args, 1, 19))
  end)

  it("calls through fn(...), fn:call(...) and inst:call(name, ...)", function()
    assert.equal(5, x.add_i32(2, 3))
    assert.equal(5, x.add_i32:call(2, 3))
    assert.equal(5, inst:call("add_i32", 2, 3))
    h.raises("usage", 'no exported function "nope"', inst.call, inst, "nope")
    h.raises("usage", 'no exported function "memory"', inst.call, inst, "memory")
  end)

  it("keeps one object per export", function()
    assert.equal(x.add_i32, inst.exports.add_i32)
    assert.equal(inst.exports, inst:exports())
    assert.is_nil(x.nope)
  end)
end)
