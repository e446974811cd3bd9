-- Host control from Lua: store:interrupt(), deadlines, fuel and refuel
-- (tests/wat/hostctl.wat).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function bytes()
  local f = assert(io.open(h.fixture("hostctl"), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

local function setup(config, tick)
  local store = wasm.store(config)
  local inst = store:instantiate(bytes(), {env = {tick = tick or function() return 1 end}})
  return store, inst
end

describe("store:interrupt()", function()
  it("stops a loop from a host function it calls; the store stays usable", function()
    local store, inst
    local n = 0
    store, inst = setup(nil, function(i)
      n = n + 1
      if i == 500 then store:interrupt() end
      return 1
    end)
    local err = h.raises("trap", "interrupted", inst.exports.ticks)
    assert.equal(501, n)
    assert.equal("ticks", err.frames[1].name)
    assert.equal(4950, inst.exports.sum(100))
  end)

  it("applies to the next call when nothing runs, and can be withdrawn", function()
    local store, inst = setup()
    store:interrupt()
    h.raises("trap", "interrupted", inst.exports.sum, 10)
    assert.equal(45, inst.exports.sum(10))
    store:interrupt()
    store:interrupt(false)
    assert.equal(45, inst.exports.sum(10))
  end)

  it("works from a debug hook while Lua code runs inside the guest", function()
    local store, inst
    local hooked = 0
    store, inst = setup(nil, function()
      for _ = 1, 50 do local _ = {} end -- Lua code for the count hook
      return 1
    end)
    debug.sethook(function()
      hooked = hooked + 1
      if hooked == 20 then store:interrupt() end
    end, "", 100)
    local ok, err = pcall(inst.exports.ticks)
    debug.sethook()
    assert.is_false(ok)
    assert.equal("interrupted", err.message)
  end)

  it("works from another coroutine between host calls", function()
    local store, inst
    local watcher = coroutine.wrap(function()
      for _ = 1, 9 do coroutine.yield() end
      store:interrupt()
      while true do coroutine.yield() end
    end)
    local calls = 0
    store, inst = setup(nil, function()
      calls = calls + 1
      watcher()
      return 1
    end)
    h.raises("trap", "interrupted", inst.exports.ticks)
    assert.equal(10, calls)
  end)
end)

describe("store:set_deadline()", function()
  it("stops (loop (br 0)) and its conditional and br_table forms", function()
    local store, inst = setup()
    for _, f in ipairs{"spin", "spin_table"} do
      store:set_deadline(0.02)
      local err = h.raises("trap", "deadline exceeded", inst.exports[f])
      assert.equal(f, err.frames[1].name)
    end
    store:set_deadline(0.02)
    h.raises("trap", "deadline exceeded", inst.exports.spin_cond, 7)
    -- fired once: later calls run
    assert.equal(4950, inst.exports.sum(100))
  end)

  it("can be removed, and rejects bad arguments", function()
    local store, inst = setup()
    store:set_deadline(0.001)
    store:set_deadline(nil)
    assert.equal(499500, inst.exports.sum(1000))
    h.raises("usage", "expected a number of seconds", store.set_deadline, store, "soon")
    h.raises("usage", "seconds >= 0", store.set_deadline, store, -1)
  end)
end)

describe("fuel", function()
  it("counts one unit per instruction with config fuel = true", function()
    local store, inst = setup{fuel = true}
    assert.is_nil(store:fuel())
    store:set_fuel(1000)
    assert.equal(45, inst.exports.sum(10))
    local used = 1000 - store:fuel()
    -- the same as the instruction count of statistics
    assert.equal(store:statistics().instructions, used)
    store:set_fuel(used)
    assert.equal(45, inst.exports.sum(10))
    assert.equal(0, store:fuel())
    h.raises("exhaustion", "all fuel consumed", inst.exports.sum, 10)
    assert.equal(0, store:fuel())
  end)

  it("exhausts an endless loop, refuels through the callback, then traps", function()
    local store, inst = setup{fuel = true}
    local calls = 0
    store:set_refuel(function(s)
      assert.equal(store, s)
      calls = calls + 1
      if calls <= 3 then return 500 end
    end)
    store:set_fuel(100)
    h.raises("exhaustion", "all fuel consumed", inst.exports.spin)
    assert.equal(4, calls)
    assert.equal(0, store:fuel())
    -- refuelled enough, a finite loop finishes
    calls = 0
    store:set_fuel(0)
    assert.equal(4950, inst.exports.sum(100))
    assert.is_true(calls >= 1)
    store:set_refuel(nil)
    store:set_fuel(nil)
    assert.is_nil(store:fuel())
    assert.equal(499500, inst.exports.sum(1000))
  end)

  it("counts loop iterations and calls in code compiled without counting", function()
    local store, inst = setup()
    store:set_fuel(10)
    assert.equal(6, inst.exports.sum(4))
    assert.equal(6, store:fuel())
    h.raises("exhaustion", "all fuel consumed", inst.exports.spin)
  end)

  it("rejects bad arguments", function()
    local store = setup()
    h.raises("usage", nil, store.set_fuel, store, -1)
    h.raises("usage", nil, store.set_fuel, store, 1.5)
    h.raises("usage", "expected a function or nil", store.set_refuel, store, 3)
  end)
end)
