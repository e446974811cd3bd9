/*
 * wasi_path.c -- the sandboxed path walk and the path_* functions of
 * wasi_snapshot_preview1 (wasi_snapshot_preview1.witx, "path_create_directory"
 * through "path_unlink_file").
 *
 * The sandbox.  A guest path is always relative to a directory fd it holds
 * (a preopen or a directory opened below one).  We never hand a guest path
 * to the host: we walk it one component at a time from that fd, opening
 * each directory with O_NOFOLLOW|O_DIRECTORY and keeping the chain of open
 * directories, so that
 *   - ".." pops the chain and can never rise above the starting fd
 *     (escaping is `notcapable`);
 *   - an absolute path is `notcapable`;
 *   - a symlink met on the way (or last, when following is asked for) is
 *     read with readlinkat and its target walked by these same rules from
 *     the symlink's directory: an absolute target is `notcapable`, a
 *     relative one is held to the chain; at most MW_WASI_MAX_SYMLINKS
 *     expansions (`loop`);
 *   - the operation itself is one *at() call on the last directory with the
 *     last component, which never follows a symlink (O_NOFOLLOW,
 *     AT_SYMLINK_NOFOLLOW, linkat without AT_SYMLINK_FOLLOW).
 * realpath() and the host's own path resolution are never trusted.
 */
#include <string.h>

#include "wasi_impl.h"

/* The result of a walk: the directory for the *at() call and the name in
 * it ("." for the directory itself).  `trailing`: the path ended in '/'. */
typedef struct wasi_resolved {
  int dir;
  bool own;
  bool trailing;
  uint32_t depth; /* directories `dir` lies below the starting fd */
  const char *name;
  char buf[WOS_PATH_MAX + 1];
} wasi_resolved;

/* How the last component is treated when it is a symlink. */
typedef enum walk_mode {
  WALK_ENTRY,  /* act on the entry itself (unlink, rename, mkdir...) */
  WALK_LOOKUP, /* look it up: follow it only before a trailing '/' */
  WALK_FOLLOW  /* lookupflags::symlink_follow: always follow */
} walk_mode;

typedef struct walk_state {
  int stack[MW_WASI_MAX_DEPTH + 1]; /* stack[0]: the starting fd, borrowed */
  uint32_t depth;
  uint32_t links;
} walk_state;

static void walk_close(walk_state *s, uint32_t keep) {
  while (s->depth > keep) wos_close(s->stack[s->depth--]);
}

/* Replace the component just read (a symlink) by its target: the path to
 * walk becomes target + "/" + rest, from the symlink's own directory. */
static uint16_t expand(wasi_resolved *r, walk_state *s, int dir,
                       const char *name, char **p, bool trailing) {
  char target[WOS_PATH_MAX + 1];
  size_t tlen;
  uint16_t rc = wos_readlinkat(dir, name, target, sizeof target, false, &tlen);
  if (rc) return rc; /* EINVAL: not a symlink */
  if (++s->links > MW_WASI_MAX_SYMLINKS) return WASI_ELOOP;
  if (tlen == 0) return WASI_ENOENT;
  if (target[0] == '/') return WASI_ENOTCAPABLE; /* absolute: outside */
  size_t rest = strlen(*p);
  size_t sep = rest > 0 || trailing ? 1 : 0;
  if (tlen + sep + rest > WOS_PATH_MAX) return WASI_ENAMETOOLONG;
  memmove(r->buf + tlen + sep, *p, rest + 1);
  memcpy(r->buf, target, tlen);
  if (sep) r->buf[tlen] = '/';
  *p = r->buf;
  return WASI_ESUCCESS;
}

/* Cut the next component off *p: NUL-terminate it, skip the slashes after
 * it.  *last: nothing follows; *slash: it ended with '/'. */
static char *next_component(char **p, bool *last, bool *slash) {
  char *comp = *p, *q = *p;
  while (*q && *q != '/') q++;
  *slash = *q == '/';
  if (*slash) {
    *q++ = '\0';
    while (*q == '/') q++;
  }
  *last = *q == '\0';
  *p = q;
  return comp;
}

/* One intermediate component: descend into it, or expand it if it is a
 * symlink. */
static uint16_t descend(wasi_resolved *r, walk_state *s, const char *comp,
                        char **p) {
  int top = s->stack[s->depth], fd;
  uint16_t rc = wos_open_walk(top, comp, &fd);
  if (rc == WASI_ESUCCESS) {
    if (s->depth == MW_WASI_MAX_DEPTH) {
      wos_close(fd);
      return WASI_ENAMETOOLONG;
    }
    s->stack[++s->depth] = fd;
    return WASI_ESUCCESS;
  }
  if (rc != WASI_ELOOP && rc != WASI_ENOTDIR) return rc;
  uint16_t lrc = expand(r, s, top, comp, p, false);
  return lrc == WASI_EINVAL ? rc : lrc; /* EINVAL: not a symlink after all */
}

/* Walk r->buf from `base`. */
static uint16_t walk(wasi_resolved *r, int base, walk_mode mode) {
  walk_state s;
  s.stack[0] = base;
  s.depth = 0;
  s.links = 0;
  char *p = r->buf;
  uint16_t rc = WASI_ESUCCESS;
  if (*p == '\0') return WASI_ENOENT;
  for (;;) {
    if (*p == '/') { rc = WASI_ENOTCAPABLE; break; } /* absolute */
    bool last, slash;
    char *comp = next_component(&p, &last, &slash);
    r->trailing = last && slash;
    if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
      if (comp[1] == '.') {
        if (s.depth == 0) { rc = WASI_ENOTCAPABLE; break; }
        walk_close(&s, s.depth - 1);
      }
      if (last) { r->name = "."; break; }
      continue;
    }
    if (!last) {
      if ((rc = descend(r, &s, comp, &p))) break;
      continue;
    }
    if (mode == WALK_FOLLOW || (mode == WALK_LOOKUP && r->trailing)) {
      rc = expand(r, &s, s.stack[s.depth], comp, &p, r->trailing);
      if (rc == WASI_ESUCCESS) continue;
      if (rc != WASI_EINVAL && rc != WASI_ENOENT) break;
      rc = WASI_ESUCCESS; /* not a symlink, or nothing there yet */
    }
    r->name = comp;
    break;
  }
  if (rc) {
    walk_close(&s, 0);
    return rc;
  }
  /* Keep the last directory only. */
  r->depth = s.depth;
  r->dir = s.stack[s.depth];
  r->own = s.depth > 0;
  if (s.depth > 0) {
    s.stack[s.depth] = -1;
    s.depth--;
    walk_close(&s, 0);
  }
  return WASI_ESUCCESS;
}

/* The directory fd `fd` with `rights`, and the guest path at (ptr, len)
 * walked from it. */
static uint16_t resolve(wasi_call *c, uint32_t fd, uint64_t rights,
                        uint32_t ptr, uint32_t len, walk_mode mode,
                        wasi_resolved *r) {
  wasi_fd *e;
  r->own = false;
  uint16_t rc = wasi_fd_get(c->w, fd, rights, &e);
  if (rc) return rc;
  if (e->kind != WASI_FD_HOST || e->filetype != WASI_FILETYPE_DIRECTORY)
    return WASI_ENOTDIR;
  if ((rc = wasi_get_path(c, ptr, len, r->buf))) return rc;
  return walk(r, e->host, mode);
}

static walk_mode lookup_mode(uint32_t lookupflags) {
  return lookupflags & WASI_LOOKUP_SYMLINK_FOLLOW ? WALK_FOLLOW : WALK_LOOKUP;
}

static void resolved_done(wasi_resolved *r) {
  if (r->own) wos_close(r->dir);
  r->own = false;
}

/* "name/" names a directory: anything else there is ENOTDIR. */
static uint16_t trailing_dir(const wasi_resolved *r) {
  wos_stat st;
  if (!r->trailing) return WASI_ESUCCESS;
  uint16_t rc = wos_fstatat(r->dir, r->name, &st);
  if (rc) return rc;
  return st.filetype == WASI_FILETYPE_DIRECTORY ? WASI_ESUCCESS : WASI_ENOTDIR;
}

/* ---------------------------------------------------------------- single-path operations */

uint16_t wasi_path_create_directory(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_CREATE_DIRECTORY,
                        WASI_U32(1), WASI_U32(2), WALK_ENTRY, &r);
  if (rc) return rc;
  rc = wos_mkdirat(r.dir, r.name);
  resolved_done(&r);
  return rc;
}

uint16_t wasi_path_remove_directory(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_REMOVE_DIRECTORY,
                        WASI_U32(1), WASI_U32(2), WALK_ENTRY, &r);
  if (rc) return rc;
  rc = wos_unlinkat(r.dir, r.name, true);
  resolved_done(&r);
  return rc;
}

uint16_t wasi_path_unlink_file(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_UNLINK_FILE, WASI_U32(1),
                        WASI_U32(2), WALK_ENTRY, &r);
  if (rc) return rc;
  rc = trailing_dir(&r);
  if (rc == WASI_ESUCCESS && r.trailing) rc = WASI_EISDIR;
  if (rc == WASI_ESUCCESS) rc = wos_unlinkat(r.dir, r.name, false);
  resolved_done(&r);
  return rc;
}

/* path_filestat_get(fd, flags, path, path_len, buf) */
uint16_t wasi_path_filestat_get(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  wos_stat st;
  if (!wasi_mem(c, WASI_U32(4), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_FILESTAT_GET, WASI_U32(2),
                        WASI_U32(3), lookup_mode(WASI_U32(1)), &r);
  if (rc) return rc;
  rc = wos_fstatat(r.dir, r.name, &st);
  if (rc == WASI_ESUCCESS && r.trailing &&
      st.filetype != WASI_FILETYPE_DIRECTORY)
    rc = WASI_ENOTDIR;
  resolved_done(&r);
  if (rc) return rc;
  wasi_write_filestat(wasi_mem(c, WASI_U32(4), WASI_FILESTAT_SIZE), &st);
  return WASI_ESUCCESS;
}

/* path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst) */
uint16_t wasi_path_filestat_set_times(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  if (!wasi_fst_ok(WASI_U32(6))) return WASI_EINVAL;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_FILESTAT_SET_TIMES,
                        WASI_U32(2), WASI_U32(3), lookup_mode(WASI_U32(1)),
                        &r);
  if (rc) return rc;
  rc = trailing_dir(&r);
  if (rc == WASI_ESUCCESS)
    rc = wos_utimesat(r.dir, r.name, WASI_U64(4), WASI_U64(5),
                      (uint16_t)WASI_U32(6));
  resolved_done(&r);
  return rc;
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused): a target
 * longer than the buffer is cut to fit, as readlink(2) does. */
uint16_t wasi_path_readlink(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  char target[WOS_PATH_MAX + 1];
  size_t n;
  uint32_t buf = WASI_U32(3), cap = WASI_U32(4), out = WASI_U32(5);
  if (!wasi_mem(c, buf, cap) || !wasi_mem(c, out, 4)) return WASI_EFAULT;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_READLINK, WASI_U32(1),
                        WASI_U32(2), WALK_ENTRY, &r);
  if (rc) return rc;
  rc = trailing_dir(&r); /* "link/" names the directory, not a link */
  if (rc == WASI_ESUCCESS) rc = r.trailing ? WASI_EINVAL
                                           : wos_readlinkat(r.dir, r.name, target,
                                                            sizeof target, true, &n);
  resolved_done(&r);
  if (rc) return rc;
  if (n > cap) n = cap;
  memcpy(wasi_mem(c, buf, n), target, n);
  return wasi_put_u32(c, out, (uint32_t)n);
}

/* Would a symlink `depth` directories below the starting fd, holding
 * `target`, point above that fd when read by the host's own path lookup?
 * Absolute targets always do; a relative one does when its ".." climb
 * past the top (read lexically: the walk polices what lies in between). */
static bool target_escapes(const char *target, uint32_t depth) {
  if (target[0] == '/') return true;
  int64_t level = depth;
  const char *p = target;
  while (*p) {
    const char *q = p;
    while (*q && *q != '/') q++;
    size_t n = (size_t)(q - p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (--level < 0) return true;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      level++;
    }
    p = *q ? q + 1 : q;
  }
  return false;
}

/* path_symlink(old_path, old_path_len, fd, new_path, new_path_len).  Our
 * walk would refuse to follow a symlink out of the sandbox, but the link
 * is a real one on the host, where other programs would follow it: one
 * whose target leads out of the directory fd (absolute, or too many "..")
 * is refused as `notcapable`, as other runtimes do, and never made. */
uint16_t wasi_path_symlink(wasi_call *c, const mw_val *a) {
  wasi_resolved r;
  char target[WOS_PATH_MAX + 1];
  uint16_t rc = wasi_get_path(c, WASI_U32(0), WASI_U32(1), target);
  if (rc) return rc;
  if (target[0] == '\0') return WASI_ENOENT;
  if (target[0] == '/') return WASI_ENOTCAPABLE;
  rc = resolve(c, WASI_U32(2), WASI_R_PATH_SYMLINK, WASI_U32(3), WASI_U32(4),
               WALK_ENTRY, &r);
  if (rc) return rc;
  if (r.trailing) rc = WASI_ENOENT; /* "name/" cannot be a new symlink */
  if (rc == WASI_ESUCCESS && target_escapes(target, r.depth))
    rc = WASI_ENOTCAPABLE;
  if (rc == WASI_ESUCCESS) rc = wos_symlinkat(target, r.dir, r.name);
  resolved_done(&r);
  return rc;
}

/* ---------------------------------------------------------------- two-path operations */

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
uint16_t wasi_path_link(wasi_call *c, const mw_val *a) {
  wasi_resolved from, to;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_LINK_SOURCE, WASI_U32(2),
                        WASI_U32(3),
                        WASI_U32(1) & WASI_LOOKUP_SYMLINK_FOLLOW ? WALK_FOLLOW
                                                                 : WALK_ENTRY,
                        &from);
  if (rc) return rc;
  rc = resolve(c, WASI_U32(4), WASI_R_PATH_LINK_TARGET, WASI_U32(5),
               WASI_U32(6), WALK_ENTRY, &to);
  if (rc == WASI_ESUCCESS) {
    rc = trailing_dir(&from);
    if (rc == WASI_ESUCCESS) rc = trailing_dir(&to);
    if (rc == WASI_ESUCCESS)
      rc = wos_linkat(from.dir, from.name, to.dir, to.name);
    resolved_done(&to);
  }
  resolved_done(&from);
  return rc;
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
uint16_t wasi_path_rename(wasi_call *c, const mw_val *a) {
  wasi_resolved from, to;
  uint16_t rc = resolve(c, WASI_U32(0), WASI_R_PATH_RENAME_SOURCE, WASI_U32(1),
                        WASI_U32(2), WALK_ENTRY, &from);
  if (rc) return rc;
  rc = resolve(c, WASI_U32(3), WASI_R_PATH_RENAME_TARGET, WASI_U32(4),
               WASI_U32(5), WALK_ENTRY, &to);
  if (rc == WASI_ESUCCESS) {
    /* "a/" -> "b" or "a" -> "b/": the source must be a directory. */
    if (from.trailing || to.trailing) {
      from.trailing = true;
      rc = trailing_dir(&from);
    }
    if (rc == WASI_ESUCCESS)
      rc = wos_renameat(from.dir, from.name, to.dir, to.name);
    resolved_done(&to);
  }
  resolved_done(&from);
  return rc;
}

/* ---------------------------------------------------------------- path_open */

/* Rights a new fd keeps for its file type (path_open may drop "rights that
 * do not apply to the type of file being opened"). */
static uint64_t rights_for(uint8_t filetype) {
  switch (filetype) {
  case WASI_FILETYPE_DIRECTORY: return WASI_R_DIR;
  case WASI_FILETYPE_REGULAR_FILE: return WASI_R_FILE;
  default: return WASI_R_STREAM;
  }
}

/* Open the file and make the new fd entry; `out` was checked already. */
static uint16_t open_entry(wasi_call *c, wasi_resolved *r, uint16_t oflags,
                           uint16_t fdflags, uint64_t base, uint64_t inh,
                           uint32_t out) {
  bool dir = oflags & WASI_OFLAG_DIRECTORY;
  bool read = (base & (WASI_R_FD_READ | WASI_R_FD_READDIR)) != 0;
  bool write = !dir && ((base & (WASI_R_FD_WRITE | WASI_R_FD_ALLOCATE |
                                 WASI_R_FD_FILESTAT_SET_SIZE)) ||
                        (oflags & WASI_OFLAG_TRUNC));
  wasi_fd e;
  wos_stat st;
  memset(&e, 0, sizeof e);
  uint16_t rc = wos_openat(r->dir, r->name, oflags, fdflags, read, write,
                           &e.host);
  if (rc) return rc;
  e.kind = WASI_FD_HOST;
  e.own = true;
  if ((rc = wos_fstat(e.host, &st))) goto fail;
  /* A directory cannot be opened for writing: with O_DIRECTORY the host
   * open succeeded read-only, but the guest asked for fd_write (other
   * rights that do not apply to directories are dropped below). */
  if (st.filetype == WASI_FILETYPE_DIRECTORY && (base & WASI_R_FD_WRITE)) {
    rc = WASI_EISDIR;
    goto fail;
  }
  e.filetype = st.filetype;
  e.base = base & rights_for(st.filetype);
  e.inheriting = inh;
  uint32_t fd;
  if ((rc = wasi_fd_insert(c->w, &e, &fd))) goto fail;
  return wasi_put_u32(c, out, fd);
fail:
  wos_close(e.host);
  return rc;
}

/* path_open(fd, dirflags, path, path_len, oflags, fs_rights_base,
 *           fs_rights_inheriting, fdflags, fd_out) */
uint16_t wasi_path_open(wasi_call *c, const mw_val *a) {
  wasi_fd *d;
  uint32_t dirflags = WASI_U32(1), oflags = WASI_U32(4), fdflags = WASI_U32(7);
  uint32_t out = WASI_U32(8);
  /* Rights no file or directory can use (sockets') are ignored. */
  uint64_t base = WASI_U64(5) & (WASI_R_DIR | WASI_R_FILE);
  uint64_t inh = WASI_U64(6) & (WASI_R_DIR | WASI_R_FILE);
  uint64_t need = WASI_R_PATH_OPEN;
  if (oflags & WASI_OFLAG_CREAT) need |= WASI_R_PATH_CREATE_FILE;
  if (oflags & WASI_OFLAG_TRUNC) need |= WASI_R_PATH_FILESTAT_SET_SIZE;
  uint16_t rc = wasi_fd_get(c->w, WASI_U32(0), need, &d);
  if (rc) return rc;
  if ((oflags & ~WASI_OFLAGS_ALL) || (fdflags & ~WASI_FDFLAGS_ALL))
    return WASI_EINVAL;
  /* A new fd gets no right its directory could not hand down. */
  if ((base & ~d->inheriting) || (inh & ~d->inheriting))
    return WASI_ENOTCAPABLE;
  if (!wasi_mem(c, out, 4)) return WASI_EFAULT;
  /* creat+excl never follows a final symlink: it must fail as existing. */
  bool excl = (oflags & WASI_OFLAG_CREAT) && (oflags & WASI_OFLAG_EXCL);
  walk_mode mode = excl ? WALK_ENTRY : lookup_mode(dirflags);
  wasi_resolved r;
  if ((rc = resolve(c, WASI_U32(0), need, WASI_U32(2), WASI_U32(3), mode, &r)))
    return rc;
  if (r.trailing) oflags |= WASI_OFLAG_DIRECTORY;
  rc = open_entry(c, &r, (uint16_t)oflags, (uint16_t)fdflags, base, inh, out);
  resolved_done(&r);
  return rc;
}
