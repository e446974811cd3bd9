;; cli_argv0.wat -- a WASI command that prints its argv[0] and a newline
;; (--argv0, tests/lua/81_cli_host_spec.lua).
(module $cli_argv0
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get"
    (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "\n")
  (func (export "_start")
    (local $p i32) (local $n i32)
    ;; argc at 0, buffer size at 4; argv pointers at 1024, strings at 4096
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $args (i32.const 1024) (i32.const 4096)))
    (local.set $p (i32.load (i32.const 1024)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    ;; iovecs at 8: argv[0], then "\n"
    (i32.store (i32.const 8) (local.get $p))
    (i32.store (i32.const 12) (local.get $n))
    (i32.store (i32.const 16) (i32.const 32))
    (i32.store (i32.const 20) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 2) (i32.const 24)))))
