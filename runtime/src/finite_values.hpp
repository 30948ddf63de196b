// Finding NaN and infinity by their bits: exact whatever the compiler's
// floating-point flags (-ffast-math lets std::isfinite fold to true).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace grurt::detail {

inline std::uint32_t float_bits(float value) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

inline bool is_finite(float value) noexcept {
  return (float_bits(value) & 0x7f800000u) != 0x7f800000u;  // exponent all ones: inf or NaN
}

// Index of the first NaN or infinity in values[0, count), or count if none.
inline std::size_t first_non_finite(const float* values, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_finite(values[i])) return i;
  }
  return count;
}

// "NaN", "inf" or "-inf" for a non-finite value, for messages.
inline const char* non_finite_name(float value) noexcept {
  const std::uint32_t bits = float_bits(value);
  if ((bits & 0x007fffffu) != 0) return "NaN";  // a mantissa: NaN; none: infinity
  return (bits & 0x80000000u) != 0 ? "-inf" : "inf";
}

}  // namespace grurt::detail
