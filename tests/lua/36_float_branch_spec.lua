-- Interpreter speed (issue 13): float compare-and-branch (the BR_/BRI_
-- forms of src/runtime/ir_fbr.h).  An f32 or f64 comparison whose only use
-- is a branch condition is tested by the branch itself: br_if (the plain
-- sense), `if` and br_if over label copies (the negation, which with a NaN
-- operand is not the opposite comparison: !(a < b) is not a >= b), a
-- constant on the right or on the left (swapped: K < a is a > K), and
-- back edges (br_if to a loop header).  Every comparison and every form is
-- run on NaN of both signs in both positions, -0.0 and +0.0, infinities,
-- equal values; each expected value is the comparison worked out in Lua
-- (IEEE comparisons on doubles, exact for f32 values too).
-- tests/c/test_fbr.c checks that the forms are emitted.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local CMPS = {
  eq = function(a, b) return a == b end,
  ne = function(a, b) return a ~= b end,
  lt = function(a, b) return a < b end,
  gt = function(a, b) return a > b end,
  le = function(a, b) return a <= b end,
  ge = function(a, b) return a >= b end,
}
local CMP_NAMES = {"eq", "ne", "lt", "gt", "le", "ge"}

-- Per type: the operands' bits (passed as integers: i64 for f64, i32 for
-- f32, signed), the bits as the Lua float, and the constants of the
-- immediate forms as wat text with their value.
local function s32(x)
  x = x & 0xFFFFFFFF
  return x >= 0x80000000 and x - 0x100000000 or x
end
local TYPES = {
  f64 = {
    int = "i64",
    value = function(bits) return (string.unpack("<d", string.pack("<i8", bits))) end,
    arg = function(bits) return bits end,
    bits = {
      0x0000000000000000, -- +0
      0x8000000000000000, -- -0 (hex literals wrap to the signed reading)
      0x3FF0000000000000, -- 1
      0x4004000000000000, -- 2.5
      0xC004000000000000, -- -2.5
      0x7FF0000000000000, -- inf
      0xFFF0000000000000, -- -inf
      0x7FF8000000000000, -- NaN
      0xFFF8000000000000, -- -NaN
      0x7FF0000000000001, -- a signalling NaN
      0x0000000000000001, -- the least subnormal
    },
  },
  f32 = {
    int = "i32",
    value = function(bits) return (string.unpack("<f", string.pack("<I4", bits & 0xFFFFFFFF))) end,
    arg = s32,
    bits = {
      0x00000000, 0x80000000, 0x3F800000, 0x40200000, 0xC0200000, 0x7F800000,
      0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x00000001,
    },
  },
}
local CONSTS = {
  {"0", 0.0}, {"-0", -0.0}, {"2.5", 2.5}, {"-2.5", -2.5}, {"inf", math.huge},
  {"-inf", -math.huge}, {"nan", 0 / 0}, {"-nan", 0 / 0}, {"nan:0x1", 0 / 0},
}

-- The functions of one comparison; each returns 1 when the comparison
-- holds, 0 when not (the loops: 3 rounds when it holds, else 1).
local function module_text(t, cmp)
  local I = TYPES[t].int
  local c = t .. "." .. cmp
  local p2 = ("(param %s %s) (result i32) (local %s %s i32)"):format(I, I, t, t)
  local p1 = ("(param %s) (result i32) (local %s i32)"):format(I, t)
  local set2 = ("(local.set 2 (%s.reinterpret_%s (local.get 0)))"
    .. "(local.set 3 (%s.reinterpret_%s (local.get 1)))"):format(t, I, t, I)
  local set1 = ("(local.set 1 (%s.reinterpret_%s (local.get 0)))"):format(t, I)
  local fs = {}
  local function add(s) fs[#fs + 1] = s end
  local AB = "(local.get 2) (local.get 3)"
  -- br_if to a block (the plain sense)
  add(("(func (export \"br\") %s %s (block (br_if 0 (%s %s)) (return (i32.const 0)))"
    .. " (i32.const 1))"):format(p2, set2, c, AB))
  -- if/else (the negation)
  add(("(func (export \"if\") %s %s (if (result i32) (%s %s) (then (i32.const 1))"
    .. " (else (i32.const 0))))"):format(p2, set2, c, AB))
  -- br_if with a value that must be copied to the label (the negation
  -- jumps over the copy)
  add(("(func (export \"brv\") %s %s (local.set 4 (i32.const 1))"
    .. " (block (result i32) (drop (br_if 0 (local.get 4) (%s %s))) (i32.const 0)))")
    :format(p2, set2, c, AB))
  -- br_if to the function's own label, with the result
  add(("(func (export \"fn\") %s %s (local.set 4 (i32.const 1))"
    .. " (drop (br_if 0 (local.get 4) (%s %s))) (i32.const 0))"):format(p2, set2, c, AB))
  -- a back edge: goes round while the comparison holds, at most 3 rounds
  local function loop(name, params, set, test)
    add(("(func (export \"%s\") %s %s (block $out (loop $l"
      .. " (local.set %d (i32.add (local.get %d) (i32.const 1)))"
      .. " (br_if $out (i32.ge_u (local.get %d) (i32.const 3)))"
      .. " (br_if $l %s))) (local.get %d))"):format(name, params, set,
        params == p2 and 4 or 2, params == p2 and 4 or 2, params == p2 and 4 or 2, test,
        params == p2 and 4 or 2))
  end
  loop("loop", p2, set2, ("(%s %s)"):format(c, AB))
  -- the immediate forms, constant k on the right and on the left
  for i, k in ipairs(CONSTS) do
    local K = ("(%s.const %s)"):format(t, k[1])
    for _, side in ipairs({"r", "l"}) do
      local test = side == "r" and ("(%s (local.get 1) %s)"):format(c, K)
                               or ("(%s %s (local.get 1))"):format(c, K)
      add(("(func (export \"br%s%d\") %s %s (block (br_if 0 %s) (return (i32.const 0)))"
        .. " (i32.const 1))"):format(side, i, p1, set1, test))
      add(("(func (export \"if%s%d\") %s %s (if (result i32) %s (then (i32.const 1))"
        .. " (else (i32.const 0))))"):format(side, i, p1, set1, test))
      loop(("loop%s%d"):format(side, i), p1, set1, test)
    end
  end
  return "(module " .. table.concat(fs, "\n") .. ")"
end

for _, t in ipairs({"f32", "f64"}) do
  local T = TYPES[t]
  for _, cmp in ipairs(CMP_NAMES) do
    describe(("%s.%s feeding a branch"):format(t, cmp), function()
      local e = wasm.store():instantiate(wasm.load(module_text(t, cmp))).exports
      local holds = CMPS[cmp]

      it("of two locals: br_if, if, br_if with a value, br_if to the function, a back edge",
        function()
        local bad = {}
        for _, x in ipairs(T.bits) do
          for _, y in ipairs(T.bits) do
            local want = holds(T.value(x), T.value(y))
            local a, b = T.arg(x), T.arg(y)
            local got = {e.br(a, b), e["if"](a, b), e.brv(a, b), e.fn(a, b), e.loop(a, b)}
            local exp = {want and 1 or 0, want and 1 or 0, want and 1 or 0, want and 1 or 0,
                         want and 3 or 1}
            for f = 1, 5 do
              if got[f] ~= exp[f] then
                bad[#bad + 1] = ("%s(%x, %x) form %d: %s, not %s"):format(cmp, x, y, f, got[f], exp[f])
              end
            end
          end
        end
        assert.are.same({}, bad)
      end)

      it("with a constant on either side: br_if, if, a back edge", function()
        local bad = {}
        for i, k in ipairs(CONSTS) do
          for _, x in ipairs(T.bits) do
            local v = T.value(x)
            for _, side in ipairs({"r", "l"}) do
              local want
              if side == "r" then want = holds(v, k[2]) else want = holds(k[2], v) end
              local a = T.arg(x)
              local got = {e["br" .. side .. i](a), e["if" .. side .. i](a),
                           e["loop" .. side .. i](a)}
              local exp = {want and 1 or 0, want and 1 or 0, want and 3 or 1}
              for f = 1, 3 do
                if got[f] ~= exp[f] then
                  bad[#bad + 1] = ("%s %s %x (%s) form %d: %s, not %s"):format(cmp, k[1], x,
                    side, f, got[f], exp[f])
                end
              end
            end
          end
        end
        assert.are.same({}, bad)
      end)
    end)
  end
end

-- Float pairs with a constant (FIB_ forms of ir_fbr.h): an f64 binary
-- with a constant (on either side) whose result feeds the next add, mul or
-- sub, on either side of it.  The first result is rounded before the
-- second operation: with a = k = 1 + 2^-30 and b = -(1 + 2^-29), a * k + b
-- is 0, where a fused multiply-add would give 2^-60.
describe("f64 binary with a constant feeding another binary", function()
  local FIRSTS = {
    {"(f64.add (local.get 0) K)", function(a, k) return a + k end},
    {"(f64.sub (local.get 0) K)", function(a, k) return a - k end},
    {"(f64.mul (local.get 0) K)", function(a, k) return a * k end},
    {"(f64.sub K (local.get 0))", function(a, k) return k - a end},
    {"(f64.div K (local.get 0))", function(a, k) return k / a end},
  }
  local SECONDS = {
    {"(f64.add T (local.get 1))", function(t, b) return t + b end},
    {"(f64.add (local.get 1) T)", function(t, b) return b + t end},
    {"(f64.mul T (local.get 1))", function(t, b) return t * b end},
    {"(f64.mul (local.get 1) T)", function(t, b) return b * t end},
    {"(f64.sub T (local.get 1))", function(t, b) return t - b end},
    {"(f64.sub (local.get 1) T)", function(t, b) return b - t end},
  }
  local KS = {
    {"3", 3.0}, {"-0", -0.0}, {"inf", math.huge}, {"nan", 0 / 0},
    {"0x1.00000004p+0", 1 + 2 ^ -30},
  }
  local VALUES = {0.0, -0.0, 1.5, -2.0, math.huge, -math.huge, 0 / 0, 1 + 2 ^ -30,
                  -(1 + 2 ^ -29), 5e-324}
  local fs = {}
  for i, f in ipairs(FIRSTS) do
    for j, s in ipairs(SECONDS) do
      for n, k in ipairs(KS) do
        local first = f[1]:gsub("K", "(f64.const " .. k[1] .. ")")
        fs[#fs + 1] = ("(func (export \"f%d_%d_%d\") (param f64 f64) (result f64) %s)")
          :format(i, j, n, (s[1]:gsub("T", first)))
      end
    end
  end
  local e = wasm.store():instantiate(wasm.load("(module " .. table.concat(fs, "\n") .. ")"))
    .exports
  local function bits(x) return string.pack("<d", x) end

  it("computes each pair as two rounded operations", function()
    local bad = {}
    for i, f in ipairs(FIRSTS) do
      for j, s in ipairs(SECONDS) do
        for n, k in ipairs(KS) do
          for _, a in ipairs(VALUES) do
            for _, b in ipairs(VALUES) do
              local want = s[2](f[2](a, k[2]), b)
              local got = e[("f%d_%d_%d"):format(i, j, n)](a, b)
              local ok
              if want ~= want then ok = got ~= got else ok = bits(got) == bits(want) end
              if not ok then
                bad[#bad + 1] = ("%s / %s, k %s, a %s, b %s: %s, not %s"):format(f[1], s[1],
                  k[1], a, b, got, want)
              end
            end
          end
        end
      end
    end
    assert.are.same({}, bad)
  end)

  it("rounds the product before the add (no fused multiply-add)", function()
    local m = wasm.store():instantiate(wasm.load([[(module
      (func (export "f") (param f64 f64) (result f64)
        (f64.add (f64.mul (local.get 0) (f64.const 0x1.00000004p+0)) (local.get 1))))]]))
    assert.are.equal(0.0, m.exports.f(1 + 2 ^ -30, -(1 + 2 ^ -29)))
  end)
end)
