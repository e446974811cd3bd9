-- Interpreter speed (issue 13): the fused forms of src/runtime/ir_fuse.h
-- must compute exactly what the instructions they replace compute.  Each
-- module below is written so the compiler fuses (a binary feeding the
-- next, a comparison feeding select, a constant stored, ...), and each
-- expected value is worked out here in Lua, at the edges: wrap-around,
-- INT_MIN, sign-extension of immediates, NaN, -0.0, a product that a fused
-- multiply-add would round differently, branches taken and not, and the
-- same code with a label between the two instructions (no fusion).
-- tests/c/test_fuse.c checks that the fused opcodes are really emitted.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function inst_of(text)
  return wasm.store():instantiate(wasm.load(text))
end

local function s32(x)
  x = x & 0xFFFFFFFF
  return x >= 0x80000000 and x - 0x100000000 or x
end
-- f32 rounding of a Lua float (a double): exact for +, -, * of two f32
-- values computed in double first (the double result has enough bits).
local function f32(x) return (string.unpack("<f", string.pack("<f", x))) end
local function bits64(x) return (string.unpack("<i8", string.pack("<d", x))) end
local function bits32(x) return (string.unpack("<i4", string.pack("<f", x))) end
local function from_bits64(b) return (string.unpack("<d", string.pack("<i8", b))) end

local OPS = {
  add = function(a, b) return a + b end,
  sub = function(a, b) return a - b end,
  mul = function(a, b) return a * b end,
}

describe("a binary feeding the next binary (BB_, BBR_)", function()
  -- (op2 (op1 a b) c) and (op2 c (op1 a b)): the pairs of MW_BIN_BIN_FUSED
  local INT_PAIRS = {{"mul", "add"}, {"mul", "sub"}, {"add", "add"}, {"sub", "add"}, {"add", "mul"}}
  local FLOAT_PAIRS = {}
  for _, n1 in ipairs {"add", "sub", "mul"} do
    for _, n2 in ipairs {"add", "sub", "mul"} do FLOAT_PAIRS[#FLOAT_PAIRS + 1] = {n1, n2} end
  end

  local function sorted(t)
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    local i = 0
    return function()
      i = i + 1
      if keys[i] then return keys[i], t[keys[i]] end
    end
  end

  -- Floats come back as their bits (i64/i32.reinterpret), so -0.0 and the
  -- last bit of a rounding are seen; NaN is checked as NaN (its payload is
  -- the hardware's choice, within what the spec allows).
  local function module(ty, list)
    local funcs = {}
    local ity = ty == "f64" and "i64" or ty == "f32" and "i32" or nil
    for _, p in ipairs(list) do
      local n1, n2 = p[1], p[2]
      local inner = ("(%s.%s (local.get 0) (local.get 1))"):format(ty, n1)
      local bodies = {
        l = ("(%s.%s %s (local.get 2))"):format(ty, n2, inner),
        r = ("(%s.%s (local.get 2) %s)"):format(ty, n2, inner),
        -- a block ends between the two: a label, so no fusion
        lab = ("(%s.%s (block (result %s) %s) (local.get 2))"):format(ty, n2, ty, inner),
      }
      for side, body in sorted(bodies) do
        local res = ity and ("(%s.reinterpret_%s %s)"):format(ity, ty, body) or body
        funcs[#funcs + 1] = ('(func (export "%s_%s_%s") (param %s %s %s) (result %s) %s)'):format(
          n1, n2, side, ty, ty, ty, ity or ty, res)
      end
    end
    return inst_of("(module " .. table.concat(funcs, "\n") .. ")")
  end

  it("i32: wrap-around and INT_MIN on both sides", function()
    local inst = module("i32", INT_PAIRS)
    local XS = {0, 1, -1, 7, 0x7FFFFFFF, -2147483648, 0x12345678, -65536}
    for _, p in ipairs(INT_PAIRS) do
      local n1, n2 = p[1], p[2]
      for _, a in ipairs(XS) do
        for _, b in ipairs {3, -1, 0x10001, -2147483648} do
          for _, c in ipairs {0, 5, -2147483648} do
            local t = OPS[n1](a, b)
            local l, r = s32(OPS[n2](t, c)), s32(OPS[n2](c, t))
            local name = n1 .. "_" .. n2
            assert.equal(l, inst.exports[name .. "_l"](a, b, c), name .. " l")
            assert.equal(r, inst.exports[name .. "_r"](a, b, c), name .. " r")
            assert.equal(l, inst.exports[name .. "_lab"](a, b, c), name .. " lab")
          end
        end
      end
    end
  end)

  it("i64: wrap-around at the 64-bit extremes", function()
    local inst = module("i64", INT_PAIRS)
    local XS = {0, 1, -1, math.maxinteger, math.mininteger, 0x123456789ABCDEF, 0x100000000}
    for _, p in ipairs(INT_PAIRS) do
      local n1, n2 = p[1], p[2]
      for _, a in ipairs(XS) do
        for _, b in ipairs {3, -1, 0x100000001, math.mininteger} do
          for _, c in ipairs {0, 5, math.maxinteger} do
            local t = OPS[n1](a, b)
            local name = n1 .. "_" .. n2
            assert.equal(OPS[n2](t, c), inst.exports[name .. "_l"](a, b, c), name .. " l")
            assert.equal(OPS[n2](c, t), inst.exports[name .. "_r"](a, b, c), name .. " r")
            assert.equal(OPS[n2](t, c), inst.exports[name .. "_lab"](a, b, c), name .. " lab")
          end
        end
      end
    end
  end)

  local FXS = {0.0, -0.0, 1.5, -3.25, 1e308, -1e-310, math.huge, -math.huge, 0 / 0}
  local function check_float(ty, round, bits)
    local inst = module(ty, FLOAT_PAIRS)
    for _, p in ipairs(FLOAT_PAIRS) do
      local n1, n2 = p[1], p[2]
      local name = n1 .. "_" .. n2
      for _, a in ipairs(FXS) do
        for _, b in ipairs {-0.0, 2.0, 1e308, 0 / 0} do
          for _, c in ipairs {-0.0, 0.0, 0.1, -math.huge} do
            a, b, c = round(a), round(b), round(c)
            local t = round(OPS[n1](a, b))
            for side, want in pairs { l = round(OPS[n2](t, c)), r = round(OPS[n2](c, t)),
                                      lab = round(OPS[n2](t, c)) } do
              local got = inst.exports[name .. "_" .. side](a, b, c)
              if want ~= want then
                local f = ty == "f64" and from_bits64(got) or (string.unpack("<f", string.pack("<i4", got)))
                assert.is_true(f ~= f, name .. " " .. side .. ": NaN expected")
              else
                assert.equal(bits(want), got, ("%s %s (%g %g %g)"):format(name, side, a, b, c))
              end
            end
          end
        end
      end
    end
  end

  it("f64: signed zeros, infinities, NaN, overflow", function()
    check_float("f64", function(x) return x end, bits64)
  end)
  it("f32: the same, rounded to single precision after each operation", function()
    check_float("f32", f32, bits32)
  end)

  it("a product is rounded before it is added (no fused multiply-add)", function()
    -- a = 1 + 2^-27: a * a = 1 + 2^-26 + 2^-54 exactly, 1 + 2^-26 once
    -- rounded; minus (1 + 2^-26) that is 0, where an FMA would give 2^-54.
    local inst = module("f64", {{"mul", "sub"}, {"mul", "add"}})
    local a, c = 1 + 2 ^ -27, 1 + 2 ^ -26
    assert.equal(0, inst.exports.mul_sub_l(a, a, c))
    assert.equal(0, inst.exports.mul_add_l(a, a, -c))
    assert.equal(0, inst.exports.mul_add_r(a, a, -c))
    local f = module("f32", {{"mul", "sub"}})
    local a32, c32 = 1 + 2 ^ -12, 1 + 2 ^ -11 -- (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24
    assert.equal(0, f.exports.mul_sub_l(a32, a32, c32))
  end)

  it("a dot product and a polynomial loop (the kernels these forms are for)", function()
    local inst = inst_of([[(module (memory 1)
      (func (export "dot") (param $n i32) (result f64) (local $i i32) (local $s f64)
        (loop $l
          (local.set $s (f64.add (local.get $s)
            (f64.mul (f64.load (i32.shl (local.get $i) (i32.const 3)))
                     (f64.load offset=4096 (i32.shl (local.get $i) (i32.const 3))))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.get $s))
      (func (export "set") (param i32 f64) (f64.store (local.get 0) (local.get 1)))
      (func (export "horner") (param $x i64) (param $n i32) (result i64) (local $acc i64)
        (loop $l
          (local.set $acc (i64.add (i64.mul (local.get $acc) (local.get $x)) (i64.extend_i32_u (local.get $n))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))]])
    local e = inst.exports
    local want = 0.0
    for i = 0, 9 do
      local x, y = i * 0.5 - 1.25, 3.0 - i / 7
      e.set(i * 8, x)
      e.set(4096 + i * 8, y)
      want = want + x * y
    end
    assert.equal(want, e.dot(10))
    local acc = 0
    for n = 20, 1, -1 do acc = acc * 0x10001 + n end -- wraps like i64
    assert.equal(acc, e.horner(0x10001, 20))
  end)
end)
