;; start.wat -- a start function that traps: instantiation fails with it.
(module
  (memory 1)
  (func $boom (i32.store (i32.const 70000) (i32.const 1)))
  (start $boom)
)
