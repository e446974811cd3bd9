/*
 * lmoonwasm_store.c -- configuration, modules and their types, stores,
 * linking and instances.
 *
 * Linking (store:instantiate): each import of the module is looked up in
 * the imports table (imports[module][name]), then in the store's registry
 * of Lua functions (store:define with a plain function), then in the C
 * registry (mw_store_lookup).  A plain Lua function becomes a host function
 * typed by the import's own declaration.  The resolved objects go to
 * mw_instantiate_with in import order.
 */
#include <stdint.h>
#include <string.h>

#include "lmoonwasm.h"

/* ---------------------------------------------------------------- config */

static uint32_t config_field(lua_State *L, int idx, const char *field,
                             lua_Integer min, lua_Integer max, uint32_t dflt) {
  lua_getfield(L, idx, field);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return dflt;
  }
  lua_Integer v = 0;
  if (!mwl_getint(L, -1, &v) || v < min || v > max)
    mwl_usage(L, "config.%s: expected an integer in %I..%I", field,
              (LUAI_UACINT)min, (LUAI_UACINT)max);
  lua_pop(L, 1);
  return (uint32_t)v;
}

/* The mw_config for the config table at idx (nil: defaults).  The Lua
 * layer (wasm.config) turns feature names into the `features` bit set. */
void mwl_checkconfig(lua_State *L, int idx, mw_config *cfg) {
  *cfg = mwl_getstate(L)->cfg;
  if (lua_isnoneornil(L, idx)) return;
  idx = lua_absindex(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  cfg->features = config_field(L, idx, "features", 0, 0xFF, cfg->features);
  cfg->max_memory_pages = config_field(L, idx, "max_memory_pages", 0, 65536,
                                       cfg->max_memory_pages);
  cfg->max_table_size = config_field(L, idx, "max_table_size", 0, UINT32_MAX,
                                     cfg->max_table_size);
  /* The runtime allocates these up front: keep them sane. */
  cfg->max_call_depth = config_field(L, idx, "max_call_depth", 1, 1000000,
                                     cfg->max_call_depth);
  cfg->max_host_depth = config_field(L, idx, "max_host_depth", 0, 10000,
                                     cfg->max_host_depth);
  cfg->value_stack_slots = config_field(L, idx, "value_stack_slots", 1024,
                                        1 << 28,
                                        (uint32_t)cfg->value_stack_slots);
}

/* ---------------------------------------------------------------- types */

static void push_valtypes(lua_State *L, const mw_functype *t, bool results) {
  size_t n = results ? mw_functype_result_count(t) : mw_functype_param_count(t);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_valtype v = results ? mw_functype_result(t, i) : mw_functype_param(t, i);
    lua_pushstring(L, mw_valtype_name(v));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* {kind="func", params={...}, results={...}} */
void mwl_pushfunctype(lua_State *L, const mw_functype *t) {
  lua_createtable(L, 0, 3);
  lua_pushliteral(L, "func");
  lua_setfield(L, -2, "kind");
  push_valtypes(L, t, false);
  lua_setfield(L, -2, "params");
  push_valtypes(L, t, true);
  lua_setfield(L, -2, "results");
  luaL_setmetatable(L, MWL_FUNCTYPE);
}

static void push_limits(lua_State *L, mw_limits l) {
  lua_pushinteger(L, l.min);
  lua_setfield(L, -2, "min");
  if (l.has_max) {
    lua_pushinteger(L, l.max);
    lua_setfield(L, -2, "max");
  }
}

void mwl_pushexterntype(lua_State *L, const mw_externtype *t) {
  switch (t->kind) {
  case MW_EXTERN_FUNC: mwl_pushfunctype(L, t->of.func); return;
  case MW_EXTERN_MEMORY:
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "memory");
    lua_setfield(L, -2, "kind");
    push_limits(L, t->of.memory.limits);
    luaL_setmetatable(L, MWL_MEMORYTYPE);
    return;
  case MW_EXTERN_TABLE:
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "table");
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, mw_valtype_name(t->of.table.elem));
    lua_setfield(L, -2, "element");
    push_limits(L, t->of.table.limits);
    luaL_setmetatable(L, MWL_TABLETYPE);
    return;
  case MW_EXTERN_GLOBAL:
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "global");
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, mw_valtype_name(t->of.global.type));
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, t->of.global.mutable_);
    lua_setfield(L, -2, "mutable");
    luaL_setmetatable(L, MWL_GLOBALTYPE);
    return;
  }
  lua_pushnil(L);
}

static const char *const kind_names[] = {"func", "table", "memory", "global"};

/* ---------------------------------------------------------------- module */

/*** Modules: decoded binaries (`wasm.load`, `wasm.load_file`).
 * @type Module */

static mwl_module *check_module(lua_State *L, int idx) {
  mwl_module *M = (mwl_module *)luaL_checkudata(L, idx, MWL_MODULE);
  if (!M->m) mwl_usage(L, "attempt to use a closed module");
  return M;
}

/** `core.load(bytes [, config])`: decode a binary module; raises a
 * "malformed" error.
 * @function load */
static int core_load(lua_State *L) {
  size_t len;
  const char *bytes = luaL_checklstring(L, 1, &len);
  mw_config cfg;
  mwl_checkconfig(L, 2, &cfg);
  mwl_module *M = (mwl_module *)lua_newuserdatauv(L, sizeof *M, 0);
  M->m = NULL;
  luaL_setmetatable(L, MWL_MODULE);
  mw_error *err = mw_module_decode(&cfg, (const uint8_t *)bytes, len, &M->m);
  if (err) return mwl_raise(L, err);
  return 1;
}

/** `mod:validate()`: validate (once); raises an "invalid" error.  Returns
 * the module.
 * @function validate */
static int mod_validate(lua_State *L) {
  mwl_module *M = check_module(L, 1);
  mw_error *err = mw_module_validate(M->m);
  if (err) return mwl_raise(L, err);
  lua_settop(L, 1);
  return 1;
}

/** `mod:imports()`: `{ {module=, name=, kind=, type=}, ... }` in order.
 * @function imports */
static int mod_imports(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  size_t n = mw_module_import_count(m);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_import_desc d;
    mw_module_import(m, i, &d);
    lua_createtable(L, 0, 4);
    lua_pushlstring(L, d.module, d.module_len);
    lua_setfield(L, -2, "module");
    lua_pushlstring(L, d.name, d.name_len);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kind_names[d.type.kind]);
    lua_setfield(L, -2, "kind");
    mwl_pushexterntype(L, &d.type);
    lua_setfield(L, -2, "type");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/** `mod:exports()`: `{ {name=, kind=, type=}, ... }` in order.
 * @function exports */
static int mod_exports(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  size_t n = mw_module_export_count(m);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_export_desc d;
    mw_module_export(m, i, &d);
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, d.name, d.name_len);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kind_names[d.type.kind]);
    lua_setfield(L, -2, "kind");
    mwl_pushexterntype(L, &d.type);
    lua_setfield(L, -2, "type");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/** `mod:custom_sections()`: `{ {name=, data=}, ... }` in order.
 * @function custom_sections */
static int mod_custom_sections(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  size_t n = mw_module_custom_count(m);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    const char *name;
    const uint8_t *data;
    size_t name_len, len;
    mw_module_custom(m, i, &name, &name_len, &data, &len);
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, name, name_len);
    lua_setfield(L, -2, "name");
    lua_pushlstring(L, (const char *)data, len);
    lua_setfield(L, -2, "data");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/** `mod:func_name(index)`: the name section's name of a function, or nil.
 * @function func_name */
static int mod_func_name(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  lua_Integer i = luaL_checkinteger(L, 2);
  size_t len = 0;
  const char *name =
      i < 0 || i > (lua_Integer)UINT32_MAX
          ? NULL
          : mw_module_func_name(m, (uint32_t)i, &len);
  if (name)
    lua_pushlstring(L, name, len);
  else
    lua_pushnil(L);
  return 1;
}

/** `mod:close()`: release the module (instances keep what they need).
 * @function close */
static int mod_close(lua_State *L) {
  mwl_module *M = (mwl_module *)luaL_checkudata(L, 1, MWL_MODULE);
  if (M->m) mw_module_release(M->m);
  M->m = NULL;
  return 0;
}

static int mod_tostring(lua_State *L) {
  mwl_module *M = (mwl_module *)luaL_checkudata(L, 1, MWL_MODULE);
  lua_pushfstring(L, "moonwasm.Module: %p%s", (void *)M,
                  M->m ? "" : " (closed)");
  return 1;
}

/* ---------------------------------------------------------------- store */

/*** Stores: hold instances, run their code, and a registry of names.
 * @type Store */

mwl_store *mwl_checkstore(lua_State *L, int idx) {
  mwl_store *S = (mwl_store *)luaL_checkudata(L, idx, MWL_STORE);
  if (S->closed || !S->s) mwl_usage(L, "attempt to use a closed store");
  return S;
}

/** `core.store([config])`: a new store.
 * @function store */
static int core_store(lua_State *L) {
  mw_config cfg;
  mwl_checkconfig(L, 1, &cfg);
  mwl_store *S = (mwl_store *)lua_newuserdatauv(L, sizeof *S, MWL_STORE_NUV);
  memset(S, 0, sizeof *S);
  S->st = mwl_getstate(L);
  luaL_setmetatable(L, MWL_STORE);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_STORE_KEEP);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_STORE_LUAFUNCS);
  S->s = mw_store_new(&cfg);
  if (!S->s) return mwl_raise_kind(L, "exhaustion", "out of memory");
  mwl_map_set(L, S->s, -1);
  return 1;
}

static void store_free(lua_State *L, mwl_store *S, int idx, bool in_gc) {
  if (!S->s) return;
  if (!in_gc) mwl_map_clear(L, S->s, lua_touserdata(L, idx));
  mw_store_free(S->s);
  S->s = NULL;
}

/* Close from Lua: refused while running; the C free waits for the GC if
 * another holder references the store's objects. */
static void store_close_at(lua_State *L, mwl_store *S, int idx) {
  if (S->running)
    mwl_usage(L, "cannot close a store while it is running");
  S->closed = true;
  if (!S->shared) store_free(L, S, idx, false);
}

/** `store:close()`: release the store and every instance in it; later use
 * of any of them raises "attempt to use a closed store".  Refused (usage
 * error) while code of the store is running.  Also `__close`.
 * @function close */
static int store_close(lua_State *L) {
  mwl_store *S = (mwl_store *)luaL_checkudata(L, 1, MWL_STORE);
  store_close_at(L, S, 1);
  return 0;
}

static int store_gc(lua_State *L) {
  mwl_store *S = (mwl_store *)lua_touserdata(L, 1);
  S->closed = true;
  store_free(L, S, 1, true);
  return 0;
}

static int store_tostring(lua_State *L) {
  mwl_store *S = (mwl_store *)luaL_checkudata(L, 1, MWL_STORE);
  lua_pushfstring(L, "moonwasm.Store: %p%s", (void *)S,
                  S->closed ? " (closed)" : "");
  return 1;
}

/* The object at idx as an mw_extern, checked open; false if it is not a
 * moonwasm object. */
static bool to_extern(lua_State *L, int idx, mw_extern *out) {
  mwl_obj *o = mwl_testobj(L, idx);
  if (!o) return false;
  if (o->closed || !o->p) {
    static const char *const things[] = {"function", "table", "memory",
                                         "global"};
    mwl_usage(L, "attempt to use a closed %s", things[o->kind]);
  }
  mwl_checkownerstore(L, o);
  out->kind = o->kind;
  switch (o->kind) {
  case MW_EXTERN_FUNC: out->of.func = (mw_func *)o->p; break;
  case MW_EXTERN_TABLE: out->of.table = (mw_table *)o->p; break;
  case MW_EXTERN_MEMORY: out->of.memory = (mw_memory *)o->p; break;
  case MW_EXTERN_GLOBAL: out->of.global = (mw_global *)o->p; break;
  }
  return true;
}

/* Store S (userdata at sidx) now holds the object at idx.  A table or
 * global may receive funcrefs of S from S's own wasm code, so its holder
 * must keep S too. */
static void link_object(lua_State *L, mwl_store *S, int sidx, int idx) {
  sidx = lua_absindex(L, sidx);
  idx = lua_absindex(L, idx);
  lua_getiuservalue(L, sidx, MWL_STORE_KEEP);
  mwl_keep(L, -1, S, idx);
  lua_pop(L, 1);
  mwl_obj *o = mwl_testobj(L, idx);
  if (!o || (o->kind != MW_EXTERN_TABLE && o->kind != MW_EXTERN_GLOBAL))
    return;
  if (o->host || !o->owner) {
    lua_getiuservalue(L, idx, MWL_OBJ_DATA);
    if (lua_istable(L, -1)) mwl_keep_store(L, -1, NULL, S, sidx);
    lua_pop(L, 1);
  } else if (o->owner != S) {
    lua_getiuservalue(L, idx, MWL_OBJ_OWNER);
    lua_getiuservalue(L, -1, MWL_STORE_KEEP);
    mwl_keep_store(L, -1, o->owner, S, sidx);
    lua_pop(L, 2);
  }
}

/* Push luafuncs[module][name] of the store at sidx (or nil). */
static int get_luafunc(lua_State *L, int sidx, const char *mod, size_t mlen,
                       const char *name, size_t nlen) {
  lua_getiuservalue(L, sidx, MWL_STORE_LUAFUNCS);
  lua_pushlstring(L, mod, mlen);
  if (lua_rawget(L, -2) == LUA_TTABLE) {
    lua_pushlstring(L, name, nlen);
    lua_rawget(L, -2);
    lua_replace(L, -3);
    lua_pop(L, 1);
  } else {
    lua_pop(L, 2);
    lua_pushnil(L);
  }
  return lua_type(L, -1);
}

/** `store:define(module, name, obj)`: make `obj` importable as
 * module.name.  `obj` is a Func, Memory, Table or Global, or a plain Lua
 * function (typed later by the importing module's declaration).
 * @function define */
static int store_define(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  size_t mlen, nlen;
  const char *mod = luaL_checklstring(L, 2, &mlen);
  const char *name = luaL_checklstring(L, 3, &nlen);
  luaL_checkany(L, 4);
  lua_settop(L, 4);
  lua_getiuservalue(L, 1, MWL_STORE_LUAFUNCS); /* 5 */
  lua_pushvalue(L, 2);
  if (lua_rawget(L, 5) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 5);
  } /* 6: luafuncs[module] */
  if (lua_isfunction(L, 4)) {
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    lua_rawset(L, 6);
    return 0;
  }
  mw_extern ext;
  if (!to_extern(L, 4, &ext))
    return mwl_usage(L, "define %s.%s: expected a function, memory, table or "
                        "global, got %s",
                     mod, name, luaL_typename(L, 4));
  mw_error *err = mw_store_define(S->s, mod, mlen, name, nlen, ext);
  if (err) return mwl_raise(L, err);
  link_object(L, S, 1, 4);
  lua_pushvalue(L, 3);
  lua_pushnil(L);
  lua_rawset(L, 6); /* the latest definition wins */
  return 0;
}

/** `store:register_instance(name, inst)`: make every export of `inst`
 * importable as name.<export>.
 * @function register_instance */
static int store_register_instance(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  size_t len;
  const char *name = luaL_checklstring(L, 2, &len);
  mwl_instance *I = (mwl_instance *)luaL_checkudata(L, 3, MWL_INSTANCE);
  if (!I->i) return mwl_usage(L, "attempt to use a closed instance");
  if (I->store->closed || !I->store->s)
    return mwl_usage(L, "attempt to use a closed store");
  mw_error *err = mw_store_register(S->s, name, len, I->i);
  if (err) return mwl_raise(L, err);
  if (I->store != S) {
    /* S's registry now holds I's store's objects; its tables and globals
     * may receive S's funcrefs: each store keeps the other. */
    lua_getiuservalue(L, 1, MWL_STORE_KEEP);
    lua_getiuservalue(L, 3, MWL_INST_STORE);
    mwl_keep_store(L, -2, S, I->store, -1);
    lua_getiuservalue(L, -1, MWL_STORE_KEEP);
    mwl_keep_store(L, -1, I->store, S, 1);
  }
  return 0;
}

/** `store:lookup(module, name)`: what the store's registry has under
 * module.name (an object or a plain Lua function), or nil.
 * @function lookup */
static int store_lookup(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  size_t mlen, nlen;
  const char *mod = luaL_checklstring(L, 2, &mlen);
  const char *name = luaL_checklstring(L, 3, &nlen);
  if (get_luafunc(L, 1, mod, mlen, name, nlen) != LUA_TNIL) return 1;
  mw_extern ext;
  if (!mw_store_lookup(S->s, mod, mlen, name, nlen, &ext)) return 1;
  mwl_pushextern(L, ext, S, name, nlen);
  return 1;
}

/* Resolve one import for store S (userdata at 1), with the imports table
 * at 3 (or nil); set ext and make S keep the Lua object. */
static void resolve_import(lua_State *L, mwl_store *S, const mw_import_desc *d,
                           mw_extern *ext) {
  int top = lua_gettop(L);
  lua_pushlstring(L, d->module, d->module_len); /* top+1 */
  lua_pushlstring(L, d->name, d->name_len);     /* top+2 */
  const char *mod = lua_tostring(L, top + 1), *name = lua_tostring(L, top + 2);
  int t = LUA_TNIL;
  if (!lua_isnil(L, 3)) {
    lua_pushvalue(L, top + 1);
    int mt = lua_gettable(L, 3);
    if (mt == LUA_TTABLE || mt == LUA_TUSERDATA) {
      lua_pushvalue(L, top + 2);
      t = lua_gettable(L, -2);
    } else if (mt != LUA_TNIL) {
      mwl_usage(L, "imports[\"%s\"]: expected a table, got %s", mod,
                luaL_typename(L, -1));
    }
  }
  if (t == LUA_TNIL) {
    lua_settop(L, top + 2);
    t = get_luafunc(L, 1, d->module, d->module_len, d->name, d->name_len);
  }
  if (t == LUA_TNIL) {
    lua_settop(L, top + 2);
    if (!mw_store_lookup(S->s, d->module, d->module_len, d->name, d->name_len,
                         ext))
      mwl_raise_kind(L, "unlinkable", "unknown import \"%s\" \"%s\"", mod,
                     name);
    if (ext->kind == MW_EXTERN_TABLE || ext->kind == MW_EXTERN_GLOBAL) {
      mwl_pushextern(L, *ext, S, NULL, 0);
      link_object(L, S, 1, -1);
    }
    lua_settop(L, top);
    return;
  }
  int v = lua_gettop(L);
  if (t == LUA_TFUNCTION) {
    if (d->type.kind != MW_EXTERN_FUNC)
      mwl_raise_kind(L, "unlinkable",
                     "incompatible import type \"%s\" \"%s\": expected %s, "
                     "got a Lua function",
                     mod, name, kind_names[d->type.kind]);
    lua_pushfstring(L, "%s.%s", mod, name);
    mwl_newhostfunc(L, d->type.of.func, v, false, -1);
    v = lua_gettop(L);
  }
  if (!to_extern(L, v, ext))
    mwl_raise_kind(L, "unlinkable",
                   "incompatible import type \"%s\" \"%s\": expected %s, "
                   "got %s",
                   mod, name, kind_names[d->type.kind], luaL_typename(L, v));
  link_object(L, S, 1, v);
  lua_settop(L, top);
}

static int new_instance(lua_State *L, mw_instance *inst, mwl_store *S,
                        int sidx) {
  sidx = lua_absindex(L, sidx);
  mwl_instance *I =
      (mwl_instance *)lua_newuserdatauv(L, sizeof *I, MWL_INST_NUV);
  I->i = inst;
  I->store = S;
  I->owns_store = false;
  luaL_setmetatable(L, MWL_INSTANCE);
  lua_pushvalue(L, sidx);
  lua_setiuservalue(L, -2, MWL_INST_STORE);
  mwl_map_set(L, inst, -1);
  return 1;
}

/** `store:instantiate(mod [, imports])`: link and instantiate.  `imports`
 * is `{module = {name = obj_or_lua_function}}`; names not found there come
 * from the store's registry.  Raises "unlinkable", "invalid", "trap"...
 * @function instantiate */
static int store_instantiate(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mwl_module *M = check_module(L, 2);
  bool owns = lua_toboolean(L, 4);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  mw_module *m = M->m;
  size_t n = mw_module_import_count(m);
  mw_extern *exts = (mw_extern *)lua_newuserdatauv(L, (n ? n : 1) * sizeof *exts, 0);
  for (size_t i = 0; i < n; i++) {
    mw_import_desc d;
    mw_module_import(m, i, &d);
    resolve_import(L, S, &d, &exts[i]);
  }
  mwl_state *st = S->st;
  lua_State *prev = st->current;
  mw_instance *inst = NULL;
  st->current = L;
  S->running++;
  mw_error *err = mw_instantiate_with(S->s, m, exts, n, &inst);
  S->running--;
  st->current = prev;
  if (err) return mwl_raise(L, err);
  new_instance(L, inst, S, 1);
  mwl_instance *I = (mwl_instance *)lua_touserdata(L, -1);
  I->owns_store = owns;
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, -2, MWL_INST_MODULE);
  return 1;
}

/* ---------------------------------------------------------------- instance */

/*** Instances: `store:instantiate` or `wasm.instantiate`.
 * @type Instance */

/* Push the Instance for inst (its existing object or a new one); 0 (and
 * nothing pushed) when its store has no Lua object. */
int mwl_pushinstance(lua_State *L, mw_instance *inst) {
  mwl_map_get(L, inst);
  mwl_instance *I = (mwl_instance *)luaL_testudata(L, -1, MWL_INSTANCE);
  if (I && I->i == inst && I->store->s) return 1;
  lua_pop(L, 1);
  mwl_store *S = mwl_pushstore_of(L, mw_instance_store(inst));
  if (!S) {
    lua_pop(L, 1);
    return 0;
  }
  new_instance(L, inst, S, -1);
  lua_remove(L, -2);
  return 1;
}

static mwl_instance *check_instance(lua_State *L, int idx) {
  mwl_instance *I = (mwl_instance *)luaL_checkudata(L, idx, MWL_INSTANCE);
  if (!I->i) mwl_usage(L, "attempt to use a closed instance");
  if (I->store->closed || !I->store->s)
    mwl_usage(L, "attempt to use a closed store");
  return I;
}

/* Push the exports table of the instance at idx (built once). */
void mwl_pushexports(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  mwl_instance *I = check_instance(L, idx);
  if (lua_getiuservalue(L, idx, MWL_INST_EXPORTS) == LUA_TTABLE) return;
  lua_pop(L, 1);
  size_t n = mw_instance_export_count(I->i);
  lua_createtable(L, 0, (int)n);
  for (size_t i = 0; i < n; i++) {
    const char *name;
    size_t len;
    mw_extern ext;
    mw_instance_export_at(I->i, i, &name, &len, &ext);
    lua_pushlstring(L, name, len);
    mwl_pushextern(L, ext, I->store, name, len);
    lua_rawset(L, -3);
  }
  luaL_setmetatable(L, MWL_EXPORTS);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, idx, MWL_INST_EXPORTS);
}

static mw_func *export_func(lua_State *L, mwl_instance *I, int name_idx) {
  size_t len;
  const char *name = luaL_checklstring(L, name_idx, &len);
  mw_extern ext;
  if (!mw_instance_export(I->i, name, len, &ext) ||
      ext.kind != MW_EXTERN_FUNC)
    mwl_usage(L, "no exported function \"%s\"", name);
  return ext.of.func;
}

static int inst_call_impl(lua_State *L, bool bits) {
  mwl_instance *I = check_instance(L, 1);
  mw_func *f = export_func(L, I, 2);
  return mwl_call(L, 3, f, I->store, lua_tostring(L, 2), bits);
}

/** `inst:call(name, ...)`: call the exported function `name`.
 * @function call */
static int inst_call(lua_State *L) { return inst_call_impl(L, false); }

/** `inst:call_bits(name, ...)`: like call, with f32/f64 as bit patterns
 * (see Func:call_bits).
 * @function call_bits */
static int inst_call_bits(lua_State *L) { return inst_call_impl(L, true); }

/** `inst:memory([name])`: the exported memory `name` (a usage error if
 * there is none), or without a name the instance's memory 0 (or nil).
 * @function memory */
static int inst_memory(lua_State *L) {
  mwl_instance *I = check_instance(L, 1);
  mw_extern ext;
  ext.kind = MW_EXTERN_MEMORY;
  if (lua_isnoneornil(L, 2)) {
    ext.of.memory = mw_instance_memory(I->i);
  } else {
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    if (!mw_instance_export(I->i, name, len, &ext) ||
        ext.kind != MW_EXTERN_MEMORY)
      return mwl_usage(L, "no exported memory \"%s\"", name);
  }
  mwl_pushextern(L, ext, I->store, NULL, 0);
  return 1;
}

/** `inst:module()`: the Module it was made from (nil if unknown).
 * @function module */
static int inst_module(lua_State *L) {
  check_instance(L, 1);
  lua_getiuservalue(L, 1, MWL_INST_MODULE);
  return 1;
}

/** `inst:store()`: the Store it lives in.
 * @function store */
static int inst_store(lua_State *L) {
  check_instance(L, 1);
  lua_getiuservalue(L, 1, MWL_INST_STORE);
  return 1;
}

/** `inst:close()`: drop this instance object; if it was made by
 * `wasm.instantiate` (its own store), close that store too.
 * @function close */
static int inst_close(lua_State *L) {
  mwl_instance *I = (mwl_instance *)luaL_checkudata(L, 1, MWL_INSTANCE);
  if (!I->i) return 0;
  if (I->owns_store && !I->store->closed) {
    lua_getiuservalue(L, 1, MWL_INST_STORE);
    store_close_at(L, I->store, -1);
  }
  if (I->store->s) mwl_map_clear(L, I->i, I);
  I->i = NULL;
  return 0;
}

static int inst_gc(lua_State *L) {
  mwl_instance *I = (mwl_instance *)lua_touserdata(L, 1);
  I->i = NULL;
  return 0;
}

/** `inst.exports`: a table name -> Func/Memory/Table/Global (also callable:
 * `inst:exports()` returns it).
 * @field exports */
static int inst_index(lua_State *L) {
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  if (key && strcmp(key, "exports") == 0) {
    mwl_pushexports(L, 1);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

static int inst_tostring(lua_State *L) {
  mwl_instance *I = (mwl_instance *)luaL_checkudata(L, 1, MWL_INSTANCE);
  lua_pushfstring(L, "moonwasm.Instance: %p%s", (void *)I,
                  I->i ? "" : " (closed)");
  return 1;
}

static int exports_call(lua_State *L) {
  lua_settop(L, 1);
  return 1;
}

/* ---------------------------------------------------------------- registration */

static const luaL_Reg mod_methods[] = {
    {"validate", mod_validate},
    {"imports", mod_imports},
    {"exports", mod_exports},
    {"custom_sections", mod_custom_sections},
    {"func_name", mod_func_name},
    {"close", mod_close},
    {NULL, NULL}};
static const luaL_Reg mod_meta[] = {{"__gc", mod_close},
                                    {"__close", mod_close},
                                    {"__tostring", mod_tostring},
                                    {NULL, NULL}};

static const luaL_Reg store_methods[] = {
    {"define", store_define},
    {"register_instance", store_register_instance},
    {"lookup", store_lookup},
    {"instantiate", store_instantiate},
    {"close", store_close},
    {NULL, NULL}};
static const luaL_Reg store_meta[] = {{"__gc", store_gc},
                                      {"__close", store_close},
                                      {"__tostring", store_tostring},
                                      {NULL, NULL}};

static const luaL_Reg inst_methods[] = {
    {"call", inst_call},     {"call_bits", inst_call_bits},
    {"memory", inst_memory}, {"module", inst_module},
    {"store", inst_store},   {"close", inst_close},
    {NULL, NULL}};
static const luaL_Reg inst_meta[] = {{"__gc", inst_gc},
                                     {"__close", inst_close},
                                     {"__tostring", inst_tostring},
                                     {NULL, NULL}};

void mwl_open_stores(lua_State *L) {
  luaL_newmetatable(L, MWL_MODULE);
  luaL_setfuncs(L, mod_meta, 0);
  luaL_newlib(L, mod_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, MWL_STORE);
  luaL_setfuncs(L, store_meta, 0);
  luaL_newlib(L, store_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, MWL_INSTANCE);
  luaL_setfuncs(L, inst_meta, 0);
  luaL_newlib(L, inst_methods);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "methods"); /* for the Lua layer: __index is a C function */
  lua_pushcclosure(L, inst_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, MWL_EXPORTS);
  lua_pushcfunction(L, exports_call);
  lua_setfield(L, -2, "__call");
  lua_pop(L, 1);
}

static const luaL_Reg store_funcs[] = {
    {"load", core_load}, {"store", core_store}, {NULL, NULL}};

void mwl_register_stores(lua_State *L) { luaL_setfuncs(L, store_funcs, 0); }
