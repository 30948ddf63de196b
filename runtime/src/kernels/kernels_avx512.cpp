// AVX-512F instantiation of kernels_simd.hpp; compiled with -mavx512f.
#if !defined(__AVX512F__)
#error "kernels_avx512.cpp must be compiled with -mavx512f"
#endif
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
extern const KernelTable kAvx512Kernels = SimdKernels<xsimd::avx512f>::table(Isa::kAvx512);
}
}  // namespace grurt
