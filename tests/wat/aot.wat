;; aot.wat -- exercised by tests/c/test_aot.c in native code (src/aot):
;; control flow, multi-value, memory, globals, tables, calls of every kind,
;; NaN bits, traps, stack exhaustion and host control.  16 defined
;; functions, all translatable.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $v_i (func (result i32)))
  (memory (export "memory") 1 4)
  (global $counter (mut i64) (i64.const 0))
  (table $t 4 funcref)
  (elem (i32.const 0) $sub $mul $seven)
  (data (i32.const 16) "\01\02\03\04\05\06\07\08")

  (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $ii_i) (i32.mul (local.get 0) (local.get 1)))
  (func $seven (type $v_i) (i32.const 7))

  ;; sum of 1..n with a loop and br_if
  (func (export "sum") (param $n i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (local.get $acc))

  ;; multi-value: (a, b) -> (b, a, a+b), through a block with params
  (func (export "swap_sum") (param i32 i32) (result i32 i32 i32)
    (local.get 1) (local.get 0)
    (block (param i32 i32) (result i32 i32 i32)
      (local.get 0) (local.get 1) (i32.add)))

  ;; br_table over 0..2, default 99
  (func (export "pick") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 99))

  ;; call_indirect through the table: index, a, b
  (func (export "indirect") (param i32 i32 i32) (result i32)
    (call_indirect (type $ii_i) (local.get 1) (local.get 2) (local.get 0)))

  ;; memory: 64-bit little-endian load at an offset, store, grow
  (func (export "load64") (param i32) (result i64)
    (i64.load offset=16 (local.get 0)))
  (func (export "grow_store") (param i32) (result i32)
    (local $old i32)
    (local.set $old (memory.grow (local.get 0)))
    (i32.store (i32.const 65536) (i32.const 0x11223344))
    (i32.add (local.get $old) (i32.load8_u (i32.const 65536))))

  ;; host calls: add via the import, and an import that may fail
  (func (export "host_add") (param i32 i32) (result i32)
    (call $add (call $add (local.get 0) (local.get 1)) (i32.const 1)))
  (func (export "call_fail") (param i32) (result i32)
    (call $fail (local.get 0))
    (i32.const 5))

  ;; f32.neg flips the sign bit only: a NaN keeps its payload
  (func (export "negbits") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))

  ;; runs until host control stops it
  (func (export "spin") (loop $l (br $l)))

  ;; traps
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32)
    (i32.trunc_f64_s (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (i32.const 1) (call $deep (local.get 0))))
)
