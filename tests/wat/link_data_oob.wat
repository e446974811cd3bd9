;; link_data_oob.wat -- the second data segment ends past the memory; the
;; offset comes from an imported global.
(module
  (import "M" "mem" (memory 1))
  (import "M" "off" (global $off i32))
  (data (i32.const 0) "abc")
  (data (global.get $off) "zzzz")
)
