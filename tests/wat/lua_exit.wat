;; WASI exits seen from Lua: proc_exit at the top, under a Lua host
;; function (wasm -> Lua -> wasm -> proc_exit), and a function with results
;; that exits instead of returning.
(module $exit
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "cb" (func $cb (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; _start: env.cb(3), which is expected to call exit_with(3) back
  (func (export "_start") (drop (call $cb (i32.const 3))) (unreachable))
  (func (export "exit_with") (param i32) (call $proc_exit (local.get 0)))
  ;; declares a result, but exits first
  (func (export "exit_or_42") (param i32) (result i32)
    (if (local.get 0) (then (call $proc_exit (local.get 0))))
    (i32.const 42))
  ;; returns normally
  (func (export "ok") (result i32) (i32.const 1)))
