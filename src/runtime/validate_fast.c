/*
 * validate_fast.c -- a lean validator for the common function body: a
 * stack of value types and a stack of control frames, no code emitted.
 *
 * It exists so that a module can be validated at load without compiling
 * its bodies (lazy.c compiles each on its first call).  It is a filter,
 * not a second judge: it answers "valid" only for bodies it fully
 * understands, and "don't know" for everything else -- an invalid body,
 * an instruction or type outside its subset, a limit reached.  A "don't
 * know" body goes through compile.c, which validates it with the spec's
 * messages (and keeps the compiled code).  So the messages, the order of
 * errors and every rule of the newer proposals stay in one place, and
 * this file must only never call an invalid body valid.
 *
 * The subset: the numeric value types, v128 values with every fixed-width
 * and relaxed SIMD instruction (lanes, shuffles, lane loads and stores),
 * funcref and externref (nullable, abstract: among those subtyping is
 * equality; a ref.func's (ref $t) is taken as funcref, which every
 * instruction here accepts exactly where it accepts (ref $t)); blocks of
 * any simple block type, branches, calls (direct, indirect, tail), locals,
 * globals, loads and stores on any memory, memory.size/grow/copy/fill/
 * init, data.drop, the table instructions on tables of funcref or
 * externref, elem.drop, ref.null/is_null/func, the numeric instructions.  Everything is checked as in the spec's
 * validation algorithm (appendix), including the polymorphic stack.
 * The decoder runs it on bodies it has not scanned (decode.c's body
 * pass), so "valid" here must also mean "well formed": every read goes
 * through reader.h as the decoder's do, an opcode of a feature that is off
 * is "don't know", and the body must end exactly at its declared size.
 * On "don't know" the decoder scans the body itself, for its messages.
 * It runs before the module-level rules are checked: every index is
 * bounds-checked here, whatever the module says.
 */
#include "internal.h"
#include "reader.h"

#define UNKNOWN 0 /* the bottom type of the polymorphic stack */

/* The value types of the subset: each is its one-byte code. */
static inline bool simple(mw_valtype t) {
  return (t >= MW_V128 && t <= MW_I32) || t == MW_FUNCREF || t == MW_EXTERNREF;
}

static inline bool is_ref(uint8_t t) { return t == MW_FUNCREF || t == MW_EXTERNREF; }

/* Block types of one result point into this table. */
static const mw_valtype one_type[] = {MW_I32, MW_I64, MW_F32, MW_F64, MW_V128,
                                      MW_FUNCREF, MW_EXTERNREF};

static const mw_valtype *one_of(uint8_t b) {
  switch (b) {
  case MW_I32: return &one_type[0];
  case MW_I64: return &one_type[1];
  case MW_F32: return &one_type[2];
  case MW_F64: return &one_type[3];
  case MW_V128: return &one_type[4];
  case MW_FUNCREF: return &one_type[5];
  case MW_EXTERNREF: return &one_type[6];
  }
  return NULL;
}

enum { K_FUNC, K_BLOCK, K_LOOP, K_IF, K_ELSE };

struct vframe {
  uint8_t kind;
  bool unreachable;
  uint32_t height; /* operand stack height below the block's params */
  uint32_t nparams, nresults;
  const mw_valtype *params, *results;
};
typedef struct vframe vframe;

typedef struct fv {
  const mw_module *m;
  mwv_fast_scratch *s;
  mwd_reader r;
  uint32_t nlocals;
  uint8_t *locals;
  uint8_t *stack;
  uint32_t height;
  vframe *frames;
  uint32_t nframes;
  uint64_t branch_words; /* code a branch's value copies may take (count_branch) */
} fv;

/* Grow a scratch array to hold n elements, never more than `max` (a
 * limit of compile.c's: it reports it).  Out of memory: "don't know" too. */
static bool grow(const mw_allocator *a, void **p, uint32_t *cap, uint32_t n, uint32_t max,
                 size_t size) {
  if (n <= *cap) return true;
  if (n > max) return false;
  uint32_t c = *cap ? *cap : 64;
  while (c < n) c *= 2;
  if (c > max) c = max;
  void *np = mw_realloc(a, *p, (size_t)*cap * size, (size_t)c * size);
  if (!np) return false;
  *p = np;
  *cap = c;
  return true;
}

void mwv_fast_scratch_free(mwv_fast_scratch *s) {
  if (s->locals) mw_free(s->a, s->locals, s->cap_locals);
  if (s->stack) mw_free(s->a, s->stack, s->cap_stack);
  if (s->frames) mw_free(s->a, s->frames, (size_t)s->cap_frames * sizeof(vframe));
  s->locals = s->stack = NULL;
  s->frames = NULL;
  s->cap_locals = s->cap_stack = s->cap_frames = 0;
}

/* ---------------------------------------------------------------- stacks */

static inline bool push(fv *v, uint8_t t) {
  if (v->height >= v->s->cap_stack) {
    if (!grow(v->s->a, (void **)&v->s->stack, &v->s->cap_stack, v->height + 1,
              MW_MAX_STACK_HEIGHT, 1))
      return false;
    v->stack = v->s->stack;
  }
  v->stack[v->height++] = t;
  return true;
}

/* Pop a value; false when none is there in reachable code. */
static inline bool pop_any(fv *v, uint8_t *out) {
  const vframe *f = &v->frames[v->nframes - 1];
  if (v->height == f->height) {
    *out = UNKNOWN;
    return f->unreachable;
  }
  *out = v->stack[--v->height];
  return true;
}

static inline bool pop(fv *v, uint8_t want) {
  uint8_t t;
  if (!pop_any(v, &t)) return false;
  return t == want || t == UNKNOWN;
}

static bool pop_list(fv *v, uint32_t n, const mw_valtype *types) {
  for (uint32_t i = n; i-- > 0;)
    if (!pop(v, (uint8_t)types[i])) return false;
  return true;
}

static bool push_list(fv *v, uint32_t n, const mw_valtype *types) {
  for (uint32_t i = 0; i < n; i++)
    if (!push(v, (uint8_t)types[i])) return false;
  return true;
}

/* Do the top values match `types`, stack untouched (as pop then push of
 * what was popped)? */
static bool check_top(const fv *v, uint32_t n, const mw_valtype *types) {
  const vframe *f = &v->frames[v->nframes - 1];
  uint32_t avail = v->height - f->height;
  if (avail < n && !f->unreachable) return false;
  for (uint32_t i = 0; i < n && i < avail; i++) {
    uint8_t have = v->stack[v->height - 1 - i];
    if (have != UNKNOWN && have != (uint8_t)types[n - 1 - i]) return false;
  }
  return true;
}

static bool push_frame(fv *v, uint8_t kind, uint32_t np, const mw_valtype *params,
                       uint32_t nr, const mw_valtype *results) {
  if (v->nframes >= v->s->cap_frames) {
    if (!grow(v->s->a, (void **)&v->s->frames, &v->s->cap_frames, v->nframes + 1,
              MW_MAX_BLOCK_DEPTH, sizeof(vframe)))
      return false;
    v->frames = v->s->frames;
  }
  vframe *f = &v->frames[v->nframes++];
  f->kind = kind;
  f->unreachable = false;
  f->height = v->height;
  f->nparams = np;
  f->nresults = nr;
  f->params = params;
  f->results = results;
  return push_list(v, np, params);
}

static void set_unreachable(fv *v) {
  vframe *f = &v->frames[v->nframes - 1];
  v->height = f->height;
  f->unreachable = true;
}

static bool same_list(uint32_t na, const mw_valtype *a, uint32_t nb, const mw_valtype *b) {
  if (na != nb) return false;
  for (uint32_t i = 0; i < na; i++)
    if (a[i] != b[i]) return false;
  return true;
}

/* ---------------------------------------------------------------- immediates */

/* A function type of the subset, by index. */
static const mw_functype *simple_functype(const fv *v, uint64_t index) {
  if (index >= v->m->ntypes) return NULL;
  const mw_functype *t = v->m->types[index];
  if (!t || t->comp != MW_COMP_FUNC) return NULL;
  for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
    if (!simple(t->types[i])) return NULL;
  return t;
}

/* The block type: 0x40, one value type, or a type index. */
static bool read_blocktype(fv *v, uint32_t *np, const mw_valtype **params, uint32_t *nr,
                           const mw_valtype **results) {
  if (v->r.p >= v->r.end) return false;
  uint8_t b = *v->r.p;
  *np = *nr = 0;
  *params = *results = NULL;
  if (b == 0x40) {
    v->r.p++;
    return true;
  }
  const mw_valtype *one = one_of(b);
  if (b == MW_V128 && !(v->m->features & MW_FEATURE_SIMD)) return false;
  if (one) {
    v->r.p++;
    *nr = 1;
    *results = one;
    return true;
  }
  int64_t x = mwd_sleb(&v->r, 33);
  if (v->r.fail || x < 0) return false;
  const mw_functype *t = simple_functype(v, (uint64_t)x);
  if (!t) return false;
  *np = t->nparams;
  *params = MW_FT_PARAMS(t);
  *nr = t->nresults;
  *results = MW_FT_RESULTS(t);
  return true;
}

/* A memarg of a load or store of `memsize` bytes (compile.c read_memarg's
 * rules); sets the address type. */
static bool read_memarg(fv *v, unsigned memsize, uint8_t *addr) {
  unsigned natural = memsize == 16 ? 4 : memsize == 8 ? 3 : memsize == 4 ? 2
                   : memsize == 2 ? 1 : 0;
  const uint8_t *p = v->r.p;
  if (v->r.end - p >= 2 && p[0] < 0x40 && p[1] < 0x80 && v->m->nmemories > 0) {
    /* one byte each: alignment, memory 0, offset (the common case) */
    if (p[0] > natural) return false;
    v->r.p += 2;
    *addr = v->m->memories[0].limits.is64 ? MW_I64 : MW_I32;
    return true;
  }
  mwd_memarg a = mwd_memarg_read(&v->r, (v->m->features & MW_FEATURE_MULTI_MEMORY) != 0,
                                 (v->m->features & MW_FEATURE_MEMORY64) != 0);
  if (v->r.fail || a.mem >= v->m->nmemories) return false;
  if (a.align > natural) return false;
  bool is64 = v->m->memories[a.mem].limits.is64;
  if (!is64 && a.offset > UINT32_MAX) return false;
  *addr = is64 ? MW_I64 : MW_I32;
  return true;
}

/* A memory index (memory.size, grow, copy, fill); sets its address type. */
static bool read_memidx(fv *v, uint8_t *addr) {
  uint32_t x = mwd_memidx(&v->r, (v->m->features & MW_FEATURE_MULTI_MEMORY) != 0);
  if (v->r.fail || x >= v->m->nmemories) return false;
  *addr = v->m->memories[x].limits.is64 ? MW_I64 : MW_I32;
  return true;
}

/* A table index whose elements are of the subset; sets its index type. */
static const mw_tabletype *read_table(fv *v, uint8_t *index) {
  uint32_t x = mwd_u32(&v->r);
  if (v->r.fail || x >= v->m->ntables) return NULL;
  const mw_tabletype *t = &v->m->tables[x];
  if (!is_ref((uint8_t)t->elem) || (mw_valtype)(uint8_t)t->elem != t->elem) return NULL;
  *index = t->limits.is64 ? MW_I64 : MW_I32;
  return t;
}

/* ---------------------------------------------------------------- instructions */

static bool branch_target(fv *v, uint32_t depth, uint32_t *n, const mw_valtype **types) {
  if (depth >= v->nframes) return false;
  const vframe *f = &v->frames[v->nframes - 1 - depth];
  if (f->kind == K_LOOP) {
    *n = f->nparams;
    *types = f->params;
  } else {
    *n = f->nresults;
    *types = f->results;
  }
  return true;
}

/* A branch carrying n values: compile.c copies them to the label's slots
 * on every branch (each copy or constant at most 4 words, a return's
 * twice), so a small body with many wide branches can compile to more
 * than compile.c's per-byte limit; mwv_fast_body counts them. */
static void count_branch(fv *v, uint32_t n) { v->branch_words += 4 + 8ull * n; }

static bool op_end(fv *v, bool *done) {
  vframe *f = &v->frames[v->nframes - 1];
  if (!pop_list(v, f->nresults, f->results) || v->height != f->height) return false;
  /* an if without else passes its params through: they must be its results */
  if (f->kind == K_IF && !same_list(f->nparams, f->params, f->nresults, f->results))
    return false;
  uint32_t nr = f->nresults;
  const mw_valtype *results = f->results;
  bool func = f->kind == K_FUNC;
  v->nframes--;
  if (func) {
    *done = true;
    return v->r.p == v->r.end;
  }
  return push_list(v, nr, results);
}

static bool op_call(fv *v, const mw_functype *t, bool tail) {
  if (!t || !pop_list(v, t->nparams, MW_FT_PARAMS(t))) return false;
  if (tail) {
    const vframe *fn = &v->frames[0];
    if (!same_list(t->nresults, MW_FT_RESULTS(t), fn->nresults, fn->results)) return false;
    set_unreachable(v);
    return true;
  }
  return push_list(v, t->nresults, MW_FT_RESULTS(t));
}

static bool op_call_indirect(fv *v, bool tail) {
  uint32_t typeidx = mwd_u32(&v->r);
  uint32_t table;
  if (v->m->features & MW_FEATURE_REFERENCE_TYPES)
    table = mwd_u32(&v->r);
  else
    table = mwd_memidx(&v->r, false);
  if (v->r.fail || table >= v->m->ntables) return false;
  const mw_tabletype *tt = &v->m->tables[table];
  if (tt->elem != MW_FUNCREF || tt->limits.is64) return false;
  const mw_functype *t = simple_functype(v, typeidx);
  if (!t || !pop(v, MW_I32)) return false;
  return op_call(v, t, tail);
}

static bool op_br_table(fv *v) {
  uint32_t n = mwd_len(&v->r);
  if (v->r.fail || !pop(v, MW_I32)) return false;
  /* all labels first, then the default (read last in the binary) */
  const uint8_t *labels = v->r.p;
  for (uint32_t i = 0; i < n && !v->r.fail; i++) (void)mwd_u32(&v->r);
  uint32_t dflt = mwd_u32(&v->r);
  const mw_valtype *dtypes;
  uint32_t arity;
  if (v->r.fail || !branch_target(v, dflt, &arity, &dtypes)) return false;
  count_branch(v, arity);
  const uint8_t *after = v->r.p;
  v->r.p = labels;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = mwd_u32(&v->r);
    uint32_t ln;
    const mw_valtype *lt;
    if (v->r.fail || !branch_target(v, l, &ln, &lt) || ln != arity || !check_top(v, ln, lt))
      return false;
    count_branch(v, ln);
  }
  v->r.p = after;
  if (!pop_list(v, arity, dtypes)) return false;
  set_unreachable(v);
  return true;
}

static bool op_select(fv *v, bool typed) {
  uint8_t want = UNKNOWN;
  if (typed) {
    uint32_t n = mwd_u32(&v->r);
    if (v->r.fail || n != 1 || v->r.p >= v->r.end || !one_of(*v->r.p)) return false;
    if (*v->r.p == MW_V128 && !(v->m->features & MW_FEATURE_SIMD)) return false;
    want = *v->r.p++;
  }
  uint8_t t1, t2;
  if (!pop(v, MW_I32) || !pop_any(v, &t1) || !pop_any(v, &t2)) return false;
  if (typed) {
    if ((t1 != want && t1 != UNKNOWN) || (t2 != want && t2 != UNKNOWN)) return false;
    return push(v, want);
  }
  if (is_ref(t1) || is_ref(t2)) return false;
  if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) return false;
  return push(v, t1 == UNKNOWN ? t2 : t1);
}

static bool op_local(fv *v, uint8_t op) {
  uint32_t x = mwd_u32(&v->r);
  if (v->r.fail || x >= v->nlocals) return false;
  uint8_t t = v->locals[x];
  if (op == 0x20) return push(v, t);
  if (!pop(v, t)) return false;
  return op == 0x21 || push(v, t);
}

static bool op_global(fv *v, uint8_t op) {
  uint32_t x = mwd_u32(&v->r);
  if (v->r.fail || x >= v->m->nglobals) return false;
  const mw_globaltype *g = &v->m->globals[x].type;
  if (!simple(g->type)) return false;
  if (op == 0x23) return push(v, (uint8_t)g->type);
  return g->mutable_ && pop(v, (uint8_t)g->type);
}

/* The 0xFC instructions of the subset. */
static bool op_misc(fv *v) {
  uint32_t sub = mwd_u32(&v->r);
  if (v->r.fail) return false;
  uint8_t a, b;
  if (sub <= 7) { /* trunc_sat */
    int op = mw_opcode_from_prefixed(0xFC, sub);
    if (op < 0) return false;
    const mw_opinfo *in = &mw_opinfo_table[op];
    if (in->kind != MW_KIND_UN || !(v->m->features & MW_FEATURE_SAT_CONV)) return false;
    return pop(v, in->t1) && push(v, in->tr);
  }
  if (!(v->m->features & MW_FEATURE_BULK_MEMORY)) return false;
  uint32_t y;
  const mw_tabletype *tx, *ty;
  switch (sub) {
  case 8: /* memory.init data mem: the memory is checked before the segment */
    y = mwd_u32(&v->r);
    if (v->r.fail || !read_memidx(v, &a) || y >= v->m->ndatas) return false;
    v->s->uses_data_count = true; /* the decoder's rule (decode.c) */
    return pop(v, MW_I32) && pop(v, MW_I32) && pop(v, a);
  case 9: /* data.drop */
    y = mwd_u32(&v->r);
    if (v->r.fail || y >= v->m->ndatas) return false;
    v->s->uses_data_count = true;
    return true;
  case 10: /* memory.copy dst src: the length is i64 only between i64 memories */
    if (!read_memidx(v, &a) || !read_memidx(v, &b)) return false;
    return pop(v, a == MW_I64 && b == MW_I64 ? MW_I64 : MW_I32) && pop(v, b) && pop(v, a);
  case 11: /* memory.fill */
    if (!read_memidx(v, &a)) return false;
    return pop(v, a) && pop(v, MW_I32) && pop(v, a);
  case 12: /* table.init elem table */
    y = mwd_u32(&v->r);
    if (v->r.fail || !(tx = read_table(v, &a)) || y >= v->m->nelems) return false;
    /* (ref null ht) or (ref ht) is a subtype of the table's (ref null ht) */
    if (((unsigned)v->m->elems[y].type & ~MW_VT_NONNULL) != (unsigned)tx->elem) return false;
    return pop(v, MW_I32) && pop(v, MW_I32) && pop(v, a);
  case 13: /* elem.drop */
    y = mwd_u32(&v->r);
    return !v->r.fail && y < v->m->nelems;
  case 14: /* table.copy dst src */
    if (!(tx = read_table(v, &a)) || !(ty = read_table(v, &b))) return false;
    if (ty->elem != tx->elem) return false;
    return pop(v, a == MW_I64 && b == MW_I64 ? MW_I64 : MW_I32) && pop(v, b) && pop(v, a);
  case 15: /* table.grow: ref n -> size */
    if (!(tx = read_table(v, &a))) return false;
    return pop(v, a) && pop(v, (uint8_t)tx->elem) && push(v, a);
  case 16: /* table.size */
    return read_table(v, &a) && push(v, a);
  case 17: /* table.fill: i ref n */
    if (!(tx = read_table(v, &a))) return false;
    return pop(v, a) && pop(v, (uint8_t)tx->elem) && pop(v, a);
  }
  return false;
}

/* Lanes of the shape an instruction's name starts with (i8x16 ... f64x2),
 * as compile.c counts them. */
static unsigned lane_count(const mw_opinfo *in) {
  const char *t = in->text;
  return t[1] == '8' ? 16 : t[1] == '1' ? 8 : t[1] == '3' ? 4 : 2;
}

/* The 0xFD instructions: every one of fixed-width and relaxed SIMD. */
static bool op_simd(fv *v) {
  uint32_t sub = mwd_u32(&v->r);
  if (v->r.fail) return false;
  int op = mw_opcode_from_prefixed(0xFD, sub);
  if (op < 0) return false;
  const mw_opinfo *in = &mw_opinfo_table[op];
  uint32_t need = in->feature == MW_FEAT_SIMD           ? MW_FEATURE_SIMD
                  : in->feature == MW_FEAT_RELAXED_SIMD ? MW_FEATURE_RELAXED_SIMD
                                                        : 0;
  if (!need || !(v->m->features & need)) return false; /* the decoder's errors */
  uint8_t addr;
  switch (in->kind) {
  case MW_KIND_UN:
    if (in->imm != MW_IMM_NONE) return false;
    return pop(v, in->t1) && push(v, in->tr);
  case MW_KIND_BIN:
    if (in->imm != MW_IMM_NONE) return false;
    return pop(v, in->t2) && pop(v, in->t1) && push(v, in->tr);
  case MW_KIND_LOAD:
    if (in->imm != MW_IMM_MEMARG || !read_memarg(v, in->memsize, &addr)) return false;
    return pop(v, addr) && push(v, in->tr);
  case MW_KIND_STORE:
    if (in->imm != MW_IMM_MEMARG || !read_memarg(v, in->memsize, &addr)) return false;
    return pop(v, in->t1) && pop(v, addr);
  }
  if (in->kind != MW_KIND_SPEC) return false;
  switch (in->imm) {
  case MW_IMM_V128: /* v128.const */
    return mwd_bytes(&v->r, 16) != NULL && push(v, MW_V128);
  case MW_IMM_SHUFFLE: { /* i8x16.shuffle: 16 lanes of the two operands */
    const uint8_t *idx = mwd_bytes(&v->r, 16);
    if (!idx) return false;
    for (int i = 0; i < 16; i++)
      if (idx[i] >= 32) return false;
    return pop(v, MW_V128) && pop(v, MW_V128) && push(v, MW_V128);
  }
  case MW_IMM_LANE: /* extract_lane v128 -> t; replace_lane v128 t -> v128 */
    if (v->r.p >= v->r.end || *v->r.p >= lane_count(in)) return false;
    v->r.p++;
    if (in->t2 == MW_T_NONE) return pop(v, MW_V128) && push(v, in->tr);
    return pop(v, in->t2) && pop(v, MW_V128) && push(v, MW_V128);
  case MW_IMM_MEMARG_LANE: /* load lane: addr v128 -> v128; store lane: -> () */
    if (!read_memarg(v, in->memsize, &addr)) return false;
    if (v->r.p >= v->r.end || *v->r.p >= 16u / in->memsize) return false;
    v->r.p++;
    if (!pop(v, MW_V128) || !pop(v, addr)) return false;
    return in->tr != MW_V128 || push(v, MW_V128);
  case MW_IMM_NONE: /* bitselect and the relaxed three-operand ones */
    if (in->t1 != MW_V128 || in->t2 != MW_V128 || in->tr != MW_V128) return false;
    return pop(v, MW_V128) && pop(v, MW_V128) && pop(v, MW_V128) && push(v, MW_V128);
  }
  return false;
}

static bool instr(fv *v, bool *done) {
  uint8_t op = *v->r.p++;
  uint32_t n;
  uint8_t addr;
  const mw_valtype *types;
  switch (op) {
  case 0x00: /* unreachable */
    set_unreachable(v);
    return true;
  case 0x01: /* nop */
    return true;
  case 0x02: case 0x03: case 0x04: { /* block, loop, if */
    uint32_t np, nr;
    const mw_valtype *params, *results;
    if (!read_blocktype(v, &np, &params, &nr, &results)) return false;
    if (op == 0x04 && !pop(v, MW_I32)) return false;
    if (!pop_list(v, np, params)) return false;
    return push_frame(v, op == 0x02 ? K_BLOCK : op == 0x03 ? K_LOOP : K_IF, np, params,
                      nr, results);
  }
  case 0x05: { /* else */
    vframe f = v->frames[v->nframes - 1];
    if (f.kind != K_IF || !pop_list(v, f.nresults, f.results) || v->height != f.height)
      return false;
    v->nframes--;
    return push_frame(v, K_ELSE, f.nparams, f.params, f.nresults, f.results);
  }
  case 0x0B: /* end */
    return op_end(v, done);
  case 0x0C: /* br */
    if (!branch_target(v, mwd_u32(&v->r), &n, &types) || v->r.fail) return false;
    count_branch(v, n);
    if (!pop_list(v, n, types)) return false;
    set_unreachable(v);
    return true;
  case 0x0D: /* br_if */
    if (!branch_target(v, mwd_u32(&v->r), &n, &types) || v->r.fail) return false;
    count_branch(v, n);
    return pop(v, MW_I32) && pop_list(v, n, types) && push_list(v, n, types);
  case 0x0E:
    return op_br_table(v);
  case 0x0F: /* return */
    count_branch(v, v->frames[0].nresults);
    if (!pop_list(v, v->frames[0].nresults, v->frames[0].results)) return false;
    set_unreachable(v);
    return true;
  case 0x10: case 0x12: { /* call, return_call */
    uint32_t f = mwd_u32(&v->r);
    if (v->r.fail || f >= v->m->nfuncs) return false;
    if (op == 0x12 && !(v->m->features & MW_FEATURE_TAIL_CALL)) return false;
    return op_call(v, simple_functype(v, v->m->func_types[f]), op == 0x12);
  }
  case 0x11: case 0x13: /* call_indirect, return_call_indirect */
    if (op == 0x13 && !(v->m->features & MW_FEATURE_TAIL_CALL)) return false;
    return op_call_indirect(v, op == 0x13);
  case 0x1A: { /* drop */
    uint8_t t;
    return pop_any(v, &t);
  }
  case 0x1B: case 0x1C:
    return op_select(v, op == 0x1C);
  case 0x20: case 0x21: case 0x22:
    return op_local(v, op);
  case 0x23: case 0x24:
    return op_global(v, op);
  case 0x25: { /* table.get */
    const mw_tabletype *t = read_table(v, &addr);
    return t && pop(v, addr) && push(v, (uint8_t)t->elem);
  }
  case 0x26: { /* table.set */
    const mw_tabletype *t = read_table(v, &addr);
    return t && pop(v, (uint8_t)t->elem) && pop(v, addr);
  }
  case 0xD0: /* ref.null of the two abstract types of the subset */
    if (v->r.p >= v->r.end || !is_ref(*v->r.p)) return false;
    return push(v, *v->r.p++);
  case 0xD1: { /* ref.is_null */
    uint8_t t;
    return pop_any(v, &t) && (t == UNKNOWN || is_ref(t)) && push(v, MW_I32);
  }
  case 0xD2: { /* ref.func: only of a function C.refs declares */
    uint32_t f = mwd_u32(&v->r);
    const uint8_t *refs = v->m->func_refs;
    if (v->r.fail || f >= v->m->nfuncs || !refs || !(refs[f / 8] & (1u << (f % 8))))
      return false;
    /* (ref $t) with typed function references: a subtype of funcref that
     * every instruction of the subset takes exactly where it takes funcref */
    return push(v, MW_FUNCREF);
  }
  case 0x3F: /* memory.size */
    return read_memidx(v, &addr) && push(v, addr);
  case 0x40: /* memory.grow */
    return read_memidx(v, &addr) && pop(v, addr) && push(v, addr);
  case 0x41:
    (void)mwd_s32(&v->r);
    return !v->r.fail && push(v, MW_I32);
  case 0x42:
    (void)mwd_s64(&v->r);
    return !v->r.fail && push(v, MW_I64);
  case 0x43:
    return mwd_bytes(&v->r, 4) != NULL && push(v, MW_F32);
  case 0x44:
    return mwd_bytes(&v->r, 8) != NULL && push(v, MW_F64);
  case 0xFC:
    return op_misc(v);
  case 0xFD:
    return op_simd(v);
  }
  int o = mw_opcode_from_byte(op);
  if (o < 0) return false;
  const mw_opinfo *in = &mw_opinfo_table[o];
  if (in->feature != MW_FEAT_CORE) return false;
  switch (in->kind) {
  case MW_KIND_UN:
    /* sign extension is Wasm 2.0 */
    if (op >= 0xC0 && !(v->m->features & MW_FEATURE_SIGN_EXT)) return false;
    return pop(v, in->t1) && push(v, in->tr);
  case MW_KIND_BIN:
    return pop(v, in->t2) && pop(v, in->t1) && push(v, in->tr);
  case MW_KIND_LOAD:
    return read_memarg(v, in->memsize, &addr) && pop(v, addr) && push(v, in->tr);
  case MW_KIND_STORE:
    return read_memarg(v, in->memsize, &addr) && pop(v, in->t1) && pop(v, addr);
  }
  return false;
}

/* Locals: the parameters, then the declared runs, all of the subset. */
static bool setup_locals(fv *v, const mw_functype *t, const mw_code_body *body) {
  uint64_t n = (uint64_t)t->nparams + body->nlocals;
  if (n > MW_MAX_LOCALS) return false;
  if (!grow(v->s->a, (void **)&v->s->locals, &v->s->cap_locals, (uint32_t)n + 1,
            MW_MAX_LOCALS + 1, 1))
    return false;
  v->locals = v->s->locals;
  v->nlocals = (uint32_t)n;
  for (uint32_t i = 0; i < t->nparams; i++) v->locals[i] = (uint8_t)t->types[i];
  uint32_t at = t->nparams;
  for (uint32_t r = 0; r < body->nlocal_runs; r++) {
    mw_valtype lt = body->local_runs[r].type;
    uint32_t count = body->local_runs[r].count;
    if (!simple(lt) || count > v->nlocals - at) return false;
    memset(v->locals + at, (uint8_t)lt, count);
    at += count;
  }
  return at == v->nlocals;
}

bool mwv_fast_body(const mw_module *m, uint32_t di, mwv_fast_scratch *s) {
  /* below Wasm 2.0 the rules differ in details: compile.c knows them */
  if ((m->features & MWV_FAST_FEATURES) != MWV_FAST_FEATURES) return false;
  const mw_code_body *body = &m->codes[di];
  fv v;
  memset(&v, 0, sizeof v);
  v.m = m;
  v.s = s;
  v.r.p = body->start;
  v.r.end = body->end;
  v.stack = s->stack;
  v.frames = s->frames;
  const mw_functype *t = simple_functype(&v, m->func_types[m->nfunc_imports + di]);
  if (!t || !setup_locals(&v, t, body)) return false;
  if (!push_frame(&v, K_FUNC, 0, NULL, t->nresults, MW_FT_RESULTS(t))) return false;
  bool done = false;
  while (!done) {
    if (v.r.p >= v.r.end || !instr(&v, &done) || v.r.fail) return false;
  }
  /* compile.c's limit (compile_body); everything but branch copies stays
   * well under 16 words per byte. */
  uint64_t len = (uint64_t)(body->end - body->start);
  return v.branch_words + 16 * len <= len * MW_CODE_WORDS_PER_BYTE + 4096;
}
