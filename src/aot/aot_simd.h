/*
 * aot_simd.h -- how generated code runs SIMD instructions: with the
 * interpreter's own handlers.  The SIMD prelude of a generated file is
 *     aot_simd.h, runtime/simd.h, runtime/exec_simd.h, aot_simd.h
 * (embed.c).  The first paste defines the names exec_simd.h is written
 * with (OP, SLOT, NEXT, TRAP, mem, memsize, inst) so that each of its
 * handlers becomes an always-inline function
 *     vop_NAME(ctx_, frp_, fp, pc, mem, memsize)
 * reading its operands at fp[pc[i]] as in the interpreter; the second
 * paste takes the names back.  Generated code calls a handler with a small
 * slot array and a constant operand list laid out as the interpreter's
 * compiler lays them out (see exec_simd.h), which the C compiler folds
 * away: native code and the interpreter share one definition of every SIMD
 * and relaxed SIMD operation (NaN bits, rounding, saturation, the relaxed
 * choices of moonwasm.h).
 *
 * exec_simd.h's only trap is an out-of-bounds memory access.
 */
#ifndef MW_AOT_SIMD_IN
#define MW_AOT_SIMD_IN

/* (the handlers have their own `c`: the context is ctx_, the frame frp_) */
MW_AOT_NORETURN static void mw_aot_simd_oob(mw_aot_ctx *c, char *fr_) {
  SYNC();
  c->rt->trap(c, MW_AOT_TRAP_OOB_MEMORY);
}
#undef TRAP
#define TRAP(msg) mw_aot_simd_oob(ctx_, frp_)
#define OP(NAME)                                                            \
  static inline __attribute__((always_inline, unused)) void vop_##NAME(     \
      mw_aot_ctx *ctx_, char *frp_, mw_aot_slot *fp, const uint32_t *pc,    \
      uint8_t *mem, uint64_t memsize)
#define NEXT(n)                              \
  do {                                       \
    (void)ctx_, (void)frp_, (void)mem;       \
    (void)memsize, (void)fp, (void)pc;       \
    return;                                  \
  } while (0)
#define SLOT(i) fp[pc[i]]
#define MW_UNLIKELY(x) UNLIKELY(x)
/* v128 globals keep a module in the interpreter: their handlers are
 * compiled against this stand-in and never called. */
struct mw_aot_no_global { uint8_t value_v128[16]; };
struct mw_aot_no_inst { struct mw_aot_no_global **globals; };
#define inst ((struct mw_aot_no_inst *)0)

#else /* the second paste */

#undef OP
#undef NEXT
#undef SLOT
#undef inst
#undef TRAP
#define TRAP(code) (SYNC(), c->rt->trap(c, MW_AOT_TRAP_##code))

/* A v128 constant from its two 64-bit halves (low first). */
#define V128C(lo, hi) ((mw_v128){.u64 = {(lo), (hi)}})

#endif
