--- The `moonwasm` command line.
--
--    moonwasm run [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... FILE.wasm [ARG...]
--    moonwasm inspect [--json] FILE.wasm
--    moonwasm call FILE.wasm FUNC [ARG...]
--    moonwasm wast [options] PATH...
--
-- `main` returns the exit status instead of exiting, so it can be tested
-- in-process; scripts/moonwasm passes it to os.exit.  A user mistake (bad
-- option, missing file, malformed module) prints one line on stderr and
-- returns non-zero; no Lua traceback reaches the user.
--
-- Exit statuses: `run` exits with the guest's own exit code; otherwise 0
-- for success, 1 for a module that cannot be loaded, validated or
-- instantiated (or failed spec tests), 2 for a usage mistake, and 134 (the
-- status of a process killed by SIGABRT, which is what a C program's
-- `abort()` gives natively) when the wasm code traps.
--
-- @module moonwasm.cli

local cli = {}

local EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TRAP = 0, 1, 2, 134
cli.EXIT_TRAP = EXIT_TRAP

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

-- moonwasm.cli_host (limits, Ctrl-C, preloads, unknown imports, profiles)
-- reports its usage mistakes the same way.
local cli_host = require("moonwasm.cli_host")
cli_host.user_error = user_error

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

local EXIT_STATUS_HELP =
  "Exit status: 0 on success, 1 when a module cannot be loaded, validated or " ..
  "instantiated, 2 for a usage mistake, 134 when the wasm code traps (or " ..
  "runs out of fuel or time), 130 when Ctrl-C interrupts it."

local VALUE_HELP =
  "Arguments are converted to the parameter types: integers in decimal or " ..
  "0x hex, signed or unsigned (-1 and 0xffffffff are the same i32); floats " ..
  "as Lua reads them (1.5, -0, 1e-3, 0x1p-2) or inf, -inf, nan, -nan, " ..
  "nan:0xPAYLOAD; references only as null.  Results are printed one per " ..
  "line: integers signed, floats in their shortest exact decimal form."

--- Build the argparse parser for all subcommands.
-- @treturn table an argparse parser
function cli.parser()
  local argparse = require_or_fail("argparse", "lua-argparse")
  local parser = argparse("moonwasm", "A WebAssembly runtime driven from Lua.")
    :command_target("command")
    :require_command(false) -- `moonwasm --version`; main asks for a command
    :help_max_width(79)
    :usage("Usage: moonwasm [-h] [--version] <command> ...")
    :epilog("Run `moonwasm COMMAND --help` for the options of a command.  " ..
            "`moonwasm FILE.wasm [ARG...]` is short for `moonwasm run FILE.wasm " ..
            "[ARG...]`.\n\n" .. EXIT_STATUS_HELP)
  parser:flag("--version", "Print moonwasm's version and exit.")

  local run = parser:command("run",
    "Run a WASI program: instantiate it with wasi_snapshot_preview1 and call " ..
    "its _start, with this process's stdin, stdout and stderr.  moonwasm " ..
    "exits with the program's exit code, or 134 if it traps.")
  run:argument("file", "The program, a .wasm or .wat file (the program's argv[0], as given).")
  run:argument("args", "Arguments for the program.  Everything after FILE " ..
    "belongs to the program, options too."):args("*")
  run:option("--dir", "Give the program the host directory HOST, as the " ..
    "path GUEST (default: HOST as given); repeatable.  `--dir .` lets it open " ..
    "relative paths in the current directory.  Nothing outside these " ..
    "directories is reachable.")
    :argname("HOST[::GUEST]"):count("*")
  run:option("--env", "Set an environment variable for the program; NAME " ..
    "alone passes this process's value (repeatable).  The program sees no " ..
    "other variable unless --inherit-env is given.")
    :argname("NAME[=VALUE]"):count("*")
  run:flag("--inherit-env", "Pass this process's whole environment (--env " ..
    "entries override it).")
  run:option("--invoke", "Call the exported function FUNC instead of _start " ..
    "(after _initialize, for a WASI reactor); ARGs are then its arguments " ..
    "and its results are printed as `moonwasm call` does.")
    :argname("FUNC")
  run:epilog("Example: moonwasm run --dir data::/data --env LANG=C prog.wasm -v input.txt")

  local inspect = parser:command("inspect",
    "Describe a module: its sections with offsets and sizes, imports and " ..
    "exports with their types, functions, tables, memories, globals and " ..
    "start function; and validate it (exit status 1 if it is invalid).")
  inspect:argument("file", "A .wasm or .wat file.")
  inspect:flag("--json", "Print one JSON object instead of text.")

  local call = parser:command("call",
    "Instantiate a module and call one of its exported functions; print the " ..
    "results one per line.  The module may import from wasi_snapshot_preview1 " ..
    "(stdio inherited, no directories) and from the spec tests' spectest module.")
  call:argument("file", "A .wasm or .wat file.")
  call:argument("func", "The exported function's name.")
  call:argument("args", "Arguments, converted to the parameter types (negative " ..
    "numbers need no --)."):args("*")
  call:epilog(VALUE_HELP .. "\n\nExample: moonwasm call fib.wasm fib 25")

  local compile = parser:command("compile",
    "Compile a module ahead of time to native code with the system C compiler " ..
    "(moonwasm.aot): a shared object (-o FILE.so) that `moonwasm run` and " ..
    "wasm.load_file run natively, or a universal module (-o FILE.wasm) that " ..
    "runs natively where it was built and in the interpreter elsewhere.  " ..
    "Loading native code means trusting it like a program.")
  compile:argument("file", "A .wasm or .wat file.")
  compile:option("-o --output", "The artifact to write (.so, or .wasm for a universal module).")
    :argname("FILE"):count(1)
  compile:option("--opt", "The optimisation level, O0..O3 or Os (default O2).")
    :argname("LEVEL")
  compile:option("--cc", "The C compiler (default: $MOONWASM_CC or cc).")
    :argname("CC")
  compile:option("--keep-c", "Also write the generated C to FILE."):argname("FILE")
  compile:flag("-v --verbose", "Say how many functions are translated, and list on " ..
    "stderr those left to the interpreter, with why.")
  compile:epilog("Example: moonwasm compile prog.wasm -o prog.so && moonwasm run prog.so")

  local wast = parser:command("wast",
    "Run WebAssembly spec-test scripts: .wast files (read by moonwasm itself, " ..
    "or converted with wabt's wast2json when --wast2json is given), wast2json " ..
    ".json output, or directories of .wast files.")
  wast:argument("paths", "Files or directories to run."):args("+")
  wast:flag("--tap", "Write TAP version 13 to standard output.")
  wast:option("--junit", "Also write a JUnit XML report to FILE."):argname("FILE")
  wast:flag("--progress", "Show a progress line on standard error.")
  wast:flag("--no-progress", "Never show a progress line (the default when CI=true " ..
    "or standard error is not a terminal).")
  wast:mutex(wast:flag("-q --quiet", "Print only failures and the total."),
             wast:flag("-v --verbose", "Also list skipped commands with their reasons."))
  wast:flag("-r --recursive", "Descend into subdirectories.")
  wast:option("--exclude", "In directories, skip files whose base name matches GLOB " ..
    "(repeatable), e.g. --exclude 'simd_*'.")
    :argname("GLOB"):count("*")
  wast:option("--wast2json", "Convert .wast files with this wast2json program instead " ..
    "of reading them natively.")
    :argname("PROGRAM")
  wast:option("--enable", "Pass --enable-FEATURE to wast2json (repeatable).")
    :argname("FEATURE"):count("*")
  wast:flag("--skip-unconvertible",
    "Count a file wast2json cannot convert as skipped instead of failed.")
  wast:flag("--aot", "Compile every module to native code (moonwasm.aot) before " ..
    "instantiating it.")
  wast:option("--aot-cc", "With --aot: the C compiler (default: $MOONWASM_CC or cc).")
    :argname("CC")
  wast:option("--aot-opt", "With --aot: the optimisation level, O0..O3 or Os (default O2).")
    :argname("LEVEL")
  wast:option("--aot-cache", "With --aot: keep compiled modules in DIR, by hash, and " ..
    "reuse them.")
    :argname("DIR")
  run:option("--argv0", "The program's argv[0] (default: FILE as given)."):argname("NAME")
  cli_host.add_options(run)
  cli_host.add_options(call)
  for _, cmd in ipairs {run, inspect, call, wast} do
    cmd:option("--features", "Turn features on or off: a comma-separated list " ..
      "of NAME, NAME=on or NAME=off (e.g. tail_call=off,memory64=off): " ..
      "mutable_globals, sign_ext, sat_conv, multi_value, bulk_memory, " ..
      "reference_types, simd, tail_call, extended_const, const_globals, " ..
      "multi_memory, memory64, ...  The Wasm 3.0 features moonwasm " ..
      "implements are on by default.")
      :argname("LIST")
  end
  parser:add_help_command() -- `moonwasm help run`
  return parser
end

--- The config for a `--features` list (nil without one).
-- @tparam table args parsed arguments
-- @return a moonwasm Config or nil
function cli.config(args)
  local opts = cli_host.config_options(args, {})
  if not args.features and not next(opts) then return nil end
  local wasm = require_or_fail("moonwasm")
  local core = require("moonwasm.core")
  local features = {}
  for item in (args.features or ""):gmatch("[^,%s]+") do
    local name, value = item:match("^([^=]*)=(.*)$")
    name = name or item
    if not core.features[name] then
      user_error("--features: unknown feature %q", name)
    end
    if value and value ~= "on" and value ~= "off" then
      user_error("--features: %s=%s: expected on or off", name, value)
    end
    features[name] = value ~= "off"
  end
  if args.features then opts.features = features end
  return wasm.config(opts)
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
    record = args.junit ~= nil, wast2json_args = {}, config = cli.config(args),
  }
  for _, feature in ipairs(args.enable) do
    opts.wast2json_args[#opts.wast2json_args + 1] = "--enable-" .. feature
  end
  if args.aot then
    opts.aot = {cc = args.aot_cc, opt = args.aot_opt, cache = args.aot_cache}
  elseif args.aot_cc or args.aot_opt or args.aot_cache then
    user_error("--aot-cc, --aot-opt and --aot-cache need --aot")
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
      out:write(("%s: %s%s\n"):format(fr.file, wast.counts_line(fr),
                                      fr.edition and (" (Wasm %s rules)"):format(fr.edition) or ""))
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
    local older = {}
    for _, fr in ipairs(summary.files) do
      if fr.edition then older[#older + 1] = ("%s (Wasm %s)"):format(fr.file, fr.edition) end
    end
    if #older > 0 then
      out:write(("%d file%s passed under an older edition's rules (not the 3.0 defaults): %s\n"):format(
        #older, #older == 1 and "" or "s", table.concat(older, ", ")))
    end
    out:write(wast.counts_line(summary), "\n")
  end
  return summary.failed == 0 and EXIT_OK or EXIT_FAILED
end

------------------------------------------------------------------------------
-- Modules and types
------------------------------------------------------------------------------

-- Read and decode a module; user mistakes and malformed input are one line.
local function load_module(path, config)
  local wasm = require_or_fail("moonwasm")
  local f, why = io.open(path, "rb")
  if not f then user_error("%s", why) end
  local bytes, read_error = f:read("a")
  f:close()
  if not bytes then user_error("%s: %s", path, tostring(read_error)) end
  if bytes:sub(1, 4) == "\127ELF" then -- an AOT artifact (moonwasm compile)
    local core = require("moonwasm.core")
    local ok, mod = pcall(function()
      local wasm_bytes = core.aot_wasm_bytes(path)
      local m = wasm.load(wasm_bytes, config)
      core.aot_attach(m, path)
      return m, wasm_bytes
    end)
    if not ok then input_error("%s: %s", path, cli.error_text(mod)) end
    return wasm, mod, bytes
  end
  if bytes:sub(1, 4) ~= "\0asm" then -- the text format: encode it first
    local wok, bin = pcall(wasm.wat, bytes, config)
    if not wok then input_error("%s: %s", path, cli.error_text(bin)) end
    bytes = bin
  end
  local ok, mod = pcall(wasm.load, bytes, config)
  if not ok then
    input_error("%s: %s", path, cli.error_text(mod))
  end
  if bytes:find("moonwasm.aot", 1, true) then -- a universal module: native if it fits
    pcall(require("moonwasm.aot").attach_universal, mod)
  end
  return wasm, mod, bytes
end

------------------------------------------------------------------------------
-- compile
------------------------------------------------------------------------------

local function run_compile(args, env)
  local wasm, mod = load_module(args.file)
  local ok, err = pcall(wasm.compile, mod, {output = args.output, opt = args.opt,
                                            cc = args.cc, keep_c = args.keep_c})
  if not ok then
    local kind = type(err) == "table" and err.kind
    if kind == "malformed" or kind == "invalid" then
      input_error("%s: %s", args.file, cli.error_text(err))
    end
    user_error("compile: %s", cli.error_text(err))
  end
  env.stdout:write(("%s: %s\n"):format(args.output,
    args.output:match("%.wasm$") and "universal module (native code in section moonwasm.aot)"
    or "shared object"))
  if args.verbose then
    local list = require("moonwasm.aot").fallbacks(mod)
    env.stderr:write(("%d function%s left to the interpreter\n"):format(#list,
      #list == 1 and "" or "s"))
    for _, f in ipairs(list) do
      env.stderr:write(("  func %d%s: %s\n"):format(f.func,
        f.name and (" (" .. f.name .. ")") or "", f.reason))
    end
  end
  return EXIT_OK
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
function cli.type_text(kind, t, unknown)
  if t == nil and unknown then return ("(%s <%s>)"):format(kind, unknown) end
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

-- `(memory 1 2)` / `(table 1 funcref)` for limits read by moonwasm.sections.
local function limits_text(kind, t)
  local parts = {kind}
  if t.index_type then parts[#parts + 1] = t.index_type end
  parts[#parts + 1] = tostring(t.min)
  if t.max then parts[#parts + 1] = tostring(t.max) end
  if t.shared then parts[#parts + 1] = "shared" end
  if t.element then parts[#parts + 1] = t.element end
  return "(" .. table.concat(parts, " ") .. ")"
end

------------------------------------------------------------------------------
-- inspect
------------------------------------------------------------------------------

-- Everything inspect shows, gathered once for both output formats.
local function describe_module(path, mod, bytes)
  local layout = require("moonwasm.sections").read(bytes)
  local d = {file = path, size = #bytes, version = layout.version,
             sections = layout.sections, imports = {}, exports = {},
             functions = {imported = 0, defined = layout.functions},
             globals = {imported = 0, defined = layout.globals},
             tables = {}, memories = {}}
  local next_index = {func = 0, table = 0, memory = 0, global = 0}
  local function take_index(kind)
    local i = next_index[kind] or 0
    next_index[kind] = i + 1
    return i
  end
  for _, imp in ipairs(mod:imports()) do
    local entry = {module = imp.module, name = imp.name, kind = imp.kind,
                   index = take_index(imp.kind), type = imp.type,
                   text = cli.type_text(imp.kind, imp.type, imp.unknown)}
    d.imports[#d.imports + 1] = entry
    if imp.kind == "func" then
      d.functions.imported = d.functions.imported + 1
    elseif imp.kind == "global" then
      d.globals.imported = d.globals.imported + 1
    elseif imp.kind == "table" or imp.kind == "memory" then
      local list = imp.kind == "table" and d.tables or d.memories
      list[#list + 1] = {index = entry.index, type = imp.type, text = entry.text,
                         import = {module = imp.module, name = imp.name}}
    end
  end
  for _, t in ipairs(layout.tables) do
    local i = take_index("table")
    d.tables[#d.tables + 1] = {index = i, type = t, text = limits_text("table", t)}
  end
  for _, m in ipairs(layout.memories) do
    local i = take_index("memory")
    d.memories[#d.memories + 1] = {index = i, type = m, text = limits_text("memory", m)}
  end
  local export_index = {}
  for _, e in ipairs(layout.exports) do export_index[e.name] = e.index end
  for _, exp in ipairs(mod:exports()) do
    d.exports[#d.exports + 1] = {name = exp.name, kind = exp.kind, type = exp.type,
                                 index = export_index[exp.name],
                                 text = cli.type_text(exp.kind, exp.type, exp.unknown)}
  end
  if layout.start then
    d.start = {index = layout.start, name = mod:func_name(layout.start)}
  end
  local ok, why = pcall(mod.validate, mod)
  d.valid = ok
  if not ok then d.validation_error = cli.error_text(why) end
  return d
end

-- Rows of cells, left-aligned in columns (numbers right-aligned).
local function write_table(out, rows, indent)
  local widths = {}
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row) do
      widths[i] = math.max(widths[i] or 0, #tostring(cell))
    end
  end
  for _, row in ipairs(rows) do
    local cells = {}
    for i, cell in ipairs(row) do
      local text = tostring(cell)
      if i == #row then
        cells[i] = text
      elseif math.type(cell) then
        cells[i] = (" "):rep(widths[i] - #text) .. text
      else
        cells[i] = text .. (" "):rep(widths[i] - #text)
      end
    end
    out:write(indent, (table.concat(cells, "  "):gsub("%s+$", "")), "\n")
  end
end

local function write_inspect_text(d, out)
  out:write(("%s: %d bytes, binary version %d, %s\n"):format(
    d.file, d.size, d.version, d.valid and "valid" or "INVALID"))

  out:write(("\nSections (%d):\n"):format(#d.sections))
  local rows = {{"id", "name", "offset", "size", "count"}}
  for _, s in ipairs(d.sections) do
    rows[#rows + 1] = {s.id, s.name, s.offset, s.size,
                       s.custom_name and wat_string(s.custom_name) or s.count or ""}
  end
  write_table(out, rows, "  ")

  out:write(("\nImports (%d):\n"):format(#d.imports))
  rows = {}
  for _, imp in ipairs(d.imports) do
    rows[#rows + 1] = {imp.kind .. " " .. imp.index, ("(import %s %s %s)"):format(
      wat_string(imp.module), wat_string(imp.name), imp.text)}
  end
  write_table(out, rows, "  ")

  out:write(("\nExports (%d):\n"):format(#d.exports))
  rows = {}
  for _, exp in ipairs(d.exports) do
    rows[#rows + 1] = {exp.kind .. " " .. tostring(exp.index or "?"),
                       ("(export %s %s)"):format(wat_string(exp.name), exp.text)}
  end
  write_table(out, rows, "  ")

  local f = d.functions
  out:write(("\nFunctions: %d (%d imported, %d defined)\n"):format(
    f.imported + f.defined, f.imported, f.defined))
  for _, space in ipairs{{"Tables", "table", d.tables}, {"Memories", "memory", d.memories}} do
    out:write(("%s: %d\n"):format(space[1], #space[3]))
    rows = {}
    for _, item in ipairs(space[3]) do
      rows[#rows + 1] = {space[2] .. " " .. item.index, item.text .. (item.import and
        (" imported from %s %s"):format(wat_string(item.import.module),
                                        wat_string(item.import.name)) or "")}
    end
    write_table(out, rows, "  ")
  end
  local g = d.globals
  out:write(("Globals: %d (%d imported, %d defined)\n"):format(
    g.imported + g.defined, g.imported, g.defined))
  if d.start then
    out:write(("Start: func %d%s\n"):format(d.start.index,
      d.start.name and (" " .. wat_string(d.start.name)) or ""))
  else
    out:write("Start: none\n")
  end
end

-- JSON with keys in a fixed order and empty arrays as [] (lua-cjson alone
-- would print {}); cjson encodes the scalars.
local JsonObject, JsonArray = {}, {}

local function json_object(...)
  return setmetatable(table.pack(...), JsonObject) -- key, value, key, value...
end

local function json_array(list)
  return setmetatable(list or {}, JsonArray)
end

local function json_encode(v, cjson)
  local mt = getmetatable(v)
  if mt == JsonObject then
    local parts = {}
    for i = 1, v.n, 2 do
      parts[#parts + 1] = cjson.encode(v[i]) .. ":" .. json_encode(v[i + 1], cjson)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif mt == JsonArray then
    local parts = {}
    for i, item in ipairs(v) do parts[i] = json_encode(item, cjson) end
    return "[" .. table.concat(parts, ",") .. "]"
  elseif v == nil then
    return "null"
  end
  -- lua-cjson writes "/" as "\/"; both are JSON, the plain one reads better
  -- (a "\/" it wrote is always an escaped "/": it escapes every "/").
  return (cjson.encode(v):gsub("\\/", "/"))
end

-- The JSON form of a type: its wat text plus its fields.
local function json_type(kind, t, text)
  t = t or {} -- an unknown index of a module not yet validated
  if kind == "func" then
    return json_object("text", text, "params", json_array{table.unpack(t.params or {})},
                       "results", json_array{table.unpack(t.results or {})})
  elseif kind == "global" then
    return json_object("text", text, "valtype", t.type, "mutable", t.mutable and true or false)
  end
  return json_object("text", text, "element", t.element, "min", t.min, "max", t.max,
                     "shared", t.shared and true or nil)
end

local function inspect_json(d)
  local sections = json_array()
  for _, s in ipairs(d.sections) do
    sections[#sections + 1] = json_object("id", s.id, "name", s.name, "offset", s.offset,
                                          "size", s.size, "count", s.count,
                                          "custom_name", s.custom_name)
  end
  local imports, exports = json_array(), json_array()
  for _, imp in ipairs(d.imports) do
    imports[#imports + 1] = json_object("module", imp.module, "name", imp.name,
      "kind", imp.kind, "index", imp.index, "type", json_type(imp.kind, imp.type, imp.text))
  end
  for _, exp in ipairs(d.exports) do
    exports[#exports + 1] = json_object("name", exp.name, "kind", exp.kind,
      "index", exp.index, "type", json_type(exp.kind, exp.type, exp.text))
  end
  local function space(list, kind)
    local out = json_array()
    for _, item in ipairs(list) do
      out[#out + 1] = json_object("index", item.index, "imported", item.import ~= nil,
                                  "type", json_type(kind, item.type, item.text))
    end
    return out
  end
  local customs = json_array()
  for _, s in ipairs(d.sections) do
    if s.custom_name then
      customs[#customs + 1] = json_object("name", s.custom_name, "size", s.size)
    end
  end
  local f, g = d.functions, d.globals
  return json_object(
    "file", d.file, "size", d.size, "version", d.version,
    "valid", d.valid, "validation_error", d.validation_error,
    "sections", sections, "imports", imports, "exports", exports,
    "functions", json_object("imported", f.imported, "defined", f.defined,
                             "total", f.imported + f.defined),
    "tables", space(d.tables, "table"), "memories", space(d.memories, "memory"),
    "globals", json_object("imported", g.imported, "defined", g.defined,
                           "total", g.imported + g.defined),
    "start", d.start and json_object("index", d.start.index, "name", d.start.name),
    "custom_sections", customs)
end

local function run_inspect(args, env)
  local cjson = args.json and require_or_fail("cjson", "lua-cjson")
  local unsupported = cli_host.inspect_unloadable(args, env, cli.config(args))
  if unsupported then return unsupported end
  local _, mod, bytes = load_module(args.file, cli.config(args))
  local ok, d = pcall(describe_module, args.file, mod, bytes)
  if not ok then input_error("%s: %s", args.file, cli.error_text(d)) end
  if cjson then
    env.stdout:write(json_encode(inspect_json(d), cjson), "\n")
  else
    write_inspect_text(d, env.stdout)
  end
  if not d.valid then
    env.stderr:write(("moonwasm: %s: %s\n"):format(args.file, d.validation_error))
    return EXIT_FAILED
  end
  return EXIT_OK
end

------------------------------------------------------------------------------
-- Values on the command line
------------------------------------------------------------------------------

-- Largest n with n * base <= 2^64 - 1, by base (unsigned_value compares
-- against it as unsigned integers).
local U64_DIV = {[10] = 1844674407370955161, [16] = 0x0FFFFFFFFFFFFFFF}

-- The unsigned value of `digits` in `base`, if it fits in `bits` bits.
local function unsigned_value(digits, base, bits)
  local n = 0
  for i = 1, #digits do
    local d = tonumber(digits:sub(i, i), base)
    if bits == 64 then
      -- n * base + d must stay below 2^64: compare as unsigned integers.
      local div = U64_DIV[base]
      if math.ult(div, n) or (n == div and math.ult(-1 - div * base, d)) then return nil end
    end
    n = n * base + d
    if bits == 32 and n > 0xFFFFFFFF then return nil end
  end
  return n
end

-- An i32 or i64 from decimal or 0x hex text, signed or unsigned.
local function parse_integer(text, bits)
  local sign, body = text:match("^([+-]?)(.+)$")
  if not body then return nil end
  local digits, base = body:match("^0[xX](%x+)$"), 16
  if not digits then digits, base = body:match("^(%d+)$"), 10 end
  if not digits then return nil end
  local n = unsigned_value(digits, base, bits)
  if n == nil then return nil, "out of range" end
  if sign == "-" then
    if math.ult(1 << (bits - 1), n) then return nil, "out of range" end
    n = -n
  end
  return n
end

local F32_CANONICAL_NAN, F64_CANONICAL_NAN = 0x7FC00000, 0x7FF8000000000000

-- The bit pattern of an f32 or f64 written as text (see VALUE_HELP).
local function parse_float_bits(text, wasm_type)
  local wasm = require("moonwasm")
  local is32 = wasm_type == "f32"
  local sign, body = text:match("^([+-]?)(.+)$")
  if not body then return nil end
  local sign_bit = sign == "-" and (is32 and 0x80000000 or math.mininteger) or 0
  local lower = body:lower()
  if lower == "nan" then
    return (is32 and F32_CANONICAL_NAN or F64_CANONICAL_NAN) | sign_bit
  end
  local payload = lower:match("^nan:0x(%x+)$")
  if payload then
    local p = parse_integer("0x" .. payload, 64)
    local limit = is32 and (1 << 23) or (1 << 52)
    if not p or p == 0 or p >= limit then return nil, "NaN payload out of range" end
    return (is32 and 0x7F800000 or 0x7FF0000000000000) | p | sign_bit
  end
  local x
  if lower == "inf" or lower == "infinity" then
    x = math.huge
  elseif lower:match("^0x%x+$") then
    x = tonumber(lower .. "p0") -- a hex integer, not wrapped to 64 bits
  elseif not lower:match("^0x") and not lower:match("^[%d.]") then
    return nil -- tonumber would take " 1" and other forms we do not document
  else
    x = tonumber(lower)
  end
  if x == nil then return nil end
  x = x + 0.0
  if sign == "-" then x = -x end
  return is32 and wasm.f32_bits(x) or wasm.f64_bits(x)
end

--- Convert a command-line argument to a value of a wasm type, as passed to
-- `inst:call_bits`: i32 and i64 as integers (decimal or 0x hex, signed or
-- unsigned), f32 and f64 as their bit patterns, references only as `null`.
-- @tparam string text
-- @tparam string wasm_type "i32", "i64", "f32", "f64", "funcref" or "externref"
-- @tparam[opt] string where says which parameter, for messages
-- @return the Lua value
function cli.parse_argument(text, wasm_type, where)
  local function fail(what)
    user_error("argument %q %s (%s)", text, what, where or ("expected an " .. wasm_type))
  end
  local value, why
  if wasm_type == "i32" or wasm_type == "i64" then
    value, why = parse_integer(text, wasm_type == "i32" and 32 or 64)
    if value == nil then fail(why and ("is " .. why) or "is not an integer") end
  elseif wasm_type == "f32" or wasm_type == "f64" then
    value, why = parse_float_bits(text, wasm_type)
    if value == nil then fail(why and ("has a " .. why) or "is not a number") end
  elseif wasm_type == "funcref" or wasm_type == "externref" then
    if text ~= "null" then fail("is not null, the only reference one can pass") end
  else
    fail("cannot be passed: moonwasm cannot convert text to a " .. tostring(wasm_type))
  end
  return value
end

-- The shortest decimal that reads back as the same bits.
local function shortest_float(x, bits, is32)
  local wasm = require("moonwasm")
  local max_digits = is32 and 9 or 17
  for digits = 1, max_digits do
    local text = ("%." .. digits .. "g"):format(x)
    local back = tonumber(text) + 0.0
    if (is32 and wasm.f32_bits(back) or wasm.f64_bits(back)) == bits then return text end
  end
  return ("%." .. max_digits .. "g"):format(x)
end

--- Text for a result returned by `inst:call_bits` (one line of `call`).
-- Integers are signed decimal; floats the shortest decimal that reads back
-- exactly, `inf`, `-inf`, `nan`, `-nan` or `nan:0xPAYLOAD` (when not the
-- canonical NaN); references `null` or their Lua text.
-- @param v the value (f32/f64 as bit patterns)
-- @tparam string wasm_type the result's type
-- @treturn string
function cli.format_result(v, wasm_type)
  local is32 = wasm_type == "f32"
  if (is32 or wasm_type == "f64") and math.type(v) == "integer" then
    local wasm = require("moonwasm")
    local frac_bits = is32 and 23 or 52
    local exp_mask = is32 and 0xFF or 0x7FF
    local negative = (v >> (is32 and 31 or 63)) & 1 == 1
    local exponent = (v >> frac_bits) & exp_mask
    local fraction = v & ((1 << frac_bits) - 1)
    local sign = negative and "-" or ""
    if exponent == exp_mask then
      if fraction == 0 then return sign .. "inf" end
      if fraction == 1 << (frac_bits - 1) then return sign .. "nan" end
      return ("%snan:0x%x"):format(sign, fraction)
    end
    if exponent == 0 and fraction == 0 then return sign .. "0" end
    local x = is32 and wasm.f32_from_bits(v) or wasm.f64_from_bits(v)
    return shortest_float(x, v, is32)
  elseif wasm_type == "v128" and type(v) == "string" then
    return ("i32x4 0x%08x 0x%08x 0x%08x 0x%08x"):format(string.unpack("<I4I4I4I4", v))
  elseif v == nil then
    return "null"
  end
  return tostring(v)
end

------------------------------------------------------------------------------
-- Calling exports: call, run --invoke
------------------------------------------------------------------------------

-- The type of the exported function `name`, or a user error that helps.
local function exported_function(mod, name, file)
  local functions = {}
  for _, exp in ipairs(mod:exports()) do
    if exp.name == name then
      if exp.kind ~= "func" then
        user_error("%s: the export %q is a %s, not a function", file, name, exp.kind)
      end
      if exp.type == nil then -- names a type the (invalid) module lacks
        local ok, err = pcall(mod.validate, mod)
        input_error("%s: %s", file, ok and tostring(exp.unknown) or cli.error_text(err))
      end
      return exp.type
    end
    if exp.kind == "func" then functions[#functions + 1] = exp.name end
  end
  if #functions == 0 then
    user_error("%s exports no function %q (it exports no functions at all)", file, name)
  end
  table.sort(functions)
  user_error("%s exports no function %q (its functions: %s)", file, name,
             table.concat(functions, ", "))
end

local function convert_arguments(name, ftype, texts)
  local params = ftype.params or {}
  if #texts ~= #params then
    user_error("%s takes %d argument%s (%s), %d given", name, #params,
               #params == 1 and "" or "s", table.concat(params, " "), #texts)
  end
  local values = {}
  for i, text in ipairs(texts) do
    values[i] = cli.parse_argument(text, params[i],
                                   ("parameter %d of %s has type %s"):format(i, name, params[i]))
  end
  return values
end

-- The exit status for an error raised by running wasm code.
local function failure_status(err)
  local host_status = cli_host.failure_status(err)
  if host_status then return host_status end
  local wasm = require("moonwasm")
  if wasm.is_error(err, "exit") then return err.code end
  if wasm.is_error(err, "trap") or wasm.is_error(err, "exhaustion") then return EXIT_TRAP end
  return EXIT_FAILED
end

-- Report a runtime error on stderr; returns the exit status.
local function report_failure(err, file, env)
  local status = failure_status(err)
  if not require("moonwasm").is_error(err, "exit") then
    env.stderr:write(("moonwasm: %s: %s\n"):format(file, tostring(err)))
  end
  return status
end

-- Instantiate `mod` in `store`; failures are one line (exit status 1, or
-- 134 when the start function traps).
local function instantiate(store, mod, file)
  local ok, inst = pcall(store.instantiate, store, mod)
  if ok then return inst end
  local wasm = require("moonwasm")
  if wasm.is_error(inst, "trap") or wasm.is_error(inst, "exit") then
    error(setmetatable({text = ("%s: %s"):format(file, tostring(inst)),
                        status = failure_status(inst), quiet = wasm.is_error(inst, "exit")},
                       UserError), 0)
  end
  local hint = ""
  if wasm.is_error(inst, "unlinkable") then
    hint = " (moonwasm provides wasi_snapshot_preview1 and, for `call`, spectest)"
  end
  input_error("%s: %s%s", file, cli.error_text(inst), hint)
end

-- Call a WASI reactor's _initialize (if exported) before other exports.
local function initialize_reactor(inst, mod, func, file, env)
  if func == "_initialize" then return nil end
  for _, exp in ipairs(mod:exports()) do
    if exp.name == "_initialize" and exp.kind == "func" then
      local ok, err = pcall(inst.call, inst, "_initialize")
      if not ok then return report_failure(err, file, env) end
    end
  end
  return nil
end

-- Call `func` with the converted arguments and print its results.
local function invoke(inst, mod, func, ftype, values, file, env)
  local status = initialize_reactor(inst, mod, func, file, env)
  if status then return status end
  io.stdout:flush()
  local results = table.pack(pcall(inst.call_bits, inst, func,
                                   table.unpack(values, 1, #(ftype.params or {}))))
  if not results[1] then return report_failure(results[2], file, env) end
  local types = ftype.results or {}
  for i = 2, results.n do
    env.stdout:write(cli.format_result(results[i], types[i - 1]), "\n")
  end
  env.stdout:flush()
  return EXIT_OK
end

local function run_call(args, env)
  local config = cli.config(args)
  local wasm, mod = load_module(args.file, config)
  local ftype = exported_function(mod, args.func, args.file)
  local values = convert_arguments(args.func, ftype, args.args)
  local store = wasm.store(config)
  require("moonwasm.spectest").register(store, wasm)
  store:register(wasm.wasi{args = {args.file}})
  cli_host.prepare(store, mod, args, wasm, config)
  local inst = instantiate(store, mod, args.file)
  local status = invoke(inst, mod, args.func, ftype, values, args.file, env)
  return cli_host.finish(store, args, env, status)
end

------------------------------------------------------------------------------
-- run
------------------------------------------------------------------------------

--- Parse `--dir` values: `HOST` or `HOST::GUEST` (GUEST defaults to HOST as
-- written, so `--dir .` is the preopen "." that wasi-libc matches relative
-- paths against).
-- @tparam {string,...} specs
-- @treturn table preopens for `wasm.wasi`: `{guest, host}` pairs in order
--   (the guest's fds 3, 4, ...)
function cli.preopens(specs)
  local lfs = require_or_fail("lfs", "lua-filesystem")
  local preopens, seen = {}, {}
  for _, spec in ipairs(specs) do
    local host, guest = spec:match("^(.-)::(.*)$")
    if not host then host, guest = spec, spec end
    if host == "" or guest == "" then
      user_error("--dir %s: expected HOST or HOST::GUEST", spec)
    end
    local mode = lfs.attributes(host, "mode")
    if mode ~= "directory" then
      user_error("--dir %s: %s: %s", spec, host, mode and "not a directory" or "no such directory")
    end
    if seen[guest] then user_error("--dir %s: the guest path %s is given twice", spec, guest) end
    seen[guest] = true
    preopens[#preopens + 1] = {guest, host}
  end
  return preopens
end

-- This process's environment as "NAME=VALUE" strings (Lua has no environ:
-- read /proc, or ask env(1)).
local function host_environment()
  local list = {}
  local f = io.open("/proc/self/environ", "rb")
  if f then
    local data = f:read("a") or ""
    f:close()
    for entry in data:gmatch("([^%z]+)") do list[#list + 1] = entry end
    return list
  end
  local p = io.popen("env", "r")
  if p then
    for line in p:lines() do
      if line:find("=", 1, true) then list[#list + 1] = line end
    end
    p:close()
  end
  return list
end

--- The guest's environment from `--inherit-env` and `--env` values.
-- @tparam table args `inherit_env` (boolean), `env` (list of NAME[=VALUE])
-- @tparam function getenv to resolve a bare NAME
-- @treturn {string,...} "NAME=VALUE" strings in order, each name once
function cli.environment(args, getenv)
  local list, position = {}, {}
  local function set(name, value)
    local entry = name .. "=" .. value
    if position[name] then
      list[position[name]] = entry
    else
      list[#list + 1] = entry
      position[name] = #list
    end
  end
  if args.inherit_env then
    for _, entry in ipairs(host_environment()) do
      local name, value = entry:match("^([^=]+)=(.*)$")
      if name then set(name, value) end
    end
  end
  for _, spec in ipairs(args.env or {}) do
    local name, value = spec:match("^([^=]+)=(.*)$")
    if not name then
      if spec == "" or spec:find("=", 1, true) then
        user_error("--env %s: expected NAME=VALUE or NAME", spec)
      end
      name, value = spec, getenv(spec)
    end
    if value then set(name, value) end
  end
  return list
end

local function run_run(args, env)
  local config = cli.config(args)
  local wasm, mod = load_module(args.file, config)
  local argv = {args.argv0 or args.file}
  for _, a in ipairs(args.args) do argv[#argv + 1] = a end
  local ftype, values
  if args.invoke then
    ftype = exported_function(mod, args.invoke, args.file)
    values = convert_arguments(args.invoke, ftype, args.args)
  end
  local ok, wasi = pcall(wasm.wasi, {args = argv, env = cli.environment(args, env.getenv),
                                     preopens = cli.preopens(args.dir)})
  if not ok then user_error("%s", cli.error_text(wasi)) end
  local store = wasm.store(config)
  store:register(wasi)
  cli_host.prepare(store, mod, args, wasm, config)
  local inst = instantiate(store, mod, args.file)
  if args.invoke then
    local status = invoke(inst, mod, args.invoke, ftype, values, args.file, env)
    return cli_host.finish(store, args, env, status)
  end

  local kinds = {}
  for _, exp in ipairs(mod:exports()) do kinds[exp.name] = exp.kind end
  if kinds._start ~= "func" then
    user_error("%s is not a WASI command: it exports no _start function%s", args.file,
               kinds._initialize == "func" and " (it is a reactor: use --invoke FUNC)"
               or " (use --invoke FUNC, or see `moonwasm inspect`)")
  end
  -- The guest writes straight to fds 1 and 2: nothing of ours may follow later.
  io.stdout:flush()
  io.stderr:flush()
  local started, code = pcall(wasi.start, wasi, inst)
  if not started then code = report_failure(code, args.file, env) end
  return cli_host.finish(store, args, env, code)
end

local COMMANDS = {wast = run_wast, inspect = run_inspect, call = run_call, run = run_run,
                  compile = run_compile}

------------------------------------------------------------------------------
-- Entry point
------------------------------------------------------------------------------

-- Options that take a value, by command (for finding the first operand).
local VALUE_OPTIONS = {run = {["--dir"] = true, ["--env"] = true, ["--invoke"] = true,
                              ["--features"] = true, ["--argv0"] = true},
                       call = {["--features"] = true}}
for _, command in ipairs {"run", "call"} do
  for _, option in ipairs(cli_host.VALUE_OPTIONS) do VALUE_OPTIONS[command][option] = true end
end

--- Mark where a command's own options end.  For `run`, everything after
-- the program file belongs to the program; for `call`, the function's
-- arguments may look like options (`-1`, `-inf`).  So `--` is inserted
-- before the first operand, and argparse takes the rest as operands.
-- @tparam {string,...} list the arguments (changed in place)
-- @treturn {string,...} list
function cli.mark_operands(list)
  local options = VALUE_OPTIONS[list[1]]
  if not options then return list end
  local i = 2
  while i <= #list do
    local word = list[i]
    if word == "--" then return list end
    if word:sub(1, 1) ~= "-" or word == "-" then
      table.insert(list, i, "--")
      return list
    end
    if options[word] then i = i + 1 end -- its value
    i = i + 1
  end
  return list
end

local function version_text()
  local ok, wasm = pcall(require, "moonwasm")
  return ("moonwasm %s (%s)"):format(ok and wasm.version or "(core not loadable)", _VERSION)
end

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
  if list[1] and (list[1]:match("%.wasm$") or list[1]:match("%.wat$") or list[1]:match("%.so$"))
     and not COMMANDS[list[1]] then
    table.insert(list, 1, "run") -- `moonwasm prog.wasm args...`
  end
  cli.mark_operands(list)

  local ok, status = xpcall(function()
    if list[1] == "help" and list[2] and not COMMANDS[list[2]] then
      user_error("help: unknown command '%s' (the commands: run, inspect, call, wast)", list[2])
    end
    local parsed_ok, args = cli.parser():pparse(list)
    if not parsed_ok then
      local command = list[1] and COMMANDS[list[1]] and (" " .. list[1]) or ""
      env.stderr:write(("moonwasm%s: %s (see moonwasm%s --help)\n"):format(
        command, args:gsub("%s*\n%s*", "; "), command))
      return EXIT_USAGE
    end
    if args.version then
      env.stdout:write(version_text(), "\n")
      return EXIT_OK
    end
    if not args.command then
      user_error("a command is required: run, inspect, call or wast (see moonwasm --help)")
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
  elseif not status.quiet then
    env.stderr:write("moonwasm: ", status.text, "\n")
  end
  return status.status or EXIT_FAILED
end

return cli
