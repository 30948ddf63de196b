#include "activations_scalar.hpp"

namespace grurt {
namespace kernels {
namespace {

// Subtracting the maximum keeps exp() finite for any finite input.
void softmax(float* values, std::uint32_t count) noexcept {
  float largest = values[0];
  for (std::uint32_t i = 1; i < count; ++i) largest = values[i] > largest ? values[i] : largest;
  float sum = 0.0f;
  for (std::uint32_t i = 0; i < count; ++i) {
    values[i] = std::exp(values[i] - largest);
    sum += values[i];
  }
  const float scale = 1.0f / sum;
  for (std::uint32_t i = 0; i < count; ++i) values[i] *= scale;
}

}  // namespace

void activate(Activation activation, float* values, std::uint32_t count) noexcept {
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      for (std::uint32_t i = 0; i < count; ++i) values[i] = std::tanh(values[i]);
      return;
    case Activation::kSigmoid:
      for (std::uint32_t i = 0; i < count; ++i) values[i] = sigmoid(values[i]);
      return;
    case Activation::kRelu:
      for (std::uint32_t i = 0; i < count; ++i) values[i] = values[i] > 0.0f ? values[i] : 0.0f;
      return;
    case Activation::kSoftmax:
      softmax(values, count);
      return;
  }
}

}  // namespace kernels
}  // namespace grurt
