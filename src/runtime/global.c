/*
 * global.c -- global variables (spec 4.2.9 "Global Instances").
 *
 * The value lives in the first member so the interpreter can read and write
 * a global through its pointer without knowing the rest of the struct.
 */
#include "internal.h"

/* A v128 fills all 16 bytes; other values the first slot. */
static void store_value(mw_global *g, mw_val v) {
  if (v.type == MW_V128)
    memcpy(g->value_v128, v.of.v128, 16);
  else
    g->value = mw_slot_from_val(v);
}

mw_global *mw_global_new(const mw_config *cfg, mw_globaltype type, mw_val v) {
  if (mwt_host_value_check(NULL, type.type, v) ||
      !(mw_valtype_is_num(type.type) || mw_valtype_is_ref(type.type) || type.type == MW_V128))
    return NULL;
  mw_allocator a = mw_allocator_of(cfg);
  mw_global *g = mw_calloc(&a, 1, sizeof *g);
  if (!g) return NULL;
  store_value(g, v);
  g->type = type;
  g->alloc = a;
  return g;
}

/* Frees any global, including one its instance defined (store.c). */
void mws_global_destroy(mw_global *g) {
  if (!g) return;
  mw_allocator a = g->alloc;
  mw_free(&a, g, sizeof *g);
}

/* Only what mw_global_new made: one an instance defined belongs to its store,
 * like a wasm function (mw_func_free). */
void mw_global_free(mw_global *g) {
  if (g && !g->store_owned) mws_global_destroy(g);
}

mw_globaltype mw_global_type(const mw_global *g) { return g->type; }

mw_val mw_global_get(const mw_global *g) {
  if (g->type.type == MW_V128) return mw_val_v128(g->value_v128);
  mw_val v = mw_val_from_slot(g->type.type, g->value);
  mwt_classify(g->tmod, &g->type.type, 1, &v);
  return v;
}

mw_error *mw_global_set(mw_global *g, mw_val v) {
  if (!g->type.mutable_)
    return mw_errorf(MW_ERR_USAGE, "%s", MW_MSG_GLOBAL_IMMUTABLE);
  const char *why = mwt_host_value_check(g->tmod, g->type.type, v);
  if (why) return mwt_host_value_error(MW_ERR_USAGE, "global", 0, why, g->type.type, v);
  store_value(g, v);
  return NULL;
}
