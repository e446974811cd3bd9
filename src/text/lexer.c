/*
 * lexer.c -- the text format's tokens (spec 6.3 Lexical Format; the
 * reference interpreter's lexer.mll gives the error wording).
 *
 * The whole input is tokenised up front into P->toks; the parser then
 * looks ahead freely.  Comments and annotations `(@id ...)` produce no
 * tokens.  A token keeps only its offset and length: line and column are
 * computed from the offset when an error is reported.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* idchar (spec 6.3.5): letters, digits and these symbols */
static const unsigned char idchars[256] = {
#define I(c) [(unsigned char)(c)] = 1
  I('_'), I('+'), I('-'), I('*'), I('/'), I('\\'), I('^'), I('~'), I('='), I('<'), I('>'),
  I('!'), I('?'), I('@'), I('#'), I('$'), I('%'), I('&'), I('|'), I(':'), I('`'), I('.'),
  I('\''),
  I('0'), I('1'), I('2'), I('3'), I('4'), I('5'), I('6'), I('7'), I('8'), I('9'),
  I('a'), I('b'), I('c'), I('d'), I('e'), I('f'), I('g'), I('h'), I('i'), I('j'), I('k'),
  I('l'), I('m'), I('n'), I('o'), I('p'), I('q'), I('r'), I('s'), I('t'), I('u'), I('v'),
  I('w'), I('x'), I('y'), I('z'),
  I('A'), I('B'), I('C'), I('D'), I('E'), I('F'), I('G'), I('H'), I('I'), I('J'), I('K'),
  I('L'), I('M'), I('N'), I('O'), I('P'), I('Q'), I('R'), I('S'), I('T'), I('U'), I('V'),
  I('W'), I('X'), I('Y'), I('Z'),
#undef I
};

static inline bool is_idchar(unsigned char c) { return idchars[c]; }

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* digit ('_'? digit)* starting at s[*i]; false if none */
static bool scan_num(const char *s, size_t n, size_t *i, bool hex) {
  size_t j = *i;
  if (j >= n || !(hex ? is_hex(s[j]) : is_digit(s[j]))) return false;
  j++;
  while (j < n) {
    if (s[j] == '_') {
      if (j + 1 >= n || !(hex ? is_hex(s[j + 1]) : is_digit(s[j + 1]))) return false;
      j += 2;
    } else if (hex ? is_hex(s[j]) : is_digit(s[j])) {
      j++;
    } else {
      break;
    }
  }
  *i = j;
  return true;
}

/* Classify a run of identifier characters as a number token, or 0. */
static int classify_number(const char *s, size_t n) {
  size_t i = 0;
  bool sign = false;
  if (n && (s[0] == '+' || s[0] == '-')) sign = true, i++;
  const char *r = s + i;
  size_t rn = n - i;
  if ((rn == 3 && memcmp(r, "inf", 3) == 0) || (rn == 3 && memcmp(r, "nan", 3) == 0))
    return MWT_FLOAT;
  if (rn > 6 && memcmp(r, "nan:0x", 6) == 0) {
    size_t j = i + 6;
    return scan_num(s, n, &j, true) && j == n ? MWT_FLOAT : 0;
  }
  bool hex = rn > 2 && r[0] == '0' && r[1] == 'x';
  if (hex) i += 2;
  if (!scan_num(s, n, &i, hex)) return 0;
  if (i == n) return sign ? MWT_INT : MWT_NAT;
  bool isfloat = false;
  if (s[i] == '.') {
    isfloat = true;
    i++;
    if (i < n && (hex ? is_hex(s[i]) : is_digit(s[i])))
      if (!scan_num(s, n, &i, hex)) return 0;
  }
  if (i < n && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    isfloat = true;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    if (!scan_num(s, n, &i, false)) return 0;
  }
  return isfloat && i == n ? MWT_FLOAT : 0;
}

static bool is_keyword(const char *s, size_t n) {
  if (!(s[0] >= 'a' && s[0] <= 'z')) return false;
  if ((n > 7 && memcmp(s, "offset=", 7) == 0) || (n > 6 && memcmp(s, "align=", 6) == 0))
    return true;
  for (size_t i = 1; i < n; i++) {
    unsigned char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
          c == '.' || c == ':'))
      return false;
  }
  return true;
}

/* Length of one UTF-8 encoded character at s (>= 0x80), 0 if malformed. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;
    if (c == 0xED && s[1] > 0x9F) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;
    if (c == 0xF4 && s[1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

/* Scan a string literal starting at the opening quote; returns the offset
 * after the closing quote. */
static size_t scan_string_as(mwt_parser *P, size_t i, const char *override);

static size_t scan_string(mwt_parser *P, size_t i) { return scan_string_as(P, i, NULL); }

/* A string in an identifier or annotation id: any flaw in it reads as
 * `override` (the reference lexer does not take the string as one). */
static size_t scan_string_as(mwt_parser *P, size_t i, const char *override) {
  const unsigned char *s = (const unsigned char *)P->src;
  size_t n = P->len, start = i;
#define FAIL(at, msg) mwt_fail_at(P, (uint32_t)(override ? start : (at)), "%s", override ? override : (msg))
  i++;
  for (;;) {
    if (i >= n) FAIL(start, "unclosed string literal");
    unsigned c = s[i];
    if (c == '"') return i + 1;
    if (c == '\n' || c == '\r') FAIL(start, "unclosed string literal");
    if (c < 0x20 || c == 0x7F)
      FAIL(i, "illegal control character in string literal");
    if (c == '\\') {
      if (i + 1 >= n) FAIL(start, "unclosed string literal");
      unsigned e = s[i + 1];
      if (e == 'n' || e == 'r' || e == 't' || e == '\\' || e == '\'' || e == '"') {
        i += 2;
      } else if (e == 'u') {
        size_t j = i + 2;
        if (j >= n || s[j] != '{') FAIL(i, "illegal escape");
        j++;
        if (!scan_num(P->src, n, &j, true) || j >= n || s[j] != '}')
          FAIL(i, "illegal escape");
        i = j + 1;
      } else if (i + 2 < n && is_hex(e) && is_hex(s[i + 2])) {
        i += 3;
      } else {
        FAIL(i, "illegal escape");
      }
    } else if (c >= 0x80) {
      size_t l = utf8_len(s + i, n - i);
      if (!l) FAIL(i, "malformed UTF-8 encoding");
      i += l;
    } else {
      i++;
    }
  }
}
#undef FAIL

/* Skip a block comment starting at "(;"; nests. */
static size_t skip_block_comment(mwt_parser *P, size_t i) {
  const char *s = P->src;
  size_t n = P->len, start = i;
  int depth = 0;
  while (i < n) {
    if (s[i] == '(' && i + 1 < n && s[i + 1] == ';') {
      depth++, i += 2;
    } else if (s[i] == ';' && i + 1 < n && s[i + 1] == ')') {
      i += 2;
      if (--depth == 0) return i;
    } else if ((unsigned char)s[i] >= 0x80) {
      size_t l = utf8_len((const unsigned char *)s + i, n - i);
      if (!l) mwt_fail_at(P, (uint32_t)i, "malformed UTF-8 encoding");
      i += l;
    } else {
      i++;
    }
  }
  mwt_fail_at(P, (uint32_t)start, "unclosed comment");
}

static inline void push(mwt_parser *P, int type, size_t pos, size_t len) {
  if (P->ntoks == P->cap) {
    /* about one token per 5 bytes of typical text */
    size_t cap = P->cap ? P->cap * 2 : 256 + P->len / 5;
    mwt_token *t = realloc(P->toks, cap * sizeof *t);
    if (!t) mwt_fail_at(P, (uint32_t)pos, "out of memory");
    P->toks = t, P->cap = cap;
  }
  P->toks[P->ntoks++] = (mwt_token){(uint32_t)pos, (uint32_t)len, 0, (uint8_t)type};
}

/* Pair every "(" with its ")" (unmatched ones with the EOF token), so the
 * parser skips an s-expression in one step. */
static void pair_parens(mwt_parser *P) {
  uint32_t *stack = malloc((P->ntoks + 1) * sizeof *stack);
  if (!stack) mwt_fail_at(P, 0, "out of memory");
  size_t depth = 0;
  uint32_t eof = (uint32_t)(P->ntoks - 1);
  for (uint32_t i = 0; i < P->ntoks; i++) {
    mwt_token *t = &P->toks[i];
    if (t->type == MWT_LPAR) {
      stack[depth++] = i;
    } else if (t->type == MWT_RPAR && depth) {
      P->toks[stack[--depth]].match = i;
    }
  }
  while (depth) P->toks[stack[--depth]].match = eof;
  free(stack);
}

void mwt_lex(mwt_parser *P) {
  const char *s = P->src;
  size_t n = P->len, i = 0;
  int annot = 0; /* depth inside an annotation: its tokens are dropped */
  size_t annot_start = 0;
  if (n > UINT32_MAX - 2) mwt_fail_at(P, 0, "input too large");
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { i++; continue; }
    if (c == ';' && i + 1 < n && s[i + 1] == ';') {
      while (i < n && s[i] != '\n' && s[i] != '\r') {
        if ((unsigned char)s[i] >= 0x80) {
          size_t l = utf8_len((const unsigned char *)s + i, n - i);
          if (!l) mwt_fail_at(P, (uint32_t)i, "malformed UTF-8 encoding");
          i += l;
        } else {
          i++;
        }
      }
      continue;
    }
    if (c == '(' && i + 1 < n && s[i + 1] == ';') { i = skip_block_comment(P, i); continue; }
    if (c == '(') {
      /* inside an annotation, (@ ...) is just a parenthesis */
      if (i + 1 < n && s[i + 1] == '@' && !annot) {
        size_t j = i + 2;
        if (j < n && s[j] == '"') {
          j = scan_string_as(P, j, "empty annotation id");
          if (j == i + 4) mwt_fail_at(P, (uint32_t)i, "empty annotation id");
          /* the id must be valid UTF-8 once its escapes are decoded */
          size_t dl;
          if (!mwt_valid_utf8_string(P, i + 2, j - (i + 2), &dl))
            mwt_fail_at(P, (uint32_t)i, "malformed UTF-8 encoding");
        } else {
          while (j < n && is_idchar((unsigned char)s[j])) j++;
        }
        if (j == i + 2) mwt_fail_at(P, (uint32_t)i, "empty annotation id");
        if (!annot) annot_start = i;
        annot++;
        i = j;
        continue;
      }
      if (annot) annot++;
      else push(P, MWT_LPAR, i, 1);
      i++;
      continue;
    }
    if (c == ')') {
      if (annot) annot--;
      else push(P, MWT_RPAR, i, 1);
      i++;
      continue;
    }
    if (c == '"') {
      size_t j = scan_string(P, i);
      if (j < n && (is_idchar((unsigned char)s[j]) || s[j] == '"')) {
        /* a string glued to other characters: reserved */
        while (j < n && (is_idchar((unsigned char)s[j]) || s[j] == '"'))
          j = s[j] == '"' ? scan_string(P, j) : j + 1;
        if (!annot) push(P, MWT_RESERVED, i, j - i);
      } else if (!annot) {
        push(P, MWT_STRING, i, j - i);
      }
      i = j;
      continue;
    }
    if (is_idchar(c)) {
      size_t j = i;
      bool has_string = false;
      while (j < n && (is_idchar((unsigned char)s[j]) || s[j] == '"')) {
        if (s[j] == '"')
          j = scan_string_as(P, j, j == i + 1 && s[i] == '$' ? "empty identifier" : NULL),
          has_string = true;
        else j++;
      }
      if (annot) { i = j; continue; }
      const char *t = s + i;
      size_t len = j - i;
      int type;
      if (t[0] == '$') {
        if (len == 1) mwt_fail_at(P, (uint32_t)i, "empty identifier");
        if (has_string) {
          /* $"..." exactly */
          type = t[1] == '"' && scan_string(P, i + 1) == j ? MWT_ID : MWT_RESERVED;
          if (type == MWT_ID && len == 3) mwt_fail_at(P, (uint32_t)i, "empty identifier");
        } else {
          type = MWT_ID;
        }
      } else if (has_string) {
        type = MWT_RESERVED;
      } else if ((type = classify_number(t, len)) != 0) {
        /* number */
      } else if (is_keyword(t, len)) {
        type = MWT_KEYWORD;
      } else {
        type = MWT_RESERVED;
      }
      push(P, type, i, len);
      i = j;
      continue;
    }
    if (annot && c >= 0x80) {
      size_t l = utf8_len((const unsigned char *)s + i, n - i);
      if (!l) mwt_fail_at(P, (uint32_t)i, "malformed UTF-8 encoding");
      mwt_fail_at(P, (uint32_t)i, "illegal character");
    }
    if (c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}') {
      if (!annot) push(P, MWT_RESERVED, i, 1);
      i++;
      continue;
    }
    if (annot && (c < 0x20 || c == 0x7F || c < 0x80)) mwt_fail_at(P, (uint32_t)i, "illegal character");
    if (c < 0x20 || c == 0x7F) mwt_fail_at(P, (uint32_t)i, "misplaced control character");
    if (c >= 0x80 && utf8_len((const unsigned char *)s + i, n - i))
      mwt_fail_at(P, (uint32_t)i, "misplaced unicode character");
    mwt_fail_at(P, (uint32_t)i, "malformed UTF-8 encoding");
  }
  if (annot) mwt_fail_at(P, (uint32_t)annot_start, "unclosed annotation");
  push(P, MWT_EOF, n, 0);
  pair_parens(P);
}
