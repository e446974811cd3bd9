/*
 * wasi_poll.c -- poll_oneoff and the sock_* functions of
 * wasi_snapshot_preview1 (wasi_snapshot_preview1.witx, "poll_oneoff",
 * "sock_accept", "sock_recv", "sock_send", "sock_shutdown").
 */
#include <string.h>

#include "wasi_impl.h"

/* ---------------------------------------------------------------- poll_oneoff */

/* One subscription as we track it. */
typedef struct wasi_sub {
  uint64_t userdata;
  uint8_t type;     /* WASI_EVENT_* */
  bool ready;       /* an event is due */
  uint16_t error;   /* the event's errno */
  int64_t timeout;  /* clock: ns from the start of the call */
  int32_t pollfd;   /* index in the host poll set, or -1 */
  uint64_t nbytes;  /* fd events */
  uint16_t flags;   /* fd events: WASI_EVENTRW_* */
} wasi_sub;

typedef struct wasi_poll {
  wasi_sub *subs;
  wos_pollfd *fds;
  size_t nfds;
  int64_t next_clock; /* the earliest clock timeout, or -1 */
  bool any_ready;
} wasi_poll;

/* subscription_clock at p + 16: id u32, timeout u64 @+8, precision @+16,
 * flags u16 @+24.  An absolute time becomes a timeout from now. */
static void parse_clock(wasi_poll *pl, wasi_sub *s, const uint8_t *p) {
  uint32_t id = wasi_rd32(p + 16);
  uint64_t timeout = wasi_rd64(p + 24), now;
  uint16_t flags = wasi_rd16(p + 40);
  if (wos_clock_time(id, &now)) {
    s->ready = true;
    s->error = WASI_EINVAL;
    pl->any_ready = true;
    return;
  }
  if (flags & WASI_SUBCLOCK_ABSTIME) timeout = timeout > now ? timeout - now : 0;
  s->timeout = timeout > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)timeout;
  if (pl->next_clock < 0 || s->timeout < pl->next_clock)
    pl->next_clock = s->timeout;
}

/* subscription_fd_readwrite at p + 16: the fd.  Files are always ready
 * (as poll(2) has it); callback streams too; host streams are polled. */
static void parse_fd(mw_wasi *w, wasi_poll *pl, wasi_sub *s, const uint8_t *p) {
  wasi_fd *e;
  bool rd = s->type == WASI_EVENT_FD_READ;
  uint64_t need = WASI_R_POLL_FD_READWRITE | (rd ? WASI_R_FD_READ : WASI_R_FD_WRITE);
  uint16_t rc = wasi_fd_get(w, wasi_rd32(p + 16), need, &e);
  if (rc || e->kind != WASI_FD_HOST ||
      e->filetype == WASI_FILETYPE_REGULAR_FILE) {
    s->ready = true;
    s->error = rc;
    pl->any_ready = true;
    if (!rc && rd && e->kind == WASI_FD_HOST) s->nbytes = wos_nread(e->host);
    return;
  }
  wos_pollfd *f = &pl->fds[pl->nfds];
  memset(f, 0, sizeof *f);
  f->fd = e->host;
  f->want_read = rd;
  f->want_write = !rd;
  s->pollfd = (int32_t)pl->nfds++;
}

static uint16_t parse_subs(mw_wasi *w, wasi_poll *pl, const uint8_t *in,
                           uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *p = in + (size_t)i * WASI_SUBSCRIPTION_SIZE;
    wasi_sub *s = &pl->subs[i];
    memset(s, 0, sizeof *s);
    s->userdata = wasi_rd64(p);
    s->type = p[8];
    s->pollfd = -1;
    s->timeout = -1;
    if (s->type == WASI_EVENT_CLOCK)
      parse_clock(pl, s, p);
    else if (s->type == WASI_EVENT_FD_READ || s->type == WASI_EVENT_FD_WRITE)
      parse_fd(w, pl, s, p);
    else
      return WASI_EINVAL;
  }
  return WASI_ESUCCESS;
}

/* Mark what became ready after `elapsed` ns of waiting. */
static void collect(wasi_poll *pl, uint32_t n, int64_t elapsed) {
  for (uint32_t i = 0; i < n; i++) {
    wasi_sub *s = &pl->subs[i];
    if (s->ready) continue;
    if (s->type == WASI_EVENT_CLOCK) {
      s->ready = s->timeout <= elapsed;
    } else if (s->pollfd >= 0) {
      const wos_pollfd *f = &pl->fds[s->pollfd];
      s->ready = f->readable || f->writable || f->hangup || f->error;
      if (f->hangup) s->flags = WASI_EVENTRW_HANGUP;
      if (f->error && !f->hangup) s->error = WASI_EIO;
      if (s->ready && f->readable) s->nbytes = wos_nread(f->fd);
    }
    if (s->ready) pl->any_ready = true;
  }
}

static int64_t elapsed_since(uint64_t start) {
  uint64_t now;
  if (wos_clock_time(WASI_CLOCK_MONOTONIC, &now) || now < start) return 0;
  return (int64_t)(now - start);
}

/* Wait until a subscription is ready.  A lone clock is a plain sleep. */
static uint16_t wait_ready(wasi_poll *pl, void *scratch, uint32_t n) {
  uint64_t start;
  if (wos_clock_time(WASI_CLOCK_MONOTONIC, &start)) return WASI_EIO;
  for (;;) {
    int64_t elapsed = elapsed_since(start);
    collect(pl, n, elapsed);
    if (pl->any_ready) return WASI_ESUCCESS;
    if (pl->nfds == 0 && pl->next_clock < 0) return WASI_EINVAL;
    int64_t left = pl->next_clock < 0 ? -1 : pl->next_clock - elapsed;
    if (left < 0 && pl->next_clock >= 0) left = 0;
    uint16_t rc = pl->nfds ? wos_poll(pl->fds, pl->nfds, scratch, left)
                           : wos_sleep((uint64_t)left);
    if (rc) return rc;
  }
}

static void write_events(wasi_call *c, const wasi_poll *pl, uint32_t n,
                         uint32_t out, uint32_t *count) {
  uint8_t *ev = wasi_mem(c, out, (uint64_t)n * WASI_EVENT_SIZE);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wasi_sub *s = &pl->subs[i];
    if (!s->ready) continue;
    uint8_t *p = ev + (size_t)k++ * WASI_EVENT_SIZE;
    memset(p, 0, WASI_EVENT_SIZE);
    wasi_le64(p, s->userdata);
    wasi_le16(p + 8, s->error);
    p[10] = s->type;
    if (s->type != WASI_EVENT_CLOCK) {
      wasi_le64(p + 16, s->nbytes);
      wasi_le16(p + 24, s->flags);
    }
  }
  *count = k;
}

/* poll_oneoff(in, out, nsubscriptions, nevents): "concurrently poll for the
 * occurrence of a set of events"; at least one subscription is required. */
uint16_t wasi_poll_oneoff(wasi_call *c, const mw_val *a) {
  uint32_t in = WASI_U32(0), out = WASI_U32(1), n = WASI_U32(2);
  uint32_t nout = WASI_U32(3), count = 0;
  if (n == 0) return WASI_EINVAL;
  const uint8_t *subs = wasi_mem(c, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE);
  if (!subs || !wasi_mem(c, out, (uint64_t)n * WASI_EVENT_SIZE) ||
      !wasi_mem(c, nout, 4))
    return WASI_EFAULT;
  mw_wasi *w = c->w;
  size_t bytes = (size_t)n * (sizeof(wasi_sub) + sizeof(wos_pollfd) +
                              WOS_POLL_SCRATCH);
  uint8_t *mem = wasi_alloc(w, bytes);
  if (!mem) return WASI_ENOMEM;
  wasi_poll pl;
  pl.subs = (wasi_sub *)mem;
  pl.fds = (wos_pollfd *)(mem + (size_t)n * sizeof(wasi_sub));
  void *scratch = mem + (size_t)n * (sizeof(wasi_sub) + sizeof(wos_pollfd));
  pl.nfds = 0;
  pl.next_clock = -1;
  pl.any_ready = false;
  uint16_t rc = parse_subs(w, &pl, subs, n);
  if (!rc && pl.any_ready && pl.nfds)
    rc = wos_poll(pl.fds, pl.nfds, scratch, 0); /* also report ready fds */
  if (!rc) rc = wait_ready(&pl, scratch, n);
  if (!rc) {
    write_events(c, &pl, n, out, &count);
    rc = wasi_put_u32(c, nout, count);
  }
  wasi_free(w, mem, bytes);
  return rc;
}

/* ---------------------------------------------------------------- sockets */

/* A socket fd: EBADF if not open, ENOTSOCK if not a socket, then rights. */
static uint16_t socket_fd(wasi_call *c, uint32_t fd, uint64_t rights,
                          wasi_fd **e) {
  uint16_t rc = wasi_fd_get(c->w, fd, 0, e);
  if (rc) return rc;
  if ((*e)->kind != WASI_FD_HOST ||
      ((*e)->filetype != WASI_FILETYPE_SOCKET_STREAM &&
       (*e)->filetype != WASI_FILETYPE_SOCKET_DGRAM))
    return WASI_ENOTSOCK;
  return wasi_fd_get(c->w, fd, rights, e);
}

/* sock_accept(fd, flags, fd_out): only fdflags::nonblock is allowed. */
uint16_t wasi_sock_accept(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint32_t flags = WASI_U32(1), out = WASI_U32(2);
  uint16_t rc = socket_fd(c, WASI_U32(0), WASI_R_SOCK_ACCEPT, &e);
  if (rc) return rc;
  if (flags & ~WASI_FDFLAG_NONBLOCK) return WASI_EINVAL;
  if (!wasi_mem(c, out, 4)) return WASI_EFAULT;
  wasi_fd n;
  memset(&n, 0, sizeof n);
  if ((rc = wos_sock_accept(e->host, flags & WASI_FDFLAG_NONBLOCK, &n.host)))
    return rc;
  n.kind = WASI_FD_HOST;
  n.own = true;
  n.filetype = WASI_FILETYPE_SOCKET_STREAM;
  n.base = WASI_R_SOCKET & ~WASI_R_SOCK_ACCEPT;
  uint32_t fd;
  if ((rc = wasi_fd_insert(c->w, &n, &fd))) {
    wos_close(n.host);
    return rc;
  }
  return wasi_put_u32(c, out, fd);
}

/* sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags): one
 * recvmsg into the first WOS_IOV_BATCH buffers. */
uint16_t wasi_sock_recv(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint32_t iovs = WASI_U32(1), n = WASI_U32(2), riflags = WASI_U32(3);
  uint32_t plen = WASI_U32(4), pflags = WASI_U32(5), next = 0;
  uint16_t rc = socket_fd(c, WASI_U32(0), WASI_R_FD_READ, &e);
  if (rc) return rc;
  if (riflags & ~(WASI_RIFLAG_PEEK | WASI_RIFLAG_WAITALL)) return WASI_EINVAL;
  if (!wasi_mem(c, plen, 4) || !wasi_mem(c, pflags, 2)) return WASI_EFAULT;
  if ((rc = wasi_iovs_check(c, iovs, n))) return rc;
  wos_iov v[WOS_IOV_BATCH];
  size_t total, got = 0;
  uint16_t roflags = 0;
  size_t k = wasi_iovs_batch(c, iovs, n, &next, 0, v, &total);
  if ((rc = wos_sock_recv(e->host, v, k, (uint16_t)riflags, &got, &roflags)))
    return rc;
  wasi_put_u32(c, plen, (uint32_t)got);
  wasi_le16(wasi_mem(c, pflags, 2), roflags);
  return WASI_ESUCCESS;
}

/* sock_send(fd, si_data, si_data_len, si_flags, so_datalen): no siflags are
 * defined. */
uint16_t wasi_sock_send(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint32_t iovs = WASI_U32(1), n = WASI_U32(2), out = WASI_U32(4), next = 0;
  uint16_t rc = socket_fd(c, WASI_U32(0), WASI_R_FD_WRITE, &e);
  if (rc) return rc;
  if (WASI_U32(3) != 0) return WASI_EINVAL;
  if (!wasi_mem(c, out, 4)) return WASI_EFAULT;
  if ((rc = wasi_iovs_check(c, iovs, n))) return rc;
  wos_iov v[WOS_IOV_BATCH];
  size_t total, sent = 0;
  size_t k = wasi_iovs_batch(c, iovs, n, &next, 0, v, &total);
  if ((rc = wos_sock_send(e->host, v, k, &sent))) return rc;
  return wasi_put_u32(c, out, (uint32_t)sent);
}

uint16_t wasi_sock_shutdown(wasi_call *c, const mw_val *a) {
  wasi_fd *e;
  uint16_t rc = socket_fd(c, WASI_U32(0), WASI_R_SOCK_SHUTDOWN, &e);
  if (rc) return rc;
  return wos_sock_shutdown(e->host, (uint8_t)(WASI_U32(1) > 0xFF ? 0 : WASI_U32(1)));
}
