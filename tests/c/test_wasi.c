/*
 * test_wasi.c -- WASI preview 1 end to end.
 *
 * The C programs of tests/wasi/ are built twice by the Makefile: for
 * wasm32-wasi (build/wasi/NAME.wasm) and natively (build/wasi-native/NAME).
 * Each wasm build runs here under mw_wasi with a fresh temp dir preopened,
 * stdout/stderr captured by callbacks and stdin fed by one; where the
 * program is portable its native build runs in the same kind of directory
 * (as cwd or argv[1]) and both must print the same and exit the same.  The
 * wasm-only programs (escape, api, sock) print "ok ..."/"FAIL ..." lines,
 * each counted as one check.  The sandbox escape test then checks that
 * nothing outside the preopen changed.  tests/wat/wasi_*.wat drive single
 * calls (callbacks, traps, proc_exit, modules without memory).
 *
 * Usage: test_wasi   (directories from $MW_WASI_DIR, default build/wasi;
 *                     $MW_WASI_NATIVE_DIR, default build/wasi-native;
 *                     $MW_FIXTURES, default build/wasm)
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "moonwasm.h"
#include "tracking_alloc.h"

static const char *wasm_dir = "build/wasi";
static const char *native_dir = "build/wasi-native";
static const char *fixture_dir = "build/wasm";
static char scratch[256]; /* a temp dir for everything here */

/* ---------------------------------------------------------------- buffers */

typedef struct strbuf {
  char *data;
  size_t len, cap;
} strbuf;

static void sb_add(strbuf *b, const void *p, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->data = realloc(b->data, cap);
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static const char *sb_str(strbuf *b) {
  if (!b->data) sb_add(b, "", 0);
  return b->data;
}

static void sb_free(strbuf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}


static void write_file(const char *path, const char *data) {
  FILE *f = fopen(path, "wb");
  if (f) {
    fputs(data, f);
    fclose(f);
  }
}

/* ---------------------------------------------------------------- temp dirs */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static void rm_rf(const char *path) {
  nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh empty directory under the scratch dir. */
static const char *fresh_dir(const char *name) {
  static char bufs[4][512];
  static int which;
  char *p = bufs[which++ % 4];
  snprintf(p, 512, "%s/%s", scratch, name);
  rm_rf(p);
  mkdir(p, 0755);
  return p;
}

/* The sorted names in `dir`, space-separated. */
static void list_dir(const char *dir, strbuf *out) {
  char *names[256];
  int n = 0;
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d && (de = readdir(d)) && n < 256)
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
      names[n++] = strdup(de->d_name);
  if (d) closedir(d);
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (strcmp(names[j], names[i]) < 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  for (int i = 0; i < n; i++) {
    if (i) sb_add(out, " ", 1);
    sb_add(out, names[i], strlen(names[i]));
    free(names[i]);
  }
  sb_str(out);
}

static int count_open_fds(void) {
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  while (readdir(d)) n++;
  closedir(d);
  return n;
}

/* ---------------------------------------------------------------- callbacks */

typedef struct feed {
  const char *data;
  size_t len, pos;
  size_t max_chunk; /* 0: as much as asked */
} feed;

static int64_t feed_read(void *ud, uint8_t *buf, size_t len, mw_error **trap) {
  (void)trap;
  feed *f = ud;
  size_t n = f->len - f->pos;
  if (n > len) n = len;
  if (f->max_chunk && n > f->max_chunk) n = f->max_chunk;
  memcpy(buf, f->data + f->pos, n);
  f->pos += n;
  return (int64_t)n;
}

static int64_t capture_write(void *ud, const uint8_t *buf, size_t len,
                             mw_error **trap) {
  (void)trap;
  sb_add(ud, buf, len);
  return (int64_t)len;
}

/* ---------------------------------------------------------------- runs */

typedef struct run_spec {
  const char *prog;
  const char *const *args; /* args[0] is the program name */
  size_t nargs;
  const char *const *env;
  size_t nenv;
  const char *host_dir; /* preopened, or NULL */
  const char *guest_dir;
  const char *input; /* stdin */
  const mw_wasi_stdio *stdin_override;
} run_spec;

typedef struct run_result {
  strbuf out, err;
  int code;
  bool ran;
} run_result;

static void result_free(run_result *r) {
  sb_free(&r->out);
  sb_free(&r->err);
}

static mw_module *load_module(const char *dir, const char *name,
                              const char *ext) {
  char path[1024];
  size_t len;
  snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
  uint8_t *bytes = harness_read_file(path, &len);
  if (!bytes) {
    printf("  cannot read %s (built by `make`?)\n", path);
    return NULL;
  }
  mw_module *m = NULL;
  mw_error *e = mw_module_decode(NULL, bytes, len, &m);
  free(bytes);
  if (e) {
    printf("  %s: %s\n", path, mw_error_message(e));
    mw_error_free(e);
    return NULL;
  }
  return m;
}

/* Run build/wasi/PROG.wasm's _start under a fresh mw_wasi. */
static void run_wasm(const run_spec *s, run_result *r) {
  memset(r, 0, sizeof *r);
  mw_module *m = load_module(wasm_dir, s->prog, ".wasm");
  if (!CHECK(m != NULL)) return;
  feed in = {s->input ? s->input : "", s->input ? strlen(s->input) : 0, 0, 7};
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  wc.args = s->args;
  wc.nargs = s->nargs;
  wc.env = s->env;
  wc.nenv = s->nenv;
  mw_wasi_preopen po = {s->host_dir, s->guest_dir};
  if (s->host_dir) {
    wc.preopens = &po;
    wc.npreopens = 1;
  }
  mw_wasi_stdio cin = {MW_WASI_STDIO_CALLBACK, -1, feed_read, NULL, &in};
  mw_wasi_stdio cout = {MW_WASI_STDIO_CALLBACK, -1, NULL, capture_write, &r->out};
  mw_wasi_stdio cerr = {MW_WASI_STDIO_CALLBACK, -1, NULL, capture_write, &r->err};
  wc.stdio[0] = s->stdin_override ? *s->stdin_override : cin;
  wc.stdio[1] = cout;
  wc.stdio[2] = cerr;
  mw_error *e = NULL;
  mw_wasi *w = mw_wasi_new(NULL, &wc, &e);
  mw_store *st = mw_store_new(NULL);
  mw_instance *inst = NULL;
  int32_t code = -1;
  if (w && st && !(e = mw_wasi_define(w, st)) &&
      !(e = mw_instantiate(st, m, &inst)))
    e = mw_wasi_start(w, st, inst, &code);
  if (e) {
    printf("  %s: %s: %s\n", s->prog, mw_error_kind_name(mw_error_kind_of(e)),
           mw_error_message(e));
  } else {
    r->ran = true;
    r->code = code;
  }
  CHECK(e == NULL);
  mw_error_free(e);
  mw_store_free(st);
  mw_wasi_free(w);
  mw_module_release(m);
  sb_str(&r->out);
  sb_str(&r->err);
}

/* Run build/wasi-native/PROG in `cwd` with exactly args and env. */
static void run_native(const run_spec *s, const char *cwd, run_result *r) {
  memset(r, 0, sizeof *r);
  char exe[1024], in[600], out[600], err[600];
  snprintf(exe, sizeof exe, "%s/%s", native_dir, s->prog);
  if (exe[0] != '/') {
    char here[512];
    if (getcwd(here, sizeof here))
      snprintf(exe, sizeof exe, "%s/%s/%s", here, native_dir, s->prog);
  }
  snprintf(in, sizeof in, "%s/stdin", scratch);
  snprintf(out, sizeof out, "%s/stdout", scratch);
  snprintf(err, sizeof err, "%s/stderr", scratch);
  write_file(in, s->input ? s->input : "");
  char *argv[32], *envp[32];
  size_t i;
  for (i = 0; i < s->nargs && i < 31; i++) argv[i] = (char *)s->args[i];
  argv[i] = NULL;
  for (i = 0; i < s->nenv && i < 31; i++) envp[i] = (char *)s->env[i];
  envp[i] = NULL;
  /* The child reports a failed exec through a close-on-exec pipe, so any
   * exit status the program chooses stays its own. */
  int report[2];
  if (!CHECK(pipe2(report, O_CLOEXEC) == 0)) return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int fi = open(in, O_RDONLY), fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644),
        fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fi >= 0 && fo >= 0 && fe >= 0 && dup2(fi, 0) >= 0 && dup2(fo, 1) >= 0 &&
        dup2(fe, 2) >= 0 && (!cwd || chdir(cwd) == 0))
      execve(exe, argv, envp);
    int e = errno;
    if (write(report[1], &e, sizeof e) < 0) _exit(127);
    _exit(127);
  }
  close(report[1]);
  int status = 0, exec_errno = 0;
  ssize_t got = pid > 0 ? read(report[0], &exec_errno, sizeof exec_errno) : -1;
  close(report[0]);
  if (!CHECK(pid > 0) || !CHECK(waitpid(pid, &status, 0) == pid)) return;
  r->ran = got == 0 && WIFEXITED(status);
  if (!r->ran) printf("  cannot run %s: %s\n", exe, strerror(exec_errno));
  r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  size_t len;
  char *o = (char *)harness_read_file(out, &len), *e = (char *)harness_read_file(err, &len);
  sb_add(&r->out, o ? o : "", o ? strlen(o) : 0);
  sb_add(&r->err, e ? e : "", e ? strlen(e) : 0);
  free(o);
  free(e);
}

/* The first line where two outputs differ, for the failure message. */
static void show_diff(const char *name, const char *a, const char *b) {
  int line = 1;
  while (*a && *a == *b) {
    if (*a == '\n') line++;
    a++;
    b++;
  }
  const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
  printf("  %s differs at line %d:\n    wasm:   %.*s\n    native: %.*s\n", name,
         line, (int)(ea ? ea - a : (ptrdiff_t)strlen(a)), a,
         (int)(eb ? eb - b : (ptrdiff_t)strlen(b)), b);
}

static void same_output(const char *what, run_result *w, run_result *n) {
  if (!CHECK(w->ran && n->ran)) return;
  if (!CHECK(strcmp(sb_str(&w->out), sb_str(&n->out)) == 0))
    show_diff(what, w->out.data, n->out.data);
  if (!CHECK(strcmp(sb_str(&w->err), sb_str(&n->err)) == 0))
    show_diff(what, w->err.data, n->err.data);
  CHECK_EQ_INT(w->code, n->code);
}

/* Each "ok ..." line of a wasm-only program is a passed check, each
 * "FAIL ..." line a failed one. */
static void count_lines(const char *prog, const char *out) {
  int oks = 0, fails = 0;
  for (const char *p = out; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n >= 3 && memcmp(p, "ok ", 3) == 0) {
      oks++;
      CHECK(1);
    } else if (n >= 5 && memcmp(p, "FAIL ", 5) == 0) {
      fails++;
      CHECK(!"wasm program check");
      printf("  %s: %.*s\n", prog, (int)n, p);
    }
    p = e ? e + 1 : p + n;
  }
  printf("  %s: %d ok, %d FAIL\n", prog, oks, fails);
  CHECK(oks > 0);
}

/* ---------------------------------------------------------------- portable programs */

static void test_files(void) {
  const char *ndir = fresh_dir("files-native");
  const char *wdir = fresh_dir("files-wasm");
  const char *nargs[] = {"files", ndir};
  const char *wargs[] = {"files", "/sandbox"};
  run_spec ns = {"files", nargs, 2, NULL, 0, NULL, NULL, NULL, NULL};
  run_spec ws = {"files", wargs, 2, NULL, 0, wdir, "/sandbox", NULL, NULL};
  run_result n, w;
  run_native(&ns, NULL, &n);
  run_wasm(&ws, &w);
  same_output("files (/sandbox)", &w, &n);
  strbuf ln = {0}, lw = {0};
  list_dir(ndir, &ln);
  list_dir(wdir, &lw);
  CHECK_STR(lw.data, ln.data);
  sb_free(&ln);
  sb_free(&lw);
  result_free(&w);

  /* The same with the preopen named "." and relative paths. */
  wdir = fresh_dir("files-dot");
  const char *dargs[] = {"files", "."};
  run_spec ds = {"files", dargs, 2, NULL, 0, wdir, ".", NULL, NULL};
  run_wasm(&ds, &w);
  same_output("files (.)", &w, &n);
  result_free(&w);
  result_free(&n);
}

static void test_args_env(void) {
  const char *args[] = {"args_env", "one", "two words", "", "\xc3\xbcnicode",
                        "--flag=x"};
  const char *env[] = {"MW_GREETING=hello world", "EMPTY=", "X=1=2", "PATH=/bin"};
  run_spec s = {"args_env", args, 6, env, 4, NULL, NULL, NULL, NULL};
  run_result n, w;
  run_native(&s, NULL, &n);
  run_wasm(&s, &w);
  same_output("args_env", &w, &n);
  CHECK(strstr(sb_str(&w.out), "getenv MW_GREETING [hello world]") != NULL);
  result_free(&w);
  result_free(&n);
  /* No args and no environment at all. */
  run_spec e = {"args_env", NULL, 0, NULL, 0, NULL, NULL, NULL, NULL};
  run_wasm(&e, &w);
  CHECK(strstr(sb_str(&w.out), "argc 0\n") != NULL);
  CHECK(strstr(sb_str(&w.out), "envc 0\n") != NULL);
  result_free(&w);
}

static void test_stdio(void) {
  const char *args[] = {"stdio"};
  run_spec s = {"stdio", args, 1, NULL, 0, NULL, NULL,
                "hello\nworld\nlast line without newline", NULL};
  run_result n, w;
  run_native(&s, NULL, &n);
  run_wasm(&s, &w);
  same_output("stdio", &w, &n);
  CHECK_STR(w.err.data, "to stderr: 42\nraw stderr\n");
  result_free(&w);
  result_free(&n);
  /* A large input, fed 7 bytes per callback. */
  strbuf big = {0};
  for (int i = 0; i < 5000; i++) {
    char line[64];
    int k = snprintf(line, sizeof line, "line %d of the big input\n", i);
    sb_add(&big, line, (size_t)k);
  }
  s.input = big.data;
  run_native(&s, NULL, &n);
  run_wasm(&s, &w);
  same_output("stdio (big)", &w, &n);
  result_free(&w);
  result_free(&n);
  sb_free(&big);
  /* Empty input. */
  s.input = "";
  run_native(&s, NULL, &n);
  run_wasm(&s, &w);
  same_output("stdio (empty)", &w, &n);
  result_free(&w);
  result_free(&n);
}

static void test_exit(void) {
  static const struct {
    const char *how, *code;
  } cases[] = {{"exit", "3"},   {"return", "5"}, {"return", "0"}, {"exit", "0"},
               {"deep", "7"},   {"_Exit", "9"},  {"exit", "255"}, {"return", "1"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *args[] = {"exit", cases[i].how, cases[i].code};
    run_spec s = {"exit", args, 3, NULL, 0, NULL, NULL, NULL, NULL};
    run_result n, w;
    run_native(&s, NULL, &n);
    run_wasm(&s, &w);
    same_output(cases[i].how, &w, &n);
    CHECK_EQ_INT(w.code, atoi(cases[i].code));
    result_free(&w);
    result_free(&n);
  }
}

static void test_clocks_random(void) {
  const char *progs[] = {"clocks", "random"};
  for (int i = 0; i < 2; i++) {
    const char *args[] = {progs[i]};
    run_spec s = {progs[i], args, 1, NULL, 0, NULL, NULL, NULL, NULL};
    run_result n, w;
    run_native(&s, NULL, &n);
    run_wasm(&s, &w);
    same_output(progs[i], &w, &n);
    count_lines(progs[i], sb_str(&w.out));
    CHECK_EQ_INT(w.code, 0);
    result_free(&w);
    result_free(&n);
  }
}

/* ---------------------------------------------------------------- sandbox */

static void make_link(const char *target, const char *dir, const char *name) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  CHECK(symlink(target, p) == 0);
}

static void test_escape(void) {
  const char *t = fresh_dir("escape");
  char box[600], p[700];
  snprintf(box, sizeof box, "%s/box", t);
  snprintf(p, sizeof p, "%s/outdir", t);
  mkdir(p, 0755);
  mkdir(box, 0755);
  snprintf(p, sizeof p, "%s/sub", box);
  mkdir(p, 0755);
  snprintf(p, sizeof p, "%s/outside.txt", t);
  write_file(p, "secret");
  make_link(p, box, "link_abs");
  snprintf(p, sizeof p, "%s/inside.txt", box);
  write_file(p, "inside");
  make_link("../outside.txt", box, "link_rel");
  make_link("..", box, "link_up");
  make_link("../..", box, "sub/link_up2");
  make_link(t, box, "link_abs_dir");
  make_link("loop_b", box, "loop_a");
  make_link("loop_a", box, "loop_b");
  make_link("inside.txt", box, "link_in");
  make_link("../inside.txt", box, "sub/link_in2");
  make_link("../created.txt", box, "dangle_host");
  make_link("..", box, "up_extra");
  struct stat before, after;
  snprintf(p, sizeof p, "%s/outside.txt", t);
  CHECK(stat(p, &before) == 0);

  const char *args[] = {"escape", t};
  run_spec s = {"escape", args, 2, NULL, 0, box, "/sandbox", NULL, NULL};
  run_result w;
  run_wasm(&s, &w);
  count_lines("escape", sb_str(&w.out));
  CHECK(strstr(w.out.data, "\n0 failures\n") != NULL);
  CHECK_EQ_INT(w.code, 0);
  result_free(&w);

  /* Nothing outside the box changed.  The file is stat'ed before this test
   * reads it: the read itself may update atime (relatime updates it when
   * atime <= mtime, as it is for a new file), and did once a second had
   * passed on a loaded machine. */
  CHECK(stat(p, &after) == 0);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
        after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(after.st_atim.tv_sec == before.st_atim.tv_sec &&
        after.st_atim.tv_nsec == before.st_atim.tv_nsec);
  size_t len;
  char *data = (char *)harness_read_file(p, &len);
  CHECK_STR(data, "secret");
  free(data);
  CHECK_EQ_INT(after.st_nlink, 1);
  strbuf l = {0};
  list_dir(t, &l);
  CHECK_STR(l.data, "box outdir outside.txt");
  sb_free(&l);
  snprintf(p, sizeof p, "%s/outdir", t);
  list_dir(p, &l);
  CHECK_STR(l.data, "");
  sb_free(&l);
  snprintf(p, sizeof p, "%s/..", t);
  list_dir(p, &l);
  CHECK(strstr(l.data, "created.txt") == NULL && strstr(l.data, "moved") == NULL);
  sb_free(&l);
}

/* ---------------------------------------------------------------- wasm-only programs */

static void test_api(void) {
  const char *dir = fresh_dir("api");
  const char *args[] = {"api", "one", "two"};
  const char *env[] = {"A=1", "B=22"};
  run_spec s = {"api", args, 3, env, 2, dir, "/sandbox", "hello", NULL};
  run_result w;
  run_wasm(&s, &w);
  count_lines("api", sb_str(&w.out));
  CHECK(strstr(w.out.data, "\n0 failures\n") != NULL);
  CHECK_STR(sb_str(&w.err), "to stderr\n");
  CHECK_EQ_INT(w.code, 0);
  result_free(&w);
  strbuf l = {0};
  list_dir(dir, &l);
  CHECK_STR(l.data, ""); /* it cleaned up after itself */
  sb_free(&l);
}

static void test_sock(void) {
  int sv[2];
  if (!CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0)) return;
  CHECK(write(sv[1], "ping", 4) == 4);
  mw_wasi_stdio in = {MW_WASI_STDIO_FD, sv[0], NULL, NULL, NULL};
  const char *args[] = {"sock"};
  run_spec s = {"sock", args, 1, NULL, 0, NULL, NULL, NULL, &in};
  run_result w;
  run_wasm(&s, &w);
  count_lines("sock", sb_str(&w.out));
  CHECK_EQ_INT(w.code, 0);
  char buf[16] = {0};
  CHECK_EQ_INT(read(sv[1], buf, sizeof buf), 4);
  CHECK_STR(buf, "pong");
  CHECK_EQ_INT(read(sv[1], buf, sizeof buf), 0); /* shut down for writing */
  result_free(&w);
  /* The borrowed fd is still open after mw_wasi_free. */
  CHECK(fcntl(sv[0], F_GETFD) >= 0);
  close(sv[0]);
  close(sv[1]);
}

/* ---------------------------------------------------------------- single calls (wat) */

typedef struct io_fixture {
  mw_module *mod;
  mw_wasi *wasi;
  mw_store *store;
  mw_instance *inst;
} io_fixture;

static bool io_open(io_fixture *fx, const char *name, const mw_wasi_config *wc) {
  memset(fx, 0, sizeof *fx);
  fx->mod = load_module(fixture_dir, name, ".wasm");
  if (!CHECK(fx->mod != NULL)) return false;
  mw_error *e = NULL;
  fx->wasi = mw_wasi_new(NULL, wc, &e);
  fx->store = mw_store_new(NULL);
  if (fx->wasi && !(e = mw_wasi_define(fx->wasi, fx->store)))
    e = mw_instantiate(fx->store, fx->mod, &fx->inst);
  if (e) printf("  %s: %s\n", name, mw_error_message(e));
  CHECK(e == NULL);
  mw_error_free(e);
  return e == NULL;
}

static void io_close(io_fixture *fx) {
  mw_store_free(fx->store);
  mw_wasi_free(fx->wasi);
  mw_module_release(fx->mod);
}

/* Call export `name` with i32 args; its i32 result, or -1000 on error
 * (*err gets the error if asked for). */
static int32_t io_call(io_fixture *fx, const char *name, int32_t a, int32_t b,
                       size_t nargs, mw_error **err) {
  mw_extern ext;
  if (!CHECK(mw_instance_export(fx->inst, name, strlen(name), &ext))) return -1000;
  mw_val args[2] = {mw_val_i32(a), mw_val_i32(b)}, res[1];
  size_t nres = mw_functype_result_count(mw_func_type(ext.of.func));
  mw_error *e = mw_func_call(fx->store, ext.of.func, args, nargs, res, nres);
  if (e) {
    if (err)
      *err = e;
    else
      mw_error_free(e);
    return -1000;
  }
  return nres ? res[0].of.i32 : 0;
}

typedef struct sink {
  strbuf got;
  int calls;
  int64_t answer; /* 0: take everything; > 0: take this many; < 0: errno */
  mw_error *trap; /* raise this */
} sink;

static int64_t sink_write(void *ud, const uint8_t *buf, size_t len,
                          mw_error **trap) {
  sink *s = ud;
  s->calls++;
  if (s->trap) {
    *trap = s->trap;
    return 0;
  }
  if (s->answer < 0) return s->answer;
  size_t n = s->answer > 0 && (size_t)s->answer < len ? (size_t)s->answer : len;
  sb_add(&s->got, buf, n);
  return (int64_t)n;
}

static void test_callbacks(void) {
  sink out = {{0}, 0, 0, NULL};
  feed in = {"abcdefgh", 8, 0, 0};
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  wc.stdio[0] = (mw_wasi_stdio){MW_WASI_STDIO_CALLBACK, -1, feed_read, NULL, &in};
  wc.stdio[1] = (mw_wasi_stdio){MW_WASI_STDIO_CALLBACK, -1, NULL, sink_write, &out};
  wc.stdio[2] = (mw_wasi_stdio){MW_WASI_STDIO_NULL, -1, NULL, NULL, NULL};
  io_fixture fx;
  if (!io_open(&fx, "wasi_io", &wc)) {
    io_close(&fx);
    return;
  }
  /* Both iovecs reach the callback, in order. */
  CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nwritten", 0, 0, 0, NULL), 17);
  CHECK_STR(sb_str(&out.got), "hello, worldhello");
  CHECK_EQ_INT(out.calls, 2);
  /* A short write ends the call with what was taken. */
  out.answer = 3;
  CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nwritten", 0, 0, 0, NULL), 3);
  /* An errno from the callback is the call's errno. */
  out.answer = -MW_WASI_EIO;
  CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, NULL), 29);
  out.answer = -MW_WASI_ENOSPC;
  CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, NULL), 51);
  /* A trap from the callback unwinds and reaches the caller unchanged. */
  out.trap = mw_error_new_host("stdout is closed", &out);
  mw_error *e = NULL;
  CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, &e), -1000);
  CHECK(e == out.trap);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_HOST && mw_error_host_data(e) == &out);
  mw_error_free(e);
  out.trap = NULL;
  out.answer = 0;
  /* stderr is NULL: writes vanish, all counted. */
  CHECK_EQ_INT(io_call(&fx, "write2", 2, 0, 1, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nwritten", 0, 0, 0, NULL), 17);
  /* stdin through the callback, then end of file. */
  CHECK_EQ_INT(io_call(&fx, "read", 0, 5, 2, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nread", 0, 0, 0, NULL), 5);
  CHECK_EQ_INT(io_call(&fx, "byte", 300, 0, 1, NULL), 'a');
  CHECK_EQ_INT(io_call(&fx, "byte", 304, 0, 1, NULL), 'e');
  CHECK_EQ_INT(io_call(&fx, "read", 0, 100, 2, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nread", 0, 0, 0, NULL), 3);
  CHECK_EQ_INT(io_call(&fx, "read", 0, 100, 2, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "nread", 0, 0, 0, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "read", 2, 10, 2, NULL), 0); /* NULL stream: EOF */
  CHECK_EQ_INT(io_call(&fx, "nread", 0, 0, 0, NULL), 0);
  CHECK_EQ_INT(io_call(&fx, "read", 1, 10, 2, NULL), 8); /* no read callback */
  CHECK_EQ_INT(io_call(&fx, "read", 0, 70000, 2, NULL), 21); /* past memory */
  CHECK_EQ_INT(io_call(&fx, "write2", 9, 0, 1, NULL), 8);    /* no such fd */
  /* proc_exit from nested frames: an exit error, recorded. */
  CHECK(!mw_wasi_exited(fx.wasi));
  CHECK_EQ_INT(io_call(&fx, "exit_deep", 42, 0, 1, &e), -1000);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_EXIT && mw_error_exit_code(e) == 42);
  mw_error_free(e);
  CHECK(mw_wasi_exited(fx.wasi));
  CHECK_EQ_INT(mw_wasi_exit_code(fx.wasi), 42);
  /* mw_wasi_start turns the exit into a status. */
  int32_t code = -1;
  CHECK((e = mw_wasi_start(fx.wasi, fx.store, fx.inst, &code)) == NULL);
  mw_error_free(e);
  CHECK_EQ_INT(code, 7);
  io_close(&fx);
  sb_free(&out.got);
}

/* Borrowed host fds as stdio: a pipe whose reader is gone gives EPIPE (and
 * no SIGPIPE ends this process), a file receives the bytes, a pipe feeds
 * stdin; none of them is closed by mw_wasi_free. */
static void test_host_fds(void) {
  int out[2], in[2];
  char path[600];
  snprintf(path, sizeof path, "%s/stderr.txt", scratch);
  int file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!CHECK(pipe(out) == 0 && pipe(in) == 0 && file >= 0)) return;
  close(out[0]);
  CHECK(write(in[1], "xyz", 3) == 3);
  close(in[1]);
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  wc.stdio[0] = (mw_wasi_stdio){MW_WASI_STDIO_FD, in[0], NULL, NULL, NULL};
  wc.stdio[1] = (mw_wasi_stdio){MW_WASI_STDIO_FD, out[1], NULL, NULL, NULL};
  wc.stdio[2] = (mw_wasi_stdio){MW_WASI_STDIO_FD, file, NULL, NULL, NULL};
  io_fixture fx;
  if (io_open(&fx, "wasi_io", &wc)) {
    CHECK_EQ_INT(io_call(&fx, "write2", 1, 0, 1, NULL), 64); /* EPIPE */
    CHECK_EQ_INT(io_call(&fx, "write2", 2, 0, 1, NULL), 0);
    CHECK_EQ_INT(io_call(&fx, "nwritten", 0, 0, 0, NULL), 17);
    CHECK_EQ_INT(io_call(&fx, "read", 0, 10, 2, NULL), 0);
    CHECK_EQ_INT(io_call(&fx, "nread", 0, 0, 0, NULL), 3);
    CHECK_EQ_INT(io_call(&fx, "byte", 302, 0, 1, NULL), 'z');
  }
  io_close(&fx);
  size_t len;
  char *data = (char *)harness_read_file(path, &len);
  CHECK_STR(data, "hello, worldhello");
  free(data);
  CHECK(fcntl(in[0], F_GETFD) >= 0 && fcntl(out[1], F_GETFD) >= 0 &&
        fcntl(file, F_GETFD) >= 0);
  close(in[0]);
  close(out[1]);
  close(file);
}

static void test_no_memory(void) {
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  io_fixture fx;
  if (io_open(&fx, "wasi_nomem", &wc)) {
    CHECK_EQ_INT(io_call(&fx, "write", 0, 0, 0, NULL), 21);
    CHECK_EQ_INT(io_call(&fx, "args", 0, 0, 0, NULL), 21);
    mw_error *e = mw_wasi_start(fx.wasi, fx.store, fx.inst, NULL);
    CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE); /* no _start */
    mw_error_free(e);
  }
  io_close(&fx);
}

/* ---------------------------------------------------------------- configuration */

static void test_config(void) {
  mw_error *e = NULL;
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  mw_wasi_preopen bad = {"/definitely/not/here", "/x"};
  wc.preopens = &bad;
  wc.npreopens = 1;
  CHECK(mw_wasi_new(NULL, &wc, &e) == NULL);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  if (e) CHECK(strstr(mw_error_message(e), "/definitely/not/here") != NULL);
  mw_error_free(e);

  char file[600];
  snprintf(file, sizeof file, "%s/plain.txt", scratch);
  write_file(file, "x");
  mw_wasi_preopen notdir = {file, "/x"};
  wc.preopens = &notdir;
  e = NULL;
  CHECK(mw_wasi_new(NULL, &wc, &e) == NULL);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);

  mw_wasi_config_default(&wc);
  wc.stdio[1].kind = MW_WASI_STDIO_CALLBACK; /* but no write callback */
  e = NULL;
  CHECK(mw_wasi_new(NULL, &wc, &e) == NULL);
  CHECK(e && mw_error_kind_of(e) == MW_ERR_USAGE);
  mw_error_free(e);
  CHECK(mw_wasi_new(NULL, &wc, NULL) == NULL); /* err may be NULL */
  mw_wasi_free(NULL);

  /* Every byte goes back through the configured allocator. */
  tracker t;
  mw_config cfg = tracked_config(&t);
  const char *args[] = {"a", "bb"}, *env[] = {"K=V"};
  mw_wasi_preopen two[2] = {{scratch, "/s"}, {scratch, "."}};
  mw_wasi_config_default(&wc);
  wc.args = args;
  wc.nargs = 2;
  wc.env = env;
  wc.nenv = 1;
  wc.preopens = two;
  wc.npreopens = 2;
  mw_wasi *w = mw_wasi_new(&cfg, &wc, &e);
  CHECK(w != NULL);
  CHECK(t.blocks > 0);
  mw_store *s = mw_store_new(&cfg);
  CHECK(mw_wasi_define(w, s) == NULL);
  mw_extern ext;
  CHECK(mw_store_lookup(s, "wasi_snapshot_preview1", 22, "fd_write", 8, &ext));
  CHECK(mw_store_lookup(s, "wasi_snapshot_preview1", 22, "sock_shutdown", 13, &ext));
  CHECK(mw_store_lookup(s, "wasi_snapshot_preview1", 22, "proc_exit", 9, &ext) &&
        mw_functype_result_count(mw_func_type(ext.of.func)) == 0);
  CHECK(mw_store_lookup(s, "wasi_snapshot_preview1", 22, "path_open", 9, &ext) &&
        mw_functype_param_count(mw_func_type(ext.of.func)) == 9 &&
        mw_functype_param(mw_func_type(ext.of.func), 5) == MW_I64);
  mw_store_free(s);
  mw_wasi_free(w);
  CHECK_EQ_INT(t.live, 0);
  CHECK_EQ_INT(t.blocks, 0);
}

/* ---------------------------------------------------------------- main */

int main(void) {
  const char *v;
  if ((v = getenv("MW_WASI_DIR"))) wasm_dir = v;
  if ((v = getenv("MW_WASI_NATIVE_DIR"))) native_dir = v;
  if ((v = getenv("MW_FIXTURES"))) fixture_dir = v;
  snprintf(scratch, sizeof scratch, "%s/mw-wasi-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(scratch)) {
    printf("cannot make a temp dir\n0 passed, 1 failed\n");
    return 1;
  }
  int fds = count_open_fds();
  RUN(test_config);
  RUN(test_callbacks);
  RUN(test_host_fds);
  RUN(test_no_memory);
  RUN(test_files);
  RUN(test_args_env);
  RUN(test_stdio);
  RUN(test_exit);
  RUN(test_clocks_random);
  RUN(test_escape);
  RUN(test_api);
  RUN(test_sock);
  CHECK_EQ_INT(count_open_fds(), fds); /* no host fd leaked */
  rm_rf(scratch);
  return harness_summary();
}
