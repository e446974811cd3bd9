;; table.wat -- call_indirect and its three traps.
(module
  (type $ii (func (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (table 4 funcref)
  ;; slot 3 stays null
  (elem (i32.const 0) $double $seven $square)
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $seven (type $v_i) (i32.const 7))
  (func $square (type $ii) (i32.mul (local.get 0) (local.get 0)))
  (func (export "call_ii") (param $slot i32) (param $x i32) (result i32)
    (call_indirect (type $ii) (local.get $x) (local.get $slot)))
  (func (export "call_v") (param $slot i32) (result i32)
    (call_indirect (type $v_i) (local.get $slot)))
)
