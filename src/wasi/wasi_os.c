/*
 * wasi_os.c -- the thin POSIX layer under WASI preview 1 (see wasi_os.h).
 *
 * The one file of the runtime that includes POSIX headers and calls the
 * *at() family.  Every function returns a WASI errno; host errno values
 * are translated by errno_table below.
 */
#define _GNU_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

#include "wasi_os.h"

/* ---------------------------------------------------------------- errno */

/* Host errno -> WASI errno (typenames.witx `errno`).  A table rather than a
 * switch: some hosts give two names one value (EAGAIN/EWOULDBLOCK,
 * ENOTSUP/EOPNOTSUPP), which a switch would reject as duplicate cases. */
static const struct {
  int host;
  uint16_t wasi;
} errno_table[] = {
    {E2BIG, WASI_E2BIG},
    {EACCES, WASI_EACCES},
    {EADDRINUSE, WASI_EADDRINUSE},
    {EADDRNOTAVAIL, WASI_EADDRNOTAVAIL},
    {EAFNOSUPPORT, WASI_EAFNOSUPPORT},
    {EAGAIN, WASI_EAGAIN},
    {EWOULDBLOCK, WASI_EAGAIN},
    {EALREADY, WASI_EALREADY},
    {EBADF, WASI_EBADF},
    {EBADMSG, WASI_EBADMSG},
    {EBUSY, WASI_EBUSY},
    {ECANCELED, WASI_ECANCELED},
    {ECHILD, WASI_ECHILD},
    {ECONNABORTED, WASI_ECONNABORTED},
    {ECONNREFUSED, WASI_ECONNREFUSED},
    {ECONNRESET, WASI_ECONNRESET},
    {EDEADLK, WASI_EDEADLK},
    {EDESTADDRREQ, WASI_EDESTADDRREQ},
    {EDOM, WASI_EDOM},
    {EDQUOT, WASI_EDQUOT},
    {EEXIST, WASI_EEXIST},
    {EFAULT, WASI_EFAULT},
    {EFBIG, WASI_EFBIG},
    {EHOSTUNREACH, WASI_EHOSTUNREACH},
    {EIDRM, WASI_EIDRM},
    {EILSEQ, WASI_EILSEQ},
    {EINPROGRESS, WASI_EINPROGRESS},
    {EINTR, WASI_EINTR},
    {EINVAL, WASI_EINVAL},
    {EIO, WASI_EIO},
    {EISCONN, WASI_EISCONN},
    {EISDIR, WASI_EISDIR},
    {ELOOP, WASI_ELOOP},
    {EMFILE, WASI_EMFILE},
    {EMLINK, WASI_EMLINK},
    {EMSGSIZE, WASI_EMSGSIZE},
    {EMULTIHOP, WASI_EMULTIHOP},
    {ENAMETOOLONG, WASI_ENAMETOOLONG},
    {ENETDOWN, WASI_ENETDOWN},
    {ENETRESET, WASI_ENETRESET},
    {ENETUNREACH, WASI_ENETUNREACH},
    {ENFILE, WASI_ENFILE},
    {ENOBUFS, WASI_ENOBUFS},
    {ENODEV, WASI_ENODEV},
    {ENOENT, WASI_ENOENT},
    {ENOEXEC, WASI_ENOEXEC},
    {ENOLCK, WASI_ENOLCK},
    {ENOLINK, WASI_ENOLINK},
    {ENOMEM, WASI_ENOMEM},
    {ENOMSG, WASI_ENOMSG},
    {ENOPROTOOPT, WASI_ENOPROTOOPT},
    {ENOSPC, WASI_ENOSPC},
    {ENOSYS, WASI_ENOSYS},
    {ENOTCONN, WASI_ENOTCONN},
    {ENOTDIR, WASI_ENOTDIR},
    {ENOTEMPTY, WASI_ENOTEMPTY},
    {ENOTRECOVERABLE, WASI_ENOTRECOVERABLE},
    {ENOTSOCK, WASI_ENOTSOCK},
    {ENOTSUP, WASI_ENOTSUP},
    {EOPNOTSUPP, WASI_ENOTSUP},
    {ENOTTY, WASI_ENOTTY},
    {ENXIO, WASI_ENXIO},
    {EOVERFLOW, WASI_EOVERFLOW},
    {EOWNERDEAD, WASI_EOWNERDEAD},
    {EPERM, WASI_EPERM},
    {EPIPE, WASI_EPIPE},
    {EPROTO, WASI_EPROTO},
    {EPROTONOSUPPORT, WASI_EPROTONOSUPPORT},
    {EPROTOTYPE, WASI_EPROTOTYPE},
    {ERANGE, WASI_ERANGE},
    {EROFS, WASI_EROFS},
    {ESPIPE, WASI_ESPIPE},
    {ESRCH, WASI_ESRCH},
    {ESTALE, WASI_ESTALE},
    {ETIMEDOUT, WASI_ETIMEDOUT},
    {ETXTBSY, WASI_ETXTBSY},
    {EXDEV, WASI_EXDEV},
};

/* An errno WASI has no name for becomes EIO: the operation failed. */
static uint16_t werr(int host) {
  for (size_t i = 0; i < sizeof errno_table / sizeof errno_table[0]; i++)
    if (errno_table[i].host == host) return errno_table[i].wasi;
  return WASI_EIO;
}

/* The usual "0 or -1 with errno" result as a WASI errno. */
static uint16_t check(int rc) { return rc < 0 ? werr(errno) : WASI_ESUCCESS; }

static uint16_t check_size(ssize_t rc, size_t *done) {
  if (rc < 0) return werr(errno);
  *done = (size_t)rc;
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- conversions */

static uint8_t filetype_of(mode_t m) {
  if (S_ISREG(m)) return WASI_FILETYPE_REGULAR_FILE;
  if (S_ISDIR(m)) return WASI_FILETYPE_DIRECTORY;
  if (S_ISLNK(m)) return WASI_FILETYPE_SYMBOLIC_LINK;
  if (S_ISCHR(m)) return WASI_FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(m)) return WASI_FILETYPE_BLOCK_DEVICE;
  /* A socket's stream/datagram kind needs getsockopt; most are streams. */
  if (S_ISSOCK(m)) return WASI_FILETYPE_SOCKET_STREAM;
  return WASI_FILETYPE_UNKNOWN; /* FIFOs: WASI has no such type */
}

static uint64_t ns_of(struct timespec ts) {
  if (ts.tv_sec < 0) return 0;
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec ts_of(uint64_t ns) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ns / 1000000000u);
  ts.tv_nsec = (long)(ns % 1000000000u);
  return ts;
}

static void stat_of(const struct stat *s, wos_stat *st) {
  st->dev = (uint64_t)s->st_dev;
  st->ino = (uint64_t)s->st_ino;
  st->nlink = (uint64_t)s->st_nlink;
  st->size = s->st_size < 0 ? 0 : (uint64_t)s->st_size;
#if defined(__APPLE__)
  st->atim = ns_of(s->st_atimespec);
  st->mtim = ns_of(s->st_mtimespec);
  st->ctim = ns_of(s->st_ctimespec);
#else
  st->atim = ns_of(s->st_atim);
  st->mtim = ns_of(s->st_mtim);
  st->ctim = ns_of(s->st_ctim);
#endif
  st->filetype = filetype_of(s->st_mode);
}

/* WASI fdflags -> O_* status flags. */
static int oflags_of_fdflags(uint16_t f) {
  int o = 0;
  if (f & WASI_FDFLAG_APPEND) o |= O_APPEND;
  if (f & WASI_FDFLAG_NONBLOCK) o |= O_NONBLOCK;
#ifdef O_DSYNC
  if (f & WASI_FDFLAG_DSYNC) o |= O_DSYNC;
#endif
#ifdef O_RSYNC
  if (f & WASI_FDFLAG_RSYNC) o |= O_RSYNC;
#endif
  if (f & WASI_FDFLAG_SYNC) o |= O_SYNC;
  return o;
}

/* fd_fdstat_set_times/path_filestat_set_times: fstflags -> utimensat times. */
static void times_of(uint64_t atim, uint64_t mtim, uint16_t fst,
                     struct timespec t[2]) {
  t[0].tv_sec = t[1].tv_sec = 0;
  t[0].tv_nsec = t[1].tv_nsec = UTIME_OMIT;
  if (fst & WASI_FST_ATIM_NOW)
    t[0].tv_nsec = UTIME_NOW;
  else if (fst & WASI_FST_ATIM)
    t[0] = ts_of(atim);
  if (fst & WASI_FST_MTIM_NOW)
    t[1].tv_nsec = UTIME_NOW;
  else if (fst & WASI_FST_MTIM)
    t[1] = ts_of(mtim);
}

/* Offsets and lengths arrive as u64; off_t is signed. */
static bool off_ok(uint64_t v) { return v <= (uint64_t)INT64_MAX; }

/* ---------------------------------------------------------------- fds */

uint16_t wos_open_dir(const char *host_path, int *fd) {
  int r = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (r < 0) return werr(errno);
  *fd = r;
  return WASI_ESUCCESS;
}

void wos_close(int fd) {
  if (fd >= 0) close(fd);
}

uint16_t wos_fstat(int fd, wos_stat *st) {
  struct stat s;
  if (fstat(fd, &s) < 0) return werr(errno);
  stat_of(&s, st);
  return WASI_ESUCCESS;
}

uint16_t wos_getfl(int fd, uint16_t *fdflags) {
  int o = fcntl(fd, F_GETFL);
  if (o < 0) return werr(errno);
  uint16_t f = 0;
  if (o & O_APPEND) f |= WASI_FDFLAG_APPEND;
  if (o & O_NONBLOCK) f |= WASI_FDFLAG_NONBLOCK;
  /* O_SYNC includes the O_DSYNC bit on Linux: test the wider flag first. */
  if ((o & O_SYNC) == O_SYNC) {
    f |= WASI_FDFLAG_SYNC;
  }
#ifdef O_DSYNC
  else if (o & O_DSYNC) {
    f |= WASI_FDFLAG_DSYNC;
  }
#endif
  *fdflags = f;
  return WASI_ESUCCESS;
}

/* F_SETFL changes only append and nonblock on common hosts; the sync flags
 * are fixed at open. */
uint16_t wos_setfl(int fd, uint16_t fdflags) {
  int o = fcntl(fd, F_GETFL);
  if (o < 0) return werr(errno);
  o &= ~(O_APPEND | O_NONBLOCK);
  o |= oflags_of_fdflags(fdflags) & (O_APPEND | O_NONBLOCK);
  return check(fcntl(fd, F_SETFL, o));
}

static int iov_of(const wos_iov *iov, size_t n, struct iovec *out) {
  if (n > WOS_IOV_BATCH) n = WOS_IOV_BATCH;
  for (size_t i = 0; i < n; i++) {
    out[i].iov_base = iov[i].base;
    out[i].iov_len = iov[i].len;
  }
  return (int)n;
}

uint16_t wos_readv(int fd, const wos_iov *iov, size_t n, size_t *done) {
  struct iovec v[WOS_IOV_BATCH];
  int cnt = iov_of(iov, n, v);
  return check_size(readv(fd, v, cnt), done);
}

/* A write to a pipe or socket whose reader is gone raises SIGPIPE, whose
 * default action would end the whole host process.  The guest must see
 * EPIPE instead: block the signal on this thread for the write, and take
 * back a SIGPIPE the write itself made pending.  Per thread, no globals,
 * the host's own disposition untouched. */
static ssize_t writev_nosigpipe(int fd, const struct iovec *v, int cnt) {
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  if (pthread_sigmask(SIG_BLOCK, &pipe_set, &old) != 0) return writev(fd, v, cnt);
  sigemptyset(&pending);
  bool was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
  ssize_t r = writev(fd, v, cnt);
  int e = errno;
  if (r < 0 && e == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = e;
  return r;
}

uint16_t wos_writev(int fd, const wos_iov *iov, size_t n, bool may_pipe,
                    size_t *done) {
  struct iovec v[WOS_IOV_BATCH];
  int cnt = iov_of(iov, n, v);
  return check_size(may_pipe ? writev_nosigpipe(fd, v, cnt) : writev(fd, v, cnt),
                    done);
}

uint16_t wos_pread(int fd, void *buf, size_t len, uint64_t off, size_t *done) {
  if (!off_ok(off)) return WASI_EINVAL;
  return check_size(pread(fd, buf, len, (off_t)off), done);
}

uint16_t wos_pwrite(int fd, const void *buf, size_t len, uint64_t off,
                    size_t *done) {
  if (!off_ok(off)) return WASI_EINVAL;
  return check_size(pwrite(fd, buf, len, (off_t)off), done);
}

uint16_t wos_seek(int fd, int64_t off, uint8_t whence, uint64_t *newoff) {
  int w;
  switch (whence) {
  case WASI_WHENCE_SET: w = SEEK_SET; break;
  case WASI_WHENCE_CUR: w = SEEK_CUR; break;
  case WASI_WHENCE_END: w = SEEK_END; break;
  default: return WASI_EINVAL;
  }
  off_t r = lseek(fd, (off_t)off, w);
  if (r < 0) return werr(errno);
  *newoff = (uint64_t)r;
  return WASI_ESUCCESS;
}

uint16_t wos_sync(int fd) { return check(fsync(fd)); }

uint16_t wos_datasync(int fd) {
#if defined(__APPLE__)
  return check(fsync(fd));
#else
  return check(fdatasync(fd));
#endif
}

uint16_t wos_advise(int fd, uint64_t off, uint64_t len, uint8_t advice) {
  if (!off_ok(off) || !off_ok(len)) return WASI_EINVAL;
#if defined(POSIX_FADV_NORMAL) && !defined(__APPLE__)
  static const int advices[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if (advice >= sizeof advices / sizeof advices[0]) return WASI_EINVAL;
  int rc = posix_fadvise(fd, (off_t)off, (off_t)len, advices[advice]);
  return rc == 0 ? WASI_ESUCCESS : werr(rc); /* returns the error number */
#else
  (void)fd;
  return advice <= WASI_ADVICE_NOREUSE ? WASI_ESUCCESS : WASI_EINVAL;
#endif
}

uint16_t wos_allocate(int fd, uint64_t off, uint64_t len) {
  if (!off_ok(off) || !off_ok(len) || off + len > (uint64_t)INT64_MAX)
    return WASI_EFBIG;
#if defined(__APPLE__)
  struct stat s;
  if (fstat(fd, &s) < 0) return werr(errno);
  if ((uint64_t)s.st_size >= off + len) return WASI_ESUCCESS;
  return check(ftruncate(fd, (off_t)(off + len)));
#else
  int rc = posix_fallocate(fd, (off_t)off, (off_t)len);
  return rc == 0 ? WASI_ESUCCESS : werr(rc); /* returns the error number */
#endif
}

uint16_t wos_truncate(int fd, uint64_t size) {
  if (!off_ok(size)) return WASI_EFBIG;
  return check(ftruncate(fd, (off_t)size));
}

uint16_t wos_futimes(int fd, uint64_t atim, uint64_t mtim, uint16_t fst) {
  struct timespec t[2];
  times_of(atim, mtim, fst, t);
  return check(futimens(fd, t));
}

uint64_t wos_nread(int fd) {
  struct stat s;
  if (fstat(fd, &s) == 0 && S_ISREG(s.st_mode)) {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    return pos >= 0 && s.st_size > pos ? (uint64_t)(s.st_size - pos) : 0;
  }
#ifdef FIONREAD
  int n = 0;
  if (ioctl(fd, FIONREAD, &n) == 0 && n > 0) return (uint64_t)n;
#endif
  return 0;
}

/* ---------------------------------------------------------------- one component */

/* O_PATH (Linux) opens a directory we may search but not list; elsewhere
 * reading rights are needed to walk through. */
#ifdef O_PATH
#define WALK_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define WALK_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

uint16_t wos_open_walk(int dir, const char *name, int *fd) {
  int r = openat(dir, name, WALK_FLAGS);
  if (r < 0) return werr(errno);
  *fd = r;
  return WASI_ESUCCESS;
}

uint16_t wos_openat(int dir, const char *name, uint16_t oflags,
                    uint16_t fdflags, bool read, bool write, int *fd) {
  int o = O_NOFOLLOW | O_CLOEXEC | oflags_of_fdflags(fdflags);
  if (write)
    o |= read ? O_RDWR : O_WRONLY;
  else
    o |= O_RDONLY;
  if (oflags & WASI_OFLAG_CREAT) o |= O_CREAT;
  if (oflags & WASI_OFLAG_DIRECTORY) o |= O_DIRECTORY;
  if (oflags & WASI_OFLAG_EXCL) o |= O_EXCL;
  if (oflags & WASI_OFLAG_TRUNC) o |= O_TRUNC;
  int r = openat(dir, name, o, 0666);
  if (r < 0) {
    int e = errno;
#if defined(__FreeBSD__) || defined(__NetBSD__)
    if (e == EMLINK) e = ELOOP; /* their O_NOFOLLOW error */
#endif
    return werr(e);
  }
  *fd = r;
  return WASI_ESUCCESS;
}

uint16_t wos_readlinkat(int dir, const char *name, char *buf, size_t cap,
                        bool truncate, size_t *len) {
  if (cap == 0) return WASI_ENAMETOOLONG;
  ssize_t n = readlinkat(dir, name, buf, cap);
  if (n < 0) return werr(errno);
  if ((size_t)n >= cap) {
    if (!truncate) return WASI_ENAMETOOLONG;
    n = (ssize_t)cap - 1;
  }
  buf[n] = '\0';
  *len = (size_t)n;
  return WASI_ESUCCESS;
}

uint16_t wos_fstatat(int dir, const char *name, wos_stat *st) {
  struct stat s;
  if (fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) < 0) return werr(errno);
  stat_of(&s, st);
  return WASI_ESUCCESS;
}

uint16_t wos_utimesat(int dir, const char *name, uint64_t atim, uint64_t mtim,
                      uint16_t fst) {
  struct timespec t[2];
  times_of(atim, mtim, fst, t);
  return check(utimensat(dir, name, t, AT_SYMLINK_NOFOLLOW));
}

uint16_t wos_mkdirat(int dir, const char *name) {
  return check(mkdirat(dir, name, 0777));
}

uint16_t wos_unlinkat(int dir, const char *name, bool is_dir) {
  int rc = unlinkat(dir, name, is_dir ? AT_REMOVEDIR : 0);
  if (rc < 0 && !is_dir && errno == EPERM) {
    /* POSIX lets unlink() of a directory fail with EPERM (macOS, BSD);
     * WASI programs expect EISDIR there, as Linux gives. */
    struct stat s;
    if (fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(s.st_mode))
      return WASI_EISDIR;
    errno = EPERM;
  }
  return check(rc);
}

uint16_t wos_renameat(int odir, const char *oname, int ndir, const char *nname) {
  return check(renameat(odir, oname, ndir, nname));
}

/* flags 0: linkat never follows a symlink source. */
uint16_t wos_linkat(int odir, const char *oname, int ndir, const char *nname) {
  return check(linkat(odir, oname, ndir, nname, 0));
}

uint16_t wos_symlinkat(const char *target, int dir, const char *name) {
  return check(symlinkat(target, dir, name));
}

/* ---------------------------------------------------------------- directories */

uint16_t wos_dir_open(int dirfd, wos_dir *d) {
  /* A fresh open file description of the same directory: its offset is
   * ours alone. */
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return werr(errno);
  DIR *dp = fdopendir(fd);
  if (!dp) {
    int e = errno;
    close(fd);
    return werr(e);
  }
  d->dirp = dp;
  d->pos = 0;
  d->last = -1;
  return WASI_ESUCCESS;
}

/* The type of an entry whose d_type the file system did not fill in. */
static uint8_t entry_type(DIR *dp, const struct dirent *de) {
#ifdef DT_UNKNOWN
  switch (de->d_type) {
  case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
  case DT_DIR: return WASI_FILETYPE_DIRECTORY;
  case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
  case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
  case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
  case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
  case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
  default: break;
  }
#endif
  struct stat s;
  if (fstatat(dirfd(dp), de->d_name, &s, AT_SYMLINK_NOFOLLOW) < 0)
    return WASI_FILETYPE_UNKNOWN;
  return filetype_of(s.st_mode);
}

uint16_t wos_dir_read(wos_dir *d, uint64_t cookie, wos_dirent *e, bool *end) {
  DIR *dp = d->dirp;
  if (cookie + 1 == d->pos && d->last >= 0) {
    /* The entry fd_readdir just cut short: the guest asks for it again. */
    seekdir(dp, d->last);
    d->pos = cookie;
  }
  if (cookie != d->pos) {
    /* Entry indexes are stable while the directory does not change; going
     * back means reading again from the start. */
    if (cookie < d->pos) {
      rewinddir(dp);
      d->pos = 0;
      d->last = -1;
    }
    while (d->pos < cookie) {
      long here = telldir(dp);
      errno = 0;
      if (!readdir(dp)) {
        if (errno) return werr(errno);
        *end = true;
        return WASI_ESUCCESS;
      }
      d->pos++;
      d->last = here;
    }
  }
  long here = telldir(dp);
  errno = 0;
  struct dirent *de = readdir(dp);
  if (!de) {
    if (errno) return werr(errno);
    *end = true;
    return WASI_ESUCCESS;
  }
  d->pos++;
  d->last = here;
  *end = false;
  e->ino = (uint64_t)de->d_ino;
  e->type = entry_type(dp, de);
  e->name = de->d_name;
  e->namlen = strlen(de->d_name);
  return WASI_ESUCCESS;
}

void wos_dir_close(wos_dir *d) {
  if (d->dirp) closedir(d->dirp);
  d->dirp = NULL;
  d->pos = 0;
}

/* ---------------------------------------------------------------- time, random, poll */

static bool clock_of(uint32_t id, clockid_t *c) {
  switch (id) {
  case WASI_CLOCK_REALTIME: *c = CLOCK_REALTIME; return true;
  case WASI_CLOCK_MONOTONIC: *c = CLOCK_MONOTONIC; return true;
  case WASI_CLOCK_PROCESS_CPUTIME: *c = CLOCK_PROCESS_CPUTIME_ID; return true;
  case WASI_CLOCK_THREAD_CPUTIME: *c = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

uint16_t wos_clock_time(uint32_t id, uint64_t *ns) {
  clockid_t c;
  struct timespec ts;
  if (!clock_of(id, &c)) return WASI_EINVAL;
  if (clock_gettime(c, &ts) < 0) return werr(errno);
  *ns = ns_of(ts);
  return WASI_ESUCCESS;
}

uint16_t wos_clock_res(uint32_t id, uint64_t *ns) {
  clockid_t c;
  struct timespec ts;
  if (!clock_of(id, &c)) return WASI_EINVAL;
  if (clock_getres(c, &ts) < 0) return werr(errno);
  *ns = ns_of(ts);
  if (*ns == 0) *ns = 1;
  return WASI_ESUCCESS;
}

uint16_t wos_sleep(uint64_t ns) {
  struct timespec req = ts_of(ns), rem;
  while (nanosleep(&req, &rem) < 0) {
    if (errno != EINTR) return werr(errno);
    req = rem;
  }
  return WASI_ESUCCESS;
}

static uint16_t random_from_device(unsigned char *p, size_t len) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return werr(errno);
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? errno : EIO;
      close(fd);
      return werr(e);
    }
    p += n;
    len -= (size_t)n;
  }
  close(fd);
  return WASI_ESUCCESS;
}

uint16_t wos_random(void *buf, size_t len) {
  unsigned char *p = buf;
#if defined(__linux__)
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return random_from_device(p, len); /* ENOSYS: old kernel */
    p += n;
    len -= (size_t)n;
  }
  return WASI_ESUCCESS;
#else
  return random_from_device(p, len);
#endif
}

void wos_yield(void) { sched_yield(); }

_Static_assert(sizeof(struct pollfd) <= WOS_POLL_SCRATCH,
               "WOS_POLL_SCRATCH too small for struct pollfd");

uint16_t wos_poll(wos_pollfd *fds, size_t n, void *scratch, int64_t timeout_ns) {
  struct pollfd *pf = scratch;
  for (size_t i = 0; i < n; i++) {
    pf[i].fd = fds[i].fd;
    pf[i].events = (short)((fds[i].want_read ? POLLIN : 0) |
                           (fds[i].want_write ? POLLOUT : 0));
    pf[i].revents = 0;
  }
  int ms = -1;
  if (timeout_ns >= 0) {
    int64_t m = timeout_ns / 1000000 + (timeout_ns % 1000000 != 0);
    ms = m > INT_MAX ? INT_MAX : (int)m;
  }
  int rc = poll(pf, (nfds_t)n, ms);
  if (rc < 0 && errno != EINTR) return werr(errno);
  for (size_t i = 0; i < n; i++) {
    short r = rc > 0 ? pf[i].revents : 0;
    fds[i].readable = (r & POLLIN) != 0;
    fds[i].writable = (r & POLLOUT) != 0;
    fds[i].hangup = (r & POLLHUP) != 0;
    fds[i].error = (r & (POLLERR | POLLNVAL)) != 0;
  }
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- sockets */

uint16_t wos_sock_recv(int fd, const wos_iov *iov, size_t n, uint16_t riflags,
                       size_t *got, uint16_t *roflags) {
  struct iovec v[WOS_IOV_BATCH];
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = v;
  m.msg_iovlen = (size_t)iov_of(iov, n, v);
  int fl = 0;
  if (riflags & WASI_RIFLAG_PEEK) fl |= MSG_PEEK;
  if (riflags & WASI_RIFLAG_WAITALL) fl |= MSG_WAITALL;
  ssize_t r = recvmsg(fd, &m, fl);
  if (r < 0) return werr(errno);
  *got = (size_t)r;
  *roflags = (m.msg_flags & MSG_TRUNC) ? WASI_ROFLAG_TRUNCATED : 0;
  return WASI_ESUCCESS;
}

uint16_t wos_sock_send(int fd, const wos_iov *iov, size_t n, size_t *sent) {
  struct iovec v[WOS_IOV_BATCH];
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = v;
  m.msg_iovlen = (size_t)iov_of(iov, n, v);
#ifdef MSG_NOSIGNAL
  int fl = MSG_NOSIGNAL; /* a closed peer is EPIPE, not a SIGPIPE */
#else
  int fl = 0;
#endif
  return check_size(sendmsg(fd, &m, fl), sent);
}

uint16_t wos_sock_shutdown(int fd, uint8_t how) {
  int h;
  switch (how) {
  case WASI_SDFLAG_RD: h = SHUT_RD; break;
  case WASI_SDFLAG_WR: h = SHUT_WR; break;
  case WASI_SDFLAG_RD | WASI_SDFLAG_WR: h = SHUT_RDWR; break;
  default: return WASI_EINVAL;
  }
  return check(shutdown(fd, h));
}

uint16_t wos_sock_accept(int fd, bool nonblock, int *newfd) {
  int r = accept(fd, NULL, NULL);
  if (r < 0) return werr(errno);
  (void)fcntl(r, F_SETFD, FD_CLOEXEC);
  if (nonblock) {
    int o = fcntl(r, F_GETFL);
    if (o >= 0) (void)fcntl(r, F_SETFL, o | O_NONBLOCK);
  }
  *newfd = r;
  return WASI_ESUCCESS;
}
