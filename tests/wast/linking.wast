;; Linking: registered instances export functions, memories and tables to
;; later modules; import mismatches are unlinkable.

(module $math
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0)))
  (memory (export "mem") 1 2)
  (table (export "tab") 3 10 funcref)
  (elem (i32.const 0) $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "read") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(register "math" $math)

(module $client
  (import "math" "add" (func $add (param i32 i32) (result i32)))
  (import "math" "mem" (memory 1))
  (import "math" "tab" (table 1 funcref))
  (type $r (func (result i32)))
  (elem (i32.const 1) $eight)
  (func $eight (result i32) (i32.const 8))
  (func (export "add3") (param i32 i32 i32) (result i32)
    (call $add (call $add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "write") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
)

(assert_return (invoke $client "add3" (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 6))
(invoke $client "write" (i32.const 16) (i32.const 0x01020304))
(assert_return (invoke $math "read" (i32.const 16)) (i32.const 0x01020304))
(assert_return (invoke $client "call" (i32.const 0)) (i32.const 7))
(assert_return (invoke $client "call" (i32.const 1)) (i32.const 8))
(assert_return (invoke $client "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $math "size") (i32.const 2))
(assert_return (invoke $client "grow" (i32.const 1)) (i32.const -1))

;; re-export under another name
(module $re
  (import "math" "neg" (func $neg (param f64) (result f64)))
  (export "negate" (func $neg))
)
(register "re" $re)
(module
  (import "re" "negate" (func $n (param f64) (result f64)))
  (func (export "twice") (param f64) (result f64) (call $n (call $n (local.get 0))))
)
(assert_return (invoke "twice" (f64.const -0.0)) (f64.const -0.0))
(assert_return (invoke $re "negate" (f64.const 1.5)) (f64.const -1.5))

(assert_unlinkable
  (module (import "math" "nope" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "nowhere" "add" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "math" "add" (func (param i32) (result i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "math" "add" (memory 1)))
  "incompatible import type")
;; limits: the import's minimum must be met, its maximum respected
(assert_unlinkable
  (module (import "math" "mem" (memory 3)))
  "incompatible import type")
(assert_unlinkable
  (module (import "math" "mem" (memory 1 1)))
  "incompatible import type")
(assert_unlinkable
  (module (import "math" "tab" (table 3 5 funcref)))
  "incompatible import type")
(module (import "math" "tab" (table 2 funcref)))
(module (import "math" "mem" (memory 0 3)))
