/*
 * gc_exec.c -- the GC instructions' out-of-line work for the interpreter
 * (exec_gc.h has the handlers and the ir.h layouts), plus the per-module
 * object layouts (mw_module.gc_types) they allocate with.
 *
 * Each mwx_gc_* function reads its operands from the instruction at pc in
 * the frame fp, writes its result slot, and returns NULL or the trap
 * message, in the reference interpreter's wording.
 */
#include "internal.h"
#include "gc.h"
#include "gc_exec.h"

/* ---------------------------------------------------------------- layouts */

int mwgc_storage_of(const mw_module *m, mw_valtype t) {
  if (!mw_valtype_is_ref(t)) {
    switch ((unsigned)t & 0xFFu) {
    case 0x78: return MW_GCS_I8;
    case 0x77: return MW_GCS_I16;
    case MW_I32: return MW_GCS_I32;
    case MW_I64: return MW_GCS_I64;
    case MW_F32: return MW_GCS_F32;
    case MW_F64: return MW_GCS_F64;
    case MW_V128: return MW_GCS_V128;
    default: return -1;
    }
  }
  uint32_t top = mwt_heap_top(m, MW_VT_HEAP(t));
  if (top == MW_HT_FUNC) return MW_GCS_FUNC; /* exnref: an object (exception.c) */
  if (top == MW_HT_EXTERN) return MW_GCS_EXTERN;
  return MW_GCS_ANY;
}

mw_error *mwgc_module_types(mw_module *m) {
  if (m->gc_types) return NULL;
  bool any = false; /* no struct or array type: nothing to make */
  for (uint32_t i = 0; i < m->ntypes && !any; i++)
    any = m->types[i]->comp != MW_COMP_FUNC;
  if (!any) return NULL;
  m->gc_types = mw_calloc(&m->alloc, m->ntypes, sizeof *m->gc_types);
  if (!m->gc_types) return mw_error_oom();
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const mw_functype *d = m->types[i];
    mw_gc_type *t = NULL;
    if (d->comp == MW_COMP_STRUCT) {
      uint32_t n = d->nparams;
      uint8_t *st = mw_alloc(&m->alloc, n ? n : 1);
      bool *mut = mw_alloc(&m->alloc, (n ? n : 1) * sizeof *mut);
      if (st && mut) {
        for (uint32_t k = 0; k < n; k++) {
          st[k] = (uint8_t)mwgc_storage_of(m, MW_VT_PLAIN(d->types[k]));
          mut[k] = ((unsigned)d->types[k] & MW_VT_MUT) != 0;
        }
        t = mwgc_type_struct(&m->alloc, n, st, mut);
      }
      mw_free(&m->alloc, st, n ? n : 1);
      mw_free(&m->alloc, mut, (n ? n : 1) * sizeof *mut);
    } else if (d->comp == MW_COMP_ARRAY) {
      t = mwgc_type_array(&m->alloc,
                          (uint8_t)mwgc_storage_of(m, MW_VT_PLAIN(d->types[0])),
                          ((unsigned)d->types[0] & MW_VT_MUT) != 0);
    } else {
      continue;
    }
    if (!t) {
      mwgc_module_types_free(m);
      return mw_error_oom();
    }
    t->def = d;
    m->gc_types[i] = t;
  }
  return NULL;
}

void mwgc_module_types_free(mw_module *m) {
  if (!m->gc_types) return;
  for (uint32_t i = 0; i < m->ntypes; i++) mwgc_type_free(&m->alloc, m->gc_types[i]);
  mw_free(&m->alloc, m->gc_types, m->ntypes * sizeof *m->gc_types);
  m->gc_types = NULL;
}

/* ---------------------------------------------------------------- fields */

/* A field or element at p into a result slot; `ext` 1 sign-, 2 zero-extends
 * a packed one (get_s, get_u). */
void mwgc_load(mw_slot *dst, const unsigned char *p, uint8_t st, int ext) {
  switch (st) {
  case MW_GCS_I8:
    dst->u64 = 0;
    dst->i32 = ext == 1 ? (int32_t)(int8_t)p[0] : (int32_t)p[0];
    break;
  case MW_GCS_I16: {
    uint16_t v;
    memcpy(&v, p, 2);
    dst->u64 = 0;
    dst->i32 = ext == 1 ? (int32_t)(int16_t)v : (int32_t)v;
    break;
  }
  case MW_GCS_I32:
  case MW_GCS_F32:
    dst->u64 = 0;
    memcpy(&dst->u32, p, 4);
    break;
  case MW_GCS_V128: memcpy(dst, p, 16); break;
  default: memcpy(&dst->u64, p, 8); break;
  }
}

void mwgc_store(unsigned char *p, const mw_slot *src, uint8_t st) {
  switch (st) {
  case MW_GCS_I8: p[0] = (unsigned char)src->u32; break;
  case MW_GCS_I16: {
    uint16_t v = (uint16_t)src->u32;
    memcpy(p, &v, 2);
    break;
  }
  case MW_GCS_I32:
  case MW_GCS_F32: memcpy(p, &src->u32, 4); break;
  case MW_GCS_V128: memcpy(p, src, 16); break;
  default: memcpy(p, &src->u64, 8); break;
  }
}

static uint32_t width_of(uint8_t st) { return st == MW_GCS_V128 ? 2 : 1; }

#define TYPE(i) (inst->module->gc_types[(i)])
#define S(i) fp[pc[(i)]]

/* ---------------------------------------------------------------- structs */

/* STRUCT_NEW dst type base (fields in consecutive slots from base) */
const char *mwx_gc_struct_new(mw_store *s, mw_instance *inst, mw_slot *fp,
                              const mw_word *pc) {
  const mw_gc_type *t = TYPE(pc[2]);
  mw_gc_obj *o = mwgc_alloc(s, t, 0, pc + 4);
  if (!o) return MW_MSG_GC_OOM;
  const mw_slot *src = &fp[pc[3]];
  for (uint32_t i = 0; i < t->nfields; i++) {
    mwgc_store(MWGC_PAYLOAD(o) + t->fields[i].offset, src, t->fields[i].storage);
    src += width_of(t->fields[i].storage);
  }
  S(1).ref = o;
  return NULL;
}

/* STRUCT_NEW_DEFAULT dst type */
const char *mwx_gc_struct_new_default(mw_store *s, mw_instance *inst,
                                      mw_slot *fp, const mw_word *pc) {
  mw_gc_obj *o = mwgc_alloc(s, TYPE(pc[2]), 0, pc + 3);
  if (!o) return MW_MSG_GC_OOM;
  S(1).ref = o;
  return NULL;
}

/* ---------------------------------------------------------------- arrays */

/* ARRAY_NEW dst type val len */
const char *mwx_gc_array_new(mw_store *s, mw_instance *inst, mw_slot *fp,
                             const mw_word *pc) {
  const mw_gc_type *t = TYPE(pc[2]);
  mw_slot val[2];
  memcpy(val, &fp[pc[3]], width_of(t->elem) * sizeof(mw_slot));
  uint32_t n = S(4).u32;
  mw_gc_obj *o = mwgc_alloc(s, t, n, pc + 5);
  if (!o) return MW_MSG_GC_OOM;
  unsigned char *p = MWGC_PAYLOAD(o);
  if (t->elem_size == 8) {
    for (uint32_t i = 0; i < n; i++) memcpy(p + (size_t)i * 8, &val[0].u64, 8);
  } else if (t->elem_size == 1) {
    memset(p, (int)(val[0].u32 & 0xFF), n);
  } else {
    for (uint32_t i = 0; i < n; i++) mwgc_store(p + (size_t)i * t->elem_size, val, t->elem);
  }
  S(1).ref = o;
  return NULL;
}

/* ARRAY_NEW_DEFAULT dst type len */
const char *mwx_gc_array_new_default(mw_store *s, mw_instance *inst,
                                     mw_slot *fp, const mw_word *pc) {
  mw_gc_obj *o = mwgc_alloc(s, TYPE(pc[2]), S(3).u32, pc + 4);
  if (!o) return MW_MSG_GC_OOM;
  S(1).ref = o;
  return NULL;
}

/* ARRAY_NEW_FIXED dst type base n */
const char *mwx_gc_array_new_fixed(mw_store *s, mw_instance *inst,
                                   mw_slot *fp, const mw_word *pc) {
  const mw_gc_type *t = TYPE(pc[2]);
  uint32_t n = pc[4];
  mw_gc_obj *o = mwgc_alloc(s, t, n, pc + 5);
  if (!o) return MW_MSG_GC_OOM;
  const mw_slot *src = &fp[pc[3]];
  for (uint32_t i = 0; i < n; i++, src += width_of(t->elem))
    mwgc_store(MWGC_PAYLOAD(o) + (size_t)i * t->elem_size, src, t->elem);
  S(1).ref = o;
  return NULL;
}

/* The bytes of data segment d (empty once dropped). */
static const uint8_t *data_bytes(const mw_instance *inst, uint32_t d,
                                 uint64_t *len) {
  *len = inst->data_dropped[d] ? 0 : inst->module->datas[d].len;
  return inst->module->datas[d].bytes;
}

/* Element i of elements st.. read from little-endian bytes. */
static void fill_from_data(mw_gc_obj *o, uint32_t at, const uint8_t *src,
                           uint32_t n) {
  const mw_gc_type *t = o->type;
  size_t bytes = (size_t)n * t->elem_size;
  unsigned char *p = MWGC_PAYLOAD(o) + (size_t)at * t->elem_size;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t b = 0; b < t->elem_size; b++)
      p[(size_t)i * t->elem_size + b] = src[(size_t)i * t->elem_size + t->elem_size - 1 - b];
#else
  if (bytes) memcpy(p, src, bytes);
#endif
}

/* ARRAY_NEW_DATA dst type data s n */
const char *mwx_gc_array_new_data(mw_store *s, mw_instance *inst,
                                  mw_slot *fp, const mw_word *pc) {
  const mw_gc_type *t = TYPE(pc[2]);
  uint32_t src = S(4).u32, n = S(5).u32;
  uint64_t len;
  const uint8_t *bytes = data_bytes(inst, pc[3], &len);
  if ((uint64_t)src + (uint64_t)n * t->elem_size > len) return MW_MSG_OOB_MEMORY;
  mw_gc_obj *o = mwgc_alloc(s, t, n, pc + 6);
  if (!o) return MW_MSG_GC_OOM;
  fill_from_data(o, 0, bytes + src, n);
  S(1).ref = o;
  return NULL;
}

/* ARRAY_NEW_ELEM dst type elem s n */
const char *mwx_gc_array_new_elem(mw_store *s, mw_instance *inst,
                                  mw_slot *fp, const mw_word *pc) {
  const mw_gc_type *t = TYPE(pc[2]);
  const mw_elem_inst *seg = &inst->elems[pc[3]];
  uint32_t src = S(4).u32, n = S(5).u32;
  if ((uint64_t)src + n > seg->count) return MW_MSG_OOB_TABLE;
  mw_gc_obj *o = mwgc_alloc(s, t, n, pc + 6);
  if (!o) return MW_MSG_GC_OOM;
  /* seg may have moved? No: segments are fixed arrays; reread anyway. */
  seg = &inst->elems[pc[3]];
  if (n) memcpy(MWGC_PAYLOAD(o), seg->refs + src, (size_t)n * 8);
  S(1).ref = o;
  return NULL;
}

/* ARRAY_FILL ref i val n type */
const char *mwx_gc_array_fill(mw_store *s, mw_instance *inst, mw_slot *fp,
                              const mw_word *pc) {
  (void)s;
  mw_gc_obj *o = S(1).ref;
  if (!o) return MW_MSG_NULL_ARRAY;
  uint32_t i = S(2).u32, n = S(4).u32;
  if ((uint64_t)i + n > o->len) return MW_MSG_OOB_ARRAY;
  const mw_gc_type *t = o->type;
  (void)inst;
  for (uint32_t k = 0; k < n; k++)
    mwgc_store(MWGC_PAYLOAD(o) + ((size_t)i + k) * t->elem_size, &fp[pc[3]], t->elem);
  return NULL;
}

/* ARRAY_COPY dref d sref s n */
const char *mwx_gc_array_copy(mw_store *s, mw_instance *inst, mw_slot *fp,
                              const mw_word *pc) {
  (void)s;
  (void)inst;
  mw_gc_obj *dst = S(1).ref, *src = S(3).ref;
  if (!dst || !src) return MW_MSG_NULL_ARRAY;
  uint32_t d = S(2).u32, si = S(4).u32, n = S(5).u32;
  if ((uint64_t)si + n > src->len || (uint64_t)d + n > dst->len)
    return MW_MSG_OOB_ARRAY;
  size_t es = dst->type->elem_size;
  if (n) memmove(MWGC_PAYLOAD(dst) + d * es, MWGC_PAYLOAD(src) + si * es, n * es);
  return NULL;
}

/* ARRAY_INIT_DATA ref d s n type data */
const char *mwx_gc_array_init_data(mw_store *s, mw_instance *inst,
                                   mw_slot *fp, const mw_word *pc) {
  (void)s;
  mw_gc_obj *o = S(1).ref;
  if (!o) return MW_MSG_NULL_ARRAY;
  uint32_t d = S(2).u32, src = S(3).u32, n = S(4).u32;
  if ((uint64_t)d + n > o->len) return MW_MSG_OOB_ARRAY;
  uint64_t len;
  const uint8_t *bytes = data_bytes(inst, pc[6], &len);
  if ((uint64_t)src + (uint64_t)n * o->type->elem_size > len) return MW_MSG_OOB_MEMORY;
  fill_from_data(o, d, bytes + src, n);
  return NULL;
}

/* ARRAY_INIT_ELEM ref d s n type elem */
const char *mwx_gc_array_init_elem(mw_store *s, mw_instance *inst,
                                   mw_slot *fp, const mw_word *pc) {
  (void)s;
  mw_gc_obj *o = S(1).ref;
  if (!o) return MW_MSG_NULL_ARRAY;
  uint32_t d = S(2).u32, src = S(3).u32, n = S(4).u32;
  if ((uint64_t)d + n > o->len) return MW_MSG_OOB_ARRAY;
  const mw_elem_inst *seg = &inst->elems[pc[6]];
  if ((uint64_t)src + n > seg->count) return MW_MSG_OOB_TABLE;
  if (n) memcpy(MWGC_PAYLOAD(o) + (size_t)d * 8, seg->refs + src, (size_t)n * 8);
  return NULL;
}

/* ---------------------------------------------------------------- conversions */

/* ANY_CONVERT_EXTERN and EXTERN_CONVERT_ANY dst a: `convert_ref` is
 * mwgc_internalize or mwgc_externalize. */
static const char *convert(mw_store *s, mw_slot *fp, const mw_word *pc,
                           bool (*convert_ref)(mw_store *, void *, void **, const uint32_t *)) {
  void *out = NULL;
  if (!convert_ref(s, S(2).ref, &out, pc + 3)) return MW_MSG_GC_OOM;
  S(1).ref = out;
  return NULL;
}

const char *mwx_gc_any_convert_extern(mw_store *s, mw_instance *inst, mw_slot *fp,
                                      const mw_word *pc) {
  (void)inst;
  return convert(s, fp, pc, mwgc_internalize);
}

const char *mwx_gc_extern_convert_any(mw_store *s, mw_instance *inst, mw_slot *fp,
                                      const mw_word *pc) {
  (void)inst;
  return convert(s, fp, pc, mwgc_externalize);
}

/* ---------------------------------------------------------------- casts */

/* Does the non-null reference r belong to heap type ht (a heap type word
 * of module m)?  Only the hierarchy validation allows reaches here. */
bool mwx_gc_ref_matches(const mw_module *m, void *r, uint32_t ht) {
  if (MW_VT_IS_IDX(ht)) {
    if (!m || MW_VT_INDEX(ht) >= m->ntypes) return false;
    const mw_functype *want = m->types[MW_VT_INDEX(ht)];
    if (want->comp == MW_COMP_FUNC) {
      const mw_func *f = r;
      return f->type == want || mw_deftype_sub(f->type, want);
    }
    if (MWGC_IS_I31(r)) return false;
    const mw_gc_obj *o = r;
    if (o->kind != MW_GCK_STRUCT && o->kind != MW_GCK_ARRAY) return false;
    const mw_functype *have = o->type->def;
    return have == want || (have && mw_deftype_sub(have, want));
  }
  switch (ht & 0xFFu) {
  case MW_HT_ANY:
  case MW_HT_FUNC:
  case MW_HT_EXTERN:
  case MW_HT_EXN:
    return true;
  case MW_HT_EQ:
    return MWGC_IS_I31(r) || ((const mw_gc_obj *)r)->kind == MW_GCK_STRUCT ||
           ((const mw_gc_obj *)r)->kind == MW_GCK_ARRAY;
  case MW_HT_I31: return MWGC_IS_I31(r);
  case MW_HT_STRUCT:
    return !MWGC_IS_I31(r) && ((const mw_gc_obj *)r)->kind == MW_GCK_STRUCT;
  case MW_HT_ARRAY:
    return !MWGC_IS_I31(r) && ((const mw_gc_obj *)r)->kind == MW_GCK_ARRAY;
  default: /* none, nofunc, noextern, noexn: no non-null value */
    return false;
  }
}

/* ---------------------------------------------------------------- constant expressions */

/* One GC instruction of a constant expression (instance.c), on its value
 * stack st[0 .. *h-1] (validated: the operands are there). */
const char *mwgc_eval_const(mw_store *s, const mw_module *m, const mw_cinstr *in,
                            mw_slot *st, uint32_t *h) {
  mw_slot v;
  v.u64 = 0;
  switch (in->op) {
  case MW_OP_REF_I31:
    v.ref = mwgc_i31_new(st[*h - 1].u32);
    (*h)--;
    break;
  case MW_OP_ANY_CONVERT_EXTERN:
  case MW_OP_EXTERN_CONVERT_ANY: {
    bool ok = in->op == MW_OP_ANY_CONVERT_EXTERN
                  ? mwgc_internalize(s, st[*h - 1].ref, &v.ref, NULL)
                  : mwgc_externalize(s, st[*h - 1].ref, &v.ref, NULL);
    if (!ok) return MW_MSG_GC_OOM;
    (*h)--;
    break;
  }
  default: {
    const mw_gc_type *t = m->gc_types[in->imm];
    uint32_t n = 0, nops = 0;
    /* A v128 operand takes two slots (instance.c's evaluator). */
    if (in->op == MW_OP_STRUCT_NEW)
      for (uint32_t i = 0; i < t->nfields; i++) nops += width_of(t->fields[i].storage);
    if (in->op == MW_OP_ARRAY_NEW) n = st[*h - 1].u32, nops = 1 + width_of(t->elem);
    if (in->op == MW_OP_ARRAY_NEW_DEFAULT) n = st[*h - 1].u32, nops = 1;
    if (in->op == MW_OP_ARRAY_NEW_FIXED)
      n = (uint32_t)in->imm_hi, nops = n * width_of(t->elem);
    mw_gc_obj *o = mwgc_alloc(s, t, n, NULL);
    if (!o) return MW_MSG_GC_OOM;
    const mw_slot *ops = st + *h - nops;
    unsigned char *p = MWGC_PAYLOAD(o);
    switch (in->op) {
    case MW_OP_STRUCT_NEW:
      for (uint32_t i = 0, k = 0; i < t->nfields; k += width_of(t->fields[i].storage), i++)
        mwgc_store(p + t->fields[i].offset, &ops[k], t->fields[i].storage);
      break;
    case MW_OP_ARRAY_NEW:
      for (uint32_t i = 0; i < n; i++) mwgc_store(p + (size_t)i * t->elem_size, &ops[0], t->elem);
      break;
    case MW_OP_ARRAY_NEW_FIXED:
      for (uint32_t i = 0; i < n; i++)
        mwgc_store(p + (size_t)i * t->elem_size, &ops[i * width_of(t->elem)], t->elem);
      break;
    default: break;
    }
    *h -= nops;
    v.ref = o;
    break;
  }
  }
  st[(*h)++] = v;
  return NULL;
}
