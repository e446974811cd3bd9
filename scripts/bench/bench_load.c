/*
 * bench_load.c -- `make bench`, load section: how fast a large module
 * becomes ready to run, in MB of module per second for each stage
 * (decode, validate, instantiate, first call: bodies compile lazily on
 * their first call) and for all of them.
 *
 *   bench_load PROGRAM.wasm [MB]      (default 30 MB)
 *   bench_load --write OUT PROGRAM.wasm [MB]   only write the big module
 *
 * The big module is made from a real compiled program (a WASI C program
 * built by the Makefile): its function bodies are repeated, in order,
 * until the code reaches MB megabytes, so the instruction mix is what a
 * compiler emits.  The copies' calls go to the original functions and
 * nothing refers to the copies, which changes nothing for the loader.
 * Custom sections are dropped.  Wall time (validation runs on several
 * threads: mw_config.compile_threads), best of RUNS as the machine is
 * shared; validation on one thread and the eager mode (everything
 * compiled at load) are printed too, for their ratios.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moonwasm.h"

#define RUNS 3

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* wall time: validation may use threads */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what) {
  fprintf(stderr, "bench_load: %s\n", what);
  return 1;
}

/* ---- a growable byte buffer */
typedef struct buf {
  uint8_t *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n) cap *= 2;
    uint8_t *np = realloc(b->p, cap);
    if (!np) {
      fprintf(stderr, "bench_load: out of memory\n");
      exit(1);
    }
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void put_u32(buf *b, uint32_t v) {
  uint8_t tmp[5];
  size_t n = 0;
  do {
    tmp[n] = (uint8_t)(v & 0x7F);
    v >>= 7;
    if (v) tmp[n] |= 0x80;
    n++;
  } while (v);
  put(b, tmp, n);
}

static int get_u32(const uint8_t **p, const uint8_t *end, uint32_t *out) {
  uint32_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (*p >= end) return 0;
    uint8_t c = *(*p)++;
    v |= (uint32_t)(c & 0x7F) << shift;
    if (!(c & 0x80)) {
      *out = v;
      return 1;
    }
  }
  return 0;
}

/* The program with its code repeated to `target` bytes (see the top). */
static int grow_module(const uint8_t *in, size_t len, size_t target, buf *out) {
  if (len < 8 || memcmp(in, "\0asm", 4) != 0) return 0;
  const uint8_t *p = in + 8, *end = in + len;
  const uint8_t *funcs = NULL, *code = NULL;
  size_t funcs_len = 0, code_len = 0;
  put(out, in, 8);
  /* first pass: find the function and code sections */
  for (const uint8_t *q = p; q < end;) {
    uint8_t id = *q++;
    uint32_t size;
    if (!get_u32(&q, end, &size) || size > (size_t)(end - q)) return 0;
    if (id == 3) funcs = q, funcs_len = size;
    if (id == 10) code = q, code_len = size;
    q += size;
  }
  if (!funcs || !code) return 0;
  uint32_t nfuncs, ncode;
  const uint8_t *fp = funcs, *cp = code;
  if (!get_u32(&fp, funcs + funcs_len, &nfuncs) ||
      !get_u32(&cp, code + code_len, &ncode) || nfuncs != ncode || !nfuncs)
    return 0;
  size_t body_bytes = (size_t)(code + code_len - cp);
  uint32_t copies = (uint32_t)((target + body_bytes - 1) / body_bytes);
  if (copies == 0) copies = 1;
  while (p < end) {
    uint8_t id = *p++;
    uint32_t size;
    get_u32(&p, end, &size);
    if (id == 0) { /* custom: dropped */
    } else if (id == 3) {
      buf sec = {0};
      put_u32(&sec, nfuncs * copies);
      for (uint32_t c = 0; c < copies; c++)
        put(&sec, fp, (size_t)(funcs + funcs_len - fp));
      put(out, &id, 1);
      put_u32(out, (uint32_t)sec.n);
      put(out, sec.p, sec.n);
      free(sec.p);
    } else if (id == 10) {
      buf sec = {0};
      put_u32(&sec, nfuncs * copies);
      for (uint32_t c = 0; c < copies; c++) put(&sec, cp, body_bytes);
      put(out, &id, 1);
      put_u32(out, (uint32_t)sec.n);
      put(out, sec.p, sec.n);
      free(sec.p);
    } else {
      put(out, &id, 1);
      put_u32(out, size);
      put(out, p, size);
    }
    p += size;
  }
  return 1;
}

int main(int argc, char **argv) {
  const char *write_to = NULL;
  if (argc > 2 && strcmp(argv[1], "--write") == 0) {
    write_to = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 2) return fail("usage: bench_load [--write OUT] PROGRAM.wasm [MB]");
  double mb_target = argc > 2 ? atof(argv[2]) : 30;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return fail("cannot open the program");
  buf in = {0};
  uint8_t chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) put(&in, chunk, got);
  fclose(f);
  buf big = {0};
  if (!grow_module(in.p, in.n, (size_t)(mb_target * 1e6), &big))
    return fail("not a module with functions");
  if (write_to) {
    FILE *o = fopen(write_to, "wb");
    if (!o || fwrite(big.p, 1, big.n, o) != big.n || fclose(o) != 0)
      return fail("cannot write the module");
    return 0;
  }

  /* One load, timed by stage: decode (in the default lazy mode it also
   * validates the bodies it can, on threads, and validation compiles none
   * of them; eager compiles all in validation),
   * instantiate with WASI, and the first call of its first export,
   * _start (the program prints its usage to a null stderr and exits):
   * lazily, that call compiles the functions it runs.  Ready = all four:
   * the module loaded and its export called. */
  double best[2][5];
  for (int mode = 0; mode < 2; mode++)
    for (int k = 0; k < 5; k++) best[mode][k] = 1e9;
  double best_one = 1e9;
  for (int r = 0; r < RUNS; r++) {
    for (int mode = 0; mode < 3; mode++) { /* lazy, eager, lazy on one thread */
      mw_config cfg;
      mw_config_default(&cfg);
      cfg.eager_compile = mode == 1;
      if (mode == 2) cfg.compile_threads = 1;
      mw_module *m = NULL;
      mw_store *s = mw_store_new(NULL);
      mw_error *e = NULL;
      mw_wasi_config wc;
      mw_wasi_config_default(&wc);
      wc.stdio[1].kind = wc.stdio[2].kind = MW_WASI_STDIO_NULL;
      mw_wasi *w = mw_wasi_new(NULL, &wc, &e);
      if (!s || !w || (e = mw_wasi_define(w, s)) != NULL)
        return fail(e ? mw_error_message(e) : "out of memory");
      double t0 = now();
      e = mw_module_decode(&cfg, big.p, big.n, &m);
      double t1 = now();
      if (!e) e = mw_module_validate(m);
      double t2 = now();
      mw_instance *inst = NULL;
      if (!e) e = mw_instantiate(s, m, &inst);
      double t3 = now();
      int32_t code = 0;
      if (!e) e = mw_wasi_start(w, s, inst, &code);
      double t4 = now();
      if (e) return fail(mw_error_message(e));
      if (!mw_wasi_exited(w)) return fail("_start did not run");
      if (mode == 2) {
        if (t2 - t0 < best_one) best_one = t2 - t0;
      } else {
        double t[5] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0};
        for (int k = 0; k < 5; k++)
          if (t[k] < best[mode][k]) best[mode][k] = t[k];
      }
      mw_store_free(s);
      mw_wasi_free(w);
      mw_module_release(m);
    }
  }
  double mb = (double)big.n / 1e6;
  const double *lz = best[0], *eg = best[1];
  printf("load: %.1f MB module (%s, code repeated): ready in %.0f ms, %.0f MB/s "
         "(decode + validate + instantiate + first call of _start)\n",
         mb, argv[1], lz[4] * 1e3, mb / lz[4]);
  printf("load:   decode %.0f MB/s (%.0f ms, bodies validated), validate %.0f MB/s (%.0f ms), "
         "instantiate %.1f ms, first call %.1f ms (compiles what it runs)\n",
         mb / lz[0], lz[0] * 1e3, mb / lz[1], lz[1] * 1e3, lz[2] * 1e3, lz[3] * 1e3);
  printf("load:   eager (mw_config.eager_compile): validate+compile %.0f MB/s (%.0f ms), "
         "ready in %.0f ms: lazy compile makes ready %.2fx sooner\n",
         mb / eg[1], eg[1] * 1e3, eg[4] * 1e3, eg[4] / lz[4]);
  printf("load:   decode+validate on one thread %.0f MB/s (%.0f ms): threads "
         "(mw_config.compile_threads, %ld processors) make it %.2fx faster\n",
         mb / best_one, best_one * 1e3, sysconf(_SC_NPROCESSORS_ONLN),
         best_one / (lz[0] + lz[1]));
  free(in.p);
  free(big.p);
  return 0;
}
