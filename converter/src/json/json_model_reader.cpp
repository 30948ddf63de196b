// The JSON front door: parses once, then the structure says which format.
#include "grurt_convert/json_model_reader.hpp"

#include "core_audio_ml.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "json_tensors.hpp"
#include "rtneural_model.hpp"

namespace grurt::convert {
namespace {

using json_tensors::Json;

// {name: nested lists, ...}: a state_dict written with json.dump, its keys
// in the file's (declaration) order, left to layout recognition.
SourceFile read_state_dict(const Json& root) {
  SourceFile file;
  file.format = "JSON state_dict";
  for (const auto& [name, value] : root.items()) {
    if (!json_tensors::is_numeric(value)) {
      throw ConversionError("key '" + name + "' holds " + std::string(value.type_name()) +
                            ", not a tensor: the file is neither RTNeural/AIDA-X JSON ({in_shape, layers}), "
                            "CoreAudioML JSON ({model_data, state_dict}) nor a state_dict of nested lists");
    }
    file.tensors[name] = json_tensors::read(value, "'" + name + "'");
    file.order.push_back(name);
  }
  if (file.tensors.empty()) throw ConversionError("the JSON object is empty");
  return file;
}

}  // namespace

bool looks_like_json(const std::uint8_t* bytes, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    if (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r') continue;
    return bytes[i] == '{';
  }
  return false;
}

SourceFile read_json_model(const std::uint8_t* bytes, std::size_t size) {
  if (size > kMaxJsonModelBytes) throw ConversionError("JSON: the file is larger than 256 MB");
  Json root;
  try {
    root = Json::parse(bytes, bytes + size);
  } catch (const Json::exception& e) {
    throw ConversionError(std::string("JSON: not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw ConversionError("JSON: the file is not a JSON object");
  std::string format = "JSON";
  try {
    if (rtneural_model::recognise(root)) {
      format = root.contains("in_skip") || root.contains("out_gain") || root.contains("in_gain") ? "AIDA-X" : "RTNeural";
      return rtneural_model::read(root);
    }
    if (core_audio_ml::recognise(root)) {
      format = "CoreAudioML";
      return core_audio_ml::read(root);
    }
    return read_state_dict(root);
  } catch (const ConversionError& e) {
    throw ConversionError(format + ": " + e.what());
  } catch (const Json::exception& e) {  // every field is checked before use; this is the backstop
    throw ConversionError(format + ": a field has the wrong type: " + e.what());
  }
}

}  // namespace grurt::convert
