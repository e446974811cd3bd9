;; Bulk memory: memory.fill/copy/init, data.drop, passive segments, and the
;; table counterparts table.init/copy and elem.drop.

(module
  (memory (export "mem") 1)
  (data $hello "hello")
  (data $active (i32.const 100) "\01\02\03\04")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32)
    (memory.init $hello (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $hello))
  (func (export "drop-active") (data.drop $active))
  (func (export "init-active") (param i32)
    (memory.init $active (local.get 0) (i32.const 0) (i32.const 0)))
)

(invoke "fill" (i32.const 10) (i32.const 0xAB) (i32.const 3))
(assert_return (invoke "load8" (i32.const 9)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 10)) (i32.const 0xAB))
(assert_return (invoke "load8" (i32.const 12)) (i32.const 0xAB))
(assert_return (invoke "load8" (i32.const 13)) (i32.const 0))
;; fill with a length of 0 at the very end is fine; one past traps
(invoke "fill" (i32.const 65536) (i32.const 1) (i32.const 0))
(assert_trap (invoke "fill" (i32.const 65536) (i32.const 1) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65530) (i32.const 7) (i32.const 10)) "out of bounds memory access")
;; bounds are checked before writing anything
(assert_return (invoke "load8" (i32.const 65530)) (i32.const 0))

;; active segment at 100; overlapping copies move like memmove
(assert_return (invoke "load8" (i32.const 101)) (i32.const 2))
(invoke "copy" (i32.const 101) (i32.const 100) (i32.const 4))
(assert_return (invoke "load8" (i32.const 101)) (i32.const 1))
(assert_return (invoke "load8" (i32.const 104)) (i32.const 4))
(invoke "copy" (i32.const 100) (i32.const 101) (i32.const 4))
(assert_return (invoke "load8" (i32.const 100)) (i32.const 1))
(assert_return (invoke "load8" (i32.const 103)) (i32.const 4))
(assert_trap (invoke "copy" (i32.const 0) (i32.const 65535) (i32.const 2)) "out of bounds memory access")

;; passive segment
(invoke "init" (i32.const 200) (i32.const 1) (i32.const 4))
(assert_return (invoke "load8" (i32.const 200)) (i32.const 0x65))
(assert_return (invoke "load8" (i32.const 203)) (i32.const 0x6f))
(assert_trap (invoke "init" (i32.const 0) (i32.const 2) (i32.const 4)) "out of bounds memory access")
(invoke "drop")
(invoke "drop")
(invoke "init" (i32.const 0) (i32.const 0) (i32.const 0))
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
;; an active segment is dropped after instantiation
(invoke "init-active" (i32.const 0))
(assert_trap (invoke "init-active" (i32.const 65537)) "out of bounds memory access")

(module
  (table $t 6 funcref)
  (elem $passive funcref (ref.func $one) (ref.func $two) (ref.func $three))
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func $three (result i32) (i32.const 3))
  (func (export "call") (param i32) (result i32)
    (call_indirect $t (result i32) (local.get 0)))
  (func (export "init") (param i32 i32 i32)
    (table.init $t $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32)
    (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $passive))
)

(assert_trap (invoke "call" (i32.const 0)) "uninitialized element")
(invoke "init" (i32.const 1) (i32.const 0) (i32.const 3))
(assert_return (invoke "call" (i32.const 1)) (i32.const 1))
(assert_return (invoke "call" (i32.const 3)) (i32.const 3))
(invoke "copy" (i32.const 0) (i32.const 1) (i32.const 3))
(assert_return (invoke "call" (i32.const 0)) (i32.const 1))
(assert_return (invoke "call" (i32.const 2)) (i32.const 3))
(assert_trap (invoke "copy" (i32.const 5) (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "init" (i32.const 4) (i32.const 0) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "call" (i32.const 6)) "undefined element")
(invoke "drop")
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")

;; a segment index out of range is invalid (one segment, so wast2json
;; writes the data count section that memory.init requires)
(assert_invalid
  (module (memory 1) (data "x") (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown data segment")
(assert_invalid
  (module (table 1 funcref) (func (elem.drop 0)))
  "unknown elem segment")
