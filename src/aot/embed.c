/*
 * embed.c -- the prelude of every generated C file: aot_abi.h, the
 * runtime's numeric.h and aot_ops.h, embedded byte for byte with .incbin so
 * the generated code and the interpreter share one definition of each
 * numeric operation.  A second prelude, for modules using SIMD, pastes the
 * runtime's simd.h and exec_simd.h between two copies of aot_simd.h.  The paths are relative to the directory the compiler
 * runs in (the repository root; MW_AOT_SRCDIR overrides).  The Makefile
 * rebuilds this file when they change.
 */
#include <stddef.h>

#include "aot.h"

#ifndef MW_AOT_SRCDIR
#define MW_AOT_SRCDIR "src"
#endif

#if defined(__APPLE__)
#define MW_SYM(name) "_" #name
#define MW_RODATA ".const"
#define MW_HIDDEN ".private_extern "
#else
#define MW_SYM(name) #name
#define MW_RODATA ".section .rodata"
#define MW_HIDDEN ".hidden "
#endif

__asm__(MW_RODATA "\n"
        ".globl " MW_SYM(mw_aot_prelude) "\n"
        MW_HIDDEN MW_SYM(mw_aot_prelude) "\n"
        ".globl " MW_SYM(mw_aot_prelude_end) "\n"
        MW_HIDDEN MW_SYM(mw_aot_prelude_end) "\n"
        MW_SYM(mw_aot_prelude) ":\n"
        ".incbin \"" MW_AOT_SRCDIR "/aot/aot_abi.h\"\n"
        ".incbin \"" MW_AOT_SRCDIR "/runtime/numeric.h\"\n"
        ".incbin \"" MW_AOT_SRCDIR "/aot/aot_ops.h\"\n"
        MW_SYM(mw_aot_prelude_end) ":\n"
        ".byte 0\n"
        ".globl " MW_SYM(mw_aot_prelude_simd) "\n"
        MW_HIDDEN MW_SYM(mw_aot_prelude_simd) "\n"
        ".globl " MW_SYM(mw_aot_prelude_simd_end) "\n"
        MW_HIDDEN MW_SYM(mw_aot_prelude_simd_end) "\n"
        MW_SYM(mw_aot_prelude_simd) ":\n"
        ".incbin \"" MW_AOT_SRCDIR "/aot/aot_simd.h\"\n"
        ".incbin \"" MW_AOT_SRCDIR "/runtime/simd.h\"\n"
        ".incbin \"" MW_AOT_SRCDIR "/runtime/exec_simd.h\"\n"
        ".incbin \"" MW_AOT_SRCDIR "/aot/aot_simd.h\"\n"
        MW_SYM(mw_aot_prelude_simd_end) ":\n"
        ".byte 0\n"
        ".text\n");

extern const char mw_aot_prelude_end[];
extern const char mw_aot_prelude_simd_end[];

size_t mw_aot_prelude_size(void) {
  return (size_t)(mw_aot_prelude_end - mw_aot_prelude);
}

size_t mw_aot_prelude_simd_size(void) {
  return (size_t)(mw_aot_prelude_simd_end - mw_aot_prelude_simd);
}
