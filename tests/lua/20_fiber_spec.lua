-- Yieldable host calls: a Lua host function may coroutine.yield; the wasm
-- call suspends with its frames and continues on resume (issue 14).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function bytes()
  local f = assert(io.open(h.fixture("hostctl"), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

describe("yielding host functions", function()
  it("interleave three guests of one store under a scheduler", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local log = {}
    local function guest(name, limit)
      local inst = store:instantiate(mod, {env = {tick = function(i)
        log[#log + 1] = name .. i
        local go_on = coroutine.yield(name)
        assert.equal("go", go_on)
        return i < limit and 1 or 0
      end}})
      return coroutine.create(function() return inst.exports.ticks() end)
    end
    local cos = {guest("a", 2), guest("b", 3), guest("c", 1)}
    local results, live = {}, #cos
    while live > 0 do
      for i, co in ipairs(cos) do
        if coroutine.status(co) == "suspended" then
          local ok, v = coroutine.resume(co, "go")
          assert.is_true(ok, v)
          if coroutine.status(co) == "dead" then
            results[i] = v
            live = live - 1
          end
        end
      end
    end
    assert.equal("a0 b0 c0 a1 b1 c1 a2 b2 b3", table.concat(log, " "))
    assert.same({2, 3, 1}, results)
  end)

  it("keep many calls suspended at once while others run", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local inst = store:instantiate(mod, {env = {tick = function(i)
      coroutine.yield()
      return i < 4 and 1 or 0
    end}})
    local cos = {}
    for k = 1, 50 do
      cos[k] = coroutine.create(function(...) return inst.exports.ticks(...) end)
      assert.is_true(coroutine.resume(cos[k]))
    end
    -- the main thread calls into the same store meanwhile
    assert.equal(4950, inst.exports.sum(100))
    for round = 1, 5 do
      for k = 50, 1, -1 do
        local ok, r = coroutine.resume(cos[k])
        assert.is_true(ok, r)
        if round == 5 then assert.equal(4, r) end
      end
    end
  end)

  it("nest: Lua -> wasm -> Lua -> wasm -> Lua yields through both calls", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local inner = store:instantiate(mod, {env = {tick = function(i)
      coroutine.yield("inner " .. i)
      return i < 2 and 1 or 0
    end}})
    local outer = store:instantiate(mod, {env = {tick = function(i)
      if i == 0 then return inner.exports.ticks() end
      coroutine.yield("outer " .. i)
      return 0
    end}})
    local co = coroutine.wrap(function() return "done", outer.exports.ticks() end)
    assert.equal("inner 0", co())
    assert.equal("inner 1", co())
    assert.equal("inner 2", co())
    assert.equal("outer 1", co())
    local done, n = co()
    assert.equal("done", done)
    assert.equal(1, n) -- tick(0) returned inner's 2, tick(1) returned 0
  end)

  it("pass values both ways and give a caller valid after the yield", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local fn = wasm.func({"i32"}, {"i32"}, function(caller, i)
      local v = coroutine.yield(i)
      caller:memory():write(0, "ok")
      return v
    end, {caller = true})
    local inst = store:instantiate(mod, {env = {tick = fn}})
    local co = coroutine.wrap(function(...) return inst.exports.ticks(...) end)
    assert.equal(0, co())
    assert.equal(1, co(1))
    assert.equal(2, co(1))
    assert.equal(2, co(0))
    assert.equal("ok", inst:memory():read(0, 2))
  end)

  it("raise a host function's error after a yield, unchanged, and go on", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local boom = {"a table error"}
    local inst = store:instantiate(mod, {env = {tick = function()
      coroutine.yield()
      error(boom)
    end}})
    local co = coroutine.create(function(...) return inst.exports.ticks(...) end)
    assert.is_true(coroutine.resume(co))
    local ok, err = coroutine.resume(co)
    assert.is_false(ok)
    assert.equal(boom, err)
    assert.equal(45, inst.exports.sum(10))
    -- bad results after a yield are a host error
    local inst2 = store:instantiate(mod, {env = {tick = function()
      coroutine.yield()
      return "x"
    end}})
    co = coroutine.create(function(...) return inst2.exports.ticks(...) end)
    coroutine.resume(co)
    ok, err = coroutine.resume(co)
    assert.is_false(ok)
    assert.equal("host", err.kind)
  end)

  it("can be interrupted while suspended, from the scheduler", function()
    local store = wasm.store()
    local inst = store:instantiate(bytes(), {env = {tick = function()
      coroutine.yield()
      return 1
    end}})
    local co = coroutine.create(function(...) return inst.exports.ticks(...) end)
    assert.is_true(coroutine.resume(co))
    store:interrupt()
    local ok, err = coroutine.resume(co)
    assert.is_false(ok)
    assert.equal("interrupted", err.message)
  end)

  it("leave nothing behind when a suspended coroutine is dropped or closed", function()
    local store = wasm.store()
    local inst = store:instantiate(bytes(), {env = {tick = function()
      coroutine.yield()
      return 1
    end}})
    for _ = 1, 20 do
      local co = coroutine.create(function(...) return inst.exports.ticks(...) end)
      coroutine.resume(co)
      coroutine.close(co)
    end
    local co = coroutine.create(function(...) return inst.exports.ticks(...) end)
    coroutine.resume(co)
    co = nil -- luacheck: ignore
    collectgarbage()
    collectgarbage()
    assert.equal(45, inst.exports.sum(10))
  end)

  it("raise a clear error when the store was closed while suspended", function()
    local store = wasm.store()
    local inst = store:instantiate(bytes(), {env = {tick = function()
      coroutine.yield()
      return 0
    end}})
    local co = coroutine.create(function(...) return inst.exports.ticks(...) end)
    coroutine.resume(co)
    store:close()
    local ok, err = coroutine.resume(co)
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    assert.matches("closed store", err.message)
  end)
end)
