#include "mapping_fields.hpp"

#include <algorithm>
#include <cctype>

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

// Levenshtein distance; `fold` compares letters case-insensitively.
std::size_t edit_distance(const std::string& a, const std::string& b, bool fold) {
  auto same = [fold](char x, char y) {
    return fold ? std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)) : x == y;
  };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_list(const std::vector<std::string>& keys) {
  std::string text;
  for (const std::string& k : keys) text += (text.empty() ? "\"" : ", \"") + k + "\"";
  return text;
}

}  // namespace

std::string nearest_key(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::pair<std::size_t, std::size_t> best_distance{SIZE_MAX, SIZE_MAX};
  for (const std::string& candidate : known) {
    // Case-folded distance first, so "bw" is nearer "bW" than "W"; exact distance breaks ties.
    const std::pair<std::size_t, std::size_t> d{edit_distance(key, candidate, true), edit_distance(key, candidate, false)};
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

void require_known_keys(const Json& object, const std::vector<std::string>& known, const std::string& where) {
  if (!object.is_object()) return;
  for (const auto& item : object.items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    throw ConversionError("mapping: unknown key \"" + item.key() + "\" in " + where + "; did you mean \"" +
                          nearest_key(item.key(), known) + "\"? (known keys there: " + quoted_list(known) + ")");
  }
}

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
  require_known_keys(spec, {"tensor", "rows", "cols", "transpose"}, where);
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
  const bool explicit_transpose = spec.is_object() && spec.contains("transpose");
  bool transposed = false;
  if (explicit_transpose) {
    if (!spec["transpose"].is_boolean()) fail(where, "\"transpose\" must be true or false, not " + spec["transpose"].dump());
    transposed = spec["transpose"].get<bool>();
  }
  TensorSlice result{name, row, row_count, col, col_count, transposed};
  // A vector wanted and one stored row given (a row of a Keras [2, 3H] bias):
  // a row and a column hold the same values in the same order, so take it.
  if (cols == 1 && !explicit_transpose && row_count == 1 && col_count == rows) result.transposed = true;
  if (result.used_rows() != rows || result.used_cols() != cols) {
    std::string hint;
    if (result.used_cols() == rows && result.used_rows() == cols) {
      hint = transposed ? "; it fits untransposed: remove \"transpose\": true"
                        : "; it fits transposed (a kernel stored [in, out], as Keras and TensorFlow do): "
                          "write {\"tensor\": \"" + name + "\", ..., \"transpose\": true}";
    }
    fail(where, "the slice of '" + name + "' is [" + std::to_string(result.used_rows()) + " x " +
                    std::to_string(result.used_cols()) + "]" + (transposed ? " (transposed)" : "") + ", expected [" +
                    std::to_string(rows) + " x " + std::to_string(cols) + "]" + hint);
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
