/*
 * test_hostctl.c -- stopping a running guest: mw_store_interrupt (from a
 * host function and from a signal handler), deadlines, fuel and refuel
 * (tests/wat/hostctl.wat).
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

#include "harness.h"
#include "moonwasm.h"

typedef struct run {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
  mw_func *tick;
  int ticks;      /* calls of env.tick */
  int stop_at;    /* tick interrupts the store at this call (-1: never) */
} run;

static bool suspend_ticks; /* tick suspends its fiber instead */

static mw_error *tick(mw_caller *c, const mw_val *args, mw_val *results,
                      void *ud) {
  run *r = (run *)ud;
  (void)args;
  if (suspend_ticks && mw_caller_can_suspend(c)) return mw_caller_suspend(c);
  if (r->ticks++ == r->stop_at) mw_store_interrupt(mw_caller_store(c));
  results[0] = mw_val_i32(1);
  return NULL;
}

static int open_run(run *r, bool counting) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.count_instructions = counting;
  size_t len = 0;
  unsigned char *bytes = harness_read_fixture("hostctl", &len);
  memset(r, 0, sizeof *r);
  r->stop_at = -1;
  if (!CHECK(bytes != NULL)) return 0;
  mw_error *e = mw_module_decode(&cfg, bytes, len, &r->mod);
  free(bytes);
  r->store = mw_store_new(&cfg);
  mw_valtype i32 = MW_I32;
  mw_functype *t = mw_functype_new(NULL, &i32, 1, &i32, 1);
  r->tick = mw_func_new(NULL, t, tick, r, NULL);
  mw_functype_free(t);
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = r->tick};
  if (!e) e = mw_instantiate_with(r->store, r->mod, &imp, 1, &r->inst);
  if (!CHECK(e == NULL)) {
    mw_error_free(e);
    return 0;
  }
  return 1;
}

static void close_run(run *r) {
  mw_store_free(r->store);
  mw_module_release(r->mod);
  mw_func_free(r->tick);
}

/* Call export `name` with 0 or 1 i32 argument; *result gets an i32
 * result if it has one. */
static mw_error *call(run *r, const char *name, int nargs, int32_t arg,
                      int32_t *result) {
  mw_extern f;
  if (!mw_instance_export(r->inst, name, strlen(name), &f))
    return mw_error_new(MW_ERR_USAGE, "no such export");
  mw_val a = mw_val_i32(arg), res = mw_val_i32(0);
  size_t nres = mw_functype_result_count(mw_func_type(f.of.func));
  mw_error *e = mw_func_call(r->store, f.of.func, &a, (size_t)nargs, &res, nres);
  if (!e && result) *result = res.of.i32;
  return e;
}

/* The call fails with `kind` and `message`; the error is freed. */
static void check_fails(mw_error *e, mw_error_kind kind, const char *message) {
  if (!CHECK(e != NULL)) return;
  CHECK_EQ_INT(mw_error_kind_of(e), kind);
  CHECK_STR(mw_error_message(e), message);
  mw_error_free(e);
}

static void test_interrupt_from_host(void) {
  run r;
  if (!open_run(&r, false)) return;
  r.stop_at = 100;
  mw_error *e = call(&r, "ticks", 0, 0, NULL);
  /* The interrupt set in the 101st tick fires at the next back edge. */
  CHECK_EQ_INT(r.ticks, 101);
  if (CHECK(e != NULL)) CHECK(mw_error_frame_count(e) >= 1);
  check_fails(e, MW_ERR_TRAP, "interrupted");
  /* Consumed by that trap: the store runs normally again. */
  int32_t got = 0;
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  CHECK_EQ_INT(got, 45);
  /* Requested while idle: the next call that loops traps; clearing it
   * cancels the request. */
  mw_store_interrupt(r.store);
  check_fails(call(&r, "sum", 1, 10, &got), MW_ERR_TRAP, "interrupted");
  mw_store_interrupt(r.store);
  mw_store_clear_interrupt(r.store);
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  close_run(&r);
}

static void test_interrupt_recursion(void) {
  run r;
  if (!open_run(&r, false)) return;
  mw_store_interrupt(r.store);
  /* No loop in `down`: the call itself polls. */
  check_fails(call(&r, "down", 1, 50, NULL), MW_ERR_TRAP, "interrupted");
  int32_t got = 0;
  CHECK(call(&r, "down", 1, 50, &got) == NULL);
  CHECK_EQ_INT(got, 50);
  close_run(&r);
}

static mw_store *signal_store;
static void on_alarm(int sig) {
  (void)sig;
  mw_store_interrupt(signal_store);
}

static void test_interrupt_from_signal(void) {
  run r;
  if (!open_run(&r, false)) return;
  signal_store = r.store;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 20000}}; /* once, in 20 ms */
  const char *names[] = {"spin", "spin_table"};
  for (int i = 0; i < 2; i++) {
    setitimer(ITIMER_REAL, &it, NULL);
    check_fails(call(&r, names[i], 0, 0, NULL), MW_ERR_TRAP, "interrupted");
  }
  setitimer(ITIMER_REAL, &it, NULL);
  check_fails(call(&r, "spin_cond", 1, 5, NULL), MW_ERR_TRAP, "interrupted");
  signal(SIGALRM, SIG_DFL);
  close_run(&r);
}

static void test_deadline(void) {
  run r;
  if (!open_run(&r, false)) return;
  mw_store_set_deadline(r.store, 10 * 1000000ull); /* 10 ms */
  check_fails(call(&r, "spin", 0, 0, NULL), MW_ERR_TRAP, "deadline exceeded");
  /* It fired once: the store runs normally. */
  int32_t got = 0;
  CHECK(call(&r, "sum", 1, 100, &got) == NULL);
  CHECK_EQ_INT(got, 4950);
  /* A deadline far away does not stop a short call; removing it works. */
  mw_store_set_deadline(r.store, 3600ull * 1000000000ull);
  CHECK(call(&r, "sum", 1, 100, &got) == NULL);
  mw_store_set_deadline(r.store, 0);
  CHECK(call(&r, "sum", 1, 1000, &got) == NULL);
  CHECK_EQ_INT(got, 499500);
  close_run(&r);
}

static uint64_t refuels;
static uint64_t refuel_twice(mw_store *s, void *ud) {
  (void)s;
  (void)ud;
  return ++refuels <= 2 ? 100 : 0;
}

static void test_fuel_counting(void) {
  run r;
  if (!open_run(&r, true)) return;
  uint64_t left = 1;
  CHECK(!mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 0);
  /* sum(n) runs 9 + 11n + ... instructions: measure it, then fuel exactly. */
  mw_stats st;
  int32_t got = 0;
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  mw_store_stats(r.store, &st);
  uint64_t cost10 = st.instructions;
  mw_store_set_fuel(r.store, cost10);
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 0);
  check_fails(call(&r, "sum", 1, 10, &got), MW_ERR_EXHAUSTION, "all fuel consumed");
  mw_store_set_fuel(r.store, cost10 + 5);
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 5);
  /* reset_stats keeps the fuel left */
  mw_store_reset_stats(r.store);
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 5);
  /* Refuelled twice by 100, then the endless loop traps. */
  refuels = 0;
  mw_store_set_refuel(r.store, refuel_twice, NULL);
  check_fails(call(&r, "spin", 0, 0, NULL), MW_ERR_EXHAUSTION, "all fuel consumed");
  CHECK_EQ_INT(refuels, 3);
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 0);
  mw_store_clear_fuel(r.store);
  CHECK(!mw_store_get_fuel(r.store, &left));
  CHECK(call(&r, "sum", 1, 1000, &got) == NULL);
  CHECK_EQ_INT(got, 499500);
  close_run(&r);
}

static void test_fuel_plain(void) {
  /* Code compiled without counting: one unit per back edge and call. */
  run r;
  if (!open_run(&r, false)) return;
  uint64_t left = 0;
  int32_t got = 0;
  mw_store_set_fuel(r.store, 10);
  CHECK(call(&r, "sum", 1, 4, &got) == NULL); /* 4 back edges */
  CHECK_EQ_INT(got, 6);
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 6);
  check_fails(call(&r, "spin", 0, 0, NULL), MW_ERR_EXHAUSTION, "all fuel consumed");
  mw_store_set_fuel(r.store, 1000);
  CHECK(call(&r, "down", 1, 10, &got) == NULL); /* 10 calls */
  CHECK(mw_store_get_fuel(r.store, &left));
  CHECK_EQ_INT(left, 990);
  close_run(&r);
}

/* Two fibers of one store, suspended in tick and resumed in turn: fiber
 * k's tick(i) returns 1 while i < 3 + k, so `ticks` returns 3 + k. */
static void test_fibers_interleave(void) {
  run r;
  if (!open_run(&r, false)) return;
  suspend_ticks = true;
  mw_extern ticks;
  CHECK(mw_instance_export(r.inst, "ticks", 5, &ticks));
  mw_fiber *fb[2] = {mw_fiber_new(r.store), mw_fiber_new(r.store)};
  mw_error *err = NULL;
  mw_fiber_status st[2];
  for (int k = 0; k < 2; k++) {
    st[k] = mw_fiber_call(fb[k], ticks.of.func, NULL, 0, &err);
    CHECK_EQ_INT(st[k], MW_FIBER_HOST_CALL);
    CHECK(mw_fiber_host_func(fb[k]) == r.tick);
  }
  /* A plain call in between runs on the store's own stack. */
  int32_t got = 0;
  CHECK(call(&r, "sum", 1, 10, &got) == NULL);
  CHECK_EQ_INT(got, 45);
  int steps = 0;
  while ((st[0] == MW_FIBER_HOST_CALL || st[1] == MW_FIBER_HOST_CALL) && steps < 100) {
    for (int k = 1; k >= 0; k--) {
      if (st[k] != MW_FIBER_HOST_CALL) continue;
      mw_val arg;
      CHECK_EQ_INT(mw_fiber_host_args(fb[k], &arg, 1), 1);
      CHECK(mw_fiber_caller(fb[k]) != NULL);
      mw_val res = mw_val_i32(arg.of.i32 < 3 + k ? 1 : 0);
      st[k] = mw_fiber_resume(fb[k], &res, 1, &err);
      steps++;
    }
  }
  for (int k = 0; k < 2; k++) {
    CHECK_EQ_INT(st[k], MW_FIBER_DONE);
    mw_val out;
    CHECK_EQ_INT(mw_fiber_results(fb[k], &out, 1), 1);
    CHECK_EQ_INT(out.of.i32, 3 + k);
  }
  CHECK_EQ_INT(steps, 4 + 5);
  /* A failed host call unwinds the fiber with the wasm frames. */
  st[0] = mw_fiber_call(fb[0], ticks.of.func, NULL, 0, &err);
  CHECK_EQ_INT(st[0], MW_FIBER_HOST_CALL);
  st[0] = mw_fiber_fail(fb[0], mw_error_new(MW_ERR_HOST, "no input"), &err);
  CHECK_EQ_INT(st[0], MW_FIBER_FAILED);
  if (CHECK(err != NULL)) {
    CHECK_STR(mw_error_message(err), "no input");
    CHECK_EQ_INT(mw_error_frame_count(err), 1);
    const mw_frame_info *fi = mw_error_frame(err, 0);
    CHECK(fi && fi->func_name_len == 5 && memcmp(fi->func_name, "ticks", 5) == 0);
    mw_error_free(err);
  }
  /* Wrong result types fail it too; a fiber can be used again. */
  st[1] = mw_fiber_call(fb[1], ticks.of.func, NULL, 0, &err);
  mw_val bad = mw_val_i64(1);
  st[1] = mw_fiber_resume(fb[1], &bad, 1, &err);
  CHECK_EQ_INT(st[1], MW_FIBER_FAILED);
  if (CHECK(err != NULL)) CHECK_EQ_INT(mw_error_kind_of(err), MW_ERR_HOST);
  mw_error_free(err);
  /* Outside a fiber the host cannot suspend: tick runs normally. */
  r.stop_at = 3;
  check_fails(call(&r, "ticks", 0, 0, NULL), MW_ERR_TRAP, "interrupted"); /* at 3 */
  suspend_ticks = false;
  mw_fiber_free(fb[0]);
  mw_fiber_free(fb[1]);
  close_run(&r);
}

int main(void) {
  RUN(test_fibers_interleave);
  RUN(test_interrupt_from_host);
  RUN(test_interrupt_recursion);
  RUN(test_interrupt_from_signal);
  RUN(test_deadline);
  RUN(test_fuel_counting);
  RUN(test_fuel_plain);
  return harness_summary();
}
