;; A WASI command for the Lua specs: echoes stdin to stdout (up to 64
;; bytes), writes "err" to stderr, then exits with the status given by the
;; first byte of the environment's first entry minus '0'.
(module $wasi
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 900) "err")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $n i32)
    ;; read up to 64 bytes at 100, echo them
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 64))
    (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $write (i32.const 1) (i32.const 100) (i32.load (i32.const 24)))
    (call $write (i32.const 2) (i32.const 900) (i32.const 3))
    ;; exit status from the environment: "X=<digit>..." -> digit
    (drop (call $environ_sizes_get (i32.const 32) (i32.const 36)))
    (if (i32.eqz (i32.load (i32.const 32))) (then (return)))
    (drop (call $environ_get (i32.const 40) (i32.const 200)))
    (call $proc_exit
      (i32.sub (i32.load8_u (i32.add (i32.load (i32.const 40)) (i32.const 2)))
               (i32.const 48)))))
