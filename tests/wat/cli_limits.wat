;; cli_limits.wat -- a WASI command whose exit status tells what it could
;; do: 10 if memory.grow by 16 pages failed, else the depth its recursion
;; reached divided by 1000 (it recurses 5000 deep) -- for --max-memory and
;; --max-stack (tests/lua/81_cli_host_spec.lua).
(module $cli_limits
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $down (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
                     (call $down (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "_start")
    (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
      (then (call $exit (i32.const 10))))
    (call $exit (i32.div_u (call $down (i32.const 5000)) (i32.const 1000)))))
