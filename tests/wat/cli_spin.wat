;; cli_spin.wat -- a WASI command that says "started" and loops forever:
;; only Ctrl-C, --timeout or --fuel stop it (tests/lua/81_cli_host_spec.lua).
(module $cli_spin
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "started\n")
  (func $spin (loop $l (br $l)))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $spin)))
