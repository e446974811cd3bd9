;; No module name, no function names: traps from func 1 through func 0
;; (named "run" in backtraces by its export).
(module
  (func (call 1))
  (func (unreachable))
  (export "run" (func 0)))
