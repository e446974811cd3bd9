--- moonwasm.aot: ahead-of-time compilation through the system C compiler.
--
-- Every function of a module is translated to C and compiled by `cc` into
-- a shared object that runs in place of the interpreter, with the same
-- results, traps and limits (see src/aot/README.md).
--
--     local wasm = require "moonwasm"
--     local mod = wasm.load_file("prog.wasm")
--     wasm.compile(mod)                           -- native from now on
--     wasm.compile(mod, {output = "prog.so"})     -- or an artifact
--     local same = wasm.load_file("prog.so")      -- runs it natively
--
-- TRUST: loading an artifact (.so, or the native section of a universal
-- .wasm) runs its machine code in this process, outside any sandbox.  The
-- checks made first (wasm hash, moonwasm version, target) catch stale or
-- foreign artifacts, not malicious ones.
-- @module moonwasm.aot
local core = require("moonwasm.core")

local M = {}

local function usage(fmt, ...)
  error(core.error("usage", fmt:format(...)), 3)
end

local option_names = {cc = true, opt = true, output = true, cache = true, keep_c = true}

--- Compile `mod` to native code.
-- Options: `opt` ("O0".."O3", "Os"; default "O2"), `cc` (default
-- $MOONWASM_CC or "cc"), `output` (write an artifact there instead of
-- attaching: a universal module if it ends in ".wasm", else a shared
-- object), `cache` (a directory of reusable artifacts), `keep_c` (also
-- write the generated C there).
-- @param mod a Module
-- @tparam[opt] table opts
-- @return with `output`, true; else how many functions run natively (the
-- others, using instructions the translator does not cover, stay with the
-- interpreter)
function M.compile(mod, opts)
  if opts ~= nil then
    if type(opts) ~= "table" then usage("compile: expected an options table, got %s", type(opts)) end
    for k in pairs(opts) do
      if not option_names[k] then usage("compile: unknown option %s", tostring(k)) end
    end
  end
  return core.aot_compile(mod, opts)
end

--- Load a .so artifact: its module (decoded with `load(bytes, config)`),
-- with the native code attached.
function M.load_so(path, config, load)
  local bytes = core.aot_wasm_bytes(path)
  local mod = load(bytes, config)
  core.aot_attach(mod, path)
  return mod
end

--- Attach the native code of a universal module, if it has some that fits
-- this machine and moonwasm.  Returns the number of native functions, or
-- nil and why not (the module then runs in the interpreter).
function M.attach_universal(mod)
  return core.aot_attach_universal(mod)
end

--- How many of `mod`'s functions run natively (0 without native code).
function M.native_funcs(mod)
  return core.aot_native_funcs(mod)
end

--- The functions of `mod` the translator leaves to the interpreter: a list
-- of `{func = index, name = name or nil, reason = text}`, in index order
-- (empty when every function is translated).
function M.fallbacks(mod)
  local list = {}
  for line in core.aot_fallbacks(mod):gmatch("[^\n]+") do
    local idx, name, why = line:match("^(%d+) ?([^:]*): (.*)$")
    list[#list + 1] = {func = tonumber(idx), name = name ~= "" and name or nil, reason = why}
  end
  return list
end

return M
