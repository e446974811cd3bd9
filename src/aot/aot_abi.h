/*
 * aot_abi.h -- what native code produced by the AOT compiler shares with the
 * runtime.  Included by the runtime (aot_rt.c, internal.h) and pasted into
 * every generated C file (through the prelude), so it depends on nothing but
 * <stdint.h> and <stddef.h> and names no runtime structure: the generated
 * code reaches the runtime only through mw_aot_ctx and the mw_aot_rt table.
 *
 * A change to anything here changes MW_AOT_ABI, which every artifact records
 * and the loader compares (loader.c).
 */
#ifndef MW_AOT_ABI_H
#define MW_AOT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define MW_AOT_ABI 5u
#define MW_AOT_MAGIC 0x544F414Du /* "MAOT" */

/* The runtime's mw_slot, by another name (aot_rt.c checks the layout). */
typedef union mw_aot_slot {
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  uint64_t u64;
  float f32;
  double f64;
  void *ref;
} mw_aot_slot;

/* Per store: the innermost native entry and the native call budget. */
typedef struct mw_aot_state {
  void *jmp;              /* jmp_buf * of the innermost mw_aot_enter */
  uintptr_t stack_limit;  /* lowest C stack address native frames may use */
  uint32_t first;         /* the first frame of s->frames a trap in native
                             code shows (the enclosing run's entry) */
  void *err;              /* the mw_error * being thrown */
} mw_aot_state;

/* A table as native code sees it: pointers into the runtime's mw_table. */
typedef struct mw_aot_table {
  mw_aot_slot **elems;
  uint32_t *size;
} mw_aot_table;

struct mw_aot_rt;

/* Per instance. */
typedef struct mw_aot_ctx {
  const struct mw_aot_rt *rt;
  mw_aot_state *st;
  uint8_t **mem;          /* &memory0->data, or NULL */
  size_t *memsize;        /* &memory0->size */
  mw_aot_slot **g;        /* per global: its value */
  mw_aot_table *tab;      /* per table */
  void **funcs;           /* per function index: the runtime's mw_func * */
  char *own;              /* the instance's own functions (an array) */
  void *inst;             /* mw_instance * */
  const volatile uint32_t *poll; /* the store's hostctl word: nonzero while an
                                    interrupt, deadline or fuel is armed */
  uintptr_t stack_limit;  /* the store's, copied here while native code of
                             this instance runs (one load per call) */
  /* Backtraces: native functions keep frame records on the store's frame
   * stack, as the interpreter's calls do, so a trap lists native and
   * interpreted frames in call order.  Each native function gets the
   * address of its record (an MW_FRAME_SIZE-byte mw_frame, of which it
   * writes only `func`, at MW_FRAME_FUNC) as a parameter; s->nframes is
   * brought up to date only before something may read it (a call out of
   * native code, a trap, a poll). */
  char *const *frames;    /* &s->frames */
  uint32_t *nframes;      /* &s->nframes */
  char *frames_end;       /* the record past the store's max_call_depth,
                             set like stack_limit by mw_aot_enter */
  /* Guard-page bounds checks (MW_AOT_GUARD artifacts): the innermost
   * native function's frame record, kept up to date on entry and exit, so
   * that a fault in memory 0's guard region becomes the trap with the
   * interpreter's backtrace (aot_rt.c). */
  char *cur_fr;
  uintptr_t guard_lo, guard_hi; /* memory 0's reservation */
} mw_aot_ctx;

/* Trap codes native code raises (aot_rt.c maps them to the spec's words). */
enum {
  MW_AOT_TRAP_UNREACHABLE,
  MW_AOT_TRAP_OOB_MEMORY,
  MW_AOT_TRAP_OOB_TABLE,
  MW_AOT_TRAP_DIV_ZERO,
  MW_AOT_TRAP_INT_OVERFLOW,
  MW_AOT_TRAP_INVALID_CONVERSION,
  MW_AOT_TRAP_CALL_STACK,
  MW_AOT_TRAP_INDIRECT_MISMATCH,
  MW_AOT_TRAP__COUNT
};

#if defined(__GNUC__)
#define MW_AOT_NORETURN __attribute__((noreturn))
#else
#define MW_AOT_NORETURN
#endif

/* The runtime services native code calls.  Every one that can fail leaves
 * by longjmp to the innermost mw_aot_enter (never across the interpreter). */
typedef struct mw_aot_rt {
  MW_AOT_NORETURN void (*trap)(mw_aot_ctx *c, int code);
  /* call function `funcidx` of the instance (import, or a function left to
   * the interpreter): args in slots, results replace them */
  void (*call)(mw_aot_ctx *c, uint32_t funcidx, mw_aot_slot *slots);
  /* call_indirect, checks included */
  void (*call_indirect)(mw_aot_ctx *c, uint32_t typeidx, uint32_t tableidx,
                        uint32_t elem, mw_aot_slot *slots);
  uint32_t (*memory_grow)(mw_aot_ctx *c, uint32_t delta);
  void (*memory_init)(mw_aot_ctx *c, uint32_t seg, uint32_t d, uint32_t s, uint32_t n);
  void (*data_drop)(mw_aot_ctx *c, uint32_t seg);
  void (*memory_copy)(mw_aot_ctx *c, uint32_t d, uint32_t s, uint32_t n);
  void (*memory_fill)(mw_aot_ctx *c, uint32_t d, uint32_t v, uint32_t n);
  void (*table_init)(mw_aot_ctx *c, uint32_t table, uint32_t seg, uint32_t d,
                     uint32_t s, uint32_t n);
  void (*elem_drop)(mw_aot_ctx *c, uint32_t seg);
  void (*table_copy)(mw_aot_ctx *c, uint32_t dst, uint32_t src, uint32_t d,
                     uint32_t s, uint32_t n);
  uint32_t (*table_grow)(mw_aot_ctx *c, uint32_t table, void *init, uint32_t n);
  void (*table_fill)(mw_aot_ctx *c, uint32_t table, uint32_t i, void *v, uint32_t n);
  /* is type `typeidx` of the caller's module the type of function f? */
  int (*type_is)(mw_aot_ctx *c, void *f, uint32_t typeidx);
  /* *poll was nonzero: interrupt, deadline, fuel (traps if due) */
  void (*poll)(mw_aot_ctx *c);
} mw_aot_rt;

/* One native function: `wrap` unpacks args from slots and packs results
 * back; `fn` is the typed C function.  Functions left to the interpreter
 * have wrap == NULL. */
typedef void (*mw_aot_wrap_fn)(mw_aot_ctx *c, mw_aot_slot *slots);

/* What an artifact exports, as the symbol mw_aot_artifact. */
typedef struct mw_aot_artifact {
  uint32_t magic;         /* MW_AOT_MAGIC */
  uint32_t abi;           /* MW_AOT_ABI */
  const char *version;    /* moonwasm version that generated it */
  const char *target;     /* target triple it was compiled for */
  const char *layout;     /* runtime struct sizes it was generated against */
  uint64_t hash[2];       /* of the wasm bytes */
  uint64_t wasm_len;
  const uint8_t *wasm;    /* the wasm bytes, or NULL (universal .wasm) */
  uint32_t nfuncs;        /* defined functions */
  const mw_aot_wrap_fn *wraps;
  uint32_t flags;         /* MW_AOT_F_* */
} mw_aot_artifact;

/* Artifact flags. */
#define MW_AOT_F_GUARD 1u /* memory 0's bounds are checked by guard pages:
                             the instance's memory must have its guard
                             region (vmem.h), or it stays interpreted */

/* The target triple of the code being compiled: cpu-os-abi. */
#if defined(__x86_64__)
#define MW_AOT_CPU "x86_64"
#elif defined(__aarch64__)
#define MW_AOT_CPU "aarch64"
#elif defined(__i386__)
#define MW_AOT_CPU "i386"
#elif defined(__arm__)
#define MW_AOT_CPU "arm"
#elif defined(__riscv) && __riscv_xlen == 64
#define MW_AOT_CPU "riscv64"
#else
#define MW_AOT_CPU "unknown"
#endif
#if defined(__linux__)
#define MW_AOT_OS "linux"
#elif defined(__APPLE__)
#define MW_AOT_OS "darwin"
#elif defined(__FreeBSD__)
#define MW_AOT_OS "freebsd"
#else
#define MW_AOT_OS "unknown"
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define MW_AOT_ENDIAN "be"
#else
#define MW_AOT_ENDIAN "le"
#endif
#define MW_AOT_TARGET MW_AOT_CPU "-" MW_AOT_OS "-" MW_AOT_ENDIAN

#endif
