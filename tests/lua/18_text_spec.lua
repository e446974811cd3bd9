-- The text format from Lua: wasm.wat, wasm.load of text, wasm.parse_wast,
-- error objects with the reference interpreter's wording, and a
-- differential check against wabt: every .wat of the repository encoded by
-- moonwasm and by wat2wasm disassembles (wasm2wat) to the same text.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local ADD = [[
(module
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (memory (export "mem") (data "moon"))
  (global (export "pi") f64 (f64.const 0x1.921fb54442d18p+1)))
]]

describe("wasm.wat", function()
  it("encodes a module that loads and runs", function()
    local bytes = wasm.wat(ADD)
    assert.equal("\0asm\1\0\0\0", bytes:sub(1, 8))
    local inst = wasm.instantiate(wasm.load(bytes))
    assert.equal(5, inst.exports.add(2, 3))
    assert.equal("moon", inst.exports.mem:read(0, 4))
    assert.equal(math.pi, inst.exports.pi:get())
  end)

  it("encodes the same bytes for the abbreviated and the explicit forms", function()
    local short = wasm.wat('(func (export "f") (result i32) i32.const 7)')
    local long = wasm.wat([[(module (type (func (result i32)))
      (func $f (type 0) (i32.const 7)) (export "f" (func $f)))]])
    assert.equal(long, short)
  end)

  it("raises malformed errors with the reference wording and a position", function()
    local ok, err = pcall(wasm.wat, "(module\n  (func (i32.add2)))")
    assert.is_false(ok)
    assert.equal("malformed", err.kind)
    assert.equal("unknown operator i32.add2 at 2:10", err.message)
    h.raises("malformed", "unexpected end of input", wasm.wat, "(module (func")
    h.raises("malformed", "constant out of range", wasm.wat, "(func i64.const 0x1_0000_0000_0000_0000 drop)")
    h.raises("malformed", "unknown label $l", wasm.wat, "(func (br $l))")
    h.raises("malformed", "malformed UTF-8 encoding", wasm.wat, '(func (export "\\c0\\80"))')
  end)

  it("rejects arguments that are not text", function()
    h.raises("usage", "wat: expected a string, got nil", wasm.wat)
    h.raises("usage", "wat: expected a string, got table", wasm.wat, {})
  end)

  it("lets wasm.load and load_file take text", function()
    assert.equal(9, wasm.instantiate(wasm.load(ADD)).exports.add(4, 5))
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write(";; a comment first\n", ADD)
    f:close()
    local ok, mod = pcall(wasm.load_file, path)
    os.remove(path)
    assert.is_true(ok, tostring(mod))
    assert.equal(1, wasm.instantiate(mod).exports.add(-1, 2))
  end)

  it("encodes instructions the runtime decides about (SIMD, tail calls)", function()
    local bytes = wasm.wat([[(func (export "f") (result i32)
      (i32x4.extract_lane 2 (v128.const i32x4 1 2 3 4)))]])
    assert.equal(3, wasm.instantiate(wasm.load(bytes)).exports.f())
  end)
end)

describe("wasm.parse_wast", function()
  it("returns the commands with modules inline", function()
    local cmds = wasm.parse_wast([[
(module $M (func (export "f") (param i64) (result i64) (local.get 0)))
(register "m" $M)
(assert_return (invoke $M "f" (i64.const -1)) (i64.const 0xffff_ffff_ffff_ffff))
(assert_return (invoke "g") (f32.const nan:canonical) (either (i32.const 1) (i32.const 2)))
(assert_malformed (module quote "(func") "unexpected end")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_trap (module binary "\00asm\01\00\00\00") "x")
(thread $T (module))
]])
    assert.equal(8, #cmds)
    assert.same({"module", "register", "assert_return", "assert_return", "assert_malformed",
                 "assert_invalid", "assert_trap", "skip"},
                {cmds[1].type, cmds[2].type, cmds[3].type, cmds[4].type, cmds[5].type,
                 cmds[6].type, cmds[7].type, cmds[8].type})
    assert.equal("$M", cmds[1].name)
    assert.equal(1, cmds[1].line)
    assert.equal("\0asm", cmds[1].wasm:sub(1, 4))
    assert.same({type = "invoke", module = "$M", field = "f",
                 args = {{type = "i64", value = "18446744073709551615"}}}, cmds[3].action)
    assert.same({{type = "i64", value = "18446744073709551615"}}, cmds[3].expected)
    assert.equal("nan:canonical", cmds[4].expected[1].value)
    assert.equal("either", cmds[4].expected[2].type)
    assert.equal("(func", cmds[5].module.quote)
    assert.equal("type mismatch", cmds[6].text)
    assert.equal("\0asm\1\0\0\0", cmds[7].module.wasm)
    assert.truthy(cmds[8].reason:find("thread"))
  end)

  it("keeps a text module that does not parse as an error to judge", function()
    local cmds = wasm.parse_wast('(assert_invalid (module (func (call $nope))) "unknown function")')
    assert.equal("malformed", cmds[1].module.error_kind)
    assert.equal("unknown function $nope at 1:37", cmds[1].module.error)
  end)

  it("raises for a script that does not parse", function()
    h.raises("malformed", "unexpected token", wasm.parse_wast, "(assert_return 5)")
  end)
end)

describe("wasm.wat against wabt's wat2wasm", function()
  local function have(prog)
    return os.execute(prog .. " --version >/dev/null 2>&1") == true
  end

  it("encodes every .wat of the repository to the same module", function()
    if not (have("wat2wasm") and have("wasm2wat")) then
      pending("needs wabt (wat2wasm, wasm2wat)")
      return
    end
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir " .. dir))
    local function dump(bytes)
      local w = dir .. "/m.wasm"
      local f = assert(io.open(w, "wb"))
      f:write(bytes)
      f:close()
      local text
      for _, flags in ipairs {"", "--enable-all "} do
        local p = assert(io.popen("wasm2wat " .. flags .. w .. " 2>&1"))
        text = p:read("a")
        p:close()
        if not text:find("error:") then break end
      end
      return text
    end
    local n = 0
    for path in io.popen("ls tests/wat/*.wat examples/*/*.wat 2>/dev/null"):lines() do
      local f = assert(io.open(path))
      local text = f:read("a")
      f:close()
      local ok, ours = pcall(wasm.wat, text)
      assert.is_true(ok, path .. ": " .. tostring(ours))
      local theirs = dir .. "/theirs.wasm"
      -- wabt's default features first (--enable-all types ref.func as
      -- (ref $t), which Wasm 2.0 modules do not expect)
      local ok2 = os.execute(("wat2wasm %s -o %s 2>/dev/null"):format(path, theirs))
      if not ok2 then
        assert(os.execute(("wat2wasm --enable-all %s -o %s"):format(path, theirs)), path)
      end
      local tf = assert(io.open(theirs, "rb"))
      local their_bytes = tf:read("a")
      tf:close()
      assert.equal(dump(their_bytes), dump(ours), path)
      n = n + 1
    end
    os.execute("rm -rf " .. dir)
    assert.is_true(n >= 40, "found only " .. n .. " .wat files")
  end)
end)
