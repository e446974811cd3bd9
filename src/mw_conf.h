/*
 * mw_conf.h -- limits and defaults, each overridable with -D at build time.
 */
#ifndef MW_CONF_H
#define MW_CONF_H

/* Implementation limits the spec allows us to choose (section 7.4 of the
 * spec's appendix, "Implementation Limitations"). */
#ifndef MW_MAX_LOCALS
#define MW_MAX_LOCALS 50000u         /* per function, params included */
#endif
#ifndef MW_MAX_PAGES
#define MW_MAX_PAGES 65536u          /* 4 GiB, the Wasm 32-bit ceiling */
#endif
#ifndef MW_MAX_TABLE_SIZE
#define MW_MAX_TABLE_SIZE 10000000u  /* elements */
#endif
#ifndef MW_MAX_FUNC_VALUES
#define MW_MAX_FUNC_VALUES 1000u     /* params or results per function type */
#endif
#ifndef MW_MAX_SUBTYPE_DEPTH
#define MW_MAX_SUBTYPE_DEPTH 63u     /* declared supertypes above a type (spec) */
#endif
#ifndef MW_MAX_TYPES
#define MW_MAX_TYPES 1000000u        /* defined types in one module */
#endif
#ifndef MW_MAX_BLOCK_DEPTH
#define MW_MAX_BLOCK_DEPTH 100000u   /* nested blocks in one function */
#endif
#ifndef MW_MAX_STACK_HEIGHT
#define MW_MAX_STACK_HEIGHT 100000u  /* operand stack values in one function */
#endif
/* Compiled code per function, in words: this many per byte of the body,
 * plus a constant.  Normal code needs a few words per byte; the bound stops
 * a small hostile body from asking for gigabytes. */
#ifndef MW_CODE_WORDS_PER_BYTE
#define MW_CODE_WORDS_PER_BYTE 64u
#endif

/* Defaults for mw_config. */
#ifndef MW_DEFAULT_MAX_PAGES
#define MW_DEFAULT_MAX_PAGES 65536u
#endif
#ifndef MW_DEFAULT_CALL_DEPTH
#define MW_DEFAULT_CALL_DEPTH 10000u
#endif
#ifndef MW_DEFAULT_HOST_DEPTH
#define MW_DEFAULT_HOST_DEPTH 150u   /* below Lua's own C-call limit of 200 */
#endif
#ifndef MW_DEFAULT_STACK_SLOTS
#define MW_DEFAULT_STACK_SLOTS (1u << 20)  /* 8 MiB of 8-byte slots */
#endif

#define MW_PAGE_SIZE 65536u

/* hostctl.c: with a deadline set, the clock is read every this many polls
 * (back edges and calls), a few microseconds of a tight loop. */
#ifndef MW_PROFILE_POLL_EVERY
#define MW_PROFILE_POLL_EVERY 64u   /* profile.c: polls between samples */
#endif
#ifndef MW_DEADLINE_POLL_EVERY
#define MW_DEADLINE_POLL_EVERY 1024u
#endif

/* WASI (wasi*.c). */
#ifndef MW_WASI_MAX_FDS
#define MW_WASI_MAX_FDS 4096u      /* guest fds open at once: EMFILE past it */
#endif
#ifndef MW_WASI_MAX_DEPTH
#define MW_WASI_MAX_DEPTH 128u     /* directories deep below a preopen */
#endif
#ifndef MW_WASI_MAX_SYMLINKS
#define MW_WASI_MAX_SYMLINKS 32u   /* expansions in one path: ELOOP past it */
#endif
#ifndef MW_WASI_PATH_MAX
#define MW_WASI_PATH_MAX 4096u     /* longest path or symlink target, bytes */
#endif

/* Threaded dispatch needs GCC/Clang's labels-as-values; define
 * MW_USE_SWITCH=1 to force the portable switch. */
#ifndef MW_USE_SWITCH
#if defined(__GNUC__) || defined(__clang__)
#define MW_USE_SWITCH 0
#else
#define MW_USE_SWITCH 1
#endif
#endif

/* Linear memories reserve address space and commit pages as they grow
 * (vmem.c, mmap/mprotect); MW_VMEM=0 allocates them with the allocator. */
#ifndef MW_VMEM
#if defined(__unix__) || defined(__APPLE__)
#define MW_VMEM 1
#else
#define MW_VMEM 0
#endif
#endif

#endif
