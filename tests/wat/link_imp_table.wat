;; link_imp_table.wat -- one table import with both limits.
(module (import "M" "t" (table 2 5 funcref)))
