-- Specs for the spec-test runner (lua/moonwasm/wast.lua), its spectest
-- module and the `moonwasm wast` command line.
--
-- Three layers: pure helpers; the command semantics, driven through a small
-- mock runtime (so they hold whatever the real runtime does today); and
-- end-to-end runs of real .wast files through wast2json and moonwasm, which
-- are pending when the binding or wabt is missing.

local source = debug.getinfo(1, "S").source:gsub("^@", "")
local ROOT = (source:match("^(.*)/tests/lua/[^/]*$") or ".")
-- Same search paths as helpers.lua (MW_LUA_BUILD: the sanitizer build),
-- without requiring the binding: the mock-runtime specs run without it.
local BUILD = os.getenv("MW_LUA_BUILD") or (ROOT .. "/build/lua")
if not BUILD:match("^/") then BUILD = ROOT .. "/" .. BUILD end
package.path = ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;" .. package.path
package.cpath = BUILD .. "/?.so;" .. package.cpath

local wast = require("moonwasm.wast")
local cjson = require("cjson")
local lfs = require("lfs")

local function have_binding()
  return (pcall(require, "moonwasm")) and os.execute("command -v wast2json >/dev/null 2>&1")
end

local function temp_dir()
  local name = os.tmpname()
  os.remove(name)
  assert(lfs.mkdir(name))
  return name
end

local function remove_tree(dir)
  for entry in lfs.dir(dir) do
    if entry ~= "." and entry ~= ".." then
      local p = dir .. "/" .. entry
      if lfs.attributes(p, "mode") == "directory" then remove_tree(p) else os.remove(p) end
    end
  end
  lfs.rmdir(dir)
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

-- A minimal XML checker: elements nest and close in order, attributes are
-- quoted, every `&` starts a known entity, no raw control characters.
-- Returns the list of elements as {name=, attrs=, text=, children=}.
local function parse_xml(text)
  assert(text:match("^<%?xml [^>]*%?>\n"), "missing XML declaration")
  assert(not text:find("[%z\1-\8\11\12\14-\31]"), "raw control character")
  for entity in text:gmatch("&([^;]*);") do
    assert(entity:match("^amp$") or entity:match("^lt$") or entity:match("^gt$")
           or entity:match("^quot$") or entity:match("^apos$") or entity:match("^#%d+$"),
           "bad entity &" .. entity .. ";")
  end
  assert(not text:gsub("&[a-z]+;", ""):gsub("&#%d+;", ""):find("&"), "bare &")
  assert(utf8.len(text), "invalid UTF-8")
  local pos = text:find("\n") + 1
  local root = {children = {}}
  local stack = {root}
  while true do
    local s, e, close, name, attrs, selfclose = text:find("<(/?)([%w_:]+)(.-)(/?)>", pos)
    if not s then break end
    local between = text:sub(pos, s - 1)
    assert(not between:find("[<>]"), "stray angle bracket")
    stack[#stack].text = (stack[#stack].text or "") .. between
    if close == "/" then
      local top = table.remove(stack)
      assert(top.name == name, ("</%s> closes <%s>"):format(name, tostring(top.name)))
    else
      local node = {name = name, attrs = {}, children = {}}
      local rest = attrs:gsub('%s+([%w_:]+)="([^"<]*)"', function(k, v) node.attrs[k] = v; return "" end)
      assert(rest:match("^%s*$"), "bad attributes: " .. rest)
      table.insert(stack[#stack].children, node)
      if selfclose ~= "/" then stack[#stack + 1] = node end
    end
    pos = e + 1
  end
  assert(#stack == 1, "unclosed element " .. tostring(stack[#stack].name))
  assert(text:sub(pos):match("^%s*$"), "trailing text")
  return root.children
end

------------------------------------------------------------------------------
-- A mock runtime: a module file contains "tag:NAME"; NAME selects a Lua
-- definition below.  Errors are raised as {kind=, message=} objects, like
-- moonwasm's.
------------------------------------------------------------------------------

local Error = {__name = "moonwasm.Error"}
Error.__tostring = function(e) return e.kind .. ": " .. e.message end
local function raise(kind, message) error(setmetatable({kind = kind, message = message}, Error), 0) end

local F32_NAN = 0x7FC00000
local MOCK_MODULES = {
  math = {exports = {
    add = function(a, b) return (a + b) & 0xFFFFFFFF end,
    id = function(...) return ... end,
    div = function(a, b) if b == 0 then raise("trap", "integer divide by zero") end return a // b end,
    nan = function() return F32_NAN end,
    nan_payload = function() return 0x7FE00000 end,           -- arithmetic, not canonical
    neg_nan = function() return 0xFFC00000 end,
    loop = function() raise("exhaustion", "call stack exhausted") end,
    bug = function() error("attempt to index a nil value") end,
    fresh_table = function() return {} end,
    two = function() return 1, 2 end,
  }},
  broken = {malformed = "unexpected end of section or function"},
  body = {invalid_at_validate = {"malformed", "illegal opcode"}},
  bad = {invalid_at_validate = {"invalid", "type mismatch"}},
  unlinkable = {instantiate_error = {"unlinkable", "unknown import: env.f"}},
  start_trap = {instantiate_error = {"trap", "unreachable"}},
}

local function mock_moonwasm()
  local m = {registered = {}}
  local function host(kind) return function(...) return {kind = kind, args = {...}} end end
  m.func, m.memory, m.table, m.global = host("func"), host("memory"), host("table"), host("global")
  function m.import_object(name, fields) return {name = name, fields = fields} end
  function m.load(bytes)
    local def = MOCK_MODULES[bytes:match("^tag:(.*)$") or ""]
    if not def then raise("malformed", "magic header not detected") end
    if def.malformed then raise("malformed", def.malformed) end
    return {def = def, validate = function()
      if def.invalid_at_validate then raise(table.unpack(def.invalid_at_validate)) end
    end}
  end
  function m.store()
    local store = {}
    function store.register(_, name)
      m.registered[#m.registered + 1] = type(name) == "table" and name.name or name
    end
    function store.instantiate(_, mod)
      mod.validate()
      if mod.def.instantiate_error then raise(table.unpack(mod.def.instantiate_error)) end
      local exports = {}
      for k, v in pairs(mod.def.exports or {}) do exports[k] = v end
      exports.g = {get = function() return 7 end, get_bits = function() return 0x3FC00000 end}
      return {exports = exports, call_bits = function(self, name, ...)
        local f = self.exports[name]
        if not f then raise("usage", "no export " .. name) end
        return f(...)
      end}
    end
    return store
  end
  return m
end

local function v(t, value) return {type = t, value = value} end
local function invoke(field, args, module) return {type = "invoke", field = field, args = args or {}, module = module} end

-- Write a wast2json-shaped script into dir; returns its path.
local function write_script(dir, commands)
  local modules = {}
  for _, cmd in ipairs(commands) do
    if cmd.tag then
      cmd.filename = ("script.%d.wasm"):format(#modules)
      modules[#modules + 1] = cmd.filename
      write(dir .. "/" .. cmd.filename, "tag:" .. cmd.tag)
      cmd.tag = nil
    end
  end
  local path = dir .. "/script.json"
  write(path, cjson.encode({source_filename = "script.wast", commands = commands}))
  return path
end

describe("moonwasm.wast helpers", function()
  it("parses u64 decimal strings into wrapped int64 bit patterns", function()
    assert.equal(0, wast.parse_integer("0"))
    assert.equal(4294967295, wast.parse_integer("4294967295"))
    assert.equal(math.maxinteger, wast.parse_integer("9223372036854775807"))
    assert.equal(math.mininteger, wast.parse_integer("9223372036854775808"))
    assert.equal(-1, wast.parse_integer("18446744073709551615"))
    assert.equal(0x7FF8000000000001 | math.mininteger, wast.parse_integer("18444492273895866369"))
    assert.equal("integer", math.type(wast.parse_integer("18446744073709551615")))
    assert.equal(-5, wast.parse_integer("-5"))
    assert.has_error(function() wast.parse_integer("1.5") end)
  end)

  it("escapes XML special and control characters", function()
    assert.equal("a&amp;b&lt;c&gt;&quot;&apos;", wast.xml_escape([[a&b<c>"']]))
    assert.equal("x\\x01y&#10;", wast.xml_escape("x\1y\n"))
    assert.equal("bad\\xFF", wast.xml_escape("bad\255"))
    assert.equal("é", wast.xml_escape("é"))
    assert.equal("\\uFFFF", wast.xml_escape(utf8.char(0xFFFF)))
  end)

  it("formats failures on one line with file:line", function()
    local line = wast.failure_line({file = "a.wast", line = 12, command = "assert_return x",
                                    expected = "(i32 1)", got = "trap \"x\ny\""})
    assert.equal('a.wast:12: assert_return x: expected (i32 1), got trap "x\\ny"', line)
    assert.is_nil(line:find("\n"))
  end)
end)

describe("moonwasm.wast commands (mock runtime)", function()
  local dir
  before_each(function() dir = temp_dir() end)
  after_each(function() remove_tree(dir) end)

  local function run(commands, opts)
    opts = opts or {}
    opts.moonwasm = opts.moonwasm or mock_moonwasm()
    return wast.run(write_script(dir, commands), opts)
  end

  local function failure_at(summary, line)
    for _, f in ipairs(summary.failures) do if f.line == line then return f end end
  end

  it("passes matching results and reports mismatches with file:line", function()
    local s = run({
      {type = "module", line = 1, tag = "math"},
      {type = "assert_return", line = 2, action = invoke("add", {v("i32", "4294967295"), v("i32", "2")}),
       expected = {v("i32", "1")}},
      {type = "assert_return", line = 3, action = invoke("add", {v("i32", "1"), v("i32", "1")}),
       expected = {v("i32", "3")}},
      {type = "assert_return", line = 4, action = invoke("id", {v("i64", "18446744073709551615")}),
       expected = {v("i64", "18446744073709551615")}},
      {type = "assert_return", line = 5, action = invoke("two"), expected = {v("i32", "1"), v("i32", "2")}},
      {type = "assert_return", line = 6, action = invoke("two"), expected = {v("i32", "1")}},
    })
    assert.same({4, 2, 0}, {s.passed, s.failed, s.skipped})
    local f = failure_at(s, 3)
    assert.equal("script.wast", f.file)
    assert.equal("(i32 3)", f.expected)
    assert.equal("(i32 2)", f.got)
    assert.truthy(wast.failure_line(f):find("^script%.wast:3: assert_return invoke \"add\""))
    assert.truthy(failure_at(s, 6))
  end)

  it("compares floats by bits and NaNs by pattern", function()
    local s = run({
      {type = "module", line = 1, tag = "math"},
      {type = "assert_return", line = 2, action = invoke("id", {v("f32", "2143289344")}), expected = {v("f32", "2143289344")}},
      {type = "assert_return", line = 3, action = invoke("nan"), expected = {v("f32", "nan:canonical")}},
      {type = "assert_return", line = 4, action = invoke("neg_nan"), expected = {v("f32", "nan:canonical")}},
      {type = "assert_return", line = 5, action = invoke("nan_payload"), expected = {v("f32", "nan:arithmetic")}},
      {type = "assert_return", line = 6, action = invoke("nan_payload"), expected = {v("f32", "nan:canonical")}},
      {type = "assert_return", line = 7, action = invoke("id", {v("f64", "9221120237041090561")}),
       expected = {v("f64", "nan:arithmetic")}},
      {type = "assert_return", line = 8, action = invoke("id", {v("f64", "9218868437227405313")}),
       expected = {v("f64", "nan:arithmetic")}},             -- signalling NaN: not arithmetic
      {type = "assert_return", line = 9, action = invoke("id", {v("f64", "9223372036854775808")}),
       expected = {v("f64", "0")}},                          -- -0 is not +0
    })
    assert.same({6, 3}, {s.passed, s.failed})
    assert.truthy(failure_at(s, 6)); assert.truthy(failure_at(s, 8)); assert.truthy(failure_at(s, 9))
    assert.truthy(failure_at(s, 9).got:find("0x8000000000000000", 1, true))
  end)

  it("keeps externref identity per N and checks ref patterns", function()
    local s = run({
      {type = "module", line = 1, tag = "math"},
      {type = "assert_return", line = 2, action = invoke("id", {v("externref", "1")}), expected = {v("externref", "1")}},
      {type = "assert_return", line = 3, action = invoke("id", {v("externref", "1")}), expected = {v("externref", "2")}},
      {type = "assert_return", line = 4, action = invoke("id", {v("externref", "null")}), expected = {v("externref", "null")}},
      {type = "assert_return", line = 5, action = invoke("fresh_table"), expected = {{type = "funcref"}}},
      {type = "assert_return", line = 6, action = invoke("fresh_table"), expected = {v("funcref", "null")}},
    })
    assert.same({4, 2}, {s.passed, s.failed})
    assert.truthy(failure_at(s, 3)); assert.truthy(failure_at(s, 6))
  end)

  it("checks error kinds and message prefixes", function()
    local s = run({
      {type = "module", line = 1, tag = "math"},
      {type = "assert_trap", line = 2, action = invoke("div", {v("i32", "1"), v("i32", "0")}), text = "integer divide"},
      {type = "assert_trap", line = 3, action = invoke("div", {v("i32", "1"), v("i32", "0")}), text = "integer overflow"},
      {type = "assert_trap", line = 4, action = invoke("div", {v("i32", "4"), v("i32", "2")}), text = "integer divide by zero"},
      {type = "assert_exhaustion", line = 5, action = invoke("loop"), text = "call stack exhausted"},
      {type = "assert_trap", line = 6, action = invoke("loop"), text = "call stack exhausted"},
      {type = "assert_malformed", line = 7, tag = "broken", text = "unexpected end", module_type = "binary"},
      {type = "assert_malformed", line = 8, tag = "body", text = "illegal opcode", module_type = "binary"},
      {type = "assert_invalid", line = 9, tag = "bad", text = "type mismatch", module_type = "binary"},
      {type = "assert_invalid", line = 10, tag = "body", text = "illegal opcode", module_type = "binary"},
      {type = "assert_malformed", line = 11, tag = "math", text = "unexpected end", module_type = "binary"},
      {type = "assert_unlinkable", line = 12, tag = "unlinkable", text = "unknown import", module_type = "binary"},
      {type = "assert_uninstantiable", line = 13, tag = "start_trap", text = "unreachable", module_type = "binary"},
      {type = "assert_trap", line = 14, tag = "start_trap", text = "unreachable", module_type = "binary"},
      {type = "assert_unlinkable", line = 15, tag = "start_trap", text = "unreachable", module_type = "binary"},
    })
    assert.same({9, 6}, {s.passed, s.failed})
    assert.equal('trap "integer overflow"', failure_at(s, 3).expected)
    assert.equal('trap "integer divide by zero"', failure_at(s, 3).got)
    assert.truthy(failure_at(s, 4).got:find("^return"))
    assert.equal('exhaustion "call stack exhausted"', failure_at(s, 6).got)
    assert.equal('malformed "illegal opcode"', failure_at(s, 10).got)   -- kind recorded
    assert.equal("success", failure_at(s, 11).got)
    assert.truthy(failure_at(s, 15))
  end)

  it("skips text modules with a reason and never aborts on errors", function()
    local s = run({
      {type = "assert_malformed", line = 1, filename = "x.wat", module_type = "text", text = "unknown operator"},
      {type = "assert_invalid", line = 2, filename = "y.wat", module_type = "text", text = "type mismatch"},
      {type = "module", line = 3, tag = "math", name = "$M"},
      {type = "assert_return", line = 4, action = invoke("bug"), expected = {}},
      {type = "assert_return", line = 5, action = invoke("missing"), expected = {}},
      {type = "frobnicate", line = 6},
      {type = "register", line = 7, name = "$M", as = "m"},
      {type = "assert_return", line = 8, action = invoke("add", {v("i32", "1"), v("i32", "2")}, "$M"),
       expected = {v("i32", "3")}},
      {type = "assert_return", line = 9, action = {type = "get", field = "g"}, expected = {v("f32", "1069547520")}},
      {type = "assert_return", line = 10, action = {type = "get", field = "g"}, expected = {v("i32", "7")}},
      {type = "module", line = 11, tag = "start_trap"},
      {type = "assert_return", line = 12, action = invoke("add", {v("i32", "1"), v("i32", "2")}),
       expected = {v("i32", "3")}},
    })
    assert.same({5, 4, 3}, {s.passed, s.failed, s.skipped})
    assert.truthy(s.files[1].skips[1].reason:find("text"))
    assert.truthy(failure_at(s, 4).got:find("attempt to index a nil value", 1, true))
    assert.truthy(failure_at(s, 5).got:find("usage"))
    -- a failed module makes later actions fail, not run against the old one
    assert.truthy(failure_at(s, 12).got:find("did not instantiate", 1, true))
  end)

  it("registers spectest and named modules in the store", function()
    local mock = mock_moonwasm()
    run({
      {type = "module", line = 1, tag = "math", name = "$M"},
      {type = "register", line = 2, name = "$M", as = "m"},
      {type = "register", line = 3, as = "last"},
    }, {moonwasm = mock})
    assert.same({"spectest", "m", "last"}, mock.registered)
  end)

  it("reports a script that is not JSON as one failure", function()
    write(dir .. "/junk.json", "not json")
    local s = wast.run(dir .. "/junk.json", {moonwasm = mock_moonwasm()})
    assert.same({0, 1}, {s.passed, s.failed})
  end)
end)

describe("moonwasm wast on real .wast files", function()
  local dir
  before_each(function() dir = temp_dir() end)
  after_each(function() remove_tree(dir) end)

  local SAMPLE = [[
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_malformed (module quote "(func") "unexpected end")
]]

  local function sample()
    write(dir .. "/sample.wast", SAMPLE)
    return dir .. "/sample.wast"
  end

  it("reports a deliberately failing assertion with file:line", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    -- read natively: the module quote runs too (wast2json skips it)
    local s = wast.run(sample(), {})
    assert.same({4, 1, 0}, {s.passed, s.failed, s.skipped})
    local f = s.failures[1]
    assert.equal(5, f.line)
    assert.equal(dir .. "/sample.wast", f.file)
    assert.equal("(i32 5)", f.expected)
    assert.equal("(i32 4)", f.got)
  end)

  it("runs a file written for Wasm 2.0 under 2.0 rules when the 3.0 defaults fail it", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    -- Wasm 2.0: a constant expression reads only imported globals, and a
    -- lane index above 255 is a "malformed lane index"; 3.0 accepts the
    -- first and reads the second as an i8.
    local older = [[
(assert_invalid (module (global i32 (i32.const 1)) (global i32 (global.get 0))) "unknown global")
(assert_malformed (module quote "(func (result i32) (i32x4.extract_lane 256 (v128.const i32x4 0 0 0 0)))") "malformed lane index")
]]
    write(dir .. "/older.wast", older)
    local s = wast.run(dir .. "/older.wast", {record = true})
    assert.same({2, 0, 0}, {s.passed, s.failed, s.skipped})
    assert.equal("2.0", s.files[1].edition)
    assert.equal(2, #s.files[1].results) -- only the counted run's results
    -- Given features, the runner keeps to them: both assertions fail in 3.0.
    s = wast.run(dir .. "/older.wast", {config = require("moonwasm").config()})
    assert.same({0, 2}, {s.passed, s.failed})
    assert.is_nil(s.files[1].edition)
    -- A file that fails in both editions reports its default (3.0) run.
    write(dir .. "/both.wast", older .. "(assert_return (invoke \"nothing\"))\n")
    s = wast.run(dir .. "/both.wast", {})
    assert.same({0, 3}, {s.passed, s.failed})
    assert.is_nil(s.files[1].edition)
    assert.same({1, 2, 3}, {s.failures[1].line, s.failures[2].line, s.failures[3].line})
  end)

  it("runs a proposal folder's file under the edition the proposal forked from", function()
    if not have_binding() then pending("needs the moonwasm binding") return end
    -- proposals/memory64 forked from Wasm 1.0: an i64 memory, and the
    -- data count section id is malformed there.
    local text = [[
(module (memory i64 1))
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\0c\00") "malformed section id")
]]
    lfs.mkdir(dir .. "/proposals")
    lfs.mkdir(dir .. "/proposals/memory64")
    write(dir .. "/proposals/memory64/old.wast", text)
    local s = wast.run(dir .. "/proposals/memory64/old.wast", {})
    assert.same({2, 0, 0}, {s.passed, s.failed, s.skipped})
    assert.equal("1.0+memory64", s.files[1].edition)
    -- Outside a proposal folder it is a 3.0 (or 2.0) file: the assertion fails.
    write(dir .. "/old.wast", text)
    s = wast.run(dir .. "/old.wast", {})
    assert.same({1, 1}, {s.passed, s.failed})
    assert.is_nil(s.files[1].edition)
  end)

  it("reads the text modules wast2json leaves as .wat files", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    -- the module quote of SAMPLE runs (it used to be skipped on this path)
    local s = wast.run(sample(), {wast2json = "wast2json"})
    assert.same({4, 1, 0}, {s.passed, s.failed, s.skipped})
  end)

  it("cleans up its temporary directory", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    local before = {}
    for e in lfs.dir("/tmp") do before[e] = true end
    wast.run(sample(), {})
    for e in lfs.dir("/tmp") do
      if not before[e] and e:match("^lua_") then
        assert.is_nil(lfs.attributes("/tmp/" .. e .. "/sample.json"), "left behind /tmp/" .. e)
      end
    end
  end)

  it("reports a file wast2json rejects as failed, or skipped on request", function()
    write(dir .. "/bad.wast", "(module (func (i32.bogus)))")
    local s = wast.run(dir .. "/bad.wast", {moonwasm = mock_moonwasm(), wast2json = "wast2json"})
    assert.same({0, 1}, {s.passed, s.failed})
    assert.truthy(s.failures[1].got:find("wast2json"))
    s = wast.run(dir .. "/bad.wast", {moonwasm = mock_moonwasm(), skip_unconvertible = true,
                                      wast2json = "wast2json"})
    assert.same({0, 0, 1}, {s.passed, s.failed, s.skipped})
  end)

  it("writes well-formed TAP and JUnit", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    local cli = require("moonwasm.cli")
    local path = sample()
    local junit = dir .. "/report.xml"
    local out_path = dir .. "/tap.txt"
    local out = assert(io.open(out_path, "w"))
    local err = assert(io.open(dir .. "/err.txt", "w"))
    local status = cli.main({"wast", "--tap", "--no-progress", "--junit", junit, path},
                            {stdout = out, stderr = err, getenv = function() return nil end})
    out:close(); err:close()
    assert.equal(1, status)
    local tap = read(out_path)
    local lines = {}
    for l in tap:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal("TAP version 13", lines[1])
    local plan = tap:match("\n1%.%.(%d+)\n")
    assert.equal("5", plan)
    local oks, not_oks, skips = 0, 0, 0
    for _, l in ipairs(lines) do
      if l:match("^ok %d+ ") then oks = oks + 1 end
      if l:match("^not ok %d+ ") then not_oks = not_oks + 1 end
      if l:match("# SKIP ") then skips = skips + 1 end
    end
    assert.same({4, 1, 0}, {oks, not_oks, skips})
    assert.truthy(tap:find("not ok %d+ %- [^\n]*sample%.wast:5 assert_return"))
    assert.truthy(tap:find("\n  %-%-%-\n  expected: \"%(i32 5%)\"\n  got: \"%(i32 4%)\"\n"))

    local doc = parse_xml(read(junit))
    assert.equal(1, #doc)
    local suites = doc[1]
    assert.equal("testsuites", suites.name)
    assert.same({"5", "1", "0"}, {suites.attrs.tests, suites.attrs.failures, suites.attrs.skipped})
    local suite = suites.children[1]
    assert.equal("testsuite", suite.name)
    assert.equal(5, #suite.children)
    local failures = 0
    for _, case in ipairs(suite.children) do
      assert.equal("testcase", case.name)
      for _, child in ipairs(case.children) do
        if child.name == "failure" then
          failures = failures + 1
          assert.truthy(child.attrs.message:find("expected (i32 5)", 1, true))
        end
      end
    end
    assert.equal(1, failures)
  end)

  it("runs the project's own .wast suite without failures", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    local s = wast.run(ROOT .. "/tests/wast", {})
    local lines = {}
    for _, f in ipairs(s.failures) do lines[#lines + 1] = wast.failure_line(f) end
    assert.equal("", table.concat(lines, "\n"))
    assert.truthy(s.passed > 200)
  end)
end)

describe("moonwasm command line", function()
  local script = ROOT .. "/scripts/moonwasm"

  local function sh(cmd)
    local p = io.popen(cmd .. " 2>&1; echo \"exit=$?\"")
    local text = p:read("a")
    p:close()
    local status = tonumber(text:match("exit=(%d+)\n$"))
    return text:gsub("exit=%d+\n$", ""), status
  end

  it("prints help and exits 0", function()
    for _, args in ipairs{"--help", "wast --help", "inspect --help", "call --help", "run --help"} do
      local text, status = sh(script .. " " .. args)
      assert.equal(0, status, args)
      assert.truthy(text:find("Usage: moonwasm"), args)
    end
  end)

  it("reports user mistakes on one line without a traceback", function()
    for _, args in ipairs{"", "frob", "wast", "wast --bogus x", "wast /nonexistent.wast",
                          "inspect /nonexistent.wasm", "call"} do
      local text, status = sh(script .. " " .. args)
      assert.is_true(status ~= 0, args)
      assert.equal(1, select(2, text:gsub("\n", "")), args .. ": " .. text)
      assert.truthy(text:find("^moonwasm"), args)
      assert.is_nil(text:find("traceback"), args)
    end
  end)

  it("inspects and calls a module", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    local dir = temp_dir()
    write(dir .. "/m.wat", [[(module
      (import "spectest" "print_i32" (func (param i32)))
      (memory (export "mem") 1)
      (func (export "sub") (param i32 i64) (result i64)
        (i64.sub (i64.extend_i32_s (local.get 0)) (local.get 1)))
      (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5))))]])
    local _, built = sh("wat2wasm " .. dir .. "/m.wat -o " .. dir .. "/m.wasm")
    assert.equal(0, built)
    local text, status = sh(script .. " inspect " .. dir .. "/m.wasm")
    assert.equal(0, status)
    assert.truthy(text:find('(import "spectest" "print_i32" (func (param i32)))', 1, true))
    assert.truthy(text:find('(export "sub" (func (param i32 i64) (result i64)))', 1, true))
    assert.truthy(text:find('(export "mem" (memory 1))', 1, true))
    text, status = sh(script .. " call " .. dir .. "/m.wasm sub -5 -7")
    assert.same({"2\n", 0}, {text, status})
    text, status = sh(script .. " call " .. dir .. "/m.wasm half -inf")
    assert.same({"-inf\n", 0}, {text, status})
    text, status = sh(script .. " call " .. dir .. "/m.wasm half x")
    assert.equal(2, status)
    assert.truthy(text:find("^moonwasm: argument \"x\" is not a number"))
    remove_tree(dir)
  end)

  it("ends `wast` output with the summed counts line", function()
    if not have_binding() then pending("needs the moonwasm binding and wast2json") return end
    local text, status = sh(script .. " wast --no-progress " .. ROOT .. "/tests/wast/sign_extension.wast")
    assert.equal(0, status)
    assert.truthy(text:find("\n%d+ passed, 0 failed, %d+ skipped\n$"))
  end)
end)
