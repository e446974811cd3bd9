/*
 * test_calls.c -- raw calls (moonwasm.h, mw_func_call_raw and
 * mw_func_new_raw): values in frame layout both ways, errors from raw
 * host functions, raw host functions in fibers and in tail calls.
 */
#include <math.h>

#include "harness.h"
#include "moonwasm.h"

static const char WAT[] =
    "(module\n"
    "  (import \"env\" \"h\" (func $h (param i32 i64 f32 f64) (result f64 i32)))\n"
    "  (func (export \"mix\") (param i32 i64 f32 f64) (result f64 f32 i64 i32)\n"
    "    local.get 3 local.get 2 local.get 1 local.get 0)\n"
    "  (func (export \"call_h\") (param i32 i64 f32 f64) (result f64 i32)\n"
    "    (call $h (local.get 0) (local.get 1) (local.get 2) (local.get 3)))\n"
    "  (func (export \"tail_h\") (param i32 i64 f32 f64) (result f64 i32)\n"
    "    (return_call $h (local.get 0) (local.get 1) (local.get 2) (local.get 3)))\n"
    "  (func (export \"swap\") (param v128 i32) (result i32 v128)\n"
    "    local.get 1 local.get 0)\n"
    "  (func (export \"div\") (param i32 i32) (result i32)\n"
    "    (i32.div_s (local.get 0) (local.get 1))))\n";

typedef struct state {
  int calls;
  bool fail;    /* h returns an error */
  bool suspend; /* h suspends its fiber when it can */
} state;

/* f64 = a + b + c + d, i32 = a * 2 */
static mw_error *h(mw_caller *c, mw_raw *io, void *ud) {
  state *st = (state *)ud;
  st->calls++;
  if (st->fail) return mw_error_new(MW_ERR_HOST, "raw host failed");
  if (st->suspend && mw_caller_can_suspend(c)) return mw_caller_suspend(c);
  double sum = (double)io[0].i32 + (double)io[1].i64 + io[2].f32 + io[3].f64;
  int32_t twice = io[0].i32 * 2;
  io[0].f64 = sum;
  io[1].u64 = (uint32_t)twice;
  return NULL;
}

typedef struct fixture {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
  mw_func *h;
  state st;
} fixture;

static int open_fixture(fixture *fx) {
  memset(fx, 0, sizeof *fx);
  unsigned char *bytes = NULL;
  size_t len = 0;
  mw_error *e = mw_wat_to_wasm(WAT, sizeof WAT - 1, 0, &bytes, &len);
  if (!CHECK(e == NULL)) {
    mw_error_free(e);
    return 0;
  }
  e = mw_module_decode(NULL, bytes, len, &fx->mod);
  mw_wat_free(bytes);
  mw_valtype p[] = {MW_I32, MW_I64, MW_F32, MW_F64}, r[] = {MW_F64, MW_I32};
  mw_functype *t = mw_functype_new(NULL, p, 4, r, 2);
  fx->h = mw_func_new_raw(NULL, t, h, &fx->st, NULL);
  mw_functype_free(t);
  fx->store = mw_store_new(NULL);
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = fx->h};
  if (!e) e = mw_instantiate_with(fx->store, fx->mod, &imp, 1, &fx->inst);
  if (!CHECK(e == NULL)) {
    mw_error_free(e);
    return 0;
  }
  return 1;
}

static void close_fixture(fixture *fx) {
  mw_store_free(fx->store);
  mw_module_release(fx->mod);
  mw_func_free(fx->h);
}

static mw_func *export(fixture *fx, const char *name) {
  mw_extern ext;
  if (!mw_instance_export(fx->inst, name, strlen(name), &ext)) return NULL;
  return ext.of.func;
}

static void test_raw_call_wasm(void) {
  fixture fx;
  if (!open_fixture(&fx)) return;
  mw_raw io[4];
  io[0].u64 = 0xFFFFFFFFu; /* i32 -1 */
  io[1].i64 = INT64_MIN;
  io[2].u64 = 0;
  io[2].f32 = 1.5f;
  io[3].f64 = -2.25;
  mw_error *e = mw_func_call_raw(fx.store, export(&fx, "mix"), io);
  CHECK(e == NULL);
  CHECK(io[0].f64 == -2.25);
  CHECK(io[1].f32 == 1.5f);
  CHECK_EQ_INT(io[2].i64, INT64_MIN);
  CHECK_EQ_INT(io[3].i32, -1);
  /* a v128 takes two slots, in memory order */
  mw_raw v[3];
  v[0].u64 = 0x0706050403020100u;
  v[1].u64 = 0x0f0e0d0c0b0a0908u;
  v[2].u64 = 77;
  CHECK(mw_func_call_raw(fx.store, export(&fx, "swap"), v) == NULL);
  CHECK_EQ_INT(v[0].i32, 77);
  CHECK(v[1].u64 == 0x0706050403020100u && v[2].u64 == 0x0f0e0d0c0b0a0908u);
  /* traps are the usual errors, and the store runs on */
  mw_raw d[2] = {{.i32 = 1}, {.i32 = 0}};
  e = mw_func_call_raw(fx.store, export(&fx, "div"), d);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP);
  if (e) CHECK_STR(mw_error_message(e), "integer divide by zero");
  mw_error_free(e);
  d[0].i32 = -7;
  d[1].i32 = 2;
  CHECK(mw_func_call_raw(fx.store, export(&fx, "div"), d) == NULL);
  CHECK_EQ_INT(d[0].i32, -3);
  e = mw_func_call_raw(NULL, export(&fx, "div"), d); /* no store */
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);
  close_fixture(&fx);
}

static void test_raw_host(void) {
  fixture fx;
  if (!open_fixture(&fx)) return;
  /* wasm -> raw host, entered through the typed call */
  mw_val args[] = {mw_val_i32(3), mw_val_i64(4), mw_val_f32(0.5f), mw_val_f64(0.25)};
  mw_val res[2];
  mw_error *e = mw_func_call(fx.store, export(&fx, "call_h"), args, 4, res, 2);
  CHECK(e == NULL);
  CHECK(res[0].type == MW_F64 && mw_val_as_f64(res[0]) == 7.75);
  CHECK(res[1].type == MW_I32 && res[1].of.i32 == 6);
  /* through a tail call, and the host called straight from C */
  e = mw_func_call(fx.store, export(&fx, "tail_h"), args, 4, res, 2);
  CHECK(e == NULL && res[1].of.i32 == 6);
  e = mw_func_call(fx.store, fx.h, args, 4, res, 2);
  CHECK(e == NULL && mw_val_as_f64(res[0]) == 7.75);
  mw_raw io[4] = {{.u64 = 5}, {.i64 = 1}, {.u64 = 0}, {.f64 = 1}};
  CHECK(mw_func_call_raw(fx.store, fx.h, io) == NULL);
  CHECK(io[0].f64 == 7.0 && io[1].i32 == 10);
  CHECK_EQ_INT(fx.st.calls, 4);
  /* its error reaches the caller unchanged, with the wasm frames */
  fx.st.fail = true;
  e = mw_func_call(fx.store, export(&fx, "call_h"), args, 4, res, 2);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST);
  if (e) {
    CHECK_STR(mw_error_message(e), "raw host failed");
    CHECK(mw_error_frame_count(e) >= 1);
  }
  mw_error_free(e);
  close_fixture(&fx);
}

static void test_raw_host_fiber(void) {
  fixture fx;
  if (!open_fixture(&fx)) return;
  fx.st.suspend = true;
  mw_fiber *fb = mw_fiber_new(fx.store);
  mw_val args[] = {mw_val_i32(-2), mw_val_i64(10), mw_val_f32(0.5f), mw_val_f64(1)};
  mw_error *e = NULL;
  mw_fiber_status s = mw_fiber_call(fb, export(&fx, "call_h"), args, 4, &e);
  CHECK_EQ_INT(s, MW_FIBER_HOST_CALL);
  CHECK(mw_fiber_host_func(fb) == fx.h);
  mw_val got[4];
  CHECK_EQ_INT(mw_fiber_host_args(fb, got, 4), 4);
  CHECK(got[0].type == MW_I32 && got[0].of.i32 == -2);
  CHECK(got[1].type == MW_I64 && got[1].of.i64 == 10);
  CHECK(got[2].type == MW_F32 && mw_val_as_f32(got[2]) == 0.5f);
  mw_val back[] = {mw_val_f64(42.5), mw_val_i32(9)};
  s = mw_fiber_resume(fb, back, 2, &e);
  CHECK_EQ_INT(s, MW_FIBER_DONE);
  mw_val res[2];
  CHECK_EQ_INT(mw_fiber_results(fb, res, 2), 2);
  CHECK(mw_val_as_f64(res[0]) == 42.5 && res[1].of.i32 == 9);
  mw_fiber_free(fb);
  close_fixture(&fx);
}

int main(void) {
  RUN(test_raw_call_wasm);
  RUN(test_raw_host);
  RUN(test_raw_host_fiber);
  return harness_summary();
}
