/*
 * bench.c -- `make bench`: the kernels of tests/c/wasm/prog.c, compiled by
 * the same clang to wasm32 and natively, run side by side in one process,
 * and reported as the ratio wasm time / native time (lower is better).
 *
 * Each kernel runs a fixed number of repetitions; a measurement is the
 * best of several runs, which filters most of a noisy machine's hiccups.
 * Results of the two builds are compared too: a fast wrong answer is not
 * a result.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moonwasm.h"
#define PROG_PREFIX native_
#include "prog.h"

#define RUNS 5

typedef struct kernel {
  const char *name;
  unsigned reps;
  unsigned nargs;
  mw_val args[3];
  uint64_t (*native)(const mw_val *args); /* result as bits */
} kernel;

static uint64_t n_fib(const mw_val *a) { return native_fib((uint32_t)a[0].of.i32); }
static uint64_t n_sort(const mw_val *a) {
  return native_sort_checksum((uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32);
}
static uint64_t n_crc(const mw_val *a) {
  return native_crc32((uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32);
}
static uint64_t n_fnv(const mw_val *a) {
  return native_fnv1a((uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32);
}
static uint64_t n_primes(const mw_val *a) { return native_primes_below((uint32_t)a[0].of.i32); }
static uint64_t n_xorshift(const mw_val *a) {
  return native_xorshift64((uint64_t)a[0].of.i64, (uint32_t)a[1].of.i32);
}
static uint64_t n_collatz(const mw_val *a) {
  return native_collatz_max((uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32);
}
static uint64_t bits_of(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}
static uint64_t n_matmul(const mw_val *a) {
  return bits_of(native_matmul((uint32_t)a[0].of.i32, (uint32_t)a[1].of.i32));
}
static uint64_t n_mandel(const mw_val *a) {
  return bits_of(native_mandel(mw_val_as_f64(a[0]), mw_val_as_f64(a[1]),
                               (uint32_t)a[2].of.i32));
}
static uint64_t n_basel(const mw_val *a) { return bits_of(native_basel((uint32_t)a[0].of.i32)); }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t val_bits(mw_val v) {
  switch (v.type) {
  case MW_I32: return (uint32_t)v.of.i32;
  case MW_F32: return v.of.f32_bits;
  case MW_F64: return v.of.f64_bits;
  default: return (uint64_t)v.of.i64;
  }
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
      *len = fread(buf, 1, (size_t)n, f);
    }
  }
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "build/wasm/bench_prog.wasm";
  size_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "bench: cannot read %s\n", path);
    return 1;
  }
  mw_module *mod = NULL;
  mw_store *store = mw_store_new(NULL);
  mw_instance *inst = NULL;
  double t0 = now();
  mw_error *err = mw_module_decode(NULL, bytes, len, &mod);
  if (!err) err = mw_module_validate(mod);
  double t_load = now() - t0;
  if (!err) err = mw_instantiate(store, mod, &inst);
  if (err) {
    fprintf(stderr, "bench: %s: %s\n", path, mw_error_message(err));
    return 1;
  }

  const kernel kernels[] = {
      {"fib", 3, 1, {mw_val_i32(27)}, n_fib},
      {"sort_checksum", 300, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_sort},
      {"crc32", 3000, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_crc},
      {"fnv1a", 3000, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_fnv},
      {"primes_below", 3000, 1, {mw_val_i32(4096)}, n_primes},
      {"xorshift64", 3, 2, {mw_val_i64(88172645463325252LL), mw_val_i32(3000000)}, n_xorshift},
      {"collatz_max", 3, 2, {mw_val_i32(1), mw_val_i32(30000)}, n_collatz},
      {"matmul", 1000, 2, {mw_val_i32(16), mw_val_i32(3)}, n_matmul},
      {"mandel", 3, 3, {mw_val_f64(-0.1), mw_val_f64(0.1), mw_val_i32(3000000)}, n_mandel},
      {"basel", 3, 1, {mw_val_i32(3000000)}, n_basel},
  };
  size_t nk = sizeof kernels / sizeof kernels[0];
  double log_sum = 0;
  int bad = 0;

  printf("moonwasm bench: %s (decode+validate %.2f ms)\n", path, t_load * 1e3);
  printf("%-14s %12s %12s %9s\n", "kernel", "native ms", "wasm ms", "ratio");
  for (size_t k = 0; k < nk; k++) {
    const kernel *kn = &kernels[k];
    mw_extern ext;
    if (!mw_instance_export(inst, kn->name, strlen(kn->name), &ext) ||
        ext.kind != MW_EXTERN_FUNC) {
      fprintf(stderr, "bench: no export %s\n", kn->name);
      return 1;
    }
    double best_native = INFINITY, best_wasm = INFINITY;
    uint64_t want = 0, got = 0;
    for (int run = 0; run < RUNS; run++) {
      double t = now();
      for (unsigned r = 0; r < kn->reps; r++) want = kn->native(kn->args);
      double dn = now() - t;
      mw_val res;
      t = now();
      for (unsigned r = 0; r < kn->reps && !err; r++)
        err = mw_func_call(store, ext.of.func, kn->args, kn->nargs, &res, 1);
      double dw = now() - t;
      if (err) {
        fprintf(stderr, "bench: %s: %s\n", kn->name, mw_error_message(err));
        return 1;
      }
      got = val_bits(res);
      if (dn < best_native) best_native = dn;
      if (dw < best_wasm) best_wasm = dw;
    }
    double ratio = best_wasm / best_native;
    log_sum += log(ratio);
    printf("%-14s %12.2f %12.2f %8.1fx%s\n", kn->name, best_native * 1e3,
           best_wasm * 1e3, ratio, got == want ? "" : "  WRONG RESULT");
    bad |= got != want;
  }
  printf("%-14s %12s %12s %8.1fx\n", "geomean", "", "", exp(log_sum / (double)nk));
  mw_store_free(store);
  mw_module_release(mod);
  free(bytes);
  return bad;
}
