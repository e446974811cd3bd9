/*
 * wasi_fd.c -- the fd_* functions of wasi_snapshot_preview1
 * (wasi_snapshot_preview1.witx, "fd_advise" through "fd_write").
 *
 * Each checks the fd and its rights first (EBADF, ENOTCAPABLE), then every
 * guest range it will touch (EFAULT), and only then acts, so a bad pointer
 * never leaves a half-done operation behind.
 */
#include <string.h>

#include "wasi_impl.h"

/* A negated WASI errno from an embedder's callback, made safe. */
static uint16_t callback_errno(int64_t n) {
  return n < -WASI_ENOTCAPABLE || n >= 0 ? WASI_EIO : (uint16_t)-n;
}

/* ---------------------------------------------------------------- read, write */

/* fd_read/fd_write on a host fd: readv/writev in batches; a short transfer
 * ends the call, as one readv would. */
static uint16_t host_rw(wasi_call *c, const wasi_fd *e, uint32_t iovs,
                        uint32_t n, bool write, uint32_t *done) {
  bool may_pipe = e->filetype != WASI_FILETYPE_REGULAR_FILE;
  uint64_t total = 0;
  uint32_t next = 0;
  for (;;) {
    wos_iov v[WOS_IOV_BATCH];
    size_t want, got = 0;
    size_t k = wasi_iovs_batch(c, iovs, n, &next, total, v, &want);
    if (k == 0) break;
    uint16_t rc = write ? wos_writev(e->host, v, k, may_pipe, &got)
                        : wos_readv(e->host, v, k, &got);
    if (rc) {
      if (total > 0) break; /* report what was transferred */
      return rc;
    }
    total += got;
    if (got < want) break;
  }
  *done = (uint32_t)total;
  return WASI_ESUCCESS;
}

/* The same through the embedder's callbacks, one buffer at a time.  Guest
 * memory and the fd entry are looked up again after each callback: one
 * that (against the advice) ran wasm may have grown the memory or changed
 * the fd table. */
static uint16_t callback_rw(wasi_call *c, uint32_t fd, uint32_t iovs,
                            uint32_t n, bool write, uint32_t *done) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    wasi_fd *e;
    if (wasi_fd_get(c->w, fd, 0, &e) || e->kind != WASI_FD_CALLBACK ||
        (write ? !e->write : !e->read)) {
      if (total > 0) break;
      return WASI_EBADF;
    }
    /* Re-read: the previous read may have overwritten the iovec array. */
    const uint8_t *v = wasi_mem(c, iovs + 8 * i, 8);
    uint32_t buf = v ? wasi_rd32(v) : 0, len = v ? wasi_rd32(v + 4) : 0;
    uint8_t *p = v ? wasi_mem(c, buf, len) : NULL;
    if (!p) {
      if (total > 0) break;
      return WASI_EFAULT;
    }
    if (len > UINT32_MAX - total) len = (uint32_t)(UINT32_MAX - total);
    if (len == 0) continue;
    mw_error *trap = NULL;
    int64_t r = write ? e->write(e->ud, p, len, &trap)
                      : e->read(e->ud, p, len, &trap);
    if (trap) {
      c->trap = trap;
      return WASI_EIO;
    }
    if (r < 0) {
      if (total > 0) break;
      return callback_errno(r);
    }
    if ((uint64_t)r > len) r = len;
    total += (uint64_t)r;
    if ((uint64_t)r < len) break;
  }
  *done = (uint32_t)total;
  return WASI_ESUCCESS;
}

/* Everything an iovec'd read or write needs before it may start. */
static uint16_t rw(wasi_call *c, const mw_val *a, bool write) {
  wasi_fd *e;
  uint32_t iovs = WASI_U32(1), n = WASI_U32(2), out = WASI_U32(3), done = 0;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0),
                            write ? WASI_R_FD_WRITE : WASI_R_FD_READ, &e);
  if (rc) return rc;
  if (!wasi_mem(c, out, 4)) return WASI_EFAULT;
  if ((rc = wasi_iovs_check(c, iovs, n))) return rc;
  switch (e->kind) {
  case WASI_FD_HOST: rc = host_rw(c, e, iovs, n, write, &done); break;
  case WASI_FD_CALLBACK:
    rc = callback_rw(c, WASI_U32(0), iovs, n, write, &done);
    break;
  default: /* WASI_FD_NULL: end of file, or everything written */
    if (write) {
      uint32_t next = 0;
      wos_iov v[WOS_IOV_BATCH];
      size_t total;
      while (wasi_iovs_batch(c, iovs, n, &next, done, v, &total) > 0)
        done += (uint32_t)total;
    }
    break;
  }
  if (rc || c->trap) return rc;
  return wasi_put_u32(c, out, done);
}

uint16_t wasi_fd_read(wasi_call *c, const mw_val *a) { return rw(c, a, false); }
uint16_t wasi_fd_write(wasi_call *c, const mw_val *a) { return rw(c, a, true); }

/* fd_pread/fd_pwrite: at an offset, leaving the fd's own offset alone. */
static uint16_t prw(wasi_call *c, const mw_val *a, bool write) {
  wasi_fd *e;
  uint32_t iovs = WASI_U32(1), n = WASI_U32(2), out = WASI_U32(4);
  uint64_t off = WASI_U64(3), total = 0;
  uint64_t need = WASI_R_FD_SEEK | (write ? WASI_R_FD_WRITE : WASI_R_FD_READ);
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), need, &e);
  if (rc) return rc;
  if (e->kind != WASI_FD_HOST) return WASI_ESPIPE;
  if (!wasi_mem(c, out, 4)) return WASI_EFAULT;
  if ((rc = wasi_iovs_check(c, iovs, n))) return rc;
  uint32_t next = 0;
  for (;;) {
    wos_iov v[WOS_IOV_BATCH];
    size_t want, k = wasi_iovs_batch(c, iovs, n, &next, total, v, &want);
    if (k == 0) break;
    size_t i = 0, got = 0;
    for (; i < k; i++) {
      rc = write ? wos_pwrite(e->host, v[i].base, v[i].len, off + total, &got)
                 : wos_pread(e->host, v[i].base, v[i].len, off + total, &got);
      if (rc) break;
      total += got;
      if (got < v[i].len) break;
    }
    if (rc && total == 0) return rc;
    if (rc || i < k) break;
  }
  return wasi_put_u32(c, out, (uint32_t)total);
}

uint16_t wasi_fd_pread(wasi_call *c, const mw_val *a) { return prw(c, a, false); }
uint16_t wasi_fd_pwrite(wasi_call *c, const mw_val *a) { return prw(c, a, true); }

/* ---------------------------------------------------------------- offsets */

/* fd_seek needs `fd_seek`, or only `fd_tell` for the query (cur, 0)
 * (typenames.witx `rights`: fd_tell). */
uint16_t wasi_fd_seek(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  int64_t off = (int64_t)WASI_U64(1);
  uint32_t whence = WASI_U32(2), out = WASI_U32(3);
  uint64_t need = off == 0 && whence == WASI_WHENCE_CUR ? WASI_R_FD_TELL
                                                        : WASI_R_FD_SEEK;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), need, &e);
  if (rc) return rc;
  if (whence > WASI_WHENCE_END) return WASI_EINVAL;
  if (!wasi_mem(c, out, 8)) return WASI_EFAULT;
  if (e->kind != WASI_FD_HOST) return WASI_ESPIPE;
  uint64_t pos;
  if ((rc = wos_seek(e->host, off, (uint8_t)whence, &pos))) return rc;
  return wasi_put_u64(c, out, pos);
}

uint16_t wasi_fd_tell(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_TELL, &e);
  if (rc) return rc;
  if (!wasi_mem(c, WASI_U32(1), 8)) return WASI_EFAULT;
  if (e->kind != WASI_FD_HOST) return WASI_ESPIPE;
  uint64_t pos;
  if ((rc = wos_seek(e->host, 0, WASI_WHENCE_CUR, &pos))) return rc;
  return wasi_put_u64(c, WASI_U32(1), pos);
}

/* ---------------------------------------------------------------- whole-fd operations */

uint16_t wasi_fd_advise(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_ADVISE, &e);
  if (rc) return rc;
  if (WASI_U32(3) > WASI_ADVICE_NOREUSE) return WASI_EINVAL;
  if (e->kind != WASI_FD_HOST) return WASI_ESUCCESS; /* advice is a hint */
  return wos_advise(e->host, WASI_U64(1), WASI_U64(2), (uint8_t)WASI_U32(3));
}

uint16_t wasi_fd_allocate(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_ALLOCATE, &e);
  if (rc) return rc;
  if (e->kind != WASI_FD_HOST) return WASI_ESPIPE;
  return wos_allocate(e->host, WASI_U64(1), WASI_U64(2));
}

uint16_t wasi_fd_datasync(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_DATASYNC, &e);
  if (rc) return rc;
  return e->kind == WASI_FD_HOST ? wos_datasync(e->host) : WASI_ESUCCESS;
}

uint16_t wasi_fd_sync(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_SYNC, &e);
  if (rc) return rc;
  return e->kind == WASI_FD_HOST ? wos_sync(e->host) : WASI_ESUCCESS;
}

uint16_t wasi_fd_close(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &e);
  if (rc) return rc;
  wasi_fd_release(c->w, e);
  return WASI_ESUCCESS;
}

/* fd_renumber: "atomically replace a file descriptor by renumbering
 * another": `to` is closed, `from` moves there and becomes free.  Both
 * must be open. */
uint16_t wasi_fd_renumber(wasi_call *c, const mw_val *a) {
  wasi_fd *from, *to;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &from);
  if (rc || (rc = wasi_fd_get(c->w, WASI_U32(1), 0, &to))) return rc;
  if (from == to) return WASI_ESUCCESS;
  wasi_fd_release(c->w, to);
  *to = *from;
  memset(from, 0, sizeof *from);
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- fdstat */

static uint16_t flags_of(const wasi_fd *e) {
  uint16_t f = e->fdflags;
  if (e->kind == WASI_FD_HOST && wos_getfl(e->host, &f)) f = 0;
  return f;
}

uint16_t wasi_fd_fdstat_get(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &e);
  if (rc) return rc;
  uint8_t *p = wasi_mem(c, WASI_U32(1), WASI_FDSTAT_SIZE);
  if (!p) return WASI_EFAULT;
  memset(p, 0, WASI_FDSTAT_SIZE);
  p[0] = e->filetype;
  wasi_le16(p + 2, flags_of(e));
  wasi_le64(p + 8, e->base);
  wasi_le64(p + 16, e->inheriting);
  return WASI_ESUCCESS;
}

/* Only append and nonblock change after open on POSIX hosts; asking for a
 * different sync mode is ENOTSUP.  A borrowed host fd (stdio) keeps its
 * flags: they belong to the host process too. */
uint16_t wasi_fd_fdstat_set_flags(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint32_t want = WASI_U32(1);
  const uint16_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_FDSTAT_SET_FLAGS, &e);
  if (rc) return rc;
  if (want & ~WASI_FDFLAGS_ALL) return WASI_EINVAL;
  uint16_t cur = flags_of(e);
  if (e->kind != WASI_FD_HOST) {
    e->fdflags = (uint16_t)want;
    return WASI_ESUCCESS;
  }
  if (want == cur) return WASI_ESUCCESS;
  if (!e->own || (want & sync) != (cur & sync)) return WASI_ENOTSUP;
  return wos_setfl(e->host, (uint16_t)want);
}

/* "This function can only remove rights" (fd_fdstat_set_rights). */
uint16_t wasi_fd_fdstat_set_rights(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint64_t base = WASI_U64(1), inh = WASI_U64(2);
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &e);
  if (rc) return rc;
  if ((base & ~e->base) || (inh & ~e->inheriting)) return WASI_ENOTCAPABLE;
  e->base = base;
  e->inheriting = inh;
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- filestat */

uint16_t wasi_fd_filestat_get(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_FILESTAT_GET, &e);
  if (rc) return rc;
  wos_stat st;
  memset(&st, 0, sizeof st);
  st.filetype = e->filetype;
  if (!wasi_mem(c, WASI_U32(1), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
  if (e->kind == WASI_FD_HOST && (rc = wos_fstat(e->host, &st))) return rc;
  wasi_write_filestat(wasi_mem(c, WASI_U32(1), WASI_FILESTAT_SIZE), &st);
  return WASI_ESUCCESS;
}

uint16_t wasi_fd_filestat_set_size(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_FILESTAT_SET_SIZE, &e);
  if (rc) return rc;
  if (e->kind != WASI_FD_HOST) return WASI_EINVAL;
  return wos_truncate(e->host, WASI_U64(1));
}

/* fstflags: a time and its `_now` twin together are EINVAL. */
bool wasi_fst_ok(uint32_t fst) {
  if (fst & ~WASI_FST_ALL) return false;
  if ((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) return false;
  if ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)) return false;
  return true;
}

uint16_t wasi_fd_filestat_set_times(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_FILESTAT_SET_TIMES, &e);
  if (rc) return rc;
  if (!wasi_fst_ok(WASI_U32(3))) return WASI_EINVAL;
  if (e->kind != WASI_FD_HOST) return WASI_EBADF;
  return wos_futimes(e->host, WASI_U64(1), WASI_U64(2), (uint16_t)WASI_U32(3));
}

/* ---------------------------------------------------------------- preopens */

uint16_t wasi_fd_prestat_get(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &e);
  if (rc) return rc;
  if (!e->preopen) return WASI_EBADF; /* how wasi-libc's scan stops */
  uint8_t *p = wasi_mem(c, WASI_U32(1), WASI_PRESTAT_SIZE);
  if (!p) return WASI_EFAULT;
  memset(p, 0, WASI_PRESTAT_SIZE);
  p[0] = WASI_PREOPEN_DIR;
  wasi_le32(p + 4, (uint32_t)e->preopen_len);
  return WASI_ESUCCESS;
}

uint16_t wasi_fd_prestat_dir_name(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), 0, &e);
  if (rc) return rc;
  if (!e->preopen) return WASI_EBADF;
  uint8_t *p = wasi_mem(c, WASI_U32(1), WASI_U32(2));
  if (!p) return WASI_EFAULT;
  if (WASI_U32(2) < e->preopen_len) return WASI_ENAMETOOLONG;
  memcpy(p, e->preopen, e->preopen_len);
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- fd_readdir */

/* Append as much of one dirent (header, then name) as fits at `at`. */
static uint32_t put_dirent(uint8_t *buf, uint32_t room, uint64_t next,
                           const wos_dirent *de) {
  uint8_t h[WASI_DIRENT_SIZE];
  memset(h, 0, sizeof h);
  wasi_le64(h + 0, next);
  wasi_le64(h + 8, de->ino);
  wasi_le32(h + 16, (uint32_t)de->namlen);
  h[20] = de->type;
  uint32_t n = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
  memcpy(buf, h, n);
  room -= n;
  uint32_t m = de->namlen < room ? (uint32_t)de->namlen : room;
  memcpy(buf + n, de->name, m);
  return n + m;
}

/* fd_readdir: "fills the output buffer as much as possible, potentially
 * truncating the last directory entry", so a full buffer tells the guest
 * there may be more.  Cookies are entry indexes; d_next is the next one. */
uint16_t wasi_fd_readdir(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint32_t buf = WASI_U32(1), len = WASI_U32(2), out = WASI_U32(4), used = 0;
  uint64_t cookie = WASI_U64(3);
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), WASI_R_FD_READDIR, &e);
  if (rc) return rc;
  if (e->kind != WASI_FD_HOST || e->filetype != WASI_FILETYPE_DIRECTORY)
    return WASI_ENOTDIR;
  uint8_t *p = wasi_mem(c, buf, len);
  if (!p || !wasi_mem(c, out, 4)) return WASI_EFAULT;
  if (!e->dir.dirp && (rc = wos_dir_open(e->host, &e->dir))) return rc;
  while (used < len) {
    wos_dirent de;
    bool end;
    if ((rc = wos_dir_read(&e->dir, cookie, &de, &end))) return rc;
    if (end) break;
    used += put_dirent(p + used, len - used, cookie + 1, &de);
    cookie++;
  }
  return wasi_put_u32(c, out, used);
}
