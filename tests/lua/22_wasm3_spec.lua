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
