/*
 * lmoonwasm_text.c -- the text format from Lua: core.wat (WAT -> binary)
 * and core.parse_wast (a .wast script -> a list of command tables, shaped
 * like wast2json's JSON, modules inline).  The C parser builds an event
 * stream first (src/text/wast.h) and has freed all it allocated before any
 * Lua call here can raise.
 */
#include <string.h>

#include "lmoonwasm.h"
#include "wast.h"

/** Encode a module in the text format to the binary format.
 * @function wat
 * @tparam string text
 * @tparam[opt] integer features MW_FEATURE_* bits (default: the defaults)
 * @treturn string the .wasm bytes; raises a "malformed" error */
static int core_wat(lua_State *L) {
  size_t len;
  const char *text = mwl_checkstring(L, 1, &len, "wat: text");
  mw_config cfg;
  mw_config_default(&cfg);
  uint32_t features = (uint32_t)mwl_optint(L, 2, "wat: features", cfg.features);
  unsigned char *out;
  size_t out_len;
  mw_error *err = mw_wat_to_wasm(text, len, features, &out, &out_len);
  if (err) return mwl_raise(L, err);
  /* lua_pushlstring may raise (memory): copy into a buffer Lua owns first */
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, out_len);
  memcpy(p, out, out_len);
  mw_wat_free(out);
  luaL_pushresultsize(&b, out_len);
  return 1;
}

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Replay events[*i..] (one value) onto the Lua stack. */
static void replay(lua_State *L, const unsigned char *ev, size_t n, size_t *i) {
  unsigned c = ev[(*i)++];
  switch (c) {
  case 'S': {
    uint32_t l = rd32(ev + *i);
    lua_pushlstring(L, (const char *)ev + *i + 4, l);
    *i += 4 + l;
    return;
  }
  case 'I': {
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v |= (uint64_t)ev[*i + k] << (8 * k);
    *i += 8;
    lua_pushinteger(L, (lua_Integer)v);
    return;
  }
  case 'B':
    lua_pushboolean(L, ev[(*i)++]);
    return;
  case 'L': {
    luaL_checkstack(L, 4, "parse_wast");
    lua_newtable(L);
    lua_Integer k = 0;
    while (*i < n && ev[*i] != 'E') {
      replay(L, ev, n, i);
      lua_rawseti(L, -2, ++k);
    }
    (*i)++;
    return;
  }
  case 'T': {
    luaL_checkstack(L, 4, "parse_wast");
    lua_newtable(L);
    while (*i < n && ev[*i] == 'K') {
      uint32_t l = rd32(ev + *i + 1);
      lua_pushlstring(L, (const char *)ev + *i + 5, l);
      *i += 5 + l;
      replay(L, ev, n, i);
      lua_rawset(L, -3);
    }
    (*i)++; /* 'E' */
    return;
  }
  default:
    lua_pushnil(L);
    return;
  }
}

/* The event buffer, freed by __gc/__close if replaying raises. */
typedef struct { mwt_buf ev; } wast_events;

static int events_gc(lua_State *L) {
  wast_events *e = luaL_checkudata(L, 1, "moonwasm.WastEvents");
  mwt_buf_free(&e->ev);
  return 0;
}

/** Parse a .wast script into its commands.
 * @function parse_wast
 * @tparam string text
 * @tparam[opt] integer features
 * @treturn table list of command tables (type, line, ...); raises a
 *   "malformed" error when the script itself does not parse */
static int core_parse_wast(lua_State *L) {
  size_t len;
  const char *text = mwl_checkstring(L, 1, &len, "parse_wast: text");
  mw_config cfg;
  mw_config_default(&cfg);
  uint32_t features = (uint32_t)mwl_optint(L, 2, "parse_wast: features", cfg.features);
  wast_events *e = lua_newuserdatauv(L, sizeof *e, 0);
  memset(e, 0, sizeof *e);
  if (luaL_newmetatable(L, "moonwasm.WastEvents")) {
    lua_pushcfunction(L, events_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  mw_error *err = mwt_wast_parse(text, len, features, &e->ev);
  if (err) return mwl_raise(L, err);
  size_t i = 0;
  if (e->ev.n == 0) { lua_newtable(L); return 1; }
  replay(L, e->ev.p, e->ev.n, &i);
  mwt_buf_free(&e->ev);
  return 1;
}

static const luaL_Reg text_funcs[] = {
  {"wat", core_wat},
  {"parse_wast", core_parse_wast},
  {NULL, NULL}};

void mwl_register_text(lua_State *L) { luaL_setfuncs(L, text_funcs, 0); }
