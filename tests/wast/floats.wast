;; Float results are compared bit for bit; NaN patterns per the spec:
;; nan:canonical (only the quiet bit), nan:arithmetic (quiet bit set).

(module
  (func (export "f32.id") (param f32) (result f32) (local.get 0))
  (func (export "f64.id") (param f64) (result f64) (local.get 0))
  (func (export "f32.add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "f64.div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "f32.neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "f64.copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
  (func (export "f32.min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f64.sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "f32.demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "f32.reinterpret") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "i64.reinterpret") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
)

;; NaN payloads and signs pass through untouched.
(assert_return (invoke "f32.id" (f32.const nan:0x1)) (f32.const nan:0x1))
(assert_return (invoke "f32.id" (f32.const -nan:0x7fffff)) (f32.const -nan:0x7fffff))
(assert_return (invoke "f64.id" (f64.const nan:0x1)) (f64.const nan:0x1))
(assert_return (invoke "f64.id" (f64.const -nan:0xfffffffffffff)) (f64.const -nan:0xfffffffffffff))
(assert_return (invoke "f32.neg" (f32.const nan:0x123)) (f32.const -nan:0x123))
(assert_return (invoke "f64.copysign" (f64.const nan:0x5) (f64.const -1)) (f64.const -nan:0x5))
(assert_return (invoke "f32.reinterpret" (i32.const 0x7fa00001)) (f32.const nan:0x200001))
(assert_return (invoke "i64.reinterpret" (f64.const -nan:0x8000000000001)) (i64.const 0xfff8000000000001))

;; Signed zeros are distinct.
(assert_return (invoke "f32.id" (f32.const -0.0)) (f32.const -0.0))
(assert_return (invoke "f32.min" (f32.const 0.0) (f32.const -0.0)) (f32.const -0.0))
(assert_return (invoke "f64.div" (f64.const 1) (f64.const -inf)) (f64.const -0.0))

;; Arithmetic NaN results.
(assert_return (invoke "f32.add" (f32.const inf) (f32.const -inf)) (f32.const nan:canonical))
(assert_return (invoke "f64.div" (f64.const 0) (f64.const 0)) (f64.const nan:canonical))
(assert_return (invoke "f64.sqrt" (f64.const -1)) (f64.const nan:canonical))
(assert_return (invoke "f32.add" (f32.const nan:0x200000) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "f32.min" (f32.const 1) (f32.const nan)) (f32.const nan:canonical))
(assert_return (invoke "f32.demote" (f64.const nan:0x4000000000000)) (f32.const nan:arithmetic))

;; Rounding and extremes.
(assert_return (invoke "f32.add" (f32.const 0x1p-149) (f32.const 0x1p-149)) (f32.const 0x1p-148))
(assert_return (invoke "f32.demote" (f64.const 0x1.fffffefffffffp+127)) (f32.const 0x1.fffffep+127))
(assert_return (invoke "f32.demote" (f64.const 0x1.ffffffp+127)) (f32.const inf))
(assert_return (invoke "f64.div" (f64.const 1) (f64.const 3)) (f64.const 0x1.5555555555555p-2))
(assert_return (invoke "f64.id" (f64.const 0x1p-1074)) (f64.const 0x1p-1074))
