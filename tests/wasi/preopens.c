/*
 * preopens.c -- the directories the runtime preopened, in fd order, as
 * "fd N: NAME" lines (fd_prestat_get until it fails).  Wasm only: a native
 * process has no preopens, so the native build just says so.
 */
#ifdef __wasi__
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    char name[256];
    size_t len = ps.u.dir.pr_name_len < sizeof name - 1 ? ps.u.dir.pr_name_len
                                                        : sizeof name - 1;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0) {
      printf("fd %u: prestat_dir_name failed\n", (unsigned)fd);
      return 1;
    }
    name[len] = '\0';
    printf("fd %u: %s\n", (unsigned)fd, name);
  }
  return 0;
}
#else
#include <stdio.h>
int main(void) {
  printf("native: no preopens\n");
  return 0;
}
#endif
