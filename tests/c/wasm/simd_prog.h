/*
 * simd_prog.h -- the exports of simd_prog.c: data-parallel kernels written
 * as plain C loops that compilers vectorize.  Built to wasm with and
 * without -msimd128, and natively with -DPROG_PREFIX=native_ (see prog.h),
 * so tests/c/test_simd.c and `make bench` compare the builds.
 *
 * Each kernel takes a seed and a repetition count and returns a checksum
 * of everything it computed.
 */
#ifndef SIMD_PROG_H
#define SIMD_PROG_H

#include <stdint.h>

#ifdef PROG_PREFIX
#define SIMD_CAT2(a, b) a##b
#define SIMD_CAT(a, b) SIMD_CAT2(a, b)
#define SIMD_NAME(n) SIMD_CAT(PROG_PREFIX, n)
#else
#define SIMD_NAME(n) n
#endif

uint32_t SIMD_NAME(simd_saxpy)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_dot_i16)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_sad_u8)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_blend_u8)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_max_i32)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_matvec_f32)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_lower_u8)(uint32_t seed, uint32_t reps);
uint32_t SIMD_NAME(simd_mix_i64)(uint32_t seed, uint32_t reps);

#endif
