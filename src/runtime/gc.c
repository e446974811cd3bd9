/*
 * gc.c -- the store's heap of GC objects and its mark-sweep collector
 * (gc.h has the object model, the reference encoding and the roots).
 *
 * Every object is one allocation through the store's allocator, linked
 * into the heap's list.  A collection starts when the bytes allocated since
 * the last one pass a threshold (twice the live bytes it left, at least
 * MW_GC_MIN_BYTES), and only at an allocation made by the interpreter
 * (whose resume point is known) or on request.  Marking uses an explicit
 * stack; when that stack cannot grow the heap is rescanned for marked
 * objects with unmarked children, so marking never fails.  Objects never
 * move: a reference is its address for its whole life.
 */
#include "internal.h"
#include "gc.h"

#ifndef MW_GC_MIN_BYTES
#define MW_GC_MIN_BYTES (4u << 20) /* collect after 4 MiB at the least */
#endif

/* An open-addressed set of addresses with a count each (the externalized
 * objects; the host's holds).  Linear probing, deletion by backward shift;
 * the load factor stays at most 1/2. */
typedef struct addr_entry {
  uintptr_t key; /* 0: empty */
  uint32_t count;
} addr_entry;

typedef struct addr_set {
  addr_entry *e;
  size_t cap, n; /* cap: 0 or a power of two */
} addr_set;

typedef struct root_entry {
  void **slot;
  uint8_t storage;
} root_entry;

struct mw_gc_heap {
  mw_allocator alloc;
  mw_gc_obj *objects;
  size_t since;          /* bytes allocated since the last collection */
  size_t threshold;
  int inhibit;
  addr_set externalized;
  addr_set holds;
  root_entry *roots;
  size_t nroots, cap_roots;
  mw_gc_obj **stack;     /* the mark stack */
  size_t nstack, cap_stack;
  bool overflow;         /* a push failed: rescan (see drain) */
  mw_gc_stats stats;
};

/* ---------------------------------------------------------------- types */

uint32_t mwgc_storage_size(mw_gc_storage st) {
  switch (st) {
  case MW_GCS_I8: return 1;
  case MW_GCS_I16: return 2;
  case MW_GCS_I32:
  case MW_GCS_F32: return 4;
  case MW_GCS_V128: return 16;
  default: return 8;
  }
}

static bool traced(uint8_t st) { return st == MW_GCS_ANY || st == MW_GCS_EXTERN; }

static size_t type_bytes(uint32_t nfields, uint32_t nrefs) {
  return sizeof(mw_gc_type) + nfields * sizeof(mw_gc_field) +
         nrefs * sizeof(uint32_t);
}

static mw_gc_type *type_new(const mw_allocator *a, uint8_t kind, uint32_t nfields,
                            uint32_t nrefs) {
  if (nfields > (UINT32_MAX / 2) / sizeof(mw_gc_field)) return NULL;
  mw_gc_type *t = mw_calloc(a, 1, type_bytes(nfields, nrefs));
  if (!t) return NULL;
  t->kind = kind;
  t->nfields = nfields;
  t->nrefs = nrefs;
  t->fields = (mw_gc_field *)(t + 1);
  t->refs = (uint32_t *)(t->fields + nfields);
  return t;
}

mw_gc_type *mwgc_type_struct(const void *alloc, uint32_t nfields,
                             const uint8_t *storage, const bool *mut) {
  uint32_t nrefs = 0;
  for (uint32_t i = 0; i < nfields; i++) nrefs += traced(storage[i]);
  mw_gc_type *t = type_new(alloc, MW_GCK_STRUCT, nfields, nrefs);
  if (!t) return NULL;
  uint64_t off = 0;
  nrefs = 0;
  for (uint32_t i = 0; i < nfields; i++) {
    uint32_t sz = mwgc_storage_size((mw_gc_storage)storage[i]);
    uint32_t align = sz > 8 ? 8 : sz;
    off = (off + align - 1) & ~(uint64_t)(align - 1);
    t->fields[i] = (mw_gc_field){(uint32_t)off, storage[i], mut ? mut[i] : false};
    if (traced(storage[i])) t->refs[nrefs++] = i;
    off += sz;
  }
  t->size = (uint32_t)((off + 7) & ~(uint64_t)7);
  return t;
}

mw_gc_type *mwgc_type_array(const void *alloc, uint8_t elem, bool mut) {
  mw_gc_type *t = type_new(alloc, MW_GCK_ARRAY, 0, 0);
  if (!t) return NULL;
  t->elem = elem;
  t->elem_mut = mut;
  t->elem_size = mwgc_storage_size((mw_gc_storage)elem);
  return t;
}

void mwgc_type_free(const void *alloc, mw_gc_type *t) {
  if (t) mw_free(alloc, t, type_bytes(t->nfields, t->nrefs));
}

/* ---------------------------------------------------------------- address sets */

static size_t addr_hash(uintptr_t k, size_t mask) {
  uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 32) & mask;
}

static addr_entry *set_find(const addr_set *s, uintptr_t k) {
  if (!s->cap) return NULL;
  size_t mask = s->cap - 1;
  for (size_t i = addr_hash(k, mask);; i = (i + 1) & mask) {
    if (s->e[i].key == k) return &s->e[i];
    if (s->e[i].key == 0) return NULL;
  }
}

static bool set_grow(const mw_allocator *a, addr_set *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  addr_entry *e = mw_calloc(a, cap, sizeof *e);
  if (!e) return false;
  for (size_t i = 0; i < s->cap; i++) {
    if (!s->e[i].key) continue;
    size_t j = addr_hash(s->e[i].key, cap - 1);
    while (e[j].key) j = (j + 1) & (cap - 1);
    e[j] = s->e[i];
  }
  mw_free(a, s->e, s->cap * sizeof *s->e);
  s->e = e;
  s->cap = cap;
  return true;
}

/* Add one to k's count (k nonzero). */
static bool set_add(const mw_allocator *a, addr_set *s, uintptr_t k) {
  addr_entry *f = set_find(s, k);
  if (f) {
    f->count++;
    return true;
  }
  if ((s->n + 1) * 2 > s->cap && !set_grow(a, s)) return false;
  size_t mask = s->cap - 1, i = addr_hash(k, mask);
  while (s->e[i].key) i = (i + 1) & mask;
  s->e[i] = (addr_entry){k, 1};
  s->n++;
  return true;
}

/* Remove k entirely (backward-shift deletion keeps probes unbroken). */
static void set_remove(addr_set *s, uintptr_t k) {
  addr_entry *f = set_find(s, k);
  if (!f) return;
  size_t mask = s->cap - 1, i = (size_t)(f - s->e), j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!s->e[j].key) break;
    size_t home = addr_hash(s->e[j].key, mask);
    /* Move e[j] into the hole at i unless its home lies in (i, j]. */
    bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!in_between) {
      s->e[i] = s->e[j];
      i = j;
    }
  }
  s->e[i].key = 0;
  s->e[i].count = 0;
  s->n--;
}

static void set_free(const mw_allocator *a, addr_set *s) {
  mw_free(a, s->e, s->cap * sizeof *s->e);
  s->e = NULL;
  s->cap = s->n = 0;
}

/* ---------------------------------------------------------------- heap */

mw_gc_heap *mwgc_heap(mw_store *s) {
  if (s->gc) return s->gc;
  mw_gc_heap *h = mw_calloc(&s->alloc, 1, sizeof *h);
  if (!h) return NULL;
  h->alloc = s->alloc;
  h->threshold = MW_GC_MIN_BYTES;
  s->gc = h;
  return h;
}

static size_t obj_bytes(const mw_gc_obj *o) {
  switch (o->kind) {
  case MW_GCK_ARRAY:
    return sizeof *o + (size_t)o->len * o->type->elem_size;
  case MW_GCK_STRUCT:
  case MW_GCK_EXN:
    return sizeof *o + o->type->size;
  default:
    return sizeof *o + sizeof(void *);
  }
}

void mwgc_heap_free(mw_store *s) {
  mw_gc_heap *h = s->gc;
  if (!h) return;
  mw_allocator a = h->alloc;
  for (mw_gc_obj *o = h->objects, *next; o; o = next) {
    next = o->next;
    mw_free(&a, o, obj_bytes(o));
  }
  set_free(&a, &h->externalized);
  set_free(&a, &h->holds);
  mw_free(&a, h->roots, h->cap_roots * sizeof *h->roots);
  mw_free(&a, h->stack, h->cap_stack * sizeof *h->stack);
  mw_free(&a, h, sizeof *h);
  s->gc = NULL;
}

/* Arrays larger than this are refused (out of memory) before asking the
 * allocator: the size must stay representable and sane. */
#define MW_GC_MAX_ARRAY_BYTES ((size_t)1 << 34)

static mw_gc_obj *alloc_raw(mw_store *s, size_t bytes, const uint32_t *pc) {
  mw_gc_heap *h = mwgc_heap(s);
  if (!h) return NULL;
  if (h->since + bytes >= h->threshold && !h->inhibit) mwgc_collect(s, pc);
  mw_gc_obj *o = mw_alloc(&h->alloc, bytes);
  if (!o) {
    /* Out of memory: a collection may free enough (if not just done). */
    if (h->since == 0 || h->inhibit || !mwgc_collect(s, pc)) return NULL;
    if (!(o = mw_alloc(&h->alloc, bytes))) return NULL;
  }
  memset(o, 0, bytes);
  o->next = h->objects;
  h->objects = o;
  h->since += bytes;
  h->stats.objects_allocated++;
  h->stats.bytes_allocated += bytes;
  h->stats.live_objects++;
  h->stats.live_bytes += bytes;
  return o;
}

mw_gc_obj *mwgc_alloc(mw_store *s, const mw_gc_type *t, uint32_t len,
                      const uint32_t *pc) {
  size_t bytes;
  if (t->kind == MW_GCK_ARRAY) {
    if ((uint64_t)len * t->elem_size > MW_GC_MAX_ARRAY_BYTES) return NULL;
    bytes = sizeof(mw_gc_obj) + (size_t)len * t->elem_size;
  } else {
    len = 0;
    bytes = sizeof(mw_gc_obj) + t->size;
  }
  mw_gc_obj *o = alloc_raw(s, bytes, pc);
  if (!o) return NULL;
  o->type = t;
  o->kind = t->kind;
  o->len = len;
  return o;
}

mw_gc_obj *mwgc_alloc_box(mw_store *s, uint8_t kind, void *value,
                          const uint32_t *pc) {
  mw_gc_obj *o = alloc_raw(s, sizeof(mw_gc_obj) + sizeof(void *), pc);
  if (!o) return NULL;
  o->kind = kind;
  memcpy(MWGC_PAYLOAD(o), &value, sizeof value);
  return o;
}

static void *box_value(const mw_gc_obj *o) {
  void *v;
  memcpy(&v, MWGC_PAYLOAD(o), sizeof v);
  return v;
}

bool mwgc_is_externalized(mw_store *s, const void *ext) {
  return s->gc && ext && set_find(&s->gc->externalized, (uintptr_t)ext) != NULL;
}

bool mwgc_internalize(mw_store *s, void *ext, void **out, const uint32_t *pc) {
  if (!ext) {
    *out = NULL;
    return true;
  }
  if (mwgc_is_externalized(s, ext)) {
    const mw_gc_obj *o = ext;
    *out = o->kind == MW_GCK_I31BOX ? box_value(o) : ext;
    return true;
  }
  mw_gc_obj *box = mwgc_alloc_box(s, MW_GCK_HOSTBOX, ext, pc);
  if (!box) return false;
  *out = box;
  return true;
}

bool mwgc_externalize(mw_store *s, void *any, void **out, const uint32_t *pc) {
  if (!any) {
    *out = NULL;
    return true;
  }
  mw_gc_obj *o;
  if (MWGC_IS_I31(any)) {
    if (!(o = mwgc_alloc_box(s, MW_GCK_I31BOX, any, pc))) return false;
  } else {
    o = any;
    if (o->kind == MW_GCK_HOSTBOX) { /* back to the host's own value */
      *out = box_value(o);
      return true;
    }
  }
  if (!(o->flags & MW_GCF_EXTERNALIZED)) {
    if (!set_add(&s->gc->alloc, &s->gc->externalized, (uintptr_t)o)) return false;
    o->flags |= MW_GCF_EXTERNALIZED;
  }
  *out = o;
  return true;
}

/* ---------------------------------------------------------------- roots API */

bool mwgc_hold(mw_store *s, void *ref) {
  if (!MWGC_IS_OBJ(ref)) return true; /* null and i31 need no holding */
  mw_gc_heap *h = mwgc_heap(s);
  return h && set_add(&h->alloc, &h->holds, (uintptr_t)ref);
}

void mwgc_release(mw_store *s, void *ref) {
  if (!MWGC_IS_OBJ(ref) || !s->gc) return;
  addr_entry *e = set_find(&s->gc->holds, (uintptr_t)ref);
  if (e && --e->count == 0) set_remove(&s->gc->holds, (uintptr_t)ref);
}

bool mwgc_root_add(mw_store *s, void **slot, uint8_t storage) {
  mw_gc_heap *h = mwgc_heap(s);
  if (!h) return false;
  if (h->nroots == h->cap_roots) {
    size_t cap = h->cap_roots ? h->cap_roots * 2 : 8;
    root_entry *r = mw_realloc(&h->alloc, h->roots, h->cap_roots * sizeof *r,
                               cap * sizeof *r);
    if (!r) return false;
    h->roots = r;
    h->cap_roots = cap;
  }
  h->roots[h->nroots++] = (root_entry){slot, storage};
  return true;
}

void mwgc_root_remove(mw_store *s, void **slot) {
  mw_gc_heap *h = s->gc;
  if (!h) return;
  for (size_t i = h->nroots; i-- > 0;) {
    if (h->roots[i].slot == slot) {
      h->roots[i] = h->roots[--h->nroots];
      return;
    }
  }
}

void mwgc_inhibit(mw_store *s, int delta) {
  mw_gc_heap *h = mwgc_heap(s);
  if (h) h->inhibit += delta;
}

void mwgc_stats(mw_store *s, mw_gc_stats *out) {
  if (s->gc)
    *out = s->gc->stats;
  else
    memset(out, 0, sizeof *out);
}

void mwgc_hostcall_push(mw_store *s, mw_gc_hostcall *rec,
                        const mw_frame *frames, uint32_t frame,
                        const uint32_t *pc) {
  rec->frames = frames;
  rec->frame = frame;
  rec->pc = pc;
  rec->prev = s->gc_hostcalls;
  s->gc_hostcalls = rec;
}

void mwgc_hostcall_pop(mw_store *s, mw_gc_hostcall *rec) {
  s->gc_hostcalls = rec->prev;
}

/* ---------------------------------------------------------------- marking */

static void push_obj(mw_gc_heap *h, mw_gc_obj *o) {
  if (o->flags & MW_GCF_MARK) return;
  o->flags |= MW_GCF_MARK;
  if (h->nstack == h->cap_stack) {
    size_t cap = h->cap_stack ? h->cap_stack * 2 : 256;
    mw_gc_obj **st = mw_realloc(&h->alloc, h->stack, h->cap_stack * sizeof *st,
                                cap * sizeof *st);
    if (!st) {
      h->overflow = true; /* marked but not traced: drain rescans */
      return;
    }
    h->stack = st;
    h->cap_stack = cap;
  }
  h->stack[h->nstack++] = o;
}

static void mark_ref(mw_gc_heap *h, void *v, uint8_t storage) {
  if (!v) return;
  if (storage == MW_GCS_EXTERN) {
    if (!set_find(&h->externalized, (uintptr_t)v)) return; /* a host pointer */
  } else if (storage != MW_GCS_ANY || MWGC_IS_I31(v)) {
    return;
  }
  push_obj(h, (mw_gc_obj *)v);
}

static void trace(mw_gc_heap *h, mw_gc_obj *o) {
  const mw_gc_type *t = o->type;
  unsigned char *p = MWGC_PAYLOAD(o);
  void *v;
  switch (o->kind) {
  case MW_GCK_STRUCT:
  case MW_GCK_EXN:
    for (uint32_t i = 0; i < t->nrefs; i++) {
      const mw_gc_field *f = &t->fields[t->refs[i]];
      memcpy(&v, p + f->offset, sizeof v);
      mark_ref(h, v, f->storage);
    }
    break;
  case MW_GCK_ARRAY:
    if (!traced(t->elem)) break;
    for (uint32_t i = 0; i < o->len; i++) {
      memcpy(&v, p + (size_t)i * sizeof v, sizeof v);
      mark_ref(h, v, t->elem);
    }
    break;
  default: /* boxes hold an i31 or a host pointer: nothing to trace */
    break;
  }
}

static void drain(mw_gc_heap *h) {
  for (;;) {
    while (h->nstack) trace(h, h->stack[--h->nstack]);
    if (!h->overflow) return;
    /* Some marked objects were never traced: trace every marked object
     * again (tracing is idempotent) until no push fails. */
    h->overflow = false;
    for (mw_gc_obj *o = h->objects; o; o = o->next) {
      if (o->flags & MW_GCF_MARK) {
        trace(h, o);
        while (h->nstack) trace(h, h->stack[--h->nstack]);
      }
    }
  }
}

/* What a value type of module m stores as (gc.h), or -1. */
static int storage_of_valtype(const mw_module *m, mw_valtype t) {
  return mw_valtype_is_reference(t) ? mwgc_storage_of(m, t) : -1;
}

static void mark_slots(mw_gc_heap *h, const mw_slot *slots, size_t n, int storage) {
  if (storage != MW_GCS_ANY && storage != MW_GCS_EXTERN) return;
  for (size_t i = 0; i < n; i++) mark_ref(h, slots[i].ref, (uint8_t)storage);
}

static void mark_instance(mw_gc_heap *h, const mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const mw_global *g = inst->globals[i];
    if (g) mark_slots(h, &g->value, 1, storage_of_valtype(g->tmod, g->type.type));
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    const mw_table *t = inst->tables[i];
    if (t) mark_slots(h, t->elems, t->size, storage_of_valtype(t->tmod, t->type.elem));
  }
  if (inst->elems) {
    for (uint32_t i = 0; i < m->nelems; i++)
      mark_slots(h, inst->elems[i].refs, inst->elems[i].count,
                 storage_of_valtype(m, m->elems[i].type));
  }
}

typedef struct scan_ctx {
  mw_store *s;
  mw_gc_heap *h;
} scan_ctx;

static const mw_gc_hostcall *find_hostcall(const mw_store *s,
                                           const mw_frame *frames, uint32_t i) {
  for (const mw_gc_hostcall *r = s->gc_hostcalls; r; r = r->prev)
    if (r->frames == frames && r->frame == i) return r;
  return NULL;
}

/* Mark the traced slots of frames[0 .. n-1].  The resume point of frame i
 * is the return address in frame i+1, else the one of a host call it
 * made, else (innermost) top_pc.  False if some frame has none. */
static bool scan_stack(void *ud, const mw_frame *frames, uint32_t n,
                       const uint32_t *top_pc) {
  scan_ctx *c = ud;
  for (uint32_t i = 0; i < n; i++) {
    const mw_frame *f = &frames[i];
    const mw_compiled *code = f->func ? f->func->code : NULL;
    if (!code || !code->gcmap) continue;
    const mw_gc_map *map = code->gcmap;
    const mw_word *pc = NULL;
    const mw_gc_hostcall *rec;
    if (i + 1 < n && frames[i + 1].ret_pc) {
      pc = frames[i + 1].ret_pc;
    } else if ((rec = find_hostcall(c->s, frames, i)) != NULL) {
      if (!rec->pc) continue; /* the frame tail-called a host: dead */
      pc = rec->pc;
    } else if (i + 1 == n && top_pc) {
      pc = top_pc;
    } else {
      return false;
    }
    for (uint32_t k = 0; k < map->nlocals; k++)
      mark_ref(c->h, f->fp[map->slots[k] >> 1].ref,
               (map->slots[k] & 1) ? MW_GCS_EXTERN : MW_GCS_ANY);
    const mw_gc_point *pt = mwgc_map_find(map, (uint32_t)(pc - code->code));
    for (uint32_t k = 0; pt && k < pt->count; k++) {
      uint32_t e = map->slots[pt->first + k];
      mark_ref(c->h, f->fp[e >> 1].ref, (e & 1) ? MW_GCS_EXTERN : MW_GCS_ANY);
    }
  }
  return true;
}

static void unmark_all(mw_gc_heap *h) {
  for (mw_gc_obj *o = h->objects; o; o = o->next) o->flags &= (uint8_t)~MW_GCF_MARK;
  h->nstack = 0;
  h->overflow = false;
}

static bool mark_roots(mw_store *s, mw_gc_heap *h, const uint32_t *pc) {
  scan_ctx c = {s, h};
  if (s->frames && !scan_stack(&c, s->frames, s->nframes, pc)) return false;
  if (!mwx_fibers_each_stack(s, scan_stack, &c)) return false;
  for (const mw_instance *inst = s->instances; inst; inst = inst->next)
    mark_instance(h, inst);
  for (size_t i = 0; i < h->holds.cap; i++)
    if (h->holds.e[i].key) push_obj(h, (mw_gc_obj *)h->holds.e[i].key);
  for (size_t i = 0; i < h->nroots; i++)
    mark_ref(h, *h->roots[i].slot, h->roots[i].storage);
  return true;
}

/* ---------------------------------------------------------------- collecting */

static void sweep(mw_gc_heap *h) {
  mw_gc_obj **link = &h->objects;
  while (*link) {
    mw_gc_obj *o = *link;
    if (o->flags & MW_GCF_MARK) {
      o->flags &= (uint8_t)~MW_GCF_MARK;
      link = &o->next;
      continue;
    }
    *link = o->next;
    if (o->flags & MW_GCF_EXTERNALIZED) set_remove(&h->externalized, (uintptr_t)o);
    size_t bytes = obj_bytes(o);
    h->stats.objects_freed++;
    h->stats.bytes_freed += bytes;
    h->stats.live_objects--;
    h->stats.live_bytes -= bytes;
    mw_free(&h->alloc, o, bytes);
  }
}

bool mwgc_collect(mw_store *s, const uint32_t *pc) {
  mw_gc_heap *h = s->gc;
  if (!h) return true;
  if (h->inhibit) return false;
  h->since = 0; /* whatever happens, not again before the next threshold */
  if (!mark_roots(s, h, pc)) {
    unmark_all(h);
    h->stats.skipped++;
    return false;
  }
  drain(h);
  sweep(h);
  h->stats.collections++;
  size_t live = h->stats.live_bytes;
  h->threshold = live > MW_GC_MIN_BYTES ? live : MW_GC_MIN_BYTES;
  return true;
}
