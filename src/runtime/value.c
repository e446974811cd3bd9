/*
 * value.c -- typed values (mw_val) and their untyped 8-byte form (mw_slot).
 *
 * Floats travel as bit patterns end to end so that NaN payloads survive a
 * round trip through the API (spec 4.3.3: NaN payloads are observable).
 */
#include <stdio.h>

#include "internal.h"

mw_val mw_val_i32(int32_t v) {
  mw_val r;
  r.type = MW_I32;
  r.of.i64 = 0;
  r.of.i32 = v;
  return r;
}

mw_val mw_val_i64(int64_t v) {
  mw_val r;
  r.type = MW_I64;
  r.of.i64 = v;
  return r;
}

mw_val mw_val_f32_bits(uint32_t bits) {
  mw_val r;
  r.type = MW_F32;
  r.of.f64_bits = 0;
  r.of.f32_bits = bits;
  return r;
}

mw_val mw_val_f64_bits(uint64_t bits) {
  mw_val r;
  r.type = MW_F64;
  r.of.f64_bits = bits;
  return r;
}

/* memcpy is the portable way to reinterpret a float's bits. */
mw_val mw_val_f32(float v) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  return mw_val_f32_bits(bits);
}

mw_val mw_val_f64(double v) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  return mw_val_f64_bits(bits);
}

mw_val mw_val_funcref(mw_func *f) {
  mw_val r;
  r.type = MW_FUNCREF;
  r.of.f64_bits = 0;
  r.of.funcref = f;
  return r;
}

mw_val mw_val_externref(void *p) {
  mw_val r;
  r.type = MW_EXTERNREF;
  r.of.f64_bits = 0;
  r.of.externref = p;
  return r;
}

float mw_val_as_f32(mw_val v) {
  float f;
  memcpy(&f, &v.of.f32_bits, sizeof f);
  return f;
}

double mw_val_as_f64(mw_val v) {
  double d;
  memcpy(&d, &v.of.f64_bits, sizeof d);
  return d;
}

const char *mw_valtype_name(mw_valtype t) {
  switch ((unsigned)t) {
  case MW_I32: return "i32";
  case MW_I64: return "i64";
  case MW_F32: return "f32";
  case MW_F64: return "f64";
  case MW_V128: return "v128";
  case MW_I8: return "i8";
  case MW_I16: return "i16";
  case MW_FUNCREF: return "funcref";
  case MW_EXTERNREF: return "externref";
  case MW_ANYREF: return "anyref";
  case MW_EQREF: return "eqref";
  case MW_I31REF: return "i31ref";
  case MW_STRUCTREF: return "structref";
  case MW_ARRAYREF: return "arrayref";
  case MW_EXNREF: return "exnref";
  case MW_NULLREF: return "nullref";
  case MW_NULLEXTERNREF: return "nullexternref";
  case MW_NULLFUNCREF: return "nullfuncref";
  case MW_NULLEXNREF: return "nullexnref";
  }
  return "?";
}

/* The text name of an abstract heap type, or NULL. */
static const char *heap_name(unsigned ht) {
  switch (ht) {
  case MW_HT_FUNC: return "func";
  case MW_HT_EXTERN: return "extern";
  case MW_HT_ANY: return "any";
  case MW_HT_EQ: return "eq";
  case MW_HT_I31: return "i31";
  case MW_HT_STRUCT: return "struct";
  case MW_HT_ARRAY: return "array";
  case MW_HT_EXN: return "exn";
  case MW_HT_NONE: return "none";
  case MW_HT_NOEXTERN: return "noextern";
  case MW_HT_NOFUNC: return "nofunc";
  case MW_HT_NOEXN: return "noexn";
  }
  return NULL;
}

size_t mw_valtype_format(mw_valtype t, char *buf, size_t n) {
  unsigned u = (unsigned)t;
  int len;
  char inner[48];
  if (u & MW_VT_MUT) {
    mw_valtype_format(MW_VT_PLAIN(t), inner, sizeof inner);
    len = snprintf(buf, n, "(mut %s)", inner);
  } else if (!mw_valtype_is_reference(t)) {
    len = snprintf(buf, n, "%s", mw_valtype_name(t));
  } else if (MW_VT_NULLABLE(t) && !MW_VT_IS_IDX(t)) {
    len = snprintf(buf, n, "%s", mw_valtype_name(t));
  } else {
    const char *null = MW_VT_NULLABLE(t) ? "null " : "";
    if (MW_VT_IS_IDX(t))
      len = snprintf(buf, n, "(ref %s%u)", null, MW_VT_INDEX(t));
    else
      len = snprintf(buf, n, "(ref %s%s)", null, heap_name(MW_VT_HEAP(t)));
  }
  return len < 0 ? 0 : (size_t)len;
}

bool mw_valtype_is_reference(mw_valtype t) {
  unsigned u = (unsigned)t & ~(MW_VT_NONNULL | MW_VT_MUT);
  if (u & MW_VT_IDX) return (u & 0xFF) == 0;
  return u >= MW_HT_EXN && u <= MW_HT_NOEXN;
}

bool mw_valtype_is_ref(mw_valtype t) {
  return mw_valtype_is_reference(t);
}

bool mw_valtype_is_num(mw_valtype t) {
  return t == MW_I32 || t == MW_I64 || t == MW_F32 || t == MW_F64;
}

/* The slot is cleared first so that a 32-bit value leaves no stale high
 * bits behind: slots are sometimes copied or compared as whole words. */
mw_slot mw_slot_from_val(mw_val v) {
  mw_slot s;
  s.u64 = 0;
  switch ((unsigned)v.type) {
  case MW_I32: s.i32 = v.of.i32; break;
  case MW_I64: s.i64 = v.of.i64; break;
  case MW_F32: s.u32 = v.of.f32_bits; break;
  case MW_F64: s.u64 = v.of.f64_bits; break;
  case MW_V128: break; /* not representable in one slot; never validated */
  default: /* every reference type: a pointer (funcref: the mw_func) */
    s.ref = v.of.externref;
    break;
  }
  return s;
}

mw_val mw_val_from_slot(mw_valtype t, mw_slot s) {
  switch ((unsigned)t) {
  case MW_I32: return mw_val_i32(s.i32);
  case MW_I64: return mw_val_i64(s.i64);
  case MW_F32: return mw_val_f32_bits(s.u32);
  case MW_F64: return mw_val_f64_bits(s.u64);
  case MW_V128: break;
  }
  mw_val r;
  r.type = t;
  r.of.i64 = 0;
  if (mw_valtype_is_reference(t)) r.of.externref = s.ref;
  return r;
}

mw_val mw_val_v128(const uint8_t bytes[16]) {
  mw_val r;
  r.type = MW_V128;
  memcpy(r.of.v128, bytes, 16);
  return r;
}

/* ---------------------------------------------------------------- frame layout */

uint32_t mw_slot_count(const mw_valtype *types, uint32_t n) {
  uint32_t k = n;
  for (uint32_t i = 0; i < n; i++) k += types[i] == MW_V128;
  return k;
}

void mw_slots_from_vals(const mw_val *vals, uint32_t n, mw_slot *slots) {
  for (uint32_t i = 0; i < n; i++) {
    if (vals[i].type == MW_V128) {
      memcpy(slots, vals[i].of.v128, 16);
      slots += 2;
    } else {
      *slots++ = mw_slot_from_val(vals[i]);
    }
  }
}

void mw_vals_from_slots(const mw_valtype *types, uint32_t n, const mw_slot *slots,
                        mw_val *vals) {
  for (uint32_t i = 0; i < n; i++) {
    if (types[i] == MW_V128) {
      vals[i] = mw_val_v128((const uint8_t *)slots);
      slots += 2;
    } else {
      vals[i] = mw_val_from_slot(types[i], *slots++);
    }
  }
}
