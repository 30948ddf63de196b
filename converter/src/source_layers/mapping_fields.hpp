// Reading mapping-file fields with their types checked: every error names
// the place ("layer 0 (gru) W.r"), the field and what was expected.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::source_layers {

using Json = nlohmann::json;

// Throws ConversionError("mapping: WHERE: WHAT").
[[noreturn]] void fail(const std::string& where, const std::string& what);

// A typo'd key ("bw" for "bW", "rest" for "reset") would otherwise be ignored
// and silently give zero biases or a default, so every object of a mapping
// file may hold only the keys its place knows. Throws
// ConversionError("mapping: unknown key \"bw\" in WHERE; did you mean \"bW\"? ...").
void require_known_keys(const Json& object, const std::vector<std::string>& known, const std::string& where);

// The known key nearest to `key` by edit distance, ignoring case first ("bw" -> "bW").
std::string nearest_key(const std::string& key, const std::vector<std::string>& known);

// layer[key] as a string, `fallback` when absent; anything but a string is an error.
std::string text_field(const Json& layer, const char* key, const std::string& fallback, const std::string& where);

// One of identity, tanh, sigmoid, relu, softmax.
Activation parse_activation(const Json& value, const std::string& where);

// layer[key] as a size from 1 to kMaxDimension.
std::uint32_t size_field(const Json& layer, const char* key, const std::string& where);

// A slice: "name" or {"tensor": "name", "rows": [b, e], "cols": [b, e],
// "transpose": true|false}, rows and cols counted in the stored tensor; as used
// (transposed if it says so) it must come out as rows x cols (cols = 1 for a
// vector). A vector (a bias) may be any one row or one column of a 2-D tensor
// (Keras stores reset_after biases as [2, 3H]): a row is taken as the vector
// unless "transpose" is given. A shape that would fit transposed says so.
TensorSlice slice(const Json& spec, const TensorMap& tensors, std::uint32_t rows, std::uint32_t cols,
                  const std::string& where);

}  // namespace grurt::convert::source_layers
