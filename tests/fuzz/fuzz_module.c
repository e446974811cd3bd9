/*
 * fuzz_module.c -- libFuzzer target: any bytes through the whole pipeline.
 *
 * decode -> validate -> instantiate twice -- once with every import
 * satisfied by a dummy of the declared type (host functions that return
 * zeros, fresh tables, memories and globals), once with nothing defined
 * (it must fail as unlinkable, or succeed only without imports) -- then
 * call every exported function with zero arguments, under fuel and a
 * small call depth so that no input runs long.  Any crash, sanitizer
 * report or broken invariant (abort) is a finding.  One invariant is
 * differential: loading as by default (the lean validator, bodies
 * compiled on first call) and in eager mode (compile.c judges every body
 * at load) must agree -- both accept, or both fail with the same kind
 * and message.
 *
 *   make fuzz FUZZ_TARGETS=module FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "moonwasm.h"

/* Every instruction costs one unit (code compiled with counting), and
 * memories stay small, so that even an input whose every instruction is a
 * memory.fill of the whole memory runs in well under a second. */
#define FUEL 5000
#define MAX_IMPORTS 64

static void config(mw_config *cfg) {
  mw_config_default(cfg);
  cfg->features = ~0u; /* everything the runtime knows */
  cfg->max_call_depth = 200;
  cfg->value_stack_slots = 1u << 16;
  cfg->max_table_size = 4096;
  cfg->max_memory_pages = 16;
  cfg->count_cost = true; /* fuel per instruction */
}

static mw_val zero_of(mw_valtype t) {
  mw_val v;
  memset(&v, 0, sizeof v);
  v.type = t;
  return v;
}

static mw_error *dummy_host(mw_caller *caller, const mw_val *args,
                            mw_val *results, void *userdata) {
  (void)caller;
  (void)args;
  const mw_functype *t = userdata;
  for (size_t i = 0; i < mw_functype_result_count(t); i++)
    results[i] = zero_of(mw_functype_result(t, i));
  return NULL;
}

typedef struct dummies {
  mw_extern ext[MAX_IMPORTS];
  size_t n;
} dummies;

/* A dummy for each import; false if one cannot be made (then the module
 * is only instantiated without imports). */
static bool make_dummies(const mw_config *cfg, mw_module *m, dummies *d) {
  d->n = 0;
  size_t n = mw_module_import_count(m);
  if (n > MAX_IMPORTS) return false;
  for (size_t i = 0; i < n; i++) {
    mw_import_desc imp;
    mw_module_import(m, i, &imp);
    if (imp.unknown) abort(); /* validated: every index is known */
    mw_extern *e = &d->ext[d->n];
    e->kind = imp.type.kind;
    switch (imp.type.kind) {
    case MW_EXTERN_FUNC:
      if (!imp.type.of.func) abort();
      /* userdata: the module's own type, which outlives the stores */
      e->of.func = mw_func_new(cfg, imp.type.of.func, dummy_host,
                               (void *)imp.type.of.func, NULL);
      if (!e->of.func) return false;
      break;
    case MW_EXTERN_TABLE: {
      mw_val init = zero_of(imp.type.of.table.elem);
      e->of.table = mw_table_new(cfg, imp.type.of.table, init);
      if (!e->of.table) return false;
      break;
    }
    case MW_EXTERN_MEMORY:
      e->of.memory = mw_memory_new(cfg, imp.type.of.memory);
      if (!e->of.memory) return false;
      break;
    case MW_EXTERN_GLOBAL:
      e->of.global = mw_global_new(cfg, imp.type.of.global,
                                   zero_of(imp.type.of.global.type));
      if (!e->of.global) return false;
      break;
    default:
      return false;
    }
    d->n++;
  }
  return true;
}

static void free_dummies(dummies *d) {
  for (size_t i = 0; i < d->n; i++) {
    mw_extern *e = &d->ext[i];
    switch (e->kind) {
    case MW_EXTERN_FUNC: mw_func_free(e->of.func); break;
    case MW_EXTERN_TABLE: mw_table_free(e->of.table); break;
    case MW_EXTERN_MEMORY: mw_memory_free(e->of.memory); break;
    case MW_EXTERN_GLOBAL: mw_global_free(e->of.global); break;
    default: break;
    }
  }
  d->n = 0;
}

/* Call every exported function with zeros; look at every other export. */
static void run_exports(mw_store *s, mw_instance *inst) {
  size_t n = mw_instance_export_count(inst);
  for (size_t i = 0; i < n && i < 32; i++) {
    const char *name;
    size_t name_len;
    mw_extern e;
    mw_instance_export_at(inst, i, &name, &name_len, &e);
    if (e.kind == MW_EXTERN_MEMORY && e.of.memory) {
      size_t size = mw_memory_size(e.of.memory);
      if (size) (void)mw_memory_data(e.of.memory)[size - 1];
      continue;
    }
    if (e.kind == MW_EXTERN_GLOBAL && e.of.global) {
      (void)mw_global_get(e.of.global);
      continue;
    }
    if (e.kind == MW_EXTERN_TABLE && e.of.table) {
      mw_val v;
      (void)mw_table_get(e.of.table, 0, &v);
      continue;
    }
    if (e.kind != MW_EXTERN_FUNC || !e.of.func) continue;
    const mw_functype *t = mw_func_type(e.of.func);
    size_t np = mw_functype_param_count(t), nr = mw_functype_result_count(t);
    if (np > 64 || nr > 64) continue;
    mw_val args[64], results[64];
    for (size_t k = 0; k < np; k++) args[k] = zero_of(mw_functype_param(t, k));
    mw_store_set_fuel(s, FUEL);
    mw_error *err = mw_func_call(s, e.of.func, args, np, results, nr);
    mw_error_free(err);
  }
}

/* Decode and validate in eager mode: the same verdict as `lazy` (the
 * error of the default mode, NULL if it loaded), or abort.  Running out
 * of memory is no verdict. */
static void check_eager_agrees(const mw_config *cfg, const uint8_t *data, size_t size,
                               const mw_error *lazy) {
  mw_config eager = *cfg;
  eager.eager_compile = true;
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(&eager, data, size, &m);
  if (!err) err = mw_module_validate(m);
  bool oom = (err && mw_error_kind_of(err) == MW_ERR_OUT_OF_MEMORY) ||
             (lazy && mw_error_kind_of(lazy) == MW_ERR_OUT_OF_MEMORY);
  if (!oom) {
    if ((err == NULL) != (lazy == NULL)) abort();
    if (err && (mw_error_kind_of(err) != mw_error_kind_of(lazy) ||
                strcmp(mw_error_message(err), mw_error_message(lazy)) != 0))
      abort();
  }
  mw_error_free(err);
  mw_module_release(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mw_config cfg;
  config(&cfg);
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(&cfg, data, size, &m);
  if (err) {
    check_eager_agrees(&cfg, data, size, err);
    mw_error_free(err);
    return 0;
  }
  /* Inspecting before validation must be safe whatever the indices. */
  for (size_t i = 0; i < mw_module_import_count(m); i++) {
    mw_import_desc d;
    mw_module_import(m, i, &d);
    if (!d.unknown && d.type.kind == MW_EXTERN_FUNC && !d.type.of.func) abort();
  }
  for (size_t i = 0; i < mw_module_export_count(m); i++) {
    mw_export_desc d;
    mw_module_export(m, i, &d);
    if (!d.unknown && d.type.kind == MW_EXTERN_FUNC && !d.type.of.func) abort();
  }
  err = mw_module_validate(m);
  check_eager_agrees(&cfg, data, size, err);
  if (err) {
    mw_error_free(err);
    mw_module_release(m);
    return 0;
  }

  /* Nothing defined: only a module without imports may link. */
  mw_store *s = mw_store_new(&cfg);
  mw_instance *inst = NULL;
  mw_store_set_fuel(s, FUEL);
  err = mw_instantiate(s, m, &inst);
  if (!err && mw_module_import_count(m) > 0) abort();
  if (err && mw_module_import_count(m) > 0 &&
      mw_error_kind_of(err) != MW_ERR_UNLINKABLE)
    abort();
  if (!err && inst) run_exports(s, inst);
  mw_error_free(err);
  mw_store_free(s);

  /* Every import a dummy of its type. */
  dummies d;
  if (make_dummies(&cfg, m, &d)) {
    s = mw_store_new(&cfg);
    inst = NULL;
    mw_store_set_fuel(s, FUEL);
    err = mw_instantiate_with(s, m, d.ext, d.n, &inst);
    if (!err && inst) run_exports(s, inst);
    mw_error_free(err);
    mw_store_free(s);
  }
  free_dummies(&d);
  mw_module_release(m);
  return 0;
}
