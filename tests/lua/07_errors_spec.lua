-- Error objects: kinds, messages, backtraces, tostring, uncaught printing.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local x = h.instantiate("lua_values").exports

describe("trap errors", function()
  local err = h.raises("trap", "integer divide by zero", x.main, 5)

  it("are moonwasm.Error objects", function()
    assert.equal("moonwasm.Error", getmetatable(err).__name)
    assert.is_true(wasm.is_error(err))
    assert.is_true(wasm.is_error(err, "trap"))
    assert.is_false(wasm.is_error(err, "host"))
    assert.is_false(wasm.is_error("trap"))
  end)

  it("carry the wasm frames, innermost first, named from the name section", function()
    assert.equal(2, #err.frames)
    assert.same({func = 12, name = "div", module = "values"}, err.frames[1])
    assert.same({func = 13, name = "main", module = "values"}, err.frames[2])
    assert.equal("  at values.div (func 12)\n  at values.main (func 13)", err.traceback)
  end)

  it("name a function without a name section by its export", function()
    -- wasm.wat keeps no $names: `inner` is named by its export, `$helper`
    -- (not exported) stays unnamed.
    local inst = wasm.instantiate(wasm.wat [[
      (module
        (func $helper (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
        (func (export "inner") (param i32) (result i32) (call $helper (local.get 0)))
        (func (export "outer") (export "alias") (param i32) (result i32) (call 1 (local.get 0))))]])
    local e = h.raises("trap", "integer divide by zero", inst.exports.outer, 0)
    assert.same({{func = 0}, {func = 1, name = "inner"}, {func = 2, name = "outer"}}, e.frames)
    assert.equal("  at ? (func 0)\n  at inner (func 1)\n  at outer (func 2)", e.traceback)
  end)

  it("read well with tostring", function()
    assert.equal("trap: integer divide by zero\n  at values.div (func 12)\n  at values.main (func 13)",
                 tostring(err))
  end)

  it("have the spec's message for each trap", function()
    h.raises("trap", "unreachable", x.unreachable)
    h.raises("trap", "integer divide by zero", x.div, 1, 0)
    h.raises("trap", "integer overflow", x.div, -2147483648, -1)
  end)
end)

describe("exhaustion errors", function()
  it("end deep recursion without crashing, with a folded backtrace", function()
    local err = h.raises("exhaustion", "call stack exhausted", x.recurse, 0)
    assert.is_true(#err.frames > 1)
    assert.equal("recurse", err.frames[1].name)
    assert.matches("^  at values%.recurse %(func 16%)\n  %.%.%. %(the same frame %d+ more times%)$",
                   err.traceback)
  end)

  it("leave the instance usable", function()
    h.error_of(x.recurse, 0)
    assert.equal(3, x.add_i32(1, 2))
  end)
end)

describe("errors of every phase", function()
  it("have distinct kinds", function()
    assert.equal("malformed", h.error_of(wasm.load, "\0asm").kind)
    assert.equal("invalid", h.error_of(wasm.instantiate,
      wasm.load(h.module_bytes("\1\5\1\96\0\1\127", "\3\2\1\0", "\10\4\1\2\0\11"))).kind)
    assert.equal("unlinkable", h.error_of(wasm.instantiate, h.load("lua_link")).kind)
    assert.equal("trap", h.error_of(wasm.instantiate, h.load("lua_start")).kind)
    assert.equal("usage", h.error_of(x.add_i32).kind)
    local f = wasm.func({}, {"i32"}, function() return "x" end)
    assert.equal("host", h.error_of(f).kind)
  end)

  it("have no frames outside traps", function()
    local err = h.error_of(x.add_i32)
    assert.is_nil(err.frames)
    assert.equal("usage: add_i32: expected 2 arguments, got 0", tostring(err))
  end)
end)

describe("wasm.error", function()
  it("makes error objects with extra fields", function()
    local e = wasm.error("usage", "mine", {detail = 3})
    assert.is_true(wasm.is_error(e, "usage"))
    assert.equal(3, e.detail)
    assert.equal("usage: mine", tostring(e))
  end)
end)

describe("an uncaught error", function()
  it("is printed readably by lua5.4", function()
    local out, status = h.run_lua(([[
      local wasm = require "moonwasm"
      local inst = wasm.instantiate(wasm.load_file(%q))
      inst.exports.main(1)
    ]]):format(h.fixture("lua_values")))
    assert.are_not.equal(0, status)
    assert.matches("trap: integer divide by zero\n  at values.div %(func 12%)\n  at values.main %(func 13%)", out)
  end)
end)
