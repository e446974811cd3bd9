--- The `spectest` host module that the WebAssembly spec tests import.
--
-- Written on moonwasm's public API only.  Its exports match the reference
-- interpreter's (interpreter/host/spectest.ml): print functions for each
-- parameter shape, four constant globals, a funcref table of 10..20
-- elements and a memory of 1..2 pages.
--
--    local spectest = require "moonwasm.spectest"
--    store:register(spectest.import_object(wasm))
--
-- @module moonwasm.spectest

local spectest = {}

-- Parameter types of the print functions, by export name.
local PRINTS = {
  print = {},
  print_i32 = {"i32"},
  print_i64 = {"i64"},
  print_f32 = {"f32"},
  print_f64 = {"f64"},
  print_i32_f32 = {"i32", "f32"},
  print_f64_f64 = {"f64", "f64"},
}

local function printer(params, output)
  return function(...)
    if not output then return end
    local n = select("#", ...)
    for i = 1, n do
      local v = select(i, ...)
      local text = math.type(v) == "float" and ("%.17g"):format(v) or tostring(v)
      output:write(text, " : ", params[i], "\n")
    end
    if n == 0 then output:write("\n") end
  end
end

--- The fields of the spectest module, as a table of host objects.
-- Every call makes fresh objects, so each store gets its own memory,
-- table and globals.
-- @tparam[opt] table wasm the moonwasm module (default `require "moonwasm"`)
-- @tparam[opt] table opts `output`: a file the print functions write to
--   (`value : type` per argument, like the reference interpreter), or
--   false for silence (the default is io.stdout)
-- @treturn table name -> host object
function spectest.fields(wasm, opts)
  wasm = wasm or require("moonwasm")
  opts = opts or {}
  local output = opts.output
  if output == nil then output = io.stdout end
  local fields = {}
  for name, params in pairs(PRINTS) do
    fields[name] = wasm.func(params, {}, printer(params, output))
  end
  fields.global_i32 = wasm.global("i32", 666, false)
  fields.global_i64 = wasm.global("i64", 666, false)
  fields.global_f32 = wasm.global("f32", 666.6, false)
  fields.global_f64 = wasm.global("f64", 666.6, false)
  fields.table = wasm.table{element = "funcref", min = 10, max = 20}
  fields.table64 = wasm.table{element = "funcref", min = 10, max = 20, index = "i64"} -- Wasm 3.0
  fields.memory = wasm.memory{min = 1, max = 2}
  return fields
end

--- An import object named "spectest", ready for `store:register`.
-- @tparam[opt] table wasm the moonwasm module
-- @tparam[opt] table opts see `fields`
-- @return an import object
function spectest.import_object(wasm, opts)
  wasm = wasm or require("moonwasm")
  return wasm.import_object("spectest", spectest.fields(wasm, opts))
end

--- Register a fresh spectest module in a store.
-- @param store a moonwasm store
-- @tparam[opt] table wasm the moonwasm module
-- @tparam[opt] table opts see `fields`
-- @return the store
function spectest.register(store, wasm, opts)
  store:register(spectest.import_object(wasm, opts))
  return store
end

return spectest
