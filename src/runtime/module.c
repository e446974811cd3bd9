/*
 * module.c -- the public face of decoded modules: decode, validate (once,
 * cached), reference counting, and read access to imports, exports, custom
 * sections and names.  Also the configuration defaults and function types,
 * which every later stage shares.
 */
#include <stdlib.h>

#include "internal.h"

/* ---------------------------------------------------------------- config */

void mw_config_default(mw_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->features = MW_FEATURES_DEFAULT;
  cfg->max_memory_pages = MW_DEFAULT_MAX_PAGES;
  cfg->max_table_size = MW_MAX_TABLE_SIZE;
  cfg->max_call_depth = MW_DEFAULT_CALL_DEPTH;
  cfg->max_host_depth = MW_DEFAULT_HOST_DEPTH;
  cfg->value_stack_slots = MW_DEFAULT_STACK_SLOTS;
  cfg->alloc = NULL;
  cfg->alloc_ud = NULL;
}

/* ---------------------------------------------------------------- function types */

size_t mw_functype_bytes(uint32_t nparams, uint32_t nresults) {
  return sizeof(mw_functype) + ((size_t)nparams + nresults) * sizeof(mw_valtype);
}

/* Host types name no type index: numbers, v128 and abstract references,
 * nullable or not. */
static bool is_valtype(mw_valtype t) {
  switch ((unsigned)t) {
  case MW_I32: case MW_I64: case MW_F32: case MW_F64: case MW_V128:
    return true;
  }
  return mw_valtype_is_reference(t) && !MW_VT_IS_IDX(t);
}

static bool valtypes_ok(const mw_valtype *ts, size_t n) {
  if (n > MW_MAX_FUNC_VALUES || (n && !ts)) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_valtype(ts[i])) return false;
  return true;
}

/* A host-made type is allocated with plain malloc, not cfg's allocator:
 * mw_functype_free takes no allocator, so it could not know which one to
 * give it back to.  (Types inside a module use the module's allocator and
 * are freed with it.)  `cfg` is accepted for symmetry with the other _new
 * functions.  NULL on out of memory, on an unknown value type, or past
 * MW_MAX_FUNC_VALUES params or results. */
mw_functype *mw_functype_new(const mw_config *cfg, const mw_valtype *params,
                             size_t nparams, const mw_valtype *results,
                             size_t nresults) {
  (void)cfg;
  if (!valtypes_ok(params, nparams) || !valtypes_ok(results, nresults)) return NULL;
  mw_functype *t = malloc(mw_functype_bytes((uint32_t)nparams, (uint32_t)nresults));
  if (!t) return NULL;
  memset(t, 0, sizeof *t);
  t->nparams = (uint32_t)nparams;
  t->nresults = (uint32_t)nresults;
  t->comp = MW_COMP_FUNC;
  t->final = true;
  t->super = MW_NO_SUPER;
  t->rec_len = 1;
  for (size_t i = 0; i < nparams; i++) t->types[i] = params[i];
  for (size_t i = 0; i < nresults; i++) t->types[nparams + i] = results[i];
  t->hash = mwt_hash_host(t);
  return t;
}

void mw_functype_free(mw_functype *t) { free(t); }

size_t mw_functype_param_count(const mw_functype *t) { return t->nparams; }
size_t mw_functype_result_count(const mw_functype *t) { return t->nresults; }

/* Out-of-range positions give 0, which is no value type. */
mw_valtype mw_functype_param(const mw_functype *t, size_t i) {
  return i < t->nparams ? (mw_valtype)MW_FT_PARAMS(t)[i] : (mw_valtype)0;
}

mw_valtype mw_functype_result(const mw_functype *t, size_t i) {
  return i < t->nresults ? (mw_valtype)MW_FT_RESULTS(t)[i] : (mw_valtype)0;
}

/* Types are structural (Wasm 3.0: iso-recursive, types.c). */
bool mw_functype_equal(const mw_functype *a, const mw_functype *b) {
  return mw_functype_same(a, b);
}

/* ---------------------------------------------------------------- lifetime */

/* Counting is compiled into the module's code (compile.c emits METER
 * instructions), so the config that asks for it is the decoding one. */
static mw_error *set_metering(mw_module *m, const mw_config *cfg) {
  m->metered = true;
  if (!cfg->cost_table) return NULL;
  m->cost_table = mw_alloc(&m->alloc, MW_COST_TABLE_SIZE * sizeof *m->cost_table);
  if (!m->cost_table) return mw_error_oom();
  memcpy(m->cost_table, cfg->cost_table, MW_COST_TABLE_SIZE * sizeof *m->cost_table);
  return NULL;
}

mw_error *mw_module_decode(const mw_config *cfg, const uint8_t *bytes,
                           size_t len, mw_module **out) {
  if (!out) return mw_errorf(MW_ERR_USAGE, "mw_module_decode: no output pointer");
  *out = NULL;
  if (!bytes && len) return mw_errorf(MW_ERR_USAGE, "mw_module_decode: no bytes");
  /* The SIMD bit is accepted, but SIMD is not implemented: a module that
   * uses it fails to decode, with a message that says so. */
  mw_error *err = mwd_decode(cfg, bytes, len, out);
  if (!err && cfg && (cfg->count_instructions || cfg->count_cost))
    err = set_metering(*out, cfg);
  if (err && *out) {
    mw_module_release(*out);
    *out = NULL;
  }
  return err;
}

/* Remember a validation failure so that later calls repeat it without
 * validating again.  If the copy can't be made, nothing is remembered and
 * the next call simply validates again. */
static void remember_failure(mw_module *m, const mw_error *err) {
  size_t n = strlen(err->message) + 1;
  char *copy = mw_alloc(&m->alloc, n);
  if (!copy) return;
  memcpy(copy, err->message, n);
  m->valid_kind = err->kind;
  m->valid_message = copy;
}

mw_error *mw_module_validate(mw_module *m) {
  if (m->validated) return NULL;
  if (m->valid_message) return mw_errorf(m->valid_kind, "%s", m->valid_message);
  mw_error *err = mwv_validate(m);
  if (!err) {
    m->validated = true;
    return NULL;
  }
  /* Out of memory says nothing about the module: don't make it stick. */
  if (err->kind != MW_ERR_OUT_OF_MEMORY) remember_failure(m, err);
  return err;
}

mw_module *mw_module_retain(mw_module *m) {
  atomic_fetch_add_explicit(&m->refcount, 1, memory_order_relaxed);
  return m;
}

void mw_module_release(mw_module *m) {
  if (m && atomic_fetch_sub_explicit(&m->refcount, 1, memory_order_acq_rel) == 1)
    mwd_module_free(m);
}

/* ---------------------------------------------------------------- inspection */

/* Types in descriptors come straight from the module.  Before validation
 * an index may be out of range; the type is then left zeroed (a func type
 * of NULL) and *unknown / *unknown_index say which index, rather than
 * anything being read out of bounds. */
static mw_externtype extern_type(const mw_module *m, mw_extern_kind kind,
                                 uint32_t index, const char **unknown,
                                 uint32_t *unknown_index) {
  mw_externtype t;
  memset(&t, 0, sizeof t);
  t.kind = kind;
  *unknown = NULL;
  *unknown_index = index;
  switch (kind) {
  case MW_EXTERN_FUNC:
    if (index >= m->nfuncs) {
      *unknown = "unknown function";
    } else if (m->func_types[index] >= m->ntypes ||
               !m->types[m->func_types[index]]) {
      *unknown = "unknown type";
      *unknown_index = m->func_types[index];
    } else {
      t.of.func = m->types[m->func_types[index]];
    }
    break;
  case MW_EXTERN_TABLE:
    if (index < m->ntables)
      t.of.table = m->tables[index];
    else
      *unknown = "unknown table";
    break;
  case MW_EXTERN_MEMORY:
    if (index < m->nmemories)
      t.of.memory = m->memories[index];
    else
      *unknown = "unknown memory";
    break;
  case MW_EXTERN_GLOBAL:
    if (index < m->nglobals)
      t.of.global = m->globals[index].type;
    else
      *unknown = "unknown global";
    break;
  case MW_EXTERN_TAG: /* exception handling: the tag's function type */
    if (index >= m->ntags) {
      *unknown = "unknown tag";
    } else if (m->tag_types[index] >= m->ntypes || !m->types[m->tag_types[index]]) {
      *unknown = "unknown type";
      *unknown_index = m->tag_types[index];
    } else {
      t.of.tag = m->types[m->tag_types[index]];
    }
    break;
  }
  if (!*unknown) *unknown_index = 0;
  return t;
}

size_t mw_module_import_count(const mw_module *m) { return m->nimports; }

void mw_module_import(const mw_module *m, size_t i, mw_import_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nimports) return;
  const mw_import *imp = &m->imports[i];
  out->module = imp->module.ptr;
  out->module_len = imp->module.len;
  out->name = imp->name.ptr;
  out->name_len = imp->name.len;
  if (imp->kind == MW_EXTERN_FUNC) {
    /* A func import's index is its type index, not a function index. */
    out->type.kind = MW_EXTERN_FUNC;
    if (imp->index < m->ntypes && m->types[imp->index]) {
      out->type.of.func = m->types[imp->index];
    } else {
      out->unknown = "unknown type";
      out->unknown_index = imp->index;
    }
  } else {
    out->type = extern_type(m, imp->kind, imp->index, &out->unknown,
                            &out->unknown_index);
  }
}

size_t mw_module_export_count(const mw_module *m) { return m->nexports; }

void mw_module_export(const mw_module *m, size_t i, mw_export_desc *out) {
  memset(out, 0, sizeof *out);
  if (i >= m->nexports) return;
  const mw_export *e = &m->exports[i];
  out->name = e->name.ptr;
  out->name_len = e->name.len;
  out->type = extern_type(m, e->kind, e->index, &out->unknown,
                          &out->unknown_index);
}

size_t mw_module_custom_count(const mw_module *m) { return m->ncustoms; }

void mw_module_custom(const mw_module *m, size_t i, const char **name,
                      size_t *name_len, const uint8_t **data, size_t *len) {
  *name = NULL;
  *data = NULL;
  *name_len = *len = 0;
  if (i >= m->ncustoms) return;
  const mw_custom *c = &m->customs[i];
  *name = c->name.ptr;
  *name_len = c->name.len;
  *data = c->data;
  *len = c->len;
}

/* func_names is sorted by index (the decoder keeps a name map only if it
 * is), so a binary search finds it.  The name is not NUL-terminated. */
const char *mw_module_func_name(const mw_module *m, uint32_t func_index,
                                size_t *len) {
  uint32_t lo = 0, hi = m->nfunc_names;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t index = m->func_names[mid].index;
    if (index == func_index) {
      if (len) *len = m->func_names[mid].name.len;
      return m->func_names[mid].name.ptr;
    }
    if (index < func_index)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (len) *len = 0;
  return NULL;
}

/* For backtraces and profiles: the name section's name, else the name of
 * the first export of the function (a module without debug names still
 * shows "fib" rather than "?"). */
const char *mwm_func_label(const mw_module *m, uint32_t func_index, size_t *len) {
  const char *name = mw_module_func_name(m, func_index, len);
  if (name) return name;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const mw_export *e = &m->exports[i];
    if (e->kind == MW_EXTERN_FUNC && e->index == func_index) {
      if (len) *len = e->name.len;
      return (const char *)e->name.ptr;
    }
  }
  return NULL;
}
