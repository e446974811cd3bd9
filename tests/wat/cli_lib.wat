;; cli_lib.wat -- preloaded as `lib` by tests/lua/81_cli_host_spec.lua.
(module $cli_lib
  (func (export "seven") (result i32) (i32.const 7)))
