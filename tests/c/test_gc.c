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
#include "tracking_alloc.h"

static mw_store *tracked_store(tracker *t) {
  mw_config cfg = tracked_config(t);
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

/* ---------------------------------------------------------------- wasm roots */

/* Struct $p {mut i32, ref null $p}.  $churn allocates n garbage structs
 * (collections run inside it); the exports keep references in a local, an
 * operand below a call, a global, a table slot as an externref, and a
 * field, across the churn, then read them back. */
static const char gc_wat[] =
    "(module\n"
    "  (type $p (struct (field (mut i32)) (field (ref null $p))))\n"
    "  (type $a (array (mut (ref null $p))))\n"
    "  (import \"env\" \"collect\" (func $collect (result i32)))\n"
    "  (global $g (mut (ref null $p)) (ref.null $p))\n"
    "  (global $c (ref $p) (struct.new $p (i32.const 11) (ref.null $p)))\n"
    "  (table $t 2 externref)\n"
    "  (func $churn (export \"churn\") (param $n i32)\n"
    "    (loop $l\n"
    "      (drop (struct.new $p (local.get $n) (ref.null $p)))\n"
    "      (drop (array.new_default $a (i32.const 4)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))\n"
    "  (func (export \"keep\") (param $n i32) (result i32)\n"
    "    (local $a (ref null $p))\n"
    "    (local.set $a (struct.new $p (i32.const 42) (struct.new $p (i32.const 7) (ref.null $p))))\n"
    "    (global.set $g (struct.new $p (i32.const 100) (ref.null $p)))\n"
    "    (table.set $t (i32.const 1) (extern.convert_any (struct.new $p (i32.const 1000) (ref.null $p))))\n"
    "    (struct.new $p (i32.const 5) (ref.null $p))\n"
    "    (call $churn (local.get $n))\n"
    "    (struct.get $p 0)\n"
    "    (i32.add (struct.get $p 0 (local.get $a)))\n"
    "    (i32.add (struct.get $p 0 (struct.get $p 1 (local.get $a))))\n"
    "    (i32.add (struct.get $p 0 (global.get $g)))\n"
    "    (i32.add (struct.get $p 0 (ref.cast (ref $p) (any.convert_extern (table.get $t (i32.const 1))))))\n"
    "    (i32.add (struct.get $p 0 (global.get $c))))\n"
    "  (func (export \"reenter\") (result i32)\n"
    "    (local $a (ref null $p)) (local $t i32)\n"
    "    (local.set $a (struct.new $p (i32.const 3) (ref.null $p)))\n"
    "    (struct.new $p (i32.const 4) (ref.null $p))\n"
    "    (local.set $t (call $collect))\n"
    "    (drop (struct.new $p (i32.const 0) (ref.null $p)))\n"
    "    (struct.get $p 0)\n"
    "    (i32.add (local.get $t))\n"
    "    (i32.add (struct.get $p 0 (local.get $a)))\n"
    "    (i32.add (struct.get $p 0 (struct.get $p 1 (struct.new $p (i32.const 0) (local.get $a))))))\n"
    ")\n";

typedef struct host_ctx {
  int collected; /* collections that ran (not skipped) */
  bool garbage_first;
} host_ctx;

/* env.collect: churn in wasm again from the host, then collect: the
 * calling frames' references must survive both. */
static mw_error *host_collect(mw_caller *c, const mw_val *args, mw_val *results,
                              void *ud) {
  (void)args;
  host_ctx *h = ud;
  mw_store *s = mw_caller_store(c);
  mw_extern churn;
  if (mw_caller_export(c, "churn", 5, &churn)) {
    mw_val n = mw_val_i32(60000); /* about 5.8 MB: one collection */
    mw_error *e = mw_func_call(s, churn.of.func, &n, 1, NULL, 0);
    if (e) return e;
  }
  h->collected += mw_store_gc_collect(s);
  results[0] = mw_val_i32(h->collected);
  return NULL;
}

typedef struct wasm_fixture {
  tracker tr;
  mw_store *s;
  mw_module *m;
  mw_func *collect;
  mw_functype *ft;
  mw_instance *inst;
  host_ctx host;
} wasm_fixture;

static bool wasm_setup(wasm_fixture *f) {
  memset(f, 0, sizeof *f);
  f->s = tracked_store(&f->tr);
  unsigned char *bin = NULL;
  size_t len = 0;
  mw_error *e = mw_wat_to_wasm(gc_wat, sizeof gc_wat - 1, MW_FEATURES_DEFAULT, &bin, &len);
  CHECK(e == NULL);
  if (e) {
    printf("  %s\n", mw_error_message(e));
    mw_error_free(e);
    return false;
  }
  mw_config cfg = f->s->cfg;
  e = mw_module_decode(&cfg, bin, len, &f->m);
  mw_wat_free(bin);
  CHECK(e == NULL);
  if (e) {
    mw_error_free(e);
    return false;
  }
  mw_valtype r = MW_I32;
  f->ft = mw_functype_new(&cfg, NULL, 0, &r, 1);
  f->collect = mw_func_new(&cfg, f->ft, host_collect, &f->host, NULL);
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = f->collect};
  e = mw_instantiate_with(f->s, f->m, &imp, 1, &f->inst);
  CHECK(e == NULL);
  if (e) {
    printf("  %s\n", mw_error_message(e));
    mw_error_free(e);
    return false;
  }
  return true;
}

static void wasm_teardown(wasm_fixture *f) {
  mw_store_free(f->s);
  if (f->m) mw_module_release(f->m);
  mw_func_free(f->collect);
  mw_functype_free(f->ft);
  CHECK_EQ_INT(f->tr.live, 0);
}

static int32_t call_i32(wasm_fixture *f, const char *name, const mw_val *args,
                        size_t nargs) {
  mw_extern ext;
  if (!mw_instance_export(f->inst, name, strlen(name), &ext)) return -1;
  mw_val r;
  mw_error *e = mw_func_call(f->s, ext.of.func, args, nargs, &r, 1);
  if (e) {
    printf("  %s: %s\n", name, mw_error_message(e));
    mw_error_free(e);
    return -1;
  }
  return r.of.i32;
}

static void test_wasm_roots(void) {
  wasm_fixture f;
  if (wasm_setup(&f)) {
    /* 300,000 iterations: about 17 MB of garbage, several collections */
    mw_val n = mw_val_i32(300000);
    CHECK_EQ_INT(call_i32(&f, "keep", &n, 1), 5 + 42 + 7 + 100 + 1000 + 11);
    mw_gc_info gi;
    mw_store_gc_info(f.s, &gi);
    CHECK(gi.collections >= 2);
    CHECK(gi.objects_freed > 500000);
    /* what is still reachable: $c, $g, the table's struct */
    CHECK(mw_store_gc_collect(f.s));
    mw_store_gc_info(f.s, &gi);
    CHECK_EQ_INT(gi.live_objects, 3);
  }
  wasm_teardown(&f);
}

static void test_wasm_reentry(void) {
  wasm_fixture f;
  if (wasm_setup(&f)) {
    /* the host re-enters wasm, which collects, then collects itself: both
     * see the frames below the host call */
    CHECK_EQ_INT(call_i32(&f, "reenter", NULL, 0), 1 + 3 + 4 + 3);
    CHECK_EQ_INT(f.host.collected, 1);
    mw_gc_info gi;
    mw_store_gc_info(f.s, &gi);
    CHECK(gi.collections >= 2);
  }
  wasm_teardown(&f);
}

static void test_many_instances(void) {
  wasm_fixture f;
  if (wasm_setup(&f)) {
    /* 200 more instances in the same store, each churning: the heap keeps
     * only what the instances' globals hold */
    mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = f.collect};
    for (int i = 0; i < 200; i++) {
      mw_instance *inst = NULL;
      mw_error *e = mw_instantiate_with(f.s, f.m, &imp, 1, &inst);
      if (e) {
        CHECK(e == NULL);
        mw_error_free(e);
        break;
      }
      mw_extern churn;
      mw_instance_export(inst, "churn", 5, &churn);
      mw_val n = mw_val_i32(2000);
      e = mw_func_call(f.s, churn.of.func, &n, 1, NULL, 0);
      CHECK(e == NULL);
      mw_error_free(e);
    }
    CHECK(mw_store_gc_collect(f.s));
    mw_gc_info gi;
    mw_store_gc_info(f.s, &gi);
    CHECK_EQ_INT(gi.live_objects, 201); /* each instance's $c */
  }
  wasm_teardown(&f);
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
  RUN(test_wasm_roots);
  RUN(test_wasm_reentry);
  RUN(test_many_instances);
  return harness_summary();
}
