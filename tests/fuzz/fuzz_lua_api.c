/*
 * fuzz_lua_api.c -- libFuzzer target: the Lua API under random use.
 *
 * Each input drives a fresh Lua 5.4 state with moonwasm loaded (the
 * binding linked in, the Lua modules from the source tree): the bytes
 * pick operations -- make modules (fixed ones and the input's own bytes),
 * stores, instances, host objects and functions; call any method of any
 * object with any object or plain value as self and arguments (wrong
 * types, closed objects); close things; collect garbage in between; host
 * functions that re-enter wasm, raise, or close what is running.  Errors
 * are expected and caught; a crash or sanitizer report is a finding.
 * Every store has a cost limit and small memories, so inputs stay quick.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#ifndef MW_SOURCE_DIR
#define MW_SOURCE_DIR "."
#endif

int luaopen_moonwasm_core(lua_State *L);

static const char DRIVER[] =
    "local input = ...\n"
    "local wasm = require 'moonwasm'\n"
    "local pos = 0\n"
    "local function byte() pos = pos + 1; return input:byte(pos) or 0 end\n"
    "local function more() return pos < #input end\n"
    "local CFG = {max_memory_pages = 8, max_table_size = 64, max_call_depth = 64,\n"
    "             statistics = {cost = true}, cost_limit = 20000}\n"
    "local pool = {false, true, 0, 1, -1, 7, 1.5, 0/0, 2^53, math.maxinteger,\n"
    "              math.mininteger, 4294967296, '', 'x', 'memory', {},\n"
    "              coroutine.create(function() end)}\n"
    "local function pick() return pool[byte() % #pool + 1] end\n"
    "local function add(v) if v ~= nil and #pool < 200 then pool[#pool + 1] = v end end\n"
    "local depth = 0\n"
    "local step\n"
    "local function host(...)\n"
    "  if depth < 3 and more() then depth = depth + 1; pcall(step); depth = depth - 1 end\n"
    "  local b = byte() % 4\n"
    "  if b == 0 then error('host error') elseif b == 1 then error(pick()) end\n"
    "  return ...\n"
    "end\n"
    "local WATS = {\n"
    "  [[(module (memory (export \"mem\") 1 4) (table (export \"tab\") 2 funcref)\n"
    "     (global (export \"g\") (mut i32) (i32.const 1))\n"
    "     (import \"env\" \"h\" (func $h (param i32) (result i32)))\n"
    "     (func (export \"f\") (param i32) (result i32) (call $h (local.get 0)))\n"
    "     (func (export \"loop\") (loop (br 0)))\n"
    "     (func (export \"div\") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))\n"
    "     (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "     (elem (i32.const 0) func 0 1))]],\n"
    "  [[(module (func (export \"r\") (param i64 f32 f64) (result i64 f64) (local.get 0) (local.get 2))\n"
    "     (global (export \"c\") f64 (f64.const 1.5)))]],\n"
    "}\n"
    "local mods = {}\n"
    "for i, t in ipairs(WATS) do\n"
    "  local ok, bytes = pcall(wasm.wat, t)\n"
    "  if ok then local ok2, m = pcall(wasm.load, bytes); if ok2 then mods[#mods + 1] = m; add(m) end end\n"
    "end\n"
    "-- only moonwasm's objects: string.rep or io methods would test Lua\n"
    "local function methods(v)\n"
    "  if type(v) ~= 'userdata' and type(v) ~= 'table' then return nil end\n"
    "  local mt = getmetatable(v)\n"
    "  if type(mt) ~= 'table' then return nil end\n"
    "  local name = rawget(mt, '__name')\n"
    "  if type(name) ~= 'string' or name:sub(1, 9) ~= 'moonwasm.' then return nil end\n"
    "  local idx = rawget(mt, '__index')\n"
    "  if type(idx) ~= 'table' then return nil end\n"
    "  local names = {}\n"
    "  for k, f in pairs(idx) do if type(f) == 'function' then names[#names + 1] = k end end\n"
    "  table.sort(names)\n"
    "  return idx, names\n"
    "end\n"
    "local ops = {\n"
    "  function() add(wasm.store(wasm.config(CFG))) end,\n"
    "  function() local m = mods[byte() % math.max(#mods, 1) + 1]; if not m then return end\n"
    "    local st = wasm.store(wasm.config(CFG))\n"
    "    add(st); add(st:instantiate(m, {env = {h = host}})) end,\n"
    "  function() local n = byte() % 64; local s = input:sub(pos + 1, pos + n); pos = pos + n\n"
    "    local m = wasm.load('\\0asm\\1\\0\\0\\0' .. s); add(m)\n"
    "    local st = wasm.store(wasm.config(CFG)); add(st)\n"
    "    add(st:instantiate(m, {env = setmetatable({}, {__index = function() return host end})})) end,\n"
    "  function() add(wasm.func({'i32'}, {'i32'}, host)) end,\n"
    "  function() add(wasm.memory{min = byte() % 3, max = 4}) end,\n"
    "  function() add(wasm.table{element = 'funcref', min = byte() % 4, max = 8}) end,\n"
    "  function() add(wasm.global('i32', byte(), byte() % 2 == 0)) end,\n"
    "  function() collectgarbage() end,\n"
    "  function() local v = pick(); if type(v) == 'userdata' or type(v) == 'table' then\n"
    "    local c = v.close; if type(c) == 'function' then c(v) end end end,\n"
    "  function() local v = pick(); local idx, names = methods(v); if not idx or #names == 0 then return end\n"
    "    local f = idx[names[byte() % #names + 1]]\n"
    "    local self = byte() % 4 == 0 and pick() or v\n"
    "    local r = table.pack(f(self, pick(), pick(), pick()))\n"
    "    for i = 1, r.n do if type(r[i]) == 'userdata' or type(r[i]) == 'table' then add(r[i]) end end end,\n"
    "  function() local v = pick(); if type(v) == 'userdata' or type(v) == 'table' then\n"
    "    local ok, ex = pcall(function() return v.exports end)\n"
    "    if ok and ex then for _, name in ipairs{'f', 'loop', 'div', 'grow', 'r', 'mem', 'tab', 'g'} do\n"
    "      local e = ex[name]; if e ~= nil then add(e) end end end end end,\n"
    "  function() local v = pick(); if type(v) == 'userdata' then pcall(v, pick(), pick(), pick()) end end,\n"
    "  function() local v, k = pick(), pick(); if type(v) == 'userdata' and k ~= nil and k == k then\n"
    "    pcall(function() v[k] = pick() end); pcall(function() return v[k] end) end end,\n"
    "  function() local v = pick(); pcall(tostring, v) end,\n"
    "  function() add(wasm.wasi{args = {'x'}, stdout = false, stderr = false}) end,\n"
    "}\n"
    "step = function() local op = ops[byte() % #ops + 1]; op() end\n"
    "local n = 0\n"
    "while more() and n < 64 do n = n + 1; pcall(step) end\n"
    "pool = nil\n"
    "collectgarbage()\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = luaL_newstate();
  if (!L) return 0;
  luaL_openlibs(L);
  /* moonwasm.core linked in; the Lua modules from the source tree */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_moonwasm_core);
  lua_setfield(L, -2, "moonwasm.core");
  lua_pop(L, 1);
  lua_getglobal(L, "package");
  lua_pushliteral(L, MW_SOURCE_DIR "/lua/?.lua;" MW_SOURCE_DIR "/lua/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  if (luaL_loadbuffer(L, DRIVER, sizeof DRIVER - 1, "=driver") != LUA_OK) {
    fprintf(stderr, "fuzz_lua_api: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    /* the driver itself catches every error of the API; one escaping here
     * (require failing, out of memory) is reported, not fatal */
    const char *msg = lua_tostring(L, -1);
    if (msg && strstr(msg, "module 'moonwasm'")) {
      fprintf(stderr, "fuzz_lua_api: %s\n", msg);
      abort();
    }
  }
  lua_close(L);
  return 0;
}
