/*
 * driver.c -- artifacts out: translate, run the system C compiler (with
 * posix_spawnp, no shell), and package the result as a .so or as a
 * universal .wasm; the compile-and-attach path with its optional cache.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aot.h"

extern char **environ;

/* Only levels that keep IEEE semantics (no -Ofast). */
static bool opt_ok(const char *o) {
  static const char *const ok[] = {"O0", "O1", "O2", "O3", "Os", "Oz", "Og"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if (strcmp(o, ok[i]) == 0) return true;
  return false;
}

static const char *cc_of(const mw_aot_options *o) {
  if (o && o->cc && *o->cc) return o->cc;
  const char *env = getenv("MOONWASM_CC");
  return env && *env ? env : "cc";
}

bool mw_aot_guard_default(void) {
#if MW_AOT_CAN_GUARD
  const char *env = getenv("MOONWASM_AOT_BOUNDS");
  return !(env && strcmp(env, "explicit") == 0);
#else
  return false;
#endif
}

static const char *opt_of(const mw_aot_options *o) {
  return o && o->opt && *o->opt ? o->opt : "O2";
}

/* The flags that shape the code (part of the cache key):
 * -ffp-contract=off: no fused multiply-add (wasm rounds every step);
 * -fsignaling-nans: no folding of x * -1 into -x and the like, which would
 *  let a signalling NaN through unquieted; -fno-math-errno: sqrt stays an
 *  instruction; -w: generated code has unused labels and variables;
 * -falign-functions=64: a function's loops then sit at the same offsets
 *  from a cache line wherever the loader maps the object (the same
 *  native code ran make bench's bytecode_vm in 18 to 27 ms by its
 *  address alone). */
#define CC_FLAG_LIST(X)                                                    \
  X("-std=gnu11") X("-shared") X("-fPIC") X("-w") X("-ffp-contract=off")   \
  X("-fno-math-errno") X("-fsignaling-nans") X("-fno-strict-aliasing")     \
  X("-fvisibility=hidden") X("-falign-functions=64")
/* The same list as one string, for the cache key. */
#define CC_FLAG_TEXT(F) F " "
#define CC_FLAGS CC_FLAG_LIST(CC_FLAG_TEXT) "-lm"

/* Run `cc` on c_path, writing so_path.  Its output goes to a temporary
 * file, quoted in the error when it fails. */
static mw_error *run_cc(const mw_aot_options *o, const char *c_path,
                        const char *so_path) {
  const char *cc = cc_of(o), *opt = opt_of(o);
  if (!opt_ok(opt))
    return mw_errorf(MW_ERR_USAGE, "aot: unsupported optimisation level \"%s\" "
                                   "(O0, O1, O2, O3, Os, Oz or Og)", opt);
  char optflag[8];
  snprintf(optflag, sizeof optflag, "-%s", opt);
  char log_path[4096];
  int log_fd;
  mw_error *err = mw_aot_temp_file(".log", log_path, sizeof log_path, &log_fd);
  if (err) return err;
#define CC_FLAG_ARG(F) (char *)F,
  char *argv[] = {(char *)cc, CC_FLAG_LIST(CC_FLAG_ARG) optflag,
                  "-o", (char *)so_path, (char *)c_path, "-lm", NULL};
#undef CC_FLAG_ARG
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, log_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, log_fd, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, cc, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(log_fd);
  if (rc != 0) {
    unlink(log_path);
    return mw_errorf(MW_ERR_USAGE, "aot: cannot run the C compiler \"%s\": %s", cc,
                     strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char msg[1024] = "";
    FILE *f = fopen(log_path, "r");
    if (f) {
      size_t n = fread(msg, 1, sizeof msg - 1, f);
      msg[n] = '\0';
      fclose(f);
    }
    err = mw_errorf(MW_ERR_USAGE, "aot: the C compiler \"%s\" failed (%s %d): %s", cc,
                    WIFEXITED(status) ? "exit status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), msg);
  }
  unlink(log_path);
  return err;
}

static mw_error *write_file(const char *path, const uint8_t *p, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return mw_errorf(MW_ERR_USAGE, "aot: cannot write %s: %s", path, strerror(errno));
  mw_error *err = mw_aot_write_all(fd, p, n, path);
  if (close(fd) != 0 && !err)
    err = mw_errorf(MW_ERR_USAGE, "aot: cannot write %s: %s", path, strerror(errno));
  return err;
}

static mw_error *translate(mw_module *m, bool embed, char **src, size_t *len) {
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  mw_aot_artifact_info info;
  size_t base = mw_aot_base_len(m);
  mw_aot_hash(m->bytes, base, info.hash);
  info.layout = mw_aot_layout();
  info.embed_wasm = embed;
  info.guard = mw_aot_guard_default();
  if (base != m->len)
    return mw_errorf(MW_ERR_USAGE, "aot: the module already carries native code "
                                   "(compile the plain .wasm)");
  return mw_aot_translate_c(m, &info, src, len, NULL);
}

mw_error *mw_aot_fallbacks(mw_module *m, char **report) {
  if (!m || !report) return mw_errorf(MW_ERR_USAGE, "mw_aot_fallbacks: NULL argument");
  *report = NULL;
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  mw_aot_artifact_info info;
  memset(&info, 0, sizeof info);
  info.layout = mw_aot_layout();
  char *src = NULL;
  size_t len = 0;
  err = mw_aot_translate_report(m, &info, &src, &len, NULL, report);
  free(src);
  return err;
}

mw_error *mw_aot_translate(mw_module *m, char **c_source, size_t *len) {
  if (!m || !c_source || !len)
    return mw_errorf(MW_ERR_USAGE, "mw_aot_translate: NULL argument");
  return translate(m, true, c_source, len);
}

/* The generated C to a file (the kept copy, or a temporary one), then cc. */
static mw_error *compile_so(mw_module *m, const mw_aot_options *o, bool embed,
                            const char *so_path) {
  char *src;
  size_t len;
  mw_error *err = translate(m, embed, &src, &len);
  if (err) return err;
  char c_path[4096];
  bool temp = !(o && o->keep_c);
  if (temp) {
    int fd;
    err = mw_aot_temp_file(".c", c_path, sizeof c_path, &fd);
    if (!err) {
      err = mw_aot_write_all(fd, (const uint8_t *)src, len, c_path);
      close(fd);
    }
  } else {
    snprintf(c_path, sizeof c_path, "%s", o->keep_c);
    err = write_file(c_path, (const uint8_t *)src, len);
  }
  free(src);
  if (!err) err = run_cc(o, c_path, so_path);
  if (temp) unlink(c_path);
  return err;
}

static void put_u8(uint8_t **w, uint8_t b) { *(*w)++ = b; }

mw_error *mw_aot_compile(mw_module *m, const mw_aot_options *o, mw_aot_format format,
                         const char *out_path) {
  if (!m || !out_path) return mw_errorf(MW_ERR_USAGE, "mw_aot_compile: NULL argument");
  if (format == MW_AOT_SO) return compile_so(m, o, true, out_path);
  if (format != MW_AOT_UNIVERSAL)
    return mw_errorf(MW_ERR_USAGE, "mw_aot_compile: unknown format %d", (int)format);

  /* Universal: the module's bytes, then a custom section holding the .so. */
  char so_path[4096];
  int fd;
  mw_error *err = mw_aot_temp_file(".so", so_path, sizeof so_path, &fd);
  if (err) return err;
  close(fd);
  err = compile_so(m, o, false, so_path);
  uint8_t *so = NULL;
  size_t so_len = 0;
  if (!err) err = mw_aot_read_file(so_path, &so, &so_len);
  unlink(so_path);
  if (err) return err;
  const char *strs[3] = {MW_VERSION, MW_AOT_TARGET, mw_aot_layout()};
  size_t payload = 1 + MW_AOT_SECTION_NAME_LEN + MW_AOT_SECTION_MAGIC_LEN + so_len;
  for (int k = 0; k < 3; k++) payload += strlen(strs[k]) + 1;
  if (payload > 0xFFFFFFFFu) {
    free(so);
    return mw_errorf(MW_ERR_USAGE, "aot: native code too large for a custom section");
  }
  size_t total = m->len + 1 + 5 + payload;
  uint8_t *out = malloc(total);
  if (!out) {
    free(so);
    return mw_error_oom();
  }
  uint8_t *w = out;
  memcpy(w, m->bytes, m->len);
  w += m->len;
  put_u8(&w, 0); /* custom section */
  for (int k = 0; k < 5; k++) /* size as a padded 5-byte LEB (loader.c) */
    put_u8(&w, (uint8_t)(((payload >> (7 * k)) & 0x7F) | (k < 4 ? 0x80 : 0)));
  put_u8(&w, (uint8_t)MW_AOT_SECTION_NAME_LEN);
  memcpy(w, MW_AOT_SECTION_NAME, MW_AOT_SECTION_NAME_LEN);
  w += MW_AOT_SECTION_NAME_LEN;
  memcpy(w, MW_AOT_SECTION_MAGIC, MW_AOT_SECTION_MAGIC_LEN);
  w += MW_AOT_SECTION_MAGIC_LEN;
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(strs[k]) + 1;
    memcpy(w, strs[k], n);
    w += n;
  }
  memcpy(w, so, so_len);
  w += so_len;
  free(so);
  err = write_file(out_path, out, (size_t)(w - out));
  free(out);
  return err;
}

/* ---------------------------------------------------------------- compile and attach */

mw_error *mw_aot_compile_attach(mw_module *m, const mw_aot_options *o,
                                const char *cache_dir) {
  if (!m) return mw_errorf(MW_ERR_USAGE, "mw_aot_compile_attach: NULL module");
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  if (!cache_dir) {
    char so_path[4096];
    int fd;
    if ((err = mw_aot_temp_file(".so", so_path, sizeof so_path, &fd)) != NULL) return err;
    close(fd);
    err = compile_so(m, o, false, so_path);
    if (!err) err = mw_aot_attach(m, so_path);
    unlink(so_path);
    return err;
  }
  /* Cached: named by the wasm bytes and everything that shapes the code. */
  char key[512];
  snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s|%zu|%zu|%d|%d", MW_VERSION, MW_AOT_TARGET,
           mw_aot_layout(), cc_of(o), opt_of(o), CC_FLAGS, mw_aot_prelude_size(),
           mw_aot_prelude_simd_size(), MW_AOT_TRANSLATOR, (int)mw_aot_guard_default());
  uint64_t hw[2], hk[2];
  mw_aot_hash(m->bytes, m->len, hw);
  mw_aot_hash((const uint8_t *)key, strlen(key), hk);
  char path[4096];
  snprintf(path, sizeof path, "%s/%016llx%016llx.so", cache_dir,
           (unsigned long long)(hw[0] ^ hk[0]), (unsigned long long)(hw[1] ^ hk[1]));
  struct stat st;
  if (stat(path, &st) == 0) {
    err = mw_aot_attach(m, path);
    if (!err) return NULL;
    mw_error_free(err); /* stale or damaged: build it again */
  }
  mkdir(cache_dir, 0755);
  /* Built under a temporary name and renamed: concurrent runs never see a
   * partial file. */
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  err = compile_so(m, o, false, tmp);
  if (!err && rename(tmp, path) != 0)
    err = mw_errorf(MW_ERR_USAGE, "aot: cannot write %s: %s", path, strerror(errno));
  unlink(tmp);
  if (!err) err = mw_aot_attach(m, path);
  return err;
}
