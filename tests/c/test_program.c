/*
 * test_program.c -- a real C program (tests/c/wasm/prog.c) compiled to wasm
 * by clang, run by moonwasm, and compared with the same source compiled
 * natively and linked into this binary under the prefix native_.
 *
 * The Makefile builds prog.c twice for wasm: -O2 (prog.wasm) and -O0
 * (prog_O0.wasm, which keeps every local in linear memory through the
 * shadow stack).  Results must agree exactly: integers by value, floats bit
 * for bit (a NaN only needs to be a NaN: its sign is not specified).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "moonwasm.h"

#define PROG_PREFIX native_
#include "prog.h"

static const char *fixture_dir = "build/wasm";
/* AOT variants (src/aot): the same program compiled to native code through
 * C; artifacts are cached by hash so reruns skip the C compiler. */
static bool aot_mode;
static const char *aot_cache = "build/aot-cache";


typedef struct prog {
  const char *name;
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} prog;

static bool prog_open(prog *p, const char *name) {
  memset(p, 0, sizeof *p);
  p->name = name;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.wasm", fixture_dir, name);
  size_t len;
  uint8_t *bytes = harness_read_file(path, &len);
  if (!CHECK(bytes != NULL)) {
    printf("  cannot read %s\n", path);
    return false;
  }
  mw_error *e = mw_module_decode(NULL, bytes, len, &p->mod);
  free(bytes);
  if (!e && aot_mode) {
    e = mw_aot_compile_attach(p->mod, NULL, aot_cache);
    if (!e) CHECK(mw_aot_native_funcs(p->mod) > 0);
  }
  if (!e) {
    p->store = mw_store_new(NULL);
    if (!p->store) e = mw_error_new(MW_ERR_OUT_OF_MEMORY, "store");
  }
  if (!e) e = mw_instantiate(p->store, p->mod, &p->inst);
  if (e) printf("  %s: %s: %s\n", name, mw_error_kind_name(mw_error_kind_of(e)),
                mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  return e == NULL;
}

static void prog_close(prog *p) {
  if (p->store) mw_store_free(p->store);
  if (p->mod) mw_module_release(p->mod);
  memset(p, 0, sizeof *p);
}

static bool same(mw_val got, mw_val want) {
  if (got.type != want.type) return false;
  switch (want.type) {
  case MW_I32: return got.of.i32 == want.of.i32;
  case MW_I64: return got.of.i64 == want.of.i64;
  case MW_F32: {
    bool gn = (got.of.f32_bits & 0x7fffffffu) > 0x7f800000u;
    bool wn = (want.of.f32_bits & 0x7fffffffu) > 0x7f800000u;
    return wn ? gn : got.of.f32_bits == want.of.f32_bits;
  }
  case MW_F64: {
    bool gn = (got.of.f64_bits & ~(1ull << 63)) > 0x7ff0000000000000ull;
    bool wn = (want.of.f64_bits & ~(1ull << 63)) > 0x7ff0000000000000ull;
    return wn ? gn : got.of.f64_bits == want.of.f64_bits;
  }
  default: return false;
  }
}

static void show(const char *label, mw_val v) {
  switch (v.type) {
  case MW_I32: printf("  %s: i32 %d\n", label, v.of.i32); break;
  case MW_I64: printf("  %s: i64 %lld\n", label, (long long)v.of.i64); break;
  case MW_F32: printf("  %s: f32 bits 0x%08x\n", label, (unsigned)v.of.f32_bits); break;
  case MW_F64:
    printf("  %s: f64 bits 0x%016llx\n", label, (unsigned long long)v.of.f64_bits);
    break;
  default: printf("  %s: type 0x%x\n", label, (unsigned)v.type); break;
  }
}

/* Call export `fn` with `args` and compare its one result with `want`, the
 * native result. */
static void compare_at(int line, const prog *p, const char *fn, const mw_val *args,
                       size_t nargs, mw_val want) {
  mw_extern ext;
  mw_val got;
  memset(&got, 0, sizeof got);
  mw_error *e = NULL;
  if (!mw_instance_export(p->inst, fn, strlen(fn), &ext) || ext.kind != MW_EXTERN_FUNC)
    e = mw_error_new(MW_ERR_USAGE, "no such export");
  else
    e = mw_func_call(p->store, ext.of.func, args, nargs, &got, 1);
  bool ok = e == NULL && same(got, want);
  char what[160];
  snprintf(what, sizeof what, "%s: %s matches the native build", p->name, fn);
  harness_check(ok, what, __FILE__, line);
  if (e) {
    printf("  %s: %s\n", mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
    mw_error_free(e);
  } else if (!ok) {
    show("wasm", got);
    show("native", want);
  }
}

#define ARGS(...) ((const mw_val[]){__VA_ARGS__})
#define NARGS(...) (sizeof((const mw_val[]){__VA_ARGS__}) / sizeof(mw_val))
#define COMPARE(p, fn, want, ...) \
  compare_at(__LINE__, (p), (fn), ARGS(__VA_ARGS__), NARGS(__VA_ARGS__), (want))

static mw_val u32v(uint32_t x) { return mw_val_i32((int32_t)x); }
static mw_val u64v(uint64_t x) { return mw_val_i64((int64_t)x); }

static void test_integers(const prog *p) {
  static const uint32_t sort_cases[][2] = {
      {1, 1000}, {12345, 4096}, {0xdeadbeef, 1}, {7, 0}, {42, 2}, {3, 257}};
  for (size_t i = 0; i < sizeof sort_cases / sizeof sort_cases[0]; i++) {
    uint32_t s = sort_cases[i][0], n = sort_cases[i][1];
    COMPARE(p, "sort_checksum", u32v(native_sort_checksum(s, n)), u32v(s), u32v(n));
  }
  /* A sorted array of more than one element gives a nonzero checksum. */
  CHECK(native_sort_checksum(12345, 4096) != 0);

  static const uint32_t hash_cases[][2] = {{0, 0}, {1, 1}, {1, 100}, {99, 4096}, {7, 3}};
  for (size_t i = 0; i < sizeof hash_cases / sizeof hash_cases[0]; i++) {
    uint32_t s = hash_cases[i][0], n = hash_cases[i][1];
    COMPARE(p, "fnv1a", u32v(native_fnv1a(s, n)), u32v(s), u32v(n));
    COMPARE(p, "crc32", u32v(native_crc32(s, n)), u32v(s), u32v(n));
  }
  /* Independent anchors: the FNV offset basis, the CRC of nothing. */
  COMPARE(p, "fnv1a", u32v(2166136261u), u32v(5), u32v(0));
  COMPARE(p, "crc32", u32v(0), u32v(5), u32v(0));

  COMPARE(p, "xorshift64", u64v(native_xorshift64(0, 1000)), u64v(0), u32v(1000));
  COMPARE(p, "xorshift64", u64v(native_xorshift64(1, 1)), u64v(1), u32v(1));
  COMPARE(p, "xorshift64", u64v(native_xorshift64(0x0123456789abcdefull, 100000)),
          u64v(0x0123456789abcdefull), u32v(100000));

  /* pi(n), the number of primes below n: also known independently. */
  static const uint32_t primes[][2] = {{2, 0}, {3, 1}, {100, 25}, {4096, 564}};
  for (size_t i = 0; i < sizeof primes / sizeof primes[0]; i++) {
    COMPARE(p, "primes_below", u32v(primes[i][1]), u32v(primes[i][0]));
    CHECK(native_primes_below(primes[i][0]) == primes[i][1]);
  }

  COMPARE(p, "gcd_sum", u64v(6), u64v(48), u64v(18), u32v(1));
  COMPARE(p, "gcd_sum", u64v(native_gcd_sum(12345678901ull, 98765432109ull, 500)),
          u64v(12345678901ull), u64v(98765432109ull), u32v(500));

  static const int64_t mix[][2] = {{0, 0},
                                   {1, -1},
                                   {-7, 2},
                                   {INT64_MIN, -1},
                                   {INT64_MIN, 7},
                                   {INT64_MAX, -3},
                                   {0x0123456789abcdefll, 0x40},
                                   {-0x0123456789abcdefll, 63}};
  for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++)
    COMPARE(p, "i64_mix", mw_val_i64(native_i64_mix(mix[i][0], mix[i][1])),
            mw_val_i64(mix[i][0]), mw_val_i64(mix[i][1]));

  /* Naive recursion: 2^20 calls for fib(20) = 6765. */
  COMPARE(p, "fib", u32v(6765), u32v(20));
  COMPARE(p, "fib", u32v(native_fib(24)), u32v(24));

  /* 27 takes 111 steps; 837799 climbs past 2^32 on its way down. */
  COMPARE(p, "collatz_max", u64v(111ull << 32), u32v(27), u32v(1));
  COMPARE(p, "collatz_max", u64v(native_collatz_max(837799, 3)), u32v(837799), u32v(3));
  COMPARE(p, "collatz_max", u64v(native_collatz_max(1, 1000)), u32v(1), u32v(1000));
}

static void test_floats(const prog *p) {
  static const uint32_t basel[] = {1, 2, 1000, 100000};
  for (size_t i = 0; i < sizeof basel / sizeof basel[0]; i++)
    COMPARE(p, "basel", mw_val_f64(native_basel(basel[i])), u32v(basel[i]));
  COMPARE(p, "basel", mw_val_f64(1.0), u32v(1));

  static const double roots[] = {2.0, 1e-300, 1e300, 0.0, -0.0, -1.0, 0.25, 12345.678};
  for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
    COMPARE(p, "newton_sqrt", mw_val_f64(native_newton_sqrt(roots[i])), mw_val_f64(roots[i]));

  static const uint32_t mats[][2] = {{1, 1}, {4, 7}, {16, 12345}, {9, 0}};
  for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
    COMPARE(p, "matmul", mw_val_f64(native_matmul(mats[i][0], mats[i][1])), u32v(mats[i][0]),
            u32v(mats[i][1]));

  static const float xs[] = {1.0f, -3.5f, 0.1f, 10.0f};
  static const uint32_t terms[] = {12, 30, 5, 40};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
    COMPARE(p, "f32_poly", mw_val_f32(native_f32_poly(xs[i], terms[i])), mw_val_f32(xs[i]),
            u32v(terms[i]));

  static const double cs[][2] = {{-0.5, 0.5}, {0.3, 0.5}, {-2.0, 0.0}, {1.0, 1.0}, {-0.75, 0.1}};
  for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
    COMPARE(p, "mandel", mw_val_f64(native_mandel(cs[i][0], cs[i][1], 500)), mw_val_f64(cs[i][0]),
            mw_val_f64(cs[i][1]), u32v(500));
}

/* The kernels of the kinds other engines are benchmarked with, at small
 * sizes; where the answer is known independently, against that too. */
static void test_new_kernels(const prog *p) {
  static const uint32_t steps[] = {0, 1, 1000};
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    COMPARE(p, "nbody", mw_val_f64(native_nbody(steps[i])), u32v(steps[i]));
  /* the integrator nearly conserves energy */
  double e0 = native_nbody(0), drift = native_nbody(1000) - e0;
  CHECK(e0 < 0 && drift < 1e-6 && drift > -1e-6);

  COMPARE(p, "spectral_norm", mw_val_f64(0.0), u32v(0));
  COMPARE(p, "spectral_norm", mw_val_f64(1.0), u32v(1)); /* A = (1) */
  COMPARE(p, "spectral_norm", mw_val_f64(native_spectral_norm(2)), u32v(2));
  COMPARE(p, "spectral_norm", mw_val_f64(native_spectral_norm(30)), u32v(30));

  /* the most flips for n = 1..7: OEIS A000375 */
  static const uint32_t max_flips[] = {0, 1, 2, 4, 7, 10, 16};
  for (uint32_t n = 1; n <= 7; n++) {
    CHECK((native_fannkuch(n) & 0xFF) == max_flips[n - 1]);
    if (n >= 5) COMPARE(p, "fannkuch", u32v(native_fannkuch(n)), u32v(n));
  }
  COMPARE(p, "fannkuch", u32v(0), u32v(1)); /* one permutation, no flip */

  static const uint32_t heaps[][2] = {{7, 1000}, {1, 1}, {3, 0}, {42, 2}, {5, 4096}};
  for (size_t i = 0; i < sizeof heaps / sizeof heaps[0]; i++) {
    uint32_t s = heaps[i][0], n = heaps[i][1];
    /* heapsort and quicksort sort alike: the same checksum */
    CHECK(native_heapsort(s, n) == native_sort_checksum(s, n));
    COMPARE(p, "heapsort", u32v(native_heapsort(s, n)), u32v(s), u32v(n));
  }

  static const uint32_t vm_steps[] = {0, 1, 17, 100, 20000};
  for (size_t i = 0; i < sizeof vm_steps / sizeof vm_steps[0]; i++)
    COMPARE(p, "bytecode_vm", u32v(native_bytecode_vm(vm_steps[i])), u32v(vm_steps[i]));

  /* keys k0..k(n-1) are looked up as k0, k3, ...: ceil(n/3) hits */
  static const uint32_t ht_n[] = {0, 1, 30, 2000};
  for (size_t i = 0; i < sizeof ht_n / sizeof ht_n[0]; i++) {
    CHECK(native_hash_table(ht_n[i]) >> 20 == (ht_n[i] + 2) / 3);
    COMPARE(p, "hash_table", u32v(native_hash_table(ht_n[i])), u32v(ht_n[i]));
  }

  /* ack(0, n) = n + 1, ack(1, n) = n + 2, ack(2, n) = 2n + 3,
   * ack(3, n) = 2^(n+3) - 3 */
  COMPARE(p, "ackermann", u32v(8), u32v(0), u32v(7));
  COMPARE(p, "ackermann", u32v(7), u32v(1), u32v(5));
  COMPARE(p, "ackermann", u32v(103), u32v(2), u32v(50));
  COMPARE(p, "ackermann", u32v(125), u32v(3), u32v(4));
  COMPARE(p, "ackermann", u32v(509), u32v(3), u32v(6));

  const uint64_t p61 = (1ull << 61) - 1;
  COMPARE(p, "powmod61", u64v(1), u64v(3), u64v(p61 - 1)); /* Fermat */
  COMPARE(p, "powmod61", u64v(1), u64v(2), u64v(61));      /* 2^61 = p + 1 */
  COMPARE(p, "powmod61", u64v(1ull << 60), u64v(2), u64v(60));
  COMPARE(p, "powmod61", u64v(5), u64v(p61 + 5), u64v(1));
  COMPARE(p, "powmod61", u64v(1), u64v(0), u64v(0));
  COMPARE(p, "powmod61", u64v(native_powmod61(0xfedcba9876543210ull, 0x0123456789abcdefull)),
          u64v(0xfedcba9876543210ull), u64v(0x0123456789abcdefull));
  CHECK(native_powmod61(123456789, p61 - 1) == 1);
  COMPARE(p, "modexp_sum", u64v(native_modexp_sum(1, 50)), u32v(1), u32v(50));

  COMPARE(p, "strops", u32v(native_strops(1, 3)), u32v(1), u32v(3));
  COMPARE(p, "strops", u32v(native_strops(99, 10)), u32v(99), u32v(10));
}

/* The program keeps state in linear memory (the CRC table, the arrays):
 * calls in another order, or again, give the same answers. */
static void test_repeat(const prog *p) {
  uint32_t want = native_crc32(77, 2048);
  COMPARE(p, "sort_checksum", u32v(native_sort_checksum(9, 300)), u32v(9), u32v(300));
  COMPARE(p, "crc32", u32v(want), u32v(77), u32v(2048));
  COMPARE(p, "crc32", u32v(want), u32v(77), u32v(2048));
  /* the hash table's slots from the last call are stale, not found */
  COMPARE(p, "hash_table", u32v(native_hash_table(3)), u32v(3));
  COMPARE(p, "hash_table", u32v(native_hash_table(3)), u32v(3));
}

static void run_variant(const char *name) {
  prog p;
  if (!prog_open(&p, name)) return;
  test_integers(&p);
  test_floats(&p);
  test_new_kernels(&p);
  test_repeat(&p);
  prog_close(&p);
}

static void test_O2(void) { run_variant("prog"); }
static void test_O0(void) { run_variant("prog_O0"); }
static void test_O2_aot(void) {
  aot_mode = true;
  run_variant("prog");
  aot_mode = false;
}
static void test_O0_aot(void) {
  aot_mode = true;
  run_variant("prog_O0");
  aot_mode = false;
}

int main(int argc, char **argv) {
  const char *env = getenv("MW_FIXTURES");
  if (argc > 1)
    fixture_dir = argv[1];
  else if (env && *env)
    fixture_dir = env;
  RUN(test_O2);
  RUN(test_O0);
  const char *cache = getenv("MW_AOT_CACHE");
  if (cache && *cache) aot_cache = cache;
  RUN(test_O2_aot);
  RUN(test_O0_aot);
  return harness_summary();
}
