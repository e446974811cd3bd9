/*
 * test_lazy.c -- loading without compiling (lazy.c, validate_fast.c):
 * every body is still validated at load, with the spec's messages; bodies
 * the lean validator accepts are compiled on their first call, from
 * wherever that call comes (the host, call_indirect, a tail call, another
 * store on another thread), and run exactly as eagerly compiled code does
 * (results, traps, backtraces, statistics).
 */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "internal.h"

/* A module from text, decoded and validated with cfg (NULL: defaults);
 * NULL and *err on failure. */
static mw_module *load_wat(const char *wat, const mw_config *cfg, mw_error **err) {
  unsigned char *bin = NULL;
  size_t n = 0;
  mw_module *m = NULL;
  *err = mw_wat_to_wasm(wat, strlen(wat), MW_FEATURES_DEFAULT, &bin, &n);
  if (*err) return NULL;
  *err = mw_module_decode(cfg, bin, n, &m);
  mw_wat_free(bin);
  if (!*err) *err = mw_module_validate(m);
  if (*err) {
    mw_module_release(m);
    return NULL;
  }
  return m;
}

static mw_func *export_func(mw_instance *inst, const char *name) {
  mw_extern x;
  if (!mw_instance_export(inst, name, strlen(name), &x) || x.kind != MW_EXTERN_FUNC)
    return NULL;
  return x.of.func;
}

/* Call an export of type [i32] -> [i32] (or [] -> [i32] with arg < 0). */
static mw_error *call_i32(mw_store *s, mw_instance *inst, const char *name, int32_t arg,
                          int32_t *out) {
  mw_func *f = export_func(inst, name);
  if (!f) return mw_errorf(MW_ERR_USAGE, "no export %s", name);
  mw_val a = mw_val_i32(arg), r;
  mw_error *e = mw_func_call(s, f, &a, arg < 0 ? 0 : 1, &r, 1);
  if (!e) *out = r.of.i32;
  return e;
}

/* Is defined function `di` of m still uncompiled (its stub)? */
static bool is_stub(const mw_module *m, uint32_t di) {
  return m->compiled && mwl_is_stub(&m->compiled[di]) &&
         (!m->lazy || atomic_load(&m->lazy[di]) == NULL);
}

/* A module loaded and instantiated in a store of its own: the set-up of
 * most tests here.  open: false (after CHECKs) if any step failed, with
 * nothing left to close. */
typedef struct setup {
  mw_module *m;
  mw_store *s;
  mw_instance *inst;
} setup;

static bool setup_open(setup *u, const char *wat, const mw_config *cfg) {
  mw_error *e = NULL;
  memset(u, 0, sizeof *u);
  u->m = load_wat(wat, cfg, &e);
  CHECK(u->m != NULL);
  if (u->m) {
    u->s = mw_store_new(cfg);
    e = u->s ? mw_instantiate(u->s, u->m, &u->inst) : mw_error_oom();
    CHECK(e == NULL);
  }
  mw_error_free(e);
  if (u->inst) return true;
  mw_store_free(u->s);
  mw_module_release(u->m);
  memset(u, 0, sizeof *u);
  return false;
}

static void setup_close(setup *u) {
  mw_store_free(u->s);
  mw_module_release(u->m);
  memset(u, 0, sizeof *u);
}

static const char *const PROGRAM =
    "(module\n"
    "  (type $ii (func (param i32) (result i32)))\n"
    "  (table 2 funcref)\n"
    "  (elem (i32.const 0) $double $fib)\n"
    "  (func $fib (export \"fib\") (param i32) (result i32)\n"
    "    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))\n"
    "      (then (local.get 0))\n"
    "      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n"
    "                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))\n"
    "  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))\n"
    "  (func (export \"indirect\") (param i32) (result i32)\n"
    "    (call_indirect (type $ii) (i32.const 21) (local.get 0)))\n"
    "  (func $deep (param i32) (result i32)\n"
    "    (if (i32.eqz (local.get 0)) (then unreachable))\n"
    "    (call $deep (i32.sub (local.get 0) (i32.const 1))))\n"
    "  (func (export \"trap\") (param i32) (result i32) (call $deep (local.get 0)))\n"
    "  (func $sum (param i32 i32) (result i32)\n"
    "    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))\n"
    "      (else (return_call $sum (i32.sub (local.get 0) (i32.const 1))\n"
    "                              (i32.add (local.get 1) (local.get 0))))))\n"
    "  (func (export \"tail\") (param i32) (result i32)\n"
    "    (return_call $sum (local.get 0) (i32.const 0)))\n"
    "  (func (export \"wide\") (result i32) (local v128 i64 f64)\n"
    "    (if (v128.any_true (local.get 0)) (then unreachable))\n"
    "    (local.set 0 (i32x4.splat (i32.const 7)))\n"
    "    (local.set 1 (i64.const 13))\n"
    "    (i32.add (v128.any_true (i32x4.add (local.get 0) (local.get 0)))\n"
    "             (i32.wrap_i64 (i64.add (local.get 1) (i64.trunc_f64_s (local.get 2))))))\n"
    ")\n";

/* Functions of PROGRAM, by defined index. */
enum { FIB, DOUBLE, INDIRECT, DEEP, TRAP, SUM, TAIL, WIDE, NFUNCS };

/* ---------------------------------------------------------------- validation at load */

/* An invalid body is rejected at load even if nothing would call it, with
 * the spec's message, by either validator. */
static void test_invalid_uncalled_rejected(void) {
  static const char *const bad[][2] = {
      {"(func (result i32) (i64.const 1))", "type mismatch"},
      {"(func (i32.add (i32.const 1)) drop)", "type mismatch"},
      {"(func (local.get 3) drop)", "unknown local 3"},
      {"(func (call 9))", "unknown function 9"},
      {"(func (br 2))", "unknown label"},
      {"(func (i32.load align=8 (i32.const 0)) drop)", "unknown memory 0"},
      {"(memory 1) (func (i32.load align=8 (i32.const 0)) drop)",
       "alignment must not be larger than natural"},
      {"(global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))",
       "immutable global"},
      {"(func (block (result i32) (i32.const 1) (i32.const 2)) drop)", "type mismatch"},
      {"(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1))))",
       "type mismatch"},
      {"(func (select (i32.const 1) (i64.const 2) (i32.const 0)) drop)", "type mismatch"},
      {"(func (select (ref.null func) (ref.null func) (i32.const 0)) drop)",
       "type mismatch"},
      {"(func $self (drop (ref.func $self)))", "undeclared function reference"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char wat[512];
    snprintf(wat, sizeof wat, "(module (func (export \"ok\") (result i32) (i32.const 1)) %s)",
             bad[i][0]);
    for (int eager = 0; eager < 2; eager++) {
      mw_config cfg;
      mw_config_default(&cfg);
      cfg.eager_compile = eager;
      mw_error *e = NULL;
      mw_module *m = load_wat(wat, &cfg, &e);
      CHECK(m == NULL);
      CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
      if (e && strncmp(mw_error_message(e), bad[i][1], strlen(bad[i][1])) != 0)
        CHECK_STR(mw_error_message(e), bad[i][1]);
      mw_error_free(e);
      mw_module_release(m);
    }
  }
}

/* Bodies are read after the sections (decode.c's body pass), yet their
 * encoding errors come out of decoding as before, in the binary's order:
 * before an error of a later section, and before an invalid body. */
static void test_body_errors_in_order(void) {
#define HDR "\x00\x61\x73\x6d\x01\x00\x00\x00"
#define TYPES "\x01\x04\x01\x60\x00\x00" "\x03\x03\x02\x00\x00"
  static const struct {
    const char *bytes;
    size_t len;
    const char *msg;
  } cases[] = {
      /* body 1 has opcode 0x27; then a data section that runs off the end */
      {HDR TYPES "\x0a\x08\x02\x02\x00\x0b\x03\x00\x27\x0b" "\x0b\x01\x05",
       sizeof(HDR TYPES) - 1 + 13, "illegal opcode 27"},
      /* body 0 invalid (i32.add on nothing), body 1 malformed */
      {HDR TYPES "\x0a\x09\x02\x03\x00\x6a\x0b\x03\x00\x27\x0b",
       sizeof(HDR TYPES) - 1 + 11, "illegal opcode 27"},
      /* body 0 ends before its size */
      {HDR TYPES "\x0a\x08\x02\x03\x00\x0b\x00\x02\x00\x0b",
       sizeof(HDR TYPES) - 1 + 10, "section size mismatch"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(NULL, (const uint8_t *)cases[i].bytes, cases[i].len, &m);
    CHECK(e && m == NULL && mw_error_kind_of(e) == MW_ERR_MALFORMED);
    if (e) CHECK_STR(mw_error_message(e), cases[i].msg);
    mw_error_free(e);
    mw_module_release(m);
  }
  /* and the invalid body alone is invalid, at validation */
  static const char inv[] = HDR TYPES "\x0a\x08\x02\x03\x00\x6a\x0b\x02\x00\x0b";
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, (const uint8_t *)inv, sizeof inv - 1, &m);
  CHECK(e == NULL);
  if (!e) e = mw_module_validate(m);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_INVALID);
  if (e) CHECK_STR(mw_error_message(e), "type mismatch");
  mw_error_free(e);
  mw_module_release(m);
#undef HDR
#undef TYPES
}

/* Valid bodies the lean validator accepts are left uncompiled; those it
 * leaves to compile.c (here: a GC instruction) are compiled at load. */
static void test_bodies_left_uncompiled(void) {
  mw_error *e = NULL;
  mw_module *m = load_wat(PROGRAM, NULL, &e);
  CHECK(m != NULL && e == NULL);
  mw_error_free(e);
  if (!m) return;
  for (uint32_t i = 0; i < NFUNCS; i++) CHECK(is_stub(m, i));
  mw_module_release(m);

  m = load_wat("(module (func (export \"f\") (result i32) (i31.get_s (ref.i31 (i32.const 5))))"
               " (func (export \"g\") (result i32) (i32.const 5)))",
               NULL, &e);
  CHECK(m != NULL && e == NULL);
  mw_error_free(e);
  if (!m) return;
  CHECK(!is_stub(m, 0) && m->compiled[0].code != NULL); /* compiled at load */
  CHECK(is_stub(m, 1));
  mw_module_release(m);

  mw_config cfg;
  mw_config_default(&cfg);
  cfg.eager_compile = true;
  m = load_wat(PROGRAM, &cfg, &e);
  CHECK(m != NULL && e == NULL);
  mw_error_free(e);
  if (!m) return;
  for (uint32_t i = 0; i < NFUNCS; i++) CHECK(!is_stub(m, i) && m->compiled[i].code != NULL);
  mw_module_release(m);
}

/* ---------------------------------------------------------------- first calls */

/* Every way in runs the body compiled on first call; both modes agree. */
static void test_first_calls(void) {
  for (int eager = 0; eager < 2; eager++) {
    mw_config cfg;
    mw_config_default(&cfg);
    cfg.eager_compile = eager;
    setup u;
    if (!setup_open(&u, PROGRAM, &cfg)) return;
    mw_module *m = u.m;
    mw_store *s = u.s;
    mw_instance *inst = u.inst;
    int32_t r = 0;
    /* from the host, recursing into itself while first compiled */
    CHECK(call_i32(s, inst, "fib", 20, &r) == NULL && r == 6765);
    CHECK(call_i32(s, inst, "fib", 10, &r) == NULL && r == 55);
    /* through call_indirect: $double is first reached from the table */
    CHECK(eager || is_stub(m, DOUBLE));
    CHECK(call_i32(s, inst, "indirect", 0, &r) == NULL && r == 42);
    CHECK(call_i32(s, inst, "indirect", 1, &r) == NULL && r == 10946); /* fib 21 */
    /* a tail call into an uncompiled function, then its own tail calls */
    CHECK(call_i32(s, inst, "tail", 100, &r) == NULL && r == 5050);
    /* locals of two slots (v128) zeroed from the stub's facts */
    CHECK(call_i32(s, inst, "wide", -1, &r) == NULL && r == 14);
    if (!eager) {
      CHECK(!is_stub(m, FIB) && !is_stub(m, DOUBLE) && !is_stub(m, SUM));
      CHECK(is_stub(m, DEEP)); /* never called: never compiled */
    }
    setup_close(&u);
  }
}

/* A trap in lazily compiled code: the spec's message and the whole
 * backtrace, innermost first, with names. */
static void test_trap_backtrace(void) {
  setup u;
  if (!setup_open(&u, PROGRAM, NULL)) return;
  int32_t r = 0;
  mw_error *e = call_i32(u.s, u.inst, "trap", 3, &r);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP);
  if (e) {
    CHECK_STR(mw_error_message(e), "unreachable");
    CHECK_EQ_INT(mw_error_frame_count(e), 5); /* $deep x4, then trap */
    const mw_frame_info *inner = mw_error_frame(e, 0);
    const mw_frame_info *outer = mw_error_frame(e, 4);
    CHECK(inner && inner->func_index == DEEP);
    CHECK(outer && outer->func_index == TRAP);
    CHECK(outer && outer->func_name && outer->func_name_len == 4 &&
          memcmp(outer->func_name, "trap", 4) == 0);
  }
  mw_error_free(e);
  /* and again, now compiled: the same */
  e = call_i32(u.s, u.inst, "trap", 1, &r);
  CHECK(e && mw_error_frame_count(e) == 3);
  mw_error_free(e);
  setup_close(&u);
}

/* Statistics count the same instructions whichever way code was made. */
static void test_statistics_same(void) {
  uint64_t counts[2] = {0, 0};
  for (int eager = 0; eager < 2; eager++) {
    mw_config cfg;
    mw_config_default(&cfg);
    cfg.eager_compile = eager;
    cfg.count_instructions = true;
    setup u;
    if (!setup_open(&u, PROGRAM, &cfg)) return;
    int32_t r = 0;
    mw_error *e = call_i32(u.s, u.inst, "fib", 12, &r);
    CHECK(e == NULL && r == 144);
    mw_error_free(e);
    mw_stats st;
    mw_store_stats(u.s, &st);
    counts[eager] = st.instructions;
    setup_close(&u);
  }
  CHECK(counts[0] > 0);
  CHECK_EQ_INT(counts[0], counts[1]);
}

/* ---------------------------------------------------------------- threads */

typedef struct runner {
  mw_module *m;
  const char *name;
  int32_t arg, result;
  bool ok;
} runner;

static void *run_store(void *arg) {
  runner *rn = (runner *)arg;
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_error *e = s ? mw_instantiate(s, rn->m, &inst) : mw_error_oom();
  if (!e) e = call_i32(s, inst, rn->name, rn->arg, &rn->result);
  rn->ok = e == NULL;
  mw_error_free(e);
  mw_store_free(s);
  return NULL;
}

/* One module, two stores on two threads, both first calls at once: one
 * compiled body wins, both run it (and the other store's later instance
 * starts with it). */
static void test_two_threads(void) {
  for (int round = 0; round < 20; round++) {
    mw_error *e = NULL;
    mw_module *m = load_wat(PROGRAM, NULL, &e);
    CHECK(m != NULL);
    mw_error_free(e);
    if (!m) return;
    runner rn[2] = {{m, "fib", 15, 0, false}, {m, "indirect", 1, 0, false}};
    pthread_t t[2];
    bool started[2];
    for (int i = 0; i < 2; i++) started[i] = pthread_create(&t[i], NULL, run_store, &rn[i]) == 0;
    for (int i = 0; i < 2; i++)
      if (started[i]) pthread_join(t[i], NULL);
      else run_store(&rn[i]);
    CHECK(rn[0].ok && rn[0].result == 610);
    CHECK(rn[1].ok && rn[1].result == 10946);
    CHECK(!is_stub(m, FIB));
    /* a new instance starts on the published code */
    mw_store *s = mw_store_new(NULL);
    mw_instance *inst = NULL;
    e = mw_instantiate(s, m, &inst);
    CHECK(e == NULL);
    mw_error_free(e);
    mw_func *fib = inst ? export_func(inst, "fib") : NULL;
    CHECK(fib && fib->code == atomic_load(&m->lazy[FIB]));
    mw_store_free(s);
    mw_module_release(m);
  }
}

/* An allocator that is not thread-safe, and says so (alloc_threadsafe
 * false): it counts the calls that find another call still inside it. */
static atomic_int unsafe_inside, unsafe_overlaps;

static void *unsafe_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (atomic_fetch_add(&unsafe_inside, 1) > 0) atomic_fetch_add(&unsafe_overlaps, 1);
  for (volatile int i = 0; i < 5000; i++) { /* a window a racing call would hit */
  }
  void *p = NULL;
  if (nsize == 0)
    free(ptr);
  else
    p = realloc(ptr, nsize);
  atomic_fetch_sub(&unsafe_inside, 1);
  return p;
}

enum { MANY = 48 };

typedef struct many_runner {
  mw_module *m;
  int dir;
  int bad; /* wrong results */
} many_runner;

/* Call f0 .. f(MANY-1) (dir 1) or back (dir -1) in a store of its own
 * (malloc: only the module's allocator is shared). */
static void *run_many(void *arg) {
  many_runner *rn = (many_runner *)arg;
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_error *e = s ? mw_instantiate(s, rn->m, &inst) : mw_error_oom();
  if (e) rn->bad = MANY;
  for (int k = 0; k < MANY && !e; k++) {
    int i = rn->dir > 0 ? k : MANY - 1 - k;
    char name[16];
    snprintf(name, sizeof name, "f%d", i);
    int32_t r = 0;
    e = call_i32(s, inst, name, 3, &r);
    if (e || r != 3 * i + 7 * 6) rn->bad++;
    mw_error_free(e);
    e = NULL;
  }
  mw_error_free(e);
  mw_store_free(s);
  return NULL;
}

/* A module whose allocator is not thread-safe, shared by stores on two
 * threads: their first calls compile bodies at once, and the allocator
 * is never entered by both (lazy.c serializes those compiles; validation
 * already used one thread for it). */
static void test_unsafe_allocator_two_threads(void) {
  static char wat[MANY * 200 + 64];
  size_t at = (size_t)snprintf(wat, sizeof wat, "(module\n");
  for (int i = 0; i < MANY; i++)
    at += (size_t)snprintf(wat + at, sizeof wat - at,
                           "(func (export \"f%d\") (param i32) (result i32) (local i32)\n"
                           " (local.set 1 (i32.mul (local.get 0) (i32.const %d)))\n"
                           " (i32.add (local.get 1) (i32.add (i32.const 40) (i32.const 2))))\n",
                           i, i);
  snprintf(wat + at, sizeof wat - at, ")");
  for (int round = 0; round < 10; round++) {
    mw_config cfg;
    mw_config_default(&cfg);
    cfg.alloc = unsafe_alloc;
    cfg.alloc_threadsafe = false;
    mw_error *e = NULL;
    mw_module *m = load_wat(wat, &cfg, &e);
    CHECK(m != NULL);
    mw_error_free(e);
    if (!m) return;
    CHECK(is_stub(m, 0) && is_stub(m, MANY - 1));
    atomic_store(&unsafe_overlaps, 0);
    many_runner rn[2] = {{m, 1, 0}, {m, -1, 0}};
    pthread_t t[2];
    bool started[2];
    for (int i = 0; i < 2; i++) started[i] = pthread_create(&t[i], NULL, run_many, &rn[i]) == 0;
    for (int i = 0; i < 2; i++)
      if (started[i]) pthread_join(t[i], NULL);
      else run_many(&rn[i]);
    CHECK_EQ_INT(rn[0].bad, 0);
    CHECK_EQ_INT(rn[1].bad, 0);
    CHECK_EQ_INT(atomic_load(&unsafe_overlaps), 0);
    for (int i = 0; i < MANY; i++) CHECK(!is_stub(m, (uint32_t)i));
    mw_module_release(m);
  }
}

int main(void) {
  RUN(test_invalid_uncalled_rejected);
  RUN(test_body_errors_in_order);
  RUN(test_bodies_left_uncompiled);
  RUN(test_first_calls);
  RUN(test_trap_backtrace);
  RUN(test_statistics_same);
  RUN(test_two_threads);
  RUN(test_unsafe_allocator_two_threads);
  return harness_summary();
}
