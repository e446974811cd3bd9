/*
 * wat.c -- the text stage's entry point: mw_wat_to_wasm turns a module in
 * the text format into its binary encoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void mwt_parser_init(mwt_parser *P, const char *src, size_t len, uint32_t features) {
  memset(P, 0, sizeof *P);
  P->src = src;
  P->len = len;
  P->features = features;
  P->last_def = -1;
}

/* Forget the module built so far (a script holds several). */
void mwt_parser_reset_module(mwt_parser *P) {
  for (int i = 0; i < MWT_NS__COUNT; i++) {
    mwt_names_free(&P->ns[i]);
    P->count[i] = 0;
  }
  for (uint32_t i = 0; i < P->ntypes; i++) mwt_names_free(&P->types[i].fields);
  P->ntypes = 0;
  for (int i = 0; i < 14; i++) P->sec[i].n = 0, P->sec_count[i] = 0;
  P->types_sec.n = 0;
  P->types_sec_count = 0;
  P->code.n = 0;
  P->has_start = P->needs_datacount = false;
  P->last_def = -1;
  mwt_names_free(&P->sigmap);
  mwt_names_free(&P->locals);
  P->nlabels = 0;
  P->depth = 0;
}

void mwt_parser_free(mwt_parser *P) {
  mwt_parser_reset_module(P);
  free(P->types);
  for (int i = 0; i < 14; i++) mwt_buf_free(&P->sec[i]);
  mwt_buf_free(&P->types_sec);
  mwt_buf_free(&P->code);
  mwt_buf_free(&P->out);
  mwt_buf_free(&P->s1);
  mwt_buf_free(&P->s2);
  mwt_buf_free(&P->s3);
  mwt_buf_free(&P->body);
  free(P->labels);
  for (size_t i = 0; i < P->nstrs; i++) free(P->strs[i]);
  free(P->strs);
  free(P->toks);
  memset(P, 0, sizeof *P);
}

mw_error *mwt_error(mwt_parser *P) {
  unsigned line, col;
  mwt_position(P->src, P->len, P->err_pos, &line, &col);
  char buf[320];
  snprintf(buf, sizeof buf, "%s at %u:%u", P->msg, line, col);
  return mw_error_new(P->err_kind ? (mw_error_kind)P->err_kind : MW_ERR_MALFORMED, buf);
}

mw_error *mw_wat_to_wasm(const char *text, size_t len, uint32_t features,
                         unsigned char **out, size_t *out_len) {
  if (!out || !out_len) return mw_error_new(MW_ERR_USAGE, "mw_wat_to_wasm: no output");
  *out = NULL;
  *out_len = 0;
  if (!text) return mw_error_new(MW_ERR_USAGE, "mw_wat_to_wasm: no text");
  mwt_parser *P = malloc(sizeof *P);
  if (!P) return mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
  mwt_parser_init(P, text, len, features);
  mw_error *err = NULL;
  jmp_buf jb;
  P->jb = &jb;
  if (setjmp(jb) == 0) {
    mwt_lex(P);
    /* (module $id? field*) or the fields alone */
    bool wrapped = mwt_is_open(P, "module");
    if (wrapped) {
      P->p += 2;
      if (mwt_peek(P) == MWT_ID) P->p++;
    }
    mwt_module_fields(P, &P->out);
    if (wrapped) mwt_rpar(P);
    if (mwt_peek(P) != MWT_EOF) mwt_unexpected(P);
    *out = P->out.p;
    *out_len = P->out.n;
    P->out.p = NULL;
  } else {
    err = mwt_error(P);
  }
  mwt_parser_free(P);
  free(P);
  return err;
}

void mw_wat_free(unsigned char *bytes) { free(bytes); }
