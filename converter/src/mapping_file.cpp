#include "grurt_convert/mapping_file.hpp"

#include "grurt_convert/conversion_error.hpp"
#include "source_layers/source_layers.hpp"

namespace grurt::convert {
namespace {

using source_layers::fail;
using source_layers::Json;

// The layer types a mapping file may name, each read by its kind's file,
// with every key its layer object may hold (anything else is refused: a typo
// must not silently become a default) and the keys whose value is a per-gate
// object {"r", "z", "n"} (a GRU's). A new key of a kind is added here too.
struct LayerType {
  const char* name;
  source_layers::SourceVariant (*read)(const Json& layer, const TensorMap& tensors, std::uint32_t input,
                                       const std::string& where);
  std::vector<std::string> keys;
  std::vector<std::string> gate_objects;
};
const LayerType kLayerTypes[] = {
    {"gru", source_layers::read_gru,
     {"type", "name", "hidden_size", "reset", "update", "W", "R", "bW", "bR", "candidate_activation", "gate_activation",
      "hard_sigmoid_slope", "hard_sigmoid_offset", "initial_h"},
     {"W", "R", "bW", "bR"}},
    {"rnn", source_layers::read_rnn, {"type", "name", "hidden_size", "activation", "W", "R", "bW", "bR", "initial_h"},
     {}},
    // An lstm's W, R, bW, bR and peephole are a whole slice or a per-gate
    // object (i, f, g or c, o): read_lstm checks those keys itself.
    {"lstm", source_layers::read_lstm,
     {"type", "name", "hidden_size", "projection_size", "gates", "W", "R", "bW", "bR", "peephole", "projection",
      "initial_h", "initial_c"},
     {}},
    {"dense", source_layers::read_dense, {"type", "name", "output_size", "weight", "bias", "activation"}, {}},
    {"activation", source_layers::read_activation, {"type", "name", "activation"}, {}},
};
const std::vector<std::string> kTopLevelKeys = {"input_size", "layers"};
const std::vector<std::string> kGates = {"r", "z", "n"};

// The layer's own keys, then those of its per-gate objects (a slice's keys are
// checked where the slice is read).
void check_layer_keys(const LayerType& type, const Json& layer, const std::string& where) {
  source_layers::require_known_keys(layer, type.keys, where);
  for (const std::string& field : type.gate_objects) {
    if (!layer.contains(field)) continue;
    if (!layer[field].is_object()) {
      fail(where, "\"" + field + "\" must be an object of per-gate slices {\"r\": ..., \"z\": ..., \"n\": ...}, not " +
                      layer[field].dump());
    }
    source_layers::require_known_keys(layer[field], kGates, where + " " + field);
  }
}

// A recurrent layer's stored initial state: "initial_h" (and an lstm's
// "initial_c"), each a slice of one column, the width of that state vector.
void read_initial_state(const Json& layer, const TensorMap& tensors, const std::string& where, SourceLayer& read) {
  const std::vector<std::uint32_t> parts = state_parts(read);
  const char* keys[] = {"initial_h", "initial_c"};
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (!layer.contains(keys[k])) continue;
    read.initial_state.resize(parts.size());
    read.initial_state[k] = source_layers::slice(layer[keys[k]], tensors, parts[k], 1, where + " " + keys[k]);
  }
}

std::string type_names() {
  std::string text;
  for (const LayerType& type : kLayerTypes) text += (text.empty() ? "" : ", ") + std::string(type.name);
  return text;
}

// The model the parsed mapping describes.
SourceModel read_layers(const Json& root, const TensorMap& tensors) {
  if (!root.is_object() || !root.contains("layers") || !root["layers"].is_array() || root["layers"].empty()) {
    fail("file", "expected {\"input_size\": I, \"layers\": [ ... ]}");
  }
  source_layers::require_known_keys(root, kTopLevelKeys, "the top level");
  SourceModel model;
  model.layout = "mapping";
  model.input_size = source_layers::size_field(root, "input_size", "file");
  std::uint32_t width = model.input_size;
  for (std::size_t i = 0; i < root["layers"].size(); ++i) {
    const Json& layer = root["layers"][i];
    const std::string where = "layer " + std::to_string(i);
    if (!layer.is_object() || !layer.contains("type") || !layer["type"].is_string()) {
      fail(where, "needs \"type\": one of " + type_names());
    }
    const std::string type = layer["type"].get<std::string>();
    const std::string name = source_layers::text_field(layer, "name", type + std::to_string(i), where);
    const LayerType* known = nullptr;
    for (const LayerType& candidate : kLayerTypes) {
      if (type == candidate.name) known = &candidate;
    }
    if (!known) fail(where, "unknown type '" + type + "'; expected one of " + type_names());
    const std::string place = where + " (" + type + ")";
    check_layer_keys(*known, layer, place);
    model.layers.push_back({name, known->read(layer, tensors, width, place)});
    read_initial_state(layer, tensors, place, model.layers.back());
    width = output_width(model.layers.back());
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
