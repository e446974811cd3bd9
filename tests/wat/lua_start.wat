;; A start function that traps.
(module $start
  (func $boom unreachable)
  (start $boom))
