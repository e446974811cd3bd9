/*
 * fiber.c -- calls that can be suspended inside a host function and
 * resumed later (moonwasm.h, "Fibers").
 *
 * The interpreter never recurses in C for wasm calls: all of a call's
 * state is its frame stack, its value stack and the pc to continue at.  A
 * fiber owns such a pair of stacks.  While it runs they are swapped into
 * the store (s->stack, s->frames, ...), so exec.c runs it like any call.
 * A host function that wants to suspend returns the marker mwx_suspended;
 * run() notes where (mwx_note_suspend) and returns it through mwx_call,
 * which leaves the frames in place; the fiber swaps its stacks out again
 * and reports MW_FIBER_HOST_CALL.  mw_fiber_resume writes the host's
 * results into the caller's slots and continues run() at the noted pc.
 * Nothing longjmps and no C stack is kept between the two.
 */
#include "internal.h"

/* The marker.  Never freed (is_static), never seen outside the runtime. */
static char suspended_text[] = "suspended";
mw_error mwx_suspended = {.kind = MW_ERR_HOST, .message = suspended_text,
                          .is_static = true};

struct mw_fiber {
  mw_store *store;
  mw_allocator alloc;
  mw_slot *stack;         /* value stack, nslots */
  size_t nslots;
  mw_frame *frames;       /* nframe_cap */
  size_t nframe_cap;
  mw_fiber_status status;
  bool active;            /* a call started and not yet finished */
  mw_func *func;          /* the called function */
  mw_slot io[2 * MW_MAX_FUNC_VALUES]; /* arguments in, results out (a v128
                                        takes two slots) */
  /* while suspended (copied from the store at suspension) */
  uint32_t nframes;
  mw_slot *stack_top;
  const mw_word *pc;
  mw_func *host;
  mw_slot *host_slots;
  mw_caller caller;
  /* gc.c: the store's list of its fibers (roots of suspended calls);
   * `listed` goes false when the store is freed first */
  struct mw_fiber *gc_next, *gc_prev;
  bool listed;
  /* the store's own stack state while the fiber's is swapped in */
  mw_slot *s_stack, *s_stack_end, *s_stack_top;
  mw_frame *s_frames;
  uint32_t s_nframes;
  struct mw_fiber *s_fiber;
};

void mwx_note_suspend(mw_store *s, const mw_word *pc, mw_func *f,
                      mw_slot *slots, mw_instance *inst) {
  s->suspend_pc = pc;
  s->suspend_func = f;
  s->suspend_slots = slots;
  s->suspend_inst = inst;
}

bool mw_caller_can_suspend(const mw_caller *c) {
  return c && c->inst && c->store->fiber != NULL;
}

mw_error *mw_caller_suspend(mw_caller *c) {
  if (!mw_caller_can_suspend(c))
    return mw_errorf(MW_ERR_USAGE, "cannot suspend here: not called by the "
                                   "code of a fiber");
  return &mwx_suspended;
}

mw_fiber *mw_fiber_new(mw_store *s) {
  if (!s) return NULL;
  mw_allocator a = s->alloc;
  mw_fiber *fb = mw_calloc(&a, 1, sizeof *fb);
  if (!fb) return NULL;
  fb->store = s;
  fb->alloc = a;
  /* The store's sizes.  Large allocations are mapped lazily by the C
   * library: a fiber costs the memory it touches. */
  fb->nslots = s->cfg.value_stack_slots;
  fb->nframe_cap = (size_t)s->cfg.max_call_depth + 1;
  fb->stack = mw_alloc(&a, fb->nslots * sizeof *fb->stack);
  fb->frames = mw_alloc(&a, fb->nframe_cap * sizeof *fb->frames);
  if (!fb->stack || !fb->frames) {
    mw_fiber_free(fb);
    return NULL;
  }
  fb->status = MW_FIBER_DONE;
  fb->gc_next = s->fibers;
  if (s->fibers) s->fibers->gc_prev = fb;
  s->fibers = fb;
  fb->listed = true;
  return fb;
}

void mw_fiber_free(mw_fiber *fb) {
  if (!fb) return;
  if (fb->listed) {
    if (fb->gc_prev)
      fb->gc_prev->gc_next = fb->gc_next;
    else
      fb->store->fibers = fb->gc_next;
    if (fb->gc_next) fb->gc_next->gc_prev = fb->gc_prev;
  }
  mw_allocator a = fb->alloc;
  mw_free(&a, fb->stack, fb->nslots * sizeof *fb->stack);
  mw_free(&a, fb->frames, fb->nframe_cap * sizeof *fb->frames);
  mw_free(&a, fb, sizeof *fb);
}

static void swap_in(mw_fiber *fb) {
  mw_store *s = fb->store;
  fb->s_stack = s->stack;
  fb->s_stack_end = s->stack_end;
  fb->s_stack_top = s->stack_top;
  fb->s_frames = s->frames;
  fb->s_nframes = s->nframes;
  fb->s_fiber = s->fiber;
  s->stack = fb->stack;
  s->stack_end = fb->stack + fb->nslots;
  s->stack_top = fb->active ? fb->stack_top : fb->stack;
  s->frames = fb->frames;
  s->nframes = fb->active ? fb->nframes : 0;
  s->fiber = fb;
}

static void swap_out(mw_fiber *fb) {
  mw_store *s = fb->store;
  fb->nframes = s->nframes;
  fb->stack_top = s->stack_top;
  s->stack = fb->s_stack;
  s->stack_end = fb->s_stack_end;
  s->stack_top = fb->s_stack_top;
  s->frames = fb->s_frames;
  s->nframes = fb->s_nframes;
  s->fiber = fb->s_fiber;
}

/* After run() came back with `e`: record the outcome. */
static mw_fiber_status settle(mw_fiber *fb, mw_error *e, mw_error **err) {
  mw_store *s = fb->store;
  *err = NULL;
  if (e == &mwx_suspended) {
    fb->pc = s->suspend_pc;
    fb->host = s->suspend_func;
    fb->host_slots = s->suspend_slots;
    fb->caller.store = s;
    fb->caller.inst = s->suspend_inst;
    fb->caller.fiber = fb;
    swap_out(fb);
    return fb->status = MW_FIBER_HOST_CALL;
  }
  swap_out(fb);
  fb->active = false;
  fb->host = NULL;
  if (e) {
    *err = e;
    return fb->status = MW_FIBER_FAILED;
  }
  return fb->status = MW_FIBER_DONE;
}

static mw_fiber_status fail_now(mw_fiber *fb, mw_error *e, mw_error **err) {
  fb->active = false;
  fb->host = NULL;
  *err = e;
  return fb->status = MW_FIBER_FAILED;
}

mw_fiber_status mw_fiber_call(mw_fiber *fb, mw_func *f, const mw_val *args,
                              size_t nargs, mw_error **err) {
  *err = NULL;
  if (!fb || !f || fb->active) {
    /* A fiber suspended in a call keeps it: the usage error leaves it be. */
    *err = mw_errorf(MW_ERR_USAGE, fb && f ? "fiber call: the fiber is "
                                             "suspended in another call"
                                           : "fiber call: no fiber or function");
    return MW_FIBER_FAILED;
  }
  const mw_functype *t = f->type;
  if (nargs != t->nparams)
    return fail_now(fb, mw_errorf(MW_ERR_USAGE, "expected %u arguments, got %zu",
                                  (unsigned)t->nparams, nargs), err);
  for (size_t i = 0; i < nargs; i++) {
    mw_valtype want = (mw_valtype)MW_FT_PARAMS(t)[i];
    const char *why = mwt_host_value_check(t->module, want, args[i]);
    if (why)
      return fail_now(fb, mwt_host_value_error(MW_ERR_USAGE, "argument", i + 1,
                                               why, want, args[i]), err);
  }
  mw_slots_from_vals(args, (uint32_t)nargs, fb->io);
  fb->func = f;
  swap_in(fb);
  fb->active = true;
  return settle(fb, mwx_call_in(fb->store, f, fb->io), err);
}

mw_fiber_status mw_fiber_call_raw(mw_fiber *fb, mw_func *f, const mw_raw *args,
                                  mw_error **err) {
  *err = NULL;
  if (!fb || !f || fb->active) {
    *err = mw_errorf(MW_ERR_USAGE, fb && f ? "fiber call: the fiber is "
                                             "suspended in another call"
                                           : "fiber call: no fiber or function");
    return MW_FIBER_FAILED;
  }
  uint32_t n = mw_slot_count(MW_FT_PARAMS(f->type), f->type->nparams);
  if (n) memcpy(fb->io, args, n * sizeof *fb->io);
  fb->func = f;
  swap_in(fb);
  fb->active = true;
  return settle(fb, mwx_call_in(fb->store, f, fb->io), err);
}

const mw_raw *mw_fiber_results_raw(const mw_fiber *fb) {
  return fb && fb->status == MW_FIBER_DONE && fb->func ? fb->io : NULL;
}

mw_func *mw_fiber_host_func(const mw_fiber *fb) {
  return fb && fb->status == MW_FIBER_HOST_CALL ? fb->host : NULL;
}

size_t mw_fiber_host_args(const mw_fiber *fb, mw_val *out, size_t n) {
  if (!fb || fb->status != MW_FIBER_HOST_CALL) return 0;
  const mw_functype *t = fb->host->type;
  uint32_t k = n < t->nparams ? (uint32_t)n : t->nparams;
  mw_vals_from_slots(MW_FT_PARAMS(t), k, fb->host_slots, out);
  mwt_classify(t->module, MW_FT_PARAMS(t), k, out);
  return t->nparams;
}

mw_caller *mw_fiber_caller(mw_fiber *fb) {
  return fb && fb->status == MW_FIBER_HOST_CALL ? &fb->caller : NULL;
}

/* Unwind a suspended fiber with `e`, its frames in e's backtrace. */
static mw_fiber_status unwind(mw_fiber *fb, mw_error *e, mw_error **err) {
  swap_in(fb);
  mwx_add_backtrace(e, fb->store, 0);
  fb->store->nframes = 0;
  return settle(fb, e, err);
}

/* The host call's results are in place: run the fiber on from its call. */
static mw_fiber_status continue_after_host(mw_fiber *fb, mw_error **err) {
  swap_in(fb);
  mw_store *s = fb->store;
  if (s->host_depth > s->cfg.max_host_depth) {
    s->nframes = 0;
    return settle(fb, mw_errorf(MW_ERR_EXHAUSTION, "%s", MW_MSG_CALL_STACK), err);
  }
  return settle(fb, mwx_resume(s, fb->pc, fb->io), err);
}

mw_fiber_status mw_fiber_resume(mw_fiber *fb, const mw_val *results,
                                size_t nresults, mw_error **err) {
  *err = NULL;
  if (!fb || fb->status != MW_FIBER_HOST_CALL) {
    *err = mw_errorf(MW_ERR_USAGE, "fiber resume: the fiber is not suspended");
    return MW_FIBER_FAILED;
  }
  const mw_functype *t = fb->host->type;
  mw_error *bad = NULL;
  if (nresults != t->nresults)
    bad = mw_errorf(MW_ERR_HOST, "host function returned %zu results, expected %u",
                    nresults, (unsigned)t->nresults);
  for (size_t i = 0; !bad && i < nresults; i++) {
    mw_valtype want = (mw_valtype)MW_FT_RESULTS(t)[i];
    const char *why = mwt_host_value_check(t->module, want, results[i]);
    if (why)
      bad = mwt_host_value_error(MW_ERR_HOST, "host function result", i + 1,
                                 why, want, results[i]);
  }
  if (bad) return unwind(fb, bad, err);
  mw_slots_from_vals(results, (uint32_t)nresults, fb->host_slots);
  return continue_after_host(fb, err);
}

mw_raw *mw_fiber_host_raw(mw_fiber *fb) {
  return fb && fb->status == MW_FIBER_HOST_CALL ? fb->host_slots : NULL;
}

mw_fiber_status mw_fiber_resume_raw(mw_fiber *fb, mw_error **err) {
  *err = NULL;
  if (!fb || fb->status != MW_FIBER_HOST_CALL) {
    *err = mw_errorf(MW_ERR_USAGE, "fiber resume: the fiber is not suspended");
    return MW_FIBER_FAILED;
  }
  return continue_after_host(fb, err);
}

mw_fiber_status mw_fiber_fail(mw_fiber *fb, mw_error *e, mw_error **err) {
  *err = NULL;
  if (!fb || fb->status != MW_FIBER_HOST_CALL) {
    *err = e;
    return MW_FIBER_FAILED;
  }
  return unwind(fb, e, err);
}

size_t mw_fiber_results(const mw_fiber *fb, mw_val *out, size_t n) {
  if (!fb || fb->status != MW_FIBER_DONE || !fb->func) return 0;
  const mw_functype *t = fb->func->type;
  uint32_t k = n < t->nresults ? (uint32_t)n : t->nresults;
  mw_vals_from_slots(MW_FT_RESULTS(t), k, fb->io, out);
  mwt_classify(t->module, MW_FT_RESULTS(t), k, out);
  return t->nresults;
}

mw_fiber_status mw_fiber_status_of(const mw_fiber *fb) {
  return fb ? fb->status : MW_FIBER_FAILED;
}

mw_error *mw_caller_backtrace(const mw_caller *c) {
  if (!c || !c->inst) return NULL;
  mw_error *e = mw_errorf(MW_ERR_TRAP, "backtrace");
  if (e->is_static) return e;
  mw_fiber *fb = c->fiber;
  if (fb && fb->status == MW_FIBER_HOST_CALL) { /* its frames are swapped out */
    swap_in(fb);
    mwx_add_backtrace(e, fb->store, 0);
    swap_out(fb);
  } else {
    mwx_add_backtrace(e, c->store, 0);
  }
  return e;
}

/* ---------------------------------------------------------------- gc.c */

void mwx_fibers_forget(mw_store *s) {
  for (mw_fiber *fb = s->fibers; fb; fb = fb->gc_next) fb->listed = false;
  s->fibers = NULL;
}

bool mwx_fibers_each_stack(mw_store *s, mw_gc_stack_fn fn, void *ud) {
  /* The stacks swapped out by the fibers running now, innermost first:
   * each kept the one below it (swap_in). */
  for (mw_fiber *fb = s->fiber; fb; fb = fb->s_fiber)
    if (fb->s_frames && !fn(ud, fb->s_frames, fb->s_nframes, NULL)) return false;
  /* Suspended fibers: frames up to the host call they wait in. */
  for (mw_fiber *fb = s->fibers; fb; fb = fb->gc_next) {
    if (!fb->active || fb->status != MW_FIBER_HOST_CALL) continue;
    bool running = false; /* resumed: its stacks are in the store now */
    for (mw_fiber *r = s->fiber; r && !running; r = r->s_fiber) running = r == fb;
    if (running) continue;
    if (!fn(ud, fb->frames, fb->nframes, fb->pc)) return false;
  }
  return true;
}
