-- Configuration as DESIGN.md writes it, statistics, cost tables and limits.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

-- build/wasm/stats.wasm (tests/wat/stats.wat): sum(n) runs 12n + 7
-- instructions, n of them i32.add (see tests/c/test_stats.c).
local function bytes(name)
  local f = assert(io.open(h.fixture(name), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

local function instructions(n) return 12 * n + 7 end

describe("DESIGN.md's example config", function()
  it("is accepted as written", function()
    local cfg = wasm.config{features = {simd = true, tail_call = false},
                            max_memory_pages = 1024, max_call_depth = 10000,
                            statistics = {instructions = true, cost = true, time = true},
                            cost_table = {["i32.add"] = 2, default = 1}, cost_limit = nil}
    assert.equal("moonwasm.Config", getmetatable(cfg))
    local store = wasm.store(cfg)
    local inst = store:instantiate(bytes("stats"))
    assert.equal(55, inst.exports.sum(10))
    local s = store:statistics()
    assert.equal(instructions(10), s.instructions)
    assert.equal(instructions(10) + 10, s.cost) -- ten i32.add at 2
    assert.is_true(s.time > 0 and s.time < 10)
  end)

  it("accepts simd and tail_call as features", function()
    for _, f in ipairs{{simd = true}, {tail_call = true}, {simd = true, tail_call = true}} do
      local cfg = wasm.config{features = f}
      assert.equal(6, wasm.store(cfg):instantiate(h.load("lua_math")).exports.double(3))
    end
  end)

  it("runs a module that uses SIMD, and with simd = false refuses it, saying where", function()
    -- (func (result v128) v128.const i64x2 0 0)
    local simd = h.module_bytes("\1\5\1\96\0\1\123", "\3\2\1\0",
                                "\10\22\1\20\0\253\12" .. string.rep("\0", 16) .. "\11")
    wasm.load(simd):validate()
    wasm.load(simd, wasm.config{features = {simd = true}}):validate()
    local cfg = wasm.config{features = {simd = false}}
    local ok, err = pcall(function() return wasm.load(simd, cfg):validate() end)
    assert.is_false(ok)
    assert.is_true(wasm.is_error(err, "malformed"), tostring(err))
    assert.equal("malformed value type (v128 at byte offset 14: SIMD is not enabled)", err.message)
  end)
end)

describe("statistics", function()
  it("count instructions of modules loaded with the config", function()
    local cfg = wasm.config{statistics = {instructions = true}}
    local store = wasm.store(cfg)
    local inst = store:instantiate(wasm.load(bytes("stats"), cfg))
    inst.exports.sum(3)
    inst:call("sum", 4)
    local s = store:statistics()
    assert.equal(instructions(3) + instructions(4), s.instructions)
    assert.equal(0, s.time) -- not asked for
    store:reset_statistics()
    assert.same({instructions = 0, cost = 0, time = 0, host_time = 0, wasm_time = 0}, store:statistics())
  end)

  it("count modules loaded without the config too (decoded again for the store)", function()
    local mod = wasm.load(bytes("stats")) -- no config: its own code does not count
    local store = wasm.store{statistics = {instructions = true}}
    store:instantiate(mod).exports.sum(100)
    assert.equal(instructions(100), store:statistics().instructions)
    store:instantiate(mod).exports.sum(1) -- the counting copy is reused
    assert.equal(instructions(100) + instructions(1), store:statistics().instructions)
    local costly = wasm.store{cost_table = {["i32.add"] = 0, default = 0}}
    costly:instantiate(mod).exports.sum(5)
    assert.equal(0, costly:statistics().cost)
    assert.equal(instructions(5), costly:statistics().instructions)
    local plain = wasm.store()
    plain:instantiate(mod).exports.sum(100)
    assert.same({instructions = 0, cost = 0, time = 0, host_time = 0, wasm_time = 0}, plain:statistics())
  end)

  it("time the calls with statistics.time", function()
    local store = wasm.store{statistics = {time = true}}
    local inst = store:instantiate(h.load("lua_host"), {env = {
      add = function(a, b)
        local t = os.clock() + 0.02
        repeat until os.clock() >= t -- a slow host function counts too
        return a + b
      end,
      log = function() end, pair = function() return 1, 2 end,
      reenter = function() return 0 end, f64 = function(v) return v end}})
    inst.exports.call_add(1, 2)
    local t = store:statistics().time
    assert.is_true(t >= 0.015 and t < 5, tostring(t))
  end)

  it("refuse unknown statistics", function()
    h.raises("usage", 'config.statistics: unknown statistic "memory"', wasm.config,
             {statistics = {memory = true}})
    h.raises("usage", "config.statistics: expected a table, got boolean", wasm.config,
             {statistics = true})
  end)
end)

describe("cost tables", function()
  it("price instructions by name, the rest at `default`", function()
    local cfg = wasm.config{cost_table = {["i32.add"] = 100, default = 0}}
    local store = wasm.store(cfg)
    store:instantiate(bytes("stats")).exports.sum(7)
    assert.equal(700, store:statistics().cost)
  end)

  it("default to 1 for instructions not named", function()
    local cfg = wasm.config{cost_table = {["i32.sub"] = 0}}
    local store = wasm.store(cfg)
    store:instantiate(bytes("stats")).exports.sum(5)
    assert.equal(instructions(5) - 5, store:statistics().cost)
  end)

  it("refuse unknown instruction names, naming them", function()
    h.raises("usage", 'config.cost_table: unknown instructions "i32.bogus", "nope"',
             wasm.config, {cost_table = {nope = 1, ["i32.bogus"] = 2, ["i32.add"] = 1}})
    h.raises("usage", 'config.cost_table: unknown instruction "x"', wasm.config,
             {cost_table = {x = 1}})
    h.raises("usage", 'config.cost_table["i32.add"]: expected an integer >= 0, got number -1',
             wasm.config, {cost_table = {["i32.add"] = -1}})
    h.raises("usage", "config.cost_table: expected a table, got number", wasm.config,
             {cost_table = 5})
  end)

  it("name both forms of select", function()
    local cfg = wasm.config{cost_table = {select = 5}}
    assert.equal("moonwasm.Config", getmetatable(cfg))
  end)
end)

describe("cost_limit", function()
  it("stops a call past the limit with an exhaustion error, until reset", function()
    local store = wasm.store{cost_limit = 100}
    local sum = store:instantiate(bytes("stats")).exports.sum
    assert.equal(15, sum(5)) -- 67
    h.raises("exhaustion", "cost limit exceeded", sum, 5) -- 134 in all
    h.raises("exhaustion", "cost limit exceeded", sum, 0)
    store:reset_statistics()
    assert.equal(15, sum(5))
  end)

  it("must be a positive integer", function()
    h.raises("usage", "config.cost_limit", wasm.config, {cost_limit = 1.5})
    h.raises("usage", "config.cost_limit", wasm.config, {cost_limit = "10"})
  end)
end)

describe("vm:statistics", function()
  it("gives the VM store's numbers", function()
    local vm = wasm.vm{statistics = {instructions = true, cost = true},
                       cost_table = {["i32.add"] = 3}}
    vm:load(bytes("stats")):validate():instantiate()
    assert.equal(10, vm:execute("sum", 4))
    local s = vm:statistics()
    assert.equal(instructions(4), s.instructions)
    assert.equal(instructions(4) + 2 * 4, s.cost)
    assert.is_true(s.time > 0)
    assert.equal(1, s.calls)
    assert.equal(1, s.instantiations)
    assert.same(vm:store():statistics().instructions, s.instructions)
    vm:reset_statistics()
    assert.equal(0, vm:statistics().instructions)
    assert.equal(0, vm:statistics().calls)
  end)

  it("counts run_file from a path too", function()
    local vm = wasm.vm{statistics = {instructions = true}}
    assert.equal(6, vm:run_file(h.fixture("stats"), "sum", 3))
    assert.equal(instructions(3), vm:statistics().instructions)
  end)

  it("does not time when told not to", function()
    local vm = wasm.vm{statistics = {time = false}}
    vm:run_file(h.fixture("stats"), "sum", 1000)
    assert.equal(0, vm:statistics().time)
  end)
end)
