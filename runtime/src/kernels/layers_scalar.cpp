#include "layers_scalar.hpp"

#include <cmath>
#include <cstdint>

#include "activations_scalar.hpp"
#include "matvec_scalar.hpp"

namespace grurt {
namespace kernels {

// Gate rows are r, z, n (see schema/grurt.fbs):
//   r = sigmoid(W_r x + bW_r + R_r h + bR_r)
//   z = sigmoid(W_z x + bW_z + R_z h + bR_z)
//   reset_after:  n = tanh(W_n x + bW_n + r * (R_n h + bR_n))
//   reset_before: n = tanh(W_n x + bW_n + R_n (r * h) + bR_n)
//   h' = n + z * (h - n)
void gru_step(const LayerView& layer, const float* x, float* h, float* scratch) noexcept {
  const std::uint32_t H = layer.output_size;
  const std::uint32_t I = layer.input_size;
  float* gx = scratch;          // [3H] W x + bW
  float* gh = scratch + 3 * H;  // [3H] recurrent part
  float* rh = scratch + 6 * H;  // [H]  r * h (reset_before only)
  const float* bR = layer.recurrent_bias;
  matvec_bias(layer.weight, 3 * H, I, x, layer.bias, gx);
  if (layer.reset_after) {
    matvec_bias(layer.recurrent, 3 * H, H, h, bR, gh);
  } else {
    // n's recurrent product needs r first: r and z rows now, n rows after.
    matvec_bias(layer.recurrent, 2 * H, H, h, bR, gh);
    for (std::uint32_t i = 0; i < H; ++i) rh[i] = sigmoid(gx[i] + gh[i]) * h[i];
    const float* R_n = layer.recurrent + static_cast<std::uintptr_t>(2) * H * H;
    matvec_bias(R_n, H, H, rh, bR != nullptr ? bR + 2 * H : nullptr, gh + 2 * H);
  }
  for (std::uint32_t i = 0; i < H; ++i) {
    const float r = sigmoid(gx[i] + gh[i]);
    const float z = sigmoid(gx[H + i] + gh[H + i]);
    const float recurrent_n = layer.reset_after ? r * gh[2 * H + i] : gh[2 * H + i];
    const float n = std::tanh(gx[2 * H + i] + recurrent_n);
    h[i] = n + z * (h[i] - n);
  }
}

void dense_step(const LayerView& layer, const float* x, float* y) noexcept {
  matvec_bias(layer.weight, layer.output_size, layer.input_size, x, layer.bias, y);
  activate(layer.activation, y, layer.output_size);
}

void activation_step(const LayerView& layer, const float* x, float* y) noexcept {
  for (std::uint32_t i = 0; i < layer.output_size; ++i) y[i] = x[i];
  activate(layer.activation, y, layer.output_size);
}

}  // namespace kernels
}  // namespace grurt
