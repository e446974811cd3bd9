/*
 * exec_acc.h -- the accumulator forms of acc.h, included in run()'s
 * dispatch body (exec.c): the same handlers as the plain forms, one
 * operand read from acc.  Each still leaves its own result in acc.
 */

#define ACC_BIN(NAME, T, IN, OUT, expr)                       \
  BIN_X(NAME##_A, T, IN, OUT, expr, ACC(IN), SLOT(3).IN)      \
  BIN_X(NAME##_B, T, IN, OUT, expr, SLOT(2).IN, ACC(IN))
#define ACC_IMM(NAME, T, IN, OUT, expr) \
  BIN_X(IMM_##NAME##_A, T, IN, OUT, expr, ACC(IN), (T)(int32_t)pc[3])
#define ACC_UN(NAME, T, IN, OUT, expr) UN_X(NAME##_A, T, IN, OUT, expr, ACC(IN))
#define ACC_LOAD(NAME, RAW, OUT, expr)                \
  LOAD_X(NAME##_A, RAW, OUT, expr, ACC(u32))          \
  LOAD_K_X(NAME##_K_A, RAW, OUT, expr, ACC(u32))
#define ACC_STORE(NAME, RAW, IN)                      \
  STORE_X(NAME##_V, RAW, IN, ACC(IN))                 \
  STORE_K_X(NAME##_K_V, RAW, IN, ACC(IN))
/* op a b target (BR_), op a imm target (BRI_); POLL_LOOP as in exec.c. */
#define ACC_BR_ONE(OPNAME, T, expr, AV, BV, POLL_LOOP) \
  OP(OPNAME) {                                         \
    T a = AV;                                          \
    T b = BV;                                          \
    if (expr) {                                        \
      pc = code + pc[3];                               \
      POLL_LOOP;                                       \
      DISPATCH();                                      \
    }                                                  \
    NEXT(4);                                           \
  }
#define ACC_BR(NAME, T, IN, expr, NEG)                                          \
  ACC_BR_ONE(BR_##NAME##_A, T, expr, ACC(IN), SLOT(2).IN, (void)0)              \
  ACC_BR_ONE(BR_##NAME##_B, T, expr, SLOT(1).IN, ACC(IN), (void)0)              \
  ACC_BR_ONE(BRI_##NAME##_A, T, expr, ACC(IN), (T)(int32_t)pc[2], (void)0)      \
  ACC_BR_ONE(BR_##NAME##_LOOP_A, T, expr, ACC(IN), SLOT(2).IN, POLL())          \
  ACC_BR_ONE(BR_##NAME##_LOOP_B, T, expr, SLOT(1).IN, ACC(IN), POLL())          \
  ACC_BR_ONE(BRI_##NAME##_LOOP_A, T, expr, ACC(IN), (T)(int32_t)pc[2], POLL())

MW_IMM_BINOPS(ACC_BIN)
MW_ACC_BINOPS(ACC_BIN)
MW_IMM_BINOPS(ACC_IMM)
MW_ACC_UNOPS(ACC_UN)
MW_LOAD_OPS(ACC_LOAD)
MW_STORE_OPS(ACC_STORE)
MW_BR_CMPS(ACC_BR)
MW_I64_CMPS(ACC_BR) /* ir_fuse.h */

/* IB_ (ir.h): op d a k b, a (_A) or b (_B) from acc. */
#define ACC_IB_X(OPNAME, T, M, e1, e2, AV, BV) \
  OP(OPNAME) {                                 \
    T t_;                                      \
    {                                          \
      T a = AV;                                \
      T b = (T)(int32_t)pc[3];                 \
      t_ = (e1);                               \
    }                                          \
    {                                          \
      T a = t_;                                \
      T b = BV;                                \
      PUT(M, e2);                              \
    }                                          \
    NEXT(5);                                   \
  }
#define ACC_IB(N1, N2, T, M, e1, e2)                                  \
  ACC_IB_X(IB_##N1##__##N2##_A, T, M, e1, e2, ACC(M), SLOT(4).M)      \
  ACC_IB_X(IB_##N1##__##N2##_B, T, M, e1, e2, SLOT(2).M, ACC(M))
MW_IMM_BIN_FUSED(ACC_IB)
#undef ACC_IB
#undef ACC_IB_X

OP(JUMP_IF_A) {
  if (ACC(u32)) {
    pc = code + pc[2];
    DISPATCH();
  }
  NEXT(3);
}
OP(JUMP_UNLESS_A) {
  if (!ACC(u32)) {
    pc = code + pc[2];
    DISPATCH();
  }
  NEXT(3);
}
OP(JUMP_IF_LOOP_A) {
  if (ACC(u32)) {
    pc = code + pc[2];
    POLL();
    DISPATCH();
  }
  NEXT(3);
}
OP(JUMP_UNLESS_LOOP_A) {
  if (!ACC(u32)) {
    pc = code + pc[2];
    POLL();
    DISPATCH();
  }
  NEXT(3);
}
OP(SELECT_A) {
  /* op dst a b cond, cond in acc; the chosen value is the new acc */
  mw_slot r_ = ACC(u32) ? SLOT(2) : SLOT(3);
  SLOT(1) = r_;
  acc = r_.u64;
  NEXT(5);
}

OP(COPY_A) {
  SLOT(1).u64 = acc; /* all 8 bytes: acc holds what the producer wrote */
  NEXT(3);
}

#undef ACC_BIN
#undef ACC_IMM
#undef ACC_UN
#undef ACC_LOAD
#undef ACC_STORE
#undef ACC_BR_ONE
#undef ACC_BR
