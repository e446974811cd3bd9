/*
 * cat_rel.c -- relative paths, as a program run with `moonwasm run --dir .`
 * sees its current directory: read data.txt, write sub/out.txt, stat it,
 * make and rename a directory, remove a file.  Built for wasm32-wasi and
 * natively; the driver runs each in a directory holding data.txt and sub/,
 * and both runs must print the same and leave the same files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(const char *what, int rc) {
  if (rc < 0)
    printf("%s: %s\n", what, strerror(errno));
  else
    printf("%s: ok\n", what);
}

int main(void) {
  FILE *in = fopen("data.txt", "r");
  if (!in) {
    printf("data.txt: %s\n", strerror(errno));
    return 1;
  }
  FILE *out = fopen("sub/out.txt", "w");
  if (!out) printf("sub/out.txt: %s\n", strerror(errno));
  char line[256];
  int n = 0;
  while (fgets(line, sizeof line, in)) {
    printf("%d: %s", ++n, line);
    if (out) fprintf(out, "%03d %s", n, line);
  }
  fclose(in);
  if (out) fclose(out);

  struct stat st;
  if (stat("sub/out.txt", &st) == 0)
    printf("sub/out.txt: %lld bytes, regular %d\n", (long long)st.st_size,
           S_ISREG(st.st_mode) != 0);
  say("stat ./sub/../data.txt", stat("./sub/../data.txt", &st));
  say("mkdir made", mkdir("made", 0755));
  say("mkdir made again", mkdir("made", 0755));
  say("rename made sub/made", rename("made", "sub/made"));
  say("open missing.txt", access("missing.txt", F_OK));
  FILE *tmp = fopen("scratch.tmp", "w");
  if (tmp) {
    fputs("temporary\n", tmp);
    fclose(tmp);
  }
  say("unlink scratch.tmp", unlink("scratch.tmp"));
  say("unlink scratch.tmp again", unlink("scratch.tmp"));
  return n;
}
