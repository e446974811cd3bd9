/*
 * validate.c -- module-level validation, the rules of the spec's
 * "Validation > Modules" (Wasm 2.0 without SIMD).
 *
 * Function bodies are validated by compile.c (mwc_compile), which this file
 * calls last, once every index a body may name is known to be sound and
 * C.refs has been computed.
 *
 * The order of the checks follows the reference interpreter closely enough
 * that a module with one fault reports the message the .wast tests expect;
 * an "unknown <space>" message carries the offending index after the spec's
 * text ("unknown global 1"), as the testsuite's longer expectations do.
 */
#include <inttypes.h>

#include "internal.h"

/* ---------------------------------------------------------------- errors */

static mw_error *invalid(const char *msg) {
  return mw_errorf(MW_ERR_INVALID, "%s", msg);
}

static mw_error *unknown_index(const char *msg, uint64_t index) {
  return mw_errorf(MW_ERR_INVALID, "%s %" PRIu64, msg, index);
}

static mw_error *unsupported(const char *what) {
  return mw_errorf(MW_ERR_INVALID, "%s: %s", MW_MSG_UNSUPPORTED, what);
}

static bool has_feature(const mw_module *m, uint32_t feature) {
  return (m->features & feature) != 0;
}

/* ---------------------------------------------------------------- types */

/* "Validation > Types > Function Types": every function type is valid in
 * Wasm 2.0; what remains is our implementation limit on their size and,
 * without multi-value, the Wasm 1.0 rule of at most one result. */
static mw_error *check_types(const mw_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const mw_functype *t = m->types[i];
    if (t->nparams > MW_MAX_FUNC_VALUES || t->nresults > MW_MAX_FUNC_VALUES)
      return invalid(MW_MSG_TOO_MANY_FUNC_VALUES);
    if (t->nresults > 1 && !has_feature(m, MW_FEATURE_MULTI_VALUE))
      return invalid(MW_MSG_INVALID_RESULT_ARITY);
  }
  /* Wasm 3.0: type indices within reach, supertypes (types.c). */
  return mwt_validate_types(m);
}

/* A value type naming a type index names one that exists. */
static mw_error *check_valtype(const mw_module *m, mw_valtype t) {
  if (!mwt_valtype_ok(m, t)) return unknown_index(MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(t));
  return NULL;
}

/* Imported functions come first in the function index space, so one pass
 * over it checks the imports' type indices before the definitions'.  A
 * function's type must be a function type (Wasm 3.0 has others). */
static mw_error *check_function_types(const mw_module *m) {
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    if (m->func_types[i] >= m->ntypes)
      return unknown_index(MW_MSG_UNKNOWN_TYPE, m->func_types[i]);
    if (m->types[m->func_types[i]]->comp != MW_COMP_FUNC)
      return mw_errorf(MW_ERR_INVALID, "non-function type %u", m->func_types[i]);
  }
  return NULL;
}

/* Exception handling: a tag's type exists and has no results. */
static mw_error *check_tags(const mw_module *m) {
  for (uint32_t i = 0; i < m->ntags; i++) {
    if (m->tag_types[i] >= m->ntypes)
      return unknown_index(MW_MSG_UNKNOWN_TYPE, m->tag_types[i]);
    const mw_functype *t = m->types[m->tag_types[i]];
    if (t->comp != MW_COMP_FUNC) return invalid(MW_MSG_TYPE_MISMATCH);
    if (t->nresults != 0) return invalid(MW_MSG_TAG_RESULTS);
  }
  return NULL;
}

/* ---------------------------------------------------------------- limits */

/* "Validation > Types > Limits": limits are valid within range k when
 * min <= k, max <= k and min <= max. */
static mw_error *check_limits(const mw_limits *l, uint64_t range,
                              const char *range_msg) {
  if (l->min > range) return invalid(range_msg);
  if (l->has_max && l->max > range) return invalid(range_msg);
  if (l->has_max && l->min > l->max) return invalid(MW_MSG_LIMITS_ORDER);
  return NULL;
}

static mw_error *check_cexpr(const mw_module *m, const mw_cexpr *e,
                             mw_valtype expected, uint32_t visible);
static uint32_t visible_globals(const mw_module *m, uint32_t self);

/* "Validation > Types > Table Types": range 2^32-1 for an i32 table (the
 * bounds are read as u64 with memory64), 2^64-1 for an i64 one.  Imported
 * tables come first in the index space and are checked the same way. */
static mw_error *check_tables(const mw_module *m) {
  if (m->ntables > 1 && !has_feature(m, MW_FEATURE_REFERENCE_TYPES))
    return invalid(MW_MSG_MULTIPLE_TABLES);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const mw_tabletype *t = &m->tables[i];
    if (t->elem != MW_FUNCREF && !has_feature(m, MW_FEATURE_REFERENCE_TYPES))
      return unsupported("externref tables need reference types");
    mw_error *err = check_valtype(m, t->elem);
    if (err) return err;
    err = check_limits(&t->limits, t->limits.is64 ? UINT64_MAX : UINT32_MAX,
                       MW_MSG_TABLE_SIZE);
    if (err) return err;
    /* Wasm 3.0: a table may have an initializer; without one its element
     * type must have a default (null). */
    if (m->table_inits && m->table_inits[i].end) {
      /* The table section precedes the globals: imported ones only. */
      err = check_cexpr(m, &m->table_inits[i], t->elem, m->nglobal_imports);
      if (err) return err;
    } else if (!mwt_defaultable(t->elem)) {
      return invalid(MW_MSG_TYPE_MISMATCH);
    }
  }
  return NULL;
}

/* "Validation > Types > Memory Types": range 2^16 pages, 2^48 for an i64
 * memory (memory64); and "Validation > Modules": at most one memory,
 * imports included, without multi-memory. */
static mw_error *check_memories(const mw_module *m) {
  for (uint32_t i = 0; i < m->nmemories; i++) {
    const mw_limits *l = &m->memories[i].limits;
    mw_error *err = l->is64 ? check_limits(l, (uint64_t)1 << 48, MW_MSG_MEMORY64_SIZE)
                            : check_limits(l, MW_MAX_PAGES, MW_MSG_MEMORY_SIZE);
    if (err) return err;
  }
  if (m->nmemories > 1 && !has_feature(m, MW_FEATURE_MULTI_MEMORY))
    return invalid(MW_MSG_MULTIPLE_MEMORIES);
  return NULL;
}

/* ---------------------------------------------------------------- constant expressions */

/* "Validation > Instructions > Constant Expressions".  The context's
 * globals are the first `visible` of the module: in Wasm 2.0 only the
 * imported ones (the 2.0 testsuite rejects global.get of a defined global
 * with "unknown global", and so does the extended-const proposal's); in
 * Wasm 3.0 (MW_FEATURE_CONST_GLOBALS) a global's initializer sees every
 * global before it, and segments see all.
 * A global.get of a mutable global is not constant, nor is arithmetic
 * other than i32/i64 add, sub and mul (and those only in Wasm 3.0). */
static mw_error *check_constant_instr(const mw_module *m, const mw_cinstr *in,
                                      uint32_t visible) {
  switch (in->op) {
  case MW_OP_I32_CONST:
  case MW_OP_I64_CONST:
  case MW_OP_F32_CONST:
  case MW_OP_F64_CONST:
  case MW_OP_V128_CONST:
  case MW_OP_REF_NULL:
  case MW_OP_REF_FUNC:
    return NULL;
  case MW_OP_I32_ADD: case MW_OP_I32_SUB: case MW_OP_I32_MUL:
  case MW_OP_I64_ADD: case MW_OP_I64_SUB: case MW_OP_I64_MUL:
    if (!has_feature(m, MW_FEATURE_EXTENDED_CONST)) return invalid(MW_MSG_CONST_REQUIRED);
    return NULL;
  case MW_OP_GLOBAL_GET:
    if (in->imm >= visible) return unknown_index(MW_MSG_UNKNOWN_GLOBAL, in->imm);
    if (m->globals[in->imm].type.mutable_) return invalid(MW_MSG_CONST_REQUIRED);
    return NULL;
  case MW_OP_REF_I31: case MW_OP_STRUCT_NEW: case MW_OP_STRUCT_NEW_DEFAULT:
  case MW_OP_ARRAY_NEW: case MW_OP_ARRAY_NEW_DEFAULT: case MW_OP_ARRAY_NEW_FIXED:
  case MW_OP_ANY_CONVERT_EXTERN: case MW_OP_EXTERN_CONVERT_ANY:
    return NULL; /* GC: the decoder only lets them through with the feature */
  default:
    return invalid(MW_MSG_CONST_REQUIRED);
  }
}

/* The globals a constant expression may read; `self` is the index of the
 * global it initializes, or UINT32_MAX for a segment. */
static uint32_t visible_globals(const mw_module *m, uint32_t self) {
  if (!has_feature(m, MW_FEATURE_CONST_GLOBALS)) return m->nglobal_imports;
  return self < m->nglobals ? self : m->nglobals;
}

/* The GC instructions of constant expressions (Wasm 3.0): pop their
 * operands from types[0 .. *h-1], give the result type in *t. */
static mw_error *pop_cexpr(const mw_module *m, mw_valtype *types, uint32_t *h,
                           mw_valtype want) {
  if (*h == 0 || !mwt_val_sub(m, types[*h - 1], want)) return invalid(MW_MSG_TYPE_MISMATCH);
  (*h)--;
  return NULL;
}

static mw_valtype field_unpacked(mw_valtype f) {
  mw_valtype t = MW_VT_PLAIN(f);
  return t == MW_I8 || t == MW_I16 ? MW_I32 : t;
}

static mw_error *type_gc_cexpr(const mw_module *m, const mw_cinstr *in,
                               mw_valtype *types, uint32_t *h, mw_valtype *t) {
  mw_error *err = NULL;
  switch (in->op) {
  case MW_OP_REF_I31:
    *t = MW_REF(false, MW_HT_I31);
    return pop_cexpr(m, types, h, MW_I32);
  case MW_OP_ANY_CONVERT_EXTERN:
  case MW_OP_EXTERN_CONVERT_ANY: {
    bool in_ = in->op == MW_OP_ANY_CONVERT_EXTERN;
    bool nullable = *h == 0 || MW_VT_NULLABLE(types[*h - 1]);
    *t = MW_REF(nullable, in_ ? MW_HT_ANY : MW_HT_EXTERN);
    return pop_cexpr(m, types, h, in_ ? MW_EXTERNREF : MW_ANYREF);
  }
  default: break;
  }
  if (in->imm >= m->ntypes) return unknown_index(MW_MSG_UNKNOWN_TYPE, in->imm);
  const mw_functype *d = m->types[in->imm];
  bool is_struct = in->op == MW_OP_STRUCT_NEW || in->op == MW_OP_STRUCT_NEW_DEFAULT;
  if (d->comp != (is_struct ? MW_COMP_STRUCT : MW_COMP_ARRAY))
    return invalid(MW_MSG_TYPE_MISMATCH);
  *t = MW_REF_IDX(false, (uint32_t)in->imm);
  switch (in->op) {
  case MW_OP_STRUCT_NEW:
    for (uint32_t i = d->nparams; !err && i-- > 0;)
      err = pop_cexpr(m, types, h, field_unpacked(d->types[i]));
    return err;
  case MW_OP_STRUCT_NEW_DEFAULT:
    for (uint32_t i = 0; i < d->nparams; i++)
      if (!mwt_defaultable(field_unpacked(d->types[i])))
        return invalid("field type is not defaultable");
    return NULL;
  case MW_OP_ARRAY_NEW:
    err = pop_cexpr(m, types, h, MW_I32);
    return err ? err : pop_cexpr(m, types, h, field_unpacked(d->types[0]));
  case MW_OP_ARRAY_NEW_DEFAULT:
    if (!mwt_defaultable(field_unpacked(d->types[0])))
      return invalid("array type is not defaultable");
    return pop_cexpr(m, types, h, MW_I32);
  default: /* ARRAY_NEW_FIXED */
    for (uint64_t i = 0; !err && i < in->imm_hi; i++)
      err = pop_cexpr(m, types, h, field_unpacked(d->types[0]));
    return err;
  }
}

/* Type the instructions like a block of type [] -> [t]: ref.func indices
 * exist, operands match, exactly one value of type `expected` is left
 * ("type mismatch" otherwise).  `types` has room for e->n values. */
static mw_error *type_cexpr(const mw_module *m, const mw_cexpr *e,
                            mw_valtype expected, mw_valtype *types) {
  mw_cexpr_iter it;
  mw_cinstr in;
  uint32_t h = 0;
  mw_cexpr_iter_init(&it, e);
  while (mw_cexpr_next(&it, &in)) {
    mw_valtype t;
    switch (in.op) {
    case MW_OP_I32_CONST: t = MW_I32; break;
    case MW_OP_I64_CONST: t = MW_I64; break;
    case MW_OP_F32_CONST: t = MW_F32; break;
    case MW_OP_F64_CONST: t = MW_F64; break;
    case MW_OP_V128_CONST: t = MW_V128; break;
    case MW_OP_REF_NULL:
      if (!mwt_valtype_ok(m, (mw_valtype)in.imm))
        return unknown_index(MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(in.imm));
      t = (mw_valtype)in.imm; /* (ref null ht) */
      break;
    case MW_OP_REF_FUNC: /* (ref $t) with typed function references */
      if (in.imm >= m->nfuncs) return unknown_index(MW_MSG_UNKNOWN_FUNC, in.imm);
      t = has_feature(m, MW_FEATURE_FUNCTION_REFERENCES)
              ? MW_REF_IDX(false, m->func_types[in.imm])
              : MW_FUNCREF;
      break;
    case MW_OP_GLOBAL_GET: t = m->globals[in.imm].type.type; break;
    case MW_OP_REF_I31: case MW_OP_STRUCT_NEW: case MW_OP_STRUCT_NEW_DEFAULT:
    case MW_OP_ARRAY_NEW: case MW_OP_ARRAY_NEW_DEFAULT: case MW_OP_ARRAY_NEW_FIXED:
    case MW_OP_ANY_CONVERT_EXTERN: case MW_OP_EXTERN_CONVERT_ANY: {
      t = MW_I32;
      mw_error *err = type_gc_cexpr(m, &in, types, &h, &t);
      if (err) return err;
      break;
    }
    default: /* binary i32/i64 arithmetic */
      t = (in.op == MW_OP_I32_ADD || in.op == MW_OP_I32_SUB || in.op == MW_OP_I32_MUL)
              ? MW_I32 : MW_I64;
      if (h < 2 || types[h - 1] != t || types[h - 2] != t)
        return invalid(MW_MSG_TYPE_MISMATCH);
      h -= 2;
      break;
    }
    types[h++] = t;
  }
  if (h != 1 || !mwt_val_sub(m, types[0], expected)) return invalid(MW_MSG_TYPE_MISMATCH);
  return NULL;
}

/* As the reference interpreter does: first every instruction must be
 * constant (so "(i32.const 0) (nop)" is "constant expression required"),
 * then the sequence is typed (type_cexpr).  Of a hand-built expression
 * only the first MW_CEXPR_MAX instructions exist; one longer than that
 * whose kept part is constant is a type mismatch. */
static mw_error *check_cexpr(const mw_module *m, const mw_cexpr *e,
                             mw_valtype expected, uint32_t visible) {
  mw_cexpr_iter it;
  mw_cinstr in;
  uint32_t seen = 0;
  mw_cexpr_iter_init(&it, e);
  while (mw_cexpr_next(&it, &in)) {
    mw_error *err = check_constant_instr(m, &in, visible);
    if (err) return err;
    seen++;
  }
  if (seen != e->n) return invalid(MW_MSG_TYPE_MISMATCH);
  mw_valtype small[16];
  mw_valtype *types = small;
  if (e->n > 16 && !(types = mw_alloc(&m->alloc, (size_t)e->n * sizeof *types)))
    return mw_error_oom();
  mw_error *err = type_cexpr(m, e, expected, types);
  if (types != small) mw_free(&m->alloc, types, (size_t)e->n * sizeof *types);
  return err;
}

/* ---------------------------------------------------------------- globals */

/* "Validation > Modules > Globals": the initializer is a constant
 * expression of the global's value type.  Without the mutable-globals
 * feature (Wasm 1.0) a mutable global may not be imported. */
static mw_error *check_globals(const mw_module *m) {
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const mw_global_decl *g = &m->globals[i];
    mw_error *verr = check_valtype(m, g->type.type);
    if (verr) return verr;
    if (i < m->nglobal_imports) {
      if (g->type.mutable_ && !has_feature(m, MW_FEATURE_MUTABLE_GLOBALS))
        return unsupported("importing a mutable global");
      continue;
    }
    mw_error *err = check_cexpr(m, &g->init, g->type.type, visible_globals(m, i));
    if (err) return err;
  }
  return NULL;
}

/* ---------------------------------------------------------------- segments */

/* Passive and declarative segments came with bulk memory (Wasm 2.0). */
static bool segment_mode_enabled(const mw_module *m, mw_seg_mode mode) {
  return mode == MW_SEG_ACTIVE || has_feature(m, MW_FEATURE_BULK_MEMORY);
}

/* "Validation > Modules > Element Segments": each item is a constant
 * expression of the segment's type; an active segment names an existing
 * table of that same element type, at an i32 constant offset.  Items come
 * first, as in the reference interpreter. */
static mw_error *check_elem(const mw_module *m, const mw_elem *seg) {
  if (!segment_mode_enabled(m, seg->mode))
    return unsupported("passive or declarative element segment");
  if (seg->type != MW_FUNCREF && !has_feature(m, MW_FEATURE_REFERENCE_TYPES))
    return unsupported("externref element segment");
  mw_error *verr = check_valtype(m, seg->type);
  if (verr) return verr;
  for (uint32_t i = 0; i < seg->count; i++) {
    mw_error *err = check_cexpr(m, &seg->items[i], seg->type, visible_globals(m, UINT32_MAX));
    if (err) return err;
  }
  if (seg->mode != MW_SEG_ACTIVE) return NULL;
  if (seg->table >= m->ntables)
    return unknown_index(MW_MSG_UNKNOWN_TABLE, seg->table);
  if (!mwt_val_sub(m, seg->type, m->tables[seg->table].elem))
    return invalid(MW_MSG_TYPE_MISMATCH);
  return check_cexpr(m, &seg->offset, m->tables[seg->table].limits.is64 ? MW_I64 : MW_I32,
                     visible_globals(m, UINT32_MAX));
}

static mw_error *check_elems(const mw_module *m) {
  for (uint32_t i = 0; i < m->nelems; i++) {
    mw_error *err = check_elem(m, &m->elems[i]);
    if (err) return err;
  }
  return NULL;
}

/* "Validation > Modules > Data Segments": an active segment names an
 * existing memory, at an i32 constant offset. */
static mw_error *check_data(const mw_module *m, const mw_data *seg) {
  if (!segment_mode_enabled(m, seg->mode))
    return unsupported("passive data segment");
  if (seg->mode != MW_SEG_ACTIVE) return NULL;
  if (seg->memory >= m->nmemories)
    return unknown_index(MW_MSG_UNKNOWN_MEMORY, seg->memory);
  return check_cexpr(m, &seg->offset, m->memories[seg->memory].limits.is64 ? MW_I64 : MW_I32,
                     visible_globals(m, UINT32_MAX));
}

static mw_error *check_datas(const mw_module *m) {
  for (uint32_t i = 0; i < m->ndatas; i++) {
    mw_error *err = check_data(m, &m->datas[i]);
    if (err) return err;
  }
  return NULL;
}

/* ---------------------------------------------------------------- start */

/* "Validation > Modules > Start Function": it exists and has type [] -> []. */
static mw_error *check_start(const mw_module *m) {
  if (!m->has_start) return NULL;
  if (m->start >= m->nfuncs) return unknown_index(MW_MSG_UNKNOWN_FUNC, m->start);
  const mw_functype *t = m->types[m->func_types[m->start]];
  if (t->nparams != 0 || t->nresults != 0) return invalid(MW_MSG_START);
  return NULL;
}

/* ---------------------------------------------------------------- exports */

/* "Validation > Modules > Exports": the index exists in its space.  Wasm
 * 2.0 allows exporting a mutable global; Wasm 1.0 did not. */
static mw_error *check_export_index(const mw_module *m, const mw_export *ex) {
  switch (ex->kind) {
  case MW_EXTERN_FUNC:
    if (ex->index >= m->nfuncs)
      return unknown_index(MW_MSG_UNKNOWN_FUNC, ex->index);
    return NULL;
  case MW_EXTERN_TABLE:
    if (ex->index >= m->ntables)
      return unknown_index(MW_MSG_UNKNOWN_TABLE, ex->index);
    return NULL;
  case MW_EXTERN_MEMORY:
    if (ex->index >= m->nmemories)
      return unknown_index(MW_MSG_UNKNOWN_MEMORY, ex->index);
    return NULL;
  case MW_EXTERN_GLOBAL:
    if (ex->index >= m->nglobals)
      return unknown_index(MW_MSG_UNKNOWN_GLOBAL, ex->index);
    if (m->globals[ex->index].type.mutable_ &&
        !has_feature(m, MW_FEATURE_MUTABLE_GLOBALS))
      return unsupported("exporting a mutable global");
    return NULL;
  case MW_EXTERN_TAG:
    if (ex->index >= m->ntags) return unknown_index(MW_MSG_UNKNOWN_TAG, ex->index);
    return NULL;
  }
  /* Unreachable: the decoder rejects other kinds. */
  return mw_errorf(MW_ERR_MALFORMED, "%s", MW_MSG_EXPORT_KIND);
}

/* FNV-1a over the name's bytes (names may hold NULs). */
static uint32_t name_hash(const mw_name *n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n->len; i++) {
    h ^= (uint8_t)n->ptr[i];
    h *= 16777619u;
  }
  return h;
}

static bool name_equal(const mw_name *a, const mw_name *b) {
  return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

/* Insert export `i`'s name into an open-addressing set of export indices
 * (slot value = index + 1, 0 = empty); false if the name is already there. */
static bool insert_export_name(const mw_module *m, uint32_t *slots,
                               size_t mask, uint32_t i) {
  const mw_name *name = &m->exports[i].name;
  for (size_t s = name_hash(name) & mask;; s = (s + 1) & mask) {
    if (slots[s] == 0) {
      slots[s] = i + 1;
      return true;
    }
    if (name_equal(&m->exports[slots[s] - 1].name, name)) return false;
  }
}

/* Exports in order, each index checked before its name is compared with
 * the earlier ones ("duplicate export name"), as the spec's fold does.  A
 * hash set keeps this linear for modules with many exports. */
static mw_error *check_exports(const mw_module *m) {
  size_t cap = 2;
  while (cap < (size_t)m->nexports * 2) cap *= 2;
  uint32_t *slots = mw_calloc(&m->alloc, cap, sizeof *slots);
  if (!slots) return mw_error_oom();
  mw_error *err = NULL;
  for (uint32_t i = 0; i < m->nexports && !err; i++) {
    err = check_export_index(m, &m->exports[i]);
    if (!err && !insert_export_name(m, slots, cap - 1, i))
      err = invalid(MW_MSG_DUP_EXPORT);
  }
  mw_free(&m->alloc, slots, cap * sizeof *slots);
  return err;
}

/* ---------------------------------------------------------------- C.refs */

static void add_ref(uint8_t *refs, uint32_t nfuncs, uint64_t f) {
  if (f < nfuncs) refs[f / 8] |= (uint8_t)(1u << (f % 8));
}

static void add_cexpr_refs(uint8_t *refs, uint32_t nfuncs, const mw_cexpr *e) {
  mw_cexpr_iter it;
  mw_cinstr in;
  mw_cexpr_iter_init(&it, e);
  while (mw_cexpr_next(&it, &in))
    if (in.op == MW_OP_REF_FUNC) add_ref(refs, nfuncs, in.imm);
}

/* "Validation > Modules": C.refs is the set of function indices occurring
 * in the module outside function bodies and the start function: exports,
 * element segments and global initializers.  A body may only take
 * `ref.func x` of those (so that the set of functions a module can leak as
 * references is known before its code is read).  The bitset is owned by the
 * module: (nfuncs + 7) / 8 bytes, freed with it; NULL when nfuncs is 0
 * (no zero-sized allocations: the allocator hook sees exact sizes). */
mw_error *mwv_refs(mw_module *m) {
  size_t nbytes = ((size_t)m->nfuncs + 7) / 8;
  if (nbytes == 0) return NULL; /* no functions: nothing to refer to */
  uint8_t *refs = m->func_refs;
  if (refs)
    memset(refs, 0, nbytes);
  else if (!(refs = mw_calloc(&m->alloc, nbytes, 1)))
    return mw_error_oom();
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == MW_EXTERN_FUNC)
      add_ref(refs, m->nfuncs, m->exports[i].index);
  for (uint32_t i = 0; i < m->nelems; i++)
    for (uint32_t j = 0; j < m->elems[i].count; j++)
      add_cexpr_refs(refs, m->nfuncs, &m->elems[i].items[j]);
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
    add_cexpr_refs(refs, m->nfuncs, &m->globals[i].init);
  m->func_refs = refs;
  return NULL;
}

/* ---------------------------------------------------------------- bodies */

/* Validate and compile every defined function, in order; the first error
 * wins.  On failure the functions compiled so far are released and
 * m->compiled is left NULL, so a module is either fully compiled or not at
 * all.  No defined function: no array (m->compiled stays NULL). */
static mw_error *compile_bodies(mw_module *m) {
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (ndefined == 0) return NULL; /* m->compiled stays NULL */
  m->compiled = mw_calloc(&m->alloc, ndefined, sizeof *m->compiled);
  if (!m->compiled) return mw_error_oom();
  mw_error *err = mwl_begin(m); /* lazy.c: bodies compiled on first call */
  if (!err) err = mwc_compile_all(m, ndefined); /* compile_par.c */
  if (err) {
    mw_free(&m->alloc, m->compiled, (size_t)ndefined * sizeof *m->compiled);
    m->compiled = NULL;
  }
  return err;
}

/* ---------------------------------------------------------------- entry */

/* One module-level rule group; run in the order of the table below. */
typedef mw_error *(*module_check)(const mw_module *m);

static const module_check module_checks[] = {
    check_types,  check_function_types, check_tags, check_tables, check_memories,
    check_globals, check_elems,         check_datas,  check_start,
    check_exports,
};

/* Validate a decoded module: the module-level rules here, then every body
 * through compile.c.  On success m->validated is set, m->func_refs holds
 * C.refs and m->compiled the compiled functions (both owned by the module,
 * released by mwd_module_free).  A second call after success does nothing;
 * after a failure, m->compiled is NULL. */
mw_error *mwv_validate(mw_module *m) {
  if (m->validated) return NULL;
  for (size_t i = 0; i < sizeof module_checks / sizeof module_checks[0]; i++) {
    mw_error *err = module_checks[i](m);
    if (err) return err;
  }
  mw_error *err = mwv_refs(m);
  if (!err) err = compile_bodies(m);
  if (!err) err = mwgc_module_types(m); /* gc_exec.c: object layouts */
  if (!err) m->validated = true;
  return err;
}
