-- Interpreter speed (issue 13): loads and stores that compute their own
-- address (src/runtime/ir_index.h): base + i, base + (i << k),
-- (i << k) + K, and base + (i << k) + K or base + i + K where base + K was
-- a deferred sum (clang's stack-frame arrays), the address wrapping mod
-- 2^32 before the offset is added.
-- Every access kind is read and written through every address form at
-- the edges that matter (wraparound, shift counts past 31, the last bytes
-- of memory, one byte past them) with code compiled at load and on first
-- call; the expected values are read here from the bytes Lua wrote.
-- tests/c/test_index.c checks that the forms are emitted.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local PAGE = 65536
local OFFSET = 3

-- name, result type, bytes, string.unpack format
local LOADS = {
  {"i32.load", "i32", 4, "<i4"}, {"i64.load", "i64", 8, "<i8"},
  {"f32.load", "f32", 4, "<i4"}, {"f64.load", "f64", 8, "<i8"},
  {"i32.load8_s", "i32", 1, "<i1"}, {"i32.load8_u", "i32", 1, "<I1"},
  {"i32.load16_s", "i32", 2, "<i2"}, {"i32.load16_u", "i32", 2, "<I2"},
}
local STORES = {
  {"i32.store", "i32", 4}, {"i64.store", "i64", 8}, {"f32.store", "f32", 4},
  {"f64.store", "f64", 8}, {"i32.store8", "i32", 1}, {"i32.store16", "i32", 2},
}

-- Float loads are returned as their bits (reinterpret): NaN payloads too.
local function as_bits(t, expr)
  if t == "f32" then return "(i32.reinterpret_f32 " .. expr .. ")" end
  if t == "f64" then return "(i64.reinterpret_f64 " .. expr .. ")" end
  return expr
end
local function bits_type(t)
  return t == "f32" and "i32" or t == "f64" and "i64" or t
end

local SHIFT, K = 2, 0x100

-- The address forms, as wat for a shift count: (param $a i32) (param $b i32).
local FORMS = {
  x = function() return "(i32.add (local.get $a) (local.get $b))" end,
  xs = function(s)
    return string.format("(i32.add (i32.shl (local.get $a) (i32.const %d)) (local.get $b))", s)
  end,
  xk = function(s)
    return string.format("(i32.add (i32.shl (local.get $a) (i32.const %d)) (i32.const %d))", s, K)
  end,
  -- b + K deferred, then added to a << s, or (as b - (-K)) to a
  xsk = function(s)
    return string.format(
      "(i32.add (i32.shl (local.get $a) (i32.const %d)) (i32.add (local.get $b) (i32.const %d)))", s, K)
  end,
  xak = function()
    return string.format("(i32.add (local.get $a) (i32.sub (local.get $b) (i32.const %d)))", -K)
  end,
}
local function program()
  local out = {"(module (memory (export \"mem\") 1)"}
  for _, l in ipairs(LOADS) do
    local name, t = l[1], l[2]
    for form, addr in pairs(FORMS) do
      out[#out + 1] = string.format(
        '(func (export "%s_%s") (param $a i32) (param $b i32) (result %s) %s)',
        name, form, bits_type(t),
        as_bits(t, string.format("(%s offset=%d %s)", name, OFFSET, addr(SHIFT))))
      -- a shift count past 31 is taken mod 32 (33 -> 1)
      out[#out + 1] = string.format(
        '(func (export "%s_%s33") (param $a i32) (param $b i32) (result %s) %s)',
        name, form, bits_type(t),
        as_bits(t, string.format("(%s offset=%d %s)", name, OFFSET, addr(33))))
    end
  end
  for _, st in ipairs(STORES) do
    local name, t = st[1], st[2]
    local bt = bits_type(t)
    local val = t == bt and "(local.get $v)" or string.format("(%s.reinterpret_%s (local.get $v))", t, bt)
    for form, addr in pairs(FORMS) do
      out[#out + 1] = string.format(
        '(func (export "%s_%s") (param $a i32) (param $b i32) (param $v %s) (%s offset=%d %s %s))',
        name, form, bt, name, OFFSET, addr(SHIFT), val)
    end
  end
  out[#out + 1] = ")"
  return table.concat(out, "\n")
end
local PROGRAM = program()

local function address(form, a, b, shift)
  if form == "x" then return (a + b) & 0xFFFFFFFF end
  if form == "xak" then return (a + b + K) & 0xFFFFFFFF end
  local s = (a << (shift & 31)) & 0xFFFFFFFF
  if form == "xsk" then return (s + b + K) & 0xFFFFFFFF end
  return (s + (form == "xs" and b or K)) & 0xFFFFFFFF
end

-- (a, b) pairs per form: in bounds, wrapping past 2^32, at the very end of
-- memory, and one past it (nil: must trap).
local function cases(form, size, shift)
  local last = PAGE - size - OFFSET -- the highest address that fits
  local step = 1 << (shift & 31)
  local out = {}
  if form == "x" then
    out = {{100, 23}, {0xFFFFFFF0, 0x40}, {last, 0}, {0, last}, {last - 5, 6}, {0xFFFFFFFF, 1}}
  elseif form == "xs" then
    out = {{5, 17}, {0x40000000, 64}, {(last - 1) // step, last - (last - 1) // step * step},
           {0, last + 1}, {0x7FFFFFFF, last + step}}
  elseif form == "xsk" then
    -- b + K wraps (b = -K: the address is a << s), the last address, one past it
    local i = (last - K) // step
    out = {{5, 17}, {3, 0x100000000 - K}, {0x40000000, 64}, {1, 0xFFFFFFFF - K},
           {i, last - K - i * step}, {i, last - K - i * step + 1}, {0, last + 1 - K}}
  elseif form == "xak" then
    out = {{5, 17}, {3, 0x100000000 - K}, {1, 0xFFFFFFFF - K}, {0, last - K},
           {0, last + 1 - K}, {0xFFFFFFFF, last + 1 - K}, {0xFFFFFFFF, last + 2 - K}}
  else
    local i = (last - K) // step
    out = {{7, 0}, {i, 0}, {i + 1, 0}, {0x40000001, 0}, {0xC0000000 + i, 0}}
  end
  return out
end

local function pattern()
  local t = {}
  for k = 0, PAGE - 1 do t[k + 1] = string.char((k * 7 + 3) & 0xFF) end
  return table.concat(t)
end

for _, mode in ipairs {"lazy", "eager"} do
  local config = wasm.config{eager_compile = mode == "eager" or nil}
  local function instance()
    local inst = wasm.store(config):instantiate(wasm.load(PROGRAM, config))
    local bytes = pattern()
    inst.exports.mem:write(0, bytes)
    return inst.exports, bytes
  end

  describe("indexed loads and stores (" .. mode .. " compile)", function()
    it("load through every address form, trapping past the end", function()
      local e, bytes = instance()
      for _, l in ipairs(LOADS) do
        local name, size, fmt = l[1], l[3], l[4]
        for form in pairs(FORMS) do
          for _, shift in ipairs {SHIFT, 33} do
            local f = e[name .. "_" .. form .. (shift == 33 and "33" or "")]
            for _, c in ipairs(cases(form, size, shift)) do
              local ea = address(form, c[1], c[2], shift) + OFFSET
              if ea + size <= PAGE then
                local want = string.unpack(fmt, bytes, ea + 1)
                assert.equal(want, f(c[1], c[2]), name .. " " .. form .. " " .. ea)
              else
                h.raises("trap", "out of bounds memory access", f, c[1], c[2])
              end
            end
          end
        end
      end
    end)

    it("store through every address form, trapping past the end", function()
      local e = instance()
      local mem = e.mem
      for _, st in ipairs(STORES) do
        local name, t, size = st[1], st[2], st[3]
        for form in pairs(FORMS) do
          for n, c in ipairs(cases(form, size, SHIFT)) do
            local ea = address(form, c[1], c[2], SHIFT) + OFFSET
            -- the value's bits (for f32/f64 a NaN with a payload)
            local v = 0x7FF4B3C2D1E0F987 ~ n
            if bits_type(t) == "i32" then v = 0x7FA0F987 ~ n end
            if ea + size <= PAGE then
              local before = mem:read(ea - 1, 1) .. mem:read(ea + size, math.min(1, PAGE - ea - size))
              e[name .. "_" .. form](c[1], c[2], v)
              local want = string.pack("<i8", v):sub(1, size)
              assert.equal(want, mem:read(ea, size), name .. " " .. form .. " " .. ea)
              -- nothing around it was touched
              assert.equal(before, mem:read(ea - 1, 1) .. mem:read(ea + size, math.min(1, PAGE - ea - size)))
            else
              local tail = mem:read(PAGE - 16, 16)
              h.raises("trap", "out of bounds memory access", e[name .. "_" .. form], c[1], c[2], v)
              assert.equal(tail, mem:read(PAGE - 16, 16)) -- no partial write
            end
          end
        end
      end
    end)
  end)
end
