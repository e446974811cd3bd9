/*
 * test_reliability.c -- regressions of issue 8: inspecting a module that
 * decodes but is not valid, which limit a deep recursion ran out of, and
 * memories that are reserved, not committed.  Each case crashed, misled,
 * or took seconds before its fix.
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "moonwasm.h"

static mw_module *decode(const void *bytes, size_t len) {
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(NULL, bytes, len, &m);
  if (err) {
    printf("decode: %s\n", mw_error_message(err));
    mw_error_free(err);
    return NULL;
  }
  return m;
}

/* One type () -> (); imports env.f of type 7 (there is no type 7);
 * exports "g" = func 5, "m" = memory 3, "t" = table 2, "v" = global 9,
 * "h" = func 0 (the import, whose type is unknown).  It decodes; it is not
 * valid. */
static const unsigned char BAD_INDICES[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0,                          /* type section */
    2, 9, 1, 3, 'e', 'n', 'v', 1, 'f', 0, 7,      /* import env.f (type 7) */
    7, 21, 5,                                     /* export section */
    1, 'g', 0, 5, 1, 'm', 2, 3, 1, 't', 1, 2, 1, 'v', 3, 9, 1, 'h', 0, 0,
};

static void test_unvalidated_descriptors(void) {
  mw_module *m = decode(BAD_INDICES, sizeof BAD_INDICES);
  if (!CHECK(m)) return;
  CHECK_EQ_INT(mw_module_import_count(m), 1);
  mw_import_desc imp;
  mw_module_import(m, 0, &imp);
  CHECK_EQ_INT(imp.type.kind, MW_EXTERN_FUNC);
  CHECK(imp.type.of.func == NULL);
  CHECK_STR(imp.unknown, "unknown type");
  CHECK_EQ_INT(imp.unknown_index, 7);

  static const struct {
    mw_extern_kind kind;
    const char *unknown;
    uint32_t index;
  } want[] = {
      {MW_EXTERN_FUNC, "unknown function", 5},
      {MW_EXTERN_MEMORY, "unknown memory", 3},
      {MW_EXTERN_TABLE, "unknown table", 2},
      {MW_EXTERN_GLOBAL, "unknown global", 9},
      {MW_EXTERN_FUNC, "unknown type", 7},
  };
  CHECK_EQ_INT(mw_module_export_count(m), 5);
  for (size_t i = 0; i < 5; i++) {
    mw_export_desc e;
    mw_module_export(m, i, &e);
    CHECK_EQ_INT(e.type.kind, want[i].kind);
    CHECK_STR(e.unknown, want[i].unknown);
    CHECK_EQ_INT(e.unknown_index, want[i].index);
    if (e.type.kind == MW_EXTERN_FUNC) CHECK(e.type.of.func == NULL);
  }
  /* Past the count: all zero, as documented. */
  mw_export_desc none;
  mw_module_export(m, 5, &none);
  CHECK(none.name == NULL && none.unknown == NULL);

  /* Instantiating validates first: the invalid module is refused before
   * any import is looked at. */
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_error *err = mw_instantiate(s, m, &inst);
  if (CHECK(err)) {
    CHECK_EQ_INT(mw_error_kind_of(err), MW_ERR_INVALID);
    CHECK(strncmp(mw_error_message(err), "unknown", 7) == 0);
    mw_error_free(err);
  }
  CHECK(inst == NULL);
  mw_store_free(s);
  mw_module_release(m);
}

/* A valid module's descriptors always have a type and no `unknown`. */
static void test_valid_descriptors(void) {
  static const unsigned char ok[] = {
      0, 'a', 's', 'm', 1, 0, 0, 0,
      1, 5, 1, 0x60, 0, 1, 0x7F,              /* () -> i32 */
      2, 9, 1, 3, 'e', 'n', 'v', 1, 'f', 0, 0, /* import env.f type 0 */
      5, 3, 1, 0, 1,                          /* memory 1 */
      7, 9, 2, 1, 'f', 0, 0, 1, 'm', 2, 0,    /* export f, m */
  };
  mw_module *m = decode(ok, sizeof ok);
  if (!CHECK(m)) return;
  mw_error *err = mw_module_validate(m);
  CHECK(err == NULL);
  if (err) mw_error_free(err);
  mw_import_desc imp;
  mw_module_import(m, 0, &imp);
  CHECK(imp.unknown == NULL);
  CHECK(imp.type.of.func && mw_functype_result_count(imp.type.of.func) == 1);
  mw_export_desc e;
  mw_module_export(m, 0, &e);
  CHECK(e.unknown == NULL && e.type.of.func);
  mw_module_export(m, 1, &e);
  CHECK(e.unknown == NULL);
  CHECK_EQ_INT(e.type.of.memory.limits.min, 1);
  mw_module_release(m);
}

/* (func (export "r") (param i32) (result i32) local.get 0 call 0): runs
 * out of the value stack or of call depth, whichever comes first; the
 * message says which. */
static const unsigned char RECURSE[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F,
    3, 2, 1, 0,
    7, 5, 1, 1, 'r', 0, 0,
    10, 8, 1, 6, 0, 0x20, 0, 0x10, 0, 0x0B,
};

static const char *recurse_message(uint32_t depth, size_t slots) {
  static char msg[128];
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.max_call_depth = depth;
  cfg.value_stack_slots = slots;
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(&cfg, RECURSE, sizeof RECURSE, &m);
  if (err) {
    snprintf(msg, sizeof msg, "decode: %s", mw_error_message(err));
    mw_error_free(err);
    return msg;
  }
  mw_store *s = mw_store_new(&cfg);
  mw_instance *inst = NULL;
  err = mw_instantiate(s, m, &inst);
  mw_extern f;
  if (!err && mw_instance_export(inst, "r", 1, &f)) {
    mw_val arg = mw_val_i32(0), res;
    err = mw_func_call(s, f.of.func, &arg, 1, &res, 1);
  }
  snprintf(msg, sizeof msg, "%s%s",
           err && mw_error_kind_of(err) == MW_ERR_EXHAUSTION ? "" : "(not exhaustion) ",
           err ? mw_error_message(err) : "(no error)");
  if (err) mw_error_free(err);
  mw_store_free(s);
  mw_module_release(m);
  return msg;
}

static void test_exhaustion_messages(void) {
  CHECK_STR(recurse_message(100, 1u << 20), "call stack exhausted");
  CHECK_STR(recurse_message(100000, 256),
            "call stack exhausted (out of value stack slots)");
}

/* Resident set size in bytes (Linux), or -1. */
static long long rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  long long pages = -1, resident = -1;
  if (fscanf(f, "%lld %lld", &pages, &resident) != 2) resident = -1;
  fclose(f);
  return resident < 0 ? -1 : resident * 4096;
}

/* (memory (export "m") 65536): 4 GiB that the guest has not touched yet
 * must not be resident (it was calloc'ed: seconds and 4 GiB of RAM). */
static void test_huge_memory_is_lazy(void) {
  static const unsigned char big[] = {
      0, 'a', 's', 'm', 1, 0, 0, 0,
      5, 5, 1, 0, 0x80, 0x80, 0x04,          /* memory min 65536 */
      7, 5, 1, 1, 'm', 2, 0,                 /* export "m" */
  };
  mw_module *m = decode(big, sizeof big);
  if (!CHECK(m)) return;
  long long before = rss_bytes();
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_error *err = mw_instantiate(s, m, &inst);
  CHECK(err == NULL);
  mw_error_free(err);
  mw_memory *mem = inst ? mw_instance_memory(inst) : NULL;
  if (CHECK(mem)) {
    CHECK_EQ_INT(mw_memory_pages(mem), 65536);
    CHECK(mw_memory_size(mem) == (size_t)65536 * 65536);
    uint8_t *d = mw_memory_data(mem);
    /* first and last bytes read zero and can be written */
    CHECK_EQ_INT(d[0], 0);
    CHECK_EQ_INT(d[mw_memory_size(mem) - 1], 0);
    d[mw_memory_size(mem) - 1] = 7;
    CHECK_EQ_INT(d[mw_memory_size(mem) - 1], 7);
    CHECK_EQ_INT(mw_memory_grow(mem, 1), -1); /* at the 4 GiB ceiling */
    long long after = rss_bytes();
    if (before >= 0 && after >= 0)
      CHECK(after - before < 50ll * 1024 * 1024);
  }
  mw_store_free(s);
  mw_module_release(m);
}

/* Growing from 1 page to the 4 GiB ceiling: new pages are zero, old bytes
 * kept, the limits as before (the type's max, then the configured one). */
static void test_grow_is_lazy_and_limited(void) {
  mw_memtype t = {{1, 0, false, false}};
  mw_memory *mem = mw_memory_new(NULL, t);
  if (!CHECK(mem)) return;
  mw_memory_data(mem)[5] = 42;
  long long before = rss_bytes();
  CHECK_EQ_INT(mw_memory_grow(mem, 65535), 1);
  CHECK_EQ_INT(mw_memory_pages(mem), 65536);
  uint8_t *d = mw_memory_data(mem);
  CHECK_EQ_INT(d[5], 42);
  CHECK_EQ_INT(d[65536], 0);
  CHECK_EQ_INT(d[(size_t)65536 * 65536 - 1], 0);
  long long after = rss_bytes();
  if (before >= 0 && after >= 0) CHECK(after - before < 50ll * 1024 * 1024);
  CHECK_EQ_INT(mw_memory_grow(mem, 1), -1);
  CHECK_EQ_INT(mw_memory_grow(mem, 0), 65536);
  mw_memory_free(mem);

  mw_memtype bounded = {{2, 5, true, false}};
  mem = mw_memory_new(NULL, bounded);
  if (!CHECK(mem)) return;
  CHECK_EQ_INT(mw_memory_grow(mem, 4), -1); /* 6 > max 5: unchanged */
  CHECK_EQ_INT(mw_memory_pages(mem), 2);
  CHECK_EQ_INT(mw_memory_grow(mem, 3), 2);
  CHECK_EQ_INT(mw_memory_data(mem)[5 * 65536 - 1], 0);
  CHECK_EQ_INT(mw_memory_grow(mem, 1), -1);
  mw_memory_free(mem);

  mw_config cfg;
  mw_config_default(&cfg);
  cfg.max_memory_pages = 3;
  mem = mw_memory_new(&cfg, t);
  if (!CHECK(mem)) return;
  CHECK_EQ_INT(mw_memory_grow(mem, 2), 1);
  CHECK_EQ_INT(mw_memory_grow(mem, 1), -1);
  mw_memory_free(mem);
  mw_memtype too_big = {{4, 0, false, false}};
  CHECK(mw_memory_new(&cfg, too_big) == NULL);
}

int main(void) {
  RUN(test_unvalidated_descriptors);
  RUN(test_valid_descriptors);
  RUN(test_exhaustion_messages);
  RUN(test_huge_memory_is_lazy);
  RUN(test_grow_is_lazy_and_limited);
  return harness_summary();
}
