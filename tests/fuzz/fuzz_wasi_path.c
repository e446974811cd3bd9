/*
 * fuzz_wasi_path.c -- libFuzzer target: the WASI sandbox's path handling.
 *
 * A guest holds one preopen, T/box, laid out afresh for every input with
 * files, directories and symlinks (some pointing out: "..", an absolute
 * path).  The input is a list of path_* calls with fuzzed paths, flags and
 * fds, made through a small wasm module (the WASI functions read their
 * arguments from its memory).  After each input nothing outside the box
 * may have changed, and no symlink in the box may lead out of it (a host
 * program would follow it): otherwise abort, a finding.
 *
 * Input: records of [op, flags, len1, path1..., len2, path2...].
 */
#define _GNU_SOURCE /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "moonwasm.h"

/* Wrappers with the WASI signatures: a host function called from C sees
 * no memory, one called from wasm sees this module's. */
static const char PROBE[] =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"path_open\" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_filestat_get\" (func $stat (param i32 i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_create_directory\" (func $mkdir (param i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_remove_directory\" (func $rmdir (param i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_unlink_file\" (func $unlink (param i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_symlink\" (func $symlink (param i32 i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_rename\" (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_link\" (func $link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_readlink\" (func $readlink (param i32 i32 i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"path_filestat_set_times\" (func $times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_close\" (func $close (param i32) (result i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (func (export \"open\") (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)\n"
    "    (call $open (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)\n"
    "                (local.get 5) (local.get 6) (local.get 7) (local.get 8)))\n"
    "  (func (export \"stat\") (param i32 i32 i32 i32 i32) (result i32)\n"
    "    (call $stat (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))\n"
    "  (func (export \"mkdir\") (param i32 i32 i32) (result i32)\n"
    "    (call $mkdir (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"rmdir\") (param i32 i32 i32) (result i32)\n"
    "    (call $rmdir (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"unlink\") (param i32 i32 i32) (result i32)\n"
    "    (call $unlink (local.get 0) (local.get 1) (local.get 2)))\n"
    "  (func (export \"symlink\") (param i32 i32 i32 i32 i32) (result i32)\n"
    "    (call $symlink (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))\n"
    "  (func (export \"rename\") (param i32 i32 i32 i32 i32 i32) (result i32)\n"
    "    (call $rename (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))\n"
    "  (func (export \"link\") (param i32 i32 i32 i32 i32 i32 i32) (result i32)\n"
    "    (call $link (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)\n"
    "                (local.get 5) (local.get 6)))\n"
    "  (func (export \"readlink\") (param i32 i32 i32 i32 i32 i32) (result i32)\n"
    "    (call $readlink (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))\n"
    "  (func (export \"times\") (param i32 i32 i32 i32 i64 i64 i32) (result i32)\n"
    "    (call $times (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)\n"
    "                 (local.get 5) (local.get 6)))\n"
    "  (func (export \"close\") (param i32) (result i32) (call $close (local.get 0))))\n";

static char root[256], box[300];
static mw_module *probe;

/* ---------------------------------------------------------------- the box */

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP) return rmdir(path) != 0 && errno != ENOENT;
  return unlink(path) != 0 && errno != ENOENT;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

static void at_box(char *out, size_t cap, const char *name) {
  snprintf(out, cap, "%s/%s", box, name);
}

/* The inodes of the host's own links that lead out (up, sub/upup, abs):
 * path_link without symlink_follow may give one of them a second name
 * (linkat links the symlink itself), which is no new way out. */
static ino_t host_links[3];

static void record_host_links(void) {
  const char *names[] = {"up", "sub/upup", "abs"};
  for (size_t i = 0; i < 3; i++) {
    char p[512];
    struct stat st;
    at_box(p, sizeof p, names[i]);
    if (lstat(p, &st) != 0) abort();
    host_links[i] = st.st_ino;
  }
}

static void layout_box(void) {
  char p[512], target[512];
  chmod(box, 0755);
  nftw(box, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (mkdir(box, 0755) != 0) abort();
  at_box(p, sizeof p, "file.txt");
  write_file(p, "inside");
  at_box(p, sizeof p, "sub");
  mkdir(p, 0755);
  at_box(p, sizeof p, "sub/deep");
  mkdir(p, 0755);
  at_box(p, sizeof p, "up");
  if (symlink("..", p) != 0) abort();
  at_box(p, sizeof p, "sub/upup");
  if (symlink("../..", p) != 0) abort();
  at_box(p, sizeof p, "abs");
  snprintf(target, sizeof target, "%s/outside.txt", root);
  if (symlink(target, p) != 0) abort();
  record_host_links();
  at_box(p, sizeof p, "in");
  if (symlink("file.txt", p) != 0) abort();
  at_box(p, sizeof p, "loop");
  if (symlink("loop", p) != 0) abort();
}

static void remove_root(void) {
  chmod(box, 0755);
  nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void) {
  snprintf(root, sizeof root, "%s/mw-fuzz-wasi.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(root)) abort();
  snprintf(box, sizeof box, "%s/box", root);
  char p[512];
  snprintf(p, sizeof p, "%s/outside.txt", root);
  write_file(p, "secret");
  mkdir(box, 0755);
  atexit(remove_root);
  unsigned char *bytes = NULL;
  size_t len = 0;
  mw_error *err = mw_wat_to_wasm(PROBE, sizeof PROBE - 1, 0, &bytes, &len);
  if (err) {
    fprintf(stderr, "fuzz_wasi_path: probe: %s\n", mw_error_message(err));
    abort();
  }
  err = mw_module_decode(NULL, bytes, len, &probe);
  mw_wat_free(bytes);
  if (err) {
    fprintf(stderr, "fuzz_wasi_path: probe: %s\n", mw_error_message(err));
    abort();
  }
}

/* ---------------------------------------------------------------- invariants */

/* Does a symlink `depth` directories below the box, holding `target`,
 * lead out of the box when the host follows it?  Relative targets are
 * read lexically, as path_symlink checks them: the box's own links (up,
 * sub/upup, abs) are the layout's and skipped by the caller. */
static bool leads_out(const char *target, int depth) {
  if (target[0] == '/') return true;
  int level = depth;
  const char *p = target;
  while (*p) {
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (--level < 0) return true;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      level++;
    }
    p = q ? q + 1 : p + n;
  }
  return false;
}

static int check_entry(const char *path, const struct stat *st, int flag,
                       struct FTW *ftw) {
  if (flag != FTW_SL) return 0;
  const char *rel = path + strlen(box) + 1;
  for (size_t i = 0; i < 3; i++)
    if (st->st_ino == host_links[i]) return 0; /* made by the host, not the guest */
  char target[4096];
  ssize_t n = readlink(path, target, sizeof target - 1);
  if (n < 0) return 0;
  target[n] = '\0';
  if (leads_out(target, ftw->level - 1)) {
    fprintf(stderr, "fuzz_wasi_path: the guest made %s -> %s\n", rel, target);
    abort();
  }
  return 0;
}

static void check_outside(void) {
  char p[512], buf[16] = {0};
  snprintf(p, sizeof p, "%s/outside.txt", root);
  FILE *f = fopen(p, "r");
  if (!f || !fgets(buf, sizeof buf, f) || strcmp(buf, "secret") != 0) {
    fprintf(stderr, "fuzz_wasi_path: outside.txt changed\n");
    abort();
  }
  fclose(f);
  struct stat st;
  if (lstat(p, &st) != 0 || st.st_nlink != 1 || !S_ISREG(st.st_mode)) abort();
  /* T holds only box and outside.txt; T's parent has no stray entry of ours */
  char q[512];
  const char *names[] = {"created", "moved", "x", "evil"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(q, sizeof q, "%s/%s", root, names[i]);
    if (lstat(q, &st) == 0) {
      fprintf(stderr, "fuzz_wasi_path: %s appeared outside the box\n", q);
      abort();
    }
  }
  nftw(box, check_entry, 16, FTW_PHYS);
}

/* ---------------------------------------------------------------- one input */

#define PATH1 64
#define PATH2 1024
#define OUT 2048

static int32_t call(mw_store *s, mw_instance *inst, const char *name,
                    const mw_val *args, size_t n) {
  mw_extern e;
  if (!mw_instance_export(inst, name, strlen(name), &e)) abort();
  mw_val r;
  mw_error *err = mw_func_call(s, e.of.func, args, n, &r, 1);
  if (err) {
    mw_error_free(err); /* a trap is fine; the checks after are not */
    return -1;
  }
  return r.of.i32;
}

#define I32(v) mw_val_i32((int32_t)(v))
#define I64(v) mw_val_i64((int64_t)(v))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!probe) setup();
  layout_box();
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  for (int k = 0; k < 3; k++) wc.stdio[k].kind = MW_WASI_STDIO_NULL;
  mw_wasi_preopen pre = {box, "/box"};
  wc.preopens = &pre;
  wc.npreopens = 1;
  mw_error *err = NULL;
  mw_wasi *w = mw_wasi_new(NULL, &wc, &err);
  if (!w) abort();
  mw_store *s = mw_store_new(NULL);
  if ((err = mw_wasi_define(w, s))) abort();
  mw_instance *inst = NULL;
  if ((err = mw_instantiate(s, probe, &inst))) abort();
  uint8_t *mem = mw_memory_data(mw_instance_memory(inst));

  size_t i = 0;
  int steps = 0;
  while (i + 3 <= size && steps++ < 16) {
    uint8_t op = data[i], flags = data[i + 1];
    size_t l1 = data[i + 2] % 200;
    i += 3;
    if (l1 > size - i) l1 = size - i;
    memcpy(mem + PATH1, data + i, l1);
    i += l1;
    size_t l2 = 0;
    if (i < size) {
      l2 = data[i++] % 200;
      if (l2 > size - i) l2 = size - i;
      memcpy(mem + PATH2, data + i, l2);
      i += l2;
    }
    /* fd 3 is the preopen; now and then another (a file, stdio, none) */
    int32_t fd = flags & 0x80 ? (int32_t)(flags & 7) : 3;
    uint32_t lookup = flags & 1;
    switch (op % 11) {
    case 0: {
      uint32_t oflags = (flags >> 1) & 0xF;
      uint64_t rights = (flags & 0x40) ? ~0ull : 0x2 | 0x4000;
      mw_val a[] = {I32(fd), I32(lookup), I32(PATH1), I32(l1), I32(oflags),
                    I64(rights), I64(rights), I32(0), I32(OUT)};
      if (call(s, inst, "open", a, 9) == 0) {
        int32_t nfd;
        memcpy(&nfd, mem + OUT, 4);
        if (flags & 0x20) { /* keep it: later records may use it */
        } else {
          mw_val c[] = {I32(nfd)};
          call(s, inst, "close", c, 1);
        }
      }
      break;
    }
    case 1: {
      mw_val a[] = {I32(fd), I32(lookup), I32(PATH1), I32(l1), I32(OUT)};
      call(s, inst, "stat", a, 5);
      break;
    }
    case 2: {
      mw_val a[] = {I32(fd), I32(PATH1), I32(l1)};
      call(s, inst, "mkdir", a, 3);
      break;
    }
    case 3: {
      mw_val a[] = {I32(fd), I32(PATH1), I32(l1)};
      call(s, inst, "rmdir", a, 3);
      break;
    }
    case 4: {
      mw_val a[] = {I32(fd), I32(PATH1), I32(l1)};
      call(s, inst, "unlink", a, 3);
      break;
    }
    case 5: {
      mw_val a[] = {I32(PATH1), I32(l1), I32(fd), I32(PATH2), I32(l2)};
      call(s, inst, "symlink", a, 5);
      break;
    }
    case 6: {
      mw_val a[] = {I32(fd), I32(PATH1), I32(l1), I32(3), I32(PATH2), I32(l2)};
      call(s, inst, "rename", a, 6);
      break;
    }
    case 7: {
      mw_val a[] = {I32(fd), I32(lookup), I32(PATH1), I32(l1), I32(3),
                    I32(PATH2), I32(l2)};
      call(s, inst, "link", a, 7);
      break;
    }
    case 8: {
      mw_val a[] = {I32(fd), I32(PATH1), I32(l1), I32(OUT), I32(flags), I32(OUT + 512)};
      call(s, inst, "readlink", a, 6);
      break;
    }
    case 9: {
      mw_val a[] = {I32(fd), I32(lookup), I32(PATH1), I32(l1), I64(1), I64(2),
                    I32(flags >> 4)};
      call(s, inst, "times", a, 7);
      break;
    }
    default: {
      /* a path past the end of memory: fault, never a read out of bounds */
      mw_val a[] = {I32(fd), I32(65536 - (l1 % 8)), I32(l1)};
      call(s, inst, "mkdir", a, 3);
      break;
    }
    }
  }
  mw_store_free(s);
  mw_wasi_free(w);
  check_outside();
  return 0;
}
