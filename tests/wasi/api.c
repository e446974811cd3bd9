/*
 * api.c -- the preview 1 calls one by one, with the witx's edge cases:
 * fd_readdir's buffer and cookies, fd_renumber, seek/tell/pread/pwrite,
 * times, sizes, flags, prestat, poll_oneoff, proc_raise, sched_yield, the
 * sock_* answers on non-sockets, errno values.  Wasm only (it speaks the
 * raw API); the native build just says so.
 *
 * The driver preopens an empty temp dir as "/sandbox" (fd 3), passes
 * args "api" "one" "two", env "A=1" "B=22", stdin "hello" through a
 * callback, and captures stdout/stderr through callbacks.
 */
#ifdef __wasi__
#include <stdlib.h>

#include "wasi_check.h"

#define BOX 3
#define E(x) __WASI_ERRNO_##x

static __wasi_fd_t must_open(const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = open_at(BOX, path, 0, of, &fd);
  if (e) printf("FAIL open %s: %d\n", path, e), failures++;
  return fd;
}

static void args_env(void) {
  __wasi_size_t argc, argsz, envc, envsz;
  EXPECT("args_sizes_get", __wasi_args_sizes_get(&argc, &argsz), 0);
  EXPECT("argc", argc, 3);
  EXPECT("args bytes", argsz, 12); /* "api\0one\0two\0" */
  char *argv[3], buf[12];
  EXPECT("args_get", __wasi_args_get((uint8_t **)argv, (uint8_t *)buf), 0);
  EXPECT("argv[2]", strcmp(argv[2], "two"), 0);
  EXPECT("argv[0] at buf", argv[0] == buf, 1);
  EXPECT("environ_sizes_get", __wasi_environ_sizes_get(&envc, &envsz), 0);
  EXPECT("envc", envc, 2);
  EXPECT("env bytes", envsz, 9);
  char *env[2], ebuf[9];
  EXPECT("environ_get", __wasi_environ_get((uint8_t **)env, (uint8_t *)ebuf), 0);
  EXPECT("env[1]", strcmp(env[1], "B=22"), 0);
}

static void prestat(void) {
  __wasi_prestat_t ps;
  EXPECT("prestat_get 3", __wasi_fd_prestat_get(BOX, &ps), 0);
  EXPECT("prestat tag", ps.tag, __WASI_PREOPENTYPE_DIR);
  EXPECT("prestat name len", ps.u.dir.pr_name_len, 8);
  char name[16] = {0};
  EXPECT("prestat_dir_name", __wasi_fd_prestat_dir_name(BOX, (uint8_t *)name, 8), 0);
  EXPECT("prestat name", strcmp(name, "/sandbox"), 0);
  EXPECT("prestat_dir_name short buffer",
         __wasi_fd_prestat_dir_name(BOX, (uint8_t *)name, 4), E(NAMETOOLONG));
  EXPECT("prestat_get stdout", __wasi_fd_prestat_get(1, &ps), E(BADF));
  EXPECT("prestat_get 4 (none)", __wasi_fd_prestat_get(4, &ps), E(BADF));
}

static void stdio_fds(void) {
  __wasi_fdstat_t fs;
  char buf[16];
  EXPECT("fdstat stdin", __wasi_fd_fdstat_get(0, &fs), 0);
  EXPECT("stdin can read", (fs.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0, 1);
  EXPECT("stdin cannot seek", fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK, 0);
  EXPECT("read stdin", read_str(0, buf, sizeof buf), 0);
  EXPECT("stdin data", strcmp(buf, "hello"), 0);
  EXPECT("read stdin at eof", read_str(0, buf, sizeof buf), 0);
  EXPECT("stdin eof", buf[0], 0);
  EXPECT("write to stdin", write_str(0, "x"), E(BADF));
  EXPECT("write stderr", write_str(2, "to stderr\n"), 0);
  __wasi_filesize_t pos;
  EXPECT("seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), E(NOTCAPABLE));
  EXPECT("fdstat_set_flags stdout nonblock",
         __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK), 0);
  EXPECT("fdstat stdout", __wasi_fd_fdstat_get(1, &fs), 0);
  EXPECT("stdout nonblock kept", fs.fs_flags, __WASI_FDFLAGS_NONBLOCK);
  EXPECT("fdstat_set_flags stdout back", __wasi_fd_fdstat_set_flags(1, 0), 0);
  EXPECT("fdstat_set_flags bad bits", __wasi_fd_fdstat_set_flags(1, 0x100), E(INVAL));
  EXPECT("fdstat bad fd", __wasi_fd_fdstat_get(77, &fs), E(BADF));
  EXPECT("fdstat negative fd", __wasi_fd_fdstat_get((__wasi_fd_t)-1, &fs), E(BADF));
}

static void file_io(void) {
  __wasi_fd_t fd = must_open("f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  __wasi_filesize_t pos = 99;
  __wasi_size_t n;
  EXPECT("write f", write_str(fd, "0123456789"), 0);
  EXPECT("tell", __wasi_fd_tell(fd, &pos), 0);
  EXPECT("tell = 10", pos, 10);
  EXPECT("seek set 2", __wasi_fd_seek(fd, 2, __WASI_WHENCE_SET, &pos), 0);
  EXPECT("seek result", pos, 2);
  EXPECT("seek cur +3", __wasi_fd_seek(fd, 3, __WASI_WHENCE_CUR, &pos), 0);
  EXPECT("seek cur result", pos, 5);
  EXPECT("seek end -1", __wasi_fd_seek(fd, -1, __WASI_WHENCE_END, &pos), 0);
  EXPECT("seek end result", pos, 9);
  EXPECT("seek bad whence", __wasi_fd_seek(fd, 0, 3, &pos), E(INVAL));
  EXPECT("seek before start", __wasi_fd_seek(fd, -20, __WASI_WHENCE_CUR, &pos),
         E(INVAL));
  char a[4] = {0}, b[4] = {0};
  __wasi_iovec_t iov[2] = {{(uint8_t *)a, 3}, {(uint8_t *)b, 3}};
  EXPECT("pread two iovecs", __wasi_fd_pread(fd, iov, 2, 1, &n), 0);
  EXPECT("pread count", n, 6);
  EXPECT("pread data", strcmp(a, "123") || strcmp(b, "456"), 0);
  EXPECT("pread past end", __wasi_fd_pread(fd, iov, 2, 100, &n), 0);
  EXPECT("pread past end count", n, 0);
  __wasi_ciovec_t w = {(const uint8_t *)"AB", 2};
  EXPECT("pwrite", __wasi_fd_pwrite(fd, &w, 1, 4, &n), 0);
  EXPECT("offset unchanged by pread/pwrite", __wasi_fd_tell(fd, &pos) || pos != 9, 0);
  EXPECT("seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
  char all[16];
  EXPECT("read back", read_str(fd, all, sizeof all), 0);
  EXPECT("content", strcmp(all, "0123AB6789"), 0);
  /* Several iovecs with an empty one in the middle. */
  char x[3], y[3];
  __wasi_iovec_t v3[3] = {{(uint8_t *)x, 2}, {(uint8_t *)y, 0}, {(uint8_t *)y, 2}};
  EXPECT("seek 0 again", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
  EXPECT("readv 3", __wasi_fd_read(fd, v3, 3, &n), 0);
  EXPECT("readv 3 count", n, 4);
  EXPECT("readv data", x[1] == '1' && y[0] == '2', 1);

  __wasi_filestat_t st;
  EXPECT("filestat_set_size 4", __wasi_fd_filestat_set_size(fd, 4), 0);
  EXPECT("filestat_get", __wasi_fd_filestat_get(fd, &st), 0);
  EXPECT("size 4", st.size, 4);
  EXPECT("filetype regular", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  EXPECT("nlink 1", st.nlink, 1);
  EXPECT("allocate", __wasi_fd_allocate(fd, 0, 100), 0);
  EXPECT("size after allocate", __wasi_fd_filestat_get(fd, &st) || st.size != 100, 0);
  EXPECT("advise", __wasi_fd_advise(fd, 0, 10, __WASI_ADVICE_SEQUENTIAL), 0);
  EXPECT("advise bad", __wasi_fd_advise(fd, 0, 10, 9), E(INVAL));
  EXPECT("datasync", __wasi_fd_datasync(fd), 0);
  EXPECT("sync", __wasi_fd_sync(fd), 0);
  __wasi_timestamp_t t1 = 1000000000ull * 1000000 + 123, t2 = 2000000000ull * 1000000000ull;
  EXPECT("set times", __wasi_fd_filestat_set_times(fd, t1, t2,
                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  EXPECT("filestat_get 2", __wasi_fd_filestat_get(fd, &st), 0);
  EXPECT("atim", st.atim, t1);
  EXPECT("mtim", st.mtim, t2);
  EXPECT("set times conflicting", __wasi_fd_filestat_set_times(fd, 0, 0,
                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), E(INVAL));
  EXPECT("set mtim now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
  EXPECT("filestat_get 3", __wasi_fd_filestat_get(fd, &st), 0);
  EXPECT("atim kept", st.atim, t1);
  TRUE("mtim now", st.mtim > t2 / 2 && st.mtim < t2);
  EXPECT("path set times", raw_path_filestat_set_times(BOX, 0, "f.txt", 5, 5, 7,
                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
  EXPECT("path filestat", raw_path_filestat_get(BOX, 0, "f.txt", 5, &st), 0);
  EXPECT("path atim", st.atim, 5);
  EXPECT("path mtim", st.mtim, 7);
  EXPECT("path filestat trailing slash on file",
         raw_path_filestat_get(BOX, 0, "f.txt/", 6, &st), E(NOTDIR));

  /* Append mode, set through fd_fdstat_set_flags. */
  __wasi_fdstat_t fs;
  EXPECT("set append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
  EXPECT("fdstat append", __wasi_fd_fdstat_get(fd, &fs) || fs.fs_flags != __WASI_FDFLAGS_APPEND, 0);
  EXPECT("seek 0 (append)", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
  EXPECT("append write", write_str(fd, "Z"), 0);
  EXPECT("tell after append", __wasi_fd_tell(fd, &pos) || pos != 101, 0);
  EXPECT("set sync unsupported", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC), E(NOTSUP));
  EXPECT("close f", __wasi_fd_close(fd), 0);
  EXPECT("close f twice", __wasi_fd_close(fd), E(BADF));
  EXPECT("write closed", write_str(fd, "x"), E(BADF));
}

static void open_flags(void) {
  __wasi_fd_t fd;
  EXPECT("excl existing", open_at(BOX, "f.txt", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, &fd), E(EXIST));
  EXPECT("directory on file", open_at(BOX, "f.txt", 0, __WASI_OFLAGS_DIRECTORY, &fd), E(NOTDIR));
  EXPECT("missing", open_at(BOX, "nope", 0, 0, &fd), E(NOENT));
  EXPECT("missing/inner", open_at(BOX, "nope/x", 0, 0, &fd), E(NOENT));
  EXPECT("file as dir", open_at(BOX, "f.txt/x", 0, 0, &fd), E(NOTDIR));
  EXPECT("empty path", raw_path_open(BOX, 0, "", 0, 0, 0, 0, 0, &fd), E(NOENT));
  EXPECT("path with NUL", raw_path_open(BOX, 0, "f.txt\0x", 7, 0, 0, 0, 0, &fd), E(INVAL));
  EXPECT("path not UTF-8", raw_path_open(BOX, 0, "f\xff", 2, 0, 0, 0, 0, &fd), E(ILSEQ));
  EXPECT("bad oflags", open_at(BOX, "f.txt", 0, 0x10, &fd), E(INVAL));
  EXPECT("trunc", open_at(BOX, "f.txt", 0, __WASI_OFLAGS_TRUNC, &fd), 0);
  __wasi_filestat_t st;
  EXPECT("size after trunc", __wasi_fd_filestat_get(fd, &st) || st.size != 0, 0);
  (void)__wasi_fd_close(fd);
  EXPECT("open dir", open_at(BOX, ".", 0, __WASI_OFLAGS_DIRECTORY, &fd), 0);
  __wasi_fdstat_t fs;
  EXPECT("dir fdstat", __wasi_fd_fdstat_get(fd, &fs), 0);
  EXPECT("dir type", fs.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  EXPECT("dir has no fd_read", fs.fs_rights_base & __WASI_RIGHTS_FD_READ, 0);
  EXPECT("dir has readdir", (fs.fs_rights_base & __WASI_RIGHTS_FD_READDIR) != 0, 1);
  (void)__wasi_fd_close(fd);
  EXPECT("open with trailing slash on file", open_at(BOX, "f.txt/", 0, 0, &fd), E(NOTDIR));
  EXPECT("mkdir", raw_path_create_directory(BOX, "dd", 2), 0);
  EXPECT("mkdir exists", raw_path_create_directory(BOX, "dd/", 3), E(EXIST));
  EXPECT("open dir/ ", open_at(BOX, "dd/", 0, 0, &fd), 0);
  (void)__wasi_fd_close(fd);
  EXPECT("create in dd", open_at(BOX, "dd/x", 0, __WASI_OFLAGS_CREAT, &fd), 0);
  (void)__wasi_fd_close(fd);
  EXPECT("rmdir non-empty", raw_path_remove_directory(BOX, "dd", 2), E(NOTEMPTY));
  EXPECT("unlink dir", raw_path_unlink_file(BOX, "dd", 2), E(ISDIR));
  EXPECT("unlink file/", raw_path_unlink_file(BOX, "dd/x/", 5), E(NOTDIR));
  EXPECT("rmdir file", raw_path_remove_directory(BOX, "dd/x", 4), E(NOTDIR));
  EXPECT("rename into place", raw_path_rename(BOX, "dd/x", 4, BOX, "dd/y", 4), 0);
  EXPECT("rename file onto dir/", raw_path_rename(BOX, "dd/y", 4, BOX, "z/", 2), E(NOTDIR));
  EXPECT("link", raw_path_link(BOX, 0, "dd/y", 4, BOX, "dd/z", 4), 0);
  EXPECT("link exists", raw_path_link(BOX, 0, "dd/y", 4, BOX, "dd/z", 4), E(EXIST));
  EXPECT("nlink 2", raw_path_filestat_get(BOX, 0, "dd/z", 4, &st) || st.nlink != 2, 0);
  EXPECT("symlink", raw_path_symlink("y", 1, BOX, "dd/s", 4), 0);
  EXPECT("symlink exists", raw_path_symlink("y", 1, BOX, "dd/s", 4), E(EXIST));
  EXPECT("symlink empty target", raw_path_symlink("", 0, BOX, "dd/t", 4), E(NOENT));
  char buf[8];
  __wasi_size_t used;
  EXPECT("readlink", raw_path_readlink(BOX, "dd/s", 4, buf, sizeof buf, &used), 0);
  EXPECT("readlink len", used, 1);
  EXPECT("readlink not a link", raw_path_readlink(BOX, "dd/y", 4, buf, sizeof buf, &used), E(INVAL));
  EXPECT("symlink long", raw_path_symlink("abcdefghij", 10, BOX, "dd/l", 4), 0);
  EXPECT("readlink truncates", raw_path_readlink(BOX, "dd/l", 4, buf, 4, &used), 0);
  EXPECT("readlink truncated len", used, 4);
  EXPECT("readlink truncated data", memcmp(buf, "abcd", 4), 0);
  EXPECT("stat symlink nofollow", raw_path_filestat_get(BOX, 0, "dd/s", 4, &st) ||
         st.filetype != __WASI_FILETYPE_SYMBOLIC_LINK, 0);
  EXPECT("stat symlink follow", raw_path_filestat_get(BOX, 1, "dd/s", 4, &st) ||
         st.filetype != __WASI_FILETYPE_REGULAR_FILE, 0);
  EXPECT("open symlink nofollow", open_at(BOX, "dd/s", 0, 0, &fd), E(LOOP));
  EXPECT("open dangling follow", open_at(BOX, "dd/l", 1, 0, &fd), E(NOENT));
  EXPECT("creat through dangling link", open_at(BOX, "dd/l", 1, __WASI_OFLAGS_CREAT, &fd), 0);
  (void)__wasi_fd_close(fd);
  EXPECT("created target", raw_path_filestat_get(BOX, 0, "dd/abcdefghij", 13, &st), 0);
  EXPECT("dir via symlink to dir", raw_path_symlink("dd", 2, BOX, "ddl", 3), 0);
  EXPECT("stat through dir link", raw_path_filestat_get(BOX, 0, "ddl/y", 5, &st), 0);
  EXPECT("rmdir link/", raw_path_remove_directory(BOX, "ddl/", 4), E(NOTDIR));
  const char *clean[] = {"dd/y", "dd/z", "dd/s", "dd/l", "dd/abcdefghij", "ddl"};
  for (int i = 0; i < 6; i++)
    EXPECT(clean[i], raw_path_unlink_file(BOX, clean[i], strlen(clean[i])), 0);
  EXPECT("rmdir dd", raw_path_remove_directory(BOX, "dd", 2), 0);
}

/* One fd_readdir call; returns bytes used. */
static __wasi_size_t readdir_at(__wasi_fd_t fd, uint8_t *buf, size_t len,
                                __wasi_dircookie_t cookie) {
  __wasi_size_t used = 0;
  __wasi_errno_t e = __wasi_fd_readdir(fd, buf, len, cookie, &used);
  if (e) printf("FAIL readdir errno %d\n", e), failures++;
  return used;
}

static void readdir_semantics(void) {
  EXPECT("mkdir rd", raw_path_create_directory(BOX, "rd", 2), 0);
  const char *names[] = {"a", "bb", "ccc", "dddd"};
  __wasi_fd_t fd;
  for (int i = 0; i < 4; i++) {
    char p[16];
    snprintf(p, sizeof p, "rd/%s", names[i]);
    EXPECT("create entry", open_at(BOX, p, 0, __WASI_OFLAGS_CREAT, &fd), 0);
    (void)__wasi_fd_close(fd);
  }
  EXPECT("mkdir rd/sub", raw_path_create_directory(BOX, "rd/sub", 6), 0);
  __wasi_fd_t d = must_open("rd", __WASI_OFLAGS_DIRECTORY);
  static uint8_t buf[4096];
  __wasi_size_t used = readdir_at(d, buf, sizeof buf, 0);
  /* . .. a bb ccc dddd sub: 7 entries, names 1+2+1+2+3+4+3 = 16 bytes */
  EXPECT("readdir all bytes", used, 7 * 24 + 16);
  int n = 0, files = 0, dirs = 0, cookies_ok = 1;
  size_t at = 0;
  while (at + 24 <= used) {
    __wasi_dirent_t de;
    memcpy(&de, buf + at, sizeof de);
    if (de.d_next != (__wasi_dircookie_t)(n + 1)) cookies_ok = 0;
    if (de.d_type == __WASI_FILETYPE_REGULAR_FILE) files++;
    if (de.d_type == __WASI_FILETYPE_DIRECTORY) dirs++;
    at += 24 + de.d_namlen;
    n++;
  }
  EXPECT("readdir entries", n, 7);
  EXPECT("readdir d_next = index + 1", cookies_ok, 1);
  EXPECT("readdir files", files, 4);
  EXPECT("readdir dirs", dirs, 3);
  /* A buffer too small for even one header is filled, truncated. */
  uint8_t small[10];
  EXPECT("readdir 10-byte buffer", readdir_at(d, small, sizeof small, 0), 10);
  uint8_t exact[7 * 24 + 16];
  EXPECT("readdir exact buffer", readdir_at(d, exact, sizeof exact, 0), sizeof exact);
  EXPECT("readdir exact content", memcmp(exact, buf, sizeof exact), 0);
  EXPECT("readdir after the last", readdir_at(d, buf, sizeof buf, 7), 0);
  EXPECT("readdir far cookie", readdir_at(d, buf, sizeof buf, 1000), 0);
  /* Resume from a cookie: the suffix. */
  uint8_t rest[4096];
  size_t off3 = 0;
  for (int i = 0, k = 0; i < 3; i++) {
    __wasi_dirent_t de;
    memcpy(&de, buf + off3, sizeof de);
    (void)k;
    off3 += 24 + de.d_namlen;
  }
  (void)readdir_at(d, buf, sizeof buf, 0); /* buf again from the start */
  __wasi_size_t r = readdir_at(d, rest, sizeof rest, 3);
  EXPECT("readdir from cookie 3 bytes", r, used - off3);
  EXPECT("readdir from cookie 3 data", memcmp(rest, buf + off3, r), 0);
  /* Page through with a buffer that holds about one entry. */
  uint8_t page[30];
  __wasi_dircookie_t cookie = 0;
  int seen = 0, guard = 0;
  for (;;) {
    __wasi_size_t u = readdir_at(d, page, sizeof page, cookie);
    if (u < 24 || ++guard > 50) break;
    __wasi_dirent_t de;
    memcpy(&de, page, sizeof de);
    seen++;
    cookie = de.d_next;
    if (u < sizeof page && u == 24 + de.d_namlen) {
      if (readdir_at(d, page, sizeof page, cookie) == 0) break;
    }
  }
  EXPECT("readdir paging sees all", seen, 7);
  EXPECT("readdir on a file", __wasi_fd_readdir(0, buf, sizeof buf, 0, &used), E(NOTCAPABLE));
  (void)__wasi_fd_close(d);
  for (int i = 0; i < 4; i++) {
    char p[16];
    snprintf(p, sizeof p, "rd/%s", names[i]);
    raw_path_unlink_file(BOX, p, strlen(p));
  }
  raw_path_remove_directory(BOX, "rd/sub", 6);
  EXPECT("rmdir rd", raw_path_remove_directory(BOX, "rd", 2), 0);
}

static void renumber(void) {
  __wasi_fd_t a = must_open("ra", __WASI_OFLAGS_CREAT);
  __wasi_fd_t b = must_open("rb", __WASI_OFLAGS_CREAT);
  EXPECT("write ra", write_str(a, "AAA"), 0);
  EXPECT("write rb", write_str(b, "B"), 0);
  EXPECT("renumber a -> b", __wasi_fd_renumber(a, b), 0);
  __wasi_filestat_t st;
  EXPECT("b is now ra", __wasi_fd_filestat_get(b, &st) || st.size != 3, 0);
  EXPECT("a is closed", __wasi_fd_close(a), E(BADF));
  EXPECT("renumber to self", __wasi_fd_renumber(b, b), 0);
  EXPECT("renumber from closed", __wasi_fd_renumber(a, b), E(BADF));
  EXPECT("renumber to closed", __wasi_fd_renumber(b, 200), E(BADF));
  __wasi_fd_t c = must_open("rb", 0);
  EXPECT("lowest free fd reused", c, a);
  (void)__wasi_fd_close(c);
  (void)__wasi_fd_close(b);
  raw_path_unlink_file(BOX, "ra", 2);
  raw_path_unlink_file(BOX, "rb", 2);
}

static void poll_clock_and_fds(void) {
  __wasi_subscription_t s[3];
  __wasi_event_t ev[3];
  __wasi_size_t n = 0;
  memset(s, 0, sizeof s);
  s[0].userdata = 11;
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[0].u.u.clock.timeout = 5 * 1000 * 1000;
  __wasi_timestamp_t t0, t1;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0);
  EXPECT("poll one clock", __wasi_poll_oneoff(s, ev, 1, &n), 0);
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1);
  EXPECT("one event", n, 1);
  EXPECT("event userdata", ev[0].userdata, 11);
  EXPECT("event type clock", ev[0].type, __WASI_EVENTTYPE_CLOCK);
  TRUE("slept 5ms", t1 - t0 >= 5 * 1000 * 1000);
  /* Absolute realtime deadline in the past: immediate. */
  s[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
  s[0].u.u.clock.timeout = 1;
  s[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  EXPECT("poll past abstime", __wasi_poll_oneoff(s, ev, 1, &n), 0);
  EXPECT("past abstime fires", n, 1);
  /* fd_write on stdout (a callback stream) is ready at once; a long
   * clock does not fire. */
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[0].u.u.clock.flags = 0;
  s[0].u.u.clock.timeout = 10ull * 1000 * 1000 * 1000;
  s[1].userdata = 22;
  s[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  s[1].u.u.fd_write.file_descriptor = 1;
  s[2].userdata = 33;
  s[2].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[2].u.u.fd_read.file_descriptor = 99;
  EXPECT("poll fds", __wasi_poll_oneoff(s, ev, 3, &n), 0);
  EXPECT("two events", n, 2);
  EXPECT("stdout writable", ev[0].userdata == 22 && ev[0].error == 0 &&
         ev[0].type == __WASI_EVENTTYPE_FD_WRITE, 1);
  EXPECT("bad fd reported", ev[1].userdata == 33 && ev[1].error == E(BADF), 1);
  EXPECT("poll nothing", __wasi_poll_oneoff(s, ev, 0, &n), E(INVAL));
  /* A regular file is always ready. */
  __wasi_fd_t f = must_open("p.txt", __WASI_OFLAGS_CREAT);
  write_str(f, "xyz");
  (void)__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &t0);
  s[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[1].u.u.fd_read.file_descriptor = f;
  EXPECT("poll file", __wasi_poll_oneoff(s, ev, 2, &n), 0);
  EXPECT("file ready", n == 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ, 1);
  EXPECT("file nbytes", ev[0].fd_readwrite.nbytes, 3);
  (void)__wasi_fd_close(f);
  raw_path_unlink_file(BOX, "p.txt", 5);
}

static void misc(void) {
  __wasi_timestamp_t res;
  EXPECT("clock_res_get", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
  TRUE("resolution > 0", res > 0);
  EXPECT("clock_res_get bad", __wasi_clock_res_get(9, &res), E(INVAL));
  EXPECT("random_get 0 bytes", __wasi_random_get((uint8_t *)&res, 0), 0);
  EXPECT("sched_yield", __wasi_sched_yield(), 0);
  EXPECT("proc_raise", raw_proc_raise(15 /* term */), E(NOSYS));
  EXPECT("proc_raise bad", raw_proc_raise(200), E(INVAL));
  __wasi_fd_t fd;
  __wasi_size_t n;
  __wasi_roflags_t ro;
  __wasi_iovec_t iov = {(uint8_t *)&res, 4};
  EXPECT("sock_accept on a dir", __wasi_sock_accept(BOX, 0, &fd), E(NOTSOCK));
  EXPECT("sock_accept bad fd", __wasi_sock_accept(55, 0, &fd), E(BADF));
  EXPECT("sock_recv on stdin", __wasi_sock_recv(0, &iov, 1, 0, &n, &ro), E(NOTSOCK));
  EXPECT("sock_send on stdout", __wasi_sock_send(1, (__wasi_ciovec_t *)&iov, 1, 0, &n), E(NOTSOCK));
  EXPECT("sock_shutdown bad fd", __wasi_sock_shutdown(55, __WASI_SDFLAGS_WR), E(BADF));
}

int main(void) {
  args_env();
  prestat();
  stdio_fds();
  file_io();
  open_flags();
  readdir_semantics();
  renumber();
  poll_clock_and_fds();
  misc();
  raw_path_unlink_file(BOX, "f.txt", 5);
  EXPECT("close preopen", __wasi_fd_close(BOX), 0);
  __wasi_fd_t fd;
  EXPECT("closed preopen", open_at(BOX, "x", 0, 0, &fd), E(BADF));
  return finish();
}
#else
#include <stdio.h>
int main(void) {
  printf("native: raw WASI only\n");
  return 0;
}
#endif
