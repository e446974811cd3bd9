/*
 * func.c -- function objects, the checked call entry point, and the caller
 * handle host functions receive (spec 4.2.6 "Function Instances", 4.5.5
 * "Invocation").
 */
#include "internal.h"

/* Calls with at most this many parameter/result slots convert their values
 * on the C stack; larger ones borrow a buffer from the store's allocator. */
#define CALL_INLINE_SLOTS 16

mw_func *mw_func_new(const mw_config *cfg, const mw_functype *type,
                     mw_host_fn fn, void *userdata, void (*finalizer)(void *)) {
  if (!type || !fn) return NULL;
  return mwx_func_new_host(cfg, type, fn, NULL, userdata, finalizer);
}

/* A raw host function called through mw_host_fn (exec.c calls `host_raw`
 * directly; this stand-in keeps any other path correct). */
static mw_error *raw_stand_in(mw_caller *caller, const mw_val *args,
                              mw_val *results, void *userdata) {
  (void)caller, (void)args, (void)results, (void)userdata;
  return mw_errorf(MW_ERR_USAGE, "raw host function called without raw values");
}

mw_func *mw_func_new_raw(const mw_config *cfg, const mw_functype *type,
                         mw_host_raw_fn fn, void *userdata,
                         void (*finalizer)(void *)) {
  if (!type || !fn) return NULL;
  return mwx_func_new_host(cfg, type, raw_stand_in, fn, userdata, finalizer);
}

mw_func *mwx_func_new_host(const mw_config *cfg, const mw_functype *type,
                           mw_host_fn fn, mw_host_raw_fn raw, void *userdata,
                           void (*finalizer)(void *)) {
  /* A host function's type stands alone: a function type without type
   * indices or a rec group around it (their meaning would hang on a
   * module the function does not keep alive). */
  if (type->comp != MW_COMP_FUNC || type->rec_len > 1 || type->super != MW_NO_SUPER)
    return NULL;
  for (uint32_t i = 0; i < type->nparams + type->nresults; i++)
    if (MW_VT_IS_IDX(type->types[i])) return NULL;
  mw_allocator a = mw_allocator_of(cfg);
  size_t type_bytes = mw_functype_bytes(type->nparams, type->nresults);
  mw_func *f = mw_calloc(&a, 1, sizeof *f);
  mw_functype *copy = mw_alloc(&a, type_bytes);
  if (!f || !copy) {
    mw_free(&a, copy, type_bytes);
    mw_free(&a, f, sizeof *f);
    return NULL;
  }
  memcpy(copy, type, type_bytes);
  copy->module = NULL;
  copy->index = copy->rec_first = copy->canon = 0;
  copy->rec_len = 1;
  copy->hash = mwt_hash_host(copy);
  f->type = copy;
  f->host = fn;
  f->host_raw = raw;
  f->userdata = userdata;
  f->finalizer = finalizer;
  f->alloc = a;
  return f;
}

/* Only host functions are the caller's to free; a wasm function belongs to
 * its instance's store, so freeing one here is refused (a no-op). */
void mw_func_free(mw_func *f) {
  if (!f || f->inst) return;
  if (f->finalizer) f->finalizer(f->userdata);
  mw_allocator a = f->alloc;
  mw_free(&a, f->type, mw_functype_bytes(f->type->nparams, f->type->nresults));
  mw_free(&a, f, sizeof *f);
}

const mw_functype *mw_func_type(const mw_func *f) { return f->type; }
mw_instance *mw_func_instance(const mw_func *f) { return f->inst; }
void *mw_func_userdata(const mw_func *f) { return f->userdata; }

/* Arity and argument types are checked before any conversion, so a bad
 * call has no effect (spec 4.5.5: invocation requires matching values). */
static mw_error *check_call(const mw_functype *t, const mw_val *args,
                            size_t nargs, size_t nresults) {
  if (nargs != t->nparams)
    return mw_errorf(MW_ERR_USAGE, "expected %u arguments, got %zu",
                     (unsigned)t->nparams, nargs);
  if (nresults < t->nresults)
    return mw_errorf(MW_ERR_USAGE, "expected room for %u results, got %zu",
                     (unsigned)t->nresults, nresults);
  for (size_t i = 0; i < nargs; i++) {
    mw_valtype want = MW_FT_PARAMS(t)[i];
    const char *why = mwt_host_value_check(t->module, want, args[i]);
    if (why) return mwt_host_value_error(MW_ERR_USAGE, "argument", i + 1, why, want, args[i]);
  }
  return NULL;
}

mw_error *mw_func_call(mw_store *s, mw_func *f, const mw_val *args,
                       size_t nargs, mw_val *results, size_t nresults) {
  if (!s || !f) return mw_errorf(MW_ERR_USAGE, "call: no store or function");
  const mw_functype *t = f->type;
  mw_error *err = check_call(t, args, nargs, nresults);
  if (err) return err;

  uint32_t pslots = mw_slot_count(MW_FT_PARAMS(t), t->nparams);
  uint32_t rslots = mw_slot_count(MW_FT_RESULTS(t), t->nresults);
  size_t nslots = pslots > rslots ? pslots : rslots;
  mw_slot inline_slots[CALL_INLINE_SLOTS];
  mw_slot *slots = inline_slots;
  if (nslots > CALL_INLINE_SLOTS) {
    slots = mw_calloc(&s->alloc, nslots, sizeof *slots);
    if (!slots) return mw_error_oom();
  }
  mw_slots_from_vals(args, (uint32_t)nargs, slots);

  err = mwx_call(s, f, slots);
  if (!err) {
    mw_vals_from_slots(MW_FT_RESULTS(t), t->nresults, slots, results);
    mwt_classify(t->module, MW_FT_RESULTS(t), t->nresults, results);
  }
  if (slots != inline_slots) mw_free(&s->alloc, slots, nslots * sizeof *slots);
  return err;
}

mw_error *mw_func_call_raw(mw_store *s, mw_func *f, mw_raw *io) {
  if (!s || !f) return mw_errorf(MW_ERR_USAGE, "call: no store or function");
  return mwx_call(s, f, io);
}

/* ---------------------------------------------------------------- caller */

mw_store *mw_caller_store(const mw_caller *c) { return c->store; }
mw_instance *mw_caller_instance(const mw_caller *c) { return c->inst; }

mw_memory *mw_caller_memory(const mw_caller *c) {
  return c->inst ? c->inst->mem0 : NULL;
}

bool mw_caller_export(const mw_caller *c, const char *name, size_t name_len,
                      mw_extern *out) {
  return c->inst && mw_instance_export(c->inst, name, name_len, out);
}
