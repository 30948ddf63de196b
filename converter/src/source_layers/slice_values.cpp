#include <cmath>
#include <sstream>

#include "grurt_convert/conversion_error.hpp"
#include "source_layers.hpp"

namespace grurt::convert::source_layers {

// A NaN or infinity is refused here, where the source tensor and position are
// known (a diverged training run saves such weights; the runtime refuses them too).
void append_slice(const TensorSlice& slice, const TensorMap& tensors, float sign, std::vector<float>& out) {
  const SourceTensor& tensor = tensors.at(slice.tensor);
  const std::size_t width = tensor.shape.size() == 2 ? static_cast<std::size_t>(tensor.shape[1]) : 1;
  for (std::uint32_t i = 0; i < slice.used_rows(); ++i) {
    for (std::uint32_t j = 0; j < slice.used_cols(); ++j) {
      // Position in the stored tensor.
      const std::size_t row = slice.row + (slice.transposed ? j : i);
      const std::size_t col = slice.col + (slice.transposed ? i : j);
      const float value = tensor.values[row * width + col];
      if (!std::isfinite(value)) {
        std::ostringstream message;
        message << "tensor '" << slice.tensor << "' holds " << value << " at ["
                << (tensor.shape.size() == 2 ? std::to_string(row) + ", " + std::to_string(col) : std::to_string(row))
                << "]: weights must be finite (did training diverge?)";
        throw ConversionError(message.str());
      }
      out.push_back(sign * value);
    }
  }
}

void add_tensor(const std::optional<TensorSlice>& slice, std::set<std::string>& names) {
  if (slice) names.insert(slice->tensor);
}

Vec affine(const Linear& linear, const TensorSlice& weight, const std::optional<TensorSlice>& bias, const Vec& x) {
  const Vec y = linear.slice(weight, x);
  return bias ? layouts::add(y, linear.slice(*bias, {})) : y;
}

}  // namespace grurt::convert::source_layers
