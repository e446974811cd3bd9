/*
 * exec.c -- the interpreter: runs the code compile.c emits (ir.h).
 *
 * One function, run(), executes every instruction.  Its dispatch macros
 * compile to directly threaded code (computed goto, one indirect jump at
 * the end of each handler, to the handler whose word the code holds: ir.h
 * mwx_handler_words) or, with MW_USE_SWITCH=1, to a portable switch.  The hot
 * state lives in locals: pc, fp (the frame's slots), the running instance
 * and the base and size of its memory 0.  The memory pair is reloaded after
 * anything that can grow memory or switch instance: calls, returns, host
 * calls and memory.grow.
 *
 * Calls never recurse in C.  The store's frame stack (s->frames) records
 * each activation; CALL pushes, RETURN pops.  A host function may call back
 * into wasm through mwx_call, which then runs a nested run() above the live
 * frames (s->nframes) and above the live slots (s->stack_top), and restores
 * both on every exit.  Nothing longjmps: every failure is returned.
 *
 * Slow paths (host calls, bulk memory and table operations, building trap
 * errors) are out of line; all traps leave through one exit.
 */
#include <stdlib.h>

#include "internal.h"
#include "numeric.h"
#include "simd.h"

#if defined(__GNUC__)
#define MW_LIKELY(x) __builtin_expect(!!(x), 1)
#define MW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define MW_LIKELY(x) (x)
#define MW_UNLIKELY(x) (x)
#endif

/* Wasm memory is little-endian (spec 4.2.8).  On a big-endian host every
 * load and store swaps its bytes; elsewhere MW_LE is the identity. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static inline uint8_t mw_bswap8(uint8_t v) { return v; }
static inline uint16_t mw_bswap16(uint16_t v) {
  return (uint16_t)((v >> 8) | (v << 8));
}
static inline uint32_t mw_bswap32(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}
static inline uint64_t mw_bswap64(uint64_t v) {
  return ((uint64_t)mw_bswap32((uint32_t)v) << 32) | mw_bswap32((uint32_t)(v >> 32));
}
#define MW_LE(v)                                                      \
  _Generic((v), uint8_t: mw_bswap8, uint16_t: mw_bswap16,             \
           uint32_t: mw_bswap32, uint64_t: mw_bswap64)(v)
#else
#define MW_LE(v) (v)
#endif

/* ---------------------------------------------------------------- trap errors */

/* A backtrace keeps the innermost and the outermost frames of a deep stack:
 * a trap 10000 calls deep must not build a 10000-entry error. */
#define MW_BACKTRACE_INNER 32
#define MW_BACKTRACE_OUTER 32

/* Errors are freed by error.c with free(), so their parts use malloc. */
static char *copy_bytes(const char *p, size_t len) {
  char *c = malloc(len + 1);
  if (!c) return NULL;
  if (len) memcpy(c, p, len);
  c[len] = '\0';
  return c;
}

static void describe_frame(const mw_func *f, mw_frame_info *out) {
  const mw_module *m = f->inst->module;
  size_t len = 0;
  const char *name = mwm_func_label(m, f->index, &len);
  memset(out, 0, sizeof *out);
  out->func_index = f->index;
  if (name && (out->func_name = copy_bytes(name, len)) != NULL)
    out->func_name_len = len;
  if (m->module_name.ptr &&
      (out->module_name = copy_bytes(m->module_name.ptr, m->module_name.len)))
    out->module_name_len = m->module_name.len;
  if (f->index >= m->nfunc_imports)
    out->code_offset = m->codes[f->index - m->nfunc_imports].offset;
}

/* Frames first .. s->nframes-1 of the store's stack, innermost first.  A
 * backtrace that cannot be allocated is simply left empty. */
static void attach_backtrace(mw_error *e, const mw_store *s, uint32_t first) {
  const uint32_t keep = MW_BACKTRACE_INNER + MW_BACKTRACE_OUTER;
  uint32_t total = s->nframes - first;
  uint32_t n = total > keep ? keep : total;
  if (n == 0) return;
  e->frames = calloc(n, sizeof *e->frames);
  if (!e->frames) return;
  for (uint32_t k = 0; k < n; k++) {
    /* k counts from the innermost frame; past the inner part of a cut
     * backtrace, jump to the outermost frames. */
    uint32_t depth = (n == total || k < MW_BACKTRACE_INNER) ? k : total - (n - k);
    describe_frame(s->frames[s->nframes - 1 - depth].func, &e->frames[k]);
  }
  e->nframes = n;
}

/* `index` >= 0 is appended to the message, as the reference interpreter
 * does for element traps ("uninitialized element 2"). */
static mw_error *trap_error(const mw_store *s, uint32_t first_frame,
                            mw_error_kind kind, const char *message,
                            int64_t index) {
  mw_error *e = index < 0 ? mw_errorf(kind, "%s", message)
                          : mw_errorf(kind, "%s %lld", message, (long long)index);
  if (!e->is_static) attach_backtrace(e, s, first_frame);
  return e;
}

/* ---------------------------------------------------------------- host calls */

/* Signatures up to this many values convert on the C stack. */
#define MW_HOST_INLINE_VALUES 16

/* Call host function `f` with its parameters in slots[0 .. nparams-1]; its
 * results replace them in slots[0 .. nresults-1].  `caller_inst` is the
 * calling wasm instance, NULL when called from C.  A host error is returned
 * as is: it belongs to the host and travels to the outermost caller. */
static mw_error *call_host(mw_store *s, mw_instance *caller_inst, mw_func *f,
                           mw_slot *slots) {
  if (f->host_raw) { /* moonwasm.h: raw values, nothing to convert */
    mw_caller caller = {s, caller_inst, NULL};
    return f->host_raw(&caller, slots, f->userdata);
  }
  const mw_functype *t = f->type;
  size_t n = (size_t)t->nparams + t->nresults;
  mw_val inline_vals[MW_HOST_INLINE_VALUES];
  mw_val *vals = inline_vals;
  if (n > MW_HOST_INLINE_VALUES) {
    vals = mw_alloc(&s->alloc, n * sizeof *vals);
    if (!vals) return mw_error_oom();
  }
  mw_val *args = vals, *results = vals + t->nparams;
  mw_vals_from_slots(MW_FT_PARAMS(t), t->nparams, slots, args);
  mwt_classify(t->module, MW_FT_PARAMS(t), t->nparams, args);
  /* Typed zeros: a host that forgets a result yields 0, not stack garbage. */
  for (uint32_t i = 0; i < t->nresults; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].type = mwt_class(t->module, MW_FT_RESULTS(t)[i]);
  }
  mw_caller caller = {s, caller_inst, NULL};
  mw_error *err = f->host(&caller, args, results, f->userdata);
  /* A result of the wrong type would reach wasm as a bogus value -- for a
   * funcref, a pointer the interpreter would later call through. */
  for (uint32_t i = 0; !err && i < t->nresults; i++) {
    mw_valtype want = (mw_valtype)MW_FT_RESULTS(t)[i];
    const char *why = mwt_host_value_check(t->module, want, results[i]);
    if (why)
      err = mwt_host_value_error(MW_ERR_HOST, "host function result", i + 1,
                                 why, want, results[i]);
  }
  if (!err) mw_slots_from_vals(results, t->nresults, slots);
  if (vals != inline_vals) mw_free(&s->alloc, vals, n * sizeof *vals);
  return err;
}

/* A host call made by wasm code: the host may re-enter wasm, and the nested
 * run must start above every live slot of the calling frame. */
static mw_error *call_host_from_wasm(mw_store *s, mw_instance *inst,
                                     mw_func *f, mw_slot *args,
                                     mw_slot *frame_end, const mw_word *pc) {
  mw_slot *saved_top = s->stack_top;
  s->stack_top = frame_end;
  /* gc.c: the calling frame resumes at pc (NULL: a tail call, the frame is
   * dead); a collection inside the host finds its references there. */
  mw_gc_hostcall gc_rec;
  mwgc_hostcall_push(s, &gc_rec, s->frames, s->nframes - 1, pc);
  /* hostctl: host time (mw_store_time_host), outermost host calls only */
  bool timed = MW_UNLIKELY(s->time_host) && s->host_timing++ == 0;
  if (timed) s->host_t0 = mwx_now_ns();
  mw_error *err = call_host(s, inst, f, args);
  if (MW_UNLIKELY(s->time_host || s->host_timing)) {
    if (timed) s->host_ns += mwx_now_ns() - s->host_t0;
    if (s->host_timing) s->host_timing--;
  }
  mwgc_hostcall_pop(s, &gc_rec);
  s->stack_top = saved_top;
  /* hostctl: a host's error unwinds these frames: it shows them. */
  if (MW_UNLIKELY(err != NULL) && err != &mwx_suspended)
    mwx_add_backtrace(err, s, 0);
  return err;
}

/* ---------------------------------------------------------------- bulk memory and tables */

/* Wasm 2.0 bulk operations check the whole range before touching anything
 * (spec 4.4.7, 4.4.6): no partial writes.  Ranges are summed in 64 bits so
 * s + n cannot wrap.  Each returns NULL or the trap message. */

static const char *memory_init(mw_instance *inst, uint32_t dataidx,
                               uint32_t d, uint32_t src, uint32_t n) {
  const mw_data *seg = &inst->module->datas[dataidx];
  /* A dropped segment behaves as an empty one (4.4.7 data.drop). */
  uint64_t seglen = inst->data_dropped[dataidx] ? 0 : seg->len;
  mw_memory *m = inst->mem0;
  if ((uint64_t)src + n > seglen || (uint64_t)d + n > m->size)
    return MW_MSG_OOB_MEMORY;
  if (n) memcpy(m->data + d, seg->bytes + src, n);
  return NULL;
}

static const char *memory_copy(mw_memory *m, uint32_t d, uint32_t src,
                               uint32_t n) {
  if ((uint64_t)src + n > m->size || (uint64_t)d + n > m->size)
    return MW_MSG_OOB_MEMORY;
  if (n) memmove(m->data + d, m->data + src, n); /* ranges may overlap */
  return NULL;
}

static const char *memory_fill(mw_memory *m, uint32_t d, uint32_t val,
                               uint32_t n) {
  if ((uint64_t)d + n > m->size) return MW_MSG_OOB_MEMORY;
  if (n) memset(m->data + d, (int)(val & 0xFFu), n);
  return NULL;
}

static const char *table_init(mw_instance *inst, uint32_t tableidx,
                              uint32_t elemidx, uint32_t d, uint32_t src,
                              uint32_t n) {
  mw_table *t = inst->tables[tableidx];
  const mw_elem_inst *seg = &inst->elems[elemidx]; /* count 0 once dropped */
  if ((uint64_t)src + n > seg->count || (uint64_t)d + n > t->size)
    return MW_MSG_OOB_TABLE;
  if (n) memcpy(t->elems + d, seg->refs + src, n * sizeof *t->elems);
  return NULL;
}

static const char *table_copy(mw_table *dst, mw_table *srct, uint32_t d,
                              uint32_t src, uint32_t n) {
  if ((uint64_t)src + n > srct->size || (uint64_t)d + n > dst->size)
    return MW_MSG_OOB_TABLE;
  if (n) memmove(dst->elems + d, srct->elems + src, n * sizeof *dst->elems);
  return NULL;
}

static const char *table_fill(mw_table *t, uint32_t i, mw_slot val,
                              uint32_t n) {
  if ((uint64_t)i + n > t->size) return MW_MSG_OOB_TABLE;
  for (uint32_t k = 0; k < n; k++) t->elems[i + k] = val;
  return NULL;
}

/* ---------------------------------------------------------------- frames */

/* Declared locals start at zero (4.4.10 invocation).  Most functions have
 * a few: gcc would turn the loop into a memset call, which costs more than
 * the stores; the empty asm keeps it a loop (issue 13: calls). */
static inline void zero_locals(mw_slot *p, uint32_t n) {
  if (n > 8) {
    memset(p, 0, n * sizeof *p);
    return;
  }
  for (uint32_t i = 0; i < n; i++) {
    p[i].u64 = 0;
#if defined(__GNUC__)
    __asm__ volatile("");
#endif
  }
}

/* ---------------------------------------------------------------- dispatch */

/* OP(NAME) starts the handler of MW_OP_NAME; NEXT(n) skips the n words of
 * the current instruction and dispatches the next one. */
#if MW_USE_SWITCH
#define OP(NAME) case MW_OP_##NAME:
#define DISPATCH() goto dispatch
#define DISPATCH_BEGIN dispatch: switch ((mw_opcode)*pc) {
#define DISPATCH_END default: goto bad_code; }
#else
#define OP(NAME) op_##NAME:
#define DISPATCH() goto *(const void *)(handler_base + *pc) /* ir.h */
#define DISPATCH_BEGIN DISPATCH();
#define DISPATCH_END
#endif
#define NEXT(n)  \
  do {           \
    pc += (n);   \
    DISPATCH();  \
  } while (0)

/* BR_TABLE's stubs, one per index below MW_BR_STUBS (see there).  Not
 * more: from 22 stubs on GCC 12 stopped keeping mem and memsize in
 * registers across run() (ir_move.h's hazard: `(%rsp)` 869 -> 1,898; with
 * 64 stubs fib, crc32 and nbody ran 6 to 25% slower), so 16 also leaves
 * a margin for handlers added later. */
#define MW_BR_STUBS 16
#define MW_BR_STUB_INDICES(X) \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

/* Operand word i of the current instruction, as a slot of the frame. */
#define SLOT(i) fp[pc[i]]
#define TRAP(message)      \
  do {                     \
    trap_msg = (message);  \
    goto trap;             \
  } while (0)
#define TRAP_AT(message, index) \
  do {                          \
    trap_index = (index);       \
    TRAP(message);              \
  } while (0)

/* call_indirect and return_call_indirect (4.4.8): op typeidx tableidx
 * elem argbase.  Sets `callee` to the table entry, trapping as the spec
 * words it; same module means the very same type object, else the types
 * are compared structurally. */
#define INDIRECT_CALLEE()                                                      \
  do {                                                                         \
    const mw_table *t_ = inst->tables[pc[2]];                                  \
    uint32_t i_ = SLOT(3).u32;                                                 \
    if (MW_UNLIKELY(i_ >= t_->size)) TRAP_AT(MW_MSG_UNDEFINED_ELEMENT, i_);    \
    callee = (mw_func *)t_->elems[i_].ref;                                     \
    if (MW_UNLIKELY(callee == NULL)) TRAP_AT(MW_MSG_UNINITIALIZED_ELEMENT, i_); \
    const mw_functype *want_ = inst->module->types[pc[1]];                     \
    if (MW_UNLIKELY(callee->type != want_ && !mw_deftype_sub(callee->type, want_)))  \
      TRAP(MW_MSG_INDIRECT_MISMATCH);                                          \
  } while (0)

/* A call, the common case inline: a wasm function of this instance, with
 * room for its frame and nothing to poll.  Anything else (a host or
 * native callee, another instance, a limit reached, an armed poll word)
 * goes to `invoke`, which sorts it out.  LEN: the call's length in words
 * (pc + LEN is the return address). */
#define CALL_FAST(F, ARGBASE, LEN)                                              \
  do {                                                                          \
    mw_func *f_ = (F);                                                          \
    const mw_compiled *cc_ = f_->code;                                          \
    mw_slot *nfp_ = fp + (ARGBASE);                                             \
    uint32_t n_ = s->nframes;                                                   \
    if (MW_UNLIKELY(f_->inst != inst || f_->host != NULL || f_->aot_wrap != NULL || \
                    n_ >= s->cfg.max_call_depth ||                              \
                    (size_t)(s->stack_end - nfp_) < cc_->max_slots ||           \
                    atomic_load_explicit(&s->poll, memory_order_relaxed))) {    \
      callee = f_;                                                              \
      argbase = (ARGBASE);                                                      \
      pc += (LEN);                                                              \
      goto invoke;                                                              \
    }                                                                           \
    mw_frame *fr_ = &frames[n_];                                                \
    s->nframes = n_ + 1;                                                        \
    fr_->ret_pc = pc + (LEN);                                                   \
    fr_->fp = nfp_;                                                             \
    fr_->func = f_;                                                             \
    fr_->ret_fp = fp;                                                           \
    fr_->ret_code = code;                                                       \
    fr_->ret_inst = inst;                                                       \
    zero_locals(nfp_ + cc_->nparams, cc_->nlocals - cc_->nparams);              \
    fp = nfp_;                                                                  \
    code = f_->entry;                                                           \
    pc = code;                                                                  \
    DISPATCH();                                                                 \
  } while (0)

/* The cached view of memory 0: an instance without memory never runs a
 * memory instruction (validation), so size 0 is only a placeholder. */
#define RELOAD_MEMORY()                     \
  do {                                      \
    const mw_memory *m0_ = inst->mem0;      \
    mem = m0_ ? m0_->data : NULL;           \
    memsize = m0_ ? (uint64_t)m0_->size : 0; \
  } while (0)

/* hostctl: back edges and calls test the store's poll word; only while
 * an interrupt, a deadline or fuel is armed do they take the slow path.
 * The frame's live slots end at fp + max_slots: a refuel callback that
 * re-enters must start above them. */
#define POLL_NOW()                                                         \
  do {                                                                     \
    if (MW_UNLIKELY(atomic_load_explicit(&s->poll, memory_order_relaxed))) { \
      mw_slot *top_ = s->stack_top;                                        \
      s->stack_top = fp + frames[s->nframes - 1].func->code->max_slots;    \
      const char *pm_ = mwx_poll(s, inst->module->metered, &trap_kind);    \
      s->stack_top = top_;                                                 \
      if (pm_) TRAP(pm_);                                                  \
      RELOAD_MEMORY();                                                     \
    }                                                                      \
  } while (0)
/* A taken back edge, pc at its target: POLL(); DISPATCH(); (nothing may
 * come between).  The slow path is one block (poll_then_dispatch) shared
 * by the ~150 back-edge handlers rather than a call in each: every call
 * site in run() weighs on gcc's register allocation, which then keeps
 * pc, fp, acc and the memory view in registers less well (issue 13). */
#define POLL()                                                               \
  do {                                                                       \
    if (MW_UNLIKELY(atomic_load_explicit(&s->poll, memory_order_relaxed)))   \
      goto poll_then_dispatch;                                               \
  } while (0)

/* The opcode families, in the ir.h layouts: UN op dst a; BIN op dst a b;
 * LOAD op dst addr offset; STORE op addr val offset.  T is the C type the
 * operands are read as, IN/OUT the slot members; `expr` uses a (and b). */
/* acc.h: a producer writes its result to SLOT(1) and leaves the same 8
 * bytes in acc; ACC(M) reads acc as slot member M. */
#define PUT(OUT, val)   \
  do {                  \
    mw_slot r_;         \
    r_.u64 = 0;         \
    r_.OUT = (val);     \
    SLOT(1) = r_;       \
    acc = r_.u64;       \
  } while (0)
#define ACC(M) (((mw_slot){.u64 = acc}).M)
/* UN_X and BIN_X: AV, BV are where the operands come from (a slot, or
 * acc for the forms of acc.h). */
#define UN_X(OPNAME, T, IN, OUT, expr, AV) \
  OP(OPNAME) {                             \
    T a = AV;                              \
    PUT(OUT, expr);                        \
    NEXT(3);                               \
  }
#define BIN_X(OPNAME, T, IN, OUT, expr, AV, BV) \
  OP(OPNAME) {                                  \
    T a = AV;                                   \
    T b = BV;                                   \
    PUT(OUT, expr);                             \
    NEXT(4);                                    \
  }
#define UN(NAME, T, IN, OUT, expr) UN_X(NAME, T, IN, OUT, expr, SLOT(2).IN)
#define BIN(NAME, T, IN, OUT, expr) BIN_X(NAME, T, IN, OUT, expr, SLOT(2).IN, SLOT(3).IN)
/* Effective address = base + offset, both u32, summed in 64 bits; the
 * access traps unless all of its bytes are inside memory (4.4.7). */
#define LOAD_X(OPNAME, RAW, OUT, expr, BASE)                        \
  OP(OPNAME) {                                                      \
    uint64_t ea = (uint64_t)(BASE) + pc[3];                         \
    RAW v;                                                          \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    memcpy(&v, mem + ea, sizeof v);                                 \
    v = MW_LE(v);                                                   \
    PUT(OUT, expr);                                                 \
    NEXT(4);                                                        \
  }
#define STORE_X(OPNAME, RAW, IN, VAL)                               \
  OP(OPNAME) {                                                      \
    uint64_t ea = (uint64_t)SLOT(1).u32 + pc[3];                    \
    RAW v = (RAW)(VAL);                                             \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    v = MW_LE(v);                                                   \
    memcpy(mem + ea, &v, sizeof v);                                 \
    NEXT(4);                                                        \
  }
/* The _K forms (ir.h): the address is (a + k) mod 2^32, then + offset. */
#define LOAD_K_X(OPNAME, RAW, OUT, expr, BASE)                      \
  OP(OPNAME) {                                                      \
    uint64_t ea = (uint64_t)(uint32_t)((BASE) + pc[3]) + pc[4];     \
    RAW v;                                                          \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    memcpy(&v, mem + ea, sizeof v);                                 \
    v = MW_LE(v);                                                   \
    PUT(OUT, expr);                                                 \
    NEXT(5);                                                        \
  }
#define STORE_K_X(OPNAME, RAW, IN, VAL)                             \
  OP(OPNAME) {                                                      \
    uint64_t ea = (uint64_t)(uint32_t)(SLOT(1).u32 + pc[3]) + pc[4]; \
    RAW v = (RAW)(VAL);                                             \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    v = MW_LE(v);                                                   \
    memcpy(mem + ea, &v, sizeof v);                                 \
    NEXT(5);                                                        \
  }
#define LOAD(NAME, RAW, OUT, expr) LOAD_X(NAME, RAW, OUT, expr, SLOT(2).u32)
#define STORE(NAME, RAW, IN) STORE_X(NAME, RAW, IN, SLOT(2).IN)
#define LOAD_K(NAME, RAW, OUT, expr) LOAD_K_X(NAME##_K, RAW, OUT, expr, SLOT(2).u32)
#define STORE_K(NAME, RAW, IN) STORE_K_X(NAME##_K, RAW, IN, SLOT(2).IN)
/* The superinstructions of ir.h: a binary with a constant right operand
 * (op dst a imm; sign-extended for i64) and the fused i32 compare-and-
 * branch forms (op a b target, op a imm target). */
#define BIN_IMM(NAME, T, IN, OUT, expr) \
  BIN_X(IMM_##NAME, T, IN, OUT, expr, SLOT(2).IN, (T)(int32_t)pc[3])
#define BR_CMP(NAME, T, IN, expr, NEG) \
  OP(BR_##NAME) {                      \
    T a = SLOT(1).IN;                  \
    T b = SLOT(2).IN;                  \
    if (expr) {                        \
      pc = code + pc[3];               \
      DISPATCH();                      \
    }                                  \
    NEXT(4);                           \
  }                                    \
  OP(BRI_##NAME) {                     \
    T a = SLOT(1).IN;                  \
    T b = (T)(int32_t)pc[2];           \
    if (expr) {                        \
      pc = code + pc[3];               \
      DISPATCH();                      \
    }                                  \
    NEXT(4);                           \
  }

#define BR_CMP_LOOP(NAME, T, IN, expr, NEG) \
  OP(BR_##NAME##_LOOP) {                    \
    T a = SLOT(1).IN;                       \
    T b = SLOT(2).IN;                       \
    if (expr) {                             \
      pc = code + pc[3];                    \
      POLL();                               \
      DISPATCH();                           \
    }                                       \
    NEXT(4);                                \
  }                                         \
  OP(BRI_##NAME##_LOOP) {                   \
    T a = SLOT(1).IN;                       \
    T b = (T)(int32_t)pc[2];                \
    if (expr) {                             \
      pc = code + pc[3];                    \
      POLL();                               \
      DISPATCH();                           \
    }                                       \
    NEXT(4);                                \
  }

/* Fused forms (ir.h): an i32 add of an immediate, then a compare-and-
 * branch on any two operands (read after the add's write).  POLL_LOOP is
 * POLL() for the back-edge forms and nothing for the others. */
#define ADDBR_ONE(OPNAME, T, IN, expr, BVAL, POLL_LOOP) \
  OP(OPNAME) {                                        \
    SLOT(1).u32 = SLOT(2).u32 + pc[3];                \
    T a = SLOT(4).IN;                                 \
    T b = BVAL;                                       \
    if (expr) {                                       \
      pc = code + pc[6];                              \
      POLL_LOOP;                                      \
      DISPATCH();                                     \
    }                                                 \
    NEXT(7);                                          \
  }
#define ADDBR_CMP(NAME, T, IN, expr, NEG)                                 \
  ADDBR_ONE(ADDBR_##NAME, T, IN, expr, SLOT(5).IN, (void)0)               \
  ADDBR_ONE(ADDBRI_##NAME, T, IN, expr, (T)(int32_t)pc[5], (void)0)       \
  ADDBR_ONE(ADDBR_##NAME##_LOOP, T, IN, expr, SLOT(5).IN, POLL())         \
  ADDBR_ONE(ADDBRI_##NAME##_LOOP, T, IN, expr, (T)(int32_t)pc[5], POLL())

/* IB_ forms (ir.h): op d a k b, d = (a e1 k) e2 b; the intermediate
 * stays in a register. */
#define IMM_BIN_FUSED(N1, N2, T, M, e1, e2) \
  OP(IB_##N1##__##N2) {                     \
    T t_;                                   \
    {                                       \
      T a = SLOT(2).M;                      \
      T b = (T)(int32_t)pc[3];              \
      t_ = (e1);                            \
    }                                       \
    {                                       \
      T a = t_;                             \
      T b = SLOT(4).M;                      \
      PUT(M, e2);                           \
    }                                       \
    NEXT(5);                                \
  }

/* Trapping float -> int truncation: CHECK names the trap, if any. */
#define TRUNC(NAME, T, IN, OUT, CT, CHECK)                           \
  OP(NAME) {                                                         \
    T a = SLOT(2).IN;                                                \
    mw_trunc_status st = CHECK(a);                                   \
    if (MW_UNLIKELY(st != MW_TRUNC_OK))                              \
      TRAP(st == MW_TRUNC_NAN ? MW_MSG_INVALID_CONVERSION : MW_MSG_INT_OVERFLOW); \
    SLOT(1).OUT = (CT)a;                                             \
    NEXT(3);                                                         \
  }

/* ir.h: each opcode's handler word, filled once by run(NULL, ...). */
#if !MW_USE_SWITCH
static uint32_t handler_words[MW_OP__COUNT];
static pthread_once_t handler_words_once = PTHREAD_ONCE_INIT;
#endif

/* One copy of run(): code holds offsets from its labels (ir.h), so GCC
 * must not clone or inline it into copies laid out differently. */
#if defined(__GNUC__) && !defined(__clang__)
#define MW_ONE_COPY __attribute__((noinline, noclone))
#else
#define MW_ONE_COPY __attribute__((noinline))
#endif

/* Run the frame on top of s->frames until the frame numbered `entry`
 * returns.  Results are then in that frame's slots 0 .. nresults-1.
 * With s NULL it only fills handler_words. */
MW_ONE_COPY
static mw_error *run(mw_store *s, uint32_t entry, const mw_word *resume_pc) {
#if !MW_USE_SWITCH
  /* Built from the opcode table, so it cannot drift from the enum; a
   * missing handler is a missing label, hence a compile error.  Rows of
   * kind NYI are never compiled: their entries go to bad_code.  Only the
   * handler words are made from it; dispatch adds a word to handler_base. */
  static const void *const labels[MW_OP__COUNT] = {
#define MW_LABEL_SPEC(NAME) &&op_##NAME
#define MW_LABEL_UN(NAME) &&op_##NAME
#define MW_LABEL_BIN(NAME) &&op_##NAME
#define MW_LABEL_LOAD(NAME) &&op_##NAME
#define MW_LABEL_STORE(NAME) &&op_##NAME
#define MW_LABEL_NYI(NAME) &&bad_code
#define MW_X_LABEL(NAME, text, prefix, code, kind, ...) [MW_OP_##NAME] = MW_LABEL_##kind(NAME),
      MW_OPCODES(MW_X_LABEL)
#undef MW_X_LABEL
      [MW_OP_COPY] = &&op_COPY,
      [MW_OP_JUMP] = &&op_JUMP,
      [MW_OP_JUMP_IF] = &&op_JUMP_IF,
      [MW_OP_JUMP_UNLESS] = &&op_JUMP_UNLESS,
      [MW_OP_METER] = &&op_METER,
      [MW_OP_COPY_V128] = &&op_COPY_V128,
      [MW_OP_SELECT_V128] = &&op_SELECT_V128,
      [MW_OP_GLOBAL_GET_V128] = &&op_GLOBAL_GET_V128,
      [MW_OP_GLOBAL_SET_V128] = &&op_GLOBAL_SET_V128,
#define MW_X_LABEL(NAME, ...) [MW_OP_IMM_##NAME] = &&op_IMM_##NAME,
      MW_IMM_BINOPS(MW_X_LABEL)
#undef MW_X_LABEL
#define MW_X_LABEL(NAME, ...) [MW_OP_BR_##NAME] = &&op_BR_##NAME, [MW_OP_BRI_##NAME] = &&op_BRI_##NAME,
      MW_BR_CMPS(MW_X_LABEL)
#undef MW_X_LABEL
      [MW_OP_MEMORY_USE] = &&op_MEMORY_USE,
      [MW_OP_EA64] = &&op_EA64,
      [MW_OP_MEMORY_SIZEX] = &&op_MEMORY_SIZEX,
      [MW_OP_MEMORY_GROWX] = &&op_MEMORY_GROWX,
      [MW_OP_MEMORY_INITX] = &&op_MEMORY_INITX,
      [MW_OP_MEMORY_COPYX] = &&op_MEMORY_COPYX,
      [MW_OP_MEMORY_FILLX] = &&op_MEMORY_FILLX,
      [MW_OP_CLAMP32] = &&op_CLAMP32,
      [MW_OP_GROW64] = &&op_GROW64,
      [MW_OP_JUMP_LOOP] = &&op_JUMP_LOOP,
      [MW_OP_JUMP_IF_LOOP] = &&op_JUMP_IF_LOOP,
      [MW_OP_JUMP_UNLESS_LOOP] = &&op_JUMP_UNLESS_LOOP,
      [MW_OP_BR_TABLE_LOOP] = &&op_BR_TABLE_LOOP,
#define MW_X_LABEL(NAME, ...) [MW_OP_BR_##NAME##_LOOP] = &&op_BR_##NAME##_LOOP, [MW_OP_BRI_##NAME##_LOOP] = &&op_BRI_##NAME##_LOOP,
      MW_BR_CMPS(MW_X_LABEL)
#undef MW_X_LABEL
#define MW_X_LABEL(NAME, ...) [MW_OP_ADDBR_##NAME] = &&op_ADDBR_##NAME, \
      [MW_OP_ADDBRI_##NAME] = &&op_ADDBRI_##NAME,                         \
      [MW_OP_ADDBR_##NAME##_LOOP] = &&op_ADDBR_##NAME##_LOOP,             \
      [MW_OP_ADDBRI_##NAME##_LOOP] = &&op_ADDBRI_##NAME##_LOOP,
      MW_BR_CMPS(MW_X_LABEL)
#undef MW_X_LABEL
#define MW_X_LABEL(NAME, ...) [MW_OP_##NAME##_K] = &&op_##NAME##_K,
      MW_LOAD_OPS(MW_X_LABEL)
      MW_STORE_OPS(MW_X_LABEL)
#undef MW_X_LABEL
#define MW_X_LABEL(N1, N2, ...) [MW_OP_IB_##N1##__##N2] = &&op_IB_##N1##__##N2,
      MW_IMM_BIN_FUSED(MW_X_LABEL)
#undef MW_X_LABEL
#define MW_ACC_F(NAME) [MW_OP_##NAME] = &&op_##NAME,
      MW_ACC_OPS
#undef MW_ACC_F
      MW_FUSE_LABELS /* ir_fuse.h */
      MW_MOVE_LABELS /* ir_move.h */
      MW_FBR_LABELS /* ir_fbr.h */
      MW_INDEX_LABELS /* ir_index.h */
      MW_WIDE_LABELS /* ir_wide.h */
      [MW_OP_LAZY_COMPILE] = &&op_LAZY_COMPILE,
  };
#undef MW_LABEL_SPEC
#undef MW_LABEL_UN
#undef MW_LABEL_BIN
#undef MW_LABEL_LOAD
#undef MW_LABEL_STORE
#undef MW_LABEL_NYI
  const uintptr_t handler_base = (uintptr_t)&&op_LAZY_COMPILE - MW_HANDLER_BIAS;
  if (MW_UNLIKELY(s == NULL)) {
    for (size_t i = 0; i < MW_OP__COUNT; i++)
      handler_words[i] = (uint32_t)((uintptr_t)labels[i] - handler_base);
    return NULL;
  }
#endif
  mw_frame *const frames = s->frames;
  const mw_frame *top = &frames[s->nframes - 1];
  mw_slot *fp = top->fp;
  mw_instance *inst = top->func->inst;
  const mw_word *code = top->func->code->code;
  /* fiber.c: a suspended fiber resumes after its host call. */
  const mw_word *pc = resume_pc ? resume_pc : code;
  uint8_t *mem;
  uint64_t memsize;
  RELOAD_MEMORY();

  /* Shared by CALL and CALL_INDIRECT (see `invoke`). */
  mw_func *callee = NULL;
  uint32_t argbase = 0;
  const char *trap_msg = NULL;
  int64_t trap_index = -1;
  mw_error_kind trap_kind = MW_ERR_TRAP;
  /* Exception handling: the exception in flight, and a code address in
   * the instruction of the innermost frame that raised it. */
  mw_exn *exn = NULL;
  const mw_word *exn_at = NULL;
  mw_error *host_err = NULL;
  /* acc.h: what the last producer wrote to its dst slot. */
  uint64_t acc = 0;

  DISPATCH_BEGIN

  /* ------------------------------------------------ control */

  OP(UNREACHABLE) { TRAP(MW_MSG_UNREACHABLE); }

  OP(JUMP) {
    pc = code + pc[1];
    DISPATCH();
  }
  OP(JUMP_IF) {
    if (SLOT(1).u32) {
      pc = code + pc[2];
      DISPATCH();
    }
    NEXT(3);
  }
  OP(JUMP_UNLESS) {
    if (!SLOT(1).u32) {
      pc = code + pc[2];
      DISPATCH();
    }
    NEXT(3);
  }
  OP(METER) {
    /* op count cost: statistics, and the store's cost budget */
    s->stats.instructions += pc[1];
    if (MW_UNLIKELY(s->profile != NULL)) mwx_profile_instructions(s, pc[1]);
    s->stats.cost += pc[2];
    if (MW_UNLIKELY(s->cfg.cost_limit && s->stats.cost > s->cfg.cost_limit)) {
      trap_kind = MW_ERR_EXHAUSTION;
      TRAP(MW_MSG_COST_LIMIT);
    }
    if (MW_UNLIKELY(s->stats.instructions > s->fuel_end)) {
      const char *fm = mwx_fuel_out(s, &trap_kind);
      if (fm) TRAP(fm);
    }
    NEXT(3);
  }
  /* hostctl: the back-edge forms (ir.h *_LOOP). */
  OP(JUMP_LOOP) {
    pc = code + pc[1];
    POLL();
    DISPATCH();
  }
  OP(JUMP_IF_LOOP) {
    if (SLOT(1).u32) {
      pc = code + pc[2];
      POLL();
      DISPATCH();
    }
    NEXT(3);
  }
  OP(JUMP_UNLESS_LOOP) {
    if (!SLOT(1).u32) {
      pc = code + pc[2];
      POLL();
      DISPATCH();
    }
    NEXT(3);
  }
  MW_BR_CMPS(BR_CMP_LOOP)
  /* op idx n t0 .. t(n-1) tdefault: an index past the end takes the
   * default, which sits right after the n targets.
   *
   * Threaded, an index below MW_BR_STUBS jumps to a stub of its own, which
   * reads target i from its fixed place.  The new pc then depends on the
   * old one only, not on the index, and the processor predicts the jump
   * to the stub as it predicts a compiled switch: the handlers after the
   * br_table start before the index is known, instead of waiting for it
   * and then for the target read with it, since every operand they read
   * is found through pc (a bytecode interpreter's dispatch loads the
   * index just before: bytecode_vm 288 -> 215 ms, CoreMark +8%).  The
   * back-edge form polls first, with pc at the target as POLL wants. */
  OP(BR_TABLE_LOOP) {
    if (MW_UNLIKELY(atomic_load_explicit(&s->poll, memory_order_relaxed))) {
      uint32_t i = SLOT(1).u32, n = pc[2];
      pc = code + pc[3 + (i < n ? i : n)];
      goto poll_then_dispatch;
    }
    goto br_table;
  }
  OP(BR_TABLE) {
  br_table:;
    uint32_t i = SLOT(1).u32, n = pc[2];
#if !MW_USE_SWITCH
#define MW_X_STUB(K) &&br_stub_##K,
    static const void *const br_stubs[MW_BR_STUBS] = {MW_BR_STUB_INDICES(MW_X_STUB)};
#undef MW_X_STUB
    if (MW_LIKELY(i < n && i < MW_BR_STUBS)) goto *br_stubs[i];
#endif
    pc = code + pc[3 + (i < n ? i : n)];
    DISPATCH();
  }
#if !MW_USE_SWITCH
#define MW_X_STUB(K) \
  br_stub_##K:       \
  pc = code + pc[3 + K]; \
  DISPATCH();
  MW_BR_STUB_INDICES(MW_X_STUB)
#undef MW_X_STUB
#endif

  OP(CALL) {
    mw_func *f = inst->funcs[pc[1]];
    CALL_FAST(f, pc[2], 3);
  }
  OP(CALL_INDIRECT) {
    INDIRECT_CALLEE();
    CALL_FAST(callee, pc[4], 5);
  }
  OP(RETURN) {
    /* Results are already in fp[0 ..]: the caller sees them at its argbase. */
    const mw_frame *fr = &frames[--s->nframes];
    if (fr->ret_pc == NULL) return NULL; /* the entry frame: back to mwx_call */
    pc = fr->ret_pc;
    fp = fr->ret_fp;
    code = fr->ret_code;
    /* Within one instance the memory view is already current: every
     * instruction that can change it reloads it where it runs. */
    if (fr->ret_inst != inst) {
      inst = fr->ret_inst;
      RELOAD_MEMORY();
    }
    DISPATCH();
  }
  /* Tail calls (Wasm 3.0): as CALL and CALL_INDIRECT, but the callee
   * replaces this frame (see `tail_invoke`). */
  OP(RETURN_CALL) {
    callee = inst->funcs[pc[1]];
    argbase = pc[2];
    goto tail_invoke;
  }
  OP(RETURN_CALL_INDIRECT) {
    INDIRECT_CALLEE();
    argbase = pc[4];
    goto tail_invoke;
  }

  /* Typed function references (Wasm 3.0): a call through a reference,
   * whose type validation has checked; only null is left to trap. */
  OP(CALL_REF) {
    callee = (mw_func *)SLOT(2).ref;
    if (MW_UNLIKELY(callee == NULL)) TRAP(MW_MSG_NULL_FUNC_REF);
    argbase = pc[3];
    pc += 4;
    goto invoke;
  }
  OP(RETURN_CALL_REF) {
    callee = (mw_func *)SLOT(2).ref;
    if (MW_UNLIKELY(callee == NULL)) TRAP(MW_MSG_NULL_FUNC_REF);
    argbase = pc[3];
    goto tail_invoke;
  }
  OP(BR_ON_NULL) { /* op ref target: jump if null */
    if (SLOT(1).ref == NULL) {
      pc = code + pc[2];
      DISPATCH();
    }
    NEXT(3);
  }
  OP(BR_ON_NON_NULL) { /* op ref target: jump if not null */
    if (SLOT(1).ref != NULL) {
      pc = code + pc[2];
      DISPATCH();
    }
    NEXT(3);
  }

  /* ------------------------------------------------ slots, globals, refs */

  OP(COPY) {
    mw_slot r_ = SLOT(2);
    SLOT(1) = r_;
    acc = r_.u64; /* acc.h: a producer */
    NEXT(3);
  }
  OP(SELECT) {
    /* op dst a b cond; whole-slot copies keep NaN bits and refs intact. */
    mw_slot r_ = SLOT(4).u32 ? SLOT(2) : SLOT(3);
    SLOT(1) = r_;
    acc = r_.u64; /* acc.h: a producer */
    NEXT(5);
  }
  OP(GLOBAL_GET) {
    SLOT(1) = inst->globals[pc[2]]->value;
    NEXT(3);
  }
  OP(GLOBAL_SET) {
    inst->globals[pc[1]]->value = SLOT(2);
    NEXT(3);
  }
  OP(I32_CONST) {
    PUT(u32, pc[2]);
    NEXT(3);
  }
  OP(F32_CONST) {
    PUT(u32, pc[2]);
    NEXT(3);
  }
  OP(I64_CONST) {
    PUT(u64, (uint64_t)pc[2] | (uint64_t)pc[3] << 32);
    NEXT(4);
  }
  OP(F64_CONST) {
    PUT(u64, (uint64_t)pc[2] | (uint64_t)pc[3] << 32);
    NEXT(4);
  }
  OP(REF_NULL) {
    SLOT(1).ref = NULL;
    NEXT(2);
  }
  OP(REF_IS_NULL) {
    SLOT(1).u32 = SLOT(2).ref == NULL;
    NEXT(3);
  }
  OP(REF_FUNC) {
    SLOT(1).ref = inst->funcs[pc[2]];
    NEXT(3);
  }
  OP(REF_AS_NON_NULL) {
    if (MW_UNLIKELY(SLOT(2).ref == NULL)) TRAP(MW_MSG_NULL_REF);
    SLOT(1) = SLOT(2);
    NEXT(3);
  }

  /* ------------------------------------------------ tables */

  OP(TABLE_GET) {
    const mw_table *t = inst->tables[pc[2]];
    uint32_t i = SLOT(3).u32;
    if (MW_UNLIKELY(i >= t->size)) TRAP(MW_MSG_OOB_TABLE);
    SLOT(1) = t->elems[i];
    NEXT(4);
  }
  OP(TABLE_SET) {
    mw_table *t = inst->tables[pc[1]];
    uint32_t i = SLOT(2).u32;
    if (MW_UNLIKELY(i >= t->size)) TRAP(MW_MSG_OOB_TABLE);
    t->elems[i] = SLOT(3);
    NEXT(4);
  }
  OP(TABLE_SIZE) {
    SLOT(1).u32 = inst->tables[pc[2]]->size;
    NEXT(3);
  }
  OP(TABLE_GROW) {
    /* op dst tableidx init delta; the old size, or -1 (4.4.6 table.grow) */
    int64_t old = mw_table_grow_internal(inst->tables[pc[2]], SLOT(4).u32, SLOT(3));
    SLOT(1).u32 = (uint32_t)old;
    NEXT(5);
  }
  OP(TABLE_FILL) {
    const char *m = table_fill(inst->tables[pc[1]], SLOT(2).u32, SLOT(3), SLOT(4).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(5);
  }
  OP(TABLE_COPY) {
    const char *m = table_copy(inst->tables[pc[1]], inst->tables[pc[2]],
                               SLOT(3).u32, SLOT(4).u32, SLOT(5).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(6);
  }
  OP(TABLE_INIT) {
    const char *m = table_init(inst, pc[1], pc[2], SLOT(3).u32, SLOT(4).u32, SLOT(5).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(6);
  }
  OP(ELEM_DROP) {
    inst->elems[pc[1]].count = 0;
    NEXT(2);
  }

  /* ------------------------------------------------ memory */

  OP(MEMORY_SIZE) {
    SLOT(1).u32 = (uint32_t)(memsize / MW_PAGE_SIZE);
    NEXT(2);
  }
  OP(MEMORY_GROW) {
    /* The old size in pages, or -1; the data may move. */
    int64_t old = mw_memory_grow_internal(inst->mem0, SLOT(2).u32);
    SLOT(1).u32 = (uint32_t)old;
    RELOAD_MEMORY();
    NEXT(3);
  }
  /* init/copy/fill neither move nor resize memory: no reload needed. */
  OP(MEMORY_INIT) {
    const char *m = memory_init(inst, pc[1], SLOT(2).u32, SLOT(3).u32, SLOT(4).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(5);
  }
  OP(DATA_DROP) {
    inst->data_dropped[pc[1]] = true;
    NEXT(2);
  }
  OP(MEMORY_COPY) {
    const char *m = memory_copy(inst->mem0, SLOT(1).u32, SLOT(2).u32, SLOT(3).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(4);
  }
  OP(MEMORY_FILL) {
    const char *m = memory_fill(inst->mem0, SLOT(1).u32, SLOT(2).u32, SLOT(3).u32);
    if (MW_UNLIKELY(m != NULL)) TRAP(m);
    NEXT(4);
  }

  /* Any other memory (multi-memory, memory64): loads and stores switch
   * the cached view (MEMORY_USE, EA64); bulk operations are out of line,
   * in memx.c.  ADDR(i, m) reads operand i as an address of memory m. */
#define ADDR(i, m) (MW_MEMORY_IS64(m) ? SLOT(i).u64 : (uint64_t)SLOT(i).u32)
  OP(MEMORY_USE) {
    /* The cached memory view becomes memory pc[1]'s (ir.h). */
    const mw_memory *m = inst->memories[pc[1]];
    mem = m->data;
    memsize = m->size;
    NEXT(2);
  }
  OP(EA64) {
    /* op dst addr off_lo off_hi: a checked effective address into the
     * cached (i64) memory; addr + off cannot wrap past the test. */
    uint64_t a = SLOT(2).u64, off = (uint64_t)pc[3] | (uint64_t)pc[4] << 32;
    if (MW_UNLIKELY(a >= memsize || off >= memsize - a)) TRAP(MW_MSG_OOB_MEMORY);
    SLOT(1).u64 = a + off; /* < memsize <= 4 GiB: a u32 */
    NEXT(5);
  }
  OP(MEMORY_SIZEX) {
    const mw_memory *m = inst->memories[pc[2]];
    SLOT(1).u64 = m->pages; /* u32 for an i32 memory: the high half is 0 */
    NEXT(3);
  }
  OP(MEMORY_GROWX) {
    mw_memory *m = inst->memories[pc[3]];
    int64_t old = mwx_memory_grow(m, ADDR(2, m));
    if (MW_MEMORY_IS64(m))
      SLOT(1).i64 = old;
    else
      SLOT(1).u32 = (uint32_t)old;
    RELOAD_MEMORY(); /* memory 0 may be this one (an i64 memory 0) */
    NEXT(4);
  }
  OP(MEMORY_INITX) {
    const mw_memory *m = inst->memories[pc[1]];
    const char *msg = mwx_memory_init(inst, pc[1], pc[2], ADDR(3, m), SLOT(4).u32,
                                      SLOT(5).u32);
    if (MW_UNLIKELY(msg != NULL)) TRAP(msg);
    NEXT(6);
  }
  OP(MEMORY_COPYX) {
    mw_memory *d = inst->memories[pc[1]];
    const mw_memory *sm = inst->memories[pc[2]];
    /* the length is i64 only when both memories are */
    uint64_t n = MW_MEMORY_IS64(d) && MW_MEMORY_IS64(sm) ? SLOT(5).u64 : SLOT(5).u32;
    const char *msg = mwx_memory_copy(d, sm, ADDR(3, d), ADDR(4, sm), n);
    if (MW_UNLIKELY(msg != NULL)) TRAP(msg);
    NEXT(6);
  }
  OP(MEMORY_FILLX) {
    mw_memory *m = inst->memories[pc[1]];
    const char *msg = mwx_memory_fill(m, ADDR(2, m), SLOT(3).u32, ADDR(4, m));
    if (MW_UNLIKELY(msg != NULL)) TRAP(msg);
    NEXT(5);
  }
#undef ADDR
  /* Tables indexed by i64 (ir.h). */
  OP(CLAMP32) {
    uint64_t a = SLOT(2).u64;
    SLOT(1).u32 = a > UINT32_MAX ? UINT32_MAX : (uint32_t)a;
    NEXT(3);
  }
  OP(GROW64) {
    uint32_t r = SLOT(1).u32;
    SLOT(1).i64 = r == UINT32_MAX ? -1 : (int64_t)r;
    NEXT(2);
  }

  MW_LOAD_OPS(LOAD)
  MW_STORE_OPS(STORE)
  MW_LOAD_OPS(LOAD_K)
  MW_STORE_OPS(STORE_K)

  /* ------------------------------------------------ i32 and i64 (4.3.2) */

  /* The binaries with superinstruction forms (ir.h), in all three forms.
   * Arithmetic wraps in unsigned types: signed overflow is undefined in C. */
  MW_IMM_BINOPS(BIN)
  MW_IMM_BINOPS(BIN_IMM)
  MW_BR_CMPS(BR_CMP)
  MW_BR_CMPS(ADDBR_CMP)
  MW_IMM_BIN_FUSED(IMM_BIN_FUSED)
#include "exec_fuse.h"

  /* The non-trapping unaries and binaries (acc.h lists). */
  MW_ACC_UNOPS(UN)
  MW_ACC_BINOPS(BIN)
  OP(I32_DIV_S) {
    int32_t a = SLOT(2).i32, b = SLOT(3).i32;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    if (MW_UNLIKELY(mw_i32_div_s_overflows(a, b))) TRAP(MW_MSG_INT_OVERFLOW);
    SLOT(1).i32 = a / b;
    NEXT(4);
  }
  OP(I32_DIV_U) {
    uint32_t a = SLOT(2).u32, b = SLOT(3).u32;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).u32 = a / b;
    NEXT(4);
  }
  OP(I32_REM_S) {
    int32_t a = SLOT(2).i32, b = SLOT(3).i32;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).i32 = mw_i32_rem_s(a, b);
    NEXT(4);
  }
  OP(I32_REM_U) {
    uint32_t a = SLOT(2).u32, b = SLOT(3).u32;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).u32 = a % b;
    NEXT(4);
  }


  OP(I64_DIV_S) {
    int64_t a = SLOT(2).i64, b = SLOT(3).i64;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    if (MW_UNLIKELY(mw_i64_div_s_overflows(a, b))) TRAP(MW_MSG_INT_OVERFLOW);
    SLOT(1).i64 = a / b;
    NEXT(4);
  }
  OP(I64_DIV_U) {
    uint64_t a = SLOT(2).u64, b = SLOT(3).u64;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).u64 = a / b;
    NEXT(4);
  }
  OP(I64_REM_S) {
    int64_t a = SLOT(2).i64, b = SLOT(3).i64;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).i64 = mw_i64_rem_s(a, b);
    NEXT(4);
  }
  OP(I64_REM_U) {
    uint64_t a = SLOT(2).u64, b = SLOT(3).u64;
    if (MW_UNLIKELY(b == 0)) TRAP(MW_MSG_DIV_ZERO);
    SLOT(1).u64 = a % b;
    NEXT(4);
  }

  /* ------------------------------------------------ f32 (4.3.3) */


  /* ------------------------------------------------ f64 (4.3.3) */


  /* ------------------------------------------------ conversions (4.3.4) */

  TRUNC(I32_TRUNC_F32_S, float, f32, i32, int32_t, mw_i32_trunc_f32_s_check)
  TRUNC(I32_TRUNC_F32_U, float, f32, u32, uint32_t, mw_i32_trunc_f32_u_check)
  TRUNC(I32_TRUNC_F64_S, double, f64, i32, int32_t, mw_i32_trunc_f64_s_check)
  TRUNC(I32_TRUNC_F64_U, double, f64, u32, uint32_t, mw_i32_trunc_f64_u_check)
  TRUNC(I64_TRUNC_F32_S, float, f32, i64, int64_t, mw_i64_trunc_f32_s_check)
  TRUNC(I64_TRUNC_F32_U, float, f32, u64, uint64_t, mw_i64_trunc_f32_u_check)
  TRUNC(I64_TRUNC_F64_S, double, f64, i64, int64_t, mw_i64_trunc_f64_s_check)
  TRUNC(I64_TRUNC_F64_U, double, f64, u64, uint64_t, mw_i64_trunc_f64_u_check)
  /* Reinterpretations are bit copies of the low 4 or all 8 bytes. */

  /* ------------------------------------------------ SIMD */

#include "exec_simd.h"

  /* ------------------------------------------------ GC (Wasm 3.0) */

#include "exec_gc.h"

  /* ------------------------------------------------ accumulator forms */

#include "exec_acc.h"

  /* ------------------------------------------------ instruction pairs */

#include "exec_move.h"
#include "exec_fbr.h"

  /* ------------------------------------------------ indexed loads and stores */

#include "exec_index.h"

  /* ------------------------------------------------ wide constants */

#include "exec_wide.h"

  /* ------------------------------------------------ exception handling */

  OP(THROW) {
    /* op tagidx argbase: a new exception with the values at argbase */
    exn = mwe_exn_new(s, inst->tags[pc[1]], fp + pc[2], pc + 3); /* may collect */
    if (MW_UNLIKELY(exn == NULL)) return mw_error_oom();
    exn_at = pc;
    goto throw_exn;
  }
  OP(THROW_REF) {
    /* op ref (throw_ref, and rethrow from a catch clause's hidden slot) */
    exn = (mw_exn *)SLOT(1).ref;
    if (MW_UNLIKELY(exn == NULL)) TRAP(MW_MSG_NULL_EXNREF);
    exn_at = pc;
    goto throw_exn;
  }

  /* ------------------------------------------------ lazy compilation */

  OP(LAZY_COMPILE) {
    /* lazy.c: a stub's only instruction.  The frame is pushed (its
     * locals zeroed from the stub's facts); compile the body, or take the
     * code another instance made, and start it.  Its frame may be larger
     * than the stub's. */
    mw_error *lerr = NULL;
    const mw_compiled *lc = mwl_resolve(frames[s->nframes - 1].func, &lerr);
    if (MW_UNLIKELY(lc == NULL)) {
      if (!lerr->is_static) attach_backtrace(lerr, s, entry);
      return lerr;
    }
    if (MW_UNLIKELY((size_t)(s->stack_end - fp) < lc->max_slots)) {
      trap_kind = MW_ERR_EXHAUSTION;
      TRAP(MW_MSG_VALUE_STACK);
    }
    code = lc->code;
    pc = code;
    DISPATCH();
  }

  /* ------------------------------------------------ never emitted (ir.h) */

  OP(NOP) OP(BLOCK) OP(LOOP) OP(IF) OP(ELSE) OP(END) OP(BR) OP(BR_IF)
  OP(DROP) OP(SELECT_T) OP(LOCAL_GET) OP(LOCAL_SET) OP(LOCAL_TEE)
  OP(TRY) OP(CATCH) OP(RETHROW) OP(DELEGATE) OP(CATCH_ALL) OP(TRY_TABLE)
  goto bad_code;

  DISPATCH_END

  /* ------------------------------------------------ out of the loop */

invoke:
  /* callee and argbase are set, pc is the return address.  The callee's
   * frame starts at the caller's argbase: arguments become parameters in
   * place, results come back where the caller expects them (ir.h). */
  if (callee->host) {
    const mw_compiled *cur = frames[s->nframes - 1].func->code;
    mw_error *err = call_host_from_wasm(s, inst, callee, fp + argbase,
                                        fp + cur->max_slots, pc);
    if (err) {
      /* fiber.c: the host asked to suspend; resume at pc. */
      if (err == &mwx_suspended) mwx_note_suspend(s, pc, callee, fp + argbase, inst);
      /* exception handling: a wasm exception passing through the host */
      if (err->kind == MW_ERR_EXCEPTION) {
        exn_at = pc - 1;
        host_err = err;
        goto host_exn;
      }
      return err; /* the host's own error, unchanged */
    }
    RELOAD_MEMORY();
    DISPATCH();
  } else if (MW_UNLIKELY(callee->aot_wrap != NULL)) {
    /* Native code (src/aot): called like a host function, above this
     * frame's live slots. */
    const mw_compiled *cur = frames[s->nframes - 1].func->code;
    mw_slot *saved_top = s->stack_top;
    s->stack_top = fp + cur->max_slots;
    mw_error *err = mw_aot_enter(s, callee, fp + argbase, entry);
    s->stack_top = saved_top;
    if (err) {
      if (err->kind == MW_ERR_EXCEPTION) { /* exception handling */
        exn_at = pc - 1;
        host_err = err;
        goto host_exn;
      }
      if (err->kind != MW_ERR_HOST && !err->frames && !err->is_static)
        attach_backtrace(err, s, entry);
      return err;
    }
    RELOAD_MEMORY();
    DISPATCH();
  } else {
    const mw_compiled *cc = callee->code;
    mw_slot *nfp = fp + argbase;
    if (MW_UNLIKELY(s->nframes >= s->cfg.max_call_depth ||
                    (size_t)(s->stack_end - nfp) < cc->max_slots)) {
      trap_kind = MW_ERR_EXHAUSTION;
      TRAP(s->nframes >= s->cfg.max_call_depth ? MW_MSG_CALL_STACK
                                               : MW_MSG_VALUE_STACK);
    }
    /* hostctl: recursion without loops stops too; a profile counts the
     * call (the poll word is nonzero while profiling). */
    if (MW_UNLIKELY(atomic_load_explicit(&s->poll, memory_order_relaxed))) {
      if (s->profile) mwx_profile_call(s, callee);
      POLL_NOW();
    }
    mw_frame *fr = &frames[s->nframes++];
    fr->ret_pc = pc;
    fr->fp = nfp;
    fr->func = callee;
    fr->ret_fp = fp;
    fr->ret_code = code;
    fr->ret_inst = inst;
    /* Declared locals start at zero (4.4.10 invocation). */
    zero_locals(nfp + cc->nparams, cc->nlocals - cc->nparams);
    fp = nfp;
    code = cc->code;
    pc = code;
    if (callee->inst != inst) { /* see RETURN */
      inst = callee->inst;
      RELOAD_MEMORY();
    }
    DISPATCH();
  }

tail_invoke:
  /* callee and argbase are set.  The callee takes over the running frame
   * (same fp, same return address), so a chain of tail calls runs in
   * constant frame-stack space: its arguments move down to fp[0 ..]. */
  if (callee->host) {
    /* A host callee runs as a call; its results, at argbase, become this
     * frame's results, and the frame returns. */
    mw_frame *fr = &frames[s->nframes - 1];
    struct mw_fiber *fiber = s->fiber; /* no suspending here: see fiber.c */
    s->fiber = NULL;
    mw_error *err = call_host_from_wasm(s, inst, callee, fp + argbase,
                                        fp + fr->func->code->max_slots, NULL);
    s->fiber = fiber;
    if (err && err->kind == MW_ERR_EXCEPTION) {
      /* exception handling: this frame is gone (a tail call): the
       * exception comes from its caller's call. */
      if (s->nframes - 1 == entry) return err;
      exn_at = frames[--s->nframes].ret_pc - 1;
      host_err = err;
      goto host_exn;
    }
    if (err) return err;
    if (callee->type->nresults) /* in slots: a v128 takes two */
      memmove(fp, fp + argbase,
              mw_slot_count(MW_FT_RESULTS(callee->type), callee->type->nresults) * sizeof *fp);
    RELOAD_MEMORY();
    const mw_frame *done = &frames[--s->nframes]; /* as RETURN */
    if (done->ret_pc == NULL) return NULL;
    pc = done->ret_pc;
    fp = done->ret_fp;
    code = done->ret_code;
    if (done->ret_inst != inst) {
      inst = done->ret_inst;
      RELOAD_MEMORY();
    }
    DISPATCH();
  } else {
    const mw_compiled *cc = callee->code;
    if (MW_UNLIKELY((size_t)(s->stack_end - fp) < cc->max_slots)) {
      trap_kind = MW_ERR_EXHAUSTION;
      TRAP(MW_MSG_VALUE_STACK);
    }
    POLL_NOW(); /* hostctl: endless tail recursion stops too */
    if (cc->nparams) memmove(fp, fp + argbase, cc->nparams * sizeof *fp);
    zero_locals(fp + cc->nparams, cc->nlocals - cc->nparams);
    frames[s->nframes - 1].func = callee;
    code = cc->code;
    pc = code;
    if (callee->inst != inst) {
      inst = callee->inst;
      RELOAD_MEMORY();
    }
    DISPATCH();
  }

host_exn:
  /* exception handling: a host's (or native code's) MW_ERR_EXCEPTION error
   * becomes an exception of this store, raised at exn_at. */
  exn = mwe_exn_from_error(s, host_err); /* frees host_err */
  if (MW_UNLIKELY(exn == NULL)) return mw_error_oom();
  goto throw_exn;

throw_exn:
  /* exception handling: unwind this run's frames, innermost first, to the
   * first handler (exception.c finds it in the function's region table);
   * none: the exception leaves as an error. */
  for (;;) {
    mw_frame *fr = &frames[s->nframes - 1];
    const mw_compiled *cc = fr->func->code;
    if (cc->eh_table) {
      const mw_word *to = mwe_catch(s, fr, (uint32_t)(exn_at - cc->code), exn);
      if (to) {
        fp = fr->fp;
        code = cc->code;
        pc = to;
        inst = fr->func->inst;
        RELOAD_MEMORY();
        DISPATCH();
      }
    }
    if (s->nframes - 1 == entry) break;
    exn_at = fr->ret_pc - 1;
    s->nframes--;
  }
  return mwe_error_from_exn(exn);

poll_then_dispatch:
  POLL_NOW();
  DISPATCH();

bad_code:
  /* Only reachable with code compile.c would never emit. */
  trap_msg = MW_MSG_BAD_CODE;

trap:
  return trap_error(s, entry, trap_kind, trap_msg, trap_index);
}

#undef OP
#undef DISPATCH
#undef DISPATCH_BEGIN
#undef DISPATCH_END
#undef NEXT
#undef SLOT
#undef TRAP
#undef RELOAD_MEMORY
#undef CALL_FAST
#undef POLL
#undef POLL_NOW
#undef BR_CMP_LOOP
#undef ADDBR_ONE
#undef ADDBR_CMP
#undef IMM_BIN_FUSED
#undef LOAD_K
#undef STORE_K
#undef UN
#undef BIN
#undef LOAD
#undef STORE
#undef PUT
#undef ACC
#undef UN_X
#undef BIN_X
#undef LOAD_X
#undef STORE_X
#undef LOAD_K_X
#undef STORE_K_X
#undef TRUNC

/* ---------------------------------------------------------------- entry */

/* The value stack and the frame array, allocated on the first call with the
 * sizes store.c frees them with. */
static mw_error *allocate_stacks(mw_store *s) {
  size_t nslots = s->cfg.value_stack_slots;
  size_t nframes = (size_t)s->cfg.max_call_depth + 1;
  if (nslots > SIZE_MAX / sizeof(mw_slot) || nframes > SIZE_MAX / sizeof(mw_frame))
    return mw_error_oom();
  mw_slot *stack = mw_alloc(&s->alloc, nslots * sizeof *stack);
  mw_frame *frames = mw_alloc(&s->alloc, nframes * sizeof *frames);
  if (!stack || !frames) {
    mw_free(&s->alloc, stack, nslots * sizeof *stack);
    mw_free(&s->alloc, frames, nframes * sizeof *frames);
    return mw_error_oom();
  }
  s->stack = stack;
  s->stack_end = stack + nslots;
  s->stack_top = stack;
  s->frames = frames;
  s->nframes = 0;
  return NULL;
}

mw_error *mwx_call(mw_store *s, mw_func *f, mw_slot *args) {
  /* A nested call (from a host function) is not the fiber's: code it runs
   * cannot suspend (fiber.c). */
  struct mw_fiber *fiber = s->fiber;
  s->fiber = NULL;
  mw_error *err = mwx_call_in(s, f, args);
  s->fiber = fiber;
  return err;
}

mw_error *mwx_call_in(mw_store *s, mw_func *f, mw_slot *args) {
  if (MW_UNLIKELY(s->profile != NULL)) {
    mwx_profile_call(s, f);
    if (s->host_depth == 0) mwx_profile_tick(s, true); /* restart the clock */
  }
  /* Each nesting (C -> wasm -> host -> wasm ...) also nests C frames, so
   * re-entries are bounded separately from wasm calls. */
  if (s->host_depth > s->cfg.max_host_depth)
    return mw_errorf(MW_ERR_EXHAUSTION, "%s", MW_MSG_CALL_STACK);
  mw_error *err;
  if (f->host) {
    s->host_depth++;
    err = call_host(s, NULL, f, args);
    s->host_depth--;
    return err;
  }
  /* Native code (src/aot) pushes its frames on the store's frame stack. */
  if (!s->stack && (err = allocate_stacks(s)) != NULL) return err;
  if (f->aot_wrap) {
    s->host_depth++;
    err = mw_aot_enter(s, f, args, s->nframes);
    s->host_depth--;
    return err;
  }

  const mw_compiled *c = f->code;
  uint32_t saved_nframes = s->nframes;
  mw_slot *saved_top = s->stack_top;
  mw_slot *fp = s->stack_top;
  if (s->nframes >= s->cfg.max_call_depth ||
      (size_t)(s->stack_end - fp) < c->max_slots) /* >= nlocals, nresults */
    return trap_error(s, saved_nframes, MW_ERR_EXHAUSTION,
                      s->nframes >= s->cfg.max_call_depth ? MW_MSG_CALL_STACK
                                                          : MW_MSG_VALUE_STACK,
                      -1);

  /* (one slot inline: the common case of calls from a binding) */
  if (c->nparams == 1) fp[0] = args[0];
  else if (c->nparams) memcpy(fp, args, c->nparams * sizeof *fp);
  zero_locals(fp + c->nparams, c->nlocals - c->nparams);
  mw_frame *entry = &s->frames[s->nframes++];
  entry->ret_pc = NULL; /* RETURN from here goes back to C */
  entry->fp = fp;
  entry->func = f;

  s->host_depth++;
  err = run(s, saved_nframes, NULL);
  s->host_depth--;
  if (MW_UNLIKELY(s->profile != NULL) && s->host_depth == 0)
    mwx_profile_tick(s, true); /* the last stretch */
  if (err == &mwx_suspended) return err; /* fiber.c: the frames stay */
  if (!err && c->nresults == 1) args[0] = fp[0];
  else if (!err && c->nresults) memcpy(args, fp, c->nresults * sizeof *fp);
  s->nframes = saved_nframes;
  s->stack_top = saved_top;
  return err;
}

#if MW_USE_SWITCH
const uint32_t *mwx_handler_words(void) { return NULL; }
#else
static void fill_handler_words(void) { run(NULL, 0, NULL); }

const uint32_t *mwx_handler_words(void) {
  pthread_once(&handler_words_once, fill_handler_words);
  return handler_words;
}
#endif

/* fiber.c: continue the run suspended at `pc` on the store's (the
 * fiber's, swapped in) stacks; the entry frame is frame 0 and its results
 * go to `results` when it returns. */
mw_error *mwx_resume(mw_store *s, const mw_word *pc, mw_slot *results) {
  s->host_depth++;
  mw_error *err = run(s, 0, pc);
  s->host_depth--;
  if (err == &mwx_suspended) return err;
  const mw_functype *t = s->frames[0].func->type;
  uint32_t nr = mw_slot_count(MW_FT_RESULTS(t), t->nresults); /* a v128 takes two */
  if (!err && nr) memcpy(results, s->frames[0].fp, nr * sizeof *results);
  s->nframes = 0;
  s->stack_top = s->stack;
  return err;
}

/* fiber.c and hostctl: give a host's error the wasm frames s->nframes ..
 * `first` it unwinds (if it has none yet). */
void mwx_add_backtrace(mw_error *e, const mw_store *s, uint32_t first) {
  if (e && !e->is_static && e->nframes == 0 && s->nframes > first &&
      e->kind != MW_ERR_EXIT)
    attach_backtrace(e, s, first);
}

/* src/aot: append the frames s->nframes-1 .. `first` to e's backtrace, as
 * if they had been under the frames it shows when it was raised (a trap in
 * a nested run that native code started): the result is the backtrace the
 * interpreter would have built in one run, cut the same way. */
void mwx_extend_backtrace(mw_error *e, const mw_store *s, uint32_t first) {
  if (!e || e->is_static || e->kind == MW_ERR_EXIT || s->nframes <= first) return;
  if (e->nframes == 0) {
    attach_backtrace(e, s, first);
    return;
  }
  const size_t keep = MW_BACKTRACE_INNER + MW_BACKTRACE_OUTER;
  size_t had = e->nframes, total = had + (s->nframes - first);
  size_t n = total > keep ? keep : total;
  mw_frame_info *fr = calloc(n, sizeof *fr);
  if (!fr) return;
  bool *kept = calloc(had, sizeof *kept);
  if (!kept) {
    free(fr);
    return;
  }
  for (size_t k = 0; k < n; k++) {
    size_t j = (n == total || k < MW_BACKTRACE_INNER) ? k : total - (n - k);
    if (j < had) {
      fr[k] = e->frames[j];
      kept[j] = true;
    } else {
      describe_frame(s->frames[s->nframes - 1 - (j - had)].func, &fr[k]);
    }
  }
  for (size_t j = 0; j < had; j++)
    if (!kept[j]) {
      free((char *)e->frames[j].func_name);
      free((char *)e->frames[j].module_name);
    }
  free(kept);
  free(e->frames);
  e->frames = fr;
  e->nframes = n;
}

mw_error *mwx_call_from(mw_store *s, mw_instance *caller, mw_func *f,
                        mw_slot *args) {
  if (!f->host) return mwx_call(s, f, args);
  if (s->host_depth > s->cfg.max_host_depth)
    return mw_errorf(MW_ERR_EXHAUSTION, "%s", MW_MSG_CALL_STACK);
  s->host_depth++;
  mw_error *err = call_host(s, caller, f, args);
  s->host_depth--;
  return err;
}
