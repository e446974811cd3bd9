/*
 * test_lean.c -- the lean validator (validate_fast.c) on what it covers:
 * every SIMD instruction (lanes, shuffles, lane loads and stores, the
 * three-operand ones), the table instructions, elem.drop, memory.init,
 * data.drop, ref.null, ref.is_null and ref.func.  A valid body of those is judged
 * at load without compiling (its function is left a stub) and, compiled
 * on its first call, computes what the spec says; an invalid one is
 * rejected at load with the spec's message, as in eager mode.
 */
#include <stdlib.h>

#include "harness.h"
#include "internal.h"

static mw_error *load_wat(const char *wat, const mw_config *cfg, mw_module **out) {
  unsigned char *bin = NULL;
  size_t n = 0;
  *out = NULL;
  mw_error *e = mw_wat_to_wasm(wat, strlen(wat), MW_FEATURES_DEFAULT, &bin, &n);
  if (e) return e;
  e = mw_module_decode(cfg, bin, n, out);
  mw_wat_free(bin);
  if (!e) e = mw_module_validate(*out);
  if (e) {
    mw_module_release(*out);
    *out = NULL;
  }
  return e;
}

/* Left for its first call: judged by the lean validator. */
static bool is_stub(const mw_module *m, uint32_t di) {
  return m->compiled && mwl_is_stub(&m->compiled[di]) &&
         (!m->lazy || atomic_load(&m->lazy[di]) == NULL);
}

/* ---------------------------------------------------------------- valid bodies */

/* Each function takes no argument and returns an i64 the spec fixes. */
static const char *const VALID =
    "(module\n"
    "  (memory 1)\n"
    "  (data $d \"\\01\\02\\03\\04\\05\\06\\07\\08\")\n"
    "  (table $t 4 funcref)\n"
    "  (table $x 2 externref)\n"
    "  (elem $e func $shuffle $lanes)\n"
    "  (func $shuffle (export \"shuffle\") (result i64)\n"
    "    (i64x2.extract_lane 0\n"
    "      (i8x16.shuffle 16 0 17 1 18 2 19 3 31 15 30 14 29 13 28 12\n"
    "        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)\n"
    "        (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))))\n"
    "  (func $lanes (export \"lanes\") (result i64) (local v128)\n"
    "    (local.set 0 (i32x4.replace_lane 3 (i32x4.splat (i32.const 5)) (i32.const -9)))\n"
    "    (local.set 0 (i8x16.replace_lane 15 (local.get 0) (i32.const 0x7f)))\n"
    "    (local.set 0 (i16x8.replace_lane 1 (local.get 0) (i32.const 0x1234)))\n"
    "    (i64.add\n"
    "      (i64.add (i64.extend_i32_s (i32x4.extract_lane 2 (local.get 0)))\n"
    "               (i64.extend_i32_s (i8x16.extract_lane_s 15 (local.get 0))))\n"
    "      (i64.add (i64.extend_i32_u (i16x8.extract_lane_u 1 (local.get 0)))\n"
    "               (i64.extend_i32_s (i8x16.extract_lane_s 12 (local.get 0))))))\n"
    "  (func (export \"floats\") (result i64)\n"
    "    (i64.add\n"
    "      (i64.trunc_f64_s (f64x2.extract_lane 1\n"
    "        (f64x2.replace_lane 1 (f64x2.splat (f64.const 1.5)) (f64.const 40.25))))\n"
    "      (i64.trunc_f32_s (f32x4.extract_lane 3\n"
    "        (f32x4.replace_lane 3 (f32x4.splat (f32.const 0)) (f32.const 2.75))))))\n"
    "  (func (export \"wide\") (result i64)\n"
    "    (i64x2.extract_lane 1 (i64x2.replace_lane 1 (i64x2.splat (i64.const 1))\n"
    "                                              (i64.const 0x123456789))))\n"
    "  (func (export \"mem_lanes\") (result i64) (local v128)\n"
    "    (i64.store (i32.const 0) (i64.const 0x0807060504030201))\n"
    "    (i64.store (i32.const 8) (i64.const 0x100f0e0d0c0b0a09))\n"
    "    (local.set 0 (v128.load8_lane 3 (i32.const 2) (v128.const i64x2 0 0)))\n"
    "    (local.set 0 (v128.load16_lane 2 (i32.const 4) (local.get 0)))\n"
    "    (local.set 0 (v128.load32_lane offset=8 2 (i32.const 0) (local.get 0)))\n"
    "    (v128.store8_lane 3 (i32.const 100) (local.get 0))\n"
    "    (v128.store16_lane 2 (i32.const 102) (local.get 0))\n"
    "    (v128.store32_lane 2 (i32.const 104) (local.get 0))\n"
    "    (v128.store64_lane 1 (i32.const 112) (local.get 0))\n"
    "    (i64.add (i64x2.extract_lane 0 (local.get 0))\n"
    "      (i64.add (i64.load (i32.const 100)) (i64.load (i32.const 112)))))\n"
    "  (func (export \"load64\") (result i64)\n"
    "    (i64.store (i32.const 8) (i64.const 0x100f0e0d0c0b0a09))\n"
    "    (i64x2.extract_lane 1 (v128.load64_lane 1 (i32.const 8) (v128.const i64x2 0 0))))\n"
    "  (func (export \"select3\") (result i64)\n"
    "    (i64.add\n"
    "      (i64x2.extract_lane 0 (v128.bitselect (v128.const i64x2 0x1111 0)\n"
    "        (v128.const i64x2 0x2222 0) (v128.const i64x2 0xff00 0)))\n"
    "      (i64.trunc_f64_s (f64x2.extract_lane 0 (f64x2.relaxed_madd\n"
    "        (f64x2.splat (f64.const 2)) (f64x2.splat (f64.const 3))\n"
    "        (f64x2.splat (f64.const 4)))))))\n"
    "  (func (export \"tables\") (result i64)\n"
    "    (table.set $t (i32.const 3) (table.get $t (i32.const 0)))\n"
    "    (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 2))\n"
    "    (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))\n"
    "    (elem.drop $e)\n"
    "    (table.fill $x (i32.const 0) (ref.null extern) (i32.const 2))\n"
    "    (i64.add\n"
    "      (i64.extend_i32_u (i32.add (table.size $t)\n"
    "        (i32.mul (i32.const 10) (table.grow $t (ref.null func) (i32.const 3)))))\n"
    "      (i64.extend_i32_u (i32.add\n"
    "        (i32.mul (i32.const 100) (ref.is_null (table.get $t (i32.const 3))))\n"
    "        (i32.mul (i32.const 1000) (ref.is_null (table.get $x (i32.const 1))))))))\n"
    "  (func (export \"call_copied\") (result i64)\n"
    "    (call_indirect (result i64) (i32.const 0)))\n"
    "  (func (export \"reffunc\") (result i64)\n"
    "    (table.set $t (i32.const 1) (ref.func $shuffle))\n"
    "    (i64.add (i64.extend_i32_u (ref.is_null (ref.func $lanes)))\n"
    "             (call_indirect (result i64) (i32.const 1))))\n"
    "  (func (export \"data\") (result i64)\n"
    "    (memory.init $d (i32.const 200) (i32.const 2) (i32.const 4))\n"
    "    (data.drop $d)\n"
    "    (i64.load (i32.const 200)))\n"
    ")\n";

static void test_valid_left_for_first_call(void) {
  static const struct {
    const char *name;
    int64_t want;
  } calls[] = {
      /* lanes 0-3 of the shuffle: 16 0 17 1 ... 3: bytes of the i64 */
      {"shuffle", 0x0313021201110010LL},
      /* 5 (lane 2) + 0x7f (lane 15, signed) + 0x1234 + byte 12 of -9 (0xf7) */
      {"lanes", 5 + 0x7f + 0x1234 - 9},
      {"floats", 40 + 2},
      {"wide", 0x123456789LL},
      /* (0x1111 & 0xff00) | (0x2222 & ~0xff00), then 2 * 3 + 4 */
      {"select3", 0x1122 + 10},
      /* lane 0: 00 00 00 03 05 06 00 00; bytes 100..107: 03 00 05 06 and
       * 09 0a 0b 0c (lane 2 of i32x4); bytes 112..119: lane 1 of i64x2 */
      {"mem_lanes", 0x0000060503000000LL + 0x0c0b0a0906050003LL + 0x0c0b0a09LL},
      {"load64", 0x100f0e0d0c0b0a09LL},
      /* table.size 4, grown by 3 from 4: 4 + 40; $t[3] = $t[0] is null in a
       * fresh table (100), $x[1] filled with null (1000) */
      {"tables", 4 + 40 + 100 + 1000},
      /* ref.func of functions the elem segment declares */
      {"reffunc", 0x0313021201110010LL},
  };
  mw_module *m = NULL;
  mw_error *e = load_wat(VALID, NULL, &m);
  CHECK(e == NULL && m != NULL);
  if (e) printf("  %s\n", mw_error_message(e));
  mw_error_free(e);
  if (!m) return;
  uint32_t n = m->nfuncs - m->nfunc_imports;
  for (uint32_t i = 0; i < n; i++)
    if (!is_stub(m, i)) CHECK_EQ_INT(i, -1); /* every body judged lean */
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  e = mw_instantiate(s, m, &inst);
  CHECK(e == NULL);
  mw_error_free(e);
  for (size_t i = 0; inst && i < sizeof calls / sizeof calls[0]; i++) {
    mw_extern x;
    mw_val r;
    CHECK(mw_instance_export(inst, calls[i].name, strlen(calls[i].name), &x));
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e == NULL);
    if (e) printf("  %s: %s\n", calls[i].name, mw_error_message(e));
    else if (r.of.i64 != calls[i].want) CHECK_EQ_INT(r.of.i64, calls[i].want);
    mw_error_free(e);
  }
  if (inst) {
    mw_extern x;
    mw_val r;
    /* memory.init copies bytes 2..5 of $d to 200 */
    CHECK(mw_instance_export(inst, "data", 4, &x));
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e == NULL && r.of.i64 == 0x06050403LL);
    mw_error_free(e);
    /* the data segment is dropped: again, out of bounds */
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_TRAP);
    if (e) CHECK_STR(mw_error_message(e), "out of bounds memory access");
    mw_error_free(e);
    /* tables ran: $t[0] is now $shuffle (init at 1 = $shuffle, copied to 0) */
    CHECK(mw_instance_export(inst, "call_copied", 11, &x));
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e == NULL && r.of.i64 == 0x0313021201110010LL);
    mw_error_free(e);
  }
  mw_store_free(s);
  mw_module_release(m);
}

/* ---------------------------------------------------------------- invalid bodies */

/* Rejected at load with the spec's message, lean or eager. */
static void test_invalid_rejected(void) {
  static const char *const bad[][2] = {
      {"(func (drop (i8x16.extract_lane_s 16 (v128.const i64x2 0 0))))", "invalid lane index"},
      {"(func (drop (i16x8.extract_lane_u 8 (v128.const i64x2 0 0))))", "invalid lane index"},
      {"(func (drop (i32x4.replace_lane 4 (v128.const i64x2 0 0) (i32.const 0))))",
       "invalid lane index"},
      {"(func (drop (f64x2.extract_lane 2 (v128.const i64x2 0 0))))", "invalid lane index"},
      {"(func (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32"
       " (v128.const i64x2 0 0) (v128.const i64x2 0 0))))",
       "invalid lane index"},
      {"(memory 1) (func (drop (v128.load16_lane 8 (i32.const 0) (v128.const i64x2 0 0))))",
       "invalid lane index"},
      {"(memory 1) (func (v128.store64_lane 2 (i32.const 0) (v128.const i64x2 0 0)))",
       "invalid lane index"},
      {"(memory 1) (func (drop (v128.load32_lane align=8 0 (i32.const 0)"
       " (v128.const i64x2 0 0))))",
       "alignment must not be larger than natural"},
      {"(func (drop (v128.load8_lane 0 (i32.const 0) (v128.const i64x2 0 0))))",
       "unknown memory 0"},
      {"(func (drop (i32x4.extract_lane 0 (i32.const 0))))", "type mismatch"},
      {"(func (drop (i64x2.replace_lane 0 (v128.const i64x2 0 0) (i32.const 0))))",
       "type mismatch"},
      {"(func (drop (v128.bitselect (v128.const i64x2 0 0) (v128.const i64x2 0 0)"
       " (i32.const 0))))",
       "type mismatch"},
      {"(func (drop (table.get 0 (i32.const 0))))", "unknown table"},
      {"(table 1 funcref) (func (table.set 0 (i32.const 0) (ref.null extern)))",
       "type mismatch"},
      {"(table 1 externref) (func (drop (table.grow 0 (ref.null func) (i32.const 1))))",
       "type mismatch"},
      {"(table 1 funcref) (func (table.fill 0 (i32.const 0) (ref.null func) (i64.const 1)))",
       "type mismatch"},
      {"(table 1 funcref) (table 1 externref)"
       " (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0)))",
       "type mismatch"},
      {"(table 1 externref) (elem $e func 0)"
       " (func (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 0)))",
       "type mismatch"},
      {"(table 1 funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))",
       "unknown elem segment 0"},
      {"(func (elem.drop 0))", "unknown elem segment 0"},
      {"(memory 1) (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)))",
       "unknown data segment 0"},
      {"(func (data.drop 0))", "unknown data segment 0"},
      {"(memory 1) (data \"x\") (func (memory.init 0 (i32.const 0) (i64.const 0)"
       " (i32.const 0)))",
       "type mismatch"},
      {"(func (drop (ref.is_null (i32.const 0))))", "type mismatch"},
      {"(func $f (drop (ref.func $f)))", "undeclared function reference"},
      {"(func (drop (ref.func 7)))", "unknown function 7"},
      {"(func $f (export \"f\") (result externref) (ref.func $f))", "type mismatch"},
      {"(func (result i32) (ref.null func))", "type mismatch"},
      {"(func (result externref) (ref.null func))", "type mismatch"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char wat[1024];
    snprintf(wat, sizeof wat, "(module (func (export \"ok\") (result i32) (i32.const 1)) %s)",
             bad[i][0]);
    for (int eager = 0; eager < 2; eager++) {
      mw_config cfg;
      mw_config_default(&cfg);
      cfg.eager_compile = eager;
      mw_module *m = NULL;
      mw_error *e = load_wat(wat, &cfg, &m);
      CHECK(m == NULL && e != NULL);
      if (e && (mw_error_kind_of(e) != MW_ERR_INVALID ||
                strncmp(mw_error_message(e), bad[i][1], strlen(bad[i][1])) != 0)) {
        printf("  case %zu (%s):\n", i, eager ? "eager" : "lazy");
        CHECK_STR(mw_error_message(e), bad[i][1]);
      }
      mw_error_free(e);
      mw_module_release(m);
    }
  }
}

/* memory.init and data.drop in a body the lean validator judged still need
 * the data count section (a decoding rule), as when the decoder scans it. */
static void test_data_count_required(void) {
  /* (memory 1) (func (data.drop 0)) (data "") without a data count section */
  static const unsigned char bin[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,       /* type () -> () */
      0x03, 0x02, 0x01, 0x00,                   /* func 0 */
      0x05, 0x03, 0x01, 0x00, 0x01,             /* memory 1 */
      0x0a, 0x07, 0x01, 0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b, /* data.drop 0 */
      0x0b, 0x03, 0x01, 0x01, 0x00,             /* one passive data "" */
  };
  for (int eager = 0; eager < 2; eager++) {
    mw_config cfg;
    mw_config_default(&cfg);
    cfg.eager_compile = eager;
    mw_module *m = NULL;
    mw_error *e = mw_module_decode(&cfg, bin, sizeof bin, &m);
    CHECK(e && m == NULL && mw_error_kind_of(e) == MW_ERR_MALFORMED);
    if (e) CHECK_STR(mw_error_message(e), "data count section required");
    mw_error_free(e);
    mw_module_release(m);
  }
}

/* What the lean validator still leaves to compile.c (a GC instruction
 * here) is compiled at load; the rest of the module stays lazy. */
static void test_rest_compiled_at_load(void) {
  mw_module *m = NULL;
  mw_error *e = load_wat("(module (type $s (struct (field i32)))"
                         " (func (export \"g\") (result i32)"
                         "   (struct.get $s 0 (struct.new $s (i32.const 7))))"
                         " (func (export \"v\") (result i32)"
                         "   (i8x16.extract_lane_u 3 (v128.const i32x4 0x0a000000 0 0 0))))",
                         NULL, &m);
  CHECK(e == NULL && m != NULL);
  mw_error_free(e);
  if (!m) return;
  CHECK(!is_stub(m, 0) && m->compiled[0].code != NULL);
  CHECK(is_stub(m, 1));
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  e = mw_instantiate(s, m, &inst);
  mw_error_free(e);
  mw_extern x;
  mw_val r;
  if (inst && mw_instance_export(inst, "g", 1, &x)) {
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e == NULL && r.of.i32 == 7);
    mw_error_free(e);
  }
  if (inst && mw_instance_export(inst, "v", 1, &x)) {
    e = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(e == NULL && r.of.i32 == 10);
    mw_error_free(e);
  }
  mw_store_free(s);
  mw_module_release(m);
}

int main(void) {
  RUN(test_valid_left_for_first_call);
  RUN(test_invalid_rejected);
  RUN(test_data_count_required);
  RUN(test_rest_compiled_at_load);
  return harness_summary();
}
