-- Regressions from a review of the binding: each case crashed or failed
-- under ASan (`make test SANITIZE=1`) before its fix, and must now give a
-- clean error or the right value.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm
local core = wasm.core

local WAT2WASM = os.getenv("WAT2WASM") or "wat2wasm"

--- A module from wat text (built with wat2wasm, as the fixtures are).
local function wat(text)
  local src, out = os.tmpname(), os.tmpname()
  local f = assert(io.open(src, "w"))
  f:write(text)
  f:close()
  local ok = os.execute(("%s %q -o %q"):format(WAT2WASM, src, out))
  os.remove(src)
  assert(ok, "wat2wasm failed")
  f = assert(io.open(out, "rb"))
  local bytes = f:read("a")
  f:close()
  os.remove(out)
  return wasm.load(bytes)
end

-- Keeps one funcref in a table and calls or returns it.
local KEEPER = [[
(module
  (table 1 funcref)
  (func (export "setref") (param funcref) (table.set 0 (i32.const 0) (local.get 0)))
  (func (export "call") (result i32) (call_indirect (result i32) (i32.const 0)))
  (func (export "get") (result funcref) (table.get 0 (i32.const 0))))]]

-- Gives keeper.setref a funcref of its own store.
local GIVER = [[
(module
  (import "a" "setref" (func $setref (param funcref)))
  (func $mine (result i32) i32.const 77)
  (elem declare func $mine)
  (func (export "give") (call $setref (ref.func $mine))))]]

-- Gives keeper.setref the host function it imported.
local HOST_GIVER = [[
(module
  (import "a" "setref" (func $setref (param funcref)))
  (import "env" "hf" (func $hf (result i32)))
  (elem declare func $hf)
  (func (export "give") (call $setref (ref.func $hf))))]]

-- Gives whatever function its table holds a funcref of its own store.
local TABLE_GIVER = [[
(module
  (type $take (func (param funcref)))
  (table (export "tab") 1 funcref)
  (func $mine (result i32) i32.const 77)
  (elem declare func $mine)
  (func (export "give") (call_indirect (type $take) (ref.func $mine) (i32.const 0))))]]

-- Two imports, so a metamethod of the imports table runs between them.
local TWO_IMPORTS = [[
(module
  (import "env" "a" (func $a (result i32)))
  (import "env" "b" (func $b (result i32)))
  (func (export "f") (result i32) (i32.add (call $a) (call $b))))]]

describe("a Caller", function()
  it("may be collected by its host function before the call returns", function()
    local f = wasm.func({"i32", "i32"}, {"i32"}, function(c, a)
      c = nil -- luacheck: ignore (the only reference to the Caller)
      h.gc()
      local junk = {}
      for i = 1, 1000 do junk[i] = {i} end
      return a + 1
    end, {caller = true})
    local inst = h.instantiate("lua_host", {env = {
      add = f, log = function() end, pair = function() return 1, 2 end,
      reenter = function() return 0 end, f64 = function(v) return v end}})
    assert.equal(6, inst.exports.call_add(5, 0))
    assert.equal(7, f(6, 0)) -- from Lua: the scratch store
    h.gc()
  end)
end)

describe("a function of another store", function()
  -- keeper's store A; giver's store B imports A's setref, gives A one of
  -- B's functions, and is closed: A must keep B while it can call it.
  local function check(give)
    local A = wasm.store()
    local keeper = A:instantiate(wat(KEEPER))
    give(keeper)
    h.gc()
    assert.equal(77, keeper.exports.call())
    -- from Lua, the function is closed (its store or itself)
    h.raises("usage", "attempt to use a closed", keeper.exports.get())
    A:close()
    h.gc()
  end

  it("keeps the importing store alive (imports table)", function()
    check(function(keeper)
      local B = wasm.store()
      B:instantiate(wat(GIVER), {a = {setref = keeper.exports.setref}}).exports.give()
      B:close()
    end)
  end)

  it("keeps the importing store alive (store:define)", function()
    check(function(keeper)
      local B = wasm.store()
      B:define("a", "setref", keeper.exports.setref)
      B:instantiate(wat(GIVER)).exports.give()
      B:close()
    end)
  end)

  it("keeps the host functions the importing store passes on", function()
    check(function(keeper)
      local hf = wasm.func({}, {"i32"}, function() return 77 end)
      local B = wasm.store()
      B:instantiate(wat(HOST_GIVER), {a = {setref = keeper.exports.setref},
                                      env = {hf = hf}}).exports.give()
      hf:close()
      B:close()
    end)
  end)

  it("keeps a store that holds it in a table", function()
    check(function(keeper)
      local B = wasm.store()
      local inst = B:instantiate(wat(TABLE_GIVER))
      inst.exports.tab:set(0, keeper.exports.setref)
      inst.exports.give()
      B:close()
    end)
  end)

  it("keeps a store whose funcref was passed to it from Lua", function()
    local A = wasm.store()
    local keeper = A:instantiate(wat(KEEPER))
    do
      local B = wasm.store()
      local inst = B:instantiate(h.load("lua_refs"))
      keeper.exports.setref(inst.exports.one)
      B:close()
    end
    h.gc()
    assert.equal(1, keeper.exports.call())
    A:close()
    h.gc()
  end)
end)

describe("store:instantiate running Lua code", function()
  local function env_with(index)
    return setmetatable({a = function() return 1 end}, {__index = index})
  end

  it("refuses to close the store from the imports table", function()
    local store = wasm.store()
    h.raises("usage", "cannot close a store while it is running", store.instantiate, store,
             wat(TWO_IMPORTS), {env = env_with(function() store:close() end)})
    local inst = store:instantiate(wat(TWO_IMPORTS), {env = {a = function() return 1 end,
                                                             b = function() return 2 end}})
    assert.equal(3, inst.exports.f())
  end)

  it("notices the store closed by its finalizer, and frees it after", function()
    local store = wasm.store()
    h.raises("usage", "attempt to use a closed store", store.instantiate, store,
             wat(TWO_IMPORTS), {env = env_with(function()
               debug.getmetatable(store).__gc(store)
               return function() return 2 end
             end)})
    h.raises("usage", "attempt to use a closed store", store.instantiate, store, wat(TWO_IMPORTS))
    h.gc()
  end)

  it("keeps the module it instantiates, closed or not", function()
    local store = wasm.store()
    local mod = wat(TWO_IMPORTS)
    local inst = store:instantiate(mod, {env = env_with(function()
      mod:close()
      h.gc()
      return function() return 2 end
    end)})
    assert.equal(3, inst.exports.f())
    h.raises("usage", "attempt to use a closed module", mod.imports, mod)
    store:close()
  end)

  it("reads the store's config once, when the store is made", function()
    local mod = core.load(h.module_bytes())
    local reads, armed = 0, false
    local store = core.store(setmetatable({}, {__index = function()
      reads = reads + 1
      if armed then mod:close() end
    end}))
    local made = reads
    armed = true
    local inst = store:instantiate(mod)
    assert.equal(made, reads)
    assert.equal(mod, inst:module())
    store:close()
  end)
end)

describe("the exports iterator", function()
  it("refuses what is not a table", function()
    local inst = h.instantiate("lua_math")
    local nxt = pairs(inst.exports)
    h.raises("usage", "exports iterator: expected a table, got number", nxt, 5)
    h.raises("usage", "exports iterator: expected a table, got nil", nxt, nil)
    local names = {}
    for name in pairs(inst.exports) do names[#names + 1] = name end
    table.sort(names)
    assert.same({"answer", "double"}, names)
  end)
end)

describe("a WASI stream given as an io file", function()
  local function read(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("a")
    f:close()
    return s
  end

  -- How many of this process's fds refer to `path`.  Counting only the
  -- fds of one file keeps the check exact while other specs' files (or
  -- the pipe of io.popen itself) come and go.
  local function fds_to(path)
    local f = io.open("/proc/self/stat")
    if not f then return nil end
    local pid = f:read("a"):match("^%d+")
    f:close()
    local p = io.popen("ls -l /proc/" .. pid .. "/fd")
    local n = 0
    for line in p:lines() do
      if line:sub(-(#path + 4)) == " -> " .. path then n = n + 1 end
    end
    p:close()
    return n
  end

  it("keeps writing to that file after it is closed, not to its fd's next owner", function()
    local first, victim = os.tmpname(), os.tmpname()
    local f = assert(io.open(first, "w"))
    local wasi = wasm.wasi{stdin = "hello", stdout = f, stderr = false}
    f:close()
    local g = assert(io.open(victim, "w")) -- likely to get f's old fd
    local store = wasm.store()
    store:register(wasi)
    assert.equal(0, wasi:start(store:instantiate(h.load("lua_wasi"))))
    g:close()
    assert.equal("", read(victim))
    assert.equal("hello", read(first))
    store:close()
    local held = fds_to(first)
    if held then assert.is_true(held >= 1) end -- the count sees the wasi's copy
    wasi:close()
    h.gc()
    local left = fds_to(first)
    if left then assert.equal(0, left) end -- its copy is closed
    os.remove(first)
    os.remove(victim)
  end)
end)

describe("core.func", function()
  it("reads arguments not given as nil", function()
    local seen = {}
    local f = core.func({"i32"}, nil, function(...) seen = {n = select("#", ...), ...} end)
    f(7)
    assert.same({n = 1, 7}, seen)
    local g = core.func({"i32"}, {}, function(...) seen = {n = select("#", ...), ...} end, true)
    g(8)
    assert.equal(2, seen.n)
    assert.equal("moonwasm.Caller", getmetatable(seen[1]))
    assert.equal(8, seen[2])
  end)
end)

describe("WASI contexts of a store", function()
  it("learn that a call returned, one defined later too", function()
    local mod = h.load("lua_wasi")
    local quiet = {stdin = false, stdout = false, stderr = false}
    local w1 = wasm.wasi(quiet)
    local store = wasm.store()
    store:register(w1)
    local inst = store:instantiate(mod)
    assert.is_nil(w1:exit_code())
    inst.exports._start()
    inst.exports._start()
    assert.equal(0, w1:exit_code())
    local w2 = wasm.wasi(quiet)
    store:register(w2)
    assert.is_nil(w2:exit_code())
    inst.exports._start()
    assert.equal(0, w2:exit_code())
    store:close()
  end)
end)

describe("funcref arguments", function()
  it("keep a host function the store was given, given once or twice", function()
    local inst = h.instantiate("lua_refs")
    local hf = wasm.func({}, {"i32"}, function() return 5 end)
    inst.exports.set_func(3, hf)
    inst.exports.set_func(2, hf)
    hf:close()
    hf = nil -- luacheck: ignore
    h.gc()
    assert.equal(5, inst.exports.call_slot(3))
    assert.equal(5, inst.exports.call_slot(2))
    inst.exports.set_func(1, inst.exports.ref_two()) -- its own: nothing to keep
    assert.equal(2, inst.exports.call_slot(1))
  end)
end)

describe("externref NaN", function()
  it("comes back as a NaN, every time", function()
    local id = h.instantiate("lua_refs").exports.id_ext
    for _ = 1, 3 do
      local v = id(0 / 0)
      assert.is_true(v ~= v)
    end
  end)
end)
