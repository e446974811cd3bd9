-- Interpreter speed (issue 13): the single instruction pairs of
-- src/runtime/ir_move.h (MW_MOVE_SINGLES) -- masks feeding a branch or a
-- select, bit-field extracts, 16-bit loads feeding a multiply or a
-- multiply-add, CRC-style steps -- each run in one dispatch.  Every
-- function below makes one or two of them (tests/c/test_move.c checks
-- that they are emitted); the values are worked out here in Lua:
-- wraparound, shift counts >= 32, INT_MIN, zero and non-zero masks, traps
-- in the loads of a pair, a loop whose header is the second of a pair,
-- with code compiled at load and on first call.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local PROGRAM = [[
(module (memory 1)
  ;; 0: (x & 5) == y, branch (IMM_I32_AND > BR_I32_EQ_B); the count of
  ;; i < n with (i & 5) != y
  (func (export "andeq") (param $y i32) (param $n i32) (result i32) (local $i i32) (local $c i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (block $no
        (br_if $no (i32.eq (local.get $y) (i32.and (local.get $i) (i32.const 5))))
        (local.set $c (i32.add (local.get $c) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $c))
  ;; 1: (x & 6) == 2 (IMM_I32_AND > BRI_I32_EQ_A): 1 if so
  (func (export "andeqi") (param $x i32) (result i32)
    (block $y (br_if $y (i32.eq (i32.and (local.get $x) (i32.const 6)) (i32.const 2)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; 2: crc-like step: select on a mask of acc (IMM_I32_AND_A > SELECT_A,
  ;; SELECT_A > II_I32_SHR_U__I32_AND_A)
  (func (export "selmask") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    (i32.and (i32.shr_u (select (local.get $a) (local.get $b)
                                (i32.and (i32.xor (local.get $x) (local.get $y)) (i32.const 1)))
                        (i32.const 3)) (i32.const 255)))
  ;; 3: xor of the p[i] * q[i], u16 (I32_LOAD16_U > I32_LOAD16_U, > I32_MUL_B),
  ;; the second load a loop header
  (func (export "dotu") (param $p i32) (param $q i32) (param $n i32) (result i32) (local $s i32) (local $t i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $t (i32.mul (i32.load16_u (local.get $p)) (i32.load16_u (local.get $q))))
      (local.set $s (i32.xor (local.get $s) (local.get $t)))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  ;; 4: the same with i16 and a multiply-add (I32_LOAD16_S > I32_LOAD16_S,
  ;; > BB_I32_MUL__I32_ADD_B)
  (func (export "dots") (param $p i32) (param $q i32) (param $n i32) (result i32) (local $s i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $s (i32.add
        (i32.mul (i32.load16_s (local.get $p)) (i32.load16_s (local.get $q))) (local.get $s)))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  ;; 5: s + x * i16[p + 6] (I32_LOAD16_S_K > BBR_I32_MUL__I32_ADD_B)
  (func (export "madk") (param $s i32) (param $x i32) (param $p i32) (result i32)
    (i32.add (local.get $s) (i32.mul (local.get $x) (i32.load16_s (i32.add (local.get $p) (i32.const 6))))))
  ;; 6: m * ((v >> k) & 255) + s (II_I32_SHR_U__I32_AND > BB_I32_MUL__I32_ADD_B);
  ;; ((x ^ y) >> 35 & 15) + ((c >> 8) & 255) (II_ _A > II_)
  (func (export "fields") (param $m i32) (param $v i32) (param $s i32) (param $x i32) (param $y i32) (result i32)
    (i32.add
      (i32.add (i32.mul (local.get $m) (i32.and (i32.shr_u (local.get $v) (i32.const 4)) (i32.const 255)))
               (local.get $s))
      (i32.add (i32.and (i32.shr_u (i32.xor (local.get $x) (local.get $y)) (i32.const 35)) (i32.const 15))
               (i32.and (i32.shr_u (local.get $m) (i32.const 8)) (i32.const 255)))))
  ;; 7: (((a + b) >> 3) & 1) ^ 0x55 (II_ _A > IMM_I32_XOR_A)
  (func (export "bitx") (param $a i32) (param $b i32) (result i32)
    (i32.xor (i32.and (i32.shr_u (i32.add (local.get $a) (local.get $b)) (i32.const 3)) (i32.const 1))
             (i32.const 0x55)))
  ;; 8: 1 if ((x + 5) & 255) >= 10, 2 if > 200 (II_I32_ADD__I32_AND >
  ;; BRI_I32_GE_U_A, > BRI_I32_GT_U_A), else 0
  (func (export "range") (param $x i32) (result i32)
    (block $g (br_if $g (i32.gt_u (i32.and (i32.add (local.get $x) (i32.const 5)) (i32.const 255)) (i32.const 200)))
      (block $y (br_if $y (i32.ge_u (i32.and (i32.add (local.get $x) (i32.const 5)) (i32.const 255)) (i32.const 10)))
        (return (i32.const 0)))
      (return (i32.const 1)))
    (i32.const 2))
  ;; 9: t = (a - b) ^ 0x4002; r = ((c >> 1) ^ u) & 0x7fff; t * 65536 + r
  ;; (IMM_I32_XOR_A > IB_I32_SHR_U__I32_XOR > IMM_I32_AND_A)
  (func (export "crcstep") (param $a i32) (param $b i32) (param $c i32) (param $u i32) (result i32) (local $t i32) (local $r i32)
    (local.set $t (i32.xor (i32.sub (local.get $a) (local.get $b)) (i32.const 0x4002)))
    (local.set $r (i32.and (i32.xor (i32.shr_u (local.get $c) (i32.const 1)) (local.get $u)) (i32.const 0x7fff)))
    (i32.add (i32.shl (local.get $t) (i32.const 16)) (local.get $r)))
  ;; 10: if ((a & 1) ^ (b + c)) then 7 else 9 (IB_I32_AND__I32_XOR_B >
  ;; JUMP_UNLESS_A)
  (func (export "testx") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (if (result i32) (i32.xor (i32.add (local.get $b) (local.get $c)) (i32.and (local.get $a) (i32.const 1)))
      (then (i32.const 7)) (else (i32.const 9))))
  ;; 11: ((a * (b - c)) >> 2) & 255 (I32_MUL_B > II_I32_SHR_U__I32_AND_A)
  (func (export "mulf") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.and (i32.shr_u (i32.mul (local.get $a) (i32.sub (local.get $b) (local.get $c))) (i32.const 2))
             (i32.const 255)))
  ;; 12: select(5, b, c) * 1000 + t where t = 9 and r = (x + 3) & 255:
  ;; (I32_CONST > SELECT, I32_CONST > II_I32_ADD__I32_AND)
  (func (export "consts") (param $b i32) (param $c i32) (param $x i32) (result i32) (local $t i32) (local $r i32)
    (local.set $t (i32.const 9))
    (local.set $r (i32.and (i32.add (local.get $x) (i32.const 3)) (i32.const 255)))
    (i32.add (i32.mul (select (i32.const 5) (local.get $b) (local.get $c)) (i32.const 1000))
             (i32.add (i32.mul (local.get $t) (i32.const 100000)) (local.get $r))))
;; 13: v = u16[p]; s += v * u16[p + 2 + 2i] for i < n (n >= 1): the
  ;; second load of the pair I32_LOAD16_U > I32_LOAD16_U is the loop header
  (func (export "hdr") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $v i32)
    (local.set $v (i32.load16_u (local.get $p)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $v) (i32.load16_u offset=2 (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "poke16") (param $p i32) (param $v i32) (i32.store16 (local.get $p) (local.get $v)))
)]]

local M = 0xFFFFFFFF
local function u32(x) return x & M end
local function s16(v) return v >= 0x8000 and v - 0x10000 or v end

local EDGE = {0, 1, 2, 3, 5, 6, 7, 0x7F, 0x80, 0xFF, 0x100, 0x4002, 0x7FFF, 0x8000, 0xFFFF,
              0x12345678, 0x7FFFFFFF, 0x80000000, 0x80000002, 0xFFFFFFFE, 0xFFFFFFFF}

for _, mode in ipairs {"lazy", "eager"} do
  local config = wasm.config{eager_compile = mode == "eager" or nil}
  local function exports()
    return wasm.store(config):instantiate(wasm.load(PROGRAM, config)).exports
  end
  -- memory as 16-bit words at even addresses, mirrored in a Lua table
  local function memory(e, words)
    local mem = {}
    local seed = 12345
    for i = 0, words - 1 do
      seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
      local v = seed >> 8 & 0xFFFF
      if i % 7 == 0 then v = 0x8000 elseif i % 11 == 0 then v = 0xFFFF end
      e.poke16(2 * i, v)
      mem[2 * i] = v
    end
    return function(a) return mem[a] or 0 end
  end

  describe("single instruction pairs (" .. mode .. " compile)", function()
    it("branch and select on a mask", function()
      local e = exports()
      for _, y in ipairs {0, 1, 4, 5, 6, 0xFFFFFFFF} do
        for _, n in ipairs {0, 1, 10, 33} do
          local want = 0
          for i = 0, n - 1 do if (i & 5) ~= y then want = want + 1 end end
          assert.equal(want, e.andeq(y, n))
        end
      end
      for _, x in ipairs(EDGE) do
        assert.equal((x & 6) == 2 and 1 or 0, e.andeqi(x))
        for _, y in ipairs {0, 1, 0xFFFFFFFF, 0x80000000} do
          local c = (x ~ y) & 1
          local v = c ~= 0 and 0x12345678 or 0xFFFFFFFF
          assert.equal((v >> 3) & 255, e.selmask(0x12345678, 0xFFFFFFFF, x, y))
          assert.equal(u32((y + x) ~ (x & 1)) ~= 0 and 7 or 9, e.testx(x, y, x))
          assert.equal(u32((y + 1) ~ (x & 1)) ~= 0 and 7 or 9, e.testx(x, y, 1))
        end
      end
    end)

    it("bit fields: shifts of 32 and more, wraparound", function()
      local e = exports()
      for _, a in ipairs(EDGE) do
        for _, b in ipairs {0, 1, 8, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF} do
          assert.equal(((u32(a + b) >> 3) & 1) ~ 0x55, e.bitx(a, b))
          local t = u32(a - b) ~ 0x4002
          local r = ((b >> 1) ~ a) & 0x7FFF
          assert.equal(u32((t << 16) + r), u32(e.crcstep(a, b, b, a)))
          assert.equal((u32(a * u32(b - 3)) >> 2) & 255, e.mulf(a, b, 3))
          local f = u32(u32(b * ((a >> 4) & 255)) + 7 + (((a ~ b) >> 3) & 15) + ((b >> 8) & 255))
          assert.equal(f, u32(e.fields(b, a, 7, a, b)))
        end
        local t = (a + 5) & 255
        assert.equal(t > 200 and 2 or t >= 10 and 1 or 0, e.range(a))
        for _, c in ipairs {0, 1, 0x80000000} do
          local sel = c ~= 0 and 5 or a
          assert.equal(u32(sel * 1000 + 900000 + ((a + 3) & 255)), u32(e.consts(a, c, a)))
        end
      end
    end)

    it("16-bit loads into multiplies", function()
      local e = exports()
      local at = memory(e, 300)
      for _, c in ipairs {{0, 200, 1}, {2, 202, 50}, {100, 300, 99}, {0, 0, 0}} do
        local p, q, n = c[1], c[2], c[3]
        local x, s = 0, 0
        for i = 0, n - 1 do
          x = x ~ u32(at(p + 2 * i) * at(q + 2 * i))
          s = u32(s + s16(at(p + 2 * i)) * s16(at(q + 2 * i)))
        end
        assert.equal(x, u32(e.dotu(p, q, n)))
        assert.equal(s, u32(e.dots(p, q, n)))
        if n > 0 then
          local v, hs = at(p), 0
          for i = 0, n - 1 do hs = u32(hs + v * at(p + 2 + 2 * i)) end
          assert.equal(hs, u32(e.hdr(p, n)))
        end
      end
      for _, p in ipairs {0, 14, 98, 0xFFFFFFFA} do   -- p + 6 wraps to 0
        for _, x in ipairs {1, 0xFFFFFFFF, 0x80000000, 0x10001} do
          local v = s16(at(u32(p + 6)))
          assert.equal(u32(0x7FFFFFFF + x * v), u32(e.madk(0x7FFFFFFF, x, p)))
        end
      end
    end)

    it("traps in the loads of a pair with the spec's message", function()
      local e = exports()
      local oob = "out of bounds memory access"
      h.raises("trap", oob, e.dotu, 65535, 0, 1)      -- the first load
      h.raises("trap", oob, e.dotu, 0, 65535, 1)      -- the second
      h.raises("trap", oob, e.dots, 65536, 0, 1)
      h.raises("trap", oob, e.dots, 0, 65535, 1)
      h.raises("trap", oob, e.madk, 0, 1, 65530)
      h.raises("trap", oob, e.hdr, 65532, 2)          -- in the loop, at 65536
      h.raises("trap", oob, e.hdr, 65536, 1)
      e.poke16(65532, 5)
      e.poke16(65534, 3)
      assert.equal(15, e.hdr(65532, 1))
    end)
  end)
end
