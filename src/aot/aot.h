/*
 * aot.h -- the AOT layer's internal interface (src/aot).  The runtime calls
 * mw_aot_bind/unbind/enter/lib_free; the public API is mw_aot_* in
 * moonwasm.h.
 */
#ifndef MW_AOT_H
#define MW_AOT_H

#include "internal.h"
#include "vmem.h"

/* Guard-page bounds checks need the guard region, POSIX signals and a
 * target whose registers aot_ops.h's KEEP names. */
#if MWVM_GUARD && (defined(__unix__) || defined(__APPLE__)) && \
    (defined(__x86_64__) || defined(__aarch64__))
#define MW_AOT_CAN_GUARD 1
#else
#define MW_AOT_CAN_GUARD 0
#endif

/* What translate.c writes into an artifact besides the code. */
typedef struct mw_aot_artifact_info {
  uint64_t hash[2];     /* mw_aot_hash of the wasm bytes */
  const char *layout;   /* mw_aot_layout() */
  bool embed_wasm;      /* carry the wasm bytes (a .so) */
  bool guard;           /* memory 0's bounds by guard pages (MW_AOT_F_GUARD) */
} mw_aot_artifact_info;

/* driver.c: whether artifacts compiled now check memory 0's bounds with
 * guard pages: where 32-bit memories get their guard region (vmem.h) and
 * faults can be caught, unless MOONWASM_AOT_BOUNDS=explicit. */
bool mw_aot_guard_default(void);

/* embed.c: aot_abi.h, numeric.h and aot_ops.h, pasted into generated C. */
extern const char mw_aot_prelude[];
size_t mw_aot_prelude_size(void);
/* and, for modules using SIMD, aot_simd.h around simd.h and exec_simd.h */
extern const char mw_aot_prelude_simd[];
size_t mw_aot_prelude_simd_size(void);

/* Changes with what the translator emits for the same prelude (part of
 * the cache key of compiled artifacts, driver.c). */
#define MW_AOT_TRANSLATOR 6

/* translate.c: C source for validated module m (malloc'd, NUL-ended). */
mw_error *mw_aot_translate_c(const mw_module *m, const mw_aot_artifact_info *info,
                             char **out, size_t *out_len, uint32_t *nnative);
/* The same, and (report != NULL) the functions left to the interpreter,
 * one line each: "INDEX[ NAME]: why" (malloc'd, NUL-ended). */
mw_error *mw_aot_translate_report(const mw_module *m, const mw_aot_artifact_info *info,
                                  char **out, size_t *out_len, uint32_t *nnative,
                                  char **report);

/* The symbol an artifact exports, and the universal .wasm's section:
 * name, then payload = magic, version\0, target\0, layout\0, the .so. */
#define MW_AOT_SYMBOL "mw_aot_artifact_v1"
#define MW_AOT_SECTION_NAME "moonwasm.aot"
#define MW_AOT_SECTION_NAME_LEN 12u
#define MW_AOT_SECTION_MAGIC "MWAOT1"
#define MW_AOT_SECTION_MAGIC_LEN 6u

/* loader.c */
void mw_aot_hash(const uint8_t *p, size_t n, uint64_t out[2]);
const char *mw_aot_layout(void);
size_t mw_aot_base_len(const mw_module *m);
mw_error *mw_aot_read_file(const char *path, uint8_t **out, size_t *len);
mw_error *mw_aot_temp_file(const char *suffix, char *path, size_t size, int *fd);
mw_error *mw_aot_write_all(int fd, const uint8_t *p, size_t n, const char *path);

/* A loaded artifact, owned by its module (mw_module.aot). */
struct mw_aot_lib {
  void *handle;                  /* dlopen */
  const mw_aot_artifact *art;
};
/* mw_aot_lib_free, and aot_rt.c's mw_aot_bind/unbind/enter: internal.h */

#endif
