/*
 * test_load.c -- validation on several threads (compile_par.c,
 * mw_config.compile_threads): the same results and the same first error
 * as on one thread, and a user allocator called from other threads only
 * when it is declared thread-safe.
 */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "moonwasm.h"

#define NFUNCS 300

/* A module of NFUNCS functions, fN(x) = x + N, except that function
 * `bad1` (and `bad2`, if not negative) are invalid in two different ways. */
static unsigned char *make_module(int bad1, int bad2, size_t *len) {
  size_t cap = (size_t)NFUNCS * 160 + 64, n = 0;
  char *text = malloc(cap);
  if (!text) return NULL;
  n += (size_t)snprintf(text + n, cap - n, "(module\n");
  for (int i = 0; i < NFUNCS; i++) {
    const char *body = i == bad1   ? "local.get 0 i64.const 1 i32.add"
                       : i == bad2 ? "local.get 7"
                                   : "local.get 0 i32.const %d i32.add";
    n += (size_t)snprintf(text + n, cap - n, "(func (export \"f%d\") (param i32) (result i32) ", i);
    n += (size_t)snprintf(text + n, cap - n, body, i);
    n += (size_t)snprintf(text + n, cap - n, ")\n");
  }
  n += (size_t)snprintf(text + n, cap - n, ")\n");
  unsigned char *out = NULL;
  mw_error *e = mw_wat_to_wasm(text, n, MW_FEATURES_DEFAULT, &out, len);
  free(text);
  if (e) {
    printf("wat: %s\n", mw_error_message(e));
    mw_error_free(e);
    return NULL;
  }
  return out;
}

/* Validate with `threads`; the error message (malloc'ed) or NULL. */
static char *validate_with(const unsigned char *bytes, size_t len, uint32_t threads) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.compile_threads = threads;
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(&cfg, bytes, len, &m);
  if (!e) e = mw_module_validate(m);
  char *msg = NULL;
  if (e) {
    const char *t = mw_error_message(e);
    msg = malloc(strlen(t) + 1);
    if (msg) strcpy(msg, t);
    CHECK(mw_error_kind_of(e) == MW_ERR_INVALID);
    mw_error_free(e);
  }
  mw_module_release(m);
  return msg;
}

static void test_valid_module_runs(void) {
  size_t len = 0;
  unsigned char *bytes = make_module(-1, -1, &len);
  if (!CHECK(bytes != NULL)) return;
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.compile_threads = 4;
  mw_module *m = NULL;
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_error *e = mw_module_decode(&cfg, bytes, len, &m);
  if (!e) e = mw_module_validate(m);
  if (!e) e = mw_instantiate(s, m, &inst);
  CHECK(e == NULL);
  for (int i = 0; !e && i < NFUNCS; i += 37) {
    char name[16];
    snprintf(name, sizeof name, "f%d", i);
    mw_extern ext;
    if (!CHECK(mw_instance_export(inst, name, strlen(name), &ext))) break;
    mw_val arg = mw_val_i32(1000), res;
    CHECK(mw_func_call(s, ext.of.func, &arg, 1, &res, 1) == NULL);
    CHECK_EQ_INT(res.of.i32, 1000 + i);
  }
  mw_error_free(e);
  mw_store_free(s);
  mw_module_release(m);
  mw_wat_free(bytes);
}

static void test_first_error_wins(void) {
  /* the lower invalid function's message, whichever thread meets which */
  static const int cases[][2] = {{100, 290}, {290, 5}, {0, 299}, {299, -1}, {31, 32}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    size_t len = 0;
    unsigned char *bytes = make_module(cases[k][0], cases[k][1], &len);
    if (!CHECK(bytes != NULL)) return;
    char *one = validate_with(bytes, len, 1);
    CHECK(one != NULL);
    bool type_first = cases[k][1] < 0 || cases[k][0] < cases[k][1];
    if (one) CHECK_STR(one, type_first ? "type mismatch" : "unknown local 7");
    for (int run = 0; run < 10; run++) {
      char *many = validate_with(bytes, len, 4);
      CHECK(many != NULL && one != NULL && strcmp(many, one) == 0);
      free(many);
    }
    free(one);
    mw_wat_free(bytes);
  }
}

/* An allocator that counts calls from threads other than the one that
 * made it. */
typedef struct counting {
  pthread_t owner;
  pthread_mutex_t lock;
  long foreign;
} counting;

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  (void)osize;
  if (!pthread_equal(pthread_self(), c->owner)) {
    pthread_mutex_lock(&c->lock);
    c->foreign++;
    pthread_mutex_unlock(&c->lock);
  }
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

static long foreign_calls(const unsigned char *bytes, size_t len, bool threadsafe) {
  counting c;
  c.owner = pthread_self();
  pthread_mutex_init(&c.lock, NULL);
  c.foreign = 0;
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = &c;
  cfg.alloc_threadsafe = threadsafe;
  cfg.compile_threads = 4;
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(&cfg, bytes, len, &m);
  if (!e) e = mw_module_validate(m);
  CHECK(e == NULL);
  mw_error_free(e);
  mw_module_release(m);
  pthread_mutex_destroy(&c.lock);
  return c.foreign;
}

static void test_allocator_threads(void) {
  size_t len = 0;
  unsigned char *bytes = make_module(-1, -1, &len);
  if (!CHECK(bytes != NULL)) return;
  CHECK_EQ_INT(foreign_calls(bytes, len, false), 0);
  /* declared thread-safe, it may serve the threads (how much depends on
   * the scheduler: not checked) and the module validates the same */
  (void)foreign_calls(bytes, len, true);
  mw_wat_free(bytes);
}

int main(void) {
  RUN(test_valid_module_runs);
  RUN(test_first_error_wins);
  RUN(test_allocator_threads);
  return harness_summary();
}
