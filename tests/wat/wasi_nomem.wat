;; wasi_nomem.wat -- a module without memory calling WASI: every pointer
;; is out of bounds, so the answer is errno fault (21), not a crash.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (func (export "write") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "args") (result i32)
    (call $args_sizes_get (i32.const 0) (i32.const 4)))
)
