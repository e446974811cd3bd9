;; Backtraces with and without names: func 0 has no name at all, $inner
;; is named by the name section, the exported ones by their export.
(module $pure
  (func (unreachable))
  (func $inner (call 0))
  (func (export "outer") (call $inner))
  (func (export "trap_here") (unreachable)))
