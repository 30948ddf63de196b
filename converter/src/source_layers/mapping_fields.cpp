#include "mapping_fields.hpp"

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::source_layers {
namespace {

// Reads [begin, end) from a JSON pair; absent means the whole extent.
std::pair<std::uint32_t, std::uint32_t> range(const Json& spec, const char* key, std::uint32_t extent,
                                              const std::string& where) {
  if (!spec.is_object() || !spec.contains(key)) return {0, extent};
  const Json& r = spec[key];
  if (!r.is_array() || r.size() != 2 || !r[0].is_number_unsigned() || !r[1].is_number_unsigned()) {
    fail(where, std::string("\"") + key + "\" must be [begin, end]");
  }
  const auto begin = r[0].get<std::uint64_t>(), end = r[1].get<std::uint64_t>();
  if (begin >= end || end > extent) {
    fail(where, std::string("\"") + key + "\" " + r.dump() + " is outside [0, " + std::to_string(extent) + ")");
  }
  return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end - begin)};
}

}  // namespace

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConversionError("mapping: " + where + ": " + what);
}

std::string text_field(const Json& layer, const char* key, const std::string& fallback, const std::string& where) {
  if (!layer.contains(key)) return fallback;
  if (!layer[key].is_string()) fail(where, std::string("\"") + key + "\" must be a string, not " + layer[key].dump());
  return layer[key].get<std::string>();
}

Activation parse_activation(const Json& value, const std::string& where) {
  const std::string name = value.is_string() ? value.get<std::string>() : "";
  for (Activation a : {Activation::kIdentity, Activation::kTanh, Activation::kSigmoid, Activation::kRelu,
                       Activation::kSoftmax}) {
    if (name == activation_name(a)) return a;
  }
  fail(where, "activation " + value.dump() + " is not one of identity, tanh, sigmoid, relu, softmax");
}

TensorSlice slice(const Json& spec, const TensorMap& tensors, std::uint32_t rows, std::uint32_t cols,
                  const std::string& where) {
  const Json& name_json = spec.is_object() && spec.contains("tensor") ? spec["tensor"] : spec;
  if (!name_json.is_string()) fail(where, "expected a tensor name or {\"tensor\": name, \"rows\": [b, e], \"cols\": [b, e]}");
  const std::string name = name_json.get<std::string>();
  const auto found = tensors.find(name);
  if (found == tensors.end()) fail(where, "tensor '" + name + "' is not in the file");
  const SourceTensor& t = found->second;
  if (!t.is_float || t.shape.empty() || t.shape.size() > 2) {
    fail(where, "tensor '" + name + "' (" + t.dtype + " " + t.shape_text() + ") is not a float vector or matrix");
  }
  const auto height = static_cast<std::uint32_t>(t.shape[0]);
  const auto width = t.shape.size() == 2 ? static_cast<std::uint32_t>(t.shape[1]) : 1u;
  if (t.shape.size() == 1 && spec.is_object() && spec.contains("cols")) fail(where, "'" + name + "' is a vector: no \"cols\"");
  const auto [row, row_count] = range(spec, "rows", height, where);
  const auto [col, col_count] = range(spec, "cols", width, where);
  bool transposed = false;
  if (spec.is_object() && spec.contains("transpose")) {
    if (!spec["transpose"].is_boolean()) fail(where, "\"transpose\" must be true or false, not " + spec["transpose"].dump());
    transposed = spec["transpose"].get<bool>();
  }
  const TensorSlice result{name, row, row_count, col, col_count, transposed};
  if (result.used_rows() != rows || result.used_cols() != cols) {
    fail(where, "the slice of '" + name + "' is [" + std::to_string(result.used_rows()) + " x " +
                    std::to_string(result.used_cols()) + "]" + (transposed ? " (transposed)" : "") + ", expected [" +
                    std::to_string(rows) + " x " + std::to_string(cols) + "]");
  }
  return result;
}

std::uint32_t size_field(const Json& layer, const char* key, const std::string& where) {
  if (!layer.contains(key) || !layer[key].is_number_unsigned() || layer[key].get<std::uint64_t>() == 0 ||
      layer[key].get<std::uint64_t>() > kMaxDimension) {
    fail(where, std::string("\"") + key + "\" must be a size from 1 to " + std::to_string(kMaxDimension));
  }
  return layer[key].get<std::uint32_t>();
}

}  // namespace grurt::convert::source_layers
