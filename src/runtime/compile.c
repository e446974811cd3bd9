/*
 * compile.c -- validate one function body and compile it, in a single pass,
 * into the slot-addressed code of ir.h.
 *
 * The validator follows the algorithm of the spec's appendix ("Validation
 * Algorithm"): an operand stack of types and a stack of control frames, with
 * an "unknown" type for values popped from the polymorphic stack of
 * unreachable code.  Each operand-stack entry also records the slot that
 * holds the value: normally its canonical slot (nlocals + height), or the
 * slot of a local when it came from local.get and no copy was needed yet
 * ("deferred"), or no slot at all for a constant not yet written anywhere,
 * or an i32 sum not computed yet: a slot plus a constant ("addk", below).
 * Deferred entries are materialised (copied or written to their canonical
 * slot) when the local is overwritten, when a block starts, and whenever a
 * value must be at its canonical place: call arguments, block results,
 * branch values.  Four peepholes come from this bookkeeping:
 *  - a value just computed into a temporary and then stored with
 *    local.set/tee is written straight into the local instead (the
 *    producer's dst operand is patched);
 *  - a constant right operand of the binaries of MW_IMM_BINOPS becomes an
 *    immediate (IMM_ forms), so `x + 1` is one instruction;
 *  - an i32 comparison consumed by br_if or if becomes a compare-and-branch
 *    (BR_/BRI_ forms, ir.h);
 *  - `local + constant` is an addk entry until something needs its value;
 *    a load or store taking it as its address puts the constant in its
 *    address form instead (_K, ir_index.h's _XSK).  That is how clang
 *    addresses the arrays of a stack frame, `sp + 256 + (i << 2)`, and
 *    the sum is rarely the instruction right before the access.
 *
 * Forward branches are chained through their unresolved target words and
 * patched when the label's `end` is reached.
 */
#include "internal.h"
#include "reader.h"

#define NO_POS UINT32_MAX
#define T_UNKNOWN 0 /* the bottom type of the polymorphic stack */

typedef struct entry {
  mw_valtype type;
  bool is_const;  /* a constant not yet written: `imm` holds its bits */
  bool is_addk;   /* an i32 not computed yet: slot.u32 + (uint32_t)imm */
  uint32_t slot;  /* where the value is (for a constant: where it would go;
                     for addk: the slot added to, a local or its own canon) */
  uint64_t imm;
  uint32_t canon; /* its canonical slot: the first one past the entries below */
} entry;

typedef enum {
  FRAME_FUNC, FRAME_BLOCK, FRAME_LOOP, FRAME_IF, FRAME_ELSE,
  /* exception handling (compile_eh.h): try_table; legacy try in its body,
   * and in a catch or catch_all clause */
  FRAME_TRY_TABLE, FRAME_TRY, FRAME_CATCH
} frame_kind;

typedef struct ctrl {
  frame_kind kind;
  uint32_t nparams, nresults;
  const mw_valtype *params, *results;
  uint32_t height;       /* operand stack height below the block's params */
  bool unreachable;      /* the rest of this block is unreachable */
  bool dead;             /* the block itself started in unreachable code */
  uint32_t loop_pc;      /* loop: the branch target */
  uint32_t chain;        /* forward jumps to `end`: head of the patch chain */
  uint32_t else_site;    /* if: the JUMP_UNLESS target word to patch */
  uint32_t stub;         /* br_table: this label's copy stub ... */
  uint32_t stub_serial;  /* ... if made for br_table number stub_serial */
  uint32_t init_base;    /* c->ninits when the block started */
  uint32_t eh_start;     /* exception handling (compile_eh.h): the try body */
  uint32_t eh_region;    /* its region, once closed, or NO_POS */
  uint32_t eh_catches;   /* legacy: its first clause in c->eh_clauses */
  uint32_t eh_level;     /* legacy catch: its hidden exnref slot's level */
  bool eh_all;           /* legacy: a catch_all clause was seen */
} ctrl;

/* Storage for the result type of a block typed by one value type that is
 * not in valtype_words: a list freed with the compiler. */
struct one_type {
  struct one_type *next;
  mw_valtype type;
};

typedef struct compiler {
  mw_module *m;
  const mw_allocator *a;
  mwd_reader r;               /* over the body's instructions */
  bool at_module_end;         /* body ends where the module ends */

  uint32_t nlocals;
  mw_valtype *local_types;
  uint8_t *local_unset;       /* non-defaultable locals not yet set (bit per
                                 local), or NULL when there are none */
  uint32_t *local_slots;      /* the first slot of each local (ir.h) */
  uint32_t nlocal_slots;      /* slots of all locals: where operands start */

  entry *stack;
  uint32_t height, cap_stack;
  uint32_t max_slot;          /* one past the highest slot any value used */

  ctrl *ctrls;
  uint32_t nctrls, cap_ctrls;

  mw_word *code;
  uint32_t ncode, cap_code;
  uint32_t *acc_meta;         /* per code word, for mwc_acc_pass (acc.h) */
  uint32_t cap_meta;
  uint32_t max_code;          /* implementation limit for this body */
  uint32_t br_tables;         /* serial numbers for ctrl.stub_serial */
  uint32_t fuse_pos;          /* dst word of the last producer, or NO_POS */
  uint32_t fuse_height;       /* the height its result was pushed at */
  uint32_t last_pos;          /* start of the last instruction emitted and */
  uint32_t prev_pos;          /* of the one before, or NO_POS: no jump lands
                               * between them and the next one (fusion) */

  /* Non-defaultable locals (Wasm 3.0): a local.set marks one set until
   * the end of the block it happened in; `inits` lists the locals marked,
   * innermost block last, and each frame remembers where its part starts. */
  uint32_t *inits;
  uint32_t ninits, cap_inits;

  mwt_rd td;                  /* reading types (types.c) */
  struct one_type *ones;      /* single block types that need storage */

  uint32_t meter_site;        /* the open METER instruction, or NO_POS */
  uint32_t meter_count;       /* wasm instructions since it */
  uint64_t meter_cost;

  /* exception handling (compile_eh.h) */
  mw_word *eh_regions;        /* start, end, record: 3 words each */
  uint32_t neh_regions, cap_eh_regions;
  mw_word *eh_clauses;        /* pending legacy catch clauses, 5 words each */
  uint32_t neh_clauses, cap_eh_clauses;
  mw_word *eh_catch_words;    /* try_table: the clauses read, 3 words each */
  uint32_t neh_catch, cap_eh_catch;
  uint32_t eh_hidden;         /* hidden exnref slots reserved after the locals */
  uint32_t eh_need;           /* ... and how many the body needs */
  uint32_t eh_hidden_base;    /* the first of them */

  mw_error *err;
  mw_gc_map_builder gcmap;    /* gc_map.c: where traced references live */
} compiler;

/* Block types of one result point into this table for their result list. */
static const mw_valtype valtype_words[] = {MW_I32, MW_I64, MW_F32, MW_F64,
                                           MW_V128, MW_FUNCREF, MW_EXTERNREF};

/* ---------------------------------------------------------------- errors */

/* a <: b in the module being compiled (a == b: the common case). */
static bool sub(const compiler *c, mw_valtype a, mw_valtype b) {
  return a == b || mwt_val_sub(c->m, a, b);
}

static bool fail(compiler *c, mw_error_kind kind, const char *msg) {
  if (!c->err) c->err = mw_errorf(kind, "%s", msg);
  return false;
}

static bool invalid(compiler *c, const char *msg) {
  return fail(c, MW_ERR_INVALID, msg);
}

/* "unknown table 3": the spec's text followed by the index. */
static bool unknown(compiler *c, const char *what, uint64_t index) {
  if (!c->err) c->err = mw_errorf(MW_ERR_INVALID, "%s %llu", what, (unsigned long long)index);
  return false;
}

static bool malformed(compiler *c, const char *msg) {
  return fail(c, MW_ERR_MALFORMED, msg);
}

static bool oom(compiler *c) {
  if (!c->err) c->err = mw_error_oom();
  return false;
}

/* ---------------------------------------------------------------- reading */

/* Reads go through reader.h, whose first error sticks; it becomes ours. */
static bool reader_ok(compiler *c) {
  return c->r.fail ? malformed(c, mw_msg_for_edition(c->m->features, c->r.fail)) : true;
}

static bool read_byte(compiler *c, uint8_t *out) {
  *out = mwd_u8(&c->r);
  return reader_ok(c);
}

static bool read_u32(compiler *c, uint32_t *out) {
  *out = mwd_u32(&c->r);
  return reader_ok(c);
}

static bool read_sleb(compiler *c, int bits, uint64_t *out) {
  *out = (uint64_t)mwd_sleb(&c->r, bits);
  return reader_ok(c);
}

static bool read_fixed(compiler *c, unsigned n, uint64_t *out) {
  *out = mwd_fixed(&c->r, n);
  return reader_ok(c);
}

/* ---------------------------------------------------------------- emitting */

static bool emitting(const compiler *c) {
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  return !f->unreachable && !f->dead;
}

static bool reserve_code(compiler *c, uint32_t n) {
  if (c->ncode + n <= c->cap_code) return true;
  if ((uint64_t)c->ncode + n > c->max_code) return invalid(c, MW_MSG_LIMIT_CODE);
  uint32_t cap = c->cap_code ? c->cap_code : 64;
  while (cap < c->ncode + n) {
    if (cap > UINT32_MAX / 2) return oom(c);
    cap *= 2;
  }
  uint32_t *meta = mw_realloc(c->a, c->acc_meta, c->cap_meta * sizeof *meta,
                              cap * sizeof *meta);
  if (!meta) return oom(c);
  c->acc_meta = meta;
  c->cap_meta = cap;
  mw_word *code = mw_realloc(c->a, c->code, c->cap_code * sizeof *code,
                             cap * sizeof *code);
  if (!code) return oom(c);
  c->code = code;
  c->cap_code = cap;
  return true;
}

/* acc.h: words written other than by emit() (br_table, exception
 * records) follow no instruction the accumulator pass may pair them with. */
static void acc_raw(compiler *c, uint32_t at, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) c->acc_meta[at + i] = MWC_META_RAW; /* ir_move.h */
}

/* Emit an instruction of n words (op first).  Any emission ends the chance
 * to fuse a producer with a following local.set. */
static bool emit(compiler *c, uint32_t n, const mw_word *words) {
  c->fuse_pos = NO_POS;
  if (!emitting(c)) return true;
  if (!reserve_code(c, n)) return false;
  c->prev_pos = c->last_pos;
  c->last_pos = c->ncode;
  memcpy(c->code + c->ncode, words, n * sizeof *words);
  /* acc.h: this instruction, and the one it falls through from */
  c->acc_meta[c->ncode] = c->prev_pos == NO_POS ? 1 : c->prev_pos + 2;
  for (uint32_t i = 1; i < n; i++) c->acc_meta[c->ncode + i] = 0;
  c->ncode += n;
  return true;
}

#define EMIT(c, ...)                                                      \
  emit((c), (uint32_t)(sizeof((mw_word[]){__VA_ARGS__}) / sizeof(mw_word)), \
       (mw_word[]){__VA_ARGS__})

/* The current position becomes a jump target: the instructions before it
 * may no longer be fused with the ones after it. */
static void mark_label(compiler *c) {
  c->last_pos = NO_POS;
  c->prev_pos = NO_POS;
}

/* The last instruction emitted, if it is `op` and no label follows it. */
static bool last_is(const compiler *c, int op) {
  return c->last_pos != NO_POS && c->code[c->last_pos] == (mw_word)op;
}

/* Slots a value of type t takes (ir.h); an unknown type only occurs in
 * unreachable code, which emits nothing: give it the larger width. */
static uint32_t width(mw_valtype t) {
  return t == MW_V128 || t == T_UNKNOWN ? 2 : 1;
}

/* The canonical slot of the value at `height`: right after the values
 * below it (heights below c->height only read live entries). */
static uint32_t canonical(const compiler *c, uint32_t height) {
  if (height == 0) return c->nlocal_slots;
  const entry *e = &c->stack[height - 1];
  return e->canon + width(e->type);
}

static bool emit_move(compiler *c, mw_valtype type, uint32_t dst, uint32_t src) {
  if (dst == src) return true;
  return EMIT(c, type == MW_V128 ? MW_OP_COPY_V128 : MW_OP_COPY, dst, src);
}

/* ---------------------------------------------------------------- statistics */

/* In modules decoded to count (mw_config.count_*), each straight-line
 * segment of code starts with METER, which adds the segment's instruction
 * count and cost when it runs.  Segments start at the function entry, at
 * every label, and after every conditional jump. */
static void close_segment(compiler *c) {
  if (c->meter_site != NO_POS) {
    c->code[c->meter_site + 1] = c->meter_count;
    c->code[c->meter_site + 2] =
        c->meter_cost > UINT32_MAX ? UINT32_MAX : (mw_word)c->meter_cost;
  }
  c->meter_site = NO_POS;
  c->meter_count = 0;
  c->meter_cost = 0;
}

static bool start_segment(compiler *c) {
  if (!c->m->metered) return true;
  close_segment(c);
  if (!emitting(c)) return true;
  if (!EMIT(c, MW_OP_METER, 0, 0)) return false;
  c->meter_site = c->ncode - 3;
  return true;
}

static void count_instruction(compiler *c, int op) {
  c->meter_count++;
  c->meter_cost += c->m->cost_table ? c->m->cost_table[op] : 1;
}

/* ---------------------------------------------------------------- operand stack */

static bool push(compiler *c, mw_valtype type, uint32_t slot) {
  if (c->height >= MW_MAX_STACK_HEIGHT) return invalid(c, MW_MSG_LIMIT_STACK);
  if (c->height == c->cap_stack) {
    uint32_t cap = c->cap_stack ? c->cap_stack * 2 : 32;
    entry *s = mw_realloc(c->a, c->stack, c->cap_stack * sizeof *s, cap * sizeof *s);
    if (!s) return oom(c);
    c->stack = s;
    c->cap_stack = cap;
  }
  uint32_t canon = canonical(c, c->height);
  c->stack[c->height++] = (entry){type, false, false, slot, 0, canon};
  if (canon + width(type) > c->max_slot) c->max_slot = canon + width(type);
  return true;
}

/* Pop a value that must have type `want` (T_UNKNOWN: any type), leaving
 * a constant unwritten and an addk sum uncomputed (for the callers that
 * fold them into an instruction). */
static bool pop_entry(compiler *c, mw_valtype want, entry *out) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  if (c->height == f->height) {
    if (!f->unreachable) return invalid(c, MW_MSG_TYPE_MISMATCH);
    uint32_t slot = canonical(c, c->height);
    *out = (entry){T_UNKNOWN, false, false, slot, 0, slot};
    return true;
  }
  entry e = c->stack[--c->height];
  if (want != T_UNKNOWN && e.type != T_UNKNOWN && e.type != want && !sub(c, e.type, want))
    return invalid(c, MW_MSG_TYPE_MISMATCH);
  *out = e;
  return true;
}

static bool emit_producer_at(compiler *c, uint32_t n, const mw_word *words,
                             uint32_t height);

/* Compute the addk sum `e` into `dst`: a producer, like a constant. */
static bool emit_addk(compiler *c, const entry *e, uint32_t dst, uint32_t height) {
  mw_word w[] = {MW_OP_IMM_I32_ADD, dst, e->slot, (mw_word)e->imm};
  return emit_producer_at(c, 4, w, height);
}

/* Compute the addk sum `e` (at `height`) into its canonical slot, where
 * it is from then on. */
static bool settle_addk(compiler *c, entry *e, uint32_t height) {
  e->is_addk = false;
  if (!emit_addk(c, e, e->canon, height)) return false;
  e->slot = e->canon;
  return true;
}

/* Pop a value, computing an addk sum into its canonical slot (a constant
 * stays unwritten: the caller may fold it into an instruction). */
static bool pop_raw(compiler *c, mw_valtype want, entry *out) {
  if (!pop_entry(c, want, out)) return false;
  return !out->is_addk || settle_addk(c, out, c->height);
}

/* Write a constant to `dst`: a producer, so local.set may retarget it. */
static bool emit_const(compiler *c, mw_valtype type, uint64_t bits, uint32_t dst,
                       uint32_t height) {
  if (type == MW_I64 || type == MW_F64) {
    mw_word w[] = {type == MW_I64 ? MW_OP_I64_CONST : MW_OP_F64_CONST, dst,
                   (mw_word)bits, (mw_word)(bits >> 32)};
    return emit_producer_at(c, 4, w, height);
  }
  if (mw_valtype_is_reference(type)) {
    mw_word w[] = {MW_OP_REF_NULL, dst};
    return emit_producer_at(c, 2, w, height);
  }
  mw_word w[] = {type == MW_I32 ? MW_OP_I32_CONST : MW_OP_F32_CONST, dst, (mw_word)bits};
  return emit_producer_at(c, 3, w, height);
}

/* Pop a value into a slot the next instruction can read. */
static bool pop(compiler *c, mw_valtype want, entry *out) {
  if (!pop_raw(c, want, out)) return false;
  if (!out->is_const) return true;
  out->is_const = false;
  return emit_const(c, out->type, out->imm, out->slot, c->height);
}

/* Copy a deferred entry to its canonical slot. */
static bool materialize_at(compiler *c, uint32_t h) {
  entry *e = &c->stack[h];
  uint32_t slot = e->canon;
  if (e->is_const) {
    e->is_const = false;
    e->slot = slot;
    return emit_const(c, e->type, e->imm, slot, h);
  }
  if (e->is_addk) return settle_addk(c, e, h);
  if (e->slot == slot) return true;
  if (!emit_move(c, e->type, slot, e->slot)) return false;
  e->slot = slot;
  return true;
}

static bool materialize_all(compiler *c) {
  for (uint32_t h = 0; h < c->height; h++)
    if (!materialize_at(c, h)) return false;
  return true;
}

static bool materialize_top(compiler *c, uint32_t n) {
  for (uint32_t h = c->height - n; h < c->height; h++)
    if (!materialize_at(c, h)) return false;
  return true;
}

/* Take the top n operands off the stack, in consecutive canonical slots
 * from canonical(c, c->height) on (call arguments, thrown values, GC
 * operands); in unreachable code missing ones are polymorphic. */
static bool pop_operands(compiler *c, uint32_t n) {
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  c->fuse_pos = NO_POS;
  if (c->height - f->height >= n) {
    if (emitting(c) && !materialize_top(c, n)) return false;
    c->height -= n;
  } else {
    c->height = f->height;
  }
  return true;
}

/* Before a local is overwritten, entries still reading it (addk sums
 * included) get their copy. */
static bool materialize_local(compiler *c, uint32_t local) {
  for (uint32_t h = 0; h < c->height; h++)
    if (!c->stack[h].is_const && c->stack[h].slot == local && !materialize_at(c, h))
      return false;
  return true;
}

/* Check that the top values match `types` (the label or block types),
 * respecting the polymorphic stack.  Leaves the stack as it was. */
static bool check_top(compiler *c, uint32_t n, const mw_valtype *types) {
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  uint32_t avail = c->height - f->height;
  if (avail < n && !f->unreachable) return invalid(c, MW_MSG_TYPE_MISMATCH);
  for (uint32_t i = 0; i < n && i < avail; i++) {
    mw_valtype have = c->stack[c->height - 1 - i].type;
    mw_valtype want = types[n - 1 - i];
    if (have != T_UNKNOWN && !sub(c, have, want)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  }
  return true;
}

/* ---------------------------------------------------------------- control frames */

static bool push_ctrl(compiler *c, frame_kind kind, uint32_t np, const mw_valtype *params,
                      uint32_t nr, const mw_valtype *results) {
  if (c->nctrls >= MW_MAX_BLOCK_DEPTH) return invalid(c, MW_MSG_LIMIT_BLOCKS);
  if (c->nctrls == c->cap_ctrls) {
    uint32_t cap = c->cap_ctrls ? c->cap_ctrls * 2 : 16;
    if (cap > MW_MAX_BLOCK_DEPTH) cap = MW_MAX_BLOCK_DEPTH;
    ctrl *s = mw_realloc(c->a, c->ctrls, c->cap_ctrls * sizeof *s, cap * sizeof *s);
    if (!s) return oom(c);
    c->ctrls = s;
    c->cap_ctrls = cap;
  }
  bool dead = c->nctrls > 0 && !emitting(c);
  ctrl *f = &c->ctrls[c->nctrls++];
  *f = (ctrl){kind, np, nr, params, results, c->height - np, false, dead,
              c->ncode, NO_POS, NO_POS, NO_POS, 0, c->ninits, c->ncode, NO_POS, 0, 0, false};
  return true;
}

static void close_segment(compiler *c);

static void set_unreachable(compiler *c) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  c->height = f->height;
  f->unreachable = true;
  c->fuse_pos = NO_POS;
  mark_label(c);
  close_segment(c); /* dead code counts for nothing */
}

/* Label types: a loop's label takes its params, other labels its results. */
static uint32_t label_arity(const ctrl *f) {
  return f->kind == FRAME_LOOP ? f->nparams : f->nresults;
}

static const mw_valtype *label_types(const ctrl *f) {
  return f->kind == FRAME_LOOP ? f->params : f->results;
}

/* Append a forward-jump target word to frame f's patch chain. */
static void chain_site(compiler *c, ctrl *f, uint32_t site) {
  c->code[site] = f->chain;
  f->chain = site;
}

static void patch_chain(compiler *c, uint32_t head, uint32_t target) {
  while (head != NO_POS) {
    uint32_t next = c->code[head];
    c->code[head] = target;
    head = next;
  }
}

/* Put value `e` in slot `dst`, leaving the entry as it is. */
static bool emit_value_to(compiler *c, const entry *e, uint32_t dst) {
  if (e->is_const) return emit_const(c, e->type, e->imm, dst, NO_POS);
  if (e->is_addk) return emit_addk(c, e, dst, NO_POS);
  return emit_move(c, e->type, dst, e->slot);
}

/* Copy the top `n` values to the canonical slots of a label whose values
 * start at height `base`.  Ascending order is safe: each source sits at or
 * above its destination, or in a local below all of them (a v128 copy may
 * overlap its source by one slot: COPY_V128 allows it). */
static bool emit_label_copies(compiler *c, uint32_t n, uint32_t base) {
  uint32_t dst = canonical(c, base);
  for (uint32_t k = 0; k < n; k++) {
    const entry *e = &c->stack[c->height - n + k];
    if (!emit_value_to(c, e, dst)) return false;
    dst += width(e->type);
  }
  return true;
}

static bool needs_label_copies(const compiler *c, uint32_t n, uint32_t base) {
  uint32_t dst = canonical(c, base);
  for (uint32_t k = 0; k < n; k++) {
    const entry *e = &c->stack[c->height - n + k];
    if (e->is_const || e->is_addk || e->slot != dst) return true;
    dst += width(e->type);
  }
  return false;
}

/* Results go to fp[0..n-1], which may be locals that other results are
 * read from.  With several results, first gather them in their canonical
 * slots (above all locals), then move them down in ascending order.  The
 * entries are left untouched: this may be a conditional path (br_if,
 * br_table) and the fall-through path must still find them where they were. */
static bool emit_return(compiler *c) {
  const ctrl *fn = &c->ctrls[0];
  uint32_t n = fn->nresults;
  if (!emitting(c)) return true;
  uint32_t base = c->height - n;
  for (uint32_t k = 0; n > 1 && k < n; k++) {
    const entry *e = &c->stack[base + k];
    if (!e->is_const && !emit_value_to(c, e, e->canon)) return false;
  }
  for (uint32_t k = 0, dst = 0; k < n; k++) {
    const entry *e = &c->stack[base + k];
    bool ok = n > 1 && !e->is_const ? emit_move(c, e->type, dst, e->canon)
                                    : emit_value_to(c, e, dst);
    if (!ok) return false;
    dst += width(e->type);
  }
  return EMIT(c, MW_OP_RETURN);
}

/* Emit the jump (with its value copies) for a branch to label `depth`.
 * The values are the top label_arity entries (already type-checked). */
static bool emit_branch(compiler *c, uint32_t depth) {
  ctrl *f = &c->ctrls[c->nctrls - 1 - depth];
  if (!emitting(c)) return true;
  if (f->kind == FRAME_FUNC) return emit_return(c);
  if (!emit_label_copies(c, label_arity(f), f->height)) return false;
  if (f->kind == FRAME_LOOP) return EMIT(c, MW_OP_JUMP_LOOP, f->loop_pc);
  if (!EMIT(c, MW_OP_JUMP, 0)) return false;
  chain_site(c, f, c->ncode - 1);
  return true;
}

/* ---------------------------------------------------------------- immediates */

static bool read_blocktype(compiler *c, uint32_t *np, const mw_valtype **params,
                           uint32_t *nr, const mw_valtype **results) {
  uint64_t v;
  if (c->r.p >= c->r.end) return malformed(c, MW_MSG_UNEXPECTED_END_SECTION);
  uint8_t b = *c->r.p;
  *np = 0;
  *params = NULL;
  if (b == 0x40) {
    c->r.p++;
    *nr = 0;
    *results = NULL;
    return true;
  }
  for (size_t i = 0; i < sizeof valtype_words / sizeof valtype_words[0]; i++) {
    if (b == valtype_words[i]) {
      c->r.p++;
      *nr = 1;
      *results = &valtype_words[i];
      return true;
    }
  }
  if ((b & 0xc0) == 0x40) { /* any other value type (Wasm 3.0) */
    mw_valtype t = mwt_read_valtype(&c->td);
    if (!reader_ok(c)) return false;
    if (!mwt_valtype_ok(c->m, t)) return unknown(c, MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(t));
    struct one_type *o = mw_alloc(c->a, sizeof *o);
    if (!o) return oom(c);
    o->type = t;
    o->next = c->ones;
    c->ones = o;
    *nr = 1;
    *results = &o->type;
    return true;
  }
  if (!read_sleb(c, 33, &v)) return false;
  if ((int64_t)v < 0) return malformed(c, MW_MSG_VALTYPE);
  if (v >= c->m->ntypes) return unknown(c, MW_MSG_UNKNOWN_TYPE, v);
  if (!(c->m->features & MW_FEATURE_MULTI_VALUE)) return invalid(c, MW_MSG_INVALID_RESULT_ARITY);
  const mw_functype *t = c->m->types[v];
  if (t->comp != MW_COMP_FUNC) return invalid(c, MW_MSG_TYPE_MISMATCH);
  *np = t->nparams;
  *params = MW_FT_PARAMS(t);
  *nr = t->nresults;
  *results = MW_FT_RESULTS(t);
  return true;
}

static bool has_feature(const compiler *c, uint32_t feature) {
  return (c->m->features & feature) != 0;
}

/* call_indirect's table: a u32 index since reference types, a reserved
 * zero byte before them (Wasm 1.0: "zero flag expected"). */
static bool read_call_table(compiler *c, uint32_t *table) {
  if (has_feature(c, MW_FEATURE_REFERENCE_TYPES)) return read_u32(c, table);
  *table = mwd_memidx(&c->r, false);
  return reader_ok(c);
}

/* The memarg of a load or store (reader.h): the memory exists, the
 * alignment is at most natural, and an i32 memory's offset fits 32 bits
 * (a u64 offset is read only with memory64), in the reference's order. */
static bool read_memarg(compiler *c, unsigned memsize, mwd_memarg *out) {
  *out = mwd_memarg_read(&c->r, has_feature(c, MW_FEATURE_MULTI_MEMORY),
                         has_feature(c, MW_FEATURE_MEMORY64));
  if (!reader_ok(c)) return false;
  if (out->mem >= c->m->nmemories) return unknown(c, MW_MSG_UNKNOWN_MEMORY, out->mem);
  unsigned natural = memsize == 16 ? 4 : memsize == 8 ? 3 : memsize == 4 ? 2
                   : memsize == 2 ? 1 : 0;
  if (out->align > natural) return invalid(c, MW_MSG_ALIGNMENT);
  if (!c->m->memories[out->mem].limits.is64 && out->offset > UINT32_MAX)
    return invalid(c, MW_MSG_OFFSET_RANGE);
  return true;
}

/* The memory index of memory.size, grow, fill, copy, init (reader.h). */
static bool read_memory(compiler *c, uint32_t *x) {
  *x = mwd_memidx(&c->r, has_feature(c, MW_FEATURE_MULTI_MEMORY));
  if (!reader_ok(c)) return false;
  return *x < c->m->nmemories ? true : unknown(c, MW_MSG_UNKNOWN_MEMORY, *x);
}

/* The type of addresses into memory x: i64 for a memory64 memory. */
static mw_valtype addr_type(const compiler *c, uint32_t x) {
  return c->m->memories[x].limits.is64 ? MW_I64 : MW_I32;
}

/* Memory 0 of type i32 keeps the interpreter's fast forms (its base and
 * size are cached); any other memory goes through the X forms (ir.h). */
static bool fast_memory(const compiler *c, uint32_t x) {
  return x == 0 && !c->m->memories[0].limits.is64;
}

static bool read_table(compiler *c, uint32_t *t) {
  if (!read_u32(c, t)) return false;
  return *t < c->m->ntables ? true : unknown(c, MW_MSG_UNKNOWN_TABLE, *t);
}

static bool read_elem(compiler *c, uint32_t *e) {
  if (!read_u32(c, e)) return false;
  return *e < c->m->nelems ? true : unknown(c, MW_MSG_UNKNOWN_ELEM, *e);
}

/* The decoder has already required a data count section wherever data
 * segments exist, and checked it against the data section. */
static bool check_data(compiler *c, uint32_t d) {
  return d < c->m->ndatas ? true : unknown(c, MW_MSG_UNKNOWN_DATA, d);
}

static bool read_data(compiler *c, uint32_t *d) {
  return read_u32(c, d) && check_data(c, *d);
}

/* A heap type immediate (ref.null, ...): read, and its index exists. */
static bool read_heaptype(compiler *c, uint32_t *ht) {
  *ht = mwt_read_heaptype(&c->td);
  if (!reader_ok(c)) return false;
  if (!mwt_valtype_ok(c->m, (mw_valtype)*ht))
    return unknown(c, MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(*ht));
  return true;
}

/* ---------------------------------------------------------------- instruction families */

/* A producer: an instruction whose word 1 is the dst slot of a fresh value
 * pushed at the current top; local.set/tee may retarget it. */
/* Emit an instruction writing word 1 (dst) for the value at `height`
 * (NO_POS: a value no entry stands for), and remember it for fusion. */
static bool emit_producer_at(compiler *c, uint32_t n, const mw_word *words,
                             uint32_t height) {
  uint32_t pos = c->ncode;
  bool live = emitting(c);
  if (!emit(c, n, words)) return false;
  if (live && height != NO_POS) {
    c->fuse_pos = pos + 1;
    c->fuse_height = height;
  }
  return true;
}

static bool emit_producer(compiler *c, uint32_t n, const mw_word *words,
                          mw_valtype type) {
  uint32_t h = c->height;
  return emit_producer_at(c, n, words, h) && push(c, type, canonical(c, h));
}

static bool op_unary(compiler *c, int op, const mw_opinfo *info) {
  entry a;
  if (!pop(c, info->t1, &a)) return false;
  uint32_t dst = canonical(c, c->height);
  mw_word w[] = {(mw_word)op, dst, a.slot};
  return emit_producer(c, 3, w, info->tr);
}

/* The IMM_ form of a binary operator (ir.h), or -1. */
static int imm_form(int op) {
  switch (op) {
#define MW_X_CASE(NAME, ...) case MW_OP_##NAME: return MW_OP_IMM_##NAME;
    MW_IMM_BINOPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The IMM_ (or, `reverse`: the constant on the left, IMMR_) form of a
 * float binary (ir_fuse.h), or -1. */
static int float_imm_form(int op, bool reverse) {
  switch (op) {
#define MW_X_CASE(NAME, ...) \
  case MW_OP_##NAME: return reverse ? MW_OP_IMMR_##NAME : MW_OP_IMM_##NAME;
    MW_FLOAT_IMM_BINOPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The ir_wide.h form of the binary `op` with the constant *k as its
 * right operand, or -1: a division never by 0 or (signed) -1, which
 * cannot trap; an i64 operation whose constant IMM_ could not hold (its
 * caller tries IMM_ first); x - K is x + (-K). */
static int wide_imm_form(int op, uint64_t *k) {
  uint64_t v = *k; /* an i32 constant is held in the low 32 bits */
  bool i32_bad = v == 0 || v == UINT32_MAX, i64_bad = v == 0 || v == UINT64_MAX;
  switch (op) {
  case MW_OP_I32_DIV_S: return i32_bad ? -1 : MW_OP_IMMD_I32_DIV_S;
  case MW_OP_I32_REM_S: return i32_bad ? -1 : MW_OP_IMMD_I32_REM_S;
  case MW_OP_I32_DIV_U: return v == 0 ? -1 : MW_OP_IMMD_I32_DIV_U;
  case MW_OP_I32_REM_U: return v == 0 ? -1 : MW_OP_IMMD_I32_REM_U;
  case MW_OP_I64_DIV_S: return i64_bad ? -1 : MW_OP_IMMW_I64_DIV_S;
  case MW_OP_I64_REM_S: return i64_bad ? -1 : MW_OP_IMMW_I64_REM_S;
  case MW_OP_I64_DIV_U: return v == 0 ? -1 : MW_OP_IMMW_I64_DIV_U;
  case MW_OP_I64_REM_U: return v == 0 ? -1 : MW_OP_IMMW_I64_REM_U;
  case MW_OP_I64_SUB: *k = 0 - *k; return MW_OP_IMMW_I64_ADD; /* unsigned: -INT64_MIN wraps */
  case MW_OP_I64_ADD: return MW_OP_IMMW_I64_ADD;
  case MW_OP_I64_MUL: return MW_OP_IMMW_I64_MUL;
  case MW_OP_I64_AND: return MW_OP_IMMW_I64_AND;
  case MW_OP_I64_OR: return MW_OP_IMMW_I64_OR;
  case MW_OP_I64_XOR: return MW_OP_IMMW_I64_XOR;
  default: return -1;
  }
}

/* The IB_ form (ir.h) of `imm_op` followed by `op`, or -1. */
static int imm_bin_form(mw_word imm_op, int op) {
#define MW_X_IF(N1, N2, ...) \
  if (imm_op == MW_OP_IMM_##N1 && op == MW_OP_##N2) return MW_OP_IB_##N1##__##N2;
  MW_IMM_BIN_FUSED(MW_X_IF)
#undef MW_X_IF
  return -1;
}

/* The BB_ form (ir_fuse.h) of the binary `first` followed by `op`, or
 * -1; `reverse` (the first one's result is op's right operand) selects
 * the BBR_ form. */
static int bin_bin_form(mw_word first, int op, bool reverse) {
#define MW_X_IF(N1, N2, ...)                       \
  if (first == MW_OP_##N1 && op == MW_OP_##N2)     \
    return reverse ? MW_OP_BBR_##N1##__##N2 : MW_OP_BB_##N1##__##N2;
  MW_BIN_BIN_FUSED(MW_X_IF)
#undef MW_X_IF
  return -1;
}

/* The binary `op` of slots a and b, where one of them may be the value
 * just computed by an IMM_ instruction (or a binary of MW_BIN_BIN_FUSED)
 * and used by nothing else: then the two become one IB_ (BB_, BBR_)
 * instruction.  Returns false with *done unset when there is nothing to
 * fuse. */
static bool fuse_imm_bin(compiler *c, int op, const mw_opinfo *info, const entry *a,
                         const entry *b, bool *done) {
  *done = false;
  if (c->fuse_pos == NO_POS || c->fuse_pos != c->last_pos + 1) return true;
  uint32_t h = c->height; /* a's height: both are popped */
  const entry *other;
  bool right; /* the first result is op's right operand */
  if (c->fuse_height == h + 1 && b->slot == canonical(c, h + 1)) other = a, right = true;
  else if (c->fuse_height == h && a->slot == canonical(c, h)) other = b, right = false;
  else return true;
  int form = imm_bin_form(c->code[c->last_pos], op);
  if (form < 0) form = bin_bin_form(c->code[c->last_pos], op, right);
  if (form < 0 && (form = mw_fib_form((int)c->code[c->last_pos], op, right)) >= 0) {
    /* ir_fbr.h FIB_: op d a lo hi b */
    const mw_word *fi = c->code + c->last_pos;
    mw_word w[] = {(mw_word)form, canonical(c, h), fi[2], fi[3], fi[4], other->slot};
    c->ncode = c->last_pos;
    c->last_pos = c->prev_pos;
    c->prev_pos = NO_POS;
    *done = true;
    return emit_producer(c, 6, w, info->tr);
  }
  if (form < 0) return true;
  const mw_word *imm = c->code + c->last_pos;
  mw_word w[] = {(mw_word)form, canonical(c, h), imm[2], imm[3], other->slot};
  c->ncode = c->last_pos;
  c->last_pos = c->prev_pos;
  c->prev_pos = NO_POS;
  *done = true;
  return emit_producer(c, 5, w, info->tr);
}

/* The II_ form (ir_fuse.h) of `first` (an IMM_ opcode) followed by
 * `imm_op`, or -1. */
static int imm_imm_form(mw_word first, int imm_op) {
#define MW_X_IF(N1, N2, ...) \
  if (first == MW_OP_IMM_##N1 && imm_op == MW_OP_IMM_##N2) return MW_OP_II_##N1##__##N2;
  MW_IMM_IMM_FUSED(MW_X_IF)
#undef MW_X_IF
  return -1;
}

/* The binary with an immediate `imm_op` k2 of `a`, where a may be the
 * value just computed by another IMM_ instruction and used by nothing
 * else: then the two become one instruction, an IMM_ with the constants
 * folded where that is exact, else an II_ form.  Returns false with
 * *done unset when there is nothing to fuse. */
static bool fuse_imm_imm(compiler *c, int imm_op, const mw_opinfo *info, const entry *a,
                         uint64_t k2, bool *done) {
  *done = false;
  uint32_t h = c->height; /* a's height: it is popped */
  if (c->fuse_pos == NO_POS || c->last_pos == NO_POS || c->fuse_pos != c->last_pos + 1 ||
      c->fuse_height != h || a->is_const || a->slot != canonical(c, h))
    return true;
  const mw_word *w1 = c->code + c->last_pos;
  mw_word first = w1[0];
  /* Only an IMM_ instruction (op dst src k) is read further: the last
   * producer may be shorter (a constant, global.get, a unary), and may
   * end the code written so far. */
  if (first != (mw_word)imm_op && imm_imm_form(first, imm_op) < 0) return true;
  mw_word src = w1[2], k1 = w1[3];
  int64_t s1 = (int32_t)k1, s2 = (int32_t)(uint32_t)k2, folded = 0;
  bool fold = false;
  if (first == (mw_word)imm_op) {
    switch (imm_op) {
    case MW_OP_IMM_I32_ADD: fold = true, folded = (int32_t)(k1 + (uint32_t)k2); break;
    case MW_OP_IMM_I64_ADD:
      folded = s1 + s2;
      fold = folded == (int32_t)folded;
      break;
    case MW_OP_IMM_I32_AND: case MW_OP_IMM_I64_AND: fold = true, folded = s1 & s2; break;
    case MW_OP_IMM_I32_OR: case MW_OP_IMM_I64_OR: fold = true, folded = s1 | s2; break;
    case MW_OP_IMM_I32_XOR: case MW_OP_IMM_I64_XOR: fold = true, folded = s1 ^ s2; break;
    default: break;
    }
  }
  int form = fold ? imm_op : imm_imm_form(first, imm_op);
  if (form < 0) return true;
  c->ncode = c->last_pos;
  c->last_pos = c->prev_pos;
  c->prev_pos = NO_POS;
  *done = true;
  if (fold) {
    mw_word w[] = {(mw_word)form, canonical(c, h), src, (mw_word)(uint32_t)folded};
    return emit_producer(c, 4, w, info->tr);
  }
  mw_word w[] = {(mw_word)form, canonical(c, h), src, k1, (mw_word)k2};
  return emit_producer(c, 5, w, info->tr);
}

/* With an integer constant k on the left, k <op> x, the form that takes
 * x and k (op dst x k): the IMM_ form of the operator that computes
 * x <op'> k (the same one where the operands commute, the mirrored
 * comparison), ir_wide.h's IMMR_ form, or -1. */
static int left_imm_form(int op) {
  switch (op) {
  case MW_OP_I32_ADD: case MW_OP_I32_MUL: case MW_OP_I32_AND: case MW_OP_I32_OR:
  case MW_OP_I32_XOR: case MW_OP_I32_EQ: case MW_OP_I32_NE:
  case MW_OP_I64_ADD: case MW_OP_I64_MUL: case MW_OP_I64_AND: case MW_OP_I64_OR:
  case MW_OP_I64_XOR: case MW_OP_I64_EQ: case MW_OP_I64_NE:
    return imm_form(op);
  case MW_OP_I32_LT_S: return MW_OP_IMM_I32_GT_S;
  case MW_OP_I32_LT_U: return MW_OP_IMM_I32_GT_U;
  case MW_OP_I32_GT_S: return MW_OP_IMM_I32_LT_S;
  case MW_OP_I32_GT_U: return MW_OP_IMM_I32_LT_U;
  case MW_OP_I32_LE_S: return MW_OP_IMM_I32_GE_S;
  case MW_OP_I32_LE_U: return MW_OP_IMM_I32_GE_U;
  case MW_OP_I32_GE_S: return MW_OP_IMM_I32_LE_S;
  case MW_OP_I32_GE_U: return MW_OP_IMM_I32_LE_U;
  case MW_OP_I64_LT_S: return MW_OP_IMM_I64_GT_S;
  case MW_OP_I64_LT_U: return MW_OP_IMM_I64_GT_U;
  case MW_OP_I64_GT_S: return MW_OP_IMM_I64_LT_S;
  case MW_OP_I64_GT_U: return MW_OP_IMM_I64_LT_U;
  case MW_OP_I64_LE_S: return MW_OP_IMM_I64_GE_S;
  case MW_OP_I64_LE_U: return MW_OP_IMM_I64_GE_U;
  case MW_OP_I64_GE_S: return MW_OP_IMM_I64_LE_S;
  case MW_OP_I64_GE_U: return MW_OP_IMM_I64_LE_U;
#define MW_X_CASE(NAME, ...) \
  case MW_OP_##NAME: return MW_OP_IMMR_##NAME;
    MW_IMMR_INT_OPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

static bool op_binary(compiler *c, int op, const mw_opinfo *info);

/* An entry whose value is in its slot: neither constant nor addk. */
static bool in_slot(const entry *e) {
  return !e->is_const && !e->is_addk;
}

/* i32.add and i32.sub on addk sums (the header comment): a local plus or
 * minus a constant, or an addk sum plus a constant, is pushed as a sum
 * not computed yet (nothing emitted); an addk sum plus any other value
 * computes slot + value now, by the ordinary path, and leaves the
 * constant deferred on the result.  Returns with *done unset when the
 * operands are none of these. */
static bool op_add_deferred(compiler *c, int op, const mw_opinfo *info, bool *done) {
  *done = false;
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  if (!emitting(c) || c->height < f->height + 2) return true;
  entry *a = &c->stack[c->height - 2], *b = &c->stack[c->height - 1];
  if (a->type != MW_I32 || b->type != MW_I32) return true;
  bool a_local = in_slot(a) && a->slot < c->nlocal_slots;
  bool b_local = in_slot(b) && b->slot < c->nlocal_slots;
  if (b->is_const && (a->is_addk || a_local)) { /* a + k, a - k */
    uint32_t k = op == MW_OP_I32_SUB ? 0u - (uint32_t)b->imm : (uint32_t)b->imm;
    a->imm = (uint32_t)((a->is_addk ? (uint32_t)a->imm : 0u) + k);
    a->is_addk = true;
    c->height--;
    *done = true;
    return true;
  }
  if (op != MW_OP_I32_ADD) return true;
  if (a->is_const && (b->is_addk || b_local)) { /* k + b */
    uint32_t k = (uint32_t)a->imm + (b->is_addk ? (uint32_t)b->imm : 0u);
    *a = (entry){MW_I32, false, true, b->slot, k, a->canon};
    c->height--;
    *done = true;
    return true;
  }
  entry *sum = a->is_addk && in_slot(b) ? a : b->is_addk && in_slot(a) ? b : NULL;
  if (!sum) return true;
  /* (slot + k) + x: slot + x now, as any add (fusions included), + k later */
  uint32_t k = (uint32_t)sum->imm;
  sum->is_addk = false;
  sum->imm = 0;
  if (!op_binary(c, op, info)) return false;
  entry *r = &c->stack[c->height - 1];
  r->is_addk = true;
  r->imm = k;
  *done = true;
  return true;
}

static bool op_binary(compiler *c, int op, const mw_opinfo *info) {
  entry a, b;
  if (op == MW_OP_I32_ADD || op == MW_OP_I32_SUB) {
    bool done;
    if (!op_add_deferred(c, op, info, &done)) return false;
    if (done) return true;
  }
  if (!pop_raw(c, info->t2, &b)) return false;
  /* i64 immediates are 32 bits, sign-extended by the interpreter. */
  int imm_op = b.is_const ? imm_form(op) : -1;
  if (imm_op >= 0 && info->t2 == MW_I64 && (int64_t)b.imm != (int32_t)b.imm) imm_op = -1;
  /* x - k is x + (-k): one form for later fusions to look for. */
  if (imm_op == MW_OP_IMM_I32_SUB) {
    imm_op = MW_OP_IMM_I32_ADD;
    b.imm = (uint32_t)-(uint32_t)b.imm;
  } else if (imm_op == MW_OP_IMM_I64_SUB && (int32_t)b.imm != INT32_MIN) {
    imm_op = MW_OP_IMM_I64_ADD;
    b.imm = (uint64_t) - (int64_t)b.imm;
  }
  if (imm_op >= 0) {
    if (!pop(c, info->t1, &a)) return false;
    bool fused;
    if (!fuse_imm_imm(c, imm_op, info, &a, b.imm, &fused)) return false;
    if (fused) return true;
    mw_word w[] = {(mw_word)imm_op, canonical(c, c->height), a.slot, (mw_word)b.imm};
    return emit_producer(c, 4, w, info->tr);
  }
  /* A float constant on either side: IMM_/IMMR_ (ir_fuse.h). */
  if (b.is_const && (imm_op = float_imm_form(op, false)) >= 0) {
    if (!pop(c, info->t1, &a)) return false;
    mw_word w[] = {(mw_word)imm_op, canonical(c, c->height), a.slot, (mw_word)b.imm,
                   (mw_word)(b.imm >> 32)};
    return emit_producer(c, 5, w, info->tr);
  }
  /* A constant the IMM_ forms cannot take (ir_wide.h). */
  if (b.is_const && (imm_op = wide_imm_form(op, &b.imm)) >= 0) {
    if (!pop(c, info->t1, &a)) return false;
    mw_word w[] = {(mw_word)imm_op, canonical(c, c->height), a.slot, (mw_word)b.imm,
                   (mw_word)(b.imm >> 32)};
    return emit_producer(c, info->t2 == MW_I64 ? 5 : 4, w, info->tr);
  }
  if (b.is_const && !emit_const(c, b.type, b.imm, b.slot, c->height)) return false;
  if (!pop_raw(c, info->t1, &a)) return false;
  if (a.is_const && (imm_op = float_imm_form(op, true)) >= 0) {
    mw_word w[] = {(mw_word)imm_op, canonical(c, c->height), b.slot, (mw_word)a.imm,
                   (mw_word)(a.imm >> 32)};
    return emit_producer(c, 5, w, info->tr);
  }
  /* An integer constant on the left (ir_wide.h IMMR_): clang writes
   * -x as 0 - x and bit masks as 1 << n. */
  if (a.is_const && !b.is_const && (imm_op = left_imm_form(op)) >= 0 &&
      (info->t1 != MW_I64 || (int64_t)a.imm == (int32_t)a.imm)) {
    mw_word w[] = {(mw_word)imm_op, canonical(c, c->height), b.slot, (mw_word)a.imm};
    return emit_producer(c, 4, w, info->tr);
  }
  if (a.is_const) {
    a.is_const = false;
    if (!emit_const(c, a.type, a.imm, a.slot, c->height)) return false;
  }
  bool fused;
  if (!fuse_imm_bin(c, op, info, &a, &b, &fused)) return false;
  if (fused) return true;
  mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot, b.slot};
  return emit_producer(c, 4, w, info->tr);
}

/* A load or store on memory ma->mem.  The interpreter caches the base and
 * size of one memory, memory 0; the access instruction itself is always
 * the memory-0 form (op ... addr ... offset).  Another memory is made the
 * cached one around it (MEMORY_USE x ... MEMORY_USE 0), and the 64-bit
 * address of an i64 memory is first checked and reduced to a u32
 * effective address (EA64), the access then using offset 0.  So memory-0
 * code is exactly what it was, and every kind of access (SIMD lanes
 * included) works on every memory.  `addr` is the popped address entry:
 * begin_access returns the slot and offset the access must use. */
static bool begin_access(compiler *c, const mwd_memarg *ma, const entry *addr,
                         uint32_t *slot, uint32_t *offset) {
  *slot = addr->slot;
  *offset = (uint32_t)ma->offset;
  if (ma->mem != 0 && !EMIT(c, MW_OP_MEMORY_USE, ma->mem)) return false;
  if (!c->m->memories[ma->mem].limits.is64) return true;
  /* The address's own canonical slot is free: the value is consumed. */
  uint32_t ea = canonical(c, c->height);
  *slot = ea;
  *offset = 0;
  return EMIT(c, MW_OP_EA64, ea, addr->slot, (mw_word)ma->offset,
              (mw_word)(ma->offset >> 32));
}

static bool end_access(compiler *c, const mwd_memarg *ma) {
  return ma->mem == 0 || EMIT(c, MW_OP_MEMORY_USE, 0);
}

/* The _K form (ir.h) of a load or store. */
static int k_form(int op) {
  switch (op) {
#define MW_X_CASE(NAME, ...) case MW_OP_##NAME: return MW_OP_##NAME##_K;
    MW_LOAD_OPS(MW_X_CASE)
    MW_STORE_OPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The _KI form (ir_fuse.h) of a store. */
static int ki_form(int op) {
  switch (op) {
#define MW_X_CASE(NAME, ...) case MW_OP_##NAME: return MW_OP_##NAME##_KI;
    MW_STORE_OPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The address forms an access can take back (ir.h _K, ir_index.h). */
enum { ADDR_NONE, ADDR_K, ADDR_X, ADDR_XS, ADDR_XK, ADDR_XSK };

/* The ir_index.h form of a load or store for address kind `kind`, or -1. */
static int index_form(int op, int kind) {
  switch (op) {
#define MW_X_CASE(NAME, ...) \
  case MW_OP_##NAME:         \
    return kind == ADDR_X    ? MW_OP_##NAME##_X   \
           : kind == ADDR_XS ? MW_OP_##NAME##_XS  \
           : kind == ADDR_XK ? MW_OP_##NAME##_XK  \
                             : MW_OP_##NAME##_XSK;
    MW_INDEX_LOADS(MW_X_CASE)
    MW_INDEX_STORES(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* Pop the address of an access: a constant is written to its slot, an
 * addk sum left for take_address. */
static bool pop_address(compiler *c, uint32_t mem, entry *addr) {
  if (!pop_entry(c, addr_type(c, mem), addr)) return false;
  if (!addr->is_const) return true;
  addr->is_const = false;
  return emit_const(c, addr->type, addr->imm, addr->slot, c->height);
}

/* Take back the instruction just emitted, whose operand words the access
 * takes over. */
static void take_back(compiler *c) {
  c->ncode = c->last_pos;
  c->last_pos = c->prev_pos;
  c->prev_pos = NO_POS;
  c->fuse_pos = NO_POS;
}

/* The address form of a scalar access (op has a _K form; v128 ones do
 * not) to memory 0, for the address `addr` just popped at the current
 * height (pop_address).  An addk sum slot + k is ADDR_K (a k), or, when
 * the slot is a sum x + y or (x << s) + y computed by the last instruction
 * (I32_ADD, IB_I32_SHL__I32_ADD) and `indexed` allows, ADDR_XSK (x s y k).
 * Else an address computed by the last instruction, used by nothing
 * else, is taken back when it is an IMM_I32_ADD (ADDR_K) or, where
 * `indexed` allows and op has the form, an I32_ADD, IB_I32_SHL__I32_ADD
 * or II_I32_SHL__I32_ADD (ADDR_X, _XS, _XK).  w receives the operand
 * words (a k; a b; a k b; a k1 k2; a s b k), *n how many.  With
 * ADDR_NONE the address is in addr->slot (an addk sum is computed). */
static int take_address(compiler *c, int op, const mwd_memarg *ma, entry *addr,
                        bool indexed, mw_word w[4], uint32_t *n) {
  bool fast = k_form(op) >= 0 && fast_memory(c, ma->mem);
  bool last = c->last_pos != NO_POS && c->fuse_pos == c->last_pos + 1 &&
              c->fuse_height == c->height && addr->slot == canonical(c, c->height);
  const mw_word *p = last ? c->code + c->last_pos : NULL;
  if (addr->is_addk) {
    mw_word k = (mw_word)addr->imm;
    if (!fast) {
      settle_addk(c, addr, c->height); /* the caller sees c->err if this fails */
      return ADDR_NONE;
    }
    addr->is_addk = false;
    if (last && indexed && index_form(op, ADDR_XSK) >= 0 &&
        (p[0] == MW_OP_I32_ADD || p[0] == MW_OP_IB_I32_SHL__I32_ADD)) {
      bool shl = p[0] == MW_OP_IB_I32_SHL__I32_ADD;
      w[0] = p[2], w[1] = shl ? p[3] : 0, w[2] = p[shl ? 4 : 3], w[3] = k;
      *n = 4;
      take_back(c);
      return ADDR_XSK;
    }
    w[0] = addr->slot, w[1] = k;
    *n = 2;
    return ADDR_K;
  }
  if (!fast || !last) return ADDR_NONE;
  int kind;
  switch (p[0]) {
  case MW_OP_IMM_I32_ADD: kind = ADDR_K, *n = 2; break;
  case MW_OP_I32_ADD: kind = ADDR_X, *n = 2; break;
  case MW_OP_IB_I32_SHL__I32_ADD: kind = ADDR_XS, *n = 3; break;
  case MW_OP_II_I32_SHL__I32_ADD: kind = ADDR_XK, *n = 3; break;
  default: return ADDR_NONE;
  }
  if (kind != ADDR_K && (!indexed || index_form(op, kind) < 0)) return ADDR_NONE;
  memcpy(w, p + 2, *n * sizeof *w);
  take_back(c);
  return kind;
}

static bool op_load(compiler *c, int op, const mw_opinfo *info) {
  mwd_memarg ma;
  entry addr;
  uint32_t slot, offset, n;
  mw_word aw[4] = {0, 0, 0, 0};
  if (!read_memarg(c, info->memsize, &ma) || !pop_address(c, ma.mem, &addr)) return false;
  uint32_t dst = canonical(c, c->height);
  int kind = take_address(c, op, &ma, &addr, true, aw, &n);
  if (c->err) return false;
  if (kind != ADDR_NONE) {
    /* op dst <address words> offset */
    mw_word w[7] = {(mw_word)(kind == ADDR_K ? k_form(op) : index_form(op, kind)), dst,
                    aw[0], aw[1], aw[2], aw[3]};
    w[2 + n] = (mw_word)ma.offset;
    return emit_producer(c, 3 + n, w, info->tr);
  }
  if (!begin_access(c, &ma, &addr, &slot, &offset)) return false;
  mw_word w[] = {(mw_word)op, dst, slot, offset};
  if (!emit_producer(c, 4, w, info->tr)) return false;
  return end_access(c, &ma);
}

static bool op_store(compiler *c, int op, const mw_opinfo *info) {
  mwd_memarg ma;
  entry addr, val;
  uint32_t slot, offset, n;
  mw_word aw[4] = {0, 0, 0, 0};
  /* A constant or addk value is written after the address is looked at,
   * so that an address computed just before can still be fused. */
  if (!read_memarg(c, info->memsize, &ma) || !pop_entry(c, info->t1, &val) ||
      !pop_address(c, ma.mem, &addr))
    return false;
  /* A constant value that fits 32 bits (sign-extended for 64-bit types)
   * is an immediate of the store (_KI forms, ir_fuse.h); those have no
   * indexed forms, and one dispatch is saved either way. */
  bool ki = val.is_const && k_form(op) >= 0 && fast_memory(c, ma.mem) &&
            ((val.type != MW_I64 && val.type != MW_F64) || (int64_t)val.imm == (int32_t)val.imm);
  int kind = take_address(c, op, &ma, &addr, !ki, aw, &n);
  if (c->err) return false;
  if (ki)
    return kind == ADDR_K ? EMIT(c, (mw_word)ki_form(op), aw[0], (mw_word)val.imm, aw[1], (mw_word)ma.offset)
                          : EMIT(c, (mw_word)ki_form(op), addr.slot, (mw_word)val.imm, 0,
                                 (mw_word)ma.offset);
  if (val.is_const || val.is_addk) {
    /* An indexed form reads its address slots when it runs, and one of
     * them may be the slot right above the address, val's own: then the
     * value is written one higher. */
    uint32_t vslot = val.canon;
    if (kind != ADDR_NONE && kind != ADDR_K) {
      vslot += width(val.type);
      if (vslot + width(val.type) > c->max_slot) c->max_slot = vslot + width(val.type);
    }
    if (!emit_value_to(c, &val, vslot)) return false;
    val.slot = vslot;
  }
  if (kind == ADDR_K) return EMIT(c, (mw_word)k_form(op), aw[0], val.slot, aw[1], (mw_word)ma.offset);
  if (kind != ADDR_NONE) {
    /* op <address words> val offset */
    mw_word w[7] = {(mw_word)index_form(op, kind), aw[0], aw[1], aw[2], aw[3]};
    w[1 + n] = val.slot;
    w[2 + n] = (mw_word)ma.offset;
    return emit(c, 3 + n, w);
  }
  if (!begin_access(c, &ma, &addr, &slot, &offset)) return false;
  if (!EMIT(c, (mw_word)op, slot, val.slot, offset)) return false;
  return end_access(c, &ma);
}

static bool op_const(compiler *c, int op) {
  uint64_t v;
  mw_valtype type;
  switch (op) {
  case MW_OP_I32_CONST: type = MW_I32; if (!read_sleb(c, 32, &v)) return false; break;
  case MW_OP_I64_CONST: type = MW_I64; if (!read_sleb(c, 64, &v)) return false; break;
  case MW_OP_F32_CONST: type = MW_F32; if (!read_fixed(c, 4, &v)) return false; break;
  default: type = MW_F64; if (!read_fixed(c, 8, &v)) return false; break;
  }
  /* Nothing is emitted yet: the constant is written where it is used. */
  if (type == MW_I32 || type == MW_F32) v &= 0xFFFFFFFFu;
  if (!push(c, type, canonical(c, c->height))) return false;
  c->stack[c->height - 1].is_const = true;
  c->stack[c->height - 1].imm = v;
  return true;
}

/* ---------------------------------------------------------------- locals and globals */

static bool read_local(compiler *c, uint32_t *x) {
  if (!read_u32(c, x)) return false;
  return *x < c->nlocals ? true : unknown(c, MW_MSG_UNKNOWN_LOCAL, *x);
}

/* Store the popped value `v` into local x.  If v was just computed by the
 * previous instruction, make that instruction write x directly. */
static bool store_local(compiler *c, uint32_t x, entry v) {
  uint32_t slot = c->local_slots[x];
  if (!materialize_local(c, slot)) return false;
  if (c->fuse_pos != NO_POS && c->fuse_height == c->height &&
      v.slot == canonical(c, c->height)) {
    c->code[c->fuse_pos] = slot;
    c->fuse_pos = NO_POS;
    return true;
  }
  return emit_move(c, c->local_types[x], slot, v.slot);
}

/* Non-defaultable locals (spec 3.4.x "Locals", Wasm 3.0): set or not. */
static bool local_is_set(const compiler *c, uint32_t x) {
  return !c->local_unset || !(c->local_unset[x / 8] & (1u << (x % 8)));
}

static bool mark_local_set(compiler *c, uint32_t x) {
  if (local_is_set(c, x)) return true;
  if (c->ninits == c->cap_inits) {
    uint32_t cap = c->cap_inits ? c->cap_inits * 2 : 16;
    uint32_t *p = mw_realloc(c->a, c->inits, c->cap_inits * sizeof *p, cap * sizeof *p);
    if (!p) return oom(c);
    c->inits = p;
    c->cap_inits = cap;
  }
  c->inits[c->ninits++] = x;
  c->local_unset[x / 8] &= (uint8_t)~(1u << (x % 8));
  return true;
}

/* At the end of a block (and at `else`), locals it set are unset again. */
static void reset_inits(compiler *c, uint32_t base) {
  while (c->ninits > base) {
    uint32_t x = c->inits[--c->ninits];
    c->local_unset[x / 8] |= (uint8_t)(1u << (x % 8));
  }
}

static bool op_local(compiler *c, int op) {
  uint32_t x;
  entry v;
  if (!read_local(c, &x)) return false;
  mw_valtype t = c->local_types[x];
  switch (op) {
  case MW_OP_LOCAL_GET:
    if (!local_is_set(c, x)) return invalid(c, MW_MSG_UNINITIALIZED_LOCAL);
    /* Emits nothing: the last producer's value stays fusable (its entry
     * is the one with the canonical slot at fuse_height). */
    return push(c, t, c->local_slots[x]);
  case MW_OP_LOCAL_SET:
    return pop(c, t, &v) && store_local(c, x, v) && mark_local_set(c, x);
  default: /* tee: the value stays, now read from the local */
    if (!pop(c, t, &v) || !store_local(c, x, v) || !mark_local_set(c, x)) return false;
    c->fuse_pos = NO_POS;
    return push(c, t, c->local_slots[x]);
  }
}

static bool op_global(compiler *c, int op) {
  uint32_t x;
  entry v;
  if (!read_u32(c, &x)) return false;
  if (x >= c->m->nglobals) return unknown(c, MW_MSG_UNKNOWN_GLOBAL, x);
  const mw_globaltype *g = &c->m->globals[x].type;
  bool v128 = g->type == MW_V128;
  if (op == MW_OP_GLOBAL_GET) {
    mw_word w[] = {v128 ? MW_OP_GLOBAL_GET_V128 : MW_OP_GLOBAL_GET, canonical(c, c->height), x};
    return emit_producer(c, 3, w, g->type);
  }
  /* Wasm 3.0's reference words it "immutable global" (the 2.0 one and the
   * 2023 proposals "global is immutable"): follow the 3.0 rules' switch. */
  if (!g->mutable_)
    return invalid(c, has_feature(c, MW_FEATURE_CONST_GLOBALS) ? MW_MSG_IMMUTABLE_GLOBAL
                                                               : MW_MSG_GLOBAL_IMMUTABLE);
  return pop(c, g->type, &v) &&
         EMIT(c, v128 ? MW_OP_GLOBAL_SET_V128 : MW_OP_GLOBAL_SET, x, v.slot);
}

/* ---------------------------------------------------------------- fused conditions */

/* An i32 comparison whose result is only a branch condition: taken back
 * out of the code so the branch can test it itself (ir.h BR_/BRI_). */
typedef struct fused_cmp {
  int op;       /* MW_OP_I32_<cmp> of MW_BR_CMPS, MW_OP_I32_EQZ, or -1 */
  bool imm;     /* b is an immediate, not a slot */
  uint32_t a, b;
  uint32_t b2;  /* an f64 immediate's high word (ir_fbr.h) */
} fused_cmp;

static int br_form(int op, bool imm) {
  switch (op) {
#define MW_X_CASE(NAME, ...) case MW_OP_##NAME: return imm ? MW_OP_BRI_##NAME : MW_OP_BR_##NAME;
    MW_BR_CMPS(MW_X_CASE)
    MW_I64_CMPS(MW_X_CASE) /* ir_fuse.h */
#undef MW_X_CASE
  default: return -1;
  }
}

static int negated_cmp(int op) {
  switch (op) {
#define MW_X_CASE(NAME, T, IN, expr, NEG) case MW_OP_##NAME: return MW_OP_##NEG;
    MW_BR_CMPS(MW_X_CASE)
    MW_I64_CMPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The plain comparison of an IMM_ comparison, or -1. */
static int cmp_of_imm(int op) {
  switch (op) {
#define MW_X_CASE(NAME, ...) case MW_OP_IMM_##NAME: return br_form(MW_OP_##NAME, false) >= 0 ? MW_OP_##NAME : -1;
    MW_IMM_BINOPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* If `cond` (just popped) was computed by the last instruction emitted, and
 * that was an i32 comparison, remove it and describe it for the branch.
 * Its operands stay valid: nothing between here and the branch writes
 * them (only canonical slots below `cond` or fresh constants). */
static fused_cmp take_condition(compiler *c, entry cond) {
  fused_cmp f = {-1, false, 0, 0, 0};
  if (c->fuse_pos == NO_POS || c->fuse_height != c->height ||
      cond.slot != canonical(c, c->height))
    return f;
  uint32_t pos = c->fuse_pos - 1;
  int op = (int)c->code[pos];
  if (op == MW_OP_I32_EQZ) {
    f.op = op;
  } else if (op == MW_OP_I64_EQZ) { /* i64 eq 0 (ir_fuse.h BRI_I64_EQ) */
    f.op = MW_OP_I64_EQ;
    f.imm = true;
  } else if (br_form(op, false) >= 0) {
    f.op = op;
  } else if (cmp_of_imm(op) >= 0) {
    f.op = cmp_of_imm(op);
    f.imm = true;
  } else if (mw_fbr_form(op, false, false, false) >= 0) { /* ir_fbr.h */
    f.op = op;
  } else if (mw_fbr_of_imm(op) >= 0) {
    f.op = mw_fbr_of_imm(op);
    f.imm = true;
    f.b2 = c->code[pos + 4];
  } else {
    return f;
  }
  f.a = c->code[pos + 2];
  f.b = op == MW_OP_I32_EQZ || op == MW_OP_I64_EQZ ? 0 : c->code[pos + 3];
  c->ncode = pos;
  c->fuse_pos = NO_POS;
  c->last_pos = c->prev_pos; /* pos was the last instruction */
  c->prev_pos = NO_POS;
  return f;
}

/* hostctl: the back-edge form of a branch opcode (ir.h *_LOOP). */
static mw_word loop_form(mw_word op) {
  switch (op) {
  case MW_OP_JUMP: return MW_OP_JUMP_LOOP;
  case MW_OP_JUMP_IF: return MW_OP_JUMP_IF_LOOP;
  case MW_OP_JUMP_UNLESS: return MW_OP_JUMP_UNLESS_LOOP;
#define MW_X_CASE(NAME, ...) \
  case MW_OP_BR_##NAME: return MW_OP_BR_##NAME##_LOOP; \
  case MW_OP_BRI_##NAME: return MW_OP_BRI_##NAME##_LOOP; \
  case MW_OP_ADDBR_##NAME: return MW_OP_ADDBR_##NAME##_LOOP; \
  case MW_OP_ADDBRI_##NAME: return MW_OP_ADDBRI_##NAME##_LOOP;
    MW_BR_CMPS(MW_X_CASE)
#undef MW_X_CASE
#define MW_X_CASE(NAME, ...) \
  case MW_OP_BR_##NAME: return MW_OP_BR_##NAME##_LOOP; \
  case MW_OP_BRI_##NAME: return MW_OP_BRI_##NAME##_LOOP;
    MW_I64_CMPS(MW_X_CASE) /* ir_fuse.h */
#undef MW_X_CASE
  default: return op;
  }
}

/* Jump to `target` if the condition is true (`when`) or false (!when).
 * *site receives the index of the target word, to patch later. */
/* The ADDBR_/ADDBRI_ form (ir.h) of an i32 comparison of MW_BR_CMPS. */
static int addbr_form(int cmp, bool imm) {
  switch (cmp) {
#define MW_X_CASE(NAME, ...) \
  case MW_OP_##NAME: return imm ? MW_OP_ADDBRI_##NAME : MW_OP_ADDBR_##NAME;
    MW_BR_CMPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* Jump to `target` if the condition is true (`when`) or false (!when);
 * a back edge (to a loop header) takes the polling form.  *site receives
 * the index of the target word, to patch later.  A step `x = y + k` just
 * before it is fused into the branch (ADDBR_ forms): counted loops end
 * that way. */
static bool emit_cond_jump(compiler *c, entry cond, const fused_cmp *f, bool when,
                           bool back_edge, uint32_t target, uint32_t *site) {
  *site = NO_POS;
  if (!emitting(c)) return true;
  /* A float comparison (ir_fbr.h): `if` and the jump over label copies
   * test its exact negation. */
  int fop = f->op >= 0 ? mw_fbr_form(f->op, !when, f->imm, back_edge) : -1;
  if (fop >= 0) {
    bool ok = !f->imm ? EMIT(c, (mw_word)fop, f->a, f->b, target)
              : (f->op >= MW_OP_F64_EQ && f->op <= MW_OP_F64_GE)
                  ? EMIT(c, (mw_word)fop, f->a, f->b, f->b2, target)
                  : EMIT(c, (mw_word)fop, f->a, f->b, target);
    if (!ok) return false;
    *site = c->ncode - 1;
    return true;
  }
  int cmp;      /* the i32 comparison tested, or -1 for a plain i32 test */
  bool imm = f->imm;
  uint32_t a = f->a, b = f->b;
  bool jump_if; /* the plain test: jump if the slot is nonzero */
  if (f->op == MW_OP_I32_EQZ) {
    cmp = -1;
    jump_if = !when;
  } else if (f->op >= 0) {
    cmp = when ? f->op : negated_cmp(f->op);
    jump_if = false;
  } else {
    cmp = -1;
    jump_if = when;
    a = cond.slot;
  }
  bool ok;
  /* (ADDBR_ forms exist for the i32 comparisons only) */
  if (last_is(c, MW_OP_IMM_I32_ADD) && (cmp < 0 || addbr_form(cmp, imm) >= 0)) {
    /* A plain test is a comparison with 0. */
    if (cmp < 0) {
      cmp = jump_if ? MW_OP_I32_NE : MW_OP_I32_EQ;
      imm = true;
      b = 0;
    }
    const mw_word *add = c->code + c->last_pos;
    mw_word w[] = {(mw_word)addbr_form(cmp, imm), add[1], add[2], add[3], a, b, target};
    c->ncode = c->last_pos;
    c->last_pos = c->prev_pos;
    c->prev_pos = NO_POS;
    ok = emit(c, 7, w);
  } else if (cmp >= 0) {
    ok = EMIT(c, (mw_word)br_form(cmp, imm), a, b, target);
  } else {
    ok = EMIT(c, jump_if ? MW_OP_JUMP_IF : MW_OP_JUMP_UNLESS, a, target);
  }
  if (!ok) return false;
  if (back_edge) c->code[c->last_pos] = loop_form(c->code[c->last_pos]);
  *site = c->ncode - 1;
  return true;
}

/* ---------------------------------------------------------------- control */

/* compile_eh.h: exception handling's parts of block, loop and end. */
static bool eh_read_catches(compiler *c);
static bool eh_emit_catches(compiler *c);
static bool eh_end(compiler *c, ctrl *f);

static bool op_block(compiler *c, int op) {
  uint32_t np, nr;
  const mw_valtype *params, *results;
  entry cond = {MW_I32, false, false, 0, 0, 0};
  if (!read_blocktype(c, &np, &params, &nr, &results)) return false;
  if (op == MW_OP_TRY_TABLE && !eh_read_catches(c)) return false; /* compile_eh.h */
  if (op == MW_OP_IF && !pop(c, MW_I32, &cond)) return false;
  fused_cmp fc = {-1, false, 0, 0, 0};
  if (op == MW_OP_IF) fc = take_condition(c, cond);
  if (!check_top(c, np, params)) return false;
  /* Values below the block must not be left reading locals the block may
   * overwrite: paths that skip the block's copies would see stale slots. */
  if (emitting(c) && !materialize_all(c)) return false;
  /* A value materialised here lies outside the block: never retarget it. */
  c->fuse_pos = NO_POS;
  /* In unreachable code the params may be missing: conjure them (the
   * block is dead code, so their slots are never read). */
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  if (c->height - f->height < np) {
    c->height = f->height;
    for (uint32_t i = 0; i < np; i++)
      if (!push(c, params[i], canonical(c, c->height))) return false;
  }
  for (uint32_t i = 0; i < np; i++) c->stack[c->height - np + i].type = params[i];
  frame_kind kind = op == MW_OP_BLOCK ? FRAME_BLOCK : op == MW_OP_LOOP ? FRAME_LOOP
                  : op == MW_OP_IF ? FRAME_IF : op == MW_OP_TRY ? FRAME_TRY
                  : FRAME_TRY_TABLE;
  if (op == MW_OP_TRY_TABLE && !eh_emit_catches(c)) return false; /* compile_eh.h */
  if (!push_ctrl(c, kind, np, params, nr, results)) return false;
  if (kind == FRAME_LOOP) {
    /* Back edges land on the loop's METER. */
    mark_label(c);
    uint32_t at = c->ncode;
    if (!start_segment(c)) return false;
    c->ctrls[c->nctrls - 1].loop_pc = at;
  }
  if (kind == FRAME_IF) {
    /* emitting() now reflects the new frame, which is live iff the parent was */
    ctrl *nf = &c->ctrls[c->nctrls - 1];
    uint32_t site;
    if (!emit_cond_jump(c, cond, &fc, false, false, NO_POS, &site)) return false;
    nf->else_site = site;
    if (!start_segment(c)) return false;
  }
  return true;
}

/* Check the block's results at its end (or before `else`) and put them in
 * their canonical slots. */
static bool eh_check_results(compiler *c, const ctrl *f); /* compile_eh.h */

static bool close_results(compiler *c, ctrl *f) {
  if (f->kind >= FRAME_TRY && !eh_check_results(c, f)) return false;
  if (!check_top(c, f->nresults, f->results)) return false;
  uint32_t avail = c->height - f->height;
  if (avail > f->nresults) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (emitting(c) && !materialize_top(c, f->nresults)) return false;
  return true;
}

static bool op_else(compiler *c) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  if (f->kind != FRAME_IF) return invalid(c, "else without if");
  if (!close_results(c, f)) return false;
  c->fuse_pos = NO_POS;
  if (emitting(c)) {
    if (!EMIT(c, MW_OP_JUMP, 0)) return false;
    chain_site(c, f, c->ncode - 1);
  }
  if (f->else_site != NO_POS) c->code[f->else_site] = c->ncode;
  mark_label(c);
  f->else_site = NO_POS;
  f->kind = FRAME_ELSE;
  f->unreachable = false;
  reset_inits(c, f->init_base);
  if (!start_segment(c)) return false;
  c->height = f->height;
  /* The params were materialised at `if`: they are in canonical slots. */
  for (uint32_t i = 0; i < f->nparams; i++)
    if (!push(c, f->params[i], canonical(c, c->height))) return false;
  return true;
}

static void retarget_result(compiler *c);

/* `end` of a block; returns true with *done set at the function's end. */
static bool op_end(compiler *c, bool *done) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  if (!close_results(c, f)) return false;
  if (f->kind == FRAME_FUNC) retarget_result(c);
  c->fuse_pos = NO_POS;
  if (f->kind == FRAME_FUNC) {
    if (!f->unreachable && !emit_return(c)) return false;
    *done = true;
    return true;
  }
  if (f->kind >= FRAME_TRY_TABLE && !eh_end(c, f)) return false; /* compile_eh.h */
  if (f->kind == FRAME_IF) {
    /* No else: the false path must turn the params into the results. */
    if (f->nparams != f->nresults) return invalid(c, MW_MSG_TYPE_MISMATCH);
    for (uint32_t i = 0; i < f->nparams; i++)
      if (!sub(c, f->params[i], f->results[i])) return invalid(c, MW_MSG_TYPE_MISMATCH);
    if (f->else_site != NO_POS) c->code[f->else_site] = c->ncode;
  }
  reset_inits(c, f->init_base);
  patch_chain(c, f->chain, c->ncode);
  mark_label(c);
  uint32_t base = f->height, nr = f->nresults;
  const mw_valtype *results = f->results;
  c->nctrls--;
  c->height = base;
  if (!start_segment(c)) return false;
  for (uint32_t i = 0; i < nr; i++)
    if (!push(c, results[i], canonical(c, c->height))) return false;
  return true;
}

static bool read_label(compiler *c, uint32_t *depth) {
  if (!read_u32(c, depth)) return false;
  return *depth < c->nctrls ? true : unknown(c, MW_MSG_UNKNOWN_LABEL, *depth);
}

static bool op_br(compiler *c) {
  uint32_t d;
  if (!read_label(c, &d)) return false;
  const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  if (!check_top(c, label_arity(f), label_types(f))) return false;
  c->fuse_pos = NO_POS;
  if (!emit_branch(c, d)) return false;
  set_unreachable(c);
  return true;
}

/* After a conditional branch the values it would have carried have the
 * label's types (spec 3.0: br_if and friends push the label types back).
 * In unreachable code (the only place fewer than n can be there, after
 * check_top) they are all conjured; no code is emitted there. */
static bool retype_top(compiler *c, uint32_t n, const mw_valtype *types) {
  const ctrl *cur = &c->ctrls[c->nctrls - 1];
  if (c->height - cur->height < n) {
    c->height = cur->height;
    for (uint32_t i = 0; i < n; i++)
      if (!push(c, types[i], canonical(c, c->height))) return false;
    return true;
  }
  for (uint32_t i = 0; i < n; i++) c->stack[c->height - n + i].type = types[i];
  return true;
}

static bool op_br_if(compiler *c) {
  uint32_t d;
  entry cond;
  if (!read_label(c, &d) || !pop(c, MW_I32, &cond)) return false;
  fused_cmp fc = take_condition(c, cond);
  const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  uint32_t n = label_arity(f);
  const mw_valtype *types = label_types(f);
  if (!check_top(c, n, types)) return false;
  c->fuse_pos = NO_POS;
  if (!retype_top(c, n, types)) return false;
  if (!emitting(c)) return true;
  uint32_t site;
  if (f->kind == FRAME_FUNC || needs_label_copies(c, n, f->height)) {
    /* Copies first: skip them, and the jump, when not branching. */
    if (!emit_cond_jump(c, cond, &fc, false, false, 0, &site) || !emit_branch(c, d))
      return false;
    c->code[site] = c->ncode;
    mark_label(c);
    return start_segment(c);
  }
  if (f->kind == FRAME_LOOP) {
    if (!emit_cond_jump(c, cond, &fc, true, true, f->loop_pc, &site)) return false;
    return start_segment(c);
  }
  if (!emit_cond_jump(c, cond, &fc, true, false, 0, &site)) return false;
  chain_site(c, &c->ctrls[c->nctrls - 1 - d], site);
  return start_segment(c);
}

static bool op_br_table(compiler *c) {
  uint32_t n;
  entry idx;
  if (!read_u32(c, &n)) return false;
  if (mwd_left(&c->r) < n) return malformed(c, MW_MSG_UNEXPECTED_END_SECTION);
  uint32_t *labels = mw_calloc(c->a, (size_t)n + 1, sizeof *labels);
  if (!labels) return oom(c);
  bool ok = true;
  for (uint32_t i = 0; ok && i <= n; i++) ok = read_label(c, &labels[i]);
  if (ok) ok = pop(c, MW_I32, &idx);
  if (ok) {
    const ctrl *def = &c->ctrls[c->nctrls - 1 - labels[n]];
    uint32_t arity = label_arity(def);
    for (uint32_t i = 0; ok && i <= n; i++) {
      const ctrl *f = &c->ctrls[c->nctrls - 1 - labels[i]];
      if (label_arity(f) != arity) ok = invalid(c, MW_MSG_TYPE_MISMATCH);
      else ok = check_top(c, arity, label_types(f));
    }
  }
  c->fuse_pos = NO_POS;
  if (ok && emitting(c)) {
    /* op idx n t0..tn; targets needing copies go through stubs after it,
     * one stub per label however many entries name it. */
    uint32_t table = c->ncode + 3, serial = ++c->br_tables;
    ok = reserve_code(c, n + 4);
    if (ok) {
      /* the opcode word is an instruction (ir_move.h pairs a load with
       * it), its targets raw words */
      c->acc_meta[c->ncode] = c->last_pos == NO_POS ? 1 : c->last_pos + 2;
      acc_raw(c, c->ncode + 1, n + 3);
      c->code[c->ncode++] = MW_OP_BR_TABLE;
      c->code[c->ncode++] = idx.slot;
      c->code[c->ncode++] = n;
      c->ncode += n + 1;
    }
    for (uint32_t i = 0; ok && i <= n; i++) {
      uint32_t d = labels[i];
      ctrl *f = &c->ctrls[c->nctrls - 1 - d];
      uint32_t arity = label_arity(f);
      if (f->kind == FRAME_FUNC || needs_label_copies(c, arity, f->height)) {
        if (f->stub_serial != serial) {
          f->stub_serial = serial;
          mark_label(c);
          f->stub = c->ncode;
          ok = emit_branch(c, d);
        }
        c->code[table + i] = f->stub;
      } else if (f->kind == FRAME_LOOP) {
        c->code[table + i] = f->loop_pc;
        c->code[table - 3] = MW_OP_BR_TABLE_LOOP; /* a back edge */
      } else {
        chain_site(c, f, table + i);
      }
    }
  }
  mw_free(c->a, labels, ((size_t)n + 1) * sizeof *labels);
  if (ok) set_unreachable(c);
  return ok;
}

/* A single result computed by the instruction just emitted is written
 * straight to fp[0] (where RETURN leaves it) instead of being copied
 * there: the frame ends right after, so no later read sees fp[0]. */
static void retarget_result(compiler *c) {
  const ctrl *fn = &c->ctrls[0];
  if (fn->nresults != 1 || c->fuse_pos == NO_POS || c->height == 0 ||
      c->fuse_height != c->height - 1)
    return;
  entry *e = &c->stack[c->height - 1];
  if (e->is_const || e->is_addk || e->slot != canonical(c, c->height - 1)) return;
  c->code[c->fuse_pos] = 0;
  e->slot = 0;
}

static bool op_return(compiler *c) {
  const ctrl *fn = &c->ctrls[0];
  if (!check_top(c, fn->nresults, fn->results)) return false;
  retarget_result(c);
  c->fuse_pos = NO_POS;
  if (!emit_return(c)) return false;
  set_unreachable(c);
  return true;
}

/* Pop the arguments of `t`, put them in consecutive canonical slots, emit
 * the call (words after the argbase-less prefix), push the results. */
/* ---------------------------------------------------------------- stack maps (gc.h) */

/* How the collector sees a value of type t: MW_GCS_ANY, MW_GCS_EXTERN, or
 * -1 (not traced: numbers, vectors, the func family). */
static int gc_storage(const compiler *c, mw_valtype t) {
  if (t == T_UNKNOWN || !mw_valtype_is_reference(t)) return -1;
  int st = mwgc_storage_of(c->m, t);
  return st == MW_GCS_ANY || st == MW_GCS_EXTERN ? st : -1;
}

static void gc_map_locals(compiler *c) {
  for (uint32_t i = 0; i < c->nlocals; i++) {
    int st = gc_storage(c, c->local_types[i]);
    if (st >= 0) mwgc_map_local(&c->gcmap, c->local_slots[i], st == MW_GCS_EXTERN);
  }
  for (uint32_t k = 0; k < c->eh_hidden; k++) /* compile_eh.h: exnrefs */
    mwgc_map_local(&c->gcmap, c->eh_hidden_base + k, false);
}

/* Record the traced operand slots of entries 0 .. hi-1 for a frame resuming
 * at the current end of code (after a call, or an allocating instruction
 * just emitted).  Constants are not in slots yet; entries still reading a
 * local are covered by the locals. */
static bool gc_point(compiler *c, uint32_t hi) {
  if (!emitting(c)) return true;
  bool opened = false;
  for (uint32_t h = 0; h < hi; h++) {
    const entry *e = &c->stack[h];
    int st = gc_storage(c, e->type);
    if (st < 0 || e->is_const || e->slot < c->nlocal_slots) continue;
    if (!opened) mwgc_map_point(&c->gcmap, c->ncode);
    opened = true;
    mwgc_map_slot(&c->gcmap, e->slot, st == MW_GCS_EXTERN);
  }
  return c->gcmap.oom ? oom(c) : true;
}

static bool finish_call(compiler *c, const mw_functype *t, mw_word *words, uint32_t n) {
  if (!check_top(c, t->nparams, MW_FT_PARAMS(t))) return false;
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  uint32_t avail = c->height - f->height;
  if (!pop_operands(c, t->nparams)) return false;
  words[n - 1] = canonical(c, c->height);
  if (!emit(c, n, words)) return false;
  /* gc: the frame resumes here; the arguments count too (a host callee
   * reads them while it runs). */
  if (!gc_point(c, c->height + (avail >= t->nparams ? t->nparams : 0))) return false;
  for (uint32_t i = 0; i < t->nresults; i++)
    if (!push(c, MW_FT_RESULTS(t)[i], canonical(c, c->height))) return false;
  /* The callee's frame starts at argbase and must fit the results too. */
  uint32_t np = mw_slot_count(MW_FT_PARAMS(t), t->nparams);
  uint32_t nr = mw_slot_count(MW_FT_RESULTS(t), t->nresults);
  uint32_t top = words[n - 1] + (np > nr ? np : nr);
  if (top > c->max_slot) c->max_slot = top;
  return true;
}

/* return_call and return_call_indirect (Wasm 3.0 tail calls): the callee
 * must return what this function returns ("type mismatch" otherwise, as
 * the reference checks before the arguments); its arguments go to
 * canonical slots as for a call, and the interpreter moves them to the
 * frame's base.  Nothing follows: the code after it is unreachable. */
/* The callee's results can be this function's (Wasm 3.0: subtypes). */
static bool tail_results_match(compiler *c, const mw_functype *t) {
  const ctrl *fn = &c->ctrls[0];
  if (t->nresults != fn->nresults) return false;
  for (uint32_t i = 0; i < t->nresults; i++)
    if (!sub(c, MW_FT_RESULTS(t)[i], fn->results[i])) return false;
  return true;
}

static bool finish_tail_call(compiler *c, const mw_functype *t, mw_word *words,
                             uint32_t n) {
  if (!tail_results_match(c, t)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!check_top(c, t->nparams, MW_FT_PARAMS(t))) return false;
  if (!pop_operands(c, t->nparams)) return false;
  words[n - 1] = canonical(c, c->height);
  if (!emit(c, n, words)) return false;
  /* A host callee runs at argbase and leaves its results there. */
  uint32_t np = mw_slot_count(MW_FT_PARAMS(t), t->nparams);
  uint32_t nr = mw_slot_count(MW_FT_RESULTS(t), t->nresults);
  uint32_t top = words[n - 1] + (np > nr ? np : nr);
  if (top > c->max_slot) c->max_slot = top;
  set_unreachable(c);
  return true;
}

static mw_valtype table_at(const compiler *c, uint32_t x);
static bool clamp_operand(compiler *c, entry *e, mw_valtype type, uint32_t height);

static bool op_return_call(compiler *c) {
  uint32_t x;
  if (!read_u32(c, &x)) return false;
  if (x >= c->m->nfuncs) return unknown(c, MW_MSG_UNKNOWN_FUNC, x);
  const mw_functype *t = c->m->types[c->m->func_types[x]];
  mw_word w[] = {MW_OP_RETURN_CALL, x, 0};
  return finish_tail_call(c, t, w, 3);
}

static bool op_return_call_indirect(compiler *c) {
  uint32_t ti, table;
  entry idx;
  if (!read_u32(c, &ti) || !read_u32(c, &table)) return false;
  if (table >= c->m->ntables) return unknown(c, MW_MSG_UNKNOWN_TABLE, table);
  if (ti >= c->m->ntypes) return unknown(c, MW_MSG_UNKNOWN_TYPE, ti);
  if (!sub(c, c->m->tables[table].elem, MW_FUNCREF)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  const mw_functype *t = c->m->types[ti];
  if (t->comp != MW_COMP_FUNC) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!tail_results_match(c, t)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!pop(c, table_at(c, table), &idx) ||
      !clamp_operand(c, &idx, table_at(c, table), c->height))
    return false;
  mw_word w[] = {MW_OP_RETURN_CALL_INDIRECT, ti, table, idx.slot, 0};
  return finish_tail_call(c, t, w, 5);
}

static bool op_call(compiler *c) {
  uint32_t x;
  if (!read_u32(c, &x)) return false;
  if (x >= c->m->nfuncs) return unknown(c, MW_MSG_UNKNOWN_FUNC, x);
  const mw_functype *t = c->m->types[c->m->func_types[x]];
  mw_word w[] = {MW_OP_CALL, x, 0};
  return finish_call(c, t, w, 3);
}

static bool op_call_indirect(compiler *c) {
  uint32_t ti, table;
  entry idx;
  if (!read_u32(c, &ti) || !read_call_table(c, &table)) return false;
  if (table >= c->m->ntables) return unknown(c, MW_MSG_UNKNOWN_TABLE, table);
  if (ti >= c->m->ntypes) return unknown(c, MW_MSG_UNKNOWN_TYPE, ti);
  if (!sub(c, c->m->tables[table].elem, MW_FUNCREF)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (c->m->types[ti]->comp != MW_COMP_FUNC) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!pop(c, table_at(c, table), &idx) ||
      !clamp_operand(c, &idx, table_at(c, table), c->height))
    return false;
  mw_word w[] = {MW_OP_CALL_INDIRECT, ti, table, idx.slot, 0};
  return finish_call(c, c->m->types[ti], w, 5);
}

/* ---------------------------------------------------------------- parametric */

/* The SEL_ (or SELI_) form (ir_fuse.h) of a comparison of MW_SEL_CMPS. */
static int sel_form(int cmp, bool imm) {
  switch (cmp) {
#define MW_X_CASE(NAME, ...) \
  case MW_OP_##NAME: return imm ? MW_OP_SELI_##NAME : MW_OP_SEL_##NAME;
    MW_SEL_CMPS(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

/* The plain comparison of MW_SEL_CMPS an instruction computes (*imm: with
 * an immediate right operand; eqz is eq with 0), or -1. */
static int sel_cmp_of(int op, bool *imm) {
  *imm = true;
  switch (op) {
  case MW_OP_I32_EQZ: return MW_OP_I32_EQ;
  case MW_OP_I64_EQZ: return MW_OP_I64_EQ;
#define MW_X_CASE(NAME, ...) case MW_OP_IMM_##NAME: return MW_OP_##NAME;
    MW_SEL_CMPS(MW_X_CASE)
#undef MW_X_CASE
  default: break;
  }
  *imm = false;
  return sel_form(op, false) >= 0 ? op : -1;
}

/* If the condition `cond` of a select (just popped) is an i32 or i64
 * comparison computed by the last instruction and used by nothing else,
 * take that instruction back: *w receives the SEL_ words after d, x, y
 * (opcode, a, b).  Its operands stay valid until the select reads them:
 * only constants go to the canonical slots below `cond` meanwhile. */
static bool take_sel_cmp(compiler *c, entry cond, mw_word *op, mw_word *a, mw_word *b) {
  if (c->fuse_pos == NO_POS || c->last_pos == NO_POS || c->fuse_pos != c->last_pos + 1 ||
      c->fuse_height != c->height || cond.is_const || cond.slot != canonical(c, c->height))
    return false;
  const mw_word *w = c->code + c->last_pos;
  bool imm;
  int cmp = sel_cmp_of((int)w[0], &imm);
  if (cmp < 0) return false;
  bool eqz = w[0] == MW_OP_I32_EQZ || w[0] == MW_OP_I64_EQZ;
  *op = (mw_word)sel_form(cmp, imm);
  *a = w[2];
  *b = eqz ? 0 : w[3];
  c->ncode = c->last_pos;
  c->last_pos = c->prev_pos;
  c->prev_pos = NO_POS;
  c->fuse_pos = NO_POS;
  return true;
}

static bool op_select(compiler *c, int op) {
  entry cond, a, b;
  mw_valtype want = T_UNKNOWN;
  if (op == MW_OP_SELECT_T) {
    uint32_t n;
    if (!read_u32(c, &n)) return false;
    if (n != 1) return invalid(c, MW_MSG_INVALID_RESULT_ARITY);
    want = mwt_read_valtype(&c->td);
    if (!reader_ok(c)) return false;
    if (!mwt_valtype_ok(c->m, want)) return unknown(c, MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(want));
  }
  if (!pop(c, MW_I32, &cond)) return false;
  /* A comparison as the condition: one SEL_ instruction (not for v128,
   * whose values take two slots). */
  mw_word sop = 0, sa = 0, sb = 0;
  const ctrl *fr = &c->ctrls[c->nctrls - 1];
  bool sel = c->height > fr->height && c->stack[c->height - 1].type != MW_V128 &&
             c->stack[c->height - 1].type != T_UNKNOWN && emitting(c) &&
             take_sel_cmp(c, cond, &sop, &sa, &sb);
  if (!pop(c, want, &b) || !pop(c, want, &a)) return false;
  mw_valtype t = want;
  if (op == MW_OP_SELECT) {
    /* Untyped select is for numeric operands only (spec 3.3.4). */
    if ((a.type != T_UNKNOWN && mw_valtype_is_ref(a.type)) ||
        (b.type != T_UNKNOWN && mw_valtype_is_ref(b.type)))
      return invalid(c, MW_MSG_TYPE_MISMATCH);
    if (a.type != T_UNKNOWN && b.type != T_UNKNOWN && a.type != b.type)
      return invalid(c, MW_MSG_TYPE_MISMATCH);
    t = a.type != T_UNKNOWN ? a.type : b.type;
  }
  if (sel) {
    mw_word w[] = {sop, canonical(c, c->height), a.slot, b.slot, sa, sb};
    return emit_producer(c, 6, w, t);
  }
  mw_word w[] = {t == MW_V128 ? MW_OP_SELECT_V128 : MW_OP_SELECT, canonical(c, c->height),
                 a.slot, b.slot, cond.slot};
  return emit_producer(c, 5, w, t);
}

/* ---------------------------------------------------------------- memory, tables, refs */

/* memory.size, grow, init, copy, fill (and data.drop).  Operand types
 * follow each memory's address type (memory64): sizes, deltas, addresses
 * and lengths are i64 for an i64 memory; memory.init's source and length
 * are always i32, and memory.copy's length is i64 only if both are. */
static bool op_memory(compiler *c, int op) {
  entry a, b, n;
  uint32_t x, y;
  switch (op) {
  case MW_OP_MEMORY_SIZE: {
    if (!read_memory(c, &x)) return false;
    if (fast_memory(c, x)) {
      mw_word w[] = {MW_OP_MEMORY_SIZE, canonical(c, c->height)};
      return emit_producer(c, 2, w, MW_I32);
    }
    mw_word w[] = {MW_OP_MEMORY_SIZEX, canonical(c, c->height), x};
    return emit_producer(c, 3, w, addr_type(c, x));
  }
  case MW_OP_MEMORY_GROW: {
    if (!read_memory(c, &x) || !pop(c, addr_type(c, x), &a)) return false;
    if (fast_memory(c, x)) {
      mw_word w[] = {MW_OP_MEMORY_GROW, canonical(c, c->height), a.slot};
      return emit_producer(c, 3, w, MW_I32);
    }
    mw_word w[] = {MW_OP_MEMORY_GROWX, canonical(c, c->height), a.slot, x};
    return emit_producer(c, 4, w, addr_type(c, x));
  }
  case MW_OP_MEMORY_INIT: /* the memory is checked before the segment */
    if (!read_u32(c, &y) || !read_memory(c, &x) || !check_data(c, y)) return false;
    if (!pop(c, MW_I32, &n) || !pop(c, MW_I32, &b) || !pop(c, addr_type(c, x), &a))
      return false;
    if (fast_memory(c, x)) return EMIT(c, MW_OP_MEMORY_INIT, y, a.slot, b.slot, n.slot);
    return EMIT(c, MW_OP_MEMORY_INITX, x, y, a.slot, b.slot, n.slot);
  case MW_OP_DATA_DROP:
    return read_data(c, &x) && EMIT(c, MW_OP_DATA_DROP, x);
  case MW_OP_MEMORY_COPY: /* destination, then source */
    if (!read_memory(c, &x) || !read_memory(c, &y)) return false;
    if (!pop(c, addr_type(c, x) == MW_I64 && addr_type(c, y) == MW_I64 ? MW_I64 : MW_I32, &n) ||
        !pop(c, addr_type(c, y), &b) || !pop(c, addr_type(c, x), &a))
      return false;
    if (fast_memory(c, x) && fast_memory(c, y))
      return EMIT(c, MW_OP_MEMORY_COPY, a.slot, b.slot, n.slot);
    return EMIT(c, MW_OP_MEMORY_COPYX, x, y, a.slot, b.slot, n.slot);
  default: /* MEMORY_FILL */
    if (!read_memory(c, &x)) return false;
    if (!pop(c, addr_type(c, x), &n) || !pop(c, MW_I32, &b) || !pop(c, addr_type(c, x), &a))
      return false;
    if (fast_memory(c, x)) return EMIT(c, MW_OP_MEMORY_FILL, a.slot, b.slot, n.slot);
    return EMIT(c, MW_OP_MEMORY_FILLX, x, a.slot, b.slot, n.slot);
  }
}

/* Tables indexed by i64 (memory64, Wasm 3.0) take i64 indices and lengths
 * and give i64 sizes.  The interpreter's table instructions read u32s: an
 * i64 operand is first clamped (CLAMP32, ir.h) into the canonical slot of
 * its stack position, free once popped -- a table never holds 2^32-1
 * elements, so a clamped index is out of bounds exactly when the original
 * is.  table.size and table.grow results are widened after the fact. */
static mw_valtype table_at(const compiler *c, uint32_t x) {
  return c->m->tables[x].limits.is64 ? MW_I64 : MW_I32;
}

static bool clamp_operand(compiler *c, entry *e, mw_valtype type, uint32_t height) {
  if (type != MW_I64) return true;
  uint32_t slot = canonical(c, height);
  if (!EMIT(c, MW_OP_CLAMP32, slot, e->slot)) return false;
  e->slot = slot;
  return true;
}

static bool op_table(compiler *c, int op) {
  entry a, b, n;
  uint32_t x, y;
  uint32_t h;
  switch (op) {
  case MW_OP_TABLE_GET: {
    if (!read_table(c, &x) || !pop(c, table_at(c, x), &a)) return false;
    if (!clamp_operand(c, &a, table_at(c, x), c->height)) return false;
    mw_word w[] = {MW_OP_TABLE_GET, canonical(c, c->height), x, a.slot};
    return emit_producer(c, 4, w, c->m->tables[x].elem);
  }
  case MW_OP_TABLE_SET:
    if (!read_table(c, &x)) return false;
    if (!pop(c, c->m->tables[x].elem, &b) || !pop(c, table_at(c, x), &a)) return false;
    if (!clamp_operand(c, &a, table_at(c, x), c->height)) return false;
    return EMIT(c, MW_OP_TABLE_SET, x, a.slot, b.slot);
  case MW_OP_TABLE_SIZE: {
    if (!read_table(c, &x)) return false;
    uint32_t dst = canonical(c, c->height);
    mw_word w[] = {MW_OP_TABLE_SIZE, dst, x};
    if (!emit_producer(c, 3, w, table_at(c, x))) return false;
    return table_at(c, x) == MW_I32 || EMIT(c, MW_OP_I64_EXTEND_I32_U, dst, dst);
  }
  case MW_OP_TABLE_GROW: {
    if (!read_table(c, &x)) return false;
    if (!pop(c, table_at(c, x), &n) || !pop(c, c->m->tables[x].elem, &a)) return false;
    if (!clamp_operand(c, &n, table_at(c, x), c->height + 1)) return false;
    uint32_t dst = canonical(c, c->height);
    mw_word w[] = {MW_OP_TABLE_GROW, dst, x, a.slot, n.slot};
    if (!emit_producer(c, 5, w, table_at(c, x))) return false;
    return table_at(c, x) == MW_I32 || EMIT(c, MW_OP_GROW64, dst);
  }
  case MW_OP_TABLE_FILL:
    if (!read_table(c, &x)) return false;
    if (!pop(c, table_at(c, x), &n) || !pop(c, c->m->tables[x].elem, &b) ||
        !pop(c, table_at(c, x), &a))
      return false;
    h = c->height;
    if (!clamp_operand(c, &a, table_at(c, x), h) ||
        !clamp_operand(c, &n, table_at(c, x), h + 2))
      return false;
    return EMIT(c, MW_OP_TABLE_FILL, x, a.slot, b.slot, n.slot);
  case MW_OP_TABLE_COPY: { /* the length is i64 only between i64 tables */
    if (!read_table(c, &x) || !read_table(c, &y)) return false;
    if (!sub(c, c->m->tables[y].elem, c->m->tables[x].elem))
      return invalid(c, MW_MSG_TYPE_MISMATCH);
    mw_valtype nt = table_at(c, x) == MW_I64 && table_at(c, y) == MW_I64 ? MW_I64 : MW_I32;
    if (!pop(c, nt, &n) || !pop(c, table_at(c, y), &b) || !pop(c, table_at(c, x), &a))
      return false;
    h = c->height;
    if (!clamp_operand(c, &a, table_at(c, x), h) || !clamp_operand(c, &b, table_at(c, y), h + 1) ||
        !clamp_operand(c, &n, nt, h + 2))
      return false;
    return EMIT(c, MW_OP_TABLE_COPY, x, y, a.slot, b.slot, n.slot);
  }
  case MW_OP_TABLE_INIT: /* binary order: elem index, then table index */
    if (!read_u32(c, &y) || !read_table(c, &x)) return false;
    if (y >= c->m->nelems) return unknown(c, MW_MSG_UNKNOWN_ELEM, y);
    if (!sub(c, c->m->elems[y].type, c->m->tables[x].elem)) return invalid(c, MW_MSG_TYPE_MISMATCH);
    if (!pop(c, MW_I32, &n) || !pop(c, MW_I32, &b) || !pop(c, table_at(c, x), &a)) return false;
    if (!clamp_operand(c, &a, table_at(c, x), c->height)) return false;
    return EMIT(c, MW_OP_TABLE_INIT, x, y, a.slot, b.slot, n.slot);
  default: /* ELEM_DROP */
    return read_elem(c, &x) && EMIT(c, MW_OP_ELEM_DROP, x);
  }
}

/* The type ref.func x has: (ref $t) with typed function references,
 * funcref before. */
static mw_valtype func_ref_type(const compiler *c, uint32_t x) {
  if (!has_feature(c, MW_FEATURE_FUNCTION_REFERENCES)) return MW_FUNCREF;
  return MW_REF_IDX(false, c->m->func_types[x]);
}

/* Pop a reference of any type (T_UNKNOWN in unreachable code). */
static bool pop_ref(compiler *c, entry *out) {
  if (!pop(c, T_UNKNOWN, out)) return false;
  if (out->type != T_UNKNOWN && !mw_valtype_is_reference(out->type))
    return invalid(c, MW_MSG_TYPE_MISMATCH);
  return true;
}

/* The non-null version of a reference type (T_UNKNOWN stays). */
static mw_valtype non_null(mw_valtype t) {
  return t == T_UNKNOWN ? T_UNKNOWN : (mw_valtype)((unsigned)t | MW_VT_NONNULL);
}

static bool op_ref(compiler *c, int op) {
  entry a;
  uint32_t x;
  switch (op) {
  case MW_OP_REF_NULL: {
    uint32_t ht;
    if (!read_heaptype(c, &ht)) return false;
    mw_word w[] = {MW_OP_REF_NULL, canonical(c, c->height)};
    return emit_producer(c, 2, w, (mw_valtype)ht);
  }
  case MW_OP_REF_IS_NULL: {
    if (!pop_ref(c, &a)) return false;
    mw_word w[] = {MW_OP_REF_IS_NULL, canonical(c, c->height), a.slot};
    return emit_producer(c, 3, w, MW_I32);
  }
  case MW_OP_REF_AS_NON_NULL: {
    if (!pop_ref(c, &a)) return false;
    mw_word w[] = {MW_OP_REF_AS_NON_NULL, canonical(c, c->height), a.slot};
    return emit_producer(c, 3, w, non_null(a.type));
  }
  default: { /* REF_FUNC */
    if (!read_u32(c, &x)) return false;
    if (x >= c->m->nfuncs) return unknown(c, MW_MSG_UNKNOWN_FUNC, x);
    if (!c->m->func_refs || !(c->m->func_refs[x / 8] & (1u << (x % 8))))
      return invalid(c, MW_MSG_UNDECLARED_REF);
    mw_word w[] = {MW_OP_REF_FUNC, canonical(c, c->height), x};
    return emit_producer(c, 3, w, func_ref_type(c, x));
  }
  }
}

/* A branch to label d taken when a test of `slot` holds: `jump_op` (op
 * slot target) jumps when it holds, `skip_op` when it does not.  The
 * label's values are the top entries, already checked. */
static bool emit_test_branch(compiler *c, uint32_t d, mw_word jump_op, mw_word skip_op,
                             uint32_t slot) {
  if (!emitting(c)) return true;
  ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  if (f->kind == FRAME_FUNC || f->kind == FRAME_LOOP ||
      needs_label_copies(c, label_arity(f), f->height)) {
    /* Copies (or a back edge, which polls): jump over them when not taken. */
    if (!EMIT(c, skip_op, slot, 0)) return false;
    uint32_t site = c->ncode - 1;
    if (!emit_branch(c, d)) return false;
    c->code[site] = c->ncode;
    return start_segment(c);
  }
  if (!EMIT(c, jump_op, slot, 0)) return false;
  chain_site(c, f, c->ncode - 1);
  return start_segment(c);
}

/* br_on_null l: [t* (ref null ht)] -> [t* (ref ht)], branching with t*
 * when the reference is null.  br_on_non_null l: [t* (ref null ht)] ->
 * [t*], branching with t* (ref ht) when it is not (spec 3.4.x, Wasm 3.0). */
static bool op_br_on_null(compiler *c, int op) {
  uint32_t d;
  entry r;
  if (!read_label(c, &d) || !pop_ref(c, &r)) return false;
  const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  uint32_t n = label_arity(f);
  const mw_valtype *types = label_types(f);
  c->fuse_pos = NO_POS;
  if (op == MW_OP_BR_ON_NULL) {
    if (!check_top(c, n, types)) return false;
    if (!retype_top(c, n, types)) return false;
    if (!emit_test_branch(c, d, MW_OP_BR_ON_NULL, MW_OP_BR_ON_NON_NULL, r.slot)) return false;
    return push(c, non_null(r.type), r.slot);
  }
  if (n == 0) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!push(c, non_null(r.type), r.slot)) return false;
  if (!check_top(c, n, types)) return false;
  mw_valtype top = c->stack[c->height - 1].type;
  if (!retype_top(c, n, types)) return false;
  c->stack[c->height - 1].type = top;
  if (!emit_test_branch(c, d, MW_OP_BR_ON_NON_NULL, MW_OP_BR_ON_NULL, r.slot)) return false;
  c->height--;
  return true;
}

/* call_ref $t and return_call_ref $t: the callee is a (ref null $t) on
 * top of the arguments ("null function reference" when null). */
static bool op_call_ref(compiler *c, int op) {
  uint32_t ti;
  entry r;
  if (!read_u32(c, &ti)) return false;
  if (ti >= c->m->ntypes) return unknown(c, MW_MSG_UNKNOWN_TYPE, ti);
  const mw_functype *t = c->m->types[ti];
  if (t->comp != MW_COMP_FUNC) return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (op == MW_OP_RETURN_CALL_REF && !tail_results_match(c, t))
    return invalid(c, MW_MSG_TYPE_MISMATCH);
  if (!pop(c, MW_REF_IDX(true, ti), &r)) return false;
  mw_word w[] = {(mw_word)op, ti, r.slot, 0};
  if (op == MW_OP_RETURN_CALL_REF) return finish_tail_call(c, t, w, 4);
  return finish_call(c, t, w, 4);
}

/* ---------------------------------------------------------------- SIMD */

/* The SIMD instructions of kind SPEC (opcodes.h): those with lane or
 * constant immediates, and the three-operand ones.  Layouts: exec_simd.h. */

/* Lanes of the shape an instruction name starts with (i8x16 ... f64x2). */
static uint32_t lane_count(int op) {
  const char *t = mw_opinfo_table[op].text;
  if (t[1] == '8') return 16;
  if (t[1] == '1') return 8;
  if (t[1] == '3') return 4;
  return 2;
}

static bool read_lane(compiler *c, uint32_t lanes, uint32_t *lane) {
  uint8_t b;
  if (!read_byte(c, &b)) return false;
  *lane = b;
  return b < lanes ? true : invalid(c, MW_MSG_INVALID_LANE);
}

/* 16 immediate bytes as 4 code words (little-endian, as exec reads them). */
static bool read_16(compiler *c, mw_word w[4]) {
  uint8_t bytes[16];
  for (int i = 0; i < 16; i++)
    if (!read_byte(c, &bytes[i])) return false;
  memcpy(w, bytes, 16);
  return true;
}

static bool op_simd(compiler *c, int op, const mw_opinfo *info) {
  entry a, b, x;
  uint32_t lane, offset;
  mw_word k[4];
  switch (info->imm) {
  case MW_IMM_V128: { /* v128.const */
    if (!read_16(c, k)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), k[0], k[1], k[2], k[3]};
    return emit_producer(c, 6, w, MW_V128);
  }
  case MW_IMM_SHUFFLE: {
    if (!read_16(c, k)) return false;
    const uint8_t *idx = (const uint8_t *)k;
    for (int i = 0; i < 16; i++)
      if (idx[i] >= 32) return invalid(c, MW_MSG_INVALID_LANE);
    if (!pop(c, MW_V128, &b) || !pop(c, MW_V128, &a)) return false;
    /* pshufb masks: a lane taken from the other operand is 0x80 (zero) */
    uint8_t ma[16], mb[16];
    for (int i = 0; i < 16; i++) {
      ma[i] = idx[i] < 16 ? idx[i] : 0x80;
      mb[i] = idx[i] >= 16 ? (uint8_t)(idx[i] - 16) : 0x80;
    }
    mw_word w[16] = {(mw_word)op, canonical(c, c->height), a.slot, b.slot, k[0], k[1], k[2], k[3]};
    memcpy(w + 8, ma, 16);
    memcpy(w + 12, mb, 16);
    return emit_producer(c, 16, w, MW_V128);
  }
  case MW_IMM_LANE: {
    if (!read_lane(c, lane_count(op), &lane)) return false;
    if (info->t2 == MW_T_NONE) { /* extract_lane */
      if (!pop(c, MW_V128, &a)) return false;
      mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot, lane};
      return emit_producer(c, 4, w, info->tr);
    }
    if (!pop(c, info->t2, &x) || !pop(c, MW_V128, &a)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot, x.slot, lane};
    return emit_producer(c, 5, w, MW_V128);
  }
  case MW_IMM_MEMARG_LANE: { /* any memory: see begin_access */
    mwd_memarg ma;
    uint32_t slot;
    if (!read_memarg(c, info->memsize, &ma)) return false;
    if (!read_lane(c, 16 / info->memsize, &lane)) return false;
    if (!pop(c, MW_V128, &x) || !pop(c, addr_type(c, ma.mem), &a)) return false;
    if (!begin_access(c, &ma, &a, &slot, &offset)) return false;
    if (info->tr == MW_V128) { /* load lane */
      mw_word w[] = {(mw_word)op, canonical(c, c->height), slot, x.slot, offset, lane};
      if (!emit_producer(c, 6, w, MW_V128)) return false;
    } else if (!EMIT(c, (mw_word)op, slot, x.slot, offset, lane)) {
      return false;
    }
    return end_access(c, &ma);
  }
  default: { /* three v128 operands */
    entry v3;
    if (!pop(c, MW_V128, &v3) || !pop(c, MW_V128, &b) || !pop(c, MW_V128, &a)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot, b.slot, v3.slot};
    return emit_producer(c, 5, w, MW_V128);
  }
  }
}

/* ---------------------------------------------------------------- exception handling */

#include "compile_eh.h"

/* ---------------------------------------------------------------- the loop */

static bool feature_enabled(const compiler *c, int op) {
  uint32_t f = c->m->features;
  if (op >= MW_OP_I32_EXTEND8_S && op <= MW_OP_I64_EXTEND32_S)
    return f & MW_FEATURE_SIGN_EXT;
  if (op >= MW_OP_I32_TRUNC_SAT_F32_S && op <= MW_OP_I64_TRUNC_SAT_F64_U)
    return f & MW_FEATURE_SAT_CONV;
  if (op >= MW_OP_MEMORY_INIT && op <= MW_OP_TABLE_FILL) {
    if (op == MW_OP_TABLE_GROW || op == MW_OP_TABLE_SIZE || op == MW_OP_TABLE_FILL)
      return f & MW_FEATURE_REFERENCE_TYPES;
    return f & MW_FEATURE_BULK_MEMORY;
  }
  if (op == MW_OP_REF_NULL || op == MW_OP_REF_IS_NULL || op == MW_OP_REF_FUNC ||
      op == MW_OP_TABLE_GET || op == MW_OP_TABLE_SET || op == MW_OP_SELECT_T)
    return f & MW_FEATURE_REFERENCE_TYPES;
  return true;
}

static bool read_opcode(compiler *c, int *op) {
  uint8_t b;
  if (!read_byte(c, &b)) return false;
  if (mw_opcode_is_prefix(b)) {
    uint32_t sub;
    if (!read_u32(c, &sub)) return false;
    *op = mw_opcode_from_prefixed(b, sub);
  } else {
    *op = mw_opcode_from_byte(b);
  }
  /* The decoder has rejected instructions of features that are off or not
   * implemented (naming them); what is left here is the 2.0 subfeatures. */
  if (*op < 0 || mw_opinfo_table[*op].kind == MW_KIND_NYI || !feature_enabled(c, *op))
    return malformed(c, MW_MSG_ILLEGAL_OPCODE);
  return true;
}

#include "compile_gc.h" /* the GC instructions */

static bool compile_instr(compiler *c, int op, bool *done) {
  const mw_opinfo *info = &mw_opinfo_table[op];
  switch ((mw_op_kind)info->kind) {
  case MW_KIND_UN: return op_unary(c, op, info);
  case MW_KIND_BIN: return op_binary(c, op, info);
  case MW_KIND_LOAD: return op_load(c, op, info);
  case MW_KIND_STORE: return op_store(c, op, info);
  case MW_KIND_NYI: return malformed(c, MW_MSG_ILLEGAL_OPCODE); /* see read_opcode */
  case MW_KIND_SPEC:
    if (info->feature == MW_FEAT_SIMD || info->feature == MW_FEAT_RELAXED_SIMD)
      return op_simd(c, op, info);
    break;
  }
  entry v;
  switch (op) {
  case MW_OP_UNREACHABLE:
    if (!EMIT(c, MW_OP_UNREACHABLE)) return false;
    set_unreachable(c);
    return true;
  case MW_OP_NOP: return true;
  case MW_OP_BLOCK: case MW_OP_LOOP: case MW_OP_IF: return op_block(c, op);
  case MW_OP_TRY_TABLE: case MW_OP_TRY: case MW_OP_THROW: case MW_OP_THROW_REF:
  case MW_OP_CATCH: case MW_OP_CATCH_ALL: case MW_OP_RETHROW: case MW_OP_DELEGATE:
    return op_eh(c, op, done); /* compile_eh.h */
  case MW_OP_ELSE: return op_else(c);
  case MW_OP_END: return op_end(c, done);
  case MW_OP_BR: return op_br(c);
  case MW_OP_BR_IF: return op_br_if(c);
  case MW_OP_BR_TABLE: return op_br_table(c);
  case MW_OP_RETURN: return op_return(c);
  case MW_OP_CALL: return op_call(c);
  case MW_OP_CALL_INDIRECT: return op_call_indirect(c);
  case MW_OP_RETURN_CALL: return op_return_call(c);
  case MW_OP_RETURN_CALL_INDIRECT: return op_return_call_indirect(c);
  case MW_OP_DROP: c->fuse_pos = NO_POS; return pop_entry(c, T_UNKNOWN, &v);
  case MW_OP_SELECT: case MW_OP_SELECT_T: return op_select(c, op);
  case MW_OP_LOCAL_GET: case MW_OP_LOCAL_SET: case MW_OP_LOCAL_TEE: return op_local(c, op);
  case MW_OP_GLOBAL_GET: case MW_OP_GLOBAL_SET: return op_global(c, op);
  case MW_OP_I32_CONST: case MW_OP_I64_CONST: case MW_OP_F32_CONST: case MW_OP_F64_CONST:
    return op_const(c, op);
  case MW_OP_MEMORY_SIZE: case MW_OP_MEMORY_GROW: case MW_OP_MEMORY_INIT:
  case MW_OP_DATA_DROP: case MW_OP_MEMORY_COPY: case MW_OP_MEMORY_FILL:
    return op_memory(c, op);
  case MW_OP_TABLE_GET: case MW_OP_TABLE_SET: case MW_OP_TABLE_SIZE: case MW_OP_TABLE_GROW:
  case MW_OP_TABLE_FILL: case MW_OP_TABLE_COPY: case MW_OP_TABLE_INIT: case MW_OP_ELEM_DROP:
    return op_table(c, op);
  case MW_OP_REF_NULL: case MW_OP_REF_IS_NULL: case MW_OP_REF_FUNC:
  case MW_OP_REF_AS_NON_NULL:
    return op_ref(c, op);
  case MW_OP_BR_ON_NULL: case MW_OP_BR_ON_NON_NULL: return op_br_on_null(c, op);
  case MW_OP_CALL_REF: case MW_OP_RETURN_CALL_REF: return op_call_ref(c, op);
  default:
    if (info->prefix == 0xFB || op == MW_OP_REF_EQ) return op_gc(c, op); /* compile_gc.h */
    return malformed(c, MW_MSG_ILLEGAL_OPCODE);
  }
}

static bool setup_locals(compiler *c, const mw_functype *t, const mw_code_body *body) {
  uint64_t n = (uint64_t)t->nparams + body->nlocals;
  if (n > MW_MAX_LOCALS) return malformed(c, MW_MSG_TOO_MANY_LOCALS);
  c->nlocals = (uint32_t)n;
  c->local_types = mw_alloc(c->a, (c->nlocals ? c->nlocals : 1) * sizeof *c->local_types);
  if (!c->local_types) return oom(c);
  memcpy(c->local_types, MW_FT_PARAMS(t), t->nparams * sizeof *c->local_types);
  uint32_t at = t->nparams;
  for (uint32_t r = 0; r < body->nlocal_runs; r++) {
    mw_valtype lt = body->local_runs[r].type;
    if (!mwt_valtype_ok(c->m, lt)) return unknown(c, MW_MSG_UNKNOWN_TYPE, MW_VT_INDEX(lt));
    for (uint32_t k = 0; k < body->local_runs[r].count; k++) c->local_types[at + k] = lt;
    /* Non-defaultable locals start unset (Wasm 3.0). */
    if (!mwt_defaultable(lt) && body->local_runs[r].count) {
      if (!c->local_unset && !(c->local_unset = mw_calloc(c->a, (c->nlocals + 7) / 8, 1)))
        return oom(c);
      for (uint32_t k = at; k < at + body->local_runs[r].count; k++)
        c->local_unset[k / 8] |= (uint8_t)(1u << (k % 8));
    }
    at += body->local_runs[r].count;
  }
  c->local_slots = mw_alloc(c->a, (c->nlocals ? c->nlocals : 1) * sizeof *c->local_slots);
  if (!c->local_slots) return oom(c);
  uint32_t slot = 0;
  for (uint32_t i = 0; i < c->nlocals; i++) {
    c->local_slots[i] = slot;
    slot += width(c->local_types[i]);
  }
  c->eh_hidden_base = slot; /* compile_eh.h: hidden exnref slots */
  c->nlocal_slots = slot + c->eh_hidden;
  return true;
}

static bool compile_body(compiler *c, const mw_functype *t) {
  if (!push_ctrl(c, FRAME_FUNC, 0, NULL, t->nresults, MW_FT_RESULTS(t))) return false;
  if (!start_segment(c)) return false;
  bool done = false;
  while (!done) {
    int op;
    /* The reference interpreter reports a body that stops short of its
     * `end` as "END opcode expected", or as running out of bytes when the
     * body is the last thing in the module; spec tests check both. */
    if (c->r.p >= c->r.end)
      return malformed(c, c->at_module_end ? MW_MSG_UNEXPECTED_END_SECTION
                                           : MW_MSG_END_EXPECTED);
    if (!read_opcode(c, &op)) return false;
    count_instruction(c, op);
    if (!compile_instr(c, op, &done)) return false;
  }
  close_segment(c);
  if (c->r.p != c->r.end) return malformed(c, MW_MSG_SECTION_SIZE);
  return true;
}

/* The last step (ir.h): each instruction's opcode word becomes its
 * handler's word.  meta (acc.h) knows every instruction start; raw words
 * (br_table targets, exception records) keep their values. */
static void to_handler_words(mw_word *code, const uint32_t *meta, uint32_t n) {
  const uint32_t *words = mwx_handler_words();
  if (!words) return; /* the switch build runs opcodes */
  for (uint32_t q = 0; q < n; q++)
    if (meta[q] != 0 && meta[q] != MWC_META_RAW) code[q] = words[code[q]];
}

/* One pass over the body with `hidden` exnref slots reserved (compile_eh.h);
 * *need says how many it turned out to need. */
static mw_error *compile_once(mw_module *m, uint32_t di, mw_compiled *out,
                              uint32_t hidden, uint32_t *need) {
  const mw_code_body *body = &m->codes[di];
  const mw_functype *t = m->types[m->func_types[m->nfunc_imports + di]];
  compiler c;
  memset(&c, 0, sizeof c);
  c.m = m;
  c.a = &m->alloc;
  c.r.p = body->start;
  c.r.end = body->end;
  c.at_module_end = body->end == m->bytes + m->len;
  c.fuse_pos = NO_POS;
  c.last_pos = NO_POS;
  c.prev_pos = NO_POS;
  c.meter_site = NO_POS;
  c.eh_hidden = hidden;
  c.td.r = &c.r;
  c.td.features = m->features;
  c.td.base = m->bytes;
  uint64_t max_code = (uint64_t)(body->end - body->start) * MW_CODE_WORDS_PER_BYTE + 4096;
  c.max_code = max_code < UINT32_MAX / sizeof(mw_word) ? (uint32_t)max_code
                                                      : UINT32_MAX / sizeof(mw_word);
  mwgc_map_begin(&c.gcmap, c.a);
  if (setup_locals(&c, t, body)) gc_map_locals(&c);
  uint32_t eh_table = 0;
  if (!c.err && compile_body(&c, t) && eh_finish(&c, &eh_table)) {
    mwc_acc_pass(c.code, c.acc_meta, c.ncode); /* acc.h */
    mwc_move_pass(c.code, c.acc_meta, c.ncode); /* ir_move.h */
    to_handler_words(c.code, c.acc_meta, c.ncode);
    out->eh_table = eh_table;
    out->nparams = mw_slot_count(MW_FT_PARAMS(t), t->nparams);
    out->nresults = mw_slot_count(MW_FT_RESULTS(t), t->nresults);
    out->nlocals = c.nlocal_slots;
    uint32_t slots = c.max_slot > c.nlocal_slots ? c.max_slot : c.nlocal_slots;
    if (slots < out->nresults) slots = out->nresults;
    out->max_slots = slots;
    /* Shrink to fit: mwc_free releases exactly ncode words.  Every valid
     * body emits at least one instruction (its end returns or is
     * unreachable through one that traps or jumps). */
    mw_word *code = mw_realloc(c.a, c.code, c.cap_code * sizeof *code,
                               c.ncode * sizeof *code);
    if (code) {
      out->code = code;
      out->ncode = c.ncode;
      c.code = NULL;
      c.cap_code = 0;
    } else {
      oom(&c);
    }
    if (!c.err && !mwgc_map_finish(&c.gcmap, &out->gcmap)) oom(&c);
  }
  mwgc_map_abandon(&c.gcmap);
  if (c.err) mwc_free(c.a, out); /* nothing half made is kept */
  mw_free(c.a, c.code, c.cap_code * sizeof *c.code);
  mw_free(c.a, c.acc_meta, c.cap_meta * sizeof *c.acc_meta);
  mw_free(c.a, c.stack, c.cap_stack * sizeof *c.stack);
  mw_free(c.a, c.ctrls, c.cap_ctrls * sizeof *c.ctrls);
  mw_free(c.a, c.local_types, (c.nlocals ? c.nlocals : 1) * sizeof *c.local_types);
  if (c.local_unset) mw_free(c.a, c.local_unset, (c.nlocals + 7) / 8);
  mw_free(c.a, c.inits, c.cap_inits * sizeof *c.inits);
  while (c.ones) {
    struct one_type *o = c.ones;
    c.ones = o->next;
    mw_free(c.a, o, sizeof *o);
  }
  if (c.local_slots) mw_free(c.a, c.local_slots, (c.nlocals ? c.nlocals : 1) * sizeof *c.local_slots);
  eh_free(&c);
  *need = c.eh_need;
  return c.err;
}

mw_error *mwc_compile(mw_module *m, uint32_t di, mw_compiled *out) {
  uint32_t need = 0;
  mw_error *err = compile_once(m, di, out, 0, &need);
  if (!err && need > 0) { /* legacy catch bodies: again, with their slots */
    mwc_free(&m->alloc, out);
    err = compile_once(m, di, out, need, &need);
  }
  return err;
}

void mwc_free(const mw_allocator *a, mw_compiled *code) {
  if (!code) return;
  mw_free(a, code->code, code->ncode * sizeof *code->code);
  code->code = NULL;
  mwgc_map_free(a, code->gcmap); /* gc_map.c */
  code->gcmap = NULL;
}
