/*
 * hostctl.c -- stopping a running guest: interruption, deadline, fuel.
 *
 * The interpreter's fast path is one relaxed load of s->poll at each back
 * edge (the *_LOOP branches of ir.h) and each wasm call; only while
 * something is armed does it come here.  Interrupts are requested with an
 * atomic OR, so a signal handler or another thread may do it.  Fuel in
 * counting code is checked by the METER instruction against fuel_end (see
 * mw_store_set_fuel); in other code each poll consumes one unit.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "internal.h"

uint64_t mwx_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void mw_store_interrupt(mw_store *s) {
  atomic_fetch_or_explicit(&s->poll, MW_POLL_INTERRUPT, memory_order_relaxed);
}

void mw_store_clear_interrupt(mw_store *s) {
  atomic_fetch_and_explicit(&s->poll, ~(uint32_t)MW_POLL_INTERRUPT,
                            memory_order_relaxed);
}

void mw_store_set_deadline(mw_store *s, uint64_t ns) {
  if (ns == 0) {
    atomic_fetch_and_explicit(&s->poll, ~(uint32_t)MW_POLL_DEADLINE,
                              memory_order_relaxed);
    return;
  }
  uint64_t now = mwx_now_ns();
  s->deadline_ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
  s->poll_countdown = 1; /* read the clock at the first poll */
  atomic_fetch_or_explicit(&s->poll, MW_POLL_DEADLINE, memory_order_relaxed);
}

void mw_store_set_fuel(mw_store *s, uint64_t fuel) {
  uint64_t used = s->stats.instructions;
  /* UINT64_MAX means "off": stop one short of it. */
  s->fuel_end = fuel >= UINT64_MAX - 1 - used ? UINT64_MAX - 1 : used + fuel;
  atomic_fetch_or_explicit(&s->poll, MW_POLL_FUEL, memory_order_relaxed);
}

bool mw_store_get_fuel(const mw_store *s, uint64_t *out) {
  if (s->fuel_end == UINT64_MAX) {
    *out = 0;
    return false;
  }
  *out = s->fuel_end > s->stats.instructions ? s->fuel_end - s->stats.instructions : 0;
  return true;
}

void mw_store_clear_fuel(mw_store *s) {
  s->fuel_end = UINT64_MAX;
  atomic_fetch_and_explicit(&s->poll, ~(uint32_t)MW_POLL_FUEL,
                            memory_order_relaxed);
}

void mw_store_set_refuel(mw_store *s, mw_refuel_fn fn, void *ud) {
  s->refuel = fn;
  s->refuel_ud = ud;
}

/* `deficit` units more than the fuel left were consumed: refuel until they
 * are covered, or trap with the tank empty. */
static const char *cover(mw_store *s, uint64_t deficit, mw_error_kind *kind) {
  while (s->refuel && s->fuel_end != UINT64_MAX) {
    uint64_t more = s->refuel(s, s->refuel_ud);
    if (more == 0 || s->fuel_end == UINT64_MAX) break; /* none, or fuel off */
    if (more >= deficit) {
      uint64_t left = more - deficit, used = s->stats.instructions;
      s->fuel_end = left >= UINT64_MAX - 1 - used ? UINT64_MAX - 1 : used + left;
      return NULL;
    }
    deficit -= more;
  }
  if (s->fuel_end == UINT64_MAX) return NULL; /* the callback turned fuel off */
  s->fuel_end = s->stats.instructions;
  *kind = MW_ERR_EXHAUSTION;
  return MW_MSG_FUEL;
}

const char *mwx_fuel_out(mw_store *s, mw_error_kind *kind) {
  if (s->fuel_end == UINT64_MAX || s->stats.instructions <= s->fuel_end) return NULL;
  return cover(s, s->stats.instructions - s->fuel_end, kind);
}

const char *mwx_poll(mw_store *s, bool metered, mw_error_kind *kind) {
  uint32_t bits = atomic_load_explicit(&s->poll, memory_order_relaxed);
  if (bits & MW_POLL_PROFILE) mwx_profile_tick(s, false);
  if (bits & MW_POLL_INTERRUPT) {
    mw_store_clear_interrupt(s);
    *kind = MW_ERR_TRAP;
    return MW_MSG_INTERRUPTED;
  }
  if ((bits & MW_POLL_DEADLINE) && --s->poll_countdown == 0) {
    s->poll_countdown = MW_DEADLINE_POLL_EVERY;
    if (mwx_now_ns() >= s->deadline_ns) {
      mw_store_set_deadline(s, 0);
      *kind = MW_ERR_TRAP;
      return MW_MSG_DEADLINE;
    }
  }
  if ((bits & MW_POLL_FUEL) && !metered && s->fuel_end != UINT64_MAX) {
    /* One unit per loop iteration or call, taken off the end. */
    if (s->fuel_end > s->stats.instructions) {
      s->fuel_end--;
      return NULL;
    }
    return cover(s, 1, kind);
  }
  return NULL;
}

void mw_store_time_host(mw_store *s, bool on) { s->time_host = on; }
uint64_t mw_store_host_ns(const mw_store *s) { return s->host_ns; }
