/*
 * simd.h -- the 128-bit vector value (v128) and its lane helpers, for the
 * SIMD instructions of Wasm 2.0 and relaxed SIMD (exec_simd.h runs them).
 *
 * A v128 lives in two consecutive 8-byte slots of a frame (ir.h), so it is
 * only 8-byte aligned there: handlers copy it in and out with memcpy,
 * which compiles to one unaligned vector load or store.
 *
 * mw_v128 views the 16 bytes as every lane shape.  Lane i of a shape is
 * element i of the array of that shape, which is the wasm lane order on a
 * little-endian host (lane 0 holds the lowest-addressed bytes).  With GCC
 * or Clang the union also has vector-extension members, used for the plain
 * lane-wise operations; SSE2 intrinsics (always there on x86-64) cover
 * saturating arithmetic and the like.  Everything else, and everything on
 * other compilers, is a plain loop over the lanes.
 */
#ifndef MW_SIMD_H
#define MW_SIMD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifndef MW_NUMERIC_H /* pasted after numeric.h into AOT code (src/aot) */
#include "numeric.h"
#endif

#if defined(__GNUC__)
#define MW_HAVE_VEC 1
typedef int8_t mw_vi8 __attribute__((vector_size(16)));
typedef uint8_t mw_vu8 __attribute__((vector_size(16)));
typedef int16_t mw_vi16 __attribute__((vector_size(16)));
typedef uint16_t mw_vu16 __attribute__((vector_size(16)));
typedef int32_t mw_vi32 __attribute__((vector_size(16)));
typedef uint32_t mw_vu32 __attribute__((vector_size(16)));
typedef int64_t mw_vi64 __attribute__((vector_size(16)));
typedef uint64_t mw_vu64 __attribute__((vector_size(16)));
typedef float mw_vf32 __attribute__((vector_size(16)));
typedef double mw_vf64 __attribute__((vector_size(16)));
#else
#define MW_HAVE_VEC 0
#endif

#if defined(__SSE2__) && MW_HAVE_VEC
#define MW_HAVE_SSE2 1
#include <emmintrin.h>
#else
#define MW_HAVE_SSE2 0
#endif
#if defined(__SSSE3__) && MW_HAVE_SSE2
#define MW_HAVE_SSSE3 1
#include <tmmintrin.h>
#else
#define MW_HAVE_SSSE3 0
#endif

typedef union mw_v128 {
  uint8_t u8[16];
  int8_t i8[16];
  uint16_t u16[8];
  int16_t i16[8];
  uint32_t u32[4];
  int32_t i32[4];
  uint64_t u64[2];
  int64_t i64[2];
  float f32[4];
  double f64[2];
#if MW_HAVE_VEC
  mw_vi8 vi8;
  mw_vu8 vu8;
  mw_vi16 vi16;
  mw_vu16 vu16;
  mw_vi32 vi32;
  mw_vu32 vu32;
  mw_vi64 vi64;
  mw_vu64 vu64;
  mw_vf32 vf32;
  mw_vf64 vf64;
#endif
#if MW_HAVE_SSE2
  __m128i m;
  __m128 mf;
  __m128d md;
#endif
} mw_v128;

static inline mw_v128 mw_v128_load(const void *p) {
  mw_v128 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void mw_v128_store(void *p, mw_v128 v) { memcpy(p, &v, sizeof v); }

/* ---------------------------------------------------------------- byte shuffles */

/* x86-64 guarantees SSE2 only; pshufb (SSSE3), which makes shuffles and
 * swizzles one instruction, is used when the CPU has it, through functions
 * compiled for it and a check made once. */
#if defined(__x86_64__) && MW_HAVE_SSE2 && !MW_HAVE_SSSE3 && \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 5))
#define MW_SSSE3_DISPATCH 1
#include <tmmintrin.h>
__attribute__((target("ssse3"))) static inline __m128i
mw_pshufb_or(__m128i a, __m128i ma, __m128i b, __m128i mb) {
  return _mm_or_si128(_mm_shuffle_epi8(a, ma), _mm_shuffle_epi8(b, mb));
}
__attribute__((target("ssse3"))) static inline __m128i mw_pshufb(__m128i a, __m128i m) {
  return _mm_shuffle_epi8(a, m);
}
static inline bool mw_cpu_has_ssse3(void) {
  static int has = -1; /* racing first calls compute the same answer */
  if (has < 0) has = __builtin_cpu_supports("ssse3") ? 1 : 0;
  return has;
}

/* roundps/roundpd (SSE4.1) for ceil, floor, trunc and nearest: exact, keep
 * the sign of zero, quiet a NaN (4.3.3). */
#include <smmintrin.h>
#define MW_SSE41_ROUND 1
static inline bool mw_cpu_has_sse41(void) {
  static int has = -1;
  if (has < 0) has = __builtin_cpu_supports("sse4.1") ? 1 : 0;
  return has;
}
#define MW_ROUND_FN(NAME, MODE)                                                  \
  __attribute__((target("sse4.1"))) static inline __m128 NAME##_ps(__m128 a) {   \
    return _mm_round_ps(a, (MODE) | _MM_FROUND_NO_EXC);                          \
  }                                                                              \
  __attribute__((target("sse4.1"))) static inline __m128d NAME##_pd(__m128d a) { \
    return _mm_round_pd(a, (MODE) | _MM_FROUND_NO_EXC);                          \
  }
MW_ROUND_FN(mw_round_ceil, _MM_FROUND_TO_POS_INF)
MW_ROUND_FN(mw_round_floor, _MM_FROUND_TO_NEG_INF)
MW_ROUND_FN(mw_round_trunc, _MM_FROUND_TO_ZERO)
MW_ROUND_FN(mw_round_nearest, _MM_FROUND_TO_NEAREST_INT)
#undef MW_ROUND_FN
#else
#define MW_SSSE3_DISPATCH 0
#define MW_SSE41_ROUND 0
#endif

#if MW_HAVE_SSE2
/* fmin/fmax lane-wise with SSE2 (4.3.3): minps returns its second operand
 * on equal or unordered operands, so OR (min) / AND (max) of both orders
 * gets -0 < +0 right; NaN lanes become the canonical NaN. */
static inline __m128 mw_f32x4_min_sse(__m128 a, __m128 b) {
  __m128 r = _mm_or_ps(_mm_min_ps(a, b), _mm_min_ps(b, a));
  __m128 nan = _mm_cmpunord_ps(a, b);
  return _mm_or_ps(_mm_andnot_ps(nan, r), _mm_and_ps(nan, _mm_castsi128_ps(_mm_set1_epi32(0x7FC00000))));
}
static inline __m128 mw_f32x4_max_sse(__m128 a, __m128 b) {
  __m128 r = _mm_and_ps(_mm_max_ps(a, b), _mm_max_ps(b, a));
  __m128 nan = _mm_cmpunord_ps(a, b);
  return _mm_or_ps(_mm_andnot_ps(nan, r), _mm_and_ps(nan, _mm_castsi128_ps(_mm_set1_epi32(0x7FC00000))));
}
static inline __m128d mw_f64x2_min_sse(__m128d a, __m128d b) {
  __m128d r = _mm_or_pd(_mm_min_pd(a, b), _mm_min_pd(b, a));
  __m128d nan = _mm_cmpunord_pd(a, b);
  return _mm_or_pd(_mm_andnot_pd(nan, r),
                   _mm_and_pd(nan, _mm_castsi128_pd(_mm_set1_epi64x(0x7FF8000000000000LL))));
}
static inline __m128d mw_f64x2_max_sse(__m128d a, __m128d b) {
  __m128d r = _mm_and_pd(_mm_max_pd(a, b), _mm_max_pd(b, a));
  __m128d nan = _mm_cmpunord_pd(a, b);
  return _mm_or_pd(_mm_andnot_pd(nan, r),
                   _mm_and_pd(nan, _mm_castsi128_pd(_mm_set1_epi64x(0x7FF8000000000000LL))));
}
/* i32x4.trunc_sat_f32x4_s: cvttps2dq gives 0x80000000 out of range and
 * for NaN; flip it to INT32_MAX where a >= 2^31, clear it for NaN. */
static inline __m128i mw_trunc_sat_s_sse(__m128 a) {
  __m128i r = _mm_cvttps_epi32(a);
  r = _mm_xor_si128(r, _mm_castps_si128(_mm_cmpge_ps(a, _mm_set1_ps(2147483648.0f))));
  return _mm_and_si128(r, _mm_castps_si128(_mm_cmpord_ps(a, a)));
}
/* f32x4.convert_i32x4_u: high and low 16 bits convert exactly; the one
 * addition rounds once. */
static inline __m128 mw_convert_u_sse(__m128i a) {
  __m128 hi = _mm_cvtepi32_ps(_mm_srli_epi32(a, 16));
  __m128 lo = _mm_cvtepi32_ps(_mm_and_si128(a, _mm_set1_epi32(0xFFFF)));
  return _mm_add_ps(_mm_mul_ps(hi, _mm_set1_ps(65536.0f)), lo);
}
/* i16x8.q15mulr_sat_s: 32-bit products, rounded, shifted, packed with
 * signed saturation. */
static inline __m128i mw_q15mulr_sse(__m128i a, __m128i b) {
  __m128i lo = _mm_mullo_epi16(a, b), hi = _mm_mulhi_epi16(a, b);
  __m128i round = _mm_set1_epi32(0x4000);
  __m128i p0 = _mm_srai_epi32(_mm_add_epi32(_mm_unpacklo_epi16(lo, hi), round), 15);
  __m128i p1 = _mm_srai_epi32(_mm_add_epi32(_mm_unpackhi_epi16(lo, hi), round), 15);
  return _mm_packs_epi32(p0, p1);
}
/* i16x8.narrow_i32x4_u: clamp to 0..65535, bias into i16, pack, unbias. */
static inline __m128i mw_narrow_u16_half(__m128i x) {
  __m128i pos = _mm_and_si128(x, _mm_cmpgt_epi32(x, _mm_setzero_si128()));
  __m128i big = _mm_cmpgt_epi32(pos, _mm_set1_epi32(65535));
  pos = _mm_or_si128(_mm_andnot_si128(big, pos), _mm_and_si128(big, _mm_set1_epi32(65535)));
  return _mm_sub_epi32(pos, _mm_set1_epi32(32768));
}
static inline __m128i mw_narrow_u16_sse(__m128i a, __m128i b) {
  __m128i r = _mm_packs_epi32(mw_narrow_u16_half(a), mw_narrow_u16_half(b));
  return _mm_xor_si128(r, _mm_set1_epi16((short)0x8000));
}
#endif

/* i8x16.shuffle over the 32 bytes of a then b, `idx` validated < 32. */
static inline mw_v128 mw_shuffle_bytes(mw_v128 a, mw_v128 b, const uint8_t *idx) {
  uint8_t both[32];
  mw_v128 r;
  memcpy(both, &a, 16);
  memcpy(both + 16, &b, 16);
  for (int i = 0; i < 16; i++) r.u8[i] = both[idx[i]];
  return r;
}

/* ---------------------------------------------------------------- saturation */

static inline int8_t mw_sat_i8(int32_t x) {
  return (int8_t)(x < -128 ? -128 : x > 127 ? 127 : x);
}
static inline uint8_t mw_sat_u8(int32_t x) {
  return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
}
static inline int16_t mw_sat_i16(int32_t x) {
  return (int16_t)(x < -32768 ? -32768 : x > 32767 ? 32767 : x);
}
static inline uint16_t mw_sat_u16(int32_t x) {
  return (uint16_t)(x < 0 ? 0 : x > 65535 ? 65535 : x);
}

/* i16x8.q15mulr_sat_s (4.3.2 iq15mulrsat_s): round, shift, saturate;
 * only -32768 * -32768 leaves the range. */
static inline int16_t mw_q15mulr(int16_t a, int16_t b) {
  return mw_sat_i16(((int32_t)a * b + 0x4000) >> 15);
}

/* Two's-complement wrap without signed overflow. */
static inline int8_t mw_abs_i8(int8_t x) { return (int8_t)(x < 0 ? (uint8_t)-(uint8_t)x : (uint8_t)x); }
static inline int16_t mw_abs_i16(int16_t x) { return (int16_t)(x < 0 ? (uint16_t)-(uint16_t)x : (uint16_t)x); }
static inline int32_t mw_abs_i32(int32_t x) { return (int32_t)(x < 0 ? 0u - (uint32_t)x : (uint32_t)x); }
static inline int64_t mw_abs_i64(int64_t x) { return (int64_t)(x < 0 ? 0u - (uint64_t)x : (uint64_t)x); }

static inline uint8_t mw_popcnt8(uint8_t x) {
  x = (uint8_t)(x - ((x >> 1) & 0x55));
  x = (uint8_t)((x & 0x33) + ((x >> 2) & 0x33));
  return (uint8_t)((x + (x >> 4)) & 0x0F);
}

/* ---------------------------------------------------------------- float lanes */

/* pmin/pmax (4.3.3 fpmin, fpmax): the C ternaries the spec defines them
 * by; they return one operand unchanged, NaN bits included. */
static inline float mw_f32_pmin(float a, float b) { return b < a ? b : a; }
static inline float mw_f32_pmax(float a, float b) { return a < b ? b : a; }
static inline double mw_f64_pmin(double a, double b) { return b < a ? b : a; }
static inline double mw_f64_pmax(double a, double b) { return a < b ? b : a; }

#endif
