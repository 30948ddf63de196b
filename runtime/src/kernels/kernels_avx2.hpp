// What the AVX2 kernel files share (kernels_avx2.cpp, kernels_avx_vnni.cpp):
// the architecture and its f16 load (F16C, which every AVX2 CPU has; the ISA
// check requires it). Each file then names its int8 dot products and table.
#pragma once
#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "AVX2 kernel files must be compiled with -mavx2 -mfma -mf16c"
#endif
#include "int8_x86.hpp"
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
namespace {
using Avx2 = xsimd::fma3<xsimd::avx2>;
template <>
struct HalfLoad<Avx2> {
  static xsimd::batch<float, Avx2> load(const Half* w) {
    return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(w)));
  }
};
}  // namespace
}  // namespace kernels
}  // namespace grurt
