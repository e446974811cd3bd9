-- bench_calls.lua -- call overhead across the Lua/wasm boundary, every way
-- the README, examples/ and the API docs let a user call an export or
-- provide a host function, in ns per call beside a plain Lua C-function
-- call (math.abs), all in one run, and (with --ir, when valgrind is
-- installed) in instructions per call counted by callgrind:
-- (Ir at N2 - Ir at N1) / (N2 - N1), so start-up does not count.
--
-- Usage: lua5.4 scripts/bench/bench_calls.lua [build/lua] [N] [--ir] [FORM]
--   FORM (a name from the first column) runs that one loop once, N calls:
--   what --ir runs under callgrind.
local build = arg[1] or "build/lua"
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = build .. "/?.so;" .. package.cpath
local wasm = require("moonwasm")
local N = tonumber(arg[2]) or 1000000
local want_ir, only = false, nil
for i = 3, #arg do
  if arg[i] == "--ir" then want_ir = true else only = arg[i] end
end

-- wasm -> Lua: an export looping n times over `body` (a call of a host
-- function); `acc` (a type) sums the results in $acc and returns it,
-- `extra` adds parameters after $n.
local function host_loop(name, body, acc, extra)
  return string.format([[
  (func (export "%s") (param $n i32) %s %s
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      %s
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    %s)
]], name, extra or "", acc and ("(result " .. acc .. ") (local $acc " .. acc .. ")") or "",
    acc and ("(local.set $acc (" .. acc .. ".add (local.get $acc) " .. body .. "))") or body,
    acc and "local.get $acc" or "")
end

local WAT = table.concat({[[
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (import "env" "hf" (func $hf (param i32) (result i32)))
  (import "env" "hc" (func $hc (param i32) (result i32)))
  (import "env" "h64" (func $h64 (param i64 f64) (result i64)))
  (import "env" "h2" (func $h2 (param i32 i32) (result i32 i32)))
  (import "env" "h0" (func $h0))
  (import "env" "hv" (func $hv (param v128) (result v128)))
  (import "env" "hx" (func $hx (param externref) (result externref)))
  (memory (export "memory") 1)
  (func (export "id") (param i32) (result i32) local.get 0)
  (func (export "nop"))
  (func (export "add64") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1)))
  (func (export "fma") (param f64 f64 f64) (result f64)
    (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "swap") (param i32 i32) (result i32 i32) local.get 1 local.get 0)
  (func (export "v128") (param v128) (result v128) local.get 0)
  (func (export "ext") (param externref) (result externref) local.get 0)
  (func (export "fref") (param funcref) (result funcref) local.get 0)
]],
  host_loop("loop_h", "(call $h (local.get $n))", "i32"),
  host_loop("loop_hf", "(call $hf (local.get $n))", "i32"),
  host_loop("loop_hc", "(call $hc (local.get $n))", "i32"),
  host_loop("loop_h64", "(call $h64 (i64.extend_i32_u (local.get $n)) (f64.const 0.5))", "i64"),
  host_loop("loop_h2", "(i32.add (call $h2 (local.get $n) (i32.const 1)))", "i32"),
  host_loop("loop_h0", "(call $h0)"),
  host_loop("loop_hv", "(drop (call $hv (v128.const i32x4 1 2 3 4)))"),
  host_loop("loop_hx", "(drop (call $hx (local.get $x)))", nil, "(param $x externref)"),
  ")",
})
local bytes = wasm.wat(WAT)
local mod = wasm.load(bytes)

local function ident(x) return x end
local env_fns = {
  h = ident,
  hf = wasm.func({"i32"}, {"i32"}, ident),
  hc = wasm.func({"i32"}, {"i32"}, function(_, x) return x end, {caller = true}),
  h64 = wasm.func({"i64", "f64"}, {"i64"}, function(a, _) return a end),
  h2 = function(a, b) return b, a end,
  h0 = function() end,
  hv = ident,
  hx = ident,
}
local inst = wasm.instantiate(mod, {env = env_fns})
local store = wasm.store()
local inst2 = store:instantiate(mod, wasm.import_object("env", env_fns))
local vm = wasm.vm()
vm:register_import(wasm.import_object("env", env_fns))
vm:load(bytes):validate():instantiate()

local E = inst.exports
local id, nop, add64, fma, f32, swap = E.id, E.nop, E.add64, E.fma, E.f32, E.swap
local v128, ext, fref = E.v128, E.ext, E.fref
local id2 = inst2.exports.id
local holder = {f = id}
local hostfn = env_fns.hf
local abs = math.abs
local V = string.rep("\1", 16)
local XV = {}

-- Each form: name, what it shows, and a function running n calls.
local forms = {
  {"c", "Lua C function math.abs(i) (the reference)",
   function(n) for i = 1, n do abs(i) end end},
  -- Lua -> wasm
  {"lw", "Lua->wasm  f(i), f = inst.exports.id (i32)->i32",
   function(n) for i = 1, n do id(i) end end},
  {"lw_field", "Lua->wasm  inst.exports.id(i) looked up each call",
   function(n) for i = 1, n do inst.exports.id(i) end end},
  {"lw_table", "Lua->wasm  t.f(i), the function taken from a table",
   function(n) local t = holder for i = 1, n do t.f(i) end end},
  {"lw_method", "Lua->wasm  f:call(i)",
   function(n) for i = 1, n do id:call(i) end end},
  {"lw_inst", "Lua->wasm  inst:call(\"id\", i)",
   function(n) for i = 1, n do inst:call("id", i) end end},
  {"lw_vm", "Lua->wasm  vm:execute(\"id\", i)",
   function(n) for i = 1, n do vm:execute("id", i) end end},
  {"lw_store", "Lua->wasm  f(i), f from store:instantiate with an import object",
   function(n) for i = 1, n do id2(i) end end},
  {"lw_nop", "Lua->wasm  nop() no params, no results",
   function(n) for _ = 1, n do nop() end end},
  {"lw_i64", "Lua->wasm  add64(i, i) (i64 i64)->i64",
   function(n) for i = 1, n do add64(i, i) end end},
  {"lw_f64", "Lua->wasm  fma(x, x, x) (f64 f64 f64)->f64",
   function(n) local x = 1.5 for _ = 1, n do fma(x, x, x) end end},
  {"lw_f32", "Lua->wasm  f32(x) (f32)->f32",
   function(n) local x = 1.5 for _ = 1, n do f32(x) end end},
  {"lw_multi", "Lua->wasm  swap(i, i) (i32 i32)->(i32 i32)",
   function(n) for i = 1, n do swap(i, i) end end},
  {"lw_bits", "Lua->wasm  fma:call_bits(...) f64 as bit patterns",
   function(n) for i = 1, n do fma:call_bits(i, i, i) end end},
  {"lw_v128", "Lua->wasm  v128(s) (v128)->v128, 16-byte strings",
   function(n) for _ = 1, n do v128(V) end end},
  {"lw_extern", "Lua->wasm  ext(t) (externref)->externref",
   function(n) for _ = 1, n do ext(XV) end end},
  {"lw_funcref", "Lua->wasm  fref(f) (funcref)->funcref",
   function(n) for _ = 1, n do fref(id) end end},
  {"lw_co", "Lua->wasm  f(i) from inside a coroutine (runs as a fiber)",
   function(n) coroutine.wrap(function() for i = 1, n do id(i) end end)() end},
  {"lw_host", "Lua->host hf(i), a wasm.func called straight from Lua",
   function(n) for i = 1, n do hostfn(i) end end},
  -- wasm -> Lua (a wasm loop of n calls: the loop's own cost is included)
  {"wl", "wasm->Lua  plain Lua function in the imports table (i32)->i32",
   function(n) E.loop_h(n) end},
  {"wl_func", "wasm->Lua  wasm.func({\"i32\"}, {\"i32\"}, fn)",
   function(n) E.loop_hf(n) end},
  {"wl_caller", "wasm->Lua  wasm.func(..., {caller = true})",
   function(n) E.loop_hc(n) end},
  {"wl_i64", "wasm->Lua  (i64 f64)->i64",
   function(n) E.loop_h64(n) end},
  {"wl_multi", "wasm->Lua  (i32 i32)->(i32 i32)",
   function(n) E.loop_h2(n) end},
  {"wl_nop", "wasm->Lua  ()->() ",
   function(n) E.loop_h0(n) end},
  {"wl_v128", "wasm->Lua  (v128)->v128",
   function(n) E.loop_hv(n) end},
  {"wl_extern", "wasm->Lua  (externref)->externref",
   function(n) E.loop_hx(n, XV) end},
  {"wl_store", "wasm->Lua  import object, store:instantiate",
   function(n) inst2.exports.loop_h(n) end},
  {"wl_co", "wasm->Lua  from a coroutine (a fiber: the host may yield)",
   function(n) coroutine.wrap(function() E.loop_h(n) end)() end},
}

if only then
  for _, f in ipairs(forms) do
    if f[1] == only then f[3](N) return end
  end
  error("no form " .. only)
end

local function best(f)
  local b = math.huge
  for _ = 1, 5 do
    local t0 = os.clock()
    f(N)
    b = math.min(b, os.clock() - t0)
  end
  return b / N * 1e9
end

-- Instructions per call of form `name`, by callgrind (nil without it).
local function ir(name)
  local function count(n)
    local cmd = string.format("valgrind --tool=callgrind --callgrind-out-file=/dev/null " ..
                              "lua5.4 %s %s %d %s 2>&1", arg[0], build, n, name)
    local p = io.popen(cmd)
    local out = p:read("a")
    p:close()
    local refs = out:match("I%s+refs:%s+([%d,]+)")
    return refs and tonumber((refs:gsub(",", "")))
  end
  local n1, n2 = 20000, 120000
  local a, b = count(n1), count(n2)
  return a and b and (b - a) / (n2 - n1)
end
if want_ir and not os.execute("valgrind --version >/dev/null 2>&1") then
  print("calls: valgrind not found, no instruction counts")
  want_ir = false
end

local ns, irs = {}, {}
for _, f in ipairs(forms) do
  ns[f[1]] = best(f[3])
  if want_ir then irs[f[1]] = ir(f[1]) end
end
local c_ns, c_ir = ns.c, irs.c
print(string.format("calls: %-11s %8s %6s %8s %6s  %s", "form", "ns/call", "xC", "Ir/call",
                    "xC", "what"))
for _, f in ipairs(forms) do
  local k = f[1]
  print(string.format("calls: %-11s %8.1f %6.1f %8s %6s  %s", k, ns[k], ns[k] / c_ns,
                      irs[k] and string.format("%.0f", irs[k]) or "-",
                      irs[k] and string.format("%.1f", irs[k] / c_ir) or "-", f[2]))
end
