/*
 * lazy.c -- compiling function bodies on their first call.
 *
 * Loading validates every body (validate_fast.c, run by the decoder's
 * body pass, or compile.c for the bodies it can't judge, run by
 * validation), so an invalid module is still rejected at load
 * with the spec's message; but compiling is left to the first call, so a
 * large module is ready as soon as it is validated and only the
 * functions that run are ever compiled (wasm3 does the same).
 *
 * A body validated that way gets a stub in m->compiled: the frame facts
 * of its type and locals (enough for a caller to push the frame) and code
 * that is the single instruction LAZY_COMPILE.  When it runs (exec.c), the
 * body is compiled into m->lazy[i], the function object's code pointer is
 * moved to it, and the frame restarts at its first instruction.  Modules
 * are shared by instances in several stores and threads: the code is
 * published with a compare-and-swap, the first one made wins and a racing
 * copy is freed; function objects belong to one store, so f->code is
 * written without atomics.  An allocator that is not declared thread-safe
 * (mw_config.alloc_threadsafe) is only ever entered by one of these
 * compiles at a time: they take the module's lazy_lock (validation
 * already kept to one thread for it, compile_par.c).  Eager mode (mw_config.eager_compile, or the
 * environment's MOONWASM_COMPILE=eager) compiles everything at load as
 * before.
 */
#include <stdlib.h>

#include "internal.h"

/* The whole code of every stub (ir.h): read-only, shared. */
static const mw_word stub_code[1] = {MW_LAZY_STUB_WORD};

bool mwl_is_stub(const mw_compiled *c) { return c->code == stub_code; }

mw_error *mwl_begin(mw_module *m) {
  uint32_t n = m->nfuncs - m->nfunc_imports;
  if (m->eager_compile || n == 0 || m->lazy) return NULL;
  m->lazy = mw_calloc(&m->alloc, n, sizeof *m->lazy);
  if (!m->lazy) return mw_error_oom();
  for (uint32_t i = 0; i < n; i++) atomic_init(&m->lazy[i], NULL);
  if (m->alloc_serial && pthread_mutex_init(&m->lazy_lock, NULL) != 0) {
    mw_free(&m->alloc, m->lazy, (size_t)n * sizeof *m->lazy);
    m->lazy = NULL;
    return mw_error_oom();
  }
  return NULL;
}

/* The stub of body di: what a call needs before the body runs. */
static void make_stub(const mw_module *m, uint32_t di, mw_compiled *c) {
  const mw_functype *t = m->types[m->func_types[m->nfunc_imports + di]];
  const mw_code_body *b = &m->codes[di];
  memset(c, 0, sizeof *c);
  c->code = (mw_word *)stub_code; /* never written, never freed */
  c->ncode = 1;
  c->nparams = mw_slot_count(MW_FT_PARAMS(t), t->nparams);
  c->nresults = mw_slot_count(MW_FT_RESULTS(t), t->nresults);
  uint32_t nlocals = c->nparams;
  for (uint32_t r = 0; r < b->nlocal_runs; r++)
    nlocals += b->local_runs[r].count * (b->local_runs[r].type == MW_V128 ? 2u : 1u);
  c->nlocals = nlocals;
  c->max_slots = nlocals > c->nresults ? nlocals : c->nresults;
}

mw_error *mwl_prepare(mw_module *m, uint32_t di, mwv_fast_scratch *s) {
  (void)s;
  if (m->lazy && m->codes[di].fast_valid) { /* decode.c's body pass */
    make_stub(m, di, &m->compiled[di]);
    return NULL;
  }
  return mwc_compile(m, di, &m->compiled[di]);
}

/* Compile body di and publish it; the published code (NULL: *err). */
static mw_compiled *compile_publish(mw_module *m, uint32_t di, mw_error **err) {
  mw_compiled *made = mw_calloc(&m->alloc, 1, sizeof *made);
  if (!made) {
    *err = mw_error_oom();
    return NULL;
  }
  mw_error *e = mwc_compile(m, di, made); /* thread-safe: reads m only */
  if (e) { /* validated, so only a limit or memory: the call fails */
    mw_free(&m->alloc, made, sizeof *made);
    *err = e;
    return NULL;
  }
  mw_compiled *expected = NULL;
  if (atomic_compare_exchange_strong_explicit(&m->lazy[di], &expected, made,
                                              memory_order_acq_rel, memory_order_acquire))
    return made;
  /* another thread was first: use its code */
  mwc_free(&m->alloc, made);
  mw_free(&m->alloc, made, sizeof *made);
  return expected;
}

const mw_compiled *mwl_resolve(mw_func *f, mw_error **err) {
  mw_module *m = f->inst->module;
  uint32_t di = f->index - m->nfunc_imports;
  mw_compiled *p = atomic_load_explicit(&m->lazy[di], memory_order_acquire);
  if (!p && m->alloc_serial) {
    pthread_mutex_lock(&m->lazy_lock);
    /* made by another thread while this one waited? */
    p = atomic_load_explicit(&m->lazy[di], memory_order_acquire);
    if (!p) p = compile_publish(m, di, err);
    pthread_mutex_unlock(&m->lazy_lock);
  } else if (!p) {
    p = compile_publish(m, di, err);
  }
  if (!p) return NULL;
  f->code = p;
  f->entry = p->code;
  return p;
}

const mw_compiled *mwl_initial(const mw_module *m, uint32_t di) {
  if (m->lazy) {
    mw_compiled *p = atomic_load_explicit(&m->lazy[di], memory_order_acquire);
    if (p) return p;
  }
  return &m->compiled[di];
}

void mwl_free_entry(const mw_allocator *a, mw_compiled *c) {
  if (mwl_is_stub(c)) {
    memset(c, 0, sizeof *c);
    return;
  }
  mwc_free(a, c);
}

void mwl_module_free(mw_module *m) {
  if (!m->lazy) return;
  uint32_t n = m->nfuncs - m->nfunc_imports;
  for (uint32_t i = 0; i < n; i++) {
    mw_compiled *p = atomic_load_explicit(&m->lazy[i], memory_order_acquire);
    if (p) {
      mwc_free(&m->alloc, p);
      mw_free(&m->alloc, p, sizeof *p);
    }
  }
  mw_free(&m->alloc, m->lazy, (size_t)n * sizeof *m->lazy);
  m->lazy = NULL;
  if (m->alloc_serial) pthread_mutex_destroy(&m->lazy_lock);
}
