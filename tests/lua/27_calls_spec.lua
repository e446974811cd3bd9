-- Calls across Lua and wasm on the fast paths (src/lua/lmoonwasm_call.c):
-- signatures of numbers only take raw slots both ways; everything else,
-- and every failure, must behave exactly as on the general paths.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local WAT = [[
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (import "env" "h4" (func $h4 (param i32 i64 f32 f64) (result f64 f32 i64 i32)))
  (import "env" "again" (func $again (param i32) (result i32)))
  (func (export "id") (param i32) (result i32) local.get 0)
  (func (export "id64") (param i64) (result i64) local.get 0)
  (func (export "idf32") (param f32) (result f32) local.get 0)
  (func (export "none"))
  (func (export "mix") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    local.get 3 local.get 2 local.get 1 local.get 0)
  (func (export "call_h") (param i32) (result i32) (call $h (local.get 0)))
  (func (export "call_h4") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (call $h4 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func $sum_h (export "sum_h") (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $h (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    local.get $acc)
  (func (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $again (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "many") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32
                               i32 i32 i32 i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 16)))
)]]
local bytes = wasm.wat(WAT)

local function inst_with(over)
  local env = {
    h = function(x) return x end,
    h4 = function(a, b, c, d) return d, c, b, a end,
    again = function(x) return x end,
  }
  for k, v in pairs(over or {}) do env[k] = v end
  return wasm.instantiate(wasm.load(bytes), {env = env})
end

describe("Lua -> wasm calls of numbers-only functions", function()
  local e = inst_with().exports

  it("convert arguments and results exactly", function()
    assert.equal(-1, e.id(0xFFFFFFFF))       -- i32 wraps modulo 2^32
    assert.equal(-1, e.id(0x1FFFFFFFF))
    assert.equal(3, e.id(3.0))               -- integral floats are integers
    assert.equal(math.mininteger, e.id64(math.mininteger))
    assert.equal(math.maxinteger, e.id64(math.maxinteger))
    local r = e.idf32(0.1)                   -- f32 rounds
    assert.equal(string.unpack("f", string.pack("f", 0.1)), r)
    assert.equal("float", math.type(r))
    local a, b, c, d = e.mix(-7, -8, 1.5, -2.25)
    assert.same({-2.25, 1.5, -8, -7}, {a, b, c, d})
    assert.equal("integer", math.type(c))
    assert.equal(0, select("#", e.none()))
  end)

  it("give the general path's messages for bad arguments", function()
    h.raises("usage", "id: argument 1: expected i32, got non-integral number 2.5", e.id, 2.5)
    h.raises("usage", "id: argument 1: expected i32, got string", e.id, "5")
    h.raises("usage", "id: argument 1: expected i32, got nil", e.id, nil)
    h.raises("usage", "id: argument 1: expected i32, got number 1e+100 (no integer representation)",
             e.id, 1e100)
    h.raises("usage", "id: expected 1 argument, got 0", e.id)
    h.raises("usage", "id: expected 1 argument, got 2", e.id, 1, 2)
    h.raises("usage", "mix: expected 4 arguments, got 3", e.mix, 1, 2, 3)
    h.raises("usage", "idf32: argument 1: expected f32, got string", e.idf32, "1")
  end)

  it("trap with the spec's message and leave the store usable", function()
    h.raises("trap", "integer divide by zero", e.div, 1, 0)
    assert.equal(-3, e.div(-7, 2))
  end)

  it("check self and refuse closed functions", function()
    local inst = inst_with()
    local id = inst.exports.id
    h.raises("usage", "expected moonwasm.Func", debug.getmetatable(id).__call, 5, 1)
    id:close()
    h.raises("usage", "attempt to use a closed function", id, 1)
    inst = inst_with()
    local id2 = inst.exports.id
    inst:close()
    local err = h.error_of(id2, 1)
    assert.equal("usage", err.kind)
    assert.truthy(err.message:find("closed", 1, true))
  end)

  it("take the general path beyond the fast one's limits", function()
    assert.equal(18, e.many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17))
    -- call_bits: f32 as bit patterns
    assert.equal(0x3f800000, e.idf32:call_bits(0x3f800000))
  end)

  it("run in a coroutine (as a fiber) with the same results", function()
    local co = coroutine.wrap(function() return e.mix(1, 2, 3.5, 4.5) end)
    local a, b, c, d = co()
    assert.same({4.5, 3.5, 2, 1}, {a, b, c, d})
  end)
end)

describe("wasm -> Lua calls of numbers-only host functions", function()
  it("convert arguments and results exactly", function()
    local seen
    local inst = inst_with{h4 = function(a, b, c, d)
      seen = {a, b, c, d, math.type(a), math.type(b)}
      return d, c, b, 0xFFFFFFFF
    end}
    local a, b, c, d = inst.exports.call_h4(-1, math.mininteger, 0.5, 1e300)
    assert.same({-1, math.mininteger, 0.5, 1e300, "integer", "integer"}, seen)
    assert.same({1e300, 0.5, math.mininteger, -1}, {a, b, c, d})
    inst = inst_with{h = function(x) return 2.0 * x end} -- integral float result
    assert.equal(42, inst.exports.call_h(21))
    assert.equal(5050, inst_with().exports.sum_h(100))
  end)

  it("report wrong results like the general path", function()
    local inst = inst_with{h = function(x) return x, 2 end}
    h.raises("host", "env.h returned 2 values, expected 1", inst.exports.call_h, 1)
    inst = inst_with{h = function() end}
    h.raises("host", "env.h returned 0 values, expected 1", inst.exports.call_h, 1)
    inst = inst_with{h = function() return "7" end}
    h.raises("host", "env.h: result 1: expected i32, got string", inst.exports.call_h, 1)
    inst = inst_with{h = function() return 1.5 end}
    h.raises("host", "env.h: result 1: expected i32, got non-integral number 1.5",
             inst.exports.call_h, 1)
    -- and the store still runs afterwards
    assert.equal(7, inst.exports.id(7))
  end)

  it("hand back the value a host function raised, with the wasm frames", function()
    local token = {}
    local inst = inst_with{h = function() error(token) end}
    local ok, err = pcall(inst.exports.call_h, 1)
    assert.is_false(ok)
    assert.equal(token, err)
    inst = inst_with{h = function() error("boom") end}
    ok, err = pcall(inst.exports.sum_h, 3)
    assert.is_false(ok)
    assert.truthy(tostring(err):find("boom", 1, true))
    local text = wasm.traceback(err)
    assert.truthy(text:find("env.h", 1, true))
    assert.truthy(text:find("(func 10)", 1, true)) -- sum_h
  end)

  it("re-enter wasm from a host function, nested", function()
    local inst
    inst = inst_with{again = function(x) return inst.exports.down(x) + 1 end}
    assert.equal(10, inst.exports.down(10))
  end)

  it("may yield when wasm was called from a coroutine", function()
    local inst = inst_with{h = function(x) return coroutine.yield(x) * 2 end}
    local co = coroutine.create(function() return inst.exports.sum_h(3) end)
    local got = {}
    local ok, v = coroutine.resume(co)
    while coroutine.status(co) == "suspended" do
      got[#got + 1] = v
      ok, v = coroutine.resume(co, v)
    end
    assert.is_true(ok)
    assert.same({3, 2, 1}, got)
    assert.equal(12, v)
  end)

  it("keep working after the Func object is closed, and after many are collected", function()
    local f = wasm.func({"i32"}, {"i32"}, function(x) return x + 100 end)
    local inst = inst_with{h = f}
    f:close()
    assert.equal(101, inst.exports.call_h(1))
    for i = 1, 200 do
      local g = wasm.func({"i32"}, {"i32"}, function(x) return x + i end)
      assert.equal(i + 1, inst_with{h = g}.exports.call_h(1))
      if i % 50 == 0 then h.gc() end
    end
    h.gc()
    assert.equal(101, inst.exports.call_h(1))
  end)

  it("run called straight from Lua, outside any store", function()
    local f = wasm.func({"i64", "f64"}, {"f64"}, function(a, b) return a + b end)
    assert.equal(3.5, f(1, 2.5))
    h.raises("usage", "argument 1: expected i64, got string", f, "x", 1)
  end)
end)
