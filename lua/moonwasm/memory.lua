--- Memory views and strings (issue 14).
--
-- `mem:view(offset, len)` is a window on a memory that stays valid across
-- `memory.grow`: it keeps the memory object and the offset, never a
-- pointer.  Strings: `mem:read_cstring(offset)` / `mem:write_cstring`
-- (NUL-terminated) and `mem:read_lstring(offset [, prefix])` /
-- `mem:write_lstring` (a little-endian length of 1, 2, 4 or 8 bytes, 4 by
-- default, then the bytes).  `wasm.guest(inst)` passes strings and bytes
-- into and out of a guest through its allocator exports (malloc/free, or
-- the component model's cabi_realloc), as WasmEdge's bindgen does.
--
-- Loaded by `require "moonwasm"`, which adds these methods to Memory.
-- @module moonwasm.memory

local core = require("moonwasm.core")

local M = {}
local Memory = core.metatables.Memory.__index

local function usage(fmt, ...) error(core.error("usage", fmt:format(...)), 2) end
local function trap() error(core.error("trap", "out of bounds memory access"), 3) end

local function check_int(v, what)
  if math.type(v) ~= "integer" then usage("%s: expected an integer, got %s", what, type(v)) end
  return v
end

-- ----------------------------------------------------------------------------
-- strings in memory
-- ----------------------------------------------------------------------------

--- `mem:read_cstring(offset [, max])`: the bytes from `offset` up to the
-- first NUL (not included).  A string running past the end of memory (or
-- past `max` bytes) is a trap "out of bounds memory access".
-- @function Memory:read_cstring
function Memory.read_cstring(mem, offset, max)
  check_int(offset, "read_cstring: offset")
  local size = mem:bytes()
  local limit = max and math.min(size, offset + max) or size
  if offset < 0 or offset > size then trap() end
  local parts, pos = {}, offset
  while pos < limit do
    local n = math.min(4096, limit - pos)
    local chunk = mem:read(pos, n)
    local z = chunk:find("\0", 1, true)
    if z then
      parts[#parts + 1] = chunk:sub(1, z - 1)
      return table.concat(parts)
    end
    parts[#parts + 1] = chunk
    pos = pos + n
  end
  trap()
end

--- `mem:write_cstring(offset, str)`: `str` and a NUL; returns the bytes
-- written (#str + 1).  `str` must not contain a NUL.
-- @function Memory:write_cstring
function Memory.write_cstring(mem, offset, str)
  if type(str) ~= "string" then usage("write_cstring: expected a string, got %s", type(str)) end
  if str:find("\0", 1, true) then usage("write_cstring: the string contains a NUL byte") end
  mem:write(offset, str .. "\0")
  return #str + 1
end

local PREFIX = {[1] = "<I1", [2] = "<I2", [4] = "<I4", [8] = "<i8"}

--- `mem:read_lstring(offset [, prefix])`: a length-prefixed string: a
-- little-endian unsigned length of `prefix` bytes (1, 2, 4 -- the
-- default -- or 8), then that many bytes.
-- @function Memory:read_lstring
function Memory.read_lstring(mem, offset, prefix)
  prefix = prefix or 4
  local fmt = PREFIX[prefix] or usage("read_lstring: prefix must be 1, 2, 4 or 8 bytes")
  local len = string.unpack(fmt, mem:read(offset, prefix))
  if len < 0 then trap() end
  return mem:read(offset + prefix, len)
end

--- `mem:write_lstring(offset, str [, prefix])`: the length then the
-- bytes; returns the bytes written.
-- @function Memory:write_lstring
function Memory.write_lstring(mem, offset, str, prefix)
  prefix = prefix or 4
  local fmt = PREFIX[prefix] or usage("write_lstring: prefix must be 1, 2, 4 or 8 bytes")
  if type(str) ~= "string" then usage("write_lstring: expected a string, got %s", type(str)) end
  if prefix < 8 and #str >= 1 << (8 * prefix) then
    usage("write_lstring: %d bytes do not fit a %d-byte length", #str, prefix)
  end
  mem:write(offset, string.pack(fmt, #str) .. str)
  return prefix + #str
end

-- ----------------------------------------------------------------------------
-- views
-- ----------------------------------------------------------------------------

local View = {__name = "moonwasm.MemoryView"}
View.__index = View

--- `mem:view(offset, len)`: a View of `len` bytes at `offset`.  Its
-- methods take offsets relative to the view and check them against its
-- length (a trap "out of bounds memory access" past it); every access goes
-- through the memory, so the view stays valid when the memory grows (its
-- data may move) -- and traps if the memory is replaced by a smaller one.
-- @function Memory:view
function Memory.view(mem, offset, len)
  check_int(offset, "view: offset")
  check_int(len, "view: length")
  if offset < 0 or len < 0 or offset + len > mem:bytes() then trap() end
  return setmetatable({memory = mem, offset = offset, length = len}, View)
end

View.__len = function(v) return v.length end
View.__tostring = function(v)
  return ("moonwasm.MemoryView(%d, %d)"):format(v.offset, v.length)
end

local function at(v, off, n)
  check_int(off, "view: offset")
  if off < 0 or n < 0 or off + n > v.length then trap() end
  return v.offset + off
end

--- `view:read([off [, n]])`: bytes (all of the view by default).
-- @function View:read
function View:read(off, n)
  off = off or 0
  n = n or (self.length - off)
  return self.memory:read(at(self, off, n), n)
end

--- `view:write(off, str)`.
-- @function View:write
function View:write(off, str)
  if type(str) ~= "string" then usage("view:write: expected a string, got %s", type(str)) end
  self.memory:write(at(self, off, #str), str)
end

--- `view:fill(byte)`: the whole view.
-- @function View:fill
function View:fill(byte)
  self.memory:fill(self.offset, byte, self.length)
end

--- `view:sub(off, n)`: a view of part of this one.
-- @function View:sub
function View:sub(off, n)
  return setmetatable({memory = self.memory, offset = at(self, off, n), length = n}, View)
end

for name, size in pairs {i8 = 1, u8 = 1, i16 = 2, u16 = 2, i32 = 4, u32 = 4,
                         i64 = 8, u64 = 8, f32 = 4, f64 = 8} do
  local get, set = Memory["get_" .. name], Memory["set_" .. name]
  if get then View["get_" .. name] = function(v, off) return get(v.memory, at(v, off, size)) end end
  if set then View["set_" .. name] = function(v, off, x) return set(v.memory, at(v, off, size), x) end end
end

--- `view:read_cstring(off)`: up to a NUL, within the view.
-- @function View:read_cstring
function View:read_cstring(off)
  off = off or 0
  return Memory.read_cstring(self.memory, at(self, off, 0), self.length - off)
end

-- ----------------------------------------------------------------------------
-- passing strings through the guest's allocator
-- ----------------------------------------------------------------------------

local Guest = {__name = "moonwasm.Guest"}
Guest.__index = Guest

local function export_of(inst, name)
  local ok, f = pcall(function() return inst.exports[name] end)
  return ok and f or nil
end

--- `wasm.guest(inst [, opts])`: strings and bytes into and out of `inst`
-- through its allocator.  `opts.malloc` and `opts.free` name the exports
-- (default "malloc" and "free"); `opts.realloc` names a cabi_realloc-style
-- export `(old, old_size, align, new_size) -> ptr` used when there is no
-- malloc (default "cabi_realloc"); `opts.memory` the memory export
-- (default: the instance's memory).
-- @return Guest
function M.guest(inst, opts)
  opts = opts or {}
  local g = setmetatable({inst = inst}, Guest)
  g.memory = opts.memory and inst.exports[opts.memory] or inst:memory()
  if not g.memory then usage("guest: the instance has no memory") end
  g.malloc = export_of(inst, opts.malloc or "malloc")
  g.free_fn = export_of(inst, opts.free or "free")
  g.realloc = export_of(inst, opts.realloc or "cabi_realloc")
  if not g.malloc and not g.realloc then
    usage("guest: the instance exports no %s and no %s", opts.malloc or "malloc",
          opts.realloc or "cabi_realloc")
  end
  return g
end

--- `g:alloc(n [, align])`: a guest pointer to `n` fresh bytes.
-- @function Guest:alloc
function Guest:alloc(n, align)
  local p
  if self.malloc then p = self.malloc(n) else p = self.realloc(0, 0, align or 1, n) end
  if p == 0 and n > 0 then error(core.error("host", "guest allocation of " .. n .. " bytes failed"), 2) end
  return p & 0xFFFFFFFF
end

--- `g:free(ptr [, n [, align]])`: give it back (with free; a realloc-only
-- guest has nothing to free into, so this does nothing).
-- @function Guest:free
function Guest:free(ptr, n, align)
  if self.free_fn then self.free_fn(ptr) end
  local _ = n or align
end

--- `g:put(str)`: copy `str` into the guest; returns ptr, len.
-- @function Guest:put
function Guest:put(str)
  local p = self:alloc(#str, 1)
  self.memory:write(p, str)
  return p, #str
end

--- `g:put_cstring(str)`: copy `str` and a NUL; returns ptr.
-- @function Guest:put_cstring
function Guest:put_cstring(str)
  local p = self:alloc(#str + 1, 1)
  self.memory:write_cstring(p, str)
  return p
end

--- `g:take(ptr, len [, keep])`: the bytes at (ptr, len), freed unless
-- `keep`.
-- @function Guest:take
function Guest:take(ptr, len, keep)
  local s = self.memory:read(ptr, len)
  if not keep then self:free(ptr, len, 1) end
  return s
end

--- `g:take_cstring(ptr [, keep])`: the NUL-terminated string at ptr,
-- freed unless `keep`.
-- @function Guest:take_cstring
function Guest:take_cstring(ptr, keep)
  local s = self.memory:read_cstring(ptr)
  if not keep then self:free(ptr, #s + 1, 1) end
  return s
end

--- `g:call(name, ...)`: call export `name`, passing each string argument
-- as two arguments (ptr, len) of a fresh guest copy, freed after the
-- call; other arguments pass as they are.  Returns the results.
-- @function Guest:call
function Guest:call(name, ...)
  local args, copies = {}, {}
  for i = 1, select("#", ...) do
    local a = select(i, ...)
    if type(a) == "string" then
      local p, n = self:put(a)
      args[#args + 1], args[#args + 2] = p, n
      copies[#copies + 1] = {p, n}
    else
      args[#args + 1] = a
    end
  end
  local f = self.inst.exports[name]
  local results = table.pack(pcall(f, table.unpack(args)))
  for _, c in ipairs(copies) do self:free(c[1], c[2], 1) end
  if not results[1] then error(results[2], 0) end
  return table.unpack(results, 2, results.n)
end

return M
