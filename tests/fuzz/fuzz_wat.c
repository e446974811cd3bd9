/*
 * fuzz_wat.c -- libFuzzer target for the text stage: any input is either
 * encoded or rejected with an error, never a crash, a hang or a leak.
 * The script reader gets the same bytes.  (The decoder's own fuzz targets
 * cover what the encoder produces: tests/c/test_text.c and the spec suite
 * check that its output decodes.)
 *
 *   make fuzz FUZZ_TARGETS=wat        (see the Makefile's fuzzing section)
 * tests/fuzz/regress/wat/ holds its regression inputs, replayed by
 * make test.
 */
#include <stddef.h>
#include <stdint.h>

#include "moonwasm.h"
#include "wast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned char *bytes;
  size_t len;
  mw_error *e = mw_wat_to_wasm((const char *)data, size, MW_FEATURES_DEFAULT, &bytes, &len);
  if (e) {
    mw_error_free(e);
  } else {
    /* a module always starts with the header */
    if (len < 8 || bytes[0] != 0 || bytes[1] != 'a') __builtin_trap();
    mw_wat_free(bytes);
  }
  mwt_buf ev;
  e = mwt_wast_parse((const char *)data, size, MW_FEATURES_DEFAULT, &ev);
  if (e) mw_error_free(e);
  else mwt_buf_free(&ev);
  return 0;
}
