;; hostctl.wat -- guests for interruption, deadlines, fuel and yields
;; (tests/lua/20_*_spec.lua, tests/c/test_hostctl.c).
(module $hostctl
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; (loop (br 0)): only a poll can stop it
  (func $spin (export "spin")
    (loop $l (br $l)))
  ;; spins on a conditional back edge (a fused compare-and-branch)
  (func $spin_cond (export "spin_cond") (param $n i32)
    (loop $l (br_if $l (i32.ne (local.get $n) (i32.const -1)))))
  ;; a back edge through br_table
  (func $spin_table (export "spin_table")
    (loop $l (br_table $l $l (i32.const 0))))
  ;; sum 0..n-1: a counted loop
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  ;; calls tick(i) for i = 0, 1, ... until tick returns 0; returns the count
  (func $ticks (export "ticks") (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (call $tick (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; recursion n deep, no loops: calls poll too
  (func $down (export "down") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
                     (call $down (i32.sub (local.get $n) (i32.const 1)))))))
)
