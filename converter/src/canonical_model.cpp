#include "grurt_convert/canonical_model.hpp"

namespace grurt::convert {

std::uint32_t CanonicalModel::output_size() const {
  std::uint32_t width = input_size;
  for (const LayerSpec& spec : layers) {
    if (const auto* gru = std::get_if<GruSpec>(&spec.layer)) width = gru->hidden_size;
    if (const auto* rnn = std::get_if<RnnSpec>(&spec.layer)) width = rnn->hidden_size;
    if (const auto* dense = std::get_if<DenseSpec>(&spec.layer)) width = dense->output_size;
    if (const auto* activation = std::get_if<ActivationSpec>(&spec.layer)) width = activation->size;
  }
  return width;
}

}  // namespace grurt::convert
