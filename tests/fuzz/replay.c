/*
 * replay.c -- run a fuzz target's inputs without libFuzzer: the regression
 * corpus as an ordinary test suite.
 *
 *   replay_<name> DIR_OR_FILE...
 *
 * Each file is one input, written as hex (whitespace and '#' comments
 * ignored; see scripts/fuzz/seeds.sh), or raw bytes if its name does not
 * end in .hex.  Every input handed to LLVMFuzzerTestOneInput that returns
 * is one passed test; a crash or sanitizer report ends the process, which
 * scripts/run-tests.sh counts as a failure.  Prints `N passed, N failed`.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int passed, failed;

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decode hex text in place; -1 on a stray character. */
static long from_hex(unsigned char *buf, size_t len) {
  size_t out = 0;
  int hi = -1;
  for (size_t i = 0; i < len; i++) {
    int c = buf[i];
    if (c == '#') {
      while (i < len && buf[i] != '\n') i++;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    int v = hexval(c);
    if (v < 0) return -1;
    if (hi < 0) {
      hi = v;
    } else {
      buf[out++] = (unsigned char)(hi << 4 | v);
      hi = -1;
    }
  }
  return hi < 0 ? (long)out : -1;
}

static void run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("replay: cannot open %s\n", path);
    failed++;
    return;
  }
  size_t cap = 4096, len = 0, n;
  unsigned char *buf = malloc(cap);
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf) abort();
  size_t plen = strlen(path);
  if (plen > 4 && strcmp(path + plen - 4, ".hex") == 0) {
    long m = from_hex(buf, len);
    if (m < 0) {
      printf("replay: %s: not hex\n", path);
      failed++;
      free(buf);
      return;
    }
    len = (size_t)m;
  }
  /* a copy of exactly len bytes, so ASan sees reads past the end */
  unsigned char *input = malloc(len ? len : 1);
  if (!input) abort();
  memcpy(input, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(input, len);
  free(input);
  passed++;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("replay: no such file or directory: %s\n", path);
    failed++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    run_file(path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) {
    failed++;
    return;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.') continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
    sprintf(names[n], "%s/%s", path, de->d_name);
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    run_path(names[i]);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) run_path(argv[i]);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
