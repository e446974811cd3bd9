/*
 * types.c -- Wasm 3.0 types: equality, subtyping and canonicalisation of
 * defined types (spec 3.1.3 "Type equivalence", 3.2.x "Matching").
 *
 * Value types are one word each (moonwasm.h: mw_valtype).  Defined types
 * (struct mw_functype) live in rec groups.  Two defined types are equal
 * when they sit at the same place in equal rec groups, rec groups being
 * compared structurally with references inside the group compared by
 * relative position and references to earlier groups compared (again) by
 * equality: the spec's iso-recursive equivalence.
 *
 * There is no process-wide registry of canonical types (the runtime has
 * no globals).  Instead each type carries a hash of its rec group's
 * structure (mwt_finish_types), in which references to earlier groups
 * enter by their own hash, so equal types have equal hashes across
 * modules; and `canon`, the first equal type of its own module.  Equality
 * is then: same pointer; else same module and same canon; else equal
 * hashes and a structural comparison (which recurses only into earlier
 * groups, so it ends).
 */
#include <stdio.h>

#include "internal.h"
#include "reader.h"

/* ---------------------------------------------------------------- helpers */

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0x100000001b3ull;
}

static bool is_idx(mw_valtype t) { return MW_VT_IS_IDX(t); }

/* The defined type a concrete reference names, or NULL if it names no
 * type that comes before the group at `first` (an invalid module). */
static const mw_functype *external(const mw_module *m, uint32_t idx, uint32_t first) {
  if (!m || idx >= first || idx >= m->ntypes) return NULL;
  return m->types[idx];
}

/* A type word's contribution to its group's hash. */
static uint64_t hash_word(const mw_module *m, uint32_t first, uint32_t len,
                          mw_valtype t) {
  unsigned u = (unsigned)t;
  if (!is_idx(t)) return mix(1, u);
  uint64_t flags = u & (MW_VT_NONNULL | MW_VT_MUT);
  uint32_t idx = MW_VT_INDEX(t);
  if (idx >= first && idx - first < len) return mix(mix(2, flags), idx - first);
  const mw_functype *x = external(m, idx, first);
  return x ? mix(mix(3, flags), x->hash) : mix(mix(4, flags), idx);
}

static uint64_t hash_type(const mw_module *m, const mw_functype *t) {
  uint64_t h = mix(mix(mix(0, t->comp), t->final), t->nparams);
  h = mix(h, t->nresults);
  if (t->super != MW_NO_SUPER)
    h = mix(h, hash_word(m, t->rec_first, t->rec_len, (mw_valtype)MW_HT_IDX(t->super)));
  else
    h = mix(h, 5);
  for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
    h = mix(h, hash_word(m, t->rec_first, t->rec_len, t->types[i]));
  return h;
}

/* A host-made function type is a rec group of one with no references to
 * other types: the same hash as such a type in a module. */
uint64_t mwt_hash_host(const mw_functype *t) {
  return mix(mix(mix(7, 1), hash_type(NULL, t)), 0);
}

/* ---------------------------------------------------------------- equality */

/* Comparing types of two modules recurses into earlier rec groups; a
 * chain deeper than this (only hostile modules build one) compares as
 * unequal rather than exhausting the C stack. */
#define MAX_EQ_DEPTH 1000u

static bool eq_type(const mw_functype *a, const mw_functype *b, unsigned depth);

/* Two type words, each read in its group: internal references by their
 * place in the group, external ones by equality. */
static bool eq_word(const mw_functype *ga, mw_valtype a, const mw_functype *gb,
                    mw_valtype b, unsigned depth) {
  if (!is_idx(a) || !is_idx(b)) return a == b;
  if (((unsigned)a ^ (unsigned)b) & (MW_VT_NONNULL | MW_VT_MUT)) return false;
  uint32_t ia = MW_VT_INDEX(a), ib = MW_VT_INDEX(b);
  bool ina = ia >= ga->rec_first && ia - ga->rec_first < ga->rec_len;
  bool inb = ib >= gb->rec_first && ib - gb->rec_first < gb->rec_len;
  if (ina != inb) return false;
  if (ina) return ia - ga->rec_first == ib - gb->rec_first;
  const mw_functype *xa = external(ga->module, ia, ga->rec_first);
  const mw_functype *xb = external(gb->module, ib, gb->rec_first);
  return xa && xb && eq_type(xa, xb, depth + 1);
}

static bool eq_shape(const mw_functype *a, const mw_functype *b, unsigned depth) {
  if (a->comp != b->comp || a->final != b->final || a->nparams != b->nparams ||
      a->nresults != b->nresults || (a->super == MW_NO_SUPER) != (b->super == MW_NO_SUPER))
    return false;
  if (a->super != MW_NO_SUPER &&
      !eq_word(a, (mw_valtype)MW_HT_IDX(a->super), b, (mw_valtype)MW_HT_IDX(b->super), depth))
    return false;
  for (uint32_t i = 0; i < a->nparams + a->nresults; i++)
    if (!eq_word(a, a->types[i], b, b->types[i], depth)) return false;
  return true;
}

/* Rec groups at a->rec_first and b->rec_first, compared type by type. */
static bool eq_group(const mw_functype *a, const mw_functype *b, unsigned depth) {
  if (a->rec_len != b->rec_len || depth > MAX_EQ_DEPTH) return false;
  if (a->rec_len == 1) return eq_shape(a, b, depth);
  for (uint32_t k = 0; k < a->rec_len; k++) {
    const mw_functype *x = a->module->types[a->rec_first + k];
    const mw_functype *y = b->module->types[b->rec_first + k];
    if (!x || !y || !eq_shape(x, y, depth)) return false;
  }
  return true;
}

static bool eq_type(const mw_functype *a, const mw_functype *b, unsigned depth) {
  if (a == b) return true;
  if (a->module && a->module == b->module) return a->canon == b->canon;
  if (a->hash != b->hash || a->index - a->rec_first != b->index - b->rec_first)
    return false;
  return eq_group(a, b, depth);
}

bool mw_functype_same(const mw_functype *a, const mw_functype *b) {
  return eq_type(a, b, 0);
}

/* a <: b: a or one of its declared supertypes equals b. */
bool mw_deftype_sub(const mw_functype *a, const mw_functype *b) {
  for (uint32_t n = 0; a && n <= MW_MAX_SUBTYPE_DEPTH + 1; n++) {
    if (eq_type(a, b, 0)) return true;
    if (a->super == MW_NO_SUPER || !a->module || a->super >= a->module->ntypes) return false;
    a = a->module->types[a->super];
  }
  return false;
}

/* ---------------------------------------------------------------- subtyping */

uint32_t mwt_heap_top(const mw_module *m, uint32_t ht) {
  if (ht & MW_VT_IDX) {
    uint32_t i = MW_VT_INDEX(ht);
    if (!m || i >= m->ntypes || !m->types[i]) return MW_HT_ANY;
    return m->types[i]->comp == MW_COMP_FUNC ? MW_HT_FUNC : MW_HT_ANY;
  }
  switch (ht) {
  case MW_HT_FUNC: case MW_HT_NOFUNC: return MW_HT_FUNC;
  case MW_HT_EXTERN: case MW_HT_NOEXTERN: return MW_HT_EXTERN;
  case MW_HT_EXN: case MW_HT_NOEXN: return MW_HT_EXN;
  default: return MW_HT_ANY;
  }
}

static bool is_bottom(uint32_t ht) {
  return ht == MW_HT_NONE || ht == MW_HT_NOFUNC || ht == MW_HT_NOEXTERN ||
         ht == MW_HT_NOEXN;
}

/* An abstract heap type a below an abstract b (both not concrete). */
static bool abstract_sub(uint32_t a, uint32_t b) {
  if (a == b) return true;
  switch (a) {
  case MW_HT_NONE:
    return b == MW_HT_ANY || b == MW_HT_EQ || b == MW_HT_I31 || b == MW_HT_STRUCT ||
           b == MW_HT_ARRAY;
  case MW_HT_NOFUNC: return b == MW_HT_FUNC;
  case MW_HT_NOEXTERN: return b == MW_HT_EXTERN;
  case MW_HT_NOEXN: return b == MW_HT_EXN;
  case MW_HT_EQ: return b == MW_HT_ANY;
  case MW_HT_I31: case MW_HT_STRUCT: case MW_HT_ARRAY:
    return b == MW_HT_EQ || b == MW_HT_ANY;
  }
  return false;
}

/* A concrete type (composite kind `comp`) below an abstract b. */
static bool concrete_below(uint8_t comp, uint32_t b) {
  switch (comp) {
  case MW_COMP_FUNC: return b == MW_HT_FUNC;
  case MW_COMP_STRUCT: return b == MW_HT_STRUCT || b == MW_HT_EQ || b == MW_HT_ANY;
  default: return b == MW_HT_ARRAY || b == MW_HT_EQ || b == MW_HT_ANY;
  }
}

/* An abstract bottom a below a concrete type of kind comp. */
static bool bottom_below(uint32_t a, uint8_t comp) {
  return comp == MW_COMP_FUNC ? a == MW_HT_NOFUNC : a == MW_HT_NONE;
}

static const mw_functype *deftype(const mw_module *m, uint32_t ht) {
  uint32_t i = MW_VT_INDEX(ht);
  return m && i < m->ntypes ? m->types[i] : NULL;
}

static bool heap_sub2(const mw_module *ma, uint32_t a, const mw_module *mb, uint32_t b) {
  bool ca = (a & MW_VT_IDX) != 0, cb = (b & MW_VT_IDX) != 0;
  if (!ca && !cb) return abstract_sub(a, b);
  if (ca && cb) {
    const mw_functype *x = deftype(ma, a), *y = deftype(mb, b);
    return x && y && mw_deftype_sub(x, y);
  }
  if (ca) {
    const mw_functype *x = deftype(ma, a);
    return x && concrete_below(x->comp, b);
  }
  const mw_functype *y = deftype(mb, b);
  return y && is_bottom(a) && bottom_below(a, y->comp);
}

bool mwt_heap_sub(const mw_module *m, uint32_t a, uint32_t b) {
  return heap_sub2(m, a, m, b);
}

bool mwt_val_sub2(const mw_module *ma, mw_valtype a, const mw_module *mb,
                  mw_valtype b) {
  if (a == b && (!is_idx(a) || ma == mb)) return true;
  if (!mw_valtype_is_reference(a) || !mw_valtype_is_reference(b)) return false;
  if (MW_VT_NULLABLE(a) && !MW_VT_NULLABLE(b)) return false;
  return heap_sub2(ma, MW_VT_HEAP(a), mb, MW_VT_HEAP(b));
}

bool mwt_val_sub(const mw_module *m, mw_valtype a, mw_valtype b) {
  return mwt_val_sub2(m, a, m, b);
}

bool mwt_val_eq2(const mw_module *ma, mw_valtype a, const mw_module *mb,
                 mw_valtype b) {
  return mwt_val_sub2(ma, a, mb, b) && mwt_val_sub2(mb, b, ma, a);
}

bool mwt_defaultable(mw_valtype t) {
  return !mw_valtype_is_reference(t) || MW_VT_NULLABLE(t);
}

bool mwt_valtype_ok(const mw_module *m, mw_valtype t) {
  return !is_idx(t) || MW_VT_INDEX(t) < m->ntypes;
}

/* ---------------------------------------------------------------- values at the API */

static mw_valtype class_of_top(uint32_t top) {
  switch (top) {
  case MW_HT_FUNC: return MW_FUNCREF;
  case MW_HT_EXTERN: return MW_EXTERNREF;
  case MW_HT_EXN: return MW_EXNREF;
  default: return MW_ANYREF;
  }
}

mw_valtype mw_valtype_top(mw_valtype t) {
  if (!mw_valtype_is_reference(t)) return t;
  if (is_idx(t)) return (mw_valtype)0;
  return class_of_top(mwt_heap_top(NULL, MW_VT_HEAP(t)));
}

mw_valtype mwt_class(const mw_module *m, mw_valtype t) {
  if (!mw_valtype_is_reference(t)) return t;
  return class_of_top(mwt_heap_top(m, MW_VT_HEAP(t)));
}

const char *mwt_host_value_check(const mw_module *m, mw_valtype t, mw_val v) {
  if (v.type == t && !is_idx(t) && MW_VT_NULLABLE(t)) return NULL;
  if (!mw_valtype_is_reference(t)) return v.type == t ? NULL : MW_MSG_TYPE_MISMATCH;
  if (v.type != t && v.type != mwt_class(m, t)) return MW_MSG_TYPE_MISMATCH;
  if (v.of.externref == NULL) return MW_VT_NULLABLE(t) ? NULL : "null reference";
  uint32_t ht = MW_VT_HEAP(t);
  if ((ht & MW_VT_IDX) && mwt_heap_top(m, ht) == MW_HT_FUNC) {
    const mw_functype *want = deftype(m, ht);
    if (!want || !mw_deftype_sub(v.of.funcref->type, want)) return MW_MSG_TYPE_MISMATCH;
  }
  if (ht == MW_HT_NOFUNC || ht == MW_HT_NOEXTERN || ht == MW_HT_NONE || ht == MW_HT_NOEXN)
    return MW_MSG_TYPE_MISMATCH; /* only null has a bottom type */
  return NULL;
}

mw_error *mwt_host_value_error(mw_error_kind kind, const char *what, size_t n,
                               const char *why, mw_valtype want, mw_val v) {
  char label[64], w[48], g[48];
  if (n)
    snprintf(label, sizeof label, "%s %zu", what, n);
  else
    snprintf(label, sizeof label, "%s", what);
  mw_valtype_format(want, w, sizeof w);
  if (why && strcmp(why, MW_MSG_TYPE_MISMATCH) != 0)
    return mw_errorf(kind, "%s: %s for %s", label, why, w);
  mw_valtype_format(v.type, g, sizeof g);
  return mw_errorf(kind, "%s: expected %s, got %s", label, w, g);
}

void mwt_classify(const mw_module *m, const mw_valtype *types, uint32_t n, mw_val *vals) {
  for (uint32_t i = 0; i < n; i++)
    if (mw_valtype_is_reference(types[i])) vals[i].type = mwt_class(m, types[i]);
}

/* ---------------------------------------------------------------- canonicalisation */

/* After decoding the type section: hashes (group by group, in order, so
 * external references are hashed already), canonical indices (the first
 * equal group of the module, found through a small hash table) and
 * subtyping depths. */
void mwt_finish_types(mw_module *m) {
  uint32_t n = m->ntypes;
  for (uint32_t g = 0; g < n;) {
    mw_functype *t0 = m->types[g];
    if (!t0) return;
    uint32_t len = t0->rec_len ? t0->rec_len : 1;
    if (len > n - g) len = n - g;
    uint64_t h = mix(7, len);
    for (uint32_t k = 0; k < len; k++) {
      mw_functype *t = m->types[g + k];
      if (!t) return;
      t->module = m;
      h = mix(h, hash_type(m, t));
    }
    for (uint32_t k = 0; k < len; k++) m->types[g + k]->hash = mix(h, k);
    g += len;
  }
  /* canon: the first earlier group equal to this one, by hash then
   * structure (references to earlier groups compare by canon by now). */
  for (uint32_t g = 0; g < n;) {
    mw_functype *t0 = m->types[g];
    uint32_t len = t0->rec_len;
    uint32_t canon_first = g;
    for (uint32_t e = 0; e < g;) {
      const mw_functype *u = m->types[e];
      if (u->index == u->canon && u->hash == t0->hash && u->rec_len == len &&
          eq_group(u, t0, 0)) {
        canon_first = e;
        break;
      }
      e += u->rec_len;
    }
    for (uint32_t k = 0; k < len; k++) m->types[g + k]->canon = canon_first + k;
    g += len;
  }
  for (uint32_t i = 0; i < n; i++) {
    mw_functype *t = m->types[i];
    t->depth = 0;
    if (t->super < i) {
      uint32_t d = m->types[t->super]->depth + 1;
      t->depth = d > MW_MAX_SUBTYPE_DEPTH + 1 ? MW_MAX_SUBTYPE_DEPTH + 1 : d;
    }
  }
}

/* ---------------------------------------------------------------- validation */

static bool field_sub(const mw_module *m, mw_valtype a, mw_valtype b) {
  bool ma = ((unsigned)a & MW_VT_MUT) != 0, mb = ((unsigned)b & MW_VT_MUT) != 0;
  if (ma != mb) return false;
  mw_valtype pa = MW_VT_PLAIN(a), pb = MW_VT_PLAIN(b);
  if (pa == MW_I8 || pa == MW_I16 || pb == MW_I8 || pb == MW_I16) return pa == pb;
  if (!mwt_val_sub(m, pa, pb)) return false;
  return !ma || mwt_val_sub(m, pb, pa); /* mutable fields are invariant */
}

/* Does composite type t match its supertype s (spec 3.2.x)? */
static bool comp_sub(const mw_module *m, const mw_functype *t, const mw_functype *s) {
  if (t->comp != s->comp) return false;
  switch (t->comp) {
  case MW_COMP_FUNC:
    if (t->nparams != s->nparams || t->nresults != s->nresults) return false;
    for (uint32_t i = 0; i < t->nparams; i++) /* contravariant */
      if (!mwt_val_sub(m, s->types[i], t->types[i])) return false;
    for (uint32_t i = t->nparams; i < t->nparams + t->nresults; i++)
      if (!mwt_val_sub(m, t->types[i], s->types[i])) return false;
    return true;
  case MW_COMP_STRUCT:
    if (t->nparams < s->nparams) return false;
    for (uint32_t i = 0; i < s->nparams; i++)
      if (!field_sub(m, t->types[i], s->types[i])) return false;
    return true;
  default:
    return field_sub(m, t->types[0], s->types[0]);
  }
}

mw_error *mwt_validate_types(const mw_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const mw_functype *t = m->types[i];
    uint32_t limit = t->rec_first + t->rec_len;
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++)
      if (is_idx(t->types[k]) && MW_VT_INDEX(t->types[k]) >= limit)
        return mw_errorf(MW_ERR_INVALID, "%s %u", MW_MSG_UNKNOWN_TYPE,
                         MW_VT_INDEX(t->types[k]));
    if (t->super == MW_NO_SUPER) continue;
    if (t->super >= limit)
      return mw_errorf(MW_ERR_INVALID, "%s %u", MW_MSG_UNKNOWN_TYPE, t->super);
    if (t->super >= i)
      return mw_errorf(MW_ERR_INVALID, "forward use of type %u in sub type definition",
                       t->super);
    const mw_functype *s = m->types[t->super];
    if (s->final)
      return mw_errorf(MW_ERR_INVALID, "sub type %u has final super type %u", i, t->super);
    if (!comp_sub(m, t, s))
      return mw_errorf(MW_ERR_INVALID, "sub type %u does not match super type %u", i,
                       t->super);
    if (t->depth > MW_MAX_SUBTYPE_DEPTH)
      return mw_errorf(MW_ERR_INVALID, "sub type %u: subtyping depth too large", i);
  }
  return NULL;
}

/* ---------------------------------------------------------------- decoding */

/* The feature an abstract heap type needs beyond Wasm 2.0, or 0. */
static uint32_t heap_feature(uint32_t ht) {
  if (ht == MW_HT_FUNC || ht == MW_HT_EXTERN) return 0;
  if (ht == MW_HT_EXN || ht == MW_HT_NOEXN) return MW_FEATURE_EXCEPTIONS;
  return MW_FEATURE_GC;
}

static const char *feature_words(uint32_t f) {
  switch (f) {
  case MW_FEATURE_GC: return "garbage collection is";
  case MW_FEATURE_EXCEPTIONS: return "exception handling is";
  default: return "typed function references are";
  }
}

/* "malformed value type (anyref at byte offset 30: garbage collection is
 * not enabled)" */
static void not_enabled(mwt_rd *rd, const char *msg, const char *what, const uint8_t *at,
                        uint32_t feature) {
  snprintf(rd->detail, sizeof rd->detail, "%s (%s at byte offset %zu: %s not enabled)",
           msg, what, (size_t)(at - rd->base), feature_words(feature));
  mwd_fail(rd->r, rd->detail);
}

static bool is_abstract_code(uint8_t b) {
  return b >= MW_HT_EXN && b <= MW_HT_NOEXN;
}

/* Spec 5.3.4: an s33, a type index or an abstract heap type. */
uint32_t mwt_read_heaptype(mwt_rd *rd) {
  mwd_reader *r = rd->r;
  const uint8_t *at = r->p;
  int64_t v = mwd_sleb(r, 33);
  if (r->fail) return 0;
  if (v >= 0) {
    if (!(rd->features & MW_FEATURE_FUNCTION_REFERENCES)) {
      not_enabled(rd, "malformed heap type", "a type index", at, MW_FEATURE_FUNCTION_REFERENCES);
      return 0;
    }
    return MW_HT_IDX(v > MW_VT_MAX_INDEX ? MW_VT_MAX_INDEX : (uint32_t)v);
  }
  uint8_t b = (uint8_t)(v & 0x7f);
  if (v < -0x40 || !is_abstract_code(b)) { /* Wasm 2.0 knew reference types only */
    mwd_fail(r, rd->features & MW_FEATURE_FUNCTION_REFERENCES ? "malformed heap type"
                                                              : MW_MSG_REFTYPE);
    return 0;
  }
  uint32_t f = heap_feature(b);
  if (f && !(rd->features & f)) {
    char what[32];
    snprintf(what, sizeof what, "%s", mw_valtype_name((mw_valtype)b));
    not_enabled(rd, "malformed heap type", what, at, f);
    return 0;
  }
  return b;
}

/* A reference type's bytes: an abbreviation or 0x63/0x64 and a heap type.
 * `msg` is what any other byte is. */
static mw_valtype read_ref(mwt_rd *rd, uint8_t b, const char *msg) {
  mwd_reader *r = rd->r;
  const uint8_t *at = r->p;
  if (b == 0x63 || b == 0x64) {
    if (!(rd->features & MW_FEATURE_FUNCTION_REFERENCES)) {
      not_enabled(rd, msg, b == 0x63 ? "(ref null ...)" : "(ref ...)", at,
                  MW_FEATURE_FUNCTION_REFERENCES);
      return 0;
    }
    r->p++;
    uint32_t ht = mwt_read_heaptype(rd);
    return (mw_valtype)(b == 0x63 ? ht : ht | MW_VT_NONNULL);
  }
  if (!is_abstract_code(b)) {
    if (b & 0x80)
      mwd_fail(r, MW_MSG_INT_TOO_LONG);
    else
      mwd_fail(r, msg);
    return 0;
  }
  uint32_t f = heap_feature(b);
  if (f && !(rd->features & f)) {
    not_enabled(rd, msg, mw_valtype_name((mw_valtype)b), at, f);
    return 0;
  }
  r->p++;
  return (mw_valtype)b;
}

mw_valtype mwt_read_reftype(mwt_rd *rd) {
  mwd_reader *r = rd->r;
  if (r->p >= r->end) {
    mwd_fail(r, MW_MSG_UNEXPECTED_END_SECTION);
    return 0;
  }
  return read_ref(rd, *r->p, MW_MSG_REFTYPE);
}

/* Spec 5.3.5: a number type, v128 (with SIMD) or a reference type.  The
 * reference reads the byte as a 7-bit signed LEB128, so a byte with the
 * continuation bit is "integer representation too long". */
mw_valtype mwt_read_valtype(mwt_rd *rd) {
  mwd_reader *r = rd->r;
  if (r->p >= r->end) {
    mwd_fail(r, MW_MSG_UNEXPECTED_END_SECTION);
    return 0;
  }
  uint8_t b = *r->p;
  if (b >= MW_F64 && b <= MW_I32) {
    r->p++;
    return (mw_valtype)b;
  }
  if (b == MW_V128) {
    if (!(rd->features & MW_FEATURE_SIMD)) {
      snprintf(rd->detail, sizeof rd->detail,
               "%s (v128 at byte offset %zu: SIMD is not enabled)", MW_MSG_VALTYPE,
               (size_t)(r->p - rd->base));
      mwd_fail(r, rd->detail);
      return 0;
    }
    r->p++;
    return MW_V128;
  }
  return read_ref(rd, b, MW_MSG_VALTYPE);
}

/* A field's storage type: a value type or i8/i16. */
mw_valtype mwt_read_storagetype(mwt_rd *rd) {
  mwd_reader *r = rd->r;
  if (r->p < r->end && (*r->p == MW_I8 || *r->p == MW_I16)) return (mw_valtype)*r->p++;
  return mwt_read_valtype(rd);
}
