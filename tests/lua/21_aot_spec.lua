-- The AOT compiler from Lua (moonwasm.aot): wasm.compile, artifacts read by
-- wasm.load_file, option checking.  build/wasm/aot.wasm is tests/wat/aot.wat
-- (see tests/c/test_aot.c for the C side); artifacts are cached in
-- build/aot-cache (MW_AOT_CACHE) so reruns skip the C compiler.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm
local aot = require("moonwasm.aot")

local cache = os.getenv("MW_AOT_CACHE") or (h.root .. "/build/aot-cache")

local function imports()
  return {env = {
    add = wasm.func({"i32", "i32"}, {"i32"}, function(a, b) return a + b end),
    fail = wasm.func({"i32"}, {}, function(x) if x ~= 0 then error("boom " .. x) end end),
  }}
end

local function compiled()
  local mod = h.load("aot")
  assert.equal(16, wasm.compile(mod, {cache = cache}))
  return mod
end

describe("wasm.compile", function()
  it("runs every function natively with the interpreter's results", function()
    local mod = compiled()
    assert.equal(16, aot.native_funcs(mod))
    local e = wasm.instantiate(mod, imports()).exports
    assert.equal(5000050000, e.sum(100000))
    assert.same({40, 3, 43}, {e.swap_sum(3, 40)})
    assert.equal(30, e.pick(2))
    assert.equal(42, e.host_add(20, 21))
    assert.equal(42, e.indirect(0, 50, 8))
  end)

  it("traps with the spec's messages", function()
    local e = wasm.instantiate(compiled(), imports()).exports
    h.raises("trap", "integer divide by zero", e.div, 1, 0)
    h.raises("trap", "indirect call type mismatch", e.indirect, 2, 0, 0)
    h.raises("trap", "out of bounds memory access", e.load64, 65536)
    h.raises("exhaustion", "call stack exhausted", e.deep, 0)
    assert.equal(99, e.pick(7)) -- still usable after the traps
  end)

  it("passes a Lua error of a host function through native frames", function()
    local e = wasm.instantiate(compiled(), imports()).exports
    local ok, err = pcall(e.call_fail, 3)
    assert.is_false(ok)
    assert.matches("boom 3", tostring(err))
    assert.equal(5, e.call_fail(0))
  end)

  it("checks its arguments", function()
    local mod = h.load("aot")
    h.raises("usage", "compile: unknown option level", wasm.compile, mod, {level = 2})
    h.raises("usage", "compile: option opt: expected a string, got number",
             wasm.compile, mod, {opt = 2})
    h.raises("usage", "unsupported optimisation level \"Ofast\"", wasm.compile, mod,
             {opt = "Ofast"})
    h.raises("usage", "compile: expected an options table, got string", wasm.compile,
             mod, "O2")
    assert.equal(0, aot.native_funcs(mod))
  end)
end)

describe("artifacts", function()
  local dir
  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
  end)
  after_each(function() os.execute("rm -rf " .. dir) end)

  it("a .so and a universal .wasm load with wasm.load_file", function()
    local mod = h.load("aot")
    assert.is_true(wasm.compile(mod, {output = dir .. "/aot.so", opt = "O1"}))
    assert.is_true(wasm.compile(mod, {output = dir .. "/aot.wasm", opt = "O1"}))
    assert.equal(0, aot.native_funcs(mod)) -- writing artifacts attaches nothing
    for _, name in ipairs{"aot.so", "aot.wasm"} do
      local m = wasm.load_file(dir .. "/" .. name)
      assert.equal(16, aot.native_funcs(m))
      assert.equal(10, wasm.instantiate(m, imports()).exports.pick(0))
    end
  end)

  it("a .so is not attached to another module", function()
    assert.is_true(wasm.compile(h.load("aot"), {output = dir .. "/aot.so", opt = "O0"}))
    local other = h.load("i32")
    h.raises("usage", "artifact was compiled from other wasm bytes",
             require("moonwasm.core").aot_attach, other, dir .. "/aot.so")
  end)
end)

describe("moonwasm compile", function()
  local function sh(cmd)
    local p = io.popen("cd " .. h.root .. " && MW_LUA_BUILD=" .. (os.getenv("MW_LUA_BUILD") or "build/lua")
                       .. " " .. h.lua .. " scripts/moonwasm " .. cmd .. " 2>&1; echo \"rc=$?\"")
    local out = p:read("a")
    p:close()
    return out
  end

  it("writes artifacts that run and call natively", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
    local fib = h.fixture("guest_fib")
    assert.equal(dir .. "/fib.so: shared object\nrc=0\n",
                 sh(("compile %s -o %s/fib.so --opt O1"):format(fib, dir)))
    assert.equal("6765\nrc=0\n", sh(("call %s/fib.so fib 20"):format(dir)))
    assert.equal(dir .. "/fib.wasm: universal module (native code in section moonwasm.aot)\nrc=0\n",
                 sh(("compile %s -o %s/fib.wasm --opt O1"):format(fib, dir)))
    assert.equal("832040\nrc=0\n", sh(("call %s/fib.wasm fib64 30"):format(dir)))
    -- the universal module is still a module every tool reads
    local m = wasm.load_file(dir .. "/fib.wasm")
    assert.equal(2, aot.native_funcs(m))
    assert.matches("unsupported optimisation level \"Ofast\"",
                   sh(("compile %s -o %s/x.so --opt Ofast"):format(fib, dir)))
    os.execute("rm -rf " .. dir)
  end)
end)

-- The same traps in the interpreter and natively: the same messages and the
-- same frames, innermost first (native frames are on the store's frame
-- stack; mixed with interpreted ones, in call order).
describe("AOT backtraces", function()
  local src = [[
(module $bt
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "env" "tick" (func $tick))
  (type $t (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $inner $viaind $mid $inner)
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
  (func $viaind (param i32) (result i32)
    (call_indirect (type $t) (local.get 0) (local.get 0)))
  (func (export "indirect") (param i32) (result i32) (call $viaind (local.get 0)))
  (func (export "mismatch") (param i32) (result i32)
    (call_indirect (param i32) (local.get 0) (local.get 0)) (i32.const 0))
  (func $rec (export "rec") (param i32) (result i32)
    (i32.add (i32.const 1) (call $rec (local.get 0))))
  (func (export "viahost") (param i32) (result i32) (call $host (local.get 0)))
  (func $mid (param i32) (result i32) ;; return_call: stays in the interpreter
    (if (i32.eqz (i32.const 1)) (then (return_call $inner (local.get 0))))
    (call $inner (local.get 0)))
  (func (export "mixed") (param i32) (result i32) (call $mid (local.get 0)))
  (func $spin (export "spin") (loop $l (call $tick) (br $l)))
  (func (export "spinner") (call $spin))
)]]
  local function run(native, name, ...)
    local store = wasm.store()
    local mod = wasm.load(src)
    if native then assert.equal(10, wasm.compile(mod, {cache = cache})) end
    local inst
    local ticks = 0
    inst = store:instantiate(mod, {env = {
      host = wasm.func({"i32"}, {"i32"}, function(x)
        if x < 0 then error("host says no") end
        return inst.exports.outer(x)
      end),
      tick = wasm.func({}, {}, function()
        ticks = ticks + 1
        if ticks == 10 then store:interrupt() end
      end),
    }})
    local ok, err = pcall(inst.exports[name], ...)
    assert.is_false(ok)
    return err
  end
  local function frames(err)
    local t = {}
    for i, f in ipairs(err.frames or {}) do t[i] = (f.name or "?") .. "#" .. tostring(f.func) end
    return table.concat(t, " ")
  end
  local cases = {
    {"outer", {0}, "trap", "integer divide by zero", "?#2 outer#3"},
    {"indirect", {0}, "trap", "integer divide by zero", "?#2 ?#4 indirect#5"},
    {"indirect", {1}, "exhaustion", "call stack exhausted", nil},
    {"indirect", {9}, "trap", "undefined element 9", "?#4 indirect#5"},
    {"mismatch", {2}, "trap", "indirect call type mismatch", "mismatch#6"},
    {"rec", {0}, "exhaustion", "call stack exhausted", nil},
    {"mixed", {0}, "trap", "integer divide by zero", "?#2 ?#9 mixed#10"},
    {"viahost", {0}, "trap", "integer divide by zero", "?#2 outer#3 host function#nil viahost#8"},
    {"viahost", {-1}, nil, "host says no", nil},
    {"spinner", {}, "trap", "interrupted", "spin#11 spinner#12"},
  }
  for _, c in ipairs(cases) do
    local name, args, kind, msg, want = table.unpack(c)
    it(("%s(%s): %s"):format(name, table.concat(args, ","), msg), function()
      local ie, ne = run(false, name, table.unpack(args)), run(true, name, table.unpack(args))
      if kind then
        assert.equal(kind, ie.kind)
        assert.equal(kind, ne.kind)
        assert.equal(msg, ie.message)
        assert.equal(msg, ne.message)
      else
        assert.matches(msg, tostring(ie))
        assert.matches(msg, tostring(ne))
      end
      if want then assert.equal(want, frames(ie)) end
      assert.equal(frames(ie), frames(ne))
      assert.equal(tostring(ie), tostring(ne))
    end)
  end
end)
