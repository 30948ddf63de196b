// AVX2 + FMA instantiation of kernels_simd.hpp; compiled with -mavx2 -mfma.
#if !defined(__AVX2__) || !defined(__FMA__)
#error "kernels_avx2.cpp must be compiled with -mavx2 -mfma"
#endif
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
extern const KernelTable kAvx2Kernels = SimdKernels<xsimd::fma3<xsimd::avx2>>::table(Isa::kAvx2);
}
}  // namespace grurt
