/*
 * random.c -- random_get through getentropy: not all zero, different each
 * call, and a large request.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) failures++;
}

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

int main(void) {
  unsigned char a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  check(getentropy(a, sizeof a) == 0, "getentropy a");
  check(getentropy(b, sizeof b) == 0, "getentropy b");
  check(!all_zero(a, sizeof a), "a not all zero");
  check(memcmp(a, b, sizeof a) != 0, "a differs from b");
  static unsigned char big[256];
  check(getentropy(big, sizeof big) == 0 && !all_zero(big, sizeof big),
        "256 bytes");
  int counts[256] = {0}, distinct = 0;
  for (size_t i = 0; i < sizeof big; i++)
    if (counts[big[i]]++ == 0) distinct++;
  check(distinct > 100, "bytes look random");
  printf("%d failures\n", failures);
  return failures != 0;
}
