/*
 * numeric.h -- the numeric instructions of WebAssembly as inline C helpers.
 *
 * Semantics follow the spec's numerics chapter (Wasm 2.0, section 4.3).
 * Rules kept throughout:
 *  - no undefined behaviour: signed arithmetic is done in unsigned types,
 *    shift counts are reduced modulo the width, and a float is converted to
 *    an integer only after its range has been checked;
 *  - bit-level operations (abs, neg, copysign, sign extension) work on bit
 *    patterns, so NaN payloads pass through them untouched (4.3.3);
 *  - we never change the floating-point environment, so C's conversions and
 *    libm's rint family round to nearest, ties to even, as wasm requires.
 *
 * The trapping instructions (div, rem, trunc) are split in two: a predicate
 * or status the interpreter tests to pick its trap message, and the
 * operation itself, which is then always defined.
 */
#ifndef MW_NUMERIC_H
#define MW_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- bits */

static inline uint32_t mw_f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
static inline float mw_f32_from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static inline uint64_t mw_f64_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}
static inline double mw_f64_from_bits(uint64_t u) {
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

#define MW_F32_SIGN 0x80000000u
#define MW_F64_SIGN 0x8000000000000000u
/* The canonical NaNs (4.3.3): quiet bit only in the payload. */
#define MW_F32_CANON_NAN 0x7FC00000u
#define MW_F64_CANON_NAN 0x7FF8000000000000u

/* ---------------------------------------------------------------- integers */

static inline uint32_t mw_i32_clz(uint32_t x) {
#if defined(__GNUC__)
  return x ? (uint32_t)__builtin_clz(x) : 32u;
#else
  uint32_t n = 0;
  if (!x) return 32;
  while (!(x & 0x80000000u)) { x <<= 1; n++; }
  return n;
#endif
}

static inline uint32_t mw_i32_ctz(uint32_t x) {
#if defined(__GNUC__)
  return x ? (uint32_t)__builtin_ctz(x) : 32u;
#else
  uint32_t n = 0;
  if (!x) return 32;
  while (!(x & 1u)) { x >>= 1; n++; }
  return n;
#endif
}

static inline uint32_t mw_i32_popcnt(uint32_t x) {
#if defined(__GNUC__)
  return (uint32_t)__builtin_popcount(x);
#else
  uint32_t n = 0;
  for (; x; x &= x - 1) n++;
  return n;
#endif
}

static inline uint64_t mw_i64_clz(uint64_t x) {
#if defined(__GNUC__)
  return x ? (uint64_t)__builtin_clzll(x) : 64u;
#else
  uint32_t hi = (uint32_t)(x >> 32);
  return hi ? mw_i32_clz(hi) : 32u + mw_i32_clz((uint32_t)x);
#endif
}

static inline uint64_t mw_i64_ctz(uint64_t x) {
#if defined(__GNUC__)
  return x ? (uint64_t)__builtin_ctzll(x) : 64u;
#else
  uint32_t lo = (uint32_t)x;
  return lo ? mw_i32_ctz(lo) : 32u + mw_i32_ctz((uint32_t)(x >> 32));
#endif
}

static inline uint64_t mw_i64_popcnt(uint64_t x) {
#if defined(__GNUC__)
  return (uint64_t)__builtin_popcountll(x);
#else
  return mw_i32_popcnt((uint32_t)x) + mw_i32_popcnt((uint32_t)(x >> 32));
#endif
}

/* Shift counts are taken modulo the width (4.3.2, ishl/ishr). */
static inline uint32_t mw_i32_shl(uint32_t a, uint32_t b) { return a << (b & 31); }
static inline uint32_t mw_i32_shr_u(uint32_t a, uint32_t b) { return a >> (b & 31); }
static inline uint64_t mw_i64_shl(uint64_t a, uint64_t b) { return a << (b & 63); }
static inline uint64_t mw_i64_shr_u(uint64_t a, uint64_t b) { return a >> (b & 63); }

/* Arithmetic shift without relying on how C shifts negative numbers
 * (implementation-defined): shift the complement, which is non-negative.
 * Compilers recognise this and emit a single `sar`. */
static inline uint32_t mw_i32_shr_s(uint32_t a, uint32_t b) {
  b &= 31;
  return (a & MW_F32_SIGN) ? ~(~a >> b) : a >> b;
}
static inline uint64_t mw_i64_shr_s(uint64_t a, uint64_t b) {
  b &= 63;
  return (a & MW_F64_SIGN) ? ~(~a >> b) : a >> b;
}

/* Rotations; the masked right count keeps b == 0 defined. */
static inline uint32_t mw_i32_rotl(uint32_t a, uint32_t b) {
  return (a << (b & 31)) | (a >> ((32 - b) & 31));
}
static inline uint32_t mw_i32_rotr(uint32_t a, uint32_t b) {
  return (a >> (b & 31)) | (a << ((32 - b) & 31));
}
static inline uint64_t mw_i64_rotl(uint64_t a, uint64_t b) {
  return (a << (b & 63)) | (a >> ((64 - b) & 63));
}
static inline uint64_t mw_i64_rotr(uint64_t a, uint64_t b) {
  return (a >> (b & 63)) | (a << ((64 - b) & 63));
}

/* Signed division (4.3.2 idiv_s / irem_s).  The caller traps first when
 * mw_i32_div_s_traps() says so: divisor 0, or INT_MIN / -1 whose quotient
 * 2^31 is not representable.  rem_s of INT_MIN by -1 is 0 in wasm but
 * overflows in C, hence the explicit case. */
static inline int mw_i32_div_s_overflows(int32_t a, int32_t b) {
  return a == INT32_MIN && b == -1;
}
static inline int mw_i64_div_s_overflows(int64_t a, int64_t b) {
  return a == INT64_MIN && b == -1;
}
static inline int32_t mw_i32_rem_s(int32_t a, int32_t b) {
  return b == -1 ? 0 : a % b;
}
static inline int64_t mw_i64_rem_s(int64_t a, int64_t b) {
  return b == -1 ? 0 : a % b;
}

/* Sign extension (4.3.2 iextend_s), with arithmetic only: flipping the
 * sign bit then subtracting it maps [0, 2^N) onto [-2^(N-1), 2^(N-1)). */
static inline int32_t mw_i32_extend8_s(uint32_t x) {
  return (int32_t)((x & 0xFFu) ^ 0x80u) - 0x80;
}
static inline int32_t mw_i32_extend16_s(uint32_t x) {
  return (int32_t)((x & 0xFFFFu) ^ 0x8000u) - 0x8000;
}
static inline int64_t mw_i64_extend8_s(uint64_t x) {
  return (int64_t)((x & 0xFFu) ^ 0x80u) - 0x80;
}
static inline int64_t mw_i64_extend16_s(uint64_t x) {
  return (int64_t)((x & 0xFFFFu) ^ 0x8000u) - 0x8000;
}
static inline int64_t mw_i64_extend32_s(uint64_t x) {
  return (int64_t)((x & 0xFFFFFFFFu) ^ 0x80000000u) - (int64_t)0x80000000;
}

/* ---------------------------------------------------------------- floats: bit operations */

/* fabs, fneg, fcopysign only touch the sign bit (4.3.3). */
static inline uint32_t mw_f32_abs(uint32_t a) { return a & ~MW_F32_SIGN; }
static inline uint32_t mw_f32_neg(uint32_t a) { return a ^ MW_F32_SIGN; }
static inline uint32_t mw_f32_copysign(uint32_t a, uint32_t b) {
  return (a & ~MW_F32_SIGN) | (b & MW_F32_SIGN);
}
static inline uint64_t mw_f64_abs(uint64_t a) { return a & ~MW_F64_SIGN; }
static inline uint64_t mw_f64_neg(uint64_t a) { return a ^ MW_F64_SIGN; }
static inline uint64_t mw_f64_copysign(uint64_t a, uint64_t b) {
  return (a & ~MW_F64_SIGN) | (b & MW_F64_SIGN);
}

/* ---------------------------------------------------------------- floats: arithmetic */

/* fmin/fmax (4.3.3): a NaN operand gives a NaN -- adding the operands
 * propagates it, quieted, which is an arithmetic NaN, and canonical when
 * the input was; -0 orders below +0, which for equal operands (the only
 * case where zeros' signs matter) is an OR / AND of the sign bits. */
static inline float mw_f32_min(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return mw_f32_from_bits(mw_f32_bits(a) | mw_f32_bits(b));
  return a < b ? a : b;
}
static inline float mw_f32_max(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return mw_f32_from_bits(mw_f32_bits(a) & mw_f32_bits(b));
  return a > b ? a : b;
}
static inline double mw_f64_min(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return mw_f64_from_bits(mw_f64_bits(a) | mw_f64_bits(b));
  return a < b ? a : b;
}
static inline double mw_f64_max(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return mw_f64_from_bits(mw_f64_bits(a) & mw_f64_bits(b));
  return a > b ? a : b;
}

/* fnearest: round half to even, keeping the sign of a zero result
 * (nearest(-0.5) = -0).  nearbyint rounds in the current mode, which we
 * never move from round-to-nearest-even, and does not raise "inexact". */
/* A NaN operand must come out quiet (an arithmetic NaN), but libm's
 * rounding functions may hand a signalling NaN back untouched (glibc's
 * integer-only floorf does); a + a quiets it in hardware. */
static inline float mw_f32_nearest(float a) { return a != a ? a + a : nearbyintf(a); }
static inline double mw_f64_nearest(double a) { return a != a ? a + a : nearbyint(a); }
static inline float mw_f32_ceil(float a) { return a != a ? a + a : ceilf(a); }
static inline float mw_f32_floor(float a) { return a != a ? a + a : floorf(a); }
static inline float mw_f32_trunc(float a) { return a != a ? a + a : truncf(a); }
static inline double mw_f64_ceil(double a) { return a != a ? a + a : ceil(a); }
static inline double mw_f64_floor(double a) { return a != a ? a + a : floor(a); }
static inline double mw_f64_trunc(double a) { return a != a ? a + a : trunc(a); }
/* sqrt is an IEEE operation: the hardware already returns a quiet NaN. */
static inline float mw_f32_sqrt(float a) { return sqrtf(a); }
static inline double mw_f64_sqrt(double a) { return sqrt(a); }

/* ---------------------------------------------------------------- conversions */

/* trunc (4.3.4): NaN traps as "invalid conversion to integer", a value whose
 * truncation is out of range as "integer overflow".  The bounds are the
 * exact open intervals of representable inputs, written as powers of two
 * (exact in every format) or, where the lower bound is not one, as the
 * nearest value below the range that still truncates out of it:
 * f64 -> i32_s accepts -2147483648.9 but not -2147483649.0. */
typedef enum mw_trunc_status {
  MW_TRUNC_OK = 0,
  MW_TRUNC_NAN,      /* trap "invalid conversion to integer" */
  MW_TRUNC_OVERFLOW  /* trap "integer overflow" */
} mw_trunc_status;

#define MW_TRUNC_CHECK(x, lo_ok, hi)                     \
  ((x) != (x) ? MW_TRUNC_NAN                             \
   : (lo_ok) && (x) < (hi) ? MW_TRUNC_OK : MW_TRUNC_OVERFLOW)

static inline mw_trunc_status mw_i32_trunc_f32_s_check(float x) {
  return MW_TRUNC_CHECK(x, x >= -0x1p31f, 0x1p31f);
}
static inline mw_trunc_status mw_i32_trunc_f32_u_check(float x) {
  return MW_TRUNC_CHECK(x, x > -1.0f, 0x1p32f);
}
static inline mw_trunc_status mw_i32_trunc_f64_s_check(double x) {
  return MW_TRUNC_CHECK(x, x > -2147483649.0, 0x1p31);
}
static inline mw_trunc_status mw_i32_trunc_f64_u_check(double x) {
  return MW_TRUNC_CHECK(x, x > -1.0, 0x1p32);
}
static inline mw_trunc_status mw_i64_trunc_f32_s_check(float x) {
  return MW_TRUNC_CHECK(x, x >= -0x1p63f, 0x1p63f);
}
static inline mw_trunc_status mw_i64_trunc_f32_u_check(float x) {
  return MW_TRUNC_CHECK(x, x > -1.0f, 0x1p64f);
}
static inline mw_trunc_status mw_i64_trunc_f64_s_check(double x) {
  return MW_TRUNC_CHECK(x, x >= -0x1p63, 0x1p63);
}
static inline mw_trunc_status mw_i64_trunc_f64_u_check(double x) {
  return MW_TRUNC_CHECK(x, x > -1.0, 0x1p64);
}

/* trunc_sat (4.3.4): NaN gives 0, out of range clamps.  Each C conversion
 * below happens only inside the target's range, so it is defined; for the
 * unsigned ones, anything not above zero (NaN included) is 0. */
static inline int32_t mw_i32_trunc_sat_f32_s(float x) {
  if (x != x) return 0;
  if (x < -0x1p31f) return INT32_MIN;
  if (x >= 0x1p31f) return INT32_MAX;
  return (int32_t)x;
}
static inline uint32_t mw_i32_trunc_sat_f32_u(float x) {
  if (!(x > 0.0f)) return 0;
  if (x >= 0x1p32f) return UINT32_MAX;
  return (uint32_t)x;
}
static inline int32_t mw_i32_trunc_sat_f64_s(double x) {
  if (x != x) return 0;
  if (x < -0x1p31) return INT32_MIN;
  if (x >= 0x1p31) return INT32_MAX;
  return (int32_t)x;
}
static inline uint32_t mw_i32_trunc_sat_f64_u(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 0x1p32) return UINT32_MAX;
  return (uint32_t)x;
}
static inline int64_t mw_i64_trunc_sat_f32_s(float x) {
  if (x != x) return 0;
  if (x < -0x1p63f) return INT64_MIN;
  if (x >= 0x1p63f) return INT64_MAX;
  return (int64_t)x;
}
static inline uint64_t mw_i64_trunc_sat_f32_u(float x) {
  if (!(x > 0.0f)) return 0;
  if (x >= 0x1p64f) return UINT64_MAX;
  return (uint64_t)x;
}
static inline int64_t mw_i64_trunc_sat_f64_s(double x) {
  if (x != x) return 0;
  if (x < -0x1p63) return INT64_MIN;
  if (x >= 0x1p63) return INT64_MAX;
  return (int64_t)x;
}
static inline uint64_t mw_i64_trunc_sat_f64_u(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 0x1p64) return UINT64_MAX;
  return (uint64_t)x;
}

/* convert (4.3.4): integer -> float, rounded once to nearest-even.  C's
 * direct conversions do that under IEEE 754 (Annex F).  i64 -> f32 must not
 * go through double: rounding to 53 bits and then to 24 can land on the
 * wrong side of a tie (0x20000020000001 is the classic case).  For u64 the
 * compilers we target emit the halve-with-sticky-bit sequence, which is
 * exact; mw_u64_to_f32 spells that sequence out so the result does not
 * depend on it. */
static inline float mw_u64_to_f32(uint64_t x) {
  if (x < ((uint64_t)1 << 63)) return (float)(int64_t)x;
  /* Halve, keeping the lost bit as a sticky bit so round-to-nearest still
   * sees whether we were above a tie; doubling is exact. */
  float half = (float)(int64_t)((x >> 1) | (x & 1));
  return half * 2.0f;
}
static inline double mw_u64_to_f64(uint64_t x) {
  if (x < ((uint64_t)1 << 63)) return (double)(int64_t)x;
  double half = (double)(int64_t)((x >> 1) | (x & 1));
  return half * 2.0;
}

/* demote/promote (4.3.4): any NaN becomes a NaN.  We return the canonical
 * NaN with the input's sign: it belongs to both the canonical and the
 * arithmetic sets the spec allows, whatever the hardware would have done
 * with the payload.  Non-NaN values convert exactly (promote) or round to
 * nearest-even (demote, overflowing to infinity). */
static inline uint32_t mw_f32_demote_f64(uint64_t bits) {
  double d = mw_f64_from_bits(bits);
  if (d != d)
    return MW_F32_CANON_NAN | (uint32_t)((bits & MW_F64_SIGN) >> 32);
  return mw_f32_bits((float)d);
}
static inline uint64_t mw_f64_promote_f32(uint32_t bits) {
  float f = mw_f32_from_bits(bits);
  if (f != f)
    return MW_F64_CANON_NAN | ((uint64_t)(bits & MW_F32_SIGN) << 32);
  return mw_f64_bits((double)f);
}

#endif
