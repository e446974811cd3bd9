/*
 * test_eh.c -- exception handling through the public C API: host tags,
 * exceptions thrown by a C host function and caught by wasm, uncaught
 * exceptions as MW_ERR_EXCEPTION errors with their tag and values, a host
 * error that wasm cannot catch, the tag's lifetime after mw_tag_free, and
 * every byte of a tracking allocator coming back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "moonwasm.h"
#include "tracking_alloc.h"

static const char wat[] =
    "(module\n"
    "  (tag $e (import \"env\" \"e\") (param i32 i64))\n"
    "  (import \"env\" \"host\" (func $host (param i32)))\n"
    "  (tag $own (export \"own\") (param f64))\n"
    "  (func (export \"catch\") (param i32) (result i64) (local $x i64)\n"
    "    (block $h (result i32 i64)\n"
    "      (try_table (catch $e $h) (call $host (local.get 0)))\n"
    "      (return (i64.const -1)))\n"
    "    (local.set $x) (i64.extend_i32_s) (local.get $x) (i64.add))\n"
    "  (func (export \"catch_all\") (param i32) (result i32)\n"
    "    (block $h\n"
    "      (try_table (catch_all $h) (call $host (local.get 0)))\n"
    "      (return (i32.const -1)))\n"
    "    (i32.const 99))\n"
    "  (func (export \"throw_own\") (throw $own (f64.const 1.5))))\n";

typedef struct host_ctx {
  mw_tag *tag;
  int calls;
} host_ctx;

/* arg 1: throw e(arg + 10, 1000); arg 2: a plain host error; else return. */
static mw_error *host(mw_caller *c, const mw_val *args, mw_val *results, void *ud) {
  (void)c;
  (void)results;
  host_ctx *h = ud;
  h->calls++;
  if (args[0].of.i32 == 1) {
    mw_val v[2] = {mw_val_i32(args[0].of.i32 + 10), mw_val_i64(1000)};
    return mw_error_new_exception(h->tag, v, 2);
  }
  if (args[0].of.i32 == 2) return mw_error_new(MW_ERR_HOST, "host failed");
  return NULL;
}

static mw_func *export_func(mw_instance *inst, const char *name) {
  mw_extern x;
  if (!mw_instance_export(inst, name, strlen(name), &x) || x.kind != MW_EXTERN_FUNC)
    return NULL;
  return x.of.func;
}

static void test_c_api(void) {
  tracker tr;
  mw_config cfg = tracked_config(&tr);
  unsigned char *bin = NULL;
  size_t len = 0;
  mw_error *err = mw_wat_to_wasm(wat, strlen(wat), cfg.features, &bin, &len);
  if (!CHECK(err == NULL)) return;
  mw_module *m = NULL;
  err = mw_module_decode(&cfg, bin, len, &m);
  mw_wat_free(bin);
  if (!CHECK(err == NULL)) return;

  mw_valtype p[2] = {MW_I32, MW_I64};
  mw_functype *tt = mw_functype_new(&cfg, p, 2, NULL, 0);
  mw_tag *tag = mw_tag_new(&cfg, tt);
  CHECK(tag != NULL);
  CHECK_EQ_INT(mw_functype_param_count(mw_tag_type(tag)), 2);
  mw_valtype r[1] = {MW_I32};
  mw_functype *bad = mw_functype_new(&cfg, NULL, 0, r, 1);
  CHECK(mw_tag_new(&cfg, bad) == NULL); /* a tag type has no results */
  mw_functype_free(bad);

  mw_valtype hp[1] = {MW_I32};
  mw_functype *ht = mw_functype_new(&cfg, hp, 1, NULL, 0);
  host_ctx hc = {tag, 0};
  mw_func *hf = mw_func_new(&cfg, ht, host, &hc, NULL);
  mw_functype_free(ht);

  mw_store *s = mw_store_new(&cfg);
  mw_extern imports[2];
  imports[0].kind = MW_EXTERN_TAG;
  imports[0].of.tag = tag;
  imports[1].kind = MW_EXTERN_FUNC;
  imports[1].of.func = hf;
  mw_instance *inst = NULL;
  err = mw_instantiate_with(s, m, imports, 2, &inst);
  if (!CHECK(err == NULL)) {
    printf("  %s\n", mw_error_message(err));
    mw_error_free(err);
    return;
  }
  mw_tag_free(tag); /* the instance holds its own reference */

  /* A C host throws; wasm catches it with its values. */
  mw_val arg = mw_val_i32(1), res;
  err = mw_func_call(s, export_func(inst, "catch"), &arg, 1, &res, 1);
  CHECK(err == NULL);
  CHECK_EQ_INT(res.of.i64, 1011);
  arg = mw_val_i32(1);
  err = mw_func_call(s, export_func(inst, "catch_all"), &arg, 1, &res, 1);
  CHECK(err == NULL);
  CHECK_EQ_INT(res.of.i32, 99);

  /* A host error that is not an exception: catch_all does not see it. */
  arg = mw_val_i32(2);
  err = mw_func_call(s, export_func(inst, "catch_all"), &arg, 1, &res, 1);
  CHECK(err != NULL && mw_error_kind_of(err) == MW_ERR_HOST);
  if (err) CHECK_STR(mw_error_message(err), "host failed");
  mw_error_free(err);

  /* Uncaught: the error carries the tag and values. */
  err = mw_func_call(s, export_func(inst, "throw_own"), NULL, 0, NULL, 0);
  CHECK(err != NULL && mw_error_kind_of(err) == MW_ERR_EXCEPTION);
  if (err) {
    CHECK_STR(mw_error_kind_name(mw_error_kind_of(err)), "exception");
    CHECK_STR(mw_error_message(err), "uncaught exception");
    mw_extern own;
    CHECK(mw_instance_export(inst, "own", 3, &own) && own.kind == MW_EXTERN_TAG);
    CHECK(mw_error_exception_tag(err) == own.of.tag);
    CHECK_EQ_INT(mw_error_exception_count(err), 1);
    CHECK(mw_val_as_f64(mw_error_exception_value(err, 0)) == 1.5);
  }
  mw_error_free(err);

  /* Values that do not match the tag are a usage error. */
  mw_val wrong = mw_val_i32(1);
  err = mw_error_new_exception(tag, &wrong, 1); /* tag still alive: instance */
  CHECK(err != NULL && mw_error_kind_of(err) == MW_ERR_USAGE);
  mw_error_free(err);

  CHECK_EQ_INT(hc.calls, 3);
  mw_store_free(s);
  mw_func_free(hf);
  mw_functype_free(tt);
  mw_module_release(m);
  CHECK_EQ_INT(tr.live, 0);
}

int main(void) {
  RUN(test_c_api);
  return harness_summary();
}
