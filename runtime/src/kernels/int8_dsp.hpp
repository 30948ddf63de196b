// int8 dot products with Arm's 32-bit SIMD instructions (the DSP extension of
// Cortex-M4, M7, M33 and M55, and ARMv7-A): SXTB16 sign-extends bytes 0 and 2
// of a word into two 16-bit lanes (rotated by 8 first: bytes 1 and 3), and
// SMLAD adds both lanes' products to a 32-bit sum. A Panel16x4 word is one
// row's 4 columns, so 4 multiply-adds take a load, two SXTB16 and two SMLAD,
// against three instructions per multiply-add for the plain C loop. The input
// word is split once per 4 rows. Off Arm the same Dot runs on portable C
// versions of the two instructions, which is how the host tests check it.
#pragma once

#include <cstdint>

#include "int8_matrix.hpp"
#include "simd32.hpp"

namespace grurt {
namespace kernels {

// four_rows is kept out of line (GRURT_OWN_REGISTERS) and its sums are named
// variables so that the sums, the input's split word and the pointers have the
// registers to themselves: inlined into the panel loop, or with the sums in an
// array, GCC 12 kept sums on the stack (two more instructions per word).

// An int8_matrix.hpp Dot, four rows at a time (the most whose sums fit a
// Cortex-M's 13 general registers beside the rest); the integer sums equal
// Int8Scalar's exactly.
struct Int8Simd32Dot {
  static constexpr std::uint32_t kGroup = 1;
  static constexpr std::uint32_t kRowsAtOnce = 4;

  // sum + a row's word (4 columns) times the input's, split into even and odd bytes.
  static std::int32_t add_row(std::uint32_t row, std::uint32_t x_even, std::uint32_t x_odd, std::int32_t sum) noexcept {
    sum = simd32::dual_multiply_add(simd32::even_bytes(row), x_even, sum);
    return simd32::dual_multiply_add(simd32::odd_bytes(row), x_odd, sum);
  }

  // Rows [first, first + 4) of a panel: group points at their first word.
  GRURT_OWN_REGISTERS static void four_rows(const std::int8_t* group, const std::int8_t* x,
                                            const std::int8_t* x_end, std::int32_t* sums) noexcept {
    // Four named sums: an array of them was kept in memory even when unrolled.
    std::int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; x != x_end; x += kInt8GroupColumns, group += kInt8GroupColumns * kPanelRows) {
      const std::uint32_t x_word = simd32::load_word(x);
      const std::uint32_t x_even = simd32::even_bytes(x_word), x_odd = simd32::odd_bytes(x_word);
      s0 = add_row(simd32::load_word(group), x_even, x_odd, s0);
      s1 = add_row(simd32::load_word(group + kInt8GroupColumns), x_even, x_odd, s1);
      s2 = add_row(simd32::load_word(group + 2 * kInt8GroupColumns), x_even, x_odd, s2);
      s3 = add_row(simd32::load_word(group + 3 * kInt8GroupColumns), x_even, x_odd, s3);
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
  }

  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      std::int32_t sums[kPanelRows];
      const std::int8_t* panel = w + std::uintptr_t{p} * c4 * kPanelRows;
      for (std::uint32_t first = 0; first < kPanelRows; first += kRowsAtOnce) {
        four_rows(panel + first * kInt8GroupColumns, xq, xq + c4, sums + first);
      }
      const std::uint32_t row = p * kPanelRows;
      rescale_panel(sums, row_scales + row, x_scale, bias != nullptr ? bias + row : nullptr, y + row);
    }
  }
};

#undef GRURT_OWN_REGISTERS

}  // namespace kernels
}  // namespace grurt
