--- The section layout of a binary module, read in Lua.
--
-- `moonwasm inspect` shows what `mod:imports()` and `mod:exports()` do not:
-- each section's offset and size, the entries of the definition sections
-- (functions, tables, memories, globals), export indices and the start
-- function.  The binary format makes that a short walk: the magic and
-- version, then `(id, size)` headers (spec 5.5.2), each payload starting
-- with a vector count for most sections.  Run it on bytes that `wasm.load`
-- accepted: a truncated input raises a plain error string.
--
--     local info = require("moonwasm.sections").read(bytes)
--     for _, s in ipairs(info.sections) do print(s.name, s.offset, s.size) end
--
-- @module moonwasm.sections

local sections = {}

--- Section names by id (spec 5.5.2; 12 is the data count section).
sections.NAMES = {
  [0] = "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "datacount", "tag",
}

local EXTERNAL_KINDS = {[0] = "func", "table", "memory", "global"}
local REF_TYPES = {[0x70] = "funcref", [0x6F] = "externref"}

-- A cursor over `bytes`: unsigned LEB128, bytes, names.
local Reader = {}
Reader.__index = Reader

local function reader(bytes, pos, limit)
  return setmetatable({bytes = bytes, pos = pos, limit = limit}, Reader)
end

function Reader:byte()
  if self.pos > self.limit then error("unexpected end of section", 0) end
  local b = self.bytes:byte(self.pos)
  self.pos = self.pos + 1
  return b
end

-- An unsigned LEB128 of up to 64 bits (memory64 limits), as an integer.
function Reader:u32()
  local value, shift = 0, 0
  repeat
    local b = self:byte()
    if shift < 64 then value = value | ((b & 0x7F) << shift) end
    shift = shift + 7
  until b < 0x80
  return value
end

function Reader:name()
  local len = self:u32()
  local first = self.pos
  self.pos = self.pos + len
  if self.pos - 1 > self.limit then error("unexpected end of section", 0) end
  return self.bytes:sub(first, self.pos - 1)
end

-- Limits (spec 5.3.9), with the threads and memory64 flag bits read too.
function Reader:limits()
  local flags = self:byte()
  local t = {min = self:u32()}
  if flags & 1 ~= 0 then t.max = self:u32() end
  if flags & 2 ~= 0 then t.shared = true end
  if flags & 4 ~= 0 then t.index_type = "i64" end
  return t
end

-- Section payload readers: each fills `info` from a reader on the payload.
local READERS = {}

READERS[3] = function(r, info) -- function: one type index per defined function
  info.functions = r:u32()
end

READERS[4] = function(r, info) -- table: reftype and limits each
  for _ = 1, r:u32() do
    local ref = r:byte()
    local t = r:limits()
    t.element = REF_TYPES[ref] or ("0x%02x"):format(ref)
    info.tables[#info.tables + 1] = t
  end
end

READERS[5] = function(r, info) -- memory: limits each
  for _ = 1, r:u32() do info.memories[#info.memories + 1] = r:limits() end
end

READERS[6] = function(r, info) -- global: only the count (init exprs vary)
  info.globals = r:u32()
end

READERS[7] = function(r, info) -- export: name, kind, index
  for _ = 1, r:u32() do
    local name = r:name()
    local kind = r:byte()
    info.exports[#info.exports + 1] = {name = name, kind = EXTERNAL_KINDS[kind] or "tag",
                                       index = r:u32()}
  end
end

READERS[8] = function(r, info) -- start: a function index
  info.start = r:u32()
end

--- Read the sections of a binary module.
-- @tparam string bytes the whole .wasm file
-- @treturn table `version`; `sections`, a list of `{id, name, offset, size,
--   count, custom_name}` in file order (`offset` is where the payload
--   starts, 0-based like other tools print it; `count` is the payload's
--   leading vector length where the section has one); `functions`,
--   `globals` (numbers of defined ones); `tables`, `memories` (lists of
--   limits tables, defined ones only); `exports` (`{name, kind, index}`);
--   `start` (a function index or nil)
function sections.read(bytes)
  if bytes:sub(1, 4) ~= "\0asm" then error("not a WebAssembly binary (bad magic)", 0) end
  if #bytes < 8 then error("unexpected end of file", 0) end
  local info = {
    version = string.unpack("<I4", bytes, 5),
    sections = {}, functions = 0, globals = 0, tables = {}, memories = {}, exports = {},
  }
  local r = reader(bytes, 9, #bytes)
  while r.pos <= #bytes do
    local id = r:byte()
    local size = r:u32()
    local payload = r.pos
    if payload + size - 1 > #bytes then error("section size mismatch", 0) end
    local section = {id = id, name = sections.NAMES[id] or ("unknown " .. id),
                     offset = payload - 1, size = size}
    local body = reader(bytes, payload, payload + size - 1)
    if id == 0 then
      section.custom_name = body:name()
    elseif id == 8 then
      READERS[8](body, info)
    elseif id >= 1 and id <= 13 then
      section.count = body:u32()
      local read = READERS[id]
      if read then
        read(reader(bytes, payload, payload + size - 1), info)
      end
    end
    info.sections[#info.sections + 1] = section
    r.pos = payload + size
  end
  return info
end

return sections
