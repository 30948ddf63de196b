// NEON instantiation of kernels_simd.hpp: AArch64, or ARMv7 built with -mfpu=neon-vfpv4.
#include "kernels_neon.hpp"

namespace grurt {
namespace kernels {
namespace {
template <>
struct Int8Dot<Neon> : Int8NeonDot {};  // vmull_s8 + vpadalq_s16
}  // namespace
extern const KernelTable kNeonKernels = SimdKernels<Neon>::table(Isa::kNeon);
}  // namespace kernels
}  // namespace grurt
