;; link_imp_global.wat -- one mutable global import.
(module (import "M" "g" (global (mut i32))))
