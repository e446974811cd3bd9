/*
 * store.c -- the store (spec 4.2.3 "Store") and its registry of importable
 * names.
 *
 * The store owns every instance made in it and, through them, the objects
 * those instances define.  The registry maps (module, name) pairs to
 * objects; it is what mw_instantiate resolves imports against, the C
 * counterpart of the `register` command of the spec's script format.  Some
 * modules import thousands of names, so the registry is a hash table: an
 * array of bindings in definition order plus an open-addressed index of
 * `binding index + 1` (0 marks an empty slot).
 */
#include "internal.h"

mw_store *mw_store_new(const mw_config *cfg) {
  mw_config c;
  if (cfg)
    c = *cfg;
  else
    mw_config_default(&c);
  mw_allocator a = mw_allocator_of(&c);
  mw_store *s = mw_calloc(&a, 1, sizeof *s);
  if (!s) return NULL;
  s->cfg = c;
  s->cfg.cost_table = NULL; /* only decoding uses it, and it isn't ours */
  s->alloc = a;
  s->fuel_end = UINT64_MAX; /* hostctl.c: no fuel */
  return s;
}

static void free_bindings(mw_store *s) {
  for (size_t i = 0; i < s->nbindings; i++) {
    mw_free(&s->alloc, s->bindings[i].module, s->bindings[i].module_len + 1);
    mw_free(&s->alloc, s->bindings[i].name, s->bindings[i].name_len + 1);
  }
  mw_free(&s->alloc, s->bindings, s->cap_bindings * sizeof *s->bindings);
  mw_free(&s->alloc, s->binding_slots,
          s->nbinding_slots * sizeof *s->binding_slots);
}

/* The interpreter allocates its stacks lazily (exec.c) with these sizes. */
static void free_interpreter_stacks(mw_store *s) {
  mw_free(&s->alloc, s->stack, s->cfg.value_stack_slots * sizeof *s->stack);
  mw_free(&s->alloc, s->frames,
          ((size_t)s->cfg.max_call_depth + 1) * sizeof *s->frames);
}

void mw_store_free(mw_store *s) {
  if (!s) return;
  mwgc_heap_free(s); /* first: objects point at their modules' types */
  mwx_fibers_forget(s);
  mw_instance *inst = s->instances;
  while (inst) {
    mw_instance *next = inst->next;
    mws_instance_free(inst);
    inst = next;
  }
  free_bindings(s);
  mwe_store_free_exns(s); /* exception.c */
  free_interpreter_stacks(s);
  mwx_profile_free(s); /* profile.c */
  mw_allocator a = s->alloc;
  mw_free(&a, s, sizeof *s);
}

const mw_config *mw_store_config(const mw_store *s) { return &s->cfg; }

void mw_store_stats(const mw_store *s, mw_stats *out) { *out = s->stats; }

void mw_store_reset_stats(mw_store *s) {
  /* Fuel is measured against the instruction count: keep what is left. */
  if (s->fuel_end != UINT64_MAX)
    s->fuel_end = s->fuel_end >= s->stats.instructions
                      ? s->fuel_end - s->stats.instructions : 0;
  memset(&s->stats, 0, sizeof s->stats);
  s->host_ns = 0;
}

mw_error *mws_trap(mw_store *s, const char *message) {
  (void)s;
  return mw_errorf(MW_ERR_TRAP, "%s", message);
}

/* ---------------------------------------------------------------- registry */

/* FNV-1a over both names, with a separator so ("ab","c") != ("a","bc"). */
static uint32_t hash_pair(const char *module, size_t module_len,
                          const char *name, size_t name_len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < module_len; i++)
    h = (h ^ (uint8_t)module[i]) * 16777619u;
  h = (h ^ 0xFFu) * 16777619u;
  for (size_t i = 0; i < name_len; i++)
    h = (h ^ (uint8_t)name[i]) * 16777619u;
  return h;
}

/* memcmp must not see a NULL pointer, even for zero bytes. */
static bool same_bytes(const char *a, const char *b, size_t n) {
  return n == 0 || memcmp(a, b, n) == 0;
}

static bool binding_is(const mw_binding *b, const char *module,
                       size_t module_len, const char *name, size_t name_len) {
  return b->module_len == module_len && b->name_len == name_len &&
         same_bytes(b->module, module, module_len) &&
         same_bytes(b->name, name, name_len);
}

/* The slot holding (module, name), or the empty slot where it would go.
 * The table is never full (load factor <= 1/2), so the probe ends. */
static size_t find_slot(const mw_store *s, const char *module,
                        size_t module_len, const char *name, size_t name_len) {
  size_t mask = s->nbinding_slots - 1;
  size_t i = hash_pair(module, module_len, name, name_len) & mask;
  for (;;) {
    uint32_t v = s->binding_slots[i];
    if (v == 0 ||
        binding_is(&s->bindings[v - 1], module, module_len, name, name_len))
      return i;
    i = (i + 1) & mask;
  }
}

static bool rehash(mw_store *s, size_t nslots) {
  uint32_t *slots = mw_calloc(&s->alloc, nslots, sizeof *slots);
  if (!slots) return false;
  mw_free(&s->alloc, s->binding_slots,
          s->nbinding_slots * sizeof *s->binding_slots);
  s->binding_slots = slots;
  s->nbinding_slots = nslots;
  for (size_t b = 0; b < s->nbindings; b++) {
    const mw_binding *e = &s->bindings[b];
    slots[find_slot(s, e->module, e->module_len, e->name, e->name_len)] =
        (uint32_t)(b + 1);
  }
  return true;
}

/* Room for one more binding in both the array and the index. */
static bool reserve_binding(mw_store *s) {
  if (s->nbindings >= UINT32_MAX - 1) return false;
  if ((s->nbindings + 1) * 2 > s->nbinding_slots &&
      !rehash(s, s->nbinding_slots ? s->nbinding_slots * 2 : 16))
    return false;
  if (s->nbindings < s->cap_bindings) return true;
  size_t cap = s->cap_bindings ? s->cap_bindings * 2 : 8;
  mw_binding *b = mw_realloc(&s->alloc, s->bindings,
                             s->cap_bindings * sizeof *b, cap * sizeof *b);
  if (!b) return false;
  s->bindings = b;
  s->cap_bindings = cap;
  return true;
}

/* A NUL-terminated copy (handy in messages; the length stays explicit). */
static char *copy_name(const mw_allocator *a, const char *p, size_t len) {
  char *c = mw_alloc(a, len + 1);
  if (!c) return NULL;
  if (len) memcpy(c, p, len);
  c[len] = '\0';
  return c;
}

bool mws_extern_is_set(mw_extern ext) {
  switch (ext.kind) {
  case MW_EXTERN_FUNC: return ext.of.func != NULL;
  case MW_EXTERN_TABLE: return ext.of.table != NULL;
  case MW_EXTERN_MEMORY: return ext.of.memory != NULL;
  case MW_EXTERN_GLOBAL: return ext.of.global != NULL;
  case MW_EXTERN_TAG: return ext.of.tag != NULL;
  }
  return false;
}

mw_error *mw_store_define(mw_store *s, const char *module, size_t module_len,
                          const char *name, size_t name_len, mw_extern ext) {
  if (!mws_extern_is_set(ext))
    return mw_errorf(MW_ERR_USAGE, "define: no object of a known kind");
  if (s->nbinding_slots) {
    uint32_t v = s->binding_slots[find_slot(s, module, module_len, name,
                                            name_len)];
    if (v) {
      s->bindings[v - 1].ext = ext; /* redefining replaces */
      return NULL;
    }
  }

  mw_error *err = NULL;
  char *mcopy = copy_name(&s->alloc, module, module_len);
  char *ncopy = copy_name(&s->alloc, name, name_len);
  if (!mcopy || !ncopy || !reserve_binding(s)) {
    err = mw_error_oom();
    goto done;
  }
  mw_binding *b = &s->bindings[s->nbindings];
  b->module = mcopy;
  b->module_len = module_len;
  b->name = ncopy;
  b->name_len = name_len;
  b->ext = ext;
  s->binding_slots[find_slot(s, module, module_len, name, name_len)] =
      (uint32_t)(s->nbindings + 1);
  s->nbindings++;
  mcopy = ncopy = NULL; /* the binding owns them now */
done:
  mw_free(&s->alloc, mcopy, module_len + 1);
  mw_free(&s->alloc, ncopy, name_len + 1);
  return err;
}

mw_error *mw_store_register(mw_store *s, const char *name, size_t name_len,
                            mw_instance *inst) {
  if (!inst) return mw_errorf(MW_ERR_USAGE, "register: no instance");
  size_t n = mw_instance_export_count(inst);
  for (size_t i = 0; i < n; i++) {
    const char *ename;
    size_t ename_len;
    mw_extern ext;
    mw_instance_export_at(inst, i, &ename, &ename_len, &ext);
    mw_error *err = mw_store_define(s, name, name_len, ename, ename_len, ext);
    if (err) return err;
  }
  return NULL;
}

bool mw_store_lookup(const mw_store *s, const char *module, size_t module_len,
                     const char *name, size_t name_len, mw_extern *out) {
  if (!s->nbinding_slots) return false;
  uint32_t v =
      s->binding_slots[find_slot(s, module, module_len, name, name_len)];
  if (!v) return false;
  *out = s->bindings[v - 1].ext;
  return true;
}
