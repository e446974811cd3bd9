-- Wasm 3.0 type system and typed function references (issue 12): value
-- types in wat form, rec groups and subtyping across modules, call_ref,
-- return_call_ref, br_on_null, non-nullable locals, table initializers,
-- references crossing the Lua API, and the feature switches.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function load(text, config) return wasm.load(wasm.wat(text), config) end
-- decoded and validated
local function valid(text)
  local mod = load(text)
  mod:validate()
  return mod
end

describe("value types", function()
  it("print in wat form in imports, exports and function types", function()
    local mod = load [[
      (module
        (type $t (func (param i32) (result i32)))
        (import "m" "g" (global (ref null $t)))
        (import "m" "h" (func (param anyref (ref func)) (result (ref null extern))))
        (table (export "tab") 2 (ref null $t))
        (global (export "e") eqref (ref.null eq))
        (func (export "f") (param (ref $t) i31ref) (result (ref null func) exnref)
          (ref.null func) (ref.null exn)))
    ]]
    local imps, exps = mod:imports(), mod:exports()
    assert.equal("(ref null 0)", imps[1].type.type)
    assert.same({"anyref", "(ref func)"}, imps[2].type.params)
    assert.same({"externref"}, imps[2].type.results)
    assert.equal("(import \"m\" \"h\" (func (param anyref (ref func)) (result externref)))",
                 tostring(imps[2]))
    assert.equal("(ref null 0)", exps[1].type.element)
    assert.equal("eqref", exps[2].type.type)
    assert.same({"(ref 0)", "i31ref"}, exps[3].type.params)
    assert.same({"funcref", "exnref"}, exps[3].type.results)
  end)

  it("host functions take the abbreviations and (ref ...) of abstract types", function()
    local f = wasm.func({"(ref null extern)", "(ref func)"}, {"anyref"}, function() end)
    assert.same({"externref", "(ref func)"}, f:type().params)
    assert.same({"anyref"}, f:type().results)
    h.raises("usage", "expected a value type", wasm.func, {"(ref 3)"}, {}, print)
    h.raises("usage", "expected a value type", wasm.func, {"(ref nul func)"}, {}, print)
  end)
end)

describe("type definitions", function()
  it("reject a subtype that does not match its supertype, or a final one", function()
    h.raises("invalid", "sub type 1 does not match super type 0", valid, [[
      (module (type $a (sub (func (param i32)))) (type (sub $a (func (param i64)))))]])
    h.raises("invalid", "sub type 1 has final super type 0", valid, [[
      (module (type $a (func)) (type (sub $a (func))))]])
    h.raises("invalid", "unknown type", valid, [[
      (module (type (func (param (ref 1)))) (type (func)))]])
  end)

  it("canonicalise rec groups: equal groups of two modules link", function()
    local store = wasm.store()
    local a = store:instantiate(load [[
      (module
        (rec (type $f (func (param (ref null $g)))) (type $g (func (result (ref null $f)))))
        (func (export "f") (type $f)))
    ]])
    store:register("A", a)
    -- the same group, written again: the import matches
    assert.is_truthy(store:instantiate(load [[
      (module
        (rec (type $f (func (param (ref null $g)))) (type $g (func (result (ref null $f)))))
        (import "A" "f" (func (type $f))))
    ]]))
    -- the same shapes in another group structure: no match
    h.raises("unlinkable", "incompatible import type", store.instantiate, store, load [[
      (module
        (rec (type $g (func (result (ref null $f)))) (type $f (func (param (ref null $g)))))
        (import "A" "f" (func (type $f))))
    ]])
  end)

  it("match imports by subtyping", function()
    local store = wasm.store()
    store:register("A", store:instantiate(load [[
      (module
        (type $base (sub (func (result funcref))))
        (type $sub (sub $base (func (result (ref func)))))
        (func (export "f") (type $sub) (ref.func 0))
        (global (export "g") (ref func) (ref.func 0)))
    ]]))
    assert.is_truthy(store:instantiate(load [[
      (module
        (type $base (sub (func (result funcref))))
        (import "A" "f" (func (type $base)))
        (import "A" "g" (global funcref)))
    ]]))
    h.raises("unlinkable", "incompatible import type", store.instantiate, store, load [[
      (module (import "A" "g" (global (mut funcref))))]])
  end)
end)

describe("typed function references", function()
  local mod = [[
    (module
      (type $ii (func (param i32) (result i32)))
      (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
      (elem declare func $inc $dbl)
      (table $t 2 (ref $ii) (ref.func $inc))
      (func (export "apply") (param $which i32) (param $x i32) (result i32)
        (local $f (ref $ii))
        (local.set $f (table.get $t (local.get $which)))
        (call_ref $ii (local.get $x) (local.get $f)))
      (func (export "set_dbl") (table.set $t (i32.const 1) (ref.func $dbl)))
      (func (export "call_null") (result i32)
        (call_ref $ii (i32.const 1) (ref.null $ii)))
      (func (export "as_non_null") (param funcref) (result funcref)
        (ref.as_non_null (local.get 0)))
      (func (export "or_zero") (param (ref null $ii)) (param i32) (result i32)
        (block $null
          (return (call_ref $ii (local.get 1) (br_on_null $null (local.get 0)))))
        (i32.const 0))
      (func $count (param $n i32) (param $acc i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n))
          (then (local.get $acc))
          (else (return_call_ref $loop (i32.sub (local.get $n) (i32.const 1))
                                 (i32.add (local.get $acc) (i32.const 1))
                                 (ref.func $count)))))
      (type $loop (func (param i32 i32) (result i32)))
      (elem declare func $count)
      (func (export "count") (param i32) (result i32)
        (call $count (local.get 0) (i32.const 0)))
      (func (export "get") (param i32) (result (ref $ii)) (table.get $t (local.get 0))))
  ]]

  it("call through (ref $t) values, tables of them and their initializer", function()
    local e = wasm.instantiate(load(mod)).exports
    assert.equal(8, e.apply(0, 7))
    assert.equal(8, e.apply(1, 7))
    e.set_dbl()
    assert.equal(14, e.apply(1, 7))
  end)

  it("trap on null with the spec's messages", function()
    local e = wasm.instantiate(load(mod)).exports
    h.raises("trap", "null function reference", e.call_null)
    h.raises("trap", "null reference", e.as_non_null, nil)
  end)

  it("branch on null and run return_call_ref in constant frame space", function()
    local e = wasm.instantiate(load(mod)).exports
    assert.equal(0, e.or_zero(nil, 5))
    assert.equal(6, e.or_zero(e.get(0), 5))
    assert.equal(1000000, e.count(1000000))
  end)

  it("take and return functions from Lua, checked against the exact type", function()
    local inst = wasm.instantiate(load(mod))
    local e = inst.exports
    local f = e.get(0)
    assert.equal(43, f(42))
    assert.equal(11, e.or_zero(f, 10))
    -- a function of another type is refused before any wasm runs
    h.raises("usage", "argument 1: expected (ref null 0), got funcref", e.or_zero, e.apply, 1)
  end)
end)

describe("validation of typed references", function()
  it("refuses reading a non-defaultable local before it is set", function()
    h.raises("invalid", "uninitialized local", valid, [[
      (module (func (local (ref func)) (drop (local.get 0))))]])
    -- set inside a block: unset again after it
    h.raises("invalid", "uninitialized local", valid, [[
      (module (func $f (local (ref func))
        (block (local.set 0 (ref.func $f)))
        (drop (local.get 0)))
        (elem declare func $f))]])
    assert.is_truthy(valid [[
      (module (func $f (local (ref func))
        (local.set 0 (ref.func $f)) (drop (local.get 0)))
        (elem declare func $f))]])
  end)

  it("requires an initializer for a table of a non-nullable type", function()
    h.raises("invalid", "type mismatch", valid, [[
      (module (type $t (func)) (table 1 (ref $t)))]])
  end)
end)

describe("feature switches", function()
  it("are on by default", function()
    local core = require("moonwasm.core")
    for _, name in ipairs {"function_references", "gc"} do
      assert.is_true(core.defaults.features & core.features[name] ~= 0, name)
    end
  end)

  it("off, name the feature and the byte offset", function()
    local bytes = wasm.wat [[(module (func (param (ref func))))]]
    local err = h.raises("malformed", nil, wasm.load, bytes,
                         wasm.config{features = {function_references = false}})
    assert.matches("^malformed value type %(%(ref %.%.%.%) at byte offset %d+: typed function "
                   .. "references are not enabled%)$", err.message)
    bytes = wasm.wat [[(module (type $t (func)) (func (call_ref $t (ref.null $t))))]]
    err = h.raises("malformed", nil, wasm.load, bytes,
                   wasm.config{features = {function_references = false}})
    assert.matches("typed function references are not enabled", err.message)
    bytes = wasm.wat [[(module (func (param anyref)))]]
    err = h.raises("malformed", nil, wasm.load, bytes, wasm.config{features = {gc = false}})
    assert.matches("^malformed value type %(anyref at byte offset %d+: garbage collection is "
                   .. "not enabled%)$", err.message)
  end)
end)
