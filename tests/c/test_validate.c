/*
 * test_validate.c -- module-level validation (src/runtime/validate.c).
 *
 * Modules are built by hand in a fixture, so each test states exactly the
 * one fault it is about and the message the spec's tests expect for it.
 * Every defined function gets a real, valid body, so the tests also run
 * against the real compile.c.  Built with -DMW_TEST_STUB_COMPILE, a stub
 * stands in for compile.c and a few more tests check how validation drives
 * it (order, first error, cleanup).
 *
 *   cc -std=c11 -Isrc -Itests/c -DMW_TEST_STUB_COMPILE \
 *      tests/c/test_validate.c src/runtime/validate.c src/runtime/decode.c src/runtime/module.c \
 *      src/runtime/opcodes.c src/runtime/value.c src/runtime/alloc.c src/runtime/error.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

/* ---------------------------------------------------------------- allocator */

/* Counts live bytes so every test also checks for leaks; can be told to
 * refuse the n-th allocation from now on. */
typedef struct counting {
  long live_bytes;
  long live_blocks;
  int fail_after; /* < 0: never fail */
} counting;

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = ud;
  if (nsize == 0) {
    if (ptr) {
      c->live_bytes -= (long)osize;
      c->live_blocks--;
    }
    free(ptr);
    return NULL;
  }
  if (c->fail_after == 0) return NULL;
  if (c->fail_after > 0) c->fail_after--;
  void *p = realloc(ptr, nsize);
  if (p) {
    c->live_bytes += (long)nsize - (ptr ? (long)osize : 0);
    if (!ptr) c->live_blocks++;
  }
  return p;
}

/* ---------------------------------------------------------------- compile stub */

#ifdef MW_TEST_STUB_COMPILE
/* Stands in for compile.c: allocates one word per function (so leaks
 * show), records which function it compiled, and fails for a body whose
 * nlocals is STUB_FAIL_LOCALS. */
#define STUB_FAIL_LOCALS 0xBADu

mw_error *mwc_compile(mw_module *m, uint32_t defined_index, mw_compiled *out) {
  if (m->codes && m->codes[defined_index].nlocals == STUB_FAIL_LOCALS)
    return mw_errorf(MW_ERR_INVALID, "%s (stub, function %u)",
                     MW_MSG_TYPE_MISMATCH, defined_index);
  out->code = mw_alloc(&m->alloc, sizeof *out->code);
  if (!out->code) return mw_error_oom();
  out->code[0] = defined_index;
  out->ncode = 1;
  return NULL;
}

void mwc_free(const mw_allocator *a, mw_compiled *c) {
  mw_free(a, c->code, (size_t)c->ncode * sizeof *c->code);
  c->code = NULL;
  c->ncode = 0;
}
#endif

/* ---------------------------------------------------------------- fixture */

/* Function types the fixture offers, by index. */
enum { T_VOID, T_I32_TO_VOID, T_VOID_TO_I32, T_VOID_TO_I32_I32, NTYPES };

#define MAXN 16

typedef struct fixture {
  mw_module m;
  uint8_t no_bytes[1];
  counting counter;
  mw_functype *types[NTYPES];
  uint32_t func_types[MAXN];
  mw_code_body codes[MAXN];
  mw_tabletype tables[MAXN];
  mw_memtype memories[MAXN];
  mw_global_decl globals[MAXN];
  mw_export exports[MAXN];
  mw_elem elems[MAXN];
  mw_data datas[MAXN];
  mw_cexpr items[MAXN];
} fixture;

/* Valid bodies: `end`, or `i32.const 0 end` for a function returning i32.
 * Only the bytes after the locals. */
static const uint8_t body_void[] = {0x0B};
static const uint8_t body_i32[] = {0x41, 0x00, 0x0B};

/* A function type alone in its rec group, final, at index `index`. */
static mw_functype *new_type(uint32_t index, uint32_t nparams, uint32_t nresults,
                             mw_valtype t) {
  mw_functype *ft = calloc(1, mw_functype_bytes(nparams, nresults));
  ft->nparams = nparams;
  ft->nresults = nresults;
  ft->comp = MW_COMP_FUNC;
  ft->final = true;
  ft->super = MW_NO_SUPER;
  ft->index = ft->rec_first = index;
  ft->rec_len = 1;
  for (uint32_t i = 0; i < nparams + nresults; i++) ft->types[i] = t;
  return ft;
}

static void fixture_init(fixture *f) {
  memset(f, 0, sizeof *f);
  f->counter.fail_after = -1;
  mw_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = &f->counter;
  f->m.alloc = mw_allocator_of(&cfg);
  f->m.refcount = 1;
  f->m.bytes = f->no_bytes; /* compile.c compares body ends with bytes + len */
  f->m.len = 0;
  f->m.features = MW_FEATURES_WASM2;
  f->m.eager_compile = true; /* every body through mwc_compile (lazy.c) */
  f->types[T_VOID] = new_type(T_VOID, 0, 0, MW_I32);
  f->types[T_I32_TO_VOID] = new_type(T_I32_TO_VOID, 1, 0, MW_I32);
  f->types[T_VOID_TO_I32] = new_type(T_VOID_TO_I32, 0, 1, MW_I32);
  f->types[T_VOID_TO_I32_I32] = new_type(T_VOID_TO_I32_I32, 0, 2, MW_I32);
  f->m.ntypes = NTYPES;
  f->m.types = f->types;
  mwt_finish_types(&f->m); /* hashes and canonical indices (types.c) */
  f->m.func_types = f->func_types;
  f->m.codes = f->codes;
  f->m.tables = f->tables;
  f->m.memories = f->memories;
  f->m.globals = f->globals;
  f->m.exports = f->exports;
  f->m.elems = f->elems;
  f->m.datas = f->datas;
}

/* Free what validation allocated; fail the test on a leak. */
static void fixture_done(fixture *f) {
  mw_module *m = &f->m;
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (m->compiled) {
    for (uint32_t i = 0; i < ndefined; i++) mwc_free(&m->alloc, &m->compiled[i]);
    mw_free(&m->alloc, m->compiled, (size_t)ndefined * sizeof *m->compiled);
  }
  mw_free(&m->alloc, m->func_refs, ((size_t)m->nfuncs + 7) / 8);
  CHECK(f->counter.live_blocks == 0);
  CHECK(f->counter.live_bytes == 0);
  for (int i = 0; i < NTYPES; i++) free(f->types[i]);
}

/* Declare `n` more functions of type `type`: imports first, then defined
 * ones (call with imported = true before any defined function). */
static void add_funcs(fixture *f, uint32_t n, uint32_t type, bool imported) {
  for (uint32_t i = 0; i < n; i++) {
    uint32_t fi = f->m.nfuncs++;
    f->func_types[fi] = type;
    if (imported) {
      f->m.nfunc_imports++;
      continue;
    }
    const uint8_t *body = type == T_VOID_TO_I32 ? body_i32 : body_void;
    size_t len = type == T_VOID_TO_I32 ? sizeof body_i32 : sizeof body_void;
    mw_code_body *c = &f->codes[fi - f->m.nfunc_imports];
    c->start = body;
    c->end = body + len;
  }
}

static void add_table(fixture *f, uint8_t elem, uint32_t min, bool has_max,
                      uint32_t max) {
  mw_tabletype *t = &f->tables[f->m.ntables++];
  t->elem = (mw_valtype)elem;
  t->limits.min = min;
  t->limits.has_max = has_max;
  t->limits.max = max;
}

static void add_memory(fixture *f, uint32_t min, bool has_max, uint32_t max) {
  mw_memtype *mt = &f->memories[f->m.nmemories++];
  mt->limits.min = min;
  mt->limits.has_max = has_max;
  mt->limits.max = max;
}

static mw_cinstr ins(mw_opcode op, uint64_t imm) {
  mw_cinstr in;
  in.op = (uint16_t)op;
  in.imm = imm;
  return in;
}

static mw_cexpr cexpr0(void) {
  mw_cexpr e;
  memset(&e, 0, sizeof e);
  return e;
}

static mw_cexpr cexpr1(mw_cinstr a) {
  mw_cexpr e = cexpr0();
  e.n = 1;
  e.ins[0] = a;
  return e;
}

static mw_cexpr cexpr2(mw_cinstr a, mw_cinstr b) {
  mw_cexpr e = cexpr1(a);
  e.n = 2;
  e.ins[1] = b;
  return e;
}

static mw_cexpr i32c(int32_t v) {
  return cexpr1(ins(MW_OP_I32_CONST, (uint32_t)v));
}

static void add_imported_global(fixture *f, uint8_t type, bool mutable_) {
  mw_global_decl *g = &f->globals[f->m.nglobals++];
  g->type.type = (mw_valtype)type;
  g->type.mutable_ = mutable_;
  f->m.nglobal_imports++;
}

static void add_global(fixture *f, uint8_t type, bool mutable_, mw_cexpr init) {
  mw_global_decl *g = &f->globals[f->m.nglobals++];
  g->type.type = (mw_valtype)type;
  g->type.mutable_ = mutable_;
  g->init = init;
}

static void add_export(fixture *f, const char *name, size_t len,
                       mw_extern_kind kind, uint32_t index) {
  mw_export *ex = &f->exports[f->m.nexports++];
  ex->name.ptr = name;
  ex->name.len = (uint32_t)len;
  ex->kind = kind;
  ex->index = index;
}

/* An element segment of `count` items (taken from f->items). */
static mw_elem *add_elem(fixture *f, mw_seg_mode mode, uint32_t table,
                         mw_cexpr offset, uint8_t type, uint32_t count) {
  mw_elem *e = &f->elems[f->m.nelems++];
  e->mode = mode;
  e->table = table;
  e->offset = offset;
  e->type = type;
  e->count = count;
  e->items = f->items;
  return e;
}

static void add_data(fixture *f, mw_seg_mode mode, uint32_t memory,
                     mw_cexpr offset) {
  mw_data *d = &f->datas[f->m.ndatas++];
  d->mode = mode;
  d->memory = memory;
  d->offset = offset;
  d->bytes = (const uint8_t *)"abc";
  d->len = 3;
}

/* ---------------------------------------------------------------- outcomes */

static void expect_valid_at(fixture *f, int line) {
  mw_error *err = mwv_validate(&f->m);
  if (err)
    printf("%s:%d: unexpected error: %s\n", __FILE__, line,
           mw_error_message(err));
  CHECK(err == NULL);
  CHECK(f->m.validated);
  mw_error_free(err);
  fixture_done(f);
}

static void expect_invalid_at(fixture *f, const char *message, int line) {
  mw_error *err = mwv_validate(&f->m);
  bool ok = err && mw_error_kind_of(err) == MW_ERR_INVALID &&
            strcmp(mw_error_message(err), message) == 0;
  if (!ok)
    printf("%s:%d: expected invalid \"%s\", got %s \"%s\"\n", __FILE__,
           line, message,
           err ? mw_error_kind_name(mw_error_kind_of(err)) : "success",
           err ? mw_error_message(err) : "");
  CHECK(ok);
  CHECK(!f->m.validated);
  mw_error_free(err);
  fixture_done(f);
}

#define expect_valid(f) expect_valid_at(f, __LINE__)
#define expect_invalid(f, msg) expect_invalid_at(f, msg, __LINE__)

/* ---------------------------------------------------------------- tests */

static void test_empty_module(void) {
  fixture f;
  fixture_init(&f);
  expect_valid(&f);
}

static void test_types(void) {
  fixture f;

  fixture_init(&f); /* multi-value is part of Wasm 2.0 */
  add_funcs(&f, 1, T_VOID_TO_I32_I32, true);
  expect_valid(&f);

  fixture_init(&f);
  f.m.features &= ~(uint32_t)MW_FEATURE_MULTI_VALUE;
  expect_invalid(&f, MW_MSG_INVALID_RESULT_ARITY);

  fixture_init(&f);
  f.types[T_VOID]->nparams = MW_MAX_FUNC_VALUES + 1; /* never read past */
  f.types[T_VOID]->nresults = 0;
  expect_invalid(&f, MW_MSG_TOO_MANY_FUNC_VALUES);
}

static void test_function_types(void) {
  fixture f;

  fixture_init(&f); /* (import (func (type 7))) */
  add_funcs(&f, 1, 7, true);
  expect_invalid(&f, "unknown type 7");

  fixture_init(&f); /* (func (type 4)) */
  add_funcs(&f, 1, T_VOID, true);
  add_funcs(&f, 1, NTYPES, false);
  expect_invalid(&f, "unknown type 4");
}

static void test_tables(void) {
  fixture f;

  fixture_init(&f);
  add_table(&f, MW_FUNCREF, 0, true, UINT32_MAX);
  add_table(&f, MW_EXTERNREF, 10, false, 0);
  expect_valid(&f);

  fixture_init(&f);
  add_table(&f, MW_FUNCREF, 1, true, 0);
  expect_invalid(&f, MW_MSG_LIMITS_ORDER);

  fixture_init(&f); /* an imported table is checked alike */
  add_table(&f, MW_FUNCREF, 2, true, 1);
  f.m.ntable_imports = 1;
  expect_invalid(&f, MW_MSG_LIMITS_ORDER);

  fixture_init(&f);
  f.m.features &= ~(uint32_t)MW_FEATURE_REFERENCE_TYPES;
  add_table(&f, MW_FUNCREF, 0, false, 0);
  add_table(&f, MW_FUNCREF, 0, false, 0);
  expect_invalid(&f, MW_MSG_MULTIPLE_TABLES);
}

static void test_memories(void) {
  fixture f;

  fixture_init(&f);
  add_memory(&f, 65536, true, 65536);
  expect_valid(&f);

  fixture_init(&f);
  add_memory(&f, 65537, false, 0);
  expect_invalid(&f, MW_MSG_MEMORY_SIZE);

  fixture_init(&f);
  add_memory(&f, 0, true, 65537);
  expect_invalid(&f, MW_MSG_MEMORY_SIZE);

  fixture_init(&f);
  add_memory(&f, 0, true, UINT32_MAX);
  expect_invalid(&f, MW_MSG_MEMORY_SIZE);

  fixture_init(&f);
  add_memory(&f, 2, true, 1);
  expect_invalid(&f, MW_MSG_LIMITS_ORDER);

  fixture_init(&f); /* (import (memory 1)) (memory 0) */
  add_memory(&f, 1, false, 0);
  add_memory(&f, 0, false, 0);
  f.m.nmemory_imports = 1;
  expect_invalid(&f, MW_MSG_MULTIPLE_MEMORIES);
}

static void test_global_initializers(void) {
  fixture f;

  fixture_init(&f); /* one constant of each kind */
  add_imported_global(&f, MW_I64, false);
  add_funcs(&f, 1, T_VOID, false);
  add_global(&f, MW_I32, true, i32c(7));
  add_global(&f, MW_I64, false, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  add_global(&f, MW_F32, false, cexpr1(ins(MW_OP_F32_CONST, 0)));
  add_global(&f, MW_F64, false, cexpr1(ins(MW_OP_F64_CONST, 0)));
  add_global(&f, MW_EXTERNREF, false, cexpr1(ins(MW_OP_REF_NULL, MW_EXTERNREF)));
  add_global(&f, MW_FUNCREF, false, cexpr1(ins(MW_OP_REF_FUNC, 0)));
  expect_valid(&f);

  fixture_init(&f); /* (global i32 (f32.const 0)) */
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_F32_CONST, 0)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (global i32) -- empty */
  add_global(&f, MW_I32, false, cexpr0());
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (global i32 (i32.const 0) (i32.const 0)) */
  add_global(&f, MW_I32, false, cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_I32_CONST, 0)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* six constants: more than the decoder keeps */
  mw_cexpr many = cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_I32_CONST, 0));
  many.ins[2] = many.ins[3] = ins(MW_OP_I32_CONST, 0);
  many.n = 6;
  add_global(&f, MW_I32, false, many);
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (global i32 (i32.const 0) (nop)) */
  add_global(&f, MW_I32, false, cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_NOP, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (global i32 (nop)) */
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_NOP, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (global f32 (f32.neg (f32.const 0))) */
  add_global(&f, MW_F32, false, cexpr2(ins(MW_OP_F32_CONST, 0), ins(MW_OP_F32_NEG, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (global f32 (local.get 0)) */
  add_global(&f, MW_F32, false, cexpr1(ins(MW_OP_LOCAL_GET, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (global i32 (global.get 0)) -- itself */
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, "unknown global 0");

  fixture_init(&f); /* a defined global is not visible in initializers */
  add_global(&f, MW_I32, false, i32c(0));
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, "unknown global 0");

  fixture_init(&f); /* (global (import) i32) (global i32 (global.get 2)) */
  add_imported_global(&f, MW_I32, false);
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_GLOBAL_GET, 2)));
  expect_invalid(&f, "unknown global 2");

  fixture_init(&f); /* global.get of an imported mutable global */
  add_imported_global(&f, MW_I32, true);
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (global (import) externref) (global funcref (global.get 0)) */
  add_imported_global(&f, MW_EXTERNREF, false);
  add_global(&f, MW_FUNCREF, false, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (global i32 (i32.const 0) (global.get 0)) */
  add_imported_global(&f, MW_I32, false);
  add_global(&f, MW_I32, false, cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* ref_func.wast: (global funcref (ref.func 7)) */
  add_funcs(&f, 2, T_I32_TO_VOID, true);
  add_global(&f, MW_FUNCREF, false, cexpr1(ins(MW_OP_REF_FUNC, 7)));
  expect_invalid(&f, "unknown function 7");

  fixture_init(&f); /* (global externref (ref.null func)) */
  add_global(&f, MW_EXTERNREF, false, cexpr1(ins(MW_OP_REF_NULL, MW_FUNCREF)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);
}

static void test_exports(void) {
  fixture f;

  fixture_init(&f); /* one of each kind, a mutable global among them */
  add_funcs(&f, 1, T_VOID, false);
  add_table(&f, MW_FUNCREF, 0, false, 0);
  add_memory(&f, 0, false, 0);
  add_global(&f, MW_I32, true, i32c(0));
  add_export(&f, "f", 1, MW_EXTERN_FUNC, 0);
  add_export(&f, "t", 1, MW_EXTERN_TABLE, 0);
  add_export(&f, "m", 1, MW_EXTERN_MEMORY, 0);
  add_export(&f, "g", 1, MW_EXTERN_GLOBAL, 0);
  add_export(&f, "a\0b", 3, MW_EXTERN_FUNC, 0); /* NUL-containing names */
  add_export(&f, "a\0c", 3, MW_EXTERN_FUNC, 0);
  add_export(&f, "", 0, MW_EXTERN_FUNC, 0);
  expect_valid(&f);

  fixture_init(&f);
  add_funcs(&f, 1, T_VOID, false);
  add_export(&f, "a", 1, MW_EXTERN_FUNC, 1);
  expect_invalid(&f, "unknown function 1");

  fixture_init(&f);
  add_export(&f, "a", 1, MW_EXTERN_TABLE, 0);
  expect_invalid(&f, "unknown table 0");

  fixture_init(&f);
  add_export(&f, "a", 1, MW_EXTERN_MEMORY, 0);
  expect_invalid(&f, "unknown memory 0");

  fixture_init(&f);
  add_imported_global(&f, MW_I32, false);
  add_export(&f, "a", 1, MW_EXTERN_GLOBAL, 1);
  expect_invalid(&f, "unknown global 1");

  fixture_init(&f); /* same name, different kinds */
  add_funcs(&f, 1, T_VOID, false);
  add_global(&f, MW_I32, false, i32c(0));
  add_export(&f, "a", 1, MW_EXTERN_FUNC, 0);
  add_export(&f, "b", 1, MW_EXTERN_FUNC, 0);
  add_export(&f, "a", 1, MW_EXTERN_GLOBAL, 0);
  expect_invalid(&f, MW_MSG_DUP_EXPORT);

  fixture_init(&f); /* the first fault in export order wins */
  add_funcs(&f, 1, T_VOID, false);
  add_export(&f, "a", 1, MW_EXTERN_FUNC, 0);
  add_export(&f, "a", 1, MW_EXTERN_FUNC, 0);
  add_export(&f, "b", 1, MW_EXTERN_FUNC, 9);
  expect_invalid(&f, MW_MSG_DUP_EXPORT);

  fixture_init(&f); /* Wasm 1.0 did not export mutable globals */
  f.m.features &= ~(uint32_t)MW_FEATURE_MUTABLE_GLOBALS;
  add_global(&f, MW_I32, true, i32c(0));
  add_export(&f, "g", 1, MW_EXTERN_GLOBAL, 0);
  expect_invalid(&f, MW_MSG_UNSUPPORTED ": exporting a mutable global");
}

/* Many exports, all distinct, then one repeated far from its twin: the
 * hash set must grow with the export count. */
static void test_many_exports(void) {
  enum { N = 2000 };
  static char names[N + 1][8];
  mw_export *exports = calloc(N + 1, sizeof *exports);
  fixture f;
  for (int dup = 0; dup <= 1; dup++) {
    fixture_init(&f);
    add_funcs(&f, 1, T_VOID, false);
    for (uint32_t i = 0; i < N; i++) {
      snprintf(names[i], sizeof names[i], "e%u", (unsigned)i);
      exports[i].name.ptr = names[i];
      exports[i].name.len = (uint32_t)strlen(names[i]);
      exports[i].kind = MW_EXTERN_FUNC;
    }
    exports[N] = exports[3];
    f.m.exports = exports;
    f.m.nexports = dup ? N + 1 : N;
    if (dup)
      expect_invalid(&f, MW_MSG_DUP_EXPORT);
    else
      expect_valid(&f);
  }
  free(exports);
}

static void test_start(void) {
  fixture f;

  fixture_init(&f);
  add_funcs(&f, 1, T_I32_TO_VOID, true);
  add_funcs(&f, 1, T_VOID, false);
  f.m.has_start = true;
  f.m.start = 1;
  expect_valid(&f);

  fixture_init(&f); /* (module (func) (start 1)) */
  add_funcs(&f, 1, T_VOID, false);
  f.m.has_start = true;
  f.m.start = 1;
  expect_invalid(&f, "unknown function 1");

  fixture_init(&f); /* a result */
  add_funcs(&f, 1, T_VOID_TO_I32, false);
  f.m.has_start = true;
  expect_invalid(&f, MW_MSG_START);

  fixture_init(&f); /* a parameter, and imported */
  add_funcs(&f, 1, T_I32_TO_VOID, true);
  f.m.has_start = true;
  expect_invalid(&f, MW_MSG_START);
}

static void test_elem_segments(void) {
  fixture f;

  fixture_init(&f); /* active, passive and declarative, both ref types */
  add_imported_global(&f, MW_I32, false);
  add_funcs(&f, 2, T_VOID, false);
  add_table(&f, MW_FUNCREF, 2, false, 0);
  add_table(&f, MW_EXTERNREF, 2, false, 0);
  f.items[0] = cexpr1(ins(MW_OP_REF_FUNC, 1));
  f.items[1] = cexpr1(ins(MW_OP_REF_NULL, MW_FUNCREF));
  add_elem(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_GLOBAL_GET, 0)), MW_FUNCREF, 2);
  add_elem(&f, MW_SEG_PASSIVE, 0, cexpr0(), MW_FUNCREF, 2);
  add_elem(&f, MW_SEG_DECLARATIVE, 0, cexpr0(), MW_FUNCREF, 2);
  add_elem(&f, MW_SEG_ACTIVE, 1, i32c(0), MW_EXTERNREF, 0);
  expect_valid(&f);

  fixture_init(&f); /* (func $f) (elem (i32.const 0) $f) */
  add_funcs(&f, 1, T_VOID, false);
  f.items[0] = cexpr1(ins(MW_OP_REF_FUNC, 0));
  add_elem(&f, MW_SEG_ACTIVE, 0, i32c(0), MW_FUNCREF, 1);
  expect_invalid(&f, "unknown table 0");

  fixture_init(&f); /* (table 1 externref) (elem (i32.const 0) $f) */
  add_funcs(&f, 1, T_VOID, false);
  add_table(&f, MW_EXTERNREF, 1, false, 0);
  f.items[0] = cexpr1(ins(MW_OP_REF_FUNC, 0));
  add_elem(&f, MW_SEG_ACTIVE, 0, i32c(0), MW_FUNCREF, 1);
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (elem (i64.const 0)) */
  add_table(&f, MW_FUNCREF, 1, false, 0);
  add_elem(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_I64_CONST, 0)), MW_FUNCREF, 0);
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (elem (offset (nop) (i32.const 0))) */
  add_table(&f, MW_FUNCREF, 1, false, 0);
  add_elem(&f, MW_SEG_ACTIVE, 0, cexpr2(ins(MW_OP_NOP, 0), ins(MW_OP_I32_CONST, 0)),
           MW_FUNCREF, 0);
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* a defined global in an offset */
  add_table(&f, MW_FUNCREF, 1, false, 0);
  add_global(&f, MW_I32, false, i32c(0));
  add_elem(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_GLOBAL_GET, 0)), MW_FUNCREF, 0);
  expect_invalid(&f, "unknown global 0");

  fixture_init(&f); /* funcref (ref.null extern) */
  add_table(&f, MW_FUNCREF, 1, false, 0);
  f.items[0] = cexpr1(ins(MW_OP_REF_NULL, MW_EXTERNREF));
  add_elem(&f, MW_SEG_ACTIVE, 0, i32c(0), MW_FUNCREF, 1);
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* funcref (item (i32.add ...)) */
  add_table(&f, MW_FUNCREF, 1, false, 0);
  f.items[0] = cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_I32_ADD, 0));
  add_elem(&f, MW_SEG_PASSIVE, 0, cexpr0(), MW_FUNCREF, 1);
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* funcref (item (ref.null func) (ref.null func)) */
  f.items[0] = cexpr2(ins(MW_OP_REF_NULL, MW_FUNCREF), ins(MW_OP_REF_NULL, MW_FUNCREF));
  add_elem(&f, MW_SEG_DECLARATIVE, 0, cexpr0(), MW_FUNCREF, 1);
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* an item naming a missing function */
  add_funcs(&f, 1, T_VOID, false);
  f.items[0] = cexpr1(ins(MW_OP_REF_FUNC, 1));
  add_elem(&f, MW_SEG_DECLARATIVE, 0, cexpr0(), MW_FUNCREF, 1);
  expect_invalid(&f, "unknown function 1");

  fixture_init(&f); /* Wasm 1.0: active segments only */
  f.m.features &= ~(uint32_t)MW_FEATURE_BULK_MEMORY;
  add_elem(&f, MW_SEG_PASSIVE, 0, cexpr0(), MW_FUNCREF, 0);
  expect_invalid(&f, MW_MSG_UNSUPPORTED ": passive or declarative element segment");
}

static void test_data_segments(void) {
  fixture f;

  fixture_init(&f);
  add_imported_global(&f, MW_I32, false);
  add_memory(&f, 1, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 0, i32c(0));
  add_data(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  add_data(&f, MW_SEG_PASSIVE, 0, cexpr0());
  expect_valid(&f);

  fixture_init(&f); /* passive segments need no memory */
  add_data(&f, MW_SEG_PASSIVE, 0, cexpr0());
  expect_valid(&f);

  fixture_init(&f); /* (data (i32.const 0) "") without memory */
  add_data(&f, MW_SEG_ACTIVE, 0, i32c(0));
  expect_invalid(&f, "unknown memory 0");

  fixture_init(&f); /* binary: active segment for memory 1 */
  add_memory(&f, 0, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 1, i32c(0));
  expect_invalid(&f, "unknown memory 1");

  fixture_init(&f); /* (data (ref.null func)) */
  add_memory(&f, 1, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_REF_NULL, MW_FUNCREF)));
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH);

  fixture_init(&f); /* (data (offset (i32.const 0) (nop))) */
  add_memory(&f, 1, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 0, cexpr2(ins(MW_OP_I32_CONST, 0), ins(MW_OP_NOP, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (data (global.get $g)), $g imported and mutable */
  add_imported_global(&f, MW_I32, true);
  add_memory(&f, 1, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_GLOBAL_GET, 0)));
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* (data (global.get 1)) past the one import */
  add_imported_global(&f, MW_I32, false);
  add_memory(&f, 1, false, 0);
  add_data(&f, MW_SEG_ACTIVE, 0, cexpr1(ins(MW_OP_GLOBAL_GET, 1)));
  expect_invalid(&f, "unknown global 1");
}

/* C.refs: functions named by exports, element items and global
 * initializers; not those only named by the start function. */
static void test_func_refs(void) {
  fixture f;
  fixture_init(&f);
  add_funcs(&f, 1, T_VOID, true);
  add_funcs(&f, 9, T_VOID, false); /* 10 functions: two bytes of bits */
  add_export(&f, "f", 1, MW_EXTERN_FUNC, 0);
  f.items[0] = cexpr1(ins(MW_OP_REF_FUNC, 2));
  f.items[1] = cexpr1(ins(MW_OP_REF_FUNC, 9));
  add_elem(&f, MW_SEG_DECLARATIVE, 0, cexpr0(), MW_FUNCREF, 2);
  add_global(&f, MW_FUNCREF, false, cexpr1(ins(MW_OP_REF_FUNC, 3)));
  f.m.has_start = true;
  f.m.start = 4;
  mw_error *err = mwv_validate(&f.m);
  CHECK(err == NULL);
  mw_error_free(err);
  const uint8_t *refs = f.m.func_refs;
  CHECK(refs != NULL);
  if (refs) {
    CHECK(refs[0] == (1u << 0 | 1u << 2 | 1u << 3));
    CHECK(refs[1] == (1u << 1));
  }
  fixture_done(&f);
}

static void test_order_of_checks(void) {
  fixture f;

  fixture_init(&f); /* a global's fault is reported before an export's */
  add_global(&f, MW_I32, false, cexpr1(ins(MW_OP_NOP, 0)));
  add_export(&f, "x", 1, MW_EXTERN_MEMORY, 0);
  expect_invalid(&f, MW_MSG_CONST_REQUIRED);

  fixture_init(&f); /* a memory's limits before the memory count */
  add_memory(&f, 0, false, 0);
  add_memory(&f, 70000, false, 0);
  expect_invalid(&f, MW_MSG_MEMORY_SIZE);
}

/* Refuse the n-th allocation for n = 0, 1, ... until validation no longer
 * needs that many: every refusal must be reported as out of memory and leak
 * nothing. */
static void test_out_of_memory(void) {
  fixture f;
  for (int n = 0; n < 100; n++) {
    fixture_init(&f);
    add_funcs(&f, 2, T_VOID, false);
    add_export(&f, "a", 1, MW_EXTERN_FUNC, 0);
    f.counter.fail_after = n;
    mw_error *err = mwv_validate(&f.m);
    bool done = err == NULL;
    CHECK(done || mw_error_kind_of(err) == MW_ERR_OUT_OF_MEMORY);
    CHECK(done == f.m.validated);
    mw_error_free(err);
    fixture_done(&f);
    if (done) {
      CHECK(n >= 3); /* export names, C.refs, compiled array at least */
      break;
    }
  }
}

/* ---------------------------------------------------------------- through the decoder */

#define HEADER 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

/* Decode a binary, validate it, release it: the error (or NULL). */
static mw_error *decode_and_validate(const uint8_t *bytes, size_t len) {
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(NULL, bytes, len, &m);
  if (!err) err = mwv_validate(m);
  mw_module_release(m);
  return err;
}

static void expect_binary(const uint8_t *bytes, size_t len, const char *message) {
  mw_error *err = decode_and_validate(bytes, len);
  if (message) {
    CHECK(err && mw_error_kind_of(err) == MW_ERR_INVALID);
    CHECK_STR(err ? mw_error_message(err) : NULL, message);
  } else {
    CHECK_STR(err ? mw_error_message(err) : "valid", "valid");
  }
  mw_error_free(err);
}

static void test_decoded_modules(void) {
  static const uint8_t data_memory_1[] = { /* data.wast */
      HEADER,
      0x05, 0x03, 0x01, 0x00, 0x00,                  /* (memory 0) */
      0x0B, 0x07, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, /* memory 1 */
  };
  expect_binary(data_memory_1, sizeof data_memory_1, "unknown memory 1");

  static const uint8_t start_with_result[] = {
      HEADER,
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F, /* [] -> [i32] */
      0x03, 0x02, 0x01, 0x00,
      0x08, 0x01, 0x00,                         /* (start 0) */
      0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0B,
  };
  expect_binary(start_with_result, sizeof start_with_result, MW_MSG_START);

  static const uint8_t global_get_defined[] = {
      HEADER,
      0x06, 0x0B, 0x02,
      0x7F, 0x00, 0x41, 0x00, 0x0B,             /* (global i32 (i32.const 0)) */
      0x7F, 0x00, 0x23, 0x00, 0x0B,             /* (global i32 (global.get 0)) */
  };
  /* Valid since Wasm 3.0 (extended constant expressions, on by default);
   * test_wasm3.c checks the Wasm 2.0 rule with the feature off. */
  expect_binary(global_get_defined, sizeof global_get_defined, NULL);

  static const uint8_t duplicate_export[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x07, 0x09, 0x02, 0x01, 'a', 0x00, 0x00, 0x01, 'a', 0x00, 0x00,
      0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
  };
  expect_binary(duplicate_export, sizeof duplicate_export, MW_MSG_DUP_EXPORT);

#ifndef MW_TEST_STUB_COMPILE
  /* C.refs reaches compile.c: `ref.func 0` in a body needs function 0
   * named outside bodies, here by a declarative element segment. */
  static const uint8_t ref_declared[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x09, 0x05, 0x01, 0x03, 0x00, 0x01, 0x00, /* (elem declare func 0) */
      0x0A, 0x07, 0x01, 0x05, 0x00, 0xD2, 0x00, 0x1A, 0x0B,
  };
  expect_binary(ref_declared, sizeof ref_declared, NULL);

  static const uint8_t ref_undeclared[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0A, 0x07, 0x01, 0x05, 0x00, 0xD2, 0x00, 0x1A, 0x0B,
  };
  expect_binary(ref_undeclared, sizeof ref_undeclared, MW_MSG_UNDECLARED_REF);
#endif
}

#ifdef MW_TEST_STUB_COMPILE
static void test_compiles_every_body(void) {
  fixture f;
  fixture_init(&f);
  add_funcs(&f, 2, T_VOID, true);
  add_funcs(&f, 3, T_VOID, false);
  mw_error *err = mwv_validate(&f.m);
  CHECK(err == NULL);
  mw_error_free(err);
  CHECK(f.m.compiled != NULL);
  if (f.m.compiled)
    for (uint32_t i = 0; i < 3; i++)
      CHECK(f.m.compiled[i].ncode == 1 && f.m.compiled[i].code[0] == i);
  CHECK(mwv_validate(&f.m) == NULL); /* once validated, stays so */
  fixture_done(&f);
}

static void test_first_body_error_wins(void) {
  fixture f;
  fixture_init(&f);
  add_funcs(&f, 4, T_VOID, false);
  f.codes[2].nlocals = STUB_FAIL_LOCALS;
  f.codes[3].nlocals = STUB_FAIL_LOCALS;
  expect_invalid(&f, MW_MSG_TYPE_MISMATCH " (stub, function 2)");
  CHECK(f.m.compiled == NULL); /* and nothing leaked: fixture_done */
}

static void test_module_errors_before_bodies(void) {
  fixture f;
  fixture_init(&f);
  add_funcs(&f, 1, T_VOID, false);
  f.codes[0].nlocals = STUB_FAIL_LOCALS;
  add_export(&f, "x", 1, MW_EXTERN_TABLE, 0);
  expect_invalid(&f, "unknown table 0");
}
#endif

int main(void) {
  RUN(test_empty_module);
  RUN(test_types);
  RUN(test_function_types);
  RUN(test_tables);
  RUN(test_memories);
  RUN(test_global_initializers);
  RUN(test_exports);
  RUN(test_many_exports);
  RUN(test_start);
  RUN(test_elem_segments);
  RUN(test_data_segments);
  RUN(test_func_refs);
  RUN(test_order_of_checks);
  RUN(test_out_of_memory);
  RUN(test_decoded_modules);
#ifdef MW_TEST_STUB_COMPILE
  RUN(test_compiles_every_body);
  RUN(test_first_body_error_wins);
  RUN(test_module_errors_before_bodies);
#endif
  return harness_summary();
}
