// NEON instantiation of kernels_simd.hpp: AArch64, or ARMv7 built with -mfpu=neon-vfpv4.
#if !defined(__ARM_NEON) && !defined(__ARM_NEON__)
#error "kernels_neon.cpp must be compiled for a NEON target"
#endif
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
#if defined(__aarch64__)
extern const KernelTable kNeonKernels = SimdKernels<xsimd::neon64>::table(Isa::kNeon);
#else
extern const KernelTable kNeonKernels = SimdKernels<xsimd::neon>::table(Isa::kNeon);
#endif
}  // namespace kernels
}  // namespace grurt
