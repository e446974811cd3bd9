/*
 * simd_prog.c -- data-parallel kernels (simd_prog.h).  Plain C: the
 * vector code is whatever the compiler makes of these loops (wasm
 * SIMD128 with -msimd128, SSE natively).  Float loops are element-wise
 * and built with -ffp-contract=off, so every build rounds the same way.
 */
#include "simd_prog.h"

#ifdef PROG_PREFIX
#define EXPORT(n)
#else
#define EXPORT(n) __attribute__((export_name(#n)))
#endif

#define N 1024

static float fx[N], fy[N];
static int16_t sa[N], sb[N];
static uint8_t ua[N], ub[N], uo[N];
static int32_t ia[N];
static uint64_t qa[N];
#define MV 64
static float mat[MV * MV], vin[MV], vout[MV];

static uint32_t next(uint32_t *s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x ? x : 0x9E3779B9u;
}

static uint32_t fbits(float f) {
  union { float f; uint32_t u; } u = {f};
  return u.u;
}

EXPORT(simd_saxpy) uint32_t SIMD_NAME(simd_saxpy)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) {
    fx[i] = (float)(next(&seed) & 0xFFFF) / 65536.0f;
    fy[i] = (float)(next(&seed) & 0xFFFF) / 32768.0f - 1.0f;
  }
  float a = 0.75f;
  for (uint32_t r = 0; r < reps; r++)
    for (int i = 0; i < N; i++) fy[i] = a * fx[i] + 0.5f * fy[i];
  uint32_t h = 0;
  for (int i = 0; i < N; i++) h = h * 31u + fbits(fy[i]);
  return h;
}

EXPORT(simd_dot_i16) uint32_t SIMD_NAME(simd_dot_i16)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) {
    sa[i] = (int16_t)next(&seed);
    sb[i] = (int16_t)next(&seed);
  }
  uint32_t h = 0;
  for (uint32_t r = 0; r < reps; r++) {
    int32_t acc = 0;
    for (int i = 0; i < N; i++) acc += (int32_t)sa[i] * sb[i];
    h = h * 31u + (uint32_t)acc;
    sa[r % N] ^= (int16_t)acc; /* keep the next round from being the same */
  }
  return h;
}

EXPORT(simd_sad_u8) uint32_t SIMD_NAME(simd_sad_u8)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) {
    ua[i] = (uint8_t)next(&seed);
    ub[i] = (uint8_t)next(&seed);
  }
  uint32_t h = 0;
  for (uint32_t r = 0; r < reps; r++) {
    uint32_t sad = 0;
    for (int i = 0; i < N; i++) {
      int d = (int)ua[i] - (int)ub[i];
      sad += (uint32_t)(d < 0 ? -d : d);
    }
    h = h * 31u + sad;
    ub[r % N] = (uint8_t)sad;
  }
  return h;
}

EXPORT(simd_blend_u8) uint32_t SIMD_NAME(simd_blend_u8)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) {
    ua[i] = (uint8_t)next(&seed);
    ub[i] = (uint8_t)next(&seed);
  }
  for (uint32_t r = 0; r < reps; r++) {
    uint16_t alpha = (uint16_t)(r * 37u & 0xFF);
    for (int i = 0; i < N; i++)
      uo[i] = (uint8_t)((ua[i] * alpha + ub[i] * (uint16_t)(255 - alpha) + 128) >> 8);
    for (int i = 0; i < N; i++) ub[i] = uo[i];
  }
  uint32_t h = 0;
  for (int i = 0; i < N; i++) h = h * 31u + uo[i];
  return h;
}

EXPORT(simd_max_i32) uint32_t SIMD_NAME(simd_max_i32)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) ia[i] = (int32_t)next(&seed);
  uint32_t h = 0;
  for (uint32_t r = 0; r < reps; r++) {
    int32_t mx = INT32_MIN, mn = INT32_MAX;
    for (int i = 0; i < N; i++) {
      mx = ia[i] > mx ? ia[i] : mx;
      mn = ia[i] < mn ? ia[i] : mn;
    }
    h = h * 31u + (uint32_t)mx + (uint32_t)mn;
    ia[r % N] = mx - mn;
  }
  return h;
}

EXPORT(simd_matvec_f32) uint32_t SIMD_NAME(simd_matvec_f32)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < MV * MV; i++) mat[i] = (float)(next(&seed) & 0xFF) / 256.0f - 0.5f;
  for (int i = 0; i < MV; i++) vin[i] = (float)(next(&seed) & 0xFF) / 128.0f;
  for (uint32_t r = 0; r < reps; r++) {
    for (int i = 0; i < MV; i++) vout[i] = 0.0f;
    for (int j = 0; j < MV; j++) /* column by column: element-wise updates */
      for (int i = 0; i < MV; i++) vout[i] += mat[j * MV + i] * vin[j];
    for (int i = 0; i < MV; i++) vin[i] = vout[i] * 0.125f;
  }
  uint32_t h = 0;
  for (int i = 0; i < MV; i++) h = h * 31u + fbits(vin[i]);
  return h;
}

EXPORT(simd_lower_u8) uint32_t SIMD_NAME(simd_lower_u8)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) ua[i] = (uint8_t)(0x20 + next(&seed) % 0x5F);
  uint32_t h = 0;
  for (uint32_t r = 0; r < reps; r++) {
    for (int i = 0; i < N; i++) {
      uint8_t c = ua[i];
      uo[i] = (uint8_t)((unsigned)(c - 'A') < 26u ? c + 32 : (unsigned)(c - 'a') < 26u ? c - 32 : c);
    }
    for (int i = 0; i < N; i++) ua[i] = uo[i];
    h = h * 31u + ua[r % N];
  }
  return h;
}

EXPORT(simd_mix_i64) uint32_t SIMD_NAME(simd_mix_i64)(uint32_t seed, uint32_t reps) {
  for (int i = 0; i < N; i++) qa[i] = (uint64_t)next(&seed) << 32 | next(&seed);
  for (uint32_t r = 0; r < reps; r++)
    for (int i = 0; i < N; i++) qa[i] = (qa[i] ^ (qa[i] >> 29)) * 0xBF58476D1CE4E5B9u + r;
  uint64_t h = 0;
  for (int i = 0; i < N; i++) h = h * 31u + qa[i];
  return (uint32_t)(h ^ (h >> 32));
}
