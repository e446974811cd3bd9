/*
 * parser.c -- what every part of the text parser shares: errors with
 * line:column, byte buffers with LEB128 writers, token access, string
 * literals, and name spaces (identifier -> index maps).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---------------------------------------------------------------- errors */

void mwt_position(const char *src, size_t len, uint32_t pos, unsigned *line, unsigned *col) {
  unsigned l = 1, c = 1;
  for (size_t i = 0; i < pos && i < len; i++) {
    if (src[i] == '\n') l++, c = 1;
    else if (((unsigned char)src[i] & 0xC0) != 0x80) c++;
  }
  *line = l, *col = c;
}

static _Noreturn void vfail(mwt_parser *P, int kind, uint32_t pos, const char *fmt, va_list ap) {
  vsnprintf(P->msg, sizeof P->msg, fmt, ap);
  P->err_kind = kind;
  P->err_pos = pos;
  longjmp(*P->jb, 1);
}

void mwt_fail_at(mwt_parser *P, uint32_t pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(P, MW_ERR_MALFORMED, pos, fmt, ap);
}

void mwt_fail(mwt_parser *P, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(P, MW_ERR_MALFORMED, P->ntoks ? mwt_tok_at(P, P->p)->pos : 0, fmt, ap);
}

void mwt_fail_invalid(mwt_parser *P, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(P, MW_ERR_INVALID, P->ntoks ? mwt_tok_at(P, P->p)->pos : 0, fmt, ap);
}

/* The reference lexer knows a fixed set of keywords: any other word is an
 * "unknown operator" wherever it appears.  We lex words generically, so
 * the distinction is made here, when a word is not what the parser wants. */
static bool known_word(const char *s, size_t n) {
  static const char *const words[] = {
    "module", "func", "param", "result", "local", "type", "import", "export",
    "table", "memory", "global", "elem", "data", "start", "offset", "item",
    "declare", "mut", "then", "else", "end", "i32", "i64", "f32", "f64", "v128",
    "funcref", "externref", "anyref", "eqref", "i31ref", "structref", "arrayref",
    "nullref", "nullfuncref", "nullexternref", "exnref", "nullexnref", "ref",
    "null", "func", "extern", "any", "eq", "i31", "struct", "array", "none",
    "nofunc", "noextern", "exn", "noexn", "field", "sub", "final", "rec", "tag",
    "i8", "i16", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "quote",
    "binary", "definition", "instance", "register", "invoke", "get",
    "assert_return", "assert_trap", "assert_exhaustion", "assert_malformed",
    "assert_invalid", "assert_unlinkable", "assert_uninstantiable",
    "assert_exception", "nan:canonical", "nan:arithmetic", "either", "catch",
    "catch_ref", "catch_all", "catch_all_ref", "delegate", "shared", "pagesize",
    "thread", "wait", "input", "output", "script",
  };
  if (mw_opcode_from_text(s, n) >= 0) return true;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) return true;
  if ((n > 7 && memcmp(s, "offset=", 7) == 0) || (n > 6 && memcmp(s, "align=", 6) == 0))
    return true;
  return false;
}

void mwt_unexpected(mwt_parser *P) {
  mwt_token *t = mwt_tok_at(P, P->p);
  if (t->type == MWT_EOF) mwt_fail(P, "unexpected end of input");
  if (t->type == MWT_RESERVED || (t->type == MWT_KEYWORD && !known_word(P->src + t->pos, t->len)))
    mwt_fail(P, "unknown operator %.*s", (int)(t->len > 60 ? 60 : t->len), P->src + t->pos);
  mwt_fail(P, "unexpected token");
}

/* ---------------------------------------------------------------- buffers */

void mwt_buf_reserve(mwt_parser *P, mwt_buf *b, size_t more) {
  if (b->cap - b->n >= more) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap - b->n < more) cap *= 2;
  unsigned char *p = realloc(b->p, cap);
  if (!p) mwt_fail(P, "out of memory");
  b->p = p, b->cap = cap;
}

void mwt_byte(mwt_parser *P, mwt_buf *b, unsigned v) {
  if (b->n == b->cap) mwt_buf_reserve(P, b, 1);
  b->p[b->n++] = (unsigned char)v;
}

void mwt_bytes(mwt_parser *P, mwt_buf *b, const void *p, size_t n) {
  mwt_buf_reserve(P, b, n);
  if (n) memcpy(b->p + b->n, p, n);
  b->n += n;
}

void mwt_u32(mwt_parser *P, mwt_buf *b, uint32_t v) { mwt_u64(P, b, v); }

void mwt_u64(mwt_parser *P, mwt_buf *b, uint64_t v) {
  mwt_buf_reserve(P, b, 10);
  do {
    unsigned char c = v & 0x7F;
    v >>= 7;
    if (v) c |= 0x80;
    b->p[b->n++] = c;
  } while (v);
}

void mwt_s64(mwt_parser *P, mwt_buf *b, int64_t v) {
  mwt_buf_reserve(P, b, 10);
  for (;;) {
    unsigned char c = v & 0x7F;
    v >>= 7; /* arithmetic shift: gcc/clang define it */
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      b->p[b->n++] = c;
      return;
    }
    b->p[b->n++] = c | 0x80;
  }
}

void mwt_s32(mwt_parser *P, mwt_buf *b, int32_t v) { mwt_s64(P, b, v); }

void mwt_buf_free(mwt_buf *b) {
  free(b->p);
  b->p = NULL, b->n = b->cap = 0;
}

/* ---------------------------------------------------------------- tokens */

bool mwt_is_kw(mwt_parser *P, size_t i, const char *kw) {
  mwt_token *t = mwt_tok_at(P, i);
  if (t->type != MWT_KEYWORD) return false;
  size_t n = strlen(kw);
  return t->len == n && memcmp(P->src + t->pos, kw, n) == 0;
}

bool mwt_is_open(mwt_parser *P, const char *kw) {
  return mwt_peek(P) == MWT_LPAR && mwt_is_kw(P, P->p + 1, kw);
}

void mwt_expect(mwt_parser *P, int type) {
  if (mwt_peek(P) != type) mwt_unexpected(P);
  P->p++;
}

void mwt_expect_kw(mwt_parser *P, const char *kw) {
  if (!mwt_is_kw(P, P->p, kw)) mwt_unexpected(P);
  P->p++;
}

void mwt_lpar(mwt_parser *P) { mwt_expect(P, MWT_LPAR); }
void mwt_rpar(mwt_parser *P) { mwt_expect(P, MWT_RPAR); }

void mwt_skip_sexpr(mwt_parser *P) {
  mwt_token *t = mwt_tok_at(P, P->p);
  if (t->type != MWT_LPAR) {
    if (t->type == MWT_EOF) mwt_unexpected(P);
    P->p++;
    return;
  }
  P->p = t->match; /* the lexer paired the parentheses */
  if (mwt_peek(P) == MWT_EOF) mwt_unexpected(P);
  P->p++;
}

/* ---------------------------------------------------------------- strings */

static char *keep(mwt_parser *P, char *s) {
  if (P->nstrs == P->strs_cap) {
    size_t cap = P->strs_cap ? P->strs_cap * 2 : 16;
    char **a = realloc(P->strs, cap * sizeof *a);
    if (!a) { free(s); mwt_fail(P, "out of memory"); }
    P->strs = a, P->strs_cap = cap;
  }
  P->strs[P->nstrs++] = s;
  return s;
}

static int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

/* Decode the string literal at src[pos..pos+len) (quotes included; the
 * lexer checked its syntax).  The result lives as long as the parser. */
static char *decode_string(mwt_parser *P, uint32_t pos, uint32_t len, size_t *out_len) {
  const char *s = P->src + pos + 1;
  size_t n = len - 2;
  char *r = malloc(n + 1);
  if (!r) mwt_fail(P, "out of memory");
  keep(P, r);
  size_t j = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] != '\\') { r[j++] = s[i++]; continue; }
    char e = s[i + 1];
    switch (e) {
    case 'n': r[j++] = '\n'; i += 2; break;
    case 'r': r[j++] = '\r'; i += 2; break;
    case 't': r[j++] = '\t'; i += 2; break;
    case '\\': case '\'': case '"': r[j++] = e; i += 2; break;
    case 'u': {
      uint32_t cp = 0;
      i += 3;
      while (s[i] != '}') {
        if (s[i] != '_') {
          if (cp > 0x10FFFF) break;
          cp = cp * 16 + (uint32_t)hexv(s[i]);
        }
        i++;
      }
      while (s[i] != '}') i++;
      i++;
      if (cp >= 0xD800 && (cp < 0xE000 || cp > 0x10FFFF))
        mwt_fail_at(P, pos, "malformed UTF-8 encoding");
      if (cp < 0x80) r[j++] = (char)cp;
      else if (cp < 0x800) r[j++] = (char)(0xC0 | cp >> 6), r[j++] = (char)(0x80 | (cp & 63));
      else if (cp < 0x10000)
        r[j++] = (char)(0xE0 | cp >> 12), r[j++] = (char)(0x80 | (cp >> 6 & 63)),
        r[j++] = (char)(0x80 | (cp & 63));
      else
        r[j++] = (char)(0xF0 | cp >> 18), r[j++] = (char)(0x80 | (cp >> 12 & 63)),
        r[j++] = (char)(0x80 | (cp >> 6 & 63)), r[j++] = (char)(0x80 | (cp & 63));
      break;
    }
    default: r[j++] = (char)(hexv(e) * 16 + hexv(s[i + 2])); i += 3; break;
    }
  }
  r[j] = 0;
  *out_len = j;
  return r;
}

char *mwt_string(mwt_parser *P, size_t tok, size_t *len) {
  mwt_token *t = mwt_tok_at(P, tok);
  if (t->type != MWT_STRING) { P->p = tok; mwt_unexpected(P); }
  return decode_string(P, t->pos, t->len, len);
}

static bool valid_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t l;
    uint32_t min;
    if (c >= 0xC0 && c <= 0xDF) l = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) l = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF7) l = 4, min = 0x10000;
    else return false;
    if (i + l > n) return false;
    uint32_t cp = c & (0x7F >> l);
    for (size_t k = 1; k < l; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return false;
    i += l;
  }
  return true;
}

bool mwt_valid_utf8_string(mwt_parser *P, size_t pos, size_t len, size_t *out_len) {
  char *d = decode_string(P, (uint32_t)pos, (uint32_t)len, out_len);
  return valid_utf8((const unsigned char *)d, *out_len);
}

char *mwt_name_string(mwt_parser *P, size_t tok, size_t *len) {
  char *s = mwt_string(P, tok, len);
  if (!valid_utf8((const unsigned char *)s, *len)) {
    P->p = tok;
    mwt_fail(P, "malformed UTF-8 encoding");
  }
  return s;
}

const char *mwt_id_text(mwt_parser *P, size_t tok, uint32_t *len) {
  mwt_token *t = mwt_tok_at(P, tok);
  const char *s = P->src + t->pos + 1;
  if (s[0] == '"') {
    size_t n;
    char *d = decode_string(P, t->pos + 1, t->len - 1, &n);
    if (!valid_utf8((const unsigned char *)d, n)) {
      P->p = tok;
      mwt_fail(P, "malformed UTF-8 encoding");
    }
    *len = (uint32_t)n;
    return d;
  }
  *len = t->len - 1;
  return s;
}

/* ---------------------------------------------------------------- names */

static uint32_t name_hash(const char *s, uint32_t len) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

bool mwt_names_find(const mwt_names *m, const char *s, uint32_t len, uint32_t *index) {
  if (!m->cap) return false;
  uint32_t i = name_hash(s, len) & (m->cap - 1);
  for (;; i = (i + 1) & (m->cap - 1)) {
    const mwt_name *e = &m->slots[i];
    if (!e->s) return false;
    if (e->len == len && memcmp(e->s, s, len) == 0) {
      *index = e->index;
      return true;
    }
  }
}

bool mwt_names_add(mwt_parser *P, mwt_names *m, const char *s, uint32_t len, uint32_t index) {
  uint32_t dummy;
  if (mwt_names_find(m, s, len, &dummy)) return false;
  if ((m->count + 1) * 2 > m->cap) {
    uint32_t cap = m->cap ? m->cap * 2 : 16;
    mwt_name *slots = calloc(cap, sizeof *slots);
    if (!slots) mwt_fail(P, "out of memory");
    for (uint32_t k = 0; k < m->cap; k++) {
      mwt_name *e = &m->slots[k];
      if (!e->s) continue;
      uint32_t i = name_hash(e->s, e->len) & (cap - 1);
      while (slots[i].s) i = (i + 1) & (cap - 1);
      slots[i] = *e;
    }
    free(m->slots);
    m->slots = slots, m->cap = cap;
  }
  uint32_t i = name_hash(s, len) & (m->cap - 1);
  while (m->slots[i].s) i = (i + 1) & (m->cap - 1);
  m->slots[i] = (mwt_name){s, len, index};
  m->count++;
  return true;
}

void mwt_names_free(mwt_names *m) {
  free(m->slots);
  m->slots = NULL, m->cap = m->count = 0;
}

static const char *const ns_names[MWT_NS__COUNT] = {
  "type", "function", "table", "memory", "global", "elem segment", "data segment", "tag",
};

bool mwt_at_index(mwt_parser *P) {
  int t = mwt_peek(P);
  return t == MWT_NAT || t == MWT_ID;
}

uint32_t mwt_index(mwt_parser *P, int ns) {
  if (mwt_peek(P) == MWT_NAT) return mwt_nat32(P);
  if (mwt_peek(P) != MWT_ID) mwt_unexpected(P);
  uint32_t len, idx;
  const char *s = mwt_id_text(P, P->p, &len);
  if (!mwt_names_find(&P->ns[ns], s, len, &idx))
    mwt_fail(P, "unknown %s $%.*s", ns_names[ns], (int)(len > 60 ? 60 : len), s);
  P->p++;
  return idx;
}

uint32_t mwt_local_index(mwt_parser *P) {
  if (mwt_peek(P) == MWT_NAT) return mwt_nat32(P);
  if (mwt_peek(P) != MWT_ID) mwt_unexpected(P);
  uint32_t len, idx;
  const char *s = mwt_id_text(P, P->p, &len);
  if (!mwt_names_find(&P->locals, s, len, &idx))
    mwt_fail(P, "unknown local $%.*s", (int)(len > 60 ? 60 : len), s);
  P->p++;
  return idx;
}
