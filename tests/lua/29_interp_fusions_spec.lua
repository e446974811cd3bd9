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

describe("select of a comparison (SEL_, SELI_)", function()
  local function u32(x) return x & 0xFFFFFFFF end
  local CMP = h.INT_CMPS
  local NAMES = h.INT_CMP_NAMES
  -- immediates: sign-extended to 64 bits for i64 (-1 is 2^64-1 unsigned)
  local IMMS = {0, 1, -1, 0x7FFFFFFF, -2147483648}

  for _, ty in ipairs {"i32", "i64"} do
    it(ty .. ": every comparison, slot and immediate right operands, taken and not", function()
      local funcs = {}
      for _, n in ipairs(NAMES) do
        -- x and y are i64 so which one was picked is plain to see
        funcs[#funcs + 1] = ([[(func (export "%s") (param $a %s) (param $b %s) (param $x i64) (param $y i64) (result i64)
          (select (local.get $x) (local.get $y) (%s.%s (local.get $a) (local.get $b))))]]):format(n, ty, ty, ty, n)
        for i, k in ipairs(IMMS) do
          funcs[#funcs + 1] = ([[(func (export "%s_%d") (param $a %s) (param $x i64) (param $y i64) (result i64)
            (select (local.get $x) (local.get $y) (%s.%s (local.get $a) (%s.const %d))))]]):format(
            n, i, ty, ty, n, ty, k)
        end
        -- a label between the comparison and select: the plain pair
        funcs[#funcs + 1] = ([[(func (export "%s_lab") (param $a %s) (param $b %s) (param $x i64) (param $y i64) (result i64)
          (select (local.get $x) (local.get $y) (block (result i32) (%s.%s (local.get $a) (local.get $b)))))]]):format(n, ty, ty, ty, n)
      end
      local e = inst_of("(module " .. table.concat(funcs, "\n") .. ")").exports
      local XS = ty == "i32" and {0, 1, -1, 0x7FFFFFFF, -2147483648, 5}
                              or {0, 1, -1, math.maxinteger, math.mininteger, 0x7FFFFFFF, -2147483648, 0x100000000}
      local function norm(v) -- the operands as the comparison sees them
        return ty == "i32" and s32(v) or v
      end
      local function unsigned(f, a, b)
        if ty == "i32" then return f(u32(a), u32(b)) end
        return f(a, b)
      end
      for _, n in ipairs(NAMES) do
        local f = CMP[n]
        local cmp = n:match("_u$") and function(a, b) return unsigned(f, a, b) end
                                    or function(a, b) return f(norm(a), norm(b)) end
        for _, a in ipairs(XS) do
          for _, b in ipairs(XS) do
            local want = cmp(a, b) and 111 or -222
            assert.equal(want, e[n](a, b, 111, -222), ("%s %d %d"):format(n, a, b))
            assert.equal(want, e[n .. "_lab"](a, b, 111, -222), ("%s lab %d %d"):format(n, a, b))
          end
          for i, k in ipairs(IMMS) do
            local want = cmp(a, k) and 111 or -222
            assert.equal(want, e[n .. "_" .. i](a, 111, -222), ("%s %d imm %d"):format(n, a, k))
          end
        end
      end
    end)
  end

  it("eqz conditions, constant and float operands (NaN bits kept), typed select", function()
    local e = inst_of([[(module
      (func (export "z32") (param i32) (result i32)
        (select (i32.const 10) (i32.const -20) (i32.eqz (local.get 0))))
      (func (export "z64") (param i64) (result i64)
        (select (i64.const 0x123456789) (i64.const -1) (i64.eqz (local.get 0))))
      (func (export "f") (param $a i64) (param $x f64) (param $y f64) (result i64)
        (i64.reinterpret_f64 (select (result f64) (local.get $x) (local.get $y)
          (i64.gt_s (local.get $a) (i64.const -5)))))
      (func (export "max") (param $x i32) (param $y i32) (result i32)
        (local.set $x (select (local.get $x) (local.get $y) (i32.gt_s (local.get $x) (local.get $y))))
        (local.get $x)))]]).exports
    assert.equal(10, e.z32(0))
    assert.equal(-20, e.z32(-2147483648))
    assert.equal(0x123456789, e.z64(0))
    assert.equal(-1, e.z64(0x100000000)) -- not zero: the high half counts
    -- a NaN with a payload passes through select unchanged
    local nan = from_bits64(0x7FF4000000000001)
    assert.equal(0x7FF4000000000001, e.f(-4, nan, -0.0))
    assert.equal(bits64(-0.0), e.f(-5, nan, -0.0))
    assert.equal(bits64(-0.0), e.f(math.mininteger, nan, -0.0))
    assert.equal(7, e.max(7, -3))
    assert.equal(-3, e.max(-8, -3))
  end)
end)

describe("a store of a constant (<store>_KI)", function()
  -- Each export stores its constant at p (p + 16 with an add of a
  -- constant, the _K address form) into a cleared 16-byte window, and
  -- returns the window's first 8 bytes as an i64.
  local STORES = {
    -- store, constant text, the 8 bytes expected as an i64
    {"i32.store8", "i32.const 0x1FF", 0xFF},
    {"i32.store8", "i32.const -128", 0x80},
    {"i32.store16", "i32.const -1", 0xFFFF},
    {"i32.store16", "i32.const 0x12345", 0x2345},
    {"i32.store", "i32.const -2147483648", 0x80000000},
    {"i32.store", "i32.const 0x7FFFFFFF", 0x7FFFFFFF},
    {"i64.store8", "i64.const -1", 0xFF},
    {"i64.store16", "i64.const 0x10001", 0x0001},
    {"i64.store32", "i64.const -2", 0xFFFFFFFE},
    {"i64.store32", "i64.const 0x123456789", 0x23456789},
    {"i64.store", "i64.const -1", -1},                       -- sign-extended immediate
    {"i64.store", "i64.const -2147483648", -2147483648},
    {"i64.store", "i64.const 0x80000000", 0x80000000},       -- does not fit 32 signed bits
    {"i64.store", "i64.const 0x123456789ABCDEF0", 0x123456789ABCDEF0},
    {"f32.store", "f32.const -0.0", 0x80000000},
    {"f32.store", "f32.const nan:0x200001", 0x7FA00001},      -- NaN payload bit-exact
    {"f32.store", "f32.const 1.5", 0x3FC00000},
    {"f64.store", "f64.const 0.0", 0},
    {"f64.store", "f64.const -0.0", math.mininteger},       -- 0x8000000000000000
    {"f64.store", "f64.const 0x0.0000000000001p-1022", 1},   -- the least subnormal: bits 1
    {"f64.store", "f64.const -nan:0x8000000000000", -0x8000000000000}, -- bits 0xFFF8000000000000
  }
  local function module()
    local funcs = {}
    for i, s in ipairs(STORES) do
      funcs[#funcs + 1] = ([[(func (export "p%d") (param $p i32) (result i64)
          (i64.store (local.get $p) (i64.const 0)) (i64.store offset=8 (local.get $p) (i64.const 0))
          (%s (local.get $p) (%s))
          (i64.load (local.get $p)))
        (func (export "k%d") (param $p i32) (result i64)
          (i64.store offset=16 (local.get $p) (i64.const 0))
          (%s offset=3 (i32.add (local.get $p) (i32.const 13)) (%s))
          (i64.load offset=16 (local.get $p)))]]):format(i, s[1], s[2], i, s[1], s[2])
    end
    return inst_of("(module (memory 1) " .. table.concat(funcs, "\n") .. ")").exports
  end

  it("writes the constant's bytes, truncated or sign-extended as the store says", function()
    local e = module()
    for i, s in ipairs(STORES) do
      assert.equal(s[3], e["p" .. i](64), s[1] .. " " .. s[2])
      assert.equal(s[3], e["k" .. i](128), s[1] .. " " .. s[2] .. " (address + constant)")
    end
  end)

  it("traps out of bounds with the spec's message, writing nothing", function()
    local e = inst_of([[(module (memory 1)
      (func (export "st") (param $p i32) (i32.store (local.get $p) (i32.const 7)))
      (func (export "st8k") (param $p i32) (i64.store8 offset=1 (i32.add (local.get $p) (i32.const -2)) (i64.const 9)))
      (func (export "ld") (param $p i32) (result i32) (i32.load8_u (local.get $p))))]]).exports
    e.st(65532) -- the last 4 bytes: fine
    assert.equal(7, e.ld(65532))
    h.raises("trap", "out of bounds memory access", e.st, 65533)
    h.raises("trap", "out of bounds memory access", e.st, -1)
    -- (p - 2) wraps to 2^32 - 1 for p = 1: out of bounds, not byte 0
    h.raises("trap", "out of bounds memory access", e.st8k, 1)
    assert.equal(0, e.ld(0))
    e.st8k(65536) -- 65534 + 1: the last byte
    assert.equal(9, e.ld(65535))
  end)
end)

describe("a float binary with a constant operand (IMM_/IMMR_ of f32, f64)", function()
  local FOPS = {
    add = function(a, b) return a + b end,
    sub = function(a, b) return a - b end,
    mul = function(a, b) return a * b end,
    div = function(a, b) return a / b end,
    eq = function(a, b) return a == b end,
    ne = function(a, b) return a ~= b end,
    lt = function(a, b) return a < b end,
    gt = function(a, b) return a > b end,
    le = function(a, b) return a <= b end,
    ge = function(a, b) return a >= b end,
  }
  local NAMES = {"add", "sub", "mul", "div", "eq", "ne", "lt", "gt", "le", "ge"}
  -- constants as wat text and as Lua values
  local KS = {{"0", 0.0}, {"-0", -0.0}, {"1.5", 1.5}, {"-0x1p-1074", -2 ^ -1074},
              {"inf", math.huge}, {"-inf", -math.huge}, {"nan", 0 / 0}, {"0x1p+127", 2 ^ 127}}
  local XS = {0.0, -0.0, 1.5, -3.0, 0.1, 1e30, math.huge, -math.huge, 0 / 0, 2 ^ -149}

  for _, ty in ipairs {"f32", "f64"} do
    it(ty .. ": every operation, the constant on the left and on the right", function()
      local ity = ty == "f64" and "i64" or "i32"
      local round = ty == "f32" and f32 or function(x) return x end
      local bits = ty == "f32" and bits32 or bits64
      local funcs = {}
      for _, n in ipairs(NAMES) do
        local cmp = FOPS[n](1, 1) == true or FOPS[n](1, 1) == false
        for i, k in ipairs(KS) do
          for side = 1, 2 do
            local args = side == 1 and ("(local.get 0) (%s.const %s)"):format(ty, k[1])
                                    or ("(%s.const %s) (local.get 0)"):format(ty, k[1])
            local body = ("(%s.%s %s)"):format(ty, n, args)
            if not cmp then body = ("(%s.reinterpret_%s %s)"):format(ity, ty, body) end
            funcs[#funcs + 1] = ('(func (export "%s_%d_%d") (param %s) (result %s) %s)'):format(
              n, i, side, ty, cmp and "i32" or ity, body)
          end
        end
      end
      local e = inst_of("(module " .. table.concat(funcs, "\n") .. ")").exports
      for _, n in ipairs(NAMES) do
        for i, k in ipairs(KS) do
          local kv = round(k[2])
          for _, x in ipairs(XS) do
            x = round(x)
            for side = 1, 2 do
              local a, b = x, kv
              if side == 2 then a, b = kv, x end
              local want = FOPS[n](a, b)
              local got = e[("%s_%d_%d"):format(n, i, side)](x)
              local what = ("%s %s %s (%s side %d)"):format(ty, n, tostring(x), k[1], side)
              if type(want) == "boolean" then
                assert.equal(want and 1 or 0, got, what)
              elseif want ~= want then
                local f = ty == "f64" and from_bits64(got) or (string.unpack("<f", string.pack("<i4", got)))
                assert.is_true(f ~= f, what .. ": NaN expected")
              else
                assert.equal(bits(round(want)), got, what)
              end
            end
          end
        end
      end
    end)
  end

  it("the Basel and Mandelbrot shapes: 1/(x*x) and |z|^2 > 4.0", function()
    local e = inst_of([[(module
      (func (export "basel") (param $n i32) (result f64) (local $s f64) (local $x f64)
        (loop $l
          (local.set $x (f64.convert_i32_u (local.get $n)))
          (local.set $s (f64.add (local.get $s) (f64.div (f64.const 1) (f64.mul (local.get $x) (local.get $x)))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $s))
      (func (export "escape") (param $cr f64) (param $ci f64) (result i32)
        (local $zr f64) (local $zi f64) (local $t f64) (local $i i32)
        (block $out
          (loop $l
            (br_if $out (f64.gt (f64.add (f64.mul (local.get $zr) (local.get $zr))
                                          (f64.mul (local.get $zi) (local.get $zi))) (f64.const 4)))
            (local.set $t (f64.add (f64.sub (f64.mul (local.get $zr) (local.get $zr))
                                            (f64.mul (local.get $zi) (local.get $zi))) (local.get $cr)))
            (local.set $zi (f64.add (f64.mul (f64.const 2) (f64.mul (local.get $zr) (local.get $zi))) (local.get $ci)))
            (local.set $zr (local.get $t))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100)))))
        (local.get $i)))]]).exports
    local s = 0.0
    for n = 100, 1, -1 do s = s + 1 / (n * n) end
    assert.equal(s, e.basel(100))
    local function escape(cr, ci)
      local zr, zi, i = 0.0, 0.0, 0
      repeat
        if zr * zr + zi * zi > 4 then break end
        zr, zi = zr * zr - zi * zi + cr, 2 * (zr * zi) + ci
        i = i + 1
      until i >= 100
      return i
    end
    for _, c in ipairs {{0, 0}, {1, 1}, {-0.75, 0.1}, {0.3, 0.5}, {-2, 0}, {0.25, 0}} do
      assert.equal(escape(c[1], c[2]), e.escape(c[1], c[2]))
    end
  end)
end)

describe("an i64 comparison as a branch condition (BR_/BRI_ of i64)", function()
  local NAMES = h.INT_CMP_NAMES
  local CMP = h.INT_CMPS
  local IMMS = {0, 1, -1, 0x7FFFFFFF, -2147483648}
  local XS = {0, 1, -1, math.maxinteger, math.mininteger, 0x7FFFFFFF, -2147483648, 0x100000000, -0x80000001}

  it("br_if and if, slot and immediate (sign-extended), taken and not", function()
    local funcs = {}
    for _, n in ipairs(NAMES) do
      -- br_if: 1 when taken; if: 10 / 20; and the label-separated form
      funcs[#funcs + 1] = ([[
        (func (export "b_%s") (param $a i64) (param $b i64) (result i32)
          (block $t (br_if $t (i64.%s (local.get $a) (local.get $b))) (return (i32.const 0)))
          (i32.const 1))
        (func (export "if_%s") (param $a i64) (param $b i64) (result i32)
          (if (result i32) (i64.%s (local.get $a) (local.get $b)) (then (i32.const 10)) (else (i32.const 20))))
        (func (export "lab_%s") (param $a i64) (param $b i64) (result i32)
          (if (result i32) (block (result i32) (i64.%s (local.get $a) (local.get $b)))
            (then (i32.const 10)) (else (i32.const 20))))]]):format(n, n, n, n, n, n)
      for i, k in ipairs(IMMS) do
        funcs[#funcs + 1] = ([[
          (func (export "bi_%s_%d") (param $a i64) (result i32)
            (block $t (br_if $t (i64.%s (local.get $a) (i64.const %d))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "ifi_%s_%d") (param $a i64) (result i32)
            (if (result i32) (i64.%s (local.get $a) (i64.const %d)) (then (i32.const 10)) (else (i32.const 20))))]]):format(
          n, i, n, k, n, i, n, k)
      end
    end
    local e = inst_of("(module " .. table.concat(funcs, "\n") .. ")").exports
    for _, n in ipairs(NAMES) do
      for _, a in ipairs(XS) do
        for _, b in ipairs(XS) do
          local t = CMP[n](a, b)
          local what = ("%s %d %d"):format(n, a, b)
          assert.equal(t and 1 or 0, e["b_" .. n](a, b), what)
          assert.equal(t and 10 or 20, e["if_" .. n](a, b), what)
          assert.equal(t and 10 or 20, e["lab_" .. n](a, b), what)
        end
        for i, k in ipairs(IMMS) do
          local t = CMP[n](a, k)
          local what = ("%s %d imm %d"):format(n, a, k)
          assert.equal(t and 1 or 0, e[("bi_%s_%d"):format(n, i)](a), what)
          assert.equal(t and 10 or 20, e[("ifi_%s_%d"):format(n, i)](a), what)
        end
      end
    end
  end)

  it("i64.eqz and loop back edges (collatz: n > 1, n & 1 == 0)", function()
    local e = inst_of([[(module
      (func (export "z") (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2))))
      (func (export "collatz") (param $n i64) (result i32) (local $steps i32)
        (block $done
          (br_if $done (i64.le_u (local.get $n) (i64.const 1)))
          (loop $l
            (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
            (local.set $n (select (i64.shr_u (local.get $n) (i64.const 1))
                                  (i64.add (i64.mul (local.get $n) (i64.const 3)) (i64.const 1))
                                  (i64.eqz (i64.and (local.get $n) (i64.const 1)))))
            (br_if $l (i64.gt_u (local.get $n) (i64.const 1)))))
        (local.get $steps))
      (func (export "down") (param $n i64) (param $lim i64) (result i32) (local $k i32)
        (loop $l
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (local.set $n (i64.sub (local.get $n) (i64.const 1)))
          (br_if $l (i64.gt_s (local.get $n) (local.get $lim))))
        (local.get $k)))]]).exports
    assert.equal(1, e.z(0))
    assert.equal(2, e.z(0x100000000))
    assert.equal(2, e.z(math.mininteger))
    local function steps(n)
      local s = 0
      while n > 1 do
        n = n % 2 == 0 and n // 2 or 3 * n + 1
        s = s + 1
      end
      return s
    end
    for _, n in ipairs {0, 1, 2, 3, 7, 27, 97, 871} do assert.equal(steps(n), e.collatz(n)) end
    assert.equal(10, e.down(10, 0))
    assert.equal(1, e.down(math.mininteger + 5, 0))      -- not taken at once
    assert.equal(3, e.down(math.maxinteger, math.maxinteger - 3))
  end)
end)
