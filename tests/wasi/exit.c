/*
 * exit.c -- exit statuses: exit(N), return N from main, exit from deep in
 * the call stack, _Exit, and atexit handlers that still run.  argv[1]
 * picks the case, argv[2] the status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bye(void) { printf("atexit ran\n"); }

static int deep(int n, int code) {
  if (n < 0) return 0;
  if (n == 0) exit(code);
  return deep(n - 1, code) + 1;
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "return";
  int code = argc > 2 ? atoi(argv[2]) : 0;
  atexit(bye);
  printf("exiting by %s with %d\n", how, code);
  if (strcmp(how, "exit") == 0) exit(code);
  if (strcmp(how, "deep") == 0) return deep(argc > 3 ? atoi(argv[3]) : 200, code);
  if (strcmp(how, "_Exit") == 0) {
    fflush(stdout);
    _Exit(code);
  }
  return code;
}
