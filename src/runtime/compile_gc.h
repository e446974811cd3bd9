/*
 * compile_gc.h -- validating and compiling the GC instructions (Wasm 3.0:
 * struct.*, array.*, i31, ref.eq, ref.test, ref.cast, br_on_cast*,
 * any.convert_extern, extern.convert_any).  Included by compile.c, whose
 * helpers it uses; the emitted layouts are in exec_gc.h.
 *
 * Typing follows the spec's rules (3.4.x, "Aggregate Reference
 * Instructions") and the reference interpreter's messages.  Every
 * instruction that allocates records a stack-map point (gc_point) right
 * after it, covering its operands too: a collection may run inside it.
 */

/* A field or element type without its mutability; packed i8/i16 read as
 * i32. */
static mw_valtype gc_unpacked(mw_valtype f) {
  mw_valtype t = MW_VT_PLAIN(f);
  return t == MW_I8 || t == MW_I16 ? MW_I32 : t;
}

static bool gc_packed(mw_valtype f) {
  mw_valtype t = MW_VT_PLAIN(f);
  return t == MW_I8 || t == MW_I16;
}

static bool gc_mutable(mw_valtype f) { return ((unsigned)f & MW_VT_MUT) != 0; }

static bool gc_defaultable(mw_valtype t) {
  return !mw_valtype_is_reference(t) || MW_VT_NULLABLE(t);
}

/* A type index naming a struct (comp MW_COMP_STRUCT) or an array type. */
static bool gc_read_type(compiler *c, uint8_t comp, uint32_t *x,
                         const mw_functype **t) {
  if (!read_u32(c, x)) return false;
  if (*x >= c->m->ntypes) return unknown(c, MW_MSG_UNKNOWN_TYPE, *x);
  *t = c->m->types[*x];
  if ((*t)->comp != comp) return invalid(c, MW_MSG_TYPE_MISMATCH);
  return true;
}

/* Pop n operands of types ty(0..n-1) (field types, unpacked) into
 * consecutive canonical slots; *base gets the first.  As for call
 * arguments, missing ones are polymorphic in unreachable code. */
static bool gc_pop_operands(compiler *c, uint32_t n, const mw_valtype *fields,
                            bool same, uint32_t *base) {
  const ctrl *f = &c->ctrls[c->nctrls - 1];
  uint32_t avail = c->height - f->height;
  if (avail < n && !f->unreachable) return invalid(c, MW_MSG_TYPE_MISMATCH);
  for (uint32_t i = 0; i < n && i < avail; i++) {
    mw_valtype have = c->stack[c->height - 1 - i].type;
    mw_valtype want = gc_unpacked(same ? fields[0] : fields[n - 1 - i]);
    if (have != T_UNKNOWN && !sub(c, have, want)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  }
  if (!pop_operands(c, n)) return false;
  *base = canonical(c, c->height);
  return true;
}

/* Emit an allocating producer whose operands were entries height ..
 * height+nops-1, then push its result. */
static bool gc_emit_alloc(compiler *c, uint32_t n, mw_word *words, uint32_t nops,
                          mw_valtype result) {
  uint32_t h = c->height;
  if (!emit_producer_at(c, n, words, h) || !gc_point(c, h + nops)) return false;
  return push(c, result, canonical(c, h));
}

static bool op_struct(compiler *c, int op) {
  uint32_t x, field = 0;
  const mw_functype *t;
  entry r, v;
  if (!gc_read_type(c, MW_COMP_STRUCT, &x, &t)) return false;
  mw_valtype self = MW_REF_IDX(true, x);
  if (op != MW_OP_STRUCT_NEW && op != MW_OP_STRUCT_NEW_DEFAULT) {
    if (!read_u32(c, &field)) return false;
    if (field >= t->nparams) return unknown(c, "unknown field", field);
  }
  switch (op) {
  case MW_OP_STRUCT_NEW: {
    uint32_t base, h0 = c->height;
    if (!gc_pop_operands(c, t->nparams, t->types, false, &base)) return false;
    mw_word w[] = {MW_OP_STRUCT_NEW, base, x, base};
    return gc_emit_alloc(c, 4, w, h0 - c->height, (mw_valtype)((unsigned)self | MW_VT_NONNULL));
  }
  case MW_OP_STRUCT_NEW_DEFAULT: {
    for (uint32_t i = 0; i < t->nparams; i++)
      if (!gc_defaultable(gc_unpacked(t->types[i])))
        return invalid(c, "field type is not defaultable");
    mw_word w[] = {MW_OP_STRUCT_NEW_DEFAULT, canonical(c, c->height), x};
    return gc_emit_alloc(c, 3, w, 0, (mw_valtype)((unsigned)self | MW_VT_NONNULL));
  }
  case MW_OP_STRUCT_SET: {
    if (!gc_mutable(t->types[field])) return invalid(c, "immutable field");
    if (!pop(c, gc_unpacked(t->types[field]), &v) || !pop(c, self, &r)) return false;
    return EMIT(c, MW_OP_STRUCT_SET, r.slot, v.slot, x, field);
  }
  default: { /* STRUCT_GET, _S, _U */
    bool packed = gc_packed(t->types[field]);
    if (packed != (op != MW_OP_STRUCT_GET))
      return invalid(c, packed ? "field is packed" : "field is unpacked");
    if (!pop(c, self, &r)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), r.slot, x, field};
    return emit_producer(c, 5, w, gc_unpacked(t->types[field]));
  }
  }
}

static bool gc_numeric(mw_valtype t) {
  return !mw_valtype_is_reference(t);
}

/* An element segment's type fits an array's element type. */
static bool gc_read_elem_for(compiler *c, const mw_functype *t, uint32_t *e) {
  if (!read_elem(c, e)) return false;
  if (!sub(c, c->m->elems[*e].type, gc_unpacked(t->types[0])))
    return invalid(c, MW_MSG_TYPE_MISMATCH);
  return true;
}

static bool gc_read_data_for(compiler *c, const mw_functype *t, uint32_t *d) {
  if (!read_data(c, d)) return false;
  if (!gc_numeric(gc_unpacked(t->types[0])))
    return invalid(c, "array type is not numeric or vector");
  return true;
}

static bool op_array(compiler *c, int op) {
  uint32_t x, y = 0, n = 0;
  const mw_functype *t = NULL, *t2;
  entry r, r2, i, v, len, s;
  if (op != MW_OP_ARRAY_LEN && !gc_read_type(c, MW_COMP_ARRAY, &x, &t)) return false;
  mw_valtype self = t ? MW_REF_IDX(true, x) : MW_ARRAYREF;
  mw_valtype made = (mw_valtype)((unsigned)self | MW_VT_NONNULL);
  mw_valtype elem = t ? gc_unpacked(t->types[0]) : MW_I32;
  bool writes = op == MW_OP_ARRAY_SET || op == MW_OP_ARRAY_FILL ||
                op == MW_OP_ARRAY_COPY || op == MW_OP_ARRAY_INIT_DATA ||
                op == MW_OP_ARRAY_INIT_ELEM;
  if (writes && !gc_mutable(t->types[0])) return invalid(c, "immutable array");
  switch (op) {
  case MW_OP_ARRAY_NEW: {
    uint32_t h0 = c->height;
    if (!pop(c, MW_I32, &len) || !pop(c, elem, &v)) return false;
    mw_word w[] = {MW_OP_ARRAY_NEW, canonical(c, c->height), x, v.slot, len.slot};
    return gc_emit_alloc(c, 5, w, h0 - c->height, made);
  }
  case MW_OP_ARRAY_NEW_DEFAULT: {
    if (!gc_defaultable(elem)) return invalid(c, "array type is not defaultable");
    uint32_t h0 = c->height;
    if (!pop(c, MW_I32, &len)) return false;
    mw_word w[] = {MW_OP_ARRAY_NEW_DEFAULT, canonical(c, c->height), x, len.slot};
    return gc_emit_alloc(c, 4, w, h0 - c->height, made);
  }
  case MW_OP_ARRAY_NEW_FIXED: {
    uint32_t base, h0 = c->height;
    if (!read_u32(c, &n)) return false;
    if (n > MW_MAX_STACK_HEIGHT) return invalid(c, MW_MSG_TYPE_MISMATCH);
    if (!gc_pop_operands(c, n, t->types, true, &base)) return false;
    mw_word w[] = {MW_OP_ARRAY_NEW_FIXED, base, x, base, n};
    return gc_emit_alloc(c, 5, w, h0 - c->height, made);
  }
  case MW_OP_ARRAY_NEW_DATA:
  case MW_OP_ARRAY_NEW_ELEM: {
    if (op == MW_OP_ARRAY_NEW_DATA ? !gc_read_data_for(c, t, &y)
                                   : !gc_read_elem_for(c, t, &y))
      return false;
    uint32_t h0 = c->height;
    if (!pop(c, MW_I32, &len) || !pop(c, MW_I32, &s)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), x, y, s.slot, len.slot};
    return gc_emit_alloc(c, 6, w, h0 - c->height, made);
  }
  case MW_OP_ARRAY_GET:
  case MW_OP_ARRAY_GET_S:
  case MW_OP_ARRAY_GET_U: {
    bool packed = gc_packed(t->types[0]);
    if (packed != (op != MW_OP_ARRAY_GET))
      return invalid(c, packed ? "array is packed" : "array is unpacked");
    if (!pop(c, MW_I32, &i) || !pop(c, self, &r)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), r.slot, i.slot, x};
    return emit_producer(c, 5, w, elem);
  }
  case MW_OP_ARRAY_SET:
    if (!pop(c, elem, &v) || !pop(c, MW_I32, &i) || !pop(c, self, &r)) return false;
    return EMIT(c, MW_OP_ARRAY_SET, r.slot, i.slot, v.slot, x);
  case MW_OP_ARRAY_LEN: {
    if (!pop(c, MW_ARRAYREF, &r)) return false;
    mw_word w[] = {MW_OP_ARRAY_LEN, canonical(c, c->height), r.slot};
    return emit_producer(c, 3, w, MW_I32);
  }
  case MW_OP_ARRAY_FILL:
    if (!pop(c, MW_I32, &len) || !pop(c, elem, &v) || !pop(c, MW_I32, &i) ||
        !pop(c, self, &r))
      return false;
    return EMIT(c, MW_OP_ARRAY_FILL, r.slot, i.slot, v.slot, len.slot, x);
  case MW_OP_ARRAY_COPY: {
    if (!gc_read_type(c, MW_COMP_ARRAY, &y, &t2)) return false;
    mw_valtype ds = MW_VT_PLAIN(t->types[0]), ss = MW_VT_PLAIN(t2->types[0]);
    bool match = gc_packed(ds) || gc_packed(ss) ? ds == ss : sub(c, ss, ds);
    if (!match) return invalid(c, "array types do not match");
    if (!pop(c, MW_I32, &len) || !pop(c, MW_I32, &s) ||
        !pop(c, MW_REF_IDX(true, y), &r2) || !pop(c, MW_I32, &i) || !pop(c, self, &r))
      return false;
    return EMIT(c, MW_OP_ARRAY_COPY, r.slot, i.slot, r2.slot, s.slot, len.slot);
  }
  default: { /* ARRAY_INIT_DATA, ARRAY_INIT_ELEM */
    if (op == MW_OP_ARRAY_INIT_DATA ? !gc_read_data_for(c, t, &y)
                                    : !gc_read_elem_for(c, t, &y))
      return false;
    if (!pop(c, MW_I32, &len) || !pop(c, MW_I32, &s) || !pop(c, MW_I32, &i) ||
        !pop(c, self, &r))
      return false;
    return EMIT(c, (mw_word)op, r.slot, i.slot, s.slot, len.slot, x, y);
  }
  }
}

/* The top of a heap type's hierarchy, as a nullable reference type. */
static mw_valtype gc_top_ref(const compiler *c, uint32_t ht) {
  return MW_REF(true, mwt_heap_top(c->m, ht));
}

static bool op_gc_ref(compiler *c, int op) {
  entry a, b;
  switch (op) {
  case MW_OP_REF_I31: {
    if (!pop(c, MW_I32, &a)) return false;
    mw_word w[] = {MW_OP_REF_I31, canonical(c, c->height), a.slot};
    return emit_producer(c, 3, w, MW_REF(false, MW_HT_I31));
  }
  case MW_OP_I31_GET_S:
  case MW_OP_I31_GET_U: {
    if (!pop(c, MW_I31REF, &a)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot};
    return emit_producer(c, 3, w, MW_I32);
  }
  case MW_OP_REF_EQ: {
    if (!pop(c, MW_EQREF, &b) || !pop(c, MW_EQREF, &a)) return false;
    mw_word w[] = {MW_OP_REF_EQ, canonical(c, c->height), a.slot, b.slot};
    return emit_producer(c, 4, w, MW_I32);
  }
  case MW_OP_ANY_CONVERT_EXTERN:
  case MW_OP_EXTERN_CONVERT_ANY: {
    bool in = op == MW_OP_ANY_CONVERT_EXTERN;
    uint32_t h0 = c->height;
    if (!pop(c, in ? MW_EXTERNREF : MW_ANYREF, &a)) return false;
    bool nullable = a.type == T_UNKNOWN || MW_VT_NULLABLE(a.type);
    mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot};
    return gc_emit_alloc(c, 3, w, h0 - c->height,
                         MW_REF(nullable, in ? MW_HT_ANY : MW_HT_EXTERN));
  }
  default: { /* REF_TEST, REF_CAST and their _NULL forms */
    uint32_t ht;
    if (!read_heaptype(c, &ht) || !pop(c, gc_top_ref(c, ht), &a)) return false;
    mw_word w[] = {(mw_word)op, canonical(c, c->height), a.slot, ht};
    if (op == MW_OP_REF_TEST || op == MW_OP_REF_TEST_NULL)
      return emit_producer(c, 4, w, MW_I32);
    return emit_producer(c, 4, w, MW_REF(op == MW_OP_REF_CAST_NULL, ht));
  }
  }
}

/* br_on_cast l rt1 rt2: [t* rt1] -> [t* (rt1 \ rt2)], branching with
 * [t* rt2] when the reference matches rt2; br_on_cast_fail the other way
 * round (spec 3.4.x).  Compiled to REF_TEST into the slot above the stack
 * and a conditional branch on it. */
static bool op_br_on_cast(compiler *c, int op) {
  uint8_t flags;
  uint32_t d, ht1, ht2;
  entry r;
  if (!read_byte(c, &flags)) return false;
  if (flags > 3) return malformed(c, "malformed cast flags");
  if (!read_label(c, &d) || !read_heaptype(c, &ht1) || !read_heaptype(c, &ht2))
    return false;
  mw_valtype rt1 = MW_REF(flags & 1, ht1), rt2 = MW_REF(flags & 2, ht2);
  if (!sub(c, rt2, rt1)) return invalid(c, MW_MSG_TYPE_MISMATCH);
  /* rt1 minus rt2: a nullable rt2 takes the null away */
  mw_valtype diff = (flags & 2) ? MW_REF(false, ht1) : rt1;
  if (!pop(c, rt1, &r)) return false;
  const ctrl *f = &c->ctrls[c->nctrls - 1 - d];
  uint32_t n = label_arity(f);
  if (n == 0) return invalid(c, MW_MSG_TYPE_MISMATCH);
  bool on_fail = op == MW_OP_BR_ON_CAST_FAIL;
  const mw_valtype *types = label_types(f);
  if (!push(c, on_fail ? diff : rt2, r.slot) || !check_top(c, n, types)) return false;
  c->fuse_pos = NO_POS;
  /* As for br_if, the values below the reference now have the label's
   * types (the reference's own is set below). */
  if (!retype_top(c, n, types)) return false;
  uint32_t tmp = canonical(c, c->height);
  if (tmp + 1 > c->max_slot) c->max_slot = tmp + 1;
  if (!EMIT(c, flags & 2 ? MW_OP_REF_TEST_NULL : MW_OP_REF_TEST, tmp, r.slot, ht2))
    return false;
  if (!emit_test_branch(c, d, on_fail ? MW_OP_JUMP_UNLESS : MW_OP_JUMP_IF,
                        on_fail ? MW_OP_JUMP_IF : MW_OP_JUMP_UNLESS, tmp))
    return false;
  c->stack[c->height - 1].type = on_fail ? rt2 : diff;
  return true;
}

/* One entry point for compile_instr. */
static bool op_gc(compiler *c, int op) {
  switch (op) {
  case MW_OP_STRUCT_NEW:
  case MW_OP_STRUCT_NEW_DEFAULT:
  case MW_OP_STRUCT_GET:
  case MW_OP_STRUCT_GET_S:
  case MW_OP_STRUCT_GET_U:
  case MW_OP_STRUCT_SET:
    return op_struct(c, op);
  case MW_OP_BR_ON_CAST:
  case MW_OP_BR_ON_CAST_FAIL:
    return op_br_on_cast(c, op);
  case MW_OP_REF_I31:
  case MW_OP_I31_GET_S:
  case MW_OP_I31_GET_U:
  case MW_OP_REF_EQ:
  case MW_OP_ANY_CONVERT_EXTERN:
  case MW_OP_EXTERN_CONVERT_ANY:
  case MW_OP_REF_TEST:
  case MW_OP_REF_TEST_NULL:
  case MW_OP_REF_CAST:
  case MW_OP_REF_CAST_NULL:
    return op_gc_ref(c, op);
  default:
    return op_array(c, op);
  }
}
