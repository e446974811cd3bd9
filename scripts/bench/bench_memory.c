/*
 * bench_memory.c -- `make bench`, memory section: what a linear memory
 * costs to instantiate and to grow, by its size in pages.
 *
 * For a module that is only `(memory N)`, N = 1, 1024 and 65,536 (4 GiB):
 * the time to instantiate it (best of RUNS, each in a fresh store) also as
 * a ratio to N = 0, the resident memory it adds until the guest touches
 * it, and what one byte written per wasm page then adds.  Then
 * memory.grow from 1 page to 65,536 in one step.  Memories reserve
 * address space and commit pages as they grow (src/runtime/vmem.c), so
 * none of these should scale with N until pages are touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moonwasm.h"

#define RUNS 5

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Resident set size in bytes (Linux /proc), or -1. */
static long long rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  long long size = -1, resident = -1;
  if (fscanf(f, "%lld %lld", &size, &resident) != 2) resident = -1;
  fclose(f);
  return resident < 0 ? -1 : resident * 4096;
}

static double mib(long long bytes) { return (double)bytes / (1024.0 * 1024.0); }

/* (module (memory (export "m") pages)) */
static mw_module *memory_module(uint32_t pages) {
  unsigned char b[32];
  size_t n = 0;
  memcpy(b, "\0asm\1\0\0\0", 8);
  n = 8;
  unsigned char lim[6];
  size_t nl = 0;
  uint32_t v = pages;
  do {
    unsigned char c = v & 0x7F;
    v >>= 7;
    lim[nl++] = (unsigned char)(c | (v ? 0x80 : 0));
  } while (v);
  b[n++] = 5;
  b[n++] = (unsigned char)(2 + nl);
  b[n++] = 1;
  b[n++] = 0; /* no max */
  memcpy(b + n, lim, nl);
  n += nl;
  memcpy(b + n, "\7\5\1\1m\2\0", 7);
  n += 7;
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(NULL, b, n, &m);
  if (err) {
    fprintf(stderr, "bench_memory: %s\n", mw_error_message(err));
    exit(1);
  }
  return m;
}

typedef struct result {
  double seconds;        /* best instantiate time */
  long long rss_added;   /* by the instance, untouched */
  long long rss_touched; /* by one byte written per wasm page */
} result;

static result measure(uint32_t pages) {
  mw_module *m = memory_module(pages);
  result r = {1e9, 0, 0};
  for (int run = 0; run < RUNS; run++) {
    mw_store *s = mw_store_new(NULL);
    long long before = rss_bytes();
    double t = now();
    mw_instance *inst = NULL;
    mw_error *err = mw_instantiate(s, m, &inst);
    double dt = now() - t;
    if (err) {
      fprintf(stderr, "bench_memory: %u pages: %s\n", pages, mw_error_message(err));
      exit(1);
    }
    if (dt < r.seconds) r.seconds = dt;
    if (run == RUNS - 1) {
      r.rss_added = rss_bytes() - before;
      uint8_t *d = mw_memory_data(mw_instance_memory(inst));
      for (size_t p = 0; p < pages; p++) d[p * 65536] = 1;
      r.rss_touched = rss_bytes() - before - r.rss_added;
    }
    mw_store_free(s);
  }
  mw_module_release(m);
  return r;
}

int main(void) {
  printf("memory: instantiate (memory N), best of %d; resident memory added\n", RUNS);
  result base = measure(0);
  static const uint32_t sizes[] = {1, 1024, 65536};
  printf("  %8s %14s %10s %14s %22s\n", "pages", "instantiate", "vs N=0",
         "RSS untouched", "RSS, 1 byte per page");
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    result r = measure(sizes[i]);
    printf("  %8u %11.3f ms %9.1fx %10.1f MiB %18.1f MiB\n", sizes[i],
           r.seconds * 1e3, r.seconds / base.seconds, mib(r.rss_added),
           mib(r.rss_touched));
  }

  mw_memtype one = {.limits = {.min = 1}};
  double best = 1e9;
  long long added = 0;
  for (int run = 0; run < RUNS; run++) {
    mw_memory *mem = mw_memory_new(NULL, one);
    long long before = rss_bytes();
    double t = now();
    int64_t old = mw_memory_grow(mem, 65535);
    double dt = now() - t;
    if (old != 1) {
      fprintf(stderr, "bench_memory: memory.grow(65535) failed\n");
      return 1;
    }
    if (dt < best) best = dt;
    added = rss_bytes() - before;
    mw_memory_free(mem);
  }
  printf("  memory.grow 1 -> 65536 pages: %.3f ms, %.1f MiB resident added\n",
         best * 1e3, mib(added));
  return 0;
}
