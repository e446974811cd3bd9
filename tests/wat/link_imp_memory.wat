;; link_imp_memory.wat -- one memory import with both limits.
(module (import "M" "m" (memory 1 2)))
