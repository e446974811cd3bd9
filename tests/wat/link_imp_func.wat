;; link_imp_func.wat -- one function import, matched against host objects.
(module (import "M" "f" (func (param i32) (result i32))))
