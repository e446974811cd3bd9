/*
 * simd_lanes.c -- a WASI program built with -msimd128: wasm SIMD through
 * clang's wasm_simd128.h intrinsics and through loops clang vectorizes.
 * Its native build computes the same with plain C on the same data, so
 * the two must print the same lines (tests/lua/19_simd_spec.lua runs both).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static uint32_t state = 12345;
static uint32_t rnd(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static void print16(const char *name, const void *p) {
  const uint8_t *b = p;
  printf("%-22s", name);
  for (int i = 0; i < 16; i++) printf("%02x", b[i]);
  printf("\n");
}

/* Each op: a and b are 16 random bytes, the result 16 bytes. */
typedef void (*op_fn)(const uint8_t *a, const uint8_t *b, uint8_t *r);

#ifdef __wasm_simd128__
#define V(p) wasm_v128_load(p)
#define OUT(expr) wasm_v128_store(r, (expr))
#define OP(name, vec, ...) \
  static void name(const uint8_t *a, const uint8_t *b, uint8_t *r) { (void)a, (void)b; OUT(vec); }
#else
#define OP(name, vec, ...) \
  static void name(const uint8_t *a, const uint8_t *b, uint8_t *r) { (void)a, (void)b; __VA_ARGS__; }
#endif

#define I8(p, i) ((int8_t)(p)[i])
#define U16(p, i) ((uint16_t)((p)[2 * (i)] | (p)[2 * (i) + 1] << 8))
#define I16(p, i) ((int16_t)U16(p, i))
#define PUT16(i, v) (r[2 * (i)] = (uint8_t)(v), r[2 * (i) + 1] = (uint8_t)((uint16_t)(v) >> 8))
#ifndef __wasm_simd128__ /* helpers of the plain-C versions */
static inline int32_t I32(const uint8_t *p, int i) { int32_t x; memcpy(&x, p + 4 * i, 4); return x; }
static inline float F32(const uint8_t *p, int i) { float x; memcpy(&x, p + 4 * i, 4); return x; }
#endif
static inline void PUT32(uint8_t *r, int i, uint32_t v) { memcpy(r + 4 * i, &v, 4); }
static inline void PUTF(uint8_t *r, int i, float v) { memcpy(r + 4 * i, &v, 4); }

#ifndef __wasm_simd128__
static inline int sat8(int x) { return x < -128 ? -128 : x > 127 ? 127 : x; }
static inline int satu8(int x) { return x < 0 ? 0 : x > 255 ? 255 : x; }
static inline int sat16(int x) { return x < -32768 ? -32768 : x > 32767 ? 32767 : x; }
#endif

OP(op_add_sat_s, wasm_i8x16_add_sat(V(a), V(b)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)sat8(I8(a, i) + I8(b, i)))
OP(op_sub_sat_u, wasm_u8x16_sub_sat(V(a), V(b)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)satu8(a[i] - b[i]))
OP(op_avgr, wasm_u8x16_avgr(V(a), V(b)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)((a[i] + b[i] + 1) >> 1))
OP(op_min_s, wasm_i8x16_min(V(a), V(b)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)(I8(a, i) < I8(b, i) ? a[i] : b[i]))
OP(op_swizzle, wasm_i8x16_swizzle(V(a), wasm_v128_and(V(b), wasm_i8x16_splat(0x1F))),
   for (int i = 0; i < 16; i++) r[i] = (b[i] & 0x1F) < 16 ? a[b[i] & 0x1F] : 0)
OP(op_shuffle, wasm_i8x16_shuffle(V(a), V(b), 0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 29, 28, 3, 3, 3, 3),
   static const int ix[16] = {0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 29, 28, 3, 3, 3, 3};
   for (int i = 0; i < 16; i++) r[i] = ix[i] < 16 ? a[ix[i]] : b[ix[i] - 16])
OP(op_narrow, wasm_i8x16_narrow_i16x8(V(a), V(b)),
   for (int i = 0; i < 8; i++) { r[i] = (uint8_t)sat8(I16(a, i)); r[8 + i] = (uint8_t)sat8(I16(b, i)); })
OP(op_q15, wasm_i16x8_q15mulr_sat(V(a), V(b)),
   for (int i = 0; i < 8; i++) PUT16(i, sat16((I16(a, i) * I16(b, i) + 0x4000) >> 15)))
OP(op_extmul, wasm_i32x4_extmul_high_i16x8(V(a), V(b)),
   for (int i = 0; i < 4; i++) PUT32(r, i, (uint32_t)(I16(a, 4 + i) * I16(b, 4 + i))))
OP(op_dot, wasm_i32x4_dot_i16x8(V(a), V(b)),
   for (int i = 0; i < 4; i++)
     PUT32(r, i, (uint32_t)(I16(a, 2 * i) * I16(b, 2 * i)) + (uint32_t)(I16(a, 2 * i + 1) * I16(b, 2 * i + 1))))
OP(op_shr, wasm_i16x8_shr(V(a), b[0]),
   for (int i = 0; i < 8; i++) PUT16(i, I16(a, i) >> (b[0] & 15)))
OP(op_popcnt, wasm_i8x16_popcnt(V(a)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)__builtin_popcount(a[i]))
OP(op_extadd, wasm_u16x8_extadd_pairwise_u8x16(V(a)),
   for (int i = 0; i < 8; i++) PUT16(i, a[2 * i] + a[2 * i + 1]))
OP(op_fadd, wasm_f32x4_add(V(a), V(b)),
   for (int i = 0; i < 4; i++) PUTF(r, i, F32(a, i) + F32(b, i)))
OP(op_fmul, wasm_f32x4_mul(V(a), V(b)),
   for (int i = 0; i < 4; i++) PUTF(r, i, F32(a, i) * F32(b, i)))
OP(op_convert, wasm_f32x4_convert_i32x4(V(a)),
   for (int i = 0; i < 4; i++) PUTF(r, i, (float)I32(a, i)))
OP(op_convert_u, wasm_f32x4_convert_u32x4(V(a)),
   for (int i = 0; i < 4; i++) PUTF(r, i, (float)(uint32_t)I32(a, i)))
OP(op_trunc, wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_convert_i32x4(V(a))),
   for (int i = 0; i < 4; i++) PUT32(r, i, (uint32_t)(int32_t)(float)I32(a, i)))
OP(op_ltu, wasm_u32x4_lt(V(a), V(b)),
   for (int i = 0; i < 4; i++) PUT32(r, i, (uint32_t)I32(a, i) < (uint32_t)I32(b, i) ? ~0u : 0))
OP(op_bitselect, wasm_v128_bitselect(V(a), V(b), wasm_i8x16_splat(0x5A)),
   for (int i = 0; i < 16; i++) r[i] = (uint8_t)((a[i] & 0x5A) | (b[i] & ~0x5A)))

static const struct { const char *name; op_fn fn; } ops[] = {
    {"i8x16.add_sat_s", op_add_sat_s}, {"u8x16.sub_sat", op_sub_sat_u},
    {"u8x16.avgr", op_avgr},           {"i8x16.min", op_min_s},
    {"i8x16.swizzle", op_swizzle},     {"i8x16.shuffle", op_shuffle},
    {"i8x16.narrow", op_narrow},       {"i16x8.q15mulr", op_q15},
    {"i32x4.extmul_high", op_extmul},  {"i32x4.dot", op_dot},
    {"i16x8.shr", op_shr},             {"i8x16.popcnt", op_popcnt},
    {"u16x8.extadd", op_extadd},       {"f32x4.add", op_fadd},
    {"f32x4.mul", op_fmul},            {"f32x4.convert", op_convert},
    {"f32x4.convert_u", op_convert_u}, {"i32x4.trunc_sat", op_trunc},
    {"u32x4.lt", op_ltu},              {"v128.bitselect", op_bitselect},
};

/* Loops clang vectorizes with -msimd128. */
#define N 1000
static uint8_t text[N];
static int16_t s16[N];
static float fa[N], fb[N];

int main(void) {
  for (int round = 0; round < 4; round++) {
    uint8_t a[16], b[16], r[16];
    for (int i = 0; i < 16; i++) a[i] = (uint8_t)rnd(), b[i] = (uint8_t)rnd();
    if (round == 3) { /* floats that are numbers: a's lanes as small ints */
      for (int i = 0; i < 4; i++) PUT32(a, i, (uint32_t)((int32_t)rnd() >> 8));
      for (int i = 0; i < 4; i++) PUTF(b, i, (float)(int32_t)(rnd() >> 12) / 7.0f);
    }
    printf("round %d\n", round);
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
      memset(r, 0, sizeof r);
      ops[k].fn(a, b, r);
      print16(ops[k].name, r);
    }
  }
  for (int i = 0; i < N; i++) {
    text[i] = (uint8_t)(32 + rnd() % 95);
    s16[i] = (int16_t)rnd();
    fa[i] = (float)(int32_t)(rnd() >> 16) / 16.0f;
    fb[i] = (float)(int32_t)(rnd() >> 16) / 64.0f;
  }
  unsigned upper = 0;
  for (int i = 0; i < N; i++) {
    uint8_t c = text[i];
    text[i] = (uint8_t)((unsigned)(c - 'a') < 26u ? c - 32 : c);
  }
  for (int i = 0; i < N; i++) upper += text[i];
  int64_t dot = 0;
  for (int i = 0; i < N; i++) dot += (int32_t)s16[i] * s16[(i * 7) % N];
  for (int i = 0; i < N; i++) fa[i] = fa[i] * 0.5f + fb[i];
  uint32_t fh = 0;
  for (int i = 0; i < N; i++) {
    uint32_t u;
    memcpy(&u, &fa[i], 4);
    fh = fh * 31u + u;
  }
  int32_t mx = INT32_MIN;
  for (int i = 0; i < N; i++) mx = s16[i] * 3 > mx ? s16[i] * 3 : mx;
  printf("loops %u %lld %08x %d\n", upper, (long long)dot, fh, mx);
  return 0;
}
