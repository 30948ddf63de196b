// Helium (the M-profile Vector Extension with floats: Cortex-M55, M85): the
// f32 and int8 panel products and the GRU and LSTM updates with default
// activations, 4 floats (16 bytes) a vector. Chosen at compile time: CMake
// builds this file only when the target's flags enable MVE floats, and the
// `helium` kernel table then replaces the scalar table's entries for these.
#include "kernels_helium.hpp"

#include <arm_mve.h>

#include "fast_activations.hpp"
#include "int8_dsp.hpp"
#include "int8_matrix.hpp"
#include "kernel_table.hpp"

#if !defined(__ARM_FEATURE_MVE) || !(__ARM_FEATURE_MVE & 2)
#error "kernels_helium.cpp needs a target with MVE floats (-mcpu=cortex-m55)"
#endif

namespace grurt {
namespace kernels {
namespace {

static_assert(kPanelRows == 16, "a panel is four vectors of four floats");

// One panel: its 16 rows are 4 vectors of sums, and each column adds its 16
// weights times x[k] with 4 vector FMAs (VFMA by a scalar), in column order as
// the scalar kernels add, but fused.
void panel(const float* w, std::uint32_t cols, const float* x, const float* bias, float* y) {
  float32x4_t s0, s1, s2, s3;
  if (bias != nullptr) {
    s0 = vld1q_f32(bias);
    s1 = vld1q_f32(bias + 4);
    s2 = vld1q_f32(bias + 8);
    s3 = vld1q_f32(bias + 12);
  } else {
    s0 = s1 = s2 = s3 = vdupq_n_f32(0.0f);
  }
  for (std::uint32_t k = 0; k < cols; ++k, w += kPanelRows) {
    const float xk = x[k];
    s0 = vfmaq_n_f32(s0, vld1q_f32(w), xk);
    s1 = vfmaq_n_f32(s1, vld1q_f32(w + 4), xk);
    s2 = vfmaq_n_f32(s2, vld1q_f32(w + 8), xk);
    s3 = vfmaq_n_f32(s3, vld1q_f32(w + 12), xk);
  }
  vst1q_f32(y, s0);
  vst1q_f32(y + 4, s1);
  vst1q_f32(y + 8, s2);
  vst1q_f32(y + 12, s3);
}

// e^x lane by lane as fast_activations.hpp's exp_approx computes it (with
// fused multiply-adds): |x| taken at most 87, n = round(x / ln 2), the fitted
// polynomial for e^r, 2^n from bits. NaN stays NaN (its comparisons are false).
float32x4_t exp_lanes(float32x4_t x) {
  using namespace exp_constants;
  const float32x4_t high = vdupq_n_f32(87.0f), low = vdupq_n_f32(-87.0f);
  x = vpselq_f32(high, x, vcmpgtq_f32(x, high));
  x = vpselq_f32(low, x, vcmpltq_f32(x, low));
  const float32x4_t rounding_shift = vdupq_n_f32(kRoundingShift);
  const float32x4_t shifted = vfmaq_n_f32(rounding_shift, x, kLog2E);
  const float32x4_t n = vsubq_f32(shifted, rounding_shift);
  float32x4_t r = vfmsq_f32(x, n, vdupq_n_f32(kLn2High));
  r = vfmsq_f32(r, n, vdupq_n_f32(kLn2Low));
  float32x4_t q = vdupq_n_f32(kPolynomial[0]);
#pragma GCC unroll 4
  for (int i = 1; i < 5; ++i) q = vfmasq_n_f32(q, r, kPolynomial[i]);  // q r + c
  const float32x4_t p = vaddq_f32(vfmaq_f32(r, vmulq_f32(q, r), r), vdupq_n_f32(1.0f));
  const uint32x4_t biased = vaddq_u32(vreinterpretq_u32_f32(shifted), vdupq_n_u32(127u - kOneExponentBits));
  const uint32x4_t scale = vshlq_n_u32(biased, 23);
  return vmulq_f32(p, vreinterpretq_f32_u32(scale));
}

// 1 / d for d >= 1 (MVE has no vector divide): a first guess from the bits
// (within 12.5%), then four Newton steps, each squaring the relative error
// (to below 1e-14 before rounding). NaN stays NaN.
float32x4_t reciprocal_lanes(float32x4_t d) {
  float32x4_t y = vreinterpretq_f32_u32(vsubq_u32(vdupq_n_u32(0x7EF311C3u), vreinterpretq_u32_f32(d)));
  const float32x4_t two = vdupq_n_f32(2.0f);
  for (int step = 0; step < 4; ++step) y = vmulq_f32(y, vfmsq_f32(two, d, y));
  return y;
}

float32x4_t sigmoid_lanes(float32x4_t x) {
  return reciprocal_lanes(vaddq_f32(vdupq_n_f32(1.0f), exp_lanes(vnegq_f32(x))));
}

// tanh_approx lane by lane: both of its branches, each lane taking its own.
float32x4_t tanh_lanes(float32x4_t x) {
  using namespace tanh_constants;
  const float32x4_t a = vabsq_f32(x);
  const float32x4_t s = vmulq_f32(x, x);
  float32x4_t p = vdupq_n_f32(kSeries[0]);
#pragma GCC unroll 3
  for (int i = 1; i < 4; ++i) p = vfmasq_n_f32(p, s, kSeries[i]);
  const float32x4_t near_zero = vmulq_f32(x, vfmaq_f32(vdupq_n_f32(1.0f), s, p));
  const float32x4_t one = vdupq_n_f32(1.0f);
  const float32x4_t e = exp_lanes(vaddq_f32(a, a));  // beyond |x| = 43.5 clamped: t rounds to 1 there
  const float32x4_t t = vfmsq_f32(one, vdupq_n_f32(2.0f), reciprocal_lanes(vaddq_f32(e, one)));
  const float32x4_t signed_t = vpselq_f32(vnegq_f32(t), t, vcmpltq_n_f32(x, 0.0f));
  return vpselq_f32(near_zero, signed_t, vcmpltq_n_f32(a, kSeriesLimit));
}

// int8 products (an int8_matrix.hpp Dot). A Panel16x4 group (16 rows x 4
// columns, 64 bytes) is 4 vectors of 4 rows' words; times the group's 4 inputs
// repeated, VMULLB and VMULLT give each row's even and odd column products in
// 16 bits, their sum (at most 2 * 127 * 127, no overflow) holds two partial
// sums per row, and VMOVLB + VMOVLT widen and add them into the row's 32-bit
// sum: 7 instructions per 16 multiply-adds. The sums are exact, and the
// rescale is rescale_panel's float operations in the same order, unfused, so
// the outputs equal every other ISA's bit for bit.
struct Int8HeliumDot {
  static constexpr std::uint32_t kGroup = 1;
  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      int32x4_t sums[4] = {vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)};
      const std::int8_t* group = w + std::uintptr_t{p} * c4 * kPanelRows;
      for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns, group += kInt8GroupColumns * kPanelRows) {
        const int8x16_t x = vreinterpretq_s8_u32(vdupq_n_u32(simd32::load_word(xq + g)));
        for (int v = 0; v < 4; ++v) {
          const int8x16_t rows = vldrbq_s8(group + 16 * v);
          const int16x8_t pairs = vaddq_s16(vmullbq_int_s8(rows, x), vmulltq_int_s8(rows, x));
          sums[v] = vaddq_s32(sums[v], vaddq_s32(vmovlbq_s16(pairs), vmovltq_s16(pairs)));
        }
      }
      const std::uint32_t row = p * kPanelRows;
      const float32x4_t scale = vdupq_n_f32(x_scale);
      for (int v = 0; v < 4; ++v) {
        const std::uint32_t at = row + 4 * v;
        float32x4_t value = vmulq_f32(vcvtq_f32_s32(sums[v]), vmulq_f32(vld1q_f32(row_scales + at), scale));
        if (bias != nullptr) value = vaddq_f32(value, vld1q_f32(bias + at));
        vst1q_f32(y + at, value);
      }
    }
  }
};

}  // namespace

void helium_gru_update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                   const GruActivations& a, float* h) {
  if (!a.standard()) return scalar_kernels().gru_update_reset_after(gx, gh, hp, count, a, h);
  // Whole vectors: count rounded up to 4 stays in the buffers' panel padding.
  for (std::uint32_t i = 0; i < count; i += 4) {
    const float32x4_t r = sigmoid_lanes(vaddq_f32(vld1q_f32(gx + i), vld1q_f32(gh + i)));
    const float32x4_t z = sigmoid_lanes(vaddq_f32(vld1q_f32(gx + hp + i), vld1q_f32(gh + hp + i)));
    const float32x4_t n = tanh_lanes(vfmaq_f32(vld1q_f32(gx + 2 * hp + i), r, vld1q_f32(gh + 2 * hp + i)));
    vst1q_f32(h + i, vfmaq_f32(n, z, vsubq_f32(vld1q_f32(h + i), n)));
  }
}

void helium_gru_reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count,
                             const GruActivations& a, float* rh) {
  if (!a.standard()) return scalar_kernels().gru_reset_hidden(gx, gh, h, count, a, rh);
  for (std::uint32_t i = 0; i < count; i += 4) {  // whole vectors, as above
    vst1q_f32(rh + i, vmulq_f32(sigmoid_lanes(vaddq_f32(vld1q_f32(gx + i), vld1q_f32(gh + i))), vld1q_f32(h + i)));
  }
}

void helium_gru_update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                    const GruActivations& a, float* h) {
  if (!a.standard()) return scalar_kernels().gru_update_reset_before(gx, gh, hp, count, a, h);
  for (std::uint32_t i = 0; i < count; i += 4) {
    const float32x4_t z = sigmoid_lanes(vaddq_f32(vld1q_f32(gx + hp + i), vld1q_f32(gh + hp + i)));
    const float32x4_t n = tanh_lanes(vaddq_f32(vld1q_f32(gx + 2 * hp + i), vld1q_f32(gh + 2 * hp + i)));
    vst1q_f32(h + i, vfmaq_f32(n, z, vsubq_f32(vld1q_f32(h + i), n)));
  }
}

void helium_lstm_update(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
                        const GateActivations& a, float* c, float* h) {
  if (!a.standard()) return scalar_kernels().lstm_update(gx, gh, peephole, hp, count, a, c, h);
  for (std::uint32_t k = 0; k < count; k += 4) {  // whole vectors, as above
    const float32x4_t old = vld1q_f32(c + k);
    float32x4_t pre_i = vaddq_f32(vld1q_f32(gx + k), vld1q_f32(gh + k));
    float32x4_t pre_f = vaddq_f32(vld1q_f32(gx + hp + k), vld1q_f32(gh + hp + k));
    if (peephole != nullptr) {
      pre_i = vfmaq_f32(pre_i, vld1q_f32(peephole + k), old);
      pre_f = vfmaq_f32(pre_f, vld1q_f32(peephole + hp + k), old);
    }
    const float32x4_t g = tanh_lanes(vaddq_f32(vld1q_f32(gx + 2 * hp + k), vld1q_f32(gh + 2 * hp + k)));
    const float32x4_t cell = vfmaq_f32(vmulq_f32(sigmoid_lanes(pre_f), old), sigmoid_lanes(pre_i), g);
    float32x4_t pre_o = vaddq_f32(vld1q_f32(gx + 3 * hp + k), vld1q_f32(gh + 3 * hp + k));
    if (peephole != nullptr) pre_o = vfmaq_f32(pre_o, vld1q_f32(peephole + 2 * hp + k), cell);
    vst1q_f32(c + k, cell);
    vst1q_f32(h + k, vmulq_f32(sigmoid_lanes(pre_o), tanh_lanes(cell)));
  }
}

void helium_gemv_i8(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t rows,
                    std::uint32_t cols, const float* x, const float* bias, float* y, void* work) {
  Int8Matrix<Int8HeliumDot>::gemv(w, row_scales, panels, rows, cols, x, bias, y, work);
}

void helium_gemm_i8(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t cols, const float* x,
                    std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
                    void* work) {
  Int8Matrix<Int8HeliumDot>::gemm(w, row_scales, panels, cols, x, x_stride, steps, bias, y, y_stride, work);
}

void helium_gemv_f32(const void* w, const float*, std::uint32_t panels, std::uint32_t, std::uint32_t cols,
                     const float* x, const float* bias, float* y, void*) {
  const auto* weights = static_cast<const float*>(w);
  const std::uintptr_t panel_stride = std::uintptr_t{cols} * kPanelRows;
  for (std::uint32_t p = 0; p < panels; ++p) {
    panel(weights + p * panel_stride, cols, x, bias != nullptr ? bias + p * kPanelRows : nullptr, y + p * kPanelRows);
  }
}

// Step by step: each output as gemv computes it (the contract), and a
// microcontroller's weights are read from flash at the same cost either way.
void helium_gemm_f32(const void* w, const float*, std::uint32_t panels, std::uint32_t cols, const float* x,
                     std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
                     void*) {
  for (std::uint32_t t = 0; t < steps; ++t) {
    helium_gemv_f32(w, nullptr, panels, panels * kPanelRows, cols, x + t * x_stride, bias, y + t * y_stride, nullptr);
  }
}

}  // namespace kernels
}  // namespace grurt
