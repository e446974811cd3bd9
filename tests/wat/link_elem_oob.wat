;; link_elem_oob.wat -- the second active segment is out of bounds: the first
;; one's write persists (Wasm 2.0), the data segment never runs.
(module
  (import "M" "tab" (table 10 funcref))
  (import "M" "mem" (memory 1))
  (func $f (result i32) (i32.const 0))
  (elem (i32.const 7) $f)
  (elem (i32.const 8) $f $f $f $f $f)
  (data (i32.const 0) "never")
)
