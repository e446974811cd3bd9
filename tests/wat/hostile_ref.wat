;; A host function declared to return a funcref, whose result is then
;; called through a table (test_hostile.c).
(module
  (import "env" "get" (func $get (result funcref)))
  (table 1 funcref)
  (type $v (func))
  (memory (export "memory") 1)
  (global (export "g") (mut i32) (i32.const 0))
  (table (export "t") 2 funcref)
  (func (export "run")
    (table.set 0 (i32.const 0) (call $get))
    (call_indirect (type $v) (i32.const 0))))
