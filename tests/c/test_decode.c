/*
 * test_decode.c -- the binary decoder (src/runtime/decode.c) and the module API
 * (src/runtime/module.c, src/runtime/opcodes.c).
 *
 * Links with the whole library; or alone, with stand-ins for validate.c
 * and compile.c:
 *   cc -std=c11 -DMW_TEST_STUB_VALIDATE -Isrc -Itests/c tests/c/test_decode.c \
 *      src/runtime/decode.c src/runtime/module.c src/runtime/opcodes.c src/runtime/alloc.c src/runtime/error.c
 * Build with -fsanitize=address,undefined for the robustness tests to mean
 * much.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "internal.h"

/* ---------------------------------------------------------------- stubs */

#ifdef MW_TEST_STUB_VALIDATE
/* Stand-ins for validate.c and compile.c, with knobs for the tests of
 * mw_module_validate's caching. */
static struct {
  int calls;
  mw_error_kind kind;  /* 0: succeed */
  const char *message;
} stub;

mw_error *mwv_validate(mw_module *m) {
  (void)m;
  stub.calls++;
  if (stub.kind == MW_ERR_OUT_OF_MEMORY) return mw_error_oom();
  if (stub.kind) return mw_errorf(stub.kind, "%s", stub.message);
  return NULL;
}

void mwc_free(const mw_allocator *a, mw_compiled *c) {
  (void)a;
  (void)c;
}
#endif

/* ---------------------------------------------------------------- helpers */

#define HDR "\x00\x61\x73\x6d\x01\x00\x00\x00"

/* Decode and expect a malformed error whose message is exactly `msg`. */
static uint32_t malformed_features; /* 0: the defaults */

static int expect_malformed(const char *bytes, size_t len, const char *msg,
                            const char *what) {
  mw_module *m = (mw_module *)1;
  mw_config cfg;
  mw_config_default(&cfg);
  if (malformed_features) cfg.features = malformed_features;
  mw_error *e = mw_module_decode(&cfg, (const uint8_t *)bytes, len, &m);
  int ok = e && m == NULL && mw_error_kind_of(e) == MW_ERR_MALFORMED &&
           strcmp(mw_error_message(e), msg) == 0;
  if (!ok)
    printf("  case \"%s\": got %s \"%s\", expected malformed \"%s\"\n", what,
           e ? mw_error_kind_name(mw_error_kind_of(e)) : "success",
           e ? mw_error_message(e) : "", msg);
  mw_error_free(e);
  mw_module_release(m);
  return ok;
}

static mw_module *decode_ok(const char *bytes, size_t len) {
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, (const uint8_t *)bytes, len, &m);
  if (e) printf("  unexpected error: %s\n", mw_error_message(e));
  mw_error_free(e);
  return m;
}

#define DECODE_OK(lit) decode_ok(lit, sizeof(lit) - 1)

static int name_eq(const char *p, size_t n, const char *s) {
  return p && n == strlen(s) && memcmp(p, s, n) == 0;
}

/* An allocator that counts live bytes (so frees must pass the exact size
 * of each block) and can refuse the n-th request. */
typedef struct counting {
  long long live;
  long requests;
  long fail_at; /* -1: never */
} counting;

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = ud;
  if (nsize == 0) {
    c->live -= (long long)osize;
    free(ptr);
    return NULL;
  }
  if (c->fail_at >= 0 && c->requests++ == c->fail_at) return NULL;
  void *p = realloc(ptr, nsize);
  if (p) c->live += (long long)nsize - (ptr ? (long long)osize : 0);
  return p;
}

static mw_config counting_config(counting *c) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = c;
  return cfg;
}

/* ---------------------------------------------------------------- a full module */

/* wat2wasm --debug-names of a module using every section, with a custom
 * section "extra" (payload 01 02) appended:
 *
 *  (module $demo
 *    (type $t0 (func (param i32 i64) (result f32)))
 *    (import "env" "f" (func $imp (type $t0)))
 *    (import "env" "tab" (table 2 10 funcref))
 *    (import "env" "mem" (memory 1 2))
 *    (import "env" "g" (global $gimp (mut i32)))
 *    (func $add (param i32 i32) (result i32) (local i64 i64 f32)
 *      (i32.add (local.get 0) (local.get 1)))
 *    (func $noop)
 *    (table $t2 3 externref)
 *    (global $gc i64 (i64.const -5))
 *    (global $gf (mut f32) (f32.const 1.5))
 *    (global $gr funcref (ref.func $add))
 *    (export "add" (func $add))   (export "t" (table 0))
 *    (export "m" (memory 0))      (export "gc" (global $gc))
 *    (start $noop)
 *    (elem (i32.const 0) $add $noop)
 *    (elem funcref (ref.null func) (ref.func $add))
 *    (elem declare func $noop)
 *    (elem (table $t2) (i32.const 1) externref (ref.null extern))
 *    (data (i32.const 16) "hello")
 *    (data "passive")
 *    (func (export "dd") (data.drop 1)))
 */
static const uint8_t full_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60,
    0x02, 0x7f, 0x7e, 0x01, 0x7d, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60,
    0x00, 0x00, 0x02, 0x2b, 0x04, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00,
    0x00, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x01,
    0x02, 0x0a, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01,
    0x01, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7f, 0x01, 0x03,
    0x04, 0x03, 0x01, 0x02, 0x02, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x03, 0x06,
    0x13, 0x03, 0x7e, 0x00, 0x42, 0x7b, 0x0b, 0x7d, 0x01, 0x43, 0x00, 0x00,
    0xc0, 0x3f, 0x0b, 0x70, 0x00, 0xd2, 0x01, 0x0b, 0x07, 0x19, 0x05, 0x03,
    0x61, 0x64, 0x64, 0x00, 0x01, 0x01, 0x74, 0x01, 0x00, 0x01, 0x6d, 0x02,
    0x00, 0x02, 0x67, 0x63, 0x03, 0x01, 0x02, 0x64, 0x64, 0x00, 0x03, 0x08,
    0x01, 0x02, 0x09, 0x1f, 0x04, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02,
    0x05, 0x70, 0x02, 0xd0, 0x70, 0x0b, 0xd2, 0x01, 0x0b, 0x03, 0x00, 0x01,
    0x02, 0x06, 0x01, 0x41, 0x01, 0x0b, 0x6f, 0x01, 0xd0, 0x6f, 0x0b, 0x0c,
    0x01, 0x02, 0x0a, 0x16, 0x03, 0x0b, 0x02, 0x02, 0x7e, 0x01, 0x7d, 0x20,
    0x00, 0x20, 0x01, 0x6a, 0x0b, 0x02, 0x00, 0x0b, 0x05, 0x00, 0xfc, 0x09,
    0x01, 0x0b, 0x0b, 0x14, 0x02, 0x00, 0x41, 0x10, 0x0b, 0x05, 0x68, 0x65,
    0x6c, 0x6c, 0x6f, 0x01, 0x07, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65,
    0x00, 0x4d, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x05, 0x04, 0x64, 0x65,
    0x6d, 0x6f, 0x01, 0x11, 0x03, 0x00, 0x03, 0x69, 0x6d, 0x70, 0x01, 0x03,
    0x61, 0x64, 0x64, 0x02, 0x04, 0x6e, 0x6f, 0x6f, 0x70, 0x02, 0x09, 0x04,
    0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x05, 0x01, 0x00,
    0x02, 0x74, 0x30, 0x05, 0x05, 0x01, 0x01, 0x02, 0x74, 0x32, 0x07, 0x13,
    0x04, 0x00, 0x04, 0x67, 0x69, 0x6d, 0x70, 0x01, 0x02, 0x67, 0x63, 0x02,
    0x02, 0x67, 0x66, 0x03, 0x02, 0x67, 0x72, 0x00, 0x08, 0x05, 0x65, 0x78,
    0x74, 0x72, 0x61, 0x01, 0x02,
};

static void test_full_module_api(void) {
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, full_module, sizeof full_module, &m);
  CHECK(e == NULL);
  mw_error_free(e);
  if (!m) return;

  /* imports, with their full types */
  mw_import_desc imp;
  CHECK_EQ_INT(mw_module_import_count(m), 4);
  mw_module_import(m, 0, &imp);
  CHECK(name_eq(imp.module, imp.module_len, "env"));
  CHECK(name_eq(imp.name, imp.name_len, "f"));
  CHECK_EQ_INT(imp.type.kind, MW_EXTERN_FUNC);
  CHECK(imp.type.of.func != NULL);
  if (imp.type.of.func) {
    CHECK_EQ_INT(mw_functype_param_count(imp.type.of.func), 2);
    CHECK_EQ_INT(mw_functype_param(imp.type.of.func, 0), MW_I32);
    CHECK_EQ_INT(mw_functype_param(imp.type.of.func, 1), MW_I64);
    CHECK_EQ_INT(mw_functype_result_count(imp.type.of.func), 1);
    CHECK_EQ_INT(mw_functype_result(imp.type.of.func, 0), MW_F32);
  }
  mw_module_import(m, 1, &imp);
  CHECK(name_eq(imp.name, imp.name_len, "tab"));
  CHECK_EQ_INT(imp.type.kind, MW_EXTERN_TABLE);
  CHECK_EQ_INT(imp.type.of.table.elem, MW_FUNCREF);
  CHECK_EQ_INT(imp.type.of.table.limits.min, 2);
  CHECK(imp.type.of.table.limits.has_max);
  CHECK_EQ_INT(imp.type.of.table.limits.max, 10);
  mw_module_import(m, 2, &imp);
  CHECK_EQ_INT(imp.type.kind, MW_EXTERN_MEMORY);
  CHECK_EQ_INT(imp.type.of.memory.limits.min, 1);
  CHECK_EQ_INT(imp.type.of.memory.limits.max, 2);
  mw_module_import(m, 3, &imp);
  CHECK_EQ_INT(imp.type.kind, MW_EXTERN_GLOBAL);
  CHECK_EQ_INT(imp.type.of.global.type, MW_I32);
  CHECK(imp.type.of.global.mutable_);

  /* exports */
  mw_export_desc ex;
  CHECK_EQ_INT(mw_module_export_count(m), 5);
  mw_module_export(m, 0, &ex);
  CHECK(name_eq(ex.name, ex.name_len, "add"));
  CHECK_EQ_INT(ex.type.kind, MW_EXTERN_FUNC);
  CHECK(ex.type.of.func && ex.type.of.func->nparams == 2 &&
        ex.type.of.func->nresults == 1 && MW_FT_RESULTS(ex.type.of.func)[0] == MW_I32);
  mw_module_export(m, 1, &ex);
  CHECK_EQ_INT(ex.type.kind, MW_EXTERN_TABLE);
  CHECK_EQ_INT(ex.type.of.table.limits.min, 2);
  mw_module_export(m, 2, &ex);
  CHECK_EQ_INT(ex.type.kind, MW_EXTERN_MEMORY);
  mw_module_export(m, 3, &ex);
  CHECK(name_eq(ex.name, ex.name_len, "gc"));
  CHECK_EQ_INT(ex.type.kind, MW_EXTERN_GLOBAL);
  CHECK_EQ_INT(ex.type.of.global.type, MW_I64);
  CHECK(!ex.type.of.global.mutable_);
  mw_module_export(m, 4, &ex);
  CHECK(name_eq(ex.name, ex.name_len, "dd"));

  /* custom sections, in order, the name section included */
  const char *cname;
  size_t cname_len, clen;
  const uint8_t *cdata;
  CHECK_EQ_INT(mw_module_custom_count(m), 2);
  mw_module_custom(m, 0, &cname, &cname_len, &cdata, &clen);
  CHECK(name_eq(cname, cname_len, "name"));
  mw_module_custom(m, 1, &cname, &cname_len, &cdata, &clen);
  CHECK(name_eq(cname, cname_len, "extra"));
  CHECK(clen == 2 && cdata[0] == 1 && cdata[1] == 2);

  /* names */
  size_t len;
  const char *n = mw_module_func_name(m, 1, &len);
  CHECK(name_eq(n, len, "add"));
  n = mw_module_func_name(m, 0, &len);
  CHECK(name_eq(n, len, "imp"));
  n = mw_module_func_name(m, 2, &len);
  CHECK(name_eq(n, len, "noop"));
  CHECK(mw_module_func_name(m, 3, &len) == NULL && len == 0);
  CHECK(mw_module_func_name(m, 99, NULL) == NULL);
  CHECK(name_eq(m->module_name.ptr, m->module_name.len, "demo"));

  /* the internal picture the later stages rely on */
  CHECK_EQ_INT(m->ntypes, 3);
  CHECK_EQ_INT(m->nfuncs, 4);
  CHECK_EQ_INT(m->nfunc_imports, 1);
  CHECK_EQ_INT(m->func_types[1], 1);
  CHECK_EQ_INT(m->ntables, 2);
  CHECK_EQ_INT(m->ntable_imports, 1);
  CHECK_EQ_INT(m->tables[1].elem, MW_EXTERNREF);
  CHECK_EQ_INT(m->nmemories, 1);
  CHECK_EQ_INT(m->nmemory_imports, 1);
  CHECK_EQ_INT(m->nglobals, 4);
  CHECK_EQ_INT(m->nglobal_imports, 1);
  CHECK_EQ_INT(m->globals[1].init.n, 1);
  CHECK_EQ_INT(m->globals[1].init.ins[0].op, MW_OP_I64_CONST);
  CHECK(m->globals[1].init.ins[0].imm == (uint64_t)-5);
  CHECK_EQ_INT(m->globals[2].init.ins[0].op, MW_OP_F32_CONST);
  CHECK(m->globals[2].init.ins[0].imm == 0x3fc00000u);
  CHECK(m->globals[2].type.mutable_);
  CHECK_EQ_INT(m->globals[3].init.ins[0].op, MW_OP_REF_FUNC);
  CHECK_EQ_INT(m->globals[3].init.ins[0].imm, 1);
  CHECK(m->has_start && m->start == 2);

  CHECK_EQ_INT(m->nelems, 4);
  CHECK_EQ_INT(m->elems[0].mode, MW_SEG_ACTIVE);
  CHECK_EQ_INT(m->elems[0].offset.ins[0].op, MW_OP_I32_CONST);
  CHECK_EQ_INT(m->elems[0].count, 2);
  CHECK_EQ_INT(m->elems[0].items[1].ins[0].op, MW_OP_REF_FUNC);
  CHECK_EQ_INT(m->elems[0].items[1].ins[0].imm, 2);
  CHECK_EQ_INT(m->elems[1].mode, MW_SEG_PASSIVE);
  CHECK_EQ_INT(m->elems[1].items[0].ins[0].op, MW_OP_REF_NULL);
  CHECK_EQ_INT(m->elems[1].items[0].ins[0].imm, MW_FUNCREF);
  CHECK_EQ_INT(m->elems[2].mode, MW_SEG_DECLARATIVE);
  CHECK_EQ_INT(m->elems[3].table, 1);
  CHECK_EQ_INT(m->elems[3].type, MW_EXTERNREF);

  CHECK(m->has_datacount && m->datacount == 2);
  CHECK_EQ_INT(m->ndatas, 2);
  CHECK_EQ_INT(m->datas[0].mode, MW_SEG_ACTIVE);
  CHECK_EQ_INT(m->datas[0].offset.ins[0].imm, 16);
  CHECK(m->datas[0].len == 5 && memcmp(m->datas[0].bytes, "hello", 5) == 0);
  CHECK_EQ_INT(m->datas[1].mode, MW_SEG_PASSIVE);

  const mw_code_body *add = &m->codes[0];
  CHECK_EQ_INT(add->nlocals, 3);
  CHECK_EQ_INT(add->nlocal_runs, 2);
  CHECK(add->local_runs[0].count == 2 && add->local_runs[0].type == MW_I64);
  CHECK(add->local_runs[1].count == 1 && add->local_runs[1].type == MW_F32);
  CHECK(add->start[0] == 0x20 && add->end[-1] == 0x0b); /* local.get ... end */
  CHECK(m->codes[1].start + 1 == m->codes[1].end);      /* just `end` */
  CHECK(m->codes[2].local_runs == add->local_runs + 2);
  CHECK(add->offset > 0 && add->offset < sizeof full_module);

  /* the module holds its own copy of the bytes */
  CHECK(m->bytes != full_module && m->len == sizeof full_module);

  CHECK_EQ_INT(m->refcount, 1);
  CHECK(mw_module_retain(m) == m);
  CHECK_EQ_INT(m->refcount, 2);
  mw_module_release(m);
  CHECK_EQ_INT(m->refcount, 1);
  mw_module_release(m);
}

/* ---------------------------------------------------------------- malformed modules */

typedef struct bad_case {
  const char *what;
  const char *bytes;
  size_t len;
  const char *msg;
} bad_case;

#define BAD(what, bytes, msg) {what, bytes, sizeof(bytes) - 1, msg}

/* type [] -> [], one function of it; bodies follow in each case */
#define TYPE_FUNC "\x01\x04\x01\x60\x00\x00" "\x03\x02\x01\x00"
#define MEMORY "\x05\x03\x01\x00\x00"

static const bad_case bad_cases[] = {
    /* header (spec 5.5.16) */
    BAD("empty", "", MW_MSG_UNEXPECTED_END),
    BAD("short magic", "\x00\x61\x73", MW_MSG_UNEXPECTED_END),
    BAD("wrong magic", "\x61\x73\x6d\x00\x01\x00\x00\x00", MW_MSG_MAGIC),
    BAD("short version", "\x00\x61\x73\x6d\x01\x00", MW_MSG_UNEXPECTED_END),
    BAD("version 2", "\x00\x61\x73\x6d\x02\x00\x00\x00", MW_MSG_VERSION),

    /* sections */
    BAD("section id 14", HDR "\x0e\x00", MW_MSG_SECTION_ID), /* 13: tags */
    BAD("section id 0x80", HDR "\x80\x00", MW_MSG_SECTION_ID),
    BAD("type after function", HDR "\x03\x01\x00" "\x01\x01\x00", MW_MSG_SECTION_ORDER),
    BAD("two type sections", HDR "\x01\x01\x00" "\x01\x01\x00", MW_MSG_DUP_SECTION),
    BAD("data count after code", HDR "\x0a\x01\x00" "\x0c\x01\x00", MW_MSG_SECTION_ORDER),
    BAD("section larger than module", HDR "\x01\x05\x00", MW_MSG_LENGTH_OUT_OF_BOUNDS),
    BAD("section content short of size", HDR "\x01\x02\x00\x00", MW_MSG_SECTION_SIZE),
    BAD("section content past size", HDR "\x01\x03\x01\x60\x00\x00", MW_MSG_SECTION_SIZE),
    BAD("entry missing at end", HDR "\x01\x01\x01", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("section size missing", HDR "\x01", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("count beyond bytes", HDR "\x01\x06\xff\xff\xff\xff\x0f\x60", MW_MSG_LENGTH_OUT_OF_BOUNDS),

    /* LEB128 (spec 5.2.2) */
    BAD("s32 6 bytes", HDR "\x06\x0b\x01\x7f\x00\x41\x80\x80\x80\x80\x80\x00\x0b", MW_MSG_INT_TOO_LONG),
    BAD("s32 unused bits", HDR "\x06\x0a\x01\x7f\x00\x41\x80\x80\x80\x80\x70\x0b", MW_MSG_INT_TOO_LARGE),
    BAD("s32 unused bits negative", HDR "\x06\x0a\x01\x7f\x00\x41\xff\xff\xff\xff\x4f\x0b", MW_MSG_INT_TOO_LARGE),
    BAD("s64 11 bytes", HDR "\x06\x10\x01\x7e\x00\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00\x0b", MW_MSG_INT_TOO_LONG),
    BAD("s64 unused bits", HDR "\x06\x0f\x01\x7e\x00\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02\x0b", MW_MSG_INT_TOO_LARGE),

    /* types */
    BAD("functype form 0x61", HDR "\x01\x04\x01\x61\x00\x00", "malformed definition type"),
    BAD("functype form as s7 LEB", HDR "\x01\x05\x01\xe0\x7f\x00\x00", MW_MSG_INT_TOO_LONG),
    BAD("param of type 0x7a", HDR "\x01\x05\x01\x60\x01\x7a\x00", MW_MSG_VALTYPE),
    BAD("param 0x40", HDR "\x01\x05\x01\x60\x01\x40\x00", MW_MSG_VALTYPE),
    BAD("result byte with continuation", HDR "\x01\x06\x01\x60\x00\x01\xff\x7f", MW_MSG_INT_TOO_LONG),
    BAD("global type 0x00", HDR "\x06\x06\x01\x00\x00\x41\x00\x0b", MW_MSG_VALTYPE),
    BAD("table of i32", HDR "\x04\x04\x01\x7f\x00\x00", MW_MSG_REFTYPE),
    BAD("mutability 2", HDR "\x06\x06\x01\x7f\x02\x41\x00\x0b", MW_MSG_MUTABILITY),
    BAD("import mutability 0xff", HDR "\x02\x06\x01\x00\x00\x03\x7f\xff", MW_MSG_MUTABILITY),

    /* imports, exports, names */
    BAD("import kind 5", HDR "\x02\x04\x01\x00\x00\x05", MW_MSG_IMPORT_KIND), /* 4: tag */
    BAD("import kind 0x80", HDR "\x02\x05\x01\x00\x00\x80\x00", MW_MSG_IMPORT_KIND),
    BAD("export kind 5", HDR "\x07\x04\x01\x00\x05\x00", MW_MSG_EXPORT_KIND),
    BAD("tag attribute 1", HDR "\x0d\x03\x01\x01\x00", MW_MSG_TAG_ATTRIBUTE),
    BAD("export name past the module", HDR "\x07\x03\x01\x05\x61", MW_MSG_LENGTH_OUT_OF_BOUNDS),
    BAD("import name overlong", HDR "\x02\x08\x01\x02\xc0\x80\x00\x03\x7f\x00", MW_MSG_UTF8),
    BAD("import name surrogate", HDR "\x02\x09\x01\x03\xed\xa0\x80\x00\x03\x7f\x00", MW_MSG_UTF8),
    BAD("import name past U+10FFFF", HDR "\x02\x0a\x01\x04\xf4\x90\x80\x80\x00\x03\x7f\x00", MW_MSG_UTF8),
    BAD("import name lone continuation", HDR "\x02\x07\x01\x01\x80\x00\x03\x7f\x00", MW_MSG_UTF8),
    BAD("import name cut sequence", HDR "\x02\x08\x01\x02\xe2\x82\x00\x03\x7f\x00", MW_MSG_UTF8),
    BAD("import field 5-byte form", HDR "\x02\x0b\x01\x00\x05\xf8\x88\x80\x80\x80\x03\x7f\x00", MW_MSG_UTF8),
    BAD("export name 0xff", HDR "\x07\x04\x01\x01\xff\x00", MW_MSG_UTF8),
    BAD("custom name not UTF-8", HDR "\x00\x02\x01\x80", MW_MSG_UTF8),
    BAD("custom section size 0", HDR "\x00\x00\x00", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("custom name past section", HDR "\x00\x02\x05\x61\x62\x63\x64\x65", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("custom size past module", HDR "\x00\x09\x03\x61\x62\x63", MW_MSG_LENGTH_OUT_OF_BOUNDS),

    /* segments */
    BAD("elem flags 8", HDR "\x09\x02\x01\x08", MW_MSG_ELEM_KIND),
    BAD("elem kind 1", HDR "\x09\x04\x01\x01\x01\x00", MW_MSG_ELEMKIND),
    BAD("elem exprs of i32", HDR "\x09\x07\x01\x05\x7f\x01\xd2\x00\x0b", MW_MSG_REFTYPE),
    BAD("elem items missing", HDR "\x09\x07\x02\x00\x41\x00\x0b\x01\x00", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("data flags 3", HDR "\x0b\x02\x01\x03", MW_MSG_DATA_KIND),
    BAD("data bytes past module", HDR "\x0b\x07\x01\x01\x05\x61\x62\x63\x64", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("data count 1, no data", HDR "\x0c\x01\x01", MW_MSG_DATA_COUNT_LENGTHS),
    BAD("data count 1, 2 segments", HDR "\x0c\x01\x01" "\x0b\x05\x02\x01\x00\x01\x00", MW_MSG_DATA_COUNT_LENGTHS),

    /* constant expressions */
    BAD("cexpr illegal opcode", HDR "\x06\x06\x01\x7f\x00\x41\x00\xff", "illegal opcode ff"),
    /* reads on into the code section's id, 0x0a (throw_ref), and on past
     * the end of the module */
    BAD("cexpr missing end reads on", HDR "\x06\x05\x01\x7f\x00\x41\x00" "\x0a\x04\x01\x02\x00\x0b",
        MW_MSG_UNEXPECTED_END_SECTION),
    BAD("cexpr else", HDR "\x06\x05\x01\x7f\x00\x05\x0b", MW_MSG_END_EXPECTED),
    BAD("cexpr ref.null i32", HDR "\x06\x06\x01\x70\x00\xd0\x7f\x0b", "malformed heap type"),
    BAD("cexpr 0xfc 18", HDR "\x06\x07\x01\x7f\x00\xfc\x12\x0b\x0b", "illegal opcode fc 12"),
    /* (SIMD switched off: tests/c/test_simd.c) */
    BAD("cexpr 0xfd 0x9a (unassigned)", HDR "\x06\x08\x01\x7f\x00\xfd\x9a\x01\x0b\x0b", "illegal opcode fd 9a"),

    /* code */
    BAD("function without body", HDR TYPE_FUNC, MW_MSG_FUNC_CODE_LENGTHS),
    BAD("body without function", HDR "\x0a\x04\x01\x02\x00\x0b", MW_MSG_FUNC_CODE_LENGTHS),
    BAD("locals sum over u32", HDR TYPE_FUNC "\x0a\x0c\x01\x0a\x02\xff\xff\xff\xff\x0f\x7f\x02\x7e\x0b", MW_MSG_TOO_MANY_LOCALS),
    BAD("50001 locals", HDR TYPE_FUNC "\x0a\x08\x01\x06\x01\xd1\x86\x03\x7f\x0b", MW_MSG_TOO_MANY_LOCALS),
    BAD("local count bit 32", HDR TYPE_FUNC "\x0a\x0c\x01\x0a\x02\x80\x80\x80\x80\x10\x7f\x02\x7e\x0b", MW_MSG_INT_TOO_LARGE),
    BAD("local of type 0x7a", HDR TYPE_FUNC "\x0a\x06\x01\x04\x01\x01\x7a\x0b", MW_MSG_VALTYPE),
    BAD("body shorter than its size", HDR TYPE_FUNC "\x0a\x05\x01\x03\x00\x0b\x00", MW_MSG_SECTION_SIZE),
    BAD("body ends at module end", HDR TYPE_FUNC "\x0a\x04\x01\x02\x00\x01", MW_MSG_UNEXPECTED_END_SECTION),
    BAD("body missing end before next", HDR TYPE_FUNC "\x0a\x04\x01\x02\x00\x01" "\x05\x00", MW_MSG_END_EXPECTED),
    BAD("else in block", HDR TYPE_FUNC "\x0a\x08\x01\x06\x00\x02\x40\x05\x0b\x0b", MW_MSG_END_EXPECTED),
    BAD("second else", HDR TYPE_FUNC "\x0a\x0c\x01\x0a\x00\x41\x00\x04\x40\x05\x05\x0b\x0b", MW_MSG_END_EXPECTED),
    BAD("illegal opcode 0x27", HDR TYPE_FUNC "\x0a\x05\x01\x03\x00\x27\x0b", "illegal opcode 27"),
    BAD("0xfb 0x1f (unassigned)", HDR TYPE_FUNC "\x0a\x07\x01\x05\x00\xfb\x1f\x00\x0b", "illegal opcode fb 1f"),
    BAD("0xfd 0x114 (past relaxed SIMD)", HDR TYPE_FUNC "\x0a\x07\x01\x05\x00\xfd\x94\x02\x0b", "illegal opcode fd 114"),
    /* relaxed SIMD switched off: tests/c/test_simd.c */
    BAD("0xfc 99", HDR TYPE_FUNC "\x0a\x06\x01\x04\x00\xfc\x63\x0b", "illegal opcode fc 63"),
    BAD("block type 0x41", HDR TYPE_FUNC "\x0a\x07\x01\x05\x00\x02\x41\x0b\x0b", MW_MSG_VALTYPE),
    BAD("block type index 6 bytes", HDR TYPE_FUNC "\x0a\x0b\x01\x09\x00\x02\x80\x80\x80\x80\x80\x00\x0b\x0b", MW_MSG_INT_TOO_LONG),
    BAD("br_table count past module", HDR TYPE_FUNC "\x0a\x08\x01\x06\x00\x41\x00\x0e\x7f\x00", MW_MSG_LENGTH_OUT_OF_BOUNDS),
    BAD("select t of 0x40", HDR TYPE_FUNC "\x0a\x07\x01\x05\x00\x1c\x01\x40\x0b", MW_MSG_VALTYPE),
    BAD("data.drop without data count",
        HDR TYPE_FUNC MEMORY "\x0a\x07\x01\x05\x00\xfc\x09\x00\x0b" "\x0b\x03\x01\x01\x00",
        MW_MSG_DATA_COUNT_REQUIRED),
};

/* The same under Wasm 2.0's features: the 2.0 messages, and the 3.0
 * instructions and types named as not enabled. */
static const bad_case bad_cases_2_0[] = {
    BAD("functype form 0x61", HDR "\x01\x04\x01\x61\x00\x00", MW_MSG_FUNCTYPE),
    BAD("cexpr ref.null i32", HDR "\x06\x06\x01\x70\x00\xd0\x7f\x0b", MW_MSG_REFTYPE),
    BAD("param (ref null 0)", HDR "\x01\x06\x01\x60\x01\x63\x00\x00",
        "malformed value type ((ref null ...) at byte offset 13: typed function references are not enabled)"),
    BAD("param anyref", HDR "\x01\x05\x01\x60\x01\x6e\x00",
        "malformed value type (anyref at byte offset 13: garbage collection is not enabled)"),
    BAD("struct type", HDR "\x01\x03\x01\x5f\x00",
        "malformed function type (struct at byte offset 11: garbage collection is not enabled)"),
    BAD("call_ref", HDR TYPE_FUNC "\x0a\x06\x01\x04\x00\x14\x00\x0b",
        "illegal opcode (call_ref at byte offset 23: typed function references are not enabled)"),
    BAD("struct.new", HDR TYPE_FUNC "\x0a\x07\x01\x05\x00\xfb\x00\x00\x0b",
        "illegal opcode (struct.new at byte offset 23: garbage collection is not enabled)"),
};

static void test_malformed(void) {
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    const bad_case *c = &bad_cases[i];
    CHECK(expect_malformed(c->bytes, c->len, c->msg, c->what));
  }
  malformed_features = MW_FEATURES_WASM2;
  for (size_t i = 0; i < sizeof bad_cases_2_0 / sizeof bad_cases_2_0[0]; i++) {
    const bad_case *c = &bad_cases_2_0[i];
    CHECK(expect_malformed(c->bytes, c->len, c->msg, c->what));
  }
  malformed_features = 0;
}

/* ---------------------------------------------------------------- accepted edge cases */

static void test_accepted(void) {
  mw_module *m;

  m = DECODE_OK(HDR);
  CHECK(m && m->nfuncs == 0 && m->ncustoms == 0);
  mw_module_release(m);

  /* zero counts everywhere, empty sections in order */
  m = DECODE_OK(HDR "\x01\x01\x00\x02\x01\x00\x03\x01\x00\x04\x01\x00\x05\x01\x00"
                    "\x06\x01\x00\x07\x01\x00\x09\x01\x00\x0c\x01\x00\x0a\x01\x00"
                    "\x0b\x01\x00");
  CHECK(m && m->has_datacount && m->datacount == 0);
  mw_module_release(m);

  /* custom sections anywhere, including between sections and at the end */
  m = DECODE_OK(HDR "\x00\x02\x01\x61" "\x01\x01\x00" "\x00\x03\x01\x62\x07"
                    "\x0a\x01\x00" "\x00\x01\x00");
  CHECK(m && m->ncustoms == 3);
  if (m) CHECK(m->customs[1].len == 1 && m->customs[1].data[0] == 7);
  if (m) CHECK(m->customs[2].name.len == 0 && m->customs[2].len == 0);
  mw_module_release(m);

  /* valid UTF-8 of every length, in an export name */
  m = DECODE_OK(HDR "\x07\x0e\x01\x0a\x24\xc2\xa2\xe2\x82\xac\xf0\x9f\x98\x80\x00\x00");
  CHECK(m && m->exports[0].name.len == 10);
  mw_module_release(m);

  /* maximum values of each LEB width, and the longest encodings allowed */
  m = DECODE_OK(HDR "\x05\x0c\x01\x01\x80\x80\x80\x80\x00\xff\xff\xff\xff\x0f"
                "\x06\x18\x02"
                "\x7f\x00\x41\xff\xff\xff\xff\x07\x0b"
                "\x7e\x00\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f\x0b");
  CHECK(m != NULL);
  if (m) {
    CHECK(m->memories[0].limits.min == 0 && m->memories[0].limits.max == UINT32_MAX);
    CHECK(m->globals[0].init.ins[0].imm == 0x7fffffffu);
    CHECK(m->globals[1].init.ins[0].imm == (uint64_t)INT64_MIN);
  }
  mw_module_release(m);

  /* exactly 50000 locals in a function without parameters */
  m = DECODE_OK(HDR TYPE_FUNC "\x0a\x08\x01\x06\x01\xd0\x86\x03\x7f\x0b");
  CHECK(m && m->codes[0].nlocals == 50000);
  mw_module_release(m);

  /* element segments of the encodings full_module lacks: 1, 2, 4, 7 */
  m = DECODE_OK(HDR "\x09\x1b\x04"
                    "\x01\x00\x01\x00"
                    "\x02\x00\x41\x00\x0b\x00\x01\x00"
                    "\x04\x41\x01\x0b\x01\xd2\x00\x0b"
                    "\x07\x70\x01\xd0\x70\x0b"
                    "\x0b\x07\x01\x02\x00\x41\x00\x0b\x00");
  CHECK(m && m->nelems == 4);
  if (m && m->nelems == 4) {
    CHECK(m->elems[0].mode == MW_SEG_PASSIVE && m->elems[0].items[0].ins[0].op == MW_OP_REF_FUNC);
    /* function indices: (ref func) since typed function references */
    CHECK(m->elems[1].mode == MW_SEG_ACTIVE && m->elems[1].type == MW_REF(false, MW_HT_FUNC));
    CHECK(m->elems[2].mode == MW_SEG_ACTIVE && m->elems[2].offset.ins[0].imm == 1);
    CHECK(m->elems[2].items[0].ins[0].op == MW_OP_REF_FUNC);
    CHECK(m->elems[3].mode == MW_SEG_DECLARATIVE && m->elems[3].items[0].ins[0].op == MW_OP_REF_NULL);
    CHECK(m->ndatas == 1 && m->datas[0].mode == MW_SEG_ACTIVE && m->datas[0].len == 0);
  }
  mw_module_release(m);

  /* constant expressions keep MW_CEXPR_MAX instructions and count all;
   * nested blocks don't end them early */
  m = DECODE_OK(HDR "\x06\x15\x02"
                    "\x7f\x00\x02\x7f\x41\x01\x0b\x0b"
                    "\x7f\x00\x41\x01\x41\x02\x6a\x41\x03\x6a\x01\x0b");
  CHECK(m && m->nglobals == 2);
  if (m && m->nglobals == 2) {
    CHECK_EQ_INT(m->globals[0].init.n, 3);
    CHECK_EQ_INT(m->globals[0].init.ins[0].op, MW_OP_BLOCK);
    CHECK_EQ_INT(m->globals[0].init.ins[2].op, MW_OP_END);
    CHECK_EQ_INT(m->globals[1].init.n, 6);
    CHECK_EQ_INT(m->globals[1].init.ins[3].op, MW_OP_I32_CONST);
  }
  mw_module_release(m);

  /* memory.init without a data count and without data segments is left
   * to validation ("unknown data segment") */
  m = DECODE_OK(HDR TYPE_FUNC MEMORY "\x0a\x0e\x01\x0c\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b");
  CHECK(m != NULL);
  mw_module_release(m);

  /* if/else/end nest; a block type may be a type index */
  m = DECODE_OK(HDR TYPE_FUNC "\x0a\x0e\x01\x0c\x00\x41\x00\x04\x00\x02\x40\x0b\x05\x01\x0b\x0b");
  CHECK(m != NULL);
  mw_module_release(m);
}

/* ---------------------------------------------------------------- the name section */

static void test_lenient_names(void) {
  mw_module *m;
  size_t len;

  /* module name, then function names 0 "f" and 2 "g" */
  m = DECODE_OK(HDR "\x00\x12\x04\x6e\x61\x6d\x65"
                    "\x00\x02\x01\x4d"
                    "\x01\x07\x02\x00\x01\x66\x02\x01\x67");
  CHECK(m != NULL);
  if (m) {
    CHECK(name_eq(m->module_name.ptr, m->module_name.len, "M"));
    const char *g = mw_module_func_name(m, 2, &len);
    CHECK(name_eq(g, len, "g"));
    const char *f = mw_module_func_name(m, 0, &len);
    CHECK(name_eq(f, len, "f"));
    CHECK(mw_module_func_name(m, 1, &len) == NULL);
  }
  mw_module_release(m);

  /* unsorted function names: ignored, the section kept as a custom one */
  m = DECODE_OK(HDR "\x00\x0e\x04\x6e\x61\x6d\x65"
                    "\x01\x07\x02\x02\x01\x66\x00\x01\x67");
  CHECK(m && m->nfunc_names == 0 && m->ncustoms == 1);
  mw_module_release(m);

  /* a name that is not UTF-8 */
  m = DECODE_OK(HDR "\x00\x09\x04\x6e\x61\x6d\x65" "\x00\x02\x01\xff");
  CHECK(m && m->module_name.ptr == NULL);
  mw_module_release(m);

  /* a subsection larger than the section */
  m = DECODE_OK(HDR "\x00\x09\x04\x6e\x61\x6d\x65" "\x01\x09\x01\x00");
  CHECK(m && m->nfunc_names == 0);
  mw_module_release(m);

  /* a subsection with bytes left over, and subsections out of order */
  m = DECODE_OK(HDR "\x00\x0a\x04\x6e\x61\x6d\x65" "\x00\x03\x01\x4d\x00");
  CHECK(m && m->module_name.ptr == NULL);
  mw_module_release(m);
  m = DECODE_OK(HDR "\x00\x0c\x04\x6e\x61\x6d\x65" "\x01\x01\x00" "\x00\x02\x01\x4d");
  CHECK(m && m->module_name.ptr == NULL);
  mw_module_release(m);

  /* unknown subsections are skipped */
  m = DECODE_OK(HDR "\x00\x0c\x04\x6e\x61\x6d\x65" "\x00\x02\x01\x4d" "\x09\x01\xff");
  CHECK(m && name_eq(m->module_name.ptr, m->module_name.len, "M"));
  mw_module_release(m);
}

/* ---------------------------------------------------------------- opcodes */

static void test_opcodes(void) {
  CHECK_EQ_INT(mw_opcode_from_byte(0x6a), MW_OP_I32_ADD);
  CHECK_EQ_INT(mw_opcode_from_byte(0x00), MW_OP_UNREACHABLE);
  CHECK_EQ_INT(mw_opcode_from_byte(0xd2), MW_OP_REF_FUNC);
  CHECK_EQ_INT(mw_opcode_from_byte(0x06), MW_OP_TRY);
  CHECK_EQ_INT(mw_opcode_from_byte(0x27), -1);
  CHECK_EQ_INT(mw_opcode_from_byte(0xfc), -1); /* a prefix, not an opcode */
  CHECK(mw_opcode_is_prefix(0xfb) && mw_opcode_is_prefix(0xfc) && mw_opcode_is_prefix(0xfd));
  CHECK(!mw_opcode_is_prefix(0xfe) && !mw_opcode_is_prefix(0x00));
  CHECK_EQ_INT(mw_opcode_from_byte(0xff), -1);
  CHECK_EQ_INT(mw_opcode_from_byte(256), -1);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfc, 0), MW_OP_I32_TRUNC_SAT_F32_S);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfc, 17), MW_OP_TABLE_FILL);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfc, 18), -1);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfc, UINT32_MAX), -1);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfb, 0x1e), MW_OP_I31_GET_U);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfb, 0x1f), -1);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfd, 0), MW_OP_V128_LOAD);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfd, 0x9a), -1); /* a gap */
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfd, 0xff), MW_OP_F64X2_CONVERT_LOW_I32X4_U);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfd, 0x113), MW_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0xfd, 0x114), -1);
  CHECK_EQ_INT(mw_opcode_from_prefixed(0x00, 0), -1);

  /* every row maps back to itself, by its encoding and (but for the
   * second row of a shared name) by its text */
  int roundtrip = 1;
  int counts[8] = {0};
  for (int op = 0; op < MW_OP__WASM_COUNT; op++) {
    const mw_opinfo *in = &mw_opinfo_table[op];
    int back = in->prefix ? mw_opcode_from_prefixed(in->prefix, in->code)
                          : mw_opcode_from_byte(in->code);
    if (back != op) roundtrip = 0, printf("  opcode %s maps to %d\n", in->text, back);
    int named = mw_opcode_from_text(in->text, strlen(in->text));
    bool shared = op == MW_OP_SELECT_T || op == MW_OP_REF_TEST_NULL || op == MW_OP_REF_CAST_NULL;
    if (named != (shared ? op - 1 : op))
      roundtrip = 0, printf("  text %s maps to %d\n", in->text, named);
    if (in->feature < 8) counts[in->feature]++;
    /* SIMD, relaxed SIMD, tail calls and exceptions are implemented; the other rows
     * not of Wasm 2.0 start as NYI */
    bool done = in->feature == MW_FEAT_SIMD || in->feature == MW_FEAT_RELAXED_SIMD ||
                in->feature == MW_FEAT_TAIL_CALL || in->feature == MW_FEAT_FUNC_REFS ||
                in->feature == MW_FEAT_EXCEPTIONS || in->feature == MW_FEAT_LEGACY_EXCEPTIONS ||
                in->feature == MW_FEAT_GC;
    if (in->feature != MW_FEAT_CORE && (in->kind != MW_KIND_NYI) != done)
      roundtrip = 0, printf("  %s: NYI is wrong\n", in->text);
  }
  CHECK(roundtrip);
  /* Wasm 2.0 without SIMD has 201 instructions (select counted twice),
   * fixed-width SIMD 236, relaxed SIMD 20. */
  CHECK_EQ_INT(counts[MW_FEAT_CORE], 201);
  CHECK_EQ_INT(counts[MW_FEAT_SIMD], 236);
  CHECK_EQ_INT(counts[MW_FEAT_RELAXED_SIMD], 20);
  CHECK_EQ_INT(counts[MW_FEAT_TAIL_CALL], 2);
  CHECK_EQ_INT(counts[MW_FEAT_FUNC_REFS], 5);
  CHECK_EQ_INT(counts[MW_FEAT_GC], 32);
  CHECK_EQ_INT(counts[MW_FEAT_EXCEPTIONS], 3);
  CHECK_EQ_INT(counts[MW_FEAT_LEGACY_EXCEPTIONS], 5);

  /* text lookup takes a length, not a NUL */
  CHECK_EQ_INT(mw_opcode_from_text("i32.add)", 7), MW_OP_I32_ADD);
  CHECK_EQ_INT(mw_opcode_from_text("i32.ad", 6), -1);
  CHECK_EQ_INT(mw_opcode_from_text("i32.addx", 8), -1);
  CHECK_EQ_INT(mw_opcode_from_text("", 0), -1);
  CHECK_EQ_INT(mw_opcode_from_text(NULL, 3), -1);
  CHECK_EQ_INT(mw_opcode_from_text("select", 6), MW_OP_SELECT);
  CHECK_EQ_INT(mw_opcode_from_text("i16x8.relaxed_q15mulr_s", 23), MW_OP_I16X8_RELAXED_Q15MULR_S);
  CHECK_EQ_INT(mw_opcode_from_text("return_call_indirect", 20), MW_OP_RETURN_CALL_INDIRECT);
  CHECK_STR(mw_feature_name(MW_FEAT_SIMD), "SIMD");

  const mw_opinfo *lane = &mw_opinfo_table[MW_OP_V128_LOAD16_LANE];
  CHECK(lane->prefix == 0xfd && lane->code == 0x55 && lane->imm == MW_IMM_MEMARG_LANE);
  CHECK(lane->memsize == 2 && lane->t1 == MW_T_V128 && lane->tr == MW_T_V128);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_I8X16_SHUFFLE].imm, MW_IMM_SHUFFLE);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_V128_CONST].imm, MW_IMM_V128);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_F64X2_REPLACE_LANE].t2, MW_T_F64);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_I64X2_SHL].t2, MW_T_I32);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_I8X16_BITMASK].tr, MW_T_I32);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_BR_ON_CAST_FAIL].imm, MW_IMM_BR_ON_CAST);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_TRY_TABLE].imm, MW_IMM_TRY_TABLE);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_ARRAY_NEW_FIXED].imm, MW_IMM_IDX2);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_REF_NULL].imm, MW_IMM_HEAPTYPE);

  const mw_opinfo *load = &mw_opinfo_table[MW_OP_I64_LOAD32_U];
  CHECK_STR(load->text, "i64.load32_u");
  CHECK_EQ_INT(load->kind, MW_KIND_LOAD);
  CHECK_EQ_INT(load->imm, MW_IMM_MEMARG);
  CHECK_EQ_INT(load->tr, MW_T_I64);
  CHECK_EQ_INT(load->memsize, 4);
  const mw_opinfo *add = &mw_opinfo_table[MW_OP_F64_ADD];
  CHECK(add->kind == MW_KIND_BIN && add->t1 == MW_T_F64 && add->t2 == MW_T_F64 && add->tr == MW_T_F64);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_MEMORY_INIT].prefix, 0xfc);
  CHECK_EQ_INT(mw_opinfo_table[MW_OP_MEMORY_INIT].imm, MW_IMM_IDX_ZERO);
}

/* ---------------------------------------------------------------- config and function types */

static void test_config_and_functypes(void) {
  mw_config cfg;
  mw_config_default(&cfg);
  CHECK_EQ_INT(cfg.features, MW_FEATURES_DEFAULT);
  CHECK(cfg.features & MW_FEATURE_SIMD);
  CHECK(cfg.features & MW_FEATURE_RELAXED_SIMD);
  CHECK_EQ_INT(cfg.max_memory_pages, MW_DEFAULT_MAX_PAGES);
  CHECK_EQ_INT(cfg.max_table_size, MW_MAX_TABLE_SIZE);
  CHECK_EQ_INT(cfg.max_call_depth, MW_DEFAULT_CALL_DEPTH);
  CHECK_EQ_INT(cfg.max_host_depth, MW_DEFAULT_HOST_DEPTH);
  CHECK_EQ_INT(cfg.value_stack_slots, MW_DEFAULT_STACK_SLOTS);
  CHECK(cfg.alloc == NULL && cfg.alloc_ud == NULL);

  const mw_valtype p[] = {MW_I32, MW_EXTERNREF};
  const mw_valtype r[] = {MW_F64};
  mw_functype *a = mw_functype_new(&cfg, p, 2, r, 1);
  mw_functype *b = mw_functype_new(NULL, p, 2, r, 1);
  mw_functype *c = mw_functype_new(NULL, p, 1, r, 1);
  mw_functype *none = mw_functype_new(NULL, NULL, 0, NULL, 0);
  CHECK(a && b && c && none);
  if (a && b && c && none) {
    CHECK_EQ_INT(mw_functype_param_count(a), 2);
    CHECK_EQ_INT(mw_functype_param(a, 1), MW_EXTERNREF);
    CHECK_EQ_INT(mw_functype_result(a, 0), MW_F64);
    CHECK_EQ_INT(mw_functype_result(a, 1), 0);
    CHECK(mw_functype_equal(a, b) && mw_functype_same(a, b) && mw_functype_same(a, a));
    CHECK(!mw_functype_equal(a, c) && !mw_functype_same(a, c));
    CHECK(!mw_functype_equal(none, c));
    CHECK_EQ_INT(mw_functype_param_count(none), 0);
  }
  const mw_valtype v128[] = {MW_V128};
  const mw_valtype junk[] = {(mw_valtype)0x40};
  mw_functype *vt = mw_functype_new(NULL, v128, 1, NULL, 0);
  CHECK(vt && mw_functype_param(vt, 0) == MW_V128);
  mw_functype_free(vt);
  CHECK(mw_functype_new(NULL, NULL, 0, junk, 1) == NULL);
  mw_functype_free(a);
  mw_functype_free(b);
  mw_functype_free(c);
  mw_functype_free(none);
  mw_functype_free(NULL);
  CHECK_EQ_INT(mw_functype_bytes(2, 3), sizeof(mw_functype) + 5 * sizeof(mw_valtype));

  /* With SIMD switched off, a module using v128 is malformed. */
  mw_module *m = NULL;
  cfg.features &= ~(uint32_t)MW_FEATURE_SIMD;
  mw_error *e = mw_module_decode(&cfg, (const uint8_t *)HDR, 8, &m);
  CHECK(e == NULL && m != NULL);
  mw_module_release(m);
  m = NULL;
  static const uint8_t v128_param[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                       1, 5, 1, 0x60, 1, 0x7B, 0};
  e = mw_module_decode(&cfg, v128_param, sizeof v128_param, &m);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_MALFORMED && m == NULL);
  CHECK_STR(e ? mw_error_message(e) : "",
            "malformed value type (v128 at byte offset 13: SIMD is not enabled)");
  mw_error_free(e);
  e = mw_module_decode(NULL, NULL, 8, &m);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);

  /* GC switched on: struct.new decodes; naming a function type it is
   * invalid (switched off, it is an illegal opcode: see bad_cases). */
  static const uint8_t struct_new[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                       1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                                       10, 7, 1, 5, 0, 0xfb, 0, 0, 0x0b};
  cfg.features = MW_FEATURES_WASM2 | MW_FEATURE_GC;
  e = mw_module_decode(&cfg, struct_new, sizeof struct_new, &m);
  CHECK(e == NULL && m != NULL);
  if (m) {
    e = mw_module_validate(m);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
    CHECK_STR(e ? mw_error_message(e) : "", "type mismatch");
    mw_error_free(e);
    mw_module_release(m);
  }
}

/* ---------------------------------------------------------------- validation cache */

static void test_validate_cache(void) {
#ifdef MW_TEST_STUB_VALIDATE
  mw_module *m = DECODE_OK(HDR);
  if (!m) return;
  memset(&stub, 0, sizeof stub);
  stub.kind = MW_ERR_INVALID;
  stub.message = "type mismatch";
  mw_error *e = mw_module_validate(m);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
  CHECK(e && strcmp(mw_error_message(e), "type mismatch") == 0);
  mw_error_free(e);
  stub.kind = 0;
  e = mw_module_validate(m); /* the first answer stands */
  CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
  CHECK(e && strcmp(mw_error_message(e), "type mismatch") == 0);
  CHECK_EQ_INT(stub.calls, 1);
  mw_error_free(e);
  mw_module_release(m);

  m = DECODE_OK(HDR);
  if (!m) return;
  memset(&stub, 0, sizeof stub);
  stub.kind = MW_ERR_OUT_OF_MEMORY; /* not remembered */
  e = mw_module_validate(m);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_OUT_OF_MEMORY);
  mw_error_free(e);
  stub.kind = 0;
  CHECK(mw_module_validate(m) == NULL);
  CHECK(m->validated);
  CHECK(mw_module_validate(m) == NULL);
  CHECK_EQ_INT(stub.calls, 2);
  mw_module_release(m);
#else
  /* With the real validator: a memory of min 2, max 1 is invalid, every
   * time. */
  mw_module *m = DECODE_OK(HDR "\x05\x04\x01\x01\x02\x01");
  if (!m) return;
  mw_error *e1 = mw_module_validate(m);
  mw_error *e2 = mw_module_validate(m);
  CHECK(e1 && mw_error_kind_of(e1) == MW_ERR_INVALID);
  CHECK(e2 && mw_error_kind_of(e2) == MW_ERR_INVALID);
  CHECK(e1 && e2 && e1 != e2 && strcmp(mw_error_message(e1), mw_error_message(e2)) == 0);
  CHECK(m->valid_message != NULL && !m->validated);
  mw_error_free(e1);
  mw_error_free(e2);
  mw_module_release(m);
  m = DECODE_OK(HDR);
  if (!m) return;
  CHECK(mw_module_validate(m) == NULL && m->validated);
  CHECK(mw_module_validate(m) == NULL);
  mw_module_release(m);
#endif
}

/* ---------------------------------------------------------------- robustness */

/* Decode with the counting allocator: never crash, fail only as malformed,
 * and give back every byte. */
static int decode_is_sane(const uint8_t *bytes, size_t len) {
  counting c = {0, 0, -1};
  mw_config cfg = counting_config(&c);
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(&cfg, bytes, len, &m);
  int ok = e ? (mw_error_kind_of(e) == MW_ERR_MALFORMED && m == NULL) : m != NULL;
  mw_error_free(e);
  mw_module_release(m);
  return ok && c.live == 0;
}

static void test_truncations_and_flips(void) {
  static const uint8_t masks[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff};
  uint8_t buf[sizeof full_module];
  int all_ok = 1;
  for (size_t n = 0; n <= sizeof full_module; n++)
    if (!decode_is_sane(full_module, n)) all_ok = 0, printf("  truncated at %zu\n", n);
  CHECK(all_ok);
  all_ok = 1;
  for (size_t i = 0; i < sizeof full_module; i++) {
    for (size_t k = 0; k < sizeof masks; k++) {
      memcpy(buf, full_module, sizeof buf);
      buf[i] ^= masks[k];
      if (!decode_is_sane(buf, sizeof buf)) all_ok = 0, printf("  flip %zu^%02x\n", i, masks[k]);
    }
  }
  CHECK(all_ok);
}

static uint32_t xorshift(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Random mutations of several bytes at once, and random tails after a
 * valid header. */
static void test_random_mutations(void) {
  uint8_t buf[sizeof full_module + 16];
  uint32_t seed = 0x9e3779b9u;
  int all_ok = 1;
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = sizeof full_module;
    memcpy(buf, full_module, len);
    int edits = 1 + (int)(xorshift(&seed) % 6);
    for (int k = 0; k < edits; k++) buf[xorshift(&seed) % len] = (uint8_t)xorshift(&seed);
    if (xorshift(&seed) % 4 == 0) len = 8 + xorshift(&seed) % (len - 8);
    if (!decode_is_sane(buf, len)) all_ok = 0, printf("  mutation %d\n", iter);
  }
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = 8 + xorshift(&seed) % 16;
    memcpy(buf, HDR, 8);
    for (size_t k = 8; k < len; k++) buf[k] = (uint8_t)(xorshift(&seed) % 16);
    if (!decode_is_sane(buf, len)) all_ok = 0, printf("  random tail %d\n", iter);
  }
  CHECK(all_ok);
}

/* Every allocation that can fail does fail once: out of memory, reported as
 * such, with nothing leaked; and every free passes the size allocated. */
static void test_allocation_failures(void) {
  int all_ok = 1, succeeded = 0;
  for (long k = 0; k < 10000 && !succeeded; k++) {
    counting c = {0, 0, k};
    mw_config cfg = counting_config(&c);
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(&cfg, full_module, sizeof full_module, &m);
    if (e) {
      if (mw_error_kind_of(e) != MW_ERR_OUT_OF_MEMORY) all_ok = 0;
    } else {
      succeeded = 1;
      mw_module_release(m);
    }
    mw_error_free(e);
    if (c.live != 0) all_ok = 0, printf("  failing request %ld: %lld bytes live\n", k, c.live);
  }
  CHECK(all_ok);
  CHECK(succeeded);
}

/* A hostile count must fail before anything is allocated for it. */
static void test_hostile_counts(void) {
  static const bad_case cases[] = {
      BAD("types", HDR "\x01\x05\xff\xff\xff\xff\x0f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
      BAD("imports", HDR "\x02\x05\xff\xff\xff\xff\x0f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
      BAD("elems", HDR "\x09\x05\xff\xff\xff\xff\x0f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
      BAD("elem items", HDR "\x09\x08\x01\x01\x00\xff\xff\xff\xff\x0f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
      BAD("bodies", HDR "\x0a\x05\xff\xff\xff\xff\x0f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
      BAD("locals", HDR TYPE_FUNC "\x0a\x08\x01\x06\xff\xff\xff\xff\x0f\x7f", MW_MSG_LENGTH_OUT_OF_BOUNDS),
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    counting c = {0, 0, -1};
    mw_config cfg = counting_config(&c);
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(&cfg, (const uint8_t *)cases[i].bytes, cases[i].len, &m);
    CHECK(e && strcmp(mw_error_message(e), cases[i].msg) == 0);
    CHECK(c.live == 0);
    mw_error_free(e);
  }
}

/* ---------------------------------------------------------------- speed */

static size_t put_u32(uint8_t *p, uint32_t v) {
  size_t n = 0;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    p[n++] = b | (v ? 0x80 : 0);
  } while (v);
  return n;
}

/* A module of `nfuncs` functions, each with locals and a small body. */
static uint8_t *big_module(uint32_t nfuncs, size_t *len) {
  static const uint8_t body[] = {0x02, 0x01, 0x7f, 0x02, 0x7e,       /* locals */
                                 0x41, 0x01, 0x21, 0x00, 0x20, 0x00, /* i32 work */
                                 0x41, 0x02, 0x6a, 0x1a, 0x42, 0x7f,
                                 0x21, 0x02, 0x0b};
  size_t code_size = 5 + (size_t)nfuncs * (1 + sizeof body);
  uint8_t *b = malloc(64 + nfuncs + code_size);
  size_t n = 0;
  if (!b) return NULL;
  memcpy(b, HDR "\x01\x04\x01\x60\x00\x00", 14);
  n = 14;
  b[n++] = 3;
  n += put_u32(b + n, (uint32_t)(put_u32(b + n, nfuncs) + nfuncs)); /* size, then count */
  n += put_u32(b + n, nfuncs);
  memset(b + n, 0, nfuncs);
  n += nfuncs;
  uint8_t tmp[5];
  size_t count_len = put_u32(tmp, nfuncs);
  b[n++] = 10;
  n += put_u32(b + n, (uint32_t)(count_len + (size_t)nfuncs * (1 + sizeof body)));
  n += put_u32(b + n, nfuncs);
  for (uint32_t i = 0; i < nfuncs; i++) {
    b[n++] = sizeof body;
    memcpy(b + n, body, sizeof body);
    n += sizeof body;
  }
  *len = n;
  return b;
}

static void test_speed(void) {
  size_t len = 0;
  uint8_t *b = big_module(200000, &len);
  if (!b) return;
  clock_t t0 = clock();
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, b, len, &m);
  double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(e == NULL);
  if (e) printf("  %s\n", mw_error_message(e));
  CHECK(m && m->nfuncs == 200000 && m->codes[199999].nlocals == 3);
  printf("  decoded %.1f MB, 200000 functions, in %.1f ms\n", (double)len / 1e6, ms);
  CHECK(ms < 2000); /* generous: sanitizers slow it down several times */
  mw_error_free(e);
  mw_module_release(m);
  free(b);
}

int main(void) {
  RUN(test_opcodes);
  RUN(test_full_module_api);
  RUN(test_malformed);
  RUN(test_accepted);
  RUN(test_lenient_names);
  RUN(test_config_and_functypes);
  RUN(test_validate_cache);
  RUN(test_hostile_counts);
  RUN(test_allocation_failures);
  RUN(test_truncations_and_flips);
  RUN(test_random_mutations);
  RUN(test_speed);
  return harness_summary();
}
