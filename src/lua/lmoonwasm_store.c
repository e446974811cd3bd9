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
/** Configuration, modules, stores and instances.
 * @module moonwasm.core */
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

static bool config_flag(lua_State *L, int idx, const char *field) {
  lua_getfield(L, idx, field);
  bool on = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

/* The mw_config for the config table at idx (nil: defaults).  The Lua
 * layer (wasm.config) turns feature names into the `features` bit set,
 * `statistics` into the count_* flags and `cost_table` into a CostTable
 * userdata (core.cost_table).  Pushes that CostTable (or nil):
 * cfg->cost_table points into it, so it must stay alive as long as cfg is
 * used.  The table may run Lua code (metamethods): read it once, when
 * nothing is in progress. */
static void check_config(lua_State *L, int idx, mw_config *cfg) {
  *cfg = mwl_getstate(L)->cfg;
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  if (lua_isnoneornil(L, idx)) return;
  if (!lua_istable(L, idx))
    mwl_usage(L, "config: expected a table, got %s", mwl_typename(L, idx));
  cfg->features = config_field(L, idx, "features", 0, UINT32_MAX, cfg->features);
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
  cfg->count_instructions = config_flag(L, idx, "count_instructions");
  cfg->count_cost = config_flag(L, idx, "count_cost");
  cfg->eager_compile = config_flag(L, idx, "eager_compile"); /* lazy.c */
  lua_getfield(L, idx, "cost_limit");
  if (!lua_isnil(L, -1)) {
    lua_Integer v = 0;
    if (!mwl_getint(L, -1, &v) || v < 1)
      mwl_usage(L, "config.cost_limit: expected a positive integer or nil");
    cfg->cost_limit = (uint64_t)v;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "cost_table");
  if (!lua_isnil(L, -1)) {
    uint64_t *costs = (uint64_t *)luaL_testudata(L, -1, MWL_COSTTABLE);
    if (!costs)
      mwl_usage(L, "config.cost_table: expected a table of costs made by "
                   "wasm.config");
    cfg->cost_table = costs;
  }
  lua_replace(L, -2);
}

/* A name in a Lua table of costs: its integer cost, else a usage error. */
static uint64_t cost_value(lua_State *L, int idx, const char *name) {
  lua_Integer v = 0;
  if (!mwl_getint(L, idx, &v) || v < 0) {
    mwl_pushbadvalue(L, idx, "an integer >= 0", true);
    mwl_usage(L, "config.cost_table[\"%s\"]: %s", name, lua_tostring(L, -1));
  }
  return (uint64_t)v;
}

/** `core.cost_table(costs)`: the cost table for a config: `costs` maps
 * instruction names ("i32.add") to integer costs; `default` (1 if absent)
 * is the cost of every instruction not named.  Unknown names are a usage
 * error that lists them.
 * @function cost_table */
static int core_cost_table(lua_State *L) {
  if (!lua_istable(L, 1))
    return mwl_usage(L, "config.cost_table: expected a table, got %s",
                     mwl_typename(L, 1));
  lua_settop(L, 1);
  uint64_t dflt = 1;
  lua_getfield(L, 1, "default");
  if (!lua_isnil(L, -1)) dflt = cost_value(L, -1, "default");
  lua_pop(L, 1);
  uint64_t *costs = (uint64_t *)lua_newuserdatauv(
      L, MW_COST_TABLE_SIZE * sizeof *costs, 0); /* 2 */
  luaL_setmetatable(L, MWL_COSTTABLE);
  for (int i = 0; i < MW_COST_TABLE_SIZE; i++) costs[i] = dflt;
  lua_newtable(L); /* 3: the unknown names, as shown in the message */
  int nunknown = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                       : NULL;
    bool found = name && strcmp(name, "default") == 0;
    if (name && !found) { /* every index with that name: `select` has two */
      uint64_t v = cost_value(L, -1, name);
      for (int i = 0; i < MW_COST_TABLE_SIZE; i++) {
        const char *n = mw_instruction_name(i);
        if (n && strcmp(n, name) == 0) {
          costs[i] = v;
          found = true;
        }
      }
    }
    lua_pop(L, 1);
    if (!found) {
      if (name)
        lua_pushfstring(L, "\"%s\"", name);
      else
        lua_pushstring(L, mwl_typename(L, -1));
      /* insertion sort: the message lists them in order */
      int i = ++nunknown;
      for (; i > 1; i--) {
        lua_rawgeti(L, 3, i - 1);
        if (!lua_compare(L, -2, -1, LUA_OPLT)) {
          lua_pop(L, 1);
          break;
        }
        lua_rawseti(L, 3, i);
      }
      lua_rawseti(L, 3, i);
    }
  }
  if (nunknown) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= nunknown; i++) {
      if (i > 1) luaL_addstring(&b, ", ");
      lua_rawgeti(L, 3, i);
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return mwl_usage(L, "config.cost_table: unknown instruction%s %s",
                     nunknown == 1 ? "" : "s", lua_tostring(L, -1));
  }
  lua_settop(L, 2);
  return 1;
}

/* ---------------------------------------------------------------- types */

/* A value type in the text format's words: "i32", "funcref", "(ref 3)". */
static void push_valtype(lua_State *L, mw_valtype t) {
  char name[48];
  mw_valtype_format(t, name, sizeof name);
  lua_pushstring(L, name);
}

static void push_valtypes(lua_State *L, const mw_functype *t, bool results) {
  size_t n = results ? mw_functype_result_count(t) : mw_functype_param_count(t);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_valtype v = results ? mw_functype_result(t, i) : mw_functype_param(t, i);
    push_valtype(L, v);
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

/* min, max and, for a memory64 memory or table, index = "i64".  Bounds
 * are 64-bit (an i64 table's may pass 2^63: they wrap to negative Lua
 * integers, as u64 values do everywhere in the binding). */
static void push_limits(lua_State *L, mw_limits l) {
  lua_pushinteger(L, (lua_Integer)l.min);
  lua_setfield(L, -2, "min");
  if (l.has_max) {
    lua_pushinteger(L, (lua_Integer)l.max);
    lua_setfield(L, -2, "max");
  }
  if (l.is64) {
    lua_pushliteral(L, "i64");
    lua_setfield(L, -2, "index");
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
    push_valtype(L, t->of.table.elem);
    lua_setfield(L, -2, "element");
    push_limits(L, t->of.table.limits);
    luaL_setmetatable(L, MWL_TABLETYPE);
    return;
  case MW_EXTERN_GLOBAL:
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "global");
    lua_setfield(L, -2, "kind");
    push_valtype(L, t->of.global.type);
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, t->of.global.mutable_);
    lua_setfield(L, -2, "mutable");
    luaL_setmetatable(L, MWL_GLOBALTYPE);
    return;
  case MW_EXTERN_TAG: /* exception handling: {kind="tag", params={...}} */
    if (!t->of.tag) break;
    lua_createtable(L, 0, 2);
    lua_pushliteral(L, "tag");
    lua_setfield(L, -2, "kind");
    push_valtypes(L, t->of.tag, false);
    lua_setfield(L, -2, "params");
    return;
  }
  lua_pushnil(L);
}

/* ---------------------------------------------------------------- module */

/*** Modules: decoded binaries (`wasm.load`, `wasm.load_file`).
 * @type Module */

static mwl_module *check_module(lua_State *L, int idx) {
  mwl_module *M = (mwl_module *)(idx == 1
                                     ? mwl_checkself(L, idx, MWL_MODULE)
                                     : mwl_checkudata(L, idx, MWL_MODULE,
                                                      "instantiate: module"));
  if (!M->m) mwl_usage(L, "attempt to use a closed module");
  return M;
}

static mwl_counting counting_of(const mw_config *cfg) {
  mwl_counting c;
  c.instructions = cfg->count_instructions;
  c.cost = cfg->count_cost;
  c.costs = cfg->cost_table;
  return c;
}

static bool same_counting(mwl_counting a, mwl_counting b) {
  return a.instructions == b.instructions && a.cost == b.cost &&
         a.costs == b.costs;
}

/** `core.load(bytes [, config])`: decode a binary module; raises a
 * "malformed" error.  With a config that counts instructions or cost, the
 * counting is compiled into the module's code.  The module keeps the
 * bytes: instantiated in a store whose config counts differently, it is
 * decoded again with that counting (see module_for).
 * @function load */
static int core_load(lua_State *L) {
  size_t len;
  const char *bytes = mwl_checkstring(L, 1, &len, "load: bytes");
  lua_settop(L, 2);
  mw_config cfg;
  check_config(L, 2, &cfg); /* 3: its CostTable */
  mwl_module *M =
      (mwl_module *)lua_newuserdatauv(L, sizeof *M, MWL_MODULE_NUV);
  memset(M, 0, sizeof *M);
  luaL_setmetatable(L, MWL_MODULE);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, 4, MWL_MODULE_BYTES);
  lua_pushvalue(L, 3);
  lua_setiuservalue(L, 4, MWL_MODULE_COSTS);
  M->cfg = cfg;
  M->how = counting_of(&cfg);
  mw_error *err = mw_module_decode(&cfg, (const uint8_t *)bytes, len, &M->m);
  if (err) return mwl_raise(L, err);
  return 1;
}

/* The code to instantiate Module M (at midx) in store S (at sidx): M's
 * own, unless S's config counts instructions or cost and M's code does not
 * count that way -- then M decoded again from its bytes, with its own
 * config but S's counting (cached in M for the next instantiation).  So
 * `store:statistics()` counts whatever module the store runs.  Runs no
 * Lua code: both configs were read when M and S were made. */
static mw_module *module_for(lua_State *L, mwl_module *M, int midx,
                             mwl_store *S, int sidx) {
  mwl_counting want = S->how;
  if ((!want.instructions && !want.cost) || same_counting(want, M->how))
    return M->m;
  if (M->counted && same_counting(want, M->counted_how)) return M->counted;
  size_t len = 0;
  lua_getiuservalue(L, midx, MWL_MODULE_BYTES);
  const char *bytes = lua_tolstring(L, -1, &len);
  if (!bytes) {
    lua_pop(L, 1);
    return M->m;
  }
  mw_config cfg = M->cfg;
  cfg.count_instructions = want.instructions;
  cfg.count_cost = want.cost;
  cfg.cost_table = want.costs;
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(&cfg, (const uint8_t *)bytes, len, &m);
  lua_pop(L, 1);
  if (err) mwl_raise(L, err);
  if (M->counted) mw_module_release(M->counted);
  M->counted = m;
  M->counted_how = want;
  lua_getiuservalue(L, sidx, MWL_STORE_COSTS);
  lua_setiuservalue(L, midx, MWL_MODULE_COUNTED_COSTS);
  return m;
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

/* One entry of imports() or exports(): {module=, name=, kind=, type=},
 * without `module` for an export.  An index a module not yet validated
 * does not have gives type = nil and unknown = "unknown type 7". */
static void push_desc(lua_State *L, const char *module, size_t module_len,
                      const char *name, size_t name_len,
                      const mw_externtype *type, const char *unknown,
                      uint32_t unknown_index) {
  lua_createtable(L, 0, 4);
  if (module) {
    lua_pushlstring(L, module, module_len);
    lua_setfield(L, -2, "module");
  }
  lua_pushlstring(L, name, name_len);
  lua_setfield(L, -2, "name");
  lua_pushstring(L, mwl_kinds[type->kind].keyword);
  lua_setfield(L, -2, "kind");
  if (unknown) {
    lua_pushfstring(L, "%s %I", unknown, (LUAI_UACINT)unknown_index);
    lua_setfield(L, -2, "unknown");
    return;
  }
  mwl_pushexterntype(L, type);
  lua_setfield(L, -2, "type");
}

/** `mod:imports()`: `{ {module=, name=, kind=, type=}, ... }` in order.
 * Before validation an entry may name a type or index the module lacks:
 * it then has `type = nil` and `unknown = "unknown type 7"` (or function,
 * table, memory, global).
 * @function imports */
static int mod_imports(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  size_t n = mw_module_import_count(m);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_import_desc d;
    mw_module_import(m, i, &d);
    push_desc(L, d.module, d.module_len, d.name, d.name_len, &d.type,
              d.unknown, d.unknown_index);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/** `mod:exports()`: `{ {name=, kind=, type=}, ... }` in order; `unknown`
 * as in `imports()`.
 * @function exports */
static int mod_exports(lua_State *L) {
  mw_module *m = check_module(L, 1)->m;
  size_t n = mw_module_export_count(m);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mw_export_desc d;
    mw_module_export(m, i, &d);
    push_desc(L, NULL, 0, d.name, d.name_len, &d.type, d.unknown,
              d.unknown_index);
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
  lua_Integer i = mwl_checkint(L, 2, "mod:func_name: index");
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

/** `mod:close()`: release the module (instances keep what they need: the
 * runtime counts references).  Also `__close` and `__gc`.
 * @function close */
static int mod_close(lua_State *L) {
  mwl_module *M = (mwl_module *)mwl_checkself(L, 1, MWL_MODULE);
  if (M->m) mw_module_release(M->m);
  if (M->counted) mw_module_release(M->counted);
  M->m = M->counted = NULL;
  return 0;
}

static int mod_gc(lua_State *L) {
  if (luaL_testudata(L, 1, MWL_MODULE)) mod_close(L);
  return 0;
}

static int mod_tostring(lua_State *L) {
  mwl_module *M = (mwl_module *)mwl_checkself(L, 1, MWL_MODULE);
  lua_pushfstring(L, "moonwasm.Module: %p%s", (void *)M,
                  M->m ? "" : " (closed)");
  return 1;
}

/* ---------------------------------------------------------------- store */

/*** Stores: hold instances, run their code, and a registry of names.
 * @type Store */

mwl_store *mwl_checkstore(lua_State *L, int idx) {
  mwl_store *S = (mwl_store *)(idx == 1 ? mwl_checkself(L, idx, MWL_STORE)
                                        : mwl_checkudata(L, idx, MWL_STORE,
                                                         "store"));
  if (S->life.closed || !S->s) mwl_usage(L, "attempt to use a closed store");
  return S;
}

/* mwl_life.release of stores. */
static void store_release(lua_State *L, int idx) {
  mwl_store *S = (mwl_store *)lua_touserdata(L, idx);
  if (!S->s) return;
  mwl_map_clear(L, S->s, S);
  mw_store_free(S->s);
  S->s = NULL;
}

/** `core.store([config])`: a new store.  It keeps `config` (store:config).
 * @function store */
static int core_store(lua_State *L) {
  lua_settop(L, 1);
  mw_config cfg;
  check_config(L, 1, &cfg); /* 2: its CostTable */
  bool count_time = lua_istable(L, 1) && config_flag(L, 1, "count_time");
  mwl_store *S = (mwl_store *)lua_newuserdatauv(L, sizeof *S, MWL_STORE_NUV);
  memset(S, 0, sizeof *S);
  S->st = mwl_getstate(L);
  S->life.release = store_release;
  S->life.keep_uv = MWL_STORE_KEEP;
  S->life.holders_uv = MWL_STORE_HOLDERS;
  S->how = counting_of(&cfg);
  S->count_time = count_time;
  luaL_setmetatable(L, MWL_STORE);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_STORE_KEEP);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_STORE_LUAFUNCS);
  lua_pushvalue(L, 2); /* keeps S->how.costs alive */
  lua_setiuservalue(L, -2, MWL_STORE_COSTS);
  if (lua_istable(L, 1)) {
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, MWL_STORE_CONFIG);
  }
  S->s = mw_store_new(&cfg);
  if (!S->s) return mwl_raise_kind(L, "exhaustion", "out of memory");
  if (count_time) mw_store_time_host(S->s, true); /* hostctl: host_time */
  mwl_map_set(L, S->s, -1);
  return 1;
}

/* Close from Lua: refused while running (close() raises; __gc defers the
 * free to the end of the outermost call, see mwl_settle); the C free
 * waits while other holders use the store's objects. */
static void store_close_at(lua_State *L, mwl_store *S, int idx) {
  if (S->life.busy && !S->life.closed)
    mwl_usage(L, "cannot close a store while it is running");
  mwl_close(L, idx);
}

/** `store:close()`: release the store and every instance in it; later use
 * of any of them raises "attempt to use a closed store".  Refused (usage
 * error) while code of the store is running or instantiating.  Functions
 * of the store that another store holds keep working there until that
 * store is gone, and so does all of the store while a store whose
 * functions it took (imports, arguments, table elements) is in use: their
 * code may have kept its funcrefs.  Also `__close`; `__gc` (even called
 * by hand) never frees a running store.
 * @function close */
static int store_close(lua_State *L) {
  mwl_store *S = (mwl_store *)mwl_checkself(L, 1, MWL_STORE);
  store_close_at(L, S, 1);
  return 0;
}

static int store_gc(lua_State *L) {
  if (luaL_testudata(L, 1, MWL_STORE)) mwl_close(L, 1);
  return 0;
}

static int store_tostring(lua_State *L) {
  mwl_store *S = (mwl_store *)mwl_checkself(L, 1, MWL_STORE);
  lua_pushfstring(L, "moonwasm.Store: %p%s", (void *)S,
                  S->life.closed ? " (closed)" : "");
  return 1;
}

/** `store:config()`: the config the store was made with (nil for the
 * defaults).  Raises on a closed store.
 * @function config */
static int store_config(lua_State *L) {
  mwl_checkstore(L, 1);
  lua_getiuservalue(L, 1, MWL_STORE_CONFIG);
  return 1;
}

/** `store:statistics()`: `{instructions = n, cost = n, time = seconds}`.
 * Instructions and cost are counted by the code of modules decoded with a
 * counting config: the store's own when its `statistics` asks for them
 * (`cost_table` or `cost_limit` turn cost on), or the one a module was
 * loaded with (0 when nothing counts); `time` is the wall-clock time
 * (CLOCK_MONOTONIC) spent in calls into the store, host functions
 * included, when `statistics.time` is on (0 otherwise).
 * @function statistics */
static int store_statistics(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mw_stats stats;
  mw_store_stats(S->s, &stats);
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)stats.instructions);
  lua_setfield(L, -2, "instructions");
  lua_pushinteger(L, (lua_Integer)stats.cost);
  lua_setfield(L, -2, "cost");
  lua_pushnumber(L, (lua_Number)S->time);
  lua_setfield(L, -2, "time");
  /* hostctl: the time split (statistics.time): in host functions called
   * by wasm, and the rest of the calls' time */
  double host = (double)mw_store_host_ns(S->s) * 1e-9;
  lua_pushnumber(L, (lua_Number)host);
  lua_setfield(L, -2, "host_time");
  lua_pushnumber(L, (lua_Number)(S->time > host ? S->time - host : 0));
  lua_setfield(L, -2, "wasm_time");
  return 1;
}

/** `store:reset_statistics()`: set all three to zero (also what makes a
 * store that hit its `cost_limit` run again).
 * @function reset_statistics */
static int store_reset_statistics(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mw_store_reset_stats(S->s);
  S->time = 0;
  return 0;
}

/* The object at idx as an mw_extern, checked open; false if it is not a
 * moonwasm object. */
static bool to_extern(lua_State *L, int idx, mw_extern *out) {
  mwl_obj *o = mwl_testobj(L, idx);
  if (!o) return false;
  if (o->life.closed || !o->p)
    mwl_usage(L, "attempt to use a closed %s", mwl_kinds[o->kind].noun);
  mwl_checkownerstore(L, o);
  out->kind = o->kind;
  switch (o->kind) {
  case MW_EXTERN_FUNC: out->of.func = (mw_func *)o->p; break;
  case MW_EXTERN_TABLE: out->of.table = (mw_table *)o->p; break;
  case MW_EXTERN_MEMORY: out->of.memory = (mw_memory *)o->p; break;
  case MW_EXTERN_GLOBAL: out->of.global = (mw_global *)o->p; break;
  case MW_EXTERN_TAG: out->of.tag = (mw_tag *)o->p; break;
  }
  return true;
}

/* Store S (userdata at sidx) now holds the object at idx.  A table or
 * global may receive funcrefs of S from S's own wasm code, so its holder
 * must keep S too (a function of another store: mwl_hold sees to it). */
static void link_object(lua_State *L, mwl_store *S, int sidx, int idx) {
  sidx = lua_absindex(L, sidx);
  idx = lua_absindex(L, idx);
  mwl_hold(L, sidx, idx);
  mwl_obj *o = mwl_testobj(L, idx);
  if (!o || (o->kind != MW_EXTERN_TABLE && o->kind != MW_EXTERN_GLOBAL))
    return;
  if (o->host || !o->owner) {
    mwl_hold(L, idx, sidx);
  } else if (o->owner != S) {
    lua_getiuservalue(L, idx, MWL_OBJ_OWNER);
    mwl_hold(L, -1, sidx);
    lua_pop(L, 1);
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
  const char *mod = mwl_checkstring(L, 2, &mlen, "define: module");
  const char *name = mwl_checkstring(L, 3, &nlen, "define: name");
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
                     mod, name, mwl_typename(L, 4));
  link_object(L, S, 1, 4); /* first: nothing can raise once it is defined */
  mw_error *err = mw_store_define(S->s, mod, mlen, name, nlen, ext);
  if (err) return mwl_raise(L, err);
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
  const char *name = mwl_checkstring(L, 2, &len, "register_instance: name");
  mwl_instance *I = (mwl_instance *)mwl_checkudata(
      L, 3, MWL_INSTANCE, "register_instance: instance");
  if (!I->i) return mwl_usage(L, "attempt to use a closed instance");
  if (I->store->life.closed || !I->store->s)
    return mwl_usage(L, "attempt to use a closed store");
  mw_error *err = mw_store_register(S->s, name, len, I->i);
  if (err) return mwl_raise(L, err);
  if (I->store != S) {
    /* S's registry now holds I's store's objects; its tables and globals
     * may receive S's funcrefs: each store keeps the other. */
    mwl_hold(L, 1, 3);
    lua_getiuservalue(L, 3, MWL_INST_STORE);
    mwl_hold(L, -1, 1);
    lua_pop(L, 1);
  }
  return 0;
}

/** `store:lookup(module, name)`: what the store's registry has under
 * module.name (an object or a plain Lua function), or nil.
 * @function lookup */
static int store_lookup(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  size_t mlen, nlen;
  const char *mod = mwl_checkstring(L, 2, &mlen, "lookup: module");
  const char *name = mwl_checkstring(L, 3, &nlen, "lookup: name");
  if (get_luafunc(L, 1, mod, mlen, name, nlen) != LUA_TNIL) return 1;
  mw_extern ext;
  if (!mw_store_lookup(S->s, mod, mlen, name, nlen, &ext)) return 1;
  mwl_pushextern(L, ext, S, name, nlen);
  return 1;
}

/* Resolve one import for store S (userdata at 1), with the imports table
 * at 3 (or nil); set ext and make S keep the Lua object.  The imports
 * table may run Lua code (metamethods). */
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
                mwl_typename(L, -1));
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
                     mod, name, mwl_kinds[d->type.kind].keyword);
    lua_pushfstring(L, "%s.%s", mod, name);
    mwl_newhostfunc(L, d->type.of.func, v, false, -1);
    v = lua_gettop(L);
  }
  /* Held first, then checked open: S (busy) keeps its C object from now
   * on, whatever a finalizer run by an allocation closes. */
  link_object(L, S, 1, v);
  if (!to_extern(L, v, ext))
    mwl_raise_kind(L, "unlinkable",
                   "incompatible import type \"%s\" \"%s\": expected %s, "
                   "got %s",
                   mod, name, mwl_kinds[d->type.kind].keyword,
                   mwl_typename(L, v));
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

/* The module store_instantiate instantiates, and the store, for its body. */
typedef struct instantiation {
  mwl_store *S;
  mw_module *m;
} instantiation;

/* Protected body of store:instantiate: 1 the store, 2 the module, 3 the
 * imports (or nil), 4 the instantiation.  Resolving the imports may run
 * Lua code (the imports table's metamethods, finalizers): the store stays
 * busy and the module referenced meanwhile (see store_instantiate), and
 * the store is checked open again before the runtime uses it.  Returns
 * the Instance. */
static int instantiate_body(lua_State *L) {
  instantiation *in = (instantiation *)lua_touserdata(L, 4);
  mwl_store *S = in->S;
  size_t n = mw_module_import_count(in->m);
  mw_extern *exts =
      (mw_extern *)lua_newuserdatauv(L, (n ? n : 1) * sizeof *exts, 0);
  for (size_t i = 0; i < n; i++) {
    mw_import_desc d;
    mw_module_import(in->m, i, &d);
    resolve_import(L, S, &d, &exts[i]);
  }
  if (S->life.closed) return mwl_usage(L, "attempt to use a closed store");
  mw_instance *inst = NULL;
  mwl_entry e;
  mwl_enter(L, S, &e);
  mw_error *err = mw_instantiate_with(S->s, in->m, exts, n, &inst);
  mwl_leave(S, &e);
  /* a WASI exit from the start function is raised too ("exit", code): the
   * instance was never completed */
  if (err) return mwl_raise(L, err);
  new_instance(L, inst, S, 1);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, -2, MWL_INST_MODULE);
  return 1;
}

/** `store:instantiate(mod [, imports])`: link and instantiate.  `imports`
 * is `{module = {name = obj_or_lua_function}}`; names not found there come
 * from the store's registry.  Raises "unlinkable", "invalid", "trap"...
 * Closing the store while it runs Lua code (an `__index` of `imports`) is
 * refused; closing the module is harmless.
 * @function instantiate */
static int store_instantiate(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mwl_module *M = check_module(L, 2);
  bool owns = lua_toboolean(L, 4);
  if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
    return mwl_usage(L, "imports: expected a table, got %s",
                     mwl_typename(L, 3));
  lua_settop(L, 3);
  /* Validate before anything reads the module's imports: an unvalidated
   * module may name types it does not have. */
  mw_error *verr = mw_module_validate(M->m);
  if (verr) return mwl_raise(L, verr);
  instantiation in;
  in.S = S;
  in.m = module_for(L, M, 2, S, 1);
  if (in.m != M->m && (verr = mw_module_validate(in.m)))
    return mwl_raise(L, verr);
  /* From here on, one exit: nothing is pushed that could fail before the
   * protected call. */
  mw_module_retain(in.m);
  S->life.busy++;
  lua_pushcfunction(L, instantiate_body);
  lua_insert(L, 1);
  lua_pushlightuserdata(L, &in);
  int rc = lua_pcall(L, 4, 1, 0);
  S->life.busy--;
  mw_module_release(in.m);
  /* free S if it was closed meanwhile (by __gc): instantiating is not
   * running it */
  mwl_settle(L, S, false, NULL);
  if (rc != LUA_OK) return lua_error(L);
  ((mwl_instance *)lua_touserdata(L, -1))->owns_store = owns;
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
  mwl_instance *I = (mwl_instance *)(idx == 1
                                         ? mwl_checkself(L, idx, MWL_INSTANCE)
                                         : mwl_checkudata(L, idx, MWL_INSTANCE,
                                                          "instance"));
  if (!I->i) mwl_usage(L, "attempt to use a closed instance");
  if (I->store->life.closed || !I->store->s)
    mwl_usage(L, "attempt to use a closed store");
  return I;
}

static int exports_newindex(lua_State *L) {
  return mwl_usage(L, "inst.exports is read-only (assigning \"%s\")",
                   lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2)
                                                 : mwl_typename(L, 2));
}

/* The table behind an exports proxy (its metatable's __index). */
static void push_exports_table(lua_State *L, int idx) {
  if (!lua_getmetatable(L, idx)) {
    lua_newtable(L);
    return;
  }
  lua_pushliteral(L, "__index");
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

/* The iterator pairs(inst.exports) returns, callable by hand too. */
static int exports_next(lua_State *L) {
  if (!lua_istable(L, 1))
    return mwl_usage(L, "exports iterator: expected a table, got %s",
                     mwl_typename(L, 1));
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

static int exports_pairs(lua_State *L) {
  lua_pushcfunction(L, exports_next);
  push_exports_table(L, 1);
  lua_pushnil(L);
  return 3;
}

static int exports_len(lua_State *L) {
  push_exports_table(L, 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}

static int exports_call(lua_State *L) {
  lua_settop(L, 1);
  return 1;
}

static const luaL_Reg exports_meta[] = {{"__newindex", exports_newindex},
                                        {"__pairs", exports_pairs},
                                        {"__len", exports_len},
                                        {"__call", exports_call},
                                        {NULL, NULL}};

/* Push the exports of the instance at idx (built once): a read-only proxy
 * (an empty table whose own metatable's __index is the table of exports;
 * pairs() works through __pairs). */
void mwl_pushexports(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  mwl_instance *I = check_instance(L, idx);
  if (lua_getiuservalue(L, idx, MWL_INST_EXPORTS) == LUA_TTABLE) return;
  lua_pop(L, 1);
  size_t n = mw_instance_export_count(I->i);
  lua_newtable(L); /* the proxy */
  lua_createtable(L, 0, 8); /* its metatable */
  luaL_setfuncs(L, exports_meta, 0);
  lua_pushliteral(L, MWL_EXPORTS);
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, MWL_EXPORTS);
  lua_setfield(L, -2, "__metatable");
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
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, idx, MWL_INST_EXPORTS);
}

static mw_func *export_func(lua_State *L, mwl_instance *I, int name_idx) {
  size_t len;
  const char *name = mwl_checkstring(L, name_idx, &len, "call: name");
  mw_extern ext;
  if (!mw_instance_export(I->i, name, len, &ext) ||
      ext.kind != MW_EXTERN_FUNC)
    mwl_usage(L, "no exported function \"%s\"", name);
  return ext.of.func;
}

/* The instance at index 1 if it is one (its metatable is upvalue 1 of
 * the calling closure), open and in an open store; else NULL.  One
 * comparison instead of luaL_testudata's registry lookup by name. */
static mwl_instance *quick_instance(lua_State *L) {
  if (lua_type(L, 1) != LUA_TUSERDATA || !lua_getmetatable(L, 1)) return NULL;
  bool same = lua_rawequal(L, -1, lua_upvalueindex(1));
  lua_pop(L, 1);
  mwl_instance *I = same ? (mwl_instance *)lua_touserdata(L, 1) : NULL;
  if (!I || !I->i || I->store->life.closed || !I->store->s) return NULL;
  return I;
}

/* inst:call(name, ...) by the Func in the exports table: no name compares
 * (an interned string indexes the table), the raw path of
 * lmoonwasm_call.c.  -1 if it does not apply (nothing done). */
static int inst_call_fast(lua_State *L, mwl_instance *I, bool bits) {
  int nargs = lua_gettop(L) - 2;
  if (lua_type(L, 2) != LUA_TSTRING) return -1;
  if (lua_getiuservalue(L, 1, MWL_INST_EXPORTS) != LUA_TTABLE) {
    lua_pop(L, 1);
    mwl_pushexports(L, 1);
  }
  lua_pushvalue(L, 2);
  lua_gettable(L, -2); /* the proxy: its __index is the exports table */
  lua_remove(L, -2);
  mwl_obj *o = (mwl_obj *)lua_touserdata(L, -1);
  if (!o || lua_rawlen(L, -1) != sizeof(mwl_obj) || o->st != I->store->st ||
      o->kind != MW_EXTERN_FUNC || o->life.closed || !o->p || o->owner != I->store ||
      !(o->plan > 0 || (o->plan == 0 && mwl_plan(o, mw_func_type((mw_func *)o->p))))) {
    lua_pop(L, 1);
    return -1;
  }
  /* inst, name, arguments..., Func */
  int n = mwl_call_fast(L, o, nargs + 3, 3, nargs, bits);
  if (n < 0) lua_pop(L, 1);
  return n;
}

static int inst_call_impl(lua_State *L, bool bits) {
  mwl_instance *I = quick_instance(L);
  if (I) {
    int n = inst_call_fast(L, I, bits);
    if (n >= 0) return n;
  }
  I = check_instance(L, 1);
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
    const char *name = mwl_checkstring(L, 2, &len, "inst:memory: name");
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
  mwl_instance *I = (mwl_instance *)mwl_checkself(L, 1, MWL_INSTANCE);
  if (!I->i) return 0;
  if (I->owns_store && !I->store->life.closed) {
    lua_getiuservalue(L, 1, MWL_INST_STORE);
    store_close_at(L, I->store, -1);
  }
  if (I->store->s) mwl_map_clear(L, I->i, I);
  I->i = NULL;
  return 0;
}

/* The instance object only: its store (and so the C instance) lives on. */
static int inst_gc(lua_State *L) {
  mwl_instance *I = (mwl_instance *)luaL_testudata(L, 1, MWL_INSTANCE);
  if (I) I->i = NULL;
  return 0;
}

/** `inst.exports`: a table name -> Func/Memory/Table/Global (also callable:
 * `inst:exports()` returns it).
 * @field exports */
static int inst_index(lua_State *L) {
  /* Upvalue 2 is the string "exports": short strings are interned, so
   * the same key is the same string, one pointer compare. */
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  if (key && key == lua_tostring(L, lua_upvalueindex(2))) {
    /* built once: the instance checked (upvalue 3 its metatable); only a
     * full userdata has user values to ask for (__index can be called
     * with anything as self, through debug.getmetatable) */
    if (lua_type(L, 1) == LUA_TUSERDATA &&
        lua_getiuservalue(L, 1, MWL_INST_EXPORTS) == LUA_TTABLE && lua_getmetatable(L, 1)) {
      bool same = lua_rawequal(L, -1, lua_upvalueindex(3));
      lua_pop(L, 1);
      mwl_instance *I = same ? (mwl_instance *)lua_touserdata(L, 1) : NULL;
      if (I && I->i && !I->store->life.closed && I->store->s) return 1;
    }
    lua_settop(L, 2);
    mwl_pushexports(L, 1);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

static int inst_tostring(lua_State *L) {
  mwl_instance *I = (mwl_instance *)mwl_checkself(L, 1, MWL_INSTANCE);
  lua_pushfstring(L, "moonwasm.Instance: %p%s", (void *)I,
                  I->i ? "" : " (closed)");
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
static const luaL_Reg mod_meta[] = {{"__gc", mod_gc},
                                    {"__close", mod_close},
                                    {"__tostring", mod_tostring},
                                    {NULL, NULL}};

static const luaL_Reg store_methods[] = {
    {"define", store_define},
    {"register_instance", store_register_instance},
    {"lookup", store_lookup},
    {"instantiate", store_instantiate},
    {"config", store_config},
    {"statistics", store_statistics},
    {"reset_statistics", store_reset_statistics},
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
  /* call and call_bits find the Instance metatable as upvalue 1
   * (quick_instance) */
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, inst_call, 1);
  lua_setfield(L, -2, "call");
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, inst_call_bits, 1);
  lua_setfield(L, -2, "call_bits");
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "methods"); /* for the Lua layer: __index is a C function */
  lua_pushliteral(L, "exports");
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, inst_index, 3);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, MWL_COSTTABLE);
  lua_pop(L, 1);
}

static const luaL_Reg store_funcs[] = {{"load", core_load},
                                       {"store", core_store},
                                       {"cost_table", core_cost_table},
                                       {NULL, NULL}};

void mwl_register_stores(lua_State *L) { luaL_setfuncs(L, store_funcs, 0); }
