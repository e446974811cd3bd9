--- Runner for WebAssembly spec tests (`.wast` scripts).
--
-- A `.wast` file is converted by wabt's `wast2json` into a JSON command list
-- plus one `.wasm` file per module; this module runs those commands against
-- moonwasm and compares the outcomes the way the spec's reference
-- interpreter does (interpreter/script/run.ml): an error must be of the
-- expected kind, and the expected text must be a prefix of our message.
--
-- Each file runs in a fresh store with the `spectest` host module
-- registered; `register` commands make an instance's exports importable by
-- the modules that follow.  Every command counts as one test: it passes,
-- fails, or is skipped with a reason (text-format modules, which only the
-- reference interpreter can parse).
--
--    local wast = require "moonwasm.wast"
--    local summary = wast.run({"tests/wast"}, {})
--    print(summary.passed, summary.failed, summary.skipped)
--
-- @module moonwasm.wast

local wast = {}

local cjson_ok, cjson = pcall(require, "cjson")
local lfs_ok, lfs = pcall(require, "lfs")

local ALL_32 = 0xFFFFFFFF
-- Quiet-NaN masks: a canonical NaN has exactly these bits besides the sign;
-- an arithmetic NaN has at least them.
local F32_CANONICAL = 0x7FC00000
local F64_CANONICAL = 0x7FF8000000000000

------------------------------------------------------------------------------
-- Numbers and values
------------------------------------------------------------------------------

--- Parse a decimal integer string into a Lua integer, wrapping modulo 2^64.
-- wast2json writes every value as an unsigned decimal string (u32 for i32
-- and f32 bits, u64 for i64 and f64 bits); values at or above 2^63 must
-- become the int64 with the same bits, which `tonumber` would turn into an
-- inexact float instead.
-- @tparam string text digits, optionally preceded by "-"
-- @treturn integer
function wast.parse_integer(text)
  local sign, digits = tostring(text):match("^(%-?)(%d+)$")
  if not digits then
    error(("not a decimal integer: %q"):format(tostring(text)), 0)
  end
  local n = 0
  for i = 1, #digits do
    n = n * 10 + (digits:byte(i) - 48)   -- integer arithmetic wraps
  end
  if sign == "-" then n = -n end
  return n
end
local parse_integer = wast.parse_integer

local function f32_from_bits(bits)
  return (string.unpack("<f", string.pack("<I4", bits & ALL_32)))
end

local function f64_from_bits(bits)
  return (string.unpack("<d", string.pack("<i8", bits)))
end

local function format_float(x, digits)
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" end
  if x == -math.huge then return "-inf" end
  return ("%." .. digits .. "g"):format(x)
end

local function to_i32(n) -- signed view of the low 32 bits
  n = n & ALL_32
  return n >= 0x80000000 and n - 0x100000000 or n
end

-- Lane layout of a v128 for each lane type: string.pack format, lane count.
local LANES = {
  i8 = {"<I1", 16, 0xFF}, i16 = {"<I2", 8, 0xFFFF}, i32 = {"<I4", 4, ALL_32},
  i64 = {"<i8", 2, -1}, f32 = {"<I4", 4, ALL_32}, f64 = {"<i8", 2, -1},
}

--- Per-run state for `ref.extern N`: the same Lua table for the same N, so
-- that identity survives a round trip through wasm.
local function extern_cache()
  local cache = {}
  return function(n)
    local ref = cache[n]
    if not ref then
      ref = setmetatable({}, {__name = "spectest.externref",
                              __tostring = function() return "ref.extern " .. n end})
      cache[n] = ref
    end
    return ref
  end
end

-- Convert one JSON argument to the value `call_bits` takes.
local function argument_value(arg, externs)
  local t, v = arg.type, arg.value
  if t == "i32" or t == "i64" or t == "f32" or t == "f64" then
    return parse_integer(v)
  elseif t == "externref" then
    if v == "null" or v == nil then return nil end
    return externs(parse_integer(v))
  elseif t == "funcref" then
    if v == "null" or v == nil then return nil end
    error("funcref arguments other than null are not supported", 0)
  elseif type(t) == "string" and t:match("ref$") and v == "null" then
    return nil -- (ref.null any), (ref.null exn), ...
  elseif t == "v128" then
    local layout = LANES[arg.lane_type]
    if not layout or type(v) ~= "table" or #v ~= layout[2] then
      error("bad v128 argument", 0)
    end
    local parts = {}
    for i = 1, layout[2] do
      local lane = parse_integer(v[i])
      if layout[3] ~= -1 then lane = lane & layout[3] end
      parts[i] = string.pack(layout[1], lane)
    end
    return table.concat(parts)
  end
  error(("unsupported argument type %q"):format(tostring(t)), 0)
end

-- Text for an expected value (from the JSON).
local function expected_text(e)
  local t, v = e.type, e.value
  if t == "either" then
    local alts = {}
    for i, alt in ipairs(e.values or {}) do alts[i] = expected_text(alt) end
    return "either(" .. table.concat(alts, " | ") .. ")"
  elseif t == "i32" then
    return "i32 " .. to_i32(parse_integer(v))
  elseif t == "i64" then
    return "i64 " .. parse_integer(v)
  elseif t == "f32" or t == "f64" then
    if type(v) == "string" and v:match("^nan:") then return t .. " " .. v end
    local bits = parse_integer(v)
    if t == "f32" then
      return ("f32 %s (0x%08x)"):format(format_float(f32_from_bits(bits), 9), bits & ALL_32)
    end
    return ("f64 %s (0x%016x)"):format(format_float(f64_from_bits(bits), 17), bits)
  elseif t == "externref" or t == "funcref" then
    if v == "null" then return "ref.null " .. t:sub(1, 4) end
    if t == "funcref" then return "ref.func" end
    if v == nil then return "ref.extern" end
    return "ref.extern " .. v
  elseif t == "v128" then
    return ("v128 %s %s"):format(tostring(e.lane_type),
      table.concat(type(v) == "table" and v or {}, " "))
  end
  return tostring(t) .. " " .. tostring(v)
end

-- Text for a value we got back, shown in the type we expected (if known).
local function got_text(value, expected_type)
  local mt = math.type(value)
  if expected_type == "i32" and mt == "integer" then
    return "i32 " .. to_i32(value)
  elseif expected_type == "i64" and mt == "integer" then
    return "i64 " .. value
  elseif expected_type == "f32" and mt == "integer" then
    return ("f32 %s (0x%08x)"):format(format_float(f32_from_bits(value), 9), value & ALL_32)
  elseif expected_type == "f64" and mt == "integer" then
    return ("f64 %s (0x%016x)"):format(format_float(f64_from_bits(value), 17), value)
  elseif value == nil then
    return "ref.null"
  elseif type(value) == "string" and #value == 16 then
    local hex = value:gsub(".", function(c) return ("%02x"):format(c:byte()) end)
    return "v128 0x" .. hex
  elseif mt then
    return mt .. " " .. tostring(value)
  end
  return tostring(value)
end

local function nan_matches(pattern, bits, width)
  local canonical = width == 32 and F32_CANONICAL or F64_CANONICAL
  local magnitude = width == 32 and (bits & 0x7FFFFFFF) or (bits & 0x7FFFFFFFFFFFFFFF)
  if pattern == "nan:canonical" then
    return magnitude == canonical
  elseif pattern == "nan:arithmetic" then
    return magnitude & canonical == canonical
  end
  return false
end

local function float_matches(expected_value, got, width)
  if math.type(got) ~= "integer" then return false end
  if width == 32 and (got < 0 or got > ALL_32) then return false end
  if type(expected_value) == "string" and expected_value:match("^nan:") then
    return nan_matches(expected_value, got, width)
  end
  local bits = parse_integer(expected_value)
  if width == 32 then return bits & ALL_32 == got end
  return bits == got
end

local function v128_matches(e, got)
  local layout = LANES[e.lane_type]
  if type(got) ~= "string" or #got ~= 16 or not layout then return false end
  local pos = 1
  for i = 1, layout[2] do
    local lane
    lane, pos = string.unpack(layout[1], got, pos)
    local want = e.value[i]
    if e.lane_type == "f32" then
      if not float_matches(want, lane, 32) then return false end
    elseif e.lane_type == "f64" then
      if not float_matches(want, lane, 64) then return false end
    elseif layout[3] ~= -1 then
      if parse_integer(want) & layout[3] ~= lane then return false end
    elseif parse_integer(want) ~= lane then
      return false
    end
  end
  return true
end

-- Does one result match one expected value?  Mirrors assert_result in the
-- reference interpreter.
local function result_matches(e, got, externs)
  local t, v = e.type, e.value
  if t == "either" then
    for _, alt in ipairs(e.values or {}) do
      if result_matches(alt, got, externs) then return true end
    end
    return false
  elseif t == "i32" then
    return math.type(got) == "integer" and got & ALL_32 == parse_integer(v) & ALL_32
  elseif t == "i64" then
    return math.type(got) == "integer" and got == parse_integer(v)
  elseif t == "f32" then
    return float_matches(v, got, 32)
  elseif t == "f64" then
    return float_matches(v, got, 64)
  elseif t == "ref" then
    -- (ref.func) (ref.extern) (ref.any) (ref.struct) ...: any non-null
    -- reference of that kind; opaque GC references cannot be told apart
    -- further from Lua.
    return got ~= nil
  elseif type(t) == "string" and t:match("ref$") and t ~= "externref" and t ~= "funcref" then
    -- (ref.null any), (ref.null none), ...: the native reader's null of
    -- another heap type
    if v == "null" then return got == nil end
    return got ~= nil
  elseif t == "externref" or t == "funcref" then
    if v == "null" then return got == nil end
    -- (ref.extern) without a number, and any funcref: wast2json writes
    -- `(ref.func)` with a function index we cannot map, so any function
    -- object matches.
    if v == nil or t == "funcref" then return got ~= nil end
    return rawequal(got, externs(parse_integer(v)))
  elseif t == "v128" then
    return v128_matches(e, got)
  end
  return false
end

------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------

-- One line, printable: failures must stay on a single line.
local function one_line(s)
  s = tostring(s)
  return (s:gsub("[%c]", function(c)
    if c == "\n" then return "\\n" elseif c == "\t" then return " " end
    return ("\\x%02x"):format(c:byte())
  end))
end

-- Kind and message of anything raised: moonwasm error objects carry both;
-- anything else (a string, a runner bug) is kind "lua".
local function classify(err)
  if type(err) == "table" and type(err.kind) == "string" then
    return err.kind, tostring(err.message or err)
  end
  return "lua", tostring(err)
end

local function error_text(err)
  local kind, message = classify(err)
  return ("%s %q"):format(kind, one_line(message))
end

-- The reference's assert_message: the expected text is a prefix of ours.
local function message_matches(message, expected)
  expected = expected or ""
  return message:sub(1, #expected) == expected
end

------------------------------------------------------------------------------
-- Running one JSON script
------------------------------------------------------------------------------

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then error(err, 0) end
  local data = f:read("a")
  f:close()
  return data
end

local function join(dir, name)
  if dir == "" or dir == "." then return name end
  return dir .. "/" .. name
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function quote_string(s)
  return ('"%s"'):format(one_line(s):gsub('"', '\\"'))
end

-- Short text for a command: `assert_return invoke "add" (i32 1, i32 2)`.
local function describe_action(action)
  if not action then return "" end
  local target = action.module and (action.module .. " ") or ""
  if action.type == "get" then
    return ("get %s%s"):format(target, quote_string(action.field or ""))
  end
  local args = {}
  for i, a in ipairs(action.args or {}) do args[i] = expected_text(a) end
  local text = ("invoke %s%s (%s)"):format(target, quote_string(action.field or ""),
                                           table.concat(args, ", "))
  if #text > 160 then text = text:sub(1, 157) .. "..." end
  return text
end

local function describe(cmd)
  local t = cmd.type
  if cmd.action then
    return t .. " " .. describe_action(cmd.action)
  elseif t == "module" then
    return "module" .. (cmd.name and (" " .. cmd.name) or "")
  elseif t == "register" then
    return ("register %s as %q"):format(cmd.name or "(last module)", cmd.as or "")
  end
  return t .. (cmd.filename and (" " .. cmd.filename) or "")
end

--- The state of one script: a store, its modules and instances.
local Script = {}
-- Stands in for a module that failed (or was skipped): later commands that
-- use it fail with this reason instead of running against another module.
local FailedModule = {__name = "wast.FailedModule"}
local function failed_module(line) return setmetatable({line = line or 0}, FailedModule) end
Script.__index = Script

-- The 2023 proposal folders of the testsuite (proposals/<name>/) were
-- written before Wasm 3.0 settled a few rules differently; a file found
-- under one runs with the features of its proposal's day, unless the
-- caller gives a config.  extended-const: constant expressions see only
-- imported globals (Wasm 3.0 lets them read any earlier global).
local proposal_features = {
  ["extended-const"] = {const_globals = false},
  ["multi-memory"] = {const_globals = false, memory64 = false},
  ["memory64"] = {const_globals = false, multi_memory = false},
}

local function script_config(wasm, path, opts)
  if opts.config or not path then return opts.config end
  local name = path:match("proposals/([^/]+)/[^/]*$")
  local features = name and proposal_features[name]
  return features and wasm.config{features = features} or nil
end

local function new_script(wasm, spectest, json_dir, opts, path)
  local config = script_config(wasm, path, opts)
  local store = wasm.store(config)
  store:register(spectest.import_object(wasm, {output = opts.spectest_output or false}))
  return setmetatable({
    wasm = wasm,
    store = store,
    dir = json_dir,
    instances = {},   -- "$name" -> instance or FailedModule
    current = nil,    -- the last module defined
    config = config,  -- modules are decoded with it too
    externs = extern_cache(),
    definitions = {}, -- "$name" -> module (module definition)
    features = opts.features,
    aot = opts.aot,   -- {cc=, opt=, cache=}: compile each module to native code
  }, Script)
end

-- A module of a command: a wast2json file name, or (native reader) a table
-- with the binary inline (`wasm`), the text of a `module quote` (`quote`),
-- or the error of a text module that did not parse (`error_kind`, `error`).
function Script:load(m)
  if type(m) == "table" then
    if m.error_kind then error(self.wasm.error(m.error_kind, m.error), 0) end
    if m.quote then
      return self.wasm.load(self.wasm.wat(m.quote, self.config or self.features), self.config)
    end
    if m.wasm then return self.wasm.load(m.wasm, self.config) end
    m = m.filename
  end
  return self.wasm.load(read_file(join(self.dir, m)), self.config)
end

function Script:instantiate(m)
  local mod = self:load(m)
  if self.aot then self.wasm.compile(mod, self.aot) end
  return self.store:instantiate(mod, {})
end

function Script:instance(name)
  local inst
  if name then
    inst = self.instances[name]
    if inst == nil then error(("unknown module %s"):format(name), 0) end
  else
    inst = self.current
    if inst == nil then error("no module defined", 0) end
  end
  if getmetatable(inst) == FailedModule then
    error(("module %sdid not instantiate (line %d)"):format(name and (name .. " ") or "",
                                                          inst.line), 0)
  end
  return inst
end

-- Run an action; returns a packed result list.  Raises what the call raises.
function Script:action(action, expected)
  local inst = self:instance(action.module)
  if action.type == "invoke" then
    local args, n = {}, 0
    for i, a in ipairs(action.args or {}) do
      args[i] = argument_value(a, self.externs)
      n = i
    end
    return table.pack(inst:call_bits(action.field, table.unpack(args, 1, n)))
  elseif action.type == "get" then
    local g = inst.exports[action.field]
    if g == nil then error(("undefined export %q"):format(action.field), 0) end
    local t = expected and expected[1] and expected[1].type
    if t == "f32" or t == "f64" then
      return table.pack(g:get_bits())
    end
    return table.pack(g:get())
  end
  error(("unknown action type %q"):format(tostring(action.type)), 0)
end

local function results_text(results, expected)
  local parts = {}
  for i = 1, results.n do
    parts[i] = got_text(results[i], expected and expected[i] and expected[i].type)
  end
  return "(" .. table.concat(parts, ", ") .. ")"
end

local function expected_list_text(expected)
  local parts = {}
  for i, e in ipairs(expected or {}) do parts[i] = expected_text(e) end
  return "(" .. table.concat(parts, ", ") .. ")"
end

-- Each handler returns status ("pass"/"fail"/"skip"), and for a failure
-- the expected and got texts, for a skip the reason.
local handlers = {}

function handlers.register(script, cmd)
  script.store:register(cmd.as, script:instance(cmd.name))
  return "pass"
end

function handlers.action(script, cmd)
  local ok, err = pcall(script.action, script, cmd.action, cmd.expected)
  if not ok then return "fail", "no error", error_text(err) end
  return "pass"
end

function handlers.assert_return(script, cmd)
  local expected = cmd.expected or {}
  -- `(either r1 r2 ...)` for a single result: wast2json writes the
  -- alternatives as the command's "either" list instead of "expected".
  if cmd.either and not cmd.expected then
    expected = {{type = "either", values = cmd.either}}
  end
  local ok, results = pcall(script.action, script, cmd.action, expected)
  if not ok then
    return "fail", expected_list_text(expected), error_text(results)
  end
  local same = results.n == #expected
  for i = 1, #expected do
    if not same then break end
    same = result_matches(expected[i], results[i], script.externs)
  end
  if same then return "pass" end
  return "fail", expected_list_text(expected), results_text(results, expected)
end

-- Shared by the assertions that expect an error: `run` raises it.
local function expect_error(kinds, text, run, ...)
  local ok, result = pcall(run, ...)
  local want = ("%s %q"):format(table.concat(kinds, "|"), text or "")
  if ok then
    local got = type(result) == "table" and result.n and ("return " .. results_text(result))
                or "success"
    return "fail", want, got
  end
  local kind, message = classify(result)
  local kind_ok = false
  for _, k in ipairs(kinds) do kind_ok = kind_ok or k == kind end
  if kind_ok and message_matches(message, text) then return "pass" end
  return "fail", want, error_text(result)
end

function handlers.assert_trap(script, cmd)
  if cmd.action then
    return expect_error({"trap"}, cmd.text, script.action, script, cmd.action)
  end
  -- (assert_trap (module ...)): instantiation runs the start function or
  -- initialises segments, and traps.
  return expect_error({"trap", "uninstantiable"}, cmd.text, script.instantiate,
                      script, cmd.module or cmd)
end

function handlers.assert_exhaustion(script, cmd)
  return expect_error({"exhaustion"}, cmd.text, script.action, script, cmd.action)
end

function handlers.assert_uninstantiable(script, cmd)
  return expect_error({"trap", "uninstantiable"}, cmd.text, script.instantiate,
                      script, cmd.module or cmd)
end

function handlers.assert_unlinkable(script, cmd)
  return expect_error({"unlinkable"}, cmd.text, script.instantiate, script, cmd.module or cmd)
end

-- wast2json leaves text modules (module quote) as .wat files; a runtime
-- with the text reader (wasm.wat) loads them like any module, one without
-- (a mock, an old build) skips them.
local function text_module_skip(cmd, script)
  if cmd.module_type == "text" and cmd.filename
     and not (script and type(script.wasm.wat) == "function") then
    return "skip", cmd.type .. " of a text-format module (moonwasm runs binary modules only)"
  end
end

function handlers.assert_malformed(script, cmd)
  local skip, why = text_module_skip(cmd, script)
  if skip then return skip, why end
  -- The runtime decodes function bodies while validating, so a malformed
  -- body surfaces from validate(), still with kind "malformed".
  return expect_error({"malformed"}, cmd.text, function()
    script:load(cmd.module or cmd):validate()
  end)
end

function handlers.assert_invalid(script, cmd)
  local skip, why = text_module_skip(cmd, script)
  if skip then return skip, why end
  return expect_error({"invalid"}, cmd.text, function()
    script:load(cmd.module or cmd):validate()
  end)
end

-- Wrap handlers that take module files so text modules are skipped.
for _, name in ipairs{"assert_unlinkable", "assert_uninstantiable", "assert_trap"} do
  local handler = handlers[name]
  handlers[name] = function(script, cmd)
    local skip, why = text_module_skip(cmd, script)
    if skip then return skip, why end
    return handler(script, cmd)
  end
end

-- A module that fails (or is skipped) leaves a failure record as the
-- current module, so later commands on it fail with a clear reason instead
-- of silently running against the previous module.
function handlers.module(script, cmd)
  if cmd.definition then -- (module definition $M ...): decoded, not instantiated
    local ok, mod = pcall(script.load, script, cmd)
    if cmd.name then script.definitions[cmd.name] = ok and mod or false end
    if not ok then return "fail", "module to decode", error_text(mod) end
    return "pass"
  end
  if cmd.instance then -- (module instance $I $M)
    local mod = script.definitions[cmd.module]
    local ok, inst = false, "unknown module definition " .. tostring(cmd.module)
    if mod then ok, inst = pcall(script.store.instantiate, script.store, mod, {}) end
    script.current = ok and inst or failed_module(cmd.line)
    if cmd.name then script.instances[cmd.name] = script.current end
    if not ok then return "fail", "module to instantiate", error_text(inst) end
    return "pass"
  end
  local skip, why = text_module_skip(cmd, script)
  local ok, inst = false, nil
  if not skip then ok, inst = pcall(script.instantiate, script, cmd) end
  script.current = ok and inst or failed_module(cmd.line)
  if cmd.name then script.instances[cmd.name] = script.current end
  if skip then return skip, why end
  if not ok then return "fail", "module to instantiate", error_text(inst) end
  return "pass"
end

-- Commands the native reader reports but moonwasm does not run (thread, wait).
function handlers.skip(_, cmd)
  return "skip", cmd.reason
end

function handlers.assert_exception(script, cmd)
  local ok, result = pcall(script.action, script, cmd.action)
  if ok then return "fail", "exception", "return " .. results_text(result) end
  local kind = classify(result)
  if kind == "exception" then return "pass" end
  return "fail", "exception", error_text(result)
end

------------------------------------------------------------------------------
-- Files, conversion, counting
------------------------------------------------------------------------------

local function new_file_result(name)
  return {file = name, passed = 0, failed = 0, skipped = 0, failures = {},
          skips = {}, results = {}}
end

local function record(summary, fr, result, opts)
  if result.status == "pass" then
    fr.passed = fr.passed + 1
    summary.passed = summary.passed + 1
  elseif result.status == "fail" then
    fr.failed = fr.failed + 1
    summary.failed = summary.failed + 1
    fr.failures[#fr.failures + 1] = result
    summary.failures[#summary.failures + 1] = result
  else
    fr.skipped = fr.skipped + 1
    summary.skipped = summary.skipped + 1
    fr.skips[#fr.skips + 1] = result
  end
  if opts.record then fr.results[#fr.results + 1] = result end
  if opts.reporter and opts.reporter.result then opts.reporter.result(result) end
end

local function load_moonwasm(opts)
  if opts.moonwasm then return opts.moonwasm end
  return require("moonwasm")
end

-- Read a wast2json file.  wabt 1.0.32 writes the expected list of an
-- assert_trap on a multi-result function without commas (`[{..}{..}]`);
-- if strict decoding fails, retry with commas put back between objects.
local function decode_script(json_path)
  local text = read_file(json_path)
  local ok, doc = pcall(cjson.decode, text)
  if ok then return doc end
  local repaired, n = text:gsub("}%s*{", "}, {")
  if n > 0 then
    local ok2, doc2 = pcall(cjson.decode, repaired)
    if ok2 then return doc2 end
  end
  error(doc, 0)
end

-- Message handler for a bug in the runner itself: keep moonwasm errors as
-- they are; for anything else, the message (and with MOONWASM_DEBUG set,
-- the traceback).
local function runner_error(err)
  if classify(err) ~= "lua" or not os.getenv("MOONWASM_DEBUG") then return err end
  return debug.traceback(tostring(err), 2)
end

local run_commands

--- Run the commands of one wast2json JSON file.
-- @tparam string json_path the JSON file; module files are read next to it
-- @tparam table summary counts to add to (see `run`)
-- @tparam table opts options (see `run`)
-- @tparam[opt] string display name for file:line (default: the JSON's
--   source_filename, else json_path)
-- @treturn table the file's result: file, passed, failed, skipped, failures
function wast.run_json(json_path, summary, opts, display)
  opts = opts or {}
  local fr = new_file_result(display or json_path)
  local function fail_file(text)
    record(summary, fr, {file = fr.file, line = 0, command = "load script",
                         status = "fail", expected = "a runnable script", got = text}, opts)
  end
  if not cjson_ok then
    fail_file("lua-cjson is not installed")
    return fr
  end
  local ok, doc = pcall(decode_script, json_path)
  if not ok or type(doc) ~= "table" or type(doc.commands) ~= "table" then
    fail_file(ok and "not a wast2json file (no commands)" or one_line(doc))
    return fr
  end
  if not display and type(doc.source_filename) == "string" then
    fr.file = doc.source_filename
  end
  return run_commands(doc.commands, fr, dirname(json_path), summary, opts)
end

--- Run a `.wast` file with moonwasm's own reader (no converter).
-- @tparam string path the .wast file
-- @tparam table summary counts to add to (see `run`)
-- @tparam table opts options (see `run`)
-- @treturn table the file's result
function wast.run_wast(path, summary, opts)
  opts = opts or {}
  local fr = new_file_result(path)
  local ok, text = pcall(read_file, path)
  local wasm_ok, wasm = pcall(load_moonwasm, opts)
  local commands
  local features = opts.features or (opts.config and opts.config.features)
  if ok and wasm_ok then ok, commands = pcall(wasm.parse_wast, text, features) end
  if not (ok and wasm_ok) then
    local why = not wasm_ok and wasm or (commands or text)
    record(summary, fr, {file = path, line = 0, command = "read script", status = "fail",
                         expected = "a script", got = error_text(why)}, opts)
    return fr
  end
  return run_commands(commands, fr, dirname(path), summary, opts)
end

run_commands = function(commands, fr, dir, summary, opts)
  local ok
  local wasm_ok, wasm = pcall(load_moonwasm, opts)
  local spectest_ok, spectest = pcall(require, "moonwasm.spectest")
  local script
  if wasm_ok and spectest_ok then
    ok, script = pcall(new_script, wasm, spectest, dir, opts, fr.file)
  end
  local function fail_file(text)
    record(summary, fr, {file = fr.file, line = 0, command = "load script",
                         status = "fail", expected = "a runnable script", got = text}, opts)
  end
  if not (wasm_ok and spectest_ok and ok) then
    fail_file(one_line(not wasm_ok and wasm or not spectest_ok and spectest or script))
    return fr
  end
  for _, cmd in ipairs(commands) do
    local handler = handlers[cmd.type]
    local status, a, b
    if not handler then
      status, a = "skip", ("unsupported command %q"):format(tostring(cmd.type))
    else
      -- A runner bug in one command is that command's failure, not the file's.
      local hok, s, x, y = xpcall(handler, runner_error, script, cmd)
      if hok then
        status, a, b = s, x, y
      else
        local kind = classify(s)
        status, a, b = "fail", "no error", (kind == "lua" and "runner error: " or "")
                       .. (kind == "lua" and one_line(s) or error_text(s))
      end
    end
    local result = {file = fr.file, line = cmd.line or 0, command = describe(cmd),
                    type = cmd.type, status = status}
    if status == "fail" then
      result.expected, result.got = a, b
    elseif status == "skip" then
      result.reason = a
    end
    record(summary, fr, result, opts)
  end
  if script.store.close then pcall(script.store.close, script.store) end
  return fr
end

local function shell_quote(s)
  return "'" .. s:gsub("'", [['\'']]) .. "'"
end

local function make_temp_dir()
  local name = os.tmpname()        -- creates the file: reuse its unique name
  os.remove(name)
  local ok, err = lfs.mkdir(name)
  if not ok then error("cannot create temporary directory: " .. tostring(err), 0) end
  return name
end

local function remove_tree(dir)
  for entry in lfs.dir(dir) do
    if entry ~= "." and entry ~= ".." then
      local path = dir .. "/" .. entry
      if lfs.attributes(path, "mode") == "directory" then
        remove_tree(path)
      else
        os.remove(path)
      end
    end
  end
  lfs.rmdir(dir)
end

--- wast2json arguments always passed (besides `opts.wast2json_args`).
wast.default_wast2json_args = {"--enable-tail-call", "--enable-extended-const",
                               "--enable-multi-memory", "--enable-memory64"}

--- Convert a `.wast` file with wast2json into a fresh temporary directory.
-- @tparam string path the .wast file
-- @tparam[opt] table opts `wast2json` (program, default "wast2json"),
--   `wast2json_args` (list of extra arguments)
-- @treturn string|nil the temporary directory (caller removes it)
-- @treturn string the JSON path, or the error text
function wast.convert(path, opts)
  opts = opts or {}
  local dir = make_temp_dir()
  local base = (path:match("([^/]+)$") or "script"):gsub("%.wast$", "")
  local json = dir .. "/" .. base .. ".json"
  local parts = {shell_quote(opts.wast2json or os.getenv("WAST2JSON") or "wast2json")}
  local given = {}
  for _, a in ipairs(opts.wast2json_args or {}) do
    parts[#parts + 1] = shell_quote(a)
    given[a] = true
  end
  -- The Wasm 3.0 features moonwasm runs, whose syntax wabt 1.0.32 reads
  -- only when asked.
  for _, a in ipairs(wast.default_wast2json_args) do
    if not given[a] then parts[#parts + 1] = shell_quote(a) end
  end
  parts[#parts + 1] = shell_quote(path)
  parts[#parts + 1] = "-o " .. shell_quote(json)
  local errfile = dir .. "/wast2json.stderr"
  parts[#parts + 1] = "2>" .. shell_quote(errfile) .. " >/dev/null"
  local ok = os.execute(table.concat(parts, " "))
  if ok and lfs.attributes(json, "mode") == "file" then
    return dir, json
  end
  local f = io.open(errfile, "r")
  local text = f and f:read("a") or ""
  if f then f:close() end
  remove_tree(dir)
  text = text:gsub("%s+$", "")
  local first = text:match("[^\n]*") or ""
  if first == "" then first = "failed (is wabt installed?)" end
  return nil, "wast2json: " .. first:gsub("^wast2json:%s*", "")
end

local function glob_to_pattern(glob)
  return "^" .. glob:gsub("[%^%$%(%)%%%.%[%]%+%-]", "%%%0")
                   :gsub("%*", ".*"):gsub("%?", ".") .. "$"
end

local function excluded(path, opts)
  local base = path:match("([^/]+)$") or path
  for _, glob in ipairs(opts.exclude or {}) do
    if base:match(glob_to_pattern(glob)) then return true end
  end
  return false
end

local function collect(path, opts, out)
  local mode = lfs_ok and lfs.attributes(path, "mode") or nil
  if mode == "directory" then
    local entries = {}
    for entry in lfs.dir(path) do
      if entry:sub(1, 1) ~= "." then entries[#entries + 1] = entry end
    end
    table.sort(entries)
    for _, entry in ipairs(entries) do
      local child = path:gsub("/+$", "") .. "/" .. entry
      local cmode = lfs.attributes(child, "mode")
      if cmode == "file" and entry:match("%.wast$") and not excluded(child, opts) then
        out[#out + 1] = child
      elseif cmode == "directory" and opts.recursive then
        collect(child, opts, out)
      end
    end
  else
    out[#out + 1] = path      -- a missing file is reported when it runs
  end
  return out
end

--- Expand paths (files and directories) into the list of scripts to run.
-- Directories contribute their `*.wast` files (sorted; subdirectories too
-- with `opts.recursive`), minus those whose base name matches an
-- `opts.exclude` glob.
-- @tparam {string,...} paths
-- @tparam[opt] table opts
-- @treturn {string,...}
function wast.expand(paths, opts)
  opts = opts or {}
  local out = {}
  for _, p in ipairs(paths) do collect(p, opts, out) end
  return out
end

-- Wasm 2.0 and 3.0 disagree on a few assertions, and the official 2.0
-- and 3.0 suites each test their own edition: 3.0 lets constant
-- expressions read any earlier global, reads memory offsets and limits
-- above 2^32-1 as memory64 does, allows a second memory, and words some
-- text errors differently.  moonwasm runs 3.0 by default and older
-- editions with the newer features switched off.  So, when the caller
-- chose no features, a file that fails under the defaults runs once more
-- in the edition it was written for; if every assertion holds there, that
-- run counts and the file is marked with the edition (the CLI says so).
-- Otherwise the default run's results stand.
--
-- Which edition: a top-level file of a suite, Wasm 2.0.  A file of a
-- proposal folder (`proposals/memory64/`), the edition the proposal forked
-- from plus the proposal's own feature: the 2023 folders branched off at
-- different times, so Wasm 2.0 first, then Wasm 1.0 (whose decoder words
-- three messages differently, see runtime/messages.h).
local wasm_2_0_features = {tail_call = false, relaxed_simd = false, extended_const = false,
                           const_globals = false, multi_memory = false, memory64 = false,
                           exceptions = false, legacy_exceptions = false}

-- Every feature off but `keep` (a feature name or nil).
local function wasm_1_0_features(all, keep)
  local f = {}
  for name in pairs(all) do f[name] = (name == keep) end
  return f
end

-- The editions to try, in order, for a file, as feature tables.
local function fallback_editions(wasm, path)
  local proposal = path:match("proposals/([^/]+)/[^/]*$")
  if not proposal then return {{name = "2.0", features = wasm_2_0_features}} end
  local feature = proposal:gsub("%-", "_")
  local all = wasm.core and wasm.core.features or {}
  if all[feature] == nil then return {} end
  local two = {}
  for k, v in pairs(wasm_2_0_features) do two[k] = v end
  two[feature] = true
  return {{name = "2.0+" .. proposal, features = two},
          {name = "1.0+" .. proposal, features = wasm_1_0_features(all, feature)}}
end

local function run_in_edition(run, path, summary, opts, source)
  if opts.config or opts.features or opts.one_edition then
    return run(path, summary, opts)
  end
  -- Every run is buffered: only the one that counts reaches the reporter.
  local function buffered(extra)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.record, o.reporter = true, nil
    for k, v in pairs(extra) do o[k] = v end
    local scratch = {passed = 0, failed = 0, skipped = 0, failures = {}, files = {}}
    return run(path, scratch, o)
  end
  local fr = buffered({})
  if fr.failed > 0 then
    local wasm_ok, wasm = pcall(load_moonwasm, opts)
    if wasm_ok and type(wasm.config) == "function" then
      for _, edition in ipairs(fallback_editions(wasm, source or path)) do
        local config = wasm.config{features = edition.features}
        local fr2 = buffered({config = config, features = config.features})
        if fr2.failed == 0 then
          fr = fr2
          fr.edition = edition.name
          break
        end
      end
    end
  end
  local out = new_file_result(fr.file)
  out.edition = fr.edition
  for _, r in ipairs(fr.results) do record(summary, out, r, opts) end
  return out
end

local function run_one(path, summary, opts)
  local reporter = opts.reporter or {}
  if reporter.file_start then reporter.file_start(path) end
  local fr
  if not lfs_ok then
    fr = new_file_result(path)
    record(summary, fr, {file = path, line = 0, command = "load script", status = "fail",
                         expected = "lua-filesystem", got = "lfs is not installed"}, opts)
  elseif lfs.attributes(path, "mode") ~= "file" then
    fr = new_file_result(path)
    record(summary, fr, {file = path, line = 0, command = "load script", status = "fail",
                         expected = "a .wast or .json file", got = "no such file"}, opts)
  elseif path:match("%.json$") then
    fr = run_in_edition(wast.run_json, path, summary, opts)
  elseif not opts.wast2json then
    fr = run_in_edition(wast.run_wast, path, summary, opts)
  else
    local dir, json = wast.convert(path, opts)
    if not dir then
      fr = new_file_result(path)
      local result = {file = path, line = 0, command = "wast2json", status = "fail",
                      expected = "conversion", got = json}
      if opts.skip_unconvertible then
        result.status, result.reason, result.expected, result.got = "skip", json, nil, nil
      end
      record(summary, fr, result, opts)
    else
      local ok, res = pcall(run_in_edition, function(j, sm, o)
        return wast.run_json(j, sm, o, path)
      end, json, summary, opts, path)
      remove_tree(dir)
      if not ok then error(res, 0) end
      fr = res
    end
  end
  summary.files[#summary.files + 1] = fr
  if reporter.file_end then reporter.file_end(fr) end
  collectgarbage()
  return fr
end

--- Run spec-test scripts.
-- @tparam string|{string,...} paths `.wast` files, `.json` files (wast2json
--   output) and directories
-- @tparam[opt] table opts
--   `reporter` (table of callbacks `file_start(path)`, `result(r)`,
--   `file_end(file_result)`), `record` (keep every result in
--   `files[i].results`, for TAP/JUnit), `exclude` (globs on base names),
--   `recursive`, `wast2json` (program), `wast2json_args` (list),
--   `skip_unconvertible` (count a file wast2json rejects as skipped rather
--   than failed), `config` (passed to `moonwasm.store`), `moonwasm` (the
--   module to use instead of `require "moonwasm"`), `spectest_output` (file
--   the spectest print functions write to; default silent)
-- @treturn table `{passed=, failed=, skipped=, failures={ {file=, line=,
--   command=, expected=, got=}, ...}, files={ {file=, passed=, failed=,
--   skipped=, failures=, skips=, results=}, ...}}`
function wast.run(paths, opts)
  opts = opts or {}
  if type(paths) == "string" then paths = {paths} end
  local summary = {passed = 0, failed = 0, skipped = 0, failures = {}, files = {}}
  local list = wast.expand(paths, opts)
  summary.total_files = #list
  for i, path in ipairs(list) do
    summary.index = i
    run_one(path, summary, opts)
  end
  return summary
end

--- Format a failure as one line: `file:line: command: expected X, got Y`
-- (just `file:` for a failure of the whole file).
-- @tparam table r a failure record
-- @treturn string
function wast.failure_line(r)
  -- line 0: the whole file failed (conversion, unreadable JSON)
  local where = (r.line or 0) > 0 and ("%s:%d"):format(r.file, r.line) or r.file
  return ("%s: %s: expected %s, got %s"):format(where, one_line(r.command),
    one_line(r.expected or "?"), one_line(r.got or "?"))
end

--- The `N passed, N failed, N skipped` text for a count table.
-- @tparam table c a summary or a file result
-- @treturn string
function wast.counts_line(c)
  return ("%d passed, %d failed, %d skipped"):format(c.passed, c.failed, c.skipped)
end

------------------------------------------------------------------------------
-- Reporters: TAP and JUnit
------------------------------------------------------------------------------

local function result_name(r)
  return ("%s:%d %s"):format(r.file, r.line or 0, one_line(r.command))
end

local function yaml_string(s)
  return '"' .. one_line(s):gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

--- A streaming TAP (version 13) reporter writing to `out`.
-- Use its callbacks as `opts.reporter`, then call `finish(summary)`.
-- @tparam file out an open file (e.g. io.stdout)
-- @treturn table reporter
function wast.tap_reporter(out)
  local n = 0
  local reporter = {}
  out:write("TAP version 13\n")
  function reporter.result(r)
    n = n + 1
    local name = result_name(r):gsub("\\", "\\\\"):gsub("#", "\\#")
    if r.status == "pass" then
      out:write(("ok %d - %s\n"):format(n, name))
    elseif r.status == "skip" then
      out:write(("ok %d - %s # SKIP %s\n"):format(n, name, one_line(r.reason or "")))
    else
      out:write(("not ok %d - %s\n"):format(n, name))
      out:write("  ---\n")
      out:write("  expected: ", yaml_string(r.expected or ""), "\n")
      out:write("  got: ", yaml_string(r.got or ""), "\n")
      out:write(("  at: %s\n"):format(yaml_string(r.file .. ":" .. (r.line or 0))))
      out:write("  ...\n")
    end
  end
  function reporter.finish(summary)
    out:write(("1..%d\n"):format(n))
    out:write("# ", wast.counts_line(summary), "\n")
  end
  return reporter
end

local XML_ESCAPES = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                     ['"'] = "&quot;", ["'"] = "&apos;"}

-- Escape text for XML 1.0 attributes and content.  Characters XML cannot
-- carry at all (most C0 controls, U+FFFE/U+FFFF, invalid UTF-8 bytes) are
-- written as visible \xNN / \uNNNN text instead.
local function xml_escape(s)
  s = tostring(s)
  if not s:find("[%c&<>\"'\128-\255]") then return s end
  local out = {}
  local i = 1
  while i <= #s do
    local valid, bad = utf8.len(s, i)
    local stop = valid and #s or bad - 1
    for _, c in utf8.codes(s:sub(i, stop)) do
      local ch = utf8.char(c)
      if XML_ESCAPES[ch] then
        out[#out + 1] = XML_ESCAPES[ch]
      elseif c == 9 or c == 10 or c == 13 then
        out[#out + 1] = ("&#%d;"):format(c)
      elseif c < 0x20 or c == 0x7F or c == 0xFFFE or c == 0xFFFF then
        out[#out + 1] = c < 0x100 and ("\\x%02X"):format(c) or ("\\u%04X"):format(c)
      else
        out[#out + 1] = ch
      end
    end
    if valid then break end
    out[#out + 1] = ("\\x%02X"):format(s:byte(bad))
    i = bad + 1
  end
  return table.concat(out)
end
wast.xml_escape = xml_escape

--- Write a run's results as JUnit XML.  Needs `opts.record = true` on the
-- run so passing tests are listed too (failures and skips are always known).
-- @tparam string path output file
-- @tparam table summary the table `run` returned
-- @treturn boolean|nil true, or nil and an error message
function wast.write_junit(path, summary)
  local f, err = io.open(path, "w")
  if not f then return nil, err end
  local e = xml_escape
  f:write('<?xml version="1.0" encoding="UTF-8"?>\n')
  f:write(('<testsuites name="moonwasm wast" tests="%d" failures="%d" skipped="%d" errors="0">\n')
    :format(summary.passed + summary.failed + summary.skipped, summary.failed, summary.skipped))
  for _, fr in ipairs(summary.files) do
    f:write(('  <testsuite name="%s" tests="%d" failures="%d" skipped="%d" errors="0">\n')
      :format(e(fr.file), fr.passed + fr.failed + fr.skipped, fr.failed, fr.skipped))
    local results = fr.results
    if #results == 0 then          -- not recorded: list what we know
      results = {}
      for _, r in ipairs(fr.failures) do results[#results + 1] = r end
      for _, r in ipairs(fr.skips) do results[#results + 1] = r end
    end
    for _, r in ipairs(results) do
      local name = ("line %d: %s"):format(r.line or 0, one_line(r.command))
      f:write(('    <testcase classname="%s" name="%s"'):format(e(fr.file), e(name)))
      if r.status == "pass" then
        f:write("/>\n")
      elseif r.status == "skip" then
        f:write(('>\n      <skipped message="%s"/>\n    </testcase>\n'):format(e(r.reason or "")))
      else
        local msg = ("expected %s, got %s"):format(one_line(r.expected or "?"), one_line(r.got or "?"))
        f:write(('>\n      <failure message="%s" type="%s">%s</failure>\n    </testcase>\n')
          :format(e(msg), e(r.type or "command"), e(wast.failure_line(r))))
      end
    end
    f:write("  </testsuite>\n")
  end
  f:write("</testsuites>\n")
  f:close()
  return true
end

return wast
