/*
 * wasi.c -- WASI preview 1: the mw_wasi handle, its fd table, the import
 * table of wasi_snapshot_preview1, guest memory access, and the functions
 * of the witx's "args", "environ", "clock", "random", "proc" and "sched"
 * groups.  fd_* live in wasi_fd.c, path_* in wasi_path.c, poll_oneoff and
 * sock_* in wasi_poll.c; the syscalls in wasi_os.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

static const char wasi_module[] = "wasi_snapshot_preview1";

/* ---------------------------------------------------------------- allocation */

/* The configured allocator (mw_config.alloc, lua_Alloc style: sizes come
 * back when freeing), or malloc when there is none. */
void *wasi_alloc(mw_wasi *w, size_t n) {
  if (n == 0) n = 1;
  if (!w->cfg.alloc) return malloc(n);
  return w->cfg.alloc(w->cfg.alloc_ud, NULL, 0, n);
}

void wasi_free(mw_wasi *w, void *p, size_t n) {
  if (!p) return;
  if (n == 0) n = 1;
  if (!w->cfg.alloc)
    free(p);
  else
    w->cfg.alloc(w->cfg.alloc_ud, p, n, 0);
}

/* ---------------------------------------------------------------- guest memory */

uint8_t *wasi_mem(wasi_call *c, uint32_t ptr, uint64_t len) {
  mw_memory *m = mw_caller_memory(c->caller);
  if (!m) return NULL;
  if ((uint64_t)ptr + len > (uint64_t)mw_memory_size(m)) return NULL;
  return mw_memory_data(m) + ptr;
}

void wasi_le16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void wasi_le32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void wasi_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

uint16_t wasi_rd16(const uint8_t *p) {
  return (uint16_t)(p[0] | (uint16_t)(p[1] << 8));
}

uint32_t wasi_rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

uint64_t wasi_rd64(const uint8_t *p) {
  return (uint64_t)wasi_rd32(p) | (uint64_t)wasi_rd32(p + 4) << 32;
}

uint16_t wasi_put_u8(wasi_call *c, uint32_t ptr, uint8_t v) {
  uint8_t *p = wasi_mem(c, ptr, 1);
  if (!p) return WASI_EFAULT;
  *p = v;
  return WASI_ESUCCESS;
}

uint16_t wasi_put_u32(wasi_call *c, uint32_t ptr, uint32_t v) {
  uint8_t *p = wasi_mem(c, ptr, 4);
  if (!p) return WASI_EFAULT;
  wasi_le32(p, v);
  return WASI_ESUCCESS;
}

uint16_t wasi_put_u64(wasi_call *c, uint32_t ptr, uint64_t v) {
  uint8_t *p = wasi_mem(c, ptr, 8);
  if (!p) return WASI_EFAULT;
  wasi_le64(p, v);
  return WASI_ESUCCESS;
}

uint16_t wasi_get_u32(wasi_call *c, uint32_t ptr, uint32_t *v) {
  const uint8_t *p = wasi_mem(c, ptr, 4);
  if (!p) return WASI_EFAULT;
  *v = wasi_rd32(p);
  return WASI_ESUCCESS;
}

/* typenames.witx `filestat`. */
void wasi_write_filestat(uint8_t *p, const wos_stat *st) {
  memset(p, 0, WASI_FILESTAT_SIZE);
  wasi_le64(p + 0, st->dev);
  wasi_le64(p + 8, st->ino);
  p[16] = st->filetype;
  wasi_le64(p + 24, st->nlink);
  wasi_le64(p + 32, st->size);
  wasi_le64(p + 40, st->atim);
  wasi_le64(p + 48, st->mtim);
  wasi_le64(p + 56, st->ctim);
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): witx
 * `string` values are UTF-8. */
static bool utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    size_t len;
    uint32_t cp, min;
    if (b < 0x80) { i++; continue; }
    if ((b & 0xE0) == 0xC0) { len = 2; cp = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { len = 3; cp = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { len = 4; cp = b & 0x07; min = 0x10000; }
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

uint16_t wasi_get_path(wasi_call *c, uint32_t ptr, uint32_t len, char *buf) {
  const uint8_t *p = wasi_mem(c, ptr, len);
  if (!p) return WASI_EFAULT;
  if (len > WOS_PATH_MAX) return WASI_ENAMETOOLONG;
  /* A NUL would silently cut the path short in the host's calls. */
  if (memchr(p, 0, len)) return WASI_EINVAL;
  if (!utf8_valid(p, len)) return WASI_EILSEQ;
  memcpy(buf, p, len);
  buf[len] = '\0';
  return WASI_ESUCCESS;
}

/* ---------------------------------------------------------------- iovecs */

uint16_t wasi_iovs_check(wasi_call *c, uint32_t iovs, uint32_t n) {
  const uint8_t *v = wasi_mem(c, iovs, (uint64_t)n * WASI_IOVEC_SIZE);
  if (!v) return WASI_EFAULT;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = wasi_rd32(v + 8 * i), len = wasi_rd32(v + 8 * i + 4);
    if (!wasi_mem(c, buf, len)) return WASI_EFAULT;
  }
  return WASI_ESUCCESS;
}

size_t wasi_iovs_batch(wasi_call *c, uint32_t iovs, uint32_t n, uint32_t *next,
                       uint64_t done, wos_iov *out, size_t *total) {
  size_t k = 0;
  uint64_t room = UINT32_MAX - done; /* nread/nwritten are u32 */
  *total = 0;
  while (*next < n && k < WOS_IOV_BATCH && room > 0) {
    /* Read each entry again as it is used: an earlier transfer may have
     * overwritten the array (it is guest memory), so an entry checked by
     * wasi_iovs_check may point out of bounds now.  Then stop there. */
    const uint8_t *v = wasi_mem(c, iovs + 8 * *next, 8);
    uint32_t buf = v ? wasi_rd32(v) : 0, len = v ? wasi_rd32(v + 4) : 0;
    uint8_t *base = v ? wasi_mem(c, buf, len) : NULL;
    if (!base) {
      *next = n;
      break;
    }
    (*next)++;
    if (len == 0) continue;
    if (len > room) len = (uint32_t)room;
    out[k].base = base;
    out[k].len = len;
    *total += len;
    room -= len;
    k++;
  }
  return k;
}

/* ---------------------------------------------------------------- fd table */

uint16_t wasi_fd_get(mw_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out) {
  if (fd >= w->nfds || w->fds[fd].kind == WASI_FD_FREE) return WASI_EBADF;
  wasi_fd *e = &w->fds[fd];
  if ((e->base & rights) != rights) return WASI_ENOTCAPABLE;
  *out = e;
  return WASI_ESUCCESS;
}

static bool fd_table_grow(mw_wasi *w, uint32_t want) {
  uint32_t n = w->nfds ? w->nfds : 8;
  while (n < want) n *= 2;
  if (n > MW_WASI_MAX_FDS) n = MW_WASI_MAX_FDS;
  if (n < want) return false;
  wasi_fd *fds = wasi_alloc(w, n * sizeof *fds);
  if (!fds) return false;
  memset(fds, 0, n * sizeof *fds);
  if (w->nfds) memcpy(fds, w->fds, w->nfds * sizeof *fds);
  wasi_free(w, w->fds, w->nfds * sizeof *w->fds);
  w->fds = fds;
  w->nfds = n;
  return true;
}

uint16_t wasi_fd_insert(mw_wasi *w, const wasi_fd *e, uint32_t *fd) {
  uint32_t i = 0;
  while (i < w->nfds && w->fds[i].kind != WASI_FD_FREE) i++;
  if (i == w->nfds) {
    if (i >= MW_WASI_MAX_FDS) return WASI_EMFILE;
    if (!fd_table_grow(w, i + 1)) return WASI_ENOMEM;
  }
  w->fds[i] = *e;
  *fd = i;
  return WASI_ESUCCESS;
}

void wasi_fd_release(mw_wasi *w, wasi_fd *e) {
  wos_dir_close(&e->dir);
  if (e->kind == WASI_FD_HOST && e->own) wos_close(e->host);
  wasi_free(w, e->preopen, e->preopen_len + 1);
  memset(e, 0, sizeof *e);
}

/* ---------------------------------------------------------------- setup */

void mw_wasi_config_default(mw_wasi_config *wc) { memset(wc, 0, sizeof *wc); }

/* "a\0b\0": the strings of an args or environ list, as the guest gets them. */
static bool copy_strings(mw_wasi *w, const char *const *list, size_t n,
                         char **out, size_t *out_len, uint32_t *count) {
  size_t total = 0;
  if (n > UINT32_MAX) return false;
  for (size_t i = 0; i < n; i++) total += strlen(list[i]) + 1;
  if (total > UINT32_MAX) return false;
  char *buf = wasi_alloc(w, total);
  if (!buf) return false;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(list[i]) + 1;
    memcpy(buf + at, list[i], l);
    at += l;
  }
  *out = buf;
  *out_len = total;
  *count = (uint32_t)n;
  return true;
}

static uint8_t host_filetype(int fd) {
  wos_stat st;
  return wos_fstat(fd, &st) == WASI_ESUCCESS ? st.filetype
                                              : WASI_FILETYPE_UNKNOWN;
}

/* Rights of a borrowed host fd as stdio: never any path_* right, so a
 * directory handed in as stdio is no way around the preopens. */
static uint64_t stdio_rights(uint8_t filetype) {
  switch (filetype) {
  case WASI_FILETYPE_REGULAR_FILE: return WASI_R_FILE;
  case WASI_FILETYPE_SOCKET_STREAM:
  case WASI_FILETYPE_SOCKET_DGRAM: return WASI_R_SOCKET;
  default: return WASI_R_STREAM;
  }
}

static mw_error *setup_stdio(mw_wasi *w, int i, const mw_wasi_stdio *s) {
  wasi_fd *e = &w->fds[i];
  e->base = WASI_R_STREAM;
  e->host = -1;
  switch (s->kind) {
  case MW_WASI_STDIO_INHERIT:
  case MW_WASI_STDIO_FD:
    e->kind = WASI_FD_HOST;
    e->host = s->kind == MW_WASI_STDIO_FD ? s->fd : i;
    e->filetype = host_filetype(e->host);
    e->base = stdio_rights(e->filetype);
    return NULL;
  case MW_WASI_STDIO_CALLBACK:
    if (i == 0 ? !s->read : !s->write)
      return mw_error_new(MW_ERR_USAGE, i == 0 ? "WASI stdin: no read callback"
                                               : "WASI stdout/stderr: no write callback");
    e->kind = WASI_FD_CALLBACK;
    e->filetype = WASI_FILETYPE_UNKNOWN; /* a pipe, not a terminal */
    e->read = s->read;
    e->write = s->write;
    e->ud = s->ud;
    return NULL;
  case MW_WASI_STDIO_NULL:
    e->kind = WASI_FD_NULL;
    e->filetype = WASI_FILETYPE_CHARACTER_DEVICE;
    return NULL;
  }
  return mw_error_new(MW_ERR_USAGE, "WASI stdio: unknown kind");
}

/* typenames.witx `errno` names, for messages. */
static const char *const errno_names[] = {
    "success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport",
    "again", "already", "badf", "badmsg", "busy", "canceled", "child",
    "connaborted", "connrefused", "connreset", "deadlk", "destaddrreq", "dom",
    "dquot", "exist", "fault", "fbig", "hostunreach", "idrm", "ilseq",
    "inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile",
    "mlink", "msgsize", "multihop", "nametoolong", "netdown", "netreset",
    "netunreach", "nfile", "nobufs", "nodev", "noent", "noexec", "nolck",
    "nolink", "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn",
    "notdir", "notempty", "notrecoverable", "notsock", "notsup", "notty",
    "nxio", "overflow", "ownerdead", "perm", "pipe", "proto",
    "protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale",
    "timedout", "txtbsy", "xdev", "notcapable"};

static mw_error *setup_preopen(mw_wasi *w, const mw_wasi_preopen *p) {
  char msg[512];
  if (!p->host_path || !p->guest_path)
    return mw_error_new(MW_ERR_USAGE, "WASI preopen: NULL path");
  wasi_fd e;
  memset(&e, 0, sizeof e);
  uint16_t rc = wos_open_dir(p->host_path, &e.host);
  if (rc != WASI_ESUCCESS) {
    snprintf(msg, sizeof msg, "WASI preopen \"%s\": cannot open directory (%s)",
             p->host_path, rc < 77 ? errno_names[rc] : "?");
    return mw_error_new(MW_ERR_USAGE, msg);
  }
  e.kind = WASI_FD_HOST;
  e.own = true;
  e.filetype = WASI_FILETYPE_DIRECTORY;
  e.base = WASI_R_DIR;
  e.inheriting = WASI_R_DIR | WASI_R_FILE;
  e.preopen_len = strlen(p->guest_path);
  e.preopen = wasi_alloc(w, e.preopen_len + 1);
  uint32_t fd;
  if (e.preopen) memcpy(e.preopen, p->guest_path, e.preopen_len + 1);
  if (!e.preopen || wasi_fd_insert(w, &e, &fd) != WASI_ESUCCESS) {
    wasi_fd_release(w, &e);
    return mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
  }
  return NULL;
}

/* ---------------------------------------------------------------- host functions */

typedef uint16_t (*wasi_impl_fn)(wasi_call *c, const mw_val *a);

/* Every import runs through here: the errno becomes the i32 result, unless
 * the call ended with an error (proc_exit, a callback's trap). */
static mw_error *wasi_dispatch(mw_caller *caller, const mw_val *args,
                               mw_val *results, void *ud, wasi_impl_fn fn,
                               bool has_result) {
  wasi_call c = {ud, caller, NULL};
  uint16_t e = fn(&c, args);
  if (c.trap) return c.trap;
  if (has_result) results[0] = mw_val_i32(e);
  return NULL;
}

#define WASI_TRAMPOLINE(name, params, results)                              \
  static mw_error *host_##name(mw_caller *caller, const mw_val *args,       \
                               mw_val *res, void *ud) {                     \
    return wasi_dispatch(caller, args, res, ud, wasi_##name,                \
                         sizeof(results) > 1);                              \
  }
WASI_FUNCTIONS(WASI_TRAMPOLINE)
#undef WASI_TRAMPOLINE

static const struct wasi_import {
  const char *name;
  const char *params, *results;
  mw_host_fn fn;
} wasi_imports[] = {
#define WASI_ROW(name, params, results) {#name, params, results, host_##name},
    WASI_FUNCTIONS(WASI_ROW)
#undef WASI_ROW
};

#define WASI_NIMPORTS (sizeof wasi_imports / sizeof wasi_imports[0])

static mw_func *make_func(mw_wasi *w, const struct wasi_import *imp) {
  mw_valtype p[16], r[1];
  size_t np = strlen(imp->params), nr = strlen(imp->results);
  for (size_t i = 0; i < np; i++) p[i] = imp->params[i] == 'I' ? MW_I64 : MW_I32;
  for (size_t i = 0; i < nr; i++) r[i] = MW_I32;
  mw_functype *t = mw_functype_new(&w->cfg, p, np, r, nr);
  if (!t) return NULL;
  mw_func *f = mw_func_new(&w->cfg, t, imp->fn, w, NULL);
  mw_functype_free(t);
  return f;
}

static bool make_funcs(mw_wasi *w) {
  w->funcs = wasi_alloc(w, WASI_NIMPORTS * sizeof *w->funcs);
  if (!w->funcs) return false;
  memset(w->funcs, 0, WASI_NIMPORTS * sizeof *w->funcs);
  w->nfuncs = WASI_NIMPORTS;
  for (size_t i = 0; i < WASI_NIMPORTS; i++)
    if (!(w->funcs[i] = make_func(w, &wasi_imports[i]))) return false;
  return true;
}

/* ---------------------------------------------------------------- public API */

mw_wasi *mw_wasi_new(const mw_config *cfg, const mw_wasi_config *wc,
                     mw_error **err) {
  mw_config conf;
  mw_wasi_config defaults;
  if (!wc) {
    mw_wasi_config_default(&defaults);
    wc = &defaults;
  }
  if (cfg)
    conf = *cfg;
  else
    mw_config_default(&conf);
  mw_wasi tmp;
  memset(&tmp, 0, sizeof tmp);
  tmp.cfg = conf;
  mw_wasi *w = wasi_alloc(&tmp, sizeof *w);
  mw_error *e = NULL;
  if (!w) {
    if (err) *err = mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  *w = tmp;
  if (!copy_strings(w, wc->args, wc->nargs, &w->args, &w->args_len, &w->argc) ||
      !copy_strings(w, wc->env, wc->nenv, &w->env, &w->env_len, &w->envc) ||
      !fd_table_grow(w, (uint32_t)(3 + (wc->npreopens < 64 ? wc->npreopens : 64))) ||
      !make_funcs(w)) {
    e = mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
    goto fail;
  }
  for (int i = 0; i < 3; i++)
    if ((e = setup_stdio(w, i, &wc->stdio[i]))) goto fail;
  for (size_t i = 0; i < wc->npreopens; i++)
    if ((e = setup_preopen(w, &wc->preopens[i]))) goto fail;
  return w;
fail:
  mw_wasi_free(w);
  if (err)
    *err = e;
  else
    mw_error_free(e);
  return NULL;
}

mw_error *mw_wasi_define(mw_wasi *w, mw_store *s) {
  for (size_t i = 0; i < w->nfuncs; i++) {
    mw_extern ext;
    ext.kind = MW_EXTERN_FUNC;
    ext.of.func = w->funcs[i];
    const char *name = wasi_imports[i].name;
    mw_error *e = mw_store_define(s, wasi_module, sizeof wasi_module - 1, name,
                                  strlen(name), ext);
    if (e) return e;
  }
  return NULL;
}

mw_error *mw_wasi_start(mw_wasi *w, mw_store *s, mw_instance *inst,
                        int32_t *exit_code) {
  mw_extern ext;
  if (exit_code) *exit_code = 0;
  if (!mw_instance_export(inst, "_start", 6, &ext) ||
      ext.kind != MW_EXTERN_FUNC ||
      mw_functype_param_count(mw_func_type(ext.of.func)) != 0 ||
      mw_functype_result_count(mw_func_type(ext.of.func)) != 0)
    return mw_error_new(MW_ERR_USAGE, "WASI: no _start function to run");
  mw_error *e = mw_func_call(s, ext.of.func, NULL, 0, NULL, 0);
  if (e && mw_error_kind_of(e) != MW_ERR_EXIT) return e;
  /* A command that returns has exited with status 0. */
  w->exited = true;
  w->exit_code = e ? mw_error_exit_code(e) : 0;
  if (exit_code) *exit_code = w->exit_code;
  mw_error_free(e);
  return NULL;
}

void mw_wasi_free(mw_wasi *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->nfds; i++) wasi_fd_release(w, &w->fds[i]);
  wasi_free(w, w->fds, w->nfds * sizeof *w->fds);
  for (size_t i = 0; i < w->nfuncs; i++) mw_func_free(w->funcs[i]);
  wasi_free(w, w->funcs, w->nfuncs * sizeof *w->funcs);
  wasi_free(w, w->args, w->args_len);
  wasi_free(w, w->env, w->env_len);
  mw_wasi tmp = *w;
  wasi_free(&tmp, w, sizeof *w);
}

bool mw_wasi_exited(const mw_wasi *w) { return w->exited; }
int32_t mw_wasi_exit_code(const mw_wasi *w) { return w->exit_code; }

/* ---------------------------------------------------------------- args, environ */

/* args_sizes_get / environ_sizes_get: the count and the bytes of the
 * NUL-terminated strings. */
static uint16_t sizes_get(wasi_call *c, const mw_val *a, uint32_t count,
                          size_t len) {
  uint32_t pcount = WASI_U32(0), plen = WASI_U32(1);
  if (!wasi_mem(c, pcount, 4) || !wasi_mem(c, plen, 4)) return WASI_EFAULT;
  wasi_put_u32(c, pcount, count);
  wasi_put_u32(c, plen, (uint32_t)len);
  return WASI_ESUCCESS;
}

/* args_get / environ_get: the strings into `buf`, a pointer to each into
 * the array at `ptrs`. */
static uint16_t strings_get(wasi_call *c, const mw_val *a, const char *list,
                            uint32_t count, size_t len) {
  uint32_t ptrs = WASI_U32(0), buf = WASI_U32(1);
  uint8_t *pv = wasi_mem(c, ptrs, (uint64_t)count * 4);
  uint8_t *bv = wasi_mem(c, buf, len);
  if (!pv || !bv) return WASI_EFAULT;
  memcpy(bv, list, len);
  size_t at = 0;
  for (uint32_t i = 0; i < count; i++) {
    wasi_le32(pv + 4 * i, buf + (uint32_t)at);
    at += strlen(list + at) + 1;
  }
  return WASI_ESUCCESS;
}

uint16_t wasi_args_sizes_get(wasi_call *c, const mw_val *a) {
  return sizes_get(c, a, c->w->argc, c->w->args_len);
}

uint16_t wasi_args_get(wasi_call *c, const mw_val *a) {
  return strings_get(c, a, c->w->args, c->w->argc, c->w->args_len);
}

uint16_t wasi_environ_sizes_get(wasi_call *c, const mw_val *a) {
  return sizes_get(c, a, c->w->envc, c->w->env_len);
}

uint16_t wasi_environ_get(wasi_call *c, const mw_val *a) {
  return strings_get(c, a, c->w->env, c->w->envc, c->w->env_len);
}

/* ---------------------------------------------------------------- clock, random */

uint16_t wasi_clock_res_get(wasi_call *c, const mw_val *a) {
  uint64_t ns;
  uint16_t rc = wos_clock_res(WASI_U32(0), &ns);
  return rc ? rc : wasi_put_u64(c, WASI_U32(1), ns);
}

/* The precision argument is a hint ("the maximum lag ... that the
 * implementation may use"); the host clocks are read exactly. */
uint16_t wasi_clock_time_get(wasi_call *c, const mw_val *a) {
  uint64_t ns;
  uint16_t rc = wos_clock_time(WASI_U32(0), &ns);
  return rc ? rc : wasi_put_u64(c, WASI_U32(2), ns);
}

uint16_t wasi_random_get(wasi_call *c, const mw_val *a) {
  uint8_t *p = wasi_mem(c, WASI_U32(0), WASI_U32(1));
  if (!p) return WASI_EFAULT;
  return wos_random(p, WASI_U32(1));
}

/* ---------------------------------------------------------------- proc, sched */

/* proc_exit: "terminate the process normally" -- an MW_ERR_EXIT error that
 * unwinds every wasm frame up to whoever called into the instance. */
uint16_t wasi_proc_exit(wasi_call *c, const mw_val *a) {
  c->w->exited = true;
  c->w->exit_code = (int32_t)WASI_U32(0);
  c->trap = mw_error_new_exit(c->w->exit_code);
  return WASI_ESUCCESS;
}

/* proc_raise: a sandboxed guest cannot signal its host process. */
uint16_t wasi_proc_raise(wasi_call *c, const mw_val *a) {
  (void)c;
  return WASI_U32(0) > WASI_SIGNAL_MAX ? WASI_EINVAL : WASI_ENOSYS;
}

uint16_t wasi_sched_yield(wasi_call *c, const mw_val *a) {
  (void)c;
  (void)a;
  wos_yield();
  return WASI_ESUCCESS;
}
