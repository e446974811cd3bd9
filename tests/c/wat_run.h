/*
 * wat_run.h -- for the C tests that look at compiled code: a module from
 * wat text instantiated in a store of its own, calls of its exports with
 * the trap message caught, and a look for an opcode in a function's code.
 * Include after harness.h and internal.h.
 *
 *   run r;
 *   if (!open_wat(&r, "(module ...)")) return;
 *   mw_val v = call(&r, "f", args, 1, msg, sizeof msg);
 *   CHECK(has_op(&r, 0, MW_OP_...));
 *   close_run(&r);
 */
#ifndef MW_TEST_WAT_RUN_H
#define MW_TEST_WAT_RUN_H

#include <stdio.h>
#include <string.h>

typedef struct run {
  mw_store *s;
  mw_module *m;
  mw_instance *inst;
} run;

static bool open_wat(run *r, const char *wat) {
  unsigned char *bin = NULL;
  size_t len = 0;
  memset(r, 0, sizeof *r);
  mw_error *e = mw_wat_to_wasm(wat, strlen(wat), 0, &bin, &len);
  if (!e) e = mw_module_decode(NULL, bin, len, &r->m);
  if (!e) e = mw_module_validate(r->m);
  r->s = mw_store_new(NULL);
  if (!e) e = mw_instantiate(r->s, r->m, &r->inst);
  mw_wat_free(bin);
  if (e) printf("    %s\n", mw_error_message(e));
  mw_error_free(e);
  return CHECK(e == NULL);
}

static void close_run(run *r) {
  mw_store_free(r->s);
  if (r->m) mw_module_release(r->m);
}

/* Call export `name`; the result, or the trap message in *msg. */
static mw_val call(run *r, const char *name, const mw_val *args, size_t n,
                   char *msg, size_t msglen) {
  mw_extern ext;
  mw_val res;
  memset(&res, 0, sizeof res);
  msg[0] = '\0';
  if (!CHECK(mw_instance_export(r->inst, name, strlen(name), &ext))) return res;
  mw_error *e = mw_func_call(r->s, ext.of.func, args, n, &res, 1);
  if (e) snprintf(msg, msglen, "%s", mw_error_message(e));
  mw_error_free(e);
  return res;
}

/* Whether defined function `di` has opcode `op` in its code (compiled
 * now if loading left that to its first call: lazy.c). */
static bool has_op(const run *r, uint32_t di, uint32_t op) {
  mw_error *e = NULL;
  const mw_compiled *c = mwl_resolve(r->inst->funcs[r->m->nfunc_imports + di], &e);
  if (!CHECK(c != NULL)) {
    mw_error_free(e);
    return false;
  }
  mw_word w = mw_handler_word((int)op);
  for (uint32_t i = 0; i < c->ncode; i++)
    if (c->code[i] == w) return true; /* an operand could match too: */
  return false;                       /* handler words are > 2^29 */
}

#endif
