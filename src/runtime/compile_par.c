/*
 * compile_par.c -- validating and compiling the function bodies of a
 * module, on several threads when it has much code.
 *
 * Bodies are independent: mwc_compile reads the module (immutable while
 * it is validated) and writes only its own mw_compiled, so threads take
 * chunks of functions from a shared counter.  The result is the one of
 * the sequential loop: the error of the first invalid function in order
 * (each worker stops at its first error; no chunk past the lowest failing
 * function is started), or every function compiled.  Threads are used
 * only with a thread-safe allocator (mw_config.compile_threads,
 * alloc_threadsafe); creating one that fails leaves the work to the
 * others, the calling thread being one of them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "internal.h"

/* Automatic threading: at most this many threads, and only for modules
 * with at least this much code (smaller ones load in milliseconds). */
#ifndef MW_COMPILE_MAX_THREADS
#define MW_COMPILE_MAX_THREADS 8
#endif
#ifndef MW_COMPILE_PAR_MIN_BYTES
#define MW_COMPILE_PAR_MIN_BYTES (1u << 20)
#endif
/* Functions a worker takes at a time. */
#define CHUNK 32

typedef struct par_job {
  mw_module *m;
  mwc_body_fn fn;             /* what to do with each body */
  uint32_t n;                 /* defined functions */
  atomic_uint_fast32_t next;  /* first function of the next chunk */
  atomic_uint_fast32_t first_bad; /* lowest failing function so far, or n */
} par_job;

typedef struct par_worker {
  par_job *job;
  uint32_t bad;   /* its first failing function, or job->n */
  mw_error *err;  /* and its error */
} par_worker;

static void note_bad(par_job *j, uint32_t i) {
  uint_fast32_t cur = atomic_load(&j->first_bad);
  while (i < cur && !atomic_compare_exchange_weak(&j->first_bad, &cur, i)) {
  }
}

static void *work(void *arg) {
  par_worker *w = (par_worker *)arg;
  par_job *j = w->job;
  mwv_fast_scratch scratch = {&j->m->alloc, NULL, NULL, 0, 0, NULL, 0, false};
  for (;;) {
    uint32_t start = (uint32_t)atomic_fetch_add(&j->next, CHUNK);
    if (start >= j->n || start > atomic_load(&j->first_bad)) break;
    uint32_t end = j->n - start < CHUNK ? j->n : start + CHUNK;
    for (uint32_t i = start; i < end; i++) {
      mw_error *err = j->fn(j->m, i, &scratch);
      if (err) {
        w->bad = i;
        w->err = err;
        note_bad(j, i);
        mwv_fast_scratch_free(&scratch);
        return NULL;
      }
    }
  }
  mwv_fast_scratch_free(&scratch);
  return NULL;
}

/* Threads to use for m's n bodies (1: the calling one alone). */
static uint32_t thread_count(const mw_module *m, uint32_t n) {
  uint32_t want = m->compile_threads;
  if (want == 1 || n < 2) return 1;
  if (want == 0) { /* automatic */
    size_t bytes = 0;
    for (uint32_t i = 0; i < n; i++)
      bytes += (size_t)(m->codes[i].end - m->codes[i].start);
    if (bytes < MW_COMPILE_PAR_MIN_BYTES) return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    want = cpus > 1 ? (uint32_t)cpus : 1;
    if (want > MW_COMPILE_MAX_THREADS) want = MW_COMPILE_MAX_THREADS;
  }
  uint32_t chunks = (n + CHUNK - 1) / CHUNK;
  return want < chunks ? want : chunks;
}

mw_error *mwc_par_bodies(mw_module *m, uint32_t n, mwc_body_fn fn) {
  uint32_t nthreads = thread_count(m, n);
  if (nthreads <= 1) {
    mwv_fast_scratch scratch = {&m->alloc, NULL, NULL, 0, 0, NULL, 0, false};
    mw_error *err = NULL;
    for (uint32_t i = 0; i < n && !err; i++) err = fn(m, i, &scratch);
    mwv_fast_scratch_free(&scratch);
    return err;
  }
  par_job job;
  job.m = m;
  job.fn = fn;
  job.n = n;
  atomic_init(&job.next, 0);
  atomic_init(&job.first_bad, n);
  par_worker workers[MW_COMPILE_MAX_THREADS > 64 ? MW_COMPILE_MAX_THREADS : 64];
  pthread_t tids[sizeof workers / sizeof workers[0]];
  bool started[sizeof workers / sizeof workers[0]];
  if (nthreads > sizeof workers / sizeof workers[0])
    nthreads = sizeof workers / sizeof workers[0];
  for (uint32_t t = 0; t < nthreads; t++) {
    workers[t].job = &job;
    workers[t].bad = n;
    workers[t].err = NULL;
    started[t] = false;
  }
  for (uint32_t t = 1; t < nthreads; t++)
    started[t] = pthread_create(&tids[t], NULL, work, &workers[t]) == 0;
  work(&workers[0]);
  mw_error *err = NULL;
  uint32_t bad = n;
  for (uint32_t t = 0; t < nthreads; t++) {
    if (t > 0 && started[t]) pthread_join(tids[t], NULL);
    if (workers[t].err && workers[t].bad < bad) {
      if (err) mw_error_free(err);
      err = workers[t].err;
      bad = workers[t].bad;
    } else if (workers[t].err) {
      mw_error_free(workers[t].err);
    }
  }
  return err;
}

mw_error *mwc_compile_all(mw_module *m, uint32_t n) {
  mw_error *err = mwc_par_bodies(m, n, mwl_prepare); /* lazy.c */
  if (err) /* (entries never compiled are zero: freeing them is a no-op) */
    for (uint32_t i = 0; i < n; i++) mwl_free_entry(&m->alloc, &m->compiled[i]);
  return err;
}
