;; guest_alloc.wat -- a guest with allocator exports, for the string and
;; bytes helpers of lua/moonwasm/memory.lua (tests/lua/20_memory_spec.lua).
;; A bump allocator from 1024 on; free counts its calls (global `frees`).
(module $guest_alloc
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (global $frees (export "frees") (mut i32) (i32.const 0))
  (data (i32.const 16) "hello from wasm\00")
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7))
                              (i32.const -8)))
    (local.get $p))
  (func (export "free") (param i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
  ;; the component model's allocator: (old, old_size, align, new_size)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (call $malloc (local.get 3)))
  ;; sum of the bytes of (ptr, len)
  (func (export "checksum") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; a NUL-terminated greeting
  (func (export "greet") (result i32) (i32.const 16))
)
