// One time step of a packed (Panel16) layer through a kernel table.
#pragma once

#include "grurt/model.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {

// Advances h[H] by one step of x[I]; `scratch` holds 7 * padded_output floats.
void gru_step_packed(const KernelTable& k, const LayerView& layer, const float* x, float* h, float* scratch) noexcept;

// The same step when gx = W x + bW [3 * padded_output] is already computed
// (Session::run computes it for several steps at once).
void gru_recurrence_packed(const KernelTable& k, const LayerView& layer, const float* gx, float* h,
                           float* scratch) noexcept;

// y[padded_output] = activation(weight x + bias).
void dense_step_packed(const KernelTable& k, const LayerView& layer, const float* x, float* y) noexcept;

}  // namespace kernels
}  // namespace grurt
