-- Interpreter speed (issue 13): the fused instruction forms the compiler
-- emits (src/runtime/ir.h) must compute exactly what the instructions they
-- replace compute.  Each case is a small module whose result Lua predicts
-- with its own arithmetic, at the edges (wrap-around, signed/unsigned,
-- i64 extremes, NaN) and with traps, fuel and interrupts inside fused forms.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local function inst_of(text, config)
  local store = wasm.store(config)
  return store:instantiate(wasm.load(text, config)), store
end

local function u32(x) return x & 0xFFFFFFFF end
local function s32(x)
  x = x & 0xFFFFFFFF
  return x >= 0x80000000 and x - 0x100000000 or x
end

local CMPS = {
  eq = function(a, b) return u32(a) == u32(b) end,
  ne = function(a, b) return u32(a) ~= u32(b) end,
  lt_s = function(a, b) return s32(a) < s32(b) end,
  lt_u = function(a, b) return math.ult(u32(a), u32(b)) end,
  gt_s = function(a, b) return s32(a) > s32(b) end,
  gt_u = function(a, b) return math.ult(u32(b), u32(a)) end,
  le_s = function(a, b) return s32(a) <= s32(b) end,
  le_u = function(a, b) return not math.ult(u32(b), u32(a)) end,
  ge_s = function(a, b) return s32(a) >= s32(b) end,
  ge_u = function(a, b) return not math.ult(u32(a), u32(b)) end,
}

-- What the loop below computes: step i by k until the test fails or 40
-- rounds ran; the count of rounds times 2^32 plus the final i.
local function predict(cmp, i, k, lim)
  local n = 0
  repeat
    i = u32(i + k)
    n = n + 1
  until not (n < 40 and CMPS[cmp](i, lim))
  return n * 0x100000000 + i
end

describe("an induction step fused with the loop test (ADDBR)", function()
  -- $i = $i + K; continue while (i <cmp> lim) (and fewer than 40 rounds):
  -- the add, the compare and the back edge are one instruction; the
  -- `sub` variant is the same step written as i32.sub of -K.
  local function module(cmp, k, imm_lim, use_sub)
    local step = use_sub and ("(i32.sub (local.get $i) (i32.const %d))"):format(-k)
                          or ("(i32.add (local.get $i) (i32.const %d))"):format(k)
    local rhs = imm_lim and ("(i32.const %d)"):format(imm_lim) or "(local.get $lim)"
    return ([[(module (func (export "f") (param $i i32) (param $lim i32) (result i64)
      (local $n i32)
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $i %s)
        (br_if $l (i32.and (i32.lt_u (local.get $n) (i32.const 40))
                           (i32.%s (local.get $i) %s))))
      (i64.or (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 32))
              (i64.extend_i32_u (local.get $i)))))]]):format(step, cmp, rhs)
  end
  -- The loop test is `n < 40 and cmp`: the cmp result is what br_if sees
  -- through i32.and, so write the fused shape directly too:
  local function fused(cmp, k, imm_lim, use_sub)
    local step = use_sub and ("(i32.sub (local.get $i) (i32.const %d))"):format(-k)
                          or ("(i32.add (local.get $i) (i32.const %d))"):format(k)
    local rhs = imm_lim and ("(i32.const %d)"):format(imm_lim) or "(local.get $lim)"
    return ([[(module (func (export "f") (param $i i32) (param $lim i32) (result i64)
      (local $n i32)
      (block $out
        (loop $l
          (br_if $out (i32.ge_u (local.get $n) (i32.const 40)))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br_if $l (i32.%s (local.tee $i %s) %s))))
      (i64.or (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 32))
              (i64.extend_i32_u (local.get $i)))))]]):format(cmp, step, rhs)
  end

  local starts = {
    {0, 1, 10}, {5, -1, 0}, {0x7FFFFFF0, 4, 0x7FFFFFFF}, {-10, 3, 5},
    {0xFFFFFFF0 - 0x100000000, 5, -1}, {-2147483648, -1, 0}, {7, 0, 7}, {3, 2, 9},
  }
  for cmp in pairs(CMPS) do
    it("i32." .. cmp .. " with a slot and an immediate bound, at the wrap-around", function()
      for _, case in ipairs(starts) do
        local i0, k, lim = case[1], case[2], case[3]
        local want = predict(cmp, i0, k, lim)
        for _, sub in ipairs {false, true} do
          if not (sub and k == -2147483648) then
            assert.equal(want, inst_of(module(cmp, k, nil, sub)).exports.f(i0, lim), cmp)
            assert.equal(want, inst_of(module(cmp, k, lim, sub)).exports.f(i0, 0), cmp)
            assert.equal(want, inst_of(fused(cmp, k, nil, sub)).exports.f(i0, lim), cmp)
            assert.equal(want, inst_of(fused(cmp, k, lim, sub)).exports.f(i0, 0), cmp)
          end
        end
      end
    end)
  end

  it("a counter stepped down to zero by br_if on the stepped value", function()
    local inst = inst_of([[(module (func (export "f") (param $n i32) (result i32) (local $s i32)
      (loop $l
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $s)))]])
    assert.equal(5050, inst.exports.f(100))
    assert.equal(1, inst.exports.f(1))
  end)

  it("an if on a stepped value takes both arms", function()
    local inst = inst_of([[(module (func (export "f") (param $x i32) (result i32)
      (if (result i32) (i32.lt_s (local.tee $x (i32.add (local.get $x) (i32.const -3)))
                                 (i32.const 0))
        (then (i32.sub (i32.const 100) (local.get $x)))
        (else (local.get $x)))))]])
    assert.equal(103, inst.exports.f(0))
    assert.equal(0, inst.exports.f(3))
    assert.equal(7, inst.exports.f(10))
    assert.equal(2147483645, inst.exports.f(-2147483648)) -- the step wraps
  end)

  it("a fused back edge still polls: fuel and interrupts stop the loop", function()
    local text = [[(module (func (export "spin") (param $i i32) (result i32)
      (loop $l (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                 (i32.const 0))))
      (local.get $i)))]]
    local inst, store = inst_of(text, wasm.config{fuel = true})
    store:set_fuel(1000)
    h.raises("exhaustion", "all fuel consumed", inst.exports.spin, 1)
    store:set_fuel(nil)
    assert.equal(0, inst.exports.spin(-5))
    local inst2, store2 = inst_of(text)
    store2:set_deadline(0.05)
    h.raises("trap", "deadline exceeded", inst2.exports.spin, 1)
  end)
end)

describe("i32.sub and i64.sub of a constant (become adds)", function()
  it("agree with subtraction at the extremes", function()
    local inst = inst_of([[(module
      (func (export "a") (param i32) (result i32) (i32.sub (local.get 0) (i32.const -2147483648)))
      (func (export "b") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 7)))
      (func (export "c") (param i64) (result i64) (i64.sub (local.get 0) (i64.const -2147483648)))
      (func (export "d") (param i64) (result i64) (i64.sub (local.get 0) (i64.const 2147483647)))
      (func (export "e") (param i64) (result i64) (i64.sub (local.get 0) (i64.const -1))))]])
    local e = inst.exports
    assert.equal(0, e.a(-2147483648))
    assert.equal(-1, e.a(2147483647))
    assert.equal(2147483641, e.b(-2147483648))
    assert.equal(3, e.b(10))
    assert.equal(math.mininteger + 2147483648, e.c(math.mininteger))
    assert.equal(math.mininteger + 2147483647, e.c(math.maxinteger))
    assert.equal(math.maxinteger - 2147483646, e.d(math.mininteger))
    assert.equal(math.mininteger, e.e(math.maxinteger))
  end)
end)

describe("a result computed last is written straight to the result slot", function()
  it("even over a parameter the computation reads", function()
    local inst = inst_of([[(module
      (func $f (export "f") (param i32 i32) (result i32) (i32.sub (local.get 1) (local.get 0)))
      (func (export "g") (param i32) (result i32)
        (call $f (i32.const 10) (local.get 0)) (local.get 0) (i32.add))
      (func (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call 2 (i32.sub (local.get 0) (i32.const 1)))
                         (call 2 (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "r") (param f64) (result f64)
        (if (f64.gt (local.get 0) (f64.const 0)) (then (return (f64.neg (local.get 0)))))
        (f64.mul (local.get 0) (f64.const 2))))]])
    local e = inst.exports
    assert.equal(-7, e.f(10, 3))
    assert.equal(3 - 10 + 3, e.g(3))
    assert.equal(6765, e.fib(20))
    assert.equal(-1.5, e.r(1.5))
    assert.equal(-3.0, e.r(-1.5))
  end)
end)

describe("a binary with an immediate feeding the next binary (IB)", function()
  local M32, M64 = 0xFFFFFFFF, -1
  local function sar(a, s, bits)
    if s == 0 then return a end
    if bits == 32 then return s32(a) >> s | (s32(a) < 0 and (M32 << (32 - s)) & M32 or 0) end
    return a >> s | (a < 0 and ~(-1 >> s) or 0)
  end
  local FIRST = {
    shl = function(a, k, bits) return a << (k & (bits - 1)) end,
    shr_u = function(a, k, bits) return (bits == 32 and u32(a) or a) >> (k & (bits - 1)) end,
    shr_s = function(a, k, bits) return sar(a, k & (bits - 1), bits) end,
    mul = function(a, k) return a * k end,
    ["and"] = function(a, k) return a & k end,
    add = function(a, k) return a + k end,
  }
  local SECOND = {
    add = function(a, b) return a + b end,
    xor = function(a, b) return a ~ b end,
    ["or"] = function(a, b) return a | b end,
    ["and"] = function(a, b) return a & b end,
  }
  local KS = {0, 1, 7, 31, 33, 63, 65, -1, -2147483648, 2147483647}
  local XS = {0, 1, -1, 0x7FFFFFFF, -2147483648, 0x123456789ABCDEF, math.mininteger, math.maxinteger}

  for _, ty in ipairs {"i32", "i64"} do
    it(ty .. ": every pair, with the fused value on either side", function()
      local bits = ty == "i32" and 32 or 64
      local funcs, names = {}, {}
      for n1 in pairs(FIRST) do
        for n2 in pairs(SECOND) do
          for ki, k in ipairs(KS) do
            local tmp = ("(%s.%s (local.get 0) (%s.const %d))"):format(ty, n1, ty, k)
            for side = 1, 2 do
              local name = ("%s_%s_%d_%d"):format(n1, n2, ki, side)
              local body = side == 1 and ("(%s.%s %s (local.get 1))"):format(ty, n2, tmp)
                                      or ("(%s.%s (local.get 1) %s)"):format(ty, n2, tmp)
              funcs[#funcs + 1] = ('(func (export "%s") (param %s %s) (result %s) %s)'):format(
                name, ty, ty, ty, body)
              names[#names + 1] = {name, n1, n2, k}
            end
          end
        end
      end
      local inst = inst_of("(module " .. table.concat(funcs, "\n") .. ")")
      for _, f in ipairs(names) do
        local name, n1, n2, k = f[1], f[2], f[3], f[4]
        for _, x in ipairs(XS) do
          for _, y in ipairs {0, -1, 0x5A5A5A5A, x} do
            local xa, ya = x, y
            if bits == 32 then xa, ya = s32(x), s32(y) end
            local want = SECOND[n2](FIRST[n1](xa, k, bits), ya)
            if bits == 32 then want = s32(want) end
            assert.equal(want, inst.exports[name](xa, ya), name)
          end
        end
      end
    end)
  end

  it("xorshift64 (x ^= x << 13; x ^= x >> 7; x ^= x << 17)", function()
    local inst = inst_of([[(module (func (export "f") (param $x i64) (param $n i32) (result i64)
      (loop $l
        (local.set $x (i64.xor (i64.shl (local.get $x) (i64.const 13)) (local.get $x)))
        (local.set $x (i64.xor (i64.shr_u (local.get $x) (i64.const 7)) (local.get $x)))
        (local.set $x (i64.xor (i64.shl (local.get $x) (i64.const 17)) (local.get $x)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $x)))]])
    local x = 88172645463325252
    for _ = 1, 1000 do
      x = x ~ (x << 13); x = x ~ (x >> 7); x = x ~ (x << 17)
    end
    assert.equal(x, inst.exports.f(88172645463325252, 1000))
  end)
end)

describe("an address computed by an add of a constant, fused into the access (_K)", function()
  -- Memory: one page, bytes 0..255 hold i, the rest 0.  Each export reads
  -- or writes at (p + K) mod 2^32 + offset, so p + K may wrap around.
  local LOADS = {
    {"i32.load", 4}, {"i64.load", 8}, {"f32.load", 4}, {"f64.load", 8},
    {"i32.load8_s", 1}, {"i32.load8_u", 1}, {"i32.load16_s", 2}, {"i32.load16_u", 2},
    {"i64.load8_s", 1}, {"i64.load8_u", 1}, {"i64.load16_s", 2}, {"i64.load16_u", 2},
    {"i64.load32_s", 4}, {"i64.load32_u", 4},
  }
  local function bytes_at(addr, n, signed)
    local v = 0
    for i = n - 1, 0, -1 do v = v << 8 | ((addr + i) < 256 and (addr + i) or 0) end
    if signed and n < 8 and v >= 1 << (8 * n - 1) then v = v - (1 << (8 * n)) end
    return v
  end
  local init = {}
  for i = 0, 255 do init[#init + 1] = ("\\%02x"):format(i) end
  local DATA = '(memory 1) (data (i32.const 0) "' .. table.concat(init) .. '")'

  it("loads: the sum wraps, offsets add after it, out of bounds traps", function()
    local funcs = {}
    for i, l in ipairs(LOADS) do
      local rt = l[1]:sub(1, 3)
      local as_bits = rt == "f32" and "i32.reinterpret_f32" or rt == "f64" and "i64.reinterpret_f64"
      local load = ("(%s offset=3 (i32.add (local.get 0) (i32.const 100)))"):format(l[1])
      local wrap = ("(%s offset=1 (i32.add (local.get 0) (i32.const -4)))"):format(l[1])
      if as_bits then
        load = ("(%s %s)"):format(as_bits, load)
        wrap = ("(%s %s)"):format(as_bits, wrap)
      end
      local t = (rt == "f32" or rt == "i32") and "i32" or "i64"
      funcs[#funcs + 1] = ('(func (export "l%d") (param i32) (result %s) %s)'):format(i, t, load)
      funcs[#funcs + 1] = ('(func (export "w%d") (param i32) (result %s) %s)'):format(i, t, wrap)
    end
    local inst = inst_of("(module " .. DATA .. table.concat(funcs, "\n") .. ")")
    for i, l in ipairs(LOADS) do
      local n, signed = l[2], l[1]:find("_s") ~= nil
      local t32 = l[1]:sub(1, 3) == "i32" or l[1]:sub(1, 3) == "f32"
      local function fix(v) return t32 and s32(v) or v end
      assert.equal(fix(bytes_at(103, n, signed)), inst.exports["l" .. i](0), l[1])
      assert.equal(fix(bytes_at(150, n, signed)), inst.exports["l" .. i](47), l[1])
      -- 2 + (-4) wraps to 2^32 - 2; + offset 1 is past the end: a trap,
      -- while 5 + (-4) = 1, + 1 = 2 is in bounds.
      h.raises("trap", "out of bounds memory access", inst.exports["w" .. i], 2)
      assert.equal(fix(bytes_at(2, n, signed)), inst.exports["w" .. i](5), l[1])
      -- the last bytes of the page, and one past them
      local last = 65536 - n - 103
      assert.equal(0, inst.exports["l" .. i](last))
      h.raises("trap", "out of bounds memory access", inst.exports["l" .. i], last + 1)
      -- p + K itself wraps to a small address
      assert.equal(fix(bytes_at(6, n, signed)), inst.exports["l" .. i](-97), l[1])
    end
  end)

  it("stores: every width, a constant value, the wrap and the trap", function()
    local STORES = {
      {"i32.store", "i32", 4}, {"i64.store", "i64", 8}, {"f32.store", "f32", 4},
      {"f64.store", "f64", 8}, {"i32.store8", "i32", 1}, {"i32.store16", "i32", 2},
      {"i64.store8", "i64", 1}, {"i64.store16", "i64", 2}, {"i64.store32", "i64", 4},
    }
    local funcs = {'(func (export "peek") (param i32) (result i64) (i64.load (local.get 0)))'}
    for i, st in ipairs(STORES) do
      local t = st[2]
      local val = t == "f32" and "(f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))"
               or t == "f64" and "(f64.reinterpret_i64 (local.get 1))"
               or t == "i32" and "(i32.wrap_i64 (local.get 1))" or "(local.get 1)"
      funcs[#funcs + 1] = ('(func (export "s%d") (param i32 i64) (%s offset=2 (i32.add (local.get 0) (i32.const 1000)) %s))'):format(i, st[1], val)
      local k = t == "f32" and "(f32.const -nan:0x7fff00)" or t == "f64" and "(f64.const -nan:0xf000000000001)"
             or ("(%s.const -2)"):format(t)
      funcs[#funcs + 1] = ('(func (export "c%d") (param i32) (%s (i32.add (local.get 0) (i32.const 2000)) %s))'):format(i, st[1], k)
    end
    local inst = inst_of("(module (memory 1) " .. table.concat(funcs, "\n") .. ")")
    local e = inst.exports
    for i, st in ipairs(STORES) do
      local n = st[3]
      local mask = n == 8 and -1 or (1 << (8 * n)) - 1
      e["s" .. i](8, 0x0102030405060708)
      assert.equal(0x0102030405060708 & mask, e.peek(1010), st[1])
      e["s" .. i](8, 0)
      -- (p + 1000) wraps: p = -996 stores at 4 + 2 = 6
      e["s" .. i](-996, -1)
      assert.equal(mask, e.peek(6), st[1])
      e["s" .. i](-996, 0)
      h.raises("trap", "out of bounds memory access", e["s" .. i], 65536 - 1002 - n + 1, 1)
      e["s" .. i](65536 - 1002 - n, 0)
      e["c" .. i](0)
      -- NaN payloads are stored bit for bit
      local want = st[2] == "f32" and 0xFFFFFF00 or st[2] == "f64" and 0xFFFF000000000001 or -2
      assert.equal(want & mask, e.peek(2000) & mask, st[1])
      h.raises("trap", "out of bounds memory access", e["c" .. i], 65536 - 2000 - n + 1)
    end
  end)
end)

describe("v128 loads and stores at an added address", function()
  it("keep their own forms", function()
    local inst = inst_of([[(module (memory 1)
      (func (export "f") (param i32) (result i64)
        (v128.store offset=4 (i32.add (local.get 0) (i32.const 8))
          (v128.load (i32.add (local.get 0) (i32.const 100))))
        (i64.load offset=4 (i32.add (local.get 0) (i32.const 8))))
      (func (export "init") (i64.store (i32.const 100) (i64.const 0x1122334455667788))))]])
    inst.exports.init()
    assert.equal(0x1122334455667788, inst.exports.f(0))
  end)
end)

describe("i64 comparisons with an immediate, and fused with br_if and if", function()
  local C64 = h.INT_CMPS
  local KS = {0, 5, -1, 2147483647, -2147483648}
  local XS = {0, 5, -1, 4, 6, 2147483647, -2147483648, 2147483648, -2147483649,
              math.maxinteger, math.mininteger}
  it("all ten, at the i64 extremes, as values, br_if and if", function()
    local funcs = {}
    for name in pairs(C64) do
      for ki, k in ipairs(KS) do
        funcs[#funcs + 1] = ('(func (export "v_%s_%d") (param i64) (result i32) (i64.%s (local.get 0) (i64.const %d)))')
          :format(name, ki, name, k)
        funcs[#funcs + 1] = ([[(func (export "b_%s_%d") (param i64) (result i32)
          (block $t (br_if $t (i64.%s (local.get 0) (i64.const %d))) (return (i32.const 0))) (i32.const 1))]])
          :format(name, ki, name, k)
        funcs[#funcs + 1] = ([[(func (export "i_%s_%d") (param i64) (result i32)
          (if (result i32) (i64.%s (local.get 0) (i64.const %d)) (then (i32.const 1)) (else (i32.const 0))))]])
          :format(name, ki, name, k)
      end
      funcs[#funcs + 1] = ([[(func (export "s_%s") (param i64 i64) (result i32)
        (if (result i32) (i64.%s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))]])
        :format(name, name)
    end
    local e = inst_of("(module " .. table.concat(funcs, "\n") .. ")").exports
    for name, f in pairs(C64) do
      for ki, k in ipairs(KS) do
        for _, x in ipairs(XS) do
          local want = f(x, k) and 1 or 0
          assert.equal(want, e[("v_%s_%d"):format(name, ki)](x), name)
          assert.equal(want, e[("b_%s_%d"):format(name, ki)](x), name)
          assert.equal(want, e[("i_%s_%d"):format(name, ki)](x), name)
        end
      end
      for _, x in ipairs(XS) do
        for _, y in ipairs(XS) do
          assert.equal(f(x, y) and 1 or 0, e["s_" .. name](x, y), name)
        end
      end
    end
  end)
end)
