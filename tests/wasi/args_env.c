/*
 * args_env.c -- argv and the environment, as given.  Built for wasm32-wasi
 * and natively; the driver runs both with the same argv and environment.
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d] [%s]\n", i, argv[i]);
  int n = 0;
  for (char **e = environ; *e; e++) printf("env [%s]\n", *e), n++;
  printf("envc %d\n", n);
  const char *v = getenv("MW_GREETING");
  printf("getenv MW_GREETING [%s]\n", v ? v : "(null)");
  v = getenv("MW_ABSENT");
  printf("getenv MW_ABSENT [%s]\n", v ? v : "(null)");
  return 0;
}
