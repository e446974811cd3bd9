/*
 * test_numeric.c -- the numeric helpers of src/runtime/numeric.h against the edge
 * cases of the official spec tests (i32.wast, i64.wast, f32.wast, f64.wast,
 * conversions.wast, float_misc.wast).  Floats are compared as bit patterns:
 * the sign of a zero and the payload of a NaN matter.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>

#include "harness.h"
#include "numeric.h"

/* Integer and bit-pattern comparisons, printed in hex on failure. */
#define CHECK_U32(got, want)                                              \
  do {                                                                    \
    uint32_t g_ = (uint32_t)(got), w_ = (uint32_t)(want);                 \
    if (!harness_check(g_ == w_, #got " == " #want, __FILE__, __LINE__))  \
      printf("    got 0x%08x want 0x%08x\n", (unsigned)g_, (unsigned)w_);  \
  } while (0)
#define CHECK_U64(got, want)                                              \
  do {                                                                    \
    uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);                 \
    if (!harness_check(g_ == w_, #got " == " #want, __FILE__, __LINE__))  \
      printf("    got 0x%016llx want 0x%016llx\n", (unsigned long long)g_, \
             (unsigned long long)w_);                                     \
  } while (0)
/* A float result, by bits. */
#define CHECK_F32(got, want) CHECK_U32(mw_f32_bits(got), mw_f32_bits(want))
#define CHECK_F64(got, want) CHECK_U64(mw_f64_bits(got), mw_f64_bits(want))

/* The spec's NaN classes (4.3.3): canonical = quiet bit only, any sign;
 * arithmetic = quiet bit set. */
static int f32_is_canonical_nan(uint32_t b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
static int f32_is_arithmetic_nan(uint32_t b) { return (b & 0x7FC00000u) == 0x7FC00000u; }
static int f64_is_canonical_nan(uint64_t b) {
  return (b & 0x7FFFFFFFFFFFFFFFu) == 0x7FF8000000000000u;
}
static int f64_is_arithmetic_nan(uint64_t b) {
  return (b & 0x7FF8000000000000u) == 0x7FF8000000000000u;
}

#define F32(bits) mw_f32_from_bits(bits)
#define F64(bits) mw_f64_from_bits(bits)
#define NAN32 F32(0x7FC00000u)            /* nan */
#define NNAN32 F32(0xFFC00000u)           /* -nan */
#define NAN32_PAYLOAD F32(0x7FA00000u)    /* nan:0x200000 */
#define SNAN32 F32(0x7F800001u)           /* nan:0x1, signalling */
#define NAN64 F64(0x7FF8000000000000u)
#define NAN64_PAYLOAD F64(0x7FF4000000000000u) /* nan:0x4000000000000 */
#define SNAN64 F64(0x7FF0000000000001u)

static void test_bit_counts(void) {
  CHECK_U32(mw_i32_clz(0xFFFFFFFFu), 0);
  CHECK_U32(mw_i32_clz(0), 32);
  CHECK_U32(mw_i32_clz(0x00008000u), 16);
  CHECK_U32(mw_i32_clz(0xFF), 24);
  CHECK_U32(mw_i32_clz(0x80000000u), 0);
  CHECK_U32(mw_i32_clz(1), 31);
  CHECK_U32(mw_i32_ctz(0), 32);
  CHECK_U32(mw_i32_ctz(0x00008000u), 15);
  CHECK_U32(mw_i32_ctz(0x00010000u), 16);
  CHECK_U32(mw_i32_ctz(0x80000000u), 31);
  CHECK_U32(mw_i32_ctz(0x7FFFFFFFu), 0);
  CHECK_U32(mw_i32_popcnt(0xFFFFFFFFu), 32);
  CHECK_U32(mw_i32_popcnt(0), 0);
  CHECK_U32(mw_i32_popcnt(0x00008000u), 1);
  CHECK_U32(mw_i32_popcnt(0x80008000u), 2);
  CHECK_U32(mw_i32_popcnt(0xAAAAAAAAu), 16);
  CHECK_U32(mw_i32_popcnt(0xDEADBEEFu), 24);

  CHECK_U64(mw_i64_clz(0xFFFFFFFFFFFFFFFFu), 0);
  CHECK_U64(mw_i64_clz(0), 64);
  CHECK_U64(mw_i64_clz(0x00008000u), 48);
  CHECK_U64(mw_i64_clz(0xFF), 56);
  CHECK_U64(mw_i64_clz(0x8000000000000000u), 0);
  CHECK_U64(mw_i64_clz(1), 63);
  CHECK_U64(mw_i64_clz(0x7FFFFFFFFFFFFFFFu), 1);
  CHECK_U64(mw_i64_ctz(0), 64);
  CHECK_U64(mw_i64_ctz(0x00008000u), 15);
  CHECK_U64(mw_i64_ctz(0x0000000100000000u), 32);
  CHECK_U64(mw_i64_ctz(0x8000000000000000u), 63);
  CHECK_U64(mw_i64_popcnt(0xFFFFFFFFFFFFFFFFu), 64);
  CHECK_U64(mw_i64_popcnt(0x8000800080008000u), 4);
  CHECK_U64(mw_i64_popcnt(0xDEADBEEFDEADBEEFu), 48);
}

static void test_shifts_rotates(void) {
  CHECK_U32(mw_i32_shl(1, 31), 0x80000000u);
  CHECK_U32(mw_i32_shl(1, 32), 1);           /* modulo the width */
  CHECK_U32(mw_i32_shl(1, 33), 2);
  CHECK_U32(mw_i32_shl(1, 0xFFFFFFFFu), 0x80000000u);
  CHECK_U32(mw_i32_shr_s(0x80000000u, 31), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_shr_s(0xFFFFFFFFu, 1), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_shr_s(0x7FFFFFFFu, 1), 0x3FFFFFFFu);
  CHECK_U32(mw_i32_shr_s(1, 32), 1);
  CHECK_U32(mw_i32_shr_s(0x80000000u, 33), 0xC0000000u);
  CHECK_U32(mw_i32_shr_s(0xFFFFFFFFu, 0x7FFFFFFFu), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_shr_u(0x80000000u, 31), 1);
  CHECK_U32(mw_i32_shr_u(0xFFFFFFFFu, 1), 0x7FFFFFFFu);
  CHECK_U32(mw_i32_shr_u(0x80000000u, 32), 0x80000000u);
  CHECK_U32(mw_i32_rotl(0xFE00DC00u, 4), 0xE00DC00Fu);
  CHECK_U32(mw_i32_rotl(0xABCD9876u, 1), 0x579B30EDu);
  CHECK_U32(mw_i32_rotl(1, 32), 1);
  CHECK_U32(mw_i32_rotl(1, 0), 1);
  CHECK_U32(mw_i32_rotl(0x80000000u, 1), 1);
  CHECK_U32(mw_i32_rotr(0xB0C1D2E3u, 0x0005u), 0x1D860E97u);
  CHECK_U32(mw_i32_rotr(0xFF00CC00u, 1), 0x7F806600u);
  CHECK_U32(mw_i32_rotr(1, 1), 0x80000000u);
  CHECK_U32(mw_i32_rotr(0x769ABCDFu, 0xFFFFFFEDu), 0xE6FBB4D5u);
  CHECK_U32(mw_i32_rotr(0x769ABCDFu, 0x8000000Du), 0xE6FBB4D5u);
  CHECK_U32(mw_i32_rotr(0x00008000u, 37), 0x00000400u);

  CHECK_U64(mw_i64_shl(1, 63), 0x8000000000000000u);
  CHECK_U64(mw_i64_shl(1, 64), 1);
  CHECK_U64(mw_i64_shr_s(0x8000000000000000u, 63), 0xFFFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_shr_s(0x8000000000000000u, 65), 0xC000000000000000u);
  CHECK_U64(mw_i64_shr_s(0x7FFFFFFFFFFFFFFFu, 1), 0x3FFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_shr_u(0x8000000000000000u, 63), 1);
  CHECK_U64(mw_i64_shr_u(0x8000000000000000u, 64), 0x8000000000000000u);
  CHECK_U64(mw_i64_rotl(1, 63), 0x8000000000000000u);
  CHECK_U64(mw_i64_rotl(1, 64), 1);
  CHECK_U64(mw_i64_rotl(0xABD1234EF567809Cu, 63), 0x55E891A77AB3C04Eu);
  CHECK_U64(mw_i64_rotl(0xABD1234EF567809Cu, 0x800000000000003Fu), 0x55E891A77AB3C04Eu);
  CHECK_U64(mw_i64_rotr(1, 1), 0x8000000000000000u);
  CHECK_U64(mw_i64_rotr(0xABCD1234EF567809u, 53), 0x6891A77AB3C04D5Eu);
  CHECK_U64(mw_i64_rotr(0xABCD1234EF567809u, 0xF5u), 0x6891A77AB3C04D5Eu);
  CHECK_U64(mw_i64_rotr(0xABD1234EF567809Cu, 0x800000000000003Fu), 0x57A2469DEACF0139u);
  CHECK_U64(mw_i64_rotr(0xABCD7294EF567809u, 0xFFFFFFFFFFFFFFEDu), 0x94A77AB3C04D5E6Bu);
}

static void test_division(void) {
  CHECK(mw_i32_div_s_overflows(INT32_MIN, -1));
  CHECK(!mw_i32_div_s_overflows(INT32_MIN, 1));
  CHECK(!mw_i32_div_s_overflows(INT32_MIN + 1, -1));
  CHECK(!mw_i32_div_s_overflows(-1, -1));
  CHECK(mw_i64_div_s_overflows(INT64_MIN, -1));
  CHECK(!mw_i64_div_s_overflows(INT64_MIN, 2));
  /* rem_s never traps on INT_MIN % -1: the answer is 0. */
  CHECK_U32(mw_i32_rem_s(INT32_MIN, -1), 0);
  CHECK_U32(mw_i32_rem_s(INT32_MAX, -1), 0);
  CHECK_U32(mw_i32_rem_s(-5, 2), (uint32_t)-1);   /* sign of the dividend */
  CHECK_U32(mw_i32_rem_s(5, -2), 1);
  CHECK_U32(mw_i32_rem_s(-7, -3), (uint32_t)-1);
  CHECK_U32(mw_i32_rem_s(INT32_MIN, 2), 0);
  CHECK_U32(mw_i32_rem_s(INT32_MIN, 3), (uint32_t)-2);
  CHECK_U64(mw_i64_rem_s(INT64_MIN, -1), 0);
  CHECK_U64(mw_i64_rem_s(-5, 2), (uint64_t)-1);
  CHECK_U64(mw_i64_rem_s(INT64_MIN, 3), (uint64_t)-2);
}

static void test_sign_extension(void) {
  CHECK_U32(mw_i32_extend8_s(0), 0);
  CHECK_U32(mw_i32_extend8_s(0x7F), 127);
  CHECK_U32(mw_i32_extend8_s(0x80), 0xFFFFFF80u);
  CHECK_U32(mw_i32_extend8_s(0xFF), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_extend8_s(0x01234500u), 0);
  CHECK_U32(mw_i32_extend8_s(0xFEDCBA80u), 0xFFFFFF80u);
  CHECK_U32(mw_i32_extend16_s(0x7FFF), 32767);
  CHECK_U32(mw_i32_extend16_s(0x8000), 0xFFFF8000u);
  CHECK_U32(mw_i32_extend16_s(0x01230000u), 0);
  CHECK_U32(mw_i32_extend16_s(0xFEDC8000u), 0xFFFF8000u);
  CHECK_U64(mw_i64_extend8_s(0x80), 0xFFFFFFFFFFFFFF80u);
  CHECK_U64(mw_i64_extend8_s(0x0123456789ABCD00u), 0);
  CHECK_U64(mw_i64_extend8_s(0xFEDCBA9876543280u), 0xFFFFFFFFFFFFFF80u);
  CHECK_U64(mw_i64_extend16_s(0x8000), 0xFFFFFFFFFFFF8000u);
  CHECK_U64(mw_i64_extend16_s(0x7FFF), 0x7FFF);
  CHECK_U64(mw_i64_extend32_s(0x80000000u), 0xFFFFFFFF80000000u);
  CHECK_U64(mw_i64_extend32_s(0x7FFFFFFFu), 0x7FFFFFFFu);
  CHECK_U64(mw_i64_extend32_s(0x0123456700000000u), 0);
  CHECK_U64(mw_i64_extend32_s(0xFEDCBA9880000000u), 0xFFFFFFFF80000000u);
  CHECK_U64(mw_i64_extend32_s(0xFFFFFFFFu), 0xFFFFFFFFFFFFFFFFu);
}

static void test_float_bits(void) {
  /* abs/neg/copysign keep NaN payloads, signalling ones included. */
  CHECK_U32(mw_f32_abs(0xFF800001u), 0x7F800001u);
  CHECK_U32(mw_f32_abs(0x80000000u), 0);
  CHECK_U32(mw_f32_neg(0x7F800001u), 0xFF800001u);
  CHECK_U32(mw_f32_neg(0), 0x80000000u);
  CHECK_U32(mw_f32_neg(0xFFC00000u), 0x7FC00000u);
  CHECK_U32(mw_f32_copysign(0x7FA00000u, 0x80000000u), 0xFFA00000u);
  CHECK_U32(mw_f32_copysign(0xBF800000u, 0x7FC00000u), 0x3F800000u);
  CHECK_U32(mw_f32_copysign(0x3F800000u, 0xFFC00000u), 0xBF800000u);
  CHECK_U64(mw_f64_abs(0xFFF0000000000001u), 0x7FF0000000000001u);
  CHECK_U64(mw_f64_neg(0x7FF4000000000000u), 0xFFF4000000000000u);
  CHECK_U64(mw_f64_neg(0x8000000000000000u), 0);
  CHECK_U64(mw_f64_copysign(0x3FF0000000000000u, 0x8000000000000000u),
            0xBFF0000000000000u);
  CHECK_U64(mw_f64_copysign(0xFFF8000000000000u, 0), 0x7FF8000000000000u);
  /* bit round trips */
  CHECK_U32(mw_f32_bits(mw_f32_from_bits(0x7FA00001u)), 0x7FA00001u);
  CHECK_U64(mw_f64_bits(mw_f64_from_bits(0x7FF0000000000001u)), 0x7FF0000000000001u);
}

static void test_min_max(void) {
  /* -0 orders below +0, in either operand order (f32.wast). */
  CHECK_F32(mw_f32_min(-0.0f, 0.0f), -0.0f);
  CHECK_F32(mw_f32_min(0.0f, -0.0f), -0.0f);
  CHECK_F32(mw_f32_max(-0.0f, 0.0f), 0.0f);
  CHECK_F32(mw_f32_max(0.0f, -0.0f), 0.0f);
  CHECK_F32(mw_f32_min(-0.0f, -0.0f), -0.0f);
  CHECK_F32(mw_f32_max(0.0f, 0.0f), 0.0f);
  CHECK_F32(mw_f32_min(1.0f, -INFINITY), -INFINITY);
  CHECK_F32(mw_f32_max(-1.0f, INFINITY), INFINITY);
  CHECK_F32(mw_f32_min(0x1p-149f, -0x1p-149f), -0x1p-149f);
  CHECK_F32(mw_f32_max(0x1p-149f, -0x1p-149f), 0x1p-149f);
  CHECK_F64(mw_f64_min(-0.0, 0.0), -0.0);
  CHECK_F64(mw_f64_min(0.0, -0.0), -0.0);
  CHECK_F64(mw_f64_max(-0.0, 0.0), 0.0);
  CHECK_F64(mw_f64_max(0.0, -0.0), 0.0);
  CHECK_F64(mw_f64_min(2.0, 3.0), 2.0);
  CHECK_F64(mw_f64_max(2.0, 3.0), 3.0);
  /* A NaN operand: canonical in -> canonical out; any NaN -> arithmetic. */
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_min(NAN32, 0.0f))));
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_min(0.0f, NNAN32))));
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_max(-INFINITY, NAN32))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_max(NAN32_PAYLOAD, 1.0f))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_min(SNAN32, 1.0f))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_min(NAN32, NAN32_PAYLOAD))));
  CHECK(f64_is_canonical_nan(mw_f64_bits(mw_f64_min(NAN64, -0.0))));
  CHECK(f64_is_canonical_nan(mw_f64_bits(mw_f64_max(0.0, NAN64))));
  CHECK(f64_is_arithmetic_nan(mw_f64_bits(mw_f64_max(NAN64_PAYLOAD, 1.0))));
  CHECK(f64_is_arithmetic_nan(mw_f64_bits(mw_f64_min(1.0, SNAN64))));
}

static void test_rounding(void) {
  /* nearest: ties to even, keeps the sign of zero (f32.wast, f64.wast). */
  CHECK_F32(mw_f32_nearest(2.5f), 2.0f);
  CHECK_F32(mw_f32_nearest(3.5f), 4.0f);
  CHECK_F32(mw_f32_nearest(-2.5f), -2.0f);
  CHECK_F32(mw_f32_nearest(0.5f), 0.0f);
  CHECK_F32(mw_f32_nearest(-0.5f), -0.0f);
  CHECK_F32(mw_f32_nearest(-0.0f), -0.0f);
  CHECK_F32(mw_f32_nearest(1.5f), 2.0f);
  CHECK_F32(mw_f32_nearest(-1.5f), -2.0f);
  CHECK_F32(mw_f32_nearest(0x1.fffffep+22f), 0x1p+23f);     /* 8388607.5 */
  CHECK_F32(mw_f32_nearest(0x1.fffffep+23f), 0x1.fffffep+23f);
  CHECK_F32(mw_f32_nearest(-0x1p-149f), -0.0f);
  CHECK_F32(mw_f32_nearest(INFINITY), INFINITY);
  CHECK_F64(mw_f64_nearest(2.5), 2.0);
  CHECK_F64(mw_f64_nearest(-0.5), -0.0);
  CHECK_F64(mw_f64_nearest(4.5), 4.0);
  CHECK_F64(mw_f64_nearest(0x1.fffffffffffffp+51), 0x1p+52); /* 4503599627370495.5 */
  CHECK_F64(mw_f64_nearest(-0x1.fffffffffffffp+51), -0x1p+52);
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_nearest(NAN32))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_nearest(SNAN32))));
  CHECK(f64_is_arithmetic_nan(mw_f64_bits(mw_f64_nearest(NAN64_PAYLOAD))));

  CHECK_F32(mw_f32_ceil(-0.5f), -0.0f);
  CHECK_F32(mw_f32_ceil(0.5f), 1.0f);
  CHECK_F32(mw_f32_ceil(-1.5f), -1.0f);
  CHECK_F32(mw_f32_floor(-0.5f), -1.0f);
  CHECK_F32(mw_f32_floor(0.5f), 0.0f);
  CHECK_F32(mw_f32_floor(-0.0f), -0.0f);
  CHECK_F32(mw_f32_trunc(-0.5f), -0.0f);
  CHECK_F32(mw_f32_trunc(-1.5f), -1.0f);
  CHECK_F64(mw_f64_ceil(-0.5), -0.0);
  CHECK_F64(mw_f64_floor(-0x1p-1074), -1.0);
  CHECK_F64(mw_f64_trunc(-0x1.8p+0), -1.0);
  CHECK_F64(mw_f64_ceil(0x1.fffffffffffffp+51), 0x1p+52);
  CHECK(f64_is_arithmetic_nan(mw_f64_bits(mw_f64_ceil(SNAN64))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_floor(SNAN32))));
  CHECK(f32_is_arithmetic_nan(mw_f32_bits(mw_f32_trunc(NAN32_PAYLOAD))));

  CHECK_F32(mw_f32_sqrt(-0.0f), -0.0f);
  CHECK_F32(mw_f32_sqrt(4.0f), 2.0f);
  CHECK_F32(mw_f32_sqrt(INFINITY), INFINITY);
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_sqrt(-1.0f))));
  CHECK(f32_is_canonical_nan(mw_f32_bits(mw_f32_sqrt(-INFINITY))));
  CHECK_F64(mw_f64_sqrt(0x1.0000000000001p+0), 0x1p+0); /* correctly rounded */
  CHECK_F64(mw_f64_sqrt(-0.0), -0.0);
  CHECK(f64_is_canonical_nan(mw_f64_bits(mw_f64_sqrt(-0x1p-1074))));
}

static void test_trapping_trunc(void) {
  /* i32.trunc_f32_s: valid range (-2147483904.0, 2147483648.0). */
  CHECK(mw_i32_trunc_f32_s_check(-2147483648.0f) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f32_s_check(2147483520.0f) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f32_s_check(2147483648.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_s_check(-2147483904.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_s_check(INFINITY) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_s_check(-INFINITY) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_s_check(NAN32) == MW_TRUNC_NAN);
  CHECK(mw_i32_trunc_f32_s_check(NNAN32) == MW_TRUNC_NAN);
  CHECK(mw_i32_trunc_f32_s_check(SNAN32) == MW_TRUNC_NAN);
  CHECK(mw_i32_trunc_f32_s_check(-0.0f) == MW_TRUNC_OK);
  /* 2147483647.0f rounds to 2^31 as a float literal: out of range. */
  CHECK(mw_i32_trunc_f32_s_check(2147483647.0f) == MW_TRUNC_OVERFLOW);
  CHECK_U32((int32_t)-2147483648.0f, 0x80000000u);
  CHECK_U32((int32_t)-1.9f, 0xFFFFFFFFu);

  /* i32.trunc_f32_u: (-1.0, 4294967296.0) */
  CHECK(mw_i32_trunc_f32_u_check(-0x1.ccccccp-1f) == MW_TRUNC_OK); /* -0.9 */
  CHECK(mw_i32_trunc_f32_u_check(-1.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_u_check(4294967040.0f) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f32_u_check(4294967296.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f32_u_check(NAN32) == MW_TRUNC_NAN);
  CHECK_U32((uint32_t)-0x1.ccccccp-1f, 0);
  CHECK_U32((uint32_t)4294967040.0f, 4294967040u);

  /* i32.trunc_f64_s: (-2147483649.0, 2147483648.0) */
  CHECK(mw_i32_trunc_f64_s_check(-2147483648.9) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f64_s_check(-2147483649.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f64_s_check(2147483647.9) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f64_s_check(2147483648.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f64_s_check(NAN64) == MW_TRUNC_NAN);
  CHECK_U32((int32_t)-2147483648.9, 0x80000000u);
  CHECK_U32((int32_t)2147483647.9, 0x7FFFFFFFu);

  /* i32.trunc_f64_u: (-1.0, 4294967296.0) */
  CHECK(mw_i32_trunc_f64_u_check(-0.9) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f64_u_check(-1.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f64_u_check(4294967295.9) == MW_TRUNC_OK);
  CHECK(mw_i32_trunc_f64_u_check(4294967296.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f64_u_check(1e16) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i32_trunc_f64_u_check(SNAN64) == MW_TRUNC_NAN);
  CHECK_U32((uint32_t)4294967295.9, 0xFFFFFFFFu);

  /* i64 from f32 / f64 */
  CHECK(mw_i64_trunc_f32_s_check(-9223372036854775808.0f) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f32_s_check(9223371487098961920.0f) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f32_s_check(9223372036854775808.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f32_s_check(-9223373136366403584.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f32_s_check(NAN32) == MW_TRUNC_NAN);
  CHECK(mw_i64_trunc_f32_u_check(-0x1.ccccccp-1f) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f32_u_check(-1.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f32_u_check(18446742974197923840.0f) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f32_u_check(18446744073709551616.0f) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_s_check(-9223372036854775808.0) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f64_s_check(9223372036854774784.0) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f64_s_check(9223372036854775808.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_s_check(-9223372036854777856.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_s_check(-INFINITY) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_s_check(NAN64_PAYLOAD) == MW_TRUNC_NAN);
  CHECK(mw_i64_trunc_f64_u_check(-0.9) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f64_u_check(-1.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_u_check(18446744073709549568.0) == MW_TRUNC_OK);
  CHECK(mw_i64_trunc_f64_u_check(18446744073709551616.0) == MW_TRUNC_OVERFLOW);
  CHECK(mw_i64_trunc_f64_u_check(INFINITY) == MW_TRUNC_OVERFLOW);
  CHECK_U64((int64_t)-9223372036854775808.0, 0x8000000000000000u);
  CHECK_U64((uint64_t)18446744073709549568.0, 0xFFFFFFFFFFFFF800u);
  CHECK_U64((uint64_t)18446742974197923840.0f, 0xFFFFFF0000000000u);
  CHECK_U64((uint64_t)-0.9, 0);
}

static void test_saturating_trunc(void) {
  CHECK_U32(mw_i32_trunc_sat_f32_s(NAN32), 0);
  CHECK_U32(mw_i32_trunc_sat_f32_s(NNAN32), 0);
  CHECK_U32(mw_i32_trunc_sat_f32_s(2147483648.0f), 0x7FFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f32_s(-2147483904.0f), 0x80000000u);
  CHECK_U32(mw_i32_trunc_sat_f32_s(-2147483648.0f), 0x80000000u);
  CHECK_U32(mw_i32_trunc_sat_f32_s(INFINITY), 0x7FFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f32_s(-INFINITY), 0x80000000u);
  CHECK_U32(mw_i32_trunc_sat_f32_s(-1.5f), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f32_u(-1.0f), 0);
  CHECK_U32(mw_i32_trunc_sat_f32_u(-0x1.ccccccp-1f), 0);
  CHECK_U32(mw_i32_trunc_sat_f32_u(4294967296.0f), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f32_u(4294967040.0f), 4294967040u);
  CHECK_U32(mw_i32_trunc_sat_f32_u(SNAN32), 0);
  CHECK_U32(mw_i32_trunc_sat_f64_s(2147483648.0), 0x7FFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f64_s(-2147483649.0), 0x80000000u);
  CHECK_U32(mw_i32_trunc_sat_f64_s(-2147483648.9), 0x80000000u);
  CHECK_U32(mw_i32_trunc_sat_f64_s(2147483647.9), 0x7FFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f64_s(NAN64), 0);
  CHECK_U32(mw_i32_trunc_sat_f64_u(4294967295.9), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f64_u(1e16), 0xFFFFFFFFu);
  CHECK_U32(mw_i32_trunc_sat_f64_u(-INFINITY), 0);
  CHECK_U32(mw_i32_trunc_sat_f64_u(-0.9), 0);
  CHECK_U64(mw_i64_trunc_sat_f32_s(9223372036854775808.0f), 0x7FFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_trunc_sat_f32_s(-9223373136366403584.0f), 0x8000000000000000u);
  CHECK_U64(mw_i64_trunc_sat_f32_s(-9223372036854775808.0f), 0x8000000000000000u);
  CHECK_U64(mw_i64_trunc_sat_f32_s(NAN32), 0);
  CHECK_U64(mw_i64_trunc_sat_f32_u(18446744073709551616.0f), 0xFFFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_trunc_sat_f32_u(18446742974197923840.0f), 0xFFFFFF0000000000u);
  CHECK_U64(mw_i64_trunc_sat_f32_u(-1.0f), 0);
  CHECK_U64(mw_i64_trunc_sat_f64_s(9223372036854775808.0), 0x7FFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_trunc_sat_f64_s(-9223372036854777856.0), 0x8000000000000000u);
  CHECK_U64(mw_i64_trunc_sat_f64_s(9223372036854774784.0), 0x7FFFFFFFFFFFFC00u);
  CHECK_U64(mw_i64_trunc_sat_f64_s(SNAN64), 0);
  CHECK_U64(mw_i64_trunc_sat_f64_u(18446744073709551616.0), 0xFFFFFFFFFFFFFFFFu);
  CHECK_U64(mw_i64_trunc_sat_f64_u(18446744073709549568.0), 0xFFFFFFFFFFFFF800u);
  CHECK_U64(mw_i64_trunc_sat_f64_u(-INFINITY), 0);
  CHECK_U64(mw_i64_trunc_sat_f64_u(INFINITY), 0xFFFFFFFFFFFFFFFFu);
}

static void test_int_to_float(void) {
  /* conversions.wast: f32.convert_i64_u must round once, to nearest even. */
  CHECK_F32(mw_u64_to_f32(0x7FFFFFFFFFFFFFFFu), 0x1p63f);
  CHECK_F32(mw_u64_to_f32(0x8000000000000000u), 0x1p63f);
  CHECK_F32(mw_u64_to_f32(0xFFFFFFFFFFFFFFFFu), 0x1p64f);
  CHECK_F32(mw_u64_to_f32(16777217), 16777216.0f);
  CHECK_F32(mw_u64_to_f32(16777219), 16777220.0f);
  CHECK_F32(mw_u64_to_f32(0x0020000020000001u), 0x1.000002p+53f);
  CHECK_F32(mw_u64_to_f32(0x7FFFFFBFFFFFFFFFu), 0x1.fffffep+62f);
  CHECK_F32(mw_u64_to_f32(0x8000008000000001u), 0x1.000002p+63f);
  CHECK_F32(mw_u64_to_f32(0xFFFFFE8000000001u), 0x1.fffffep+63f);
  CHECK_F32(mw_u64_to_f32(0x8000008000000000u), 0x1p63f);          /* tie: even */
  CHECK_F32(mw_u64_to_f32(0x8000018000000000u), 0x1.000004p+63f);  /* tie: even */
  CHECK_F32(mw_u64_to_f32(0), 0.0f);
  CHECK_F32(mw_u64_to_f32(1), 1.0f);
  CHECK_F64(mw_u64_to_f64(0x8000000000000400u), 0x1.0000000000000p+63);
  CHECK_F64(mw_u64_to_f64(0x8000000000000401u), 0x1.0000000000001p+63);
  CHECK_F64(mw_u64_to_f64(0x8000000000000402u), 0x1.0000000000001p+63);
  CHECK_F64(mw_u64_to_f64(0xFFFFFFFFFFFFF400u), 0x1.ffffffffffffep+63);
  CHECK_F64(mw_u64_to_f64(0xFFFFFFFFFFFFF401u), 0x1.fffffffffffffp+63);
  CHECK_F64(mw_u64_to_f64(0xFFFFFFFFFFFFF402u), 0x1.fffffffffffffp+63);
  CHECK_F64(mw_u64_to_f64(0xFFFFFFFFFFFFFFFFu), 0x1p64);
  CHECK_F64(mw_u64_to_f64(9007199254740993u), 9007199254740992.0);
  CHECK_F64(mw_u64_to_f64(9007199254740995u), 9007199254740996.0);

  /* The signed and 32-bit conversions exec.c does with plain C casts. */
  CHECK_F32((float)(int64_t)0x0020000020000001, 0x1.000002p+53f);
  CHECK_F32((float)(int64_t)0x7FFFFF4000000001, 0x1.fffffep+62f);
  CHECK_F32((float)-(int64_t)0x7FFFFFBFFFFFFFFF, -0x1.fffffep+62f); /* 0x8000004000000001 */
  CHECK_F32((float)(int64_t)-0x0020000020000001, -0x1.000002p+53f);
  CHECK_F32((float)(int32_t)16777217, 16777216.0f);
  CHECK_F32((float)(uint32_t)0xFFFFFFFFu, 4294967296.0f);
  CHECK_F32((float)(uint32_t)0x80000080u, 0x1p31f);      /* tie: even */
  CHECK_F32((float)(uint32_t)0x80000081u, 0x1.000002p31f);
  CHECK_F64((double)(int64_t)9007199254740993, 9007199254740992.0);
  CHECK_F64((double)(int64_t)-9007199254740995, -9007199254740996.0);
}

static void test_demote_promote(void) {
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(-0.0)), 0x80000000u);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x0.0000000000001p-1022)), 0);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(-0x0.0000000000001p-1022)), 0x80000000u);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.fffffe0000000p-127)),
            mw_f32_bits(0x1p-126f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.fffffdfffffffp-127)),
            mw_f32_bits(0x1.fffffcp-127f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.fffffd0000000p+127)),
            mw_f32_bits(0x1.fffffcp+127f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.fffffd0000001p+127)),
            mw_f32_bits(0x1.fffffep+127f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.fffffefffffffp+127)),
            mw_f32_bits(0x1.fffffep+127f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.ffffffp+127)), 0x7F800000u);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(-0x1.ffffffp+127)), 0xFF800000u);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.0000010000000p+0)), 0x3F800000u);
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.0000030000000p+0)),
            mw_f32_bits(0x1.000004p+0f));
  CHECK_U32(mw_f32_demote_f64(mw_f64_bits(0x1.4eae4f7024c7p+108)),
            mw_f32_bits(0x1.4eae5p+108f));
  CHECK(f32_is_canonical_nan(mw_f32_demote_f64(0x7FF8000000000000u)));
  CHECK(f32_is_canonical_nan(mw_f32_demote_f64(0xFFF8000000000000u)));
  CHECK(f32_is_arithmetic_nan(mw_f32_demote_f64(0x7FF4000000000000u)));
  CHECK(f32_is_arithmetic_nan(mw_f32_demote_f64(0x7FF0000000000001u)));
  CHECK_U32(mw_f32_demote_f64(0xFFF4000000000000u) & 0x80000000u, 0x80000000u);

  CHECK_U64(mw_f64_promote_f32(0x80000000u), 0x8000000000000000u);
  CHECK_U64(mw_f64_promote_f32(0x00000001u), mw_f64_bits(0x1p-149));
  CHECK_U64(mw_f64_promote_f32(0x7F7FFFFFu), mw_f64_bits(0x1.fffffep+127));
  CHECK_U64(mw_f64_promote_f32(0xFF800000u), 0xFFF0000000000000u);
  CHECK(f64_is_canonical_nan(mw_f64_promote_f32(0x7FC00000u)));
  CHECK(f64_is_canonical_nan(mw_f64_promote_f32(0xFFC00000u)));
  CHECK(f64_is_arithmetic_nan(mw_f64_promote_f32(0x7FA00000u)));
  CHECK(f64_is_arithmetic_nan(mw_f64_promote_f32(0x7F800001u)));
}

int main(void) {
  RUN(test_bit_counts);
  RUN(test_shifts_rotates);
  RUN(test_division);
  RUN(test_sign_extension);
  RUN(test_float_bits);
  RUN(test_min_max);
  RUN(test_rounding);
  RUN(test_trapping_trunc);
  RUN(test_saturating_trunc);
  RUN(test_int_to_float);
  RUN(test_demote_promote);
  return harness_summary();
}
