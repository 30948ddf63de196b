// IEEE 754 binary16 ("half": the schema's F16 weights, and f16 tensors the
// converter reads) widened to float by its bits: exact for every half
// (subnormals, infinities and NaN included), portable to cores without a
// half-precision unit. The SIMD kernels use the CPU's own conversion (F16C,
// NEON vcvt), which gives the same floats.
#pragma once

#include <cstdint>
#include <cstring>

namespace grurt {

inline float half_to_float(std::uint16_t half) noexcept {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
  std::uint32_t exponent = (half >> 10) & 0x1fu;
  std::uint32_t mantissa = half & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1fu) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // infinity, or NaN with its payload
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);  // rebias 15 -> 127
  } else if (mantissa == 0) {
    bits = sign;  // +-0
  } else {
    // A subnormal half is mantissa * 2^-24: normalise it for float.
    exponent = 113u;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Whether a half is finite (its exponent is not all ones).
inline bool half_is_finite(std::uint16_t half) noexcept { return (half & 0x7c00u) != 0x7c00u; }

}  // namespace grurt
