/*
 * abort.c -- a program that aborts: natively it dies of SIGABRT (status
 * 134 in a shell); under wasi-libc abort() traps, and `moonwasm run`
 * exits 134 too.  stderr is unbuffered, so its line comes first.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  fprintf(stderr, "%s: giving up\n", argc > 1 ? argv[1] : "abort");
  abort();
}
