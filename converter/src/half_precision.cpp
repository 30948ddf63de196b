#include "grurt_convert/half_precision.hpp"

#include <cmath>
#include <cstring>

namespace grurt::convert {

std::uint16_t float_to_half(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u);  // NaN (quiet)
  if (std::fabs(value) >= kHalfRoundsToInfinity) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (magnitude < 0x38800000u) {
    // Below 2^-14, the smallest normal half: a multiple of 2^-24. The product
    // is exact in double and nearbyint rounds ties to even (the default
    // rounding mode); 1024 * 2^-24 carries into the smallest normal, 0x0400.
    const double units = std::nearbyint(static_cast<double>(std::fabs(value)) * 16777216.0);
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(units));
  }
  // Normal: rebias the exponent (127 -> 15), keep 10 of 23 mantissa bits and
  // round on the 13 dropped, ties to even; a carry moves into the exponent.
  std::uint32_t half = ((magnitude >> 23) - 112u) << 10 | ((magnitude >> 13) & 0x3ffu);
  const std::uint32_t dropped = magnitude & 0x1fffu;
  if (dropped > 0x1000u || (dropped == 0x1000u && (half & 1u) != 0)) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

}  // namespace grurt::convert
