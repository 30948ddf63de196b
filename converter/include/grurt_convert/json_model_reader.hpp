// JSON model files, told apart by their structure: RTNeural JSON and AIDA-X
// ({in_shape, layers}), CoreAudioML / Automated-GuitarAmpModelling
// ({model_data, state_dict}), and a PyTorch state_dict dumped as JSON
// ({name: nested lists}, as RTNeural's PyTorch examples write).
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt_convert/source_file.hpp"

namespace grurt::convert {

// Largest JSON model file read (AIDA-X and GuitarML models are tens of KB).
constexpr std::size_t kMaxJsonModelBytes = std::size_t{256} << 20;

// True when the first byte that is not white space is '{'.
bool looks_like_json(const std::uint8_t* bytes, std::size_t size);

// Throws ConversionError naming the format, the place and the problem.
SourceFile read_json_model(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
