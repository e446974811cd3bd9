/*
 * lmoonwasm_aot.c -- the AOT compiler (src/aot) for Lua: core.aot_*.
 * The Lua layer (lua/moonwasm/aot.lua) wraps these as wasm.compile and
 * makes wasm.load_file read .so artifacts and universal .wasm files.
 *
 * Loading native code runs it in this process: see TRUST in moonwasm.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lmoonwasm.h"

static mw_module *check_mod(lua_State *L, int idx, const char *what) {
  mwl_module *M = (mwl_module *)mwl_checkudata(L, idx, MWL_MODULE, what);
  if (!M->m) mwl_usage(L, "attempt to use a closed module");
  return M->m;
}

/* A string field of the options table at idx, or NULL. */
static const char *opt_string(lua_State *L, int idx, const char *key) {
  if (lua_isnoneornil(L, idx)) return NULL;
  lua_getfield(L, idx, key);
  const char *s = NULL;
  if (lua_type(L, -1) == LUA_TSTRING)
    s = lua_tostring(L, -1); /* kept alive by the options table */
  else if (!lua_isnil(L, -1))
    mwl_usage(L, "compile: option %s: expected a string, got %s", key,
              mwl_typename(L, -1));
  lua_pop(L, 1);
  return s;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/** `core.aot_compile(mod, opts)`: with opts.output, write an artifact
 * there (a universal module if it ends in ".wasm", else a shared object);
 * otherwise compile and attach to mod in-process (opts.cache: a directory
 * of reusable artifacts).  Returns true (output), or the number of native
 * functions. */
static int core_aot_compile(lua_State *L) {
  mw_module *m = check_mod(L, 1, "compile: module");
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  mw_aot_options o;
  memset(&o, 0, sizeof o);
  o.cc = opt_string(L, 2, "cc");
  o.opt = opt_string(L, 2, "opt");
  o.keep_c = opt_string(L, 2, "keep_c");
  const char *output = opt_string(L, 2, "output");
  const char *cache = opt_string(L, 2, "cache");
  mw_error *err;
  if (output)
    err = mw_aot_compile(m, &o, ends_with(output, ".wasm") ? MW_AOT_UNIVERSAL : MW_AOT_SO,
                         output);
  else
    err = mw_aot_compile_attach(m, &o, cache);
  if (err) return mwl_raise(L, err);
  if (output)
    lua_pushboolean(L, 1);
  else
    lua_pushinteger(L, (lua_Integer)mw_aot_native_funcs(m));
  return 1;
}

/** `core.aot_attach(mod, path)`: load the .so at path as mod's native code. */
static int core_aot_attach(lua_State *L) {
  mw_module *m = check_mod(L, 1, "attach: module");
  const char *path = mwl_checkstring(L, 2, NULL, "attach: path");
  mw_error *err = mw_aot_attach(m, path);
  if (err) return mwl_raise(L, err);
  lua_pushinteger(L, (lua_Integer)mw_aot_native_funcs(m));
  return 1;
}

/** `core.aot_attach_universal(mod)`: the native code of a universal module.
 * Returns the number of native functions; or nil, why not (no section, or
 * built for another machine or version: mod then runs in the interpreter). */
static int core_aot_attach_universal(lua_State *L) {
  mw_module *m = check_mod(L, 1, "attach: module");
  bool found;
  mw_error *err = mw_aot_attach_universal(m, &found);
  if (err && mw_error_kind_of(err) != MW_ERR_USAGE) return mwl_raise(L, err);
  if (err || !found) {
    lua_pushnil(L);
    if (err) {
      lua_pushstring(L, mw_error_message(err));
      mw_error_free(err);
    } else {
      lua_pushliteral(L, "no moonwasm.aot section");
    }
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)mw_aot_native_funcs(m));
  return 1;
}

/** `core.aot_wasm_bytes(path)`: the wasm bytes a .so artifact carries. */
static int core_aot_wasm_bytes(lua_State *L) {
  const char *path = mwl_checkstring(L, 1, NULL, "load_file: path");
  uint8_t *bytes;
  size_t len;
  mw_error *err = mw_aot_wasm_bytes(path, &bytes, &len);
  if (err) return mwl_raise(L, err);
  lua_pushlstring(L, (const char *)bytes, len);
  free(bytes);
  return 1;
}

/** `core.aot_native_funcs(mod)`: how many of mod's functions run natively. */
static int core_aot_native_funcs(lua_State *L) {
  mw_module *m = check_mod(L, 1, "native_funcs: module");
  lua_pushinteger(L, (lua_Integer)mw_aot_native_funcs(m));
  return 1;
}

/** `core.aot_fallbacks(mod)`: the functions the translator leaves to the
 * interpreter, as text: one "INDEX[ NAME]: why" line each. */
static int core_aot_fallbacks(lua_State *L) {
  mw_module *m = check_mod(L, 1, "fallbacks: module");
  char *report = NULL;
  mw_error *err = mw_aot_fallbacks(m, &report);
  if (err) return mwl_raise(L, err);
  lua_pushstring(L, report);
  free(report);
  return 1;
}

static const luaL_Reg aot_funcs[] = {
    {"aot_fallbacks", core_aot_fallbacks},
    {"aot_compile", core_aot_compile},
    {"aot_attach", core_aot_attach},
    {"aot_attach_universal", core_aot_attach_universal},
    {"aot_wasm_bytes", core_aot_wasm_bytes},
    {"aot_native_funcs", core_aot_native_funcs},
    {NULL, NULL}};

void mwl_register_aot(lua_State *L) { luaL_setfuncs(L, aot_funcs, 0); }
