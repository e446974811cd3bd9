-- Exception handling (issue 12): tags, throw/throw_ref/try_table and the
-- legacy try/catch/delegate/rethrow, exceptions crossing Lua host
-- functions in both directions, the Lua API for tags and exception
-- objects, and the feature switches.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function load(text, config) return wasm.load(wasm.wat(text), config) end

describe("tags", function()
  it("are made from Lua and describe their type", function()
    local tag = wasm.tag{params = {"i32", "f64"}}
    local t = tag:type()
    assert.equal("tag", t.kind)
    assert.same({"i32", "f64"}, t.params)
    assert.equal("moonwasm.Tag", getmetatable(tag))
  end)

  it("show in imports() and exports()", function()
    local mod = load [[
      (module
        (tag (import "env" "e") (param i64))
        (tag (export "own") (param f32 i32)))
    ]]
    local imp, exp = mod:imports()[1], mod:exports()[1]
    assert.equal("tag", imp.kind)
    assert.same({"i64"}, imp.type.params)
    assert.equal("own", exp.name)
    assert.same({"f32", "i32"}, exp.type.params)
  end)

  it("keep their identity: an exported tag is the same object each time", function()
    local inst = wasm.instantiate(load [[(module (tag (export "t")))]])
    assert.equal(inst.exports.t, inst.exports.t)
  end)

  it("import only with the same type", function()
    local tag = wasm.tag{params = {"i32"}}
    local mod = load [[(module (tag (import "env" "e") (param i64)))]]
    local ok, err = pcall(wasm.instantiate, mod, {env = {e = tag}})
    assert.is_false(ok)
    assert.equal("unlinkable", err.kind)
    assert.matches("incompatible import type", err.message)
  end)

  it("have no results (validation)", function()
    local ok, err = pcall(function()
      load([[(module (type (func (result i32))) (tag (type 0)))]]):validate()
    end)
    assert.is_false(ok)
    assert.equal("non-empty tag result type", err.message)
  end)
end)

describe("exceptions in wasm", function()
  local inst
  setup(function()
    inst = wasm.instantiate(load [[
      (module
        (tag $e (param i32))
        (tag $f (param i64 f64))
        (func $throw (param i32) (throw $e (local.get 0)))
        (func (export "catch") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (call $throw (local.get 0)))
            (i32.const -1))
          (i32.const 1) (i32.add))
        (func (export "catch_ref_rethrow") (param i32) (result i32)
          (block $outer (result i32)
            (try_table (catch $e $outer)
              (block $h (result i32 exnref)
                (try_table (catch_ref $e $h) (call $throw (local.get 0)))
                (unreachable))
              (throw_ref))
            (i32.const 0)))
        (func (export "catch_all") (param i32) (result i32)
          (block $h
            (try_table (catch_all $h) (call $throw (local.get 0)))
            (return (i32.const -1)))
          (i32.const 7))
        (func (export "no_match") (result f64)
          (block $h (result i64 f64)
            (try_table (catch $f $h) (call $throw (i32.const 3)))
            (unreachable))
          (return))
        (func (export "legacy") (param i32) (result i32)
          (try (result i32)
            (do (call $throw (local.get 0)) (i32.const 0))
            (catch $e (i32.const 10) (i32.mul))))
        (func (export "legacy_rethrow") (param i32) (result i32)
          (try (result i32)
            (do
              (try (result i32)
                (do (call $throw (local.get 0)) (i32.const 0))
                (catch_all (rethrow 0))))
            (catch $e)))
        (func (export "delegate") (param i32) (result i32)
          (try (result i32)
            (do
              (try (result i32)
                (do (call $throw (local.get 0)) (i32.const 0))
                (delegate 0)))
            (catch $e (i32.const 2) (i32.add))))
        (func (export "catch_to_function") (param i32) (result i32)
          (try_table (catch $e 0)
            (if (local.get 0) (then (call $throw (local.get 0)))))
          (i32.const -1))
        (func (export "null") (throw_ref (ref.null exn)))
        (func (export "trap_not_caught") (result i32)
          (block $h
            (try_table (catch_all $h) (unreachable)))
          (i32.const 5)))
    ]])
  end)

  it("are caught by catch with their values", function()
    assert.equal(42, inst.exports.catch(41))
  end)
  it("are caught by a clause that returns from the function", function()
    -- the clause branches to the function's label: a RETURN in the record
    assert.equal(-1, inst.exports.catch_to_function(0))
    assert.equal(12, inst.exports.catch_to_function(12))
  end)
  it("rethrown from an exnref keep their values", function()
    assert.equal(9, inst.exports.catch_ref_rethrow(9))
  end)
  it("are caught by catch_all", function()
    assert.equal(7, inst.exports.catch_all(0))
  end)
  it("pass a handler of another tag", function()
    local ok, err = pcall(inst.exports.no_match)
    assert.is_false(ok)
    assert.equal("exception", err.kind)
    assert.same({3}, err.values)
  end)
  it("work with the legacy instructions", function()
    assert.equal(60, inst.exports.legacy(6))
    assert.equal(11, inst.exports.legacy_rethrow(11))
    assert.equal(5, inst.exports.delegate(3))
  end)
  it("of a null exnref trap", function()
    local ok, err = pcall(inst.exports.null)
    assert.is_false(ok)
    assert.equal("trap", err.kind)
    assert.equal("null exception reference", err.message)
  end)
  it("never catch traps", function()
    local ok, err = pcall(inst.exports.trap_not_caught)
    assert.is_false(ok)
    assert.equal("trap", err.kind)
    assert.equal("unreachable", err.message)
  end)
  it("can be thrown and caught many times", function()
    for i = 1, 20000 do assert.equal(i + 1, inst.exports.catch(i)) end
  end)
end)

describe("exceptions and Lua", function()
  local tag, inst, log
  setup(function()
    tag = wasm.tag{params = {"i32", "f64"}}
    local mod = load [[
      (module
        (tag $e (import "env" "e") (param i32 f64))
        (import "env" "host" (func $host (param i32)))
        (tag $own (export "own") (param i64))
        (func (export "throw_own") (param i64) (throw $own (local.get 0)))
        (func (export "throw_e") (param i32) (throw $e (local.get 0) (f64.const 2.5)))
        (func (export "call_host") (param i32) (result i32)
          (block $h (result i32 f64)
            (try_table (catch $e $h) (call $host (local.get 0)))
            (return (i32.const -1)))
          (drop))
        (func (export "catch_all_host") (param i32) (result i32)
          (block $h
            (try_table (catch_all $h) (call $host (local.get 0)))
            (return (i32.const -1)))
          (i32.const 42)))
    ]]
    log = {}
    local host = wasm.func({"i32"}, {}, function(x)
      log[#log + 1] = x
      if x == 1 then error(wasm.exception(tag, {x + 100, 0.5})) end
      if x == 2 then error("plain lua error") end
      if x == 3 then inst.exports.throw_e(33) end -- passes through this function
    end)
    inst = wasm.instantiate(mod, {env = {e = tag, host = host}})
  end)

  it("an uncaught exception is an error object with its tag and values", function()
    local ok, err = pcall(inst.exports.throw_own, 9)
    assert.is_false(ok)
    assert.equal("exception", err.kind)
    assert.equal("uncaught exception", err.message)
    assert.equal(inst.exports.own, err.tag)
    assert.same({9}, err.values)
    assert.equal("exception: uncaught exception", tostring(err):match("^[^\n]*"))
  end)

  it("an exception of an imported tag comes back with the Lua tag", function()
    local ok, err = pcall(inst.exports.throw_e, 4)
    assert.is_false(ok)
    assert.equal(tag, err.tag)
    assert.same({4, 2.5}, err.values)
  end)

  it("a host function throws with wasm.exception, wasm catches it", function()
    assert.equal(101, inst.exports.call_host(1))
    assert.equal(42, inst.exports.catch_all_host(1))
  end)

  it("a wasm exception passing through a Lua host is caught further out", function()
    assert.equal(33, inst.exports.call_host(3))
  end)

  it("a plain Lua error is not catchable by wasm, even by catch_all", function()
    local ok, err = pcall(inst.exports.catch_all_host, 2)
    assert.is_false(ok)
    assert.matches("plain lua error", err)
  end)

  it("wasm.exception checks the values against the tag", function()
    local ok, err = pcall(wasm.exception, tag, {1})
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    assert.equal("exception: the tag takes 2 values, got 1", err.message)
    ok, err = pcall(wasm.exception, tag, {1, "x"})
    assert.is_false(ok)
    assert.matches("value 2: expected f64", err.message)
    local e = wasm.exception(tag, {1, 1.5})
    assert.equal("exception", e.kind)
    assert.same({1, 1.5}, e.values)
  end)
end)

describe("feature switches", function()
  it("without exceptions, try_table and the tag section are refused", function()
    local bin = wasm.wat [[(module (func (try_table)))]]
    local ok, err = pcall(wasm.load, bin, wasm.config{features = {exceptions = false}})
    assert.is_false(ok)
    assert.equal("malformed", err.kind)
    assert.matches("try_table", err.message)
    assert.matches("not enabled", err.message)
  end)
  it("without legacy exceptions, try is refused", function()
    local bin = wasm.wat [[(module (func (try (do))))]]
    local ok, err = pcall(wasm.load, bin, wasm.config{features = {legacy_exceptions = false}})
    assert.is_false(ok)
    assert.matches("legacy exception handling is not enabled", err.message)
  end)
end)
