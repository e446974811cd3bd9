/*
 * internal.h -- structures shared by the runtime's stages.  Not installed.
 *
 * Stage prefixes: mwd_ decode, mwv_ validate, mwc_ compile, mwx_ exec,
 * mws_ store/instantiate, mw_ public API.  Allocation goes through mw_alloc*
 * with the allocator of the owning config.
 */
#ifndef MW_INTERNAL_H
#define MW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <pthread.h>
#include <string.h>

#include "moonwasm.h"
#include "mw_conf.h"
#include "ir.h"
#include "messages.h"
#include "aot/aot_abi.h"
#include "gc.h"

/* ---------------------------------------------------------------- memory */

typedef struct mw_allocator {
  mw_alloc_fn fn;
  void *ud;
} mw_allocator;

mw_allocator mw_allocator_of(const mw_config *cfg); /* cfg may be NULL */
void *mw_alloc(const mw_allocator *a, size_t n);          /* NULL on failure */
void *mw_calloc(const mw_allocator *a, size_t count, size_t size); /* zeroed; overflow-checked */
void *mw_realloc(const mw_allocator *a, void *p, size_t oldn, size_t newn);
void mw_free(const mw_allocator *a, void *p, size_t n);

/* ---------------------------------------------------------------- errors */

struct mw_error {
  mw_error_kind kind;
  char *message;
  void *host_data;
  size_t nframes;
  mw_frame_info *frames;
  int32_t exit_code; /* MW_ERR_EXIT */
  bool is_static; /* the preallocated out-of-memory error: never freed */
  /* MW_ERR_EXCEPTION (exception.c): the tag (one reference held) and the
   * values, malloc'd like the rest of the error. */
  mw_tag *exn_tag;
  uint32_t exn_nvals;
  mw_val *exn_vals;
};

/* printf-style constructor; never NULL (falls back to a static OOM error). */
mw_error *mw_errorf(mw_error_kind kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
mw_error *mw_error_oom(void);
/* A decoding message (MW_MSG_*) as the edition of `features` words it:
 * Wasm 1.0's wording for a module with neither bulk memory nor reference
 * types (messages.h), the message itself otherwise. */
const char *mw_msg_for_edition(uint32_t features, const char *msg);

/* ---------------------------------------------------------------- values */

/* One 8-byte cell of the value stack, a global or a table element.  i32 and
 * f32 use the low member; refs are pointers (funcref: mw_func *, externref:
 * the host's pointer), NULL being null. */
/* A frame slot is the public raw value (moonwasm.h, mw_func_call_raw). */
typedef mw_raw mw_slot;

mw_slot mw_slot_from_val(mw_val v);
mw_val mw_val_from_slot(mw_valtype t, mw_slot s);
/* Values in frame layout, where a v128 takes two consecutive slots (ir.h):
 * the slots n values of `types` occupy, and conversions both ways. */
uint32_t mw_slot_count(const mw_valtype *types, uint32_t n);
void mw_slots_from_vals(const mw_val *vals, uint32_t n, mw_slot *slots);
void mw_vals_from_slots(const mw_valtype *types, uint32_t n, const mw_slot *slots,
                        mw_val *vals);
bool mw_valtype_is_ref(mw_valtype t); /* = mw_valtype_is_reference */
bool mw_valtype_is_num(mw_valtype t);

/* ---------------------------------------------------------------- types */

/* A defined type (Wasm 3.0 "subtype" of a rec group): a function, struct
 * or array type.  m->types[i] and every mw_func's type are these; the
 * name is the 2.0 one.  See /types.c for equality and subtyping. */
enum { MW_COMP_FUNC = 0x60, MW_COMP_STRUCT = 0x5F, MW_COMP_ARRAY = 0x5E };
#define MW_NO_SUPER UINT32_MAX
struct mw_functype {
  uint32_t nparams;   /* func: params; struct: fields; array: 1 (element) */
  uint32_t nresults;  /* func: results; struct, array: 0 */
  uint8_t comp;       /* MW_COMP_* */
  bool final;         /* `sub final`, or no `sub` at all */
  uint32_t super;     /* declared supertype's index, or MW_NO_SUPER */
  uint32_t index;     /* its own index in its module */
  uint32_t rec_first, rec_len; /* its rec group (a lone type: group of 1) */
  uint32_t canon;     /* smallest index of an equal type in its module */
  uint32_t depth;     /* supertypes above it */
  uint64_t hash;      /* structure of its rec group and its place in it */
  const mw_module *module; /* owner (not counted); NULL: a host type, whose
                              types are all abstract */
  mw_valtype types[]; /* params then results / fields / the element; a
                         field word may carry MW_VT_MUT */
};
#define MW_FT_PARAMS(t) ((t)->types)
#define MW_FT_RESULTS(t) ((t)->types + (t)->nparams)
size_t mw_functype_bytes(uint32_t nparams, uint32_t nresults);

/* ---------------------------------------------------------------- modules */

/* A constant expression.  Wasm 2.0 allows one instruction before `end`,
 * extended constant expressions (Wasm 3.0) any number.  The decoder keeps
 * the first MW_CEXPR_MAX decoded in `ins` and points `code` at the first
 * instruction in the module's bytes; longer expressions are read again from
 * there (cexpr.c).  Hand-built expressions (tests) leave `code` NULL and
 * have at most MW_CEXPR_MAX instructions. */
#define MW_CEXPR_MAX 4
typedef struct mw_cinstr {
  uint16_t op;   /* mw_opcode */
  uint64_t imm;  /* constant bits, global index, func index or reftype */
  uint64_t imm_hi; /* v128.const: the high 8 bytes (imm the low 8) */
} mw_cinstr;
typedef struct mw_cexpr {
  uint32_t n;     /* instructions before `end` (may exceed MW_CEXPR_MAX) */
  mw_cinstr ins[MW_CEXPR_MAX];
  const uint8_t *code; /* the first instruction in the module's copy, or NULL */
  const uint8_t *end;  /* one past its `end` opcode */
} mw_cexpr;

/* cexpr.c: walk a constant expression's instructions in order. */
typedef struct mw_cexpr_iter {
  const mw_cexpr *e;
  uint32_t k;         /* instructions returned so far */
  const uint8_t *p;   /* next byte when reading from e->code */
} mw_cexpr_iter;
void mw_cexpr_iter_init(mw_cexpr_iter *it, const mw_cexpr *e);
/* The next instruction (false after the last).  Instructions that are not
 * constant may come back with imm 0: only constant ones matter. */
bool mw_cexpr_next(mw_cexpr_iter *it, mw_cinstr *out);

typedef struct mw_name {
  const char *ptr; /* into the module's copy of the bytes */
  uint32_t len;
} mw_name;

typedef struct mw_import {
  mw_name module, name;
  mw_extern_kind kind;
  uint32_t index; /* func: type index; else index into tables/memories/globals */
} mw_import;

typedef struct mw_export {
  mw_name name;
  mw_extern_kind kind;
  uint32_t index;
} mw_export;

typedef struct mw_global_decl {
  mw_globaltype type;
  mw_cexpr init; /* unused for imports */
} mw_global_decl;

typedef enum { MW_SEG_ACTIVE, MW_SEG_PASSIVE, MW_SEG_DECLARATIVE } mw_seg_mode;

typedef struct mw_elem {
  mw_seg_mode mode;
  uint32_t table;
  mw_cexpr offset;
  mw_valtype type;  /* a reference type */
  uint32_t count;
  mw_cexpr *items;  /* count expressions (func indices become ref.func) */
} mw_elem;

typedef struct mw_data {
  mw_seg_mode mode;
  uint32_t memory;
  mw_cexpr offset;
  const uint8_t *bytes; /* into the module's copy */
  uint32_t len;
} mw_data;

typedef struct mw_local_run {
  uint32_t count;
  mw_valtype type;
} mw_local_run;

typedef struct mw_code_body {
  const uint8_t *start; /* first byte of the instructions (after locals) */
  const uint8_t *end;   /* one past the body */
  uint32_t offset;      /* of the body in the binary, for backtraces */
  uint32_t nlocal_runs;
  mw_local_run *local_runs;
  uint32_t nlocals;     /* declared locals, params excluded */
  bool unscanned;       /* decode.c: instructions not read yet (the body
                           pass, on threads, reads them); end is then the
                           declared end */
  bool fast_valid;      /* validate_fast.c judged it valid (decode.c's body
                           pass): lazy.c compiles it on first call */
  bool uses_data_count; /* memory.init or data.drop (body pass) */
} mw_code_body;

typedef struct mw_custom {
  mw_name name;
  const uint8_t *data;
  uint32_t len;
} mw_custom;

typedef struct mw_func_name {
  uint32_t index;
  mw_name name;
} mw_func_name;

struct mw_module {
  atomic_int refcount; /* instances in stores on several threads share it */
  mw_allocator alloc;
  uint32_t features;
  uint8_t *bytes; /* our copy; names and bodies point into it */
  size_t len;

  uint32_t ntypes;
  mw_functype **types;

  uint32_t nimports;
  mw_import *imports;

  /* Index spaces: imports first, then definitions. */
  uint32_t nfuncs, nfunc_imports;
  uint32_t *func_types; /* type index per function */
  uint32_t ntables, ntable_imports;
  mw_tabletype *tables;
  mw_cexpr *table_inits;  /* ntables; n == 0: no initializer (ref.null) */
  uint32_t nmemories, nmemory_imports;
  mw_memtype *memories;
  uint32_t nglobals, nglobal_imports;
  mw_global_decl *globals;

  uint32_t nexports;
  mw_export *exports;

  /* Exception handling: tag types (type indices), imports first. */
  uint32_t ntags, ntag_imports;
  uint32_t *tag_types;

  bool has_start;
  uint32_t start;

  uint32_t nelems;
  mw_elem *elems;

  bool has_datacount;
  uint32_t datacount;
  uint32_t ndatas;
  mw_data *datas;

  mw_code_body *codes;     /* nfuncs - nfunc_imports of them */
  mw_compiled *compiled;   /* filled by validation, same count */

  uint32_t ncustoms;
  mw_custom *customs;

  mw_name module_name;     /* name section, may be empty */
  uint32_t nfunc_names;
  mw_func_name *func_names; /* sorted by index */

  uint8_t *func_refs;      /* bitset over functions: C.refs, the functions
                              named outside bodies (exports, elems, globals);
                              ref.func in a body may only name these */
  bool metered;             /* compile METER instructions (statistics) */
  uint64_t *cost_table;     /* MW_COST_TABLE_SIZE costs, or NULL: 1 each */
  bool validated;
  mw_error_kind valid_kind;  /* when validation failed: kept to repeat it */
  char *valid_message;
  struct mw_aot_lib *aot;   /* native code loaded for it (src/aot), or NULL */
  struct mw_gc_type **gc_types; /* gc_exec.c: object layouts per struct and
                                   array type (ntypes; NULL for functions),
                                   made by validation */
  uint32_t compile_threads; /* mw_config's, 1 if its allocator is not
                               thread-safe (compile_par.c) */
  /* lazy.c: bodies validated by validate_fast.c are compiled on their
   * first call; compiled[i] is then a stub and lazy[i] the code, once
   * made (published atomically: modules are shared between threads). */
  bool eager_compile;        /* mw_config's, or MOONWASM_COMPILE=eager */
  _Atomic(mw_compiled *) *lazy; /* ndefined entries, or NULL (all eager) */
  bool alloc_serial;         /* the allocator is not thread-safe: first-call
                                compiles take lazy_lock (lazy.c) */
  pthread_mutex_t lazy_lock; /* initialized with lazy when alloc_serial */
  bool bodies_unscanned;     /* some codes[i].unscanned */
};

/* module.c: a function's name for backtraces and profiles (name section,
 * else its first export), or NULL. */
const char *mwm_func_label(const mw_module *m, uint32_t func_index, size_t *len);

/* decode.c */
mw_error *mwd_decode(const mw_config *cfg, const uint8_t *bytes, size_t len,
                     mw_module **out);
void mwd_module_free(mw_module *m);

/* validate.c: module-level rules; calls compile.c for each body. */
mw_error *mwv_validate(mw_module *m);
/* validate.c: C.refs into m->func_refs (again at each call); decode.c
 * makes it before the body pass, for validate_fast.c's ref.func. */
mw_error *mwv_refs(mw_module *m);

/* compile.c: validate and compile the body of defined function `i`. */
mw_error *mwc_compile(mw_module *m, uint32_t defined_index, mw_compiled *out);
void mwc_free(const mw_allocator *a, mw_compiled *c);
/* compile_par.c: mwc_compile every one of the n defined functions into
 * m->compiled (zeroed), on threads when m allows; the first failing one's
 * error, everything then freed. */
mw_error *mwc_compile_all(mw_module *m, uint32_t n);

/* validate_fast.c: a lean validator (types only, no code).  True: body
 * `di` is valid.  False: it can't tell (invalid, or beyond its subset);
 * compile.c then decides, with the spec's messages.  Scratch space is
 * reused from body to body (one per thread) and freed with _free. */
typedef struct mwv_fast_scratch {
  const mw_allocator *a;
  uint8_t *locals, *stack;
  uint32_t cap_locals, cap_stack;
  struct vframe *frames;
  uint32_t cap_frames;
  bool uses_data_count; /* set by a body with memory.init or data.drop */
} mwv_fast_scratch;
bool mwv_fast_body(const mw_module *m, uint32_t di, mwv_fast_scratch *s);
/* The features it needs (Wasm 2.0's, SIMD aside); without them it never
 * says "valid", and the decoder scans bodies as it reads them. */
#define MWV_FAST_FEATURES                                                    \
  (MW_FEATURE_MUTABLE_GLOBALS | MW_FEATURE_SIGN_EXT | MW_FEATURE_SAT_CONV |   \
   MW_FEATURE_MULTI_VALUE | MW_FEATURE_BULK_MEMORY | MW_FEATURE_REFERENCE_TYPES)
/* compile_par.c: fn(m, i, scratch) for bodies 0 .. n-1, on threads as
 * mwc_compile_all; the error of the first failing body in order. */
typedef mw_error *(*mwc_body_fn)(mw_module *m, uint32_t i, mwv_fast_scratch *s);
mw_error *mwc_par_bodies(mw_module *m, uint32_t n, mwc_body_fn fn);
void mwv_fast_scratch_free(mwv_fast_scratch *s);

/* lazy.c: compiling bodies on their first call.
 * mwl_prepare validates body di for load: judged valid by validate_fast.c
 * (codes[di].fast_valid, decode.c's body pass), m->compiled[di] becomes a
 * stub whose code is one LAZY_COMPILE instruction (exec.c); otherwise (or
 * in eager mode) compile.c validates and compiles it there.
 * mwl_resolve (the LAZY_COMPILE instruction) gives f's code, compiling it
 * once for all instances of the module, and points f->code at it.
 * mwl_initial: the code a new instance's function starts with. */
mw_error *mwl_prepare(mw_module *m, uint32_t di, mwv_fast_scratch *s);
mw_error *mwl_begin(mw_module *m);   /* before the mwl_prepare calls */
const mw_compiled *mwl_resolve(mw_func *f, mw_error **err);
const mw_compiled *mwl_initial(const mw_module *m, uint32_t di);
bool mwl_is_stub(const mw_compiled *c);
void mwl_free_entry(const mw_allocator *a, mw_compiled *c); /* stub or code */
void mwl_module_free(mw_module *m);  /* the lazy codes (decode.c) */

/* ---------------------------------------------------------------- runtime objects */

struct mw_func {
  mw_functype *type;      /* module-owned for wasm functions, own copy for host */
  mw_instance *inst;      /* NULL for host functions */
  const mw_compiled *code; /* NULL for host functions */
  const mw_word *entry;   /* code->code, kept beside it (instance.c, lazy.c):
                             exec.c's calls read it, one load fewer
                             before the callee's first instruction */
  uint32_t index;         /* in the instance's function space */
  mw_host_fn host;
  void *userdata;
  void (*finalizer)(void *);
  mw_allocator alloc;     /* host functions: who to free with */
  mw_aot_wrap_fn aot_wrap; /* native code (src/aot), or NULL */
  void *aot_ctx;           /* its mw_aot_ctx */
  mw_host_raw_fn host_raw; /* host functions on raw values (then `host` is
                              a converting stand-in), or NULL */
};

struct mw_memory {
  uint8_t *data;
  size_t size;            /* bytes = pages * MW_PAGE_SIZE */
  uint32_t pages;
  uint32_t max_pages;     /* effective: type max and configured limit */
  mw_memtype type;
  mw_allocator alloc;
  bool store_owned;       /* defined by an instance: mw_memory_free refuses */
  size_t reserved;        /* vmem.c: address space held for data, or 0 when
                             data came from `alloc` */
};

struct mw_table {
  mw_slot *elems;
  uint32_t size;
  uint32_t max;           /* effective */
  mw_tabletype type;
  const mw_module *tmod;  /* the module type.elem's indices refer to, or NULL */
  mw_allocator alloc;
  bool store_owned;       /* defined by an instance: mw_table_free refuses */
};

struct mw_global {
  union {
    mw_slot value;        /* first member: exec reads it directly */
    unsigned char value_v128[16]; /* a v128 global's bytes */
  };
  mw_globaltype type;
  const mw_module *tmod;  /* the module type.type's indices refer to, or NULL */
  mw_allocator alloc;
  bool store_owned;       /* defined by an instance: mw_global_free refuses */
};

/* A runtime element segment: its references, or dropped. */
typedef struct mw_elem_inst {
  uint32_t count;         /* 0 once dropped */
  mw_slot *refs;
} mw_elem_inst;

struct mw_instance {
  mw_store *store;
  mw_module *module;      /* holds one reference */
  mw_func **funcs;        /* nfuncs; imports point at the imported objects */
  mw_table **tables;
  mw_memory **memories;
  mw_global **globals;
  mw_tag **tags;          /* exception handling: ntags, imports first */
  mw_memory *mem0;        /* memories[0] or NULL: the interpreter's memory */
  mw_elem_inst *elems;    /* nelems */
  bool *data_dropped;     /* ndatas */
  /* Objects this instance defined (freed with it): */
  mw_func *own_funcs;     /* nfuncs - nfunc_imports, contiguous */
  mw_instance *next;      /* store's list */
  mw_aot_ctx *aot;        /* native code's view of it (src/aot), or NULL */
};

/* A registry entry: (module, name) -> object. */
typedef struct mw_binding {
  char *module;
  size_t module_len;
  char *name;
  size_t name_len;
  mw_extern ext;
} mw_binding;

/* One activation on the interpreter's frame stack. */
typedef struct mw_frame {
  const mw_word *ret_pc;  /* where the caller resumes */
  mw_slot *fp;            /* this frame's base */
  mw_func *func;          /* the function running in this frame */
  /* The caller as exec.c's RETURN resumes it, saved by the call so that a
   * return reads one record: its fp, code and instance.  Unset in an
   * entry frame (ret_pc NULL: the return goes back to C). */
  mw_slot *ret_fp;
  const mw_word *ret_code;
  mw_instance *ret_inst;
} mw_frame;

struct mw_store {
  mw_config cfg;
  mw_allocator alloc;
  mw_instance *instances;
  mw_binding *bindings;
  size_t nbindings, cap_bindings;
  uint32_t *binding_slots; /* open-addressed hash: binding index + 1, 0 empty */
  size_t nbinding_slots;   /* a power of two, or 0 */

  /* Interpreter state; allocated on first call. */
  mw_slot *stack;          /* value stack */
  mw_slot *stack_end;
  mw_slot *stack_top;      /* first free slot for a new entry call */
  mw_frame *frames;
  uint32_t nframes;        /* frames in use */
  uint32_t host_depth;     /* nested host -> wasm entries */
  mw_stats stats;          /* what METER instructions counted */
  mw_aot_state aot;        /* native code's entry and call budget */

  /* hostctl.c: interruption, deadline and fuel.  `poll` is nonzero while
   * any of them is armed; back edges and calls then enter mwx_poll. */
  _Atomic uint32_t poll;   /* MW_POLL_* bits */
  uint32_t poll_countdown; /* polls until the clock is read again */
  uint64_t deadline_ns;    /* CLOCK_MONOTONIC, when MW_POLL_DEADLINE */
  uint64_t fuel_end;       /* fuel runs out when stats.instructions passes
                              it; UINT64_MAX when fuel is off */
  mw_refuel_fn refuel;
  void *refuel_ud;

  /* fiber.c: the fiber whose stacks are swapped in and whose own code is
   * running (NULL otherwise, and during nested calls), and where the last
   * suspension happened. */
  struct mw_fiber *fiber;
  const mw_word *suspend_pc;
  mw_func *suspend_func;
  mw_slot *suspend_slots;
  mw_instance *suspend_inst;

  /* exception.c: the tags of the exceptions in this store's GC heap
   * (one reference each, released after the heap is freed). */
  struct mw_tag **exn_tags;
  uint32_t nexn_tags, cap_exn_tags;

  /* profile.c and host timing */
  struct mw_profile *profile; /* NULL unless profiling */
  struct mw_profile *profile_kept; /* the last one, stopped */
  bool time_host;
  uint32_t host_timing;       /* host calls in progress while timing */
  uint64_t host_ns, host_t0;

  /* gc.c: the heap of GC objects (made on first use), the host calls in
   * progress (their callers' resume points), and every fiber of the store
   * (fiber.c; their suspended frames are roots). */
  struct mw_gc_heap *gc;
  struct mw_gc_hostcall *gc_hostcalls;
  struct mw_fiber *fibers;
};
/* fiber.c: the store is being freed: its fibers no longer list it. */
void mwx_fibers_forget(mw_store *s);

enum {
  MW_POLL_INTERRUPT = 1u,
  MW_POLL_DEADLINE = 2u,
  MW_POLL_FUEL = 4u,
  MW_POLL_PROFILE = 8u
};
/* profile.c: the interpreter's hooks (only while s->profile is set). */
void mwx_profile_call(mw_store *s, mw_func *f);
void mwx_profile_instructions(mw_store *s, uint32_t n);
void mwx_profile_tick(mw_store *s, bool now);
void mwx_profile_free(mw_store *s);
typedef struct mw_profile mw_profile;
uint64_t mwx_now_ns(void);

/* hostctl.c: the slow path of a poll (exec.c), and of a METER whose count
 * passed fuel_end.  NULL to go on, else the trap message (*kind set).
 * `metered`: the running code counts instructions itself. */
const char *mwx_poll(mw_store *s, bool metered, mw_error_kind *kind);
const char *mwx_fuel_out(mw_store *s, mw_error_kind *kind);

struct mw_caller {
  mw_store *store;
  mw_instance *inst;
  struct mw_fiber *fiber; /* fiber.c: the suspended fiber it serves, or NULL */
};

/* exec.c: run `f` on `s`'s stack.  `args` holds the parameters on entry
 * (nparams slots) and receives the results (nresults slots); it must have
 * room for max(nparams, nresults).  Errors: trap or exhaustion, with a
 * backtrace; or a host function's error, passed through unchanged. */
mw_error *mwx_call(mw_store *s, mw_func *f, mw_slot *args);
/* fiber.c / exec.c: suspending a fiber.  A host function returns
 * &mwx_suspended (through mw_caller_suspend) to suspend; run() then notes
 * where (mwx_note_suspend) and returns it.  mwx_call_in is mwx_call
 * without hiding the running fiber; mwx_resume continues a suspended run. */
extern mw_error mwx_suspended;
void mwx_note_suspend(mw_store *s, const mw_word *pc, mw_func *f,
                      mw_slot *slots, mw_instance *inst);
mw_error *mwx_call_in(mw_store *s, mw_func *f, mw_slot *args);
mw_error *mwx_resume(mw_store *s, const mw_word *pc, mw_slot *results);
void mwx_add_backtrace(mw_error *e, const mw_store *s, uint32_t first);
void mwx_extend_backtrace(mw_error *e, const mw_store *s, uint32_t first);
/* The same, for a call made by wasm code of instance `caller` (a host
 * function then sees the caller, as from the interpreter). */
mw_error *mwx_call_from(mw_store *s, mw_instance *caller, mw_func *f,
                        mw_slot *args);
/* func.c: a host function calling `fn`, or `raw` (not NULL) on slots. */
mw_func *mwx_func_new_host(const mw_config *cfg, const mw_functype *type,
                           mw_host_fn fn, mw_host_raw_fn raw, void *userdata,
                           void (*finalizer)(void *));

/* src/aot: the runtime's hooks into the AOT layer (aot_rt.c, loader.c). */
struct mw_aot_lib;
mw_error *mw_aot_bind(mw_store *s, mw_instance *inst);
void mw_aot_unbind(mw_instance *inst);
/* first: the frame a trap's backtrace starts at (the enclosing run's entry) */
mw_error *mw_aot_enter(mw_store *s, mw_func *f, mw_slot *args, uint32_t first);
void mw_aot_lib_free(struct mw_aot_lib *lib);

/* store.c */
mw_error *mws_trap(mw_store *s, const char *message);
void mws_memory_destroy(mw_memory *m);
void mws_table_destroy(mw_table *t);
void mws_global_destroy(mw_global *g);

/* instance.c: free an instance and what it defined (not its imports);
 * releases its module reference.  Called by mw_store_free. */
void mws_instance_free(mw_instance *inst);
/* store.c: does `ext` name an object of a known kind (not NULL)? */
bool mws_extern_is_set(mw_extern ext);

/* ---------------------------------------------------------------- exceptions */

/* exception.c.  A tag: its type (own copy) and the layout of its
 * exceptions' values in the GC heap; reference-counted; an instance holds
 * one reference to each of its tags (defined or imported). */
struct mw_tag {
  int refcount;
  mw_allocator alloc;
  mw_functype *type;
  mw_gc_type *gctype; /* kind MW_GCK_EXN, tag = this tag */
};
/* An exception object (the target of an exnref, public type mw_exn) is a
 * GC object (gc.h) of kind MW_GCK_EXN whose type is its tag's gctype: the
 * collector traces the references among its values and frees it. */
#define MWE_OBJ(x) ((mw_gc_obj *)(x))
#define MWE_TAG(x) ((mw_tag *)(uintptr_t)MWE_OBJ(x)->type->tag)
mw_tag *mwe_tag_retain(mw_tag *t);
void mwe_tag_release(mw_tag *t);
/* A new exception in `s` with the tag's values copied from `slots` (frame
 * layout); `pc` as for mwgc_alloc.  NULL when out of memory. */
mw_exn *mwe_exn_new(mw_store *s, mw_tag *tag, const mw_slot *slots, const mw_word *pc);
void mwe_store_free_exns(mw_store *s);
/* The error for an exception leaving wasm (MW_ERR_EXCEPTION, values
 * copied), and the exception a host's MW_ERR_EXCEPTION error becomes in
 * `s` (the error is freed; NULL on out of memory). */
mw_error *mwe_error_from_exn(const mw_exn *x);
mw_exn *mwe_exn_from_error(mw_store *s, mw_error *e);
/* The handler in frame `fr` for `x` raised at code position `pos`, values
 * delivered; NULL if that function does not catch it (exec.c unwinds). */
const mw_word *mwe_catch(mw_store *s, const mw_frame *fr, uint32_t pos, mw_exn *x);

/* Is a memory or table indexed by i64 (memory64)? */
#define MW_MEMORY_IS64(mem) ((mem)->type.limits.is64)
#define MW_TABLE_IS64(t) ((t)->type.limits.is64)

/* memx.c: bulk memory instructions on any memory (multi-memory,
 * memory64) and 64-bit growth; each returns NULL or the trap message. */
const char *mwx_memory_init(mw_instance *inst, uint32_t memidx, uint32_t dataidx,
                            uint64_t d, uint32_t src, uint32_t n);
const char *mwx_memory_copy(mw_memory *dst, const mw_memory *src, uint64_t d,
                            uint64_t s, uint64_t n);
const char *mwx_memory_fill(mw_memory *m, uint64_t d, uint32_t val, uint64_t n);
int64_t mwx_memory_grow(mw_memory *m, uint64_t delta);

/* memory.c / table.c: the shared slow paths the interpreter calls. */
int64_t mw_memory_grow_internal(mw_memory *m, uint32_t delta);
int64_t mw_table_grow_internal(mw_table *t, uint32_t delta, mw_slot init);
bool mw_functype_same(const mw_functype *a, const mw_functype *b);

/* types.c: equality and subtyping of Wasm 3.0 types (NOTES in types.c).
 * mw_functype_same above is iso-recursive equality of two defined types of
 * any modules; mw_deftype_sub is a <: b. */
bool mw_deftype_sub(const mw_functype *a, const mw_functype *b);
/* Within module m (validation): heap types and value types. */
bool mwt_heap_sub(const mw_module *m, uint32_t a, uint32_t b);
bool mwt_val_sub(const mw_module *m, mw_valtype a, mw_valtype b);
/* Across modules: a's indices in ma, b's in mb (either NULL when its type
 * has no index). */
bool mwt_val_sub2(const mw_module *ma, mw_valtype a, const mw_module *mb,
                  mw_valtype b);
bool mwt_val_eq2(const mw_module *ma, mw_valtype a, const mw_module *mb,
                 mw_valtype b);
/* The top of a heap type's hierarchy: MW_HT_FUNC, MW_HT_EXTERN, MW_HT_ANY
 * or MW_HT_EXN (a concrete one by its composite kind). */
uint32_t mwt_heap_top(const mw_module *m, uint32_t ht);
/* Finish the types of a decoded module: canonical indices, depths, hashes
 * (decode.c calls it after the type section).  NULL or "malformed"-free
 * problems only: validation checks the declarations (mwt_validate). */
void mwt_finish_types(mw_module *m);
mw_error *mwt_validate_types(const mw_module *m);
/* Reading types (decode.c and compile.c): errors go to r->fail; those
 * naming a feature that is off are written to `detail`. */
struct mwd_reader;
typedef struct mwt_rd {
  struct mwd_reader *r;
  uint32_t features;
  const uint8_t *base; /* the module's first byte, for offsets */
  char detail[160];
} mwt_rd;
uint32_t mwt_read_heaptype(mwt_rd *rd);
mw_valtype mwt_read_reftype(mwt_rd *rd);
mw_valtype mwt_read_valtype(mwt_rd *rd);
mw_valtype mwt_read_storagetype(mwt_rd *rd);
uint64_t mwt_hash_host(const mw_functype *t);
/* Is a value type well formed in m (its type indices exist)? */
bool mwt_valtype_ok(const mw_module *m, mw_valtype t);
/* The class of t (mw_valtype_top), a type index read in m. */
mw_valtype mwt_class(const mw_module *m, mw_valtype t);
/* Can the host's value v go where type t (indices in m) is expected?
 * NULL, or why not ("null reference", ...). */
const char *mwt_host_value_check(const mw_module *m, mw_valtype t, mw_val v);
/* The error for a host value v that check refused as a `want`, `why`
 * being what check said: "<what> <n>: expected (ref 0), got funcref", or
 * "<what> <n>: null reference for (ref func)"; types in wat form, and
 * no number when n is 0. */
mw_error *mwt_host_value_error(mw_error_kind kind, const char *what, size_t n,
                               const char *why, mw_valtype want, mw_val v);
/* Give the reference values of vals[0..n) their classes (types[i] read in m). */
void mwt_classify(const mw_module *m, const mw_valtype *types, uint32_t n, mw_val *vals);
/* Does a value of type t have a default (numeric, or nullable ref)? */
bool mwt_defaultable(mw_valtype t);

#include "gc_exec.h" /* needs the types above */

#endif
