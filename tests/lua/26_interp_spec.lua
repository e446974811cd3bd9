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
