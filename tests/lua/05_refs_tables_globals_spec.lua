-- Tables, globals, funcref and externref values.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

describe("externref", function()
  local x = h.instantiate("lua_refs").exports

  it("carries any Lua value and gives the same value back", function()
    local t, f, co = {}, function() end, coroutine.create(print)
    assert.equal(t, x.id_ext(t))
    assert.equal(f, x.id_ext(f))
    assert.equal(co, x.id_ext(co))
    assert.equal("text", x.id_ext("text"))
    assert.equal(1.5, x.id_ext(1.5))
    assert.equal(false, x.id_ext(false))
    local n = x.id_ext(0/0)
    assert.is_true(n ~= n)
  end)

  it("maps nil to ref.null", function()
    assert.is_nil(x.id_ext(nil))
    assert.equal(1, x.is_null_ext(nil))
    assert.equal(0, x.is_null_ext(false))
    assert.equal(0, x.is_null_ext({}))
  end)

  it("survives a stay in a wasm table", function()
    local t = {}
    x.set_ext(1, t)
    assert.equal(t, x.get_ext(1))
    assert.equal(t, x.externs:get(1))
    x.externs:set(2, "lua")
    assert.equal("lua", x.get_ext(2))
    h.raises("trap", "out of bounds table access", x.get_ext, 4)
  end)
end)

describe("funcref", function()
  local inst = h.instantiate("lua_refs")
  local x = inst.exports

  it("comes back as the same function object", function()
    assert.equal(x.one, x.id_func(x.one))
    assert.equal(x.two, x.ref_two())
    assert.equal(x.one, x.funcs:get(0))
    assert.is_nil(x.id_func(nil))
    assert.is_nil(x.funcs:get(3))
  end)

  it("can be called after a trip through wasm", function()
    assert.equal(2, x.ref_two()())
  end)

  it("refuses values that are not functions", function()
    local want = "expected funcref (a function object or nil), got "
    h.raises("usage", "id_func: argument 1: " .. want .. "table", x.id_func, {})
    h.raises("usage", want .. "function", x.id_func, print)
    h.raises("usage", want .. "number", x.id_func, 5)
    h.raises("usage", want .. "moonwasm.Table", x.id_func, x.funcs)
  end)

  it("moves a function of one instance into another's table", function()
    local other = h.instantiate("lua_refs")
    other.exports.funcs:set(2, x.two)
    assert.equal(2, other.exports.call_slot(2))
    other.exports.set_func(3, x.one)
    assert.equal(1, other.exports.call_slot(3))
    assert.equal(x.one, other.exports.funcs:get(3))
  end)

  it("puts host functions in tables", function()
    local f = wasm.func({}, {"i32"}, function() return 99 end)
    x.funcs:set(2, f)
    assert.equal(99, x.call_slot(2))
    assert.equal(f, x.funcs:get(2))
    local g = wasm.func({"i32"}, {}, function() end)
    x.funcs:set(3, g)
    h.raises("trap", "indirect call type mismatch", x.call_slot, 3)
  end)

  it("traps on null and out-of-range slots", function()
    x.funcs:set(2, nil)
    h.raises("trap", "uninitialized element", x.call_slot, 2)
    h.raises("trap", "undefined element", x.call_slot, 10)
  end)
end)

describe("tables", function()
  it("have size, get, set, grow and type", function()
    local t = wasm.table{element = "externref", min = 2, max = 4}
    assert.equal(2, t:size())
    assert.equal("(table 2 4 externref)", tostring(t:type()))
    t:set(0, "a")
    assert.equal("a", t:get(0))
    assert.is_nil(t:get(1))
    assert.equal(2, t:grow(1, "init"))
    assert.equal("init", t:get(2))
    local r, msg = t:grow(5)
    assert.is_nil(r)
    assert.equal("table cannot grow by 5 elements", msg)
    h.raises("trap", "out of bounds table access", t.get, t, 3)
    h.raises("trap", "out of bounds table access", t.set, t, -1, 1)
    assert.has_error(function() t:grow(-1) end)
  end)

  it("type-check their elements", function()
    local t = wasm.table{element = "funcref", min = 1}
    h.raises("usage", "tab:set: expected funcref (a function object or nil), got string",
             t.set, t, 0, "x")
    h.raises("usage", "element must be funcref or externref", wasm.table, {element = "i32"})
    h.raises("usage", "bad min", wasm.table, {min = -1})
    h.raises("usage", "bad max", wasm.table, {min = 2, max = 1})
  end)

  it("start with an init value", function()
    local f = wasm.func({}, {}, function() end)
    local t = wasm.table{element = "funcref", min = 3, init = f}
    assert.equal(f, t:get(2))
  end)
end)

describe("globals", function()
  local inst = h.instantiate("lua_values")
  local x = inst.exports

  it("get and set exported globals", function()
    assert.equal(42, x.g_i32:get())
    x.g_i32:set(0xFFFFFFFF)
    assert.equal(-1, x.g_i32:get())
    assert.equal(-7, x.g_i64:get())
    assert.equal(1.5, x.g_f32:get())
    assert.equal(2.25, x.g_f64:get())
    assert.equal("(global (mut f32))", tostring(x.g_f32:type()))
  end)

  it("refuse to set an immutable global or a wrong type", function()
    h.raises("usage", "global is immutable", x.g_i64.set, x.g_i64, 1)
    h.raises("usage", "expected i32, got string", x.g_i32.set, x.g_i32, "1")
    h.raises("usage", "non-integral", x.g_i32.set, x.g_i32, 0.5)
  end)

  it("expose exact bits", function()
    x.g_f32:set_bits(0x7FA00001)
    assert.equal(0x7FA00001, x.g_f32:get_bits())
    x.g_f64:set_bits(-1)
    assert.equal(-1, x.g_f64:get_bits())
    x.g_f64:set(1.0)
    assert.equal(0x3FF0000000000000, x.g_f64:get_bits())
    assert.equal(-7, x.g_i64:get_bits())
  end)

  it("are made by wasm.global and imported", function()
    local g = wasm.global("i32", 5, true)
    assert.equal("(global (mut i32))", tostring(g:type()))
    local c = wasm.global({type = "f64", mutable = false}, 2.5)
    assert.equal("(global f64)", tostring(c:type()))
    local inst2 = h.instantiate("lua_link", {env = {f = function(v) return v end,
      mem = wasm.memory{min = 1}, tab = wasm.table{element = "funcref", min = 2}, g = g}})
    assert.equal(5, inst2.exports.get_g())
    inst2.exports.set_g(6)
    assert.equal(6, g:get())
    g:set(7)
    assert.equal(7, inst2.exports.get_g())
  end)

  it("hold references", function()
    local r = h.instantiate("lua_refs").exports
    local t = {}
    r.gref:set(t)
    assert.equal(t, r.gref:get())
    r.gfunc:set(r.one)
    assert.equal(r.one, r.gfunc:get())
    local e = wasm.global("externref", "v", true)
    assert.equal("v", e:get())
    h.raises("usage", "expected a value type", wasm.global, "int", 1)
  end)
end)

describe("non-null externref parameters", function()
  it("take any Lua value and give it back, and refuse nil", function()
    local x = wasm.instantiate(wasm.wat [[
      (module (func (export "id") (param (ref extern)) (result (ref extern)) (local.get 0)))]]).exports
    local t = {}
    assert.equal(t, x.id(t))
    assert.equal("s", x.id("s"))
    assert.equal(42, x.id(42))
    local err = h.error_of(x.id, nil)
    assert.matches("non%-null", tostring(err))
  end)
end)
