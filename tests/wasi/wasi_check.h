/*
 * wasi_check.h -- shared by the wasm-only test programs: "ok"/"FAIL" lines
 * the driver counts, and thin wrappers over the raw preview 1 calls.
 */
#ifndef WASI_CHECK_H
#define WASI_CHECK_H

#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <wasi/api.h>

static int failures;

/* The path_* imports with explicit string lengths, as the witx has them
 * (wasi/api.h's wrappers take C strings). */
#define RAW(name)                                                          \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
RAW(path_open) int32_t raw_path_open(int32_t fd, uint32_t dirflags,
                                     const char *path, size_t len,
                                     uint32_t oflags, uint64_t base,
                                     uint64_t inh, uint32_t fdflags,
                                     __wasi_fd_t *out);
RAW(path_create_directory) int32_t raw_path_create_directory(
    int32_t fd, const char *path, size_t len);
RAW(path_remove_directory) int32_t raw_path_remove_directory(
    int32_t fd, const char *path, size_t len);
RAW(path_unlink_file) int32_t raw_path_unlink_file(int32_t fd,
                                                   const char *path, size_t len);
RAW(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd,
                                                     uint32_t flags,
                                                     const char *path,
                                                     size_t len,
                                                     __wasi_filestat_t *out);
RAW(path_filestat_set_times) int32_t raw_path_filestat_set_times(
    int32_t fd, uint32_t flags, const char *path, size_t len, uint64_t atim,
    uint64_t mtim, uint32_t fst);
RAW(path_link) int32_t raw_path_link(int32_t ofd, uint32_t oflags,
                                     const char *opath, size_t olen,
                                     int32_t nfd, const char *npath,
                                     size_t nlen);
RAW(path_rename) int32_t raw_path_rename(int32_t ofd, const char *opath,
                                         size_t olen, int32_t nfd,
                                         const char *npath, size_t nlen);
RAW(path_symlink) int32_t raw_path_symlink(const char *target, size_t tlen,
                                           int32_t fd, const char *path,
                                           size_t len);
RAW(proc_raise) int32_t raw_proc_raise(uint32_t sig); /* gone from api.h */
RAW(path_readlink) int32_t raw_path_readlink(int32_t fd, const char *path,
                                             size_t len, char *buf,
                                             size_t cap, __wasi_size_t *used);

#define EXPECT(what, got, want)                                            \
  do {                                                                     \
    long long got_ = (long long)(got), want_ = (long long)(want);          \
    if (got_ == want_) {                                                   \
      printf("ok %s\n", what);                                             \
    } else {                                                               \
      printf("FAIL %s: got %lld, want %lld (line %d)\n", what, got_, want_, \
             __LINE__);                                                    \
      failures++;                                                          \
    }                                                                      \
  } while (0)

#define TRUE(what, cond) EXPECT(what, (cond) != 0, 1)

/* path_open with every right the directory can hand down -- but fd_write
 * when it names a directory (O_DIRECTORY or a trailing '/'): a directory
 * asked for with fd_write is `isdir`. */
static inline __wasi_errno_t open_at(__wasi_fd_t dir, const char *path,
                              __wasi_lookupflags_t lookup,
                              __wasi_oflags_t oflags, __wasi_fd_t *fd) {
  size_t len = strlen(path);
  __wasi_rights_t all = ~(__wasi_rights_t)0 >> 34;
  if ((oflags & __WASI_OFLAGS_DIRECTORY) || (len && path[len - 1] == '/'))
    all &= ~__WASI_RIGHTS_FD_WRITE;
  return raw_path_open(dir, lookup, path, len, oflags, all, ~(__wasi_rights_t)0 >> 34,
                          0, fd);
}

static inline __wasi_errno_t open_rights(__wasi_fd_t dir, const char *path,
                                  __wasi_oflags_t oflags, __wasi_rights_t base,
                                  __wasi_rights_t inh, __wasi_fd_t *fd) {
  return raw_path_open(dir, 0, path, strlen(path), oflags, base, inh, 0, fd);
}

static inline __wasi_errno_t write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

/* Read up to cap-1 bytes of `fd` into buf, NUL-terminated. */
static inline __wasi_errno_t read_str(__wasi_fd_t fd, char *buf, size_t cap) {
  __wasi_iovec_t iov = {(uint8_t *)buf, cap - 1};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, &n);
  buf[e ? 0 : n] = '\0';
  return e;
}

static inline int finish(void) {
  printf("%d failures\n", failures);
  return failures != 0;
}

#endif
