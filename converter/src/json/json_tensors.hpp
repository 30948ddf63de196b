// Tensors written in JSON as nested lists of numbers (RTNeural's weights,
// a state_dict dumped with json.dump, CoreAudioML's state_dict): rectangular
// nesting, numbers only, a bounded depth and element count.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::json_tensors {

using Json = nlohmann::ordered_json;

// Most axes and elements a JSON tensor may have: far above any recurrent
// layer's weights, low enough that a hostile file cannot exhaust memory.
constexpr std::size_t kMaxAxes = 8;
constexpr std::size_t kMaxElements = std::size_t{1} << 26;

// Whether `value` is a number or a (nested) list whose leaves are numbers:
// what tells a JSON state_dict's entries from other data.
bool is_numeric(const Json& value);

// The tensor `value` holds, dtype "JSON"; throws ConversionError naming
// `where` and the first place its nesting is ragged or holds a non-number.
SourceTensor read(const Json& value, const std::string& where);

}  // namespace grurt::convert::json_tensors
