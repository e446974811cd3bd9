/*
 * lmoonwasm_fiber.c -- yieldable host calls: wasm called from a coroutine
 * runs as a fiber (moonwasm.h, "Fibers").
 *
 * When Lua calls a wasm function from a thread that can yield, mwl_call
 * hands the call to mwl_fiber_call.  The fiber runs until the guest calls
 * a Lua host function; the host trampoline then suspends it instead of
 * calling Lua from inside the interpreter, and the fiber returns here.
 * This C function -- called by the Lua VM, not nested in the interpreter
 * -- calls the Lua host function with lua_pcallk, so the host function
 * may coroutine.yield: the yield unwinds only this C function, whose
 * continuation (fiber_k) resumes the fiber with the results when the
 * coroutine is resumed.  No C frame of the interpreter is ever crossed by
 * a longjmp.  Lua -> wasm -> Lua -> wasm nests: each level is its own
 * fiber, each continuation resumes its own.
 *
 * A Fiber userdata holds the mw_fiber and its store; it sits on the Lua
 * stack for the duration of the call.  Its __gc frees the mw_fiber: a call
 * left suspended in a coroutine that is never resumed is freed when the
 * coroutine is collected (__close does the same, for code that marks a
 * Fiber to-be-closed; nothing here does).
 */
/** Yieldable host calls (nothing to call from Lua: wasm called from a
 * coroutine runs as a fiber by itself).
 * @module moonwasm.core */
#include <string.h>

#include "lmoonwasm.h"

#define MWL_FIBER "moonwasm.Fiber"

typedef struct fiber_ud {
  mw_fiber *fb;
  mwl_store *S;
  bool bits;
  bool raw;           /* the host call in progress is on raw values */
  mw_fiber_status status;
  mw_error *err;
  int base;           /* stack top before the host function's values */
  mwl_hostcall hc;    /* the host call in progress */
  mw_val hargs[MWL_MAX_FUNC_VALUES];
  mw_val hres[MWL_MAX_FUNC_VALUES];
  const mw_functype *ft; /* of the called function (its results) */
} fiber_ud;

static int fiber_gc(lua_State *L) {
  fiber_ud *u = (fiber_ud *)luaL_checkudata(L, 1, MWL_FIBER);
  if (u->fb) mw_fiber_free(u->fb);
  u->fb = NULL;
  if (u->err) mw_error_free(u->err);
  u->err = NULL;
  return 0;
}

static int fiber_k(lua_State *L, int status, lua_KContext ctx);
static void after_host(lua_State *L, int uidx, int status);

/* Idle fibers are kept per store for the next call (a fiber's stacks are
 * large, if lazily mapped): a list of Fiber userdata in the store's user
 * value MWL_STORE_FIBERS, reached from the store's userdata without a
 * lookup (each Fiber holds its store the same way, user value 1). */
#define POOL_MAX 4

/* Push the pool list of the store userdata at sidx (created if missing). */
static void push_pool(lua_State *L, int sidx) {
  sidx = lua_absindex(L, sidx);
  if (lua_getiuservalue(L, sidx, MWL_STORE_FIBERS) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, POOL_MAX, 0);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, sidx, MWL_STORE_FIBERS);
  }
}

/* Push an idle Fiber of store S (its userdata at sidx), or a new one. */
static fiber_ud *take_fiber(lua_State *L, int sidx, mwl_store *S) {
  sidx = lua_absindex(L, sidx);
  push_pool(L, sidx);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  if (n > 0) {
    lua_rawgeti(L, -1, n);
    lua_pushnil(L);
    lua_rawseti(L, -3, n);
    lua_remove(L, -2);
    return (fiber_ud *)lua_touserdata(L, -1);
  }
  lua_pop(L, 1);
  fiber_ud *u = (fiber_ud *)lua_newuserdatauv(L, sizeof *u, 1);
  memset(u, 0, sizeof *u);
  luaL_setmetatable(L, MWL_FIBER);
  lua_pushvalue(L, sidx);
  lua_setiuservalue(L, -2, 1); /* the store outlives the fiber */
  u->S = S;
  u->fb = mw_fiber_new(S->s);
  if (!u->fb) mwl_raise_kind(L, "exhaustion", "out of memory");
  return u;
}

/* The call in the Fiber at uidx is over: keep it for the next one. */
static void to_pool(lua_State *L, int uidx) {
  fiber_ud *u = (fiber_ud *)lua_touserdata(L, uidx);
  if (!u->fb || !lua_checkstack(L, 4)) return;
  lua_getiuservalue(L, uidx, 1);
  push_pool(L, -1);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  if (n < POOL_MAX) {
    lua_pushvalue(L, uidx);
    lua_rawseti(L, -2, n + 1);
  }
  lua_pop(L, 2);
}

/* Run fiber steps until the call is done (push its results) or fails
 * (raise), calling each Lua host function it waits on. */
static int fiber_loop(lua_State *L, int uidx) {
  fiber_ud *u = (fiber_ud *)lua_touserdata(L, uidx);
  mwl_store *S = u->S;
  while (u->status == MW_FIBER_HOST_CALL) {
    /* Suspended in a Lua host function: call it here, where it may
     * yield.  Without a yield, the loop goes on (no C recursion). */
    mw_func *hf = mw_fiber_host_func(u->fb);
    mwl_hostcall *hc = &u->hc;
    memset(hc, 0, sizeof *hc);
    hc->h = (mwl_obj *)mw_func_userdata(hf);
    hc->caller = mw_fiber_caller(u->fb);
    hc->type = mw_func_type(hf);
    hc->args = u->hargs;
    hc->results = u->hres;
    u->base = lua_gettop(L);
    /* lmoonwasm_call.c: a raw host function gets its raw values */
    int nargs = hc->h->plan > 0 && hc->h->fnref > 0
                    ? mwl_host_push_raw(L, hc->h, hc->caller,
                                        mw_fiber_host_raw(u->fb), &hc->cobj)
                    : -1;
    u->raw = nargs >= 0;
    if (!u->raw) {
      mw_fiber_host_args(u->fb, u->hargs, MWL_MAX_FUNC_VALUES);
      lua_pushcfunction(L, mwl_host_prepare);
      lua_pushlightuserdata(L, hc);
      lua_call(L, 1, LUA_MULTRET); /* base+1: anchor, base+2: fn, args */
      nargs = lua_gettop(L) - u->base - 2;
      lua_pushcfunction(L, mwl_host_msgh); /* base+2, the function above it */
      lua_insert(L, u->base + 2);
    } /* (raw: base+1 anchor, base+2 the handler, base+3 fn, args) */
    hc->h->life.busy++;
    after_host(L, uidx, lua_pcallk(L, nargs, LUA_MULTRET, u->base + 2, uidx, fiber_k));
  }
  if (u->status == MW_FIBER_DONE) {
    size_t nr = mw_fiber_results(u->fb, u->hres, MWL_MAX_FUNC_VALUES);
    luaL_checkstack(L, (int)nr + 4, "too many results");
    for (size_t i = 0; i < nr; i++) mwl_pushval_ft(L, u->hres[i], u->ft, u->bits, S, S->s);
    /* only now: a finalizer run by the conversions could take it */
    to_pool(L, uidx);
    mwl_settle(L, S, true, NULL);
    return (int)nr;
  }
  if (u->status == MW_FIBER_FAILED) {
    mw_error *err = u->err;
    u->err = NULL;
    to_pool(L, uidx);
    bool outermost = S->st->depth == 0;
    if (outermost && mw_error_kind_of(err) == MW_ERR_EXIT) {
      mwl_settle(L, S, true, err);
      mw_error_free(err);
      return 0;
    }
    mwl_pusherr(L, err);
    mwl_settle(L, S, false, NULL);
    return lua_error(L);
  }
  return 0; /* not reached */
}

/* Continuation of the host function's lua_pcallk after a yield. */
static int fiber_k(lua_State *L, int status, lua_KContext ctx) {
  after_host(L, (int)ctx, status);
  return fiber_loop(L, (int)ctx);
}

/* The host function returned (status LUA_OK, or LUA_YIELD after it
 * yielded and was resumed) or raised: resume or fail the fiber. */
static void after_host(lua_State *L, int uidx, int status) {
  fiber_ud *u = (fiber_ud *)lua_touserdata(L, uidx);
  mwl_hostcall *hc = &u->hc;
  hc->h->life.busy--;
  if (hc->cobj) hc->cobj->c = NULL; /* the Caller is valid for this call only */
  mwl_store *S = u->S;
  /* The store may have been closed while the host was suspended: then its
   * C store is gone, and the results must not be converted into it. */
  if (S->life.closed || !S->s) {
    lua_settop(L, u->base);
    mwl_usage(L, "attempt to use a closed store");
  }
  mw_error *err = NULL;
  bool raw_done = false;
  if ((status == LUA_OK || status == LUA_YIELD) && u->raw &&
      mwl_host_take_raw(L, u->base, hc->h, mw_fiber_host_raw(u->fb))) {
    raw_done = true; /* the results are in the fiber's slots */
  } else if (status == LUA_OK || status == LUA_YIELD) {
    lua_remove(L, u->base + 2); /* the message handler */
    lua_pushcfunction(L, mwl_host_finish);
    lua_insert(L, u->base + 2);
    lua_pushlightuserdata(L, hc);
    int rc = lua_pcall(L, lua_gettop(L) - u->base - 2, 0, 0);
    if (rc != LUA_OK) err = mwl_lua_failure(L, rc);
  } else {
    mwl_host_error_context(L, hc->h, hc->caller);
    err = mwl_lua_failure(L, status);
  }
  lua_settop(L, u->base);
  if (S->life.closed || !S->s) { /* closed by a finalizer the conversions ran */
    if (err) mw_error_free(err);
    mwl_usage(L, "attempt to use a closed store");
  }
  size_t nr = mw_functype_result_count(hc->type);
  mwl_entry e;
  mwl_enter(L, S, &e);
  if (err)
    u->status = mw_fiber_fail(u->fb, err, &u->err);
  else if (raw_done)
    u->status = mw_fiber_resume_raw(u->fb, &u->err);
  else
    u->status = mw_fiber_resume(u->fb, u->hres, nr, &u->err);
  mwl_leave(S, &e);
}

/* Replace the store userdata on top of the stack by a Fiber of S ready
 * to call f; the Fiber stays there for the call (its index in *uidx). */
static fiber_ud *fiber_for_call(lua_State *L, mwl_store *S, mw_func *f, bool bits,
                                int *uidx) {
  int sidx = lua_gettop(L);
  fiber_ud *u = take_fiber(L, sidx, S);
  lua_remove(L, sidx);
  *uidx = lua_gettop(L);
  u->bits = bits;
  u->ft = mw_func_type(f);
  return u;
}

int mwl_fiber_call(lua_State *L, mw_func *f, mwl_store *S, const mw_val *args,
                   size_t nargs, bool bits) {
  if (!mwl_pushstore_of(L, S->s)) return mwl_usage(L, "attempt to use a closed store");
  int uidx;
  fiber_ud *u = fiber_for_call(L, S, f, bits, &uidx);
  mwl_entry e;
  mwl_enter(L, S, &e);
  u->status = mw_fiber_call(u->fb, f, args, nargs, &u->err);
  mwl_leave(S, &e);
  return fiber_loop(L, uidx);
}

int mwl_fiber_call_raw(lua_State *L, mwl_obj *o, int fidx, mw_raw *io, bool bits) {
  mwl_store *S = o->owner;
  mw_func *f = (mw_func *)o->p;
  luaL_checkstack(L, o->nr + 8, "too many results");
  lua_getiuservalue(L, fidx, MWL_OBJ_OWNER); /* the store's userdata */
  int uidx;
  fiber_ud *u = fiber_for_call(L, S, f, bits, &uidx);
  mwl_entry e;
  mwl_enter_store(L, S, &e);
  u->status = mw_fiber_call_raw(u->fb, f, io, &u->err);
  mwl_leave_store(S, &e);
  if (u->status != MW_FIBER_DONE) return fiber_loop(L, uidx);
  /* returned without calling a Lua host function: its raw results */
  mwl_push_results_raw(L, o, mw_fiber_results_raw(u->fb), bits);
  to_pool(L, uidx);
  mwl_settle(L, S, true, NULL);
  return o->nr;
}

void mwl_open_fiber(lua_State *L) {
  luaL_newmetatable(L, MWL_FIBER);
  lua_pushcfunction(L, fiber_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, fiber_gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}
