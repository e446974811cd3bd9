;; link_segments.wat -- passive segments survive instantiation, active and
;; declarative ones are dropped.
(module
  (table $t (export "tab") 4 funcref)
  (memory (export "mem") 1)
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (elem $active (i32.const 0) func $a)
  (elem $passive func $b $a)
  (elem $decl declare func $b)
  (data $pdata "xy")
  (data $adata (i32.const 8) "AB")
  (func (export "init_passive") (table.init $t $passive (i32.const 2) (i32.const 0) (i32.const 2)))
  (func (export "init_active") (table.init $t $active (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "init_data") (param i32) (memory.init $pdata (local.get 0) (i32.const 0) (i32.const 2)))
  (func (export "init_adata") (memory.init $adata (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)
