/*
 * acc.c -- which instructions take an operand from the interpreter's
 * accumulator (acc.h): the tables of producers and consumer forms, and the
 * pass compile.c runs at the end of each body.
 */
#include "acc.h"
#include "ir.h"

/* Producers: their handlers leave in acc the 8 bytes they write to
 * SLOT(1) (word 1, the dst, in all of these layouts). */
static const bool producer[MW_OP__COUNT] = {
#define MW_X_P(NAME, ...) [MW_OP_##NAME] = true, [MW_OP_##NAME##_A] = true,
#define MW_X_PB(NAME, ...) MW_X_P(NAME, 0) [MW_OP_##NAME##_B] = true,
#define MW_X_PI(NAME, ...) [MW_OP_IMM_##NAME] = true, [MW_OP_IMM_##NAME##_A] = true,
#define MW_X_PL(NAME, ...) MW_X_P(NAME, 0) [MW_OP_##NAME##_K] = true, [MW_OP_##NAME##_K_A] = true,
#define MW_X_PF(N1, N2, ...) [MW_OP_IB_##N1##__##N2] = true,
    MW_IMM_BINOPS(MW_X_PB) MW_ACC_BINOPS(MW_X_PB) MW_IMM_BINOPS(MW_X_PI)
    MW_ACC_UNOPS(MW_X_P) MW_LOAD_OPS(MW_X_PL) MW_IMM_BIN_FUSED(MW_X_PF)
#undef MW_X_P
#undef MW_X_PB
#undef MW_X_PI
#undef MW_X_PL
#undef MW_X_PF
    [MW_OP_I32_CONST] = true, [MW_OP_I64_CONST] = true,
    [MW_OP_F32_CONST] = true, [MW_OP_F64_CONST] = true,
    [MW_OP_SELECT] = true, [MW_OP_SELECT_A] = true,
    [MW_OP_COPY] = true, [MW_OP_COPY_A] = true,
    /* ir_fuse.h */
#define MW_X_PII(N1, N2, ...) [MW_OP_II_##N1##__##N2] = true, [MW_OP_II_##N1##__##N2##_A] = true,
#define MW_X_PIB(N1, N2, ...) [MW_OP_IB_##N1##__##N2##_A] = true, [MW_OP_IB_##N1##__##N2##_B] = true,
#define MW_X_PBB1(P, N1, N2) [MW_OP_##P##_##N1##__##N2] = true, \
    [MW_OP_##P##_##N1##__##N2##_A] = true, [MW_OP_##P##_##N1##__##N2##_B] = true, \
    [MW_OP_##P##_##N1##__##N2##_C] = true,
#define MW_X_PBB(N1, N2, ...) MW_X_PBB1(BB, N1, N2) MW_X_PBB1(BBR, N1, N2)
#define MW_X_PSEL(NAME, ...) [MW_OP_SEL_##NAME] = true, [MW_OP_SELI_##NAME] = true, \
    [MW_OP_SEL_##NAME##_A] = true, [MW_OP_SELI_##NAME##_A] = true,
#define MW_X_PFI(NAME, ...) [MW_OP_IMM_##NAME] = true, [MW_OP_IMMR_##NAME] = true, \
    [MW_OP_IMM_##NAME##_A] = true, [MW_OP_IMMR_##NAME##_A] = true,
    MW_IMM_IMM_FUSED(MW_X_PII) MW_IMM_BIN_FUSED(MW_X_PIB) MW_BIN_BIN_FUSED(MW_X_PBB)
    MW_SEL_CMPS(MW_X_PSEL) MW_FLOAT_IMM_BINOPS(MW_X_PFI)
    /* ir_index.h */
#define MW_X_PX(NAME, ...) [MW_OP_##NAME##_X] = true, [MW_OP_##NAME##_XS] = true, \
    [MW_OP_##NAME##_XK] = true, [MW_OP_##NAME##_XSK] = true,
    MW_INDEX_LOADS(MW_X_PX)
#undef MW_X_PX
    /* ir_wide.h */
#define MW_X_PD(NAME, ...) [MW_OP_IMMD_##NAME] = true,
#define MW_X_PW(NAME, ...) [MW_OP_IMMW_##NAME] = true,
#define MW_X_PR(NAME, ...) [MW_OP_IMMR_##NAME] = true,
    MW_IMMD_OPS(MW_X_PD) MW_IMMW_OPS(MW_X_PW) MW_IMMR_INT_OPS(MW_X_PR)
#undef MW_X_PR
#undef MW_X_PD
#undef MW_X_PW
#undef MW_X_PII
#undef MW_X_PIB
#undef MW_X_PBB1
#undef MW_X_PBB
#undef MW_X_PSEL
#undef MW_X_PFI
};

/* Consumers: up to three forms, each reading word `word` from acc (the
 * first that matches is taken). */
typedef struct form {
  uint16_t op[3];
  uint8_t word[3];
} form;

static const form consumer[MW_OP__COUNT] = {
#define MW_X_AB(NAME, ...) [MW_OP_##NAME] = {{MW_OP_##NAME##_A, MW_OP_##NAME##_B}, {2, 3}},
#define MW_X_A(NAME, ...) [MW_OP_##NAME] = {{MW_OP_##NAME##_A, 0}, {2, 0}},
#define MW_X_I(NAME, ...) [MW_OP_IMM_##NAME] = {{MW_OP_IMM_##NAME##_A, 0}, {2, 0}},
#define MW_X_L(NAME, ...) MW_X_A(NAME, 0) \
    [MW_OP_##NAME##_K] = {{MW_OP_##NAME##_K_A, 0}, {2, 0}},
#define MW_X_S(NAME, ...) [MW_OP_##NAME] = {{MW_OP_##NAME##_V, 0}, {2, 0}}, \
    [MW_OP_##NAME##_K] = {{MW_OP_##NAME##_K_V, 0}, {2, 0}},
#define MW_X_B(NAME, ...)                                                          \
    [MW_OP_BR_##NAME] = {{MW_OP_BR_##NAME##_A, MW_OP_BR_##NAME##_B}, {1, 2}},        \
    [MW_OP_BRI_##NAME] = {{MW_OP_BRI_##NAME##_A, 0}, {1, 0}},                        \
    [MW_OP_BR_##NAME##_LOOP] = {{MW_OP_BR_##NAME##_LOOP_A, MW_OP_BR_##NAME##_LOOP_B}, {1, 2}}, \
    [MW_OP_BRI_##NAME##_LOOP] = {{MW_OP_BRI_##NAME##_LOOP_A, 0}, {1, 0}},
    MW_IMM_BINOPS(MW_X_AB) MW_ACC_BINOPS(MW_X_AB) MW_IMM_BINOPS(MW_X_I)
    MW_ACC_UNOPS(MW_X_A) MW_LOAD_OPS(MW_X_L) MW_STORE_OPS(MW_X_S) MW_BR_CMPS(MW_X_B)
    MW_I64_CMPS(MW_X_B) /* ir_fuse.h */
#undef MW_X_AB
#undef MW_X_A
#undef MW_X_I
#undef MW_X_L
#undef MW_X_S
#undef MW_X_B
    [MW_OP_JUMP_IF] = {{MW_OP_JUMP_IF_A, 0}, {1, 0}},
    [MW_OP_JUMP_UNLESS] = {{MW_OP_JUMP_UNLESS_A, 0}, {1, 0}},
    [MW_OP_JUMP_IF_LOOP] = {{MW_OP_JUMP_IF_LOOP_A, 0}, {1, 0}},
    [MW_OP_JUMP_UNLESS_LOOP] = {{MW_OP_JUMP_UNLESS_LOOP_A, 0}, {1, 0}},
    [MW_OP_SELECT] = {{MW_OP_SELECT_A, 0}, {4, 0}},
    [MW_OP_COPY] = {{MW_OP_COPY_A, 0}, {2, 0}},
    /* ir_fuse.h */
#define MW_X_CII(N1, N2, ...) [MW_OP_II_##N1##__##N2] = {{MW_OP_II_##N1##__##N2##_A, 0}, {2, 0}},
#define MW_X_CIB(N1, N2, ...) [MW_OP_IB_##N1##__##N2] = \
    {{MW_OP_IB_##N1##__##N2##_A, MW_OP_IB_##N1##__##N2##_B}, {2, 4}},
#define MW_X_CBB1(P, N1, N2) [MW_OP_##P##_##N1##__##N2] = {{MW_OP_##P##_##N1##__##N2##_A, \
    MW_OP_##P##_##N1##__##N2##_B, MW_OP_##P##_##N1##__##N2##_C}, {2, 3, 4}},
#define MW_X_CBB(N1, N2, ...) MW_X_CBB1(BB, N1, N2) MW_X_CBB1(BBR, N1, N2)
#define MW_X_CSEL(NAME, ...) [MW_OP_SEL_##NAME] = {{MW_OP_SEL_##NAME##_A}, {4}}, \
    [MW_OP_SELI_##NAME] = {{MW_OP_SELI_##NAME##_A}, {4}},
#define MW_X_CFI(NAME, ...) [MW_OP_IMM_##NAME] = {{MW_OP_IMM_##NAME##_A}, {2}}, \
    [MW_OP_IMMR_##NAME] = {{MW_OP_IMMR_##NAME##_A}, {2}},
    MW_IMM_IMM_FUSED(MW_X_CII) MW_IMM_BIN_FUSED(MW_X_CIB) MW_BIN_BIN_FUSED(MW_X_CBB)
    MW_SEL_CMPS(MW_X_CSEL) MW_FLOAT_IMM_BINOPS(MW_X_CFI)
#undef MW_X_CII
#undef MW_X_CIB
#undef MW_X_CBB1
#undef MW_X_CBB
#undef MW_X_CSEL
#undef MW_X_CFI
};

void mwc_acc_pass(uint32_t *code, const uint32_t *meta, uint32_t n) {
  uint32_t last = UINT32_MAX; /* the last instruction start seen */
  for (uint32_t q = 0; q < n; q++) {
    uint32_t m = meta[q];
    if (m == 0) continue;
    /* q follows p = m - 2 only if p is the instruction right before it:
     * nothing (no raw words either) was left between them. */
    if (m >= 2 && m - 2 == last && code[last] < MW_OP__COUNT &&
        producer[code[last]] && code[q] < MW_OP__COUNT) {
      const form *f = &consumer[code[q]];
      uint32_t dst = code[last + 1];
      for (int k = 0; k < 3 && f->op[k]; k++)
        if (code[q + f->word[k]] == dst) {
          code[q] = f->op[k];
          break;
        }
    }
    last = q;
  }
  /* ir_fuse.h ADD2_I32: two plain IMM_I32_ADDs in a row (the second in its
   * final form: not an acc form) run in one dispatch. */
  last = UINT32_MAX;
  for (uint32_t q = 0; q < n; q++) {
    uint32_t m = meta[q];
    if (m == 0) continue;
    if (m >= 2 && m - 2 == last && code[last] == MW_OP_IMM_I32_ADD &&
        code[q] == MW_OP_IMM_I32_ADD) {
      code[last] = MW_OP_ADD2_I32;
      last = UINT32_MAX; /* the second is taken */
      continue;
    }
    last = q;
  }
}
