/*
 * escape.c -- attempts to leave the sandbox, each of which must fail with
 * an errno and change nothing outside.  Wasm only: natively there is no
 * sandbox, so the native build just says so.
 *
 * The driver lays out (T = a fresh temp dir, passed as argv[1]):
 *   T/outside.txt  "secret"          T/outdir/        (empty)
 *   T/box/         the preopen, guest fd 3 ("/sandbox")
 *   T/box/inside.txt "inside"        T/box/sub/
 *   T/box/link_rel -> ../outside.txt T/box/link_abs -> T/outside.txt
 *   T/box/link_up -> ..              T/box/sub/link_up2 -> ../..
 *   T/box/link_abs_dir -> T          T/box/loop_a <-> T/box/loop_b
 *   T/box/link_in -> inside.txt      T/box/sub/link_in2 -> ../inside.txt
 *   T/box/dangle_host -> ../created.txt  T/box/up_extra -> ..
 * and afterwards checks that T holds only outside.txt ("secret"), outdir
 * (empty) and box.
 */
#ifdef __wasi__
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi_check.h"

#define BOX 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define NOTCAP __WASI_ERRNO_NOTCAPABLE

static const char *outside_abs;

static void escape_open(const char *path, __wasi_lookupflags_t lookup,
                        __wasi_errno_t want) {
  __wasi_fd_t fd = 99;
  char what[300];
  snprintf(what, sizeof what, "open %s%s", path, lookup ? " (follow)" : "");
  __wasi_errno_t e = open_at(BOX, path, lookup, 0, &fd);
  EXPECT(what, e, want);
  if (e == 0) (void)__wasi_fd_close(fd);
}

static void dotdot(void) {
  escape_open("..", FOLLOW, NOTCAP);
  escape_open("../outside.txt", FOLLOW, NOTCAP);
  escape_open("../outside.txt", 0, NOTCAP);
  escape_open("sub/../../outside.txt", FOLLOW, NOTCAP);
  escape_open("sub/../sub/../..", FOLLOW, NOTCAP);
  escape_open("./sub/.././../box/inside.txt", FOLLOW, NOTCAP);
  escape_open("sub/../inside.txt", FOLLOW, 0);
  escape_open("./sub/./../inside.txt", FOLLOW, 0);
  escape_open("sub//..//inside.txt", FOLLOW, 0);
}

static void absolute(void) {
  escape_open("/etc/passwd", FOLLOW, NOTCAP);
  escape_open("/", FOLLOW, NOTCAP);
  escape_open(outside_abs, FOLLOW, NOTCAP);
  escape_open("//inside.txt", FOLLOW, NOTCAP);
}

static void host_symlinks(void) {
  escape_open("link_rel", FOLLOW, NOTCAP);
  escape_open("link_rel", 0, __WASI_ERRNO_LOOP); /* a symlink, not followed */
  escape_open("link_abs", FOLLOW, NOTCAP);
  escape_open("link_up/outside.txt", 0, NOTCAP); /* inner links always follow */
  escape_open("link_up", FOLLOW, NOTCAP);
  escape_open("sub/link_up2/outside.txt", FOLLOW, NOTCAP);
  escape_open("link_abs_dir/outside.txt", FOLLOW, NOTCAP);
  escape_open("link_abs_dir/", 0, NOTCAP); /* a trailing slash follows */
  escape_open("loop_a", FOLLOW, __WASI_ERRNO_LOOP);
  escape_open("loop_a/x", 0, __WASI_ERRNO_LOOP);
  escape_open("link_in", FOLLOW, 0);
  escape_open("sub/link_in2", FOLLOW, 0);
  escape_open("link_up/box/inside.txt", FOLLOW, NOTCAP);

  __wasi_filestat_t st;
  EXPECT("stat link_abs (follow)",
         raw_path_filestat_get(BOX, FOLLOW, "link_abs", 8, &st), NOTCAP);
  EXPECT("stat link_abs (nofollow)",
         raw_path_filestat_get(BOX, 0, "link_abs", 8, &st), 0);
  EXPECT("stat link_abs is a symlink", st.filetype,
         __WASI_FILETYPE_SYMBOLIC_LINK);
  EXPECT("set times through link_rel",
         raw_path_filestat_set_times(BOX, FOLLOW, "link_rel", 8, 1, 1,
                                        __WASI_FSTFLAGS_ATIM |
                                            __WASI_FSTFLAGS_MTIM),
         NOTCAP);
  EXPECT("link through link_rel (follow)",
         raw_path_link(BOX, FOLLOW, "link_rel", 8, BOX, "stolen", 6),
         NOTCAP);
  char buf[64];
  __wasi_size_t n = 0;
  EXPECT("readlink link_rel",
         raw_path_readlink(BOX, "link_rel", 8, buf, sizeof buf, &n),
         0);
  EXPECT("readlink link_rel length", n, 14);
}

/* A symlink the guest makes is a real one on the host, which other
 * programs follow: one that leads out of the directory it is made from
 * (absolute, or ".." past the top) is refused and never made. */
static void no_link(const char *target, const char *name) {
  char what[300];
  snprintf(what, sizeof what, "symlink %s -> %s", name, target);
  EXPECT(what, raw_path_symlink(target, strlen(target), BOX, name, strlen(name)),
         NOTCAP);
  __wasi_filestat_t st;
  snprintf(what, sizeof what, "no %s made", name);
  EXPECT(what, raw_path_filestat_get(BOX, 0, name, strlen(name), &st),
         __WASI_ERRNO_NOENT);
}

static void guest_symlinks(void) {
  __wasi_fd_t fd;
  no_link("/", "root");
  no_link("/etc/passwd", "passwd");
  no_link(outside_abs, "myabs");
  no_link("..", "myup");
  no_link("../outside.txt", "mylink");
  no_link("../created.txt", "dangle");
  no_link("sub/../..", "sneaky");
  no_link("./../x", "dotup");
  no_link("../../outside.txt", "sub/deep");
  no_link("sub/../../box/inside.txt", "roundtrip");
  /* Links that stay inside are made, and work. */
  EXPECT("symlink sub/ok -> ../inside.txt",
         raw_path_symlink("../inside.txt", 13, BOX, "sub/ok", 6), 0);
  escape_open("sub/ok", FOLLOW, 0);
  EXPECT("symlink inlink -> sub/../inside.txt",
         raw_path_symlink("sub/../inside.txt", 17, BOX, "inlink", 6), 0);
  escape_open("inlink", FOLLOW, 0);
  EXPECT("unlink sub/ok", raw_path_unlink_file(BOX, "sub/ok", 6), 0);
  EXPECT("unlink inlink", raw_path_unlink_file(BOX, "inlink", 6), 0);
  /* Links that point out, made by the host: following them is refused. */
  EXPECT("creat+trunc through link_rel",
         open_at(BOX, "link_rel", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                 &fd),
         NOTCAP);
  EXPECT("creat+excl on link_rel",
         open_at(BOX, "link_rel", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL,
                 &fd),
         __WASI_ERRNO_EXIST);
  EXPECT("mkdir link_up/evil", raw_path_create_directory(BOX, "link_up/evil", 12),
         NOTCAP);
  EXPECT("create link_up/new.txt",
         open_at(BOX, "link_up/new.txt", FOLLOW, __WASI_OFLAGS_CREAT, &fd), NOTCAP);
  EXPECT("create through dangling link",
         open_at(BOX, "dangle_host", FOLLOW, __WASI_OFLAGS_CREAT, &fd), NOTCAP);
  /* Write attempts through libc, which follows symlinks. */
  FILE *f = fopen("/sandbox/link_rel", "w");
  TRUE("fopen(link_rel, w) fails", f == NULL);
  if (f) fclose(f);
  f = fopen("/sandbox/link_up/outside.txt", "a");
  TRUE("fopen(link_up/outside.txt, a) fails", f == NULL);
  if (f) fclose(f);
  TRUE("libc symlink(\"/\", ...) fails", symlink("/", "/sandbox/libc_root") != 0);
}

/* path_open of a directory asking for fd_write: isdir (it would be
 * opened read-only, and the rights handed out would lie). */
static void directory_rights(void) {
  __wasi_fd_t fd = 99;
  EXPECT("open . with fd_write",
         open_rights(BOX, ".", __WASI_OFLAGS_DIRECTORY,
                     __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
  EXPECT("open sub with fd_write, no O_DIRECTORY",
         open_rights(BOX, "sub", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
  EXPECT("open sub/ with fd_write",
         open_rights(BOX, "sub/", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_ISDIR);
  EXPECT("open sub read-only", open_rights(BOX, "sub", __WASI_OFLAGS_DIRECTORY,
                                           __WASI_RIGHTS_FD_READDIR, 0, &fd),
         0);
  if (fd != 99) (void)__wasi_fd_close(fd);
  EXPECT("open a file with O_DIRECTORY and fd_write",
         open_rights(BOX, "inside.txt", __WASI_OFLAGS_DIRECTORY,
                     __WASI_RIGHTS_FD_WRITE, 0, &fd),
         __WASI_ERRNO_NOTDIR);
  errno = 0;
  TRUE("libc open(dir, O_RDWR) is EISDIR",
       open("/sandbox/sub", O_RDWR) < 0 && errno == EISDIR);
}

static void other_ops(void) {
  EXPECT("rename to ../moved.txt",
         raw_path_rename(BOX, "inside.txt", 10, BOX, "../moved.txt", 12),
         NOTCAP);
  EXPECT("rename from ../outside.txt",
         raw_path_rename(BOX, "../outside.txt", 14, BOX, "got.txt", 7),
         NOTCAP);
  EXPECT("rename via link_up",
         raw_path_rename(BOX, "link_up/outside.txt", 19, BOX, "got.txt", 7),
         NOTCAP);
  EXPECT("link to ../hard.txt",
         raw_path_link(BOX, 0, "inside.txt", 10, BOX, "../hard.txt", 11),
         NOTCAP);
  EXPECT("link from ../outside.txt",
         raw_path_link(BOX, 0, "../outside.txt", 14, BOX, "hard", 4), NOTCAP);
  EXPECT("unlink ../outside.txt",
         raw_path_unlink_file(BOX, "../outside.txt", 14), NOTCAP);
  EXPECT("unlink link_up/outside.txt",
         raw_path_unlink_file(BOX, "link_up/outside.txt", 19), NOTCAP);
  EXPECT("rmdir ../outdir", raw_path_remove_directory(BOX, "../outdir", 9),
         NOTCAP);
  EXPECT("rmdir link_up/outdir",
         raw_path_remove_directory(BOX, "link_up/outdir", 14), NOTCAP);
  EXPECT("rmdir .", raw_path_remove_directory(BOX, ".", 1),
         __WASI_ERRNO_INVAL);
  EXPECT("mkdir ../newdir", raw_path_create_directory(BOX, "../newdir", 9),
         NOTCAP);
  EXPECT("symlink at ../sym",
         raw_path_symlink("inside.txt", 10, BOX, "../sym", 6), NOTCAP);
  __wasi_filestat_t st;
  EXPECT("stat ../outside.txt",
         raw_path_filestat_get(BOX, 0, "../outside.txt", 14, &st), NOTCAP);
  char buf[64];
  __wasi_size_t n;
  EXPECT("readlink ../x",
         raw_path_readlink(BOX, "../x", 4, buf, sizeof buf, &n),
         NOTCAP);
  /* Unlinking a symlink that points out removes the link, not its target. */
  EXPECT("unlink link_rel", raw_path_unlink_file(BOX, "link_rel", 8), 0);
  EXPECT("unlink dangle_host", raw_path_unlink_file(BOX, "dangle_host", 11), 0);
  EXPECT("rmdir up_extra (a symlink)",
         raw_path_remove_directory(BOX, "up_extra", 8), __WASI_ERRNO_NOTDIR);
  EXPECT("unlink up_extra/", raw_path_unlink_file(BOX, "up_extra/", 9),
         __WASI_ERRNO_NOTDIR);
  EXPECT("unlink up_extra", raw_path_unlink_file(BOX, "up_extra", 8), 0);
}

static void libc_paths(void) {
  errno = 0;
  TRUE("libc open ../outside.txt fails",
       open("../outside.txt", O_RDONLY) < 0 && errno != 0);
  TRUE("libc open /sandbox/../outside.txt fails",
       open("/sandbox/../outside.txt", O_RDONLY) < 0);
  TRUE("libc open absolute host path fails", open(outside_abs, O_RDONLY) < 0);
  TRUE("libc open /etc/passwd fails", open("/etc/passwd", O_RDONLY) < 0);
  TRUE("libc unlink /sandbox/link_up/outside.txt fails",
       unlink("/sandbox/link_up/outside.txt") < 0);
  TRUE("libc rename out fails",
       rename("/sandbox/inside.txt", "/sandbox/link_up/moved.txt") < 0);
}

/* Rights only shrink, and a directory hands down only what it may. */
static void rights(void) {
  __wasi_fd_t sub, f;
  EXPECT("open sub", open_at(BOX, "sub", 0, __WASI_OFLAGS_DIRECTORY, &sub), 0);
  __wasi_fdstat_t fs;
  EXPECT("fdstat sub", __wasi_fd_fdstat_get(sub, &fs), 0);
  EXPECT("sub is a directory", fs.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  __wasi_rights_t base = fs.fs_rights_base, inh = fs.fs_rights_inheriting;
  EXPECT("drop path_open from sub",
         __wasi_fd_fdstat_set_rights(sub, base & ~__WASI_RIGHTS_PATH_OPEN, inh), 0);
  EXPECT("path_open without the right",
         open_at(sub, "link_in2", FOLLOW, 0, &f), NOTCAP);
  EXPECT("rights cannot come back",
         __wasi_fd_fdstat_set_rights(sub, base, inh), NOTCAP);
  (void)__wasi_fd_close(sub);

  EXPECT("open sub, inheriting fd_read only",
         open_rights(BOX, "sub", __WASI_OFLAGS_DIRECTORY,
                     __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE,
                     __WASI_RIGHTS_FD_READ, &sub),
         0);
  EXPECT("ask sub for fd_write", open_rights(sub, "w.txt", __WASI_OFLAGS_CREAT,
                                             __WASI_RIGHTS_FD_WRITE, 0, &f),
         NOTCAP);
  EXPECT("ask sub for fd_read", open_rights(sub, "link_in2", 0,
                                            __WASI_RIGHTS_FD_READ, 0, &f),
         __WASI_ERRNO_LOOP);
  (void)__wasi_fd_close(sub);

  EXPECT("open inside.txt read-only",
         open_rights(BOX, "inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, &f), 0);
  EXPECT("write without fd_write", write_str(f, "x"), NOTCAP);
  __wasi_filesize_t pos;
  EXPECT("seek without fd_seek", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos),
         NOTCAP);
  EXPECT("path_open on a file fd", open_at(f, "x", 0, 0, &sub), NOTCAP);
  (void)__wasi_fd_close(f);
  EXPECT("stdout is no directory", open_at(1, "inside.txt", 0, 0, &f), NOTCAP);
  EXPECT("stdin is no directory",
         raw_path_create_directory(0, "x", 1), NOTCAP);
}

/* Out-of-range guest pointers: EFAULT, never a crash. */
static void faults(void) {
  uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  __wasi_size_t n;
  __wasi_fd_t fd;
  __wasi_ciovec_t bad_iov = {(const uint8_t *)(uintptr_t)(end - 2), 4};
  EXPECT("fd_write iovs out of memory",
         __wasi_fd_write(1, (const __wasi_ciovec_t *)(uintptr_t)(end - 4), 1, &n),
         __WASI_ERRNO_FAULT);
  EXPECT("fd_write buffer straddling the end",
         __wasi_fd_write(1, &bad_iov, 1, &n), __WASI_ERRNO_FAULT);
  EXPECT("fd_write nwritten out of memory",
         __wasi_fd_write(1, &bad_iov, 0, (__wasi_size_t *)(uintptr_t)end),
         __WASI_ERRNO_FAULT);
  __wasi_iovec_t riov = {(uint8_t *)(uintptr_t)0xFFFFFF00u, 16};
  EXPECT("fd_read into nowhere", __wasi_fd_read(0, &riov, 1, &n),
         __WASI_ERRNO_FAULT);
  EXPECT("path_open path out of memory",
         raw_path_open(BOX, 0, (const char *)(uintptr_t)(end - 3), 10, 0, 0,
                          0, 0, &fd),
         __WASI_ERRNO_FAULT);
  EXPECT("path_open fd out of memory",
         open_at(BOX, "inside.txt", 0, 0, (__wasi_fd_t *)(uintptr_t)(end - 1)),
         __WASI_ERRNO_FAULT);
  EXPECT("args_sizes_get out of memory",
         __wasi_args_sizes_get((__wasi_size_t *)(uintptr_t)end, &n),
         __WASI_ERRNO_FAULT);
  EXPECT("args_get out of memory",
         __wasi_args_get((uint8_t **)(uintptr_t)(end - 4),
                         (uint8_t *)(uintptr_t)(end - 4)),
         __WASI_ERRNO_FAULT);
  EXPECT("environ_get out of memory",
         __wasi_environ_get((uint8_t **)(uintptr_t)0xFFFFFFFCu,
                            (uint8_t *)(uintptr_t)0),
         __WASI_ERRNO_FAULT);
  EXPECT("clock_time_get out of memory",
         __wasi_clock_time_get(0, 1, (__wasi_timestamp_t *)(uintptr_t)(end - 7)),
         __WASI_ERRNO_FAULT);
  EXPECT("random_get out of memory",
         __wasi_random_get((uint8_t *)(uintptr_t)(end - 8), 16),
         __WASI_ERRNO_FAULT);
  EXPECT("random_get 2^32-1 bytes",
         __wasi_random_get((uint8_t *)(uintptr_t)16, 0xFFFFFFFFu),
         __WASI_ERRNO_FAULT);
  EXPECT("prestat_dir_name out of memory",
         __wasi_fd_prestat_dir_name(BOX, (uint8_t *)(uintptr_t)(end - 2), 8),
         __WASI_ERRNO_FAULT);
  EXPECT("fd_readdir buffer out of memory",
         __wasi_fd_readdir(BOX, (uint8_t *)(uintptr_t)(end - 10), 100, 0, &n),
         __WASI_ERRNO_FAULT);
  EXPECT("poll_oneoff out of memory",
         __wasi_poll_oneoff((const __wasi_subscription_t *)(uintptr_t)(end - 40),
                            (__wasi_event_t *)(uintptr_t)0, 1, &n),
         __WASI_ERRNO_FAULT);
  EXPECT("path_symlink target out of memory",
         raw_path_symlink((const char *)(uintptr_t)(end - 1), 2, BOX, "s", 1),
         __WASI_ERRNO_FAULT);
  __wasi_filestat_t *st = (__wasi_filestat_t *)(uintptr_t)(end - 32);
  EXPECT("fd_filestat_get out of memory", __wasi_fd_filestat_get(BOX, st),
         __WASI_ERRNO_FAULT);
  EXPECT("path_filestat_get out of memory",
         raw_path_filestat_get(BOX, 0, "inside.txt", 10, st),
         __WASI_ERRNO_FAULT);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("usage: escape HOST_TEMP_DIR\n");
    return 2;
  }
  static char abs_path[512];
  snprintf(abs_path, sizeof abs_path, "%s/outside.txt", argv[1]);
  outside_abs = abs_path;
  dotdot();
  absolute();
  host_symlinks();
  guest_symlinks();
  directory_rights();
  other_ops();
  libc_paths();
  rights();
  faults();
  char buf[32];
  __wasi_fd_t fd;
  EXPECT("inside.txt still readable", open_at(BOX, "inside.txt", 0, 0, &fd), 0);
  read_str(fd, buf, sizeof buf);
  EXPECT("inside.txt intact", strcmp(buf, "inside"), 0);
  return finish();
}
#else
#include <stdio.h>
int main(void) {
  printf("native: no sandbox to test\n");
  return 0;
}
#endif
