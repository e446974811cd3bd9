-- Interpreter speed (issue 13): instruction pairs (src/runtime/ir_move.h).
-- A copy, constant, add, load or store and the instruction after it run in
-- one dispatch; the code below is made of such pairs (phi copies, list
-- walks, byte scans, copies reading the local another copy overwrites, a
-- loop whose header is the second of a pair) and each expected value is
-- worked out here in Lua, traps included, with code compiled at load and
-- on first call.  tests/c/test_move.c checks that the pairs are emitted.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local PROGRAM = [[
(module (memory 1)
  (data (i32.const 1000) "hello, world\00")
  ;; nodes 16, 32, .., 16n: node k holds the address of node k+1, the last 0
  (func (export "build") (param $n i32) (result i32) (local $k i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (i32.store (i32.shl (local.get $k) (i32.const 4))
        (select (i32.const 0) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 4))
                (i32.eq (local.get $k) (local.get $n))))
      (br $l)))
    (i32.const 16))
  (func (export "rev") (param $l i32) (result i32) (local $r i32) (local $n i32)
    (block $done (br_if $done (i32.eqz (local.get $l)))
      (loop $lp
        (local.set $n (i32.load (local.get $l)))
        (i32.store (local.get $l) (local.get $r))
        (local.set $r (local.get $l))
        (local.set $l (local.get $n))
        (br_if $lp (local.get $l))))
    (local.get $r))
  ;; the sum of the node addresses from p on
  (func (export "sum") (param $p i32) (result i32) (local $s i32)
    (loop $lp
      (local.set $s (i32.add (local.get $s) (local.get $p)))
      (br_if $lp (local.tee $p (i32.load (local.get $p)))))
    (local.get $s))
  (func (export "strlen") (param $p i32) (result i32) (local $q i32)
    (local.set $q (local.get $p))
    (block $d (loop $l
      (br_if $d (i32.eqz (i32.load8_u (local.get $q))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $l)))
    (i32.sub (local.get $q) (local.get $p)))
  (func (export "fill") (param $p i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $p) (local.get $v) (local.get $n)))
  ;; (a, b, c) = (b, c, a) n times through the operand stack, then a*10000
  ;; + b*100 + c
  (func (export "rot") (param $a i32) (param $b i32) (param $c i32) (param $n i32) (result i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.get $b) (local.get $c) (local.get $a)
      (local.set $c) (local.set $b) (local.set $a)
      (local.set $n (i32.add (local.get $n) (i32.const -1)))
      (br $l)))
    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 10000))
                      (i32.mul (local.get $b) (i32.const 100))) (local.get $c)))
  ;; x, x + k, x + 2k, .. (wrapping) while below the limit; returns the
  ;; number of steps * 2^16 + the low 16 bits of the last value
  (func (export "count") (param $x i32) (param $k i32) (param $lim i32) (result i32)
    (local $y i32) (local $n i32)
    (local.set $y (local.get $x))
    (loop $l
      (i32.store (i32.const 8) (local.get $y))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $y (i32.add (i32.load (i32.const 8)) (local.get $k)))
      (br_if $l (i32.lt_u (local.get $y) (local.get $lim))))
    (i32.add (i32.shl (local.get $n) (i32.const 16)) (i32.and (local.get $y) (i32.const 0xFFFF))))
)]]

local function rot(a, b, c, n)
  for _ = 1, n do a, b, c = b, c, a end
  return a * 10000 + b * 100 + c
end

local function count(x, k, lim)
  local y, n = x, 0
  repeat
    n = n + 1
    y = (y + k) & 0xFFFFFFFF
  until not (y < lim)
  return ((n << 16) + (y & 0xFFFF)) & 0xFFFFFFFF
end

for _, mode in ipairs {"lazy", "eager"} do
  local config = wasm.config{eager_compile = mode == "eager" or nil}
  local function exports()
    return wasm.store(config):instantiate(wasm.load(PROGRAM, config)).exports
  end

  describe("instruction pairs (" .. mode .. " compile)", function()
    it("walk, sum and reverse lists", function()
      local e = exports()
      for _, n in ipairs {1, 2, 7, 100} do
        assert.equal(16, e.build(n))
        local want = 0
        for k = 1, n do want = want + 16 * k end
        assert.equal(want, e.sum(16))
        assert.equal(16 * n, e.rev(16))        -- the old tail is the head
        assert.equal(want, e.sum(16 * n))
        assert.equal(16, e.rev(16 * n))        -- and back
        assert.equal(want, e.sum(16))
      end
      assert.equal(0, e.rev(0))
    end)

    it("scans bytes up to a zero", function()
      local e = exports()
      assert.equal(12, e.strlen(1000))
      assert.equal(5, e.strlen(1007))
      assert.equal(0, e.strlen(1012))
      e.fill(65000, 7, 536)
      h.raises("trap", "out of bounds memory access", e.strlen, 65000)
      e.fill(65535, 0, 1)
      assert.equal(535, e.strlen(65000))
    end)

    it("traps in the load of a pair with the spec's message", function()
      local e = exports()
      e.build(3)
      e.fill(48, 0xFF, 4)                       -- node 48 points to 0xFFFFFFFF
      h.raises("trap", "out of bounds memory access", e.sum, 16)
      h.raises("trap", "out of bounds memory access", e.rev, 16)
      h.raises("trap", "out of bounds memory access", e.sum, 65536)
      h.raises("trap", "out of bounds memory access", e.sum, 65533)
    end)

    it("copies that read what the next copy overwrites", function()
      local e = exports()
      for _, n in ipairs {0, 1, 2, 3, 4, 5, 100, 1001} do
        assert.equal(rot(1, 2, 3, n), e.rot(1, 2, 3, n))
        assert.equal(rot(7, 0, 42, n), e.rot(7, 0, 42, n))
      end
    end)

    it("a loop whose header is the second of a pair", function()
      local e = exports()
      for _, c in ipairs {{1, 3, 100}, {200, 3, 100}, {0, 1, 1000}, {0xFFFFFFF0, 4, 0xFFFFFFF9},
                          {5, 0xFFFFFFFF, 6}, {0x7FFFFFFF, 0x80000000, 0x90000000}} do
        local x, k, lim = c[1], c[2], c[3]
        local got = e.count(x, k, lim) & 0xFFFFFFFF
        assert.equal(count(x, k, lim), got)
      end
    end)
  end)
end
