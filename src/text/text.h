/*
 * text.h -- internals of the text-format stage: lexer, literals, parser
 * state, byte buffers and name spaces shared by the files of src/text.
 *
 * The stage reads the WebAssembly text format (WAT) and the script format
 * (WAST) and encodes modules to the binary format, so the binary decoder
 * stays the one source of truth for what moonwasm accepts.  Text errors
 * are "malformed" with the reference interpreter's wording
 * (interpreter/text/lexer.mll, parser.mly), followed by " at LINE:COL".
 *
 * Parsing is recursive descent over a token array.  An error unwinds to the
 * entry point with longjmp: everything the parser allocates hangs off the
 * parser struct, so the single cleanup there frees it.  This longjmp never
 * crosses the interpreter or Lua: it stays inside this stage.
 */
#ifndef MW_TEXT_H
#define MW_TEXT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "moonwasm.h"
#include "ir.h"      /* MW_OP_*, mw_opinfo_table, mw_opcode_from_text */

/* Blocks and folded instructions nest at most this deep: the parser
 * recurses on them, and the C stack must not overflow on hostile input. */
#ifndef MWT_MAX_DEPTH
#define MWT_MAX_DEPTH 2000
#endif

/* The text of Wasm 2.0 and 3.0 differs in how immediates out of range
 * read, and the reader follows the memory64 switch (MW_FEATURE_MEMORY64)
 * for both: without it, memory offsets above 2^32-1 are malformed as in
 * Wasm 2.0 ("i32 constant out of range") and a lane index above 255 is a
 * "malformed lane index"; with it, offsets are encoded and the validator
 * judges them, and a lane index reads as an i8 ("i8 constant out of
 * range"), as the 3.0 reference interpreter does. */
#define MWT_FEATURE_MEMORY64 MW_FEATURE_MEMORY64
#define MWT_TEXT_3_0(P) (((P)->features & MW_FEATURE_MEMORY64) != 0)

/* ---------------------------------------------------------------- tokens */

typedef enum mwt_tok {
  MWT_EOF, MWT_LPAR, MWT_RPAR,
  MWT_KEYWORD,  /* [a-z][a-zA-Z0-9_.:]*, and offset=N / align=N */
  MWT_NAT,      /* unsigned integer literal */
  MWT_INT,      /* signed integer literal (+ or -) */
  MWT_FLOAT,    /* float literal (incl. inf, nan, nan:0x...) */
  MWT_STRING,   /* "..." (raw slice with the quotes) */
  MWT_ID,       /* $name or $"name" (slice with the $) */
  MWT_RESERVED  /* anything else made of identifier characters */
} mwt_tok;

typedef struct mwt_token {
  uint32_t pos, len;
  uint32_t match; /* "(": index of its ")", or of the EOF token if none */
  uint8_t type;
} mwt_token;

/* ---------------------------------------------------------------- buffers */

typedef struct mwt_buf {
  unsigned char *p;
  size_t n, cap;
} mwt_buf;

/* ---------------------------------------------------------------- names */

typedef struct mwt_name {
  const char *s; /* points into the source, or into a decoded string */
  uint32_t len, index;
} mwt_name;

/* An open-addressing map from identifier to index. */
typedef struct mwt_names {
  mwt_name *slots;
  uint32_t cap, count;
} mwt_names;

/* ---------------------------------------------------------------- parser */

/* One type definition (a sub type inside a rec group, or standalone). */
typedef struct mwt_type {
  uint32_t rec_size;  /* >0 on the first type of an explicit rec group */
  bool in_rec;        /* part of an explicit (rec ...) */
  bool is_func;       /* final func type without supertypes: implicit
                         type uses may match it */
  const char *sig;    /* func types: the encoded `vec(params) vec(results)` */
  uint32_t sig_len;
  uint32_t nparams;
  mwt_names fields;   /* field names of a struct type */
} mwt_type;

enum { MWT_NS_TYPE, MWT_NS_FUNC, MWT_NS_TABLE, MWT_NS_MEM, MWT_NS_GLOBAL,
       MWT_NS_ELEM, MWT_NS_DATA, MWT_NS_TAG, MWT_NS__COUNT };

/* A block label during instruction parsing. */
typedef struct mwt_label {
  const char *s;
  uint32_t len;
} mwt_label;

typedef struct mwt_parser {
  const char *src;
  size_t len;
  mwt_token *toks;
  size_t ntoks, cap;
  size_t p;                 /* current token */
  uint32_t features;
  jmp_buf *jb;              /* where errors unwind to */
  char msg[256];            /* error text */
  int err_kind;             /* MW_ERR_MALFORMED or MW_ERR_INVALID */
  uint32_t err_pos;

  /* the module being built */
  mwt_names ns[MWT_NS__COUNT];
  uint32_t count[MWT_NS__COUNT];  /* indices assigned in the prescan */
  mwt_type *types;
  uint32_t ntypes, types_cap;
  mwt_buf sec[14];          /* section bodies by id (0 unused: custom) */
  uint32_t sec_count[14];   /* vector lengths */
  mwt_buf types_sec;        /* type section entries (incl. implicit ones) */
  uint32_t types_sec_count; /* entries: rec groups count as one */
  uint32_t nfuncs_defined;
  uint32_t data_count;
  bool has_start, needs_datacount;
  mwt_buf code;             /* code section body */
  mwt_buf out;              /* the encoded module */
  /* per function */
  mwt_names locals;
  uint32_t depth;           /* nesting of blocks and folded instructions */
  bool no_param_names;      /* block types, call_indirect: (param $x) is malformed */
  uint32_t nlocals;
  mwt_label *labels;
  uint32_t nlabels, labels_cap;
  mwt_buf s1, s2, s3, body;   /* scratch: typeuse params/results, items, body */
  mwt_names sigmap;         /* func signature bytes -> first type index */
  int last_def;             /* kind of the last definition seen (for
                               "import after ..."), -1 if none */
  /* decoded strings kept alive for names */
  char **strs;
  size_t nstrs, strs_cap;
} mwt_parser;

/* errors: never return */
_Noreturn void mwt_fail_at(mwt_parser *P, uint32_t pos, const char *fmt, ...);
_Noreturn void mwt_fail(mwt_parser *P, const char *fmt, ...);
_Noreturn void mwt_fail_invalid(mwt_parser *P, const char *fmt, ...);
_Noreturn void mwt_unexpected(mwt_parser *P);
void mwt_position(const char *src, size_t len, uint32_t pos, unsigned *line, unsigned *col);

/* lexer.c */
void mwt_lex(mwt_parser *P);

/* buffers (parser.c) */
void mwt_buf_reserve(mwt_parser *P, mwt_buf *b, size_t more);
void mwt_byte(mwt_parser *P, mwt_buf *b, unsigned v);
void mwt_bytes(mwt_parser *P, mwt_buf *b, const void *p, size_t n);
void mwt_u32(mwt_parser *P, mwt_buf *b, uint32_t v);
void mwt_s32(mwt_parser *P, mwt_buf *b, int32_t v);
void mwt_s64(mwt_parser *P, mwt_buf *b, int64_t v);
void mwt_u64(mwt_parser *P, mwt_buf *b, uint64_t v);
void mwt_buf_free(mwt_buf *b);

/* tokens (parser.c) */
static inline mwt_token *mwt_tok_at(mwt_parser *P, size_t i) {
  return &P->toks[i < P->ntoks ? i : P->ntoks - 1];
}
static inline int mwt_peek(mwt_parser *P) { return mwt_tok_at(P, P->p)->type; }
static inline int mwt_peek2(mwt_parser *P) { return mwt_tok_at(P, P->p + 1)->type; }
bool mwt_is_kw(mwt_parser *P, size_t i, const char *kw);
/* next is "(" kw */
bool mwt_is_open(mwt_parser *P, const char *kw);
void mwt_expect(mwt_parser *P, int type);
void mwt_expect_kw(mwt_parser *P, const char *kw);
void mwt_lpar(mwt_parser *P);
void mwt_rpar(mwt_parser *P);
void mwt_skip_sexpr(mwt_parser *P);  /* at "(": skip to after its ")" */

/* strings (parser.c): decoded into tmp memory owned by P */
char *mwt_string(mwt_parser *P, size_t tok, size_t *len);
/* a string that must be valid UTF-8 (names) */
char *mwt_name_string(mwt_parser *P, size_t tok, size_t *len);

/* decode the string literal at src[pos..pos+len) and check it is UTF-8 */
bool mwt_valid_utf8_string(mwt_parser *P, size_t pos, size_t len, size_t *out_len);

/* names (parser.c) */
bool mwt_names_find(const mwt_names *m, const char *s, uint32_t len, uint32_t *index);
bool mwt_names_add(mwt_parser *P, mwt_names *m, const char *s, uint32_t len, uint32_t index);
void mwt_names_free(mwt_names *m);
/* the identifier text of an ID token (after $, strings decoded) */
const char *mwt_id_text(mwt_parser *P, size_t tok, uint32_t *len);

/* index in a name space: a NAT or an ID */
uint32_t mwt_index(mwt_parser *P, int ns);
bool mwt_at_index(mwt_parser *P);
uint32_t mwt_local_index(mwt_parser *P);

/* literals.c */
uint32_t mwt_nat32(mwt_parser *P);            /* "i32 constant out of range" */
uint64_t mwt_nat64(mwt_parser *P);
uint32_t mwt_i32(mwt_parser *P);              /* i32.const operand */
uint64_t mwt_i64(mwt_parser *P);
uint32_t mwt_f32(mwt_parser *P);              /* bits */
uint64_t mwt_f64(mwt_parser *P);
/* parse an integer token text; returns false on syntax error or overflow */
bool mwt_parse_int(const char *s, size_t n, bool allow_sign, unsigned bits,
                   bool want_signed_range, uint64_t *out);
bool mwt_parse_f32(const char *s, size_t n, uint32_t *bits);
bool mwt_parse_f64(const char *s, size_t n, uint64_t *bits);

/* types (module.c) */
void mwt_valtype(mwt_parser *P, mwt_buf *b);        /* one value type */
bool mwt_at_valtype(mwt_parser *P);
void mwt_heaptype(mwt_parser *P, mwt_buf *b);       /* s33 heap type */
void mwt_reftype(mwt_parser *P, mwt_buf *b);
/* A type use: (type x)? (param ...)* (result ...)*.  Binds param names in
 * P->locals when bind_names.  Returns the type index (implicit types are
 * appended).  *nparams receives the number of params. */
uint32_t mwt_typeuse(mwt_parser *P, bool bind_names, uint32_t *nparams);
/* For block types: returns -1 for "no type use" (sets *valtype to the
 * single result byte(s) in b) */
void mwt_blocktype(mwt_parser *P, mwt_buf *b);

/* instr.c */
void mwt_instrs(mwt_parser *P, mwt_buf *b);   /* until ")" or EOF */
void mwt_expr(mwt_parser *P, mwt_buf *b);     /* instrs + end byte */

/* module.c: parse `(module ...)` contents up to the closing ")" (which is
 * not consumed), encoding into out (malloc'ed) */
void mwt_module_fields(mwt_parser *P, mwt_buf *out);

/* wat.c */
void mwt_parser_init(mwt_parser *P, const char *src, size_t len, uint32_t features);
void mwt_parser_reset_module(mwt_parser *P);
void mwt_parser_free(mwt_parser *P);
mw_error *mwt_error(mwt_parser *P);

#endif
