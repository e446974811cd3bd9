;; wasi_io.wat -- drives fd_write/fd_read/proc_exit directly, for the C
;; test of stdio callbacks (tests/c/test_wasi.c).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; two iovecs at 0: "hello, world" (16, 12) and "hello" (16, 5)
  (data (i32.const 0) "\10\00\00\00\0c\00\00\00\10\00\00\00\05\00\00\00")
  (data (i32.const 16) "hello, world")
  ;; write2(fd) -> errno; the count is at 100
  (func (export "write2") (param $fd i32) (result i32)
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 2) (i32.const 100)))
  (func (export "nwritten") (result i32) (i32.load (i32.const 100)))
  ;; read(fd, len) -> errno: one iovec (300, len) at 200; the count at 104
  (func (export "read") (param $fd i32) (param $len i32) (result i32)
    (i32.store (i32.const 200) (i32.const 300))
    (i32.store (i32.const 204) (local.get $len))
    (call $fd_read (local.get $fd) (i32.const 200) (i32.const 1) (i32.const 104)))
  (func (export "nread") (result i32) (i32.load (i32.const 104)))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  ;; proc_exit from three frames down: the frames unwind, `unreachable`
  ;; never runs.
  (func (export "exit_deep") (param i32)
    (call $level1 (local.get 0))
    (unreachable))
  (func $level1 (param i32) (call $level2 (local.get 0)) (unreachable))
  (func $level2 (param i32) (call $proc_exit (local.get 0)) (unreachable))
  (func (export "_start") (call $proc_exit (i32.const 7)))
)
