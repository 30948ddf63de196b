// y = A x + b for a row-major A [rows][cols]; b may be null (zeros).
#pragma once

#include <cstdint>

namespace grurt {
namespace kernels {

inline void matvec_bias(const float* A, std::uint32_t rows, std::uint32_t cols, const float* x,
                        const float* b, float* y) noexcept {
  for (std::uint32_t i = 0; i < rows; ++i) {
    const float* row = A + static_cast<std::uintptr_t>(i) * cols;
    float sum = b != nullptr ? b[i] : 0.0f;
    for (std::uint32_t j = 0; j < cols; ++j) sum += row[j] * x[j];
    y[i] = sum;
  }
}

}  // namespace kernels
}  // namespace grurt
