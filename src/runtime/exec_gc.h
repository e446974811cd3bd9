/*
 * exec_gc.h -- the GC instructions' handlers (Wasm 3.0), included in the
 * middle of run() (exec.c), which supplies OP, SLOT, NEXT, TRAP, s, inst,
 * fp and pc.  Allocation and bulk work is out of line in gc_exec.c; a
 * collection may run inside an allocation (its resume point, the word
 * after the instruction, has a stack map: compile_gc.h).
 *
 * Layouts (operands are slots unless said; type: a type index, field: a
 * field index, ht: a heap type word, data/elem: segment indices):
 *   STRUCT_NEW          op dst type base    fields in slots base..
 *   STRUCT_NEW_DEFAULT  op dst type
 *   STRUCT_GET[_S|_U]   op dst ref type field
 *   STRUCT_SET          op ref val type field
 *   ARRAY_NEW           op dst type val len
 *   ARRAY_NEW_DEFAULT   op dst type len
 *   ARRAY_NEW_FIXED     op dst type base n  (n: a count, elements in base..)
 *   ARRAY_NEW_DATA      op dst type data s n
 *   ARRAY_NEW_ELEM      op dst type elem s n
 *   ARRAY_GET[_S|_U]    op dst ref idx type
 *   ARRAY_SET           op ref idx val type
 *   ARRAY_LEN           op dst ref
 *   ARRAY_FILL          op ref i val n type
 *   ARRAY_COPY          op dref d sref s n
 *   ARRAY_INIT_DATA     op ref d s n type data
 *   ARRAY_INIT_ELEM     op ref d s n type elem
 *   REF_I31, I31_GET_S|U, ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY  op dst a
 *   REF_EQ              op dst a b
 *   REF_TEST[_NULL]     op dst a ht         dst = 1 if a matches
 *   REF_CAST[_NULL]     op dst a ht         dst = a, or trap "cast failure"
 * br_on_cast and br_on_cast_fail compile to REF_TEST + a conditional jump.
 */

#define GC_CALL(fn, len)                         \
  do {                                           \
    const char *gm_ = fn(s, inst, fp, pc);       \
    if (MW_UNLIKELY(gm_ != NULL)) TRAP(gm_);     \
    NEXT(len);                                   \
  } while (0)

  OP(STRUCT_NEW) { GC_CALL(mwx_gc_struct_new, 4); }
  OP(STRUCT_NEW_DEFAULT) { GC_CALL(mwx_gc_struct_new_default, 3); }
  OP(ARRAY_NEW) { GC_CALL(mwx_gc_array_new, 5); }
  OP(ARRAY_NEW_DEFAULT) { GC_CALL(mwx_gc_array_new_default, 4); }
  OP(ARRAY_NEW_FIXED) { GC_CALL(mwx_gc_array_new_fixed, 5); }
  OP(ARRAY_NEW_DATA) { GC_CALL(mwx_gc_array_new_data, 6); }
  OP(ARRAY_NEW_ELEM) { GC_CALL(mwx_gc_array_new_elem, 6); }
  OP(ARRAY_FILL) { GC_CALL(mwx_gc_array_fill, 6); }
  OP(ARRAY_COPY) { GC_CALL(mwx_gc_array_copy, 6); }
  OP(ARRAY_INIT_DATA) { GC_CALL(mwx_gc_array_init_data, 7); }
  OP(ARRAY_INIT_ELEM) { GC_CALL(mwx_gc_array_init_elem, 7); }
  OP(ANY_CONVERT_EXTERN) { GC_CALL(mwx_gc_any_convert_extern, 3); }
  OP(EXTERN_CONVERT_ANY) { GC_CALL(mwx_gc_extern_convert_any, 3); }

#define GC_STRUCT_GET(NAME, EXT)                                         \
  OP(NAME) {                                                             \
    const mw_gc_obj *o_ = SLOT(2).ref;                                   \
    if (MW_UNLIKELY(o_ == NULL)) TRAP(MW_MSG_NULL_STRUCT);               \
    const mw_gc_field *f_ = &inst->module->gc_types[pc[3]]->fields[pc[4]]; \
    const unsigned char *p_ = MWGC_PAYLOAD(o_) + f_->offset;             \
    if (f_->storage >= MW_GCS_I64 && f_->storage != MW_GCS_F32 &&        \
        f_->storage != MW_GCS_V128)                                      \
      memcpy(&SLOT(1).u64, p_, 8);                                       \
    else                                                                 \
      mwgc_load(&SLOT(1), p_, f_->storage, EXT);                         \
    NEXT(5);                                                             \
  }
  GC_STRUCT_GET(STRUCT_GET, 0)
  GC_STRUCT_GET(STRUCT_GET_S, 1)
  GC_STRUCT_GET(STRUCT_GET_U, 2)
#undef GC_STRUCT_GET

  OP(STRUCT_SET) {
    mw_gc_obj *o = SLOT(1).ref;
    if (MW_UNLIKELY(o == NULL)) TRAP(MW_MSG_NULL_STRUCT);
    const mw_gc_field *f = &inst->module->gc_types[pc[3]]->fields[pc[4]];
    mwgc_store(MWGC_PAYLOAD(o) + f->offset, &SLOT(2), f->storage);
    NEXT(5);
  }

#define GC_ARRAY_GET(NAME, EXT)                                          \
  OP(NAME) {                                                             \
    const mw_gc_obj *o_ = SLOT(2).ref;                                   \
    if (MW_UNLIKELY(o_ == NULL)) TRAP(MW_MSG_NULL_ARRAY);                \
    uint32_t i_ = SLOT(3).u32;                                           \
    if (MW_UNLIKELY(i_ >= o_->len)) TRAP(MW_MSG_OOB_ARRAY);              \
    const mw_gc_type *t_ = o_->type;                                     \
    mwgc_load(&SLOT(1), MWGC_PAYLOAD(o_) + (size_t)i_ * t_->elem_size,   \
              t_->elem, EXT);                                            \
    NEXT(5);                                                             \
  }
  GC_ARRAY_GET(ARRAY_GET, 0)
  GC_ARRAY_GET(ARRAY_GET_S, 1)
  GC_ARRAY_GET(ARRAY_GET_U, 2)
#undef GC_ARRAY_GET

  OP(ARRAY_SET) {
    mw_gc_obj *o = SLOT(1).ref;
    if (MW_UNLIKELY(o == NULL)) TRAP(MW_MSG_NULL_ARRAY);
    uint32_t i = SLOT(2).u32;
    if (MW_UNLIKELY(i >= o->len)) TRAP(MW_MSG_OOB_ARRAY);
    mwgc_store(MWGC_PAYLOAD(o) + (size_t)i * o->type->elem_size, &SLOT(3),
               o->type->elem);
    NEXT(5);
  }
  OP(ARRAY_LEN) {
    const mw_gc_obj *o = SLOT(2).ref;
    if (MW_UNLIKELY(o == NULL)) TRAP(MW_MSG_NULL_ARRAY);
    SLOT(1).u64 = o->len;
    NEXT(3);
  }

  OP(REF_I31) {
    SLOT(1).ref = mwgc_i31_new(SLOT(2).u32);
    NEXT(3);
  }
  OP(I31_GET_S) {
    const void *r = SLOT(2).ref;
    if (MW_UNLIKELY(r == NULL)) TRAP(MW_MSG_NULL_I31);
    SLOT(1).u64 = 0;
    SLOT(1).i32 = mwgc_i31_get_s(r);
    NEXT(3);
  }
  OP(I31_GET_U) {
    const void *r = SLOT(2).ref;
    if (MW_UNLIKELY(r == NULL)) TRAP(MW_MSG_NULL_I31);
    SLOT(1).u64 = mwgc_i31_get_u(r);
    NEXT(3);
  }
  OP(REF_EQ) {
    SLOT(1).u64 = SLOT(2).ref == SLOT(3).ref;
    NEXT(4);
  }
  /* A handler each: the code holds handler words, not opcodes (ir.h), so
   * a shared handler could not tell the two apart. */
#define GC_REF_TEST(NAME, NULL_MATCHES)                                               \
  OP(NAME) {                                                                         \
    void *r = SLOT(2).ref;                                                           \
    SLOT(1).u64 = r ? mwx_gc_ref_matches(inst->module, r, pc[3]) : (NULL_MATCHES);   \
    NEXT(4);                                                                         \
  }
#define GC_REF_CAST(NAME, NULL_MATCHES)                                              \
  OP(NAME) {                                                                         \
    void *r = SLOT(2).ref;                                                           \
    if (r ? !mwx_gc_ref_matches(inst->module, r, pc[3]) : !(NULL_MATCHES))           \
      TRAP(MW_MSG_CAST_FAILURE);                                                     \
    SLOT(1).ref = r;                                                                 \
    NEXT(4);                                                                         \
  }
  GC_REF_TEST(REF_TEST, false)
  GC_REF_TEST(REF_TEST_NULL, true)
  GC_REF_CAST(REF_CAST, false)
  GC_REF_CAST(REF_CAST_NULL, true)
#undef GC_REF_TEST
#undef GC_REF_CAST

#undef GC_CALL

  /* compiled to REF_TEST and a jump (compile_gc.h) */
  OP(BR_ON_CAST) OP(BR_ON_CAST_FAIL) goto bad_code;
