// Keras 3's .keras file: a zip of metadata.json (keras_version), config.json
// (the model, Keras 3's serialization) and model.weights.h5, whose groups are
// named after each layer's class, not its name: layers/<class in snake_case>
// with _1, _2, ... for later layers of the same class, in the model's layer
// order; a recurrent layer's weights under /cell, TimeDistributed's under
// /layer, each variable at vars/0, vars/1, ...
#include <map>
#include <nlohmann/json.hpp>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/keras_reader.hpp"
#include "isolated_call.hpp"
#include "keras_h5_contents.hpp"
#include "keras_model.hpp"
#include "../zip_archive.hpp"

namespace grurt::convert {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxConfigBytes = 64u << 20;
constexpr std::uint64_t kMaxWeightsBytes = std::uint64_t{2} << 30;

// Keras's naming.to_snake_case for a class name: "SimpleRNN" -> "simple_rnn".
std::string snake_case(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = c >= 'A' && c <= 'Z';
    const bool after_lower = i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z';
    const bool starts_word = i > 0 && upper && i + 1 < name.size() && name[i + 1] >= 'a' && name[i + 1] <= 'z';
    if (upper && (after_lower || starts_word)) out += '_';
    out += upper ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Layer name -> the group its variables are in, from the config's layer order.
std::map<std::string, std::string> variable_groups(const Json& config, const std::string& root) {
  std::map<std::string, std::string> groups;
  const Json* layers = nullptr;
  if (config.is_object() && config.contains("config") && config["config"].is_object() &&
      config["config"].contains("layers")) {
    layers = &config["config"]["layers"];
  }
  if (!layers || !layers->is_array()) return groups;
  std::map<std::string, int> seen;  // per class
  for (const Json& layer : *layers) {
    if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string()) continue;
    const std::string kind = layer["class_name"].get<std::string>();
    const int n = seen[kind]++;
    std::string group = root + "/" + snake_case(kind) + (n ? "_" + std::to_string(n) : "");
    if (kind == "GRU" || kind == "LSTM" || kind == "SimpleRNN") group += "/cell";
    if (kind == "TimeDistributed") group += "/layer";
    const Json& c = layer.contains("config") ? layer["config"] : layer;
    if (c.is_object() && c.contains("name") && c["name"].is_string()) groups[c["name"].get<std::string>()] = group + "/vars/";
  }
  return groups;
}

}  // namespace

bool looks_like_keras_zip(const std::uint8_t* bytes, std::size_t size) {
  try {
    const ZipArchive zip(bytes, size, "Keras .keras file");
    bool config = false, weights = false;
    for (const std::string& name : zip.names()) {
      config = config || name == "config.json";
      weights = weights || name == "model.weights.h5" || name == "model.weights.npz";
    }
    return config && weights;
  } catch (const ConversionError&) {
    return false;
  }
}

SourceFile read_keras_zip(const std::uint8_t* bytes, std::size_t size) {
  try {
    ZipArchive zip(bytes, size, "Keras .keras file");
    bool h5 = false, npz = false, metadata = false;
    for (const std::string& name : zip.names()) {
      h5 = h5 || name == "model.weights.h5";
      npz = npz || name == "model.weights.npz";
      metadata = metadata || name == "metadata.json";
    }
    if (!h5) {
      throw ConversionError(npz ? "the weights are in model.weights.npz (pickled dicts), which grurt does not read; "
                                  "save with Keras's default .h5 weights"
                                : "has no model.weights.h5");
    }
    const std::vector<std::uint8_t> config_bytes = zip.read("config.json", kMaxConfigBytes);
    const std::string config(config_bytes.begin(), config_bytes.end());
    std::string version;
    if (metadata) {
      const std::vector<std::uint8_t> m = zip.read("metadata.json", kMaxConfigBytes);
      const Json parsed = Json::parse(m.begin(), m.end(), nullptr, false);
      if (parsed.is_object() && parsed.contains("keras_version") && parsed["keras_version"].is_string()) {
        version = parsed["keras_version"].get<std::string>();
      }
    }
    const std::vector<std::uint8_t> weights_file = zip.read("model.weights.h5", kMaxWeightsBytes);
    const keras_h5::Contents h5_contents = keras_h5::deserialize(isolated_call(
        [&] { return keras_h5::serialize(keras_h5::extract_weights(weights_file.data(), weights_file.size())); },
        "model.weights.h5: HDF5"));
    const bool legacy_root = !h5_contents.datasets.empty() &&
                             h5_contents.datasets.begin()->first.rfind("/_layer_checkpoint_dependencies", 0) == 0;
    const Json parsed = Json::parse(config, nullptr, false);
    const auto groups = variable_groups(parsed, legacy_root ? "/_layer_checkpoint_dependencies" : "/layers");

    SourceFile file;
    file.format = "Keras .keras" + (version.empty() ? std::string() : " (Keras " + version + ")");
    const keras_model::WeightReader weights = [&](const std::string& layer, std::size_t k,
                                                  const std::vector<std::int64_t>&, SourceFile& out) {
      const auto group = groups.find(layer);
      const std::string path = (group == groups.end() ? "/layers/?" : group->second) + std::to_string(k);
      const auto found = h5_contents.datasets.find(path);
      if (found == h5_contents.datasets.end()) {
        throw ConversionError("model.weights.h5 has no " + path + " for layer '" + layer + "'");
      }
      out.tensors[path] = found->second;
      out.order.push_back(path);
      return path;
    };
    file.declared = keras_model::read(config, version.empty() ? "3" : version, weights, file);
    return file;
  } catch (const ConversionError& e) {
    throw ConversionError(std::string("Keras .keras: ") + e.what());
  }
}

}  // namespace grurt::convert
