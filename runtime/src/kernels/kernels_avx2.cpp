// AVX2 + FMA instantiation of kernels_simd.hpp; compiled with -mavx2 -mfma
// -mf16c (every AVX2 CPU has F16C; the ISA check requires it too).
#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "kernels_avx2.cpp must be compiled with -mavx2 -mfma -mf16c"
#endif
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
extern const KernelTable kAvx2Kernels = SimdKernels<Avx2>::table(Isa::kAvx2);
}  // namespace kernels
}  // namespace grurt
