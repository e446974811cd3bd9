;; hello.wat -- the module examples/c/hello.c loads: it imports env.add
;; from the host and exports `sum_to`, which adds 1..n through that import.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "sum_to") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
)
