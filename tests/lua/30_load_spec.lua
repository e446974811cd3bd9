-- Loading (issue 13): bodies are validated at load and compiled on their
-- first call (src/runtime/lazy.c, validate_fast.c).  An invalid body is
-- rejected at load even when nothing calls it; code compiled on first call
-- runs, traps and counts exactly as code compiled at load
-- (config.eager_compile).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local PROGRAM = [[
(module
  (type $ii (func (param i32) (result i32)))
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $inc $via_host $fact)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $via_host (param i32) (result i32) (call $twice (local.get 0)))
  (func $fact (export "fact") (param i64) (result i64)
    (if (result i64) (i64.le_s (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "pick") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "divide") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
  (func (export "back") (param i32) (result i32) (call $twice (local.get 0)))
)]]
local BYTES = wasm.wat(PROGRAM)

local function instance(config, imports)
  local store = wasm.store(config)
  local mod = wasm.load(BYTES, config)
  return store:instantiate(mod, imports or {env = {twice = function(x) return 2 * x end}}), store
end

for _, mode in ipairs {"lazy", "eager"} do
  local config = wasm.config{eager_compile = mode == "eager" or nil}

  describe("load (" .. mode .. " compile)", function()
    it("rejects an invalid body nothing calls, with the spec's message", function()
      local bad = wasm.wat[[(module
        (func (export "ok") (result i32) (i32.const 1))
        (func $never (result i32) (i64.const 1)))]]
      local mod = wasm.load(bad, config)
      h.raises("invalid", "type mismatch", function() mod:validate() end)
      h.raises("invalid", "type mismatch", function() wasm.instantiate(wasm.load(bad, config)) end)
      local unknown = wasm.wat[[(module (func (export "ok")) (func (call 7)))]]
      h.raises("invalid", "unknown function 7", function() wasm.load(unknown, config):validate() end)
    end)

    it("runs functions first called from Lua, recursively", function()
      local inst = instance(config)
      assert.equal(3628800, inst.exports.fact(10))
      assert.equal(2432902008176640000, inst.exports.fact(20))
    end)

    it("runs functions first reached through call_indirect and the host", function()
      local inst = instance(config)
      assert.equal(42, inst.exports.pick(0, 41))
      assert.equal(82, inst.exports.pick(1, 41))
      h.raises("trap", "indirect call type mismatch", inst.exports.pick, 2, 5) -- $fact: i64
      assert.equal(14, inst.exports.back(7))
    end)

    it("traps in a function compiled on first call with message and frames", function()
      local inst = instance(config)
      local err = h.raises("trap", "integer divide by zero", inst.exports.divide, 1, 0)
      assert.equal(2, #err.frames)
      assert.equal(5, err.frames[1].func) -- $div
      assert.equal("divide", err.frames[2].name)
      -- compiled now: the same again
      err = h.raises("trap", "integer divide by zero", inst.exports.divide, 7, 0)
      assert.equal(2, #err.frames)
      assert.equal(-3, inst.exports.divide(-7, 2))
    end)

    it("shares one module between stores", function()
      local mod = wasm.load(BYTES, config)
      local imports = {env = {twice = function(x) return 2 * x end}}
      local a = wasm.store(config):instantiate(mod, imports)
      local b = wasm.store(config):instantiate(mod, imports)
      assert.equal(720, a.exports.fact(6))
      assert.equal(120, b.exports.fact(5))
      local c = wasm.store(config):instantiate(mod, imports)
      assert.equal(24, c.exports.fact(4))
    end)

    it("judges a small body with many wide branches at load, as compile.c would", function()
      -- br_table copies the 150 values to each of 150 labels: far more code
      -- than compile.c allows for a body of about 1 KB
      local targets = {}
      for i = 0, 149 do targets[#targets + 1] = i end
      local wat = "(module (type $t (func (result " .. ("i32 "):rep(150) .. ")))" ..
        "(func (export \"big\") (type $t) (local i32)" .. ("(block (type $t) "):rep(150) ..
        ("local.get 0 "):rep(151) .. "br_table " .. table.concat(targets, " ") .. " 0" ..
        (")"):rep(150) .. ")" ..
        "(func (export \"small\") (result i32) (i32.const 7)))"
      local bytes = wasm.wat(wat)
      h.raises("invalid", "implementation limit: function too large",
               function() wasm.load(bytes, config):validate() end)
      -- a body of the same shape with few values loads and runs
      local ok = wasm.wat("(module (func (export \"f\") (result i32 i32) (local i32)" ..
        ("(block (result i32 i32) "):rep(20) .. "(local.set 0 (i32.const 5)) local.get 0 local.get 0 local.get 0 br_table " ..
        table.concat(targets, " ", 1, 20) .. " 0" .. (")"):rep(20) .. "))")
      local a, b = wasm.instantiate(wasm.load(ok, config)).exports.f()
      assert.same({5, 5}, {a, b})
    end)

    it("passes a host error through a function compiled on first call", function()
      local inst = instance(config, {env = {twice = function() error("boom", 0) end}})
      local ok, err = pcall(inst.exports.back, 1)
      assert.is_false(ok)
      assert.equal("boom", err)
    end)
  end)
end

describe("load statistics", function()
  it("count the same instructions whichever way code was compiled", function()
    local counts = {}
    for _, eager in ipairs {false, true} do
      local config = wasm.config{statistics = {instructions = true}, eager_compile = eager}
      local inst, store = instance(config)
      assert.equal(5040, inst.exports.fact(7))
      counts[#counts + 1] = store:statistics().instructions
    end
    assert.is_true(counts[1] > 0)
    assert.equal(counts[1], counts[2])
  end)

  it("rejects a non-boolean-looking option name", function()
    h.raises("usage", "unknown option", wasm.config, {eager = true})
  end)
end)
