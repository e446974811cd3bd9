/*
 * translate.c -- a validated module to C, one C function per wasm function.
 *
 * The bodies are read again from the module's bytes; validation already
 * proved them well-typed, so the translator only tracks what C needs:
 *  - locals are C locals (l0, l1, ...), parameters included;
 *  - the operand stack is C temporaries named by depth and type
 *    (si3 is the i32 at depth 3, sj i64, sf f32, sd f64, sr references),
 *    which the C compiler keeps in registers;
 *  - structured control is gotos: a block's label sits at its end, a loop's
 *    at its start; a branch first moves its values down to the label's
 *    height, so every edge into a label leaves them in the same variables;
 *  - unreachable code (after br, return, unreachable) is skipped.
 * A function that uses an instruction this file does not know (SIMD, Wasm
 * 3.0) becomes a stub that calls the interpreter: translation never fails
 * a module, it only leaves parts of it to the interpreter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "aot.h"
#include "ir.h"
#include "reader.h"

/* ---------------------------------------------------------------- output */

typedef struct buf {
  char *p;
  size_t n, cap;
  bool oom;
} buf;

static void buf_grow(buf *b, size_t more) {
  if (b->oom || b->n + more + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + more + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return;
  }
  b->p = p;
  b->cap = cap;
}

static void put(buf *b, const char *s, size_t n) {
  buf_grow(b, n);
  if (b->oom) return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void pf(buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    put(b, tmp, (size_t)n);
    return;
  }
  buf_grow(b, (size_t)n);
  if (b->oom) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}

/* ---------------------------------------------------------------- types */

static char tletter(uint8_t t) {
  switch (t) {
  case MW_I32: return 'i';
  case MW_I64: return 'j';
  case MW_F32: return 'f';
  case MW_F64: return 'd';
  case MW_V128: return 'v';
  default: return 'r';
  }
}

static const char *ctype(uint8_t t) {
  switch (t) {
  case MW_I32: return "uint32_t";
  case MW_I64: return "uint64_t";
  case MW_F32: return "float";
  case MW_F64: return "double";
  case MW_V128: return "mw_v128";
  default: return "mw_aot_ref";
  }
}

static const char *slotfield(uint8_t t) {
  switch (t) {
  case MW_I32: return "u32";
  case MW_I64: return "u64";
  case MW_F32: return "f32";
  case MW_F64: return "f64";
  default: return "ref";
  }
}

/* Wasm 2.0's value types; (ref func) and (ref extern) (function-index
 * element segments) behave as funcref and externref here.  v128 is a type
 * of locals, operands and block results (C variables of type mw_v128,
 * simd.h), not of function signatures (functype_supported): the slot
 * layout of v128 arguments is the interpreter's business, and a function
 * taking or returning one stays with it. */
static bool type_supported(mw_valtype t) {
  unsigned u = (unsigned)t;
  if (u == (MW_FUNCREF | MW_VT_NONNULL) || u == (MW_EXTERNREF | MW_VT_NONNULL)) return true;
  return t == MW_I32 || t == MW_I64 || t == MW_F32 || t == MW_F64 ||
         t == MW_FUNCREF || t == MW_EXTERNREF || t == MW_V128;
}

static bool blocktype_supported(const mw_functype *ft) {
  for (uint32_t i = 0; i < ft->nparams + ft->nresults; i++)
    if (!type_supported(ft->types[i])) return false;
  return true;
}

static bool functype_supported(const mw_functype *ft) {
  for (uint32_t i = 0; i < ft->nparams + ft->nresults; i++)
    if (ft->types[i] == MW_V128) return false;
  return blocktype_supported(ft);
}

/* "RET (mw_aot_ctx *, T0, T1[, mw_aot_slot *])" pieces of a signature. */
static const char *ret_ctype(const mw_functype *ft) {
  return ft->nresults == 1 ? ctype(MW_FT_RESULTS(ft)[0]) : "void";
}

static void put_fnptr_type(buf *b, const mw_functype *ft) {
  pf(b, "%s (*)(mw_aot_ctx *, char *", ret_ctype(ft));
  for (uint32_t i = 0; i < ft->nparams; i++) pf(b, ", %s", ctype(MW_FT_PARAMS(ft)[i]));
  if (ft->nresults > 1) puts_(b, ", mw_aot_slot *");
  puts_(b, ")");
}

static void put_decl(buf *b, uint32_t idx, const mw_functype *ft) {
  pf(b, "static %s f_%u(mw_aot_ctx *c, char *fr_", ret_ctype(ft), (unsigned)idx);
  for (uint32_t i = 0; i < ft->nparams; i++)
    pf(b, ", %s l%u", ctype(MW_FT_PARAMS(ft)[i]), (unsigned)i);
  if (ft->nresults > 1) puts_(b, ", mw_aot_slot *res_");
  puts_(b, ")");
}

/* ---------------------------------------------------------------- translation state */

typedef struct ctl {
  uint8_t kind; /* 0 block/function, 1 loop, 2 if */
  bool has_else;
  uint32_t id;
  uint32_t height;
  uint32_t nparams, nresults;
  const mw_valtype *ptypes, *rtypes;
} ctl;

typedef struct tr {
  const mw_module *m;
  const uint32_t *canon; /* canonical type id per type index */
  buf *o;                /* the function body */
  mwd_reader r;
  uint8_t *ts;           /* operand types by depth */
  uint32_t sp, max_sp, ts_cap;
  ctl *cs;
  uint32_t ncs, cs_cap;
  uint32_t next_label;
  uint8_t *ltypes;       /* local types */
  uint32_t nlocals;
  bool dead;
  uint32_t dead_depth;
  bool unsupported;
  bool may_grow;         /* some call may grow memory (MW_MAY_GROW) */
  bool simd;             /* some native function uses v128 (the SIMD prelude) */
  bool fn_simd;          /* the function being translated does */
  uint8_t cur_op;        /* the instruction being translated, and where its */
  const uint8_t *cur_at; /* immediates start (the fallback report) */
  uint8_t single[1];
} tr;

static bool push(tr *t, uint8_t type) {
  if (t->sp == t->ts_cap) {
    uint32_t cap = t->ts_cap ? t->ts_cap * 2 : 64;
    uint8_t *p = realloc(t->ts, cap);
    if (!p) return false;
    t->ts = p;
    t->ts_cap = cap;
  }
  t->ts[t->sp++] = type;
  if (type == MW_V128) t->fn_simd = true;
  if (t->sp > t->max_sp) t->max_sp = t->sp;
  return true;
}

/* Name of the operand at depth d (its type is t->ts[d]). */
#define V(d) tletter(t->ts[(d)]), (unsigned)(d)

static void move_values(tr *t, uint32_t dst, uint32_t n) {
  uint32_t src = t->sp - n;
  if (src == dst) return;
  for (uint32_t k = 0; k < n; k++)
    pf(t->o, "s%c%u = s%c%u; ", tletter(t->ts[src + k]), (unsigned)(dst + k),
       tletter(t->ts[src + k]), (unsigned)(src + k));
}

static void emit_branch(tr *t, uint32_t depth) {
  ctl *f = &t->cs[t->ncs - 1 - depth];
  uint32_t n = f->kind == 1 ? f->nparams : f->nresults;
  move_values(t, f->height, n);
  if (f->kind == 1) puts_(t->o, "POLL(); "); /* a back edge */
  pf(t->o, "goto L%u;", (unsigned)f->id);
}

static const mw_valtype single_types[] = {MW_I32, MW_I64, MW_F32, MW_F64,
                                          MW_V128, MW_FUNCREF, MW_EXTERNREF};

static void blocktype(tr *t, uint32_t *np, uint32_t *nr, const mw_valtype **pt,
                      const mw_valtype **rt) {
  int64_t bt = mwd_sleb(&t->r, 33);
  if (bt == -64) { /* 0x40: empty */
    *np = *nr = 0;
    *pt = *rt = NULL;
  } else if (bt < 0) { /* a value type, as a negative s33 */
    mw_valtype vt = (mw_valtype)(bt & 0x7F);
    if (!type_supported(vt)) t->unsupported = true;
    t->single[0] = vt;
    *np = 0;
    *nr = 1;
    *pt = NULL;
    /* point into the module's bytes is not possible: keep a copy per use */
    *rt = &single_types[6];
    for (int k = 0; k < 6; k++)
      if (single_types[k] == vt) *rt = &single_types[k];
  } else {
    const mw_functype *ft = t->m->types[bt];
    if (!blocktype_supported(ft)) t->unsupported = true;
    *np = ft->nparams;
    *nr = ft->nresults;
    *pt = MW_FT_PARAMS(ft);
    *rt = MW_FT_RESULTS(ft);
  }
}

static bool push_ctl(tr *t, uint8_t kind, uint32_t np, uint32_t nr,
                     const mw_valtype *pt, const mw_valtype *rt) {
  if (t->ncs == t->cs_cap) {
    uint32_t cap = t->cs_cap ? t->cs_cap * 2 : 16;
    ctl *p = realloc(t->cs, cap * sizeof *p);
    if (!p) return false;
    t->cs = p;
    t->cs_cap = cap;
  }
  ctl *f = &t->cs[t->ncs++];
  f->kind = kind;
  f->has_else = false;
  f->id = t->next_label++;
  f->height = t->sp - np;
  f->nparams = np;
  f->nresults = nr;
  f->ptypes = pt;
  f->rtypes = rt;
  return true;
}

/* Set the stack to `height` + the n values of `types`. */
static bool reset_stack(tr *t, uint32_t height, uint32_t n, const mw_valtype *types) {
  t->sp = height;
  for (uint32_t k = 0; k < n; k++)
    if (!push(t, types[k])) return false;
  return true;
}

/* ---------------------------------------------------------------- numeric tables */

typedef struct nop {
  uint8_t in1, in2, out; /* in2 == 0: unary */
  const char *fmt;
} nop;

#define I MW_I32
#define J MW_I64
#define F MW_F32
#define D MW_F64
static const nop numeric_ops[256] = {
  [0x45] = {I, 0, I, "(uint32_t)(%s == 0)"},
  [0x46] = {I, I, I, "(uint32_t)(%s == %s)"},
  [0x47] = {I, I, I, "(uint32_t)(%s != %s)"},
  [0x48] = {I, I, I, "(uint32_t)((int32_t)%s < (int32_t)%s)"},
  [0x49] = {I, I, I, "(uint32_t)(%s < %s)"},
  [0x4A] = {I, I, I, "(uint32_t)((int32_t)%s > (int32_t)%s)"},
  [0x4B] = {I, I, I, "(uint32_t)(%s > %s)"},
  [0x4C] = {I, I, I, "(uint32_t)((int32_t)%s <= (int32_t)%s)"},
  [0x4D] = {I, I, I, "(uint32_t)(%s <= %s)"},
  [0x4E] = {I, I, I, "(uint32_t)((int32_t)%s >= (int32_t)%s)"},
  [0x4F] = {I, I, I, "(uint32_t)(%s >= %s)"},
  [0x50] = {J, 0, I, "(uint32_t)(%s == 0)"},
  [0x51] = {J, J, I, "(uint32_t)(%s == %s)"},
  [0x52] = {J, J, I, "(uint32_t)(%s != %s)"},
  [0x53] = {J, J, I, "(uint32_t)((int64_t)%s < (int64_t)%s)"},
  [0x54] = {J, J, I, "(uint32_t)(%s < %s)"},
  [0x55] = {J, J, I, "(uint32_t)((int64_t)%s > (int64_t)%s)"},
  [0x56] = {J, J, I, "(uint32_t)(%s > %s)"},
  [0x57] = {J, J, I, "(uint32_t)((int64_t)%s <= (int64_t)%s)"},
  [0x58] = {J, J, I, "(uint32_t)(%s <= %s)"},
  [0x59] = {J, J, I, "(uint32_t)((int64_t)%s >= (int64_t)%s)"},
  [0x5A] = {J, J, I, "(uint32_t)(%s >= %s)"},
  [0x5B] = {F, F, I, "(uint32_t)(%s == %s)"},
  [0x5C] = {F, F, I, "(uint32_t)(%s != %s)"},
  [0x5D] = {F, F, I, "(uint32_t)(%s < %s)"},
  [0x5E] = {F, F, I, "(uint32_t)(%s > %s)"},
  [0x5F] = {F, F, I, "(uint32_t)(%s <= %s)"},
  [0x60] = {F, F, I, "(uint32_t)(%s >= %s)"},
  [0x61] = {D, D, I, "(uint32_t)(%s == %s)"},
  [0x62] = {D, D, I, "(uint32_t)(%s != %s)"},
  [0x63] = {D, D, I, "(uint32_t)(%s < %s)"},
  [0x64] = {D, D, I, "(uint32_t)(%s > %s)"},
  [0x65] = {D, D, I, "(uint32_t)(%s <= %s)"},
  [0x66] = {D, D, I, "(uint32_t)(%s >= %s)"},
  [0x67] = {I, 0, I, "mw_i32_clz(%s)"},
  [0x68] = {I, 0, I, "mw_i32_ctz(%s)"},
  [0x69] = {I, 0, I, "mw_i32_popcnt(%s)"},
  [0x6A] = {I, I, I, "%s + %s"},
  [0x6B] = {I, I, I, "%s - %s"},
  [0x6C] = {I, I, I, "%s * %s"},
  [0x6D] = {I, I, I, "i32_div_s(c, fr_, %s, %s)"},
  [0x6E] = {I, I, I, "i32_div_u(c, fr_, %s, %s)"},
  [0x6F] = {I, I, I, "i32_rem_s(c, fr_, %s, %s)"},
  [0x70] = {I, I, I, "i32_rem_u(c, fr_, %s, %s)"},
  [0x71] = {I, I, I, "%s & %s"},
  [0x72] = {I, I, I, "%s | %s"},
  [0x73] = {I, I, I, "%s ^ %s"},
  [0x74] = {I, I, I, "mw_i32_shl(%s, %s)"},
  [0x75] = {I, I, I, "mw_i32_shr_s(%s, %s)"},
  [0x76] = {I, I, I, "mw_i32_shr_u(%s, %s)"},
  [0x77] = {I, I, I, "mw_i32_rotl(%s, %s)"},
  [0x78] = {I, I, I, "mw_i32_rotr(%s, %s)"},
  [0x79] = {J, 0, J, "mw_i64_clz(%s)"},
  [0x7A] = {J, 0, J, "mw_i64_ctz(%s)"},
  [0x7B] = {J, 0, J, "mw_i64_popcnt(%s)"},
  [0x7C] = {J, J, J, "%s + %s"},
  [0x7D] = {J, J, J, "%s - %s"},
  [0x7E] = {J, J, J, "%s * %s"},
  [0x7F] = {J, J, J, "i64_div_s(c, fr_, %s, %s)"},
  [0x80] = {J, J, J, "i64_div_u(c, fr_, %s, %s)"},
  [0x81] = {J, J, J, "i64_rem_s(c, fr_, %s, %s)"},
  [0x82] = {J, J, J, "i64_rem_u(c, fr_, %s, %s)"},
  [0x83] = {J, J, J, "%s & %s"},
  [0x84] = {J, J, J, "%s | %s"},
  [0x85] = {J, J, J, "%s ^ %s"},
  [0x86] = {J, J, J, "mw_i64_shl(%s, %s)"},
  [0x87] = {J, J, J, "mw_i64_shr_s(%s, %s)"},
  [0x88] = {J, J, J, "mw_i64_shr_u(%s, %s)"},
  [0x89] = {J, J, J, "mw_i64_rotl(%s, %s)"},
  [0x8A] = {J, J, J, "mw_i64_rotr(%s, %s)"},
  [0x8B] = {F, 0, F, "f32_abs(%s)"},
  [0x8C] = {F, 0, F, "f32_neg(%s)"},
  [0x8D] = {F, 0, F, "mw_f32_ceil(%s)"},
  [0x8E] = {F, 0, F, "mw_f32_floor(%s)"},
  [0x8F] = {F, 0, F, "mw_f32_trunc(%s)"},
  [0x90] = {F, 0, F, "mw_f32_nearest(%s)"},
  [0x91] = {F, 0, F, "mw_f32_sqrt(%s)"},
  [0x92] = {F, F, F, "%s + %s"},
  [0x93] = {F, F, F, "%s - %s"},
  [0x94] = {F, F, F, "%s * %s"},
  [0x95] = {F, F, F, "%s / %s"},
  [0x96] = {F, F, F, "mw_f32_min(%s, %s)"},
  [0x97] = {F, F, F, "mw_f32_max(%s, %s)"},
  [0x98] = {F, F, F, "f32_copysign(%s, %s)"},
  [0x99] = {D, 0, D, "f64_abs(%s)"},
  [0x9A] = {D, 0, D, "f64_neg(%s)"},
  [0x9B] = {D, 0, D, "mw_f64_ceil(%s)"},
  [0x9C] = {D, 0, D, "mw_f64_floor(%s)"},
  [0x9D] = {D, 0, D, "mw_f64_trunc(%s)"},
  [0x9E] = {D, 0, D, "mw_f64_nearest(%s)"},
  [0x9F] = {D, 0, D, "mw_f64_sqrt(%s)"},
  [0xA0] = {D, D, D, "%s + %s"},
  [0xA1] = {D, D, D, "%s - %s"},
  [0xA2] = {D, D, D, "%s * %s"},
  [0xA3] = {D, D, D, "%s / %s"},
  [0xA4] = {D, D, D, "mw_f64_min(%s, %s)"},
  [0xA5] = {D, D, D, "mw_f64_max(%s, %s)"},
  [0xA6] = {D, D, D, "f64_copysign(%s, %s)"},
  [0xA7] = {J, 0, I, "(uint32_t)%s"},
  [0xA8] = {F, 0, I, "i32_trunc_f32_s(c, fr_, %s)"},
  [0xA9] = {F, 0, I, "i32_trunc_f32_u(c, fr_, %s)"},
  [0xAA] = {D, 0, I, "i32_trunc_f64_s(c, fr_, %s)"},
  [0xAB] = {D, 0, I, "i32_trunc_f64_u(c, fr_, %s)"},
  [0xAC] = {I, 0, J, "(uint64_t)(int64_t)(int32_t)%s"},
  [0xAD] = {I, 0, J, "(uint64_t)%s"},
  [0xAE] = {F, 0, J, "i64_trunc_f32_s(c, fr_, %s)"},
  [0xAF] = {F, 0, J, "i64_trunc_f32_u(c, fr_, %s)"},
  [0xB0] = {D, 0, J, "i64_trunc_f64_s(c, fr_, %s)"},
  [0xB1] = {D, 0, J, "i64_trunc_f64_u(c, fr_, %s)"},
  [0xB2] = {I, 0, F, "(float)(int32_t)%s"},
  [0xB3] = {I, 0, F, "(float)%s"},
  [0xB4] = {J, 0, F, "(float)(int64_t)%s"},
  [0xB5] = {J, 0, F, "mw_u64_to_f32(%s)"},
  [0xB6] = {D, 0, F, "f32_demote(%s)"},
  [0xB7] = {I, 0, D, "(double)(int32_t)%s"},
  [0xB8] = {I, 0, D, "(double)%s"},
  [0xB9] = {J, 0, D, "(double)(int64_t)%s"},
  [0xBA] = {J, 0, D, "mw_u64_to_f64(%s)"},
  [0xBB] = {F, 0, D, "f64_promote(%s)"},
  [0xBC] = {F, 0, I, "mw_f32_bits(%s)"},
  [0xBD] = {D, 0, J, "mw_f64_bits(%s)"},
  [0xBE] = {I, 0, F, "mw_f32_from_bits(%s)"},
  [0xBF] = {J, 0, D, "mw_f64_from_bits(%s)"},
  [0xC0] = {I, 0, I, "(uint32_t)mw_i32_extend8_s(%s)"},
  [0xC1] = {I, 0, I, "(uint32_t)mw_i32_extend16_s(%s)"},
  [0xC2] = {J, 0, J, "(uint64_t)mw_i64_extend8_s(%s)"},
  [0xC3] = {J, 0, J, "(uint64_t)mw_i64_extend16_s(%s)"},
  [0xC4] = {J, 0, J, "(uint64_t)mw_i64_extend32_s(%s)"},
};

static const nop sat_ops[8] = {
  {F, 0, I, "(uint32_t)mw_i32_trunc_sat_f32_s(%s)"},
  {F, 0, I, "mw_i32_trunc_sat_f32_u(%s)"},
  {D, 0, I, "(uint32_t)mw_i32_trunc_sat_f64_s(%s)"},
  {D, 0, I, "mw_i32_trunc_sat_f64_u(%s)"},
  {F, 0, J, "(uint64_t)mw_i64_trunc_sat_f32_s(%s)"},
  {F, 0, J, "mw_i64_trunc_sat_f32_u(%s)"},
  {D, 0, J, "(uint64_t)mw_i64_trunc_sat_f64_s(%s)"},
  {D, 0, J, "mw_i64_trunc_sat_f64_u(%s)"},
};

/* Loads 0x28..0x35: result type, C type read, conversion. */
typedef struct memop {
  uint8_t type;
  const char *ct;
  const char *conv;
} memop;
static const memop loads[14] = {
  {I, "uint32_t", ""},          {J, "uint64_t", ""},
  {F, "float", ""},             {D, "double", ""},
  {I, "int8_t", "(uint32_t)(int32_t)"},  {I, "uint8_t", "(uint32_t)"},
  {I, "int16_t", "(uint32_t)(int32_t)"}, {I, "uint16_t", "(uint32_t)"},
  {J, "int8_t", "(uint64_t)(int64_t)"},  {J, "uint8_t", "(uint64_t)"},
  {J, "int16_t", "(uint64_t)(int64_t)"}, {J, "uint16_t", "(uint64_t)"},
  {J, "int32_t", "(uint64_t)(int64_t)"}, {J, "uint32_t", "(uint64_t)"},
};
/* Stores 0x36..0x3E: value type, C type written. */
static const memop stores[9] = {
  {I, "uint32_t", ""}, {J, "uint64_t", ""}, {F, "float", ""},
  {D, "double", ""},   {I, "uint8_t", ""},  {I, "uint16_t", ""},
  {J, "uint8_t", ""},  {J, "uint16_t", ""}, {J, "uint32_t", ""},
};
#undef I
#undef J
#undef F
#undef D

static void emit_numeric(tr *t, const nop *op) {
  char a[32], b[32], expr[160];
  if (op->in2) {
    snprintf(a, sizeof a, "s%c%u", V(t->sp - 2));
    snprintf(b, sizeof b, "s%c%u", V(t->sp - 1));
    snprintf(expr, sizeof expr, op->fmt, a, b);
    t->sp -= 2;
  } else {
    snprintf(a, sizeof a, "s%c%u", V(t->sp - 1));
    snprintf(expr, sizeof expr, op->fmt, a);
    t->sp -= 1;
  }
  push(t, op->out);
  pf(t->o, "s%c%u = %s;\n", V(t->sp - 1), expr);
}

/* ---------------------------------------------------------------- calls */

/* Arguments from the stack: the top n values. */
static void put_args(tr *t, uint32_t base, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) pf(t->o, ", s%c%u", V(base + k));
}

/* The callee's results to the stack at `base` (already pushed). */
static void put_results_assign(tr *t, const mw_functype *ft, uint32_t base,
                               const char *from) {
  for (uint32_t k = 0; k < ft->nresults; k++)
    pf(t->o, " s%c%u = %s[%u].%s;", V(base + k), from, (unsigned)k,
       slotfield(MW_FT_RESULTS(ft)[k]));
}

static void emit_call(tr *t, uint32_t fidx) {
  const mw_functype *ft = t->m->types[t->m->func_types[fidx]];
  if (!functype_supported(ft)) { /* no f_N for it */
    t->unsupported = true;
    return;
  }
  if (fidx < t->m->nfunc_imports) t->may_grow = true; /* the host may grow it */
  uint32_t base = t->sp - ft->nparams;
  t->sp = base;
  for (uint32_t k = 0; k < ft->nresults; k++) push(t, MW_FT_RESULTS(ft)[k]);
  if (ft->nresults > 1) {
    pf(t->o, "{ mw_aot_slot r_[%u]; f_%u(c, FR1", (unsigned)ft->nresults, (unsigned)fidx);
    put_args(t, base, 0);
  } else if (ft->nresults == 1) {
    pf(t->o, "s%c%u = f_%u(c, FR1", V(base), (unsigned)fidx);
  } else {
    pf(t->o, "f_%u(c, FR1", (unsigned)fidx);
  }
  /* the arguments' types are still in ts below the results? no: read them
   * from the function type (the same types) */
  for (uint32_t k = 0; k < ft->nparams; k++)
    pf(t->o, ", s%c%u", tletter(MW_FT_PARAMS(ft)[k]), (unsigned)(base + k));
  if (ft->nresults > 1) {
    puts_(t->o, ", r_);");
    put_results_assign(t, ft, base, "r_");
    puts_(t->o, " }");
  } else {
    puts_(t->o, ");");
  }
  puts_(t->o, " RELOAD_CALL();\n");
}

static void emit_call_indirect(tr *t, uint32_t typeidx, uint32_t table,
                               size_t own_bytes) {
  const mw_functype *ft = t->m->types[typeidx];
  if (!functype_supported(ft)) {
    t->unsupported = true;
    return;
  }
  uint32_t ei = t->sp - 1; /* the element index, an i32 */
  uint32_t base = ei - ft->nparams;
  uint32_t nslots = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
  if (nslots == 0) nslots = 1;
  t->may_grow = true; /* it may call anything */
  pf(t->o,
     "{ uint32_t ci_ = si%u; void *fn_ = NULL;\n"
     "  if (LIKELY(ci_ < *c->tab[%u].size)) {\n"
     "    uintptr_t o_ = (uintptr_t)(*c->tab[%u].elems)[ci_].ref - (uintptr_t)c->own;\n"
     "    if (o_ < %zuu && o_ %% MW_FUNC_SIZE == 0 && ftc_[o_ / MW_FUNC_SIZE] == %uu)\n"
     "      fn_ = fnp_[o_ / MW_FUNC_SIZE];\n"
     "  }\n",
     (unsigned)ei, (unsigned)table, (unsigned)table, own_bytes,
     (unsigned)t->canon[typeidx]);
  /* fast: a function of this instance, of the same type */
  puts_(t->o, "  if (LIKELY(fn_ != NULL)) { ");
  if (ft->nresults > 1) pf(t->o, "mw_aot_slot r_[%u]; ", (unsigned)ft->nresults);
  if (ft->nresults == 1)
    pf(t->o, "s%c%u = ", tletter(MW_FT_RESULTS(ft)[0]), (unsigned)base);
  puts_(t->o, "((");
  put_fnptr_type(t->o, ft);
  puts_(t->o, ")fn_)(c, FR1");
  for (uint32_t k = 0; k < ft->nparams; k++)
    pf(t->o, ", s%c%u", tletter(MW_FT_PARAMS(ft)[k]), (unsigned)(base + k));
  if (ft->nresults > 1) {
    puts_(t->o, ", r_);");
    for (uint32_t k = 0; k < ft->nresults; k++)
      pf(t->o, " s%c%u = r_[%u].%s;", tletter(MW_FT_RESULTS(ft)[k]),
         (unsigned)(base + k), (unsigned)k, slotfield(MW_FT_RESULTS(ft)[k]));
  } else {
    puts_(t->o, ");");
  }
  /* slow: the runtime checks and calls anything */
  pf(t->o, " }\n  else { mw_aot_slot sl_[%u];", (unsigned)nslots);
  for (uint32_t k = 0; k < ft->nparams; k++)
    pf(t->o, " sl_[%u].%s = s%c%u;", (unsigned)k, slotfield(MW_FT_PARAMS(ft)[k]),
       tletter(MW_FT_PARAMS(ft)[k]), (unsigned)(base + k));
  pf(t->o, " SYNC(); c->rt->call_indirect(c, %u, %u, ci_, sl_);", (unsigned)typeidx,
     (unsigned)table);
  for (uint32_t k = 0; k < ft->nresults; k++)
    pf(t->o, " s%c%u = sl_[%u].%s;", tletter(MW_FT_RESULTS(ft)[k]),
       (unsigned)(base + k), (unsigned)k, slotfield(MW_FT_RESULTS(ft)[k]));
  puts_(t->o, " }\n  RELOAD_CALL(); }\n");
  t->sp = base;
  for (uint32_t k = 0; k < ft->nresults; k++) push(t, MW_FT_RESULTS(ft)[k]);
}

/* ---------------------------------------------------------------- SIMD */

/* The interpreter's handler names, by mw_opcode (aot_simd.h: vop_NAME). */
#define MW_X_NAME(NAME, ...) #NAME,
static const char *const op_names[] = {MW_OPCODES(MW_X_NAME)};
#undef MW_X_NAME

/* One SIMD instruction (0xFD sub): its operands go to a slot array as
 * the interpreter's frame would hold them, its handler runs on it, its
 * result comes back (aot_simd.h).  v128.const and i8x16.shuffle carry
 * their 16 bytes; the rest take the interpreter's operand lists. */
static void emit_simd(tr *t, uint32_t sub, bool live) {
  int op = mw_opcode_from_prefixed(0xFD, sub);
  if (op < 0) {
    t->unsupported = true;
    return;
  }
  const mw_opinfo *in = &mw_opinfo_table[op];
  uint32_t words[16], nw = 1; /* words[0]: the opcode's place */
  uint64_t offset = 0;
  uint32_t lane = 0, ninputs = 0;
  uint8_t types[3];
  uint8_t bytes[16];
  words[0] = 0;
  /* immediates */
  switch (in->imm) {
  case MW_IMM_V128: case MW_IMM_SHUFFLE:
    for (int k = 0; k < 16; k++) bytes[k] = mwd_u8(&t->r);
    break;
  case MW_IMM_LANE:
    lane = mwd_u8(&t->r);
    break;
  case MW_IMM_MEMARG: case MW_IMM_MEMARG_LANE: {
    uint32_t align = mwd_u32(&t->r);
    if (align & 0x40) t->unsupported = true; /* another memory */
    offset = mwd_uleb(&t->r, 64);
    if (offset > UINT32_MAX) t->unsupported = true;
    if (in->imm == MW_IMM_MEMARG_LANE) lane = mwd_u8(&t->r);
    break;
  }
  case MW_IMM_NONE:
    break;
  default:
    t->unsupported = true;
    return;
  }
  if (!live || t->unsupported || t->r.fail) return;
  t->fn_simd = true;
  if (in->imm == MW_IMM_V128) {
    uint64_t lo, hi;
    memcpy(&lo, bytes, 8);
    memcpy(&hi, bytes + 8, 8);
    push(t, MW_V128);
    pf(t->o, "sv%u = V128C(0x%llxull, 0x%llxull);\n", (unsigned)(t->sp - 1),
       (unsigned long long)lo, (unsigned long long)hi);
    return;
  }
  /* inputs, deepest first */
  switch (in->kind) {
  case MW_KIND_LOAD:
    types[ninputs++] = MW_I32;
    break;
  case MW_KIND_STORE:
    types[ninputs++] = MW_I32;
    types[ninputs++] = MW_V128;
    break;
  default:
    if (in->imm == MW_IMM_MEMARG_LANE) { /* v128.loadN_lane, storeN_lane */
      types[ninputs++] = MW_I32;
      types[ninputs++] = MW_V128;
      break;
    }
    types[ninputs++] = in->t1;
    if (in->t2 != MW_T_NONE) types[ninputs++] = in->t2;
    if (in->kind == MW_KIND_SPEC && in->imm == MW_IMM_NONE)
      types[ninputs++] = MW_V128; /* bitselect, relaxed madd, laneselect, dot_add */
    break;
  }
  uint8_t out = in->tr;
  if (in->imm == MW_IMM_MEMARG_LANE && sub >= 0x58 && sub <= 0x5B) out = MW_T_NONE;
  if (t->sp < ninputs) {
    t->unsupported = true;
    return;
  }
  /* slots: the result at 0, then the inputs (a v128 takes two) */
  uint32_t at[3], n = out == MW_T_NONE ? 0 : out == MW_V128 ? 2 : 1;
  for (uint32_t k = 0; k < ninputs; k++) {
    at[k] = n;
    n += types[k] == MW_V128 ? 2 : 1;
  }
  if (out != MW_T_NONE) words[nw++] = 0;
  for (uint32_t k = 0; k < ninputs; k++) words[nw++] = at[k];
  if (in->imm == MW_IMM_MEMARG || in->imm == MW_IMM_MEMARG_LANE)
    words[nw++] = (uint32_t)offset;
  if (in->imm == MW_IMM_LANE || in->imm == MW_IMM_MEMARG_LANE) words[nw++] = lane;
  if (in->imm == MW_IMM_SHUFFLE) { /* lanes, then pshufb masks (compile.c) */
    uint8_t ma[16], mb[16];
    for (int i = 0; i < 16; i++) {
      ma[i] = bytes[i] < 16 ? bytes[i] : 0x80;
      mb[i] = bytes[i] >= 16 ? (uint8_t)(bytes[i] - 16) : 0x80;
    }
    memcpy(words + nw, bytes, 16);
    memcpy(words + nw + 4, ma, 16);
    memcpy(words + nw + 8, mb, 16);
    nw += 12;
  }
  uint32_t base = t->sp - ninputs;
  pf(t->o, "{ mw_aot_slot f_[%u]; static const uint32_t p_[%u] = {", (unsigned)n,
     (unsigned)nw);
  for (uint32_t k = 0; k < nw; k++) pf(t->o, "%s%uu", k ? "," : "", (unsigned)words[k]);
  puts_(t->o, "};\n ");
  for (uint32_t k = 0; k < ninputs; k++) {
    if (types[k] == MW_V128)
      pf(t->o, " memcpy(&f_[%u], &sv%u, 16);", (unsigned)at[k], (unsigned)(base + k));
    else
      pf(t->o, " f_[%u].%s = s%c%u;", (unsigned)at[k], slotfield(types[k]),
         tletter(types[k]), (unsigned)(base + k));
  }
  pf(t->o, "\n  vop_%s(c, fr_, f_, p_, M, MS);", op_names[op]);
  t->sp = base;
  if (out != MW_T_NONE) {
    push(t, out);
    if (out == MW_V128)
      pf(t->o, " memcpy(&sv%u, &f_[0], 16);", (unsigned)base);
    else
      pf(t->o, " s%c%u = f_[0].%s;", tletter(out), (unsigned)base, slotfield(out));
  }
  puts_(t->o, " }\n");
}

/* ---------------------------------------------------------------- one body */

static uint8_t global_type(const mw_module *m, uint32_t g) {
  return (uint8_t)m->globals[g].type.type;
}

/* Translate defined function `di` into t->o.  False: an instruction this
 * translator does not cover (t->unsupported) or out of memory. */
static bool translate_body(tr *t, uint32_t di, size_t own_bytes) {
  const mw_module *m = t->m;
  const mw_code_body *body = &m->codes[di];
  uint32_t fidx = m->nfunc_imports + di;
  const mw_functype *ft = m->types[m->func_types[fidx]];
  buf *o = t->o;

  t->r.p = body->start;
  t->r.end = body->end;
  t->r.fail = NULL;
  t->sp = t->max_sp = 0;
  t->ncs = 0;
  t->next_label = 0;
  t->dead = false;
  t->dead_depth = 0;
  t->unsupported = false;

  if (!push_ctl(t, 0, 0, ft->nresults, NULL, MW_FT_RESULTS(ft))) return false;

  while (t->ncs > 0 && !t->unsupported && !o->oom) {
    if (t->r.fail || t->r.p >= t->r.end) return false;
    uint8_t op = mwd_u8(&t->r);
    t->cur_op = op; /* for the fallback report */
    t->cur_at = t->r.p;

    if (t->dead) {
      /* Skip, keeping count of nested blocks. */
      switch (op) {
      case 0x02: case 0x03: case 0x04: {
        uint32_t np, nr;
        const mw_valtype *pt, *rt;
        blocktype(t, &np, &nr, &pt, &rt);
        t->dead_depth++;
        continue;
      }
      case 0x05:
        if (t->dead_depth > 0) continue;
        break;
      case 0x0B:
        if (t->dead_depth > 0) {
          t->dead_depth--;
          continue;
        }
        break;
      default:
        break;
      }
      if (op != 0x05 && op != 0x0B) {
        /* fall through to the decoder below only to consume immediates */
      }
    }

    const bool live = !t->dead;
    switch (op) {
    /* ------------------------------------------------ control */
    case 0x00: /* unreachable */
      if (live) puts_(o, "TRAP(UNREACHABLE);\n");
      t->dead = true;
      break;
    case 0x01: break; /* nop */
    case 0x02: case 0x03: { /* block, loop */
      uint32_t np, nr;
      const mw_valtype *pt, *rt;
      blocktype(t, &np, &nr, &pt, &rt);
      if (!push_ctl(t, op == 0x03 ? 1 : 0, np, nr, pt, rt)) return false;
      if (op == 0x03) pf(o, "L%u:;\n", (unsigned)t->cs[t->ncs - 1].id);
      break;
    }
    case 0x04: { /* if */
      uint32_t np, nr;
      const mw_valtype *pt, *rt;
      blocktype(t, &np, &nr, &pt, &rt);
      t->sp--; /* the condition */
      uint32_t cond = t->sp;
      if (!push_ctl(t, 2, np, nr, pt, rt)) return false;
      pf(o, "if (!si%u) goto E%u;\n", (unsigned)cond, (unsigned)t->cs[t->ncs - 1].id);
      break;
    }
    case 0x05: { /* else */
      ctl *f = &t->cs[t->ncs - 1];
      if (!t->dead) {
        move_values(t, f->height, f->nresults);
        pf(o, "goto L%u;\n", (unsigned)f->id);
      }
      pf(o, "E%u:;\n", (unsigned)f->id);
      f->has_else = true;
      if (!reset_stack(t, f->height, f->nparams, f->ptypes)) return false;
      t->dead = false;
      break;
    }
    case 0x0B: { /* end */
      ctl *f = &t->cs[t->ncs - 1];
      if (!t->dead) move_values(t, f->height, f->nresults);
      if (f->kind == 2 && !f->has_else) pf(o, "E%u:;\n", (unsigned)f->id);
      if (f->kind != 1) pf(o, "L%u:;\n", (unsigned)f->id);
      if (!reset_stack(t, f->height, f->nresults, f->rtypes)) return false;
      t->ncs--;
      t->dead = false;
      break;
    }
    case 0x0C: { /* br */
      uint32_t l = mwd_u32(&t->r);
      if (live) {
        emit_branch(t, l);
        puts_(o, "\n");
      }
      t->dead = true;
      break;
    }
    case 0x0D: { /* br_if */
      uint32_t l = mwd_u32(&t->r);
      if (!live) break;
      t->sp--;
      pf(o, "if (si%u) { ", (unsigned)t->sp);
      emit_branch(t, l);
      puts_(o, " }\n");
      break;
    }
    case 0x0E: { /* br_table */
      uint32_t n = mwd_u32(&t->r);
      if (live) {
        t->sp--;
        pf(o, "switch (si%u) {\n", (unsigned)t->sp);
      }
      for (uint32_t k = 0; k <= n && !t->r.fail; k++) {
        uint32_t l = mwd_u32(&t->r);
        if (!live) continue;
        if (k < n)
          pf(o, "case %u: ", (unsigned)k);
        else
          puts_(o, "default: ");
        emit_branch(t, l);
        puts_(o, "\n");
      }
      if (live) puts_(o, "}\n");
      t->dead = true;
      break;
    }
    case 0x0F: /* return */
      if (live) {
        emit_branch(t, t->ncs - 1);
        puts_(o, "\n");
      }
      t->dead = true;
      break;
    case 0x10: { /* call */
      uint32_t f = mwd_u32(&t->r);
      if (live) emit_call(t, f);
      break;
    }
    case 0x11: { /* call_indirect */
      uint32_t ti = mwd_u32(&t->r);
      uint32_t tab = mwd_u32(&t->r);
      if (live) emit_call_indirect(t, ti, tab, own_bytes);
      break;
    }
    case 0x12: { /* return_call */
      uint32_t f = mwd_u32(&t->r);
      if (!live) break;
      if (f != fidx) { /* to another function: left to the interpreter */
        t->unsupported = true;
        break;
      }
      /* To itself: the arguments become the parameters, the other locals
       * start again from zero, and control goes back to the top, in the
       * same frame record and C frame (constant stack, as wasm requires).
       * A tail call is a call for host control: it polls. */
      uint32_t base = t->sp - ft->nparams;
      puts_(o, "{ ");
      for (uint32_t k = 0; k < ft->nparams; k++)
        pf(o, "%s a%u_ = s%c%u; ", ctype(t->ltypes[k]), (unsigned)k, V(base + k));
      for (uint32_t k = 0; k < ft->nparams; k++) pf(o, "l%u = a%u_; ", (unsigned)k, (unsigned)k);
      for (uint32_t l = ft->nparams; l < t->nlocals; l++) {
        if (t->ltypes[l] == MW_V128)
          pf(o, "memset(&l%u, 0, sizeof l%u); ", (unsigned)l, (unsigned)l);
        else
          pf(o, "l%u = 0; ", (unsigned)l);
      }
      puts_(o, "POLL(); goto T_; }\n");
      t->dead = true;
      break;
    }
    /* ------------------------------------------------ references */
    case 0xD0: { /* ref.null: a heap type, as an s33 */
      int64_t ht = mwd_sleb(&t->r, 33);
      if (ht != -16 && ht != -17) { /* not func or extern (Wasm 3.0) */
        t->unsupported = true;
        break;
      }
      if (!live) break;
      push(t, ht == -16 ? MW_FUNCREF : MW_EXTERNREF);
      pf(o, "sr%u = NULL;\n", (unsigned)(t->sp - 1));
      break;
    }
    case 0xD1: /* ref.is_null */
      if (!live) break;
      t->sp--;
      push(t, MW_I32);
      pf(o, "si%u = (uint32_t)(sr%u == NULL);\n", (unsigned)(t->sp - 1),
         (unsigned)(t->sp - 1));
      break;
    case 0xD2: { /* ref.func */
      uint32_t f = mwd_u32(&t->r);
      if (!live) break;
      push(t, MW_FUNCREF);
      pf(o, "sr%u = c->funcs[%u];\n", (unsigned)(t->sp - 1), (unsigned)f);
      break;
    }
    /* ------------------------------------------------ parametric */
    case 0x1A: /* drop */
      if (live) t->sp--;
      break;
    case 0x1B: case 0x1C: { /* select, select t */
      if (op == 0x1C) {
        uint32_t n = mwd_u32(&t->r);
        for (uint32_t k = 0; k < n && !t->unsupported; k++)
          if (!type_supported(mwd_u8(&t->r))) t->unsupported = true; /* 3.0 */
      }
      if (!live) break;
      uint32_t cnd = t->sp - 1, b = t->sp - 2, a = t->sp - 3;
      uint8_t ty = t->ts[a];
      if (ty == MW_I32 || ty == MW_I64) {
        /* Branch-free, as clang lowers the select it emitted: gcc would
         * often make a branch of it, mispredicted on data-dependent
         * choices (collatz_max: 13% faster). */
        const char *ct = ty == MW_I32 ? "uint32_t" : "uint64_t";
        pf(o, "s%c%u = s%c%u ^ ((s%c%u ^ s%c%u) & -(%s)(si%u != 0));\n", V(a), V(b), V(a),
           V(b), ct, (unsigned)cnd);
      } else {
        pf(o, "if (!si%u) s%c%u = s%c%u;\n", (unsigned)cnd, V(a), V(b));
      }
      t->sp -= 2;
      break;
    }
    /* ------------------------------------------------ variables */
    case 0x20: { /* local.get */
      uint32_t l = mwd_u32(&t->r);
      if (!live) break;
      push(t, t->ltypes[l]);
      pf(o, "s%c%u = l%u;\n", V(t->sp - 1), (unsigned)l);
      break;
    }
    case 0x21: case 0x22: { /* local.set, local.tee */
      uint32_t l = mwd_u32(&t->r);
      if (!live) break;
      pf(o, "l%u = s%c%u;\n", (unsigned)l, V(t->sp - 1));
      if (op == 0x21) t->sp--;
      break;
    }
    case 0x23: { /* global.get */
      uint32_t g = mwd_u32(&t->r);
      if (!live) break;
      uint8_t gt = global_type(m, g);
      push(t, gt);
      pf(o, "s%c%u = c->g[%u]->%s;\n", V(t->sp - 1), (unsigned)g, slotfield(gt));
      break;
    }
    case 0x24: { /* global.set */
      uint32_t g = mwd_u32(&t->r);
      if (!live) break;
      pf(o, "c->g[%u]->%s = s%c%u;\n", (unsigned)g, slotfield(global_type(m, g)),
         V(t->sp - 1));
      t->sp--;
      break;
    }
    case 0x25: case 0x26: { /* table.get, table.set */
      uint32_t tab = mwd_u32(&t->r);
      if (!live) break;
      if (op == 0x25) {
        uint32_t i = t->sp - 1;
        t->sp--;
        push(t, (uint8_t)m->tables[tab].elem);
        pf(o, "sr%u = table_get(c, fr_, %u, si%u);\n", (unsigned)i, (unsigned)tab, (unsigned)i);
      } else {
        pf(o, "table_set(c, fr_, %u, si%u, sr%u);\n", (unsigned)tab, (unsigned)(t->sp - 2),
           (unsigned)(t->sp - 1));
        t->sp -= 2;
      }
      break;
    }
    /* ------------------------------------------------ memory */
    case 0x28: case 0x29: case 0x2A: case 0x2B: case 0x2C: case 0x2D: case 0x2E:
    case 0x2F: case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: {
      uint32_t align = mwd_u32(&t->r);
      if (align & 0x40) { t->unsupported = true; break; } /* multi-memory */
      uint64_t off = mwd_uleb(&t->r, 64);
      if (!live) break;
      const memop *lo = &loads[op - 0x28];
      uint32_t a = t->sp - 1;
      t->sp--;
      push(t, lo->type);
      pf(o, "s%c%u = %sLD%s(%s, si%u, %lluu);\n", V(a), lo->conv,
         lo->type == MW_F32 || lo->type == MW_F64 ? "F" : "", lo->ct, (unsigned)a,
         (unsigned long long)off);
      break;
    }
    case 0x36: case 0x37: case 0x38: case 0x39: case 0x3A: case 0x3B: case 0x3C:
    case 0x3D: case 0x3E: {
      uint32_t align = mwd_u32(&t->r);
      if (align & 0x40) { t->unsupported = true; break; }
      uint64_t off = mwd_uleb(&t->r, 64);
      if (!live) break;
      const memop *so = &stores[op - 0x36];
      pf(o, "ST(%s, si%u, %lluu, s%c%u);\n", so->ct, (unsigned)(t->sp - 2),
         (unsigned long long)off, V(t->sp - 1));
      t->sp -= 2;
      break;
    }
    case 0x3F: /* memory.size */
      if (mwd_u8(&t->r) != 0) { t->unsupported = true; break; }
      if (!live) break;
      push(t, MW_I32);
      pf(o, "si%u = (uint32_t)(MS / 65536u);\n", (unsigned)(t->sp - 1));
      break;
    case 0x40: /* memory.grow */
      if (mwd_u8(&t->r) != 0) { t->unsupported = true; break; }
      if (!live) break;
      t->may_grow = true;
      pf(o, "si%u = c->rt->memory_grow(c, si%u); RELOAD();\n", (unsigned)(t->sp - 1),
         (unsigned)(t->sp - 1));
      break;
    /* ------------------------------------------------ constants */
    case 0x41: {
      int32_t v = mwd_s32(&t->r);
      if (!live) break;
      push(t, MW_I32);
      pf(o, "si%u = 0x%xu;\n", (unsigned)(t->sp - 1), (unsigned)v);
      break;
    }
    case 0x42: {
      int64_t v = mwd_s64(&t->r);
      if (!live) break;
      push(t, MW_I64);
      pf(o, "sj%u = 0x%llxull;\n", (unsigned)(t->sp - 1), (unsigned long long)v);
      break;
    }
    case 0x43: {
      uint32_t bits = (uint32_t)mwd_fixed(&t->r, 4);
      if (!live) break;
      push(t, MW_F32);
      pf(o, "sf%u = F32C(0x%xu);\n", (unsigned)(t->sp - 1), (unsigned)bits);
      break;
    }
    case 0x44: {
      uint64_t bits = mwd_fixed(&t->r, 8);
      if (!live) break;
      push(t, MW_F64);
      pf(o, "sd%u = F64C(0x%llxull);\n", (unsigned)(t->sp - 1), (unsigned long long)bits);
      break;
    }
    /* ------------------------------------------------ 0xFC prefix */
    case 0xFC: {
      uint32_t sub = mwd_u32(&t->r);
      uint32_t a = 0, b = 0;
      switch (sub) {
      case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        if (live) emit_numeric(t, &sat_ops[sub]);
        break;
      case 8: /* memory.init seg 0 */
        a = mwd_u32(&t->r);
        if (mwd_u8(&t->r) != 0) { t->unsupported = true; break; }
        if (!live) break;
        pf(o, "SYNC(); c->rt->memory_init(c, %u, si%u, si%u, si%u);\n", (unsigned)a,
           (unsigned)(t->sp - 3), (unsigned)(t->sp - 2), (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      case 9: /* data.drop */
        a = mwd_u32(&t->r);
        if (live) pf(o, "c->rt->data_drop(c, %u);\n", (unsigned)a);
        break;
      case 10: /* memory.copy 0 0 */
        a = mwd_u8(&t->r);
        b = mwd_u8(&t->r);
        if (a || b) { t->unsupported = true; break; }
        if (!live) break;
        pf(o, "SYNC(); c->rt->memory_copy(c, si%u, si%u, si%u);\n", (unsigned)(t->sp - 3),
           (unsigned)(t->sp - 2), (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      case 11: /* memory.fill 0 */
        if (mwd_u8(&t->r) != 0) { t->unsupported = true; break; }
        if (!live) break;
        pf(o, "SYNC(); c->rt->memory_fill(c, si%u, si%u, si%u);\n", (unsigned)(t->sp - 3),
           (unsigned)(t->sp - 2), (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      case 12: /* table.init elem table */
        a = mwd_u32(&t->r);
        b = mwd_u32(&t->r);
        if (!live) break;
        pf(o, "SYNC(); c->rt->table_init(c, %u, %u, si%u, si%u, si%u);\n", (unsigned)b,
           (unsigned)a, (unsigned)(t->sp - 3), (unsigned)(t->sp - 2),
           (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      case 13: /* elem.drop */
        a = mwd_u32(&t->r);
        if (live) pf(o, "c->rt->elem_drop(c, %u);\n", (unsigned)a);
        break;
      case 14: /* table.copy dst src */
        a = mwd_u32(&t->r);
        b = mwd_u32(&t->r);
        if (!live) break;
        pf(o, "SYNC(); c->rt->table_copy(c, %u, %u, si%u, si%u, si%u);\n", (unsigned)a,
           (unsigned)b, (unsigned)(t->sp - 3), (unsigned)(t->sp - 2),
           (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      case 15: /* table.grow: init n -> old */
        a = mwd_u32(&t->r);
        if (!live) break;
        pf(o, "si%u = c->rt->table_grow(c, %u, sr%u, si%u);\n", (unsigned)(t->sp - 2),
           (unsigned)a, (unsigned)(t->sp - 2), (unsigned)(t->sp - 1));
        t->sp -= 2;
        push(t, MW_I32);
        break;
      case 16: /* table.size */
        a = mwd_u32(&t->r);
        if (!live) break;
        push(t, MW_I32);
        pf(o, "si%u = *c->tab[%u].size;\n", (unsigned)(t->sp - 1), (unsigned)a);
        break;
      case 17: /* table.fill: i v n */
        a = mwd_u32(&t->r);
        if (!live) break;
        pf(o, "SYNC(); c->rt->table_fill(c, %u, si%u, sr%u, si%u);\n", (unsigned)a,
           (unsigned)(t->sp - 3), (unsigned)(t->sp - 2), (unsigned)(t->sp - 1));
        t->sp -= 3;
        break;
      default:
        t->unsupported = true;
        break;
      }
      break;
    }
    case 0xFD: /* SIMD */
      emit_simd(t, mwd_u32(&t->r), live);
      break;
    default:
      if (op >= 0x45 && op <= 0xC4 && numeric_ops[op].fmt) {
        if (live) emit_numeric(t, &numeric_ops[op]);
        break;
      }
      t->unsupported = true; /* SIMD (0xFD), Wasm 3.0, ... */
      break;
    }
  }
  return !t->unsupported && !t->r.fail && !o->oom;
}

/* ---------------------------------------------------------------- the module */

/* A function's stub: its arguments to slots, the runtime calls it. */
static void emit_stub(buf *o, uint32_t idx, const mw_functype *ft) {
  uint32_t n = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
  put_decl(o, idx, ft);
  pf(o, " {\n  mw_aot_slot sl_[%u];\n", (unsigned)(n ? n : 1));
  for (uint32_t k = 0; k < ft->nparams; k++)
    pf(o, "  sl_[%u].%s = l%u;\n", (unsigned)k, slotfield(MW_FT_PARAMS(ft)[k]),
       (unsigned)k);
  /* fr_ is the record the callee would take: the frames below it are live */
  pf(o, "  *c->nframes = FIDX(fr_);\n  c->rt->call(c, %u, sl_);\n", (unsigned)idx);
  if (ft->nresults == 1)
    pf(o, "  return sl_[0].%s;\n", slotfield(MW_FT_RESULTS(ft)[0]));
  else
    for (uint32_t k = 0; k < ft->nresults; k++)
      pf(o, "  res_[%u] = sl_[%u];\n", (unsigned)k, (unsigned)k);
  puts_(o, "}\n");
}

static void emit_function(buf *o, tr *t, uint32_t fidx, const mw_functype *ft,
                          const buf *body) {
  const mw_module *m = t->m;
  const mw_code_body *cb = &m->codes[fidx - m->nfunc_imports];
  put_decl(o, fidx, ft);
  puts_(o, " {\n  uint8_t *M = NULL; uint64_t MS = 0; (void)M; (void)MS; RELOAD();\n");
  for (uint32_t l = ft->nparams; l < ft->nparams + cb->nlocals; l++)
    pf(o, "  %s l%u = %s;\n", ctype(t->ltypes[l]), (unsigned)l,
       t->ltypes[l] == MW_V128 ? "{{0}}" : "0");
  /* The operand temporaries: one per depth and type (v128 ones only in
   * functions using SIMD: mw_v128 comes with the SIMD prelude). */
  static const char letters[] = "ijfdrv";
  static const uint8_t ltypes[] = {MW_I32, MW_I64, MW_F32, MW_F64, MW_FUNCREF, MW_V128};
  for (int k = 0; k < (t->fn_simd ? 6 : 5); k++) {
    if (t->max_sp == 0) break;
    pf(o, "  %s", ctype(ltypes[k]));
    for (uint32_t d = 0; d < t->max_sp; d++)
      pf(o, "%ss%c%u = %s", d ? ", " : " ", letters[k], (unsigned)d,
         ltypes[k] == MW_V128 ? "{{0}}" : "0");
    puts_(o, ";\n");
  }
  pf(o, "  ENTER(%u);\nT_:;\n", (unsigned)(fidx - m->nfunc_imports));
  put(o, body->p ? body->p : "", body->n);
  puts_(o, "  LEAVE();\n");
  if (ft->nresults == 1) {
    pf(o, "  return s%c0;\n", tletter(MW_FT_RESULTS(ft)[0]));
  } else {
    for (uint32_t k = 0; k < ft->nresults; k++)
      pf(o, "  res_[%u].%s = s%c%u;\n", (unsigned)k, slotfield(MW_FT_RESULTS(ft)[k]),
         tletter(MW_FT_RESULTS(ft)[k]), (unsigned)k);
  }
  puts_(o, "}\n\n");
}

static void emit_wrapper(buf *o, uint32_t fidx, const mw_functype *ft) {
  pf(o, "static void w_%u(mw_aot_ctx *c, mw_aot_slot *a) {\n"
        "  char *fr_ = *c->frames + (size_t)*c->nframes * MW_FRAME_SIZE;\n  ",
     (unsigned)fidx);
  if (ft->nresults > 1) pf(o, "mw_aot_slot r_[%u]; ", (unsigned)ft->nresults);
  if (ft->nresults == 1) pf(o, "a[0].%s = ", slotfield(MW_FT_RESULTS(ft)[0]));
  pf(o, "f_%u(c, fr_", (unsigned)fidx);
  for (uint32_t k = 0; k < ft->nparams; k++)
    pf(o, ", a[%u].%s", (unsigned)k, slotfield(MW_FT_PARAMS(ft)[k]));
  if (ft->nresults > 1) {
    puts_(o, ", r_);");
    for (uint32_t k = 0; k < ft->nresults; k++)
      pf(o, " a[%u] = r_[%u];", (unsigned)k, (unsigned)k);
    puts_(o, "\n}\n");
  } else {
    puts_(o, ");\n}\n");
  }
}

/* Local types of defined function di: params then declared locals. */
static bool local_types(tr *t, uint32_t di, const mw_functype *ft) {
  const mw_code_body *cb = &t->m->codes[di];
  uint32_t n = ft->nparams + cb->nlocals;
  free(t->ltypes);
  t->ltypes = malloc(n ? n : 1);
  if (!t->ltypes) return false;
  /* Byte codes suffice: module_supported admits Wasm 2.0 types only. */
  for (uint32_t k = 0; k < ft->nparams; k++) t->ltypes[k] = (uint8_t)MW_FT_PARAMS(ft)[k];
  uint32_t k = ft->nparams;
  for (uint32_t r = 0; r < cb->nlocal_runs; r++)
    for (uint32_t j = 0; j < cb->local_runs[r].count; j++)
      t->ltypes[k++] = cb->local_runs[r].type;
  t->nlocals = n;
  for (uint32_t i = 0; i < n; i++)
    if (!type_supported(t->ltypes[i])) return true; /* caller checks */
  return true;
}

static bool locals_supported(const tr *t) {
  for (uint32_t i = 0; i < t->nlocals; i++)
    if (!type_supported(t->ltypes[i])) return false;
  return true;
}

/* Why the module's features keep all of it interpreted, or NULL.  Those the
 * translator does not cover (multiple or 64-bit
 * memories, 64-bit or typed-reference tables, tags): every function of such a
 * module stays with the interpreter. */
static const char *module_unsupported(const mw_module *m) {
  if (m->nmemories > 1) return "several memories";
  /* Exception handling: a module with tags throws and catches; all of it
   * runs in the interpreter, which unwinds its own frames. */
  if (m->ntags > 0) return "tags (exception handling)";
  /* Wasm 3.0 types (rec groups, subtypes, struct and array types, typed
   * references anywhere): the whole module stays with the interpreter. */
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const mw_functype *ft = m->types[i];
    if (ft->comp != MW_COMP_FUNC || ft->rec_len != 1 || ft->super != MW_NO_SUPER ||
        !ft->final || !blocktype_supported(ft))
      return "Wasm 3.0 types (GC, typed references)";
  }
  for (uint32_t i = 0; i < m->nelems; i++)
    if (!type_supported(m->elems[i].type)) return "typed-reference element segments";
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->table_inits && m->table_inits[i].end) return "table initialiser expressions";
  for (uint32_t d = 0; d < m->nfuncs - m->nfunc_imports; d++)
    for (uint32_t r = 0; r < m->codes[d].nlocal_runs; r++)
      if (!type_supported(m->codes[d].local_runs[r].type)) return "typed-reference locals";
  for (uint32_t i = 0; i < m->nmemories; i++)
    if (m->memories[i].limits.is64) return "a 64-bit memory";
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].limits.is64 || !type_supported(m->tables[i].elem))
      return "a 64-bit or typed-reference table";
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (!type_supported(m->globals[i].type.type) || m->globals[i].type.type == MW_V128)
      return "a v128 or typed-reference global"; /* v128: in the global's own storage */
  return NULL;
}

/* The instruction translate_body stopped at, in words. */
static void put_instr_reason(buf *b, const tr *t) {
  static const struct { uint8_t op; const char *name; } names[] = {
    {0x06, "try"}, {0x07, "catch"}, {0x08, "throw"}, {0x09, "rethrow"},
    {0x0A, "throw_ref"}, {0x12, "return_call"}, {0x13, "return_call_indirect"},
    {0x14, "call_ref"}, {0x15, "return_call_ref"}, {0x18, "delegate"},
    {0x19, "catch_all"}, {0x1F, "try_table"}, {0xD3, "ref.eq"},
    {0xD4, "ref.as_non_null"}, {0xD5, "br_on_null"}, {0xD6, "br_on_non_null"},
  };
  uint8_t op = t->cur_op;
  if (op == 0xFB || op == 0xFC || op == 0xFD || op == 0xFE) {
    mwd_reader rr = {t->cur_at, t->r.end, NULL};
    uint32_t sub = mwd_u32(&rr);
    const char *what = op == 0xFB ? "GC" : op == 0xFE ? "atomic" : op == 0xFD ? "SIMD" : "";
    pf(b, "%s%sinstruction 0x%02X %u", what, *what ? " " : "", (unsigned)op, (unsigned)sub);
    if (op == 0xFC || op == 0xFD) puts_(b, " (another memory or table, or 64-bit)");
    return;
  }
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (names[k].op == op) {
      pf(b, "instruction %s", names[k].name);
      return;
    }
  pf(b, "instruction 0x%02X", (unsigned)op);
  if ((op >= 0x28 && op <= 0x40) || op == 0x02 || op == 0x03 || op == 0x04 ||
      op == 0x1C || op == 0xD0 || op == 0x10 || op == 0x11)
    puts_(b, " (another memory, a 64-bit memory, or a Wasm 3.0 type)");
}

static void put_func_name(buf *b, const mw_module *m, uint32_t fidx) {
  for (uint32_t i = 0; i < m->nfunc_names; i++)
    if (m->func_names[i].index == fidx) {
      pf(b, " %.*s", (int)m->func_names[i].name.len, (const char *)m->func_names[i].name.ptr);
      return;
    }
}

mw_error *mw_aot_translate_c(const mw_module *m, const mw_aot_artifact_info *info,
                             char **out, size_t *out_len, uint32_t *nnative) {
  return mw_aot_translate_report(m, info, out, out_len, nnative, NULL);
}

mw_error *mw_aot_translate_report(const mw_module *m, const mw_aot_artifact_info *info,
                                  char **out, size_t *out_len, uint32_t *nnative,
                                  char **report) {
  buf rep = {0};
  if (report) *report = NULL;
  *out = NULL;
  *out_len = 0;
  if (!m->validated)
    return mw_errorf(MW_ERR_USAGE, "aot: the module must be validated first");
  uint32_t ndef = m->nfuncs - m->nfunc_imports;
  size_t own_bytes = (size_t)ndef * sizeof(mw_func);

  buf o = {0}, body = {0};
  tr t;
  memset(&t, 0, sizeof t);
  t.m = m;
  uint32_t *canon = malloc((m->ntypes ? m->ntypes : 1) * sizeof *canon);
  bool *native = calloc(ndef ? ndef : 1, sizeof *native);
  if (!canon || !native) {
    free(canon);
    free(native);
    return mw_error_oom();
  }
  for (uint32_t i = 0; i < m->ntypes; i++) {
    canon[i] = i;
    for (uint32_t j = 0; j < i; j++)
      if (mw_functype_same(m->types[i], m->types[j])) {
        canon[i] = canon[j];
        break;
      }
  }
  t.canon = canon;
  const char *whole_why = module_unsupported(m);
  const bool whole = whole_why == NULL;

  puts_(&o, "/* Generated by moonwasm " MW_VERSION " (AOT). Do not edit. */\n");
  pf(&o, "#define MW_FUNC_SIZE %zuu\n#define MW_FRAME_SIZE %zuu\n#define MW_FRAME_FUNC %zuu\n",
     sizeof(mw_func), sizeof(mw_frame), offsetof(mw_frame, func));
  /* Guard pages check memory 0's bounds (aot_ops.h) where it is 32-bit. */
  const bool guard = info->guard && m->nmemories > 0 && !m->memories[0].limits.is64;
  pf(&o, "#define MW_AOT_GUARD %d\n", guard ? 1 : 0);
  put(&o, mw_aot_prelude, mw_aot_prelude_size());
  puts_(&o, "\n");

  /* Declarations: every function of the index space has an f_N. */
  for (uint32_t f = 0; f < m->nfuncs; f++) {
    const mw_functype *ft = m->types[m->func_types[f]];
    if (!functype_supported(ft)) continue;
    put_decl(&o, f, ft);
    puts_(&o, ";\n");
  }
  /* The canonical type of each defined function, and its address. */
  pf(&o, "static const uint32_t ftc_[%u] = {", (unsigned)(ndef ? ndef : 1));
  for (uint32_t d = 0; d < ndef; d++) {
    const mw_functype *ft = m->types[m->func_types[m->nfunc_imports + d]];
    pf(&o, "%s%uu", d ? "," : "", functype_supported(ft)
                                      ? (unsigned)canon[m->func_types[m->nfunc_imports + d]]
                                      : 0xFFFFFFFFu);
    if (d % 16 == 15) puts_(&o, "\n");
  }
  puts_(&o, ndef ? "};\n" : "0};\n");
  pf(&o, "static void *const fnp_[%u] = {", (unsigned)(ndef ? ndef : 1));
  for (uint32_t d = 0; d < ndef; d++) {
    const mw_functype *ft = m->types[m->func_types[m->nfunc_imports + d]];
    if (functype_supported(ft))
      pf(&o, "%s(void *)f_%u", d ? "," : "", (unsigned)(m->nfunc_imports + d));
    else
      pf(&o, "%sNULL", d ? "," : "");
    if (d % 8 == 7) puts_(&o, "\n");
  }
  puts_(&o, ndef ? "};\n\n" : "NULL};\n\n");

  /* Functions go to their own buffer, after MW_MAY_GROW (known once every
   * body is translated). */
  buf fo = {0};
  /* Imports: stubs. */
  for (uint32_t f = 0; f < m->nfunc_imports; f++) {
    const mw_functype *ft = m->types[m->func_types[f]];
    if (functype_supported(ft)) emit_stub(&fo, f, ft);
  }
  /* Bodies. */
  uint32_t count = 0;
  for (uint32_t d = 0; d < ndef && !o.oom; d++) {
    uint32_t fidx = m->nfunc_imports + d;
    const mw_functype *ft = m->types[m->func_types[fidx]];
    if (report && !functype_supported(ft)) {
      pf(&rep, "%u", (unsigned)fidx);
      put_func_name(&rep, m, fidx);
      puts_(&rep, whole ? ": a v128 or Wasm 3.0 type in its signature\n" : ": ");
      if (!whole) pf(&rep, "%s\n", whole_why);
    }
    if (!functype_supported(ft)) continue;
    body.n = 0;
    if (body.p) body.p[0] = '\0';
    t.o = &body;
    t.fn_simd = false;
    t.unsupported = false;
    bool locals_ok = whole && local_types(&t, d, ft) && locals_supported(&t);
    bool ok = locals_ok && translate_body(&t, d, own_bytes);
    if (report && !ok) {
      pf(&rep, "%u", (unsigned)fidx);
      put_func_name(&rep, m, fidx);
      puts_(&rep, ": ");
      if (!whole)
        puts_(&rep, whole_why);
      else if (!locals_ok)
        puts_(&rep, "a local of a Wasm 3.0 type");
      else if (t.unsupported)
        put_instr_reason(&rep, &t);
      else
        puts_(&rep, "its body could not be read");
      puts_(&rep, "\n");
    }
    for (uint32_t l = 0; ok && l < t.nlocals; l++)
      if (t.ltypes[l] == MW_V128) t.fn_simd = true;
    if (body.oom) break;
    if (ok) {
      emit_function(&fo, &t, fidx, ft, &body);
      if (t.fn_simd) t.simd = true;
      native[d] = true;
      count++;
    } else {
      emit_stub(&fo, fidx, ft);
      t.may_grow = true; /* the interpreter runs it: it may grow memory */
    }
  }
  /* Without memory.grow, imports or indirect calls, no call can change
   * memory 0's base or size: calls need not reload them. */
  pf(&o, "#define MW_MAY_GROW %d\n\n", t.may_grow ? 1 : 0);
  if (t.simd) {
    put(&o, mw_aot_prelude_simd, mw_aot_prelude_simd_size());
    puts_(&o, "\n");
  }
  put(&o, fo.p ? fo.p : "", fo.n);
  if (fo.oom) o.oom = true;
  free(fo.p);
  for (uint32_t d = 0; d < ndef; d++)
    if (native[d]) {
      uint32_t fidx = m->nfunc_imports + d;
      emit_wrapper(&o, fidx, m->types[m->func_types[fidx]]);
    }
  pf(&o, "\nstatic const mw_aot_wrap_fn wraps_[%u] = {", (unsigned)(ndef ? ndef : 1));
  for (uint32_t d = 0; d < ndef; d++) {
    if (native[d])
      pf(&o, "%sw_%u", d ? "," : "", (unsigned)(m->nfunc_imports + d));
    else
      pf(&o, "%sNULL", d ? "," : "");
    if (d % 8 == 7) puts_(&o, "\n");
  }
  puts_(&o, ndef ? "};\n" : "NULL};\n");

  /* The embedded wasm bytes (a .so must carry its module). */
  if (info->embed_wasm) {
    pf(&o, "static const uint8_t wasm_[%zu] = {", m->len ? m->len : 1);
    for (size_t i = 0; i < m->len; i++) {
      pf(&o, "%s%u", i ? "," : "", (unsigned)m->bytes[i]);
      if (i % 32 == 31) puts_(&o, "\n");
    }
    puts_(&o, m->len ? "};\n" : "0};\n");
  }
  pf(&o,
     "\n__attribute__((visibility(\"default\")))\n"
     "const mw_aot_artifact mw_aot_artifact_v1 = {\n"
     "  MW_AOT_MAGIC, MW_AOT_ABI, \"%s\", MW_AOT_TARGET, \"%s\",\n"
     "  {0x%llxull, 0x%llxull}, %zuu, %s, %uu, wraps_, %uu\n};\n",
     MW_VERSION, info->layout, (unsigned long long)info->hash[0],
     (unsigned long long)info->hash[1], m->len,
     info->embed_wasm ? "wasm_" : "NULL", (unsigned)ndef,
     guard ? MW_AOT_F_GUARD : 0u);

  free(canon);
  free(native);
  free(body.p);
  free(t.ts);
  free(t.cs);
  free(t.ltypes);
  if (o.oom) {
    free(o.p);
    free(rep.p);
    return mw_error_oom();
  }
  *out = o.p;
  *out_len = o.n;
  if (nnative) *nnative = count;
  if (report) {
    if (rep.oom) {
      free(rep.p);
      free(o.p);
      *out = NULL;
      return mw_error_oom();
    }
    *report = rep.p ? rep.p : calloc(1, 1);
  }
  return NULL;
}
