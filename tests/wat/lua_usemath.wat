(module $usemath
  (import "math" "double" (func $double (param i32) (result i32)))
  (import "math" "answer" (global $answer i32))
  (func (export "quad_plus") (param i32) (result i32)
    local.get 0 call $double call $double global.get $answer i32.add))
