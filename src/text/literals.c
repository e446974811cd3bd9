/*
 * literals.c -- numeric literals of the text format (spec 6.3.1, 6.3.2):
 * integers in decimal or hex with `_` separators, floats in decimal or
 * hex, inf, nan and nan:0xPAYLOAD.
 *
 * Floats are rounded to nearest-even directly to the target width: the
 * digits (underscores removed) go to strtof/strtod, which C99 requires to
 * round correctly for hex input and glibc rounds correctly for decimal
 * input too, f32 included (never via double, which would round twice).
 * The spec suite's const.wast and float_literals.wast check the edge
 * cases.  A finite literal that rounds to infinity is out of range.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Magnitude of a NAT (no sign), with overflow detection over 64 bits. */
static bool parse_mag(const char *s, size_t n, uint64_t *out) {
  uint64_t v = 0;
  if (n == 0) return false;
  if (n > 2 && s[0] == '0' && s[1] == 'x') {
    size_t i = 2;
    if (i >= n) return false;
    for (; i < n; i++) {
      if (s[i] == '_') continue;
      int d = hexval(s[i]);
      if (d < 0) return false;
      if (v >> 60) return false;
      v = v * 16 + (unsigned)d;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '_') continue;
      if (s[i] < '0' || s[i] > '9') return false;
      unsigned d = (unsigned)(s[i] - '0');
      if (v > (UINT64_MAX - d) / 10) return false;
      v = v * 10 + d;
    }
  }
  *out = v;
  return true;
}

bool mwt_parse_int(const char *s, size_t n, bool allow_sign, unsigned bits,
                   bool signed_ok, uint64_t *out) {
  bool neg = false, sign = false;
  if (n && (s[0] == '+' || s[0] == '-')) {
    if (!allow_sign) return false;
    neg = s[0] == '-', sign = true;
    s++, n--;
  }
  (void)sign;
  uint64_t v;
  if (!parse_mag(s, n, &v)) return false;
  uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  if (neg) {
    if (!signed_ok) return false;
    uint64_t lim = UINT64_C(1) << (bits - 1);
    if (v > lim) return false;
    v = (uint64_t)0 - v;
    if (bits < 64) v &= umax;
  } else if (v > umax) {
    return false;
  }
  *out = v;
  return true;
}

static const char *tok_text(mwt_parser *P, size_t *n) {
  mwt_token *t = mwt_tok_at(P, P->p);
  *n = t->len;
  return P->src + t->pos;
}

uint32_t mwt_nat32(mwt_parser *P) {
  if (mwt_peek(P) != MWT_NAT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint64_t v;
  if (!mwt_parse_int(s, n, false, 32, false, &v)) mwt_fail(P, "i32 constant out of range");
  P->p++;
  return (uint32_t)v;
}

uint64_t mwt_nat64(mwt_parser *P) {
  if (mwt_peek(P) != MWT_NAT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint64_t v;
  if (!mwt_parse_int(s, n, false, 64, false, &v)) mwt_fail(P, "i64 constant out of range");
  P->p++;
  return v;
}

uint32_t mwt_i32(mwt_parser *P) {
  int t = mwt_peek(P);
  if (t != MWT_NAT && t != MWT_INT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint64_t v;
  if (!mwt_parse_int(s, n, true, 32, true, &v)) mwt_fail(P, "constant out of range");
  P->p++;
  return (uint32_t)v;
}

uint64_t mwt_i64(mwt_parser *P) {
  int t = mwt_peek(P);
  if (t != MWT_NAT && t != MWT_INT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint64_t v;
  if (!mwt_parse_int(s, n, true, 64, true, &v)) mwt_fail(P, "constant out of range");
  P->p++;
  return v;
}

/* Copy s without underscores into buf (NUL-terminated); false if too long. */
static bool strip(const char *s, size_t n, char *buf, size_t cap) {
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '_') continue;
    if (j + 1 >= cap) return false;
    buf[j++] = s[i];
  }
  buf[j] = 0;
  return true;
}

/* Shared by f32 and f64: mant_bits is 23 or 52. */
static bool parse_float(const char *s, size_t n, unsigned mant_bits, uint64_t *bits) {
  bool neg = false;
  const char *r = s;
  size_t rn = n;
  if (rn && (r[0] == '+' || r[0] == '-')) neg = r[0] == '-', r++, rn--;
  uint64_t sign = (uint64_t)neg << (mant_bits == 23 ? 31 : 63);
  uint64_t exp_all = mant_bits == 23 ? 0xFFull << 23 : 0x7FFull << 52;
  uint64_t mant_mask = (UINT64_C(1) << mant_bits) - 1;
  if (rn == 3 && memcmp(r, "inf", 3) == 0) { *bits = sign | exp_all; return true; }
  if (rn == 3 && memcmp(r, "nan", 3) == 0) {
    *bits = sign | exp_all | (UINT64_C(1) << (mant_bits - 1));
    return true;
  }
  if (rn > 4 && memcmp(r, "nan:", 4) == 0) {
    uint64_t payload;
    if (!parse_mag(r + 4, rn - 4, &payload)) return false;
    if (payload == 0 || payload > mant_mask) return false;
    *bits = sign | exp_all | payload;
    return true;
  }
  /* long decimal literals are legal: keep them whole */
  char small[128];
  char *buf = small;
  if (n >= sizeof small) {
    buf = malloc(n + 1);
    if (!buf) return false;
  }
  bool ok = strip(s, n, buf, n >= sizeof small ? n + 1 : sizeof small);
  if (ok) {
    char *end;
    errno = 0;
    if (mant_bits == 23) {
      float f = strtof(buf, &end);
      ok = *end == 0 && !isinf(f);
      uint32_t b;
      memcpy(&b, &f, 4);
      *bits = b;
    } else {
      double d = strtod(buf, &end);
      ok = *end == 0 && !isinf(d);
      memcpy(bits, &d, 8);
    }
  }
  if (buf != small) free(buf);
  return ok;
}

bool mwt_parse_f32(const char *s, size_t n, uint32_t *bits) {
  uint64_t b;
  if (!parse_float(s, n, 23, &b)) return false;
  *bits = (uint32_t)b;
  return true;
}

bool mwt_parse_f64(const char *s, size_t n, uint64_t *bits) {
  return parse_float(s, n, 52, bits);
}

uint32_t mwt_f32(mwt_parser *P) {
  int t = mwt_peek(P);
  if (t != MWT_NAT && t != MWT_INT && t != MWT_FLOAT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint32_t b;
  if (!mwt_parse_f32(s, n, &b)) mwt_fail(P, "constant out of range");
  P->p++;
  return b;
}

uint64_t mwt_f64(mwt_parser *P) {
  int t = mwt_peek(P);
  if (t != MWT_NAT && t != MWT_INT && t != MWT_FLOAT) mwt_unexpected(P);
  size_t n;
  const char *s = tok_text(P, &n);
  uint64_t b;
  if (!mwt_parse_f64(s, n, &b)) mwt_fail(P, "constant out of range");
  P->p++;
  return b;
}
