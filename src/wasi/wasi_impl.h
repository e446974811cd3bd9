/*
 * wasi_impl.h -- what the WASI preview 1 files share: the mw_wasi handle,
 * its fd table, the per-call context, guest memory access, and one
 * prototype per wasi_snapshot_preview1 function.
 *
 *   wasi.c       lifecycle, fd table, the import table, args/environ,
 *                clocks, random, proc_*, sched_yield
 *   wasi_fd.c    fd_*
 *   wasi_path.c  the sandboxed path walk and path_*
 *   wasi_poll.c  poll_oneoff and sock_*
 *   wasi_os.c    the POSIX layer (wasi_os.h), the only place with syscalls
 *
 * Uses the public API only (moonwasm.h), never the runtime's internal.h.
 * Internal prefix: wasi_.  Not installed.
 */
#ifndef MW_WASI_IMPL_H
#define MW_WASI_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "moonwasm.h"
#include "mw_conf.h" /* the MW_WASI_* limits */
#include "wasi_abi.h"
#include "wasi_os.h"

/* ---------------------------------------------------------------- fd table */

typedef enum wasi_fd_kind {
  WASI_FD_FREE = 0,
  WASI_FD_HOST,     /* a host file descriptor */
  WASI_FD_CALLBACK, /* a stdio stream served by the embedder's callbacks */
  WASI_FD_NULL      /* reads see end of file, writes vanish */
} wasi_fd_kind;

typedef struct wasi_fd {
  uint8_t kind;     /* wasi_fd_kind */
  uint8_t filetype; /* WASI_FILETYPE_* */
  uint16_t fdflags; /* non-host fds keep their flags here */
  bool own;         /* close `host` when the guest fd goes away */
  int host;         /* WASI_FD_HOST: the host fd */
  uint64_t base, inheriting; /* rights (typenames.witx `rights`) */
  char *preopen;    /* guest path of a preopened directory, or NULL */
  size_t preopen_len;
  wos_dir dir;      /* fd_readdir's stream, opened on first use */
  mw_wasi_read_fn read;   /* WASI_FD_CALLBACK */
  mw_wasi_write_fn write;
  void *ud;
} wasi_fd;

struct mw_wasi {
  mw_config cfg;    /* the allocator, and the config of the host funcs */
  char *args;       /* "arg0\0arg1\0..." */
  size_t args_len;
  uint32_t argc;
  char *env;        /* "K=V\0K=V\0..." */
  size_t env_len;
  uint32_t envc;
  wasi_fd *fds;
  uint32_t nfds;    /* slots in fds */
  mw_func **funcs;  /* one per wasi_snapshot_preview1 function */
  size_t nfuncs;
  bool exited;
  int32_t exit_code;
};

void *wasi_alloc(mw_wasi *w, size_t n);
void wasi_free(mw_wasi *w, void *p, size_t n);

/* The open fd `fd` holding every right in `rights`: EBADF if not open,
 * ENOTCAPABLE if a right is missing. */
uint16_t wasi_fd_get(mw_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out);
/* Put `e` in the lowest free slot; on failure `e` is left to the caller. */
uint16_t wasi_fd_insert(mw_wasi *w, const wasi_fd *e, uint32_t *fd);
/* Close what the entry owns and mark it free. */
void wasi_fd_release(mw_wasi *w, wasi_fd *e);

/* ---------------------------------------------------------------- calls */

typedef struct wasi_call {
  mw_wasi *w;
  mw_caller *caller;
  mw_error *trap; /* set to end the call with this error instead of errno */
} wasi_call;

/* Guest memory.  A range [ptr, ptr+len) is checked against the caller's
 * memory 0 right before each use; NULL means out of bounds (-> EFAULT).
 * The pointer is good until wasm runs again (a callback may grow memory). */
uint8_t *wasi_mem(wasi_call *c, uint32_t ptr, uint64_t len);
uint16_t wasi_put_u8(wasi_call *c, uint32_t ptr, uint8_t v);
uint16_t wasi_put_u32(wasi_call *c, uint32_t ptr, uint32_t v);
uint16_t wasi_put_u64(wasi_call *c, uint32_t ptr, uint64_t v);
uint16_t wasi_get_u32(wasi_call *c, uint32_t ptr, uint32_t *v);

/* Little-endian fields inside a checked range. */
void wasi_le16(uint8_t *p, uint16_t v);
void wasi_le32(uint8_t *p, uint32_t v);
void wasi_le64(uint8_t *p, uint64_t v);
uint16_t wasi_rd16(const uint8_t *p);
uint32_t wasi_rd32(const uint8_t *p);
uint64_t wasi_rd64(const uint8_t *p);

/* fstflags of *_set_times: known bits, and never a time with its `_now`. */
bool wasi_fst_ok(uint32_t fst);

/* Serialise a filestat (64 bytes) into checked memory. */
void wasi_write_filestat(uint8_t *p, const wos_stat *st);

/* Guest strings (paths): checked, UTF-8, no NUL; copied to `buf` with a
 * NUL appended.  ENAMETOOLONG past WOS_PATH_MAX, EILSEQ if not UTF-8. */
uint16_t wasi_get_path(wasi_call *c, uint32_t ptr, uint32_t len, char *buf);

/* Gather the iovec array (iovec/ciovec, 8 bytes each) of fd_read & co.
 * wasi_iovs_check validates every entry once; wasi_iovs_batch then maps up
 * to WOS_IOV_BATCH of them, from index *next, to host pointers, clamping the
 * total so the guest's u32 count cannot overflow. */
uint16_t wasi_iovs_check(wasi_call *c, uint32_t iovs, uint32_t n);
size_t wasi_iovs_batch(wasi_call *c, uint32_t iovs, uint32_t n, uint32_t *next,
                       uint64_t done, wos_iov *out, size_t *total);

/* ---------------------------------------------------------------- functions */

/* Every wasi_snapshot_preview1 function: name, parameter and result types
 * ('i' i32, 'I' i64), in the order of the witx. */
#define WASI_FUNCTIONS(X)                   \
  X(args_get, "ii", "i")                    \
  X(args_sizes_get, "ii", "i")              \
  X(environ_get, "ii", "i")                 \
  X(environ_sizes_get, "ii", "i")           \
  X(clock_res_get, "ii", "i")               \
  X(clock_time_get, "iIi", "i")             \
  X(fd_advise, "iIIi", "i")                 \
  X(fd_allocate, "iII", "i")                \
  X(fd_close, "i", "i")                     \
  X(fd_datasync, "i", "i")                  \
  X(fd_fdstat_get, "ii", "i")               \
  X(fd_fdstat_set_flags, "ii", "i")         \
  X(fd_fdstat_set_rights, "iII", "i")       \
  X(fd_filestat_get, "ii", "i")             \
  X(fd_filestat_set_size, "iI", "i")        \
  X(fd_filestat_set_times, "iIIi", "i")     \
  X(fd_pread, "iiiIi", "i")                 \
  X(fd_prestat_get, "ii", "i")              \
  X(fd_prestat_dir_name, "iii", "i")        \
  X(fd_pwrite, "iiiIi", "i")                \
  X(fd_read, "iiii", "i")                   \
  X(fd_readdir, "iiiIi", "i")               \
  X(fd_renumber, "ii", "i")                 \
  X(fd_seek, "iIii", "i")                   \
  X(fd_sync, "i", "i")                      \
  X(fd_tell, "ii", "i")                     \
  X(fd_write, "iiii", "i")                  \
  X(path_create_directory, "iii", "i")      \
  X(path_filestat_get, "iiiii", "i")        \
  X(path_filestat_set_times, "iiiiIIi", "i") \
  X(path_link, "iiiiiii", "i")              \
  X(path_open, "iiiiiIIii", "i")            \
  X(path_readlink, "iiiiii", "i")           \
  X(path_remove_directory, "iii", "i")      \
  X(path_rename, "iiiiii", "i")             \
  X(path_symlink, "iiiii", "i")             \
  X(path_unlink_file, "iii", "i")           \
  X(poll_oneoff, "iiii", "i")               \
  X(proc_exit, "i", "")                     \
  X(proc_raise, "i", "i")                   \
  X(sched_yield, "", "i")                   \
  X(random_get, "ii", "i")                  \
  X(sock_accept, "iii", "i")                \
  X(sock_recv, "iiiiii", "i")               \
  X(sock_send, "iiiii", "i")                \
  X(sock_shutdown, "ii", "i")

/* Each returns the WASI errno the guest sees; `a` holds the arguments. */
#define WASI_DECLARE(name, params, results) \
  uint16_t wasi_##name(wasi_call *c, const mw_val *a);
WASI_FUNCTIONS(WASI_DECLARE)
#undef WASI_DECLARE

/* Arguments as the witx types: u32 for pointers, sizes, fds and flags. */
#define WASI_U32(i) ((uint32_t)a[i].of.i32)
#define WASI_U64(i) ((uint64_t)a[i].of.i64)

#endif
