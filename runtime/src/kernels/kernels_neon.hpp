// What the NEON kernel files share (kernels_neon.cpp, kernels_neon_dotprod.cpp):
// the architecture and its f16 load. Each file then names its int8 dot
// products and table.
#pragma once
#if !defined(__ARM_NEON) && !defined(__ARM_NEON__)
#error "NEON kernel files must be compiled for a NEON target"
#endif
#include "grurt/half_float.hpp"
#include "int8_neon.hpp"
#include "kernels_simd.hpp"

namespace grurt {
namespace kernels {
namespace {
#if defined(__aarch64__)
using Neon = xsimd::neon64;
#else
using Neon = xsimd::neon;
#endif
template <>
struct HalfLoad<Neon> {
  static xsimd::batch<float, Neon> load(const Half* w) {
#if defined(__aarch64__) || defined(__ARM_FP16_FORMAT_IEEE)
    // AArch64, and ARMv7 built with -mfp16-format=ieee: vcvt.f32.f16.
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(w)));
#else
    // ARMv7 without GCC's half type (arm_neon.h then lacks vcvt_f32_f16,
    // although VFPv4 has the instruction): widen by the bits.
    alignas(16) float wide[4] = {half_to_float(w[0]), half_to_float(w[1]), half_to_float(w[2]), half_to_float(w[3])};
    return xsimd::batch<float, Neon>::load_aligned(wide);
#endif
  }
};
}  // namespace
}  // namespace kernels
}  // namespace grurt
