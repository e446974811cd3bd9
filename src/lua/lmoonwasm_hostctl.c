/*
 * lmoonwasm_hostctl.c -- host control from Lua: interrupting a running
 * guest, deadlines and fuel (store methods added to moonwasm.Store).
 *
 * The refuel callbacks live in a table of this file (weak keys: the store
 * userdata), anchored in the registry, so the store's own user values do
 * not change shape.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdint.h>
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

static const luaL_Reg hostctl_store_methods[] = {
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
}

void mwl_open_hostctl(lua_State *L) {
  luaL_getmetatable(L, MWL_STORE);
  lua_getfield(L, -1, "__index");
  luaL_setfuncs(L, hostctl_store_methods, 0);
  lua_pop(L, 2);
}
