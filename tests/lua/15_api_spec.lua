-- Small API points a DESIGN.md reader may try: global defaults, 64-bit
-- unsigned memory access, <close> on import objects and configs,
-- read-only exports, shared memories, register on a closed store, and how
-- deep wasm -> Lua -> wasm re-entry goes.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

describe("wasm.global", function()
  it("defaults the value to zero and mutable to false", function()
    local g = wasm.global("i32")
    assert.equal(0, g:get())
    assert.equal(math.type(0), math.type(g:get()))
    assert.same({kind = "global", type = "i32", mutable = false}, g:type())
    h.raises("usage", "global is immutable", g.set, g, 1)
    assert.equal(0.0, wasm.global("f64"):get())
    assert.equal("float", math.type(wasm.global("f32"):get()))
    assert.equal(0, wasm.global("i64", nil, true):get())
    assert.is_nil(wasm.global("externref"):get())
    assert.is_nil(wasm.global("funcref"):get())
    assert.is_true(wasm.global("i32", nil, true):type().mutable)
  end)
end)

describe("mem:get_u64 / set_u64", function()
  it("are i64 under another name (Lua integers are 64-bit two's complement)", function()
    local mem = wasm.memory{min = 1}
    mem:set_u64(0, -1)
    assert.equal(string.rep("\255", 8), mem:read(0, 8))
    assert.equal(-1, mem:get_u64(0))
    assert.equal(math.maxinteger, mem:get_u64(0) >> 1)
    mem:set_u64(8, 0x0102030405060708)
    assert.equal("\8\7\6\5\4\3\2\1", mem:read(8, 8))
    assert.equal(mem:get_i64(8), mem:get_u64(8))
    h.raises("usage", "mem:set_u64: expected u64, got non-integral number 0.5", mem.set_u64,
             mem, 0, 0.5)
  end)
end)

describe("<close>", function()
  it("works on import objects and configs (closing them does nothing)", function()
    local f = wasm.func({"i32"}, {"i32"}, function(v) return v end)
    local inst
    do
      local env <close> = wasm.import_object("env", {reenter = f})
      local cfg <close> = wasm.config{max_call_depth = 100}
      local store <close> = wasm.store(cfg)
      store:register(env)
      inst = store:instantiate(h.load("lua_link"), {env = {f = f, mem = wasm.memory{min = 1},
        tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 0, true)}})
      assert.equal(4, inst.exports.call_f(4))
    end
    assert.equal(9, f(9)) -- the import object did not close its fields
    h.raises("usage", "closed store", inst.call, inst, "call_f", 1)
  end)
end)

describe("inst.exports", function()
  it("is read-only", function()
    local inst = h.instantiate("lua_math")
    local err = h.raises("usage", 'inst.exports is read-only (assigning "double")', function()
      inst.exports.double = print
    end)
    assert.is_true(wasm.is_error(err))
    h.raises("usage", 'read-only (assigning "new")', function() inst.exports.new = 1 end)
    assert.equal(6, inst.exports.double(3))
    assert.is_nil(inst.exports.new)
  end)

  it("lists its exports with pairs and is its own per instance", function()
    local a, b = h.instantiate("lua_math"), h.instantiate("lua_math")
    local names = {}
    for k, v in pairs(a.exports) do names[#names + 1] = k .. "=" .. getmetatable(v) end
    table.sort(names)
    assert.same({"answer=moonwasm.Global", "double=moonwasm.Func"}, names)
    assert.are_not.equal(a.exports, b.exports)
    assert.are_not.equal(a.exports.double, b.exports.double)
    assert.equal(a.exports, a.exports) -- built once
    assert.equal(a.exports, a:exports())
  end)

  it("registers under a name like an instance's exports", function()
    local store = wasm.store()
    local lib = store:instantiate(h.load("lua_math"))
    store:register("math", lib.exports)
    assert.equal(4 * 5 + 42, store:instantiate(h.load("lua_usemath")).exports.quad_plus(5))
  end)
end)

describe("wasm.memory", function()
  it("refuses shared memories", function()
    h.raises("usage", "shared memories are not supported", wasm.memory,
             {min = 1, max = 2, shared = true})
    assert.equal(1, wasm.memory{min = 1, shared = false}:size())
  end)
end)

describe("store:register on a closed store", function()
  it("always raises", function()
    local store = wasm.store()
    store:close()
    local closed = "attempt to use a closed store"
    h.raises("usage", closed, store.register, store, wasm.import_object("env", {}))
    h.raises("usage", closed, store.register, store, "env", {})
    h.raises("usage", closed, store.register, store, "env", {f = print})
    h.raises("usage", closed, store.register, store, wasm.wasi{})
    h.raises("usage", closed, store.register, store, "m", h.load("lua_math"))
    h.raises("usage", closed, store.register, store, 42)
  end)
end)

describe("re-entry (wasm -> Lua -> wasm)", function()
  local function reentrant(config)
    local inst
    inst = wasm.instantiate(h.load("lua_host"), {env = {
      add = function(a, b) return a + b end, log = function() end,
      pair = function() return 1, 2 end, f64 = function(v) return v end,
      reenter = function(n) return inst.exports.down(n) end}}, config)
    return inst
  end

  it("goes max_host_depth (150) levels deep, then is an exhaustion error", function()
    local inst = reentrant()
    assert.equal(150, inst.exports.down(150))
    local err = h.raises("exhaustion", "call stack exhausted", inst.exports.down, 151)
    assert.equal(wasm.core.defaults.max_host_depth, 150)
    assert.equal(10, inst.exports.down(10)) -- usable afterwards
    assert.is_true(wasm.is_error(err))
  end)

  it("costs one Lua C level per round trip: about 190 levels fit under Lua's limit", function()
    local inst = reentrant{max_host_depth = 10000}
    assert.equal(190, inst.exports.down(190))
  end)

  it("turns Lua's C stack overflow into an exhaustion error object", function()
    local inst = reentrant{max_host_depth = 10000}
    local err = h.raises("exhaustion", "call stack exhausted (Lua C stack overflow)",
                         inst.exports.down, 400)
    assert.equal("moonwasm.Error", getmetatable(err).__name)
    assert.equal(5, inst.exports.down(5))
  end)
end)
