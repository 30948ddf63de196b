// int8 dot products on NEON (int8_matrix.hpp Dots): plain NEON (vmull_s8 and
// pairwise widening adds, ARMv7 and every AArch64) and the ARMv8.2 dot
// product extension (sdot, in files compiled with +dotprod). Both operands
// are signed here, so no sign trick is needed.
#pragma once

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "int8_matrix.hpp"

namespace grurt {
namespace kernels {
namespace {

// Writes one panel's 16 rows: float(sums) * (row_scales * x_scale) + bias,
// the float operations of rescale_panel, 4 rows at a time.
inline void rescale_sums(const int32x4_t sums[4], const float* row_scales, float x_scale, const float* bias, float* y) {
  for (std::uint32_t v = 0; v < 4; ++v) {
    const float32x4_t row_scale = vmulq_f32(vld1q_f32(row_scales + 4 * v), vdupq_n_f32(x_scale));
    float32x4_t value = vmulq_f32(vcvtq_f32_s32(sums[v]), row_scale);
    if (bias != nullptr) value = vaddq_f32(value, vld1q_f32(bias + 4 * v));
    vst1q_f32(y + 4 * v, value);
  }
}

inline int8x16_t broadcast_group(const std::int8_t* xq) {
  std::int32_t four;
  std::memcpy(&four, xq, sizeof(four));
  return vreinterpretq_s8_s32(vdupq_n_s32(four));
}

// Each 16 bytes of a group are 4 rows x 4 columns. vmull_s8 multiplies 2 rows
// (8 bytes) by the group's 4 inputs twice over; vpadalq_s16 adds neighbouring
// products into int32 lanes (row r: columns 0+1, 2+3; row r+1: ...), and the
// panel's end adds those halves pairwise. |products| <= 127 * 127: no overflow.
struct Int8NeonDot {
  static constexpr std::uint32_t kGroup = 1;

  static int32x4_t pairwise_rows(int32x4_t low_rows, int32x4_t high_rows) {
#if defined(__aarch64__)
    return vpaddq_s32(low_rows, high_rows);
#else
    return vcombine_s32(vpadd_s32(vget_low_s32(low_rows), vget_high_s32(low_rows)),
                        vpadd_s32(vget_low_s32(high_rows), vget_high_s32(high_rows)));
#endif
  }

  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      const std::int8_t* panel = w + std::uintptr_t{p} * c4 * kPanelRows;
      int32x4_t halves[8];
      for (int32x4_t& half : halves) half = vdupq_n_s32(0);
      for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns) {
        const int8x16_t x = broadcast_group(xq + g);
        const int8x8_t x_low = vget_low_s8(x);
        const std::int8_t* group = panel + std::uintptr_t{g} * kPanelRows;
        for (std::uint32_t v = 0; v < 4; ++v) {
          const int8x16_t rows = vld1q_s8(group + 16 * v);
          halves[2 * v] = vpadalq_s16(halves[2 * v], vmull_s8(vget_low_s8(rows), x_low));
          halves[2 * v + 1] = vpadalq_s16(halves[2 * v + 1], vmull_s8(vget_high_s8(rows), x_low));
        }
      }
      int32x4_t sums[4];
      for (std::uint32_t v = 0; v < 4; ++v) sums[v] = pairwise_rows(halves[2 * v], halves[2 * v + 1]);
      const std::uint32_t row = p * kPanelRows;
      rescale_sums(sums, row_scales + row, x_scale, bias != nullptr ? bias + row : nullptr, y + row);
    }
  }
};

#if defined(__ARM_FEATURE_DOTPROD)
// sdot: each 32-bit lane adds the dot product of its 4 bytes (one row's 4
// columns) with the input's 4: one instruction per 4 rows x 4 columns. Two
// panels at a time keep 8 accumulator chains.
struct Int8NeonDotprodDot {
  static constexpr std::uint32_t kGroup = 2;

  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    int32x4_t sums[kPanels][4];
    for (std::uint32_t p = 0; p < kPanels; ++p)
      for (std::uint32_t v = 0; v < 4; ++v) sums[p][v] = vdupq_n_s32(0);
    const std::uintptr_t panel_bytes = std::uintptr_t{c4} * kPanelRows;
    for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns) {
      const int8x16_t x = broadcast_group(xq + g);
      for (std::uint32_t p = 0; p < kPanels; ++p) {
        const std::int8_t* group = w + p * panel_bytes + std::uintptr_t{g} * kPanelRows;
        for (std::uint32_t v = 0; v < 4; ++v) sums[p][v] = vdotq_s32(sums[p][v], vld1q_s8(group + 16 * v), x);
      }
    }
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      const std::uint32_t row = p * kPanelRows;
      rescale_sums(sums[p], row_scales + row, x_scale, bias != nullptr ? bias + row : nullptr, y + row);
    }
  }
};
#endif

}  // namespace
}  // namespace kernels
}  // namespace grurt
