// Proves a conversion: runs the written .grurt with the runtime and the source
// model with its own double-precision formulas on the same random inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// Largest difference accepted between runtime and source formulas.
constexpr double kMaxConversionDifference = 1e-5;

struct CheckReport {
  double max_difference = 0.0;
  std::uint32_t steps = 0;
};

// Throws ConversionError when the runtime cannot load the bytes.
CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t steps);

}  // namespace grurt::convert
