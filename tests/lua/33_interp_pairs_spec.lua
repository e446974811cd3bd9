-- Interpreter speed (issue 13): two binaries with immediates in one
-- instruction (II_ forms of src/runtime/ir_fuse.h, and the constants folded
-- where that is exact), and the accumulator forms of the fused instructions
-- (acc.h: an operand of IB_, BB_/BBR_, SEL_/SELI_, float IMM_/IMMR_, II_ and
-- the i64 compare-and-branch read from the register the previous
-- instruction left it in).  Each module is written so the compiler fuses;
-- each expected value is worked out here in Lua, at the edges: wrap-around,
-- INT_MIN, shift counts of 32 and more (masked), sign-extended immediates,
-- NaN, -0.0; and the same code with a label between the two instructions
-- (no fusion).  tests/c/test_fuse.c checks that the forms are emitted.
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
local function u32(x) return x & 0xFFFFFFFF end

-- The operations, on Lua integers (64-bit, wrapping like i64); the i32
-- ones return the signed i32 value the binding gives back.
local function sar64(a, n)
  if n == 0 then return a end
  local r = a >> n
  if a < 0 then r = r | ~(-1 >> n) end
  return r
end
local I32 = {
  add = function(a, b) return s32(a + b) end,
  mul = function(a, b) return s32(a * b) end,
  ["and"] = function(a, b) return s32(a & b) end,
  ["or"] = function(a, b) return s32(a | b) end,
  xor = function(a, b) return s32(a ~ b) end,
  shl = function(a, b) return s32(u32(a) << (b & 31)) end,
  shr_u = function(a, b) return s32(u32(a) >> (b & 31)) end,
  shr_s = function(a, b) return s32(sar64(s32(a), b & 31)) end,
}
local I64 = {
  add = function(a, b) return a + b end,
  mul = function(a, b) return a * b end,
  ["and"] = function(a, b) return a & b end,
  ["or"] = function(a, b) return a | b end,
  xor = function(a, b) return a ~ b end,
  shl = function(a, b) return a << (b & 63) end,
  shr_u = function(a, b) return a >> (b & 63) end,
  shr_s = function(a, b) return sar64(a, b & 63) end,
}

describe("two binaries with immediates (II_ forms, folded constants)", function()
  -- the pairs of MW_IMM_IMM_FUSED, and the folded ones (same op twice)
  local PAIRS32 = {
    {"shr_u", "and"}, {"shr_s", "and"}, {"and", "xor"}, {"and", "shr_u"}, {"and", "shl"},
    {"and", "or"}, {"add", "and"}, {"add", "shl"}, {"add", "shr_u"}, {"add", "mul"},
    {"shl", "add"}, {"shl", "or"}, {"shl", "shr_s"}, {"mul", "add"}, {"xor", "and"},
    {"add", "add"}, {"and", "and"}, {"or", "or"}, {"xor", "xor"}, {"shr_u", "shr_u"},
  }
  local PAIRS64 = {
    {"shr_u", "and"}, {"and", "shr_u"}, {"add", "and"}, {"shl", "add"}, {"mul", "add"},
    {"add", "add"}, {"and", "and"}, {"or", "or"}, {"xor", "xor"},
  }
  -- immediates: shift counts past the width, -1, INT_MIN, the largest
  local K32 = {{8, 255}, {35, -1}, {-1, 0x7FFFFFFF}, {0x7FFFFFFF, 1}, {-2147483648, -2147483648},
               {31, 33}}
  local K64 = {{8, 255}, {67, -1}, {-1, 0x7FFFFFFF}, {0x7FFFFFFF, 1},
               {-2147483648, -2147483648}, {63, 0x100000000}, {0x7FFFFFFF, 0x7FFFFFFF}}
  local X32 = {0, 1, -1, 0x7FFFFFFF, -2147483648, 0x12345678, -0x0F0F0F10}
  local X64 = {0, 1, -1, math.maxinteger, math.mininteger, 0x123456789ABCDEF, -0x100000000}

  local function module(ty, pairs_, ks)
    local funcs = {}
    for pi, p in ipairs(pairs_) do
      for ki, k in ipairs(ks) do
        local function body(a)
          local inner = ("(%s.%s %s (%s.const %d))"):format(ty, p[1], a, ty, k[1])
          return inner, ("(%s.%s %%s (%s.const %d))"):format(ty, p[2], ty, k[2])
        end
        local name = ("p%d_k%d"):format(pi, ki)
        -- plain: a is a local; acc: a is computed just before (the _A
        -- form); lab: a block ends between the two (no fusion)
        local inner, outer = body("(local.get 0)")
        local ia, _ = body(("(%s.add (local.get 0) (local.get 1))"):format(ty))
        funcs[#funcs + 1] = ('(func (export "%s") (param %s %s) (result %s) %s)'):format(
          name, ty, ty, ty, outer:format(inner))
        funcs[#funcs + 1] = ('(func (export "%s_acc") (param %s %s) (result %s) %s)'):format(
          name, ty, ty, ty, outer:format(ia))
        funcs[#funcs + 1] = ('(func (export "%s_lab") (param %s %s) (result %s) %s)'):format(
          name, ty, ty, ty, outer:format(("(block (result %s) %s)"):format(ty, inner)))
      end
    end
    return inst_of("(module " .. table.concat(funcs, "\n") .. ")").exports
  end

  local function check(ty, OPS, pairs_, ks, xs, norm)
    local e = module(ty, pairs_, ks)
    for pi, p in ipairs(pairs_) do
      for ki, k in ipairs(ks) do
        local name = ("p%d_k%d"):format(pi, ki)
        for _, x in ipairs(xs) do
          local want = OPS[p[2]](OPS[p[1]](x, k[1]), k[2])
          local msg = ("%s.%s %d then %s %d, a=%d"):format(ty, p[1], k[1], p[2], k[2], x)
          assert.equal(want, e[name](x, 0), msg)
          assert.equal(want, e[name .. "_lab"](x, 0), msg .. " (label)")
          -- a = x + y with y = 1 and y = -1 (wrap at the extremes)
          assert.equal(OPS[p[2]](OPS[p[1]](norm(x + 1), k[1]), k[2]), e[name .. "_acc"](x, 1),
                       msg .. " (acc)")
          assert.equal(OPS[p[2]](OPS[p[1]](norm(x - 1), k[1]), k[2]), e[name .. "_acc"](x, -1),
                       msg .. " (acc)")
        end
      end
    end
  end

  it("i32: wrap, INT_MIN, shift counts >= 32 masked, sign of immediates", function()
    check("i32", I32, PAIRS32, K32, X32, s32)
  end)

  it("i64: 32-bit immediates sign-extended, sums that do not fit 32 bits", function()
    check("i64", I64, PAIRS64, K64, X64, function(v) return v end)
  end)

  it("an intermediate used twice is not fused away", function()
    local e = inst_of([[(module
      (func (export "tee") (param i32) (result i32) (local i32)
        (i32.and (local.tee 1 (i32.shr_u (local.get 0) (i32.const 4))) (i32.const 15))
        (local.get 1) (i32.add))
      (func (export "tee64") (param i64) (result i64) (local i64)
        (i64.add (local.tee 1 (i64.add (local.get 0) (i64.const 2147483647)))
                 (i64.const 2147483647))
        (local.get 1) (i64.mul)))]]).exports
    local x = 0x12345678
    assert.equal(((x >> 4) & 15) + (x >> 4), e.tee(x))
    local t = 5 + 2147483647
    assert.equal((t + 2147483647) * t, e.tee64(5))
  end)
end)

describe("fused instructions reading the accumulator", function()
  it("IB_ with either operand just computed", function()
    -- (x << 13) ^ x on an x computed by the previous instruction, both ways
    local e = inst_of([[(module
      (func (export "a") (param i64 i64) (result i64)
        (i64.xor (i64.shl (i64.add (local.get 0) (local.get 1)) (i64.const 77)) (local.get 1)))
      (func (export "b") (param i32 i32) (result i32)
        (i32.add (i32.shl (local.get 1) (i32.const 2)) (i32.mul (local.get 0) (local.get 1))))
      (func (export "xs") (param i64) (result i64) (local i64)
        (local.set 1 (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 13))))
        (local.set 1 (i64.xor (local.get 1) (i64.shr_u (local.get 1) (i64.const 7))))
        (i64.xor (local.get 1) (i64.shl (local.get 1) (i64.const 17)))))]]).exports
    assert.equal(((math.mininteger + -1) << 13) ~ -1, e.a(math.mininteger, -1))
    assert.equal(s32((7 << 2) + (-2147483648 * 7)), e.b(-2147483648, 7))
    local x = 88172645463325252
    x = x ~ (x << 13); x = x ~ (x >> 7); x = x ~ (x << 17)
    assert.equal(x, e.xs(88172645463325252))
  end)

  it("BB_ and BBR_ with a, b or c just computed (no fused multiply-add)", function()
    local e = inst_of([[(module
      (func (export "a") (param i32 i32 i32) (result i32)
        (i32.add (i32.mul (i32.sub (local.get 0) (local.get 2)) (local.get 1)) (local.get 2)))
      (func (export "b") (param i32 i32 i32) (result i32)
        (i32.sub (i32.mul (local.get 0) (i32.add (local.get 1) (local.get 2))) (local.get 2)))
      (func (export "c") (param i64 i64 i64) (result i64)
        (i64.add (local.get 2) (i64.mul (local.get 0) (local.get 1))))
      (func (export "cr") (param i64 i64 i64) (result i64)
        (i64.add (i64.mul (local.get 2) (local.get 2)) (i64.mul (local.get 0) (local.get 1))))
      (func (export "fma") (param f64 f64 f64) (result i64)
        (i64.reinterpret_f64
          (f64.add (f64.mul (local.get 0) (f64.add (local.get 1) (local.get 2)))
                   (f64.neg (local.get 2)))))
      (func (export "nz") (param f64 f64) (result i64)
        (i64.reinterpret_f64
          (f64.sub (f64.mul (local.get 0) (local.get 1)) (f64.abs (local.get 1))))))]]).exports
    assert.equal(s32((-2147483648 - 5) * 3 + 5), e.a(-2147483648, 3, 5))
    assert.equal(s32(0x10001 * (0x7FFFFFFF + 2) - 2), e.b(0x10001, 0x7FFFFFFF, 2))
    assert.equal(math.maxinteger + math.mininteger * 3, e.c(math.mininteger, 3, math.maxinteger))
    local a, b, c = 3, math.maxinteger, 0x100000001
    assert.equal(c * c + a * b, e.cr(a, b, c))
    -- a*b rounded first: 0.1 * (0.2 + 0.0) + (-0.0); and -0.0 kept
    local function bits(d) return (string.unpack("<i8", string.pack("<d", d))) end
    assert.equal(bits(0.1 * 0.2), e.fma(0.1, 0.2, 0.0))
    assert.equal(bits(-0.0), e.nz(-0.0, 0.0))
    local nan = e.nz(0 / 0, 1.0)
    local f = (string.unpack("<d", string.pack("<i8", nan)))
    assert.is_true(f ~= f)
  end)

  it("SEL_ and SELI_ whose comparison reads a value just computed", function()
    local e = inst_of([[(module
      (func (export "odd") (param i64 i64 i64) (result i64)
        (select (local.get 1) (local.get 2)
          (i64.eq (i64.and (local.get 0) (i64.const 1)) (i64.const 0))))
      (func (export "lt") (param i32 i32) (result i32)
        (select (i32.const 10) (i32.const 20)
          (i32.lt_s (i32.add (local.get 0) (local.get 1)) (local.get 1))))
      (func (export "f") (param f64 i32) (result f64)
        (select (f64.const -0.0) (local.get 0)
          (i32.ge_u (i32.mul (local.get 1) (local.get 1)) (i32.const -2147483648)))))]]).exports
    assert.equal(111, e.odd(math.mininteger, 111, 222))
    assert.equal(222, e.odd(-1, 111, 222))
    assert.equal(10, e.lt(-1, 0x7FFFFFFF)) -- 0x7FFFFFFE < 0x7FFFFFFF
    assert.equal(20, e.lt(0, 5))
    assert.equal(20, e.lt(-2147483648, -1)) -- wraps to 0x7FFFFFFF, not < -1
    -- 46341^2 = 2147488281 >= 2^31 unsigned; 46340^2 is below
    local function bits(d) return (string.unpack("<i8", string.pack("<d", d))) end
    assert.equal(bits(-0.0), bits(e.f(1.5, 46341)))
    assert.equal(bits(1.5), bits(e.f(1.5, 46340)))
    assert.equal(bits(-0.0), bits(e.f(1.5, -46341)))
  end)

  it("float IMM_/IMMR_ whose operand was just computed", function()
    local e = inst_of([[(module
      (func (export "inv") (param f64) (result f64)
        (f64.div (f64.const 1.0) (f64.mul (local.get 0) (local.get 0))))
      (func (export "gt") (param f64 f64) (result i32)
        (f64.gt (f64.add (local.get 0) (local.get 1)) (f64.const 4.0)))
      (func (export "sub32") (param f32 f32) (result i32)
        (i32.reinterpret_f32 (f32.sub (f32.mul (local.get 0) (local.get 1)) (f32.const 0.0)))))]]).exports
    assert.equal(math.huge, e.inv(-0.0))
    assert.equal(0.25, e.inv(-2.0))
    local n = e.inv(0 / 0)
    assert.is_true(n ~= n)
    assert.equal(1, e.gt(2.0, 2.5))
    assert.equal(0, e.gt(2.0, 2.0))
    assert.equal(0, e.gt(0 / 0, 5.0))
    -- -0.0 * 1 - 0.0 is -0.0 - 0.0 = -0.0
    assert.equal(string.unpack("<i4", string.pack("<f", -0.0)), e.sub32(-0.0, 1.0))
  end)

  it("i64 compare-and-branch on a value just computed", function()
    local e = inst_of([[(module
      (func (export "br") (param i64 i64) (result i32)
        (block (br_if 0 (i64.lt_s (i64.mul (local.get 0) (local.get 1)) (local.get 1)))
          (return (i32.const 1)))
        (i32.const 2))
      (func (export "bri") (param i64 i64) (result i32)
        (block (br_if 0 (i64.gt_u (i64.add (local.get 0) (local.get 1)) (i64.const 5)))
          (return (i32.const 1)))
        (i32.const 2))
      (func (export "count") (param i64) (result i32) (local i32)
        (loop
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if 0 (i64.ne (local.tee 0 (i64.shr_u (local.get 0) (i64.const 1)))
                           (i64.const 0))))
        (local.get 1)))]]).exports
    assert.equal(2, e.br(math.mininteger, -1)) -- the product wraps to INT64_MIN
    assert.equal(1, e.br(3, 4))
    assert.equal(2, e.bri(-1, 0)) -- unsigned: 2^64-1 > 5
    assert.equal(1, e.bri(2, 3))
    assert.equal(2, e.bri(6, 0))
    assert.equal(64, e.count(-1))
    assert.equal(1, e.count(1))
  end)
end)
