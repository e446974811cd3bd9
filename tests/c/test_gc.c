/*
 * test_gc.c -- the store's GC heap (src/runtime/gc.c): layouts, i31
 * encoding, allocation, roots held by the host and registered slots,
 * tracing through struct and array fields, cycles, the extern/any
 * conversions, collections started by allocation volume, a mark stack
 * that cannot grow, and stack maps (gc_map.c).
 *
 * Every store uses a tracking allocator; each test ends by checking that
 * every byte came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

typedef struct tracker {
  long long live;
  long fail_after; /* allocations to allow before refusing; -1: never */
} tracker;

static void *tracking_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  tracker *t = ud;
  if (nsize == 0) {
    if (ptr) t->live -= (long long)osize;
    free(ptr);
    return NULL;
  }
  if (t->fail_after == 0) return NULL;
  if (t->fail_after > 0) t->fail_after--;
  void *p = realloc(ptr, nsize);
  if (!p) return NULL;
  t->live += (long long)nsize - (ptr ? (long long)osize : 0);
  return p;
}

static mw_store *tracked_store(tracker *t) {
  mw_config cfg;
  mw_config_default(&cfg);
  t->live = 0;
  t->fail_after = -1;
  cfg.alloc = tracking_alloc;
  cfg.alloc_ud = t;
  return mw_store_new(&cfg);
}

/* A struct {ref any, ref any, i32} and an array of any refs. */
typedef struct fixture {
  tracker tr;
  mw_store *s;
  mw_gc_type *pair, *arr, *bytes, *ext_pair;
} fixture;

static void setup(fixture *f) {
  f->s = tracked_store(&f->tr);
  const uint8_t st[] = {MW_GCS_ANY, MW_GCS_ANY, MW_GCS_I32};
  const uint8_t est[] = {MW_GCS_EXTERN, MW_GCS_I8};
  f->pair = mwgc_type_struct(&f->s->alloc, 3, st, NULL);
  f->arr = mwgc_type_array(&f->s->alloc, MW_GCS_ANY, true);
  f->bytes = mwgc_type_array(&f->s->alloc, MW_GCS_I8, true);
  f->ext_pair = mwgc_type_struct(&f->s->alloc, 2, est, NULL);
}

static void teardown(fixture *f) {
  mw_allocator a = f->s->alloc;
  mw_store_free(f->s); /* frees the heap: types must outlive it */
  mwgc_type_free(&a, f->pair);
  mwgc_type_free(&a, f->arr);
  mwgc_type_free(&a, f->bytes);
  mwgc_type_free(&a, f->ext_pair);
  CHECK_EQ_INT(f->tr.live, 0);
}

static void set_field(mw_gc_obj *o, uint32_t i, void *v) {
  memcpy(MWGC_PAYLOAD(o) + o->type->fields[i].offset, &v, sizeof v);
}

static void set_elem(mw_gc_obj *o, uint32_t i, void *v) {
  memcpy(MWGC_PAYLOAD(o) + (size_t)i * sizeof v, &v, sizeof v);
}

static size_t live_objects(mw_store *s) {
  mw_gc_stats st;
  mwgc_stats(s, &st);
  return st.live_objects;
}

static void test_layout(void) {
  fixture f;
  setup(&f);
  const uint8_t st[] = {MW_GCS_I8, MW_GCS_I64, MW_GCS_I16, MW_GCS_V128, MW_GCS_ANY, MW_GCS_F32};
  const bool mut[] = {true, false, true, false, true, false};
  mw_gc_type *t = mwgc_type_struct(&f.s->alloc, 6, st, mut);
  CHECK(t != NULL);
  CHECK_EQ_INT(t->kind, MW_GCK_STRUCT);
  CHECK_EQ_INT(t->fields[0].offset, 0);
  CHECK_EQ_INT(t->fields[1].offset, 8);  /* i64 aligned to 8 */
  CHECK_EQ_INT(t->fields[2].offset, 16);
  CHECK_EQ_INT(t->fields[3].offset, 24); /* v128 aligned to 8 */
  CHECK_EQ_INT(t->fields[4].offset, 40);
  CHECK_EQ_INT(t->fields[5].offset, 48);
  CHECK_EQ_INT(t->size, 56);
  CHECK_EQ_INT(t->nrefs, 1);
  CHECK_EQ_INT(t->refs[0], 4);
  CHECK(t->fields[2].mut && !t->fields[3].mut);
  CHECK_EQ_INT(f.bytes->elem_size, 1);
  CHECK_EQ_INT(f.arr->elem_size, 8);
  CHECK_EQ_INT(mwgc_storage_size(MW_GCS_I16), 2);
  mwgc_type_free(&f.s->alloc, t);
  teardown(&f);
}

static void test_i31(void) {
  CHECK_EQ_INT(mwgc_i31_get_u(mwgc_i31_new(0)), 0);
  CHECK_EQ_INT(mwgc_i31_get_s(mwgc_i31_new(0x3FFFFFFFu)), 0x3FFFFFFF);
  CHECK_EQ_INT(mwgc_i31_get_s(mwgc_i31_new(0x40000000u)), -0x40000000);
  CHECK_EQ_INT(mwgc_i31_get_u(mwgc_i31_new(0x40000000u)), 0x40000000);
  /* ref.i31 keeps the low 31 bits: -1 becomes 0x7FFFFFFF */
  CHECK_EQ_INT(mwgc_i31_get_u(mwgc_i31_new(0xFFFFFFFFu)), 0x7FFFFFFF);
  CHECK_EQ_INT(mwgc_i31_get_s(mwgc_i31_new(0xFFFFFFFFu)), -1);
  CHECK_EQ_INT(mwgc_i31_get_s(mwgc_i31_new(0x80000000u)), 0);
  CHECK(MWGC_IS_I31(mwgc_i31_new(5)) && !MWGC_IS_OBJ(mwgc_i31_new(5)));
  CHECK(!MWGC_IS_OBJ(NULL));
  /* same value, same bits: ref.eq is a pointer compare */
  CHECK(mwgc_i31_new(77) == mwgc_i31_new(77 | 0x80000000u));
}

static void test_holds_and_tracing(void) {
  fixture f;
  setup(&f);
  mw_gc_obj *a = mwgc_alloc(f.s, f.pair, 0, NULL);
  mw_gc_obj *b = mwgc_alloc(f.s, f.pair, 0, NULL);
  mw_gc_obj *c = mwgc_alloc(f.s, f.arr, 3, NULL);
  mw_gc_obj *d = mwgc_alloc(f.s, f.pair, 0, NULL);
  mw_gc_obj *garbage = mwgc_alloc(f.s, f.pair, 0, NULL);
  CHECK(a && b && c && d && garbage);
  CHECK_EQ_INT(c->len, 3);
  /* a -> b -> c[1] = d, c[0] = i31, a cycle d -> a */
  set_field(a, 0, b);
  set_field(b, 1, c);
  set_elem(c, 0, mwgc_i31_new(9));
  set_elem(c, 1, d);
  set_field(d, 0, a);
  set_field(garbage, 0, a); /* points in, nothing points to it */
  CHECK(mwgc_hold(f.s, a));
  CHECK(mwgc_hold(f.s, a)); /* counted */
  CHECK_EQ_INT(live_objects(f.s), 5);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 4);
  mwgc_release(f.s, a);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 4);
  mwgc_release(f.s, a);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 0); /* the cycle goes too */
  mw_gc_stats st;
  mwgc_stats(f.s, &st);
  CHECK_EQ_INT(st.collections, 3);
  CHECK_EQ_INT(st.objects_freed, 5);
  CHECK_EQ_INT(st.live_bytes, 0);
  /* null and i31 need no holding */
  CHECK(mwgc_hold(f.s, NULL) && mwgc_hold(f.s, mwgc_i31_new(1)));
  mwgc_release(f.s, mwgc_i31_new(1));
  teardown(&f);
}

static void test_root_slots(void) {
  fixture f;
  setup(&f);
  void *slot = mwgc_alloc(f.s, f.pair, 0, NULL);
  void *i31slot = mwgc_i31_new(3);
  CHECK(mwgc_root_add(f.s, &slot, MW_GCS_ANY));
  CHECK(mwgc_root_add(f.s, &i31slot, MW_GCS_ANY));
  mwgc_alloc(f.s, f.pair, 0, NULL);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 1);
  mwgc_root_remove(f.s, &slot);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 0);
  mwgc_root_remove(f.s, &i31slot);
  teardown(&f);
}

static void test_conversions(void) {
  fixture f;
  setup(&f);
  void *out = NULL, *back = NULL;
  /* null stays null both ways */
  CHECK(mwgc_internalize(f.s, NULL, &out, NULL) && out == NULL);
  CHECK(mwgc_externalize(f.s, NULL, &out, NULL) && out == NULL);
  /* an object is its own externalized form, remembered as such */
  mw_gc_obj *o = mwgc_alloc(f.s, f.pair, 0, NULL);
  CHECK(!mwgc_is_externalized(f.s, o));
  CHECK(mwgc_externalize(f.s, o, &out, NULL) && out == o);
  CHECK(mwgc_is_externalized(f.s, o));
  CHECK(mwgc_internalize(f.s, out, &back, NULL) && back == o);
  /* an i31 is boxed on the way out, unboxed on the way in */
  void *i = mwgc_i31_new(1234);
  CHECK(mwgc_externalize(f.s, i, &out, NULL));
  CHECK(MWGC_IS_OBJ(out) && ((mw_gc_obj *)out)->kind == MW_GCK_I31BOX);
  CHECK(mwgc_internalize(f.s, out, &back, NULL) && back == i);
  /* a host pointer -- even one that looks like an i31 -- is boxed on the
   * way in and comes back out as itself */
  void *host = (void *)(uintptr_t)7;
  CHECK(!mwgc_is_externalized(f.s, host));
  CHECK(mwgc_internalize(f.s, host, &out, NULL));
  CHECK(MWGC_IS_OBJ(out) && ((mw_gc_obj *)out)->kind == MW_GCK_HOSTBOX);
  CHECK(mwgc_externalize(f.s, out, &back, NULL) && back == host);
  /* only what something holds survives; dead externalized objects leave
   * the set, so their addresses are not taken for objects later */
  CHECK(mwgc_hold(f.s, o));
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 1);
  CHECK(mwgc_is_externalized(f.s, o));
  mwgc_release(f.s, o);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 0);
  CHECK(!mwgc_is_externalized(f.s, o));
  teardown(&f);
}

static void test_extern_fields(void) {
  fixture f;
  setup(&f);
  /* holder.0 is an externref field: the externalized object it holds is
   * traced, a host pointer there is left alone */
  mw_gc_obj *holder = mwgc_alloc(f.s, f.ext_pair, 0, NULL);
  mw_gc_obj *inner = mwgc_alloc(f.s, f.pair, 0, NULL);
  void *ext = NULL;
  CHECK(mwgc_externalize(f.s, inner, &ext, NULL));
  set_field(holder, 0, ext);
  mw_gc_obj *holder2 = mwgc_alloc(f.s, f.ext_pair, 0, NULL);
  set_field(holder2, 0, (void *)(uintptr_t)0x1234); /* a host pointer */
  CHECK(mwgc_hold(f.s, holder) && mwgc_hold(f.s, holder2));
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 3);
  mwgc_release(f.s, holder);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 1);
  mwgc_release(f.s, holder2);
  teardown(&f);
}

static void test_volume_trigger(void) {
  fixture f;
  setup(&f);
  /* 200,000 arrays of 64 bytes: about 17 MB in all, collected as it goes
   * (nothing holds them), so the heap stays near the threshold. */
  int failed = 0;
  for (int i = 0; i < 200000; i++) failed += mwgc_alloc(f.s, f.bytes, 64, NULL) == NULL;
  CHECK_EQ_INT(failed, 0);
  mw_gc_stats st;
  mwgc_stats(f.s, &st);
  CHECK(st.collections >= 3);
  CHECK_EQ_INT(st.objects_allocated, 200000);
  CHECK(st.live_bytes <= 2 * (4u << 20));
  CHECK(st.objects_freed > 150000);
  /* inhibited: no collection however much is allocated */
  mwgc_inhibit(f.s, 1);
  uint64_t before = st.collections;
  for (int i = 0; i < 100000; i++) mwgc_alloc(f.s, f.bytes, 64, NULL);
  mwgc_stats(f.s, &st);
  CHECK_EQ_INT(st.collections, before);
  CHECK(!mwgc_collect(f.s, NULL));
  mwgc_inhibit(f.s, -1);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 0);
  teardown(&f);
}

static void test_huge_array_refused(void) {
  fixture f;
  setup(&f);
  CHECK(mwgc_alloc(f.s, f.arr, 0xFFFFFFFFu, NULL) == NULL);
  CHECK(mwgc_alloc(f.s, f.arr, 0, NULL) != NULL); /* empty is fine */
  teardown(&f);
}

static void test_mark_stack_overflow(void) {
  fixture f;
  setup(&f);
  /* an array of 5,000 objects, each pointing to a fresh one: marking
   * needs a deep stack; with the allocator refusing, the collector
   * rescans instead and still keeps everything */
  mw_gc_obj *arr = mwgc_alloc(f.s, f.arr, 5000, NULL);
  for (uint32_t i = 0; i < 5000; i++) {
    mw_gc_obj *p = mwgc_alloc(f.s, f.pair, 0, NULL);
    set_field(p, 1, mwgc_alloc(f.s, f.pair, 0, NULL));
    set_elem(arr, i, p);
  }
  CHECK(mwgc_hold(f.s, arr));
  f.tr.fail_after = 0; /* nothing more */
  CHECK(mwgc_collect(f.s, NULL));
  f.tr.fail_after = -1;
  CHECK_EQ_INT(live_objects(f.s), 10001);
  mwgc_release(f.s, arr);
  CHECK(mwgc_collect(f.s, NULL));
  CHECK_EQ_INT(live_objects(f.s), 0);
  teardown(&f);
}

static void test_stack_map(void) {
  tracker tr;
  mw_store *s = tracked_store(&tr);
  mw_gc_map_builder b;
  mwgc_map_begin(&b, &s->alloc);
  mwgc_map_local(&b, 1, false);
  mwgc_map_local(&b, 3, true);
  mwgc_map_point(&b, 10); /* stays empty: dropped */
  mwgc_map_point(&b, 20);
  mwgc_map_slot(&b, 5, false);
  mwgc_map_slot(&b, 6, true);
  mwgc_map_point(&b, 30);
  mwgc_map_slot(&b, 5, false);
  mwgc_map_point(&b, 40); /* empty at the end: dropped */
  mw_gc_map *m = NULL;
  CHECK(mwgc_map_finish(&b, &m));
  CHECK(m != NULL);
  if (m) {
    CHECK_EQ_INT(m->nlocals, 2);
    CHECK_EQ_INT(m->npoints, 2);
    CHECK_EQ_INT(m->slots[0], 2);
    CHECK_EQ_INT(m->slots[1], 7);
    CHECK(mwgc_map_find(m, 10) == NULL);
    CHECK(mwgc_map_find(m, 40) == NULL);
    const mw_gc_point *p = mwgc_map_find(m, 20);
    CHECK(p && p->count == 2 && m->slots[p->first] == 10 && m->slots[p->first + 1] == 13);
    p = mwgc_map_find(m, 30);
    CHECK(p && p->count == 1 && m->slots[p->first] == 10);
  }
  mwgc_map_free(&s->alloc, m);
  /* nothing traced: no map at all */
  mwgc_map_begin(&b, &s->alloc);
  mwgc_map_point(&b, 4);
  CHECK(mwgc_map_finish(&b, &m) && m == NULL);
  mw_store_free(s);
  CHECK_EQ_INT(tr.live, 0);
}

int main(void) {
  RUN(test_layout);
  RUN(test_i31);
  RUN(test_holds_and_tracing);
  RUN(test_root_slots);
  RUN(test_conversions);
  RUN(test_extern_fields);
  RUN(test_volume_trigger);
  RUN(test_huge_array_refused);
  RUN(test_mark_stack_overflow);
  RUN(test_stack_map);
  return harness_summary();
}
