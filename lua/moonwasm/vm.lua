--- The VM facade: one object that loads, validates, instantiates and runs,
-- shaped like the WasmEdge VM, written on top of the moonwasm API.
--
--     local vm = wasm.vm()
--     vm:register_import(wasm.import_object("env", {add = add}))
--     print(vm:run_file("fib.wasm", "fib", 21))
--
-- `vm:statistics()` reports what the Lua layer can measure: calls,
-- instantiations, and CPU time spent in `execute` (`os.clock`).  Instruction
-- counts and cost metering need runtime support that does not exist yet;
-- those fields are nil.
-- @module moonwasm.vm

local wasm = require "moonwasm"

local type, ipairs, setmetatable = type, ipairs, setmetatable
local clock = os.clock

local VM = {}
VM.__index = VM
VM.__name = "moonwasm.VM"

local function usage(fmt, ...)
  error(wasm.error("usage", string.format(fmt, ...)), 0)
end

--- A new VM with its own store.
-- @param[opt] config see `moonwasm.config`
function VM.new(config)
  local cfg = wasm.config(config)
  local self = setmetatable({
    _config = cfg,
    _store = wasm.store(cfg),
    _registered = {},
    _stats = {calls = 0, instantiations = 0, time = 0},
  }, VM)
  return self
end

local function is_binary(src)
  return type(src) == "string" and src:sub(1, 4) == "\0asm"
end

local function load(self, src)
  if is_binary(src) then return wasm.load(src, self._config) end
  if type(src) ~= "string" then usage("expected a path or the bytes of a module, got %s", type(src)) end
  return wasm.load_file(src, self._config)
end

--- Load a module (a path, or the bytes of a binary); it becomes the active
-- module, replacing any earlier one.
-- @return the VM
function VM:load(src)
  self._module = load(self, src)
  self._instance = nil
  return self
end

--- Validate the active module (raises "invalid").
-- @return the VM
function VM:validate()
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  self._module:validate()
  return self
end

--- Instantiate the active module in the VM's store, resolving imports
-- from the registered import objects and modules.
-- @return the VM
function VM:instantiate()
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  self._instance = self._store:instantiate(self._module)
  self._stats.instantiations = self._stats.instantiations + 1
  return self
end

local function timed(self, t0, ...)
  local stats = self._stats
  stats.time = stats.time + (clock() - t0)
  return ...
end

--- Call an export of the active instance.
-- @tparam string name
-- @return the results
function VM:execute(name, ...)
  if not self._instance then usage("vm: no instance (call vm:instantiate first)") end
  self._stats.calls = self._stats.calls + 1
  return timed(self, clock(), self._instance:call(name, ...))
end

--- Load `src` and register it under `name` (its exports importable as
-- name.*, and callable with `execute_registered`).
-- @return the VM
function VM:register_module(name, src)
  if type(name) ~= "string" then usage("register_module: expected a name, got %s", type(name)) end
  local mod = load(self, src)
  mod:validate()
  self._registered[name] = self._store:register(name, mod)
  self._stats.instantiations = self._stats.instantiations + 1
  return self
end

--- Register an import object (or a name and instance, as `store:register`).
-- @return the VM
function VM:register_import(a, b)
  local inst = self._store:register(a, b)
  if type(a) == "string" and inst then self._registered[a] = inst end
  return self
end

--- Call function `fname` of the module registered as `modname`.
function VM:execute_registered(modname, fname, ...)
  local inst = self._registered[modname]
  if not inst then usage("vm: no registered module %q", tostring(modname)) end
  self._stats.calls = self._stats.calls + 1
  return timed(self, clock(), inst:call(fname, ...))
end

--- Load, validate, instantiate and call `fname` in one step.
function VM:run_file(src, fname, ...)
  self:load(src):validate():instantiate()
  return self:execute(fname, ...)
end

--- The exported functions of the active module: `{ {name=, type=}, ... }`
-- in export order.
function VM:function_list()
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  local list = {}
  for _, e in ipairs(self._module:exports()) do
    if e.kind == "func" then list[#list + 1] = {name = e.name, type = e.type} end
  end
  return list
end

--- The type of exported function `name` of the active module, or nil.
function VM:function_type(name)
  for _, f in ipairs(self:function_list()) do
    if f.name == name then return f.type end
  end
  return nil
end

--- The active module (nil before `load`).
function VM:module() return self._module end

--- The active instance (nil before `instantiate`).
function VM:instance() return self._instance end

--- The VM's store.
function VM:store() return self._store end

--- What was measured: `calls` (execute and execute_registered),
-- `instantiations`, `time` (CPU seconds inside calls).  `instructions` and
-- `cost` are nil: the runtime does not count them yet.
function VM:statistics()
  local s = self._stats
  return {calls = s.calls, instantiations = s.instantiations, time = s.time,
          instructions = nil, cost = nil}
end

--- Release the VM's store and everything in it.
function VM:close()
  if self._store then self._store:close() end
end
VM.__close = VM.close

return VM
