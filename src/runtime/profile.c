/*
 * profile.c -- a per-function profile of what a store runs
 * (mw_store_profile): calls, instructions, self and total time, and the
 * time of each distinct stack (for folded-stack flame graphs).
 *
 * Calls are counted exactly (the interpreter's call poll and each entry
 * from the host); instructions by METER in counting code; time by
 * sampling in the poll slow path: every MW_PROFILE_POLL_EVERY polls the
 * clock is read and the time since the last sample is charged to the
 * frames then on the stack.  Functions are found by pointer in an
 * open-addressed table, stacks by a hash of their function indices.
 */
#include "internal.h"

typedef struct prof_func {
  mw_func *f;          /* NULL: empty slot */
  uint32_t id;         /* order of first sight: the public index */
  uint32_t seen;       /* the last sample that charged its total time */
  uint64_t calls, instructions, self_ns, total_ns;
} prof_func;

typedef struct prof_stack {
  uint64_t hash, ns;
  uint32_t first, depth; /* ids in the pool, outermost first */
} prof_stack;

struct mw_profile {
  mw_allocator a;
  prof_func *funcs;      /* cap_funcs slots, a power of two */
  size_t nfuncs, cap_funcs;
  uint32_t *order;       /* id -> slot */
  size_t cap_order;
  prof_stack *stacks;
  size_t nstacks, cap_stacks;
  uint32_t *index;       /* open-addressed: stack + 1; cap_index, power of two */
  size_t cap_index;
  uint32_t *pool;        /* stack ids */
  size_t npool, cap_pool;
  uint32_t *scratch;     /* one stack being sampled */
  size_t cap_scratch;
  uint64_t last_ns;
  uint32_t countdown, sample;
  bool failed;           /* out of memory once: stop growing */
};

static bool grow(mw_profile *p, void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return true;
  size_t ncap = *cap ? *cap : 16;
  while (ncap < need) ncap *= 2;
  void *n = mw_realloc(&p->a, *arr, *cap * elem, ncap * elem);
  if (!n) {
    p->failed = true;
    return false;
  }
  *arr = n;
  *cap = ncap;
  return true;
}

static size_t ptr_hash(const void *f) {
  uintptr_t v = (uintptr_t)f;
  v ^= v >> 17;
  v *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(v ^ (v >> 29));
}

static prof_func *find_func(mw_profile *p, mw_func *f) {
  if (p->nfuncs * 2 >= p->cap_funcs) { /* rehash at half full */
    size_t ncap = p->cap_funcs ? p->cap_funcs * 2 : 64;
    prof_func *n = mw_calloc(&p->a, ncap, sizeof *n);
    if (!n) {
      p->failed = true;
      return NULL;
    }
    for (size_t i = 0; i < p->cap_funcs; i++) {
      if (!p->funcs[i].f) continue;
      size_t j = ptr_hash(p->funcs[i].f) & (ncap - 1);
      while (n[j].f) j = (j + 1) & (ncap - 1);
      n[j] = p->funcs[i];
      p->order[n[j].id] = (uint32_t)j;
    }
    mw_free(&p->a, p->funcs, p->cap_funcs * sizeof *p->funcs);
    p->funcs = n;
    p->cap_funcs = ncap;
  }
  size_t j = ptr_hash(f) & (p->cap_funcs - 1);
  while (p->funcs[j].f && p->funcs[j].f != f) j = (j + 1) & (p->cap_funcs - 1);
  if (!p->funcs[j].f) {
    if (!grow(p, (void **)&p->order, &p->cap_order, p->nfuncs + 1, sizeof *p->order))
      return NULL;
    memset(&p->funcs[j], 0, sizeof p->funcs[j]);
    p->funcs[j].f = f;
    p->funcs[j].id = (uint32_t)p->nfuncs;
    p->funcs[j].seen = UINT32_MAX;
    p->order[p->nfuncs++] = (uint32_t)j;
  }
  return &p->funcs[j];
}

void mwx_profile_call(mw_store *s, mw_func *f) {
  mw_profile *p = s->profile;
  prof_func *pf = p->failed ? NULL : find_func(p, f);
  if (pf) pf->calls++;
}

void mwx_profile_instructions(mw_store *s, uint32_t n) {
  mw_profile *p = s->profile;
  if (s->nframes == 0 || p->failed) return;
  prof_func *pf = find_func(p, s->frames[s->nframes - 1].func);
  if (pf) pf->instructions += n;
}

/* Charge `ns` to the stack s->frames[0 .. nframes-1]. */
static void charge(mw_store *s, mw_profile *p, uint64_t ns) {
  uint32_t depth = s->nframes;
  if (depth == 0 || p->failed) return;
  if (!grow(p, (void **)&p->scratch, &p->cap_scratch, depth, sizeof *p->scratch)) return;
  p->sample++;
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < depth; i++) {
    prof_func *pf = find_func(p, s->frames[i].func);
    if (!pf) return;
    if (pf->seen != p->sample) { /* recursion: total time once a sample */
      pf->seen = p->sample;
      pf->total_ns += ns;
    }
    if (i + 1 == depth) pf->self_ns += ns;
    p->scratch[i] = pf->id;
    h = (h ^ pf->id) * 1099511628211ull;
  }
  if (p->nstacks * 2 >= p->cap_index) {
    size_t ncap = p->cap_index ? p->cap_index * 2 : 256;
    uint32_t *n = mw_calloc(&p->a, ncap, sizeof *n);
    if (!n) {
      p->failed = true;
      return;
    }
    for (size_t k = 0; k < p->nstacks; k++) {
      size_t j = p->stacks[k].hash & (ncap - 1);
      while (n[j]) j = (j + 1) & (ncap - 1);
      n[j] = (uint32_t)k + 1;
    }
    mw_free(&p->a, p->index, p->cap_index * sizeof *p->index);
    p->index = n;
    p->cap_index = ncap;
  }
  size_t j = h & (p->cap_index - 1);
  for (; p->index[j]; j = (j + 1) & (p->cap_index - 1)) {
    prof_stack *st = &p->stacks[p->index[j] - 1];
    if (st->hash == h && st->depth == depth &&
        memcmp(p->pool + st->first, p->scratch, depth * sizeof *p->scratch) == 0) {
      st->ns += ns;
      return;
    }
  }
  if (!grow(p, (void **)&p->stacks, &p->cap_stacks, p->nstacks + 1, sizeof *p->stacks) ||
      !grow(p, (void **)&p->pool, &p->cap_pool, p->npool + depth, sizeof *p->pool))
    return;
  prof_stack *st = &p->stacks[p->nstacks];
  st->hash = h;
  st->ns = ns;
  st->first = (uint32_t)p->npool;
  st->depth = depth;
  memcpy(p->pool + p->npool, p->scratch, depth * sizeof *p->scratch);
  p->npool += depth;
  p->index[j] = (uint32_t)++p->nstacks;
}

void mwx_profile_tick(mw_store *s, bool now) {
  mw_profile *p = s->profile;
  if (!p || (!now && --p->countdown != 0)) return;
  p->countdown = MW_PROFILE_POLL_EVERY;
  uint64_t t = mwx_now_ns();
  /* Between calls nothing runs: a new outermost call restarts the clock
   * (now && nframes == 0 is the entry, see exec.c). */
  if (p->last_ns && s->nframes) charge(s, p, t - p->last_ns);
  p->last_ns = t;
}

static void free_one(mw_profile *p) {
  if (!p) return;
  mw_allocator a = p->a;
  mw_free(&a, p->funcs, p->cap_funcs * sizeof *p->funcs);
  mw_free(&a, p->order, p->cap_order * sizeof *p->order);
  mw_free(&a, p->stacks, p->cap_stacks * sizeof *p->stacks);
  mw_free(&a, p->index, p->cap_index * sizeof *p->index);
  mw_free(&a, p->pool, p->cap_pool * sizeof *p->pool);
  mw_free(&a, p->scratch, p->cap_scratch * sizeof *p->scratch);
  mw_free(&a, p, sizeof *p);
}

/* store.c, mw_store_free; and a new profile replaces the old. */
void mwx_profile_free(mw_store *s) {
  free_one(s->profile);
  free_one(s->profile_kept);
  s->profile = s->profile_kept = NULL;
}

/* The profile to read: the running one, or the one stopped last. */
static const mw_profile *readable(const mw_store *s) {
  return s->profile ? s->profile : s->profile_kept;
}

mw_error *mw_store_profile(mw_store *s, bool on) {
  if (on) {
    atomic_fetch_and_explicit(&s->poll, ~(uint32_t)MW_POLL_PROFILE, memory_order_relaxed);
    mwx_profile_free(s);
    mw_profile *p = mw_calloc(&s->alloc, 1, sizeof *p);
    if (!p) return mw_error_oom();
    p->a = s->alloc;
    p->countdown = MW_PROFILE_POLL_EVERY;
    p->last_ns = mwx_now_ns();
    s->profile = p;
    atomic_fetch_or_explicit(&s->poll, MW_POLL_PROFILE, memory_order_relaxed);
  } else if (s->profile) {
    mwx_profile_tick(s, true);
    atomic_fetch_and_explicit(&s->poll, ~(uint32_t)MW_POLL_PROFILE, memory_order_relaxed);
    /* The hooks test s->profile: stopped, it moves aside for reading. */
    s->profile_kept = s->profile;
    s->profile = NULL;
  }
  return NULL;
}

size_t mw_store_profile_funcs(const mw_store *s, mw_profile_func *out, size_t n) {
  const mw_profile *p = readable(s);
  if (!p) return 0;
  for (size_t i = 0; i < n && i < p->nfuncs; i++) {
    const prof_func *pf = &p->funcs[p->order[i]];
    const mw_func *f = pf->f;
    mw_profile_func *o = &out[i];
    memset(o, 0, sizeof *o);
    o->index = f->index;
    if (f->inst) {
      const mw_module *m = f->inst->module;
      o->name = mwm_func_label(m, f->index, &o->name_len);
      if (m->module_name.ptr) {
        o->module = m->module_name.ptr;
        o->module_len = m->module_name.len;
      }
    }
    o->calls = pf->calls;
    o->instructions = pf->instructions;
    o->self_ns = pf->self_ns;
    o->total_ns = pf->total_ns;
  }
  return p->nfuncs;
}

size_t mw_store_profile_stack_count(const mw_store *s) {
  const mw_profile *p = readable(s);
  return p ? p->nstacks : 0;
}

size_t mw_store_profile_stack(const mw_store *s, size_t i, uint32_t *out,
                              size_t n, uint64_t *ns) {
  const mw_profile *p = readable(s);
  if (!p || i >= p->nstacks) return 0;
  const prof_stack *st = &p->stacks[i];
  for (size_t k = 0; k < n && k < st->depth; k++) out[k] = p->pool[st->first + k];
  if (ns) *ns = st->ns;
  return st->depth;
}
