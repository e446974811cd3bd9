/*
 * wast.c -- the spec interpreter's script format (interpreter/README.md,
 * "Scripts"): modules (named, binary, quote, definition, instance),
 * register, invoke, get and every assertion, with result patterns
 * (nan:canonical, nan:arithmetic, v128 lanes, reference kinds, either).
 *
 * Text modules are encoded to binary here; a module that fails to encode
 * becomes a command carrying the error, so an assertion about it can
 * still be judged.  `module quote` keeps its text, parsed when it runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast.h"

typedef struct wast {
  mwt_parser *P;
  mwt_buf *ev;
  uint32_t line_pos, line; /* incremental line counting */
} wast;

/* ---------------------------------------------------------------- events */

static void ev_byte(wast *W, unsigned c) { mwt_byte(W->P, W->ev, c); }

static void ev_len(wast *W, const void *p, size_t n) {
  unsigned char l[4] = {(unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                        (unsigned char)(n >> 24)};
  mwt_bytes(W->P, W->ev, l, 4);
  mwt_bytes(W->P, W->ev, p, n);
}

static void key(wast *W, const char *k) {
  ev_byte(W, 'K');
  ev_len(W, k, strlen(k));
}

static void str(wast *W, const void *s, size_t n) {
  ev_byte(W, 'S');
  ev_len(W, s, n);
}

static void kv_str(wast *W, const char *k, const char *v) {
  key(W, k);
  str(W, v, strlen(v));
}

static void kv_int(wast *W, const char *k, int64_t v) {
  key(W, k);
  ev_byte(W, 'I');
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
  mwt_bytes(W->P, W->ev, b, 8);
}

static void kv_bool(wast *W, const char *k, bool v) {
  key(W, k);
  ev_byte(W, 'B');
  ev_byte(W, v);
}

static void kv_dec(wast *W, const char *k, uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRIu64, v);
  kv_str(W, k, buf);
}

static uint32_t line_of(wast *W, size_t tok) {
  uint32_t pos = mwt_tok_at(W->P, tok)->pos;
  const char *s = W->P->src;
  if (pos < W->line_pos) W->line_pos = 0, W->line = 1;
  for (uint32_t i = W->line_pos; i < pos; i++)
    if (s[i] == '\n') W->line++;
  W->line_pos = pos;
  return W->line;
}

/* ---------------------------------------------------------------- values */

static void id_value(wast *W, const char *k) {
  uint32_t len;
  const char *s = mwt_id_text(W->P, W->P->p, &len);
  key(W, k);
  /* keep the $ so names read as in the script */
  char *buf = malloc(len + 1);
  if (!buf) mwt_fail(W->P, "out of memory");
  buf[0] = '$';
  memcpy(buf + 1, s, len);
  str(W, buf, len + 1);
  free(buf);
  W->P->p++;
}

static bool nan_pattern(wast *W, const char *k) {
  mwt_parser *P = W->P;
  if (mwt_is_kw(P, P->p, "nan:canonical")) { kv_str(W, k, "nan:canonical"); P->p++; return true; }
  if (mwt_is_kw(P, P->p, "nan:arithmetic")) { kv_str(W, k, "nan:arithmetic"); P->p++; return true; }
  return false;
}

static const char *heap_ref_type(mwt_parser *P) {
  static const char *const map[][2] = {
    {"func", "funcref"}, {"extern", "externref"}, {"any", "anyref"}, {"eq", "eqref"},
    {"i31", "i31ref"}, {"struct", "structref"}, {"array", "arrayref"}, {"exn", "exnref"},
    {"none", "nullref"}, {"nofunc", "nullfuncref"}, {"noextern", "nullexternref"},
    {"noexn", "nullexnref"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (mwt_is_kw(P, P->p, map[i][0])) { P->p++; return map[i][1]; }
  if (mwt_at_index(P)) { P->p++; return "ref"; }
  return NULL;
}

static void value(wast *W, bool result);

static void lanes(wast *W, bool result) {
  mwt_parser *P = W->P;
  static const struct { const char *shape, *lane; unsigned n, bits; bool fl; } shapes[] = {
    {"i8x16", "i8", 16, 8, false}, {"i16x8", "i16", 8, 16, false}, {"i32x4", "i32", 4, 32, false},
    {"i64x2", "i64", 2, 64, false}, {"f32x4", "f32", 4, 32, true}, {"f64x2", "f64", 2, 64, true}};
  int k = -1;
  for (int i = 0; i < 6; i++)
    if (mwt_is_kw(P, P->p, shapes[i].shape)) k = i;
  if (k < 0) mwt_unexpected(P);
  P->p++;
  kv_str(W, "type", "v128");
  kv_str(W, "lane_type", shapes[k].lane);
  key(W, "value");
  ev_byte(W, 'L');
  for (unsigned i = 0; i < shapes[k].n; i++) {
    char buf[32];
    if (result && shapes[k].fl && (mwt_is_kw(P, P->p, "nan:canonical") ||
                                   mwt_is_kw(P, P->p, "nan:arithmetic"))) {
      mwt_token *t = mwt_tok_at(P, P->p);
      str(W, P->src + t->pos, t->len);
      P->p++;
      continue;
    }
    uint64_t v;
    if (shapes[k].fl) {
      v = shapes[k].bits == 32 ? mwt_f32(P) : mwt_f64(P);
    } else {
      mwt_token *t = mwt_tok_at(P, P->p);
      if (t->type != MWT_NAT && t->type != MWT_INT) mwt_unexpected(P);
      if (!mwt_parse_int(P->src + t->pos, t->len, true, shapes[k].bits, true, &v))
        mwt_fail(P, "constant out of range");
      P->p++;
    }
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    str(W, buf, strlen(buf));
  }
  ev_byte(W, 'E');
}

static void value(wast *W, bool result) {
  mwt_parser *P = W->P;
  if (++P->depth > MWT_MAX_DEPTH) mwt_fail(P, "nesting too deep");
  mwt_lpar(P);
  ev_byte(W, 'T');
  if (mwt_is_kw(P, P->p, "i32.const")) {
    P->p++;
    kv_str(W, "type", "i32");
    kv_dec(W, "value", mwt_i32(P));
  } else if (mwt_is_kw(P, P->p, "i64.const")) {
    P->p++;
    kv_str(W, "type", "i64");
    kv_dec(W, "value", mwt_i64(P));
  } else if (mwt_is_kw(P, P->p, "f32.const")) {
    P->p++;
    kv_str(W, "type", "f32");
    if (!(result && nan_pattern(W, "value"))) kv_dec(W, "value", mwt_f32(P));
  } else if (mwt_is_kw(P, P->p, "f64.const")) {
    P->p++;
    kv_str(W, "type", "f64");
    if (!(result && nan_pattern(W, "value"))) kv_dec(W, "value", mwt_f64(P));
  } else if (mwt_is_kw(P, P->p, "v128.const")) {
    P->p++;
    lanes(W, result);
  } else if (mwt_is_kw(P, P->p, "ref.null")) {
    P->p++;
    const char *t = heap_ref_type(P);
    if (!t) {
      if (!result) mwt_unexpected(P);
      t = "anyref";
      kv_bool(W, "any_null", true);
    }
    kv_str(W, "type", t);
    kv_str(W, "value", "null");
  } else if (mwt_is_kw(P, P->p, "ref.extern") || mwt_is_kw(P, P->p, "ref.host")) {
    P->p++;
    kv_str(W, "type", "externref");
    if (mwt_peek(P) == MWT_NAT) kv_dec(W, "value", mwt_nat32(P));
    else if (!result) mwt_unexpected(P);
  } else if (mwt_is_kw(P, P->p, "ref.func")) {
    P->p++;
    kv_str(W, "type", "funcref");
    if (mwt_at_index(P)) P->p++;
  } else if (result && mwt_is_kw(P, P->p, "either")) {
    P->p++;
    kv_str(W, "type", "either");
    key(W, "values");
    ev_byte(W, 'L');
    while (mwt_peek(P) == MWT_LPAR) value(W, true);
    ev_byte(W, 'E');
  } else if (result && mwt_peek(P) == MWT_KEYWORD) {
    /* (ref.any) (ref.eq) (ref.i31) (ref.struct) (ref.array) (ref.exn) ... */
    mwt_token *t = mwt_tok_at(P, P->p);
    if (t->len <= 4 || memcmp(P->src + t->pos, "ref.", 4) != 0) mwt_unexpected(P);
    kv_str(W, "type", "ref");
    key(W, "value");
    str(W, P->src + t->pos + 4, t->len - 4);
    P->p++;
    if (mwt_at_index(P)) P->p++;
  } else {
    mwt_unexpected(P);
  }
  ev_byte(W, 'E');
  mwt_rpar(P);
  P->depth--;
}

/* ---------------------------------------------------------------- actions */

static void action(wast *W) {
  mwt_parser *P = W->P;
  mwt_lpar(P);
  key(W, "action");
  ev_byte(W, 'T');
  bool invoke = mwt_is_kw(P, P->p, "invoke");
  if (!invoke && !mwt_is_kw(P, P->p, "get")) mwt_unexpected(P);
  P->p++;
  kv_str(W, "type", invoke ? "invoke" : "get");
  if (mwt_peek(P) == MWT_ID) id_value(W, "module");
  size_t n;
  char *s = mwt_name_string(P, P->p, &n);
  P->p++;
  key(W, "field");
  str(W, s, n);
  if (invoke) {
    key(W, "args");
    ev_byte(W, 'L');
    while (mwt_peek(P) == MWT_LPAR) value(W, false);
    ev_byte(W, 'E');
  }
  ev_byte(W, 'E');
  mwt_rpar(P);
}

static bool at_action(mwt_parser *P) {
  return mwt_is_open(P, "invoke") || mwt_is_open(P, "get");
}

/* ---------------------------------------------------------------- modules */

static void strings(wast *W, mwt_buf *out) {
  mwt_parser *P = W->P;
  while (mwt_peek(P) == MWT_STRING) {
    size_t n;
    char *s = mwt_string(P, P->p, &n);
    mwt_bytes(P, out, s, n);
    P->p++;
  }
}

/* Encode a text module (P at its fields); on error record it. */
static void text_module(wast *W, size_t start) {
  mwt_parser *P = W->P;
  jmp_buf *outer = P->jb;
  jmp_buf jb;
  P->jb = &jb;
  mwt_parser_reset_module(P);
  P->out.n = 0;
  if (setjmp(jb) == 0) {
    mwt_module_fields(P, &P->out);
    mwt_rpar(P);
    P->jb = outer;
    key(W, "wasm");
    str(W, P->out.p, P->out.n);
  } else {
    P->jb = outer;
    mw_error *e = mwt_error(P);
    kv_str(W, "error_kind", P->err_kind == MW_ERR_INVALID ? "invalid" : "malformed");
    kv_str(W, "error", e ? mw_error_message(e) : "out of memory");
    mw_error_free(e);
    P->p = start;
    mwt_skip_sexpr(P);
  }
}

/* (module ...) as a command or inside an assertion; fields into the
 * current table */
static void module(wast *W) {
  mwt_parser *P = W->P;
  size_t start = P->p;
  P->p += 2;
  if (mwt_is_kw(P, P->p, "instance")) {
    P->p++;
    kv_bool(W, "instance", true);
    if (mwt_peek(P) == MWT_ID) id_value(W, "name");
    if (mwt_peek(P) == MWT_ID) id_value(W, "module");
    mwt_rpar(P);
    return;
  }
  if (mwt_is_kw(P, P->p, "definition")) {
    P->p++;
    kv_bool(W, "definition", true);
  }
  if (mwt_peek(P) == MWT_ID) id_value(W, "name");
  if (mwt_is_kw(P, P->p, "binary")) {
    P->p++;
    P->s1.n = 0;
    strings(W, &P->s1);
    kv_str(W, "module_type", "binary");
    key(W, "wasm");
    str(W, P->s1.p, P->s1.n);
    mwt_rpar(P);
  } else if (mwt_is_kw(P, P->p, "quote")) {
    P->p++;
    P->s1.n = 0;
    strings(W, &P->s1);
    kv_str(W, "module_type", "quote");
    key(W, "quote");
    str(W, P->s1.p, P->s1.n);
    mwt_rpar(P);
  } else {
    kv_str(W, "module_type", "text");
    text_module(W, start);
  }
}

static void message(wast *W) {
  mwt_parser *P = W->P;
  size_t n;
  char *s = mwt_string(P, P->p, &n);
  P->p++;
  key(W, "text");
  str(W, s, n);
}

/* ---------------------------------------------------------------- commands */

static void command(wast *W) {
  mwt_parser *P = W->P;
  size_t start = P->p;
  if (mwt_peek(P) != MWT_LPAR) mwt_unexpected(P);
  ev_byte(W, 'T');
  kv_int(W, "line", line_of(W, start));
  size_t kw = P->p + 1;
  if (mwt_is_kw(P, kw, "module")) {
    kv_str(W, "type", "module");
    module(W);
  } else if (mwt_is_kw(P, kw, "register")) {
    P->p += 2;
    kv_str(W, "type", "register");
    size_t n;
    char *s = mwt_name_string(P, P->p, &n);
    P->p++;
    key(W, "as");
    str(W, s, n);
    if (mwt_peek(P) == MWT_ID) id_value(W, "name");
    mwt_rpar(P);
  } else if (mwt_is_kw(P, kw, "invoke") || mwt_is_kw(P, kw, "get")) {
    kv_str(W, "type", "action");
    action(W);
  } else if (mwt_is_kw(P, kw, "assert_return")) {
    P->p += 2;
    kv_str(W, "type", "assert_return");
    action(W);
    key(W, "expected");
    ev_byte(W, 'L');
    while (mwt_peek(P) == MWT_LPAR) value(W, true);
    ev_byte(W, 'E');
    mwt_rpar(P);
  } else if (mwt_is_kw(P, kw, "assert_trap")) {
    P->p += 2;
    kv_str(W, "type", "assert_trap");
    if (at_action(P)) {
      action(W);
    } else if (mwt_is_open(P, "module")) {
      key(W, "module");
      ev_byte(W, 'T');
      module(W);
      ev_byte(W, 'E');
    } else {
      mwt_unexpected(P);
    }
    message(W);
    mwt_rpar(P);
  } else if (mwt_is_kw(P, kw, "assert_exhaustion") || mwt_is_kw(P, kw, "assert_exception")) {
    bool exh = mwt_is_kw(P, kw, "assert_exhaustion");
    P->p += 2;
    kv_str(W, "type", exh ? "assert_exhaustion" : "assert_exception");
    action(W);
    if (mwt_peek(P) == MWT_STRING) message(W);
    mwt_rpar(P);
  } else if (mwt_is_kw(P, kw, "assert_malformed") || mwt_is_kw(P, kw, "assert_invalid") ||
             mwt_is_kw(P, kw, "assert_unlinkable") ||
             mwt_is_kw(P, kw, "assert_uninstantiable")) {
    mwt_token *t = mwt_tok_at(P, kw);
    key(W, "type");
    str(W, P->src + t->pos, t->len);
    P->p += 2;
    if (!mwt_is_open(P, "module")) mwt_unexpected(P);
    key(W, "module");
    ev_byte(W, 'T');
    module(W);
    ev_byte(W, 'E');
    message(W);
    mwt_rpar(P);
  } else if (mwt_is_kw(P, kw, "assert_malformed_custom") ||
             mwt_is_kw(P, kw, "assert_invalid_custom")) {
    /* custom sections from annotations are not built: nothing to judge */
    mwt_token *t = mwt_tok_at(P, kw);
    kv_str(W, "type", "skip");
    key(W, "reason");
    char buf[96];
    snprintf(buf, sizeof buf, "%.*s: custom annotations are skipped, not turned into sections",
             (int)t->len, P->src + t->pos);
    str(W, buf, strlen(buf));
    mwt_skip_sexpr(P);
  } else if (mwt_is_kw(P, kw, "thread") || mwt_is_kw(P, kw, "wait") ||
             mwt_is_kw(P, kw, "input") || mwt_is_kw(P, kw, "output") ||
             mwt_is_kw(P, kw, "script")) {
    mwt_token *t = mwt_tok_at(P, kw);
    kv_str(W, "type", "skip");
    key(W, "reason");
    char buf[96];
    snprintf(buf, sizeof buf, "%.*s: threads and script I/O are not supported",
             (int)t->len, P->src + t->pos);
    str(W, buf, strlen(buf));
    mwt_skip_sexpr(P);
  } else {
    P->p = kw;
    mwt_unexpected(P);
  }
  ev_byte(W, 'E');
}

mw_error *mwt_wast_parse(const char *text, size_t len, uint32_t features, mwt_buf *events) {
  events->p = NULL, events->n = events->cap = 0;
  mwt_parser *P = malloc(sizeof *P);
  if (!P) return mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
  mwt_parser_init(P, text, len, features);
  wast W = {P, events, 0, 1};
  mw_error *err = NULL;
  jmp_buf jb;
  P->jb = &jb;
  if (setjmp(jb) == 0) {
    mwt_lex(P);
    ev_byte(&W, 'L');
    /* a script may also be a bare module's fields */
    if (mwt_peek(P) == MWT_LPAR && !mwt_is_kw(P, 1, "module") && !mwt_is_kw(P, 1, "register") &&
        !mwt_is_kw(P, 1, "invoke") && !mwt_is_kw(P, 1, "get") &&
        mwt_tok_at(P, 1)->type == MWT_KEYWORD &&
        !(mwt_tok_at(P, 1)->len >= 7 &&  /* the source need not end in NUL */
          memcmp(P->src + mwt_tok_at(P, 1)->pos, "assert_", 7) == 0) &&
        !mwt_is_kw(P, 1, "thread") && !mwt_is_kw(P, 1, "wait")) {
      ev_byte(&W, 'T');
      kv_int(&W, "line", 1);
      kv_str(&W, "type", "module");
      kv_str(&W, "module_type", "text");
      /* text_module expects a closing paren: parse fields to EOF */
      mwt_parser_reset_module(P);
      P->out.n = 0;
      mwt_module_fields(P, &P->out);
      if (mwt_peek(P) != MWT_EOF) mwt_unexpected(P);
      key(&W, "wasm");
      str(&W, P->out.p, P->out.n);
      ev_byte(&W, 'E');
    }
    while (mwt_peek(P) != MWT_EOF) command(&W);
    ev_byte(&W, 'E');
  } else {
    err = mwt_error(P);
    mwt_buf_free(events);
  }
  mwt_parser_free(P);
  free(P);
  return err;
}
