/*
 * bench.c -- `make bench`: the kernels of tests/c/wasm/prog.c, compiled by
 * the same clang to wasm32 and natively, run side by side in one process,
 * and reported as the ratio wasm time / native time (lower is better).
 *
 * Each kernel runs a fixed number of repetitions; a measurement is the
 * best of several runs, which filters most of a noisy machine's hiccups.
 * Results of the two builds are compared too: a fast wrong answer is not
 * a result.
 *
 * Other engines run beside ours on the same kernels when the environment
 * variable EXTRA names them (`make bench EXTRA='wasm3=/path/wasm3 {}'`,
 * several separated by ';'): each is a command line in which {} stands for
 * bench_cmd.wasm (scripts/bench/bench_cmd.c, the same kernels as a WASI
 * command, second argument of this program); "KERNEL REPS ARGS" is
 * appended, or put where {args} stands.  Its time is the one the guest
 * measures around the repetitions (its clock_gettime; the process's wall
 * time if it reports 0), so start-up and compilation are not counted; it
 * gets its own ratio column, and its results are checked like ours.
 *
 * The kernels marked `unseen` in bench_util.h (nbody, spectral_norm,
 * fannkuch, heapsort, bytecode_vm, hash_table, ackermann, modexp_sum,
 * strops: the kinds of programs others benchmark engines with, which the
 * interpreter was not tuned on) get a second geomean, "geomean new".
 */
#include <math.h>
#include <stdbool.h>

#define BENCH_PROG_KERNELS
#include "bench_util.h"

#define RUNS 5
#define EXTRA_RUNS 3

#define now bench_wall
#define MAX_EXTRA 8

typedef struct extra_engine {
  char name[64];
  char cmd[1024]; /* the template, {} and maybe {args} in it */
  double log_sum;
  double log_unseen; /* over the kernels marked unseen */
  int wrong;
} extra_engine;

/* Parse EXTRA ("name=cmd;name=cmd"); returns the number of engines. */
static int parse_extra(const char *spec, extra_engine *out) {
  int n = 0;
  while (spec && *spec && n < MAX_EXTRA) {
    const char *end = strchr(spec, ';');
    size_t len = end ? (size_t)(end - spec) : strlen(spec);
    const char *eq = memchr(spec, '=', len);
    if (eq && eq > spec && (size_t)(eq - spec) < sizeof out[n].name &&
        len - (size_t)(eq - spec) - 1 < sizeof out[n].cmd) {
      memset(&out[n], 0, sizeof out[n]);
      memcpy(out[n].name, spec, (size_t)(eq - spec));
      memcpy(out[n].cmd, eq + 1, len - (size_t)(eq - spec) - 1);
      n++;
    } else if (len) {
      fprintf(stderr, "bench: EXTRA entry without name=cmd ignored\n");
    }
    spec = end ? end + 1 : NULL;
  }
  return n;
}

/* Append `s` to buf (capacity cap), truncating. */
static void append(char *buf, size_t cap, const char *s) {
  size_t used = strlen(buf);
  if (used + 1 < cap) snprintf(buf + used, cap - used, "%s", s);
}

/* Run one engine on one kernel: the best time in seconds (INFINITY on
 * failure) and the result bits in *bits. */
static double run_extra(const extra_engine *e, const char *wasm, const char *args,
                        uint64_t *bits) {
  char cmd[4096] = "";
  const char *t = e->cmd;
  bool placed_args = false;
  while (*t) {
    if (!strncmp(t, "{args}", 6)) {
      append(cmd, sizeof cmd, args);
      placed_args = true;
      t += 6;
    } else if (!strncmp(t, "{}", 2)) {
      append(cmd, sizeof cmd, wasm);
      t += 2;
    } else {
      char c[2] = {*t++, 0};
      append(cmd, sizeof cmd, c);
    }
  }
  if (!placed_args) {
    append(cmd, sizeof cmd, " ");
    append(cmd, sizeof cmd, args);
  }
  double best = INFINITY;
  for (int run = 0; run < EXTRA_RUNS; run++) {
    double t0 = now();
    FILE *p = popen(cmd, "r");
    if (!p) return INFINITY;
    unsigned long long r = 0, ns = 0;
    int got = fscanf(p, "%llu %llu", &r, &ns);
    int status = pclose(p);
    double wall = now() - t0;
    if (got != 2 || status != 0) {
      fprintf(stderr, "bench: %s failed: %s\n", e->name, cmd);
      return INFINITY;
    }
    double secs = ns ? (double)ns * 1e-9 : wall;
    if (secs < best) best = secs;
    *bits = r;
  }
  return best;
}





int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "build/wasm/bench_prog.wasm";
  size_t len = 0;
  uint8_t *bytes = bench_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "bench: cannot read %s\n", path);
    return 1;
  }
  mw_module *mod = NULL;
  mw_store *store = mw_store_new(NULL);
  mw_instance *inst = NULL;
  double t0 = now();
  mw_error *err = mw_module_decode(NULL, bytes, len, &mod);
  if (!err) err = mw_module_validate(mod);
  double t_load = now() - t0;
  if (!err) err = mw_instantiate(store, mod, &inst);
  if (err) {
    fprintf(stderr, "bench: %s: %s\n", path, mw_error_message(err));
    return 1;
  }

  const kernel kernels[] = BENCH_KERNELS;
  size_t nk = sizeof kernels / sizeof kernels[0];
  double log_sum = 0, log_unseen = 0;
  size_t n_unseen = 0;
  int bad = 0;

  extra_engine extra[MAX_EXTRA];
  int nextra = parse_extra(getenv("EXTRA"), extra);
  const char *cmd_wasm = argc > 2 ? argv[2] : "build/bench/bench_cmd.wasm";

  printf("moonwasm bench: %s (decode+validate %.2f ms)\n", path, t_load * 1e3);
  printf("%-14s %12s %12s %9s", "kernel", "native ms", "wasm ms", "ratio");
  for (int e = 0; e < nextra; e++) printf(" %12.12s", extra[e].name);
  printf("\n");
  for (size_t k = 0; k < nk; k++) {
    const kernel *kn = &kernels[k];
    mw_extern ext;
    if (!mw_instance_export(inst, kn->name, strlen(kn->name), &ext) ||
        ext.kind != MW_EXTERN_FUNC) {
      fprintf(stderr, "bench: no export %s\n", kn->name);
      return 1;
    }
    double best_native = INFINITY, best_wasm = INFINITY;
    uint64_t want = 0, got = 0;
    for (int run = 0; run < RUNS; run++) {
      double t = now();
      for (unsigned r = 0; r < kn->reps; r++) want = kn->native(kn->args);
      double dn = now() - t;
      mw_val res;
      t = now();
      for (unsigned r = 0; r < kn->reps && !err; r++)
        err = mw_func_call(store, ext.of.func, kn->args, kn->nargs, &res, 1);
      double dw = now() - t;
      if (err) {
        fprintf(stderr, "bench: %s: %s\n", kn->name, mw_error_message(err));
        return 1;
      }
      got = bench_val_bits(res);
      if (dn < best_native) best_native = dn;
      if (dw < best_wasm) best_wasm = dw;
    }
    double ratio = best_wasm / best_native;
    log_sum += log(ratio);
    if (kn->unseen) log_unseen += log(ratio), n_unseen++;
    printf("%-14s %12.2f %12.2f %8.1fx", kn->name, best_native * 1e3,
           best_wasm * 1e3, ratio);
    if (nextra) {
      char args[256];
      int n = snprintf(args, sizeof args, "%s %u", kn->name, kn->reps);
      for (unsigned i = 0; i < kn->nargs && n > 0 && (size_t)n < sizeof args; i++) {
        mw_val v = kn->args[i];
        if (v.type == MW_F64)
          n += snprintf(args + n, sizeof args - (size_t)n, " %.17g", mw_val_as_f64(v));
        else if (v.type == MW_I64)
          n += snprintf(args + n, sizeof args - (size_t)n, " %lld", (long long)v.of.i64);
        else
          n += snprintf(args + n, sizeof args - (size_t)n, " %u", (unsigned)v.of.i32);
      }
      for (int e = 0; e < nextra; e++) {
        uint64_t bits = 0;
        double t = run_extra(&extra[e], cmd_wasm, args, &bits);
        double r = t / best_native;
        extra[e].log_sum += log(r);
        if (kn->unseen) extra[e].log_unseen += log(r);
        printf(" %11.1fx%s", r, bits == want ? "" : "!");
        extra[e].wrong |= bits != want;
      }
    }
    printf("%s\n", got == want ? "" : "  WRONG RESULT");
    bad |= got != want;
  }
  printf("%-14s %12s %12s %8.1fx", "geomean", "", "", exp(log_sum / (double)nk));
  for (int e = 0; e < nextra; e++) printf(" %11.1fx", exp(extra[e].log_sum / (double)nk));
  printf("\n");
  if (n_unseen) {
    /* the kernels of the kinds others benchmark, which we did not tune for */
    printf("%-14s %12s %12s %8.1fx", "geomean new", "", "", exp(log_unseen / (double)n_unseen));
    for (int e = 0; e < nextra; e++)
      printf(" %11.1fx", exp(extra[e].log_unseen / (double)n_unseen));
    printf("\n");
  }
  for (int e = 0; e < nextra; e++)
    if (extra[e].wrong) printf("%s: '!' marks a result that differs from native\n", extra[e].name);
  if (nextra) {
    /* ours against each engine, kernel geomean (below 1: we are faster) */
    for (int e = 0; e < nextra; e++)
      printf("moonwasm / %s: %.2fx (new kernels: %.2fx)\n", extra[e].name,
             exp((log_sum - extra[e].log_sum) / (double)nk),
             n_unseen ? exp((log_unseen - extra[e].log_unseen) / (double)n_unseen) : 1.0);
  }
  mw_store_free(store);
  mw_module_release(mod);
  free(bytes);
  return bad;
}
