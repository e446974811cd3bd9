/*
 * lmoonwasm.h -- private header of the Lua binding (moonwasm.core).
 *
 * The binding is four files:
 *   lmoonwasm.c        luaopen, the per-state registry, errors, values,
 *                      the object map and the ownership (keep) graph
 *   lmoonwasm_obj.c    functions (host and wasm), calls, the caller object,
 *                      memories, tables, globals
 *   lmoonwasm_store.c  configuration, modules and their types, stores,
 *                      instances and linking
 *   lmoonwasm_wasi.c   WASI contexts (wasm.wasi)
 *   lmoonwasm_call.c   fast paths of calls with numbers-only signatures
 * Only these files include lua.h; the runtime (the other src/ files) knows nothing of Lua
 * and is used through moonwasm.h alone.
 *
 * Ownership, in Lua terms (every edge is a user value or a keep set, never a
 * registry reference, so Lua's GC collects cycles):
 *   Instance  -> its Store (and the Module it was made from)
 *   exported Func/Memory/Table/Global -> the Store that defines it
 *   Store     -> keep set: every host object and wasi context it imported
 *                and every other Store whose objects it holds (imports,
 *                funcref arguments, registry entries)
 *   host Table/Global -> keep set: funcrefs stored in it and the Stores that
 *                imported it (their wasm code may store their own funcrefs)
 *   Store whose function a Store or host Table/Global holds -> keep set:
 *                that holder too (code that can call the function may pass
 *                it its own funcrefs, and the function may keep them)
 *   host Func -> its Lua function
 *
 * Lifetimes (mwl_life): a Store, a host object and a wasi context own a C
 * object.  close(), __close and __gc all only *close* it (every later use
 * from Lua raises a usage error); its C object is freed once it is closed
 * and no longer in use: not running, and not held (keep sets, recorded
 * backwards in a weak "holders" table) by anything still in use.  So a
 * finalizer called by hand, a store closed during its own call or a
 * memory closed while a live store imports it never frees what the
 * runtime still uses, and cycles of closed objects are freed together.
 */
#ifndef LMOONWASM_H
#define LMOONWASM_H

#include <stdbool.h>

#include "lauxlib.h"
#include "lua.h"
#include "moonwasm.h"

/* Metatable names. */
#define MWL_STATE "moonwasm.State"
#define MWL_MODULE "moonwasm.Module"
#define MWL_STORE "moonwasm.Store"
#define MWL_INSTANCE "moonwasm.Instance"
#define MWL_FUNC "moonwasm.Func"
#define MWL_MEMORY "moonwasm.Memory"
#define MWL_TABLE "moonwasm.Table"
#define MWL_GLOBAL "moonwasm.Global"
#define MWL_TAG "moonwasm.Tag"
#define MWL_CALLER "moonwasm.Caller"
#define MWL_EXPORTS "moonwasm.Exports"
#define MWL_ERROR "moonwasm.Error"
#define MWL_WASI "moonwasm.Wasi"
#define MWL_FUNCTYPE "moonwasm.FuncType"
#define MWL_MEMORYTYPE "moonwasm.MemoryType"
#define MWL_TABLETYPE "moonwasm.TableType"
#define MWL_GLOBALTYPE "moonwasm.GlobalType"
#define MWL_COSTTABLE "moonwasm.CostTable"

/* Signatures up to this many values convert on the C stack. */
#define MWL_INLINE_VALUES 16
/* Implementation limit of the runtime on params/results per function type. */
#define MWL_MAX_FUNC_VALUES 1000

/* One per Lua state (universe), anchored in the registry.  Its user values
 * are the tables below. */
typedef struct mwl_state {
  lua_State *current; /* the thread that entered wasm, NULL outside calls */
  int depth;          /* binding calls into the runtime in progress */
  mw_store *scratch;  /* runs host functions called straight from Lua */
  mw_config cfg;      /* defaults, with Lua's allocator */
  lua_Integer nan_ref; /* the externref of every NaN (0: none yet) */
  int fn_table; /* registry ref of the Lua functions of raw host functions
                 * (lmoonwasm_call.c), 0 until the first */
} mwl_state;

enum {
  MWL_UV_OBJECTS = 1, /* weak values: lightuserdata(C pointer) -> userdata */
  MWL_UV_EXTERNS,     /* externref values: array, index = the C pointer */
  MWL_UV_EXTERN_IDX,  /* value -> its index in MWL_UV_EXTERNS */
  MWL_UV_ERRORS,      /* lightuserdata(anchor) -> anchor of an error in flight */
  MWL_UV_WEAKKEYS,    /* {__mode = "k"}, the metatable of holders tables */
  MWL_STATE_NUV = MWL_UV_WEAKKEYS
};

/* The first member of every userdata that owns a C object (see the top of
 * this file).  `release` frees the C object of the userdata at idx. */
typedef struct mwl_life {
  bool closed;            /* closed from Lua: every use raises */
  bool freed;             /* the C object is gone */
  unsigned char keep_uv;  /* user value of its keep set (0: holds nothing) */
  unsigned char holders_uv; /* user value of the weak set of its holders */
  int busy;               /* calls (stores, host functions, wasi:start) */
  void (*release)(lua_State *L, int idx);
} mwl_life;

/* How a module's code counts (mw_config.count_*, cost_table). */
typedef struct mwl_counting {
  bool instructions, cost;
  const uint64_t *costs; /* a CostTable userdata, kept by a user value */
} mwl_counting;

typedef struct mwl_store {
  mwl_life life;   /* life.busy: calls and instantiations in progress */
  mw_store *s;     /* NULL once freed */
  mwl_state *st;
  mwl_counting how; /* how its config counts, read once when it was made */
  bool has_wasi;   /* a wasi context is defined in it (wasi:exit_code) */
  bool wasi_ran;   /* ... and each knows that a call returned (W->ran) */
  bool count_time; /* config statistics.time: time the calls */
  int running;     /* calls into the runtime in progress (for the timing) */
  double time;     /* seconds spent in calls (count_time) */
  double t0;       /* when the outermost call began */
} mwl_store;
enum {
  MWL_STORE_KEEP = 1,
  MWL_STORE_LUAFUNCS,
  MWL_STORE_HOLDERS,
  MWL_STORE_CONFIG, /* the config table it was made with (or nil) */
  MWL_STORE_COSTS,  /* the CostTable of that config (or nil): how.costs */
  MWL_STORE_WASI,   /* the set of wasi contexts defined in it (or nil) */
  MWL_STORE_FIBERS, /* idle Fibers for calls from coroutines (or nil) */
  MWL_STORE_NUV = MWL_STORE_FIBERS
};

/* Func, Memory, Table and Global share one layout. */
typedef struct mwl_obj {
  mwl_life life;      /* host objects; exported ones have no `release` */
  void *p;            /* mw_func* / mw_memory* / ...; NULL once freed */
  mwl_store *owner;   /* the store defining it; NULL for host objects */
  mwl_state *st;
  mw_extern_kind kind;
  bool host;          /* made here with mw_*_new: ours to free */
  bool with_caller;   /* host functions: pass a Caller first */
  /* Funcs: the call plan of lmoonwasm_call.c, 1 numbers and v128 only
   * (np, nr, types 3 bits each), -1 not, 0 not yet known */
  signed char plan;
  unsigned char np, nr;
  uint64_t ptypes, rtypes;
  int fnref;          /* raw host Funcs: key of the Lua function (0: none) */
} mwl_obj;
/* user values: 1 the owner store (exported objects); 2 the Lua function
 * (host Func) or the keep set (host Table/Global); 3 a name for messages;
 * 4 its holders (host objects) */
enum {
  MWL_OBJ_OWNER = 1,
  MWL_OBJ_DATA,
  MWL_OBJ_NAME,
  MWL_OBJ_HOLDERS,
  MWL_OBJ_NUV = MWL_OBJ_HOLDERS
};

/* Entering the runtime from Lua (mwl_enter/mwl_leave). */
typedef struct mwl_entry {
  mwl_state *st;
  lua_State *prev;
} mwl_entry;

typedef struct mwl_instance {
  mw_instance *i;  /* NULL once closed */
  mwl_store *store;
  bool owns_store; /* made by wasm.instantiate: closing it closes the store */
} mwl_instance;
enum { MWL_INST_STORE = 1, MWL_INST_EXPORTS, MWL_INST_MODULE, MWL_INST_NUV = 3 };

typedef struct mwl_module {
  mw_module *m;        /* NULL once closed */
  mw_module *counted;  /* m decoded again for a counting store, or NULL */
  mw_config cfg;       /* the config m was decoded with */
  mwl_counting how;    /* how m counts */
  mwl_counting counted_how;
} mwl_module;
/* user values: the bytes, the CostTable of cfg and the one `counted` was
 * decoded with (cfg.cost_table and counted_how.costs point into them) */
enum {
  MWL_MODULE_BYTES = 1,
  MWL_MODULE_COSTS,
  MWL_MODULE_COUNTED_COSTS,
  MWL_MODULE_NUV = MWL_MODULE_COUNTED_COSTS
};

typedef struct mwl_caller {
  mw_caller *c; /* NULL once its host call has returned */
  mwl_state *st;
} mwl_caller;

/* Per mw_extern_kind (the index): the metatable of its objects, the wasm
 * keyword ("func": import and export descriptions) and the noun used in
 * messages ("attempt to use a closed function"). */
typedef struct mwl_kind {
  const char *tname, *keyword, *noun;
} mwl_kind;
extern const mwl_kind mwl_kinds[5];

/* ---- lmoonwasm_text.c: core.wat, core.parse_wast */
void mwl_register_text(lua_State *L);

LUAMOD_API int luaopen_moonwasm_core(lua_State *L);

/* ---- lmoonwasm.c: state, errors, arguments, values, object map, lifetimes */
mwl_state *mwl_getstate(lua_State *L);
void mwl_pushstatetable(lua_State *L, int which);
void mwl_pusherror(lua_State *L, const char *kind, const char *message);
int mwl_usage(lua_State *L, const char *fmt, ...);
int mwl_raise_kind(lua_State *L, const char *kind, const char *fmt, ...);
void mwl_pusherr(lua_State *L, mw_error *err);
int mwl_raise(lua_State *L, mw_error *err);
mw_error *mwl_lua_failure(lua_State *L, int status);
const char *mwl_typename(lua_State *L, int idx);
void *mwl_checkself(lua_State *L, int idx, const char *tname);
void *mwl_checkudata(lua_State *L, int idx, const char *tname,
                     const char *what);
lua_Integer mwl_checkint(lua_State *L, int idx, const char *what);
lua_Integer mwl_optint(lua_State *L, int idx, const char *what,
                       lua_Integer dflt);
const char *mwl_checkstring(lua_State *L, int idx, size_t *len,
                            const char *what);
void mwl_pushbadvalue(lua_State *L, int idx, const char *expected,
                      bool integer);
mw_valtype mwl_valtype_of(lua_State *L, int idx, const char *what);
int mwl_toval(lua_State *L, int idx, mw_valtype t, mw_val *out, bool bits);
void mwl_pushval(lua_State *L, mw_val v, bool bits, mwl_store *hint);
/* lmoonwasm_gc.c: values of function type ft's parameters and results,
 * which may be GC references of store s (see there); s may be NULL when no
 * reference of the any hierarchy can occur. */
int mwl_toval_ft(lua_State *L, int idx, const mw_functype *ft, mw_valtype t,
                 mw_val *out, bool bits, mw_store *s);
void mwl_pushval_ft(lua_State *L, mw_val v, const mw_functype *ft, bool bits,
                    mwl_store *hint, mw_store *s);
void mwl_open_gc(lua_State *L);
/* lmoonwasm.c: externref <-> Lua value */
void *mwl_extern_ref(lua_State *L, int idx);
void mwl_push_extern(lua_State *L, void *p);
int mwl_getint(lua_State *L, int idx, lua_Integer *out);
void mwl_map_get(lua_State *L, const void *key);
void mwl_map_set(lua_State *L, const void *key, int idx);
void mwl_map_clear(lua_State *L, const void *key, const void *ud);
mwl_store *mwl_pushstore_of(lua_State *L, mw_store *s);
void mwl_pushextern(lua_State *L, mw_extern ext, mwl_store *owner,
                    const char *name, size_t name_len);
mwl_obj *mwl_testobj(lua_State *L, int idx);
/* lmoonwasm_obj.c, exception handling: the Tag object of a tag (one per
 * tag, holding a reference), and an error object of kind "exception". */
void mwl_pushtag(lua_State *L, mw_tag *t);
void mwl_pushexception(lua_State *L, mw_tag *t, const mw_val *vals, size_t n);
/* The exception error object at idx as an MW_ERR_EXCEPTION error, or NULL
 * if it is not one (may raise on bad values). */
mw_error *mwl_toexception(lua_State *L, int idx);
void mwl_hold(lua_State *L, int holder, int idx);
void mwl_release(lua_State *L, int idx);
void mwl_close(lua_State *L, int idx);

/* ---- lmoonwasm_obj.c */
mwl_obj *mwl_newobj(lua_State *L, mw_extern_kind kind, void *p,
                    mwl_store *owner, int owner_idx);
mwl_obj *mwl_checkobj(lua_State *L, int idx, const char *tname);
mwl_store *mwl_checkownerstore(lua_State *L, mwl_obj *o);
int mwl_call(lua_State *L, int first, mw_func *f, mwl_store *S,
             const char *name, bool bits);
void mwl_enter(lua_State *L, mwl_store *S, mwl_entry *e);
bool mwl_leave(mwl_store *S, mwl_entry *e);
double mwl_now(void); /* seconds, CLOCK_MONOTONIC */
/* mwl_enter and mwl_leave for a store (S not NULL), inline for the call
 * paths. */
static inline void mwl_enter_store(lua_State *L, mwl_store *S, mwl_entry *e) {
  mwl_state *st = S->st;
  e->st = st;
  e->prev = st->current;
  st->current = L;
  st->depth++;
  S->life.busy++;
  if (S->running++ == 0 && S->count_time) S->t0 = mwl_now();
}
static inline bool mwl_leave_store(mwl_store *S, mwl_entry *e) {
  mwl_state *st = e->st;
  st->current = e->prev;
  st->depth--;
  S->life.busy--;
  if (--S->running == 0 && S->count_time) S->time += mwl_now() - S->t0;
  return st->depth == 0;
}
/* See lmoonwasm_obj.c; the common case (nothing to do) inline. */
void mwl_settle_slow(lua_State *L, mwl_store *S, bool ran, const mw_error *exit);
static inline void mwl_settle(lua_State *L, mwl_store *S, bool ran,
                              const mw_error *exit) {
  if (!S || S->life.busy || !S->s) return;
  if (S->life.closed || (ran && S->has_wasi && (exit || !S->wasi_ran)))
    mwl_settle_slow(L, S, ran, exit);
}
void mwl_newhostfunc(lua_State *L, const mw_functype *t, int fn_idx,
                     bool with_caller, int name_idx);
void mwl_open_objects(lua_State *L);
void mwl_register_objects(lua_State *L);

/* ---- lmoonwasm_store.c */
void mwl_pushfunctype(lua_State *L, const mw_functype *t);
void mwl_pushexterntype(lua_State *L, const mw_externtype *t);
mwl_store *mwl_checkstore(lua_State *L, int idx);
int mwl_pushinstance(lua_State *L, mw_instance *inst);
void mwl_pushexports(lua_State *L, int inst_idx);
void mwl_open_stores(lua_State *L);
void mwl_register_stores(lua_State *L);

/* A wasm -> Lua host call in progress (lmoonwasm_obj.c, and the fiber
 * path of lmoonwasm_fiber.c). */
typedef struct mwl_hostcall {
  mwl_obj *h;
  mw_caller *caller;
  const mw_val *args;
  mw_val *results;
  const mw_functype *type;
  mwl_caller *cobj; /* the Caller object, invalidated on return */
} mwl_hostcall;
/* lua_CFunctions: prepare(hc) pushes nil or the Caller, the Lua function
 * and its arguments; finish(results..., hc) converts the results. */
int mwl_host_prepare(lua_State *L);
int mwl_host_finish(lua_State *L);
/* mwl_host_finish in a protected call on the results above top + 1 (a Lua
 * status; "Lua stack overflow" if there is no room). */
int mwl_host_finish_at(lua_State *L, int top, mwl_hostcall *hc);

/* ---- lmoonwasm_fiber.c */
int mwl_fiber_call(lua_State *L, mw_func *f, mwl_store *S, const mw_val *args,
                   size_t nargs, bool bits);
void mwl_open_fiber(lua_State *L);
/* mwl_call_fast in a coroutine: wasm Func o (plan > 0) with its arguments
 * converted to io. */
int mwl_fiber_call_raw(lua_State *L, mwl_obj *o, int fidx, mw_raw *io, bool bits);

/* ---- lmoonwasm_call.c: fast paths for numbers-only signatures */
#define MWL_PLAN_MAX 16
/* Compute o's plan once (t: its type); true if calls can use it. */
bool mwl_plan(mwl_obj *o, const mw_functype *t);
/* Call the wasm Func o (open, in an open store, its plan > 0) with the
 * `nargs` arguments from stack index `first` on (`bits`: as call_bits);
 * o's userdata is at fidx:
 * the number of results pushed, or -1 if the fast path does not apply
 * (nothing done: call mwl_call).  From a coroutine the call runs as a
 * fiber (mwl_fiber_call_raw). */
int mwl_call_fast(lua_State *L, mwl_obj *o, int fidx, int first, int nargs,
                  bool bits);
/* Called as Func's __call, call and call_bits (upvalue 2 the state): the
 * call of the Func at index 1 on the fast path, or -1 if it does not
 * apply (nothing done: the general path gives every message). */
int mwl_func_call_quick(lua_State *L, bool bits);
/* The same calls' check of the Func at index 1: open and in an open
 * store, or NULL (then mwl_checkobj gives the message). */
mwl_obj *mwl_func_quick_check(lua_State *L);
/* Push the results of o's plan from io. */
void mwl_push_results_raw(lua_State *L, const mwl_obj *o, const mw_raw *io, bool bits);
/* A raw host function (mw_func_new_raw, userdata h, h's plan > 0) and the
 * key of its Lua function (at fn_idx), set up and dropped with it. */
mw_error *mwl_host_raw(mw_caller *caller, mw_raw *io, void *userdata);
void mwl_fn_register(lua_State *L, mwl_obj *h, int fn_idx);
/* The Lua side of a raw host call of h with arguments io: push above the
 * top the anchor (h's Caller, or anything), the message handler and the
 * function and its arguments (the count returned, or -1 with nothing
 * pushed: take the general path); *cobj is the Caller made (or NULL), to
 * invalidate once the call is over.  Then, after a protected call of it
 * with that handler, take its results (above top + 2) into io: false if
 * they do not convert (the general finish step then says why). */
int mwl_host_push_raw(lua_State *L, mwl_obj *h, mw_caller *caller, const mw_raw *io,
                      mwl_caller **cobj);
bool mwl_host_take_raw(lua_State *L, int top, const mwl_obj *h, mw_raw *io);
void mwl_fn_unregister(lua_State *L, mwl_obj *h);
/* lmoonwasm_obj.c: the general host call on typed values, and the end of a
 * failed call (raises, or returns 0 for an outermost WASI exit). */
mw_error *mwl_host_trampoline(mw_caller *caller, const mw_val *args,
                              mw_val *results, void *userdata);
int mwl_call_failed(lua_State *L, mwl_store *S, mw_error *err, bool outermost);

/* ---- lmoonwasm_v128.c: v128 and lanes into the table on top */
void mwl_register_v128(lua_State *L);

/* ---- lmoonwasm_hostctl.c */
void mwl_open_hostctl(lua_State *L);
/* Host function failures: the message handler for its pcall (notes the
 * Lua traceback), and what adds the layers to the error value on top:
 * a moonwasm error object gains a Lua frame for host function h and the
 * wasm frames that called it (frames, traceback); any other value is
 * noted for wasm.traceback(value). */
int mwl_host_msgh(lua_State *L);
void mwl_host_error_context(lua_State *L, mwl_obj *h, const mw_caller *caller);
void mwl_register_hostctl(lua_State *L); /* core.sigint_count */

/* ---- lmoonwasm_wasi.c */
void mwl_wasi_ran(lua_State *L, int store_idx, const mw_error *exit);
void mwl_open_wasi(lua_State *L);
void mwl_register_wasi(lua_State *L);

/* ---- lmoonwasm_aot.c */
void mwl_register_aot(lua_State *L);

#endif
