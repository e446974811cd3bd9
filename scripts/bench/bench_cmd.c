/*
 * bench_cmd.c -- the benchmark kernels (tests/c/wasm/prog.c) as a WASI
 * command, so that other engines can run them beside moonwasm in
 * `make bench EXTRA='name=cmd {}'` (scripts/bench/bench.c).
 *
 *   bench_cmd.wasm KERNEL REPS ARG...
 *
 * runs KERNEL REPS times with the arguments (i32/i64 as integers, f64 as
 * C floats) and prints "BITS NS": the last result as a 64-bit pattern and
 * the nanoseconds the repetitions took by the guest's own monotonic clock
 * (0 if the engine has none), so an engine's start-up and compile time
 * are not counted.  Exit status 2 on a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prog.c"

static uint64_t now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_cmd KERNEL REPS ARG...\n");
    return 2;
  }
  const char *k = argv[1];
  unsigned long reps = strtoul(argv[2], NULL, 10);
  const char *a[3] = {"0", "0", "0"};
  for (int i = 3; i < argc && i < 6; i++) a[i - 3] = argv[i];
  uint32_t u0 = (uint32_t)strtoul(a[0], NULL, 0), u1 = (uint32_t)strtoul(a[1], NULL, 0);
  volatile uint64_t r = 0; /* every repetition's result is used */
  uint64_t t0 = now_ns();
  for (unsigned long i = 0; i < reps; i++) {
    if (!strcmp(k, "fib")) r = fib(u0);
    else if (!strcmp(k, "sort_checksum")) r = sort_checksum(u0, u1);
    else if (!strcmp(k, "crc32")) r = crc32(u0, u1);
    else if (!strcmp(k, "fnv1a")) r = fnv1a(u0, u1);
    else if (!strcmp(k, "primes_below")) r = primes_below(u0);
    else if (!strcmp(k, "xorshift64")) r = xorshift64(strtoull(a[0], NULL, 0), u1);
    else if (!strcmp(k, "collatz_max")) r = collatz_max(u0, u1);
    else if (!strcmp(k, "matmul")) r = f64_bits(matmul(u0, u1));
    else if (!strcmp(k, "mandel"))
      r = f64_bits(mandel(strtod(a[0], NULL), strtod(a[1], NULL),
                          (uint32_t)strtoul(a[2], NULL, 0)));
    else if (!strcmp(k, "basel")) r = f64_bits(basel(u0));
    else if (!strcmp(k, "nbody")) r = f64_bits(nbody(u0));
    else if (!strcmp(k, "spectral_norm")) r = f64_bits(spectral_norm(u0));
    else if (!strcmp(k, "fannkuch")) r = fannkuch(u0);
    else if (!strcmp(k, "heapsort")) r = heapsort(u0, u1);
    else if (!strcmp(k, "bytecode_vm")) r = bytecode_vm(u0);
    else if (!strcmp(k, "hash_table")) r = hash_table(u0);
    else if (!strcmp(k, "ackermann")) r = ackermann(u0, u1);
    else if (!strcmp(k, "modexp_sum")) r = modexp_sum(u0, u1);
    else if (!strcmp(k, "strops")) r = strops(u0, u1);
    else {
      fprintf(stderr, "bench_cmd: unknown kernel %s\n", k);
      return 2;
    }
  }
  uint64_t t1 = now_ns();
  printf("%llu %llu\n", (unsigned long long)r, (unsigned long long)(t0 && t1 ? t1 - t0 : 0));
  return 0;
}
