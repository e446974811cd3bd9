-- helpers.lua -- shared by the busted specs of moonwasm's Lua API.
--
--   local h = require("helpers")   -- (specs add tests/lua to package.path)
--   local wasm = h.wasm
--   local inst = h.instantiate("lua_values", imports)
--   h.raises("trap", "integer divide by zero", inst.exports.main, 5)

local source = debug.getinfo(1, "S").source:gsub("^@", "")
local ROOT = source:match("^(.*)/tests/lua/[^/]*$") or "."

-- The in-tree module first: lua/ and the built core (MW_LUA_BUILD lets the
-- sanitizer build take the place of build/lua).
local build = os.getenv("MW_LUA_BUILD") or (ROOT .. "/build/lua")
if not build:match("^/") then build = ROOT .. "/" .. build end
package.path = ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;" .. package.path
package.cpath = build .. "/?.so;" .. package.cpath

local M = {}
M.root = ROOT
M.wasm = require("moonwasm")
M.lua = os.getenv("LUA") or "lua5.4"

local wasm = M.wasm
local FIXTURES = os.getenv("MW_FIXTURES") or (ROOT .. "/build/wasm")

--- Path of the built fixture `name` (tests/wat/name.wat -> build/wasm).
function M.fixture(name)
  return FIXTURES .. "/" .. name .. ".wasm"
end

function M.load(name)
  return wasm.load_file(M.fixture(name))
end

function M.instantiate(name, imports)
  return wasm.instantiate(M.load(name), imports)
end

--- Call fn(...) and return the error it raises (fails if it does not).
function M.error_of(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, got success")
  return err
end

--- fn(...) must raise a moonwasm error object of `kind` whose message
-- contains `text` (plain find); returns the error object.
function M.raises(kind, text, fn, ...)
  local err = M.error_of(fn, ...)
  assert(wasm.is_error(err),
         "expected a moonwasm error object, got " .. type(err) .. ": " .. tostring(err))
  assert(err.kind == kind,
         ("expected kind %q, got %q (%s)"):format(kind, tostring(err.kind), tostring(err.message)))
  if text then
    assert(tostring(err.message):find(text, 1, true),
           ("expected message containing %q, got %q"):format(text, tostring(err.message)))
  end
  return err
end

--- A binary module made of raw sections (for malformed/invalid cases).
function M.module_bytes(...)
  return "\0asm\1\0\0\0" .. table.concat({...})
end

--- Run a Lua chunk in a fresh lua5.4 with the in-tree paths; returns its
-- combined output and exit status.
function M.run_lua(code)
  local name = os.tmpname()
  local f = assert(io.open(name, "w"))
  f:write(("package.path = %q .. package.path\npackage.cpath = %q .. package.cpath\n")
          :format(ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;", build .. "/?.so;"))
  f:write(code)
  f:close()
  local p = io.popen(M.lua .. " " .. name .. " 2>&1")
  local out = p:read("a")
  local ok, how, status = p:close()
  os.remove(name)
  return out, ok and 0 or status, how
end

--- Run an example script from the repository root; returns output, status.
function M.run_example(file)
  local p = io.popen(("cd %q && %s %s 2>&1"):format(ROOT, M.lua, file))
  local out = p:read("a")
  local ok, _, status = p:close()
  return out, ok and 0 or status
end

--- Full collection, twice (finalizers, then what they released).
function M.gc()
  collectgarbage("collect")
  collectgarbage("collect")
end

-- The ten integer comparisons of wasm (i32 and i64: values as Lua
-- integers, i32 ones already wrapped to their 64-bit reading), by the
-- suffix of their instruction name, worked out in Lua; and their names
-- in a fixed order.
M.INT_CMPS = {
  eq = function(a, b) return a == b end,
  ne = function(a, b) return a ~= b end,
  lt_s = function(a, b) return a < b end,
  lt_u = function(a, b) return math.ult(a, b) end,
  gt_s = function(a, b) return a > b end,
  gt_u = function(a, b) return math.ult(b, a) end,
  le_s = function(a, b) return a <= b end,
  le_u = function(a, b) return not math.ult(b, a) end,
  ge_s = function(a, b) return a >= b end,
  ge_u = function(a, b) return not math.ult(a, b) end,
}
M.INT_CMP_NAMES = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}

return M
