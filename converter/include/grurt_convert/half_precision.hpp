// Rounding float weights to IEEE 754 binary16 (the schema's F16) for
// grurt-convert --weights f16.
#pragma once

#include <cstdint>

namespace grurt::convert {

// The largest magnitude that rounds to a finite half: 65520 and above round
// to infinity (65504 is the largest half).
constexpr float kHalfRoundsToInfinity = 65520.0f;

// `value` rounded to the nearest half, ties to even (as numpy's astype(float16)
// and F16C's _cvtss_sh with round-to-nearest), as its bit pattern: subnormal
// halves are kept, |value| >= 65520 becomes infinity, NaN stays NaN.
std::uint16_t float_to_half(float value);

}  // namespace grurt::convert
