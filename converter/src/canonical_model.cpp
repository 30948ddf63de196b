#include "grurt_convert/canonical_model.hpp"

#include "canonical_layers/canonical_layers.hpp"

namespace grurt::convert {

std::uint32_t CanonicalModel::output_size() const {
  std::uint32_t width = input_size;
  for (const LayerSpec& spec : layers) {
    width = std::visit([](const auto& layer) { return canonical_layers::shape(layer).output; }, spec.layer);
  }
  return width;
}

}  // namespace grurt::convert
