/*
 * gc_map.c -- stack maps (gc.h): which frame slots hold traced references
 * at each point where a collection can happen.  compile.c records them
 * while it compiles a body; gc.c reads them to find roots precisely.
 */
#include "internal.h"
#include "gc.h"

void mwgc_map_begin(mw_gc_map_builder *b, const void *alloc) {
  memset(b, 0, sizeof *b);
  b->alloc = alloc;
}

static bool grow_slots(mw_gc_map_builder *b) {
  if (b->nslots < b->cap_slots) return true;
  uint32_t cap = b->cap_slots ? b->cap_slots * 2 : 16;
  uint32_t *p = mw_realloc(b->alloc, b->slots, b->cap_slots * sizeof *p,
                           cap * sizeof *p);
  if (!p) return false;
  b->slots = p;
  b->cap_slots = cap;
  return true;
}

static void add_slot(mw_gc_map_builder *b, uint32_t slot, bool is_extern) {
  if (b->oom) return;
  if (!grow_slots(b)) {
    b->oom = true;
    return;
  }
  b->slots[b->nslots++] = (slot << 1) | (is_extern ? 1u : 0u);
}

void mwgc_map_local(mw_gc_map_builder *b, uint32_t slot, bool is_extern) {
  add_slot(b, slot, is_extern);
  if (!b->oom) b->nlocals++;
}

void mwgc_map_point(mw_gc_map_builder *b, uint32_t pc) {
  if (b->oom) return;
  /* A point with no slots is dropped again by the next one (or by finish):
   * a frame resuming there has no traced operand. */
  if (b->npoints && b->points[b->npoints - 1].count == 0) b->npoints--;
  if (b->npoints == b->cap_points) {
    uint32_t cap = b->cap_points ? b->cap_points * 2 : 8;
    mw_gc_point *p = mw_realloc(b->alloc, b->points,
                                b->cap_points * sizeof *p, cap * sizeof *p);
    if (!p) {
      b->oom = true;
      return;
    }
    b->points = p;
    b->cap_points = cap;
  }
  b->points[b->npoints++] = (mw_gc_point){pc, b->nslots, 0};
}

void mwgc_map_slot(mw_gc_map_builder *b, uint32_t slot, bool is_extern) {
  if (b->oom || b->npoints == 0) return;
  add_slot(b, slot, is_extern);
  if (!b->oom) b->points[b->npoints - 1].count++;
}

void mwgc_map_abandon(mw_gc_map_builder *b) {
  mw_free(b->alloc, b->slots, b->cap_slots * sizeof *b->slots);
  mw_free(b->alloc, b->points, b->cap_points * sizeof *b->points);
  mwgc_map_begin(b, b->alloc);
}

bool mwgc_map_finish(mw_gc_map_builder *b, mw_gc_map **out) {
  *out = NULL;
  if (b->oom) {
    mwgc_map_abandon(b);
    return false;
  }
  if (b->npoints && b->points[b->npoints - 1].count == 0) b->npoints--;
  bool ok = true;
  if (b->nlocals || b->npoints) {
    /* One block: the header, the points, the slots. */
    size_t bytes = sizeof(mw_gc_map) + b->npoints * sizeof(mw_gc_point) +
                   b->nslots * sizeof(uint32_t);
    mw_gc_map *m = mw_alloc(b->alloc, bytes);
    if (!m) {
      ok = false;
    } else {
      m->nlocals = b->nlocals;
      m->npoints = b->npoints;
      m->nslots = b->nslots;
      m->points = (mw_gc_point *)(m + 1);
      m->slots = (uint32_t *)(m->points + b->npoints);
      if (b->npoints) memcpy(m->points, b->points, b->npoints * sizeof *m->points);
      if (b->nslots) memcpy(m->slots, b->slots, b->nslots * sizeof *m->slots);
      *out = m;
    }
  }
  mwgc_map_abandon(b);
  return ok;
}

void mwgc_map_free(const void *alloc, mw_gc_map *m) {
  if (!m) return;
  mw_free(alloc, m, sizeof(mw_gc_map) + m->npoints * sizeof(mw_gc_point) +
                        m->nslots * sizeof(uint32_t));
}

const mw_gc_point *mwgc_map_find(const mw_gc_map *m, uint32_t pc) {
  uint32_t lo = 0, hi = m->npoints;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (m->points[mid].pc < pc)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < m->npoints && m->points[lo].pc == pc ? &m->points[lo] : NULL;
}
