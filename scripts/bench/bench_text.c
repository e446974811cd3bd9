/*
 * bench_text.c -- `make bench`, text section: how fast src/text encodes
 * the text format, in MB of text per second of CPU time (best of RUNS;
 * CPU time because the machine is shared), next to the
 * binary decoder on the bytes it produced (as a ratio: the text stage is
 * the slower of the two by its nature).
 *
 * The input is generated: many functions mixing folded and flat
 * instructions, locals, labels, constants of every kind and comments, as
 * compilers and hand-written tests produce them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moonwasm.h"

#define RUNS 5
#define FUNCS 40000

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const body =
    "  (func $f%d (export \"f%d\") (param $a i32) (param $b i64) (result i64)\n"
    "    (local $i i32) (local $acc f64)\n"
    "    ;; a loop with a label and folded operands\n"
    "    (block $done\n"
    "      (loop $top\n"
    "        (br_if $done (i32.ge_u (local.get $i) (local.get $a)))\n"
    "        (local.set $acc (f64.add (local.get $acc) (f64.const 0x1.8p-3)))\n"
    "        local.get $i\n"
    "        i32.const 1\n"
    "        i32.add\n"
    "        local.set $i\n"
    "        (i32.store offset=16 align=4 (local.get $i) (i32.const -123_456))\n"
    "        (br $top)))\n"
    "    (if (result i64) (f64.gt (local.get $acc) (f64.const 1e10))\n"
    "      (then (i64.const 0x7fff_ffff_ffff_ffff))\n"
    "      (else (i64.mul (local.get $b) (i64.extend_i32_u (local.get $i))))))\n";

int main(void) {
  size_t cap = (size_t)FUNCS * (strlen(body) + 32) + 256;
  char *text = malloc(cap);
  if (!text) return 1;
  size_t n = (size_t)sprintf(text, "(module (memory 1)\n");
  for (int i = 0; i < FUNCS; i++) n += (size_t)sprintf(text + n, body, i, i);
  n += (size_t)sprintf(text + n, ")\n");

  double best = 1e9, best_decode = 1e9;
  size_t out_len = 0;
  for (int r = 0; r < RUNS; r++) {
    unsigned char *out;
    double t0 = now();
    mw_error *e = mw_wat_to_wasm(text, n, MW_FEATURES_DEFAULT, &out, &out_len);
    double t = now() - t0;
    if (e) {
      fprintf(stderr, "bench_text: %s\n", mw_error_message(e));
      return 1;
    }
    if (t < best) best = t;
    mw_module *m;
    t0 = now();
    e = mw_module_decode(NULL, out, out_len, &m);
    t = now() - t0;
    if (e) {
      fprintf(stderr, "bench_text: decode: %s\n", mw_error_message(e));
      return 1;
    }
    if (t < best_decode) best_decode = t;
    mw_module_release(m);
    mw_wat_free(out);
  }
  double mb = (double)n / 1e6;
  printf("text: wat -> wasm  %.1f MB of text in %.1f ms: %.0f MB/s "
         "(binary %.1f MB; decoding it takes %.2fx less time)\n",
         mb, best * 1e3, mb / best, (double)out_len / 1e6, best / best_decode);
  free(text);
  return 0;
}
