// One time step of each layer kind, scalar float path.
#pragma once

#include "grurt/model.hpp"

namespace grurt {
namespace kernels {

// Advances h[H] in place by one step of input x[I]. `scratch` holds 7*H floats.
void gru_step(const LayerView& layer, const float* x, float* h, float* scratch) noexcept;

// y[O] = activation(weight x + bias).
void dense_step(const LayerView& layer, const float* x, float* y) noexcept;

// y[n] = activation(x[n]); x and y do not overlap.
void activation_step(const LayerView& layer, const float* x, float* y) noexcept;

}  // namespace kernels
}  // namespace grurt
