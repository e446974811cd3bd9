/*
 * prog.c -- a real program for the interpreter: sorting, hashing, integer
 * and floating-point kernels, with no libc.  Built to wasm by clang
 * (-nostdlib, one export per function) and natively for comparison; see
 * prog.h.  Everything is deterministic and uses only operations that wasm
 * and the host compute bit-identically (no libm, no fused multiply-add).
 */
#include "prog.h"

#ifdef PROG_PREFIX
#define EXPORT(n)
#else
#define EXPORT(n) __attribute__((export_name(#n)))
#endif

#define MAXN 4096
static uint32_t work[MAXN];
static uint8_t bytes[MAXN];

static uint32_t lcg(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  return *s;
}

static void fill_bytes(uint32_t seed, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) bytes[i] = (uint8_t)(lcg(&seed) >> 24);
}

/* Quicksort, Lomuto partition, recursing into the smaller half. */
static void quicksort(uint32_t *a, int32_t lo, int32_t hi) {
  while (lo < hi) {
    uint32_t pivot = a[lo + (hi - lo) / 2];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

/* Sort n LCG numbers; a position-weighted checksum, or 0 if unsorted. */
EXPORT(sort_checksum)
uint32_t PROG_NAME(sort_checksum)(uint32_t seed, uint32_t n) {
  if (n > MAXN) n = MAXN;
  for (uint32_t i = 0; i < n; i++) work[i] = lcg(&seed);
  quicksort(work, 0, (int32_t)n - 1);
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (i > 0 && work[i - 1] > work[i]) return 0;
    sum = sum * 31u + work[i] * (i + 1);
  }
  return sum;
}

EXPORT(fnv1a)
uint32_t PROG_NAME(fnv1a)(uint32_t seed, uint32_t len) {
  if (len > MAXN) len = MAXN;
  fill_bytes(seed, len);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < len; i++) {
    h ^= bytes[i];
    h *= 16777619u;
  }
  return h;
}

/* CRC-32 (IEEE, reflected), with its table computed on first use. */
static uint32_t crc_table[256];
static int crc_ready;

EXPORT(crc32)
uint32_t PROG_NAME(crc32)(uint32_t seed, uint32_t len) {
  if (!crc_ready) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
    crc_ready = 1;
  }
  if (len > MAXN) len = MAXN;
  fill_bytes(seed, len);
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < len; i++) c = crc_table[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

EXPORT(xorshift64)
uint64_t PROG_NAME(xorshift64)(uint64_t seed, uint32_t rounds) {
  uint64_t x = seed ? seed : 88172645463325252ull;
  for (uint32_t i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

/* Sieve of Eratosthenes over the byte buffer. */
EXPORT(primes_below)
uint32_t PROG_NAME(primes_below)(uint32_t n) {
  if (n > MAXN) n = MAXN;
  uint32_t count = 0;
  for (uint32_t i = 0; i < n; i++) bytes[i] = i >= 2;
  for (uint32_t i = 2; i < n; i++) {
    if (!bytes[i]) continue;
    count++;
    for (uint32_t j = i * i; j < n; j += i) bytes[j] = 0;
  }
  return count;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
  while (b) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

EXPORT(gcd_sum)
uint64_t PROG_NAME(gcd_sum)(uint64_t a, uint64_t b, uint32_t n) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    sum += gcd(a + i * 7919u, b + i * 104729u);
    a = a * 6364136223846793005ull + 1442695040888963407ull;
    b ^= a >> 11;
  }
  return sum;
}

/* Signed 64-bit division, remainder, shifts and a wrapping multiply. */
EXPORT(i64_mix)
int64_t PROG_NAME(i64_mix)(int64_t a, int64_t b) {
  if (b == 0) b = 1;
  if (a == INT64_MIN && b == -1) b = 3;
  int64_t q = a / b, r = a % b;
  uint64_t m = (uint64_t)a * 0x9E3779B97F4A7C15ull;
  int64_t s = a >> (b & 63); /* arithmetic shift of a signed value */
  return (int64_t)(m ^ (uint64_t)q) + r - s + (int64_t)((uint64_t)b << 3);
}

EXPORT(collatz_max)
uint64_t PROG_NAME(collatz_max)(uint32_t start, uint32_t count) {
  uint64_t best = 0;
  for (uint32_t k = 0; k < count; k++) {
    uint64_t x = (uint64_t)start + k, steps = 0;
    while (x != 1 && x != 0) {
      x = (x & 1) ? 3 * x + 1 : x / 2;
      steps++;
    }
    best = best < ((steps << 32) | k) ? ((steps << 32) | k) : best;
  }
  return best;
}

/* Sum of 1/k^2, k = 1..n (converges to pi^2/6), summed from the small end. */
EXPORT(basel)
double PROG_NAME(basel)(uint32_t n) {
  double s = 0.0;
  for (uint32_t k = n; k >= 1; k--) s += 1.0 / ((double)k * (double)k);
  return s;
}

/* Newton's method for sqrt, stopping when the iterate stops changing. */
EXPORT(newton_sqrt)
double PROG_NAME(newton_sqrt)(double x) {
  if (!(x > 0.0)) return x == 0.0 ? x : (x - x) / (x - x);
  double g = x > 1.0 ? x / 2.0 : 1.0;
  for (int i = 0; i < 200; i++) {
    double next = 0.5 * (g + x / g);
    if (next == g) break;
    g = next;
  }
  return g;
}

/* C = A * B for n x n matrices of LCG values in [-1, 1); returns the sum
 * of C weighted by position, plus the built-in sqrt of its trace. */
static double ma[16 * 16], mb[16 * 16], mc[16 * 16];

EXPORT(matmul)
double PROG_NAME(matmul)(uint32_t n, uint32_t seed) {
  if (n > 16) n = 16;
  for (uint32_t i = 0; i < n * n; i++) {
    ma[i] = (double)(int32_t)lcg(&seed) / 2147483648.0;
    mb[i] = (double)(int32_t)lcg(&seed) / 2147483648.0;
  }
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < n; j++) {
      double s = 0.0;
      for (uint32_t k = 0; k < n; k++) s += ma[i * n + k] * mb[k * n + j];
      mc[i * n + j] = s;
    }
  double sum = 0.0, trace = 0.0;
  for (uint32_t i = 0; i < n * n; i++) sum += mc[i] * (double)(i % 7 + 1);
  for (uint32_t i = 0; i < n; i++) trace += mc[i * n + i];
  return sum + __builtin_sqrt(trace < 0 ? -trace : trace);
}

/* Single precision: the Taylor series of exp(x), term by term in float. */
EXPORT(f32_poly)
float PROG_NAME(f32_poly)(float x, uint32_t terms) {
  float sum = 1.0f, term = 1.0f;
  for (uint32_t k = 1; k < terms; k++) {
    term = term * x / (float)k;
    sum += term;
  }
  return sum;
}

/* Escape-time iteration of z^2 + c; returns |z|^2 at exit plus the count. */
EXPORT(mandel)
double PROG_NAME(mandel)(double cx, double cy, uint32_t iters) {
  double x = 0.0, y = 0.0;
  uint32_t i = 0;
  for (; i < iters; i++) {
    double xx = x * x, yy = y * y;
    if (xx + yy > 4.0) break;
    y = 2.0 * x * y + cy;
    x = xx - yy + cx;
  }
  return x * x + y * y + (double)i;
}

/* Naive recursion: mostly call and return, the interpreter's call path. */
static uint32_t fib_rec(uint32_t n) {
  return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2);
}

EXPORT(fib)
uint32_t PROG_NAME(fib)(uint32_t n) { return fib_rec(n); }
