/*
 * stdio.c -- stdin to stdout (upper-cased, with counts), and a line on
 * stderr.  Built for wasm32-wasi and natively; the driver feeds both the
 * same stdin and compares both streams.
 */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char buf[100];
  long total = 0, lines = 0;
  size_t n;
  /* Small reads: many fd_read calls, and EOF seen more than once. */
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; i++) {
      if (buf[i] == '\n') lines++;
      buf[i] = (char)toupper((unsigned char)buf[i]);
    }
    fwrite(buf, 1, n, stdout);
    total += (long)n;
  }
  printf("\n-- %ld bytes, %ld lines, eof %d\n", total, lines, feof(stdin) != 0);
  fflush(stdout);
  fprintf(stderr, "to stderr: %d\n", 42);
  /* Unbuffered writes through the fd too. */
  write(1, "raw stdout\n", 11);
  write(2, "raw stderr\n", 11);
  return 0;
}
