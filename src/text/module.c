/*
 * module.c -- module fields of the text format (spec 6.6) and their
 * binary encoding, with every abbreviation: inline imports and exports,
 * inline types (type uses append an implicit type when none matches,
 * spec 6.6.3), tables with inline elements, memories with inline data,
 * offset and item shorthands, and the types of Wasm 3.0 (rec, sub,
 * struct, array, (ref null? ht)).
 *
 * Two passes over the fields.  The prescan assigns every index (imports
 * first, as the text format requires them to precede definitions) and
 * binds identifiers, so fields may refer to later ones; type definitions
 * are then encoded in order.  The main pass encodes every other field
 * into its section.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---------------------------------------------------------------- types */

typedef struct { const char *name; unsigned char code; } mwt_named_code;

static const mwt_named_code valtypes[] = {
  {"i32", 0x7F}, {"i64", 0x7E}, {"f32", 0x7D}, {"f64", 0x7C}, {"v128", 0x7B},
  {"funcref", 0x70}, {"externref", 0x6F}, {"anyref", 0x6E}, {"eqref", 0x6D},
  {"i31ref", 0x6C}, {"structref", 0x6B}, {"arrayref", 0x6A}, {"exnref", 0x69},
  {"nullexnref", 0x74}, {"nullfuncref", 0x73}, {"nullexternref", 0x72},
  {"nullref", 0x71}, {NULL, 0}};

static const mwt_named_code heaptypes[] = {
  {"func", 0x70}, {"extern", 0x6F}, {"any", 0x6E}, {"eq", 0x6D}, {"i31", 0x6C},
  {"struct", 0x6B}, {"array", 0x6A}, {"exn", 0x69}, {"noexn", 0x74},
  {"nofunc", 0x73}, {"noextern", 0x72}, {"none", 0x71}, {NULL, 0}};

static int lookup_kw(mwt_parser *P, const mwt_named_code *t) {
  if (mwt_peek(P) != MWT_KEYWORD) return -1;
  for (int i = 0; t[i].name; i++)
    if (mwt_is_kw(P, P->p, t[i].name)) return t[i].code;
  return -1;
}

void mwt_heaptype(mwt_parser *P, mwt_buf *b) {
  int c = lookup_kw(P, heaptypes);
  if (c >= 0) {
    P->p++;
    mwt_byte(P, b, (unsigned)c);
    return;
  }
  if (!mwt_at_index(P)) mwt_unexpected(P);
  mwt_s64(P, b, mwt_index(P, MWT_NS_TYPE));
}

bool mwt_at_valtype(mwt_parser *P) {
  if (lookup_kw(P, valtypes) >= 0) return true;
  return mwt_is_open(P, "ref");
}

static void ref_form(mwt_parser *P, mwt_buf *b) {
  /* at "(" "ref" */
  P->p += 2;
  bool null = false;
  if (mwt_is_kw(P, P->p, "null")) null = true, P->p++;
  mwt_byte(P, b, null ? 0x63 : 0x64);
  mwt_heaptype(P, b);
  mwt_rpar(P);
}

void mwt_reftype(mwt_parser *P, mwt_buf *b) {
  int c = lookup_kw(P, valtypes);
  if (c >= 0 && c <= 0x74 && c >= 0x69) {
    P->p++;
    mwt_byte(P, b, (unsigned)c);
    return;
  }
  if (mwt_is_open(P, "ref")) { ref_form(P, b); return; }
  mwt_unexpected(P);
}

void mwt_valtype(mwt_parser *P, mwt_buf *b) {
  int c = lookup_kw(P, valtypes);
  if (c >= 0) {
    P->p++;
    mwt_byte(P, b, (unsigned)c);
    return;
  }
  if (mwt_is_open(P, "ref")) { ref_form(P, b); return; }
  mwt_unexpected(P);
}

/* ---------------------------------------------------------------- type uses */

static mwt_type *type_at(mwt_parser *P, uint32_t idx) {
  if (idx >= P->ntypes) mwt_fail(P, "unknown type");
  return &P->types[idx];
}

static mwt_type *new_type(mwt_parser *P) {
  if (P->ntypes == P->types_cap) {
    uint32_t cap = P->types_cap ? P->types_cap * 2 : 16;
    mwt_type *t = realloc(P->types, cap * sizeof *t);
    if (!t) mwt_fail(P, "out of memory");
    P->types = t, P->types_cap = cap;
  }
  mwt_type *t = &P->types[P->ntypes++];
  memset(t, 0, sizeof *t);
  return t;
}

static const char *keep_bytes(mwt_parser *P, const unsigned char *p, size_t n) {
  char *s = malloc(n ? n : 1);
  if (!s) mwt_fail(P, "out of memory");
  if (P->nstrs == P->strs_cap) {
    size_t cap = P->strs_cap ? P->strs_cap * 2 : 16;
    char **a = realloc(P->strs, cap * sizeof *a);
    if (!a) { free(s); mwt_fail(P, "out of memory"); }
    P->strs = a, P->strs_cap = cap;
  }
  P->strs[P->nstrs++] = s;
  if (n) memcpy(s, p, n);
  return s;
}

/* Parse (param ...)* (result ...)* into P->s1 (params) and P->s2
 * (results), counting them.  Param names go into P->locals when bind. */
static void params_results(mwt_parser *P, bool bind, bool allow_params, uint32_t *np,
                           uint32_t *nr) {
  P->s1.n = P->s2.n = 0;
  *np = *nr = 0;
  while (allow_params && mwt_is_open(P, "param")) {
    P->p += 2;
    if (mwt_peek(P) == MWT_ID) {
      if (P->no_param_names) mwt_unexpected(P);
      if (bind) {
        uint32_t len;
        const char *s = mwt_id_text(P, P->p, &len);
        if (!mwt_names_add(P, &P->locals, s, len, *np))
          mwt_fail(P, "duplicate local $%.*s", (int)len, s);
      }
      P->p++;
      mwt_valtype(P, &P->s1);
      ++*np;
    } else {
      while (mwt_peek(P) != MWT_RPAR) mwt_valtype(P, &P->s1), ++*np;
    }
    mwt_rpar(P);
  }
  while (mwt_is_open(P, "result")) {
    P->p += 2;
    while (mwt_peek(P) != MWT_RPAR) mwt_valtype(P, &P->s2), ++*nr;
    mwt_rpar(P);
  }
  if (mwt_is_open(P, "param")) {
    P->p++;
    mwt_unexpected(P);
  }
}

/* The encoded signature vec(params) vec(results) in P->s3. */
static void make_sig(mwt_parser *P, uint32_t np, uint32_t nr) {
  P->s3.n = 0;
  mwt_u32(P, &P->s3, np);
  mwt_bytes(P, &P->s3, P->s1.p, P->s1.n);
  mwt_u32(P, &P->s3, nr);
  mwt_bytes(P, &P->s3, P->s2.p, P->s2.n);
}

static uint32_t implicit_type(mwt_parser *P) {
  uint32_t idx;
  if (mwt_names_find(&P->sigmap, (const char *)P->s3.p, (uint32_t)P->s3.n, &idx)) return idx;
  idx = P->ntypes;
  mwt_type *t = new_type(P);
  t->is_func = true;
  t->sig = keep_bytes(P, P->s3.p, P->s3.n);
  t->sig_len = (uint32_t)P->s3.n;
  mwt_names_add(P, &P->sigmap, t->sig, t->sig_len, idx);
  mwt_byte(P, &P->types_sec, 0x60);
  mwt_bytes(P, &P->types_sec, P->s3.p, P->s3.n);
  P->types_sec_count++;
  return idx;
}

static uint32_t sig_nparams(const mwt_type *t) {
  /* the leading u32 of the signature */
  uint32_t v = 0;
  for (unsigned i = 0, shift = 0; i < t->sig_len; i++, shift += 7) {
    v |= (uint32_t)(t->sig[i] & 0x7F) << shift;
    if (!(t->sig[i] & 0x80)) break;
  }
  return v;
}

uint32_t mwt_typeuse(mwt_parser *P, bool bind, uint32_t *nparams) {
  int64_t explicit_idx = -1;
  size_t at = P->p;
  if (mwt_is_open(P, "type")) {
    P->p += 2;
    explicit_idx = mwt_index(P, MWT_NS_TYPE);
    mwt_rpar(P);
  }
  uint32_t np, nr;
  params_results(P, bind, true, &np, &nr);
  make_sig(P, np, nr);
  if (explicit_idx >= 0 && (uint32_t)explicit_idx >= P->ntypes) {
    /* an unknown numeric index: the validator reports it, unless an
     * inline signature needs checking against it */
    if (np || nr) { P->p = at; mwt_fail(P, "unknown type"); }
    *nparams = np;
    return (uint32_t)explicit_idx;
  }
  if (explicit_idx >= 0) {
    mwt_type *t = type_at(P, (uint32_t)explicit_idx);
    if (!t->sig) { P->p = at; mwt_fail(P, "non-function type %u", (unsigned)explicit_idx); }
    if (np || nr) {
      if (t->sig_len != P->s3.n || memcmp(t->sig, P->s3.p, P->s3.n) != 0) {
        P->p = at;
        mwt_fail(P, "inline function type does not match explicit type");
      }
    }
    *nparams = sig_nparams(t);
    return (uint32_t)explicit_idx;
  }
  *nparams = np;
  return implicit_type(P);
}

static void blocktype(mwt_parser *P, mwt_buf *b);

void mwt_blocktype(mwt_parser *P, mwt_buf *b) {
  bool saved = P->no_param_names;
  P->no_param_names = true;
  blocktype(P, b);
  P->no_param_names = saved;
}

static void blocktype(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_open(P, "type")) {
    uint32_t np;
    uint32_t idx = mwt_typeuse(P, false, &np);
    mwt_s64(P, b, idx);
    return;
  }
  uint32_t np, nr;
  size_t at = P->p;
  params_results(P, false, true, &np, &nr);
  if (np == 0 && nr == 0) { mwt_byte(P, b, 0x40); return; }
  if (np == 0 && nr == 1) { mwt_bytes(P, b, P->s2.p, P->s2.n); return; }
  (void)at;
  make_sig(P, np, nr);
  mwt_s64(P, b, implicit_type(P));
}

/* ---------------------------------------------------------------- type definitions */

static void storagetype(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_kw(P, P->p, "i8")) { P->p++; mwt_byte(P, b, 0x78); return; }
  if (mwt_is_kw(P, P->p, "i16")) { P->p++; mwt_byte(P, b, 0x77); return; }
  mwt_valtype(P, b);
}

static void fieldtype(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_open(P, "mut")) {
    P->p += 2;
    storagetype(P, b);
    mwt_byte(P, b, 1);
    mwt_rpar(P);
  } else {
    storagetype(P, b);
    mwt_byte(P, b, 0);
  }
}

/* comptype into b; for func types also records the signature */
static void comptype(mwt_parser *P, mwt_buf *b, mwt_type *t) {
  mwt_lpar(P);
  if (mwt_is_kw(P, P->p, "func")) {
    P->p++;
    uint32_t np, nr;
    /* names in a func type are allowed and ignored */
    mwt_names saved = P->locals;
    memset(&P->locals, 0, sizeof P->locals);
    params_results(P, true, true, &np, &nr);
    mwt_names_free(&P->locals);
    P->locals = saved;
    make_sig(P, np, nr);
    mwt_byte(P, b, 0x60);
    mwt_bytes(P, b, P->s3.p, P->s3.n);
    t->sig = keep_bytes(P, P->s3.p, P->s3.n);
    t->sig_len = (uint32_t)P->s3.n;
  } else if (mwt_is_kw(P, P->p, "struct")) {
    P->p++;
    mwt_buf *f = &P->s1;
    f->n = 0;
    uint32_t n = 0;
    while (mwt_is_open(P, "field")) {
      P->p += 2;
      if (mwt_peek(P) == MWT_ID) {
        uint32_t len;
        const char *s = mwt_id_text(P, P->p, &len);
        if (!mwt_names_add(P, &t->fields, s, len, n))
          mwt_fail(P, "duplicate field $%.*s", (int)len, s);
        P->p++;
        fieldtype(P, f);
        n++;
      } else {
        while (mwt_peek(P) != MWT_RPAR) fieldtype(P, f), n++;
      }
      mwt_rpar(P);
    }
    mwt_byte(P, b, 0x5F);
    mwt_u32(P, b, n);
    mwt_bytes(P, b, f->p, f->n);
  } else if (mwt_is_kw(P, P->p, "array")) {
    P->p++;
    mwt_byte(P, b, 0x5E);
    if (mwt_is_open(P, "field")) {
      P->p += 2;
      fieldtype(P, b);
      mwt_rpar(P);
    } else {
      fieldtype(P, b);
    }
  } else {
    mwt_unexpected(P);
  }
  mwt_rpar(P);
}

/* (type $id? subtype) with "(" "type" consumed up to the id */
static void typedef_body(mwt_parser *P, mwt_buf *b, mwt_type *t) {
  if (mwt_peek(P) == MWT_ID) P->p++;
  if (mwt_is_open(P, "sub")) {
    P->p += 2;
    bool final = false;
    if (mwt_is_kw(P, P->p, "final")) final = true, P->p++;
    mwt_byte(P, b, final ? 0x4F : 0x50);
    size_t cnt_at = P->p;
    uint32_t n = 0;
    while (mwt_at_index(P)) P->p++, n++;
    P->p = cnt_at;
    mwt_u32(P, b, n);
    while (mwt_at_index(P)) mwt_u32(P, b, mwt_index(P, MWT_NS_TYPE));
    comptype(P, b, t);
    mwt_rpar(P);
  } else {
    comptype(P, b, t);
    t->is_func = t->sig != NULL && !t->in_rec;
  }
  mwt_rpar(P);
}

/* ---------------------------------------------------------------- prescan */

static const char *const kind_names[] = {"type", "function", "table", "memory", "global",
                                         "elem", "data", "tag"};

static void bind(mwt_parser *P, int ns, size_t idtok) {
  uint32_t index = P->count[ns]++;
  if (idtok && mwt_tok_at(P, idtok)->type == MWT_ID) {
    uint32_t len;
    const char *s = mwt_id_text(P, idtok, &len);
    if (!mwt_names_add(P, &P->ns[ns], s, len, index)) {
      P->p = idtok;
      static const char *const dup[] = {"type", "func", "table", "memory", "global",
                                        "elem", "data", "tag"};
      mwt_fail(P, "duplicate %s $%.*s", dup[ns], (int)len, s);
    }
  }
}

static int field_ns(mwt_parser *P, size_t kw) {
  static const char *const kws[] = {NULL, "func", "table", "memory", "global", NULL, NULL, "tag"};
  for (int i = 0; i < MWT_NS__COUNT; i++)
    if (kws[i] && mwt_is_kw(P, kw, kws[i])) return i;
  return -1;
}

/* After "(" kw $id?: skip inline exports; is there an inline import? */
static bool has_inline_import(mwt_parser *P, size_t i) {
  for (;;) {
    if (mwt_tok_at(P, i)->type != MWT_LPAR) return false;
    if (mwt_is_kw(P, i + 1, "import")) return true;
    if (!mwt_is_kw(P, i + 1, "export")) return false;
    /* skip (export "name") */
    size_t save = P->p;
    P->p = i;
    mwt_skip_sexpr(P);
    i = P->p;
    P->p = save;
  }
}

static void import_order(mwt_parser *P, size_t at) {
  if (P->last_def >= 0) {
    P->p = at;
    mwt_fail(P, "import after %s", kind_names[P->last_def]);
  }
}

static void prescan(mwt_parser *P) {
  size_t start = P->p;
  /* first the type names, so type definitions may refer forward */
  while (mwt_peek(P) == MWT_LPAR) {
    size_t f = P->p;
    if (mwt_is_kw(P, f + 1, "type")) {
      bind(P, MWT_NS_TYPE, f + 2);
    } else if (mwt_is_kw(P, f + 1, "rec")) {
      P->p = f + 2;
      while (mwt_is_open(P, "type")) {
        bind(P, MWT_NS_TYPE, P->p + 2);
        mwt_skip_sexpr(P);
      }
      P->p = f;
    }
    mwt_skip_sexpr(P);
  }
  if (mwt_peek(P) != MWT_RPAR && mwt_peek(P) != MWT_EOF) mwt_unexpected(P);
  /* then the type definitions, in order */
  P->p = start;
  while (mwt_peek(P) == MWT_LPAR) {
    size_t f = P->p;
    if (mwt_is_kw(P, f + 1, "type")) {
      P->p += 2;
      typedef_body(P, &P->types_sec, new_type(P));
      P->types_sec_count++;
      if (P->types[P->ntypes - 1].is_func)
        mwt_names_add(P, &P->sigmap, P->types[P->ntypes - 1].sig,
                      P->types[P->ntypes - 1].sig_len, P->ntypes - 1);
    } else if (mwt_is_kw(P, f + 1, "rec")) {
      P->p += 2;
      uint32_t n = 0;
      size_t s = P->p;
      while (mwt_is_open(P, "type")) mwt_skip_sexpr(P), n++;
      P->p = s;
      mwt_byte(P, &P->types_sec, 0x4E);
      mwt_u32(P, &P->types_sec, n);
      while (mwt_is_open(P, "type")) {
        P->p += 2;
        mwt_type *t = new_type(P);
        t->in_rec = true;
        typedef_body(P, &P->types_sec, t);
      }
      mwt_rpar(P);
      P->types_sec_count++;
    } else {
      mwt_skip_sexpr(P);
    }
  }
  /* then every other index space */
  P->p = start;
  P->last_def = -1;
  while (mwt_peek(P) == MWT_LPAR) {
    size_t f = P->p;
    int ns = field_ns(P, f + 1);
    if (mwt_is_kw(P, f + 1, "import")) {
      import_order(P, f);
      /* (import "m" "n" (kind $id? ...)) */
      size_t d = f + 4;
      if (mwt_tok_at(P, d)->type == MWT_LPAR) {
        int dns = field_ns(P, d + 1);
        if (dns >= 0) bind(P, dns, d + 2);
      }
    } else if (ns >= 0) {
      size_t after = f + 2;
      if (mwt_tok_at(P, after)->type == MWT_ID) after++;
      if (has_inline_import(P, after)) {
        import_order(P, f);
      } else {
        P->last_def = ns;
      }
      bind(P, ns, f + 2);
      /* inline segments */
      if (ns == MWT_NS_TABLE || ns == MWT_NS_MEM) {
        P->p = f + 2;
        int depth = 0;
        /* a direct child (elem ...) / (data ...) */
        do {
          int t = mwt_peek(P);
          if (t == MWT_LPAR) {
            depth++;
            if (depth == 2 && mwt_is_kw(P, P->p + 1, ns == MWT_NS_TABLE ? "elem" : "data"))
              P->count[ns == MWT_NS_TABLE ? MWT_NS_ELEM : MWT_NS_DATA]++;
          } else if (t == MWT_RPAR) {
            depth--;
          }
          P->p++;
        } while (depth >= 0 && mwt_peek(P) != MWT_EOF);
        P->p = f;
      }
    } else if (mwt_is_kw(P, f + 1, "elem")) {
      bind(P, MWT_NS_ELEM, f + 2);
    } else if (mwt_is_kw(P, f + 1, "data")) {
      bind(P, MWT_NS_DATA, f + 2);
    } else if (!mwt_is_kw(P, f + 1, "type") && !mwt_is_kw(P, f + 1, "rec") &&
               !mwt_is_kw(P, f + 1, "export") && !mwt_is_kw(P, f + 1, "start")) {
      P->p = f + 1;
      mwt_unexpected(P);
    }
    P->p = f;
    mwt_skip_sexpr(P);
  }
  P->p = start;
}

/* ---------------------------------------------------------------- fields */

enum { SEC_IMPORT = 2, SEC_FUNC = 3, SEC_TABLE = 4, SEC_MEM = 5, SEC_GLOBAL = 6,
       SEC_EXPORT = 7, SEC_START = 8, SEC_ELEM = 9, SEC_CODE = 10, SEC_DATA = 11,
       SEC_DATACOUNT = 12, SEC_TAG = 13 };

static void name(mwt_parser *P, mwt_buf *b) {
  size_t len;
  char *s = mwt_name_string(P, P->p, &len);
  P->p++;
  mwt_u32(P, b, (uint32_t)len);
  mwt_bytes(P, b, s, len);
}

/* inline (export "n")* for the entity of kind/index */
static void inline_exports(mwt_parser *P, unsigned kind, uint32_t index) {
  while (mwt_is_open(P, "export")) {
    P->p += 2;
    name(P, &P->sec[SEC_EXPORT]);
    mwt_byte(P, &P->sec[SEC_EXPORT], kind);
    mwt_u32(P, &P->sec[SEC_EXPORT], index);
    P->sec_count[SEC_EXPORT]++;
    mwt_rpar(P);
  }
}

/* (import "m" "n") inline: write the module/field names */
static void inline_import(mwt_parser *P) {
  P->p += 2;
  name(P, &P->sec[SEC_IMPORT]);
  name(P, &P->sec[SEC_IMPORT]);
  mwt_rpar(P);
  P->sec_count[SEC_IMPORT]++;
}

/* Limits: returns whether the type is i64-indexed (memory64 / table64). */
static void limits(mwt_parser *P, mwt_buf *b, bool is64, bool allow_shared) {
  uint64_t min, max = 0;
  bool has_max = false;
  /* Wasm 2.0 reads limits as u32; Wasm 3.0 (memory64) as u64 and lets the
   * validator judge the size */
  bool wide = is64 || (P->features & MWT_FEATURE_MEMORY64);
  if (wide) min = mwt_nat64(P);
  else min = mwt_nat32(P);
  if (mwt_peek(P) == MWT_NAT) {
    has_max = true;
    max = wide ? mwt_nat64(P) : mwt_nat32(P);
  }
  unsigned flags = has_max ? 1 : 0;
  if (allow_shared && mwt_is_kw(P, P->p, "shared")) P->p++, flags |= 2;
  if (is64) flags |= 4;
  mwt_byte(P, b, flags);
  mwt_u64(P, b, min);
  if (has_max) mwt_u64(P, b, max);
}

static bool addrtype(mwt_parser *P) {
  if (mwt_is_kw(P, P->p, "i64")) { P->p++; return true; }
  if (mwt_is_kw(P, P->p, "i32")) P->p++;
  return false;
}

static void tabletype(mwt_parser *P, mwt_buf *b) {
  bool is64 = addrtype(P);
  mwt_buf *lim = &P->s3;
  lim->n = 0;
  limits(P, lim, is64, false);
  mwt_reftype(P, b);
  mwt_bytes(P, b, lim->p, lim->n);
}

static void memtype(mwt_parser *P, mwt_buf *b) {
  bool is64 = addrtype(P);
  limits(P, b, is64, true);
}

static void globaltype(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_open(P, "mut")) {
    P->p += 2;
    mwt_valtype(P, b);
    mwt_byte(P, b, 1);
    mwt_rpar(P);
  } else {
    mwt_valtype(P, b);
    mwt_byte(P, b, 0);
  }
}

static void import_desc(mwt_parser *P, int ns, mwt_buf *b) {
  uint32_t np;
  switch (ns) {
  case MWT_NS_FUNC:
    mwt_byte(P, b, 0x00);
    mwt_u32(P, b, mwt_typeuse(P, false, &np));
    break;
  case MWT_NS_TABLE: mwt_byte(P, b, 0x01); tabletype(P, b); break;
  case MWT_NS_MEM: mwt_byte(P, b, 0x02); memtype(P, b); break;
  case MWT_NS_GLOBAL: mwt_byte(P, b, 0x03); globaltype(P, b); break;
  case MWT_NS_TAG:
    mwt_byte(P, b, 0x04);
    mwt_byte(P, b, 0x00);
    mwt_u32(P, b, mwt_typeuse(P, false, &np));
    break;
  }
}

static void field_import(mwt_parser *P) {
  P->p += 2;
  mwt_buf *b = &P->sec[SEC_IMPORT];
  name(P, b);
  name(P, b);
  mwt_lpar(P);
  int ns = field_ns(P, P->p);
  if (ns < 0) mwt_unexpected(P);
  P->p++;
  if (mwt_peek(P) == MWT_ID) P->p++;
  import_desc(P, ns, b);
  mwt_rpar(P);
  mwt_rpar(P);
  P->sec_count[SEC_IMPORT]++;
}

/* locals and body of a defined function, into the code section */
static void func_body(mwt_parser *P, uint32_t nparams) {
  mwt_buf *body = &P->body;
  body->n = 0;
  /* locals: compress runs of one type */
  mwt_buf *loc = &P->s3;
  loc->n = 0;
  uint32_t nlocal = nparams;
  uint32_t groups = 0;
  const unsigned char *prev = NULL;
  size_t prev_len = 0;
  uint32_t run = 0;
  mwt_buf *types = &P->s2; /* encoded local types, concatenated */
  types->n = 0;
  /* collect (local ...) into a list of (offset,len) in types */
  size_t offs_cap = 0, noffs = 0;
  (void)offs_cap;
  (void)noffs;
  while (mwt_is_open(P, "local")) {
    P->p += 2;
    if (mwt_peek(P) == MWT_ID) {
      uint32_t len;
      const char *s = mwt_id_text(P, P->p, &len);
      if (!mwt_names_add(P, &P->locals, s, len, nlocal))
        mwt_fail(P, "duplicate local $%.*s", (int)len, s);
      P->p++;
      size_t at = types->n;
      mwt_valtype(P, types);
      mwt_byte(P, types, 0xFF); /* separator: never a valtype's last byte */
      (void)at;
      nlocal++;
    } else {
      while (mwt_peek(P) != MWT_RPAR) {
        mwt_valtype(P, types);
        mwt_byte(P, types, 0xFF);
        nlocal++;
      }
    }
    mwt_rpar(P);
  }
  /* run-length encode */
  size_t i = 0;
  while (i < types->n) {
    size_t j = i;
    while (types->p[j] != 0xFF) j++;
    const unsigned char *t = types->p + i;
    size_t tl = j - i;
    if (prev && tl == prev_len && memcmp(prev, t, tl) == 0) {
      run++;
    } else {
      if (prev) {
        mwt_u32(P, loc, run);
        mwt_bytes(P, loc, prev, prev_len);
        groups++;
      }
      prev = t, prev_len = tl, run = 1;
    }
    i = j + 1;
  }
  if (prev) {
    mwt_u32(P, loc, run);
    mwt_bytes(P, loc, prev, prev_len);
    groups++;
  }
  mwt_u32(P, body, groups);
  mwt_bytes(P, body, loc->p, loc->n);
  P->nlocals = nlocal;
  P->nlabels = 0;
  mwt_expr(P, body);
  mwt_u32(P, &P->code, (uint32_t)body->n);
  mwt_bytes(P, &P->code, body->p, body->n);
}

static void field_func(mwt_parser *P, uint32_t index) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  inline_exports(P, 0x00, index);
  mwt_names_free(&P->locals);
  if (mwt_is_open(P, "import")) {
    inline_import(P);
    uint32_t np;
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x00);
    mwt_u32(P, &P->sec[SEC_IMPORT], mwt_typeuse(P, false, &np));
    mwt_rpar(P);
    return;
  }
  uint32_t np;
  uint32_t type = mwt_typeuse(P, true, &np);
  mwt_u32(P, &P->sec[SEC_FUNC], type);
  P->sec_count[SEC_FUNC]++;
  func_body(P, np);
  mwt_names_free(&P->locals);
  mwt_rpar(P);
}

/* A constant expression: (offset instr*) or one folded instruction. */
static void offset_expr(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_open(P, "offset")) {
    P->p += 2;
    mwt_expr(P, b);
    mwt_rpar(P);
    return;
  }
  if (mwt_peek(P) != MWT_LPAR) mwt_unexpected(P);
  /* one folded instruction */
  size_t end = P->p;
  P->p = end;
  {
    /* parse just this s-expression as an expression */
    size_t save_ntoks = P->ntoks;
    size_t s = P->p;
    mwt_skip_sexpr(P);
    size_t e = P->p;
    P->p = s;
    /* temporarily end the token stream after the s-expression */
    mwt_token saved = P->toks[e];
    P->toks[e].type = MWT_RPAR;
    (void)save_ntoks;
    mwt_instrs(P, b);
    P->toks[e] = saved;
    if (P->p != e) mwt_unexpected(P);
    mwt_byte(P, b, 0x0B);
  }
}

/* An element item: (item instr*) or one folded instruction. */
static void elem_item(mwt_parser *P, mwt_buf *b) {
  if (mwt_is_open(P, "item")) {
    P->p += 2;
    mwt_expr(P, b);
    mwt_rpar(P);
    return;
  }
  offset_expr(P, b);
}

/* The element list after the segment's mode: writes elemkind/reftype and
 * the items into b according to flags (bit 2: expressions). Returns the
 * flags bit for expressions (4) or 0. */
static unsigned elem_list(mwt_parser *P, mwt_buf *head, mwt_buf *items, bool *is_funcref,
                          bool legacy_ok) {
  uint32_t n = 0;
  items->n = 0;
  bool func_kw = mwt_is_kw(P, P->p, "func");
  if (func_kw || (legacy_ok && (mwt_at_index(P) || mwt_peek(P) == MWT_RPAR))) {
    if (func_kw) P->p++;
    while (mwt_at_index(P)) {
      mwt_u32(P, items, mwt_index(P, MWT_NS_FUNC));
      n++;
    }
    *is_funcref = true;
    mwt_byte(P, head, 0x00); /* elemkind funcref (dropped for flag 0) */
    mwt_u32(P, head, n);
    return 0;
  }
  size_t rt = head->n;
  mwt_reftype(P, head);
  *is_funcref = head->n - rt == 1 && head->p[rt] == 0x70;
  while (mwt_peek(P) == MWT_LPAR) {
    elem_item(P, items);
    n++;
  }
  mwt_u32(P, head, n);
  return 4;
}

static void field_elem(mwt_parser *P) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  mwt_buf *sec = &P->sec[SEC_ELEM];
  mwt_buf head = {0};
  /* head and items use scratch storage owned by P */
  mwt_buf *h = &P->s1, *items = &P->s2, *off = &P->body;
  h->n = off->n = 0;
  bool funcref;
  if (mwt_is_kw(P, P->p, "declare")) {
    P->p++;
    unsigned e = elem_list(P, h, items, &funcref, false);
    mwt_byte(P, sec, 3 | e);
  } else if (mwt_is_open(P, "table") || mwt_is_open(P, "offset") ||
             (mwt_peek(P) == MWT_LPAR && !mwt_is_open(P, "item") && !mwt_is_open(P, "ref"))) {
    uint32_t table = 0;
    bool explicit_table = false;
    if (mwt_is_open(P, "table")) {
      P->p += 2;
      table = mwt_index(P, MWT_NS_TABLE);
      mwt_rpar(P);
      explicit_table = true;
    }
    offset_expr(P, off);
    unsigned e = elem_list(P, h, items, &funcref, true);
    if (table == 0 && (!explicit_table || true) && (e == 0 || funcref)) {
      mwt_byte(P, sec, 0 | e);
      mwt_bytes(P, sec, off->p, off->n);
      /* flags 0/4 have no elemkind/reftype: skip its byte(s) */
      size_t skip = 0;
      if (e == 0) skip = 1;
      else skip = 1; /* funcref is one byte */
      mwt_bytes(P, sec, h->p + skip, h->n - skip);
    } else {
      mwt_byte(P, sec, 2 | e);
      mwt_u32(P, sec, table);
      mwt_bytes(P, sec, off->p, off->n);
      mwt_bytes(P, sec, h->p, h->n);
    }
    mwt_bytes(P, sec, items->p, items->n);
    P->sec_count[SEC_ELEM]++;
    mwt_rpar(P);
    (void)head;
    return;
  } else {
    unsigned e = elem_list(P, h, items, &funcref, false);
    mwt_byte(P, sec, 1 | e);
  }
  mwt_bytes(P, sec, h->p, h->n);
  mwt_bytes(P, sec, items->p, items->n);
  P->sec_count[SEC_ELEM]++;
  mwt_rpar(P);
}

static void data_strings(mwt_parser *P, mwt_buf *b) {
  mwt_buf *d = &P->s3;
  d->n = 0;
  while (mwt_peek(P) == MWT_STRING) {
    size_t len;
    char *s = mwt_string(P, P->p, &len);
    P->p++;
    mwt_bytes(P, d, s, len);
  }
  mwt_u32(P, b, (uint32_t)d->n);
  mwt_bytes(P, b, d->p, d->n);
}

static void field_data(mwt_parser *P) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  mwt_buf *sec = &P->sec[SEC_DATA];
  if (mwt_peek(P) == MWT_LPAR) {
    uint32_t mem = 0;
    if (mwt_is_open(P, "memory")) {
      P->p += 2;
      mem = mwt_index(P, MWT_NS_MEM);
      mwt_rpar(P);
    }
    if (mem == 0) {
      mwt_byte(P, sec, 0);
    } else {
      mwt_byte(P, sec, 2);
      mwt_u32(P, sec, mem);
    }
    offset_expr(P, sec);
  } else {
    mwt_byte(P, sec, 1);
  }
  data_strings(P, sec);
  P->sec_count[SEC_DATA]++;
  mwt_rpar(P);
}

static void field_table(mwt_parser *P, uint32_t index, uint32_t *elem_index) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  inline_exports(P, 0x01, index);
  if (mwt_is_open(P, "import")) {
    inline_import(P);
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x01);
    tabletype(P, &P->sec[SEC_IMPORT]);
    mwt_rpar(P);
    return;
  }
  mwt_buf *sec = &P->sec[SEC_TABLE];
  P->sec_count[SEC_TABLE]++;
  size_t save = P->p;
  bool is64 = addrtype(P);
  if (mwt_peek(P) != MWT_NAT) {
    /* reftype (elem ...): the abbreviation with inline elements */
    mwt_buf *rt = &P->s3;
    rt->n = 0;
    mwt_reftype(P, rt);
    size_t rtl = rt->n;
    unsigned char rtb[32];
    if (rtl > sizeof rtb) mwt_unexpected(P);
    memcpy(rtb, rt->p, rtl);
    if (!mwt_is_open(P, "elem")) mwt_unexpected(P);
    P->p += 2;
    /* items: indices or expressions */
    mwt_buf *items = &P->s2;
    items->n = 0;
    uint32_t n = 0;
    bool exprs = mwt_peek(P) == MWT_LPAR;
    /* Function indices make a segment of type (ref func) in Wasm 3.0, which
     * only a funcref table takes: for any other reftype they are written
     * as ref.func expressions of the table's type. */
    bool funcref = rtl == 1 && rtb[0] == 0x70;
    bool as_exprs = !exprs && !funcref;
    while (mwt_peek(P) != MWT_RPAR) {
      if (exprs) {
        elem_item(P, items);
      } else if (as_exprs) {
        mwt_byte(P, items, 0xD2);
        mwt_u32(P, items, mwt_index(P, MWT_NS_FUNC));
        mwt_byte(P, items, 0x0B);
      } else {
        mwt_u32(P, items, mwt_index(P, MWT_NS_FUNC));
      }
      n++;
    }
    mwt_rpar(P);
    exprs = exprs || as_exprs;
    /* table type: min = max = n */
    mwt_bytes(P, sec, rtb, rtl);
    mwt_byte(P, sec, is64 ? 5 : 1);
    mwt_u64(P, sec, n);
    mwt_u64(P, sec, n);
    /* active segment at offset 0 */
    mwt_buf *es = &P->sec[SEC_ELEM];
    if (index == 0 && (!exprs || funcref)) {
      mwt_byte(P, es, exprs ? 4 : 0);
    } else {
      mwt_byte(P, es, exprs ? 6 : 2);
      mwt_u32(P, es, index);
    }
    mwt_byte(P, es, is64 ? 0x42 : 0x41);
    mwt_byte(P, es, 0);
    mwt_byte(P, es, 0x0B);
    if (index != 0 || (exprs && !funcref)) {
      if (exprs) mwt_bytes(P, es, rtb, rtl);
      else mwt_byte(P, es, 0x00);
    }
    mwt_u32(P, es, n);
    mwt_bytes(P, es, items->p, items->n);
    P->sec_count[SEC_ELEM]++;
    ++*elem_index;
    mwt_rpar(P);
    return;
  }
  P->p = save;
  mwt_buf *tt = &P->s1;
  tt->n = 0;
  tabletype(P, tt);
  if (mwt_peek(P) == MWT_LPAR) {
    /* a table with an initializer expression */
    mwt_byte(P, sec, 0x40);
    mwt_byte(P, sec, 0x00);
    mwt_bytes(P, sec, tt->p, tt->n);
    mwt_expr(P, sec);
  } else {
    mwt_bytes(P, sec, tt->p, tt->n);
  }
  mwt_rpar(P);
}

static void field_memory(mwt_parser *P, uint32_t index) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  inline_exports(P, 0x02, index);
  if (mwt_is_open(P, "import")) {
    inline_import(P);
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x02);
    memtype(P, &P->sec[SEC_IMPORT]);
    mwt_rpar(P);
    return;
  }
  mwt_buf *sec = &P->sec[SEC_MEM];
  P->sec_count[SEC_MEM]++;
  size_t save = P->p;
  bool is64 = addrtype(P);
  if (mwt_is_open(P, "data")) {
    P->p += 2;
    mwt_buf *ds = &P->sec[SEC_DATA];
    if (index == 0) {
      mwt_byte(P, ds, 0);
    } else {
      mwt_byte(P, ds, 2);
      mwt_u32(P, ds, index);
    }
    mwt_byte(P, ds, is64 ? 0x42 : 0x41);
    mwt_byte(P, ds, 0);
    mwt_byte(P, ds, 0x0B);
    size_t before = ds->n;
    data_strings(P, ds);
    (void)before;
    uint64_t len = P->s3.n;
    uint64_t pages = (len + 65535) / 65536;
    mwt_byte(P, sec, is64 ? 5 : 1);
    mwt_u64(P, sec, pages);
    mwt_u64(P, sec, pages);
    P->sec_count[SEC_DATA]++;
    mwt_rpar(P);
    mwt_rpar(P);
    return;
  }
  P->p = save;
  memtype(P, sec);
  mwt_rpar(P);
}

static void field_global(mwt_parser *P, uint32_t index) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  inline_exports(P, 0x03, index);
  if (mwt_is_open(P, "import")) {
    inline_import(P);
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x03);
    globaltype(P, &P->sec[SEC_IMPORT]);
    mwt_rpar(P);
    return;
  }
  mwt_buf *sec = &P->sec[SEC_GLOBAL];
  P->sec_count[SEC_GLOBAL]++;
  globaltype(P, sec);
  mwt_expr(P, sec);
  mwt_rpar(P);
}

static void field_tag(mwt_parser *P, uint32_t index) {
  P->p += 2;
  if (mwt_peek(P) == MWT_ID) P->p++;
  inline_exports(P, 0x04, index);
  uint32_t np;
  if (mwt_is_open(P, "import")) {
    inline_import(P);
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x04);
    mwt_byte(P, &P->sec[SEC_IMPORT], 0x00);
    mwt_u32(P, &P->sec[SEC_IMPORT], mwt_typeuse(P, false, &np));
    mwt_rpar(P);
    return;
  }
  mwt_buf *sec = &P->sec[SEC_TAG];
  P->sec_count[SEC_TAG]++;
  mwt_byte(P, sec, 0x00);
  mwt_u32(P, sec, mwt_typeuse(P, false, &np));
  mwt_rpar(P);
}

static void field_export(mwt_parser *P) {
  P->p += 2;
  mwt_buf *b = &P->sec[SEC_EXPORT];
  name(P, b);
  mwt_lpar(P);
  int ns = field_ns(P, P->p);
  if (ns < 0) mwt_unexpected(P);
  P->p++;
  static const unsigned char kind[] = {0, 0, 1, 2, 3, 0, 0, 4};
  mwt_byte(P, b, kind[ns]);
  mwt_u32(P, b, mwt_index(P, ns));
  mwt_rpar(P);
  mwt_rpar(P);
  P->sec_count[SEC_EXPORT]++;
}

static void field_start(mwt_parser *P) {
  size_t at = P->p;
  P->p += 2;
  uint32_t f = mwt_index(P, MWT_NS_FUNC);
  mwt_rpar(P);
  if (P->has_start) { P->p = at; mwt_fail(P, "multiple start sections"); }
  P->has_start = true;
  mwt_u32(P, &P->sec[SEC_START], f);
}

static void section(mwt_parser *P, mwt_buf *out, unsigned id, uint32_t count,
                    const mwt_buf *body, bool vec) {
  if (!body->n && !count) return;
  mwt_byte(P, out, id);
  size_t clen = 0;
  unsigned char tmp[10];
  if (vec) {
    uint32_t v = count;
    do {
      unsigned char c = v & 0x7F;
      v >>= 7;
      tmp[clen++] = c | (v ? 0x80 : 0);
    } while (v);
  }
  mwt_u32(P, out, (uint32_t)(clen + body->n));
  mwt_bytes(P, out, tmp, clen);
  mwt_bytes(P, out, body->p, body->n);
}

void mwt_module_fields(mwt_parser *P, mwt_buf *out) {
  prescan(P);
  uint32_t idx[MWT_NS__COUNT] = {0};
  /* imports take the first indices: count them per space first */
  uint32_t nimp[MWT_NS__COUNT] = {0};
  size_t start = P->p;
  while (mwt_peek(P) == MWT_LPAR) {
    size_t f = P->p;
    int ns = field_ns(P, f + 1);
    if (mwt_is_kw(P, f + 1, "import")) {
      size_t d = f + 4;
      int dns = mwt_tok_at(P, d)->type == MWT_LPAR ? field_ns(P, d + 1) : -1;
      if (dns >= 0) nimp[dns]++;
    } else if (ns >= 0) {
      size_t after = f + 2;
      if (mwt_tok_at(P, after)->type == MWT_ID) after++;
      if (has_inline_import(P, after)) nimp[ns]++;
    }
    mwt_skip_sexpr(P);
  }
  P->p = start;
  uint32_t imp_seen[MWT_NS__COUNT] = {0};
  for (int i = 0; i < MWT_NS__COUNT; i++) idx[i] = nimp[i];
  uint32_t elem_index = 0;
  while (mwt_peek(P) == MWT_LPAR) {
    size_t f = P->p;
    int ns = field_ns(P, f + 1);
    if (mwt_is_kw(P, f + 1, "type") || mwt_is_kw(P, f + 1, "rec")) {
      mwt_skip_sexpr(P);
    } else if (mwt_is_kw(P, f + 1, "import")) {
      size_t d = f + 4;
      int dns = mwt_tok_at(P, d)->type == MWT_LPAR ? field_ns(P, d + 1) : -1;
      if (dns >= 0) imp_seen[dns]++;
      field_import(P);
    } else if (ns >= 0) {
      size_t after = f + 2;
      if (mwt_tok_at(P, after)->type == MWT_ID) after++;
      uint32_t index = has_inline_import(P, after) ? imp_seen[ns]++ : idx[ns]++;
      switch (ns) {
      case MWT_NS_FUNC: field_func(P, index); break;
      case MWT_NS_TABLE: field_table(P, index, &elem_index); break;
      case MWT_NS_MEM: field_memory(P, index); break;
      case MWT_NS_GLOBAL: field_global(P, index); break;
      case MWT_NS_TAG: field_tag(P, index); break;
      }
    } else if (mwt_is_kw(P, f + 1, "elem")) {
      field_elem(P);
    } else if (mwt_is_kw(P, f + 1, "data")) {
      field_data(P);
    } else if (mwt_is_kw(P, f + 1, "export")) {
      field_export(P);
    } else if (mwt_is_kw(P, f + 1, "start")) {
      field_start(P);
    } else {
      P->p = f + 1;
      mwt_unexpected(P);
    }
  }
  /* assemble */
  static const unsigned char magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  mwt_bytes(P, out, magic, 8);
  section(P, out, 1, P->types_sec_count, &P->types_sec, true);
  section(P, out, SEC_IMPORT, P->sec_count[SEC_IMPORT], &P->sec[SEC_IMPORT], true);
  section(P, out, SEC_FUNC, P->sec_count[SEC_FUNC], &P->sec[SEC_FUNC], true);
  section(P, out, SEC_TABLE, P->sec_count[SEC_TABLE], &P->sec[SEC_TABLE], true);
  section(P, out, SEC_MEM, P->sec_count[SEC_MEM], &P->sec[SEC_MEM], true);
  section(P, out, SEC_TAG, P->sec_count[SEC_TAG], &P->sec[SEC_TAG], true);
  section(P, out, SEC_GLOBAL, P->sec_count[SEC_GLOBAL], &P->sec[SEC_GLOBAL], true);
  section(P, out, SEC_EXPORT, P->sec_count[SEC_EXPORT], &P->sec[SEC_EXPORT], true);
  section(P, out, SEC_START, 0, &P->sec[SEC_START], false);
  section(P, out, SEC_ELEM, P->sec_count[SEC_ELEM], &P->sec[SEC_ELEM], true);
  if (P->needs_datacount) {
    mwt_buf dc = {0};
    unsigned char tmp[6];
    size_t k = 0;
    uint32_t v = P->sec_count[SEC_DATA];
    do {
      unsigned char c = v & 0x7F;
      v >>= 7;
      tmp[k++] = c | (v ? 0x80 : 0);
    } while (v);
    dc.p = tmp, dc.n = k;
    section(P, out, SEC_DATACOUNT, 0, &dc, false);
  }
  section(P, out, SEC_CODE, P->sec_count[SEC_FUNC], &P->code, true);
  section(P, out, SEC_DATA, P->sec_count[SEC_DATA], &P->sec[SEC_DATA], true);
}
