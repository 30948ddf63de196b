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
    values[i] = exp_approx(values[i] - largest);
    sum += values[i];
  }
  const float scale = 1.0f / sum;
  for (std::uint32_t i = 0; i < count; ++i) values[i] *= scale;
}

}  // namespace

float sigmoid_out_of_line(float x) noexcept { return sigmoid_approx(x); }
float tanh_out_of_line(float x) noexcept { return tanh_approx(x); }

void activate(Activation activation, float* values, std::uint32_t count) noexcept {
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      for (std::uint32_t i = 0; i < count; ++i) values[i] = tanh_out_of_line(values[i]);
      return;
    case Activation::kSigmoid:
      for (std::uint32_t i = 0; i < count; ++i) values[i] = sigmoid_out_of_line(values[i]);
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
