/*
 * instr.c -- instructions of the text format (spec 6.5): plain and folded
 * forms, structured control with labels, and every immediate of the
 * opcode table (opcodes.h), whose rows give the binary encoding.  Every
 * instruction of the table is parsed and encoded, whether or not the
 * runtime executes it yet: the decoder decides what is supported.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"


static void instr(mwt_parser *P, mwt_buf *b);
static void folded(mwt_parser *P, mwt_buf *b);

static void enter(mwt_parser *P) {
  if (++P->depth > MWT_MAX_DEPTH) mwt_fail(P, "nesting too deep");
}

static void opcode(mwt_parser *P, mwt_buf *b, int op) {
  const mw_opinfo *o = &mw_opinfo_table[op];
  if (o->prefix) {
    mwt_byte(P, b, o->prefix);
    mwt_u32(P, b, o->code);
  } else {
    mwt_byte(P, b, o->code);
  }
}

/* ---------------------------------------------------------------- labels */

static void push_label(mwt_parser *P) {
  if (P->nlabels == P->labels_cap) {
    uint32_t cap = P->labels_cap ? P->labels_cap * 2 : 16;
    mwt_label *l = realloc(P->labels, cap * sizeof *l);
    if (!l) mwt_fail(P, "out of memory");
    P->labels = l, P->labels_cap = cap;
  }
  mwt_label *l = &P->labels[P->nlabels++];
  l->s = NULL, l->len = 0;
  if (mwt_peek(P) == MWT_ID) {
    l->s = mwt_id_text(P, P->p, &l->len);
    P->p++;
  }
}

/* an optional label after end/else/catch: must match the block's */
static void end_label(mwt_parser *P) {
  if (mwt_peek(P) != MWT_ID) return;
  uint32_t len;
  const char *s = mwt_id_text(P, P->p, &len);
  mwt_label *l = &P->labels[P->nlabels - 1];
  if (!l->s || l->len != len || memcmp(l->s, s, len) != 0) mwt_fail(P, "mismatching label");
  P->p++;
}

static uint32_t label_index(mwt_parser *P) {
  if (mwt_peek(P) == MWT_NAT) return mwt_nat32(P);
  if (mwt_peek(P) != MWT_ID) mwt_unexpected(P);
  uint32_t len;
  const char *s = mwt_id_text(P, P->p, &len);
  for (uint32_t i = P->nlabels; i-- > 0;) {
    mwt_label *l = &P->labels[i];
    if (l->s && l->len == len && memcmp(l->s, s, len) == 0) {
      P->p++;
      return P->nlabels - 1 - i;
    }
  }
  mwt_fail(P, "unknown label $%.*s", (int)len, s);
}

/* ---------------------------------------------------------------- immediates */

static uint32_t opt_index(mwt_parser *P, int ns) {
  return mwt_at_index(P) ? mwt_index(P, ns) : 0;
}

/* offset=NAT / align=NAT: anything else after the = makes the word an
 * unknown operator, as the reference lexer has no such token */
static bool keyword_prefix(mwt_parser *P, const char *kw, size_t kwlen, const char **rest,
                           size_t *restlen) {
  mwt_token *t = mwt_tok_at(P, P->p);
  if (t->type != MWT_KEYWORD || t->len <= kwlen || memcmp(P->src + t->pos, kw, kwlen) != 0)
    return false;
  *rest = P->src + t->pos + kwlen;
  *restlen = t->len - kwlen;
  uint64_t dummy;
  const char *r = *rest;
  bool hex = *restlen > 2 && r[0] == '0' && r[1] == 'x';
  for (size_t i = hex ? 2 : 0; i < *restlen; i++) {
    char c = r[i];
    bool ok = (c >= '0' && c <= '9') || c == '_' ||
              (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok || (c == '_' && (i + 1 == *restlen || r[i + 1] == '_' || i == (hex ? 2u : 0u))))
      mwt_fail(P, "unknown operator %.*s", (int)t->len, P->src + t->pos);
  }
  (void)dummy;
  return true;
}

static void memarg(mwt_parser *P, mwt_buf *b, unsigned memsize, bool allow_memidx) {
  uint32_t mem = 0;
  if (allow_memidx && mwt_at_index(P)) mem = mwt_index(P, MWT_NS_MEM);
  uint64_t offset = 0;
  uint32_t align_log = 0;
  for (unsigned s = memsize; s > 1; s >>= 1) align_log++;
  const char *r;
  size_t rl;
  if (keyword_prefix(P, "offset=", 7, &r, &rl)) {
    if (!mwt_parse_int(r, rl, false, 64, false, &offset)) mwt_fail(P, "i64 constant out of range");
    if (offset > UINT32_MAX && !(P->features & MWT_FEATURE_MEMORY64))
      mwt_fail(P, "i32 constant out of range");
    P->p++;
  }
  if (keyword_prefix(P, "align=", 6, &r, &rl)) {
    uint64_t a;
    if (!mwt_parse_int(r, rl, false, 64, false, &a)) mwt_fail(P, "i64 constant out of range");
    if (a == 0 || (a & (a - 1))) mwt_fail(P, "alignment must be a power of two");
    align_log = 0;
    while ((UINT64_C(1) << align_log) < a) align_log++;
    P->p++;
  }
  if (mem) {
    mwt_u32(P, b, align_log | 0x40);
    mwt_u32(P, b, mem);
  } else {
    mwt_u32(P, b, align_log);
  }
  mwt_u64(P, b, offset);
}

/* A lane index that is not a u8 (see MWT_TEXT_3_0 for the wording). */
_Noreturn static void bad_lane_index(mwt_parser *P) {
  mwt_fail(P, "%s", MWT_TEXT_3_0(P) ? "i8 constant out of range" : "malformed lane index");
}

static unsigned lane_index(mwt_parser *P) {
  if (mwt_peek(P) != MWT_NAT) mwt_unexpected(P);
  mwt_token *t = mwt_tok_at(P, P->p);
  uint64_t v;
  if (!mwt_parse_int(P->src + t->pos, t->len, false, 8, false, &v))
    bad_lane_index(P);
  P->p++;
  return (unsigned)v;
}

static void v128_const(mwt_parser *P, mwt_buf *b) {
  static const struct { const char *shape; unsigned lanes, bits; bool fl; } shapes[] = {
    {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
    {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true}, {"f64x2", 2, 64, true}};
  int k = -1;
  for (int i = 0; i < 6; i++)
    if (mwt_is_kw(P, P->p, shapes[i].shape)) k = i;
  if (k < 0) mwt_unexpected(P);
  P->p++;
  unsigned char bytes[16];
  unsigned w = shapes[k].bits / 8;
  /* the number of lanes is checked before their values */
  size_t first = P->p;
  for (unsigned i = 0; i <= shapes[k].lanes; i++) {
    int t = mwt_peek(P);
    bool num = t == MWT_NAT || t == MWT_INT || t == MWT_FLOAT;
    if (i == shapes[k].lanes) {
      if (num) mwt_fail(P, "wrong number of lane literals");
      break;
    }
    if (!num) {
      if (t == MWT_KEYWORD || t == MWT_RESERVED) mwt_unexpected(P);
      mwt_fail(P, "wrong number of lane literals");
    }
    P->p++;
  }
  P->p = first;
  for (unsigned i = 0; i < shapes[k].lanes; i++) {
    int t = mwt_peek(P);
    uint64_t v;
    if (shapes[k].fl) {
      v = shapes[k].bits == 32 ? mwt_f32(P) : mwt_f64(P);
    } else {
      if (t == MWT_FLOAT) mwt_unexpected(P);
      mwt_token *tok = mwt_tok_at(P, P->p);
      if (!mwt_parse_int(P->src + tok->pos, tok->len, true, shapes[k].bits, true, &v))
        mwt_fail(P, "constant out of range");
      P->p++;
    }
    for (unsigned j = 0; j < w; j++) bytes[i * w + j] = (unsigned char)(v >> (8 * j));
  }
  mwt_bytes(P, b, bytes, 16);
}

/* (ref null? ht) or an abbreviation; returns nullable, writes heap type */
static bool reftype_heap(mwt_parser *P, mwt_buf *b) {
  size_t at = b->n;
  mwt_reftype(P, b);
  unsigned c = b->p[at];
  if (c == 0x63 || c == 0x64) {
    memmove(b->p + at, b->p + at + 1, b->n - at - 1);
    b->n--;
    return c == 0x63;
  }
  return true; /* shorthands are nullable; the byte is the heap type */
}

static void catch_clause(mwt_parser *P, mwt_buf *b) {
  /* at "(" catch... */
  P->p++;
  if (mwt_is_kw(P, P->p, "catch")) {
    P->p++;
    mwt_byte(P, b, 0x00);
    mwt_u32(P, b, mwt_index(P, MWT_NS_TAG));
    mwt_u32(P, b, label_index(P));
  } else if (mwt_is_kw(P, P->p, "catch_ref")) {
    P->p++;
    mwt_byte(P, b, 0x01);
    mwt_u32(P, b, mwt_index(P, MWT_NS_TAG));
    mwt_u32(P, b, label_index(P));
  } else if (mwt_is_kw(P, P->p, "catch_all")) {
    P->p++;
    mwt_byte(P, b, 0x02);
    mwt_u32(P, b, label_index(P));
  } else if (mwt_is_kw(P, P->p, "catch_all_ref")) {
    P->p++;
    mwt_byte(P, b, 0x03);
    mwt_u32(P, b, label_index(P));
  } else {
    mwt_unexpected(P);
  }
  mwt_rpar(P);
}

static bool at_catch_clause(mwt_parser *P) {
  return mwt_is_open(P, "catch") || mwt_is_open(P, "catch_ref") ||
         mwt_is_open(P, "catch_all") || mwt_is_open(P, "catch_all_ref");
}

/* try_table's immediates after the label: blocktype, catches.  The
 * catches' labels are resolved outside the try_table's own label. */
static void try_table_head(mwt_parser *P, mwt_buf *b) {
  mwt_blocktype(P, b);
  size_t cnt_at = P->p;
  uint32_t n = 0;
  while (at_catch_clause(P)) mwt_skip_sexpr(P), n++;
  P->p = cnt_at;
  mwt_u32(P, b, n);
  P->nlabels--; /* the label is pushed already: hide it */
  while (at_catch_clause(P)) catch_clause(P, b);
  P->nlabels++;
}

/* Immediates of a non-structured instruction (op already known), written
 * after its opcode. */
static void immediates(mwt_parser *P, mwt_buf *b, int op) {
  const mw_opinfo *o = &mw_opinfo_table[op];
  switch (o->imm) {
  case MW_IMM_NONE:
    opcode(P, b, op);
    return;
  case MW_IMM_IDX: {
    opcode(P, b, op);
    uint32_t v;
    switch (op) {
    case MW_OP_BR: case MW_OP_BR_IF: case MW_OP_BR_ON_NULL: case MW_OP_BR_ON_NON_NULL:
    case MW_OP_RETHROW: case MW_OP_DELEGATE:
      v = label_index(P); break;
    case MW_OP_CALL: case MW_OP_RETURN_CALL: case MW_OP_REF_FUNC:
      v = mwt_index(P, MWT_NS_FUNC); break;
    case MW_OP_LOCAL_GET: case MW_OP_LOCAL_SET: case MW_OP_LOCAL_TEE:
      v = mwt_local_index(P); break;
    case MW_OP_GLOBAL_GET: case MW_OP_GLOBAL_SET:
      v = mwt_index(P, MWT_NS_GLOBAL); break;
    case MW_OP_TABLE_GET: case MW_OP_TABLE_SET: case MW_OP_TABLE_GROW:
    case MW_OP_TABLE_SIZE: case MW_OP_TABLE_FILL:
      v = opt_index(P, MWT_NS_TABLE); break;
    case MW_OP_DATA_DROP:
      P->needs_datacount = true;
      v = mwt_index(P, MWT_NS_DATA); break;
    case MW_OP_ELEM_DROP:
      v = mwt_index(P, MWT_NS_ELEM); break;
    case MW_OP_THROW: case MW_OP_CATCH:
      v = mwt_index(P, MWT_NS_TAG); break;
    default: /* call_ref, struct.new, array.* : a type */
      v = mwt_index(P, MWT_NS_TYPE); break;
    }
    mwt_u32(P, b, v);
    return;
  }
  case MW_IMM_IDX2: {
    opcode(P, b, op);
    switch (op) {
    case MW_OP_CALL_INDIRECT: case MW_OP_RETURN_CALL_INDIRECT: {
      uint32_t table = opt_index(P, MWT_NS_TABLE);
      uint32_t np;
      P->no_param_names = true;
      uint32_t type = mwt_typeuse(P, false, &np);
      P->no_param_names = false;
      mwt_u32(P, b, type);
      mwt_u32(P, b, table);
      return;
    }
    default: break;
    }
    return;
  }
  default: break;
  }
}

/* IDX2 forms other than call_indirect, handled before encoding */
static void idx2(mwt_parser *P, mwt_buf *b, int op) {
  uint32_t x, y;
  switch (op) {
  case MW_OP_TABLE_INIT: {
    /* table.init t? e */
    size_t s = P->p;
    if (mwt_at_index(P)) {
      P->p++;
      bool two = mwt_at_index(P);
      P->p = s;
      if (two) {
        x = mwt_index(P, MWT_NS_TABLE);
        y = mwt_index(P, MWT_NS_ELEM);
      } else {
        x = 0;
        y = mwt_index(P, MWT_NS_ELEM);
      }
    } else {
      mwt_unexpected(P);
    }
    opcode(P, b, op);
    mwt_u32(P, b, y);
    mwt_u32(P, b, x);
    return;
  }
  case MW_OP_TABLE_COPY:
    x = y = 0;
    if (mwt_at_index(P)) {
      x = mwt_index(P, MWT_NS_TABLE);
      y = mwt_index(P, MWT_NS_TABLE);
    }
    break;
  case MW_OP_STRUCT_GET: case MW_OP_STRUCT_GET_S: case MW_OP_STRUCT_GET_U:
  case MW_OP_STRUCT_SET: {
    x = mwt_index(P, MWT_NS_TYPE);
    if (mwt_peek(P) == MWT_ID) {
      uint32_t len;
      const char *s = mwt_id_text(P, P->p, &len);
      if (x >= P->ntypes || !mwt_names_find(&P->types[x].fields, s, len, &y))
        mwt_fail(P, "unknown field $%.*s", (int)len, s);
      P->p++;
    } else {
      y = mwt_nat32(P);
    }
    break;
  }
  case MW_OP_ARRAY_NEW_FIXED:
    x = mwt_index(P, MWT_NS_TYPE);
    y = mwt_nat32(P);
    break;
  case MW_OP_ARRAY_NEW_DATA: case MW_OP_ARRAY_INIT_DATA:
    P->needs_datacount = true;
    x = mwt_index(P, MWT_NS_TYPE);
    y = mwt_index(P, MWT_NS_DATA);
    break;
  case MW_OP_ARRAY_NEW_ELEM: case MW_OP_ARRAY_INIT_ELEM:
    x = mwt_index(P, MWT_NS_TYPE);
    y = mwt_index(P, MWT_NS_ELEM);
    break;
  case MW_OP_ARRAY_COPY:
    x = mwt_index(P, MWT_NS_TYPE);
    y = mwt_index(P, MWT_NS_TYPE);
    break;
  default:
    x = mwt_index(P, MWT_NS_TYPE);
    y = mwt_nat32(P);
    break;
  }
  opcode(P, b, op);
  mwt_u32(P, b, x);
  mwt_u32(P, b, y);
}

/* One plain instruction other than the structured ones. */
static void plain(mwt_parser *P, mwt_buf *b, int op) {
  const mw_opinfo *o = &mw_opinfo_table[op];
  switch (o->imm) {
  case MW_IMM_NONE:
    if (op == MW_OP_SELECT && mwt_is_open(P, "result")) {
      mwt_buf *t = &P->s3;
      t->n = 0;
      uint32_t n = 0;
      while (mwt_is_open(P, "result")) {
        P->p += 2;
        while (mwt_peek(P) != MWT_RPAR) mwt_valtype(P, t), n++;
        mwt_rpar(P);
      }
      mwt_byte(P, b, 0x1C);
      mwt_u32(P, b, n);
      mwt_bytes(P, b, t->p, t->n);
      return;
    }
    opcode(P, b, op);
    return;
  case MW_IMM_IDX:
  case MW_IMM_IDX2:
    if (o->imm == MW_IMM_IDX2 && op != MW_OP_CALL_INDIRECT &&
        op != MW_OP_RETURN_CALL_INDIRECT) {
      idx2(P, b, op);
      return;
    }
    immediates(P, b, op);
    return;
  case MW_IMM_BRTABLE: {
    opcode(P, b, op);
    mwt_buf *t = &P->s3;
    t->n = 0;
    uint32_t n = 0;
    if (!mwt_at_index(P)) mwt_unexpected(P);
    while (mwt_at_index(P)) mwt_u32(P, t, label_index(P)), n++;
    mwt_u32(P, b, n - 1);
    mwt_bytes(P, b, t->p, t->n);
    return;
  }
  case MW_IMM_MEMARG:
    opcode(P, b, op);
    memarg(P, b, o->memsize, true);
    return;
  case MW_IMM_MEMARG_LANE: {
    opcode(P, b, op);
    /* memidx? memarg lane: an index is a memory only when a lane follows */
    bool mem = false;
    if (mwt_at_index(P)) {
      int t2 = mwt_peek2(P);
      mem = mwt_peek(P) == MWT_ID || t2 == MWT_NAT || t2 == MWT_KEYWORD;
      if (t2 == MWT_KEYWORD) {
        const char *r;
        size_t rl;
        P->p++;
        mem = keyword_prefix(P, "offset=", 7, &r, &rl) || keyword_prefix(P, "align=", 6, &r, &rl);
        P->p--;
      }
    }
    if (mem) {
      memarg(P, b, o->memsize, true);
    } else {
      memarg(P, b, o->memsize, false);
    }
    mwt_byte(P, b, lane_index(P));
    return;
  }
  case MW_IMM_ZERO: /* memory.size / grow / fill: memidx? */
    opcode(P, b, op);
    mwt_u32(P, b, opt_index(P, MWT_NS_MEM));
    return;
  case MW_IMM_ZERO2: { /* memory.copy m1? m2? */
    opcode(P, b, op);
    uint32_t x = 0, y = 0;
    if (mwt_at_index(P)) {
      x = mwt_index(P, MWT_NS_MEM);
      y = mwt_index(P, MWT_NS_MEM);
    }
    mwt_u32(P, b, x);
    mwt_u32(P, b, y);
    return;
  }
  case MW_IMM_IDX_ZERO: { /* memory.init m? d */
    P->needs_datacount = true;
    size_t s = P->p;
    uint32_t mem = 0, data;
    if (!mwt_at_index(P)) mwt_unexpected(P);
    P->p++;
    bool two = mwt_at_index(P);
    P->p = s;
    if (two) mem = mwt_index(P, MWT_NS_MEM);
    data = mwt_index(P, MWT_NS_DATA);
    opcode(P, b, op);
    mwt_u32(P, b, data);
    mwt_u32(P, b, mem);
    return;
  }
  case MW_IMM_I32:
    opcode(P, b, op);
    mwt_s32(P, b, (int32_t)mwt_i32(P));
    return;
  case MW_IMM_I64:
    opcode(P, b, op);
    mwt_s64(P, b, (int64_t)mwt_i64(P));
    return;
  case MW_IMM_F32: {
    opcode(P, b, op);
    uint32_t v = mwt_f32(P);
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    mwt_bytes(P, b, x, 4);
    return;
  }
  case MW_IMM_F64: {
    opcode(P, b, op);
    uint64_t v = mwt_f64(P);
    unsigned char x[8];
    for (int i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i));
    mwt_bytes(P, b, x, 8);
    return;
  }
  case MW_IMM_LANE:
    opcode(P, b, op);
    mwt_byte(P, b, lane_index(P));
    return;
  case MW_IMM_V128:
    opcode(P, b, op);
    v128_const(P, b);
    return;
  case MW_IMM_SHUFFLE:
    opcode(P, b, op);
    for (int i = 0; i < 16; i++) {
      if (mwt_peek(P) != MWT_NAT) {
        int t = mwt_peek(P);
        if (t == MWT_RPAR || t == MWT_EOF || t == MWT_LPAR || t == MWT_KEYWORD)
          mwt_fail(P, "invalid lane length");
        bad_lane_index(P);
      }
      mwt_byte(P, b, lane_index(P));
    }
    if (mwt_peek(P) == MWT_NAT || mwt_peek(P) == MWT_INT) mwt_fail(P, "invalid lane length");
    return;
  case MW_IMM_HEAPTYPE:
    if (op == MW_OP_REF_NULL) {
      opcode(P, b, op);
      mwt_heaptype(P, b);
      return;
    } else {
      /* ref.test / ref.cast rt: the nullable form is the next row */
      mwt_buf *t = &P->s3;
      t->n = 0;
      bool null = reftype_heap(P, t);
      opcode(P, b, null ? op + 1 : op);
      mwt_bytes(P, b, t->p, t->n);
      return;
    }
  case MW_IMM_BR_ON_CAST: {
    opcode(P, b, op);
    uint32_t l = label_index(P);
    mwt_buf *t1 = &P->s3;
    t1->n = 0;
    bool n1 = reftype_heap(P, t1);
    size_t split = t1->n;
    bool n2 = reftype_heap(P, t1);
    mwt_byte(P, b, (n1 ? 1u : 0u) | (n2 ? 2u : 0u));
    mwt_u32(P, b, l);
    mwt_bytes(P, b, t1->p, t1->n);
    (void)split;
    return;
  }
  default:
    mwt_unexpected(P);
  }
}

static int op_at(mwt_parser *P) {
  mwt_token *t = mwt_tok_at(P, P->p);
  if (t->type != MWT_KEYWORD) return -1;
  return mw_opcode_from_text(P->src + t->pos, t->len);
}

static bool at_block_end(mwt_parser *P) {
  return mwt_is_kw(P, P->p, "end") || mwt_is_kw(P, P->p, "else") ||
         mwt_is_kw(P, P->p, "catch") || mwt_is_kw(P, P->p, "catch_all") ||
         mwt_is_kw(P, P->p, "delegate");
}

/* instructions until ")" or a block delimiter */
static void seq(mwt_parser *P, mwt_buf *b) {
  for (;;) {
    int t = mwt_peek(P);
    if (t == MWT_RPAR || t == MWT_EOF) return;
    if (t == MWT_LPAR) { folded(P, b); continue; }
    if (at_block_end(P)) return;
    instr(P, b);
  }
}

/* plain structured instruction: at its keyword */
static void plain_block(mwt_parser *P, mwt_buf *b, int op) {
  enter(P);
  P->p++;
  push_label(P);
  opcode(P, b, op);
  if (op == MW_OP_TRY_TABLE) try_table_head(P, b);
  else mwt_blocktype(P, b);
  seq(P, b);
  if (op == MW_OP_IF && mwt_is_kw(P, P->p, "else")) {
    P->p++;
    end_label(P);
    mwt_byte(P, b, 0x05);
    seq(P, b);
  }
  if (op == MW_OP_TRY) {
    while (mwt_is_kw(P, P->p, "catch")) {
      P->p++;
      mwt_byte(P, b, 0x07);
      mwt_u32(P, b, mwt_index(P, MWT_NS_TAG));
      seq(P, b);
    }
    if (mwt_is_kw(P, P->p, "catch_all")) {
      P->p++;
      mwt_byte(P, b, 0x19);
      seq(P, b);
    }
    if (mwt_is_kw(P, P->p, "delegate")) {
      P->p++;
      P->nlabels--;
      mwt_byte(P, b, 0x18);
      mwt_u32(P, b, label_index(P));
      P->depth--;
      return;
    }
  }
  mwt_expect_kw(P, "end");
  end_label(P);
  mwt_byte(P, b, 0x0B);
  P->nlabels--;
  P->depth--;
}

static void instr(mwt_parser *P, mwt_buf *b) {
  int op = op_at(P);
  if (op < 0) mwt_unexpected(P);
  switch (op) {
  case MW_OP_BLOCK: case MW_OP_LOOP: case MW_OP_IF: case MW_OP_TRY: case MW_OP_TRY_TABLE:
    plain_block(P, b, op);
    return;
  case MW_OP_ELSE: case MW_OP_END: case MW_OP_CATCH: case MW_OP_CATCH_ALL:
  case MW_OP_DELEGATE:
    mwt_unexpected(P);
  }
  P->p++;
  plain(P, b, op);
}

/* folded: at "(" */
static void folded(mwt_parser *P, mwt_buf *b) {
  enter(P);
  P->p++;
  int op = op_at(P);
  if (op < 0) mwt_unexpected(P);
  switch (op) {
  case MW_OP_BLOCK: case MW_OP_LOOP:
    P->p++;
    push_label(P);
    opcode(P, b, op);
    mwt_blocktype(P, b);
    seq(P, b);
    mwt_byte(P, b, 0x0B);
    P->nlabels--;
    break;
  case MW_OP_TRY_TABLE:
    P->p++;
    push_label(P);
    opcode(P, b, op);
    try_table_head(P, b);
    seq(P, b);
    mwt_byte(P, b, 0x0B);
    P->nlabels--;
    break;
  case MW_OP_IF: {
    P->p++;
    push_label(P);
    /* the condition comes first in the binary: encode the head later */
    size_t mark = b->n;
    mwt_blocktype(P, b);
    unsigned char bt[16];
    size_t btn = b->n - mark;
    if (btn > sizeof bt) mwt_unexpected(P);
    memcpy(bt, b->p + mark, btn);
    b->n = mark;
    while (mwt_peek(P) == MWT_LPAR && !mwt_is_kw(P, P->p + 1, "then")) folded(P, b);
    mwt_byte(P, b, 0x04);
    mwt_bytes(P, b, bt, btn);
    if (!mwt_is_open(P, "then")) mwt_unexpected(P);
    P->p += 2;
    seq(P, b);
    mwt_rpar(P);
    if (mwt_is_open(P, "else")) {
      P->p += 2;
      mwt_byte(P, b, 0x05);
      seq(P, b);
      mwt_rpar(P);
    }
    mwt_byte(P, b, 0x0B);
    P->nlabels--;
    break;
  }
  case MW_OP_TRY: {
    P->p++;
    push_label(P);
    opcode(P, b, op);
    mwt_blocktype(P, b);
    if (!mwt_is_open(P, "do")) mwt_unexpected(P);
    P->p += 2;
    seq(P, b);
    mwt_rpar(P);
    bool delegated = false, clauses = false;
    while (mwt_is_open(P, "catch")) {
      clauses = true;
      P->p += 2;
      mwt_byte(P, b, 0x07);
      mwt_u32(P, b, mwt_index(P, MWT_NS_TAG));
      seq(P, b);
      mwt_rpar(P);
    }
    if (mwt_is_open(P, "catch_all")) {
      clauses = true;
      P->p += 2;
      mwt_byte(P, b, 0x19);
      seq(P, b);
      mwt_rpar(P);
    }
    if (mwt_is_open(P, "delegate")) {
      if (clauses) mwt_unexpected(P); /* a try either catches or delegates */
      P->p += 2;
      P->nlabels--;
      mwt_byte(P, b, 0x18);
      mwt_u32(P, b, label_index(P));
      mwt_rpar(P);
      delegated = true;
    }
    if (!delegated) {
      mwt_byte(P, b, 0x0B);
      P->nlabels--;
    }
    break;
  }
  case MW_OP_ELSE: case MW_OP_END: case MW_OP_CATCH: case MW_OP_CATCH_ALL:
  case MW_OP_DELEGATE:
    mwt_unexpected(P);
  default: {
    P->p++;
    /* immediates go after the operands in the binary */
    size_t mark = b->n;
    plain(P, b, op);
    size_t ilen = b->n - mark;
    if (mwt_peek(P) == MWT_LPAR) {
      /* move the encoded instruction aside, emit operands, put it back */
      unsigned char small[64];
      unsigned char *saved = small;
      if (ilen > sizeof small) {
        saved = malloc(ilen);
        if (!saved) mwt_fail(P, "out of memory");
      }
      memcpy(saved, b->p + mark, ilen);
      b->n = mark;
      /* on error, tmp leaks only if malloc'ed; register it for cleanup */
      if (saved != small) {
        char **a = realloc(P->strs, (P->nstrs + 1) * sizeof *a);
        if (!a) { free(saved); mwt_fail(P, "out of memory"); }
        P->strs = a;
        P->strs_cap = P->nstrs + 1;
        P->strs[P->nstrs++] = (char *)saved;
      }
      while (mwt_peek(P) == MWT_LPAR) folded(P, b);
      mwt_bytes(P, b, saved, ilen);
    }
    break;
  }
  }
  mwt_rpar(P);
  P->depth--;
}

void mwt_instrs(mwt_parser *P, mwt_buf *b) {
  seq(P, b);
  if (at_block_end(P)) mwt_unexpected(P);
}

void mwt_expr(mwt_parser *P, mwt_buf *b) {
  mwt_instrs(P, b);
  mwt_byte(P, b, 0x0B);
}
