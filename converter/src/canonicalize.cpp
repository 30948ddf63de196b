// The generic side of source layers: each kind's own work is in source_layers/.
#include <set>
#include <string>
#include <type_traits>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/source_model.hpp"
#include "source_layers/source_layers.hpp"

namespace grurt::convert {

std::string TensorSlice::describe() const {
  return tensor + "[" + std::to_string(row) + ":" + std::to_string(row + rows) + ", " + std::to_string(col) + ":" +
         std::to_string(col + cols) + "]" + (transposed ? "^T" : "");
}

std::uint32_t input_width(const SourceLayer& layer) {
  return std::visit([](const auto& kind) { return source_layers::input_width(kind); }, layer.layer);
}

std::uint32_t output_width(const SourceLayer& layer) {
  return std::visit([](const auto& kind) { return source_layers::output_width(kind); }, layer.layer);
}

std::uint32_t state_width(const SourceLayer& layer) {
  return std::visit([](const auto& kind) { return source_layers::state_width(kind); }, layer.layer);
}

std::vector<std::uint32_t> state_parts(const SourceLayer& layer) {
  const std::uint32_t state = state_width(layer), h = output_width(layer);
  if (state == 0) return {};
  if (state == h) return {h};
  return {h, state - h};
}

std::vector<float> initial_state_values(const SourceLayer& layer, const TensorMap& tensors) {
  std::vector<float> values;
  const std::vector<std::uint32_t> parts = state_parts(layer);
  bool stored = false;
  for (const auto& slice : layer.initial_state) stored = stored || slice.has_value();
  if (!stored) return values;
  if (layer.initial_state.size() > parts.size()) {
    throw ConversionError("layer '" + layer.name + "' has " + std::to_string(layer.initial_state.size()) +
                          " initial state vectors but " + std::to_string(parts.size()) + " state vectors");
  }
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::size_t before = values.size();
    if (k < layer.initial_state.size() && layer.initial_state[k]) {
      source_layers::append_slice(*layer.initial_state[k], tensors, 1.0f, values);
    } else {
      values.resize(before + parts[k], 0.0f);
    }
    if (values.size() - before != parts[k]) {
      throw ConversionError("layer '" + layer.name + "': initial state vector " + std::to_string(k) + " has " +
                            std::to_string(values.size() - before) + " values, expected " + std::to_string(parts[k]));
    }
  }
  return values;
}

std::string describe(const SourceLayer& layer) {
  std::string text = std::visit([](const auto& kind) { return source_layers::describe(kind); }, layer.layer);
  if (layer.initial_state.empty()) return text;
  // Every state vector (h, then an LSTM's c), a missing slice being zeros.
  for (std::size_t k = 0; k < state_parts(layer).size(); ++k) {
    const bool stored = k < layer.initial_state.size() && layer.initial_state[k];
    text += std::string("      initial ") + (k == 0 ? "h" : "c") + " <- " +
            (stored ? layer.initial_state[k]->describe() : "zeros") + "\n";
  }
  return text;
}

CanonicalModel canonicalize(const SourceModel& source, const TensorMap& tensors) {
  CanonicalModel model;
  model.input_size = source.input_size;
  model.skip = source.skip;
  for (const SourceLayer& layer : source.layers) {
    LayerSpec spec{layer.name, std::visit([&tensors](const auto& kind) { return source_layers::canonical(kind, tensors); },
                                          layer.layer)};
    std::vector<float> initial = initial_state_values(layer, tensors);
    if (!initial.empty()) {
      std::visit(
          [&](auto& kind) {
            using Kind = std::decay_t<decltype(kind)>;
            if constexpr (std::is_same_v<Kind, GruSpec> || std::is_same_v<Kind, RnnSpec> ||
                          std::is_same_v<Kind, LstmSpec>) {
              kind.initial_state = std::move(initial);
            }
          },
          spec.layer);
    }
    model.layers.push_back(std::move(spec));
  }
  return model;
}

std::vector<std::string> used_tensors(const SourceModel& source) {
  std::set<std::string> names;
  for (const SourceLayer& layer : source.layers) {
    std::visit([&names](const auto& kind) { source_layers::add_used_tensors(kind, names); }, layer.layer);
    for (const auto& slice : layer.initial_state) source_layers::add_tensor(slice, names);
  }
  return {names.begin(), names.end()};
}

}  // namespace grurt::convert
