-- Protected metatables, and finalizers called by hand: getmetatable() gives
-- the type name, and debug.getmetatable(x).__gc(x) never frees what the
-- runtime still uses (run under ASan: `make test SANITIZE=1`).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function gc_by_hand(x)
  debug.getmetatable(x).__gc(x)
end

local function host_env(over)
  local t = {add = function(a, b) return a + b end, log = function() end,
             pair = function() return 1, 2 end, reenter = function() return 0 end,
             f64 = function(v) return v end}
  for k, v in pairs(over or {}) do t[k] = v end
  return {env = t}
end

describe("metatables", function()
  it("are protected: getmetatable gives the type name", function()
    local store = wasm.store()
    local inst = store:instantiate(h.load("lua_values"))
    local wasi = wasm.wasi{}
    local caller_mt
    local f = wasm.func({}, {}, function(caller) caller_mt = getmetatable(caller) end,
                        {caller = true})
    f()
    local expected = {
      ["moonwasm.Module"] = h.load("lua_values"),
      ["moonwasm.Store"] = store,
      ["moonwasm.Instance"] = inst,
      ["moonwasm.Func"] = f,
      ["moonwasm.Memory"] = wasm.memory{min = 1},
      ["moonwasm.Table"] = wasm.table{element = "funcref", min = 1},
      ["moonwasm.Global"] = wasm.global("i32"),
      ["moonwasm.Wasi"] = wasi,
      ["moonwasm.Exports"] = inst.exports,
      ["moonwasm.Config"] = wasm.config(),
      ["moonwasm.VM"] = wasm.vm(),
      ["moonwasm.ImportObject"] = wasm.import_object("env", {}),
    }
    for name, obj in pairs(expected) do
      assert.equal(name, getmetatable(obj))
      assert.has_error(function() setmetatable(obj, {}) end)
    end
    assert.equal("moonwasm.Caller", caller_mt)
    assert.equal("moonwasm.Memory", getmetatable(inst.exports.memory))
  end)
end)

describe("__gc called by hand", function()
  it("on host objects a live store imported keeps their C objects", function()
    local env = {f = wasm.func({"i32"}, {"i32"}, function(v) return v + 1 end),
                 mem = wasm.memory{min = 1}, tab = wasm.table{element = "funcref", min = 2},
                 g = wasm.global("i32", 5, true)}
    local store = wasm.store()
    local inst = store:instantiate(h.load("lua_link"), {env = env})
    env.mem:write(0, "\7\0\0\0")
    for _, o in pairs(env) do gc_by_hand(o) end
    h.raises("usage", "attempt to use a closed memory", env.mem.read, env.mem, 0, 4)
    h.raises("usage", "attempt to use a closed function", env.f, 1)
    h.raises("usage", "attempt to use a closed table", env.tab.size, env.tab)
    h.raises("usage", "attempt to use a closed global", env.g.get, env.g)
    -- wasm still uses all four
    assert.equal(7, inst.exports.load(0))
    inst.exports.store(0, 9)
    assert.equal(9, inst.exports.load(0))
    assert.equal(3, inst.exports.call_f(2))
    assert.equal(5, inst.exports.get_g())
    inst.exports.set_g(6)
    assert.equal(6, inst.exports.get_g())
    inst.exports.put_seven(1)
    assert.equal(7, inst.exports.call_slot(1))
    h.gc()
    assert.equal(3, inst.exports.call_f(2))
    for _, o in pairs(env) do gc_by_hand(o) end -- twice is harmless
    store:close()
    h.gc()
  end)

  it("frees them once the stores that use them are gone", function()
    local mem = wasm.memory{min = 1}
    local store = wasm.store()
    store:instantiate(h.load("lua_link"), {env = {f = function(v) return v end, mem = mem,
      tab = wasm.table{element = "funcref", min = 2}, g = wasm.global("i32", 0, true)}})
    gc_by_hand(mem)
    store:close() -- the memory goes with it
    h.raises("usage", "closed memory", mem.size, mem)
    h.gc()
  end)

  it("on a wasi context registered in a store, also from its stdout callback", function()
    local wasi
    local chunks = {}
    wasi = wasm.wasi{env = {"X=2"}, stdin = "abc", stderr = false,
                     stdout = function(s)
                       chunks[#chunks + 1] = s
                       gc_by_hand(wasi) -- during _start
                       h.gc()
                     end}
    local store = wasm.store()
    store:register(wasi)
    local inst = store:instantiate(h.load("lua_wasi"))
    assert.equal(0, select("#", inst.exports._start())) -- proc_exit(2): wasi still works
    assert.equal("abc", table.concat(chunks))
    h.raises("usage", "attempt to use a closed wasi", wasi.exit_code, wasi)
    h.gc()
    inst.exports._start() -- the store still uses its functions
    local other = wasm.wasi{}
    store:register(other)
    gc_by_hand(other)
    h.gc()
    store:close()
    h.gc()
  end)

  it("on a store from inside a host function defers the free to the end of the call", function()
    local store = wasm.store()
    local inst
    inst = store:instantiate(h.load("lua_host"), host_env{
      add = function(a, b)
        gc_by_hand(store)
        h.gc()
        return a + b
      end,
      reenter = function(n)
        if n == 2 then gc_by_hand(store) end
        -- the store is closed now: calling back in is a usage error
        local ok, err = pcall(inst.exports.down, n)
        assert(not ok and wasm.is_error(err, "usage"), tostring(err))
        return 0
      end})
    local call_add, down = inst.exports.call_add, inst.exports.down
    assert.equal(3, call_add(1, 2)) -- the call finishes in the closed store
    h.raises("usage", "attempt to use a closed store", call_add, 1, 2)
    h.raises("usage", "attempt to use a closed store", store.instantiate, store,
             h.load("lua_math"))
    h.gc()
    local store2 = wasm.store()
    inst = store2:instantiate(h.load("lua_host"), host_env{
      reenter = function(n)
        if n > 2 then return inst.exports.down(n - 1) end
        gc_by_hand(store2)
        return 0
      end})
    assert.equal(2, inst.exports.down(5)) -- nested calls all finish
    h.raises("usage", "closed store", function() return inst.exports.down(1) end)
    h.gc()
    h.raises("usage", "closed store", down, 0)
  end)

  it("on a store whose functions another store holds keeps them callable there", function()
    local a, b = wasm.store(), wasm.store()
    local ia = a:instantiate(h.load("lua_refs"))
    local ib = b:instantiate(h.load("lua_refs"))
    local two = ia.exports.two
    ib.exports.funcs:set(2, two)
    gc_by_hand(a)
    h.gc()
    assert.equal(2, ib.exports.call_slot(2))
    h.raises("usage", "closed store", two)
    h.raises("usage", "closed store", function() return ia.exports end)
    b:close()
    h.gc()
  end)

  it("on a running host function lets it finish", function()
    local f
    f = wasm.func({}, {"i32"}, function() gc_by_hand(f) h.gc() return 1 end)
    assert.equal(1, f())
    h.raises("usage", "closed function", f)
    h.gc()
  end)

  it("on instances, modules and the per-state object", function()
    local store = wasm.store()
    local mod = h.load("lua_math")
    local inst = store:instantiate(mod)
    local double = inst.exports.double
    gc_by_hand(inst)
    gc_by_hand(mod)
    h.gc()
    h.raises("usage", "closed instance", inst.call, inst, "double", 1)
    h.raises("usage", "closed module", mod.imports, mod)
    assert.equal(4, double(2)) -- the store keeps what the instance needs
    local registry = debug.getregistry()
    for _, v in pairs(registry) do
      if getmetatable(v) == "moonwasm.State" then gc_by_hand(v) end
    end
    assert.equal(7, wasm.func({}, {"i32"}, function() return 7 end)())
  end)

  it("on host tables holding functions of a store", function()
    local tab = wasm.table{element = "funcref", min = 2}
    local store = wasm.store()
    local inst = store:instantiate(h.load("lua_link"), {env = {f = function(v) return v end,
      mem = wasm.memory{min = 1}, tab = tab, g = wasm.global("i32", 0, true)}})
    inst.exports.put_seven(0)
    local seven = tab:get(0)
    gc_by_hand(tab)
    gc_by_hand(store)
    h.gc()
    h.raises("usage", "closed table", tab.get, tab, 0)
    h.raises("usage", "closed store", seven)
    inst, store = nil, nil -- luacheck: ignore
    h.gc()
  end)
end)
