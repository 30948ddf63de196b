// Mapping files: a JSON description of which tensor slices are which gate,
// for layouts grurt does not recognise by itself (format in README.md).
#pragma once

#include <string>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// Parses `json_text` and checks every slice against `tensors` (names, bounds,
// block shapes). Throws ConversionError naming the layer, field, gate and tensor.
SourceModel read_mapping(const std::string& json_text, const TensorMap& tensors);

}  // namespace grurt::convert
