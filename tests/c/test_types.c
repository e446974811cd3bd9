/*
 * test_types.c -- Wasm 3.0 value types (moonwasm.h), rec groups, subtyping
 * and canonicalisation across modules (types.c).
 */
#include "harness.h"
#include "internal.h"

static mw_module *from_wat(const char *text) {
  unsigned char *bytes = NULL;
  size_t len = 0;
  mw_module *m = NULL;
  mw_error *e = mw_wat_to_wasm(text, strlen(text), MW_FEATURES_DEFAULT, &bytes, &len);
  if (e) {
    printf("  wat: %s\n", mw_error_message(e));
    mw_error_free(e);
    return NULL;
  }
  e = mw_module_decode(NULL, bytes, len, &m);
  mw_wat_free(bytes);
  if (!e) e = mw_module_validate(m);
  if (e) {
    printf("  module: %s\n", mw_error_message(e));
    mw_error_free(e);
    mw_module_release(m);
    return NULL;
  }
  return m;
}

static const char *fmt(mw_valtype t) {
  static char buf[64];
  mw_valtype_format(t, buf, sizeof buf);
  return buf;
}

static void test_encoding(void) {
  /* the abbreviations are their binary bytes and nullable */
  CHECK_EQ_INT(MW_REF(true, MW_HT_FUNC), MW_FUNCREF);
  CHECK_EQ_INT(MW_REF(true, MW_HT_EXTERN), MW_EXTERNREF);
  CHECK(MW_VT_NULLABLE(MW_ANYREF) && !MW_VT_NULLABLE(MW_REF(false, MW_HT_ANY)));
  CHECK(mw_valtype_is_reference(MW_REF_IDX(true, 0)) && MW_REF_IDX(true, 0) != 0);
  CHECK(!mw_valtype_is_reference(MW_I32) && !mw_valtype_is_reference(MW_V128));
  CHECK_EQ_INT(MW_VT_INDEX(MW_REF_IDX(false, 12345)), 12345);
  CHECK_STR(fmt(MW_I64), "i64");
  CHECK_STR(fmt(MW_FUNCREF), "funcref");
  CHECK_STR(fmt(MW_NULLEXTERNREF), "nullexternref");
  CHECK_STR(fmt(MW_REF(false, MW_HT_FUNC)), "(ref func)");
  CHECK_STR(fmt(MW_REF(false, MW_HT_NOEXN)), "(ref noexn)");
  CHECK_STR(fmt(MW_REF_IDX(true, 3)), "(ref null 3)");
  CHECK_STR(fmt(MW_REF_IDX(false, 3)), "(ref 3)");
  CHECK_STR(fmt((mw_valtype)(MW_I8 | MW_VT_MUT)), "(mut i8)");
  /* snprintf's contract: the length needed, truncated output */
  char small[6];
  CHECK_EQ_INT(mw_valtype_format(MW_REF_IDX(true, 3), small, sizeof small), 12);
  CHECK_STR(small, "(ref ");
  /* classes */
  CHECK_EQ_INT(mw_valtype_top(MW_REF(false, MW_HT_NOFUNC)), MW_FUNCREF);
  CHECK_EQ_INT(mw_valtype_top(MW_I31REF), MW_ANYREF);
  CHECK_EQ_INT(mw_valtype_top(MW_NULLEXTERNREF), MW_EXTERNREF);
  CHECK_EQ_INT(mw_valtype_top(MW_NULLEXNREF), MW_EXNREF);
  CHECK_EQ_INT(mw_valtype_top(MW_REF_IDX(true, 0)), 0);
  CHECK_EQ_INT(mw_valtype_top(MW_F32), MW_F32);
}

/* Abstract subtyping needs no module. */
static void test_abstract_subtyping(void) {
  CHECK(mwt_val_sub(NULL, MW_REF(false, MW_HT_I31), MW_EQREF));
  CHECK(mwt_val_sub(NULL, MW_NULLREF, MW_STRUCTREF));
  CHECK(mwt_val_sub(NULL, MW_NULLFUNCREF, MW_FUNCREF));
  CHECK(!mwt_val_sub(NULL, MW_NULLFUNCREF, MW_ANYREF));
  CHECK(!mwt_val_sub(NULL, MW_FUNCREF, MW_REF(false, MW_HT_FUNC)));
  CHECK(mwt_val_sub(NULL, MW_REF(false, MW_HT_FUNC), MW_FUNCREF));
  CHECK(!mwt_val_sub(NULL, MW_EXTERNREF, MW_ANYREF));
  CHECK(!mwt_val_sub(NULL, MW_I32, MW_I64));
  CHECK(mwt_val_sub(NULL, MW_V128, MW_V128));
}

static const char rec_a[] =
    "(module (rec (type $s (sub (struct (field (ref null $t)))))"
    "             (type $t (sub (func (param (ref $s))))))"
    "  (type $u (sub $t (func (param (ref null $s)))))"
    "  (type $v (func (param (ref $s)))))";

static void test_canonical_types(void) {
  mw_module *a = from_wat(rec_a);
  mw_module *b = from_wat(rec_a);
  /* the groups, written the other way round: not equal */
  mw_module *c = from_wat("(module (rec (type $t (sub (func (param (ref $s)))))"
                          "  (type $s (sub (struct (field (ref null $t)))))))");
  if (!CHECK(a && b && c)) goto done;
  CHECK_EQ_INT(a->ntypes, 4);
  CHECK_EQ_INT(a->types[0]->rec_len, 2);
  CHECK_EQ_INT(a->types[1]->comp, MW_COMP_FUNC);
  CHECK_EQ_INT(a->types[0]->comp, MW_COMP_STRUCT);
  /* the same types in two modules */
  for (uint32_t i = 0; i < 4; i++) CHECK(mw_functype_same(a->types[i], b->types[i]));
  CHECK(!mw_functype_same(a->types[1], a->types[3])); /* $t is not final, $v is */
  CHECK(!mw_functype_same(a->types[1], c->types[0]));
  CHECK(!mw_functype_same(a->types[0], c->types[1]));
  /* $u <: $t (its parameter is a supertype: contravariance), across modules */
  CHECK(mw_deftype_sub(a->types[2], b->types[1]));
  CHECK(!mw_deftype_sub(b->types[1], a->types[2]));
  CHECK(mwt_val_sub2(a, MW_REF_IDX(false, 2), b, MW_REF_IDX(true, 1)));
  CHECK(mwt_val_sub2(a, MW_REF_IDX(false, 2), b, MW_FUNCREF));
  CHECK(mwt_val_sub2(a, MW_REF_IDX(false, 0), b, MW_REF(false, MW_HT_STRUCT)));
  CHECK(!mwt_val_sub2(a, MW_REF_IDX(false, 0), b, MW_ARRAYREF));
  CHECK(mwt_val_sub2(a, MW_NULLREF, b, MW_REF_IDX(true, 0)));
  CHECK(!mwt_val_sub2(a, MW_NULLFUNCREF, b, MW_REF_IDX(true, 0)));
  CHECK_EQ_INT(mwt_class(a, MW_REF_IDX(true, 0)), MW_ANYREF);
  CHECK_EQ_INT(mwt_class(a, MW_REF_IDX(true, 1)), MW_FUNCREF);
done:
  mw_module_release(a);
  mw_module_release(b);
  mw_module_release(c);
}

/* A host type equals the module's type of the same shape. */
static void test_host_types(void) {
  mw_valtype p[] = {MW_I32, MW_REF(false, MW_HT_EXTERN)};
  mw_functype *h = mw_functype_new(NULL, p, 2, p, 1);
  mw_module *m = from_wat("(module (type (func (param i32 (ref extern)) (result i32)))"
                          "  (type (func (param i32 externref) (result i32))))");
  if (CHECK(h && m)) {
    CHECK(mw_functype_same(h, m->types[0]));
    CHECK(!mw_functype_same(h, m->types[1]));
    CHECK(mw_functype_equal(m->types[0], h));
  }
  /* host types name no type index */
  mw_valtype bad = MW_REF_IDX(true, 0);
  CHECK(mw_functype_new(NULL, &bad, 1, NULL, 0) == NULL);
  mw_functype_free(h);
  mw_module_release(m);
}

/* A host result for a (ref extern) result: null, or not a reference. */
static mw_error *give_null(mw_caller *c, const mw_val *args, mw_val *results, void *ud) {
  (void)c;
  (void)args;
  results[0] = *(const int *)ud ? mw_val_i32(7) : mw_val_externref(NULL);
  return NULL;
}

/* Errors about host values of a typed-reference type print the type in
 * wat form, and say "null reference" for a null where none may be. */
static void test_host_value_errors(void) {
  mw_valtype r[] = {MW_REF(false, MW_HT_EXTERN)};
  mw_functype *t = mw_functype_new(NULL, NULL, 0, r, 1);
  mw_module *m = from_wat("(module (import \"h\" \"g\" (func $g (result (ref extern))))"
                          "  (func (export \"run\") (drop (call $g))))");
  if (!CHECK(t && m)) goto done;
  int give_i32 = 0;
  mw_func *g = mw_func_new(NULL, t, give_null, &give_i32, NULL);
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = NULL;
  mw_extern imp = {.kind = MW_EXTERN_FUNC, .of.func = g};
  mw_error *e = mw_instantiate_with(s, m, &imp, 1, &inst);
  mw_extern run;
  if (CHECK(e == NULL) && CHECK(mw_instance_export(inst, "run", 3, &run))) {
    e = mw_func_call(s, run.of.func, NULL, 0, NULL, 0);
    CHECK_STR(e ? mw_error_message(e) : "",
              "host function result 1: null reference for (ref extern)");
    mw_error_free(e);
    give_i32 = 1;
    e = mw_func_call(s, run.of.func, NULL, 0, NULL, 0);
    CHECK_STR(e ? mw_error_message(e) : "",
              "host function result 1: expected (ref extern), got i32");
  }
  mw_error_free(e);
  mw_store_free(s);
  mw_func_free(g);
done:
  mw_functype_free(t);
  mw_module_release(m);
}

int main(void) {
  RUN(test_encoding);
  RUN(test_abstract_subtyping);
  RUN(test_canonical_types);
  RUN(test_host_types);
  RUN(test_host_value_errors);
  return harness_summary();
}
