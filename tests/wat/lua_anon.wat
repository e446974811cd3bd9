;; No module name, no function names: traps from func 1 through func 0.
(module
  (func (call 1))
  (func (unreachable))
  (export "run" (func 0)))
