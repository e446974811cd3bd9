/*
 * moonwasm.h -- the public C API of the moonwasm WebAssembly runtime.
 *
 * Pipeline: bytes --mw_module_decode--> mw_module --mw_module_validate-->
 * (validated + compiled) --mw_instantiate--> mw_instance --mw_func_call-->
 * results.
 *
 * Conventions
 *  - Every fallible function returns `mw_error *`: NULL on success, otherwise
 *    an error the caller owns and releases with mw_error_free().
 *  - Handles are opaque.  "Caller owns" means: release it with the matching
 *    _free/_release function.  "Borrowed" means: valid while its owner lives.
 *  - Names (module, field, export) are UTF-8 byte strings with a length; they
 *    may contain NUL bytes, so lengths are always passed explicitly.
 *  - The runtime never prints, exits or aborts on bad input.  All memory goes
 *    through the allocator in mw_config.
 *  - A store and everything running in it must be used by one thread at a
 *    time.  Independent stores may run on different threads.
 */
#ifndef MOONWASM_H
#define MOONWASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MW_VERSION "0.1.0"

/* ---------------------------------------------------------------- values */

/* Value types, numbered as in the binary format.  A variable of type
 * mw_valtype may hold any value type of Wasm 3.0, encoded in one word:
 *   bits 0-7   a numeric code (i32 .. v128), a packed storage code (i8,
 *              i16: struct and array fields only), or for a reference type
 *              its abstract heap type (MW_HT_*, the binary format's byte),
 *              0 for a concrete heap type (a type index)
 *   bit 8      MW_VT_NONNULL: (ref ht); clear: (ref null ht)
 *   bit 9      MW_VT_IDX: the heap type is type index bits 10-29 of the
 *              module the type belongs to
 *   bit 30     MW_VT_MUT: a mutable field (struct and array fields only)
 * Each abbreviation (funcref, externref, anyref, ...) is its binary byte
 * and means (ref null HT): MW_FUNCREF == (ref null func). */
typedef enum mw_valtype {
  MW_I32 = 0x7F,
  MW_I64 = 0x7E,
  MW_F32 = 0x7D,
  MW_F64 = 0x7C,
  MW_V128 = 0x7B, /* 16 bytes, lane 0 first (little-endian, as in memory) */
  MW_I8 = 0x78,   /* packed storage types (fields) */
  MW_I16 = 0x77,
  MW_FUNCREF = 0x70,
  MW_EXTERNREF = 0x6F,
  MW_ANYREF = 0x6E,
  MW_EQREF = 0x6D,
  MW_I31REF = 0x6C,
  MW_STRUCTREF = 0x6B,
  MW_ARRAYREF = 0x6A,
  MW_EXNREF = 0x69,
  MW_NULLREF = 0x71,       /* (ref null none) */
  MW_NULLEXTERNREF = 0x72, /* (ref null noextern) */
  MW_NULLFUNCREF = 0x73,   /* (ref null nofunc) */
  MW_NULLEXNREF = 0x74     /* (ref null noexn) */
} mw_valtype;

/* Abstract heap types: the same codes. */
#define MW_HT_FUNC 0x70u
#define MW_HT_EXTERN 0x6Fu
#define MW_HT_ANY 0x6Eu
#define MW_HT_EQ 0x6Du
#define MW_HT_I31 0x6Cu
#define MW_HT_STRUCT 0x6Bu
#define MW_HT_ARRAY 0x6Au
#define MW_HT_EXN 0x69u
#define MW_HT_NONE 0x71u
#define MW_HT_NOEXTERN 0x72u
#define MW_HT_NOFUNC 0x73u
#define MW_HT_NOEXN 0x74u
#define MW_VT_NONNULL 0x100u
#define MW_VT_IDX 0x200u
#define MW_VT_MUT 0x40000000u
#define MW_VT_INDEX_SHIFT 10
#define MW_VT_MAX_INDEX ((1u << 20) - 1)
/* (ref null? ht) for an abstract heap type, and for type index i. */
#define MW_REF(nullable, ht) \
  ((mw_valtype)((unsigned)(ht) | ((nullable) ? 0u : MW_VT_NONNULL)))
#define MW_HT_IDX(i) (MW_VT_IDX | ((unsigned)(i) << MW_VT_INDEX_SHIFT))
#define MW_REF_IDX(nullable, i) MW_REF(nullable, MW_HT_IDX(i))
#define MW_VT_NULLABLE(t) (((unsigned)(t) & MW_VT_NONNULL) == 0)
#define MW_VT_IS_IDX(t) (((unsigned)(t) & MW_VT_IDX) != 0)
#define MW_VT_INDEX(t) (((unsigned)(t) >> MW_VT_INDEX_SHIFT) & MW_VT_MAX_INDEX)
/* The heap type of a reference type (nullability and mutability off). */
#define MW_VT_HEAP(t) ((unsigned)(t) & ~(MW_VT_NONNULL | MW_VT_MUT))
/* The type without a field's mutability bit. */
#define MW_VT_PLAIN(t) ((mw_valtype)((unsigned)(t) & ~MW_VT_MUT))

typedef struct mw_func mw_func;
typedef struct mw_table mw_table;
typedef struct mw_memory mw_memory;
typedef struct mw_global mw_global;
typedef struct mw_module mw_module;
typedef struct mw_store mw_store;
typedef struct mw_instance mw_instance;
typedef struct mw_caller mw_caller;
typedef struct mw_error mw_error;
typedef struct mw_functype mw_functype;
typedef struct mw_tag mw_tag;
typedef struct mw_exn mw_exn;

/* A typed value.  Floats are carried as bit patterns so NaN payloads survive;
 * use mw_val_f32()/mw_val_f64() and mw_val_as_f32()/_f64() for plain floats.
 * funcref: a function or NULL.  externref: an opaque host pointer, NULL being
 * ref.null extern.  v128: its 16 bytes as they would be stored in memory. */
typedef struct mw_val {
  mw_valtype type;
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    mw_func *funcref;
    void *externref;
    mw_exn *exnref; /* exception handling: an exception of a store, or NULL */
    uint8_t v128[16];
  } of;
} mw_val;

mw_val mw_val_i32(int32_t v);
mw_val mw_val_i64(int64_t v);
mw_val mw_val_f32(float v);
mw_val mw_val_f64(double v);
mw_val mw_val_f32_bits(uint32_t bits);
mw_val mw_val_f64_bits(uint64_t bits);
mw_val mw_val_funcref(mw_func *f);
mw_val mw_val_externref(void *p);
mw_val mw_val_v128(const uint8_t bytes[16]);
float mw_val_as_f32(mw_val v);
double mw_val_as_f64(mw_val v);
/* "i32", "funcref", ... for the types with a one-word name; "?" for
 * others (use mw_valtype_format). */
const char *mw_valtype_name(mw_valtype t);
/* Any value type in the text format's words: "i32", "funcref", "(ref
 * func)", "(ref null 3)", "(ref 3)", "i8"; a mutable field as "(mut
 * i32)".  Writes at most n bytes (NUL included); returns the length the
 * whole text needs, as snprintf does. */
size_t mw_valtype_format(mw_valtype t, char *buf, size_t n);
/* Is t a reference type (any heap type, nullable or not)? */
bool mw_valtype_is_reference(mw_valtype t);
/* A reference value crossing this API (mw_val) is typed by the top of its
 * type's hierarchy, its "class": MW_FUNCREF (func, nofunc and function
 * types), MW_EXTERNREF, MW_ANYREF (any, eq, i31, struct, array, none and
 * struct and array types) or MW_EXNREF.  Values the runtime hands out
 * carry the class; values handed in may carry the class or the exact
 * type, and are checked against the exact type where they go (null for a
 * non-nullable type, a function of another type).  The class of an
 * abstract reference type (a type index: 0, its module decides); t itself
 * for other types. */
mw_valtype mw_valtype_top(mw_valtype t);

/* ---------------------------------------------------------------- errors */

typedef enum mw_error_kind {
  MW_ERR_MALFORMED = 1,   /* the binary cannot be decoded */
  MW_ERR_INVALID,         /* it decodes but does not validate */
  MW_ERR_UNLINKABLE,      /* an import is missing or has the wrong type */
  MW_ERR_UNINSTANTIABLE,  /* instantiation failed other than by a trap */
  MW_ERR_TRAP,            /* a runtime trap, in a call or in the start function */
  MW_ERR_EXHAUSTION,      /* call stack or value stack exhausted */
  MW_ERR_HOST,            /* a host function reported failure */
  MW_ERR_OUT_OF_MEMORY,   /* the allocator refused */
  MW_ERR_USAGE,           /* the API was misused (wrong arity, wrong type...) */
  MW_ERR_EXIT,            /* the guest asked to exit (WASI proc_exit); the
                             code is mw_error_exit_code() */
  MW_ERR_EXCEPTION        /* a wasm exception nobody caught: its tag and
                             values (mw_error_exception_*), see exception.c */
} mw_error_kind;

/* One frame of a trap backtrace, innermost first. */
typedef struct mw_frame_info {
  uint32_t func_index;     /* index in its module's function index space */
  const char *func_name;   /* from the name section or an export; may be NULL */
  size_t func_name_len;
  const char *module_name; /* from the name section; may be NULL */
  size_t module_name_len;
  uint32_t code_offset;    /* offset of the function body in the binary */
} mw_frame_info;

mw_error_kind mw_error_kind_of(const mw_error *e);
const char *mw_error_kind_name(mw_error_kind k); /* "malformed", "trap", ... */
/* The message, in the spec's wording where the spec has one
 * ("integer divide by zero").  Borrowed from the error. */
const char *mw_error_message(const mw_error *e);
size_t mw_error_frame_count(const mw_error *e);
const mw_frame_info *mw_error_frame(const mw_error *e, size_t i);
/* For MW_ERR_HOST errors: the payload a host function attached. */
void *mw_error_host_data(const mw_error *e);
/* Create an error, e.g. from a host function.  Caller owns the result.
 * `message` is copied.  Never returns NULL (falls back to a static
 * out-of-memory error). */
mw_error *mw_error_new(mw_error_kind kind, const char *message);
/* A host error carrying a payload the embedder interprets (the Lua binding
 * uses it to re-raise the original Lua value). */
mw_error *mw_error_new_host(const char *message, void *host_data);
void mw_error_free(mw_error *e); /* NULL is fine */
/* An MW_ERR_EXIT error: the guest's exit status (WASI proc_exit). */
mw_error *mw_error_new_exit(int32_t code);
int32_t mw_error_exit_code(const mw_error *e);

/* ---------------------------------------------------------------- config */

typedef void *(*mw_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

enum {
  MW_FEATURE_MUTABLE_GLOBALS = 1u << 0,
  MW_FEATURE_SIGN_EXT = 1u << 1,
  MW_FEATURE_SAT_CONV = 1u << 2,
  MW_FEATURE_MULTI_VALUE = 1u << 3,
  MW_FEATURE_BULK_MEMORY = 1u << 4,
  MW_FEATURE_REFERENCE_TYPES = 1u << 5,
  MW_FEATURE_SIMD = 1u << 6,
  /* Wasm 3.0 features.  Without its bit, an instruction of a feature is an
   * "illegal opcode" (naming the feature); with it, one the runtime does
   * not implement yet is rejected as "<feature> is not supported". */
  MW_FEATURE_TAIL_CALL = 1u << 7,
  MW_FEATURE_RELAXED_SIMD = 1u << 8,
  MW_FEATURE_FUNCTION_REFERENCES = 1u << 9,
  MW_FEATURE_GC = 1u << 10,
  MW_FEATURE_EXCEPTIONS = 1u << 11,
  MW_FEATURE_LEGACY_EXCEPTIONS = 1u << 12,
  /* Wasm 3.0 features without opcodes of their own: global.get and i32/i64
   * add, sub, mul in constant expressions; several memories; memories and
   * tables indexed by i64.  Off, modules using them fail as in Wasm 2.0. */
  MW_FEATURE_EXTENDED_CONST = 1u << 13,
  MW_FEATURE_MULTI_MEMORY = 1u << 14,
  MW_FEATURE_MEMORY64 = 1u << 15,
  /* Wasm 3.0: a constant expression may read any earlier immutable global,
   * not only imported ones (Wasm 2.0 and the extended-const proposal); and
   * global.set of an immutable one is "immutable global", as the 3.0
   * reference says (2.0: "global is immutable"). */
  MW_FEATURE_CONST_GLOBALS = 1u << 16,
  MW_FEATURES_WASM1 = 0,
  MW_FEATURES_WASM2 = (1u << 7) - 1, /* all of Wasm 2.0, SIMD included */
  /* mw_config_default's: Wasm 2.0 and the parts of Wasm 3.0 implemented
   * so far. */
  MW_FEATURES_DEFAULT = MW_FEATURES_WASM2 | MW_FEATURE_EXTENDED_CONST |
                        MW_FEATURE_CONST_GLOBALS | MW_FEATURE_TAIL_CALL |
                        MW_FEATURE_MULTI_MEMORY | MW_FEATURE_RELAXED_SIMD |
                        MW_FEATURE_MEMORY64 | MW_FEATURE_FUNCTION_REFERENCES |
                        MW_FEATURE_GC | MW_FEATURE_EXCEPTIONS |
                        MW_FEATURE_LEGACY_EXCEPTIONS
};

/* SIMD (MW_FEATURE_SIMD, on by default) and relaxed SIMD
 * (MW_FEATURE_RELAXED_SIMD, on in mw_config_default).  Without SIMD, a
 * module naming v128 is malformed: "malformed value type (v128 at byte
 * offset N: SIMD is not enabled)", and a SIMD instruction is an "illegal
 * opcode" naming the instruction, SIMD and its byte offset.
 *
 * Relaxed SIMD lets each instruction pick among several results; moonwasm
 * always makes the same choice, on every host:
 *   i8x16.relaxed_swizzle          = i8x16.swizzle (index >= 16 gives 0)
 *   i32x4.relaxed_trunc_f32x4_s/u  = i32x4.trunc_sat_f32x4_s/u
 *   i32x4.relaxed_trunc_f64x2_s/u_zero = i32x4.trunc_sat_f64x2_s/u_zero
 *   f32x4/f64x2.relaxed_madd       = fused a*b+c, rounded once (fma)
 *   f32x4/f64x2.relaxed_nmadd      = fused -(a*b)+c, rounded once
 *   i8x16/i16x8/i32x4/i64x2.relaxed_laneselect = v128.bitselect (bitwise)
 *   f32x4/f64x2.relaxed_min/max    = f32x4/f64x2.min/max (NaN and -0 exact)
 *   i16x8.relaxed_q15mulr_s        = i16x8.q15mulr_sat_s (saturating)
 *   i16x8.relaxed_dot_i8x16_i7x16_s: the second operand's lanes are read as
 *       signed; each pair sum wraps modulo 2^16
 *   i32x4.relaxed_dot_i8x16_i7x16_add_s: signed lanes as above, the four
 *       products and the addend summed modulo 2^32 */

/* A plain struct: fill it with mw_config_default() and adjust fields. */
typedef struct mw_config {
  uint32_t features;           /* MW_FEATURE_* bits */
  uint32_t max_memory_pages;   /* memory.grow fails past this (<= 65536) */
  uint32_t max_table_size;     /* table.grow fails past this */
  uint32_t max_call_depth;     /* nested wasm calls before "call stack exhausted" */
  uint32_t max_host_depth;     /* nested host->wasm re-entries */
  size_t value_stack_slots;    /* 8-byte slots in a store's value stack */
  mw_alloc_fn alloc;           /* lua_Alloc-style; NULL means malloc/free */
  void *alloc_ud;
  /* Statistics (see mw_store_stats).  Counting is compiled into the code of
   * modules decoded with count_instructions or count_cost set: blocks of
   * straight-line code add their instruction count and cost on entry.
   * cost_table, if not NULL, has MW_COST_TABLE_SIZE entries, the cost of
   * each instruction by mw_instruction_index(); NULL means 1 each.  It is
   * copied by mw_module_decode.  cost_limit (0: none) applies to the code
   * a store runs: past it a call fails with MW_ERR_EXHAUSTION "cost limit
   * exceeded". */
  bool count_instructions;
  bool count_cost;
  const uint64_t *cost_table;
  uint64_t cost_limit;
  /* Validation compiles function bodies on up to compile_threads threads
   * (0: one per processor, at most 8, and only for modules with 1 MB of
   * code or more; 1: never), when the allocator is thread-safe: alloc NULL
   * (malloc), or alloc_threadsafe set.  The result is the same either way.
   * A body is compiled on its first call, on the calling thread: for a
   * module shared by stores on several threads whose allocator is not
   * declared thread-safe, those compiles take a lock of the module's. */
  uint32_t compile_threads;
  bool alloc_threadsafe;
  /* Validation checks every body at load, but compiles a body only when
   * it is first called (the module is then ready sooner, and code never
   * run is never compiled).  eager_compile: compile all at load, as the
   * environment variable MOONWASM_COMPILE=eager does for every module. */
  bool eager_compile;
} mw_config;

/* The cost table is indexed by instruction: this many entries (room for
 * every instruction of Wasm 3.0, SIMD and relaxed SIMD included). */
#define MW_COST_TABLE_SIZE 768
/* An instruction's index in a cost table, from its text name ("i32.add"),
 * or -1 if there is no such instruction; and the name at an index, or NULL
 * (both forms of `select` share a name: iterate to set a cost by name). */
int mw_instruction_index(const char *name);
const char *mw_instruction_name(int index);

void mw_config_default(mw_config *cfg);

/* ---------------------------------------------------------------- types */

typedef enum mw_extern_kind {
  MW_EXTERN_FUNC = 0,
  MW_EXTERN_TABLE = 1,
  MW_EXTERN_MEMORY = 2,
  MW_EXTERN_GLOBAL = 3,
  MW_EXTERN_TAG = 4 /* exception handling */
} mw_extern_kind;

/* Limits of a memory (in pages) or a table (in elements).  64 bits wide:
 * a memory64 memory or table (is64, Wasm 3.0) is indexed by i64 and its
 * limits may pass 2^32. */
typedef struct mw_limits {
  uint64_t min;
  uint64_t max;
  bool has_max;
  bool is64;    /* address type i64 (memory64); else i32 */
} mw_limits;

typedef struct mw_tabletype {
  mw_valtype elem; /* MW_FUNCREF or MW_EXTERNREF */
  mw_limits limits;
} mw_tabletype;

typedef struct mw_memtype {
  mw_limits limits; /* in 64 KiB pages */
} mw_memtype;

typedef struct mw_globaltype {
  mw_valtype type;
  bool mutable_;
} mw_globaltype;

/* Function types.  Those of a module are borrowed from it; one made with
 * mw_functype_new is owned by the caller (mw_functype_free). */
mw_functype *mw_functype_new(const mw_config *cfg, const mw_valtype *params,
                             size_t nparams, const mw_valtype *results,
                             size_t nresults);
void mw_functype_free(mw_functype *t);
size_t mw_functype_param_count(const mw_functype *t);
size_t mw_functype_result_count(const mw_functype *t);
mw_valtype mw_functype_param(const mw_functype *t, size_t i);
mw_valtype mw_functype_result(const mw_functype *t, size_t i);
bool mw_functype_equal(const mw_functype *a, const mw_functype *b);

typedef struct mw_externtype {
  mw_extern_kind kind;
  union {
    const mw_functype *func; /* borrowed */
    mw_tabletype table;
    mw_memtype memory;
    mw_globaltype global;
    const mw_functype *tag; /* the tag's type: params, no results (borrowed) */
  } of;
} mw_externtype;

/* A runtime object of one of the four kinds (borrowed). */
typedef struct mw_extern {
  mw_extern_kind kind;
  union {
    mw_func *func;
    mw_table *table;
    mw_memory *memory;
    mw_global *global;
    mw_tag *tag;
  } of;
} mw_extern;

/* ---------------------------------------------------------------- modules */

/* Decode a binary module.  `bytes` is copied.  `cfg` may be NULL (defaults).
 * On success *out is a module with one reference, owned by the caller.
 * Errors: MW_ERR_MALFORMED with the spec's message. */
mw_error *mw_module_decode(const mw_config *cfg, const uint8_t *bytes,
                           size_t len, mw_module **out);
/* Validate and compile every function (once; later calls return the first
 * result again).  Errors: MW_ERR_INVALID, or MW_ERR_MALFORMED for a body
 * that cannot be decoded. */
mw_error *mw_module_validate(mw_module *m);
mw_module *mw_module_retain(mw_module *m);
void mw_module_release(mw_module *m); /* frees at zero references */

typedef struct mw_import_desc {
  const char *module;
  size_t module_len;
  const char *name;
  size_t name_len;
  mw_externtype type;
  /* NULL, unless a module not yet validated names an index it does not
   * have: then the spec's message for it ("unknown type", "unknown
   * function", "unknown table", "unknown memory", "unknown global", a
   * static string) with the index in unknown_index, and `type` has only
   * its kind (type.of.func is NULL) and must not be used. */
  const char *unknown;
  uint32_t unknown_index;
} mw_import_desc;

typedef struct mw_export_desc {
  const char *name;
  size_t name_len;
  mw_externtype type;
  const char *unknown; /* as in mw_import_desc */
  uint32_t unknown_index;
} mw_export_desc;

/* Strings and types in the descriptors are borrowed from the module.  An
 * index past the count yields an all-zero descriptor (NULL names).  On a
 * validated module `unknown` is always NULL, so type.of.func of a
 * function is never NULL; before validation, check `unknown` first. */
size_t mw_module_import_count(const mw_module *m);
void mw_module_import(const mw_module *m, size_t i, mw_import_desc *out);
size_t mw_module_export_count(const mw_module *m);
void mw_module_export(const mw_module *m, size_t i, mw_export_desc *out);
size_t mw_module_custom_count(const mw_module *m);
void mw_module_custom(const mw_module *m, size_t i, const char **name,
                      size_t *name_len, const uint8_t **data, size_t *len);
/* The name of function `func_index` from the name section, or NULL. */
const char *mw_module_func_name(const mw_module *m, uint32_t func_index,
                                size_t *len);

/* ---------------------------------------------------------------- host objects */

/* A host function.  `args` holds the parameters, typed per the function type;
 * write every result into `results` with the declared types.  Return NULL on
 * success, or an error (it becomes a trap that unwinds the wasm frames and
 * is handed back, unchanged, to whoever made the outermost call). */
typedef mw_error *(*mw_host_fn)(mw_caller *caller, const mw_val *args,
                                mw_val *results, void *userdata);

/* Objects made with these _new functions belong to the caller and must
 * outlive every store that uses them; release them with the matching _free
 * once those stores are freed.  `finalizer` (may be NULL) is called with
 * `userdata` by mw_func_free.  `type` is copied.  NULL on out of memory. */
mw_func *mw_func_new(const mw_config *cfg, const mw_functype *type,
                     mw_host_fn fn, void *userdata, void (*finalizer)(void *));
void mw_func_free(mw_func *f);
const mw_functype *mw_func_type(const mw_func *f);
/* The instance that defines a wasm function, NULL for a host function. */
mw_instance *mw_func_instance(const mw_func *f);
void *mw_func_userdata(const mw_func *f);

/* mw_memory_new: NULL on out of memory or if min exceeds the limits. */
mw_memory *mw_memory_new(const mw_config *cfg, mw_memtype type);
void mw_memory_free(mw_memory *m);
mw_memtype mw_memory_type(const mw_memory *m); /* min = current pages */
/* The bytes.  The pointer changes when the memory grows: don't keep it
 * across anything that can run wasm. */
uint8_t *mw_memory_data(mw_memory *m);
size_t mw_memory_size(const mw_memory *m); /* in bytes */
uint32_t mw_memory_pages(const mw_memory *m);
/* Grow by `delta` pages: the old size in pages, or -1 (memory unchanged)
 * past the maximum, the configured limit, or on out of memory. */
int64_t mw_memory_grow(mw_memory *m, uint32_t delta);

mw_table *mw_table_new(const mw_config *cfg, mw_tabletype type, mw_val init);
void mw_table_free(mw_table *t);
mw_tabletype mw_table_type(const mw_table *t); /* min = current size */
uint32_t mw_table_size(const mw_table *t);
bool mw_table_get(const mw_table *t, uint32_t i, mw_val *out); /* false: OOB */
/* Errors: out of bounds (trap "out of bounds table access") or a value of
 * the wrong type (usage). */
mw_error *mw_table_set(mw_table *t, uint32_t i, mw_val v);
int64_t mw_table_grow(mw_table *t, uint32_t delta, mw_val init); /* old size or -1 */

mw_global *mw_global_new(const mw_config *cfg, mw_globaltype type, mw_val v);
void mw_global_free(mw_global *g);
mw_globaltype mw_global_type(const mw_global *g);
mw_val mw_global_get(const mw_global *g);
/* Errors (usage): immutable global, or a value of the wrong type. */
mw_error *mw_global_set(mw_global *g, mw_val v);

/* ---------------------------------------------------------------- exceptions */

/* Exception handling (Wasm 3.0, and the legacy try/catch/delegate).  A tag
 * identifies a kind of exception and types its values (a function type
 * with params only).  mw_tag_new copies `type`; the tag is the caller's,
 * reference-counted so that exceptions and errors still naming it stay
 * valid after mw_tag_free.  NULL on out of memory or if `type` has results. */
mw_tag *mw_tag_new(const mw_config *cfg, const mw_functype *type);
void mw_tag_free(mw_tag *t); /* drops one reference */
mw_tag *mw_tag_retain(mw_tag *t); /* one more reference (freed by mw_tag_free) */
const mw_functype *mw_tag_type(const mw_tag *t); /* borrowed from the tag */

/* An exception that leaves wasm uncaught is an MW_ERR_EXCEPTION error
 * ("uncaught exception") carrying its tag and values.  A host function
 * throws one by returning mw_error_new_exception (values are copied and
 * must match the tag's types, else the error is a usage error): wasm code
 * can catch it with a handler for that tag or a catch_all.  Any other
 * error a host returns is not catchable by wasm: it unwinds every frame
 * as before. */
mw_error *mw_error_new_exception(mw_tag *tag, const mw_val *vals, size_t n);
mw_tag *mw_error_exception_tag(const mw_error *e); /* NULL if not one */
size_t mw_error_exception_count(const mw_error *e);
mw_val mw_error_exception_value(const mw_error *e, size_t i);

/* An exnref value: the exception's tag and values (borrowed; valid while
 * the store lives), and a new exception in store `s` (NULL on OOM or a
 * type mismatch), e.g. to pass an exnref argument. */
mw_tag *mw_exn_tag(const mw_exn *x);
mw_val mw_exn_value(const mw_exn *x, size_t i);
mw_exn *mw_exn_new(mw_store *s, mw_tag *tag, const mw_val *vals, size_t n);

/* ---------------------------------------------------------------- stores */

/* A store owns the instances made in it and the value stack they run on.
 * `cfg` is copied; NULL means defaults.  NULL on out of memory. */
mw_store *mw_store_new(const mw_config *cfg);
/* Frees the store and every instance in it (and their functions, memories,
 * tables and globals).  Host objects it imported are not freed. */
void mw_store_free(mw_store *s);
const mw_config *mw_store_config(const mw_store *s);

/* What the store's calls have counted so far (modules must be decoded with
 * counting on; see mw_config).  Reset sets both to zero. */
typedef struct mw_stats {
  uint64_t instructions;
  uint64_t cost;
} mw_stats;
void mw_store_stats(const mw_store *s, mw_stats *out);
void mw_store_reset_stats(mw_store *s);

/* The store's registry of importable names, used by mw_instantiate.
 * Define one (module, name) -> object.  Redefining replaces. */
mw_error *mw_store_define(mw_store *s, const char *module, size_t module_len,
                          const char *name, size_t name_len, mw_extern ext);
/* Make every export of `inst` importable as `name`.<export>. */
mw_error *mw_store_register(mw_store *s, const char *name, size_t name_len,
                            mw_instance *inst);
/* Look a (module, name) pair up in the registry. */
bool mw_store_lookup(const mw_store *s, const char *module, size_t module_len,
                     const char *name, size_t name_len, mw_extern *out);

/* ---------------------------------------------------------------- instances */

/* Instantiate `m` (validating it first if needed), resolving each import by
 * (module, name) in the store's registry.  Errors: invalid/malformed from
 * validation; MW_ERR_UNLINKABLE "unknown import" / "incompatible import
 * type"; MW_ERR_TRAP from segment initialisation or the start function (the
 * instance then still exists in the store but *out is NULL).  On success
 * *out is borrowed from the store. */
mw_error *mw_instantiate(mw_store *s, mw_module *m, mw_instance **out);
/* The same with explicit imports, one per module import, in order. */
mw_error *mw_instantiate_with(mw_store *s, mw_module *m, const mw_extern *imports,
                              size_t nimports, mw_instance **out);

mw_module *mw_instance_module(const mw_instance *inst); /* borrowed */
mw_store *mw_instance_store(const mw_instance *inst);
bool mw_instance_export(const mw_instance *inst, const char *name,
                        size_t name_len, mw_extern *out);
size_t mw_instance_export_count(const mw_instance *inst);
/* The i-th export: its name (borrowed) and object. */
void mw_instance_export_at(const mw_instance *inst, size_t i, const char **name,
                           size_t *name_len, mw_extern *out);
/* The instance's memory 0, or NULL. */
mw_memory *mw_instance_memory(const mw_instance *inst);

/* ---------------------------------------------------------------- calls */

/* Call `f` with `nargs` arguments; on success the results are written to
 * `results` (which must have room for `nresults`).  Counts and argument
 * types are checked (MW_ERR_USAGE).  The call runs on `s`'s value stack; a
 * host function may call back in (re-entry) up to max_host_depth deep. */
mw_error *mw_func_call(mw_store *s, mw_func *f, const mw_val *args,
                       size_t nargs, mw_val *results, size_t nresults);

/* Raw calls: values in the interpreter's own frame layout, for bindings
 * that call often and know the types (the Lua binding's fast paths).  One
 * mw_raw per value, two consecutive ones for a v128 (its bytes in memory
 * order); i32 in .i32 (the upper half ignored), f32/f64 as .f32/.f64 (bit
 * patterns kept), references as .ref (a mw_func* or an externref pointer). */
typedef union mw_raw {
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  uint64_t u64;
  float f32;
  double f64;
  void *ref;
} mw_raw;
/* Call `f` with its parameters in io[0 ..]; on success its results are in
 * io[0 ..].  io must have room for the larger of the two.  Nothing is
 * checked: the values must have f's parameter types (a reference must be
 * one the store may use), or the behaviour is undefined.  Otherwise as
 * mw_func_call (re-entry, fibers, interrupts, errors). */
mw_error *mw_func_call_raw(mw_store *s, mw_func *f, mw_raw *io);
/* A host function on raw values: parameters in io[0 ..], results written
 * to io[0 ..] (room for the larger of the two), of the declared types --
 * they are not checked, so a reference result must be valid. */
typedef mw_error *(*mw_host_raw_fn)(mw_caller *caller, mw_raw *io,
                                    void *userdata);
/* mw_func_new for a raw host function (same ownership and contract). */
mw_func *mw_func_new_raw(const mw_config *cfg, const mw_functype *type,
                         mw_host_raw_fn fn, void *userdata,
                         void (*finalizer)(void *));

/* Inside a host function: who called. */
mw_store *mw_caller_store(const mw_caller *c);
mw_instance *mw_caller_instance(const mw_caller *c); /* NULL if called from C */
mw_memory *mw_caller_memory(const mw_caller *c);     /* instance's memory 0 or NULL */
bool mw_caller_export(const mw_caller *c, const char *name, size_t name_len,
                      mw_extern *out);

/* ---------------------------------------------------------------- GC references (Wasm 3.0) */

/* A reference of the any hierarchy (anyref, eqref, i31ref, structref,
 * arrayref, (ref $t) of a struct or array type, ...) travels in mw_val
 * (of.externref) as an opaque pointer owned by the store's heap: NULL, an
 * i31 (no storage), a struct or array, or a host value that wasm made an
 * anyref of (any.convert_extern).  An externref may also be an
 * externalized any value (extern.convert_any).  A reference is valid in
 * the store that made it, and only while something keeps it alive: wasm
 * (its stack, globals, tables, objects) or the host, which holds it with
 * mw_ref_hold (counted) until mw_ref_release.  A reference the host keeps
 * across calls into wasm must be held: a collection may run in any call. */
typedef enum mw_ref_kind {
  MW_REF_NULL = 0,
  MW_REF_I31,
  MW_REF_STRUCT,
  MW_REF_ARRAY,
  MW_REF_HOST,   /* a host value in the any hierarchy: mw_ref_host_value */
  MW_REF_OTHER   /* an exception, or a value of the func hierarchy */
} mw_ref_kind;

/* The hierarchy of reference type t read in function type ft's module:
 * MW_HT_ANY, MW_HT_EXTERN, MW_HT_FUNC or MW_HT_EXN; 0 if t is not a
 * reference type. */
unsigned mw_functype_ref_top(const mw_functype *ft, mw_valtype t);
/* Does reference ref have type t (of function type ft's module)?  For the
 * any hierarchy ref must be a valid reference of the store. */
bool mw_ref_matches(const mw_functype *ft, mw_valtype t, void *ref);
/* What an any-hierarchy reference is. */
mw_ref_kind mw_ref_kind_of(const void *ref);
int32_t mw_ref_i31_value(const void *ref); /* MW_REF_I31: its value, signed */
void *mw_ref_host_value(const void *ref);  /* MW_REF_HOST: the host value */
void *mw_ref_i31(int32_t v);               /* ref.i31 (low 31 bits kept) */
/* any.convert_extern / extern.convert_any: a host value as an anyref (a
 * new object unless it is an externalized one), and an anyref as an
 * externref.  NULL error, or out of memory. */
mw_error *mw_ref_internalize(mw_store *s, void *ext, void **out);
mw_error *mw_ref_externalize(mw_store *s, void *any, void **out);
/* Is this externref an externalized any value of s? */
bool mw_ref_is_externalized(mw_store *s, const void *ext);
/* Keep `ref` (any hierarchy) alive until released; false when out of
 * memory.  Null and i31 references need nothing and are accepted. */
bool mw_ref_hold(mw_store *s, void *ref);
void mw_ref_release(mw_store *s, void *ref);
/* No collection in s while paused (counted): for a host that makes
 * several references before it hands them to wasm. */
void mw_store_gc_pause(mw_store *s, bool pause);
/* Collect now (false if it could not run here). */
bool mw_store_gc_collect(mw_store *s);
typedef struct mw_gc_info {
  uint64_t collections;
  uint64_t objects_allocated, bytes_allocated;
  uint64_t objects_freed, bytes_freed;
  size_t live_objects, live_bytes;
} mw_gc_info;
void mw_store_gc_info(mw_store *s, mw_gc_info *out);

#ifdef __cplusplus
}
#endif
#endif

/* ================================================================ WASI
 *
 * WASI preview 1 (the "wasi_snapshot_preview1" import module), sandboxed:
 * a guest reaches the host file system only through its preopened
 * directories, and no path -- with "..", absolute, or through symlinks,
 * its own or the host's -- leads out of them (such attempts fail with
 * errno `notcapable`, 76).  Guest pointers are bounds-checked: out of range
 * is errno `fault` (21), never a crash.
 *
 * Use:
 *     mw_wasi_config wc;
 *     mw_wasi_config_default(&wc);            // stdio inherited, no args
 *     wc.args = argv; wc.nargs = 2;
 *     mw_wasi_preopen dir = {"/tmp/box", "/sandbox"};
 *     wc.preopens = &dir; wc.npreopens = 1;
 *     mw_wasi *w = mw_wasi_new(NULL, &wc, &err);
 *     mw_wasi_define(w, store);               // then instantiate
 *     mw_wasi_start(w, store, inst, &code);   // runs _start
 *     ... mw_store_free(store); mw_wasi_free(w);
 *
 * An mw_wasi holds the guest's fd table, args and environment; like a
 * store, it serves one thread at a time.  Use one per program run.
 *
 * A separate include guard: this section was appended to the header.
 */
#ifndef MOONWASM_WASI_H
#define MOONWASM_WASI_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mw_wasi mw_wasi;

/* A few WASI errno values (typenames.witx `errno`) for stdio callbacks. */
enum {
  MW_WASI_EAGAIN = 6,
  MW_WASI_EBADF = 8,
  MW_WASI_EIO = 29,
  MW_WASI_ENOSPC = 51,
  MW_WASI_EPIPE = 64
};

/* stdio callbacks.  Return the number of bytes transferred (0 from `read`
 * is end of file; `write` may take fewer than `len`), or a negated WASI
 * errno (-MW_WASI_EIO) that the guest sees as the call's error.  To stop
 * the guest altogether, store an error in *trap (the return value is then
 * ignored): it unwinds the wasm frames and reaches the outermost caller
 * unchanged, as a host function's error does.  `buf` points into guest
 * memory: don't keep it, and don't run wasm in the callback.  Callback
 * streams look like pipes to the guest (filetype unknown, not a tty), so
 * wasi-libc buffers stdout fully: output arrives on fflush, when the buffer
 * fills, and at exit. */
typedef int64_t (*mw_wasi_read_fn)(void *ud, uint8_t *buf, size_t len,
                                   mw_error **trap);
typedef int64_t (*mw_wasi_write_fn)(void *ud, const uint8_t *buf, size_t len,
                                    mw_error **trap);

typedef enum mw_wasi_stdio_kind {
  MW_WASI_STDIO_INHERIT = 0, /* the host's own fd 0, 1 or 2 */
  MW_WASI_STDIO_FD,          /* `fd`, a host file descriptor */
  MW_WASI_STDIO_CALLBACK,    /* `read` (stdin) or `write` (stdout, stderr) */
  MW_WASI_STDIO_NULL         /* like /dev/null: EOF to reads, writes dropped */
} mw_wasi_stdio_kind;

/* One of the guest's fds 0, 1, 2.  Host fds are borrowed, never closed;
 * the guest cannot change their status flags (fd_fdstat_set_flags answers
 * `notsup`), so it cannot make the host's terminal non-blocking. */
typedef struct mw_wasi_stdio {
  mw_wasi_stdio_kind kind;
  int fd;                 /* MW_WASI_STDIO_FD */
  mw_wasi_read_fn read;   /* MW_WASI_STDIO_CALLBACK, stdin */
  mw_wasi_write_fn write; /* MW_WASI_STDIO_CALLBACK, stdout and stderr */
  void *ud;               /* passed to the callbacks; borrowed */
} mw_wasi_stdio;

/* A host directory the guest sees as `guest_path` (e.g. "/sandbox" or
 * "."): its fd 3, 4, ... in order. */
typedef struct mw_wasi_preopen {
  const char *host_path;
  const char *guest_path;
} mw_wasi_preopen;

/* A plain struct of borrowed pointers: mw_wasi_new copies every string it
 * needs, so they need only live until it returns.  Strings are
 * NUL-terminated (WASI hands them to the guest NUL-terminated). */
typedef struct mw_wasi_config {
  const char *const *args;   /* argv, args[0] being the program name */
  size_t nargs;
  const char *const *env;    /* "KEY=VALUE" strings */
  size_t nenv;
  const mw_wasi_preopen *preopens;
  size_t npreopens;
  mw_wasi_stdio stdio[3];    /* stdin, stdout, stderr */
} mw_wasi_config;

/* No args, no environment, no preopens, stdio inherited. */
void mw_wasi_config_default(mw_wasi_config *wc);

/* Build a WASI context: copies `wc`, opens each preopen directory, and
 * creates the host functions.  `cfg` (copied; NULL means defaults) gives
 * the allocator.  Returns NULL on failure, with *err (caller owns) saying
 * why: MW_ERR_USAGE for a preopen that cannot be opened as a directory,
 * MW_ERR_OUT_OF_MEMORY.  The caller owns the result: mw_wasi_free. */
mw_wasi *mw_wasi_new(const mw_config *cfg, const mw_wasi_config *wc,
                     mw_error **err); /* wc NULL: the defaults */
/* Define every wasi_snapshot_preview1 function in `s`'s registry
 * (mw_store_define), for mw_instantiate to find.  The functions belong to
 * `w`: it must outlive every store it was defined in. */
mw_error *mw_wasi_define(mw_wasi *w, mw_store *s);
/* Run the command `inst` (instantiated after mw_wasi_define): call its
 * `_start` export.  proc_exit(n) ends the run with *exit_code = n and NULL;
 * a return from _start is exit code 0; either way mw_wasi_exited() is then
 * true.  Any other error (a trap, ...) is returned (caller owns it).
 * MW_ERR_USAGE if there is no `_start` of type [] -> [].  `exit_code` may
 * be NULL. */
mw_error *mw_wasi_start(mw_wasi *w, mw_store *s, mw_instance *inst,
                        int32_t *exit_code);
/* Close every fd the guest still holds that the context opened (preopens,
 * files; never borrowed host fds) and free the functions.  NULL is fine. */
void mw_wasi_free(mw_wasi *w);
/* Whether the guest called proc_exit (or mw_wasi_start saw _start
 * return), and its status (0 until then). */
bool mw_wasi_exited(const mw_wasi *w);
int32_t mw_wasi_exit_code(const mw_wasi *w);

/* ---------------------------------------------------------------- text format */

/* Encode a module in the WebAssembly text format (`(module ...)`, or its
 * fields alone) to the binary format.  `text` need not be NUL-terminated.
 * On success *out (free it with mw_wat_free) and *out_len hold the binary;
 * on failure the error (caller owns it) is MW_ERR_MALFORMED, or
 * MW_ERR_INVALID for the few checks the text format makes itself, with
 * the reference interpreter's wording followed by " at LINE:COLUMN".
 * `features` (MW_FEATURE_* bits) select between editions where their text
 * differs (memory64: offsets above 2^32-1).  Every instruction of the
 * opcode table is encoded; the decoder decides what the runtime supports. */
mw_error *mw_wat_to_wasm(const char *text, size_t len, uint32_t features,
                         unsigned char **out, size_t *out_len);
void mw_wat_free(unsigned char *bytes);

#ifdef __cplusplus
}
#endif
#endif /* MOONWASM_WASI_H */

/* ================================================================ host control
 *
 * Stopping a running guest: interruption, deadlines and fuel (hostctl.c).
 * The interpreter polls one word of the store at every back edge (a branch
 * to a loop header) and every wasm call; code that neither loops nor calls
 * ends on its own.  A stopped call fails with a trap; the store stays
 * usable and later calls run normally.
 */
#ifndef MOONWASM_HOSTCTL_H
#define MOONWASM_HOSTCTL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Make the wasm code running in `s` (or, if none runs, the next code that
 * loops or calls) trap with MW_ERR_TRAP "interrupted".  Async-signal-safe
 * and callable from any thread: it only sets a bit with an atomic
 * operation.  The request is consumed by the trap it causes. */
void mw_store_interrupt(mw_store *s);
/* Forget a pending interrupt that has not fired yet. */
void mw_store_clear_interrupt(mw_store *s);

/* Trap with MW_ERR_TRAP "deadline exceeded" once `ns` nanoseconds of the
 * monotonic clock have passed from now.  The clock is read every
 * MW_DEADLINE_POLL_EVERY polls, so the trap comes a few microseconds late
 * at most.  A deadline fires once; 0 removes it. */
void mw_store_set_deadline(mw_store *s, uint64_t ns);

/* Fuel, like wasmtime's: with fuel set, code runs until it has consumed
 * that much, then traps with MW_ERR_EXHAUSTION "all fuel consumed" unless
 * the refuel callback adds more.  In code compiled with counting (modules
 * decoded with count_instructions or count_cost) each wasm instruction
 * consumes one unit, charged per straight-line block on entry; in other
 * code each loop iteration and each call consumes one unit. */
void mw_store_set_fuel(mw_store *s, uint64_t fuel);
/* The fuel left; false (and *out = 0) when fuel is not in use. */
bool mw_store_get_fuel(const mw_store *s, uint64_t *out);
/* Stop consuming fuel. */
void mw_store_clear_fuel(mw_store *s);
/* Called when fuel runs out: returns the fuel to add (0: trap).  It runs
 * inside the interpreter: it must not call wasm in `s`. */
typedef uint64_t (*mw_refuel_fn)(mw_store *s, void *ud);
void mw_store_set_refuel(mw_store *s, mw_refuel_fn fn, void *ud);

/* Fibers (fiber.c): a call that can be suspended in a host function and
 * continued later, without any C stack of its own -- the interpreter keeps
 * its frames on the fiber's own value and frame stacks, so any number of
 * fibers of one store may be suspended at once and resumed in any order.
 *
 *     mw_fiber *fb = mw_fiber_new(store);
 *     mw_fiber_status st = mw_fiber_call(fb, f, args, nargs, &err);
 *     while (st == MW_FIBER_HOST_CALL) {
 *       // mw_fiber_host_func(fb) waits on the arguments
 *       // mw_fiber_host_args(fb, ...); run it, now or much later, then:
 *       st = mw_fiber_resume(fb, results, nresults, &err);
 *     }
 *     if (st == MW_FIBER_DONE) mw_fiber_results(fb, out, n);
 *     mw_fiber_free(fb);
 *
 * A host function called by the fiber's own wasm code suspends it by
 * returning mw_caller_suspend(caller) (check mw_caller_can_suspend: code
 * run by a nested mw_func_call, or a host function called through a tail
 * call, cannot suspend).  Between suspension and resumption the store may
 * run other calls and other fibers.  A fiber belongs to its store: free
 * it before the store, and never resume it after mw_store_free. */
typedef struct mw_fiber mw_fiber;
typedef enum mw_fiber_status {
  MW_FIBER_DONE = 0,   /* returned: mw_fiber_results */
  MW_FIBER_HOST_CALL,  /* suspended in a host function: resume or fail */
  MW_FIBER_FAILED      /* *err says why (caller owns it) */
} mw_fiber_status;

mw_fiber *mw_fiber_new(mw_store *s); /* NULL on out of memory */
void mw_fiber_free(mw_fiber *fb);    /* NULL is fine; any state */
/* Start calling `f` (checked like mw_func_call).  A fiber runs one call at
 * a time; once done or failed it may start another. */
mw_fiber_status mw_fiber_call(mw_fiber *fb, mw_func *f, const mw_val *args,
                              size_t nargs, mw_error **err);
/* While suspended: the host function, its arguments (the count is
 * returned; up to n written) and the caller to hand it. */
/* mw_fiber_call on raw values (as mw_func_call_raw: nothing checked,
 * the values must have f's parameter types); when it is DONE,
 * mw_fiber_results_raw(fb) points at the raw results (valid until the
 * fiber's next call), else NULL. */
mw_fiber_status mw_fiber_call_raw(mw_fiber *fb, mw_func *f, const mw_raw *args,
                                  mw_error **err);
const mw_raw *mw_fiber_results_raw(const mw_fiber *fb);
mw_func *mw_fiber_host_func(const mw_fiber *fb);
size_t mw_fiber_host_args(const mw_fiber *fb, mw_val *out, size_t n);
mw_caller *mw_fiber_caller(mw_fiber *fb);
/* Hand the host function's results back (typed as its results) and run
 * on.  Wrong counts or types fail the fiber (MW_ERR_HOST). */
mw_fiber_status mw_fiber_resume(mw_fiber *fb, const mw_val *results,
                                size_t nresults, mw_error **err);
/* The host function failed with `e` (ownership passes): the fiber unwinds
 * and fails with it (returned in *err, with the wasm backtrace added if
 * it has none). */
/* Raw forms of the host call a fiber waits on: its parameters, where the
 * results go (mw_raw, as for mw_host_raw_fn; NULL unless suspended in a
 * host call), and resuming once they are written there (nothing checked:
 * they must have the host function's result types). */
mw_raw *mw_fiber_host_raw(mw_fiber *fb);
mw_fiber_status mw_fiber_resume_raw(mw_fiber *fb, mw_error **err);
mw_fiber_status mw_fiber_fail(mw_fiber *fb, mw_error *e, mw_error **err);
/* The results of a call that is done; returns their count. */
size_t mw_fiber_results(const mw_fiber *fb, mw_val *out, size_t n);
mw_fiber_status mw_fiber_status_of(const mw_fiber *fb);
bool mw_caller_can_suspend(const mw_caller *c);
mw_error *mw_caller_suspend(mw_caller *c);

/* The wasm frames running when host function `c` was called, innermost
 * first, as an MW_ERR_TRAP error whose message is "backtrace" (read them
 * with mw_error_frame; the caller frees it).  NULL when called from C. */
mw_error *mw_caller_backtrace(const mw_caller *c);

/* Time spent in host functions called by wasm (nanoseconds, monotonic
 * clock), counted while `on`: wasm code a host function calls back counts
 * as host time.  A host function that suspends a fiber is not counted. */
void mw_store_time_host(mw_store *s, bool on);
uint64_t mw_store_host_ns(const mw_store *s);

/* Profiling (profile.c).  While on, the store counts calls of each wasm
 * function, its instructions (in counting code: see mw_config), and
 * samples time: every MW_PROFILE_POLL_EVERY polls (back edges and calls)
 * the time since the last sample goes to the running function (self) and
 * to every function on the stack (total), and to the stack as a whole.
 * Turning it on clears the previous profile; off keeps it for reading. */
mw_error *mw_store_profile(mw_store *s, bool on);
typedef struct mw_profile_func {
  uint32_t index;          /* in its instance's function space */
  const char *name;        /* name section; may be NULL (borrowed) */
  size_t name_len;
  const char *module;      /* module name; may be NULL (borrowed) */
  size_t module_len;
  uint64_t calls, instructions, self_ns, total_ns;
} mw_profile_func;
/* The functions seen (returns the count; up to n written). */
size_t mw_store_profile_funcs(const mw_store *s, mw_profile_func *out, size_t n);
/* Distinct stacks sampled (the count), and stack i: its time, and its
 * functions outermost first as indices into mw_store_profile_funcs'
 * list (returns the depth; up to n written). */
size_t mw_store_profile_stack_count(const mw_store *s);
size_t mw_store_profile_stack(const mw_store *s, size_t i, uint32_t *out,
                              size_t n, uint64_t *ns);

#ifdef __cplusplus
}
#endif
#endif /* MOONWASM_HOSTCTL_H */

/* ================================================================ AOT
 *
 * Ahead-of-time compilation (src/aot): every function of a validated module
 * is translated to C and compiled by the system C compiler into a shared
 * object, which then runs in place of the interpreter with the same
 * semantics, trap messages and limits.  Functions using instructions the
 * translator does not cover (Wasm 3.0; v128 parameters or results) stay
 * with the interpreter, as do modules decoded with statistics or cost
 * counting (config
 * count_instructions / count_cost: their METER instructions are the
 * interpreter's).  Traps carry the interpreter's backtraces: native and
 * interpreted frames, innermost first, cut the same way.
 *
 * TRUST: loading an artifact (a .so, or the native section of a universal
 * .wasm) runs its machine code in this process, outside any sandbox.  The
 * checks made first (a hash of the wasm bytes, the moonwasm version, the
 * target, the runtime's layout) catch mistakes -- a stale or foreign
 * artifact -- not malice.  Load only artifacts you would run as a program.
 *
 * A separate include guard: this section was appended to the header.
 */
#ifndef MOONWASM_AOT_H
#define MOONWASM_AOT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mw_aot_options {
  const char *cc;     /* C compiler; NULL: $MOONWASM_CC, else "cc" */
  const char *opt;    /* optimisation level without the dash: "O0".."O3",
                         "Os"; NULL: "O2" */
  const char *keep_c; /* if not NULL, the generated C is also written here */
} mw_aot_options;

typedef enum mw_aot_format {
  MW_AOT_SO = 0,    /* a shared object that carries the wasm bytes */
  MW_AOT_UNIVERSAL  /* the wasm module plus a custom section "moonwasm.aot"
                       holding the shared object: runs anywhere, natively
                       where the section matches the machine and version */
} mw_aot_format;

/* Validate `m` (if not yet) and write the artifact to `out_path`.  Runs the
 * C compiler without a shell; its first lines of output are in the error. */
mw_error *mw_aot_compile(mw_module *m, const mw_aot_options *o,
                         mw_aot_format format, const char *out_path);
/* The C source for `m` (validated first); *c_source is malloc'd: free(). */
mw_error *mw_aot_translate(mw_module *m, char **c_source, size_t *len);
/* Load the shared object at `so_path` as `m`'s native code: instances
 * created afterwards run natively.  A mismatch (other wasm bytes, moonwasm
 * version, target or runtime layout) is an MW_ERR_USAGE error saying which,
 * and `m` stays as it was.  See TRUST above. */
mw_error *mw_aot_attach(mw_module *m, const char *so_path);
/* Compile `m` and attach the result (through a temporary file).  With
 * `cache_dir` not NULL, artifacts are kept there, named by the hash of the
 * wasm bytes and the options, and reused. */
mw_error *mw_aot_compile_attach(mw_module *m, const mw_aot_options *o,
                                const char *cache_dir);
/* Load a module from a file: a .so written by mw_aot_compile (decoded from
 * the wasm bytes it carries, then attached), or a .wasm, whose
 * "moonwasm.aot" section, if any, is attached when it matches.  When it
 * does not, the module runs in the interpreter and *note (if `note` is not
 * NULL; free() it) says why. */
mw_error *mw_aot_load_file(const mw_config *cfg, const char *path,
                           mw_module **out, char **note);
/* Attach the native code of a universal .wasm (its "moonwasm.aot"
 * section).  NULL if attached, or if there is no such section (*found, if
 * not NULL, says which); else why it does not fit (MW_ERR_USAGE: the module
 * then runs in the interpreter) or why the module is invalid. */
mw_error *mw_aot_attach_universal(mw_module *m, bool *found);
/* The wasm bytes carried by a .so written by mw_aot_compile (malloc'd:
 * free()).  Opens the object (see TRUST above). */
mw_error *mw_aot_wasm_bytes(const char *so_path, uint8_t **bytes, size_t *len);
/* Functions of `m` that run natively (0: none, or no native code). */
uint32_t mw_aot_native_funcs(const mw_module *m);
/* The defined functions the translator would leave to the interpreter, one
 * line each: "INDEX[ NAME]: why" (the instruction, type or module feature
 * it does not cover).  *report is malloc'd and NUL-ended ("" when every
 * function is translated); free() it. */
mw_error *mw_aot_fallbacks(mw_module *m, char **report);

#ifdef __cplusplus
}
#endif
#endif /* MOONWASM_AOT_H */
