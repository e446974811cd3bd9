/*
 * test_runtime.c -- runtime objects, the store's registry, checked calls
 * and instantiation.
 *
 * Every store and host object here uses a tracking allocator, and each test
 * ends by checking that it got every byte back: the sizes passed to
 * mw_free must match the allocations, as Lua's allocator requires.
 *
 * Usage: test_runtime [WASM_DIR]: where the .wasm files built from
 * tests/wat/link_*.wat are; default $MW_FIXTURES, else "build/wasm".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "moonwasm.h"
#include "tracking_alloc.h"

/* Check that `err` has `kind` and a message starting with `prefix`, then
 * free it. */
#define CHECK_ERROR(err, kind, prefix)                                      \
  check_error_at(__FILE__, __LINE__, (err), (kind), (prefix))

static void check_error_at(const char *file, int line, mw_error *err,
                           mw_error_kind kind, const char *prefix) {
  if (!err) {
    harness_check(0, "an error, got success", file, line);
    printf("  expected %s \"%s\"\n", mw_error_kind_name(kind), prefix);
    return;
  }
  const char *msg = mw_error_message(err);
  if (!harness_check(mw_error_kind_of(err) == kind &&
                         strncmp(msg, prefix, strlen(prefix)) == 0,
                     "error kind and message", file, line))
    printf("  expected %s \"%s\", got %s \"%s\"\n", mw_error_kind_name(kind),
           prefix, mw_error_kind_name(mw_error_kind_of(err)), msg);
  mw_error_free(err);
}

#define CHECK_OK(err) check_ok_at(__FILE__, __LINE__, (err))

static void check_ok_at(const char *file, int line, mw_error *err) {
  if (!harness_check(err == NULL, "no error", file, line))
    printf("  got %s \"%s\"\n", mw_error_kind_name(mw_error_kind_of(err)),
           mw_error_message(err));
  mw_error_free(err);
}

/* ---------------------------------------------------------------- types */

static mw_functype *make_type(const char *params, const char *results) {
  mw_valtype p[32], r[32];
  size_t np = 0, nr = 0;
  static const struct { char c; mw_valtype t; } codes[] = {
      {'i', MW_I32}, {'I', MW_I64}, {'f', MW_F32}, {'F', MW_F64},
      {'r', MW_FUNCREF}, {'x', MW_EXTERNREF}};
  for (const char *c = params; *c; c++)
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
      if (codes[k].c == *c) p[np++] = codes[k].t;
  for (const char *c = results; *c; c++)
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
      if (codes[k].c == *c) r[nr++] = codes[k].t;
  return mw_functype_new(NULL, p, np, r, nr);
}

static mw_error *host_noop(mw_caller *c, const mw_val *args, mw_val *results,
                           void *ud) {
  (void)c;
  (void)args;
  (void)results;
  (void)ud;
  return NULL;
}

/* ---------------------------------------------------------------- values */

static void test_values(void) {
  mw_val v = mw_val_f32_bits(0x7FC00001u); /* a NaN with a payload */
  CHECK(v.type == MW_F32 && v.of.f32_bits == 0x7FC00001u);
  CHECK(isnan(mw_val_as_f32(v)));
  CHECK(mw_val_as_f64(mw_val_f64(2.5)) == 2.5);
  CHECK(mw_val_as_f32(mw_val_f32(-1.5f)) == -1.5f);
  CHECK(mw_val_i64(INT64_MIN).of.i64 == INT64_MIN);
  CHECK(strcmp(mw_valtype_name(MW_EXTERNREF), "externref") == 0);
  CHECK(strcmp(mw_valtype_name((mw_valtype)0x12), "?") == 0);
}

/* ---------------------------------------------------------------- memories */

static void test_memory_grow_limits(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_memtype type = {{1, 3, true, false}};
  mw_memory *m = mw_memory_new(&cfg, type);
  CHECK(m != NULL);
  CHECK(mw_memory_pages(m) == 1 && mw_memory_size(m) == 65536);
  uint8_t *d = mw_memory_data(m);
  CHECK(d[0] == 0 && d[65535] == 0);
  d[65535] = 0xAB;
  CHECK(mw_memory_grow(m, 0) == 1);
  CHECK(mw_memory_grow(m, 3) == -1); /* past the type's max */
  CHECK(mw_memory_pages(m) == 1);
  CHECK(mw_memory_grow(m, 2) == 1);
  d = mw_memory_data(m);
  CHECK(d[65535] == 0xAB && d[65536] == 0 && d[3 * 65536 - 1] == 0);
  CHECK(mw_memory_grow(m, 1) == -1);
  mw_memtype now = mw_memory_type(m);
  CHECK(now.limits.min == 3 && now.limits.has_max && now.limits.max == 3);
  mw_memory_free(m);
  CHECK(tr.live == 0);

  /* The configured limit caps memories without a max. */
  cfg.max_memory_pages = 2;
  mw_memtype unbounded = {{1, 0, false, false}};
  m = mw_memory_new(&cfg, unbounded);
  CHECK(mw_memory_grow(m, 1) == 1);
  CHECK(mw_memory_grow(m, 1) == -1);
  CHECK(mw_memory_grow(m, UINT32_MAX) == -1);
  mw_memory_free(m);
  mw_memtype too_big = {{3, 0, false, false}};
  CHECK(mw_memory_new(&cfg, too_big) == NULL);
  CHECK(tr.live == 0);
}

static void test_memory_empty_and_oom(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_memtype empty = {{0, 0, false, false}};
  mw_memory *m = mw_memory_new(&cfg, empty);
  CHECK(m != NULL && mw_memory_size(m) == 0 && mw_memory_pages(m) == 0);
  CHECK(mw_memory_grow(m, 1) == 0);
  CHECK(mw_memory_size(m) == 65536 && mw_memory_data(m)[100] == 0);

  /* The allocator now refuses.  A memory with reserved address space
   * (vmem.c) grows without it; one allocated fails cleanly. */
  tr.fail_after = 0;
  int64_t grown = mw_memory_grow(m, 1);
  if (grown == -1)
    CHECK(mw_memory_pages(m) == 1 && mw_memory_size(m) == 65536);
  else
    CHECK(grown == 1 && mw_memory_pages(m) == 2 &&
          mw_memory_data(m)[65536 + 100] == 0);
  tr.fail_after = -1;
  mw_memory_free(m);

  mw_memtype zero_max = {{0, 0, true, false}};
  m = mw_memory_new(&cfg, zero_max);
  /* no bytes (the data pointer may be its guard reservation, vmem.h) */
  CHECK(m != NULL && mw_memory_size(m) == 0 && mw_memory_pages(m) == 0);
  CHECK(mw_memory_grow(m, 1) == -1 && mw_memory_grow(m, 0) == 0);
  mw_memory_free(m);
  CHECK(tr.live == 0);
}

/* ---------------------------------------------------------------- tables */

static void test_tables(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_functype *t = make_type("", "");
  mw_func *f = mw_func_new(&cfg, t, NULL, NULL, NULL);
  CHECK(f == NULL); /* a host function needs a callback */
  mw_functype_free(t);

  mw_tabletype type = {MW_FUNCREF, {2, 4, true, false}};
  CHECK(mw_table_new(&cfg, type, mw_val_externref(NULL)) == NULL);
  mw_table *tab = mw_table_new(&cfg, type, mw_val_funcref(NULL));
  CHECK(tab != NULL && mw_table_size(tab) == 2);
  mw_val v;
  CHECK(mw_table_get(tab, 1, &v) && v.type == MW_FUNCREF &&
        v.of.funcref == NULL);
  CHECK(!mw_table_get(tab, 2, &v));
  CHECK_ERROR(mw_table_set(tab, 0, mw_val_i32(1)), MW_ERR_USAGE,
              "table element: expected funcref, got i32");
  CHECK_ERROR(mw_table_set(tab, 0, mw_val_externref(&v)), MW_ERR_USAGE,
              "table element");
  CHECK_ERROR(mw_table_set(tab, 2, mw_val_funcref(NULL)), MW_ERR_TRAP,
              "out of bounds table access");

  mw_functype *ft = make_type("", "");
  mw_func *dummy = mw_func_new(&cfg, ft, host_noop, NULL, NULL);
  mw_functype_free(ft);
  CHECK_OK(mw_table_set(tab, 1, mw_val_funcref(dummy)));
  CHECK(mw_table_get(tab, 1, &v) && v.of.funcref == dummy);

  CHECK(mw_table_grow(tab, 1, mw_val_externref(NULL)) == -1); /* wrong type */
  CHECK(mw_table_grow(tab, 2, mw_val_funcref(dummy)) == 2);
  CHECK(mw_table_size(tab) == 4);
  CHECK(mw_table_get(tab, 3, &v) && v.of.funcref == dummy);
  CHECK(mw_table_grow(tab, 1, mw_val_funcref(NULL)) == -1); /* past max */
  CHECK(mw_table_grow(tab, 0, mw_val_funcref(NULL)) == 4);
  mw_tabletype now = mw_table_type(tab);
  CHECK(now.elem == MW_FUNCREF && now.limits.min == 4 && now.limits.max == 4);
  mw_table_free(tab);
  mw_func_free(dummy);

  /* externref tables hold host pointers; the configured size caps growth. */
  cfg.max_table_size = 3;
  mw_tabletype ext = {MW_EXTERNREF, {0, 0, false, false}};
  int token;
  tab = mw_table_new(&cfg, ext, mw_val_externref(NULL));
  CHECK(tab != NULL && mw_table_size(tab) == 0);
  CHECK(mw_table_grow(tab, 3, mw_val_externref(&token)) == 0);
  CHECK(mw_table_get(tab, 2, &v) && v.type == MW_EXTERNREF &&
        v.of.externref == &token);
  CHECK(mw_table_grow(tab, 1, mw_val_externref(NULL)) == -1);
  mw_table_free(tab);
  mw_tabletype over = {MW_EXTERNREF, {4, 0, false, false}};
  CHECK(mw_table_new(&cfg, over, mw_val_externref(NULL)) == NULL);
  CHECK(tr.live == 0);
}

/* ---------------------------------------------------------------- globals */

static void test_globals(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_globaltype ci32 = {MW_I32, false};
  CHECK(mw_global_new(&cfg, ci32, mw_val_i64(1)) == NULL);
  mw_global *g = mw_global_new(&cfg, ci32, mw_val_i32(-7));
  CHECK(mw_global_get(g).type == MW_I32 && mw_global_get(g).of.i32 == -7);
  CHECK_ERROR(mw_global_set(g, mw_val_i32(1)), MW_ERR_USAGE,
              "global is immutable");
  CHECK(mw_global_get(g).of.i32 == -7);
  mw_global_free(g);

  mw_globaltype vf64 = {MW_F64, true};
  g = mw_global_new(&cfg, vf64, mw_val_f64(1.0));
  CHECK(mw_global_type(g).mutable_ && mw_global_type(g).type == MW_F64);
  CHECK_ERROR(mw_global_set(g, mw_val_f32(1.0f)), MW_ERR_USAGE,
              "global: expected f64, got f32");
  CHECK_OK(mw_global_set(g, mw_val_f64_bits(0x7FF4000000000001ull)));
  CHECK(mw_global_get(g).of.f64_bits == 0x7FF4000000000001ull);
  mw_global_free(g);

  mw_globaltype vref = {MW_EXTERNREF, true};
  g = mw_global_new(&cfg, vref, mw_val_externref(&tr));
  CHECK(mw_global_get(g).of.externref == &tr);
  CHECK_OK(mw_global_set(g, mw_val_externref(NULL)));
  CHECK(mw_global_get(g).of.externref == NULL);
  mw_global_free(g);
  CHECK(tr.live == 0);
}

/* ---------------------------------------------------------------- host functions */

static mw_error *host_add(mw_caller *c, const mw_val *args, mw_val *results,
                          void *ud) {
  (void)c;
  (void)ud;
  results[0] = mw_val_i32(args[0].of.i32 + args[1].of.i32);
  return NULL;
}

/* (i32 i64 f32 f64) -> (f64 f32 i64 i32): every type, reversed. */
static mw_error *host_reverse(mw_caller *c, const mw_val *args,
                              mw_val *results, void *ud) {
  (void)c;
  (void)ud;
  for (int i = 0; i < 4; i++) results[i] = args[3 - i];
  return NULL;
}

static mw_error *host_fail(mw_caller *c, const mw_val *args, mw_val *results,
                           void *ud) {
  (void)c;
  (void)args;
  (void)results;
  return mw_error_new_host("host says no", ud);
}

/* 20 i64 parameters summed: more than the call's inline slot buffer. */
static mw_error *host_sum20(mw_caller *c, const mw_val *args, mw_val *results,
                            void *ud) {
  (void)c;
  (void)ud;
  int64_t sum = 0;
  for (int i = 0; i < 20; i++) sum += args[i].of.i64;
  results[0] = mw_val_i64(sum);
  return NULL;
}

static mw_error *host_is_null(mw_caller *c, const mw_val *args,
                              mw_val *results, void *ud) {
  (void)c;
  (void)ud;
  results[0] = mw_val_i32(args[0].of.funcref == NULL);
  return NULL;
}

static void count_finalizer(void *ud) { (*(int *)ud)++; }

static void test_host_calls(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  int finalized = 0;

  mw_functype *t = make_type("ii", "i");
  mw_func *add = mw_func_new(&cfg, t, host_add, &finalized, count_finalizer);
  mw_functype_free(t); /* the function keeps its own copy */
  CHECK(mw_func_instance(add) == NULL && mw_func_userdata(add) == &finalized);
  CHECK(mw_functype_param_count(mw_func_type(add)) == 2);

  mw_val args[20], res[4];
  args[0] = mw_val_i32(40);
  args[1] = mw_val_i32(2);
  CHECK_OK(mw_func_call(s, add, args, 2, res, 1));
  CHECK(res[0].type == MW_I32 && res[0].of.i32 == 42);
  CHECK_OK(mw_func_call(s, add, args, 2, res, 3)); /* more room is fine */
  CHECK_ERROR(mw_func_call(s, add, args, 1, res, 1), MW_ERR_USAGE,
              "expected 2 arguments, got 1");
  CHECK_ERROR(mw_func_call(s, add, args, 2, res, 0), MW_ERR_USAGE,
              "expected room for 1 results, got 0");
  args[1] = mw_val_f32(2.0f);
  CHECK_ERROR(mw_func_call(s, add, args, 2, res, 1), MW_ERR_USAGE,
              "argument 2: expected i32, got f32");

  t = make_type("iIfF", "FfIi");
  mw_func *rev = mw_func_new(&cfg, t, host_reverse, NULL, NULL);
  mw_functype_free(t);
  args[0] = mw_val_i32(-1);
  args[1] = mw_val_i64(INT64_MAX);
  args[2] = mw_val_f32_bits(0xFFC00123u);
  args[3] = mw_val_f64(0.25);
  CHECK_OK(mw_func_call(s, rev, args, 4, res, 4));
  CHECK(res[0].type == MW_F64 && mw_val_as_f64(res[0]) == 0.25);
  CHECK(res[1].type == MW_F32 && res[1].of.f32_bits == 0xFFC00123u);
  CHECK(res[2].type == MW_I64 && res[2].of.i64 == INT64_MAX);
  CHECK(res[3].type == MW_I32 && res[3].of.i32 == -1);

  int payload;
  t = make_type("", "");
  mw_func *fail = mw_func_new(&cfg, t, host_fail, &payload, NULL);
  mw_functype_free(t);
  mw_error *err = mw_func_call(s, fail, NULL, 0, NULL, 0);
  CHECK(err && mw_error_kind_of(err) == MW_ERR_HOST &&
        mw_error_host_data(err) == &payload);
  CHECK_ERROR(err, MW_ERR_HOST, "host says no");

  t = make_type("IIIIIIIIIIIIIIIIIIII", "I");
  mw_func *sum = mw_func_new(&cfg, t, host_sum20, NULL, NULL);
  mw_functype_free(t);
  for (int i = 0; i < 20; i++) args[i] = mw_val_i64(i + 1);
  CHECK_OK(mw_func_call(s, sum, args, 20, res, 1));
  CHECK(res[0].of.i64 == 210);

  t = make_type("r", "i");
  mw_func *is_null = mw_func_new(&cfg, t, host_is_null, NULL, NULL);
  mw_functype_free(t);
  args[0] = mw_val_externref(NULL);
  CHECK_ERROR(mw_func_call(s, is_null, args, 1, res, 1), MW_ERR_USAGE,
              "argument 1: expected funcref, got externref");
  args[0] = mw_val_funcref(add);
  CHECK_OK(mw_func_call(s, is_null, args, 1, res, 1));
  CHECK(res[0].of.i32 == 0);

  mw_store_free(s);
  mw_func_free(add);
  CHECK(finalized == 1);
  mw_func_free(rev);
  mw_func_free(fail);
  mw_func_free(sum);
  mw_func_free(is_null);
  CHECK(tr.live == 0);
}

/* ---------------------------------------------------------------- registry */

static void test_registry(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  CHECK(mw_store_config(s)->alloc_ud == &tr);
  mw_globaltype gt = {MW_I32, false};
  mw_global *g1 = mw_global_new(&cfg, gt, mw_val_i32(1));
  mw_global *g2 = mw_global_new(&cfg, gt, mw_val_i32(2));
  mw_extern e1 = {MW_EXTERN_GLOBAL, {.global = g1}};
  mw_extern e2 = {MW_EXTERN_GLOBAL, {.global = g2}};
  mw_extern out;

  CHECK(!mw_store_lookup(s, "env", 3, "g", 1, &out));
  CHECK_OK(mw_store_define(s, "env", 3, "g", 1, e1));
  CHECK(mw_store_lookup(s, "env", 3, "g", 1, &out) && out.of.global == g1);
  CHECK(!mw_store_lookup(s, "en", 2, "vg", 2, &out));
  CHECK_OK(mw_store_define(s, "env", 3, "g", 1, e2)); /* replaces */
  CHECK(mw_store_lookup(s, "env", 3, "g", 1, &out) && out.of.global == g2);

  /* Names are byte strings: NUL bytes and empty names count. */
  CHECK_OK(mw_store_define(s, "a\0b", 3, "", 0, e1));
  CHECK(mw_store_lookup(s, "a\0b", 3, "", 0, &out) && out.of.global == g1);
  CHECK(!mw_store_lookup(s, "a", 1, "", 0, &out));

  mw_extern none = {MW_EXTERN_FUNC, {.func = NULL}};
  CHECK_ERROR(mw_store_define(s, "env", 3, "f", 1, none), MW_ERR_USAGE,
              "define");

  /* Thousands of names, as big modules import. */
  char name[32];
  int defined = 0;
  for (int i = 0; i < 5000; i++) {
    int n = snprintf(name, sizeof name, "f%d", i);
    mw_error *err =
        mw_store_define(s, "many", 4, name, (size_t)n, i % 2 ? e1 : e2);
    defined += err == NULL;
    mw_error_free(err);
  }
  CHECK(defined == 5000);
  int found = 0;
  for (int i = 0; i < 5000; i++) {
    int n = snprintf(name, sizeof name, "f%d", i);
    found += mw_store_lookup(s, "many", 4, name, (size_t)n, &out) &&
             out.of.global == (i % 2 ? g1 : g2);
  }
  CHECK(found == 5000);
  mw_store_free(s);
  mw_global_free(g1);
  mw_global_free(g2);
  CHECK(tr.live == 0);
}

/* Out of memory at each allocation of a define: no leak, nothing defined. */
static void test_registry_oom(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_globaltype gt = {MW_I32, false};
  mw_global *g = mw_global_new(&cfg, gt, mw_val_i32(1));
  mw_extern e = {MW_EXTERN_GLOBAL, {.global = g}};
  for (long budget = 0; budget < 6; budget++) {
    mw_store *s = mw_store_new(&cfg);
    tr.fail_after = budget;
    mw_error *err = mw_store_define(s, "m", 1, "n", 1, e);
    tr.fail_after = -1;
    mw_extern out;
    CHECK(err ? mw_error_kind_of(err) == MW_ERR_OUT_OF_MEMORY
              : mw_store_lookup(s, "m", 1, "n", 1, &out));
    mw_error_free(err);
    mw_store_free(s);
  }
  mw_global_free(g);
  CHECK(tr.live == 0);
}

/* ---------------------------------------------------------------- instantiation */

static const char *wasm_dir = "build/wasm";

/* Decode build/wasm/<name>.wasm (built from tests/wat/<name>.wat) and
 * validate it, so that instantiation does no validation work of its own. */
static mw_module *load(const mw_config *cfg, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.wasm", wasm_dir, name);
  FILE *f = fopen(path, "rb");
  if (!harness_check(f != NULL, "fixture opens", __FILE__, __LINE__)) {
    printf("  cannot open %s\n", path);
    return NULL;
  }
  static uint8_t buf[1 << 16];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(cfg, buf, len, &m);
  if (!err) err = mw_module_validate(m);
  if (!harness_check(err == NULL, "fixture loads", __FILE__, __LINE__)) {
    printf("  %s: %s\n", path, mw_error_message(err));
    mw_error_free(err);
    mw_module_release(m);
    return NULL;
  }
  return m;
}

/* Instantiate a fixture with the store's registry; NULL (and a failed
 * check) if that fails. */
static mw_instance *instantiate(mw_store *s, const char *name) {
  mw_module *m = load(mw_store_config(s), name);
  if (!m) return NULL;
  mw_instance *inst = NULL;
  mw_error *err = mw_instantiate(s, m, &inst);
  mw_module_release(m); /* the instance holds its own reference */
  CHECK_OK(err);
  return inst;
}

static mw_func *export_func(mw_instance *inst, const char *name) {
  mw_extern e;
  if (!inst || !mw_instance_export(inst, name, strlen(name), &e) ||
      e.kind != MW_EXTERN_FUNC)
    return NULL;
  return e.of.func;
}

/* Call an export taking and returning i32s (up to 3 arguments). */
static mw_error *call_i32(mw_store *s, mw_instance *inst, const char *name,
                          int32_t *result, size_t nargs, int32_t a0,
                          int32_t a1, int32_t a2) {
  mw_func *f = export_func(inst, name);
  if (!f) return mw_error_new(MW_ERR_USAGE, "no such export");
  mw_val args[3] = {mw_val_i32(a0), mw_val_i32(a1), mw_val_i32(a2)};
  mw_val res[1];
  size_t nres = mw_functype_result_count(mw_func_type(f));
  mw_error *err = mw_func_call(s, f, args, nargs, res, nres);
  if (!err && nres && result) *result = res[0].of.i32;
  return err;
}

static int32_t call_i32_ok(mw_store *s, mw_instance *inst, const char *name,
                           size_t nargs, int32_t a0, int32_t a1) {
  int32_t r = -12345;
  CHECK_OK(call_i32(s, inst, name, &r, nargs, a0, a1, 0));
  return r;
}

static void test_link_shared(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  mw_instance *exp = instantiate(s, "link_exporter");
  CHECK_OK(mw_store_register(s, "M", 1, exp));
  mw_instance *imp = instantiate(s, "link_importer");
  if (!exp || !imp) goto done;

  CHECK(call_i32_ok(s, imp, "add3", 3, 1, 2) == 3); /* third arg is 0 */
  int32_t r;
  CHECK_OK(call_i32(s, imp, "add3", &r, 3, 10, 20, 30));
  CHECK(r == 60);
  CHECK_ERROR(call_i32(s, imp, "add3", &r, 2, 1, 2, 0), MW_ERR_USAGE,
              "expected 3 arguments, got 2");

  /* One memory, one table, one global, seen from both instances. */
  CHECK(mw_instance_memory(exp) == mw_instance_memory(imp));
  CHECK(call_i32_ok(s, exp, "load", 1, 100, 0) == 's'); /* importer's data */
  CHECK(call_i32_ok(s, exp, "load", 1, 13, 0) == 3);    /* exporter's data */
  CHECK_OK(call_i32(s, imp, "store8", NULL, 2, 200, 77, 0));
  CHECK(call_i32_ok(s, exp, "load", 1, 200, 0) == 77);
  CHECK(call_i32_ok(s, exp, "call", 1, 1, 0) == 7); /* importer's elem */
  CHECK_ERROR(call_i32(s, exp, "call", &r, 1, 2, 0, 0), MW_ERR_TRAP,
              "uninitialized element");
  CHECK_OK(call_i32(s, imp, "set_g", NULL, 1, 5, 0, 0));
  CHECK(call_i32_ok(s, exp, "get_g", 0, 0, 0) == 5);
  CHECK(call_i32_ok(s, imp, "grow", 1, 1, 0) == 1);
  CHECK(mw_memory_pages(mw_instance_memory(exp)) == 2);

  mw_extern e;
  CHECK(mw_instance_export(imp, "copy", 4, &e) && e.kind == MW_EXTERN_GLOBAL &&
        mw_global_get(e.of.global).of.i64 == -5);
  CHECK(mw_instance_export(imp, "fref", 4, &e) && e.kind == MW_EXTERN_GLOBAL);
  mw_func *seven = mw_global_get(e.of.global).of.funcref;
  CHECK(seven && mw_func_instance(seven) == imp);
  mw_val res[1];
  CHECK_OK(mw_func_call(s, seven, NULL, 0, res, 1));
  CHECK(res[0].of.i32 == 7);
  CHECK(!mw_instance_export(imp, "nope", 4, &e));

  /* Exports in order, and the accessors. */
  CHECK(mw_instance_export_count(exp) == 8);
  const char *name;
  size_t len;
  mw_instance_export_at(exp, 1, &name, &len, &e);
  CHECK(len == 3 && memcmp(name, "tab", 3) == 0 && e.kind == MW_EXTERN_TABLE);
  CHECK(mw_table_size(e.of.table) == 10);
  mw_instance_export_at(exp, 99, &name, &len, &e);
  CHECK(name == NULL && len == 0);
  CHECK(mw_instance_store(imp) == s && mw_instance_module(imp) != NULL);
  CHECK(mw_module_export_count(mw_instance_module(exp)) == 8);
done:
  mw_store_free(s);
  CHECK(tr.live == 0);
}

/* Instantiate `name` with the one import `ext`; the error, if any. */
static mw_error *try_import(mw_store *s, mw_module *m, mw_extern ext) {
  mw_instance *inst;
  return mw_instantiate_with(s, m, &ext, 1, &inst);
}

#define MATCHES(s, m, ext) CHECK_OK(try_import((s), (m), (ext)))
#define MISMATCH(s, m, ext, detail)                                          \
  CHECK_ERROR(try_import((s), (m), (ext)), MW_ERR_UNLINKABLE,                \
              "incompatible import type \"M\" " detail)

static mw_extern table_extern(const mw_config *cfg, mw_valtype elem,
                              uint32_t min, uint32_t max, bool has_max) {
  mw_tabletype t = {elem, {min, max, has_max, false}};
  mw_val null = elem == MW_FUNCREF ? mw_val_funcref(NULL)
                                   : mw_val_externref(NULL);
  mw_extern e = {MW_EXTERN_TABLE, {.table = mw_table_new(cfg, t, null)}};
  return e;
}

static mw_extern memory_extern(const mw_config *cfg, uint32_t min,
                               uint32_t max, bool has_max) {
  mw_memtype t = {{min, max, has_max, false}};
  mw_extern e = {MW_EXTERN_MEMORY, {.memory = mw_memory_new(cfg, t)}};
  return e;
}

static mw_extern global_extern(const mw_config *cfg, mw_val v, bool mut) {
  mw_globaltype t = {v.type, mut};
  mw_extern e = {MW_EXTERN_GLOBAL, {.global = mw_global_new(cfg, t, v)}};
  return e;
}

static mw_extern func_extern(const mw_config *cfg, const char *params,
                             const char *results) {
  mw_functype *t = make_type(params, results);
  mw_extern e = {MW_EXTERN_FUNC,
                 {.func = mw_func_new(cfg, t, host_noop, NULL, NULL)}};
  mw_functype_free(t);
  return e;
}

static void free_extern(mw_extern e) {
  switch (e.kind) {
  case MW_EXTERN_FUNC: mw_func_free(e.of.func); break;
  case MW_EXTERN_TABLE: mw_table_free(e.of.table); break;
  case MW_EXTERN_MEMORY: mw_memory_free(e.of.memory); break;
  case MW_EXTERN_GLOBAL: mw_global_free(e.of.global); break;
  case MW_EXTERN_TAG: mw_tag_free(e.of.tag); break;
  }
}

static void test_import_matching(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  mw_module *mf = load(&cfg, "link_imp_func");
  mw_module *mt = load(&cfg, "link_imp_table");
  mw_module *mm = load(&cfg, "link_imp_memory");
  mw_module *mg = load(&cfg, "link_imp_global");
  if (!mf || !mt || !mm || !mg) goto done;
  enum { N = 19 };
  mw_extern x[N] = {
      func_extern(&cfg, "i", "i"),                      /* 0 */
      func_extern(&cfg, "I", "i"),
      func_extern(&cfg, "i", ""),
      table_extern(&cfg, MW_FUNCREF, 2, 5, true),       /* 3 */
      table_extern(&cfg, MW_FUNCREF, 3, 4, true),
      table_extern(&cfg, MW_FUNCREF, 1, 5, true),
      table_extern(&cfg, MW_FUNCREF, 2, 0, false),
      table_extern(&cfg, MW_FUNCREF, 2, 6, true),
      table_extern(&cfg, MW_EXTERNREF, 2, 5, true),
      memory_extern(&cfg, 1, 2, true),                  /* 9 */
      memory_extern(&cfg, 2, 2, true),
      memory_extern(&cfg, 0, 2, true),
      memory_extern(&cfg, 1, 0, false),
      memory_extern(&cfg, 1, 3, true),
      global_extern(&cfg, mw_val_i32(1), true),         /* 14 */
      global_extern(&cfg, mw_val_i32(1), false),
      global_extern(&cfg, mw_val_i64(1), true),
      global_extern(&cfg, mw_val_externref(NULL), true),
      func_extern(&cfg, "", ""),                        /* 18 */
  };
  MATCHES(s, mf, x[0]);
  MISMATCH(s, mf, x[1], "\"f\": expected [i32] -> [i32], got [i64] -> [i32]");
  MISMATCH(s, mf, x[2], "\"f\": expected [i32] -> [i32], got [i32] -> []");
  MISMATCH(s, mf, x[9], "\"f\": expected func, got memory");

  MATCHES(s, mt, x[3]);
  MATCHES(s, mt, x[4]); /* bigger minimum, smaller maximum */
  MISMATCH(s, mt, x[5], "\"t\": expected limits 2..5, got 1..5");
  MISMATCH(s, mt, x[6], "\"t\": expected limits 2..5, got 2..");
  MISMATCH(s, mt, x[7], "\"t\": expected limits 2..5, got 2..6");
  MISMATCH(s, mt, x[8], "\"t\": expected funcref table, got externref table");
  MISMATCH(s, mt, x[18], "\"t\": expected table, got func");

  MATCHES(s, mm, x[9]);
  MATCHES(s, mm, x[10]);
  MISMATCH(s, mm, x[11], "\"m\": expected limits 1..2, got 0..2");
  /* The current size counts, not the size the memory was created with. */
  CHECK(mw_memory_grow(x[11].of.memory, 1) == 0);
  MATCHES(s, mm, x[11]);
  MISMATCH(s, mm, x[12], "\"m\": expected limits 1..2, got 1..");
  MISMATCH(s, mm, x[13], "\"m\": expected limits 1..2, got 1..3");

  MATCHES(s, mg, x[14]);
  MISMATCH(s, mg, x[15], "\"g\": expected mut i32, got i32");
  MISMATCH(s, mg, x[16], "\"g\": expected mut i32, got mut i64");
  MISMATCH(s, mg, x[17], "\"g\": expected mut i32, got mut externref");

  /* Misuse of the explicit form. */
  mw_instance *inst;
  CHECK_ERROR(mw_instantiate_with(s, mf, x, 2, &inst), MW_ERR_USAGE,
              "expected 1 imports, got 2");
  CHECK(inst == NULL);
  mw_extern none = {MW_EXTERN_FUNC, {.func = NULL}};
  CHECK_ERROR(try_import(s, mf, none), MW_ERR_USAGE, "import 0");

  /* By name: missing, then defined. */
  CHECK_ERROR(mw_instantiate(s, mf, &inst), MW_ERR_UNLINKABLE,
              "unknown import \"M\" \"f\"");
  CHECK_OK(mw_store_define(s, "M", 1, "f", 1, x[1]));
  CHECK_ERROR(mw_instantiate(s, mf, &inst), MW_ERR_UNLINKABLE,
              "incompatible import type");
  CHECK_OK(mw_store_define(s, "M", 1, "f", 1, x[0]));
  CHECK_OK(mw_instantiate(s, mf, &inst));
  CHECK(inst != NULL);

  mw_store_free(s); /* before the host objects it used */
  s = NULL;
  for (int i = 0; i < N; i++) free_extern(x[i]);
done:
  mw_store_free(s);
  mw_module_release(mf);
  mw_module_release(mt);
  mw_module_release(mm);
  mw_module_release(mg);
  CHECK(tr.live == 0);
}

typedef struct log_state {
  mw_store *store;
  char text[64];
  bool caller_ok;
} log_state;

/* env.log(ptr, len): copy the caller's bytes out, checking the caller API. */
static mw_error *host_log(mw_caller *c, const mw_val *args, mw_val *results,
                          void *ud) {
  (void)results;
  log_state *st = ud;
  mw_memory *mem = mw_caller_memory(c);
  uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
  if (!mem || (uint64_t)ptr + len > mw_memory_size(mem) ||
      len >= sizeof st->text)
    return mw_error_new(MW_ERR_TRAP, "out of bounds memory access");
  memcpy(st->text, mw_memory_data(mem) + ptr, len);
  st->text[len] = '\0';
  mw_extern e;
  st->caller_ok = mw_caller_store(c) == st->store &&
                  mw_caller_instance(c) != NULL &&
                  mw_caller_export(c, "memory", 6, &e) &&
                  e.kind == MW_EXTERN_MEMORY && e.of.memory == mem &&
                  !mw_caller_export(c, "nope", 4, &e);
  return NULL;
}

static void test_host_caller(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  log_state st = {s, "", false};
  mw_functype *t = make_type("ii", "");
  mw_func *log = mw_func_new(&cfg, t, host_log, &st, NULL);
  mw_functype_free(t);
  mw_extern e = {MW_EXTERN_FUNC, {.func = log}};
  CHECK_OK(mw_store_define(s, "env", 3, "log", 3, e));
  mw_instance *inst = instantiate(s, "link_host");
  if (inst) {
    CHECK_OK(call_i32(s, inst, "run", NULL, 0, 0, 0, 0));
    CHECK(strcmp(st.text, "hello, host") == 0);
    CHECK(st.caller_ok);
  }
  /* Called straight from C there is no calling instance. */
  mw_val args[2] = {mw_val_i32(0), mw_val_i32(1)};
  CHECK_ERROR(mw_func_call(s, log, args, 2, NULL, 0), MW_ERR_TRAP,
              "out of bounds memory access");
  mw_store_free(s);
  mw_func_free(log);
  CHECK(tr.live == 0);
}

static mw_error *host_seen(mw_caller *c, const mw_val *args, mw_val *results,
                           void *ud) {
  (void)c;
  (void)results;
  *(int32_t *)ud = args[0].of.i32;
  return NULL;
}

static void test_start(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  int32_t seen = 0;
  mw_functype *t = make_type("i", "");
  mw_func *f = mw_func_new(&cfg, t, host_seen, &seen, NULL);
  mw_functype_free(t);
  mw_extern e = {MW_EXTERN_FUNC, {.func = f}};
  CHECK_OK(mw_store_define(s, "env", 3, "seen", 4, e));
  mw_instance *inst = instantiate(s, "link_start");
  CHECK(seen == 42); /* the data segment was in place before start ran */
  if (inst && mw_instance_export(inst, "runs", 4, &e))
    CHECK(mw_global_get(e.of.global).of.i32 == 1);

  /* A trapping start function: its writes to a shared memory stay, the
   * instance is kept by the store but not returned. */
  mw_instance *exp = instantiate(s, "link_exporter");
  CHECK_OK(mw_store_register(s, "M", 1, exp));
  mw_module *m = load(&cfg, "link_start_trap");
  if (m && exp) {
    inst = (mw_instance *)1;
    CHECK_ERROR(mw_instantiate(s, m, &inst), MW_ERR_TRAP, "unreachable");
    CHECK(inst == NULL);
    CHECK(mw_memory_data(mw_instance_memory(exp))[3] == 99);
  }
  mw_module_release(m);
  mw_store_free(s);
  mw_func_free(f);
  CHECK(tr.live == 0);
}

static void test_segment_traps(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  mw_instance *exp = instantiate(s, "link_exporter");
  mw_extern off = global_extern(&cfg, mw_val_i32(65534), false);
  CHECK_OK(mw_store_register(s, "M", 1, exp));
  CHECK_OK(mw_store_define(s, "M", 1, "off", 3, off));
  mw_module *elem_oob = load(&cfg, "link_elem_oob");
  mw_module *data_oob = load(&cfg, "link_data_oob");
  if (!exp || !elem_oob || !data_oob) goto done;

  mw_instance *inst = (mw_instance *)1;
  CHECK_ERROR(mw_instantiate(s, elem_oob, &inst), MW_ERR_TRAP,
              "out of bounds table access");
  CHECK(inst == NULL);
  CHECK(call_i32_ok(s, exp, "call", 1, 7, 0) == 0); /* first segment stayed */
  int32_t r;
  CHECK_ERROR(call_i32(s, exp, "call", &r, 1, 8, 0, 0), MW_ERR_TRAP,
              "uninitialized element");
  CHECK(mw_memory_data(mw_instance_memory(exp))[0] == 0); /* no data ran */

  CHECK_ERROR(mw_instantiate(s, data_oob, &inst), MW_ERR_TRAP,
              "out of bounds memory access");
  uint8_t *mem = mw_memory_data(mw_instance_memory(exp));
  CHECK(memcmp(mem, "abc", 3) == 0 && mem[65534] == 0);
  /* Ending exactly at the end of memory is in bounds. */
  mw_extern at_end = global_extern(&cfg, mw_val_i32(65532), false);
  CHECK_OK(mw_store_define(s, "M", 1, "off", 3, at_end));
  CHECK_OK(mw_instantiate(s, data_oob, &inst));
  CHECK(memcmp(mem + 65532, "zzzz", 4) == 0);
  mw_store_free(s);
  s = NULL;
  mw_global_free(at_end.of.global);
done:
  mw_store_free(s);
  mw_module_release(elem_oob);
  mw_module_release(data_oob);
  mw_global_free(off.of.global);
  CHECK(tr.live == 0);
}

static mw_error *host_reenter(mw_caller *c, const mw_val *args,
                              mw_val *results, void *ud) {
  (void)ud;
  mw_extern e;
  if (!mw_caller_export(c, "countdown", 9, &e))
    return mw_error_new(MW_ERR_USAGE, "no countdown");
  mw_val res[1];
  mw_error *err = mw_func_call(mw_caller_store(c), e.of.func, args, 1, res, 1);
  if (err) return err; /* passed through unchanged */
  results[0] = res[0];
  return NULL;
}

static void test_reentry(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  cfg.max_host_depth = 8;
  mw_store *s = mw_store_new(&cfg);
  mw_functype *t = make_type("i", "i");
  mw_func *f = mw_func_new(&cfg, t, host_reenter, NULL, NULL);
  mw_functype_free(t);
  mw_extern e = {MW_EXTERN_FUNC, {.func = f}};
  CHECK_OK(mw_store_define(s, "env", 3, "reenter", 7, e));
  mw_instance *inst = instantiate(s, "link_reenter");
  if (inst) {
    CHECK(call_i32_ok(s, inst, "countdown", 1, 3, 0) == 1003);
    int32_t r;
    CHECK_ERROR(call_i32(s, inst, "countdown", &r, 1, 100, 0, 0),
                MW_ERR_EXHAUSTION, "call stack exhausted");
    /* The store is usable after the failed call. */
    CHECK(call_i32_ok(s, inst, "countdown", 1, 2, 0) == 1002);
  }
  mw_store_free(s);
  mw_func_free(f);
  CHECK(tr.live == 0);
}

static void test_segments_after_instantiation(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_store *s = mw_store_new(&cfg);
  mw_instance *inst = instantiate(s, "link_segments");
  if (inst) {
    int32_t r;
    CHECK(call_i32_ok(s, inst, "call", 1, 0, 0) == 1);
    CHECK_OK(call_i32(s, inst, "init_passive", NULL, 0, 0, 0, 0));
    CHECK(call_i32_ok(s, inst, "call", 1, 2, 0) == 2);
    CHECK(call_i32_ok(s, inst, "call", 1, 3, 0) == 1);
    /* Active segments were dropped: only an empty init succeeds. */
    CHECK_ERROR(call_i32(s, inst, "init_active", &r, 0, 0, 0, 0),
                MW_ERR_TRAP, "out of bounds table access");
    CHECK_OK(call_i32(s, inst, "init_data", NULL, 1, 4, 0, 0));
    uint8_t *mem = mw_memory_data(mw_instance_memory(inst));
    CHECK(mem[4] == 'x' && mem[5] == 'y' && mem[8] == 'A');
    CHECK_ERROR(call_i32(s, inst, "init_adata", &r, 0, 0, 0, 0), MW_ERR_TRAP,
                "out of bounds memory access");
  }
  mw_store_free(s);
  CHECK(tr.live == 0);
}

static void test_configured_limits(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_module *m = load(&cfg, "link_big_memory");
  if (!m) return;
  mw_instance *inst;
  cfg.max_memory_pages = 5;
  mw_store *s = mw_store_new(&cfg);
  CHECK_ERROR(mw_instantiate(s, m, &inst), MW_ERR_UNINSTANTIABLE,
              "memory size exceeds the configured limit");
  mw_store_free(s);
  cfg.max_memory_pages = 10;
  cfg.max_table_size = 50;
  s = mw_store_new(&cfg);
  CHECK_ERROR(mw_instantiate(s, m, &inst), MW_ERR_UNINSTANTIABLE,
              "table size exceeds the configured limit");
  mw_store_free(s);
  mw_module_release(m);
  CHECK(tr.live == 0);
}

/* A function whose body lacks its i32 result: "type mismatch". */
static const uint8_t invalid_module[] = {
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, /* header */
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,       /* type () -> i32 */
    0x03, 0x02, 0x01, 0x00,                         /* one function */
    0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B};            /* body: end */

static void test_invalid_module(void) {
  mw_module *m = NULL;
  CHECK_OK(mw_module_decode(NULL, invalid_module, sizeof invalid_module, &m));
  if (!m) return;
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = (mw_instance *)1;
  CHECK_ERROR(mw_instantiate(s, m, &inst), MW_ERR_INVALID, "type mismatch");
  CHECK(inst == NULL);
  CHECK_ERROR(mw_instantiate_with(s, m, NULL, 0, &inst), MW_ERR_INVALID,
              "type mismatch");
  mw_store_free(s);
  mw_module_release(m);
}

/* Refuse the n-th allocation of an instantiation, for every n: each try
 * fails cleanly with "out of memory" or succeeds, and leaks nothing. */
static void test_instantiate_oom(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  mw_module *m = load(&cfg, "link_importer");
  if (!m) return;
  bool succeeded = false;
  int clean = 0, tries = 0;
  for (long budget = 0; budget < 200 && !succeeded; budget++, tries++) {
    mw_store *s = mw_store_new(&cfg);
    mw_instance *exp = instantiate(s, "link_exporter");
    CHECK_OK(mw_store_register(s, "M", 1, exp));
    mw_instance *inst;
    tr.fail_after = budget;
    mw_error *err = mw_instantiate(s, m, &inst);
    tr.fail_after = -1;
    succeeded = err == NULL;
    clean += succeeded || (mw_error_kind_of(err) == MW_ERR_OUT_OF_MEMORY &&
                           inst == NULL);
    mw_error_free(err);
    mw_store_free(s);
  }
  CHECK(succeeded && clean == tries);
  mw_module_release(m);
  CHECK(tr.live == 0);
}

int main(int argc, char **argv) {
  const char *dir = getenv("MW_FIXTURES");
  if (argc > 1)
    wasm_dir = argv[1];
  else if (dir && *dir)
    wasm_dir = dir;
  RUN(test_values);
  RUN(test_memory_grow_limits);
  RUN(test_memory_empty_and_oom);
  RUN(test_tables);
  RUN(test_globals);
  RUN(test_host_calls);
  RUN(test_registry);
  RUN(test_registry_oom);
  RUN(test_link_shared);
  RUN(test_import_matching);
  RUN(test_host_caller);
  RUN(test_start);
  RUN(test_segment_traps);
  RUN(test_reentry);
  RUN(test_segments_after_instantiation);
  RUN(test_configured_limits);
  RUN(test_invalid_module);
  RUN(test_instantiate_oom);
  return harness_summary();
}
