-- Lifetimes and misuse: close, <close>, use after close, wrong self, GC,
-- closing a store during a call, huge sizes.  None of it may crash.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function link_env()
  return {env = {f = wasm.func({"i32"}, {"i32"}, function(v) return v end), mem = wasm.memory{min = 1},
                 tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 0, true)}}
end

describe("closing a store", function()
  it("makes every object of it unusable, with a usage error", function()
    local store = wasm.store()
    local inst = store:instantiate(h.load("lua_values"))
    local x = inst.exports
    local mem, g, tab, f = x.memory, x.g_i32, x.table, x.add_i32
    store:close()
    store:close() -- twice is fine
    local closed = "attempt to use a closed store"
    h.raises("usage", closed, f, 1, 2)
    h.raises("usage", closed, f.type, f)
    h.raises("usage", closed, inst.call, inst, "add_i32", 1, 2)
    h.raises("usage", closed, inst.memory, inst)
    h.raises("usage", closed, mem.read, mem, 0, 1)
    h.raises("usage", closed, mem.size, mem)
    h.raises("usage", closed, g.get, g)
    h.raises("usage", closed, tab.size, tab)
    h.raises("usage", closed, store.instantiate, store, h.load("lua_math"))
    h.raises("usage", closed, store.register, store, "x", h.load("lua_math"))
    h.raises("usage", closed, function() return inst.exports end)
    assert.matches("closed", tostring(store))
  end)

  it("works with <close>", function()
    local kept
    do
      local store <close> = wasm.store()
      kept = store:instantiate(h.load("lua_math"))
      assert.equal(2, kept.exports.double(1))
    end
    h.raises("usage", "closed store", kept.call, kept, "double", 1)
  end)

  it("is refused while the store is running, from a host function", function()
    local store = wasm.store()
    local inst
    local seen
    inst = store:instantiate(h.load("lua_host"), {env = {
      add = function(a, b)
        local ok, err = pcall(store.close, store)
        seen = err
        return a + b
      end,
      log = function() store:close() end,
      pair = function() return 1, 2 end, reenter = function() return 0 end,
      f64 = function(v) return v end}})
    assert.equal(3, inst.exports.call_add(1, 2))
    assert.is_true(wasm.is_error(seen, "usage"))
    assert.equal("cannot close a store while it is running", seen.message)
    -- uncaught inside the host function, it reaches the caller unchanged
    h.raises("usage", "cannot close a store while it is running", inst.exports.call_log)
    assert.equal(3, inst.exports.call_add(1, 2)) -- still open
    local call_add = inst.exports.call_add
    store:close()
    h.raises("usage", "closed store", call_add, 1, 2)
  end)

  it("keeps functions moved to another store working", function()
    local a, b = wasm.store(), wasm.store()
    local ia = a:instantiate(h.load("lua_refs"))
    local ib = b:instantiate(h.load("lua_refs"))
    local two = ia.exports.two
    ib.exports.funcs:set(2, two)
    a:close()
    h.raises("usage", "closed store", two)
    h.raises("usage", "closed store", function() return ia.exports end)
    assert.equal(2, ib.exports.call_slot(2)) -- b still holds a's function
    local got = ib.exports.funcs:get(2)
    assert.equal(two, got)
    h.raises("usage", "closed store", got)
  end)
end)

describe("closing an instance", function()
  it("closes the store wasm.instantiate made for it", function()
    local inst = h.instantiate("lua_math")
    local store = inst:store()
    local double = inst.exports.double
    inst:close()
    inst:close()
    h.raises("usage", "attempt to use a closed instance", inst.call, inst, "double", 1)
    h.raises("usage", "closed store", double, 1)
    h.raises("usage", "closed store", store.instantiate, store, h.load("lua_math"))
  end)

  it("leaves a shared store open", function()
    local store = wasm.store()
    local a = store:instantiate(h.load("lua_math"))
    local b = store:instantiate(h.load("lua_math"))
    a:close()
    h.raises("usage", "closed instance", a.call, a, "double", 1)
    assert.equal(4, b.exports.double(2))
  end)
end)

describe("closing host objects", function()
  it("makes them unusable from Lua", function()
    local f = wasm.func({}, {}, function() end)
    local m = wasm.memory{min = 1}
    local t = wasm.table{element = "externref", min = 1}
    local g = wasm.global("i32", 1, true)
    for _, o in ipairs{f, m, t, g} do o:close(); o:close() end
    h.raises("usage", "attempt to use a closed function", f)
    h.raises("usage", "attempt to use a closed memory", m.read, m, 0, 1)
    h.raises("usage", "attempt to use a closed table", t.get, t, 0)
    h.raises("usage", "attempt to use a closed global", g.get, g)
    h.raises("usage", "attempt to use a closed function", wasm.instantiate, h.load("lua_host"),
             {env = {add = f}})
    assert.matches("%(closed%)", tostring(f))
  end)

  it("keeps them alive for a store that imported them", function()
    local env = link_env()
    local inst = h.instantiate("lua_link", env)
    local mem = env.env.mem
    mem:write(0, "\5\0\0\0")
    mem:close()
    env.env.f:close()
    h.raises("usage", "closed memory", mem.read, mem, 0, 4)
    assert.equal(5, inst.exports.load(0)) -- wasm still uses it
    assert.equal(9, inst.exports.call_f(9))
    h.gc()
    assert.equal(9, inst.exports.call_f(9))
  end)

  it("may close themselves while running", function()
    local f
    f = wasm.func({}, {"i32"}, function() f:close() return 1 end)
    assert.equal(1, f())
    h.raises("usage", "closed function", f)
    h.gc()
  end)

  it("work with <close>", function()
    local kept
    do
      local m <close> = wasm.memory{min = 1}
      kept = m
    end
    h.raises("usage", "closed memory", kept.size, kept)
  end)

  it("close exported objects one at a time", function()
    local inst = h.instantiate("lua_values")
    local f = inst.exports.add_i32
    f:close()
    h.raises("usage", "closed function", f, 1, 2)
    assert.equal(3, inst:call("add_i32", 1, 2))
  end)
end)

describe("misuse never crashes", function()
  local inst = h.instantiate("lua_values")
  local x = inst.exports

  it("wrong self", function()
    assert.has_error(function() x.add_i32.call(nil) end)
    assert.has_error(function() x.memory.read(x.table, 0, 1) end)
    assert.has_error(function() x.memory.read(inst, 0, 1) end)
    assert.has_error(function() inst.call(x.memory, "f") end)
    assert.has_error(function() inst.call({}, "f") end)
    assert.has_error(function() wasm.store().instantiate(inst, h.load("lua_math")) end)
    assert.has_error(function() x.g_i32.get(x.table) end)
    assert.has_error(function() x.table.close(x) end)
    assert.has_error(function() getmetatable(x.add_i32).__call(42) end)
  end)

  it("wrong types and nil", function()
    assert.has_error(function() x.memory:read() end)
    assert.has_error(function() x.memory:write(0) end)
    assert.has_error(function() x.table:get() end)
    assert.has_error(function() inst:call() end)
    assert.has_error(function() inst:call(nil) end)
    assert.has_error(function() wasm.store():instantiate(nil) end)
    assert.has_error(function() wasm.store():define(nil, "x", print) end)
    assert.has_error(function() wasm.memory() end)
  end)

  it("huge sizes", function()
    h.raises("trap", "out of bounds", x.memory.read, x.memory, 0, 1 << 62)
    assert.is_nil((x.memory:grow(math.maxinteger)))
    assert.is_nil((x.table:grow(1 << 40)))
    h.raises("trap", "out of bounds table access", x.table.get, x.table, math.maxinteger)
    h.raises("exhaustion", "cannot allocate a table", wasm.table, {min = 0xFFFFFFFF})
    h.raises("usage", "at most 1000 value types", wasm.func, setmetatable({}, {__len = function() return 1 << 40 end}), {}, print)
  end)
end)

describe("garbage collection", function()
  it("collects an instance, its store and a host function that refer to each other", function()
    local weak = setmetatable({}, {__mode = "k"})
    do
      local inst
      inst = h.instantiate("lua_host", {env = {
        add = function(a, b) return inst.exports.call_f64 and a + b end,
        log = function() end, pair = function() return 1, 2 end,
        reenter = function(n) return inst.exports.down(n) end, f64 = function(v) return v end}})
      assert.equal(3, inst.exports.call_add(1, 2))
      weak[inst] = true
      weak[inst:store()] = true
      weak[inst.exports.memory] = true
    end
    h.gc()
    assert.is_nil(next(weak))
  end)

  it("collects stores linked to each other", function()
    local weak = setmetatable({}, {__mode = "k"})
    do
      local a, b = wasm.store(), wasm.store()
      local ia = a:instantiate(h.load("lua_refs"))
      local ib = b:instantiate(h.load("lua_refs"))
      ib.exports.funcs:set(2, ia.exports.two)
      ia.exports.funcs:set(2, ib.exports.one)
      weak[a], weak[b] = true, true
    end
    h.gc()
    assert.is_nil(next(weak))
  end)

  it("keeps what a live store needs", function()
    local store = wasm.store()
    local inst = store:instantiate(h.load("lua_host"), {env = {
      add = wasm.func({"i32", "i32"}, {"i32"}, function(a, b) return a + b end),
      log = function() end, pair = function() return 1, 2 end,
      reenter = function() return 0 end, f64 = function(v) return v end}})
    local call_add = inst.exports.call_add
    inst = nil -- luacheck: ignore
    h.gc()
    assert.equal(5, call_add(2, 3))
  end)
end)
