-- Regressions of issue 8 (reliability): each case crashed or gave a
-- misleading answer before its fix.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function section(id, body)
  assert(#body < 128)
  return string.char(id, #body) .. body
end

local HEADER = "\0asm\1\0\0\0"

-- Decodes, does not validate: one type () -> (); env.f imports type 7;
-- exports g = func 5, m = memory 3, t = table 2, v = global 9, h = func 0
-- (the import, of the unknown type).
local BAD_INDICES = HEADER
  .. section(1, "\1\96\0\0")
  .. section(2, "\1\3env\1f\0\7")
  .. section(7, "\5\1g\0\5\1m\2\3\1t\1\2\1v\3\9\1h\0\0")

describe("a module that decodes but is not valid", function()
  it("lists its imports, with the unknown type named", function()
    local imports = wasm.load(BAD_INDICES):imports()
    assert.equal(1, #imports)
    local imp = imports[1]
    assert.same({"env", "f", "func"}, {imp.module, imp.name, imp.kind})
    assert.is_nil(imp.type)
    assert.equal("unknown type 7", imp.unknown)
    assert.equal('(import "env" "f" (func <unknown type 7>))', tostring(imp))
  end)

  it("lists its exports, each unknown index named", function()
    local got = {}
    for _, e in ipairs(wasm.load(BAD_INDICES):exports()) do
      assert.is_nil(e.type)
      got[#got + 1] = ("%s %s: %s"):format(e.name, e.kind, e.unknown)
    end
    assert.same({"g func: unknown function 5", "m memory: unknown memory 3",
                 "t table: unknown table 2", "v global: unknown global 9",
                 "h func: unknown type 7"}, got)
    assert.equal('(export "m" (memory <unknown memory 3>))',
                 tostring(wasm.load(BAD_INDICES):exports()[2]))
  end)

  it("is refused by instantiate before any import is made", function()
    local called = false
    local imports = setmetatable({}, {__index = function(_, k)
      if k == "env" then called = true end
    end})
    h.raises("invalid", "unknown type", wasm.instantiate, wasm.load(BAD_INDICES), imports)
    assert.is_false(called)
    -- a Lua function offered for the import of unknown type
    h.raises("invalid", "unknown type", wasm.instantiate, wasm.load(BAD_INDICES),
             {env = {f = function() end}})
    local store = wasm.store()
    h.raises("invalid", "unknown type", store.instantiate, store, wasm.load(BAD_INDICES),
             {env = {f = function() end}})
  end)

  it("still lists a valid module's types (unknown is nil)", function()
    local mod = wasm.load(HEADER .. section(1, "\1\96\0\1\127")
      .. section(2, "\1\3env\1f\0\0") .. section(7, "\1\1f\0\0"))
    local imp, exp = mod:imports()[1], mod:exports()[1]
    assert.is_nil(imp.unknown)
    assert.is_nil(exp.unknown)
    assert.same({}, imp.type.params)
    assert.same({"i32"}, exp.type.results)
  end)

  it("gives the VM facade a function list without types", function()
    local vm = wasm.vm()
    vm:load(BAD_INDICES)
    local names = {}
    for _, f in ipairs(vm:function_list()) do names[#names + 1] = f.name end
    assert.same({"g", "h"}, names)
    assert.is_nil(vm:function_type("g"))
    h.raises("invalid", "unknown", vm.validate, vm)
  end)
end)

describe("messages", function()
  local IMPORTS_F = HEADER .. section(1, "\1\96\0\0") .. section(2, "\1\3env\1f\0\0")

  it("name the object offered for an import of the wrong kind", function()
    local mod = wasm.load(IMPORTS_F)
    h.raises("unlinkable", 'incompatible import type "env" "f": expected func, got moonwasm.Module',
             wasm.instantiate, mod, {env = {f = wasm.load(IMPORTS_F)}})
    -- a wasm object of another kind is named by its kind
    h.raises("unlinkable", "expected func, got memory",
             wasm.instantiate, mod, {env = {f = wasm.memory{min = 1}}})
    h.raises("unlinkable", "expected func, got table",
             wasm.instantiate, mod, {env = {f = {}}})
    h.raises("unlinkable", "expected func, got string",
             wasm.instantiate, mod, {env = {f = "f"}})
  end)

  it("say when the value stack, not the call depth, ran out", function()
    -- (func (export "r") (param i32) (result i32) local.get 0 call 0)
    local mod = wasm.load(HEADER .. section(1, "\1\96\1\127\1\127") .. section(3, "\1\0")
      .. section(7, "\1\1r\0\0") .. section(10, "\1\6\0\32\0\16\0\11"))
    local small = wasm.store(wasm.config{value_stack_slots = 1024, max_call_depth = 100000})
    local err = h.raises("exhaustion", "call stack exhausted (out of value stack slots)",
                         small.instantiate(small, mod).exports.r, 0)
    assert.equal("call stack exhausted (out of value stack slots)", err.message)
    local shallow = wasm.store(wasm.config{max_call_depth = 50})
    err = h.raises("exhaustion", "call stack exhausted", shallow:instantiate(mod).exports.r, 0)
    assert.equal("call stack exhausted", err.message)
  end)
end)

-- Calls path_symlink and path_open on the first preopen (fd 3) directly.
local WASI_PROBE = [[
(module
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; target at 0 (len tl), name at 512 (len nl)
  (func (export "symlink") (param $tl i32) (param $nl i32) (result i32)
    (call $symlink (i32.const 0) (local.get $tl) (i32.const 3) (i32.const 512) (local.get $nl)))
  ;; path at 0 (len pl), oflags, rights; the fd lands at 1024
  (func (export "open") (param $pl i32) (param $oflags i32) (param $rights i64) (result i32)
    (call $open (i32.const 3) (i32.const 0) (i32.const 0) (local.get $pl)
                (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0)
                (i32.const 1024))))]]

local function wat_bytes(text)
  local src, out = os.tmpname(), os.tmpname()
  local f = assert(io.open(src, "w"))
  f:write(text)
  f:close()
  assert(os.execute(("%s %q -o %q"):format(os.getenv("WAT2WASM") or "wat2wasm", src, out)))
  os.remove(src)
  f = assert(io.open(out, "rb"))
  local bytes = f:read("a")
  f:close()
  os.remove(out)
  return bytes
end

describe("the WASI sandbox", function()
  local ERRNO_ISDIR, ERRNO_NOTCAPABLE = 31, 76
  local RIGHT_FD_READ, RIGHT_FD_WRITE = 2, 64
  local OFLAGS_DIRECTORY = 2
  local dir, probe

  before_each(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p '" .. dir .. "/box/sub'"))
    local wasi = wasm.wasi{preopens = {["/box"] = dir .. "/box"}}
    local store = wasm.store()
    store:register(wasi)
    probe = store:instantiate(wasm.load(wat_bytes(WASI_PROBE)))
  end)

  after_each(function()
    os.execute("rm -rf '" .. dir .. "'")
  end)

  local function symlink(target, name)
    local mem = probe:memory()
    mem:write(0, target)
    mem:write(512, name)
    return probe.exports.symlink(#target, #name)
  end

  local function listing()
    local p = assert(io.popen("ls -A '" .. dir .. "/box'"))
    local names = {}
    for line in p:lines() do names[#names + 1] = line end
    p:close()
    return table.concat(names, " ")
  end

  it("refuses symlinks that lead out, and makes nothing on the host", function()
    assert.equal(ERRNO_NOTCAPABLE, symlink("/", "root"))
    assert.equal(ERRNO_NOTCAPABLE, symlink("/etc/passwd", "pw"))
    assert.equal(ERRNO_NOTCAPABLE, symlink("..", "up"))
    assert.equal(ERRNO_NOTCAPABLE, symlink("sub/../../x", "sneaky"))
    assert.equal(ERRNO_NOTCAPABLE, symlink("../../x", "sub/deep"))
    assert.equal("sub", listing())
    assert.equal(0, symlink("../x", "sub/ok"))  -- stays inside the box
    assert.equal(0, symlink("sub", "insub"))
    assert.equal("insub sub", listing())
  end)

  it("answers isdir to a directory opened with fd_write", function()
    local mem = probe:memory()
    mem:write(0, ".")
    assert.equal(ERRNO_ISDIR, probe.exports.open(1, OFLAGS_DIRECTORY, RIGHT_FD_READ | RIGHT_FD_WRITE))
    mem:write(0, "sub")
    assert.equal(ERRNO_ISDIR, probe.exports.open(3, 0, RIGHT_FD_WRITE))
    assert.equal(0, probe.exports.open(3, OFLAGS_DIRECTORY, RIGHT_FD_READ))
  end)
end)
