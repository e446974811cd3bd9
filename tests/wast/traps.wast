;; Traps with the spec's messages, exhaustion, and traps during
;; instantiation (which leave earlier side effects in place).

(module
  (type $v (func))
  (type $i (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $nop)
  (memory 1)
  (func $nop)
  (func (export "unreachable") (unreachable))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "store") (param i32) (i32.store16 offset=2 (local.get 0) (i32.const 0)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "call-type") (param i32) (result i32) (call_indirect (type $i) (local.get 0)))
  (func (export "call-void") (param i32) (call_indirect (type $v) (local.get 0)))
  (func $loop (export "recurse") (call $loop))
  (func $ping (call $pong))
  (func $pong (call $ping))
  (func (export "mutual") (call $ping))
  (func (export "grow-fail") (result i32) (memory.grow (i32.const 65536)))
)

(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "div_s" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_s" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_return (invoke "rem_s" (i32.const 0x80000000) (i32.const -1)) (i32.const 0))
(assert_trap (invoke "rem_u" (i64.const 1) (i64.const 0)) "integer divide by zero")
(assert_return (invoke "load" (i32.const 65528)) (i64.const 0))
(assert_trap (invoke "load" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "load" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "trunc" (f64.const nan)) "invalid conversion to integer")
(assert_trap (invoke "trunc" (f64.const 2147483648)) "integer overflow")
(assert_return (invoke "trunc" (f64.const -2147483648.9)) (i32.const -2147483648))
(assert_trap (invoke "call-type" (i32.const 0)) "indirect call type mismatch")
(assert_trap (invoke "call-void" (i32.const 1)) "uninitialized element")
(assert_trap (invoke "call-void" (i32.const 2)) "undefined element")
(assert_return (invoke "call-void" (i32.const 0)))
(assert_exhaustion (invoke "recurse") "call stack exhausted")
(assert_exhaustion (invoke "mutual") "call stack exhausted")
;; the store survives traps and exhaustion
(assert_return (invoke "rem_s" (i32.const 7) (i32.const 3)) (i32.const 1))
(assert_return (invoke "grow-fail") (i32.const -1))

;; Instantiation traps: start function, segments out of bounds.
(module $shared
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "shared" $shared)

(assert_trap
  (module (func $start (unreachable)) (start $start))
  "unreachable")
(assert_trap
  (module (memory 1) (data (i32.const 65535) "ab"))
  "out of bounds memory access")
(assert_trap
  (module (table 1 funcref) (func) (elem (i32.const 1) 0))
  "out of bounds table access")
;; Segments are applied in order: the first data segment lands before the
;; second one traps (Wasm 2.0 semantics).
(assert_trap
  (module
    (import "shared" "mem" (memory 1))
    (data (i32.const 0) "\2a")
    (data (i32.const 65536) "x"))
  "out of bounds memory access")
(assert_return (invoke $shared "peek" (i32.const 0)) (i32.const 42))
