-- The AOT compiler, this session's part (src/aot): memory 0's bounds
-- checked by guard pages (a fault in its reservation becomes the trap, with
-- the interpreter's message and backtrace), and what used to fall back to
-- the interpreter.  Every case runs in both engines and compares.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm
local aot = require("moonwasm.aot")

local cache = os.getenv("MW_AOT_CACHE") or (h.root .. "/build/aot-cache")

local function frames(err)
  local t = {}
  for i, f in ipairs(err.frames or {}) do t[i] = (f.name or "?") .. "#" .. tostring(f.func) end
  return table.concat(t, " ")
end

-- Instantiate src in the interpreter or natively (every defined function
-- native: nnative), with env imports made by mk(inst_ref).
local function instance(src, native, nnative, mk)
  local store = wasm.store()
  local mod = wasm.load(src)
  if native then assert.equal(nnative, wasm.compile(mod, {cache = cache})) end
  local ref = {}
  ref.inst = store:instantiate(mod, mk and {env = mk(ref)} or nil)
  return ref.inst, store
end

-- The same call in both engines: equal results, or equal errors (kind,
-- message, frames), and `want` (results, or {kind, message, frames}).
local function both(src, nnative, mk, name, args, want)
  local out = {}
  for _, native in ipairs({false, true}) do
    local inst = instance(src, native, nnative, mk)
    out[#out + 1] = table.pack(pcall(inst.exports[name], table.unpack(args)))
  end
  local i, n = out[1], out[2]
  assert.equal(i[1], n[1])
  if i[1] then
    for k = 2, i.n do assert.equal(i[k], n[k]) end
    for k, v in ipairs(want) do assert.equal(v, n[k + 1]) end
  else
    local ie, ne = i[2], n[2]
    assert.equal(want[1], ne.kind)
    assert.equal(want[2], ne.message)
    assert.equal(ie.kind, ne.kind)
    assert.equal(ie.message, ne.message)
    if want[3] then assert.equal(want[3], frames(ie)) end
    assert.equal(frames(ie), frames(ne))
    assert.equal(tostring(ie), tostring(ne))
  end
end

describe("AOT memory bounds (guard pages)", function()
  local src = [[
(module $mem
  (import "env" "host" (func $host (param i32) (result i32)))
  (memory 1 3)
  (func $ld (param i32) (result i32) (i32.load (local.get 0)))
  (func $ld8 (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func $st64 (param i32) (i64.store offset=0xFFFFFFF0 (local.get 0) (i64.const -1)))
  (func (export "load") (param i32) (result i32) (call $ld (local.get 0)))
  (func (export "load8") (param i32) (result i32) (call $ld8 (local.get 0)))
  (func (export "store64") (param i32) (result i32)
    (call $st64 (local.get 0)) (i32.const 7))
  (func (export "grow_then_load") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 131068) (i32.const 0x01020304))
    (i32.add (i32.load (i32.const 131068)) (call $ld (local.get 0))))
  (func $deep (export "deep") (param i32 i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (i32.const 1)
        (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1))))
      (else (call $ld (local.get 1)))))
  (func (export "after_deep") (param i32) (result i32)
    ;; a deep call returns, then the access traps one level down
    (drop (call $deep (i32.const 20) (i32.const 0)))
    (call $ld (local.get 0)))
  (func (export "viahost") (param i32) (result i32) (call $host (local.get 0)))
  (func (export "edge") (result i32)
    ;; the last 4 bytes are in bounds; the load straddling the end is not
    (i32.add (i32.load (i32.const 65532)) (i32.load (i32.const 65533))))
)]]
  local function mk(ref)
    return {host = wasm.func({"i32"}, {"i32"}, function(x)
      return ref.inst.exports.load(x)
    end)}
  end
  local oob = "out of bounds memory access"
  local cases = {
    {"load", {65532}, {0}},
    {"load", {65533}, {"trap", oob, "?#1 load#4"}},
    {"load", {-1}, {"trap", oob, "?#1 load#4"}},
    {"load8", {0}, {0}},
    {"load8", {1}, {"trap", oob, "?#2 load8#5"}},
    {"store64", {0}, {"trap", oob, "?#3 store64#6"}},
    {"store64", {-1}, {"trap", oob, "?#3 store64#6"}},
    {"grow_then_load", {70000}, {0x01020304}},
    {"grow_then_load", {131069}, {"trap", oob, "?#1 grow_then_load#7"}},
    {"deep", {3, 65536}, {"trap", oob, "?#1 deep#8 deep#8 deep#8 deep#8"}},
    {"deep", {3, 4}, {3}},
    {"after_deep", {70000}, {"trap", oob, "?#1 after_deep#9"}},
    {"viahost", {65536}, {"trap", oob, "?#1 load#4 host function#nil viahost#10"}},
    {"edge", {}, {"trap", oob, "edge#11"}},
  }
  for _, c in ipairs(cases) do
    local name, args, want = table.unpack(c)
    it(("%s(%s)"):format(name, table.concat(args, ",")), function()
      both(src, 11, mk, name, args, want)
    end)
  end

  it("a trap leaves the store usable, natively, many times over", function()
    local inst = instance(src, true, 11, mk)
    for k = 1, 50 do
      local ok, err = pcall(inst.exports.load, 65536 + k)
      assert.is_false(ok)
      assert.equal(oob, err.message)
      assert.equal(0, inst.exports.load(k * 4))
    end
  end)

  it("a host error in native code's callee is not taken for a fault", function()
    local inst = instance(src, true, 11, function()
      return {host = wasm.func({"i32"}, {"i32"}, function() error("no thanks") end)}
    end)
    local ok, err = pcall(inst.exports.viahost, 1)
    assert.is_false(ok)
    assert.matches("no thanks", tostring(err))
  end)
end)

describe("aot.fallbacks", function()
  it("lists the functions left to the interpreter, with why", function()
    local mod = wasm.load([[
(module
  (memory 1)
  (func $f (export "f") (param i32) (result i32) (i32.load (local.get 0)))
  (func $v (param v128) (result v128) (local.get 0))
  (func $ok (result i32) (call $f (i32.const 0))))]])
    local list = aot.fallbacks(mod)
    assert.equal(1, #list)
    assert.equal(1, list[1].func)
    assert.equal("a v128 or Wasm 3.0 type in its signature", list[1].reason)
  end)

  it("names the module feature that keeps a whole module interpreted", function()
    local mod = wasm.load([[
(module (tag $t) (func $a (throw $t)) (func $b (result i32) (i32.const 1)))]])
    local list = aot.fallbacks(mod)
    assert.equal(2, #list)
    assert.same({0, 1}, {list[1].func, list[2].func})
    assert.equal("tags (exception handling)", list[1].reason)
  end)

  it("is empty when everything is translated, and checks its argument", function()
    assert.same({}, aot.fallbacks(wasm.load("(module (func (result i32) (i32.const 7)))")))
    assert.has_error(function() aot.fallbacks(42) end)
  end)
end)

describe("AOT tail calls", function()
  local src = [[
(module
  (func $count (export "count") (param i64 i64) (result i64)
    (local $t i32)
    ;; $t starts from zero on every call, tail calls included
    (local.set $t (i32.add (local.get $t) (i32.const 1)))
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.add (local.get 1) (i64.extend_i32_u (local.get $t))))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                (i64.add (local.get 1) (i64.const 2))))))
  (func $down (export "down") (param i32) (result i32)
    ;; traps at the bottom: one frame, however many tail calls led there
    (if (i32.eqz (local.get 0)) (then (return (i32.div_u (i32.const 1) (local.get 0)))))
    (return_call $down (i32.sub (local.get 0) (i32.const 1))))
  (func (export "via") (param i32) (result i32) (call $down (local.get 0)))
  (func $forever (export "forever") (param i32) (result i32)
    (return_call $forever (i32.add (local.get 0) (i32.const 1))))
  (func $even (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
)]]
  it("a deep self tail recursion runs natively in constant stack", function()
    -- a million calls: far past the call depth limit if each took a frame
    both(src, 4, nil, "count", {1000000, 5}, {2000006})
    both(src, 4, nil, "count", {0, 5}, {6})
  end)

  it("a trap after tail calls shows the frame they replaced", function()
    both(src, 4, nil, "via", {100000},
         {"trap", "integer divide by zero", "down#1 via#2"})
  end)

  it("an endless self tail call is interrupted like a loop", function()
    local inst, store = instance(src, true, 4)
    store:set_deadline(0.05)
    local ok, err = pcall(inst.exports.forever, 0)
    assert.is_false(ok)
    assert.equal("deadline exceeded", err.message)
  end)

  it("tail calls to other functions stay interpreted, and say so", function()
    local list = aot.fallbacks(wasm.load(src))
    assert.equal(2, #list)
    assert.same({4, 5}, {list[1].func, list[2].func})
    assert.equal("instruction return_call", list[1].reason)
    both(src, 4, nil, "odd", {100001}, {1})
  end)
end)

describe("AOT and host control limits", function()
  local f = assert(io.open(h.fixture("stats"), "rb"))
  local stats_bytes = f:read("a")
  f:close()

  it("statistics and cost limits stay exact: a metered module runs interpreted", function()
    local cfg = wasm.config{statistics = {instructions = true, cost = true}, cost_limit = 1000}
    local mod = wasm.load(stats_bytes, cfg)
    wasm.compile(mod, {cache = cache})
    local store = wasm.store(cfg)
    local inst = store:instantiate(mod)
    assert.equal(55, inst.exports.sum(10))
    assert.equal(12 * 10 + 7, store:statistics().instructions)
    local ok, err = pcall(inst.exports.sum, 1000)
    assert.is_false(ok)
    assert.equal("cost limit exceeded", err.message)
  end)

  it("fuel is taken per loop iteration and call, natively as interpreted", function()
    local left = {}
    for _, native in ipairs({false, true}) do
      local mod = wasm.load(stats_bytes)
      if native then assert.is_true(wasm.compile(mod, {cache = cache}) > 0) end
      local store = wasm.store()
      local inst = store:instantiate(mod)
      store:set_fuel(100000)
      assert.equal(500500, inst.exports.sum(1000))
      left[#left + 1] = store:fuel()
      store:set_fuel(50)
      local ok, err = pcall(inst.exports.sum, 1000)
      assert.is_false(ok)
      assert.equal("all fuel consumed", err.message)
    end
    -- native code also takes a unit on the entry from the host (its
    -- functions poll on entry; the interpreter polls at call instructions)
    assert.equal(left[1] - 1, left[2])
    assert.equal(100000 - 1000, left[1]) -- sum(1000): 1000 iterations, no call
  end)
end)
