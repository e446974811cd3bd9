--- Host control for the `moonwasm` command line: resource limits, Ctrl-C,
-- preloaded modules, stubs for unknown imports and profiles (used by
-- moonwasm.cli for `run` and `call`), and `inspect` of modules that use
-- features moonwasm does not implement.
-- @module moonwasm.cli_host

local M = {}

local EXIT_INTERRUPTED = 130 -- 128 + SIGINT, what a shell reports for Ctrl-C

-- moonwasm.cli sets this to its usage error (exit status 2).
M.user_error = function(fmt, ...) error(fmt:format(...), 0) end
local function fail(fmt, ...) M.user_error(fmt, ...) end

--- The options that take a value (moonwasm.cli must know them to find
-- where the program's own arguments start).
M.VALUE_OPTIONS = {"--fuel", "--max-memory", "--timeout", "--max-stack",
                   "--preload", "--profile"}

--- Add the host-control options to an argparse command (`run`, `call`).
function M.add_options(cmd)
  cmd:option("--fuel", "Run on N units of fuel (one per wasm instruction); " ..
    "running out traps (exit status 134).")
    :argname("N")
  cmd:option("--max-memory", "Limit each linear memory to SIZE (bytes, or " ..
    "with a suffix K, M, G; rounded down to 64 KiB pages): memory.grow past " ..
    "it fails.")
    :argname("SIZE")
  cmd:option("--timeout", "Trap with \"deadline exceeded\" after SECONDS " ..
    "(fractions allowed) of wall-clock time (exit status 134).")
    :argname("SECONDS")
  cmd:option("--max-stack", "Allow N nested wasm calls; deeper recursion traps " ..
    "with \"call stack exhausted\".")
    :argname("N")
  cmd:option("--preload", "Instantiate FILE first and make its exports " ..
    "importable as module NAME (repeatable, in order).")
    :argname("NAME=FILE"):count("*")
  cmd:mutex(
    cmd:flag("--trap-unknown-imports", "Link every function import nothing " ..
      "provides to a function that traps when called."),
    cmd:flag("--default-values-unknown-imports", "Link every function import " ..
      "nothing provides to a function that returns zeros (and null references)."))
  cmd:option("--profile", "Write a per-function profile of the run to FILE " ..
    "as folded stacks (`a;b;c COUNT` lines, wasm instructions as the count), " ..
    "for flamegraph.pl or speedscope.")
    :argname("FILE")
end

--- Before instantiating the program: preloads, stubs, limits, Ctrl-C.
function M.prepare(store, mod, args, wasm, config)
  M.preload(store, args.preload, wasm, config)
  if args.trap_unknown_imports then
    M.stub_unknown_imports(store, mod, "trap", wasm)
  elseif args.default_values_unknown_imports then
    M.stub_unknown_imports(store, mod, "zero", wasm)
  end
  if args.profile and M.start_profile then M.start_profile(store, args) end
  M.arm(store, args)
end

--- After the run: Ctrl-C back to its default, the profile written.
-- @treturn integer the exit status
function M.finish(store, args, env, status)
  M.disarm(store)
  if args.profile and M.write_profile then
    local ok, why = pcall(M.write_profile, store, args.profile)
    if not ok then
      env.stderr:write(("moonwasm: --profile %s: %s\n"):format(args.profile, tostring(why)))
      if status == 0 then status = 1 end
    end
  end
  return status
end

--- `inspect` of a module `wasm.load` refuses because it uses a feature
-- moonwasm does not implement (or has off): list its imports and exports
-- read from the bytes and name the feature.  nil when the module loads
-- (or fails for another reason): inspect then goes its usual way.
function M.inspect_unloadable(args, env, config)
  local wasm = require("moonwasm")
  local f = io.open(args.file, "rb")
  if not f then return nil end
  local bytes = f:read("a")
  f:close()
  if not bytes or bytes:sub(1, 4) ~= "\0asm" then return nil end
  local ok, err = pcall(wasm.load, bytes, config)
  if ok then return nil end
  local why = type(err) == "table" and tostring(err.message) or tostring(err)
  if not (why:find("not supported", 1, true) or why:find("not enabled", 1, true)) then
    return nil
  end
  M.write_unsupported(args.file, bytes, err, env.stdout)
  return 0
end

--- Parse a size: bytes, or a number with a suffix K, M, G (powers of
-- 1024; KiB, MiB, GiB and lower case too) or `pages` (64 KiB each).
-- @tparam string text
-- @treturn integer bytes, or nil
function M.parse_size(text)
  local num, unit = tostring(text):match("^%s*(%d+)%s*(%a*)%s*$")
  if not num then return nil end
  local scale = ({[""] = 1, b = 1, k = 1024, kb = 1024, kib = 1024,
                  m = 1024 ^ 2, mb = 1024 ^ 2, mib = 1024 ^ 2,
                  g = 1024 ^ 3, gb = 1024 ^ 3, gib = 1024 ^ 3,
                  page = 65536, pages = 65536})[unit:lower()]
  if not scale then return nil end
  return math.tointeger(tonumber(num) * scale)
end

--- Add the options of these flags to a `wasm.config` table.
-- @tparam table args parsed arguments (`max_memory`, `max_stack`, `fuel`)
-- @tparam table opts the config options, changed in place
-- @treturn table opts
function M.config_options(args, opts)
  if args.max_memory then
    local bytes = M.parse_size(args.max_memory)
    if not bytes then
      fail("--max-memory %s: expected a size such as 65536, 640K, 16M or 2G", args.max_memory)
    end
    opts.max_memory_pages = math.min(65536, bytes // 65536)
  end
  if args.max_stack then
    local n = math.tointeger(tonumber(args.max_stack))
    if not n or n < 1 or n > 1000000 then
      fail("--max-stack %s: expected a number of nested calls, 1 to 1000000", args.max_stack)
    end
    opts.max_call_depth = n
  end
  if args.fuel then
    local n = math.tointeger(tonumber(args.fuel))
    if not n or n < 0 then fail("--fuel %s: expected an integer >= 0", args.fuel) end
    opts.fuel = true
  end
  if args.profile then opts.statistics = {instructions = true} end
  if args.timeout then
    local t = tonumber(args.timeout)
    if not t or t <= 0 then fail("--timeout %s: expected a number of seconds > 0", args.timeout) end
  end
  return opts
end

--- Before running: fuel, the deadline and Ctrl-C on `store`.
function M.arm(store, args)
  if args.fuel then store:set_fuel(math.tointeger(tonumber(args.fuel))) end
  if args.timeout then store:set_deadline(tonumber(args.timeout)) end
  store:interrupt_on_sigint(true)
end

--- After running: Ctrl-C back to its default.
function M.disarm(store)
  pcall(store.interrupt_on_sigint, store, false)
end

--- The exit status for `err` if the host decides it: 130 for a guest
-- stopped by Ctrl-C.
function M.failure_status(err)
  local core = require("moonwasm.core")
  if type(err) == "table" and err.kind == "trap" and err.message == "interrupted"
     and core.sigint_count() > 0 then
    return EXIT_INTERRUPTED
  end
  return nil
end

--- `--preload NAME=FILE`: instantiate each FILE in `store` and register
-- its exports as module NAME, in order (later ones may import earlier).
function M.preload(store, specs, wasm, config)
  for _, spec in ipairs(specs or {}) do
    local name, file = spec:match("^([^=]+)=(.+)$")
    if not name then fail("--preload %s: expected NAME=FILE", spec) end
    local ok, mod = pcall(wasm.load_file, file, config)
    if not ok then
      fail("--preload %s: %s", spec, type(mod) == "table" and
           ("%s: %s"):format(mod.kind, mod.message) or tostring(mod))
    end
    local iok, err = pcall(store.register, store, name, mod)
    if not iok then
      fail("--preload %s: %s", spec, type(err) == "table" and
           ("%s: %s"):format(err.kind, err.message) or tostring(err))
    end
  end
end

local ZERO = {i32 = 0, i64 = 0, f32 = 0.0, f64 = 0.0, v128 = string.rep("\0", 16)}

--- `--trap-unknown-imports` / `--default-values-unknown-imports`: define
-- a function for every function import of `mod` that `store` cannot
-- resolve, which traps when called or returns zeros (and nulls).
-- @treturn integer how many were defined
function M.stub_unknown_imports(store, mod, how, wasm)
  local n = 0
  for _, imp in ipairs(mod:imports()) do
    if imp.kind == "func" and imp.type and not store:lookup(imp.module, imp.name) then
      local params, results = imp.type.params or {}, imp.type.results or {}
      local fn
      if how == "trap" then
        local text = ("unknown import: %s::%s has not been defined"):format(imp.module, imp.name)
        fn = function() error(wasm.error("trap", text), 0) end
      else
        fn = function()
          local out = {}
          for i, t in ipairs(results) do out[i] = ZERO[t] end
          return table.unpack(out, 1, #results)
        end
      end
      store:define(imp.module, imp.name, wasm.func(params, results, fn, {name = imp.module .. "." .. imp.name}))
      n = n + 1
    end
  end
  return n
end

------------------------------------------------------------------------------
-- inspect, for modules moonwasm cannot load
------------------------------------------------------------------------------

local VALTYPES = {[0x7F] = "i32", [0x7E] = "i64", [0x7D] = "f32", [0x7C] = "f64",
                  [0x7B] = "v128", [0x70] = "funcref", [0x6F] = "externref",
                  [0x69] = "exnref", [0x6E] = "anyref", [0x6D] = "eqref",
                  [0x6C] = "i31ref", [0x6B] = "structref", [0x6A] = "arrayref",
                  [0x71] = "nullref", [0x72] = "nullexternref", [0x73] = "nullfuncref",
                  [0x74] = "nullexnref"}
local KINDS = {[0] = "func", "table", "memory", "global", "tag"}

-- A cursor over bytes: LEB128 and names.
local function reader(bytes, pos)
  local r = {pos = pos}
  function r.byte()
    local b = bytes:byte(r.pos)
    if not b then error("unexpected end", 0) end
    r.pos = r.pos + 1
    return b
  end
  function r.uleb()
    local v, shift = 0, 0
    repeat
      local b = r.byte()
      v = v | ((b & 0x7F) << shift)
      shift = shift + 7
    until b < 0x80 or shift > 63
    return v
  end
  function r.sleb()
    local v, shift, b = 0, 0, 0
    repeat
      b = r.byte()
      v = v | ((b & 0x7F) << shift)
      shift = shift + 7
    until b < 0x80
    if shift < 64 and b & 0x40 ~= 0 then v = v | (-1 << shift) end
    return v
  end
  function r.name()
    local n = r.uleb()
    local s = bytes:sub(r.pos, r.pos + n - 1)
    r.pos = r.pos + n
    return s
  end
  function r.valtype()
    local b = r.byte()
    if b == 0x63 or b == 0x64 then -- (ref null? heaptype)
      local ht = r.sleb()
      return ("(ref %s%s)"):format(b == 0x63 and "null " or "", VALTYPES[ht & 0x7F | 0x00] or tostring(ht))
    end
    return VALTYPES[b] or ("0x%02x"):format(b)
  end
  function r.limits()
    local flags = r.uleb()
    local min = r.uleb()
    local max = (flags & 1) ~= 0 and r.uleb() or nil
    return min, max, flags
  end
  return r
end

local function limits_text(min, max, flags)
  local s = tostring(min) .. (max and (" " .. max) or "")
  if flags & 4 ~= 0 then s = "i64 " .. s end
  if flags & 2 ~= 0 then s = s .. " shared" end
  return s
end

--- The imports and exports of a module read straight from its bytes, for
-- one `wasm.load` refused.  Types it cannot read are shown as far as read.
-- @treturn table `{imports = {{module, name, kind, text}}, exports = {{name, kind, index}}}`
function M.read_interface(bytes)
  local out = {imports = {}, exports = {}, types = {}}
  if bytes:sub(1, 4) ~= "\0asm" then return out end
  local pos = 9
  while pos <= #bytes do
    local r = reader(bytes, pos)
    local ok = pcall(function()
      local id = r.byte()
      local size = r.uleb()
      local start = r.pos
      pos = start + size
      if id == 1 then
        for i = 0, r.uleb() - 1 do
          local form = r.byte()
          if form == 0x4E then -- rec group: read the first type only
            r.uleb()
            form = r.byte()
          end
          if form == 0x50 or form == 0x4F then -- sub: skip supertypes
            for _ = 1, r.uleb() do r.uleb() end
            form = r.byte()
          end
          if form ~= 0x60 then break end
          local params, results = {}, {}
          for k = 1, r.uleb() do params[k] = r.valtype() end
          for k = 1, r.uleb() do results[k] = r.valtype() end
          out.types[i] = ("(func%s%s)"):format(
            #params > 0 and (" (param " .. table.concat(params, " ") .. ")") or "",
            #results > 0 and (" (result " .. table.concat(results, " ") .. ")") or "")
        end
      elseif id == 2 then
        for _ = 1, r.uleb() do
          local module, name = r.name(), r.name()
          local kind = KINDS[r.byte()] or "?"
          local text
          if kind == "func" then
            local t = r.uleb()
            text = out.types[t] or ("(type " .. t .. ")")
          elseif kind == "table" then
            local et = r.valtype()
            text = ("(table %s %s)"):format(limits_text(r.limits()), et)
          elseif kind == "memory" then
            text = ("(memory %s)"):format(limits_text(r.limits()))
          elseif kind == "global" then
            local t = r.valtype()
            text = ("(global %s)"):format(r.byte() == 1 and ("(mut " .. t .. ")") or t)
          else
            r.byte()
            text = "(tag " .. r.uleb() .. ")"
          end
          out.imports[#out.imports + 1] = {module = module, name = name, kind = kind, text = text}
        end
      elseif id == 7 then
        for _ = 1, r.uleb() do
          local name = r.name()
          local kind = KINDS[r.byte()] or "?"
          out.exports[#out.exports + 1] = {name = name, kind = kind, index = r.uleb()}
        end
      end
    end)
    if not ok then break end
  end
  return out
end

--- Write what `read_interface` found, and why the module cannot be
-- loaded, as `moonwasm inspect` does for modules it can.
function M.write_unsupported(file, bytes, err, out)
  local d = M.read_interface(bytes)
  local why = type(err) == "table" and tostring(err.message) or tostring(err)
  out:write(("%s: %d bytes; moonwasm cannot load it: %s\n"):format(file, #bytes, why))
  local feature = why:match(":%s*([^:()]-) is not enabled") or why:match(":%s*([^:()]-) are not enabled")
                  or why:match("^([^:()]-) is not supported") or why:match("^([^:()]-) are not supported")
  if feature then out:write(("unsupported feature: %s\n"):format(feature)) end
  out:write(("imports (%d):\n"):format(#d.imports))
  for _, imp in ipairs(d.imports) do
    out:write(("  %s %s.%s %s\n"):format(imp.kind, imp.module, imp.name, imp.text))
  end
  out:write(("exports (%d):\n"):format(#d.exports))
  for _, e in ipairs(d.exports) do
    out:write(("  %s %s (%s %d)\n"):format(e.kind, e.name, e.kind, e.index))
  end
  return d
end

--- `--profile FILE`: profile from instantiation on.
function M.start_profile(store)
  store:start_profile()
end

--- Write the store's profile to `path` as folded stacks.
function M.write_profile(store, path)
  store:stop_profile()
  local wasm = require("moonwasm")
  local f, why = io.open(path, "w")
  if not f then error(why, 0) end
  f:write(wasm.folded(store:profile()))
  f:close()
end

return M
