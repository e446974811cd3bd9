/*
 * lmoonwasm_call.c -- the fast paths of calls across Lua and wasm, for
 * the common signatures: numbers and v128 only (i32, i64, f32, f64, v128), at most
 * MWL_PLAN_MAX parameters and results (host functions: with or without a
 * Caller).
 *
 * A Func's plan (mwl_obj.plan, computed once: its type never changes)
 * packs the value types three bits each, so a call converts between Lua
 * values and the runtime's raw slots (moonwasm.h, mw_raw) directly: no
 * mw_val, no type checks in the runtime, no string compares or table
 * lookups.
 *
 * Lua -> wasm (mwl_call_fast): arguments that are not plain numbers of
 * the right kind, a wrong count, a coroutine (the call then runs as a
 * fiber, lmoonwasm_fiber.c) or call_bits take mwl_call, which gives every
 * message.
 *
 * wasm -> Lua (mwl_host_raw): such host functions are made with
 * mw_func_new_raw.  Their Lua function sits in a per-state table with weak
 * values at an integer key (mwl_obj.fnref; the Func's user value holds it
 * strongly), reached with two lua_rawgeti; it runs in the one protected
 * call of the host call.  A result that does not convert, or a wrong
 * count, goes through the protected finish step for its message.
 */
#include <string.h>

#include "lmoonwasm.h"

#if defined(__GNUC__)
#define MWL_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define MWL_ALWAYS_INLINE inline
#endif

/* Plan codes, PLAN_BITS each; a v128 (a 16-byte string in Lua) takes two
 * raw slots, so value i and slot k part ways after one. */
enum { PLAN_I32, PLAN_I64, PLAN_F32, PLAN_F64, PLAN_V128 };
#define PLAN_BITS 3
#define PLAN_MASK 7u

static int plan_code(mw_valtype t) {
  switch (t) {
  case MW_I32: return PLAN_I32;
  case MW_I64: return PLAN_I64;
  case MW_F32: return PLAN_F32;
  case MW_F64: return PLAN_F64;
  case MW_V128: return PLAN_V128;
  default: return -1;
  }
}

bool mwl_plan(mwl_obj *o, const mw_functype *t) {
  if (o->plan) return o->plan > 0;
  size_t np = mw_functype_param_count(t), nr = mw_functype_result_count(t);
  bool ok = np <= MWL_PLAN_MAX && nr <= MWL_PLAN_MAX;
  uint64_t pt = 0, rt = 0;
  for (size_t i = 0; ok && i < np; i++) {
    int c = plan_code(mw_functype_param(t, i));
    ok = c >= 0;
    pt |= (uint64_t)(ok ? c : 0) << (PLAN_BITS * i);
  }
  for (size_t i = 0; ok && i < nr; i++) {
    int c = plan_code(mw_functype_result(t, i));
    ok = c >= 0;
    rt |= (uint64_t)(ok ? c : 0) << (PLAN_BITS * i);
  }
  o->plan = ok ? 1 : -1;
  if (ok) {
    o->np = (unsigned char)np;
    o->nr = (unsigned char)nr;
    o->ptypes = pt;
    o->rtypes = rt;
  }
  return ok;
}

/* Convert the Lua value at idx to a raw value of plan type `code`
 * without raising: false if it is not a plain number of that kind.  With
 * `bits`, an integer for an f32/f64 is its bit pattern (call_bits). */
static inline bool to_raw_bits(lua_State *L, int idx, uint32_t code, mw_raw *out,
                               bool bits) {
  if (code == PLAN_V128) { /* a 16-byte string, as mwl_toval */
    size_t len = 0;
    const char *p = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
    if (!p || len != 16) return false;
    memcpy(out, p, 16);
    return true;
  }
  if (lua_type(L, idx) != LUA_TNUMBER) return false;
  if (code <= PLAN_I64) {
    int ok = 0;
    lua_Integer n = lua_tointegerx(L, idx, &ok);
    if (!ok) return false;
    out->u64 = code == PLAN_I32 ? (uint64_t)(uint32_t)n : (uint64_t)n;
  } else if (bits && lua_isinteger(L, idx)) { /* as mwl_toval */
    lua_Integer n = lua_tointeger(L, idx);
    out->u64 = code == PLAN_F32 ? (uint64_t)(uint32_t)n : (uint64_t)n;
  } else if (code == PLAN_F32) {
    out->u64 = 0;
    out->f32 = (float)lua_tonumber(L, idx);
  } else {
    out->f64 = (double)lua_tonumber(L, idx);
  }
  return true;
}

static inline bool to_raw(lua_State *L, int idx, uint32_t code, mw_raw *out) {
  return to_raw_bits(L, idx, code, out, false);
}

/* The raw slots a value of plan type `code` takes. */
static inline int slots_of(uint32_t code) { return code == PLAN_V128 ? 2 : 1; }

static inline void push_raw(lua_State *L, uint32_t code, const mw_raw *v) {
  switch (code) {
  case PLAN_I32: lua_pushinteger(L, (lua_Integer)v->i32); break;
  case PLAN_I64: lua_pushinteger(L, (lua_Integer)v->i64); break;
  case PLAN_F32: lua_pushnumber(L, (lua_Number)v->f32); break;
  case PLAN_F64: lua_pushnumber(L, (lua_Number)v->f64); break;
  default: lua_pushlstring(L, (const char *)v, 16); break;
  }
}

static inline void push_raw_bits(lua_State *L, uint32_t code, const mw_raw *v, bool bits) {
  if (bits && code == PLAN_F32) lua_pushinteger(L, (lua_Integer)v->u32);
  else if (bits && code == PLAN_F64) lua_pushinteger(L, (lua_Integer)v->i64);
  else push_raw(L, code, v);
}

/* ---------------------------------------------------------------- Lua -> wasm */

static MWL_ALWAYS_INLINE void push_results(lua_State *L, const mwl_obj *o,
                                           const mw_raw *io, bool bits) {
  int nr = o->nr;
  uint64_t rt = o->rtypes;
  for (int i = 0, k = 0; i < nr; i++, rt >>= PLAN_BITS) {
    uint32_t c = (uint32_t)rt & PLAN_MASK;
    push_raw_bits(L, c, &io[k], bits);
    k += slots_of(c);
  }
}

void mwl_push_results_raw(lua_State *L, const mwl_obj *o, const mw_raw *io, bool bits) {
  push_results(L, o, io, bits);
}

static MWL_ALWAYS_INLINE int call_fast(lua_State *L, mwl_obj *o, int fidx, int first,
                                       int nargs, bool bits) {
  mwl_store *S = o->owner;
  int np = o->np;
  /* (o is open and in an open store: the caller checked) */
  if (nargs != np) return -1;
  mw_raw io[2 * MWL_PLAN_MAX];
  uint64_t pt = o->ptypes;
  for (int i = 0, k = 0; i < np; i++, pt >>= PLAN_BITS) {
    uint32_t c = (uint32_t)pt & PLAN_MASK;
    if (!to_raw_bits(L, first + i, c, &io[k], bits)) return -1;
    k += slots_of(c);
  }
  mwl_entry e;
  mw_error *err;
  bool outermost;
  if (S) {
    /* lmoonwasm_fiber.c: in a coroutine, a fiber */
    if (lua_isyieldable(L)) return mwl_fiber_call_raw(L, o, fidx, io, bits);
    mwl_enter_store(L, S, &e);
    err = mw_func_call_raw(S->s, (mw_func *)o->p, io);
    outermost = mwl_leave_store(S, &e);
  } else {
    /* a host function called from Lua runs in the scratch store (made
     * by the general path's first such call) */
    mw_store *scratch = o->st->scratch;
    if (!scratch) return -1;
    mwl_enter(L, NULL, &e);
    err = mw_func_call_raw(scratch, (mw_func *)o->p, io);
    outermost = mwl_leave(NULL, &e);
  }
  if (err) return mwl_call_failed(L, S, err, outermost);
  push_results(L, o, io, bits);
  mwl_settle(L, S, true, NULL);
  return o->nr;
}

int mwl_call_fast(lua_State *L, mwl_obj *o, int fidx, int first, int nargs,
                  bool bits) {
  return call_fast(L, o, fidx, first, nargs, bits);
}

/* A Func at index 1 that is open and in an open store, or NULL, in a few
 * instructions: the calls' upvalue 2 is the state (a light userdata), and
 * only a Func of this state, a userdata of exactly its size, has it as
 * `st` and MW_EXTERN_FUNC as `kind` (Memory, Table and Global share the
 * layout, not the kind).  No metatable or registry lookup. */
static MWL_ALWAYS_INLINE mwl_obj *quick_func(lua_State *L) {
  mwl_obj *o = (mwl_obj *)lua_touserdata(L, 1);
  if (!o || lua_rawlen(L, 1) != sizeof(mwl_obj) ||
      o->st != lua_touserdata(L, lua_upvalueindex(2)) || o->kind != MW_EXTERN_FUNC ||
      o->life.closed || !o->p || (o->owner && (o->owner->life.closed || !o->owner->s)))
    return NULL;
  return o;
}

mwl_obj *mwl_func_quick_check(lua_State *L) { return quick_func(L); }

int mwl_func_call_quick(lua_State *L, bool bits) {
  mwl_obj *o = quick_func(L);
  if (!o || !(o->plan > 0 || (o->plan == 0 && mwl_plan(o, mw_func_type((mw_func *)o->p)))))
    return -1;
  return call_fast(L, o, 1, 2, lua_gettop(L) - 1, bits);
}

/* ---------------------------------------------------------------- wasm -> Lua */

/* Push the per-state table of the Lua functions of raw host functions. */
static void push_fn_table(lua_State *L, mwl_state *st) {
  if (st->fn_table) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, st->fn_table);
    return;
  }
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  st->fn_table = luaL_ref(L, LUA_REGISTRYINDEX);
}

void mwl_fn_register(lua_State *L, mwl_obj *h, int fn_idx) {
  fn_idx = lua_absindex(L, fn_idx);
  push_fn_table(L, h->st);
  lua_pushvalue(L, fn_idx);
  h->fnref = luaL_ref(L, -2);
  lua_pop(L, 1);
}

void mwl_fn_unregister(lua_State *L, mwl_obj *h) {
  if (h->fnref <= 0 || !h->st->fn_table) return;
  push_fn_table(L, h->st);
  luaL_unref(L, -1, h->fnref);
  lua_pop(L, 1);
  h->fnref = 0;
}

/* The slow way for what the fast one does not handle: the three-step
 * trampoline on typed values. */
static void vals_to_raw(const mwl_obj *h, const mw_val *results, mw_raw *io) {
  uint64_t rt = h->rtypes;
  for (int i = 0, k = 0; i < h->nr; i++, rt >>= PLAN_BITS) {
    switch ((uint32_t)rt & PLAN_MASK) {
    case PLAN_I32: io[k++].u64 = (uint32_t)results[i].of.i32; break;
    case PLAN_I64: io[k++].i64 = results[i].of.i64; break;
    case PLAN_F32: io[k++].u64 = results[i].of.f32_bits; break;
    case PLAN_F64: io[k++].u64 = results[i].of.f64_bits; break;
    default:
      memcpy(&io[k], results[i].of.v128, 16);
      k += 2;
      break;
    }
  }
}

static mw_error *host_by_vals(mw_caller *caller, mw_raw *io, mwl_obj *h) {
  mw_val args[MWL_PLAN_MAX], results[MWL_PLAN_MAX];
  uint64_t pt = h->ptypes;
  for (int i = 0, k = 0; i < h->np; i++, pt >>= PLAN_BITS) {
    switch ((uint32_t)pt & PLAN_MASK) {
    case PLAN_I32: args[i] = mw_val_i32(io[k++].i32); break;
    case PLAN_I64: args[i] = mw_val_i64(io[k++].i64); break;
    case PLAN_F32: args[i] = mw_val_f32_bits(io[k++].u32); break;
    case PLAN_F64: args[i] = mw_val_f64_bits(io[k++].u64); break;
    default:
      args[i] = mw_val_v128((const uint8_t *)&io[k]);
      k += 2;
      break;
    }
  }
  memset(results, 0, sizeof results);
  mw_error *err = mwl_host_trampoline(caller, args, results, h);
  if (!err) vals_to_raw(h, results, io);
  return err;
}

/* Results top+3 .. top+2+n of the Lua function into io: false if they do
 * not convert (or are too many or too few). */
static inline bool take_raw(lua_State *L, int top, const mwl_obj *h, mw_raw *io) {
  int n = lua_gettop(L) - top - 2, nr = h->nr;
  if (n != nr) return false;
  /* (on failure what was written does not matter: the general finish
   * step then converts every result, or the call fails) */
  uint64_t rt = h->rtypes;
  for (int i = 0, k = 0; i < nr; i++, rt >>= PLAN_BITS) {
    uint32_t c = (uint32_t)rt & PLAN_MASK;
    if (!to_raw(L, top + 3 + i, c, &io[k])) return false;
    k += slots_of(c);
  }
  return true;
}

/* mwl_host_push_raw, with the stack top given */
static MWL_ALWAYS_INLINE int push_raw_call(lua_State *L, int top, mwl_obj *h,
                                           mw_caller *caller, const mw_raw *io,
                                           mwl_caller **cobj) {
  *cobj = NULL;
  if (!h->st->fn_table || !lua_checkstack(L, h->np + 8)) return -1;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->st->fn_table); /* top + 1 */
  lua_pushcfunction(L, mwl_host_msgh);                 /* top + 2 */
  if (lua_rawgeti(L, top + 1, h->fnref) != LUA_TFUNCTION) {
    lua_settop(L, top);
    return -1;
  }
  if (h->with_caller) { /* as mwl_host_prepare; anchored at top + 1 */
    mwl_caller *c = (mwl_caller *)lua_newuserdatauv(L, sizeof *c, 1);
    c->c = caller;
    c->st = h->st;
    luaL_setmetatable(L, MWL_CALLER);
    lua_copy(L, -1, top + 1);
    *cobj = c;
  }
  uint64_t pt = h->ptypes;
  for (int i = 0, k = 0; i < h->np; i++, pt >>= PLAN_BITS) {
    uint32_t c = (uint32_t)pt & PLAN_MASK;
    push_raw(L, c, &io[k]);
    k += slots_of(c);
  }
  return h->np + (h->with_caller ? 1 : 0);
}

bool mwl_host_take_raw(lua_State *L, int top, const mwl_obj *h, mw_raw *io) {
  return take_raw(L, top, h, io);
}

int mwl_host_push_raw(lua_State *L, mwl_obj *h, mw_caller *caller, const mw_raw *io,
                      mwl_caller **cobj) {
  return push_raw_call(L, lua_gettop(L), h, caller, io, cobj);
}

mw_error *mwl_host_raw(mw_caller *caller, mw_raw *io, void *userdata) {
  mwl_obj *h = (mwl_obj *)userdata;
  /* lmoonwasm_fiber.c: called by a fiber's own code, suspend it: the
   * binding runs the Lua function where it may yield. */
  if (mw_caller_can_suspend(caller)) return mw_caller_suspend(caller);
  lua_State *L = h->st->current;
  if (!L) return host_by_vals(caller, io, h); /* says what is wrong */
  int top = lua_gettop(L);
  mwl_caller *cobj;
  int nargs = push_raw_call(L, top, h, caller, io, &cobj);
  if (nargs < 0) return host_by_vals(caller, io, h);
  h->life.busy++; /* closing it now must not free it under the runtime */
  mw_error *err = NULL;
  int rc = lua_pcall(L, nargs, LUA_MULTRET, top + 2);
  if (rc != LUA_OK) {
    mwl_host_error_context(L, h, caller);
    err = mwl_lua_failure(L, rc);
  } else if (!take_raw(L, top, h, io)) {
    /* the protected finish step says what is wrong */
    mwl_hostcall hc;
    mw_val args[MWL_PLAN_MAX], results[MWL_PLAN_MAX];
    memset(&hc, 0, sizeof hc);
    hc.h = h;
    hc.caller = caller;
    hc.args = args;
    hc.results = results;
    hc.type = mw_func_type((mw_func *)h->p);
    lua_remove(L, top + 2);
    rc = mwl_host_finish_at(L, top, &hc);
    /* a finish that succeeds converted what take_raw would not:
     * never here for plain numbers, but take its word */
    err = rc == LUA_OK ? NULL : mwl_lua_failure(L, rc);
    if (!err) vals_to_raw(h, results, io);
  }
  if (cobj) cobj->c = NULL; /* the Caller is valid for this call only */
  lua_settop(L, top);
  h->life.busy--; /* if closed, freed by the next chance (mwl_release) */
  return err;
}
