/*
 * bench_load.c -- `make bench`, load section: how fast a large module
 * becomes ready to run, in MB of module per second for each stage
 * (decode, validate + compile, instantiate) and for all of them.
 *
 *   bench_load PROGRAM.wasm [MB]      (default 30 MB)
 *   bench_load --write OUT PROGRAM.wasm [MB]   only write the big module
 *
 * The big module is made from a real compiled program (a WASI C program
 * built by the Makefile): its function bodies are repeated, in order,
 * until the code reaches MB megabytes, so the instruction mix is what a
 * compiler emits.  The copies' calls go to the original functions and
 * nothing refers to the copies, which changes nothing for the loader.
 * Custom sections are dropped.  Wall time (validation compiles on
 * several threads: mw_config.compile_threads), best of RUNS as the
 * machine is shared; validation on one thread is printed too.
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

  /* validation on one thread, for the ratio of the default's threads */
  mw_config one;
  mw_config_default(&one);
  one.compile_threads = 1;
  double best_one = 1e9;
  for (int r = 0; r < RUNS; r++) {
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(&one, big.p, big.n, &m);
    double t0 = now();
    if (!e) e = mw_module_validate(m);
    double t = now() - t0;
    if (e) return fail(mw_error_message(e));
    if (t < best_one) best_one = t;
    mw_module_release(m);
  }

  double best_dec = 1e9, best_val = 1e9, best_inst = 1e9, best_all = 1e9;
  for (int r = 0; r < RUNS; r++) {
    mw_module *m = NULL;
    mw_store *s = mw_store_new(NULL);
    mw_error *e = NULL;
    mw_wasi_config wc;
    memset(&wc, 0, sizeof wc);
    mw_wasi *w = mw_wasi_new(NULL, &wc, &e);
    if (!s || !w || (e = mw_wasi_define(w, s)) != NULL)
      return fail(e ? mw_error_message(e) : "out of memory");
    double t0 = now();
    e = mw_module_decode(NULL, big.p, big.n, &m);
    double t1 = now();
    if (!e) e = mw_module_validate(m);
    double t2 = now();
    mw_instance *inst = NULL;
    if (!e) e = mw_instantiate(s, m, &inst);
    double t3 = now();
    if (e) return fail(mw_error_message(e));
    if (t1 - t0 < best_dec) best_dec = t1 - t0;
    if (t2 - t1 < best_val) best_val = t2 - t1;
    if (t3 - t2 < best_inst) best_inst = t3 - t2;
    if (t3 - t0 < best_all) best_all = t3 - t0;
    mw_store_free(s);
    mw_wasi_free(w);
    mw_module_release(m);
  }
  double mb = (double)big.n / 1e6;
  printf("load: %.1f MB module (%s, code repeated): ready in %.0f ms, %.0f MB/s\n",
         mb, argv[1], best_all * 1e3, mb / best_all);
  printf("load:   decode %.0f MB/s (%.0f ms), validate+compile %.0f MB/s (%.0f ms), "
         "instantiate %.0f MB/s (%.1f ms)\n",
         mb / best_dec, best_dec * 1e3, mb / best_val, best_val * 1e3,
         mb / best_inst, best_inst * 1e3);
  printf("load:   validate+compile on one thread %.0f MB/s (%.0f ms): threads "
         "(mw_config.compile_threads, %ld processors) make it %.2fx faster\n",
         mb / best_one, best_one * 1e3, sysconf(_SC_NPROCESSORS_ONLN),
         best_one / best_val);
  free(in.p);
  free(big.p);
  return 0;
}
