// Reads a .safetensors file: 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
// then the data. Every offset and size is checked against the file.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// Largest header accepted (the format's own reference reader uses 100 MB).
constexpr std::uint64_t kMaxSafetensorsHeader = 100u << 20;

// Throws ConversionError (std::runtime_error) naming the tensor and the problem.
TensorMap read_safetensors(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
