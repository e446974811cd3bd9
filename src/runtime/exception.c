/*
 * exception.c -- tags and exception objects (exception handling, Wasm 3.0
 * and the legacy proposal).
 *
 * A tag is a reference-counted object: an instance's own tags hold one
 * reference, a host's tag (mw_tag_new) another, and every exception and
 * every MW_ERR_EXCEPTION error naming it one more, so a tag outlives
 * whatever still names it.
 *
 * An exception object (the target of an exnref) is an object of the
 * store's GC heap (gc.h, kind MW_GCK_EXN) laid out by its tag's gctype, so
 * the collector traces the references among its values and frees it when
 * nothing refers to it.  The store keeps a reference to every tag its heap
 * has exceptions of, released after the heap is freed.
 *
 * Crossing to the host, an exception becomes an error (kind exception,
 * "uncaught exception") holding the tag and a copy of the values; a host
 * error of that kind entering wasm becomes a new exception object.  Nothing
 * longjmps: the interpreter unwinds its own frames (exec.c).
 */
#include <stdlib.h>

#include "internal.h"

/* ---------------------------------------------------------------- tags */

/* How a value of type vt is stored in the GC heap (gc.h). */
static uint8_t storage_of(const mw_functype *ft, mw_valtype vt) {
  switch ((unsigned)vt) {
  case MW_I32: return MW_GCS_I32;
  case MW_I64: return MW_GCS_I64;
  case MW_F32: return MW_GCS_F32;
  case MW_F64: return MW_GCS_F64;
  case MW_V128: return MW_GCS_V128;
  }
  if (MW_VT_IS_IDX(vt)) { /* a concrete type of the tag's module */
    const mw_module *m = ft->module;
    uint32_t i = MW_VT_INDEX(vt);
    return m && i < m->ntypes && m->types[i]->comp != MW_COMP_FUNC ? MW_GCS_ANY
                                                                  : MW_GCS_FUNC;
  }
  unsigned code = (unsigned)vt & 0xFFu;
  if (code == MW_HT_FUNC || code == MW_HT_NOFUNC) return MW_GCS_FUNC;
  if (code == MW_HT_EXTERN || code == MW_HT_NOEXTERN) return MW_GCS_EXTERN;
  return MW_GCS_ANY;
}

/* The layout of the tag's exceptions: one field per value. */
static bool make_gctype(mw_tag *t) {
  uint32_t n = t->type->nparams;
  uint8_t small[16];
  uint8_t *st = n <= 16 ? small : mw_alloc(&t->alloc, n);
  if (!st) return false;
  for (uint32_t i = 0; i < n; i++) st[i] = storage_of(t->type, MW_FT_PARAMS(t->type)[i]);
  t->gctype = mwgc_type_struct(&t->alloc, n, st, NULL);
  if (st != small) mw_free(&t->alloc, st, n);
  if (!t->gctype) return false;
  t->gctype->kind = MW_GCK_EXN;
  t->gctype->tag = t;
  return true;
}

static mw_tag *tag_alloc(mw_allocator a, const mw_functype *type) {
  if (!type || type->nresults != 0) return NULL;
  size_t tb = mw_functype_bytes(type->nparams, 0);
  mw_tag *t = mw_calloc(&a, 1, sizeof *t);
  mw_functype *copy = mw_alloc(&a, tb);
  if (!t || !copy) {
    mw_free(&a, copy, tb);
    mw_free(&a, t, sizeof *t);
    return NULL;
  }
  memcpy(copy, type, tb);
  t->refcount = 1;
  t->alloc = a;
  t->type = copy;
  if (!make_gctype(t)) {
    mw_free(&a, copy, tb);
    mw_free(&a, t, sizeof *t);
    return NULL;
  }
  return t;
}

mw_tag *mw_tag_new(const mw_config *cfg, const mw_functype *type) {
  return tag_alloc(mw_allocator_of(cfg), type);
}

mw_tag *mwe_tag_retain(mw_tag *t) {
  if (t) t->refcount++;
  return t;
}

void mwe_tag_release(mw_tag *t) {
  if (!t || --t->refcount > 0) return;
  mw_allocator a = t->alloc;
  mwgc_type_free(&a, t->gctype);
  mw_free(&a, t->type, mw_functype_bytes(t->type->nparams, 0));
  mw_free(&a, t, sizeof *t);
}

void mw_tag_free(mw_tag *t) { mwe_tag_release(t); }
mw_tag *mw_tag_retain(mw_tag *t) { return mwe_tag_retain(t); }

const mw_functype *mw_tag_type(const mw_tag *t) { return t->type; }

/* ---------------------------------------------------------------- exception objects */

static uint32_t tag_slots(const mw_tag *t) {
  return mw_slot_count(MW_FT_PARAMS(t->type), t->type->nparams);
}

/* Values between frame layout (slots) and the object's fields. */
static void put_values(mw_gc_obj *o, const mw_slot *slots) {
  const mw_gc_type *gt = o->type;
  unsigned char *p = MWGC_PAYLOAD(o);
  for (uint32_t i = 0; i < gt->nfields; i++) {
    const mw_gc_field *f = &gt->fields[i];
    uint32_t size = mwgc_storage_size((mw_gc_storage)f->storage);
    memcpy(p + f->offset, slots, size); /* the slot's first member */
    slots += size > 8 ? 2 : 1;
  }
}

static void get_values(const mw_gc_obj *o, mw_slot *slots) {
  const mw_gc_type *gt = o->type;
  const unsigned char *p = MWGC_PAYLOAD(o);
  for (uint32_t i = 0; i < gt->nfields; i++) {
    const mw_gc_field *f = &gt->fields[i];
    uint32_t size = mwgc_storage_size((mw_gc_storage)f->storage);
    slots->u64 = 0;
    memcpy(slots, p + f->offset, size);
    slots += size > 8 ? 2 : 1;
  }
}

/* The store holds a reference to every tag its heap has exceptions of. */
static bool keep_tag(mw_store *s, mw_tag *tag) {
  for (uint32_t i = 0; i < s->nexn_tags; i++)
    if (s->exn_tags[i] == tag) return true;
  if (s->nexn_tags == s->cap_exn_tags) {
    uint32_t cap = s->cap_exn_tags ? s->cap_exn_tags * 2 : 8;
    mw_tag **p = mw_realloc(&s->alloc, s->exn_tags, s->cap_exn_tags * sizeof *p,
                            cap * sizeof *p);
    if (!p) return false;
    s->exn_tags = p;
    s->cap_exn_tags = cap;
  }
  s->exn_tags[s->nexn_tags++] = mwe_tag_retain(tag);
  return true;
}

mw_exn *mwe_exn_new(mw_store *s, mw_tag *tag, const mw_slot *slots, const mw_word *pc) {
  if (!keep_tag(s, tag)) return NULL;
  mw_gc_obj *o = mwgc_alloc(s, tag->gctype, 0, pc);
  if (!o) return NULL;
  put_values(o, slots);
  return (mw_exn *)o;
}

void mwe_store_free_exns(mw_store *s) {
  for (uint32_t i = 0; i < s->nexn_tags; i++) mwe_tag_release(s->exn_tags[i]);
  mw_free(&s->alloc, s->exn_tags, s->cap_exn_tags * sizeof *s->exn_tags);
  s->exn_tags = NULL;
  s->nexn_tags = s->cap_exn_tags = 0;
}

mw_tag *mw_exn_tag(const mw_exn *x) { return MWE_TAG(x); }

/* The i-th value. */
mw_val mw_exn_value(const mw_exn *x, size_t i) {
  const mw_functype *t = MWE_TAG(x)->type;
  mw_val v;
  memset(&v, 0, sizeof v);
  if (i >= t->nparams) return v;
  mw_slot small[16];
  uint32_t ns = tag_slots(MWE_TAG(x));
  mw_slot *slots = ns <= 16 ? small : malloc(ns * sizeof *slots);
  if (!slots) return v;
  get_values(MWE_OBJ(x), slots);
  uint32_t at = mw_slot_count(MW_FT_PARAMS(t), (uint32_t)i);
  mw_vals_from_slots(MW_FT_PARAMS(t) + i, 1, slots + at, &v);
  if (slots != small) free(slots);
  return v;
}

static bool vals_match(const mw_tag *tag, const mw_val *vals, size_t n) {
  if (n != tag->type->nparams) return false;
  for (size_t i = 0; i < n; i++)
    if (vals[i].type != (mw_valtype)MW_FT_PARAMS(tag->type)[i]) return false;
  return true;
}

mw_exn *mw_exn_new(mw_store *s, mw_tag *tag, const mw_val *vals, size_t n) {
  if (!s || !tag || !vals_match(tag, vals, n)) return NULL;
  uint32_t ns = tag_slots(tag);
  mw_slot small[16];
  mw_slot *slots = ns <= 16 ? small : mw_alloc(&s->alloc, ns * sizeof *slots);
  if (!slots) return NULL;
  mw_slots_from_vals(vals, (uint32_t)n, slots);
  mw_exn *x = mwe_exn_new(s, tag, slots, NULL);
  if (slots != small) mw_free(&s->alloc, slots, ns * sizeof *slots);
  return x;
}

/* ---------------------------------------------------------------- errors */

static mw_error *exception_error(mw_tag *tag, const mw_val *vals, size_t n) {
  mw_error *e = mw_errorf(MW_ERR_EXCEPTION, "%s", MW_MSG_UNCAUGHT_EXCEPTION);
  if (e->is_static) return e;
  if (n) {
    e->exn_vals = malloc(n * sizeof *vals);
    if (!e->exn_vals) {
      mw_error_free(e);
      return mw_error_oom();
    }
    memcpy(e->exn_vals, vals, n * sizeof *vals);
  }
  e->exn_nvals = (uint32_t)n;
  e->exn_tag = mwe_tag_retain(tag);
  return e;
}

mw_error *mw_error_new_exception(mw_tag *tag, const mw_val *vals, size_t n) {
  if (!tag) return mw_errorf(MW_ERR_USAGE, "exception without a tag");
  if (!vals_match(tag, vals, n))
    return mw_errorf(MW_ERR_USAGE, "exception values do not match the tag's type");
  return exception_error(tag, vals, n);
}

mw_tag *mw_error_exception_tag(const mw_error *e) {
  return e && e->kind == MW_ERR_EXCEPTION ? e->exn_tag : NULL;
}

size_t mw_error_exception_count(const mw_error *e) {
  return e && e->kind == MW_ERR_EXCEPTION ? e->exn_nvals : 0;
}

mw_val mw_error_exception_value(const mw_error *e, size_t i) {
  mw_val v;
  memset(&v, 0, sizeof v);
  if (i < mw_error_exception_count(e)) v = e->exn_vals[i];
  return v;
}

mw_error *mwe_error_from_exn(const mw_exn *x) {
  mw_tag *tag = MWE_TAG(x);
  const mw_functype *t = tag->type;
  uint32_t ns = tag_slots(tag);
  mw_val small[16];
  mw_slot small_slots[16];
  mw_val *vals = t->nparams <= 16 ? small : malloc(t->nparams * sizeof *vals);
  mw_slot *slots = ns <= 16 ? small_slots : malloc(ns * sizeof *slots);
  mw_error *e;
  if (vals && slots) {
    get_values(MWE_OBJ(x), slots);
    mw_vals_from_slots(MW_FT_PARAMS(t), t->nparams, slots, vals);
    e = exception_error(tag, vals, t->nparams);
  } else {
    e = mw_error_oom();
  }
  if (vals && vals != small) free(vals);
  if (slots && slots != small_slots) free(slots);
  return e;
}

mw_exn *mwe_exn_from_error(mw_store *s, mw_error *e) {
  mw_tag *tag = e->exn_tag;
  uint32_t ns = tag_slots(tag);
  mw_slot small[16];
  mw_slot *slots = ns <= 16 ? small : mw_alloc(&s->alloc, ns * sizeof *slots);
  mw_exn *x = NULL;
  if (slots) {
    mw_slots_from_vals(e->exn_vals, e->exn_nvals, slots);
    x = mwe_exn_new(s, tag, slots, NULL);
    if (slots != small) mw_free(&s->alloc, slots, ns * sizeof *slots);
  }
  mw_error_free(e);
  return x;
}

/* ---------------------------------------------------------------- handlers */

/* The handler of frame `fr` for exception `x` raised at code position
 * `pos` (compile_eh.h describes the region table and records): deliver
 * the values into the frame and return where to continue, or NULL when
 * nothing in this function catches it. */
const mw_word *mwe_catch(mw_store *s, const mw_frame *fr, uint32_t pos, mw_exn *x) {
  (void)s;
  const mw_compiled *cc = fr->func->code;
  const mw_word *code = cc->code;
  const mw_word *t = code + cc->eh_table;
  mw_instance *inst = fr->func->inst;
  mw_slot *fp = fr->fp;
  mw_tag *tag = MWE_TAG(x);
  uint32_t limit = UINT32_MAX; /* a delegate skips regions deeper than this */
  for (uint32_t i = 0, n = t[0]; i < n; i++) {
    const mw_word *reg = t + 1 + i * 3;
    if (pos < reg[0] || pos >= reg[1]) continue;
    const mw_word *rec = code + reg[2];
    if (rec[0] > limit) continue;
    if (rec[1] == 0xFFFFFFFFu) { /* legacy delegate */
      limit = rec[2];
      continue;
    }
    for (uint32_t k = 0; k < rec[1]; k++) {
      const mw_word *cl = rec + 2 + k * 5; /* kind tag dst target exnslot */
      uint32_t kind = cl[0];
      bool all = kind == 2 || kind == 3 || kind == 5;
      if (!all && inst->tags[cl[1]] != tag) continue;
      mw_slot *dst = fp + cl[2];
      if (!all) {
        get_values(MWE_OBJ(x), dst);
        dst += tag_slots(tag);
      }
      if (kind == 1 || kind == 3) dst->ref = x;    /* catch_ref, catch_all_ref */
      if (kind == 4 || kind == 5) fp[cl[4]].ref = x; /* legacy: for rethrow */
      return code + cl[3];
    }
  }
  return NULL;
}
