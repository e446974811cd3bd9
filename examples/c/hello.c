/*
 * hello.c -- embed moonwasm in a C program.
 *
 * Loads a module (hello.wat built to .wasm), gives it a host function
 * `env.add`, calls its export `sum_to` and prints the result.
 *
 *   hello path/to/hello.wasm [n]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moonwasm.h"

static unsigned host_calls;

/* env.add: (i32, i32) -> i32.  Arguments and results arrive typed. */
static mw_error *host_add(mw_caller *caller, const mw_val *args,
                          mw_val *results, void *userdata) {
  (void)caller;
  unsigned *calls = userdata;
  (*calls)++;
  results[0] = mw_val_i32(args[0].of.i32 + args[1].of.i32);
  return NULL;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* Print an error with its kind ("trap: integer divide by zero"), free it. */
static int fail(const char *what, mw_error *e) {
  fprintf(stderr, "hello: %s: %s: %s\n", what,
          mw_error_kind_name(mw_error_kind_of(e)), mw_error_message(e));
  mw_error_free(e);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: hello path/to/hello.wasm [n]\n");
    return 2;
  }
  int32_t n = argc > 2 ? (int32_t)atoi(argv[2]) : 100;

  size_t len;
  uint8_t *bytes = read_file(argv[1], &len);
  if (!bytes) {
    perror(argv[1]);
    return 1;
  }

  int status = 1;
  mw_module *mod = NULL;
  mw_store *store = NULL;
  mw_func *add = NULL;
  mw_functype *add_type = NULL;
  mw_error *err = mw_module_decode(NULL, bytes, len, &mod);
  free(bytes);
  if (err) return fail("decode", err);

  /* The host function, with its type (i32, i32) -> i32. */
  const mw_valtype params[] = {MW_I32, MW_I32}, results[] = {MW_I32};
  add_type = mw_functype_new(NULL, params, 2, results, 1);
  add = add_type ? mw_func_new(NULL, add_type, host_add, &host_calls, NULL) : NULL;
  store = mw_store_new(NULL);
  if (!add || !store) {
    fprintf(stderr, "hello: out of memory\n");
    goto done;
  }

  /* Make it importable as env.add, then instantiate against the store. */
  mw_extern ext = {.kind = MW_EXTERN_FUNC, .of.func = add};
  mw_instance *inst = NULL;
  if ((err = mw_store_define(store, "env", 3, "add", 3, ext)) ||
      (err = mw_instantiate(store, mod, &inst))) {
    status = fail("instantiate", err);
    goto done;
  }

  mw_extern sum_to;
  if (!mw_instance_export(inst, "sum_to", 6, &sum_to) ||
      sum_to.kind != MW_EXTERN_FUNC) {
    fprintf(stderr, "hello: no exported function sum_to\n");
    goto done;
  }
  mw_val arg = mw_val_i32(n), result;
  if ((err = mw_func_call(store, sum_to.of.func, &arg, 1, &result, 1))) {
    status = fail("sum_to", err);
    goto done;
  }
  printf("sum_to(%d) = %d, computed by wasm with %u calls to the host's env.add\n",
         n, result.of.i32, host_calls);
  status = 0;

done:
  mw_store_free(store); /* before the host function it imported */
  if (add) mw_func_free(add);
  if (add_type) mw_functype_free(add_type);
  mw_module_release(mod);
  return status;
}
