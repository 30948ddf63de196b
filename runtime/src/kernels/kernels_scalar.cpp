// The scalar kernel table: plain C++, no SIMD headers, builds everywhere
// (Cortex-M included) and is what every SIMD table is tested against.
#include <cmath>

#include "activations_scalar.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {
namespace {

void gemv_panel16(const float* w, std::uint32_t panels, std::uint32_t cols, const float* x, const float* bias,
                  float* y) {
  for (std::uint32_t p = 0; p < panels; ++p) {
    float acc[kPanelRows];
    for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] = bias != nullptr ? bias[p * kPanelRows + j] : 0.0f;
    const float* panel = w + static_cast<std::uintptr_t>(p) * cols * kPanelRows;
    for (std::uint32_t k = 0; k < cols; ++k) {
      const float xk = x[k];
      for (std::uint32_t j = 0; j < kPanelRows; ++j) acc[j] += panel[k * kPanelRows + j] * xk;
    }
    for (std::uint32_t j = 0; j < kPanelRows; ++j) y[p * kPanelRows + j] = acc[j];
  }
}

void gemm_panel16(const float* w, std::uint32_t panels, std::uint32_t cols, const float* x, std::uint32_t x_stride,
                  std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride) {
  for (std::uint32_t t = 0; t < steps; ++t) gemv_panel16(w, panels, cols, x + t * x_stride, bias, y + t * y_stride);
}

void gru_update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float r = sigmoid(gx[i] + gh[i]);
    const float z = sigmoid(gx[hp + i] + gh[hp + i]);
    const float n = std::tanh(gx[2 * hp + i] + r * gh[2 * hp + i]);
    h[i] = n + z * (h[i] - n);
  }
}

void gru_reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count, float* rh) {
  for (std::uint32_t i = 0; i < count; ++i) rh[i] = sigmoid(gx[i] + gh[i]) * h[i];
}

void gru_update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float z = sigmoid(gx[hp + i] + gh[hp + i]);
    const float n = std::tanh(gx[2 * hp + i] + gh[2 * hp + i]);
    h[i] = n + z * (h[i] - n);
  }
}

void rnn_update(const float* gx, const float* gh, std::uint32_t count, Activation activation, float* h) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const float sum = gx[i] + gh[i];
    h[i] = activation == Activation::kRelu ? (sum > 0.0f ? sum : 0.0f) : std::tanh(sum);
  }
}

// The f32 entries: W is f32, there are no row scales.
void gemv_f32(const void* w, const float*, std::uint32_t panels, std::uint32_t cols, const float* x, const float* bias,
              float* y) {
  gemv_panel16(static_cast<const float*>(w), panels, cols, x, bias, y);
}

void gemm_f32(const void* w, const float*, std::uint32_t panels, std::uint32_t cols, const float* x,
              std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride) {
  gemm_panel16(static_cast<const float*>(w), panels, cols, x, x_stride, steps, bias, y, y_stride);
}

}  // namespace

extern const KernelTable kScalarKernels = {Isa::kScalar,
                                 {{gemv_f32, gemm_f32}, {nullptr, nullptr}, {nullptr, nullptr}},
                                 gru_update_reset_after,
                                 gru_reset_hidden,
                                 gru_update_reset_before,
                                 rnn_update,
                                 activate};

const KernelTable& scalar_kernels() noexcept { return kScalarKernels; }

}  // namespace kernels
}  // namespace grurt
