/*
 * exception.c -- tags and exception objects (exception handling, Wasm 3.0
 * and the legacy proposal).
 *
 * A tag is a reference-counted object: an instance's own tags hold one
 * reference, a host's tag (mw_tag_new) another, and every exception and
 * every MW_ERR_EXCEPTION error naming it one more, so a tag outlives
 * whatever still names it.
 *
 * An exception object (the target of an exnref) is made by `throw` or when
 * a host's exception enters wasm.  It belongs to the store: the store keeps
 * a list and frees them all with itself.  One that was never exposed (no
 * exnref to it was ever produced) is freed as soon as a handler without
 * _ref catches it, so plain throw/catch loops do not accumulate garbage.
 * Exceptions that reached an exnref stay until the store is freed; the GC
 * engineer's collector can take them over (see NOTES-eh).
 *
 * Crossing to the host, an exception becomes an error (kind exception,
 * "uncaught exception") holding the tag and a copy of the values; a host
 * error of that kind entering wasm becomes a new exception object.  Nothing
 * longjmps: the interpreter unwinds its own frames (exec.c).
 */
#include <stdlib.h>

#include "internal.h"

/* ---------------------------------------------------------------- tags */

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
  mw_free(&a, t->type, mw_functype_bytes(t->type->nparams, 0));
  mw_free(&a, t, sizeof *t);
}

void mw_tag_free(mw_tag *t) { mwe_tag_release(t); }

const mw_functype *mw_tag_type(const mw_tag *t) { return t->type; }

/* ---------------------------------------------------------------- exception objects */

static uint32_t tag_slots(const mw_tag *t) {
  return mw_slot_count(MW_FT_PARAMS(t->type), t->type->nparams);
}

static size_t exn_bytes(uint32_t nslots) {
  return sizeof(mw_exn) + (size_t)nslots * sizeof(mw_slot);
}

mw_exn *mwe_exn_new(mw_store *s, mw_tag *tag, const mw_slot *slots) {
  uint32_t n = tag_slots(tag);
  mw_exn *x = mw_alloc(&s->alloc, exn_bytes(n));
  if (!x) return NULL;
  x->tag = mwe_tag_retain(tag);
  x->nslots = n;
  x->exposed = false;
  if (n) memcpy(x->slots, slots, n * sizeof *slots);
  x->prev = NULL;
  x->next = s->exns;
  if (s->exns) s->exns->prev = x;
  s->exns = x;
  return x;
}

void mwe_exn_free(mw_store *s, mw_exn *x) {
  if (x->prev) x->prev->next = x->next;
  else s->exns = x->next;
  if (x->next) x->next->prev = x->prev;
  mwe_tag_release(x->tag);
  mw_free(&s->alloc, x, exn_bytes(x->nslots));
}

void mwe_store_free_exns(mw_store *s) {
  while (s->exns) mwe_exn_free(s, s->exns);
}

mw_tag *mw_exn_tag(const mw_exn *x) { return x->tag; }

/* The i-th value (a v128 takes two slots). */
mw_val mw_exn_value(const mw_exn *x, size_t i) {
  const mw_functype *t = x->tag->type;
  mw_val v;
  memset(&v, 0, sizeof v);
  if (i >= t->nparams) return v;
  uint32_t at = mw_slot_count(MW_FT_PARAMS(t), (uint32_t)i);
  mw_vals_from_slots(MW_FT_PARAMS(t) + i, 1, x->slots + at, &v);
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
  mw_exn *x = mwe_exn_new(s, tag, slots);
  if (x) x->exposed = true; /* the host holds an exnref to it */
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
  const mw_functype *t = x->tag->type;
  mw_val small[16];
  mw_val *vals = t->nparams <= 16 ? small : malloc(t->nparams * sizeof *vals);
  if (!vals) return mw_error_oom();
  mw_vals_from_slots(MW_FT_PARAMS(t), t->nparams, x->slots, vals);
  mw_error *e = exception_error(x->tag, vals, t->nparams);
  if (vals != small) free(vals);
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
    x = mwe_exn_new(s, tag, slots);
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
  const mw_compiled *cc = fr->func->code;
  const mw_word *code = cc->code;
  const mw_word *t = code + cc->eh_table;
  mw_instance *inst = fr->func->inst;
  mw_slot *fp = fr->fp;
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
      if (!all && inst->tags[cl[1]] != x->tag) continue;
      mw_slot *dst = fp + cl[2];
      if (!all) {
        if (x->nslots) memmove(dst, x->slots, x->nslots * sizeof *dst);
        dst += x->nslots;
      }
      switch (kind) {
      case 1: case 3: /* catch_ref, catch_all_ref */
        dst->ref = x;
        x->exposed = true;
        break;
      case 4: case 5: { /* legacy: kept for rethrow in a hidden slot */
        mw_exn *old = (mw_exn *)fp[cl[4]].ref;
        if (old && old != x && !old->exposed) mwe_exn_free(s, old);
        fp[cl[4]].ref = x;
        break;
      }
      default: /* catch, catch_all: nothing refers to it any more */
        if (!x->exposed) mwe_exn_free(s, x);
        break;
      }
      return code + cl[3];
    }
  }
  return NULL;
}
