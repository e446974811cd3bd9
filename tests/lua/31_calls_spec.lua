-- Every way of calling an export takes the raw path of
-- src/lua/lmoonwasm_call.c where it can: inst:call and inst:call_bits
-- (the Func found in the exports table, no name compares), Func:call_bits,
-- inst.exports (one pointer compare), and calls from a coroutine (a fiber
-- on raw values, idle fibers pooled per store).  Values, errors and
-- messages must be exactly those of the general paths.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local WAT = [[
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 5))
  (func (export "id") (param i32) (result i32) local.get 0)
  (func (export "id64") (param i64) (result i64) local.get 0)
  (func (export "idf32") (param f32) (result f32) local.get 0)
  (func (export "idf64") (param f64) (result f64) local.get 0)
  (func (export "swap") (param i32 f64) (result f64 i32) local.get 1 local.get 0)
  (func (export "none"))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "call_h") (param i32) (result i32) (call $h (local.get 0)))
  (func (export "ext") (param externref) (result externref) local.get 0)
)]]
local bytes = wasm.wat(WAT)

local function new_inst(hfn)
  return wasm.instantiate(wasm.load(bytes), {env = {h = hfn or function(x) return x + 1 end}})
end

describe("inst:call on the raw path", function()
  local inst = new_inst()

  it("converts arguments and results exactly", function()
    assert.equal(-1, inst:call("id", 0xFFFFFFFF))
    assert.equal(3, inst:call("id", 3.0))
    assert.equal(math.mininteger, inst:call("id64", math.mininteger))
    assert.equal(string.unpack("f", string.pack("f", 0.1)), inst:call("idf32", 0.1))
    assert.equal("float", math.type(inst:call("idf64", 2)))
    local a, b = inst:call("swap", -4, 0.25)
    assert.same({0.25, -4}, {a, b})
    assert.equal(0, select("#", inst:call("none")))
    assert.equal(8, inst:call("call_h", 7))
    -- the same function object as inst.exports holds
    assert.equal(inst.exports.id(9), inst:call("id", 9))
  end)

  it("keeps the general path's messages", function()
    h.raises("usage", "no exported function \"nope\"", inst.call, inst, "nope", 1)
    h.raises("usage", "no exported function \"mem\"", inst.call, inst, "mem", 1)
    h.raises("usage", "no exported function \"g\"", inst.call, inst, "g")
    h.raises("usage", "call: name: expected a string, got number", inst.call, inst, 5, 1)
    h.raises("usage", "id: argument 1: expected i32, got string", inst.call, inst, "id", "x")
    h.raises("usage", "id: argument 1: expected i32, got non-integral number 1.5",
             inst.call, inst, "id", 1.5)
    h.raises("usage", "id: expected 1 argument, got 0", inst.call, inst, "id")
    h.raises("usage", "id: expected 1 argument, got 2", inst.call, inst, "id", 1, 2)
    h.raises("usage", "bad self: expected moonwasm.Instance, got FILE*",
             inst.call, io.stdout, "id", 1)
    h.raises("trap", "integer divide by zero", inst.call, inst, "div", 1, 0)
    assert.equal(-3, inst:call("div", -7, 2))
  end)

  it("raises a host function's error unchanged", function()
    local boom = setmetatable({}, {__tostring = function() return "boom" end})
    local i2 = new_inst(function() error(boom) end)
    local ok, err = pcall(i2.call, i2, "call_h", 1)
    assert.is_false(ok)
    assert.equal(boom, err)
    assert.equal(5, i2:call("id", 5))
  end)

  it("refuses a closed instance or store", function()
    local i2 = new_inst()
    assert.equal(1, i2:call("id", 1))
    i2:close()
    h.raises("usage", "attempt to use a closed instance", i2.call, i2, "id", 1)
    local store = wasm.store()
    local i3 = store:instantiate(wasm.load(bytes), {env = {h = function(x) return x end}})
    assert.equal(2, i3:call("id", 2))
    store:close()
    h.raises("usage", "attempt to use a closed store", i3.call, i3, "id", 1)
  end)

  it("takes the general path for other values", function()
    local t = {}
    assert.equal(t, inst:call("ext", t))
    assert.equal(nil, inst:call("ext", nil))
  end)
end)

describe("call_bits on the raw path", function()
  local inst = new_inst()
  local e = inst.exports

  it("passes and returns f32/f64 bit patterns", function()
    local nan = 0x7FF8000000000001 -- a NaN payload survives
    assert.equal(nan, inst:call_bits("idf64", nan))
    assert.equal(nan, e.idf64:call_bits(nan))
    assert.equal(-1, e.idf64:call_bits(-1)) -- all ones: a NaN too
    assert.equal(0x7FC00001, inst:call_bits("idf32", 0x7FC00001))
    assert.equal(0xFFFFFFFF, e.idf32:call_bits(-1)) -- wraps to 32 bits
    -- a float is still a float; results come back as bits
    assert.equal(0x3FF8000000000000, e.idf64:call_bits(1.5))
    assert.equal(0x3FC00000, inst:call_bits("idf32", 1.5))
    -- integers are integers
    assert.equal(-1, inst:call_bits("id", 0xFFFFFFFF))
    local a, b = e.swap:call_bits(3, 0x4000000000000000)
    assert.same({0x4000000000000000, 3}, {a, b})
  end)

  it("keeps the general path's messages", function()
    h.raises("usage", "idf64: argument 1: expected f64, got string",
             inst.call_bits, inst, "idf64", "1")
    h.raises("usage", "idf64: expected 1 argument, got 0", e.idf64.call_bits, e.idf64)
  end)
end)

describe("inst.exports", function()
  it("is one table, checked on every access", function()
    local inst = new_inst()
    assert.equal(inst.exports, inst.exports)
    assert.equal(inst.exports.id, inst.exports.id)
    local e = inst.exports
    inst:close()
    h.raises("usage", "attempt to use a closed instance", function() return inst.exports end)
    assert.truthy(e.id) -- the table stays
    local store = wasm.store()
    local i2 = store:instantiate(wasm.load(bytes), {env = {h = function(x) return x end}})
    assert.truthy(i2.exports.id)
    store:close()
    h.raises("usage", "attempt to use a closed store", function() return i2.exports end)
  end)

  it("checks self", function()
    local inst = new_inst()
    h.raises("usage", "bad self: expected moonwasm.Instance, got FILE*",
             debug.getmetatable(inst).__index, io.stdout, "exports")
    -- values without user values: a table, a number, a light userdata
    local index = debug.getmetatable(inst).__index
    h.raises("usage", "bad self: expected moonwasm.Instance, got table", index, {}, "exports")
    h.raises("usage", "bad self: expected moonwasm.Instance, got number", index, 12345, "exports")
    h.raises("usage", "bad self: expected moonwasm.Instance", index, nil, "exports")
    assert.equal(inst.call, debug.getmetatable(inst).__index(inst, "call"))
  end)
end)

describe("Func calls check self without a registry lookup", function()
  it("refuses other objects of the same layout and foreign userdata", function()
    local inst = new_inst()
    local call = debug.getmetatable(inst.exports.id).__call
    h.raises("usage", "bad self: expected moonwasm.Func, got moonwasm.Memory",
             call, inst.exports.mem, 1)
    h.raises("usage", "bad self: expected moonwasm.Func, got moonwasm.Global",
             call, inst.exports.g, 1)
    h.raises("usage", "bad self: expected moonwasm.Func, got FILE*", call, io.stdout, 1)
    h.raises("usage", "bad self: expected moonwasm.Func, got number", call, 1, 1)
    assert.equal(4, call(inst.exports.id, 4))
  end)
end)

describe("calls from a coroutine on the raw path", function()
  it("give the same values, call after call", function()
    local inst = new_inst()
    local e = inst.exports
    local got = coroutine.wrap(function()
      local s = 0
      for i = 1, 200 do s = s + e.id(i) + inst:call("id", 1) end
      local a, b = e.swap(7, 0.5)
      return s, a, b, e.id64(math.maxinteger), e.idf64:call_bits(0x7FF8000000000001),
             e.call_h(41), select("#", e.none())
    end)()
    assert.equal(20100 + 200, got)
  end)

  it("return every result", function()
    local inst = new_inst()
    local e = inst.exports
    local r = table.pack(coroutine.wrap(function()
      local a, b = e.swap(7, 0.5)
      return a, b, e.id64(math.maxinteger), e.idf64:call_bits(0x7FF8000000000001),
             e.call_h(41), select("#", e.none()), inst:call_bits("idf32", 0x7FC00001)
    end)())
    assert.same({0.5, 7, math.maxinteger, 0x7FF8000000000001, 42, 0, 0x7FC00001, n = 7}, r)
  end)

  it("trap, raise and refuse like the general path", function()
    local inst = new_inst()
    local e = inst.exports
    local function in_co(f, ...)
      local args = table.pack(...)
      return coroutine.wrap(function() return pcall(f, table.unpack(args, 1, args.n)) end)()
    end
    local ok, err = in_co(e.div, 1, 0)
    assert.is_false(ok)
    assert.equal("trap", err.kind)
    assert.equal("integer divide by zero", err.message)
    ok, err = in_co(e.id, "x")
    assert.is_false(ok)
    assert.equal("id: argument 1: expected i32, got string", err.message)
    ok, err = in_co(inst.call, inst, "nope")
    assert.is_false(ok)
    assert.equal("no exported function \"nope\"", err.message)
    -- and the store still runs, in and out of coroutines
    assert.equal(3, coroutine.wrap(function() return e.id(3) end)())
    assert.equal(4, e.id(4))
  end)

  it("let a host function yield, then go on", function()
    local inst = new_inst(function(x) return coroutine.yield(x) end)
    local e = inst.exports
    local co = coroutine.wrap(function()
      local r = e.call_h(10)
      return "done", r, e.id(5)
    end)
    assert.equal(10, co())
    local tag, r, five = co(99)
    assert.same({"done", 99, 5}, {tag, r, five})
  end)

  it("keep several suspended calls of one store apart", function()
    local inst = new_inst(function(x) return coroutine.yield(x) end)
    local e = inst.exports
    local cos = {}
    for i = 1, 6 do
      cos[i] = coroutine.wrap(function() return e.call_h(i) + e.id(100) end)
      assert.equal(i, cos[i]())
    end
    for i = 6, 1, -1 do assert.equal(i * 2 + 100, cos[i](i * 2)) end
  end)

  it("raise a use of a closed store", function()
    local store = wasm.store()
    local i2 = store:instantiate(wasm.load(bytes), {env = {h = function(x) return x end}})
    local id = i2.exports.id
    assert.equal(1, coroutine.wrap(function() return id(1) end)())
    store:close()
    local ok, err = coroutine.wrap(function() return pcall(id, 1) end)()
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    assert.truthy(err.message:find("closed", 1, true))
  end)
end)

describe("host functions with a Caller on the raw path", function()
  local CW = [[
  (module
    (import "env" "hc" (func $hc (param i32 i64) (result i32)))
    (memory (export "mem") 1)
    (data (i32.const 16) "hello")
    (func (export "run") (param i32 i64) (result i32)
      (call $hc (local.get 0) (local.get 1))))]]
  local cbytes = wasm.wat(CW)

  local function make(fn)
    local hc = wasm.func({"i32", "i64"}, {"i32"}, fn, {caller = true})
    return wasm.instantiate(wasm.load(cbytes), {env = {hc = hc}})
  end

  it("pass the Caller first, then the values", function()
    local kept, seen
    local inst = make(function(caller, p, n)
      kept = caller
      seen = {caller:memory():read(p, n), math.type(n)}
      return 0xFFFFFFFF
    end)
    assert.equal(-1, inst.exports.run(16, 5))
    assert.same({"hello", "integer"}, seen)
    h.raises("usage", "attempt to use a caller after its call returned", kept.memory, kept)
    -- a Caller per call
    local first = kept
    inst.exports.run(16, 1)
    assert.are_not.equal(first, kept)
  end)

  it("report wrong results and errors like the general path", function()
    local inst = make(function() return 1, 2 end)
    h.raises("host", "returned 2 values, expected 1", inst.exports.run, 0, 0)
    inst = make(function() return "x" end)
    h.raises("host", "result 1: expected i32, got string", inst.exports.run, 0, 0)
    local boom = {}
    inst = make(function() error(boom) end)
    local ok, err = pcall(inst.exports.run, 0, 0)
    assert.is_false(ok)
    assert.equal(boom, err)
    assert.equal(5, make(function(_, a) return a end).exports.run(5, 0))
  end)

  it("run from a coroutine, where they may yield", function()
    local inst = make(function(caller, p, n)
      local got = coroutine.yield(caller:memory():read(p, n))
      return got + caller:memory():size()
    end)
    local co = coroutine.wrap(function() return "done", inst.exports.run(16, 4) end)
    assert.equal("hell", co())
    local tag, r = co(41)
    assert.same({"done", 42}, {tag, r})
  end)
end)

describe("host functions called by a fiber on raw values", function()
  local FW = [[
  (module
    (import "env" "h" (func $h (param i32 f64) (result i64 f32)))
    (func (export "run") (param i32 f64) (result i64 f32)
      (call $h (local.get 0) (local.get 1))))]]
  local fbytes = wasm.wat(FW)
  local function make(fn)
    return wasm.instantiate(wasm.load(fbytes), {env = {h = fn}})
  end
  local function in_co(f, ...)
    local args = table.pack(...)
    return coroutine.wrap(function() return pcall(f, table.unpack(args, 1, args.n)) end)()
  end

  it("convert values both ways, with and without a yield", function()
    local seen
    local inst = make(function(a, b)
      seen = {a, b, math.type(a), math.type(b)}
      return math.mininteger, 0.1
    end)
    local ok, x, y = in_co(inst.exports.run, -1, 2.5)
    assert.is_true(ok)
    assert.same({-1, 2.5, "integer", "float"}, seen)
    assert.equal(math.mininteger, x)
    assert.equal(string.unpack("f", string.pack("f", 0.1)), y)
    inst = make(function(a) return coroutine.yield(a) end)
    local co = coroutine.wrap(function() return inst.exports.run(7, 0) end)
    assert.equal(7, co())
    -- coroutine.yield returns what resume passed: (8, 1.5)
    local r1, r2 = co(8, 1.5)
    assert.same({8, 1.5}, {r1, r2})
  end)

  it("report wrong results, after a yield too, like the general path", function()
    local inst = make(function() return 1 end)
    local ok, err = in_co(inst.exports.run, 0, 0)
    assert.is_false(ok)
    assert.equal("host", err.kind)
    assert.equal("env.h returned 1 value, expected 2", err.message)
    inst = make(function() coroutine.yield() return 1.5, 2 end)
    local co = coroutine.wrap(function() return pcall(inst.exports.run, 0, 0) end)
    co()
    ok, err = co()
    assert.is_false(ok)
    assert.equal("env.h: result 1: expected i64, got non-integral number 1.5", err.message)
    local boom = {}
    inst = make(function() coroutine.yield() error(boom) end)
    co = coroutine.wrap(function() return pcall(inst.exports.run, 0, 0) end)
    co()
    ok, err = co()
    assert.is_false(ok)
    assert.equal(boom, err)
  end)
end)

describe("host functions called straight from Lua on the raw path", function()
  it("convert values like a call from wasm, call after call", function()
    local seen
    local hf = wasm.func({"i32", "i64", "f32"}, {"i32", "f64"}, function(a, b, c)
      seen = {a, b, c, math.type(b)}
      return a, c
    end)
    for _ = 1, 3 do -- the first call makes the scratch store; later ones are raw
      local x, y = hf(0xFFFFFFFF, 5, 0.1)
      local f01 = string.unpack("f", string.pack("f", 0.1))
      assert.same({-1, 5, f01, "integer"}, seen)
      assert.same({-1, f01}, {x, y})
    end
    assert.equal(7, wasm.func({"i32"}, {"i32"}, function(x) return x end):call(7))
  end)

  it("keep the general path's messages and errors", function()
    local hf = wasm.func({"i32", "i64", "f32"}, {"i32"}, function(a) return a end)
    assert.equal(1, hf(1, 2, 3))
    h.raises("usage", "host function: expected 3 arguments, got 2", hf, 1, 2)
    h.raises("usage", "host function: argument 1: expected i32, got string", hf, "x", 2, 3)
    local bad = wasm.func({"i32"}, {"i32"}, function() return "no" end)
    h.raises("host", "host function: result 1: expected i32, got string", bad, 1)
    local boom = {}
    local raiser = wasm.func({"i32"}, {"i32"}, function() error(boom) end)
    for _ = 1, 2 do
      local ok, err = pcall(raiser, 1)
      assert.is_false(ok)
      assert.equal(boom, err)
    end
    -- a yield cannot cross the host call, as before
    local y = wasm.func({"i32"}, {"i32"}, function(x) return coroutine.yield(x) end)
    local ok, err = coroutine.wrap(function() return pcall(y, 4) end)()
    assert.is_false(ok)
    assert.equal("attempt to yield across a C-call boundary", tostring(err))
  end)
end)

describe("vm:execute", function()
  it("calls through the instance's call and counts", function()
    local vm = wasm.vm()
    vm:load(bytes)
    h.raises("usage", "vm: no instance (call vm:instantiate first)", vm.execute, vm, "id", 1)
    vm:register_import(wasm.import_object("env", {h = function(x) return x end}))
    vm:validate():instantiate()
    assert.equal(-1, vm:execute("id", 0xFFFFFFFF))
    local a, b = vm:execute("swap", 1, 2.5)
    assert.same({2.5, 1}, {a, b})
    h.raises("usage", "no exported function \"nope\"", vm.execute, vm, "nope")
    h.raises("trap", "integer divide by zero", vm.execute, vm, "div", 1, 0)
    assert.equal(4, vm:statistics().calls)
  end)
end)

describe("v128 values on the raw path", function()
  local VW = [[
  (module
    (import "env" "hv" (func $hv (param i32 v128) (result v128 i32)))
    (func (export "v") (param v128 i32) (result i32 v128) local.get 1 local.get 0)
    (func (export "cv") (param i32 v128) (result v128 i32)
      (call $hv (local.get 0) (local.get 1))))]]
  local V = "0123456789abcdef"
  local function make(hv)
    return wasm.instantiate(wasm.load(wasm.wat(VW)), {env = {hv = hv or function(i, v)
      return v:reverse(), i
    end}})
  end

  it("pass 16-byte strings both ways, beside other values", function()
    local e = make().exports
    local a, b = e.v(V, 3)
    assert.same({3, V}, {a, b})
    a, b = e.cv(-5, V)
    assert.same({"fedcba9876543210", -5}, {a, b})
    -- from a coroutine (a fiber): the i32 after the v128 too
    a, b = coroutine.wrap(function() return e.cv(7, V) end)()
    assert.same({"fedcba9876543210", 7}, {a, b})
    a, b = coroutine.wrap(function() return e.v(V, 8) end)()
    assert.same({8, V}, {a, b})
    local y = make(function(i, v) return coroutine.yield(v), i end).exports
    local co = coroutine.wrap(function() return y.cv(9, V) end)
    assert.equal(V, co())
    a, b = co(string.rep("z", 16))
    assert.same({string.rep("z", 16), 9}, {a, b})
  end)

  it("keep the general path's messages", function()
    local e = make(function(i, v)
      if i == 1 then return "short", 1 end
      if i == 2 then return 5, 1 end
      return v, i
    end).exports
    h.raises("usage", "v: argument 1: expected v128 (a 16-byte string), got string",
             e.v, "short", 3)
    h.raises("usage", "v: argument 1: expected v128 (a 16-byte string), got number", e.v, 12, 3)
    h.raises("host", "env.hv: result 1: expected v128 (a 16-byte string), got string",
             e.cv, 1, V)
    h.raises("host", "env.hv: result 1: expected v128 (a 16-byte string), got number",
             e.cv, 2, V)
    local a, b = e.cv(0, V)
    assert.same({V, 0}, {a, b})
  end)
end)
