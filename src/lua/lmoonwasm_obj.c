/*
 * lmoonwasm_obj.c -- the runtime objects seen from Lua: functions (wasm and
 * host), calls in both directions, the caller object, memories, tables and
 * globals.
 *
 * Lua -> wasm: arguments are checked and converted first (arity, types,
 * integral numbers), then mw_func_call runs with the calling thread noted
 * in the per-state `current`, so a host function knows which Lua thread to
 * run on.
 *
 * Signatures of numbers only (most calls) take the fast paths of
 * lmoonwasm_call.c both ways: raw slots, one protected call per host call.
 *
 * wasm -> Lua otherwise: the trampoline runs three protected calls in sequence --
 * prepare (push the Lua function and arguments), the Lua function itself,
 * finish (check and convert the results) -- so only one Lua C level nests
 * per re-entry and no Lua error can escape into the interpreter.  A failure
 * becomes an mw_error (mwl_lua_failure): usually a host error whose
 * host_data anchors the Lua value, which the outermost binding call raises
 * again unchanged.
 *
 * Re-entry depth: each wasm -> Lua -> wasm round trip costs one Lua C
 * level (the trampoline's lua_pcall of the host function; calling wasm
 * from Lua is a C function called by the Lua VM, which nests none), so
 * Lua's limit (LUAI_MAXCCALLS, 200) allows about 195 levels.  The runtime's
 * max_host_depth (150 by default) stops earlier with "call stack
 * exhausted"; raised above what Lua allows, Lua's "C stack overflow"
 * becomes the same exhaustion error object.
 *
 * WASI exits: proc_exit unwinds as MW_ERR_EXIT.  The outermost binding call
 * (no other call into the runtime in progress in this Lua state) returns
 * normally, without results; a nested one raises an error object of kind
 * "exit" that unwinds the Lua host function above it and that the
 * trampoline turns back into MW_ERR_EXIT.
 */
/** Functions, calls, memories, tables and globals.
 * @module moonwasm.core */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "lmoonwasm.h"

/* ---------------------------------------------------------------- common */

static void obj_release(lua_State *L, int idx);

/* Make `o` a host object: its C object is ours to free (obj_release). */
static void make_host(mwl_obj *o) {
  o->host = true;
  o->life.release = obj_release;
  o->life.holders_uv = MWL_OBJ_HOLDERS;
  o->life.keep_uv = o->kind == MW_EXTERN_TABLE || o->kind == MW_EXTERN_GLOBAL
                        ? MWL_OBJ_DATA
                        : 0;
}

/* A new object userdata for kind/p; `owner_idx` (0: none) is the owner
 * store's userdata, `owner` its struct. */
mwl_obj *mwl_newobj(lua_State *L, mw_extern_kind kind, void *p,
                    mwl_store *owner, int owner_idx) {
  mwl_state *st = mwl_getstate(L);
  if (owner_idx) owner_idx = lua_absindex(L, owner_idx);
  mwl_obj *o = (mwl_obj *)lua_newuserdatauv(L, sizeof *o, MWL_OBJ_NUV);
  memset(o, 0, sizeof *o);
  o->p = p;
  o->kind = kind;
  o->owner = owner;
  o->st = st;
  luaL_setmetatable(L, mwl_kinds[kind].tname);
  if (owner_idx) {
    lua_pushvalue(L, owner_idx);
    lua_setiuservalue(L, -2, MWL_OBJ_OWNER);
  }
  return o;
}

/* The object at idx (self), which must be a `tname` still open, in an open
 * store. */
mwl_obj *mwl_checkobj(lua_State *L, int idx, const char *tname) {
  mwl_obj *o = (mwl_obj *)mwl_checkself(L, idx, tname);
  if (o->life.closed || !o->p)
    mwl_usage(L, "attempt to use a closed %s", mwl_kinds[o->kind].noun);
  mwl_checkownerstore(L, o);
  return o;
}

mwl_store *mwl_checkownerstore(lua_State *L, mwl_obj *o) {
  if (o->owner && (o->owner->life.closed || !o->owner->s))
    mwl_usage(L, "attempt to use a closed store");
  return o->owner;
}

/* Push what holds the contents of object `o` at idx (the funcrefs stored
 * in it): the object itself (host or foreign) or its owner store. */
static void push_holder(lua_State *L, mwl_obj *o, int idx) {
  if (o->host || !o->owner)
    lua_pushvalue(L, idx);
  else
    lua_getiuservalue(L, idx, MWL_OBJ_OWNER);
}

/* mwl_life.release of host objects: free the C object, forget it in the
 * map. */
static void obj_release(lua_State *L, int idx) {
  mwl_obj *o = (mwl_obj *)lua_touserdata(L, idx);
  if (o->fnref) mwl_fn_unregister(L, o);
  if (!o->p) return;
  mwl_map_clear(L, o->p, o);
  switch (o->kind) {
  case MW_EXTERN_FUNC: mw_func_free((mw_func *)o->p); break;
  case MW_EXTERN_TABLE: mw_table_free((mw_table *)o->p); break;
  case MW_EXTERN_MEMORY: mw_memory_free((mw_memory *)o->p); break;
  case MW_EXTERN_GLOBAL: mw_global_free((mw_global *)o->p); break;
  case MW_EXTERN_TAG: mw_tag_free((mw_tag *)o->p); break;
  }
  o->p = NULL;
}

/** Release the object early; later use raises "attempt to use a closed ...".
 * A host object stays alive for the stores that imported it (and tables
 * and globals holding it), and a host function that is running finishes
 * first: its C object is freed when nothing uses it any more.  Closing
 * twice is fine.  `__close` and `__gc` do the same (so calling __gc by hand
 * is harmless).
 * @function close */
static int obj_close(lua_State *L) {
  mwl_obj *o = mwl_testobj(L, 1);
  if (!o) return mwl_usage(L, "bad self: expected a moonwasm object, got %s",
                           mwl_typename(L, 1));
  if (o->host) {
    mwl_close(L, 1);
  } else if (!o->life.closed) { /* exported: the store keeps the C object */
    o->life.closed = true;
    if (o->p) mwl_map_clear(L, o->p, o);
  }
  return 0;
}

static int obj_gc(lua_State *L) {
  if (mwl_testobj(L, 1)) obj_close(L);
  return 0;
}

static int obj_tostring(lua_State *L) {
  mwl_obj *o = mwl_testobj(L, 1);
  if (!o) return mwl_usage(L, "bad self: expected a moonwasm object, got %s",
                           mwl_typename(L, 1));
  lua_getiuservalue(L, 1, MWL_OBJ_NAME);
  const char *name = lua_tostring(L, -1);
  lua_pushfstring(L, "%s%s%s%s: %p%s", mwl_kinds[o->kind].tname,
                  name ? " \"" : "", name ? name : "", name ? "\"" : "",
                  lua_topointer(L, 1), o->life.closed ? " (closed)" : "");
  return 1;
}

/* ---------------------------------------------------------------- calls */

static mw_store *scratch_store(lua_State *L) {
  mwl_state *st = mwl_getstate(L);
  if (!st->scratch) st->scratch = mw_store_new(&st->cfg);
  if (!st->scratch) mwl_raise_kind(L, "exhaustion", "out of memory");
  return st->scratch;
}

static double now(void) {
#ifdef CLOCK_MONOTONIC
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#endif
  return (double)clock() / CLOCKS_PER_SEC;
}

/* Around every binding call into the runtime (calls, instantiation,
 * wasi:start) that runs in store S (NULL: the scratch store): note the
 * calling thread for host functions, count the nesting, mark S busy and,
 * with statistics.time, time its outermost call (wall-clock time,
 * CLOCK_MONOTONIC, host functions included). */
void mwl_enter(lua_State *L, mwl_store *S, mwl_entry *e) {
  if (S) {
    mwl_enter_store(L, S, e);
    return;
  }
  mwl_state *st = mwl_getstate(L);
  e->st = st;
  e->prev = st->current;
  st->current = L;
  st->depth++;
}

/* The other end of mwl_enter.  True if this was the outermost call in
 * this Lua state. */
bool mwl_leave(mwl_store *S, mwl_entry *e) {
  if (S) return mwl_leave_store(S, e);
  mwl_state *st = e->st;
  st->current = e->prev;
  st->depth--;
  return st->depth == 0;
}

double mwl_now(void) { return now(); }

/* After a call in S has left the runtime and its results or error are on
 * the Lua stack: once S runs nothing, note that WASI guests in it have run
 * (`ran`: it returned, or exited with the MW_ERR_EXIT `exit`), and free S
 * if it was closed meanwhile (its __gc called by a host function). */
void mwl_settle_slow(lua_State *L, mwl_store *S, bool ran, const mw_error *exit) {
  bool tell = ran && S->has_wasi && (exit || !S->wasi_ran);
  if (!mwl_pushstore_of(L, S->s)) {
    lua_pop(L, 1);
    return;
  }
  if (tell) {
    mwl_wasi_ran(L, lua_gettop(L), exit);
    S->wasi_ran = true;
  }
  mwl_release(L, -1);
  lua_pop(L, 1);
}

/* The name of the function mwl_call calls, for its messages: `name`, or
 * that of the Func at index 1 (pushed). */
static const char *call_name(lua_State *L, const char *name) {
  if (name) return name;
  mwl_obj *o = (mwl_obj *)lua_touserdata(L, 1);
  lua_getiuservalue(L, 1, MWL_OBJ_NAME);
  name = lua_tostring(L, -1);
  return name ? name : o->host ? "host function" : "wasm function";
}

/* Call f with the values from stack index `first` on; push its results.
 * S is the store it runs in (NULL: a host function called from Lua runs
 * in the scratch store).  `name` is for messages (NULL: the name of the
 * Func at index 1, looked up only to raise).  A WASI exit reaching the
 * outermost call returns no results (see the top). */
int mwl_call(lua_State *L, int first, mw_func *f, mwl_store *S,
             const char *name, bool bits) {
  int nargs = lua_gettop(L) - first + 1;
  const mw_functype *t = mw_func_type(f);
  size_t np = mw_functype_param_count(t), nr = mw_functype_result_count(t);
  if (nargs < 0 || (size_t)nargs != np) {
    name = call_name(L, name);
    return mwl_usage(L, "%s: expected %d argument%s, got %d", name, (int)np,
                     np == 1 ? "" : "s", nargs < 0 ? 0 : nargs);
  }
  mw_val inline_vals[2 * MWL_INLINE_VALUES];
  mw_val *args = inline_vals;
  if (np + nr > 2 * MWL_INLINE_VALUES)
    args = (mw_val *)lua_newuserdatauv(L, (np + nr) * sizeof *args, 0);
  mw_val *results = args + np;
  int holder = 0;
  /* gc: references made for the arguments are nowhere the collector looks
   * until the call starts */
  mw_store *gs = S && S->s ? S->s : scratch_store(L);
  mw_store_gc_pause(gs, true);
  for (size_t i = 0; i < np; i++) {
    int idx = first + (int)i;
    if (!mwl_toval_ft(L, idx, t, mw_functype_param(t, i), &args[i], bits, gs)) {
      mw_store_gc_pause(gs, false);
      const char *why = lua_tostring(L, -1);
      name = call_name(L, name);
      return mwl_usage(L, "%s: argument %d: %s", name, (int)i + 1, why);
    }
    if (S && args[i].type == MW_FUNCREF && args[i].of.funcref &&
        ((mwl_obj *)lua_touserdata(L, idx))->owner != S) {
      /* wasm may store the reference: the store must keep its owner */
      if (!holder) {
        mwl_pushstore_of(L, S->s);
        holder = lua_gettop(L);
      }
      mwl_hold(L, holder, idx);
    }
  }
  mw_store_gc_pause(gs, false);
  luaL_checkstack(L, (int)nr + 4, "too many results");
  /* converting may have run finalizers: S is checked again */
  if (S && (S->life.closed || !S->s))
    return mwl_usage(L, "attempt to use a closed store");
  /* In a coroutine, a wasm function runs as a fiber: its Lua host
   * functions may yield (lmoonwasm_fiber.c). */
  if (S && lua_isyieldable(L) && mw_func_instance(f))
    return mwl_fiber_call(L, f, S, args, np, bits);
  mw_store *s = S ? S->s : scratch_store(L);
  mwl_entry e;
  mwl_enter(L, S, &e);
  mw_error *err = mw_func_call(s, f, args, np, results, nr);
  bool outermost = mwl_leave(S, &e);
  if (err) return mwl_call_failed(L, S, err, outermost);
  for (size_t i = 0; i < nr; i++) mwl_pushval_ft(L, results[i], t, bits, S, s);
  mwl_settle(L, S, true, NULL);
  return (int)nr;
}

/* The end of a call into the runtime that failed with err (taken). */
int mwl_call_failed(lua_State *L, mwl_store *S, mw_error *err, bool outermost) {
  if (outermost && mw_error_kind_of(err) == MW_ERR_EXIT) {
    mwl_settle(L, S, true, err);
    mw_error_free(err);
    return 0;
  }
  mwl_pusherr(L, err);
  mwl_settle(L, S, false, NULL);
  return lua_error(L);
}

static int func_call_impl(lua_State *L, bool bits) {
  /* lmoonwasm_call.c: an open Func of numbers only, straight to raw
   * slots */
  int n = mwl_func_call_quick(L, bits);
  if (n >= 0) return n;
  /* a Func whose signature the fast path refused goes straight on (its
   * quick check is a few instructions, mwl_checkobj's a registry lookup);
   * anything else, a closed function or store included, gets
   * mwl_checkobj's message */
  mwl_obj *o = mwl_func_quick_check(L);
  if (!o) o = mwl_checkobj(L, 1, MWL_FUNC);
  return mwl_call(L, 2, (mw_func *)o->p, o->owner, NULL, bits);
}

/*** Functions: exported by an instance, or made with `wasm.func`.
 * Call one like a Lua function: `fn(...)`.
 * @type Func */

/** `fn(...)`: call with converted arguments, return the results.
 * @function __call */
/** `fn:call(...)`: the same as `fn(...)` (one C function for both).
 * @function call */
static int func_call(lua_State *L) { return func_call_impl(L, false); }

/** `fn:call_bits(...)`: f32/f64 arguments given as integers are bit
 * patterns, f32/f64 results come back as integer bit patterns (f32 as
 * 0..0xFFFFFFFF, f64 as the int64 with those bits).
 * @function call_bits */
static int func_call_bits(lua_State *L) { return func_call_impl(L, true); }

/** `fn:type()`: the function type, e.g. `(func (param i32) (result i32))`.
 * @function type */
static int func_type(lua_State *L) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_FUNC);
  mwl_pushfunctype(L, mw_func_type((mw_func *)o->p));
  return 1;
}

/** `fn:is_host()`: true for a host (Lua) function.
 * @function is_host */
static int func_is_host(lua_State *L) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_FUNC);
  lua_pushboolean(L, mw_func_instance((mw_func *)o->p) == NULL);
  return 1;
}

/* ---------------------------------------------------------------- host functions */

typedef mwl_hostcall hostcall; /* lmoonwasm.h: the fiber path uses it too */

/* Push the host function's userdata; raise if it is gone. */
static void push_host_ud(lua_State *L, mwl_obj *h) {
  mwl_map_get(L, h->p);
  if (lua_touserdata(L, -1) != h)
    luaL_error(L, "moonwasm: the Lua object of a host function is gone");
}

/* The name used in messages about host function h (pushed). */
static const char *push_host_name(lua_State *L, mwl_obj *h) {
  push_host_ud(L, h);
  lua_getiuservalue(L, -1, MWL_OBJ_NAME);
  lua_remove(L, -2);
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "host function");
  }
  return lua_tostring(L, -1);
}

/* Push the Caller (or nil: the anchor, see host_trampoline), the Lua
 * function and its arguments. */
int mwl_host_prepare(lua_State *L) {
  hostcall *hc = (hostcall *)lua_touserdata(L, 1);
  mwl_obj *h = hc->h;
  lua_pushnil(L);
  push_host_ud(L, h);
  lua_getiuservalue(L, -1, MWL_OBJ_DATA);
  lua_remove(L, -2);
  if (h->with_caller) {
    mwl_caller *c = (mwl_caller *)lua_newuserdatauv(L, sizeof *c, 1);
    c->c = hc->caller;
    c->st = h->st;
    luaL_setmetatable(L, MWL_CALLER);
    lua_copy(L, -1, 2);
    hc->cobj = c;
  }
  size_t np = mw_functype_param_count(hc->type);
  luaL_checkstack(L, (int)np + 2, "too many arguments");
  mwl_store *hint = NULL;
  for (size_t i = 0; i < np; i++) {
    if (hc->args[i].type == MW_FUNCREF && !hint) {
      hint = mwl_pushstore_of(L, mw_caller_store(hc->caller));
      lua_pop(L, 1); /* it is running: something else holds it */
    }
    mwl_pushval_ft(L, hc->args[i], hc->type, false, hint, mw_caller_store(hc->caller));
  }
  return lua_gettop(L) - 1;
}

/* Run mwl_host_finish (in protection) on the host's results, which lie
 * above top + 1; the stack keeps the function's slots up to top + 1. */
int mwl_host_finish_at(lua_State *L, int top, mwl_hostcall *hc) {
  if (!lua_checkstack(L, 3)) {
    lua_settop(L, top + 1);
    lua_pushliteral(L, "Lua stack overflow");
    return LUA_ERRRUN;
  }
  lua_pushcfunction(L, mwl_host_finish);
  lua_insert(L, top + 2);
  lua_pushlightuserdata(L, hc);
  return lua_pcall(L, lua_gettop(L) - top - 2, 0, 0);
}

int mwl_host_finish(lua_State *L) {
  int n = lua_gettop(L) - 1;
  hostcall *hc = (hostcall *)lua_touserdata(L, n + 1);
  size_t nr = mw_functype_result_count(hc->type);
  if ((size_t)n != nr) {
    const char *name = push_host_name(L, hc->h);
    return mwl_raise_kind(L, "host", "%s returned %d value%s, expected %d",
                          name, n, n == 1 ? "" : "s", (int)nr);
  }
  mw_store *gs = mw_caller_store(hc->caller);
  if (gs) mw_store_gc_pause(gs, true); /* as for call arguments */
  for (size_t i = 0; i < nr; i++) {
    mw_valtype t = mw_functype_result(hc->type, i);
    if (!mwl_toval_ft(L, (int)i + 1, hc->type, t, &hc->results[i], false, gs)) {
      if (gs) mw_store_gc_pause(gs, false);
      const char *why = lua_tostring(L, -1);
      const char *name = push_host_name(L, hc->h);
      return mwl_raise_kind(L, "host", "%s: result %d: %s", name, (int)i + 1,
                            why);
    }
    if (hc->results[i].type == MW_FUNCREF && hc->results[i].of.funcref) {
      if (mwl_pushstore_of(L, mw_caller_store(hc->caller)))
        mwl_hold(L, -1, (int)i + 1);
      lua_pop(L, 1);
    }
  }
  if (gs) mw_store_gc_pause(gs, false);
  return 0;
}

/* wasm calling a Lua host function.  The stack above `top` holds, in
 * turn: the Caller object (or nil), kept there until the Caller is
 * invalidated whatever the Lua function did with its own reference; the
 * function and its arguments, then its results. */
mw_error *mwl_host_trampoline(mw_caller *caller, const mw_val *args,
                              mw_val *results, void *userdata) {
  mwl_obj *h = (mwl_obj *)userdata;
  /* lmoonwasm_fiber.c: called by a fiber's own code, suspend it: the
   * binding runs the Lua function where it may yield. */
  if (mw_caller_can_suspend(caller)) return mw_caller_suspend(caller);
  lua_State *L = h->st->current;
  if (!L)
    return mw_error_new(MW_ERR_HOST, "a Lua host function was called from "
                                     "outside any Lua call");
  hostcall hc;
  memset(&hc, 0, sizeof hc);
  hc.h = h;
  hc.caller = caller;
  hc.args = args;
  hc.results = results;
  hc.type = mw_func_type((mw_func *)h->p);
  if (!lua_checkstack(L, 8))
    return mw_error_new(MW_ERR_EXHAUSTION, "Lua stack overflow");
  int top = lua_gettop(L);
  h->life.busy++; /* closing it now must not free it under the runtime */
  lua_pushcfunction(L, mwl_host_prepare);
  lua_pushlightuserdata(L, &hc);
  int rc = lua_pcall(L, 1, LUA_MULTRET, 0);
  if (rc != LUA_OK)
    hc.cobj = NULL; /* never reached Lua code: nothing to invalidate */
  else {
    /* lmoonwasm_hostctl.c: a message handler notes the Lua traceback;
     * a failure then gains the wasm frames (mwl_host_error_context). */
    lua_pushcfunction(L, mwl_host_msgh);
    lua_insert(L, top + 2);
    rc = lua_pcall(L, lua_gettop(L) - top - 3, LUA_MULTRET, top + 2);
    if (rc == LUA_OK) lua_remove(L, top + 2);
    else mwl_host_error_context(L, h, caller);
  }
  if (rc == LUA_OK) rc = mwl_host_finish_at(L, top, &hc);
  if (hc.cobj) hc.cobj->c = NULL; /* the anchor at top + 1 still holds it */
  mw_error *err = rc == LUA_OK ? NULL : mwl_lua_failure(L, rc);
  lua_settop(L, top);
  h->life.busy--; /* if closed, freed by the next chance (mwl_release) */
  return err;
}

/* A host Func userdata for the Lua function at fn_idx, not yet backed by
 * a C function (its caller sets `p`): nothing C is held while this may
 * raise. */
static mwl_obj *new_host_obj(lua_State *L, int fn_idx, bool with_caller,
                             int name_idx) {
  fn_idx = lua_absindex(L, fn_idx);
  if (name_idx) name_idx = lua_absindex(L, name_idx);
  mwl_obj *o = mwl_newobj(L, MW_EXTERN_FUNC, NULL, NULL, 0);
  make_host(o);
  o->with_caller = with_caller;
  lua_pushvalue(L, fn_idx);
  lua_setiuservalue(L, -2, MWL_OBJ_DATA);
  if (name_idx) {
    lua_pushvalue(L, name_idx);
    lua_setiuservalue(L, -2, MWL_OBJ_NAME);
  }
  return o;
}

/* The C function of host Func o (for the Lua function at fn_idx): a raw
 * one for the numbers-only signatures of lmoonwasm_call.c.  NULL on out
 * of memory (after the key of the function is taken: obj_release drops
 * it). */
static mw_func *new_host_func(lua_State *L, mwl_obj *o, const mw_functype *t,
                              int fn_idx) {
  if (!mwl_plan(o, t))
    return mw_func_new(&o->st->cfg, t, mwl_host_trampoline, o, NULL);
  mwl_fn_register(L, o, fn_idx);
  return mw_func_new_raw(&o->st->cfg, t, mwl_host_raw, o, NULL);
}

/* Push a host Func for the Lua function at fn_idx with type t (copied). */
void mwl_newhostfunc(lua_State *L, const mw_functype *t, int fn_idx,
                     bool with_caller, int name_idx) {
  mwl_obj *o = new_host_obj(L, fn_idx, with_caller, name_idx);
  o->p = new_host_func(L, o, t, fn_idx);
  if (!o->p) mwl_raise_kind(L, "exhaustion", "out of memory");
  mwl_map_set(L, o->p, -1);
}

/* Read a list of value type names at idx into types[] (a userdata buffer
 * pushed on the stack); returns the count. */
static size_t check_types(lua_State *L, int idx, const char *what,
                          mw_valtype **types) {
  if (lua_isnoneornil(L, idx)) {
    *types = NULL;
    return 0;
  }
  if (!lua_istable(L, idx))
    mwl_usage(L, "func: %s: expected a list of value types, got %s", what,
              mwl_typename(L, idx));
  lua_Integer n = luaL_len(L, idx);
  if (n < 0 || n > MWL_MAX_FUNC_VALUES)
    mwl_usage(L, "%s: at most %d value types", what, MWL_MAX_FUNC_VALUES);
  *types = (mw_valtype *)lua_newuserdatauv(L, (size_t)n * sizeof **types + 1, 0);
  for (lua_Integer i = 0; i < n; i++) {
    lua_geti(L, idx, i + 1);
    (*types)[i] = mwl_valtype_of(L, -1, what);
    lua_pop(L, 1);
  }
  return (size_t)n;
}

/** `core.func(params, results, fn [, with_caller [, name]])`: a host
 * function.  With `with_caller`, fn gets a Caller first.
 * @function func */
static int core_func(lua_State *L) {
  lua_settop(L, 5); /* check_types pushes its buffers above */
  mw_valtype *params, *results;
  size_t np = check_types(L, 1, "params", &params);
  size_t nr = check_types(L, 2, "results", &results);
  if (!lua_isfunction(L, 3))
    return mwl_usage(L, "func: expected a function, got %s",
                     mwl_typename(L, 3));
  bool with_caller = lua_toboolean(L, 4);
  if (!lua_isnoneornil(L, 5)) mwl_checkstring(L, 5, NULL, "func: name");
  mwl_obj *o = new_host_obj(L, 3, with_caller, lua_isstring(L, 5) ? 5 : 0);
  mw_functype *t = mw_functype_new(&o->st->cfg, params, np, results, nr);
  if (t) {
    o->p = new_host_func(L, o, t, 3);
    mw_functype_free(t);
  }
  if (!o->p) return mwl_raise_kind(L, "exhaustion", "out of memory");
  mwl_map_set(L, o->p, -1);
  return 1;
}

/* ---------------------------------------------------------------- caller */

/*** The caller: first argument of a host function made with `caller=true`.
 * Valid only during that call.
 * @type Caller */

static mw_caller *check_caller(lua_State *L) {
  mwl_caller *c = (mwl_caller *)mwl_checkself(L, 1, MWL_CALLER);
  if (!c->c) mwl_usage(L, "attempt to use a caller after its call returned");
  return c->c;
}

/** `caller:memory([name])`: the calling instance's memory 0, or its exported
 * memory `name`; nil when there is none.
 * @function memory */
static int caller_memory(lua_State *L) {
  mw_caller *c = check_caller(L);
  lua_settop(L, 2);
  mwl_store *S = mwl_pushstore_of(L, mw_caller_store(c));
  mw_extern ext;
  ext.kind = MW_EXTERN_MEMORY;
  if (lua_isnoneornil(L, 2)) {
    ext.of.memory = mw_caller_memory(c);
  } else {
    size_t len;
    const char *name = mwl_checkstring(L, 2, &len, "caller:memory: name");
    if (!mw_caller_export(c, name, len, &ext) || ext.kind != MW_EXTERN_MEMORY)
      return mwl_usage(L, "the caller has no exported memory \"%s\"", name);
  }
  mwl_pushextern(L, ext, S, NULL, 0);
  return 1;
}

/** `caller:instance()`: the calling Instance (nil when called from Lua).
 * @function instance */
static int caller_instance(lua_State *L) {
  mw_caller *c = check_caller(L);
  mw_instance *inst = mw_caller_instance(c);
  if (!inst || !mwl_pushinstance(L, inst)) lua_pushnil(L);
  return 1;
}

/** `caller.exports`: the calling instance's exports (also `caller:exports()`).
 * @field exports */
static int caller_index(lua_State *L) {
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  if (key && strcmp(key, "exports") == 0) {
    mw_caller *c = check_caller(L);
    mw_instance *inst = mw_caller_instance(c);
    if (!inst || !mwl_pushinstance(L, inst)) {
      lua_pushnil(L);
      return 1;
    }
    mwl_pushexports(L, -1);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

/* ---------------------------------------------------------------- memory */

/*** Memories: exported, imported, or made with `wasm.memory`.  Offsets are
 * byte offsets; nothing keeps a pointer, so growing is always safe.  An
 * access outside the memory raises a "trap" error "out of bounds memory
 * access" and touches nothing.
 * @type Memory */

static uint8_t *mem_at(lua_State *L, mw_memory *m, int idx, lua_Integer len) {
  lua_Integer off = mwl_checkint(L, idx, "memory: offset");
  size_t size = mw_memory_size(m);
  if (off < 0 || len < 0 || (lua_Unsigned)off > size ||
      (lua_Unsigned)len > size - (size_t)off)
    mwl_raise_kind(L, "trap", "out of bounds memory access");
  uint8_t *data = mw_memory_data(m);
  if (!data) { /* a memory of 0 bytes: only empty accesses get here */
    static const uint8_t nothing[1] = {0};
    return (uint8_t *)nothing;
  }
  return data + off;
}

static mw_memory *check_memory(lua_State *L) {
  return (mw_memory *)mwl_checkobj(L, 1, MWL_MEMORY)->p;
}

/** `mem:read(offset, len)`: `len` bytes as a string.
 * @function read */
static int mem_read(lua_State *L) {
  mw_memory *m = check_memory(L);
  lua_Integer len = mwl_checkint(L, 3, "mem:read: length");
  const uint8_t *p = mem_at(L, m, 2, len);
  lua_pushlstring(L, (const char *)p, (size_t)len);
  return 1;
}

/** `mem:write(offset, str)`: copy the bytes of `str` to `offset`.
 * @function write */
static int mem_write(lua_State *L) {
  mw_memory *m = check_memory(L);
  size_t len;
  const char *s = mwl_checkstring(L, 3, &len, "mem:write: data");
  uint8_t *p = mem_at(L, m, 2, (lua_Integer)len);
  if (len) memcpy(p, s, len);
  return 0;
}

/** `mem:fill(offset, byte, len)`: set `len` bytes to `byte`.
 * @function fill */
static int mem_fill(lua_State *L) {
  mw_memory *m = check_memory(L);
  lua_Integer b = mwl_checkint(L, 3, "mem:fill: byte");
  lua_Integer len = mwl_checkint(L, 4, "mem:fill: length");
  uint8_t *p = mem_at(L, m, 2, len);
  if (len) memset(p, (int)(b & 0xFF), (size_t)len);
  return 0;
}

/** `mem:size()`: the size in 64 KiB pages.
 * @function size */
static int mem_size(lua_State *L) {
  lua_pushinteger(L, mw_memory_pages(check_memory(L)));
  return 1;
}

/** `mem:bytes()`: the size in bytes.
 * @function bytes */
static int mem_bytes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)mw_memory_size(check_memory(L)));
  return 1;
}

/** `mem:grow(pages)`: the old size in pages, or nil and a message when the
 * memory cannot grow (past its maximum or the configured limit).  A
 * negative or non-integer count is a usage error.
 * @function grow */
static int mem_grow(lua_State *L) {
  mw_memory *m = check_memory(L);
  lua_Integer d = mwl_checkint(L, 2, "mem:grow: pages");
  if (d < 0)
    return mwl_usage(L, "mem:grow: expected a page count >= 0, got %I",
                     (LUAI_UACINT)d);
  int64_t old = d > (lua_Integer)UINT32_MAX ? -1 : mw_memory_grow(m, (uint32_t)d);
  if (old < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "memory cannot grow by %I pages", (LUAI_UACINT)d);
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)old);
  return 1;
}

/** `mem:type()`: `{kind="memory", min=<current pages>, max=}`.
 * @function type */
static int mem_type(lua_State *L) {
  mw_externtype et;
  et.kind = MW_EXTERN_MEMORY;
  et.of.memory = mw_memory_type(check_memory(L));
  mwl_pushexterntype(L, &et);
  return 1;
}

static uint64_t load_le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static void store_le(uint8_t *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++, v >>= 8) p[i] = (uint8_t)v;
}

/* The value to store with mem:set_<name>: an integer (wrapped to the
 * width), else a usage error naming the type and the bad value. */
static lua_Integer check_intval(lua_State *L, int idx, const char *name) {
  lua_Integer n;
  if (!mwl_getint(L, idx, &n)) {
    mwl_pushbadvalue(L, idx, name, true);
    mwl_usage(L, "mem:set_%s: %s", name, lua_tostring(L, -1));
  }
  return n;
}

/* Typed access: get_X(offset) and set_X(offset, value), little-endian.
 * Values wrap to the width, as wasm stores do; u64 is i64 under another
 * name (Lua integers are 64-bit two's complement, so a u64 above 2^63-1
 * reads as a negative integer). */
#define MEM_INT_ACCESSORS(name, n, ctype)                                   \
  static int mem_get_##name(lua_State *L) {                                 \
    mw_memory *m = check_memory(L);                                         \
    const uint8_t *p = mem_at(L, m, 2, n);                                  \
    lua_pushinteger(L, (lua_Integer)(ctype)load_le(p, n));                  \
    return 1;                                                               \
  }                                                                         \
  static int mem_set_##name(lua_State *L) {                                 \
    mw_memory *m = check_memory(L);                                         \
    uint64_t v = (uint64_t)check_intval(L, 3, #name);                       \
    store_le(mem_at(L, m, 2, n), v, n);                                     \
    return 0;                                                               \
  }
MEM_INT_ACCESSORS(i8, 1, int8_t)
MEM_INT_ACCESSORS(u8, 1, uint8_t)
MEM_INT_ACCESSORS(i16, 2, int16_t)
MEM_INT_ACCESSORS(u16, 2, uint16_t)
MEM_INT_ACCESSORS(i32, 4, int32_t)
MEM_INT_ACCESSORS(u32, 4, uint32_t)
MEM_INT_ACCESSORS(i64, 8, int64_t)
MEM_INT_ACCESSORS(u64, 8, int64_t)

static int mem_get_f32(lua_State *L) {
  mw_memory *m = check_memory(L);
  mw_val v = mw_val_f32_bits((uint32_t)load_le(mem_at(L, m, 2, 4), 4));
  lua_pushnumber(L, (lua_Number)mw_val_as_f32(v));
  return 1;
}

static lua_Number check_floatval(lua_State *L, int idx, const char *name) {
  if (lua_type(L, idx) != LUA_TNUMBER) {
    mwl_pushbadvalue(L, idx, name, false);
    mwl_usage(L, "mem:set_%s: %s", name, lua_tostring(L, -1));
  }
  return lua_tonumber(L, idx);
}

static int mem_set_f32(lua_State *L) {
  mw_memory *m = check_memory(L);
  mw_val v = mw_val_f32((float)check_floatval(L, 3, "f32"));
  store_le(mem_at(L, m, 2, 4), v.of.f32_bits, 4);
  return 0;
}

static int mem_get_f64(lua_State *L) {
  mw_memory *m = check_memory(L);
  mw_val v = mw_val_f64_bits(load_le(mem_at(L, m, 2, 8), 8));
  lua_pushnumber(L, (lua_Number)mw_val_as_f64(v));
  return 1;
}

static int mem_set_f64(lua_State *L) {
  mw_memory *m = check_memory(L);
  mw_val v = mw_val_f64((double)check_floatval(L, 3, "f64"));
  store_le(mem_at(L, m, 2, 8), v.of.f64_bits, 8);
  return 0;
}

/** `core.memory(min [, max])`: a host memory (pages).
 * @function memory */
/* The address type argument at idx: nil or "i32" (false), "i64" (true). */
static bool check_index_type(lua_State *L, int idx, const char *what) {
  if (lua_isnoneornil(L, idx)) return false;
  const char *s = lua_tostring(L, idx);
  if (lua_type(L, idx) != LUA_TSTRING || (strcmp(s, "i32") != 0 && strcmp(s, "i64") != 0))
    mwl_usage(L, "%s: index must be \"i32\" or \"i64\"", what);
  return strcmp(s, "i64") == 0;
}

static int core_memory(lua_State *L) {
  lua_Integer min = mwl_checkint(L, 1, "memory: min");
  lua_Integer max = mwl_optint(L, 2, "memory: max", -1);
  bool is64 = check_index_type(L, 3, "memory");
  if (min < 0 || min > 65536)
    return mwl_usage(L, "memory: min must be 0..65536 pages, got %I",
                     (LUAI_UACINT)min);
  if (!lua_isnoneornil(L, 2) && (max < min || max > 65536))
    return mwl_usage(L, "memory: max must be min..65536 pages, got %I",
                     (LUAI_UACINT)max);
  mwl_obj *o = mwl_newobj(L, MW_EXTERN_MEMORY, NULL, NULL, 0);
  make_host(o);
  mw_memtype mt;
  memset(&mt, 0, sizeof mt);
  mt.limits.is64 = is64;
  mt.limits.min = (uint32_t)min;
  mt.limits.has_max = max >= 0;
  mt.limits.max = max >= 0 ? (uint32_t)max : 0;
  o->p = mw_memory_new(&o->st->cfg, mt);
  if (!o->p)
    return mwl_raise_kind(L, "exhaustion",
                          "cannot allocate a memory of %I pages",
                          (LUAI_UACINT)min);
  mwl_map_set(L, o->p, -1);
  return 1;
}

/* ---------------------------------------------------------------- table */

/*** Tables: exported, imported, or made with `wasm.table`.  Indices start
 * at 0, as in wasm.
 * @type Table */

static mwl_obj *check_table(lua_State *L) {
  return mwl_checkobj(L, 1, MWL_TABLE);
}

static uint32_t check_index(lua_State *L, int idx, uint32_t size) {
  lua_Integer i = mwl_checkint(L, idx, "table: index");
  if (i < 0 || i >= (lua_Integer)size)
    mwl_raise_kind(L, "trap", "out of bounds table access");
  return (uint32_t)i;
}

/* Convert the value at idx for a container of type t (`what` names the
 * operation in messages); keep a funcref alive through the holder of
 * object o (at index 1). */
static mw_val check_elem(lua_State *L, mwl_obj *o, int idx, mw_valtype t,
                         bool bits, const char *what) {
  mw_val v;
  if (!mwl_toval(L, idx, t, &v, bits))
    mwl_usage(L, "%s: %s", what, lua_tostring(L, -1));
  if (v.type == MW_FUNCREF && v.of.funcref) {
    push_holder(L, o, 1);
    mwl_hold(L, -1, idx);
    lua_pop(L, 1);
  }
  return v;
}

/** `tab:size()`: the number of elements.
 * @function size */
static int tab_size(lua_State *L) {
  lua_pushinteger(L, mw_table_size((mw_table *)check_table(L)->p));
  return 1;
}

/** `tab:get(i)`: element i: a Func or nil (funcref), any Lua value or nil
 * (externref).
 * @function get */
static int tab_get(lua_State *L) {
  mwl_obj *o = check_table(L);
  mw_table *t = (mw_table *)o->p;
  uint32_t i = check_index(L, 2, mw_table_size(t));
  mw_val v;
  mw_table_get(t, i, &v);
  mwl_pushval(L, v, false, o->owner);
  return 1;
}

/** `tab:set(i, v)`: set element i.
 * @function set */
static int tab_set(lua_State *L) {
  mwl_obj *o = check_table(L);
  mw_table *t = (mw_table *)o->p;
  uint32_t i = check_index(L, 2, mw_table_size(t));
  mw_val v = check_elem(L, o, 3, mw_table_type(t).elem, false, "tab:set");
  mw_error *err = mw_table_set(t, i, v);
  if (err) return mwl_raise(L, err);
  return 0;
}

/** `tab:grow(n [, init])`: the old size, or nil and a message.
 * @function grow */
static int tab_grow(lua_State *L) {
  mwl_obj *o = check_table(L);
  mw_table *t = (mw_table *)o->p;
  lua_Integer d = mwl_checkint(L, 2, "tab:grow: count");
  if (d < 0)
    return mwl_usage(L, "tab:grow: expected an element count >= 0, got %I",
                     (LUAI_UACINT)d);
  mw_val init = check_elem(L, o, 3, mw_table_type(t).elem, false, "tab:grow");
  int64_t old = d > (lua_Integer)UINT32_MAX ? -1
                                            : mw_table_grow(t, (uint32_t)d, init);
  if (old < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "table cannot grow by %I elements", (LUAI_UACINT)d);
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)old);
  return 1;
}

/** `tab:type()`: `{kind="table", element=, min=<current size>, max=}`.
 * @function type */
static int tab_type(lua_State *L) {
  mw_externtype et;
  et.kind = MW_EXTERN_TABLE;
  et.of.table = mw_table_type((mw_table *)check_table(L)->p);
  mwl_pushexterntype(L, &et);
  return 1;
}

/** `core.table(element, min [, max [, init]])`: a host table.
 * @function table */
static int core_table(lua_State *L) {
  mw_valtype elem = mwl_valtype_of(L, 1, "table element");
  if (elem != MW_FUNCREF && elem != MW_EXTERNREF)
    return mwl_usage(L, "table: element must be funcref or externref");
  lua_Integer min = mwl_checkint(L, 2, "table: min");
  lua_Integer max = mwl_optint(L, 3, "table: max", -1);
  bool is64 = check_index_type(L, 5, "table");
  if (min < 0 || min > (lua_Integer)UINT32_MAX)
    return mwl_usage(L, "table: bad min %I", (LUAI_UACINT)min);
  if (!lua_isnoneornil(L, 3) && (max < min || max > (lua_Integer)UINT32_MAX))
    return mwl_usage(L, "table: bad max %I", (LUAI_UACINT)max);
  lua_settop(L, 4);
  mwl_obj *o = mwl_newobj(L, MW_EXTERN_TABLE, NULL, NULL, 0);
  make_host(o);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_OBJ_DATA);
  lua_replace(L, 1); /* the table object is argument 1 now */
  mw_val init = check_elem(L, o, 4, elem, false, "table: init");
  mw_tabletype tt;
  memset(&tt, 0, sizeof tt);
  tt.limits.is64 = is64;
  tt.elem = elem;
  tt.limits.min = (uint32_t)min;
  tt.limits.has_max = max >= 0;
  tt.limits.max = max >= 0 ? (uint32_t)max : 0;
  o->p = mw_table_new(&o->st->cfg, tt, init);
  if (!o->p)
    return mwl_raise_kind(L, "exhaustion",
                          "cannot allocate a table of %I elements",
                          (LUAI_UACINT)min);
  mwl_map_set(L, o->p, 1);
  lua_settop(L, 1);
  return 1;
}

/* ---------------------------------------------------------------- global */

/*** Globals: exported, imported, or made with `wasm.global`.
 * @type Global */

static int glob_get_impl(lua_State *L, bool bits) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_GLOBAL);
  mwl_pushval(L, mw_global_get((mw_global *)o->p), bits, o->owner);
  return 1;
}

static int glob_set_impl(lua_State *L, bool bits) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_GLOBAL);
  mw_global *g = (mw_global *)o->p;
  lua_settop(L, 2);
  mw_globaltype gt = mw_global_type(g);
  if (!gt.mutable_) return mwl_usage(L, "global is immutable");
  mw_val v = check_elem(L, o, 2, gt.type, bits, "g:set");
  mw_error *err = mw_global_set(g, v);
  if (err) return mwl_raise(L, err);
  return 0;
}

/** `g:get()`: the value.
 * @function get */
static int glob_get(lua_State *L) { return glob_get_impl(L, false); }
/** `g:set(v)`: set a mutable global (a usage error if immutable).
 * @function set */
static int glob_set(lua_State *L) { return glob_set_impl(L, false); }
/** `g:get_bits()`: like get, f32/f64 as integer bit patterns.
 * @function get_bits */
static int glob_get_bits(lua_State *L) { return glob_get_impl(L, true); }
/** `g:set_bits(n)`: like set, an integer is an f32/f64 bit pattern.
 * @function set_bits */
static int glob_set_bits(lua_State *L) { return glob_set_impl(L, true); }

/** `g:type()`: `{kind="global", type=, mutable=}`.
 * @function type */
static int glob_type(lua_State *L) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_GLOBAL);
  mw_externtype et;
  et.kind = MW_EXTERN_GLOBAL;
  et.of.global = mw_global_type((mw_global *)o->p);
  mwl_pushexterntype(L, &et);
  return 1;
}

/** `core.global(type [, value [, mutable]])`: a host global.  The value
 * defaults to zero (null for references), `mutable` to false.
 * @function global */
static int core_global(lua_State *L) {
  mw_valtype t = mwl_valtype_of(L, 1, "global");
  bool mut = lua_toboolean(L, 3);
  lua_settop(L, 2);
  if (lua_isnil(L, 2) && !mw_valtype_is_reference(t)) {
    if (t == MW_F32 || t == MW_F64)
      lua_pushnumber(L, 0.0);
    else
      lua_pushinteger(L, 0);
    lua_replace(L, 2);
  }
  mwl_obj *o = mwl_newobj(L, MW_EXTERN_GLOBAL, NULL, NULL, 0);
  make_host(o);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_OBJ_DATA);
  lua_replace(L, 1);
  mw_val v = check_elem(L, o, 2, t, false, "global");
  mw_globaltype gt;
  gt.type = t;
  gt.mutable_ = mut;
  o->p = mw_global_new(&o->st->cfg, gt, v);
  if (!o->p) return mwl_raise_kind(L, "exhaustion", "out of memory");
  mwl_map_set(L, o->p, 1);
  lua_settop(L, 1);
  return 1;
}

/* ---------------------------------------------------------------- tags and exceptions */

/*** Tags (exception handling): `wasm.tag{params = {...}}`, or exported by
 * an instance.  A wasm exception reaching Lua is an error object of kind
 * "exception" with `tag` (the Tag) and `values` (a list); raising one from
 * a host function (`error(wasm.exception(tag, {...}))`, or letting one
 * from a nested call pass) throws it into the calling wasm code, which can
 * catch it.  Any other Lua error stays a Lua error: wasm cannot catch it.
 * @type Tag */

void mwl_pushtag(lua_State *L, mw_tag *t) {
  mwl_map_get(L, t);
  mwl_obj *o = mwl_testobj(L, -1);
  if (o && o->p == t && o->kind == MW_EXTERN_TAG) return;
  lua_pop(L, 1);
  o = mwl_newobj(L, MW_EXTERN_TAG, mw_tag_retain(t), NULL, 0);
  make_host(o); /* its reference is released with it */
  mwl_map_set(L, t, -1);
}

/** `core.tag(params)`: a host tag whose exceptions carry values of these
 * types.
 * @function tag */
static int core_tag(lua_State *L) {
  lua_settop(L, 1);
  mw_valtype *params;
  size_t np = check_types(L, 1, "params", &params);
  mwl_state *st = mwl_getstate(L);
  mw_functype *t = mw_functype_new(&st->cfg, params, np, NULL, 0);
  mw_tag *tag = t ? mw_tag_new(&st->cfg, t) : NULL;
  mw_functype_free(t);
  if (!tag) return mwl_raise_kind(L, "exhaustion", "out of memory");
  mwl_pushtag(L, tag);
  mw_tag_free(tag); /* the Tag object holds its own reference */
  return 1;
}

/** `tag:type()`: `{kind="tag", params={...}}`.
 * @function type */
static int tag_type(lua_State *L) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_TAG);
  mw_externtype et;
  et.kind = MW_EXTERN_TAG;
  et.of.tag = mw_tag_type((mw_tag *)o->p);
  mwl_pushexterntype(L, &et);
  return 1;
}

void mwl_pushexception(lua_State *L, mw_tag *t, const mw_val *vals, size_t n) {
  mwl_pusherror(L, "exception", "uncaught exception");
  mwl_pushtag(L, t);
  lua_setfield(L, -2, "tag");
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    mwl_pushval(L, vals[i], false, NULL);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "values");
}

/* Check `values` (a list at vidx) against the tag's types into vals. */
static void check_exception_values(lua_State *L, mw_tag *tag, int vidx, mw_val *vals) {
  const mw_functype *t = mw_tag_type(tag);
  size_t n = mw_functype_param_count(t);
  if (!lua_istable(L, vidx))
    mwl_usage(L, "exception: values: expected a list, got %s", mwl_typename(L, vidx));
  if ((size_t)luaL_len(L, vidx) != n)
    mwl_usage(L, "exception: the tag takes %d values, got %d", (int)n,
              (int)luaL_len(L, vidx));
  for (size_t i = 0; i < n; i++) {
    lua_geti(L, vidx, (lua_Integer)i + 1);
    if (!mwl_toval(L, -1, mw_functype_param(t, i), &vals[i], false))
      mwl_usage(L, "exception: value %d: %s", (int)i + 1, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

mw_error *mwl_toexception(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_pushliteral(L, "tag");
  lua_rawget(L, idx);
  mwl_obj *o = (mwl_obj *)luaL_testudata(L, -1, MWL_TAG);
  lua_pop(L, 1); /* the error object holds it */
  if (!o || !o->p) return NULL;
  mw_tag *tag = (mw_tag *)o->p;
  size_t n = mw_functype_param_count(mw_tag_type(tag));
  mw_val *vals = lua_newuserdatauv(L, (n ? n : 1) * sizeof *vals, 0);
  lua_pushliteral(L, "values");
  lua_rawget(L, idx);
  check_exception_values(L, tag, lua_gettop(L), vals);
  mw_error *e = mw_error_new_exception(tag, vals, n);
  lua_pop(L, 2);
  return e;
}

/** `core.exception(tag, values)`: an error object of kind "exception"
 * that a host function raises to throw a wasm exception.
 * @function exception */
static int core_exception(lua_State *L) {
  mwl_obj *o = mwl_checkobj(L, 1, MWL_TAG);
  mw_tag *tag = (mw_tag *)o->p;
  size_t n = mw_functype_param_count(mw_tag_type(tag));
  lua_settop(L, 2);
  if (lua_isnil(L, 2)) {
    lua_newtable(L);
    lua_replace(L, 2);
  }
  mw_val *vals = lua_newuserdatauv(L, (n ? n : 1) * sizeof *vals, 0);
  check_exception_values(L, tag, 2, vals);
  mwl_pushexception(L, tag, vals, n);
  return 1;
}

/* ---------------------------------------------------------------- registration */

static const luaL_Reg func_methods[] = {
    {"call", func_call},   {"call_bits", func_call_bits}, {"type", func_type},
    {"is_host", func_is_host}, {"close", obj_close},      {NULL, NULL}};
static const luaL_Reg func_meta[] = {
    {"__call", func_call}, {"__gc", obj_gc},   {"__close", obj_close},
    {"__tostring", obj_tostring}, {NULL, NULL}};

static const luaL_Reg mem_methods[] = {
    {"read", mem_read},       {"write", mem_write},     {"fill", mem_fill},
    {"size", mem_size},       {"bytes", mem_bytes},     {"grow", mem_grow},
    {"type", mem_type},       {"close", obj_close},     {"get_i8", mem_get_i8},
    {"get_u8", mem_get_u8},   {"get_i16", mem_get_i16}, {"get_u16", mem_get_u16},
    {"get_i32", mem_get_i32}, {"get_u32", mem_get_u32}, {"get_i64", mem_get_i64},
    {"get_f32", mem_get_f32}, {"get_f64", mem_get_f64}, {"set_i8", mem_set_i8},
    {"set_u8", mem_set_u8},   {"set_i16", mem_set_i16}, {"set_u16", mem_set_u16},
    {"set_i32", mem_set_i32}, {"set_u32", mem_set_u32}, {"set_i64", mem_set_i64},
    {"set_f32", mem_set_f32}, {"set_f64", mem_set_f64}, {"get_u64", mem_get_u64},
    {"set_u64", mem_set_u64}, {NULL, NULL}};

static const luaL_Reg tab_methods[] = {
    {"size", tab_size}, {"get", tab_get},     {"set", tab_set},
    {"grow", tab_grow}, {"type", tab_type},   {"close", obj_close},
    {NULL, NULL}};

static const luaL_Reg glob_methods[] = {
    {"get", glob_get},           {"set", glob_set},   {"get_bits", glob_get_bits},
    {"set_bits", glob_set_bits}, {"type", glob_type}, {"close", obj_close},
    {NULL, NULL}};

static const luaL_Reg tag_methods[] = {
    {"type", tag_type}, {"close", obj_close}, {NULL, NULL}};

static const luaL_Reg obj_meta[] = {{"__gc", obj_gc},
                                    {"__close", obj_close},
                                    {"__tostring", obj_tostring},
                                    {NULL, NULL}};

static const luaL_Reg caller_methods[] = {
    {"memory", caller_memory}, {"instance", caller_instance}, {NULL, NULL}};

static void new_class(lua_State *L, const char *tname, const luaL_Reg *meta,
                      const luaL_Reg *methods) {
  luaL_newmetatable(L, tname);
  luaL_setfuncs(L, meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

void mwl_open_objects(lua_State *L) {
  new_class(L, MWL_FUNC, func_meta, func_methods);
  /* The call closures: upvalue 1 the Func metatable, 2 the state
   * (mwl_func_call_quick). */
  luaL_getmetatable(L, MWL_FUNC);
  lua_getfield(L, -1, "__index");
  lua_pushvalue(L, -2);
  lua_pushlightuserdata(L, mwl_getstate(L));
  lua_pushcclosure(L, func_call, 2);
  lua_setfield(L, -2, "call");
  lua_pushvalue(L, -2);
  lua_pushlightuserdata(L, mwl_getstate(L));
  lua_pushcclosure(L, func_call_bits, 2);
  lua_setfield(L, -2, "call_bits");
  lua_pop(L, 1);
  lua_pushvalue(L, -1);
  lua_pushlightuserdata(L, mwl_getstate(L));
  lua_pushcclosure(L, func_call, 2);
  lua_setfield(L, -2, "__call");
  lua_pop(L, 1);
  new_class(L, MWL_MEMORY, obj_meta, mem_methods);
  new_class(L, MWL_TABLE, obj_meta, tab_methods);
  new_class(L, MWL_GLOBAL, obj_meta, glob_methods);
  new_class(L, MWL_TAG, obj_meta, tag_methods);
  luaL_newmetatable(L, MWL_CALLER);
  luaL_newlib(L, caller_methods);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "methods"); /* for the Lua layer: __index is a C function */
  lua_pushcclosure(L, caller_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

static const luaL_Reg obj_funcs[] = {{"func", core_func},
                                     {"memory", core_memory},
                                     {"table", core_table},
                                     {"global", core_global},
                                     {"tag", core_tag},
                                     {"exception", core_exception},
                                     {NULL, NULL}};

void mwl_register_objects(lua_State *L) { luaL_setfuncs(L, obj_funcs, 0); }
