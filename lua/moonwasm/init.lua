--- moonwasm: a WebAssembly runtime for Lua 5.4.
--
-- The friendly layer over `moonwasm.core` (the C binding).  Everything the C
-- layer does is reachable from here; this file adds argument normalisation,
-- wat-like `tostring` for types, import objects, configuration by name,
-- `store:register`, one-shot `wasm.instantiate` and the VM facade.
--
--     local wasm = require "moonwasm"
--     local inst = wasm.instantiate(wasm.load_file("add.wasm"),
--                                   {env = {add = function(a, b) return a + b end}})
--     print(inst.exports.run())
--
-- Errors are objects (see `wasm.is_error`): `err.kind`, `err.message`,
-- and for traps `err.frames` / `err.traceback`.
-- @module moonwasm

local core = require "moonwasm.core"

local M = {}
M.version = core.version
M.core = core

local mt = core.metatables
local type, pairs, ipairs, select = type, pairs, ipairs, select
local getmetatable, setmetatable = getmetatable, setmetatable
local concat, format = table.concat, string.format

--- Raise a "usage" error object.
local function usage(fmt, ...)
  error(core.error("usage", format(fmt, ...)), 0)
end

-- ------------------------------------------------------------------ errors

--- Make an error object: `wasm.error(kind, message [, fields])`.
-- @function error
M.error = core.error
--- The whole story of an error raised through wasm and Lua layers: see
-- `core.traceback` (an error object's text plus the Lua traceback of the
-- host function that raised it; for another value a host function raised,
-- the host function, its Lua traceback and the wasm frames it unwound).
M.traceback = core.traceback

--- Memory views and strings (`mem:view`, `mem:read_cstring`, ...) and
-- `wasm.guest(inst)`: see `moonwasm.memory`.
M.guest = require("moonwasm.memory").guest

--- A profile (`store:profile()`) as folded stacks, the input of
-- flamegraph.pl, speedscope or inferno: one line per stack,
-- `outer;...;inner WEIGHT`, the weight its sampled time in microseconds
-- (at least 1), heaviest first.
-- @tparam table profile
-- @treturn string
function M.folded(profile)
  local lines = {}
  for _, st in ipairs(profile and profile.stacks or {}) do
    local names = {}
    for i, name in ipairs(st.frames) do names[i] = name:gsub("[; ]", "_") end
    lines[#lines + 1] = {table.concat(names, ";"), math.max(1, math.floor(st.time * 1e6 + 0.5))}
  end
  table.sort(lines, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  local out = {}
  for i, l in ipairs(lines) do out[i] = l[1] .. " " .. l[2] .. "\n" end
  return table.concat(out)
end

--- True if `v` is a moonwasm error object (optionally of kind `kind`).
-- @param v any value
-- @param[opt] kind e.g. "trap"
function M.is_error(v, kind)
  return getmetatable(v) == mt.Error and (kind == nil or v.kind == kind)
end

-- ------------------------------------------------------------------ values

--- f32/f64 bit-pattern helpers (exact, for test harnesses).
-- `f32_bits(x)`: integer 0..0xFFFFFFFF; `f64_bits(x)`: the int64 with the
-- double's bits; `f32_from_bits(n)`, `f64_from_bits(n)`: back to floats.
M.f32_bits = core.f32_bits
M.f64_bits = core.f64_bits
M.f32_from_bits = core.f32_from_bits
M.f64_from_bits = core.f64_from_bits

-- v128 values are 16-byte strings (the bytes wasm stores, lane 0 first).
-- `v128(shape, ...)` builds one from a lane per argument;
-- `lanes(v, shape)` returns its lanes.  Shapes: i8x16 i16x8 i32x4 i64x2
-- (read back signed), u8x16 u16x8 u32x4 (unsigned), f32x4 f64x2; NaN bits
-- of f32 lanes survive the round trip.
--    wasm.lanes(wasm.v128("i32x4", 1, 2, 3, -1), "u32x4") --> 1 2 3 4294967295
M.v128 = core.v128
M.lanes = core.lanes

-- ------------------------------------------------------------------ types

local function list(t)
  return concat(t, " ")
end

local function limits(t)
  local at = t.index == "i64" and "i64 " or "" -- memory64: the address type
  return at .. (t.max and (t.min .. " " .. t.max) or tostring(t.min))
end

--- `tostring` of types reads like wat.
-- `(func (param i32 i32) (result i32))`, `(memory 1 4)`,
-- `(table 10 funcref)`, `(global (mut i32))`.
mt.FuncType.__tostring = function(t)
  local parts = {"(func"}
  if #t.params > 0 then parts[#parts + 1] = " (param " .. list(t.params) .. ")" end
  if #t.results > 0 then parts[#parts + 1] = " (result " .. list(t.results) .. ")" end
  parts[#parts + 1] = ")"
  return concat(parts)
end
mt.MemoryType.__tostring = function(t) return "(memory " .. limits(t) .. ")" end
mt.TableType.__tostring = function(t)
  return "(table " .. limits(t) .. " " .. t.element .. ")"
end
mt.GlobalType.__tostring = function(t)
  return t.mutable and ("(global (mut " .. t.type .. "))") or ("(global " .. t.type .. ")")
end

local function same_list(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end

--- Types compare by value: `mod:exports()[1].type == fn:type()`.
mt.FuncType.__eq = function(a, b)
  return same_list(a.params, b.params) and same_list(a.results, b.results)
end
mt.MemoryType.__eq = function(a, b) return a.min == b.min and a.max == b.max end
mt.TableType.__eq = function(a, b)
  return a.element == b.element and a.min == b.min and a.max == b.max
end
mt.GlobalType.__eq = function(a, b) return a.type == b.type and a.mutable == b.mutable end

local function quote(s) return format("%q", s) end

-- An entry of a module not yet validated may name an index the module
-- lacks: it has no type then, only `unknown` ("unknown type 7").
local function desc_type_text(d)
  if d.type == nil and d.unknown then return format("(%s <%s>)", d.kind, d.unknown) end
  return tostring(d.type)
end
local ImportDesc = {__name = "moonwasm.ImportDesc"}
ImportDesc.__tostring = function(d)
  return format("(import %s %s %s)", quote(d.module), quote(d.name), desc_type_text(d))
end
local ExportDesc = {__name = "moonwasm.ExportDesc"}
ExportDesc.__tostring = function(d)
  return format("(export %s %s)", quote(d.name), desc_type_text(d))
end

-- ------------------------------------------------------------------ config

local Config = {__name = "moonwasm.Config", __metatable = "moonwasm.Config"}
--- Configs work as `<close>` variables (closing one does nothing).
Config.__close = function() end
local config_keys = {
  features = true, max_memory_pages = true, max_table_size = true,
  max_call_depth = true, max_host_depth = true, value_stack_slots = true,
  statistics = true, cost_table = true, cost_limit = true,
  fuel = true, eager_compile = true,
}
local statistic_flags = {instructions = "count_instructions", cost = "count_cost",
                         time = "count_time"}

--- Make a configuration.
--     wasm.config{features = {simd = true, tail_call = false},
--                 max_memory_pages = 1024, max_call_depth = 10000,
--                 statistics = {instructions = true, cost = true, time = true},
--                 cost_table = {["i32.add"] = 2, default = 1}, cost_limit = nil}
-- `features` is a table of name = boolean over the defaults (Wasm 2.0 but
-- SIMD): `mutable_globals`, `sign_ext`, `sat_conv`, `multi_value`,
-- `bulk_memory`, `reference_types`, `simd`, and of Wasm 3.0 `tail_call`,
-- `relaxed_simd`, `function_references`, `gc`, `exceptions`,
-- `legacy_exceptions`, `extended_const`, `const_globals` (constant
-- expressions read earlier defined globals), `multi_memory`, `memory64`;
-- or an integer bit set.  The Wasm 3.0 features implemented are on by
-- default; switched off, a module using one fails as in Wasm 2.0.  A module that uses an
-- instruction the runtime does not implement fails to load, with a message
-- naming the feature and the instruction's byte offset.
-- Limits: `max_memory_pages`, `max_table_size`, `max_call_depth`,
-- `max_host_depth`, `value_stack_slots`.
--
-- Statistics (read with `store:statistics()` or `vm:statistics()`):
-- `instructions` and `cost` are counted by code compiled for it: modules
-- loaded with this config (`wasm.load(bytes, config)`), and any module
-- instantiated in a store made with it (decoded again from its bytes, with
-- the store's counting, when it was loaded otherwise); `time` times the
-- calls into a store made with it.  `cost_table` maps
-- instruction names ("i32.add", "call", "select") to integer costs; its
-- `default` (1 if absent) is the cost of every instruction not named; an
-- unknown name is a usage error.  `cost_limit` (an integer, or nil for
-- none): a call that runs past it fails with an "exhaustion" error "cost
-- limit exceeded", and so does every later call until
-- `store:reset_statistics()`.  A `cost_table` or a `cost_limit` turns cost
-- counting on by itself.
-- `eager_compile = true`: modules loaded with it compile every function
-- body at load (by default a body is validated at load and compiled on
-- its first call, so large modules are ready sooner).
-- `fuel = true`: code instantiated in a store made with it consumes fuel
-- (`store:set_fuel`) one unit per wasm instruction, as with wasmtime's
-- `consume_fuel` (it counts instructions).
-- @tparam[opt] table opts
-- @return a Config (a table with the fields moonwasm.core reads)
function M.config(opts)
  if getmetatable(opts) == "moonwasm.Config" then return opts end
  if opts ~= nil and type(opts) ~= "table" then
    usage("config: expected a table, got %s", type(opts))
  end
  opts = opts or {}
  for k in pairs(opts) do
    if not config_keys[k] then usage("config: unknown option %q", tostring(k)) end
  end
  local cfg = setmetatable({}, Config)
  local features = core.defaults.features
  if type(opts.features) == "number" then
    features = opts.features
  elseif type(opts.features) == "table" then
    for name, on in pairs(opts.features) do
      local bit = core.features[name]
      if not bit then usage("config: unknown feature %q", tostring(name)) end
      if on then features = features | bit else features = features & ~bit end
    end
  elseif opts.features ~= nil then
    usage("config.features: expected a table, got %s", type(opts.features))
  end
  cfg.features = features
  for _, k in ipairs {"max_memory_pages", "max_table_size", "max_call_depth",
                      "max_host_depth", "value_stack_slots"} do
    cfg[k] = opts[k]
  end
  local stats = opts.statistics
  if stats ~= nil and type(stats) ~= "table" then
    usage("config.statistics: expected a table, got %s", type(stats))
  end
  for k, on in pairs(stats or {}) do
    local flag = statistic_flags[k]
    if not flag then
      usage("config.statistics: unknown statistic %q (instructions, cost, time)", tostring(k))
    end
    cfg[flag] = on and true or false
  end
  cfg.statistics = stats
  if opts.cost_table ~= nil then
    cfg.cost_table = core.cost_table(opts.cost_table)
    cfg.count_cost = true
  end
  if opts.cost_limit ~= nil then
    if math.type(opts.cost_limit) ~= "integer" or opts.cost_limit < 1 then
      usage("config.cost_limit: expected a positive integer or nil, got %s",
            tostring(opts.cost_limit))
    end
    cfg.cost_limit = opts.cost_limit
    cfg.count_cost = true
  end
  -- fuel: count instructions, so that fuel (store:set_fuel) is consumed
  -- one unit per wasm instruction.
  if opts.fuel then cfg.count_instructions = true end
  cfg.eager_compile = opts.eager_compile and true or nil
  core.store(cfg):close() -- check every limit now, not at first use
  return cfg
end

local function config_of(c)
  if c == nil or getmetatable(c) == "moonwasm.Config" then return c end
  return M.config(c)
end

-- ------------------------------------------------------------------ modules

--- Encode a module in the WebAssembly text format to the binary format.
-- Raises a "malformed" error with the reference interpreter's wording and
-- the line:column of the problem.
-- @tparam string text `(module ...)` or its fields alone
-- @param[opt] config its `features` select between editions where their
--   text differs (see `config`)
-- @treturn string the .wasm bytes
function M.wat(text, config)
  if type(text) ~= "string" then usage("wat: expected a string, got %s", type(text)) end
  local features = nil
  if type(config) == "number" then features = config
  elseif config ~= nil then features = config_of(config).features end
  return core.wat(text, features)
end

--- Parse a .wast script into its commands (tables shaped like wast2json's
-- JSON commands, with modules inline: `wasm`, `quote`, or `error_kind` and
-- `error`).  Used by `moonwasm.wast`.
-- @tparam string text
-- @tparam[opt] integer features
-- @treturn table
function M.parse_wast(text, features)
  if type(text) ~= "string" then usage("parse_wast: expected a string, got %s", type(text)) end
  return core.parse_wast(text, features)
end

--- Decode a module (raises a "malformed" error).  Binary modules start with
-- "\0asm"; anything else is read as the text format (see `wat`).
-- @tparam string bytes the .wasm (or .wat) contents
-- @param[opt] config see `config`
-- @return Module
function M.load(bytes, config)
  if type(bytes) ~= "string" then usage("load: expected a string of bytes, got %s", type(bytes)) end
  config = config_of(config)
  if bytes:sub(1, 4) ~= "\0asm" and bytes:find("^%s*[(;]") then
    bytes = core.wat(bytes, config and config.features)
  end
  return core.load(bytes, config)
end

--- Read and decode a .wasm file.
-- @tparam string path
-- @param[opt] config
-- @return Module
function M.load_file(path, config)
  if type(path) ~= "string" then usage("load_file: expected a path, got %s", type(path)) end
  local f, err = io.open(path, "rb")
  if not f then usage("load_file: cannot open %s", err) end
  local bytes = f:read("a")
  f:close()
  -- AOT artifacts (moonwasm.aot): a shared object, or a universal module
  -- whose native section is used when it fits this machine.
  if bytes:sub(1, 4) == "\127ELF" then
    return require("moonwasm.aot").load_so(path, config, M.load)
  end
  local mod = M.load(bytes, config)
  if bytes:find("moonwasm.aot", 1, true) then
    require("moonwasm.aot").attach_universal(mod)
  end
  return mod
end

--- Compile a module to native code through the system C compiler (see
-- `moonwasm.aot`).
-- @param mod a Module
-- @tparam[opt] table opts
function M.compile(mod, opts)
  return require("moonwasm.aot").compile(mod, opts)
end

local Module = mt.Module.__index
local c_imports, c_exports = Module.imports, Module.exports

--- `mod:imports()`: `{ {module=, name=, kind=, type=}, ... }`; each entry
-- prints as `(import "env" "add" (func ...))`.
function Module.imports(self)
  local t = c_imports(self)
  for i = 1, #t do setmetatable(t[i], ImportDesc) end
  return t
end

--- `mod:exports()`: `{ {name=, kind=, type=}, ... }`; each entry prints as
-- `(export "fib" (func ...))`.
function Module.exports(self)
  local t = c_exports(self)
  for i = 1, #t do setmetatable(t[i], ExportDesc) end
  return t
end

-- ------------------------------------------------------------------ host objects

local function is_functype(t)
  return type(t) == "table" and type(t.params) == "table" and type(t.results) == "table"
end

--- A host function.
--     wasm.func({"i32","i32"}, {"i32"}, function(a, b) return a + b end)
--     wasm.func(params, results, function(caller, ...) end, {caller = true})
-- The first two arguments may instead be one function type table.
-- Options: `caller` (pass a Caller first), `name` (used in messages).
-- @return Func
function M.func(params, results, fn, opts)
  if is_functype(params) then
    params, results, fn, opts = params.params, params.results, results, fn
  end
  if type(params) ~= "table" then usage("func: params must be a list of value types") end
  if type(results) ~= "table" then usage("func: results must be a list of value types") end
  if type(fn) ~= "function" then usage("func: expected a function, got %s", type(fn)) end
  if opts ~= nil and type(opts) ~= "table" then usage("func: options must be a table") end
  opts = opts or {}
  return core.func(params, results, fn, opts.caller and true or false, opts.name)
end

--- A host memory: `wasm.memory{min = 1, max = 4}` (pages); `index = "i64"`
-- makes a 64-bit memory (memory64), importable only as one.  Shared
-- memories (threads) are not supported: `shared = true` is a usage error.
-- @return Memory
function M.memory(t)
  if type(t) ~= "table" then usage("memory: expected {min=, max=}, got %s", type(t)) end
  if t.shared then usage("memory: shared memories are not supported") end
  return core.memory(t.min or 0, t.max, t.index)
end

--- A host table: `wasm.table{element = "funcref", min = 10, max = nil, init = nil}`;
-- `index = "i64"` makes a table indexed by i64 (memory64).
-- @return Table
function M.table(t)
  if type(t) ~= "table" then usage("table: expected {element=, min=, max=}, got %s", type(t)) end
  return core.table(t.element or "funcref", t.min or 0, t.max, t.init, t.index)
end

--- A host global: `wasm.global("i32", 666, true)` (type, value, mutable).
-- The value defaults to 0 (nil, the null reference, for funcref and
-- externref), `mutable` to false.  The type may also be a global type
-- table `{type=, mutable=}`.
-- @return Global
function M.global(t, value, mutable)
  if type(t) == "table" then t, mutable = t.type, t.mutable end
  return core.global(t, value, mutable and true or false)
end

--- A host tag (exception handling): `wasm.tag{params = {"i32", "f64"}}`.
-- Import it into modules (`(tag (import "env" "e") (param i32 f64))`) to
-- throw and catch its exceptions on both sides; `tag:type()` gives
-- `{kind = "tag", params = {...}}`.
-- @return Tag
function M.tag(t)
  if type(t) ~= "table" then usage("tag: expected {params = {...}}, got %s", type(t)) end
  return core.tag(t.params or {})
end

--- An exception of `tag` with these values, to raise from a host function:
-- `error(wasm.exception(tag, {1, 2.5}))` throws it into the calling wasm
-- code, which may catch it (`catch`, `catch_all`, ...).  A wasm exception
-- nobody caught reaches Lua as the same kind of error object:
-- `{kind = "exception", message = "uncaught exception", tag = Tag,
-- values = {...}}`.  Other Lua errors are not wasm exceptions: wasm code
-- cannot catch them (as it cannot catch a trap).
-- @return Error
function M.exception(tag, values)
  return core.exception(tag, values)
end

local ImportObject = {__name = "moonwasm.ImportObject",
                      __metatable = "moonwasm.ImportObject"}
ImportObject.__index = ImportObject
--- Import objects work as `<close>` variables.  Closing one does nothing:
-- its fields may be shared, and stores keep what they imported.
ImportObject.__close = function() end

--- An import object: a module name and its fields.
--     local env = wasm.import_object("env", {add = add, memory = mem})
--     env:add("log", wasm.func(...))
-- @tparam string name
-- @tparam[opt] table fields name -> Func/Memory/Table/Global or Lua function
-- @return ImportObject
function M.import_object(name, fields)
  if type(name) ~= "string" then usage("import_object: expected a module name, got %s", type(name)) end
  if fields ~= nil and type(fields) ~= "table" then usage("import_object: fields must be a table") end
  local io = setmetatable({name = name, fields = {}}, ImportObject)
  for k, v in pairs(fields or {}) do io:add(k, v) end
  return io
end

--- `io:add(name, obj)`: add one field; returns the import object.
function ImportObject:add(name, obj)
  if getmetatable(self) ~= "moonwasm.ImportObject" then
    usage("bad self: expected moonwasm.ImportObject, got %s", type(self))
  end
  if type(name) ~= "string" then usage("import_object: field names are strings") end
  self.fields[name] = obj
  return self
end

function ImportObject:__tostring()
  return format("moonwasm.ImportObject %q", self.name)
end

M.ImportObject = ImportObject

-- imports: {mod = {name = obj}}, an ImportObject, or a list of them.
local function normalize_imports(imports)
  if imports == nil then return nil end
  if type(imports) ~= "table" then usage("imports: expected a table, got %s", type(imports)) end
  if getmetatable(imports) == "moonwasm.ImportObject" then
    return {[imports.name] = imports.fields}
  end
  if getmetatable(imports[1]) == "moonwasm.ImportObject" then
    local t = {}
    for k, v in pairs(imports) do
      if getmetatable(v) == "moonwasm.ImportObject" then
        t[v.name] = v.fields
      else
        t[k] = v
      end
    end
    return t
  end
  local t
  for k, v in pairs(imports) do
    if getmetatable(v) == "moonwasm.ImportObject" then
      t = t or setmetatable({}, {__index = imports})
      t[k] = v.fields
    end
  end
  return t or imports
end

-- ------------------------------------------------------------------ stores

local Store = mt.Store.__index
local c_instantiate, c_config = Store.instantiate, Store.config

--- A store: `wasm.store([config])`.
-- @return Store
function M.store(config)
  return core.store(config_of(config))
end

--- `store:instantiate(mod [, imports])`.  `mod` may also be the module's
-- bytes (decoded with the store's config).  `imports`: `{module = {name =
-- obj_or_lua_function}}`, an ImportObject or a list of them; names not
-- found there come from the store's registry.
-- @return Instance
function Store.instantiate(self, mod, imports, own_store)
  if type(mod) == "string" then mod = M.load(mod, c_config(self)) end
  return c_instantiate(self, mod, normalize_imports(imports), own_store)
end

--- Register importable names.
--     store:register(import_object)          -- its fields as name.field
--     store:register("math", instance)       -- the instance's exports
--     store:register("math", module)         -- instantiated here first
--     store:register("env", {f = fn, ...})   -- fields of a plain table
--     store:register(wasi)                   -- wasi_snapshot_preview1.*
-- Raises a usage error on a closed store, whatever is registered.
-- @return the instance for the second form, else nothing
function Store.register(self, a, b)
  c_config(self) -- checks self: a store, still open
  if getmetatable(a) == "moonwasm.Wasi" then
    a:define(self)
    return
  end
  if getmetatable(a) == "moonwasm.ImportObject" then
    for k, v in pairs(a.fields) do self:define(a.name, k, v) end
    return
  end
  if type(a) ~= "string" then usage("register: expected an import object or a name, got %s", type(a)) end
  local bmt = getmetatable(b)
  if bmt == "moonwasm.Module" then
    b = self:instantiate(b)
    bmt = "moonwasm.Instance"
  end
  if bmt == "moonwasm.Instance" then
    self:register_instance(a, b)
    return b
  elseif bmt == "moonwasm.ImportObject" then
    for k, v in pairs(b.fields) do self:define(a, k, v) end
  elseif type(b) == "table" and bmt == nil or bmt == "moonwasm.Exports" then
    for k, v in pairs(b) do self:define(a, k, v) end
  else
    usage("register %q: expected an instance, a module or a table, got %s", a, type(b))
  end
end

--- One-shot instantiation in a fresh store (closed with the instance).
-- @param mod Module or bytes
-- @param[opt] imports see `Store:instantiate`
-- @param[opt] config
-- @return Instance
function M.instantiate(mod, imports, config)
  local store = M.store(config)
  local ok, inst = pcall(store.instantiate, store, mod, imports, true)
  if not ok then
    store:close()
    error(inst, 0)
  end
  return inst
end

-- ------------------------------------------------------------------ WASI

--- A WASI preview 1 context, sandboxed to its preopens.
--     local out = {}
--     local wasi = wasm.wasi{args = {"prog", "x"}, env = {HOME = "/"},
--                            preopens = {["/data"] = "./data"},
--                            stdin = "input text\n",
--                            stdout = function(s) out[#out + 1] = s end}
--     store:register(wasi)
--     store:instantiate(mod).exports._start()   -- or wasi:start(inst)
--     print(wasi:exit_code())
-- `args` and `env` values may be numbers (converted with tostring); `env`
-- is a map NAME = value or a list of "NAME=VALUE".  `preopens` maps guest
-- paths to host directories, or is a list of `{guest, host}` pairs, which
-- become fds 3, 4, ... in that order.
-- Streams: nil inherits the host's (the default); false reads nothing and
-- drops writes; an fd or an io file is used directly; a function is
-- called with each chunk written (stdout, stderr) or with the wanted size
-- (stdin: it returns a string, or nil at end of file).  A string given as
-- `stdin` is the input itself; for stdout and stderr the strings "inherit"
-- and "null" are the same as nil and false.
--
-- Exits: when the guest calls proc_exit, the outermost call into wasm
-- (`inst.exports._start()`, `inst:call`, `vm:execute`...) returns
-- normally, without results, even from wasm -> Lua -> wasm nesting (the
-- exit unwinds through the host functions as an error object of kind
-- "exit").  `wasi:exit_code()` then gives the status: proc_exit's, 0 once
-- a call returned normally, nil before anything ran.  `wasi:start(inst)`
-- runs `_start` and returns the status.  Instantiating a module whose
-- start function exits raises the "exit" error (`err.code`).
-- @tparam[opt] table opts
-- @return Wasi
function M.wasi(opts)
  if opts ~= nil and type(opts) ~= "table" then usage("wasi: expected a table, got %s", type(opts)) end
  return core.wasi(opts)
end

-- ------------------------------------------------------------------ VM facade

--- The WasmEdge-style VM facade (see `moonwasm.vm`).
-- @param[opt] config
function M.vm(config)
  return require("moonwasm.vm").new(config)
end

return M
