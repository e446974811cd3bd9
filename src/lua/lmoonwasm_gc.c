/*
 * lmoonwasm_gc.c -- GC references (Wasm 3.0) in Lua.
 *
 * A reference of the any hierarchy (struct, array, i31, and exnref) reaches
 * Lua as a moonwasm.GCRef userdata: opaque, comparable with == (ref.eq),
 * printable, and accepted back wherever wasm takes a reference of its
 * hierarchy -- as an externref too (extern.convert_any).  While the userdata
 * lives the store's collector keeps the object (mw_ref_hold), and the
 * userdata keeps its store alive (user value).  A host value that wasm
 * turned into an anyref (any.convert_extern) comes back as that Lua value,
 * and any other Lua value passed where an anyref is expected becomes one
 * the same way, so both conversions round-trip.
 */
#include <string.h>

#include "lmoonwasm.h"

#define MWL_GCREF "moonwasm.GCRef"

typedef struct mwl_gcref {
  mw_store *s;   /* the store whose heap owns ref */
  void *ref;     /* any hierarchy: never NULL */
} mwl_gcref;

/* The store userdata of user value 1, if it still has s. */
static bool store_alive(lua_State *L, int idx, const mwl_gcref *g) {
  lua_getiuservalue(L, idx, 1);
  mwl_store *S = (mwl_store *)luaL_testudata(L, -1, MWL_STORE);
  lua_pop(L, 1);
  return S && S->s == g->s;
}

static int gcref_gc(lua_State *L) {
  mwl_gcref *g = (mwl_gcref *)luaL_checkudata(L, 1, MWL_GCREF);
  if (g->ref && store_alive(L, 1, g)) mw_ref_release(g->s, g->ref);
  g->ref = NULL;
  return 0;
}

static const char *kind_name(const void *ref) {
  switch (mw_ref_kind_of(ref)) {
  case MW_REF_I31: return "i31";
  case MW_REF_STRUCT: return "struct";
  case MW_REF_ARRAY: return "array";
  case MW_REF_HOST: return "host";
  default: return "ref";
  }
}

static int gcref_tostring(lua_State *L) {
  mwl_gcref *g = (mwl_gcref *)luaL_checkudata(L, 1, MWL_GCREF);
  if (g->ref && mw_ref_kind_of(g->ref) == MW_REF_I31)
    lua_pushfstring(L, "i31 %d", (int)mw_ref_i31_value(g->ref));
  else
    lua_pushfstring(L, "%s: %p", kind_name(g->ref), g->ref);
  return 1;
}

/* ref.eq: the same object, or i31s of the same value. */
static int gcref_eq(lua_State *L) {
  mwl_gcref *a = (mwl_gcref *)luaL_testudata(L, 1, MWL_GCREF);
  mwl_gcref *b = (mwl_gcref *)luaL_testudata(L, 2, MWL_GCREF);
  lua_pushboolean(L, a && b && a->s == b->s && a->ref == b->ref);
  return 1;
}

/** What the reference is: "struct", "array", "i31" or "ref".
 * @function GCRef:kind */
static int gcref_kind(lua_State *L) {
  mwl_gcref *g = (mwl_gcref *)luaL_checkudata(L, 1, MWL_GCREF);
  lua_pushstring(L, kind_name(g->ref));
  return 1;
}

/** An i31 reference's value (signed, as i31.get_s), else nil.
 * @function GCRef:i31 */
static int gcref_i31(lua_State *L) {
  mwl_gcref *g = (mwl_gcref *)luaL_checkudata(L, 1, MWL_GCREF);
  if (mw_ref_kind_of(g->ref) != MW_REF_I31) return 0;
  lua_pushinteger(L, mw_ref_i31_value(g->ref));
  return 1;
}

/** Collect the store's GC heap now: true, or false when it cannot run
 * here (a wasm frame whose references it cannot find).
 * @function Store:collect_garbage */
static int store_collect(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  lua_pushboolean(L, mw_store_gc_collect(S->s));
  return 1;
}

/** The store's GC heap: {collections=, objects_allocated=,
 * bytes_allocated=, objects_freed=, bytes_freed=, live_objects=,
 * live_bytes=}.
 * @function Store:gc_stats */
static int store_gc_stats(lua_State *L) {
  mwl_store *S = mwl_checkstore(L, 1);
  mw_gc_info gi;
  mw_store_gc_info(S->s, &gi);
  lua_createtable(L, 0, 7);
  lua_pushinteger(L, (lua_Integer)gi.collections);
  lua_setfield(L, -2, "collections");
  lua_pushinteger(L, (lua_Integer)gi.objects_allocated);
  lua_setfield(L, -2, "objects_allocated");
  lua_pushinteger(L, (lua_Integer)gi.bytes_allocated);
  lua_setfield(L, -2, "bytes_allocated");
  lua_pushinteger(L, (lua_Integer)gi.objects_freed);
  lua_setfield(L, -2, "objects_freed");
  lua_pushinteger(L, (lua_Integer)gi.bytes_freed);
  lua_setfield(L, -2, "bytes_freed");
  lua_pushinteger(L, (lua_Integer)gi.live_objects);
  lua_setfield(L, -2, "live_objects");
  lua_pushinteger(L, (lua_Integer)gi.live_bytes);
  lua_setfield(L, -2, "live_bytes");
  return 1;
}

void mwl_open_gc(lua_State *L) {
  static const luaL_Reg store_methods[] = {{"collect_garbage", store_collect},
                                           {"gc_stats", store_gc_stats},
                                           {NULL, NULL}};
  luaL_getmetatable(L, MWL_STORE);
  lua_getfield(L, -1, "__index");
  luaL_setfuncs(L, store_methods, 0);
  lua_pop(L, 2);

  static const luaL_Reg meta[] = {{"__gc", gcref_gc},
                                  {"__tostring", gcref_tostring},
                                  {"__eq", gcref_eq},
                                  {NULL, NULL}};
  static const luaL_Reg methods[] = {{"kind", gcref_kind}, {"i31", gcref_i31}, {NULL, NULL}};
  luaL_newmetatable(L, MWL_GCREF);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

/* Push a GCRef for the any-hierarchy reference ref (not NULL) of s. */
static void push_gcref(lua_State *L, mw_store *s, void *ref) {
  mwl_gcref *g = (mwl_gcref *)lua_newuserdatauv(L, sizeof *g, 1);
  g->s = s;
  g->ref = NULL;
  luaL_setmetatable(L, MWL_GCREF);
  if (!mwl_pushstore_of(L, s)) {
    /* a store without a Lua object (the scratch store): nothing can
     * release the hold later, so the reference is only good for now */
    lua_pop(L, 1);
    g->ref = ref;
    return;
  }
  lua_setiuservalue(L, -2, 1);
  if (!mw_ref_hold(s, ref)) luaL_error(L, "not enough memory");
  g->ref = ref;
}

/* The value of a reference-typed call value for Lua.  top is its
 * hierarchy (mw_functype_ref_top). */
static void push_ref(lua_State *L, mw_store *s, void *ref, unsigned top) {
  if (!ref) {
    lua_pushnil(L);
  } else if (top == MW_HT_EXTERN) {
    if (s && mw_ref_is_externalized(s, ref)) {
      void *any = NULL;
      mw_ref_internalize(s, ref, &any); /* an externalized one: no allocation */
      push_gcref(L, s, any);
    } else {
      mwl_push_extern(L, ref);
    }
  } else if (mw_ref_kind_of(ref) == MW_REF_HOST) {
    mwl_push_extern(L, mw_ref_host_value(ref));
  } else {
    push_gcref(L, s, ref);
  }
}

void mwl_pushval_ft(lua_State *L, mw_val v, const mw_functype *ft, bool bits,
                    mwl_store *hint, mw_store *s) {
  unsigned top = mw_functype_ref_top(ft, v.type);
  if (top == MW_HT_ANY || top == MW_HT_EXN || top == MW_HT_EXTERN) {
    push_ref(L, s, v.of.externref, top);
    return;
  }
  if (top == MW_HT_FUNC && v.type != MW_FUNCREF) v.type = MW_FUNCREF;
  mwl_pushval(L, v, bits, hint);
}

int mwl_toval_ft(lua_State *L, int idx, const mw_functype *ft, mw_valtype t,
                 mw_val *out, bool bits, mw_store *s) {
  unsigned top = mw_functype_ref_top(ft, t);
  /* numbers, vectors and the func hierarchy: lmoonwasm.c */
  if (top == 0 || top == MW_HT_FUNC ||
      (t == MW_EXTERNREF && !luaL_testudata(L, idx, MWL_GCREF)))
    return mwl_toval(L, idx, t, out, bits);
  mwl_gcref *g = (mwl_gcref *)luaL_testudata(L, idx, MWL_GCREF);
  /* (ref extern) given a host value: an externref like any other */
  if (top == MW_HT_EXTERN && !g && !lua_isnoneornil(L, idx)) {
    if (!mwl_toval(L, idx, MW_EXTERNREF, out, bits)) return 0;
    out->type = t;
    return 1;
  }
  if (lua_isnoneornil(L, idx)) {
    if (!MW_VT_NULLABLE(t)) {
      lua_pushstring(L, "expected a non-null reference, got nil");
      return 0;
    }
    out->type = t;
    out->of.externref = NULL;
    return 1;
  }
  if (g && (!g->ref || !s || g->s != s)) {
    lua_pushstring(L, g->ref ? "GC reference of another store" : "GC reference already released");
    return 0;
  }
  void *ref = NULL;
  mw_error *err = NULL;
  if (top == MW_HT_EXTERN) { /* a GCRef here: extern.convert_any */
    err = mw_ref_externalize(s, g->ref, &ref);
  } else if (g) {
    ref = g->ref;
  } else if (top == MW_HT_ANY && s) { /* any other Lua value: any.convert_extern */
    err = mw_ref_internalize(s, mwl_extern_ref(L, idx), &ref);
  } else {
    lua_pushfstring(L, "expected a GC reference, got %s", luaL_typename(L, idx));
    return 0;
  }
  if (err) {
    mw_error_free(err);
    lua_pushstring(L, "not enough memory");
    return 0;
  }
  /* wasm trusts its types: a reference of another type never gets in */
  if (top != MW_HT_EXTERN && !mw_ref_matches(ft, t, ref)) {
    char buf[64];
    mw_valtype_format(t, buf, sizeof buf);
    lua_pushfstring(L, "expected %s, got a reference of another type", buf);
    return 0;
  }
  out->type = t;
  out->of.externref = ref;
  return 1;
}
