// Picks the reader for a weights file from its first bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

struct WeightsFile {
  std::string format;  // "torch.save zip" or "safetensors"
  TensorMap tensors;
};

// Throws ConversionError for an unknown, legacy or broken file.
WeightsFile read_weights(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
