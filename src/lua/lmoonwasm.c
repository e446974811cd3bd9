/*
 * lmoonwasm.c -- moonwasm.core, the Lua binding: the module table, the
 * per-state registry, error objects, argument checks, value conversion, the
 * object map and lifetimes (the ownership graph).  See lmoonwasm.h for the
 * shape of the whole binding.
 *
 * Rules kept throughout:
 *  - no longjmp crosses the interpreter: Lua code runs under lua_pcall when
 *    called from wasm (lmoonwasm_obj.c), and nothing that can raise runs
 *    while a C resource is held outside a userdata;
 *  - values convert directly between mw_val and the Lua stack, without
 *    strings or temporary tables;
 *  - every object checks that it (and the store it lives in) is still open
 *    before touching C memory.
 */
/** moonwasm.core: the C layer, the methods of every object; scripts use
 * `require "moonwasm"`.
 * @module moonwasm.core */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "lmoonwasm.h"

/* The registry key of the per-state userdata: the address of a constant. */
static const char state_key = 'S';

/* ---------------------------------------------------------------- state */

mwl_state *mwl_getstate(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
  mwl_state *st = (mwl_state *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (!st) luaL_error(L, "moonwasm.core is not initialised in this state");
  return st;
}

/* Push one of the per-state tables (MWL_UV_*). */
void mwl_pushstatetable(lua_State *L, int which) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
  lua_getiuservalue(L, -1, which);
  lua_remove(L, -2);
}

/* Safe to call by hand: the scratch store is made again when needed, and
 * is not freed while a call may be running in it. */
static int state_gc(lua_State *L) {
  mwl_state *st = (mwl_state *)luaL_testudata(L, 1, MWL_STATE);
  if (!st || st->depth) return 0;
  if (st->scratch) mw_store_free(st->scratch);
  st->scratch = NULL;
  return 0;
}

static void state_new(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
  bool exists = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (exists) return; /* require'd again after package.loaded was cleared */
  mwl_state *st =
      (mwl_state *)lua_newuserdatauv(L, sizeof *st, MWL_STATE_NUV);
  memset(st, 0, sizeof *st);
  mw_config_default(&st->cfg);
  /* lua_Alloc and mw_alloc_fn have the same contract: the runtime's memory
   * goes through the allocator the embedder gave Lua. */
  st->cfg.alloc = lua_getallocf(L, &st->cfg.alloc_ud);
  /* The allocator of luaL_newstate (realloc and free) may be called from
   * the threads that compile large modules (mw_config.compile_threads);
   * any other is only ever called from this thread. */
  lua_State *probe = luaL_newstate();
  if (probe) {
    st->cfg.alloc_threadsafe = lua_getallocf(probe, NULL) == st->cfg.alloc;
    lua_close(probe);
  }
  luaL_newmetatable(L, MWL_STATE);
  lua_pushcfunction(L, state_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushliteral(L, MWL_STATE);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  /* objects: weak values, so the map never keeps an object alive */
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setiuservalue(L, -2, MWL_UV_OBJECTS);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_UV_EXTERNS);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_UV_EXTERN_IDX);
  lua_newtable(L);
  lua_setiuservalue(L, -2, MWL_UV_ERRORS);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setiuservalue(L, -2, MWL_UV_WEAKKEYS);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &state_key);
}

/* ---------------------------------------------------------------- errors */

/* Push a new error object {kind=, message=} with the Error metatable. */
void mwl_pusherror(lua_State *L, const char *kind, const char *message) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  lua_pushstring(L, message);
  lua_setfield(L, -2, "message");
  luaL_setmetatable(L, MWL_ERROR);
}

static int raise_kindv(lua_State *L, const char *kind, const char *fmt,
                       va_list ap) {
  const char *msg = lua_pushvfstring(L, fmt, ap);
  mwl_pusherror(L, kind, msg);
  return lua_error(L);
}

/* Raise an error object of kind "usage" (API misuse). */
int mwl_usage(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  raise_kindv(L, "usage", fmt, ap);
  va_end(ap);
  return 0;
}

int mwl_raise_kind(lua_State *L, const char *kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  raise_kindv(L, kind, fmt, ap);
  va_end(ap);
  return 0;
}

/* The contract's kinds; the runtime's out-of-memory is an exhaustion. */
static const char *kind_name(mw_error_kind k) {
  return k == MW_ERR_OUT_OF_MEMORY ? "exhaustion" : mw_error_kind_name(k);
}

/* Keep the error value at `idx` alive while it travels through wasm frames
 * as a host error: an anchor userdata holds it, the per-state error table
 * holds the anchor, and the anchor's address is the mw_error's host_data. */
static void anchor_error(lua_State *L, int idx, void **key) {
  idx = lua_absindex(L, idx);
  void *p = lua_newuserdatauv(L, 1, 1);
  lua_pushvalue(L, idx);
  lua_setiuservalue(L, -2, 1);
  mwl_pushstatetable(L, MWL_UV_ERRORS);
  lua_pushvalue(L, -2);
  lua_rawsetp(L, -2, p);
  lua_pop(L, 2);
  *key = p;
}

static bool same_frame(const mw_frame_info *a, const mw_frame_info *b) {
  return a->func_index == b->func_index &&
         a->module_name_len == b->module_name_len &&
         (a->module_name == b->module_name ||
          (a->module_name && b->module_name &&
           memcmp(a->module_name, b->module_name, a->module_name_len) == 0));
}

/* Push frames (a list of {func=, name=, module=}) and the traceback text,
 * one line a frame, runs of one frame folded.  Every line has the same
 * shape, "  at module.name (func N)": the module part (and its dot) is left
 * out when the name section has none, a missing function name is "?". */
static void push_frames(lua_State *L, const mw_error *e, size_t n) {
  luaL_Buffer b;
  lua_createtable(L, (int)n, 0); /* frames */
  luaL_buffinit(L, &b);          /* its box sits above the frames */
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    const mw_frame_info *f = mw_error_frame(e, i);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)f->func_index);
    lua_setfield(L, -2, "func");
    if (f->func_name) {
      lua_pushlstring(L, f->func_name, f->func_name_len);
      lua_setfield(L, -2, "name");
    }
    if (f->module_name) {
      lua_pushlstring(L, f->module_name, f->module_name_len);
      lua_setfield(L, -2, "module");
    }
    lua_rawseti(L, -3, (lua_Integer)i + 1);
    bool repeat = i > 0 && same_frame(f, mw_error_frame(e, i - 1));
    if (repeat) run++;
    if (repeat && i + 1 < n) continue;
    if (run) {
      lua_pushfstring(L, "\n  ... (the same frame %d more time%s)", (int)run,
                      run == 1 ? "" : "s");
      luaL_addvalue(&b);
      run = 0;
      if (repeat) break;
    }
    if (i) luaL_addchar(&b, '\n');
    luaL_addstring(&b, "  at ");
    if (f->module_name) {
      luaL_addlstring(&b, f->module_name, f->module_name_len);
      luaL_addchar(&b, '.');
    }
    if (f->func_name)
      luaL_addlstring(&b, f->func_name, f->func_name_len);
    else
      luaL_addchar(&b, '?');
    lua_pushfstring(L, " (func %d)", (int)f->func_index);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
}

/* Protected body of mwl_raise: turn the mw_error into the Lua value. */
static int convert_error(lua_State *L) {
  const mw_error *e = (const mw_error *)lua_touserdata(L, 1);
  mw_error_kind k = mw_error_kind_of(e);
  void *key = mw_error_host_data(e);
  if (k == MW_ERR_HOST && key) {
    mwl_pushstatetable(L, MWL_UV_ERRORS);
    if (lua_rawgetp(L, -1, key) == LUA_TUSERDATA) {
      lua_getiuservalue(L, -1, 1); /* the original value */
      lua_pushnil(L);
      lua_rawsetp(L, -4, key); /* in flight no more */
      return 1;
    }
    lua_pop(L, 2); /* someone else's host error: report it as one */
  }
  if (k == MW_ERR_EXCEPTION && mw_error_exception_tag(e)) {
    /* exception handling: {kind="exception", tag=, values=} */
    size_t nv = mw_error_exception_count(e);
    mw_val small[16];
    mw_val *vals = nv <= 16 ? small : lua_newuserdatauv(L, nv * sizeof *vals, 0);
    for (size_t i = 0; i < nv; i++) vals[i] = mw_error_exception_value(e, i);
    mwl_pushexception(L, mw_error_exception_tag(e), vals, nv);
  } else {
    mwl_pusherror(L, kind_name(k), mw_error_message(e));
  }
  size_t n = mw_error_frame_count(e);
  if (n) {
    push_frames(L, e, n);
    lua_setfield(L, -3, "traceback");
    lua_setfield(L, -2, "frames");
  }
  if (k == MW_ERR_EXIT) {
    lua_pushinteger(L, mw_error_exit_code(e));
    lua_setfield(L, -2, "code");
  }
  return 1;
}

/* Push `err` (consumed) as a Lua value: the original Lua value for an
 * error a Lua host function raised, an error object otherwise. */
void mwl_pusherr(lua_State *L, mw_error *err) {
  lua_pushcfunction(L, convert_error);
  lua_pushlightuserdata(L, err);
  lua_pcall(L, 1, 1, 0); /* on failure the value is Lua's own error */
  mw_error_free(err);
}

/* Raise `err` (consumed) as a Lua error (see mwl_pusherr). */
int mwl_raise(lua_State *L, mw_error *err) {
  mwl_pusherr(L, err);
  return lua_error(L);
}

/* Is the value at idx an error object (a table with the Error metatable)?
 * Raw accesses only: nothing here can raise. */
static bool is_error_object(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return false;
  luaL_getmetatable(L, MWL_ERROR);
  bool yes = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return yes;
}

/* Raw field `field` of the table at idx as a string (or NULL). */
static const char *raw_string(lua_State *L, int idx, const char *field) {
  lua_pushstring(L, field);
  lua_rawget(L, idx);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1); /* the table still holds the string */
  return s;
}

/* What mwl_lua_failure learns about an error value. */
typedef struct host_failure {
  int status;       /* of the failed protected call */
  bool exit;        /* an error object of kind "exit", status `code` */
  bool exhausted;   /* Lua's own C stack overflow (or an error in the
                     * message handler) */
  lua_Integer code;
  const char *text; /* its message (held by the value), or NULL */
  void *key;        /* its anchor, once kept (mwl_pusherr) */
  mw_error *exn;    /* a wasm exception (kind "exception"): wasm may catch it */
} host_failure;

/* Protected body of mwl_lua_failure (it allocates): classify the error
 * value at 1 and, when it becomes a host error, anchor it. */
static int failure_body(lua_State *L) {
  host_failure *f = (host_failure *)lua_touserdata(L, 2);
  if (is_error_object(L, 1)) {
    const char *kind = raw_string(L, 1, "kind");
    f->text = raw_string(L, 1, "message");
    if (kind && strcmp(kind, "exception") == 0 && (f->exn = mwl_toexception(L, 1)))
      return 0;
    if (kind && strcmp(kind, "exit") == 0) {
      lua_pushliteral(L, "code");
      lua_rawget(L, 1);
      f->code = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 1;
      f->exit = true;
      return 0;
    }
  } else if (lua_type(L, 1) == LUA_TSTRING) {
    f->text = lua_tostring(L, 1);
  } else if (lua_type(L, 1) == LUA_TTABLE) {
    f->text = raw_string(L, 1, "message");
  }
  if (f->status == LUA_ERRERR ||
      (lua_type(L, 1) == LUA_TSTRING && strstr(f->text, "C stack overflow"))) {
    f->exhausted = true;
    return 0;
  }
  anchor_error(L, 1, &f->key);
  return 0;
}

/* Lua code that wasm called (a host function, a wasi stream) failed with
 * `status`, its error value on top of L: pop it and return the mw_error
 * that unwinds the wasm frames with it.
 *  - An error object of kind "exit" (a nested call ran WASI proc_exit, or
 *    the Lua code asked to exit) exits again: MW_ERR_EXIT with its code.
 *  - Lua's own "C stack overflow" (re-entry deeper than Lua allows) is an
 *    exhaustion.
 *  - Anything else is kept (anchored) and becomes a host error whose
 *    host_data is the anchor: the outermost binding call raises the same
 *    value again.
 * Everything that allocates runs protected: out of memory, the error
 * becomes a plain host error. */
mw_error *mwl_lua_failure(lua_State *L, int status) {
  int v = lua_gettop(L);
  host_failure f;
  memset(&f, 0, sizeof f);
  f.status = status;
  if (lua_checkstack(L, 4)) {
    lua_pushcfunction(L, failure_body);
    lua_pushvalue(L, v);
    lua_pushlightuserdata(L, &f);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) f.key = NULL;
  }
  mw_error *err;
  if (f.exn)
    err = f.exn;
  else if (f.exit)
    err = mw_error_new_exit((int32_t)f.code);
  else if (f.exhausted)
    err = mw_error_new(MW_ERR_EXHAUSTION,
                       "call stack exhausted (Lua C stack overflow)");
  else if (f.key)
    err = mw_error_new_host(f.text ? f.text
                                   : "a Lua host function raised an error",
                            f.key);
  else
    err = mw_error_new(MW_ERR_HOST, "a Lua host function failed and its "
                                    "error could not be kept");
  lua_settop(L, v - 1);
  return err;
}

/*** Error objects.
 * Every error moonwasm raises is a table with the metatable
 * `moonwasm.Error` (argument and self errors too: kind "usage"): `kind`
 * ("malformed", "invalid", "unlinkable", "uninstantiable", "trap",
 * "exhaustion", "host", "usage", "exit"), `message` (the spec's wording),
 * for traps `frames` (list of `{func=, name=, module=}`, innermost first)
 * and `traceback` (text, one "  at module.name (func N)" line a frame), and
 * for "exit" the status in `code`.  Only the Lua value a Lua host function
 * raised comes back as it was.
 * @type Error */

/** `tostring(err)`: "kind: message" plus the wasm backtrace, one frame a line.
 * @function __tostring */
static int error_tostring(lua_State *L) {
  lua_getfield(L, 1, "kind");
  const char *kind = lua_tostring(L, -1);
  lua_getfield(L, 1, "message");
  const char *msg = lua_tostring(L, -1);
  lua_getfield(L, 1, "traceback");
  const char *tb = lua_tostring(L, -1);
  lua_pushfstring(L, "%s: %s%s%s", kind ? kind : "error", msg ? msg : "?",
                  tb && *tb ? "\n" : "", tb ? tb : "");
  return 1;
}

/** Make an error object from Lua: `core.error(kind, message [, fields])`.
 * @function error */
static int core_error(lua_State *L) {
  const char *kind = mwl_checkstring(L, 1, NULL, "error: kind");
  const char *msg = mwl_checkstring(L, 2, NULL, "error: message");
  mwl_pusherror(L, kind, msg);
  if (lua_istable(L, 3)) {
    lua_pushnil(L);
    while (lua_next(L, 3)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_settable(L, -4);
    }
  }
  return 1;
}

/* ---------------------------------------------------------------- arguments */

/* The name of the type of the value at idx, for messages: the metatable's
 * __name for a userdata that has one ("moonwasm.Memory"), else its type. */
const char *mwl_typename(lua_State *L, int idx) {
  const char *name = NULL;
  if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
    lua_pushliteral(L, "__name");
    lua_rawget(L, -2);
    name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 2); /* the metatable (held by the registry) keeps it */
  }
  return name ? name : luaL_typename(L, idx);
}

/* The userdata `self` (at idx) of a method of `tname`, or a usage error
 * "bad self: expected moonwasm.X, got ...". */
void *mwl_checkself(lua_State *L, int idx, const char *tname) {
  void *p = luaL_testudata(L, idx, tname);
  if (!p)
    mwl_usage(L, "bad self: expected %s, got %s", tname, mwl_typename(L, idx));
  return p;
}

/* A userdata of `tname` at idx, or a usage error "<what>: expected ...". */
void *mwl_checkudata(lua_State *L, int idx, const char *tname,
                     const char *what) {
  void *p = luaL_testudata(L, idx, tname);
  if (!p)
    mwl_usage(L, "%s: expected %s, got %s", what, tname, mwl_typename(L, idx));
  return p;
}

/* Push "expected <expected>, got <what the value at idx is>".  With
 * `integer`, a number that is not an integer is described as such. */
void mwl_pushbadvalue(lua_State *L, int idx, const char *expected,
                      bool integer) {
  if (lua_type(L, idx) == LUA_TNUMBER && integer) {
    lua_Number d = lua_tonumber(L, idx);
    if (d != floor(d)) /* NaN too */
      lua_pushfstring(L, "expected %s, got non-integral number %f", expected,
                      (LUAI_UACNUMBER)d);
    else
      lua_pushfstring(L, "expected %s, got number %f (no integer "
                         "representation)",
                      expected, (LUAI_UACNUMBER)d);
  } else {
    lua_pushfstring(L, "expected %s, got %s", expected, mwl_typename(L, idx));
  }
}

/* An integer argument (a float with an exact integer value is fine), or a
 * usage error "<what>: expected an integer, got ...". */
lua_Integer mwl_checkint(lua_State *L, int idx, const char *what) {
  lua_Integer n;
  if (!mwl_getint(L, idx, &n)) {
    mwl_pushbadvalue(L, idx, "an integer", true);
    mwl_usage(L, "%s: %s", what, lua_tostring(L, -1));
  }
  return n;
}

lua_Integer mwl_optint(lua_State *L, int idx, const char *what,
                       lua_Integer dflt) {
  return lua_isnoneornil(L, idx) ? dflt : mwl_checkint(L, idx, what);
}

/* A string argument (numbers are not converted), or a usage error. */
const char *mwl_checkstring(lua_State *L, int idx, size_t *len,
                            const char *what) {
  if (lua_type(L, idx) != LUA_TSTRING)
    mwl_usage(L, "%s: expected a string, got %s", what, mwl_typename(L, idx));
  return lua_tolstring(L, idx, len);
}

/* ---------------------------------------------------------------- values */

static const struct {
  const char *name;
  mw_valtype type;
} valtypes[] = {{"i32", MW_I32},         {"i64", MW_I64},
                {"f32", MW_F32},         {"f64", MW_F64},
                {"funcref", MW_FUNCREF}, {"externref", MW_EXTERNREF},
                {"v128", MW_V128},       {"anyref", MW_ANYREF},
                {"eqref", MW_EQREF},     {"i31ref", MW_I31REF},
                {"structref", MW_STRUCTREF}, {"arrayref", MW_ARRAYREF},
                {"exnref", MW_EXNREF},   {"nullref", MW_NULLREF},
                {"nullfuncref", MW_NULLFUNCREF}, {"nullexternref", MW_NULLEXTERNREF},
                {"nullexnref", MW_NULLEXNREF}};

/* Abstract heap types by their text names. */
static const struct {
  const char *name;
  unsigned ht;
} heaptypes[] = {{"func", MW_HT_FUNC},   {"extern", MW_HT_EXTERN}, {"any", MW_HT_ANY},
                 {"eq", MW_HT_EQ},       {"i31", MW_HT_I31},       {"struct", MW_HT_STRUCT},
                 {"array", MW_HT_ARRAY}, {"exn", MW_HT_EXN},       {"none", MW_HT_NONE},
                 {"nofunc", MW_HT_NOFUNC}, {"noextern", MW_HT_NOEXTERN},
                 {"noexn", MW_HT_NOEXN}};

/* "(ref func)", "(ref null extern)": a reference to an abstract heap type
 * (host types name no type index). */
static bool parse_ref(const char *s, mw_valtype *out) {
  if (strncmp(s, "(ref ", 5) != 0) return false;
  s += 5;
  bool nullable = strncmp(s, "null ", 5) == 0;
  if (nullable) s += 5;
  size_t n = strlen(s);
  if (n < 2 || s[n - 1] != ')') return false;
  for (size_t i = 0; i < sizeof heaptypes / sizeof heaptypes[0]; i++)
    if (strlen(heaptypes[i].name) == n - 1 && strncmp(s, heaptypes[i].name, n - 1) == 0) {
      *out = MW_REF(nullable, heaptypes[i].ht);
      return true;
    }
  return false;
}

/* A value type name at idx; false if it is not one. */
static bool check_valtype(lua_State *L, int idx, mw_valtype *out) {
  const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
  if (!s) return false;
  for (size_t i = 0; i < sizeof valtypes / sizeof valtypes[0]; i++)
    if (strcmp(s, valtypes[i].name) == 0) {
      *out = valtypes[i].type;
      return true;
    }
  return parse_ref(s, out);
}

mw_valtype mwl_valtype_of(lua_State *L, int idx, const char *what) {
  mw_valtype t = MW_I32;
  if (!check_valtype(L, idx, &t))
    mwl_usage(L, "%s: expected a value type (i32, i64, f32, f64, v128, funcref, "
                 "externref, anyref, ..., \"(ref null? func)\", ...), got %s",
              what, lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx)
                                                     : luaL_typename(L, idx));
  return t;
}

/* An integer, or a float with an exact integer value; strings are refused. */
int mwl_getint(lua_State *L, int idx, lua_Integer *out) {
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
  int ok = 0;
  *out = lua_tointegerx(L, idx, &ok);
  return ok;
}

static int bad_value(lua_State *L, int idx, mw_valtype t) {
  switch (t) {
  case MW_I32:
  case MW_I64: mwl_pushbadvalue(L, idx, mw_valtype_name(t), true); break;
  case MW_FUNCREF:
    mwl_pushbadvalue(L, idx, "funcref (a function object or nil)", false);
    break;
  default: mwl_pushbadvalue(L, idx, mw_valtype_name(t), false); break;
  }
  return 0;
}

/* The externref for the Lua value at idx: its 1-based slot in the
 * per-state value array, so the same value always maps to the same ref
 * (and every NaN, which cannot index a table, to one slot). */
static void *extern_ref(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  mwl_state *st = NULL;
  if (lua_type(L, idx) == LUA_TNUMBER && isnan(lua_tonumber(L, idx))) {
    st = mwl_getstate(L);
    if (st->nan_ref) return (void *)(uintptr_t)st->nan_ref;
  }
  mwl_pushstatetable(L, MWL_UV_EXTERN_IDX);
  if (!st) {
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
      lua_Integer n = lua_tointeger(L, -1);
      lua_pop(L, 2);
      return (void *)(uintptr_t)n;
    }
    lua_pop(L, 1);
  }
  mwl_pushstatetable(L, MWL_UV_EXTERNS);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1) + 1;
  lua_pushvalue(L, idx);
  lua_rawseti(L, -2, n);
  if (st) {
    st->nan_ref = n;
  } else {
    lua_pushvalue(L, idx);
    lua_pushinteger(L, n);
    lua_rawset(L, -4);
  }
  lua_pop(L, 2);
  return (void *)(uintptr_t)n;
}

static void push_extern(lua_State *L, void *p) {
  mwl_pushstatetable(L, MWL_UV_EXTERNS);
  uintptr_t n = (uintptr_t)p;
  if (n <= (uintptr_t)lua_rawlen(L, -1)) {
    lua_rawgeti(L, -1, (lua_Integer)n);
    lua_remove(L, -2);
  } else { /* a reference some C code made: pass it on as it is */
    lua_pop(L, 1);
    lua_pushlightuserdata(L, p);
  }
}

void *mwl_extern_ref(lua_State *L, int idx) { return extern_ref(L, idx); }
void mwl_push_extern(lua_State *L, void *p) { push_extern(L, p); }

/* Convert the Lua value at idx to a `t`.  Returns 1, or 0 with a message
 * pushed.  With `bits`, f32/f64 given as integers are raw bit patterns. */
/* How a value for type t travels (moonwasm.h, mw_valtype_top): a type
 * index's hierarchy is told by the value itself, a function object (or
 * nil) being a funcref.  The runtime checks the exact type. */
static mw_valtype value_class(lua_State *L, int idx, mw_valtype t) {
  if (!mw_valtype_is_reference(t)) return t;
  mw_valtype c = mw_valtype_top(t);
  if (c) return c;
  if (lua_isnoneornil(L, idx)) return MW_FUNCREF;
  mwl_obj *o = mwl_testobj(L, idx);
  return o && o->kind == MW_EXTERN_FUNC ? MW_FUNCREF : MW_ANYREF;
}

int mwl_toval(lua_State *L, int idx, mw_valtype t, mw_val *out, bool bits) {
  lua_Integer n;
  t = value_class(L, idx, t);
  switch ((unsigned)t) {
  case MW_I32:
    if (!mwl_getint(L, idx, &n)) return bad_value(L, idx, t);
    *out = mw_val_i32((int32_t)(uint32_t)n); /* wraps modulo 2^32 */
    return 1;
  case MW_I64:
    if (!mwl_getint(L, idx, &n)) return bad_value(L, idx, t);
    *out = mw_val_i64((int64_t)n);
    return 1;
  case MW_F32:
    if (lua_type(L, idx) != LUA_TNUMBER) return bad_value(L, idx, t);
    if (bits && lua_isinteger(L, idx))
      *out = mw_val_f32_bits((uint32_t)lua_tointeger(L, idx));
    else
      *out = mw_val_f32((float)lua_tonumber(L, idx));
    return 1;
  case MW_F64:
    if (lua_type(L, idx) != LUA_TNUMBER) return bad_value(L, idx, t);
    if (bits && lua_isinteger(L, idx))
      *out = mw_val_f64_bits((uint64_t)lua_tointeger(L, idx));
    else
      *out = mw_val_f64((double)lua_tonumber(L, idx));
    return 1;
  case MW_FUNCREF: {
    if (lua_isnoneornil(L, idx)) {
      *out = mw_val_funcref(NULL);
      return 1;
    }
    mwl_obj *o = mwl_testobj(L, idx);
    if (!o || o->kind != MW_EXTERN_FUNC) return bad_value(L, idx, t);
    if (o->life.closed || !o->p ||
        (o->owner && (o->owner->life.closed || !o->owner->s))) {
      lua_pushstring(L, o->life.closed || !o->p
                            ? "attempt to use a closed function"
                            : "attempt to use a closed store");
      return 0;
    }
    *out = mw_val_funcref((mw_func *)o->p);
    return 1;
  }
  case MW_EXTERNREF:
    *out = mw_val_externref(lua_isnoneornil(L, idx) ? NULL : extern_ref(L, idx));
    return 1;
  case MW_V128: { /* a 16-byte string (wasm.v128 builds one) */
    size_t len = 0;
    const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
    if (!s || len != 16) {
      mwl_pushbadvalue(L, idx, "v128 (a 16-byte string)", false);
      return 0;
    }
    *out = mw_val_v128((const uint8_t *)s);
    return 1;
  }
  default: {
    char name[48];
    mw_valtype_format(t, name, sizeof name);
    lua_pushfstring(L, "unsupported value type %s", name);
    return 0;
  }
  }
}

/* Push `v`.  `hint` is the store a funcref without a Lua object yet is
 * assumed to live in when the runtime cannot tell. */
void mwl_pushval(lua_State *L, mw_val v, bool bits, mwl_store *hint) {
  switch ((unsigned)v.type) {
  case MW_I32: lua_pushinteger(L, v.of.i32); break;
  case MW_I64: lua_pushinteger(L, v.of.i64); break;
  case MW_F32:
    if (bits)
      lua_pushinteger(L, (lua_Integer)v.of.f32_bits);
    else
      lua_pushnumber(L, (lua_Number)mw_val_as_f32(v));
    break;
  case MW_F64:
    if (bits)
      lua_pushinteger(L, (lua_Integer)v.of.f64_bits);
    else
      lua_pushnumber(L, (lua_Number)mw_val_as_f64(v));
    break;
  case MW_FUNCREF: {
    mw_extern ext;
    ext.kind = MW_EXTERN_FUNC;
    ext.of.func = v.of.funcref;
    mwl_pushextern(L, ext, hint, NULL, 0);
    break;
  }
  case MW_EXTERNREF:
    if (v.of.externref)
      push_extern(L, v.of.externref);
    else
      lua_pushnil(L);
    break;
  case MW_V128: lua_pushlstring(L, (const char *)v.of.v128, 16); break;
  default: lua_pushnil(L); break;
  }
}

/* ---------------------------------------------------------------- bit helpers */

static lua_Number check_number(lua_State *L, int idx, const char *what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    mwl_usage(L, "%s: expected a number, got %s", what, mwl_typename(L, idx));
  return lua_tonumber(L, idx);
}

/** The bits of `x` rounded to f32, as an integer 0..0xFFFFFFFF.
 * @function f32_bits */
static int core_f32_bits(lua_State *L) {
  float f = (float)check_number(L, 1, "f32_bits");
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  lua_pushinteger(L, (lua_Integer)u);
  return 1;
}

/** The 64 bits of the double `x`, as an integer.
 * @function f64_bits */
static int core_f64_bits(lua_State *L) {
  double d = (double)check_number(L, 1, "f64_bits");
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  lua_pushinteger(L, (lua_Integer)u);
  return 1;
}

/** The f32 whose bits are the low 32 bits of `n`, as a Lua float.
 * (A signalling NaN may come back quieted: use call_bits to keep it.)
 * @function f32_from_bits */
static int core_f32_from_bits(lua_State *L) {
  uint32_t u = (uint32_t)mwl_checkint(L, 1, "f32_from_bits");
  float f;
  memcpy(&f, &u, sizeof f);
  lua_pushnumber(L, (lua_Number)f);
  return 1;
}

/** The double whose bits are those of the integer `n`.
 * @function f64_from_bits */
static int core_f64_from_bits(lua_State *L) {
  uint64_t u = (uint64_t)mwl_checkint(L, 1, "f64_from_bits");
  double d;
  memcpy(&d, &u, sizeof d);
  lua_pushnumber(L, (lua_Number)d);
  return 1;
}

/* ---------------------------------------------------------------- object map */

/* The map from C pointers to the userdata that stands for them, so an
 * object keeps one identity in Lua (weak values: it never keeps one alive). */
void mwl_map_get(lua_State *L, const void *key) {
  mwl_pushstatetable(L, MWL_UV_OBJECTS);
  lua_rawgetp(L, -1, key);
  lua_remove(L, -2);
}

void mwl_map_set(lua_State *L, const void *key, int idx) {
  idx = lua_absindex(L, idx);
  mwl_pushstatetable(L, MWL_UV_OBJECTS);
  lua_pushvalue(L, idx);
  lua_rawsetp(L, -2, key);
  lua_pop(L, 1);
}

/* Forget `key` if it still maps to `ud` (its C object is going away). */
void mwl_map_clear(lua_State *L, const void *key, const void *ud) {
  mwl_pushstatetable(L, MWL_UV_OBJECTS);
  lua_rawgetp(L, -1, key);
  bool mine = lua_touserdata(L, -1) == ud;
  lua_pop(L, 1);
  if (mine) {
    lua_pushnil(L);
    lua_rawsetp(L, -2, key);
  }
  lua_pop(L, 1);
}

/* Push the Store userdata for `s` (NULL and nil if there is none). */
mwl_store *mwl_pushstore_of(lua_State *L, mw_store *s) {
  if (!s) {
    lua_pushnil(L);
    return NULL;
  }
  mwl_map_get(L, s);
  mwl_store *S = (mwl_store *)luaL_testudata(L, -1, MWL_STORE);
  if (S && S->s == s) return S;
  lua_pop(L, 1);
  lua_pushnil(L);
  return NULL;
}

const mwl_kind mwl_kinds[5] = {
    [MW_EXTERN_FUNC] = {MWL_FUNC, "func", "function"},
    [MW_EXTERN_TABLE] = {MWL_TABLE, "table", "table"},
    [MW_EXTERN_MEMORY] = {MWL_MEMORY, "memory", "memory"},
    [MW_EXTERN_GLOBAL] = {MWL_GLOBAL, "global", "global"},
    [MW_EXTERN_TAG] = {MWL_TAG, "tag", "tag"}};

mwl_obj *mwl_testobj(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
  for (size_t i = 0; i < 5; i++) {
    void *p = luaL_testudata(L, idx, mwl_kinds[i].tname);
    if (p) return (mwl_obj *)p;
  }
  return NULL;
}

static void *extern_ptr(mw_extern ext) {
  switch (ext.kind) {
  case MW_EXTERN_FUNC: return ext.of.func;
  case MW_EXTERN_TABLE: return ext.of.table;
  case MW_EXTERN_MEMORY: return ext.of.memory;
  case MW_EXTERN_GLOBAL: return ext.of.global;
  case MW_EXTERN_TAG: return ext.of.tag;
  }
  return NULL;
}

/* Push the Lua object for a runtime object: the one it already has, or a
 * new one owned by the store that defines it (for functions the runtime
 * says which; for the others, `owner`, the store it was found in). */
void mwl_pushextern(lua_State *L, mw_extern ext, mwl_store *owner,
                    const char *name, size_t name_len) {
  void *p = extern_ptr(ext);
  if (!p) {
    lua_pushnil(L);
    return;
  }
  if (ext.kind == MW_EXTERN_TAG) { /* Tag objects hold their own reference */
    mwl_pushtag(L, ext.of.tag);
    return;
  }
  mwl_map_get(L, p);
  mwl_obj *o = mwl_testobj(L, -1);
  if (o && o->p == p && o->kind == ext.kind && (!o->owner || o->owner->s))
    return;
  lua_pop(L, 1);
  mwl_store *S = NULL;
  if (ext.kind == MW_EXTERN_FUNC && mw_func_instance(ext.of.func))
    S = mwl_pushstore_of(L, mw_instance_store(mw_func_instance(ext.of.func)));
  else
    lua_pushnil(L);
  if (!S && owner) {
    lua_pop(L, 1);
    S = mwl_pushstore_of(L, owner->s);
  }
  mwl_newobj(L, ext.kind, p, S, S ? -1 : 0);
  lua_remove(L, -2); /* the store */
  if (name) {
    lua_pushlstring(L, name, name_len);
    lua_setiuservalue(L, -2, MWL_OBJ_NAME);
  }
  mwl_map_set(L, p, -1);
}

/* ---------------------------------------------------------------- lifetimes */

/* Set `__metatable` of the metatable `tname`: getmetatable() gives the
 * name, so Lua code cannot reach __gc (debug.getmetatable still can: every
 * __gc is safe to call by hand anyway). */
static void protect(lua_State *L, const char *tname) {
  luaL_getmetatable(L, tname);
  lua_pushstring(L, tname);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

/* The lifetime of the userdata at idx if it owns a C object (a Store, a
 * host Func/Memory/Table/Global, a Wasi), else NULL. */
static mwl_life *testlife(lua_State *L, int idx) {
  static const char *const names[] = {MWL_STORE,  MWL_FUNC,   MWL_MEMORY,
                                      MWL_TABLE,  MWL_GLOBAL, MWL_WASI,
                                      MWL_TAG};
  if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    mwl_life *l = (mwl_life *)luaL_testudata(L, idx, names[i]);
    if (l) return l->release ? l : NULL;
  }
  return NULL;
}

/* Push what a holder of the object at idx must keep: a host object or a
 * wasi context itself, the Store itself, or the Store that defines an
 * exported object or an instance.  False (nothing pushed) otherwise. */
static bool push_held(lua_State *L, int idx) {
  mwl_obj *o = mwl_testobj(L, idx);
  if (o) {
    if (o->host) {
      lua_pushvalue(L, idx);
      return true;
    }
    if (!o->owner) return false;
    lua_getiuservalue(L, idx, MWL_OBJ_OWNER);
    return true;
  }
  if (luaL_testudata(L, idx, MWL_INSTANCE)) {
    lua_getiuservalue(L, idx, MWL_INST_STORE);
    return true;
  }
  if (testlife(L, idx)) {
    lua_pushvalue(L, idx);
    return true;
  }
  return false;
}

/* One edge: the holder at `holder` (lifetime hl, NULL for a foreign table
 * or global) keeps the value at `held`.  Recorded in the value's holders
 * first (its C object is not freed while the holder is in use), then in
 * the holder's keep set (Lua's GC keeps it): a value found in the keep set
 * is held already. */
static void add_edge(lua_State *L, int holder, mwl_life *hl, int held) {
  int keep_uv = hl ? hl->keep_uv : MWL_OBJ_DATA;
  if (!keep_uv || lua_type(L, holder) != LUA_TUSERDATA) return;
  if (lua_getiuservalue(L, holder, keep_uv) == LUA_TTABLE) {
    lua_pushvalue(L, held);
    bool have = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 1);
    if (have) {
      lua_pop(L, 1);
      return;
    }
  } else {
    lua_pop(L, 1); /* a foreign table or global: give it a set */
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, holder, keep_uv);
  }
  mwl_life *l = testlife(L, held);
  if (hl && l) {
    if (lua_getiuservalue(L, held, l->holders_uv) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_newtable(L); /* weak keys: it never keeps a holder alive */
      mwl_pushstatetable(L, MWL_UV_WEAKKEYS);
      lua_setmetatable(L, -2);
      lua_pushvalue(L, -1);
      lua_setiuservalue(L, held, l->holders_uv);
    }
    lua_pushvalue(L, holder);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
  }
  lua_pushvalue(L, held);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* Record that the holder at `holder` (a Store, or a Table/Global)
 * references the object at idx (see push_held): in the holder's keep set,
 * so Lua's GC keeps it, and in the object's holders, so its C object is
 * not freed while the holder is in use.  A function of another store
 * makes that store keep the holder as well: the holder's code may call it
 * with its own funcrefs, and it may store them. */
void mwl_hold(lua_State *L, int holder, int idx) {
  holder = lua_absindex(L, holder);
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 6, "moonwasm: hold");
  if (!push_held(L, idx)) return;
  int held = lua_gettop(L);
  if (!lua_rawequal(L, holder, held)) {
    mwl_life *hl = testlife(L, holder);
    mwl_obj *o = mwl_testobj(L, idx);
    /* the way back first: a holder that has the function has both edges */
    if (hl && o && o->kind == MW_EXTERN_FUNC && !o->host && o->owner)
      add_edge(L, held, testlife(L, held), holder);
    add_edge(L, holder, hl, held);
  }
  lua_pop(L, 1);
}

/* Is the object at idx in use: open, running, or held by something in
 * use?  `visited` (a table index) guards against cycles of holders.  When
 * the Lua stack cannot grow, the answer is a safe "yes". */
static bool in_use(lua_State *L, int idx, int visited) {
  mwl_life *l = testlife(L, idx);
  if (!l || l->freed) return false;
  if (!l->closed || l->busy) return true;
  if (!lua_checkstack(L, 4)) return true;
  lua_pushvalue(L, idx);
  if (lua_rawget(L, visited) != LUA_TNIL) {
    lua_pop(L, 1);
    return false;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, visited);
  if (lua_getiuservalue(L, idx, l->holders_uv) != LUA_TTABLE) {
    lua_pop(L, 1);
    return false;
  }
  int holders = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, holders)) {
    lua_pop(L, 1);
    if (in_use(L, lua_gettop(L), visited)) {
      lua_settop(L, holders - 1);
      return true;
    }
  }
  lua_pop(L, 1);
  return false;
}

/* Free the C object of the userdata at idx if it is closed and no longer
 * in use; then give everything it held the same chance.  Never raises
 * (it runs in finalizers), unless memory runs out. */
void mwl_release(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  mwl_life *l = testlife(L, idx);
  if (!l || l->freed || !l->closed || l->busy) return;
  if (!lua_checkstack(L, 6)) return; /* freed by a later chance */
  lua_newtable(L);
  bool used = in_use(L, idx, lua_gettop(L));
  lua_pop(L, 1);
  if (used) return;
  l->freed = true;
  l->release(L, idx);
  if (!l->keep_uv) return;
  if (lua_getiuservalue(L, idx, l->keep_uv) == LUA_TTABLE) {
    int keep = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, keep)) {
      lua_pop(L, 1);
      mwl_release(L, -1);
    }
  }
  lua_pop(L, 1);
}

/* close(), __close and __gc of everything that owns a C object: mark it
 * closed, free the C object if nothing uses it.  Idempotent. */
void mwl_close(lua_State *L, int idx) {
  mwl_life *l = testlife(L, idx);
  if (!l) return;
  l->closed = true;
  mwl_release(L, idx);
}

/* ---------------------------------------------------------------- module */

static const luaL_Reg core_funcs[] = {
    {"error", core_error},
    {"f32_bits", core_f32_bits},
    {"f64_bits", core_f64_bits},
    {"f32_from_bits", core_f32_from_bits},
    {"f64_from_bits", core_f64_from_bits},
    {NULL, NULL}};

static void open_types(lua_State *L) {
  static const char *const names[] = {MWL_FUNCTYPE, MWL_MEMORYTYPE,
                                      MWL_TABLETYPE, MWL_GLOBALTYPE};
  for (size_t i = 0; i < 4; i++) {
    luaL_newmetatable(L, names[i]);
    lua_pop(L, 1);
  }
  luaL_newmetatable(L, MWL_ERROR);
  lua_pushcfunction(L, error_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

/* core.metatables.<Short> = the metatable named "moonwasm.<Short>", so the
 * Lua layer can add methods (__index tables) and __tostring. */
static void export_metatables(lua_State *L) {
  static const char *const names[] = {
      MWL_MODULE,   MWL_STORE,      MWL_INSTANCE,  MWL_FUNC,
      MWL_MEMORY,   MWL_TABLE,      MWL_GLOBAL,    MWL_CALLER,
      MWL_ERROR,      MWL_FUNCTYPE,  MWL_MEMORYTYPE,
      MWL_TABLETYPE, MWL_GLOBALTYPE, MWL_WASI};
  lua_createtable(L, 0, (int)(sizeof names / sizeof names[0]));
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    luaL_getmetatable(L, names[i]);
    lua_setfield(L, -2, names[i] + sizeof "moonwasm." - 1);
  }
  lua_setfield(L, -2, "metatables");
}

static void export_features(lua_State *L) {
  static const struct {
    const char *name;
    lua_Integer bit;
  } features[] = {{"mutable_globals", MW_FEATURE_MUTABLE_GLOBALS},
                  {"sign_ext", MW_FEATURE_SIGN_EXT},
                  {"sat_conv", MW_FEATURE_SAT_CONV},
                  {"multi_value", MW_FEATURE_MULTI_VALUE},
                  {"bulk_memory", MW_FEATURE_BULK_MEMORY},
                  {"reference_types", MW_FEATURE_REFERENCE_TYPES},
                  {"simd", MW_FEATURE_SIMD},
                  {"tail_call", MW_FEATURE_TAIL_CALL},
                  {"relaxed_simd", MW_FEATURE_RELAXED_SIMD},
                  {"function_references", MW_FEATURE_FUNCTION_REFERENCES},
                  {"gc", MW_FEATURE_GC},
                  {"exceptions", MW_FEATURE_EXCEPTIONS},
                  {"legacy_exceptions", MW_FEATURE_LEGACY_EXCEPTIONS},
                  {"extended_const", MW_FEATURE_EXTENDED_CONST},
                  {"multi_memory", MW_FEATURE_MULTI_MEMORY},
                  {"memory64", MW_FEATURE_MEMORY64},
                  {"const_globals", MW_FEATURE_CONST_GLOBALS}};
  lua_createtable(L, 0, 13);
  for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
    lua_pushinteger(L, features[i].bit);
    lua_setfield(L, -2, features[i].name);
  }
  lua_setfield(L, -2, "features");
  mw_config cfg;
  mw_config_default(&cfg);
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, cfg.features);
  lua_setfield(L, -2, "features");
  lua_pushinteger(L, cfg.max_memory_pages);
  lua_setfield(L, -2, "max_memory_pages");
  lua_pushinteger(L, cfg.max_table_size);
  lua_setfield(L, -2, "max_table_size");
  lua_pushinteger(L, cfg.max_call_depth);
  lua_setfield(L, -2, "max_call_depth");
  lua_pushinteger(L, cfg.max_host_depth);
  lua_setfield(L, -2, "max_host_depth");
  lua_pushinteger(L, (lua_Integer)cfg.value_stack_slots);
  lua_setfield(L, -2, "value_stack_slots");
  lua_setfield(L, -2, "defaults");
}

/* moonwasm.core: the C layer; use `require "moonwasm"` instead. */
LUAMOD_API int luaopen_moonwasm_core(lua_State *L) {
  state_new(L);
  open_types(L);
  mwl_open_objects(L);
  mwl_open_stores(L);
  mwl_open_wasi(L);
  mwl_open_hostctl(L);
  mwl_open_fiber(L);
  mwl_open_gc(L); /* lmoonwasm_gc.c */
  luaL_newlib(L, core_funcs);
  mwl_register_objects(L);
  mwl_register_stores(L);
  mwl_register_wasi(L);
  mwl_register_hostctl(L);
  mwl_register_aot(L);
  mwl_register_text(L);
  mwl_register_v128(L);
  export_metatables(L);
  export_features(L);
  /* Only now: the Lua layer finds the metatables through core.metatables,
   * and scripts see getmetatable(obj) == "moonwasm.Memory" etc. */
  static const char *const protected_names[] = {
      MWL_MODULE, MWL_STORE,  MWL_INSTANCE, MWL_FUNC,     MWL_MEMORY,
      MWL_TABLE,  MWL_GLOBAL, MWL_CALLER,   MWL_WASI,     MWL_COSTTABLE,
      MWL_TAG};
  for (size_t i = 0; i < sizeof protected_names / sizeof protected_names[0];
       i++)
    protect(L, protected_names[i]);
  lua_pushliteral(L, MW_VERSION);
  lua_setfield(L, -2, "version");
  return 1;
}
