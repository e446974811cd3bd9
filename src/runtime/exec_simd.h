/*
 * exec_simd.h -- the interpreter's handlers for SIMD and relaxed SIMD.
 * Included by exec.c inside run(), between its dispatch macros: OP, NEXT,
 * SLOT, TRAP and the locals pc, fp, mem, memsize, inst.
 *
 * A v128 operand is the slot pair starting at fp[pc[i]] (ir.h).  Layouts:
 *   V_UN  op dst a          V_BIN op dst a b        V_TERN op dst a b c
 *   loads op dst addr offset                 store op addr val offset
 *   V128_CONST op dst w0 w1 w2 w3 (low word first)
 *   I8X16_SHUFFLE op dst a b w0 .. w3 (the 16 lane indices)
 *                 ma0 .. ma3 mb0 .. mb3 (pshufb masks of a's and b's lanes)
 *   *_EXTRACT_LANE op dst a lane      *_REPLACE_LANE op dst a x lane
 *   V128_LOADn_LANE op dst addr vec offset lane
 *   V128_STOREn_LANE op addr vec offset lane
 *   COPY_V128 op dst src               SELECT_V128 op dst a b cond
 *   GLOBAL_GET_V128 op dst globalidx   GLOBAL_SET_V128 op globalidx src
 * Lane semantics are the spec's (4.3.2-4.3.4 and 4.4.3); the relaxed
 * instructions make the choices documented in moonwasm.h.
 */

#define VIN(i) mw_v128_load(&SLOT(i))
#define VOUT(i, v) mw_v128_store(&SLOT(i), (v))
#define LANES(n) for (int i = 0; i < (n); i++)

#define V_UN(NAME, body)  \
  OP(NAME) {              \
    mw_v128 a = VIN(2), r; \
    body;                 \
    VOUT(1, r);           \
    NEXT(3);              \
  }
#define V_BIN(NAME, body)           \
  OP(NAME) {                        \
    mw_v128 a = VIN(2), b = VIN(3), r; \
    body;                           \
    VOUT(1, r);                     \
    NEXT(4);                        \
  }
#define V_TERN(NAME, body)                         \
  OP(NAME) {                                       \
    mw_v128 a = VIN(2), b = VIN(3), c = VIN(4), r; \
    body;                                          \
    VOUT(1, r);                                    \
    NEXT(5);                                       \
  }
/* v128 -> scalar: `expr` of a, written to the slot as member OUT. */
#define V_TEST(NAME, OUT, body)  \
  OP(NAME) {                     \
    mw_v128 a = VIN(2);          \
    uint32_t r;                  \
    body;                        \
    SLOT(1).OUT = r;             \
    NEXT(3);                     \
  }
/* v128 op i32 shift count, taken modulo the lane width. */
#define V_SHIFT(NAME, body)                \
  OP(NAME) {                               \
    mw_v128 a = VIN(2), r;                 \
    uint32_t n = SLOT(3).u32;              \
    body;                                  \
    VOUT(1, r);                            \
    NEXT(4);                               \
  }

/* Lane-wise with vector extensions where the compiler has them. */
#if MW_HAVE_VEC
#define VEC_OR(vec, loop) vec
#else
#define VEC_OR(vec, loop) loop
#endif
#if MW_HAVE_SSE2
#define SSE_OR(sse, loop) sse
#else
#define SSE_OR(sse, loop) loop
#endif

/* ------------------------------------------------ moves */

OP(COPY_V128) {
  memmove(&SLOT(1), &SLOT(2), 16); /* a label copy may shift by one slot */
  NEXT(3);
}
OP(SELECT_V128) {
  mw_v128 v = SLOT(4).u32 ? VIN(2) : VIN(3);
  VOUT(1, v);
  NEXT(5);
}
OP(GLOBAL_GET_V128) {
  memcpy(&SLOT(1), inst->globals[pc[2]]->value_v128, 16);
  NEXT(3);
}
OP(GLOBAL_SET_V128) {
  memcpy(inst->globals[pc[1]]->value_v128, &SLOT(2), 16);
  NEXT(3);
}
OP(V128_CONST) {
  memcpy(&SLOT(1), pc + 2, 16);
  NEXT(6);
}

/* ------------------------------------------------ memory */

/* Read `n` bytes at addr + offset into `buf`, trapping out of bounds. */
#define V_MEM_READ(addr_slot, off, buf, n)                          \
  uint64_t ea = (uint64_t)SLOT(addr_slot).u32 + (off);              \
  if (MW_UNLIKELY(ea + (n) > memsize)) TRAP(MW_MSG_OOB_MEMORY);     \
  memcpy((buf), mem + ea, (n))

OP(V128_LOAD) {
  mw_v128 r;
  V_MEM_READ(2, pc[3], &r, 16);
  VOUT(1, r);
  NEXT(4);
}
OP(V128_STORE) {
  uint64_t ea = (uint64_t)SLOT(1).u32 + pc[3];
  if (MW_UNLIKELY(ea + 16 > memsize)) TRAP(MW_MSG_OOB_MEMORY);
  memcpy(mem + ea, &SLOT(2), 16);
  NEXT(4);
}
#define V_LOAD_EXT(NAME, ST, N, DT)      \
  OP(NAME) {                             \
    ST src[N];                           \
    mw_v128 r;                           \
    V_MEM_READ(2, pc[3], src, sizeof src); \
    LANES(N) r.DT[i] = src[i];           \
    VOUT(1, r);                          \
    NEXT(4);                             \
  }
V_LOAD_EXT(V128_LOAD8X8_S, int8_t, 8, i16)
V_LOAD_EXT(V128_LOAD8X8_U, uint8_t, 8, u16)
V_LOAD_EXT(V128_LOAD16X4_S, int16_t, 4, i32)
V_LOAD_EXT(V128_LOAD16X4_U, uint16_t, 4, u32)
V_LOAD_EXT(V128_LOAD32X2_S, int32_t, 2, i64)
V_LOAD_EXT(V128_LOAD32X2_U, uint32_t, 2, u64)
#define V_LOAD_SPLAT(NAME, T, SH, N)      \
  OP(NAME) {                              \
    T x;                                  \
    mw_v128 r;                            \
    V_MEM_READ(2, pc[3], &x, sizeof x);   \
    LANES(N) r.SH[i] = x;                 \
    VOUT(1, r);                           \
    NEXT(4);                              \
  }
V_LOAD_SPLAT(V128_LOAD8_SPLAT, uint8_t, u8, 16)
V_LOAD_SPLAT(V128_LOAD16_SPLAT, uint16_t, u16, 8)
V_LOAD_SPLAT(V128_LOAD32_SPLAT, uint32_t, u32, 4)
V_LOAD_SPLAT(V128_LOAD64_SPLAT, uint64_t, u64, 2)
#define V_LOAD_ZERO(NAME, N)             \
  OP(NAME) {                             \
    mw_v128 r;                           \
    memset(&r, 0, sizeof r);             \
    V_MEM_READ(2, pc[3], &r, N);         \
    VOUT(1, r);                          \
    NEXT(4);                             \
  }
V_LOAD_ZERO(V128_LOAD32_ZERO, 4)
V_LOAD_ZERO(V128_LOAD64_ZERO, 8)
/* op dst addr vec offset lane */
#define V_LOAD_LANE(NAME, N)                       \
  OP(NAME) {                                       \
    mw_v128 r = VIN(3);                            \
    V_MEM_READ(2, pc[4], r.u8 + pc[5] * (N), N);   \
    VOUT(1, r);                                    \
    NEXT(6);                                       \
  }
V_LOAD_LANE(V128_LOAD8_LANE, 1)
V_LOAD_LANE(V128_LOAD16_LANE, 2)
V_LOAD_LANE(V128_LOAD32_LANE, 4)
V_LOAD_LANE(V128_LOAD64_LANE, 8)
/* op addr vec offset lane */
#define V_STORE_LANE(NAME, N)                                   \
  OP(NAME) {                                                    \
    mw_v128 v = VIN(2);                                         \
    uint64_t ea = (uint64_t)SLOT(1).u32 + pc[3];                \
    if (MW_UNLIKELY(ea + (N) > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    memcpy(mem + ea, v.u8 + pc[4] * (N), N);                    \
    NEXT(5);                                                    \
  }
V_STORE_LANE(V128_STORE8_LANE, 1)
V_STORE_LANE(V128_STORE16_LANE, 2)
V_STORE_LANE(V128_STORE32_LANE, 4)
V_STORE_LANE(V128_STORE64_LANE, 8)

/* ------------------------------------------------ lanes */

OP(I8X16_SHUFFLE) {
  mw_v128 a = VIN(2), b = VIN(3), r;
#if MW_HAVE_SSSE3 || MW_SSSE3_DISPATCH
  if (MW_HAVE_SSSE3 || mw_cpu_has_ssse3()) {
    mw_v128 ma = mw_v128_load(pc + 8), mb = mw_v128_load(pc + 12);
#if MW_HAVE_SSSE3
    r.m = _mm_or_si128(_mm_shuffle_epi8(a.m, ma.m), _mm_shuffle_epi8(b.m, mb.m));
#else
    r.m = mw_pshufb_or(a.m, ma.m, b.m, mb.m);
#endif
  } else
#endif
  {
    uint8_t idx[16];
    memcpy(idx, pc + 4, 16);
    r = mw_shuffle_bytes(a, b, idx);
  }
  VOUT(1, r);
  NEXT(16);
}
/* pshufb zeroes lanes whose index has the top bit: indices >= 16 are
 * turned into such (unsigned compare via the sign flip). */
#define V_SWIZZLE_MASK                                                  \
  _mm_or_si128(b.m, _mm_cmpgt_epi8(_mm_xor_si128(b.m, _mm_set1_epi8(-128)), \
                                   _mm_set1_epi8(-128 + 15)))
#if MW_HAVE_SSSE3
#define V_SWIZZLE r.m = _mm_shuffle_epi8(a.m, V_SWIZZLE_MASK)
#elif MW_SSSE3_DISPATCH
#define V_SWIZZLE                                                   \
  if (mw_cpu_has_ssse3()) r.m = mw_pshufb(a.m, V_SWIZZLE_MASK);     \
  else LANES(16) r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0
#else
#define V_SWIZZLE LANES(16) r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0
#endif
V_BIN(I8X16_SWIZZLE, V_SWIZZLE)
V_BIN(I8X16_RELAXED_SWIZZLE, V_SWIZZLE)

OP(I8X16_SPLAT) {
  mw_v128 r;
  uint8_t x = (uint8_t)SLOT(2).u32;
  VEC_OR(r.vu8 = (mw_vu8){0} + x, LANES(16) r.u8[i] = x);
  VOUT(1, r);
  NEXT(3);
}
OP(I16X8_SPLAT) {
  mw_v128 r;
  uint16_t x = (uint16_t)SLOT(2).u32;
  LANES(8) r.u16[i] = x;
  VOUT(1, r);
  NEXT(3);
}
OP(I32X4_SPLAT) {
  mw_v128 r;
  uint32_t x = SLOT(2).u32;
  LANES(4) r.u32[i] = x;
  VOUT(1, r);
  NEXT(3);
}
OP(I64X2_SPLAT) {
  mw_v128 r;
  r.u64[0] = r.u64[1] = SLOT(2).u64;
  VOUT(1, r);
  NEXT(3);
}
OP(F32X4_SPLAT) {
  mw_v128 r;
  uint32_t x = SLOT(2).u32;
  LANES(4) r.u32[i] = x;
  VOUT(1, r);
  NEXT(3);
}
OP(F64X2_SPLAT) {
  mw_v128 r;
  r.u64[0] = r.u64[1] = SLOT(2).u64;
  VOUT(1, r);
  NEXT(3);
}

/* op dst a lane */
#define V_EXTRACT(NAME, OUT, expr) \
  OP(NAME) {                       \
    mw_v128 a = VIN(2);            \
    uint32_t l = pc[3];            \
    SLOT(1).OUT = (expr);          \
    NEXT(4);                       \
  }
V_EXTRACT(I8X16_EXTRACT_LANE_S, i32, a.i8[l])
V_EXTRACT(I8X16_EXTRACT_LANE_U, u32, a.u8[l])
V_EXTRACT(I16X8_EXTRACT_LANE_S, i32, a.i16[l])
V_EXTRACT(I16X8_EXTRACT_LANE_U, u32, a.u16[l])
V_EXTRACT(I32X4_EXTRACT_LANE, u32, a.u32[l])
V_EXTRACT(I64X2_EXTRACT_LANE, u64, a.u64[l])
V_EXTRACT(F32X4_EXTRACT_LANE, u32, a.u32[l])
V_EXTRACT(F64X2_EXTRACT_LANE, u64, a.u64[l])
/* op dst a x lane */
#define V_REPLACE(NAME, SH, T, IN) \
  OP(NAME) {                       \
    mw_v128 r = VIN(2);            \
    r.SH[pc[4]] = (T)SLOT(3).IN;   \
    VOUT(1, r);                    \
    NEXT(5);                       \
  }
V_REPLACE(I8X16_REPLACE_LANE, u8, uint8_t, u32)
V_REPLACE(I16X8_REPLACE_LANE, u16, uint16_t, u32)
V_REPLACE(I32X4_REPLACE_LANE, u32, uint32_t, u32)
V_REPLACE(I64X2_REPLACE_LANE, u64, uint64_t, u64)
V_REPLACE(F32X4_REPLACE_LANE, u32, uint32_t, u32)
V_REPLACE(F64X2_REPLACE_LANE, u64, uint64_t, u64)

/* ------------------------------------------------ comparisons (all-ones lanes) */

#define V_CMP(NAME, SH, VSH, N, op) \
  V_BIN(NAME, VEC_OR(r.VSH = (__typeof__(r.VSH))(a.VSH op b.VSH), LANES(N) r.SH[i] = a.SH[i] op b.SH[i] ? -1 : 0))
#define V_CMPF(NAME, SH, USH, N, op) \
  V_BIN(NAME, LANES(N) r.USH[i] = a.SH[i] op b.SH[i] ? ~(__typeof__(r.USH[0]))0 : 0)
#if MW_HAVE_VEC
#undef V_CMPF
#define V_CMPF(NAME, SH, USH, N, op) \
  V_BIN(NAME, r.v##USH = (__typeof__(r.v##USH))(a.v##SH op b.v##SH))
#endif
V_CMP(I8X16_EQ, u8, vu8, 16, ==)
V_CMP(I8X16_NE, u8, vu8, 16, !=)
V_CMP(I8X16_LT_S, i8, vi8, 16, <)
V_CMP(I8X16_LT_U, u8, vu8, 16, <)
V_CMP(I8X16_GT_S, i8, vi8, 16, >)
V_CMP(I8X16_GT_U, u8, vu8, 16, >)
V_CMP(I8X16_LE_S, i8, vi8, 16, <=)
V_CMP(I8X16_LE_U, u8, vu8, 16, <=)
V_CMP(I8X16_GE_S, i8, vi8, 16, >=)
V_CMP(I8X16_GE_U, u8, vu8, 16, >=)
V_CMP(I16X8_EQ, u16, vu16, 8, ==)
V_CMP(I16X8_NE, u16, vu16, 8, !=)
V_CMP(I16X8_LT_S, i16, vi16, 8, <)
V_CMP(I16X8_LT_U, u16, vu16, 8, <)
V_CMP(I16X8_GT_S, i16, vi16, 8, >)
V_CMP(I16X8_GT_U, u16, vu16, 8, >)
V_CMP(I16X8_LE_S, i16, vi16, 8, <=)
V_CMP(I16X8_LE_U, u16, vu16, 8, <=)
V_CMP(I16X8_GE_S, i16, vi16, 8, >=)
V_CMP(I16X8_GE_U, u16, vu16, 8, >=)
V_CMP(I32X4_EQ, u32, vu32, 4, ==)
V_CMP(I32X4_NE, u32, vu32, 4, !=)
V_CMP(I32X4_LT_S, i32, vi32, 4, <)
V_CMP(I32X4_LT_U, u32, vu32, 4, <)
V_CMP(I32X4_GT_S, i32, vi32, 4, >)
V_CMP(I32X4_GT_U, u32, vu32, 4, >)
V_CMP(I32X4_LE_S, i32, vi32, 4, <=)
V_CMP(I32X4_LE_U, u32, vu32, 4, <=)
V_CMP(I32X4_GE_S, i32, vi32, 4, >=)
V_CMP(I32X4_GE_U, u32, vu32, 4, >=)
V_CMP(I64X2_EQ, u64, vu64, 2, ==)
V_CMP(I64X2_NE, u64, vu64, 2, !=)
V_CMP(I64X2_LT_S, i64, vi64, 2, <)
V_CMP(I64X2_GT_S, i64, vi64, 2, >)
V_CMP(I64X2_LE_S, i64, vi64, 2, <=)
V_CMP(I64X2_GE_S, i64, vi64, 2, >=)
V_CMPF(F32X4_EQ, f32, u32, 4, ==)
V_CMPF(F32X4_NE, f32, u32, 4, !=)
V_CMPF(F32X4_LT, f32, u32, 4, <)
V_CMPF(F32X4_GT, f32, u32, 4, >)
V_CMPF(F32X4_LE, f32, u32, 4, <=)
V_CMPF(F32X4_GE, f32, u32, 4, >=)
V_CMPF(F64X2_EQ, f64, u64, 2, ==)
V_CMPF(F64X2_NE, f64, u64, 2, !=)
V_CMPF(F64X2_LT, f64, u64, 2, <)
V_CMPF(F64X2_GT, f64, u64, 2, >)
V_CMPF(F64X2_LE, f64, u64, 2, <=)
V_CMPF(F64X2_GE, f64, u64, 2, >=)

/* ------------------------------------------------ bitwise */

V_UN(V128_NOT, LANES(2) r.u64[i] = ~a.u64[i])
V_BIN(V128_AND, LANES(2) r.u64[i] = a.u64[i] & b.u64[i])
V_BIN(V128_ANDNOT, LANES(2) r.u64[i] = a.u64[i] & ~b.u64[i])
V_BIN(V128_OR, LANES(2) r.u64[i] = a.u64[i] | b.u64[i])
V_BIN(V128_XOR, LANES(2) r.u64[i] = a.u64[i] ^ b.u64[i])
#define V_BITSELECT LANES(2) r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i])
V_TERN(V128_BITSELECT, V_BITSELECT)
V_TEST(V128_ANY_TRUE, u32, r = (a.u64[0] | a.u64[1]) != 0)

/* ------------------------------------------------ integer lanes */

#define V_ALL_TRUE(NAME, SH, N) \
  V_TEST(NAME, u32, r = 1; LANES(N) if (a.SH[i] == 0) r = 0)
#if MW_HAVE_SSE2
V_TEST(I8X16_ALL_TRUE, u32, r = _mm_movemask_epi8(_mm_cmpeq_epi8(a.m, _mm_setzero_si128())) == 0)
V_TEST(I16X8_ALL_TRUE, u32, r = _mm_movemask_epi8(_mm_cmpeq_epi16(a.m, _mm_setzero_si128())) == 0)
V_TEST(I32X4_ALL_TRUE, u32, r = _mm_movemask_epi8(_mm_cmpeq_epi32(a.m, _mm_setzero_si128())) == 0)
#else
V_ALL_TRUE(I8X16_ALL_TRUE, u8, 16)
V_ALL_TRUE(I16X8_ALL_TRUE, u16, 8)
V_ALL_TRUE(I32X4_ALL_TRUE, u32, 4)
#endif
V_ALL_TRUE(I64X2_ALL_TRUE, u64, 2)
#if MW_HAVE_SSE2
V_TEST(I8X16_BITMASK, u32, r = (uint32_t)_mm_movemask_epi8(a.m))
V_TEST(I16X8_BITMASK, u32, r = (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(a.m, a.m)) & 0xFF)
V_TEST(I32X4_BITMASK, u32, r = (uint32_t)_mm_movemask_ps(a.mf))
#else
V_TEST(I8X16_BITMASK, u32, r = 0; LANES(16) r |= (uint32_t)(a.u8[i] >> 7) << i)
V_TEST(I16X8_BITMASK, u32, r = 0; LANES(8) r |= (uint32_t)(a.u16[i] >> 15) << i)
V_TEST(I32X4_BITMASK, u32, r = 0; LANES(4) r |= (a.u32[i] >> 31) << i)
#endif
V_TEST(I64X2_BITMASK, u32, r = 0; LANES(2) r |= (uint32_t)(a.u64[i] >> 63) << i)

V_UN(I8X16_ABS, LANES(16) r.i8[i] = mw_abs_i8(a.i8[i]))
V_UN(I16X8_ABS, LANES(8) r.i16[i] = mw_abs_i16(a.i16[i]))
V_UN(I32X4_ABS, LANES(4) r.i32[i] = mw_abs_i32(a.i32[i]))
V_UN(I64X2_ABS, LANES(2) r.i64[i] = mw_abs_i64(a.i64[i]))
V_UN(I8X16_NEG, LANES(16) r.u8[i] = (uint8_t)-a.u8[i])
V_UN(I16X8_NEG, LANES(8) r.u16[i] = (uint16_t)-a.u16[i])
V_UN(I32X4_NEG, LANES(4) r.u32[i] = 0u - a.u32[i])
V_UN(I64X2_NEG, LANES(2) r.u64[i] = 0u - a.u64[i])
V_UN(I8X16_POPCNT, LANES(16) r.u8[i] = mw_popcnt8(a.u8[i]))

/* Wrapping arithmetic on unsigned lanes. */
#define V_ARITH(NAME, USH, N, op) \
  V_BIN(NAME, VEC_OR(r.v##USH = a.v##USH op b.v##USH, LANES(N) r.USH[i] = (__typeof__(r.USH[0]))(a.USH[i] op b.USH[i])))
V_ARITH(I8X16_ADD, u8, 16, +)
V_ARITH(I8X16_SUB, u8, 16, -)
V_ARITH(I16X8_ADD, u16, 8, +)
V_ARITH(I16X8_SUB, u16, 8, -)
V_ARITH(I16X8_MUL, u16, 8, *)
V_ARITH(I32X4_ADD, u32, 4, +)
V_ARITH(I32X4_SUB, u32, 4, -)
V_ARITH(I32X4_MUL, u32, 4, *)
V_ARITH(I64X2_ADD, u64, 2, +)
V_ARITH(I64X2_SUB, u64, 2, -)
V_ARITH(I64X2_MUL, u64, 2, *)

V_BIN(I8X16_ADD_SAT_S, SSE_OR(r.m = _mm_adds_epi8(a.m, b.m), LANES(16) r.i8[i] = mw_sat_i8(a.i8[i] + b.i8[i])))
V_BIN(I8X16_ADD_SAT_U, SSE_OR(r.m = _mm_adds_epu8(a.m, b.m), LANES(16) r.u8[i] = mw_sat_u8(a.u8[i] + b.u8[i])))
V_BIN(I8X16_SUB_SAT_S, SSE_OR(r.m = _mm_subs_epi8(a.m, b.m), LANES(16) r.i8[i] = mw_sat_i8(a.i8[i] - b.i8[i])))
V_BIN(I8X16_SUB_SAT_U, SSE_OR(r.m = _mm_subs_epu8(a.m, b.m), LANES(16) r.u8[i] = mw_sat_u8(a.u8[i] - b.u8[i])))
V_BIN(I16X8_ADD_SAT_S, SSE_OR(r.m = _mm_adds_epi16(a.m, b.m), LANES(8) r.i16[i] = mw_sat_i16(a.i16[i] + b.i16[i])))
V_BIN(I16X8_ADD_SAT_U, SSE_OR(r.m = _mm_adds_epu16(a.m, b.m), LANES(8) r.u16[i] = mw_sat_u16(a.u16[i] + b.u16[i])))
V_BIN(I16X8_SUB_SAT_S, SSE_OR(r.m = _mm_subs_epi16(a.m, b.m), LANES(8) r.i16[i] = mw_sat_i16(a.i16[i] - b.i16[i])))
V_BIN(I16X8_SUB_SAT_U, SSE_OR(r.m = _mm_subs_epu16(a.m, b.m), LANES(8) r.u16[i] = mw_sat_u16(a.u16[i] - b.u16[i])))

#define V_MINMAX(NAME, SH, N, op) \
  V_BIN(NAME, LANES(N) r.SH[i] = a.SH[i] op b.SH[i] ? a.SH[i] : b.SH[i])
V_MINMAX(I8X16_MIN_S, i8, 16, <)
V_MINMAX(I8X16_MIN_U, u8, 16, <)
V_MINMAX(I8X16_MAX_S, i8, 16, >)
V_MINMAX(I8X16_MAX_U, u8, 16, >)
V_MINMAX(I16X8_MIN_S, i16, 8, <)
V_MINMAX(I16X8_MIN_U, u16, 8, <)
V_MINMAX(I16X8_MAX_S, i16, 8, >)
V_MINMAX(I16X8_MAX_U, u16, 8, >)
V_MINMAX(I32X4_MIN_S, i32, 4, <)
V_MINMAX(I32X4_MIN_U, u32, 4, <)
V_MINMAX(I32X4_MAX_S, i32, 4, >)
V_MINMAX(I32X4_MAX_U, u32, 4, >)
V_BIN(I8X16_AVGR_U, SSE_OR(r.m = _mm_avg_epu8(a.m, b.m), LANES(16) r.u8[i] = (uint8_t)((a.u8[i] + b.u8[i] + 1) >> 1)))
V_BIN(I16X8_AVGR_U, SSE_OR(r.m = _mm_avg_epu16(a.m, b.m), LANES(8) r.u16[i] = (uint16_t)((a.u16[i] + b.u16[i] + 1) >> 1)))
V_BIN(I16X8_Q15MULR_SAT_S, SSE_OR(r.m = mw_q15mulr_sse(a.m, b.m),
                                  LANES(8) r.i16[i] = mw_q15mulr(a.i16[i], b.i16[i])))
V_BIN(I16X8_RELAXED_Q15MULR_S, SSE_OR(r.m = mw_q15mulr_sse(a.m, b.m),
                                      LANES(8) r.i16[i] = mw_q15mulr(a.i16[i], b.i16[i])))

/* Shifts: the count modulo the lane width (4.3.2 ishl). */
#define V_SH(NAME, SH, N, BITS, op) \
  V_SHIFT(NAME, n &= (BITS) - 1; VEC_OR(r.v##SH = a.v##SH op (__typeof__(a.SH[0]))n, LANES(N) r.SH[i] = (__typeof__(r.SH[0]))(a.SH[i] op n)))
V_SH(I8X16_SHL, u8, 16, 8, <<)
V_SH(I8X16_SHR_S, i8, 16, 8, >>)
V_SH(I8X16_SHR_U, u8, 16, 8, >>)
V_SH(I16X8_SHL, u16, 8, 16, <<)
V_SH(I16X8_SHR_S, i16, 8, 16, >>)
V_SH(I16X8_SHR_U, u16, 8, 16, >>)
V_SH(I32X4_SHL, u32, 4, 32, <<)
V_SH(I32X4_SHR_S, i32, 4, 32, >>)
V_SH(I32X4_SHR_U, u32, 4, 32, >>)
V_SH(I64X2_SHL, u64, 2, 64, <<)
V_SH(I64X2_SHR_S, i64, 2, 64, >>)
V_SH(I64X2_SHR_U, u64, 2, 64, >>)

/* narrow: a's lanes then b's, saturated. */
#define V_NARROW(NAME, SH, DSH, N, SAT)           \
  V_BIN(NAME, LANES(N) {                          \
    r.DSH[i] = SAT(a.SH[i]);                      \
    r.DSH[i + (N)] = SAT(b.SH[i]);                \
  })
#if MW_HAVE_SSE2
V_BIN(I8X16_NARROW_I16X8_S, r.m = _mm_packs_epi16(a.m, b.m))
V_BIN(I8X16_NARROW_I16X8_U, r.m = _mm_packus_epi16(a.m, b.m))
V_BIN(I16X8_NARROW_I32X4_S, r.m = _mm_packs_epi32(a.m, b.m))
#else
V_NARROW(I8X16_NARROW_I16X8_S, i16, i8, 8, mw_sat_i8)
V_NARROW(I8X16_NARROW_I16X8_U, i16, u8, 8, mw_sat_u8)
V_NARROW(I16X8_NARROW_I32X4_S, i32, i16, 4, mw_sat_i16)
#endif
#if MW_HAVE_SSE2
V_BIN(I16X8_NARROW_I32X4_U, r.m = mw_narrow_u16_sse(a.m, b.m))
#else
V_NARROW(I16X8_NARROW_I32X4_U, i32, u16, 4, mw_sat_u16)
#endif

/* extend: lanes from the low or high half, widened. */
#define V_EXTEND(NAME, SH, DSH, N, FROM) V_UN(NAME, LANES(N) r.DSH[i] = a.SH[i + (FROM)])
V_EXTEND(I16X8_EXTEND_LOW_I8X16_S, i8, i16, 8, 0)
V_EXTEND(I16X8_EXTEND_HIGH_I8X16_S, i8, i16, 8, 8)
V_EXTEND(I16X8_EXTEND_LOW_I8X16_U, u8, u16, 8, 0)
V_EXTEND(I16X8_EXTEND_HIGH_I8X16_U, u8, u16, 8, 8)
V_EXTEND(I32X4_EXTEND_LOW_I16X8_S, i16, i32, 4, 0)
V_EXTEND(I32X4_EXTEND_HIGH_I16X8_S, i16, i32, 4, 4)
V_EXTEND(I32X4_EXTEND_LOW_I16X8_U, u16, u32, 4, 0)
V_EXTEND(I32X4_EXTEND_HIGH_I16X8_U, u16, u32, 4, 4)
V_EXTEND(I64X2_EXTEND_LOW_I32X4_S, i32, i64, 2, 0)
V_EXTEND(I64X2_EXTEND_HIGH_I32X4_S, i32, i64, 2, 2)
V_EXTEND(I64X2_EXTEND_LOW_I32X4_U, u32, u64, 2, 0)
V_EXTEND(I64X2_EXTEND_HIGH_I32X4_U, u32, u64, 2, 2)

/* extmul: widened products of the low or high halves (they cannot
 * overflow the wide lane, except i32 * i32 which is computed in 64 bits). */
#define V_EXTMUL(NAME, SH, DSH, WT, N, FROM) \
  V_BIN(NAME, LANES(N) r.DSH[i] = (WT)a.SH[i + (FROM)] * (WT)b.SH[i + (FROM)])
V_EXTMUL(I16X8_EXTMUL_LOW_I8X16_S, i8, i16, int32_t, 8, 0)
V_EXTMUL(I16X8_EXTMUL_HIGH_I8X16_S, i8, i16, int32_t, 8, 8)
V_EXTMUL(I16X8_EXTMUL_LOW_I8X16_U, u8, u16, uint32_t, 8, 0)
V_EXTMUL(I16X8_EXTMUL_HIGH_I8X16_U, u8, u16, uint32_t, 8, 8)
V_EXTMUL(I32X4_EXTMUL_LOW_I16X8_S, i16, i32, int32_t, 4, 0)
V_EXTMUL(I32X4_EXTMUL_HIGH_I16X8_S, i16, i32, int32_t, 4, 4)
V_EXTMUL(I32X4_EXTMUL_LOW_I16X8_U, u16, u32, uint32_t, 4, 0)
V_EXTMUL(I32X4_EXTMUL_HIGH_I16X8_U, u16, u32, uint32_t, 4, 4)
V_EXTMUL(I64X2_EXTMUL_LOW_I32X4_S, i32, i64, int64_t, 2, 0)
V_EXTMUL(I64X2_EXTMUL_HIGH_I32X4_S, i32, i64, int64_t, 2, 2)
V_EXTMUL(I64X2_EXTMUL_LOW_I32X4_U, u32, u64, uint64_t, 2, 0)
V_EXTMUL(I64X2_EXTMUL_HIGH_I32X4_U, u32, u64, uint64_t, 2, 2)

#define V_EXTADD(NAME, SH, DSH, WT, N) \
  V_UN(NAME, LANES(N) r.DSH[i] = (WT)a.SH[2 * i] + (WT)a.SH[2 * i + 1])
V_EXTADD(I16X8_EXTADD_PAIRWISE_I8X16_S, i8, i16, int32_t, 8)
V_EXTADD(I16X8_EXTADD_PAIRWISE_I8X16_U, u8, u16, uint32_t, 8)
V_EXTADD(I32X4_EXTADD_PAIRWISE_I16X8_S, i16, i32, int32_t, 4)
V_EXTADD(I32X4_EXTADD_PAIRWISE_I16X8_U, u16, u32, uint32_t, 4)

/* dot: the sum of two i16 products wraps only for -32768^2 * 2. */
#if MW_HAVE_SSE2
V_BIN(I32X4_DOT_I16X8_S, r.m = _mm_madd_epi16(a.m, b.m))
#else
V_BIN(I32X4_DOT_I16X8_S,
      LANES(4) r.u32[i] = (uint32_t)((int32_t)a.i16[2 * i] * b.i16[2 * i]) +
                          (uint32_t)((int32_t)a.i16[2 * i + 1] * b.i16[2 * i + 1]))
#endif
/* relaxed dot: b's lanes read as signed, sums wrap (moonwasm.h). */
V_BIN(I16X8_RELAXED_DOT_I8X16_I7X16_S,
      LANES(8) r.u16[i] = (uint16_t)((int32_t)a.i8[2 * i] * b.i8[2 * i] +
                                     (int32_t)a.i8[2 * i + 1] * b.i8[2 * i + 1]))
V_TERN(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S,
       LANES(4) {
         int32_t sum = 0;
         for (int k = 0; k < 4; k++) sum += (int32_t)a.i8[4 * i + k] * b.i8[4 * i + k];
         r.u32[i] = (uint32_t)sum + c.u32[i];
       })

/* ------------------------------------------------ float lanes */

#define V_FARITH(NAME, SH, N, op) \
  V_BIN(NAME, VEC_OR(r.v##SH = a.v##SH op b.v##SH, LANES(N) r.SH[i] = a.SH[i] op b.SH[i]))
V_FARITH(F32X4_ADD, f32, 4, +)
V_FARITH(F32X4_SUB, f32, 4, -)
V_FARITH(F32X4_MUL, f32, 4, *)
V_FARITH(F32X4_DIV, f32, 4, /)
V_FARITH(F64X2_ADD, f64, 2, +)
V_FARITH(F64X2_SUB, f64, 2, -)
V_FARITH(F64X2_MUL, f64, 2, *)
V_FARITH(F64X2_DIV, f64, 2, /)
#define V_FLANE2(NAME, SH, N, fn) V_BIN(NAME, LANES(N) r.SH[i] = fn(a.SH[i], b.SH[i]))
#if MW_HAVE_SSE2
V_BIN(F32X4_MIN, r.mf = mw_f32x4_min_sse(a.mf, b.mf))
V_BIN(F32X4_MAX, r.mf = mw_f32x4_max_sse(a.mf, b.mf))
V_BIN(F64X2_MIN, r.md = mw_f64x2_min_sse(a.md, b.md))
V_BIN(F64X2_MAX, r.md = mw_f64x2_max_sse(a.md, b.md))
V_BIN(F32X4_RELAXED_MIN, r.mf = mw_f32x4_min_sse(a.mf, b.mf))
V_BIN(F32X4_RELAXED_MAX, r.mf = mw_f32x4_max_sse(a.mf, b.mf))
V_BIN(F64X2_RELAXED_MIN, r.md = mw_f64x2_min_sse(a.md, b.md))
V_BIN(F64X2_RELAXED_MAX, r.md = mw_f64x2_max_sse(a.md, b.md))
#else
V_FLANE2(F32X4_MIN, f32, 4, mw_f32_min)
V_FLANE2(F32X4_MAX, f32, 4, mw_f32_max)
V_FLANE2(F64X2_MIN, f64, 2, mw_f64_min)
V_FLANE2(F64X2_MAX, f64, 2, mw_f64_max)
V_FLANE2(F32X4_RELAXED_MIN, f32, 4, mw_f32_min)
V_FLANE2(F32X4_RELAXED_MAX, f32, 4, mw_f32_max)
V_FLANE2(F64X2_RELAXED_MIN, f64, 2, mw_f64_min)
V_FLANE2(F64X2_RELAXED_MAX, f64, 2, mw_f64_max)
#endif
V_FLANE2(F32X4_PMIN, f32, 4, mw_f32_pmin)
V_FLANE2(F32X4_PMAX, f32, 4, mw_f32_pmax)
V_FLANE2(F64X2_PMIN, f64, 2, mw_f64_pmin)
V_FLANE2(F64X2_PMAX, f64, 2, mw_f64_pmax)
#define V_FLANE1(NAME, SH, N, fn) V_UN(NAME, LANES(N) r.SH[i] = fn(a.SH[i]))
V_FLANE1(F32X4_ABS, u32, 4, mw_f32_abs)
V_FLANE1(F32X4_NEG, u32, 4, mw_f32_neg)
V_FLANE1(F64X2_ABS, u64, 2, mw_f64_abs)
V_FLANE1(F64X2_NEG, u64, 2, mw_f64_neg)
V_FLANE1(F32X4_SQRT, f32, 4, mw_f32_sqrt)
V_FLANE1(F64X2_SQRT, f64, 2, mw_f64_sqrt)
#if MW_SSE41_ROUND
#define V_ROUND(NAME, SH, N, fn, sse)                                         \
  V_UN(NAME, if (mw_cpu_has_sse41()) r.m##SH = sse(a.m##SH);                 \
       else LANES(N) r.SH##_lane[i] = fn(a.SH##_lane[i]))
#define f_lane f32
#define d_lane f64
V_ROUND(F32X4_CEIL, f, 4, mw_f32_ceil, mw_round_ceil_ps)
V_ROUND(F32X4_FLOOR, f, 4, mw_f32_floor, mw_round_floor_ps)
V_ROUND(F32X4_TRUNC, f, 4, mw_f32_trunc, mw_round_trunc_ps)
V_ROUND(F32X4_NEAREST, f, 4, mw_f32_nearest, mw_round_nearest_ps)
V_ROUND(F64X2_CEIL, d, 2, mw_f64_ceil, mw_round_ceil_pd)
V_ROUND(F64X2_FLOOR, d, 2, mw_f64_floor, mw_round_floor_pd)
V_ROUND(F64X2_TRUNC, d, 2, mw_f64_trunc, mw_round_trunc_pd)
V_ROUND(F64X2_NEAREST, d, 2, mw_f64_nearest, mw_round_nearest_pd)
#undef f_lane
#undef d_lane
#undef V_ROUND
#else
V_FLANE1(F32X4_CEIL, f32, 4, mw_f32_ceil)
V_FLANE1(F32X4_FLOOR, f32, 4, mw_f32_floor)
V_FLANE1(F32X4_TRUNC, f32, 4, mw_f32_trunc)
V_FLANE1(F32X4_NEAREST, f32, 4, mw_f32_nearest)
V_FLANE1(F64X2_CEIL, f64, 2, mw_f64_ceil)
V_FLANE1(F64X2_FLOOR, f64, 2, mw_f64_floor)
V_FLANE1(F64X2_TRUNC, f64, 2, mw_f64_trunc)
V_FLANE1(F64X2_NEAREST, f64, 2, mw_f64_nearest)
#endif

/* relaxed madd/nmadd: fused, one rounding (moonwasm.h). */
V_TERN(F32X4_RELAXED_MADD, LANES(4) r.f32[i] = fmaf(a.f32[i], b.f32[i], c.f32[i]))
V_TERN(F32X4_RELAXED_NMADD, LANES(4) r.f32[i] = fmaf(-a.f32[i], b.f32[i], c.f32[i]))
V_TERN(F64X2_RELAXED_MADD, LANES(2) r.f64[i] = fma(a.f64[i], b.f64[i], c.f64[i]))
V_TERN(F64X2_RELAXED_NMADD, LANES(2) r.f64[i] = fma(-a.f64[i], b.f64[i], c.f64[i]))
/* relaxed laneselect: bitselect (moonwasm.h). */
V_TERN(I8X16_RELAXED_LANESELECT, V_BITSELECT)
V_TERN(I16X8_RELAXED_LANESELECT, V_BITSELECT)
V_TERN(I32X4_RELAXED_LANESELECT, V_BITSELECT)
V_TERN(I64X2_RELAXED_LANESELECT, V_BITSELECT)

/* ------------------------------------------------ conversions */

V_UN(I32X4_TRUNC_SAT_F32X4_S, SSE_OR(r.m = mw_trunc_sat_s_sse(a.mf),
                                      LANES(4) r.i32[i] = mw_i32_trunc_sat_f32_s(a.f32[i])))
V_UN(I32X4_TRUNC_SAT_F32X4_U, LANES(4) r.u32[i] = mw_i32_trunc_sat_f32_u(a.f32[i]))
V_UN(I32X4_RELAXED_TRUNC_F32X4_S, SSE_OR(r.m = mw_trunc_sat_s_sse(a.mf),
                                          LANES(4) r.i32[i] = mw_i32_trunc_sat_f32_s(a.f32[i])))
V_UN(I32X4_RELAXED_TRUNC_F32X4_U, LANES(4) r.u32[i] = mw_i32_trunc_sat_f32_u(a.f32[i]))
V_UN(I32X4_TRUNC_SAT_F64X2_S_ZERO,
     LANES(2) r.i32[i] = mw_i32_trunc_sat_f64_s(a.f64[i]); r.u64[1] = 0)
V_UN(I32X4_TRUNC_SAT_F64X2_U_ZERO,
     LANES(2) r.u32[i] = mw_i32_trunc_sat_f64_u(a.f64[i]); r.u64[1] = 0)
V_UN(I32X4_RELAXED_TRUNC_F64X2_S,
     LANES(2) r.i32[i] = mw_i32_trunc_sat_f64_s(a.f64[i]); r.u64[1] = 0)
V_UN(I32X4_RELAXED_TRUNC_F64X2_U,
     LANES(2) r.u32[i] = mw_i32_trunc_sat_f64_u(a.f64[i]); r.u64[1] = 0)
V_UN(F32X4_CONVERT_I32X4_S, LANES(4) r.f32[i] = (float)a.i32[i])
V_UN(F32X4_CONVERT_I32X4_U, SSE_OR(r.mf = mw_convert_u_sse(a.m), LANES(4) r.f32[i] = (float)a.u32[i]))
V_UN(F64X2_CONVERT_LOW_I32X4_S, LANES(2) r.f64[i] = (double)a.i32[i])
V_UN(F64X2_CONVERT_LOW_I32X4_U, LANES(2) r.f64[i] = (double)a.u32[i])
V_UN(F32X4_DEMOTE_F64X2_ZERO,
     LANES(2) r.u32[i] = mw_f32_demote_f64(a.u64[i]); r.u64[1] = 0)
V_UN(F64X2_PROMOTE_LOW_F32X4, LANES(2) r.u64[i] = mw_f64_promote_f32(a.u32[i]))

#undef VIN
#undef VOUT
#undef LANES
#undef V_UN
#undef V_BIN
#undef V_TERN
#undef V_TEST
#undef V_SHIFT
#undef VEC_OR
#undef SSE_OR
#undef V_MEM_READ
#undef V_LOAD_EXT
#undef V_LOAD_SPLAT
#undef V_LOAD_ZERO
#undef V_LOAD_LANE
#undef V_STORE_LANE
#undef V_SWIZZLE
#undef V_SWIZZLE_MASK
#undef V_EXTRACT
#undef V_REPLACE
#undef V_CMP
#undef V_CMPF
#undef V_BITSELECT
#undef V_ALL_TRUE
#undef V_ARITH
#undef V_MINMAX
#undef V_SH
#undef V_NARROW
#undef V_EXTEND
#undef V_EXTMUL
#undef V_EXTADD
#undef V_FARITH
#undef V_FLANE2
#undef V_FLANE1
