-- Statistics split into wasm and host time, per-function profiles with
-- folded stacks, and backtraces across the wasm/Lua boundary (issue 14).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function bytes()
  local f = assert(io.open(h.fixture("hostctl"), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

local function by_name(profile)
  local t = {}
  for _, f in ipairs(profile.functions) do t[f.name] = f end
  return t
end

describe("store:statistics() with statistics.time", function()
  it("splits the time into host and wasm time", function()
    local store = wasm.store{statistics = {time = true}}
    local inst = store:instantiate(bytes(), {env = {tick = function(i)
      local t = os.clock()
      while os.clock() - t < 0.002 do end -- 2 ms of host work per call
      return i < 9 and 1 or 0
    end}})
    inst.exports.ticks()
    local s = store:statistics()
    assert.is_true(s.host_time >= 0.015, s.host_time)
    assert.is_true(s.wasm_time >= 0)
    assert.is_true(math.abs(s.host_time + s.wasm_time - s.time) < 1e-6)
    assert.is_true(s.host_time <= s.time)
    store:reset_statistics()
    assert.equal(0, store:statistics().host_time)
  end)
end)

describe("store:profile()", function()
  it("counts calls and instructions per function exactly", function()
    local store = wasm.store{statistics = {instructions = true}}
    local inst = store:instantiate(bytes(), {env = {tick = function(i) return i < 4 and 1 or 0 end}})
    assert.is_nil(store:profile())
    store:start_profile()
    inst.exports.down(100)
    inst.exports.sum(1000)
    inst.exports.ticks()
    store:stop_profile()
    local p = by_name(store:profile())
    assert.equal(101, p["hostctl.down"].calls)
    assert.equal(1, p["hostctl.sum"].calls)
    assert.equal(1, p["hostctl.ticks"].calls)
    -- all the instructions of the three calls, by function
    local total = 0
    for _, f in pairs(p) do total = total + f.instructions end
    assert.equal(store:statistics().instructions, total)
    for _, f in pairs(p) do
      assert.is_true(f.self_time >= 0 and f.total_time >= f.self_time)
    end
    -- stopped: more calls are not counted
    inst.exports.sum(10)
    assert.equal(1, by_name(store:profile())["hostctl.sum"].calls)
  end)

  it("samples time by stack, readable as folded stacks", function()
    local store = wasm.store()
    local inst = store:instantiate(bytes(), {env = {tick = function(i)
      return i < 3 and 1 or 0 end}})
    store:start_profile()
    store:set_deadline(0.05)
    h.error_of(inst.exports.spin)
    store:stop_profile()
    local p = store:profile()
    local spin
    for _, st in ipairs(p.stacks) do
      if st.frames[#st.frames] == "hostctl.spin" then spin = st end
    end
    assert.is_truthy(spin)
    assert.is_true(spin.time > 0.02, spin.time)
    local folded = wasm.folded(p)
    assert.matches("^hostctl%.spin %d+\n", folded)
    for line in folded:gmatch("[^\n]+") do assert.matches("^[^ ]+ %d+$", line) end
    -- a new profile starts empty
    store:start_profile()
    inst.exports.sum(3)
    store:stop_profile()
    assert.equal(1, #store:profile().functions)
  end)
end)

describe("backtraces across the boundary", function()
  it("show a trap in wasm called from Lua called from wasm in three layers", function()
    local store = wasm.store()
    local mod = wasm.load(bytes())
    local inner = store:instantiate(mod, {env = {tick = function() return 1 end}})
    local outer = store:instantiate(mod, {env = {tick = wasm.func({"i32"}, {"i32"}, function()
      inner.exports.spin_cond(0) -- runs out of fuel in there
      return 0
    end, {name = "env.tick"})}})
    store:set_fuel(1000)
    local err = h.raises("exhaustion", "all fuel consumed", outer.exports.ticks)
    assert.equal("spin_cond", err.frames[1].name)
    assert.same({lua = true, name = "env.tick"}, {lua = err.frames[2].lua, name = err.frames[2].name})
    assert.equal("ticks", err.frames[3].name)
    assert.equal("  at hostctl.spin_cond (func 2)\n  in Lua host function env.tick\n" ..
                 "  at hostctl.ticks (func 5)", err.traceback)
    assert.matches("all fuel consumed\n  at hostctl.spin_cond", tostring(err))
  end)

  it("keep a Lua error's value and traceback, and add the wasm frames", function()
    local store = wasm.store()
    local inst = store:instantiate(bytes(), {env = {tick = function() error("boom", 0) end}})
    local err = h.error_of(inst.exports.ticks)
    assert.equal("boom", err) -- the value itself, unchanged
    local text = wasm.traceback(err)
    assert.matches("^boom\n  in Lua host function env%.tick\nstack traceback:\n", text)
    assert.matches("\n  at hostctl%.ticks %(func 5%)$", text)
    -- error objects raised by a host function keep their Lua traceback
    local inst2 = store:instantiate(bytes(), {env = {tick = function()
      error(wasm.error("host", "no input"))
    end}})
    local e = h.error_of(inst2.exports.ticks)
    assert.equal("no input", e.message)
    assert.equal("ticks", e.frames[2].name)
    assert.matches("stack traceback:", e.lua_traceback)
    assert.matches("stack traceback:", wasm.traceback(e))
  end)
end)
