/*
 * wasi_os.h -- the thin POSIX layer under WASI preview 1.
 *
 * wasi_os.c is the only file of moonwasm that calls open/openat/fstatat/
 * readlinkat and friends.  Everything here speaks WASI: results are WASI
 * errno values (0 = success; host errno values are translated by one table),
 * flags and file types use the witx numbering of wasi_abi.h, times are
 * nanoseconds.  Nothing here knows about guest memory, the fd table or the
 * sandbox: every path argument is ONE component (no '/') that the caller
 * has already resolved safely, and no call here follows a symlink in it.
 *
 * Internal (prefix wos_).  Not installed.
 */
#ifndef MW_WASI_OS_H
#define MW_WASI_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mw_conf.h"
#include "wasi_abi.h"

#define WOS_PATH_MAX MW_WASI_PATH_MAX
/* The most iovecs passed to one readv/writev. */
#define WOS_IOV_BATCH 16u

typedef struct wos_stat {
  uint64_t dev, ino, nlink, size;
  uint64_t atim, mtim, ctim; /* ns since the epoch */
  uint8_t filetype;          /* WASI_FILETYPE_* */
} wos_stat;

typedef struct wos_iov {
  void *base;
  size_t len;
} wos_iov;

/* A directory stream with its own file description, so reading it moves no
 * other fd's offset.  `pos` is the index of the next entry: WASI dircookies
 * are these indexes (fd_readdir: "cookie ... the location within the
 * directory to start reading"). */
typedef struct wos_dir {
  void *dirp; /* DIR *, NULL when not open */
  uint64_t pos;
  long last;  /* telldir() before the entry at pos - 1, or -1 */
} wos_dir;

typedef struct wos_dirent {
  uint64_t ino;
  uint8_t type; /* WASI_FILETYPE_* */
  const char *name; /* valid until the next wos_dir_* call */
  size_t namlen;
} wos_dirent;

/* fd_read/fd_write subscriptions of poll_oneoff. */
typedef struct wos_pollfd {
  int fd;
  bool want_read, want_write;
  bool readable, writable, hangup, error; /* out */
} wos_pollfd;

/* ---------------------------------------------------------------- fds */

uint16_t wos_open_dir(const char *host_path, int *fd); /* a preopen */
void wos_close(int fd);
uint16_t wos_fstat(int fd, wos_stat *st);
uint16_t wos_getfl(int fd, uint16_t *fdflags);
uint16_t wos_setfl(int fd, uint16_t fdflags);
/* One readv/writev of at most WOS_IOV_BATCH buffers.  `may_pipe`: the fd
 * may be a pipe or socket, whose closed reader must give EPIPE, never a
 * SIGPIPE that would end the host process. */
uint16_t wos_readv(int fd, const wos_iov *iov, size_t n, size_t *done);
uint16_t wos_writev(int fd, const wos_iov *iov, size_t n, bool may_pipe,
                    size_t *done);
uint16_t wos_pread(int fd, void *buf, size_t len, uint64_t off, size_t *done);
uint16_t wos_pwrite(int fd, const void *buf, size_t len, uint64_t off,
                    size_t *done);
uint16_t wos_seek(int fd, int64_t off, uint8_t whence, uint64_t *newoff);
uint16_t wos_sync(int fd);
uint16_t wos_datasync(int fd);
uint16_t wos_advise(int fd, uint64_t off, uint64_t len, uint8_t advice);
uint16_t wos_allocate(int fd, uint64_t off, uint64_t len);
uint16_t wos_truncate(int fd, uint64_t size);
/* `fst` is a WASI fstflags set, already checked for conflicts. */
uint16_t wos_futimes(int fd, uint64_t atim, uint64_t mtim, uint16_t fst);
/* Bytes ready to read without blocking, when the host can tell (else 0). */
uint64_t wos_nread(int fd);

/* ---------------------------------------------------------------- one component */

/* Open `name` in `dir` as a directory to walk through, refusing symlinks
 * (WASI_ELOOP or WASI_ENOTDIR when it is one). */
uint16_t wos_open_walk(int dir, const char *name, int *fd);
/* Open `name` in `dir` for path_open, never following a symlink. */
uint16_t wos_openat(int dir, const char *name, uint16_t oflags,
                    uint16_t fdflags, bool read, bool write, int *fd);
/* Read the symlink `name`: WASI_EINVAL when it is not a symlink.  The
 * target is NUL-terminated; longer than `cap - 1` bytes is WASI_ENAMETOOLONG
 * unless `truncate`, which stores what fits. */
uint16_t wos_readlinkat(int dir, const char *name, char *buf, size_t cap,
                        bool truncate, size_t *len);
uint16_t wos_fstatat(int dir, const char *name, wos_stat *st); /* no follow */
uint16_t wos_utimesat(int dir, const char *name, uint64_t atim, uint64_t mtim,
                      uint16_t fst); /* no follow */
uint16_t wos_mkdirat(int dir, const char *name);
uint16_t wos_unlinkat(int dir, const char *name, bool is_dir);
uint16_t wos_renameat(int odir, const char *oname, int ndir, const char *nname);
uint16_t wos_linkat(int odir, const char *oname, int ndir, const char *nname);
uint16_t wos_symlinkat(const char *target, int dir, const char *name);

/* ---------------------------------------------------------------- directories */

uint16_t wos_dir_open(int dirfd, wos_dir *d);
/* The entry at index `cookie`; *end is set past the last one. */
uint16_t wos_dir_read(wos_dir *d, uint64_t cookie, wos_dirent *e, bool *end);
void wos_dir_close(wos_dir *d);

/* ---------------------------------------------------------------- time, random, poll */

uint16_t wos_clock_time(uint32_t id, uint64_t *ns);
uint16_t wos_clock_res(uint32_t id, uint64_t *ns);
uint16_t wos_sleep(uint64_t ns);
uint16_t wos_random(void *buf, size_t len);
void wos_yield(void);
/* Wait up to `timeout_ns` (negative: forever) for one of `fds`.  An
 * interrupted wait returns 0 with nothing ready.  `scratch` holds at least
 * n * WOS_POLL_SCRATCH bytes, suitably aligned (as from an allocator). */
#define WOS_POLL_SCRATCH 16u
uint16_t wos_poll(wos_pollfd *fds, size_t n, void *scratch, int64_t timeout_ns);

/* ---------------------------------------------------------------- sockets */

uint16_t wos_sock_recv(int fd, const wos_iov *iov, size_t n, uint16_t riflags,
                       size_t *got, uint16_t *roflags);
uint16_t wos_sock_send(int fd, const wos_iov *iov, size_t n, size_t *sent);
uint16_t wos_sock_shutdown(int fd, uint8_t how);
uint16_t wos_sock_accept(int fd, bool nonblock, int *newfd);

#endif
