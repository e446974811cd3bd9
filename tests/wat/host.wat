;; host.wat -- host function imports, called directly and re-entered.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "add_twice") (param i32 i32) (result i32)
    (call $add (call $add (local.get 0) (local.get 1)) (local.get 1)))
  (func (export "call_fail") (param i32) (result i32)
    (call $fail (local.get 0))
    (i32.const 1))
  ;; countdown(n): n > 0 goes out to the host, which calls countdown(n-1).
  (func (export "countdown") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1000))
      (else (i32.add (i32.const 1) (call $reenter (i32.sub (local.get 0) (i32.const 1)))))))
)
