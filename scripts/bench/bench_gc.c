/*
 * bench_gc.c -- `make bench`, GC section: allocation throughput of the
 * store's collector on binary_trees.wat (the benchmarks game's binary
 * trees, written in wat: many short-lived trees next to a long-lived one).
 *
 * Prints the checksum (so the work cannot be skipped), the time, objects
 * and bytes allocated per second, collections and the heap left live.
 * One run, best of RUNS: figures are for comparing builds on one machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moonwasm.h"

#define RUNS 3

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "scripts/bench/binary_trees.wat";
  int depth = argc > 2 ? atoi(argv[2]) : 16;
  size_t tlen = 0;
  unsigned char *text = read_file(path, &tlen), *bin = NULL;
  size_t len = 0;
  mw_module *m = NULL;
  if (!text) {
    fprintf(stderr, "bench_gc: cannot read %s\n", path);
    return 1;
  }
  mw_error *e = mw_wat_to_wasm((const char *)text, tlen, MW_FEATURES_DEFAULT, &bin, &len);
  if (!e) e = mw_module_decode(NULL, bin, len, &m);
  if (e) {
    fprintf(stderr, "bench_gc: %s\n", mw_error_message(e));
    return 1;
  }
  double best = 1e30;
  mw_gc_info gi = {0};
  int32_t sum = 0;
  for (int run = 0; run < RUNS; run++) {
    mw_store *s = mw_store_new(NULL);
    mw_instance *inst = NULL;
    mw_extern f;
    e = mw_instantiate(s, m, &inst);
    if (e || !mw_instance_export(inst, "run", 3, &f)) {
      fprintf(stderr, "bench_gc: %s\n", e ? mw_error_message(e) : "no export run");
      return 1;
    }
    mw_val arg = mw_val_i32(depth), r;
    double t0 = now();
    e = mw_func_call(s, f.of.func, &arg, 1, &r, 1);
    double t = now() - t0;
    if (e) {
      fprintf(stderr, "bench_gc: %s\n", mw_error_message(e));
      return 1;
    }
    sum = r.of.i32;
    if (t < best) {
      best = t;
      mw_store_gc_info(s, &gi);
    }
    mw_store_free(s);
  }
  printf("GC (binary trees, depth %d, best of %d): checksum %d, %.3f s\n", depth, RUNS,
         (int)sum, best);
  printf("  %.1f M objects/s, %.1f MB/s allocated; %llu objects, %.1f MB in all\n",
         (double)gi.objects_allocated / best / 1e6, (double)gi.bytes_allocated / best / 1e6,
         (unsigned long long)gi.objects_allocated, (double)gi.bytes_allocated / 1e6);
  printf("  %llu collections, %.1f MB live at the end\n",
         (unsigned long long)gi.collections, (double)gi.live_bytes / 1e6);
  mw_module_release(m);
  mw_wat_free(bin);
  free(text);
  return 0;
}
