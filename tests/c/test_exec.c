/*
 * test_exec.c -- the interpreter, instruction family by instruction family,
 * through the public API only: mw_module_decode -> mw_store_new ->
 * mw_instantiate(_with) -> mw_instance_export -> mw_func_call.
 *
 * The modules are the .wat files in tests/wat, built to .wasm files in
 * $MW_FIXTURES by the Makefile (or give that directory as argument 1).  Every check
 * states an exact value, bit pattern, error kind or message: floats go in
 * and come out as bits, so NaN payloads and signed zeros are visible.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moonwasm.h"

#include "harness.h"

/* ---------------------------------------------------------------- checks */

/* A harness check whose failure message is formatted (values, messages). */
static void check_at(bool ok, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void check_at(bool ok, int line, const char *fmt, ...) {
  char what[512] = "";
  if (!ok) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
  }
  harness_check(ok, what, __FILE__, line);
}

static bool starts_with(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---------------------------------------------------------------- values */

#define I32(x) {MW_I32, {.i32 = (int32_t)(x)}}
#define I64(x) {MW_I64, {.i64 = (int64_t)(x)}}
#define F32(b) {MW_F32, {.f32_bits = (uint32_t)(b)}}
#define F64(b) {MW_F64, {.f64_bits = (uint64_t)(b)}}

static bool val_eq(mw_val a, mw_val b) {
  if (a.type != b.type) return false;
  switch (a.type) {
  case MW_I32: return a.of.i32 == b.of.i32;
  case MW_I64: return a.of.i64 == b.of.i64;
  case MW_F32: return a.of.f32_bits == b.of.f32_bits;
  case MW_F64: return a.of.f64_bits == b.of.f64_bits;
  case MW_FUNCREF: return a.of.funcref == b.of.funcref;
  case MW_EXTERNREF: return a.of.externref == b.of.externref;
  default: return false;
  }
}

static const char *val_str(mw_val v, char *buf, size_t n) {
  switch (v.type) {
  case MW_I32: snprintf(buf, n, "i32:%d (0x%08x)", v.of.i32, (unsigned)v.of.i32); break;
  case MW_I64:
    snprintf(buf, n, "i64:%lld (0x%016llx)", (long long)v.of.i64,
             (unsigned long long)v.of.i64);
    break;
  case MW_F32: snprintf(buf, n, "f32:0x%08x", (unsigned)v.of.f32_bits); break;
  case MW_F64: snprintf(buf, n, "f64:0x%016llx", (unsigned long long)v.of.f64_bits); break;
  case MW_FUNCREF: snprintf(buf, n, "funcref:%p", (void *)v.of.funcref); break;
  case MW_EXTERNREF: snprintf(buf, n, "externref:%p", v.of.externref); break;
  default: snprintf(buf, n, "type 0x%x", (unsigned)v.type); break;
  }
  return buf;
}

/* NaN classes of the spec (4.3.3): a canonical NaN has only the quiet bit
 * of the payload set; an arithmetic NaN has at least that bit. */
static bool f32_canon_nan(uint32_t b) { return (b & 0x7fffffffu) == 0x7fc00000u; }
static bool f32_arith_nan(uint32_t b) { return (b & 0x7fc00000u) == 0x7fc00000u; }
static bool f64_canon_nan(uint64_t b) {
  return (b & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
static bool f64_arith_nan(uint64_t b) {
  return (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

/* ---------------------------------------------------------------- fixtures */

static const char *fixture_dir = "build/wasm";


/* One instantiated fixture: module, store, instance. */
typedef struct fx {
  const char *name;
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} fx;

static void fx_close(fx *f) {
  if (f->store) mw_store_free(f->store);
  if (f->mod) mw_module_release(f->mod);
  memset(f, 0, sizeof *f);
}

static void report_error(int line, const char *what, mw_error *e) {
  check_at(false, line, "%s: %s: %s", what,
           mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
  mw_error_free(e);
}

/* Load $dir/name.wasm and instantiate it with `imports` (in import order)
 * in a new store made with `cfg` (NULL: defaults).  Counts as one check. */
static bool fx_open_at(int line, fx *f, const char *name, const mw_config *cfg,
                       const mw_extern *imports, size_t nimports) {
  memset(f, 0, sizeof *f);
  f->name = name;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", fixture_dir, name);
  size_t len = 0;
  uint8_t *bytes = harness_read_file(path, &len);
  if (!bytes) {
    check_at(false, line, "cannot read fixture %s (build it with make fixtures)", path);
    return false;
  }
  mw_error *e = mw_module_decode(cfg, bytes, len, &f->mod);
  free(bytes);
  if (e) {
    report_error(line, name, e);
    return false;
  }
  f->store = mw_store_new(cfg);
  if (!f->store) {
    check_at(false, line, "%s: mw_store_new failed", name);
    fx_close(f);
    return false;
  }
  e = mw_instantiate_with(f->store, f->mod, imports, nimports, &f->inst);
  if (e) {
    report_error(line, name, e);
    fx_close(f);
    return false;
  }
  check_at(f->inst != NULL, line, "%s: instantiated", name);
  return f->inst != NULL;
}

#define fx_open(f, name) fx_open_at(__LINE__, (f), (name), NULL, NULL, 0)

static mw_func *fx_func(const fx *f, const char *name) {
  mw_extern ext;
  if (!f->inst || !mw_instance_export(f->inst, name, strlen(name), &ext) ||
      ext.kind != MW_EXTERN_FUNC)
    return NULL;
  return ext.of.func;
}

static mw_error *fx_call(const fx *f, const char *name, const mw_val *args,
                         size_t nargs, mw_val *results, size_t nresults) {
  mw_func *fn = fx_func(f, name);
  if (!fn) return mw_error_new(MW_ERR_USAGE, "test: no such exported function");
  return mw_func_call(f->store, fn, args, nargs, results, nresults);
}

/* ---------------------------------------------------------------- table-driven calls */

enum want { W_VAL, W_CANON_NAN, W_ARITH_NAN, W_TRAP };

typedef struct row {
  const char *fn;
  int line;
  size_t nargs;
  mw_val args[3];
  enum want want;
  mw_val result; /* W_VAL: the exact value; NaN wants: only its type */
  const char *trap;
} row;

#define V1(fn, a, r) {fn, __LINE__, 1, {a}, W_VAL, r, NULL}
#define V2(fn, a, b, r) {fn, __LINE__, 2, {a, b}, W_VAL, r, NULL}
#define T1(fn, a, msg) {fn, __LINE__, 1, {a}, W_TRAP, I32(0), msg}
#define T2(fn, a, b, msg) {fn, __LINE__, 2, {a, b}, W_TRAP, I32(0), msg}
#define N1(fn, a, w, ty) {fn, __LINE__, 1, {a}, w, ty, NULL}
#define N2(fn, a, b, w, ty) {fn, __LINE__, 2, {a, b}, w, ty, NULL}

/* Messages, in the spec's words. */
#define DIV0 "integer divide by zero"
#define OVERFLOW "integer overflow"
#define BADCONV "invalid conversion to integer"
#define OOB_MEM "out of bounds memory access"
#define OOB_TABLE "out of bounds table access"

static void run_row(const fx *f, const row *r) {
  mw_val res[2];
  memset(res, 0, sizeof res);
  char a[64], b[64];
  mw_error *e = fx_call(f, r->fn, r->args, r->nargs, res, 1);
  if (r->want == W_TRAP) {
    if (!e) {
      check_at(false, r->line, "%s.%s: expected trap \"%s\", got %s", f->name,
               r->fn, r->trap, val_str(res[0], a, sizeof a));
      return;
    }
    check_at(mw_error_kind_of(e) == MW_ERR_TRAP &&
                 starts_with(mw_error_message(e), r->trap),
             r->line, "%s.%s: expected trap \"%s\", got %s \"%s\"", f->name,
             r->fn, r->trap, mw_error_kind_name(mw_error_kind_of(e)),
             mw_error_message(e));
    mw_error_free(e);
    return;
  }
  if (e) {
    check_at(false, r->line, "%s.%s: unexpected %s \"%s\"", f->name, r->fn,
             mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
    mw_error_free(e);
    return;
  }
  bool ok;
  const char *what = "";
  switch (r->want) {
  case W_CANON_NAN:
    what = "a canonical NaN";
    ok = res[0].type == r->result.type &&
         (res[0].type == MW_F32 ? f32_canon_nan(res[0].of.f32_bits)
                                : f64_canon_nan(res[0].of.f64_bits));
    break;
  case W_ARITH_NAN:
    what = "an arithmetic NaN";
    ok = res[0].type == r->result.type &&
         (res[0].type == MW_F32 ? f32_arith_nan(res[0].of.f32_bits)
                                : f64_arith_nan(res[0].of.f64_bits));
    break;
  default:
    what = val_str(r->result, b, sizeof b);
    ok = val_eq(res[0], r->result);
    break;
  }
  check_at(ok, r->line, "%s.%s: expected %s, got %s", f->name, r->fn, what,
           val_str(res[0], a, sizeof a));
}

static void run_rows(const char *fixture, const row *rows, size_t n) {
  fx f;
  if (!fx_open(&f, fixture)) return;
  for (size_t i = 0; i < n; i++) run_row(&f, &rows[i]);
  fx_close(&f);
}

#define RUN_ROWS(fixture, rows) run_rows(fixture, rows, sizeof rows / sizeof rows[0])

/* Call and expect exactly the given results. */
static void expect_at(int line, const fx *f, const char *fn, const mw_val *args,
                      size_t nargs, const mw_val *want, size_t nwant) {
  mw_val res[4];
  memset(res, 0, sizeof res);
  mw_error *e = fx_call(f, fn, args, nargs, res, nwant);
  if (e) {
    check_at(false, line, "%s.%s: unexpected %s \"%s\"", f->name, fn,
             mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
    mw_error_free(e);
    return;
  }
  for (size_t i = 0; i < nwant; i++) {
    char a[64], b[64];
    check_at(val_eq(res[i], want[i]), line, "%s.%s: result %zu: expected %s, got %s",
             f->name, fn, i, val_str(want[i], b, sizeof b), val_str(res[i], a, sizeof a));
  }
}

/* Call and expect an error of `kind` whose message starts with `msg`. */
static void expect_error_at(int line, const fx *f, const char *fn, const mw_val *args,
                            size_t nargs, size_t nresults, mw_error_kind kind,
                            const char *msg) {
  mw_val res[4];
  mw_error *e = fx_call(f, fn, args, nargs, res, nresults);
  if (!e) {
    check_at(false, line, "%s.%s: expected %s \"%s\", got success", f->name, fn,
             mw_error_kind_name(kind), msg);
    return;
  }
  check_at(mw_error_kind_of(e) == kind && starts_with(mw_error_message(e), msg),
           line, "%s.%s: expected %s \"%s\", got %s \"%s\"", f->name, fn,
           mw_error_kind_name(kind), msg, mw_error_kind_name(mw_error_kind_of(e)),
           mw_error_message(e));
  mw_error_free(e);
}

#define ARGS(...) ((const mw_val[]){__VA_ARGS__})
#define NARGS(...) (sizeof((const mw_val[]){__VA_ARGS__}) / sizeof(mw_val))
/* EXPECT(f, "fn", ARGS(I32(1)), 1, WANT(I32(2))) */
#define EXPECT(f, fn, args, nargs, ...)                                       \
  expect_at(__LINE__, (f), (fn), (args), (nargs), ARGS(__VA_ARGS__),         \
            NARGS(__VA_ARGS__))
#define EXPECT0(f, fn, ...) expect_at(__LINE__, (f), (fn), NULL, 0, ARGS(__VA_ARGS__), \
                                      NARGS(__VA_ARGS__))
#define EXPECT_ERR(f, fn, args, nargs, nres, kind, msg) \
  expect_error_at(__LINE__, (f), (fn), (args), (nargs), (nres), (kind), (msg))
#define EXPECT_TRAP(f, fn, args, nargs, msg) \
  EXPECT_ERR(f, fn, args, nargs, 1, MW_ERR_TRAP, msg)
/* Calls whose function returns nothing. */
static void call_void_at(int line, const fx *f, const char *fn, const mw_val *args,
                         size_t nargs) {
  mw_error *e = fx_call(f, fn, args, nargs, NULL, 0);
  if (e)
    report_error(line, fn, e);
  else
    check_at(true, line, "%s", fn);
}
#define CALL_VOID(f, fn, args, nargs) call_void_at(__LINE__, (f), (fn), (args), (nargs))

/* ---------------------------------------------------------------- i32 */

static const row i32_rows[] = {
    V2("add", I32(0x7fffffff), I32(1), I32(0x80000000)),
    V2("add", I32(-1), I32(-1), I32(-2)),
    V2("sub", I32(0x80000000), I32(1), I32(0x7fffffff)),
    V2("sub", I32(0), I32(1), I32(-1)),
    V2("mul", I32(0x10000), I32(0x10000), I32(0)),
    V2("mul", I32(0x7fffffff), I32(2), I32(-2)),
    V2("mul", I32(-3), I32(7), I32(-21)),
    V2("mul", I32(0x12345678), I32(0x9abcdef0), I32(0x242d2080)),
    V2("div_s", I32(7), I32(-2), I32(-3)),
    V2("div_s", I32(-7), I32(2), I32(-3)),
    V2("div_s", I32(0x80000000), I32(2), I32(0xc0000000)),
    T2("div_s", I32(0x80000000), I32(-1), OVERFLOW),
    T2("div_s", I32(1), I32(0), DIV0),
    T2("div_s", I32(0), I32(0), DIV0),
    V2("div_u", I32(-1), I32(2), I32(0x7fffffff)),
    V2("div_u", I32(0x80000000), I32(-1), I32(0)),
    V2("div_u", I32(7), I32(3), I32(2)),
    T2("div_u", I32(1), I32(0), DIV0),
    V2("rem_s", I32(0x80000000), I32(-1), I32(0)),
    V2("rem_s", I32(-7), I32(2), I32(-1)),
    V2("rem_s", I32(7), I32(-2), I32(1)),
    V2("rem_s", I32(0x80000000), I32(2), I32(0)),
    T2("rem_s", I32(1), I32(0), DIV0),
    V2("rem_u", I32(-1), I32(10), I32(5)),
    V2("rem_u", I32(0x80000000), I32(3), I32(2)),
    T2("rem_u", I32(5), I32(0), DIV0),
    V2("and", I32(0xff00ff00), I32(0x0ff00ff0), I32(0x0f000f00)),
    V2("or", I32(0xff00ff00), I32(0x0ff00ff0), I32(0xfff0fff0)),
    V2("xor", I32(0xff00ff00), I32(0x0ff00ff0), I32(0xf0f0f0f0)),
    /* Shift and rotate counts are taken modulo 32. */
    V2("shl", I32(1), I32(31), I32(0x80000000)),
    V2("shl", I32(1), I32(32), I32(1)),
    V2("shl", I32(1), I32(33), I32(2)),
    V2("shl", I32(1), I32(-1), I32(0x80000000)),
    V2("shr_s", I32(0x80000000), I32(31), I32(-1)),
    V2("shr_s", I32(0x80000000), I32(32), I32(0x80000000)),
    V2("shr_s", I32(-1), I32(100), I32(-1)),
    V2("shr_s", I32(0x40000000), I32(30), I32(1)),
    V2("shr_u", I32(0x80000000), I32(31), I32(1)),
    V2("shr_u", I32(0x80000000), I32(32), I32(0x80000000)),
    V2("shr_u", I32(-1), I32(33), I32(0x7fffffff)),
    V2("rotl", I32(0x80000001), I32(1), I32(3)),
    V2("rotl", I32(0x12345678), I32(36), I32(0x23456781)),
    V2("rotl", I32(0x12345678), I32(0), I32(0x12345678)),
    V2("rotl", I32(0xabcd9876), I32(-1), I32(0x55e6cc3b)),
    V2("rotr", I32(1), I32(1), I32(0x80000000)),
    V2("rotr", I32(0x12345678), I32(4), I32(0x81234567)),
    V2("rotr", I32(0x12345678), I32(-4), I32(0x23456781)),
    V2("eq", I32(1), I32(1), I32(1)),
    V2("eq", I32(1), I32(2), I32(0)),
    V2("ne", I32(1), I32(2), I32(1)),
    V2("lt_s", I32(-1), I32(1), I32(1)),
    V2("lt_u", I32(-1), I32(1), I32(0)),
    V2("gt_s", I32(-1), I32(1), I32(0)),
    V2("gt_u", I32(-1), I32(1), I32(1)),
    V2("le_s", I32(0x80000000), I32(0x80000000), I32(1)),
    V2("le_u", I32(1), I32(0), I32(0)),
    V2("ge_s", I32(0x80000000), I32(0x7fffffff), I32(0)),
    V2("ge_u", I32(0x80000000), I32(0x7fffffff), I32(1)),
    V1("clz", I32(0), I32(32)),
    V1("clz", I32(1), I32(31)),
    V1("clz", I32(0x80000000), I32(0)),
    V1("clz", I32(0x8000), I32(16)),
    V1("ctz", I32(0), I32(32)),
    V1("ctz", I32(0x80000000), I32(31)),
    V1("ctz", I32(1), I32(0)),
    V1("popcnt", I32(0), I32(0)),
    V1("popcnt", I32(-1), I32(32)),
    V1("popcnt", I32(0x55555555), I32(16)),
    V1("eqz", I32(0), I32(1)),
    V1("eqz", I32(5), I32(0)),
    V1("eqz", I32(0x80000000), I32(0)),
    V1("extend8_s", I32(0x80), I32(-128)),
    V1("extend8_s", I32(0x17f), I32(0x7f)),
    V1("extend16_s", I32(0x8000), I32(-32768)),
    V1("extend16_s", I32(0x12347fff), I32(0x7fff)),
};

static void test_i32(void) {
  RUN_ROWS("i32", i32_rows);

  fx f;
  if (!fx_open(&f, "i32")) return;
  /* The same traps with constant operands. */
  EXPECT_TRAP(&f, "div_s_min_neg1", NULL, 0, OVERFLOW);
  EXPECT0(&f, "rem_s_min_neg1", I32(0));
  EXPECT_TRAP(&f, "div_u_zero", NULL, 0, DIV0);
  /* A trap midway through an expression; the store runs on afterwards. */
  EXPECT_TRAP(&f, "mix", ARGS(I32(3), I32(0), I32(5)), 3, DIV0);
  EXPECT(&f, "mix", ARGS(I32(3), I32(4), I32(8)), 3, I32(14));
  fx_close(&f);
}

/* ---------------------------------------------------------------- i64 */

#define I64_MIN_ ((int64_t)0x8000000000000000ull)

static const row i64_rows[] = {
    V2("add", I64(0x7fffffffffffffff), I64(1), I64(I64_MIN_)),
    V2("sub", I64(0), I64(1), I64(-1)),
    V2("mul", I64(0x100000000), I64(0x100000000), I64(0)),
    V2("mul", I64(0x0123456789abcdef), I64(0xfedcba9876543210), I64(0x2236d88fe5618cf0)),
    V2("div_s", I64(-7), I64(2), I64(-3)),
    V2("div_s", I64(I64_MIN_), I64(2), I64(0xc000000000000000)),
    T2("div_s", I64(I64_MIN_), I64(-1), OVERFLOW),
    T2("div_s", I64(1), I64(0), DIV0),
    V2("div_u", I64(-1), I64(2), I64(0x7fffffffffffffff)),
    V2("div_u", I64(I64_MIN_), I64(-1), I64(0)),
    T2("div_u", I64(1), I64(0), DIV0),
    V2("rem_s", I64(I64_MIN_), I64(-1), I64(0)),
    V2("rem_s", I64(-7), I64(2), I64(-1)),
    T2("rem_s", I64(1), I64(0), DIV0),
    V2("rem_u", I64(-1), I64(10), I64(5)),
    T2("rem_u", I64(1), I64(0), DIV0),
    V2("and", I64(0xff00ff00ff00ff00), I64(0x0ff00ff00ff00ff0), I64(0x0f000f000f000f00)),
    V2("or", I64(0xff00000000000000), I64(0x00000000000000ff), I64(0xff000000000000ff)),
    V2("xor", I64(-1), I64(0x00000000ffffffff), I64(0xffffffff00000000)),
    /* Counts modulo 64. */
    V2("shl", I64(1), I64(63), I64(I64_MIN_)),
    V2("shl", I64(1), I64(64), I64(1)),
    V2("shl", I64(1), I64(65), I64(2)),
    V2("shl", I64(1), I64(32), I64(0x100000000)),
    V2("shr_s", I64(I64_MIN_), I64(63), I64(-1)),
    V2("shr_s", I64(I64_MIN_), I64(64), I64(I64_MIN_)),
    V2("shr_u", I64(-1), I64(68), I64(0x0fffffffffffffff)),
    V2("shr_u", I64(I64_MIN_), I64(63), I64(1)),
    V2("rotl", I64(0x0123456789abcdef), I64(4), I64(0x123456789abcdef0)),
    V2("rotl", I64(0x0123456789abcdef), I64(68), I64(0x123456789abcdef0)),
    V2("rotr", I64(1), I64(1), I64(I64_MIN_)),
    V2("rotr", I64(0x0123456789abcdef), I64(4), I64(0xf0123456789abcde)),
    V2("eq", I64(-1), I64(-1), I32(1)),
    V2("eq", I64(0x100000000), I64(0), I32(0)),
    V2("ne", I64(0x100000001), I64(1), I32(1)),
    V2("lt_s", I64(-1), I64(1), I32(1)),
    V2("lt_u", I64(-1), I64(1), I32(0)),
    V2("gt_s", I64(0), I64(-1), I32(1)),
    V2("gt_u", I64(-1), I64(1), I32(1)),
    V2("le_s", I64(1), I64(0), I32(0)),
    V2("le_u", I64(0), I64(0), I32(1)),
    V2("ge_s", I64(I64_MIN_), I64(0), I32(0)),
    V2("ge_u", I64(0), I64(-1), I32(0)),
    V1("clz", I64(0), I64(64)),
    V1("clz", I64(1), I64(63)),
    V1("clz", I64(0x100000000), I64(31)),
    V1("ctz", I64(0), I64(64)),
    V1("ctz", I64(I64_MIN_), I64(63)),
    V1("ctz", I64(0x100000000), I64(32)),
    V1("popcnt", I64(-1), I64(64)),
    V1("popcnt", I64(0x5555555555555555), I64(32)),
    V1("popcnt", I64(0), I64(0)),
    V1("extend8_s", I64(0x80), I64(-128)),
    V1("extend16_s", I64(0x8000), I64(-32768)),
    V1("extend32_s", I64(0x80000000), I64(0xffffffff80000000)),
    V1("extend32_s", I64(0x17fffffff), I64(0x7fffffff)),
    V1("eqz", I64(0), I32(1)),
    V1("eqz", I64(0x100000000), I32(0)),
    V1("extend_i32_s", I32(-1), I64(-1)),
    V1("extend_i32_u", I32(-1), I64(0xffffffff)),
    V1("wrap", I64(0x100000005), I32(5)),
    V1("wrap", I64(0xffffffff80000000), I32(0x80000000)),
};

static void test_i64(void) {
  RUN_ROWS("i64", i64_rows);
  fx f;
  if (!fx_open(&f, "i64")) return;
  EXPECT0(&f, "const_min", I64(I64_MIN_));
  fx_close(&f);
}

/* ---------------------------------------------------------------- f32 */

/* Bit patterns. */
#define F32_ONE 0x3f800000u
#define F32_MONE 0xbf800000u
#define F32_TWO 0x40000000u
#define F32_HALF 0x3f000000u
#define F32_MHALF 0xbf000000u
#define F32_PZERO 0x00000000u
#define F32_NZERO 0x80000000u
#define F32_INF 0x7f800000u
#define F32_MINF 0xff800000u
#define F32_NAN_P 0x7fc12345u  /* quiet NaN with a payload */
#define F32_SNAN 0x7fa00001u   /* signalling NaN */
#define NAN32 F32(0)           /* only the type matters for NaN wants */

static const row f32_rows[] = {
    V2("add", F32(F32_ONE), F32(F32_TWO), F32(0x40400000)),
    /* 2^24 + 1 rounds to even in single precision (not double). */
    V2("add", F32(0x4b800000), F32(F32_ONE), F32(0x4b800000)),
    V2("add", F32(F32_NZERO), F32(F32_NZERO), F32(F32_NZERO)),
    V2("add", F32(F32_PZERO), F32(F32_NZERO), F32(F32_PZERO)),
    N2("add", F32(F32_INF), F32(F32_MINF), W_CANON_NAN, NAN32),
    N2("add", F32(F32_NAN_P), F32(F32_ONE), W_ARITH_NAN, NAN32),
    V2("sub", F32(F32_NZERO), F32(F32_PZERO), F32(F32_NZERO)),
    V2("sub", F32(F32_PZERO), F32(F32_PZERO), F32(F32_PZERO)),
    N2("sub", F32(F32_INF), F32(F32_INF), W_CANON_NAN, NAN32),
    /* Subnormal results are kept, not flushed to zero. */
    V2("mul", F32(0x00800000), F32(F32_HALF), F32(0x00400000)),
    V2("mul", F32(F32_MONE), F32(F32_PZERO), F32(F32_NZERO)),
    N2("mul", F32(F32_INF), F32(F32_PZERO), W_CANON_NAN, NAN32),
    V2("div", F32(F32_ONE), F32(F32_PZERO), F32(F32_INF)),
    V2("div", F32(F32_MONE), F32(F32_PZERO), F32(F32_MINF)),
    V2("div", F32(F32_ONE), F32(F32_NZERO), F32(F32_MINF)),
    V2("div", F32(F32_ONE), F32(0x40400000), F32(0x3eaaaaab)),
    N2("div", F32(F32_PZERO), F32(F32_PZERO), W_CANON_NAN, NAN32),
    /* min/max order -0 below +0 and propagate NaN. */
    V2("min", F32(F32_PZERO), F32(F32_NZERO), F32(F32_NZERO)),
    V2("min", F32(F32_NZERO), F32(F32_PZERO), F32(F32_NZERO)),
    V2("min", F32(F32_MINF), F32(F32_ONE), F32(F32_MINF)),
    V2("min", F32(F32_ONE), F32(F32_TWO), F32(F32_ONE)),
    N2("min", F32(F32_NAN_P), F32(F32_ONE), W_ARITH_NAN, NAN32),
    N2("min", F32(F32_ONE), F32(F32_NAN_P), W_ARITH_NAN, NAN32),
    V2("max", F32(F32_NZERO), F32(F32_PZERO), F32(F32_PZERO)),
    V2("max", F32(F32_PZERO), F32(F32_NZERO), F32(F32_PZERO)),
    V2("max", F32(F32_INF), F32(F32_ONE), F32(F32_INF)),
    N2("max", F32(F32_ONE), F32(F32_NAN_P), W_ARITH_NAN, NAN32),
    /* copysign, neg and abs touch the sign bit only, NaN or not. */
    V2("copysign", F32(0x7fc00042), F32(F32_NZERO), F32(0xffc00042)),
    V2("copysign", F32(F32_ONE), F32(F32_NZERO), F32(F32_MONE)),
    V2("copysign", F32(F32_MINF), F32(0x7fc00000), F32(F32_INF)),
    V2("copysign", F32(0xff800001), F32(F32_ONE), F32(0x7f800001)),
    V1("neg", F32(F32_NAN_P), F32(0xffc12345)),
    V1("neg", F32(0xff800001), F32(0x7f800001)),
    V1("neg", F32(F32_PZERO), F32(F32_NZERO)),
    V1("neg", F32(F32_ONE), F32(F32_MONE)),
    V1("abs", F32(0xffc00001), F32(0x7fc00001)),
    V1("abs", F32(F32_NZERO), F32(F32_PZERO)),
    V1("abs", F32(F32_MINF), F32(F32_INF)),
    V1("sqrt", F32(0x40800000), F32(F32_TWO)),
    V1("sqrt", F32(F32_TWO), F32(0x3fb504f3)),
    V1("sqrt", F32(F32_NZERO), F32(F32_NZERO)),
    V1("sqrt", F32(F32_INF), F32(F32_INF)),
    N1("sqrt", F32(F32_MONE), W_CANON_NAN, NAN32),
    V1("ceil", F32(F32_MHALF), F32(F32_NZERO)),
    V1("ceil", F32(0x3e4ccccd), F32(F32_ONE)),
    V1("ceil", F32(0xbfc00000), F32(F32_MONE)),
    N1("ceil", F32(F32_NAN_P), W_ARITH_NAN, NAN32),
    V1("floor", F32(F32_MHALF), F32(F32_MONE)),
    V1("floor", F32(F32_HALF), F32(F32_PZERO)),
    V1("floor", F32(F32_NZERO), F32(F32_NZERO)),
    V1("trunc", F32(0xbfd9999a), F32(F32_MONE)),
    V1("trunc", F32(0x40200000), F32(F32_TWO)),
    V1("trunc", F32(F32_MHALF), F32(F32_NZERO)),
    /* nearest: ties to even, sign kept on zero. */
    V1("nearest", F32(0x40200000), F32(F32_TWO)),
    V1("nearest", F32(0x40600000), F32(0x40800000)),
    V1("nearest", F32(0xc0200000), F32(0xc0000000)),
    V1("nearest", F32(0x40900000), F32(0x40800000)),
    V1("nearest", F32(0xc0600000), F32(0xc0800000)),
    V1("nearest", F32(0x3fc00000), F32(F32_TWO)),
    V1("nearest", F32(F32_HALF), F32(F32_PZERO)),
    V1("nearest", F32(F32_MHALF), F32(F32_NZERO)),
    V1("nearest", F32(0x3effffff), F32(F32_PZERO)),
    V1("nearest", F32(0x4b000001), F32(0x4b000001)),
    V2("eq", F32(F32_NAN_P), F32(F32_NAN_P), I32(0)),
    V2("eq", F32(F32_PZERO), F32(F32_NZERO), I32(1)),
    V2("eq", F32(F32_ONE), F32(F32_ONE), I32(1)),
    V2("ne", F32(F32_NAN_P), F32(F32_NAN_P), I32(1)),
    V2("ne", F32(F32_PZERO), F32(F32_NZERO), I32(0)),
    V2("lt", F32(F32_NZERO), F32(F32_PZERO), I32(0)),
    V2("lt", F32(F32_NAN_P), F32(F32_ONE), I32(0)),
    V2("lt", F32(F32_ONE), F32(F32_TWO), I32(1)),
    V2("gt", F32(F32_NAN_P), F32(F32_ONE), I32(0)),
    V2("gt", F32(F32_TWO), F32(F32_ONE), I32(1)),
    V2("le", F32(F32_NZERO), F32(F32_PZERO), I32(1)),
    V2("le", F32(F32_NAN_P), F32(F32_NAN_P), I32(0)),
    V2("ge", F32(F32_PZERO), F32(F32_NZERO), I32(1)),
    V2("ge", F32(F32_ONE), F32(F32_NAN_P), I32(0)),
};

/* ---------------------------------------------------------------- f64 */

#define F64_ONE 0x3ff0000000000000ull
#define F64_MONE 0xbff0000000000000ull
#define F64_TWO 0x4000000000000000ull
#define F64_HALF 0x3fe0000000000000ull
#define F64_MHALF 0xbfe0000000000000ull
#define F64_PZERO 0x0000000000000000ull
#define F64_NZERO 0x8000000000000000ull
#define F64_INF 0x7ff0000000000000ull
#define F64_MINF 0xfff0000000000000ull
#define F64_NAN_P 0x7ff8000000000001ull
#define NAN64 F64(0)

static const row f64_rows[] = {
    V2("add", F64(0x3fb999999999999a), F64(0x3fc999999999999a), F64(0x3fd3333333333334)),
    V2("add", F64(0x4340000000000000), F64(F64_ONE), F64(0x4340000000000000)),
    V2("add", F64(F64_NZERO), F64(F64_NZERO), F64(F64_NZERO)),
    N2("add", F64(F64_INF), F64(F64_MINF), W_CANON_NAN, NAN64),
    N2("add", F64(F64_NAN_P), F64(F64_ONE), W_ARITH_NAN, NAN64),
    V2("sub", F64(F64_NZERO), F64(F64_PZERO), F64(F64_NZERO)),
    V2("mul", F64(0x0010000000000000), F64(F64_HALF), F64(0x0008000000000000)),
    N2("mul", F64(F64_MINF), F64(F64_PZERO), W_CANON_NAN, NAN64),
    V2("div", F64(F64_ONE), F64(F64_PZERO), F64(F64_INF)),
    V2("div", F64(F64_MONE), F64(F64_PZERO), F64(F64_MINF)),
    V2("div", F64(F64_ONE), F64(0x4008000000000000), F64(0x3fd5555555555555)),
    N2("div", F64(F64_PZERO), F64(F64_PZERO), W_CANON_NAN, NAN64),
    V2("min", F64(F64_PZERO), F64(F64_NZERO), F64(F64_NZERO)),
    V2("min", F64(F64_NZERO), F64(F64_PZERO), F64(F64_NZERO)),
    N2("min", F64(F64_ONE), F64(F64_NAN_P), W_ARITH_NAN, NAN64),
    V2("max", F64(F64_NZERO), F64(F64_PZERO), F64(F64_PZERO)),
    V2("max", F64(F64_PZERO), F64(F64_NZERO), F64(F64_PZERO)),
    N2("max", F64(F64_NAN_P), F64(F64_ONE), W_ARITH_NAN, NAN64),
    V2("copysign", F64(0x7ff8000000000042), F64(F64_NZERO), F64(0xfff8000000000042)),
    V2("copysign", F64(F64_TWO), F64(F64_MONE), F64(0xc000000000000000)),
    V1("neg", F64(F64_NAN_P), F64(0xfff8000000000001)),
    V1("neg", F64(0x7ff0000000000001), F64(0xfff0000000000001)),
    V1("neg", F64(F64_PZERO), F64(F64_NZERO)),
    V1("abs", F64(0xfff8000000000001), F64(F64_NAN_P)),
    V1("abs", F64(F64_NZERO), F64(F64_PZERO)),
    V1("sqrt", F64(F64_TWO), F64(0x3ff6a09e667f3bcd)),
    V1("sqrt", F64(F64_NZERO), F64(F64_NZERO)),
    N1("sqrt", F64(F64_MONE), W_CANON_NAN, NAN64),
    V1("ceil", F64(F64_MHALF), F64(F64_NZERO)),
    V1("ceil", F64(0x3fc999999999999a), F64(F64_ONE)),
    V1("floor", F64(F64_MHALF), F64(F64_MONE)),
    V1("floor", F64(F64_NZERO), F64(F64_NZERO)),
    V1("trunc", F64(0xc004000000000000), F64(0xc000000000000000)),
    V1("trunc", F64(F64_MHALF), F64(F64_NZERO)),
    V1("nearest", F64(0x4004000000000000), F64(F64_TWO)),
    V1("nearest", F64(0xc00c000000000000), F64(0xc010000000000000)),
    V1("nearest", F64(F64_HALF), F64(F64_PZERO)),
    V1("nearest", F64(F64_MHALF), F64(F64_NZERO)),
    /* 0.49999999999999994: floor(x + 0.5) would say 1. */
    V1("nearest", F64(0x3fdfffffffffffff), F64(F64_PZERO)),
    /* 2^52 + 1 is an integer already. */
    V1("nearest", F64(0x4330000000000001), F64(0x4330000000000001)),
    N1("nearest", F64(F64_NAN_P), W_ARITH_NAN, NAN64),
    V2("eq", F64(F64_NAN_P), F64(F64_NAN_P), I32(0)),
    V2("eq", F64(F64_PZERO), F64(F64_NZERO), I32(1)),
    V2("ne", F64(F64_NAN_P), F64(F64_NAN_P), I32(1)),
    V2("lt", F64(F64_NZERO), F64(F64_PZERO), I32(0)),
    V2("lt", F64(F64_MINF), F64(F64_MONE), I32(1)),
    V2("gt", F64(F64_NAN_P), F64(F64_ONE), I32(0)),
    V2("le", F64(F64_NZERO), F64(F64_PZERO), I32(1)),
    V2("ge", F64(F64_ONE), F64(F64_NAN_P), I32(0)),
    V2("ge", F64(F64_TWO), F64(F64_ONE), I32(1)),
};

/* ---------------------------------------------------------------- conversions */

static const row conv_rows[] = {
    /* i32.trunc_f32_s: the largest float below 2^31 converts, 2^31 does
     * not; -2^31 converts, the next float below it does not. */
    V1("i32.trunc_f32_s", F32(0x4effffff), I32(2147483520)),
    T1("i32.trunc_f32_s", F32(0x4f000000), OVERFLOW),
    V1("i32.trunc_f32_s", F32(0xcf000000), I32(0x80000000)),
    T1("i32.trunc_f32_s", F32(0xcf000001), OVERFLOW),
    T1("i32.trunc_f32_s", F32(0x7fc00000), BADCONV),
    T1("i32.trunc_f32_s", F32(F32_INF), OVERFLOW),
    V1("i32.trunc_f32_s", F32(0xbf666666), I32(0)),
    V1("i32.trunc_f32_s", F32(0xc0200000), I32(-2)),
    V1("i32.trunc_f32_u", F32(0xbf666666), I32(0)),
    T1("i32.trunc_f32_u", F32(F32_MONE), OVERFLOW),
    V1("i32.trunc_f32_u", F32(0x4f7fffff), I32(0xffffff00)),
    T1("i32.trunc_f32_u", F32(0x4f800000), OVERFLOW),
    T1("i32.trunc_f32_u", F32(0xffc00000), BADCONV),
    V1("i32.trunc_f64_s", F64(0x41dffffffff9999a), I32(0x7fffffff)),
    T1("i32.trunc_f64_s", F64(0x41e0000000000000), OVERFLOW),
    V1("i32.trunc_f64_s", F64(0xc1e00000001ccccd), I32(0x80000000)),
    T1("i32.trunc_f64_s", F64(0xc1e0000000200000), OVERFLOW),
    T1("i32.trunc_f64_s", F64(F64_NAN_P), BADCONV),
    T1("i32.trunc_f64_s", F64(F64_MINF), OVERFLOW),
    V1("i32.trunc_f64_u", F64(0x41effffffffccccd), I32(0xffffffff)),
    T1("i32.trunc_f64_u", F64(0x41f0000000000000), OVERFLOW),
    V1("i32.trunc_f64_u", F64(0xbfefae147ae147ae), I32(0)),
    T1("i32.trunc_f64_u", F64(F64_MONE), OVERFLOW),
    V1("i64.trunc_f64_s", F64(0x43dfffffffffffff), I64(0x7ffffffffffffc00)),
    T1("i64.trunc_f64_s", F64(0x43e0000000000000), OVERFLOW),
    V1("i64.trunc_f64_s", F64(0xc3e0000000000000), I64(I64_MIN_)),
    T1("i64.trunc_f64_s", F64(0xc3e0000000000001), OVERFLOW),
    T1("i64.trunc_f64_s", F64(F64_NAN_P), BADCONV),
    V1("i64.trunc_f64_u", F64(0x43efffffffffffff), I64(0xfffffffffffff800)),
    T1("i64.trunc_f64_u", F64(0x43f0000000000000), OVERFLOW),
    V1("i64.trunc_f64_u", F64(0xbfefae147ae147ae), I64(0)),
    T1("i64.trunc_f64_u", F64(F64_MONE), OVERFLOW),
    V1("i64.trunc_f32_s", F32(0x5effffff), I64(0x7fffff8000000000)),
    T1("i64.trunc_f32_s", F32(0x5f000000), OVERFLOW),
    V1("i64.trunc_f32_s", F32(0xdf000000), I64(I64_MIN_)),
    V1("i64.trunc_f32_u", F32(0x5f7fffff), I64(0xffffff0000000000)),
    T1("i64.trunc_f32_u", F32(0x5f800000), OVERFLOW),
    T1("i64.trunc_f32_u", F32(F32_NAN_P), BADCONV),
    /* Saturating: clamp, NaN gives 0, never a trap. */
    V1("i32.trunc_sat_f32_s", F32(0x7fc00000), I32(0)),
    V1("i32.trunc_sat_f32_s", F32(F32_INF), I32(0x7fffffff)),
    V1("i32.trunc_sat_f32_s", F32(F32_MINF), I32(0x80000000)),
    V1("i32.trunc_sat_f32_s", F32(0x4f000000), I32(0x7fffffff)),
    V1("i32.trunc_sat_f32_s", F32(0xc0200000), I32(-2)),
    V1("i32.trunc_sat_f32_u", F32(F32_MONE), I32(0)),
    V1("i32.trunc_sat_f32_u", F32(0x4f800000), I32(0xffffffff)),
    V1("i32.trunc_sat_f32_u", F32(F32_NAN_P), I32(0)),
    V1("i32.trunc_sat_f64_s", F64(0x4202a05f20000000), I32(0x7fffffff)),
    V1("i32.trunc_sat_f64_s", F64(0xc202a05f20000000), I32(0x80000000)),
    V1("i32.trunc_sat_f64_u", F64(F64_MONE), I32(0)),
    V1("i32.trunc_sat_f64_u", F64(0x4202a05f20000000), I32(0xffffffff)),
    V1("i32.trunc_sat_f64_u", F64(0x41effffffffccccd), I32(0xffffffff)),
    V1("i64.trunc_sat_f64_s", F64(0x43e158e460913d00), I64(0x7fffffffffffffff)),
    V1("i64.trunc_sat_f64_s", F64(F64_NAN_P), I64(0)),
    V1("i64.trunc_sat_f64_s", F64(F64_MINF), I64(I64_MIN_)),
    V1("i64.trunc_sat_f64_s", F64(0x43dfffffffffffff), I64(0x7ffffffffffffc00)),
    V1("i64.trunc_sat_f64_u", F64(F64_MINF), I64(0)),
    V1("i64.trunc_sat_f64_u", F64(F64_INF), I64(-1)),
    V1("i64.trunc_sat_f64_u", F64(0x43efffffffffffff), I64(0xfffffffffffff800)),
    V1("i64.trunc_sat_f32_s", F32(0x7fc00000), I64(0)),
    V1("i64.trunc_sat_f32_s", F32(0x5f000000), I64(0x7fffffffffffffff)),
    V1("i64.trunc_sat_f32_u", F32(0x5f800000), I64(-1)),
    V1("i64.trunc_sat_f32_u", F32(0xbf666666), I64(0)),
    /* int -> float rounds once, to nearest even. */
    V1("f32.convert_i32_s", I32(16777217), F32(0x4b800000)),
    V1("f32.convert_i32_s", I32(16777219), F32(0x4b800002)),
    V1("f32.convert_i32_s", I32(0x7fffffff), F32(0x4f000000)),
    V1("f32.convert_i32_s", I32(0x80000000), F32(0xcf000000)),
    V1("f32.convert_i32_s", I32(-1), F32(F32_MONE)),
    V1("f32.convert_i32_u", I32(0xffffffff), F32(0x4f800000)),
    V1("f32.convert_i32_u", I32(0x80000001), F32(0x4f000000)),
    V1("f32.convert_i64_s", I64(I64_MIN_), F32(0xdf000000)),
    V1("f32.convert_i64_s", I64(-1), F32(F32_MONE)),
    /* Rounding through double first would give 0x5efffffe. */
    V1("f32.convert_i64_s", I64(0x7fffff4000000001), F32(0x5effffff)),
    V1("f32.convert_i64_u", I64(0xffffffffffffffff), F32(0x5f800000)),
    /* Through double first this would round to 0x5f000000. */
    V1("f32.convert_i64_u", I64(0x8000008000000001), F32(0x5f000001)),
    V1("f32.convert_i64_u", I64(0x8000008000000000), F32(0x5f000000)),
    V1("f64.convert_i32_s", I32(0x80000000), F64(0xc1e0000000000000)),
    V1("f64.convert_i32_u", I32(0xffffffff), F64(0x41efffffffe00000)),
    V1("f64.convert_i64_s", I64(I64_MIN_), F64(0xc3e0000000000000)),
    V1("f64.convert_i64_s", I64(0x7fffffffffffffff), F64(0x43e0000000000000)),
    V1("f64.convert_i64_s", I64(9007199254740993), F64(0x4340000000000000)),
    V1("f64.convert_i64_u", I64(0xffffffffffffffff), F64(0x43f0000000000000)),
    V1("f64.convert_i64_u", I64(0x8000000000000401), F64(0x43e0000000000001)),
    V1("f64.convert_i64_u", I64(0x8000000000000400), F64(0x43e0000000000000)),
    V1("f32.demote_f64", F64(0x7e37e43c8800759c), F32(F32_INF)),
    V1("f32.demote_f64", F64(0x3ff0000010000000), F32(F32_ONE)),
    V1("f32.demote_f64", F64(0x3ff0000010000001), F32(0x3f800001)),
    V1("f32.demote_f64", F64(F64_NZERO), F32(F32_NZERO)),
    V1("f32.demote_f64", F64(0x36a0000000000000), F32(0x00000001)),
    V1("f32.demote_f64", F64(0x0000000000000001), F32(F32_PZERO)),
    N1("f32.demote_f64", F64(F64_NAN_P), W_ARITH_NAN, NAN32),
    V1("f64.promote_f32", F32(0x3f800001), F64(0x3ff0000020000000)),
    V1("f64.promote_f32", F32(0x00000001), F64(0x36a0000000000000)),
    V1("f64.promote_f32", F32(F32_MINF), F64(F64_MINF)),
    N1("f64.promote_f32", F32(0x7fc00000), W_ARITH_NAN, NAN64),
    /* Reinterpretation keeps every bit, signalling NaNs included. */
    V1("i32.reinterpret_f32", F32(F32_SNAN), I32(F32_SNAN)),
    V1("f32.reinterpret_i32", I32(0xffa00001), F32(0xffa00001)),
    V1("i64.reinterpret_f64", F64(0x7ff0000000000001), I64(0x7ff0000000000001)),
    V1("f64.reinterpret_i64", I64(0xfff0000000000001), F64(0xfff0000000000001)),
};

static void test_float(void) {
  RUN_ROWS("f32", f32_rows);
  RUN_ROWS("f64", f64_rows);
  RUN_ROWS("conv", conv_rows);
}

/* ---------------------------------------------------------------- memory */

static const row memory_rows[] = {
    /* Data: 01 02 03 04 05 06 07 08 f0 f1 f2 f3 f4 f5 f6 f7 at 0, and
     * aa bb cc dd in the last four bytes of the page.  Little-endian,
     * any alignment. */
    V1("i32.load", I32(0), I32(0x04030201)),
    V1("i32.load", I32(1), I32(0x05040302)),
    V1("i32.load8_s", I32(8), I32(-16)),
    V1("i32.load8_u", I32(8), I32(0xf0)),
    V1("i32.load16_s", I32(8), I32(-3600)),
    V1("i32.load16_u", I32(8), I32(0xf1f0)),
    V1("i32.load16_u", I32(7), I32(0xf008)),
    V1("i64.load", I32(0), I64(0x0807060504030201)),
    V1("i64.load", I32(1), I64(0xf008070605040302)),
    V1("i64.load8_s", I32(15), I64(-9)),
    V1("i64.load8_u", I32(15), I64(0xf7)),
    V1("i64.load16_s", I32(14), I64(0xfffffffffffff7f6)),
    V1("i64.load16_u", I32(14), I64(0xf7f6)),
    V1("i64.load32_s", I32(12), I64(0xfffffffff7f6f5f4)),
    V1("i64.load32_u", I32(12), I64(0xf7f6f5f4)),
    V1("f32.load", I32(0), F32(0x04030201)),
    V1("f64.load", I32(8), F64(0xf7f6f5f4f3f2f1f0)),
    /* The last byte, word and double word in bounds, and one past. */
    V1("i32.load8_u", I32(65535), I32(0xdd)),
    T1("i32.load8_u", I32(65536), OOB_MEM),
    V1("i32.load", I32(65532), I32(0xddccbbaa)),
    T1("i32.load", I32(65533), OOB_MEM),
    V1("i64.load", I32(65528), I64(0xddccbbaa00000000)),
    T1("i64.load", I32(65529), OOB_MEM),
    T1("i64.load32_u", I32(65533), OOB_MEM),
    T1("i32.load16_s", I32(65535), OOB_MEM),
    T1("f64.load", I32(65529), OOB_MEM),
    T1("i32.load", I32(-1), OOB_MEM),
    T1("i32.load8_s", I32(0x80000000), OOB_MEM),
    /* address + offset is not taken modulo 2^32. */
    T1("load_off_max", I32(0), OOB_MEM),
    T1("load_off_max", I32(1), OOB_MEM),
    V1("load_off_65532", I32(0), I32(0xddccbbaa)),
    T1("load_off_65532", I32(1), OOB_MEM),
    T1("load_off_1", I32(-1), OOB_MEM),
    V1("load_off_1", I32(0), I32(0x05040302)),
};

/* One byte of the instance's memory, read through the API. */
static int mem_byte(const fx *f, uint32_t at) {
  mw_memory *m = mw_instance_memory(f->inst);
  if (!m || at >= mw_memory_size(m)) return -1;
  return mw_memory_data(m)[at];
}

static void test_memory(void) {
  RUN_ROWS("memory", memory_rows);

  fx f;
  if (!fx_open(&f, "memory")) return;
  /* Stores, read back by loads and through the API. */
  CALL_VOID(&f, "i32.store", ARGS(I32(100), I32(0x11223344)), 2);
  EXPECT(&f, "i32.load8_u", ARGS(I32(100)), 1, I32(0x44));
  EXPECT(&f, "i32.load", ARGS(I32(100)), 1, I32(0x11223344));
  CHECK(mem_byte(&f, 103) == 0x11);
  CALL_VOID(&f, "i32.store8", ARGS(I32(101), I32(0x1ff)), 2);
  EXPECT(&f, "i32.load", ARGS(I32(100)), 1, I32(0x1122ff44));
  CALL_VOID(&f, "i32.store16", ARGS(I32(103), I32(0xabcd)), 2);
  EXPECT(&f, "i64.load", ARGS(I32(100)), 1, I64(0x000000abcd22ff44));
  CALL_VOID(&f, "i64.store", ARGS(I32(201), I64(0x0102030405060708)), 2);
  EXPECT(&f, "i64.load", ARGS(I32(201)), 1, I64(0x0102030405060708));
  EXPECT(&f, "i32.load", ARGS(I32(205)), 1, I32(0x01020304));
  CALL_VOID(&f, "i64.store8", ARGS(I32(300), I64(-1)), 2);
  CALL_VOID(&f, "i64.store16", ARGS(I32(302), I64(0x123456789)), 2);
  CALL_VOID(&f, "i64.store32", ARGS(I32(304), I64(0xfedcba9876543210)), 2);
  EXPECT(&f, "i64.load", ARGS(I32(300)), 1, I64(0x7654321067890000 | 0xff));
  /* Floats are stored bit for bit: NaN payloads survive memory. */
  CALL_VOID(&f, "f32.store", ARGS(I32(400), F32(F32_SNAN)), 2);
  EXPECT(&f, "i32.load", ARGS(I32(400)), 1, I32(F32_SNAN));
  EXPECT(&f, "f32.load", ARGS(I32(400)), 1, F32(F32_SNAN));
  CALL_VOID(&f, "f64.store", ARGS(I32(408), F64(0xfff0000000000005)), 2);
  EXPECT(&f, "i64.load", ARGS(I32(408)), 1, I64(0xfff0000000000005));
  /* A store that does not fit writes nothing. */
  EXPECT_ERR(&f, "i32.store", ARGS(I32(65533), I32(0x01010101)), 2, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_byte(&f, 65533) == 0xbb && mem_byte(&f, 65535) == 0xdd);
  EXPECT_ERR(&f, "i64.store", ARGS(I32(65529), I64(0)), 2, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_byte(&f, 65532) == 0xaa);
  EXPECT_ERR(&f, "store_off_4", ARGS(I32(65530), I32(7)), 2, 0, MW_ERR_TRAP, OOB_MEM);
  CALL_VOID(&f, "store_off_4", ARGS(I32(65528), I32(0x01020304)), 2);
  CHECK(mem_byte(&f, 65532) == 0x04 && mem_byte(&f, 65535) == 0x01);

  /* memory.size / memory.grow, max 2 pages. */
  EXPECT0(&f, "size", I32(1));
  EXPECT(&f, "grow", ARGS(I32(0)), 1, I32(1));
  EXPECT(&f, "grow", ARGS(I32(2)), 1, I32(-1));
  EXPECT0(&f, "size", I32(1));
  EXPECT(&f, "grow", ARGS(I32(1)), 1, I32(1));
  EXPECT0(&f, "size", I32(2));
  CHECK(mw_memory_pages(mw_instance_memory(f.inst)) == 2);
  CHECK(mw_memory_size(mw_instance_memory(f.inst)) == 2u * 65536u);
  /* The new page is zeroed and addressable; the old limit is gone. */
  EXPECT(&f, "i32.load", ARGS(I32(65536)), 1, I32(0));
  EXPECT(&f, "i64.load", ARGS(I32(131064)), 1, I64(0));
  EXPECT_TRAP(&f, "i64.load", ARGS(I32(131065)), 1, OOB_MEM);
  EXPECT(&f, "i32.load", ARGS(I32(65534)), 1, I32(0x00000102));
  EXPECT(&f, "grow", ARGS(I32(1)), 1, I32(-1));
  EXPECT(&f, "grow", ARGS(I32(-1)), 1, I32(-1));
  EXPECT0(&f, "size", I32(2));
  /* Growing from the host is seen by wasm (here: refused past max). */
  CHECK(mw_memory_grow(mw_instance_memory(f.inst), 1) == -1);
  fx_close(&f);

  /* The configured page limit caps memory.grow below the module's max;
   * growing by 0 still answers the current size. */
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.max_memory_pages = 1;
  if (fx_open_at(__LINE__, &f, "memory", &cfg, NULL, 0)) {
    EXPECT(&f, "grow", ARGS(I32(1)), 1, I32(-1));
    EXPECT(&f, "grow", ARGS(I32(0)), 1, I32(1));
    fx_close(&f);
  }

  /* Host-side growth is visible to memory.size. */
  if (fx_open(&f, "memory")) {
    CHECK(mw_memory_grow(mw_instance_memory(f.inst), 1) == 1);
    EXPECT0(&f, "size", I32(2));
    EXPECT(&f, "i32.load8_u", ARGS(I32(131071)), 1, I32(0));
    fx_close(&f);
  }
}

/* ---------------------------------------------------------------- control */

static void test_control(void) {
  fx f;
  if (!fx_open(&f, "control")) return;
  EXPECT0(&f, "multi", I32(1), I64(2));
  EXPECT(&f, "swap", ARGS(I32(1), I32(2)), 2, I32(2), I32(1));
  EXPECT0(&f, "call_pair", I32(18));
  EXPECT(&f, "block_params", ARGS(I32(50), I32(8)), 2, I32(42));
  EXPECT(&f, "loop_params", ARGS(I32(10)), 1, I32(55));
  EXPECT(&f, "loop_params", ARGS(I32(1)), 1, I32(1));
  EXPECT(&f, "br_table", ARGS(I32(0)), 1, I32(100));
  EXPECT(&f, "br_table", ARGS(I32(1)), 1, I32(101));
  EXPECT(&f, "br_table", ARGS(I32(2)), 1, I32(102));
  EXPECT(&f, "br_table", ARGS(I32(3)), 1, I32(103));
  EXPECT(&f, "br_table", ARGS(I32(4)), 1, I32(103));
  EXPECT(&f, "br_table", ARGS(I32(-1)), 1, I32(103));
  for (int32_t i = 0; i < 20; i++) /* past exec.c's MW_BR_STUBS */
    EXPECT(&f, "br_table_wide", ARGS(I32(i)), 1, I32(200 + i));
  EXPECT(&f, "br_table_wide", ARGS(I32(20)), 1, I32(299));
  EXPECT(&f, "br_table_wide", ARGS(I32(-1)), 1, I32(299));
  EXPECT0(&f, "br_table_loop", I32(17));
  EXPECT(&f, "br_table_value", ARGS(I32(0)), 1, I32(1007));
  EXPECT(&f, "br_table_value", ARGS(I32(1)), 1, I32(7));
  EXPECT(&f, "br_table_value", ARGS(I32(99)), 1, I32(7));
  EXPECT0(&f, "br_discard", I32(13));
  EXPECT(&f, "br_if_value", ARGS(I32(1)), 1, I32(5));
  EXPECT(&f, "br_if_value", ARGS(I32(0)), 1, I32(7));
  EXPECT(&f, "br_multi", ARGS(I32(1)), 1, I32(1), I32(2));
  EXPECT(&f, "br_multi", ARGS(I32(0)), 1, I32(3), I32(4));
  EXPECT(&f, "if_else", ARGS(I32(-5)), 1, I32(11));
  EXPECT(&f, "if_else", ARGS(I32(0)), 1, I32(22));
  EXPECT(&f, "if_no_else", ARGS(I32(1)), 1, I32(2));
  EXPECT(&f, "if_no_else", ARGS(I32(0)), 1, I32(1));
  EXPECT(&f, "if_multi", ARGS(I32(1)), 1, I32(1), I32(2));
  EXPECT(&f, "if_multi", ARGS(I32(0)), 1, I32(3), I32(4));
  EXPECT(&f, "return_nested", ARGS(I32(1)), 1, I32(42));
  EXPECT(&f, "return_nested", ARGS(I32(0)), 1, I32(43));
  EXPECT(&f, "fact_iter", ARGS(I64(20)), 1, I64(2432902008176640000));
  EXPECT(&f, "fact_iter", ARGS(I64(0)), 1, I64(1));
  EXPECT(&f, "fib", ARGS(I32(20)), 1, I32(6765));
  EXPECT(&f, "even", ARGS(I32(1001)), 1, I32(0));
  EXPECT(&f, "even", ARGS(I32(1000)), 1, I32(1));
  EXPECT(&f, "select", ARGS(I32(1), I32(2), I32(1)), 3, I32(1));
  EXPECT(&f, "select", ARGS(I32(1), I32(2), I32(0)), 3, I32(2));
  EXPECT(&f, "select", ARGS(I32(1), I32(2), I32(0x80000000)), 3, I32(1));
  EXPECT(&f, "select_i64", ARGS(I64(-1), I64(0x100000000), I32(0)), 3, I64(0x100000000));
  EXPECT(&f, "select_f64", ARGS(F64(F64_NAN_P), F64(F64_ONE), I32(7)), 3, F64(F64_NAN_P));
  {
    int a, b;
    mw_val x = mw_val_externref(&a), y = mw_val_externref(&b);
    EXPECT(&f, "select_ref", ARGS(x, y, I32(1)), 3, x);
    EXPECT(&f, "select_ref", ARGS(x, y, I32(0)), 3, y);
  }
  EXPECT(&f, "tee", ARGS(I32(5)), 1, I32(30));
  EXPECT0(&f, "locals_zero", I64(0));
  EXPECT0(&f, "nop_drop", I32(6));
  EXPECT(&f, "outer", ARGS(I32(0)), 1, I32(10));
  EXPECT_ERR(&f, "unreachable", NULL, 0, 0, MW_ERR_TRAP, "unreachable");

  /* A trap's backtrace, innermost frame first, named from the name
   * section (the fixtures are built with --debug-names). */
  mw_val arg = mw_val_i32(1), res;
  mw_error *e = fx_call(&f, "outer", &arg, 1, &res, 1);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP &&
        strcmp(mw_error_message(e), "unreachable") == 0);
  if (e) {
    CHECK(mw_error_frame_count(e) >= 2);
    const mw_frame_info *fr = mw_error_frame(e, 0);
    CHECK(fr && fr->func_name && fr->func_name_len == 5 &&
          memcmp(fr->func_name, "inner", 5) == 0);
    CHECK(mw_error_frame(e, mw_error_frame_count(e)) == NULL);
    mw_error_free(e);
  }
  fx_close(&f);
}

/* Deep recursion ends in "call stack exhausted", never a C stack overflow,
 * and leaves the store usable. */
static void test_exhaustion(void) {
  fx f;
  if (!fx_open(&f, "control")) return;
  EXPECT(&f, "depth", ARGS(I32(5000)), 1, I32(5000));
  EXPECT_ERR(&f, "forever", ARGS(I32(0)), 1, 1, MW_ERR_EXHAUSTION, "call stack exhausted");
  EXPECT_ERR(&f, "depth", ARGS(I32(1000000)), 1, 1, MW_ERR_EXHAUSTION,
             "call stack exhausted");
  EXPECT(&f, "depth", ARGS(I32(5000)), 1, I32(5000));
  EXPECT(&f, "fib", ARGS(I32(15)), 1, I32(610));
  fx_close(&f);

  /* A lower configured depth. */
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.max_call_depth = 100;
  if (fx_open_at(__LINE__, &f, "control", &cfg, NULL, 0)) {
    EXPECT(&f, "depth", ARGS(I32(50)), 1, I32(50));
    EXPECT_ERR(&f, "depth", ARGS(I32(200)), 1, 1, MW_ERR_EXHAUSTION, "call stack exhausted");
    EXPECT(&f, "depth", ARGS(I32(50)), 1, I32(50));
    fx_close(&f);
  }

  /* A small value stack runs out before the frame limit. */
  mw_config_default(&cfg);
  cfg.value_stack_slots = 4096;
  if (fx_open_at(__LINE__, &f, "control", &cfg, NULL, 0)) {
    EXPECT(&f, "depth", ARGS(I32(10)), 1, I32(10));
    mw_val arg = mw_val_i32(5000), res;
    mw_error *e = fx_call(&f, "depth", &arg, 1, &res, 1);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_EXHAUSTION);
    mw_error_free(e);
    EXPECT(&f, "depth", ARGS(I32(10)), 1, I32(10));
    fx_close(&f);
  }
}

/* ---------------------------------------------------------------- tables */

static void test_call_indirect(void) {
  fx f;
  if (!fx_open(&f, "table")) return;
  EXPECT(&f, "call_ii", ARGS(I32(0), I32(21)), 2, I32(42));
  EXPECT(&f, "call_ii", ARGS(I32(2), I32(9)), 2, I32(81));
  EXPECT(&f, "call_v", ARGS(I32(1)), 1, I32(7));
  EXPECT_TRAP(&f, "call_ii", ARGS(I32(1), I32(0)), 2, "indirect call type mismatch");
  EXPECT_TRAP(&f, "call_v", ARGS(I32(0)), 1, "indirect call type mismatch");
  EXPECT_TRAP(&f, "call_ii", ARGS(I32(3), I32(0)), 2, "uninitialized element");
  EXPECT_TRAP(&f, "call_ii", ARGS(I32(4), I32(0)), 2, "undefined element");
  EXPECT_TRAP(&f, "call_ii", ARGS(I32(-1), I32(0)), 2, "undefined element");
  EXPECT(&f, "call_ii", ARGS(I32(0), I32(-4)), 2, I32(-8));
  fx_close(&f);
}

/* ---------------------------------------------------------------- bulk memory */

static bool mem_is(const fx *f, uint32_t at, const char *s) {
  mw_memory *m = mw_instance_memory(f->inst);
  size_t n = strlen(s);
  return m && at + n <= mw_memory_size(m) && memcmp(mw_memory_data(m) + at, s, n) == 0;
}

static void test_bulk(void) {
  fx f;
  if (!fx_open(&f, "bulk")) return;
  /* memory.init from the passive segment "hello". */
  CALL_VOID(&f, "init", ARGS(I32(0), I32(0), I32(5)), 3);
  CHECK(mem_is(&f, 0, "hello"));
  CALL_VOID(&f, "init", ARGS(I32(65531), I32(0), I32(5)), 3);
  CHECK(mem_is(&f, 65531, "hello"));
  CALL_VOID(&f, "init", ARGS(I32(10), I32(3), I32(2)), 3);
  CHECK(mem_is(&f, 10, "lo"));
  CALL_VOID(&f, "init", ARGS(I32(65536), I32(5), I32(0)), 3);
  /* Out of bounds: checked before anything is written. */
  EXPECT_ERR(&f, "init", ARGS(I32(65532), I32(0), I32(5)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_is(&f, 65531, "hello"));
  EXPECT_ERR(&f, "init", ARGS(I32(20), I32(1), I32(5)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_byte(&f, 20) == 0);
  EXPECT_ERR(&f, "init", ARGS(I32(0), I32(6), I32(0)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  EXPECT_ERR(&f, "init", ARGS(I32(65537), I32(0), I32(0)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  /* After data.drop the segment is empty: only n = 0 at 0 succeeds. */
  CALL_VOID(&f, "drop", NULL, 0);
  CALL_VOID(&f, "drop", NULL, 0);
  CALL_VOID(&f, "init", ARGS(I32(0), I32(0), I32(0)), 3);
  EXPECT_ERR(&f, "init", ARGS(I32(0), I32(0), I32(1)), 3, 0, MW_ERR_TRAP, OOB_MEM);

  /* memory.copy with overlap in both directions ("0123456789" at 100). */
  CHECK(mem_is(&f, 100, "0123456789"));
  CALL_VOID(&f, "copy", ARGS(I32(102), I32(100), I32(5)), 3);
  CHECK(mem_is(&f, 100, "0101234789"));
  CALL_VOID(&f, "copy", ARGS(I32(100), I32(103), I32(5)), 3);
  CHECK(mem_is(&f, 100, "1234734789"));
  CALL_VOID(&f, "copy", ARGS(I32(65535), I32(100), I32(1)), 3);
  EXPECT(&f, "load8", ARGS(I32(65535)), 1, I32('1'));
  CALL_VOID(&f, "copy", ARGS(I32(65536), I32(0), I32(0)), 3);
  EXPECT_ERR(&f, "copy", ARGS(I32(65535), I32(100), I32(2)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  EXPECT_ERR(&f, "copy", ARGS(I32(100), I32(65535), I32(2)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_is(&f, 100, "1234734789"));
  EXPECT_ERR(&f, "copy", ARGS(I32(65537), I32(0), I32(0)), 3, 0, MW_ERR_TRAP, OOB_MEM);

  /* memory.fill stores the low byte of the value. */
  CALL_VOID(&f, "fill", ARGS(I32(300), I32(0xab), I32(4)), 3);
  EXPECT(&f, "load8", ARGS(I32(303)), 1, I32(0xab));
  EXPECT(&f, "load8", ARGS(I32(304)), 1, I32(0));
  CALL_VOID(&f, "fill", ARGS(I32(300), I32(0x1ff), I32(1)), 3);
  EXPECT(&f, "load8", ARGS(I32(300)), 1, I32(0xff));
  EXPECT_ERR(&f, "fill", ARGS(I32(65530), I32(1), I32(7)), 3, 0, MW_ERR_TRAP, OOB_MEM);
  CHECK(mem_byte(&f, 65530) == 0);
  CALL_VOID(&f, "fill", ARGS(I32(65536), I32(1), I32(0)), 3);

  /* table.init / table.copy / elem.drop on a table of 6 ($f1 $f2 $f3). */
  EXPECT_TRAP(&f, "call", ARGS(I32(0)), 1, "uninitialized element");
  CALL_VOID(&f, "table_init", ARGS(I32(0), I32(0), I32(3)), 3);
  EXPECT(&f, "call", ARGS(I32(0)), 1, I32(1));
  EXPECT(&f, "call", ARGS(I32(2)), 1, I32(3));
  CALL_VOID(&f, "table_init", ARGS(I32(4), I32(1), I32(2)), 3);
  EXPECT(&f, "call", ARGS(I32(4)), 1, I32(2));
  EXPECT(&f, "call", ARGS(I32(5)), 1, I32(3));
  EXPECT_ERR(&f, "table_init", ARGS(I32(5), I32(0), I32(2)), 3, 0, MW_ERR_TRAP, OOB_TABLE);
  EXPECT(&f, "call", ARGS(I32(5)), 1, I32(3));
  EXPECT_ERR(&f, "table_init", ARGS(I32(0), I32(2), I32(2)), 3, 0, MW_ERR_TRAP, OOB_TABLE);
  EXPECT_TRAP(&f, "call", ARGS(I32(3)), 1, "uninitialized element");
  CALL_VOID(&f, "table_copy", ARGS(I32(3), I32(0), I32(1)), 3);
  EXPECT(&f, "call", ARGS(I32(3)), 1, I32(1));
  CALL_VOID(&f, "table_copy", ARGS(I32(1), I32(0), I32(4)), 3);
  EXPECT(&f, "call", ARGS(I32(4)), 1, I32(1));
  EXPECT(&f, "call", ARGS(I32(2)), 1, I32(2));
  EXPECT_ERR(&f, "table_copy", ARGS(I32(5), I32(0), I32(2)), 3, 0, MW_ERR_TRAP, OOB_TABLE);
  EXPECT_TRAP(&f, "call", ARGS(I32(6)), 1, "undefined element");
  CALL_VOID(&f, "elem_drop", NULL, 0);
  CALL_VOID(&f, "table_init", ARGS(I32(0), I32(0), I32(0)), 3);
  EXPECT_ERR(&f, "table_init", ARGS(I32(0), I32(0), I32(1)), 3, 0, MW_ERR_TRAP, OOB_TABLE);
  fx_close(&f);
}

/* ---------------------------------------------------------------- globals */

static bool export_global(const fx *f, const char *name, mw_global **out) {
  mw_extern ext;
  if (!mw_instance_export(f->inst, name, strlen(name), &ext) ||
      ext.kind != MW_EXTERN_GLOBAL)
    return false;
  *out = ext.of.global;
  return true;
}

static void test_globals(void) {
  mw_globaltype base_t = {MW_I32, false}, counter_t = {MW_I64, true};
  mw_global *base = mw_global_new(NULL, base_t, mw_val_i32(1000));
  mw_global *counter = mw_global_new(NULL, counter_t, mw_val_i64(5));
  mw_global *mut32 = NULL;
  CHECK(base && counter);
  if (!base || !counter) goto out;
  mw_extern imports[2] = {{.kind = MW_EXTERN_GLOBAL, .of.global = base},
                          {.kind = MW_EXTERN_GLOBAL, .of.global = counter}};
  fx f;
  if (!fx_open_at(__LINE__, &f, "global", NULL, imports, 2)) goto out;

  mw_global *g = NULL, *k = NULL, *from_base = NULL, *nan = NULL;
  bool found = export_global(&f, "g", &g) && export_global(&f, "k", &k) &&
               export_global(&f, "from_base", &from_base) &&
               export_global(&f, "nan", &nan);
  CHECK(found);
  if (!found) {
    fx_close(&f);
    goto out;
  }
  EXPECT0(&f, "get_g", I32(10));
  CALL_VOID(&f, "set_g", ARGS(I32(77)), 1);
  CHECK(mw_global_get(g).type == MW_I32 && mw_global_get(g).of.i32 == 77);
  mw_error *e = mw_global_set(g, mw_val_i32(-5));
  CHECK(e == NULL);
  mw_error_free(e);
  EXPECT0(&f, "get_g", I32(-5));
  /* Wrong type, and an immutable global: usage errors, value unchanged. */
  e = mw_global_set(g, mw_val_i64(1));
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);
  e = mw_global_set(k, mw_val_i64(1));
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);
  EXPECT0(&f, "get_k", I64(-1));
  CHECK(mw_global_type(k).type == MW_I64 && !mw_global_type(k).mutable_);
  CHECK(mw_global_type(g).mutable_);
  /* Initialised from an imported global. */
  CHECK(mw_global_get(from_base).of.i32 == 1000);
  EXPECT(&f, "base_plus", ARGS(I32(5)), 1, I32(1005));
  /* An imported mutable global is shared with the host. */
  EXPECT0(&f, "bump", I64(6));
  CHECK(mw_global_get(counter).of.i64 == 6);
  e = mw_global_set(counter, mw_val_i64(100));
  CHECK(e == NULL);
  mw_error_free(e);
  EXPECT0(&f, "bump", I64(101));
  /* A signalling NaN in a global keeps its bits. */
  EXPECT0(&f, "get_nan", F32(0x7f923456));
  CALL_VOID(&f, "set_nan", ARGS(F32(0xffa00001)), 1);
  CHECK(mw_global_get(nan).type == MW_F32 && mw_global_get(nan).of.f32_bits == 0xffa00001u);
  fx_close(&f);

  /* A mutable i32 where the module imports an immutable one. */
  mut32 = mw_global_new(NULL, (mw_globaltype){MW_I32, true}, mw_val_i32(1000));
  if (mut32) {
    mw_extern bad[2] = {{.kind = MW_EXTERN_GLOBAL, .of.global = mut32},
                        {.kind = MW_EXTERN_GLOBAL, .of.global = counter}};
    mw_module *m = NULL;
    size_t len;
    char path[4096];
    snprintf(path, sizeof path, "%s/global.wasm", fixture_dir);
    uint8_t *bytes = harness_read_file(path, &len);
    mw_store *s = mw_store_new(NULL);
    mw_instance *inst = NULL;
    e = bytes ? mw_module_decode(NULL, bytes, len, &m) : NULL;
    CHECK(bytes && !e && m && s);
    mw_error_free(e);
    if (m && s) {
      e = mw_instantiate_with(s, m, bad, 2, &inst);
      CHECK(e && mw_error_kind_of(e) == MW_ERR_UNLINKABLE &&
            starts_with(mw_error_message(e), "incompatible import type"));
      mw_error_free(e);
    }
    if (s) mw_store_free(s);
    if (m) mw_module_release(m);
    free(bytes);
  }
out:
  if (mut32) mw_global_free(mut32);
  if (base) mw_global_free(base);
  if (counter) mw_global_free(counter);
}

/* ---------------------------------------------------------------- reference types */

static void test_refs(void) {
  fx f;
  if (!fx_open(&f, "ref")) return;
  int a, b;
  mw_val pa = mw_val_externref(&a), pb = mw_val_externref(&b);
  mw_val null_ext = mw_val_externref(NULL), null_fn = mw_val_funcref(NULL);

  EXPECT(&f, "id", ARGS(pa), 1, pa);
  EXPECT(&f, "id", ARGS(null_ext), 1, null_ext);
  EXPECT(&f, "is_null", ARGS(null_ext), 1, I32(1));
  EXPECT(&f, "is_null", ARGS(pa), 1, I32(0));
  EXPECT(&f, "is_null_func", ARGS(null_fn), 1, I32(1));
  EXPECT0(&f, "null_func", null_fn);

  /* ref.func gives a callable function: the export "answer" itself. */
  mw_val fr;
  mw_error *e = fx_call(&f, "get_answer", NULL, 0, &fr, 1);
  CHECK(!e && fr.type == MW_FUNCREF && fr.of.funcref == fx_func(&f, "answer"));
  mw_error_free(e);
  if (!e && fr.of.funcref) {
    mw_val r;
    e = mw_func_call(f.store, fr.of.funcref, NULL, 0, &r, 1);
    CHECK(!e && r.type == MW_I32 && r.of.i32 == 42);
    mw_error_free(e);
    const mw_functype *t = mw_func_type(fr.of.funcref);
    CHECK(mw_functype_param_count(t) == 0 && mw_functype_result_count(t) == 1 &&
          mw_functype_result(t, 0) == MW_I32);
    EXPECT(&f, "is_null_func", ARGS(fr), 1, I32(0));
  }

  /* externref table: get/set/size/grow/fill and their bounds. */
  EXPECT0(&f, "ext_size", I32(2));
  EXPECT(&f, "ext_get", ARGS(I32(0)), 1, null_ext);
  CALL_VOID(&f, "ext_set", ARGS(I32(1), pa), 2);
  EXPECT(&f, "ext_get", ARGS(I32(1)), 1, pa);
  EXPECT_TRAP(&f, "ext_get", ARGS(I32(2)), 1, OOB_TABLE);
  EXPECT_ERR(&f, "ext_set", ARGS(I32(2), pa), 2, 0, MW_ERR_TRAP, OOB_TABLE);
  EXPECT(&f, "ext_grow", ARGS(pb, I32(3)), 2, I32(2));
  EXPECT0(&f, "ext_size", I32(5));
  EXPECT(&f, "ext_get", ARGS(I32(4)), 1, pb);
  EXPECT(&f, "ext_get", ARGS(I32(1)), 1, pa);
  CALL_VOID(&f, "ext_fill", ARGS(I32(0), pa, I32(4)), 3);
  EXPECT(&f, "ext_get", ARGS(I32(3)), 1, pa);
  EXPECT(&f, "ext_get", ARGS(I32(4)), 1, pb);
  EXPECT_ERR(&f, "ext_fill", ARGS(I32(4), null_ext, I32(2)), 3, 0, MW_ERR_TRAP, OOB_TABLE);
  EXPECT(&f, "ext_get", ARGS(I32(4)), 1, pb);
  CALL_VOID(&f, "ext_fill", ARGS(I32(5), pa, I32(0)), 3);
  /* The same table through the API. */
  mw_extern ext;
  CHECK(mw_instance_export(f.inst, "ext", 3, &ext) && ext.kind == MW_EXTERN_TABLE);
  if (ext.kind == MW_EXTERN_TABLE) {
    mw_val v;
    CHECK(mw_table_size(ext.of.table) == 5);
    CHECK(mw_table_get(ext.of.table, 4, &v) && v.type == MW_EXTERNREF && v.of.externref == &b);
    CHECK(!mw_table_get(ext.of.table, 5, &v));
    e = mw_table_set(ext.of.table, 0, pb);
    CHECK(e == NULL);
    mw_error_free(e);
    EXPECT(&f, "ext_get", ARGS(I32(0)), 1, pb);
  }

  /* funcref table with a maximum of 10. */
  EXPECT_TRAP(&f, "fun_call", ARGS(I32(0)), 1, "uninitialized element");
  CALL_VOID(&f, "fun_set_answer", ARGS(I32(1)), 1);
  EXPECT(&f, "fun_call", ARGS(I32(1)), 1, I32(42));
  EXPECT(&f, "fun_grow", ARGS(I32(8)), 1, I32(2));
  EXPECT(&f, "fun_grow", ARGS(I32(1)), 1, I32(-1));
  EXPECT(&f, "fun_grow", ARGS(I32(0)), 1, I32(10));
  EXPECT_TRAP(&f, "fun_call", ARGS(I32(9)), 1, "uninitialized element");
  EXPECT_TRAP(&f, "fun_call", ARGS(I32(10)), 1, "undefined element");
  fx_close(&f);
}

/* ---------------------------------------------------------------- host functions and linking */

typedef struct host_log {
  int add_calls;
  int saw_instance;  /* add saw a calling instance with a memory */
  int no_instance;   /* add saw none (called straight from C) */
} host_log;

static mw_error *host_add(mw_caller *caller, const mw_val *args, mw_val *results,
                          void *ud) {
  host_log *log = ud;
  log->add_calls++;
  if (mw_caller_instance(caller) && mw_caller_memory(caller) &&
      mw_caller_store(caller))
    log->saw_instance++;
  if (!mw_caller_instance(caller)) log->no_instance++;
  results[0] = mw_val_i32((int32_t)((uint32_t)args[0].of.i32 + (uint32_t)args[1].of.i32));
  return NULL;
}

static int fail_token;

static mw_error *host_fail(mw_caller *caller, const mw_val *args, mw_val *results,
                           void *ud) {
  (void)caller;
  (void)results;
  (void)ud;
  return args[0].of.i32 ? mw_error_new_host("boom", &fail_token) : NULL;
}

/* Calls back into the calling instance's export "countdown". */
static mw_error *host_reenter(mw_caller *caller, const mw_val *args, mw_val *results,
                              void *ud) {
  (void)ud;
  mw_extern ext;
  if (!mw_caller_export(caller, "countdown", 9, &ext) || ext.kind != MW_EXTERN_FUNC)
    return mw_error_new(MW_ERR_HOST, "countdown not found");
  return mw_func_call(mw_caller_store(caller), ext.of.func, args, 1, results, 1);
}

static mw_functype *functype(const mw_valtype *p, size_t np, const mw_valtype *r,
                             size_t nr) {
  return mw_functype_new(NULL, p, np, r, nr);
}

static mw_module *load_module(const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", fixture_dir, name);
  size_t len;
  uint8_t *bytes = harness_read_file(path, &len);
  if (!bytes) return NULL;
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, bytes, len, &m);
  free(bytes);
  mw_error_free(e);
  return m;
}

static void test_host(void) {
  static const mw_valtype ii[] = {MW_I32, MW_I32}, i[] = {MW_I32}, l[] = {MW_I64};
  host_log log = {0, 0, 0};
  mw_functype *t_add = functype(ii, 2, i, 1), *t_fail = functype(i, 1, NULL, 0),
              *t_re = functype(i, 1, i, 1), *t_wrong = functype(l, 1, l, 1);
  mw_func *add = NULL, *fail = NULL, *re = NULL, *wrong = NULL;
  if (t_add && t_fail && t_re && t_wrong) {
    add = mw_func_new(NULL, t_add, host_add, &log, NULL);
    fail = mw_func_new(NULL, t_fail, host_fail, NULL, NULL);
    re = mw_func_new(NULL, t_re, host_reenter, NULL, NULL);
    wrong = mw_func_new(NULL, t_wrong, host_add, &log, NULL);
  }
  CHECK(add && fail && re && wrong);
  mw_module *m = load_module("host");
  CHECK(m != NULL);
  mw_store *s = mw_store_new(NULL);
  if (!add || !fail || !re || !wrong || !m || !s) goto out;

  /* Nothing defined yet: unknown import. */
  mw_instance *inst = NULL;
  mw_error *e = mw_instantiate(s, m, &inst);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_UNLINKABLE &&
        starts_with(mw_error_message(e), "unknown import"));
  mw_error_free(e);

  /* env.add with the wrong type. */
  mw_extern x = {.kind = MW_EXTERN_FUNC, .of.func = wrong};
  e = mw_store_define(s, "env", 3, "add", 3, x);
  CHECK(e == NULL);
  mw_error_free(e);
  x.of.func = fail;
  mw_error_free(mw_store_define(s, "env", 3, "fail", 4, x));
  x.of.func = re;
  mw_error_free(mw_store_define(s, "env", 3, "reenter", 7, x));
  e = mw_instantiate(s, m, &inst);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_UNLINKABLE &&
        starts_with(mw_error_message(e), "incompatible import type"));
  mw_error_free(e);

  /* Redefined with the right type: links. */
  x.of.func = add;
  mw_error_free(mw_store_define(s, "env", 3, "add", 3, x));
  mw_extern looked;
  CHECK(mw_store_lookup(s, "env", 3, "add", 3, &looked) && looked.of.func == add);
  e = mw_instantiate(s, m, &inst);
  CHECK(e == NULL && inst != NULL);
  if (e || !inst) {
    mw_error_free(e);
    goto out;
  }
  fx f = {"host", m, s, inst};
  EXPECT(&f, "add_twice", ARGS(I32(3), I32(4)), 2, I32(11));
  EXPECT(&f, "add_twice", ARGS(I32(0x7fffffff), I32(1)), 2, I32(0x80000001));
  CHECK(log.add_calls == 4 && log.saw_instance == 4);
  /* The host function called straight from C has no calling instance. */
  {
    mw_val r;
    e = mw_func_call(s, add, ARGS(I32(2), I32(3)), 2, &r, 1);
    CHECK(!e && r.of.i32 == 5 && log.no_instance == 1);
    mw_error_free(e);
  }

  /* A host error unwinds the wasm frames and comes back unchanged. */
  EXPECT(&f, "call_fail", ARGS(I32(0)), 1, I32(1));
  {
    mw_val r;
    e = fx_call(&f, "call_fail", ARGS(I32(7)), 1, &r, 1);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST &&
          strcmp(mw_error_message(e), "boom") == 0 &&
          mw_error_host_data(e) == &fail_token);
    mw_error_free(e);
  }
  EXPECT(&f, "call_fail", ARGS(I32(0)), 1, I32(1));

  /* Re-entry: wasm -> host -> wasm, ten deep, then too deep. */
  EXPECT(&f, "countdown", ARGS(I32(10)), 1, I32(1010));
  EXPECT_ERR(&f, "countdown", ARGS(I32(100000)), 1, 1, MW_ERR_EXHAUSTION, "");
  EXPECT(&f, "countdown", ARGS(I32(3)), 1, I32(1003));

  /* Misuse of mw_func_call is reported, not run. */
  EXPECT_ERR(&f, "add_twice", ARGS(I32(1)), 1, 1, MW_ERR_USAGE, "");
  EXPECT_ERR(&f, "add_twice", ARGS(I32(1), I64(2)), 2, 1, MW_ERR_USAGE, "");
  EXPECT_ERR(&f, "add_twice", ARGS(I32(1), I32(2)), 2, 0, MW_ERR_USAGE, "");
  CHECK(log.add_calls == 5);

  /* Exports of an instance registered under a name are importable. */
  e = mw_store_register(s, "first", 5, inst);
  CHECK(e == NULL);
  mw_error_free(e);
  CHECK(mw_store_lookup(s, "first", 5, "memory", 6, &looked) &&
        looked.kind == MW_EXTERN_MEMORY && looked.of.memory == mw_instance_memory(inst));

out:
  if (s) mw_store_free(s);
  if (m) mw_module_release(m);
  if (add) mw_func_free(add);
  if (fail) mw_func_free(fail);
  if (re) mw_func_free(re);
  if (wrong) mw_func_free(wrong);
  if (t_add) mw_functype_free(t_add);
  if (t_fail) mw_functype_free(t_fail);
  if (t_re) mw_functype_free(t_re);
  if (t_wrong) mw_functype_free(t_wrong);
}

/* A start function that traps makes instantiation fail with that trap. */
static void test_start_trap(void) {
  mw_module *m = load_module("start");
  mw_store *s = mw_store_new(NULL);
  CHECK(m && s);
  if (m && s) {
    mw_instance *inst = (mw_instance *)&fail_token; /* must be reset */
    mw_error *e = mw_instantiate(s, m, &inst);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP &&
          starts_with(mw_error_message(e), OOB_MEM));
    CHECK(inst == NULL);
    mw_error_free(e);
  }
  if (s) mw_store_free(s);
  if (m) mw_module_release(m);
}

/* ---------------------------------------------------------------- malformed and invalid */

typedef struct bad_module {
  int line;
  const char *bytes;
  size_t len;
  mw_error_kind kind; /* from decoding, or else from validation */
  const char *msg;
} bad_module;

#define BAD(b, kind, msg) {__LINE__, b, sizeof(b) - 1, kind, msg}
#define HDR "\0asm\1\0\0\0"

static const bad_module bad_modules[] = {
    BAD("\0asm\2\0\0\0", MW_ERR_MALFORMED, "unknown binary version"),
    BAD("\0asX\1\0\0\0", MW_ERR_MALFORMED, "magic header not detected"),
    BAD("", MW_ERR_MALFORMED, "unexpected end"),
    BAD("\0asm\1\0\0", MW_ERR_MALFORMED, "unexpected end"),
    BAD(HDR "\x0e\x00", MW_ERR_MALFORMED, "malformed section id"),
    /* () -> i32 whose body is just `end`. */
    BAD(HDR "\x01\x05\x01\x60\x00\x01\x7f" "\x03\x02\x01\x00" "\x0a\x04\x01\x02\x00\x0b",
        MW_ERR_INVALID, "type mismatch"),
    /* local.get 5 with no locals. */
    BAD(HDR "\x01\x04\x01\x60\x00\x00" "\x03\x02\x01\x00" "\x0a\x07\x01\x05\x00\x20\x05\x1a\x0b",
        MW_ERR_INVALID, "unknown local"),
    /* call 3 with one function. */
    BAD(HDR "\x01\x04\x01\x60\x00\x00" "\x03\x02\x01\x00" "\x0a\x06\x01\x04\x00\x10\x03\x0b",
        MW_ERR_INVALID, "unknown function"),
    /* i32.load with no memory. */
    BAD(HDR "\x01\x04\x01\x60\x00\x00" "\x03\x02\x01\x00"
            "\x0a\x0a\x01\x08\x00\x41\x00\x28\x02\x00\x1a\x0b",
        MW_ERR_INVALID, "unknown memory"),
};

static void test_bad_modules(void) {
  for (size_t i = 0; i < sizeof bad_modules / sizeof bad_modules[0]; i++) {
    const bad_module *b = &bad_modules[i];
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(NULL, (const uint8_t *)b->bytes, b->len, &m);
    if (!e && m) {
      e = mw_module_validate(m);
      /* Instantiation validates too, and says the same. */
      mw_store *s = mw_store_new(NULL);
      mw_instance *inst = NULL;
      mw_error *e2 = s ? mw_instantiate(s, m, &inst) : NULL;
      check_at(e2 && e && mw_error_kind_of(e2) == mw_error_kind_of(e) &&
                   strcmp(mw_error_message(e2), mw_error_message(e)) == 0,
               b->line, "instantiate repeats the validation error");
      mw_error_free(e2);
      if (s) mw_store_free(s);
      mw_module_release(m);
    }
    check_at(e && mw_error_kind_of(e) == b->kind && starts_with(mw_error_message(e), b->msg),
             b->line, "expected %s \"%s\", got %s \"%s\"", mw_error_kind_name(b->kind),
             b->msg, e ? mw_error_kind_name(mw_error_kind_of(e)) : "success",
             e ? mw_error_message(e) : "");
    mw_error_free(e);
  }

  /* The smallest module: decodes, validates, instantiates, exports nothing. */
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, (const uint8_t *)HDR, 8, &m);
  CHECK(e == NULL && m != NULL);
  mw_error_free(e);
  if (m) {
    CHECK(mw_module_export_count(m) == 0 && mw_module_import_count(m) == 0);
    mw_store *s = mw_store_new(NULL);
    mw_instance *inst = NULL;
    e = s ? mw_instantiate(s, m, &inst) : NULL;
    CHECK(s && e == NULL && inst && mw_instance_export_count(inst) == 0 &&
          mw_instance_memory(inst) == NULL);
    mw_error_free(e);
    if (s) mw_store_free(s);
    mw_module_release(m);
  }
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
  const char *env = getenv("MW_FIXTURES");
  if (argc > 1)
    fixture_dir = argv[1];
  else if (env && *env)
    fixture_dir = env;

  RUN(test_i32);
  RUN(test_i64);
  RUN(test_float);
  RUN(test_memory);
  RUN(test_control);
  RUN(test_exhaustion);
  RUN(test_call_indirect);
  RUN(test_bulk);
  RUN(test_globals);
  RUN(test_refs);
  RUN(test_host);
  RUN(test_start_trap);
  RUN(test_bad_modules);
  return harness_summary();
}
