#include "grurt_convert/mapping_file.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConversionError("mapping: " + where + ": " + what);
}

// layer[key] as a string, `fallback` when absent; anything but a string is an error.
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

// A slice: "name" or {"tensor": "name", "rows": [b, e], "cols": [b, e],
// "transpose": true|false}, rows and cols counted in the stored tensor; as used
// (transposed if it says so) it must come out as rows x cols (cols = 1 for a vector).
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

SourceGru read_gru(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceGru gru;
  gru.input_size = input;
  gru.hidden_size = size_field(layer, "hidden_size", where);
  const std::uint32_t H = gru.hidden_size;
  const std::string reset = text_field(layer, "reset", "after", where);
  if (reset != "after" && reset != "before") fail(where, "\"reset\" must be \"after\" or \"before\"");
  gru.reset_after = reset == "after";
  std::string update = text_field(layer, "update", "z*h + (1-z)*n", where);
  update.erase(std::remove(update.begin(), update.end(), ' '), update.end());
  if (update != "z*h+(1-z)*n" && update != "(1-z)*h+z*n") {
    fail(where, "\"update\" must be \"z*h + (1-z)*n\" or \"(1-z)*h + z*n\"");
  }
  gru.update_keeps_state = update == "z*h+(1-z)*n";
  const char* gates[3] = {"r", "z", "n"};
  for (const char* field : {"W", "R"}) {
    if (!layer.contains(field) || !layer[field].is_object()) fail(where, std::string("\"") + field + "\" {\"r\", \"z\", \"n\"} is required");
  }
  for (int g = 0; g < 3; ++g) {
    for (const char* field : {"W", "R"}) {
      if (!layer[field].contains(gates[g])) fail(where, std::string(field) + " has no gate \"" + gates[g] + "\"");
    }
    gru.w[g] = slice(layer["W"][gates[g]], tensors, H, input, where + " W." + gates[g]);
    gru.r[g] = slice(layer["R"][gates[g]], tensors, H, H, where + " R." + gates[g]);
    for (const char* field : {"bW", "bR"}) {
      if (layer.contains(field) && layer[field].contains(gates[g])) {
        auto& target = field[1] == 'W' ? gru.bias_w[g] : gru.bias_r[g];
        target = slice(layer[field][gates[g]], tensors, H, 1, where + " " + field + "." + gates[g]);
      }
    }
  }
  return gru;
}

// An Elman RNN layer: h' = activation(W x + bW + R h + bR); W [H x I], R [H x H],
// biases [H] optional; activation tanh (the default, as PyTorch's) or relu.
SourceRnn read_rnn(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceRnn rnn;
  rnn.input_size = input;
  rnn.hidden_size = size_field(layer, "hidden_size", where);
  const std::uint32_t H = rnn.hidden_size;
  if (layer.contains("activation")) {
    const Json& value = layer["activation"];
    const std::string name = value.is_string() ? value.get<std::string>() : "";
    if (name != "tanh" && name != "relu") fail(where, "\"activation\" must be \"tanh\" or \"relu\", not " + value.dump());
    rnn.activation = name == "relu" ? Activation::kRelu : Activation::kTanh;
  }
  for (const char* field : {"W", "R"}) {
    if (!layer.contains(field)) fail(where, std::string("\"") + field + "\" (one slice: an rnn has no gates) is required");
  }
  rnn.w = slice(layer["W"], tensors, H, input, where + " W");
  rnn.r = slice(layer["R"], tensors, H, H, where + " R");
  if (layer.contains("bW")) rnn.bias_w = slice(layer["bW"], tensors, H, 1, where + " bW");
  if (layer.contains("bR")) rnn.bias_r = slice(layer["bR"], tensors, H, 1, where + " bR");
  return rnn;
}

// The model the parsed mapping describes.
SourceModel read_layers(const Json& root, const TensorMap& tensors) {
  if (!root.is_object() || !root.contains("layers") || !root["layers"].is_array() || root["layers"].empty()) {
    fail("file", "expected {\"input_size\": I, \"layers\": [ ... ]}");
  }
  SourceModel model;
  model.layout = "mapping";
  model.input_size = size_field(root, "input_size", "file");
  std::uint32_t width = model.input_size;
  for (std::size_t i = 0; i < root["layers"].size(); ++i) {
    const Json& layer = root["layers"][i];
    const std::string where = "layer " + std::to_string(i);
    if (!layer.is_object() || !layer.contains("type") || !layer["type"].is_string()) {
      fail(where, "needs \"type\": \"gru\", \"rnn\", \"dense\" or \"activation\"");
    }
    const std::string type = layer["type"].get<std::string>();
    const std::string name = text_field(layer, "name", type + std::to_string(i), where);
    if (type == "gru") {
      SourceGru gru = read_gru(layer, tensors, width, where + " (gru)");
      width = gru.hidden_size;
      model.layers.push_back({name, gru});
    } else if (type == "rnn") {
      SourceRnn rnn = read_rnn(layer, tensors, width, where + " (rnn)");
      width = rnn.hidden_size;
      model.layers.push_back({name, rnn});
    } else if (type == "dense") {
      SourceDense dense;
      dense.input_size = width;
      dense.output_size = size_field(layer, "output_size", where + " (dense)");
      if (!layer.contains("weight")) fail(where + " (dense)", "\"weight\" is required");
      dense.weight = slice(layer["weight"], tensors, dense.output_size, width, where + " (dense) weight");
      if (layer.contains("bias")) dense.bias = slice(layer["bias"], tensors, dense.output_size, 1, where + " (dense) bias");
      if (layer.contains("activation")) dense.activation = parse_activation(layer["activation"], where + " (dense)");
      width = dense.output_size;
      model.layers.push_back({name, dense});
    } else if (type == "activation") {
      if (!layer.contains("activation")) fail(where + " (activation)", "\"activation\" is required");
      model.layers.push_back({name, ActivationSpec{width, parse_activation(layer["activation"], where + " (activation)")}});
    } else {
      fail(where, "unknown type '" + type + "'; expected gru, rnn, dense or activation");
    }
  }
  return model;
}

}  // namespace

SourceModel read_mapping(const std::string& json_text, const TensorMap& tensors) {
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {
    throw ConversionError(std::string("mapping: not valid JSON: ") + e.what());
  }
  // Every field's type is checked before it is read; should one slip through,
  // the JSON library's type error still reaches the user as a ConversionError.
  try {
    return read_layers(root, tensors);
  } catch (const Json::exception& e) {
    throw ConversionError(std::string("mapping: a field has the wrong type: ") + e.what());
  }
}

}  // namespace grurt::convert
