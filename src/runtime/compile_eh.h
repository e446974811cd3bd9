/*
 * compile_eh.h -- exception handling in compile.c (included once by it):
 * throw, throw_ref, try_table (Wasm 3.0) and the legacy try, catch,
 * catch_all, rethrow and delegate.
 *
 * What the interpreter needs (exec_eh.h) is a table of *regions*, appended
 * after the code (mw_compiled.eh_table): [n, then n x (start end record)],
 * innermost first (a region is added when its try body closes, and nested
 * bodies close first).  An exception raised at a code position p in
 * [start, end) consults the region's record, in the code:
 *
 *   depth n  (kind tag dst target exnslot) x n      handler clauses
 *   depth EH_DELEGATE target_depth                   legacy delegate
 *
 * `depth` is the try's index on the control stack.  A clause whose tag
 * matches (or a catch_all) receives the values at fp[dst ..] (then the
 * exnref for the _ref kinds) and continues at `target`; a legacy clause
 * also keeps the exnref in the hidden slot `exnslot` for rethrow.  A
 * delegate makes the search skip every region deeper than target_depth.
 *
 * try_table catches branch to labels outside the try_table: the clause
 * goes to the label's canonical slots, as a branch would put its values,
 * and `target` is the label's target, patched through the label's chain
 * like any forward jump (so records are emitted inline, behind a JUMP,
 * when the try_table starts).  A branch to the function's label returns:
 * dst 0 and a target that is a RETURN in the record area.  Legacy records
 * are emitted (behind a JUMP) at the try's `end`, when its clauses are
 * known.
 *
 * Legacy catch bodies keep the caught exception for rethrow in a hidden
 * slot after the locals (traced by the collector like a local), one per
 * nesting level of catch bodies.  Their
 * number is known only after the body is read: mwc_compile compiles once
 * more with them reserved when the first pass found it needed some.
 */

#include <stdio.h>

#define EH_DELEGATE 0xFFFFFFFFu
enum { EH_CATCH, EH_CATCH_REF, EH_CATCH_ALL, EH_CATCH_ALL_REF, EH_LEGACY_CATCH,
       EH_LEGACY_CATCH_ALL };

static bool eh_grow(compiler *c, mw_word **p, uint32_t n, uint32_t *cap, uint32_t more) {
  if (n + more <= *cap) return true;
  uint32_t nc = *cap ? *cap * 2 : 16;
  while (nc < n + more) nc *= 2;
  mw_word *q = mw_realloc(c->a, *p, *cap * sizeof *q, nc * sizeof *q);
  if (!q) return oom(c);
  *p = q;
  *cap = nc;
  return true;
}

/* Words written whatever the reachability of the current code (records
 * of a live try), unlike emit(). */
static bool eh_emit_raw(compiler *c, uint32_t n, const mw_word *w) {
  if (!reserve_code(c, n)) return false;
  acc_raw(c, c->ncode, n);
  memcpy(c->code + c->ncode, w, n * sizeof *w);
  c->ncode += n;
  return true;
}

/* The JUMP over a try_table's record and the RETURN in it are run, not
 * read: instruction starts (no fall-through predecessor) for the passes
 * and for to_handler_words. */
static void eh_mark_instruction(compiler *c, uint32_t at) { c->acc_meta[at] = 1; }

static bool eh_add_region(compiler *c, uint32_t start, uint32_t end, uint32_t rec,
                          uint32_t *index) {
  if (!eh_grow(c, &c->eh_regions, c->neh_regions * 3, &c->cap_eh_regions, 3)) return false;
  mw_word *r = c->eh_regions + c->neh_regions * 3;
  r[0] = start;
  r[1] = end;
  r[2] = rec;
  if (index) *index = c->neh_regions;
  c->neh_regions++;
  return true;
}

static bool read_tag(compiler *c, uint32_t *x) {
  if (!read_u32(c, x)) return false;
  return *x < c->m->ntags ? true : unknown(c, MW_MSG_UNKNOWN_TAG, *x);
}

static const mw_functype *tag_type(const compiler *c, uint32_t x) {
  return c->m->types[c->m->tag_types[x]];
}

/* ---------------------------------------------------------------- messages */

/* The reference interpreter's detailed wording, which the legacy and
 * throw tests check: "type mismatch: instruction requires [i32] but stack
 * has [i64]" (missing or wrong values: the top ones), "type mismatch:
 * block requires [] but stack has [i32]" (values left over). */
static void eh_types_text(char *buf, size_t size, size_t *o, const mw_valtype *ts,
                          uint32_t n) {
  for (uint32_t i = 0; i < n && *o < size; i++) {
    char one[64];
    mw_valtype_format(ts[i], one, sizeof one);
    *o += (size_t)snprintf(buf + *o, size - *o, "%s%s", i ? " " : "", one);
  }
}

static bool eh_mismatch(compiler *c, const char *what, uint32_t n, const mw_valtype *want,
                        uint32_t have_from) {
  char buf[512];
  size_t o = (size_t)snprintf(buf, sizeof buf, "%s: %s requires [", MW_MSG_TYPE_MISMATCH, what);
  eh_types_text(buf, sizeof buf, &o, want, n);
  if (o < sizeof buf) o += (size_t)snprintf(buf + o, sizeof buf - o, "] but stack has [");
  mw_valtype have[64];
  uint32_t k = 0;
  for (uint32_t h = have_from; h < c->height && k < 64; h++) have[k++] = c->stack[h].type;
  eh_types_text(buf, sizeof buf, &o, have, k);
  if (o < sizeof buf) snprintf(buf + o, sizeof buf - o, "]");
  if (!c->err) c->err = mw_errorf(MW_ERR_INVALID, "%s", buf);
  return false;
}

/* The top n values must be `want` (reachable code only: the polymorphic
 * stack is left to check_top). */
static bool eh_check_top(compiler *c, const ctrl *f, uint32_t n, const mw_valtype *want) {
  uint32_t avail = c->height - f->height;
  if (f->unreachable) return true;
  uint32_t m = avail < n ? avail : n;
  bool ok = avail >= n;
  for (uint32_t i = 0; ok && i < n; i++) {
    mw_valtype have = c->stack[c->height - n + i].type;
    ok = have == T_UNKNOWN || sub(c, have, want[i]);
  }
  return ok ? true : eh_mismatch(c, "instruction", n, want, c->height - m);
}

static bool eh_check_results(compiler *c, const ctrl *f) {
  if (f->kind != FRAME_TRY && f->kind != FRAME_CATCH) return true;
  if (!eh_check_top(c, f, f->nresults, f->results)) return false;
  if (!f->unreachable && c->height - f->height > f->nresults)
    return eh_mismatch(c, "block", f->nresults, f->results, f->height);
  return true;
}

/* ---------------------------------------------------------------- throw */

/* throw x: the tag's values go to consecutive canonical slots, as call
 * arguments do; THROW tagidx argbase. */
static bool op_throw(compiler *c) {
  uint32_t x;
  if (!read_tag(c, &x)) return false;
  const mw_functype *t = tag_type(c, x);
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  if (!eh_check_top(c, f, t->nparams, MW_FT_PARAMS(t))) return false;
  if (!check_top(c, t->nparams, MW_FT_PARAMS(t))) return false;
  uint32_t avail = c->height - f->height;
  if (!pop_operands(c, t->nparams)) return false;
  uint32_t base = canonical(c, c->height);
  if (!EMIT(c, MW_OP_THROW, x, base)) return false;
  /* THROW allocates (a collection may run): its values are live too */
  if (!gc_point(c, c->height + (avail >= t->nparams ? t->nparams : 0))) return false;
  uint32_t top = base + mw_slot_count(MW_FT_PARAMS(t), t->nparams);
  if (top > c->max_slot) c->max_slot = top;
  set_unreachable(c);
  return true;
}

static bool op_throw_ref(compiler *c) {
  entry e;
  if (!pop(c, MW_EXNREF, &e)) return false; /* (ref null exn) or a subtype */
  if (!EMIT(c, MW_OP_THROW_REF, e.slot)) return false;
  set_unreachable(c);
  return true;
}

/* ---------------------------------------------------------------- try_table */

/* Does label f take these values (then a (ref exn) if `ref`)? */
static bool label_takes(const compiler *c, const ctrl *f, uint32_t n,
                        const mw_valtype *types, bool ref) {
  if (label_arity(f) != n + (ref ? 1 : 0)) return false;
  const mw_valtype *lt = label_types(f);
  for (uint32_t i = 0; i < n; i++)
    if (!sub(c, types[i], lt[i])) return false;
  return !ref || sub(c, MW_REF(false, MW_HT_EXN), lt[n]);
}

/* The clauses of a try_table, checked against their labels (counted from
 * outside the try_table) and kept in c->eh_catch_words: kind tag depth. */
static bool eh_read_catches(compiler *c) {
  uint32_t n;
  if (!read_u32(c, &n)) return false;
  c->neh_catch = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t kind;
    uint32_t x = 0, d;
    if (!read_byte(c, &kind)) return false;
    if (kind > EH_CATCH_ALL_REF) return malformed(c, "malformed catch clause");
    if (kind <= EH_CATCH_REF && !read_tag(c, &x)) return false;
    if (!read_label(c, &d)) return false;
    const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
    bool ok = kind <= EH_CATCH_REF
                  ? label_takes(c, f, tag_type(c, x)->nparams, MW_FT_PARAMS(tag_type(c, x)),
                                kind == EH_CATCH_REF)
                  : label_takes(c, f, 0, NULL, kind == EH_CATCH_ALL_REF);
    if (!ok) return invalid(c, MW_MSG_TYPE_MISMATCH);
    if (!eh_grow(c, &c->eh_catch_words, c->neh_catch * 3, &c->cap_eh_catch, 3)) return false;
    mw_word *w = c->eh_catch_words + c->neh_catch++ * 3;
    w[0] = kind;
    w[1] = x;
    w[2] = d;
  }
  return true;
}

/* Before the try_table's frame is pushed: JUMP over its record, the
 * record, and a RETURN for clauses that branch to the function's label.
 * The region starts where the body does (push_ctrl's eh_start). */
static bool eh_emit_catches(compiler *c) {
  uint32_t n = c->neh_catch;
  c->neh_catch = 0; /* from here on: the record's position, 0 for none */
  if (!emitting(c) || n == 0) return true;
  uint32_t jump_at = c->ncode;
  mw_word head[] = {MW_OP_JUMP, 0, c->nctrls /* the try_table's depth */, n};
  if (!eh_emit_raw(c, 4, head)) return false;
  eh_mark_instruction(c, jump_at);
  uint32_t rec = jump_at + 2;
  bool returns = false;
  for (uint32_t i = 0; i < n; i++)
    returns |= c->ctrls[c->nctrls - 1 - c->eh_catch_words[i * 3 + 2]].kind == FRAME_FUNC;
  uint32_t ret_at = rec + 2 + n * 5; /* the RETURN, if needed, follows */
  for (uint32_t i = 0; i < n; i++) {
    const mw_word *w = c->eh_catch_words + i * 3;
    ctrl *f = &c->ctrls[c->nctrls - 1 - w[2]];
    uint32_t dst = f->kind == FRAME_FUNC ? 0 : canonical(c, f->height);
    mw_word clause[] = {w[0], w[1], dst, 0, 0};
    if (!eh_emit_raw(c, 5, clause)) return false;
    uint32_t site = c->ncode - 2;
    if (f->kind == FRAME_LOOP) c->code[site] = f->loop_pc;
    else if (f->kind == FRAME_FUNC) c->code[site] = ret_at;
    else chain_site(c, f, site);
    /* The values land above everything live at the label. */
    uint32_t nt = label_arity(f);
    uint32_t top = dst + mw_slot_count(label_types(f), nt);
    if (top > c->max_slot) c->max_slot = top;
  }
  if (returns) {
    mw_word r[] = {MW_OP_RETURN};
    if (!eh_emit_raw(c, 1, r)) return false;
    eh_mark_instruction(c, c->ncode - 1);
  }
  c->code[jump_at + 1] = c->ncode;
  c->neh_catch = rec; /* picked up by op_eh once the frame is pushed */
  return true;
}

/* ---------------------------------------------------------------- legacy try */

/* Catch bodies enclosing the top frame (each has a hidden slot). */
static uint32_t catch_level(const compiler *c, uint32_t below) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < below; i++) n += c->ctrls[i].kind == FRAME_CATCH;
  return n;
}

static uint32_t hidden_slot(compiler *c, uint32_t level) {
  if (level + 1 > c->eh_need) c->eh_need = level + 1;
  /* Not reserved yet (first pass): any slot, the code is thrown away. */
  return level < c->eh_hidden ? c->eh_hidden_base + level : c->eh_hidden_base;
}

/* catch x / catch_all: the previous part ends (as before `else`), the
 * try body's region closes, a clause starts here with the values (if any)
 * pushed at the block's base. */
static bool op_catch(compiler *c, int op) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  uint32_t x = 0;
  if (op == MW_OP_CATCH && !read_tag(c, &x)) return false;
  if ((f->kind != FRAME_TRY && f->kind != FRAME_CATCH) || f->eh_all)
    return malformed(c, op == MW_OP_CATCH ? "catch without try" : "catch_all without try");
  if (!close_results(c, f)) return false;
  c->fuse_pos = NO_POS;
  if (emitting(c)) {
    if (!EMIT(c, MW_OP_JUMP, 0)) return false;
    chain_site(c, f, c->ncode - 1);
  }
  mark_label(c); /* the clause's body is where exceptions land */
  if (f->kind == FRAME_TRY && !f->dead) {
    if (!eh_add_region(c, f->eh_start, c->ncode, 0, &f->eh_region)) return false;
    f->eh_catches = c->neh_clauses;
  }
  f->kind = FRAME_CATCH;
  f->eh_all = op == MW_OP_CATCH_ALL;
  f->unreachable = false;
  f->eh_level = catch_level(c, c->nctrls - 1);
  if (!start_segment(c)) return false;
  c->height = f->height;
  uint32_t dst = canonical(c, c->height);
  if (op == MW_OP_CATCH) {
    const mw_functype *t = tag_type(c, x);
    for (uint32_t i = 0; i < t->nparams; i++)
      if (!push(c, MW_FT_PARAMS(t)[i], canonical(c, c->height))) return false;
  }
  if (f->dead) return true;
  if (!eh_grow(c, &c->eh_clauses, c->neh_clauses * 5, &c->cap_eh_clauses, 5)) return false;
  mw_word *w = c->eh_clauses + c->neh_clauses++ * 5;
  w[0] = op == MW_OP_CATCH ? EH_LEGACY_CATCH : EH_LEGACY_CATCH_ALL;
  w[1] = x;
  w[2] = dst;
  w[3] = c->ncode;
  w[4] = hidden_slot(c, f->eh_level);
  return true;
}

/* At a legacy try's end: its record, behind a JUMP, if it had clauses. */
static bool eh_end_legacy(compiler *c, ctrl *f) {
  if (f->eh_region == NO_POS) return true; /* no clause, or dead code */
  uint32_t n = c->neh_clauses - f->eh_catches;
  if (emitting(c)) {
    if (!EMIT(c, MW_OP_JUMP, 0)) return false;
    chain_site(c, f, c->ncode - 1);
  }
  uint32_t rec = c->ncode;
  mw_word head[] = {(mw_word)(f - c->ctrls), n};
  if (!eh_emit_raw(c, 2, head)) return false;
  if (!eh_emit_raw(c, n * 5, c->eh_clauses + f->eh_catches * 5)) return false;
  c->eh_regions[f->eh_region * 3 + 2] = rec;
  c->neh_clauses = f->eh_catches;
  return true;
}

/* delegate l: the try ends; exceptions of its body go on to the handlers
 * of label l, counted from outside the try. */
static bool op_delegate(compiler *c, bool *done) {
  ctrl *f = &c->ctrls[c->nctrls - 1];
  uint32_t d;
  if (!read_u32(c, &d)) return false;
  if (f->kind != FRAME_TRY) return malformed(c, "delegate without try");
  if (d >= c->nctrls - 1) return unknown(c, MW_MSG_UNKNOWN_LABEL, d);
  if (!close_results(c, f)) return false;
  if (!f->dead) {
    uint32_t end = c->ncode;
    if (emitting(c)) {
      if (!EMIT(c, MW_OP_JUMP, 0)) return false;
      chain_site(c, f, c->ncode - 1);
    }
    uint32_t rec = c->ncode;
    mw_word w[] = {(mw_word)(f - c->ctrls), EH_DELEGATE, c->nctrls - 2 - d};
    if (!eh_emit_raw(c, 3, w)) return false;
    if (!eh_add_region(c, f->eh_start, end, rec, NULL)) return false;
  }
  f->kind = FRAME_BLOCK; /* the rest is a plain block's end */
  return op_end(c, done);
}

/* rethrow l: l names an enclosing catch clause; its hidden slot holds the
 * exception. */
static bool op_rethrow(compiler *c) {
  uint32_t d;
  if (!read_label(c, &d)) return false;
  const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  if (f->kind != FRAME_CATCH) return invalid(c, MW_MSG_RETHROW_LABEL);
  uint32_t slot = hidden_slot(c, f->eh_level);
  if (!EMIT(c, MW_OP_THROW_REF, slot)) return false;
  set_unreachable(c);
  return true;
}

/* ---------------------------------------------------------------- ends */

static bool eh_end(compiler *c, ctrl *f) {
  if (f->kind == FRAME_TRY_TABLE) {
    if (f->eh_catches == 0 || f->dead) return true; /* nothing to catch */
    return eh_add_region(c, f->eh_start, c->ncode, f->eh_catches, NULL);
  }
  return eh_end_legacy(c, f); /* FRAME_TRY without clauses, FRAME_CATCH */
}

static bool op_eh(compiler *c, int op, bool *done) {
  switch (op) {
  case MW_OP_THROW: return op_throw(c);
  case MW_OP_THROW_REF: return op_throw_ref(c);
  case MW_OP_TRY_TABLE: {
    c->neh_catch = 0;
    uint32_t at = c->nctrls;
    if (!op_block(c, op)) return false;
    /* eh_emit_catches left the record's position in neh_catch (0: none) */
    c->ctrls[at].eh_catches = c->neh_catch;
    c->ctrls[at].eh_start = c->ncode;
    c->neh_catch = 0;
    return true;
  }
  case MW_OP_TRY: return op_block(c, op);
  case MW_OP_CATCH: case MW_OP_CATCH_ALL: return op_catch(c, op);
  case MW_OP_DELEGATE: return op_delegate(c, done);
  default: return op_rethrow(c);
  }
}

/* After the body: append the region table (mw_compiled.eh_table). */
static bool eh_finish(compiler *c, uint32_t *table) {
  *table = 0;
  if (c->neh_regions == 0) return true;
  *table = c->ncode;
  mw_word n = c->neh_regions;
  return eh_emit_raw(c, 1, &n) && eh_emit_raw(c, n * 3, c->eh_regions);
}

static void eh_free(compiler *c) {
  mw_free(c->a, c->eh_regions, c->cap_eh_regions * sizeof *c->eh_regions);
  mw_free(c->a, c->eh_clauses, c->cap_eh_clauses * sizeof *c->eh_clauses);
  mw_free(c->a, c->eh_catch_words, c->cap_eh_catch * sizeof *c->eh_catch_words);
}
