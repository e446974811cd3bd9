;; Tail calls (Wasm 3.0): return_call and return_call_indirect run in
;; constant frame-stack space, across instances and into host functions.

(module $other
  (memory (export "mem") 1)
  (func (export "twice") (param i64) (result i64)
    (i64.mul (local.get 0) (i64.const 2)))
  ;; reads its own memory: the memory view must follow the instance
  (func (export "peek") (param i32) (result i32)
    (i32.load8_u (local.get 0)))
  (data (i32.const 5) "\2a")
)
(register "other" $other)

(module
  (import "other" "twice" (func $twice (param i64) (result i64)))
  (import "other" "peek" (func $peek (param i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory 1)
  (data (i32.const 5) "\07")
  (table funcref (elem $even $odd $sum))
  (type $t (func (param i64) (result i32)))

  ;; a million-deep mutual recursion (the default depth limit is far less)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))
                                  (i32.const 0)))))

  ;; locals of the callee start at zero even when the frame is reused
  (func $sum (param i64 i64) (result i64) (local $junk i64)
    (local.set $junk (i64.add (local.get $junk) (i64.const 1)))
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.add (local.get 1) (local.get $junk)))
      (else (return_call $sum (i64.sub (local.get 0) (i64.const 1))
                              (i64.add (local.get 1) (local.get 0))))))
  (func (export "sum") (param i64) (result i64)
    (return_call $sum (local.get 0) (i64.const 0)))

  ;; more arguments than the caller has parameters, in another order
  (func $sub3 (param i32 i32 i32) (result i32)
    (i32.sub (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "sub3") (param i32) (result i32)
    (return_call $sub3 (i32.const 100) (local.get 0) (i32.const 1)))

  ;; into another instance, and into a host function (no results)
  (func (export "twice") (param i64) (result i64)
    (return_call $twice (i64.add (local.get 0) (i64.const 1))))
  (func (export "peek") (result i32)
    (return_call $peek (i32.const 5)))
  (func (export "mine") (result i32) (i32.load8_u (i32.const 5)))
  (func (export "peek-then-mine") (result i32)
    (i32.add (call $peek (i32.const 5)) (i32.load8_u (i32.const 5))))
  (func $p (param i32) (return_call $print (local.get 0)))
  (func (export "print") (call $p (i32.const 3)))

  (func (export "bad-index") (result i32)
    (return_call_indirect (type $t) (i64.const 0) (i32.const 9)))
  (func (export "bad-type") (result i32)
    (return_call_indirect (type $t) (i64.const 0) (i32.const 2)))
)

(assert_return (invoke "even" (i64.const 1_000_000)) (i32.const 1))
(assert_return (invoke "odd" (i64.const 1_000_001)) (i32.const 1))
(assert_return (invoke "even" (i64.const 77)) (i32.const 0))
(assert_return (invoke "sum" (i64.const 1_000_000)) (i64.const 500000500001))
(assert_return (invoke "sub3" (i32.const 9)) (i32.const 90))
(assert_return (invoke "twice" (i64.const 20)) (i64.const 42))
(assert_return (invoke "peek") (i32.const 42))
(assert_return (invoke "peek-then-mine") (i32.const 49))
(assert_return (invoke "mine") (i32.const 7))
(assert_return (invoke "print"))
(assert_trap (invoke "bad-index") "undefined element")
(assert_trap (invoke "bad-type") "indirect call type mismatch")

;; The callee must return what the caller returns.
(assert_invalid
  (module (func $f (result i64) (i64.const 0))
          (func (result i32) (return_call $f)))
  "type mismatch")
(assert_invalid
  (module (func $f (param i32))
          (func (return_call $f (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (type $t (func (result f32))) (table 1 funcref)
          (func (result i32) (return_call_indirect (type $t) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table 1 externref)
          (func (return_call_indirect (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (return_call 3)))
  "unknown function 3")
;; What follows a tail call is unreachable (polymorphic stack).
(module (func $f (result i32) (i32.const 1))
        (func (result i32) (return_call $f) (i32.add)))
