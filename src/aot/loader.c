/*
 * loader.c -- artifacts in: dlopen a shared object, check it was made for
 * these wasm bytes, this moonwasm and this machine, and attach it to its
 * module; read the "moonwasm.aot" section of a universal .wasm.
 *
 * Every check happens before any of the artifact's code runs, except what
 * dlopen itself does (the object has no constructors of ours).  The checks
 * guard against mistakes, not attacks: see TRUST in moonwasm.h.
 */
#define _GNU_SOURCE /* mkstemps */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "aot.h"

/* ---------------------------------------------------------------- identity */

/* Two independent 64-bit hashes (FNV-1a and a multiply-xorshift over
 * words): a 128-bit fingerprint of the wasm bytes. */
void mw_aot_hash(const uint8_t *p, size_t n, uint64_t out[2]) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  uint64_t g = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    g = (g ^ w) * 0xbf58476d1ce4e5b9ull;
    g ^= g >> 31;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < n; k++) tail |= (uint64_t)p[i + k] << (8 * k);
  g = (g ^ tail) * 0x94d049bb133111ebull;
  g ^= g >> 29;
  out[0] = h;
  out[1] = g;
}

/* The runtime structure sizes generated code was built against. */
const char *mw_aot_layout(void) {
  static char buf[96];
  if (!buf[0])
    snprintf(buf, sizeof buf, "abi%u,func%zu,frame%zu.%zu,slot%zu,ptr%zu",
             (unsigned)MW_AOT_ABI, sizeof(mw_func), sizeof(mw_frame),
             offsetof(mw_frame, func), sizeof(mw_slot), sizeof(void *));
  return buf;
}

/* The length of m's bytes without a trailing "moonwasm.aot" section (the
 * bytes an artifact's hash covers). */
size_t mw_aot_base_len(const mw_module *m) {
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const mw_custom *cs = &m->customs[i];
    if (cs->name.len != MW_AOT_SECTION_NAME_LEN ||
        memcmp(cs->name.ptr, MW_AOT_SECTION_NAME, MW_AOT_SECTION_NAME_LEN) != 0)
      continue;
    /* Written by us: id 0, a 5-byte padded size, 1-byte name length. */
    const uint8_t *name = (const uint8_t *)cs->name.ptr;
    if (name < m->bytes + 7) continue;
    const uint8_t *start = name - 7;
    if (start[0] != 0 || cs->data + cs->len != m->bytes + m->len) continue;
    return (size_t)(start - m->bytes);
  }
  return m->len;
}

/* ---------------------------------------------------------------- attach */

void mw_aot_lib_free(struct mw_aot_lib *lib) {
  if (!lib) return;
  if (lib->handle) dlclose(lib->handle);
  free(lib);
}

uint32_t mw_aot_native_funcs(const mw_module *m) {
  if (!m || !m->aot) return 0;
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->aot->art->nfuncs; i++)
    if (m->aot->art->wraps[i]) n++;
  return n;
}

/* Is `art` the artifact of m, for this runtime?  NULL or why not. */
static mw_error *check_artifact(const mw_module *m, const mw_aot_artifact *art) {
  if (art->magic != MW_AOT_MAGIC || art->abi != MW_AOT_ABI)
    return mw_errorf(MW_ERR_USAGE, "aot: artifact has another ABI (%u, want %u)",
                     (unsigned)art->abi, (unsigned)MW_AOT_ABI);
  if (!art->version || strcmp(art->version, MW_VERSION) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: artifact is for moonwasm %s, this is %s",
                     art->version ? art->version : "?", MW_VERSION);
  if (!art->target || strcmp(art->target, MW_AOT_TARGET) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: artifact is for target %s, this is %s",
                     art->target ? art->target : "?", MW_AOT_TARGET);
  if (!art->layout || strcmp(art->layout, mw_aot_layout()) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: artifact is for runtime layout %s, this is %s",
                     art->layout ? art->layout : "?", mw_aot_layout());
  uint64_t h[2];
  size_t len = mw_aot_base_len(m);
  mw_aot_hash(m->bytes, len, h);
  if (h[0] != art->hash[0] || h[1] != art->hash[1] || art->wasm_len != len)
    return mw_errorf(MW_ERR_USAGE,
                     "aot: artifact was compiled from other wasm bytes (hash mismatch)");
  if (art->nfuncs != m->nfuncs - m->nfunc_imports || !art->wraps)
    return mw_errorf(MW_ERR_USAGE, "aot: artifact has %u functions, module has %u",
                     (unsigned)art->nfuncs, (unsigned)(m->nfuncs - m->nfunc_imports));
  return NULL;
}

static mw_error *open_artifact(const char *path, void **handle,
                               const mw_aot_artifact **art) {
  *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!*handle) {
    const char *why = dlerror();
    return mw_errorf(MW_ERR_USAGE, "aot: cannot load %s: %s", path, why ? why : "?");
  }
  *art = dlsym(*handle, MW_AOT_SYMBOL);
  if (!*art) {
    dlclose(*handle);
    *handle = NULL;
    return mw_errorf(MW_ERR_USAGE, "aot: %s is not a moonwasm artifact (no %s)", path,
                     MW_AOT_SYMBOL);
  }
  return NULL;
}

static mw_error *attach_opened(mw_module *m, void *handle, const mw_aot_artifact *art) {
  mw_error *err = check_artifact(m, art);
  if (!err && m->aot)
    err = mw_errorf(MW_ERR_USAGE, "aot: the module already has native code");
  struct mw_aot_lib *lib = NULL;
  if (!err && !(lib = calloc(1, sizeof *lib))) err = mw_error_oom();
  if (err) {
    dlclose(handle);
    return err;
  }
  lib->handle = handle;
  lib->art = art;
  m->aot = lib;
  return NULL;
}

mw_error *mw_aot_attach(mw_module *m, const char *so_path) {
  if (!m || !so_path) return mw_errorf(MW_ERR_USAGE, "mw_aot_attach: NULL argument");
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  void *handle;
  const mw_aot_artifact *art;
  if ((err = open_artifact(so_path, &handle, &art)) != NULL) return err;
  return attach_opened(m, handle, art);
}

/* ---------------------------------------------------------------- files */

mw_error *mw_aot_read_file(const char *path, uint8_t **out, size_t *len) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return mw_errorf(MW_ERR_USAGE, "cannot open %s: %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  uint8_t *p = malloc(cap);
  while (p) {
    if (n == cap) {
      uint8_t *q = realloc(p, cap * 2);
      if (!q) {
        free(p);
        p = NULL;
        break;
      }
      p = q;
      cap *= 2;
    }
    size_t got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool bad = ferror(f);
  fclose(f);
  if (!p) return mw_error_oom();
  if (bad) {
    free(p);
    return mw_errorf(MW_ERR_USAGE, "cannot read %s", path);
  }
  *out = p;
  *len = n;
  return NULL;
}

/* A fresh temporary file name with `suffix`, never used before by this
 * process (dlopen identifies objects by name: a reused name would return
 * the object loaded before).  The file is created empty; *fd is open. */
mw_error *mw_aot_temp_file(const char *suffix, char *path, size_t size, int *fd) {
  static unsigned long counter;
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  int n = snprintf(path, size, "%s/moonwasm-aot-%ld-%lu-XXXXXX%s", dir, (long)getpid(),
                   ++counter, suffix);
  if (n < 0 || (size_t)n >= size)
    return mw_errorf(MW_ERR_USAGE, "aot: temporary directory path too long");
  *fd = mkstemps(path, (int)strlen(suffix));
  if (*fd < 0)
    return mw_errorf(MW_ERR_USAGE, "aot: cannot create a temporary file in %s: %s", dir,
                     strerror(errno));
  return NULL;
}

mw_error *mw_aot_write_all(int fd, const uint8_t *p, size_t n, const char *path) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return mw_errorf(MW_ERR_USAGE, "aot: cannot write %s: %s", path, strerror(errno));
    }
    p += w;
    n -= (size_t)w;
  }
  return NULL;
}

/* Attach the shared object held in a "moonwasm.aot" section.  NULL, or why
 * it does not fit (the module then stays with the interpreter). */
static mw_error *attach_section(mw_module *m, const mw_custom *cs) {
  const uint8_t *p = cs->data, *end = cs->data + cs->len;
  if ((size_t)(end - p) < MW_AOT_SECTION_MAGIC_LEN + 4 ||
      memcmp(p, MW_AOT_SECTION_MAGIC, MW_AOT_SECTION_MAGIC_LEN) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: malformed moonwasm.aot section");
  p += MW_AOT_SECTION_MAGIC_LEN;
  const char *strs[3];
  for (int k = 0; k < 3; k++) {
    const uint8_t *z = memchr(p, 0, (size_t)(end - p));
    if (!z) return mw_errorf(MW_ERR_USAGE, "aot: malformed moonwasm.aot section");
    strs[k] = (const char *)p;
    p = z + 1;
  }
  /* Checked before loading anything: */
  if (strcmp(strs[0], MW_VERSION) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: native code is for moonwasm %s, this is %s",
                     strs[0], MW_VERSION);
  if (strcmp(strs[1], MW_AOT_TARGET) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: native code is for target %s, this is %s",
                     strs[1], MW_AOT_TARGET);
  if (strcmp(strs[2], mw_aot_layout()) != 0)
    return mw_errorf(MW_ERR_USAGE, "aot: native code is for runtime layout %s, this is %s",
                     strs[2], mw_aot_layout());
  char path[4096];
  int fd;
  mw_error *err = mw_aot_temp_file(".so", path, sizeof path, &fd);
  if (err) return err;
  err = mw_aot_write_all(fd, p, (size_t)(end - p), path);
  close(fd);
  if (!err) {
    void *handle;
    const mw_aot_artifact *art;
    err = open_artifact(path, &handle, &art);
    if (!err) err = attach_opened(m, handle, art);
  }
  unlink(path);
  return err;
}


/* The custom section "moonwasm.aot" of m, or NULL. */
static const mw_custom *aot_section(const mw_module *m) {
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const mw_custom *cs = &m->customs[i];
    if (cs->name.len == MW_AOT_SECTION_NAME_LEN &&
        memcmp(cs->name.ptr, MW_AOT_SECTION_NAME, MW_AOT_SECTION_NAME_LEN) == 0)
      return cs;
  }
  return NULL;
}

mw_error *mw_aot_attach_universal(mw_module *m, bool *found) {
  if (found) *found = false;
  if (!m) return mw_errorf(MW_ERR_USAGE, "mw_aot_attach_universal: NULL module");
  const mw_custom *cs = aot_section(m);
  if (!cs) return NULL;
  if (found) *found = true;
  mw_error *err = mw_module_validate(m);
  if (err) return err;
  return attach_section(m, cs);
}

mw_error *mw_aot_wasm_bytes(const char *so_path, uint8_t **bytes, size_t *len) {
  if (!so_path || !bytes || !len)
    return mw_errorf(MW_ERR_USAGE, "mw_aot_wasm_bytes: NULL argument");
  *bytes = NULL;
  *len = 0;
  void *handle;
  const mw_aot_artifact *art;
  mw_error *err = open_artifact(so_path, &handle, &art);
  if (err) return err;
  if (art->magic != MW_AOT_MAGIC || art->abi != MW_AOT_ABI || !art->wasm)
    err = mw_errorf(MW_ERR_USAGE, "aot: %s carries no wasm module (ABI %u, want %u)",
                    so_path, (unsigned)art->abi, (unsigned)MW_AOT_ABI);
  else if (!(*bytes = malloc(art->wasm_len ? (size_t)art->wasm_len : 1)))
    err = mw_error_oom();
  else {
    memcpy(*bytes, art->wasm, (size_t)art->wasm_len);
    *len = (size_t)art->wasm_len;
  }
  dlclose(handle);
  return err;
}

static bool is_elf(const uint8_t *p, size_t n) {
  return n >= 4 && p[0] == 0x7F && p[1] == 'E' && p[2] == 'L' && p[3] == 'F';
}

mw_error *mw_aot_load_file(const mw_config *cfg, const char *path, mw_module **out,
                           char **note) {
  if (!out) return mw_errorf(MW_ERR_USAGE, "mw_aot_load_file: no output pointer");
  *out = NULL;
  if (note) *note = NULL;
  if (!path) return mw_errorf(MW_ERR_USAGE, "mw_aot_load_file: no path");
  uint8_t *bytes;
  size_t len;
  mw_error *err = mw_aot_read_file(path, &bytes, &len);
  if (err) return err;
  mw_module *m = NULL;
  bool so = is_elf(bytes, len);
  if (so) {
    free(bytes);
    if ((err = mw_aot_wasm_bytes(path, &bytes, &len)) != NULL) return err;
  }
  err = mw_module_decode(cfg, bytes, len, &m);
  free(bytes);
  if (err) return err;
  if (so) {
    err = mw_aot_attach(m, path);
    if (err) {
      mw_module_release(m);
      return err;
    }
  } else {
    bool found;
    mw_error *why = mw_aot_attach_universal(m, &found);
    if (why && why->kind != MW_ERR_USAGE) { /* the module itself is invalid */
      mw_module_release(m);
      return why;
    }
    if (why) {
      if (note) {
        const char *msg = mw_error_message(why);
        *note = malloc(strlen(msg) + 1);
        if (*note) strcpy(*note, msg);
      }
      mw_error_free(why);
    }
  }
  *out = m;
  return NULL;
}
