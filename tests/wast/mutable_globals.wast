;; Importing and exporting mutable globals: one global object shared by
;; every module that imports it.

(module $owner
  (global $counter (export "counter") (mut i32) (i32.const 10))
  (global (export "wide") (mut i64) (i64.const -1))
  (global (export "pi") f64 (f64.const 3.141592653589793))
  (global (export "half") (mut f32) (f32.const 0.5))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
)
(register "owner" $owner)

(assert_return (get $owner "counter") (i32.const 10))
(assert_return (get "wide") (i64.const -1))
(assert_return (get "pi") (f64.const 3.141592653589793))
(assert_return (get "half") (f32.const 0.5))

(module $user
  (import "owner" "counter" (global $c (mut i32)))
  (import "owner" "half" (global $h (mut f32)))
  (import "owner" "pi" (global $pi f64))
  (func (export "read") (result i32) (global.get $c))
  (func (export "write") (param i32) (global.set $c (local.get 0)))
  (func (export "set-half") (param f32) (global.set $h (local.get 0)))
  (func (export "pi") (result f64) (global.get $pi))
)

(assert_return (invoke $owner "bump") (i32.const 11))
(assert_return (invoke $user "read") (i32.const 11))
(invoke $user "write" (i32.const 100))
(assert_return (get $owner "counter") (i32.const 100))
(assert_return (invoke $owner "bump") (i32.const 101))
(invoke $user "set-half" (f32.const nan:0x200000))
(assert_return (get $owner "half") (f32.const nan:0x200000))
(assert_return (invoke $user "pi") (f64.const 3.141592653589793))

;; Mutability must match exactly in both directions.
(assert_unlinkable
  (module (import "owner" "counter" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "pi" (global (mut f64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "owner" "wide" (global (mut i32))))
  "incompatible import type")
;; Immutable globals cannot be set.
(assert_invalid
  (module (global $g i32 (i32.const 0)) (func (global.set $g (i32.const 1))))
  "immutable global")
(assert_invalid
  (module (import "owner" "pi" (global $g f64)) (func (global.set $g (f64.const 1))))
  "immutable global")
