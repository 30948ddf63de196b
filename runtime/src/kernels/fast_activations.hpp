// exp, sigmoid and tanh for the scalar kernels, built from float multiply-adds
// and an exponent made from bits, so that no step calls libm. On a Cortex-M4,
// newlib's expf and tanhf cost about 65 and 90 instructions a call, 27% of a
// GRU(1 -> 16) step (examples/firmware/profile_step.sh); inlined, these cost
// 35 to 40. Their error against the exact functions is tested over a dense
// grid, at the saturation ends and on NaN in tests/test_fast_activations.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

// Inlined into the gate loops even in builds for size, so that the constants
// below stay in registers across a loop's elements instead of being loaded
// and the calls made for each.
#if defined(__GNUC__) || defined(__clang__)
#define GRURT_ACTIVATION inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define GRURT_ACTIVATION __forceinline
#else
#define GRURT_ACTIVATION inline
#endif

namespace grurt {
namespace kernels {

// The constants of exp_unclamped, shared with its vector form (kernels_helium.cpp).
namespace exp_constants {
constexpr float kRoundingShift = 12582912.0f;  // 1.5 * 2^23
constexpr float kLog2E = 1.44269504088896341f;
// ln 2 split so that n * kLn2High is exact (15 significant bits; |n| <= 126 has 7).
constexpr float kLn2High = 0.693145751953125f;
constexpr float kLn2Low = 1.42860682030941723e-6f;
// q(r) of e^r = 1 + r + r^2 q(r), highest power first, fitted for the least
// relative error on |r| <= ln(2)/2 by scripts/fit_exp_polynomial.py (truncation 3e-9).
constexpr float kPolynomial[5] = {0.0013814591f, 0.008368718f, 0.04166839f, 0.16666521f, 0.49999994f};
constexpr std::uint32_t kOneExponentBits = 0x4B400000u;  // the bits of kRoundingShift
}  // namespace exp_constants

// tanh(x) = x (1 + x^2 p(x^2)) below |x| = 0.25: p's coefficients from the odd
// Taylor series to x^9 (the first term left out is below 2.2e-9 there),
// highest power first; shared with the vector form too.
namespace tanh_constants {
constexpr float kSeriesLimit = 0.25f;
constexpr float kSeries[4] = {62.0f / 2835.0f, -17.0f / 315.0f, 2.0f / 15.0f, -1.0f / 3.0f};
}  // namespace tanh_constants

// e^x within 1.2e-7 relative, for |x| <= 87 only (callers clamp or branch
// first); NaN gives NaN.
GRURT_ACTIVATION float exp_unclamped(float x) noexcept {
  using namespace exp_constants;
  // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer and leaves
  // n in the low mantissa bits of `shifted`.
  const float shifted = x * kLog2E + kRoundingShift;
  const float n = shifted - kRoundingShift;
  const float r = (x - n * kLn2High) - n * kLn2Low;  // |r| <= 0.347
  float q = kPolynomial[0];
#pragma GCC unroll 4
  for (int i = 1; i < 5; ++i) q = q * r + kPolynomial[i];
  const float p = (q * r) * r + r + 1.0f;
  // 2^n as an exponent field: n is in -126..126, so 2^n is a normal float.
  std::uint32_t bits = 0;
  std::memcpy(&bits, &shifted, sizeof bits);
  const std::uint32_t scale_bits = (bits - kOneExponentBits + 127u) << 23;
  float scale = 0.0f;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  return p * scale;
}

// e^x, with x taken as -87 below it and as 87 above (e^-87 = 1.6e-38 and
// e^87 = 6e37 stand in for 0 and infinity where sigmoid and softmax use them).
// NaN gives NaN: the clamping comparison is false for it.
GRURT_ACTIVATION float exp_approx(float x) noexcept {
  // One test of |x| (two instructions fewer per call than testing each end).
  if (std::fabs(x) > 87.0f) x = x > 0.0f ? 87.0f : -87.0f;
  return exp_unclamped(x);
}

// tanh(x) within 1.1e-7 absolute; exactly +-1 beyond |x| = 9.1 (where the
// exact value rounds to it), NaN gives NaN.
GRURT_ACTIVATION float tanh_approx(float x) noexcept {
  using namespace tanh_constants;
  const float a = std::fabs(x);
  if (a < kSeriesLimit) {
    const float s = x * x;
    float p = kSeries[0];
#pragma GCC unroll 3
    for (int i = 1; i < 4; ++i) p = p * s + kSeries[i];
    return x * (1.0f + s * p);  // a product, so tanh(-0) is -0
  }
  // 1 - 2 / (e^2a + 1) on |x|: the quotient stays below 0.78, where its
  // rounding costs at most 3e-8 (for x < 0 directly, it would be near 2).
  const float t = a > 9.1f ? 1.0f : 1.0f - 2.0f / (exp_unclamped(2.0f * a) + 1.0f);
  return x < 0.0f ? -t : t;
}

// 1 / (1 + e^-x) within 1.1e-7 absolute; 1 for x >= 87, 1.6e-38 for x <= -87.
GRURT_ACTIVATION float sigmoid_approx(float x) noexcept { return 1.0f / (1.0f + exp_approx(-x)); }

}  // namespace kernels
}  // namespace grurt
