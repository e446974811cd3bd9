/*
 * aot_ops.h -- the helpers generated code is written with.  Pasted into
 * every generated C file after aot_abi.h and the runtime's numeric.h (the
 * very same numeric semantics as the interpreter: traps, NaN bits,
 * rounding).  Generated functions keep in locals:
 *   c   the instance's mw_aot_ctx
 *   M   memory 0's base, MS its size in bytes (reloaded after calls and
 *       memory.grow: RELOAD())
 *   fr_ its frame record on the store's frame stack (a parameter)
 */
#ifndef MW_AOT_OPS_H
#define MW_AOT_OPS_H

#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "moonwasm AOT: big-endian targets are not supported"
#endif

typedef void *mw_aot_ref;

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
/* The index of frame record p; SYNC() makes s->nframes count the frames
 * up to this function's, before anything out of native code may read it. */
#define FIDX(p) ((uint32_t)((size_t)((p) - *c->frames) / MW_FRAME_SIZE))
#define SYNC() (*c->nframes = FIDX(fr_) + 1u)
/* A callee's frame record: the next one. */
#define FR1 (fr_ + MW_FRAME_SIZE)
#define TRAP(code) (SYNC(), c->rt->trap(c, MW_AOT_TRAP_##code))

#define RELOAD()                                     \
  do {                                               \
    if (c->mem) { M = *c->mem; MS = *c->memsize; }   \
  } while (0)

/* Host control (interrupt, deadline, fuel), polled like the interpreter
 * does: at every call and every branch back to a loop.  The word's address
 * is read from c each time rather than kept in a local: a register held
 * through the whole function costs more on calls (fib: ~10%) than the
 * extra load on a loop's back edge. */
#define POLL()                                  \
  do {                                          \
    if (UNLIKELY(*c->poll)) {                   \
      SYNC();                                   \
      c->rt->poll(c);                           \
    }                                           \
  } while (0)

/* After a call: only if some call can grow memory (MW_MAY_GROW, set by
 * the translator for the module). */
#define RELOAD_CALL()                  \
  do {                                 \
    if (MW_MAY_GROW) RELOAD();         \
  } while (0)

/* The C stack pointer, read without making the function keep a frame
 * pointer (which __builtin_frame_address(0) does, at a cost on every call). */
#if defined(__x86_64__)
#define SP() ({ uintptr_t sp_; __asm__("mov %%rsp, %0" : "=r"(sp_)); sp_; })
#elif defined(__aarch64__)
#define SP() ({ uintptr_t sp_; __asm__("mov %0, sp" : "=r"(sp_)); sp_; })
#else
#define SP() ((uintptr_t)__builtin_frame_address(0))
#endif

/* Entry of defined function number D (of this module): the call depth
 * limit (the interpreter's max_call_depth, checked as its calls do) and the
 * native budget of C stack below the limit mw_aot_enter set; then the
 * function names itself in its frame record, so that a trap's backtrace
 * lists it (nothing but backtraces and profiles read a native frame). */
#define ENTER(D)                                                             \
  do {                                                                       \
    if (UNLIKELY(fr_ >= c->frames_end ||                                     \
                 SP() < c->stack_limit)) {                                    \
      *c->nframes = FIDX(fr_);                                               \
      c->rt->trap(c, MW_AOT_TRAP_CALL_STACK);                                \
    }                                                                        \
    *(void **)(fr_ + MW_FRAME_FUNC) = c->own + (size_t)(D) * MW_FUNC_SIZE;   \
    GUARD_ENTER();                                                           \
    POLL();                                                                  \
  } while (0)
/* Exit: an empty volatile asm on every return path, so that no call is in
 * tail position.  Otherwise the C compiler may turn recursion into a loop
 * (tail recursion, even with an accumulator: 1 + f(x)), and a runaway
 * recursion that wasm must trap on would never end. */
#define LEAVE() do { GUARD_LEAVE(); __asm__ __volatile__(""); } while (0)

#if MW_AOT_GUARD
/* Memory 0 is a reservation of 8 GiB + 64 KiB (vmem.h) whose pages past
 * its size are inaccessible: a 32-bit address plus a 32-bit offset plus
 * the access size always lands in it, so the MMU checks the bounds and
 * aot_rt.c's fault handler raises the trap.  For its backtrace, c->cur_fr
 * names the innermost native function's frame record at every moment. */
#define GUARD_ENTER() (c->cur_fr = fr_)
#define GUARD_LEAVE() (c->cur_fr = fr_ - MW_FRAME_SIZE)
#define EA(addr, off, n) ((uint64_t)(uint32_t)(addr) + (uint64_t)(off))
/* A load whose value is never used must still fault: an empty volatile
 * asm takes the loaded value as an operand, in a register of its own type
 * (no widening, no move), so the C compiler keeps the load. */
#define KEEPR(v) __asm__ __volatile__("" : : "r"(v))
#if defined(__x86_64__)
#define KEEPF(v) __asm__ __volatile__("" : : "x"(v))
#else
#define KEEPF(v) __asm__ __volatile__("" : : "w"(v))
#endif
#else
#define KEEPR(v) ((void)0)
#define KEEPF(v) ((void)0)
#define GUARD_ENTER() ((void)0)
#define GUARD_LEAVE() ((void)0)
/* Effective address check: addr (32-bit) + offset + size within memory. */
#define EA(addr, off, n)                                              \
  ({ uint64_t ea_ = (uint64_t)(uint32_t)(addr) + (uint64_t)(off);     \
     if (UNLIKELY(ea_ + (n) > MS)) TRAP(OOB_MEMORY);                  \
     ea_; })
#endif

#define LD(T, addr, off) ({ T v_; memcpy(&v_, M + EA(addr, off, sizeof(T)), sizeof(T)); KEEPR(v_); v_; })
#define LDF(T, addr, off) ({ T v_; memcpy(&v_, M + EA(addr, off, sizeof(T)), sizeof(T)); KEEPF(v_); v_; })
#define ST(T, addr, off, val) do { T v_ = (T)(val); memcpy(M + EA(addr, off, sizeof(T)), &v_, sizeof(T)); } while (0)

static inline float mw_aot_ldf32(const uint8_t *p) { float f; memcpy(&f, p, 4); return f; }
static inline double mw_aot_ldf64(const uint8_t *p) { double d; memcpy(&d, p, 8); return d; }

#define F32C(bits) mw_f32_from_bits(bits)
#define F64C(bits) mw_f64_from_bits(bits)

static inline uint32_t i32_div_s(mw_aot_ctx *c, char *fr_, uint32_t a, uint32_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  if (UNLIKELY(mw_i32_div_s_overflows((int32_t)a, (int32_t)b))) TRAP(INT_OVERFLOW);
  return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t i32_div_u(mw_aot_ctx *c, char *fr_, uint32_t a, uint32_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return a / b;
}
static inline uint32_t i32_rem_s(mw_aot_ctx *c, char *fr_, uint32_t a, uint32_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return (uint32_t)mw_i32_rem_s((int32_t)a, (int32_t)b);
}
static inline uint32_t i32_rem_u(mw_aot_ctx *c, char *fr_, uint32_t a, uint32_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return a % b;
}
static inline uint64_t i64_div_s(mw_aot_ctx *c, char *fr_, uint64_t a, uint64_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  if (UNLIKELY(mw_i64_div_s_overflows((int64_t)a, (int64_t)b))) TRAP(INT_OVERFLOW);
  return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t i64_div_u(mw_aot_ctx *c, char *fr_, uint64_t a, uint64_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return a / b;
}
static inline uint64_t i64_rem_s(mw_aot_ctx *c, char *fr_, uint64_t a, uint64_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return (uint64_t)mw_i64_rem_s((int64_t)a, (int64_t)b);
}
static inline uint64_t i64_rem_u(mw_aot_ctx *c, char *fr_, uint64_t a, uint64_t b) {
  if (UNLIKELY(b == 0)) TRAP(DIV_ZERO);
  return a % b;
}

/* Trapping truncations: the interpreter's checks, the same messages. */
#define TRUNC_FN(NAME, IN, OUT, CT)                                    \
  static inline OUT NAME(mw_aot_ctx *c, char *fr_, IN a) {           \
    mw_trunc_status st_ = mw_##NAME##_check(a);                        \
    if (UNLIKELY(st_ != MW_TRUNC_OK)) {                                \
      if (st_ == MW_TRUNC_NAN) TRAP(INVALID_CONVERSION);               \
      TRAP(INT_OVERFLOW);                                              \
    }                                                                  \
    return (OUT)(CT)a;                                                 \
  }
TRUNC_FN(i32_trunc_f32_s, float, uint32_t, int32_t)
TRUNC_FN(i32_trunc_f32_u, float, uint32_t, uint32_t)
TRUNC_FN(i32_trunc_f64_s, double, uint32_t, int32_t)
TRUNC_FN(i32_trunc_f64_u, double, uint32_t, uint32_t)
TRUNC_FN(i64_trunc_f32_s, float, uint64_t, int64_t)
TRUNC_FN(i64_trunc_f32_u, float, uint64_t, uint64_t)
TRUNC_FN(i64_trunc_f64_s, double, uint64_t, int64_t)
TRUNC_FN(i64_trunc_f64_u, double, uint64_t, uint64_t)

/* Float operations on bit patterns (NaN payloads untouched). */
static inline float f32_abs(float a) { return F32C(mw_f32_abs(mw_f32_bits(a))); }
static inline float f32_neg(float a) { return F32C(mw_f32_neg(mw_f32_bits(a))); }
static inline float f32_copysign(float a, float b) {
  return F32C(mw_f32_copysign(mw_f32_bits(a), mw_f32_bits(b)));
}
static inline double f64_abs(double a) { return F64C(mw_f64_abs(mw_f64_bits(a))); }
static inline double f64_neg(double a) { return F64C(mw_f64_neg(mw_f64_bits(a))); }
static inline double f64_copysign(double a, double b) {
  return F64C(mw_f64_copysign(mw_f64_bits(a), mw_f64_bits(b)));
}
static inline float f32_demote(double a) { return F32C(mw_f32_demote_f64(mw_f64_bits(a))); }
static inline double f64_promote(float a) { return F64C(mw_f64_promote_f32(mw_f32_bits(a))); }

/* table.get / table.set (4.4.6): bounds-checked element access. */
static inline void *table_get(mw_aot_ctx *c, char *fr_, uint32_t t, uint32_t i) {
  if (UNLIKELY(i >= *c->tab[t].size)) TRAP(OOB_TABLE);
  return (*c->tab[t].elems)[i].ref;
}
static inline void table_set(mw_aot_ctx *c, char *fr_, uint32_t t, uint32_t i, void *v) {
  if (UNLIKELY(i >= *c->tab[t].size)) TRAP(OOB_TABLE);
  (*c->tab[t].elems)[i].ref = v;
}

#endif
