/*
 * lmoonwasm_v128.c -- v128 values for Lua: a v128 is a 16-byte string (its
 * bytes as wasm stores them, lane 0 first); these build and read one by
 * lanes.
 *
 *   wasm.v128("i32x4", 1, 2, 3, 4)        --> 16-byte string
 *   wasm.lanes(v, "f32x4")                --> 4 floats
 *   wasm.lanes(v, "u8x16")                --> 16 integers 0..255
 *
 * Shapes: i8x16 i16x8 i32x4 i64x2 (signed lanes when read), u8x16 u16x8
 * u32x4 (unsigned), f32x4 f64x2.  Integer lanes wrap modulo their width
 * when built.  Float lanes are Lua floats; an f32 NaN is widened and
 * narrowed by moving its payload bits, never through the FPU, so its exact
 * bits (signalling ones too) survive a round trip through Lua.
 */
#include <math.h>
#include <string.h>

#include "lmoonwasm.h"

typedef enum { LANE_INT, LANE_UINT, LANE_FLOAT } lane_kind;

typedef struct shape {
  const char *name;
  unsigned bytes; /* per lane */
  lane_kind kind;
} shape;

static const shape shapes[] = {
    {"i8x16", 1, LANE_INT},   {"i16x8", 2, LANE_INT},  {"i32x4", 4, LANE_INT},
    {"i64x2", 8, LANE_INT},   {"u8x16", 1, LANE_UINT}, {"u16x8", 2, LANE_UINT},
    {"u32x4", 4, LANE_UINT},  {"f32x4", 4, LANE_FLOAT}, {"f64x2", 8, LANE_FLOAT},
};

static const shape *check_shape(lua_State *L, int idx, const char *what) {
  const char *s = mwl_checkstring(L, idx, NULL, what);
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
    if (strcmp(s, shapes[i].name) == 0) return &shapes[i];
  mwl_usage(L, "%s: unknown lane shape '%s' (i8x16, i16x8, i32x4, i64x2, u8x16, "
               "u16x8, u32x4, f32x4, f64x2)", what, s);
  return NULL;
}

/* f32 <-> f64 keeping NaN payloads bit for bit. */
static double f32_bits_to_double(uint32_t b) {
  if ((b & 0x7F800000u) == 0x7F800000u && (b & 0x007FFFFFu)) {
    uint64_t d = ((uint64_t)(b >> 31) << 63) | ((uint64_t)0x7FF << 52) |
                 ((uint64_t)(b & 0x007FFFFFu) << 29);
    double x;
    memcpy(&x, &d, sizeof x);
    return x;
  }
  float f;
  memcpy(&f, &b, sizeof f);
  return (double)f;
}

static uint32_t double_to_f32_bits(double x) {
  uint64_t d;
  memcpy(&d, &x, sizeof d);
  if (x != x) { /* keep the top 23 payload bits; a payload lost to the
                   narrowing becomes the quiet bit, so it stays a NaN */
    uint32_t payload = (uint32_t)((d >> 29) & 0x007FFFFFu);
    if (!payload) payload = 0x00400000u;
    return (uint32_t)(d >> 63) << 31 | 0x7F800000u | payload;
  }
  float f = (float)x;
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/** A v128 (a 16-byte string) from a lane shape and one value per lane.
 * @function v128 */
static int core_v128(lua_State *L) {
  const shape *sh = check_shape(L, 1, "v128");
  int n = 16 / (int)sh->bytes;
  if (lua_gettop(L) != n + 1)
    mwl_usage(L, "v128: %s takes %d lane values, got %d", sh->name, n, lua_gettop(L) - 1);
  uint8_t out[16];
  for (int i = 0; i < n; i++) {
    int idx = i + 2;
    uint64_t bits;
    if (sh->kind == LANE_FLOAT) {
      if (lua_type(L, idx) != LUA_TNUMBER)
        mwl_usage(L, "v128: lane %d: expected a number, got %s", i, mwl_typename(L, idx));
      double x = lua_tonumber(L, idx);
      if (sh->bytes == 4) {
        bits = double_to_f32_bits(x);
      } else {
        memcpy(&bits, &x, sizeof bits);
      }
    } else {
      lua_Integer v;
      if (!mwl_getint(L, idx, &v))
        mwl_usage(L, "v128: lane %d: expected an integer, got %s", i, mwl_typename(L, idx));
      bits = (uint64_t)v; /* wraps: only the low bytes are kept */
    }
    for (unsigned k = 0; k < sh->bytes; k++) out[i * sh->bytes + k] = (uint8_t)(bits >> (8 * k));
  }
  lua_pushlstring(L, (const char *)out, 16);
  return 1;
}

/** The lanes of a v128 (a 16-byte string) in a shape, as separate values.
 * @function lanes */
static int core_lanes(lua_State *L) {
  size_t len = 0;
  const char *s = mwl_checkstring(L, 1, &len, "lanes");
  if (len != 16) mwl_usage(L, "lanes: expected a 16-byte string, got %d bytes", (int)len);
  const shape *sh = check_shape(L, 2, "lanes");
  int n = 16 / (int)sh->bytes;
  luaL_checkstack(L, n, "lanes");
  for (int i = 0; i < n; i++) {
    uint64_t bits = 0;
    for (unsigned k = 0; k < sh->bytes; k++)
      bits |= (uint64_t)(uint8_t)s[i * sh->bytes + k] << (8 * k);
    unsigned width = 8 * sh->bytes;
    if (sh->kind == LANE_FLOAT) {
      double x;
      if (sh->bytes == 4) {
        x = f32_bits_to_double((uint32_t)bits);
      } else {
        memcpy(&x, &bits, sizeof x);
      }
      lua_pushnumber(L, x);
    } else if (sh->kind == LANE_INT && width < 64 && (bits >> (width - 1)) & 1) {
      lua_pushinteger(L, (lua_Integer)(bits | ~(uint64_t)0 << width)); /* sign-extend */
    } else {
      lua_pushinteger(L, (lua_Integer)bits);
    }
  }
  return n;
}

static const luaL_Reg v128_funcs[] = {
    {"v128", core_v128},
    {"lanes", core_lanes},
    {NULL, NULL},
};

void mwl_register_v128(lua_State *L) { luaL_setfuncs(L, v128_funcs, 0); }
