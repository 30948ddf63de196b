// int8 weight matrices (schema: ElementType I8, layout Panel16x4): the parts
// every ISA shares. Each ISA supplies only the integer dot products over one
// group of panels (a `Dot`: Int8Scalar below, kernels_avx2.cpp's, ...);
// quantizing the input and the panel loop are written once, here.
//
// The scheme, per product y = W x + bias:
//   - W: symmetric per row, w(i, k) = q(i, k) * row_scales[i], q in -127..127.
//   - x: symmetric per vector, quantized at each call: s = max|x| / 127,
//     q(k) = x(k) / s rounded to nearest even. Symmetric (no zero point) keeps
//     0 exact and needs no per-row correction sums; per vector (not per
//     tensor, not calibrated) adapts to each step's range, which is what a
//     streaming state swinging between near 0 and +-1 needs.
//   - y(i) = float(sum_k q(i, k) q(k)) * (row_scales[i] * s) + bias(i): the
//     integer sums are exact on every ISA (|sum| <= 127 * 127 * cols < 2^31),
//     and the float operations are the same everywhere (-ffp-contract=off),
//     so every ISA computes the same outputs bit for bit.
// An input holding NaN or infinity makes every output NaN (s is NaN, q is 0).
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

#include "kernel_table.hpp"

namespace grurt {
namespace kernels {

// Writes q[0 .. int8_padded_columns(cols)) (the padding 0) and returns s.
inline float quantize_vector(const float* x, std::uint32_t cols, std::int8_t* q) noexcept {
  // x * 0 is NaN for an infinite or NaN x and +-0 otherwise: one multiply-add
  // per element finds them (no branch; a Cortex-M4 spent four instructions on
  // a comparison chain).
  float largest = 0.0f, non_finite = 0.0f;
  for (std::uint32_t k = 0; k < cols; ++k) {
    const float magnitude = x[k] < 0.0f ? -x[k] : x[k];
    non_finite += x[k] * 0.0f;
    largest = magnitude > largest ? magnitude : largest;
  }
  const bool finite = non_finite == 0.0f;
  const std::uint32_t padded = int8_padded_columns(cols);
  const float inverse = 127.0f / largest;
  // A vector of zeros, or one so small (max|x| < 127 / FLT_MAX, about 4e-37)
  // that 127 / max|x| overflows, is taken as zeros: the product is its bias,
  // off by less than sum |w| * 4e-37.
  if (!finite || !(inverse <= std::numeric_limits<float>::max())) {
    std::memset(q, 0, padded);
    return finite ? 0.0f : std::numeric_limits<float>::quiet_NaN();
  }
  // Adding and subtracting 1.5 * 2^23 rounds a float of magnitude < 2^22 to
  // the nearest integer, ties to even, with plain float operations (no libm
  // call, no rounding-mode dependence beyond the default, vectorizable).
  constexpr float kRound = 12582912.0f;
  for (std::uint32_t k = 0; k < cols; ++k) {
    const float rounded = (x[k] * inverse + kRound) - kRound;
    q[k] = static_cast<std::int8_t>(static_cast<int>(rounded));  // |rounded| <= 127
  }
  for (std::uint32_t k = cols; k < padded; ++k) q[k] = 0;
  return largest / 127.0f;
}

// y(i) = float(sum(i)) * (row_scales[i] * x_scale) + bias(i) for one panel's rows.
inline void rescale_panel(const std::int32_t* sums, const float* row_scales, float x_scale, const float* bias,
                          float* y) noexcept {
  if (bias == nullptr) {  // tested once, not per row
    for (std::uint32_t j = 0; j < kPanelRows; ++j) y[j] = static_cast<float>(sums[j]) * (row_scales[j] * x_scale);
    return;
  }
  for (std::uint32_t j = 0; j < kPanelRows; ++j) {
    y[j] = static_cast<float>(sums[j]) * (row_scales[j] * x_scale) + bias[j];
  }
}

// The table entries for I8 weights over one ISA's Dot, which provides
//   kGroup: panels per call of panels<> (a power of two), and
//   template <uint32_t kPanels> panels(w, c4, xq, row_scales, x_scale, bias, y):
//     y for kPanels panels (kPanels * 16 rows) starting at w, the panels
//     c4 * 16 bytes apart, row_scales and bias (may be null) at the first row.
template <class Dot>
struct Int8Matrix {
  template <std::uint32_t kPanels>
  static void groups(const std::int8_t* w, std::uint32_t& p, std::uint32_t count, std::uint32_t c4,
                     const std::int8_t* xq, const float* row_scales, float x_scale, const float* bias, float* y) {
    const std::uintptr_t panel_bytes = std::uintptr_t{c4} * kPanelRows;
    for (; p + kPanels <= count; p += kPanels) {
      const std::uint32_t row = p * kPanelRows;
      Dot::template panels<kPanels>(w + p * panel_bytes, c4, xq, row_scales + row, x_scale,
                                    bias != nullptr ? bias + row : nullptr, y + row);
    }
    if constexpr (kPanels > 1) groups<kPanels / 2>(w, p, count, c4, xq, row_scales, x_scale, bias, y);
  }

  static void gemv(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t /*rows*/,
                   std::uint32_t cols, const float* x, const float* bias, float* y, void* work) {
    auto* xq = static_cast<std::int8_t*>(work);
    const float x_scale = quantize_vector(x, cols, xq);
    std::uint32_t p = 0;
    groups<Dot::kGroup>(static_cast<const std::int8_t*>(w), p, panels, int8_padded_columns(cols), xq, row_scales,
                        x_scale, bias, y);
  }

  // Step by step: each input has its own scale, and an int8 panel is small
  // enough (a quarter of f32) that reading it once per step costs little.
  static void gemm(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t cols, const float* x,
                   std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
                   void* work) {
    for (std::uint32_t t = 0; t < steps; ++t) {
      gemv(w, row_scales, panels, panels * kPanelRows, cols, x + t * x_stride, bias, y + t * y_stride, work);
    }
  }
};

// The portable Dot: the reference the SIMD ones are tested against.
struct Int8Scalar {
  static constexpr std::uint32_t kGroup = 1;
  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      std::int32_t sums[kPanelRows] = {};
      const std::int8_t* panel = w + std::uintptr_t{p} * c4 * kPanelRows;
      for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns) {
        const std::int8_t* group = panel + std::uintptr_t{g} * kPanelRows;
        for (std::uint32_t j = 0; j < kPanelRows; ++j) {
          for (std::uint32_t c = 0; c < kInt8GroupColumns; ++c) {
            sums[j] += std::int32_t{group[j * kInt8GroupColumns + c]} * xq[g + c];
          }
        }
      }
      const std::uint32_t row = p * kPanelRows;
      rescale_panel(sums, row_scales + row, x_scale, bias != nullptr ? bias + row : nullptr, y + row);
    }
  }
};

}  // namespace kernels
}  // namespace grurt
