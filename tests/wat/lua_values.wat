;; Values across the Lua boundary: every number type, multi-value, traps
;; with a named backtrace, and a signature too long for the inline buffers.
(module $values
  (func (export "id_i32") (param i32) (result i32) local.get 0)
  (func (export "id_i64") (param i64) (result i64) local.get 0)
  (func (export "id_f32") (param f32) (result f32) local.get 0)
  (func (export "id_f64") (param f64) (result f64) local.get 0)
  (func (export "add_i32") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add)
  (func (export "add_i64") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.add)
  (func (export "swap") (param i32 i64) (result i64 i32)
    local.get 1 local.get 0)
  (func (export "nothing"))
  ;; f32/f64 bits in and out, without any float arithmetic
  (func (export "f32_from_i32") (param i32) (result f32)
    local.get 0 f32.reinterpret_i32)
  (func (export "i32_from_f32") (param f32) (result i32)
    local.get 0 i32.reinterpret_f32)
  (func (export "f64_from_i64") (param i64) (result f64)
    local.get 0 f64.reinterpret_i64)
  (func (export "neg_f32") (param f32) (result f32) local.get 0 f32.neg)
  (func $div (export "div") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s)
  (func $main (export "main") (param i32) (result i32)
    local.get 0 i32.const 0 call $div)
  (func (export "unreachable") unreachable)
  (func (export "sum20")
    (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
    (local $i i32) (local $s i64)
    local.get 0 local.get 1 i64.add local.get 2 i64.add local.get 3 i64.add
    local.get 4 i64.add local.get 5 i64.add local.get 6 i64.add
    local.get 7 i64.add local.get 8 i64.add local.get 9 i64.add
    local.get 10 i64.add local.get 11 i64.add local.get 12 i64.add
    local.get 13 i64.add local.get 14 i64.add local.get 15 i64.add
    local.get 16 i64.add local.get 17 i64.add local.get 18 i64.add
    local.get 19 i64.add)
  (func $recurse (export "recurse") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $recurse)
  (memory (export "memory") 1 3)
  (data (i32.const 16) "hello, wasm")
  (global (export "g_i32") (mut i32) (i32.const 42))
  (global (export "g_i64") i64 (i64.const -7))
  (global (export "g_f32") (mut f32) (f32.const 1.5))
  (global (export "g_f64") (mut f64) (f64.const 2.25))
  (table (export "table") 2 10 funcref)
  )
