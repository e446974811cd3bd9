--- The VM facade: one object that loads, validates, instantiates and runs,
-- shaped like the WasmEdge VM, written on top of the moonwasm API.
--
--     local vm = wasm.vm()
--     vm:register_import(wasm.import_object("env", {add = add}))
--     print(vm:run_file("fib.wasm", "fib", 21))
--
-- `vm:statistics()` reports the VM store's numbers (instructions, cost,
-- time: see `moonwasm.config`) and the calls and instantiations the VM
-- made.  A VM times its calls unless its config says `statistics = {time =
-- false}`.
-- @module moonwasm.vm

local wasm = require "moonwasm"
-- inst:call without looking the method up each time (an Instance's
-- __index is a C function): the same C function
local inst_call = require("moonwasm.core").metatables.Instance.methods.call

local type, ipairs, pairs, setmetatable, getmetatable = type, ipairs, pairs, setmetatable,
                                                       getmetatable

local VM = {}
VM.__index = VM
VM.__name = "moonwasm.VM"
VM.__metatable = "moonwasm.VM"

local function usage(fmt, ...)
  error(wasm.error("usage", string.format(fmt, ...)), 0)
end

-- Every method checks its self first: a clear usage error, not "attempt to
-- index a nil value".
local function check(self)
  if getmetatable(self) ~= "moonwasm.VM" then
    local what = type(self)
    if what == "userdata" or what == "table" then
      local mt = getmetatable(self)
      what = type(mt) == "string" and mt or what
    end
    usage("bad self: expected moonwasm.VM, got %s", what)
  end
  return self
end

--- A new VM with its own store.
-- @param[opt] config see `moonwasm.config`
function VM.new(config)
  local cfg = wasm.config(config)
  if cfg.count_time == nil then -- a VM times its calls by default
    local timed = wasm.config()
    for k, v in pairs(cfg) do timed[k] = v end
    timed.count_time = true
    cfg = timed
  end
  local self = setmetatable({
    _config = cfg,
    _store = wasm.store(cfg),
    _registered = {},
    _stats = {calls = 0, instantiations = 0},
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
  check(self)
  self._module = load(self, src)
  self._instance = nil
  return self
end

--- Validate the active module (raises "invalid").
-- @return the VM
function VM:validate()
  check(self)
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  self._module:validate()
  return self
end

--- Instantiate the active module in the VM's store, resolving imports
-- from the registered import objects and modules.
-- @return the VM
function VM:instantiate()
  check(self)
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  self._instance = self._store:instantiate(self._module)
  self._stats.instantiations = self._stats.instantiations + 1
  return self
end

--- Call an export of the active instance.  A WASI program's proc_exit
-- ends the call normally, without results (see `moonwasm.wasi`).
-- @tparam string name
-- @return the results
function VM:execute(name, ...)
  check(self)
  local inst = self._instance
  if not inst then usage("vm: no instance (call vm:instantiate first)") end
  local stats = self._stats
  stats.calls = stats.calls + 1
  return inst_call(inst, name, ...)
end

--- Load `src` and register it under `name` (its exports importable as
-- name.*, and callable with `execute_registered`).
-- @return the VM
function VM:register_module(name, src)
  check(self)
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
  check(self)
  local inst = self._store:register(a, b)
  if type(a) == "string" and inst then self._registered[a] = inst end
  return self
end

--- Call function `fname` of the module registered as `modname`.
function VM:execute_registered(modname, fname, ...)
  check(self)
  local inst = self._registered[modname]
  if not inst then usage("vm: no registered module %q", tostring(modname)) end
  local stats = self._stats
  stats.calls = stats.calls + 1
  return inst_call(inst, fname, ...)
end

--- Load, validate, instantiate and call `fname` in one step.
function VM:run_file(src, fname, ...)
  check(self)
  self:load(src):validate():instantiate()
  return self:execute(fname, ...)
end

--- The exported functions of the active module: `{ {name=, type=}, ... }`
-- in export order.
function VM:function_list()
  check(self)
  if not self._module then usage("vm: no module loaded (call vm:load first)") end
  local list = {}
  for _, e in ipairs(self._module:exports()) do
    if e.kind == "func" then list[#list + 1] = {name = e.name, type = e.type} end
  end
  return list
end

--- The type of exported function `name` of the active module, or nil.
function VM:function_type(name)
  check(self)
  for _, f in ipairs(self:function_list()) do
    if f.name == name then return f.type end
  end
  return nil
end

--- The active module (nil before `load`).
function VM:module() return check(self)._module end

--- The active instance (nil before `instantiate`).
function VM:instance() return check(self)._instance end

--- The VM's store.
function VM:store() return check(self)._store end

--- What was measured: the store's `instructions`, `cost` and `time`
-- (seconds, wall clock, spent in calls: see `store:statistics`), and the
-- VM's `calls` (execute, execute_registered, run_file) and
-- `instantiations`.
function VM:statistics()
  local s = check(self)._store:statistics()
  s.calls, s.instantiations = self._stats.calls, self._stats.instantiations
  return s
end

--- Set the statistics back to zero.
function VM:reset_statistics()
  check(self)._store:reset_statistics()
  self._stats.calls, self._stats.instantiations = 0, 0
end

--- Release the VM's store and everything in it.
function VM:close()
  check(self)
  if self._store then self._store:close() end
end
VM.__close = VM.close

return VM
