/*
 * test_aot.c -- the AOT compiler (src/aot): tests/wat/aot.wat translated to
 * C, compiled by the system C compiler, loaded and run natively; artifacts
 * (.so and universal .wasm) and their checks.
 *
 * Compiled artifacts are cached in $MW_AOT_CACHE (default build/aot-cache)
 * so that reruns skip the C compiler; the artifact tests compile afresh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "internal.h"
#include "moonwasm.h"

static const char *fixture_dir = "build/wasm";
static const char *cache_dir = "build/aot-cache";
static char tmp_dir[256];

static bool starts_with(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static uint8_t *read_fixture(const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", fixture_dir, name);
  uint8_t *bytes = harness_read_file(path, len);
  if (!bytes) printf("  cannot read %s\n", path);
  return bytes;
}

static mw_module *decode(const uint8_t *bytes, size_t len, const mw_config *cfg) {
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(cfg, bytes, len, &m);
  if (e) printf("  decode: %s\n", mw_error_message(e));
  mw_error_free(e);
  return m;
}

/* ---------------------------------------------------------------- host side */

static int add_calls, add_saw_memory;
static int fail_token;

static mw_error *host_add(mw_caller *caller, const mw_val *args, mw_val *results,
                          void *ud) {
  (void)ud;
  add_calls++;
  if (mw_caller_memory(caller)) add_saw_memory++;
  results[0] = mw_val_i32((int32_t)((uint32_t)args[0].of.i32 + (uint32_t)args[1].of.i32));
  return NULL;
}

static mw_error *host_fail(mw_caller *caller, const mw_val *args, mw_val *results,
                           void *ud) {
  (void)caller;
  (void)results;
  (void)ud;
  return args[0].of.i32 ? mw_error_new_host("boom", &fail_token) : NULL;
}

typedef struct fx {
  mw_module *m;
  mw_store *s;
  mw_instance *inst;
  mw_func *add, *fail;
} fx;

static bool fx_open(fx *f, mw_module *m, const mw_config *cfg) {
  static const mw_valtype ii[] = {MW_I32, MW_I32}, i[] = {MW_I32};
  memset(f, 0, sizeof *f);
  f->m = m;
  f->s = mw_store_new(cfg);
  mw_functype *t_add = mw_functype_new(NULL, ii, 2, i, 1);
  mw_functype *t_fail = mw_functype_new(NULL, i, 1, NULL, 0);
  f->add = mw_func_new(NULL, t_add, host_add, NULL, NULL);
  f->fail = mw_func_new(NULL, t_fail, host_fail, NULL, NULL);
  mw_functype_free(t_add);
  mw_functype_free(t_fail);
  if (!CHECK(m && f->s && f->add && f->fail)) return false;
  mw_extern imports[2] = {{.kind = MW_EXTERN_FUNC, .of.func = f->add},
                          {.kind = MW_EXTERN_FUNC, .of.func = f->fail}};
  mw_error *e = mw_instantiate_with(f->s, m, imports, 2, &f->inst);
  if (e) printf("  instantiate: %s\n", mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  return e == NULL;
}

static void fx_close(fx *f) {
  if (f->s) mw_store_free(f->s);
  if (f->add) mw_func_free(f->add);
  if (f->fail) mw_func_free(f->fail);
  if (f->m) mw_module_release(f->m);
  memset(f, 0, sizeof *f);
}

static mw_error *call(const fx *f, const char *name, const mw_val *args, size_t nargs,
                      mw_val *results, size_t nresults) {
  mw_extern ext;
  if (!mw_instance_export(f->inst, name, strlen(name), &ext) || ext.kind != MW_EXTERN_FUNC)
    return mw_error_new(MW_ERR_USAGE, "no such export");
  return mw_func_call(f->s, ext.of.func, args, nargs, results, nresults);
}

/* An export taking one or two i32 (b is then passed) to one i32. */
static int32_t call_i32(const fx *f, const char *name, int32_t a, int32_t b) {
  mw_val args[2] = {mw_val_i32(a), mw_val_i32(b)}, r;
  mw_extern ext;
  size_t nargs = 1;
  if (mw_instance_export(f->inst, name, strlen(name), &ext) && ext.kind == MW_EXTERN_FUNC)
    nargs = mw_functype_param_count(mw_func_type(ext.of.func));
  mw_error *e = call(f, name, args, nargs, &r, 1);
  if (e) printf("  %s: %s\n", name, mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  return e ? -1 : r.of.i32;
}

static void expect_trap(const fx *f, const char *name, const mw_val *args, size_t nargs,
                        mw_error_kind kind, const char *message) {
  mw_val r[3];
  mw_error *e = call(f, name, args, nargs, r, 1);
  CHECK(e != NULL);
  if (e) {
    CHECK_EQ_INT(mw_error_kind_of(e), kind);
    CHECK_STR(mw_error_message(e), message);
  }
  mw_error_free(e);
}

/* The native module of aot.wasm: compiled (or taken from the cache) and
 * attached. */
static mw_module *native_module(void) {
  size_t len;
  uint8_t *bytes = read_fixture("aot", &len);
  if (!CHECK(bytes != NULL)) return NULL;
  mw_module *m = decode(bytes, len, NULL);
  free(bytes);
  if (!m) return NULL;
  mw_error *e = mw_aot_compile_attach(m, NULL, cache_dir);
  if (e) printf("  compile: %s\n", mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  return m;
}

/* ---------------------------------------------------------------- running */

static void test_run(void) {
  fx f;
  mw_module *m = native_module();
  if (!m) return;
  CHECK_EQ_INT(mw_aot_native_funcs(m), 16); /* every defined function */
  if (!fx_open(&f, m, NULL)) {
    fx_close(&f);
    return;
  }
  /* Each defined function is bound to native code. */
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
    CHECK(f.inst->funcs[i]->aot_wrap != NULL);

  mw_val a1 = mw_val_i32(100000), r[3];
  mw_error *e = call(&f, "sum", &a1, 1, r, 1);
  CHECK(e == NULL && r[0].type == MW_I64 && r[0].of.i64 == 5000050000LL);
  mw_error_free(e);

  mw_val a2[2] = {mw_val_i32(3), mw_val_i32(40)};
  e = call(&f, "swap_sum", a2, 2, r, 3);
  CHECK(e == NULL && r[0].of.i32 == 40 && r[1].of.i32 == 3 && r[2].of.i32 == 43);
  mw_error_free(e);

  CHECK_EQ_INT(call_i32(&f, "pick", 0, 0), 10);
  CHECK_EQ_INT(call_i32(&f, "pick", 1, 0), 20);
  CHECK_EQ_INT(call_i32(&f, "pick", 2, 0), 30);
  CHECK_EQ_INT(call_i32(&f, "pick", 3, 0), 99);
  CHECK_EQ_INT(call_i32(&f, "pick", -1, 0), 99);

  mw_val a3[3] = {mw_val_i32(0), mw_val_i32(50), mw_val_i32(8)};
  e = call(&f, "indirect", a3, 3, r, 1);
  CHECK(e == NULL && r[0].of.i32 == 42);
  mw_error_free(e);
  a3[0] = mw_val_i32(1);
  e = call(&f, "indirect", a3, 3, r, 1);
  CHECK(e == NULL && r[0].of.i32 == 400);
  mw_error_free(e);
  a3[0] = mw_val_i32(2); /* $seven: [] -> [i32] */
  expect_trap(&f, "indirect", a3, 3, MW_ERR_TRAP, "indirect call type mismatch");
  a3[0] = mw_val_i32(3);
  expect_trap(&f, "indirect", a3, 3, MW_ERR_TRAP, "uninitialized element 3");
  a3[0] = mw_val_i32(4);
  expect_trap(&f, "indirect", a3, 3, MW_ERR_TRAP, "undefined element 4");

  a1 = mw_val_i32(0);
  e = call(&f, "load64", &a1, 1, r, 1);
  CHECK(e == NULL && (uint64_t)r[0].of.i64 == 0x0807060504030201ull);
  mw_error_free(e);
  a1 = mw_val_i32(65536 - 16 - 7); /* the last byte is past the end */
  expect_trap(&f, "load64", &a1, 1, MW_ERR_TRAP, "out of bounds memory access");
  a1 = mw_val_i32(-1); /* address + offset past 4 GiB: no wrap-around */
  expect_trap(&f, "load64", &a1, 1, MW_ERR_TRAP, "out of bounds memory access");

  /* grow to 2 pages (old size 1), then the new page is usable */
  CHECK_EQ_INT(call_i32(&f, "grow_store", 1, 0), 1 + 0x44);
  CHECK_EQ_INT(mw_memory_pages(mw_instance_memory(f.inst)), 2);
  /* past the maximum of 4 pages: -1, memory unchanged */
  CHECK_EQ_INT(call_i32(&f, "grow_store", 3, 0), -1 + 0x44);

  add_calls = add_saw_memory = 0;
  CHECK_EQ_INT(call_i32(&f, "host_add", 20, 21), 42);
  CHECK_EQ_INT(add_calls, 2);
  CHECK_EQ_INT(add_saw_memory, 2); /* the host sees its caller */
  CHECK_EQ_INT(call_i32(&f, "call_fail", 0, 0), 5);
  a1 = mw_val_i32(1);
  e = call(&f, "call_fail", &a1, 1, r, 1);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST && mw_error_host_data(e) == &fail_token);
  mw_error_free(e);

  a1 = mw_val_i32((int32_t)0x7FA00001); /* a NaN with a payload */
  e = call(&f, "negbits", &a1, 1, r, 1);
  CHECK(e == NULL && (uint32_t)r[0].of.i32 == 0xFFA00001u);
  mw_error_free(e);

  a2[0] = mw_val_i32(7);
  a2[1] = mw_val_i32(0);
  expect_trap(&f, "div", a2, 2, MW_ERR_TRAP, "integer divide by zero");
  a2[0] = mw_val_i32(INT32_MIN);
  a2[1] = mw_val_i32(-1);
  expect_trap(&f, "div", a2, 2, MW_ERR_TRAP, "integer overflow");
  CHECK_EQ_INT(call_i32(&f, "div", -7, 2), -3);
  mw_val d = mw_val_f64(0.0 / 0.0);
  expect_trap(&f, "trunc", &d, 1, MW_ERR_TRAP, "invalid conversion to integer");
  d = mw_val_f64(3e9);
  expect_trap(&f, "trunc", &d, 1, MW_ERR_TRAP, "integer overflow");
  d = mw_val_f64(-2.9);
  e = call(&f, "trunc", &d, 1, r, 1);
  CHECK(e == NULL && r[0].of.i32 == -2);
  mw_error_free(e);

  /* Runaway recursion is a trap, not a crash, and the store stays usable. */
  a1 = mw_val_i32(0);
  expect_trap(&f, "deep", &a1, 1, MW_ERR_EXHAUSTION, "call stack exhausted");
  expect_trap(&f, "deep", &a1, 1, MW_ERR_EXHAUSTION, "call stack exhausted");
  CHECK_EQ_INT(call_i32(&f, "pick", 2, 0), 30);
  CHECK(f.s->aot.jmp == NULL); /* no native entry left behind */

  /* The global was updated by native code: sum ran once. */
  mw_extern g;
  CHECK(mw_instance_export(f.inst, "memory", 6, &g));
  CHECK_EQ_INT(f.inst->globals[0]->value.i64, 1);
  fx_close(&f);
}

/* The call depth limit bounds native calls too (as a C stack budget). */
static void test_depth_limit(void) {
  mw_module *m = native_module();
  if (!m) return;
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.max_call_depth = 50;
  fx f;
  if (fx_open(&f, m, &cfg)) {
    mw_val a = mw_val_i32(0);
    expect_trap(&f, "deep", &a, 1, MW_ERR_EXHAUSTION, "call stack exhausted");
    CHECK(f.s->aot.jmp == NULL); /* unwound after the trap */
    /* 50 calls of budget, MW_AOT_FRAME_BYTES each: a shallow recursion of
     * 10 still runs (the deep export never returns, so use pick) */
    CHECK_EQ_INT(call_i32(&f, "pick", 1, 0), 20);
  }
  fx_close(&f);
}

/* Host control reaches native loops and calls: interrupt, deadline, fuel. */
static void test_host_control(void) {
  mw_module *m = native_module();
  if (!m) return;
  fx f;
  if (fx_open(&f, m, NULL)) {
    mw_store_interrupt(f.s);
    expect_trap(&f, "spin", NULL, 0, MW_ERR_TRAP, "interrupted");
    mw_store_set_deadline(f.s, 2000000); /* 2 ms */
    expect_trap(&f, "spin", NULL, 0, MW_ERR_TRAP, "deadline exceeded");
    mw_store_set_fuel(f.s, 1000); /* one unit per iteration and per call */
    mw_val a = mw_val_i32(100000);
    expect_trap(&f, "sum", &a, 1, MW_ERR_EXHAUSTION, "all fuel consumed");
    mw_store_set_fuel(f.s, 1000);
    a = mw_val_i32(500);
    mw_val r;
    mw_error *e = call(&f, "sum", &a, 1, &r, 1);
    CHECK(e == NULL && r.of.i64 == 125250);
    mw_error_free(e);
    uint64_t left = 0;
    CHECK(mw_store_get_fuel(f.s, &left) && left < 1000 - 500 && left > 400);
    mw_store_clear_fuel(f.s);
  }
  fx_close(&f);
}

/* Statistics and cost limits count in the interpreter: a metered module
 * keeps running there even with native code attached. */
static void test_metered_stays_interpreted(void) {
  size_t len;
  uint8_t *bytes = read_fixture("aot", &len);
  if (!CHECK(bytes != NULL)) return;
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.count_instructions = true;
  mw_module *m = decode(bytes, len, &cfg);
  free(bytes);
  if (!m) return;
  mw_error *e = mw_aot_compile_attach(m, NULL, cache_dir);
  CHECK(e == NULL);
  mw_error_free(e);
  fx f;
  if (fx_open(&f, m, &cfg)) {
    CHECK(f.inst->funcs[m->nfunc_imports]->aot_wrap == NULL);
    CHECK_EQ_INT(call_i32(&f, "pick", 1, 0), 20);
    mw_stats st;
    mw_store_stats(f.s, &st);
    CHECK(st.instructions > 0);
  } else {
    mw_module_release(m);
    f.m = NULL;
  }
  fx_close(&f);
}

/* ---------------------------------------------------------------- translation */

static void test_translate(void) {
  size_t len;
  uint8_t *bytes = read_fixture("aot", &len);
  if (!CHECK(bytes != NULL)) return;
  mw_module *m = decode(bytes, len, NULL);
  free(bytes);
  if (!m) return;
  char *src = NULL;
  size_t n = 0;
  mw_error *e = mw_aot_translate(m, &src, &n);
  CHECK(e == NULL && src && n == strlen(src));
  if (src) {
    /* one C function per wasm function, typed: $sub is f_2 (two imports) */
    CHECK(strstr(src, "static uint32_t f_2(mw_aot_ctx *c, char *fr_, uint32_t l0, uint32_t l1)"));
    /* the multi-value function returns through a slot array; every
     * function gets its frame record (backtraces) */
    CHECK(strstr(src, "static void f_6(mw_aot_ctx *c, char *fr_, uint32_t l0, uint32_t l1, "
                      "mw_aot_slot *res_)"));
    /* imports are stubs that call the runtime */
    CHECK(strstr(src, "c->rt->call(c, 0, sl_);"));
    CHECK(strstr(src, "mw_aot_artifact_v1"));
  }
  free(src);
  mw_error_free(e);
  mw_module_release(m);

  /* An invalid module is not translated: the validation error comes back. */
  static const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                1, 5, 1, 0x60, 0, 1, 0x7F,   /* type [] -> [i32] */
                                3, 2, 1, 0,                  /* func 0 */
                                10, 4, 1, 2, 0, 0x0B};       /* body: empty */
  mw_module *b = decode(bad, sizeof bad, NULL);
  if (b) {
    e = mw_aot_translate(b, &src, &n);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
    CHECK_STR(e ? mw_error_message(e) : NULL, "type mismatch");
    mw_error_free(e);
    mw_module_release(b);
  }
}

/* ---------------------------------------------------------------- artifacts */

static void test_artifacts(void) {
  size_t len;
  uint8_t *bytes = read_fixture("aot", &len);
  if (!CHECK(bytes != NULL)) return;
  char so[512], uni[512], cfile[512];
  snprintf(so, sizeof so, "%s/aot.so", tmp_dir);
  snprintf(uni, sizeof uni, "%s/aot_universal.wasm", tmp_dir);
  snprintf(cfile, sizeof cfile, "%s/aot.c", tmp_dir);

  mw_module *m = decode(bytes, len, NULL);
  mw_aot_options o = {NULL, "O1", cfile};
  mw_error *e = m ? mw_aot_compile(m, &o, MW_AOT_SO, so) : NULL;
  CHECK(m && e == NULL);
  mw_error_free(e);
  e = m ? mw_aot_compile(m, &o, MW_AOT_UNIVERSAL, uni) : NULL;
  CHECK(m && e == NULL);
  mw_error_free(e);
  CHECK(access(cfile, R_OK) == 0); /* keep_c */
  mw_module_release(m);

  /* The .so carries its module and runs natively. */
  char *note = (char *)"unset";
  m = NULL;
  e = mw_aot_load_file(NULL, so, &m, &note);
  CHECK(e == NULL && m != NULL && note == NULL);
  mw_error_free(e);
  CHECK_EQ_INT(mw_aot_native_funcs(m), 16);
  fx f;
  if (m && fx_open(&f, m, NULL)) CHECK_EQ_INT(call_i32(&f, "pick", 0, 0), 10);
  fx_close(&f);

  /* The universal module: the plain bytes plus one custom section; native
   * here. */
  size_t ulen;
  uint8_t *ubytes = harness_read_file(uni, &ulen);
  CHECK(ubytes && ulen > len && memcmp(ubytes, bytes, len) == 0 && ubytes[len] == 0);
  m = NULL;
  e = mw_aot_load_file(NULL, uni, &m, &note);
  CHECK(e == NULL && m != NULL && note == NULL);
  mw_error_free(e);
  CHECK_EQ_INT(mw_aot_native_funcs(m), 16);
  if (m && fx_open(&f, m, NULL)) CHECK_EQ_INT(call_i32(&f, "pick", 1, 0), 20);
  fx_close(&f);

  /* Built for another moonwasm version: runs in the interpreter, and the
   * note says why. */
  if (ubytes) {
    uint8_t *v = NULL;
    for (size_t i = len; i + 6 < ulen && !v; i++)
      if (memcmp(ubytes + i, "MWAOT1" MW_VERSION, 6 + strlen(MW_VERSION)) == 0) v = ubytes + i + 6;
    CHECK(v != NULL);
    if (v) {
      v[0] = '9'; /* "0.1.0" -> "9.1.0" */
      char other[512];
      snprintf(other, sizeof other, "%s/aot_other.wasm", tmp_dir);
      FILE *fp = fopen(other, "wb");
      if (fp) {
        fwrite(ubytes, 1, ulen, fp);
        fclose(fp);
      }
      m = NULL;
      e = mw_aot_load_file(NULL, other, &m, &note);
      CHECK(e == NULL && m != NULL);
      mw_error_free(e);
      CHECK(note && strstr(note, "native code is for moonwasm 9"));
      free(note);
      CHECK_EQ_INT(mw_aot_native_funcs(m), 0);
      if (m && fx_open(&f, m, NULL)) CHECK_EQ_INT(call_i32(&f, "pick", 2, 0), 30);
      fx_close(&f);
      remove(other);
    }
  }
  free(ubytes);

  /* A .so attached to other wasm bytes: refused, module unchanged. */
  size_t hlen;
  uint8_t *hbytes = read_fixture("host", &hlen);
  m = hbytes ? decode(hbytes, hlen, NULL) : NULL;
  free(hbytes);
  if (m) {
    e = mw_aot_attach(m, so);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
    CHECK(e && strstr(mw_error_message(e), "other wasm bytes (hash mismatch)"));
    mw_error_free(e);
    CHECK(m->aot == NULL);
    mw_module_release(m);
  }

  /* Not an artifact at all: a clear error, no crash. */
  char junk[512];
  snprintf(junk, sizeof junk, "%s/junk.so", tmp_dir);
  FILE *fp = fopen(junk, "wb");
  if (fp) {
    fputs("\177ELF but not really", fp);
    fclose(fp);
  }
  m = decode(bytes, len, NULL);
  if (m) {
    e = mw_aot_attach(m, junk);
    CHECK(e && starts_with(mw_error_message(e), "aot: cannot load "));
    mw_error_free(e);
    mw_module_release(m);
  }
  m = NULL;
  e = mw_aot_load_file(NULL, junk, &m, NULL);
  CHECK(e && m == NULL && starts_with(mw_error_message(e), "aot: cannot load "));
  mw_error_free(e);

  /* A failing C compiler is reported with its name. */
  m = decode(bytes, len, NULL);
  if (m) {
    mw_aot_options bad_cc = {"false", NULL, NULL};
    e = mw_aot_compile(m, &bad_cc, MW_AOT_SO, so);
    CHECK(e && starts_with(mw_error_message(e), "aot: the C compiler \"false\" failed"));
    mw_error_free(e);
    mw_aot_options bad_opt = {NULL, "Ofast", NULL};
    e = mw_aot_compile(m, &bad_opt, MW_AOT_SO, so);
    CHECK(e && strstr(mw_error_message(e), "unsupported optimisation level \"Ofast\""));
    mw_error_free(e);
    mw_module_release(m);
  }
  remove(so);
  remove(uni);
  remove(cfile);
  remove(junk);
  free(bytes);
}

/* Memory 0's bounds: by guard pages (the default where the address space
 * allows) and by explicit checks (MOONWASM_AOT_BOUNDS=explicit, the
 * fallback elsewhere): the same traps either way, and the generated C
 * says which it uses. */
static void test_bounds_modes(void) {
  for (int explicit_ = 0; explicit_ < 2; explicit_++) {
    if (explicit_)
      setenv("MOONWASM_AOT_BOUNDS", "explicit", 1);
    else
      unsetenv("MOONWASM_AOT_BOUNDS");
    size_t len;
    uint8_t *bytes = read_fixture("aot", &len);
    if (!CHECK(bytes != NULL)) break;
    mw_module *m = decode(bytes, len, NULL);
    free(bytes);
    if (!m) break;
    char *src = NULL;
    size_t n = 0;
    mw_error *e = mw_aot_translate(m, &src, &n);
    CHECK(e == NULL && src);
    mw_error_free(e);
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
    CHECK(src && strstr(src, explicit_ ? "#define MW_AOT_GUARD 0" : "#define MW_AOT_GUARD 1"));
#endif
    free(src);
    e = mw_aot_compile_attach(m, NULL, cache_dir);
    CHECK(e == NULL);
    mw_error_free(e);
    fx f;
    if (fx_open(&f, m, NULL)) {
      CHECK(f.inst->funcs[m->nfunc_imports]->aot_wrap != NULL);
      mw_val a = mw_val_i32(65536 - 16 - 7), r;
      for (int k = 0; k < 3; k++) /* the store stays usable after each */
        expect_trap(&f, "load64", &a, 1, MW_ERR_TRAP, "out of bounds memory access");
      a = mw_val_i32(0);
      e = call(&f, "load64", &a, 1, &r, 1);
      CHECK(e == NULL && (uint64_t)r.of.i64 == 0x0807060504030201ull);
      mw_error_free(e);
      CHECK(f.s->aot.jmp == NULL);
    }
    fx_close(&f);
  }
  unsetenv("MOONWASM_AOT_BOUNDS");
}

int main(int argc, char **argv) {
  const char *env = getenv("MW_FIXTURES");
  if (argc > 1)
    fixture_dir = argv[1];
  else if (env && *env)
    fixture_dir = env;
  const char *cache = getenv("MW_AOT_CACHE");
  if (cache && *cache) cache_dir = cache;
  const char *tmp = getenv("TMPDIR");
  snprintf(tmp_dir, sizeof tmp_dir, "%s/moonwasm-test-aot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(tmp_dir)) {
    printf("cannot create a temporary directory\n");
    return 1;
  }
  RUN(test_translate);
  RUN(test_run);
  RUN(test_depth_limit);
  RUN(test_host_control);
  RUN(test_bounds_modes);
  RUN(test_metered_stays_interpreted);
  RUN(test_artifacts);
  rmdir(tmp_dir);
  return harness_summary();
}
