;; Tail calls for tests/lua/22_wasm3_spec.lua.
(module
  (func $forever (export "forever") (param i64) (result i64)
    (return_call $forever (i64.add (local.get 0) (i64.const 1))))
  (func $down (export "down") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 7))
      (else (return_call $down (i64.sub (local.get 0) (i64.const 1))))))
)
