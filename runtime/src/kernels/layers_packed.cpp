#include "layers_packed.hpp"

namespace grurt {
namespace kernels {

// The step reads top to bottom: gate products (biases fused into the GEMV),
// then the elementwise gate math. Gate g's rows start at g * hp.
void gru_step_packed(const KernelTable& k, const LayerView& layer, const float* x, float* h, float* scratch) noexcept {
  float* gx = scratch;  // [3hp] W x + bW
  k.gemv_panel16(layer.weight, 3 * (layer.padded_output / kPanelRows), layer.input_size, x, layer.bias, gx);
  gru_recurrence_packed(k, layer, gx, h, scratch);
}

void gru_recurrence_packed(const KernelTable& k, const LayerView& layer, const float* gx, float* h,
                           float* scratch) noexcept {
  const std::uint32_t H = layer.output_size;
  const std::uint32_t hp = layer.padded_output;
  const std::uint32_t gate_panels = hp / kPanelRows;
  float* gh = scratch + 3 * hp;  // [3hp] recurrent part
  float* rh = scratch + 6 * hp;  // [hp]  r * h (reset before)
  if (layer.reset_after) {
    k.gemv_panel16(layer.recurrent, 3 * gate_panels, H, h, layer.recurrent_bias, gh);
    k.gru_update_reset_after(gx, gh, hp, H, h);
    return;
  }
  // R_n multiplies r * h, so r comes first: gates r and z, then n.
  const float* bR = layer.recurrent_bias;
  k.gemv_panel16(layer.recurrent, 2 * gate_panels, H, h, bR, gh);
  k.gru_reset_hidden(gx, gh, h, H, rh);
  const float* R_n = layer.recurrent + static_cast<std::uintptr_t>(2) * hp * H;
  k.gemv_panel16(R_n, gate_panels, H, rh, bR != nullptr ? bR + 2 * hp : nullptr, gh + 2 * hp);
  k.gru_update_reset_before(gx, gh, hp, H, h);
}

void dense_step_packed(const KernelTable& k, const LayerView& layer, const float* x, float* y) noexcept {
  k.gemv_panel16(layer.weight, layer.padded_output / kPanelRows, layer.input_size, x, layer.bias, y);
  k.activate(layer.activation, y, layer.output_size);
}

}  // namespace kernels
}  // namespace grurt
