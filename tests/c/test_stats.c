/*
 * test_stats.c -- statistics and the cost budget (mw_config.count_*,
 * cost_table, cost_limit; mw_store_stats).
 *
 * Expected counts are worked out by hand from tests/wat/stats.wat.  For
 * "sum" with n iterations the executed instructions are: block, loop (2);
 * the loop head local.get, i32.eqz, br_if, n + 1 times (3 each); the body
 * local.get, local.get, i32.add, local.set, local.get, i32.const, i32.sub,
 * local.set, br, n times (9 each); after the loop local.get, end (2).
 * Total 2 + 3(n + 1) + 9n + 2 = 12n + 7.
 */
#include <stdlib.h>

#include "harness.h"
#include "moonwasm.h"

typedef struct run {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} run;

static int open_run(run *r, const mw_config *cfg) {
  size_t len = 0;
  unsigned char *bytes = harness_read_fixture("stats", &len);
  memset(r, 0, sizeof *r);
  if (!CHECK(bytes != NULL)) return 0;
  mw_error *e = mw_module_decode(cfg, bytes, len, &r->mod);
  free(bytes);
  r->store = mw_store_new(cfg);
  if (!e) e = mw_instantiate(r->store, r->mod, &r->inst);
  if (!CHECK(e == NULL)) {
    mw_error_free(e);
    return 0;
  }
  return 1;
}

static void close_run(run *r) {
  mw_store_free(r->store);
  mw_module_release(r->mod);
}

static mw_error *call1(run *r, const char *name, int32_t arg, int32_t *result) {
  mw_extern f;
  if (!mw_instance_export(r->inst, name, strlen(name), &f))
    return mw_error_new(MW_ERR_USAGE, "no such export");
  mw_val a = mw_val_i32(arg), res;
  mw_error *e = mw_func_call(r->store, f.of.func, &a, 1, &res, 1);
  if (!e) *result = res.of.i32;
  return e;
}

static void test_counts_instructions(void) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.count_instructions = true;
  run r;
  if (!open_run(&r, &cfg)) return;
  int32_t got = 0;
  mw_stats st;
  CHECK(call1(&r, "sum", 3, &got) == NULL);
  CHECK_EQ_INT(got, 6);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.instructions, 12 * 3 + 7);
  CHECK_EQ_INT(st.cost, 12 * 3 + 7); /* no table: each costs 1 */
  /* Counts accumulate across calls until reset. */
  CHECK(call1(&r, "sum", 0, &got) == NULL);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.instructions, 43 + 7);
  mw_store_reset_stats(r.store);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.instructions, 0);
  /* A call counts the callee too: call_id runs local.get, call, end and
   * the callee's local.get, end. */
  CHECK(call1(&r, "call_id", 5, &got) == NULL);
  CHECK_EQ_INT(got, 5);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.instructions, 5);
  close_run(&r);
}

static void test_cost_table(void) {
  static uint64_t table[MW_COST_TABLE_SIZE];
  for (size_t i = 0; i < MW_COST_TABLE_SIZE; i++) table[i] = 1;
  int add = mw_instruction_index("i32.add");
  CHECK(add >= 0);
  CHECK_STR(mw_instruction_name(add), "i32.add");
  CHECK(mw_instruction_index("no.such") == -1);
  CHECK(mw_instruction_name(-1) == NULL && mw_instruction_name(MW_COST_TABLE_SIZE) == NULL);
  table[add] = 10;
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.count_cost = true;
  cfg.cost_table = table;
  run r;
  if (!open_run(&r, &cfg)) return;
  table[add] = 1000; /* the module keeps its own copy */
  int32_t got = 0;
  mw_stats st;
  CHECK(call1(&r, "sum", 3, &got) == NULL);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.cost, 43 + 9 * 3);
  close_run(&r);
}

static void test_cost_limit(void) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.count_cost = true;
  cfg.cost_limit = 100;
  run r;
  if (!open_run(&r, &cfg)) return;
  int32_t got = 0;
  CHECK(call1(&r, "sum", 5, &got) == NULL); /* 67: within budget */
  mw_error *e = call1(&r, "sum", 5, &got);  /* 134 in all: over */
  CHECK(e && mw_error_kind_of(e) == MW_ERR_EXHAUSTION);
  if (e) CHECK_STR(mw_error_message(e), "cost limit exceeded");
  mw_error_free(e);
  /* The budget is the store's: resetting the counts restores it. */
  mw_store_reset_stats(r.store);
  CHECK(call1(&r, "sum", 5, &got) == NULL);
  CHECK_EQ_INT(got, 15);
  close_run(&r);
}

static void test_not_counting(void) {
  run r;
  if (!open_run(&r, NULL)) return;
  int32_t got = 0;
  mw_stats st;
  CHECK(call1(&r, "sum", 100, &got) == NULL);
  CHECK_EQ_INT(got, 5050);
  mw_store_stats(r.store, &st);
  CHECK_EQ_INT(st.instructions, 0);
  close_run(&r);
}

int main(void) {
  RUN(test_counts_instructions);
  RUN(test_cost_table);
  RUN(test_cost_limit);
  RUN(test_not_counting);
  return harness_summary();
}
