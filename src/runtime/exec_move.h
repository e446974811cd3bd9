/*
 * exec_move.h -- the handlers of ir_move.h's pairs.  Included by exec.c
 * inside run(), with its macros (OP, SLOT, PUT, ACC, TRAP, DISPATCH) and
 * locals (pc, fp, code, mem, memsize, acc).
 *
 * MV_<first> is the first instruction's work, exactly as its own handler
 * does it (acc included), without the dispatch; the pair then moves pc to
 * the second and jumps to the second's handler.
 */

#define MV_COPY                    \
  do {                             \
    mw_slot r_ = SLOT(2);          \
    SLOT(1) = r_;                  \
    acc = r_.u64;                  \
  } while (0)
#define MV_COPY_A (SLOT(1).u64 = acc)
#define MV_I32_CONST PUT(u32, pc[2])
#define MV_ADD_IMM(AV)                    \
  do {                                    \
    uint32_t a_ = (AV);                   \
    PUT(u32, a_ + (uint32_t)pc[3]);       \
  } while (0)
#define MV_IMM_I32_ADD MV_ADD_IMM(SLOT(2).u32)
#define MV_IMM_I32_ADD_A MV_ADD_IMM(ACC(u32))
#define MV_I32_ADD                        \
  do {                                    \
    uint32_t a_ = SLOT(2).u32;            \
    uint32_t b_ = SLOT(3).u32;            \
    PUT(u32, a_ + b_);                    \
  } while (0)
/* exec.c's LOAD_X / LOAD_K_X / STORE_X; MV_LOADX also widens (16-bit
 * loads) as the load handler does. */
#define MV_LOADX(RAW, OUT, EXPR, EA)                                   \
  do {                                                                 \
    uint64_t ea = (EA);                                                \
    RAW v;                                                             \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    memcpy(&v, mem + ea, sizeof v);                                    \
    v = MW_LE(v);                                                      \
    PUT(OUT, EXPR);                                                    \
  } while (0)
#define MV_LOAD(RAW, EA) MV_LOADX(RAW, u32, v, EA)
#define MV_I32_LOAD MV_LOAD(uint32_t, (uint64_t)SLOT(2).u32 + pc[3])
#define MV_I32_LOAD_A MV_LOAD(uint32_t, (uint64_t)ACC(u32) + pc[3])
#define MV_I32_LOAD8_U MV_LOAD(uint8_t, (uint64_t)SLOT(2).u32 + pc[3])
#define MV_I32_LOAD8_U_K \
  MV_LOAD(uint8_t, (uint64_t)(uint32_t)(SLOT(2).u32 + pc[3]) + pc[4])
#define MV_STORE(VAL)                                                  \
  do {                                                                 \
    uint64_t ea = (uint64_t)SLOT(1).u32 + pc[3];                       \
    uint32_t v = (VAL);                                                \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    v = MW_LE(v);                                                      \
    memcpy(mem + ea, &v, sizeof v);                                    \
  } while (0)
#define MV_I32_STORE MV_STORE(SLOT(2).u32)
#define MV_I32_STORE_V MV_STORE(ACC(u32))


/* The firsts of ir_move.h's single pairs, as their handlers (exec.c
 * BIN_X, LOAD_X, LOAD_K_X, SELECT_A; exec_fuse.h II_, BB_; exec_acc.h
 * IB_) do them. */
#define MV_BIN(OUT, EXPR)                 \
  do {                                    \
    uint32_t v_ = (EXPR);                 \
    PUT(OUT, v_);                         \
  } while (0)
#define MV_IMM_I32_AND MV_BIN(u32, SLOT(2).u32 & pc[3])
#define MV_IMM_I32_AND_A MV_BIN(u32, ACC(u32) & pc[3])
#define MV_IMM_I32_XOR_A MV_BIN(u32, ACC(u32) ^ pc[3])
#define MV_I32_MUL_B MV_BIN(u32, SLOT(2).u32 * ACC(u32))
#define MV_II_I32_SHR_U__I32_AND \
  MV_BIN(u32, mw_i32_shr_u(SLOT(2).u32, pc[3]) & pc[4])
#define MV_II_I32_SHR_U__I32_AND_A \
  MV_BIN(u32, mw_i32_shr_u(ACC(u32), pc[3]) & pc[4])
#define MV_II_I32_ADD__I32_AND MV_BIN(u32, (SLOT(2).u32 + pc[3]) & pc[4])
#define MV_IB_I32_SHR_U__I32_XOR \
  MV_BIN(u32, mw_i32_shr_u(SLOT(2).u32, pc[3]) ^ SLOT(4).u32)
#define MV_IB_I32_AND__I32_XOR_B MV_BIN(u32, (SLOT(2).u32 & pc[3]) ^ ACC(u32))
#define MV_I32_LOAD16_U MV_LOADX(uint16_t, u32, v, (uint64_t)SLOT(2).u32 + pc[3])
#define MV_I32_LOAD16_S \
  MV_LOADX(uint16_t, i32, mw_i32_extend16_s(v), (uint64_t)SLOT(2).u32 + pc[3])
#define MV_I32_LOAD16_S_K                                   \
  MV_LOADX(uint16_t, i32, mw_i32_extend16_s(v),             \
           (uint64_t)(uint32_t)(SLOT(2).u32 + pc[3]) + pc[4])
#define MV_SELECT_A                                   \
  do {                                                \
    mw_slot r_ = ACC(u32) ? SLOT(2) : SLOT(3);        \
    SLOT(1) = r_;                                     \
    acc = r_.u64;                                     \
  } while (0)

/* The float firsts (ir_move.h MW_MOVE_FLOAT_SINGLES): exec.c LOAD_X,
 * LOAD_K_X (bits copied: a NaN's payload stays) and exec_acc.h's _B
 * forms of MW_ACC_BINOPS. */
#define MV_FBIN(T, M, EXPR)               \
  do {                                    \
    T v_ = (EXPR);                        \
    PUT(M, v_);                           \
  } while (0)
#define MV_F64_LOAD MV_LOADX(uint64_t, u64, v, (uint64_t)SLOT(2).u32 + pc[3])
#define MV_F64_LOAD_K \
  MV_LOADX(uint64_t, u64, v, (uint64_t)(uint32_t)(SLOT(2).u32 + pc[3]) + pc[4])
#define MV_F32_LOAD MV_LOADX(uint32_t, u32, v, (uint64_t)SLOT(2).u32 + pc[3])
#define MV_F32_LOAD_K \
  MV_LOADX(uint32_t, u32, v, (uint64_t)(uint32_t)(SLOT(2).u32 + pc[3]) + pc[4])
#define MV_F64_SUB_B MV_FBIN(double, f64, SLOT(2).f64 - ACC(f64))
#define MV_F32_ADD_B MV_FBIN(float, f32, SLOT(2).f32 + ACC(f32))

/* The switch build has no labels to jump to: it dispatches. */
#if MW_USE_SWITCH
#define MV_GO(S) DISPATCH()
#else
#define MV_GO(S) goto op_##S
#endif

#define MV_PAIR(F, N, S)       \
  OP(PAIR_##F##__##S) {        \
    MV_##F;                    \
    pc += (N);                 \
    MV_GO(S);                  \
  }
MW_MOVE_PAIRS(MV_PAIR)
#undef MV_PAIR
#undef MV_GO

#undef MV_BIN
#undef MV_FBIN
#undef MV_F64_LOAD
#undef MV_F64_LOAD_K
#undef MV_F32_LOAD
#undef MV_F32_LOAD_K
#undef MV_F64_SUB_B
#undef MV_F32_ADD_B
#undef MV_IMM_I32_AND
#undef MV_IMM_I32_AND_A
#undef MV_IMM_I32_XOR_A
#undef MV_I32_MUL_B
#undef MV_II_I32_SHR_U__I32_AND
#undef MV_II_I32_SHR_U__I32_AND_A
#undef MV_II_I32_ADD__I32_AND
#undef MV_IB_I32_SHR_U__I32_XOR
#undef MV_IB_I32_AND__I32_XOR_B
#undef MV_LOADX
#undef MV_I32_LOAD16_U
#undef MV_I32_LOAD16_S
#undef MV_I32_LOAD16_S_K
#undef MV_SELECT_A
#undef MV_COPY
#undef MV_COPY_A
#undef MV_I32_CONST
#undef MV_ADD_IMM
#undef MV_IMM_I32_ADD
#undef MV_IMM_I32_ADD_A
#undef MV_I32_ADD
#undef MV_LOAD
#undef MV_I32_LOAD
#undef MV_I32_LOAD_A
#undef MV_I32_LOAD8_U
#undef MV_I32_LOAD8_U_K
#undef MV_STORE
#undef MV_I32_STORE
#undef MV_I32_STORE_V
