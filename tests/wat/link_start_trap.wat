;; link_start_trap.wat -- a start function that traps after touching a
;; memory it imports: the write stays, the instance is not returned.
(module
  (import "M" "mem" (memory 1))
  (func $start (i32.store8 (i32.const 3) (i32.const 99)) unreachable)
  (start $start)
)
