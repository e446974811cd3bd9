;; link_reenter.wat -- countdown(n) calls out to the host, which calls
;; countdown(n-1) back through the caller's exports.
(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "countdown") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1000))
      (else (i32.add (i32.const 1)
                     (call $reenter (i32.sub (local.get 0) (i32.const 1)))))))
)
