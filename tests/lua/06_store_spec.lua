-- Stores, linking, registration, import objects, configuration.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function link_env(over)
  local t = {f = function(v) return v + 1 end, mem = wasm.memory{min = 1},
             tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 3, true)}
  for k, v in pairs(over or {}) do t[k] = v end
  return t
end

describe("store:instantiate", function()
  it("links imports of all four kinds", function()
    local store = wasm.store()
    local env = link_env()
    local inst = store:instantiate(h.load("lua_link"), {env = env})
    assert.equal(11, inst.exports.call_f(10))
    assert.equal(3, inst.exports.get_g())
    assert.equal(store, inst:store())
    inst.exports.put_seven(1)
    assert.equal(7, inst.exports.call_slot(1))
    assert.equal("moonwasm.Func", getmetatable(env.tab:get(1)))
  end)

  it("accepts the module's bytes", function()
    local f = assert(io.open(h.fixture("lua_math"), "rb"))
    local inst = wasm.store():instantiate(f:read("a"))
    f:close()
    assert.equal(6, inst.exports.double(3))
  end)

  it("reports an unknown import as unlinkable", function()
    local err = h.raises("unlinkable", 'unknown import "env" "f"', wasm.store().instantiate,
                         wasm.store(), h.load("lua_link"), {})
    assert.equal('unlinkable: unknown import "env" "f"', tostring(err))
    h.raises("unlinkable", 'unknown import "env" "mem"', wasm.instantiate, h.load("lua_link"),
             {env = {f = function() return 0 end}})
  end)

  it("reports a mismatched import as unlinkable", function()
    h.raises("unlinkable", "incompatible import type", wasm.instantiate, h.load("lua_link"),
             {env = link_env{f = wasm.func({}, {}, function() end)}})
    h.raises("unlinkable", "incompatible import type", wasm.instantiate, h.load("lua_link"),
             {env = link_env{mem = wasm.global("i32", 0)}})
    h.raises("unlinkable", 'incompatible import type "env" "mem": expected memory, got a Lua function',
             wasm.instantiate, h.load("lua_link"), {env = link_env{mem = print}})
    h.raises("unlinkable", 'incompatible import type "env" "f": expected func, got number',
             wasm.instantiate, h.load("lua_link"), {env = link_env{f = 3}})
    h.raises("unlinkable", "incompatible import type", wasm.instantiate, h.load("lua_link"),
             {env = link_env{g = wasm.global("i32", 0, false)}})
  end)

  it("refuses bad imports tables", function()
    h.raises("usage", 'imports["env"]: expected a table, got number', wasm.instantiate,
             h.load("lua_link"), {env = 1})
    h.raises("usage", "imports: expected a table", wasm.instantiate, h.load("lua_link"), 5)
  end)

  it("reports a trapping start function", function()
    h.raises("trap", "unreachable", wasm.instantiate, h.load("lua_start"))
  end)

  it("gives the instance its module", function()
    local mod = h.load("lua_math")
    assert.equal(mod, wasm.instantiate(mod):module())
  end)
end)

describe("store:register", function()
  it("registers an import object", function()
    local store = wasm.store()
    store:register(wasm.import_object("env", link_env()))
    local inst = store:instantiate(h.load("lua_link"))
    assert.equal(11, inst.exports.call_f(10))
  end)

  it("registers an instance under a name", function()
    local store = wasm.store()
    local math_inst = store:instantiate(h.load("lua_math"))
    assert.equal(math_inst, store:register("math", math_inst))
    local inst = store:instantiate(h.load("lua_usemath"))
    assert.equal(4 * 5 + 42, inst.exports.quad_plus(5))
  end)

  it("instantiates a module first", function()
    local store = wasm.store()
    local inst = store:register("math", h.load("lua_math"))
    assert.equal(8, inst.exports.double(4))
    assert.equal(42 + 4, store:instantiate(h.load("lua_usemath")).exports.quad_plus(1))
  end)

  it("registers an instance of another store", function()
    local a, b = wasm.store(), wasm.store()
    b:register("math", a:instantiate(h.load("lua_math")))
    assert.equal(42 + 8, b:instantiate(h.load("lua_usemath")).exports.quad_plus(2))
  end)

  it("registers plain tables and plain functions, typed at import", function()
    local store = wasm.store()
    store:register("env", link_env{f = function(v) return v * 100 end})
    assert.equal(500, store:instantiate(h.load("lua_link")).exports.call_f(5))
  end)

  it("lets the imports table win over the registry", function()
    local store = wasm.store()
    store:register("env", link_env())
    local inst = store:instantiate(h.load("lua_link"), {env = {f = function() return -1 end}})
    assert.equal(-1, inst.exports.call_f(5))
  end)

  it("refuses what it cannot register", function()
    local store = wasm.store()
    h.raises("usage", "expected an import object or a name", store.register, store, 42)
    h.raises("usage", 'register "x": expected an instance', store.register, store, "x", 42)
    h.raises("usage", "define env.x: expected a function, memory", store.define, store, "env", "x", {})
  end)
end)

describe("store:define and store:lookup", function()
  it("define objects and plain functions; the latest wins", function()
    local store = wasm.store()
    local f = wasm.func({"i32"}, {"i32"}, function(v) return v end)
    store:define("m", "f", f)
    assert.equal(f, store:lookup("m", "f"))
    store:define("m", "f", print)
    assert.equal(print, store:lookup("m", "f"))
    store:define("m", "f", f)
    assert.equal(f, store:lookup("m", "f"))
    assert.is_nil(store:lookup("m", "nope"))
  end)

  it("look up registered instance exports", function()
    local store = wasm.store()
    local inst = store:register("math", h.load("lua_math"))
    assert.equal(inst.exports.double, store:lookup("math", "double"))
    assert.equal(42, store:lookup("math", "answer"):get())
  end)
end)

describe("wasm.import_object", function()
  it("collects fields and adds more", function()
    local io = wasm.import_object("env", {f = print})
    assert.equal(io, io:add("g", wasm.global("i32", 1)))
    assert.equal("env", io.name)
    assert.equal(print, io.fields.f)
    assert.equal('moonwasm.ImportObject "env"', tostring(io))
  end)

  it("works as the imports of instantiate, alone or in a list", function()
    local env = wasm.import_object("env", link_env())
    assert.equal(11, wasm.instantiate(h.load("lua_link"), env).exports.call_f(10))
    assert.equal(11, wasm.instantiate(h.load("lua_link"), {env}).exports.call_f(10))
  end)

  it("refuses bad arguments", function()
    h.raises("usage", "expected a module name", wasm.import_object, 1)
    h.raises("usage", "fields must be a table", wasm.import_object, "env", 1)
  end)
end)

describe("wasm.config", function()
  it("applies limits", function()
    local cfg = wasm.config{max_call_depth = 50}
    local inst = wasm.instantiate(h.load("lua_values"), nil, cfg)
    local err = h.raises("exhaustion", "call stack exhausted", inst.exports.recurse, 0)
    assert.equal(50, #err.frames)
    local small = wasm.store{max_memory_pages = 2}
    local mem = small:instantiate(h.load("lua_values")):memory()
    assert.equal(1, mem:grow(1))
    assert.is_nil((mem:grow(1)))
  end)

  it("switches features by name", function()
    local cfg = wasm.config{features = {multi_value = false}}
    assert.equal(0, cfg.features & wasm.core.features.multi_value)
    local mod = wasm.load_file(h.fixture("lua_values"), cfg)
    h.raises("invalid", "invalid result arity", mod.validate, mod)
    assert.equal(wasm.core.defaults.features, wasm.config().features)
  end)

  it("refuses unknown or unsupported settings", function()
    h.raises("usage", 'unknown option "colour"', wasm.config, {colour = 1})
    h.raises("usage", 'unknown feature "threads"', wasm.config, {features = {threads = true}})
    h.raises("usage", "config.cost_limit: expected a positive integer or nil, got 0",
             wasm.config, {cost_limit = 0})
    h.raises("usage", "config.max_call_depth: expected an integer in 1..1000000",
             wasm.config, {max_call_depth = 0})
    h.raises("usage", "config.max_memory_pages", wasm.store, {max_memory_pages = 1 << 40})
    h.raises("usage", "value_stack_slots", wasm.config, {value_stack_slots = 1 << 60})
    h.raises("usage", "expected a table", wasm.config, 5)
  end)
end)
