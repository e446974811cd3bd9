/*
 * instance.c -- linking and instantiation (spec 4.5.4 "Instantiation",
 * Wasm 2.0 semantics) and the instance accessors.
 *
 * Instantiation runs in three phases:
 *   1. match every import against the module's import type (4.5.2 "Import
 *      Subtyping"), failing as "unknown import" / "incompatible import type";
 *   2. allocate the instance and what it defines (4.5.3 "Allocation"):
 *      functions, tables, memories, globals initialised from their constant
 *      expressions, element segments evaluated to references;
 *   3. initialise: each active element segment is table.init + elem.drop,
 *      each active data segment memory.init + data.drop, in order, then the
 *      start function runs.
 * A trap in phase 3 leaves the effects of the earlier segments in place
 * (imported tables and memories may be shared, so they are observable) and
 * the instance remains in the store, freed with it, but is not returned.
 */
#include <stdio.h>

#include "internal.h"

/* ---------------------------------------------------------------- messages */

/* Names in messages: quoted, printable ASCII as is, other bytes as \hh, cut
 * short so that a huge name cannot make a huge message. */
#define SHOWN_NAME_MAX 64
typedef struct shown_name {
  char text[SHOWN_NAME_MAX * 3 + 8];
} shown_name;

static const char *show_name(shown_name *buf, mw_name n) {
  static const char hex[] = "0123456789abcdef";
  uint32_t shown = n.len < SHOWN_NAME_MAX ? n.len : SHOWN_NAME_MAX;
  size_t o = 0;
  buf->text[o++] = '"';
  for (uint32_t i = 0; i < shown; i++) {
    uint8_t c = (uint8_t)n.ptr[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      buf->text[o++] = (char)c;
    } else {
      buf->text[o++] = '\\';
      buf->text[o++] = hex[c >> 4];
      buf->text[o++] = hex[c & 15];
    }
  }
  if (n.len > shown) {
    memcpy(buf->text + o, "...", 3);
    o += 3;
  }
  buf->text[o++] = '"';
  buf->text[o] = '\0';
  return buf->text;
}

/* "unknown import "env" "f"": the spec's text first, then which import. */
static mw_error *import_error(const char *spec_text, const mw_import *imp,
                              const char *why) {
  shown_name mod, name;
  return mw_errorf(MW_ERR_UNLINKABLE, "%s %s %s%s%s", spec_text,
                   show_name(&mod, imp->module), show_name(&name, imp->name),
                   why[0] ? ": " : "", why);
}

static const char *extern_kind_name(mw_extern_kind k) {
  switch (k) {
  case MW_EXTERN_FUNC: return "func";
  case MW_EXTERN_TABLE: return "table";
  case MW_EXTERN_MEMORY: return "memory";
  case MW_EXTERN_GLOBAL: return "global";
  case MW_EXTERN_TAG: return "tag";
  }
  return "?";
}

/* Append `text` to the string in buf[size] at *o, truncating. */
static void append_text(char *buf, size_t size, size_t *o, const char *text) {
  while (*text && *o + 1 < size) buf[(*o)++] = *text++;
  buf[*o] = '\0';
}

static void append_types(char *buf, size_t size, size_t *o,
                         const mw_valtype *types, uint32_t n) {
  append_text(buf, size, o, "[");
  for (uint32_t i = 0; i < n; i++) {
    char t[48];
    if (i) append_text(buf, size, o, " ");
    mw_valtype_format(types[i], t, sizeof t);
    append_text(buf, size, o, t);
  }
  append_text(buf, size, o, "]");
}

/* "[i32 i64] -> [f32]", truncated to fit. */
static void format_functype(char *buf, size_t size, const mw_functype *t) {
  size_t o = 0;
  append_types(buf, size, &o, MW_FT_PARAMS(t), t->nparams);
  append_text(buf, size, &o, " -> ");
  append_types(buf, size, &o, MW_FT_RESULTS(t), t->nresults);
}

static void format_limits(char *buf, size_t size, mw_limits l) {
  const char *at = l.is64 ? "i64 " : "";
  if (l.has_max)
    snprintf(buf, size, "%s%llu..%llu", at, (unsigned long long)l.min,
             (unsigned long long)l.max);
  else
    snprintf(buf, size, "%s%llu..", at, (unsigned long long)l.min);
}

/* ---------------------------------------------------------------- import matching */

/* Spec 4.5.2 "Limits": the actual object may be bigger and stricter. */
static bool limits_match(mw_limits actual, mw_limits want) {
  if (actual.is64 != want.is64) return false; /* the address types too (memory64) */
  if (actual.min < want.min) return false;
  if (!want.has_max) return true;
  return actual.has_max && actual.max <= want.max;
}

static bool limits_mismatch(mw_limits actual, mw_limits want, char *why,
                            size_t size) {
  if (limits_match(actual, want)) return false;
  char a[32], w[32];
  format_limits(a, sizeof a, actual);
  format_limits(w, sizeof w, want);
  snprintf(why, size, "expected limits %s, got %s", w, a);
  return true;
}

static bool func_mismatch(const mw_functype *actual, const mw_functype *want,
                          char *why, size_t size) {
  if (mw_deftype_sub(actual, want)) return false; /* Wasm 3.0: subtypes too */
  char a[96], w[96];
  format_functype(a, sizeof a, actual);
  format_functype(w, sizeof w, want);
  snprintf(why, size, "expected %s, got %s", w, a);
  return true;
}

/* Element types match both ways (tables are mutable). */
static bool table_mismatch(const mw_module *m, const mw_table *actual, mw_tabletype want,
                           char *why, size_t size) {
  mw_tabletype got = mw_table_type(actual);
  if (!mwt_val_eq2(actual->tmod, got.elem, m, want.elem)) {
    char a[48], w[48];
    mw_valtype_format(got.elem, a, sizeof a);
    mw_valtype_format(want.elem, w, sizeof w);
    snprintf(why, size, "expected %s table, got %s table", w, a);
    return true;
  }
  return limits_mismatch(got.limits, want.limits, why, size);
}

static bool memory_mismatch(const mw_memory *actual, mw_memtype want,
                            char *why, size_t size) {
  return limits_mismatch(mw_memory_type(actual).limits, want.limits, why,
                         size);
}

/* Mutability must be the same; an immutable global may have a subtype of
 * the type imported (Wasm 3.0), a mutable one exactly that type. */
static bool global_mismatch(const mw_module *m, const mw_global *actual,
                            mw_globaltype want, char *why, size_t size) {
  mw_globaltype got = mw_global_type(actual);
  if (got.mutable_ == want.mutable_ &&
      (want.mutable_ ? mwt_val_eq2(actual->tmod, got.type, m, want.type)
                     : mwt_val_sub2(actual->tmod, got.type, m, want.type)))
    return false;
  char a[48], w[48];
  mw_valtype_format(got.type, a, sizeof a);
  mw_valtype_format(want.type, w, sizeof w);
  snprintf(why, size, "expected %s%s, got %s%s", want.mutable_ ? "mut " : "", w,
           got.mutable_ ? "mut " : "", a);
  return true;
}

/* True, with the reason in `why`, when `ext` cannot be imported as `imp`. */
static bool import_mismatch(const mw_module *m, const mw_import *imp,
                            mw_extern ext, char *why, size_t size) {
  if (ext.kind != imp->kind) {
    snprintf(why, size, "expected %s, got %s", extern_kind_name(imp->kind),
             extern_kind_name(ext.kind));
    return true;
  }
  switch (imp->kind) {
  case MW_EXTERN_FUNC:
    return func_mismatch(ext.of.func->type, m->types[imp->index], why, size);
  case MW_EXTERN_TABLE:
    return table_mismatch(m, ext.of.table, m->tables[imp->index], why, size);
  case MW_EXTERN_MEMORY:
    return memory_mismatch(ext.of.memory, m->memories[imp->index], why, size);
  case MW_EXTERN_GLOBAL:
    return global_mismatch(m, ext.of.global, m->globals[imp->index].type, why,
                           size);
  case MW_EXTERN_TAG: /* exception handling: the same function type */
    return func_mismatch(ext.of.tag->type, m->types[m->tag_types[imp->index]], why,
                         size);
  }
  return true;
}

static mw_error *check_imports(const mw_module *m, const mw_extern *imports) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    char why[256];
    if (!mws_extern_is_set(imports[i]))
      return mw_errorf(MW_ERR_USAGE, "import %u: no object of a known kind",
                       (unsigned)i);
    if (import_mismatch(m, &m->imports[i], imports[i], why, sizeof why))
      return import_error(MW_MSG_INCOMPATIBLE_IMPORT, &m->imports[i], why);
  }
  return NULL;
}

/* ---------------------------------------------------------------- constant expressions */

/* Spec 3.3.10 "Constant Expressions", run on a small value stack.
 * Validation has checked the instructions and their types, that global.get
 * names an earlier immutable global and that exactly one value is left, so
 * evaluating cannot fail -- except for memory, with expressions deeper than
 * the stack on the C stack. */
static mw_error *eval_cexpr(const mw_instance *inst, const mw_cexpr *e,
                            mw_slot *out) {
  const mw_allocator *a = &inst->store->alloc;
  /* A v128 operand (of struct.new, array.new*) takes two slots, low half
   * first, as in a frame: at most two slots per instruction. */
  mw_slot small[16];
  mw_slot *st = small;
  size_t cap = sizeof small / sizeof small[0];
  if ((size_t)e->n * 2 > cap) {
    if (!(st = mw_alloc(a, (size_t)e->n * 2 * sizeof *st))) return mw_error_oom();
    cap = (size_t)e->n * 2;
  }
  uint32_t h = 0;
  mw_cexpr_iter it;
  mw_cinstr in;
  mw_cexpr_iter_init(&it, e);
  while (mw_cexpr_next(&it, &in) && h < cap) {
    mw_slot v;
    v.u64 = 0;
    switch (in.op) {
    case MW_OP_I32_CONST:
    case MW_OP_F32_CONST: v.u32 = (uint32_t)in.imm; break;
    case MW_OP_I64_CONST:
    case MW_OP_F64_CONST: v.u64 = in.imm; break;
    case MW_OP_REF_NULL: v.ref = NULL; break;
    case MW_OP_REF_FUNC: v.ref = inst->funcs[in.imm]; break;
    case MW_OP_V128_CONST:
      st[h++].u64 = in.imm;
      v.u64 = in.imm_hi;
      break;
    case MW_OP_GLOBAL_GET: {
      const mw_global *g = inst->globals[in.imm];
      if (g->type.type == MW_V128) {
        memcpy(&st[h++], g->value_v128, 8);
        memcpy(&v, g->value_v128 + 8, 8);
      } else {
        v = g->value;
      }
      break;
    }
    case MW_OP_REF_I31: case MW_OP_STRUCT_NEW: case MW_OP_STRUCT_NEW_DEFAULT:
    case MW_OP_ARRAY_NEW: case MW_OP_ARRAY_NEW_DEFAULT: case MW_OP_ARRAY_NEW_FIXED:
    case MW_OP_ANY_CONVERT_EXTERN: case MW_OP_EXTERN_CONVERT_ANY: {
      /* gc_exec.c; no collection runs during instantiation */
      const char *msg = mwgc_eval_const(inst->store, inst->module, &in, st, &h);
      if (msg) {
        if (st != small) mw_free(a, st, cap * sizeof *st);
        return mws_trap(inst->store, msg);
      }
      continue;
    }
    default: { /* i32/i64 add, sub, mul: wrapping, as unsigned */
      if (h < 2) break;
      mw_slot x = st[h - 2], y = st[h - 1];
      h -= 2;
      switch (in.op) {
      case MW_OP_I32_ADD: v.u32 = x.u32 + y.u32; break;
      case MW_OP_I32_SUB: v.u32 = x.u32 - y.u32; break;
      case MW_OP_I32_MUL: v.u32 = x.u32 * y.u32; break;
      case MW_OP_I64_ADD: v.u64 = x.u64 + y.u64; break;
      case MW_OP_I64_SUB: v.u64 = x.u64 - y.u64; break;
      case MW_OP_I64_MUL: v.u64 = x.u64 * y.u64; break;
      default: break;
      }
    }
    }
    st[h++] = v;
  }
  out->u64 = 0;
  if (h > 0) *out = st[h - 1];
  if (st != small) mw_free(a, st, cap * sizeof *st);
  return NULL;
}

/* A v128 global's initializer: validation allows one instruction of type
 * v128, v128.const or global.get of a v128 global. */
static mw_val eval_v128(const mw_instance *inst, const mw_cexpr *e) {
  mw_cexpr_iter it;
  mw_cinstr in;
  uint8_t bytes[16] = {0};
  mw_cexpr_iter_init(&it, e);
  if (mw_cexpr_next(&it, &in)) {
    if (in.op == MW_OP_GLOBAL_GET) return mw_global_get(inst->globals[in.imm]);
    memcpy(bytes, &in.imm, 8);
    memcpy(bytes + 8, &in.imm_hi, 8);
  }
  return mw_val_v128(bytes);
}

/* Offsets of active segments are i32 values used as unsigned, or i64
 * values for 64-bit memories and tables. */
static mw_error *eval_offset(const mw_instance *inst, const mw_cexpr *e,
                             bool is64, uint64_t *out) {
  mw_slot v;
  mw_error *err = eval_cexpr(inst, e, &v);
  *out = is64 ? v.u64 : v.u32;
  return err;
}

/* ---------------------------------------------------------------- allocation */

static void *calloc_n(const mw_allocator *a, size_t n, size_t size) {
  return n ? mw_calloc(a, n, size) : NULL;
}

/* The instance and its index-space arrays, all empty. */
static mw_instance *instance_new(mw_store *s, mw_module *m) {
  const mw_allocator *a = &s->alloc;
  mw_instance *inst = mw_calloc(a, 1, sizeof *inst);
  if (!inst) return NULL;
  inst->store = s;
  inst->module = mw_module_retain(m);
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  inst->funcs = calloc_n(a, m->nfuncs, sizeof *inst->funcs);
  inst->own_funcs = calloc_n(a, ndefined, sizeof *inst->own_funcs);
  inst->tables = calloc_n(a, m->ntables, sizeof *inst->tables);
  inst->memories = calloc_n(a, m->nmemories, sizeof *inst->memories);
  inst->globals = calloc_n(a, m->nglobals, sizeof *inst->globals);
  inst->tags = calloc_n(a, m->ntags, sizeof *inst->tags);
  inst->elems = calloc_n(a, m->nelems, sizeof *inst->elems);
  inst->data_dropped = calloc_n(a, m->ndatas, sizeof *inst->data_dropped);
  if ((m->nfuncs && !inst->funcs) || (ndefined && !inst->own_funcs) ||
      (m->ntables && !inst->tables) || (m->nmemories && !inst->memories) ||
      (m->nglobals && !inst->globals) || (m->nelems && !inst->elems) ||
      (m->ndatas && !inst->data_dropped) || (m->ntags && !inst->tags)) {
    mws_instance_free(inst);
    return NULL;
  }
  return inst;
}

/* Imports come first in every index space (spec 2.5.1 "Indices"). */
static void link_imports(mw_instance *inst, const mw_extern *imports) {
  const mw_module *m = inst->module;
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0, nx = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    switch (imports[i].kind) {
    case MW_EXTERN_FUNC: inst->funcs[nf++] = imports[i].of.func; break;
    case MW_EXTERN_TABLE: inst->tables[nt++] = imports[i].of.table; break;
    case MW_EXTERN_MEMORY: inst->memories[nm++] = imports[i].of.memory; break;
    case MW_EXTERN_GLOBAL: inst->globals[ng++] = imports[i].of.global; break;
    case MW_EXTERN_TAG: inst->tags[nx++] = mwe_tag_retain(imports[i].of.tag); break;
    }
  }
}

static void define_funcs(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
    mw_func *f = &inst->own_funcs[i - m->nfunc_imports];
    f->type = m->types[m->func_types[i]];
    f->inst = inst;
    f->code = mwl_initial(m, i - m->nfunc_imports); /* lazy.c */
    f->entry = f->code->code;
    f->index = i;
    f->alloc = s->alloc;
    inst->funcs[i] = f;
  }
}

static mw_error *define_tables(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    mw_tabletype type = m->tables[i];
    /* Made with nulls, as if nullable: a table of a non-nullable type has
     * an initializer (validation), whose value init_tables stores. */
    mw_tabletype made = type;
    made.elem = (mw_valtype)((unsigned)type.elem & ~MW_VT_NONNULL);
    mw_val null_ref = mw_val_from_slot(made.elem, (mw_slot){.ref = NULL});
    inst->tables[i] = mw_table_new(&s->cfg, made, null_ref);
    if (inst->tables[i]) {
      inst->tables[i]->store_owned = true;
      inst->tables[i]->tmod = m;
      inst->tables[i]->type.elem = type.elem;
      continue;
    }
    if (type.limits.min > s->cfg.max_table_size)
      return mw_errorf(MW_ERR_UNINSTANTIABLE, "%s (%u elements)",
                       MW_MSG_TABLE_LIMIT, (unsigned)s->cfg.max_table_size);
    return mw_error_oom();
  }
  return NULL;
}

static mw_error *define_memories(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
    mw_memtype type = m->memories[i];
    inst->memories[i] = mw_memory_new(&s->cfg, type);
    if (inst->memories[i]) {
      inst->memories[i]->store_owned = true;
      continue;
    }
    if (type.limits.min > s->cfg.max_memory_pages)
      return mw_errorf(MW_ERR_UNINSTANTIABLE, "%s (%u pages)",
                       MW_MSG_MEMORY_LIMIT, (unsigned)s->cfg.max_memory_pages);
    return mw_error_oom();
  }
  inst->mem0 = m->nmemories ? inst->memories[0] : NULL;
  return NULL;
}

/* In index order, so an initialiser may read any global before it. */
static mw_error *define_globals(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
    mw_globaltype type = m->globals[i].type;
    mw_val val;
    if (type.type == MW_V128) {
      val = eval_v128(inst, &m->globals[i].init);
    } else {
      mw_slot v;
      mw_error *err = eval_cexpr(inst, &m->globals[i].init, &v);
      if (err) return err;
      val = mw_val_from_slot(type.type, v);
    }
    inst->globals[i] = mw_global_new(&s->cfg, type, val);
    if (!inst->globals[i]) return mw_error_oom();
    inst->globals[i]->store_owned = true;
    inst->globals[i]->tmod = m;
  }
  return NULL;
}

/* Tables with an initializer (Wasm 3.0) are filled with its value, once
 * the globals it may read exist. */
static mw_error *init_tables(mw_instance *inst) {
  const mw_module *m = inst->module;
  if (!m->table_inits) return NULL;
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    if (!m->table_inits[i].end) continue;
    mw_slot v;
    mw_error *err = eval_cexpr(inst, &m->table_inits[i], &v);
    if (err) return err;
    mw_table *t = inst->tables[i];
    for (uint32_t k = 0; k < t->size; k++) t->elems[k] = v;
  }
  return NULL;
}

/* Every segment's references are computed now (4.5.3 "Modules" allocates
 * element instances from the evaluated item expressions);
 * a declarative segment is dropped at once, so it keeps none. */
static mw_error *define_elem_segments(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const mw_elem *e = &m->elems[i];
    if (e->mode == MW_SEG_DECLARATIVE || e->count == 0) continue;
    mw_slot *refs = mw_calloc(&s->alloc, e->count, sizeof *refs);
    if (!refs) return mw_error_oom();
    inst->elems[i].refs = refs;
    inst->elems[i].count = e->count;
    for (uint32_t j = 0; j < e->count; j++) {
      mw_error *err = eval_cexpr(inst, &e->items[j], &refs[j]);
      if (err) return err;
    }
  }
  return NULL;
}

/* Exception handling: each defined tag is a new tag (exception.c). */
static mw_error *define_tags(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
    inst->tags[i] = mw_tag_new(&s->cfg, m->types[m->tag_types[i]]);
    if (!inst->tags[i]) return mw_error_oom();
  }
  return NULL;
}

static mw_error *define_all(mw_store *s, mw_instance *inst) {
  define_funcs(s, inst);
  mw_error *err = define_tags(s, inst);
  if (!err) err = define_tables(s, inst);
  if (!err) err = define_memories(s, inst);
  if (!err) err = define_globals(s, inst);
  if (!err) err = init_tables(inst);
  if (!err) err = define_elem_segments(s, inst);
  return err;
}

/* ---------------------------------------------------------------- initialisation */

/* elem.drop: the references are no longer needed by anyone. */
static void drop_elem_segment(mw_instance *inst, uint32_t i) {
  mw_elem_inst *ei = &inst->elems[i];
  mw_free(&inst->store->alloc, ei->refs,
          (size_t)inst->module->elems[i].count * sizeof *ei->refs);
  ei->refs = NULL;
  ei->count = 0;
}

/* Spec 4.5.4 "Instantiation": table.init over the whole segment, then
 * elem.drop. */
static mw_error *init_active_elems(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = 0; i < m->nelems; i++) {
    if (m->elems[i].mode != MW_SEG_ACTIVE) continue;
    mw_table *t = inst->tables[m->elems[i].table];
    uint64_t offset;
    mw_error *err = eval_offset(inst, &m->elems[i].offset, MW_TABLE_IS64(t), &offset);
    if (err) return err;
    mw_elem_inst *ei = &inst->elems[i];
    /* Even an empty segment traps when its offset is past the end; the
     * sum of a 64-bit offset and the count must not wrap. */
    if (offset > t->size || ei->count > t->size - offset)
      return mws_trap(s, MW_MSG_OOB_TABLE);
    if (ei->count)
      memcpy(t->elems + offset, ei->refs, ei->count * sizeof *ei->refs);
    drop_elem_segment(inst, i);
  }
  return NULL;
}

/* Spec 4.5.4 "Instantiation": memory.init over the whole segment, then
 * data.drop. */
static mw_error *init_active_datas(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const mw_data *d = &m->datas[i];
    if (d->mode != MW_SEG_ACTIVE) continue;
    mw_memory *mem = inst->memories[d->memory];
    uint64_t offset;
    mw_error *err = eval_offset(inst, &d->offset, MW_MEMORY_IS64(mem), &offset);
    if (err) return err;
    if (offset > mem->size || d->len > mem->size - offset)
      return mws_trap(s, MW_MSG_OOB_MEMORY);
    if (d->len) memcpy(mem->data + offset, d->bytes, d->len);
    inst->data_dropped[i] = true;
  }
  return NULL;
}

static mw_error *run_start(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  if (!m->has_start) return NULL;
  mw_slot none[1]; /* the start function takes and returns nothing */
  return mwx_call(s, inst->funcs[m->start], none);
}

static mw_error *initialize(mw_store *s, mw_instance *inst) {
  mw_error *err = init_active_elems(s, inst);
  if (!err) err = init_active_datas(s, inst);
  if (!err) err = run_start(s, inst);
  return err;
}

/* ---------------------------------------------------------------- entry points */

/* `imports` has one matching-count entry per module import (checked by the
 * callers); *out is already NULL. */
static mw_error *instantiate_resolved(mw_store *s, mw_module *m,
                                      const mw_extern *imports,
                                      mw_instance **out) {
  mw_error *err = check_imports(m, imports);
  if (err) return err;
  mw_instance *inst = instance_new(s, m);
  if (!inst) return mw_error_oom();
  link_imports(inst, imports);
  /* gc: constant expressions allocate objects the collector cannot see
   * until the instance is in the store */
  mwgc_inhibit(s, 1);
  err = define_all(s, inst);
  mwgc_inhibit(s, -1);
  if (!err && m->aot) err = mw_aot_bind(s, inst); /* native code, if loaded */
  if (err) {
    mws_instance_free(inst);
    return err;
  }
  /* From here on the instance is part of the store even if a segment or the
   * start function traps: what it wrote may already be reachable. */
  inst->next = s->instances;
  s->instances = inst;
  err = initialize(s, inst);
  if (!err) *out = inst;
  return err;
}

mw_error *mw_instantiate_with(mw_store *s, mw_module *m,
                              const mw_extern *imports, size_t nimports,
                              mw_instance **out) {
  *out = NULL;
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  if (nimports != m->nimports)
    return mw_errorf(MW_ERR_USAGE, "expected %u imports, got %zu",
                     (unsigned)m->nimports, nimports);
  return instantiate_resolved(s, m, imports, out);
}

mw_error *mw_instantiate(mw_store *s, mw_module *m, mw_instance **out) {
  *out = NULL;
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  mw_extern *imports = calloc_n(&s->alloc, m->nimports, sizeof *imports);
  if (m->nimports && !imports) return mw_error_oom();
  for (uint32_t i = 0; i < m->nimports && !err; i++) {
    const mw_import *imp = &m->imports[i];
    if (!mw_store_lookup(s, imp->module.ptr, imp->module.len, imp->name.ptr,
                         imp->name.len, &imports[i]))
      err = import_error(MW_MSG_UNKNOWN_IMPORT, imp, "");
  }
  if (!err) err = instantiate_resolved(s, m, imports, out);
  mw_free(&s->alloc, imports, (size_t)m->nimports * sizeof *imports);
  return err;
}

/* Frees what the instance defined -- indices past the imports -- and
 * leaves imported objects to their owners. */
void mws_instance_free(mw_instance *inst) {
  const mw_allocator *a = &inst->store->alloc;
  mw_module *m = inst->module;
  mw_aot_unbind(inst);
  for (uint32_t i = m->ntable_imports; inst->tables && i < m->ntables; i++)
    mws_table_destroy(inst->tables[i]);
  for (uint32_t i = m->nmemory_imports; inst->memories && i < m->nmemories;
       i++)
    mws_memory_destroy(inst->memories[i]);
  for (uint32_t i = m->nglobal_imports; inst->globals && i < m->nglobals; i++)
    mws_global_destroy(inst->globals[i]);
  for (uint32_t i = 0; inst->tags && i < m->ntags; i++) /* one reference each */
    mwe_tag_release(inst->tags[i]);
  mw_free(a, inst->tags, (size_t)m->ntags * sizeof *inst->tags);
  for (uint32_t i = 0; inst->elems && i < m->nelems; i++)
    mw_free(a, inst->elems[i].refs,
            (size_t)m->elems[i].count * sizeof *inst->elems[i].refs);
  mw_free(a, inst->funcs, (size_t)m->nfuncs * sizeof *inst->funcs);
  mw_free(a, inst->own_funcs,
          (size_t)(m->nfuncs - m->nfunc_imports) * sizeof *inst->own_funcs);
  mw_free(a, inst->tables, (size_t)m->ntables * sizeof *inst->tables);
  mw_free(a, inst->memories, (size_t)m->nmemories * sizeof *inst->memories);
  mw_free(a, inst->globals, (size_t)m->nglobals * sizeof *inst->globals);
  mw_free(a, inst->elems, (size_t)m->nelems * sizeof *inst->elems);
  mw_free(a, inst->data_dropped,
          (size_t)m->ndatas * sizeof *inst->data_dropped);
  mw_module_release(m);
  mw_free(a, inst, sizeof *inst);
}

/* ---------------------------------------------------------------- accessors */

mw_module *mw_instance_module(const mw_instance *inst) { return inst->module; }
mw_store *mw_instance_store(const mw_instance *inst) { return inst->store; }
mw_memory *mw_instance_memory(const mw_instance *inst) { return inst->mem0; }

static mw_extern export_extern(const mw_instance *inst, const mw_export *e) {
  mw_extern x;
  x.kind = e->kind;
  switch (e->kind) {
  case MW_EXTERN_FUNC: x.of.func = inst->funcs[e->index]; break;
  case MW_EXTERN_TABLE: x.of.table = inst->tables[e->index]; break;
  case MW_EXTERN_MEMORY: x.of.memory = inst->memories[e->index]; break;
  case MW_EXTERN_GLOBAL: x.of.global = inst->globals[e->index]; break;
  case MW_EXTERN_TAG: x.of.tag = inst->tags[e->index]; break;
  }
  return x;
}

/* A linear scan: export lists are short next to import lists, and the Lua
 * binding caches what it looks up. */
bool mw_instance_export(const mw_instance *inst, const char *name,
                        size_t name_len, mw_extern *out) {
  const mw_module *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const mw_export *e = &m->exports[i];
    if (e->name.len == name_len &&
        (name_len == 0 || memcmp(e->name.ptr, name, name_len) == 0)) {
      *out = export_extern(inst, e);
      return true;
    }
  }
  return false;
}

size_t mw_instance_export_count(const mw_instance *inst) {
  return inst->module->nexports;
}

void mw_instance_export_at(const mw_instance *inst, size_t i, const char **name,
                           size_t *name_len, mw_extern *out) {
  if (i >= inst->module->nexports) { /* out of range: report nothing */
    *name = NULL;
    *name_len = 0;
    memset(out, 0, sizeof *out);
    return;
  }
  const mw_export *e = &inst->module->exports[i];
  *name = e->name.ptr;
  *name_len = e->name.len;
  *out = export_extern(inst, e);
}
