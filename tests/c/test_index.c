/*
 * test_index.c -- loads and stores that compute their own address
 * (src/runtime/ir_index.h): which accesses compile.c gives the indexed
 * forms (and which it must leave alone), and what they read and write.
 * tests/lua/38_indexed_access_spec.lua covers every access kind and the
 * address edges; expected values here are worked out in the comments.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "wat_run.h"

static const char *const ARRAYS =
    "(module (memory 1)"
    /* 0: a[i] of an i32 array at base b: (i << 2) + b */
    " (func (export \"get\") (param $b i32) (param $i i32) (result i32)"
    "   (i32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))))"
    /* 1: the same into a static array at 256, offset 4 */
    " (func (export \"sget\") (param $i i32) (result i32)"
    "   (i32.load offset=4 (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 256))))"
    /* 2: p[i] of bytes, sign-extended */
    " (func (export \"byte\") (param $p i32) (param $i i32) (result i32)"
    "   (i32.load8_s (i32.add (local.get $p) (local.get $i))))"
    /* 3: a[i] = v */
    " (func (export \"put\") (param $b i32) (param $i i32) (param $v i32)"
    "   (i32.store (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $b)) (local.get $v)))"
    /* 4: f64 s[i] = v at static 512 */
    " (func (export \"fput\") (param $i i32) (param $v f64)"
    "   (f64.store (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 512)) (local.get $v)))"
    /* 5: p[i] = 9: a constant value keeps its immediate store (_KI) */
    " (func (export \"put9\") (param $p i32) (param $i i32)"
    "   (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.const 9)))"
    /* 6: the address used twice (a tee) is computed once, not taken back */
    " (func (export \"twice\") (param $p i32) (param $i i32) (result i32) (local $a i32)"
    "   (i32.add (i32.load8_u (local.tee $a (i32.add (local.get $p) (local.get $i))))"
    "            (local.get $a)))"
    /* 7: the value computed after the address: the store stays plain */
    " (func (export \"putsum\") (param $p i32) (param $i i32) (param $v i32)"
    "   (i32.store (i32.add (local.get $p) (local.get $i))"
    "              (i32.add (local.get $v) (local.get $v))))"
    ")";

static void test_forms(void) {
  run r;
  if (!open_wat(&r, ARRAYS)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_I32_LOAD_XS));
  CHECK(has_op(&r, 1, MW_OP_I32_LOAD_XK));
  CHECK(has_op(&r, 2, MW_OP_I32_LOAD8_S_X));
  CHECK(has_op(&r, 3, MW_OP_I32_STORE_XS));
  CHECK(has_op(&r, 4, MW_OP_F64_STORE_XK));
  CHECK(has_op(&r, 5, MW_OP_I32_STORE8_KI));
  CHECK(!has_op(&r, 5, MW_OP_I32_STORE8_X));
  CHECK(!has_op(&r, 6, MW_OP_I32_LOAD8_U_X));
  CHECK(!has_op(&r, 7, MW_OP_I32_STORE_X));
  close_run(&r);
}

static void test_values(void) {
  run r;
  if (!open_wat(&r, ARRAYS)) return close_run(&r);
  char msg[200];
  mw_val a[3];
  uint8_t *data = r.inst->mem0->data;
  for (int k = 0; k < 64; k++) data[1024 + k] = (uint8_t)(k * 5 + 200);
  /* get(1024, 3): bytes 1036..1039 = 260, 265, 270, 275 mod 256 = 4, 9, 14, 19 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(3);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32, 0x130E0904u);
  /* put(1024, 3, v) then get reads it back; byte 1035 is untouched */
  a[2] = mw_val_i32((int32_t)0xCAFEF00Du);
  call(&r, "put", a, 3, msg, sizeof msg);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32, 0xCAFEF00Du);
  CHECK_EQ_INT(data[1035], (11 * 5 + 200) & 0xFF);
  /* the address wraps: (0x40000000 << 2) + 1024 = 1024 mod 2^32 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(0x40000000);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32,
               (uint32_t)(200 | 205 << 8 | 210 << 16) | (uint32_t)215 << 24);
  /* byte(1024, 2) = 210 as i8 = -46; byte(0xFFFFFFFF, 1025) = data[1024] */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(2);
  CHECK_EQ_INT(call(&r, "byte", a, 2, msg, sizeof msg).of.i32, -46);
  a[0] = mw_val_i32(-1);
  a[1] = mw_val_i32(1025);
  CHECK_EQ_INT(call(&r, "byte", a, 2, msg, sizeof msg).of.i32, 200 - 256);
  /* sget(i) reads 260 + 4i; i = 16383 is 65788, past the end */
  a[0] = mw_val_i32(194); /* 1036: what put wrote */
  CHECK_EQ_INT((uint32_t)call(&r, "sget", a, 1, msg, sizeof msg).of.i32, 0xCAFEF00Du);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(16383);
  call(&r, "sget", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* fput(i, v): 8 bytes at 512 + 8i; i = 8128 is 65536, one past the end */
  a[0] = mw_val_i32(2);
  a[1] = mw_val_f64(-2.5);
  call(&r, "fput", a, 2, msg, sizeof msg);
  double d;
  memcpy(&d, data + 528, sizeof d);
  CHECK(d == -2.5);
  a[0] = mw_val_i32(8127);
  call(&r, "fput", a, 2, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(8128);
  call(&r, "fput", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* twice(1024, 1) = data[1025] + 1025 = 205 + 1025 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(1);
  CHECK_EQ_INT(call(&r, "twice", a, 2, msg, sizeof msg).of.i32, 1230);
  close_run(&r);
}

/* Deferred sums (compile.c's addk entries): `local + constant` is not
 * computed until something needs its value; an access using it as its
 * address takes the constant (_K, _XSK).  Every other consumer must see
 * the sum itself, and the local as it was when the sum was pushed. */
static const char *const SUMS =
    "(module (memory (export \"mem\") 1)"
    /* 0: r[code[i]] in a frame at sp + 256, the sum three instructions
     *    before the access (bytecode interpreters compiled by clang) */
    " (func (export \"frame\") (param $sp i32) (param $i i32) (result i32)"
    "   (i32.load (i32.add (i32.add (local.get $sp) (i32.const 256))"
    "                      (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))"
    /* 1: p[2] = v * v: the sum before the value, then a _K store */
    " (func (export \"kstore\") (param $p i32) (param $v i32)"
    "   (i32.store (i32.add (local.get $p) (i32.const 8)) (i32.mul (local.get $v) (local.get $v))))"
    /* 2, 3: a constant value the store form cannot hold, after an indexed
     *    address whose index was computed into the slot the constant's
     *    would take */
    " (func (export \"wide\") (param $p i32) (param $q i32)"
    "   (i64.store (i32.add (local.get $p) (i32.load (local.get $q))) (i64.const 0x123456789)))"
    " (func (export \"fwide\") (param $p i32) (param $q i32)"
    "   (f64.store (i32.add (local.get $p) (i32.load (local.get $q))) (f64.const 1.5)))"
    /* 4: the same with a sum as the value */
    " (func (export \"sumval\") (param $p i32) (param $q i32) (param $v i32)"
    "   (i32.store (i32.add (local.get $p) (i32.load (local.get $q))) (i32.add (local.get $v) (i32.const 5))))"
    /* 5: the local is set while its sum waits on the stack */
    " (func (export \"overwrite\") (param $p i32) (result i32)"
    "   local.get $p i32.const 8 i32.add i32.const 100 local.set $p i32.load local.get $p i32.add)"
    /* 6: a sum kept by local.tee and also used as an address */
    " (func (export \"tee\") (param $p i32) (result i32) (local $q i32)"
    "   (i32.add (i32.load (local.tee $q (i32.sub (local.get $p) (i32.const -4)))) (local.get $q)))"
    /* 7: a sum as a branch value */
    " (func (export \"branch\") (param $p i32) (param $c i32) (result i32)"
    "   (block (result i32) (i32.add (local.get $p) (i32.const 7)) (local.get $c) (br_if 0)"
    "     (drop) (i32.const -1)))"
    /* 8, 9: sums as results, one and two */
    " (func $one (export \"one\") (param $p i32) (result i32) (i32.add (local.get $p) (i32.const 9)))"
    " (func $two (param $p i32) (result i32 i32)"
    "   (i32.add (local.get $p) (i32.const 1)) (i32.sub (local.get $p) (i32.const 1)))"
    /* 10: (p + 1) * 1000 + (p - 1) from $two */
    " (func (export \"two\") (param $p i32) (result i32) (local $b i32)"
    "   (call $two (local.get $p)) (local.set $b) (i32.const 1000) (i32.mul) (local.get $b) (i32.add))"
    /* 11: a sum as a call argument: p + 3 + 9 */
    " (func (export \"arg\") (param $p i32) (result i32) (call $one (i32.add (local.get $p) (i32.const 3))))"
    /* 12: sums as select operands, chosen by a comparison */
    " (func (export \"sel\") (param $p i32) (param $q i32) (result i32)"
    "   (select (i32.add (local.get $p) (i32.const 1)) (i32.add (local.get $p) (i32.const 2))"
    "           (i32.lt_u (local.get $p) (local.get $q))))"
    /* 13: a dropped sum, a sum of sums, a constant on the left, a block
     *     parameter: (q + 2) + (p + 1) + (16 + p) + (p + 4 + 1) */
    " (func (export \"mix\") (param $p i32) (param $q i32) (result i32)"
    "   (drop (i32.add (local.get $q) (i32.const 50)))"
    "   (i32.add (i32.add (local.get $q) (i32.const 2)) (i32.add (local.get $p) (i32.const 1)))"
    "   (i32.add (i32.const 16) (local.get $p)) (i32.add)"
    "   (i32.add (local.get $p) (i32.const 4))"
    "   (block (param i32) (result i32) (i32.const 1) (i32.add)) (i32.add))"
    /* 14: the sum wraps before the offset is added: p = -16 reads byte 1 */
    " (func (export \"wrap\") (param $p i32) (result i32)"
    "   (i32.load8_u offset=1 (i32.add (i32.add (local.get $p) (i32.const 10)) (i32.const 6))))"
    /* 15: a v128 access has no _K form: the sum is computed for it */
    " (func (export \"vec\") (param $p i32) (result i32)"
    "   (i32x4.extract_lane 1 (v128.load (i32.add (local.get $p) (i32.const 16)))))"
    ")";

static void test_sums(void) {
  run r;
  if (!open_wat(&r, SUMS)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_I32_LOAD_XSK));
  CHECK(!has_op(&r, 0, MW_OP_IMM_I32_ADD));
  CHECK(!has_op(&r, 1, MW_OP_IMM_I32_ADD));
  CHECK(!has_op(&r, 14, MW_OP_IMM_I32_ADD));
  char msg[200];
  mw_val a[3];
  uint8_t *data = r.inst->mem0->data;
  for (int k = 0; k < 4096; k++) data[k] = (uint8_t)(k * 7 + 3);
  /* frame(1000, 40): data[40] = 283 mod 256 = 27; r[27] is the word at
   * 1000 + 256 + 108 = 1364: bytes 1364*7+3 = 9551 (0x4F), 0x56, 0x5D, 0x64 */
  a[0] = mw_val_i32(1000);
  a[1] = mw_val_i32(40);
  CHECK_EQ_INT((uint32_t)call(&r, "frame", a, 2, msg, sizeof msg).of.i32, 0x645D564Fu);
  /* frame(-256, 40): sp + 256 wraps to 0, so the word at 108: bytes
   * 759, 766, 773, 780 mod 256 */
  a[0] = mw_val_i32(-256);
  CHECK_EQ_INT((uint32_t)call(&r, "frame", a, 2, msg, sizeof msg).of.i32, 0x0C05FEF7u);
  CHECK_EQ_INT(msg[0], 0);
  /* frame(65536 - 256 - 108, 40) reads the last word; one more traps */
  a[0] = mw_val_i32(65536 - 256 - 108 - 4);
  call(&r, "frame", a, 2, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(65536 - 256 - 108 - 3);
  call(&r, "frame", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* kstore(2000, 300): 90000 at 2008 */
  a[0] = mw_val_i32(2000);
  a[1] = mw_val_i32(300);
  call(&r, "kstore", a, 2, msg, sizeof msg);
  uint32_t w;
  memcpy(&w, data + 2008, 4);
  CHECK_EQ_INT(w, 90000u);
  /* wide(3000, 2900) with the word 16 at 2900: 0x123456789 at 3016 */
  w = 16;
  memcpy(data + 2900, &w, 4);
  a[0] = mw_val_i32(3000);
  a[1] = mw_val_i32(2900);
  call(&r, "wide", a, 2, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  uint64_t q;
  memcpy(&q, data + 3016, 8);
  CHECK(q == 0x123456789u);
  call(&r, "fwide", a, 2, msg, sizeof msg);
  double d;
  memcpy(&d, data + 3016, 8);
  CHECK(d == 1.5);
  /* sumval(3000, 2900, 70): 75 at 3016 */
  a[2] = mw_val_i32(70);
  call(&r, "sumval", a, 3, msg, sizeof msg);
  memcpy(&w, data + 3016, 4);
  CHECK_EQ_INT(w, 75u);
  /* overwrite(2000): the word at 2008 (90000) + 100 */
  a[0] = mw_val_i32(2000);
  CHECK_EQ_INT(call(&r, "overwrite", a, 1, msg, sizeof msg).of.i32, 90100);
  /* tee(2004): the word at 2008 + 2008 */
  a[0] = mw_val_i32(2004);
  CHECK_EQ_INT(call(&r, "tee", a, 1, msg, sizeof msg).of.i32, 92008);
  a[0] = mw_val_i32(10);
  a[1] = mw_val_i32(1);
  CHECK_EQ_INT(call(&r, "branch", a, 2, msg, sizeof msg).of.i32, 17);
  a[1] = mw_val_i32(0);
  CHECK_EQ_INT(call(&r, "branch", a, 2, msg, sizeof msg).of.i32, -1);
  a[0] = mw_val_i32(5);
  CHECK_EQ_INT(call(&r, "one", a, 1, msg, sizeof msg).of.i32, 14);
  CHECK_EQ_INT(call(&r, "two", a, 1, msg, sizeof msg).of.i32, 6004);
  CHECK_EQ_INT(call(&r, "arg", a, 1, msg, sizeof msg).of.i32, 17);
  a[1] = mw_val_i32(6);
  CHECK_EQ_INT(call(&r, "sel", a, 2, msg, sizeof msg).of.i32, 6);
  a[1] = mw_val_i32(5);
  CHECK_EQ_INT(call(&r, "sel", a, 2, msg, sizeof msg).of.i32, 7);
  /* mix(5, 100): 102 + 6 + 21 + 10 */
  a[1] = mw_val_i32(100);
  CHECK_EQ_INT(call(&r, "mix", a, 2, msg, sizeof msg).of.i32, 139);
  /* wrap(-16): byte 1 = 10; wrap(65536 - 18) is the last byte, one more
   * is past it */
  a[0] = mw_val_i32(-16);
  CHECK_EQ_INT(call(&r, "wrap", a, 1, msg, sizeof msg).of.i32, 10);
  a[0] = mw_val_i32(65536 - 18);
  call(&r, "wrap", a, 1, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(65536 - 17);
  call(&r, "wrap", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* vec(100): the word at 120: bytes 843, 850, 857, 864 mod 256 */
  a[0] = mw_val_i32(100);
  CHECK_EQ_INT((uint32_t)call(&r, "vec", a, 1, msg, sizeof msg).of.i32, 0x6059524Bu);
  close_run(&r);
}

/* Sums on a second memory, which has no _K forms: computed, then used. */
static void test_sums_other_memory(void) {
  run r;
  if (!open_wat(&r, "(module (memory 1) (memory $b 1)"
                    " (func (export \"f\") (param $p i32) (result i32)"
                    "   (i32.store $b (i32.add (local.get $p) (i32.const 4)) (i32.const 77))"
                    "   (i32.load $b offset=2 (i32.add (local.get $p) (i32.const 2)))))"))
    return close_run(&r);
  char msg[200];
  mw_val a[1] = {mw_val_i32(60)};
  CHECK_EQ_INT(call(&r, "f", a, 1, msg, sizeof msg).of.i32, 77);
  a[0] = mw_val_i32(65536 - 7);
  call(&r, "f", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  close_run(&r);
}

int main(void) {
  RUN(test_forms);
  RUN(test_values);
  RUN(test_sums);
  RUN(test_sums_other_memory);
  return harness_summary();
}
