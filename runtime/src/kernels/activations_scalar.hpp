// Scalar activations: the obviously-right reference the SIMD paths are tested against.
#pragma once

#include <cmath>
#include <cstdint>

#include "grurt/model.hpp"

namespace grurt {
namespace kernels {

inline float sigmoid(float x) noexcept { return 1.0f / (1.0f + std::exp(-x)); }

// In place over values[0..count).
void activate(Activation activation, float* values, std::uint32_t count) noexcept;

}  // namespace kernels
}  // namespace grurt
