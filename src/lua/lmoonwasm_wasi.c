/*
 * lmoonwasm_wasi.c -- WASI preview 1 from Lua: `wasm.wasi{...}`.
 *
 * A Wasi object owns an mw_wasi context.  `store:register(wasi)` defines
 * its functions in the store (the store then holds the Wasi: the functions
 * belong to it, so its C context lives as long as the store uses it, even
 * closed), `wasi:start(inst)` runs `_start` and returns the exit code, and
 * `wasi:exit_code()` tells how a guest run by any call ended.  Standard
 * streams can be inherited, discarded, host fds, Lua file handles, Lua
 * functions, or (stdin) a Lua string; a function runs like a host
 * function: protected, on the thread that entered wasm, its errors
 * unwinding the guest and reaching the caller unchanged.
 */
/** WASI contexts.
 * @module moonwasm.core */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define dup _dup
#define close _close
#else
#include <fcntl.h>
#include <unistd.h>
#endif

#include "lmoonwasm.h"

typedef struct mwl_wasi mwl_wasi;

typedef struct wasi_stream {
  mwl_wasi *owner;
  int which; /* 0 stdin, 1 stdout, 2 stderr */
} wasi_stream;

struct mwl_wasi {
  mwl_life life; /* life.busy: wasi:start calls in progress */
  mw_wasi *w;    /* NULL once freed */
  mwl_state *st;
  bool ran;      /* a call into a store it is defined in has ended */
  bool exited;   /* ... with an exit that did not come from proc_exit */
  int32_t code;  /* its status */
  wasi_stream streams[3];
  int own_fds[3]; /* -1, or the context's own copy of the fd of an io
                   * file given as that stream (the file may not last) */
};
/* user value 1: {[0] = stdin fn, [1] = stdout fn, [2] = stderr fn,
 * pending = unread stdin bytes}; 2: its holders (mwl_life) */
enum { WASI_STREAMS = 1, WASI_HOLDERS, WASI_NUV = 2 };

static const char *const stream_names[] = {"stdin", "stdout", "stderr"};

/*** WASI contexts: `wasm.wasi{...}`.
 * @type Wasi */

static mwl_wasi *check_wasi(lua_State *L, int idx) {
  mwl_wasi *W = (mwl_wasi *)mwl_checkself(L, idx, MWL_WASI);
  if (W->life.closed || !W->w) mwl_usage(L, "attempt to use a closed wasi");
  return W;
}

/* ---------------------------------------------------------------- callbacks */

typedef struct stream_call {
  wasi_stream *s;
  uint8_t *rbuf;       /* stdin */
  const uint8_t *wbuf; /* stdout, stderr */
  size_t len;
  int64_t result;
} stream_call;

/* Push the streams table of the context that owns stream s (via the
 * object map). */
static void push_streams(lua_State *L, wasi_stream *s) {
  mwl_map_get(L, s->owner->w);
  if (lua_touserdata(L, -1) != s->owner)
    luaL_error(L, "moonwasm: the Lua object of a wasi context is gone");
  lua_getiuservalue(L, -1, WASI_STREAMS);
  lua_remove(L, -2);
}

static int stream_write_body(lua_State *L) {
  stream_call *c = (stream_call *)lua_touserdata(L, 1);
  push_streams(L, c->s);
  lua_rawgeti(L, -1, c->s->which);
  lua_remove(L, -2);
  lua_pushlstring(L, (const char *)c->wbuf, c->len);
  lua_call(L, 1, 1);
  lua_Integer n;
  if (mwl_getint(L, -1, &n) && n >= 0 && (size_t)n < c->len)
    c->result = n; /* took part of it */
  else
    c->result = (int64_t)c->len;
  return 0;
}

/* stdin: the bytes left over from the last read ("pending": all of a
 * stdin given as a string, at first), else what the stdin function gives
 * (nil or no function: end of file). */
static int stream_read_body(lua_State *L) {
  stream_call *c = (stream_call *)lua_touserdata(L, 1);
  push_streams(L, c->s); /* 2 */
  lua_getfield(L, 2, "pending");
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    if (lua_rawgeti(L, 2, 0) == LUA_TFUNCTION) {
      lua_pushinteger(L, (lua_Integer)c->len);
      lua_call(L, 1, 1);
      if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        return mwl_usage(L, "wasi stdin: the function returned a %s, not a "
                            "string or nil",
                         mwl_typename(L, -1));
    } else {
      lua_pop(L, 1);
      lua_pushnil(L);
    }
  }
  size_t have = 0;
  const char *s = lua_tolstring(L, -1, &have);
  size_t n = have < c->len ? have : c->len;
  if (n) memcpy(c->rbuf, s, n);
  if (have > n)
    lua_pushlstring(L, s + n, have - n); /* kept for the next read */
  else
    lua_pushnil(L);
  lua_setfield(L, 2, "pending");
  c->result = (int64_t)n;
  return 0;
}

static int64_t run_stream(stream_call *c, lua_CFunction body, mw_error **trap) {
  lua_State *L = c->s->owner->st->current;
  if (!L || !lua_checkstack(L, 6)) return -MW_WASI_EIO;
  int top = lua_gettop(L);
  lua_pushcfunction(L, body);
  lua_pushlightuserdata(L, c);
  int rc = lua_pcall(L, 1, 0, 0);
  if (rc != LUA_OK) {
    *trap = mwl_lua_failure(L, rc);
    c->result = 0;
  }
  lua_settop(L, top);
  return c->result;
}

static int64_t stream_write(void *ud, const uint8_t *buf, size_t len,
                            mw_error **trap) {
  stream_call c;
  memset(&c, 0, sizeof c);
  c.s = (wasi_stream *)ud;
  c.wbuf = buf;
  c.len = len;
  return run_stream(&c, stream_write_body, trap);
}

static int64_t stream_read(void *ud, uint8_t *buf, size_t len,
                           mw_error **trap) {
  stream_call c;
  memset(&c, 0, sizeof c);
  c.s = (wasi_stream *)ud;
  c.rbuf = buf;
  c.len = len;
  return run_stream(&c, stream_read_body, trap);
}

/* mwl_life.release of wasi contexts (also of one mw_wasi_new never
 * made: the fds it was to use). */
static void wasi_release(lua_State *L, int idx) {
  mwl_wasi *W = (mwl_wasi *)lua_touserdata(L, idx);
  if (W->w) {
    mwl_map_clear(L, W->w, W);
    mw_wasi_free(W->w);
    W->w = NULL;
  }
  for (int i = 0; i < 3; i++) {
    if (W->own_fds[i] >= 0) close(W->own_fds[i]);
    W->own_fds[i] = -1;
  }
}

/* A copy of fd that the context owns, not inherited by child processes;
 * -1 with errno on failure. */
static int copy_fd(int fd) {
#if defined(F_DUPFD_CLOEXEC)
  return fcntl(fd, F_DUPFD_CLOEXEC, 0);
#else
  return dup(fd);
#endif
}

/* ---------------------------------------------------------------- options */

/* The strings of the list (or map, as KEY=VALUE) at field `name` of the
 * options table at 1, as a userdata array of pointers (pushed). */
static const char **string_list(lua_State *L, const char *name, bool map,
                                size_t *n) {
  lua_getfield(L, 1, name);
  int t = lua_gettop(L);
  *n = 0;
  if (lua_isnil(L, t)) return NULL;
  if (!lua_istable(L, t))
    mwl_usage(L, "wasi: %s must be a table, got %s", name, mwl_typename(L, t));
  size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    count++;
    lua_pop(L, 1);
  }
  const char **list =
      (const char **)lua_newuserdatauv(L, (count + 1) * sizeof *list, 0);
  lua_newtable(L); /* keeps made strings alive */
  int keep = lua_gettop(L);
  if (!map) {
    for (size_t i = 0; i < count; i++) {
      int t1 = lua_rawgeti(L, t, (lua_Integer)i + 1);
      if (t1 != LUA_TSTRING && t1 != LUA_TNUMBER)
        mwl_usage(L, "wasi: %s[%d] must be a string or a number, got %s",
                  name, (int)i + 1, mwl_typename(L, -1));
      list[i] = lua_tostring(L, -1); /* a number becomes its string */
      lua_rawseti(L, keep, (lua_Integer)i + 1);
    }
  } else {
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
      if (lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TSTRING)
        lua_pushvalue(L, -1); /* a list entry "KEY=VALUE" */
      else if (lua_type(L, -2) == LUA_TSTRING && lua_isstring(L, -1))
        lua_pushfstring(L, "%s=%s", lua_tostring(L, -2),
                        lua_tostring(L, -1)); /* a number value: tostring */
      else
        mwl_usage(L, "wasi: %s entries are NAME = string or number, or "
                     "\"NAME=VALUE\" strings",
                  name);
      list[i] = lua_tostring(L, -1);
      lua_rawseti(L, keep, (lua_Integer)++i);
      lua_pop(L, 1);
    }
  }
  *n = count;
  return list;
}

static void stdio_option(lua_State *L, mwl_wasi *W, int which,
                         mw_wasi_stdio *out, int streams) {
  lua_getfield(L, 1, stream_names[which]);
  int v = lua_gettop(L);
  luaL_Stream *file = (luaL_Stream *)luaL_testudata(L, v, LUA_FILEHANDLE);
  lua_Integer fd;
  /* A string given as stdin is its content; for stdout and stderr the
   * keywords "inherit" and "null" are unambiguous. */
  bool str = lua_type(L, v) == LUA_TSTRING;
  if (str && which == 0) {
    out->kind = MW_WASI_STDIO_CALLBACK;
    out->read = stream_read;
    W->streams[0].owner = W;
    W->streams[0].which = 0;
    out->ud = &W->streams[0];
    lua_pushvalue(L, v);
    lua_setfield(L, streams, "pending");
  } else if (lua_isnil(L, v) ||
             (str && strcmp(lua_tostring(L, v), "inherit") == 0)) {
    out->kind = MW_WASI_STDIO_INHERIT;
  } else if ((lua_isboolean(L, v) && !lua_toboolean(L, v)) ||
             (str && strcmp(lua_tostring(L, v), "null") == 0)) {
    out->kind = MW_WASI_STDIO_NULL;
  } else if (mwl_getint(L, v, &fd) && fd >= 0 && fd <= 0x7FFFFFFF) {
    out->kind = MW_WASI_STDIO_FD;
    out->fd = (int)fd;
  } else if (file && file->closef && file->f) {
    /* a copy: closing the file (or collecting it) must not leave the
     * context writing to whatever gets its fd next */
    fflush(file->f);
    W->own_fds[which] = copy_fd(fileno(file->f));
    if (W->own_fds[which] < 0)
      mwl_raise_kind(L, "exhaustion", "wasi: %s: cannot copy the file's fd: %s",
                     stream_names[which], strerror(errno));
    out->kind = MW_WASI_STDIO_FD;
    out->fd = W->own_fds[which];
  } else if (lua_isfunction(L, v)) {
    out->kind = MW_WASI_STDIO_CALLBACK;
    if (which == 0)
      out->read = stream_read;
    else
      out->write = stream_write;
    W->streams[which].owner = W;
    W->streams[which].which = which;
    out->ud = &W->streams[which];
    lua_pushvalue(L, v);
    lua_rawseti(L, streams, which);
  } else if (which == 0) {
    mwl_usage(L, "wasi: stdin must be nil (inherit), false (null), a string "
                 "(the input), an fd, an open file or a function, got %s",
              mwl_typename(L, v));
  } else {
    mwl_usage(L, "wasi: %s must be nil, false, \"inherit\", \"null\", an fd, "
                 "an open file or a function, got %s",
              stream_names[which], mwl_typename(L, v));
  }
  lua_pop(L, 1);
}

/** `core.wasi(opts)`: a WASI context.  `opts`: `args` (list, args[1] the
 * program name; numbers become strings), `env` (map NAME = value, a number
 * value becoming a string, or list of "NAME=VALUE"), `preopens` (map guest
 * path -> host directory, or a list of {guest, host} pairs: fds 3, 4, ...
 * in that order), `stdin` (nil: inherited, false: empty, a string: the
 * input itself, an fd, an io file, or a function called with the wanted
 * size that returns a string, or nil at end of file), `stdout`/`stderr`
 * (nil or "inherit", false or "null", an fd, an io file, or a function
 * called with each chunk as a string).
 * @function wasi */
static int core_wasi(lua_State *L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  }
  if (!lua_istable(L, 1))
    return mwl_usage(L, "wasi: expected a table of options, got %s",
                     mwl_typename(L, 1));
  lua_settop(L, 1);
  mwl_wasi *W = (mwl_wasi *)lua_newuserdatauv(L, sizeof *W, WASI_NUV); /* 2 */
  memset(W, 0, sizeof *W);
  for (int i = 0; i < 3; i++) W->own_fds[i] = -1;
  W->st = mwl_getstate(L);
  W->life.release = wasi_release;
  W->life.holders_uv = WASI_HOLDERS;
  luaL_setmetatable(L, MWL_WASI);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, 2, WASI_STREAMS);
  int streams = lua_gettop(L); /* 3 */
  mw_wasi_config wc;
  mw_wasi_config_default(&wc);
  wc.args = string_list(L, "args", false, &wc.nargs);
  wc.env = string_list(L, "env", true, &wc.nenv);
  lua_getfield(L, 1, "preopens");
  int pre = lua_gettop(L);
  if (!lua_isnil(L, pre)) {
    if (!lua_istable(L, pre)) mwl_usage(L, "wasi: preopens must be a table");
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, pre)) {
      n++;
      lua_pop(L, 1);
    }
    mw_wasi_preopen *po =
        (mw_wasi_preopen *)lua_newuserdatauv(L, (n + 1) * sizeof *po, 0);
    /* A list of {guest, host} pairs keeps its order (fds 3, 4, ... as
     * given); map entries follow in table order.  The pairs stay
     * referenced by `pre`, so their strings outlive mw_wasi_new. */
    size_t i = 0, listed = lua_rawlen(L, pre);
    for (; i < listed; i++) {
      if (lua_rawgeti(L, pre, (lua_Integer)i + 1) != LUA_TTABLE ||
          lua_rawgeti(L, -1, 1) != LUA_TSTRING ||
          lua_rawgeti(L, -2, 2) != LUA_TSTRING)
        mwl_usage(L, "wasi: preopens maps guest paths to host directories "
                     "or lists {guest, host} pairs of strings; preopens[%d] "
                     "is neither", (int)i + 1);
      po[i].guest_path = lua_tostring(L, -2);
      po[i].host_path = lua_tostring(L, -1);
      lua_pop(L, 3);
    }
    lua_pushnil(L);
    while (lua_next(L, pre)) {
      if (lua_type(L, -2) == LUA_TNUMBER && lua_isinteger(L, -2) &&
          lua_tointeger(L, -2) >= 1 && (size_t)lua_tointeger(L, -2) <= listed) {
        lua_pop(L, 1); /* a pair, taken above */
        continue;
      }
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
        mwl_usage(L, "wasi: preopens maps guest paths to host directories");
      po[i].guest_path = lua_tostring(L, -2);
      po[i].host_path = lua_tostring(L, -1);
      i++;
      lua_pop(L, 1);
    }
    wc.preopens = po;
    wc.npreopens = i;
  }
  for (int i = 0; i < 3; i++) stdio_option(L, W, i, &wc.stdio[i], streams);
  mw_error *err = NULL;
  W->w = mw_wasi_new(&W->st->cfg, &wc, &err);
  if (!W->w) {
    if (!err) err = mw_error_new(MW_ERR_OUT_OF_MEMORY, "out of memory");
    return mwl_raise(L, err);
  }
  mwl_map_set(L, W->w, 2);
  lua_settop(L, 2);
  return 1;
}

/* ---------------------------------------------------------------- methods */

/** `wasi:define(store)`: define every wasi_snapshot_preview1 function in
 * the store's registry (what `store:register(wasi)` does).
 * @function define */
static int wasi_define(lua_State *L) {
  mwl_wasi *W = check_wasi(L, 1);
  mwl_store *S = mwl_checkstore(L, 2);
  lua_settop(L, 2);
  /* First, the store's hold on the context and its list of contexts:
   * nothing can raise once the functions are defined. */
  mwl_hold(L, 2, 1);
  if (lua_getiuservalue(L, 2, MWL_STORE_WASI) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 2, MWL_STORE_WASI);
  }
  lua_pushvalue(L, 1);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  S->has_wasi = true;
  S->wasi_ran = false; /* this one has not seen a call return */
  mw_error *err = mw_wasi_define(W->w, S->s);
  if (err) return mwl_raise(L, err);
  return 0;
}

/* Every wasi context defined in the store at store_idx: a call into the
 * store has ended, returning or with the MW_ERR_EXIT `exit` (from
 * proc_exit, or a Lua host function that raised an "exit" error object). */
void mwl_wasi_ran(lua_State *L, int store_idx, const mw_error *exit) {
  if (lua_getiuservalue(L, store_idx, MWL_STORE_WASI) == LUA_TTABLE) {
    int list = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, list)) {
      lua_pop(L, 1);
      mwl_wasi *W = (mwl_wasi *)lua_touserdata(L, -1);
      W->ran = true;
      if (exit && W->w && !mw_wasi_exited(W->w)) {
        W->exited = true;
        W->code = mw_error_exit_code(exit);
      }
    }
  }
  lua_pop(L, 1);
}

/** `wasi:start(inst)`: run the command's `_start`; returns the exit code
 * (0 when `_start` returns).  Traps and host errors raise.  (Calling
 * `inst.exports._start()` works as well: see `exit_code`.)
 * @function start */
static int wasi_start(lua_State *L) {
  mwl_wasi *W = check_wasi(L, 1);
  mwl_instance *I =
      (mwl_instance *)mwl_checkudata(L, 2, MWL_INSTANCE, "wasi:start");
  if (!I->i) return mwl_usage(L, "attempt to use a closed instance");
  mwl_store *S = I->store;
  if (S->life.closed || !S->s)
    return mwl_usage(L, "attempt to use a closed store");
  int32_t code = 0;
  mwl_entry e;
  W->life.busy++;
  mwl_enter(L, S, &e);
  mw_error *err = mw_wasi_start(W->w, S->s, I->i, &code);
  mwl_leave(S, &e);
  W->life.busy--;
  if (err) {
    mwl_pusherr(L, err);
    mwl_settle(L, S, false, NULL);
    mwl_release(L, 1);
    return lua_error(L);
  }
  W->ran = true;
  lua_pushinteger(L, code);
  mwl_settle(L, S, true, NULL);
  mwl_release(L, 1);
  return 1;
}

/** `wasi:exit_code()`: how the guest ended: the status it gave proc_exit
 * (or that an "exit" error object raised by a Lua host function carried);
 * else 0 once a call into a store the context is defined in has returned
 * (or `wasi:start` ran); else (nothing ran yet, or only traps) nil.
 * @function exit_code */
static int wasi_exit_code(lua_State *L) {
  mwl_wasi *W = check_wasi(L, 1);
  if (mw_wasi_exited(W->w))
    lua_pushinteger(L, mw_wasi_exit_code(W->w));
  else if (W->exited)
    lua_pushinteger(L, W->code);
  else if (W->ran)
    lua_pushinteger(L, 0);
  else
    lua_pushnil(L);
  return 1;
}

/** `wasi:close()`: release the context (files it opened are closed); one
 * defined in a store lives on for that store (even when its __gc is called
 * by hand).  Also `__close` and `__gc`.
 * @function close */
static int wasi_close(lua_State *L) {
  mwl_checkself(L, 1, MWL_WASI);
  mwl_close(L, 1);
  return 0;
}

static int wasi_gc(lua_State *L) {
  if (luaL_testudata(L, 1, MWL_WASI)) mwl_close(L, 1);
  return 0;
}

static int wasi_tostring(lua_State *L) {
  mwl_wasi *W = (mwl_wasi *)mwl_checkself(L, 1, MWL_WASI);
  lua_pushfstring(L, "moonwasm.Wasi: %p%s", (void *)W,
                  W->life.closed ? " (closed)" : "");
  return 1;
}

static const luaL_Reg wasi_methods[] = {{"define", wasi_define},
                                        {"start", wasi_start},
                                        {"exit_code", wasi_exit_code},
                                        {"close", wasi_close},
                                        {NULL, NULL}};
static const luaL_Reg wasi_meta[] = {{"__gc", wasi_gc},
                                     {"__close", wasi_close},
                                     {"__tostring", wasi_tostring},
                                     {NULL, NULL}};

void mwl_open_wasi(lua_State *L) {
  luaL_newmetatable(L, MWL_WASI);
  luaL_setfuncs(L, wasi_meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, wasi_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

static const luaL_Reg wasi_funcs[] = {{"wasi", core_wasi}, {NULL, NULL}};

void mwl_register_wasi(lua_State *L) { luaL_setfuncs(L, wasi_funcs, 0); }
