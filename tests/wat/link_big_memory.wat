;; link_big_memory.wat -- more pages than a small configured limit allows.
(module (memory 10) (table 100 funcref))
