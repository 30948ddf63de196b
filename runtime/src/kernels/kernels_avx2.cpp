// AVX2 + FMA instantiation of kernels_simd.hpp; compiled with -mavx2 -mfma -mf16c.
#include "kernels_avx2.hpp"

namespace grurt {
namespace kernels {
namespace {
template <>
struct Int8Dot<Avx2> : Int8Avx2Dot<false> {};  // vpmaddubsw + vpmaddwd
}  // namespace
extern const KernelTable kAvx2Kernels = SimdKernels<Avx2>::table(Isa::kAvx2);
}  // namespace kernels
}  // namespace grurt
