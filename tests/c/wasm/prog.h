/*
 * prog.h -- the exports of prog.c.  Built twice: to wasm (exported under
 * these names) and natively with -DPROG_PREFIX=native_ (every name
 * prefixed), so test_program.c can run both and compare.
 */
#ifndef PROG_H
#define PROG_H

#include <stdint.h>

#ifdef PROG_PREFIX
#define PROG_CAT2(a, b) a##b
#define PROG_CAT(a, b) PROG_CAT2(a, b)
#define PROG_NAME(n) PROG_CAT(PROG_PREFIX, n)
#else
#define PROG_NAME(n) n
#endif

uint32_t PROG_NAME(sort_checksum)(uint32_t seed, uint32_t n);
uint32_t PROG_NAME(fnv1a)(uint32_t seed, uint32_t len);
uint32_t PROG_NAME(crc32)(uint32_t seed, uint32_t len);
uint64_t PROG_NAME(xorshift64)(uint64_t seed, uint32_t rounds);
uint32_t PROG_NAME(primes_below)(uint32_t n);
uint64_t PROG_NAME(gcd_sum)(uint64_t a, uint64_t b, uint32_t n);
int64_t PROG_NAME(i64_mix)(int64_t a, int64_t b);
uint64_t PROG_NAME(collatz_max)(uint32_t start, uint32_t count);
double PROG_NAME(basel)(uint32_t n);
double PROG_NAME(newton_sqrt)(double x);
double PROG_NAME(matmul)(uint32_t n, uint32_t seed);
float PROG_NAME(f32_poly)(float x, uint32_t terms);
double PROG_NAME(mandel)(double cx, double cy, uint32_t iters);
uint32_t PROG_NAME(fib)(uint32_t n);
/* Kernels of the kinds other engines are benchmarked with. */
double PROG_NAME(nbody)(uint32_t steps);
double PROG_NAME(spectral_norm)(uint32_t n);
uint32_t PROG_NAME(fannkuch)(uint32_t n);
uint32_t PROG_NAME(heapsort)(uint32_t seed, uint32_t n);
uint32_t PROG_NAME(bytecode_vm)(uint32_t steps);
uint32_t PROG_NAME(hash_table)(uint32_t n);
uint32_t PROG_NAME(ackermann)(uint32_t m, uint32_t n);
uint64_t PROG_NAME(powmod61)(uint64_t base, uint64_t e);
uint64_t PROG_NAME(modexp_sum)(uint32_t seed, uint32_t n);
uint32_t PROG_NAME(strops)(uint32_t seed, uint32_t rounds);

#endif
