/*
 * harness.h -- a tiny test harness for the C tests.
 *
 *   #include "harness.h"
 *   static void test_something(void) { CHECK(1 + 1 == 2); }
 *   int main(void) { RUN(test_something); return harness_summary(); }
 *
 * Each failed check prints file:line and what was compared; the summary
 * prints "N passed, N failed" and returns the exit status (1 on failure).
 */
#ifndef MW_TEST_HARNESS_H
#define MW_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct harness_counts {
  int passed, failed;
} harness_counts;

static harness_counts harness;

static inline int harness_check(int ok, const char *what, const char *file,
                                int line) {
  if (ok) {
    harness.passed++;
  } else {
    harness.failed++;
    printf("%s:%d: check failed: %s\n", file, line, what);
  }
  return ok;
}

static inline int harness_check_int(long long a, long long b, const char *as,
                                    const char *bs, const char *file, int line) {
  if (a == b) return harness_check(1, as, file, line);
  harness.failed++;
  printf("%s:%d: check failed: %s == %s (%lld != %lld)\n", file, line, as, bs,
         a, b);
  return 0;
}

static inline int harness_check_str(const char *a, const char *b,
                                    const char *as, const char *file, int line) {
  if (a && b && strcmp(a, b) == 0) return harness_check(1, as, file, line);
  harness.failed++;
  printf("%s:%d: check failed: %s is \"%s\", expected \"%s\"\n", file, line, as,
         a ? a : "(null)", b ? b : "(null)");
  return 0;
}

#define CHECK(cond) harness_check((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_EQ_INT(a, b) \
  harness_check_int((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) harness_check_str((a), (b), #a, __FILE__, __LINE__)

/* Run one test function; its name is printed only when it fails. */
#define RUN(test)                                            \
  do {                                                       \
    int failed_before_ = harness.failed;                     \
    test();                                                  \
    if (harness.failed != failed_before_) printf("  in %s\n", #test); \
  } while (0)

/* The whole of a file, malloc'ed and NUL-terminated (the caller frees
 * it), or NULL. */
static inline unsigned char *harness_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = NULL;
  size_t n = 0, cap = 0, got;
  do {
    if (n + 1 >= cap) {
      cap = cap ? 2 * cap : 65536;
      unsigned char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

/* A fixture built by the Makefile: $MW_FIXTURES/<name>.wasm, or
 * build/wasm/<name>.wasm when run by hand. */
static inline unsigned char *harness_read_fixture(const char *name, size_t *len) {
  const char *dir = getenv("MW_FIXTURES");
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", dir && *dir ? dir : "build/wasm", name);
  return harness_read_file(path, len);
}

static inline int harness_summary(void) {
  printf("%d passed, %d failed\n", harness.passed, harness.failed);
  return harness.failed ? 1 : 0;
}

#endif
