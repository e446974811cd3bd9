/*
 * gc.h -- the store's garbage-collected heap (Wasm 3.0 GC): objects, their
 * layouts, reference encoding and the mark-sweep collector (gc.c), and the
 * stack maps the compiler records for precise roots (gc_map.c).
 *
 * References in slots (mw_slot.ref, table elements, globals, fields):
 *
 *   any family (anyref, eqref, i31ref, structref, arrayref, (ref $t) of a
 *   struct or array type, none) and exnref: NULL, an i31 -- (value << 1) | 1, never a valid pointer --
 *   or a pointer to an mw_gc_obj.  A host value internalized with
 *   any.convert_extern is an object of kind MW_GCK_HOSTBOX holding it.
 *
 *   extern family: NULL, the host's own pointer, or an externalized any
 *   value: an object marked MW_GCF_EXTERNALIZED (kept in the heap's set of
 *   externalized objects, so a host pointer is never mistaken for one), an
 *   i31 becoming an MW_GCK_I31BOX.  The conversions undo each other:
 *   any.convert_extern(extern.convert_any(v)) is v again, and the other way
 *   round (spec 4.4.5 "any.convert_extern").
 *
 *   func family: NULL or an mw_func *, which the heap does not own.  An
 *   exnref is an object of kind MW_GCK_EXN (exception.c).
 *
 * Roots (gc.c, mwgc_collect): every ref slot of every live interpreter
 * frame -- located precisely through the stack maps below -- of the
 * store's own stack, of the stacks of running and suspended fibers; the
 * globals, tables and element segments of every instance of the store;
 * references held by the host (mwgc_hold); slots registered with
 * mwgc_root_add (e.g. an exception in flight).  A frame whose resume point
 * cannot be known (a re-entry the runtime did not record) makes the
 * collector give up for this time: the heap then just grows, never frees
 * something live.
 *
 * The heap belongs to the store and dies with it.
 */
#ifndef MW_GC_H
#define MW_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mw_store;
struct mw_frame;
struct mw_instance;

/* ---------------------------------------------------------------- layouts */

/* How a field or array element is stored, and whether the collector traces
 * it. */
typedef enum mw_gc_storage {
  MW_GCS_I8 = 0,
  MW_GCS_I16,
  MW_GCS_I32,
  MW_GCS_I64,
  MW_GCS_F32,
  MW_GCS_F64,
  MW_GCS_V128,
  MW_GCS_FUNC,   /* funcref family: 8 bytes, not traced */
  MW_GCS_ANY,    /* any family and exnref: 8 bytes, traced */
  MW_GCS_EXTERN  /* extern family: 8 bytes, traced when externalized */
} mw_gc_storage;

/* Bytes of one field or element of that storage. */
uint32_t mwgc_storage_size(mw_gc_storage st);

typedef enum mw_gc_kind {
  MW_GCK_STRUCT = 1,
  MW_GCK_ARRAY,
  MW_GCK_HOSTBOX, /* an internalized host pointer (payload: void *) */
  MW_GCK_I31BOX,  /* an externalized i31 (payload: the i31 reference) */
  MW_GCK_EXN      /* an exception (eh): fields laid out like a struct */
} mw_gc_kind;

typedef struct mw_gc_field {
  uint32_t offset;  /* in the payload */
  uint8_t storage;  /* mw_gc_storage */
  bool mut;
} mw_gc_field;

/* The runtime description of a struct or array type (or of an exception's
 * payload).  Made by mwgc_type_new; whoever makes it frees it
 * (mwgc_type_free) after every object of it is gone -- in practice the
 * module that defines the type, which outlives the store's heap. */
typedef struct mw_gc_type {
  uint8_t kind;          /* mw_gc_kind */
  uint8_t elem;          /* arrays: mw_gc_storage of the elements */
  bool elem_mut;
  uint32_t elem_size;    /* arrays: bytes per element */
  uint32_t size;         /* structs, exceptions: payload bytes */
  uint32_t nfields;
  mw_gc_field *fields;   /* nfields */
  uint32_t nrefs;        /* traced fields ... */
  uint32_t *refs;        /* ... their indices in fields */
  /* The defined type (NOTES-types: casts compare it with mw_deftype_sub),
   * NULL for types made by hand; `tag` is free for the owner (eh: the
   * exception's tag). */
  const struct mw_functype *def;
  const void *tag;
} mw_gc_type;

/* A struct type with these field storages (laid out in order, each aligned
 * to its size, v128 to 8), or an array type.  NULL when out of memory.
 * `alloc` is a const mw_allocator * (internal.h). */
mw_gc_type *mwgc_type_struct(const void *alloc, uint32_t nfields,
                             const uint8_t *storage, const bool *mut);
mw_gc_type *mwgc_type_array(const void *alloc, uint8_t elem, bool mut);
void mwgc_type_free(const void *alloc, mw_gc_type *t);

/* ---------------------------------------------------------------- objects */

typedef struct mw_gc_obj {
  struct mw_gc_obj *next;    /* the heap's list of every object */
  const mw_gc_type *type;    /* NULL for HOSTBOX and I31BOX */
  uint8_t kind;              /* mw_gc_kind */
  uint8_t flags;             /* MW_GCF_* */
  uint16_t pad_;
  uint32_t len;              /* arrays: elements */
  /* the payload follows, 8-byte aligned */
} mw_gc_obj;

enum { MW_GCF_MARK = 1, MW_GCF_EXTERNALIZED = 2 };

#define MWGC_PAYLOAD(o) ((unsigned char *)((mw_gc_obj *)(o) + 1))
#define MWGC_IS_I31(r) (((uintptr_t)(r) & 1u) != 0)
#define MWGC_IS_OBJ(r) ((r) != NULL && !MWGC_IS_I31(r))
/* i31 references: ref.i31 keeps the low 31 bits (spec 4.4.5). */
static inline void *mwgc_i31_new(uint32_t v) {
  return (void *)(uintptr_t)((((uintptr_t)v & 0x7FFFFFFFu) << 1) | 1u);
}
static inline int32_t mwgc_i31_get_s(const void *r) {
  uint32_t v = (uint32_t)((uintptr_t)r >> 1) & 0x7FFFFFFFu;
  return (int32_t)(v << 1) >> 1;
}
static inline uint32_t mwgc_i31_get_u(const void *r) {
  return (uint32_t)((uintptr_t)r >> 1) & 0x7FFFFFFFu;
}

/* ---------------------------------------------------------------- stack maps */

/* Per compiled function (mw_compiled.gcmap, NULL when no value of the
 * function is ever a traced reference).  Each entry of `slots` is
 * (frame slot << 1) | is_extern.  `locals` are the traced parameters and
 * locals, live everywhere in the function; each point lists the operand
 * slots holding traced references at one resume offset: the word right
 * after a call (a frame's return address) or after an allocating
 * instruction.  Points are sorted by offset. */
typedef struct mw_gc_point {
  uint32_t pc;     /* resume offset in the function's code */
  uint32_t first;  /* into slots */
  uint32_t count;
} mw_gc_point;

typedef struct mw_gc_map {
  uint32_t nlocals;       /* slots[0 .. nlocals-1] */
  uint32_t npoints;
  mw_gc_point *points;
  uint32_t nslots;
  uint32_t *slots;
} mw_gc_map;

/* A growable map under construction (compile.c). */
typedef struct mw_gc_map_builder {
  const void *alloc;      /* const mw_allocator * */
  uint32_t *slots;
  uint32_t nslots, cap_slots;
  mw_gc_point *points;
  uint32_t npoints, cap_points;
  uint32_t nlocals;
  bool oom;
} mw_gc_map_builder;

void mwgc_map_begin(mw_gc_map_builder *b, const void *alloc);
/* A traced local (only before the first point). */
void mwgc_map_local(mw_gc_map_builder *b, uint32_t slot, bool is_extern);
/* Start a point at resume offset pc (offsets only grow), then add its
 * slots. */
void mwgc_map_point(mw_gc_map_builder *b, uint32_t pc);
void mwgc_map_slot(mw_gc_map_builder *b, uint32_t slot, bool is_extern);
/* The finished map (NULL if nothing is traced), or false when out of
 * memory.  The builder is reset either way. */
bool mwgc_map_finish(mw_gc_map_builder *b, mw_gc_map **out);
void mwgc_map_abandon(mw_gc_map_builder *b);
void mwgc_map_free(const void *alloc, mw_gc_map *m);
/* The point at resume offset pc, or NULL (no traced operand there). */
const mw_gc_point *mwgc_map_find(const mw_gc_map *m, uint32_t pc);

/* ---------------------------------------------------------------- heap */

/* A host call in progress (exec.c pushes one on the C stack around each
 * host call): the calling frame, frames[frame], resumes at pc; pc NULL
 * means that frame is dead (a tail call to the host). */
typedef struct mw_gc_hostcall {
  const struct mw_frame *frames;
  uint32_t frame;
  const uint32_t *pc;
  struct mw_gc_hostcall *prev;
} mw_gc_hostcall;

typedef struct mw_gc_stats {
  uint64_t collections;
  uint64_t objects_allocated;
  uint64_t bytes_allocated;
  uint64_t objects_freed;
  uint64_t bytes_freed;
  uint64_t skipped;        /* collections given up (unknown frame) */
  size_t live_objects;     /* now */
  size_t live_bytes;
} mw_gc_stats;

typedef struct mw_gc_heap mw_gc_heap;

/* The store's heap, made on first use (NULL when out of memory). */
mw_gc_heap *mwgc_heap(struct mw_store *s);
void mwgc_heap_free(struct mw_store *s);

/* Allocate a zeroed struct (len ignored) or array of `len` elements of type
 * t, or a box.  `pc` is the resume offset of the allocating instruction in
 * the innermost frame's code (NULL when not called from the interpreter):
 * a collection may run first.  NULL when out of memory (or the array too
 * large). */
mw_gc_obj *mwgc_alloc(struct mw_store *s, const mw_gc_type *t, uint32_t len,
                      const uint32_t *pc);
mw_gc_obj *mwgc_alloc_box(struct mw_store *s, uint8_t kind, void *value,
                          const uint32_t *pc);

/* Conversions (any.convert_extern, extern.convert_any); false when out of
 * memory.  `pc` as for mwgc_alloc. */
bool mwgc_internalize(struct mw_store *s, void *ext, void **out,
                      const uint32_t *pc);
bool mwgc_externalize(struct mw_store *s, void *any, void **out,
                      const uint32_t *pc);
/* Is this extern-family value an externalized object of s's heap? */
bool mwgc_is_externalized(struct mw_store *s, const void *ext);

/* Collect now (pc as above).  False when it could not (a frame without a
 * known resume point): nothing was freed. */
bool mwgc_collect(struct mw_store *s, const uint32_t *pc);

/* Host-held references (reference-counted): held objects are roots. */
bool mwgc_hold(struct mw_store *s, void *ref);
void mwgc_release(struct mw_store *s, void *ref);
/* Extra root slots (e.g. a pending exception): `slot` is read at every
 * collection while registered; storage MW_GCS_ANY or MW_GCS_EXTERN. */
bool mwgc_root_add(struct mw_store *s, void **slot, uint8_t storage);
void mwgc_root_remove(struct mw_store *s, void **slot);
/* No collection while inhibited (instantiation evaluates constant
 * expressions whose results are not yet anywhere the collector looks). */
void mwgc_inhibit(struct mw_store *s, int delta);

void mwgc_stats(struct mw_store *s, mw_gc_stats *out);

/* exec.c: the host call records of the running code (see above). */
void mwgc_hostcall_push(struct mw_store *s, mw_gc_hostcall *rec,
                        const struct mw_frame *frames, uint32_t frame,
                        const uint32_t *pc);
void mwgc_hostcall_pop(struct mw_store *s, mw_gc_hostcall *rec);

/* fiber.c: calls fn for each interpreter stack of s that is not the one
 * swapped in: the store's own and other fibers' while a fiber runs, and
 * every suspended fiber's (top_pc: its resume point).  Returns false as
 * soon as fn does. */
typedef bool (*mw_gc_stack_fn)(void *ud, const struct mw_frame *frames,
                               uint32_t nframes, const uint32_t *top_pc);
bool mwx_fibers_each_stack(struct mw_store *s, mw_gc_stack_fn fn, void *ud);

#endif
