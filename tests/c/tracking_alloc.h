/*
 * tracking_alloc.h -- an mw_config allocator that counts what is live, for
 * the C tests that check every byte comes back (and that a store survives
 * refused allocations).
 *
 *   tracker t;
 *   mw_config cfg = tracked_config(&t);   // t.live == 0, never refuses
 *   ... use a store made from cfg, free it ...
 *   CHECK_EQ_INT(t.live, 0); CHECK_EQ_INT(t.blocks, 0);
 *
 * Set t.fail_after to n to let n more allocations succeed and refuse the
 * rest (-1: never refuse).  Frees always succeed.
 */
#ifndef MW_TEST_TRACKING_ALLOC_H
#define MW_TEST_TRACKING_ALLOC_H

#include <stdlib.h>

#include "moonwasm.h"

typedef struct tracker {
  long long live;   /* bytes handed out and not yet returned */
  long long blocks; /* blocks handed out and not yet returned */
  long fail_after;  /* allocations to allow before refusing; -1: never */
} tracker;

static void *tracking_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  tracker *t = ud;
  if (nsize == 0) {
    if (ptr) {
      t->live -= (long long)osize;
      t->blocks--;
    }
    free(ptr);
    return NULL;
  }
  if (t->fail_after == 0) return NULL;
  if (t->fail_after > 0) t->fail_after--;
  void *p = realloc(ptr, nsize);
  if (!p) return NULL;
  t->live += (long long)nsize - (ptr ? (long long)osize : 0);
  if (!ptr) t->blocks++;
  return p;
}

static inline mw_config tracked_config(tracker *t) {
  mw_config cfg;
  mw_config_default(&cfg);
  t->live = 0;
  t->blocks = 0;
  t->fail_after = -1;
  cfg.alloc = tracking_alloc;
  cfg.alloc_ud = t;
  return cfg;
}

#endif
