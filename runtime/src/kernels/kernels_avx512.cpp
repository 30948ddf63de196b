// AVX-512F instantiation of kernels_simd.hpp; compiled with -mavx512f.
#if !defined(__AVX512F__)
#error "kernels_avx512.cpp must be compiled with -mavx512f"
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
// AVX-512F has no byte multiplies (those are AVX-512BW/VNNI): int8 runs the
// AVX2 products, which every AVX-512 CPU has.
template <>
struct Int8Dot<xsimd::avx512f> : Int8Avx2Dot<false> {};
}  // namespace
extern const KernelTable kAvx512Kernels = SimdKernels<xsimd::avx512f>::table(Isa::kAvx512);
}  // namespace kernels
}  // namespace grurt
