;; simd_semantics.wast -- moonwasm's own SIMD checks: lane patterns with
;; NaN classes, edge cases of saturation, rounding and min/max, memory
;; traps of the lane forms, validation of lane immediates, relaxed SIMD
;; results with `either`.

(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (func (export "fmin") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "fmax") (param v128 v128) (result v128) (f32x4.max (local.get 0) (local.get 1)))
  (func (export "dmin") (param v128 v128) (result v128) (f64x2.min (local.get 0) (local.get 1)))
  (func (export "fadd") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
  (func (export "nearest") (param v128) (result v128) (f32x4.nearest (local.get 0)))
  (func (export "floor64") (param v128) (result v128) (f64x2.floor (local.get 0)))
  (func (export "trunc_s") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))
  (func (export "trunc_u") (param v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0)))
  (func (export "conv_u") (param v128) (result v128) (f32x4.convert_i32x4_u (local.get 0)))
  (func (export "q15") (param v128 v128) (result v128) (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
  (func (export "narrow_u") (param v128 v128) (result v128) (i16x8.narrow_i32x4_u (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
  (func (export "bitmask16") (param v128) (result i32) (i16x8.bitmask (local.get 0)))
  (func (export "all_true8") (param v128) (result i32) (i8x16.all_true (local.get 0)))
  (func (export "shuffle") (param v128 v128) (result v128)
    (i8x16.shuffle 31 0 30 1 29 2 28 3 16 16 16 16 15 15 15 15 (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))
  (func (export "load_lane") (param i32) (result v128)
    (v128.load16_lane 7 (local.get 0) (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 -1)))
  (func (export "store_lane") (param i32) (v128.store64_lane 1 (local.get 0) (v128.const i64x2 1 2)))
  (func (export "load_zero") (param i32) (result v128) (v128.load32_zero offset=4 (local.get 0)))
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "rswizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "rmin") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
)

;; min/max: -0 below +0 in both operand orders; any NaN gives a NaN
(assert_return (invoke "fmin" (v128.const f32x4 0 -0 nan 1) (v128.const f32x4 -0 0 1 -nan:0x200000))
  (v128.const f32x4 -0 -0 nan:canonical nan:arithmetic))
(assert_return (invoke "fmax" (v128.const f32x4 0 -0 -inf 1) (v128.const f32x4 -0 0 nan:0x1 2))
  (v128.const f32x4 0 0 nan:arithmetic 2))
(assert_return (invoke "dmin" (v128.const f64x2 -0 nan) (v128.const f64x2 0 -inf))
  (v128.const f64x2 -0 nan:canonical))
(assert_return (invoke "fadd" (v128.const f32x4 inf 1 nan:0x123 0x1p-149) (v128.const f32x4 -inf 2 1 0x1p-149))
  (v128.const f32x4 nan:canonical 3 nan:arithmetic 0x1p-148))

;; rounding: ties to even, the sign of zero kept
(assert_return (invoke "nearest" (v128.const f32x4 0.5 1.5 -2.5 -0.4))
  (v128.const f32x4 0 2 -2 -0))
(assert_return (invoke "floor64" (v128.const f64x2 -0.5 0x1.fffffffffffffp+51))
  (v128.const f64x2 -1 0x1.ffffffffffffep+51))

;; saturating conversions
(assert_return (invoke "trunc_s" (v128.const f32x4 nan 3e9 -3e9 -1.9))
  (v128.const i32x4 0 0x7fffffff 0x80000000 -1))
(assert_return (invoke "trunc_u" (v128.const f32x4 -1 5e9 nan 4294967040))
  (v128.const i32x4 0 0xffffffff 0 4294967040))
(assert_return (invoke "conv_u" (v128.const i32x4 0xffffffff 0x80000001 0x01000001 7))
  (v128.const f32x4 4294967296 2147483648 16777216 7))

;; integer edge cases
(assert_return (invoke "q15" (v128.const i16x8 -32768 -32768 16384 -1 1 0 32767 -16384)
                             (v128.const i16x8 -32768 32767 16384 1 1 5 32767 16384))
  (v128.const i16x8 32767 -32767 8192 0 0 0 32766 -8192))
(assert_return (invoke "narrow_u" (v128.const i32x4 -1 65536 65535 32768) (v128.const i32x4 0 1 -65536 0x7fffffff))
  (v128.const i16x8 0 65535 65535 32768 0 1 0 65535))
(assert_return (invoke "dot" (v128.const i16x8 -32768 -32768 1 2 3 4 -5 6) (v128.const i16x8 -32768 -32768 1 1 1 1 1 1))
  (v128.const i32x4 0x80000000 3 7 1))
(assert_return (invoke "bitmask16" (v128.const i16x8 -1 0 -32768 1 0 0 0 -2)) (i32.const 0x85))
(assert_return (invoke "all_true8" (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 1))
(assert_return (invoke "all_true8" (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 0)) (i32.const 0))

;; byte permutations
(assert_return (invoke "shuffle" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                                 (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))
  (v128.const i8x16 31 0 30 1 29 2 28 3 16 16 16 16 15 15 15 15))
(assert_return (invoke "swizzle" (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
                                 (v128.const i8x16 0 15 16 255 128 1 2 3 17 -1 7 7 7 7 7 7))
  (v128.const i8x16 10 25 0 0 0 11 12 13 0 0 17 17 17 17 17 17))

;; lane loads and stores, and their bounds
(assert_return (invoke "load_lane" (i32.const 2)) (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 0x0302))
(assert_return (invoke "load_zero" (i32.const 0)) (v128.const i32x4 0x07060504 0 0 0))
(assert_trap (invoke "load_lane" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "store_lane" (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke "store_lane" (i32.const 65528)))
(assert_trap (invoke "load_zero" (i32.const 65529)) "out of bounds memory access")

;; relaxed SIMD: moonwasm's choices are among the allowed results
(assert_return (invoke "madd" (v128.const f32x4 0x1.000002p+0 0x1.000002p+0 1 1)
                              (v128.const f32x4 0x1.fffffcp-1 0x1.fffffcp-1 2 2)
                              (v128.const f32x4 -1 -1 3 3))
  (either (v128.const f32x4 -0x1p-46 -0x1p-46 5 5) (v128.const f32x4 0 0 5 5)))
(assert_return (invoke "rswizzle" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
                                  (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
(assert_return (invoke "rmin" (v128.const f32x4 1 -0 3 4) (v128.const f32x4 2 0 -3 4))
  (either (v128.const f32x4 1 -0 -3 4) (v128.const f32x4 1 0 -3 4)))

;; validation
(assert_invalid
  (module (func (result i32) (i32x4.extract_lane 4 (v128.const i32x4 0 0 0 0))))
  "invalid lane index")
(assert_invalid
  (module (func (result v128) (i8x16.replace_lane 16 (v128.const i32x4 0 0 0 0) (i32.const 1))))
  "invalid lane index")
(assert_invalid
  (module (memory 1) (func (result v128) (v128.load64_lane 2 (i32.const 0) (v128.const i32x4 0 0 0 0))))
  "invalid lane index")
(assert_invalid
  (module (memory 1) (func (result v128) (v128.load align=32 (i32.const 0))))
  "alignment must not be larger than natural")
(assert_invalid
  (module (func (result v128) (i32x4.add (i32.const 0) (v128.const i32x4 0 0 0 0))))
  "type mismatch")
(assert_invalid
  (module (func (param v128) (result i32) (select (local.get 0) (local.get 0) (i32.const 1))))
  "type mismatch")
