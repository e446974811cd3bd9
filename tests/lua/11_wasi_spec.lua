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

  it("ends a direct call to _start normally on proc_exit; exit_code has the status", function()
    local wasi = wasm.wasi{env = {"X=7"}, stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    local inst = store:instantiate(h.load("lua_wasi"))
    assert.is_nil(wasi:exit_code())
    assert.equal(0, select("#", inst.exports._start()))
    assert.equal(7, wasi:exit_code())
  end)

  it("has no exit code before running", function()
    assert.is_nil(wasm.wasi{}:exit_code())
  end)

  it("refuses bad options", function()
    h.raises("usage", "wasi: args must be a table", wasm.wasi, {args = "x"})
    h.raises("usage", "stdout must be nil", wasm.wasi, {stdout = {}})
    h.raises("usage", "preopens[1] is neither", wasm.wasi, {preopens = {1}})
    h.raises("usage", "preopens maps guest paths", wasm.wasi, {preopens = {[true] = "x"}})
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
    assert.equal(0, select("#", inst.exports._start())) -- exits 2, quietly
    h.raises("usage", "attempt to use a closed wasi", wasi.exit_code, wasi)
  end)
end)

describe("WASI exits (the contract: store:register(wasi) ; ... ; wasi:exit_code())", function()
  -- lua_exit: _start calls env.cb(3); cb may call exit_with(n) back.
  local function setup(cb)
    local wasi = wasm.wasi{stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    local inst
    inst = store:instantiate(h.load("lua_exit"), {env = {cb = function(n) return cb(inst, n) end}})
    return wasi, inst, store
  end

  it("return normally from the outermost call when a nested call exits", function()
    local after = false
    local wasi, inst = setup(function(inst, n)
      inst.exports.exit_with(n) -- wasm -> Lua -> wasm -> proc_exit
      after = true              -- not reached: the exit unwinds the host function
      return 0
    end)
    assert.equal(0, select("#", inst.exports._start()))
    assert.is_false(after)
    assert.equal(3, wasi:exit_code())
  end)

  it("show the exit to the host function as an error object of kind exit", function()
    local seen
    local wasi, inst = setup(function(inst, n)
      local ok, err = pcall(inst.exports.exit_with, n)
      seen = err
      error(err, 0) -- passing it on keeps exiting
    end)
    assert.equal(0, select("#", inst:call("_start")))
    assert.is_true(wasm.is_error(seen, "exit"))
    assert.equal(3, seen.code)
    assert.equal(3, wasi:exit_code())
  end)

  it("let a host function exit with an exit error object of its own", function()
    local wasi, inst = setup(function() error(wasm.error("exit", "bye", {code = 9}), 0) end)
    assert.equal(0, select("#", inst.exports._start()))
    assert.equal(9, wasi:exit_code())
  end)

  it("end a function with results without results", function()
    local wasi, inst = setup(function() return 0 end)
    assert.equal(42, inst.exports.exit_or_42(0))
    assert.equal(0, wasi:exit_code()) -- returned normally
    assert.equal(0, select("#", inst.exports.exit_or_42(5)))
    assert.equal(5, wasi:exit_code())
    local f = inst.exports.exit_or_42
    assert.equal(0, select("#", f:call(6)))
    assert.equal(6, wasi:exit_code())
  end)

  it("work the same through the VM facade", function()
    local wasi = wasm.wasi{env = {"X=4"}, stdin = false, stdout = false, stderr = false}
    local vm = wasm.vm()
    vm:register_import(wasi)
    assert.equal(0, select("#", vm:run_file(h.fixture("lua_wasi"), "_start")))
    assert.equal(4, wasi:exit_code())
    assert.equal(0, select("#", vm:execute("_start")))
    assert.equal(4, wasi:exit_code())
  end)

  it("give 0 after _start returns, nil before anything ran", function()
    local wasi = wasm.wasi{stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    local inst = store:instantiate(h.load("lua_wasi"))
    assert.is_nil(wasi:exit_code())
    assert.equal(0, select("#", inst.exports._start()))
    assert.equal(0, wasi:exit_code())
  end)

  it("keep wasi:start as a convenience returning the status", function()
    local wasi = wasm.wasi{env = {X = 6}, stdin = false, stdout = false, stderr = false}
    local store = wasm.store()
    store:register(wasi)
    assert.equal(6, wasi:start(store:instantiate(h.load("lua_wasi"))))
    assert.equal(6, wasi:exit_code())
  end)
end)

describe("wasm.wasi options", function()
  local function run_start(opts)
    local wasi = wasm.wasi(opts)
    local store = wasm.store()
    store:register(wasi)
    store:instantiate(h.load("lua_wasi")).exports._start()
    return wasi
  end

  it("takes a Lua string as the content of stdin", function()
    local out = {}
    run_start{stdin = "text\n", stdout = function(s) out[#out + 1] = s end, stderr = false}
    assert.equal("text\n", table.concat(out))
    out = {}
    run_start{stdin = "inherit", stdout = function(s) out[#out + 1] = s end, stderr = false}
    assert.equal("inherit", table.concat(out)) -- a string is content, never a keyword
    out = {}
    run_start{stdin = "", stdout = function(s) out[#out + 1] = s end, stderr = false}
    assert.equal("", table.concat(out))
  end)

  it("gives a long stdin string over several reads", function()
    local out = {}
    -- lua_wasi reads once, 64 bytes: the rest stays unread
    run_start{stdin = string.rep("x", 100), stdout = function(s) out[#out + 1] = s end,
              stderr = false}
    assert.equal(string.rep("x", 64), table.concat(out))
  end)

  it("converts numbers in args and env with tostring", function()
    local wasi = run_start{env = {X = 8}, args = {"prog", 1, 2.5}, stdin = false,
                           stdout = false, stderr = false}
    assert.equal(8, wasi:exit_code())
    h.raises("usage", "wasi: args[2] must be a string or a number, got table", wasm.wasi,
             {args = {"p", {}}})
    h.raises("usage", "stdin must be nil (inherit), false (null), a string", wasm.wasi,
             {stdin = {}})
  end)
end)
