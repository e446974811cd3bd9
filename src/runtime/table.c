/*
 * table.c -- tables of references (spec 4.2.7 "Table Instances", 4.5.3
 * "Growing tables").
 *
 * Elements are slots holding a reference: an mw_func * in a funcref table,
 * the host's pointer in an externref table, NULL for null either way.
 */
#include "internal.h"

static uint32_t table_effective_max(const mw_config *cfg, mw_tabletype type) {
  uint32_t max = cfg->max_table_size;
  if (type.limits.has_max && type.limits.max < max) max = type.limits.max;
  return max;
}

static void fill_slots(mw_slot *elems, uint32_t from, uint32_t to,
                       mw_slot v) {
  for (uint32_t i = from; i < to; i++) elems[i] = v;
}

mw_table *mw_table_new(const mw_config *cfg, mw_tabletype type, mw_val init) {
  mw_config defaults;
  if (!cfg) {
    mw_config_default(&defaults);
    cfg = &defaults;
  }
  if (!mw_valtype_is_ref(type.elem) || mwt_host_value_check(NULL, type.elem, init)) return NULL;
  uint32_t max = table_effective_max(cfg, type);
  if (type.limits.min > max) return NULL;

  mw_allocator a = mw_allocator_of(cfg);
  mw_table *t = mw_calloc(&a, 1, sizeof *t);
  if (!t) return NULL;
  if (type.limits.min) {
    t->elems = mw_calloc(&a, type.limits.min, sizeof *t->elems);
    if (!t->elems) {
      mw_free(&a, t, sizeof *t);
      return NULL;
    }
    fill_slots(t->elems, 0, type.limits.min, mw_slot_from_val(init));
  }
  t->size = type.limits.min;
  t->max = max;
  t->type = type;
  t->alloc = a;
  return t;
}

/* Frees any table, including one its instance defined (store.c). */
void mws_table_destroy(mw_table *t) {
  if (!t) return;
  mw_allocator a = t->alloc;
  mw_free(&a, t->elems, (size_t)t->size * sizeof *t->elems);
  mw_free(&a, t, sizeof *t);
}

/* Only what mw_table_new made: one an instance defined belongs to its store,
 * like a wasm function (mw_func_free). */
void mw_table_free(mw_table *t) {
  if (t && !t->store_owned) mws_table_destroy(t);
}

mw_tabletype mw_table_type(const mw_table *t) {
  mw_tabletype tt = t->type;
  tt.limits.min = t->size;
  return tt;
}

uint32_t mw_table_size(const mw_table *t) { return t->size; }

bool mw_table_get(const mw_table *t, uint32_t i, mw_val *out) {
  if (i >= t->size) return false;
  *out = mw_val_from_slot(t->type.elem, t->elems[i]);
  mwt_classify(t->tmod, &t->type.elem, 1, out);
  return true;
}

static mw_error *check_elem_type(const mw_table *t, mw_val v) {
  const char *why = mwt_host_value_check(t->tmod, t->type.elem, v);
  return why ? mwt_host_value_error(MW_ERR_USAGE, "table element", 0, why, t->type.elem, v)
             : NULL;
}

mw_error *mw_table_set(mw_table *t, uint32_t i, mw_val v) {
  mw_error *err = check_elem_type(t, v);
  if (err) return err;
  if (i >= t->size) return mw_errorf(MW_ERR_TRAP, "%s", MW_MSG_OOB_TABLE);
  t->elems[i] = mw_slot_from_val(v);
  return NULL;
}

int64_t mw_table_grow_internal(mw_table *t, uint32_t delta, mw_slot init) {
  uint32_t old_size = t->size;
  if (delta == 0) return old_size;
  uint64_t new_size = (uint64_t)old_size + delta;
  if (new_size > t->max || new_size > SIZE_MAX / sizeof *t->elems) return -1;

  mw_slot *elems = mw_realloc(&t->alloc, t->elems,
                              (size_t)old_size * sizeof *elems,
                              (size_t)new_size * sizeof *elems);
  if (!elems) return -1; /* unchanged, as table.grow's -1 promises */
  fill_slots(elems, old_size, (uint32_t)new_size, init);
  t->elems = elems;
  t->size = (uint32_t)new_size;
  return old_size;
}

int64_t mw_table_grow(mw_table *t, uint32_t delta, mw_val init) {
  if (mwt_host_value_check(t->tmod, t->type.elem, init)) return -1;
  return mw_table_grow_internal(t, delta, mw_slot_from_val(init));
}
