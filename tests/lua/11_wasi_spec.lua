-- WASI from Lua: wasm.wasi, store:register(wasi), wasi:start, streams.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function run(opts)
  local wasi = wasm.wasi(opts)
  local store = wasm.store()
  store:register(wasi)
  local inst = store:instantiate(h.load("lua_wasi"))
  return wasi, wasi:start(inst), inst
end

describe("wasm.wasi", function()
  it("runs a command with Lua streams and returns its exit code", function()
    local out, err = {}, {}
    local input = "hello wasi"
    local wasi, code = run{
      env = {"X=3"},
      stdin = function(n)
        local s = input
        input = nil
        return s and s:sub(1, n)
      end,
      stdout = function(s) out[#out + 1] = s end,
      stderr = function(s) err[#err + 1] = s end,
    }
    assert.equal(3, code)
    assert.equal(3, wasi:exit_code())
    assert.equal("hello wasi", table.concat(out))
    assert.equal("err", table.concat(err))
  end)

  it("exits 0 when _start returns; null streams read EOF", function()
    local wasi, code = run{stdin = false, stdout = false, stderr = "null"}
    assert.equal(0, code)
    assert.equal(0, wasi:exit_code())
  end)

  it("keeps bytes a stdin function gave beyond the request", function()
    local out = {}
    local calls = 0
    local _, code = run{
      env = {X = "5"},
      stdin = function() calls = calls + 1 return string.rep("a", 100) end,
      stdout = function(s) out[#out + 1] = s end, stderr = false}
    assert.equal(5, code)
    assert.equal(string.rep("a", 64), table.concat(out))
    assert.equal(1, calls)
  end)

  it("lets a stream function's error reach the caller unchanged", function()
    local e = {}
    local once = "data"
    local function stdin() local s = once once = nil return s end
    assert.equal(e, h.error_of(run, {stdin = stdin, stdout = function() error(e) end}))
  end)

  it("reports proc_exit from a direct call as an 'exit' error", function()
    local wasi = wasm.wasi{env = {"X=7"}, stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    local inst = store:instantiate(h.load("lua_wasi"))
    local err = h.raises("exit", nil, inst.exports._start)
    assert.equal(7, err.code)
  end)

  it("has no exit code before running", function()
    assert.is_nil(wasm.wasi{}:exit_code())
  end)

  it("refuses bad options", function()
    h.raises("usage", "wasi: args must be a table", wasm.wasi, {args = "x"})
    h.raises("usage", "stdout must be nil", wasm.wasi, {stdout = {}})
    h.raises("usage", "preopens maps guest paths", wasm.wasi, {preopens = {1}})
    h.raises("usage", nil, wasm.wasi, {preopens = {["/x"] = "/nonexistent/dir"}})
    h.raises("usage", "expected a table", wasm.wasi, 1)
  end)

  it("closes; a context defined in a store lives on for it", function()
    local w = wasm.wasi{}
    w:close()
    w:close()
    h.raises("usage", "attempt to use a closed wasi", w.exit_code, w)
    local wasi = wasm.wasi{env = {"X=2"}, stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    local inst = store:instantiate(h.load("lua_wasi"))
    wasi:close()
    h.gc()
    assert.equal(2, h.error_of(inst.exports._start).code)
  end)
end)
