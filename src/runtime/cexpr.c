/*
 * cexpr.c -- reading constant expressions (spec 3.3.10, Wasm 3.0 "extended
 * constant expressions") instruction by instruction.
 *
 * The decoder keeps the first MW_CEXPR_MAX instructions of each expression
 * decoded, and where the expression starts in the module's bytes.  Short
 * expressions (nearly all of them) are read from the decoded copy; longer
 * ones are decoded again from the bytes, which the decoder has already
 * checked.  Only constant instructions need their immediates: validation
 * stops at the first instruction that is not constant, so the walk stops
 * there too.
 */
#include "internal.h"
#include "reader.h"

void mw_cexpr_iter_init(mw_cexpr_iter *it, const mw_cexpr *e) {
  it->e = e;
  it->k = 0;
  it->p = e->code;
}

/* Is `op` one of the instructions a constant expression may hold? */
static bool maybe_constant(int op) {
  switch (op) {
  case MW_OP_I32_CONST: case MW_OP_I64_CONST: case MW_OP_F32_CONST:
  case MW_OP_F64_CONST: case MW_OP_V128_CONST: case MW_OP_REF_NULL: case MW_OP_REF_FUNC:
  case MW_OP_GLOBAL_GET: case MW_OP_I32_ADD: case MW_OP_I32_SUB:
  case MW_OP_I32_MUL: case MW_OP_I64_ADD: case MW_OP_I64_SUB:
  case MW_OP_I64_MUL:
  /* GC (Wasm 3.0) */
  case MW_OP_REF_I31: case MW_OP_STRUCT_NEW: case MW_OP_STRUCT_NEW_DEFAULT:
  case MW_OP_ARRAY_NEW: case MW_OP_ARRAY_NEW_DEFAULT: case MW_OP_ARRAY_NEW_FIXED:
  case MW_OP_ANY_CONVERT_EXTERN: case MW_OP_EXTERN_CONVERT_ANY:
    return true;
  default:
    return false;
  }
}

/* Decode instruction it->k from the bytes. */
static bool next_from_bytes(mw_cexpr_iter *it, mw_cinstr *out) {
  mwd_reader r = {it->p, it->e->end, NULL};
  uint8_t b = mwd_u8(&r);
  int op = mw_opcode_is_prefix(b) ? mw_opcode_from_prefixed(b, mwd_u32(&r))
                                  : mw_opcode_from_byte(b);
  out->op = (uint16_t)(op < 0 ? MW_OP_UNREACHABLE : op);
  out->imm = 0;
  out->imm_hi = 0;
  switch (op) {
  case MW_OP_I32_CONST: out->imm = (uint32_t)mwd_s32(&r); break;
  case MW_OP_I64_CONST: out->imm = (uint64_t)mwd_s64(&r); break;
  case MW_OP_F32_CONST: out->imm = mwd_fixed(&r, 4); break;
  case MW_OP_F64_CONST: out->imm = mwd_fixed(&r, 8); break;
  case MW_OP_V128_CONST: /* the low 8 bytes, then the high 8 */
    out->imm = mwd_fixed(&r, 8);
    out->imm_hi = mwd_fixed(&r, 8);
    break;
  case MW_OP_REF_NULL: { /* a heap type: an abstract one's byte, or an index */
    int64_t ht = mwd_sleb(&r, 33);
    out->imm = ht < 0 ? (uint64_t)(ht & 0x7F) : (uint64_t)MW_HT_IDX((uint32_t)ht);
    break;
  }
  case MW_OP_REF_FUNC: case MW_OP_GLOBAL_GET: out->imm = mwd_u32(&r); break;
  case MW_OP_STRUCT_NEW: case MW_OP_STRUCT_NEW_DEFAULT: case MW_OP_ARRAY_NEW:
  case MW_OP_ARRAY_NEW_DEFAULT: out->imm = mwd_u32(&r); break;
  case MW_OP_ARRAY_NEW_FIXED:
    out->imm = mwd_u32(&r);
    out->imm_hi = mwd_u32(&r);
    break;
  default: break;
  }
  /* After an instruction that cannot be constant the walk ends: its
   * immediates are not read, so what follows could not be found. */
  it->p = (op >= 0 && maybe_constant(op) && !r.fail) ? r.p : NULL;
  return true;
}

bool mw_cexpr_next(mw_cexpr_iter *it, mw_cinstr *out) {
  const mw_cexpr *e = it->e;
  if (it->k >= e->n) return false;
  if (e->code && e->n > MW_CEXPR_MAX) {
    if (!it->p) return false;
    next_from_bytes(it, out);
  } else if (it->k < MW_CEXPR_MAX) {
    *out = e->ins[it->k];
  } else {
    return false;
  }
  it->k++;
  return true;
}
