;; simd_layout.wat -- v128 values mixed with scalars wherever the compiler
;; moves values between slots: block params and results, br_table, loops,
;; multi-value returns, call_indirect, tail calls, local.tee.
;; Used by tests/c/test_simd.c.
(module
  (type $vv (func (param v128 i32) (result v128)))
  (table 2 funcref)
  (elem (i32.const 0) $scale $negate)

  (func $scale (type $vv)
    (i32x4.mul (local.get 0) (i32x4.splat (local.get 1))))
  (func $negate (type $vv)
    (i32x4.neg (local.get 0)))

  ;; (v128 i64 v128) from one function, recombined by its caller
  (func $three (param $a v128) (param $n i64) (result v128 i64 v128)
    (i64x2.splat (local.get $n))
    (i64.mul (local.get $n) (i64.const 3))
    (local.get $a))
  (func (export "multi") (param $a v128) (param $n i64) (result i64 v128)
    (local $x v128) (local $k i64)
    (call $three (local.get $a) (local.get $n))
    (local.set $x)
    (local.set $k)
    (i64x2.add (local.get $x))
    (local.set $x)
    (local.get $k)
    (local.get $x))

  ;; br_table to three labels, each carrying an i32 and a v128
  (func (export "table") (param $i i32) (param $v v128) (result i32 v128)
    (block $c (result i32 v128)
      (block $b (result i32 v128)
        (block $a (result i32 v128)
          (i32.const 100)
          (local.get $v)
          (br_table $a $b $c (local.get $i)))
        (i32x4.add (i32x4.splat (i32.const 1)))
        (br $c))
      (i32x4.add (i32x4.splat (i32.const 2)))
      (br $c)))

  ;; a loop whose params are (v128 i32): doubles the lanes n times
  (func (export "loop") (param $v v128) (param $n i32) (result v128)
    (local.get $v)
    (local.get $n)
    (loop $l (param v128 i32) (result v128)
      (local.set $n)
      (i32x4.shl (i32.const 1))
      (local.get $n)
      (i32.const 1)
      (i32.sub)
      (local.tee $n)
      (local.get $n)
      (br_if $l)
      (drop)))

  ;; call_indirect with a v128 parameter
  (func (export "indirect") (param $v v128) (param $k i32) (param $f i32) (result v128)
    (call_indirect (type $vv) (local.get $v) (local.get $k) (local.get $f)))

  ;; if/else with a v128 param and result, and a scalar below it
  (func (export "ifelse") (param $c i32) (param $v v128) (result i32 v128)
    (i32.const 7)
    (local.get $v)
    (if (param v128) (result v128) (local.get $c)
      (then (i8x16.add (i8x16.splat (i32.const 1))))
      (else (v128.not))))

  ;; tail call passing v128 on
  (func $count (param $v v128) (param $n i32) (result v128)
    (if (result v128) (i32.eqz (local.get $n))
      (then (local.get $v))
      (else (return_call $count (i32x4.add (local.get $v) (i32x4.splat (i32.const 1)))
                                (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "tail") (param v128 i32) (result v128)
    (call $count (local.get 0) (local.get 1)))

  ;; many v128 locals: every local is zero on entry
  (func (export "zeros") (param $x i32) (result v128)
    (local $a v128) (local $b i64) (local $c v128) (local $d f32) (local $e v128)
    (v128.or (v128.or (local.get $a) (local.get $c)) (local.get $e)))
)
