-- The VM facade (WasmEdge-style), on top of the API.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

describe("wasm.vm", function()
  it("loads, validates, instantiates and executes step by step", function()
    local vm = wasm.vm()
    assert.equal(vm, vm:load(h.fixture("lua_values")))
    assert.equal(vm, vm:validate())
    assert.equal(vm, vm:instantiate())
    assert.equal(5, vm:execute("add_i32", 2, 3))
    local a, b = vm:execute("swap", 1, 2)
    assert.same({2, 1}, {a, b})
    assert.equal("moonwasm.Instance", getmetatable(vm:instance()))
  end)

  it("loads bytes as well as paths", function()
    local f = assert(io.open(h.fixture("lua_math"), "rb"))
    local vm = wasm.vm()
    vm:load(f:read("a")):validate():instantiate()
    f:close()
    assert.equal(14, vm:execute("double", 7))
  end)

  it("runs a file in one step", function()
    assert.equal(84, wasm.vm():run_file(h.fixture("lua_math"), "double", 42))
  end)

  it("lists exported functions with their types", function()
    local vm = wasm.vm():load(h.fixture("lua_math"))
    local list = vm:function_list()
    assert.equal(1, #list)
    assert.equal("double", list[1].name)
    assert.equal("(func (param i32) (result i32))", tostring(list[1].type))
    assert.equal(list[1].type, vm:function_type("double"))
    assert.is_nil(vm:function_type("answer")) -- a global, not a function
  end)

  it("registers imports and modules", function()
    local vm = wasm.vm()
    vm:register_module("math", h.fixture("lua_math"))
    assert.equal(10, vm:execute_registered("math", "double", 5))
    assert.equal(46, vm:run_file(h.fixture("lua_usemath"), "quad_plus", 1))
    local calls = 0
    vm:register_import(wasm.import_object("env", {
      add = function(a, b) calls = calls + 1 return a + b end,
      log = function() end, pair = function() return 1, 2 end,
      reenter = function() return 0 end, f64 = function(v) return v end}))
    assert.equal(9, vm:run_file(h.fixture("lua_host"), "call_add", 4, 5))
    assert.equal(1, calls)
  end)

  it("counts what it can measure", function()
    local vm = wasm.vm()
    vm:run_file(h.fixture("lua_math"), "double", 1)
    vm:execute("double", 2)
    local s = vm:statistics()
    assert.equal(2, s.calls)
    assert.equal(1, s.instantiations)
    assert.is_true(s.time > 0) -- a VM times its calls by default
    assert.equal(0, s.instructions) -- not counted: the config did not ask
    assert.equal(0, s.cost)
  end)

  it("takes a configuration", function()
    local vm = wasm.vm{max_call_depth = 20}
    vm:load(h.fixture("lua_values")):instantiate()
    local err = h.raises("exhaustion", "call stack exhausted", vm.execute, vm, "recurse", 0)
    assert.equal(20, #err.frames)
    assert.equal("moonwasm.Store", getmetatable(vm:store()))
  end)

  it("raises usage errors when used out of order", function()
    local vm = wasm.vm()
    h.raises("usage", "no module loaded", vm.validate, vm)
    h.raises("usage", "no module loaded", vm.instantiate, vm)
    h.raises("usage", "no instance", vm.execute, vm, "f")
    h.raises("usage", 'no registered module "m"', vm.execute_registered, vm, "m", "f")
    h.raises("usage", "cannot open", vm.load, vm, "/nonexistent.wasm")
    h.raises("usage", "expected a path or the bytes", vm.load, vm, 3)
  end)

  it("closes its store", function()
    local vm = wasm.vm()
    vm:run_file(h.fixture("lua_math"), "double", 1)
    vm:close()
    h.raises("usage", "closed store", vm.execute, vm, "double", 1)
  end)
end)
