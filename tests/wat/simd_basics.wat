;; simd_basics.wat -- v128 through every place a value can be: params,
;; results, locals, globals, memory, host imports, blocks and calls.
;; Used by tests/lua/19_simd_spec.lua and tests/c/test_simd.c.
(module
  (import "env" "twice" (func $twice (param v128) (result v128)))
  (import "env" "g" (global $imported v128))
  (memory (export "memory") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $copy (export "copy") v128 (global.get $imported))

  ;; i32x4 lane-wise add
  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))

  ;; a scalar param between two v128 params, and a v128 local
  (func (export "mix") (param $a v128) (param $k i32) (param $b v128) (result v128 i32)
    (local $t v128)
    (local.set $t (i32x4.mul (local.get $a) (i32x4.splat (local.get $k))))
    (i32x4.sub (local.get $t) (local.get $b))
    (i32x4.extract_lane 3 (local.get $t)))

  ;; through the host and back
  (func (export "via_host") (param v128) (result v128)
    (call $twice (local.get 0)))

  ;; the global: read, add, write, return the old value
  (func (export "bump") (param v128) (result v128)
    (global.get $g)
    (global.set $g (i32x4.add (global.get $g) (local.get 0))))

  ;; block results and branches carry v128 (and a scalar beside it)
  (func (export "pick") (param $c i32) (param $a v128) (param $b v128) (result v128)
    (block $out (result v128)
      (br_if $out (local.get $a) (local.get $c))
      (drop)
      (local.get $b)))

  (func (export "select") (param $a v128) (param $b v128) (param $c i32) (result v128)
    (select (local.get $a) (local.get $b) (local.get $c)))

  ;; memory: store then load at an offset; a lane load
  (func (export "roundtrip") (param $p i32) (param $v v128) (result v128)
    (v128.store offset=16 (local.get $p) (local.get $v))
    (v128.load offset=16 (local.get $p)))
  (func (export "load_lane") (param $p i32) (param $v v128) (result v128)
    (v128.load32_lane 2 (local.get $p) (local.get $v)))

  ;; a recursive sum of lanes through calls
  (func $hsum (export "hsum") (param $v v128) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (i32.add
          (i32x4.extract_lane 0 (local.get $v))
          (call $hsum
            (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3
              (local.get $v) (local.get $v))
            (i32.sub (local.get $n) (i32.const 1)))))))

  (func (export "fmin") (param v128 v128) (result v128)
    (f32x4.min (local.get 0) (local.get 1)))
  (func (export "trunc_sat") (param v128) (result v128)
    (i32x4.trunc_sat_f32x4_s (local.get 0)))
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
)
