-- Messages and error objects: value and range errors of memory, table and
-- global methods are "usage" error objects that name what was wrong; bad
-- self; one backtrace line format for named and unnamed functions.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local FUNCREF = "expected funcref (a function object or nil), got "

describe("funcref values", function()
  local x = h.instantiate("lua_refs").exports
  local tab = x.funcs

  it("name the type, not a non-integral number", function()
    h.raises("usage", "tab:set: " .. FUNCREF .. "number", tab.set, tab, 0, 5)
    h.raises("usage", "tab:grow: " .. FUNCREF .. "number", tab.grow, tab, 10, 5)
    h.raises("usage", "id_func: argument 1: " .. FUNCREF .. "number", x.id_func, 5)
    h.raises("usage", "g:set: " .. FUNCREF .. "string", x.gfunc.set, x.gfunc, "f")
    local host = wasm.table{element = "funcref", min = 1}
    h.raises("usage", "tab:set: " .. FUNCREF .. "moonwasm.Memory", host.set, host, 0,
             wasm.memory{min = 0})
    h.raises("usage", "table: init: " .. FUNCREF .. "boolean", wasm.table,
             {element = "funcref", min = 1, init = true})
  end)
end)

describe("memory accessors", function()
  local mem = wasm.memory{min = 1}

  it("name the type and the bad value", function()
    h.raises("usage", "mem:set_i32: expected i32, got non-integral number 1.5", mem.set_i32,
             mem, 0, 1.5)
    h.raises("usage", "mem:set_u16: expected u16, got string", mem.set_u16, mem, 0, "1")
    h.raises("usage", "mem:set_i64: expected i64, got number 1e+100 (no integer representation)",
             mem.set_i64, mem, 0, 1e100)
    h.raises("usage", "mem:set_f64: expected f64, got no value", mem.set_f64, mem, 0)
    h.raises("usage", "mem:set_f32: expected f32, got table", mem.set_f32, mem, 0, {})
  end)

  it("raise usage error objects for bad offsets, lengths and counts", function()
    h.raises("usage", "memory: offset: expected an integer, got non-integral number 0.5",
             mem.get_i32, mem, 0.5)
    h.raises("usage", "memory: offset: expected an integer, got string", mem.read, mem, "x", 1)
    h.raises("usage", "mem:read: length: expected an integer, got no value", mem.read, mem, 0)
    h.raises("usage", "mem:write: data: expected a string, got table", mem.write, mem, 0, {})
    h.raises("usage", "mem:fill: byte: expected an integer", mem.fill, mem, 0, "a", 1)
    h.raises("usage", "mem:grow: expected a page count >= 0, got -1", mem.grow, mem, -1)
    h.raises("usage", "mem:grow: pages: expected an integer, got non-integral number 1.5",
             mem.grow, mem, 1.5)
    -- out of bounds is still a trap, like wasm's own accesses
    h.raises("trap", "out of bounds memory access", mem.read, mem, 65536, 1)
  end)
end)

describe("tables and globals", function()
  local tab = wasm.table{element = "externref", min = 2}

  it("raise usage error objects for bad indices and counts", function()
    h.raises("usage", "table: index: expected an integer, got non-integral number 1.5",
             tab.get, tab, 1.5)
    h.raises("usage", "table: index: expected an integer, got nil", tab.set, tab, nil, 1)
    h.raises("usage", "tab:grow: expected an element count >= 0, got -1", tab.grow, tab, -1)
    h.raises("usage", "tab:grow: count: expected an integer, got boolean", tab.grow, tab, true)
    h.raises("trap", "out of bounds table access", tab.get, tab, 2)
    local g = wasm.global("i64", 0, true)
    h.raises("usage", "g:set: expected i64, got non-integral number 0.25", g.set, g, 0.25)
    h.raises("usage", "global is immutable", wasm.global("i32").set, wasm.global("i32"), 1)
  end)
end)

describe("constructors", function()
  it("raise usage error objects for bad sizes", function()
    h.raises("usage", "memory: min: expected an integer, got non-integral number 1.5",
             wasm.memory, {min = 1.5})
    h.raises("usage", "memory: max: expected an integer, got string", wasm.memory,
             {min = 1, max = "2"})
    h.raises("usage", "table: min: expected an integer, got non-integral number 0.5",
             wasm.table, {min = 0.5})
    h.raises("usage", "func: expected a function, got number", wasm.core.func, {}, {}, 1)
    h.raises("usage", "func: params: expected a list of value types, got number",
             wasm.core.func, 1, {}, print)
  end)
end)

describe("a wrong self", function()
  local inst = h.instantiate("lua_values")
  local x = inst.exports

  it("is a usage error that names the expected type", function()
    h.raises("usage", "bad self: expected moonwasm.Instance, got nil", inst.call, nil, "f")
    h.raises("usage", "bad self: expected moonwasm.Instance, got moonwasm.Memory", inst.call,
             x.memory, "f")
    h.raises("usage", "bad self: expected moonwasm.Instance, got table", inst.call, {}, "f")
    h.raises("usage", "bad self: expected moonwasm.Memory, got moonwasm.Table", x.memory.read,
             x.table, 0, 1)
    h.raises("usage", "bad self: expected moonwasm.Func, got nil", x.add_i32.call, nil)
    h.raises("usage", "bad self: expected moonwasm.Store, got number", wasm.store().instantiate,
             1, h.load("lua_math"))
    h.raises("usage", "bad self: expected moonwasm.Store, got nil", wasm.store().register, nil,
             "x", {})
    h.raises("usage", "bad self: expected moonwasm.Module, got nil", h.load("lua_math").imports,
             nil)
    h.raises("usage", "bad self: expected moonwasm.Wasi, got nil", wasm.wasi{}.exit_code, nil)
    h.raises("usage", "bad self: expected a moonwasm object, got number", x.table.close, 1)
  end)

  it("of the VM facade too", function()
    local vm = wasm.vm()
    for _, m in ipairs{"load", "validate", "instantiate", "execute", "register_module",
                       "register_import", "execute_registered", "run_file", "function_list",
                       "function_type", "module", "instance", "store", "statistics",
                       "reset_statistics", "close"} do
      h.raises("usage", "bad self: expected moonwasm.VM, got nil", vm[m], nil)
    end
    h.raises("usage", "bad self: expected moonwasm.VM, got moonwasm.Store", vm.execute,
             vm:store(), "f")
  end)
end)

describe("backtraces", function()
  it("have one line format for named and unnamed functions", function()
    local x = h.instantiate("lua_trace").exports
    local err = h.raises("trap", "unreachable", x.outer)
    -- func 2 has no name in the name section: its export names it
    assert.equal("  at pure.? (func 0)\n  at pure.inner (func 1)\n  at pure.outer (func 2)",
                 err.traceback)
    assert.same({func = 0, module = "pure"}, err.frames[1])
    assert.same({func = 1, name = "inner", module = "pure"}, err.frames[2])
    err = h.raises("trap", "unreachable", h.instantiate("lua_anon").exports.run)
    assert.equal("trap: unreachable\n  at ? (func 1)\n  at run (func 0)", tostring(err))
  end)
end)
