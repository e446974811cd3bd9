;; memory64 and multi-memory for tests/lua/22_wasm3_spec.lua.
(module
  (import "env" "mem" (memory i64 1))
  (memory (export "big") i64 2 0x1_0000_0000)
  (memory (export "small") 1 2)
  (func (export "peek") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke_small") (param i32 i32) (i32.store8 2 (local.get 0) (local.get 1)))
  (func (export "size_big") (result i64) (memory.size 1))
)
