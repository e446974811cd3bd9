;; Extended constant expressions (Wasm 3.0): i32/i64 add, sub, mul and
;; global.get of earlier immutable globals in globals, offsets and items.

(module
  (global $base (import "spectest" "global_i32") i32)   ;; 666
  (global $a i32 (i32.add (global.get $base) (i32.const 10)))
  (global $b i32 (i32.mul (global.get $a) (i32.const 2)))
  (global $c i64 (i64.sub (i64.const 0) (i64.mul (i64.const 3) (i64.const 0x4000000000000000))))
  (global $d i32 (i32.sub (i32.const 0) (i32.const 1)))
  ;; a long expression: 1+2+...+10 folded left
  (global $e i32
    (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add
      (i32.const 1) (i32.const 2)) (i32.const 3)) (i32.const 4)) (i32.const 5))
      (i32.const 6)) (i32.const 7)) (i32.const 8)) (i32.const 9)) (i32.const 10)))
  (memory 1)
  (data (i32.sub (global.get $a) (i32.const 600)) "xy")   ;; at 76
  (table 8 funcref)
  (elem (i32.add (i32.const 1) (i32.const 2)) $f)           ;; at 3
  (func $f (result i32) (i32.const 42))
  (func (export "a") (result i32) (global.get $a))
  (func (export "b") (result i32) (global.get $b))
  (func (export "c") (result i64) (global.get $c))
  (func (export "d") (result i32) (global.get $d))
  (func (export "e") (result i32) (global.get $e))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)
(assert_return (invoke "a") (i32.const 676))
(assert_return (invoke "b") (i32.const 1352))
;; 0 - 3 * 2^62 wraps: 2^64 - 3*2^62 = 2^62
(assert_return (invoke "c") (i64.const 0x4000000000000000))
(assert_return (invoke "d") (i32.const -1))
(assert_return (invoke "e") (i32.const 55))
(assert_return (invoke "byte" (i32.const 76)) (i32.const 0x78))
(assert_return (invoke "byte" (i32.const 77)) (i32.const 0x79))
(assert_return (invoke "call" (i32.const 3)) (i32.const 42))
(assert_trap (invoke "call" (i32.const 2)) "uninitialized element")

;; Only add, sub and mul are constant.
(assert_invalid
  (module (global i32 (i32.div_u (i32.const 1) (i32.const 1))))
  "constant expression required")
(assert_invalid
  (module (global i64 (i64.and (i64.const 1) (i64.const 1))))
  "constant expression required")
(assert_invalid
  (module (global f32 (f32.add (f32.const 1) (f32.const 1))))
  "constant expression required")
;; Operand types are checked.
(assert_invalid
  (module (global i32 (i32.add (i32.const 1) (i64.const 1))))
  "type mismatch")
(assert_invalid
  (module (global i64 (i32.add (i32.const 1) (i32.const 1))))
  "type mismatch")
;; Not a mutable global, nor a global defined later or itself.
(assert_invalid
  (module (global $m (mut i32) (i32.const 0)) (global i32 (global.get $m)))
  "constant expression required")
(assert_invalid
  (module (global i32 (global.get 1)) (global i32 (i32.const 0)))
  "unknown global 1")
(assert_invalid
  (module (global i32 (global.get 0)))
  "unknown global 0")
