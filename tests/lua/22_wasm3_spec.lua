-- Wasm 3.0, part 1 (issue 11): extended constant expressions, tail calls,
-- multi-memory and memory64 through the Lua API, and their feature
-- switches.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function fixture_bytes(name)
  local f = assert(io.open(h.fixture(name), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

describe("Wasm 3.0 feature switches", function()
  it("are named in wasm.config and on by default", function()
    local core = require("moonwasm.core")
    for _, name in ipairs {"tail_call", "extended_const", "const_globals"} do
      assert.is_number(core.features[name], name)
      assert.is_true(core.defaults.features & core.features[name] ~= 0, name)
    end
  end)

  it("turned off, make a tail call an illegal opcode naming the feature and offset", function()
    local bytes = fixture_bytes("w3_tail")
    local err = h.raises("malformed", nil, wasm.load, bytes, wasm.config{features = {tail_call = false}})
    assert.matches("^illegal opcode %(return_call at byte offset %d+: tail calls are not enabled%)$",
                   err.message)
    assert.is_truthy(wasm.load(bytes))
  end)
end)

describe("tail calls", function()
  it("run a million deep with the default limits", function()
    local inst = wasm.instantiate(wasm.load(fixture_bytes("w3_tail")))
    assert.equal(7, inst.exports.down(1000000))
  end)

  it("an endless tail recursion stops at a deadline", function()
    local store = wasm.store()
    local inst = store:instantiate(wasm.load(fixture_bytes("w3_tail")))
    store:set_deadline(0.05)
    h.raises("trap", "deadline exceeded", inst.exports.forever, 0)
    store:set_deadline(nil)
    assert.equal(7, inst.exports.down(3))
  end)
end)

describe("moonwasm --features", function()
  local cli = require("moonwasm.cli")
  -- Run the CLI in-process; returns status, stdout, stderr.
  local function run(...)
    local out, err = io.tmpfile(), io.tmpfile()
    local status = cli.main({...}, {stdout = out, stderr = err, getenv = function() return nil end})
    out:seek("set"); err:seek("set")
    return status, out:read("a"), err:read("a")
  end

  it("switches a feature off for call, and reports unknown names", function()
    local file = h.fixture("w3_tail")
    assert.same({0, "7\n", ""}, {run("call", file, "down", "5")})
    assert.same({0, "7\n", ""}, {run("call", "--features", "tail_call=on", file, "down", "5")})
    local status, _, err = run("call", "--features", "tail_call=off,memory64", file, "down", "5")
    assert.equal(1, status)
    assert.matches("illegal opcode %(return_call at byte offset %d+: tail calls are not enabled%)", err)
    status, _, err = run("call", "--features", "bogus", file, "down", "5")
    assert.equal(2, status)
    assert.matches('unknown feature "bogus"', err, 1, true)
    status, _, err = run("inspect", "--features", "tail_call=maybe", file)
    assert.equal(2, status)
    assert.matches("expected on or off", err, 1, true)
  end)
end)

describe("memory64 and multi-memory through the Lua API", function()
  local bytes = fixture_bytes("w3_mem64")

  it("types carry the index type and 64-bit limits", function()
    local mod = wasm.load(bytes)
    local imp = mod:imports()[1]
    assert.same({"memory", 1, "i64"}, {imp.type.kind, imp.type.min, imp.type.index})
    local ex = {}
    for _, e in ipairs(mod:exports()) do ex[e.name] = e.type end
    assert.equal(0x100000000, ex.big.max)
    assert.equal("i64", ex.big.index)
    assert.is_nil(ex.small.index)
    assert.equal("(memory i64 2 4294967296)", tostring(ex.big))
    assert.equal("(memory 1 2)", tostring(ex.small))
  end)

  it("imports an i64 host memory, and only as one", function()
    local mem = wasm.memory{min = 1, index = "i64"}
    mem:write(10, "\42")
    local inst = wasm.instantiate(wasm.load(bytes), {env = {mem = mem}})
    assert.equal(42, inst.exports.peek(10))
    h.raises("trap", "out of bounds memory access", inst.exports.peek, -1)
    assert.equal(2, inst.exports.size_big())
    -- every memory by name
    inst.exports.poke_small(3, 7)
    assert.equal("\7", inst:memory("small"):read(3, 1))
    assert.equal(2, inst:memory("big"):size())
    local err = h.raises("unlinkable", "incompatible import type", wasm.instantiate,
                         wasm.load(bytes), {env = {mem = wasm.memory{min = 1}}})
    assert.matches("i64", err.message, 1, true)
    h.raises("usage", "index must be", wasm.memory, {min = 1, index = "i16"})
  end)
end)

describe("a Wasm 1.0-based module (no bulk memory, no reference types)", function()
  -- Every feature off: the decoder reads and words as Wasm 1.0 did, which
  -- the 2023 proposal folders forked from (proposals/memory64/binary.wast).
  local function wasm1()
    local core = require("moonwasm.core")
    local off = {}
    for name in pairs(core.features) do off[name] = false end
    return wasm.config{features = off}
  end
  local head = "\0asm\1\0\0\0"
  local types_funcs = "\1\4\1\96\0\0" .. "\3\2\1\0"
  -- call_indirect (type 0) with the table byte `tb`, table 0 declared.
  local function call_indirect(tb)
    local body = "\0" .. "\65\0" .. "\17\0" .. tb .. "\11"
    return head .. types_funcs .. "\4\4\1\112\0\0" .. "\10" .. string.char(#body + 2, 1, #body) .. body
  end

  it("reads call_indirect's table as a zero flag", function()
    local err = h.raises("malformed", nil, wasm.load, call_indirect("\1"), wasm1())
    assert.equal("zero flag expected", err.message)
    err = h.raises("malformed", nil, wasm.load, call_indirect("\128\0"), wasm1())
    assert.equal("zero flag expected", err.message)
    -- Since reference types the byte is a table index.
    local mod = wasm.load(call_indirect("\1"))
    err = h.raises("invalid", nil, mod.validate, mod)
    assert.equal("unknown table 1", err.message)
    mod = wasm.load(call_indirect("\0"), wasm1())
    assert.has_no.errors(function() mod:validate() end)
  end)

  it("words the renamed messages as 1.0 did and has no data count section", function()
    local cases = {
      {head .. "\12\0", "malformed section id", "unexpected end"},
      {head .. "\1\7\2\96\0\0", "unexpected end of section or function", "length out of bounds"},
      {head .. types_funcs .. "\1\4\1\96\0\0", "junk after last section",
       "unexpected content after last section"},
    }
    for _, c in ipairs(cases) do
      assert.equal(c[2], h.raises("malformed", nil, wasm.load, c[1], wasm1()).message)
      assert.matches(c[3], h.raises("malformed", nil, wasm.load, c[1]).message, 1, true)
    end
  end)
end)

describe("an unknown opcode", function()
  it("is named in hex, as the 3.0 reference interpreter names it", function()
    local function body(code)
      local b = "\0" .. code .. "\11"
      return "\0asm\1\0\0\0" .. "\1\4\1\96\0\0" .. "\3\2\1\0" ..
             "\10" .. string.char(#b + 2, 1, #b) .. b
    end
    assert.equal("illegal opcode ff", h.raises("malformed", nil, wasm.load, body("\255")).message)
    assert.equal("illegal opcode fc 99",
                 h.raises("malformed", nil, wasm.load, body("\252\153\1")).message)
  end)
end)
