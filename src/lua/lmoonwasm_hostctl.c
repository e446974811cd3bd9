/*
 * lmoonwasm_hostctl.c -- host control from Lua: interrupting a running
 * guest, deadlines and fuel (store methods added to moonwasm.Store).
 *
 * The refuel callbacks live in a table of this file (weak keys: the store
 * userdata), anchored in the registry, so the store's own user values do
 * not change shape.
 */
#define _POSIX_C_SOURCE 200809L
/** Host control: interrupts, deadlines, fuel, profiles, backtraces.
 * @module moonwasm.core */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lmoonwasm.h"

/* Registry key of the table store userdata -> refuel function. */
static const char refuel_key = 'R';

static void push_refuel_table(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &refuel_key) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &refuel_key);
}

/** `store:interrupt()`: make the wasm code running in the store trap with
 * "interrupted" at its next loop iteration or call (from a host function,
 * another coroutine, a debug hook).  With nothing running, the next call
 * that loops or calls traps.  The store stays usable.
 * @function interrupt */
static int store_interrupt(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  if (lua_isboolean(L, 2) && !lua_toboolean(L, 2))
    mw_store_clear_interrupt(S->s);
  else
    mw_store_interrupt(S->s);
  return 0;
}

/** `store:set_deadline(seconds)`: wasm running in the store traps with
 * "deadline exceeded" once `seconds` (a number, fractions allowed) have
 * passed from now.  It fires once; `nil` or 0 removes it.
 * @function set_deadline */
static int store_set_deadline(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  if (lua_isnoneornil(L, 2)) {
    mw_store_set_deadline(S->s, 0);
    return 0;
  }
  if (lua_type(L, 2) != LUA_TNUMBER)
    return mwl_usage(L, "set_deadline: expected a number of seconds, got %s",
                     mwl_typename(L, 2));
  lua_Number sec = lua_tonumber(L, 2);
  if (!(sec >= 0)) return mwl_usage(L, "set_deadline: expected seconds >= 0");
  double ns = sec * 1e9;
  /* 0 would mean "none": a deadline of 0 s is due at once. */
  uint64_t n = ns >= 1.8e19 ? UINT64_MAX : ns < 1 ? 1 : (uint64_t)ns;
  mw_store_set_deadline(S->s, sec == 0 ? 1 : n);
  return 0;
}

/** `store:set_fuel(n)`: run on fuel: after `n` more units the running code
 * traps ("exhaustion", "all fuel consumed") unless the refuel callback adds
 * some.  A unit is one wasm instruction in modules instantiated in a store
 * made with `wasm.config{fuel = true}` (or any counting config); in other
 * code, one loop iteration or call.  `nil` stops using fuel.
 * @function set_fuel */
static int store_set_fuel(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  if (lua_isnoneornil(L, 2)) {
    mw_store_clear_fuel(S->s);
    return 0;
  }
  lua_Integer n = mwl_checkint(L, 2, "set_fuel: fuel");
  if (n < 0) return mwl_usage(L, "set_fuel: expected fuel >= 0, got %d", (int)n);
  mw_store_set_fuel(S->s, (uint64_t)n);
  return 0;
}

/** `store:fuel()`: the fuel left, or nil when the store does not use fuel.
 * @function fuel */
static int store_fuel(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  uint64_t left;
  if (!mw_store_get_fuel(S->s, &left)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, left > (uint64_t)INT64_MAX ? INT64_MAX : (lua_Integer)left);
  return 1;
}

/* The C side of a Lua refuel callback: call it (protected) on the thread
 * that entered wasm; an integer > 0 is the fuel to add.  An error or any
 * other value adds none, so the guest traps. */
static int refuel_body(lua_State *L) {
  mw_store *s = (mw_store *)lua_touserdata(L, 1);
  if (!mwl_pushstore_of(L, s)) return 0;
  push_refuel_table(L);
  lua_pushvalue(L, -2);
  lua_rawget(L, -2);
  if (!lua_isfunction(L, -1)) return 0;
  lua_pushvalue(L, -3);
  lua_call(L, 1, 1);
  lua_Integer more = 0;
  if (lua_isinteger(L, -1)) more = lua_tointeger(L, -1);
  lua_pushinteger(L, more > 0 ? more : 0);
  return 1;
}

static uint64_t refuel_trampoline(mw_store *s, void *ud) {
  mwl_state *st = (mwl_state *)ud;
  lua_State *L = st->current;
  if (!L || !lua_checkstack(L, 8)) return 0;
  int top = lua_gettop(L);
  lua_pushcfunction(L, refuel_body);
  lua_pushlightuserdata(L, s);
  uint64_t more = 0;
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_isinteger(L, -1))
    more = (uint64_t)lua_tointeger(L, -1);
  lua_settop(L, top);
  return more;
}

/** `store:set_refuel(fn)`: when fuel runs out, `fn(store)` is called; an
 * integer > 0 it returns is added and the code goes on, anything else (or
 * an error) lets it trap.  It must not call wasm in this store.  `nil`
 * removes it.
 * @function set_refuel */
static int store_set_refuel(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  if (!lua_isnoneornil(L, 2) && !lua_isfunction(L, 2))
    return mwl_usage(L, "set_refuel: expected a function or nil, got %s",
                     mwl_typename(L, 2));
  push_refuel_table(L);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_rawset(L, -3);
  if (lua_isnoneornil(L, 2))
    mw_store_set_refuel(S->s, NULL, NULL);
  else
    mw_store_set_refuel(S->s, refuel_trampoline, S->st);
  return 0;
}

/* SIGINT: the one store a Ctrl-C interrupts (the CLI's).  The handler
 * only reads these and makes one atomic OR (mw_store_interrupt): it is
 * async-signal-safe.  The store userdata is anchored in the registry
 * while registered, so `sigint_store` stays valid memory; its `s` is
 * NULL once the C store is freed. */
static mwl_store *volatile sigint_store;
static volatile sig_atomic_t sigint_count;
static const char sigint_key = 'I';
static struct sigaction sigint_previous;

static void on_sigint(int sig) {
  mwl_store *S = sigint_store;
  if (sigint_count++ > 0 || !S || !S->s) {
    /* A second Ctrl-C (or nothing to interrupt): the default action. */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  mw_store_interrupt(S->s);
}

/** `store:interrupt_on_sigint(on)`: with `on` true, the first SIGINT
 * (Ctrl-C) interrupts the wasm code running in this store ("interrupted")
 * instead of killing the process; a second one kills it as usual.  One
 * store at a time; `false` restores the previous handler.
 * `wasm.sigint_count()` tells how many arrived.
 * @function interrupt_on_sigint */
static int store_interrupt_on_sigint(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  bool on = lua_isnone(L, 2) || lua_toboolean(L, 2);
  if (on) {
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sigint_key);
    bool installed = sigint_store != NULL;
    sigint_store = S;
    sigint_count = 0;
    if (!installed) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_sigint;
      sigemptyset(&sa.sa_mask);
      sigaction(SIGINT, &sa, &sigint_previous);
    }
  } else if (sigint_store) {
    sigaction(SIGINT, &sigint_previous, NULL);
    sigint_store = NULL;
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sigint_key);
  }
  return 0;
}

/** `core.sigint_count()`: SIGINTs received since `interrupt_on_sigint`.
 * @function sigint_count */
static int core_sigint_count(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)sigint_count);
  return 1;
}

/* ---------------------------------------------------------------- backtraces */

/* Registry: the last failure the message handler saw ({value, traceback})
 * and the last non-object value given its layers ({value, text}). */
static const char last_failure_key = 'F';
static const char last_noted_key = 'N';

int mwl_host_msgh(lua_State *L) {
  lua_settop(L, 1);
  luaL_traceback(L, L, NULL, 1); /* 2: "stack traceback:\n..." */
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "value");
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "traceback");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &last_failure_key);
  lua_settop(L, 1);
  return 1;
}

static bool is_error_object(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return false;
  luaL_getmetatable(L, MWL_ERROR);
  bool yes = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return yes;
}

/* Append frame i of `bt` to the frames list at `list` and its line to b. */
static void add_wasm_frame(lua_State *L, int list, luaL_Buffer *b,
                           const mw_frame_info *f) {
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)f->func_index);
  lua_setfield(L, -2, "func");
  if (f->func_name) {
    lua_pushlstring(L, f->func_name, f->func_name_len);
    lua_setfield(L, -2, "name");
  }
  if (f->module_name) {
    lua_pushlstring(L, f->module_name, f->module_name_len);
    lua_setfield(L, -2, "module");
  }
  lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
  luaL_addstring(b, "\n  at ");
  if (f->module_name) {
    luaL_addlstring(b, f->module_name, f->module_name_len);
    luaL_addchar(b, '.');
  }
  if (f->func_name)
    luaL_addlstring(b, f->func_name, f->func_name_len);
  else
    luaL_addchar(b, '?');
  lua_pushfstring(L, " (func %d)", (int)f->func_index);
  luaL_addvalue(b);
}

/* Protected: 1 the error value, 2 the host Func's C object, 3 the
 * caller, 4 the mw_error holding the wasm frames (or nil). */
static int context_body(lua_State *L) {
  mwl_obj *h = (mwl_obj *)lua_touserdata(L, 2);
  const mw_error *bt = (const mw_error *)lua_touserdata(L, 4);
  lua_settop(L, 1);
  /* 2: the Lua traceback the handler noted for this value, or nil */
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &last_failure_key) == LUA_TTABLE) {
    lua_getfield(L, -1, "value");
    bool same = lua_rawequal(L, -1, 1);
    lua_pop(L, 1);
    if (same) {
      lua_getfield(L, -1, "traceback");
      lua_replace(L, -2);
    } else {
      lua_pop(L, 1);
      lua_pushnil(L);
    }
  }
  /* 3: the host function's name */
  mwl_map_get(L, h->p);
  if (lua_touserdata(L, -1) == h) {
    lua_getiuservalue(L, -1, MWL_OBJ_NAME);
    lua_replace(L, -2);
  }
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "host function");
  }
  const char *name = lua_tostring(L, 3);
  bool object = is_error_object(L, 1);
  luaL_Buffer b;
  if (object) {
    if (lua_getfield(L, 1, "frames") != LUA_TTABLE) { /* 4 */
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, 1, "frames");
    }
    lua_getfield(L, 1, "traceback"); /* 5 */
    luaL_buffinit(L, &b);
    if (lua_isstring(L, 5)) {
      lua_pushvalue(L, 5);
      luaL_addvalue(&b);
      luaL_addchar(&b, '\n');
    }
    lua_createtable(L, 0, 3); /* the Lua layer */
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "lua");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    if (!lua_isnil(L, 2)) {
      lua_pushvalue(L, 2);
      lua_setfield(L, -2, "traceback");
    }
    lua_rawseti(L, 4, (lua_Integer)lua_rawlen(L, 4) + 1);
    luaL_addstring(&b, "  in Lua host function ");
    luaL_addstring(&b, name);
  } else {
    lua_newtable(L); /* 4: a throwaway frames list */
    lua_pushnil(L);  /* 5 */
    luaL_buffinit(L, &b);
    /* The same value through another host function: extend its text. */
    bool again = false;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &last_noted_key) == LUA_TTABLE) {
      lua_getfield(L, -1, "value");
      again = lua_rawequal(L, -1, 1) && !lua_isnil(L, 1);
      lua_pop(L, 1);
      if (again) lua_getfield(L, -1, "text");
      lua_remove(L, again ? -2 : -1);
    } else {
      lua_pop(L, 1);
    }
    if (again) {
      luaL_addvalue(&b);
    } else {
      luaL_tolstring(L, 1, NULL);
      luaL_addvalue(&b);
    }
    luaL_addstring(&b, "\n  in Lua host function ");
    luaL_addstring(&b, name);
    if (!lua_isnil(L, 2)) {
      luaL_addchar(&b, '\n');
      lua_pushvalue(L, 2);
      luaL_addvalue(&b);
    }
  }
  size_t n = bt ? mw_error_frame_count(bt) : 0;
  for (size_t i = 0; i < n; i++) add_wasm_frame(L, 4, &b, mw_error_frame(bt, i));
  luaL_pushresult(&b);
  if (object) {
    lua_setfield(L, 1, "traceback");
    if (!lua_isnil(L, 2)) {
      lua_getfield(L, 1, "lua_traceback");
      bool has = !lua_isnil(L, -1);
      lua_pop(L, 1);
      if (!has) {
        lua_pushvalue(L, 2);
        lua_setfield(L, 1, "lua_traceback");
      }
    }
  } else {
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "value");
    lua_insert(L, -2);
    lua_setfield(L, -2, "text");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &last_noted_key);
  }
  return 0;
}

void mwl_host_error_context(lua_State *L, mwl_obj *h, const mw_caller *caller) {
  if (!lua_checkstack(L, 8)) return;
  mw_error *bt = mw_caller_backtrace(caller);
  int v = lua_gettop(L);
  lua_pushcfunction(L, context_body);
  lua_pushvalue(L, v);
  lua_pushlightuserdata(L, h);
  lua_pushlightuserdata(L, (void *)caller);
  if (bt) lua_pushlightuserdata(L, bt);
  else lua_pushnil(L);
  lua_pcall(L, 4, 0, 0) == LUA_OK ? (void)0 : lua_pop(L, 1);
  mw_error_free(bt);
}

/** `core.traceback(err)`: the whole story of an error: for an error
 * object, its text (tostring) and the Lua traceback of the host function
 * that raised it; for any other value a Lua host function raised, its
 * text, the host function, the Lua traceback and the wasm frames it went
 * through (for the last such value); else tostring(err).
 * @function traceback */
static int core_traceback(lua_State *L) {
  lua_settop(L, 1);
  if (is_error_object(L, 1)) {
    luaL_tolstring(L, 1, NULL);
    lua_getfield(L, 1, "lua_traceback");
    if (lua_isstring(L, -1)) {
      lua_pushliteral(L, "\n");
      lua_insert(L, -2);
      lua_concat(L, 3);
    } else {
      lua_pop(L, 1);
    }
    return 1;
  }
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &last_noted_key) == LUA_TTABLE) {
    lua_getfield(L, -1, "value");
    if (lua_rawequal(L, -1, 1) && !lua_isnil(L, 1)) {
      lua_getfield(L, -2, "text");
      return 1;
    }
  }
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* ---------------------------------------------------------------- profiles */

static void push_func_name(lua_State *L, const mw_profile_func *f) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (f->module) {
    luaL_addlstring(&b, f->module, f->module_len);
    luaL_addchar(&b, '.');
  }
  if (f->name) {
    luaL_addlstring(&b, f->name, f->name_len);
  } else {
    char text[32];
    snprintf(text, sizeof text, "func[%u]", (unsigned)f->index);
    luaL_addstring(&b, text);
  }
  luaL_pushresult(&b);
}

/** `store:start_profile()`: profile what the store runs from now on (see
 * `store:profile()`); a new profile replaces the last.
 * @function start_profile */
static int store_start_profile(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mw_error *err = mw_store_profile(S->s, true);
  if (err) return mwl_raise(L, err);
  return 0;
}

/** `store:stop_profile()`: stop profiling; the profile stays readable.
 * @function stop_profile */
static int store_stop_profile(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mw_store_profile(S->s, false);
  return 0;
}

/** `store:profile()`: the profile so far: `{functions = {...}, stacks =
 * {...}}`.  Each function: `{name = "module.func", func = index, calls =
 * n, instructions = n, self_time = seconds, total_time = seconds}`
 * (instructions are counted by code compiled for it: `wasm.config{
 * statistics = {instructions = true}}` or `fuel = true`), in the order
 * first seen.  Each stack: `{frames = {"outer", ...,
 * "inner"}, time = seconds}`.  Time is sampled at loop iterations and
 * calls.  nil if the store never profiled.
 * @function profile */
static int store_profile(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  size_t nf = mw_store_profile_funcs(S->s, NULL, 0);
  size_t ns = mw_store_profile_stack_count(S->s);
  if (nf == 0 && ns == 0) {
    lua_pushnil(L);
    return 1;
  }
  mw_profile_func *fs = (mw_profile_func *)lua_newuserdatauv(L, (nf + 1) * sizeof *fs, 0); /* 2 */
  mw_store_profile_funcs(S->s, fs, nf);
  lua_createtable(L, 0, 2); /* 3 */
  lua_createtable(L, (int)nf, 0); /* 4: functions, by id */
  lua_createtable(L, (int)nf, 0); /* 5: names, by id */
  for (size_t i = 0; i < nf; i++) {
    lua_createtable(L, 0, 6);
    push_func_name(L, &fs[i]);
    lua_pushvalue(L, -1);
    lua_rawseti(L, 5, (lua_Integer)i + 1);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, fs[i].index);
    lua_setfield(L, -2, "func");
    lua_pushinteger(L, (lua_Integer)fs[i].calls);
    lua_setfield(L, -2, "calls");
    lua_pushinteger(L, (lua_Integer)fs[i].instructions);
    lua_setfield(L, -2, "instructions");
    lua_pushnumber(L, (lua_Number)fs[i].self_ns * 1e-9);
    lua_setfield(L, -2, "self_time");
    lua_pushnumber(L, (lua_Number)fs[i].total_ns * 1e-9);
    lua_setfield(L, -2, "total_time");
    lua_rawseti(L, 4, (lua_Integer)i + 1);
  }
  lua_pushvalue(L, 4);
  lua_setfield(L, 3, "functions");
  lua_createtable(L, (int)ns, 0); /* 6: stacks */
  uint32_t inline_ids[64];
  for (size_t i = 0; i < ns; i++) {
    uint64_t t = 0;
    size_t depth = mw_store_profile_stack(S->s, i, NULL, 0, &t);
    uint32_t *ids = depth <= 64 ? inline_ids
                                : (uint32_t *)lua_newuserdatauv(L, depth * sizeof *ids, 0);
    mw_store_profile_stack(S->s, i, ids, depth, &t);
    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)depth, 0);
    for (size_t k = 0; k < depth; k++) {
      lua_rawgeti(L, 5, (lua_Integer)ids[k] + 1);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "frames");
    lua_pushnumber(L, (lua_Number)t * 1e-9);
    lua_setfield(L, -2, "time");
    lua_rawseti(L, 6, (lua_Integer)i + 1);
    if (ids != inline_ids) lua_pop(L, 1);
  }
  lua_setfield(L, 3, "stacks");
  lua_settop(L, 3);
  return 1;
}

static const luaL_Reg hostctl_store_methods[] = {
    {"start_profile", store_start_profile},
    {"stop_profile", store_stop_profile},
    {"profile", store_profile},
    {"interrupt_on_sigint", store_interrupt_on_sigint},
    {"interrupt", store_interrupt},
    {"set_deadline", store_set_deadline},
    {"set_fuel", store_set_fuel},
    {"fuel", store_fuel},
    {"set_refuel", store_set_refuel},
    {NULL, NULL}};

/* Add the methods to moonwasm.Store (after mwl_open_stores). */
void mwl_register_hostctl(lua_State *L) {
  lua_pushcfunction(L, core_sigint_count);
  lua_setfield(L, -2, "sigint_count");
  lua_pushcfunction(L, core_traceback);
  lua_setfield(L, -2, "traceback");
}

void mwl_open_hostctl(lua_State *L) {
  luaL_getmetatable(L, MWL_STORE);
  lua_getfield(L, -1, "__index");
  luaL_setfuncs(L, hostctl_store_methods, 0);
  lua_pop(L, 2);
}
