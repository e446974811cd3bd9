;; Memory64 (Wasm 3.0): i64-indexed memories, 64-bit offsets, sizes and
;; bounds checks at the 2^64 edge.

(module
  (memory $m i64 1 3)
  (memory $n 1)                                 ;; an i32 memory beside it
  (data (memory $m) (i64.const 0xfffe) "ab")
  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load-off") (param i64) (result i64)
    (i64.load offset=0xffff_ffff_ffff_fff0 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  ;; between an i64 and an i32 memory the length is i32
  (func (export "copy-to-n") (param i32 i64 i32) (memory.copy $n $m (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8-n") (param i32) (result i32) (i32.load8_u $n (local.get 0)))
)
(assert_return (invoke "load8" (i64.const 0xfffe)) (i32.const 0x61))
(assert_return (invoke "load8" (i64.const 0xffff)) (i32.const 0x62))
(assert_trap (invoke "load8" (i64.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const 0x1_0000_0000)) "out of bounds memory access")
;; address + offset wraps past 2^64: out of bounds, never address 0
(assert_trap (invoke "load-off" (i64.const 0x10)) "out of bounds memory access")
(assert_trap (invoke "load-off" (i64.const 0x20)) "out of bounds memory access")
(assert_trap (invoke "store" (i64.const 0xfffd) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "load8" (i64.const 0xfffe)) (i32.const 0x61))    ;; no partial write
(invoke "store" (i64.const 0xfffc) (i32.const 0x04030201))
(assert_return (invoke "load" (i64.const 0xfffc)) (i32.const 0x04030201))
(assert_return (invoke "size") (i64.const 1))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 1))
(assert_return (invoke "grow" (i64.const 1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 3))
(assert_return (invoke "load" (i64.const 0x2fffc)) (i32.const 0))
(invoke "fill" (i64.const 0x100) (i32.const 0x55) (i64.const 4))
(assert_return (invoke "load" (i64.const 0x100)) (i32.const 0x55555555))
(assert_trap (invoke "fill" (i64.const 0x30000) (i32.const 0) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 1) (i32.const 0) (i64.const -1)) "out of bounds memory access")
(invoke "fill" (i64.const 0x30000) (i32.const 0) (i64.const 0))
(invoke "copy" (i64.const 0x200) (i64.const 0xfffc) (i64.const 4))
(assert_return (invoke "load" (i64.const 0x200)) (i32.const 0x04030201))
(assert_trap (invoke "copy" (i64.const -4) (i64.const 0) (i64.const 4)) "out of bounds memory access")
(invoke "copy-to-n" (i32.const 7) (i64.const 0x200) (i32.const 2))
(assert_return (invoke "load8-n" (i32.const 8)) (i32.const 2))

;; Addresses of an i64 memory are i64; offsets of an i32 one fit 32 bits.
(assert_invalid
  (module (memory i64 1) (func (drop (i32.load (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory i64 1) (func (drop (memory.grow (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0)))))
  "offset out of range")
(assert_invalid
  (module (memory i64 0x1_0000_0000_0001))
  "memory size must be at most")
;; A data segment of an i64 memory has an i64 offset.
(assert_invalid
  (module (memory i64 1) (data (i32.const 0) "x"))
  "type mismatch")
(assert_trap
  (module (memory i64 1) (data (i64.const 0xffff_ffff_ffff_ffff) "x"))
  "out of bounds memory access")
;; An i64 memory imports only as one.
(module $exp (memory (export "m64") i64 1) (memory (export "m32") 1))
(register "exp" $exp)
(module (import "exp" "m64" (memory i64 1)))
(assert_unlinkable
  (module (import "exp" "m32" (memory i64 1)))
  "incompatible import type")
(assert_unlinkable
  (module (import "exp" "m64" (memory 1)))
  "incompatible import type")
