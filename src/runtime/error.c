/*
 * error.c -- errors as values: a kind, the spec's message, a backtrace.
 *
 * Errors are allocated with malloc, not the configured allocator: they
 * outlive the objects that raised them, and the caller frees them without
 * knowing which configuration made them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static mw_error oom_error = {MW_ERR_OUT_OF_MEMORY, (char *)MW_MSG_OOM, NULL,
                             0, NULL, 0, true, NULL, 0, NULL};

mw_error *mw_error_oom(void) { return &oom_error; }

static mw_error *error_vnew(mw_error_kind kind, const char *fmt, va_list ap) {
  /* Format into a stack buffer first: almost every message fits, and
   * measuring with vsnprintf(NULL, 0, ...) upsets gcc's truncation checks. */
  char small[256];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap2);
  va_end(ap2);
  if (n < 0) n = 0;
  mw_error *e = calloc(1, sizeof *e);
  if (!e) return &oom_error;
  e->message = malloc((size_t)n + 1);
  if (!e->message) {
    free(e);
    return &oom_error;
  }
  if ((size_t)n < sizeof small)
    memcpy(e->message, small, (size_t)n + 1);
  else
    vsnprintf(e->message, (size_t)n + 1, fmt, ap);
  e->kind = kind;
  return e;
}

mw_error *mw_errorf(mw_error_kind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  mw_error *e = error_vnew(kind, fmt, ap);
  va_end(ap);
  return e;
}

const char *mw_msg_for_edition(uint32_t features, const char *msg) {
  if (features & (MW_FEATURE_BULK_MEMORY | MW_FEATURE_REFERENCE_TYPES)) return msg;
  if (strcmp(msg, MW_MSG_ZERO_BYTE) == 0) return MW_MSG_ZERO_FLAG_1_0;
  if (strcmp(msg, MW_MSG_JUNK_AFTER) == 0) return MW_MSG_JUNK_AFTER_1_0;
  if (strcmp(msg, MW_MSG_LENGTH_OUT_OF_BOUNDS) == 0) return MW_MSG_LENGTH_1_0;
  return msg;
}

mw_error *mw_error_new(mw_error_kind kind, const char *message) {
  return mw_errorf(kind, "%s", message ? message : "");
}

mw_error *mw_error_new_host(const char *message, void *host_data) {
  mw_error *e = mw_errorf(MW_ERR_HOST, "%s", message ? message : "host error");
  if (!e->is_static) e->host_data = host_data;
  return e;
}

mw_error *mw_error_new_exit(int32_t code) {
  mw_error *e = mw_errorf(MW_ERR_EXIT, "exit with status %d", (int)code);
  if (!e->is_static) e->exit_code = code;
  return e;
}

int32_t mw_error_exit_code(const mw_error *e) { return e->exit_code; }

void mw_error_free(mw_error *e) {
  if (!e || e->is_static) return;
  for (size_t i = 0; i < e->nframes; i++) {
    free((char *)e->frames[i].func_name);
    free((char *)e->frames[i].module_name);
  }
  free(e->frames);
  free(e->message);
  if (e->exn_tag) mwe_tag_release(e->exn_tag);
  free(e->exn_vals);
  free(e);
}

mw_error_kind mw_error_kind_of(const mw_error *e) { return e->kind; }
const char *mw_error_message(const mw_error *e) { return e->message; }
size_t mw_error_frame_count(const mw_error *e) { return e->nframes; }
void *mw_error_host_data(const mw_error *e) { return e->host_data; }

const mw_frame_info *mw_error_frame(const mw_error *e, size_t i) {
  return i < e->nframes ? &e->frames[i] : NULL;
}

const char *mw_error_kind_name(mw_error_kind k) {
  switch (k) {
  case MW_ERR_MALFORMED: return "malformed";
  case MW_ERR_INVALID: return "invalid";
  case MW_ERR_UNLINKABLE: return "unlinkable";
  case MW_ERR_UNINSTANTIABLE: return "uninstantiable";
  case MW_ERR_TRAP: return "trap";
  case MW_ERR_EXHAUSTION: return "exhaustion";
  case MW_ERR_HOST: return "host";
  case MW_ERR_OUT_OF_MEMORY: return "out of memory";
  case MW_ERR_USAGE: return "usage";
  case MW_ERR_EXIT: return "exit";
  case MW_ERR_EXCEPTION: return "exception";
  }
  return "error";
}
