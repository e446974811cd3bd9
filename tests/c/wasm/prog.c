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

/* ------------------------------------------------------------------------
 * Kernels of the kinds other people benchmark wasm engines with, written
 * here to be run beside the ones above: floating-point physics, a matrix
 * power method, permutations, a heap, an interpreter, a string hash table,
 * deep recursion, 64-bit modular arithmetic and byte-string loops.
 * ------------------------------------------------------------------------ */

/* Five point masses under pairwise gravity (G = 1), advanced by a
 * symplectic Euler step; returns the total energy (kinetic minus
 * potential) at the end.  A heavy body at rest has four light ones on
 * roughly circular orbits of radius 1..4 in tilted planes around it. */
typedef struct body {
  double x, y, z, vx, vy, vz, mass;
} body;

static body bodies[5];

static double nbody_energy(void) {
  double e = 0.0;
  for (int i = 0; i < 5; i++) {
    const body *b = &bodies[i];
    e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < 5; j++) {
      double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
      e -= b->mass * bodies[j].mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

EXPORT(nbody)
double PROG_NAME(nbody)(uint32_t steps) {
  /* circular speed sqrt(M / r) for M = 10, r = 1..4 */
  static const double speed[4] = {3.16227766, 2.23606798, 1.82574186, 1.58113883};
  bodies[0] = (body){0, 0, 0, 0, 0, 0, 10.0};
  for (int i = 1; i < 5; i++) {
    double r = (double)i, tilt = 0.05 * i, v = speed[i - 1];
    bodies[i] = (body){r, 0, 0, 0, v, tilt * v, 0.001 * i};
  }
  const double dt = 0.001;
  for (uint32_t s = 0; s < steps; s++) {
    for (int i = 0; i < 5; i++) {
      body *a = &bodies[i];
      for (int j = i + 1; j < 5; j++) {
        body *b = &bodies[j];
        double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = dt / (d2 * __builtin_sqrt(d2));
        a->vx -= dx * b->mass * mag;
        a->vy -= dy * b->mass * mag;
        a->vz -= dz * b->mass * mag;
        b->vx += dx * a->mass * mag;
        b->vy += dy * a->mass * mag;
        b->vz += dz * a->mass * mag;
      }
    }
    for (int i = 0; i < 5; i++) {
      bodies[i].x += dt * bodies[i].vx;
      bodies[i].y += dt * bodies[i].vy;
      bodies[i].z += dt * bodies[i].vz;
    }
  }
  return nbody_energy();
}

/* The largest singular value of the infinite matrix
 * A(i,j) = 1 / ((i+j)(i+j+1)/2 + i + 1), cut to n x n, by ten rounds of
 * the power method on A'A. */
#define SN_MAX 1000
static double sn_u[SN_MAX], sn_v[SN_MAX], sn_t[SN_MAX];

static double sn_a(uint32_t i, uint32_t j) {
  return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

/* out = A' A in, with tmp = A in on the way. */
static void sn_ata(uint32_t n, const double *in, double *tmp, double *out) {
  for (uint32_t i = 0; i < n; i++) {
    double s = 0.0;
    for (uint32_t j = 0; j < n; j++) s += sn_a(i, j) * in[j];
    tmp[i] = s;
  }
  for (uint32_t i = 0; i < n; i++) {
    double s = 0.0;
    for (uint32_t j = 0; j < n; j++) s += sn_a(j, i) * tmp[j];
    out[i] = s;
  }
}

EXPORT(spectral_norm)
double PROG_NAME(spectral_norm)(uint32_t n) {
  if (n > SN_MAX) n = SN_MAX;
  if (n == 0) return 0.0;
  for (uint32_t i = 0; i < n; i++) sn_u[i] = 1.0;
  for (int r = 0; r < 10; r++) {
    sn_ata(n, sn_u, sn_t, sn_v);
    sn_ata(n, sn_v, sn_t, sn_u);
  }
  double uv = 0.0, vv = 0.0;
  for (uint32_t i = 0; i < n; i++) {
    uv += sn_u[i] * sn_v[i];
    vv += sn_v[i] * sn_v[i];
  }
  return __builtin_sqrt(uv / vv);
}

/* Pancake flipping: for every permutation of 0..n-1 (Heap's algorithm),
 * reverse the first p[0]+1 elements until 0 comes first.  Returns the
 * total number of flips (mod 2^24) shifted left 8, or'ed with the largest
 * count (OEIS A000375 for n = 1..). */
EXPORT(fannkuch)
uint32_t PROG_NAME(fannkuch)(uint32_t n) {
  uint8_t perm[16], work_p[16], c[16];
  if (n > 10) n = 10;
  if (n == 0) return 0;
  for (uint32_t i = 0; i < n; i++) {
    perm[i] = (uint8_t)i;
    c[i] = 0;
  }
  uint32_t max_flips = 0, total = 0;
  uint32_t i = 1;
  for (;;) {
    /* count the flips of the current permutation */
    for (uint32_t k = 0; k < n; k++) work_p[k] = perm[k];
    uint32_t flips = 0;
    for (uint32_t first = work_p[0]; first != 0; first = work_p[0]) {
      for (uint32_t lo = 0, hi = first; lo < hi; lo++, hi--) {
        uint8_t t = work_p[lo];
        work_p[lo] = work_p[hi];
        work_p[hi] = t;
      }
      flips++;
    }
    total += flips;
    if (flips > max_flips) max_flips = flips;
    /* the next permutation */
    while (i < n && c[i] >= i) c[i++] = 0;
    if (i >= n) break;
    uint32_t s = (i & 1) ? c[i] : 0;
    uint8_t t = perm[s];
    perm[s] = perm[i];
    perm[i] = t;
    c[i]++;
    i = 1;
  }
  return ((total & 0xFFFFFFu) << 8) | max_flips;
}

/* Heapsort of n LCG numbers (sift-down, no recursion); the same checksum
 * as sort_checksum, or 0 if the result is not sorted. */
#define HEAP_MAX 65536
static uint32_t heap[HEAP_MAX];

static void sift_down(uint32_t *a, uint32_t root, uint32_t n) {
  uint32_t v = a[root];
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= n) break;
    if (child + 1 < n && a[child + 1] > a[child]) child++;
    if (a[child] <= v) break;
    a[root] = a[child];
    root = child;
  }
  a[root] = v;
}

EXPORT(heapsort)
uint32_t PROG_NAME(heapsort)(uint32_t seed, uint32_t n) {
  if (n > HEAP_MAX) n = HEAP_MAX;
  for (uint32_t i = 0; i < n; i++) heap[i] = lcg(&seed);
  for (uint32_t i = n / 2; i-- > 0;) sift_down(heap, i, n);
  for (uint32_t end = n; end > 1; end--) {
    uint32_t t = heap[0];
    heap[0] = heap[end - 1];
    heap[end - 1] = t;
    sift_down(heap, 0, end - 1);
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (i > 0 && heap[i - 1] > heap[i]) return 0;
    sum = sum * 31u + heap[i] * (i + 1);
  }
  return sum;
}

/* A register machine with a switch per instruction, running a fixed
 * program of two nested counting loops that hash into a 64-word memory,
 * until it has executed `steps` instructions (or halts).  Returns a
 * checksum of its registers and memory. */
enum { VM_LI, VM_ADD, VM_ADDI, VM_SUB, VM_MUL, VM_XOR, VM_ANDI, VM_SHRI,
       VM_LOAD, VM_STORE, VM_JNZ, VM_JMP, VM_HALT };

typedef struct vm_insn {
  uint8_t op, a, b, c; /* registers; c or imm is the third operand */
  int32_t imm;
} vm_insn;

static const vm_insn vm_code[] = {
    {VM_LI, 5, 0, 0, 31},      /* 0: r5 = 31 (multiplier) */
    {VM_LI, 6, 0, 0, 1},       /* 1: r6 = 1 */
    {VM_LI, 1, 0, 0, 0},       /* 2: r1 = 0 (accumulator) */
    {VM_LI, 2, 0, 0, 1},       /* 3: r2 = 1 (state) */
    {VM_LI, 7, 0, 0, 0},       /* 4: r7 = 0 (outer count) */
    {VM_LI, 0, 0, 0, 50},      /* 5: outer: r0 = 50 */
    {VM_MUL, 2, 2, 5, 0},      /* 6: inner: r2 *= r5 */
    {VM_ADDI, 2, 2, 0, 7},     /* 7: r2 += 7 */
    {VM_SHRI, 3, 2, 0, 5},     /* 8: r3 = r2 >> 5 */
    {VM_ANDI, 3, 3, 0, 63},    /* 9: r3 &= 63 */
    {VM_LOAD, 4, 3, 0, 0},     /* 10: r4 = mem[r3] */
    {VM_ADD, 4, 4, 2, 0},      /* 11: r4 += r2 */
    {VM_STORE, 3, 4, 0, 0},    /* 12: mem[r3] = r4 */
    {VM_XOR, 1, 1, 4, 0},      /* 13: r1 ^= r4 */
    {VM_SUB, 0, 0, 6, 0},      /* 14: r0 -= 1 */
    {VM_JNZ, 0, 0, 0, 6},      /* 15: if r0 goto inner */
    {VM_ADDI, 7, 7, 0, 1},     /* 16: r7++ */
    {VM_JMP, 0, 0, 0, 5},      /* 17: goto outer */
    {VM_HALT, 0, 0, 0, 0},
};

EXPORT(bytecode_vm)
uint32_t PROG_NAME(bytecode_vm)(uint32_t steps) {
  uint32_t r[8] = {0}, mem[64];
  for (uint32_t i = 0; i < 64; i++) mem[i] = i;
  uint32_t pc = 0;
  for (uint32_t n = 0; n < steps; n++) {
    const vm_insn *in = &vm_code[pc++];
    switch (in->op) {
    case VM_LI: r[in->a] = (uint32_t)in->imm; break;
    case VM_ADD: r[in->a] = r[in->b] + r[in->c]; break;
    case VM_ADDI: r[in->a] = r[in->b] + (uint32_t)in->imm; break;
    case VM_SUB: r[in->a] = r[in->b] - r[in->c]; break;
    case VM_MUL: r[in->a] = r[in->b] * r[in->c]; break;
    case VM_XOR: r[in->a] = r[in->b] ^ r[in->c]; break;
    case VM_ANDI: r[in->a] = r[in->b] & (uint32_t)in->imm; break;
    case VM_SHRI: r[in->a] = r[in->b] >> (in->imm & 31); break;
    case VM_LOAD: r[in->a] = mem[r[in->b] & 63]; break;
    case VM_STORE: mem[r[in->a] & 63] = r[in->b]; break;
    case VM_JNZ:
      if (r[in->a]) pc = (uint32_t)in->imm;
      break;
    case VM_JMP: pc = (uint32_t)in->imm; break;
    default: n = steps; break; /* VM_HALT */
    }
  }
  uint32_t sum = pc;
  for (uint32_t i = 0; i < 8; i++) sum = sum * 33u ^ r[i];
  for (uint32_t i = 0; i < 64; i++) sum = sum * 33u ^ mem[i];
  return sum;
}

/* Open addressing (linear probing) with string keys "k<decimal>": insert
 * keys k0..k(n-1) with value i*i, then look up k0, k3, k6, ... k(3n-3)
 * (about a third hit).  Slots of earlier calls are stale by generation,
 * so nothing is cleared.  Returns hits << 20 plus a hash of the values. */
#define HT_SLOTS 16384 /* n is at most half of it */
#define HT_KEYLEN 12
typedef struct ht_slot {
  uint32_t gen, hash, value;
  char key[HT_KEYLEN];
} ht_slot;
static ht_slot ht[HT_SLOTS];
static uint32_t ht_gen;

/* Writes "k<v>" and its terminator into out; returns its length. */
static uint32_t ht_key(char *out, uint32_t v) {
  char digits[10];
  uint32_t nd = 0;
  do {
    digits[nd++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  out[0] = 'k';
  for (uint32_t i = 0; i < nd; i++) out[1 + i] = digits[nd - 1 - i];
  out[nd + 1] = 0;
  return nd + 1;
}

static uint32_t ht_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

static int ht_same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* The slot holding key, or the empty slot where it belongs. */
static ht_slot *ht_find(const char *key, uint32_t h) {
  for (uint32_t i = h & (HT_SLOTS - 1);; i = (i + 1) & (HT_SLOTS - 1)) {
    ht_slot *s = &ht[i];
    if (s->gen != ht_gen) return s;
    if (s->hash == h && ht_same(s->key, key)) return s;
  }
}

EXPORT(hash_table)
uint32_t PROG_NAME(hash_table)(uint32_t n) {
  if (n > HT_SLOTS / 2) n = HT_SLOTS / 2;
  ht_gen++;
  char key[HT_KEYLEN];
  for (uint32_t i = 0; i < n; i++) {
    ht_key(key, i);
    uint32_t h = ht_hash(key);
    ht_slot *s = ht_find(key, h);
    if (s->gen != ht_gen) {
      s->gen = ht_gen;
      s->hash = h;
      for (uint32_t k = 0; k < HT_KEYLEN; k++) s->key[k] = key[k];
    }
    s->value = i * i;
  }
  uint32_t hits = 0, acc = 0;
  for (uint32_t i = 0; i < n; i++) {
    ht_key(key, 3 * i);
    ht_slot *s = ht_find(key, ht_hash(key));
    if (s->gen == ht_gen) {
      hits++;
      acc = acc * 31u + s->value;
    }
  }
  return (hits << 20) + (acc & 0xFFFFFu);
}

/* Ackermann's function, naively: ack(2, n) = 2n + 3, ack(3, n) =
 * 2^(n+3) - 3, nested about 2^(n+3) calls deep (ack(3, 6): 172,233 calls
 * up to 511 deep, within the default 64 KB stacks of wasm3 and WAMR). */
static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

EXPORT(ackermann)
uint32_t PROG_NAME(ackermann)(uint32_t m, uint32_t n) { return ack(m, n); }

/* Arithmetic modulo the Mersenne prime p = 2^61 - 1 with 64-bit
 * operations only (wasm32 has no 128-bit multiply): the product is built
 * from 32-bit halves, then folded at bit 61. */
#define P61 ((1ull << 61) - 1)

static uint64_t mulmod61(uint64_t a, uint64_t b) {
  uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  uint64_t lo = a0 * b0, mid = a1 * b0 + a0 * b1; /* mid < 2^62 */
  uint64_t lo2 = lo + (mid << 32);
  uint64_t hi = a1 * b1 + (mid >> 32) + (lo2 < lo);
  uint64_t r = (lo2 & P61) + ((hi << 3) | (lo2 >> 61));
  r = (r & P61) + (r >> 61);
  return r >= P61 ? r - P61 : r;
}

EXPORT(powmod61)
uint64_t PROG_NAME(powmod61)(uint64_t base, uint64_t e) {
  uint64_t r = 1, b = base % P61;
  while (e) {
    if (e & 1) r = mulmod61(r, b);
    b = mulmod61(b, b);
    e >>= 1;
  }
  return r;
}

/* n modular exponentiations with pseudo-random bases and exponents. */
EXPORT(modexp_sum)
uint64_t PROG_NAME(modexp_sum)(uint32_t seed, uint32_t n) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t b = ((uint64_t)lcg(&seed) << 32) | lcg(&seed);
    uint64_t e = ((uint64_t)lcg(&seed) << 32) | lcg(&seed);
    sum += PROG_NAME(powmod61)(b, e >> 3);
    if (sum >= P61) sum -= P61;
  }
  return sum;
}

/* Byte-string loops written out (no libc): strlen over a buffer of
 * NUL-separated words, strchr for a letter in each, overlapping memmove
 * both ways and memcmp of two windows, `rounds` times; a checksum. */
#define SB_LEN 8192
static char sbuf[SB_LEN + 256];

static uint32_t s_strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (uint32_t)(p - s);
}

static const char *s_strchr(const char *s, char c) {
  for (; *s; s++)
    if (*s == c) return s;
  return c ? 0 : s;
}

static void s_memmove(char *dst, const char *src, uint32_t n) {
  if (dst < src)
    for (uint32_t i = 0; i < n; i++) dst[i] = src[i];
  else
    for (uint32_t i = n; i-- > 0;) dst[i] = src[i];
}

static int s_memcmp(const char *a, const char *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (a[i] != b[i]) return (uint8_t)a[i] < (uint8_t)b[i] ? -1 : 1;
  return 0;
}

EXPORT(strops)
uint32_t PROG_NAME(strops)(uint32_t seed, uint32_t rounds) {
  for (uint32_t i = 0; i < SB_LEN; i++) {
    uint32_t r = lcg(&seed) >> 24;
    sbuf[i] = r < 8 ? 0 : (char)('a' + r % 26);
  }
  for (uint32_t i = SB_LEN; i < sizeof sbuf; i++) sbuf[i] = 0;
  uint32_t acc = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    char c = (char)('a' + r % 26);
    for (uint32_t p = 0; p < SB_LEN;) {
      uint32_t len = s_strlen(sbuf + p);
      const char *hit = s_strchr(sbuf + p, c);
      acc = acc * 31u + len + (hit ? (uint32_t)(hit - sbuf) : 7u);
      p += len + 1;
    }
    uint32_t from = lcg(&seed) % 1024, to = lcg(&seed) % 1024, n = 2048 + r % 1024;
    s_memmove(sbuf + to, sbuf + from, n);
    acc ^= (uint32_t)s_memcmp(sbuf + from, sbuf + to, n);
    acc += (uint32_t)s_memcmp(sbuf, sbuf + SB_LEN / 2, SB_LEN / 2) + 2;
  }
  return acc;
}
