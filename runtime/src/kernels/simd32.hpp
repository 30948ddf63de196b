// Arm's 32-bit SIMD instructions (the DSP extension of Cortex-M4, M7, M33 and
// M55, and ARMv7-A) that the int8 kernels use, as inline functions: SXTB16
// sign-extends bytes 0 and 2 of a word into two 16-bit lanes (rotated by 8
// first: bytes 1 and 3), SMLAD adds both lanes' products to a 32-bit sum, and
// PKHBT/PKHTB pack halves of two words. Off Arm (and on cores without the
// extension) the same names are portable C with the same results, which is
// how the host tests check the kernels written with them.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#endif

// For a kernel whose sums must stay in registers: out of line, so that the
// caller's live values do not compete for them.
#if defined(__GNUC__)
#define GRURT_OWN_REGISTERS __attribute__((noinline))
#else
#define GRURT_OWN_REGISTERS
#endif

namespace grurt {
namespace kernels {
namespace simd32 {

inline std::uint32_t load_word(const std::int8_t* bytes) noexcept {
  std::uint32_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

#if defined(__ARM_FEATURE_SIMD32)
inline std::uint32_t even_bytes(std::uint32_t word) noexcept {
  return static_cast<std::uint32_t>(__sxtb16(static_cast<std::int32_t>(word)));
}
inline std::uint32_t odd_bytes(std::uint32_t word) noexcept {
  // SXTB16's rotation written out: GCC 12 emits a separate ror for __sxtb16 of a rotated word.
  std::uint32_t halves;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(halves) : "r"(word));
  return halves;
}
inline std::int32_t dual_multiply_add(std::uint32_t a, std::uint32_t b, std::int32_t sum) noexcept {
  return __smlad(static_cast<std::int32_t>(a), static_cast<std::int32_t>(b), sum);
}
#else
inline std::int32_t byte_at(std::uint32_t word, int shift) noexcept {
  const auto byte = static_cast<std::int32_t>((word >> shift) & 0xFFu);
  return byte - ((byte & 0x80) << 1);  // sign-extended
}
inline std::int32_t half_at(std::uint32_t word, int shift) noexcept {
  const auto half = static_cast<std::int32_t>((word >> shift) & 0xFFFFu);
  return half - ((half & 0x8000) << 1);
}
inline std::uint32_t two_halves(std::int32_t low, std::int32_t high) noexcept {
  return (static_cast<std::uint32_t>(high) << 16) | (static_cast<std::uint32_t>(low) & 0xFFFFu);
}
inline std::uint32_t even_bytes(std::uint32_t word) noexcept { return two_halves(byte_at(word, 0), byte_at(word, 16)); }
inline std::uint32_t odd_bytes(std::uint32_t word) noexcept { return two_halves(byte_at(word, 8), byte_at(word, 24)); }
inline std::int32_t dual_multiply_add(std::uint32_t a, std::uint32_t b, std::int32_t sum) noexcept {
  return sum + half_at(a, 0) * half_at(b, 0) + half_at(a, 16) * half_at(b, 16);
}
#endif

// a's low half below b's low half (PKHBT a, b, LSL #16), and a's high half
// below b's high half (PKHTB b, a, ASR #16). Written out: GCC 12 builds them
// from masks and shifts (5 instructions for the pair).
#if defined(__ARM_FEATURE_SIMD32)
inline std::uint32_t low_halves(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint32_t packed;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(packed) : "r"(a), "r"(b));
  return packed;
}
inline std::uint32_t high_halves(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint32_t packed;
  __asm__("pkhtb %0, %2, %1, asr #16" : "=r"(packed) : "r"(a), "r"(b));
  return packed;
}
#else
inline std::uint32_t low_halves(std::uint32_t a, std::uint32_t b) noexcept { return (a & 0xFFFFu) | (b << 16); }
inline std::uint32_t high_halves(std::uint32_t a, std::uint32_t b) noexcept { return (a >> 16) | (b & 0xFFFF0000u); }
#endif

// Two int16 values as one word (the first in the low half).
inline std::uint32_t load_halves(const std::int16_t* values) noexcept {
  std::uint32_t word = 0;
  std::memcpy(&word, values, sizeof word);
  return word;
}

}  // namespace simd32
}  // namespace kernels
}  // namespace grurt
