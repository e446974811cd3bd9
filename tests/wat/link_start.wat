;; link_start.wat -- the start function runs once, after the data segments.
(module
  (import "env" "seen" (func $seen (param i32)))
  (memory 1)
  (data (i32.const 0) "\2a")
  (global $runs (export "runs") (mut i32) (i32.const 0))
  (func $start
    (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
    (call $seen (i32.load8_u (i32.const 0))))
  (start $start)
)
