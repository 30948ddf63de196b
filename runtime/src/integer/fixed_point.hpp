// The integer path's arithmetic (schema/grurt.fbs, IntegerPlan): requantizing
// int32 sums, and sigmoid/tanh from Q.12 inputs to Q15 outputs. Integers only,
// so every core (with or without an FPU) computes the same bits; right shifts
// of negative values are arithmetic (GCC and Clang on every target we build).
#pragma once

#include <cstdint>

// Always inlined: built for size, GCC would call each per element (a call,
// saves and restores around a dozen instructions of arithmetic).
#if defined(__GNUC__) || defined(__clang__)
#define GRURT_FIXED_POINT inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define GRURT_FIXED_POINT __forceinline
#else
#define GRURT_FIXED_POINT inline
#endif

namespace grurt {
namespace integer {

// A GRU's h and a tanh/sigmoid output: Q15 (value = q / 32768).
constexpr int kStateFractionBits = 15;
constexpr std::int32_t kOne = 1 << kStateFractionBits;
// Gate pre-activations: Q.12 in int32 (value = g / 4096).
constexpr int kGateFractionBits = 12;
// int16 values the integer path stores (symmetric: -32768 never occurs).
constexpr std::int32_t kMaxInt16 = 32767;

// Requantization (IntegerRows): multiplier in [2^30, 2^31), shift <= 30.
constexpr std::int64_t kMinMultiplier = std::int64_t{1} << 30;
constexpr std::int64_t kMaxMultiplier = (std::int64_t{1} << 31) - 1;
constexpr std::uint32_t kMaxShift = 30;

// round(acc * multiplier / 2^32), then >> shift rounding to nearest (halves up).
// |result| < 2^30 for any int32 acc, so sums of two stay within int32.
GRURT_FIXED_POINT std::int32_t requantize(std::int32_t acc, std::int32_t multiplier, unsigned shift) noexcept {
  const std::int64_t product = std::int64_t{acc} * multiplier + (std::int64_t{1} << 31);
  const std::int32_t high = static_cast<std::int32_t>(product >> 32);
  return (high + ((std::int32_t{1} << shift) >> 1)) >> shift;
}

// sigmoid(j / 32) in Q15 for j = 0..355 (sigmoid_table.cpp, from
// scripts/make_sigmoid_table.py), linear between entries; from entry 355
// (x = 11.09) on, sigmoid rounds to 32768 in Q15, which is returned past it.
constexpr int kSigmoidTableEntries = 356;
constexpr int kSigmoidStepBits = 7;  // Q.12 input, 1/32 per entry: 12 - 5 bits between entries
extern const std::uint16_t kSigmoidTable[kSigmoidTableEntries];

// sigmoid(a / 4096) for 0 <= a, in Q15 [16384, 32768].
GRURT_FIXED_POINT std::int32_t sigmoid_of_magnitude(std::int32_t a) noexcept {
  constexpr std::int32_t kEnd = (kSigmoidTableEntries - 1) << kSigmoidStepBits;
  if (a >= kEnd) return kOne;
  const std::int32_t j = a >> kSigmoidStepBits;
  const std::int32_t fraction = a & ((1 << kSigmoidStepBits) - 1);
  const std::int32_t low = kSigmoidTable[j];
  const std::int32_t high = kSigmoidTable[j + 1];
  return low + (((high - low) * fraction + (1 << (kSigmoidStepBits - 1))) >> kSigmoidStepBits);
}

// sigmoid(x / 4096) in Q15, [0, 32768]; any int32 x (|x| < 2^31).
GRURT_FIXED_POINT std::int32_t sigmoid_q15(std::int32_t x) noexcept {
  const std::int32_t s = sigmoid_of_magnitude(x < 0 ? -x : x);
  return x < 0 ? kOne - s : s;
}

// tanh(x / 4096) = 2 sigmoid(2x / 4096) - 1 in Q15, [-32768, 32768].
GRURT_FIXED_POINT std::int32_t tanh_q15(std::int32_t x) noexcept {
  const std::int32_t a = x < 0 ? -x : x;
  constexpr std::int32_t kSaturated = (kSigmoidTableEntries - 1) << (kSigmoidStepBits - 1);
  const std::int32_t t = a >= kSaturated ? kOne : 2 * sigmoid_of_magnitude(2 * a) - kOne;
  return x < 0 ? -t : t;
}

// (a * b) / 2^15 rounded (halves up), for a Q15 factor a.
GRURT_FIXED_POINT std::int32_t multiply_q15(std::int32_t a, std::int32_t b) noexcept {
  return static_cast<std::int32_t>((std::int64_t{a} * b + (1 << (kStateFractionBits - 1))) >> kStateFractionBits);
}

GRURT_FIXED_POINT std::int16_t saturate_int16(std::int32_t v) noexcept {
  return static_cast<std::int16_t>(v > kMaxInt16 ? kMaxInt16 : v < -kMaxInt16 ? -kMaxInt16 : v);
}

}  // namespace integer
}  // namespace grurt
