;; fd_read where the first buffer overlaps the iovec array, so the bytes
;; read overwrite the second iovec before it is used (test_hostile.c).
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "read") (result i32)
    ;; iov0 = {buf 8, len 8} covers iov1 = {buf 100, len 4} at [8, 16)
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 8))
    (i32.store (i32.const 8) (i32.const 100))
    (i32.store (i32.const 12) (i32.const 4))
    (call $fd_read (i32.const 0) (i32.const 0) (i32.const 2) (i32.const 200))))
