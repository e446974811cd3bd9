/*
 * wc.c -- lines, words and bytes of files or stdin, like wc(1): the error
 * for a missing file names the program by argv[0] and makes the exit
 * status 1.  Built for wasm32-wasi and natively; the driver gives both the
 * same files, stdin and arguments.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static long totals[3];

static void count(FILE *f, const char *name) {
  long lines = 0, words = 0, bytes = 0;
  int c, in_word = 0;
  while ((c = getc(f)) != EOF) {
    bytes++;
    if (c == '\n') lines++;
    if (isspace(c)) {
      in_word = 0;
    } else if (!in_word) {
      in_word = 1;
      words++;
    }
  }
  printf("%7ld %7ld %7ld %s\n", lines, words, bytes, name);
  totals[0] += lines;
  totals[1] += words;
  totals[2] += bytes;
}

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) {
    count(stdin, "-");
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      count(stdin, "-");
      continue;
    }
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(errno));
      status = 1;
      continue;
    }
    count(f, argv[i]);
    fclose(f);
  }
  if (argc > 2) printf("%7ld %7ld %7ld total\n", totals[0], totals[1], totals[2]);
  return status;
}
