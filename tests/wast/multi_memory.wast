;; Multi-memory (Wasm 3.0): memory indices on every memory instruction,
;; data segments and bulk operations per memory, imported and exported
;; memories side by side with memory 0.

(module $lib
  (memory (export "shared") 1 2)
  (data (i32.const 0) "lib")
)
(register "lib" $lib)

(module
  (import "lib" "shared" (memory $shared 1 2))   ;; index 0: imports come first
  (memory $zero 1)
  (memory $two 2 3)
  (memory $empty 0)
  (export "two" (memory $two))
  (data (memory $two) (i32.const 65535) "Z")
  (data (memory $zero) (i32.const 10) "zero")
  (data $passive "passive")

  (func (export "load8") (param $m i32) (param $a i32) (result i32)
    (if (result i32) (i32.eqz (local.get $m))
      (then (i32.load8_u $zero (local.get $a)))
      (else (if (result i32) (i32.eq (local.get $m) (i32.const 1))
        (then (i32.load8_u (local.get $a)))          ;; memory 0: $shared
        (else (i32.load8_u $two (local.get $a)))))))
  (func (export "store-two") (param i32 i64) (i64.store $two offset=1 (local.get 0) (local.get 1)))
  (func (export "load-two") (param i32) (result i64) (i64.load $two offset=1 (local.get 0)))
  (func (export "sizes") (result i32 i32 i32 i32)
    (memory.size $zero) (memory.size $shared) (memory.size $two) (memory.size $empty))
  (func (export "grow-two") (param i32) (result i32) (memory.grow $two (local.get 0)))
  (func (export "grow-empty") (param i32) (result i32) (memory.grow $empty (local.get 0)))
  (func (export "copy-two-to-zero") (param i32 i32 i32)
    (memory.copy $zero $two (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill-shared") (param i32 i32 i32)
    (memory.fill $shared (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init-two") (param i32 i32 i32)
    (memory.init $two $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load-empty") (result i32) (i32.load $empty (i32.const 0)))
)

(assert_return (invoke "load8" (i32.const 0) (i32.const 10)) (i32.const 0x7a))   ;; 'z'
(assert_return (invoke "load8" (i32.const 1) (i32.const 0)) (i32.const 0x6c))    ;; 'l'
(assert_return (invoke "load8" (i32.const 2) (i32.const 65535)) (i32.const 0x5a)) ;; 'Z'
(assert_return (invoke "load8" (i32.const 0) (i32.const 65535)) (i32.const 0))
(assert_return (invoke "sizes") (i32.const 1) (i32.const 1) (i32.const 2) (i32.const 0))
(invoke "store-two" (i32.const 131062) (i64.const 0x0807060504030201))
(assert_return (invoke "load-two" (i32.const 131062)) (i64.const 0x0807060504030201))
(assert_trap (invoke "load-two" (i32.const 131064)) "out of bounds memory access")
(assert_trap (invoke "store-two" (i32.const -1) (i64.const 0)) "out of bounds memory access")
(assert_return (invoke "grow-two" (i32.const 1)) (i32.const 2))
(assert_return (invoke "grow-two" (i32.const 1)) (i32.const -1))
(assert_return (invoke "load-two" (i32.const 131064)) (i64.const 0x0000080706050403))
(assert_return (invoke "grow-empty" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "load-empty") "out of bounds memory access")
(assert_return (invoke "sizes") (i32.const 1) (i32.const 1) (i32.const 3) (i32.const 0))
;; the shared memory is the other module's: what we write there, it sees
(invoke "fill-shared" (i32.const 1) (i32.const 0x41) (i32.const 2))
(assert_return (invoke "load8" (i32.const 1) (i32.const 0)) (i32.const 0x6c))
(assert_return (invoke "load8" (i32.const 1) (i32.const 2)) (i32.const 0x41))
(assert_trap (invoke "fill-shared" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
;; bulk operations between memories and from a passive segment
(invoke "init-two" (i32.const 100) (i32.const 0) (i32.const 7))
(invoke "copy-two-to-zero" (i32.const 200) (i32.const 100) (i32.const 7))
(assert_return (invoke "load8" (i32.const 0) (i32.const 206)) (i32.const 0x65))   ;; 'e'
(assert_trap (invoke "copy-two-to-zero" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "init-two" (i32.const 0) (i32.const 5) (i32.const 3)) "out of bounds memory access")

;; A data segment past the end of memory 2 fails instantiation.
(assert_trap
  (module (memory 1) (memory 1) (data (memory 1) (i32.const 65536) "x"))
  "out of bounds memory access")
(assert_invalid
  (module (memory 1) (func (drop (i32.load 1 (i32.const 0)))))
  "unknown memory 1")
(assert_invalid
  (module (memory 1) (func (drop (memory.size 2))))
  "unknown memory 2")
(assert_invalid
  (module (memory 1) (memory 1) (func (drop (i64.load8_s 1 align=2 (i32.const 0)))))
  "alignment must not be larger than natural")
