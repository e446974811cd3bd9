/*
 * test_hostile.c -- inputs meant to hurt: modules that ask the compiler
 * for unbounded memory, host code that breaks the rules, guests that
 * rewrite their own WASI arguments mid-call.  Each must end in a clear
 * error, never a crash (run under SANITIZE=1).
 */
#include <stdlib.h>

#include "harness.h"
#include "moonwasm.h"

/* ---------------------------------------------------------------- building binaries */

typedef struct buf {
  unsigned char *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *data, size_t n) {
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  memcpy(b->p + b->n, data, n);
  b->n += n;
}

static void put_byte(buf *b, unsigned char c) { put(b, &c, 1); }

static void put_uleb(buf *b, uint64_t v) {
  do {
    unsigned char c = v & 0x7F;
    v >>= 7;
    put_byte(b, (unsigned char)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void put_section(buf *m, unsigned char id, const buf *payload) {
  put_byte(m, id);
  put_uleb(m, payload->n);
  put(m, payload->p, payload->n);
}

/* A module of two types -- 0: [] -> [i32 x nres], 1: [i32] -> [] -- and
 * one function of type `ftype` with body `body` (locals included). */
static buf module_with(uint32_t nres, uint32_t ftype, const buf *body) {
  buf m = {0}, s = {0};
  put(&m, "\0asm\1\0\0\0", 8);
  put_uleb(&s, 2);
  put_byte(&s, 0x60);
  put_uleb(&s, 0);
  put_uleb(&s, nres);
  for (uint32_t i = 0; i < nres; i++) put_byte(&s, 0x7F);
  put(&s, "\x60\x01\x7F\x00", 4);
  put_section(&m, 1, &s);
  s.n = 0;
  put_uleb(&s, 1);
  put_uleb(&s, ftype);
  put_section(&m, 3, &s);
  s.n = 0;
  put_uleb(&s, 1);
  put_uleb(&s, body->n);
  put(&s, body->p, body->n);
  put_section(&m, 10, &s);
  free(s.p);
  return m;
}

/* Decode and validate; the error (caller frees) or NULL. */
static mw_error *validate(const buf *m) {
  mw_module *mod = NULL;
  mw_error *e = mw_module_decode(NULL, m->p, m->n, &mod);
  if (!e) e = mw_module_validate(mod);
  mw_module_release(mod);
  return e;
}

static void check_limit(mw_error *e, const char *message) {
  CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
  if (e) CHECK_STR(mw_error_message(e), message);
  mw_error_free(e);
}

/* ---------------------------------------------------------------- compiler limits */

/* 20000 calls of a function returning 1000 values: 2 bytes each, 20
 * million operand-stack entries unless the height is bounded. */
static void test_stack_height_bounded(void) {
  buf body = {0};
  put(&body, "\x00\x10\x00", 3); /* no locals; call 0 (itself) ... */
  for (int i = 1; i < 20000; i++) put(&body, "\x10\x00", 2);
  put(&body, "\x00\x0b", 2); /* unreachable end */
  buf m = module_with(1000, 0, &body);
  check_limit(validate(&m), "implementation limit: operand stack too high");
  free(body.p);
  free(m.p);
}

/* A br_table of 200000 entries to a block of 1000 results: one copy stub
 * per label, not per entry (else 200000 x 1000 copies). */
static void test_br_table_stubs_shared(void) {
  buf body = {0};
  put(&body, "\x00\x02\x00", 3); /* no locals; block (type 0) */
  for (int i = 0; i < 1000; i++) put(&body, "\x20\x00", 2); /* local.get 0 */
  put(&body, "\x20\x00\x0e", 3); /* index; br_table */
  put_uleb(&body, 200000);
  for (int i = 0; i <= 200000; i++) put_byte(&body, 0);
  put(&body, "\x0b\x00\x0b", 3); /* end; unreachable end */
  buf m = module_with(1000, 1, &body);
  mw_error *e = validate(&m);
  CHECK(e == NULL);
  mw_error_free(e);
  free(body.p);
  free(m.p);
}

/* Nesting: the limit counts every frame, the function's included. */
static mw_error *nested_blocks(uint32_t depth) {
  buf body = {0};
  put_byte(&body, 0);
  for (uint32_t i = 0; i < depth; i++) put(&body, "\x02\x40", 2);
  for (uint32_t i = 0; i < depth; i++) put_byte(&body, 0x0b);
  put_byte(&body, 0x0b);
  buf m = module_with(0, 0, &body);
  mw_error *e = validate(&m);
  free(body.p);
  free(m.p);
  return e;
}

static void test_block_depth_limit(void) {
  mw_error *e = nested_blocks(99999);
  CHECK(e == NULL);
  mw_error_free(e);
  check_limit(nested_blocks(100000), "implementation limit: blocks nested too deep");
}

/* ---------------------------------------------------------------- host and API misuse */

static mw_error *wrong_ref(mw_caller *c, const mw_val *args, mw_val *results, void *ud) {
  (void)c;
  (void)args;
  results[0] = mw_val_externref(ud); /* declared funcref */
  return NULL;
}

typedef struct loaded {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} loaded;

static int load(loaded *l, const char *fixture, const mw_extern *imports, size_t n) {
  size_t len = 0;
  unsigned char *bytes = harness_read_fixture(fixture, &len);
  memset(l, 0, sizeof *l);
  if (!CHECK(bytes != NULL)) return 0;
  mw_error *e = mw_module_decode(NULL, bytes, len, &l->mod);
  free(bytes);
  l->store = mw_store_new(NULL);
  if (!e) e = mw_instantiate_with(l->store, l->mod, imports, n, &l->inst);
  if (!CHECK(e == NULL)) {
    mw_error_free(e);
    return 0;
  }
  return 1;
}

static void unload(loaded *l) {
  mw_store_free(l->store);
  mw_module_release(l->mod);
}

static mw_error *call0(loaded *l, const char *name, mw_val *result, size_t nres) {
  mw_extern f;
  if (!mw_instance_export(l->inst, name, strlen(name), &f))
    return mw_error_new(MW_ERR_USAGE, "no such export");
  return mw_func_call(l->store, f.of.func, NULL, 0, result, nres);
}

/* A host result of the wrong type is an error, not a pointer to call. */
static void test_host_result_type_checked(void) {
  const mw_valtype r[] = {MW_FUNCREF};
  mw_functype *t = mw_functype_new(NULL, NULL, 0, r, 1);
  int token;
  mw_func *get = mw_func_new(NULL, t, wrong_ref, &token, NULL);
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = get};
  loaded l;
  if (load(&l, "hostile_ref", &imp, 1)) {
    mw_error *e = call0(&l, "run", NULL, 0);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST);
    if (e) CHECK_STR(mw_error_message(e), "host function result 1: expected funcref, got externref");
    mw_error_free(e);
    unload(&l);
  }
  mw_func_free(get);
  mw_functype_free(t);
}

static mw_error *null_ref(mw_caller *c, const mw_val *args, mw_val *results, void *ud) {
  (void)c;
  (void)args;
  (void)ud;
  results[0] = mw_val_funcref(NULL);
  return NULL;
}

/* The _free functions refuse objects a store owns; the store frees them. */
static void test_free_refuses_store_owned(void) {
  const mw_valtype r[] = {MW_FUNCREF};
  mw_functype *t = mw_functype_new(NULL, NULL, 0, r, 1);
  mw_func *get = mw_func_new(NULL, t, null_ref, NULL, NULL);
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = get};
  loaded l;
  if (load(&l, "hostile_ref", &imp, 1)) {
    mw_extern mem, g, tab;
    CHECK(mw_instance_export(l.inst, "memory", 6, &mem));
    CHECK(mw_instance_export(l.inst, "g", 1, &g));
    CHECK(mw_instance_export(l.inst, "t", 1, &tab));
    mw_memory_free(mem.of.memory);
    mw_global_free(g.of.global);
    mw_table_free(tab.of.table);
    CHECK_EQ_INT(mw_memory_pages(mem.of.memory), 1); /* still there */
    CHECK_EQ_INT(mw_table_size(tab.of.table), 2);
    unload(&l); /* frees each exactly once */
  }
  mw_func_free(get);
  mw_functype_free(t);
}

/* Descriptor accessors past the end give empty descriptors. */
static void test_module_accessors_bounded(void) {
  size_t len = 0;
  unsigned char *bytes = harness_read_fixture("hostile_ref", &len);
  mw_module *mod = NULL;
  if (!CHECK(bytes && mw_module_decode(NULL, bytes, len, &mod) == NULL)) {
    free(bytes);
    return;
  }
  mw_import_desc imp;
  mw_export_desc exp;
  const char *name;
  const uint8_t *data;
  size_t nlen, dlen;
  mw_module_import(mod, 1, &imp);
  CHECK(imp.module == NULL && imp.name == NULL);
  mw_module_export(mod, 99, &exp);
  CHECK(exp.name == NULL && exp.name_len == 0);
  mw_module_custom(mod, 99, &name, &nlen, &data, &dlen);
  CHECK(name == NULL && data == NULL && nlen == 0 && dlen == 0);
  mw_module_release(mod);
  free(bytes);
}

/* ---------------------------------------------------------------- WASI */

static int64_t fill_a(void *ud, uint8_t *p, size_t len, mw_error **trap) {
  (void)ud;
  (void)trap;
  memset(p, 'A', len);
  return (int64_t)len;
}

/* The guest's first buffer overwrites its second iovec with "AAAA...":
 * fd_read stops there instead of handing the callback a wild pointer. */
static void test_wasi_iovec_rewritten(void) {
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  wc.stdio[0].kind = MW_WASI_STDIO_CALLBACK;
  wc.stdio[0].read = fill_a;
  mw_error *e = NULL;
  mw_wasi *w = mw_wasi_new(NULL, &wc, &e);
  if (!CHECK(w != NULL)) {
    mw_error_free(e);
    return;
  }
  size_t len = 0;
  unsigned char *bytes = harness_read_fixture("hostile_iov", &len);
  mw_module *mod = NULL;
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  e = bytes ? mw_module_decode(NULL, bytes, len, &mod) : mw_error_new(MW_ERR_USAGE, "no fixture");
  if (!e) e = mw_wasi_define(w, s);
  if (!e) e = mw_instantiate(s, mod, &inst);
  mw_extern f, mem;
  mw_val errno_val;
  if (!e && CHECK(mw_instance_export(inst, "read", 4, &f)))
    e = mw_func_call(s, f.of.func, NULL, 0, &errno_val, 1);
  if (CHECK(e == NULL)) {
    CHECK_EQ_INT(errno_val.of.i32, 0);
    CHECK(mw_instance_export(inst, "memory", 6, &mem));
    uint32_t nread;
    memcpy(&nread, mw_memory_data(mem.of.memory) + 200, 4);
    CHECK_EQ_INT(nread, 8); /* the first buffer only */
  }
  mw_error_free(e);
  mw_store_free(s);
  mw_module_release(mod);
  mw_wasi_free(w);
  free(bytes);
}

int main(void) {
  RUN(test_stack_height_bounded);
  RUN(test_br_table_stubs_shared);
  RUN(test_block_depth_limit);
  RUN(test_host_result_type_checked);
  RUN(test_free_refuses_store_owned);
  RUN(test_module_accessors_bounded);
  RUN(test_wasi_iovec_rewritten);
  return harness_summary();
}
