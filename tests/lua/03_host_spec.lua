-- Host functions: typed (wasm.func) and plain Lua functions typed by the
-- import, the caller object, results, errors, re-entry.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local mod = h.load("lua_host")

-- Default host functions for lua_host; override some per test.
local function env(over)
  local t = {
    add = function(a, b) return a + b end,
    log = function() end,
    pair = function() return 1, 2 end,
    reenter = function() return 0 end,
    f64 = function(v) return v end,
  }
  for k, v in pairs(over or {}) do t[k] = v end
  return {env = t}
end

describe("plain Lua functions as imports", function()
  it("are typed by the import declaration", function()
    local inst = wasm.instantiate(mod, env())
    assert.equal(42, inst.exports.call_add(40, 2))
    assert.equal(2.5, inst.exports.call_f64(2.5))
  end)

  it("receive converted arguments and convert results", function()
    local seen
    local inst = wasm.instantiate(mod, env{
      add = function(a, b) seen = {a, b, math.type(a)} return a + b end,
    })
    assert.equal(-2, inst.exports.call_add(-1, 0xFFFFFFFF))
    assert.same({-1, -1, "integer"}, seen)
    -- an integer result wraps to i32 like an argument would
    inst = wasm.instantiate(mod, env{add = function() return 0xFFFFFFFF end})
    assert.equal(-1, inst.exports.call_add(0, 0))
  end)

  it("return multiple results, i64 over the full range", function()
    local inst = wasm.instantiate(mod, env{pair = function() return -5, math.mininteger end})
    local a, b = inst.exports.call_pair()
    assert.equal(-5, a)
    assert.equal(math.mininteger, b)
  end)

  it("keep state in their closures (host data)", function()
    local calls = 0
    local inst = wasm.instantiate(mod, env{
      add = function(a, b) calls = calls + 1 return a + b end,
    })
    assert.equal(10, inst.exports.add_in_loop(10))
    assert.equal(10, calls)
  end)
end)

describe("wasm.func", function()
  it("makes a typed host function", function()
    local f = wasm.func({"i32", "i32"}, {"i32"}, function(a, b) return a * b end)
    assert.equal("(func (param i32 i32) (result i32))", tostring(f:type()))
    assert.is_true(f:is_host())
    local inst = wasm.instantiate(mod, env{add = f})
    assert.equal(42, inst.exports.call_add(6, 7))
  end)

  it("accepts a function type table", function()
    local t = mod:imports()[1].type
    local f = wasm.func(t, function(a, b) return a - b end)
    assert.equal(t, f:type())
    assert.equal(1, f(3, 2))
  end)

  it("is callable from Lua with the same conversions", function()
    local f = wasm.func({"i32"}, {"i64", "f32"}, function(a) return a, a + 0.5 end)
    local a, b = f(0xFFFFFFFF)
    assert.equal(-1, a)
    assert.equal(-0.5, b)
    h.raises("usage", "expected 1 argument, got 0", f)
    h.raises("usage", "argument 1: expected i32", f, "x")
  end)

  it("passes a caller with the calling instance's memory and exports", function()
    local text, down
    local log = wasm.func({"i32", "i32"}, {}, function(caller, ptr, len)
      text = caller:memory():read(ptr, len)
      assert.equal(caller:memory(), caller:memory("memory"))
      down = caller.exports.down
      assert.equal(caller.exports, caller:exports())
      assert.equal(caller.exports, caller:instance().exports)
    end, {caller = true})
    local inst = wasm.instantiate(mod, env{log = log})
    inst.exports.call_log()
    assert.equal("from wasm", text)
    assert.equal(inst.exports.down, down)
  end)

  it("gives a caller that dies with its call", function()
    local kept
    local log = wasm.func({"i32", "i32"}, {}, function(caller) kept = caller end, {caller = true})
    wasm.instantiate(mod, env{log = log}).exports.call_log()
    h.raises("usage", "attempt to use a caller after its call returned", kept.memory, kept)
  end)

  it("gives a caller without instance when called from Lua", function()
    local f = wasm.func({}, {"i32"}, function(caller)
      return caller:memory() == nil and caller:instance() == nil and 1 or 0
    end, {caller = true})
    assert.equal(1, f())
  end)

  it("rejects bad definitions", function()
    h.raises("usage", "expected a value type", wasm.func, {"i33"}, {}, print)
    h.raises("usage", "expected a function", wasm.func, {}, {}, 42)
    h.raises("usage", "params must be a list", wasm.func, "i32", {}, print)
    h.raises("usage", "options must be a table", wasm.func, {}, {}, print, true)
  end)
end)

describe("results of the wrong shape", function()
  it("raise a clear host error for a wrong count", function()
    local inst = wasm.instantiate(mod, env{pair = function() return 1 end})
    h.raises("host", "env.pair returned 1 value, expected 2", inst.exports.call_pair)
    inst = wasm.instantiate(mod, env{add = function() end})
    h.raises("host", "env.add returned 0 values, expected 1", inst.exports.call_add, 1, 2)
    inst = wasm.instantiate(mod, env{add = function() return 1, 2 end})
    h.raises("host", "returned 2 values, expected 1", inst.exports.call_add, 1, 2)
  end)

  it("raise a clear host error for a wrong type", function()
    local inst = wasm.instantiate(mod, env{add = function() return "3" end})
    h.raises("host", "env.add: result 1: expected i32, got string", inst.exports.call_add, 1, 2)
    inst = wasm.instantiate(mod, env{add = function() return 1.25 end})
    h.raises("host", "expected i32, got non-integral number", inst.exports.call_add, 1, 2)
    local f = wasm.func({}, {"i32"}, function() return nil end, {name = "mine"})
    h.raises("host", "mine: result 1: expected i32, got nil", f)
  end)
end)

describe("errors raised by host functions", function()
  it("reach the Lua caller as the same table", function()
    local e = {code = 7}
    local inst = wasm.instantiate(mod, env{add = function() error(e) end})
    local err = h.error_of(inst.exports.call_add, 1, 2)
    assert.equal(e, err)
  end)

  it("reach the Lua caller as the same string", function()
    local inst = wasm.instantiate(mod, env{add = function() error("boom", 0) end})
    assert.equal("boom", h.error_of(inst.exports.call_add, 1, 2))
    inst = wasm.instantiate(mod, env{add = function() error("boom") end})
    assert.matches("03_host_spec.lua:%d+: boom$", h.error_of(inst.exports.call_add, 1, 2))
  end)

  it("keep any value, even nil and false", function()
    local inst = wasm.instantiate(mod, env{add = function() error(false) end})
    assert.is_false(h.error_of(inst.exports.call_add, 1, 2))
    inst = wasm.instantiate(mod, env{add = function() error(nil) end})
    assert.is_nil(h.error_of(inst.exports.call_add, 1, 2))
  end)

  it("travel through nested re-entries unchanged", function()
    local e = setmetatable({}, {__tostring = function() return "deep" end})
    local inst
    inst = wasm.instantiate(mod, env{reenter = function(n)
      if n == 0 then error(e) end
      return inst.exports.down(n)
    end})
    assert.equal(e, h.error_of(inst.exports.down, 10))
  end)

  it("leave the instance usable", function()
    local fail = true
    local inst = wasm.instantiate(mod, env{add = function(a, b)
      if fail then error("once") end
      return a + b
    end})
    h.error_of(inst.exports.call_add, 1, 2)
    fail = false
    assert.equal(3, inst.exports.call_add(1, 2))
  end)

  it("may yield across the call (the wasm call suspends, issue 14)", function()
    local inst = wasm.instantiate(mod, env{add = function(a, b)
      local k = coroutine.yield("paused")
      return a + b + k
    end})
    local co = coroutine.wrap(function() return pcall(inst.exports.call_add, 1, 2) end)
    assert.equal("paused", co())
    local ok, r = co(10)
    assert.is_true(ok)
    assert.equal(13, r)
  end)

  it("run on the calling coroutine", function()
    local where
    local inst = wasm.instantiate(mod, env{add = function(a, b)
      where = coroutine.running()
      return a + b
    end})
    local co = coroutine.create(function() return inst.exports.call_add(1, 2) end)
    local ok, r = coroutine.resume(co)
    assert.is_true(ok)
    assert.equal(3, r)
    assert.equal(co, where)
  end)
end)

describe("re-entry", function()
  local function reentrant()
    local inst
    inst = wasm.instantiate(mod, env{reenter = function(n) return inst.exports.down(n) end})
    return inst
  end

  it("works 100 levels deep (wasm -> Lua -> wasm ...)", function()
    assert.equal(100, reentrant().exports.down(100))
  end)

  it("ends in an exhaustion error past the host depth limit", function()
    local err = h.raises("exhaustion", "call stack exhausted", reentrant().exports.down, 100000)
    assert.equal("exhaustion", err.kind)
  end)

  it("leaves the store usable after exhaustion", function()
    local inst = reentrant()
    h.error_of(inst.exports.down, 100000)
    assert.equal(5, inst.exports.down(5))
  end)
end)
