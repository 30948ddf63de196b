// AArch64 NEON kernels with the ARMv8.2 dot product extension's sdot for
// int8 weights (Cortex-A55/A75 and later); compiled with
// -march=armv8.2-a+dotprod. Everything but the int8 products is the NEON table.
#if !defined(__ARM_FEATURE_DOTPROD) || !defined(__aarch64__)
#error "kernels_neon_dotprod.cpp must be compiled for AArch64 with -march=armv8.2-a+dotprod"
#endif
#include "kernels_neon.hpp"

namespace grurt {
namespace kernels {
namespace {
template <>
struct Int8Dot<Neon> : Int8NeonDotprodDot {};  // sdot
}  // namespace
extern const KernelTable kNeonDotprodKernels = SimdKernels<Neon>::table(Isa::kNeonDotprod);
}  // namespace kernels
}  // namespace grurt
