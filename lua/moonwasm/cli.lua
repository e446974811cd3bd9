--- The `moonwasm` command line.
--
--    moonwasm wast [options] PATH...      run spec-test scripts
--    moonwasm inspect FILE.wasm           imports, exports, custom sections
--    moonwasm call FILE.wasm FUNC [ARG...]  instantiate and call an export
--    moonwasm run FILE.wasm [ARG...]      run a WASI program (not yet)
--
-- `main` returns the exit status instead of exiting, so it can be tested
-- in-process; scripts/moonwasm passes it to os.exit.  A user mistake (bad
-- option, missing file, malformed module) prints one line on stderr and
-- returns non-zero; no Lua traceback reaches the user.
--
-- @module moonwasm.cli

local cli = {}

local EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

-- An error the user can fix: caught by main and printed as one line.
local UserError = {}
UserError.__index = UserError
UserError.__tostring = function(e) return e.text end

local function user_error(fmt, ...)
  error(setmetatable({text = fmt:format(...), status = EXIT_USAGE}, UserError), 0)
end

-- The input was read but is wrong (a malformed module, a failed
-- instantiation): a failure rather than a usage mistake.
local function input_error(fmt, ...)
  error(setmetatable({text = fmt:format(...), status = EXIT_FAILED}, UserError), 0)
end

local function require_or_fail(name, package)
  local ok, mod = pcall(require, name)
  if not ok then
    user_error("cannot load the Lua module %q%s: %s", name,
               package and (" (install " .. package .. ")") or "",
               tostring(mod):match("[^\n]*"))
  end
  return mod
end

------------------------------------------------------------------------------
-- Argument parser
------------------------------------------------------------------------------

--- Build the argparse parser for all subcommands.
-- @treturn table an argparse parser
function cli.parser()
  local argparse = require_or_fail("argparse", "lua-argparse")
  local parser = argparse("moonwasm", "A WebAssembly runtime driven from Lua.")
    :command_target("command")
    :require_command(true)
    :epilog("Run `moonwasm COMMAND --help` for the options of a command.")

  local wast = parser:command("wast",
    "Run WebAssembly spec-test scripts: .wast files (converted with wabt's " ..
    "wast2json), wast2json .json output, or directories of .wast files.")
  wast:argument("paths", "Files or directories to run."):args("+")
  wast:flag("--tap", "Write TAP version 13 to standard output.")
  wast:option("--junit", "Also write a JUnit XML report to FILE."):argname("FILE")
  wast:flag("--progress", "Show a progress line on standard error.")
  wast:flag("--no-progress", "Never show a progress line (the default when CI=true " ..
    "or standard error is not a terminal).")
  wast:mutex(wast:flag("-q --quiet", "Print only failures and the total."),
             wast:flag("-v --verbose", "Also list skipped commands with their reasons."))
  wast:flag("-r --recursive", "Descend into subdirectories.")
  wast:option("-x --exclude", "Skip files whose base name matches GLOB (repeatable).")
    :argname("GLOB"):count("*")
  wast:option("--wast2json", "The wast2json program (default: $WAST2JSON or wast2json).")
    :argname("PROGRAM")
  wast:option("--enable", "Pass --enable-FEATURE to wast2json (repeatable).")
    :argname("FEATURE"):count("*")
  wast:flag("--skip-unconvertible",
    "Count a file wast2json cannot convert as skipped instead of failed.")

  local inspect = parser:command("inspect",
    "Show a module's imports, exports and custom sections, and validate it.")
  inspect:argument("file", "A .wasm file.")

  local call = parser:command("call",
    "Instantiate a module (with the spectest module importable) and call one " ..
    "of its exported functions; print the results one per line.")
  call:argument("file", "A .wasm file.")
  call:argument("func", "The exported function's name.")
  call:argument("args", "Arguments, converted to the parameter types."):args("*")

  local run = parser:command("run", "Run a WASI program (not implemented yet).")
  run:argument("file", "A .wasm file.")
  run:argument("args", "Arguments for the program."):args("*")
  return parser
end

------------------------------------------------------------------------------
-- wast
------------------------------------------------------------------------------

local function stderr_is_terminal()
  -- Lua has no isatty; the shell's `test -t` checks the fd we share with it.
  local ok = os.execute("test -t 2")
  return ok == true
end

local function want_progress(args, getenv)
  if args.progress then return true end
  if args.no_progress then return false end
  if getenv("CI") == "true" then return false end
  local term = getenv("TERM")
  if not term or term == "" or term == "dumb" then return false end
  return stderr_is_terminal()
end

-- Group skip reasons of a file: { {reason, count}, ... } in first-seen order.
local function skip_reasons(fr)
  local order, counts = {}, {}
  for _, r in ipairs(fr.skips) do
    local reason = r.reason or "?"
    if not counts[reason] then order[#order + 1] = reason; counts[reason] = 0 end
    counts[reason] = counts[reason] + 1
  end
  local out = {}
  for i, reason in ipairs(order) do out[i] = {reason, counts[reason]} end
  return out
end

local function run_wast(args, env)
  local wast = require("moonwasm.wast")
  local out, err = env.stdout, env.stderr
  local progress = want_progress(args, env.getenv)
  local progress_shown = false
  local function clear_progress()
    if progress_shown then err:write("\r\27[K"); progress_shown = false end
  end

  local opts = {
    exclude = args.exclude, recursive = args.recursive,
    wast2json = args.wast2json, skip_unconvertible = args.skip_unconvertible,
    record = args.junit ~= nil, wast2json_args = {},
  }
  for _, feature in ipairs(args.enable) do
    opts.wast2json_args[#opts.wast2json_args + 1] = "--enable-" .. feature
  end

  local tap = args.tap and wast.tap_reporter(out)
  local files, index, total = {}, 0, 0
  opts.reporter = {
    file_start = function(path)
      index = index + 1
      if progress then
        err:write(("\r\27[K[%d/%d] %s"):format(index, total, path))
        err:flush()
        progress_shown = true
      end
    end,
    result = function(r)
      if tap then
        tap.result(r)
      elseif r.status == "fail" then
        clear_progress()
        out:write(wast.failure_line(r), "\n")
        out:flush()
      end
    end,
    file_end = function(fr)
      files[#files + 1] = fr
      if tap or args.quiet then return end
      clear_progress()
      out:write(("%s: %s\n"):format(fr.file, wast.counts_line(fr)))
      if args.verbose then
        for _, rc in ipairs(skip_reasons(fr)) do
          out:write(("  skipped %d: %s\n"):format(rc[2], rc[1]))
        end
      end
    end,
  }

  local lfs = require_or_fail("lfs", "lua-filesystem")
  for _, path in ipairs(args.paths) do
    if not lfs.attributes(path, "mode") then user_error("%s: no such file or directory", path) end
  end
  local paths = wast.expand(args.paths, opts)
  total = #paths
  if total == 0 then
    user_error("no .wast files found in %s", table.concat(args.paths, ", "))
  end
  local summary = {passed = 0, failed = 0, skipped = 0, failures = {}, files = {}}
  -- Run file by file through wast.run so the progress count is known.
  for _, path in ipairs(paths) do
    local s = wast.run({path}, opts)
    summary.passed = summary.passed + s.passed
    summary.failed = summary.failed + s.failed
    summary.skipped = summary.skipped + s.skipped
    for _, f in ipairs(s.failures) do summary.failures[#summary.failures + 1] = f end
    for _, f in ipairs(s.files) do summary.files[#summary.files + 1] = f end
  end
  clear_progress()

  if args.junit then
    local ok, why = wast.write_junit(args.junit, summary)
    if not ok then user_error("cannot write %s: %s", args.junit, tostring(why)) end
  end
  if tap then
    tap.finish(summary)
  else
    if #summary.files > 1 and not args.quiet then
      out:write(("%d files\n"):format(#summary.files))
    end
    out:write(wast.counts_line(summary), "\n")
  end
  return summary.failed == 0 and EXIT_OK or EXIT_FAILED
end

------------------------------------------------------------------------------
-- inspect and call
------------------------------------------------------------------------------

local function load_module(path)
  local wasm = require_or_fail("moonwasm")
  local f, why = io.open(path, "rb")
  if not f then user_error("%s", why) end
  local bytes = f:read("a")
  f:close()
  local ok, mod = pcall(wasm.load, bytes)
  if not ok then
    input_error("%s: %s", path, cli.error_text(mod))
  end
  return wasm, mod, bytes
end

--- Text for an error value: `kind: message` for moonwasm errors.
-- @param err anything raised
-- @treturn string
function cli.error_text(err)
  if type(err) == "table" and err.kind then
    return ("%s: %s"):format(err.kind, tostring(err.message))
  end
  return tostring(err)
end

--- wat-like text for an import's or export's type: `(func (param i32))`,
-- `(memory 1 2)`, `(table 10 funcref)`, `(global (mut i32))`.
-- Uses the type's own `__tostring` (the binding gives one) when it has one.
-- @tparam string kind "func", "memory", "table" or "global"
-- @param t the type, as in `mod:imports()` / `mod:exports()`
-- @treturn string
function cli.type_text(kind, t)
  local mt = type(t) == "table" and getmetatable(t) or nil
  if mt and mt.__tostring or type(t) ~= "table" then
    local text = tostring(t)
    if text:sub(1, #kind + 1) == "(" .. kind then return text end
    return ("(%s %s)"):format(kind, text)
  end
  local parts = {kind}
  if t.params or t.results then
    if t.params and #t.params > 0 then
      parts[#parts + 1] = "(param " .. table.concat(t.params, " ") .. ")"
    end
    if t.results and #t.results > 0 then
      parts[#parts + 1] = "(result " .. table.concat(t.results, " ") .. ")"
    end
  elseif t.min then
    parts[#parts + 1] = tostring(t.min)
    if t.max then parts[#parts + 1] = tostring(t.max) end
    if t.element then parts[#parts + 1] = t.element end
  elseif t.type then
    parts[#parts + 1] = t.mutable and ("(mut " .. t.type .. ")") or t.type
  end
  return "(" .. table.concat(parts, " ") .. ")"
end

-- A wat string literal: printable ASCII as is, other bytes as \hh.
local function wat_string(s)
  return '"' .. tostring(s):gsub('[%c"\\\128-\255]', function(c)
    return ("\\%02x"):format(c:byte())
  end) .. '"'
end

local function run_inspect(args, env)
  local _, mod, bytes = load_module(args.file)
  local out = env.stdout
  out:write(("%s: %d bytes\n"):format(args.file, #bytes))
  for _, imp in ipairs(mod:imports()) do
    out:write(("(import %s %s %s)\n"):format(wat_string(imp.module), wat_string(imp.name),
                                            cli.type_text(imp.kind, imp.type)))
  end
  for _, exp in ipairs(mod:exports()) do
    out:write(("(export %s %s)\n"):format(wat_string(exp.name), cli.type_text(exp.kind, exp.type)))
  end
  if mod.custom_sections then
    for _, section in ipairs(mod:custom_sections()) do
      out:write(("custom section %s: %d bytes\n"):format(wat_string(section.name),
                                                        #(section.data or "")))
    end
  end
  local ok, why = pcall(mod.validate, mod)
  if not ok then
    env.stderr:write(("moonwasm: %s: %s\n"):format(args.file, cli.error_text(why)))
    return EXIT_FAILED
  end
  out:write("valid\n")
  return EXIT_OK
end

local FLOAT_WORDS = {inf = math.huge, ["+inf"] = math.huge, ["-inf"] = -math.huge,
                     nan = 0 / 0, ["+nan"] = 0 / 0, ["-nan"] = -(0 / 0)}

--- Convert a command-line argument to a value of a wasm type.
-- Integers accept decimal or 0x hex (with an optional sign); floats accept
-- anything `tonumber` does plus inf and nan.
-- @tparam string text
-- @tparam string wasm_type "i32", "i64", "f32" or "f64"
-- @return the Lua value
function cli.parse_argument(text, wasm_type)
  if wasm_type == "i32" or wasm_type == "i64" then
    local n = math.tointeger(tonumber(text))
    if n == nil then user_error("argument %q is not an integer (%s)", text, wasm_type) end
    return n
  elseif wasm_type == "f32" or wasm_type == "f64" then
    local x = FLOAT_WORDS[text:lower()] or tonumber(text)
    if x == nil then user_error("argument %q is not a number (%s)", text, wasm_type) end
    return x + 0.0
  end
  user_error("cannot pass a %s from the command line", tostring(wasm_type))
end

local function result_text(v, wasm_type)
  if math.type(v) == "float" then
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    return ((wasm_type == "f32") and "%.9g" or "%.17g"):format(v)
  end
  return tostring(v)
end

local function run_call(args, env)
  local wasm, mod = load_module(args.file)
  local ftype
  for _, exp in ipairs(mod:exports()) do
    if exp.name == args.func then
      if exp.kind ~= "func" then user_error("export %q is a %s, not a function", args.func, exp.kind) end
      ftype = exp.type
    end
  end
  if not ftype then user_error("%s has no exported function %q", args.file, args.func) end
  local params = ftype.params or {}
  if #args.args ~= #params then
    user_error("%s takes %d argument(s), %d given", args.func, #params, #args.args)
  end
  local values = {}
  for i, text in ipairs(args.args) do values[i] = cli.parse_argument(text, params[i]) end

  local store = wasm.store()
  require("moonwasm.spectest").register(store, wasm)
  local ok, inst = pcall(store.instantiate, store, mod, {})
  if not ok then input_error("%s: %s", args.file, cli.error_text(inst)) end
  local results = table.pack(pcall(inst.call, inst, args.func, table.unpack(values, 1, #params)))
  if not results[1] then
    env.stderr:write("moonwasm: ", tostring(results[2]), "\n")
    return EXIT_FAILED
  end
  for i = 2, results.n do
    env.stdout:write(result_text(results[i], (ftype.results or {})[i - 1]), "\n")
  end
  return EXIT_OK
end

local function run_run(args)
  user_error("run: WASI programs are not supported yet (%s)", args.file)
end

local COMMANDS = {wast = run_wast, inspect = run_inspect, call = run_call, run = run_run}

------------------------------------------------------------------------------
-- Entry point
------------------------------------------------------------------------------

--- Run the command line.
-- @tparam {string,...} argv the arguments (without the program name)
-- @tparam[opt] table env `stdout`, `stderr` (files) and `getenv` (function),
--   for tests; defaults to the real ones
-- @treturn integer the exit status
function cli.main(argv, env)
  env = env or {}
  env.stdout = env.stdout or io.stdout
  env.stderr = env.stderr or io.stderr
  env.getenv = env.getenv or os.getenv
  local list = {}
  for i = 1, #(argv or {}) do list[i] = argv[i] end

  local ok, status = xpcall(function()
    local parsed_ok, args = cli.parser():pparse(list)
    if not parsed_ok then
      local command = list[1] and COMMANDS[list[1]] and (" " .. list[1]) or ""
      env.stderr:write(("moonwasm%s: %s (see --help)\n"):format(command, args))
      return EXIT_USAGE
    end
    return COMMANDS[args.command](args, env)
  end, function(e)
    if getmetatable(e) == UserError then return e end
    return setmetatable({text = debug.traceback(tostring(e), 2), internal = true}, UserError)
  end)
  if ok then return status end
  if status.internal and not env.getenv("MOONWASM_DEBUG") then
    -- A bug in moonwasm itself: one line, the traceback on request.
    env.stderr:write("moonwasm: internal error: ", (status.text:match("[^\n]*")),
                     " (set MOONWASM_DEBUG=1 for a traceback)\n")
  else
    env.stderr:write("moonwasm: ", status.text, "\n")
  end
  return status.status or EXIT_FAILED
end

return cli
