// Scalar activations for Dense layers: the reference the SIMD paths are tested
// against, with exp, tanh and sigmoid from fast_activations.hpp.
#pragma once

#include <cstdint>

#include "fast_activations.hpp"
#include "grurt/model.hpp"

namespace grurt {
namespace kernels {

// One out-of-line copy of sigmoid_approx and tanh_approx, for the paths where
// flash matters more than a call per element (Dense activations, RNN, the GRU
// and LSTM variants); the default GRU and LSTM gates inline them.
float sigmoid_out_of_line(float x) noexcept;
float tanh_out_of_line(float x) noexcept;

// In place over values[0..count).
void activate(Activation activation, float* values, std::uint32_t count) noexcept;

}  // namespace kernels
}  // namespace grurt
