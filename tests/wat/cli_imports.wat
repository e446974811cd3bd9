;; cli_imports.wat -- a WASI command importing what nobody provides
;; (env.missing) and what --preload provides (lib.seven): exits with
;; missing(1) + seven() + 3 (tests/lua/81_cli_host_spec.lua).
(module $cli_imports
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "missing" (func $missing (param i32) (result i32)))
  (import "lib" "seven" (func $seven (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $exit (i32.add (i32.add (call $missing (i32.const 1)) (call $seven))
                         (i32.const 3)))))
