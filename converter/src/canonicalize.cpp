// The generic side of source layers: each kind's own work is in source_layers/.
#include <set>
#include <string>

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

std::string describe(const SourceLayer& layer) {
  return std::visit([](const auto& kind) { return source_layers::describe(kind); }, layer.layer);
}

CanonicalModel canonicalize(const SourceModel& source, const TensorMap& tensors) {
  CanonicalModel model;
  model.input_size = source.input_size;
  model.skip = source.skip;
  for (const SourceLayer& layer : source.layers) {
    model.layers.push_back(
        {layer.name, std::visit([&tensors](const auto& kind) { return source_layers::canonical(kind, tensors); },
                                layer.layer)});
  }
  return model;
}

std::vector<std::string> used_tensors(const SourceModel& source) {
  std::set<std::string> names;
  for (const SourceLayer& layer : source.layers) {
    std::visit([&names](const auto& kind) { source_layers::add_used_tensors(kind, names); }, layer.layer);
  }
  return {names.begin(), names.end()};
}

}  // namespace grurt::convert
