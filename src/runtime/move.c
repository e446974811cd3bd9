/*
 * move.c -- the pass that pairs instructions (ir_move.h).
 */
#include "ir.h"

enum {
#define MW_X_COUNT(C, F, N) MOVE_FIRST_##F,
  MW_MOVE_FIRSTS(MW_X_COUNT, 0)
#undef MW_X_COUNT
  MOVE_NFIRSTS
};
enum {
#define MW_X_COUNT(F, N, S) MOVE_SECOND_##S,
  MW_MOVE_SECONDS(MW_X_COUNT, 0, 0)
#undef MW_X_COUNT
  MOVE_NSECONDS
};

/* Index + 1 of each first and second (0: not one). */
static const uint8_t first_index[MW_OP__COUNT] = {
#define MW_X_IDX(C, F, N) [MW_OP_##F] = MOVE_FIRST_##F + 1,
    MW_MOVE_FIRSTS(MW_X_IDX, 0)
#undef MW_X_IDX
};
static const uint8_t first_len[MOVE_NFIRSTS] = {
#define MW_X_LEN(C, F, N) [MOVE_FIRST_##F] = N,
    MW_MOVE_FIRSTS(MW_X_LEN, 0)
#undef MW_X_LEN
};
static const uint8_t second_index[MW_OP__COUNT] = {
#define MW_X_IDX(F, N, S) [MW_OP_##S] = MOVE_SECOND_##S + 1,
    MW_MOVE_SECONDS(MW_X_IDX, 0, 0)
#undef MW_X_IDX
};

/* The pair opcodes are consecutive, first-major (ir.h's enum). */
#define MOVE_FIRST_PAIR MW_OP_PAIR_COPY__COPY
_Static_assert(MW_OP_PAIR_I32_STORE_V__ADDBRI_I32_NE_LOOP ==
                   MOVE_FIRST_PAIR + MOVE_NFIRSTS * MOVE_NSECONDS - 1,
               "ir_move.h: the pairs are not the full first x second table");

/* The single pairs (ir_move.h MW_MOVE_SINGLES): first, its length,
 * second, pair opcode; and which opcodes are the first of one. */
typedef struct single {
  uint16_t first, len, second, pair;
} single;
static const single singles[] = {
#define MW_X_SINGLE(F, N, S) {MW_OP_##F, N, MW_OP_##S, MW_OP_PAIR_##F##__##S},
    MW_MOVE_SINGLES(MW_X_SINGLE)
#undef MW_X_SINGLE
};
/* (a first with several seconds is marked once per second) */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
static const bool single_first[MW_OP__COUNT] = {
#define MW_X_SINGLE(F, N, S) [MW_OP_##F] = true,
    MW_MOVE_SINGLES(MW_X_SINGLE)
#undef MW_X_SINGLE
};
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

static bool is_start(const uint32_t *meta, uint32_t q) {
  return meta[q] != 0 && meta[q] != MWC_META_RAW;
}

/* Give code[q] the single pair its second asks for, if any. */
static void pair_single(uint32_t *code, const uint32_t *meta, uint32_t n, uint32_t q) {
  for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) {
    const single *p = &singles[i];
    if (p->first != code[q]) continue;
    uint32_t y = q + p->len;
    if (y < n && is_start(meta, y) && code[y] == p->second) {
      code[q] = p->pair;
      return;
    }
  }
}

void mwc_move_pass(uint32_t *code, const uint32_t *meta, uint32_t n) {
  /* Ascending: code[y] is still the second's own opcode when q is looked
   * at (it may become a pair itself afterwards; the first's pair jumps to
   * the plain handler of the second, which is the same work). */
  for (uint32_t q = 0; q < n; q++) {
    if (!is_start(meta, q) || code[q] >= MW_OP__COUNT) continue;
    if (single_first[code[q]]) pair_single(code, meta, n, q);
    unsigned f = first_index[code[q]];
    if (f == 0) continue;
    uint32_t y = q + first_len[f - 1];
    if (y >= n || !is_start(meta, y) || code[y] >= MW_OP__COUNT) continue;
    unsigned s = second_index[code[y]];
    if (s == 0) continue;
    code[q] = MOVE_FIRST_PAIR + (f - 1) * MOVE_NSECONDS + (s - 1);
  }
}
