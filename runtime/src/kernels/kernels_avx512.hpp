// What the AVX-512 kernel files share (kernels_avx512.cpp,
// kernels_avx512_vnni.cpp): the f16 load. Each file then names its int8 dot
// products and table.
#pragma once
#if !defined(__AVX512F__)
#error "AVX-512 kernel files must be compiled with -mavx512f"
#endif
#include "int8_x86.hpp"
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
namespace {
template <>
struct HalfLoad<xsimd::avx512f> {
  static xsimd::batch<float, xsimd::avx512f> load(const Half* w) {
    return _mm512_cvtph_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(w)));
  }
};
}  // namespace
}  // namespace kernels
}  // namespace grurt
