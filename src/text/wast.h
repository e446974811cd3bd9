/*
 * wast.h -- the script format (.wast) of the spec tests, read by
 * mwt_wast_parse into a flat list of events that describes the commands
 * as nested tables; the Lua binding replays it (lmoonwasm_text.c).
 *
 * Event stream (bytes in an mwt_buf):
 *   'T'              begin a table (a command, a value, an action)
 *   'L'              begin a list (array part)
 *   'E'              end the innermost table or list
 *   'K' u32 bytes    the key of the next value in the current table
 *   'S' u32 bytes    a string value
 *   'I' i64          an integer value (8 bytes, little endian)
 *   'B' byte         a boolean value
 * Lengths are 4 bytes little endian.
 *
 * Commands follow wast2json's JSON shapes (type, line, action, expected,
 * text, name, as), with modules carried inline: `wasm` (the binary, for
 * text and binary modules), `quote` (the text of a `module quote`, parsed
 * when the command runs), or `error_kind`/`error` (a text module that does
 * not parse, e.g. an unknown identifier in an assert_invalid module).
 */
#ifndef MW_WAST_H
#define MW_WAST_H

#include "text.h"

/* Parse a whole script.  On success returns NULL and fills *events (owned
 * by the caller: free with mwt_buf_free).  On a syntax error of the script
 * itself returns the error. */
mw_error *mwt_wast_parse(const char *text, size_t len, uint32_t features, mwt_buf *events);

#endif
