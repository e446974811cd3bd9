/*
 * aot_rt.c -- native code at run time: binding an instance to its loaded
 * artifact, entering native code, and the services native code calls
 * (mw_aot_rt).
 *
 * Traps.  Native code cannot return an error from any depth, so a trap
 * longjmps to the innermost mw_aot_enter.  Only native AOT frames lie in
 * between: every path from native code into the runtime (an import, a
 * function left to the interpreter, a host function) goes through
 * mwx_call_from, which returns its error normally, and a nested native entry
 * sets its own jump buffer.  The interpreter never has a longjmp pass over it.
 *
 * Stack.  Native calls may use a budget of C stack below the outermost
 * native entry (MW_AOT_STACK_BYTES, less for a small max_call_depth);
 * every native function checks it on entry, so running out is the trap
 * "call stack exhausted", never a C stack overflow.
 */
#include <setjmp.h>
#include <stdlib.h>

#include "aot.h"

/* C stack native frames may use below the outermost native entry: at most
 * MW_AOT_STACK_BYTES, and MW_AOT_FRAME_BYTES per call of the store's
 * max_call_depth (the default 10000 calls: 3.8 MiB).  The default thread
 * stack on Linux is 8 MiB; a host embedding moonwasm on a smaller stack
 * should keep the call depth limit low. */
#define MW_AOT_STACK_BYTES ((uintptr_t)4 << 20)
#define MW_AOT_FRAME_BYTES ((uintptr_t)400)

_Static_assert(sizeof(mw_aot_slot) == sizeof(mw_slot), "mw_aot_slot layout");
_Static_assert(offsetof(mw_global, value) == 0, "mw_global.value first");

static const char *const trap_messages[MW_AOT_TRAP__COUNT] = {
  [MW_AOT_TRAP_UNREACHABLE] = MW_MSG_UNREACHABLE,
  [MW_AOT_TRAP_OOB_MEMORY] = MW_MSG_OOB_MEMORY,
  [MW_AOT_TRAP_OOB_TABLE] = MW_MSG_OOB_TABLE,
  [MW_AOT_TRAP_DIV_ZERO] = MW_MSG_DIV_ZERO,
  [MW_AOT_TRAP_INT_OVERFLOW] = MW_MSG_INT_OVERFLOW,
  [MW_AOT_TRAP_INVALID_CONVERSION] = MW_MSG_INVALID_CONVERSION,
  [MW_AOT_TRAP_CALL_STACK] = MW_MSG_CALL_STACK,
  [MW_AOT_TRAP_INDIRECT_MISMATCH] = MW_MSG_INDIRECT_MISMATCH,
};

static mw_instance *inst_of(mw_aot_ctx *c) { return (mw_instance *)c->inst; }

/* ---------------------------------------------------------------- guard pages
 *
 * Artifacts compiled with MW_AOT_F_GUARD access memory 0 without explicit
 * bounds checks: the memory is a reservation of MWVM_GUARDED_BYTES whose
 * pages past its size are inaccessible (vmem.h), so an access out of
 * bounds faults.  The fault handler turns a fault inside the reservation
 * of the memory of the native code running on this thread (guard_ctx, set
 * by mw_aot_enter, cleared while native code calls out of itself) into
 * the trap: it longjmps to that entry, which raises "out of bounds memory
 * access" with the backtrace up to the innermost native function (the
 * ctx's cur_fr).  Any other fault goes to the handler that was installed
 * before (or the default action: the process dies as it would have). */
#if MW_AOT_CAN_GUARD
#include <signal.h>

static _Thread_local mw_aot_ctx *guard_ctx;
static struct sigaction guard_old_segv, guard_old_bus;

static void guard_fault(int sig, siginfo_t *si, void *uc) {
  mw_aot_ctx *c = guard_ctx;
  uintptr_t a = (uintptr_t)si->si_addr;
  if (c && a >= c->guard_lo && a < c->guard_hi && c->st->jmp) {
    guard_ctx = NULL; /* mw_aot_enter restores its caller's */
    longjmp(*(jmp_buf *)c->st->jmp, 2);
  }
  const struct sigaction *old = sig == SIGSEGV ? &guard_old_segv : &guard_old_bus;
  if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
    old->sa_sigaction(sig, si, uc);
  } else if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler != SIG_DFL &&
             old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
  } else {
    /* the default action: returning re-runs the access, which now kills */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
  }
}

/* Install the handler once per process (before any guarded code runs). */
static void guard_install(void) {
  static int state; /* 0 not yet, 1 being installed, 2 done */
  int expect = 0;
  if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == 2) return;
  if (__atomic_compare_exchange_n(&state, &expect, 1, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = guard_fault;
    /* SA_NODEFER: the handler longjmps out, and the signal must not stay
     * blocked after it */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &guard_old_segv);
    sigaction(SIGBUS, &sa, &guard_old_bus);
    __atomic_store_n(&state, 2, __ATOMIC_RELEASE);
    return;
  }
  while (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != 2) {
  }
}

static void guard_out(void) { guard_ctx = NULL; }
static void guard_in(mw_aot_ctx *c) { guard_ctx = c; }
#else
static void guard_out(void) {}
static void guard_in(mw_aot_ctx *c) { (void)c; }
#endif

/* Leave native code with `e`.  A trap raised here shows the frames from
 * the enclosing run's entry up (native frames are on the store's frame
 * stack, see ENTER), as the interpreter's traps do. */
MW_AOT_NORETURN static void throw_error(mw_aot_ctx *c, mw_error *e) {
  if (e->kind != MW_ERR_HOST) mwx_add_backtrace(e, inst_of(c)->store, c->st->first);
  c->st->err = e;
  longjmp(*(jmp_buf *)c->st->jmp, 1);
}

MW_AOT_NORETURN static void rt_trap(mw_aot_ctx *c, int code) {
  const char *msg = code >= 0 && code < MW_AOT_TRAP__COUNT ? trap_messages[code]
                                                           : MW_MSG_BAD_CODE;
  mw_error_kind kind = code == MW_AOT_TRAP_CALL_STACK ? MW_ERR_EXHAUSTION : MW_ERR_TRAP;
  throw_error(c, mw_errorf(kind, "%s", msg));
}

MW_AOT_NORETURN static void trap_at(mw_aot_ctx *c, const char *msg, uint32_t i) {
  throw_error(c, mw_errorf(MW_ERR_TRAP, "%s %u", msg, (unsigned)i));
}

/* A call out of native code.  Its error gets the backtrace the
 * interpreter would have given it: a host's error, none yet, shows every
 * frame (as call_host_from_wasm does); a trap in wasm code run from here (a
 * nested run or native entry, which showed only its own frames) gets this
 * run's frames appended. */
static void call_func(mw_aot_ctx *c, mw_func *f, mw_aot_slot *slots) {
  mw_instance *inst = inst_of(c);
  mw_store *s = inst->store;
  guard_out();
  mw_error *err = mwx_call_from(s, inst, f, (mw_slot *)slots);
  guard_in(c);
  if (!err) return;
  if (f->host)
    mwx_add_backtrace(err, s, 0);
  else if (err->kind != MW_ERR_HOST)
    mwx_extend_backtrace(err, s, c->st->first);
  c->st->err = err;
  longjmp(*(jmp_buf *)c->st->jmp, 1);
}

static void rt_call(mw_aot_ctx *c, uint32_t funcidx, mw_aot_slot *slots) {
  call_func(c, inst_of(c)->funcs[funcidx], slots);
}

static void rt_call_indirect(mw_aot_ctx *c, uint32_t typeidx, uint32_t tableidx,
                             uint32_t i, mw_aot_slot *slots) {
  mw_instance *inst = inst_of(c);
  const mw_table *t = inst->tables[tableidx];
  if (i >= t->size) trap_at(c, MW_MSG_UNDEFINED_ELEMENT, i);
  mw_func *f = (mw_func *)t->elems[i].ref;
  if (!f) trap_at(c, MW_MSG_UNINITIALIZED_ELEMENT, i);
  const mw_functype *want = inst->module->types[typeidx];
  if (f->type != want && !mw_deftype_sub(f->type, want))
    rt_trap(c, MW_AOT_TRAP_INDIRECT_MISMATCH);
  call_func(c, f, slots);
}

static uint32_t rt_memory_grow(mw_aot_ctx *c, uint32_t delta) {
  return (uint32_t)mw_memory_grow_internal(inst_of(c)->mem0, delta);
}

static void rt_memory_init(mw_aot_ctx *c, uint32_t seg, uint32_t d, uint32_t src,
                           uint32_t n) {
  mw_instance *inst = inst_of(c);
  const mw_data *ds = &inst->module->datas[seg];
  uint64_t seglen = inst->data_dropped[seg] ? 0 : ds->len;
  mw_memory *m = inst->mem0;
  if ((uint64_t)src + n > seglen || (uint64_t)d + n > m->size)
    rt_trap(c, MW_AOT_TRAP_OOB_MEMORY);
  if (n) memcpy(m->data + d, ds->bytes + src, n);
}

static void rt_data_drop(mw_aot_ctx *c, uint32_t seg) {
  inst_of(c)->data_dropped[seg] = true;
}

static void rt_memory_copy(mw_aot_ctx *c, uint32_t d, uint32_t src, uint32_t n) {
  mw_memory *m = inst_of(c)->mem0;
  if ((uint64_t)src + n > m->size || (uint64_t)d + n > m->size)
    rt_trap(c, MW_AOT_TRAP_OOB_MEMORY);
  if (n) memmove(m->data + d, m->data + src, n);
}

static void rt_memory_fill(mw_aot_ctx *c, uint32_t d, uint32_t v, uint32_t n) {
  mw_memory *m = inst_of(c)->mem0;
  if ((uint64_t)d + n > m->size) rt_trap(c, MW_AOT_TRAP_OOB_MEMORY);
  if (n) memset(m->data + d, (int)(v & 0xFFu), n);
}

static void rt_table_init(mw_aot_ctx *c, uint32_t tableidx, uint32_t seg,
                          uint32_t d, uint32_t src, uint32_t n) {
  mw_instance *inst = inst_of(c);
  mw_table *t = inst->tables[tableidx];
  const mw_elem_inst *ei = &inst->elems[seg];
  if ((uint64_t)src + n > ei->count || (uint64_t)d + n > t->size)
    rt_trap(c, MW_AOT_TRAP_OOB_TABLE);
  if (n) memcpy(t->elems + d, ei->refs + src, n * sizeof *t->elems);
}

static void rt_elem_drop(mw_aot_ctx *c, uint32_t seg) {
  inst_of(c)->elems[seg].count = 0; /* as the interpreter does */
}

static void rt_table_copy(mw_aot_ctx *c, uint32_t dst, uint32_t src, uint32_t d,
                          uint32_t s, uint32_t n) {
  mw_instance *inst = inst_of(c);
  mw_table *dt = inst->tables[dst], *st = inst->tables[src];
  if ((uint64_t)s + n > st->size || (uint64_t)d + n > dt->size)
    rt_trap(c, MW_AOT_TRAP_OOB_TABLE);
  if (n) memmove(dt->elems + d, st->elems + s, n * sizeof *dt->elems);
}

static uint32_t rt_table_grow(mw_aot_ctx *c, uint32_t tableidx, void *init,
                              uint32_t n) {
  mw_slot v;
  v.u64 = 0;
  v.ref = init;
  return (uint32_t)mw_table_grow_internal(inst_of(c)->tables[tableidx], n, v);
}

static void rt_table_fill(mw_aot_ctx *c, uint32_t tableidx, uint32_t i, void *v,
                          uint32_t n) {
  mw_table *t = inst_of(c)->tables[tableidx];
  if ((uint64_t)i + n > t->size) rt_trap(c, MW_AOT_TRAP_OOB_TABLE);
  for (uint32_t k = 0; k < n; k++) {
    t->elems[i + k].u64 = 0;
    t->elems[i + k].ref = v;
  }
}

static int rt_type_is(mw_aot_ctx *c, void *fp, uint32_t typeidx) {
  const mw_func *f = fp;
  const mw_functype *want = inst_of(c)->module->types[typeidx];
  return f->type == want || mw_deftype_sub(f->type, want);
}

static void rt_poll(mw_aot_ctx *c) {
  mw_error_kind kind = MW_ERR_TRAP;
  const char *msg = mwx_poll(inst_of(c)->store, false, &kind);
  if (msg) throw_error(c, mw_errorf(kind, "%s", msg));
}

static const mw_aot_rt rt_table = {
  rt_trap,        rt_call,        rt_call_indirect, rt_memory_grow,
  rt_memory_init, rt_data_drop,   rt_memory_copy,   rt_memory_fill,
  rt_table_init,  rt_elem_drop,   rt_table_copy,    rt_table_grow,
  rt_table_fill,  rt_type_is,     rt_poll,
};

/* ---------------------------------------------------------------- binding */

mw_error *mw_aot_bind(mw_store *s, mw_instance *inst) {
  const mw_module *m = inst->module;
  const struct mw_aot_lib *lib = m->aot;
  /* Statistics and cost limits count in the interpreter's METER
   * instructions: a metered module runs there. */
  if (!lib || m->metered) return NULL;
  /* Guard-page code needs memory 0's guard region: without it (the
   * address space was refused) the instance runs in the interpreter. */
  bool guard = (lib->art->flags & MW_AOT_F_GUARD) != 0;
  if (guard && (!MW_AOT_CAN_GUARD || !inst->mem0 ||
                inst->mem0->reserved < MWVM_GUARDED_BYTES))
    return NULL;
  size_t size = sizeof(mw_aot_ctx) + (size_t)m->nglobals * sizeof(mw_aot_slot *) +
                (size_t)m->ntables * sizeof(mw_aot_table);
  mw_aot_ctx *c = mw_calloc(&s->alloc, 1, size);
  if (!c) return mw_error_oom();
  c->rt = &rt_table;
  c->st = &s->aot;
  if (inst->mem0) {
    c->mem = &inst->mem0->data;
    c->memsize = &inst->mem0->size;
  }
#if MW_AOT_CAN_GUARD
  if (guard) {
    guard_install();
    c->guard_lo = (uintptr_t)inst->mem0->data; /* a reservation never moves */
    c->guard_hi = c->guard_lo + inst->mem0->reserved;
  }
#endif
  c->g = (mw_aot_slot **)(c + 1);
  c->tab = (mw_aot_table *)(c->g + m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++)
    c->g[i] = (mw_aot_slot *)&inst->globals[i]->value;
  for (uint32_t i = 0; i < m->ntables; i++) {
    c->tab[i].elems = (mw_aot_slot **)&inst->tables[i]->elems;
    c->tab[i].size = &inst->tables[i]->size;
  }
  c->funcs = (void **)inst->funcs;
  c->own = (char *)inst->own_funcs;
  c->inst = inst;
  c->poll = (const volatile uint32_t *)&s->poll;
  c->frames = (char *const *)&s->frames;
  c->nframes = &s->nframes;
  inst->aot = c;
  uint32_t ndef = m->nfuncs - m->nfunc_imports;
  for (uint32_t d = 0; d < ndef; d++) {
    if (!lib->art->wraps[d]) continue; /* left to the interpreter */
    inst->own_funcs[d].aot_wrap = lib->art->wraps[d];
    inst->own_funcs[d].aot_ctx = c;
  }
  return NULL;
}

void mw_aot_unbind(mw_instance *inst) {
  if (!inst->aot) return;
  const mw_module *m = inst->module;
  size_t size = sizeof(mw_aot_ctx) + (size_t)m->nglobals * sizeof(mw_aot_slot *) +
                (size_t)m->ntables * sizeof(mw_aot_table);
  mw_free(&inst->store->alloc, inst->aot, size);
  inst->aot = NULL;
}

/* ---------------------------------------------------------------- entry */

mw_error *mw_aot_enter(mw_store *s, mw_func *f, mw_slot *args, uint32_t first) {
  mw_aot_state *st = &s->aot;
  mw_aot_ctx *ctx = (mw_aot_ctx *)f->aot_ctx;
  void *saved_jmp = st->jmp;
  uint32_t saved_first = st->first, saved_nframes = s->nframes;
  uintptr_t saved_limit = st->stack_limit, saved_ctx_limit = ctx->stack_limit;
  char *saved_frames_end = ctx->frames_end, *saved_cur = ctx->cur_fr;
#if MW_AOT_CAN_GUARD
  mw_aot_ctx *saved_guard = guard_ctx;
#endif
  jmp_buf jb;
  if (!saved_jmp) {
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t budget = (uintptr_t)s->cfg.max_call_depth * MW_AOT_FRAME_BYTES;
    if (budget > MW_AOT_STACK_BYTES) budget = MW_AOT_STACK_BYTES;
    st->stack_limit = here > budget ? here - budget : 0;
  }
  ctx->stack_limit = st->stack_limit;
  /* the frame stack in use (a fiber's, perhaps) ends at max_call_depth */
  ctx->frames_end = (char *)(s->frames + s->cfg.max_call_depth);
  st->jmp = &jb;
  st->first = first;
  /* Native frames live on the C stack: a fiber cannot suspend through them
   * (host functions called from here see mw_caller_can_suspend false). */
  struct mw_fiber *fiber = s->fiber;
  s->fiber = NULL;
  mw_error *err = NULL;
  guard_in(ctx);
  switch (setjmp(jb)) {
  case 0:
    f->aot_wrap(ctx, (mw_aot_slot *)args);
    break;
  case 2: /* a fault in memory 0's guard region (guard_fault) */
    s->nframes = (uint32_t)((size_t)(ctx->cur_fr - (char *)s->frames) / sizeof(mw_frame)) + 1u;
    err = mw_errorf(MW_ERR_TRAP, "%s", MW_MSG_OOB_MEMORY);
    mwx_add_backtrace(err, s, first);
    break;
  default:
    err = st->err;
    break;
  }
#if MW_AOT_CAN_GUARD
  guard_ctx = saved_guard;
#endif
  ctx->cur_fr = saved_cur;
  s->nframes = saved_nframes; /* native code leaves it as its last SYNC() */
  s->fiber = fiber;
  st->jmp = saved_jmp;
  st->first = saved_first;
  st->stack_limit = saved_limit;
  ctx->stack_limit = saved_ctx_limit;
  ctx->frames_end = saved_frames_end;
  st->err = NULL;
  return err;
}
