#include "core_audio_ml.hpp"

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"

namespace grurt::convert::core_audio_ml {
namespace {

using json_tensors::Json;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

std::int64_t number(const Json& data, const char* key, const std::string& where, std::int64_t fallback = -1) {
  const auto found = data.find(key);
  if (found == data.end()) {
    if (fallback >= 0) return fallback;
    fail(where, std::string("has no '") + key + "'");
  }
  if (!found->is_number_integer() && !found->is_boolean()) fail(where, std::string("'") + key + "' must be an integer");
  return found->is_boolean() ? found->get<bool>() : found->get<std::int64_t>();
}

std::string unit_of(const SourceLayer& layer) {
  if (std::holds_alternative<SourceGru>(layer.layer)) return "GRU";
  if (std::holds_alternative<SourceLstm>(layer.layer)) return "LSTM";
  if (std::holds_alternative<SourceRnn>(layer.layer)) return "RNN";
  return "";
}

}  // namespace

bool recognise(const Json& root) {
  return root.is_object() && root.contains("model_data") && root.contains("state_dict");
}

SourceFile read(const Json& root) {
  const Json& data = root.at("model_data");
  const Json& state = root.at("state_dict");
  if (!data.is_object()) fail("model_data", "must be an object");
  if (!state.is_object()) fail("state_dict", "must be an object of tensors");
  const std::string where = "model_data";
  if (data.contains("model") && data.at("model") != "SimpleRNN") {
    fail(where, "model " + data.at("model").dump() + "; grurt reads CoreAudioML's SimpleRNN (recurrent unit, Linear, skip)");
  }
  SourceFile file;
  file.format = "CoreAudioML JSON";
  for (const auto& [name, value] : state.items()) {
    file.tensors[name] = json_tensors::read(value, "state_dict '" + name + "'");
    file.order.push_back(name);
  }
  SourceModel model = recognize_layout(file.tensors, RecognitionOptions{}, file.order);
  // What model_data says must be what the tensors hold.
  std::size_t recurrent = 0;
  std::string unit;
  for (const SourceLayer& layer : model.layers) {
    if (unit_of(layer).empty()) continue;
    ++recurrent;
    unit = unit_of(layer);
  }
  const std::string stated_unit = data.contains("unit_type") && data.at("unit_type").is_string()
                                      ? data.at("unit_type").get<std::string>() : "";
  if (stated_unit.empty()) fail(where, "has no string 'unit_type'");
  if (stated_unit != unit) {
    fail(where, "unit_type '" + stated_unit + "', but the state_dict holds " + (unit.empty() ? "no recurrent layer" : unit) +
                    " layers");
  }
  const std::int64_t layers = number(data, "num_layers", where, 1);
  if (layers != static_cast<std::int64_t>(recurrent)) {
    fail(where, "num_layers " + std::to_string(layers) + ", but the state_dict holds " + std::to_string(recurrent));
  }
  const std::int64_t inputs = number(data, "input_size", where);
  if (inputs != model.input_size) {
    fail(where, "input_size " + std::to_string(inputs) + ", but the state_dict's first layer reads " +
                    std::to_string(model.input_size));
  }
  const std::uint32_t outputs = output_width(model.layers.back());
  if (data.contains("output_size") && number(data, "output_size", where) != outputs) {
    fail(where, "output_size " + std::to_string(number(data, "output_size", where)) + ", but the model gives " +
                    std::to_string(outputs));
  }
  const std::int64_t skip = number(data, "skip", where, 0);
  if (skip != 0) {
    // SimpleRNN adds x[:, :, 0:skip] to the Linear's output.
    if (skip != outputs || inputs < skip) {
      fail(where, "skip " + std::to_string(skip) + " with " + std::to_string(outputs) +
                      " outputs; grurt adds input j to output j for every output, so skip must equal output_size");
    }
    model.skip = SkipSpec{};
    model.skip_origin = "model_data skip " + std::to_string(skip) + ": SimpleRNN adds x[0:skip] to its output";
  }
  file.declared = std::move(model);
  return file;
}

}  // namespace grurt::convert::core_audio_ml
