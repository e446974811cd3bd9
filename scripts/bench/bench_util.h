/*
 * bench_util.h -- what the C benchmarks of scripts/bench share: reading a
 * file, a monotonic clock, and (with BENCH_PROG_KERNELS defined first) the
 * kernels of tests/c/wasm/prog.c with their native builds and arguments,
 * so that `make bench` and `make bench-aot` time the same work.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moonwasm.h"

/* Wall-clock seconds. */
static inline double bench_wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The whole file, malloc'ed (one spare byte), or NULL. */
static inline uint8_t *bench_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)))
      *len = fread(buf, 1, (size_t)n, f);
  }
  fclose(f);
  return buf;
}

#ifdef BENCH_PROG_KERNELS
#define PROG_PREFIX native_
#include "prog.h"

/* A kernel of prog.c: its export, repetitions per measurement, arguments,
 * and the native build returning the result as bits (compared with the
 * wasm result: a fast wrong answer is not a result). */
typedef struct kernel {
  const char *name;
  unsigned reps;
  unsigned nargs;
  mw_val args[3];
  uint64_t (*native)(const mw_val *args);
  int unseen; /* 1: a kernel of the kinds others benchmark, not tuned for */
} kernel;

static inline uint64_t bench_f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

/* A result as the bits native code returns. */
static inline uint64_t bench_val_bits(mw_val v) {
  switch (v.type) {
  case MW_I32: return (uint32_t)v.of.i32;
  case MW_F32: return v.of.f32_bits;
  case MW_F64: return v.of.f64_bits;
  default: return (uint64_t)v.of.i64;
  }
}

#define U32(i) ((uint32_t)a[i].of.i32)
static inline uint64_t n_fib(const mw_val *a) { return native_fib(U32(0)); }
static inline uint64_t n_sort(const mw_val *a) { return native_sort_checksum(U32(0), U32(1)); }
static inline uint64_t n_crc(const mw_val *a) { return native_crc32(U32(0), U32(1)); }
static inline uint64_t n_fnv(const mw_val *a) { return native_fnv1a(U32(0), U32(1)); }
static inline uint64_t n_primes(const mw_val *a) { return native_primes_below(U32(0)); }
static inline uint64_t n_xorshift(const mw_val *a) {
  return native_xorshift64((uint64_t)a[0].of.i64, U32(1));
}
static inline uint64_t n_collatz(const mw_val *a) { return native_collatz_max(U32(0), U32(1)); }
static inline uint64_t n_matmul(const mw_val *a) {
  return bench_f64_bits(native_matmul(U32(0), U32(1)));
}
static inline uint64_t n_mandel(const mw_val *a) {
  return bench_f64_bits(native_mandel(mw_val_as_f64(a[0]), mw_val_as_f64(a[1]), U32(2)));
}
static inline uint64_t n_basel(const mw_val *a) { return bench_f64_bits(native_basel(U32(0))); }
static inline uint64_t n_nbody(const mw_val *a) { return bench_f64_bits(native_nbody(U32(0))); }
static inline uint64_t n_spectral(const mw_val *a) {
  return bench_f64_bits(native_spectral_norm(U32(0)));
}
static inline uint64_t n_fannkuch(const mw_val *a) { return native_fannkuch(U32(0)); }
static inline uint64_t n_heapsort(const mw_val *a) { return native_heapsort(U32(0), U32(1)); }
static inline uint64_t n_vm(const mw_val *a) { return native_bytecode_vm(U32(0)); }
static inline uint64_t n_hash(const mw_val *a) { return native_hash_table(U32(0)); }
static inline uint64_t n_ack(const mw_val *a) { return native_ackermann(U32(0), U32(1)); }
static inline uint64_t n_modexp(const mw_val *a) { return native_modexp_sum(U32(0), U32(1)); }
static inline uint64_t n_strops(const mw_val *a) { return native_strops(U32(0), U32(1)); }
#undef U32

/* The kernels in the order the tables print them (an initializer: the
 * mw_val constructors are functions). */
#define BENCH_KERNELS                                                                         \
  {                                                                                           \
    {"fib", 3, 1, {mw_val_i32(27)}, n_fib, 0},                                                \
    {"sort_checksum", 300, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_sort, 0},                  \
    {"crc32", 3000, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_crc, 0},                          \
    {"fnv1a", 3000, 2, {mw_val_i32(7), mw_val_i32(4096)}, n_fnv, 0},                          \
    {"primes_below", 3000, 1, {mw_val_i32(4096)}, n_primes, 0},                               \
    {"xorshift64", 3, 2, {mw_val_i64(88172645463325252LL), mw_val_i32(3000000)}, n_xorshift, 0}, \
    {"collatz_max", 3, 2, {mw_val_i32(1), mw_val_i32(30000)}, n_collatz, 0},                  \
    {"matmul", 1000, 2, {mw_val_i32(16), mw_val_i32(3)}, n_matmul, 0},                        \
    {"mandel", 3, 3, {mw_val_f64(-0.1), mw_val_f64(0.1), mw_val_i32(3000000)}, n_mandel, 0},  \
    {"basel", 3, 1, {mw_val_i32(3000000)}, n_basel, 0},                                       \
    {"nbody", 2, 1, {mw_val_i32(250000)}, n_nbody, 1},                                        \
    {"spectral_norm", 3, 1, {mw_val_i32(500)}, n_spectral, 1},                                \
    {"fannkuch", 2, 1, {mw_val_i32(9)}, n_fannkuch, 1},                                       \
    {"heapsort", 6, 2, {mw_val_i32(7), mw_val_i32(65536)}, n_heapsort, 1},                    \
    {"bytecode_vm", 3, 1, {mw_val_i32(8000000)}, n_vm, 1},                                    \
    {"hash_table", 150, 1, {mw_val_i32(8192)}, n_hash, 1},                                    \
    {"ackermann", 300, 2, {mw_val_i32(3), mw_val_i32(6)}, n_ack, 1},                          \
    {"modexp_sum", 3, 2, {mw_val_i32(1), mw_val_i32(30000)}, n_modexp, 1},                    \
    {"strops", 3, 2, {mw_val_i32(1), mw_val_i32(1200)}, n_strops, 1},                         \
  }
#endif /* BENCH_PROG_KERNELS */

#endif
