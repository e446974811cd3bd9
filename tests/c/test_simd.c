/*
 * test_simd.c -- v128 through the C API (values, host functions, globals),
 * v128 mixed with scalars in every place the compiler moves values
 * (tests/wat/simd_layout.wat), validation of lane immediates, and the
 * messages of a config with SIMD or relaxed SIMD switched off.
 *
 * Lane semantics are covered by the spec suite (simd_*.wast) and by our own
 * tests/wast/simd_*.wast.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

#define HDR "\x00\x61\x73\x6d\x01\x00\x00\x00"

static mw_val v_i32x4(int32_t a, int32_t b, int32_t c, int32_t d) {
  int32_t l[4] = {a, b, c, d};
  return mw_val_v128((const uint8_t *)l);
}

static int32_t lane32(mw_val v, int i) {
  int32_t x;
  memcpy(&x, v.of.v128 + 4 * i, 4);
  return x;
}

static bool is_i32x4(mw_val v, int32_t a, int32_t b, int32_t c, int32_t d) {
  return v.type == MW_V128 && lane32(v, 0) == a && lane32(v, 1) == b &&
         lane32(v, 2) == c && lane32(v, 3) == d;
}

static mw_func *export_func(mw_instance *inst, const char *name) {
  mw_extern e;
  if (!mw_instance_export(inst, name, strlen(name), &e) || e.kind != MW_EXTERN_FUNC) return NULL;
  return e.of.func;
}

static mw_error *decode_with(uint32_t features, const char *bytes, size_t len) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.features = features;
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(&cfg, (const uint8_t *)bytes, len, &m);
  if (!e) e = mw_module_validate(m);
  mw_module_release(m);
  return e;
}

/* ---------------------------------------------------------------- host functions and globals */

/* env.twice: each i32 lane doubled. */
static mw_error *twice(mw_caller *caller, const mw_val *args, mw_val *results, void *ud) {
  (void)caller;
  (*(int *)ud)++;
  results[0] = v_i32x4(2 * lane32(args[0], 0), 2 * lane32(args[0], 1),
                       2 * lane32(args[0], 2), 2 * lane32(args[0], 3));
  return NULL;
}

static void test_api(void) {
  size_t len;
  unsigned char *bytes = harness_read_fixture("simd_basics", &len);
  CHECK(bytes != NULL);
  if (!bytes) return;
  mw_store *s = mw_store_new(NULL);
  mw_module *m = NULL;
  CHECK(mw_module_decode(NULL, bytes, len, &m) == NULL);

  const mw_valtype vv[] = {MW_V128};
  mw_functype *ft = mw_functype_new(NULL, vv, 1, vv, 1);
  int calls = 0;
  mw_func *host = mw_func_new(NULL, ft, twice, &calls, NULL);
  mw_globaltype gt = {MW_V128, false};
  mw_global *g = mw_global_new(NULL, gt, v_i32x4(5, 6, 7, 8));
  CHECK(host && g);
  CHECK(is_i32x4(mw_global_get(g), 5, 6, 7, 8));
  /* a v128 global refuses a value of another type, and an i32 one a v128 */
  mw_globaltype it = {MW_I32, true};
  CHECK(mw_global_new(NULL, it, v_i32x4(0, 0, 0, 0)) == NULL);

  mw_extern imports[2];
  imports[0].kind = MW_EXTERN_FUNC;
  imports[0].of.func = host;
  imports[1].kind = MW_EXTERN_GLOBAL;
  imports[1].of.global = g;
  mw_instance *inst = NULL;
  mw_error *e = mw_instantiate_with(s, m, imports, 2, &inst);
  CHECK(e == NULL && inst != NULL);
  mw_error_free(e);
  if (inst) {
    mw_val args[3], res[2];
    args[0] = v_i32x4(1, 2, 3, 4);
    args[1] = v_i32x4(10, 20, 30, -4);
    CHECK(mw_func_call(s, export_func(inst, "add"), args, 2, res, 1) == NULL);
    CHECK(is_i32x4(res[0], 11, 22, 33, 0));

    /* v128, i32, v128 -> v128, i32 */
    args[0] = v_i32x4(1, 2, 3, 4);
    args[1] = mw_val_i32(3);
    args[2] = v_i32x4(1, 1, 1, 1);
    CHECK(mw_func_call(s, export_func(inst, "mix"), args, 3, res, 2) == NULL);
    CHECK(is_i32x4(res[0], 2, 5, 8, 11));
    CHECK(res[1].type == MW_I32 && res[1].of.i32 == 12);

    args[0] = v_i32x4(1, -2, 3, 4);
    CHECK(mw_func_call(s, export_func(inst, "via_host"), args, 1, res, 1) == NULL);
    CHECK(is_i32x4(res[0], 2, -4, 6, 8));
    CHECK_EQ_INT(calls, 1);
    /* calling the host function from C directly */
    CHECK(mw_func_call(s, host, args, 1, res, 1) == NULL);
    CHECK(is_i32x4(res[0], 2, -4, 6, 8));

    mw_extern ge;
    CHECK(mw_instance_export(inst, "copy", 4, &ge) && ge.kind == MW_EXTERN_GLOBAL);
    CHECK(is_i32x4(mw_global_get(ge.of.global), 5, 6, 7, 8));
    CHECK(mw_instance_export(inst, "g", 1, &ge) && ge.kind == MW_EXTERN_GLOBAL);
    CHECK(mw_global_set(ge.of.global, v_i32x4(-1, -2, -3, -4)) == NULL);
    args[0] = v_i32x4(1, 1, 1, 1);
    CHECK(mw_func_call(s, export_func(inst, "bump"), args, 1, res, 1) == NULL);
    CHECK(is_i32x4(res[0], -1, -2, -3, -4));
    CHECK(is_i32x4(mw_global_get(ge.of.global), 0, -1, -2, -3));
    e = mw_global_set(ge.of.global, mw_val_i32(1));
    CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
    mw_error_free(e);

    /* a wrong argument type is refused before anything runs */
    args[0] = mw_val_i32(1);
    args[1] = v_i32x4(0, 0, 0, 0);
    e = mw_func_call(s, export_func(inst, "add"), args, 2, res, 1);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
    CHECK_STR(e ? mw_error_message(e) : "", "argument 1: expected v128, got i32");
    mw_error_free(e);

    /* out of bounds v128.store traps with the spec's message */
    args[0] = mw_val_i32(65536 - 31);
    args[1] = v_i32x4(1, 2, 3, 4);
    e = mw_func_call(s, export_func(inst, "roundtrip"), args, 2, res, 1);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP);
    CHECK_STR(e ? mw_error_message(e) : "", "out of bounds memory access");
    mw_error_free(e);
  }
  mw_store_free(s);
  mw_module_release(m);
  mw_func_free(host);
  mw_global_free(g);
  mw_functype_free(ft);
  free(bytes);
}

/* A host function whose result has the wrong type is a host error. */
static mw_error *bad_result(mw_caller *caller, const mw_val *args, mw_val *results, void *ud) {
  (void)caller, (void)args, (void)ud;
  results[0] = mw_val_i32(1);
  return NULL;
}

static void test_host_result_type(void) {
  const mw_valtype vv[] = {MW_V128};
  mw_functype *ft = mw_functype_new(NULL, vv, 1, vv, 1);
  mw_func *f = mw_func_new(NULL, ft, bad_result, NULL, NULL);
  mw_store *s = mw_store_new(NULL);
  mw_val arg = v_i32x4(1, 2, 3, 4), res;
  mw_error *e = mw_func_call(s, f, &arg, 1, &res, 1);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST);
  CHECK_STR(e ? mw_error_message(e) : "", "host function result 1: expected v128, got i32");
  mw_error_free(e);
  mw_store_free(s);
  mw_func_free(f);
  mw_functype_free(ft);
}

/* ---------------------------------------------------------------- slot layout */

static void test_layout(void) {
  size_t len;
  unsigned char *bytes = harness_read_fixture("simd_layout", &len);
  CHECK(bytes != NULL);
  if (!bytes) return;
  mw_config cfg;
  mw_config_default(&cfg);
  mw_store *s = mw_store_new(&cfg);
  mw_module *m = NULL;
  mw_instance *inst = NULL;
  CHECK(mw_module_decode(&cfg, bytes, len, &m) == NULL);
  mw_error *e = mw_instantiate(s, m, &inst);
  CHECK(e == NULL && inst);
  mw_error_free(e);
  if (inst) {
    mw_val a[3], r[3];
    int64_t l2[2] = {5, -6};
    a[0] = mw_val_v128((const uint8_t *)l2);
    a[1] = mw_val_i64(10);
    CHECK(mw_func_call(s, export_func(inst, "multi"), a, 2, r, 2) == NULL);
    int64_t got[2];
    memcpy(got, r[1].of.v128, 16);
    CHECK(r[0].type == MW_I64 && r[0].of.i64 == 30);
    CHECK(r[1].type == MW_V128 && got[0] == 15 && got[1] == 4);

    for (int i = 0; i < 4; i++) {
      a[0] = mw_val_i32(i);
      a[1] = v_i32x4(1, 2, 3, 4);
      CHECK(mw_func_call(s, export_func(inst, "table"), a, 2, r, 2) == NULL);
      int add = i == 0 ? 1 : i == 1 ? 2 : 0; /* after $a: +1, after $b: +2 */
      CHECK_EQ_INT(r[0].of.i32, 100);
      CHECK(is_i32x4(r[1], 1 + add, 2 + add, 3 + add, 4 + add));
    }

    a[0] = v_i32x4(1, 2, 3, -1);
    a[1] = mw_val_i32(3);
    CHECK(mw_func_call(s, export_func(inst, "loop"), a, 2, r, 1) == NULL);
    CHECK(is_i32x4(r[0], 8, 16, 24, -8));

    a[0] = v_i32x4(1, 2, 3, 4);
    a[1] = mw_val_i32(3);
    a[2] = mw_val_i32(0);
    CHECK(mw_func_call(s, export_func(inst, "indirect"), a, 3, r, 1) == NULL);
    CHECK(is_i32x4(r[0], 3, 6, 9, 12));
    a[2] = mw_val_i32(1);
    CHECK(mw_func_call(s, export_func(inst, "indirect"), a, 3, r, 1) == NULL);
    CHECK(is_i32x4(r[0], -1, -2, -3, -4));

    a[0] = mw_val_i32(1);
    a[1] = v_i32x4(0, 0, 0, 0);
    CHECK(mw_func_call(s, export_func(inst, "ifelse"), a, 2, r, 2) == NULL);
    CHECK(r[0].of.i32 == 7 && is_i32x4(r[1], 0x01010101, 0x01010101, 0x01010101, 0x01010101));
    a[0] = mw_val_i32(0);
    CHECK(mw_func_call(s, export_func(inst, "ifelse"), a, 2, r, 2) == NULL);
    CHECK(r[0].of.i32 == 7 && is_i32x4(r[1], -1, -1, -1, -1));

    a[0] = v_i32x4(1, 2, 3, 4);
    a[1] = mw_val_i32(100000);
    CHECK(mw_func_call(s, export_func(inst, "tail"), a, 2, r, 1) == NULL);
    CHECK(is_i32x4(r[0], 100001, 100002, 100003, 100004));

    /* zeroed locals, even after a call left v128 garbage in the slots */
    a[0] = mw_val_i32(0);
    CHECK(mw_func_call(s, export_func(inst, "zeros"), a, 1, r, 1) == NULL);
    CHECK(is_i32x4(r[0], 0, 0, 0, 0));
  }
  mw_store_free(s);
  mw_module_release(m);
  free(bytes);
}

/* ---------------------------------------------------------------- validation and features */

/* type () -> (); one function; then a code section with one body */
#define FUNC "\x01\x04\x01\x60\x00\x00" "\x03\x02\x01\x00"
#define MEM "\x05\x03\x01\x00\x01"

/* msg NULL: the module must be valid. */
static void expect_error(uint32_t features, const char *bytes, size_t len,
                         mw_error_kind kind, const char *msg, const char *what) {
  mw_error *e = decode_with(features, bytes, len);
  bool ok = msg ? e && mw_error_kind_of(e) == kind && strcmp(mw_error_message(e), msg) == 0
                : e == NULL;
  if (!msg) msg = "success";
  if (!ok) printf("  %s: got \"%s\", expected \"%s\"\n", what, e ? mw_error_message(e) : "success", msg);
  CHECK(ok);
  mw_error_free(e);
}
#define EXPECT(features, bytes, kind, msg, what) \
  expect_error((features), (bytes), sizeof(bytes) - 1, (kind), (msg), (what))

/* A module of one function () -> () with memory 1 whose body (locals
 * included) is `body`, the section sizes computed. */
static void expect_body(const char *body, size_t n, mw_error_kind kind, const char *msg,
                        const char *what) {
  char buf[256];
  static const char head[] = HDR FUNC MEM;
  size_t k = sizeof head - 1;
  memcpy(buf, head, k);
  buf[k++] = 0x0a;
  buf[k++] = (char)(n + 2);
  buf[k++] = 1;
  buf[k++] = (char)n;
  memcpy(buf + k, body, n);
  expect_error(MW_FEATURES_DEFAULT, buf, k + n, kind, msg, what);
}
#define EXPECT_BODY(body, kind, msg, what) \
  expect_body((body), sizeof(body) - 1, (kind), (msg), (what))

static void test_validation(void) {
  uint32_t all = MW_FEATURES_DEFAULT;
#define CONST16 "\xfd\x0c" "0123456789abcdef"
  /* i32x4.extract_lane 4: lanes are 0..3 */
  EXPECT_BODY("\x00" CONST16 "\xfd\x1b\x04\x1a\x0b",
              MW_ERR_INVALID, "invalid lane index", "extract lane 4");
  EXPECT_BODY("\x00" CONST16 "\xfd\x1b\x03\x1a\x0b", 0, NULL, "extract lane 3");
  /* i8x16.shuffle with an index of 32 */
  EXPECT_BODY("\x00" CONST16 CONST16
              "\xfd\x0d\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x20\x1a\x0b",
              MW_ERR_INVALID, "invalid lane index", "shuffle 32");
  EXPECT_BODY("\x00" CONST16 CONST16
              "\xfd\x0d\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f\x1a\x0b",
              0, NULL, "shuffle 31");
  /* v128.load align=5 (natural is 4) */
  EXPECT_BODY("\x00\x41\x00\xfd\x00\x05\x00\x1a\x0b",
              MW_ERR_INVALID, "alignment must not be larger than natural", "v128.load align 5");
  EXPECT_BODY("\x00\x41\x00\xfd\x00\x04\x00\x1a\x0b", 0, NULL, "v128.load align 4");
  /* v128.load64_lane 2: lanes are 0..1 */
  EXPECT_BODY("\x00\x41\x00" CONST16 "\xfd\x57\x03\x00\x02\x1a\x0b",
              MW_ERR_INVALID, "invalid lane index", "load64_lane 2");
  /* i32x4.add of an i32 and a v128 */
  EXPECT_BODY("\x00\x41\x00" CONST16 "\xfd\xae\x01\x1a\x0b",
              MW_ERR_INVALID, "type mismatch", "add i32 v128");

  /* SIMD off: the value type and the instruction, each named with where */
  uint32_t no_simd = MW_FEATURES_DEFAULT & ~(uint32_t)(MW_FEATURE_SIMD | MW_FEATURE_RELAXED_SIMD);
  EXPECT(no_simd, HDR "\x01\x05\x01\x60\x01\x7b\x00", MW_ERR_MALFORMED,
         "malformed value type (v128 at byte offset 13: SIMD is not enabled)", "param v128");
  EXPECT(no_simd, HDR FUNC "\x0a\x06\x01\x04\x01\x01\x7b\x0b", MW_ERR_MALFORMED,
         "malformed value type (v128 at byte offset 24: SIMD is not enabled)", "local v128");
  EXPECT(no_simd, HDR "\x06\x07\x01\x7f\x00\xfd\x00\x0b\x0b", MW_ERR_MALFORMED,
         "illegal opcode (v128.load at byte offset 13: SIMD is not enabled)", "cexpr v128.load");
  EXPECT(no_simd, HDR FUNC "\x0a\x17\x01\x15\x00\xfd\x0c" "0123456789abcdef" "\x0b",
         MW_ERR_MALFORMED, "illegal opcode (v128.const at byte offset 23: SIMD is not enabled)",
         "v128.const");
  /* relaxed SIMD off, SIMD on; the sub-opcode is a 2-byte LEB */
  uint32_t no_relaxed = MW_FEATURES_DEFAULT & ~(uint32_t)MW_FEATURE_RELAXED_SIMD;
  EXPECT(no_relaxed, HDR FUNC "\x0a\x07\x01\x05\x00\xfd\x80\x02\x0b", MW_ERR_MALFORMED,
         "illegal opcode (i8x16.relaxed_swizzle at byte offset 23: relaxed SIMD is not enabled)",
         "relaxed swizzle");
  /* and with both on, a v128 global initialised by v128.const decodes */
  mw_error *e = decode_with(all, HDR "\x06\x16\x01\x7b\x00\xfd\x0c" "0123456789abcdef" "\x0b", 32);
  CHECK(e == NULL);
  mw_error_free(e);
}

int main(void) {
  RUN(test_api);
  RUN(test_host_result_type);
  RUN(test_layout);
  RUN(test_validation);
  return harness_summary();
}
