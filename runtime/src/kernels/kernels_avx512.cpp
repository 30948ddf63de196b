// AVX-512F instantiation of kernels_simd.hpp; compiled with -mavx512f.
#include "kernels_avx512.hpp"

namespace grurt {
namespace kernels {
namespace {
// AVX-512F has no byte multiplies (those are AVX-512BW/VNNI): int8 runs the
// AVX2 products, which every AVX-512 CPU has.
template <>
struct Int8Dot<xsimd::avx512f> : Int8Avx2Dot<false> {};
}  // namespace
extern const KernelTable kAvx512Kernels = SimdKernels<xsimd::avx512f>::table(Isa::kAvx512);
}  // namespace kernels
}  // namespace grurt
