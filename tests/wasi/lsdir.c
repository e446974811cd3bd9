/*
 * lsdir.c -- a sorted recursive listing of a directory (argv[1], default
 * "."): type, size of regular files, symlink targets.  The exit status is
 * the number of entries modulo 7.  Built for wasm32-wasi and natively; the
 * driver runs both on the same tree.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int entries;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("%*sopendir %s: %s\n", depth * 2, "", dir, strerror(errno));
    return;
  }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    entries++;
    if (lstat(path, &st) != 0) {
      printf("%*s%s: %s\n", depth * 2, "", names[i], strerror(errno));
    } else if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t len = readlink(path, target, sizeof target - 1);
      target[len < 0 ? 0 : len] = '\0';
      printf("%*sl %s -> %s\n", depth * 2, "", names[i], target);
    } else if (S_ISDIR(st.st_mode)) {
      printf("%*sd %s/\n", depth * 2, "", names[i]);
      list(path, depth + 1);
    } else {
      printf("%*s%c %s %lld\n", depth * 2, "", S_ISREG(st.st_mode) ? '-' : '?',
             names[i], (long long)st.st_size);
    }
    free(names[i]);
  }
}

int main(int argc, char **argv) {
  list(argc > 1 ? argv[1] : ".", 0);
  printf("%d entries\n", entries);
  return entries % 7;
}
