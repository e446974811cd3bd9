;; Fixture for test_stats.c: a loop whose executed instructions are easy to
;; count by hand (see the test).
(module
  (func (export "sum") (param i32) (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 1))
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "call_id") (param i32) (result i32)
    (call $id (local.get 0))))
