;; Host functions called from wasm: arguments, results, multi-value, the
;; caller's memory, and re-entry (down -> env.reenter -> down ...).
(module $host
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "pair" (func $pair (result i32 i64)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (import "env" "f64" (func $f64 (param f64) (result f64)))
  (memory (export "memory") 1)
  (data (i32.const 8) "from wasm")
  (func (export "call_add") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $add)
  (func (export "call_log") i32.const 8 i32.const 9 call $log)
  (func (export "call_pair") (result i32 i64) call $pair)
  (func (export "call_f64") (param f64) (result f64) local.get 0 call $f64)
  ;; down(n) = n == 0 ? 0 : env.reenter(n - 1) + 1
  (func $down (export "down") (param i32) (result i32)
    local.get 0 i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get 0 i32.const 1 i32.sub call $reenter i32.const 1 i32.add
    end)
  (func (export "add_in_loop") (param i32) (result i32) (local $acc i32)
    block $done
      loop $next
        local.get 0 i32.eqz br_if $done
        local.get $acc i32.const 1 call $add local.set $acc
        local.get 0 i32.const 1 i32.sub local.set 0
        br $next
      end
    end
    local.get $acc))
