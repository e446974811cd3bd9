/*
 * bench_aot.c -- the AOT part of `make bench`: the kernels of
 * tests/c/wasm/prog.c run natively (clang -O2), by the interpreter and as
 * AOT-compiled native code (src/aot, the system cc at -O2), in one
 * process, reported as ratios to native (lower is better); and the time
 * the AOT compiler takes (translation + cc), uncached.
 *
 * A measurement is the best of RUNS runs, in CPU time of the thread.  Results of all three builds are
 * compared: a fast wrong answer is not a result.
 */
#include <math.h>
#include <stdbool.h>

#define BENCH_PROG_KERNELS
#include "bench_util.h"

#define RUNS 5



/* CPU time of this thread: on a shared, loaded machine wall time mostly
 * measures the other processes (the compile time stays wall time). */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}



typedef struct engine {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} engine;

static mw_error *engine_open(engine *e, const uint8_t *bytes, size_t len, bool aot,
                             double *compile_s) {
  memset(e, 0, sizeof *e);
  mw_error *err = mw_module_decode(NULL, bytes, len, &e->mod);
  if (!err && aot) {
    double t = bench_wall();
    err = mw_aot_compile_attach(e->mod, NULL, NULL); /* uncached: timed */
    *compile_s = bench_wall() - t;
  }
  if (!err) e->store = mw_store_new(NULL);
  if (!err) err = mw_instantiate(e->store, e->mod, &e->inst);
  return err;
}

static double run_best(const engine *e, const kernel *kn, uint64_t *bits, mw_error **err) {
  mw_extern ext;
  if (!mw_instance_export(e->inst, kn->name, strlen(kn->name), &ext)) {
    *err = mw_error_new(MW_ERR_USAGE, "no such export");
    return 0;
  }
  double best = INFINITY;
  for (int run = 0; run < RUNS && !*err; run++) {
    mw_val res;
    double t = now();
    for (unsigned r = 0; r < kn->reps && !*err; r++)
      *err = mw_func_call(e->store, ext.of.func, kn->args, kn->nargs, &res, 1);
    double d = now() - t;
    if (d < best) best = d;
    *bits = bench_val_bits(res);
  }
  return best;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "build/bench/bench_prog.wasm";
  size_t len = 0;
  uint8_t *bytes = bench_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "bench_aot: cannot read %s\n", path);
    return 1;
  }
  engine interp, aot;
  double compile_s = 0, unused = 0;
  mw_error *err = engine_open(&interp, bytes, len, false, &unused);
  if (!err) err = engine_open(&aot, bytes, len, true, &compile_s);
  if (err) {
    fprintf(stderr, "bench_aot: %s: %s\n", path, mw_error_message(err));
    return 1;
  }

  const kernel kernels[] = BENCH_KERNELS;
  size_t nk = sizeof kernels / sizeof kernels[0];
  double log_interp = 0, log_aot = 0, new_interp = 0, new_aot = 0;
  size_t n_unseen = 0;
  int bad = 0;

  printf("moonwasm bench (AOT): %s, %u of its functions native, compiled in %.0f ms "
         "(translate + cc -O2, %zu bytes of wasm)\n",
         path, (unsigned)mw_aot_native_funcs(aot.mod), compile_s * 1e3, len);
  printf("%-14s %10s %10s %10s %8s %8s\n", "kernel", "native ms", "interp ms", "aot ms",
         "interp", "aot");
  for (size_t k = 0; k < nk; k++) {
    const kernel *kn = &kernels[k];
    double best_native = INFINITY;
    uint64_t want = 0, got_i = 0, got_a = 0;
    for (int run = 0; run < RUNS; run++) {
      double t = now();
      for (unsigned r = 0; r < kn->reps; r++) want = kn->native(kn->args);
      double d = now() - t;
      if (d < best_native) best_native = d;
    }
    double ti = run_best(&interp, kn, &got_i, &err);
    double ta = err ? 0 : run_best(&aot, kn, &got_a, &err);
    if (err) {
      fprintf(stderr, "bench_aot: %s: %s\n", kn->name, mw_error_message(err));
      return 1;
    }
    double ri = ti / best_native, ra = ta / best_native;
    log_interp += log(ri);
    log_aot += log(ra);
    if (kn->unseen) new_interp += log(ri), new_aot += log(ra), n_unseen++;
    bool wrong = got_i != want || got_a != want;
    printf("%-14s %10.2f %10.2f %10.2f %7.2fx %7.2fx%s\n", kn->name, best_native * 1e3,
           ti * 1e3, ta * 1e3, ri, ra, wrong ? "  WRONG RESULT" : "");
    bad |= wrong;
  }
  printf("%-14s %10s %10s %10s %7.2fx %7.2fx\n", "geomean", "", "", "",
         exp(log_interp / (double)nk), exp(log_aot / (double)nk));
  if (n_unseen) /* the kernels of the kinds others benchmark */
    printf("%-14s %10s %10s %10s %7.2fx %7.2fx\n", "geomean new", "", "", "",
           exp(new_interp / (double)n_unseen), exp(new_aot / (double)n_unseen));
  mw_store_free(interp.store);
  mw_store_free(aot.store);
  mw_module_release(interp.mod);
  mw_module_release(aot.mod);
  free(bytes);
  return bad;
}
