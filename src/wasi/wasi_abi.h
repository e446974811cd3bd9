/*
 * wasi_abi.h -- the numbers and layouts of WASI preview 1, as defined by
 * the witx files of wasi_snapshot_preview1 (typenames.witx): errno values,
 * rights bits, flag bits, enum values and the byte offsets of the structs a
 * guest exchanges with the host.  Guest memory is little-endian; the structs
 * are never overlaid on it, they are read and written field by field.
 *
 * Internal: shared by src/wasi*.c and src/wasi_os.c.  Not installed.
 */
#ifndef MW_WASI_ABI_H
#define MW_WASI_ABI_H

#include <stdint.h>

/* typenames.witx `errno` (u16).  Full list, in the witx order. */
enum {
  WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3,
  WASI_EADDRNOTAVAIL = 4, WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6,
  WASI_EALREADY = 7, WASI_EBADF = 8, WASI_EBADMSG = 9, WASI_EBUSY = 10,
  WASI_ECANCELED = 11, WASI_ECHILD = 12, WASI_ECONNABORTED = 13,
  WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16,
  WASI_EDESTADDRREQ = 17, WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20,
  WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24,
  WASI_EILSEQ = 25, WASI_EINPROGRESS = 26, WASI_EINTR = 27, WASI_EINVAL = 28,
  WASI_EIO = 29, WASI_EISCONN = 30, WASI_EISDIR = 31, WASI_ELOOP = 32,
  WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_EMSGSIZE = 35, WASI_EMULTIHOP = 36,
  WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38, WASI_ENETRESET = 39,
  WASI_ENETUNREACH = 40, WASI_ENFILE = 41, WASI_ENOBUFS = 42,
  WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOEXEC = 45, WASI_ENOLCK = 46,
  WASI_ENOLINK = 47, WASI_ENOMEM = 48, WASI_ENOMSG = 49,
  WASI_ENOPROTOOPT = 50, WASI_ENOSPC = 51, WASI_ENOSYS = 52,
  WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
  WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
  WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61,
  WASI_EOWNERDEAD = 62, WASI_EPERM = 63, WASI_EPIPE = 64, WASI_EPROTO = 65,
  WASI_EPROTONOSUPPORT = 66, WASI_EPROTOTYPE = 67, WASI_ERANGE = 68,
  WASI_EROFS = 69, WASI_ESPIPE = 70, WASI_ESRCH = 71, WASI_ESTALE = 72,
  WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74, WASI_EXDEV = 75,
  WASI_ENOTCAPABLE = 76
};

/* typenames.witx `rights` (u64 flags). */
#define WASI_RIGHT(n) ((uint64_t)1 << (n))
#define WASI_R_FD_DATASYNC WASI_RIGHT(0)
#define WASI_R_FD_READ WASI_RIGHT(1)
#define WASI_R_FD_SEEK WASI_RIGHT(2)
#define WASI_R_FD_FDSTAT_SET_FLAGS WASI_RIGHT(3)
#define WASI_R_FD_SYNC WASI_RIGHT(4)
#define WASI_R_FD_TELL WASI_RIGHT(5)
#define WASI_R_FD_WRITE WASI_RIGHT(6)
#define WASI_R_FD_ADVISE WASI_RIGHT(7)
#define WASI_R_FD_ALLOCATE WASI_RIGHT(8)
#define WASI_R_PATH_CREATE_DIRECTORY WASI_RIGHT(9)
#define WASI_R_PATH_CREATE_FILE WASI_RIGHT(10)
#define WASI_R_PATH_LINK_SOURCE WASI_RIGHT(11)
#define WASI_R_PATH_LINK_TARGET WASI_RIGHT(12)
#define WASI_R_PATH_OPEN WASI_RIGHT(13)
#define WASI_R_FD_READDIR WASI_RIGHT(14)
#define WASI_R_PATH_READLINK WASI_RIGHT(15)
#define WASI_R_PATH_RENAME_SOURCE WASI_RIGHT(16)
#define WASI_R_PATH_RENAME_TARGET WASI_RIGHT(17)
#define WASI_R_PATH_FILESTAT_GET WASI_RIGHT(18)
#define WASI_R_PATH_FILESTAT_SET_SIZE WASI_RIGHT(19)
#define WASI_R_PATH_FILESTAT_SET_TIMES WASI_RIGHT(20)
#define WASI_R_FD_FILESTAT_GET WASI_RIGHT(21)
#define WASI_R_FD_FILESTAT_SET_SIZE WASI_RIGHT(22)
#define WASI_R_FD_FILESTAT_SET_TIMES WASI_RIGHT(23)
#define WASI_R_PATH_SYMLINK WASI_RIGHT(24)
#define WASI_R_PATH_REMOVE_DIRECTORY WASI_RIGHT(25)
#define WASI_R_PATH_UNLINK_FILE WASI_RIGHT(26)
#define WASI_R_POLL_FD_READWRITE WASI_RIGHT(27)
#define WASI_R_SOCK_SHUTDOWN WASI_RIGHT(28)
#define WASI_R_SOCK_ACCEPT WASI_RIGHT(29)
#define WASI_R_ALL (WASI_RIGHT(30) - 1)

/* Rights that mean something on a regular file, and on a directory.  An
 * fd's base rights are trimmed to the set of its file type (path_open: "the
 * implementation is allowed to return a file descriptor with fewer rights
 * than specified, if and only if those rights do not apply to the type of
 * file being opened"). */
#define WASI_R_FILE                                                       \
  (WASI_R_FD_DATASYNC | WASI_R_FD_READ | WASI_R_FD_SEEK |                 \
   WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC | WASI_R_FD_TELL |         \
   WASI_R_FD_WRITE | WASI_R_FD_ADVISE | WASI_R_FD_ALLOCATE |              \
   WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_SIZE |                 \
   WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_POLL_FD_READWRITE)
#define WASI_R_DIR                                                        \
  (WASI_R_FD_DATASYNC | WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC |     \
   WASI_R_PATH_CREATE_DIRECTORY | WASI_R_PATH_CREATE_FILE |               \
   WASI_R_PATH_LINK_SOURCE | WASI_R_PATH_LINK_TARGET | WASI_R_PATH_OPEN | \
   WASI_R_FD_READDIR | WASI_R_PATH_READLINK | WASI_R_PATH_RENAME_SOURCE | \
   WASI_R_PATH_RENAME_TARGET | WASI_R_PATH_FILESTAT_GET |                 \
   WASI_R_PATH_FILESTAT_SET_SIZE | WASI_R_PATH_FILESTAT_SET_TIMES |       \
   WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_TIMES |                \
   WASI_R_PATH_SYMLINK | WASI_R_PATH_REMOVE_DIRECTORY |                   \
   WASI_R_PATH_UNLINK_FILE)
/* A stream (terminal, pipe, callback): no seeking, no sizes. */
#define WASI_R_STREAM                                                     \
  (WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_FDSTAT_SET_FLAGS |        \
   WASI_R_FD_FILESTAT_GET | WASI_R_POLL_FD_READWRITE | WASI_R_FD_SYNC |   \
   WASI_R_FD_DATASYNC)
#define WASI_R_SOCKET                                                     \
  (WASI_R_STREAM | WASI_R_SOCK_SHUTDOWN | WASI_R_SOCK_ACCEPT)

/* typenames.witx `filetype` (u8). */
enum {
  WASI_FILETYPE_UNKNOWN = 0,
  WASI_FILETYPE_BLOCK_DEVICE = 1,
  WASI_FILETYPE_CHARACTER_DEVICE = 2,
  WASI_FILETYPE_DIRECTORY = 3,
  WASI_FILETYPE_REGULAR_FILE = 4,
  WASI_FILETYPE_SOCKET_DGRAM = 5,
  WASI_FILETYPE_SOCKET_STREAM = 6,
  WASI_FILETYPE_SYMBOLIC_LINK = 7
};

/* `fdflags` (u16), `oflags` (u16), `lookupflags` (u32), `fstflags` (u16). */
#define WASI_FDFLAG_APPEND 0x1u
#define WASI_FDFLAG_DSYNC 0x2u
#define WASI_FDFLAG_NONBLOCK 0x4u
#define WASI_FDFLAG_RSYNC 0x8u
#define WASI_FDFLAG_SYNC 0x10u
#define WASI_FDFLAGS_ALL 0x1Fu

#define WASI_OFLAG_CREAT 0x1u
#define WASI_OFLAG_DIRECTORY 0x2u
#define WASI_OFLAG_EXCL 0x4u
#define WASI_OFLAG_TRUNC 0x8u
#define WASI_OFLAGS_ALL 0xFu

#define WASI_LOOKUP_SYMLINK_FOLLOW 0x1u

#define WASI_FST_ATIM 0x1u
#define WASI_FST_ATIM_NOW 0x2u
#define WASI_FST_MTIM 0x4u
#define WASI_FST_MTIM_NOW 0x8u
#define WASI_FST_ALL 0xFu

/* `whence` (u8), `advice` (u8), `clockid` (u32). */
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };
enum {
  WASI_ADVICE_NORMAL = 0, WASI_ADVICE_SEQUENTIAL = 1, WASI_ADVICE_RANDOM = 2,
  WASI_ADVICE_WILLNEED = 3, WASI_ADVICE_DONTNEED = 4, WASI_ADVICE_NOREUSE = 5
};
enum {
  WASI_CLOCK_REALTIME = 0, WASI_CLOCK_MONOTONIC = 1,
  WASI_CLOCK_PROCESS_CPUTIME = 2, WASI_CLOCK_THREAD_CPUTIME = 3
};

/* `eventtype` (u8), `subclockflags` (u16), `eventrwflags` (u16). */
enum { WASI_EVENT_CLOCK = 0, WASI_EVENT_FD_READ = 1, WASI_EVENT_FD_WRITE = 2 };
#define WASI_SUBCLOCK_ABSTIME 0x1u
#define WASI_EVENTRW_HANGUP 0x1u

/* `riflags`, `roflags`, `siflags`, `sdflags`. */
#define WASI_RIFLAG_PEEK 0x1u
#define WASI_RIFLAG_WAITALL 0x2u
#define WASI_ROFLAG_TRUNCATED 0x1u
#define WASI_SDFLAG_RD 0x1u
#define WASI_SDFLAG_WR 0x2u

/* `signal` (u8): 0 is "none", the last is `sys` (30). */
#define WASI_SIGNAL_MAX 30u

/* `preopentype` (u8). */
#define WASI_PREOPEN_DIR 0u

/* Struct layouts (size, then field offsets). */
#define WASI_IOVEC_SIZE 8u          /* buf u32 @0, buf_len u32 @4 */
#define WASI_FDSTAT_SIZE 24u        /* filetype @0, flags u16 @2, base @8, inh @16 */
#define WASI_FILESTAT_SIZE 64u      /* dev @0 ino @8 type @16 nlink @24 size @32
                                       atim @40 mtim @48 ctim @56 */
#define WASI_DIRENT_SIZE 24u        /* d_next @0, d_ino @8, d_namlen u32 @16,
                                       d_type u8 @20 */
#define WASI_PRESTAT_SIZE 8u        /* tag u8 @0, pr_name_len u32 @4 */
#define WASI_SUBSCRIPTION_SIZE 48u  /* userdata @0, tag u8 @8, union @16:
                                       clock: id u32 @16, timeout @24,
                                       precision @32, flags u16 @40;
                                       fd_readwrite: fd u32 @16 */
#define WASI_EVENT_SIZE 32u         /* userdata @0, error u16 @8, type u8 @10,
                                       nbytes u64 @16, flags u16 @24 */

#endif
