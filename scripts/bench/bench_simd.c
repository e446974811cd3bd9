/*
 * bench_simd.c -- `make bench`, SIMD part: the kernels of
 * tests/c/wasm/simd_prog.c built by one clang natively (-O2, vectorized
 * for the host) and to wasm32 twice: with -msimd128 (vectorized to wasm
 * SIMD) and without (scalar wasm).  All run side by side in one process;
 * the ratios are wasm time / native time (lower is better), best of RUNS.
 * Results must agree across the three builds: a fast wrong answer is not
 * a result.
 */
#include <math.h>

#include "bench_util.h"
#define PROG_PREFIX native_
#include "simd_prog.h"

#define RUNS 5
#define now bench_wall

typedef uint32_t (*native_fn)(uint32_t, uint32_t);

typedef struct kernel {
  const char *name;
  unsigned reps;  /* calls per measurement */
  uint32_t inner; /* the kernel's own repetition count */
  native_fn native;
} kernel;



static mw_instance *load(mw_store *store, const char *path, mw_module **mod) {
  size_t len = 0;
  uint8_t *bytes = bench_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "bench_simd: cannot read %s\n", path);
    exit(1);
  }
  mw_instance *inst = NULL;
  mw_error *err = mw_module_decode(NULL, bytes, len, mod);
  if (!err) err = mw_instantiate(store, *mod, &inst);
  free(bytes);
  if (err) {
    fprintf(stderr, "bench_simd: %s: %s\n", path, mw_error_message(err));
    exit(1);
  }
  return inst;
}

/* Best time of RUNS for `reps` calls of kernel k in inst; *out: its result. */
static double time_wasm(mw_store *store, mw_instance *inst, const kernel *k, uint32_t *out) {
  mw_extern ext;
  if (!mw_instance_export(inst, k->name, strlen(k->name), &ext) || ext.kind != MW_EXTERN_FUNC) {
    fprintf(stderr, "bench_simd: no export %s\n", k->name);
    exit(1);
  }
  mw_val args[2] = {mw_val_i32(7), mw_val_i32((int32_t)k->inner)}, res;
  double best = INFINITY;
  for (int run = 0; run < RUNS; run++) {
    double t = now();
    for (unsigned r = 0; r < k->reps; r++) {
      mw_error *err = mw_func_call(store, ext.of.func, args, 2, &res, 1);
      if (err) {
        fprintf(stderr, "bench_simd: %s: %s\n", k->name, mw_error_message(err));
        exit(1);
      }
    }
    double d = now() - t;
    if (d < best) best = d;
  }
  *out = (uint32_t)res.of.i32;
  return best;
}

int main(int argc, char **argv) {
  const char *simd_path = argc > 1 ? argv[1] : "build/bench/bench_simd.wasm";
  const char *scalar_path = argc > 2 ? argv[2] : "build/bench/bench_simd_scalar.wasm";
  mw_store *store = mw_store_new(NULL);
  mw_module *msimd = NULL, *mscalar = NULL;
  mw_instance *isimd = load(store, simd_path, &msimd);
  mw_instance *iscalar = load(store, scalar_path, &mscalar);

  const kernel kernels[] = {
      {"simd_saxpy", 3, 2000, native_simd_saxpy},
      {"simd_dot_i16", 3, 2000, native_simd_dot_i16},
      {"simd_sad_u8", 3, 2000, native_simd_sad_u8},
      {"simd_blend_u8", 3, 1000, native_simd_blend_u8},
      {"simd_max_i32", 3, 2000, native_simd_max_i32},
      {"simd_matvec_f32", 3, 500, native_simd_matvec_f32},
      {"simd_lower_u8", 3, 1000, native_simd_lower_u8},
      {"simd_mix_i64", 3, 1000, native_simd_mix_i64},
  };
  size_t nk = sizeof kernels / sizeof kernels[0];
  double log_simd = 0, log_scalar = 0;
  int bad = 0;
  printf("moonwasm bench, SIMD kernels: %s (-msimd128) and %s (scalar)\n", simd_path,
         scalar_path);
  printf("%-16s %10s %10s %10s %9s %9s\n", "kernel", "native ms", "simd ms", "scalar ms",
         "simd", "scalar");
  for (size_t i = 0; i < nk; i++) {
    const kernel *k = &kernels[i];
    double best_native = INFINITY;
    uint32_t want = 0, got_simd = 0, got_scalar = 0;
    for (int run = 0; run < RUNS; run++) {
      double t = now();
      for (unsigned r = 0; r < k->reps; r++) want = k->native(7, k->inner);
      double d = now() - t;
      if (d < best_native) best_native = d;
    }
    double t_simd = time_wasm(store, isimd, k, &got_simd);
    double t_scalar = time_wasm(store, iscalar, k, &got_scalar);
    double r_simd = t_simd / best_native, r_scalar = t_scalar / best_native;
    log_simd += log(r_simd);
    log_scalar += log(r_scalar);
    bool ok = got_simd == want && got_scalar == want;
    printf("%-16s %10.2f %10.2f %10.2f %8.1fx %8.1fx%s\n", k->name, best_native * 1e3,
           t_simd * 1e3, t_scalar * 1e3, r_simd, r_scalar, ok ? "" : "  WRONG RESULT");
    bad |= !ok;
  }
  printf("%-16s %10s %10s %10s %8.1fx %8.1fx\n", "geomean", "", "", "",
         exp(log_simd / (double)nk), exp(log_scalar / (double)nk));
  mw_store_free(store);
  mw_module_release(msimd);
  mw_module_release(mscalar);
  return bad;
}
