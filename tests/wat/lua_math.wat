;; A small library to register under a name and import from.
(module $math
  (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (global (export "answer") i32 (i32.const 42)))
