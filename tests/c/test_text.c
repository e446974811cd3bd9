/*
 * test_text.c -- the text-format stage (src/text): exact encodings, numeric
 * literals (rounding, ranges, NaN payloads), error messages with their
 * positions, the script reader's event stream, and robustness against
 * mutated input (run under SANITIZE=1 for that to mean much).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "moonwasm.h"
#include "text.h"
#include "wast.h"

/* Encode `text`; returns the length, or -1 with the message in msg. */
static long wat(const char *text, unsigned char *out, size_t cap, char *msg, size_t msgcap) {
  unsigned char *bytes;
  size_t len;
  mw_error *e = mw_wat_to_wasm(text, strlen(text), MW_FEATURES_DEFAULT, &bytes, &len);
  if (e) {
    snprintf(msg, msgcap, "%s: %s", mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
    mw_error_free(e);
    return -1;
  }
  if (len > cap) len = cap;
  memcpy(out, bytes, len);
  mw_wat_free(bytes);
  msg[0] = 0;
  return (long)len;
}

static const char *wat_error(const char *text) {
  static char msg[400];
  unsigned char buf[4096];
  if (wat(text, buf, sizeof buf, msg, sizeof msg) >= 0) return "(no error)";
  return msg;
}

static bool same_bytes(const char *text, const unsigned char *want, size_t n) {
  unsigned char buf[4096];
  char msg[400];
  long len = wat(text, buf, sizeof buf, msg, sizeof msg);
  if (len < 0) {
    printf("  %s\n", msg);
    return false;
  }
  if ((size_t)len != n || memcmp(buf, want, n) != 0) {
    printf("  got:");
    for (long i = 0; i < len; i++) printf(" %02x", buf[i]);
    printf("\n");
    return false;
  }
  return true;
}

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

static void test_empty_module(void) {
  static const unsigned char want[] = {HDR};
  CHECK(same_bytes("(module)", want, sizeof want));
  CHECK(same_bytes("", want, sizeof want));
  CHECK(same_bytes("(module $m (; comment (; nested ;) ;) ;; line\n)", want, sizeof want));
  CHECK(same_bytes("(module (@custom \"x\" (nested ( )) \"s\"))", want, sizeof want));
}

static void test_function(void) {
  /* type [] -> [i32]; func 0; export "f"; body: i32.const 42 */
  static const unsigned char want[] = {
    HDR,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,
    0x03, 0x02, 0x01, 0x00,
    0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,
    0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B};
  CHECK(same_bytes("(module (func (export \"f\") (result i32) (i32.const 42)))", want, sizeof want));
  CHECK(same_bytes("(func $f (result i32) i32.const 0x2a) (export \"f\" (func $f))", want,
                   sizeof want));
  CHECK(same_bytes("(type (func (result i32))) (func (export \"f\") (type 0) i32.const 4_2)", want,
                   sizeof want));
}

static void test_folded_and_labels(void) {
  /* (if (local.get 0) (then (br $l))) inside block $l; locals grouped */
  static const unsigned char want[] = {
    HDR,
    0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x0A, 0x12, 0x01, 0x10, 0x02, 0x02, 0x7E, 0x01, 0x7F,
    0x02, 0x40, 0x20, 0x00, 0x04, 0x40, 0x0C, 0x01, 0x0B, 0x0B, 0x0B};
  CHECK(same_bytes("(func (param $x i32) (local i64 i64) (local $y i32)"
                   " (block $l (if (local.get $x) (then (br $l))))) ",
                   want, sizeof want));
  CHECK(same_bytes("(func (param $x i32) (local i64) (local i64 i32)"
                   " block $l local.get 0 if br 1 end end $l)",
                   want, sizeof want));
}

static void test_inline_import_export(void) {
  static const unsigned char want[] = {
    HDR,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'n', 0x00, 0x00,
    0x07, 0x05, 0x01, 0x01, 'e', 0x00, 0x00};
  CHECK(same_bytes("(func (export \"e\") (import \"m\" \"n\"))", want, sizeof want));
}

static void test_memory_data_and_memarg(void) {
  /* (memory (data "ab")): one page min and max, active segment at 0 */
  static const unsigned char want[] = {
    HDR,
    0x05, 0x04, 0x01, 0x01, 0x01, 0x01,
    0x0B, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 'a', 'b'};
  CHECK(same_bytes("(memory (data \"a\" \"\\62\"))", want, sizeof want));
  static const unsigned char want2[] = {
    HDR,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x0A, 0x0B, 0x01, 0x09, 0x00, 0x41, 0x00, 0x28, 0x01, 0x10, 0x1A, 0x0B, 0x0B};
  /* note: the code byte count above holds the drop (0x1A) before end */
  (void)want2;
  unsigned char buf[256];
  char msg[400];
  long n = wat("(memory 1) (func (drop (i32.load offset=16 align=2 (i32.const 0))))", buf,
               sizeof buf, msg, sizeof msg);
  CHECK(n > 0);
  /* ... 0x28 align=1 (log2 2) offset=16 ... */
  bool found = false;
  for (long i = 0; i + 2 < n; i++)
    if (buf[i] == 0x28 && buf[i + 1] == 0x01 && buf[i + 2] == 0x10) found = true;
  CHECK(found);
}

static void test_integers(void) {
  uint64_t v;
  CHECK(mwt_parse_int("4294967295", 10, true, 32, true, &v) && v == 0xFFFFFFFFu);
  CHECK(!mwt_parse_int("4294967296", 10, true, 32, true, &v));
  CHECK(mwt_parse_int("-2147483648", 11, true, 32, true, &v) && v == 0x80000000u);
  CHECK(!mwt_parse_int("-2147483649", 11, true, 32, true, &v));
  CHECK(mwt_parse_int("0xffff_ffff_ffff_ffff", 21, true, 64, true, &v) && v == UINT64_MAX);
  CHECK(!mwt_parse_int("0x1_0000_0000_0000_0000", 23, true, 64, true, &v));
  CHECK(mwt_parse_int("-9223372036854775808", 20, true, 64, true, &v) &&
        v == UINT64_C(0x8000000000000000));
  CHECK(mwt_parse_int("1_000", 5, false, 32, false, &v) && v == 1000);
  CHECK(!mwt_parse_int("-1", 2, false, 32, false, &v));
}

static uint32_t f32(const char *s) {
  uint32_t b = 0xDEADBEEF;
  if (!mwt_parse_f32(s, strlen(s), &b)) return 0xDEADBEEF;
  return b;
}

static uint64_t f64(const char *s) {
  uint64_t b = 0xDEADBEEF;
  if (!mwt_parse_f64(s, strlen(s), &b)) return 0xDEADBEEF;
  return b;
}

static void test_floats(void) {
  CHECK_EQ_INT(f32("0x1p-149"), 0x00000001);
  CHECK_EQ_INT(f32("0x1.fffffep127"), 0x7F7FFFFF);
  CHECK_EQ_INT(f32("0x1.ffffffp127"), 0xDEADBEEF);       /* rounds to inf: out of range */
  CHECK_EQ_INT(f32("0x1.fffffefffffp127"), 0x7F7FFFFF);  /* just below the halfway point */
  CHECK_EQ_INT(f32("0x1.000001p0"), 0x3F800000);         /* tie: to even */
  CHECK_EQ_INT(f32("0x1.000003p0"), 0x3F800002);         /* tie: to even, upwards */
  CHECK_EQ_INT(f32("0x1.0000010001p0"), 0x3F800001);     /* above the tie */
  CHECK_EQ_INT(f32("16777217"), 0x4B800000);             /* decimal tie to even */
  CHECK_EQ_INT(f32("1e39"), 0xDEADBEEF);
  CHECK_EQ_INT(f32("1_0.5e0_0"), 0x41280000);
  CHECK_EQ_INT(f32("-0"), 0x80000000);
  CHECK_EQ_INT(f32("inf"), 0x7F800000);
  CHECK_EQ_INT(f32("-inf"), 0xFF800000);
  CHECK_EQ_INT(f32("nan"), 0x7FC00000);
  CHECK_EQ_INT(f32("-nan"), 0xFFC00000);
  CHECK_EQ_INT(f32("nan:0x200000"), 0x7FA00000);
  CHECK_EQ_INT(f32("nan:0x1"), 0x7F800001);
  CHECK_EQ_INT(f32("nan:0x0"), 0xDEADBEEF);
  CHECK_EQ_INT(f32("nan:0x800000"), 0xDEADBEEF);
  CHECK(f64("0x1p-1074") == 1);
  CHECK(f64("1.7976931348623157e308") == UINT64_C(0x7FEFFFFFFFFFFFFF));
  CHECK(f64("1.7976931348623159e308") == 0xDEADBEEF);
  CHECK(f64("0x1.fffffffffffff8p1023") == 0xDEADBEEF);
  CHECK(f64("nan:0xfffffffffffff") == UINT64_C(0x7FFFFFFFFFFFFFFF));
  CHECK(f64("-0x0.8p-1022") == UINT64_C(0x8008000000000000));
}

static void test_errors(void) {
  CHECK_STR(wat_error("(module (func (i32.add2)))"), "malformed: unknown operator i32.add2 at 1:16");
  CHECK_STR(wat_error("(module (func (br $nope)))"), "malformed: unknown label $nope at 1:19");
  CHECK_STR(wat_error("(func $f) (func $f)"), "malformed: duplicate func $f at 1:17");
  CHECK_STR(wat_error("(module\n  (func"), "malformed: unexpected end of input at 2:8");
  CHECK_STR(wat_error("(memory \"x)"), "malformed: unclosed string literal at 1:9");
  CHECK_STR(wat_error("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))"),
            "malformed: alignment must be a power of two at 1:34");
  CHECK_STR(wat_error("(func (i32.const 4294967296) drop)"),
            "malformed: constant out of range at 1:18");
  /* Limits are u64 with memory64 (on by default); test_wasm3.c checks the
   * Wasm 2.0 message. */
  CHECK_STR(wat_error("(memory 0x1_0000_0000_0000_0000)"),
            "malformed: i64 constant out of range at 1:9");
  CHECK_STR(wat_error("(func) (import \"m\" \"n\" (func))"),
            "malformed: import after function at 1:8");
  CHECK_STR(wat_error("(func (export \"\\ff\"))"), "malformed: malformed UTF-8 encoding at 1:15");
  CHECK_STR(wat_error("(type $t (func)) (func (type $t) (param i32))"),
            "malformed: inline function type does not match explicit type at 1:24");
  CHECK_STR(wat_error("(func block $a end $b)"), "malformed: mismatching label at 1:20");
  CHECK_STR(wat_error("(start 0) (start 0) (func)"), "malformed: multiple start sections at 1:11");
  CHECK_STR(wat_error("(func (local.get $x))"), "malformed: unknown local $x at 1:18");
  CHECK_STR(wat_error("(func \x01)"), "malformed: misplaced control character at 1:7");
  CHECK_STR(wat_error("(func \xff)"), "malformed: malformed UTF-8 encoding at 1:7");
  CHECK_STR(wat_error("(func (; x"), "malformed: unclosed comment at 1:7");
  CHECK_STR(wat_error("(func (v128.const i32x4 1 2 3))"),
            "malformed: wrong number of lane literals at 1:30");
}

/* Deep nesting is an error, not a C stack overflow. */
static void test_deep_nesting(void) {
  size_t depth = 200000;
  char *text = malloc(depth * 8 + 64);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "(func ");
  for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(text + n, "(block ");
  for (size_t i = 0; i <= depth; i++) text[n++] = ')';
  text[n] = 0;
  CHECK_STR(wat_error(text), "malformed: nesting too deep at 1:14007");
  n = (size_t)sprintf(text, "(func ");
  for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(text + n, "block ");
  text[n++] = ')';
  text[n] = 0;
  CHECK(strncmp(wat_error(text), "malformed: nesting too deep", 27) == 0);
  /* within the limit, fine */
  n = (size_t)sprintf(text, "(func ");
  for (size_t i = 0; i < 1000; i++) n += (size_t)sprintf(text + n, "(block ");
  for (size_t i = 0; i < 1001; i++) text[n++] = ')';
  text[n] = 0;
  CHECK_STR(wat_error(text), "(no error)");
  free(text);
}

static void test_api_misuse(void) {
  unsigned char *out = (unsigned char *)1;
  size_t n = 7;
  mw_error *e = mw_wat_to_wasm(NULL, 0, 0, &out, &n);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  CHECK(out == NULL && n == 0);
  mw_error_free(e);
  e = mw_wat_to_wasm("(module)", 8, 0, NULL, &n);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);
  mw_wat_free(NULL);
}

/* Everything encoded decodes and validates: a module using much of the
 * syntax (the decoder is the judge of the bytes). */
static void test_decodes(void) {
  const char *text =
      "(module $m\n"
      "  (type $bin (func (param i32 i32) (result i32)))\n"
      "  (import \"env\" \"g\" (global $g (mut i32)))\n"
      "  (table $t 2 funcref) (memory $mem 1 2)\n"
      "  (global $h i64 (i64.const -1))\n"
      "  (elem (table $t) (i32.const 0) func $add $sub)\n"
      "  (elem $passive funcref (ref.func $add) (item ref.null func))\n"
      "  (data $d \"hello\")\n"
      "  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))\n"
      "  (func $sub (type $bin) local.get 0 local.get 1 i32.sub)\n"
      "  (func (export \"run\") (param $x i32) (result i32) (local $i i32)\n"
      "    (loop $top (br_if $top (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))\n"
      "                                     (i32.const 10))))\n"
      "    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 5)) (data.drop $d)\n"
      "    (table.init $t $passive (i32.const 0) (i32.const 0) (i32.const 1))\n"
      "    (select (result i32) (local.get $x) (i32.const 2) (i32.const 1))\n"
      "    (call_indirect $t (type $bin) (local.get $i) (local.get $i) (i32.const 1))\n"
      "    (i32.add) (f64.const 0x1.8p1) (drop)\n"
      "    (block (result i32) (br_table 0 0 (i32.const 7) (i32.const 0))) (drop)\n"
      "    (global.set $g (i32.wrap_i64 (global.get $h)))))\n";
  unsigned char *bytes;
  size_t len;
  mw_error *e = mw_wat_to_wasm(text, strlen(text), MW_FEATURES_DEFAULT, &bytes, &len);
  if (e) printf("  %s\n", mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  if (!bytes) return;
  mw_module *m = NULL;
  e = mw_module_decode(NULL, bytes, len, &m);
  if (e) printf("  decode: %s\n", mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  if (m) {
    e = mw_module_validate(m);
    if (e) printf("  validate: %s\n", mw_error_message(e));
    CHECK(e == NULL);
    mw_error_free(e);
    CHECK_EQ_INT(mw_module_export_count(m), 1);
    mw_module_release(m);
  }
  mw_wat_free(bytes);
}

static void test_wast_events(void) {
  const char *script =
      "(module $M (func (export \"f\") (result i32) (i32.const 1)))\n"
      "(assert_return (invoke $M \"f\") (i32.const 1))\n"
      "(assert_malformed (module quote \"(func\") \"unexpected end\")\n"
      "(assert_invalid (module (func (result i32))) \"type mismatch\")\n";
  mwt_buf ev;
  mw_error *e = mwt_wast_parse(script, strlen(script), MW_FEATURES_DEFAULT, &ev);
  CHECK(e == NULL);
  mw_error_free(e);
  CHECK(ev.n > 0 && ev.p[0] == 'L' && ev.p[ev.n - 1] == 'E');
  /* the keys of the commands appear in order */
  const char *want[] = {"module", "assert_return", "assert_malformed", "assert_invalid"};
  size_t at = 0;
  for (int i = 0; i < 4; i++) {
    size_t wl = strlen(want[i]);
    bool found = false;
    for (; at + wl <= ev.n; at++)
      if (memcmp(ev.p + at, want[i], wl) == 0) { found = true; break; }
    CHECK(found);
  }
  mwt_buf_free(&ev);
  e = mwt_wast_parse("(assert_return (invoke \"f\")", 27, 0, &ev);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_MALFORMED);
  CHECK(ev.p == NULL);
  mw_error_free(e);
}

/* Mutated inputs: never a crash, always a result or an error. */
static void test_mutations(void) {
  const char *seed =
      "(module (type $t (func (param i32) (result i32)))"
      " (func $f (export \"f\") (type $t) (block $b (result i32) (br_if $b (i32.const 1)"
      " (local.get 0)) (i32.const 2) (i32.add)) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11"
      " 12 13 14 15 16) (drop))"
      " (memory 1) (data (i32.const 0) \"\\00\\u{1F600}\") (table 1 funcref)"
      " (elem (i32.const 0) $f) (global $g (mut f64) (f64.const -0x1.8p3)))";
  size_t n = strlen(seed);
  char *buf = malloc(n + 8);
  uint32_t rng = 12345;
  const char alphabet[] = "()$\"; \\0x1.p-+_nan:inf@ablocendi32";
  int ok = 0, errs = 0;
  for (int iter = 0; iter < 20000; iter++) {
    memcpy(buf, seed, n + 1);
    int edits = 1 + iter % 4;
    size_t len = n;
    for (int k = 0; k < edits; k++) {
      rng = rng * 1103515245u + 12345u;
      if (len == 0) break;
      size_t pos = (rng >> 8) % len;
      rng = rng * 1103515245u + 12345u;
      switch ((rng >> 16) % 3) {
      case 0: buf[pos] = alphabet[(rng >> 4) % (sizeof alphabet - 1)]; break;
      case 1: len = pos; break;                        /* truncate */
      default: buf[pos] = (char)(rng >> 3); break;     /* any byte */
      }
    }
    unsigned char *out;
    size_t olen;
    mw_error *e = mw_wat_to_wasm(buf, len, MW_FEATURES_DEFAULT, &out, &olen);
    if (e) {
      errs++;
      mw_error_free(e);
    } else {
      ok++;
      mw_wat_free(out);
    }
  }
  free(buf);
  CHECK_EQ_INT(ok + errs, 20000);
  CHECK(errs > 0);
}

int main(void) {
  RUN(test_empty_module);
  RUN(test_function);
  RUN(test_folded_and_labels);
  RUN(test_inline_import_export);
  RUN(test_memory_data_and_memarg);
  RUN(test_integers);
  RUN(test_floats);
  RUN(test_errors);
  RUN(test_deep_nesting);
  RUN(test_api_misuse);
  RUN(test_decodes);
  RUN(test_wast_events);
  RUN(test_mutations);
  return harness_summary();
}
